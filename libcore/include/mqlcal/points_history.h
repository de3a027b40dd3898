/*
 * points_history.h - points meet the rule file and the history: writing
 * the rule file, re-evaluating the model's rows, and the capacity replay.
 *
 * - mql_points_to_rules turns points into a validated rule file: each
 *   coefficient's rule with its id and points (rules with "event" are
 *   engagement rules, the others fit rules), the threshold, the
 *   calibration block (points_per_logit = B, logit_at_threshold) and a
 *   provenance object given by the caller.
 * - mql_points_history_rows rebuilds the model's rows from the history:
 *   the population of the model's label (the fitter's population module)
 *   and each rule's unit value at the row's decision time, computed by the
 *   scorer of the new rule file (score.h), so the rows are exactly what
 *   the scorer would see.  Events are streamed; memory is rows x rules.
 * - mql_points_capacity replays the history with the new rule file and
 *   picks the lowest integer threshold whose MQLs per month stay within a
 *   capacity.  A contact is an MQL at threshold T when its score reaches T
 *   at some candidate time (created_at, or an event it counts), so per
 *   contact only its peak score over those times is kept.  The capacity is
 *   met over the last complete calendar months before the history's end
 *   (3 by default): on a growing history an average over all of it would
 *   hand sales far more than the capacity in the months that matter.  A
 *   contact becomes an MQL within those months at T when its peak before
 *   them is below T and its peak by their end is not, so a peak is kept
 *   per month boundary.  The threshold is the lowest integer from which
 *   on no higher threshold makes more than capacity x months MQLs there
 *   (the count is not monotone in T: a higher threshold can move a lead's
 *   crossing into the months).  With no complete month in the history, or
 *   when asked (recent_months 0), the whole history: MQLs / months from the
 *   first created_at to the end.
 *
 * Ownership: outputs belong to the caller (mql_rules_free,
 * mql_points_history_release).  Errors: 0 or a negative mql_status, err
 * filled.
 */
#ifndef MQLCAL_POINTS_HISTORY_H
#define MQLCAL_POINTS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/model.h>
#include <mqlcal/points.h>
#include <mqlcal/rules.h>

/*
 * The rule file of points p for model m, named name, with provenance
 * (ownership taken, even on failure; may be NULL).  previous (may be NULL)
 * is the rule file being replaced: its score_limit, grades and unknown
 * top-level keys are kept, as the format promises for a round trip (the
 * fitted points replace its rules, threshold and calibration).  Errors:
 * MQL_ERR_INPUT when a coefficient has no rule or the result fails
 * validation (err names the JSON path), MQL_ERR_NOMEM.
 */
int mql_points_to_rules(mql_rules **out, const mql_points *p,
			const mql_model *m, const char *name, cJSON *provenance,
			const mql_rules *previous, mql_error *err);

/* The model's rows rebuilt from the history. */
typedef struct mql_points_history {
	size_t rows;
	size_t columns;	   /* = points rule_count, in the points' order */
	double *x;	   /* rows x columns, row-major */
	double *y;	   /* 0/1 */
	uint32_t *contact; /* contacts row of each row */
} mql_points_history;

/*
 * Rebuilds the rows of model m (its label: sal, sql, opportunity,
 * customer, or an outcome column) from contacts and the events at
 * events_path, with the unit values of rules (the file written from p).
 * window_days as mql-fit's --window.  Errors: the population's and
 * readers' errors, MQL_ERR_INPUT when a rule of p is not in rules,
 * MQL_ERR_NOMEM.
 */
int mql_points_history_rows(mql_points_history *out, const mql_points *p,
			    const mql_rules *rules, const mql_model *m,
			    const mql_contacts *contacts,
			    const char *events_path, const mql_csv_options *csv,
			    double window_days, mql_error *err);

/* Frees the arrays (not the struct).  h may be NULL. */
void mql_points_history_release(mql_points_history *h);

/*
 * Writes the rows of h in format (table.h; not html) to fp: contact_id (of
 * contacts), y, eta (the model's logit) and score (the points'), so the
 * rank agreement can be checked with another tool.  Returns 0,
 * MQL_ERR_NOMEM or MQL_ERR_IO.
 */
int mql_points_history_write(const mql_points_history *h, const mql_points *p,
			     const mql_contacts *contacts, FILE *fp,
			     mql_format format, mql_error *err);

/* The most recent months a capacity can be calibrated on, and the
 * default. */
#define MQL_CAPACITY_MAX_MONTHS	    24
#define MQL_CAPACITY_DEFAULT_MONTHS 3

typedef struct mql_points_capacity_result {
	double threshold;      /* chosen integer threshold */
	double mqls_per_month; /* at that threshold, over the months used */
	double months;	       /* months calibrated on: month_count, or the
				  whole history's length */
	long contacts;	       /* contacts replayed */
	mql_time history_start, history_end; /* first date, and as-of */
	double history_months;		     /* their distance in months */
	size_t month_count; /* complete calendar months used; 0 = the whole
			       history */
	mql_time month_start[MQL_CAPACITY_MAX_MONTHS + 1]; /* month i is
		[month_start[i], month_start[i + 1]), UTC */
	long month_mqls[MQL_CAPACITY_MAX_MONTHS]; /* MQLs expected in month i
						     at the threshold */
} mql_points_capacity_result;

/*
 * The lowest integer threshold at which the rules (their own threshold is
 * ignored) make at most per_month MQLs per month over the last
 * recent_months complete calendar months before the history's end (fewer
 * when the history is shorter; 0, or none complete: the whole history).
 * Errors: MQL_ERR_USAGE (per_month <= 0, recent_months outside 0 ..
 * MQL_CAPACITY_MAX_MONTHS), MQL_ERR_INPUT (no dates, so no months), the
 * readers' and scorer's errors, MQL_ERR_NOMEM.
 */
int mql_points_capacity(mql_points_capacity_result *out, const mql_rules *rules,
			const mql_contacts *contacts, const char *events_path,
			const mql_csv_options *csv, double per_month,
			int recent_months, mql_error *err);

/*
 * One line saying what r was calibrated on: "calibrated on the 3 complete
 * months before the history's end 2026-10-01; expected MQLs: 2026-07 59,
 * 2026-08 60, 2026-09 58 (59.0 per month)", or "calibrated on the whole
 * history, to its end 2026-10-01: 57.3 MQLs per month over 24.0 months".
 * Written into buf of size n (cut to fit); returns buf.  Cannot fail.
 */
char *mql_points_capacity_describe(const mql_points_capacity_result *r,
				   char *buf, size_t n);

/* The months of r as [{"month": "2026-07", "mqls": 59}, ...] (empty for
 * the whole history).  NULL when out of memory; the caller owns it. */
cJSON *mql_points_capacity_json(const mql_points_capacity_result *r);

/*
 * Reads a capacity given as MQLs per month, "120" or "120/month", into
 * *per_month.  Returns 0, or -1 (*per_month unspecified) when text is not a
 * finite number above 0, alone or followed by "/month".
 */
int mql_points_capacity_parse(const char *text, double *per_month);

/* What a run of points says of its making (pointers borrowed). */
typedef struct mql_points_provenance_info {
	const char *model_path;	   /* the model file */
	const char *previous_path; /* the rule file replaced, or NULL */
	const char *target;	   /* how the threshold was chosen, in words */
	double pdo;		   /* points that double the odds, NAN when
				      the threshold fixed the scale */
	const mql_points_capacity_result *capacity; /* or NULL */
	const mql_points_evaluation *evaluation;    /* on history rows, or
						       NULL: the bound */
} mql_points_provenance_info;

/*
 * The rule file's provenance object: model, fitted_at, label, rows, auc,
 * previous, points_per_logit, target, operating_point (threshold, eta,
 * precision, recall, mqls_per_month) and rounding (max_probability_change
 * and what it was measured on).  A number that is not finite is null.
 * Belongs to the caller (cJSON_Delete).  NULL when out of memory.
 */
cJSON *mql_points_provenance(const mql_points *p, const mql_model *m,
			     const mql_points_provenance_info *info);

/*
 * The summary for people, onto fp: the threshold and its target, points
 * per logit, the expected precision and recall on the rows the model's
 * operating points were measured on, the history's MQLs per month and
 * what rounding costs.  Returns 0 or MQL_ERR_IO.
 */
int mql_points_summary_write(FILE *fp, const mql_points *p, const mql_model *m,
			     const mql_points_provenance_info *info,
			     mql_error *err);

/* ---- the run of mql-rules --------------------------------------------- */

/* What a run is asked (pointers borrowed). */
typedef struct mql_points_run_options {
	const char *model_path;	   /* model.json */
	const char *previous_path; /* the rule file in use, or NULL */
	const char *name;	   /* of the new rule file; NULL: "fitted by
				      mql-rules" */
	int refit_all; /* 1: no previous points kept (keep_supported) */
	mql_points_options points;
	const char *target; /* how the threshold is chosen, in words */
	/* the history, or history_path NULL: none */
	const char *history_path, *events_path;
	const mql_csv_options *csv;
	double per_month;      /* capacity in MQLs per month; 0: none */
	int capacity_months;   /* see mql_points_capacity */
	double window_days;    /* stage window of the rows' labels */
	const char *rows_path; /* the rows as CSV (mql_points_history_write)
				  through mql_outfile, or NULL */
} mql_points_run_options;

/* What a run made; released by mql_points_run_release. */
typedef struct mql_points_run {
	mql_model *model;
	mql_rules *previous; /* the rule file in use, or NULL */
	mql_points *points;
	mql_rules *rules; /* the new rule file, its provenance included */
	mql_points_changes changes; /* against previous */
	mql_points_capacity_result capacity;
	int has_capacity;
	mql_points_evaluation evaluation; /* on the history's rows */
	int has_evaluation;
	mql_points_provenance_info info; /* for mql_points_summary_write */
} mql_points_run;

/*
 * Reads the model (and the rule file in use), turns it into points with
 * o->points, keeps the previous points the history cannot tell from the
 * fit (unless refit_all), and, with a history, sets the threshold by
 * capacity (per_month > 0) and measures the rounding on the model's rows
 * rebuilt from it; then builds the rule file and the changes against the
 * previous one.  Returns 0, or the readers', the fit's and the history's
 * errors with err filled (what the model cannot give names model_path).
 * Release out after an error too.
 */
int mql_points_run_make(mql_points_run *out, const mql_points_run_options *o,
			mql_error *err);

/* Frees what r holds.  r may be NULL. */
void mql_points_run_release(mql_points_run *r);

#endif
