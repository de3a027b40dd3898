/*
 * logit_kernel.c - IRLS and Firth iterations over a standardized design
 * (see logit_kernel.h).  Every pass over the rows works on blocks of
 * BLOCK_ROWS rows: the block is built standardized, its linear predictor
 * taken and X'WX accumulated by the kernels of dense.h, which sum in a
 * fixed order so that every x86-64 CPU gives the same bits; the cost per
 * pass is one sweep of n * m^2 / 2 multiply-adds.
 */
#include "logit_kernel.h"

#include "fixed_math.h"

#include "dense.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include <mqlcal/logit.h>

/* Rows per block: large enough to amortize the per-block work, small
   enough that a block of 50-odd columns stays in cache. */
#define BLOCK_ROWS 2048

/* Probabilities this close to 0 or 1 are "numerically 0 or 1". */
#define EXTREME_PROBABILITY 1e-10

/* Step halvings before a step is given up. */
#define MAX_HALVINGS 30

/* logistf's default cap on a Firth step (maxstep). */
#define FIRTH_MAX_STEP 5.0

/* Bounds of the secant correction of a Firth step (see firth_extrapolate):
   a factor within [1/MIN, MIN] of 1 is not worth a pass; factors are kept
   within [1/MAX, MAX]. */
#define FIRTH_MIN_EXTRAPOLATION 1.25
#define FIRTH_MAX_EXTRAPOLATION 10.0

/* Penalized deviances closer than this share of their size are equal to
   rounding (sums of a million terms lose about 1e-13 of their size). */
#define FIRTH_DEVIANCE_ROUNDING 1e-12

/* A Firth fit has converged when, besides the deviance criterion, the
   last step's Newton decrement U*' I^-1 U* - the squared distance to the
   optimum in standard errors, whatever the columns' units - was below
   this: estimates are then within about 1e-7 standard errors. */
#define FIRTH_DECREMENT_TOLERANCE 1e-14

/* Scratch shared by the passes. */
struct workspace {
	size_t m;
	double *hessian;      /* m * m: Z'WZ of the last pass */
	double *factor;	      /* m * m: Cholesky of hessian + penalty */
	double *vector;	      /* m: Z'(W eta + w (y - p)), or Firth's score */
	double *beta_old;     /* m */
	double *beta_new;     /* m */
	double *block;	      /* BLOCK_ROWS * m standardized rows */
	double *scaled;	      /* BLOCK_ROWS * m: rows times sqrt(W) */
	double *eta;	      /* BLOCK_ROWS */
	double *step;	      /* m: Firth's step */
	double *score;	      /* m: Firth's score at beta_old */
	double *saved;	      /* m * m: a factor kept while a trial runs */
	double *spare;	      /* m */
	double *work;	      /* BLOCK_ROWS */
	double *gram_scratch; /* mql_dense_gram_scratch(m) */
	double *exp_part;     /* BLOCK_ROWS: exp(-|eta|) */
	double *log1p_part;   /* BLOCK_ROWS: log1p of exp_part */
};

/* What one pass measured. */
struct pass {
	double log_likelihood;
	size_t extreme_rows;
};

static void workspace_release(struct workspace *ws)
{
	free(ws->hessian);
	free(ws->factor);
	free(ws->vector);
	free(ws->beta_old);
	free(ws->beta_new);
	free(ws->block);
	free(ws->scaled);
	free(ws->eta);
	free(ws->step);
	free(ws->score);
	free(ws->saved);
	free(ws->spare);
	free(ws->work);
	free(ws->gram_scratch);
	free(ws->exp_part);
	free(ws->log1p_part);
	memset(ws, 0, sizeof *ws);
}

/* Allocates the scratch for m working columns; 0 or LOGIT_KERNEL_NOMEM. */
static int workspace_init(struct workspace *ws, size_t m)
{
	memset(ws, 0, sizeof *ws);
	ws->m = m;
	ws->hessian = calloc(m * m, sizeof(double));
	ws->factor = calloc(m * m, sizeof(double));
	ws->vector = calloc(m, sizeof(double));
	ws->beta_old = calloc(m, sizeof(double));
	ws->beta_new = calloc(m, sizeof(double));
	ws->block = calloc(BLOCK_ROWS * m, sizeof(double));
	ws->scaled = calloc(BLOCK_ROWS * m, sizeof(double));
	ws->eta = calloc(BLOCK_ROWS, sizeof(double));
	ws->step = calloc(m, sizeof(double));
	ws->score = calloc(m, sizeof(double));
	ws->saved = calloc(m * m, sizeof(double));
	ws->spare = calloc(m, sizeof(double));
	ws->work = calloc(BLOCK_ROWS, sizeof(double));
	ws->gram_scratch = malloc(mql_dense_gram_scratch(m) * sizeof(double));
	ws->exp_part = malloc(BLOCK_ROWS * sizeof(double));
	ws->log1p_part = malloc(BLOCK_ROWS * sizeof(double));
	if (!ws->hessian || !ws->factor || !ws->vector || !ws->beta_old ||
	    !ws->beta_new || !ws->block || !ws->scaled || !ws->eta ||
	    !ws->work || !ws->step || !ws->score || !ws->saved || !ws->spare ||
	    !ws->gram_scratch || !ws->exp_part || !ws->log1p_part) {
		workspace_release(ws);
		return LOGIT_KERNEL_NOMEM;
	}
	return 0;
}

int mql_logit_kernel_alloc(struct logit_fit *fit, size_t m)
{
	memset(fit, 0, sizeof *fit);
	fit->beta = calloc(m, sizeof(double));
	fit->covariance = calloc(m * m, sizeof(double));
	if (!fit->beta || !fit->covariance) {
		mql_logit_kernel_release(fit);
		return LOGIT_KERNEL_NOMEM;
	}
	return 0;
}

void mql_logit_kernel_release(struct logit_fit *fit)
{
	if (!fit)
		return;
	free(fit->beta);
	free(fit->covariance);
	fit->beta = NULL;
	fit->covariance = NULL;
}

static double row_weight(const struct logit_design *d, size_t row)
{
	return d->weights ? d->weights[row] : 1.0;
}

/* Builds rows [row0, row0 + rows) of the standardized design into out. */
static void fill_block(double *out, const struct logit_design *d, size_t row0,
		       size_t rows)
{
	size_t m = d->m;
	const double *center = d->center, *inverse = d->inverse_scale;
	for (size_t i = 0; i < rows; i++) {
		double *z = out + i * m;
		z[0] = 1.0;
		if (m == 1)
			continue; /* the intercept alone: no design to read */
		const double *x = d->x + (row0 + i) * d->n_cols;
		if (d->keep_all) {
			/* contiguous: the compiler can vectorize this */
			for (size_t k = 1; k < m; k++)
				z[k] = (x[k - 1] - center[k]) * inverse[k];
		} else {
			for (size_t k = 1; k < m; k++)
				z[k] = (x[d->keep[k - 1]] - center[k]) *
				       inverse[k];
		}
	}
}

/*
 * p = 1 / (1 + exp(-eta)), q = 1 - p and log(1 + exp(eta)), from
 * e = exp(-|eta|) and log1p(e), each accurate and finite for any finite
 * eta.
 */
static void logistic_parts(double eta, double e, double log1p_e, double *p,
			   double *q, double *softplus)
{
	double inverse = 1.0 / (1.0 + e);
	*p = eta >= 0 ? inverse : e * inverse;
	*q = eta >= 0 ? e * inverse : inverse;
	*softplus = (eta > 0 ? eta : 0.0) + log1p_e;
}

/*
 * exp(-|eta|) and its log1p for a block's rows, in loops of their own: the
 * rows are independent, so the processor overlaps their long chains of
 * multiplications, which it cannot do inside the per-row loop.
 */
static void exponentials(double *e, double *log1p_e, const double *eta,
			 size_t rows)
{
	for (size_t i = 0; i < rows; i++)
		e[i] = mql_fixed_exp(-fabs(eta[i]));
	for (size_t i = 0; i < rows; i++)
		log1p_e[i] = mql_fixed_log1p(e[i]);
}

/*
 * One pass at coefficients beta (or, when beta is NULL, at R's starting
 * values): the log-likelihood, ws->hessian = Z'WZ and ws->vector =
 * Z'(W eta + w (y - p)), the right-hand side of the IRLS normal equations.
 * Cannot fail.
 */
static void accumulate(struct pass *out, struct workspace *ws,
		       const struct logit_design *d, const double *beta)
{
	size_t m = d->m;
	memset(ws->hessian, 0, m * m * sizeof(double));
	memset(ws->vector, 0, m * sizeof(double));
	out->log_likelihood = 0.0;
	out->extreme_rows = 0;
	for (size_t row0 = 0; row0 < d->n_rows; row0 += BLOCK_ROWS) {
		size_t rows = d->n_rows - row0;
		if (rows > BLOCK_ROWS)
			rows = BLOCK_ROWS;
		fill_block(ws->block, d, row0, rows);
		if (beta)
			mql_dense_rows_dot(ws->eta, ws->block, rows, m, beta);
		else
			for (size_t i = 0; i < rows; i++) {
				/* R's binomial()$initialize */
				double w = row_weight(d, row0 + i);
				double mu =
					(w * d->y[row0 + i] + 0.5) / (w + 1.0);
				ws->eta[i] = mql_fixed_log(mu / (1.0 - mu));
			}
		exponentials(ws->exp_part, ws->log1p_part, ws->eta, rows);
		for (size_t i = 0; i < rows; i++) {
			double w = row_weight(d, row0 + i);
			double y = d->y[row0 + i];
			double eta = ws->eta[i], p, q, log_one_plus;
			logistic_parts(eta, ws->exp_part[i], ws->log1p_part[i],
				       &p, &q, &log_one_plus);
			double irls_weight = w * p * q;
			out->log_likelihood += w * (y * eta - log_one_plus);
			if (w > 0 && (p < EXTREME_PROBABILITY ||
				      q < EXTREME_PROBABILITY))
				out->extreme_rows++;
			ws->work[i] = irls_weight * eta + w * (y - p);
			double root = sqrt(irls_weight);
			const double *z = ws->block + i * m;
			double *s = ws->scaled + i * m;
			for (size_t k = 0; k < m; k++)
				s[k] = z[k] * root;
		}
		mql_dense_columns_dot(ws->vector, ws->block, rows, m, ws->work);
		mql_dense_gram_upper(ws->hessian, ws->scaled, rows, m,
				     ws->gram_scratch);
	}
}

/*
 * ws->factor = Cholesky of ws->hessian + penalty; *log_det = log det of
 * that matrix.  Returns 0 or LOGIT_KERNEL_SINGULAR.
 */
static int factorize(struct workspace *ws, const struct logit_design *d,
		     double *log_det)
{
	size_t m = d->m;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			ws->factor[i * m + j] = i <= j ? ws->hessian[i * m + j]
						       : ws->hessian[j * m + i];
	if (d->penalty)
		for (size_t k = 0; k < m; k++)
			ws->factor[k * m + k] += d->penalty[k];
	gsl_matrix_view view = gsl_matrix_view_array(ws->factor, m, m);
	if (gsl_linalg_cholesky_decomp1(&view.matrix) != GSL_SUCCESS)
		return LOGIT_KERNEL_SINGULAR;
	double sum = 0.0;
	for (size_t k = 0; k < m; k++) {
		double diagonal = ws->factor[k * m + k];
		if (!(diagonal > 0) || !isfinite(diagonal))
			return LOGIT_KERNEL_SINGULAR;
		sum += mql_fixed_log(diagonal);
	}
	if (log_det)
		*log_det = 2.0 * sum;
	return 0;
}

/* Solves (factor) out = rhs.  Returns 0 or LOGIT_KERNEL_SINGULAR. */
static int solve(double *out, struct workspace *ws, const double *rhs)
{
	size_t m = ws->m;
	gsl_matrix_const_view factor =
		gsl_matrix_const_view_array(ws->factor, m, m);
	gsl_vector_const_view b = gsl_vector_const_view_array(rhs, m);
	gsl_vector_view x = gsl_vector_view_array(out, m);
	if (gsl_linalg_cholesky_solve(&factor.matrix, &b.vector, &x.vector) !=
	    GSL_SUCCESS)
		return LOGIT_KERNEL_SINGULAR;
	for (size_t k = 0; k < m; k++)
		if (!isfinite(out[k]))
			return LOGIT_KERNEL_SINGULAR;
	return 0;
}

/* fit->covariance = inverse of the factored matrix. */
static int invert(struct logit_fit *fit, struct workspace *ws)
{
	size_t m = ws->m;
	memcpy(fit->covariance, ws->factor, m * m * sizeof(double));
	gsl_matrix_view view = gsl_matrix_view_array(fit->covariance, m, m);
	if (gsl_linalg_cholesky_invert(&view.matrix) != GSL_SUCCESS)
		return LOGIT_KERNEL_SINGULAR;
	for (size_t k = 0; k < m * m; k++)
		if (!isfinite(fit->covariance[k]))
			return LOGIT_KERNEL_SINGULAR;
	return 0;
}

/* -2 log L plus the L2 term sum penalty_k beta_k^2. */
static double penalized_deviance(const struct logit_design *d,
				 double log_likelihood, const double *beta)
{
	double deviance = -2.0 * log_likelihood;
	if (d->penalty)
		for (size_t k = 0; k < d->m; k++)
			deviance += d->penalty[k] * beta[k] * beta[k];
	return deviance;
}

double mql_logit_kernel_scaled(const struct logit_design *d,
			       const struct logit_control *control,
			       const double *beta, size_t k)
{
	/* beta[k] is per standard deviation; an indicator's spread is 1. */
	double size = fabs(beta[k]);
	if (control->is_indicator && control->is_indicator[k])
		size /= d->scale[k];
	return size;
}

static int runaway(const struct logit_design *d,
		   const struct logit_control *control, const double *beta)
{
	if (!(control->runaway > 0))
		return 0;
	for (size_t k = 1; k < d->m; k++)
		if (mql_logit_kernel_scaled(d, control, beta, k) >
		    control->runaway)
			return 1;
	return 0;
}

/* R's relative deviance change. */
static double relative_change(double deviance, double old)
{
	return fabs(deviance - old) / (fabs(deviance) + 0.1);
}

/*
 * trace(H (H + penalty)^-1): H = ws->hessian (upper triangle), the
 * inverse in covariance.  The number of coefficients without a penalty.
 */
static double effective_df(const struct workspace *ws, const double *covariance)
{
	size_t m = ws->m;
	double trace = 0.0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			trace += (i <= j ? ws->hessian[i * m + j]
					 : ws->hessian[j * m + i]) *
				 covariance[j * m + i];
	return trace;
}

int mql_logit_kernel_irls(struct logit_fit *fit, const struct logit_design *d,
			  const struct logit_control *control)
{
	struct workspace ws;
	struct pass pass;
	size_t m = d->m;
	int status = workspace_init(&ws, m);
	if (status)
		return status;
	accumulate(&pass, &ws, d, NULL);
	double old_deviance = -2.0 * pass.log_likelihood;
	fit->converged = 0;
	fit->diverged = 0;
	fit->iterations = 0;
	for (int iter = 1; iter <= control->max_iterations; iter++) {
		status = factorize(&ws, d, NULL);
		if (!status)
			status = solve(ws.beta_new, &ws, ws.vector);
		if (status)
			goto done;
		accumulate(&pass, &ws, d, ws.beta_new);
		double deviance =
			penalized_deviance(d, pass.log_likelihood, ws.beta_new);
		/* Halve the step while the deviance rises (R's glm.fit). */
		for (int halving = 0;
		     iter > 1 && halving < MAX_HALVINGS &&
		     (deviance - old_deviance) / (0.1 + fabs(deviance)) >=
			     control->tolerance;
		     halving++) {
			for (size_t k = 0; k < m; k++)
				ws.beta_new[k] =
					(ws.beta_new[k] + ws.beta_old[k]) / 2;
			accumulate(&pass, &ws, d, ws.beta_new);
			deviance = penalized_deviance(d, pass.log_likelihood,
						      ws.beta_new);
		}
		memcpy(ws.beta_old, ws.beta_new, m * sizeof(double));
		fit->iterations = iter;
		if (runaway(d, control, ws.beta_new)) {
			fit->diverged = 1;
			break;
		}
		double change = relative_change(deviance, old_deviance);
		old_deviance = deviance;
		if (change < control->tolerance) {
			fit->converged = 1;
			break;
		}
	}
	/* The last pass was at the accepted coefficients. */
	status = factorize(&ws, d, NULL);
	if (!status)
		status = invert(fit, &ws);
	if (status)
		goto done;
	fit->edf = effective_df(&ws, fit->covariance);
	memcpy(fit->beta, ws.beta_old, m * sizeof(double));
	fit->log_likelihood = pass.log_likelihood;
	fit->extreme_rows = pass.extreme_rows;
done:
	workspace_release(&ws);
	return status;
}

/*
 * Firth's modified score at beta, whose information is factored in
 * ws->factor: Z'(w (y - p) + h (1/2 - p)), h_i the diagonal of the hat
 * matrix W^1/2 Z (Z'WZ)^-1 Z' W^1/2, into ws->vector.  Cannot fail.
 */
static void firth_score(struct workspace *ws, const struct logit_design *d,
			const double *beta)
{
	size_t m = d->m;
	memset(ws->vector, 0, m * sizeof(double));
	for (size_t row0 = 0; row0 < d->n_rows; row0 += BLOCK_ROWS) {
		size_t rows = d->n_rows - row0;
		if (rows > BLOCK_ROWS)
			rows = BLOCK_ROWS;
		fill_block(ws->block, d, row0, rows);
		mql_dense_rows_dot(ws->eta, ws->block, rows, m, beta);
		for (size_t i = 0; i < rows; i++) {
			double p = mql_logit_inverse(ws->eta[i]);
			double root =
				sqrt(row_weight(d, row0 + i) * p * (1.0 - p));
			for (size_t k = 0; k < m; k++)
				ws->scaled[i * m + k] =
					ws->block[i * m + k] * root;
		}
		/* Row i becomes (L^-1 sqrt(W_i) z_i)'; h_i is its square. */
		mql_dense_solve_lower_rows(ws->scaled, rows, m, ws->factor);
		for (size_t i = 0; i < rows; i++) {
			double w = row_weight(d, row0 + i);
			double y = d->y[row0 + i];
			double p = mql_logit_inverse(ws->eta[i]);
			double hat = 0.0;
			for (size_t k = 0; k < m; k++)
				hat += ws->scaled[i * m + k] *
				       ws->scaled[i * m + k];
			ws->work[i] = w * (y - p) + hat * (0.5 - p);
		}
		mql_dense_columns_dot(ws->vector, ws->block, rows, m, ws->work);
	}
}

/*
 * Evaluates Firth's penalized deviance -2 log L - log det I at beta,
 * leaving I factored in ws->factor.  Returns 0 or LOGIT_KERNEL_SINGULAR.
 */
static int firth_evaluate(double *deviance, struct pass *pass,
			  struct workspace *ws, const struct logit_design *d,
			  const double *beta)
{
	double log_det = 0.0;
	accumulate(pass, ws, d, beta);
	int status = factorize(ws, d, &log_det);
	if (status)
		return status;
	*deviance = -2.0 * pass->log_likelihood - log_det;
	return 0;
}

/* Scales step down so that no entry exceeds FIRTH_MAX_STEP. */
static void cap_step(double *step, size_t m)
{
	double largest = 0.0;
	for (size_t k = 0; k < m; k++)
		if (fabs(step[k]) > largest)
			largest = fabs(step[k]);
	if (largest > FIRTH_MAX_STEP)
		for (size_t k = 0; k < m; k++)
			step[k] *= FIRTH_MAX_STEP / largest;
}

/* The intercept-only start: logit of the weighted positive share. */
static void null_start(double *beta, const struct logit_design *d)
{
	double total = 0.0, positives = 0.0;
	for (size_t i = 0; i < d->n_rows; i++) {
		total += row_weight(d, i);
		positives += row_weight(d, i) * d->y[i];
	}
	memset(beta, 0, d->m * sizeof(double));
	beta[0] = mql_fixed_log(positives / (total - positives));
}

static double dot(const double *a, const double *b, size_t m)
{
	double sum = 0.0;
	for (size_t k = 0; k < m; k++)
		sum += a[k] * b[k];
	return sum;
}

/*
 * Firth's steps use I, not the penalized likelihood's own curvature, so
 * near a separated fit they can fall short (shrinking geometrically) or
 * overshoot (oscillating about the optimum).  Each full step is therefore
 * followed by a secant guess along it: where the score's slope along the
 * step - slope_before at the old point, ws->score's at the new one - would
 * reach 0.  The guess is kept only if it lowers the penalized deviance.
 * *deviance, ws->score and ws->factor follow what is kept.  Returns 0 (a
 * failed guess is not an error).
 */
static int firth_extrapolate(struct workspace *ws, struct pass *pass,
			     const struct logit_design *d, double *deviance,
			     double slope_before)
{
	size_t m = d->m;
	double slope_after = dot(ws->step, ws->score, m);
	if (!(slope_before > 0) || !(slope_after < slope_before))
		return 0;
	double factor = slope_before / (slope_before - slope_after);
	if (factor > 1.0 / FIRTH_MIN_EXTRAPOLATION &&
	    factor < FIRTH_MIN_EXTRAPOLATION)
		return 0;
	if (factor > FIRTH_MAX_EXTRAPOLATION)
		factor = FIRTH_MAX_EXTRAPOLATION;
	if (factor < 1.0 / FIRTH_MAX_EXTRAPOLATION)
		factor = 1.0 / FIRTH_MAX_EXTRAPOLATION;
	struct pass kept = *pass;
	double *trial = ws->beta_old; /* reused: beta_old = beta_new - step */
	for (size_t k = 0; k < m; k++)
		trial[k] = ws->beta_new[k] + (factor - 1.0) * ws->step[k];
	/* the decrement at beta_new, should deviances tie within rounding */
	double decrement_new = 0.0;
	if (solve(ws->spare, ws, ws->score) == 0)
		decrement_new = dot(ws->spare, ws->score, m);
	memcpy(ws->saved, ws->factor, m * m * sizeof(double));
	double guess = 0.0;
	int status = firth_evaluate(&guess, pass, ws, d, trial);
	double rounding = FIRTH_DEVIANCE_ROUNDING * (fabs(*deviance) + 1.0);
	int keep = !status && guess < *deviance - rounding;
	if (!status && !keep && guess <= *deviance + rounding) {
		/* Deviances equal to rounding: the smaller decrement wins. */
		firth_score(ws, d, trial);
		keep = solve(ws->spare, ws, ws->vector) == 0 &&
		       dot(ws->spare, ws->vector, m) < decrement_new;
		if (keep)
			memcpy(ws->score, ws->vector, m * sizeof(double));
	} else if (keep) {
		firth_score(ws, d, trial);
		memcpy(ws->score, ws->vector, m * sizeof(double));
	}
	if (!keep) {
		memcpy(ws->factor, ws->saved, m * m * sizeof(double));
		*pass = kept;
		return 0;
	}
	memcpy(ws->beta_new, trial, m * sizeof(double));
	*deviance = guess;
	return 0;
}

/*
 * One Firth step from ws->beta_old (score in ws->score, information
 * factored) to ws->beta_new, halved while the penalized deviance rises,
 * then extrapolated; on return ws->score and ws->factor belong to
 * ws->beta_new.  *deviance is updated; *decrement is the Newton decrement
 * of the full step.  Returns 0 or a kernel status.
 */
static int firth_step(struct workspace *ws, struct pass *pass,
		      const struct logit_design *d,
		      const struct logit_control *control, double *deviance,
		      double *decrement)
{
	size_t m = d->m;
	int status = solve(ws->step, ws, ws->score);
	if (status)
		return status;
	*decrement = dot(ws->step, ws->score, m);
	cap_step(ws->step, m);
	double slope_before = dot(ws->step, ws->score, m);
	double trial = 0.0;
	int halved = 0;
	for (size_t k = 0; k < m; k++)
		ws->beta_new[k] = ws->beta_old[k] + ws->step[k];
	status = firth_evaluate(&trial, pass, ws, d, ws->beta_new);
	while (halved < MAX_HALVINGS &&
	       (status || (trial - *deviance) / (0.1 + fabs(trial)) >=
				  control->tolerance)) {
		for (size_t k = 0; k < m; k++) {
			ws->step[k] /= 2;
			ws->beta_new[k] = ws->beta_old[k] + ws->step[k];
		}
		halved++;
		status = firth_evaluate(&trial, pass, ws, d, ws->beta_new);
	}
	if (status)
		return status;
	firth_score(ws, d, ws->beta_new);
	memcpy(ws->score, ws->vector, m * sizeof(double));
	*deviance = trial;
	if (halved)
		return 0;
	return firth_extrapolate(ws, pass, d, deviance, slope_before);
}

int mql_logit_kernel_firth(struct logit_fit *fit, const struct logit_design *d,
			   const struct logit_control *control)
{
	struct workspace ws;
	struct pass pass;
	size_t m = d->m;
	double deviance = 0.0;
	int status = workspace_init(&ws, m);
	if (status)
		return status;
	fit->converged = 0;
	fit->diverged = 0;
	fit->iterations = 0;
	null_start(ws.beta_old, d);
	status = firth_evaluate(&deviance, &pass, &ws, d, ws.beta_old);
	if (!status) {
		firth_score(&ws, d, ws.beta_old);
		memcpy(ws.score, ws.vector, m * sizeof(double));
	}
	for (int iter = 1; !status && iter <= control->max_iterations; iter++) {
		double before = deviance, decrement = 0.0;
		status = firth_step(&ws, &pass, d, control, &deviance,
				    &decrement);
		if (status)
			break;
		memcpy(ws.beta_old, ws.beta_new, m * sizeof(double));
		fit->iterations = iter;
		if (relative_change(deviance, before) < control->tolerance &&
		    decrement < FIRTH_DECREMENT_TOLERANCE) {
			fit->converged = 1;
			break;
		}
	}
	if (!status)
		status = invert(fit, &ws);
	if (!status) {
		memcpy(fit->beta, ws.beta_old, m * sizeof(double));
		fit->edf = (double)m;
		fit->log_likelihood = pass.log_likelihood;
		fit->extreme_rows = pass.extreme_rows;
	}
	workspace_release(&ws);
	return status;
}

/* The scratch of mql_logit_kernel_firth_point, opaque to its callers. */
struct logit_workspace {
	struct workspace ws;
};

int mql_logit_kernel_workspace_new(struct logit_workspace **out, size_t m)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return LOGIT_KERNEL_NOMEM;
	if (workspace_init(&(*out)->ws, m)) {
		free(*out);
		*out = NULL;
		return LOGIT_KERNEL_NOMEM;
	}
	return 0;
}

void mql_logit_kernel_workspace_free(struct logit_workspace *workspace)
{
	if (!workspace)
		return;
	workspace_release(&workspace->ws);
	free(workspace);
}

int mql_logit_kernel_firth_point(double *penalized, double *score,
				 double *information,
				 struct logit_workspace *workspace,
				 const struct logit_design *d,
				 const double *beta)
{
	struct workspace *ws = &workspace->ws;
	struct pass pass;
	double deviance = 0.0;
	size_t m = d->m;
	int status = firth_evaluate(&deviance, &pass, ws, d, beta);
	if (status)
		return status;
	*penalized = -deviance / 2.0;
	firth_score(ws, d, beta);
	memcpy(score, ws->vector, m * sizeof(double));
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			information[i * m + j] =
				i <= j ? ws->hessian[i * m + j]
				       : ws->hessian[j * m + i];
	return 0;
}
