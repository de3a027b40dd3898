/* fit_halflife_scan.c - the events read again at new half-lives, for the
 * joint fit of half-lives and weights (see fit_internal.h). */
#include "fit_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>

#define LN2 0.69314718055994530942

static int scanned(const struct mql_fit_joint *j, size_t r)
{
	return j->state[r] == FIT_JOINT_FITTED;
}

/* --- one pass over the events ------------------------------------------- */

/*
 * The events' type id of each rule: the rules' events are given to the
 * scan in rule order, and a name met again keeps its first id.
 */
void fit_joint_bind_types(struct mql_fit_joint *j)
{
	size_t distinct = 0;
	for (size_t r = 0; r < j->rules; r++) {
		const char *event = j->f->rules->engagement[r].event;
		size_t k = 0;
		while (k < r && strcmp(j->f->rules->engagement[k].event, event))
			k++;
		j->type_of[r] = k < r ? j->type_of[k] : (int32_t)distinct++;
	}
}

static void add_fixed(int64_t *cell, double value)
{
	__atomic_fetch_add(cell, (int64_t)(value * FIT_JOINT_FIXED_ONE + 0.5),
			   __ATOMIC_RELAXED);
}

/* The fit member an event counts for and its age in days at that member's
 * horizon (0 when the horizon is open), or -1 when it counts for none. */
static int32_t member_age(const struct mql_fit_joint *j, const mql_event *ev,
			  double *age)
{
	int32_t member = j->member_of[ev->contact];
	if (member < 0 || ev->at > j->horizon[member])
		return -1;
	*age = j->horizon[member] == INT64_MAX
		       ? 0.0
		       : mql_time_days_between(ev->at, j->horizon[member]);
	return member;
}

static int count_event(void *context, int range, const mql_event *ev,
		       mql_error *err)
{
	(void)err;
	(void)range;
	struct mql_fit_joint *j = context;
	double age;
	int32_t member = member_age(j, ev, &age);
	if (member < 0)
		return MQL_OK;
	for (size_t r = 0; r < j->rules; r++) {
		if (!scanned(j, r) || j->type_of[r] != ev->type)
			continue;
		double u = age / j->half_life[r];
		double w = exp2(-u);
		int64_t *cell = &j->sums[((size_t)member * j->rules + r) *
					 FIT_JOINT_SUMS];
		add_fixed(&cell[0], w);
		add_fixed(&cell[1], w * u);
		add_fixed(&cell[2], w * u * u);
	}
	return MQL_OK;
}

static void restart(void *context)
{
	struct mql_fit_joint *j = context;
	memset(j->sums, 0,
	       j->f->rows * j->rules * FIT_JOINT_SUMS * sizeof *j->sums);
}

/* The scanned rules' columns of f->x, their support and derivatives. */
static void fill_columns(struct mql_fit_joint *j)
{
	mql_features *f = j->f;
	for (size_t r = 0; r < j->rules; r++) {
		if (!scanned(j, r))
			continue;
		const mql_rule *rule = &f->rules->engagement[r];
		size_t column = f->fit_count + r;
		double support = 0;
		for (size_t i = 0; i < f->rows; i++) {
			const int64_t *cell =
				&j->sums[(i * j->rules + r) * FIT_JOINT_SUMS];
			double count = (double)cell[0] / FIT_JOINT_FIXED_ONE;
			double first =
				LN2 * ((double)cell[1] / FIT_JOINT_FIXED_ONE);
			double second = LN2 * LN2 *
						((double)cell[2] /
						 FIT_JOINT_FIXED_ONE) -
					first;
			int capped = !(count < rule->max_count);
			f->x[i * f->columns + column] =
				capped ? rule->max_count : count;
			j->dx[i * j->rules + r] = capped ? 0 : first;
			j->d2x[i * j->rules + r] = capped ? 0 : second;
			support += count != 0.0;
		}
		f->support[column] = support;
	}
}

/* One read of the events, each handed to event with context. */
static int read_events(struct mql_fit_joint *j,
		       int (*event)(void *, int, const mql_event *,
				    mql_error *),
		       void *context, mql_error *err)
{
	const char **types = malloc((j->rules ? j->rules : 1) * sizeof *types);
	if (!types)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	for (size_t r = 0; r < j->rules; r++)
		types[r] = j->f->rules->engagement[r].event;
	mql_events_scan_options so;
	mql_events_scan_options_init(&so);
	so.threads = j->opt->threads;
	so.ignore_campaigns = 1;
	so.types = types;
	so.type_count = j->rules;
	mql_events *scanned_events = NULL;
	mql_events_scan_ops ops = {NULL, event, context};
	int status =
		mql_events_scan(&scanned_events, j->opt->events_path,
				j->opt->contacts, j->opt->csv, &so, &ops, err);
	mql_events_close(scanned_events);
	free(types);
	j->scans++;
	return status;
}

int fit_joint_scan(struct mql_fit_joint *j, mql_error *err)
{
	restart(j);
	int status = read_events(j, count_event, j, err);
	if (status == MQL_OK)
		fill_columns(j);
	return status;
}

/* --- probes: several half-lives per rule in one pass --------------------- */

typedef struct probe_pass {
	struct mql_fit_joint *j;
	const double *days; /* rules x FIT_JOINT_PROBES */
	int64_t *counts;    /* rows x rules x FIT_JOINT_PROBES */
} probe_pass;

static int probe_event(void *context, int range, const mql_event *ev,
		       mql_error *err)
{
	(void)err;
	(void)range;
	probe_pass *pass = context;
	struct mql_fit_joint *j = pass->j;
	double age;
	int32_t member = member_age(j, ev, &age);
	if (member < 0)
		return MQL_OK;
	for (size_t r = 0; r < j->rules; r++) {
		if (j->type_of[r] != ev->type)
			continue;
		for (size_t k = 0; k < FIT_JOINT_PROBES; k++) {
			double days = pass->days[r * FIT_JOINT_PROBES + k];
			if (!(days > 0))
				continue;
			add_fixed(&pass->counts[((size_t)member * j->rules +
						 r) * FIT_JOINT_PROBES +
						k],
				  exp2(-age / days));
		}
	}
	return MQL_OK;
}

int fit_joint_probe(struct mql_fit_joint *j, const double *days,
		    int64_t *counts, mql_error *err)
{
	memset(counts, 0,
	       j->f->rows * j->rules * FIT_JOINT_PROBES * sizeof *counts);
	probe_pass pass = {j, days, counts};
	return read_events(j, probe_event, &pass, err);
}
