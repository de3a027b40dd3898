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

/* Widths and cuts count characters, not bytes: "é" is two bytes, one
 * character; a cut never splits it. */
static void measures_characters(void)
{
	CU_ASSERT_EQUAL(mql_text_width(""), 0);
	CU_ASSERT_EQUAL(mql_text_width("h\xc3\xa9llo \xe2\x80\xa6"), 7);
	CU_ASSERT_EQUAL(mql_text_prefix("a\xc3\xa9z", 4, 0), 0);
	CU_ASSERT_EQUAL(mql_text_prefix("a\xc3\xa9z", 4, 1), 1);
	CU_ASSERT_EQUAL(mql_text_prefix("a\xc3\xa9z", 4, 2), 3);
	CU_ASSERT_EQUAL(mql_text_prefix("a\xc3\xa9z", 4, 9), 4);
}

/* Breaks worked by hand: at the last space that lets the row fit, else
 * at the width; never at the blanks that indent a line. */
static void wraps_at_spaces(void)
{
	const char *fox = "the quick brown fox";
	/* 10 characters reach "the quick " + 'b': the row is "the quick" */
	CU_ASSERT_EQUAL(mql_text_wrap_point(fox, strlen(fox), 10), 9);
	/* the space right after the row's last character breaks there */
	CU_ASSERT_EQUAL(mql_text_wrap_point(fox, strlen(fox), 9), 9);
	CU_ASSERT_EQUAL(mql_text_wrap_point(fox, strlen(fox), 19), 19);
	CU_ASSERT_EQUAL(mql_text_wrap_point(fox, strlen(fox), 0), 19);
	CU_ASSERT_EQUAL(mql_text_wrap_point("abcdefg", 7, 3), 3);
	/* "h" "é" "llo" " " "w" is 7 characters, 8 bytes: the row is the
	 * 6 bytes of "héllo" */
	const char *accent = "h\xc3\xa9llo w\xc3\xb6rld";
	CU_ASSERT_EQUAL(mql_text_wrap_point(accent, strlen(accent), 7), 6);
	/* indented: the blanks in front are no place to break */
	CU_ASSERT_EQUAL(mql_text_wrap_point("   abc def", 10, 5), 5);
}

/* Columns that fit are shown whole. */
static void fitting_columns_stay_whole(void)
{
	mql_text_column c[] = {{5, 5, 0, 0}, {3, 3, 5, 0}, {4, 4, 5, 0}};
	/* 5 + 2 + 3 + 2 + 4 = 16 */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 3, 2, 16), 1);
	CU_ASSERT_EQUAL(c[0].shown, 5);
	CU_ASSERT_EQUAL(c[1].shown, 3);
	CU_ASSERT_EQUAL(c[2].shown, 4);
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 3, 2, 0), 1);
	CU_ASSERT_EQUAL(c[2].shown, 4);
}

/* Too wide: the highest priority number goes first, the rightmost of
 * equals first, until the rest fits. */
static void drops_by_priority(void)
{
	mql_text_column c[] = {
		{10, 10, 0, 0}, {8, 8, 5, 0}, {6, 6, 2, 0}, {6, 6, 5, 0}};
	/* 10 + 8 + 6 + 6 + 3 gaps of 2 = 36 > 26; without D (priority 5,
	 * rightmost) 10 + 8 + 6 + 4 = 28 > 26; without B too 10 + 6 + 2 =
	 * 18 <= 26 */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 4, 2, 26), 1);
	CU_ASSERT_EQUAL(c[0].shown, 10);
	CU_ASSERT_EQUAL(c[1].shown, 0);
	CU_ASSERT_EQUAL(c[2].shown, 6);
	CU_ASSERT_EQUAL(c[3].shown, 0);
	/* 28 characters keep B */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 4, 2, 28), 1);
	CU_ASSERT_EQUAL(c[1].shown, 8);
	CU_ASSERT_EQUAL(c[3].shown, 0);
}

/* A column that may be cut is cut before anything is dropped, and gets
 * the characters left over. */
static void cuts_before_dropping(void)
{
	mql_text_column c[] = {{10, 10, 0, 0}, {40, 24, 7, 0}};
	/* 10 + 2 + 40 = 52 > 40; at its floor 10 + 2 + 24 = 36, 4 to spare:
	 * 28 */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 2, 2, 40), 1);
	CU_ASSERT_EQUAL(c[0].shown, 10);
	CU_ASSERT_EQUAL(c[1].shown, 28);
	/* 35 < 36: the floor does not fit, the column goes */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 2, 2, 35), 1);
	CU_ASSERT_EQUAL(c[1].shown, 0);
}

/* Columns that are always shown and do not fit: records instead. */
static void records_when_the_first_columns_do_not_fit(void)
{
	mql_text_column c[] = {{30, 30, 0, 0}, {30, 30, 0, 0}, {5, 5, 3, 0}};
	/* 30 + 2 + 30 = 62 > 50 with the droppable one gone */
	CU_ASSERT_EQUAL(mql_text_fit_columns(c, 3, 2, 50), 0);
	CU_ASSERT_EQUAL(c[0].shown, 30);
	CU_ASSERT_EQUAL(c[2].shown, 5);
}

CU_TestInfo test_format_text[] = {
	{"measures characters", measures_characters},
	{"wraps at spaces", wraps_at_spaces},
	{"fitting columns stay whole", fitting_columns_stay_whole},
	{"drops by priority", drops_by_priority},
	{"cuts before dropping", cuts_before_dropping},
	{"records when the first columns do not fit",
	 records_when_the_first_columns_do_not_fit},
	{"formats like printf", formats_like_printf},
	{"long text is not cut", long_text_is_not_cut},
	CU_TEST_INFO_NULL,
};
