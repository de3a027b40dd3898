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

/*
 * Spend as ad platforms export it, under their own headers: Google Ads'
 * Campaign / Month (the month's first day) / Cost, Meta's Campaign name /
 * Reporting starts / Reporting ends / Amount spent (USD), LinkedIn's Start
 * Date (in UTC) / End Date (in UTC) / Total Spent, a daily report's Day,
 * and months written as names.
 */
static void loads_ad_platform_exports(void)
{
	mql_spend *s;
	mql_error err;
	/* date -u -d 2026-03-01 +%s = 1772323200, 2026-04-01 = 1775001600 */
	static const char *const march[] = {
		"Campaign,Month,Cost\nspring,2026-03-01,\"$1,200.50\"\n",
		"Campaign,Month,Cost\nspring,2026-03-17,\"$1,200.50\"\n",
		"Campaign,Month,Spend\nspring,March 2026,1200.50\n",
		"Campaign,Month,Spend\nspring,mar 2026,1200.50\n",
		"Campaign name,Reporting starts,Reporting ends,"
		"Amount spent (USD)\nspring,2026-03-01,2026-03-31,1200.50\n",
		"Campaign Name,Start Date (in UTC),End Date (in UTC),Total "
		"Spent\nspring,2026-03-01,2026-03-31,1200.50\n",
	};
	for (size_t k = 0; k < sizeof march / sizeof *march; k++) {
		CU_ASSERT_EQUAL_FATAL(load_spend(&s, march[k], &err), 0);
		CU_ASSERT_EQUAL_FATAL(s->count, 1);
		CU_ASSERT_EQUAL(s->rows[0].start, 1772323200);
		CU_ASSERT_EQUAL(s->rows[0].end, 1775001600);
		CU_ASSERT_EQUAL(s->rows[0].amount, 1200.5);
		CU_ASSERT_STRING_EQUAL(
			mql_dict_name(&s->campaigns, s->rows[0].campaign),
			"spring");
		mql_spend_free(s);
	}
	/* one day: date -u -d 2026-03-05 +%s = 1772668800 */
	CU_ASSERT_EQUAL_FATAL(
		load_spend(&s, "Day,Campaign,Cost\n2026-03-05,spring,40\n",
			   &err),
		0);
	CU_ASSERT_EQUAL(s->rows[0].start, 1772668800);
	CU_ASSERT_EQUAL(s->rows[0].end, 1772668800 + 86400);
	mql_spend_free(s);
	/* not a month: named by line and column */
	CU_ASSERT_EQUAL(load_spend(&s,
				   "campaign,month,amount\nx,Spring 2026,5\n",
				   &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "as a month"));
	/* Google Ads' total rows would count the spend twice: at the end
	 * they are skipped, before a row of spend that row is refused */
	CU_ASSERT_EQUAL(load_spend(&s,
				   "Campaign,Month,Cost\n"
				   "spring,2026-03-01,10\n"
				   "Total: Account,2026-03-01,10\n"
				   "summer,2026-03-01,10\n",
				   &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		err.message, "after the report's total rows (line 3 on"));
	/* a campaign merely named with the word is a campaign */
	CU_ASSERT_EQUAL_FATAL(
		load_spend(&s, "Campaign,Month,Cost\nTotal recall,2026-03,10\n",
			   &err),
		0);
	mql_spend_free(s);
}

CU_TestInfo test_spend[] = {
	{"loads spend periods", loads_spend_periods},
	{"rejects bad spend", rejects_bad_spend},
	{"loads ad platform exports", loads_ad_platform_exports},
	CU_TEST_INFO_NULL,
};
