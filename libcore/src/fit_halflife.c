/* fit_halflife.c - the half-life search of mql_fit_run (see fit.h). */
#include <mqlcal/fit.h>

#include "fixed_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/logit.h>
#include <mqlcal/validate.h>

#define SEARCH_FOLDS 5

/* Sum of the log-likelihood of the rows of fold k under model. */
static double fold_log_likelihood(const mql_logit_result *model,
				  const mql_features *f,
				  const mql_population *p, const int *fold,
				  int k, double *prob)
{
	if (mql_logit_predict(NULL, prob, model, f->x, f->rows, f->columns,
			      NULL) != MQL_OK)
		return -INFINITY;
	double sum = 0;
	for (size_t i = 0; i < f->rows; i++) {
		if (fold[i] != k)
			continue;
		double q = p->y[i] > 0.5 ? prob[i] : 1.0 - prob[i];
		sum += mql_fixed_log(q > 1e-15 ? q : 1e-15);
	}
	return sum;
}

/*
 * Stratified folds of the training rows for the search; rows held out for
 * validation by a time holdout get -1 and are never looked at, so the
 * validation stays honest.  *searched_out counts the rows in the folds.
 */
static int search_folds(int *fold, size_t *searched_out,
			const mql_population *p, unsigned long seed,
			mql_error *err)
{
	size_t n = 0;
	size_t *folds = malloc((p->count ? p->count : 1) * sizeof *folds);
	double *y = malloc((p->count ? p->count : 1) * sizeof *y);
	int status = folds && y ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; status == MQL_OK && i < p->count; i++)
		if (p->fold_count != 1 || p->fold[i] == 0)
			y[n++] = p->y[i];
	if (status == MQL_OK)
		status = mql_validate_folds(folds, n, SEARCH_FOLDS, seed, y,
					    err);
	for (size_t i = 0, j = 0; status == MQL_OK && i < p->count; i++)
		fold[i] = p->fold_count != 1 || p->fold[i] == 0
				  ? (int)folds[j++]
				  : -1;
	free(folds);
	free(y);
	*searched_out = n;
	return status;
}

typedef struct search {
	mql_features *f;
	const mql_population *p;
	const mql_fit_options *opt;
	int *fold;	 /* search fold of each row, -1 = not searched */
	double *weights; /* scratch: 1 on the rows a fold's fit uses */
	double *prob;
	double *profile; /* engagement x grid held-out log-likelihoods */
	int passes;
} search;

/* Cross-validated log-likelihood of the design as it stands. */
static int cross_validated(double *out, search *s, mql_error *err)
{
	double total = 0;
	for (int k = 0; k < SEARCH_FOLDS; k++) {
		for (size_t i = 0; i < s->f->rows; i++)
			s->weights[i] = s->fold[i] >= 0 && s->fold[i] != k;
		mql_logit_result *model = NULL;
		int status = mql_fit_weighted(&model, s->f, s->p, s->weights,
					      s->opt->l2, err);
		if (status != MQL_OK)
			return status;
		total += fold_log_likelihood(model, s->f, s->p, s->fold, k,
					     s->prob);
		mql_logit_result_free(model);
	}
	*out = total;
	return MQL_OK;
}

/*
 * Tries grid values for rule r and keeps the best: every value on the first
 * pass, then only the current one and its grid neighbours (the grid is
 * ordered, "none" last as the longest half-life).  *changed is set when the
 * choice moved.  The first pass fills the rule's profile.
 */
static int search_rule(search *s, size_t r, int full, int *changed,
		       mql_error *err)
{
	size_t before = (size_t)s->f->variant[r], best = before;
	size_t first = 1, last = MQL_HALF_LIFE_GRID_COUNT;
	if (!full) {
		first = before > 1 ? before - 1 : 1;
		last = before < MQL_HALF_LIFE_GRID_COUNT ? before + 1 : before;
	}
	double best_ll = -INFINITY;
	for (size_t v = first; v <= last; v++) {
		mql_features_set_variant(s->f, r, v);
		double ll;
		int status = cross_validated(&ll, s, err);
		if (status != MQL_OK)
			return status;
		if (full)
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
			if (s->opt->progress)
				s->opt->progress(s->opt->progress_ctx, r,
						 s->f->engagement_count,
						 pass + 1);
			int status =
				search_rule(s, r, pass == 0, &changed, err);
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
	    !cJSON_AddNumberToObject(meta, "rows", (double)held_out) ||
	    !cJSON_AddNumberToObject(meta, "folds", SEARCH_FOLDS) ||
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
	s.fold = malloc(n * sizeof *s.fold);
	s.weights = malloc(n * sizeof *s.weights);
	s.prob = malloc(n * sizeof *s.prob);
	s.profile = calloc((f->engagement_count ? f->engagement_count : 1) *
				   MQL_HALF_LIFE_GRID_COUNT,
			   sizeof *s.profile);
	size_t held_out = 0;
	int status =
		s.fold && s.weights && s.prob && s.profile
			? search_folds(s.fold, &held_out, p, opt->seed, err)
			: MQL_ERR_NOMEM;
	if (status == MQL_OK)
		status = run_search(&s, err);
	if (status == MQL_OK)
		status = half_lives_json(m->extra, &s, held_out);
	free(s.fold);
	free(s.weights);
	free(s.prob);
	free(s.profile);
	return status;
}
