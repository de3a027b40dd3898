/*
 * gen_rules.c - evaluating the generator's two rule sets on a generated
 * contact (fit score, score at a time, first threshold crossing) and writing
 * them as mqlcal.rules/1 objects.  The score follows SPEC.md: fit points of
 * matching rules plus, per engagement rule, points * min(max_count, D(t)),
 * D(t) the decayed count of its events at or before t.
 */
#include "gen_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MEMBER_STRIDE 16 /* >= the longest value list of any property */

static const char *const property_names[PROP_COUNT] = {
	[PROP_JOB_TITLE] = "job_title",	      [PROP_SENIORITY] = "seniority",
	[PROP_COMPANY_SIZE] = "company_size", [PROP_INDUSTRY] = "industry",
	[PROP_COUNTRY] = "country",	      [PROP_CHANNEL] = "channel"};

/* The value list of a categorical property, or NULL (title, size). */
static const char *const *property_levels(enum gen_property p, size_t *count)
{
	switch (p) {
	case PROP_SENIORITY:
		*count = SENIORITY_COUNT;
		return mql_gen_seniorities;
	case PROP_INDUSTRY: *count = INDUSTRY_COUNT; return mql_gen_industries;
	case PROP_COUNTRY: *count = COUNTRY_COUNT; return mql_gen_countries;
	default: *count = 0; return NULL;
	}
}

/* The level index of a categorical property of c; -1 when missing. */
static int property_level(const gen_contact *c, enum gen_property p)
{
	switch (p) {
	case PROP_SENIORITY: return c->seniority;
	case PROP_INDUSTRY: return c->industry;
	case PROP_COUNTRY: return c->country;
	case PROP_CHANNEL: return (int)c->channel;
	default: return -1;
	}
}

/* The text of a property of c, NULL when missing (size has none). */
static const char *property_text(const gen_contact *c, enum gen_property p)
{
	int level;
	if (p == PROP_JOB_TITLE)
		return c->job_title[0] ? c->job_title : NULL;
	if (p == PROP_CHANNEL)
		return mql_gen_channels[c->channel].name;
	level = property_level(c, p);
	if (level < 0)
		return NULL;
	if (p == PROP_SENIORITY)
		return mql_gen_seniorities[level];
	if (p == PROP_INDUSTRY)
		return mql_gen_industries[level];
	if (p == PROP_COUNTRY)
		return mql_gen_countries[level];
	return NULL;
}

static int value_listed(const gen_rule *rule, const char *text)
{
	for (size_t v = 0; rule->values[v]; v++)
		if (strcasecmp(rule->values[v], text) == 0)
			return 1;
	return 0;
}

int mql_gen_ruler_init(gen_ruler *r, const gen_rule_set *set, mql_error *err)
{
	memset(r, 0, sizeof *r);
	r->set = set;
	r->member_stride = MEMBER_STRIDE;
	r->patterns = calloc(set->count, sizeof *r->patterns);
	r->member = calloc(set->count * MEMBER_STRIDE, 1);
	if (!r->patterns || !r->member) {
		mql_gen_ruler_release(r);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory for the rules");
	}
	for (size_t i = 0; i < set->count; i++) {
		const gen_rule *rule = &set->rules[i];
		if (rule->engagement)
			continue;
		if (rule->op == OP_MATCHES) {
			if (regcomp(&r->patterns[i], rule->pattern,
				    REG_EXTENDED | REG_ICASE | REG_NOSUB)) {
				mql_gen_ruler_release(r);
				return mql_error_set(
					err, MQL_ERR_INTERNAL, NULL, 0, 0,
					"rule '%s': pattern does not compile",
					rule->id);
			}
		} else if (rule->op == OP_IN) {
			size_t count = 0;
			const char *const *levels =
				property_levels(rule->property, &count);
			if (rule->property == PROP_CHANNEL) {
				for (size_t v = 0; v < CH_COUNT; v++)
					r->member[i * MEMBER_STRIDE + v] =
						(unsigned char)value_listed(
							rule,
							mql_gen_channels[v]
								.name);
			}
			for (size_t v = 0; levels && v < count; v++)
				r->member[i * MEMBER_STRIDE + v] =
					(unsigned char)value_listed(rule,
								    levels[v]);
		}
	}
	return MQL_OK;
}

void mql_gen_ruler_release(gen_ruler *r)
{
	if (!r)
		return;
	if (r->patterns && r->set)
		for (size_t i = 0; i < r->set->count; i++)
			if (!r->set->rules[i].engagement &&
			    r->set->rules[i].op == OP_MATCHES)
				regfree(&r->patterns[i]);
	free(r->patterns);
	free(r->member);
	r->patterns = NULL;
	r->member = NULL;
}

/* Does fit rule i of r match c? */
static int fit_matches(const gen_ruler *r, size_t i, const gen_contact *c)
{
	const gen_rule *rule = &r->set->rules[i];
	const char *text;
	int level;

	if (rule->property == PROP_COMPANY_SIZE) {
		double size = c->company_size;
		if (rule->op == OP_MISSING)
			return isnan(size);
		if (rule->op != OP_RANGE || isnan(size))
			return 0;
		return (isnan(rule->min) || size >= rule->min) &&
		       (isnan(rule->max) || size < rule->max);
	}
	text = property_text(c, rule->property);
	if (rule->op == OP_MISSING)
		return text == NULL;
	if (!text)
		return 0;
	if (rule->op == OP_MATCHES)
		return regexec(&r->patterns[i], text, 0, NULL, 0) == 0;
	if (rule->op != OP_IN)
		return 0;
	if (rule->property == PROP_JOB_TITLE)
		return value_listed(rule, text);
	level = property_level(c, rule->property);
	return level >= 0 && r->member[i * r->member_stride + (size_t)level];
}

double mql_gen_fit_score(const gen_ruler *r, const gen_contact *c)
{
	double score = 0;
	for (size_t i = 0; i < r->set->count; i++)
		if (!r->set->rules[i].engagement && fit_matches(r, i, c))
			score += r->set->rules[i].points;
	return score;
}

/* Weight of an event of age age_seconds under rule's decay. */
static double decay_weight(const gen_rule *rule, mql_time age_seconds)
{
	double age_days = (double)age_seconds / MQL_SECONDS_PER_DAY;
	switch (rule->decay) {
	case DECAY_HALF_LIFE: return exp2(-age_days / rule->decay_days);
	case DECAY_WINDOW: return age_days < rule->decay_days ? 1.0 : 0.0;
	default: return 1.0;
	}
}

static double capped(const gen_rule *rule, double count)
{
	return rule->max_count > 0 && count > rule->max_count ? rule->max_count
							      : count;
}

double mql_gen_score_at(const gen_ruler *r, const gen_contact *c, mql_time t)
{
	double score = r->set->intercept + mql_gen_fit_score(r, c);
	for (size_t i = 0; i < r->set->count; i++) {
		const gen_rule *rule = &r->set->rules[i];
		double count = 0;
		if (!rule->engagement)
			continue;
		for (size_t e = 0; e < c->event_count; e++) {
			const gen_event *ev = &c->events[e];
			if (ev->time > t)
				break;
			if (ev->type == (int16_t)rule->event)
				count += decay_weight(rule, t - ev->time);
		}
		score += rule->points * capped(rule, count);
	}
	return score;
}

/*
 * The engagement part at time t, computed from scratch for the rules that
 * decay and from running counts for those that do not.  running[i] holds
 * the count of rule i's events up to t.
 */
static double engagement_at(const gen_ruler *r, const gen_contact *c,
			    const double *running, mql_time t)
{
	double score = 0;
	for (size_t i = 0; i < r->set->count; i++) {
		const gen_rule *rule = &r->set->rules[i];
		double count = running[i];
		if (!rule->engagement)
			continue;
		if (rule->decay != DECAY_NONE) {
			count = 0;
			for (size_t e = 0; e < c->event_count; e++) {
				const gen_event *ev = &c->events[e];
				if (ev->time > t)
					break;
				if (ev->type == (int16_t)rule->event)
					count += decay_weight(rule,
							      t - ev->time);
			}
		}
		score += rule->points * capped(rule, count);
	}
	return score;
}

mql_time mql_gen_first_crossing(const gen_ruler *r, const gen_contact *c)
{
	double running[64] = {0};
	double fit = mql_gen_fit_score(r, c);
	size_t e = 0;

	if (fit >= r->set->threshold)
		return c->created;
	while (e < c->event_count) {
		mql_time t = c->events[e].time;
		int touched = 0;
		/* All events at the same second count together. */
		for (; e < c->event_count && c->events[e].time == t; e++) {
			for (size_t i = 0; i < r->set->count && i < 64; i++) {
				const gen_rule *rule = &r->set->rules[i];
				if (rule->engagement &&
				    (int)rule->event == c->events[e].type) {
					running[i] += 1;
					touched = 1;
				}
			}
		}
		if (touched &&
		    fit + engagement_at(r, c, running, t) >= r->set->threshold)
			return t;
	}
	return MQL_TIME_NONE;
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

cJSON *mql_gen_rules_json(const gen_rule_set *set)
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
