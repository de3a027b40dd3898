/* backtest_html.c - the backtest as a report page (see backtest.h). */
#include <mqlcal/backtest.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/html.h>

#define BACKTEST_COLUMNS 10

static void format_number(char *buf, size_t n, double value, int decimals)
{
	if (isnan(value))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.*f", decimals, value);
}

/* The rows of one file that are periods (not "all"). */
static size_t period_rows(const mql_backtest *b, int file,
			  const mql_backtest_row **first)
{
	size_t count = 0;
	*first = NULL;
	for (size_t i = 0; i < b->row_count; i++) {
		const mql_backtest_row *row = &b->rows[i];
		if (row->file != file || strcmp(row->period, "all") == 0)
			continue;
		if (!*first)
			*first = row;
		count++;
	}
	return count;
}

typedef double (*row_metric)(const mql_backtest_row *row);

static double metric_mql(const mql_backtest_row *r)
{
	return (double)r->mql;
}

static double metric_accepted(const mql_backtest_row *r)
{
	return r->accepted_rate;
}

static double metric_psi(const mql_backtest_row *r)
{
	return r->psi;
}

/* The PSI's thresholds of a moderate and a major shift. */
static const double psi_lines[2] = {0.1, 0.25};
static const char *const psi_line_labels[2] = {"0.1: moderate shift",
					       "0.25: major shift"};

/*
 * A line chart of metric over the periods (months or quarters on the x
 * axis), one series per file; with_psi_lines draws the PSI's thresholds.
 */
static int metric_chart(mql_html *h, const mql_backtest *b, const char *title,
			const char *y_label, int percent, row_metric metric,
			int with_psi_lines)
{
	static const char *const names[2] = {"old", "new"};
	const mql_backtest_row *first[2];
	size_t count = period_rows(b, 0, &first[0]);
	if (period_rows(b, 1, &first[1]) != count || count == 0)
		return MQL_OK;
	double *values = malloc(3 * count * sizeof *values);
	const char **periods = malloc(count * sizeof *periods);
	if (!values || !periods) {
		free(values);
		free(periods);
		return MQL_ERR_NOMEM;
	}
	double *x = values + 2 * count;
	mql_html_series series[2];
	for (int f = 0; f < 2; f++) {
		for (size_t i = 0; i < count; i++)
			values[f * count + i] = metric(&first[f][i]);
		series[f] = (mql_html_series){.name = names[f],
					      .count = count,
					      .x = x,
					      .y = values + f * count};
	}
	for (size_t i = 0; i < count; i++) {
		x[i] = (double)i;
		periods[i] = first[0][i].period;
	}
	mql_html_xy chart = {
		.title = title,
		.x_label = strchr(periods[0], 'Q') ? "quarter" : "month",
		.y_label = y_label,
		.y_percent = percent,
		.x_min = NAN,
		.x_max = NAN,
		.y_min = NAN,
		.y_max = NAN,
		.series_count = 2,
		.series = series,
		.x_categories = periods,
		.x_category_count = count,
		.line_count = with_psi_lines ? 2 : 0,
		.lines = with_psi_lines ? psi_lines : NULL,
		.line_labels = with_psi_lines ? psi_line_labels : NULL};
	int status = mql_html_line_chart(h, &chart);
	free(values);
	free(periods);
	return status;
}

static void row_cells(char cells[BACKTEST_COLUMNS][32],
		      const mql_backtest_row *r)
{
	snprintf(cells[0], 32, "%s", r->file == 0 ? "old" : "new");
	snprintf(cells[1], 32, "%s", r->period);
	snprintf(cells[2], 32, "%ld", r->mql);
	format_number(cells[3], 32, 100 * r->accepted_rate, 1);
	format_number(cells[4], 32, 100 * r->sql_rate, 1);
	format_number(cells[5], 32, 100 * r->customer_rate, 1);
	format_number(cells[6], 32, 100 * r->customer_recall, 1);
	format_number(cells[7], 32, r->days_to_mql_median, 1);
	format_number(cells[8], 32, r->auc, 3);
	if (isnan(r->psi))
		snprintf(cells[9], 32, "n/a");
	else
		snprintf(cells[9], 32, "%.3f %s, n=%ld", r->psi, r->drift,
			 r->psi_rows);
}

static int rows_table(mql_html *h, const mql_backtest *b)
{
	static const char *const header[BACKTEST_COLUMNS] = {
		"rules",
		"period",
		"MQLs",
		"accepted %",
		"SQL %",
		"customer %",
		"customer recall %",
		"median days to MQL",
		"AUC",
		"PSI"};
	static const int numeric[BACKTEST_COLUMNS] = {0, 0, 1, 1, 1,
						      1, 1, 1, 1, 1};
	size_t n = b->row_count;
	char(*cells)[BACKTEST_COLUMNS][32] = calloc(n ? n : 1, sizeof *cells);
	const char **pointers =
		calloc((n ? n : 1) * BACKTEST_COLUMNS, sizeof *pointers);
	int status = cells && pointers ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; status == MQL_OK && i < n; i++) {
		row_cells(cells[i], &b->rows[i]);
		for (size_t c = 0; c < BACKTEST_COLUMNS; c++)
			pointers[i * BACKTEST_COLUMNS + c] = cells[i][c];
	}
	if (status == MQL_OK)
		status = mql_html_table(h, "Per rule file and period",
					BACKTEST_COLUMNS, header, numeric, n,
					pointers);
	free(cells);
	free(pointers);
	return status;
}

static int headline(mql_html *h, const mql_backtest *b)
{
	const mql_backtest_comparison *c = &b->comparison;
	char old_rate[32], new_rate[32], volume[32], old_auc[32], new_auc[32];
	format_number(old_rate, sizeof old_rate, 100 * c->accepted[0], 1);
	format_number(new_rate, sizeof new_rate, 100 * c->accepted[1], 1);
	format_number(old_auc, sizeof old_auc, c->auc[0], 3);
	format_number(new_auc, sizeof new_auc, c->auc[1], 3);
	snprintf(volume, sizeof volume, "%ld of %ld", c->volume, c->decided);
	const char *labels[] = {"decided MQLs compared", "accepted % (old)",
				"accepted % (new)", "AUC (old)", "AUC (new)"};
	const char *values[] = {volume, old_rate, new_rate, old_auc, new_auc};
	int status = mql_html_key_figures(h, 5, labels, values);
	if (status == MQL_OK)
		status = mql_html_paragraphf(
			h,
			"Both rule files were replayed over the same history "
			"with the scorer. Among the %ld leads sales decided on "
			"in the evaluation window, each file's top %ld by "
			"score "
			"at the time of the decision were compared (the same "
			"number of MQLs for both): the old rules' accepted "
			"%s%%, the new rules' %s%%.",
			c->decided, c->volume, old_rate, new_rate);
	if (status == MQL_OK && c->volume > 0)
		status =
			c->new_is_worse
				? mql_html_note(h, "The new rule file is worse "
						   "than the old one at the "
						   "same MQL volume.")
				: mql_html_paragraph(
					  h, "The new rule file is at least "
					     "as good as the old one at the "
					     "same MQL volume.");
	return status;
}

int mql_backtest_write_html(const mql_backtest *b, FILE *fp,
			    const char *old_name, const char *new_name,
			    mql_error *err)
{
	char subtitle[128], as_of[32], from[32];
	mql_time_format(b->as_of, 1, as_of, sizeof as_of);
	mql_time_format(b->from, 1, from, sizeof from);
	snprintf(subtitle, sizeof subtitle,
		 "old vs new rules; history to %s%s%s", as_of,
		 b->from != MQL_TIME_NONE ? ", evaluated from " : "", from);
	mql_html *h = mql_html_new(fp, "Backtest of two rule files", subtitle);
	if (!h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	int status = mql_html_paragraphf(
		h, "Two rule files are compared: \"old\" is %s, \"new\" is %s.",
		old_name, new_name);
	if (status == MQL_OK)
		status = headline(h, b);
	if (status == MQL_OK)
		status = metric_chart(h, b, "MQLs per period", "MQLs", 0,
				      metric_mql, 0);
	if (status == MQL_OK)
		status = mql_html_paragraph(
			h, "Acceptance is known only for leads the old rules "
			   "handed to sales; each line is the accepted share "
			   "of that file's MQLs with a decision.");
	if (status == MQL_OK)
		status =
			mql_html_paragraphf(h, "In this report, %s.",
					    mql_acceptance_text(b->acceptance));
	if (status == MQL_OK)
		status = metric_chart(h, b, "Accepted share of MQLs",
				      "accepted", 1, metric_accepted, 0);
	if (status == MQL_OK)
		status = mql_html_paragraphf(
			h,
			"Drift: the population stability index compares the "
			"scores of each period's new leads (%ld reference "
			"leads) with the reference period; below 0.1 is "
			"stable, 0.1 to 0.25 moderate, above 0.25 a major "
			"shift that calls for a refit.",
			b->reference_rows);
	if (status == MQL_OK)
		status = metric_chart(h, b, "Population stability index", "PSI",
				      0, metric_psi, 1);
	const char *recall_note = mql_backtest_recall_note(b);
	if (status == MQL_OK && recall_note)
		status = mql_html_paragraphf(h, "Customer recall: %s.",
					     recall_note);
	if (status == MQL_OK)
		status = rows_table(h, b);
	if (status == MQL_OK)
		status = mql_html_finish(h, err);
	else
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	mql_html_free(h);
	return status;
}
