/*
 * test_locale.c - numbers as exports write them, in each locale, against
 * values worked by hand (the digits of the text without its separators,
 * the decimal separator being the locale's), and the locale vocabulary.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <unistd.h>

#include <mqlcal/csv.h>
#include <mqlcal/locale.h>

#include "temp_file.h"

#define NONE MQL_LOCALE_DEFAULT
#define US   MQL_LOCALE_EN_US
#define GB   MQL_LOCALE_EN_GB
#define DE   MQL_LOCALE_DE
#define FR   MQL_LOCALE_FR
#define NL   MQL_LOCALE_NL
#define ES   MQL_LOCALE_ES

typedef struct number_case {
	const char *text;
	mql_locale locale;
	int status; /* 0 or -1 */
	double value;
} number_case;

static const number_case number_cases[] = {
	/* without a locale: a point is decimal, a comma before groups of
	 * three separates thousands */
	{"12.5", NONE, 0, 12.5},
	{"-3", NONE, 0, -3},
	{"+7", NONE, 0, 7},
	{".5", NONE, 0, 0.5},
	{"1e3", NONE, 0, 1000},
	{"2.5E-2", NONE, 0, 0.025},
	{"  42\t", NONE, 0, 42},
	{"4.800", NONE, 0, 4.8},
	{"1,500", NONE, 0, 1500},
	{"1,000+", NONE, 0, 1000},
	{"10,000+", NONE, 0, 10000},
	{"1000+", NONE, 0, 1000},
	{"25-50", NONE, 0, 25},
	{"25 - 50", NONE, 0, 25},
	{"1,000-4,999", NONE, 0, 1000},
	{"1,000\xe2\x80\x93"
	 "4,999",
	 NONE, 0, 1000},
	{"1,234,567.89", NONE, 0, 1234567.89},
	{"$12,500.00", NONE, 0, 12500},
	{"-$1,200", NONE, 0, -1200},
	{"$-1,200", NONE, 0, -1200},
	{"(1,200.00)", NONE, 0, -1200},
	{"($1,200.00)", NONE, 0, -1200},
	{"USD 12,500", NONE, 0, 12500},
	{"12500 USD", NONE, 0, 12500},
	{"\xc2\xa3"
	 "99.99",
	 NONE, 0, 99.99},
	{"12.5%", NONE, 0, 12.5},
	{"12.5 %", NONE, 0, 12.5},
	{"12,5", NONE, -1, 0},
	{"1.234,56", NONE, -1, 0},
	{"1,5000", NONE, -1, 0},
	{"1234,567", NONE, -1, 0},
	{"1,23", NONE, -1, 0},
	{",500", NONE, -1, 0},
	{"", NONE, -1, 0},
	{"  ", NONE, -1, 0},
	{"-", NONE, -1, 0},
	{"$", NONE, -1, 0},
	{"abc", NONE, -1, 0},
	{"nan", NONE, -1, 0},
	{"inf", NONE, -1, 0},
	{"0x10", NONE, -1, 0},
	{"1e999", NONE, -1, 0},
	{"50-25", NONE, -1, 0},
	{"-5-10", NONE, -1, 0},
	{"$1,000+", NONE, -1, 0},
	{"12.5%%", NONE, -1, 0},
	{"12 500", NONE, -1, 0},
	{"2026-03-05", NONE, -1, 0},
	{"1+", NONE, 0, 1},
	{"1++", NONE, -1, 0},
	{"(12", NONE, -1, 0},
	/* en-US and en-GB: as without a locale */
	{"$12,500.00", US, 0, 12500},
	{"1,234.56", GB, 0, 1234.56},
	{"4.800", US, 0, 4.8},
	{"1.234,56", GB, -1, 0},
	/* de, nl, es: a comma is decimal, a point separates thousands */
	{"4.800", DE, 0, 4800},
	{"1.234,56", DE, 0, 1234.56},
	{"EUR 1.234,56", DE, 0, 1234.56},
	{"12.500 \xe2\x82\xac", DE, 0, 12500},
	{"-1.200,5 \xe2\x82\xac", DE, 0, -1200.5},
	{"12,5", DE, 0, 12.5},
	{"1.000-4.999", DE, 0, 1000},
	{"10.000+", DE, 0, 10000},
	{"1,5E3", DE, 0, 1500},
	{"12.5", DE, -1, 0},
	{"1,234.56", DE, -1, 0},
	{"1.234.5", DE, -1, 0},
	{"1.234,56", NL, 0, 1234.56},
	{"\xe2\x82\xac 1.234,56", NL, 0, 1234.56},
	{"1.234,56", ES, 0, 1234.56},
	{"4.800", ES, 0, 4800},
	/* fr: a comma is decimal, blanks separate thousands */
	{"1 234,56", FR, 0, 1234.56},
	{"1\xc2\xa0"
	 "234,56",
	 FR, 0, 1234.56},
	{"1\xe2\x80\xaf"
	 "234,56",
	 FR, 0, 1234.56},
	{"12 500 \xe2\x82\xac", FR, 0, 12500},
	{"1 000 - 4 999", FR, 0, 1000},
	{"12,5 %", FR, 0, 12.5},
	{"1.234,56", FR, -1, 0},
	{"1 23,5", FR, -1, 0},
};

static void parses_numbers_per_locale(void)
{
	for (size_t i = 0; i < sizeof number_cases / sizeof number_cases[0];
	     i++) {
		const number_case *k = &number_cases[i];
		double value = -12345.0;
		int status = mql_locale_parse_number(k->text, strlen(k->text),
						     k->locale, &value);
		int ok = status == k->status &&
			 (status == 0 ? fabs(value - k->value) <=
						1e-12 * fabs(k->value)
				      : value == -12345.0);
		CU_ASSERT(ok);
		if (!ok)
			fprintf(stderr, "\n  '%s' in %s: %d, %.17g\n", k->text,
				mql_locale_name(k->locale), status, value);
	}
}

static void cell_number_is_the_default_locale(void)
{
	double value = 0;
	CU_ASSERT_EQUAL(mql_cell_number("10,000+", 7, &value), 0);
	CU_ASSERT_EQUAL(value, 10000);
	CU_ASSERT_EQUAL(mql_cell_number("4.800", 5, &value), 0);
	CU_ASSERT_EQUAL(value, 4.8);
	CU_ASSERT_EQUAL(mql_cell_number("1.234,56", 8, &value), -1);
}

static void names_locales(void)
{
	static const char *const expected[] = {"en-US", "en-GB", "de",
					       "fr",	"nl",	 "es"};
	mql_locale locale = MQL_LOCALE_FR;
	size_t count = 0;
	while (mql_locale_names[count])
		count++;
	CU_ASSERT_EQUAL(count, 6);
	for (size_t i = 0; i < 6 && i < count; i++) {
		CU_ASSERT_STRING_EQUAL(mql_locale_names[i], expected[i]);
		CU_ASSERT_EQUAL(mql_locale_from_name(expected[i], &locale), 0);
		CU_ASSERT_EQUAL((size_t)locale, i + 1);
		CU_ASSERT_STRING_EQUAL(mql_locale_name(locale), expected[i]);
	}
	CU_ASSERT_EQUAL(mql_locale_from_name(NULL, &locale), 0);
	CU_ASSERT_EQUAL(locale, MQL_LOCALE_DEFAULT);
	CU_ASSERT_EQUAL(mql_locale_from_name("en_US", &locale), -1);
	CU_ASSERT_EQUAL(mql_locale_from_name("DE", &locale), -1);
	CU_ASSERT_EQUAL(mql_locale_date_order(MQL_LOCALE_DEFAULT),
			MQL_DATE_ORDER_UNKNOWN);
	CU_ASSERT_EQUAL(mql_locale_date_order(MQL_LOCALE_EN_US),
			MQL_DATE_ORDER_MDY);
	for (int l = MQL_LOCALE_EN_GB; l <= MQL_LOCALE_ES; l++)
		CU_ASSERT_EQUAL(mql_locale_date_order((mql_locale)l),
				MQL_DATE_ORDER_DMY);
}

/* Opens a reader of text in locale (NULL: none) at its first row. */
static mql_csv *open_row(const char *text, const char *locale, char *path,
			 size_t n)
{
	mql_csv_options opt;
	mql_csv *csv = NULL;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.locale = locale;
	temp_file_write(path, n, "mql-locale", text, strlen(text));
	if (mql_csv_open(&csv, path, &opt, &err) != 0)
		return NULL;
	if (mql_csv_next(csv, &err) != 1) {
		mql_csv_close(csv);
		return NULL;
	}
	return csv;
}

static void reader_reads_its_locale(void)
{
	/* 3/5/2026 2:07 PM is 2026-03-05 14:07 in en-US (1772719620) and
	 * 2026-05-03 14:07 in en-GB (1777817220): see test_timeparse.c */
	static const char text[] = "at,amount\n3/5/2026 2:07 PM,\"4.800\"\n";
	char path[256];
	mql_time t = 0;
	double amount = 0;
	mql_error err;
	mql_csv *csv = open_row(text, "en-US", path, sizeof path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	CU_ASSERT_EQUAL(mql_csv_get_time(csv, 0, &t, &err), 0);
	CU_ASSERT_EQUAL(t, 1772719620);
	CU_ASSERT_EQUAL(mql_csv_get_number(csv, 1, &amount, &err), 0);
	CU_ASSERT_EQUAL(amount, 4.8);
	mql_csv_close(csv);
	unlink(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(
		csv = open_row(text, "de", path, sizeof path));
	CU_ASSERT_EQUAL(mql_csv_get_time(csv, 0, &t, &err), 0);
	CU_ASSERT_EQUAL(t, 1777817220);
	CU_ASSERT_EQUAL(mql_csv_get_number(csv, 1, &amount, &err), 0);
	CU_ASSERT_EQUAL(amount, 4800);
	mql_csv_close(csv);
	unlink(path);
	/* without a locale the date is an error naming the option, at its
	 * line and column */
	CU_ASSERT_PTR_NOT_NULL_FATAL(
		csv = open_row(text, NULL, path, sizeof path));
	CU_ASSERT_EQUAL(mql_csv_get_time(csv, 0, &t, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "--locale en-US"));
	CU_ASSERT_EQUAL(mql_csv_get_number(csv, 1, &amount, &err), 0);
	CU_ASSERT_EQUAL(amount, 4.8);
	mql_csv_close(csv);
	unlink(path);
}

static void reader_refuses_unknown_locale(void)
{
	mql_csv_options opt;
	mql_csv *csv = NULL;
	mql_error err;
	char path[256];
	mql_csv_options_init(&opt);
	opt.locale = "de-DE";
	temp_file_write(path, sizeof path, "mql-locale", "a\n1\n", 4);
	CU_ASSERT_EQUAL(mql_csv_open(&csv, path, &opt, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unknown locale"));
	mql_csv_close(csv);
	unlink(path);
}

CU_TestInfo test_locale[] = {
	{"parses numbers per locale", parses_numbers_per_locale},
	{"mql_cell_number is the default locale",
	 cell_number_is_the_default_locale},
	{"names the locales", names_locales},
	{"a reader reads its locale", reader_reads_its_locale},
	{"a reader refuses an unknown locale", reader_refuses_unknown_locale},
	CU_TEST_INFO_NULL,
};
