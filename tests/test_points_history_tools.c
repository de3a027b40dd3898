/* test_points_history_tools.c - the capacity option of mql-rules as
 * libcore reads it: MQLs per month, bare or with "/month". */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/points_history.h>

static void test_capacity_accepts_number_and_per_month(void)
{
	double per_month = 0;
	CU_ASSERT_EQUAL(mql_points_capacity_parse("120", &per_month), 0);
	CU_ASSERT_DOUBLE_EQUAL(per_month, 120, 0);
	CU_ASSERT_EQUAL(mql_points_capacity_parse("60/month", &per_month), 0);
	CU_ASSERT_DOUBLE_EQUAL(per_month, 60, 0);
	CU_ASSERT_EQUAL(mql_points_capacity_parse("2.5", &per_month), 0);
	CU_ASSERT_DOUBLE_EQUAL(per_month, 2.5, 0);
}

static void test_capacity_refuses_the_rest(void)
{
	static const char *const bad[] = {
		"",	      "month",	    "/month", "0",	  "-5",
		"nan",	      "inf",	    "1e999",  "120/",	  "120/wk",
		"120 /month", "120/month ", "12x",    "120/MONTH"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double per_month = 0;
		CU_ASSERT_EQUAL(mql_points_capacity_parse(bad[i], &per_month),
				-1);
	}
}

CU_TestInfo test_points_history_tools[] = {
	{"capacity accepts N and N/month",
	 test_capacity_accepts_number_and_per_month},
	{"capacity refuses anything else", test_capacity_refuses_the_rest},
	CU_TEST_INFO_NULL,
};
