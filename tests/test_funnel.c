/*
 * test_funnel.c - Wilson intervals against the worked values of the
 * reference data's README, and the funnel of a hand-made fixture
 * (tests/fixtures/funnel/contacts.csv) with every number worked by hand.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/funnel.h>

#include "fake_tables.h"

/* Wilson 95% values worked from the formula in the shared data README. */
static void wilson_matches_worked_values(void)
{
	const struct {
		size_t x, n;
		double low, high;
	} cases[] = {
		{7, 50, 0.069508, 0.261862},
		{1, 6, 0.030053, 0.563503},
		{140, 142, 0.950104, 0.996129},
		{0, 5, 0.0, 0.434482},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		mql_rate r = mql_funnel_wilson(cases[i].x, cases[i].n,
					       MQL_WILSON_Z95);
		CU_ASSERT_DOUBLE_EQUAL(r.low, cases[i].low, 5e-7);
		CU_ASSERT_DOUBLE_EQUAL(r.high, cases[i].high, 5e-7);
		CU_ASSERT_DOUBLE_EQUAL(
			r.rate, (double)cases[i].x / (double)cases[i].n, 1e-15);
	}
}

static void wilson_stays_inside_unit_interval(void)
{
	const size_t sizes[] = {1, 2, 3, 10, 1000, 1000000};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		mql_rate none = mql_funnel_wilson(0, sizes[i], MQL_WILSON_Z95);
		mql_rate all =
			mql_funnel_wilson(sizes[i], sizes[i], MQL_WILSON_Z95);
		CU_ASSERT_EQUAL(none.low, 0.0);
		CU_ASSERT(none.high > 0.0 && none.high <= 1.0);
		CU_ASSERT_EQUAL(all.high, 1.0);
		CU_ASSERT(all.low >= 0.0 && all.low < 1.0);
	}
	/* No trials: no rate at all, never 0. */
	CU_ASSERT(isnan(mql_funnel_wilson(0, 0, MQL_WILSON_Z95).rate));
	CU_ASSERT(isnan(mql_funnel_wilson(0, 0, MQL_WILSON_Z95).low));
}

static mql_contacts *load_fixture(void)
{
	mql_contacts *c = NULL;
	mql_csv_options opt;
	mql_error err;
	mql_csv_options_init(&opt);
	if (mql_contacts_load(&c, MQL_FIXTURES "/funnel/contacts.csv", &opt,
			      MQL_TIME_NONE, NULL, &err) != MQL_OK) {
		fprintf(stderr, "%s\n", err.message);
		return NULL;
	}
	return c;
}

static mql_time march_31(void)
{
	return mql_time_days_from_civil(2026, 3, 31) * MQL_SECONDS_PER_DAY;
}

static const mql_funnel_group *group_named(const mql_funnel *f,
					   const char *label)
{
	for (size_t k = 0; k < f->group_count; k++)
		if (strcmp(f->groups[k].labels[f->label_count - 1], label) == 0)
			return &f->groups[k];
	return NULL;
}

/*
 * By channel as of 2026-03-31 (lead 7 is created later and left out):
 * web = leads 1, 2, 3; events = 4, 5; (none) = 6.
 */
static void counts_and_rates_by_channel(void)
{
	mql_contacts *c = load_fixture();
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	const mql_funnel_group *web, *events, *none;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_funnel_options_init(&opt);
	opt.by[0] = "channel";
	opt.by_count = 1;
	opt.as_of = march_31();
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL(f->created_after_as_of, 1);
	CU_ASSERT_EQUAL_FATAL(f->group_count, 3);
	/* Sorted by label, "(none)" last. */
	CU_ASSERT_STRING_EQUAL(f->groups[0].labels[0], "events");
	CU_ASSERT_STRING_EQUAL(f->groups[1].labels[0], "web");
	CU_ASSERT_STRING_EQUAL(f->groups[2].labels[0], "(none)");
	CU_ASSERT_STRING_EQUAL(f->total.labels[0], "all");
	CU_ASSERT_STRING_EQUAL(f->label_names[0], "channel");
	web = group_named(f, "web");
	events = group_named(f, "events");
	none = group_named(f, "(none)");
	CU_ASSERT_PTR_NOT_NULL_FATAL(web);
	/* web: 3 leads, MQL 1 and 2, lead 1 goes all the way, 2 rejected. */
	CU_ASSERT_EQUAL(web->count[MQL_FUNNEL_LEADS], 3);
	CU_ASSERT_EQUAL(web->count[MQL_FUNNEL_MQL], 2);
	CU_ASSERT_EQUAL(web->count[MQL_FUNNEL_SAL], 1);
	CU_ASSERT_EQUAL(web->count[MQL_FUNNEL_CUSTOMER], 1);
	CU_ASSERT_EQUAL(web->rejected, 1);
	CU_ASSERT_DOUBLE_EQUAL(web->step[MQL_STEP_LEAD_TO_MQL].rate, 2.0 / 3,
			       1e-15);
	CU_ASSERT_DOUBLE_EQUAL(web->step[MQL_STEP_MQL_TO_SAL].rate, 0.5, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(web->step[MQL_STEP_SQL_TO_OPPORTUNITY].rate, 1,
			       0);
	CU_ASSERT_EQUAL(web->step[MQL_STEP_SQL_TO_OPPORTUNITY].high, 1.0);
	/* events: no SQL, so SQL -> opportunity has no data. */
	CU_ASSERT_EQUAL(events->count[MQL_FUNNEL_MQL], 2);
	CU_ASSERT(isnan(events->step[MQL_STEP_SQL_TO_OPPORTUNITY].rate));
	/* (none): lead 6, accepted before its MQL date: counted, flagged. */
	CU_ASSERT_EQUAL(none->count[MQL_FUNNEL_SAL], 1);
	CU_ASSERT_EQUAL(none->out_of_order, 1);
	CU_ASSERT_EQUAL(f->total.count[MQL_FUNNEL_LEADS], 6);
	CU_ASSERT_EQUAL(f->total.count[MQL_FUNNEL_MQL], 5);
	CU_ASSERT_EQUAL(f->total.count[MQL_FUNNEL_SAL], 3);
	CU_ASSERT_EQUAL(f->total.out_of_order, 1);
	mql_funnel_free(f);
	mql_contacts_free(c);
}

/*
 * Days to MQL, web: lead 2 after 1 day, lead 1 after 10, lead 3 waiting
 * 80 days (Jan 10 to Mar 31).  KM: S(1) = 2/3, S(10) = 1/3: median 10,
 * p90 not reached.  Total: lead 6, its stages out of order, gives no wait
 * (its 3 days to MQL neither): waits 1, 1, 10, 20 and 80 censored; S(1) =
 * 3/5, S(10) = 3/5 * 2/3 = 2/5: median 10.
 * MQL to SAL, total: lead 4 accepted after 1 day, lead 2 rejected after 1
 * (a competing outcome), lead 1 accepted after 2, lead 5 open (43 days);
 * lead 6 is left out.  Aalen-Johansen: day 1, 4 at risk: accepted 1/4,
 * free of both 1 - 2/4 = 1/2; day 2, 2 at risk: accepted 1/4 + 1/2 * 1/2
 * = 1/2: median 2.  Lead 6's three waits are the ones left out.
 */
static void waits_by_kaplan_meier(void)
{
	mql_contacts *c = load_fixture();
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	const mql_funnel_group *web;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_funnel_options_init(&opt);
	opt.by[0] = "channel";
	opt.by_count = 1;
	opt.as_of = march_31();
	opt.keep_curves = 1;
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	web = group_named(f, "web");
	CU_ASSERT_PTR_NOT_NULL_FATAL(web);
	CU_ASSERT_EQUAL(web->wait[MQL_WAIT_TO_MQL].subjects, 3);
	CU_ASSERT_DOUBLE_EQUAL(web->wait[MQL_WAIT_TO_MQL].median, 10, 1e-12);
	CU_ASSERT(isnan(web->wait[MQL_WAIT_TO_MQL].p90));
	CU_ASSERT_PTR_NOT_NULL(web->wait[MQL_WAIT_TO_MQL].curve);
	CU_ASSERT_PTR_NULL(web->wait[MQL_WAIT_MQL_TO_SAL].curve);
	CU_ASSERT_DOUBLE_EQUAL(f->total.wait[MQL_WAIT_TO_MQL].median, 10,
			       1e-12);
	CU_ASSERT_EQUAL(f->total.wait[MQL_WAIT_MQL_TO_SAL].subjects, 4);
	CU_ASSERT_EQUAL(f->total.wait[MQL_WAIT_MQL_TO_SAL].events, 2);
	CU_ASSERT_DOUBLE_EQUAL(f->total.wait[MQL_WAIT_MQL_TO_SAL].median, 2,
			       1e-12);
	CU_ASSERT_EQUAL(f->negative_waits, 3);
	mql_funnel_free(f);
	mql_contacts_free(c);
}

/* Cohort first, then a property column; lead 5 has no segment. */
static void cohorts_and_two_columns(void)
{
	mql_contacts *c = load_fixture();
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	mql_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_funnel_options_init(&opt);
	opt.cohort = MQL_COHORT_MONTH;
	opt.by[0] = "channel";
	opt.by[1] = "segment";
	opt.by_count = 2;
	opt.as_of = march_31();
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL(f->label_count, 3);
	CU_ASSERT_STRING_EQUAL(f->label_names[0], "cohort");
	CU_ASSERT_STRING_EQUAL(f->label_names[2], "segment");
	/* 2026-01 web/ent (3), web/smb (1, 2); 2026-02 events/ent (4),
	 * events/(none) (5); 2026-03 (none)/smb (6). */
	CU_ASSERT_EQUAL_FATAL(f->group_count, 5);
	CU_ASSERT_STRING_EQUAL(f->groups[0].labels[0], "2026-01");
	CU_ASSERT_STRING_EQUAL(f->groups[0].labels[2], "ent");
	CU_ASSERT_EQUAL(f->groups[1].count[MQL_FUNNEL_LEADS], 2);
	CU_ASSERT_STRING_EQUAL(f->groups[3].labels[2], "(none)");
	CU_ASSERT_STRING_EQUAL(f->groups[4].labels[0], "2026-03");
	mql_funnel_free(f);
	opt.cohort = MQL_COHORT_QUARTER;
	opt.by_count = 0;
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL_FATAL(f->group_count, 1);
	CU_ASSERT_STRING_EQUAL(f->groups[0].labels[0], "2026-Q1");
	mql_funnel_free(f);
	opt.cohort = MQL_COHORT_NONE;
	opt.by[0] = "no_such_column";
	opt.by_count = 1;
	CU_ASSERT_EQUAL(mql_funnel_compute(&f, c, &opt, &err), MQL_ERR_USAGE);
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no_such_column"));
	mql_funnel_free(NULL);
	mql_contacts_free(c);
}

/*
 * Pairs of leads created on Jan 1: one becomes an MQL on Jan 2, the other
 * never, seen as of Jan 11.  Each channel's time to MQL (and the total's)
 * is then 2 subjects per pair, S(1 day) = 1 - 1/2 = 1/2: median 1 day, p90
 * never reached; the MQL's wait for sales is censored at 9 days.  Each
 * channel counts 2 leads and 1 MQL a pair: a lead-to-MQL rate of 1/2.  Few
 * channels, or more than 2^16 (whose waits are sorted channel by channel,
 * and whose groups are found by hashing): the same numbers.
 */
static void waits_of_many_groups(size_t channels)
{
	size_t pairs = 70000, rows = 2 * pairs;
	mql_contacts *c = fake_contacts_new(rows);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	for (size_t k = 0; k < channels; k++) {
		char name[32];
		snprintf(name, sizeof name, "ch%05zu", k);
		CU_ASSERT_FATAL(fake_intern(&c->channels, name) == (int32_t)k);
	}
	for (size_t p = 0; p < pairs; p++) {
		for (size_t i = 2 * p; i < 2 * p + 2; i++) {
			c->channel[i] = (int32_t)(p % channels);
			c->stage_at[MQL_STAGE_CREATED][i] =
				fake_date(2026, 1, 1);
		}
		c->stage_at[MQL_STAGE_MQL][2 * p] = fake_date(2026, 1, 2);
	}
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	mql_funnel_options_init(&opt);
	opt.by[0] = "channel";
	opt.by_count = 1;
	opt.as_of = fake_date(2026, 1, 11);
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL_FATAL(f->group_count, channels);
	size_t wrong = 0;
	for (size_t k = 0; k <= channels; k++) {
		const mql_funnel_group *g =
			k < channels ? &f->groups[k] : &f->total;
		size_t per = k < channels
				     ? pairs / channels + (k < pairs % channels)
				     : pairs;
		const mql_wait *to_mql = &g->wait[MQL_WAIT_TO_MQL];
		const mql_wait *to_sal = &g->wait[MQL_WAIT_MQL_TO_SAL];
		wrong += to_mql->subjects != 2 * per || to_mql->events != per;
		wrong += to_mql->median != 1.0 || !isnan(to_mql->p90);
		wrong += to_sal->subjects != per || to_sal->events != 0;
		wrong += !isnan(to_sal->median);
		wrong += g->count[MQL_FUNNEL_LEADS] != 2 * per;
		wrong += g->count[MQL_FUNNEL_MQL] != per;
		wrong += g->count[MQL_FUNNEL_SAL] != 0;
		wrong += g->step[0].successes != per;
		wrong += g->step[0].rate != 0.5;
	}
	CU_ASSERT_EQUAL(wrong, 0);
	mql_funnel_free(f);
	fake_contacts_free(c);
}

static void waits_of_few_and_many_groups(void)
{
	waits_of_many_groups(3);
	waits_of_many_groups(70000);
}

/*
 * 70,000 random leads of one channel (enough for two threads), each stage
 * date present or not at random, on days 0..99 of 2026, seen as of day 60:
 * the counts, rejections, out-of-order leads, leads measured and reaching
 * each wait's end, and waits left out (all those of a lead dated out of
 * order) must be those counted here,
 * the plain way, lead by lead.
 */
static void counts_random_leads_the_plain_way(void)
{
	size_t rows = 70000;
	mql_contacts *c = fake_contacts_new(rows);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_FATAL(fake_intern(&c->channels, "web") == 0);
	mql_time day0 = fake_date(2026, 1, 1), as_of = day0 + 60 * 86400;
	static const int funnel_stages[MQL_FUNNEL_COUNTS] = {
		MQL_STAGE_CREATED, MQL_STAGE_MQL,	  MQL_STAGE_SAL,
		MQL_STAGE_SQL,	   MQL_STAGE_OPPORTUNITY, MQL_STAGE_CUSTOMER};
	static const int wait_from[MQL_FUNNEL_WAITS] = {
		MQL_STAGE_CREATED, MQL_STAGE_MQL, MQL_STAGE_MQL};
	static const int wait_to[MQL_FUNNEL_WAITS] = {
		MQL_STAGE_MQL, MQL_STAGE_SAL, MQL_STAGE_SQL};
	size_t count[MQL_FUNNEL_COUNTS] = {0}, rejected = 0, disordered = 0;
	size_t subjects[MQL_FUNNEL_WAITS] = {0}, events[MQL_FUNNEL_WAITS] = {0};
	size_t reversed = 0;
	uint64_t state = 42;
	for (size_t row = 0; row < rows; row++) {
		c->channel[row] = 0;
		for (int s = 0; s < MQL_STAGE_COUNT; s++) {
			state = state * 6364136223846793005ULL + 1;
			if (s == MQL_STAGE_CREATED || (state >> 40) % 2)
				c->stage_at[s][row] =
					day0 +
					(mql_time)((state >> 20) % 100) * 86400;
		}
		/* created after as_of: left out */
		if (c->stage_at[MQL_STAGE_CREATED][row] > as_of)
			continue;
		mql_time last = MQL_TIME_NONE;
		int bad = 0;
		for (int k = 0; k < MQL_FUNNEL_COUNTS; k++) {
			mql_time at = c->stage_at[funnel_stages[k]][row];
			if (at == MQL_TIME_NONE)
				continue;
			if (last != MQL_TIME_NONE && at < last)
				bad = 1;
			last = at;
			count[k] += at <= as_of;
		}
		mql_time mql = c->stage_at[MQL_STAGE_MQL][row];
		mql_time rej = c->stage_at[MQL_STAGE_REJECTED][row];
		if (mql != MQL_TIME_NONE && rej != MQL_TIME_NONE && rej < mql)
			bad = 1;
		disordered += (size_t)bad;
		rejected += rej != MQL_TIME_NONE && rej <= as_of;
		/* the waits: from created or MQL to MQL, SAL or SQL; from
		 * MQL a rejection ends the wait; a lead out of order gives
		 * none: its waits are left out and counted */
		for (int w = 0; w < MQL_FUNNEL_WAITS; w++) {
			mql_time from = c->stage_at[wait_from[w]][row];
			mql_time to = c->stage_at[wait_to[w]][row];
			if (from == MQL_TIME_NONE || from > as_of)
				continue;
			if (bad) {
				reversed++;
				continue;
			}
			mql_time end = MQL_TIME_NONE;
			if (to != MQL_TIME_NONE && to <= as_of)
				end = to;
			else if (w > 0 && rej != MQL_TIME_NONE && rej <= as_of)
				end = rej;
			if (end != MQL_TIME_NONE && end < from) {
				reversed++;
				continue;
			}
			subjects[w]++;
			events[w] += end != MQL_TIME_NONE && end == to;
		}
	}
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	mql_funnel_options_init(&opt);
	opt.by[0] = "channel";
	opt.by_count = 1;
	opt.as_of = as_of;
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	for (int k = 0; k < MQL_FUNNEL_COUNTS; k++)
		CU_ASSERT_EQUAL(f->total.count[k], count[k]);
	CU_ASSERT_EQUAL(f->total.rejected, rejected);
	CU_ASSERT_EQUAL(f->total.out_of_order, disordered);
	for (int w = 0; w < MQL_FUNNEL_WAITS; w++) {
		CU_ASSERT_EQUAL(f->total.wait[w].subjects, subjects[w]);
		CU_ASSERT_EQUAL(f->total.wait[w].events, events[w]);
		CU_ASSERT_EQUAL(f->groups[0].wait[w].subjects, subjects[w]);
	}
	CU_ASSERT_EQUAL(f->negative_waits, reversed);
	CU_ASSERT(reversed > 0);
	/* about 39 in 100 leads are created after day 60 */
	CU_ASSERT(f->created_after_as_of > rows / 3);
	CU_ASSERT(disordered > rows / 4);
	mql_funnel_free(f);
	fake_contacts_free(c);
}

CU_TestInfo test_funnel[] = {
	{"Wilson matches worked values", wilson_matches_worked_values},
	{"Wilson stays inside [0, 1]", wilson_stays_inside_unit_interval},
	{"counts and rates by channel", counts_and_rates_by_channel},
	{"waits by Kaplan-Meier", waits_by_kaplan_meier},
	{"cohorts and two columns", cohorts_and_two_columns},
	{"waits of few and many groups", waits_of_few_and_many_groups},
	{"counts random leads the plain way",
	 counts_random_leads_the_plain_way},
	CU_TEST_INFO_NULL,
};
