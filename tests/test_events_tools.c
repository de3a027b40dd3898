/* test_events_tools.c - the end of a history, which mql-score takes for its
 * default --as-of: the later of the contacts' dates and the last event. */
#include <CUnit/CUnit.h>
#include <string.h>

#include <mqlcal/events.h>

/* Two contacts whose only dates are created_at 100 and 300 (seconds since
 * the epoch); the other stages are empty. */
static mql_time created[2] = {100, 300};
static mql_time empty[2] = {MQL_TIME_NONE, MQL_TIME_NONE};

static void two_contacts(mql_contacts *c, mql_time *created_at)
{
	memset(c, 0, sizeof *c);
	c->count = 2;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		c->stage_at[s] = empty;
	c->stage_at[MQL_STAGE_CREATED] = created_at;
}

static void test_history_end(void)
{
	mql_contacts c;
	mql_events_stats stats;
	memset(&stats, 0, sizeof stats);
	two_contacts(&c, created);
	/* no events file, or one without rows: the contacts' 300 */
	CU_ASSERT_EQUAL(mql_events_history_end(&c, NULL), 300);
	stats.first = stats.last = MQL_TIME_NONE;
	CU_ASSERT_EQUAL(mql_events_history_end(&c, &stats), 300);
	/* an event before 300 changes nothing, one after it is the end */
	stats.first = 50;
	stats.last = 200;
	CU_ASSERT_EQUAL(mql_events_history_end(&c, &stats), 300);
	stats.last = 400;
	CU_ASSERT_EQUAL(mql_events_history_end(&c, &stats), 400);
	/* contacts without a date: the events alone, or nothing */
	two_contacts(&c, empty);
	CU_ASSERT_EQUAL(mql_events_history_end(&c, &stats), 400);
	CU_ASSERT_EQUAL(mql_events_history_end(&c, NULL), MQL_TIME_NONE);
}

CU_TestInfo test_events_tools[] = {
	{"the end of a history: contacts' dates or the last event",
	 test_history_end},
	CU_TEST_INFO_NULL,
};
