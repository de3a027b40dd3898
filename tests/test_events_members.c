/*
 * test_events_members.c - a Salesforce Campaign Member report as exported:
 * members that are contacts (no Lead ID, a Contact ID) join by their
 * Contact ID, members that did not respond are skipped and counted, on
 * one reader and on several ranges alike.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/events.h>

#include "temp_file.h"

/* Lead 00QA is row 0, contact 003C row 1, lead 00QB row 2. */
static mql_contacts *load_members(void)
{
	char path[256];
	const char *text = "contact_id,created_at\n00QA,2026-01-01\n"
			   "003C,2026-01-01\n00QB,2026-01-01\n";
	mql_contacts *c = NULL;
	mql_error err;
	temp_file_write(path, sizeof path, "mqlcal-members", text,
			strlen(text));
	CU_ASSERT_EQUAL(
		mql_contacts_load(&c, path, NULL, MQL_TIME_NONE, NULL, &err),
		0);
	unlink(path);
	return c;
}

static void salesforce_options(mql_csv_options *opt)
{
	mql_csv_options_init(opt);
	opt->preset = "salesforce";
}

#define HEADER                                                                 \
	"\"Campaign Name\",\"Member Status\",\"Responded\",\"First Responded " \
	"Date\",\"Lead ID\",\"Contact ID\"\n"

/*
 * A report of 4 * blocks rows (line 2 on), each block: a lead that
 * responded (00QA, "Attended"), a contact that responded (003C,
 * "Attended"), a lead that did not (00QB; Responded 0, false, empty or
 * "No" in turn, no date), a contact missing from the contacts
 * (003Z, "Clicked").
 */
static void write_members(char *path, size_t n, int blocks)
{
	static const char *const no[] = {"0", "false", "", "No"};
	char text[16384];
	size_t used = (size_t)snprintf(text, sizeof text, HEADER);
	for (int b = 0; b < blocks; b++)
		used += (size_t)snprintf(
			text + used, sizeof text - used,
			"\"Webinar\",\"Attended\",\"1\",\"2026-01-%02d\","
			"\"00QA\",\"\"\n"
			"\"Webinar\",\"Attended\",\"1\",\"2026-01-%02d\",\"\","
			"\"003C\"\n"
			"\"Webinar\",\"Sent\",\"%s\",\"\",\"00QB\",\"\"\n"
			"\"Webinar\",\"Clicked\",\"true\",\"2026-02-01\",\"\","
			"\"003Z\"\n",
			2 + b % 20, 2 + b % 20, no[b % 4]);
	CU_ASSERT_FATAL(used < sizeof text);
	temp_file_write(path, n, "mqlcal-members", text, used);
}

static void joins_members_by_lead_or_contact_id(void)
{
	mql_contacts *c = load_members();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_csv_options opt;
	salesforce_options(&opt);
	char path[256];
	write_members(path, sizeof path, 4);
	mql_events *r;
	mql_error err;
	mql_event ev;
	CU_ASSERT_EQUAL_FATAL(
		mql_events_open(&r, path, c, &opt, 1798761600, &err), 0);
	/* in each block: the lead (row 0), then the contact (row 1) */
	for (int k = 0; k < 8; k++) {
		CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
		CU_ASSERT_EQUAL(ev.contact, (unsigned)(k % 2));
		CU_ASSERT_STRING_EQUAL(
			mql_dict_name(mql_events_types(r), ev.type),
			"Attended");
	}
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), 0);
	const mql_events_stats *st = mql_events_get_stats(r);
	CU_ASSERT_EQUAL(st->rows, 16);
	CU_ASSERT_EQUAL(st->not_responded, 4);
	CU_ASSERT_EQUAL(st->unknown_contact, 4);
	/* "Sent" was never an event: one type only */
	CU_ASSERT_EQUAL(mql_events_types(r)->count, 1);
	/* date -u -d 2026-01-02 +%s; date -u -d 2026-02-01 +%s */
	CU_ASSERT_EQUAL(st->first, 1767312000);
	CU_ASSERT_EQUAL(st->last, 1769904000);
	mql_events_close(r);
	unlink(path);
	mql_contacts_free(c);
}

/* Opens a reader with opt on text, written to path (n bytes): the caller
 * closes it and unlinks path.  Returns mql_events_open's status. */
static int open_text(mql_events **r, const mql_contacts *c, const char *text,
		     const mql_csv_options *opt, char *path, size_t n,
		     mql_error *err)
{
	temp_file_write(path, n, "mqlcal-members", text, strlen(text));
	return mql_events_open(r, path, c, opt, 1798761600, err);
}

/* Without a Lead ID column, Contact ID is the contact_id. */
static void reads_contact_id_alone(void)
{
	mql_contacts *c = load_members();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_csv_options opt;
	salesforce_options(&opt);
	char path[256];
	const char *text = "Campaign Name,Member Status,Responded,First "
			   "Responded Date,Contact ID\n"
			   "Webinar,Attended,1,2026-01-05,003C\n"
			   "Webinar,Sent,0,,003C\n";
	mql_events *r;
	mql_error err;
	mql_event ev;
	CU_ASSERT_EQUAL_FATAL(
		open_text(&r, c, text, &opt, path, sizeof path, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 1);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), 0);
	CU_ASSERT_EQUAL(mql_events_get_stats(r)->not_responded, 1);
	mql_events_close(r);
	unlink(path);
	mql_contacts_free(c);
}

/* Reads text with the Salesforce preset to its first error; returns it. */
static int first_error(const mql_contacts *c, const char *text, mql_error *err)
{
	mql_csv_options opt;
	salesforce_options(&opt);
	char path[256];
	mql_events *r;
	mql_event ev;
	int status = open_text(&r, c, text, &opt, path, sizeof path, err);
	CU_ASSERT_EQUAL_FATAL(status, 0);
	while ((status = mql_events_next(r, &ev, err)) == 1)
		;
	mql_events_close(r);
	unlink(path);
	return status;
}

static void rejects_responded_members_without_id_or_date(void)
{
	mql_contacts *c = load_members();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_error err;
	/* a member that did not respond needs neither id nor date */
	CU_ASSERT_EQUAL(first_error(c, HEADER "W,Sent,0,,,\n", &err), 0);
	CU_ASSERT_EQUAL(first_error(c,
				    HEADER "W,Sent,0,,,\n"
					   "W,Attended,1,2026-01-05,,\n",
				    &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 5); /* Lead ID */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing contact_id"));
	CU_ASSERT_EQUAL(first_error(c,
				    HEADER "W,Attended,1,2026-01-05,00QA,\n"
					   "W,Attended,1,,,003C\n",
				    &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 4); /* First Responded Date */
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing occurred_at"));
	CU_ASSERT_EQUAL(
		first_error(c, HEADER "W,Attended,maybe,2026-01-05,00QA,\n",
			    &err),
		MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 3); /* Responded */
	mql_contacts_free(c);
}

/* A file without a responded column reads every row, as before. */
static void reads_every_row_without_responded(void)
{
	mql_contacts *c = load_members();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	char path[256];
	const char *text = "contact_id,occurred_at,event,alternate_contact_id\n"
			   "00QA,2026-01-05,0,\n"
			   ",2026-01-06,0,003C\n"
			   ",,0,\n";
	mql_events *r;
	mql_event ev;
	CU_ASSERT_EQUAL_FATAL(
		open_text(&r, c, text, &opt, path, sizeof path, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 0);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 1);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_EQUAL(err.column, 1);
	CU_ASSERT_EQUAL(mql_events_get_stats(r)->not_responded, 0);
	mql_events_close(r);
	unlink(path);
	mql_contacts_free(c);
}

/* The events of a scan, by range, in file order within each. */
typedef struct scanned {
	mql_event events[MQL_EVENTS_MAX_THREADS][128];
	size_t count[MQL_EVENTS_MAX_THREADS];
} scanned;

static int keep_event(void *context, int range, const mql_event *ev,
		      mql_error *err)
{
	(void)err;
	scanned *s = context;
	CU_ASSERT_FATAL(s->count[range] < 128);
	s->events[range][s->count[range]++] = *ev;
	return 0;
}

/* 40 blocks (160 rows): 80 events, alternately contacts 0 and 1; 40 rows
 * not responded and 40 of an unknown contact, on every number of ranges. */
static void reads_members_alike_in_ranges(void)
{
	mql_contacts *c = load_members();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_csv_options opt;
	salesforce_options(&opt);
	char path[256];
	write_members(path, sizeof path, 40);
	for (int threads = 1; threads <= 4; threads++) {
		mql_events_summary sum;
		mql_error err;
		CU_ASSERT_EQUAL_FATAL(mql_events_summarize(&sum, path, c, &opt,
							   1798761600, threads,
							   &err),
				      0);
		CU_ASSERT_EQUAL(sum.stats.rows, 160);
		CU_ASSERT_EQUAL(sum.stats.not_responded, 40);
		CU_ASSERT_EQUAL(sum.stats.unknown_contact, 40);
		CU_ASSERT_EQUAL_FATAL(sum.types.count, 1);
		CU_ASSERT_EQUAL(sum.stats.per_type[0], 80);
		mql_events_summary_release(&sum);

		scanned *s = calloc(1, sizeof *s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		mql_events_scan_options so;
		mql_events_scan_options_init(&so);
		so.threads = threads;
		so.future_after = 1798761600;
		mql_events_scan_ops ops = {NULL, keep_event, s};
		mql_events *all;
		CU_ASSERT_EQUAL_FATAL(
			mql_events_scan(&all, path, c, &opt, &so, &ops, &err),
			0);
		size_t n = 0;
		int ranges = 0;
		for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
			ranges += s->count[k] > 0;
		CU_ASSERT(threads == 1 ? ranges == 1 : ranges >= 2);
		for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
			for (size_t i = 0; i < s->count[k]; i++, n++) {
				CU_ASSERT_EQUAL(s->events[k][i].contact,
						(unsigned)(n % 2));
				/* date -u -d 2026-01-02 +%s, a day a block */
				CU_ASSERT_EQUAL(
					s->events[k][i].at,
					1767312000 +
						86400 * (mql_time)(n / 2 % 20));
			}
		CU_ASSERT_EQUAL(n, 80);
		CU_ASSERT_EQUAL(mql_events_get_stats(all)->not_responded, 40);
		CU_ASSERT_EQUAL(mql_events_get_stats(all)->unknown_contact, 40);
		mql_events_close(all);
		free(s);
	}
	unlink(path);
	mql_contacts_free(c);
}

CU_TestInfo test_events_members[] = {
	{"joins members by lead or contact id",
	 joins_members_by_lead_or_contact_id},
	{"reads contact id alone", reads_contact_id_alone},
	{"rejects responded members without id or date",
	 rejects_responded_members_without_id_or_date},
	{"reads every row without responded",
	 reads_every_row_without_responded},
	{"reads members alike in ranges", reads_members_alike_in_ranges},
	CU_TEST_INFO_NULL,
};
