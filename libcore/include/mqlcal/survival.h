/*
 * survival.h - Kaplan-Meier estimates of time to an event, with
 * right-censoring.
 *
 * An engine: it takes arrays of times and event flags and returns a curve;
 * it knows nothing of leads.  Each subject i has a time[i] >= 0 and
 * event[i] = 1 when the event happened at that time, 0 when the subject was
 * still waiting then (right-censored).  At a time where events and
 * censorings tie, the censored subjects count as at risk for those events,
 * as in R's survival::survfit.
 *
 * The curve has one step per distinct time, events or censorings alike
 * (survfit's rows): S(t) = prod over event times t_i <= t of
 * (1 - d_i / n_i).  Greenwood's variance Var S = S^2 sum d_i / (n_i (n_i -
 * d_i)); the 95% interval is survfit's default "log" transform,
 * exp(log S +- z sqrt(sum d_i / (n_i (n_i - d_i)))), the upper end cut at 1.
 * Where S reaches 0 the interval is not defined (NAN), as survfit's NA.
 *
 * Quantiles: the p-quantile is the first time at which S(t) <= 1 - p (the
 * median p = 0.5, the p90 p = 0.9), and NAN, "not reached", when the curve
 * never gets that low.  survfit differs only where S stays exactly at 1 - p
 * over an interval: it then reports the interval's midpoint; mqlcal reports
 * its start, the first time the share was reached.
 *
 * Competing outcomes (a lead sales rejected can never be accepted): give
 * such subjects event 2 at the time of the competing outcome.  The curve is
 * then the Aalen-Johansen estimate, survfit's multi-state form
 * (Surv(time, factor(status))): the share still without the event is
 * 1 - CIF(t), where CIF(t) = sum over times t_i <= t of S_all(t_i-) d_i /
 * n_i and S_all is the Kaplan-Meier curve of either outcome.  Without any
 * event 2 this is exactly Kaplan-Meier.  Counting a competing outcome as
 * censored instead would assume the subject could still get the event, and
 * overstate how many do and how fast.  With competing outcomes the
 * standard error and interval are not computed (NAN).
 */
#ifndef MQLCAL_SURVIVAL_H
#define MQLCAL_SURVIVAL_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/error.h>

/* qnorm(0.975) in full, as survfit uses it. */
#define MQL_SURVIVAL_Z95 1.959963984540054

typedef struct mql_survival_step {
	double time;	  /* a distinct time */
	size_t at_risk;	  /* subjects with time >= this time */
	size_t events;	  /* events at this time */
	size_t censored;  /* censored at this time */
	size_t competing; /* competing outcomes at this time */
	double survival;  /* S just after this time */
	double std_error; /* Greenwood standard error of S */
	double low, high; /* 95% interval of S (log transform); NAN when S=0 */
} mql_survival_step;

typedef struct mql_survival {
	size_t subjects;  /* n */
	size_t events;	  /* total events */
	size_t competing; /* total competing outcomes */
	size_t step_count;
	mql_survival_step *steps; /* ascending time */
	double median; /* first t with S(t) <= 0.5, NAN = not reached */
	double p90;    /* first t with S(t) <= 0.1, NAN = not reached */
} mql_survival;

/*
 * Fits the curve of n subjects.  time[i] must be finite and >= 0 and
 * event[i] 0 (censored), 1 (event) or 2 (competing outcome), else
 * MQL_ERR_USAGE naming the subject; n = 0 gives an
 * empty curve with NAN quantiles.  Returns MQL_OK, MQL_ERR_USAGE or
 * MQL_ERR_NOMEM.  *out belongs to the caller: mql_survival_free.
 */
int mql_survival_fit(mql_survival **out, const double *time, const int *event,
		     size_t n, mql_error *err);

/*
 * The same fit for integer times: subject i's time is ticks[i] / scale
 * (seconds and 86400 give days), computed as (double)ticks[i] / scale.
 * Integers sort in fewer radix passes than doubles.  ticks[i] must be >= 0
 * (and below 2^61) and scale positive, else MQL_ERR_USAGE.  keep_steps = 0
 * keeps only the counts, median and p90 (step_count 0, steps NULL), which
 * are those of the full fit: no step array is allocated and no interval
 * computed.  Same returns as mql_survival_fit.
 */
int mql_survival_fit_ticks(mql_survival **out, const int64_t *ticks,
			   const int *event, size_t n, double scale,
			   int keep_steps, mql_error *err);

/*
 * mql_survival_fit_ticks from subjects the caller has sorted (so that one
 * sort can serve several fits): keys[i] = ticks << 2 | outcome, ascending
 * by ticks (the order within a tie does not matter).  keys are only read.
 * Unsorted keys, an outcome 3 or a scale that is not positive give
 * MQL_ERR_USAGE.  Same returns as mql_survival_fit.
 */
int mql_survival_fit_sorted_ticks(mql_survival **out, const uint64_t *keys,
				  size_t n, double scale, int keep_steps,
				  mql_error *err);

/*
 * mql_survival_fit_sorted_ticks with later more subjects, censored after
 * the time of the last key: they are counted among the subjects and at
 * risk at every step, and have no steps of their own.  The median, p90,
 * subjects and events are those of the fit with them among the keys, and
 * so are the steps up to the last key's time; a caller may so leave out of
 * its sort the subjects censored after every outcome.
 */
int mql_survival_fit_sorted_ticks_later(mql_survival **out,
					const uint64_t *keys, size_t n,
					size_t later, double scale,
					int keep_steps, mql_error *err);

/* S(t): 1 before the first step; the value of the last step at or before t. */
double mql_survival_at(const mql_survival *s, double t);

/* Frees the curve.  s may be NULL. */
void mql_survival_free(mql_survival *s);

#endif
