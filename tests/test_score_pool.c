/*
 * test_score_pool.c - scoring a table's rows on several threads gives, row
 * by row and in row order, what mql_scorer_score_row gives on one.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/score.h>
#include <mqlcal/timeline.h>

#include "temp_file.h"

#define ROWS 2000

static const char rules_text[] =
	"{\"format\": \"mqlcal.rules/1\", \"threshold\": 20,"
	" \"fit\": [{\"id\": \"vp\", \"property\": \"title\", \"op\": \"in\","
	" \"values\": [\"VP\"], \"points\": 15}],"
	" \"engagement\": [{\"id\": \"demo\", \"event\": \"demo\", \"points\": "
	"10,"
	" \"half_life_days\": 30, \"max_count\": 2},"
	" {\"id\": \"visit\", \"event\": \"visit\", \"points\": 2,"
	" \"window_days\": 14}]}";

typedef struct collected {
	mql_score_result *results;
	size_t next_row; /* rows must come in order */
	int in_order;
} collected;

static int collect(void *context, size_t row, const mql_score_result *r)
{
	collected *c = context;
	c->in_order &= row == c->next_row;
	c->next_row = row + 1;
	c->results[row] = *r;
	return MQL_OK;
}

static int same_result(const mql_score_result *a, const mql_score_result *b)
{
	return a->score == b->score && a->mql == b->mql &&
	       a->mql_at == b->mql_at && a->fit_score == b->fit_score &&
	       a->engagement_score == b->engagement_score;
}

/* 2,000 contacts, a third without events, events in random order. */
static void threads_score_as_one_row_at_a_time(void)
{
	char contacts_path[256], events_path[256];
	size_t cap = 64 * ROWS + 64, len;
	char *text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	len = (size_t)snprintf(text, cap, "contact_id,created_at,title\n");
	for (int i = 0; i < ROWS; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"p%d,2026-01-%02d,%s\n", i, i % 28 + 1,
					i % 4 ? "analyst" : "VP");
	temp_file_write(contacts_path, sizeof contacts_path, "mqlcal-pool",
			text, len);
	free(text);
	cap = 64 * 20000 + 64;
	text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	len = (size_t)snprintf(text, cap, "contact_id,occurred_at,event\n");
	srand(3);
	for (int e = 0; e < 20000; e++) {
		int row = rand() % ROWS;
		if (row % 3 == 0)
			row++; /* every third contact has no events */
		len += (size_t)snprintf(text + len, cap - len,
					"p%d,2026-%02d-%02dT%02d:00:00Z,%s\n",
					row % ROWS, rand() % 5 + 1,
					rand() % 28 + 1, rand() % 24,
					rand() % 3 ? "visit" : "demo");
	}
	temp_file_write(events_path, sizeof events_path, "mqlcal-pool", text,
			len);
	free(text);

	mql_error err;
	mql_rules *rules = NULL;
	mql_contacts *contacts = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_rules_parse(&rules, rules_text,
					      strlen(rules_text), "rules",
					      &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_contacts_load(&contacts, contacts_path, NULL,
						MQL_TIME_NONE, NULL, &err),
			      0);
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	mql_time as_of = 1780272000; /* date -u -d 2026-06-01 +%s */

	/* One thread, row by row, as the reference. */
	mql_score_result *want = calloc(ROWS, sizeof *want);
	mql_timeline *t = NULL;
	mql_scorer *scorer = NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_EQUAL_FATAL(mql_timeline_open(&t, events_path, contacts, NULL,
						MQL_TIME_NONE, &topt, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_scorer_new(&scorer, rules, contacts, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(
		mql_scorer_bind_events(scorer, mql_timeline_events(t), &err),
		0);
	const mql_event *events;
	size_t count, row = 0;
	while (mql_timeline_next_contact(t, &events, &count, &err) == 1) {
		for (; row < events[0].contact; row++)
			CU_ASSERT_EQUAL(mql_scorer_score_row(
						scorer, row, NULL, 0, as_of,
						&want[row], NULL, NULL),
					0);
		CU_ASSERT_EQUAL(mql_scorer_score_row(scorer, row, events, count,
						     as_of, &want[row], NULL,
						     NULL),
				0);
		row++;
	}
	for (; row < ROWS; row++)
		CU_ASSERT_EQUAL(mql_scorer_score_row(scorer, row, NULL, 0,
						     as_of, &want[row], NULL,
						     NULL),
				0);
	mql_scorer_free(scorer);
	mql_timeline_close(t);

	for (int scorers = 1; scorers <= 3; scorers++) {
		collected got = {calloc(ROWS, sizeof *got.results), 0, 1};
		int started = 0;
		CU_ASSERT_PTR_NOT_NULL_FATAL(got.results);
		CU_ASSERT_EQUAL_FATAL(
			mql_timeline_open(&t, events_path, contacts, NULL,
					  MQL_TIME_NONE, &topt, &err),
			0);
		CU_ASSERT_EQUAL(mql_score_timeline_rows(t, rules, contacts,
							as_of, scorers, collect,
							&got, &started, &err),
				0);
		CU_ASSERT(started >= 1);
		CU_ASSERT(got.in_order);
		CU_ASSERT_EQUAL(got.next_row, ROWS);
		int same = 1;
		for (size_t i = 0; i < ROWS; i++)
			same &= same_result(&got.results[i], &want[i]);
		CU_ASSERT(same);
		mql_timeline_close(t);
		free(got.results);
	}
	size_t mqls = 0;
	for (size_t i = 0; i < ROWS; i++)
		mqls += (size_t)want[i].mql;
	CU_ASSERT(mqls > 0 && mqls < ROWS); /* the test sees both kinds */
	free(want);
	mql_contacts_free(contacts);
	mql_rules_free(rules);
	unlink(contacts_path);
	unlink(events_path);
}

CU_TestInfo test_score_pool[] = {
	{"threads score as one row at a time",
	 threads_score_as_one_row_at_a_time},
	CU_TEST_INFO_NULL,
};
