/*
 * review_channels.c - the channels' decisions and costs of the review
 * (channels.csv joined with cost.csv by name), and the backtest's result at
 * equal volume (equal-volume.csv; see review.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_internal.h"

/* The channel named name, appended (with unknown figures) when new; NULL
 * when out of memory. */
static mql_review_channel *channel_named(mql_review *r, const char *name)
{
	mql_review_channel *grown;
	for (size_t i = 0; i < r->channel_count; i++)
		if (strcmp(r->channels[i].name, name) == 0)
			return &r->channels[i];
	grown = realloc(r->channels, (r->channel_count + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	r->channels = grown;
	mql_review_channel *c = &r->channels[r->channel_count];
	*c = (mql_review_channel){mql_review_copy(name),
				  mql_review_copy(""),
				  mql_review_copy(""),
				  NAN,
				  NAN,
				  NAN,
				  NAN,
				  NAN,
				  NAN};
	r->channel_count++;
	return c->name && c->decision && c->reason ? c : NULL;
}

/* Replaces *text with a copy of value; 0 or MQL_ERR_NOMEM. */
static int set_text(char **text, const char *value)
{
	char *copy = mql_review_copy(value);
	if (!copy)
		return MQL_ERR_NOMEM;
	free(*text);
	*text = copy;
	return MQL_OK;
}

/* The group column of a channels or cost file: channel or campaign. */
static long group_column(mql_csv *csv, mql_review *r, mql_error *err)
{
	long column = mql_csv_find_column(csv, "channel");
	snprintf(r->group_column, sizeof r->group_column, "%s",
		 column >= 0 ? "channel" : "campaign");
	return column >= 0 ? column : mql_review_column(csv, "campaign", err);
}

/* One row of channels.csv into c. */
static int channel_row(mql_csv *csv, const long *col, mql_review_channel *c,
		       mql_error *err)
{
	int status = MQL_OK;
	c->mql = mql_review_number(csv, col[1], &status, err);
	c->rate_shrunk = mql_review_number(csv, col[2], &status, err);
	if (col[5] >= 0)
		c->spend = mql_review_number(csv, col[5], &status, err);
	if (status == MQL_OK &&
	    set_text(&c->decision, mql_review_text(csv, col[3])) != 0)
		status = MQL_ERR_NOMEM;
	if (status == MQL_OK &&
	    set_text(&c->reason, mql_review_text(csv, col[4])) != 0)
		status = MQL_ERR_NOMEM;
	return status;
}

/* Reads channels.csv: the group, mql, rate_shrunk, decision, reason. */
static int load_decisions(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	long col[6];
	int status = mql_review_open(&csv, dir, "channels.csv", err);
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"mql", "rate_shrunk", "decision",
					    "reason"};
	col[0] = group_column(csv, r, err);
	status = col[0] < 0 ? MQL_ERR_INPUT
			    : mql_review_columns(csv, names, col + 1, 4, err);
	col[5] = mql_csv_find_column(csv, "spend");
	long level = mql_csv_find_column(csv, "level");
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		const char *name = mql_review_text(csv, col[0]);
		mql_review_channel *c = mql_review_is_total(csv, level, col[0])
						? &r->total
						: channel_named(r, name);
		status = c ? channel_row(csv, col, c, err) : MQL_ERR_NOMEM;
	}
	mql_csv_close(csv);
	if (status == MQL_ERR_NOMEM)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	r->have_channels = status == MQL_OK;
	return status;
}

/* Reads cost.csv: the group, spend, customer, cost_per_mql,
 * cost_per_customer (and mql where channels.csv had none). */
static int load_cost(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	long col[6];
	int status = mql_review_open(&csv, dir, "cost.csv", err);
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"spend", "customer", "cost_per_mql",
					    "cost_per_customer", "mql"};
	col[0] = group_column(csv, r, err);
	status = col[0] < 0 ? MQL_ERR_INPUT
			    : mql_review_columns(csv, names, col + 1, 5, err);
	long level = mql_csv_find_column(csv, "level");
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		mql_review_channel *c =
			mql_review_is_total(csv, level, col[0])
				? &r->total
				: channel_named(r,
						mql_review_text(csv, col[0]));
		status = MQL_OK;
		if (!c) {
			status = MQL_ERR_NOMEM;
			break;
		}
		c->spend = mql_review_number(csv, col[1], &status, err);
		c->customers = mql_review_number(csv, col[2], &status, err);
		c->cost_per_mql = mql_review_number(csv, col[3], &status, err);
		c->cost_per_customer =
			mql_review_number(csv, col[4], &status, err);
		if (isnan(c->mql))
			c->mql = mql_review_number(csv, col[5], &status, err);
	}
	mql_csv_close(csv);
	if (status == MQL_ERR_NOMEM)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	r->have_cost = status == MQL_OK;
	return status;
}

/* Kills first, then watch, then keep; within each, more spend first. */
static int kills_first(const void *a, const void *b)
{
	const mql_review_channel *x = a, *y = b;
	int rank_x = strcmp(x->decision, "kill") == 0	 ? 0
		     : strcmp(x->decision, "watch") == 0 ? 1
							 : 2;
	int rank_y = strcmp(y->decision, "kill") == 0	 ? 0
		     : strcmp(y->decision, "watch") == 0 ? 1
							 : 2;
	double spend_x = isnan(x->spend) ? -1.0 : x->spend;
	double spend_y = isnan(y->spend) ? -1.0 : y->spend;
	if (rank_x != rank_y)
		return rank_x - rank_y;
	return spend_x < spend_y ? 1 : spend_x > spend_y ? -1 : 0;
}

int mql_review_load_channels(mql_review *r, const char *dir, mql_error *err)
{
	int status = load_decisions(r, dir, err);
	if (status == MQL_OK)
		status = load_cost(r, dir, err);
	if (status == MQL_OK && r->channel_count > 1)
		qsort(r->channels, r->channel_count, sizeof *r->channels,
		      kills_first);
	return status;
}

/*
 * Reads equal-volume.csv (mql-backtest --equal-volume): one row per rule
 * file, rules "old" or "new", with volume, decided, accepted_rate and auc.
 * A missing file leaves have_equal_volume 0; so does a file without both
 * rows.  Returns 0, MQL_ERR_INPUT (a missing column, a cell that is not a
 * number) or the reader's error.
 */
int mql_review_load_equal_volume(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	int status = mql_review_open(&csv, dir, "equal-volume.csv", err);
	int seen[2] = {0, 0};
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"rules", "volume", "decided",
					    "accepted_rate"};
	long col[4];
	status = mql_review_columns(csv, names, col, 4, err);
	long rules = col[0], volume = col[1], decided = col[2],
	     accepted = col[3];
	long auc = mql_csv_find_column(csv, "auc");
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		const char *role = mql_review_text(csv, rules);
		int f = strcmp(role, "old") == 0   ? 0
			: strcmp(role, "new") == 0 ? 1
						   : -1;
		status = MQL_OK;
		if (f < 0)
			continue;
		double v = mql_review_number(csv, volume, &status, err);
		double d = mql_review_number(csv, decided, &status, err);
		r->equal_accepted[f] =
			mql_review_number(csv, accepted, &status, err);
		r->equal_auc[f] = mql_review_number(csv, auc, &status, err);
		r->volume = isfinite(v) ? (long)v : 0;
		r->decided = isfinite(d) ? (long)d : 0;
		seen[f] = 1;
	}
	mql_csv_close(csv);
	if (status < 0)
		return status;
	r->have_equal_volume = seen[0] && seen[1];
	return MQL_OK;
}
