/* fit_halflife_newton.c - Newton's method on the weights and log
 * half-lives together, and their covariance (see fit_internal.h). */
#include "fit_internal.h"
#include "fixed_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include <mqlcal/score.h>

#define MAX_HALVINGS   12
#define MAX_READS      60   /* of the events file: bounds the time */
#define MAX_THETA_STEP 1.0  /* in log days */
#define STALL_MOVE     0.01 /* standard errors */
#define STALL_GAIN     1e-3 /* log-likelihood */

/* --- the likelihood and its derivatives --------------------------------- */

static double row_eta(const struct mql_fit_joint *j, size_t i)
{
	const mql_features *f = j->f;
	double eta = j->beta[0];
	for (size_t c = 0; c < f->columns; c++)
		eta += j->beta[c + 1] * f->x[i * f->columns + c];
	return eta;
}

double fit_joint_log1p_exp(double eta)
{
	return eta > 0 ? eta + mql_fixed_log1p(mql_fixed_exp(-eta))
		       : mql_fixed_log1p(mql_fixed_exp(eta));
}

/* The (penalized) log-likelihood at the current parameters and columns. */
double fit_joint_log_likelihood(const struct mql_fit_joint *j)
{
	double sum = 0;
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (w > 0) {
			double eta = row_eta(j, i);
			sum += w *
			       (j->p->y[i] * eta - fit_joint_log1p_exp(eta));
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++)
		sum -= 0.5 * j->opt->l2 * j->beta[c] * j->beta[c];
	return sum;
}

void fit_joint_number_params(struct mql_fit_joint *j)
{
	size_t n = 0;
	for (size_t c = 0; c <= j->f->columns; c++)
		j->beta_param[c] =
			c == 0 || !j->aliased[c - 1] ? n++ : SIZE_MAX;
	for (size_t r = 0; r < j->rules; r++)
		j->theta_param[r] =
			j->state[r] == FIT_JOINT_FITTED ? n++ : SIZE_MAX;
	j->params = n;
}

/* d eta_i / d each free parameter into row. */
static void row_jacobian(const struct mql_fit_joint *j, size_t i, double *row)
{
	const mql_features *f = j->f;
	for (size_t c = 0; c <= f->columns; c++)
		if (j->beta_param[c] != SIZE_MAX)
			row[j->beta_param[c]] =
				c == 0 ? 1.0 : f->x[i * f->columns + c - 1];
	for (size_t r = 0; r < j->rules; r++)
		if (j->theta_param[r] != SIZE_MAX)
			row[j->theta_param[r]] = j->beta[f->fit_count + r + 1] *
						 j->dx[i * j->rules + r];
}

/*
 * Gradient, expected (Fisher) information and observed information (the
 * negative Hessian) at the current point; upper and lower triangles.
 */
static void derivatives(struct mql_fit_joint *j, double *row)
{
	size_t n = j->params;
	memset(j->grad, 0, n * sizeof *j->grad);
	memset(j->fisher, 0, n * n * sizeof *j->fisher);
	memset(j->observed, 0, n * n * sizeof *j->observed);
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (!(w > 0))
			continue;
		double prob = mql_logit_inverse(row_eta(j, i));
		double residual = w * (j->p->y[i] - prob);
		double v = w * prob * (1 - prob);
		row_jacobian(j, i, row);
		for (size_t a = 0; a < n; a++) {
			j->grad[a] += residual * row[a];
			for (size_t b = a; b < n; b++)
				j->fisher[a * n + b] += v * row[a] * row[b];
		}
		/* Second derivatives of eta: d2/dbeta_r dtheta_r = dx,
		 * d2/dtheta_r^2 = beta_r d2x. */
		for (size_t r = 0; r < j->rules; r++) {
			size_t t = j->theta_param[r];
			if (t == SIZE_MAX)
				continue;
			size_t c = j->f->fit_count + r + 1;
			size_t b = j->beta_param[c];
			j->observed[t * n + t] -= residual * j->beta[c] *
						  j->d2x[i * j->rules + r];
			if (b != SIZE_MAX)
				j->observed[(b < t ? b : t) * n +
					    (b < t ? t : b)] -=
					residual * j->dx[i * j->rules + r];
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++) {
		size_t b = j->beta_param[c];
		if (b == SIZE_MAX)
			continue;
		j->grad[b] -= j->opt->l2 * j->beta[c];
		j->fisher[b * n + b] += j->opt->l2;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = a; b < n; b++) {
			j->observed[a * n + b] += j->fisher[a * n + b];
			j->observed[b * n + a] = j->observed[a * n + b];
			j->fisher[b * n + a] = j->fisher[a * n + b];
		}
}

/*
 * Cholesky of the n x n matrix in factor (overwritten); with solve, the
 * step solving it against the gradient; with invert, its inverse in place.
 * Returns 0, or -1 when the matrix is not positive definite.
 */
int fit_joint_cholesky(double *factor, size_t n, const double *gradient,
		       double *solution, int invert)
{
	gsl_matrix_view m = gsl_matrix_view_array(factor, n, n);
	gsl_error_handler_t *previous = gsl_set_error_handler_off();
	int status = gsl_linalg_cholesky_decomp1(&m.matrix);
	for (size_t a = 0; status == GSL_SUCCESS && a < n; a++)
		if (!(gsl_matrix_get(&m.matrix, a, a) > 0))
			status = GSL_EDOM;
	if (status == GSL_SUCCESS && solution) {
		gsl_vector_const_view g =
			gsl_vector_const_view_array(gradient, n);
		gsl_vector_view s = gsl_vector_view_array(solution, n);
		status = gsl_linalg_cholesky_solve(&m.matrix, &g.vector,
						   &s.vector);
	}
	if (status == GSL_SUCCESS && invert)
		status = gsl_linalg_cholesky_invert(&m.matrix);
	gsl_set_error_handler(previous);
	return status == GSL_SUCCESS ? 0 : -1;
}

int fit_joint_cholesky_invert(double *factor, size_t n)
{
	gsl_matrix_view m = gsl_matrix_view_array(factor, n, n);
	gsl_error_handler_t *previous = gsl_set_error_handler_off();
	int status = gsl_linalg_cholesky_invert(&m.matrix);
	gsl_set_error_handler(previous);
	return status == GSL_SUCCESS ? 0 : -1;
}

/* --- Newton's method on (beta, theta) ----------------------------------- */

/* Moves the parameters by t * step; a half-life leaving its range is
 * clamped to it. */
static void move(struct mql_fit_joint *j, const double *from_beta,
		 const double *from_half_life, double t)
{
	for (size_t c = 0; c <= j->f->columns; c++)
		j->beta[c] =
			from_beta[c] + (j->beta_param[c] != SIZE_MAX
						? t * j->step[j->beta_param[c]]
						: 0);
	for (size_t r = 0; r < j->rules; r++) {
		if (j->theta_param[r] == SIZE_MAX)
			continue;
		double theta = mql_fixed_log(from_half_life[r]) +
			       t * j->step[j->theta_param[r]];
		double h = mql_fixed_exp(theta);
		j->half_life[r] = h > MQL_RULE_MAX_DAYS	   ? MQL_RULE_MAX_DAYS
				  : h < FIT_JOINT_MIN_DAYS ? FIT_JOINT_MIN_DAYS
							   : h;
	}
}

/*
 * Whether rule r's weight ran away as its column shrank toward a few rows:
 * |beta| times the column's largest value beyond 25 (that row's odds moved
 * by e^25, the engine's measure of separation, logit.h), or |beta| itself
 * beyond 25 (one fresh event would: the column heads to a step in age,
 * with a weight growing without bound as the half-life shrinks).
 */
static int runaway(const struct mql_fit_joint *j, size_t r)
{
	const mql_features *f = j->f;
	size_t column = f->fit_count + r;
	double largest = 0;
	for (size_t i = 0; i < f->rows; i++)
		if (j->weights[i] > 0)
			largest = fmax(largest,
				       fabs(f->x[i * f->columns + column]));
	return fabs(j->beta[column + 1]) * fmax(largest, 1.0) > 25;
}

/*
 * A half-life that reached a bound is no longer estimated: at the upper
 * one the rule takes no decay (the grid's last column); at the lower one
 * its column would vanish, and it keeps the grid's choice.  Returns 1 when
 * any did.
 */
static int settle_bounds(struct mql_fit_joint *j)
{
	int any = 0;
	for (size_t r = 0; r < j->rules; r++) {
		if (j->state[r] != FIT_JOINT_FITTED)
			continue;
		if (j->half_life[r] >= MQL_RULE_MAX_DAYS) {
			j->state[r] = FIT_JOINT_NO_DECAY;
			mql_features_set_variant(j->f, r,
						 MQL_HALF_LIFE_GRID_COUNT);
			any = 1;
		} else if (j->half_life[r] <= FIT_JOINT_MIN_DAYS ||
			   runaway(j, r)) {
			j->state[r] = j->half_life[r] <= FIT_JOINT_MIN_DAYS
					      ? FIT_JOINT_AT_LOWER
					      : FIT_JOINT_RUNAWAY;
			mql_features_set_variant(j->f, r, (size_t)j->grid[r]);
			size_t column = j->f->fit_count + r + 1;
			j->beta[column] = j->start_beta[column];
			any = 1;
		}
	}
	if (any)
		fit_joint_number_params(j);
	return any;
}

/*
 * One Newton step from the current point (derivatives already in j):
 * observed information when positive definite, else Fisher's; backtracked
 * (halved) until the log-likelihood does not fall, starting from twice the
 * fraction the last step kept.  *done when the step is the last: the
 * Newton decrement is negligible, no step helps, or the step stalls on
 * the cap's kinks.
 *
 * The kinks: where a row's decayed count crosses its rule's cap, the
 * column's derivative in theta jumps to 0, so the log-likelihood is only
 * piecewise smooth in theta, and its maximum often sits on a kink.  There
 * the gradient never vanishes and the quadratic model overshoots: the
 * steps are cut again and again and move the estimates less and less.  A
 * step that had to be cut, moved the estimates by less than STALL_MOVE
 * standard errors (its length in the information's norm) and raised the
 * log-likelihood by less than STALL_GAIN is the last: the estimates are
 * then a maximum to a small fraction of their standard errors.
 */
static int newton_step(struct mql_fit_joint *j, double *old_beta,
		       double *old_half_life, double *factor, int *done,
		       mql_error *err)
{
	size_t n = j->params;
	memcpy(factor, j->observed, n * n * sizeof *factor);
	if (fit_joint_cholesky(factor, n, j->grad, j->step, 0) != 0) {
		memcpy(factor, j->fisher, n * n * sizeof *factor);
		if (fit_joint_cholesky(factor, n, j->grad, j->step, 0) != 0)
			return mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
					     "its information matrix is "
					     "singular");
	}
	double decrement = 0;
	for (size_t a = 0; a < n; a++)
		decrement += j->grad[a] * j->step[a];
	if (decrement < 1e-16 * (1 + fabs(j->log_likelihood))) {
		j->stop = FIT_JOINT_STOP_DECREMENT;
		*done = 1;
		return MQL_OK;
	}
	size_t columns = j->f->columns;
	memcpy(old_beta, j->beta, (columns + 1) * sizeof *old_beta);
	memcpy(old_half_life, j->half_life, j->rules * sizeof *old_half_life);
	/* A half-life moves by at most a factor e a step: far from the
	 * optimum the quadratic model of a flat direction overshoots. */
	double longest = 1;
	for (size_t r = 0; r < j->rules; r++)
		if (j->theta_param[r] != SIZE_MAX &&
		    fabs(j->step[j->theta_param[r]]) * longest > MAX_THETA_STEP)
			longest = MAX_THETA_STEP /
				  fabs(j->step[j->theta_param[r]]);
	double kept = fmin(1.0, 2 * j->kept);
	double before = j->log_likelihood;
	for (int k = 0; k < MAX_HALVINGS; k++, kept /= 2) {
		double t = longest * kept;
		move(j, old_beta, old_half_life, t);
		int status = fit_joint_scan(j, err);
		if (status != MQL_OK)
			return status;
		j->log_likelihood = fit_joint_log_likelihood(j);
		/* Rounding may cost the last digits at the optimum. */
		double gain = j->log_likelihood - before;
		if (gain >= -1e-12 * (1 + fabs(before))) {
			j->kept = kept;
			*done = k > 0 && t * sqrt(decrement) < STALL_MOVE &&
				gain < STALL_GAIN;
			if (*done)
				j->stop = FIT_JOINT_STOP_KINKS;
			return MQL_OK;
		}
	}
	/* No step helps: the point is a maximum to rounding. */
	move(j, old_beta, old_half_life, 0);
	j->log_likelihood = before;
	j->stop = FIT_JOINT_STOP_NO_ASCENT;
	*done = 1;
	return fit_joint_scan(j, err);
}

int fit_joint_newton(struct mql_fit_joint *j, mql_error *err)
{
	size_t columns = j->f->columns;
	size_t most = 1 + columns + j->rules;
	double *row = malloc(most * sizeof *row);
	double *factor = malloc(most * most * sizeof *factor);
	double *old_beta = malloc((columns + 1) * sizeof *old_beta);
	double *old_half_life =
		malloc((j->rules ? j->rules : 1) * sizeof *old_half_life);
	int status = row && factor && old_beta && old_half_life
			     ? fit_joint_scan(j, err)
			     : MQL_ERR_NOMEM;
	if (status == MQL_OK)
		j->log_likelihood = fit_joint_log_likelihood(j);
	j->kept = 1;
	while (status == MQL_OK && j->iterations < FIT_JOINT_MAX_STEPS &&
	       j->scans < MAX_READS) {
		derivatives(j, row);
		int done = 0;
		status = newton_step(j, old_beta, old_half_life, factor, &done,
				     err);
		int settled = status == MQL_OK && settle_bounds(j);
		if (status == MQL_OK && done && !settled) {
			j->converged = 1;
			break;
		}
		j->iterations += !done;
	}
	if (status == MQL_OK && !j->converged)
		status = mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
				       "no convergence in %d steps or %d reads "
				       "of the events",
				       FIT_JOINT_MAX_STEPS, MAX_READS);
	free(row);
	free(factor);
	free(old_beta);
	free(old_half_life);
	return status;
}

int fit_joint_covariance(struct mql_fit_joint *j, mql_error *err)
{
	double *row = malloc((1 + j->f->columns + j->rules) * sizeof *row);
	if (!row)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	int status = j->stale ? fit_joint_scan(j, err) : MQL_OK;
	j->stale = 0;
	if (status == MQL_OK) {
		j->log_likelihood = fit_joint_log_likelihood(j);
		derivatives(j, row);
	}
	/* The inverse observed information at the optimum (Fisher's if the
	 * observed is not positive definite there). */
	size_t n = j->params;
	if (status == MQL_OK) {
		memcpy(j->covariance, j->observed, n * n * sizeof(double));
		if (fit_joint_cholesky(j->covariance, n, NULL, NULL, 1) != 0) {
			j->expected_information = 1;
			memcpy(j->covariance, j->fisher,
			       n * n * sizeof(double));
			if (fit_joint_cholesky(j->covariance, n, NULL, NULL,
					       1) != 0)
				status = mql_error_set(
					err, MQL_ERR_INTERNAL, NULL, 0, 0,
					"its information matrix is singular");
		}
	}
	free(row);
	return status;
}
