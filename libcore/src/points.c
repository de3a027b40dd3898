/* points.c - model coefficients to integer points and a threshold (see
 * points.h). */
#include <mqlcal/points.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/rules.h>

void mql_points_options_init(mql_points_options *o)
{
	o->pdo = 20.0;
	o->threshold_points = NAN;
	o->target = MQL_POINTS_TARGET_YOUDEN;
	o->target_value = NAN;
}

double mql_points_round(double x)
{
	/* C's round() is half away from zero, as METHODS.md asks; -0.4
	 * rounds to -0, which would print as "-0" points */
	double rounded = round(x);
	return rounded == 0 ? 0.0 : rounded;
}

void mql_points_free(mql_points *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->rule_count; i++)
		free(p->rules[i].id);
	free(p->rules);
	free(p);
}

const mql_points_rule *mql_points_find(const mql_points *p, const char *id)
{
	for (size_t i = 0; i < p->rule_count; i++)
		if (strcmp(p->rules[i].id, id) == 0)
			return &p->rules[i];
	return NULL;
}

/* Largest |x| a rule's unit value can take, for the rounding bound: 1 for
 * a 0/1 rule, the cap of an engagement rule, the clamp of a linear rule,
 * INFINITY when nothing bounds it. */
static double rule_max_unit(const cJSON *rule, int *is_engagement)
{
	*is_engagement = 0;
	if (!rule)
		return INFINITY;
	if (cJSON_GetObjectItemCaseSensitive(rule, "event")) {
		const cJSON *cap =
			cJSON_GetObjectItemCaseSensitive(rule, "max_count");
		*is_engagement = 1;
		return cJSON_IsNumber(cap) ? fabs(cap->valuedouble) : INFINITY;
	}
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(rule, "op");
	if (!cJSON_IsString(op) || strcmp(op->valuestring, "linear") != 0)
		return 1.0;
	const cJSON *low = cJSON_GetObjectItemCaseSensitive(rule, "min");
	const cJSON *high = cJSON_GetObjectItemCaseSensitive(rule, "max");
	if (!cJSON_IsNumber(low) || !cJSON_IsNumber(high))
		return INFINITY;
	double bound = fmax(fabs(low->valuedouble), fabs(high->valuedouble));
	const cJSON *transform =
		cJSON_GetObjectItemCaseSensitive(rule, "transform");
	if (cJSON_IsString(transform) &&
	    strcmp(transform->valuestring, "log1p") == 0)
		bound = fmax(fabs(log1p(low->valuedouble)),
			     fabs(log1p(high->valuedouble)));
	return bound;
}

/* Index of the operating point that meets opt's target, or -1 with err
 * filled. */
static long choose_point(const mql_model *m, const mql_points_options *opt,
			 mql_error *err)
{
	long best = -1;
	double best_value = -INFINITY, reachable = 0.0;
	double negatives = (double)(m->n - m->positives);
	for (size_t i = 0; i < m->operating_point_count; i++) {
		const mql_model_operating_point *op = &m->operating_points[i];
		double value;
		switch (opt->target) {
		case MQL_POINTS_TARGET_PRECISION:
			reachable = fmax(reachable, op->precision);
			if (!(op->precision >= opt->target_value))
				continue;
			value = op->recall;
			break;
		case MQL_POINTS_TARGET_RECALL:
			reachable = fmax(reachable, op->recall);
			if (!(op->recall >= opt->target_value))
				continue;
			value = -(double)op->above; /* the strictest cut */
			break;
		default:
			if (negatives <= 0)
				return mql_error_set(
					       err, MQL_ERR_INPUT, NULL, 0, 0,
					       "the model has no negative "
					       "rows: Youden's J is "
					       "undefined; give "
					       "--target-precision or "
					       "--target-recall"),
				       -1;
			value = op->recall -
				(double)(op->above - op->positives_above) /
					negatives;
			break;
		}
		/* ties keep the higher cut (fewer MQLs for the same value) */
		if (value > best_value) {
			best_value = value;
			best = (long)i;
		}
	}
	if (best < 0 && m->operating_point_count > 0 &&
	    opt->target == MQL_POINTS_TARGET_YOUDEN)
		mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
			      "no operating point of the model has a recall "
			      "and a false positive rate: Youden's J is "
			      "undefined; give --threshold-points or "
			      "--capacity");
	else if (best < 0 && m->operating_point_count > 0)
		mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
			      "no operating point of the model reaches %s %g "
			      "(the best is %.4g)",
			      opt->target == MQL_POINTS_TARGET_PRECISION
				      ? "precision"
				      : "recall",
			      opt->target_value, reachable);
	return best;
}

static int check_options(const mql_model *m, const mql_points_options *opt,
			 mql_error *err)
{
	if (!(opt->pdo >= MQL_POINTS_MIN_PDO && opt->pdo <= MQL_POINTS_MAX_PDO))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--pdo: must be a number from %g to %g "
				     "(points that double the odds), not %g",
				     MQL_POINTS_MIN_PDO, MQL_POINTS_MAX_PDO,
				     opt->pdo);
	if (!isnan(opt->threshold_points) &&
	    !(opt->threshold_points >= 1 &&
	      opt->threshold_points <= MQL_POINTS_MAX_THRESHOLD))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--threshold-points: must be a number "
				     "from 1 to %g, not %g",
				     MQL_POINTS_MAX_THRESHOLD,
				     opt->threshold_points);
	if ((opt->target == MQL_POINTS_TARGET_PRECISION ||
	     opt->target == MQL_POINTS_TARGET_RECALL) &&
	    !(opt->target_value > 0 && opt->target_value <= 1))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the target must be in (0, 1]");
	if (m->operating_point_count == 0 &&
	    opt->target != MQL_POINTS_TARGET_FIXED)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "operating_points: the model has none, "
				     "so no threshold can be chosen from it");
	return MQL_OK;
}

/* B from the options and the chosen cut (see points.h). */
static int scale_factor(double *factor, const mql_model *m, double cut_eta,
			const mql_points_options *opt, mql_error *err)
{
	if (isnan(opt->threshold_points)) {
		*factor = opt->pdo / log(2.0);
		return MQL_OK;
	}
	double span = cut_eta - m->intercept.estimate;
	if (!(span > 1e-9))
		return mql_error_set(
			err, MQL_ERR_USAGE, NULL, 0, 0,
			"--threshold-points: the chosen cut (logit "
			"%.4g) is not above the intercept (%.4g), "
			"so no positive scale puts it at %g points; "
			"use --pdo",
			cut_eta, m->intercept.estimate, opt->threshold_points);
	*factor = opt->threshold_points / span;
	if (*factor > MQL_RULE_MAX_POINTS)
		return mql_error_set(
			err, MQL_ERR_USAGE, NULL, 0, 0,
			"--threshold-points: the chosen cut (logit %.4g) is so "
			"close above the intercept (%.4g) that %g points there "
			"make %.4g points per logit, more than %g; use --pdo",
			cut_eta, m->intercept.estimate, opt->threshold_points,
			*factor, MQL_RULE_MAX_POINTS);
	return MQL_OK;
}

static int fill_rules(mql_points *p, const mql_model *m, mql_error *err)
{
	p->rules = calloc(m->coefficient_count ? m->coefficient_count : 1,
			  sizeof *p->rules);
	if (!p->rules)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	double bound = 0.0;
	for (size_t i = 0; i < m->coefficient_count; i++) {
		const mql_model_coefficient *c = &m->coefficients[i];
		mql_points_rule *r = &p->rules[i];
		size_t len = strlen(c->name);
		r->id = malloc(len + 1);
		if (!r->id)
			return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
					     "out of memory");
		memcpy(r->id, c->name, len + 1);
		p->rule_count = i + 1;
		/* an aliased rule adds nothing the others do not: 0 points */
		r->aliased = isnan(c->value.estimate);
		r->estimate = r->aliased ? 0.0 : c->value.estimate;
		r->scaled = p->factor * r->estimate;
		if (!(fabs(r->scaled) <= MQL_RULE_MAX_POINTS))
			return mql_error_set(
				err, MQL_ERR_INPUT, NULL, 0, 0,
				"coefficients[%zu].estimate: %g makes %.4g "
				"points at %.4g points per logit; expected at "
				"most %g points a rule (a smaller --pdo helps "
				"if the estimate is right)",
				i, r->estimate, r->scaled, p->factor,
				MQL_RULE_MAX_POINTS);
		r->points = mql_points_round(r->scaled);
		r->max_unit = rule_max_unit(c->rule, &r->is_engagement);
		double moved = fabs(r->points / p->factor - r->estimate);
		if (moved > 0)
			bound += moved * r->max_unit;
	}
	/* the threshold's rounding moves no probability: calibration maps a
	 * score back through b0 + score / B exactly */
	p->rounding_bound = fmin(1.0, bound / 4.0);
	return MQL_OK;
}

int mql_points_from_model(mql_points **out, const mql_model *m,
			  const mql_points_options *opt, mql_error *err)
{
	*out = NULL;
	int status = check_options(m, opt, err);
	if (status)
		return status;
	mql_points *p = calloc(1, sizeof *p);
	if (!p)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	p->intercept = m->intercept.estimate;
	if (opt->target == MQL_POINTS_TARGET_FIXED) {
		p->cut_eta = p->intercept;
	} else {
		long chosen = choose_point(m, opt, err);
		if (chosen < 0) {
			mql_points_free(p);
			return MQL_ERR_INPUT;
		}
		p->chosen = m->operating_points[chosen];
		p->has_chosen = 1;
		p->cut_eta = p->chosen.eta;
	}
	status = scale_factor(&p->factor, m, p->cut_eta, opt, err);
	if (status == MQL_OK) {
		p->threshold = mql_points_round(p->factor *
						(p->cut_eta - p->intercept));
		p->logit_at_threshold = p->intercept + p->threshold / p->factor;
		status = fill_rules(p, m, err);
	}
	if (status) {
		mql_points_free(p);
		return status;
	}
	*out = p;
	return MQL_OK;
}

void mql_points_set_threshold(mql_points *p, const mql_model *m,
			      double threshold)
{
	p->threshold = mql_points_round(threshold);
	p->logit_at_threshold = p->intercept + p->threshold / p->factor;
	p->cut_eta = p->logit_at_threshold;
	p->has_chosen = 0;
	/* the point with the lowest eta at or above the cut holds exactly
	 * the rows the new threshold lets through */
	for (size_t i = 0; i < m->operating_point_count; i++) {
		const mql_model_operating_point *op = &m->operating_points[i];
		if (op->eta >= p->cut_eta - 1e-12 &&
		    (!p->has_chosen || op->eta < p->chosen.eta)) {
			p->chosen = *op;
			p->has_chosen = 1;
		}
	}
}
