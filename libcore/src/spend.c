/*
 * spend.c - loads spend.csv whole: one row per campaign and period.
 *
 * A row gives its period either as a month ("2026-03", covering the first of
 * March to the first of April) or as period_start and an inclusive
 * period_end date.
 */
#include <mqlcal/spend.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct spend_columns {
	long campaign, channel, amount, month, start, end;
} spend_columns;

static int find_columns(const mql_csv *csv, spend_columns *col, mql_error *err)
{
	col->campaign = mql_csv_find_column(csv, "campaign");
	col->channel = mql_csv_find_column(csv, "channel");
	col->amount = mql_csv_find_column(csv, "amount");
	col->month = mql_csv_find_column(csv, "month");
	col->start = mql_csv_find_column(csv, "period_start");
	col->end = mql_csv_find_column(csv, "period_end");
	const char *missing = NULL;
	if (col->amount < 0)
		missing = "amount";
	else if (col->campaign < 0 && col->channel < 0)
		missing = "campaign";
	else if (col->month < 0 && (col->start < 0 || col->end < 0))
		missing = col->start < 0 && col->end < 0 ? "month"
			  : col->start < 0		 ? "period_start"
							 : "period_end";
	if (!missing)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1, 0,
			     "missing column '%s' (expected campaign or "
			     "channel, amount, and month or "
			     "period_start/period_end%s)",
			     missing, mql_csv_delimiter_advice(csv));
}

/* Parses "YYYY-MM" into the month's first second and the next month's. */
static int parse_month(const char *s, size_t len, mql_time *start,
		       mql_time *end)
{
	if (len != 7 || s[4] != '-')
		return -1;
	int year = 0, month = 0;
	for (int i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (i < 4)
			year = year * 10 + (s[i] - '0');
		else
			month = month * 10 + (s[i] - '0');
	}
	if (year < 1 || month < 1 || month > 12)
		return -1;
	*start = mql_time_days_from_civil(year, month, 1) * MQL_SECONDS_PER_DAY;
	*end = mql_time_days_from_civil(month == 12 ? year + 1 : year,
					month == 12 ? 1 : month + 1, 1) *
	       MQL_SECONDS_PER_DAY;
	return 0;
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
	if (col->month >= 0 &&
	    !mql_csv_field_missing(csv, (size_t)col->month)) {
		size_t len;
		const char *text = mql_csv_field(csv, (size_t)col->month, &len);
		if (parse_month(text, len, &row->start, &row->end) == 0)
			return 0;
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), col->month + 1,
				     "cannot parse '%s' as a month (expected "
				     "YYYY-MM)",
				     text);
	}
	if (col->start < 0 || col->end < 0)
		return row_error(csv, col->month,
				 "missing month (expected YYYY-MM)", err);
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
	while ((status = mql_csv_next(csv, err)) == 1)
		if ((status = read_row(s, csv, &col, &capacity, err)))
			break;
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
