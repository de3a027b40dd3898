/* points_history.c - the model's rows rebuilt from the history, and the
 * capacity replay (see points_history.h). */
#include <mqlcal/points_history.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/population.h>
#include <mqlcal/score.h>
#include <mqlcal/timeline.h>

void mql_points_history_release(mql_points_history *h)
{
	if (!h)
		return;
	free(h->x);
	free(h->y);
	free(h->contact);
	memset(h, 0, sizeof *h);
}

/* Where each rule of p sits in rules: its index in fit (>= 0) or
 * -1 - its index in engagement. */
static int locate_rules(long *where, const mql_points *p,
			const mql_rules *rules, mql_error *err)
{
	for (size_t j = 0; j < p->rule_count; j++) {
		const mql_rule *rule = mql_rules_find(rules, p->rules[j].id);
		if (!rule)
			return mql_error_set(
				err, MQL_ERR_INPUT, NULL, 0, 0,
				"rule '%s' is not in the rule file",
				p->rules[j].id);
		if (rule->kind == MQL_RULE_FIT)
			where[j] = (long)(rule - rules->fit);
		else
			where[j] = -1 - (long)(rule - rules->engagement);
	}
	return MQL_OK;
}

static int build_population(mql_population **out, const mql_model *m,
			    const mql_contacts *contacts, double window_days,
			    mql_error *err)
{
	mql_population_options opt;
	mql_population_options_init(&opt);
	if (mql_label_parse(m->label, &opt.label) != 0) {
		opt.label = MQL_LABEL_OUTCOME;
		opt.outcome_column = m->label;
	}
	opt.window_days = window_days;
	return mql_population_build(out, contacts, &opt, err);
}

/* Streams the events into an accumulator at each row's decision time. */
static int accumulate(mql_accum *accum, mql_events *reader,
		      const uint32_t *member_of, mql_error *err)
{
	mql_event ev;
	int got;
	while ((got = mql_events_next(reader, &ev, err)) > 0) {
		if (member_of[ev.contact] == UINT32_MAX)
			continue;
		ev.contact = member_of[ev.contact]; /* the accumulator's row */
		mql_accum_add(accum, &ev);
	}
	return got < 0 ? got : MQL_OK;
}

/* Binds the scorer to the events file's types (or, without events, to a
 * dictionary of its own: no event will come). */
static int bind_scorer(mql_scorer *scorer, mql_events **reader, mql_dict *types,
		       const mql_contacts *contacts, const char *events_path,
		       const mql_csv_options *csv, mql_error *err)
{
	if (!events_path)
		return mql_scorer_bind_dict(scorer, types, err);
	int status = mql_events_open(reader, events_path, contacts, csv,
				     MQL_TIME_NONE, err);
	if (status == MQL_OK)
		status = mql_scorer_bind_events(scorer, *reader, err);
	return status;
}

static int fill_rows(mql_points_history *out, const mql_population *pop,
		     const mql_scorer *scorer, const mql_accum *accum,
		     const long *where)
{
	out->rows = pop->count;
	for (size_t i = 0; i < pop->count; i++) {
		double *x = out->x + i * out->columns;
		for (size_t j = 0; j < out->columns; j++)
			x[j] = where[j] >= 0
				       ? mql_scorer_fit_unit(scorer,
							     (size_t)where[j],
							     pop->row[i])
				       : mql_accum_unit(
						 accum, i,
						 (size_t)(-1 - where[j]));
		out->y[i] = pop->y[i];
		out->contact[i] = pop->row[i];
	}
	return MQL_OK;
}

int mql_points_history_rows(mql_points_history *out, const mql_points *p,
			    const mql_rules *rules, const mql_model *m,
			    const mql_contacts *contacts,
			    const char *events_path, const mql_csv_options *csv,
			    double window_days, mql_error *err)
{
	mql_population *pop = NULL;
	mql_scorer *scorer = NULL;
	mql_events *reader = NULL;
	mql_dict types;
	mql_accum *accum = NULL;
	mql_time *at = NULL;
	uint32_t *member_of = NULL;
	long *where = calloc(p->rule_count + 1, sizeof *where);
	memset(out, 0, sizeof *out);
	mql_dict_init(&types);
	out->columns = p->rule_count;
	int status = where ? locate_rules(where, p, rules, err) : MQL_ERR_NOMEM;
	if (status == MQL_OK)
		status = build_population(&pop, m, contacts, window_days, err);
	if (status == MQL_OK)
		status = mql_scorer_new(&scorer, rules, contacts, err);
	if (status == MQL_OK)
		status = bind_scorer(scorer, &reader, &types, contacts,
				     events_path, csv, err);
	size_t rows = pop ? pop->count : 0;
	if (status == MQL_OK) {
		at = malloc((rows + 1) * sizeof *at);
		member_of = malloc((contacts->count + 1) * sizeof *member_of);
		out->x = malloc((rows * out->columns + 1) * sizeof *out->x);
		out->y = malloc((rows + 1) * sizeof *out->y);
		out->contact = malloc((rows + 1) * sizeof *out->contact);
		if (!at || !member_of || !out->x || !out->y || !out->contact)
			status = MQL_ERR_NOMEM;
	}
	if (status == MQL_OK) {
		memset(member_of, 0xff, contacts->count * sizeof *member_of);
		for (size_t i = 0; i < rows; i++) {
			/* no decision time known: every event counts */
			at[i] = pop->decision[i] != MQL_TIME_NONE
					? pop->decision[i]
					: pop->as_of;
			member_of[pop->row[i]] = (uint32_t)i;
		}
		status = mql_accum_new(&accum, scorer, at, rows, err);
	}
	if (status == MQL_OK && reader)
		status = accumulate(accum, reader, member_of, err);
	if (status == MQL_OK)
		status = fill_rows(out, pop, scorer, accum, where);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status)
		mql_points_history_release(out);
	mql_accum_free(accum);
	mql_events_close(reader);
	mql_dict_release(&types);
	mql_scorer_free(scorer);
	mql_population_free(pop);
	free(at);
	free(member_of);
	free(where);
	return status;
}
