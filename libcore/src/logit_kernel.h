/*
 * logit_kernel.h - the numerical core of logit.c (private to libcore).
 *
 * The kernel works on a standardized view of the design: the intercept and
 * the kept (non-aliased) columns, each centered and scaled,
 *     z_i = (1, (x_i[keep_0] - center_1) / scale_1, ...),
 * built block by block from the caller's row-major matrix and never stored
 * whole, so memory stays O(block * m + m^2).  Standardizing keeps X'WX well
 * conditioned whatever the columns' units; MLE and Firth estimates are
 * equivariant under it, and the L2 penalty is mapped into it exactly.
 *
 * Coefficients here are in the standardized space; logit.c maps them (and
 * the covariance) back to the caller's units.
 */
#ifndef MQLCAL_LOGIT_KERNEL_H
#define MQLCAL_LOGIT_KERNEL_H

#include <stddef.h>

/* The standardized working design (read-only view; owns nothing). */
struct logit_design {
	size_t n_rows;
	size_t n_cols;		     /* columns of the caller's x */
	const double *x;	     /* n_rows * n_cols, row-major */
	const double *y;	     /* 0/1 */
	const double *weights;	     /* prior weights, NULL = 1 */
	size_t m;		     /* working columns: intercept + kept */
	const size_t *keep;	     /* m - 1 caller column indices */
	const double *center;	     /* m entries, center[0] unused */
	const double *scale;	     /* m entries, scale[0] unused */
	const double *inverse_scale; /* m entries: 1 / scale */
	int keep_all;		     /* keep is 0, 1, ..., n_cols - 1 */
	const double *penalty;	     /* m diagonal L2 entries (penalty[0] = 0);
					NULL = none */
};

/* What a fit in the standardized space produced. */
struct logit_fit {
	double *beta;	       /* m coefficients */
	double *covariance;    /* m * m, inverse of the (penalized)
				  information at beta */
	double log_likelihood; /* unpenalized */
	double edf;	       /* trace(H (H + penalty)^-1), H = X'WX: m
				  without a penalty */
	int iterations;
	int converged;
	int diverged;	     /* 1: a coefficient ran away (separation) */
	size_t extreme_rows; /* rows with p within 1e-10 of 0 or 1 */
};

/* How to iterate. */
struct logit_control {
	int max_iterations;
	double tolerance;
	double runaway;		 /* |scaled coefficient| that means separation;
				    0 = never stop for it */
	const int *is_indicator; /* m flags: 0/1 column (spread 1) */
};

/* Kernel status: 0, or one of these. */
enum {
	LOGIT_KERNEL_NOMEM = -1,
	LOGIT_KERNEL_SINGULAR = -2, /* X'WX not positive definite */
};

/* Allocates fit's arrays for m columns; returns 0 or LOGIT_KERNEL_NOMEM. */
int mql_logit_kernel_alloc(struct logit_fit *fit, size_t m);

/* Frees fit's arrays (fit may be NULL). */
void mql_logit_kernel_release(struct logit_fit *fit);

/*
 * Penalized IRLS from R's starting values (mu = (w y + 1/2) / (w + 1)),
 * with step halving.  Fills fit; returns 0, LOGIT_KERNEL_NOMEM or
 * LOGIT_KERNEL_SINGULAR.  A runaway coefficient (separation) stops the
 * iteration early with fit->diverged set (when control->runaway > 0).
 */
int mql_logit_kernel_irls(struct logit_fit *fit, const struct logit_design *d,
			  const struct logit_control *control);

/*
 * Firth's penalized likelihood by modified-score Newton steps (logistf's
 * algorithm: step capped at 5, halved while the penalized likelihood
 * falls).  Returns as mql_logit_kernel_irls.
 */
int mql_logit_kernel_firth(struct logit_fit *fit, const struct logit_design *d,
			   const struct logit_control *control);

/* Scratch for mql_logit_kernel_firth_point (opaque). */
struct logit_workspace;

/* A workspace for m working columns into *out; 0 or LOGIT_KERNEL_NOMEM. */
int mql_logit_kernel_workspace_new(struct logit_workspace **out, size_t m);

/* Frees a workspace; workspace may be NULL. */
void mql_logit_kernel_workspace_free(struct logit_workspace *workspace);

/*
 * Firth's penalized log-likelihood log L + 1/2 log det I at the m working
 * coefficients beta into *penalized, its gradient (the modified score
 * X'(w (y - p) + h (1/2 - p))) into score (m values) and the information
 * I = X'WX into information (m * m, both triangles), for fits that
 * iterate on their own (the profile of logit_profile.c).  d must have no
 * L2 penalty.  Returns 0 or LOGIT_KERNEL_SINGULAR (I not positive
 * definite).
 */
int mql_logit_kernel_firth_point(double *penalized, double *score,
				 double *information,
				 struct logit_workspace *workspace,
				 const struct logit_design *d,
				 const double *beta);

/* |coefficient| x spread of working column k (k >= 1) of beta. */
double mql_logit_kernel_scaled(const struct logit_design *d,
			       const struct logit_control *control,
			       const double *beta, size_t k);

#endif
