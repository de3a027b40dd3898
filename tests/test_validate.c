/*
 * test_validate.c - AUC and DeLong's interval against R's pROC
 * (tests/fixtures/logit/make-fixtures.R, output in r-output.txt) and by
 * hand; log-loss, Brier, calibration, gains, operating points and folds
 * worked by hand.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/logit.h>
#include <mqlcal/validate.h>

#include "numeric_csv.h"

#define CHECK_CLOSE(actual, expected, tolerance)                               \
	CU_ASSERT(fabs((actual) - (expected)) <= (tolerance))

/* The small example of make-fixtures.R. */
static const double small_y[10] = {0, 0, 1, 0, 1, 1, 0, 1, 1, 0};
static const double small_score[10] = {0.1, 0.4, 0.35, 0.8, 0.8,
				       0.9, 0.2, 0.4,  0.7, 0.5};

/*
 * Positives score 0.35, 0.8, 0.9, 0.4, 0.7; negatives 0.1, 0.4, 0.8, 0.2,
 * 0.5.  Pairs won: 0.35 -> 2; 0.8 -> 4 + 1/2 (tie); 0.9 -> 5; 0.4 -> 2 +
 * 1/2 (tie); 0.7 -> 4: 18 of 25 = 0.72.  pROC: var 0.0308, CI clipped at 1.
 */
static void auc_small_example(void)
{
	mql_auc auc;
	CU_ASSERT_FATAL(mql_validate_auc(&auc, small_score, small_y, 10,
					 NULL) == MQL_OK);
	CHECK_CLOSE(auc.auc, 0.72, 1e-15);
	CHECK_CLOSE(auc.std_error * auc.std_error, 0.030800000000000001, 1e-15);
	CHECK_CLOSE(auc.ci_low, 0.3760277167017973, 1e-12);
	CU_ASSERT_EQUAL(auc.ci_high, 1.0);
	CU_ASSERT_EQUAL(auc.positives, 5);
	CU_ASSERT_EQUAL(auc.negatives, 5);
}

/* pROC on the linear predictor of glm's plain fit of the design. */
static void auc_matches_proc_on_fit(void)
{
	struct numeric_csv t;
	static const char *const cols[] = {"region_b", "region_c", "employees",
					   "decayed"};
	static const char *const outcome[] = {"y"};
	CU_ASSERT_FATAL(
		numeric_csv_read(&t, MQL_FIXTURES "/logit/design.csv") == 0);
	double *x = numeric_csv_select(&t, cols, 4);
	double *y = numeric_csv_select(&t, outcome, 1);
	double *eta = malloc(t.rows * sizeof(double));
	CU_ASSERT_FATAL(x && y && eta);
	mql_logit_input in = {.n_rows = t.rows, .n_cols = 4, .x = x, .y = y};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	mql_logit_predict(eta, NULL, m, x, t.rows, 4, NULL);
	mql_validation v;
	CU_ASSERT_FATAL(mql_validate_all(&v, eta, y, t.rows, NULL) == MQL_OK);
	CHECK_CLOSE(v.auc.auc, 0.69764309764309762, 1e-12);
	CHECK_CLOSE(v.auc.std_error * v.auc.std_error, 0.0009261800974502965,
		    1e-12);
	CHECK_CLOSE(v.auc.ci_low, 0.63799510769455214, 1e-10);
	CHECK_CLOSE(v.auc.ci_high, 0.7572910875916431, 1e-10);
	CU_ASSERT_EQUAL(v.n, 300);
	/* Bins of 30 rows; observed rates sum back to the positives. */
	size_t rows = 0;
	double positives = 0;
	for (size_t b = 0; b < v.calibration_bins; b++) {
		CU_ASSERT_EQUAL(v.calibration[b].n, 30);
		rows += v.calibration[b].n;
		positives += v.calibration[b].observed * 30;
		if (b > 0)
			CU_ASSERT(v.calibration[b].predicted >=
				  v.calibration[b - 1].predicted);
	}
	CU_ASSERT_EQUAL(rows, 300);
	CHECK_CLOSE(positives, (double)v.positives, 1e-9);
	/* A maximum-likelihood fit with an intercept is calibrated in the
	   large: mean predicted = observed share. */
	double mean_predicted = 0;
	for (size_t b = 0; b < v.calibration_bins; b++)
		mean_predicted += v.calibration[b].predicted / 10;
	CHECK_CLOSE(mean_predicted, (double)v.positives / 300, 1e-9);
	CHECK_CLOSE(v.gains.bin[9].cumulative_captured, 1.0, 1e-12);
	/* The fit's mean log-loss is -log L / n. */
	CHECK_CLOSE(v.log_loss, -m->log_likelihood / 300, 1e-12);
	mql_logit_result_free(m);
	free(x);
	free(y);
	free(eta);
	free(t.values);
}

/* p = 0.9, 0.2, 0.6, 0.5 against y = 1, 0, 0, 1:
   log-loss = -(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.5) / 4 = 0.484485494851534;
   Brier = (0.01 + 0.04 + 0.36 + 0.25) / 4 = 0.165. */
static void log_loss_and_brier_by_hand(void)
{
	double p[4] = {0.9, 0.2, 0.6, 0.5}, y[4] = {1, 0, 0, 1};
	double loss = 0, brier = 0;
	CU_ASSERT(mql_validate_log_loss_brier(&loss, &brier, p, y, 4, NULL) ==
		  MQL_OK);
	CHECK_CLOSE(loss, 0.484485494851534, 1e-14);
	CHECK_CLOSE(brier, 0.165, 1e-15);
	/* a confident miss is clipped: -ln(1e-15) = 34.538776394910684 */
	double certain[1] = {0}, one[1] = {1};
	CU_ASSERT(mql_validate_log_loss_brier(&loss, &brier, certain, one, 1,
					      NULL) == MQL_OK);
	CHECK_CLOSE(loss, 34.538776394910684, 1e-9);
	CHECK_CLOSE(brier, 1.0, 0);
	p[0] = 1.5;
	CU_ASSERT(mql_validate_log_loss_brier(&loss, NULL, p, y, 4, NULL) ==
		  MQL_ERR_INPUT);
}

/* 20 rows, probabilities 0.05 * (i + 1) for i = 0..19, y = 1 on odd i.
   Bin b (1-based) holds i = 2b - 2, 2b - 1: mean predicted
   0.05 * (2b - 0.5) = 0.1 b - 0.025, observed 1/2. */
static void calibration_by_hand(void)
{
	double p[20], y[20];
	for (size_t i = 0; i < 20; i++) {
		/* rows in reverse order, so the sort matters */
		p[19 - i] = 0.05 * (double)(i + 1);
		y[19 - i] = (double)(i % 2);
	}
	mql_calibration_bin bins[10];
	CU_ASSERT_FATAL(mql_validate_calibration(bins, 10, p, y, 20, NULL) ==
			MQL_OK);
	for (int b = 1; b <= 10; b++) {
		CU_ASSERT_EQUAL(bins[b - 1].bin, b);
		CU_ASSERT_EQUAL(bins[b - 1].n, 2);
		CHECK_CLOSE(bins[b - 1].predicted, 0.1 * b - 0.025, 1e-12);
		CHECK_CLOSE(bins[b - 1].observed, 0.5, 0);
	}
	/* fewer rows than bins: empty bins say so with n = 0 */
	CU_ASSERT(mql_validate_calibration(bins, 10, p, y, 3, NULL) == MQL_OK);
	size_t total = 0;
	for (int b = 0; b < 10; b++)
		total += bins[b].n;
	CU_ASSERT_EQUAL(total, 3);
}

/* 20 rows scored 1..20; positives are scores 20, 19, 18, 15, 9, 2.
   Top fifth (5 bins of 4 rows): scores 20-17 hold 3 positives (rate
   0.75), 16-13 one, 12-9 one, 8-5 none, 4-1 one (rate 0.25).  Base
   rate 6/20 = 0.3, top lift 0.75 / 0.3 = 2.5, top/bottom 3. */
static void gains_by_hand(void)
{
	double score[20], y[20];
	for (size_t i = 0; i < 20; i++) {
		score[i] = (double)(i + 1);
		y[i] = 0;
	}
	y[19] = y[18] = y[17] = y[14] = y[8] = y[1] = 1;
	mql_gains g;
	CU_ASSERT_FATAL(mql_validate_gains(&g, 5, score, y, 20, NULL) ==
			MQL_OK);
	static const size_t positives[5] = {3, 1, 1, 0, 1};
	for (size_t b = 0; b < 5; b++) {
		CU_ASSERT_EQUAL(g.bin[b].n, 4);
		CU_ASSERT_EQUAL(g.bin[b].positives, positives[b]);
	}
	CHECK_CLOSE(g.base_rate, 0.3, 1e-15);
	CHECK_CLOSE(g.bin[0].lift, 2.5, 1e-12);
	CHECK_CLOSE(g.bin[0].captured, 0.5, 1e-15);
	CHECK_CLOSE(g.bin[2].cumulative_captured, 5.0 / 6, 1e-12);
	CHECK_CLOSE(g.top_rate, 0.75, 0);
	CHECK_CLOSE(g.bottom_rate, 0.25, 0);
	CU_ASSERT(g.top_bottom_defined);
	CHECK_CLOSE(g.top_bottom_ratio, 3.0, 1e-12);
	/* no positive in the bottom bin: the ratio is undefined, not inf */
	y[1] = 0;
	CU_ASSERT(mql_validate_gains(&g, 5, score, y, 20, NULL) == MQL_OK);
	CU_ASSERT(!g.top_bottom_defined);
	CU_ASSERT_EQUAL(g.top_bottom_ratio, 0);
	CU_ASSERT(mql_validate_gains(&g, 11, score, y, 20, NULL) ==
		  MQL_ERR_USAGE);
}

/* The small example sorted down: 0.9 (+), 0.8 (+ -), 0.7 (+), 0.5 (-),
   0.4 (+ -), 0.35 (+), 0.2 (-), 0.1 (-). */
static void operating_points_by_hand(void)
{
	mql_operating_point *points = NULL;
	size_t count = 0;
	CU_ASSERT_FATAL(mql_validate_operating_points(&points, &count,
						      small_score, small_y, 10,
						      NULL) == MQL_OK);
	CU_ASSERT_FATAL(count == 8);
	static const double cut[8] = {0.9, 0.8, 0.7, 0.5, 0.4, 0.35, 0.2, 0.1};
	static const size_t above[8] = {1, 3, 4, 5, 7, 8, 9, 10};
	static const size_t hits[8] = {1, 2, 3, 3, 4, 5, 5, 5};
	for (size_t k = 0; k < 8; k++) {
		CU_ASSERT_EQUAL(points[k].eta, cut[k]);
		CU_ASSERT_EQUAL(points[k].above, above[k]);
		CU_ASSERT_EQUAL(points[k].positives_above, hits[k]);
		CHECK_CLOSE(points[k].precision,
			    (double)hits[k] / (double)above[k], 1e-15);
		CHECK_CLOSE(points[k].recall, (double)hits[k] / 5, 1e-15);
	}
	free(points);
}

static void folds_are_stratified_and_deterministic(void)
{
	enum { N = 103, K = 5 };
	double y[N];
	size_t folds[N], again[N], other[N];
	for (size_t i = 0; i < N; i++)
		y[i] = i % 4 == 0; /* 26 positives */
	CU_ASSERT_FATAL(mql_validate_folds(folds, N, K, 42, y, NULL) == MQL_OK);
	CU_ASSERT_FATAL(mql_validate_folds(again, N, K, 42, y, NULL) == MQL_OK);
	CU_ASSERT_FATAL(mql_validate_folds(other, N, K, 43, y, NULL) == MQL_OK);
	CU_ASSERT(memcmp(folds, again, sizeof folds) == 0);
	CU_ASSERT(memcmp(folds, other, sizeof folds) != 0);
	size_t size[K] = {0}, hits[K] = {0};
	for (size_t i = 0; i < N; i++) {
		CU_ASSERT_FATAL(folds[i] < K);
		size[folds[i]]++;
		hits[folds[i]] += y[i] == 1;
	}
	/* 103 = 5 * 20 + 3; 26 positives = 5 * 5 + 1 */
	for (size_t f = 0; f < K; f++) {
		CU_ASSERT(size[f] == 20 || size[f] == 21);
		CU_ASSERT(hits[f] == 5 || hits[f] == 6);
	}
	CU_ASSERT(mql_validate_folds(folds, N, 1, 42, y, NULL) ==
		  MQL_ERR_USAGE);
	CU_ASSERT(mql_validate_folds(folds, 3, 4, 42, NULL, NULL) ==
		  MQL_ERR_USAGE);
}

static void undefined_auc_is_refused(void)
{
	double y[3] = {1, 1, 1}, s[3] = {0.1, 0.2, 0.3}, bad[3] = {0, 2, 1};
	mql_auc auc;
	mql_error err;
	CU_ASSERT_EQUAL(mql_validate_auc(&auc, s, y, 3, &err), MQL_ERR_INPUT);
	CU_ASSERT(strstr(err.message, "positives and negatives") != NULL);
	CU_ASSERT_EQUAL(mql_validate_auc(&auc, s, bad, 3, &err), MQL_ERR_INPUT);
	/* one negative: the AUC stands, DeLong's variance needs two */
	y[0] = 0;
	CU_ASSERT(mql_validate_auc(&auc, s, y, 3, NULL) == MQL_OK);
	CHECK_CLOSE(auc.auc, 1.0, 0);
	CU_ASSERT_EQUAL(auc.std_error, 0);
	mql_validation v;
	y[0] = 1;
	CU_ASSERT_EQUAL(mql_validate_all(&v, s, y, 3, NULL), MQL_ERR_INPUT);
}

CU_TestInfo test_validate[] = {
	{"auc small example", auc_small_example},
	{"auc matches proc on fit", auc_matches_proc_on_fit},
	{"log loss and brier by hand", log_loss_and_brier_by_hand},
	{"calibration by hand", calibration_by_hand},
	{"gains by hand", gains_by_hand},
	{"operating points by hand", operating_points_by_hand},
	{"folds are stratified and deterministic",
	 folds_are_stratified_and_deterministic},
	{"undefined auc is refused", undefined_auc_is_refused},
	CU_TEST_INFO_NULL,
};
