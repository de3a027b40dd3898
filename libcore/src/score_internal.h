/*
 * score_internal.h - the scorer's insides, shared by score.c (compiling,
 * fit units, the fixed-time accumulator) and score_contact.c (one contact's
 * history).  Not for other modules.
 */
#ifndef MQLCAL_SCORE_INTERNAL_H
#define MQLCAL_SCORE_INTERNAL_H

#include <mqlcal/score.h>

/* A fit rule compiled against one property of the contacts table. */
typedef struct fit_plan {
	const mql_property *property; /* NULL without a contacts table */
	double *level_unit;  /* in/not_in/matches/missing: x per level */
	double missing_unit; /* x when the value is missing */
} fit_plan;

/* Per-contact scratch for one engagement rule. */
typedef struct rule_cursor {
	size_t first;	/* offset of the rule's events in event_list */
	size_t count;	/* the rule's events of this contact */
	size_t end;	/* events with time <= the evaluation time */
	size_t seen;	/* events counted into the crossing's upper bound */
	size_t start;	/* first event still weighing (lifespan/window) */
	double decayed; /* half-life/none: D at last_time */
	mql_time last_time;
} rule_cursor;

struct mql_scorer {
	const mql_rules *rules;
	const mql_contacts *contacts;
	fit_plan *fit; /* rules->fit_count entries */

	int bound;
	size_t type_count;   /* entries of type_offset minus one */
	size_t *type_offset; /* type t's rules: type_rule[off[t]..off[t+1]) */
	size_t *type_rule;   /* engagement rule indices */

	/* scratch for mql_scorer_score_events */
	rule_cursor *cursor; /* per engagement rule */
	size_t *present;     /* engagement rules with events, this contact */
	size_t *event_list;  /* event indices grouped by rule */
	size_t event_list_capacity;
};

/* The engagement rules of event type type: *count entries. */
static inline const size_t *rules_of_type(const mql_scorer *s, int32_t type,
					  size_t *count)
{
	if (type < 0 || (size_t)type >= s->type_count) {
		*count = 0;
		return NULL;
	}
	*count = s->type_offset[type + 1] - s->type_offset[type];
	return s->type_rule + s->type_offset[type];
}

#endif
