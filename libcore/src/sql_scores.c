/*
 * sql_scores.c - the scores query (see sql.h): mql-score's columns for
 * every contact at as-of.
 *
 * The score is evaluated at as-of and at every candidate time of the
 * crossing (score_contact.c): created_at when it is not after as-of, and
 * the time of each event some rule counts, up to as-of.  D at a time sums
 * the counted events at or before it, by window aggregates over each
 * contact's timeline (in time n log n).  A half-life's D at t is
 * 2^((A - t) / h) times the running sum of 2^-((A - e) / h) over the
 * events e up to t, A being as-of: every power stays within 2^+-1000, so
 * the product is the direct sum to rounding, as long as the contact's
 * timeline spans at most LINEAR_HALF_LIVES of the shortest half-life.  A
 * longer one (a history of years and a half-life of a day) sums over its
 * earlier events instead, in time quadratic in its events.  mql_at is the
 * first candidate whose clamped score reaches the threshold.  A contact
 * without created_at whose score at as-of reaches it is an MQL with no
 * time.
 */
#include "sql_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Half-lives a contact's timeline may span for the running form: 2^1000
 * and 2^-1000 are normal doubles. */
#define LINEAR_HALF_LIVES 1000

/* Seconds beyond which a timeline is too long for the running form of the
 * rules' shortest half-life; 0 without half-life rules. */
static double linear_span_seconds(const mql_rules *rules)
{
	double shortest = 0;
	for (size_t r = 0; r < rules->engagement_count; r++) {
		const mql_rule *rule = &rules->engagement[r];
		if (rule->decay == MQL_DECAY_HALF_LIFE &&
		    (shortest == 0 || rule->decay_days < shortest))
			shortest = rule->decay_days;
	}
	return floor(shortest * LINEAR_HALF_LIVES * MQL_SECONDS_PER_DAY);
}

/* Whether the contact of a row with span sp (its timeline's first time)
 * is too long for the running form. */
static void long_span(sql_buf *b, const sql_dialect *d, const mql_rules *rules)
{
	sql_put(b, "(");
	sql_template(b, d->seconds, "params.as_of", NULL);
	sql_put(b, " - ");
	sql_template(b, d->seconds, "sp.t_start", NULL);
	sql_put(b, ") > ");
	sql_number(b, linear_span_seconds(rules));
}

static void scores_fit(sql_buf *b, const sql_dialect *d, const mql_rules *rules,
		       const mql_sql_options *opt)
{
	sql_put(b, "fit AS (\n\tSELECT f.contact_id, f.created_at,\n\t\t0");
	for (size_t i = 0; i < rules->fit_count; i++) {
		sql_put(b, "\n\t\t+ ");
		sql_number(b, rules->fit[i].points);
		sql_put(b, " * (");
		sql_fit_unit(b, d, &rules->fit[i], i);
		sql_put(b, ")");
	}
	sql_put(b, " AS fit_score\n\tFROM (\n\tSELECT c.contact_id, "
		   "c.created_at");
	sql_fit_texts(b, d, rules);
	sql_put(b, "\n\tFROM ");
	sql_identifier(b, opt->contacts_table);
	sql_put(b, " c\n\t) f\n)");
}

/* D of the half-life rules at each candidate and as-of of the contacts too
 * long for the running form, summed over the rules' earlier events. */
static void scores_half_lives(sql_buf *b, const sql_dialect *d,
			      const mql_rules *rules)
{
	sql_put(b, ",\nhalf_lives AS (\n\tSELECT m.contact_id, m.t, m.kind");
	for (size_t r = 0; r < rules->engagement_count; r++) {
		const mql_rule *rule = &rules->engagement[r];
		if (rule->decay != MQL_DECAY_HALF_LIFE)
			continue;
		sql_put(b, ",\n\t\tsum(CASE WHEN e.event = ");
		sql_string(b, rule->event);
		sql_put(b, " THEN ");
		sql_buf age = {0};
		sql_age(&age, d, "m.t", "e.occurred_at");
		sql_decay_weight(b, d, rule, age.text ? age.text : "0");
		b->failed |= age.failed;
		sql_release(&age);
		sql_put(b, " END) AS d%zu", r);
	}
	sql_put(b, "\n\tFROM timeline m JOIN spans sp ON sp.contact_id = "
		   "m.contact_id CROSS JOIN params\n\tJOIN counted e ON "
		   "e.contact_id = m.contact_id AND e.occurred_at <= m.t AND "
		   "e.event IN (");
	int first = 1;
	for (size_t r = 0; r < rules->engagement_count; r++) {
		if (rules->engagement[r].decay != MQL_DECAY_HALF_LIFE)
			continue;
		sql_put(b, "%s", first ? "" : ", ");
		sql_string(b, rules->engagement[r].event);
		first = 0;
	}
	sql_put(b, ")\n\tWHERE m.kind < 2 AND ");
	long_span(b, d, rules);
	sql_put(b, "\n\tGROUP BY m.contact_id, m.t, m.kind\n)");
}

/* The counted events up to as-of, and the times to score at: the crossing's
 * candidates (kind 0) and as-of (kind 1), with the events (kind 2) in one
 * timeline per contact. */
static void scores_timeline(sql_buf *b, const mql_rules *rules,
			    const mql_sql_options *opt)
{
	sql_put(b, ",\ncounted AS (\n\tSELECT e.contact_id, e.occurred_at, "
		   "e.event\n\tFROM ");
	sql_identifier(b, opt->events_table);
	sql_put(b, " e CROSS JOIN params\n\tWHERE e.occurred_at <= "
		   "params.as_of AND ");
	if (rules->engagement_count)
		sql_event_filter(b, rules);
	else
		sql_put(b, "1 = 0");
	sql_put(b, "\n),\ntimeline AS (\n"
		   "\tSELECT candidates.contact_id, candidates.t, 0 AS kind, "
		   "CAST(NULL AS text) AS event\n\tFROM (\n"
		   "\t\tSELECT f.contact_id, f.created_at AS t FROM fit f "
		   "CROSS JOIN params\n"
		   "\t\tWHERE f.created_at <= params.as_of\n"
		   "\t\tUNION\n"
		   "\t\tSELECT e.contact_id, e.occurred_at FROM counted e\n"
		   "\t) candidates\n"
		   "\tUNION ALL\n"
		   "\tSELECT f.contact_id, params.as_of, 1, NULL FROM fit f "
		   "CROSS JOIN params\n"
		   "\tUNION ALL\n"
		   "\tSELECT e.contact_id, e.occurred_at, 2, e.event FROM "
		   "counted e\n)");
}

/*
 * The frame of events whose age in seconds is below days: at most
 * ceil(days * 86400) - 1 seconds before the row (times are whole seconds).
 */
static void recent_frame(sql_buf *b, const sql_dialect *d, double days)
{
	char seconds[32];
	snprintf(seconds, sizeof seconds, "%.0f",
		 ceil(days * MQL_SECONDS_PER_DAY) - 1);
	sql_put(b, "w RANGE BETWEEN ");
	sql_template(b, d->interval_seconds, seconds, NULL);
	sql_put(b, " PRECEDING AND CURRENT ROW");
}

/* One engagement rule's running aggregates at each timeline row: the count
 * (none, window), count and sum of seconds (lifespan). */
static void running_rule(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
			 size_t r)
{
	sql_buf filter = {0}, frame = {0};
	sql_put(&filter, "FILTER (WHERE x.event = ");
	sql_string(&filter, rule->event);
	sql_put(&filter, ")");
	if (rule->decay == MQL_DECAY_NONE)
		sql_put(&frame, "w RANGE BETWEEN UNBOUNDED PRECEDING AND "
				"CURRENT ROW");
	else
		recent_frame(&frame, d, rule->decay_days);
	const char *f = filter.text ? filter.text : "";
	const char *w = frame.text ? frame.text : "";
	sql_put(b, ",\n\t\tcount(*) %s OVER (%s) AS n%zu", f, w, r);
	if (rule->decay == MQL_DECAY_LIFESPAN) {
		sql_put(b, ",\n\t\tsum(");
		sql_template(b, d->seconds, "x.t", NULL);
		sql_put(b, ") %s OVER (%s) AS s%zu", f, w, r);
	}
	b->failed |= filter.failed | frame.failed;
	sql_release(&filter);
	sql_release(&frame);
}

/* A half-life rule's D at each timeline row in the running form:
 * 2^((A - t) / h) * sum of 2^-((A - e) / h) over its events up to t. */
static void running_half_life(sql_buf *b, const sql_dialect *d,
			      const mql_rules *rules, const mql_rule *rule,
			      size_t r)
{
	sql_buf age = {0}, up = {0};
	sql_age(&age, d, "params.as_of", "x.t");
	const char *a = age.text ? age.text : "0";
	sql_put(&up, "%s / ", a);
	sql_number(&up, rule->decay_days);
	/* a timeline too long for it takes the other route: its powers
	 * could leave the doubles' range, so they are never taken */
	sql_put(b, ",\n\t\tCASE WHEN ");
	long_span(b, d, rules);
	sql_put(b, " THEN NULL ELSE ");
	sql_template(b, d->exp2, up.text ? up.text : "0", NULL);
	sql_put(b, " * sum(");
	sql_decay_weight(b, d, rule, a);
	sql_put(b, ") FILTER (WHERE x.event = ");
	sql_string(b, rule->event);
	sql_put(b,
		") OVER (w RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT "
		"ROW) END AS h%zu",
		r);
	b->failed |= age.failed | up.failed;
	sql_release(&age);
	sql_release(&up);
}

/*
 * D of each rule at each candidate and as-of: running counts over the
 * timeline for no decay and windows; for a lifespan L, the n events inside
 * it at t with seconds summing to S weigh n - (n t - S) / (86400 L); for a
 * half-life, the running form above, or a sum over the rule's earlier
 * events for a contact whose timeline is too long for it.
 */
static void scores_decayed(sql_buf *b, const sql_dialect *d,
			   const mql_rules *rules, const mql_sql_options *opt)
{
	size_t half_lives = 0;
	scores_timeline(b, rules, opt);
	for (size_t r = 0; r < rules->engagement_count; r++)
		half_lives += rules->engagement[r].decay == MQL_DECAY_HALF_LIFE;
	if (half_lives)
		sql_put(b, ",\nspans AS (\n\tSELECT x.contact_id, min(x.t) AS "
			   "t_start\n\tFROM timeline x\n\tGROUP BY "
			   "x.contact_id\n)");
	sql_put(b, ",\nrunning AS (\n\tSELECT x.contact_id, x.t, x.kind");
	if (half_lives) {
		sql_put(b, ", ");
		long_span(b, d, rules);
		sql_put(b, " AS long_span");
	}
	for (size_t r = 0; r < rules->engagement_count; r++) {
		const mql_rule *rule = &rules->engagement[r];
		if (rule->decay == MQL_DECAY_HALF_LIFE)
			running_half_life(b, d, rules, rule, r);
		else
			running_rule(b, d, rule, r);
	}
	sql_put(b, "\n\tFROM timeline x");
	if (half_lives)
		sql_put(b, " JOIN spans sp ON sp.contact_id = x.contact_id "
			   "CROSS JOIN params");
	sql_put(b, "\n\tWINDOW w AS (PARTITION BY x.contact_id ORDER BY "
		   "x.t)\n)");
	if (half_lives)
		scores_half_lives(b, d, rules);
	sql_put(b, ",\ndecayed AS (\n\tSELECT g.contact_id, g.t, g.kind AS "
		   "at_as_of");
	for (size_t r = 0; r < rules->engagement_count; r++) {
		const mql_rule *rule = &rules->engagement[r];
		if (rule->decay == MQL_DECAY_HALF_LIFE) {
			sql_put(b,
				",\n\t\tCASE WHEN g.long_span THEN h.d%zu ELSE "
				"g.h%zu END AS d%zu",
				r, r, r);
		} else if (rule->decay == MQL_DECAY_LIFESPAN) {
			sql_put(b, ",\n\t\tg.n%zu - CAST(g.n%zu * ", r, r);
			sql_template(b, d->seconds, "g.t", NULL);
			sql_put(b, " - g.s%zu AS double precision) / ", r);
			sql_number(b, rule->decay_days * MQL_SECONDS_PER_DAY);
			sql_put(b, " AS d%zu", r);
		} else {
			sql_put(b, ",\n\t\tg.n%zu AS d%zu", r, r);
		}
	}
	sql_put(b, "\n\tFROM running g");
	if (half_lives)
		sql_put(b, " LEFT JOIN half_lives h ON h.contact_id = "
			   "g.contact_id AND h.t = g.t AND h.kind = g.kind");
	sql_put(b, "\n\tWHERE g.kind < 2\n)");
}

/* The clamped score of raw, a column name. */
static void clamp(sql_buf *b, const mql_rules *rules, const char *raw)
{
	if (!rules->has_score_limit) {
		sql_put(b, "%s", raw);
		return;
	}
	sql_put(b, "CASE WHEN %s < ", raw);
	sql_number(b, rules->score_limit[0]);
	sql_put(b, " THEN ");
	sql_number(b, rules->score_limit[0]);
	sql_put(b, " WHEN %s > ", raw);
	sql_number(b, rules->score_limit[1]);
	sql_put(b, " THEN ");
	sql_number(b, rules->score_limit[1]);
	sql_put(b, " ELSE %s END", raw);
}

static void scores_scored(sql_buf *b, const mql_rules *rules)
{
	sql_put(b, ",\nscored AS (\n\tSELECT g.contact_id, g.t, g.at_as_of, "
		   "f.created_at, f.fit_score,\n\t\t0");
	for (size_t r = 0; r < rules->engagement_count; r++) {
		sql_put(b, "\n\t\t+ ");
		sql_number(b, rules->engagement[r].points);
		sql_put(b, " * ");
		sql_capped(b, &rules->engagement[r], r);
	}
	sql_put(b, " AS engagement_score\n\tFROM decayed g JOIN fit f ON "
		   "f.contact_id = g.contact_id\n),\nclamped AS (\n"
		   "\tSELECT s.*, ");
	clamp(b, rules, "s.fit_score + s.engagement_score");
	sql_put(b, " AS score\n\tFROM scored s\n),\ncrossing AS (\n"
		   "\tSELECT s.contact_id, min(s.t) AS mql_at FROM clamped s\n"
		   "\tWHERE s.at_as_of = 0 AND s.score >= ");
	sql_number(b, rules->threshold);
	sql_put(b, "\n\tGROUP BY s.contact_id\n)");
}

/* "A".."D" of column value against three descending cut-offs. */
static void grade_letter(sql_buf *b, const char *value, const double cuts[3],
			 const char *marks)
{
	sql_put(b, "CASE");
	for (int i = 0; i < 3; i++) {
		sql_put(b, " WHEN %s >= ", value);
		sql_number(b, cuts[i]);
		sql_put(b, " THEN '%c'", marks[i]);
	}
	sql_put(b, " ELSE '%c' END", marks[3]);
}

/* logistic(logit_at_threshold + (score - threshold) / points_per_logit),
 * as mql_logit_inverse computes it. */
static void probability(sql_buf *b, const mql_rules *rules)
{
	if (!rules->has_calibration) {
		sql_put(b, "CAST(NULL AS double precision)");
		return;
	}
	sql_buf eta = {0};
	sql_put(&eta, "(");
	sql_number(&eta, rules->logit_at_threshold);
	sql_put(&eta, " + (s.score - ");
	sql_number(&eta, rules->threshold);
	sql_put(&eta, ") / ");
	sql_number(&eta, rules->points_per_logit);
	sql_put(&eta, ")");
	const char *e = eta.text ? eta.text : "0";
	sql_put(b,
		"CASE WHEN %s >= 0 THEN 1 / (1 + exp(-%s)) "
		"ELSE exp(%s) / (1 + exp(%s)) END",
		e, e, e, e);
	b->failed |= eta.failed;
	sql_release(&eta);
}

static void scores_select(sql_buf *b, const sql_dialect *d,
			  const mql_rules *rules)
{
	sql_put(b, "\nSELECT s.contact_id, s.score, s.fit_score, "
		   "s.engagement_score,\n\t");
	if (rules->has_grades) {
		grade_letter(b, "s.fit_score", rules->fit_grades, "ABCD");
		sql_put(b, "\n\t|| ");
		grade_letter(b, "s.engagement_score", rules->engagement_grades,
			     "1234");
	} else {
		sql_put(b, "''");
	}
	sql_put(b, " AS grade,\n\tCASE WHEN x.mql_at IS NOT NULL OR "
		   "(s.created_at IS NULL AND s.score >= ");
	sql_number(b, rules->threshold);
	sql_put(b, ") THEN 1 ELSE 0 END AS mql,\n\t");
	sql_template(b, d->iso_text, "x.mql_at", NULL);
	sql_put(b, " AS mql_at,\n\t");
	probability(b, rules);
	sql_put(b, " AS probability\nFROM clamped s LEFT JOIN crossing x ON "
		   "x.contact_id = s.contact_id\nWHERE s.at_as_of = 1\n"
		   "ORDER BY s.contact_id;\n");
}

int sql_compile_scores(sql_buf *b, const sql_dialect *d, const mql_rules *rules,
		       const mql_sql_options *opt, mql_error *err)
{
	(void)err;
	sql_put(b, "-- mqlcal scores\nWITH params AS (\n\tSELECT ");
	sql_as_of(b, d, opt, 1);
	sql_put(b, " AS as_of\n),\n");
	scores_fit(b, d, rules, opt);
	scores_decayed(b, d, rules, opt);
	scores_scored(b, rules);
	scores_select(b, d, rules);
	return MQL_OK;
}
