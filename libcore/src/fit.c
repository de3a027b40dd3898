/* fit.c - the fit, its validation and model.json (see fit.h). */
#include <mqlcal/fit.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/validate.h>

void mql_fit_options_init(mql_fit_options *o)
{
	memset(o, 0, sizeof *o);
	o->min_support = 20;
	o->seed = 1;
	o->label = "sal";
}

/* The fit of f's rows with prior weights; profile asks for profile
   intervals after a Firth fit (the final model's, not the folds'). */
static int fit_rows(mql_logit_result **out, const mql_features *f,
		    const mql_population *p, const double *weights, double l2,
		    int profile, mql_error *err)
{
	mql_logit_input in;
	memset(&in, 0, sizeof in);
	in.n_rows = f->rows;
	in.n_cols = f->columns;
	in.x = f->columns ? f->x : NULL;
	in.y = p->y;
	in.weights = weights;
	in.names = f->columns ? f->names : NULL;
	in.l2 = l2;
	in.method = MQL_LOGIT_AUTO;
	in.profile = profile;
	return mql_logit_fit(out, &in, err);
}

int mql_fit_weighted(mql_logit_result **out, const mql_features *f,
		     const mql_population *p, const double *weights, double l2,
		     mql_error *err)
{
	return fit_rows(out, f, p, weights, l2, 0, err);
}

/* --- filling the model ------------------------------------------------- */

static void set_estimate(mql_model_estimate *out, const mql_logit_coef *c)
{
	if (c->aliased) {
		/* R reports NA: not defined because of singularities. */
		out->estimate = out->std_error = out->z = out->p = NAN;
		out->ci_low = out->ci_high = NAN;
		return;
	}
	out->estimate = c->estimate;
	out->std_error = c->std_error;
	out->z = c->z;
	out->p = c->p;
	out->ci_low = c->ci_low;
	out->ci_high = c->ci_high;
}

static const mql_rule *column_rule(const mql_features *f, size_t j)
{
	return j < f->fit_count ? &f->rules->fit[j]
				: &f->rules->engagement[j - f->fit_count];
}

static int fill_coefficients(mql_model *m, const mql_features *f,
			     const mql_logit_result *fit)
{
	set_estimate(&m->intercept, &fit->coef[0]);
	for (size_t j = 0; j < f->columns; j++) {
		const mql_logit_coef *c = &fit->coef[j + 1];
		cJSON *rule = mql_rule_to_json(column_rule(f, j), 0);
		if (!rule)
			return MQL_ERR_NOMEM;
		mql_model_coefficient *mc =
			mql_model_add_coefficient(m, f->names[j], rule);
		if (!mc)
			return MQL_ERR_NOMEM;
		set_estimate(&mc->value, c);
		mc->odds_ratio = c->aliased ? NAN : c->odds_ratio;
		mc->support = (long)llround(c->support);
	}
	m->fit.log_likelihood = fit->log_likelihood;
	m->fit.deviance = fit->deviance;
	m->fit.null_deviance = fit->null_deviance;
	m->fit.aic = fit->aic;
	m->fit.edf = fit->edf;
	snprintf(m->fit.interval, sizeof m->fit.interval, "%s",
		 mql_logit_interval_name(fit->interval));
	m->fit.iterations = fit->iterations;
	m->fit.converged = fit->converged;
	m->fit.l2 = fit->l2;
	m->n = (long)llround(fit->n_obs);
	m->positives = (long)llround(fit->positives);
	for (size_t w = 0; w < fit->n_warnings; w++)
		if (mql_model_add_warning(m, "%s", fit->warnings[w]) != MQL_OK)
			return MQL_ERR_NOMEM;
	return cJSON_AddStringToObject(m->extra, "method",
				       mql_logit_method_name(fit->method))
		       ? MQL_OK
		       : MQL_ERR_NOMEM;
}

static int fill_validation(mql_model *m, const char *method,
			   const mql_validation *v)
{
	mql_model_validation *mv = &m->validation;
	snprintf(mv->method, sizeof mv->method, "%s", method);
	mv->n = (long)v->n;
	mv->auc = v->auc.auc;
	mv->auc_ci[0] = v->auc.ci_low;
	mv->auc_ci[1] = v->auc.ci_high;
	mv->log_loss = v->log_loss;
	mv->brier = v->brier;
	if (mql_model_set_calibration_count(m, v->calibration_bins) != MQL_OK ||
	    mql_model_set_gains_count(m, v->gains.bins) != MQL_OK)
		return MQL_ERR_NOMEM;
	for (size_t b = 0; b < v->calibration_bins; b++) {
		mv->calibration[b].bin = v->calibration[b].bin;
		mv->calibration[b].n = (long)v->calibration[b].n;
		mv->calibration[b].predicted = v->calibration[b].predicted;
		mv->calibration[b].observed = v->calibration[b].observed;
	}
	for (size_t b = 0; b < v->gains.bins; b++) {
		const mql_gains_bin *g = &v->gains.bin[b];
		mv->gains[b].bin = g->bin;
		mv->gains[b].n = (long)g->n;
		mv->gains[b].positives = (long)g->positives;
		mv->gains[b].captured = g->cumulative_captured;
		mv->gains[b].lift = g->lift;
	}
	return MQL_OK;
}

/* --- validation --------------------------------------------------------- */

/* Held-out linear predictors: the holdout's from the final model (its
 * eta on every row in final_eta), or each fold's from a fit on the other
 * folds.  *n_out rows into eta and y. */
static int held_out_eta(double *eta, double *y, size_t *n_out,
			const double *final_eta, const mql_features *f,
			const mql_population *p, double l2, mql_error *err)
{
	double *all = malloc((f->rows ? f->rows : 1) * sizeof *all);
	double *weights = malloc((f->rows ? f->rows : 1) * sizeof *weights);
	int status = all && weights ? MQL_OK : MQL_ERR_NOMEM;
	size_t n = 0;
	for (size_t i = 0;
	     status == MQL_OK && p->fold_count == 1 && i < f->rows; i++)
		if (p->fold[i] == 1) {
			eta[n] = final_eta[i];
			y[n++] = p->y[i];
		}
	for (size_t k = 0;
	     status == MQL_OK && p->fold_count > 1 && k < p->fold_count; k++) {
		mql_logit_result *model = NULL;
		for (size_t i = 0; i < f->rows; i++)
			weights[i] = p->fold[i] != (int)k;
		status = mql_fit_weighted(&model, f, p, weights, l2, err);
		if (status == MQL_OK)
			status = mql_logit_predict(all, NULL, model, f->x,
						   f->rows, f->columns, err);
		for (size_t i = 0; status == MQL_OK && i < f->rows; i++)
			if (p->fold[i] == (int)k) {
				eta[n] = all[i];
				y[n++] = p->y[i];
			}
		mql_logit_result_free(model);
	}
	free(all);
	free(weights);
	*n_out = n;
	return status;
}

/* Validates on the holdout or folds; held-out linear predictors and
 * outcomes (n_held rows) go to held_eta and held_y, which hold f->rows. */
static int validate(mql_model *m, double *held_eta, double *held_y,
		    size_t *n_held, const double *final_eta,
		    const mql_features *f, const mql_population *p, double l2,
		    mql_error *err)
{
	*n_held = 0;
	if (p->fold_count == 0) {
		snprintf(m->validation.method, sizeof m->validation.method,
			 "none");
		return MQL_OK;
	}
	double *eta = held_eta, *y = held_y;
	size_t n = 0;
	int status =
		eta && y ? held_out_eta(eta, y, &n, final_eta, f, p, l2, err)
			 : MQL_ERR_NOMEM;
	mql_validation v;
	mql_error verr;
	const char *method = p->fold_count == 1 ? "holdout" : "folds";
	if (status == MQL_OK) {
		if (mql_validate_all(&v, eta, y, n, &verr) == MQL_OK) {
			status = fill_validation(m, method, &v);
		} else {
			snprintf(m->validation.method,
				 sizeof m->validation.method, "%s", method);
			m->validation.n = (long)n;
			status = mql_model_add_warning(
				m, "validation not possible: %s", verr.message);
		}
	}
	*n_held = status == MQL_OK ? n : 0;
	return status;
}

/*
 * Operating points, thinned evenly by rank: on the held-out predictions
 * when there are any (n_held > 0: the holdout's, or the folds'
 * out-of-fold ones), so that the precision a threshold promises is not
 * measured on the rows that fitted it; else on the fitted rows
 * (final_eta: the final model's eta on every row), which flatters it, and
 * a warning says so.
 */
static int add_operating_points(mql_model *m, const double *final_eta,
				const double *held_eta, const double *held_y,
				size_t n_held, const mql_features *f,
				const mql_population *p, mql_error *err)
{
	size_t n = 0;
	double *eta = malloc((f->rows ? f->rows : 1) * sizeof *eta);
	double *y = malloc((f->rows ? f->rows : 1) * sizeof *y);
	mql_operating_point *points = NULL;
	size_t count = 0;
	int status = eta && y ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; status == MQL_OK && n_held > 0 && i < n_held; i++) {
		eta[n] = held_eta[i];
		y[n++] = held_y[i];
	}
	for (size_t i = 0; status == MQL_OK && n_held == 0 && i < f->rows; i++)
		if (p->fold_count != 1 || p->fold[i] == 0) {
			eta[n] = final_eta[i];
			y[n++] = p->y[i];
		}
	cJSON *basis = cJSON_CreateString(
		n_held > 0 ? (p->fold_count == 1 ? "holdout" : "folds")
			   : "fitted rows");
	if (status == MQL_OK &&
	    (!basis ||
	     !cJSON_AddItemToObject(m->extra, "operating_points_on", basis))) {
		cJSON_Delete(basis);
		status = MQL_ERR_NOMEM;
	} else if (status != MQL_OK) {
		cJSON_Delete(basis);
	}
	if (status == MQL_OK && n_held == 0 &&
	    mql_model_add_warning(
		    m, "operating points are measured on the fitted rows, "
		       "which flatters their precision: validate with "
		       "--folds K or --holdout-from DATE to choose a "
		       "threshold on held-out predictions"))
		status = MQL_ERR_NOMEM;
	if (status == MQL_OK)
		status = mql_validate_operating_points(&points, &count, eta, y,
						       n, err);
	size_t step = count > MQL_FIT_OPERATING_POINTS
			      ? (count + MQL_FIT_OPERATING_POINTS - 1) /
					MQL_FIT_OPERATING_POINTS
			      : 1;
	for (size_t k = 0; status == MQL_OK && k < count; k++) {
		if (k % step != 0 && k + 1 != count)
			continue;
		mql_model_operating_point point = {
			points[k].eta, (long)points[k].above,
			(long)points[k].positives_above, points[k].precision,
			points[k].recall};
		status = mql_model_add_operating_point(m, &point);
	}
	free(points);
	free(eta);
	free(y);
	return status;
}

/* --- warnings and notes -------------------------------------------------- */

/* The columns discovery left out, as "excluded": [{"column", "reason"}]
 * (no key when none was). */
static int add_excluded(mql_model *m, const mql_discover_excluded *e)
{
	if (e->columns.count == 0)
		return MQL_OK;
	cJSON *list = cJSON_AddArrayToObject(m->extra, "excluded");
	for (size_t i = 0; list && i < e->columns.count; i++) {
		cJSON *item = cJSON_CreateObject();
		if (!item)
			return MQL_ERR_NOMEM;
		cJSON_AddItemToArray(list, item);
		if (!cJSON_AddStringToObject(item, "column",
					     e->columns.items[i]) ||
		    !cJSON_AddStringToObject(item, "reason",
					     e->reasons.items[i]))
			return MQL_ERR_NOMEM;
	}
	return list ? MQL_OK : MQL_ERR_NOMEM;
}

static int add_notes(mql_model *m, const mql_features *f,
		     const mql_population *p, const mql_fit_options *opt)
{
	for (size_t w = 0; w < f->warnings.count; w++)
		if (mql_model_add_warning(m, "%s", f->warnings.items[w]))
			return MQL_ERR_NOMEM;
	if (f->rules && f->rules->has_score_limit &&
	    mql_model_add_warning(
		    m,
		    "the rule file's score_limit [%g, %g] is not fitted: the "
		    "model is the unclamped score (mql-rules --previous keeps "
		    "the limit in the new rule file)",
		    f->rules->score_limit[0], f->rules->score_limit[1]))
		return MQL_ERR_NOMEM;
	if (m->positives < MQL_FIT_MIN_POSITIVES &&
	    mql_model_add_warning(m,
				  "only %ld positives (fewer than %d): "
				  "estimates are unstable",
				  m->positives, MQL_FIT_MIN_POSITIVES))
		return MQL_ERR_NOMEM;
	for (size_t j = 0; j < m->coefficient_count; j++) {
		const mql_model_coefficient *c = &m->coefficients[j];
		if ((size_t)c->support < opt->min_support &&
		    mql_model_add_warning(m,
					  "rule '%s' has %ld rows (fewer than "
					  "--min-support %zu)",
					  c->name, c->support,
					  opt->min_support))
			return MQL_ERR_NOMEM;
	}
	if (add_excluded(m, &f->excluded) != MQL_OK)
		return MQL_ERR_NOMEM;
	/* A features table was made where the events are: none were read
	 * here, and the rows left out are not known. */
	cJSON *events = f->from_table
				? NULL
				: cJSON_AddObjectToObject(m->extra, "events");
	if (!f->from_table &&
	    (!events ||
	     !cJSON_AddNumberToObject(events, "read", (double)f->events_read) ||
	     !cJSON_AddNumberToObject(events, "counted",
				      (double)f->events_used) ||
	     !cJSON_AddNumberToObject(events, "after_decision",
				      (double)f->events_after_decision)))
		return MQL_ERR_NOMEM;
	cJSON *population = cJSON_AddObjectToObject(m->extra, "population");
	if (!population ||
	    !cJSON_AddNumberToObject(population, "rows", (double)p->count) ||
	    !cJSON_AddNumberToObject(population, "positives",
				     (double)p->positives) ||
	    !(f->from_table
		      ? cJSON_AddStringToObject(population, "source",
						"features table")
		      : cJSON_AddNumberToObject(population, "left_out_open",
						(double)p->excluded_open)) ||
	    (!f->from_table &&
	     (!cJSON_AddStringToObject(population, "accepted",
				       mql_acceptance_text(p->acceptance)) ||
	      !cJSON_AddNumberToObject(population, "undated_rejections",
				       (double)p->undated_rejections))))
		return MQL_ERR_NOMEM;
	if (p->window_days > 0) {
		char as_of[32];
		mql_time_format(p->as_of, 1, as_of, sizeof as_of);
		if (!cJSON_AddNumberToObject(population, "window_days",
					     p->window_days) ||
		    !cJSON_AddStringToObject(population, "as_of", as_of))
			return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

int mql_fit_run(mql_model **out, mql_features *f, const mql_population *p,
		const mql_fit_options *opt, mql_error *err)
{
	*out = NULL;
	if (p->count == 0)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "no rows to fit: no lead has a known '%s' "
				     "outcome (%zu left out as still open)",
				     opt->label, p->excluded_open);
	mql_model *m = mql_model_new();
	double *weights = malloc((f->rows ? f->rows : 1) * sizeof *weights);
	double *final_eta = malloc((f->rows ? f->rows : 1) * sizeof *final_eta);
	mql_logit_result *final = NULL;
	int status = m && weights && final_eta
			     ? mql_model_set_label(m, opt->label)
			     : MQL_ERR_NOMEM;
	if (status == MQL_OK && p->as_of != MQL_TIME_NONE) {
		/* The time the data describes, not the clock: the same
		 * history gives the same model.json byte for byte. */
		char when[32];
		status = mql_model_set_fitted_at(
			m, mql_time_format(p->as_of, 0, when, sizeof when));
	}
	if (status == MQL_OK && opt->half_lives_auto && f->variant_count > 1 &&
	    f->engagement_count > 0)
		status = mql_fit_choose_half_lives(m, f, p, opt, err);
	for (size_t i = 0; status == MQL_OK && i < f->rows; i++)
		weights[i] = p->fold_count == 1 ? p->fold[i] == 0 : 1.0;
	mql_fit_joint *joint = NULL;
	if (status == MQL_OK && opt->half_lives_auto && opt->events_path &&
	    f->variant_count > 1 && f->engagement_count > 0)
		status = mql_fit_joint_half_lives(&joint, m, f, p, weights, opt,
						  err);
	if (status == MQL_OK)
		status = fit_rows(&final, f, p, weights, opt->l2, 1, err);
	if (status == MQL_OK)
		status = fill_coefficients(m, f, final);
	if (status == MQL_OK && joint)
		status = mql_fit_joint_apply(m, joint);
	mql_fit_joint_free(joint);
	if (status == MQL_OK)
		status = mql_logit_predict(final_eta, NULL, final, f->x,
					   f->rows, f->columns, err);
	double *held_eta = malloc((f->rows ? f->rows : 1) * sizeof *held_eta);
	double *held_y = malloc((f->rows ? f->rows : 1) * sizeof *held_y);
	size_t n_held = 0;
	if (status == MQL_OK && (!held_eta || !held_y))
		status = MQL_ERR_NOMEM;
	if (status == MQL_OK)
		status = validate(m, held_eta, held_y, &n_held, final_eta, f, p,
				  opt->l2, err);
	if (status == MQL_OK)
		status = add_operating_points(m, final_eta, held_eta, held_y,
					      n_held, f, p, err);
	free(held_eta);
	free(held_y);
	if (status == MQL_OK)
		status = add_notes(m, f, p, opt);
	mql_logit_result_free(final);
	free(final_eta);
	free(weights);
	if (status != MQL_OK) {
		mql_model_free(m);
		return status;
	}
	*out = m;
	return MQL_OK;
}
