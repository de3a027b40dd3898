/*
 * test_attribution.c - the credit rules, worked by hand (METHODS.md:
 * u-shaped = 40% first, 40% last, 20% shared by the rest).
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>

#include <mqlcal/attribution.h>

#define CLOSE(a, b) CU_ASSERT(fabs((a) - (b)) <= 1e-12)

/* Credit of campaign c among n entries (0 when absent). */
static double credit_of(int32_t c, const int32_t *campaigns,
			const double *credits, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		if (campaigns[i] == c)
			sum += credits[i];
	return sum;
}

/* Campaigns 7 (first), 8 (middle), 9 (last). */
static void three_campaigns(void)
{
	const int32_t touched[] = {9, 7, 8};
	int32_t campaigns[4];
	double credits[4];
	size_t n = mql_attribution_credit(MQL_ATTRIBUTION_LINEAR, 7, 9, touched,
					  3, campaigns, credits);
	CU_ASSERT_EQUAL(n, 3);
	CLOSE(credit_of(7, campaigns, credits, n), 1.0 / 3);
	CLOSE(credit_of(8, campaigns, credits, n), 1.0 / 3);
	CLOSE(credit_of(9, campaigns, credits, n), 1.0 / 3);
	n = mql_attribution_credit(MQL_ATTRIBUTION_U_SHAPED, 7, 9, touched, 3,
				   campaigns, credits);
	CU_ASSERT_EQUAL(n, 3);
	CLOSE(credit_of(7, campaigns, credits, n), 0.4);
	CLOSE(credit_of(8, campaigns, credits, n), 0.2);
	CLOSE(credit_of(9, campaigns, credits, n), 0.4);
	n = mql_attribution_credit(MQL_ATTRIBUTION_FIRST, 7, 9, touched, 3,
				   campaigns, credits);
	CU_ASSERT(n == 1 && campaigns[0] == 7 && credits[0] == 1);
	n = mql_attribution_credit(MQL_ATTRIBUTION_LAST, 7, 9, touched, 3,
				   campaigns, credits);
	CU_ASSERT(n == 1 && campaigns[0] == 9 && credits[0] == 1);
}

/* Two campaigns: u-shaped 0.5 / 0.5.  One campaign: all of it. */
static void two_and_one_campaigns(void)
{
	const int32_t two[] = {3, 4};
	int32_t campaigns[3];
	double credits[3];
	size_t n = mql_attribution_credit(MQL_ATTRIBUTION_U_SHAPED, 3, 4, two,
					  2, campaigns, credits);
	CU_ASSERT_EQUAL(n, 2);
	CLOSE(credit_of(3, campaigns, credits, n), 0.5);
	CLOSE(credit_of(4, campaigns, credits, n), 0.5);
	const int32_t one[] = {5};
	for (int m = MQL_ATTRIBUTION_FIRST; m <= MQL_ATTRIBUTION_U_SHAPED;
	     m++) {
		n = mql_attribution_credit((mql_attribution_model)m, 5, 5, one,
					   1, campaigns, credits);
		CU_ASSERT(n == 1 && campaigns[0] == 5 && credits[0] == 1);
	}
	/* No campaign at all: the whole credit goes to "none" (-1). */
	n = mql_attribution_credit(MQL_ATTRIBUTION_LINEAR, -1, -1, NULL, 0,
				   campaigns, credits);
	CU_ASSERT(n == 1 && campaigns[0] == -1 && credits[0] == 1);
}

/* Path A, B, A: first and last are A, which gets 0.4 + 0.4; B gets 0.2.
 * Four campaigns A, B, C, D: 0.4, 0.1, 0.1, 0.4. */
static void repeated_and_long_paths(void)
{
	const int32_t ab[] = {1, 2};
	int32_t campaigns[5];
	double credits[5];
	size_t n = mql_attribution_credit(MQL_ATTRIBUTION_U_SHAPED, 1, 1, ab, 2,
					  campaigns, credits);
	CLOSE(credit_of(1, campaigns, credits, n), 0.8);
	CLOSE(credit_of(2, campaigns, credits, n), 0.2);
	n = mql_attribution_credit(MQL_ATTRIBUTION_LINEAR, 1, 1, ab, 2,
				   campaigns, credits);
	CLOSE(credit_of(1, campaigns, credits, n), 0.5);
	CLOSE(credit_of(2, campaigns, credits, n), 0.5);
	const int32_t abcd[] = {1, 2, 3, 4};
	n = mql_attribution_credit(MQL_ATTRIBUTION_U_SHAPED, 1, 4, abcd, 4,
				   campaigns, credits);
	CU_ASSERT_EQUAL(n, 4);
	CLOSE(credit_of(1, campaigns, credits, n), 0.4);
	CLOSE(credit_of(2, campaigns, credits, n), 0.1);
	CLOSE(credit_of(3, campaigns, credits, n), 0.1);
	CLOSE(credit_of(4, campaigns, credits, n), 0.4);
}

/* Random paths of up to 12 distinct campaigns: every model's credits are
 * non-negative and sum to 1. */
static void credits_sum_to_one_on_random_paths(void)
{
	srand(12345);
	for (int trial = 0; trial < 2000; trial++) {
		int32_t touched[12], campaigns[13];
		double credits[13];
		size_t k = (size_t)(rand() % 12);
		for (size_t i = 0; i < k; i++)
			touched[i] = (int32_t)(i * 3 + (size_t)(rand() % 3));
		int32_t first = k ? touched[rand() % (int)k] : -1;
		int32_t last = k ? touched[rand() % (int)k] : -1;
		int model = rand() % 4;
		size_t n = mql_attribution_credit((mql_attribution_model)model,
						  first, last, touched, k,
						  campaigns, credits);
		double sum = 0;
		int negative = 0;
		for (size_t i = 0; i < n; i++) {
			sum += credits[i];
			negative |= credits[i] < 0;
		}
		CU_ASSERT(n >= 1 && n <= k + 1);
		CU_ASSERT(fabs(sum - 1) <= 1e-12);
		CU_ASSERT_FALSE(negative);
	}
}

static void parses_model_names(void)
{
	mql_attribution_model m;
	CU_ASSERT(mql_attribution_parse("u-shaped", &m) == 0 &&
		  m == MQL_ATTRIBUTION_U_SHAPED);
	CU_ASSERT(mql_attribution_parse("Linear", &m) == 0 &&
		  m == MQL_ATTRIBUTION_LINEAR);
	CU_ASSERT_EQUAL(mql_attribution_parse("w-shaped", &m), -1);
	CU_ASSERT_STRING_EQUAL(mql_attribution_name(MQL_ATTRIBUTION_LAST),
			       "last");
}

CU_TestInfo test_attribution[] = {
	{"three campaigns", three_campaigns},
	{"two and one campaigns", two_and_one_campaigns},
	{"repeated and long paths", repeated_and_long_paths},
	{"credits sum to one on random paths",
	 credits_sum_to_one_on_random_paths},
	{"parses model names", parses_model_names},
	CU_TEST_INFO_NULL,
};
