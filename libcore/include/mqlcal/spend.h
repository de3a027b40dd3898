/*
 * spend.h - the spend file: amounts per campaign and channel over periods.
 *
 * spend.csv has campaign, channel, amount and either month (YYYY-MM), day,
 * or period_start/period_end (dates, end inclusive); the headers and month
 * forms of ad platforms' exports are read too (spend.c).  Held whole: spend
 * files are small (campaigns x months).  A month row covers [first day,
 * first day of the next month), a day row that day.  Negative amounts are
 * bad input.
 */
#ifndef MQLCAL_SPEND_H
#define MQLCAL_SPEND_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/csv.h>
#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

typedef struct mql_spend_row {
	int32_t campaign; /* index into campaigns, -1 missing */
	int32_t channel;  /* index into channels, -1 missing */
	mql_time start;	  /* inclusive */
	mql_time end;	  /* exclusive */
	double amount;
	long line;
} mql_spend_row;

typedef struct mql_spend {
	size_t count;
	mql_spend_row *rows;
	mql_dict campaigns;
	mql_dict channels;
	char *path;
} mql_spend;

/* Loads path.  Returns 0, MQL_ERR_NOFILE, MQL_ERR_INPUT, MQL_ERR_NOMEM. */
int mql_spend_load(mql_spend **out, const char *path,
		   const mql_csv_options *opt, mql_error *err);

/* Room for a currency code and its NUL. */
#define MQL_CURRENCY_SIZE 8

/*
 * Whether code is a currency code as reports show it: three capital
 * letters (ISO 4217: "EUR", "USD").  Returns 0 or MQL_ERR_USAGE.
 */
int mql_spend_currency_check(const char *code, mql_error *err);

/*
 * The currency of the spend file at path: the one value of its currency
 * column, into buf (n >= MQL_CURRENCY_SIZE); "" when the file has no such
 * column or it is empty.  Returns 0, MQL_ERR_NOFILE, MQL_ERR_INPUT (a
 * value that is not a code, two currencies in one file: amounts in
 * different currencies cannot be added), MQL_ERR_NOMEM.
 */
int mql_spend_currency(const char *path, const mql_csv_options *opt, char *buf,
		       size_t n, mql_error *err);

/*
 * The currency of a report's amounts, into buf (n >= MQL_CURRENCY_SIZE):
 * code when given (checked: MQL_ERR_USAGE when it is not a code), else the
 * currency column of the spend file at spend_path (NULL: none), else "".
 * Returns 0 or an error of mql_spend_currency_check or mql_spend_currency.
 */
int mql_spend_currency_choose(const char *code, const char *spend_path,
			      const mql_csv_options *opt, char *buf, size_t n,
			      mql_error *err);

/* Frees the table.  s may be NULL. */
void mql_spend_free(mql_spend *s);

#endif
