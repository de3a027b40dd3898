/*
 * test_points_capacity.c - the capacity threshold of mql-rules on a
 * growing history, worked out by hand.
 *
 * Four fit rules give a lead 40, 30, 20 or 10 points by its tier and no
 * rule counts events, so a lead is an MQL at threshold T from its
 * creation when its tier's points reach T.  Leads are created on the 10th:
 * January to March 2026 one of each tier a month, April to June ten of
 * each tier a month, and one tier-d lead on 2026-07-10, the history's end.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>
#include <mqlcal/points_history.h>
#include <mqlcal/rules.h>

#include "temp_file.h"

static const char rule_text[] =
	"{\"format\": \"mqlcal.rules/1\", \"threshold\": 25, \"fit\": ["
	"{\"id\": \"a\", \"property\": \"tier\", \"op\": \"in\", "
	"\"values\": [\"a\"], \"points\": 40},"
	"{\"id\": \"b\", \"property\": \"tier\", \"op\": \"in\", "
	"\"values\": [\"b\"], \"points\": 30},"
	"{\"id\": \"c\", \"property\": \"tier\", \"op\": \"in\", "
	"\"values\": [\"c\"], \"points\": 20},"
	"{\"id\": \"d\", \"property\": \"tier\", \"op\": \"in\", "
	"\"values\": [\"d\"], \"points\": 10}]}";

struct history {
	char contacts[256], events[256];
	mql_contacts *table;
	mql_rules *rules;
};

/* Writes the history above and reads it. */
static void history_open(struct history *h)
{
	static const char tiers[] = "abcd";
	size_t size = 64 * 200, used = 0;
	char *text = malloc(size);
	CU_ASSERT_FATAL(text != NULL);
	used += (size_t)snprintf(text, size, "contact_id,created_at,tier\n");
	int id = 0;
	for (int month = 1; month <= 6; month++)
		for (int copy = 0; copy < (month <= 3 ? 1 : 10); copy++)
			for (int t = 0; t < 4; t++)
				used += (size_t)snprintf(
					text + used, size - used,
					"c%d,2026-%02d-10T09:00:00Z,%c\n", ++id,
					month, tiers[t]);
	used += (size_t)snprintf(text + used, size - used,
				 "c%d,2026-07-10T09:00:00Z,d\n", ++id);
	temp_file_write(h->contacts, sizeof h->contacts, "capacity-contacts",
			text, used);
	free(text);
	static const char events[] = "contact_id,occurred_at,event\n";
	temp_file_write(h->events, sizeof h->events, "capacity-events", events,
			strlen(events));
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	mql_error err;
	CU_ASSERT_FATAL(mql_contacts_load(&h->table, h->contacts, &csv,
					  MQL_TIME_NONE, NULL, &err) == MQL_OK);
	CU_ASSERT_FATAL(mql_rules_parse(&h->rules, rule_text, strlen(rule_text),
					"rules.json", &err) == MQL_OK);
}

static void history_close(struct history *h)
{
	mql_contacts_free(h->table);
	mql_rules_free(h->rules);
	unlink(h->contacts);
	unlink(h->events);
}

static int capacity(mql_points_capacity_result *out, struct history *h,
		    double per_month, int months)
{
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	mql_error err;
	int status = mql_points_capacity(out, h->rules, h->table, h->events,
					 &csv, per_month, months, &err);
	if (status)
		fprintf(stderr, "capacity: %s\n", err.message);
	return status;
}

/*
 * 20 a month over April to June: at T = 21 tiers a and b, 20 a month; at
 * T = 11 tier c too, 30 a month.  So T = 21, 20 expected in each month.
 * Over the whole history (181 days, 5.95 months: at most 118 MQLs) the
 * threshold would be 11: 96 + 3 MQLs, 30 a month in the recent months.
 */
static void recent_months_set_the_threshold(void)
{
	struct history h;
	history_open(&h);
	mql_points_capacity_result r;
	CU_ASSERT_FATAL(capacity(&r, &h, 20, 3) == MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.threshold, 21, 0);
	CU_ASSERT_EQUAL(r.month_count, 3);
	char label[16];
	CU_ASSERT_STRING_EQUAL(
		mql_time_month_label(r.month_start[0], label, sizeof label),
		"2026-04");
	CU_ASSERT_STRING_EQUAL(
		mql_time_month_label(r.month_start[2], label, sizeof label),
		"2026-06");
	for (size_t i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(r.month_mqls[i], 20);
	CU_ASSERT_DOUBLE_EQUAL(r.mqls_per_month, 20, 1e-12);
	char line[512];
	CU_ASSERT_STRING_EQUAL(
		mql_points_capacity_describe(&r, line, sizeof line),
		"calibrated on the 3 complete months before the history's "
		"end 2026-07-10; expected MQLs: 2026-04 20, 2026-05 20, "
		"2026-06 20 (20.0 per month)");
	/* 30 a month fits tier c as well */
	CU_ASSERT_FATAL(capacity(&r, &h, 30, 3) == MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.threshold, 11, 0);
	CU_ASSERT_EQUAL(r.month_mqls[1], 30);
	/* the whole history, as before */
	CU_ASSERT_FATAL(capacity(&r, &h, 20, 0) == MQL_OK);
	CU_ASSERT_EQUAL(r.month_count, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.months, 181 / 30.436875, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.threshold, 11, 0);
	CU_ASSERT_DOUBLE_EQUAL(r.mqls_per_month, 99 / r.months, 1e-12);
	history_close(&h);
}

/* Twelve months asked, five complete ones after the start (January 10):
 * February to June, 3, 3, 30, 30, 30 at T = 11 (96 <= 100; T = 10 gives
 * 128). */
static void short_history_uses_its_complete_months(void)
{
	struct history h;
	history_open(&h);
	mql_points_capacity_result r;
	CU_ASSERT_FATAL(capacity(&r, &h, 20, 12) == MQL_OK);
	CU_ASSERT_EQUAL(r.month_count, 5);
	char label[16];
	CU_ASSERT_STRING_EQUAL(
		mql_time_month_label(r.month_start[0], label, sizeof label),
		"2026-02");
	CU_ASSERT_DOUBLE_EQUAL(r.threshold, 11, 0);
	static const long expected[] = {3, 3, 30, 30, 30};
	for (size_t i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(r.month_mqls[i], expected[i]);
	cJSON *months = mql_points_capacity_json(&r);
	CU_ASSERT_FATAL(months != NULL);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(months), 5);
	cJSON_Delete(months);
	/* out of range */
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	mql_error err;
	CU_ASSERT_EQUAL(mql_points_capacity(&r, h.rules, h.table, h.events,
					    &csv, 20, 25, &err),
			MQL_ERR_USAGE);
	history_close(&h);
}

CU_TestInfo test_points_capacity[] = {
	{"recent months set the threshold", recent_months_set_the_threshold},
	{"short history uses its complete months",
	 short_history_uses_its_complete_months},
	CU_TEST_INFO_NULL,
};
