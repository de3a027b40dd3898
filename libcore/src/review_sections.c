/*
 * review_sections.c - the rules' and the channels' sections of the
 * review's summary page (see review_internal.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/figures.h>

#include "review_internal.h"

#define MAX_RULES 15 /* rules in the chart and table of changes */
#define CELL	  48

/* "12", "-4", or "none" for a rule the file does not have. */
static void points_text(char *buf, size_t n, double points)
{
	if (isnan(points))
		snprintf(buf, n, "%s", "none");
	else
		snprintf(buf, n, "%.0f", points);
}

static double change_of(const mql_review_rule *rule)
{
	return (isnan(rule->new_points) ? 0.0 : rule->new_points) -
	       (isnan(rule->old_points) ? 0.0 : rule->old_points);
}

/* The bars of the points chart: change per rule, old -> new as a note. */
static int rules_chart(mql_html *h, const mql_review *r, size_t count)
{
	mql_html_bar *bars = calloc(count, sizeof *bars);
	char(*notes)[CELL] = calloc(count, sizeof *notes);
	int status = MQL_ERR_NOMEM;
	if (bars && notes) {
		for (size_t i = 0; i < count; i++) {
			const mql_review_rule *rule = &r->rules[i];
			char before[16], after[16];
			points_text(before, sizeof before, rule->old_points);
			points_text(after, sizeof after, rule->new_points);
			snprintf(notes[i], CELL, "%s \xe2\x86\x92 %s", before,
				 after);
			bars[i] = (mql_html_bar){.label = rule->rule,
						 .value = change_of(rule),
						 .low = NAN,
						 .high = NAN,
						 .note = notes[i]};
		}
		mql_html_bars chart = {.title = "Change of points per rule",
				       .axis_label = "points, new minus old",
				       .reference = NAN,
				       .count = count,
				       .bars = bars};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	free(notes);
	return status;
}

/* The table of the largest changes: rule, old, new, change, flags. */
static int rules_table(mql_html *h, const mql_review *r, size_t count)
{
	enum { COLS = 5 };
	static const char *const header[COLS] = {
		"rule", "old points", "new points", "change", "flags"};
	static const int numeric[COLS] = {0, 1, 1, 1, 0};
	char(*text)[3][16] = calloc(count, sizeof *text);
	const char **cells = calloc(count * COLS, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (text && cells) {
		for (size_t i = 0; i < count; i++) {
			const mql_review_rule *rule = &r->rules[i];
			points_text(text[i][0], 16, rule->old_points);
			points_text(text[i][1], 16, rule->new_points);
			snprintf(text[i][2], 16, "%+.0f", change_of(rule));
			cells[i * COLS] = rule->rule;
			for (int c = 0; c < 3; c++)
				cells[i * COLS + 1 + (size_t)c] = text[i][c];
			cells[i * COLS + 4] = rule->flags;
		}
		status = mql_html_table(h, NULL, COLS, header, numeric, count,
					cells);
	}
	free(text);
	free(cells);
	return status;
}

int mql_review_rules_section(mql_html *h, const mql_review *r)
{
	size_t count = r->rule_count < MAX_RULES ? r->rule_count : MAX_RULES;
	int status;
	if (!r->have_rules || count == 0)
		return MQL_OK;
	mql_html_heading(h, 2, "What changed in the rules, and why");
	mql_html_paragraphf(
		h,
		"Each rule's points were refitted from sales' decisions (20 "
		"points double the odds of acceptance). The %zu largest "
		"changes of %zu rules, largest first; \"sign flipped\" marks a "
		"rule the history says works the other way round.",
		count, r->rule_count);
	status = rules_chart(h, r, count);
	if (status == MQL_OK)
		status = rules_table(h, r, count);
	return status;
}

/* A bar chart of cost per MQL (customer 0) or per customer by channel. */
static int cost_chart(mql_html *h, const mql_review *r, const char *currency,
		      int customer)
{
	mql_html_bar *bars = calloc(r->channel_count, sizeof *bars);
	int status = MQL_ERR_NOMEM;
	if (bars) {
		for (size_t i = 0; i < r->channel_count; i++) {
			const mql_review_channel *c = &r->channels[i];
			bars[i] = (mql_html_bar){
				.label = c->name,
				.value = customer ? c->cost_per_customer
						  : c->cost_per_mql,
				.low = NAN,
				.high = NAN,
				.flagged = strcmp(c->decision, "kill") == 0};
		}
		mql_html_bars chart = {
			.title = customer ? "Cost per customer by channel"
					  : "Cost per MQL by channel",
			.axis_label =
				customer ? "spend / customers" : "spend / MQLs",
			.reference = customer ? r->total.cost_per_customer
					      : r->total.cost_per_mql,
			.reference_label = "all channels",
			.count = r->channel_count,
			.bars = bars,
			.money = 1,
			.currency = currency};
		status = mql_html_bar_chart(h, &chart);
	}
	free(bars);
	return status;
}

/* One channel's cells: decision, MQLs, rate, spend, costs. */
static void channel_cells(const mql_review_channel *c, const char *currency,
			  char (*text)[CELL])
{
	snprintf(text[0], CELL, "%s", c->decision);
	mql_figure_count(text[1], CELL, c->mql);
	mql_figure_percent(text[2], CELL, c->rate_shrunk, 1);
	mql_figure_amount(text[3], CELL, c->spend, currency);
	mql_figure_amount(text[4], CELL, c->cost_per_mql, currency);
	mql_figure_amount(text[5], CELL, c->cost_per_customer, currency);
}

static int channels_table(mql_html *h, const mql_review *r,
			  const char *currency)
{
	enum { COLS = 7 };
	const char *header[COLS] = {
		r->group_column,     "decision", "MQLs",
		"converts (shrunk)", "spend",	 "cost per MQL",
		"cost per customer"};
	static const int numeric[COLS] = {0, 0, 1, 1, 1, 1, 1};
	size_t rows = r->channel_count + 1;
	char(*text)[COLS - 1][CELL] = calloc(rows, sizeof *text);
	const char **cells = calloc(rows * COLS, sizeof *cells);
	int status = MQL_ERR_NOMEM;
	if (text && cells) {
		for (size_t i = 0; i < rows; i++) {
			const mql_review_channel *c = i < r->channel_count
							      ? &r->channels[i]
							      : &r->total;
			channel_cells(c, currency, text[i]);
			cells[i * COLS] =
				i < r->channel_count ? c->name : "all channels";
			for (int k = 0; k < COLS - 1; k++)
				cells[i * COLS + 1 + (size_t)k] = text[i][k];
		}
		status = mql_html_table(h, NULL, COLS, header, numeric, rows,
					cells);
	}
	free(text);
	free(cells);
	return status;
}

/* Why each channel to kill is one. */
static void kill_reasons(mql_html *h, const mql_review *r)
{
	for (size_t i = 0; i < r->channel_count; i++)
		if (strcmp(r->channels[i].decision, "kill") == 0)
			mql_html_paragraphf(h, "%s: %s.", r->channels[i].name,
					    r->channels[i].reason);
}

int mql_review_channels_section(mql_html *h, const mql_review *r,
				const mql_review_page *o)
{
	int status = MQL_OK;
	if (r->channel_count == 0)
		return MQL_OK;
	mql_html_heading(h, 2, "Channels: what to stop, what a customer costs");
	mql_html_paragraph(
		h, "Channels to stop are drawn in orange-red: their MQLs "
		   "convert significantly worse than the rest (the rate is "
		   "shrunk toward the overall rate by how little evidence a "
		   "channel has). The dashed line is all channels together. "
		   "A channel cheap per MQL but dear per customer brings MQLs "
		   "that do not buy.");
	kill_reasons(h, r);
	if (r->have_cost) {
		status = cost_chart(h, r, o->currency, 0);
		if (status == MQL_OK)
			status = cost_chart(h, r, o->currency, 1);
	}
	if (status == MQL_OK)
		status = channels_table(h, r, o->currency);
	return status;
}
