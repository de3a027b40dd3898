/*
 * logit.h - binary logistic regression on a dense design matrix.
 *
 * The engine fits P(y = 1 | x) = 1 / (1 + exp(-(b0 + x'b))) by Newton/IRLS
 * on the full log-likelihood, as R's glm(family = binomial) does: the
 * deviance criterion |dev - dev_old| / (|dev| + 0.1) < tolerance (1e-8 by
 * default), step halving when the (penalized) deviance rises, at most
 * max_iterations (25 by default) Newton steps.  X'WX is built with BLAS
 * (dsyrk over row blocks) and solved by Cholesky; the covariance of the
 * estimates is its inverse.  It knows nothing about leads: it takes arrays.
 *
 * Design: n_rows x n_cols, row-major, WITHOUT the intercept column; the
 * engine adds the intercept itself.  Coefficient 0 of a result is always the
 * intercept, coefficient j + 1 belongs to design column j.
 *
 * Aliased columns (a copy or a linear combination of the intercept and the
 * columns before it, including constant and all-zero columns) are found
 * before the fit by a pivoted Cholesky of the weighted Gram matrix of the
 * centered columns, in column order (as R's QR does: the later column of a
 * collinear set is the one dropped).  They are left out of the fit, flagged
 * `aliased`, their numbers are 0 (R reports NA), and a warning names them.
 *
 * Separation (the maximum-likelihood estimate does not exist) is detected
 * before the fit - a column of one sign (indicator, count, decayed count)
 * whose rows with a non-zero value are all positives or all negatives, or
 * a 0/1 column whose rows with value 0 are (quasi-complete separation) -
 * and during it: a coefficient whose size times its column's
 * spread (standard deviation; 1 for indicators) exceeds 25, that is an odds
 * ratio beyond e^25 per unit of spread.  Separated columns are flagged and
 * named in a warning.  With method MQL_LOGIT_AUTO the model is then refitted
 * by Firth's penalized likelihood (Firth 1993; Heinze & Schemper 2002, as R
 * logistf): log L(b) + 1/2 log det I(b).  It removes the first-order bias of
 * the MLE and its estimates are always finite; for a single 0/1 column it
 * equals the log odds ratio of the 2x2 table with 1/2 added to each cell.
 * Firth's fit reports standard errors and z from I(b)^-1 at its estimates,
 * and, as logistf does by default, p-values and 95% intervals from the
 * profile of the penalized likelihood (logit_profile.h): the penalized
 * likelihood-ratio test of b_j = 0, and the b_j within qchisq(0.95, 1) / 2
 * of the maximum once the other coefficients are refitted (interval =
 * MQL_LOGIT_PROFILE) when the input asks for it (profile = 1) and the
 * work (rows x coefficients^3) is within MQL_LOGIT_PROFILE_BUDGET, else
 * Wald with a warning saying why.  Every other fit reports Wald inference: p
 * from z, estimate +- 1.959964 SE (MQL_LOGIT_WALD).  The log-likelihood
 * reported is the unpenalized one at the estimates.  Firth's steps (I^-1 times
 * the modified score, as logistf) converge only linearly near separation, so
 * each is followed by a secant correction along it, it gets twice
 * max_iterations, and it stops when, besides the deviance criterion, the Newton
 * decrement is below 1e-14 (estimates within about 1e-7 standard errors of the
 * optimum).
 *
 * L2: with l2 = lambda > 0 the fit maximizes log L(b) - lambda/2 ||b||^2,
 * where b excludes the intercept (never penalized).  The covariance is then
 * (X'WX + lambda D)^-1, D = diag(0, 1, ..., 1): standard errors from the
 * penalized Hessian.  The AIC counts the effective degrees of freedom
 * edf = trace(X'WX (X'WX + lambda D)^-1) in place of the number of
 * coefficients (Hastie & Tibshirani's effective number of parameters, as
 * mgcv counts a penalized fit's).  A ridge fit keeps
 * estimates finite on its own, so it is not switched to Firth; separation
 * is still detected and warned about.
 *
 * Prior weights w_i >= 0 multiply row i's log-likelihood (frequency
 * weights); rows with weight 0 are ignored.  The log-likelihood is
 * sum w_i [y_i log p_i + (1 - y_i) log(1 - p_i)], deviance = -2 log L,
 * AIC = deviance + 2k with k = the number of estimated coefficients
 * (intercept included, aliased columns not), or edf with l2.
 *
 * Guarantees: every number in a result is finite (no NaN, no infinity);
 * degenerate input is refused with a status and a message (see
 * mql_logit_fit), never fitted silently.
 *
 * Ownership: a result from mql_logit_fit belongs to the caller and is freed
 * with mql_logit_result_free, which also frees every string and array in it.
 * The input's arrays are only read, and need not outlive the call.
 */
#ifndef MQLCAL_LOGIT_H
#define MQLCAL_LOGIT_H

#include <stddef.h>

#include <mqlcal/error.h>

/*
 * The standard normal's 97.5% quantile (R: qnorm(0.975)), the z of every
 * two-sided 95% Wald interval: the coefficients' here, and the AUC's in
 * validate.h.
 */
#define MQL_LOGIT_Z95 1.959963984540054

/*
 * The largest rows x (coefficients)^3 whose Firth fit is profiled: about
 * 15 seconds of one core (each coefficient costs a few dozen passes over
 * the rows, each of rows x coefficients^2).
 */
#define MQL_LOGIT_PROFILE_BUDGET 1e9

/* How the coefficients are estimated. */
enum mql_logit_method {
	MQL_LOGIT_AUTO = 0,  /* MLE; Firth when separation is found */
	MQL_LOGIT_MLE = 1,   /* maximum likelihood only, even if separated */
	MQL_LOGIT_FIRTH = 2, /* Firth's penalized likelihood from the start */
	MQL_LOGIT_RIDGE = 3, /* L2-penalized (what l2 > 0 reports) */
};

/* What a coefficient's p-value and 95% interval are. */
enum mql_logit_interval {
	MQL_LOGIT_WALD = 0,    /* estimate +- z SE; p from z */
	MQL_LOGIT_PROFILE = 1, /* profile penalized likelihood (Firth) */
};

/* What to fit.  Zero-initialize, then fill; zeros select the defaults. */
typedef struct mql_logit_input {
	size_t n_rows;		  /* observations */
	size_t n_cols;		  /* design columns, intercept excluded */
	const double *x;	  /* n_rows * n_cols, row-major; NULL if 0 */
	const double *y;	  /* n_rows outcomes, each 0.0 or 1.0 */
	const double *weights;	  /* n_rows prior weights >= 0, NULL = 1 */
	const char *const *names; /* n_cols column names, NULL = "x1".. */
	double l2;		  /* ridge lambda >= 0 (0 = none) */
	enum mql_logit_method method; /* MQL_LOGIT_AUTO by default */
	int max_iterations;	      /* Newton steps; 0 = 25 */
	double tolerance;	      /* deviance criterion; 0 = 1e-8 */
	int profile; /* 1: after Firth, profile intervals and p-values
			(a few dozen refits per coefficient); 0: Wald,
			for fits used only to predict */
} mql_logit_input;

/* One coefficient: the intercept (index 0) or a design column. */
typedef struct mql_logit_coef {
	char *name;	  /* "(Intercept)" or the column name (owned) */
	double estimate;  /* log-odds change per unit of the column */
	double std_error; /* sqrt of the covariance diagonal */
	double z;	  /* estimate / std_error */
	double p;	  /* two-sided p-value (see interval) */
	double ci_low;	  /* 95% interval (see interval) */
	double ci_high;
	double odds_ratio; /* exp(estimate), capped at DBL_MAX */
	double support;	   /* weighted rows where the column is non-zero */
	int aliased;	   /* 1: dropped as collinear, numbers are 0 */
	int separated;	   /* 1: separation detected on this column */
} mql_logit_coef;

/* A fitted model. */
typedef struct mql_logit_result {
	size_t n_coef;	       /* n_cols + 1 (intercept first) */
	mql_logit_coef *coef;  /* n_coef entries */
	double *covariance;    /* n_coef * n_coef row-major; aliased rows
				  and columns are 0 */
	double n_obs;	       /* sum of prior weights */
	double positives;      /* sum of weights of rows with y = 1 */
	size_t rank;	       /* estimated coefficients (k of the AIC) */
	double log_likelihood; /* unpenalized, at the estimates */
	double deviance;       /* -2 log_likelihood */
	double null_deviance;  /* deviance of the intercept-only model */
	double edf;	       /* effective degrees of freedom: rank, or
				  with l2 trace(H (H + lambda D)^-1) */
	double aic;	       /* deviance + 2 edf */
	double l2;	       /* the lambda used */
	int iterations;	       /* Newton steps of the final fit */
	int converged;	       /* 1 when the criterion was met */
	enum mql_logit_method method; /* MLE, FIRTH or RIDGE: what was used */
	enum mql_logit_interval interval; /* what p and the CIs are */
	size_t n_warnings;
	char **warnings; /* n_warnings messages naming the columns */
} mql_logit_result;

/*
 * Fits the model described by in.  On success *out holds a new result
 * (free with mql_logit_result_free) and MQL_OK is returned; problems that
 * still allow a fit (aliased or separated columns, no convergence, fitted
 * probabilities of 0 or 1) are in the result's warnings.
 *
 * Errors (*out left NULL, err filled):
 *   MQL_ERR_USAGE  - NULL arguments, l2 < 0, a bad method, names missing
 *                    where needed;
 *   MQL_ERR_INPUT  - no rows (or all weights 0), y not 0/1, a weight
 *                    negative or not finite, a design value not finite,
 *                    or every row with the same outcome (no positives or
 *                    no negatives: nothing to learn from);
 *   MQL_ERR_NOMEM  - allocation failed;
 *   MQL_ERR_INTERNAL - the linear algebra failed even after the fallbacks
 *                    (Firth, then a small ridge).
 */
int mql_logit_fit(mql_logit_result **out, const mql_logit_input *in,
		  mql_error *err);

/* Frees a result and everything it owns.  model may be NULL. */
void mql_logit_result_free(mql_logit_result *model);

/*
 * Linear predictor and probability for n_rows rows of a design with the
 * same n_cols columns as the model was fitted on (intercept excluded;
 * aliased columns contribute nothing).  eta_out and/or prob_out may be NULL;
 * each, when given, receives n_rows values.  Returns MQL_OK, or
 * MQL_ERR_USAGE when n_cols does not match the model or model is NULL.
 * Cannot fail otherwise.
 */
int mql_logit_predict(double *eta_out, double *prob_out,
		      const mql_logit_result *model, const double *x,
		      size_t n_rows, size_t n_cols, mql_error *err);

/* 1 / (1 + exp(-eta)), computed without overflow for any finite eta. */
double mql_logit_inverse(double eta);

/* "wald" or "profile".  Never NULL. */
const char *mql_logit_interval_name(enum mql_logit_interval interval);

/* "mle", "firth", "ridge" or "auto". Never NULL. */
const char *mql_logit_method_name(enum mql_logit_method method);

#endif
