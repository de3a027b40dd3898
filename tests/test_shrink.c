/*
 * test_shrink.c - beta-binomial empirical Bayes, exact binomial test, BH.
 *
 * Reference values come from tests/fixtures/shrink/shrink.R (R's p.adjust,
 * binom.test, qbeta and optim), its output kept in shrink.out, and from the
 * method-of-moments example worked by hand below.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include <mqlcal/shrink.h>

#define CLOSE(a, b, tol) CU_ASSERT(fabs((a) - (b)) <= (tol))

/*
 * Groups 1/10, 5/10, 6/20: N = 40, X = 12, m = 0.3, rates 0.1, 0.5, 0.3.
 * S = 10 (0.2)^2 + 10 (0.2)^2 + 20 (0)^2 = 0.8; m (1 - m) = 0.21.
 * sum n^2 / N = 600 / 40 = 15; k - 1 = 2.
 * rho = (0.8 / 0.21 - 2) / (40 - 15 - 2) = (38 / 21) / 23 = 38 / 483.
 * alpha + beta = 483 / 38 - 1 = 445 / 38 = 11.710526...
 * alpha = 0.3 * 445 / 38 = 133.5 / 38, beta = 311.5 / 38.
 * Group 1/10: posterior mean (1 + 133.5/38) / (10 + 445/38) = 171.5 / 825.
 */
static const double hand_successes[] = {1, 5, 6};
static const double hand_trials[] = {10, 10, 20};

static void moments_match_hand_worked_example(void)
{
	mql_beta_prior prior;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_moments(&prior, hand_successes,
						     hand_trials, 3, &err),
			      0);
	CLOSE(prior.rho, 38.0 / 483.0, 1e-12);
	CLOSE(prior.alpha, 133.5 / 38.0, 1e-12);
	CLOSE(prior.beta, 311.5 / 38.0, 1e-12);
	CLOSE(prior.mean, 0.3, 1e-12);
	CU_ASSERT_FALSE(prior.capped);
	CLOSE(mql_shrink_posterior_mean(&prior, 1, 10), 171.5 / 825.0, 1e-12);
}

/* R: qbeta(c(0.025, 0.975), 1 + a, 9 + b) for the prior above. */
static void interval_matches_r_qbeta(void)
{
	gsl_set_error_handler_off();
	mql_beta_prior prior;
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_moments(&prior, hand_successes,
						     hand_trials, 3, NULL),
			      0);
	double low, high;
	CU_ASSERT_EQUAL(mql_shrink_interval(&low, &high, &prior, 1, 10, 0.95),
			0);
	CLOSE(low, 0.0692906817541754, 1e-9);
	CLOSE(high, 0.397066243625492, 1e-9);
	CU_ASSERT_EQUAL(mql_shrink_interval(&low, &high, &prior, 11, 10, 0.95),
			MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_shrink_interval(&low, &high, &prior, 1, 10, 1.0),
			MQL_ERR_USAGE);
}

/* R: optim on the same marginal likelihood (shrink.R). */
static void max_likelihood_matches_r_optim(void)
{
	gsl_set_error_handler_off();
	const double x[] = {3, 10, 2, 12, 7, 1, 20, 5};
	const double n[] = {20, 25, 30, 40, 15, 12, 50, 35};
	mql_beta_prior prior;
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_ml(&prior, x, n, 8, NULL), 0);
	CU_ASSERT_EQUAL(prior.method, MQL_BETA_MAX_LIKELIHOOD);
	CLOSE(prior.alpha, 3.15518042308547, 3.2e-3);
	CLOSE(prior.beta, 9.28471478840798, 9.3e-3);
	CU_ASSERT_FALSE(prior.capped);
}

/* Identical rates: no between-group variation, so the strength is capped
 * at N = 300 and the prior mean is the pooled rate 0.2. */
static void no_variation_caps_strength(void)
{
	gsl_set_error_handler_off();
	const double x[] = {20, 20, 20};
	const double n[] = {100, 100, 100};
	mql_beta_prior prior;
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_moments(&prior, x, n, 3, NULL), 0);
	CU_ASSERT_TRUE(prior.capped);
	CLOSE(prior.alpha + prior.beta, 300, 1e-9);
	CLOSE(prior.mean, 0.2, 1e-12);
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_ml(&prior, x, n, 3, NULL), 0);
	CU_ASSERT_TRUE(prior.capped);
	CU_ASSERT_TRUE(isfinite(prior.alpha) && isfinite(prior.beta));
}

/* No successes anywhere: the mean becomes (0 + 0.5) / (30 + 1). */
static void degenerate_input_stays_finite(void)
{
	gsl_set_error_handler_off();
	const double zeros[] = {0, 0, 0};
	const double n[] = {10, 10, 10};
	mql_beta_prior prior;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_shrink_fit_ml(&prior, zeros, n, 3, &err), 0);
	CLOSE(prior.mean, 0.5 / 31, 1e-12);
	CU_ASSERT(prior.alpha > 0 && prior.beta > 0);
	double low, high;
	CU_ASSERT_EQUAL(mql_shrink_interval(&low, &high, &prior, 0, 10, 0.95),
			0);
	CU_ASSERT(isfinite(low) && isfinite(high) && low <= high);

	/* One group with trials: nothing to fit across. */
	const double one_x[] = {3, 0};
	const double one_n[] = {9, 0};
	CU_ASSERT_EQUAL(mql_shrink_fit_moments(&prior, one_x, one_n, 2, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(mql_shrink_fit_ml(&prior, one_x, one_n, 0, &err),
			MQL_ERR_INPUT);
	const double bad_x[] = {11, 1};
	const double bad_n[] = {10, 10};
	CU_ASSERT_EQUAL(mql_shrink_fit_moments(&prior, bad_x, bad_n, 2, &err),
			MQL_ERR_INPUT);
}

/* R: binom.test(x, n, p)$p.value (shrink.out). */
static void binomial_test_matches_r(void)
{
	gsl_set_error_handler_off();
	static const struct {
		unsigned long x, n;
		double rate, p_value;
	} cases[] = {
		{2, 2, 0.3, 0.09},
		{0, 10, 0.3, 0.0388396033},
		{3, 50, 0.3, 6.85957681619195e-05},
		{15, 50, 0.3, 1},
		{25, 50, 0.3, 0.00309240957014462},
		{7, 50, 0.14, 1},
		{120, 400, 0.25, 0.0241774530919627},
		{0, 1, 0.5, 1},
		{5, 5, 0.5, 0.0625},
		{40, 1000, 0.05, 0.167368751641552},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double p = mql_binomial_test(cases[i].x, cases[i].n,
					     cases[i].rate);
		CU_ASSERT(fabs(p - cases[i].p_value) <=
			  1e-9 * fmax(1e-3, cases[i].p_value));
	}
	CU_ASSERT(isnan(mql_binomial_test(0, 0, 0.3)));
	CU_ASSERT(isnan(mql_binomial_test(1, 2, 1.5)));
}

/* R: p.adjust(p, method = "BH") with an NA (shrink.out). */
static void bh_matches_r_p_adjust(void)
{
	double p[] = {0.01, 0.04, 0.03,	 0.20, NAN,
		      0.04, 0.5,  0.001, 0.9,  0.049};
	const double expected[] = {0.045, 0.072, 0.072,	 0.257142857142857,
				   NAN,	  0.072, 0.5625, 0.009,
				   0.9,	  0.0735};
	double q[10];
	CU_ASSERT_EQUAL_FATAL(mql_shrink_bh(q, p, 10), 0);
	for (size_t i = 0; i < 10; i++) {
		if (isnan(expected[i])) {
			CU_ASSERT(isnan(q[i]));
		} else {
			CLOSE(q[i], expected[i], 1e-12);
		}
	}
	/* In place, and empty input. */
	CU_ASSERT_EQUAL(mql_shrink_bh(p, p, 10), 0);
	CLOSE(p[1], 0.072, 1e-12);
	CU_ASSERT_EQUAL(mql_shrink_bh(q, p, 0), 0);
}

/*
 * R's qbeta over a grid of shapes and tails (tests/fixtures/shrink/qbeta.R,
 * output in qbeta.out), including (37.7, 752) at 0.975 and others where
 * gsl_cdf_beta_Pinv returns NaN.  Relative tolerance 1e-9.
 */
static void beta_quantile_matches_r_qbeta_grid(void)
{
	gsl_set_error_handler_off();
	FILE *fp = fopen(MQL_FIXTURES "/shrink/qbeta.out", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	double a, b, p, expected;
	int rows = 0;
	while (fscanf(fp, "%lf %lf %lf %lf", &a, &b, &p, &expected) == 4) {
		double q = mql_shrink_beta_quantile(p, a, b);
		CU_ASSERT(fabs(q - expected) <= 1e-9 * expected);
		rows++;
	}
	fclose(fp);
	CU_ASSERT_EQUAL(rows, 192);
	/* The reported case: the upper limit of Beta(37.7, 752). */
	double high = mql_shrink_beta_quantile(0.975, 37.7, 752);
	CU_ASSERT(fabs(gsl_cdf_beta_P(high, 37.7, 752) - 0.975) < 1e-12);
	CU_ASSERT(isnan(mql_shrink_beta_quantile(0.5, 0, 1)));
	CU_ASSERT_EQUAL(mql_shrink_beta_quantile(0, 2, 3), 0);
	CU_ASSERT_EQUAL(mql_shrink_beta_quantile(1, 2, 3), 1);
}

CU_TestInfo test_shrink[] = {
	{"moments match hand-worked example",
	 moments_match_hand_worked_example},
	{"interval matches R qbeta", interval_matches_r_qbeta},
	{"beta quantile matches R qbeta grid",
	 beta_quantile_matches_r_qbeta_grid},
	{"max likelihood matches R optim", max_likelihood_matches_r_optim},
	{"no variation caps strength", no_variation_caps_strength},
	{"degenerate input stays finite", degenerate_input_stays_finite},
	{"binomial test matches R", binomial_test_matches_r},
	{"BH matches R p.adjust", bh_matches_r_p_adjust},
	CU_TEST_INFO_NULL,
};
