/*
 * rules.c - the rule file in memory: building, validation, regexes.
 * Reading JSON is in rules_read.c, writing in rules_write.c.
 */
#include "rules_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const op_names[] = {"in",	  "not_in",  "range",
				       "matches", "missing", "linear"};

const char *mql_rule_op_name(mql_rule_op op)
{
	if ((size_t)op >= sizeof op_names / sizeof op_names[0])
		return NULL;
	return op_names[op];
}

mql_rules *mql_rules_new(void)
{
	mql_rules *r = calloc(1, sizeof *r);
	return r;
}

void mql_rule_release(mql_rule *rule)
{
	if (!rule)
		return;
	free(rule->id);
	free(rule->property);
	for (size_t i = 0; i < rule->value_count; i++)
		free(rule->values[i]);
	free(rule->values);
	free(rule->pattern);
	if (rule->regex) {
		regfree(rule->regex);
		free(rule->regex);
	}
	free(rule->event);
	cJSON_Delete(rule->extra);
	memset(rule, 0, sizeof *rule);
}

void mql_rules_free(mql_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->fit_count; i++)
		mql_rule_release(&r->fit[i]);
	for (size_t i = 0; i < r->engagement_count; i++)
		mql_rule_release(&r->engagement[i]);
	free(r->fit);
	free(r->engagement);
	free(r->name);
	cJSON_Delete(r->calibration_extra);
	cJSON_Delete(r->grades_extra);
	cJSON_Delete(r->provenance);
	cJSON_Delete(r->extra);
	free(r->path);
	free(r);
}

/* Replaces *slot with a copy of text (NULL clears).  0 or MQL_ERR_NOMEM. */
static int set_string(char **slot, const char *text)
{
	char *copy = NULL;
	if (text) {
		copy = strdup(text);
		if (!copy)
			return MQL_ERR_NOMEM;
	}
	free(*slot);
	*slot = copy;
	return MQL_OK;
}

int mql_rule_add_value(mql_rule *rule, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return MQL_ERR_NOMEM;
	char **grown =
		realloc(rule->values, (rule->value_count + 1) * sizeof *grown);
	if (!grown) {
		free(copy);
		return MQL_ERR_NOMEM;
	}
	rule->values = grown;
	rule->values[rule->value_count++] = copy;
	return MQL_OK;
}

/* Appends a zeroed rule to *list and returns it, or NULL (out of memory). */
static mql_rule *append_rule(mql_rule **list, size_t *count, size_t *capacity)
{
	if (*count == *capacity) {
		size_t wanted = *capacity ? 2 * *capacity : 8;
		mql_rule *grown = realloc(*list, wanted * sizeof *grown);
		if (!grown)
			return NULL;
		*list = grown;
		*capacity = wanted;
	}
	mql_rule *rule = &(*list)[(*count)++];
	memset(rule, 0, sizeof *rule);
	rule->min = NAN;
	rule->max = NAN;
	rule->points = NAN;
	rule->max_count = MQL_RULE_NO_CAP;
	return rule;
}

mql_rule *mql_rules_add_fit(mql_rules *r, const char *id, const char *property,
			    mql_rule_op op, double points)
{
	mql_rule *rule = append_rule(&r->fit, &r->fit_count, &r->fit_capacity);
	if (!rule)
		return NULL;
	rule->kind = MQL_RULE_FIT;
	rule->op = op;
	rule->points = points;
	if (set_string(&rule->id, id) ||
	    set_string(&rule->property, property)) {
		mql_rule_release(rule);
		r->fit_count--;
		return NULL;
	}
	return rule;
}

mql_rule *mql_rules_add_engagement(mql_rules *r, const char *id,
				   const char *event, double points)
{
	mql_rule *rule = append_rule(&r->engagement, &r->engagement_count,
				     &r->engagement_capacity);
	if (!rule)
		return NULL;
	rule->kind = MQL_RULE_ENGAGEMENT;
	rule->points = points;
	if (set_string(&rule->id, id) || set_string(&rule->event, event)) {
		mql_rule_release(rule);
		r->engagement_count--;
		return NULL;
	}
	return rule;
}

const mql_rule *mql_rules_find(const mql_rules *r, const char *id)
{
	for (size_t i = 0; i < r->fit_count; i++)
		if (strcmp(r->fit[i].id, id) == 0)
			return &r->fit[i];
	for (size_t i = 0; i < r->engagement_count; i++)
		if (strcmp(r->engagement[i].id, id) == 0)
			return &r->engagement[i];
	return NULL;
}

/* The name of the decay's key in the file ("half_life_days"), or NULL. */
const char *mql_rule_decay_key(mql_decay_kind decay)
{
	switch (decay) {
	case MQL_DECAY_HALF_LIFE: return "half_life_days";
	case MQL_DECAY_LIFESPAN: return "lifespan_days";
	case MQL_DECAY_WINDOW: return "window_days";
	default: return NULL;
	}
}

/* Compiles the rule's pattern.  0, MQL_ERR_INPUT (message) or _NOMEM. */
static int compile_pattern(mql_rule *rule, const char *file, const char *path,
			   mql_error *err)
{
	if (rule->regex)
		return MQL_OK;
	int status = mql_rule_check_pattern(rule->pattern, file, path, err);
	if (status)
		return status;
	regex_t *re = malloc(sizeof *re);
	if (!re)
		return MQL_ERR_NOMEM;
	int rc = regcomp(re, rule->pattern,
			 REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		char why[256];
		regerror(rc, re, why, sizeof why);
		free(re);
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "%s.pattern: regex '%s' does not compile "
				     "(%s); expected a POSIX extended regex",
				     path, rule->pattern, why);
	}
	rule->regex = re;
	return MQL_OK;
}

#define FAIL(...) mql_error_set(err, MQL_ERR_INPUT, file, 0, 0, __VA_ARGS__)

/* Whether x lies within +-bound (NAN passes when absent_ok: an absent
 * optional number). */
static int within(double x, double bound, int absent_ok)
{
	return isnan(x) ? absent_ok : fabs(x) <= bound;
}

/* Checks the fields of a fit rule against its op. */
static int validate_fit(mql_rule *rule, const char *file, const char *path,
			mql_error *err)
{
	const char *op = mql_rule_op_name(rule->op);
	if (!op)
		return FAIL("%s.op: unknown op (expected in, not_in, range, "
			    "matches, missing, linear)",
			    path);
	if (!rule->property || !rule->property[0])
		return FAIL("%s.property: must be a non-empty string", path);
	int wants_values = rule->op == MQL_OP_IN || rule->op == MQL_OP_NOT_IN;
	int wants_bounds =
		rule->op == MQL_OP_RANGE || rule->op == MQL_OP_LINEAR;
	if (wants_values && rule->value_count == 0)
		return FAIL("%s.values: must be a non-empty array of strings "
			    "for op '%s'",
			    path, op);
	if (!wants_values && rule->value_count > 0)
		return FAIL("%s.values: not used by op '%s'", path, op);
	if (!wants_bounds && !isnan(rule->min))
		return FAIL("%s.min: not used by op '%s'", path, op);
	if (!wants_bounds && !isnan(rule->max))
		return FAIL("%s.max: not used by op '%s'", path, op);
	if (wants_bounds && !(within(rule->min, MQL_RULE_MAX_BOUND, 1) &&
			      within(rule->max, MQL_RULE_MAX_BOUND, 1)))
		return FAIL("%s.%s: must be a number within +-%g", path,
			    within(rule->min, MQL_RULE_MAX_BOUND, 1) ? "max"
								     : "min",
			    MQL_RULE_MAX_BOUND);
	if (rule->op == MQL_OP_RANGE && isnan(rule->min) && isnan(rule->max))
		return FAIL("%s: op 'range' needs min, max or both", path);
	if (rule->op == MQL_OP_RANGE && rule->min >= rule->max)
		return FAIL("%s.max: must be > min (%g)", path, rule->min);
	if (rule->op == MQL_OP_LINEAR && rule->min > rule->max)
		return FAIL("%s.max: must be >= min (%g)", path, rule->min);
	if (rule->op != MQL_OP_LINEAR && rule->transform != MQL_TRANSFORM_NONE)
		return FAIL("%s.transform: not used by op '%s'", path, op);
	if (rule->op == MQL_OP_LINEAR &&
	    rule->transform == MQL_TRANSFORM_LOG1P && rule->min <= -1)
		return FAIL("%s.min: must be > -1 with transform 'log1p'",
			    path);
	if (rule->op != MQL_OP_MATCHES && rule->pattern)
		return FAIL("%s.pattern: not used by op '%s'", path, op);
	if (rule->op == MQL_OP_MATCHES) {
		if (!rule->pattern || !rule->pattern[0])
			return FAIL("%s.pattern: must be a non-empty string "
				    "for op 'matches'",
				    path);
		return compile_pattern(rule, file, path, err);
	}
	return MQL_OK;
}

/* Checks the decay and cap of an engagement rule. */
static int validate_engagement(const mql_rule *rule, const char *file,
			       const char *path, mql_error *err)
{
	if (!rule->event || !rule->event[0])
		return FAIL("%s.event: must be a non-empty string", path);
	const char *key = mql_rule_decay_key(rule->decay);
	if (rule->decay != MQL_DECAY_NONE &&
	    (!key ||
	     !(rule->decay_days > 0 && rule->decay_days <= MQL_RULE_MAX_DAYS)))
		return FAIL("%s.%s: must be a number > 0 and <= %g days", path,
			    key ? key : "decay", MQL_RULE_MAX_DAYS);
	if (rule->max_count != MQL_RULE_NO_CAP &&
	    !(rule->max_count > 0 && rule->max_count <= MQL_RULE_MAX_COUNT))
		return FAIL("%s.max_count: must be a number > 0 and <= %g",
			    path, MQL_RULE_MAX_COUNT);
	return MQL_OK;
}

/* Checks what every rule has: an id, and finite points unless optional. */
static int validate_common(const mql_rule *rule, int points_optional,
			   const char *file, const char *path, mql_error *err)
{
	if (!rule->id || !rule->id[0])
		return FAIL("%s.id: must be a non-empty string", path);
	if (isnan(rule->points) && !points_optional)
		return FAIL("%s.points: must be a number", path);
	if (!within(rule->points, MQL_RULE_MAX_POINTS, 1))
		return FAIL("%s.points: must be a number within +-%g", path,
			    MQL_RULE_MAX_POINTS);
	return MQL_OK;
}

int mql_rule_validate_one(mql_rule *rule, int points_optional, const char *file,
			  const char *path, mql_error *err)
{
	int status = validate_common(rule, points_optional, file, path, err);
	if (status)
		return status;
	if (rule->kind == MQL_RULE_FIT)
		return validate_fit(rule, file, path, err);
	return validate_engagement(rule, file, path, err);
}

/* Path of rule i of the list ("fit[3]") into buf. */
static const char *rule_path(const mql_rule *rule, size_t i, char *buf,
			     size_t n)
{
	snprintf(buf, n, "%s[%zu]",
		 rule->kind == MQL_RULE_FIT ? "fit" : "engagement", i);
	return buf;
}

/* Rejects an id used twice, naming both places. */
static int check_duplicate_ids(const mql_rules *r, mql_error *err)
{
	const char *file = r->path;
	size_t total = r->fit_count + r->engagement_count;
	for (size_t a = 1; a < total; a++) {
		size_t ia = a < r->fit_count ? a : a - r->fit_count;
		const mql_rule *ra =
			a < r->fit_count ? &r->fit[ia] : &r->engagement[ia];
		for (size_t b = 0; b < a; b++) {
			size_t ib = b < r->fit_count ? b : b - r->fit_count;
			const mql_rule *rb = b < r->fit_count
						     ? &r->fit[ib]
						     : &r->engagement[ib];
			if (strcmp(ra->id, rb->id) != 0)
				continue;
			char pa[48], pb[48];
			return FAIL("%s.id: duplicate id '%s' (also %s.id); "
				    "expected unique ids",
				    rule_path(ra, ia, pa, sizeof pa), ra->id,
				    rule_path(rb, ib, pb, sizeof pb));
		}
	}
	return MQL_OK;
}

/* Checks threshold, score_limit, grades and calibration. */
static int validate_options(const mql_rules *r, mql_error *err)
{
	const char *file = r->path;
	if (!within(r->threshold, MQL_RULE_MAX_SCORE, 0))
		return FAIL("threshold: must be a number within +-%g",
			    MQL_RULE_MAX_SCORE);
	if (r->has_score_limit &&
	    (!within(r->score_limit[0], MQL_RULE_MAX_SCORE, 0) ||
	     !within(r->score_limit[1], MQL_RULE_MAX_SCORE, 0) ||
	     r->score_limit[0] > r->score_limit[1]))
		return FAIL("score_limit: must be [lo, hi] with lo <= hi, "
			    "each within +-%g",
			    MQL_RULE_MAX_SCORE);
	if (r->has_grades) {
		const double *cuts[2] = {r->fit_grades, r->engagement_grades};
		const char *names[2] = {"fit", "engagement"};
		for (int g = 0; g < 2; g++)
			for (int i = 0; i < 3; i++)
				if (!within(cuts[g][i], MQL_RULE_MAX_SCORE,
					    0) ||
				    (i > 0 && cuts[g][i] > cuts[g][i - 1]))
					return FAIL("grades.%s: must be three "
						    "numbers in descending "
						    "order, each within +-%g",
						    names[g],
						    MQL_RULE_MAX_SCORE);
	}
	if (r->has_calibration) {
		if (!(r->points_per_logit > 0 &&
		      r->points_per_logit <= MQL_RULE_MAX_POINTS))
			return FAIL("calibration.points_per_logit: must be a "
				    "number > 0 and <= %g",
				    MQL_RULE_MAX_POINTS);
		if (!within(r->logit_at_threshold, MQL_RULE_MAX_POINTS, 0))
			return FAIL("calibration.logit_at_threshold: must be "
				    "a number within +-%g",
				    MQL_RULE_MAX_POINTS);
	}
	return MQL_OK;
}

/* Refuses a file whose patterns together would take too much to compile
 * (each alone is checked when its rule is). */
static int check_patterns_size(const mql_rules *r, mql_error *err)
{
	const char *file = r->path;
	double total = 0;
	for (size_t i = 0; i < r->fit_count; i++) {
		const mql_rule *rule = &r->fit[i];
		double size = rule->op == MQL_OP_MATCHES && rule->pattern
				      ? mql_rule_pattern_size(rule->pattern)
				      : 0;
		/* one too large alone is named by its rule's own check */
		total += size <= MQL_RULE_MAX_PATTERN_SIZE ? size : 0;
		if (total > MQL_RULE_MAX_PATTERNS_SIZE)
			return FAIL("fit[%zu].pattern: the patterns up to this "
				    "one expand to more than %d atoms in all; "
				    "expected fewer or smaller regexes",
				    i, MQL_RULE_MAX_PATTERNS_SIZE);
	}
	return MQL_OK;
}

int mql_rules_validate(mql_rules *r, mql_error *err)
{
	int status = validate_options(r, err);
	if (!status)
		status = check_patterns_size(r, err);
	char path[48];
	for (size_t i = 0; !status && i < r->fit_count; i++) {
		r->fit[i].kind = MQL_RULE_FIT;
		status = mql_rule_validate_one(
			&r->fit[i], 0, r->path,
			rule_path(&r->fit[i], i, path, sizeof path), err);
	}
	for (size_t i = 0; !status && i < r->engagement_count; i++) {
		r->engagement[i].kind = MQL_RULE_ENGAGEMENT;
		status = mql_rule_validate_one(
			&r->engagement[i], 0, r->path,
			rule_path(&r->engagement[i], i, path, sizeof path),
			err);
	}
	if (!status)
		status = check_duplicate_ids(r, err);
	return status;
}
