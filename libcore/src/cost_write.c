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

const char *mql_cost_group_column(mql_cost_by by)
{
	if ((unsigned)by > MQL_COST_BY_QUARTER)
		return "group";
	return mql_cost_by_names[by];
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

/* The currency of page, "" for none. */
static const char *currency_of(const mql_cost_page *page)
{
	return page && page->currency ? page->currency : "";
}

/* The currency column: always in csv and json (a schema of its own), in
 * table and md only when there is a currency to show. */
static int has_currency_column(const char *currency, size_t at)
{
	return at > 0 || currency[0] != '\0';
}

/* The columns from `at` on (1 after the level column of csv and json). */
static int add_columns(mql_table *t, const mql_cost_report *r, size_t at,
		       const char *currency)
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
	if (!status && has_currency_column(currency, at))
		status =
			mql_table_add_column(t, "currency", MQL_COLUMN_TEXT, 0);
	return status;
}

/* One row from column `at` on.  Returns 0 or the first setter's error. */
static int add_row(mql_table *t, const mql_cost_report *r,
		   const mql_cost_row *row, size_t at, const char *currency)
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
	if (!status && has_currency_column(currency, at))
		status = mql_table_set_text(
			t, at + COL_COUNT + (has_period_start(r, at) ? 1 : 0),
			currency);
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
		       const char *currency, mql_error *err)
{
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	size_t at = mql_format_is_data(format) ? 1 : 0;
	int status = add_columns(t, r, at, currency);
	if (!status)
		status = mql_table_set_priorities(t, priorities);
	for (size_t i = 0; i < r->count && !status; i++)
		status = add_row(t, r, &r->rows[i], at, currency);
	if (!status)
		status = add_row(t, r, &r->total, at, currency);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the cost table");
	mql_table_free(t);
	return status;
}

/* The six key figures of the totals. */
static int key_figures(mql_html *h, const mql_cost_row *total,
		       const char *currency)
{
	char values[6][32];
	const char *labels[] = {
		"spend",	"cost per lead",     "cost per MQL",
		"cost per SQL", "cost per customer", "ROI"};
	const double amounts[5] = {total->in_spend ? total->spend : NAN,
				   total->cost_per_lead, total->cost_per_mql,
				   total->cost_per_sql,
				   total->cost_per_customer};
	for (int i = 0; i < 5; i++)
		mql_figure_amount(values[i], sizeof values[i], amounts[i],
				  currency);
	mql_figure_percent(values[5], sizeof values[5], total->roi, 0);
	const char *texts[6];
	for (int i = 0; i < 6; i++)
		texts[i] = values[i];
	return mql_html_key_figures(h, 6, labels, texts);
}

/* One bar chart of a cost per stage by group. */
static int cost_chart(mql_html *h, const mql_cost_report *r, int customer,
		      const char *currency)
{
	mql_html_bar *bars = calloc(r->count ? r->count : 1, sizeof *bars);
	char(*notes)[48] = calloc(r->count ? r->count : 1, sizeof *notes);
	int status = MQL_ERR_NOMEM;
	if (bars && notes) {
		for (size_t i = 0; i < r->count; i++) {
			const mql_cost_row *row = &r->rows[i];
			bars[i].label = row->group;
			bars[i].value = customer ? row->cost_per_customer
						 : row->cost_per_mql;
			bars[i].low = bars[i].high = NAN;
			mql_figure_amount(notes[i], sizeof notes[i],
					  bars[i].value, currency);
			bars[i].note = notes[i][0] ? notes[i] : NULL;
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
			.money = 1,
			.currency = currency};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	free(notes);
	return status;
}

/* The full table as HTML cells. */
static int html_table(mql_html *h, const mql_cost_report *r,
		      const char *currency)
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
					mql_figure_amount(text[i][c], 32,
							  values[c], currency);
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

/* The quarters of a report grouped by quarter, without "(none)". */
static size_t trend_quarters(const mql_cost_report *q)
{
	size_t count = 0;
	while (count < q->count && strcmp(q->rows[count].group, MQL_GROUP_NONE))
		count++;
	return count;
}

/*
 * A quarter's cost per MQL or per customer is charted when the count it
 * divides by is at least this: a count of n carries a relative error of
 * about 1 / sqrt(n), so below 10 the point is more noise (over 30%) than
 * trend, and the first quarters of a history, whose customers are still to
 * come, would squash every later point against the axis.  The table keeps
 * every quarter.
 */
#define TREND_MIN_COUNT 10

/* The count a quarter's cost divides by (fractional under attribution). */
static double trend_count(const mql_cost_row *row, int customer)
{
	return customer ? row->customer : row->mql;
}

/* A sentence naming the quarters left out of a chart, when there are. */
static int trend_left_out(mql_html *h, const mql_cost_report *q, size_t count,
			  int customer)
{
	char text[512];
	size_t used = 0, left = 0;
	for (size_t i = 0; i < count; i++) {
		double n = trend_count(&q->rows[i], customer);
		char figure[32];
		if (n >= TREND_MIN_COUNT || used >= sizeof text - 64)
			continue;
		int wrote =
			snprintf(text + used, sizeof text - used, "%s%s: %s",
				 left ? "; " : "", q->rows[i].group,
				 mql_figure_count(figure, sizeof figure, n));
		used += wrote > 0 ? (size_t)wrote : 0;
		left++;
	}
	if (left == 0)
		return MQL_OK;
	char sentence[768];
	snprintf(sentence, sizeof sentence,
		 "Quarters with fewer than %d %s are left out of the chart "
		 "(%s): their cost is more noise than trend. The table below "
		 "has every quarter.",
		 TREND_MIN_COUNT, customer ? "customers" : "MQLs", text);
	return mql_html_paragraph(h, sentence);
}

/* Cost per MQL or per customer by quarter, a line over the quarters (one
 * chart each: a customer costs several MQLs, one scale would flatten the
 * cost per MQL). */
static int trend_chart(mql_html *h, const mql_cost_report *q, size_t count,
		       const char *currency, int customer)
{
	double *x = calloc(count, sizeof *x);
	double *cost = calloc(count, sizeof *cost);
	const char **labels = calloc(count, sizeof *labels);
	int status = MQL_ERR_NOMEM;
	if (x && cost && labels) {
		for (size_t i = 0; i < count; i++) {
			x[i] = (double)i;
			cost[i] = trend_count(&q->rows[i], customer) <
						  TREND_MIN_COUNT
					  ? NAN
				  : customer ? q->rows[i].cost_per_customer
					     : q->rows[i].cost_per_mql;
			labels[i] = q->rows[i].group;
		}
		const mql_html_series series = {NULL, count, x,
						cost, NULL,  NULL};
		mql_html_xy chart = {
			.title = customer ? "Cost per customer by "
					    "quarter"
					  : "Cost per MQL by quarter",
			.x_label = "quarter",
			.y_label = "spend / count",
			.x_min = NAN,
			.x_max = NAN,
			.y_min = 0,
			.y_max = NAN,
			.series_count = 1,
			.series = &series,
			.x_categories = labels,
			.x_category_count = count,
			.y_money = 1,
			.currency = currency};
		status = mql_html_line_chart(h, &chart);
		status |= trend_left_out(h, q, count, customer);
	}
	free(x);
	free(cost);
	free(labels);
	return status;
}

/* The figures behind the trend, one row per quarter. */
static int trend_table(mql_html *h, const mql_cost_report *q, size_t count,
		       const char *currency)
{
	enum { COLS = 6 };
	const char *header[COLS] = {"quarter",	    "spend",
				    "MQLs",	    "customers",
				    "cost per MQL", "cost per customer"};
	const int numeric[COLS] = {0, 1, 1, 1, 1, 1};
	char(*text)[COLS][32] = calloc(count ? count : 1, sizeof *text);
	const char **cells = calloc((count ? count : 1) * COLS, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (text && cells) {
		for (size_t i = 0; i < count; i++) {
			const mql_cost_row *row = &q->rows[i];
			mql_figure_amount(text[i][1], 32,
					  row->in_spend ? row->spend : NAN,
					  currency);
			mql_figure_count(text[i][2], 32, row->mql);
			mql_figure_count(text[i][3], 32, row->customer);
			mql_figure_amount(text[i][4], 32, row->cost_per_mql,
					  currency);
			mql_figure_amount(text[i][5], 32,
					  row->cost_per_customer, currency);
			cells[i * COLS] = row->group;
			for (int c = 1; c < COLS; c++)
				cells[i * COLS + (size_t)c] = text[i][c];
		}
		status = mql_html_table(h,
					"Cost per MQL and per customer by "
					"quarter",
					COLS, header, numeric, count, cells);
	}
	free(text);
	free(cells);
	return status;
}

/* The quarterly trend section, when there are quarters to show. */
static int trend_section(mql_html *h, const mql_cost_report *q,
			 const char *currency)
{
	size_t count = q ? trend_quarters(q) : 0;
	if (count == 0)
		return MQL_OK;
	int status = mql_html_heading(h, 2, "By quarter");
	status |= mql_html_paragraph(
		h, "Each quarter's spend divided by the MQLs and the customers "
		   "of that quarter (each counted in the quarter of its own "
		   "date; spend spread over the days its rows cover). A "
		   "customer is counted when it buys, often a quarter or more "
		   "after the spend that brought it.");
	status |= trend_chart(h, q, count, currency, 0);
	status |= trend_chart(h, q, count, currency, 1);
	status |= trend_table(h, q, count, currency);
	return status;
}

static int write_page(const mql_cost_report *r, FILE *fp,
		      const mql_cost_page *page, mql_error *err)
{
	const char *currency = currency_of(page);
	const mql_cost_report *by_quarter =
		page && r->by != MQL_COST_BY_QUARTER ? page->by_quarter : NULL;
	mql_html *h =
		mql_html_new(fp, "What a lead, an MQL and a customer cost",
			     page ? page->subtitle : NULL);
	if (!h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the report");
	int status = key_figures(h, &r->total, currency);
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
		"never that it was free. ROI is (revenue - spend) / "
		"spend.%s%s%s",
		mql_cost_group_column(r->by), mql_attribution_name(r->model),
		r->fractional ? " (fractional credits)" : "",
		currency[0] ? " Amounts are in " : "", currency,
		currency[0] ? "." : "");
	status |= mql_html_heading(h, 2, "Cost per MQL and per customer");
	status |= mql_html_paragraph(
		h, "The two charts show the same groups in the same order, "
		   "each bar labelled with its amount. The dashed line is the "
		   "figure for all groups together. A group that looks cheap "
		   "per MQL but dear per customer brings MQLs that do not "
		   "buy.");
	status |= cost_chart(h, r, 0, currency);
	status |= cost_chart(h, r, 1, currency);
	status |= trend_section(h, by_quarter, currency);
	status |= mql_html_heading(h, 2, "Every figure");
	status |= html_table(h, r, currency);
	if (status)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "cannot build the report page");
	else
		status = mql_html_finish(h, err);
	mql_html_free(h);
	return status;
}

int mql_cost_write(const mql_cost_report *r, FILE *fp, mql_format format,
		   const mql_cost_page *page, mql_error *err)
{
	if (format == MQL_FORMAT_HTML)
		return write_page(r, fp, page, err);
	return write_table(r, fp, format, currency_of(page), err);
}
