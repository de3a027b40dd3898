/*
 * population.h - who is in a fit, what counts as success, and when the
 * decision was made.
 *
 * A fit population is a list of contact rows, each with a 0/1 label and a
 * decision time: the moment the lead was handed to sales (mql_at).  The
 * features of a row are computed as of its decision time, so nothing that
 * happened after the hand-off can leak into the model.  MQL_TIME_NONE as a
 * decision time means "no hand-off known": every event counts, up to the
 * caller's as_of when one was given (only with --outcome, for exports that
 * carry a flag but no dates).
 *
 * Labels (SPEC, mql-fit):
 *   sal          MQLs with a sales decision: accepted (sal_at, see
 *                mql_acceptance) = 1, rejected (rejected_at, or a
 *                rejected lead status without a date) = 0; open ones are
 *                left out.
 *   sql, opportunity, customer
 *                MQLs that reached the stage within window_days of mql_at
 *                = 1; those whose window closed by as_of without it = 0;
 *                those still inside their window are left out.
 *   outcome      a 0/1 (yes/no, true/false) column of contacts.csv: every
 *                contact with a value there is a row.
 * Nothing dated after as_of is known: an MQL after as_of is left out, and a
 * stage reached after as_of counts as not reached yet.
 *
 * The split for validation is part of the population: a time holdout (rows
 * decided on or after holdout_from are the test set) or k stratified folds
 * (deterministic for a seed).
 *
 * Ownership: an mql_population is owned by the caller (mql_population_free);
 * it keeps no pointer into the contacts table.
 */
#ifndef MQLCAL_POPULATION_H
#define MQLCAL_POPULATION_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/contacts.h>
#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

typedef enum mql_label {
	MQL_LABEL_SAL,
	MQL_LABEL_SQL,
	MQL_LABEL_OPPORTUNITY,
	MQL_LABEL_CUSTOMER,
	MQL_LABEL_OUTCOME /* a 0/1 column named by outcome_column */
} mql_label;

/* The stage labels (--label), NULL-ended: mql_label_names[i] names the
 * mql_label i, "sal", "sql", "opportunity", "customer". */
extern const char *const mql_label_names[];

/* Parses an mql_label_names entry, in any case.  Returns 0 or -1. */
int mql_label_parse(const char *name, mql_label *out);

/* "sal", ..., or the outcome column's name for MQL_LABEL_OUTCOME. */
const char *mql_label_name(mql_label label, const char *outcome_column);

typedef struct mql_population_options {
	mql_label label;
	const char *outcome_column; /* for MQL_LABEL_OUTCOME */
	double window_days;	    /* stage window, default 180 */
	mql_time as_of;		    /* NONE = latest date in the table */
} mql_population_options;

/* Fills o with the defaults: sal, 180 days, as_of NONE. */
void mql_population_options_init(mql_population_options *o);

/*
 * The longest stage window, in days: 100 years.  A lead reaches a stage in
 * days or months; a longer window is a typing mistake, and a far longer
 * one (1e20 days) has no time in seconds.
 */
#define MQL_WINDOW_MAX_DAYS 36500

/*
 * Checks a stage window (--window): a number of days > 0 and at most
 * MQL_WINDOW_MAX_DAYS.  Returns 0, or MQL_ERR_USAGE with a message saying
 * what was expected.  mql_population_build checks its window with it;
 * tools call it too, to refuse the option before reading any input.
 */
int mql_population_check_window(double window_days, mql_error *err);

typedef struct mql_population {
	size_t count;
	uint32_t *row;	    /* contact row of each member */
	mql_time *decision; /* mql_at, or NONE = every event counts */
	mql_time *split_at; /* time used by a holdout: decision, else
			       created_at; NONE when neither is known */
	double *y;	    /* 0 or 1 */
	int *fold;	    /* 0 = train, 1 = test for a holdout; 0..k-1 for
			       folds; all 0 before a split */
	size_t positives;
	size_t excluded_open; /* left out: no decision / window still open */
	size_t fold_count;    /* 0 none, 1 holdout, k folds */
	double window_days;   /* the stage window; 0 for sal and outcome */
	mql_time as_of;	      /* the as_of in effect */
	int as_of_given;      /* as_of came from the caller, not the data */
	mql_acceptance acceptance; /* what accepted (label sal) means */
	size_t undated_rejections; /* negatives of label sal rejected by
				      their lead status, without a date */
} mql_population;

/*
 * Builds the population of contacts under opt.  Returns 0; MQL_ERR_USAGE
 * when the table lacks what the label needs (no mql_at column, no such
 * outcome column; err says what); MQL_ERR_INPUT when an outcome cell is not
 * boolean (err names file and line); MQL_ERR_NOMEM.  *out belongs to the
 * caller.
 */
int mql_population_build(mql_population **out, const mql_contacts *contacts,
			 const mql_population_options *opt, mql_error *err);

/*
 * Marks rows whose split time is on or after holdout_from as the test set
 * (fold 1).  Returns 0; MQL_ERR_USAGE when a row has no time to split by or
 * when either side would be empty (err says which).
 */
int mql_population_holdout(mql_population *p, mql_time holdout_from,
			   mql_error *err);

/*
 * Assigns k stratified folds (mql_validate_folds: positives and negatives
 * each dealt in a shuffled round-robin), deterministic for seed.  Returns 0,
 * MQL_ERR_USAGE when k < 2 or k exceeds the smaller class, MQL_ERR_NOMEM.
 */
int mql_population_folds(mql_population *p, size_t k, unsigned long seed,
			 mql_error *err);

/* Frees p.  p may be NULL. */
void mql_population_free(mql_population *p);

#endif
