/*
 * gen_rules.c - the generator's two rule sets as mqlcal.rules/1 objects, and
 * their evaluation on a generated contact.  The score, the decay and the
 * threshold crossing are the score module's (one formula, one place): the
 * rule tables are written to JSON, read back with mql_rules_parse (so what
 * is scored is exactly what rules.json and truth.json say) and compiled
 * into scorers without a contacts table.
 */
#include "gen_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <mqlcal/rules.h>
#include <mqlcal/score.h>

static const char *const property_names[PROP_COUNT] = {
	[PROP_JOB_TITLE] = "job_title",	      [PROP_SENIORITY] = "seniority",
	[PROP_COMPANY_SIZE] = "company_size", [PROP_INDUSTRY] = "industry",
	[PROP_COUNTRY] = "country",	      [PROP_CHANNEL] = "channel",
	[PROP_EMAIL_TYPE] = "email_type"};

/*
 * The text of the property named name for c, as contacts.csv holds it
 * (company_size formatted into buf); NULL when missing or unknown.
 */
static const char *contact_text(const gen_contact *c, const char *name,
				char *buf, size_t n)
{
	if (strcmp(name, property_names[PROP_JOB_TITLE]) == 0)
		return c->job_title[0] ? c->job_title : NULL;
	if (strcmp(name, property_names[PROP_CHANNEL]) == 0)
		return mql_gen_channels[c->channel].name;
	if (strcmp(name, property_names[PROP_SENIORITY]) == 0)
		return c->seniority < 0 ? NULL
					: mql_gen_seniorities[c->seniority];
	if (strcmp(name, property_names[PROP_INDUSTRY]) == 0)
		return c->industry < 0 ? NULL : mql_gen_industries[c->industry];
	if (strcmp(name, property_names[PROP_COUNTRY]) == 0)
		return c->country < 0 ? NULL : mql_gen_countries[c->country];
	if (strcmp(name, property_names[PROP_EMAIL_TYPE]) == 0)
		return c->personal_email ? "personal" : "business";
	if (strcmp(name, property_names[PROP_COMPANY_SIZE]) == 0 &&
	    !isnan(c->company_size)) {
		snprintf(buf, n, "%.0f", c->company_size);
		return buf;
	}
	return NULL;
}

/* ---- JSON ----------------------------------------------------------- */

static cJSON *fit_rule_json(const gen_rule *rule)
{
	static const char *const ops[] = {"in", "range", "matches", "missing"};
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", rule->id);
	cJSON_AddStringToObject(o, "property", property_names[rule->property]);
	cJSON_AddStringToObject(o, "op", ops[rule->op]);
	if (rule->op == OP_IN) {
		cJSON *values = cJSON_AddArrayToObject(o, "values");
		for (size_t v = 0; values && rule->values[v]; v++)
			cJSON_AddItemToArray(
				values, cJSON_CreateString(rule->values[v]));
	} else if (rule->op == OP_RANGE) {
		if (!isnan(rule->min))
			cJSON_AddNumberToObject(o, "min", rule->min);
		if (!isnan(rule->max))
			cJSON_AddNumberToObject(o, "max", rule->max);
	} else if (rule->op == OP_MATCHES) {
		cJSON_AddStringToObject(o, "pattern", rule->pattern);
	}
	cJSON_AddNumberToObject(o, "points", rule->points);
	return o;
}

static cJSON *engagement_rule_json(const gen_rule *rule)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", rule->id);
	cJSON_AddStringToObject(o, "event", mql_gen_events[rule->event].name);
	cJSON_AddNumberToObject(o, "points", rule->points);
	if (rule->decay == DECAY_HALF_LIFE)
		cJSON_AddNumberToObject(o, "half_life_days", rule->decay_days);
	else if (rule->decay == DECAY_WINDOW)
		cJSON_AddNumberToObject(o, "window_days", rule->decay_days);
	if (rule->max_count > 0)
		cJSON_AddNumberToObject(o, "max_count", rule->max_count);
	return o;
}

/* The rule set as a mqlcal.rules/1 object; NULL when out of memory. */
static cJSON *rules_json(const gen_rule_set *set)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *fit, *engagement;
	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "format", "mqlcal.rules/1");
	cJSON_AddStringToObject(root, "name", set->name);
	cJSON_AddNumberToObject(root, "threshold", set->threshold);
	fit = cJSON_AddArrayToObject(root, "fit");
	engagement = cJSON_AddArrayToObject(root, "engagement");
	if (!fit || !engagement) {
		cJSON_Delete(root);
		return NULL;
	}
	for (size_t i = 0; i < set->count; i++) {
		const gen_rule *rule = &set->rules[i];
		cJSON *item = rule->engagement ? engagement_rule_json(rule)
					       : fit_rule_json(rule);
		if (!item) {
			cJSON_Delete(root);
			return NULL;
		}
		cJSON_AddItemToArray(rule->engagement ? engagement : fit, item);
	}
	return root;
}

cJSON *mql_gen_true_rules_json(void)
{
	const gen_rule_set *truth = &mql_gen_true_rules;
	cJSON *rules = rules_json(truth);
	cJSON *calibration;
	if (!rules)
		return NULL;
	/* Scored in log-odds: score - threshold is the true logit, and the
	 * calibration turns it into the true probability of acceptance. */
	cJSON_ReplaceItemInObject(rules, "threshold",
				  cJSON_CreateNumber(-truth->intercept));
	calibration = cJSON_AddObjectToObject(rules, "calibration");
	if (!calibration) {
		cJSON_Delete(rules);
		return NULL;
	}
	cJSON_AddNumberToObject(calibration, "points_per_logit", 1);
	cJSON_AddNumberToObject(calibration, "logit_at_threshold", 0);
	return rules;
}

/* ---- evaluation through the score module ----------------------------- */

static int32_t event_type_index(void *ctx, const char *name)
{
	(void)ctx;
	for (int k = 0; k < EV_COUNT; k++)
		if (strcmp(mql_gen_events[k].name, name) == 0)
			return k;
	return -1;
}

/* Parses a rules object and compiles a scorer for it. */
static int load_model(mql_rules **rules, mql_scorer **scorer, cJSON *json,
		      const char *name, mql_error *err)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;
	int status;
	cJSON_Delete(json);
	if (!text)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory for the rules");
	status = mql_rules_parse(rules, text, strlen(text), name, err);
	cJSON_free(text);
	if (!status)
		status = mql_scorer_new(scorer, *rules, NULL, err);
	if (!status)
		status = mql_scorer_bind_types(*scorer, event_type_index, NULL,
					       err);
	/* A table that does not parse or bind is a bug in gen_world.c. */
	return status == MQL_ERR_INPUT ? MQL_ERR_INTERNAL : status;
}

int mql_gen_models_init(gen_models *m, mql_error *err)
{
	int status;
	memset(m, 0, sizeof *m);
	status = load_model(&m->old_rules, &m->old_scorer,
			    rules_json(&mql_gen_old_rules), "rules.json", err);
	if (!status)
		status = load_model(&m->true_rules, &m->true_scorer,
				    mql_gen_true_rules_json(), "truth.json",
				    err);
	if (status)
		mql_gen_models_release(m);
	return status;
}

void mql_gen_models_release(gen_models *m)
{
	if (!m)
		return;
	mql_scorer_free(m->old_scorer);
	mql_scorer_free(m->true_scorer);
	mql_rules_free(m->old_rules);
	mql_rules_free(m->true_rules);
	memset(m, 0, sizeof *m);
}

int mql_gen_fit_score(const mql_rules *rules, const gen_contact *c, double *out,
		      mql_error *err)
{
	double score = 0;
	for (size_t i = 0; i < rules->fit_count; i++) {
		const mql_rule *rule = &rules->fit[i];
		char number[32];
		const char *text =
			contact_text(c, rule->property, number, sizeof number);
		double x = 0;
		int status = mql_rule_fit_unit_text(
			rule, text, text ? strlen(text) : 0, &x, err);
		if (status)
			return status;
		score += rule->points * x;
	}
	*out = score;
	return MQL_OK;
}

int mql_gen_crossing(gen_models *m, const gen_contact *c, mql_time as_of,
		     mql_time *out, mql_error *err)
{
	mql_score_result result;
	double fit;
	int status = mql_gen_fit_score(m->old_rules, c, &fit, err);
	if (!status)
		status = mql_scorer_score_events(m->old_scorer, fit, c->created,
						 c->events, c->event_count,
						 as_of, &result, NULL, NULL);
	*out = status ? MQL_TIME_NONE : result.mql_at;
	return status;
}

int mql_gen_true_probability(gen_models *m, const gen_contact *c, mql_time t,
			     double *out, mql_error *err)
{
	mql_score_result result;
	double fit;
	int status = mql_gen_fit_score(m->true_rules, c, &fit, err);
	if (!status)
		status = mql_scorer_score_events(
			m->true_scorer, fit, c->created, c->events,
			c->event_count, t, &result, NULL, NULL);
	*out = status ? NAN : result.probability;
	return status;
}
