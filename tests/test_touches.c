/*
 * test_touches.c - the touch table read in parts: joining the tables of two
 * parts of an events stream, and reading a file on several threads, give
 * the table of one reading from start to end.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/attribution.h>

#include "fake_tables.h"
#include "temp_file.h"

#define ROWS 300

/* Name of campaign index i, "" for none (-1). */
static const char *name_of(const mql_dict *names, int32_t i)
{
	const char *name = i >= 0 ? mql_dict_name(names, i) : "";
	return name ? name : "?";
}

/* Every credit of every row, stage and model of a and b are the same, by
 * campaign name. */
static int same_credits(mql_touches *a, mql_touches *b)
{
	const mql_contacts *c = mql_touches_contacts(a);
	const mql_dict *na = mql_touches_campaigns(a);
	const mql_dict *nb = mql_touches_campaigns(b);
	int32_t ca[64], cb[64];
	double wa[64], wb[64];
	for (size_t row = 0; row < c->count; row++) {
		if (mql_touches_max_credits(a, row) > 64 ||
		    mql_touches_max_credits(b, row) > 64)
			return 0;
		for (int s = 0; s < MQL_TOUCH_STAGES; s++)
			for (int m = 0; m < 4; m++) {
				size_t ka, kb;
				if (mql_touches_credit(a, row,
						       mql_touch_stage[s], m,
						       ca, wa, &ka) ||
				    mql_touches_credit(b, row,
						       mql_touch_stage[s], m,
						       cb, wb, &kb) ||
				    ka != kb)
					return 0;
				for (size_t i = 0; i < ka; i++)
					if (wa[i] != wb[i] ||
					    strcmp(name_of(na, ca[i]),
						   name_of(nb, cb[i])) != 0)
						return 0;
			}
	}
	return 1;
}

/* Contacts with origin campaigns and stages at random, fixed seed. */
static mql_contacts *random_contacts(mql_dict *names)
{
	mql_contacts *c = fake_contacts_new(ROWS);
	char name[16];
	for (int k = 0; k < 20; k++) {
		snprintf(name, sizeof name, "c%02d", k);
		fake_intern(names, name);
		if (k < 5)
			fake_intern(&c->campaigns, name);
	}
	srand(7);
	mql_time base = fake_date(2025, 1, 1);
	for (size_t i = 0; i < ROWS; i++) {
		c->campaign[i] = rand() % 3 ? rand() % 5 : -1;
		c->stage_at[MQL_STAGE_CREATED][i] = base;
		mql_time at = base;
		for (int s = 1; s < MQL_TOUCH_STAGES; s++) {
			if (rand() % 3 == 0)
				break;
			at += (rand() % 30 + 1) * MQL_SECONDS_PER_DAY;
			c->stage_at[mql_touch_stage[s]][i] = at;
		}
	}
	return c;
}

/*
 * 4,000 random events (ties in time included, campaigns the contacts do not
 * know among them) cut at several places: the first part's table joined
 * with the second's is the table of the whole stream.
 */
static void joined_parts_equal_one_reading(void)
{
	mql_dict names;
	mql_dict_init(&names);
	mql_contacts *c = random_contacts(&names);
	enum { EVENTS = 4000 };
	mql_event *ev = malloc(EVENTS * sizeof *ev);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	mql_time base = fake_date(2025, 1, 1);
	for (int e = 0; e < EVENTS; e++)
		ev[e] = (mql_event){(uint32_t)(rand() % ROWS), 0,
				    rand() % 5 ? rand() % 20 : -1,
				    base + (rand() % 90) * MQL_SECONDS_PER_DAY};
	const int cuts[] = {0, 1, 1999, 3999, EVENTS};
	for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
		mql_touches *whole, *first, *second;
		CU_ASSERT_EQUAL_FATAL(mql_touches_new(&whole, c), 0);
		CU_ASSERT_EQUAL_FATAL(mql_touches_new(&first, c), 0);
		CU_ASSERT_EQUAL_FATAL(mql_touches_new(&second, c), 0);
		for (int e = 0; e < EVENTS; e++) {
			CU_ASSERT_EQUAL(mql_touches_add(whole, &names, &ev[e]),
					0);
			CU_ASSERT_EQUAL(
				mql_touches_add(e < cuts[k] ? first : second,
						&names, &ev[e]),
				0);
		}
		CU_ASSERT_EQUAL(mql_touches_join(first, second), 0);
		CU_ASSERT(same_credits(first, whole));
		/* the campaigns in the same order of first sight */
		const mql_dict *a = mql_touches_campaigns(first);
		const mql_dict *b = mql_touches_campaigns(whole);
		CU_ASSERT_EQUAL(a->count, b->count);
		for (size_t i = 0; i < a->count && i < b->count; i++)
			CU_ASSERT_STRING_EQUAL(a->names[i], b->names[i]);
		mql_touches_free(whole);
		mql_touches_free(first);
		mql_touches_free(second);
	}
	free(ev);
	mql_dict_release(&names);
	fake_contacts_free(c);
}

/*
 * A file of 6,000 events in random order, with unknown contacts and rows
 * without a campaign: read on 2, 3 and 4 threads it gives the table and
 * the statistics of one thread.
 */
static void threads_equal_one_thread(void)
{
	char contacts_path[256], events_path[256];
	size_t cap = 64 * ROWS + 64;
	char *text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	size_t len = (size_t)snprintf(text, cap,
				      "contact_id,created_at,"
				      "campaign,mql_at\n");
	srand(11);
	for (int i = 0; i < ROWS; i++)
		len += (size_t)snprintf(
			text + len, cap - len, "p%d,2025-01-01,%s,%s\n", i,
			rand() % 3 ? "c01" : "",
			rand() % 2 ? "2025-02-15T10:00:00Z" : "");
	temp_file_write(contacts_path, sizeof contacts_path, "mqlcal-touches",
			text, len);
	free(text);
	cap = 64 * 6000 + 64;
	text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	len = (size_t)snprintf(text, cap,
			       "contact_id,occurred_at,event,"
			       "campaign\n");
	for (int e = 0; e < 6000; e++) {
		int campaign = rand() % 25;
		len += (size_t)snprintf(
			text + len, cap - len,
			"%s%d,2025-%02d-%02dT%02d:00:00Z,visit,%s%d\n",
			rand() % 50 ? "p" : "unknown", rand() % ROWS,
			rand() % 4 + 1, rand() % 28 + 1, rand() % 24,
			campaign < 3 ? "" : "k", campaign);
	}
	temp_file_write(events_path, sizeof events_path, "mqlcal-touches", text,
			len);
	free(text);
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_contacts_load(&c, contacts_path, NULL,
						MQL_TIME_NONE, NULL, &err),
			      0);
	mql_touches *one;
	mql_events_stats one_stats;
	CU_ASSERT_EQUAL_FATAL(mql_touches_new(&one, c), 0);
	CU_ASSERT_EQUAL_FATAL(
		mql_touches_scan(one, events_path, NULL, 1, &one_stats, &err),
		0);
	CU_ASSERT_EQUAL(one_stats.rows, 6000);
	CU_ASSERT(one_stats.unknown_contact > 0);
	for (int threads = 2; threads <= 4; threads++) {
		mql_touches *many;
		mql_events_stats stats;
		CU_ASSERT_EQUAL_FATAL(mql_touches_new(&many, c), 0);
		CU_ASSERT_EQUAL_FATAL(mql_touches_scan(many, events_path, NULL,
						       threads, &stats, &err),
				      0);
		CU_ASSERT(same_credits(many, one));
		CU_ASSERT_EQUAL(stats.rows, one_stats.rows);
		CU_ASSERT_EQUAL(stats.unknown_contact,
				one_stats.unknown_contact);
		CU_ASSERT_EQUAL(stats.first, one_stats.first);
		CU_ASSERT_EQUAL(stats.last, one_stats.last);
		mql_touches_free(many);
	}
	mql_touches_free(one);
	mql_contacts_free(c);
	unlink(contacts_path);
	unlink(events_path);
}

CU_TestInfo test_touches[] = {
	{"joined parts equal one reading", joined_parts_equal_one_reading},
	{"threads equal one thread", threads_equal_one_thread},
	CU_TEST_INFO_NULL,
};
