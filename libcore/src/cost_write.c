/*
 * cost_write.c - the cost report as a table (table, csv, json, md) and as
 * an HTML page that puts cost per MQL and cost per customer side by side.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/cost.h>
#include <mqlcal/html.h>
#include <mqlcal/figures.h>
#include <mqlcal/timeparse.h>

static const char *const grouping_columns[] = {"channel", "campaign", "month",
					       "quarter"};

const char *mql_cost_group_column(mql_cost_by by)
{
	if ((unsigned)by > MQL_COST_BY_QUARTER)
		return "group";
	return grouping_columns[by];
}

enum cost_column {
	COL_GROUP,
	COL_SPEND,
	COL_LEADS,
	COL_MQL,
	COL_SQL,
	COL_CUSTOMER,
	COL_REVENUE,
	COL_PER_LEAD,
	COL_PER_MQL,
	COL_PER_SQL,
	COL_PER_CUSTOMER,
	COL_ROI,
	COL_COUNT
};

static const char *const column_names[COL_COUNT] = {NULL,
						    "spend",
						    "leads",
						    "mql",
						    "sql",
						    "customer",
						    "revenue",
						    "cost_per_lead",
						    "cost_per_mql",
						    "cost_per_sql",
						    "cost_per_customer",
						    "roi"};

/* Grouped by month or quarter, csv and json add the period's first day. */
static int has_period_start(const mql_cost_report *r, size_t at)
{
	return at > 0 &&
	       (r->by == MQL_COST_BY_MONTH || r->by == MQL_COST_BY_QUARTER);
}

/* The columns from `at` on (1 after the level column of csv and json). */
static int add_columns(mql_table *t, const mql_cost_report *r, size_t at)
{
	mql_column_kind count_kind =
		r->fractional ? MQL_COLUMN_REAL : MQL_COLUMN_INT;
	int status = 0;
	if (at > 0)
		status = mql_table_add_column(t, MQL_TABLE_LEVEL_COLUMN,
					      MQL_COLUMN_TEXT, 0);
	if (!status)
		status = mql_table_add_column(t, mql_cost_group_column(r->by),
					      MQL_COLUMN_TEXT, 0);
	for (int c = COL_SPEND; c < COL_COUNT && !status; c++) {
		int is_count = c >= COL_LEADS && c <= COL_CUSTOMER;
		status = mql_table_add_column(
			t, column_names[c],
			is_count ? count_kind : MQL_COLUMN_REAL, 2);
	}
	if (!status && has_period_start(r, at))
		status = mql_table_add_column(t, "period_start",
					      MQL_COLUMN_TEXT, 0);
	return status;
}

/* One row from column `at` on.  Returns 0 or the first setter's error. */
static int add_row(mql_table *t, const mql_cost_report *r,
		   const mql_cost_row *row, size_t at)
{
	double counts[] = {row->leads, row->mql, row->sql, row->customer};
	int status = 0;
	if (at > 0)
		status = mql_table_set_text(t, 0,
					    row == &r->total
						    ? MQL_TABLE_LEVEL_TOTAL
						    : MQL_TABLE_LEVEL_GROUP);
	if (!status)
		status = mql_table_set_text(t, at + COL_GROUP, row->group);
	if (!status)
		status = mql_table_set_real(t, at + COL_SPEND,
					    row->in_spend ? row->spend : NAN);
	for (int c = 0; c < 4 && !status; c++) {
		size_t column = at + (size_t)(COL_LEADS + c);
		status = r->fractional
				 ? mql_table_set_real(t, column, counts[c])
				 : mql_table_set_int(
					   t, column,
					   (int64_t)llround(counts[c]));
	}
	double money[] = {row->revenue,		  row->cost_per_lead,
			  row->cost_per_mql,	  row->cost_per_sql,
			  row->cost_per_customer, row->roi};
	for (int c = 0; c < 6 && !status; c++)
		status = mql_table_set_real(t, at + (size_t)(COL_REVENUE + c),
					    money[c]);
	if (!status && has_period_start(r, at)) {
		char start[16];
		mql_time_period_start(row->group, start, sizeof start);
		status = mql_table_set_text(t, at + COL_COUNT, start);
	}
	return status ? status : mql_table_end_row(t);
}

/* What a terminal too narrow for the table leaves out first (table.h). */
static const mql_table_priority priorities[] = {
	{"spend", 1},	      {"cost_per_customer", 1},
	{"cost_per_mql", 2},  {"roi", 2},
	{"mql", 3},	      {"customer", 3},
	{"revenue", 4},	      {"cost_per_sql", 4},
	{"sql", 5},	      {"leads", 6},
	{"cost_per_lead", 6}, {NULL, 0}};

static int write_table(const mql_cost_report *r, FILE *fp, mql_format format,
		       mql_error *err)
{
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	size_t at = mql_format_is_data(format) ? 1 : 0;
	int status = add_columns(t, r, at);
	if (!status)
		status = mql_table_set_priorities(t, priorities);
	for (size_t i = 0; i < r->count && !status; i++)
		status = add_row(t, r, &r->rows[i], at);
	if (!status)
		status = add_row(t, r, &r->total, at);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the cost table");
	mql_table_free(t);
	return status;
}

/* The six key figures of the totals. */
static int key_figures(mql_html *h, const mql_cost_row *total)
{
	char values[6][32];
	const char *labels[] = {
		"spend",	"cost per lead",     "cost per MQL",
		"cost per SQL", "cost per customer", "ROI"};
	mql_figure_money(values[0], sizeof values[0],
			 total->in_spend ? total->spend : NAN);
	mql_figure_money(values[1], sizeof values[1], total->cost_per_lead);
	mql_figure_money(values[2], sizeof values[2], total->cost_per_mql);
	mql_figure_money(values[3], sizeof values[3], total->cost_per_sql);
	mql_figure_money(values[4], sizeof values[4], total->cost_per_customer);
	mql_figure_percent(values[5], sizeof values[5], total->roi, 0);
	const char *texts[6];
	for (int i = 0; i < 6; i++)
		texts[i] = values[i];
	return mql_html_key_figures(h, 6, labels, texts);
}

/* One bar chart of a cost per stage by group. */
static int cost_chart(mql_html *h, const mql_cost_report *r, int customer)
{
	mql_html_bar *bars = calloc(r->count ? r->count : 1, sizeof *bars);
	char(*notes)[48] = calloc(r->count ? r->count : 1, sizeof *notes);
	int status = MQL_ERR_NOMEM;
	if (bars && notes) {
		for (size_t i = 0; i < r->count; i++) {
			const mql_cost_row *row = &r->rows[i];
			double count = customer ? row->customer : row->mql;
			bars[i].label = row->group;
			bars[i].value = customer ? row->cost_per_customer
						 : row->cost_per_mql;
			bars[i].low = bars[i].high = NAN;
			snprintf(notes[i], sizeof notes[i], "%.4g %s", count,
				 customer ? "customers" : "MQLs");
			bars[i].note = notes[i];
		}
		mql_html_bars chart = {
			.title =
				customer ? "Cost per customer" : "Cost per MQL",
			.axis_label = "spend / count",
			.reference = customer ? r->total.cost_per_customer
					      : r->total.cost_per_mql,
			.reference_label = "all groups",
			.count = r->count,
			.bars = bars,
			.money = 1};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	free(notes);
	return status;
}

/* The full table as HTML cells. */
static int html_table(mql_html *h, const mql_cost_report *r)
{
	const char *header[] = {mql_cost_group_column(r->by),
				"spend",
				"leads",
				"MQLs",
				"SQLs",
				"customers",
				"revenue",
				"cost per lead",
				"cost per MQL",
				"cost per SQL",
				"cost per customer",
				"ROI"};
	const int numeric[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	size_t rows = r->count + 1;
	char(*text)[COL_COUNT][32] = calloc(rows, sizeof *text);
	const char **cells = calloc(rows * COL_COUNT, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (text && cells) {
		for (size_t i = 0; i < rows; i++) {
			const mql_cost_row *row =
				i < r->count ? &r->rows[i] : &r->total;
			double values[COL_COUNT] = {0,
						    row->in_spend ? row->spend
								  : NAN,
						    row->leads,
						    row->mql,
						    row->sql,
						    row->customer,
						    row->revenue,
						    row->cost_per_lead,
						    row->cost_per_mql,
						    row->cost_per_sql,
						    row->cost_per_customer,
						    row->roi};
			cells[i * COL_COUNT] = row->group;
			for (int c = 1; c < COL_COUNT; c++) {
				if (c >= COL_LEADS && c <= COL_CUSTOMER)
					mql_figure_count(text[i][c], 32,
							 values[c]);
				else if (c == COL_ROI)
					mql_figure_percent(text[i][c], 32,
							   values[c], 0);
				else
					mql_figure_money(text[i][c], 32,
							 values[c]);
				cells[i * COL_COUNT + (size_t)c] = text[i][c];
			}
		}
		status =
			mql_html_table(h, "Spend and funnel by group",
				       COL_COUNT, header, numeric, rows, cells);
	}
	free(text);
	free(cells);
	return status;
}

static int write_page(const mql_cost_report *r, FILE *fp, const char *subtitle,
		      mql_error *err)
{
	mql_html *h = mql_html_new(
		fp, "What a lead, an MQL and a customer cost", subtitle);
	if (!h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the report");
	int status = key_figures(h, &r->total);
	status |= mql_html_note(
		h, "Cost per MQL and cost per customer are different numbers. "
		   "Spend of 50,000 that brings 500 MQLs and 50 customers "
		   "costs 100 per MQL but 1,000 per customer: compare "
		   "channels on what they cost per customer, not per MQL.");
	status |= mql_html_paragraphf(
		h,
		"Counts are credited to %ss by %s touch%s. Each cost is the "
		"group's spend divided by its count; an empty cell means "
		"the count is zero or the group has no spend recorded, "
		"never that it was free. ROI is (revenue - spend) / spend.",
		mql_cost_group_column(r->by), mql_attribution_name(r->model),
		r->fractional ? " (fractional credits)" : "");
	status |= mql_html_heading(h, 2, "Cost per MQL and per customer");
	status |= mql_html_paragraph(
		h, "The two charts show the same groups in the same order. "
		   "The dashed line is the figure for all groups together. "
		   "A group that looks cheap per MQL but dear per customer "
		   "brings MQLs that do not buy.");
	status |= cost_chart(h, r, 0);
	status |= cost_chart(h, r, 1);
	status |= mql_html_heading(h, 2, "Every figure");
	status |= html_table(h, r);
	if (status)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "cannot build the report page");
	else
		status = mql_html_finish(h, err);
	mql_html_free(h);
	return status;
}

int mql_cost_write(const mql_cost_report *r, FILE *fp, mql_format format,
		   const char *subtitle, mql_error *err)
{
	if (format == MQL_FORMAT_HTML)
		return write_page(r, fp, subtitle, err);
	return write_table(r, fp, format, err);
}
