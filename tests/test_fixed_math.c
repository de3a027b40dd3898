/*
 * test_fixed_math.c - exp, log and log1p of fixed_math.h against the C
 * library's, in units in the last place, over the ranges the fit feeds
 * them, plus special values as C defines them.
 */
#include <CUnit/CUnit.h>
#include <float.h>
#include <math.h>

#include "../libcore/src/fixed_math.h"

/* |got - want| in units of the last place of want. */
static double ulps(double got, double want)
{
	if (got == want)
		return 0;
	double unit = nextafter(fabs(want), INFINITY) - fabs(want);
	return fabs(got - want) / unit;
}

static double uniform(unsigned long *state, double low, double high)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return low + (high - low) * (double)(*state >> 11) / 9007199254740992.0;
}

static void within_two_ulps_of_libm(void)
{
	unsigned long state = 7;
	double worst_exp = 0, worst_log = 0, worst_log1p = 0;
	for (int i = 0; i < 200000; i++) {
		double x = uniform(&state, -700, 700);
		double e = ldexp(uniform(&state, 0.5, 1),
				 (int)uniform(&state, -1000, 1000));
		double t = i % 2 ? uniform(&state, 0, 1)
				 : ldexp(uniform(&state, 0.5, 1),
					 (int)uniform(&state, -60, 40));
		worst_exp = fmax(worst_exp, ulps(mql_fixed_exp(x), exp(x)));
		worst_log = fmax(worst_log, ulps(mql_fixed_log(e), log(e)));
		worst_log1p =
			fmax(worst_log1p, ulps(mql_fixed_log1p(t), log1p(t)));
		double small = uniform(&state, -0.5, 0.5);
		worst_exp =
			fmax(worst_exp, ulps(mql_fixed_exp(small), exp(small)));
		double neg = -uniform(&state, 0, 0.999);
		worst_log1p = fmax(worst_log1p,
				   ulps(mql_fixed_log1p(neg), log1p(neg)));
	}
	CU_ASSERT(worst_exp <= 2);
	CU_ASSERT(worst_log <= 2);
	CU_ASSERT(worst_log1p <= 2);
}

static void special_values_as_c_defines_them(void)
{
	CU_ASSERT_EQUAL(mql_fixed_exp(0), 1.0);
	CU_ASSERT_EQUAL(mql_fixed_exp(1e6), INFINITY);
	CU_ASSERT_EQUAL(mql_fixed_exp(-1e6), 0.0);
	CU_ASSERT(isnan(mql_fixed_exp(NAN)));
	CU_ASSERT_EQUAL(mql_fixed_log(1), 0.0);
	CU_ASSERT_EQUAL(mql_fixed_log(0), -INFINITY);
	CU_ASSERT(isnan(mql_fixed_log(-1)));
	CU_ASSERT_EQUAL(mql_fixed_log(INFINITY), INFINITY);
	CU_ASSERT_EQUAL(mql_fixed_log1p(0), 0.0);
	CU_ASSERT_EQUAL(mql_fixed_log1p(-1), -INFINITY);
	CU_ASSERT(isnan(mql_fixed_log1p(-2)));
	CU_ASSERT(ulps(mql_fixed_log1p(1e-300), 1e-300) <= 1);
	CU_ASSERT(ulps(mql_fixed_exp(709.78), exp(709.78)) <= 2);
	CU_ASSERT(ulps(mql_fixed_log(DBL_MAX), log(DBL_MAX)) <= 2);
}

CU_TestInfo test_fixed_math[] = {
	{"within two ulps of libm", within_two_ulps_of_libm},
	{"special values as C defines them", special_values_as_c_defines_them},
	CU_TEST_INFO_NULL,
};
