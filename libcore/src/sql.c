/*
 * sql.c - the rule file compiled into SQL (see sql.h): the entry point, the
 * expressions of each rule, and the features query.  The scores query is in
 * sql_scores.c, the dialect table and the text helpers in sql_text.c.
 */
#include "sql_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void mql_sql_options_init(mql_sql_options *o)
{
	memset(o, 0, sizeof *o);
	o->query = MQL_SQL_FEATURES;
	o->label = MQL_LABEL_SAL;
	o->window_days = 180;
	o->as_of = MQL_TIME_NONE;
	o->dialect = mql_sql_dialect_names[0];
	o->contacts_table = "contacts";
	o->events_table = "events";
}

/* --- fit rules ------------------------------------------------------- */

static int numeric_op(const mql_rule *rule)
{
	return rule->op == MQL_OP_RANGE || rule->op == MQL_OP_LINEAR;
}

void sql_fit_texts(sql_buf *b, const sql_dialect *d, const mql_rules *rules)
{
	for (size_t i = 0; i < rules->fit_count; i++) {
		sql_buf column = {0}, text = {0}, trimmed = {0};
		sql_put(&column, "c.");
		sql_identifier(&column, rules->fit[i].property);
		sql_template(&text, d->text, column.text, NULL);
		sql_template(&trimmed, d->trim, text.text, NULL);
		sql_put(b, ",\n\t\tNULLIF(%s, '') AS p%zu",
			trimmed.text ? trimmed.text : "", i);
		if (numeric_op(&rules->fit[i])) {
			sql_buf number = {0};
			sql_template(&number, d->number_text, trimmed.text,
				     NULL);
			sql_put(b, ",\n\t\t");
			sql_template(b, d->to_double, number.text, NULL);
			sql_put(b, " AS n%zu", i);
			b->failed |= number.failed;
			sql_release(&number);
		}
		b->failed |= column.failed | text.failed | trimmed.failed;
		sql_release(&column);
		sql_release(&text);
		sql_release(&trimmed);
	}
}

/* A rule value as the rule compares it: trimmed, ASCII lower case.
 * Returns 0 for a value that is empty once trimmed (it matches nothing). */
static int put_value(sql_buf *b, const char *value, int first)
{
	while (isspace((unsigned char)*value))
		value++;
	size_t len = strlen(value);
	while (len > 0 && isspace((unsigned char)value[len - 1]))
		len--;
	if (len == 0)
		return 0;
	char *lower = strndup(value, len);
	if (!lower) {
		b->failed = 1;
		return 0;
	}
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	sql_put(b, "%s", first ? "" : ", ");
	sql_string(b, lower);
	free(lower);
	return 1;
}

/* in / not_in over text pN. */
static void unit_in(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
		    size_t index)
{
	sql_buf list = {0};
	size_t listed = 0;
	for (size_t k = 0; k < rule->value_count; k++)
		listed +=
			(size_t)put_value(&list, rule->values[k], listed == 0);
	char item[32];
	snprintf(item, sizeof item, "p%zu", index);
	if (listed == 0) {
		/* Nothing to match: in is never true, not_in is present. */
		if (rule->op == MQL_OP_IN)
			sql_put(b, "0");
		else
			sql_put(b, "CASE WHEN %s IS NOT NULL THEN 1 ELSE 0 END",
				item);
	} else {
		sql_put(b, "CASE WHEN %s IS NOT NULL AND ", item);
		sql_template(b, d->lower, item, NULL);
		sql_put(b, " %sIN (%s) THEN 1 ELSE 0 END",
			rule->op == MQL_OP_NOT_IN ? "NOT " : "",
			list.text ? list.text : "");
	}
	b->failed |= list.failed;
	sql_release(&list);
}

static void unit_matches(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
			 size_t index)
{
	char item[32];
	snprintf(item, sizeof item, "p%zu", index);
	char *regex = d->regex(rule->pattern ? rule->pattern : "");
	sql_buf literal = {0};
	if (regex)
		sql_string(&literal, regex);
	sql_put(b, "CASE WHEN ");
	sql_template(b, d->matches, item, literal.text);
	sql_put(b, " THEN 1 ELSE 0 END");
	b->failed |= !regex || literal.failed;
	free(regex);
	sql_release(&literal);
}

static void unit_range(sql_buf *b, const mql_rule *rule, size_t index)
{
	sql_put(b, "CASE WHEN n%zu IS NOT NULL", index);
	if (!isnan(rule->min)) {
		sql_put(b, " AND n%zu >= ", index);
		sql_number(b, rule->min);
	}
	if (!isnan(rule->max)) {
		sql_put(b, " AND n%zu < ", index);
		sql_number(b, rule->max);
	}
	sql_put(b, " THEN 1 ELSE 0 END");
}

/* Clamped to [min, max], then transformed; 0 when missing. */
static void unit_linear(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
			size_t index)
{
	sql_buf value = {0};
	sql_put(&value, "n%zu", index);
	if (!isnan(rule->min)) {
		sql_buf clamped = {0};
		sql_put(&clamped, "greatest(%s, ", value.text);
		sql_number(&clamped, rule->min);
		sql_put(&clamped, ")");
		sql_release(&value);
		value = clamped;
	}
	if (!isnan(rule->max)) {
		sql_buf clamped = {0};
		sql_put(&clamped, "least(%s, ", value.text);
		sql_number(&clamped, rule->max);
		sql_put(&clamped, ")");
		sql_release(&value);
		value = clamped;
	}
	sql_put(b, "CASE WHEN n%zu IS NULL THEN 0 ELSE ", index);
	if (rule->transform == MQL_TRANSFORM_LOG1P) {
		sql_buf sum = {0};
		sql_put(&sum, "1 + %s", value.text ? value.text : "");
		sql_template(b, d->ln, sum.text, NULL);
		b->failed |= sum.failed;
		sql_release(&sum);
	} else {
		sql_put(b, "%s", value.text ? value.text : "");
	}
	sql_put(b, " END");
	b->failed |= value.failed;
	sql_release(&value);
}

void sql_fit_unit(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
		  size_t index)
{
	switch (rule->op) {
	case MQL_OP_IN:
	case MQL_OP_NOT_IN: unit_in(b, d, rule, index); break;
	case MQL_OP_MATCHES: unit_matches(b, d, rule, index); break;
	case MQL_OP_MISSING:
		sql_put(b, "CASE WHEN p%zu IS NULL THEN 1 ELSE 0 END", index);
		break;
	case MQL_OP_RANGE: unit_range(b, rule, index); break;
	case MQL_OP_LINEAR: unit_linear(b, d, rule, index); break;
	}
}

/* --- engagement rules -------------------------------------------------- */

void sql_decay_weight(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
		      const char *age)
{
	sql_buf days = {0};
	sql_number(&days, rule->decay_days);
	switch (rule->decay) {
	case MQL_DECAY_HALF_LIFE: {
		/* PostgreSQL's power() fails on underflow where C's exp2 gives
		 * 0: a weight below 2^-1000 (a thousand half-lives old) is 0 */
		sql_buf power = {0};
		sql_put(&power, "-%s / %s", age, days.text);
		sql_put(b, "CASE WHEN %s / %s > 1000 THEN 0 ELSE ", age,
			days.text);
		sql_template(b, d->exp2, power.text, NULL);
		sql_put(b, " END");
		b->failed |= power.failed;
		sql_release(&power);
		break;
	}
	case MQL_DECAY_LIFESPAN:
		sql_put(b, "CASE WHEN %s < %s THEN 1 - %s / %s ELSE 0 END", age,
			days.text, age, days.text);
		break;
	case MQL_DECAY_WINDOW:
		sql_put(b, "CASE WHEN %s < %s THEN 1 ELSE 0 END", age,
			days.text);
		break;
	default: sql_put(b, "1"); break;
	}
	b->failed |= days.failed;
	sql_release(&days);
}

void sql_event_filter(sql_buf *b, const mql_rules *rules)
{
	sql_put(b, "e.event IN (");
	for (size_t r = 0; r < rules->engagement_count; r++) {
		sql_put(b, "%s", r ? ", " : "");
		sql_string(b, rules->engagement[r].event);
	}
	sql_put(b, ")");
}

/* The decayed counts "d0", "d1", ... (sums over alias k, age in k.age). */
static void decayed_sums(sql_buf *b, const sql_dialect *d,
			 const mql_rules *rules)
{
	for (size_t r = 0; r < rules->engagement_count; r++) {
		sql_put(b, "%s\n\t\tsum(CASE WHEN k.event = ", r ? "," : "");
		sql_string(b, rules->engagement[r].event);
		sql_put(b, " THEN ");
		sql_decay_weight(b, d, &rules->engagement[r], "k.age");
		sql_put(b, " END) AS d%zu", r);
	}
}

void sql_capped(sql_buf *b, const mql_rule *rule, size_t r)
{
	if (rule->max_count == MQL_RULE_NO_CAP) {
		sql_put(b, "COALESCE(d%zu, 0)", r);
		return;
	}
	sql_put(b, "least(");
	sql_number(b, rule->max_count);
	sql_put(b, ", COALESCE(d%zu, 0))", r);
}

/* --- the features query ---------------------------------------------- */

void sql_as_of(sql_buf *b, const sql_dialect *d, const mql_sql_options *opt,
	       int with_events)
{
	if (opt->as_of != MQL_TIME_NONE) {
		char when[32];
		mql_time_format(opt->as_of, 0, when, sizeof when);
		when[10] = ' ';	 /* "2026-03-05T14:07:00Z" -> */
		when[19] = '\0'; /* "2026-03-05 14:07:00" */
		sql_template(b, d->timestamp, when, NULL);
		return;
	}
	sql_put(b,
		"%s(SELECT max(greatest(c.created_at, c.mql_at, %s"
		"c.sql_at, c.opportunity_at, c.customer_at, "
		"c.rejected_at)) FROM ",
		with_events ? "greatest(" : "",
		opt->accepted_at_sql ? "" : "c.sal_at, ");
	sql_identifier(b, opt->contacts_table);
	sql_put(b, " c)");
	if (with_events) {
		sql_put(b, ", (SELECT max(e.occurred_at) FROM ");
		sql_identifier(b, opt->events_table);
		sql_put(b, " e))");
	}
}

static const char *const stage_columns[] = {"sal_at", "sql_at",
					    "opportunity_at", "customer_at"};

/* A rejection by lead status alone (contacts_outcome.c): rejected_at
 * empty, lead_status one of the preset's or opt's rejected statuses. */
static void rejected_by_status(sql_buf *b, const sql_dialect *d,
			       const mql_sql_options *opt)
{
	sql_buf list = {0}, text = {0}, trimmed = {0};
	size_t listed = 0;
	for (const char *const *v = mql_csv_preset_rejected(opt->preset); *v;
	     v++)
		listed += (size_t)put_value(&list, *v, listed == 0);
	for (size_t k = 0; k < opt->rejected_status.count; k++)
		listed += (size_t)put_value(&list, opt->rejected_status.text[k],
					    listed == 0);
	if (listed) {
		sql_template(&text, d->text, "c.lead_status", NULL);
		sql_template(&trimmed, d->trim, text.text, NULL);
		sql_put(b, " WHEN c.rejected_at IS NULL AND ");
		sql_template(b, d->lower, trimmed.text, NULL);
		sql_put(b, " IN (%s) THEN 0", list.text ? list.text : "");
	}
	b->failed |= list.failed | text.failed | trimmed.failed;
	sql_release(&list);
	sql_release(&text);
	sql_release(&trimmed);
}

/* The outcome: 1, 0, or NULL for a row left out (population.c). */
static void outcome(sql_buf *b, const sql_dialect *d,
		    const mql_sql_options *opt)
{
	if (opt->label == MQL_LABEL_SAL) {
		/* least() passes over NULLs: the first stage reached */
		sql_put(b,
			"CASE WHEN %s <= params.as_of THEN 1 "
			"WHEN c.rejected_at <= params.as_of THEN 0",
			opt->accepted_at_sql
				? "least(c.sql_at, c.opportunity_at, "
				  "c.customer_at)"
				: "c.sal_at");
		rejected_by_status(b, d, opt);
		sql_put(b, " END");
		return;
	}
	const char *reached = stage_columns[opt->label];
	char seconds[32];
	snprintf(seconds, sizeof seconds, "%lld",
		 (long long)llround(opt->window_days * MQL_SECONDS_PER_DAY));
	sql_buf closes = {0};
	sql_template(&closes, d->add_seconds, "c.mql_at", seconds);
	/* Which MQLs enter depends only on mql_at: those whose window has
	 * closed by as-of, whatever they reached. */
	const char *at = closes.text ? closes.text : "";
	sql_put(b,
		"CASE WHEN %s <= params.as_of THEN "
		"CASE WHEN c.%s <= %s THEN 1 ELSE 0 END END",
		at, reached, at);
	b->failed |= closes.failed;
	sql_release(&closes);
}

void sql_age(sql_buf *b, const sql_dialect *d, const char *at,
	     const char *event_at)
{
	sql_put(b, "CAST(");
	sql_template(b, d->seconds, at, NULL);
	sql_put(b, " - ");
	sql_template(b, d->seconds, event_at, NULL);
	sql_put(b, " AS double precision) / %d", MQL_SECONDS_PER_DAY);
}

static void features_population(sql_buf *b, const sql_dialect *d,
				const mql_rules *rules,
				const mql_sql_options *opt)
{
	sql_put(b, "WITH params AS (\n\tSELECT ");
	sql_as_of(b, d, opt, 0);
	sql_put(b, " AS as_of\n),\npopulation AS (\n\tSELECT * FROM (\n"
		   "\tSELECT c.contact_id, c.mql_at, params.as_of,\n\t\t");
	outcome(b, d, opt);
	sql_put(b, " AS outcome");
	sql_fit_texts(b, d, rules);
	sql_put(b, "\n\tFROM ");
	sql_identifier(b, opt->contacts_table);
	sql_put(b, " c CROSS JOIN params\n\tWHERE c.mql_at <= params.as_of"
		   "\n\t) labelled\n\tWHERE outcome IS NOT NULL\n)");
}

static void features_events(sql_buf *b, const sql_dialect *d,
			    const mql_rules *rules, const mql_sql_options *opt)
{
	sql_put(b, ",\nevent_ages AS (\n\tSELECT m.contact_id, e.event, ");
	sql_age(b, d, "m.mql_at", "e.occurred_at");
	sql_put(b, " AS age\n\tFROM population m JOIN ");
	sql_identifier(b, opt->events_table);
	sql_put(b, " e ON e.contact_id = m.contact_id AND "
		   "e.occurred_at <= m.mql_at\n\tWHERE ");
	sql_event_filter(b, rules);
	sql_put(b, "\n),\ndecayed AS (\n\tSELECT k.contact_id,");
	decayed_sums(b, d, rules);
	sql_put(b, "\n\tFROM event_ages k\n\tGROUP BY k.contact_id\n)");
}

static void features_select(sql_buf *b, const sql_dialect *d,
			    const mql_rules *rules, const mql_sql_options *opt)
{
	sql_put(b, "\nSELECT m.contact_id,\n\tm.outcome AS ");
	sql_identifier(b, mql_label_name(opt->label, NULL));
	sql_put(b, ",\n\t");
	sql_template(b, d->iso_text, "m.mql_at", NULL);
	sql_put(b, " AS mql_at,\n\t");
	sql_template(b, d->iso_text, "m.as_of", NULL);
	sql_put(b, " AS as_of");
	if (opt->label != MQL_LABEL_SAL) {
		sql_put(b, ",\n\t");
		sql_number(b, opt->window_days);
		sql_put(b, " AS window_days");
	}
	for (size_t i = 0; i < rules->fit_count; i++) {
		sql_put(b, ",\n\t");
		sql_fit_unit(b, d, &rules->fit[i], i);
		sql_put(b, " AS ");
		sql_identifier(b, rules->fit[i].id);
	}
	for (size_t r = 0; r < rules->engagement_count; r++) {
		sql_put(b, ",\n\t");
		sql_capped(b, &rules->engagement[r], r);
		sql_put(b, " AS ");
		sql_identifier(b, rules->engagement[r].id);
	}
	sql_put(b, "\nFROM population m");
	if (rules->engagement_count)
		sql_put(b, " LEFT JOIN decayed g ON g.contact_id = "
			   "m.contact_id");
	sql_put(b, "\nORDER BY m.contact_id;\n");
}

/* The features query: one row per model row, as mql-fit builds it. */
static int compile_features(sql_buf *b, const sql_dialect *d,
			    const mql_rules *rules, const mql_sql_options *opt,
			    mql_error *err)
{
	if (opt->label == MQL_LABEL_OUTCOME)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the features query needs a stage label "
				     "(sal, sql, opportunity or customer)");
	int status = mql_population_check_window(opt->window_days, err);
	if (status)
		return status;
	const char *fixed[] = {"contact_id", "mql_at", "as_of", "window_days",
			       mql_label_name(opt->label, NULL)};
	for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) {
		const mql_rule *rule = NULL;
		for (size_t i = 0; !rule && i < rules->fit_count; i++)
			if (strcasecmp(rules->fit[i].id, fixed[k]) == 0)
				rule = &rules->fit[i];
		for (size_t i = 0; !rule && i < rules->engagement_count; i++)
			if (strcasecmp(rules->engagement[i].id, fixed[k]) == 0)
				rule = &rules->engagement[i];
		if (rule)
			return mql_error_set(err, MQL_ERR_USAGE, rules->path, 0,
					     0,
					     "rule id '%s' is also a column "
					     "of the features table: rename "
					     "the rule",
					     rule->id);
	}
	sql_put(b, "-- mqlcal features, label %s\n",
		mql_label_name(opt->label, NULL));
	features_population(b, d, rules, opt);
	if (rules->engagement_count)
		features_events(b, d, rules, opt);
	features_select(b, d, rules, opt);
	return MQL_OK;
}

int mql_sql_compile(char **out, const mql_rules *rules,
		    const mql_sql_options *opt, mql_error *err)
{
	*out = NULL;
	const sql_dialect *d = sql_dialect_find(opt->dialect);
	if (!d)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "unknown SQL dialect '%s'",
				     opt->dialect ? opt->dialect : "");
	sql_buf b = {0};
	int status = opt->query == MQL_SQL_SCORES
			     ? sql_compile_scores(&b, d, rules, opt, err)
			     : compile_features(&b, d, rules, opt, err);
	if (status) {
		sql_release(&b);
		return status;
	}
	*out = sql_take(&b);
	if (!*out)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	return MQL_OK;
}
