/*
 * score_contact.c - one contact's history: the score at as-of, the first
 * crossing of the threshold, and the ledger rows that add up to the score.
 *
 * The crossing walks the candidate times (created_at and the times of the
 * contact's counted events) in order, keeping for each rule a cursor over
 * its events: D only needs the events not seen yet (half-life and no decay
 * carry D forward exactly; lifespan and window sum the events still inside
 * their horizon).  The score at as-of and the ledger are then computed
 * directly from the definition, event by event.
 */
#include "score_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double age_days(mql_time from, mql_time to)
{
	return (double)(to - from) / MQL_SECONDS_PER_DAY;
}

/* Groups the first count events by rule into event_list and sets the
 * cursors; *present_count rules have events.  0 or MQL_ERR_NOMEM. */
static int index_events(mql_scorer *s, const mql_event *ev, size_t count,
			size_t *present_count)
{
	size_t rules = s->rules->engagement_count;
	memset(s->cursor, 0, rules * sizeof *s->cursor);
	size_t total = 0, k;
	for (size_t i = 0; i < count; i++) {
		const size_t *list = rules_of_type(s, ev[i].type, &k);
		for (size_t j = 0; j < k; j++)
			s->cursor[list[j]].count++;
		total += k;
	}
	if (total > s->event_list_capacity) {
		size_t *grown = realloc(s->event_list, total * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		s->event_list = grown;
		s->event_list_capacity = total;
	}
	size_t offset = 0, present = 0;
	for (size_t r = 0; r < rules; r++) {
		s->cursor[r].first = offset;
		offset += s->cursor[r].count;
		if (s->cursor[r].count > 0)
			s->present[present++] = r;
	}
	for (size_t i = 0; i < count; i++) {
		const size_t *list = rules_of_type(s, ev[i].type, &k);
		for (size_t j = 0; j < k; j++) {
			rule_cursor *c = &s->cursor[list[j]];
			s->event_list[c->first + c->end++] = i;
		}
	}
	for (size_t r = 0; r < rules; r++)
		s->cursor[r].end = 0;
	*present_count = present;
	return MQL_OK;
}

/* D of rule r at time t, moving its cursor forward (t never decreases). */
static double decayed_at(mql_scorer *s, size_t r, const mql_event *ev,
			 mql_time t)
{
	const mql_rule *rule = &s->rules->engagement[r];
	rule_cursor *c = &s->cursor[r];
	const size_t *list = s->event_list + c->first;
	if (rule->decay == MQL_DECAY_HALF_LIFE) {
		while (c->end < c->count && ev[list[c->end]].at <= t) {
			mql_time te = ev[list[c->end]].at;
			double carried =
				c->end ? c->decayed *
						 mql_rule_decay_weight(
							 rule,
							 age_days(c->last_time,
								  te))
				       : 0;
			c->decayed = carried + 1;
			c->last_time = te;
			c->end++;
		}
		return c->end ? c->decayed *
					mql_rule_decay_weight(
						rule, age_days(c->last_time, t))
			      : 0;
	}
	while (c->end < c->count && ev[list[c->end]].at <= t)
		c->end++;
	if (rule->decay == MQL_DECAY_NONE)
		return (double)c->end;
	/* Lifespan and window: drop events that weigh nothing from now on. */
	while (c->start < c->end &&
	       mql_rule_decay_weight(rule,
				     age_days(ev[list[c->start]].at, t)) == 0)
		c->start++;
	double sum = 0;
	for (size_t i = c->start; i < c->end; i++)
		sum += mql_rule_decay_weight(rule, age_days(ev[list[i]].at, t));
	return sum;
}

/* The clamped score at time t (t never decreases between calls). */
static double score_at(mql_scorer *s, double fit_score, const mql_event *ev,
		       size_t present_count, mql_time t)
{
	double engagement = 0;
	for (size_t p = 0; p < present_count; p++) {
		size_t r = s->present[p];
		const mql_rule *rule = &s->rules->engagement[r];
		engagement += rule->points *
			      mql_rule_capped(rule, decayed_at(s, r, ev, t));
	}
	return mql_score_clamp(s->rules, fit_score + engagement);
}

/* The event of the group [first, end) to credit with a crossing: the
 * first one a rule with positive points counts, else the first counted. */
static int32_t crossing_event(const mql_scorer *s, const mql_event *ev,
			      size_t first, size_t end)
{
	int32_t fallback = -1;
	for (size_t i = first; i < end; i++) {
		size_t k;
		const size_t *list = rules_of_type(s, ev[i].type, &k);
		for (size_t j = 0; j < k; j++) {
			if (s->rules->engagement[list[j]].points > 0)
				return (int32_t)i;
			if (fallback < 0)
				fallback = (int32_t)i;
		}
	}
	return fallback;
}

/* How much the events [first, end) raise the upper bound of the score:
 * each positive rule adds its points per event up to max_count. */
static double bound_increase(mql_scorer *s, const mql_event *ev, size_t first,
			     size_t end)
{
	double increase = 0;
	for (size_t i = first; i < end; i++) {
		size_t k;
		const size_t *list = rules_of_type(s, ev[i].type, &k);
		for (size_t j = 0; j < k; j++) {
			const mql_rule *rule = &s->rules->engagement[list[j]];
			rule_cursor *c = &s->cursor[list[j]];
			c->seen++;
			if (rule->points > 0 &&
			    (double)c->seen <= rule->max_count)
				increase +=
					rule->points *
					(mql_rule_capped(rule,
							 (double)c->seen) -
					 mql_rule_capped(
						 rule, (double)(c->seen - 1)));
		}
	}
	return increase;
}

static void record_crossing(mql_score_result *out, mql_time at, int32_t event,
			    double score)
{
	out->mql = 1;
	out->mql_at = at;
	out->mql_event = event;
	out->mql_score = score;
}

/* Finds the first candidate time <= as-of (count events are <= as-of) at
 * which the score reaches the threshold. */
static void find_crossing(mql_scorer *s, double fit_score, mql_time created_at,
			  const mql_event *ev, size_t count,
			  size_t present_count, mql_score_result *out)
{
	double threshold = s->rules->threshold;
	int fit_alone = mql_score_clamp(s->rules, fit_score) >= threshold;
	int created_pending = created_at != MQL_TIME_NONE;
	/* Every weight is at most 1, so fit + the positive rules' points times
	 * min(max_count, events so far) bounds the score from above; while
	 * the bound is below the threshold the score need not be computed. */
	double bound = fit_score;
	size_t i = 0;
	while (i < count) {
		mql_time t = ev[i].at;
		size_t end = i + 1;
		while (end < count && ev[end].at == t)
			end++;
		int32_t credited = crossing_event(s, ev, i, end);
		if (created_pending &&
		    (created_at < t || (created_at == t && credited < 0))) {
			created_pending = 0;
			double score =
				mql_score_clamp(s->rules, bound) >= threshold
					? score_at(s, fit_score, ev,
						   present_count, created_at)
					: -INFINITY;
			if (score >= threshold) {
				record_crossing(out, created_at, -1, score);
				return;
			}
		}
		bound += bound_increase(s, ev, i, end);
		if (credited >= 0 &&
		    mql_score_clamp(s->rules, bound) >= threshold) {
			double score =
				score_at(s, fit_score, ev, present_count, t);
			if (score >= threshold) {
				int at_creation = created_pending &&
						  created_at == t && fit_alone;
				record_crossing(out, t,
						at_creation ? -1 : credited,
						score);
				return;
			}
		}
		if (created_pending && created_at == t)
			created_pending = 0; /* same time: scored just above */
		i = end;
	}
	if (created_pending && mql_score_clamp(s->rules, bound) >= threshold) {
		double score =
			score_at(s, fit_score, ev, present_count, created_at);
		if (score >= threshold)
			record_crossing(out, created_at, -1, score);
	}
}

/*
 * Checks a contact's events for scoring at as_of: MQL_ERR_USAGE for an
 * unbound scorer, no time or events out of time order; else 0 with *count
 * cut to the events up to as_of (later ones have not happened yet).
 */
static int events_until(const mql_scorer *s, const mql_event *ev, size_t *count,
			mql_time as_of)
{
	if (!s->bound || as_of == MQL_TIME_NONE || (*count && !ev))
		return MQL_ERR_USAGE;
	for (size_t i = 1; i < *count; i++)
		if (ev[i].at < ev[i - 1].at)
			return MQL_ERR_USAGE;
	while (*count > 0 && ev[*count - 1].at > as_of)
		(*count)--;
	return MQL_OK;
}

/* Raises *best to the score at t when it can exceed it: bound (the upper
 * bound of the score so far) says when it cannot. */
static void raise_peak(mql_scorer *s, double fit_score, const mql_event *ev,
		       size_t present_count, mql_time t, double bound,
		       double *best)
{
	if (mql_score_clamp(s->rules, bound) <= *best)
		return;
	double score = score_at(s, fit_score, ev, present_count, t);
	if (score > *best)
		*best = score;
}

int mql_scorer_peak_events(mql_scorer *s, double fit_score, mql_time created_at,
			   const mql_event *ev, size_t count, mql_time as_of,
			   double *peak)
{
	*peak = -INFINITY;
	if (events_until(s, ev, &count, as_of) != MQL_OK)
		return MQL_ERR_USAGE;
	/* The first candidate: created_at, or as-of when it is unknown. */
	mql_time first = created_at != MQL_TIME_NONE && created_at <= as_of
				 ? created_at
				 : as_of;
	size_t present_count;
	int status = index_events(s, ev, count, &present_count);
	if (status)
		return status;
	double bound = fit_score, best = -INFINITY;
	int first_pending = 1;
	for (size_t i = 0; i < count;) {
		mql_time t = ev[i].at;
		size_t end = i + 1;
		while (end < count && ev[end].at == t)
			end++;
		if (first_pending && first < t) {
			double score = score_at(s, fit_score, ev, present_count,
						first);
			if (score > best)
				best = score;
			first_pending = 0;
		}
		bound += bound_increase(s, ev, i, end);
		if (crossing_event(s, ev, i, end) >= 0)
			raise_peak(s, fit_score, ev, present_count, t, bound,
				   &best);
		i = end;
	}
	if (first_pending) {
		double score = score_at(s, fit_score, ev, present_count, first);
		if (score > best)
			best = score;
	}
	*peak = best;
	return MQL_OK;
}

int mql_scorer_peak_row(mql_scorer *s, size_t row, const mql_event *events,
			size_t count, mql_time as_of, double *peak)
{
	*peak = -INFINITY;
	if (!s->contacts || row >= s->contacts->count)
		return MQL_ERR_USAGE;
	return mql_scorer_peak_events(
		s, mql_scorer_fit_score(s, row),
		s->contacts->stage_at[MQL_STAGE_CREATED][row], events, count,
		as_of, peak);
}

static int emit(mql_ledger_fn ledger, void *ctx, mql_ledger_row *row)
{
	return ledger ? ledger(ctx, row) : MQL_OK;
}

/* Scores at as-of from the definition, with event, cap and limit rows. */
static int score_as_of(mql_scorer *s, uint32_t contact, double fit_score,
		       const mql_event *ev, size_t count, size_t present_count,
		       mql_time as_of, mql_score_result *out,
		       mql_ledger_fn ledger, void *ctx)
{
	const mql_rule *rules = s->rules->engagement;
	mql_ledger_row row = {.contact = contact, .event = -1};
	int status = MQL_OK;
	for (size_t p = 0; p < present_count; p++)
		s->cursor[s->present[p]].decayed = 0;
	for (size_t i = 0; i < count && !status; i++) {
		size_t k;
		const size_t *list = rules_of_type(s, ev[i].type, &k);
		for (size_t j = 0; j < k && !status; j++) {
			const mql_rule *rule = &rules[list[j]];
			double w = mql_rule_decay_weight(
				rule, age_days(ev[i].at, as_of));
			s->cursor[list[j]].decayed += w;
			if (w == 0)
				continue;
			row = (mql_ledger_row){MQL_LEDGER_EVENT,
					       contact,
					       ev[i].at,
					       rule,
					       (int32_t)i,
					       rule->points,
					       w,
					       rule->points * w};
			status = emit(ledger, ctx, &row);
		}
	}
	double engagement = 0;
	for (size_t p = 0; p < present_count && !status; p++) {
		const mql_rule *rule = &rules[s->present[p]];
		double decayed = s->cursor[s->present[p]].decayed;
		double capped = mql_rule_capped(rule, decayed);
		engagement += rule->points * capped;
		if (capped >= decayed)
			continue;
		row = (mql_ledger_row){MQL_LEDGER_CAP,
				       contact,
				       as_of,
				       rule,
				       -1,
				       rule->points,
				       capped - decayed,
				       rule->points * (capped - decayed)};
		status = emit(ledger, ctx, &row);
	}
	out->fit_score = fit_score;
	out->engagement_score = engagement;
	out->raw_score = fit_score + engagement;
	out->score = mql_score_clamp(s->rules, out->raw_score);
	if (!status && out->score != out->raw_score) {
		row = (mql_ledger_row){MQL_LEDGER_LIMIT,
				       contact,
				       as_of,
				       NULL,
				       -1,
				       NAN,
				       NAN,
				       out->score - out->raw_score};
		status = emit(ledger, ctx, &row);
	}
	return status;
}

/* Both entry points: contact is the row reported in ledger rows. */
static int score_contact(mql_scorer *s, uint32_t contact, double fit_score,
			 mql_time created_at, const mql_event *ev, size_t count,
			 mql_time as_of, mql_score_result *out,
			 mql_ledger_fn ledger, void *ctx)
{
	memset(out, 0, sizeof *out);
	out->mql_at = MQL_TIME_NONE;
	out->mql_event = -1;
	out->mql_score = NAN;
	if (events_until(s, ev, &count, as_of) != MQL_OK)
		return MQL_ERR_USAGE;
	int undated = created_at == MQL_TIME_NONE;
	if (!undated && created_at > as_of)
		created_at = MQL_TIME_NONE; /* not created yet: no candidate */
	size_t present_count;
	int status = index_events(s, ev, count, &present_count);
	if (status)
		return status;
	find_crossing(s, fit_score, created_at, ev, count, present_count, out);
	status = score_as_of(s, contact, fit_score, ev, count, present_count,
			     as_of, out, ledger, ctx);
	if (!out->mql && undated && out->score >= s->rules->threshold)
		out->mql = 1; /* qualified, but when cannot be known */
	out->probability = mql_score_probability(s->rules, out->score);
	mql_score_grade(s->rules, out->fit_score, out->engagement_score,
			out->grade, sizeof out->grade);
	return status;
}

int mql_scorer_score_events(mql_scorer *s, double fit_score,
			    mql_time created_at, const mql_event *events,
			    size_t count, mql_time as_of, mql_score_result *out,
			    mql_ledger_fn ledger, void *ctx)
{
	uint32_t contact = count && events ? events[0].contact : 0;
	return score_contact(s, contact, fit_score, created_at, events, count,
			     as_of, out, ledger, ctx);
}

/* The fit rows of row, in rule order. */
static int emit_fit_rows(const mql_scorer *s, size_t row, mql_time created_at,
			 mql_ledger_fn ledger, void *ctx)
{
	for (size_t i = 0; i < s->rules->fit_count; i++) {
		double x = mql_scorer_fit_unit(s, i, row);
		if (x == 0)
			continue;
		const mql_rule *rule = &s->rules->fit[i];
		mql_ledger_row line = {MQL_LEDGER_FIT,
				       (uint32_t)row,
				       created_at,
				       rule,
				       -1,
				       rule->points,
				       x,
				       rule->points * x};
		int status = ledger(ctx, &line);
		if (status)
			return status;
	}
	return MQL_OK;
}

int mql_scorer_score_row(mql_scorer *s, size_t row, const mql_event *events,
			 size_t count, mql_time as_of, mql_score_result *out,
			 mql_ledger_fn ledger, void *ctx)
{
	if (!s->contacts || row >= s->contacts->count)
		return MQL_ERR_USAGE;
	mql_time created_at = s->contacts->stage_at[MQL_STAGE_CREATED][row];
	if (ledger) {
		int status = emit_fit_rows(s, row, created_at, ledger, ctx);
		if (status)
			return status;
	}
	return score_contact(s, (uint32_t)row, mql_scorer_fit_score(s, row),
			     created_at, events, count, as_of, out, ledger,
			     ctx);
}
