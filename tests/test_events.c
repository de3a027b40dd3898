/*
 * test_events.c - the events stream: joining to contacts, unknown ids,
 * statistics, required cells.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/events.h>

#include "temp_file.h"

/* Writes text to a temporary file named into path (caller unlinks). */
static void write_temp(char *path, size_t n, const char *text)
{
	temp_file_write(path, n, "mqlcal-events", text, strlen(text));
}

static mql_contacts *load_contacts(void)
{
	char path[256];
	mql_contacts *c = NULL;
	mql_error err;
	write_temp(path, sizeof path,
		   "contact_id,created_at\na,2026-01-10\nb,2026-01-01\n");
	CU_ASSERT_EQUAL(
		mql_contacts_load(&c, path, NULL, MQL_TIME_NONE, NULL, &err),
		0);
	unlink(path);
	return c;
}

static int open_events(mql_events **out, const mql_contacts *c,
		       const char *text, mql_error *err)
{
	char path[256];
	write_temp(path, sizeof path, text);
	/* reference time 2027-01-01: date -u -d 2027-01-01 +%s */
	int status = mql_events_open(out, path, c, NULL, 1798761600, err);
	unlink(path);
	return status;
}

static void joins_events_to_contacts(void)
{
	mql_contacts *c = load_contacts();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_events *r;
	mql_error err;
	mql_event ev;
	CU_ASSERT_EQUAL_FATAL(
		open_events(&r, c,
			    "Contact_ID,event,occurred_at,campaign\n"
			    "a,page_view,2026-01-12T08:00:00Z,spring\n"
			    "zz,page_view,2026-01-13,\n"
			    "b,demo_request,2026-01-14 09:30:00+01:00,\n"
			    "a,page_view,2026-01-05,spring\n"
			    "b,page_view,2031-01-01,\n",
			    &err),
		0);
	int32_t demo = mql_events_intern_type(r, "demo_request");
	CU_ASSERT_EQUAL(demo, 0);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 0);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(mql_events_types(r), ev.type),
			       "page_view");
	CU_ASSERT_STRING_EQUAL(
		mql_dict_name(mql_events_campaigns(r), ev.campaign), "spring");
	/* date -u -d 2026-01-12T08:00:00Z +%s */
	CU_ASSERT_EQUAL(ev.at, 1768204800);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 1);
	CU_ASSERT_EQUAL(ev.type, demo);
	CU_ASSERT_EQUAL(ev.campaign, -1);
	/* date -u -d '2026-01-14 09:30:00+01:00' +%s */
	CU_ASSERT_EQUAL(ev.at, 1768379400);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), 0);
	const mql_events_stats *stats = mql_events_get_stats(r);
	CU_ASSERT_EQUAL(stats->rows, 5);
	CU_ASSERT_EQUAL(stats->unknown_contact, 1);
	CU_ASSERT_EQUAL(stats->future, 1);
	CU_ASSERT_EQUAL(stats->before_created, 1); /* a on 01-05 < 01-10 */
	CU_ASSERT_EQUAL(stats->per_type[demo], 1);
	CU_ASSERT_EQUAL(stats->per_type[1], 3);
	/* date -u -d 2026-01-05 +%s; date -u -d 2031-01-01 +%s */
	CU_ASSERT_EQUAL(stats->first, 1767571200);
	CU_ASSERT_EQUAL(stats->last, 1924992000);
	mql_events_close(r);
	mql_events_close(NULL);
	mql_contacts_free(c);
}

static void rejects_bad_events(void)
{
	mql_contacts *c = load_contacts();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_events *r = NULL;
	mql_error err;
	mql_event ev;
	CU_ASSERT_EQUAL(open_events(&r, c, "contact_id,occurred_at\n", &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing column 'event'"));
	CU_ASSERT_EQUAL_FATAL(open_events(&r, c,
					  "contact_id,occurred_at,event\n"
					  "a,2026-01-12,x\n"
					  "a,yesterday,x\n",
					  &err),
			      0);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'yesterday' as a date"));
	mql_events_close(r);
	CU_ASSERT_EQUAL_FATAL(open_events(&r, c,
					  "contact_id,occurred_at,event\n"
					  "a,,x\n",
					  &err),
			      0);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing occurred_at"));
	mql_events_close(r);
	mql_contacts_free(c);
}

/*
 * An events file whose middle falls inside a quoted campaign of 30 lines,
 * half of which look like event rows: a range cut at a line end inside the
 * quotes would count "ghost" events or fail on the closing quote.  bad_line
 * (0 = none) gets the date "soon"; lines are numbered from the header (1).
 * Lines: 2-4 before the quoted field, 5-36 the quoted field (the row of line
 * 5), 37-41 after it.
 */
static void write_split_file(char *path, size_t n, int bad_line_a,
			     int bad_line_b)
{
	char text[4096];
	size_t used = 0;
	int line = 1;
	const char *rows_before[] = {
		"contact_id,occurred_at,event,campaign\n",
		"a,2026-01-12,visit,\"spring \"\"promo\"\"\"\n",
		"zz,2026-01-13,visit,\n",
		"b,2025-12-31,form,\n",
		"a,2026-01-14,visit,\"note line 1\n",
	};
	const char *rows_after[] = {
		"end\"\n",
		"b,2027-02-01,webinar,\n",
		"a,2026-01-20,form,\n",
		"zz,2026-01-21,demo,\n",
		"b,2026-01-22,webinar,\n",
		"a,2026-01-23,visit,\n",
	};
	for (size_t i = 0; i < 5; i++, line++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s",
					 line == bad_line_a ||
							 line == bad_line_b
						 ? "a,soon,visit,\n"
						 : rows_before[i]);
	for (int i = 0; i < 30; i++, line++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s",
					 i % 2 ? "a,2026-01-15,ghost,\n"
					       : "filler, not a row\n");
	for (size_t i = 0; i < 6; i++, line++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s",
					 line == bad_line_a ||
							 line == bad_line_b
						 ? "a,soon,visit,\n"
						 : rows_after[i]);
	CU_ASSERT_FATAL(used < sizeof text);
	/* The premise: the middle of the data rows is inside the quotes. */
	size_t data = strlen(rows_before[0]);
	size_t middle = data + (used - data) / 2;
	const char *open_quote = strstr(text, "\"note");
	const char *close_quote = strstr(text, "end\"");
	CU_ASSERT_FATAL(open_quote && close_quote);
	CU_ASSERT_FATAL((size_t)(open_quote - text) < middle &&
			middle < (size_t)(close_quote - text));
	write_temp(path, n, text);
}

/* The expected summary of the split file, counted by hand from its rows:
 * 9 rows; zz twice unknown; b's form of 2025-12-31 is before b's creation
 * (2026-01-01); b's webinar of 2027-02-01 is after the reference time
 * 2027-01-01; joined types in order of first appearance: visit (lines 2, 5,
 * 41) 3, form (lines 4, 38) 2, webinar (lines 37, 40) 2.  First
 * 2025-12-31 = 1767139200 and last 2027-02-01 = 1801440000 (date -u +%s). */
static void check_split_summary(const mql_events_summary *s)
{
	CU_ASSERT_EQUAL(s->stats.rows, 9);
	CU_ASSERT_EQUAL(s->stats.unknown_contact, 2);
	CU_ASSERT_EQUAL(s->stats.before_created, 1);
	CU_ASSERT_EQUAL(s->stats.future, 1);
	CU_ASSERT_EQUAL(s->stats.first, 1767139200);
	CU_ASSERT_EQUAL(s->stats.last, 1801440000);
	CU_ASSERT_EQUAL_FATAL(s->types.count, 3);
	CU_ASSERT_FATAL(s->stats.per_type_count >= 3);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&s->types, 0), "visit");
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&s->types, 1), "form");
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&s->types, 2), "webinar");
	CU_ASSERT_EQUAL(s->stats.per_type[0], 3);
	CU_ASSERT_EQUAL(s->stats.per_type[1], 2);
	CU_ASSERT_EQUAL(s->stats.per_type[2], 2);
}

static void summarizes_in_ranges(void)
{
	mql_contacts *c = load_contacts();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	char path[256];
	write_split_file(path, sizeof path, 0, 0);
	const int threads[] = {1, 2, 3, 4, 8};
	for (size_t i = 0; i < sizeof threads / sizeof *threads; i++) {
		mql_events_summary s;
		mql_error err;
		CU_ASSERT_EQUAL_FATAL(mql_events_summarize(&s, path, c, NULL,
							   1798761600,
							   threads[i], &err),
				      0);
		check_split_summary(&s);
		mql_events_summary_release(&s);
	}
	/* The sequential reader agrees. */
	mql_events *r;
	mql_event ev;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		mql_events_open(&r, path, c, NULL, 1798761600, &err), 0);
	while (mql_events_next(r, &ev, &err) == 1)
		;
	const mql_events_stats *st = mql_events_get_stats(r);
	CU_ASSERT_EQUAL(st->rows, 9);
	CU_ASSERT_EQUAL(mql_events_types(r)->count, 3);
	mql_events_close(r);
	unlink(path);
	mql_contacts_free(c);
}

/* Summarizes with threads and expects the error of line, column 2. */
static void expect_error_at(const mql_contacts *c, const char *path,
			    int threads, long line)
{
	mql_events_summary s;
	mql_error err;
	CU_ASSERT_EQUAL(mql_events_summarize(&s, path, c, NULL, 1798761600,
					     threads, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, line);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_STRING_EQUAL(err.file, path);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'soon' as a date"));
	CU_ASSERT_EQUAL(s.stats.rows, 0);
	CU_ASSERT_EQUAL(s.types.count, 0);
	mql_events_summary_release(&s);
}

static void reports_first_error_in_file_order(void)
{
	mql_contacts *c = load_contacts();
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	char path[256];
	/* only in the second half */
	write_split_file(path, sizeof path, 40, 0);
	for (int threads = 1; threads <= 4; threads++)
		expect_error_at(c, path, threads, 40);
	unlink(path);
	/* in both halves: the first half's */
	write_split_file(path, sizeof path, 3, 40);
	for (int threads = 1; threads <= 4; threads++)
		expect_error_at(c, path, threads, 3);
	unlink(path);
	/* 40 short rows in 8 ranges: the line of an error in the last range
	 * adds up the lines of the seven before it.  Line 1 is the header, so
	 * row i (from 0) is on line i + 2; the bad row 37 is on line 39. */
	char text[2048];
	size_t used = (size_t)snprintf(text, sizeof text,
				       "contact_id,occurred_at,event\n");
	for (int row = 0; row < 40; row++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "a,%s,visit\n",
					 row == 37 ? "soon" : "2026-01-12");
	CU_ASSERT_FATAL(used < sizeof text);
	write_temp(path, sizeof path, text);
	for (int threads = 1; threads <= 8; threads++)
		expect_error_at(c, path, threads, 39);
	unlink(path);
	mql_events_summary s;
	mql_error err;
	CU_ASSERT_EQUAL(mql_events_summarize(&s, "/nonexistent/events.csv", c,
					     NULL, 1798761600, 2, &err),
			MQL_ERR_NOFILE);
	mql_events_summary_release(&s);
	mql_events_summary_release(NULL);
	mql_contacts_free(c);
}

/*
 * Ids that are prefixes of one another, in and out of the contacts' order,
 * with unknown ids between them: each event must join to the contact named,
 * whichever way the reader finds it.
 */
static void joins_in_any_order(void)
{
	char path[256];
	mql_contacts *c = NULL;
	mql_error err;
	write_temp(path, sizeof path, "contact_id\nab\nabc\na\nb\nabcd\n");
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&c, path, NULL, MQL_TIME_NONE, NULL, &err),
		0);
	unlink(path);
	mql_events *r;
	CU_ASSERT_EQUAL_FATAL(open_events(&r, c,
					  "contact_id,event,occurred_at\n"
					  "ab,x,2026-01-01\n"
					  "a,x,2026-01-01\n"
					  "abc,x,2026-01-01\n"
					  "a,x,2026-01-01\n"
					  "abcd,x,2026-01-01\n"
					  "ab,x,2026-01-01\n"
					  "zz,x,2026-01-01\n"
					  "b,x,2026-01-01\n"
					  "abcde,x,2026-01-01\n"
					  "abcd,x,2026-01-01\n"
					  "abc,x,2026-01-01\n",
					  &err),
			      0);
	/* rows: ab 0, abc 1, a 2, b 3, abcd 4; zz and abcde are unknown */
	const unsigned expected[] = {0, 2, 1, 2, 4, 0, 3, 4, 1};
	mql_event ev;
	size_t n = 0;
	while (mql_events_next(r, &ev, &err) == 1 && n < 9)
		CU_ASSERT_EQUAL(ev.contact, expected[n++]);
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT_EQUAL(mql_events_get_stats(r)->unknown_contact, 2);
	mql_events_close(r);
	mql_contacts_free(c);
}

/*
 * Ids around the table's inline length (19 bytes) and past it: an
 * 18-character Salesforce id and its 15-character prefix, two ids that
 * share their first 19 bytes, ids of 19 and 18 bytes that are prefixes of
 * them, and an id too long for the reader's copies.  Two unknown ids
 * extend known ones.  Each contact's row and created_at come from the
 * table: contact r was created on 2026-01-(10 + r) and has one event on
 * 2026-01-12, so rows 3 to 6 are the events before their created_at (4 of
 * them).  A repeated id takes the row and created_at of the row before.
 */
static void joins_ids_of_any_length(void)
{
	static const char *ids[] = {
		"00Q5g00000ABCDEFGH",	/* 18, Salesforce */
		"00Q5g00000ABCDE",	/* 15, its case-sensitive form */
		"0123456789abcdefghiA", /* 20, first 19 shared */
		"0123456789abcdefghiB", /* 20 */
		"0123456789abcdefghi",	/* 19 */
		"0123456789abcdefgh",	/* 18 */
		"x0123456789012345678901234567890123456789012345678", /* 50 */
	};
	size_t n = sizeof ids / sizeof *ids;
	char text[2048], path[256];
	size_t len =
		(size_t)snprintf(text, sizeof text, "contact_id,created_at\n");
	for (size_t r = 0; r < n; r++)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"%s,2026-01-%02zu\n", ids[r], 10 + r);
	write_temp(path, sizeof path, text);
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&c, path, NULL, MQL_TIME_NONE, NULL, &err),
		0);
	unlink(path);
	len = (size_t)snprintf(text, sizeof text,
			       "contact_id,occurred_at,event\n");
	for (size_t k = n; k-- > 0;)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"%s,2026-01-12,visit\n", ids[k]);
	len += (size_t)snprintf(text + len, sizeof text - len,
				"%s,2026-01-12,visit\n"
				"0123456789abcdefghiC,2026-01-12,visit\n"
				"00Q5g00000ABCDEFGHI,2026-01-12,visit\n",
				ids[0]);
	mql_events *r;
	CU_ASSERT_EQUAL_FATAL(open_events(&r, c, text, &err), 0);
	mql_event ev;
	for (size_t k = n; k-- > 0;) {
		CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
		CU_ASSERT_EQUAL(ev.contact, k);
	}
	CU_ASSERT_EQUAL_FATAL(mql_events_next(r, &ev, &err), 1);
	CU_ASSERT_EQUAL(ev.contact, 0);
	CU_ASSERT_EQUAL(mql_events_next(r, &ev, &err), 0);
	const mql_events_stats *stats = mql_events_get_stats(r);
	CU_ASSERT_EQUAL(stats->unknown_contact, 2);
	CU_ASSERT_EQUAL(stats->before_created, 4);
	mql_events_close(r);
	mql_contacts_free(c);
}

CU_TestInfo test_events[] = {
	{"joins in any order", joins_in_any_order},
	{"joins events to contacts", joins_events_to_contacts},
	{"joins ids of any length", joins_ids_of_any_length},
	{"rejects bad events", rejects_bad_events},
	{"summarizes in ranges", summarizes_in_ranges},
	{"reports the first error in file order",
	 reports_first_error_in_file_order},
	CU_TEST_INFO_NULL,
};
