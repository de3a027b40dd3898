/*
 * score.c - the score formula's pieces: decay weights, caps, clamping,
 * grades, calibration; rules compiled against contacts and event types;
 * fit units; and the fixed-time accumulator.  One contact's history (the
 * crossing and the ledger) is in score_contact.c.
 */
#include "score_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mqlcal/logit.h>

double mql_rule_decay_weight(const mql_rule *rule, double age_days)
{
	if (!(age_days >= 0))
		return 0; /* a future event does not count yet */
	switch (rule->decay) {
	case MQL_DECAY_HALF_LIFE: return exp2(-age_days / rule->decay_days);
	case MQL_DECAY_LIFESPAN:
		return age_days < rule->decay_days
			       ? 1 - age_days / rule->decay_days
			       : 0;
	case MQL_DECAY_WINDOW: return age_days < rule->decay_days ? 1 : 0;
	default: return 1;
	}
}

double mql_rule_capped(const mql_rule *rule, double decayed_count)
{
	return decayed_count < rule->max_count ? decayed_count
					       : rule->max_count;
}

double mql_score_clamp(const mql_rules *rules, double raw_score)
{
	if (!rules->has_score_limit)
		return raw_score;
	if (raw_score < rules->score_limit[0])
		return rules->score_limit[0];
	if (raw_score > rules->score_limit[1])
		return rules->score_limit[1];
	return raw_score;
}

double mql_score_probability(const mql_rules *rules, double score)
{
	if (!rules->has_calibration)
		return NAN;
	return mql_logit_inverse(rules->logit_at_threshold +
				 (score - rules->threshold) /
					 rules->points_per_logit);
}

/* 0, 1 or 2 for the first cut-off reached, 3 for none. */
static int grade_index(const double cuts[3], double value)
{
	int i = 0;
	while (i < 3 && value < cuts[i])
		i++;
	return i;
}

char *mql_score_grade(const mql_rules *rules, double fit_score,
		      double engagement_score, char *out, size_t n)
{
	if (n == 0)
		return out;
	out[0] = '\0';
	if (!rules->has_grades || n < 3)
		return out;
	out[0] = (char)('A' + grade_index(rules->fit_grades, fit_score));
	out[1] = (char)('1' + grade_index(rules->engagement_grades,
					  engagement_score));
	out[2] = '\0';
	return out;
}

/* s[0..len) without surrounding blanks. */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Case-insensitive equality of s[0..len) and a rule value (trimmed too). */
static int same_text(const char *s, size_t len, const char *value)
{
	size_t value_len = strlen(value);
	trim(&value, &value_len);
	return value_len == len && strncasecmp(s, value, len) == 0;
}

/* The number v of a linear rule clamped to [min, max]. */
static double linear_clamp(const mql_rule *rule, double v)
{
	if (!isnan(rule->min) && v < rule->min)
		v = rule->min;
	if (!isnan(rule->max) && v > rule->max)
		v = rule->max;
	return v;
}

/* x of a linear rule for the number v: clamp to [min, max], transform. */
static double linear_unit(const mql_rule *rule, double v)
{
	if (isnan(v))
		return 0;
	v = linear_clamp(rule, v);
	return rule->transform == MQL_TRANSFORM_LOG1P ? log1p(v) : v;
}

/* x of a range rule for the number v (missing never matches). */
static double range_unit(const mql_rule *rule, double v)
{
	if (isnan(v))
		return 0;
	if (!isnan(rule->min) && v < rule->min)
		return 0;
	if (!isnan(rule->max) && v >= rule->max)
		return 0;
	return 1;
}

/* x of a text-matched rule (in, not_in, matches, missing) on trimmed text.
 * Returns -1 when out of memory (matches copies the text). */
static double text_unit(const mql_rule *rule, const char *s, size_t len)
{
	int missing = len == 0;
	switch (rule->op) {
	case MQL_OP_MISSING: return missing;
	case MQL_OP_IN:
	case MQL_OP_NOT_IN: {
		if (missing)
			return 0;
		int found = 0;
		for (size_t i = 0; i < rule->value_count && !found; i++)
			found = same_text(s, len, rule->values[i]);
		return rule->op == MQL_OP_IN ? found : !found;
	}
	case MQL_OP_MATCHES: {
		if (missing || !rule->regex)
			return 0;
		char *copy = strndup(s, len);
		if (!copy)
			return -1;
		int hit = regexec(rule->regex, copy, 0, NULL, 0) == 0;
		free(copy);
		return hit;
	}
	default: return 0;
	}
}

int mql_rule_fit_unit_text(const mql_rule *rule, const char *s, size_t len,
			   double *x, mql_error *err)
{
	if (!s)
		len = 0;
	trim(&s, &len);
	if (rule->op == MQL_OP_RANGE || rule->op == MQL_OP_LINEAR) {
		double v = NAN;
		if (len > 0 && mql_cell_number(s, len, &v) != 0)
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "rule '%s': cannot read '%.*s' as "
					     "a number for op '%s'",
					     rule->id,
					     (int)(len > 64 ? 64 : len), s,
					     mql_rule_op_name(rule->op));
		*x = rule->op == MQL_OP_RANGE ? range_unit(rule, v)
					      : linear_unit(rule, v);
		return MQL_OK;
	}
	double unit = text_unit(rule, s, len);
	if (unit < 0)
		return MQL_ERR_NOMEM;
	*x = unit;
	return MQL_OK;
}

/* Compiles fit rule i against its property: a unit per level. */
static int plan_fit_rule(mql_scorer *s, size_t i, mql_error *err)
{
	const mql_rule *rule = &s->rules->fit[i];
	fit_plan *plan = &s->fit[i];
	const char *file = s->rules->path;
	const mql_property *p =
		mql_contacts_property(s->contacts, rule->property);
	if (!p)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "fit[%zu].property: no column '%s' in "
				     "%s",
				     i, rule->property,
				     s->contacts->path ? s->contacts->path
						       : "the contacts");
	plan->property = p;
	int numeric_op = rule->op == MQL_OP_RANGE || rule->op == MQL_OP_LINEAR;
	if (numeric_op && p->kind != MQL_PROPERTY_NUMERIC)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "fit[%zu].op: '%s' needs a numeric "
				     "column; '%s' has text values",
				     i, mql_rule_op_name(rule->op),
				     rule->property);
	if (numeric_op)
		return MQL_OK;
	plan->missing_unit = text_unit(rule, "", 0);
	plan->level_unit = malloc((p->levels.count + 1) * sizeof(double));
	if (!plan->level_unit)
		return MQL_ERR_NOMEM;
	for (size_t level = 0; level < p->levels.count; level++) {
		const char *name = p->levels.names[level];
		size_t len = strlen(name);
		trim(&name, &len);
		double unit = text_unit(rule, name, len);
		if (unit < 0)
			return MQL_ERR_NOMEM;
		plan->level_unit[level] = unit;
	}
	return MQL_OK;
}

/* A linear rule's x, once clamped, must lie within +-MQL_RULE_MAX_BOUND,
 * so that points times x stays finite however many rules add up (a
 * contact's 1e308 would give an infinite score), and a log1p rule must not
 * meet values <= -1 (log1p would be NAN or -inf). */
static int check_linear_domain(const mql_scorer *s, size_t i, mql_error *err)
{
	const mql_rule *rule = &s->rules->fit[i];
	const mql_property *p = s->fit[i].property;
	if (rule->op != MQL_OP_LINEAR)
		return MQL_OK;
	int log1p_rule = rule->transform == MQL_TRANSFORM_LOG1P;
	for (size_t row = 0; row < s->contacts->count; row++) {
		if (isnan(p->number[row]))
			continue;
		double v = linear_clamp(rule, p->number[row]);
		long line = s->contacts->line ? s->contacts->line[row] : 0;
		if (fabs(v) > MQL_RULE_MAX_BOUND)
			return mql_error_set(
				err, MQL_ERR_INPUT, s->contacts->path, line, 0,
				"'%s' is %g: a linear rule takes values within "
				"+-%g (rule fit[%zu]; set its min and max)",
				rule->property, p->number[row],
				MQL_RULE_MAX_BOUND, i);
		if (log1p_rule && v <= -1)
			return mql_error_set(
				err, MQL_ERR_INPUT, s->contacts->path, line, 0,
				"'%s' is %g: log1p needs values "
				"> -1 (rule fit[%zu]; set its min)",
				rule->property, p->number[row], i);
	}
	return MQL_OK;
}

int mql_scorer_new(mql_scorer **out, const mql_rules *rules,
		   const mql_contacts *contacts, mql_error *err)
{
	*out = NULL;
	mql_scorer *s = calloc(1, sizeof *s);
	if (!s)
		return MQL_ERR_NOMEM;
	s->rules = rules;
	s->contacts = contacts;
	size_t n = rules->fit_count ? rules->fit_count : 1;
	s->fit = calloc(n, sizeof *s->fit);
	n = rules->engagement_count ? rules->engagement_count : 1;
	s->cursor = calloc(n, sizeof *s->cursor);
	s->present = calloc(n, sizeof *s->present);
	int status = s->fit && s->cursor && s->present ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; contacts && !status && i < rules->fit_count; i++) {
		status = plan_fit_rule(s, i, err);
		if (!status)
			status = check_linear_domain(s, i, err);
	}
	if (status) {
		mql_scorer_free(s);
		return status;
	}
	*out = s;
	return MQL_OK;
}

void mql_scorer_free(mql_scorer *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->fit && i < s->rules->fit_count; i++)
		free(s->fit[i].level_unit);
	free(s->fit);
	free(s->type_offset);
	free(s->type_rule);
	free(s->cursor);
	free(s->present);
	free(s->event_list);
	free(s);
}

/* Builds the type -> rules table from each rule's type index. */
static int build_type_table(mql_scorer *s, const int32_t *rule_type)
{
	size_t rules = s->rules->engagement_count;
	size_t types = 0;
	for (size_t r = 0; r < rules; r++)
		if ((size_t)rule_type[r] + 1 > types)
			types = (size_t)rule_type[r] + 1;
	size_t *offset = calloc(types + 1, sizeof *offset);
	size_t *list = malloc((rules ? rules : 1) * sizeof *list);
	if (!offset || !list) {
		free(offset);
		free(list);
		return MQL_ERR_NOMEM;
	}
	for (size_t r = 0; r < rules; r++)
		offset[rule_type[r] + 1]++;
	for (size_t t = 0; t < types; t++)
		offset[t + 1] += offset[t];
	/* Fill in rule order so a type's rules keep the file's order. */
	for (size_t t = 0, k = 0; t < types; t++)
		for (size_t r = 0; r < rules; r++)
			if ((size_t)rule_type[r] == t)
				list[k++] = r;
	free(s->type_offset);
	free(s->type_rule);
	s->type_offset = offset;
	s->type_rule = list;
	s->type_count = types;
	s->bound = 1;
	return MQL_OK;
}

int mql_scorer_bind_types(mql_scorer *s, mql_intern_fn intern, void *ctx,
			  mql_error *err)
{
	size_t rules = s->rules->engagement_count;
	int32_t *rule_type = malloc((rules ? rules : 1) * sizeof *rule_type);
	if (!rule_type)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory binding event types");
	for (size_t r = 0; r < rules; r++) {
		rule_type[r] = intern(ctx, s->rules->engagement[r].event);
		if (rule_type[r] < 0) {
			free(rule_type);
			return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
					     "out of memory binding event "
					     "types");
		}
	}
	int status = build_type_table(s, rule_type);
	free(rule_type);
	if (status)
		return mql_error_set(err, status, NULL, 0, 0,
				     "out of memory binding event types");
	return MQL_OK;
}

static int32_t intern_with_reader(void *ctx, const char *name)
{
	return mql_events_intern_type(ctx, name);
}

static int32_t intern_with_dict(void *ctx, const char *name)
{
	return mql_dict_intern(ctx, name, strlen(name));
}

int mql_scorer_bind_events(mql_scorer *s, mql_events *reader, mql_error *err)
{
	return mql_scorer_bind_types(s, intern_with_reader, reader, err);
}

int mql_scorer_bind_dict(mql_scorer *s, mql_dict *types, mql_error *err)
{
	return mql_scorer_bind_types(s, intern_with_dict, types, err);
}

double mql_scorer_fit_unit(const mql_scorer *s, size_t rule, size_t row)
{
	const mql_rule *r = &s->rules->fit[rule];
	const fit_plan *plan = &s->fit[rule];
	const mql_property *p = plan->property;
	if (!p)
		return 0;
	if (r->op == MQL_OP_RANGE)
		return range_unit(r, p->number[row]);
	if (r->op == MQL_OP_LINEAR)
		return linear_unit(r, p->number[row]);
	int32_t level = p->level[row];
	return level < 0 ? plan->missing_unit : plan->level_unit[level];
}

double mql_scorer_fit_score(const mql_scorer *s, size_t row)
{
	double sum = 0;
	for (size_t i = 0; i < s->rules->fit_count; i++) {
		double x = mql_scorer_fit_unit(s, i, row);
		if (x != 0)
			sum += s->rules->fit[i].points * x;
	}
	return sum;
}

/* ---- fixed-time accumulator ------------------------------------------ */

struct mql_accum {
	const mql_scorer *scorer;
	const mql_time *at;
	size_t row_count;
	size_t rule_count;
	double *decayed; /* row_count x rule_count, row-major */
};

int mql_accum_new(mql_accum **out, const mql_scorer *s, const mql_time *at,
		  size_t row_count, mql_error *err)
{
	*out = NULL;
	if (!s->bound)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the scorer's event types are not "
				     "bound");
	size_t rule_count = s->rules->engagement_count;
	/* The product of two caller-given sizes can wrap and hand back a
	 * table far smaller than the rows would index. */
	int too_many = rule_count != 0 && row_count > SIZE_MAX / rule_count;
	mql_accum *a = too_many ? NULL : calloc(1, sizeof *a);
	size_t cells = row_count * rule_count;
	if (a)
		a->decayed = calloc(cells ? cells : 1, sizeof(double));
	if (!a || !a->decayed) {
		free(a);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory for %zu rows x %zu rules",
				     row_count, rule_count);
	}
	a->scorer = s;
	a->at = at;
	a->row_count = row_count;
	a->rule_count = rule_count;
	*out = a;
	return MQL_OK;
}

void mql_accum_add(mql_accum *a, const mql_event *ev)
{
	if (ev->contact >= a->row_count)
		return;
	mql_time t = a->at[ev->contact];
	if (t == MQL_TIME_NONE || ev->at > t)
		return;
	size_t count;
	const size_t *rules = rules_of_type(a->scorer, ev->type, &count);
	double age = (double)(t - ev->at) / MQL_SECONDS_PER_DAY;
	double *row = a->decayed + (size_t)ev->contact * a->rule_count;
	for (size_t k = 0; k < count; k++) {
		const mql_rule *rule = &a->scorer->rules->engagement[rules[k]];
		row[rules[k]] += mql_rule_decay_weight(rule, age);
	}
}

double mql_accum_decayed(const mql_accum *a, size_t row, size_t rule)
{
	return a->decayed[row * a->rule_count + rule];
}

double mql_accum_unit(const mql_accum *a, size_t row, size_t rule)
{
	return mql_rule_capped(&a->scorer->rules->engagement[rule],
			       mql_accum_decayed(a, row, rule));
}

double mql_accum_engagement_score(const mql_accum *a, size_t row)
{
	double sum = 0;
	for (size_t r = 0; r < a->rule_count; r++)
		sum += a->scorer->rules->engagement[r].points *
		       mql_accum_unit(a, row, r);
	return sum;
}

void mql_accum_free(mql_accum *a)
{
	if (!a)
		return;
	free(a->decayed);
	free(a);
}
