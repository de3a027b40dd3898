/* fit_halflife.c - the half-life search of mql_fit_run (see fit.h). */
#include <mqlcal/fit.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/logit.h>
#include <mqlcal/validate.h>

/* Log-likelihood of the rows where held_out[i] under model. */
static double held_out_log_likelihood(const mql_logit_result *model,
				      const mql_features *f,
				      const mql_population *p,
				      const unsigned char *held_out,
				      double *prob)
{
	if (mql_logit_predict(NULL, prob, model, f->x, f->rows, f->columns,
			      NULL) != MQL_OK)
		return -INFINITY;
	double sum = 0;
	for (size_t i = 0; i < f->rows; i++) {
		if (!held_out[i])
			continue;
		double q = p->y[i] > 0.5 ? prob[i] : 1.0 - prob[i];
		sum += log(q > 1e-15 ? q : 1e-15);
	}
	return sum;
}

/* The rows the half-life search scores on (see fit.h). */
static int search_held_out(unsigned char *held_out, const mql_population *p,
			   unsigned long seed, mql_error *err)
{
	if (p->fold_count >= 1) {
		int test_fold = p->fold_count == 1 ? 1 : 0;
		for (size_t i = 0; i < p->count; i++)
			held_out[i] = p->fold[i] == test_fold;
		return MQL_OK;
	}
	size_t *folds = malloc((p->count ? p->count : 1) * sizeof *folds);
	if (!folds)
		return MQL_ERR_NOMEM;
	int status = mql_validate_folds(folds, p->count, 5, seed, p->y, err);
	for (size_t i = 0; status == MQL_OK && i < p->count; i++)
		held_out[i] = folds[i] == 0;
	free(folds);
	return status;
}

typedef struct search {
	mql_features *f;
	const mql_population *p;
	const mql_fit_options *opt;
	unsigned char *held_out;
	double *weights;
	double *prob;
	double *profile; /* engagement x grid held-out log-likelihoods */
	int passes;
} search;

/* Tries every grid value for rule r; keeps the best.  *changed set when
 * the choice moved. */
static int search_rule(search *s, size_t r, int *changed, mql_error *err)
{
	size_t before = (size_t)s->f->variant[r], best = before;
	double best_ll = -INFINITY;
	for (size_t v = 1; v <= MQL_HALF_LIFE_GRID_COUNT; v++) {
		mql_features_set_variant(s->f, r, v);
		mql_logit_result *model = NULL;
		int status = mql_fit_weighted(&model, s->f, s->p, s->weights,
					      s->opt->l2, err);
		if (status != MQL_OK)
			return status;
		double ll = held_out_log_likelihood(model, s->f, s->p,
						    s->held_out, s->prob);
		mql_logit_result_free(model);
		s->profile[r * MQL_HALF_LIFE_GRID_COUNT + v - 1] = ll;
		if (ll > best_ll) {
			best_ll = ll;
			best = v;
		}
	}
	mql_features_set_variant(s->f, r, best);
	*changed |= best != before;
	return MQL_OK;
}

static int run_search(search *s, mql_error *err)
{
	for (int pass = 0; pass < MQL_FIT_SEARCH_PASSES; pass++) {
		int changed = 0;
		s->passes = pass + 1;
		for (size_t r = 0; r < s->f->engagement_count; r++) {
			int status = search_rule(s, r, &changed, err);
			if (status != MQL_OK)
				return status;
		}
		if (!changed)
			break;
	}
	return MQL_OK;
}

/* "half_lives": the choice and the profile of each engagement rule. */
static int half_lives_json(cJSON *extra, const search *s, size_t held_out)
{
	cJSON *list = cJSON_AddArrayToObject(extra, "half_lives");
	cJSON *meta = cJSON_AddObjectToObject(extra, "half_life_search");
	if (!list || !meta ||
	    !cJSON_AddNumberToObject(meta, "held_out_rows", (double)held_out) ||
	    !cJSON_AddNumberToObject(meta, "passes", s->passes))
		return MQL_ERR_NOMEM;
	for (size_t r = 0; r < s->f->engagement_count; r++) {
		const mql_rule *rule = &s->f->rules->engagement[r];
		double chosen = mql_features_variant_half_life(
			(size_t)s->f->variant[r]);
		cJSON *item = cJSON_CreateObject();
		cJSON_AddItemToArray(list, item);
		cJSON *profile =
			item ? cJSON_AddArrayToObject(item, "profile") : NULL;
		if (!profile ||
		    !cJSON_AddStringToObject(item, "rule", rule->id) ||
		    !(chosen > 0
			      ? cJSON_AddNumberToObject(item, "half_life_days",
							chosen)
			      : cJSON_AddNullToObject(item, "half_life_days")))
			return MQL_ERR_NOMEM;
		for (size_t v = 1; v <= MQL_HALF_LIFE_GRID_COUNT; v++) {
			double h = mql_features_variant_half_life(v);
			double ll = s->profile[r * MQL_HALF_LIFE_GRID_COUNT +
					       v - 1];
			cJSON *point = cJSON_CreateObject();
			cJSON_AddItemToArray(profile, point);
			if (!point ||
			    !(h > 0 ? cJSON_AddNumberToObject(
					      point, "half_life_days", h)
				    : cJSON_AddNullToObject(
					      point, "half_life_days")) ||
			    !(isfinite(ll)
				      ? cJSON_AddNumberToObject(
						point, "log_likelihood", ll)
				      : cJSON_AddNullToObject(
						point, "log_likelihood")))
				return MQL_ERR_NOMEM;
		}
	}
	return MQL_OK;
}

int mql_fit_choose_half_lives(mql_model *m, mql_features *f,
			      const mql_population *p,
			      const mql_fit_options *opt, mql_error *err)
{
	search s;
	memset(&s, 0, sizeof s);
	s.f = f;
	s.p = p;
	s.opt = opt;
	size_t n = f->rows ? f->rows : 1;
	s.held_out = malloc(n);
	s.weights = malloc(n * sizeof *s.weights);
	s.prob = malloc(n * sizeof *s.prob);
	s.profile = calloc((f->engagement_count ? f->engagement_count : 1) *
				   MQL_HALF_LIFE_GRID_COUNT,
			   sizeof *s.profile);
	int status = s.held_out && s.weights && s.prob && s.profile
			     ? search_held_out(s.held_out, p, opt->seed, err)
			     : MQL_ERR_NOMEM;
	size_t held_out = 0;
	for (size_t i = 0; status == MQL_OK && i < f->rows; i++) {
		s.weights[i] = !s.held_out[i];
		held_out += s.held_out[i];
	}
	if (status == MQL_OK)
		status = run_search(&s, err);
	if (status == MQL_OK)
		status = half_lives_json(m->extra, &s, held_out);
	free(s.held_out);
	free(s.weights);
	free(s.prob);
	free(s.profile);
	return status;
}
