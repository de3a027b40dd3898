/*
 * fit_halflife_joint.c - the half-lives estimated with the weights, by one
 * maximum-likelihood fit (see fit.h, step 1b, and fit_internal.h): setting
 * it up, recording it in the model, its intervals for the weights.
 */
#include "fit_internal.h"
#include "fixed_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* The largest rows x weights^2 x rules whose half-lives are profiled:
 * a few seconds of one core. */
#define PROFILE_BUDGET 2e8

static const char *const state_text[] = {
	"maximum likelihood", "no decay: the likelihood rises toward it",
	"not estimated: heads below half a day (the grid's choice kept)",
	"not estimated: the column is aliased",
	("not estimated: its weight runs away as the half-life shrinks "
	 "(separation; the grid's choice kept)")};

void mql_fit_joint_free(mql_fit_joint *j)
{
	if (!j)
		return;
	free(j->state);
	free(j->grid);
	free(j->half_life);
	free(j->sums);
	free(j->dx);
	free(j->d2x);
	free(j->member_of);
	free(j->horizon);
	free(j->type_of);
	free(j->beta);
	free(j->start_beta);
	free(j->aliased);
	free(j->beta_param);
	free(j->theta_param);
	free(j->grad);
	free(j->fisher);
	free(j->observed);
	free(j->step);
	free(j->covariance);
	free(j->ci);
	free(j->share);
	free(j->weight_span);
	free(j->zero_reach);
	free(j);
}

static int allocate(struct mql_fit_joint *j, size_t contacts)
{
	size_t rows = j->f->rows ? j->f->rows : 1;
	size_t rules = j->rules ? j->rules : 1;
	size_t columns = j->f->columns;
	size_t most = 1 + columns + j->rules;
	j->state = calloc(rules, sizeof *j->state);
	j->type_of = calloc(rules, sizeof *j->type_of);
	j->grid = calloc(rules, sizeof *j->grid);
	j->half_life = calloc(rules, sizeof *j->half_life);
	j->sums = calloc(rows * rules * FIT_JOINT_SUMS, sizeof *j->sums);
	j->dx = calloc(rows * rules, sizeof *j->dx);
	j->d2x = calloc(rows * rules, sizeof *j->d2x);
	j->member_of = malloc((contacts ? contacts : 1) * sizeof *j->member_of);
	j->horizon = malloc(rows * sizeof *j->horizon);
	j->beta = calloc(columns + 1, sizeof *j->beta);
	j->start_beta = calloc(columns + 1, sizeof *j->start_beta);
	j->aliased = calloc(columns + 1, sizeof *j->aliased);
	j->beta_param = calloc(columns + 1, sizeof *j->beta_param);
	j->theta_param = calloc(rules, sizeof *j->theta_param);
	j->grad = calloc(most, sizeof *j->grad);
	j->step = calloc(most, sizeof *j->step);
	j->fisher = calloc(most * most, sizeof *j->fisher);
	j->observed = calloc(most * most, sizeof *j->observed);
	j->covariance = calloc(most * most, sizeof *j->covariance);
	j->ci = calloc(2 * rules, sizeof *j->ci);
	j->share = calloc(rules, sizeof *j->share);
	j->weight_span = malloc(2 * (columns + 1) * sizeof *j->weight_span);
	j->zero_reach = malloc(2 * (columns + 1) * sizeof *j->zero_reach);
	for (size_t k = 0;
	     j->weight_span && j->zero_reach && k < 2 * columns + 2; k++) {
		j->weight_span[k] = k % 2 ? -INFINITY : INFINITY;
		j->zero_reach[k] = INFINITY;
	}
	return j->state && j->type_of && j->grid && j->half_life && j->sums &&
			       j->dx && j->d2x && j->member_of && j->horizon &&
			       j->beta && j->aliased && j->beta_param &&
			       j->theta_param && j->grad && j->step &&
			       j->fisher && j->observed && j->covariance &&
			       j->ci && j->share && j->weight_span &&
			       j->zero_reach
		       ? MQL_OK
		       : MQL_ERR_NOMEM;
}

/*
 * The starting point: the members and their horizons, the weights of the
 * fit at the grid's half-lives, and each rule's half-life (a rule without
 * decay starts at the grid's longest, 365 days).
 */
static void start_at(struct mql_fit_joint *j, const mql_logit_result *fit)
{
	const mql_contacts *contacts = j->opt->contacts;
	for (size_t row = 0; row < contacts->count; row++)
		j->member_of[row] = -1;
	for (size_t i = 0; i < j->p->count; i++) {
		j->member_of[j->p->row[i]] = (int32_t)i;
		j->horizon[i] = mql_features_horizon(j->p, i);
	}
	for (size_t c = 0; c <= j->f->columns; c++) {
		j->beta[c] = j->start_beta[c] = fit->coef[c].estimate;
		j->aliased[c > 0 ? c - 1 : 0] |= c > 0 && fit->coef[c].aliased;
	}
	for (size_t r = 0; r < j->rules; r++) {
		j->grid[r] = j->f->variant[r];
		double h = mql_features_variant_half_life(
			(size_t)j->f->variant[r]);
		j->state[r] = j->aliased[j->f->fit_count + r]
				      ? FIT_JOINT_NOT_FITTED
				      : FIT_JOINT_FITTED;
		j->half_life[r] =
			h > 0 ? h
			      : mql_half_life_grid[MQL_HALF_LIFE_GRID_COUNT -
						   2];
	}
	fit_joint_number_params(j);
	fit_joint_bind_types(j);
}

/* The rules' decays as estimated (their columns are already filled). */
static void set_decays(struct mql_fit_joint *j)
{
	for (size_t r = 0; r < j->rules; r++) {
		if (j->state[r] != FIT_JOINT_FITTED)
			continue;
		mql_rule *rule = &j->f->rules->engagement[r];
		rule->decay = MQL_DECAY_HALF_LIFE;
		rule->decay_days = j->half_life[r];
	}
}

static int add_number_or_null(cJSON *item, const char *key, double value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(item, key);
	return (isfinite(value) ? cJSON_AddNumberToObject(item, key, value)
				: cJSON_AddNullToObject(item, key)) != NULL;
}

/* exp(theta) in days; an infinite upper limit is null in model.json and
 * said by "ci_high_infinite". */
static int add_limits(cJSON *item, double low, double high)
{
	return add_number_or_null(item, "ci_low", mql_fixed_exp(low)) &&
	       add_number_or_null(item, "ci_high", mql_fixed_exp(high)) &&
	       (cJSON_DeleteItemFromObjectCaseSensitive(item,
							"ci_high_infinite"),
		cJSON_AddBoolToObject(item, "ci_high_infinite",
				      high == INFINITY) != NULL);
}

/*
 * One rule's entry of "half_lives": the estimate, its CI (the profile's
 * when there is one, else Wald's on the log scale), the grid's choice.
 */
static int record_rule(cJSON *item, const struct mql_fit_joint *j, size_t r)
{
	const cJSON *grid =
		cJSON_GetObjectItemCaseSensitive(item, "half_life_days");
	double chosen = cJSON_IsNumber(grid) ? grid->valuedouble : NAN;
	double h = j->state[r] == FIT_JOINT_NO_DECAY ? NAN
		   : j->state[r] == FIT_JOINT_FITTED ? j->half_life[r]
						     : chosen;
	size_t t = j->theta_param[r];
	double se =
		t != SIZE_MAX ? sqrt(j->covariance[t * j->params + t]) : NAN;
	int profiled =
		j->profiled && !isnan(j->ci[2 * r]) && !isnan(j->ci[2 * r + 1]);
	double low =
		profiled ? j->ci[2 * r] : mql_fixed_log(h) - MQL_LOGIT_Z95 * se;
	double high = profiled ? j->ci[2 * r + 1]
			       : mql_fixed_log(h) + MQL_LOGIT_Z95 * se;
	return add_number_or_null(item, "grid_half_life_days", chosen) &&
	       add_number_or_null(item, "half_life_days", h) &&
	       add_number_or_null(item, "std_error_log", se) &&
	       add_number_or_null(item, "std_error_log_others_fixed",
				  se * sqrt(j->share[r])) &&
	       add_limits(item, low, high) &&
	       cJSON_AddStringToObject(item, "interval",
				       profiled ? "profile" : "wald") &&
	       cJSON_AddStringToObject(item, "estimate",
				       state_text[j->state[r]]);
}

/* Why the iteration stopped, as model.json says it. */
static const char *const stop_text[] = {
	"not stopped", "the Newton decrement is negligible",
	("the steps stall on the caps' kinks (moved less than 0.01 standard "
	 "error and gained less than 0.001)"),
	"no step raises the log-likelihood"};

static int record(mql_model *m, const struct mql_fit_joint *j)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(m->extra, "half_lives");
	for (size_t r = 0; r < j->rules; r++) {
		cJSON *item = cJSON_GetArrayItem(list, (int)r);
		if (!item || !record_rule(item, j, r))
			return MQL_ERR_NOMEM;
	}
	cJSON *meta = cJSON_AddObjectToObject(m->extra, "half_life_fit");
	if (!meta ||
	    !cJSON_AddStringToObject(meta, "method",
				     "maximum likelihood of the weights and "
				     "log half-lives together, from the "
				     "grid's choice") ||
	    !cJSON_AddStringToObject(meta, "information",
				     j->expected_information ? "expected"
							     : "observed") ||
	    !cJSON_AddNumberToObject(meta, "iterations", j->iterations) ||
	    !cJSON_AddBoolToObject(meta, "converged", j->converged) ||
	    !cJSON_AddStringToObject(meta, "stopped", stop_text[j->stop]) ||
	    !cJSON_AddNumberToObject(meta, "log_likelihood",
				     j->log_likelihood) ||
	    !cJSON_AddNumberToObject(meta, "polish_rounds", j->polish_rounds) ||
	    !cJSON_AddNumberToObject(meta, "events_reads", (double)j->scans))
		return MQL_ERR_NOMEM;
	if (!j->converged &&
	    mql_model_add_warning(m,
				  "the joint fit of half-lives did not "
				  "converge in %d steps",
				  FIT_JOINT_MAX_STEPS))
		return MQL_ERR_NOMEM;
	if (!j->profiled &&
	    mql_model_add_warning(
		    m,
		    "the half-lives' intervals are Wald's on the log "
		    "scale: their profile (rows x weights^2 x rules "
		    "beyond %g) would take too long",
		    PROFILE_BUDGET))
		return MQL_ERR_NOMEM;
	if (j->expected_information &&
	    mql_model_add_warning(
		    m, "the observed information of the joint fit of "
		       "half-lives is not positive definite: intervals from "
		       "the expected information"))
		return MQL_ERR_NOMEM;
	return MQL_OK;
}

/*
 * Newton's method; after it stopped on a kink, the polish; the covariance
 * at the estimates; the profile intervals when their work is within
 * PROFILE_BUDGET.
 */
static int estimate(struct mql_fit_joint *j, mql_error *err)
{
	int status = fit_joint_newton(j, err);
	if (status == MQL_OK && j->stop != FIT_JOINT_STOP_DECREMENT)
		status = fit_joint_polish(j, err);
	if (status == MQL_OK)
		status = fit_joint_covariance(j, err);
	if (status == MQL_OK && fit_joint_shares(j) != MQL_OK)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	double weights = (double)(1 + j->f->columns);
	if (status == MQL_OK &&
	    (double)j->f->rows * weights * weights * (double)j->rules <=
		    PROFILE_BUDGET)
		status = fit_joint_profile(j, err);
	return status;
}

int mql_fit_joint_half_lives(mql_fit_joint **out, mql_model *m, mql_features *f,
			     const mql_population *p, const double *weights,
			     const mql_fit_options *opt, mql_error *err)
{
	*out = NULL;
	mql_logit_result *fit = NULL;
	int status = mql_fit_weighted(&fit, f, p, weights, opt->l2, err);
	if (status != MQL_OK)
		return status;
	if (fit->method == MQL_LOGIT_FIRTH) {
		mql_logit_result_free(fit);
		return mql_model_add_warning(
			       m, "half-lives not estimated with the weights "
				  "(separation, Firth's fit): intervals take "
				  "the grid's half-lives as known")
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	}
	struct mql_fit_joint *j = calloc(1, sizeof *j);
	if (j) {
		j->f = f;
		j->p = p;
		j->weights = weights;
		j->opt = opt;
		j->rules = f->engagement_count;
	}
	status = j ? allocate(j, opt->contacts->count) : MQL_ERR_NOMEM;
	if (status == MQL_OK) {
		start_at(j, fit);
		status = estimate(j, err);
	}
	mql_logit_result_free(fit);
	if (status == MQL_ERR_INTERNAL) {
		/* Not identified (a rule's column flat in its half-life, or
		 * gone to zeros): back to the grid's choice, said so. */
		for (size_t r = 0; r < f->engagement_count; r++)
			mql_features_set_variant(f, r, (size_t)j->grid[r]);
		mql_fit_joint_free(j);
		return mql_model_add_warning(
			       m,
			       "half-lives not estimated with the weights "
			       "(%s): intervals take the grid's "
			       "half-lives as known",
			       err->message)
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	}
	if (status == MQL_OK) {
		set_decays(j);
		status = record(m, j);
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status != MQL_OK) {
		mql_fit_joint_free(j);
		return status;
	}
	*out = j;
	return MQL_OK;
}

static void set_interval(mql_model_estimate *e, double variance)
{
	e->std_error = sqrt(variance);
	e->z = e->estimate / e->std_error;
	e->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(e->z));
	e->ci_low = e->estimate - MQL_LOGIT_Z95 * e->std_error;
	e->ci_high = e->estimate + MQL_LOGIT_Z95 * e->std_error;
}

/*
 * The Wald interval of weight c (0: the intercept) widened to every value
 * the profile over any one half-life supports (see fit_internal.h), and p
 * the level at which that interval, taken at every level, would just reach
 * 0: 1 - pchisq(2 s) for s the least drop at which the supported values
 * reach 0 from both sides, Wald's own values counted (drop 0, z^2 / 2 to
 * reach 0).  So p < 0.05 exactly when the interval leaves 0 out, and p is
 * Wald's when no half-life widens it.  A limit past the model's bound of
 * MQL_MODEL_MAX_ESTIMATE logits is that bound: the weight of a rare event
 * whose half-life may be minutes, where its count is all but zero, is not
 * bounded by the data (the variance there is merely huge, 1e30 and more).
 */
static void widen_interval(mql_model_estimate *e, const struct mql_fit_joint *j,
			   size_t c)
{
	e->ci_low = fmax(fmin(e->ci_low, j->weight_span[2 * c]),
			 -MQL_MODEL_MAX_ESTIMATE);
	e->ci_high = fmin(fmax(e->ci_high, j->weight_span[2 * c + 1]),
			  MQL_MODEL_MAX_ESTIMATE);
	double z2 = e->z * e->z / 2;
	double down = fmin(j->zero_reach[2 * c], e->estimate > 0 ? z2 : 0);
	double up = fmin(j->zero_reach[2 * c + 1], e->estimate < 0 ? z2 : 0);
	double s = fmax(down, up); /* at most z2: Wald's values count */
	if (s < z2)
		e->p = 2.0 * gsl_cdf_ugaussian_Q(sqrt(2 * s));
}

/* The half-lives estimated: each a parameter of the fit for the AIC. */
static size_t fitted_half_lives(const struct mql_fit_joint *j)
{
	size_t fitted = 0;
	for (size_t r = 0; r < j->rules; r++)
		fitted += j->state[r] == FIT_JOINT_FITTED;
	return fitted;
}

int mql_fit_joint_apply(mql_model *m, const mql_fit_joint *j)
{
	size_t n = j->params;
	size_t fitted = fitted_half_lives(j);
	m->fit.aic += 2.0 * (double)fitted;
	m->fit.edf += (double)fitted;
	cJSON *meta =
		cJSON_GetObjectItemCaseSensitive(m->extra, "half_life_fit");
	if (!cJSON_AddNumberToObject(meta, "aic_parameters", (double)fitted))
		return MQL_ERR_NOMEM;
	if (strcmp(m->fit.interval, "wald") != 0)
		return mql_model_add_warning(
			       m, "the fit at the estimated half-lives is "
				  "Firth's (separation): its intervals take "
				  "the half-lives as known")
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	for (size_t c = 0; c <= j->f->columns && c <= m->coefficient_count;
	     c++) {
		size_t b = j->beta_param[c];
		if (b == SIZE_MAX)
			continue;
		mql_model_estimate *e =
			c == 0 ? &m->intercept : &m->coefficients[c - 1].value;
		set_interval(e, j->covariance[b * n + b]);
		if (j->profiled)
			widen_interval(e, j, c);
	}
	if (j->profiled)
		snprintf(m->fit.interval, sizeof m->fit.interval, "%s",
			 MQL_MODEL_HALF_LIFE_INTERVAL);
	return cJSON_AddStringToObject(m->extra, "intervals",
				       "standard errors from the joint "
				       "information of weights and "
				       "half-lives, estimated together")
		       ? MQL_OK
		       : MQL_ERR_NOMEM;
}
