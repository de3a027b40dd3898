/* features.c - the design matrix as of each row's decision time (see
 * features.h). */
#include <mqlcal/features.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/score.h>

#include "features_internal.h"

const double mql_half_life_grid[MQL_HALF_LIFE_GRID_COUNT] = {
	3, 7, 14, 30, 60, 90, 180, 365, 0};

void mql_features_options_init(mql_features_options *o)
{
	memset(o, 0, sizeof *o);
	mql_discover_options_init(&o->discover);
}

double mql_features_variant_half_life(size_t v)
{
	if (v == 0 || v > MQL_HALF_LIFE_GRID_COUNT)
		return NAN;
	return mql_half_life_grid[v - 1];
}

mql_time mql_features_horizon(const mql_population *p, size_t i)
{
	/* Without a decision time every event counts, up to an as-of the
	 * caller gave (the data's latest stage date is no limit for
	 * events). */
	return p->decision[i] != MQL_TIME_NONE ? p->decision[i]
	       : p->as_of_given		       ? p->as_of
					       : INT64_MAX;
}

/* --- the rule structure ---------------------------------------------- */

/* Parses the discovered fit rules (points 0) into a rule file. */
static int discovered_rules(mql_rules **out, mql_features *f,
			    const mql_contacts *contacts,
			    const mql_population *population,
			    const mql_discover_options *opt, mql_error *err)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *fit = doc ? cJSON_AddArrayToObject(doc, "fit") : NULL;
	if (!fit || !cJSON_AddStringToObject(doc, "format", MQL_RULES_FORMAT) ||
	    !cJSON_AddNumberToObject(doc, "threshold", 0) ||
	    !cJSON_AddArrayToObject(doc, "engagement")) {
		cJSON_Delete(doc);
		return MQL_ERR_NOMEM;
	}
	int status = mql_discover_fit_rules(fit, &f->warnings, &f->excluded,
					    contacts, population, opt, err);
	cJSON *rule;
	cJSON_ArrayForEach(rule, fit)
	{
		if (status == MQL_OK &&
		    !cJSON_AddNumberToObject(rule, "points", 0))
			status = MQL_ERR_NOMEM;
	}
	char *text = status == MQL_OK ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (status != MQL_OK)
		return status;
	if (!text)
		return MQL_ERR_NOMEM;
	status = mql_rules_parse(out, text, strlen(text), "discovered rules",
				 err);
	cJSON_free(text);
	return status;
}

/* --- the matrix ------------------------------------------------------- */

static void fill_engagement_column(mql_features *f, size_t r)
{
	size_t column = f->fit_count + r;
	const mql_rule *rule = &f->rules->engagement[r];
	const double *decayed =
		f->decayed[r * f->variant_count + (size_t)f->variant[r]];
	double support = 0;
	for (size_t i = 0; i < f->rows; i++) {
		double value = decayed ? mql_rule_capped(rule, decayed[i]) : 0;
		f->x[i * f->columns + column] = value;
		support += value != 0.0;
	}
	f->support[column] = support;
}

static int fill_matrix(mql_features *f, const mql_contacts *contacts,
		       const mql_population *population, mql_error *err)
{
	mql_scorer *scorer = NULL;
	int status = mql_scorer_new(&scorer, f->rules, contacts, err);
	if (status != MQL_OK)
		return status;
	f->fit_count = f->rules->fit_count;
	f->columns = f->fit_count + f->engagement_count;
	size_t cells = f->rows * f->columns;
	f->x = malloc((cells ? cells : 1) * sizeof *f->x);
	f->support = calloc(f->columns ? f->columns : 1, sizeof *f->support);
	f->names = malloc((f->columns ? f->columns : 1) * sizeof *f->names);
	if (!f->x || !f->support || !f->names) {
		mql_scorer_free(scorer);
		return MQL_ERR_NOMEM;
	}
	for (size_t j = 0; j < f->fit_count; j++) {
		f->names[j] = f->rules->fit[j].id;
		for (size_t i = 0; i < f->rows; i++) {
			double value = mql_scorer_fit_unit(scorer, j,
							   population->row[i]);
			f->x[i * f->columns + j] = value;
			f->support[j] += value != 0.0;
		}
	}
	for (size_t r = 0; r < f->engagement_count; r++) {
		f->names[f->fit_count + r] = f->rules->engagement[r].id;
		fill_engagement_column(f, r);
	}
	mql_scorer_free(scorer);
	return MQL_OK;
}

int mql_features_build(mql_features **out, const mql_contacts *contacts,
		       const mql_population *population, mql_rules *rules,
		       const char *events_path, const mql_csv_options *csv,
		       const mql_features_options *opt, mql_error *err)
{
	*out = NULL;
	mql_features *f = calloc(1, sizeof *f);
	if (!f) {
		mql_rules_free(rules);
		return MQL_ERR_NOMEM;
	}
	f->rows = population->count;
	f->variant_count =
		opt->half_life_grid ? 1 + MQL_HALF_LIFE_GRID_COUNT : 1;
	f->rules = rules;
	int status = MQL_OK;
	if (!f->rules)
		status = discovered_rules(&f->rules, f, contacts, population,
					  &opt->discover, err);
	if (status == MQL_OK)
		status = features_accumulate_events(
			f, contacts, population, events_path, csv,
			rules == NULL, opt->threads, err);
	if (status == MQL_OK)
		status = fill_matrix(f, contacts, population, err);
	if (status != MQL_OK) {
		mql_features_free(f);
		return status;
	}
	*out = f;
	return MQL_OK;
}

int mql_features_set_variant(mql_features *f, size_t rule, size_t v)
{
	if (rule >= f->engagement_count || v >= f->variant_count)
		return MQL_ERR_USAGE;
	mql_rule *r = &f->rules->engagement[rule];
	if (v == 0) {
		r->decay = f->own_decay[rule];
		r->decay_days = f->own_decay_days[rule];
	} else {
		double half_life = mql_half_life_grid[v - 1];
		r->decay = half_life > 0 ? MQL_DECAY_HALF_LIFE : MQL_DECAY_NONE;
		r->decay_days = half_life;
	}
	f->variant[rule] = (int)v;
	fill_engagement_column(f, rule);
	return MQL_OK;
}

void mql_features_free(mql_features *f)
{
	if (!f)
		return;
	free(f->x);
	free(f->names);
	free(f->support);
	for (size_t k = 0;
	     f->decayed && k < f->engagement_count * f->variant_count; k++)
		free(f->decayed[k]);
	free(f->decayed);
	free(f->variant);
	mql_discover_excluded_release(&f->excluded);
	free(f->own_decay);
	free(f->own_decay_days);
	mql_rules_free(f->rules);
	mql_strings_release(&f->warnings);
	free(f);
}
