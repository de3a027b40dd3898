/* test_backtest.c - the drift index and the top-slice acceptance rate,
 * against arithmetic worked by hand in the comments. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/backtest.h>

static void psi_equals_the_formula(void)
{
	/* e = 0.25 each, a = 0.1 0.2 0.3 0.4:
	 * (-0.15) ln 0.4 + (-0.05) ln 0.8 + 0.05 ln 1.2 + 0.15 ln 1.6
	 * = 0.1374436 + 0.0111572 + 0.0091161 + 0.0705006 = 0.2282175 */
	const double expected[] = {25, 25, 25, 25};
	const double actual[] = {10, 20, 30, 40};
	double psi = mql_backtest_psi(expected, actual, 4);
	CU_ASSERT_DOUBLE_EQUAL(psi,
			       -0.15 * log(0.4) - 0.05 * log(0.8) +
				       0.05 * log(1.2) + 0.15 * log(1.6),
			       1e-12);
	CU_ASSERT_DOUBLE_EQUAL(psi, 0.2282175, 1e-7);
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(psi, 0.01), "moderate");
	/* identical shares: 0 */
	CU_ASSERT_DOUBLE_EQUAL(mql_backtest_psi(expected, expected, 4), 0.0,
			       1e-15);
}

static void empty_bin_counts_half_a_row(void)
{
	/* expected {10, 0}: shares 10/10 = 1 and 0.5/10 = 0.05; actual
	 * {5, 5}: 0.5, 0.5.  PSI = (0.5 - 1) ln 0.5 + (0.5 - 0.05) ln 10
	 * = 0.3465736 + 1.0361633 = 1.3827369 */
	const double expected[] = {10, 0};
	const double actual[] = {5, 5};
	double psi = mql_backtest_psi(expected, actual, 2);
	CU_ASSERT_DOUBLE_EQUAL(psi, 1.3827369, 1e-7);
	CU_ASSERT_TRUE(isfinite(psi));
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(psi, 0.01), "major");
	const double none[] = {0, 0};
	CU_ASSERT_TRUE(isnan(mql_backtest_psi(expected, none, 2)));
}

static void drift_verdicts(void)
{
	/* Beyond a small noise level, the conventional cut-offs. */
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.0999, 0.01), "stable");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.1, 0.01), "moderate");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.25, 0.01), "moderate");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.2501, 0.01), "major");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(NAN, 0.01), "");
	/* Within the noise: stable, or too few leads to tell when chance
	 * alone reaches the moderate line. */
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.133, 0.171),
			       "too few leads");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.3, 0.35), "too few leads");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.04, 0.05), "stable");
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.12, 0.05), "moderate");
}

/*
 * With no drift, PSI (the Jeffreys divergence of the two samples' shares)
 * is to second order sum (a_i - e_i)^2 / e_i, a chi-square with bins - 1
 * degrees of freedom times (1/n + 1/R).  Ten equal bins: the 95% point of
 * chi-square(9) is 16.919 (published tables), so the noise is about
 * 16.919 (1/n + 1/R): 0.0423 at n = 400, R = 1e6, and 0.1709 at n = 99,
 * where the reported partial month of 99 leads with PSI 0.133 is within
 * it.  Higher-order terms add a few per cent at these sizes.
 */
static void psi_noise_follows_chi_square(void)
{
	const double shares[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	double at_400 = mql_backtest_psi_noise(shares, 10, 1e6, 400, 0.95);
	CU_ASSERT(fabs(at_400 / (16.919 * (1 / 400.0 + 1e-6)) - 1) < 0.08);
	double at_99 = mql_backtest_psi_noise(shares, 10, 1e6, 99, 0.95);
	CU_ASSERT(fabs(at_99 / (16.919 * (1 / 99.0 + 1e-6)) - 1) < 0.12);
	CU_ASSERT_STRING_EQUAL(mql_backtest_drift(0.133, at_99),
			       "too few leads");
	/* Both samples are noisy: equal sizes double it. */
	double both = mql_backtest_psi_noise(shares, 10, 400, 400, 0.95);
	CU_ASSERT(fabs(both / (16.919 * (2 / 400.0)) - 1) < 0.08);
	/* Same inputs, same value; nothing to judge without rows. */
	CU_ASSERT_EQUAL(mql_backtest_psi_noise(shares, 10, 1e6, 400, 0.95),
			at_400);
	CU_ASSERT(isnan(mql_backtest_psi_noise(shares, 10, 1e6, 0, 0.95)));
}

static void top_rate_splits_ties(void)
{
	/* top 3 of scores 5 4 4 4 1 with y 1 0 1 1 0: the 5 (a positive)
	 * and 2 of the three tied 4s, which hold 2 positives: expected
	 * 2 x 2/3 = 1.3333; rate = (1 + 1.3333) / 3 = 0.7777778 */
	const double score[] = {5, 4, 4, 4, 1};
	const double y[] = {1, 0, 1, 1, 0};
	double rate;
	CU_ASSERT_EQUAL(mql_backtest_top_rate(&rate, score, y, 5, 3), 0);
	CU_ASSERT_DOUBLE_EQUAL(rate, 7.0 / 9.0, 1e-12);
	CU_ASSERT_EQUAL(mql_backtest_top_rate(&rate, score, y, 5, 5), 0);
	CU_ASSERT_DOUBLE_EQUAL(rate, 0.6, 1e-12);
	CU_ASSERT_EQUAL(mql_backtest_top_rate(&rate, score, y, 5, 0), 0);
	CU_ASSERT_TRUE(isnan(rate));
}

/*
 * The comparison at equal volume as a CSV of its own, one row per file:
 * old flags 6 of 10 decided MQLs, new 4, so k = 4; old's top 4 accept
 * 0.5, new's 0.75; the new file's AUC is unknown (an empty cell).
 */
static void equal_volume_is_written_per_file(void)
{
	mql_backtest b = {0};
	b.comparison = (mql_backtest_comparison){.decided = 10,
						 .flagged = {6, 4},
						 .volume = 4,
						 .accepted = {0.5, 0.75},
						 .auc = {0.625, NAN},
						 .new_is_worse = 0};
	char *text = NULL;
	size_t size = 0;
	mql_error err;
	FILE *fp = open_memstream(&text, &size);
	CU_ASSERT_FATAL(fp != NULL);
	CU_ASSERT_EQUAL(mql_backtest_write_equal_volume(&b, fp, MQL_FORMAT_CSV,
							"a.json", "b.json",
							&err),
			0);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(text,
			       "rules,decided,flagged,volume,accepted_rate,auc,"
			       "rules_file\r\n"
			       "old,10,6,4,0.5,0.625,a.json\r\n"
			       "new,10,4,4,0.75,,b.json\r\n");
	free(text);
}

CU_TestInfo test_backtest[] = {
	{"psi equals the formula", psi_equals_the_formula},
	{"empty bin counts half a row", empty_bin_counts_half_a_row},
	{"drift verdicts", drift_verdicts},
	{"PSI noise follows chi-square", psi_noise_follows_chi_square},
	{"top rate splits ties", top_rate_splits_ties},
	{"equal volume is written per file", equal_volume_is_written_per_file},
	CU_TEST_INFO_NULL,
};
