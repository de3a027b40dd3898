/*
 * test_spend_currency.c - the currency of a spend file: its currency
 * column's one value, none without the column, refused when two differ or
 * a value is not a code.
 */
#include <CUnit/CUnit.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/spend.h>

#include "temp_file.h"

/* The currency of a spend file holding text, and the status. */
static int currency_of(const char *text, char *buf, size_t n, mql_error *err)
{
	char path[256];
	mql_csv_options options;
	temp_file_write(path, sizeof path, "mql-spend", text, strlen(text));
	mql_csv_options_init(&options);
	int status = mql_spend_currency(path, &options, buf, n, err);
	unlink(path);
	return status;
}

static void reads_the_currency_column(void)
{
	static const struct {
		const char *text, *code;
	} cases[] = {
		{"campaign,channel,month,amount,currency\n"
		 "a,web,2026-01,10,EUR\n"
		 "b,web,2026-01,12,\n"
		 "c,web,2026-02,5,EUR\n",
		 "EUR"},
		{"campaign,channel,month,amount\na,web,2026-01,10\n", ""},
		/* Meta names the currency in the amount's header */
		{"Campaign name,Day,Amount spent (GBP)\na,2026-01-05,10\n",
		 "GBP"},
		/* a currency column wins over the header */
		{"campaign,day,Cost (GBP),currency\na,2026-01-05,10,USD\n",
		 "USD"},
		/* another column's parentheses name nothing */
		{"campaign (USD),day,amount\na,2026-01-05,10\n", ""},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char code[MQL_CURRENCY_SIZE];
		mql_error err;
		CU_ASSERT_EQUAL(
			currency_of(cases[k].text, code, sizeof code, &err),
			MQL_OK);
		CU_ASSERT_STRING_EQUAL(code, cases[k].code);
	}
}

static void refuses_two_currencies_and_bad_codes(void)
{
	char code[MQL_CURRENCY_SIZE];
	mql_error err;
	CU_ASSERT_EQUAL(currency_of("campaign,channel,month,amount,currency\n"
				    "a,web,2026-01,10,EUR\n"
				    "b,web,2026-01,12,USD\n",
				    code, sizeof code, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 5);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(err.message, "amounts in EUR and in USD"));
	CU_ASSERT_EQUAL(currency_of("campaign,channel,month,amount,currency\n"
				    "a,web,2026-01,10,euro\n",
				    code, sizeof code, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'euro' is not a currency"));
	CU_ASSERT_EQUAL(mql_spend_currency_check("EUR", &err), MQL_OK);
	CU_ASSERT_EQUAL(mql_spend_currency_check("EU", &err), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_spend_currency_check("eur", &err), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_spend_currency_check(NULL, &err), MQL_ERR_USAGE);
}

/* --currency wins over the file's column, the file's column over none. */
static void chooses_the_option_then_the_file(void)
{
	char path[256], code[MQL_CURRENCY_SIZE];
	const char *text = "campaign,channel,month,amount,currency\n"
			   "a,web,2026-01,10,EUR\n";
	mql_csv_options options;
	mql_error err;
	temp_file_write(path, sizeof path, "mql-spend", text, strlen(text));
	mql_csv_options_init(&options);
	CU_ASSERT_EQUAL(mql_spend_currency_choose("USD", path, &options, code,
						  sizeof code, &err),
			MQL_OK);
	CU_ASSERT_STRING_EQUAL(code, "USD");
	CU_ASSERT_EQUAL(mql_spend_currency_choose(NULL, path, &options, code,
						  sizeof code, &err),
			MQL_OK);
	CU_ASSERT_STRING_EQUAL(code, "EUR");
	CU_ASSERT_EQUAL(mql_spend_currency_choose(NULL, NULL, &options, code,
						  sizeof code, &err),
			MQL_OK);
	CU_ASSERT_STRING_EQUAL(code, "");
	CU_ASSERT_EQUAL(mql_spend_currency_choose("usd", path, &options, code,
						  sizeof code, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_STRING_EQUAL(code, "");
	unlink(path);
}

CU_TestInfo test_spend_currency[] = {
	{"reads the currency column", reads_the_currency_column},
	{"refuses two currencies and bad codes",
	 refuses_two_currencies_and_bad_codes},
	{"chooses the option, then the file", chooses_the_option_then_the_file},
	CU_TEST_INFO_NULL,
};
