/*
 * test_survival.c - Kaplan-Meier against R's survival::survfit (fixture
 * tests/fixtures/km/: the R script km.R, its data and its output), against
 * hand-worked cases for censoring and competing outcomes, and on
 * degenerate input.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/survival.h>

#define MAX_SUBJECTS 64

typedef struct data_set {
	double time[MAX_SUBJECTS];
	int event[MAX_SUBJECTS];
	size_t n;
} data_set;

/* Reads the subjects of one set ("a" or "b") from km-data.csv. */
static void read_data(const char *set, data_set *d)
{
	char name[8];
	double time;
	int event;
	FILE *fp = fopen(MQL_FIXTURES "/km/km-data.csv", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	d->n = 0;
	CU_ASSERT_EQUAL(fscanf(fp, "%*[^\n]\n"), 0); /* header */
	while (fscanf(fp, "%7[^,],%lf,%d\n", name, &time, &event) == 3) {
		if (strcmp(name, set) != 0 || d->n == MAX_SUBJECTS)
			continue;
		d->time[d->n] = time;
		d->event[d->n++] = event;
	}
	fclose(fp);
}

/* Compares every step of the fitted curve of set with km-steps.csv. */
static void check_steps(const char *set, const mql_survival *s)
{
	char name[8];
	double time, surv, std_err, lower, upper;
	long risk, events, censored;
	size_t step = 0;
	FILE *fp = fopen(MQL_FIXTURES "/km/km-steps.csv", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fscanf(fp, "%*[^\n]\n"), 0);
	while (fscanf(fp, "%7[^,],%lf,%ld,%ld,%ld,%lf,%lf,%lf,%lf\n", name,
		      &time, &risk, &events, &censored, &surv, &std_err, &lower,
		      &upper) == 9) {
		const mql_survival_step *got;
		if (strcmp(name, set) != 0)
			continue;
		CU_ASSERT_FATAL(step < s->step_count);
		got = &s->steps[step++];
		CU_ASSERT_DOUBLE_EQUAL(got->time, time, 0);
		CU_ASSERT_EQUAL(got->at_risk, (size_t)risk);
		CU_ASSERT_EQUAL(got->events, (size_t)events);
		CU_ASSERT_EQUAL(got->censored, (size_t)censored);
		CU_ASSERT_DOUBLE_EQUAL(got->survival, surv, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(got->std_error, std_err, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(got->low, lower, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(got->high, upper, 1e-9);
	}
	fclose(fp);
	CU_ASSERT_EQUAL(step, s->step_count);
}

/* km-quantiles.csv: median and p90 of set, NAN for R's NA. */
static void read_quantiles(const char *set, double *median, double *p90)
{
	char name[8], m[32], p[32];
	FILE *fp = fopen(MQL_FIXTURES "/km/km-quantiles.csv", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	*median = *p90 = -1;
	CU_ASSERT_EQUAL(fscanf(fp, "%*[^\n]\n"), 0);
	while (fscanf(fp, "%7[^,],%31[^,],%31[^\n]\n", name, m, p) == 3) {
		if (strcmp(name, set) != 0)
			continue;
		*median = strcmp(m, "NA") == 0 ? NAN : strtod(m, NULL);
		*p90 = strcmp(p, "NA") == 0 ? NAN : strtod(p, NULL);
	}
	fclose(fp);
}

static void check_set(const char *set)
{
	data_set d;
	mql_survival *s = NULL;
	double median, p90;
	read_data(set, &d);
	CU_ASSERT_FATAL(d.n > 0);
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, d.time, d.event, d.n, NULL),
			      MQL_OK);
	check_steps(set, s);
	read_quantiles(set, &median, &p90);
	/* NAN (not reached) compares equal to NAN here. */
	CU_ASSERT(isnan(median) ? isnan(s->median) : s->median == median);
	CU_ASSERT(isnan(p90) ? isnan(s->p90) : s->p90 == p90);
	mql_survival_free(s);
}

static void matches_survfit_with_ties_and_censoring(void)
{
	check_set("a");
}

static void matches_survfit_when_median_not_reached(void)
{
	check_set("b");
}

/*
 * A competing outcome: the Aalen-Johansen incidence at every step equals
 * survfit's multi-state estimate (aj-data.csv, aj-steps.csv from km.R).
 */
static void matches_survfit_with_a_competing_outcome(void)
{
	data_set d = {.n = 0};
	mql_survival *s = NULL;
	double time, incidence;
	long risk;
	size_t step = 0;
	FILE *fp = fopen(MQL_FIXTURES "/km/aj-data.csv", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fscanf(fp, "%*[^\n]\n"), 0);
	while (d.n < MAX_SUBJECTS &&
	       fscanf(fp, "%lf,%d\n", &d.time[d.n], &d.event[d.n]) == 2)
		d.n++;
	fclose(fp);
	CU_ASSERT_EQUAL_FATAL(d.n, 30);
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, d.time, d.event, d.n, NULL),
			      MQL_OK);
	fp = fopen(MQL_FIXTURES "/km/aj-steps.csv", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fscanf(fp, "%*[^\n]\n"), 0);
	while (fscanf(fp, "%lf,%ld,%lf\n", &time, &risk, &incidence) == 3) {
		CU_ASSERT_FATAL(step < s->step_count);
		CU_ASSERT_DOUBLE_EQUAL(s->steps[step].time, time, 0);
		CU_ASSERT_EQUAL(s->steps[step].at_risk, (size_t)risk);
		CU_ASSERT_DOUBLE_EQUAL(1 - s->steps[step].survival, incidence,
				       1e-9);
		step++;
	}
	fclose(fp);
	CU_ASSERT_EQUAL(step, s->step_count);
	CU_ASSERT(s->competing > 0);
	mql_survival_free(s);
}

/*
 * Events at 2, 4, 6; censored at 3, 5, 7.  KM: S(2) = 5/6; S(4) = 5/6 *
 * 3/4 = 0.625; S(6) = 0.625 * 1/2 = 0.3125 <= 0.5, so the median is 6.
 * Dropping the censored leads gives the median of {2, 4, 6} = 4, and
 * counting them as events the median of {2, ..., 7} = 4 (first time half
 * are done): both understate how long leads wait.
 */
static void censoring_changes_the_median(void)
{
	const double time[] = {2, 3, 4, 5, 6, 7};
	const int event[] = {1, 0, 1, 0, 1, 0};
	const int all_events[] = {1, 1, 1, 1, 1, 1};
	mql_survival *s = NULL, *naive = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, time, event, 6, NULL),
			      MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(mql_survival_at(s, 4.5), 0.625, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(s->median, 6, 0);
	CU_ASSERT(isnan(s->p90)); /* S never reaches 0.1 */
	CU_ASSERT_EQUAL_FATAL(
		mql_survival_fit(&naive, time, all_events, 6, NULL), MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(naive->median, 4, 0);
	mql_survival_free(s);
	mql_survival_free(naive);
}

/*
 * Five MQLs: accepted on days 1 and 3, rejected on day 2, one still open
 * at day 2.5 (censored) and one at day 4.  Aalen-Johansen by hand: day 1,
 * 5 at risk, 1 accepted: CIF = 1/5, free of both 4/5; day 2 the rejection:
 * 4/5 * 3/4 = 3/5; day 3, 2 at risk, 1 accepted: CIF = 1/5 + 3/5 * 1/2 =
 * 1/2.  Counting the rejection as censored: S(1) = 4/5, S(3) = 4/5 * 1/2
 * = 2/5, so 3/5 "accepted" by day 3 - too many.
 */
static void competing_outcome_gives_cumulative_incidence(void)
{
	const double time[] = {1, 2, 2.5, 3, 4};
	const int event[] = {1, 2, 0, 1, 0};
	const int censored_instead[] = {1, 0, 0, 1, 0};
	mql_survival *s = NULL, *wrong = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, time, event, 5, NULL),
			      MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(1 - mql_survival_at(s, 1), 0.2, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(1 - mql_survival_at(s, 2), 0.2, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(1 - mql_survival_at(s, 3), 0.5, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(s->median, 3, 0);
	CU_ASSERT_EQUAL(s->competing, 1);
	CU_ASSERT_EQUAL(s->steps[1].competing, 1);
	CU_ASSERT(isnan(s->steps[0].low));
	CU_ASSERT_EQUAL_FATAL(
		mql_survival_fit(&wrong, time, censored_instead, 5, NULL),
		MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(1 - mql_survival_at(wrong, 3), 0.6, 1e-15);
	mql_survival_free(s);
	mql_survival_free(wrong);
}

/* Times in any order, a negative zero and a huge time sort correctly. */
static void sorts_times_in_any_order(void)
{
	const double time[] = {5, 1e9, -0.0, 3, 0, 5, 0.5};
	const int event[] = {1, 0, 1, 1, 0, 0, 1};
	const double expected[] = {0, 0.5, 3, 5, 1e9};
	mql_survival *s = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, time, event, 7, NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL_FATAL(s->step_count, 5);
	for (size_t i = 0; i < 5; i++)
		CU_ASSERT_DOUBLE_EQUAL(s->steps[i].time, expected[i], 0);
	/* Day 0: 7 at risk, 1 event (the other is censored): 6/7. */
	CU_ASSERT_EQUAL(s->steps[0].censored, 1);
	CU_ASSERT_DOUBLE_EQUAL(s->steps[0].survival, 6.0 / 7, 1e-15);
	mql_survival_free(s);
}

static void degenerate_input_is_reported(void)
{
	const double bad_time[] = {1, -2};
	const double all_done[] = {1, 1};
	const int event[] = {1, 1}, bad_event[] = {1, 3};
	mql_survival *s = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(mql_survival_fit(&s, bad_time, event, 2, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "subject 2"));
	CU_ASSERT_EQUAL(mql_survival_fit(&s, all_done, bad_event, 2, &err),
			MQL_ERR_USAGE);
	/* Nobody: an empty curve, quantiles not reached. */
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, NULL, NULL, 0, NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL(s->step_count, 0);
	CU_ASSERT(isnan(s->median));
	mql_survival_free(s);
	/* Everyone at once: S = 0, interval undefined, median 1. */
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit(&s, all_done, event, 2, NULL),
			      MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(s->steps[0].survival, 0, 0);
	CU_ASSERT(isnan(s->steps[0].low));
	CU_ASSERT_DOUBLE_EQUAL(s->median, 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(s->p90, 1, 0);
	mql_survival_free(s);
	mql_survival_free(NULL);
}

/*
 * The integer-time fit of set (times given in hours, scale 24: the same
 * days) matches survfit: every step when kept, else the same median and
 * p90 with no steps (set "a" reaches its p90 before its last time, so
 * the walk stops early there; "b" never does).
 */
static int compare_keys(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void check_set_ticks(const char *set)
{
	data_set d;
	int64_t hours[MAX_SUBJECTS];
	uint64_t keys[MAX_SUBJECTS];
	double median, p90;
	read_data(set, &d);
	CU_ASSERT_FATAL(d.n > 0);
	size_t events = 0; /* the data's events, counted directly */
	for (size_t i = 0; i < d.n; i++) {
		hours[i] = (int64_t)d.time[i] * 24;
		events += d.event[i] == 1;
		keys[i] = (uint64_t)hours[i] << 2 | (uint64_t)d.event[i];
	}
	qsort(keys, d.n, sizeof *keys, compare_keys);
	read_quantiles(set, &median, &p90);
	/* keep 0 and 1 from the ticks, 2 and 3 (keep 0, 1) from sorted keys */
	for (int way = 0; way <= 3; way++) {
		mql_survival *s = NULL;
		int keep = way % 2;
		CU_ASSERT_EQUAL_FATAL(
			way < 2 ? mql_survival_fit_ticks(&s, hours, d.event,
							 d.n, 24.0, keep, NULL)
				: mql_survival_fit_sorted_ticks(
					  &s, keys, d.n, 24.0, keep, NULL),
			MQL_OK);
		if (keep)
			check_steps(set, s);
		else
			CU_ASSERT_EQUAL(s->step_count, 0);
		CU_ASSERT_EQUAL(s->subjects, d.n);
		CU_ASSERT_EQUAL(s->events, events);
		CU_ASSERT(isnan(median) ? isnan(s->median)
					: s->median == median);
		CU_ASSERT(isnan(p90) ? isnan(s->p90) : s->p90 == p90);
		mql_survival_free(s);
	}
}

static void integer_times_match_survfit(void)
{
	check_set_ticks("a");
	check_set_ticks("b");
	/* A negative time and a bad outcome are reported. */
	const int64_t ticks[] = {3, -1};
	const int event[] = {1, 3};
	mql_survival *s = NULL;
	CU_ASSERT_EQUAL(
		mql_survival_fit_ticks(&s, ticks, event, 2, 1.0, 0, NULL),
		MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(
		mql_survival_fit_ticks(&s, ticks, event, 1, 0.0, 0, NULL),
		MQL_ERR_USAGE);
	/* Sorted keys out of order, with outcome 3, or a bad scale too. */
	const uint64_t unsorted[] = {5 << 2 | 1, 3 << 2 | 0};
	const uint64_t outcome3[] = {3 << 2 | 3};
	CU_ASSERT_EQUAL(
		mql_survival_fit_sorted_ticks(&s, unsorted, 2, 1.0, 0, NULL),
		MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(
		mql_survival_fit_sorted_ticks(&s, outcome3, 1, 1.0, 0, NULL),
		MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(
		mql_survival_fit_sorted_ticks(&s, unsorted, 1, -1.0, 0, NULL),
		MQL_ERR_USAGE);
	CU_ASSERT_PTR_NULL(s);
}

/*
 * 4000 subjects at ticks 0..999, three in four of those before tick 800
 * with an outcome and none after (2 now and then when competing; S(800)
 * is about 5^-0.75 = 0.30, so the median is reached): fitting the keys up
 * to the last outcome, the rest given as censored later, must give the
 * full fit's subjects, events, median and p90, and its steps up to the
 * last outcome.
 */
static void later_subjects_fit_as_if_sorted(int competing)
{
	enum { N = 4000 };
	static uint64_t keys[N];
	uint64_t state = 0x2545F4914F6CDD1DULL;
	uint64_t last_outcome = 0;
	for (size_t i = 0; i < N; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t tick = (state >> 33) % 1000, outcome = 0;
		if (tick < 800 && (state >> 20) % 4 != 0)
			outcome = competing && (state >> 40) % 4 == 0 ? 2 : 1;
		keys[i] = tick << 2 | outcome;
		if (outcome && tick > last_outcome)
			last_outcome = tick;
	}
	qsort(keys, N, sizeof *keys, compare_keys);
	size_t kept = 0;
	while (kept < N && keys[kept] >> 2 <= last_outcome)
		kept++;
	CU_ASSERT_FATAL(kept > N / 2 && kept < N);
	for (int keep = 0; keep <= 1; keep++) {
		mql_survival *whole = NULL, *part = NULL;
		CU_ASSERT_EQUAL_FATAL(mql_survival_fit_sorted_ticks(
					      &whole, keys, N, 1.0, keep, NULL),
				      MQL_OK);
		CU_ASSERT_EQUAL_FATAL(
			mql_survival_fit_sorted_ticks_later(
				&part, keys, kept, N - kept, 1.0, keep, NULL),
			MQL_OK);
		CU_ASSERT_EQUAL(part->subjects, N);
		CU_ASSERT_EQUAL(part->events, whole->events);
		CU_ASSERT_EQUAL(part->competing, whole->competing);
		CU_ASSERT(isnan(whole->median) ? isnan(part->median)
					       : part->median == whole->median);
		CU_ASSERT(isnan(whole->p90) ? isnan(part->p90)
					    : part->p90 == whole->p90);
		CU_ASSERT(!isnan(whole->median));
		if (keep) {
			CU_ASSERT_FATAL(part->step_count < whole->step_count);
			for (size_t i = 0; i < part->step_count; i++) {
				const mql_survival_step *a = &part->steps[i];
				const mql_survival_step *b = &whole->steps[i];
				CU_ASSERT(a->time == b->time &&
					  a->at_risk == b->at_risk &&
					  a->events == b->events &&
					  a->competing == b->competing &&
					  a->survival == b->survival);
			}
		}
		mql_survival_free(whole);
		mql_survival_free(part);
	}
	/* no outcome at all: every subject later, no key */
	mql_survival *none = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_survival_fit_sorted_ticks_later(
				      &none, keys, 0, 7, 1.0, 0, NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL(none->subjects, 7);
	CU_ASSERT_EQUAL(none->events, 0);
	CU_ASSERT(isnan(none->median) && isnan(none->p90));
	mql_survival_free(none);
}

static void later_subjects_fit_as_if_sorted_both_ways(void)
{
	later_subjects_fit_as_if_sorted(0);
	later_subjects_fit_as_if_sorted(1);
}

CU_TestInfo test_survival[] = {
	{"matches survfit with ties and censoring",
	 matches_survfit_with_ties_and_censoring},
	{"matches survfit when the median is not reached",
	 matches_survfit_when_median_not_reached},
	{"matches survfit with a competing outcome",
	 matches_survfit_with_a_competing_outcome},
	{"censoring changes the median", censoring_changes_the_median},
	{"competing outcome gives the cumulative incidence",
	 competing_outcome_gives_cumulative_incidence},
	{"sorts times in any order", sorts_times_in_any_order},
	{"degenerate input is reported", degenerate_input_is_reported},
	{"integer times match survfit", integer_times_match_survfit},
	{"later subjects fit as if sorted",
	 later_subjects_fit_as_if_sorted_both_ways},
	CU_TEST_INFO_NULL,
};
