/*
 * test_population.c - fit populations, labels, windows, as-of and splits on
 * hand-made leads (tests/fixtures/fit/stages.csv).
 *
 * The leads (as_of 2026-12-31 unless said otherwise):
 *   a  mql 01-10, sal 01-12, sql 02-01 (22 days)    sal 1, sql 1
 *   b  mql 01-10, sal 01-11, sql 09-01 (234 days)   sal 1, sql 0 (window
 *                                                   closed 07-09)
 *   c  mql 11-01, nothing                           sal open, sql open
 *                                                   (window to 2027-04-30)
 *   d  never an MQL                                 not in any population
 *   e  mql 02-01, rejected 02-03                    sal 0, sql 0
 *   f  mql 03-01, nothing                           sal open, sql 0
 *   g  mql 12-01, sal 12-02, sql 12-15              sal 1, sql 1
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>

#include <mqlcal/contacts.h>
#include <mqlcal/population.h>

static mql_contacts *load(const char *name)
{
	mql_contacts *c = NULL;
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	char path[512];
	snprintf(path, sizeof path, "%s/fit/%s", MQL_FIXTURES, name);
	int status =
		mql_contacts_load(&c, path, &csv, MQL_TIME_NONE, NULL, NULL);
	CU_ASSERT_EQUAL_FATAL(status, MQL_OK);
	return c;
}

static mql_time day(int y, int m, int d)
{
	return mql_time_days_from_civil(y, m, d) * MQL_SECONDS_PER_DAY;
}

/* The ids of p's members, concatenated ("abeg"), with their labels. */
static void members(const mql_contacts *c, const mql_population *p, char *ids,
		    char *labels)
{
	for (size_t i = 0; i < p->count; i++) {
		ids[i] = c->id[p->row[i]][0];
		labels[i] = p->y[i] > 0.5 ? '1' : '0';
	}
	ids[p->count] = labels[p->count] = '\0';
}

static void sal_leaves_out_open(void)
{
	mql_contacts *c = load("stages.csv");
	mql_population_options opt;
	mql_population_options_init(&opt);
	opt.as_of = day(2026, 12, 31);
	mql_population *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &opt, NULL), MQL_OK);
	char ids[16], labels[16];
	members(c, p, ids, labels);
	CU_ASSERT_STRING_EQUAL(ids, "abeg");
	CU_ASSERT_STRING_EQUAL(labels, "1101");
	CU_ASSERT_EQUAL(p->positives, 3);
	CU_ASSERT_EQUAL(p->excluded_open, 2); /* c and f */
	CU_ASSERT_EQUAL(p->decision[0], day(2026, 1, 10));
	mql_population_free(p);
	mql_contacts_free(c);
}

/* The sql label as of 2026-12-31 with the default window. */
static mql_population_options sql_as_of_year_end(void)
{
	mql_population_options opt;
	mql_population_options_init(&opt);
	opt.label = MQL_LABEL_SQL;
	opt.as_of = day(2026, 12, 31);
	return opt;
}

/* Builds opt's population of c and checks its members' ids and labels
 * (as members() writes them) and how many were left out open. */
static void expect_members(const mql_contacts *c,
			   const mql_population_options *opt, const char *ids,
			   const char *labels, size_t open)
{
	mql_population *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, opt, NULL), MQL_OK);
	char got_ids[16], got_labels[16];
	members(c, p, got_ids, got_labels);
	CU_ASSERT_STRING_EQUAL(got_ids, ids);
	CU_ASSERT_STRING_EQUAL(got_labels, labels);
	CU_ASSERT_EQUAL(p->excluded_open, open);
	mql_population_free(p);
}

static void sql_window_and_as_of(void)
{
	mql_contacts *c = load("stages.csv");
	mql_population_options opt = sql_as_of_year_end();
	/* Windows of 180 days: a, b, e, f closed by 12-31 (b's SQL came
	 * 234 days after its MQL: 0); c and g still inside theirs, left out
	 * whatever they reached (g reached SQL on 12-15: still left out). */
	expect_members(c, &opt, "abef", "1000", 2); /* c, g open */

	/* As of 12-10, g's SQL (12-15) is not known yet and its window is
	 * open: left out.  A 300-day window turns b (234 days) positive.
	 * Windows of e (02-01 + 300 = 11-28) and f (03-01 + 300 = 12-26):
	 * e closed, f still open. */
	opt.as_of = day(2026, 12, 10);
	opt.window_days = 300;
	expect_members(c, &opt, "abe", "110", 3); /* c, f, g open */
	mql_contacts_free(c);
}

static void holdout_splits_by_decision_time(void)
{
	mql_contacts *c = load("stages.csv");
	mql_population_options opt = sql_as_of_year_end();
	mql_population *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL(mql_population_holdout(p, day(2026, 3, 1), NULL),
			MQL_OK);
	/* a b e f: f (03-01) is on or after 03-01 */
	int expected[] = {0, 0, 0, 1};
	CU_ASSERT_EQUAL_FATAL(p->count, 4);
	for (size_t i = 0; i < p->count; i++)
		CU_ASSERT_EQUAL(p->fold[i], expected[i]);
	CU_ASSERT_EQUAL(p->fold_count, 1);
	mql_error err;
	CU_ASSERT_EQUAL(mql_population_holdout(p, day(2027, 1, 1), &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "test set empty"));
	mql_population_free(p);
	mql_contacts_free(c);
}

static void outcome_column(void)
{
	mql_contacts *c = load("spector-contacts.csv");
	mql_population_options opt;
	mql_population_options_init(&opt);
	opt.label = MQL_LABEL_OUTCOME;
	opt.outcome_column = "grade";
	mql_population *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &opt, NULL), MQL_OK);
	/* Spector & Mazzeo: 32 students, 11 improved */
	CU_ASSERT_EQUAL(p->count, 32);
	CU_ASSERT_EQUAL(p->positives, 11);
	CU_ASSERT_EQUAL(p->decision[0], MQL_TIME_NONE);
	/* 3 folds of 32 rows, stratified: 11 positives deal 4, 4, 3 */
	CU_ASSERT_EQUAL(mql_population_folds(p, 3, 7, NULL), MQL_OK);
	size_t pos[3] = {0}, rows[3] = {0};
	for (size_t i = 0; i < p->count; i++) {
		rows[p->fold[i]]++;
		pos[p->fold[i]] += p->y[i] > 0.5;
	}
	for (int k = 0; k < 3; k++) {
		CU_ASSERT(rows[k] == 10 || rows[k] == 11);
		CU_ASSERT(pos[k] == 3 || pos[k] == 4);
	}
	mql_error err;
	CU_ASSERT_EQUAL(mql_population_holdout(p, day(2026, 1, 1), &err),
			MQL_ERR_USAGE);
	mql_population_free(p);

	opt.outcome_column = "GPA"; /* 2.66 is not a 0/1 value */
	CU_ASSERT_EQUAL(mql_population_build(&p, c, &opt, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_PTR_NULL(p);
	opt.outcome_column = "nope";
	CU_ASSERT_EQUAL(mql_population_build(&p, c, &opt, &err), MQL_ERR_USAGE);
	mql_contacts_free(c);
}

/*
 * A window is a number of days > 0 and at most 100 years (36500 days).
 * At the bound every MQL of stages.csv is still inside its window, so all
 * six are left out, whatever they reached.
 */
static void windows_beyond_a_century_are_refused(void)
{
	mql_contacts *c = load("stages.csv");
	mql_population_options opt = sql_as_of_year_end();
	const double refused[] = {0, -1, NAN, INFINITY, 36500.5, 1e20};
	mql_population *p = NULL;
	mql_error err;
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		opt.window_days = refused[i];
		mql_error_clear(&err);
		CU_ASSERT_EQUAL(mql_population_build(&p, c, &opt, &err),
				MQL_ERR_USAGE);
		CU_ASSERT_PTR_NULL(p);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "36500"));
		CU_ASSERT_EQUAL(mql_population_check_window(refused[i], NULL),
				MQL_ERR_USAGE);
	}
	opt.window_days = MQL_WINDOW_MAX_DAYS;
	expect_members(c, &opt, "", "", 6); /* a, b, c, e, f, g open */
	mql_contacts_free(c);
}

static void label_names(void)
{
	mql_label label;
	CU_ASSERT_EQUAL(mql_label_parse("Opportunity", &label), 0);
	CU_ASSERT_EQUAL(label, MQL_LABEL_OPPORTUNITY);
	CU_ASSERT_EQUAL(mql_label_parse("mql", &label), -1);
	CU_ASSERT_STRING_EQUAL(mql_label_name(MQL_LABEL_OUTCOME, "Converted"),
			       "Converted");
}

CU_TestInfo test_population[] = {
	{"sal leaves out open MQLs", sal_leaves_out_open},
	{"sql window and as-of", sql_window_and_as_of},
	{"holdout splits by decision time", holdout_splits_by_decision_time},
	{"outcome column and folds", outcome_column},
	{"label names", label_names},
	{"windows beyond a century are refused",
	 windows_beyond_a_century_are_refused},
	CU_TEST_INFO_NULL,
};
