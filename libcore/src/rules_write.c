/*
 * rules_write.c - the rule file as deterministic, diff-friendly JSON.
 *
 * Known keys come in a fixed order, unknown keys after them in the order
 * they were read; each rule is one line inside its array; numbers print as
 * integers when they are whole, else in the shortest form that reads back
 * to the same double.  The same rules give the same bytes.
 */
#include "rules_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A growing string; failed stays set after the first allocation failure. */
typedef struct text {
	char *data;
	size_t len;
	size_t capacity;
	int failed;
} text;

static void put_bytes(text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->capacity) {
		size_t wanted = t->capacity ? t->capacity : 1024;
		while (wanted < t->len + n + 1)
			wanted *= 2;
		char *grown = realloc(t->data, wanted);
		if (!grown) {
			t->failed = 1;
			return;
		}
		t->data = grown;
		t->capacity = wanted;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void put(text *t, const char *s)
{
	put_bytes(t, s, strlen(s));
}

/* A JSON string literal with the escapes JSON requires. */
static void put_string(text *t, const char *s)
{
	put(t, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		switch (*p) {
		case '"': put(t, "\\\""); break;
		case '\\': put(t, "\\\\"); break;
		case '\n': put(t, "\\n"); break;
		case '\r': put(t, "\\r"); break;
		case '\t': put(t, "\\t"); break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof esc, "\\u%04x", *p);
				put(t, esc);
			} else {
				put_bytes(t, (const char *)p, 1);
			}
		}
	}
	put(t, "\"");
}

/* Whole numbers as integers, others in the shortest exact form. */
static void put_number(text *t, double x)
{
	char buf[40];
	if (!isfinite(x)) {
		put(t, "null"); /* validated files never hold one */
		return;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(buf, sizeof buf, "%.0f", x == 0 ? 0.0 : x);
	} else {
		for (int digits = 15; digits <= 17; digits++) {
			snprintf(buf, sizeof buf, "%.*g", digits, x);
			if (strtod(buf, NULL) == x)
				break;
		}
	}
	put(t, buf);
}

static void put_value(text *t, const cJSON *v);

/* The members of object o (without braces), "key": value, comma-led. */
static void put_members(text *t, const cJSON *o, int *first)
{
	for (const cJSON *m = o ? o->child : NULL; m; m = m->next) {
		put(t, *first ? "" : ", ");
		*first = 0;
		put_string(t, m->string);
		put(t, ": ");
		put_value(t, m);
	}
}

/* Any JSON value on one line, with ", " and ": " separators. */
static void put_value(text *t, const cJSON *v)
{
	if (cJSON_IsNumber(v)) {
		put_number(t, v->valuedouble);
	} else if (cJSON_IsString(v)) {
		put_string(t, v->valuestring);
	} else if (cJSON_IsBool(v)) {
		put(t, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsArray(v)) {
		put(t, "[");
		for (const cJSON *e = v->child; e; e = e->next) {
			put_value(t, e);
			if (e->next)
				put(t, ", ");
		}
		put(t, "]");
	} else if (cJSON_IsObject(v)) {
		int first = 1;
		put(t, "{");
		put_members(t, v, &first);
		put(t, "}");
	} else {
		put(t, "null");
	}
}

/* ", "key": " (or without the comma for the first member). */
static void put_key(text *t, const char *key, int *first)
{
	put(t, *first ? "" : ", ");
	*first = 0;
	put_string(t, key);
	put(t, ": ");
}

static void put_fit_fields(text *t, const mql_rule *rule, int *first)
{
	put_key(t, "property", first);
	put_string(t, rule->property ? rule->property : "");
	put_key(t, "op", first);
	put_string(t, mql_rule_op_name(rule->op) ? mql_rule_op_name(rule->op)
						 : "");
	if (rule->value_count > 0) {
		put_key(t, "values", first);
		put(t, "[");
		for (size_t i = 0; i < rule->value_count; i++) {
			put(t, i ? ", " : "");
			put_string(t, rule->values[i]);
		}
		put(t, "]");
	}
	if (!isnan(rule->min)) {
		put_key(t, "min", first);
		put_number(t, rule->min);
	}
	if (!isnan(rule->max)) {
		put_key(t, "max", first);
		put_number(t, rule->max);
	}
	if (rule->pattern) {
		put_key(t, "pattern", first);
		put_string(t, rule->pattern);
	}
	if (rule->transform == MQL_TRANSFORM_LOG1P) {
		put_key(t, "transform", first);
		put_string(t, "log1p");
	}
}

/* One rule object on one line. */
static void put_rule(text *t, const mql_rule *rule, int with_points)
{
	int first = 1;
	put(t, "{");
	put_key(t, "id", &first);
	put_string(t, rule->id ? rule->id : "");
	if (rule->kind == MQL_RULE_FIT) {
		put_fit_fields(t, rule, &first);
	} else {
		put_key(t, "event", &first);
		put_string(t, rule->event ? rule->event : "");
	}
	if (with_points && !isnan(rule->points)) {
		put_key(t, "points", &first);
		put_number(t, rule->points);
	}
	if (rule->kind == MQL_RULE_ENGAGEMENT) {
		const char *decay = mql_rule_decay_key(rule->decay);
		if (decay) {
			put_key(t, decay, &first);
			put_number(t, rule->decay_days);
		}
		if (isfinite(rule->max_count)) {
			put_key(t, "max_count", &first);
			put_number(t, rule->max_count);
		}
	}
	put_members(t, rule->extra, &first);
	put(t, "}");
}

static void put_rule_array(text *t, const char *key, const mql_rule *rules,
			   size_t count)
{
	put(t, ",\n  ");
	put_string(t, key);
	if (count == 0) {
		put(t, ": []");
		return;
	}
	put(t, ": [\n");
	for (size_t i = 0; i < count; i++) {
		put(t, "    ");
		put_rule(t, &rules[i], 1);
		put(t, i + 1 < count ? ",\n" : "\n");
	}
	put(t, "  ]");
}

static void put_numbers(text *t, const double *x, int n)
{
	put(t, "[");
	for (int i = 0; i < n; i++) {
		put(t, i ? ", " : "");
		put_number(t, x[i]);
	}
	put(t, "]");
}

/* score_limit, grades: the options that precede the rule arrays. */
static void put_options(text *t, const mql_rules *r)
{
	if (r->has_score_limit) {
		put(t, ",\n  \"score_limit\": ");
		put_numbers(t, r->score_limit, 2);
	}
	if (r->has_grades) {
		put(t, ",\n  \"grades\": {\"fit\": ");
		put_numbers(t, r->fit_grades, 3);
		put(t, ", \"engagement\": ");
		put_numbers(t, r->engagement_grades, 3);
		int first = 0;
		put_members(t, r->grades_extra, &first);
		put(t, "}");
	}
}

/* calibration, provenance and unknown keys: what follows the rules. */
static void put_trailer(text *t, const mql_rules *r)
{
	if (r->has_calibration) {
		int first = 0;
		put(t, ",\n  \"calibration\": {\"points_per_logit\": ");
		put_number(t, r->points_per_logit);
		put(t, ", \"logit_at_threshold\": ");
		put_number(t, r->logit_at_threshold);
		put_members(t, r->calibration_extra, &first);
		put(t, "}");
	}
	if (r->provenance) {
		put(t, ",\n  \"provenance\": ");
		put_value(t, r->provenance);
	}
	for (const cJSON *m = r->extra ? r->extra->child : NULL; m;
	     m = m->next) {
		put(t, ",\n  ");
		put_string(t, m->string);
		put(t, ": ");
		put_value(t, m);
	}
}

char *mql_rules_to_string(const mql_rules *r)
{
	text t = {0};
	put(&t, "{\n  \"format\": \"" MQL_RULES_FORMAT "\"");
	if (r->name) {
		put(&t, ",\n  \"name\": ");
		put_string(&t, r->name);
	}
	put(&t, ",\n  \"threshold\": ");
	put_number(&t, r->threshold);
	put_options(&t, r);
	put_rule_array(&t, "fit", r->fit, r->fit_count);
	put_rule_array(&t, "engagement", r->engagement, r->engagement_count);
	put_trailer(&t, r);
	put(&t, "\n}\n");
	if (t.failed) {
		free(t.data);
		return NULL;
	}
	return t.data;
}

int mql_rules_write(const mql_rules *r, FILE *fp, mql_error *err)
{
	char *s = mql_rules_to_string(r);
	if (!s)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the rule file");
	size_t len = strlen(s);
	int ok = fwrite(s, 1, len, fp) == len;
	free(s);
	if (!ok)
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the rule file");
	return MQL_OK;
}

cJSON *mql_rule_to_json(const mql_rule *rule, int with_points)
{
	text t = {0};
	put_rule(&t, rule, with_points);
	if (t.failed) {
		free(t.data);
		return NULL;
	}
	cJSON *object = cJSON_Parse(t.data);
	free(t.data);
	return object;
}
