/* points_compare.c - the change table of new points against the rule file
 * in use (see points.h). */
#include <mqlcal/points.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the outcome is called in a sentence. */
static const char *outcome_words(const char *label)
{
	if (!label || strcmp(label, "sal") == 0)
		return "acceptance";
	if (strcmp(label, "sql") == 0)
		return "reaching SQL";
	if (strcmp(label, "opportunity") == 0)
		return "reaching opportunity";
	if (strcmp(label, "customer") == 0)
		return "becoming a customer";
	return label;
}

/* Appends printf text to buf (size n) after what is there. */
static void append(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	if (used + 1 >= n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

char *mql_points_flags_text(unsigned flags, char *buf, size_t n)
{
	static const struct {
		unsigned flag;
		const char *text;
	} names[] = {
		{MQL_CHANGE_NEW, "new"},
		{MQL_CHANGE_DROPPED, "dropped"},
		{MQL_CHANGE_SIGN_FLIPPED, "sign flipped"},
		{MQL_CHANGE_CI_SPANS_ZERO, "CI spans 0"},
		{MQL_CHANGE_UNDETERMINED, "not determined"},
		{MQL_CHANGE_ROUNDS_TO_ZERO, "rounds to 0"},
		{MQL_CHANGE_ALIASED, "aliased"},
		{MQL_CHANGE_KEPT, "kept"},
	};
	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].flag)
			append(buf, n, "%s%s", buf[0] ? "; " : "",
			       names[i].text);
	return buf;
}

/* Appends an odds ratio's CI limit: two decimals where they say something,
 * else two digits ("0.00031", "1.2e+04"); one past the range of doubles is
 * "0" or "infinity". */
static void append_odds(char *buf, size_t n, double odds)
{
	if (isinf(odds))
		append(buf, n, "infinity");
	else if (odds == 0 || (odds >= 0.01 && odds <= 1000))
		append(buf, n, "%.2f", odds);
	else
		append(buf, n, "%.2g", odds);
}

static void write_reason(char *buf, size_t n, const mql_points_change *c,
			 const char *label)
{
	buf[0] = '\0';
	if (c->flags & MQL_CHANGE_DROPPED) {
		append(buf, n, "%s %+g -> dropped: the model has no such rule",
		       c->id, c->old_points);
		return;
	}
	if (c->flags & MQL_CHANGE_ALIASED) {
		append(buf, n,
		       "%s -> 0: not estimable, a copy or a combination of "
		       "other rules (aliased)",
		       c->id);
		return;
	}
	if (c->flags & MQL_CHANGE_NEW)
		append(buf, n, "%s new -> %+g", c->id, c->new_points);
	else if (isnan(c->old_points))
		append(buf, n, "%s %+g", c->id, c->new_points);
	else
		append(buf, n, "%s %+g -> %+g", c->id, c->old_points,
		       c->new_points);
	append(buf, n, ": odds of %s x", outcome_words(label));
	append_odds(buf, n, c->odds_ratio);
	if (isfinite(c->ci_low) && isfinite(c->ci_high)) {
		append(buf, n, " (95%% CI ");
		append_odds(buf, n, exp(c->ci_low));
		append(buf, n, " to ");
		append_odds(buf, n, exp(c->ci_high));
		append(buf, n, ")");
	}
	append(buf, n, "; n=%ld", c->support);
	if (c->flags & MQL_CHANGE_KEPT)
		append(buf, n,
		       "; kept: the fitted weight (%+g points) is not "
		       "distinguishable from the old one, whose weight lies "
		       "inside the 95%% CI",
		       mql_points_round(c->estimate_points));
	if (c->flags & MQL_CHANGE_SIGN_FLIPPED)
		append(buf, n,
		       "; sign flipped: the history says the opposite "
		       "of the old points");
	if (c->flags & MQL_CHANGE_UNDETERMINED)
		append(buf, n,
		       "; not determined: the history bounds neither its "
		       "sign nor its size");
	else if (c->flags & MQL_CHANGE_CI_SPANS_ZERO)
		append(buf, n,
		       "; the CI spans 0: the history cannot tell "
		       "which way it points");
	if (c->flags & MQL_CHANGE_ROUNDS_TO_ZERO)
		append(buf, n, "; worth less than half a point");
}

double mql_points_change_points(const mql_points_change *c)
{
	if (isnan(c->old_points))
		return c->new_points;
	if (isnan(c->new_points))
		return -c->old_points;
	return c->new_points - c->old_points;
}

/* Size of the change, for sorting: new and dropped rules by their points. */
static double change_size(const mql_points_change *c)
{
	return fabs(mql_points_change_points(c));
}

static int by_change_size(const void *a, const void *b)
{
	const mql_points_change *x = a, *y = b;
	double dx = change_size(x), dy = change_size(y);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Flags of a fitted rule; compared says whether there is a previous rule
 * file at all (without one no rule is "new"). */
static unsigned flags_of(const mql_points_change *c, int compared)
{
	unsigned flags = 0;
	if (isnan(c->old_points) && compared)
		flags |= MQL_CHANGE_NEW;
	else if (c->old_points * c->new_points < 0 ||
		 (c->new_points == 0 && c->old_points * c->estimate < 0))
		flags |= MQL_CHANGE_SIGN_FLIPPED;
	if (c->ci_low <= 0 && c->ci_high >= 0) {
		double bound = log(MQL_CHANGE_UNDETERMINED_ODDS);
		flags |= MQL_CHANGE_CI_SPANS_ZERO;
		if (c->ci_low < -bound || c->ci_high > bound)
			flags |= MQL_CHANGE_UNDETERMINED;
	}
	if (c->new_points == 0 && c->estimate != 0 && !isnan(c->estimate))
		flags |= MQL_CHANGE_ROUNDS_TO_ZERO;
	return flags;
}

/* Fills row from rule r of p (with the model's evidence) and its previous
 * points (NAN when new). */
static void fill_fitted(mql_points_change *row, const mql_points_rule *r,
			const mql_model *m, double old_points, int compared)
{
	const mql_model_coefficient *c = mql_model_find(m, r->id);
	row->old_points = old_points;
	row->new_points = r->points;
	row->estimate = r->aliased ? NAN : r->estimate;
	row->ci_low = c ? c->value.ci_low : NAN;
	row->ci_high = c ? c->value.ci_high : NAN;
	row->odds_ratio = r->aliased ? NAN : exp(r->estimate);
	row->p_value = c ? c->value.p : NAN;
	row->support = c ? c->support : 0;
	row->estimate_points = r->scaled;
	row->flags = flags_of(row, compared) |
		     (r->aliased ? MQL_CHANGE_ALIASED : 0) |
		     (r->kept ? MQL_CHANGE_KEPT : 0);
}

static void fill_dropped(mql_points_change *row, double old_points)
{
	row->old_points = old_points;
	row->new_points = NAN;
	row->estimate = NAN;
	row->estimate_points = NAN;
	row->ci_low = NAN;
	row->ci_high = NAN;
	row->odds_ratio = NAN;
	row->p_value = NAN;
	row->support = 0;
	row->flags = MQL_CHANGE_DROPPED;
}

static double previous_points(const mql_points_previous *previous, size_t count,
			      const char *id)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(previous[i].id, id) == 0)
			return previous[i].points;
	return NAN;
}

int mql_points_compare(mql_points_changes *out, const mql_points *p,
		       const mql_model *m, const mql_points_previous *previous,
		       size_t previous_count, const char *label)
{
	size_t capacity = p->rule_count + previous_count;
	out->count = 0;
	out->rows = calloc(capacity ? capacity : 1, sizeof *out->rows);
	if (!out->rows)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < p->rule_count; i++) {
		mql_points_change *row = &out->rows[out->count];
		if (!(row->id = strdup(p->rules[i].id)))
			goto nomem;
		out->count++;
		fill_fitted(row, &p->rules[i], m,
			    previous_points(previous, previous_count,
					    p->rules[i].id),
			    previous != NULL);
	}
	for (size_t i = 0; i < previous_count; i++) {
		if (mql_points_find(p, previous[i].id))
			continue;
		mql_points_change *row = &out->rows[out->count];
		if (!(row->id = strdup(previous[i].id)))
			goto nomem;
		out->count++;
		fill_dropped(row, previous[i].points);
	}
	qsort(out->rows, out->count, sizeof *out->rows, by_change_size);
	for (size_t i = 0; i < out->count; i++) {
		char reason[512];
		write_reason(reason, sizeof reason, &out->rows[i], label);
		if (!(out->rows[i].reason = strdup(reason)))
			goto nomem;
	}
	return MQL_OK;
nomem:
	mql_points_changes_release(out);
	return MQL_ERR_NOMEM;
}

void mql_points_changes_release(mql_points_changes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++) {
		free(c->rows[i].id);
		free(c->rows[i].reason);
	}
	free(c->rows);
	c->rows = NULL;
	c->count = 0;
}

size_t mql_points_keep_supported(mql_points *p, const mql_model *m,
				 const mql_points_previous *previous,
				 size_t previous_count)
{
	size_t kept = 0;
	double bound = 0;
	for (size_t i = 0; i < p->rule_count; i++) {
		mql_points_rule *r = &p->rules[i];
		const mql_model_coefficient *c = mql_model_find(m, r->id);
		double old = previous_points(previous, previous_count, r->id);
		if (c && !r->aliased && !isnan(old) &&
		    c->value.ci_low <= old / p->factor &&
		    old / p->factor <= c->value.ci_high) {
			r->points = old;
			r->kept = 1;
			kept++;
		}
		double moved = fabs(r->points / p->factor - r->estimate);
		if (moved > 0)
			bound += moved * r->max_unit;
	}
	p->rounding_bound = fmin(1.0, bound / 4.0);
	return kept;
}
