/*
 * rules_read.c - reading `mqlcal.rules/1` JSON into an mql_rules.
 *
 * Type faults are reported here with the JSON path of the key; what the
 * values mean is checked by mql_rules_validate (rules.c), which also serves
 * rule files built in code.
 */
#include "rules_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

#define MAX_RULES_FILE	(16u << 20) /* a rule file is small; refuse more */
#define MAX_RULES_DEPTH 64	    /* rules, provenance: a few levels */

#define FAIL(...) mql_error_set(err, MQL_ERR_INPUT, file, 0, 0, __VA_ARGS__)

/* Keeps a copy of item under its key in *extra (created on first use). */
static int keep_unknown(cJSON **extra, const cJSON *item)
{
	if (!*extra && !(*extra = cJSON_CreateObject()))
		return MQL_ERR_NOMEM;
	cJSON *copy = cJSON_Duplicate(item, 1);
	if (!copy)
		return MQL_ERR_NOMEM;
	if (!cJSON_AddItemToObject(*extra, item->string, copy)) {
		cJSON_Delete(copy);
		return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

/* Reads a number into *out, or fails naming path.key. */
static int read_number(const cJSON *item, double *out, const char *file,
		       const char *path, mql_error *err)
{
	if (!cJSON_IsNumber(item))
		return FAIL("%s%s%s: must be a number", path,
			    path[0] ? "." : "", item->string);
	*out = item->valuedouble;
	return MQL_OK;
}

/* Reads a string into a fresh copy in *slot, or fails naming path.key. */
static int read_string(const cJSON *item, char **slot, const char *file,
		       const char *path, mql_error *err)
{
	if (!cJSON_IsString(item))
		return FAIL("%s%s%s: must be a string", path,
			    path[0] ? "." : "", item->string);
	char *copy = strdup(item->valuestring);
	if (!copy)
		return MQL_ERR_NOMEM;
	free(*slot);
	*slot = copy;
	return MQL_OK;
}

static int read_op(const cJSON *item, mql_rule *rule, const char *file,
		   const char *path, mql_error *err)
{
	if (!cJSON_IsString(item))
		return FAIL("%s.op: must be a string (expected in, not_in, "
			    "range, matches, missing, linear)",
			    path);
	for (int op = MQL_OP_IN; op <= MQL_OP_LINEAR; op++)
		if (strcmp(item->valuestring, mql_rule_op_name(op)) == 0) {
			rule->op = (mql_rule_op)op;
			return MQL_OK;
		}
	return FAIL("%s.op: unknown op '%s' (expected in, not_in, range, "
		    "matches, missing, linear)",
		    path, item->valuestring);
}

static int read_values(const cJSON *item, mql_rule *rule, const char *file,
		       const char *path, mql_error *err)
{
	if (!cJSON_IsArray(item))
		return FAIL("%s.values: must be an array of strings", path);
	size_t i = 0;
	for (const cJSON *v = item->child; v; v = v->next, i++) {
		if (!cJSON_IsString(v))
			return FAIL("%s.values[%zu]: must be a string", path,
				    i);
		if (mql_rule_add_value(rule, v->valuestring))
			return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

static int read_transform(const cJSON *item, mql_rule *rule, const char *file,
			  const char *path, mql_error *err)
{
	if (!cJSON_IsString(item) || strcmp(item->valuestring, "log1p") != 0)
		return FAIL("%s.transform: unknown transform '%s' (expected "
			    "log1p)",
			    path,
			    cJSON_IsString(item) ? item->valuestring : "?");
	rule->transform = MQL_TRANSFORM_LOG1P;
	return MQL_OK;
}

/* Reads a decay key; a second decay on the same rule is a fault. */
static int read_decay(const cJSON *item, mql_rule *rule, mql_decay_kind kind,
		      const char *file, const char *path, mql_error *err)
{
	if (rule->decay != MQL_DECAY_NONE)
		return FAIL("%s: two decays (%s and %s); expected at most one "
			    "of half_life_days, lifespan_days, window_days",
			    path, mql_rule_decay_key(rule->decay),
			    item->string);
	if (!cJSON_IsNumber(item) || !(item->valuedouble > 0) ||
	    !(item->valuedouble <= MQL_RULE_MAX_DAYS))
		return FAIL("%s.%s: must be a number > 0 and <= %g days", path,
			    item->string, MQL_RULE_MAX_DAYS);
	rule->decay = kind;
	rule->decay_days = item->valuedouble;
	return MQL_OK;
}

static int is_fit_key(const char *key)
{
	static const char *const keys[] = {"property", "op",  "values",
					   "min",      "max", "pattern",
					   "transform"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

static int is_engagement_key(const char *key)
{
	return strcmp(key, "event") == 0 || strcmp(key, "max_count") == 0 ||
	       strcmp(key, "half_life_days") == 0 ||
	       strcmp(key, "lifespan_days") == 0 ||
	       strcmp(key, "window_days") == 0;
}

/* Reads one key of a fit rule (the key is known to be a fit key). */
static int read_fit_key(const cJSON *item, mql_rule *rule, const char *file,
			const char *path, mql_error *err)
{
	const char *key = item->string;
	if (strcmp(key, "property") == 0)
		return read_string(item, &rule->property, file, path, err);
	if (strcmp(key, "op") == 0)
		return read_op(item, rule, file, path, err);
	if (strcmp(key, "values") == 0)
		return read_values(item, rule, file, path, err);
	if (strcmp(key, "min") == 0)
		return read_number(item, &rule->min, file, path, err);
	if (strcmp(key, "max") == 0)
		return read_number(item, &rule->max, file, path, err);
	if (strcmp(key, "pattern") == 0)
		return read_string(item, &rule->pattern, file, path, err);
	return read_transform(item, rule, file, path, err);
}

/* Reads one key of an engagement rule (known to be one). */
static int read_engagement_key(const cJSON *item, mql_rule *rule,
			       const char *file, const char *path,
			       mql_error *err)
{
	const char *key = item->string;
	if (strcmp(key, "event") == 0)
		return read_string(item, &rule->event, file, path, err);
	if (strcmp(key, "max_count") == 0) {
		if (!cJSON_IsNumber(item) || !(item->valuedouble > 0) ||
		    !(item->valuedouble <= MQL_RULE_MAX_COUNT))
			return FAIL("%s.max_count: must be a number > 0 and "
				    "<= %g",
				    path, MQL_RULE_MAX_COUNT);
		rule->max_count = item->valuedouble;
		return MQL_OK;
	}
	if (strcmp(key, "half_life_days") == 0)
		return read_decay(item, rule, MQL_DECAY_HALF_LIFE, file, path,
				  err);
	if (strcmp(key, "lifespan_days") == 0)
		return read_decay(item, rule, MQL_DECAY_LIFESPAN, file, path,
				  err);
	return read_decay(item, rule, MQL_DECAY_WINDOW, file, path, err);
}

/* Reads the keys of a rule object of a known kind into *rule. */
static int read_rule_keys(const cJSON *object, mql_rule *rule, const char *file,
			  const char *path, mql_error *err)
{
	if (!cJSON_IsObject(object))
		return FAIL("%s: must be an object", path);
	int status = MQL_OK;
	for (const cJSON *item = object->child; item && !status;
	     item = item->next) {
		const char *key = item->string;
		int fit_key = is_fit_key(key);
		int engagement_key = is_engagement_key(key);
		if (strcmp(key, "id") == 0)
			status = read_string(item, &rule->id, file, path, err);
		else if (strcmp(key, "points") == 0)
			status = read_number(item, &rule->points, file, path,
					     err);
		else if (fit_key && rule->kind == MQL_RULE_FIT)
			status = read_fit_key(item, rule, file, path, err);
		else if (engagement_key && rule->kind == MQL_RULE_ENGAGEMENT)
			status = read_engagement_key(item, rule, file, path,
						     err);
		else if (fit_key || engagement_key)
			status =
				FAIL("%s.%s: not used by %s rules", path, key,
				     rule->kind == MQL_RULE_FIT ? "fit"
								: "engagement");
		else
			status = keep_unknown(&rule->extra, item);
	}
	return status;
}

/* A zeroed rule with the "absent" markers set. */
static void init_rule(mql_rule *rule, mql_rule_kind kind)
{
	memset(rule, 0, sizeof *rule);
	rule->kind = kind;
	rule->min = NAN;
	rule->max = NAN;
	rule->points = NAN;
	rule->max_count = MQL_RULE_NO_CAP;
}

int mql_rule_from_json(mql_rule *out, const cJSON *object, const char *path,
		       mql_error *err)
{
	const char *file = NULL;
	if (!cJSON_IsObject(object))
		return FAIL("%s: must be an object", path);
	int has_fit = cJSON_HasObjectItem(object, "property") ||
		      cJSON_HasObjectItem(object, "op");
	int has_event = cJSON_HasObjectItem(object, "event");
	if (has_fit == has_event)
		return FAIL("%s: expected \"property\" and \"op\" (a fit "
			    "rule) or \"event\" (an engagement rule)",
			    path);
	init_rule(out, has_fit ? MQL_RULE_FIT : MQL_RULE_ENGAGEMENT);
	int status = read_rule_keys(object, out, file, path, err);
	if (!status)
		status = mql_rule_validate_one(out, 1, file, path, err);
	if (status)
		mql_rule_release(out);
	return status;
}

/* Reads the "fit" or "engagement" array into the rule list. */
static int read_rule_array(mql_rules *r, const cJSON *array, mql_rule_kind kind,
			   mql_error *err)
{
	const char *file = r->path;
	const char *name = kind == MQL_RULE_FIT ? "fit" : "engagement";
	if (!cJSON_IsArray(array))
		return FAIL("%s: must be an array of rule objects", name);
	size_t i = 0;
	for (const cJSON *object = array->child; object;
	     object = object->next, i++) {
		char path[48];
		snprintf(path, sizeof path, "%s[%zu]", name, i);
		mql_rule *rule =
			kind == MQL_RULE_FIT
				? mql_rules_add_fit(r, "", "", MQL_OP_IN, NAN)
				: mql_rules_add_engagement(r, "", "", NAN);
		if (!rule)
			return MQL_ERR_NOMEM;
		/* The builders set empty strings; absent keys stay absent. */
		free(rule->id);
		free(rule->property);
		free(rule->event);
		rule->id = rule->property = rule->event = NULL;
		rule->op = (mql_rule_op)-1;
		int status = read_rule_keys(object, rule, file, path, err);
		if (status)
			return status;
		if (kind == MQL_RULE_FIT && rule->op == (mql_rule_op)-1)
			return FAIL("%s.op: missing (expected in, not_in, "
				    "range, matches, missing, linear)",
				    path);
	}
	return MQL_OK;
}

/* Reads an array of exactly n numbers into out. */
static int read_number_array(const cJSON *item, double *out, int n,
			     const char *file, const char *path, mql_error *err)
{
	if (!cJSON_IsArray(item) || cJSON_GetArraySize(item) != n)
		return FAIL("%s: must be an array of %d numbers", path, n);
	int i = 0;
	for (const cJSON *v = item->child; v; v = v->next, i++) {
		if (!cJSON_IsNumber(v))
			return FAIL("%s[%d]: must be a number", path, i);
		out[i] = v->valuedouble;
	}
	return MQL_OK;
}

static int read_grades(mql_rules *r, const cJSON *item, mql_error *err)
{
	const char *file = r->path;
	if (!cJSON_IsObject(item))
		return FAIL("grades: must be an object with fit and "
			    "engagement cut-offs");
	int seen = 0, status = MQL_OK;
	for (const cJSON *v = item->child; v && !status; v = v->next) {
		if (strcmp(v->string, "fit") == 0) {
			status = read_number_array(v, r->fit_grades, 3, file,
						   "grades.fit", err);
			seen |= 1;
		} else if (strcmp(v->string, "engagement") == 0) {
			status = read_number_array(v, r->engagement_grades, 3,
						   file, "grades.engagement",
						   err);
			seen |= 2;
		} else {
			status = keep_unknown(&r->grades_extra, v);
		}
	}
	if (!status && seen != 3)
		return FAIL("grades: expected fit and engagement, each three "
			    "numbers");
	r->has_grades = 1;
	return status;
}

static int read_calibration(mql_rules *r, const cJSON *item, mql_error *err)
{
	const char *file = r->path;
	if (!cJSON_IsObject(item))
		return FAIL("calibration: must be an object");
	int seen = 0, status = MQL_OK;
	for (const cJSON *v = item->child; v && !status; v = v->next) {
		if (strcmp(v->string, "points_per_logit") == 0) {
			status = read_number(v, &r->points_per_logit, file,
					     "calibration", err);
			seen |= 1;
		} else if (strcmp(v->string, "logit_at_threshold") == 0) {
			status = read_number(v, &r->logit_at_threshold, file,
					     "calibration", err);
			seen |= 2;
		} else {
			status = keep_unknown(&r->calibration_extra, v);
		}
	}
	if (!status && seen != 3)
		return FAIL("calibration: expected points_per_logit and "
			    "logit_at_threshold");
	r->has_calibration = 1;
	return status;
}

/* Reads one top-level key. */
static int read_top_key(mql_rules *r, const cJSON *item, int *seen_format,
			int *seen_threshold, mql_error *err)
{
	const char *file = r->path;
	const char *key = item->string;
	if (strcmp(key, "format") == 0) {
		*seen_format = 1;
		if (!cJSON_IsString(item) ||
		    strcmp(item->valuestring, MQL_RULES_FORMAT) != 0)
			return FAIL("format: expected \"%s\"",
				    MQL_RULES_FORMAT);
		return MQL_OK;
	}
	if (strcmp(key, "name") == 0)
		return read_string(item, &r->name, file, "", err);
	if (strcmp(key, "threshold") == 0) {
		*seen_threshold = 1;
		return read_number(item, &r->threshold, file, "", err);
	}
	if (strcmp(key, "fit") == 0)
		return read_rule_array(r, item, MQL_RULE_FIT, err);
	if (strcmp(key, "engagement") == 0)
		return read_rule_array(r, item, MQL_RULE_ENGAGEMENT, err);
	if (strcmp(key, "score_limit") == 0) {
		r->has_score_limit = 1;
		return read_number_array(item, r->score_limit, 2, file,
					 "score_limit", err);
	}
	if (strcmp(key, "grades") == 0)
		return read_grades(r, item, err);
	if (strcmp(key, "calibration") == 0)
		return read_calibration(r, item, err);
	if (strcmp(key, "provenance") == 0) {
		if (!cJSON_IsObject(item))
			return FAIL("provenance: must be an object");
		cJSON_Delete(r->provenance);
		r->provenance = cJSON_Duplicate(item, 1);
		return r->provenance ? MQL_OK : MQL_ERR_NOMEM;
	}
	return keep_unknown(&r->extra, item);
}

/* Rejects a known key given twice (JSON allows it; the meaning is unclear). */
static int check_repeated_keys(const cJSON *root, const char *file,
			       mql_error *err)
{
	for (const cJSON *a = root->child; a; a = a->next)
		for (const cJSON *b = a->next; b; b = b->next)
			if (strcmp(a->string, b->string) == 0)
				return FAIL("%s: key given twice; expected "
					    "each key once",
					    a->string);
	return MQL_OK;
}

static int read_root(mql_rules *r, const cJSON *root, mql_error *err)
{
	const char *file = r->path;
	if (!cJSON_IsObject(root))
		return FAIL("expected a JSON object at the top level");
	int status = check_repeated_keys(root, file, err);
	int seen_format = 0, seen_threshold = 0;
	for (const cJSON *item = root->child; item && !status;
	     item = item->next)
		status = read_top_key(r, item, &seen_format, &seen_threshold,
				      err);
	if (status)
		return status;
	if (!seen_format)
		return FAIL("format: missing; expected \"%s\"",
			    MQL_RULES_FORMAT);
	if (!seen_threshold)
		return FAIL("threshold: missing; expected a number");
	return mql_rules_validate(r, err);
}

int mql_rules_parse(mql_rules **out, const char *text, size_t len,
		    const char *name, mql_error *err)
{
	*out = NULL;
	mql_rules *r = mql_rules_new();
	if (!r || (name && !(r->path = strdup(name)))) {
		mql_rules_free(r);
		return MQL_ERR_NOMEM;
	}
	cJSON *root = NULL;
	int status = mql_file_read_json(&root, text, len, MAX_RULES_DEPTH, name,
					"a rule file object", err);
	if (!status)
		status = read_root(r, root, err);
	cJSON_Delete(root);
	if (status) {
		mql_rules_free(r);
		return status;
	}
	*out = r;
	return MQL_OK;
}

/* The message for a failed read of the rule file path. */
static int read_failed(int status, const char *path, mql_error *err)
{
	switch (status) {
	case MQL_ERR_NOFILE:
		return mql_error_set(err, status, path, 0, 0, "cannot open: %s",
				     strerror(errno));
	case MQL_ERR_INPUT:
		return mql_error_set(err, status, path, 0, 0,
				     "larger than 16 MiB; expected a rule "
				     "file");
	case MQL_ERR_IO:
		return mql_error_set(err, status, path, 0, 0, "read failed: %s",
				     strerror(errno));
	default: return status;
	}
}

int mql_rules_load(mql_rules **out, const char *path, mql_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int status = mql_file_read_whole(&text, &len, path, MAX_RULES_FILE);
	if (status)
		return read_failed(status, path, err);
	status = mql_rules_parse(out, text, len, path, err);
	free(text);
	return status;
}
