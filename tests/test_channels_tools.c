/* test_channels_tools.c - the --stage option of mql-channels as libcore
 * reads it. */
#include <CUnit/CUnit.h>

#include <mqlcal/channels.h>
#include <mqlcal/contacts.h>

static void test_stage_names(void)
{
	int stage = -1;
	CU_ASSERT_EQUAL(mql_channels_stage_parse("sal", &stage), 0);
	CU_ASSERT_EQUAL(stage, MQL_STAGE_SAL);
	CU_ASSERT_EQUAL(mql_channels_stage_parse("sql", &stage), 0);
	CU_ASSERT_EQUAL(stage, MQL_STAGE_SQL);
	CU_ASSERT_EQUAL(mql_channels_stage_parse("opportunity", &stage), 0);
	CU_ASSERT_EQUAL(stage, MQL_STAGE_OPPORTUNITY);
	CU_ASSERT_EQUAL(mql_channels_stage_parse("customer", &stage), 0);
	CU_ASSERT_EQUAL(stage, MQL_STAGE_CUSTOMER);
}

static void test_stage_refuses_other_names(void)
{
	static const char *const bad[] = {"",	      "mql",	 "SQL",
					  "rejected", "created", "customers"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int stage = MQL_STAGE_SQL;
		CU_ASSERT_EQUAL(mql_channels_stage_parse(bad[i], &stage), -1);
		CU_ASSERT_EQUAL(stage, MQL_STAGE_SQL);
	}
}

CU_TestInfo test_channels_tools[] = {
	{"the four stages of a rate", test_stage_names},
	{"other names are refused, stage untouched",
	 test_stage_refuses_other_names},
	CU_TEST_INFO_NULL,
};
