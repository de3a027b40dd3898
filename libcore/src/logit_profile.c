/*
 * logit_profile.c - profile penalized-likelihood intervals and p-values of
 * a Firth fit (see logit_profile.h).
 *
 * The profile works on the working design without centering (columns
 * x / scale), where the intercept and each slope are single coordinates:
 * b_0 = beta_0 and b_j = beta_j / scale_j.  The map from the centered
 * design has determinant 1, so PL is the same function of the model.
 */
#include "logit_profile.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

/* Fisher-scoring steps of one constrained fit, and step halvings. */
#define MAX_STEPS    200
#define MAX_HALVINGS 30

/* logistf's cap on a step (maxstep). */
#define MAX_STEP 5.0

/* A constrained fit has converged when its Newton decrement (squared
   distance to the optimum in standard errors) is below this: PL is then
   within about 1e-14 of its maximum. */
#define DECREMENT_TOLERANCE 1e-14

/* Newton steps on the signed root, and its tolerance. */
#define MAX_ROOT_STEPS 100
#define ROOT_TOLERANCE 1e-10
#define MAX_EXPANSION  60

/* PL at a point, its gradient and information. */
struct point {
	double penalized;
	double *beta;	     /* m */
	double *score;	     /* m */
	double *information; /* m * m */
};

/* Everything the profile of one model holds. */
struct profile {
	struct logit_design d; /* uncentered */
	struct logit_workspace *ws;
	size_t m;
	double *zero_center; /* m zeros */
	struct point at, trial;
	double *reduced;  /* (m - 1)^2 or m^2 */
	double *gradient; /* m */
	double *step;	  /* m */
	double *best;	  /* m: the unconstrained optimum */
	double best_penalized;
	double *start; /* m: the last constrained optimum */
};

static int point_init(struct point *p, size_t m)
{
	p->beta = calloc(m, sizeof(double));
	p->score = calloc(m, sizeof(double));
	p->information = calloc(m * m, sizeof(double));
	return p->beta && p->score && p->information ? 0 : LOGIT_KERNEL_NOMEM;
}

static void point_release(struct point *p)
{
	free(p->beta);
	free(p->score);
	free(p->information);
}

static void profile_release(struct profile *p)
{
	mql_logit_kernel_workspace_free(p->ws);
	free(p->zero_center);
	point_release(&p->at);
	point_release(&p->trial);
	free(p->reduced);
	free(p->gradient);
	free(p->step);
	free(p->best);
	free(p->start);
}

static int profile_init(struct profile *p, const struct logit_design *d)
{
	size_t m = d->m;
	memset(p, 0, sizeof *p);
	p->m = m;
	p->d = *d;
	p->zero_center = calloc(m, sizeof(double));
	p->reduced = calloc(m * m, sizeof(double));
	p->gradient = calloc(m, sizeof(double));
	p->step = calloc(m, sizeof(double));
	p->best = calloc(m, sizeof(double));
	p->start = calloc(m, sizeof(double));
	int status = point_init(&p->at, m) | point_init(&p->trial, m);
	if (status || !p->zero_center || !p->reduced || !p->gradient ||
	    !p->step || !p->best || !p->start)
		return LOGIT_KERNEL_NOMEM;
	p->d.center = p->zero_center;
	return mql_logit_kernel_workspace_new(&p->ws, m);
}

static int evaluate(struct point *out, struct profile *p)
{
	return mql_logit_kernel_firth_point(&out->penalized, out->score,
					    out->information, p->ws, &p->d,
					    out->beta);
}

/*
 * The Fisher-scoring step on every coefficient but fixed (m: none) at
 * p->at: solves I_FF step_F = U*_F into p->step (0 at fixed) and returns
 * the decrement U*_F' step_F, or -1 when I_FF is not positive definite.
 */
static double scoring_step(struct profile *p, size_t fixed)
{
	size_t m = p->m, f = 0;
	for (size_t i = 0; i < m; i++) {
		if (i == fixed)
			continue;
		size_t g = 0;
		for (size_t j = 0; j < m; j++)
			if (j != fixed)
				p->reduced[f * (m - (fixed < m)) + g++] =
					p->at.information[i * m + j];
		p->gradient[f++] = p->at.score[i];
	}
	gsl_matrix_view a = gsl_matrix_view_array(p->reduced, f, f);
	gsl_vector_view b = gsl_vector_view_array(p->gradient, f);
	if (gsl_linalg_cholesky_decomp1(&a.matrix) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_svx(&a.matrix, &b.vector) != GSL_SUCCESS)
		return -1.0;
	double decrement = 0.0, largest = 0.0;
	for (size_t i = 0, g = 0; i < m; i++) {
		p->step[i] = i == fixed ? 0.0 : p->gradient[g++];
		decrement += p->step[i] * p->at.score[i];
		largest = fmax(largest, fabs(p->step[i]));
	}
	if (!isfinite(decrement))
		return -1.0;
	if (largest > MAX_STEP)
		for (size_t i = 0; i < m; i++)
			p->step[i] *= MAX_STEP / largest;
	return decrement;
}

/* Swaps p->at and p->trial. */
static void accept_trial(struct profile *p)
{
	struct point kept = p->at;
	p->at = p->trial;
	p->trial = kept;
}

/*
 * Maximizes PL over every coefficient but fixed (m: none) from p->at.beta,
 * whose coefficient fixed holds its value; p->at ends at the optimum.
 * Returns 0, or LOGIT_KERNEL_SINGULAR when the start cannot be evaluated
 * or the fit does not converge.
 */
static int maximize(struct profile *p, size_t fixed)
{
	size_t m = p->m;
	int status = evaluate(&p->at, p);
	for (int iter = 0; !status && iter < MAX_STEPS; iter++) {
		double decrement = scoring_step(p, fixed);
		if (decrement < 0)
			return LOGIT_KERNEL_SINGULAR;
		if (decrement < DECREMENT_TOLERANCE)
			return 0;
		double rounding = 1e-13 * (fabs(p->at.penalized) + 1.0);
		int accepted = 0;
		for (int h = 0; !accepted && h <= MAX_HALVINGS; h++) {
			for (size_t i = 0; i < m; i++)
				p->trial.beta[i] =
					p->at.beta[i] + ldexp(p->step[i], -h);
			accepted = evaluate(&p->trial, p) == 0 &&
				   p->trial.penalized >=
					   p->at.penalized - rounding;
		}
		if (!accepted)
			return decrement < 1e-10 ? 0 : LOGIT_KERNEL_SINGULAR;
		accept_trial(p);
	}
	return status ? status : LOGIT_KERNEL_SINGULAR;
}

/*
 * The signed root r(t) of coefficient k at t, from a constrained fit that
 * starts at p->start; *slope = dr/dt.  p->start moves to the optimum.
 */
static int signed_root(double *root, double *slope, struct profile *p, size_t k,
		       double t)
{
	size_t m = p->m;
	memcpy(p->at.beta, p->start, m * sizeof(double));
	p->at.beta[k] = t;
	int status = maximize(p, k);
	if (status)
		return status;
	memcpy(p->start, p->at.beta, m * sizeof(double));
	double drop = 2.0 * (p->best_penalized - p->at.penalized);
	double size = sqrt(fmax(drop, 0.0));
	*root = t >= p->best[k] ? size : -size;
	*slope = size > 0 ? -p->at.score[k] / *root : INFINITY;
	return 0;
}

/*
 * The bound of coefficient k on side (+1 upper, -1 lower): the t with
 * r(t) = side * MQL_LOGIT_Z95, starting from the Wald bound at
 * best[k] + side * Z * se.  Newton steps on r, inside a bracket that only
 * shrinks (doubling outward until it closes), bisection when a step would
 * leave it.
 */
static int profile_bound(double *out, struct profile *p, size_t k, int side,
			 double se)
{
	double target = side * MQL_LOGIT_Z95;
	double inner = p->best[k], outer = NAN;
	double t = inner + target * se;
	memcpy(p->start, p->best, p->m * sizeof(double));
	for (int i = 0; i < MAX_ROOT_STEPS + MAX_EXPANSION; i++) {
		double root = 0.0, slope = 0.0;
		int status = signed_root(&root, &slope, p, k, t);
		if (status)
			return status;
		double diff = root - target;
		if (fabs(diff) < ROOT_TOLERANCE) {
			*out = t;
			return 0;
		}
		if (side * diff < 0)
			inner = t;
		else
			outer = t;
		double next = t - diff / slope;
		if (isnan(outer)) {
			/* not yet bracketed: go outward, at most doubling */
			double reach = 2.0 * (t - p->best[k]);
			if (!(side * (next - t) > 0) ||
			    side * (next - p->best[k]) > side * reach)
				next = p->best[k] + reach;
		} else if (!(side * (next - inner) > 0 &&
			     side * (outer - next) > 0)) {
			next = inner + (outer - inner) / 2;
		}
		if (!isnan(outer) &&
		    fabs(outer - inner) <= 4 * DBL_EPSILON * fmax(fabs(t), 1)) {
			*out = next;
			return 0;
		}
		t = next;
	}
	return LOGIT_KERNEL_SINGULAR;
}

/* The penalized likelihood-ratio p-value of coefficient k = 0. */
static int profile_p(double *out, struct profile *p, size_t k)
{
	double root = 0.0, slope = 0.0;
	memcpy(p->start, p->best, p->m * sizeof(double));
	int status = signed_root(&root, &slope, p, k, 0.0);
	if (!status)
		*out = gsl_cdf_chisq_Q(root * root, 1.0);
	return status;
}

/* The standard error of working coefficient k at the optimum. */
static double working_se(struct profile *p, size_t k)
{
	size_t m = p->m;
	memcpy(p->reduced, p->at.information, m * m * sizeof(double));
	gsl_matrix_view a = gsl_matrix_view_array(p->reduced, m, m);
	if (gsl_linalg_cholesky_decomp1(&a.matrix) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_invert(&a.matrix) != GSL_SUCCESS)
		return NAN;
	return sqrt(p->reduced[k * m + k]);
}

/* The unconstrained optimum in the uncentered coordinates, from fit. */
static int find_best(struct profile *p, const struct logit_design *d,
		     const double *beta)
{
	size_t m = p->m;
	p->at.beta[0] = beta[0];
	for (size_t k = 1; k < m; k++) {
		p->at.beta[0] -= beta[k] * d->center[k] * d->inverse_scale[k];
		p->at.beta[k] = beta[k];
	}
	int status = maximize(p, m);
	if (status)
		return status;
	memcpy(p->best, p->at.beta, m * sizeof(double));
	p->best_penalized = p->at.penalized;
	return 0;
}

int mql_logit_profile(mql_logit_result *model, const struct fit_context *ctx,
		      const struct logit_design *d, const struct logit_fit *fit)
{
	struct profile p;
	size_t m = d->m;
	int status = profile_init(&p, d);
	if (!status)
		status = find_best(&p, d, fit->beta);
	double *low = calloc(m, sizeof(double));
	double *high = calloc(m, sizeof(double));
	double *pvalue = calloc(m, sizeof(double));
	if (!status && (!low || !high || !pvalue))
		status = LOGIT_KERNEL_NOMEM;
	for (size_t k = 0; !status && k < m; k++) {
		double se = working_se(&p, k);
		if (!(se > 0))
			status = LOGIT_KERNEL_SINGULAR;
		if (!status)
			status = profile_bound(&low[k], &p, k, -1, se);
		if (!status)
			status = profile_bound(&high[k], &p, k, +1, se);
		if (!status)
			status = profile_p(&pvalue[k], &p, k);
		/* back at the optimum for the next standard error */
		memcpy(p.at.beta, p.best, m * sizeof(double));
		if (!status)
			status = evaluate(&p.at, &p);
	}
	for (size_t k = 0; !status && k < m; k++) {
		size_t i = k == 0 ? 0 : ctx->keep[k - 1] + 1;
		double unit = k == 0 ? 1.0 : d->inverse_scale[k];
		model->coef[i].ci_low = low[k] * unit;
		model->coef[i].ci_high = high[k] * unit;
		model->coef[i].p = pvalue[k];
	}
	if (!status)
		model->interval = MQL_LOGIT_PROFILE;
	free(low);
	free(high);
	free(pvalue);
	profile_release(&p);
	return status;
}
