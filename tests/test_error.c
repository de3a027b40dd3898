/* test_error.c - error records and their "file:line:col: message" form. */
#include <CUnit/CUnit.h>
#include <string.h>

#include <mqlcal/error.h>

static void formats_position_when_known(void)
{
	mql_error err;
	char buf[1024];
	int status = mql_error_set(&err, MQL_ERR_INPUT, "c.csv", 12, 7,
				   "cannot parse '%s' as a date", "abc");
	CU_ASSERT_EQUAL(status, MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(mql_error_format(&err, buf, sizeof buf),
			       "c.csv:12:7: cannot parse 'abc' as a date");
	err.column = 0;
	CU_ASSERT_STRING_EQUAL(mql_error_format(&err, buf, sizeof buf),
			       "c.csv:12: cannot parse 'abc' as a date");
	err.line = 0;
	CU_ASSERT_STRING_EQUAL(mql_error_format(&err, buf, sizeof buf),
			       "c.csv: cannot parse 'abc' as a date");
}

static void null_record_is_allowed(void)
{
	CU_ASSERT_EQUAL(mql_error_set(NULL, MQL_ERR_IO, "x", 1, 1, "y"),
			MQL_ERR_IO);
	mql_error_clear(NULL);
	CU_ASSERT_STRING_EQUAL(mql_strerror(MQL_ERR_NOFILE),
			       "cannot open input file");
}

CU_TestInfo test_error[] = {
	{"formats position when known", formats_position_when_known},
	{"null record is allowed", null_record_is_allowed},
	CU_TEST_INFO_NULL,
};
