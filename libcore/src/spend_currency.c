/*
 * spend_currency.c - the currency of a spend file (see spend.h).
 */
#include <stdio.h>
#include <string.h>

#include <mqlcal/spend.h>

#include "spend_internal.h"

int mql_spend_currency_check(const char *code, mql_error *err)
{
	size_t length = code ? strlen(code) : 0;
	int good = length == 3;
	for (size_t i = 0; good && i < length; i++)
		good = code[i] >= 'A' && code[i] <= 'Z';
	if (!good)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "'%s' is not a currency code (three "
				     "capital letters, e.g. EUR)",
				     code ? code : "");
	return MQL_OK;
}

/* Checks the current row's currency cell against buf, filling buf from
 * the first; 0 or MQL_ERR_INPUT. */
static int take_currency(mql_csv *csv, size_t column, char *buf, size_t n,
			 mql_error *err)
{
	const char *code = mql_csv_field(csv, column, NULL);
	if (mql_csv_field_missing(csv, column))
		return MQL_OK;
	if (mql_spend_currency_check(code, NULL) != MQL_OK)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), (long)column + 1,
				     "'%s' is not a currency code (three "
				     "capital letters, e.g. EUR)",
				     code);
	if (buf[0] && strcmp(buf, code) != 0)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), (long)column + 1,
				     "amounts in %s and in %s: a spend file "
				     "holds one currency",
				     buf, code);
	if (!buf[0])
		snprintf(buf, n, "%s", code);
	return MQL_OK;
}

/* The code the amount's header names in parentheses, as Meta writes
 * "Amount spent (USD)", into buf; "" when it names none. */
static void header_currency(const mql_csv *csv, char *buf, size_t n)
{
	long column = spend_amount_column(csv);
	const char *name =
		column >= 0 ? mql_csv_column_name(csv, (size_t)column) : NULL;
	const char *open = name ? strrchr(name, '(') : NULL;
	char code[4];
	if (!open || strlen(open) != 5 || open[4] != ')')
		return;
	memcpy(code, open + 1, 3);
	code[3] = '\0';
	if (mql_spend_currency_check(code, NULL) == MQL_OK)
		snprintf(buf, n, "%s", code);
}

int mql_spend_currency(const char *path, const mql_csv_options *opt, char *buf,
		       size_t n, mql_error *err)
{
	mql_csv *csv;
	long column;
	int status;
	if (n < MQL_CURRENCY_SIZE)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "no room for a currency code");
	buf[0] = '\0';
	status = mql_csv_open(&csv, path, opt, err);
	if (status != MQL_OK)
		return status;
	column = mql_csv_find_column(csv, "currency");
	if (column < 0) /* Google Ads, Microsoft Advertising */
		column = mql_csv_find_column(csv, "currency code");
	if (column < 0) /* Microsoft Advertising's API */
		column = mql_csv_find_column(csv, "currencycode");
	if (column < 0)
		header_currency(csv, buf, n);
	while (column >= 0 && (status = mql_csv_next(csv, err)) == 1) {
		status = take_currency(csv, (size_t)column, buf, n, err);
		if (status != MQL_OK)
			break;
	}
	mql_csv_close(csv);
	return status < 0 ? status : MQL_OK;
}

int mql_spend_currency_choose(const char *code, const char *spend_path,
			      const mql_csv_options *opt, char *buf, size_t n,
			      mql_error *err)
{
	int status;
	if (n < MQL_CURRENCY_SIZE)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "no room for a currency code");
	buf[0] = '\0';
	if (code) {
		status = mql_spend_currency_check(code, err);
		if (status == MQL_OK)
			snprintf(buf, n, "%s", code);
		return status;
	}
	if (spend_path)
		return mql_spend_currency(spend_path, opt, buf, n, err);
	return MQL_OK;
}
