/*
 * funnel_report_html.c - mql-report's HTML page: key figures, the funnel,
 * conversion by group with whiskers, time to MQL by group, the table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/figures.h>
#include <mqlcal/html.h>
#include <mqlcal/timeparse.h>

#include "funnel_report_internal.h"

#define MAX_BARS	 40 /* groups in a conversion chart */
#define MAX_CURVES	 6 /* groups in the time-to-MQL chart: one colour each */
#define CURVE_RESOLUTION 0.002 /* smallest rise drawn as its own step */
#define MAX_CHART_DAYS	 365.0

/* "web / smb" for a group's labels, "all leads" for the total. */
static void group_name(const mql_funnel *f, const mql_funnel_group *g,
		       char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	if (g == &f->total || f->label_count == 0) {
		snprintf(buf, n, "%s", "all leads");
		return;
	}
	for (size_t d = 0; d < f->label_count && used < n; d++) {
		int written = snprintf(buf + used, n - used, "%s%s",
				       d ? " / " : "", g->labels[d]);
		if (written < 0)
			break;
		used += (size_t)written;
	}
}

/* Indices of the groups, largest first by the count at stage. */
static size_t *largest_groups(const mql_funnel *f, int stage)
{
	size_t *order =
		malloc((f->group_count ? f->group_count : 1) * sizeof *order);
	if (!order)
		return NULL;
	for (size_t k = 0; k < f->group_count; k++)
		order[k] = k;
	/* Insertion sort: report groups number in the tens or hundreds. */
	for (size_t i = 1; i < f->group_count; i++) {
		size_t item = order[i], j = i;
		while (j > 0 && f->groups[order[j - 1]].count[stage] <
					f->groups[item].count[stage]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = item;
	}
	return order;
}

/* A percentage with one decimal, "n/a" when there is no rate. */
static void format_percent(double rate, char *buf, size_t n)
{
	if (isnan(rate))
		snprintf(buf, n, "%s", "n/a");
	else
		mql_figure_percent(buf, n, rate, 1);
}

static void format_days(const mql_wait *w, double days, char *buf, size_t n)
{
	if (w->subjects == 0)
		snprintf(buf, n, "%s", "n/a");
	else if (isnan(days))
		snprintf(buf, n, "%s", "not reached");
	else
		snprintf(buf, n, "%.1f days", days);
}

/*
 * Leads, MQLs, the two headline rates, and the waits that were reached: a
 * "not reached" median is explained in the text, not shown as a figure.
 */
static void write_key_figures(mql_html *h, const mql_funnel *f)
{
	const mql_funnel_group *t = &f->total;
	const mql_wait *to_mql = &t->wait[MQL_WAIT_TO_MQL];
	const mql_wait *to_sal = &t->wait[MQL_WAIT_MQL_TO_SAL];
	char text[6][32];
	const char *labels[6], *values[6];
	size_t n = 0;
	mql_figure_count(text[n], sizeof text[n],
			 (double)t->count[MQL_FUNNEL_LEADS]);
	labels[n++] = "leads";
	mql_figure_count(text[n], sizeof text[n],
			 (double)t->count[MQL_FUNNEL_MQL]);
	labels[n++] = "MQLs";
	format_percent(t->step[MQL_STEP_LEAD_TO_MQL].rate, text[n],
		       sizeof text[n]);
	labels[n++] = "of leads became MQLs";
	format_percent(t->step[MQL_STEP_MQL_TO_SAL].rate, text[n],
		       sizeof text[n]);
	labels[n++] = f->acceptance == MQL_ACCEPTANCE_SQL
			      ? "of MQLs accepted (reached SQL)"
			      : "of MQLs accepted by sales";
	if (!isnan(to_mql->median)) {
		format_days(to_mql, to_mql->median, text[n], sizeof text[n]);
		labels[n++] = "until half of the leads were MQLs";
	}
	if (!isnan(to_sal->median)) {
		format_days(to_sal, to_sal->median, text[n], sizeof text[n]);
		labels[n++] = "until half of the MQLs were accepted";
	}
	for (size_t i = 0; i < n; i++)
		values[i] = text[i];
	mql_html_key_figures(h, n, labels, values);
}

static int write_funnel(mql_html *h, const mql_funnel *f)
{
	static const char *const stage_labels[MQL_FUNNEL_COUNTS] = {
		"leads", "MQL",		"SAL (accepted)",
		"SQL",	 "opportunity", "customer"};
	mql_html_bar bars[MQL_FUNNEL_COUNTS];
	char notes[MQL_FUNNEL_COUNTS][64];
	double leads = (double)f->total.count[MQL_FUNNEL_LEADS];
	mql_html_bars chart = {.title = "Leads reaching each stage",
			       .axis_label = "leads",
			       .reference = NAN,
			       .count = MQL_FUNNEL_COUNTS,
			       .bars = bars};
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++) {
		char count[32];
		double n = (double)f->total.count[s];
		mql_figure_count(count, sizeof count, n);
		if (leads > 0)
			snprintf(notes[s], sizeof notes[s], "%s (%.1f%%)",
				 count, 100.0 * n / leads);
		else
			snprintf(notes[s], sizeof notes[s], "%s", count);
		bars[s] = (mql_html_bar){.label = stage_labels[s],
					 .value = n,
					 .low = NAN,
					 .high = NAN,
					 .note = notes[s]};
	}
	mql_html_heading(h, 2, "The funnel");
	mql_html_paragraph(
		h, "How many of the leads reached each stage of the funnel. "
		   "The percentage is the share of all leads. Leads still "
		   "in progress may reach later stages after the as-of date.");
	mql_html_paragraphf(h, "In this report, %s.",
			    mql_acceptance_text(f->acceptance));
	return mql_html_bar_chart(h, &chart);
}

/* A bar chart of one step's rate for the largest groups. */
static int write_step_chart(mql_html *h, const mql_funnel *f, int step,
			    const char *title, const size_t *order)
{
	size_t count = f->group_count < MAX_BARS ? f->group_count : MAX_BARS;
	mql_html_bar *bars = calloc(count ? count : 1, sizeof *bars);
	char(*names)[96] = calloc(count ? count : 1, sizeof *names);
	char(*notes)[64] = calloc(count ? count : 1, sizeof *notes);
	int status = MQL_ERR_NOMEM;
	if (bars && names && notes) {
		for (size_t i = 0; i < count; i++) {
			const mql_funnel_group *g = &f->groups[order[i]];
			const mql_rate *r = &g->step[step];
			group_name(f, g, names[i], sizeof names[i]);
			snprintf(notes[i], sizeof notes[i], "%zu of %zu",
				 r->successes, r->trials);
			bars[i] = (mql_html_bar){.label = names[i],
						 .value = r->rate,
						 .low = r->low,
						 .high = r->high,
						 .note = notes[i]};
		}
		mql_html_bars chart = {
			.title = title,
			.axis_label = "share (bar) and 95% interval (whisker)",
			.percent = 1,
			.reference = f->total.step[step].rate,
			.reference_label = "all leads",
			.count = count,
			.bars = bars};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	free(names);
	free(notes);
	return status;
}

static int write_conversion(mql_html *h, const mql_funnel *f)
{
	size_t *order = largest_groups(f, MQL_FUNNEL_LEADS);
	int status;
	if (!order)
		return MQL_ERR_NOMEM;
	mql_html_heading(h, 2, "Which groups convert");
	mql_html_paragraph(
		h, "Each bar is the share of a group's leads that moved to "
		   "the next stage. The black whisker is its 95% confidence "
		   "interval: with few leads the true rate could be anywhere "
		   "along it, so groups whose whiskers overlap may not really "
		   "differ. The dashed line is the rate over all leads.");
	if (f->group_count > MAX_BARS)
		mql_html_paragraphf(h,
				    "The %d largest of %zu groups are shown; "
				    "the table below has them all.",
				    MAX_BARS, f->group_count);
	status = write_step_chart(h, f, MQL_STEP_LEAD_TO_MQL,
				  "Leads that became MQLs", order);
	if (status == MQL_OK)
		status = write_step_chart(h, f, MQL_STEP_MQL_TO_SAL,
					  "MQLs accepted by sales", order);
	free(order);
	return status;
}

/*
 * The share of a group's leads that became MQLs by each day, 1 - S(t),
 * from 0 to the last follow-up; rises smaller than CURVE_RESOLUTION are
 * merged into the next kept step to keep the page small.
 */
static int curve_series(mql_html_series *out, const mql_survival *s,
			double **x_out, double **y_out)
{
	size_t n = 0;
	double last_y = 0.0;
	double *x = malloc((s->step_count + 2) * sizeof *x);
	double *y = malloc((s->step_count + 2) * sizeof *y);
	if (!x || !y) {
		free(x);
		free(y);
		return MQL_ERR_NOMEM;
	}
	x[n] = 0.0;
	y[n++] = 0.0;
	for (size_t i = 0; i < s->step_count; i++) {
		double share = 1.0 - s->steps[i].survival;
		int last = i + 1 == s->step_count;
		if (s->steps[i].events == 0 && !last)
			continue;
		if (share - last_y < CURVE_RESOLUTION && !last)
			continue;
		x[n] = s->steps[i].time;
		y[n++] = share;
		last_y = share;
	}
	out->count = n;
	out->x = x;
	out->y = y;
	*x_out = x;
	*y_out = y;
	return MQL_OK;
}

/* The series of the time-to-MQL chart: the largest groups and the total. */
static int write_curves(mql_html *h, const mql_funnel *f, const size_t *order)
{
	size_t groups =
		f->group_count < MAX_CURVES ? f->group_count : MAX_CURVES;
	size_t count = 0;
	mql_html_series series[MAX_CURVES + 1];
	double *arrays[2 * (MAX_CURVES + 1)] = {0};
	char names[MAX_CURVES + 1][96];
	double longest = 0.0;
	int status = MQL_OK;
	for (size_t i = 0; i <= groups && status == MQL_OK; i++) {
		const mql_funnel_group *g =
			i < groups ? &f->groups[order[i]] : &f->total;
		const mql_survival *curve = g->wait[MQL_WAIT_TO_MQL].curve;
		if (!curve || curve->step_count == 0)
			continue;
		memset(&series[count], 0, sizeof series[count]);
		group_name(f, g, names[count], sizeof names[count]);
		series[count].name = names[count];
		status = curve_series(&series[count], curve, &arrays[2 * count],
				      &arrays[2 * count + 1]);
		longest =
			fmax(longest, curve->steps[curve->step_count - 1].time);
		count++;
	}
	if (status == MQL_OK && count > 0) {
		mql_html_xy chart = {.title = "Share of leads that became "
					      "MQLs, by days since creation",
				     .x_label = "days since the lead was "
						"created",
				     .y_label = "became MQL",
				     .y_percent = 1,
				     .x_min = 0.0,
				     .x_max = fmin(longest, MAX_CHART_DAYS),
				     .y_min = 0.0,
				     .y_max = NAN,
				     .series_count = count,
				     .series = series};
		/* The total, drawn last, is what the groups compare to. */
		status = mql_html_xy_chart(h, &chart, 1,
					   groups > 0 ? (long)count - 1 : -1);
	}
	for (size_t i = 0; i < 2 * (MAX_CURVES + 1); i++)
		free(arrays[i]);
	return status;
}

static int write_waits(mql_html *h, const mql_funnel *f)
{
	size_t *order = largest_groups(f, MQL_FUNNEL_LEADS);
	char days[32];
	int status;
	if (!order)
		return MQL_ERR_NOMEM;
	mql_html_heading(h, 2, "How long leads take to become MQLs");
	mql_html_paragraph(
		h, "Each curve rises as a group's leads become MQLs: read off "
		   "how many days it takes until a given share has "
		   "qualified. Leads that have not qualified yet count as "
		   "still waiting (Kaplan-Meier), so recent leads do not make "
		   "the wait look shorter than it is. A median that is \"not "
		   "reached\" means fewer than half of the group has "
		   "qualified so far.");
	format_days(&f->total.wait[MQL_WAIT_MQL_TO_SAL],
		    f->total.wait[MQL_WAIT_MQL_TO_SAL].median, days,
		    sizeof days);
	if (isnan(f->total.wait[MQL_WAIT_MQL_TO_SAL].median))
		mql_html_paragraph(h, "From MQL to acceptance by sales: fewer "
				      "than half of all MQLs have been "
				      "accepted so far.");
	else
		mql_html_paragraphf(h,
				    "From MQL to acceptance by sales: half of "
				    "all MQLs were accepted within %s.",
				    days);
	mql_html_paragraph(h, "A lead sales rejected counts as never accepted, "
			      "not as still waiting, so rejections do not "
			      "make acceptance look more likely or faster.");
	if (f->group_count > MAX_CURVES)
		mql_html_paragraphf(h,
				    "The %d largest of %zu groups are drawn, "
				    "each in its own colour, with all leads "
				    "as the dashed black line; the table "
				    "below has every group's median.",
				    MAX_CURVES, f->group_count);
	status = write_curves(h, f, order);
	free(order);
	return status;
}

#define CELL_SIZE 48

/* The header of the table and which of its columns are numbers. */
static void fill_header(const mql_funnel *f, const char **header, int *numeric)
{
	size_t c = 0;
	for (size_t d = 0; d < f->label_count; d++, c++) {
		header[c] = f->label_names[d];
		numeric[c] = 0;
	}
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++, c++) {
		header[c] = mql_funnel_count_name(s);
		numeric[c] = 1;
	}
	for (int s = 0; s < MQL_FUNNEL_STEPS; s++, c++) {
		header[c] = mql_funnel_step_name(s);
		numeric[c] = 1;
	}
	for (size_t w = 0; w < MQL_REPORT_WAIT_COLUMNS; w++, c++) {
		header[c] = mql_report_waits[w].name;
		numeric[c] = 1;
	}
}

/* One group's cells: labels as they are, numbers formatted into text. */
static void fill_row(const mql_funnel *f, const mql_funnel_group *g,
		     const char **row, char (*text)[CELL_SIZE])
{
	size_t c = 0;
	for (size_t d = 0; d < f->label_count; d++, c++)
		row[c] = g->labels[d];
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++, c++)
		mql_figure_count(text[c], CELL_SIZE, (double)g->count[s]);
	for (int s = 0; s < MQL_FUNNEL_STEPS; s++, c++)
		mql_report_rate_text(&g->step[s], text[c], CELL_SIZE);
	for (size_t w = 0; w < MQL_REPORT_WAIT_COLUMNS; w++, c++)
		mql_report_wait_text(g, w, text[c], CELL_SIZE);
	for (c = f->label_count;
	     c < f->label_count + MQL_FUNNEL_COUNTS + MQL_FUNNEL_STEPS +
			 MQL_REPORT_WAIT_COLUMNS;
	     c++)
		row[c] = text[c];
}

/* The readable table: every group, then all leads. */
static int write_numbers(mql_html *h, const mql_funnel *f)
{
	size_t columns = f->label_count + MQL_FUNNEL_COUNTS + MQL_FUNNEL_STEPS +
			 MQL_REPORT_WAIT_COLUMNS;
	size_t rows = f->group_count + 1;
	const char **header = calloc(columns, sizeof *header);
	int *numeric = calloc(columns, sizeof *numeric);
	char(*text)[CELL_SIZE] = calloc(rows * columns, sizeof *text);
	const char **cells = calloc(rows * columns, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (header && numeric && text && cells) {
		fill_header(f, header, numeric);
		for (size_t r = 0; r < rows; r++)
			fill_row(f,
				 r < f->group_count ? &f->groups[r] : &f->total,
				 &cells[r * columns], &text[r * columns]);
		mql_html_heading(h, 2, "All numbers");
		mql_html_paragraph(
			h, "Rates with their 95% interval in parentheses; "
			   "waits in days (Kaplan-Meier median and 90th "
			   "percentile; a _median_reached column is the "
			   "median among the leads that reached the stage, "
			   "how many in the _reached column beside it). The "
			   "last row is all leads.");
		status = mql_html_table(h, NULL, columns, header, numeric, rows,
					cells);
	}
	free(header);
	free(numeric);
	free(text);
	free(cells);
	return status;
}

/* Caveats about the data, when there are any. */
static void write_data_notes(mql_html *h, const mql_funnel *f)
{
	if (f->total.out_of_order > 0)
		mql_html_notef(h,
			       "%zu leads have stages dated out of order "
			       "(a later stage before an earlier one). They "
			       "are counted at every stage they reached; "
			       "check the CRM's stage dates.",
			       f->total.out_of_order);
	if (f->negative_waits > 0)
		mql_html_notef(h,
			       "%zu waits were left out of the time "
			       "charts because their leads' stages are "
			       "dated out of order.",
			       f->negative_waits);
	if (f->created_after_as_of > 0)
		mql_html_notef(h,
			       "%zu leads created after the as-of date are "
			       "left out.",
			       f->created_after_as_of);
	if (f->undated_rejections > 0) {
		char note[200];
		mql_html_notef(
			h, "%s.",
			mql_undated_rejections_text(f->undated_rejections, note,
						    sizeof note));
	}
}

static void title_of(const mql_funnel *f, char *buf, size_t n)
{
	size_t used = (size_t)snprintf(buf, n, "%s", "Lead funnel");
	for (size_t d = 0; d < f->label_count && used < n; d++) {
		int written = snprintf(buf + used, n - used, "%s%s",
				       d ? " and " : " by ", f->label_names[d]);
		if (written < 0)
			break;
		used += (size_t)written;
	}
}

int mql_report_write_html(const mql_funnel *f, FILE *fp, const char *source,
			  mql_error *err)
{
	char title[256], subtitle[512], as_of[32];
	mql_html *h;
	int status;
	title_of(f, title, sizeof title);
	mql_time_format(f->as_of, 1, as_of, sizeof as_of);
	snprintf(subtitle, sizeof subtitle, "%s, as of %s",
		 source ? source : "contacts", as_of[0] ? as_of : "(no dates)");
	h = mql_html_new(fp, title, subtitle);
	if (!h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	write_key_figures(h, f);
	write_data_notes(h, f);
	status = write_funnel(h, f);
	if (status == MQL_OK && f->group_count > 0)
		status = write_conversion(h, f);
	if (status == MQL_OK)
		status = write_waits(h, f);
	if (status == MQL_OK)
		status = write_numbers(h, f);
	if (status == MQL_OK)
		status = mql_html_finish(h, err);
	else
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	mql_html_free(h);
	return status;
}
