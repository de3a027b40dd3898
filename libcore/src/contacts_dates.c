/*
 * contacts_dates.c - the day and month order of the contacts' slash
 * dates, settled by their whole column (see contacts_internal.h).
 *
 * Without --locale, "3/5/2026" could be March 5 or May 3.  The contacts
 * file is loaded whole, so such a date is kept month first and marked
 * (MARK added to its time) until the end; a date of the same column that
 * reads only one way ("13/5/2026", "5/13/2026") settles the column, and
 * the marked dates are then read in that order.  A column with dates of
 * both orders, or with a marked date and nothing to settle it, is bad
 * input that names --locale.
 */
#include "contacts_internal.h"
#include "csv_reader.h"

#include <stdio.h>
#include <string.h>

/* Far above any real time (year 9999 is below 2^38 seconds), far below
 * the overflow of a real time plus it. */
#define MARK ((mql_time)1 << 60)

static int is_marked(mql_time t)
{
	return t != MQL_TIME_NONE && t >= MARK / 2;
}

/* Keeps the earliest line: 0 is none. */
static void keep_first(long *line, long candidate)
{
	if (candidate > 0 && (*line == 0 || candidate < *line))
		*line = candidate;
}

int contacts_read_date(layout *lay, const mql_csv *csv, int s, mql_time *out,
		       int *marked, mql_error *err)
{
	mql_date_order settles;
	size_t column = (size_t)lay->stage[s];
	int status =
		mql_csv_get_time_unsettled(csv, column, out, &settles, err);
	date_column *dates = &lay->dates[s];
	long line = mql_csv_line(csv);
	*marked = 0;
	if (status < 0)
		return status;
	if (settles == MQL_DATE_ORDER_MDY)
		keep_first(&dates->mdy_line, line);
	else if (settles == MQL_DATE_ORDER_DMY)
		keep_first(&dates->dmy_line, line);
	if (status != MQL_TIME_AMBIGUOUS)
		return 0;
	if (dates->ambiguous_line == 0) {
		size_t len;
		const char *text = mql_csv_field(csv, column, &len);
		dates->ambiguous_line = line;
		snprintf(dates->ambiguous_text, sizeof dates->ambiguous_text,
			 "%.*s", (int)len, text);
	}
	*out += MARK;
	*marked = 1;
	lay->ambiguous_dates++;
	return 0;
}

void contacts_merge_dates(layout *into, const layout *from, long line_offset)
{
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		date_column *a = &into->dates[s];
		const date_column *b = &from->dates[s];
		if (b->mdy_line)
			keep_first(&a->mdy_line, b->mdy_line + line_offset);
		if (b->dmy_line)
			keep_first(&a->dmy_line, b->dmy_line + line_offset);
		if (b->ambiguous_line &&
		    (a->ambiguous_line == 0 ||
		     b->ambiguous_line + line_offset < a->ambiguous_line)) {
			a->ambiguous_line = b->ambiguous_line + line_offset;
			memcpy(a->ambiguous_text, b->ambiguous_text,
			       sizeof a->ambiguous_text);
		}
	}
	into->ambiguous_dates += from->ambiguous_dates;
}

/* The order of stage s's column, or an error when it has none. */
static int column_order(const layout *lay, int s, const char *path,
			mql_date_order *order, mql_error *err)
{
	const date_column *d = &lay->dates[s];
	const char *name = mql_stage_column(s);
	long column = lay->stage[s] + 1;
	if (d->mdy_line && d->dmy_line) {
		int mdy_later = d->mdy_line > d->dmy_line;
		return mql_error_set(
			err, MQL_ERR_INPUT, path,
			mdy_later ? d->mdy_line : d->dmy_line, column,
			"dates in column '%s' read %s here but %s on line %ld "
			"(expected one order: add --locale en-US for m/d/y, "
			"or --locale en-GB for d/m/y)",
			name, mdy_later ? "month first" : "day first",
			mdy_later ? "day first" : "month first",
			mdy_later ? d->dmy_line : d->mdy_line);
	}
	*order = d->dmy_line   ? MQL_DATE_ORDER_DMY
		 : d->mdy_line ? MQL_DATE_ORDER_MDY
			       : MQL_DATE_ORDER_UNKNOWN;
	if (*order != MQL_DATE_ORDER_UNKNOWN || !d->ambiguous_line)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, path, d->ambiguous_line,
			     column,
			     "cannot parse '%s' as a date in column '%s' "
			     "(expected a day and month that can be told "
			     "apart: add --locale en-US for m/d/y, or "
			     "--locale en-GB for d/m/y; no date in the column "
			     "settles it)",
			     d->ambiguous_text, name);
}

int contacts_settle_dates(contacts_part *part, const char *path,
			  mql_time future_after, mql_error *err)
{
	const layout *lay = &part->lay;
	mql_contacts *c = part->table;
	mql_date_order order[MQL_STAGE_COUNT];
	int status;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		order[s] = MQL_DATE_ORDER_UNKNOWN;
		if (lay->stage[s] >= 0 &&
		    (status = column_order(lay, s, path, &order[s], err)))
			return status;
	}
	if (lay->ambiguous_dates == 0)
		return 0;
	for (size_t row = 0; row < c->count; row++) {
		int marked = 0;
		for (int s = 0; s < MQL_STAGE_COUNT; s++) {
			mql_time *at = &c->stage_at[s][row];
			/* a stage without a column is derived below */
			if (lay->stage[s] < 0 || !is_marked(*at))
				continue;
			*at -= MARK;
			if (order[s] == MQL_DATE_ORDER_DMY)
				*at = mql_time_swap_day_month(*at);
			marked = 1;
		}
		if (!marked)
			continue;
		contacts_outcome_derive(c, row);
		contacts_check_order(c, row, future_after);
	}
	return 0;
}
