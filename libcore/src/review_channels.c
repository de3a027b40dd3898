/*
 * review_channels.c - the channels' decisions and costs of the review
 * (channels.csv joined with cost.csv by name), and the backtest's result at
 * equal volume (see review.h).
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
	for (int i = 0; i < 4; i++)
		col[i + 1] =
			col[i] < 0 ? -1 : mql_review_column(csv, names[i], err);
	col[5] = mql_csv_find_column(csv, "spend");
	long level = mql_csv_find_column(csv, "level");
	status = col[4] < 0 ? MQL_ERR_INPUT : MQL_OK;
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
	for (int i = 0; i < 5; i++)
		col[i + 1] =
			col[i] < 0 ? -1 : mql_review_column(csv, names[i], err);
	long level = mql_csv_find_column(csv, "level");
	status = col[5] < 0 ? MQL_ERR_INPUT : MQL_OK;
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

/* Reads a number at *s and moves past it and the text after it, which
 * must be expect; 0, or -1 when either is not there. */
static int number_then(const char **s, double *out, const char *expect)
{
	char *end;
	*out = strtod(*s, &end);
	if (end == *s || strncmp(end, expect, strlen(expect)) != 0)
		return -1;
	*s = end + strlen(expect);
	return 0;
}

/* Moves *s past the next occurrence of text; -1 when there is none. */
static int skip_past(const char **s, const char *text)
{
	const char *at = strstr(*s, text);
	if (!at)
		return -1;
	*s = at + strlen(text);
	return 0;
}

/*
 * Parses "equal volume: top V of D decided MQLs ...: accepted A% (old) vs
 * B% (new); AUC X vs Y" (mql-backtest's summary).  Returns 0 or -1.
 */
static int parse_equal_volume(mql_review *r, const char *line)
{
	const char *s = line + strlen("equal volume: top ");
	double volume, decided;
	if (number_then(&s, &volume, " of ") != 0 ||
	    number_then(&s, &decided, " decided") != 0 ||
	    skip_past(&s, ": accepted ") != 0 ||
	    number_then(&s, &r->equal_accepted[0], "% (") != 0 ||
	    skip_past(&s, ") vs ") != 0 ||
	    number_then(&s, &r->equal_accepted[1], "% (") != 0)
		return -1;
	r->volume = (long)volume;
	r->decided = (long)decided;
	r->equal_accepted[0] /= 100.0;
	r->equal_accepted[1] /= 100.0;
	r->equal_auc[0] = r->equal_auc[1] = NAN;
	if (skip_past(&s, "; AUC ") == 0 &&
	    number_then(&s, &r->equal_auc[0], " vs ") == 0)
		r->equal_auc[1] = strtod(s, NULL);
	return 0;
}

int mql_review_load_equal_volume(mql_review *r, const char *path,
				 mql_error *err)
{
	char line[1024];
	FILE *fp = fopen(path, "r");
	(void)err;
	if (!fp)
		return MQL_OK;
	while (fgets(line, sizeof line, fp))
		if (strncmp(line, "equal volume: top ", 18) == 0 &&
		    parse_equal_volume(r, line) == 0) {
			r->have_equal_volume = 1;
			break;
		}
	fclose(fp);
	return MQL_OK;
}
