/*
 * test_check.c - the data-quality summary on a six-lead history whose
 * counts are worked out by hand in the comments.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/check.h>

#include "temp_file.h"

static const char contacts_text[] =
	"contact_id,created_at,channel,campaign,mql_at,sal_at,rejected_at,"
	"sql_at\n"
	"a,2026-01-01,web,spring,2026-01-05,2026-01-06,,2026-01-10\n"
	"b,2026-01-02,web,,2026-01-07,,2026-01-08,\n"
	"c,2026-01-03,events,fair,2026-01-09,,,\n"
	"d,2026-01-04,events,fair,,,,\n"
	"e,,web,spring,,,,\n"
	"f,2026-01-06,,,2026-01-02,,,\n";

static const char events_text[] = "contact_id,occurred_at,event\n"
				  "a,2026-01-02,page_view\n"
				  "a,2026-01-03,page_view\n"
				  "b,2026-01-01,demo_request\n"
				  "x,2026-01-05,page_view\n"
				  "c,2030-01-01,page_view\n";

static const char spend_text[] = "campaign,channel,month,amount\n"
				 "spring,web,2026-01,1000\n"
				 "fair,events,2026-01,250.5\n";

static void write_temp(char *path, size_t n, const char *text)
{
	temp_file_write(path, n, "mqlcal-check", text, strlen(text));
}

static const mql_check_item *find(const mql_check_report *r,
				  const char *section, const char *item)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].section, section) == 0 &&
		    strcmp(r->items[i].item, item) == 0)
			return &r->items[i];
	return NULL;
}

/* Asserts the count (and the share, unless share is NAN) of an item. */
static void expect(const mql_check_report *r, const char *section,
		   const char *item, double count, double share)
{
	const mql_check_item *it = find(r, section, item);
	CU_ASSERT_PTR_NOT_NULL(it);
	if (!it) {
		fprintf(stderr, "\n  no item %s/%s\n", section, item);
		return;
	}
	if (isnan(count)) {
		CU_ASSERT(isnan(it->count));
		return;
	}
	CU_ASSERT_DOUBLE_EQUAL(it->count, count, 1e-9);
	if (!isnan(share))
		CU_ASSERT_DOUBLE_EQUAL(it->share, share, 1e-12);
	if (fabs(it->count - count) > 1e-9)
		fprintf(stderr, "\n  %s/%s = %g, expected %g\n", section, item,
			it->count, count);
}

static void summarises_history(void)
{
	char contacts[256], events[256], spend[256];
	mql_check_report r;
	mql_error err;
	write_temp(contacts, sizeof contacts, contacts_text);
	write_temp(events, sizeof events, events_text);
	write_temp(spend, sizeof spend, spend_text);
	/* reference time 2027-01-01: date -u -d 2027-01-01 +%s */
	int status = mql_check_run(&r, contacts, events, spend, NULL,
				   1798761600, &err);
	unlink(contacts);
	unlink(events);
	unlink(spend);
	CU_ASSERT_EQUAL_FATAL(status, 0);
	expect(&r, "files", "contacts", 6, NAN);
	/* created_at on a, b, c, d, f; mql_at on a, b, c, f */
	expect(&r, "stages", "created_at", 5, 5.0 / 6);
	expect(&r, "stages", "mql_at", 4, 4.0 / 6);
	expect(&r, "stages", "sal_at", 1, 1.0 / 6);
	expect(&r, "stages", "opportunity_at", NAN, NAN);
	/* among the 4 MQLs: a accepted, b rejected, c and f open */
	expect(&r, "outcomes", "accepted", 1, 0.25);
	expect(&r, "outcomes", "rejected", 1, 0.25);
	expect(&r, "outcomes", "open", 2, 0.5);
	expect(&r, "channels", "web", 3, 0.5);
	expect(&r, "channels", "events", 2, 2.0 / 6);
	expect(&r, "channels", "(missing)", 1, 1.0 / 6);
	expect(&r, "campaigns", "spring", 2, 2.0 / 6);
	expect(&r, "campaigns", "(missing)", 2, 2.0 / 6);
	/* f reached MQL before it was created */
	expect(&r, "quality", "stages out of order", 1, 1.0 / 6);
	expect(&r, "quality", "future dates", 0, NAN);
	expect(&r, "quality", "missing created_at", 1, 1.0 / 6);
	/* 5 leads never reached SAL: attrition, not missing values */
	CU_ASSERT_PTR_NULL(find(&r, "missing", "sal_at"));
	CU_ASSERT_PTR_NULL(find(&r, "missing", "mql_at"));
	expect(&r, "missing", "created_at", 1, 1.0 / 6);
	expect(&r, "missing", "campaign", 2, 2.0 / 6);
	CU_ASSERT_PTR_NULL(find(&r, "missing", "contact_id"));
	/* events: 5 rows, x unknown, so 4 joined: page_view a, a, c and
	 * demo_request b (before b's creation); c's 2030 event is future */
	expect(&r, "files", "events", 5, NAN);
	expect(&r, "events", "unknown contacts", 1, 0.2);
	expect(&r, "events", "before created_at", 1, 0.25);
	expect(&r, "events", "future", 1, 0.2);
	expect(&r, "events", "page_view", 3, 0.75);
	expect(&r, "events", "demo_request", 1, 0.25);
	const mql_check_item *range = find(&r, "dates", "occurred_at");
	CU_ASSERT_PTR_NOT_NULL_FATAL(range);
	CU_ASSERT_STRING_EQUAL(range->detail,
			       "2026-01-01T00:00:00Z .. 2030-01-01T00:00:00Z");
	/* spend: 1000 + 250.5 */
	expect(&r, "files", "spend", 2, NAN);
	const mql_check_item *amount = find(&r, "spend", "amount");
	CU_ASSERT_PTR_NOT_NULL_FATAL(amount);
	CU_ASSERT(isnan(amount->count));
	CU_ASSERT_DOUBLE_EQUAL(amount->amount, 1250.5, 1e-9);
	/* warnings: f out of order, e without created_at, x unknown, b's
	 * event before creation, c's 2030 event; no fault */
	CU_ASSERT_EQUAL(r.warnings, 5);
	CU_ASSERT_EQUAL(r.faults, 0);
	expect(&r, "verdict", "usable with warnings (5 warnings)", 5, NAN);
	CU_ASSERT_STRING_EQUAL(r.items[r.count - 1].section, "verdict");
	mql_check_release(&r);
	mql_check_release(&r);
	mql_check_release(NULL);
}

static void fails_on_bad_events(void)
{
	char contacts[256], events[256];
	mql_check_report r;
	mql_error err;
	write_temp(contacts, sizeof contacts, contacts_text);
	write_temp(events, sizeof events,
		   "contact_id,occurred_at,event\na,2026-01-02,x\nb,,x\n");
	int status = mql_check_run(&r, contacts, events, NULL, NULL,
				   MQL_TIME_NONE, &err);
	unlink(contacts);
	unlink(events);
	CU_ASSERT_EQUAL(status, MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(r.count, 0);
	CU_ASSERT_STRING_EQUAL(err.file, events);
	CU_ASSERT_EQUAL(err.line, 3);
}

/* The verdict of contacts_text alone, judged at 2027-01-01. */
static void verdict_of(const char *text, mql_check_report *r)
{
	char contacts[256];
	mql_error err;
	write_temp(contacts, sizeof contacts, text);
	int status =
		mql_check_run(r, contacts, NULL, NULL, NULL, 1798761600, &err);
	unlink(contacts);
	CU_ASSERT_EQUAL_FATAL(status, 0);
}

static void gives_a_verdict(void)
{
	mql_check_report r;
	/* nothing wrong; b never became an MQL, which is not missing data */
	verdict_of("contact_id,created_at,mql_at,sal_at\n"
		   "a,2026-01-01,2026-01-02,2026-01-03\n"
		   "b,2026-01-02,,\n",
		   &r);
	CU_ASSERT_EQUAL(r.warnings, 0);
	expect(&r, "verdict", "usable", 0, NAN);
	expect(&r, "missing", "(none)", 0, NAN);
	mql_check_release(&r);
	/* no MQL at all: a fault, and a 2028 date: a warning */
	verdict_of("contact_id,created_at,mql_at\n"
		   "a,2026-01-01,\n"
		   "b,2028-01-02,\n",
		   &r);
	CU_ASSERT_EQUAL(r.faults, 1);
	CU_ASSERT_EQUAL(r.warnings, 1);
	expect(&r, "verdict", "not usable (1 fault)", 1, NAN);
	mql_check_release(&r);
}

CU_TestInfo test_check[] = {
	{"gives a verdict", gives_a_verdict},
	{"summarises a history", summarises_history},
	{"fails on bad events", fails_on_bad_events},
	CU_TEST_INFO_NULL,
};
