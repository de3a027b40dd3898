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
 *   contact only its peak score over those times is kept; MQLs per month =
 *   MQLs / months of history (first created_at to as-of).
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

typedef struct mql_points_capacity_result {
	double threshold;      /* chosen integer threshold */
	double mqls_per_month; /* at that threshold */
	double months;	       /* length of the history */
	long contacts;	       /* contacts replayed */
} mql_points_capacity_result;

/*
 * The lowest integer threshold at which the rules (their own threshold is
 * ignored) make at most per_month MQLs per month over the history.
 * Errors: MQL_ERR_USAGE (per_month <= 0), MQL_ERR_INPUT (no dates, so no
 * months), the readers' and scorer's errors, MQL_ERR_NOMEM.
 */
int mql_points_capacity(mql_points_capacity_result *out, const mql_rules *rules,
			const mql_contacts *contacts, const char *events_path,
			const mql_csv_options *csv, double per_month,
			mql_error *err);

/*
 * Reads a capacity given as MQLs per month, "120" or "120/month", into
 * *per_month.  Returns 0, or -1 (*per_month unspecified) when text is not a
 * finite number above 0, alone or followed by "/month".
 */
int mql_points_capacity_parse(const char *text, double *per_month);

#endif
