/*
 * channels.c - the keep / kill / watch decision per channel or campaign
 * (see channels.h for the rule).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include <mqlcal/channels.h>
#include <mqlcal/figures.h>
#include <mqlcal/format_text.h>
#include <mqlcal/population.h>

static const char *const decision_names[] = {"keep", "watch", "kill"};

const char *mql_decision_name(mql_decision d)
{
	if ((unsigned)d >= sizeof decision_names / sizeof decision_names[0])
		return NULL;
	return decision_names[d];
}

void mql_channels_options_init(mql_channels_options *o)
{
	o->by_campaign = 0;
	o->stage = MQL_STAGE_SQL;
	o->level = 0.95;
	o->q_max = 0.05;
	o->kill_fraction = 0.5;
	o->min_mql = 0;
	o->power = 0.8;
	o->window_days = 180;
	o->as_of = MQL_TIME_NONE;
	o->method = MQL_BETA_MAX_LIKELIHOOD;
}

const char *const mql_channels_stage_names[] = {"sal", "sql", "opportunity",
						"customer", NULL};

int mql_channels_stage_parse(const char *name, int *stage)
{
	for (int i = 0; name && mql_channels_stage_names[i]; i++)
		if (strcmp(name, mql_channels_stage_names[i]) == 0) {
			*stage = MQL_STAGE_SAL + i;
			return 0;
		}
	return -1;
}

const char *const mql_channels_by_names[] = {"channel", "campaign", NULL};

int mql_channels_by_parse(const char *name, int *by_campaign)
{
	for (int i = 0; name && mql_channels_by_names[i]; i++)
		if (strcmp(name, mql_channels_by_names[i]) == 0) {
			*by_campaign = i;
			return 0;
		}
	return -1;
}

static int check_options(const mql_channels_options *o, mql_error *err)
{
	const char *bad = NULL;
	char stages[64];
	if (o->stage < MQL_STAGE_SAL || o->stage > MQL_STAGE_CUSTOMER)
		return mql_error_set(
			err, MQL_ERR_USAGE, NULL, 0, 0, "stage: expected %s",
			mql_text_join_names(mql_channels_stage_names, stages,
					    sizeof stages));
	if (!(o->level > 0 && o->level < 1))
		bad = "level: expected a probability between 0 and 1";
	else if (!(o->q_max > 0 && o->q_max < 1))
		bad = "q: expected a level between 0 and 1";
	else if (!(o->kill_fraction > 0 && o->kill_fraction <= 1))
		bad = "kill fraction: expected a number in (0, 1]";
	else if (!(o->min_mql >= 0) || !isfinite(o->min_mql))
		bad = "min-mql: expected a count >= 0";
	else if (!(o->power > 0 && o->power < 1))
		bad = "power: expected a probability between 0 and 1";
	if (bad)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0, "%s", bad);
	if (!(o->window_days >= 0 && o->window_days <= MQL_WINDOW_MAX_DAYS))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "window: expected a number of days from 0 "
				     "to %d (100 years)",
				     MQL_WINDOW_MAX_DAYS);
	return MQL_OK;
}

/* Interns a group name into the report's row list; -1 out of memory. */
struct groups {
	mql_dict names;
	mql_channel_row *rows;
	size_t capacity;
};

static mql_channel_row *group_row(struct groups *g, const char *name)
{
	int32_t index = mql_dict_intern(&g->names, name, strlen(name));
	if (index < 0)
		return NULL;
	mql_channel_row *rows = mql_dict_grow_parallel(
		g->rows, &g->capacity, sizeof *rows, (size_t)index);
	if (!rows)
		return NULL;
	g->rows = rows;
	return &rows[index];
}

/* Counts each contact's MQL into its group. */
static int count_groups(struct groups *g, const mql_contacts *c,
			const mql_channels_options *o)
{
	const mql_dict *names = o->by_campaign ? &c->campaigns : &c->channels;
	const int32_t *group = o->by_campaign ? c->campaign : c->channel;
	mql_time window = (mql_time)(o->window_days * MQL_SECONDS_PER_DAY);
	for (size_t row = 0; row < c->count; row++) {
		const char *name = group[row] >= 0
					   ? mql_dict_name(names, group[row])
					   : NULL;
		mql_channel_row *r = group_row(g, name ? name : MQL_GROUP_NONE);
		if (!r)
			return MQL_ERR_NOMEM;
		mql_time mql_at = c->stage_at[MQL_STAGE_MQL][row];
		if (mql_at == MQL_TIME_NONE)
			continue;
		r->mql++;
		r->sql += c->stage_at[MQL_STAGE_SQL][row] != MQL_TIME_NONE;
		r->customer +=
			c->stage_at[MQL_STAGE_CUSTOMER][row] != MQL_TIME_NONE;
		mql_time stage_at = c->stage_at[o->stage][row];
		if (o->stage == MQL_STAGE_SAL) {
			/* Sales' own decision, as mql-fit --label sal. */
			int accepted = stage_at != MQL_TIME_NONE;
			r->reached += accepted;
			r->decided +=
				accepted || mql_contacts_outcome(c, row) ==
						    MQL_OUTCOME_REJECTED;
			continue;
		}
		/* A later stage: the MQL counts once its window has closed by
		 * as_of, whatever it reached, and reached it if it did so
		 * within the window; the rows counted never depend on the
		 * outcome. */
		if (o->as_of == MQL_TIME_NONE || mql_at > o->as_of - window)
			continue;
		r->decided++;
		/* a lead dated out of order reaches a stage it has a date
		 * for: its dates give no wait to hold to the window */
		r->reached += stage_at != MQL_TIME_NONE &&
			      (stage_at <= mql_at + window ||
			       mql_contacts_stages_out_of_order(c, row));
	}
	return MQL_OK;
}

/* Groups in the cost report with no contacts (spend without leads). */
static int add_cost_only_groups(struct groups *g, const mql_cost_report *cost)
{
	for (size_t i = 0; cost && i < cost->count; i++)
		if (!group_row(g, cost->rows[i].group))
			return MQL_ERR_NOMEM;
	return MQL_OK;
}

/* The prior across groups; Jeffreys when it cannot be fitted. */
static int fit_prior(mql_channels_report *r, mql_error *err)
{
	double *x = malloc((r->count ? r->count : 1) * sizeof *x);
	double *n = malloc((r->count ? r->count : 1) * sizeof *n);
	if (!x || !n) {
		free(x);
		free(n);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory fitting the prior");
	}
	for (size_t i = 0; i < r->count; i++) {
		x[i] = (double)r->rows[i].reached;
		n[i] = (double)r->rows[i].decided;
	}
	int status =
		r->options.method == MQL_BETA_MOMENTS
			? mql_shrink_fit_moments(&r->prior, x, n, r->count,
						 NULL)
			: mql_shrink_fit_ml(&r->prior, x, n, r->count, NULL);
	free(x);
	free(n);
	if (status == MQL_ERR_NOMEM)
		return mql_error_set(err, status, NULL, 0, 0,
				     "out of memory fitting the prior");
	r->prior_fitted = status == MQL_OK;
	if (!r->prior_fitted) {
		r->prior = (mql_beta_prior){0};
		r->prior.alpha = r->prior.beta = 0.5;
		r->prior.mean = 0.5;
		r->prior.rho = 0.5;
	}
	return MQL_OK;
}

/* Rates, interval and p-value of one row. */
static void estimate_row(mql_channel_row *row, const mql_channels_report *r)
{
	double x = (double)row->reached, n = (double)row->decided;
	row->rate = n > 0 ? x / n : NAN;
	row->rate_shrunk = mql_shrink_posterior_mean(&r->prior, x, n);
	if (mql_shrink_interval(&row->rate_low, &row->rate_high, &r->prior, x,
				n, r->options.level))
		row->rate_low = row->rate_high = NAN;
	row->p_value =
		mql_binomial_test(row->reached, row->decided, r->overall_rate);
}

/* MQLs needed so a kill-line group would be found with the given power. */
static double power_min_mql(double p0, double kill_line, double q_max,
			    double power)
{
	if (!(p0 > kill_line))
		return NAN;
	double z_alpha = gsl_cdf_ugaussian_Pinv(1 - q_max / 2);
	double z_power = gsl_cdf_ugaussian_Pinv(power);
	double spread = z_alpha * sqrt(p0 * (1 - p0)) +
			z_power * sqrt(kill_line * (1 - kill_line));
	double n = spread / (p0 - kill_line);
	return ceil(n * n);
}

static const char *stage_word(int stage)
{
	switch (stage) {
	case MQL_STAGE_SAL: return "SAL";
	case MQL_STAGE_OPPORTUNITY: return "opportunity";
	case MQL_STAGE_CUSTOMER: return "customer";
	default: return "SQL";
	}
}

/* "q = 0.013" or "q < 0.001": the q-value as the page's table shows it,
 * never in scientific notation.  Returns buf. */
static const char *q_text(double q_value, char *buf, size_t n)
{
	char value[32];
	mql_figure_q(value, sizeof value, q_value);
	snprintf(buf, n, "q %s%s", value[0] == '<' ? "" : "= ", value);
	return buf;
}

/* Watch when worse but not clearly below the kill line. */
static void watch_worse(mql_channel_row *row, const mql_channels_report *r)
{
	const mql_channels_options *o = &r->options;
	double shrunk = row->rate_shrunk, line = r->kill_line;
	char q[40];
	row->decision = MQL_DECISION_WATCH;
	if (shrunk >= line) {
		row->more_mql = NAN;
		snprintf(row->reason, sizeof row->reason,
			 "worse than overall (%.1f%% vs %.1f%%, %s) but "
			 "above the kill line %.1f%%: a call on cost, more "
			 "MQLs will not settle it",
			 100 * row->rate, 100 * r->overall_rate,
			 q_text(row->q_value, q, sizeof q), 100 * line);
		return;
	}
	double z = gsl_cdf_ugaussian_Pinv(1 - (1 - o->level) / 2);
	double needed = z * z * shrunk * (1 - shrunk) /
			((line - shrunk) * (line - shrunk));
	row->more_mql = fmax(1, ceil(needed - (double)row->decided));
	snprintf(row->reason, sizeof row->reason,
		 "worse than overall (%.1f%% vs %.1f%%, %s) but may be "
		 "up to %.1f%%, above the kill line %.1f%%; about %.0f more "
		 "MQLs would settle it",
		 100 * row->rate, 100 * r->overall_rate,
		 q_text(row->q_value, q, sizeof q), 100 * row->rate_high,
		 100 * line, row->more_mql);
}

static void decide_row(mql_channel_row *row, const mql_channels_report *r)
{
	const mql_channels_options *o = &r->options;
	double n = (double)row->decided;
	int worse =
		n > 0 && row->rate < r->overall_rate && row->q_value < o->q_max;
	row->more_mql = NAN;
	if (worse && row->rate_high < r->kill_line) {
		char q[40];
		row->decision = MQL_DECISION_KILL;
		snprintf(row->reason, sizeof row->reason,
			 "converts %.1f%% vs %.1f%% overall (%s); at "
			 "best %.1f%%, below the kill line %.1f%%",
			 100 * row->rate, 100 * r->overall_rate,
			 q_text(row->q_value, q, sizeof q),
			 100 * row->rate_high, 100 * r->kill_line);
	} else if (worse) {
		watch_worse(row, r);
	} else if (n >= o->min_mql && n > 0) {
		int better =
			row->rate > r->overall_rate && row->q_value < o->q_max;
		row->decision = MQL_DECISION_KEEP;
		snprintf(row->reason, sizeof row->reason,
			 "converts %.1f%% (shrunk %.1f%%) vs %.1f%% overall on "
			 "%zu MQLs; %s",
			 100 * row->rate, 100 * row->rate_shrunk,
			 100 * r->overall_rate, row->decided,
			 better ? "significantly better" : "not worse");
	} else if (!isfinite(o->min_mql)) {
		/* p0 = 0: no group converts, so no group can be worse. */
		row->decision = MQL_DECISION_WATCH;
		snprintf(row->reason, sizeof row->reason,
			 "no MQL in any group reached %s: nothing to compare",
			 stage_word(o->stage));
	} else if (n == 0) {
		row->decision = MQL_DECISION_WATCH;
		row->more_mql = ceil(o->min_mql);
		snprintf(row->reason, sizeof row->reason,
			 "no MQLs with a known outcome yet; about %.0f would "
			 "settle it",
			 row->more_mql);
	} else {
		row->decision = MQL_DECISION_WATCH;
		row->more_mql = ceil(o->min_mql - n);
		snprintf(row->reason, sizeof row->reason,
			 "only %zu MQLs with an outcome (%zu reached %s); "
			 "about %.0f more would settle it",
			 row->decided, row->reached, stage_word(o->stage),
			 row->more_mql);
	}
}

/* Joins the cost report's spend and ratios by group name. */
static void join_costs(mql_channel_row *row, const mql_cost_report *cost)
{
	const mql_cost_row *c = cost ? mql_cost_find(cost, row->group) : NULL;
	row->spend = c && c->in_spend ? c->spend : NAN;
	row->cost_per_sql = c ? c->cost_per_sql : NAN;
	row->cost_per_customer = c ? c->cost_per_customer : NAN;
}

static int by_mql(const void *a, const void *b)
{
	const mql_channel_row *x = a, *y = b;
	if (x->mql != y->mql)
		return x->mql > y->mql ? -1 : 1;
	return strcmp(x->group, y->group);
}

/* Pools every group into the total row and sets p0 and the kill line. */
static int sum_total(mql_channels_report *r, mql_error *err)
{
	mql_channel_row *t = &r->total;
	for (size_t i = 0; i < r->count; i++) {
		t->mql += r->rows[i].mql;
		t->sql += r->rows[i].sql;
		t->customer += r->rows[i].customer;
		t->decided += r->rows[i].decided;
		t->reached += r->rows[i].reached;
	}
	if (t->decided == 0)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "no MQL has a known outcome (reached %s, "
				     "rejected, or %.0f days old by the as-of "
				     "date): nothing to decide on",
				     stage_word(r->options.stage),
				     r->options.window_days);
	r->overall_rate = (double)t->reached / (double)t->decided;
	r->kill_line = r->options.kill_fraction * r->overall_rate;
	return MQL_OK;
}

/* Estimates, q-values, decisions and costs for every row. */
static int decide_rows(mql_channels_report *r, const mql_cost_report *cost)
{
	double *p = malloc((r->count ? r->count : 1) * sizeof *p);
	if (!p)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->count; i++) {
		estimate_row(&r->rows[i], r);
		p[i] = r->rows[i].p_value;
	}
	int status = mql_shrink_bh(p, p, r->count);
	for (size_t i = 0; !status && i < r->count; i++) {
		r->rows[i].q_value = p[i];
		decide_row(&r->rows[i], r);
		join_costs(&r->rows[i], cost);
	}
	free(p);
	return status;
}

/* The total row: pooled rate with a Jeffreys interval, no decision. */
static void finish_total(mql_channels_report *r, const mql_cost_report *cost)
{
	mql_channel_row *t = &r->total;
	mql_beta_prior jeffreys = {0};
	jeffreys.alpha = jeffreys.beta = 0.5;
	double x = (double)t->reached, n = (double)t->decided;
	t->rate = t->rate_shrunk = r->overall_rate;
	mql_shrink_interval(&t->rate_low, &t->rate_high, &jeffreys, x, n,
			    r->options.level);
	t->p_value = t->q_value = t->more_mql = NAN;
	t->decision = MQL_DECISION_WATCH;
	join_costs(t, cost);
	snprintf(t->reason, sizeof t->reason,
		 "overall: %zu of %zu MQLs with an outcome reached %s",
		 t->reached, t->decided, stage_word(r->options.stage));
}

static int build(mql_channels_report *r, struct groups *g,
		 const mql_contacts *contacts, const mql_cost_report *cost,
		 mql_error *err)
{
	int status = count_groups(g, contacts, &r->options);
	if (!status)
		status = add_cost_only_groups(g, cost);
	if (status)
		return mql_error_set(err, status, NULL, 0, 0,
				     "out of memory counting groups");
	r->count = g->names.count;
	r->rows = g->rows;
	g->rows = NULL;
	r->total.group = strdup(MQL_GROUP_ALL);
	if (!r->total.group)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->count; i++) {
		r->rows[i].group = strdup(g->names.names[i]);
		if (!r->rows[i].group)
			return MQL_ERR_NOMEM;
	}
	status = sum_total(r, err);
	if (status)
		return status;
	if (r->options.min_mql == 0)
		r->options.min_mql =
			power_min_mql(r->overall_rate, r->kill_line,
				      r->options.q_max, r->options.power);
	status = fit_prior(r, err);
	if (!status)
		status = decide_rows(r, cost);
	if (status)
		return status;
	finish_total(r, cost);
	qsort(r->rows, r->count, sizeof *r->rows, by_mql);
	return MQL_OK;
}

int mql_channels_decide(mql_channels_report **out, const mql_contacts *contacts,
			const mql_cost_report *cost,
			const mql_channels_options *options, mql_error *err)
{
	*out = NULL;
	int status = check_options(options, err);
	if (status)
		return status;
	mql_channels_report *r = calloc(1, sizeof *r);
	if (!r)
		return MQL_ERR_NOMEM;
	r->options = *options;
	r->acceptance = contacts->acceptance;
	if (r->options.as_of == MQL_TIME_NONE)
		r->options.as_of = mql_contacts_latest_time(contacts);
	struct groups g = {.rows = NULL, .capacity = 0};
	mql_dict_init(&g.names);
	status = build(r, &g, contacts, cost, err);
	free(g.rows);
	mql_dict_release(&g.names);
	if (status) {
		if (status == MQL_ERR_NOMEM)
			mql_error_set(err, status, NULL, 0, 0,
				      "out of memory deciding channels");
		mql_channels_free(r);
		return status;
	}
	*out = r;
	return MQL_OK;
}

void mql_channels_free(mql_channels_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->rows && i < r->count; i++)
		free(r->rows[i].group);
	free(r->rows);
	free(r->total.group);
	free(r);
}
