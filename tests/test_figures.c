/* test_figures.c - numbers as reports print them, checked by eye. */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/figures.h>

static void formats_money_counts_and_percent(void)
{
	char buf[32];
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, 1234567.891),
			       "1,234,568");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, 99.5),
			       "99.50");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, -1234),
			       "-1,234");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, 100),
			       "100.00");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, -0.001),
			       "0.00");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, NAN), "");
	CU_ASSERT_STRING_EQUAL(mql_figure_money(buf, sizeof buf, INFINITY), "");
	CU_ASSERT_STRING_EQUAL(mql_figure_count(buf, sizeof buf, 20000),
			       "20,000");
	CU_ASSERT_STRING_EQUAL(mql_figure_count(buf, sizeof buf, 1074.5),
			       "1,074.5");
	CU_ASSERT_STRING_EQUAL(mql_figure_percent(buf, sizeof buf, 0.312, 1),
			       "31.2%");
	CU_ASSERT_STRING_EQUAL(mql_figure_percent(buf, sizeof buf, NAN, 1), "");
	/* A short buffer is cut, never overrun. */
	char tiny[4];
	mql_figure_money(tiny, sizeof tiny, 1234567);
	CU_ASSERT_EQUAL(tiny[3], '\0');
}

CU_TestInfo test_figures[] = {
	{"formats money, counts and percent", formats_money_counts_and_percent},
	CU_TEST_INFO_NULL,
};
