/* test_figures.c - numbers as reports print them, checked by eye. */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/figures.h>

static void formats_money_counts_and_percent(void)
{
	char buf[32];
	CU_ASSERT_STRING_EQUAL(
		mql_figure_amount(buf, sizeof buf, 1234567.891, NULL),
		"1,234,568");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 99.5, NULL),
			       "99.50");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, -1234, NULL),
			       "-1,234");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 100, NULL),
			       "100");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, -0.001, NULL),
			       "0.00");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, NAN, "EUR"),
			       "");
	CU_ASSERT_STRING_EQUAL(
		mql_figure_amount(buf, sizeof buf, INFINITY, NULL), "");
	CU_ASSERT_STRING_EQUAL(mql_figure_count(buf, sizeof buf, 20000),
			       "20,000");
	CU_ASSERT_STRING_EQUAL(mql_figure_count(buf, sizeof buf, 1074.5),
			       "1,074.5");
	CU_ASSERT_STRING_EQUAL(mql_figure_percent(buf, sizeof buf, 0.312, 1),
			       "31.2%");
	CU_ASSERT_STRING_EQUAL(mql_figure_percent(buf, sizeof buf, NAN, 1), "");
	/* A short buffer is cut, never overrun. */
	char tiny[4];
	mql_figure_amount(tiny, sizeof tiny, 1234567, "EUR");
	CU_ASSERT_EQUAL(tiny[3], '\0');
}

/* Amounts and q-values as the report pages show them, worked by hand. */
static void formats_amounts_and_q_values(void)
{
	char buf[32];
	CU_ASSERT_STRING_EQUAL(
		mql_figure_amount(buf, sizeof buf, 625.468, NULL), "625");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 85.017, ""),
			       "85.02");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 99.996, ""),
			       "100");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 5000, NULL),
			       "5,000");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, 0, NULL),
			       "0");
	CU_ASSERT_STRING_EQUAL(
		mql_figure_amount(buf, sizeof buf, 1208000, "EUR"),
		"EUR\xc2\xa0"
		"1,208,000");
	CU_ASSERT_STRING_EQUAL(
		mql_figure_amount(buf, sizeof buf, -8.166, "USD"),
		"USD\xc2\xa0-8.17");
	CU_ASSERT_STRING_EQUAL(mql_figure_amount(buf, sizeof buf, NAN, "USD"),
			       "");
	CU_ASSERT_STRING_EQUAL(mql_figure_q(buf, sizeof buf, 1.9e-35),
			       "< 0.001");
	CU_ASSERT_STRING_EQUAL(mql_figure_q(buf, sizeof buf, 0.0127753),
			       "0.013");
	CU_ASSERT_STRING_EQUAL(mql_figure_q(buf, sizeof buf, 0.9117), "0.912");
	CU_ASSERT_STRING_EQUAL(mql_figure_q(buf, sizeof buf, NAN), "");
}

CU_TestInfo test_figures[] = {
	{"formats amounts and q-values", formats_amounts_and_q_values},
	{"formats money, counts and percent", formats_money_counts_and_percent},
	CU_TEST_INFO_NULL,
};
