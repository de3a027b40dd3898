/*
 * fit_internal.h - what the files of the joint fit of half-lives and
 * weights share (fit_halflife_joint.c sets it up and reports it,
 * fit_halflife_scan.c reads the events, fit_halflife_newton.c maximizes).
 *
 * The column of an engagement rule with half-life h = e^theta is
 * x(theta) = min(cap, D), D = sum over its events of 2^(-a/h) (a = age in
 * days at the row's decision time).  With u = a/h,
 *   dD/dtheta   = ln2 sum 2^-u u,
 *   d2D/dtheta2 = ln2^2 sum 2^-u u^2 - ln2 sum 2^-u u,
 * both 0 where the cap binds.  Each evaluation at new half-lives reads the
 * events file again and keeps, per row and rule, the three sums (in fixed
 * point, so that the order the events come in does not change a bit):
 * memory grows with rows x rules, never with events.
 */
#ifndef MQLCAL_FIT_INTERNAL_H
#define MQLCAL_FIT_INTERNAL_H

#include <mqlcal/fit.h>

#include <stdint.h>

#define FIT_JOINT_FIXED_ONE 1099511627776.0 /* 2^40, as the features' */
#define FIT_JOINT_SUMS	    3		    /* sum w, sum w u, sum w u^2 */
#define FIT_JOINT_MIN_DAYS  0.5 /* below: fixed there, not estimated */
#define FIT_JOINT_MAX_STEPS 50	/* Newton steps at most */

/* What became of an engagement rule's half-life. */
enum fit_joint_state {
	FIT_JOINT_FITTED,     /* estimated: theta is a parameter */
	FIT_JOINT_NO_DECAY,   /* the likelihood rises toward no decay */
	FIT_JOINT_AT_LOWER,   /* heads below MIN_DAYS: the grid's choice */
	FIT_JOINT_NOT_FITTED, /* column aliased: the grid's choice stays */
	FIT_JOINT_RUNAWAY     /* its weight runs away: the grid's choice */
};

/* Why the Newton iteration stopped. */
enum fit_joint_stop {
	FIT_JOINT_STOP_NONE,	  /* it did not */
	FIT_JOINT_STOP_DECREMENT, /* the Newton decrement is negligible */
	FIT_JOINT_STOP_KINKS,	  /* the steps stall on the cap's kinks */
	FIT_JOINT_STOP_NO_ASCENT  /* no step raises the log-likelihood */
};

struct mql_fit_joint {
	mql_features *f;
	const mql_population *p;
	const double *weights;
	const mql_fit_options *opt;
	size_t rules;	     /* engagement rules */
	int *state;	     /* per rule: enum fit_joint_state */
	int *grid;	     /* per rule: the grid's variant */
	double *half_life;   /* per rule, days (while fitted or at lower) */
	int64_t *sums;	     /* rows x rules x SUMS, 2^-40 units */
	double *dx, *d2x;    /* rows x rules: derivatives in theta */
	int32_t *member_of;  /* contacts row -> member, -1 */
	mql_time *horizon;   /* per member */
	int32_t *type_of;    /* per rule: its event type's id in the scan */
	double *beta;	     /* 1 + columns */
	double *start_beta;  /* the fit at the grid's choice */
	int *aliased;	     /* per column */
	size_t params;	     /* free betas then free thetas */
	size_t *beta_param;  /* 1 + columns: index, SIZE_MAX if fixed */
	size_t *theta_param; /* per rule: index, SIZE_MAX if fixed */
	double *grad, *fisher, *observed, *step, *covariance;
	double log_likelihood;
	double kept;   /* fraction of its step the last step kept */
	int stale;     /* columns moved since the last scan (derivatives old) */
	double *ci;    /* per rule: profile limits of theta, low and high */
	double *share; /* per rule: var of theta, other thetas fixed, over
			* its joint var (1 when not estimated) */
	int profiled;  /* 1: ci holds profile limits */
	double *weight_span; /* 1 + columns: the lowest and highest weight
			      * the profile over any one half-life supports
			      * (+inf, -inf: none) */
	double *zero_reach;  /* 2 x (1 + columns): the least level (a drop)
			      * at which one of those values reaches down
			      * to 0, and up to 0 (+inf: none) */
	int iterations, converged, expected_information;
	int stop; /* enum fit_joint_stop */
	int polish_rounds;
	size_t scans;
};

/* Gives each rule the type id its event gets in the scans. */
void fit_joint_bind_types(struct mql_fit_joint *j);

/*
 * Reads the events at the current half-lives and refills the fitted
 * rules' columns of f->x, their support and derivatives.  Returns 0 or an
 * error of the reader.
 */
int fit_joint_scan(struct mql_fit_joint *j, mql_error *err);

/* Numbers the free parameters: betas not aliased, then fitted thetas. */
void fit_joint_number_params(struct mql_fit_joint *j);

/* log(1 + e^eta) without overflow. */
double fit_joint_log1p_exp(double eta);

/* The (penalized) log-likelihood at the current parameters and columns. */
double fit_joint_log_likelihood(const struct mql_fit_joint *j);

/*
 * Cholesky of the n x n matrix in factor (overwritten); with solution, the
 * step solving it against gradient; with invert, its inverse in place.
 * Returns 0, or -1 when the matrix is not positive definite.
 */
int fit_joint_cholesky(double *factor, size_t n, const double *gradient,
		       double *solution, int invert);

/* The inverse, in place, of the matrix whose Cholesky factor
 * fit_joint_cholesky left in factor.  Returns 0 or -1. */
int fit_joint_cholesky_invert(double *factor, size_t n);

/*
 * Newton's method on (beta, theta) from the current point.  Returns 0,
 * MQL_ERR_INTERNAL when it does not converge or the information is
 * singular (err says which), or an error of reading the events.
 */
int fit_joint_newton(struct mql_fit_joint *j, mql_error *err);

/*
 * The covariance at the current point: the inverse observed information
 * (Fisher's when that is not positive definite), reading the events again
 * first if j->stale.  Returns 0, MQL_ERR_INTERNAL when both are singular,
 * or an error of reading the events.
 */
int fit_joint_covariance(struct mql_fit_joint *j, mql_error *err);

/* Half-lives probed per rule by one read of the events. */
#define FIT_JOINT_PROBES 2

/*
 * Reads the events once and fills counts (rows x rules x FIT_JOINT_PROBES,
 * 2^-40 units) with each row's decayed count of each rule's events at the
 * half-lives days[rule * FIT_JOINT_PROBES + k] (INFINITY: no decay; 0 or
 * NaN: not probed, left 0).  Returns 0 or an error of the reader.
 */
int fit_joint_probe(struct mql_fit_joint *j, const double *days,
		    int64_t *counts, mql_error *err);

/*
 * After Newton's method stopped on the caps' kinks: a pattern search of
 * each fitted log half-life (the weights refitted at each probe) moves to
 * the highest log-likelihood it finds.  Returns 0, or an error of reading
 * the events or MQL_ERR_NOMEM.
 */
int fit_joint_polish(struct mql_fit_joint *j, mql_error *err);

/*
 * Each rule's j->share from the covariance.  Returns 0 or MQL_ERR_NOMEM.
 */
int fit_joint_shares(struct mql_fit_joint *j);

/*
 * Each fitted or no-decay rule's 95% profile-likelihood interval of its
 * log half-life into j->ci (infinite limits allowed), the others at their
 * estimates and the weights refitted, its drop scaled by j->share so that
 * it is the joint profile's where the log-likelihood is quadratic in the
 * other half-lives.  Returns 0, or an error of reading the events or
 * MQL_ERR_NOMEM.
 */
int fit_joint_profile(struct mql_fit_joint *j, mql_error *err);

#endif
