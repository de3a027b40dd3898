/*
 * review.h - the quarterly review's summary page (reports/index.html):
 * what to do, key figures, charts and the tables behind them, read from
 * the outputs the review's commands wrote.
 *
 * The review's directory (DATA/review/) holds CSV files written by the
 * commands: check.csv (mql-check: what "accepted" means),
 * rule-changes.csv (mql-rules), backtest.csv (mql-backtest), channels.csv
 * (mql-channels), cost.csv (mql-cost) and equal-volume.csv (mql-backtest
 * --equal-volume: old and new at the same MQL volume), and the fitted
 * model.json and
 * the new rules.json, read with the model's and the rule file's readers.  Their
 * columns are found by name, never by position, so a column added or moved does
 * not matter; a total row (a `level` column saying "total", or a group named
 * "all") is kept apart from the groups.  A file that is missing leaves its
 * section out and says so.
 *
 * Ownership: mql_review_load gives a struct the caller frees with
 * mql_review_free; every text in it is its own copy.
 */
#ifndef MQLCAL_REVIEW_H
#define MQLCAL_REVIEW_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/error.h>

/* One rule's points before and after the refit (rule-changes.csv). */
typedef struct mql_review_rule {
	char *rule;
	double old_points, new_points; /* NAN: the rule is new / dropped */
	char *flags;		       /* "sign flipped", ... or "" */
} mql_review_rule;

/* One rule file over the held-out months (backtest.csv, its total row). */
typedef struct mql_review_file {
	double mql, accepted_rate, auc; /* NAN when unknown */
} mql_review_file;

/* One channel (or campaign): channels.csv joined with cost.csv by name. */
typedef struct mql_review_channel {
	char *name;
	char *decision; /* "keep", "watch", "kill" or "" */
	char *reason;
	double mql, rate_shrunk, spend, customers;
	double cost_per_mql, cost_per_customer; /* NAN when unknown */
} mql_review_channel;

typedef struct mql_review {
	char *label;	       /* the fit's outcome (model.json), or NULL */
	char *acceptance;      /* what "accepted" means (check.csv), or NULL */
	int have_new_rules;    /* rules.json was read */
	size_t new_rule_count; /* its rules */
	double new_threshold;  /* its threshold, in points */

	size_t rule_count;
	mql_review_rule *rules; /* largest change first */
	int have_rules;		/* rule-changes.csv was read */

	int have_backtest;	  /* backtest.csv was read */
	mql_review_file files[2]; /* old, new */
	int have_equal_volume;	  /* equal-volume.csv was read */
	long volume, decided;	  /* top `volume` of `decided` MQLs */
	double equal_accepted[2]; /* acceptance of each file's top */
	double equal_auc[2];

	size_t channel_count;
	mql_review_channel *channels; /* kills first, then by spend */
	int have_channels, have_cost; /* channels.csv, cost.csv were read */
	char group_column[16];	      /* "channel" or "campaign" */
	mql_review_channel total;     /* the total rows' figures */
} mql_review;

/*
 * Reads the review's outputs in dir.  Missing files are not errors (their
 * have_ flag stays 0).  Returns 0, MQL_ERR_INPUT (a file without a column the
 * page needs, a cell that is not a number; err has file, line, column),
 * MQL_ERR_NOMEM.  *out belongs to the caller: mql_review_free.
 */
int mql_review_load(mql_review **out, const char *dir, mql_error *err);

/* Frees r.  r may be NULL. */
void mql_review_free(mql_review *r);

/* What the page says besides the figures. */
typedef struct mql_review_page {
	const char *subtitle;  /* the history and the months, or NULL */
	const char *currency;  /* ISO code of the amounts ("EUR"), or NULL */
	const char *data_link; /* the review's directory relative to the
				  page, for links to its CSV files, or NULL
				  for no such links */
} mql_review_page;

/*
 * Writes the summary page of r to fp: what to do (adopt the new rules or
 * not, the channels to kill and what they cost, cost per customer), key
 * figures, the charts (acceptance at equal volume, points change per rule,
 * cost per MQL and per customer by channel) and the tables, with links to
 * the other pages and the CSV files.  Returns 0, MQL_ERR_NOMEM or
 * MQL_ERR_IO (err set).
 */
int mql_review_write_html(const mql_review *r, const mql_review_page *page,
			  FILE *fp, mql_error *err);

#endif
