/*
 * test_decay.c - every decay kind of the score formula against the direct
 * sum D(t) = sum of w(t - t_e), through both ways the library computes it:
 * the crossing search of mql_scorer_score_events, which carries D forward
 * or drops expired events (score.h states the contract it relies on), and
 * the fixed-time accumulator the fit's features are built with.
 *
 * One history for every kind: events on days 0, 1, 10, 11, 11.5 and 12,
 * as of day 13.5.  The expected sums were computed with Python from the
 * definitions (w = 1; 0.5^(a/h); max(0, 1 - a/L); 1 if a < W else 0):
 *   none:             D(12) = 6,                  D(13.5) = 6
 *   half-life h = 2:  D(12) = 3.0857252833523416, D(13.5) = 1.834783230953196
 *   lifespan L = 5:   D(12) = 3.3,                D(13.5) = 2.1
 *   window W = 3:     D(12) = 4,                  D(13.5) = 3
 * D at each event time is largest at day 12 for every kind, so a threshold
 * just under D(12) is first crossed by the last event, after the lifespan
 * and window have dropped the events of days 0 and 1.
 */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/rules.h>
#include <mqlcal/score.h>

#define DAY MQL_SECONDS_PER_DAY
#define T0  ((mql_time)1772323200) /* 2026-03-01T00:00:00Z */

static const double event_days[] = {0, 1, 10, 11, 11.5, 12};
#define EVENTS	(sizeof event_days / sizeof *event_days)
#define AS_OF	13.5
#define LAST_AT 12.0

typedef struct decay_case {
	const char *name;
	mql_decay_kind kind;
	double days;
	double at_last;	 /* D(12) by the formula */
	double at_as_of; /* D(13.5) by the formula */
} decay_case;

static const decay_case cases[] = {
	{"none", MQL_DECAY_NONE, 0, 6, 6},
	{"half-life", MQL_DECAY_HALF_LIFE, 2, 3.0857252833523416,
	 1.834783230953196},
	{"lifespan", MQL_DECAY_LIFESPAN, 5, 3.3, 2.1},
	{"window", MQL_DECAY_WINDOW, 3, 4, 3},
};

static int32_t intern_one(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return 0;
}

/* One engagement rule of the case's decay, 1 point an event, no cap. */
static mql_rules *rules_of(const decay_case *c, double threshold)
{
	mql_rules *r = mql_rules_new();
	mql_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r->threshold = threshold;
	mql_rule *rule = mql_rules_add_engagement(r, "visit", "visit", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
	rule->decay = c->kind;
	rule->decay_days = c->days;
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), 0);
	return r;
}

static mql_time day(double d)
{
	return T0 + (mql_time)(d * DAY);
}

static void crossing_carries_the_direct_sum(void)
{
	mql_event ev[EVENTS];
	for (size_t i = 0; i < EVENTS; i++)
		ev[i] = (mql_event){0, 0, -1, day(event_days[i])};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		const decay_case *c = &cases[k];
		mql_rules *r = rules_of(c, c->at_last - 1e-9);
		mql_scorer *s = NULL;
		mql_error err;
		mql_score_result out;
		CU_ASSERT_EQUAL_FATAL(mql_scorer_new(&s, r, NULL, &err), 0);
		CU_ASSERT_EQUAL(
			mql_scorer_bind_types(s, intern_one, NULL, &err), 0);
		CU_ASSERT_EQUAL(mql_scorer_score_events(s, 0, day(-1), ev,
							EVENTS, day(AS_OF),
							&out, NULL, NULL),
				0);
		if (out.mql != 1 || out.mql_at != day(LAST_AT) ||
		    fabs(out.mql_score - c->at_last) > 1e-12)
			fprintf(stderr, "\n%s: mql %d at %lld score %.17g\n",
				c->name, out.mql, (long long)out.mql_at,
				out.mql_score);
		CU_ASSERT_EQUAL(out.mql, 1);
		CU_ASSERT_EQUAL(out.mql_at, day(LAST_AT));
		CU_ASSERT_EQUAL(out.mql_event, (int32_t)EVENTS - 1);
		CU_ASSERT_DOUBLE_EQUAL(out.mql_score, c->at_last, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(out.engagement_score, c->at_as_of,
				       1e-12);
		mql_scorer_free(s);
		mql_rules_free(r);
	}
}

/* The accumulator takes the events in reverse order: D is a sum. */
static void accumulator_takes_the_direct_sum(void)
{
	const mql_time at[2] = {day(LAST_AT), day(AS_OF)};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		const decay_case *c = &cases[k];
		mql_rules *r = rules_of(c, 100);
		mql_scorer *s = NULL;
		mql_accum *a = NULL;
		mql_error err;
		CU_ASSERT_EQUAL_FATAL(mql_scorer_new(&s, r, NULL, &err), 0);
		CU_ASSERT_EQUAL(
			mql_scorer_bind_types(s, intern_one, NULL, &err), 0);
		CU_ASSERT_EQUAL_FATAL(mql_accum_new(&a, s, at, 2, &err), 0);
		for (size_t i = EVENTS; i-- > 0;)
			for (uint32_t row = 0; row < 2; row++)
				mql_accum_add(a,
					      &(mql_event){row, 0, -1,
							   day(event_days[i])});
		CU_ASSERT_DOUBLE_EQUAL(mql_accum_decayed(a, 0, 0), c->at_last,
				       1e-12);
		CU_ASSERT_DOUBLE_EQUAL(mql_accum_decayed(a, 1, 0), c->at_as_of,
				       1e-12);
		mql_accum_free(a);
		mql_scorer_free(s);
		mql_rules_free(r);
	}
}

CU_TestInfo test_decay[] = {
	{"the crossing carries the direct sum of every decay kind",
	 crossing_carries_the_direct_sum},
	{"the accumulator takes the direct sum of every decay kind",
	 accumulator_takes_the_direct_sum},
	CU_TEST_INFO_NULL,
};
