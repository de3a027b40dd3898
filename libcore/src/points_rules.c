/* points_rules.c - the rule file written from points (see points_history.h).
 */
#include <mqlcal/points_history.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The coefficient's rule with its id and new points, or NULL (no memory).
 * Key order does not matter: the rules writer puts keys in its own order. */
static cJSON *rule_with_points(const mql_model_coefficient *c,
			       const mql_points_rule *r)
{
	cJSON *rule = cJSON_Duplicate(c->rule, 1);
	if (!rule)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(rule, "id");
	cJSON_DeleteItemFromObjectCaseSensitive(rule, "points");
	if (!cJSON_AddStringToObject(rule, "id", r->id) ||
	    !cJSON_AddNumberToObject(rule, "points", r->points)) {
		cJSON_Delete(rule);
		return NULL;
	}
	return rule;
}

static int add_rules(cJSON *fit, cJSON *engagement, const mql_points *p,
		     const mql_model *m, mql_error *err)
{
	for (size_t i = 0; i < p->rule_count; i++) {
		const mql_model_coefficient *c =
			mql_model_find(m, p->rules[i].id);
		if (!c || !c->rule)
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "coefficients[%zu].rule: missing; "
					     "every coefficient needs its rule "
					     "to be written as points",
					     i);
		int is_engagement = cJSON_GetObjectItemCaseSensitive(
					    c->rule, "event") != NULL;
		cJSON *rule = rule_with_points(c, &p->rules[i]);
		if (!rule || !cJSON_AddItemToArray(
				     is_engagement ? engagement : fit, rule)) {
			cJSON_Delete(rule);
			return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
					     "out of memory");
		}
	}
	return MQL_OK;
}

static cJSON *calibration_json(const mql_points *p)
{
	cJSON *obj = cJSON_CreateObject();
	if (!obj ||
	    !cJSON_AddNumberToObject(obj, "points_per_logit", p->factor) ||
	    !cJSON_AddNumberToObject(obj, "logit_at_threshold",
				     p->logit_at_threshold)) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* Adds a copy of item (may be NULL) under key; 0 when out of memory. */
static int add_copy(cJSON *obj, const char *key, const cJSON *item)
{
	cJSON *copy = cJSON_Duplicate(item, 1);
	if (copy && cJSON_AddItemToObject(obj, key, copy))
		return 1;
	cJSON_Delete(copy);
	return 0;
}

/* The previous file's score_limit, grades (with their unknown keys) and
 * unknown top-level keys, added to doc.  Returns 0 or MQL_ERR_NOMEM. */
static int keep_previous(cJSON *doc, const mql_rules *previous)
{
	if (previous->has_score_limit &&
	    !cJSON_AddItemToObject(
		    doc, "score_limit",
		    cJSON_CreateDoubleArray(previous->score_limit, 2)))
		return MQL_ERR_NOMEM;
	if (previous->has_grades) {
		cJSON *grades = cJSON_AddObjectToObject(doc, "grades");
		if (!grades ||
		    !cJSON_AddItemToObject(
			    grades, "fit",
			    cJSON_CreateDoubleArray(previous->fit_grades, 3)) ||
		    !cJSON_AddItemToObject(
			    grades, "engagement",
			    cJSON_CreateDoubleArray(previous->engagement_grades,
						    3)))
			return MQL_ERR_NOMEM;
		for (const cJSON *k = previous->grades_extra
					      ? previous->grades_extra->child
					      : NULL;
		     k; k = k->next)
			if (!add_copy(grades, k->string, k))
				return MQL_ERR_NOMEM;
	}
	for (const cJSON *k = previous->extra ? previous->extra->child : NULL;
	     k; k = k->next)
		if (!cJSON_GetObjectItemCaseSensitive(doc, k->string) &&
		    !add_copy(doc, k->string, k))
			return MQL_ERR_NOMEM;
	return MQL_OK;
}

int mql_points_to_rules(mql_rules **out, const mql_points *p,
			const mql_model *m, const char *name, cJSON *provenance,
			const mql_rules *previous, mql_error *err)
{
	*out = NULL;
	cJSON *doc = cJSON_CreateObject();
	cJSON *fit = cJSON_CreateArray(), *engagement = cJSON_CreateArray();
	int status = MQL_ERR_NOMEM;
	if (doc && fit && engagement &&
	    cJSON_AddStringToObject(doc, "format", MQL_RULES_FORMAT) &&
	    cJSON_AddStringToObject(doc, "name", name ? name : "") &&
	    cJSON_AddNumberToObject(doc, "threshold", p->threshold)) {
		status = add_rules(fit, engagement, p, m, err);
		if (status == MQL_OK) {
			cJSON_AddItemToObject(doc, "fit", fit);
			cJSON_AddItemToObject(doc, "engagement", engagement);
			fit = engagement = NULL;
			cJSON *calibration = calibration_json(p);
			if (!calibration ||
			    !cJSON_AddItemToObject(doc, "calibration",
						   calibration)) {
				cJSON_Delete(calibration);
				status = MQL_ERR_NOMEM;
			}
		}
	}
	if (status == MQL_OK && previous)
		status = keep_previous(doc, previous);
	if (status == MQL_OK && provenance) {
		status = cJSON_AddItemToObject(doc, "provenance", provenance)
				 ? MQL_OK
				 : MQL_ERR_NOMEM;
		provenance = status == MQL_OK ? NULL : provenance;
	}
	char *text = status == MQL_OK ? cJSON_PrintUnformatted(doc) : NULL;
	if (status == MQL_OK && !text)
		status = MQL_ERR_NOMEM;
	if (status == MQL_OK)
		status = mql_rules_parse(out, text, strlen(text), name, err);
	else if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	cJSON_free(text);
	cJSON_Delete(provenance);
	cJSON_Delete(fit);
	cJSON_Delete(engagement);
	cJSON_Delete(doc);
	return status;
}
