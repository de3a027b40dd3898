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

/* Writes text to a temporary file named into path (caller unlinks). */
static void write_temp(char *path, size_t n, const char *text)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, n, "%s/mqlcal-events-XXXXXX", dir ? dir : "/tmp");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	size_t len = strlen(text);
	CU_ASSERT_FATAL(write(fd, text, len) == (ssize_t)len);
	close(fd);
}

static mql_contacts *load_contacts(void)
{
	char path[256];
	mql_contacts *c = NULL;
	mql_error err;
	write_temp(path, sizeof path,
		   "contact_id,created_at\na,2026-01-10\nb,2026-01-01\n");
	CU_ASSERT_EQUAL(mql_contacts_load(&c, path, NULL, MQL_TIME_NONE, &err),
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

CU_TestInfo test_events[] = {
	{"joins events to contacts", joins_events_to_contacts},
	{"rejects bad events", rejects_bad_events},
	CU_TEST_INFO_NULL,
};
