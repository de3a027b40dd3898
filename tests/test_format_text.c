/*
 * test_format_text.c - printf-style text in a string of its own size:
 * short, empty, and longer than any fixed buffer a caller might guess.
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/error.h>

#include <mqlcal/format_text.h>

static int format(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int format(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int status = mql_format_text(out, fmt, ap);
	va_end(ap);
	return status;
}

static void formats_like_printf(void)
{
	char *text = NULL;
	CU_ASSERT_EQUAL_FATAL(format(&text, "%s +%d -> +%d: %.1fx, 100%%",
				     "demo_request", 25, 31, 3.14),
			      MQL_OK);
	CU_ASSERT_STRING_EQUAL(text, "demo_request +25 -> +31: 3.1x, 100%");
	free(text);
	CU_ASSERT_EQUAL_FATAL(format(&text, "%s", ""), MQL_OK);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
}

/* 20000 zeros and a 1: the whole width comes back, "000...01". */
static void long_text_is_not_cut(void)
{
	char *text = NULL;
	CU_ASSERT_EQUAL_FATAL(format(&text, "%0*d", 20001, 1), MQL_OK);
	CU_ASSERT_EQUAL(strlen(text), 20001);
	CU_ASSERT_EQUAL(strspn(text, "0"), 20000);
	CU_ASSERT_STRING_EQUAL(text + 20000, "1");
	free(text);
}

CU_TestInfo test_format_text[] = {
	{"formats like printf", formats_like_printf},
	{"long text is not cut", long_text_is_not_cut},
	CU_TEST_INFO_NULL,
};
