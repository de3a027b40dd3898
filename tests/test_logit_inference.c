/*
 * test_logit_inference.c - what a fit's intervals and AIC mean: Firth's
 * profile penalized-likelihood intervals and p-values against an
 * independent R implementation of logistf's defaults
 * (tests/fixtures/logit/make-firth-profile.R, its printed output in
 * firth-profile-output.txt), and a ridge fit's effective degrees of
 * freedom against R (make-ridge-edf.R, ridge-edf-output.txt).  The R
 * outputs are read here.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/logit.h>

#include "numeric_csv.h"

#define PROFILE_OUTPUT MQL_FIXTURES "/logit/firth-profile-output.txt"
#define RIDGE_OUTPUT   MQL_FIXTURES "/logit/ridge-edf-output.txt"

/* The value R printed in file for "<tag> <k> <field>", or NAN. */
static double r_printed(const char *file, const char *tag, size_t k,
			const char *field)
{
	char key[128], line[256];
	snprintf(key, sizeof key, "%s %zu %s ", tag, k, field);
	FILE *fp = fopen(file, "r");
	double value = NAN;
	while (fp && fgets(line, sizeof line, fp))
		if (strncmp(line, key, strlen(key)) == 0) {
			value = strtod(line + strlen(key), NULL);
			break;
		}
	if (fp)
		fclose(fp);
	return value;
}

static double r_value(const char *tag, size_t k, const char *field)
{
	return r_printed(PROFILE_OUTPUT, tag, k, field);
}

/* |actual - expected| <= tolerance * max(1, |expected|) */
static int close_to(double actual, double expected, double tolerance)
{
	return isfinite(expected) &&
	       fabs(actual - expected) <= tolerance * fmax(1, fabs(expected));
}

/* Every coefficient of m against R's numbers under tag: estimates,
   bounds to 1e-6, p-values to 1e-6 of their size. */
static void check_against_r(const mql_logit_result *m, const char *tag)
{
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT_EQUAL(m->interval, MQL_LOGIT_PROFILE);
	CU_ASSERT_STRING_EQUAL(mql_logit_interval_name(m->interval), "profile");
	for (size_t k = 0; k < m->n_coef; k++) {
		const mql_logit_coef *c = &m->coef[k];
		CU_ASSERT(close_to(c->estimate, r_value(tag, k, "estimate"),
				   1e-6));
		CU_ASSERT(close_to(c->ci_low, r_value(tag, k, "ci_low"), 1e-6));
		CU_ASSERT(
			close_to(c->ci_high, r_value(tag, k, "ci_high"), 1e-6));
		double p = r_value(tag, k, "p");
		CU_ASSERT(isfinite(p) && fabs(c->p - p) <= 1e-6 * p);
		/* the profile interval is not the Wald one */
		CU_ASSERT(fabs(c->ci_low -
			       (c->estimate - MQL_LOGIT_Z95 * c->std_error)) >
			  1e-3);
	}
}

/* design.csv with every region_c = 1 row made positive. */
static void separated_indicator_matches_r_profile(void)
{
	static const char *const names[] = {"region_b", "region_c", "employees",
					    "decayed"};
	static const char *const y_name[] = {"y"};
	struct numeric_csv table;
	CU_ASSERT_FATAL(numeric_csv_read(&table, MQL_FIXTURES
					 "/logit/design.csv") == 0);
	double *x = numeric_csv_select(&table, names, 4);
	double *y = numeric_csv_select(&table, y_name, 1);
	CU_ASSERT_FATAL(x && y);
	for (size_t i = 0; i < table.rows; i++)
		if (x[i * 4 + 1] == 1)
			y[i] = 1;
	mql_logit_input in = {.n_rows = table.rows,
			      .n_cols = 4,
			      .x = x,
			      .y = y,
			      .names = names,
			      .profile = 1};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	check_against_r(m, "region_c separated");
	/* the separated rule's interval is far from symmetric */
	CU_ASSERT(m->coef[2].ci_high - m->coef[2].estimate >
		  2 * (m->coef[2].estimate - m->coef[2].ci_low));
	mql_logit_result_free(m);
	/* a maximum-likelihood fit keeps Wald intervals */
	for (size_t i = 0; i < table.rows; i++)
		if (x[i * 4 + 1] == 1)
			y[i] = (double)(i % 2);
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_MLE);
	CU_ASSERT_EQUAL(m->interval, MQL_LOGIT_WALD);
	CU_ASSERT_DOUBLE_EQUAL(m->coef[1].ci_high,
			       m->coef[1].estimate +
				       MQL_LOGIT_Z95 * m->coef[1].std_error,
			       1e-12);
	mql_logit_result_free(m);
	free(x);
	free(y);
	free(table.values);
}

/* A separated rule as a 2x2 table: x = 1: 6 of 6 positive; x = 0: 3 of
   10. */
static void separated_two_by_two_matches_r_profile(void)
{
	double x[16], y[16];
	for (size_t i = 0; i < 16; i++) {
		x[i] = i < 6 ? 1 : 0;
		y[i] = i < 9 ? 1 : 0;
	}
	mql_logit_input in = {
		.n_rows = 16, .n_cols = 1, .x = x, .y = y, .profile = 1};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	check_against_r(m, "two by two");
	mql_logit_result_free(m);
	/* not asked for (a fit only to predict): Wald */
	in.profile = 0;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT_EQUAL(m->interval, MQL_LOGIT_WALD);
	CU_ASSERT_DOUBLE_EQUAL(m->coef[1].ci_low,
			       m->coef[1].estimate -
				       MQL_LOGIT_Z95 * m->coef[1].std_error,
			       1e-12);
	mql_logit_result_free(m);
}

/* Beyond the budget (rows x coefficients^3 > 1e9: 1000 rows of 100
   columns and the intercept) the intervals stay Wald, with a warning. */
static void profile_beyond_budget_stays_wald(void)
{
	enum { rows = 1000, columns = 100 };
	double *x = calloc(rows * columns, sizeof(double));
	double *y = calloc(rows, sizeof(double));
	CU_ASSERT_FATAL(x && y);
	unsigned state = 7;
	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 1; j < columns; j++) {
			state = state * 1103515245u + 12345u;
			x[i * columns + j] =
				(double)(state >> 16 & 1023) / 1024;
		}
		x[i * columns] = i % 50 == 0;
		y[i] = i % 50 == 0 || i % 3 == 0;
	}
	mql_logit_input in = {.n_rows = rows,
			      .n_cols = columns,
			      .x = x,
			      .y = y,
			      .profile = 1};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_EQUAL(m->method, MQL_LOGIT_FIRTH);
	CU_ASSERT_EQUAL(m->interval, MQL_LOGIT_WALD);
	int warned = 0;
	for (size_t w = 0; w < m->n_warnings; w++)
		warned |= strstr(m->warnings[w], "intervals and p-values are "
						 "Wald") != NULL;
	CU_ASSERT(warned);
	mql_logit_result_free(m);
	free(x);
	free(y);
}

/* --l2: AIC counts trace(H (H + lambda D)^-1), the effective degrees of
   freedom, computed in R at lambda 5 and 50. */
static void ridge_counts_effective_df(void)
{
	static const char *const names[] = {"region_b", "region_c", "employees",
					    "decayed"};
	static const char *const y_name[] = {"y"};
	struct numeric_csv table;
	CU_ASSERT_FATAL(numeric_csv_read(&table, MQL_FIXTURES
					 "/logit/design.csv") == 0);
	double *x = numeric_csv_select(&table, names, 4);
	double *y = numeric_csv_select(&table, y_name, 1);
	CU_ASSERT_FATAL(x && y);
	static const size_t lambdas[] = {5, 50};
	for (size_t i = 0; i < 2; i++) {
		mql_logit_input in = {.n_rows = table.rows,
				      .n_cols = 4,
				      .x = x,
				      .y = y,
				      .l2 = (double)lambdas[i],
				      .tolerance = 1e-14,
				      .max_iterations = 100};
		mql_logit_result *m = NULL;
		CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
		double edf =
			r_printed(RIDGE_OUTPUT, "ridge", lambdas[i], "edf");
		CU_ASSERT(close_to(m->edf, edf, 1e-8));
		CU_ASSERT(edf < 5 - 0.9);
		CU_ASSERT(close_to(
			m->aic,
			r_printed(RIDGE_OUTPUT, "ridge", lambdas[i], "aic"),
			1e-8));
		CU_ASSERT_EQUAL(m->interval, MQL_LOGIT_WALD);
		mql_logit_result_free(m);
	}
	/* without a penalty, the number of coefficients */
	mql_logit_input in = {
		.n_rows = table.rows, .n_cols = 4, .x = x, .y = y};
	mql_logit_result *m = NULL;
	CU_ASSERT_FATAL(mql_logit_fit(&m, &in, NULL) == MQL_OK);
	CU_ASSERT_DOUBLE_EQUAL(m->edf, 5, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(m->aic, m->deviance + 10, 1e-9);
	mql_logit_result_free(m);
	free(x);
	free(y);
	free(table.values);
}

CU_TestInfo test_logit_inference[] = {
	{"separated indicator matches r profile",
	 separated_indicator_matches_r_profile},
	{"separated two by two matches r profile",
	 separated_two_by_two_matches_r_profile},
	{"profile beyond budget stays wald", profile_beyond_budget_stays_wald},
	{"ridge counts effective df", ridge_counts_effective_df},
	CU_TEST_INFO_NULL,
};
