/*
 * channels_write.c - the keep / kill / watch report as a table (table,
 * csv, json, md) and as an HTML page.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/channels.h>
#include <mqlcal/figures.h>
#include <mqlcal/html.h>

enum channel_column {
	COL_GROUP,
	COL_MQL,
	COL_SQL,
	COL_CUSTOMER,
	COL_RATE,
	COL_SHRUNK,
	COL_LOW,
	COL_HIGH,
	COL_P,
	COL_Q,
	COL_PER_SQL,
	COL_PER_CUSTOMER,
	COL_DECISION,
	COL_REASON,
	COL_KNOWN,
	COL_REACHED,
	COL_MORE,
	COL_SPEND,
	COL_COUNT
};

static const struct {
	const char *name;
	mql_column_kind kind;
	int decimals;
} columns[COL_COUNT] = {
	{NULL, MQL_COLUMN_TEXT, 0},
	{"mql", MQL_COLUMN_INT, 0},
	{"sql", MQL_COLUMN_INT, 0},
	{"customer", MQL_COLUMN_INT, 0},
	{"rate", MQL_COLUMN_REAL, 3},
	{"rate_shrunk", MQL_COLUMN_REAL, 3},
	{"rate_low", MQL_COLUMN_REAL, 3},
	{"rate_high", MQL_COLUMN_REAL, 3},
	{"p_value", MQL_COLUMN_Q_VALUE, 4},
	{"q_value", MQL_COLUMN_Q_VALUE, 4},
	{"cost_per_sql", MQL_COLUMN_REAL, 2},
	{"cost_per_customer", MQL_COLUMN_REAL, 2},
	{"decision", MQL_COLUMN_TEXT, 0},
	{"reason", MQL_COLUMN_TEXT, 0},
	{"mql_known", MQL_COLUMN_INT, 0},
	{"reached", MQL_COLUMN_INT, 0},
	{"more_mql", MQL_COLUMN_REAL, 0},
	{"spend", MQL_COLUMN_REAL, 2},
};

/*
 * One row from column `at` on (1 after the level cell of csv and json, 0
 * in the readable formats).  Returns 0 or the first setter's error.
 */
/* Name of the group column: "channel" or "campaign". */
static const char *group_column(const mql_channels_report *r)
{
	return r->options.by_campaign ? "campaign" : "channel";
}

static int add_row(mql_table *t, const mql_channel_row *row, int is_total,
		   size_t at, const char *currency)
{
	int status = 0;
	if (at > 0)
		status = mql_table_set_text(t, 0,
					    is_total ? MQL_TABLE_LEVEL_TOTAL
						     : MQL_TABLE_LEVEL_GROUP);
	if (!status)
		status = mql_table_set_text(t, at + COL_GROUP, row->group);
	const size_t counts[] = {row->mql, row->sql, row->customer};
	for (int c = 0; c < 3 && !status; c++)
		status = mql_table_set_int(t, at + (size_t)(COL_MQL + c),
					   (int64_t)counts[c]);
	const double reals[] = {row->rate,	   row->rate_shrunk,
				row->rate_low,	   row->rate_high,
				row->p_value,	   row->q_value,
				row->cost_per_sql, row->cost_per_customer};
	for (int c = 0; c < 8 && !status; c++)
		status = mql_table_set_real(t, at + (size_t)(COL_RATE + c),
					    reals[c]);
	if (!status)
		status = mql_table_set_text(
			t, at + COL_DECISION,
			is_total ? "" : mql_decision_name(row->decision));
	if (!status)
		status = mql_table_set_text(t, at + COL_REASON, row->reason);
	if (!status)
		status = mql_table_set_int(t, at + COL_KNOWN,
					   (int64_t)row->decided);
	if (!status)
		status = mql_table_set_int(t, at + COL_REACHED,
					   (int64_t)row->reached);
	if (!status)
		status = mql_table_set_real(t, at + COL_MORE, row->more_mql);
	if (!status)
		status = mql_table_set_real(t, at + COL_SPEND, row->spend);
	if (!status && (at > 0 || currency[0]))
		status = mql_table_set_text(t, at + COL_COUNT, currency);
	return status ? status : mql_table_end_row(t);
}

/* What a terminal too narrow for the table leaves out first (table.h). */
static const mql_table_priority priorities[] = {{"decision", 1},
						{"mql", 2},
						{"rate", 2},
						{"sql", 3},
						{"customer", 3},
						{"q_value", 3},
						{"cost_per_customer", 3},
						{"rate_low", 4},
						{"rate_high", 4},
						{"rate_shrunk", 5},
						{"cost_per_sql", 5},
						{"p_value", 6},
						{"reason", 7},
						{"spend", 7},
						{"mql_known", 8},
						{"reached", 8},
						{"more_mql", 8},
						{NULL, 0}};

static int write_table(const mql_channels_report *r, FILE *fp,
		       mql_format format, const char *currency, mql_error *err)
{
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	size_t at = mql_format_is_data(format) ? 1 : 0;
	int status = 0;
	if (at > 0)
		status = mql_table_add_column(t, MQL_TABLE_LEVEL_COLUMN,
					      MQL_COLUMN_TEXT, 0);
	for (int c = 0; c < COL_COUNT && !status; c++)
		status = mql_table_add_column(
			t, c == COL_GROUP ? group_column(r) : columns[c].name,
			columns[c].kind, columns[c].decimals);
	/* csv and json always (a fixed schema), table and md when known */
	if (!status && (at > 0 || currency[0]))
		status =
			mql_table_add_column(t, "currency", MQL_COLUMN_TEXT, 0);
	if (!status)
		status = mql_table_set_priorities(t, priorities);
	for (size_t i = 0; i < r->count && !status; i++)
		status = add_row(t, &r->rows[i], 0, at, currency);
	if (!status)
		status = add_row(t, &r->total, 1, at, currency);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the channels table");
	mql_table_free(t);
	return status;
}

/* Counts of each decision, and the overall rate, as key figures. */
static int key_figures(mql_html *h, const mql_channels_report *r)
{
	size_t counts[3] = {0, 0, 0};
	for (size_t i = 0; i < r->count; i++)
		counts[r->rows[i].decision]++;
	char text[5][32];
	mql_figure_percent(text[0], sizeof text[0], r->overall_rate, 1);
	mql_figure_count(text[1], sizeof text[1], (double)r->total.decided);
	for (int d = 0; d < 3; d++)
		mql_figure_count(text[2 + d], sizeof text[2 + d],
				 (double)counts[d]);
	const char *labels[] = {"overall rate", "MQLs with an outcome", "keep",
				"watch", "kill"};
	const char *values[] = {text[0], text[1], text[2], text[3], text[4]};
	return mql_html_key_figures(h, 5, labels, values);
}

/* The shrunk rates with their intervals against the overall rate. */
static int rate_chart(mql_html *h, const mql_channels_report *r,
		      const char *stage)
{
	mql_html_bar *bars = calloc(r->count ? r->count : 1, sizeof *bars);
	char(*notes)[64] = calloc(r->count ? r->count : 1, sizeof *notes);
	int status = MQL_ERR_NOMEM;
	if (bars && notes) {
		for (size_t i = 0; i < r->count; i++) {
			const mql_channel_row *row = &r->rows[i];
			bars[i].label = row->group;
			bars[i].value = row->rate_shrunk;
			bars[i].low = row->rate_low;
			bars[i].high = row->rate_high;
			snprintf(notes[i], sizeof notes[i], "%s: %zu of %zu",
				 mql_decision_name(row->decision), row->reached,
				 row->decided);
			bars[i].note = notes[i];
			bars[i].flagged = row->decision == MQL_DECISION_KILL;
		}
		char title[96];
		snprintf(title, sizeof title, "MQL to %s rate, shrunk", stage);
		mql_html_bars chart = {.title = title,
				       .axis_label = "rate with its interval",
				       .percent = 1,
				       .reference = r->overall_rate,
				       .reference_label = "overall rate",
				       .count = r->count,
				       .bars = bars};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	free(notes);
	return status;
}

/* Decision, reason and the figures behind it, one row per group. */
static int decision_table(mql_html *h, const mql_channels_report *r,
			  const char *currency)
{
	enum { COLS = 9 };
	const char *header[COLS] = {
		group_column(r),    "decision", "MQLs", "rate",
		"shrunk",	    "interval", "q",	"cost per SQL",
		"cost per customer"};
	const int numeric[COLS] = {0, 0, 1, 1, 1, 1, 1, 1, 1};
	size_t rows = r->count + 1;
	char(*text)[COLS][48] = calloc(rows, sizeof *text);
	const char **cells = calloc(rows * COLS, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (text && cells) {
		for (size_t i = 0; i < rows; i++) {
			const mql_channel_row *row =
				i < r->count ? &r->rows[i] : &r->total;
			char low[16], high[16];
			snprintf(text[i][1], 48, "%s",
				 i < r->count ? mql_decision_name(row->decision)
					      : "");
			mql_figure_count(text[i][2], 48, (double)row->mql);
			mql_figure_percent(text[i][3], 48, row->rate, 1);
			mql_figure_percent(text[i][4], 48, row->rate_shrunk, 1);
			mql_figure_percent(low, sizeof low, row->rate_low, 1);
			mql_figure_percent(high, sizeof high, row->rate_high,
					   1);
			snprintf(text[i][5], 48, "%s - %s", low, high);
			mql_figure_q(text[i][6], 48, row->q_value);
			mql_figure_amount(text[i][7], 48, row->cost_per_sql,
					  currency);
			mql_figure_amount(text[i][8], 48,
					  row->cost_per_customer, currency);
			cells[i * COLS] = row->group;
			for (int c = 1; c < COLS; c++)
				cells[i * COLS + (size_t)c] = text[i][c];
		}
		status = mql_html_table(h,
					"Decisions and the figures behind "
					"them",
					COLS, header, numeric, rows, cells);
	}
	free(text);
	free(cells);
	return status;
}

/* The one-line reasons, as a two-column table. */
static int reason_table(mql_html *h, const mql_channels_report *r)
{
	const char **cells =
		calloc((r->count ? r->count : 1) * 2, sizeof *cells);
	if (!cells)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->count; i++) {
		cells[2 * i] = r->rows[i].group;
		cells[2 * i + 1] = r->rows[i].reason;
	}
	const char *header[] = {group_column(r), "why"};
	int status = mql_html_table(h, "Why", 2, header, NULL, r->count, cells);
	free(cells);
	return status;
}

static const char *stage_name(int stage)
{
	return stage == MQL_STAGE_CUSTOMER	? "customer"
	       : stage == MQL_STAGE_SAL		? "SAL"
	       : stage == MQL_STAGE_OPPORTUNITY ? "opportunity"
						: "SQL";
}

static int explain(mql_html *h, const mql_channels_report *r)
{
	const mql_channels_options *o = &r->options;
	int status = mql_html_paragraphf(
		h,
		"Each bar is the share of a group's MQLs that reached %s, "
		"pulled toward the overall rate in proportion to how little "
		"evidence the group has (a beta-binomial prior fitted across "
		"groups, worth %.0f MQLs%s). The whisker is its %.0f%% "
		"interval; the dashed line is the overall rate. MQLs still "
		"inside their %.0f-day window are left out of the rates.",
		stage_name(o->stage), r->prior.alpha + r->prior.beta,
		r->prior_fitted ? "" : ", Jeffreys' prior: too few groups",
		100 * o->level, o->window_days);
	status |= mql_html_paragraphf(
		h,
		"Kill: significantly worse than overall (Benjamini-Hochberg "
		"q < %.2g) and even the top of the interval below %.0f%% of "
		"the overall rate (%.1f%%). Keep: not significantly worse, "
		"with at least %.0f MQLs of known outcome (enough to catch a "
		"group at the kill line %.0f%% of the time). Watch: "
		"anything else, with about how many more MQLs would settle "
		"it.",
		o->q_max, 100 * o->kill_fraction, 100 * r->kill_line,
		o->min_mql, 100 * o->power);
	status |= mql_html_paragraphf(h, "In this report, %s.",
				      mql_acceptance_text(r->acceptance));
	return status;
}

static int write_page(const mql_channels_report *r, FILE *fp,
		      const char *subtitle, const char *currency,
		      mql_error *err)
{
	char title[96];
	snprintf(title, sizeof title, "Keep, kill or watch: %ss",
		 group_column(r));
	mql_html *h = mql_html_new(fp, title, subtitle);
	if (!h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the report");
	int status = key_figures(h, r);
	if (r->prior.capped)
		status |= mql_html_note(
			h, "The groups do not differ more than chance "
			   "would make them: every rate is pulled most of "
			   "the way to the overall rate.");
	status |= explain(h, r);
	status |= rate_chart(h, r, stage_name(r->options.stage));
	status |= decision_table(h, r, currency);
	status |= reason_table(h, r);
	if (status)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "cannot build the report page");
	else
		status = mql_html_finish(h, err);
	mql_html_free(h);
	return status;
}

int mql_channels_write(const mql_channels_report *r, FILE *fp,
		       mql_format format, const char *subtitle,
		       const char *currency, mql_error *err)
{
	if (!currency)
		currency = "";
	if (format == MQL_FORMAT_HTML)
		return write_page(r, fp, subtitle, currency, err);
	return write_table(r, fp, format, currency, err);
}
