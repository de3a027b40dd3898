/*
 * funnel_report.c - the funnel as a table: the contract columns for csv
 * and json, a readable form for table and md (see funnel_report.h).  The
 * HTML report is in funnel_report_html.c.
 */
#include <mqlcal/funnel_report.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funnel_report_internal.h"

/* The waits of the report's columns, in order. */
const mql_report_wait mql_report_waits[MQL_REPORT_WAIT_COLUMNS] = {
	{MQL_WAIT_TO_MQL, MQL_REPORT_MEDIAN, "days_to_mql_median"},
	{MQL_WAIT_TO_MQL, MQL_REPORT_P90, "days_to_mql_p90"},
	{MQL_WAIT_MQL_TO_SAL, MQL_REPORT_MEDIAN, "days_mql_to_sal_median"},
	{MQL_WAIT_MQL_TO_SAL, MQL_REPORT_MEDIAN_REACHED,
	 "days_mql_to_sal_median_reached"},
	{MQL_WAIT_MQL_TO_SAL, MQL_REPORT_REACHED, "mql_to_sal_reached"},
	{MQL_WAIT_MQL_TO_SQL, MQL_REPORT_MEDIAN, "days_mql_to_sql_median"},
	{MQL_WAIT_MQL_TO_SQL, MQL_REPORT_MEDIAN_REACHED,
	 "days_mql_to_sql_median_reached"},
	{MQL_WAIT_MQL_TO_SQL, MQL_REPORT_REACHED, "mql_to_sql_reached"}};

int mql_funnel_parse_by(mql_funnel_options *opt, char *text, mql_error *err)
{
	char *name = text;
	opt->by_count = 0;
	for (;;) {
		char *comma = strchr(name, ',');
		if (comma)
			*comma = '\0';
		if (*name == '\0' || opt->by_count == MQL_FUNNEL_MAX_BY)
			return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
					     "--by expects one or two column "
					     "names separated by a comma");
		opt->by[opt->by_count++] = name;
		if (!comma)
			return MQL_OK;
		name = comma + 1;
	}
}

/* The value of wait column of g: days (NAN: not reached, no data) or a
   count. */
static double wait_value(const mql_funnel_group *g, size_t column)
{
	const mql_wait *w = &g->wait[mql_report_waits[column].wait];
	switch (mql_report_waits[column].kind) {
	case MQL_REPORT_P90: return w->p90;
	case MQL_REPORT_MEDIAN_REACHED: return w->median_reached;
	case MQL_REPORT_REACHED: return (double)w->events;
	case MQL_REPORT_MEDIAN: break;
	}
	return w->median;
}

void mql_report_rate_text(const mql_rate *r, char *buf, size_t n)
{
	if (isnan(r->rate))
		snprintf(buf, n, "%s", "");
	else
		snprintf(buf, n, "%.1f%% (%.1f-%.1f)", 100.0 * r->rate,
			 100.0 * r->low, 100.0 * r->high);
}

void mql_report_wait_text(const mql_funnel_group *g, size_t column, char *buf,
			  size_t n)
{
	const mql_wait *w = &g->wait[mql_report_waits[column].wait];
	double days = wait_value(g, column);
	enum mql_report_wait_kind kind = mql_report_waits[column].kind;
	if (w->subjects == 0)
		snprintf(buf, n, "%s", "");
	else if (kind == MQL_REPORT_REACHED)
		snprintf(buf, n, "%zu", w->events);
	else if (isnan(days))
		snprintf(buf, n, "%s",
			 kind == MQL_REPORT_MEDIAN_REACHED ? "none reached"
							   : "not reached");
	else
		snprintf(buf, n, "%.1f", days);
}

/* Whether f is grouped by cohort (then its first label, a month or a
 * quarter). */
static int has_cohort(const mql_funnel *f)
{
	return f->label_count > 0 && strcmp(f->label_names[0], "cohort") == 0;
}

/* The columns: full (csv, json) or readable (table, md, html); csv and
 * json end with the cohort's first day (ISO 8601) when there is one. */
static int add_columns(mql_table *t, const mql_funnel *f, int readable)
{
	int status = MQL_OK;
	char name[64];
	if (!readable)
		status = mql_table_add_column(t, MQL_TABLE_LEVEL_COLUMN,
					      MQL_COLUMN_TEXT, 0);
	for (size_t d = 0; d < f->label_count && !status; d++)
		status = mql_table_add_column(t, f->label_names[d],
					      MQL_COLUMN_TEXT, 0);
	for (int s = 0; s < MQL_FUNNEL_COUNTS && !status; s++)
		status = mql_table_add_column(t, mql_funnel_count_name(s),
					      MQL_COLUMN_INT, 0);
	for (int step = 0; step < MQL_FUNNEL_STEPS && !status; step++) {
		const char *base = mql_funnel_step_name(step);
		if (readable) {
			status = mql_table_add_column(t, base, MQL_COLUMN_TEXT,
						      0);
			continue;
		}
		status = mql_table_add_column(t, base, MQL_COLUMN_REAL, 4);
		snprintf(name, sizeof name, "%s_low", base);
		if (!status)
			status = mql_table_add_column(t, name, MQL_COLUMN_REAL,
						      4);
		snprintf(name, sizeof name, "%s_high", base);
		if (!status)
			status = mql_table_add_column(t, name, MQL_COLUMN_REAL,
						      4);
	}
	for (size_t w = 0; w < MQL_REPORT_WAIT_COLUMNS && !status; w++)
		status = mql_table_add_column(t, mql_report_waits[w].name,
					      readable ? MQL_COLUMN_TEXT
					      : mql_report_waits[w].kind ==
							      MQL_REPORT_REACHED
						      ? MQL_COLUMN_INT
						      : MQL_COLUMN_REAL,
					      1);
	if (!status)
		status = mql_table_add_column(t, "rejected", MQL_COLUMN_INT, 0);
	if (!status)
		status = mql_table_add_column(t, "out_of_order", MQL_COLUMN_INT,
					      0);
	if (!status && !readable && has_cohort(f))
		status = mql_table_add_column(t, "period_start",
					      MQL_COLUMN_TEXT, 0);
	return status;
}

/* What a terminal too narrow for the table leaves out first (table.h):
 * never the groups; then the waits and the counts of bad rows, the rates
 * inside the funnel, the later counts. */
static int set_priorities(mql_table *t, const mql_funnel *f)
{
	static const mql_table_priority priorities[] = {
		{"leads", 1},
		{"mql", 1},
		{"customer", 2},
		{"mql_to_customer", 2},
		{"sql", 3},
		{"lead_to_mql", 3},
		{"mql_to_sql", 3},
		{"sal", 4},
		{"mql_to_sal", 4},
		{"opportunity", 5},
		{"sql_to_opportunity", 6},
		{"opportunity_to_customer", 6},
		{"rejected", 8},
		{"out_of_order", 8},
		{NULL, 0}};
	int status = MQL_OK;
	for (size_t d = 0; d < f->label_count && !status; d++)
		status = mql_table_set_priority(t, d, 0);
	if (!status)
		status = mql_table_set_priorities(t, priorities);
	for (size_t w = 0; w < MQL_REPORT_WAIT_COLUMNS && !status; w++) {
		mql_table_priority wait[] = {{mql_report_waits[w].name, 7},
					     {NULL, 0}};
		status = mql_table_set_priorities(t, wait);
	}
	return status;
}

/* One group's row (or the total's), from column 0. */
static int add_row(mql_table *t, const mql_funnel *f, const mql_funnel_group *g,
		   int readable)
{
	char text[64];
	size_t column = 0;
	int status = MQL_OK;
	if (!readable)
		status |= mql_table_set_text(t, column++,
					     g == &f->total
						     ? MQL_TABLE_LEVEL_TOTAL
						     : MQL_TABLE_LEVEL_GROUP);
	for (size_t d = 0; d < f->label_count; d++)
		status |= mql_table_set_text(t, column++, g->labels[d]);
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++)
		status |= mql_table_set_int(t, column++, (int64_t)g->count[s]);
	for (int step = 0; step < MQL_FUNNEL_STEPS; step++) {
		const mql_rate *r = &g->step[step];
		if (readable) {
			mql_report_rate_text(r, text, sizeof text);
			status |= mql_table_set_text(t, column++, text);
			continue;
		}
		status |= mql_table_set_real(t, column++, r->rate);
		status |= mql_table_set_real(t, column++, r->low);
		status |= mql_table_set_real(t, column++, r->high);
	}
	for (size_t w = 0; w < MQL_REPORT_WAIT_COLUMNS; w++) {
		if (readable) {
			mql_report_wait_text(g, w, text, sizeof text);
			status |= mql_table_set_text(t, column++, text);
		} else if (mql_report_waits[w].kind == MQL_REPORT_REACHED) {
			const mql_wait *wait =
				&g->wait[mql_report_waits[w].wait];
			status |= mql_table_set_int(t, column++,
						    (int64_t)wait->events);
		} else {
			status |= mql_table_set_real(t, column++,
						     wait_value(g, w));
		}
	}
	status |= mql_table_set_int(t, column++, (int64_t)g->rejected);
	status |= mql_table_set_int(t, column++, (int64_t)g->out_of_order);
	if (!readable && has_cohort(f)) {
		char start[16];
		mql_time_period_start(g->labels[0], start, sizeof start);
		status |= mql_table_set_text(t, column++, start);
	}
	if (status != MQL_OK)
		return MQL_ERR_NOMEM;
	return mql_table_end_row(t);
}

/* The table of f (groups, then the total) in format. */
static int write_table(const mql_funnel *f, FILE *fp, mql_format format,
		       mql_error *err)
{
	int readable = !mql_format_is_data(format);
	mql_table *t = mql_table_new(fp, format);
	int status;
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	status = add_columns(t, f, readable);
	if (status == MQL_OK)
		status = set_priorities(t, f);
	for (size_t k = 0; k < f->group_count && status == MQL_OK; k++)
		status = add_row(t, f, &f->groups[k], readable);
	if (status == MQL_OK)
		status = add_row(t, f, &f->total, readable);
	if (status == MQL_OK)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot build the table");
	mql_table_free(t);
	return status;
}

int mql_funnel_report_write(const mql_funnel *f, FILE *fp, mql_format format,
			    const char *source, mql_error *err)
{
	if (format == MQL_FORMAT_HTML)
		return mql_report_write_html(f, fp, source, err);
	return write_table(f, fp, format, err);
}
