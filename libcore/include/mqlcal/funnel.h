/*
 * funnel.h - the lead funnel: stage counts, stage-to-stage conversion and
 * time to qualify, per group of leads.
 *
 * Groups are formed from up to two columns of the contacts table (channel,
 * campaign, or any property) and optionally the creation cohort (the month
 * or quarter of created_at).  A missing value forms its own group, labelled
 * "(none)".  Groups are sorted by cohort, then by label, "(none)" last; the
 * total over every lead follows them.
 *
 * Everything is seen as of one time, as_of (by default the latest date in
 * the table): a lead created later is left out, a stage dated later has not
 * happened yet.
 *
 * Counts: leads, and leads that reached MQL, SAL, SQL, opportunity and
 * customer (the stage's date is set and not after as_of).  SAL is the
 * table's acceptance (mql_acceptance: reached SQL when the export has no
 * SAL stage).  A rejection without a date counts as rejected at any as_of.
 *
 * Conversion of a step A -> B: among the leads that reached A, the share
 * that reached B, with its Wilson 95% interval (z = 1.959964).  A group
 * with no lead at A has rate and interval NAN ("no data", never 0).
 *
 * Time to a stage, in days, by Kaplan-Meier (survival.h):
 *  - to MQL: from created_at; leads not yet MQL are censored at as_of;
 *  - MQL to SAL and MQL to SQL: from mql_at; a lead sales rejected cannot
 *    be accepted: its rejection is a competing outcome, not a censoring
 *    (a rejection with no date, known from the lead status alone, gives
 *    no time: the MQL is left out of these two waits),
 *    and the curve is the Aalen-Johansen estimate (survival.h), so 1 -
 *    S(t) is the share of MQLs accepted by t and the median is the time by
 *    which half of them were (not reached when fewer than half ever are).
 * Beside each curve's median, the plain median among the leads that
 * reached the stage (median_reached, of events leads): defined whenever one
 * did, it says how long those that get there take, not how long a lead
 * waits, and is labelled so wherever it is shown.
 * Stages out of order (mql_contacts_stages_out_of_order: a later funnel
 * stage dated before an earlier one, or a rejection dated before its MQL):
 * the lead counts at every stage it has a date for, but gives no wait at
 * all (each wait it would give is counted in negative_waits), so one wrong
 * date cannot move a median; such leads are counted per group.
 *
 * Ownership: mql_funnel_compute returns a funnel the caller frees with
 * mql_funnel_free; it holds no pointer into the contacts table.
 */
#ifndef MQLCAL_FUNNEL_H
#define MQLCAL_FUNNEL_H

#include <stddef.h>

#include <mqlcal/contacts.h>
#include <mqlcal/error.h>
#include <mqlcal/survival.h>
#include <mqlcal/timeparse.h>

#define MQL_WILSON_Z95	  1.959964
#define MQL_FUNNEL_MAX_BY 2

/* The counted stages, in funnel order. */
enum mql_funnel_count {
	MQL_FUNNEL_LEADS,
	MQL_FUNNEL_MQL,
	MQL_FUNNEL_SAL,
	MQL_FUNNEL_SQL,
	MQL_FUNNEL_OPPORTUNITY,
	MQL_FUNNEL_CUSTOMER,
	MQL_FUNNEL_COUNTS
};

/* The conversion steps, in the order of the report's columns. */
enum mql_funnel_step {
	MQL_STEP_LEAD_TO_MQL,
	MQL_STEP_MQL_TO_SAL,
	MQL_STEP_MQL_TO_SQL,
	MQL_STEP_SQL_TO_OPPORTUNITY,
	MQL_STEP_OPPORTUNITY_TO_CUSTOMER,
	MQL_STEP_MQL_TO_CUSTOMER,
	MQL_FUNNEL_STEPS
};

/* The waits measured by Kaplan-Meier. */
enum mql_funnel_wait {
	MQL_WAIT_TO_MQL,
	MQL_WAIT_MQL_TO_SAL,
	MQL_WAIT_MQL_TO_SQL,
	MQL_FUNNEL_WAITS
};

typedef enum mql_cohort {
	MQL_COHORT_NONE,
	MQL_COHORT_MONTH,
	MQL_COHORT_QUARTER
} mql_cohort;

/* A proportion with its Wilson interval; NAN throughout when trials = 0. */
typedef struct mql_rate {
	size_t successes, trials;
	double rate, low, high;
} mql_rate;

typedef struct mql_wait {
	size_t subjects, events; /* leads measured, and those that got there */
	double median, p90;	 /* days; NAN = not reached or no subjects */
	double median_reached;	 /* days: the median wait of the events
				    leads alone (R's median: the mean of the
				    middle two when even); NAN when none */
	mql_survival *curve;	 /* the whole curve, only for MQL_WAIT_TO_MQL
				    with keep_curves, else NULL */
} mql_wait;

typedef struct mql_funnel_group {
	char **labels; /* label_count texts; "all" in the total */
	size_t count[MQL_FUNNEL_COUNTS];
	size_t rejected;     /* leads rejected by sales by as_of */
	size_t out_of_order; /* leads with stages dated out of order */
	mql_rate step[MQL_FUNNEL_STEPS];
	mql_wait wait[MQL_FUNNEL_WAITS];
} mql_funnel_group;

typedef struct mql_funnel_options {
	const char *by[MQL_FUNNEL_MAX_BY]; /* column names: "channel", ... */
	size_t by_count;		   /* 0 = the total alone */
	mql_cohort cohort;
	mql_time as_of;	 /* MQL_TIME_NONE = the latest date in the table */
	int keep_curves; /* keep the time-to-MQL curves (for charts) */
} mql_funnel_options;

typedef struct mql_funnel {
	size_t label_count; /* cohort (if any) + by_count */
	char **label_names; /* "cohort", then the by column names */
	size_t group_count; /* groups, not counting the total */
	mql_funnel_group *groups;
	mql_funnel_group total;
	mql_time as_of;		    /* the time used (NONE: no dates at all) */
	size_t created_after_as_of; /* leads left out */
	size_t negative_waits;	    /* waits of leads with stages out of
				       order, left out */
	mql_acceptance acceptance;  /* what the sal counts stand for */
	size_t undated_rejections;  /* rejections with no date (left out of
				       the waits from MQL) */
} mql_funnel;

/* Fills opt with no grouping, no cohort, as_of NONE, no curves. */
void mql_funnel_options_init(mql_funnel_options *opt);

/*
 * Computes the funnel of contacts.  Returns MQL_OK, MQL_ERR_USAGE (a by
 * column that is not in the table; err names it and the columns there are),
 * MQL_ERR_NOMEM.  *out belongs to the caller: mql_funnel_free.
 */
int mql_funnel_compute(mql_funnel **out, const mql_contacts *contacts,
		       const mql_funnel_options *opt, mql_error *err);

/* Frees the funnel.  f may be NULL. */
void mql_funnel_free(mql_funnel *f);

/*
 * The Wilson score interval of x successes in n trials with normal quantile
 * z: the rate x / n and [low, high] inside [0, 1] (exactly 0 when x = 0 and
 * 1 when x = n).  n = 0 gives NAN for all three.  x > n is clamped to n.
 */
mql_rate mql_funnel_wilson(size_t x, size_t n, double z);

/* Column names of the report: "leads", "lead_to_mql"... */
const char *mql_funnel_count_name(int count);
const char *mql_funnel_step_name(int step);

#endif
