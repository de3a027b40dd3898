/*
 * test_logit.c - the logistic regression engine against published values
 * (Spector & Mazzeo, Stata), R's glm, an independent R implementation of
 * Firth and ridge (tests/fixtures/logit/make-fixtures.R, its printed output
 * in r-output.txt), and closed forms worked by hand.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <mqlcal/logit.h>
#include <mqlcal/validate.h>

#include "numeric_csv.h"

/* |actual - expected| <= tolerance * |expected| (or tolerance when 0) */
static int close_rel(double actual, double expected, double tolerance)
{
	double scale = fabs(expected) > 0 ? fabs(expected) : 1.0;
	return fabs(actual - expected) <= tolerance * scale;
}

#define CHECK_REL(actual, expected, tolerance)                                 \
	CU_ASSERT(close_rel((actual), (expected), (tolerance)))

static int has_warning(const mql_logit_result *model, const char *part)
{
	for (size_t i = 0; i < model->n_warnings; i++)
		if (strstr(model->warnings[i], part))
			return 1;
	return 0;
}

static int all_finite(const mql_logit_result *model)
{
	for (size_t i = 0; i < model->n_coef; i++) {
		const mql_logit_coef *c = &model->coef[i];
		double v[] = {c->estimate, c->std_error, c->z,	       c->p,
			      c->ci_low,   c->ci_high,	 c->odds_ratio};
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			if (!isfinite(v[k]))
				return 0;
	}
	for (size_t i = 0; i < model->n_coef * model->n_coef; i++)
		if (!isfinite(model->covariance[i]))
			return 0;
	return isfinite(model->log_likelihood) && isfinite(model->aic) &&
	       isfinite(model->null_deviance);
}

/* The generated design of make-fixtures.R, as x (4 columns), y, weights. */
struct design {
	struct numeric_csv table;
	double *x, *y, *weights;
	size_t n;
};

static const char *const design_columns[] = {"region_b", "region_c",
					     "employees", "decayed"};

static int design_load(struct design *d)
{
	static const char *const y_name[] = {"y"}, *const w_name[] = {"weight"};
	memset(d, 0, sizeof *d);
	if (numeric_csv_read(&d->table, MQL_FIXTURES "/logit/design.csv"))
		return -1;
	d->n = d->table.rows;
	d->x = numeric_csv_select(&d->table, design_columns, 4);
	d->y = numeric_csv_select(&d->table, y_name, 1);
	d->weights = numeric_csv_select(&d->table, w_name, 1);
	return d->x && d->y && d->weights && d->n == 300 ? 0 : -1;
}

static void design_free(struct design *d)
{
	free(d->table.values);
	free(d->x);
	free(d->y);
	free(d->weights);
}

/* --- Spector & Mazzeo: Stata's published values (fixtures/spector.csv.source)
 */
static void spector_matches_published(void)
{
	struct numeric_csv t;
	static const char *const cols[] = {"GPA", "TUCE", "PSI"};
	static const char *const grade[] = {"GRADE"};
	CU_ASSERT_FATAL(numeric_csv_read(&t, MQL_FIXTURES "/spector.csv") == 0);
	double *x = numeric_csv_select(&t, cols, 3);
	double *y = numeric_csv_select(&t, grade, 1);
	CU_ASSERT_FATAL(x && y && t.rows == 32);
	mql_logit_input in = {
		.n_rows = 32, .n_cols = 3, .x = x, .y = y, .names = cols};
	mql_logit_result *m = NULL;
	mql_error err;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, &err) == MQL_OK);
	/* coefficient order: const, GPA, TUCE, PSI */
	static const double coef[] = {-13.0213483201, 2.82611297201,
				      0.0951576702557, 2.37868772835};
	static const double se[] = {4.93132462871, 1.26294114526,
				    0.141554207662, 1.06456430165};
	static const double z[] = {-2.640537645, 2.237723415, 0.6722348408,
				   2.234423721};
	static const double p[] = {0.0082774596, 0.0252390974, 0.5014342039,
				   0.0254552063};
	static const double lo[] = {-22.68657, 0.3507938, -0.1822835, 0.29218};
	static const double hi[] = {-3.35613, 5.301432, 0.3725988, 4.465195};
	for (size_t k = 0; k < 4; k++) {
		CHECK_REL(m->coef[k].estimate, coef[k], 1e-6);
		CHECK_REL(m->coef[k].std_error, se[k], 1e-6);
		CHECK_REL(m->coef[k].z, z[k], 1e-6);
		CHECK_REL(m->coef[k].p, p[k], 1e-6);
		/* published CIs carry 7 significant digits */
		CHECK_REL(m->coef[k].ci_low, lo[k], 2e-6);
		CHECK_REL(m->coef[k].ci_high, hi[k], 2e-6);
		CHECK_REL(m->coef[k].odds_ratio, exp(m->coef[k].estimate),
			  1e-12);
	}
	CU_ASSERT_STRING_EQUAL(m->coef[0].name, "(Intercept)");
	CU_ASSERT_STRING_EQUAL(m->coef[3].name, "PSI");
	CHECK_REL(m->log_likelihood, -12.8896334653335, 1e-6);
	CHECK_REL(m->deviance, 2 * 12.8896334653335, 1e-6);
	CHECK_REL(m->null_deviance, 2 * 20.5917296966173, 1e-9);
	CHECK_REL(m->aic, 33.779266930667, 1e-6);
	CU_ASSERT_EQUAL(m->rank, 4);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_MLE);
	CU_ASSERT(m->converged);
	CU_ASSERT_EQUAL(m->iterations, 5); /* R: glm(...)$iter at defaults */
	CU_ASSERT_EQUAL(m->n_warnings, 0);
	CU_ASSERT_EQUAL(m->n_obs, 32);
	CU_ASSERT_EQUAL(m->positives, 11);
	CU_ASSERT_EQUAL(m->coef[3].support, 14); /* PSI = 1 on 14 rows */
	/* covariance diagonal is the squared standard error */
	CHECK_REL(m->covariance[1 * 4 + 1], se[1] * se[1], 2e-6);
	double prob = 0, eta = 0;
	CU_ASSERT(mql_logit_predict(&eta, &prob, m, x, 1, 3, &err) == MQL_OK);
	CHECK_REL(prob, 0.02657799236476, 1e-6);
	CHECK_REL(eta, log(0.02657799236476 / (1 - 0.02657799236476)), 1e-6);
	CU_ASSERT(mql_logit_predict(&eta, NULL, m, x, 1, 2, &err) ==
		  MQL_ERR_USAGE);
	mql_logit_result_free(m);
	free(x);
	free(y);
	free(t.values);
}

/* --- the generated design against glm(epsilon = 1e-14) (r-output.txt) */
struct r_coef {
	double estimate, std_error, z, p;
};

static void check_against_r(const mql_logit_result *m, const struct r_coef *r,
			    double ll, double null_deviance, double aic)
{
	for (size_t k = 0; k < 5; k++) {
		CHECK_REL(m->coef[k].estimate, r[k].estimate, 1e-7);
		CHECK_REL(m->coef[k].std_error, r[k].std_error, 1e-7);
		CHECK_REL(m->coef[k].z, r[k].z, 1e-7);
		CHECK_REL(m->coef[k].p, r[k].p, 1e-6);
	}
	CHECK_REL(m->log_likelihood, ll, 1e-10);
	CHECK_REL(m->deviance, -2 * ll, 1e-10);
	CHECK_REL(m->null_deviance, null_deviance, 1e-10);
	CHECK_REL(m->aic, aic, 1e-10);
}

static void generated_design_matches_glm(void)
{
	static const struct r_coef r[] = {
		{-1.9789527294668139, 0.45331738325028159, -4.3654904986827123,
		 1.2683781567622857e-05},
		{0.62393482716727011, 0.28658152699811518, 2.1771634539841562,
		 0.02946837400484938},
		{-0.77552030226613444, 0.33802218476468066, -2.2942881775822639,
		 0.021773951208073315},
		{0.47542386318725971, 0.13278476580102289, 3.5804096977486055,
		 0.00034305588903174036},
		{0.70991515029384189, 0.27731021466958516, 2.5600036087372584,
		 0.01046710763521657},
	};
	struct design d;
	CU_ASSERT_FATAL(design_load(&d) == 0);
	mql_logit_input in = {.n_rows = d.n,
			      .n_cols = 4,
			      .x = d.x,
			      .y = d.y,
			      .names = design_columns};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	check_against_r(m, r, -189.67177809465144, 412.88328822815305,
			389.34355618930289);
	/* glm's iteration count at its default epsilon 1e-8 */
	CU_ASSERT_EQUAL(m->iterations, 4);
	CU_ASSERT(m->converged);
	CU_ASSERT_EQUAL(m->n_warnings, 0);
	mql_logit_result_free(m);
	/* a tighter tolerance takes glm's 5 iterations at epsilon 1e-14 */
	in.tolerance = 1e-14;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->iterations, 5);
	mql_logit_result_free(m);
	design_free(&d);
}

static void prior_weights_match_glm(void)
{
	static const struct r_coef r[] = {
		{-1.9807862866791863, 0.32869360646225737, -6.0262391714839527,
		 1.6781878929553299e-09},
		{0.52074507630517053, 0.20075716342018191, 2.5939053303680049,
		 0.0094892611892702112},
		{-0.98575128210422558, 0.24648861677493122, -3.9991756820328752,
		 6.3563485111213177e-05},
		{0.50664822972276913, 0.096216925916936813, 5.265687142823019,
		 1.3966596038595037e-07},
		{0.62572513150757969, 0.19555517326546817, 3.1997370412602244,
		 0.0013755302371536078},
	};
	struct design d;
	CU_ASSERT_FATAL(design_load(&d) == 0);
	mql_logit_input in = {.n_rows = d.n,
			      .n_cols = 4,
			      .x = d.x,
			      .y = d.y,
			      .weights = d.weights,
			      .names = design_columns};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	check_against_r(m, r, -377.94344368572024, 826.54233509435494,
			765.88688737144048);
	/* weights 1, 2, 3 repeating over 300 rows: 100 * 6 */
	CU_ASSERT_EQUAL(m->n_obs, 600);
	mql_logit_result_free(m);
	design_free(&d);
}

/* A copy of employees after it: R's coefficient is NA, the rest unchanged. */
static void aliased_copy_is_dropped_and_named(void)
{
	struct design d;
	CU_ASSERT_FATAL(design_load(&d) == 0);
	double *x = malloc(d.n * 5 * sizeof(double));
	CU_ASSERT_FATAL(x != NULL);
	for (size_t i = 0; i < d.n; i++) {
		memcpy(x + i * 5, d.x + i * 4, 3 * sizeof(double));
		x[i * 5 + 3] = d.x[i * 4 + 2];
		x[i * 5 + 4] = d.x[i * 4 + 3];
	}
	static const char *const names[] = {"region_b", "region_c", "employees",
					    "employees_copy", "decayed"};
	mql_logit_input in = {
		.n_rows = d.n, .n_cols = 5, .x = x, .y = d.y, .names = names};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->n_coef, 6);
	CU_ASSERT_EQUAL(m->rank, 5);
	CU_ASSERT(m->coef[4].aliased);
	CU_ASSERT(!m->coef[3].aliased);
	CU_ASSERT_EQUAL(m->coef[4].estimate, 0);
	CU_ASSERT_EQUAL(m->coef[4].std_error, 0);
	CU_ASSERT_EQUAL(m->covariance[4 * 6 + 4], 0);
	CU_ASSERT(has_warning(m, "'employees_copy'"));
	/* R (default control): the other estimates are the plain fit's */
	CHECK_REL(m->coef[0].estimate, -1.97895272946500511, 1e-7);
	CHECK_REL(m->coef[3].estimate, 0.47542386318679136, 1e-7);
	CHECK_REL(m->coef[5].estimate, 0.70991515029317032, 1e-7);
	CHECK_REL(m->aic, 389.34355618930289, 1e-9);
	CU_ASSERT(all_finite(m));
	/* an aliased column adds nothing to a prediction */
	double eta_with = 0, eta_without = 0;
	mql_logit_predict(&eta_with, NULL, m, x, 1, 5, NULL);
	x[3] += 100;
	mql_logit_predict(&eta_without, NULL, m, x, 1, 5, NULL);
	CU_ASSERT_EQUAL(eta_with, eta_without);
	mql_logit_result_free(m);
	free(x);
	design_free(&d);
}

/* Constant and all-zero columns are aliased with the intercept. */
static void constant_columns_are_dropped(void)
{
	/* x0 = 7 everywhere, x1 all 0, x2 the only information */
	double x[8 * 3], y[8] = {0, 0, 1, 0, 1, 1, 0, 1};
	double x2[8] = {1, 0, 1, 0, 1, 1, 0, 0};
	for (size_t i = 0; i < 8; i++) {
		x[i * 3] = 7;
		x[i * 3 + 1] = 0;
		x[i * 3 + 2] = x2[i];
	}
	mql_logit_input in = {.n_rows = 8, .n_cols = 3, .x = x, .y = y};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT(m->coef[1].aliased && m->coef[2].aliased);
	CU_ASSERT(!m->coef[3].aliased);
	CU_ASSERT(has_warning(m, "'x1' does not vary"));
	CU_ASSERT(has_warning(m, "'x2' does not vary"));
	/* 2x2 table: x2 = 1: 3 of 4 positive; x2 = 0: 1 of 4.
	   intercept = log(1/3), slope = log(3) - log(1/3) = 2 log 3;
	   SE(slope) = sqrt(1/3 + 1/1 + 1/1 + 1/3) = sqrt(8/3). */
	CHECK_REL(m->coef[0].estimate, log(1.0 / 3), 1e-8);
	CHECK_REL(m->coef[3].estimate, 2 * log(3.0), 1e-8);
	CHECK_REL(m->coef[3].std_error, sqrt(8.0 / 3), 1e-8);
	CU_ASSERT(all_finite(m));
	mql_logit_result_free(m);
}

/* region_c = 1 rows all made positive: R's Firth (make-fixtures.R). */
static void separated_indicator_is_named_and_finite(void)
{
	static const double b[] = {-1.8242232373451863, 0.61191537242258054,
				   5.075204238333618, 0.44005078940211445,
				   0.60943488674560131};
	static const double se[] = {0.48493539408784925, 0.28483757703129448,
				    1.4342736029897889, 0.1448769543984266,
				    0.30445391560264928};
	struct design d;
	CU_ASSERT_FATAL(design_load(&d) == 0);
	for (size_t i = 0; i < d.n; i++)
		if (d.x[i * 4 + 1] == 1)
			d.y[i] = 1;
	mql_logit_input in = {.n_rows = d.n,
			      .n_cols = 4,
			      .x = d.x,
			      .y = d.y,
			      .names = design_columns};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->coef[2].separated);
	CU_ASSERT(!m->coef[1].separated && !m->coef[3].separated);
	CU_ASSERT(has_warning(m, "'region_c' separates the outcome: all 62 "
				 "rows with it are positives"));
	CU_ASSERT(m->converged);
	for (size_t k = 0; k < 5; k++) {
		CHECK_REL(m->coef[k].estimate, b[k], 1e-6);
		CHECK_REL(m->coef[k].std_error, se[k], 1e-6);
	}
	CHECK_REL(m->log_likelihood, -155.56547396575226, 1e-8);
	CU_ASSERT(all_finite(m));
	/* forced maximum likelihood: still finite, flagged and warned */
	mql_logit_result_free(m);
	in.method = MQL_LOGIT_MLE;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_MLE);
	CU_ASSERT(m->coef[2].separated);
	CU_ASSERT(all_finite(m));
	mql_logit_result_free(m);
	design_free(&d);
}

/*
 * Firth on a 2x2 table equals the log odds ratio with 1/2 added to each
 * cell (the hat values sum to 1 per cell).  x = 1: 6 positives, 0
 * negatives; x = 0: 3 positives, 7 negatives.
 */
static void firth_two_by_two_adds_one_half(void)
{
	double x[16], y[16];
	for (size_t i = 0; i < 16; i++) {
		x[i] = i < 6 ? 1 : 0;
		y[i] = i < 9 ? 1 : 0;
	}
	mql_logit_input in = {.n_rows = 16, .n_cols = 1, .x = x, .y = y};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->coef[1].separated);
	CU_ASSERT(has_warning(m, "'x1'"));
	double intercept = log(3.5 / 7.5);
	CHECK_REL(m->coef[0].estimate, intercept, 1e-7);
	CHECK_REL(m->coef[1].estimate, log(6.5 / 0.5) - intercept, 1e-7);
	/* SE from I^-1 at those estimates: cells p1 = 6.5/7, p0 = 3.5/11 */
	double p1 = 6.5 / 7, p0 = 3.5 / 11;
	double w1 = 6 * p1 * (1 - p1), w0 = 10 * p0 * (1 - p0);
	CHECK_REL(m->coef[1].std_error, sqrt(1 / w1 + 1 / w0), 1e-6);
	CHECK_REL(m->coef[0].std_error, sqrt(1 / w0), 1e-6);
	mql_logit_result_free(m);
}

/* A decayed count whose non-zero rows are all negatives: found by counting
   before the fit, like an indicator. */
static void separated_count_found_before_fit(void)
{
	double x[12 * 2], y[12] = {1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0};
	for (size_t i = 0; i < 12; i++) {
		x[2 * i] = (double)(i % 4); /* overlaps */
		x[2 * i + 1] = i >= 8 ? 0.25 * (double)(i - 7) : 0; /* 4 rows */
	}
	static const char *const names[] = {"employees", "webinar_decayed"};
	mql_logit_input in = {
		.n_rows = 12, .n_cols = 2, .x = x, .y = y, .names = names};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT(m->coef[2].separated);
	CU_ASSERT(!m->coef[1].separated);
	CU_ASSERT(has_warning(m, "'webinar_decayed' separates the outcome: "
				 "all 4 rows where it is not 0 are negatives"));
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->coef[2].estimate < 0);
	CU_ASSERT(all_finite(m));
	mql_logit_result_free(m);
}

/* Complete separation on a continuous column, found during the fit. */
static void complete_separation_found_during_fit(void)
{
	double x[20], y[20];
	for (size_t i = 0; i < 20; i++) {
		x[i] = (double)i * 0.37;
		y[i] = i >= 10;
	}
	static const char *const names[] = {"visits"};
	mql_logit_input in = {
		.n_rows = 20, .n_cols = 1, .x = x, .y = y, .names = names};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->coef[1].separated);
	CU_ASSERT(has_warning(m, "'visits' separates the outcome"));
	CU_ASSERT(m->coef[1].estimate > 0);
	CU_ASSERT(all_finite(m));
	mql_logit_result_free(m);
}

/* Quasi-complete separation on a continuous column (visits = 10 holds one
   of each outcome): the MLE runs away, Firth matches R (make-fixtures.R). */
static void continuous_separation_matches_r_firth(void)
{
	static const double b[] = {-14.66504525180631, 1.4181022052320473,
				   1.1224269426177207};
	static const double se[] = {6.8958783993161816, 0.65990118062333203,
				    2.501882766428976};
	double x[42 * 2], y[42];
	for (int i = 0; i < 42; i++) {
		int v = i < 20 ? i : (i < 22 ? 20 : i - 1);
		x[2 * i] = v * 0.5;
		x[2 * i + 1] = ((i * 7) % 11) / 10.0;
		y[i] = v > 20 ? 1 : (v < 20 ? 0 : i == 20);
	}
	static const char *const names[] = {"visits", "other"};
	mql_logit_input in = {
		.n_rows = 42, .n_cols = 2, .x = x, .y = y, .names = names};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->converged);
	CU_ASSERT(m->coef[1].separated);
	CU_ASSERT(has_warning(m, "'visits' separates the outcome"));
	for (size_t k = 0; k < 3; k++) {
		CHECK_REL(m->coef[k].estimate, b[k], 1e-6);
		CHECK_REL(m->coef[k].std_error, se[k], 1e-6);
	}
	mql_logit_result_free(m);
}

/*
 * One categorical, as the X Education export's Lead Origin (counts from
 * the shared data's README): Landing Page Submission 1768 of 4886
 * (reference), API 1115 of 3580, Lead Add Form 664 of 718, Lead Import 13
 * of 55; one row per level and outcome with the count as prior weight.
 * The model is saturated, so each level's fitted log-odds is its group's:
 * intercept log(1768 / 3118), level k log(s_k / f_k) - intercept, SE
 * sqrt(1/s_k + 1/f_k + 1/1768 + 1/3118).  Quick Add Form, 1 of 1, then
 * separates; Firth on a saturated model adds 1/2 to each cell.
 */
static void categorical_equals_group_log_odds(void)
{
	static const double converted[5] = {1768, 1115, 664, 13, 1};
	static const double total[5] = {4886, 3580, 718, 55, 1};
	static const char *const names[] = {"api", "lead_add_form",
					    "lead_import", "quick_add_form"};
	double x[10 * 4] = {0}, y[10], w[10];
	for (size_t level = 0; level < 5; level++)
		for (size_t outcome = 0; outcome < 2; outcome++) {
			size_t row = 2 * level + outcome;
			if (level > 0)
				x[row * 4 + level - 1] = 1;
			y[row] = outcome == 0;
			w[row] = outcome == 0 ? converted[level]
					      : total[level] - converted[level];
		}
	/* without Quick Add Form (its two rows weigh 1 and 0): drop them */
	/* glm's stopping rule leaves about 1e-7 here; the closed form is
	   checked to 1e-9 at a tighter tolerance */
	mql_logit_input in = {.n_rows = 8,
			      .n_cols = 3,
			      .x = x,
			      .y = y,
			      .weights = w,
			      .tolerance = 1e-14};
	double x3[8 * 3];
	for (size_t row = 0; row < 8; row++)
		memcpy(x3 + row * 3, x + row * 4, 3 * sizeof(double));
	in.x = x3;
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_MLE);
	double base = log(1768.0 / 3118);
	CHECK_REL(m->coef[0].estimate, base, 1e-9);
	CHECK_REL(m->coef[0].std_error, sqrt(1 / 1768.0 + 1 / 3118.0), 1e-8);
	for (size_t k = 1; k < 4; k++) {
		double s = converted[k], f = total[k] - converted[k];
		CHECK_REL(m->coef[k].estimate, log(s / f) - base, 1e-9);
		CHECK_REL(m->coef[k].std_error,
			  sqrt(1 / s + 1 / f + 1 / 1768.0 + 1 / 3118.0), 1e-8);
	}
	CU_ASSERT_EQUAL(m->n_obs, 4886 + 3580 + 718 + 55);
	mql_logit_result_free(m);
	/* with Quick Add Form: separated, Firth, each cell plus 1/2 */
	in.n_rows = 10;
	in.n_cols = 4;
	in.x = x;
	in.names = names;
	in.tolerance = 0;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT(m->converged);
	CU_ASSERT(m->coef[4].separated);
	CU_ASSERT(has_warning(m, "'quick_add_form' separates the outcome: "
				 "all 1 rows with it are positives"));
	base = log(1768.5 / 3118.5);
	CHECK_REL(m->coef[0].estimate, base, 1e-7);
	for (size_t k = 1; k < 5; k++) {
		double s = converted[k] + 0.5;
		double f = total[k] - converted[k] + 0.5;
		CHECK_REL(m->coef[k].estimate, log(s / f) - base, 1e-6);
	}
	CU_ASSERT(all_finite(m));
	mql_logit_result_free(m);
}

/* Ridge against an independent Newton in R (lambda 5, make-fixtures.R). */
static void ridge_matches_r(void)
{
	static const double b[] = {-1.7149544612055114, 0.49735560345120455,
				   -0.54269690571286133, 0.41475734111396267,
				   0.51862487512506106};
	static const double se[] = {0.41597484797068479, 0.23583212168357329,
				    0.2606493022448485, 0.12372612757212159,
				    0.23105248908453932};
	struct design d;
	CU_ASSERT_FATAL(design_load(&d) == 0);
	mql_logit_input in = {.n_rows = d.n,
			      .n_cols = 4,
			      .x = d.x,
			      .y = d.y,
			      .l2 = 5,
			      .tolerance = 1e-14};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_RIDGE);
	CU_ASSERT_EQUAL(m->l2, 5);
	for (size_t k = 0; k < 5; k++) {
		CHECK_REL(m->coef[k].estimate, b[k], 1e-8);
		CHECK_REL(m->coef[k].std_error, se[k], 1e-8);
	}
	/* the penalized score equations hold: X'(y - p) = lambda b, with
	   no penalty on the intercept */
	double *prob = malloc(d.n * sizeof(double));
	CU_ASSERT_FATAL(prob != NULL);
	mql_logit_predict(NULL, prob, m, d.x, d.n, 4, NULL);
	for (size_t k = 0; k < 5; k++) {
		double score = 0;
		for (size_t i = 0; i < d.n; i++)
			score += (k == 0 ? 1 : d.x[i * 4 + k - 1]) *
				 (d.y[i] - prob[i]);
		double penalty = k == 0 ? 0 : 5 * m->coef[k].estimate;
		CU_ASSERT(fabs(score - penalty) < 1e-8);
	}
	free(prob);
	mql_logit_result_free(m);
	design_free(&d);
}

/*
 * Ridge by hand: x = +1 on 4 rows (3 positive), x = -1 on 4 rows (1
 * positive).  By symmetry b0 = 0; the score for b is 6 - 8 s(b) = lambda b.
 * With lambda = 2 / (3 ln 2), b = ln 2 solves it (s(ln 2) = 2/3).  Then W =
 * 2/9 on every row and the information is diag(16/9, 16/9 + lambda).
 */
static void ridge_by_hand(void)
{
	double x[8] = {1, 1, 1, 1, -1, -1, -1, -1};
	double y[8] = {1, 1, 1, 0, 1, 0, 0, 0};
	double lambda = 2 / (3 * log(2.0));
	mql_logit_input in = {.n_rows = 8,
			      .n_cols = 1,
			      .x = x,
			      .y = y,
			      .l2 = lambda,
			      .tolerance = 1e-14};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT(fabs(m->coef[0].estimate) < 1e-12);
	CHECK_REL(m->coef[1].estimate, log(2.0), 1e-10);
	CHECK_REL(m->coef[0].std_error, sqrt(9.0 / 16), 1e-10);
	CHECK_REL(m->coef[1].std_error, 1 / sqrt(16.0 / 9 + lambda), 1e-10);
	mql_logit_result_free(m);
}

/* No design columns: the intercept is logit(share), SE 1/sqrt(n p (1-p)). */
static void intercept_only(void)
{
	double y[10] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
	mql_logit_input in = {.n_rows = 10, .n_cols = 0, .y = y};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->n_coef, 1);
	CHECK_REL(m->coef[0].estimate, log(3.0 / 7), 1e-10);
	CHECK_REL(m->coef[0].std_error, 1 / sqrt(10 * 0.3 * 0.7), 1e-10);
	CHECK_REL(m->deviance, m->null_deviance, 1e-12);
	mql_logit_result_free(m);
}

/* Degenerate input: refused with a status and a message, never fitted. */
static void degenerate_input_is_refused(void)
{
	double x[4] = {1, 2, 3, 4}, y[4] = {0, 1, 0, 1};
	double ones[4] = {1, 1, 1, 1}, half[4] = {0, 0.5, 1, 1};
	double weights[4] = {1, -1, 1, 1}, zeros[4] = {0, 0, 0, 0};
	mql_logit_result *m = NULL;
	mql_error err;
	mql_logit_input in = {.n_rows = 0, .n_cols = 1, .x = x, .y = y};
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	CU_ASSERT(m == NULL);
	in.n_rows = 4;
	in.y = ones;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	CU_ASSERT(strstr(err.message, "outcome is 1 on every row") != NULL);
	in.y = half;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	CU_ASSERT(strstr(err.message, "row 2") != NULL);
	in.y = y;
	in.weights = weights;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	in.weights = zeros;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	in.weights = NULL;
	x[2] = NAN;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_INPUT);
	CU_ASSERT(strstr(err.message, "row 3, column 'x1'") != NULL);
	x[2] = 3;
	in.l2 = -1;
	CU_ASSERT_EQUAL(mql_logit_fit(&m, &in, &err), MQL_ERR_USAGE);
	in.l2 = 0;
	CU_ASSERT_EQUAL(mql_logit_fit(NULL, &in, &err), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_logit_fit(&m, NULL, &err), MQL_ERR_USAGE);
	CU_ASSERT(m == NULL);
	mql_logit_result_free(NULL);
	CU_ASSERT_EQUAL(mql_logit_inverse(-800), 0);
	CU_ASSERT_EQUAL(mql_logit_inverse(800), 1);
	CU_ASSERT_STRING_EQUAL(mql_logit_method_name(MQL_LOGIT_FIRTH), "firth");
}

/*
 * The z of the 95% intervals is the normal quantile (R: qnorm(0.975) =
 * 1.959963984540054), and the AUC's DeLong interval uses the same one.
 * Scores {1, 2, 3, 4} for y = {0, 1, 0, 1}: AUC 3/4 (pairs 2>1, 4>1, 4>3
 * of 4).  DeLong by hand: the positives' components (2: 1/2 of negatives
 * below, 4: 1) and the negatives' (1: 1 of positives above, 3: 1/2) each
 * have variance ((1/4)^2 + (1/4)^2) / 1 = 1/8, so var = 1/8 / 2 + 1/8 / 2
 * = 1/8, se = sqrt(1/8); the interval is [3/4 - z se, min(1, 3/4 + z se)].
 */
static void intervals_use_the_normal_quantile(void)
{
	CU_ASSERT_DOUBLE_EQUAL(MQL_LOGIT_Z95, gsl_cdf_ugaussian_Pinv(0.975),
			       1e-15);
	CU_ASSERT_DOUBLE_EQUAL(MQL_LOGIT_Z95, 1.959963984540054, 1e-15);

	const double score[] = {1, 2, 3, 4}, y[] = {0, 1, 0, 1};
	mql_auc auc;
	CU_ASSERT_EQUAL_FATAL(mql_validate_auc(&auc, score, y, 4, NULL), 0);
	CU_ASSERT_DOUBLE_EQUAL(auc.auc, 0.75, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(auc.std_error, sqrt(0.125), 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(auc.ci_low,
			       0.75 - 1.959963984540054 * sqrt(0.125), 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(auc.ci_high, 1, 0);
}

CU_TestInfo test_logit[] = {
	{"spector matches published", spector_matches_published},
	{"generated design matches glm", generated_design_matches_glm},
	{"prior weights match glm", prior_weights_match_glm},
	{"aliased copy is dropped and named",
	 aliased_copy_is_dropped_and_named},
	{"constant columns are dropped", constant_columns_are_dropped},
	{"separated indicator is named and finite",
	 separated_indicator_is_named_and_finite},
	{"firth two by two adds one half", firth_two_by_two_adds_one_half},
	{"separated count found before fit", separated_count_found_before_fit},
	{"complete separation found during fit",
	 complete_separation_found_during_fit},
	{"continuous separation matches r firth",
	 continuous_separation_matches_r_firth},
	{"categorical equals group log odds",
	 categorical_equals_group_log_odds},
	{"ridge matches r", ridge_matches_r},
	{"ridge by hand", ridge_by_hand},
	{"intercept only", intercept_only},
	{"degenerate input is refused", degenerate_input_is_refused},
	{"intervals use the normal quantile",
	 intervals_use_the_normal_quantile},
	CU_TEST_INFO_NULL,
};
