/*
 * logit.c - logistic regression: the choice of estimator, the mapping back
 * to the caller's units, inference and the result (see logit.h).  Input
 * checks and aliasing are in logit_prepare.c, the iterations in
 * logit_kernel.c.
 */
#include <mqlcal/logit.h>

#include "fixed_math.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "logit_kernel.h"
#include "logit_prepare.h"
#include "logit_profile.h"

#define DEFAULT_MAX_ITERATIONS 25
#define DEFAULT_TOLERANCE      1e-8

/* |coefficient| x spread (odds ratio e^25 per unit of spread) beyond
   which an estimate is running away: separation. */
#define RUNAWAY_SCALED 25.0

/* The same, for a fit that ended unconverged or with fitted
   probabilities of 0 or 1. */
#define SUSPECT_SCALED 10.0

/* The ridge used when Firth's fit itself fails. */
#define FALLBACK_RIDGE 1.0

double mql_logit_inverse(double eta)
{
	if (eta >= 0)
		return 1.0 / (1.0 + mql_fixed_exp(-eta));
	double e = mql_fixed_exp(eta);
	return e / (1.0 + e);
}

const char *mql_logit_interval_name(enum mql_logit_interval interval)
{
	return interval == MQL_LOGIT_PROFILE ? "profile" : "wald";
}

const char *mql_logit_method_name(enum mql_logit_method method)
{
	switch (method) {
	case MQL_LOGIT_MLE: return "mle";
	case MQL_LOGIT_FIRTH: return "firth";
	case MQL_LOGIT_RIDGE: return "ridge";
	case MQL_LOGIT_AUTO: return "auto";
	}
	return "auto";
}

/* The kernel's view of the prepared context. */
static struct logit_design design_of(const struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	struct logit_design d = {
		.n_rows = in->n_rows,
		.n_cols = in->n_cols,
		.x = in->x,
		.y = in->y,
		.weights = in->weights,
		.m = ctx->kept + 1,
		.keep = ctx->keep,
		.center = ctx->center,
		.scale = ctx->scale,
		.inverse_scale = ctx->inverse_scale,
		.keep_all = ctx->kept == in->n_cols,
		.penalty = in->l2 > 0 ? ctx->penalty : NULL,
	};
	return d;
}

/* Marks (and names) the columns whose scaled estimate exceeds limit;
   returns how many. */
static size_t mark_runaway(struct fit_context *ctx,
			   const struct logit_design *d,
			   const struct logit_control *control,
			   const struct logit_fit *fit, double limit)
{
	size_t marked = 0;
	char name[32];
	for (size_t k = 1; k < d->m; k++) {
		if (mql_logit_kernel_scaled(d, control, fit->beta, k) <= limit)
			continue;
		size_t j = ctx->keep[k - 1];
		marked++;
		if (ctx->columns[j].separated)
			continue;
		ctx->columns[j].separated = 1;
		mql_logit_warn(
			&ctx->warnings,
			"'%s' separates the outcome: its estimate runs "
			"away during the fit (the maximum-likelihood "
			"estimate does not exist)",
			mql_logit_column_name(ctx->in, j, name, sizeof name));
	}
	return marked;
}

/* After a maximum-likelihood fit: did it show separation? */
static int shows_separation(struct fit_context *ctx,
			    const struct logit_design *d,
			    const struct logit_control *control,
			    const struct logit_fit *fit)
{
	size_t marked = mark_runaway(ctx, d, control, fit, RUNAWAY_SCALED);
	if (!fit->converged || fit->extreme_rows > 0)
		marked += mark_runaway(ctx, d, control, fit, SUSPECT_SCALED);
	return marked > 0;
}

static int any_separated(const struct fit_context *ctx)
{
	for (size_t j = 0; j < ctx->in->n_cols; j++)
		if (ctx->columns[j].separated)
			return 1;
	return 0;
}

/* Kernel status to library status, with a message. */
static int kernel_error(struct fit_context *ctx, int status, const char *what)
{
	if (status == LOGIT_KERNEL_NOMEM)
		return mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	return mql_error_set(ctx->err, MQL_ERR_INTERNAL, NULL, 0, 0,
			     "%s: the information matrix is not positive "
			     "definite",
			     what);
}

/* Firth, and the small ridge should Firth itself fail. */
static int fit_firth(struct logit_fit *fit, struct fit_context *ctx,
		     struct logit_design *d,
		     const struct logit_control *control,
		     enum mql_logit_method *used)
{
	/* Firth's steps converge linearly near separation: twice the budget */
	struct logit_control firth_control = *control;
	firth_control.max_iterations = 2 * control->max_iterations;
	int status = mql_logit_kernel_firth(fit, d, &firth_control);
	*used = MQL_LOGIT_FIRTH;
	if (status != LOGIT_KERNEL_SINGULAR)
		return status;
	for (size_t k = 1; k < d->m; k++)
		ctx->penalty[k] =
			FALLBACK_RIDGE / (ctx->scale[k] * ctx->scale[k]);
	d->penalty = ctx->penalty;
	mql_logit_warn(&ctx->warnings,
		       "Firth's penalized fit failed: estimates by a ridge "
		       "with lambda = %g instead",
		       FALLBACK_RIDGE);
	*used = MQL_LOGIT_RIDGE;
	return mql_logit_kernel_irls(fit, d, control);
}

/* Chooses and runs the estimator; fills fit and *used. */
static int run_fit(struct logit_fit *fit, struct fit_context *ctx,
		   enum mql_logit_method *used, double *l2_used)
{
	const mql_logit_input *in = ctx->in;
	struct logit_design d = design_of(ctx);
	struct logit_control control = {
		.max_iterations = in->max_iterations > 0
					  ? in->max_iterations
					  : DEFAULT_MAX_ITERATIONS,
		.tolerance =
			in->tolerance > 0 ? in->tolerance : DEFAULT_TOLERANCE,
		.runaway = 0,
		.is_indicator = ctx->is_indicator,
	};
	int status;
	*l2_used = in->l2;
	if (in->l2 > 0) {
		*used = MQL_LOGIT_RIDGE;
		status = mql_logit_kernel_irls(fit, &d, &control);
	} else if (in->method == MQL_LOGIT_FIRTH) {
		status = fit_firth(fit, ctx, &d, &control, used);
	} else if (in->method == MQL_LOGIT_MLE) {
		*used = MQL_LOGIT_MLE;
		status = mql_logit_kernel_irls(fit, &d, &control);
		if (!status)
			shows_separation(ctx, &d, &control, fit);
	} else if (any_separated(ctx)) {
		status = fit_firth(fit, ctx, &d, &control, used);
	} else {
		*used = MQL_LOGIT_MLE;
		control.runaway = RUNAWAY_SCALED;
		status = mql_logit_kernel_irls(fit, &d, &control);
		if (status == LOGIT_KERNEL_SINGULAR ||
		    (!status && shows_separation(ctx, &d, &control, fit))) {
			control.runaway = 0;
			status = fit_firth(fit, ctx, &d, &control, used);
		}
	}
	if (*used == MQL_LOGIT_RIDGE && in->l2 <= 0)
		*l2_used = FALLBACK_RIDGE;
	if (status)
		return kernel_error(ctx, status, "the fit failed");
	if (!fit->converged)
		mql_logit_warn(&ctx->warnings,
			       "the %s fit did not converge in %d iterations",
			       mql_logit_method_name(*used), fit->iterations);
	if (fit->extreme_rows > 0)
		mql_logit_warn(&ctx->warnings,
			       "fitted probabilities numerically 0 or 1 "
			       "occurred on %zu rows",
			       fit->extreme_rows);
	return MQL_OK;
}

/*
 * Maps standardized coefficients and covariance back to the caller's
 * units: b_k = beta_k / scale_k, b_0 = beta_0 - sum_k beta_k center_k /
 * scale_k; covariance T C T' for that linear map T.  Writes m + m*m values.
 */
static int unstandardize(double *beta_out, double *cov_out,
			 const struct fit_context *ctx,
			 const struct logit_fit *fit)
{
	size_t m = ctx->kept + 1;
	double *map = calloc(m * m, sizeof(double));
	double *product = calloc(m * m, sizeof(double));
	if (!map || !product) {
		free(map);
		free(product);
		return mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	map[0] = 1.0;
	for (size_t k = 1; k < m; k++) {
		map[0 * m + k] = -ctx->center[k] / ctx->scale[k];
		map[k * m + k] = 1.0 / ctx->scale[k];
	}
	for (size_t i = 0; i < m; i++) {
		beta_out[i] = 0.0;
		for (size_t k = 0; k < m; k++)
			beta_out[i] += map[i * m + k] * fit->beta[k];
	}
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			for (size_t k = 0; k < m; k++)
				product[i * m + j] +=
					map[i * m + k] *
					fit->covariance[k * m + j];
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++) {
			double sum = 0.0;
			for (size_t k = 0; k < m; k++)
				sum += product[i * m + k] * map[j * m + k];
			cov_out[i * m + j] = sum;
		}
	free(map);
	free(product);
	return MQL_OK;
}

/* Estimate, SE, z, p, CI and odds ratio of one coefficient. */
static void infer(mql_logit_coef *coef, double estimate, double variance)
{
	coef->estimate = estimate;
	coef->std_error = variance > 0 ? sqrt(variance) : 0.0;
	coef->z = coef->std_error > 0 ? estimate / coef->std_error : 0.0;
	coef->p = coef->std_error > 0 ? 2.0 * gsl_cdf_ugaussian_Q(fabs(coef->z))
				      : 1.0;
	coef->ci_low = estimate - MQL_LOGIT_Z95 * coef->std_error;
	coef->ci_high = estimate + MQL_LOGIT_Z95 * coef->std_error;
	coef->odds_ratio = estimate < mql_fixed_log(DBL_MAX)
				   ? mql_fixed_exp(estimate)
				   : DBL_MAX;
}

void mql_logit_result_free(mql_logit_result *model)
{
	if (!model)
		return;
	if (model->coef)
		for (size_t i = 0; i < model->n_coef; i++)
			free(model->coef[i].name);
	free(model->coef);
	free(model->covariance);
	for (size_t i = 0; i < model->n_warnings; i++)
		free(model->warnings[i]);
	free(model->warnings);
	free(model);
}

/* Allocates a result of n_coef coefficients with their names. */
static mql_logit_result *result_new(const struct fit_context *ctx)
{
	size_t n_coef = ctx->in->n_cols + 1;
	mql_logit_result *model = calloc(1, sizeof *model);
	if (!model)
		return NULL;
	model->n_coef = n_coef;
	model->coef = calloc(n_coef, sizeof *model->coef);
	model->covariance = calloc(n_coef * n_coef, sizeof(double));
	if (!model->coef || !model->covariance) {
		mql_logit_result_free(model);
		return NULL;
	}
	char name[32];
	for (size_t i = 0; i < n_coef; i++) {
		const char *source =
			i == 0 ? "(Intercept)"
			       : mql_logit_column_name(ctx->in, i - 1, name,
						       sizeof name);
		model->coef[i].name = strdup(source);
		if (!model->coef[i].name) {
			mql_logit_result_free(model);
			return NULL;
		}
	}
	return model;
}

/* 1 when every number of the result is finite. */
static int all_finite(const mql_logit_result *model)
{
	for (size_t i = 0; i < model->n_coef; i++) {
		const mql_logit_coef *c = &model->coef[i];
		if (!isfinite(c->estimate) || !isfinite(c->std_error) ||
		    !isfinite(c->z) || !isfinite(c->p) ||
		    !isfinite(c->ci_low) || !isfinite(c->ci_high) ||
		    !isfinite(c->odds_ratio))
			return 0;
	}
	for (size_t i = 0; i < model->n_coef * model->n_coef; i++)
		if (!isfinite(model->covariance[i]))
			return 0;
	return isfinite(model->log_likelihood) &&
	       isfinite(model->null_deviance) && isfinite(model->aic);
}

/* -2 log L of the intercept-only model, in closed form. */
static double null_deviance(double total, double positives)
{
	double share = positives / total;
	return -2.0 * (positives * mql_fixed_log(share) +
		       (total - positives) * mql_fixed_log1p(-share));
}

/* Fills the model from the standardized fit. */
static int fill_result(mql_logit_result *model, struct fit_context *ctx,
		       const struct logit_fit *fit)
{
	size_t m = ctx->kept + 1, n_coef = model->n_coef;
	double *beta = malloc(m * sizeof(double));
	double *cov = malloc(m * m * sizeof(double));
	int status = beta && cov ? unstandardize(beta, cov, ctx, fit)
				 : mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL,
						 0, 0, "out of memory");
	if (status)
		goto done;
	/* working column a is coefficient i of the result */
	for (size_t a = 0; a < m; a++) {
		size_t i = a == 0 ? 0 : ctx->keep[a - 1] + 1;
		infer(&model->coef[i], beta[a], cov[a * m + a]);
		for (size_t b = 0; b < m; b++) {
			size_t j = b == 0 ? 0 : ctx->keep[b - 1] + 1;
			model->covariance[i * n_coef + j] = cov[a * m + b];
		}
	}
	model->coef[0].support = ctx->total_weight;
	for (size_t j = 0; j < ctx->in->n_cols; j++) {
		model->coef[j + 1].support = ctx->columns[j].support;
		model->coef[j + 1].aliased = ctx->columns[j].aliased;
		model->coef[j + 1].separated = ctx->columns[j].separated;
	}
	model->n_obs = ctx->total_weight;
	model->positives = ctx->positives;
	model->rank = m;
	model->log_likelihood = fit->log_likelihood;
	model->deviance = -2.0 * fit->log_likelihood;
	model->null_deviance = null_deviance(ctx->total_weight, ctx->positives);
	model->edf = fit->edf;
	model->aic = model->deviance + 2.0 * fit->edf;
	model->iterations = fit->iterations;
	model->converged = fit->converged;
	if (!all_finite(model))
		status = mql_error_set(ctx->err, MQL_ERR_INTERNAL, NULL, 0, 0,
				       "the fit produced a number that is not "
				       "finite");
done:
	free(beta);
	free(cov);
	return status;
}

/* Hands the context's warnings over to the model. */
static void move_warnings(mql_logit_result *model, struct fit_context *ctx)
{
	model->warnings = ctx->warnings.items;
	model->n_warnings = ctx->warnings.count;
	memset(&ctx->warnings, 0, sizeof ctx->warnings);
}

static int check_arguments(mql_logit_result **out, const mql_logit_input *in,
			   mql_error *err)
{
	if (!out || !in || (!in->y && in->n_rows > 0))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "a fit needs an input with outcomes and "
				     "a place for its result");
	if (!isfinite(in->l2) || in->l2 < 0)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "l2 must be a finite number >= 0, not %g",
				     in->l2);
	if (in->method < MQL_LOGIT_AUTO || in->method > MQL_LOGIT_RIDGE)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "unknown estimation method %d",
				     (int)in->method);
	if (in->method == MQL_LOGIT_RIDGE && !(in->l2 > 0))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the ridge method needs l2 > 0");
	return MQL_OK;
}

static int fit_model(mql_logit_result **out, const mql_logit_input *in,
		     mql_error *err);

/* Profile penalized-likelihood inference after Firth; should the profile
   fail, the Wald inference stays, with a warning. */
static int profile(mql_logit_result *model, struct fit_context *ctx,
		   const struct logit_fit *fit)
{
	struct logit_design d = design_of(ctx);
	double m = (double)d.m, work = (double)d.n_rows * m * m * m;
	if (work > MQL_LOGIT_PROFILE_BUDGET) {
		mql_logit_warn(&ctx->warnings,
			       "intervals and p-values are Wald: the profile "
			       "of the penalized likelihood of %zu "
			       "coefficients over %zu rows would take too long",
			       d.m, d.n_rows);
		return ctx->warnings.failed
			       ? kernel_error(ctx, LOGIT_KERNEL_NOMEM, "")
			       : MQL_OK;
	}
	int status = mql_logit_profile(model, ctx, &d, fit);
	if (status == LOGIT_KERNEL_NOMEM)
		return kernel_error(ctx, status, "");
	if (status)
		mql_logit_warn(&ctx->warnings,
			       "the profile of the penalized likelihood "
			       "failed: intervals and p-values are Wald");
	return ctx->warnings.failed ? kernel_error(ctx, LOGIT_KERNEL_NOMEM, "")
				    : MQL_OK;
}

int mql_logit_fit(mql_logit_result **out, const mql_logit_input *in,
		  mql_error *err)
{
	/* A singular matrix is an answer here, not a reason to abort: GSL's
	   default handler is off for the call whatever the caller set. */
	gsl_error_handler_t *previous = gsl_set_error_handler_off();
	int status = fit_model(out, in, err);
	gsl_set_error_handler(previous);
	return status;
}

static int fit_model(mql_logit_result **out, const mql_logit_input *in,
		     mql_error *err)
{
	int status = check_arguments(out, in, err);
	if (status)
		return status;
	*out = NULL;
	struct fit_context ctx = {.in = in, .err = err};
	struct logit_fit fit = {0};
	mql_logit_result *model = NULL;
	status = mql_logit_prepare(&ctx);
	if (status)
		goto done;
	if (mql_logit_kernel_alloc(&fit, ctx.kept + 1)) {
		status = kernel_error(&ctx, LOGIT_KERNEL_NOMEM, "");
		goto done;
	}
	enum mql_logit_method used = MQL_LOGIT_MLE;
	double l2_used = 0;
	status = run_fit(&fit, &ctx, &used, &l2_used);
	if (status)
		goto done;
	model = result_new(&ctx);
	if (!model || ctx.warnings.failed) {
		status = kernel_error(&ctx, LOGIT_KERNEL_NOMEM, "");
		goto done;
	}
	model->method = used;
	model->l2 = l2_used;
	status = fill_result(model, &ctx, &fit);
	if (status)
		goto done;
	status = used == MQL_LOGIT_FIRTH && in->profile
			 ? profile(model, &ctx, &fit)
			 : MQL_OK;
	if (status)
		goto done;
	move_warnings(model, &ctx);
	*out = model;
	model = NULL;
done:
	mql_logit_result_free(model);
	mql_logit_kernel_release(&fit);
	mql_logit_context_release(&ctx);
	return status;
}

int mql_logit_predict(double *eta_out, double *prob_out,
		      const mql_logit_result *model, const double *x,
		      size_t n_rows, size_t n_cols, mql_error *err)
{
	if (!model || model->n_coef != n_cols + 1 || (n_rows && n_cols && !x))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "a prediction needs a model and a design "
				     "of the %zu columns it was fitted on",
				     model ? model->n_coef - 1 : 0);
	for (size_t i = 0; i < n_rows; i++) {
		double eta = model->coef[0].estimate;
		for (size_t j = 0; j < n_cols; j++)
			if (!model->coef[j + 1].aliased)
				eta += model->coef[j + 1].estimate *
				       x[i * n_cols + j];
		if (eta_out)
			eta_out[i] = eta;
		if (prob_out)
			prob_out[i] = mql_logit_inverse(eta);
	}
	return MQL_OK;
}
