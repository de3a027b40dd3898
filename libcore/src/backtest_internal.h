/*
 * backtest_internal.h - what the replay (backtest.c) hands to the period
 * tables (backtest_periods.c).  Not installed.
 */
#ifndef MQLCAL_BACKTEST_INTERNAL_H
#define MQLCAL_BACKTEST_INTERNAL_H

#include <mqlcal/backtest.h>
#include <mqlcal/score.h>

/* Per contact and rule file (0 old, 1 new), all sized contacts->count. */
typedef struct backtest_replay {
	const mql_contacts *contacts;
	mql_scorer *scorer[2];
	mql_time as_of;
	mql_time horizon_seconds;
	double threshold[2];
	mql_time *crossing[2];	   /* first crossing, NONE = not an MQL */
	double *decision_score[2]; /* score at the decision, NAN = none */
	double *horizon_score[2];  /* score at created_at + horizon, NAN */
	unsigned char *seen;	   /* the contact had events */
} backtest_replay;

/* The time sales decided on row (its mql_at), NONE without a decision. */
mql_time backtest_decision_time(const mql_contacts *c, size_t row);

/* Builds the per-period rows and the comparison from a finished replay. */
int backtest_tabulate(mql_backtest **out, const backtest_replay *r,
		      const mql_backtest_options *opt, mql_error *err);

#endif
