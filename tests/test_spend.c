/* test_spend.c - the spend loader: months, inclusive periods, bad rows. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/spend.h>

#include "temp_file.h"

static int load_spend(mql_spend **out, const char *text, mql_error *err)
{
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-spend", text, strlen(text));
	int status = mql_spend_load(out, path, NULL, err);
	unlink(path);
	return status;
}

static void loads_spend_periods(void)
{
	mql_spend *s;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		load_spend(&s,
			   "campaign,channel,month,period_start,period_end,"
			   "amount\n"
			   "spring,paid_search,2026-12,,,1200.50\n"
			   "fair,events,,2026-03-01,2026-03-03,800\n",
			   &err),
		0);
	CU_ASSERT_EQUAL_FATAL(s->count, 2);
	/* date -u -d 2026-12-01 +%s; date -u -d 2027-01-01 +%s */
	CU_ASSERT_EQUAL(s->rows[0].start, 1796083200);
	CU_ASSERT_EQUAL(s->rows[0].end, 1798761600);
	CU_ASSERT_EQUAL(s->rows[0].amount, 1200.5);
	/* date -u -d 2026-03-01 +%s; the inclusive end 03-03 runs to
	 * date -u -d 2026-03-04 +%s */
	CU_ASSERT_EQUAL(s->rows[1].start, 1772323200);
	CU_ASSERT_EQUAL(s->rows[1].end, 1772582400);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&s->channels, s->rows[1].channel),
			       "events");
	CU_ASSERT_EQUAL(s->rows[1].line, 3);
	mql_spend_free(s);
	mql_spend_free(NULL);
}

static void rejects_bad_spend(void)
{
	mql_spend *s = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(
		load_spend(&s, "campaign,month,amount\nx,2026-13,5\n", &err),
		MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_EQUAL(
		load_spend(&s, "campaign,month,amount\nx,2026-01,-5\n", &err),
		MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "negative amount"));
	CU_ASSERT_EQUAL(load_spend(&s, "campaign,amount\nx,5\n", &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing column 'month'"));
	CU_ASSERT_EQUAL(load_spend(&s,
				   "campaign,period_start,period_end,amount\n"
				   "x,2026-02-01,2026-01-01,5\n",
				   &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "before period_start"));
	CU_ASSERT_PTR_NULL(s);
}

CU_TestInfo test_spend[] = {
	{"loads spend periods", loads_spend_periods},
	{"rejects bad spend", rejects_bad_spend},
	CU_TEST_INFO_NULL,
};
