/*
 * spend.c - loads spend.csv whole: one row per campaign and period.
 *
 * A row gives its period as a month, as one day, or as period_start and an
 * inclusive period_end date.  Ad platforms export spend under their own
 * headers and month forms, so the loader also knows these:
 *   - amount: "Cost" (Google Ads, Microsoft Ads), "Spend", "Amount spent"
 *     and "Amount spent (USD)" (Meta), "Total spent" (LinkedIn);
 *   - month: "2026-03", a date in the month ("2026-03-01", as Google Ads
 *     writes its Month segment, or a date the reader's locale reads), or a
 *     month name and year ("March 2026", "Mar 2026");
 *   - day ("Day", "Date", and Microsoft Advertising's "TimePeriod" and
 *     "Gregorian date"): a row of one day's spend;
 *   - period_start / period_end: also "Reporting starts" / "Reporting
 *     ends" (Meta) and "Start date" / "End date", "Start Date (in UTC)"
 *     (LinkedIn);
 *   - campaign: also "Campaign name" (Meta, LinkedIn, Microsoft
 *     Advertising) and "CampaignName" (Microsoft Advertising's API).
 * A Google Ads download's title lines and a Microsoft Advertising
 * download's report properties above the header, and the latter's
 * copyright footer, are skipped by the CSV reader.  Total rows at the end
 * (Google's "Total: Account", Microsoft's "Total") are skipped here, and
 * noted: read as campaigns, the totals would count the spend twice, so a
 * row of spend after them is refused.
 */
#include <mqlcal/spend.h>

#include "csv_reader.h"
#include "spend_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct spend_columns {
	long campaign, channel, amount, month, day, start, end;
} spend_columns;

/* The first of names (NULL-ended) that is a column; a name ending in '('
 * matches a header that starts with it ("Amount spent (USD)"). */
static long find_any(const mql_csv *csv, const char *const *names)
{
	for (size_t k = 0; names[k]; k++) {
		size_t len = strlen(names[k]);
		if (names[k][len - 1] != '(') {
			long column = mql_csv_find_column(csv, names[k]);
			if (column >= 0)
				return column;
			continue;
		}
		for (size_t i = 0; i < mql_csv_column_count(csv); i++) {
			const char *name = mql_csv_column_name(csv, i);
			if (name && strncasecmp(name, names[k], len) == 0)
				return (long)i;
		}
	}
	return -1;
}

static const char *const amount_names[] = {
	"amount",	"cost",		  "cost (",	 "spend", "spend (",
	"amount spent", "amount spent (", "total spent", NULL};
long spend_amount_column(const mql_csv *csv)
{
	return find_any(csv, amount_names);
}

static const char *const campaign_names[] = {"campaign", "campaign name",
					     "campaignname", NULL};
static const char *const day_names[] = {
	"day",		 "date", "timeperiod", "time period", "gregorian date",
	"gregoriandate", NULL};
static const char *const start_names[] = {"period_start", "reporting starts",
					  "start date", "start date (", NULL};
static const char *const end_names[] = {"period_end", "reporting ends",
					"end date", "end date (", NULL};

static int find_columns(const mql_csv *csv, spend_columns *col, mql_error *err)
{
	static const char *const month_names[] = {"month", NULL};
	col->campaign = find_any(csv, campaign_names);
	col->channel = mql_csv_find_column(csv, "channel");
	col->amount = spend_amount_column(csv);
	col->month = find_any(csv, month_names);
	col->day = find_any(csv, day_names);
	col->start = find_any(csv, start_names);
	col->end = find_any(csv, end_names);
	const char *missing = NULL;
	if (col->amount < 0)
		missing = "amount";
	else if (col->campaign < 0 && col->channel < 0)
		missing = "campaign";
	else if (col->month < 0 && col->day < 0 &&
		 (col->start < 0 || col->end < 0))
		missing = col->start < 0 && col->end < 0 ? "month"
			  : col->start < 0		 ? "period_start"
							 : "period_end";
	if (!missing)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1, 0,
			     "missing column '%s' (expected campaign or "
			     "channel, amount, and month, day or "
			     "period_start/period_end%s)",
			     missing, mql_csv_delimiter_advice(csv));
}

/* The month's first second and the next month's. */
static void month_span(int year, int month, mql_time *start, mql_time *end)
{
	*start = mql_time_days_from_civil(year, month, 1) * MQL_SECONDS_PER_DAY;
	*end = mql_time_days_from_civil(month == 12 ? year + 1 : year,
					month == 12 ? 1 : month + 1, 1) *
	       MQL_SECONDS_PER_DAY;
}

/* The value of the digits s[0..len), or -1 when one is not a digit. */
static int digits_value(const char *s, size_t len)
{
	int value = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value;
}

/* The month of "2026-03". */
static int parse_month(const char *s, size_t len, mql_time *start,
		       mql_time *end)
{
	if (len != 7 || s[4] != '-')
		return -1;
	int year = digits_value(s, 4), month = digits_value(s + 5, 2);
	if (year < 1 || month < 1 || month > 12)
		return -1;
	month_span(year, month, start, end);
	return 0;
}

/* The month of "March 2026" or "Mar 2026" (any case). */
static int parse_month_name(const char *s, size_t len, mql_time *start,
			    mql_time *end)
{
	static const char *const names[] = {"january", "february", "march",
					    "april",   "may",	   "june",
					    "july",    "august",   "september",
					    "october", "november", "december"};
	size_t word = 0;
	while (word < len && s[word] != ' ')
		word++;
	if (word < 3 || word == len || len - word != 5)
		return -1;
	int year = digits_value(s + word + 1, 4);
	for (int m = 0; m < 12 && year >= 1; m++) {
		size_t full = strlen(names[m]);
		if ((word == 3 || word == full) &&
		    strncasecmp(s, names[m], word) == 0) {
			month_span(year, m + 1, start, end);
			return 0;
		}
	}
	return -1;
}

/* The month containing t. */
static void month_of(mql_time t, mql_time *start, mql_time *end)
{
	int year, month;
	mql_time_to_civil(t, &year, &month, NULL, NULL, NULL, NULL);
	month_span(year, month, start, end);
}

/* A month cell: YYYY-MM, a month name and year, or a date in the month. */
static int read_month(const mql_csv *csv, long column, mql_spend_row *row,
		      mql_error *err)
{
	size_t len;
	const char *text = mql_csv_field(csv, (size_t)column, &len);
	if (parse_month(text, len, &row->start, &row->end) == 0 ||
	    parse_month_name(text, len, &row->start, &row->end) == 0)
		return 0;
	mql_time at;
	mql_error ignored;
	if (mql_csv_get_time(csv, (size_t)column, &at, &ignored) == 0 &&
	    at != MQL_TIME_NONE) {
		month_of(at, &row->start, &row->end);
		return 0;
	}
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
			     mql_csv_line(csv), column + 1,
			     "cannot parse '%s' as a month (expected YYYY-MM, "
			     "a month and year such as Mar 2026, or a date "
			     "in the month; a slash date needs --locale)",
			     text);
}

static int row_error(const mql_csv *csv, long column, const char *what,
		     mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
			     mql_csv_line(csv), column + 1, "%s", what);
}

static int read_period(const mql_csv *csv, const spend_columns *col,
		       mql_spend_row *row, mql_error *err)
{
	if (col->month >= 0 && !mql_csv_field_missing(csv, (size_t)col->month))
		return read_month(csv, col->month, row, err);
	if (col->day >= 0 && !mql_csv_field_missing(csv, (size_t)col->day)) {
		int status = mql_csv_get_time(csv, (size_t)col->day,
					      &row->start, err);
		if (status)
			return status;
		row->start =
			row->start / MQL_SECONDS_PER_DAY * MQL_SECONDS_PER_DAY;
		row->end = row->start + MQL_SECONDS_PER_DAY;
		return 0;
	}
	if (col->start < 0 || col->end < 0)
		return row_error(csv, col->month >= 0 ? col->month : col->day,
				 "missing period (expected a month, a day, or "
				 "period_start and period_end)",
				 err);
	int status =
		mql_csv_get_time(csv, (size_t)col->start, &row->start, err);
	if (!status)
		status =
			mql_csv_get_time(csv, (size_t)col->end, &row->end, err);
	if (status)
		return status;
	if (row->start == MQL_TIME_NONE || row->end == MQL_TIME_NONE)
		return row_error(csv,
				 row->start == MQL_TIME_NONE ? col->start
							     : col->end,
				 "missing period date (expected period_start "
				 "and period_end, or month)",
				 err);
	/* The end date is inclusive: the period runs to the next midnight. */
	row->end = (row->end / MQL_SECONDS_PER_DAY + 1) * MQL_SECONDS_PER_DAY;
	if (row->end <= row->start)
		return row_error(csv, col->end,
				 "period_end before period_start (expected "
				 "an end on or after the start)",
				 err);
	return 0;
}

/*
 * Google Ads ends a report with rows of totals ("Total: Account", "Total:
 * Search campaigns", ...); a Microsoft Advertising download may end with
 * one whose first cell is "Total".  Read as campaigns they would count the
 * spend twice: at the end of the file they are skipped and noted, and a
 * row of spend after them is bad input.  Whether the current row is one.
 */
static int total_row(const mql_csv *csv, const spend_columns *col)
{
	static const char total[] = "Total: ";
	const long columns[] = {col->campaign, col->channel, 0};
	for (size_t k = 0; k < 3; k++) {
		size_t len;
		const char *text =
			columns[k] >= 0
				? mql_csv_field(csv, (size_t)columns[k], &len)
				: NULL;
		if (!text)
			continue;
		mql_csv_trim(&text, &len);
		if ((len >= sizeof total - 1 &&
		     strncmp(text, total, sizeof total - 1) == 0) ||
		    (len == 5 && strncmp(text, "Total", 5) == 0))
			return 1;
	}
	return 0;
}

/* A row of spend after the report's total rows, which end a report. */
static int refuse_after_totals(const mql_csv *csv, long totals_line,
			       mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
			     mql_csv_line(csv), 0,
			     "a row of spend after the report's total rows "
			     "(line %ld on; expected them at the end, or "
			     "their spend would count twice)",
			     totals_line);
}

static int read_row(mql_spend *s, const mql_csv *csv, const spend_columns *col,
		    size_t *capacity, mql_error *err)
{
	if (s->count == *capacity) {
		size_t bigger_capacity = *capacity ? *capacity * 2 : 64;
		mql_spend_row *bigger =
			realloc(s->rows, bigger_capacity * sizeof *bigger);
		if (!bigger)
			return MQL_ERR_NOMEM;
		s->rows = bigger;
		*capacity = bigger_capacity;
	}
	mql_spend_row *row = &s->rows[s->count];
	row->line = mql_csv_line(csv);
	int status =
		mql_csv_get_number(csv, (size_t)col->amount, &row->amount, err);
	if (status)
		return status;
	if (isnan(row->amount) || row->amount < 0)
		return row_error(csv, col->amount,
				 isnan(row->amount)
					 ? "missing amount (expected a number)"
					 : "negative amount (expected 0 or "
					   "more)",
				 err);
	if ((status = read_period(csv, col, row, err)))
		return status;
	if (mql_csv_intern_field(csv, col->campaign, &s->campaigns,
				 &row->campaign) ||
	    mql_csv_intern_field(csv, col->channel, &s->channels,
				 &row->channel))
		return MQL_ERR_NOMEM;
	s->count++;
	return 0;
}

int mql_spend_load(mql_spend **out, const char *path,
		   const mql_csv_options *opt, mql_error *err)
{
	*out = NULL;
	mql_spend *s = calloc(1, sizeof *s);
	mql_csv *csv = NULL;
	spend_columns col;
	size_t capacity = 0;
	int status = MQL_ERR_NOMEM;
	if (!s || !(s->path = strdup(path)))
		goto done;
	mql_dict_init(&s->campaigns);
	mql_dict_init(&s->channels);
	if ((status = mql_csv_open(&csv, path, opt, err)) ||
	    (status = find_columns(csv, &col, err)))
		goto done;
	long totals_line = 0, totals = 0;
	while ((status = mql_csv_next(csv, err)) == 1) {
		if (total_row(csv, &col)) {
			totals_line =
				totals++ ? totals_line : mql_csv_line(csv);
			continue;
		}
		if ((status =
			     totals ? refuse_after_totals(csv, totals_line, err)
				    : read_row(s, csv, &col, &capacity, err)))
			break;
	}
	if (status == 0 && totals)
		mql_csv_note_skipped(csv, MQL_CSV_NOTE_TOTALS, totals_line,
				     totals);
done:
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	mql_csv_close(csv);
	if (status) {
		mql_spend_free(s);
		return status;
	}
	*out = s;
	return 0;
}

void mql_spend_free(mql_spend *s)
{
	if (!s)
		return;
	free(s->rows);
	mql_dict_release(&s->campaigns);
	mql_dict_release(&s->channels);
	free(s->path);
	free(s);
}
