/*
 * test_features.c - the design matrix as of the decision time, worked by
 * hand on tests/fixtures/fit/decay-*.
 *
 * Leads: k1 (gold) MQL 2026-03-01, accepted; k2 (silver) MQL 2026-03-11,
 * rejected; k3 never an MQL.  Events:
 *   k1 demo 02-28 (age 1 day), demo 01-30 (age 30), demo 03-02 (after
 *      the decision: must not count), visit 02-20 (age 9)
 *   k2 demo 03-01 (age 10), visit 03-11 (age 0: at the decision, counts)
 *   k3 demo (not in the population), k9 demo (unknown contact)
 * Rules: demo half-life 30 days, max_count 1.5; visit window 7 days.
 *   k1 demo  0.5^(1/30) + 0.5^(30/30) = 0.9771599684 + 0.5 = 1.4771599684
 *            (under the cap)
 *   k1 visit age 9 >= 7: 0
 *   k2 demo  0.5^(10/30) = 2^(-1/3) = 0.7937005260
 *   k2 visit age 0 < 7: 1
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>

#include <mqlcal/contacts.h>
#include <mqlcal/events.h>
#include <mqlcal/features.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>

#include "temp_file.h"

#define DIR MQL_FIXTURES "/fit/"

typedef struct fixture {
	mql_contacts *contacts;
	mql_population *population;
	mql_csv_options csv;
} fixture;

static void load(fixture *f)
{
	mql_csv_options_init(&f->csv);
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&f->contacts, DIR "decay-contacts.csv",
				  &f->csv, MQL_TIME_NONE, NULL, NULL),
		MQL_OK);
	mql_population_options opt;
	mql_population_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(
		mql_population_build(&f->population, f->contacts, &opt, NULL),
		MQL_OK);
	CU_ASSERT_EQUAL_FATAL(f->population->count, 2);
}

static void release(fixture *f, mql_features *features)
{
	mql_features_free(features);
	mql_population_free(f->population);
	mql_contacts_free(f->contacts);
}

static mql_features *build(fixture *f, int grid, int discover)
{
	mql_rules *rules = NULL;
	if (!discover)
		CU_ASSERT_EQUAL_FATAL(
			mql_rules_load(&rules, DIR "decay-rules.json", NULL),
			MQL_OK);
	mql_features_options opt;
	mql_features_options_init(&opt);
	opt.half_life_grid = grid;
	opt.discover.min_support = 1;
	mql_features *features = NULL;
	mql_error err;
	int status =
		mql_features_build(&features, f->contacts, f->population, rules,
				   DIR "decay-events.csv", &f->csv, &opt, &err);
	CU_ASSERT_EQUAL_FATAL(status, MQL_OK);
	return features;
}

#define X(f, row, col) ((f)->x[(row) * (f)->columns + (col)])

static void decays_as_of_the_decision(void)
{
	fixture f;
	load(&f);
	mql_features *x = build(&f, 0, 0);
	CU_ASSERT_EQUAL_FATAL(x->columns, 3);
	CU_ASSERT_STRING_EQUAL(x->names[0], "gold");
	CU_ASSERT_STRING_EQUAL(x->names[1], "demo");
	CU_ASSERT_STRING_EQUAL(x->names[2], "visit");
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 0), 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 0), 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 1.4771599684, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 2), 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 1), 0.7937005260, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 2), 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(x->support[1], 2, 0);
	CU_ASSERT_DOUBLE_EQUAL(x->support[2], 1, 0);
	/* 7 joined events (k9 is unknown); 5 reach a rule (k1's three
	 * before its decision, the visit of weight 0 among them, and k2's
	 * two); 1 after a decision (k1's demo of 03-02; k3's event belongs
	 * to no member, so it is neither) */
	CU_ASSERT_EQUAL(x->events_read, 7);
	CU_ASSERT_EQUAL(x->events_used, 5);
	CU_ASSERT_EQUAL(x->events_after_decision, 1);
	release(&f, x);
}

/* Grid variants, all accumulated in the one pass:
 *   3 days:  k1 0.5^(1/3) + 0.5^10 = 0.7937005260 + 0.0009765625
 *                = 0.7946770885; k2 0.5^(10/3) = 0.0992125657
 *   none:    k1 2, capped at 1.5; k2 1 */
static void half_life_grid_variants(void)
{
	fixture f;
	load(&f);
	mql_features *x = build(&f, 1, 0);
	CU_ASSERT_EQUAL(x->variant_count, 1 + MQL_HALF_LIFE_GRID_COUNT);
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 0, 1), MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 0.7946770885, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 1), 0.0992125657, 1e-9);
	CU_ASSERT_EQUAL(x->rules->engagement[0].decay, MQL_DECAY_HALF_LIFE);
	CU_ASSERT_DOUBLE_EQUAL(x->rules->engagement[0].decay_days, 3, 0);
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 0, 9), MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 1.5, 0);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 1), 1, 0);
	CU_ASSERT_EQUAL(x->rules->engagement[0].decay, MQL_DECAY_NONE);
	/* back to the rule's own decay */
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 0, 0), MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 1.4771599684, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(x->rules->engagement[0].decay_days, 30, 0);
	/* a window rule on the grid becomes a half-life: visit at 7 days:
	 * k1 0.5^(9/7) = 0.4103..., k2 1 */
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 1, 2), MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 2), pow(0.5, 9.0 / 7.0), 1e-12);
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 2, 1), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_features_set_variant(x, 0, 10), MQL_ERR_USAGE);
	CU_ASSERT(isnan(mql_features_variant_half_life(0)));
	CU_ASSERT_DOUBLE_EQUAL(mql_features_variant_half_life(4), 30, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_features_variant_half_life(9), 0, 0);
	release(&f, x);
}

/* Without a rule file: tier gold (k1) is the reference on the tie, silver
 * gets a rule; one undecayed engagement rule per event type, in order of
 * first use: demo (k1 2, k2 1), visit (k1 1, k2 1). */
static void discovered_structure(void)
{
	fixture f;
	load(&f);
	mql_features *x = build(&f, 0, 1);
	CU_ASSERT_EQUAL_FATAL(x->columns, 3);
	CU_ASSERT_STRING_EQUAL(x->names[0], "tier_silver");
	CU_ASSERT_STRING_EQUAL(x->names[1], "demo");
	CU_ASSERT_STRING_EQUAL(x->names[2], "visit");
	double expected[2][3] = {{0, 2, 1}, {1, 1, 1}};
	for (size_t i = 0; i < 2; i++)
		for (size_t j = 0; j < 3; j++)
			CU_ASSERT_DOUBLE_EQUAL(X(x, i, j), expected[i][j], 0);
	CU_ASSERT_STRING_EQUAL(x->rules->engagement[0].event, "demo");
	CU_ASSERT_EQUAL(x->rules->engagement[0].decay, MQL_DECAY_NONE);
	release(&f, x);
}

/* Rows without a decision time (--outcome, no mql_at) take every event:
 * f1's demo on 03-01 comes after the table's latest date (created 01-02)
 * and still counts; with --as-of 2026-02-01 it does not. */
static void rows_without_decision_time(void)
{
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	mql_contacts *c = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_contacts_load(&c, DIR "flag-contacts.csv",
						&csv, MQL_TIME_NONE, NULL,
						NULL),
			      MQL_OK);
	mql_population_options popt;
	mql_population_options_init(&popt);
	popt.label = MQL_LABEL_OUTCOME;
	popt.outcome_column = "won";
	mql_features_options fopt;
	mql_features_options_init(&fopt);
	fopt.discover.exclude = "won";
	double expected_f1[] = {1, 0};
	size_t expected_after[] = {0, 1};
	for (int with_as_of = 0; with_as_of < 2; with_as_of++) {
		popt.as_of = with_as_of ? mql_time_days_from_civil(2026, 2, 1) *
						  MQL_SECONDS_PER_DAY
					: MQL_TIME_NONE;
		mql_population *p = NULL;
		CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &popt, NULL),
				      MQL_OK);
		mql_features *x = NULL;
		CU_ASSERT_EQUAL_FATAL(mql_features_build(&x, c, p, NULL,
							 DIR "flag-events.csv",
							 &csv, &fopt, NULL),
				      MQL_OK);
		CU_ASSERT_EQUAL_FATAL(x->columns, 1);
		CU_ASSERT_STRING_EQUAL(x->names[0], "demo");
		CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 0), expected_f1[with_as_of], 0);
		CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 0), 1, 0);
		CU_ASSERT_EQUAL(x->events_after_decision,
				expected_after[with_as_of]);
		mql_features_free(x);
		mql_population_free(p);
	}
	mql_contacts_free(c);
}

/* The ranges a scan started and the events each was handed. */
typedef struct range_counts {
	int started[MQL_EVENTS_MAX_THREADS];
	size_t events[MQL_EVENTS_MAX_THREADS];
} range_counts;

static int start_counting(void *context, int range, mql_error *err)
{
	(void)err;
	((range_counts *)context)->started[range]++;
	return MQL_OK;
}

/* Counts a range's joined events into its own counter. */
static int count_in_range(void *context, int range, const mql_event *ev,
			  mql_error *err)
{
	(void)ev;
	(void)err;
	((range_counts *)context)->events[range]++;
	return MQL_OK;
}

/*
 * decay-events-quoted.csv holds decay-events.csv's rows with quoted types and
 * a quoted campaign of several lines; the nominal cuts of 2 and 3 ranges fall
 * inside quotes (see its SOURCE line), and the first campaign hides a line
 * "k2,2026-03-10,demo" that a cut at a bare line end would read as a row.
 * With 1, 2 and 3 threads the ranges, each started once (no range read
 * again), cover the 7 joined events once, and the
 * features are the hand-worked ones of decays_as_of_the_decision, and of
 * discovered_structure without a rule file.
 */
static void same_features_on_any_thread_count(void)
{
	fixture f;
	load(&f);
	for (int threads = 1; threads <= 3; threads++) {
		range_counts counts;
		memset(&counts, 0, sizeof counts);
		mql_events *scanned = NULL;
		mql_events_scan_options so;
		mql_events_scan_options_init(&so);
		so.threads = threads;
		mql_events_scan_ops ops = {start_counting, count_in_range,
					   &counts};
		CU_ASSERT_EQUAL_FATAL(
			mql_events_scan(&scanned, DIR "decay-events-quoted.csv",
					f.contacts, &f.csv, &so, &ops, NULL),
			MQL_OK);
		size_t joined = 0;
		for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++) {
			CU_ASSERT_EQUAL(counts.started[k], k < threads);
			CU_ASSERT(k >= threads || counts.events[k] > 0);
			joined += counts.events[k];
		}
		CU_ASSERT_EQUAL(joined, 7);
		CU_ASSERT_EQUAL(mql_events_get_stats(scanned)->rows, 8);
		mql_events_close(scanned);

		for (int discover = 0; discover < 2; discover++) {
			mql_rules *rules = NULL;
			if (!discover)
				CU_ASSERT_EQUAL_FATAL(
					mql_rules_load(&rules,
						       DIR "decay-rules.json",
						       NULL),
					MQL_OK);
			mql_features_options opt;
			mql_features_options_init(&opt);
			opt.discover.min_support = 1;
			opt.half_life_grid = 1;
			opt.threads = threads;
			mql_features *x = NULL;
			CU_ASSERT_EQUAL_FATAL(
				mql_features_build(
					&x, f.contacts, f.population, rules,
					DIR "decay-events-quoted.csv", &f.csv,
					&opt, NULL),
				MQL_OK);
			CU_ASSERT_EQUAL_FATAL(x->columns, 3);
			CU_ASSERT_STRING_EQUAL(x->names[1], "demo");
			CU_ASSERT_STRING_EQUAL(x->names[2], "visit");
			CU_ASSERT_EQUAL(x->events_read, 7);
			CU_ASSERT_EQUAL(x->events_used, 5);
			CU_ASSERT_EQUAL(x->events_after_decision, 1);
			if (discover) {
				double expected[2][3] = {{0, 2, 1}, {1, 1, 1}};
				for (size_t i = 0; i < 2; i++)
					for (size_t j = 0; j < 3; j++)
						CU_ASSERT_DOUBLE_EQUAL(
							X(x, i, j),
							expected[i][j], 0);
			} else {
				CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 1.4771599684,
						       1e-9);
				CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 1), 0.7937005260,
						       1e-9);
				CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 2), 0, 0);
				CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 2), 1, 0);
				/* a grid variant too: 3 days, as in
				 * half_life_grid_variants */
				CU_ASSERT_EQUAL(
					mql_features_set_variant(x, 0, 1),
					MQL_OK);
				CU_ASSERT_DOUBLE_EQUAL(X(x, 0, 1), 0.7946770885,
						       1e-9);
				CU_ASSERT_DOUBLE_EQUAL(X(x, 1, 1), 0.0992125657,
						       1e-9);
			}
			mql_features_free(x);
		}
	}
	release(&f, NULL);
}

/*
 * Many contacts, events in time order: contact c<i> has i % 7 visits
 * before its decision (2026-03-01), undecayed, so its column is i % 7;
 * every third contact has a visit after its decision (not counted); the
 * file opens with an "early" event of c1, so discovery numbers "early"
 * before "visit".  Thousands of events, each next one of another contact:
 * the counts wait and are fetched ahead in many batches.
 */
#define MANY 3000

static void write_many(char *contacts, char *events, char *rules, size_t n)
{
	size_t cap = 64 * (size_t)MANY * 10, len = 0;
	char *text = malloc(cap);
	CU_ASSERT_FATAL(text != NULL);
	len += (size_t)snprintf(text + len, cap - len,
				"contact_id,created_at,mql_at,sal_at,"
				"rejected_at\n");
	for (int i = 0; i < MANY; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"c%d,2026-01-01,2026-03-01,%s\n", i,
					i % 2 ? "2026-03-05," : ",2026-03-05");
	temp_file_write(contacts, n, "features-many", text, len);
	len = (size_t)snprintf(text, cap,
			       "contact_id,occurred_at,event\n"
			       "c1,2026-02-01,early\n");
	for (int day = 0; day < 7; day++)
		for (int i = 0; i < MANY; i++)
			if (day < i % 7)
				len += (size_t)snprintf(
					text + len, cap - len,
					"c%d,2026-02-%02d,visit\n", i,
					10 + day);
	for (int i = 0; i < MANY; i += 3)
		len += (size_t)snprintf(text + len, cap - len,
					"c%d,2026-03-02,visit\n", i);
	temp_file_write(events, n, "features-many", text, len);
	free(text);
	const char *json = "{\"format\": \"mqlcal.rules/1\", \"threshold\": 1,"
			   " \"fit\": [], \"engagement\": [{\"id\": \"visit\","
			   " \"event\": \"visit\", \"points\": 1}]}";
	temp_file_write(rules, n, "features-many", json, strlen(json));
}

static void many_contacts_in_time_order(void)
{
	char contacts_path[4096], events_path[4096], rules_path[4096];
	write_many(contacts_path, events_path, rules_path,
		   sizeof contacts_path);
	fixture f;
	mql_csv_options_init(&f.csv);
	CU_ASSERT_EQUAL_FATAL(mql_contacts_load(&f.contacts, contacts_path,
						&f.csv, MQL_TIME_NONE, NULL,
						NULL),
			      MQL_OK);
	mql_population_options popt;
	mql_population_options_init(&popt);
	CU_ASSERT_EQUAL_FATAL(
		mql_population_build(&f.population, f.contacts, &popt, NULL),
		MQL_OK);
	CU_ASSERT_EQUAL_FATAL(f.population->count, MANY);
	size_t visits = 0;
	for (int i = 0; i < MANY; i++)
		visits += (size_t)(i % 7);
	for (int threads = 1; threads <= 2; threads++)
		for (int discover = 0; discover < 2; discover++) {
			mql_rules *rules = NULL;
			if (!discover)
				CU_ASSERT_EQUAL_FATAL(mql_rules_load(&rules,
								     rules_path,
								     NULL),
						      MQL_OK);
			mql_features_options opt;
			mql_features_options_init(&opt);
			opt.discover.min_support = 1;
			opt.threads = threads;
			mql_features *x = NULL;
			CU_ASSERT_EQUAL_FATAL(
				mql_features_build(&x, f.contacts, f.population,
						   rules, events_path, &f.csv,
						   &opt, NULL),
				MQL_OK);
			size_t visit = x->fit_count + (discover ? 1 : 0);
			CU_ASSERT_EQUAL_FATAL(x->columns, visit + 1);
			CU_ASSERT_STRING_EQUAL(x->names[visit], "visit");
			if (discover)
				CU_ASSERT_STRING_EQUAL(x->names[visit - 1],
						       "early");
			int wrong = 0;
			for (size_t i = 0; i < x->rows; i++) {
				long row = (long)f.population->row[i];
				wrong += X(x, i, visit) != (double)(row % 7);
			}
			CU_ASSERT_EQUAL(wrong, 0);
			CU_ASSERT_EQUAL(x->events_read, visits + 1 + MANY / 3);
			CU_ASSERT_EQUAL(x->events_used,
					visits + (size_t)discover);
			CU_ASSERT_EQUAL(x->events_after_decision, MANY / 3);
			mql_features_free(x);
		}
	release(&f, NULL);
	unlink(contacts_path);
	unlink(events_path);
	unlink(rules_path);
}

CU_TestInfo test_features[] = {
	{"rows without a decision time", rows_without_decision_time},
	{"decays as of the decision time", decays_as_of_the_decision},
	{"half-life grid variants", half_life_grid_variants},
	{"discovered structure", discovered_structure},
	{"same features on any thread count",
	 same_features_on_any_thread_count},
	{"many contacts in time order", many_contacts_in_time_order},
	CU_TEST_INFO_NULL,
};
