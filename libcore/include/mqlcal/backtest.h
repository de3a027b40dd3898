/*
 * backtest.h - two rule files replayed over the same history, period by
 * period, and the drift of the score distribution.
 *
 * Both files are replayed with the scorer (score.h), never a copy of the
 * formula, over each contact's events in time order (timeline.h), so memory
 * grows with contacts, not events.  For each contact and file three numbers
 * are kept: the time it would have crossed the threshold (as of the end of
 * the history), its score at the time sales decided on it (the historical
 * mql_at, for contacts with a decision) and its score a fixed horizon after
 * it was created (for the drift).
 *
 * Per file and period (month or quarter, from --from on), and over all of
 * them ("all"):
 *   mql                 contacts whose crossing under the file falls in
 *                       the period
 *   accepted_rate       accepted / decided among those (the history only
 *                       knows the decisions on its own MQLs)
 *   sql_rate,           share of those MQLs that reached SQL / customer
 *   customer_rate       (at any time)
 *   customer_recall     customers created in the period that the file
 *                       flagged at or before they became customers
 *   days_to_mql_median  median days from created_at to the crossing
 *   auc                 AUC of the score at the decision time against
 *                       acceptance, rows with a decision in the period
 *                       (the same rows for both files)
 *   psi                 population stability index of the scores at
 *                       created_at + horizon of contacts created in the
 *                       period against the reference: contacts created
 *                       before --from (without --from: the first period)
 *
 * PSI = sum over bins (a_i - e_i) ln(a_i / e_i), with a and e the shares of
 * the period and of the reference; bins are cut at the deciles of the
 * reference scores (ties merge bins), and an empty bin counts as half a row
 * so the index stays finite.  PSI is biased upward in small samples, so
 * each period's PSI is judged against its own noise: the 95% quantile of
 * the PSI of samples of its size drawn from the reference (simulated).
 * Verdict: within the noise, stable (or "too few leads" when the noise
 * reaches 0.1); beyond it, < 0.1 stable, 0.1-0.25 moderate, > 0.25 major.
 *
 * The comparison at equal volume: among the decided contacts of the
 * evaluation window (decision time from --from on), each file flags those
 * whose score at the decision time reaches its threshold; k = the smaller
 * of the two counts; for each file the acceptance rate of its top k by
 * score (rows tied at the boundary count fractionally).  The new file is
 * worse when its rate is lower.
 *
 * Ownership: a result owns its rows (mql_backtest_free); it keeps no
 * pointer to the rules, contacts or options.
 */
#ifndef MQLCAL_BACKTEST_H
#define MQLCAL_BACKTEST_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/rules.h>
#include <mqlcal/table.h>
#include <mqlcal/timeparse.h>

typedef enum mql_backtest_period {
	MQL_BACKTEST_MONTH,
	MQL_BACKTEST_QUARTER
} mql_backtest_period;

typedef struct mql_backtest_options {
	mql_time from;	/* start of the evaluation; NONE = all */
	mql_time as_of; /* end of the history; NONE = latest date */
	mql_backtest_period by;
	double horizon_days; /* drift scores at created_at + this (> 0) */
	size_t psi_bins;     /* reference quantile bins, 2..100 */
} mql_backtest_options;

/* Defaults: all history, latest date, by month, horizon 30 days, 10 bins. */
void mql_backtest_options_init(mql_backtest_options *o);

typedef struct mql_backtest_row {
	int file;	 /* 0 = old, 1 = new */
	char period[16]; /* "2026-03", "2026-Q1" or "all" */
	long mql;
	long decided;
	long accepted;
	double accepted_rate; /* NAN when nothing was decided */
	double sql_rate;      /* NAN without MQLs */
	double customer_rate;
	long customers;
	double customer_recall; /* NAN without customers */
	double days_to_mql_median;
	long auc_rows;
	double auc; /* NAN without both outcomes */
	long psi_rows;
	double psi;	   /* NAN without scores in the period */
	double psi_noise;  /* 95% quantile of PSI without drift at this n */
	const char *drift; /* "stable", "moderate", "major" or "" */
} mql_backtest_row;

typedef struct mql_backtest_comparison {
	long decided;	    /* decided contacts in the evaluation window */
	long flagged[2];    /* of which each file flags at decision time */
	long volume;	    /* k = min(flagged) */
	double accepted[2]; /* acceptance of each file's top k, NAN if k 0 */
	double auc[2];	    /* AUC over the decided rows, NAN if undefined */
	int new_is_worse;   /* accepted[1] < accepted[0] */
} mql_backtest_comparison;

typedef struct mql_backtest {
	mql_backtest_row *rows; /* per file, periods ascending, then "all" */
	size_t row_count;
	mql_backtest_comparison comparison;
	mql_time from, as_of;
	long reference_rows; /* contacts in the PSI reference */
	double threshold[2];
	mql_acceptance acceptance; /* what "accepted" means (contacts.h) */
} mql_backtest;

/*
 * Replays old_rules and new_rules (validated) over contacts and the events
 * at events_path (read with csv options, sorted by contact in bounded
 * memory).  Returns 0, the readers' and scorer's errors (MQL_ERR_INPUT with
 * position, MQL_ERR_NOFILE, MQL_ERR_IO), MQL_ERR_USAGE for bad options,
 * MQL_ERR_NOMEM.  *out belongs to the caller: mql_backtest_free.
 */
int mql_backtest_run(mql_backtest **out, const mql_rules *old_rules,
		     const mql_rules *new_rules, const mql_contacts *contacts,
		     const char *events_path, const mql_csv_options *csv,
		     const mql_backtest_options *opt, mql_error *err);

/*
 * Writes b as a self-contained report page (html.h) to fp: the comparison
 * at equal volume, MQLs, acceptance and PSI per period as charts, and the
 * table.  old_name and new_name label the files.  Returns 0, MQL_ERR_IO or
 * MQL_ERR_NOMEM.
 */
int mql_backtest_write_html(const mql_backtest *b, FILE *fp,
			    const char *old_name, const char *new_name,
			    mql_error *err);

/*
 * Writes b as a table in format (table, csv, json, md; html is
 * mql_backtest_write_html's) to fp, one row per file and period, periods
 * ascending, then the file's "all" row:
 *
 *   rules ("old" or "new"), period, mql, accepted_rate, sql_rate,
 *   customer_rate, customer_recall, days_to_mql_median, auc, psi, drift,
 *   decided, customers, psi_n, psi_noise
 *
 * csv and json open with the level column (table.h: "total" on the "all"
 * rows) and end with rules_file (old_name or new_name, the paths) and
 * period_start (the period's first day, ISO 8601; empty on "all").
 * Returns 0, MQL_ERR_NOMEM or MQL_ERR_IO.
 */
int mql_backtest_write(const mql_backtest *b, FILE *fp, mql_format format,
		       const char *old_name, const char *new_name,
		       mql_error *err);

/*
 * Writes the comparison at equal volume (b->comparison) as a table in
 * format to fp, one row per rule file, old then new:
 *
 *   rules ("old" or "new"), decided, flagged, volume, accepted_rate, auc,
 *   rules_file (old_name or new_name)
 *
 * decided and volume (k) are the same on both rows.  Returns 0,
 * MQL_ERR_NOMEM or MQL_ERR_IO.
 */
int mql_backtest_write_equal_volume(const mql_backtest *b, FILE *fp,
				    mql_format format, const char *old_name,
				    const char *new_name, mql_error *err);

/* "old" for file 0, "new" for file 1: the files' names in every output. */
const char *mql_backtest_file_role(int file);

/* Frees b.  b may be NULL. */
void mql_backtest_free(mql_backtest *b);

/*
 * A sentence to show next to customer_recall when the old rule file's
 * recall over all periods is 1: the history's MQLs are the old rules' own,
 * so every customer who came through them was flagged by construction,
 * and the new file's recall can only be lower or equal.  NULL otherwise.
 * Cannot fail.
 */
const char *mql_backtest_recall_note(const mql_backtest *b);

/*
 * PSI of the actual counts against the expected counts over bins (shares
 * from counts; an empty bin counts as half a row).  NAN when either side
 * has no rows.  Cannot fail.
 */
double mql_backtest_psi(const double *expected, const double *actual,
			size_t bins);

/*
 * The probability-quantile (0.95) of the PSI that a period of `rows` rows
 * shows against a reference of `reference_rows` rows when both are drawn
 * from the reference's own bin shares (expected, counts over bins): the
 * PSI of pure sampling noise, which is large for small periods (about
 * (bins - 1) (1/rows + 1/reference_rows) on average).  Simulated with a
 * fixed seed, so the same inputs give the same value.  NAN when a side has
 * no rows, or out of memory.
 */
double mql_backtest_psi_noise(const double *expected, size_t bins,
			      double reference_rows, double rows,
			      double probability);

/*
 * The drift verdict of a PSI given its noise level (the 95% quantile from
 * mql_backtest_psi_noise): within the noise it is "stable", or "too few
 * leads" when the noise itself reaches 0.1 (such a period cannot tell
 * moderate drift from chance); beyond it, "stable" (< 0.1), "moderate"
 * (0.1 - 0.25) or "major" (> 0.25).  "" for a NAN psi.
 */
const char *mql_backtest_drift(double psi, double noise);

/*
 * Acceptance rate of the top k of n rows by score (descending), rows tied
 * at the boundary counted fractionally; y is 0/1.  NAN when k is 0.
 * Returns 0 or MQL_ERR_NOMEM.
 */
int mql_backtest_top_rate(double *out, const double *score, const double *y,
			  size_t n, size_t k);

#endif
