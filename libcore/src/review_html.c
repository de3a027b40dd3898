/*
 * review_html.c - the review's summary page (see review.h): what to do
 * first, then the figures and charts behind it, then links to the rest.
 */
#include <mqlcal/review.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/figures.h>
#include <mqlcal/html.h>

#include "review_internal.h"

#define TEXT 64

/* What the page's writers share. */
typedef struct page {
	mql_html *h;
	const mql_review *r;
	const mql_review_page *o;
} page;

/* Channels with decision, and their spend (NAN when none is known). */
static size_t with_decision(const mql_review *r, const char *decision,
			    double *spend)
{
	size_t count = 0;
	*spend = NAN;
	for (size_t i = 0; i < r->channel_count; i++) {
		if (strcmp(r->channels[i].decision, decision) != 0)
			continue;
		count++;
		if (!isnan(r->channels[i].spend))
			*spend = (isnan(*spend) ? 0.0 : *spend) +
				 r->channels[i].spend;
	}
	return count;
}

/* Whether the new rules do at least as well at equal volume (or, without
 * that comparison, over their own MQLs); -1 when nothing says. */
static int adopt(const mql_review *r)
{
	if (r->have_equal_volume && r->volume > 0)
		return r->equal_accepted[1] >= r->equal_accepted[0];
	if (r->have_backtest && !isnan(r->files[0].accepted_rate) &&
	    !isnan(r->files[1].accepted_rate))
		return r->files[1].accepted_rate >= r->files[0].accepted_rate;
	return -1;
}

static int say_rules(page *p)
{
	const mql_review *r = p->r;
	char old_rate[TEXT], new_rate[TEXT];
	int verdict = adopt(r);
	if (verdict < 0)
		return mql_html_paragraph(
			p->h, "The rules: no backtest of the new rule file, so "
			      "nothing says whether to adopt it.");
	int equal = r->have_equal_volume && r->volume > 0;
	mql_figure_percent(
		old_rate, sizeof old_rate,
		equal ? r->equal_accepted[0] : r->files[0].accepted_rate, 1);
	mql_figure_percent(
		new_rate, sizeof new_rate,
		equal ? r->equal_accepted[1] : r->files[1].accepted_rate, 1);
	if (equal)
		return mql_html_paragraphf(
			p->h,
			"%s At the same volume (each rule file's top %ld of "
			"the %ld MQLs sales decided on in the held-out "
			"months), sales accepted %s of the new rules' MQLs "
			"against %s of the old rules'.",
			verdict ? "Adopt the new rules."
				: "Keep the old rules.",
			r->volume, r->decided, new_rate, old_rate);
	return mql_html_paragraphf(
		p->h,
		"%s Over the held-out months sales accepted %s of the new "
		"rules' MQLs against %s of the old rules' (each over its own "
		"MQLs: the volumes differ).",
		verdict ? "Adopt the new rules." : "Keep the old rules.",
		new_rate, old_rate);
}

/* What the fit learned and what the new rule file is. */
static int say_outcome(page *p)
{
	const mql_review *r = p->r;
	char rules[160] = "";
	if (r->have_new_rules)
		snprintf(rules, sizeof rules,
			 " The new rule file has %zu rules and makes a lead an "
			 "MQL at %.0f points.",
			 r->new_rule_count, r->new_threshold);
	if (!r->label && !r->acceptance && !rules[0])
		return MQL_OK;
	return mql_html_paragraphf(
		p->h, "The fit learned the outcome %s%s%s.%s",
		r->label ? r->label : "of the model", r->acceptance ? ": " : "",
		r->acceptance ? r->acceptance : "", rules);
}

/* "a, b and c": the names of the channels with decision. */
static void names_with(const mql_review *r, const char *decision, char *buf,
		       size_t n)
{
	size_t used = 0, total, shown = 0;
	double spend;
	total = with_decision(r, decision, &spend);
	buf[0] = '\0';
	for (size_t i = 0; i < r->channel_count && used < n; i++) {
		if (strcmp(r->channels[i].decision, decision) != 0)
			continue;
		shown++;
		int written = snprintf(buf + used, n - used, "%s%s",
				       shown == 1	? ""
				       : shown == total ? " and "
							: ", ",
				       r->channels[i].name);
		if (written < 0)
			break;
		used += (size_t)written;
	}
}

static int say_channels(page *p)
{
	const mql_review *r = p->r;
	char names[512], spend_text[TEXT], share[TEXT];
	double spend;
	size_t count = with_decision(r, "watch", &spend);
	if (!r->have_channels)
		return mql_html_paragraph(p->h, "Channels: no channel report.");
	if (count > 0) {
		names_with(r, "watch", names, sizeof names);
		mql_html_paragraphf(p->h,
				    "Watch %s: %s MQLs may convert worse than "
				    "the rest, but the evidence is not yet "
				    "strong enough to stop.",
				    names, count == 1 ? "its" : "their");
	}
	count = with_decision(r, "kill", &spend);
	if (count == 0)
		return mql_html_paragraphf(
			p->h, "Channels: none converts significantly worse "
			      "than the rest; none to stop.");
	names_with(r, "kill", names, sizeof names);
	if (isnan(spend))
		return mql_html_paragraphf(
			p->h,
			"Stop spending on %s: %s MQLs convert significantly "
			"worse than the rest.",
			names, count == 1 ? "its" : "their");
	mql_figure_amount(spend_text, sizeof spend_text, spend, p->o->currency);
	mql_figure_percent(share, sizeof share, spend / r->total.spend, 0);
	return mql_html_paragraphf(
		p->h,
		"Stop spending on %s: %s MQLs convert significantly worse "
		"than the rest, and %s cost %s over the history (%s of all "
		"spend).",
		names, count == 1 ? "its" : "their", count == 1 ? "it" : "they",
		spend_text, isnan(spend / r->total.spend) ? "n/a" : share);
}

/* The channel with the lowest (cheapest) or highest cost per customer. */
static const mql_review_channel *extreme(const mql_review *r, int cheapest)
{
	const mql_review_channel *best = NULL;
	for (size_t i = 0; i < r->channel_count; i++) {
		const mql_review_channel *c = &r->channels[i];
		if (isnan(c->cost_per_customer))
			continue;
		if (!best ||
		    (cheapest ? c->cost_per_customer < best->cost_per_customer
			      : c->cost_per_customer > best->cost_per_customer))
			best = c;
	}
	return best;
}

static int say_cost(page *p)
{
	const mql_review *r = p->r;
	const mql_review_channel *low = extreme(r, 1), *high = extreme(r, 0);
	char all[TEXT], per_mql[TEXT], low_text[TEXT], high_text[TEXT];
	if (!r->have_cost || !low)
		return mql_html_paragraph(p->h, "Cost: no spend file.");
	mql_figure_amount(all, sizeof all, r->total.cost_per_customer,
			  p->o->currency);
	mql_figure_amount(per_mql, sizeof per_mql, r->total.cost_per_mql,
			  p->o->currency);
	mql_figure_amount(low_text, sizeof low_text, low->cost_per_customer,
			  p->o->currency);
	mql_figure_amount(high_text, sizeof high_text, high->cost_per_customer,
			  p->o->currency);
	return mql_html_paragraphf(
		p->h,
		"A customer costs %s over all channels (an MQL %s): from %s "
		"through %s to %s through %s. Compare channels on what a "
		"customer costs, not an MQL.",
		all[0] ? all : "n/a", per_mql[0] ? per_mql : "n/a", low_text,
		low->name, high_text, high->name);
}

/* The key figures under the advice. */
static int tiles(page *p)
{
	const mql_review *r = p->r;
	char v[6][TEXT];
	const char *labels[6], *values[6];
	size_t n = 0;
	double spend;
	int verdict = adopt(r);
	snprintf(v[n], TEXT, "%s",
		 verdict < 0 ? "n/a"
		 : verdict   ? "adopt"
			     : "keep old");
	labels[n++] = "the new rules";
	if (r->have_equal_volume && r->volume > 0) {
		char a[24], b[24];
		mql_figure_percent(a, sizeof a, r->equal_accepted[0], 1);
		mql_figure_percent(b, sizeof b, r->equal_accepted[1], 1);
		snprintf(v[n], TEXT, "%s \xe2\x86\x92 %s", a, b);
		labels[n++] = "accepted, old \xe2\x86\x92 new rules";
	}
	snprintf(v[n], TEXT, "%zu", with_decision(r, "kill", &spend));
	labels[n++] = "channels to stop";
	if (!isnan(spend)) {
		mql_figure_amount(v[n], TEXT, spend, p->o->currency);
		labels[n++] = "spent on them";
	}
	if (r->have_cost) {
		mql_figure_amount(v[n], TEXT, r->total.cost_per_customer,
				  p->o->currency);
		labels[n++] = "cost per customer";
		mql_figure_amount(v[n], TEXT, r->total.cost_per_mql,
				  p->o->currency);
		labels[n++] = "cost per MQL";
	}
	for (size_t i = 0; i < n; i++)
		values[i] = v[i];
	return mql_html_key_figures(p->h, n, labels, values);
}

/* The acceptance of each rule file's top MQLs at equal volume. */
static int equal_volume_chart(page *p)
{
	const mql_review *r = p->r;
	char notes[2][TEXT];
	mql_html_bar bars[2];
	if (!r->have_equal_volume || r->volume <= 0)
		return MQL_OK;
	for (int f = 0; f < 2; f++) {
		char auc[24];
		snprintf(auc, sizeof auc, "%.3f", r->equal_auc[f]);
		snprintf(notes[f], sizeof notes[f], "AUC %s",
			 isnan(r->equal_auc[f]) ? "n/a" : auc);
		bars[f] = (mql_html_bar){.label = f ? "new rules" : "old rules",
					 .value = r->equal_accepted[f],
					 .low = NAN,
					 .high = NAN,
					 .note = notes[f]};
	}
	mql_html_heading(p->h, 2, "The new rules against the old");
	mql_html_paragraphf(
		p->h,
		"Both rule files were replayed over the held-out months; of "
		"the %ld leads sales decided on, each file's top %ld by score "
		"at the time of the decision are compared, so both hand sales "
		"the same number of MQLs. Each bar is the share sales "
		"accepted.",
		r->decided, r->volume);
	mql_html_bars chart = {.title = "Accepted by sales at equal volume",
			       .axis_label = "share of the top MQLs accepted",
			       .percent = 1,
			       .reference = NAN,
			       .count = 2,
			       .bars = bars};
	return mql_html_bar_chart(p->h, &chart);
}

/* Links the pages and CSV files of the steps whose output the review read,
 * so a review without a rule file or a spend file links no missing page. */
static int links(page *p)
{
	const mql_review *r = p->r;
	const struct {
		const char *name, *what;
		int present;
	} pages[] = {
		{"backtest.html", "the old and the new rules, month by month",
		 r->have_backtest},
		{"funnel.html", "conversion and time to qualify by channel", 1},
		{"channels.html", "every channel's decision and its evidence",
		 r->have_channels},
		{"cost.html", "spend and what leads, MQLs and customers cost",
		 r->have_cost}};
	/* rules.json is left out: the rule file is not a table */
	const struct {
		const char *name;
		int present;
	} files[] = {{"rule-changes.csv", r->have_rules},
		     {"backtest.csv", r->have_backtest},
		     {"equal-volume.csv", r->have_equal_volume},
		     {"channels.csv", r->have_channels},
		     {"cost.csv", r->have_cost},
		     {"funnel.csv", 1}};
	enum {
		PAGES = sizeof pages / sizeof pages[0],
		FILES = sizeof files / sizeof files[0]
	};
	const char *labels[FILES], *hrefs[FILES], *whats[FILES];
	char paths[FILES][512];
	size_t n = 0;
	mql_html_heading(p->h, 2, "The full reports");
	for (size_t i = 0; i < PAGES; i++) {
		if (!pages[i].present)
			continue;
		labels[n] = hrefs[n] = pages[i].name;
		whats[n++] = pages[i].what;
	}
	int status = mql_html_links(p->h, n, labels, hrefs, whats);
	if (status != MQL_OK || !p->o->data_link)
		return status;
	mql_html_paragraph(p->h, "The figures as CSV files, for a spreadsheet "
				 "or a notebook:");
	n = 0;
	for (size_t i = 0; i < FILES; i++) {
		if (!files[i].present)
			continue;
		snprintf(paths[n], sizeof paths[n], "%s/%s", p->o->data_link,
			 files[i].name);
		labels[n] = files[i].name;
		hrefs[n] = paths[n];
		whats[n++] = NULL;
	}
	return mql_html_links(p->h, n, labels, hrefs, whats);
}

int mql_review_write_html(const mql_review *r, const mql_review_page *o,
			  FILE *fp, mql_error *err)
{
	page p = {mql_html_new(fp, "Quarterly lead-score review", o->subtitle),
		  r, o};
	int status;
	if (!p.h)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	mql_html_heading(p.h, 2, "What to do");
	status = say_rules(&p);
	if (status == MQL_OK)
		status = say_outcome(&p);
	if (status == MQL_OK)
		status = say_channels(&p);
	if (status == MQL_OK)
		status = say_cost(&p);
	if (status == MQL_OK)
		status = tiles(&p);
	if (status == MQL_OK)
		status = equal_volume_chart(&p);
	if (status == MQL_OK)
		status = mql_review_rules_section(p.h, r);
	if (status == MQL_OK)
		status = mql_review_channels_section(p.h, r, o);
	if (status == MQL_OK)
		status = links(&p);
	if (status == MQL_OK)
		status = mql_html_finish(p.h, err);
	else
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	mql_html_free(p.h);
	return status;
}
