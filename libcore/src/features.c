/* features.c - the design matrix as of each row's decision time (see
 * features.h). */
#include <mqlcal/features.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/score.h>

#include "huge_pages.h"

const double mql_half_life_grid[MQL_HALF_LIFE_GRID_COUNT] = {
	3, 7, 14, 30, 60, 90, 180, 365, 0};

void mql_features_options_init(mql_features_options *o)
{
	memset(o, 0, sizeof *o);
	mql_discover_options_init(&o->discover);
}

double mql_features_variant_half_life(size_t v)
{
	if (v == 0 || v > MQL_HALF_LIFE_GRID_COUNT)
		return NAN;
	return mql_half_life_grid[v - 1];
}

mql_time mql_features_horizon(const mql_population *p, size_t i)
{
	/* Without a decision time every event counts, up to an as-of the
	 * caller gave (the data's latest stage date is no limit for
	 * events). */
	return p->decision[i] != MQL_TIME_NONE ? p->decision[i]
	       : p->as_of_given		       ? p->as_of
					       : INT64_MAX;
}

/* --- the rule structure ---------------------------------------------- */

/* Parses the discovered fit rules (points 0) into a rule file. */
static int discovered_rules(mql_rules **out, mql_features *f,
			    const mql_contacts *contacts,
			    const mql_population *population,
			    const mql_discover_options *opt, mql_error *err)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *fit = doc ? cJSON_AddArrayToObject(doc, "fit") : NULL;
	if (!fit || !cJSON_AddStringToObject(doc, "format", MQL_RULES_FORMAT) ||
	    !cJSON_AddNumberToObject(doc, "threshold", 0) ||
	    !cJSON_AddArrayToObject(doc, "engagement")) {
		cJSON_Delete(doc);
		return MQL_ERR_NOMEM;
	}
	int status = mql_discover_fit_rules(fit, &f->warnings, &f->excluded,
					    contacts, population, opt, err);
	cJSON *rule;
	cJSON_ArrayForEach(rule, fit)
	{
		if (status == MQL_OK &&
		    !cJSON_AddNumberToObject(rule, "points", 0))
			status = MQL_ERR_NOMEM;
	}
	char *text = status == MQL_OK ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (status != MQL_OK)
		return status;
	if (!text)
		return MQL_ERR_NOMEM;
	status = mql_rules_parse(out, text, strlen(text), "discovered rules",
				 err);
	cJSON_free(text);
	return status;
}

/* --- decayed counts, one pass over the events --------------------------- */

/*
 * Decayed counts are summed in fixed point, in units of 2^-40 of an event
 * (a weight is off by at most 2^-41), saturating at 2^23 events a cell:
 * integer sums do not depend on the order they are made in, so the
 * features, and the fit, are the same to the last bit whatever the order
 * of the events file's rows and however many ranges read it.
 */
#define FIXED_ONE 1099511627776.0 /* 2^40 */

/* Accumulators of one engagement rule (or one discovered event type). */
typedef struct slot {
	int32_t type;	 /* event type index of the reader */
	size_t rule;	 /* engagement rule index (discovery: set later) */
	int64_t **fixed; /* variant_count arrays of rows values, 2^-40 units */
	size_t used;	 /* events counted */
} slot;

/* Events handled together: their rows' data is fetched before use. */
#define BATCH 64

/*
 * The accumulators of one range of the events file: each range has its own
 * slots, keyed by its own reader's type indices, and its own counters.
 * member_of and horizon are shared (only read while ranges run); range 0's
 * pass owns them.
 */
typedef struct pass {
	mql_features *f;
	int discovering;
	int owner;
	const int32_t *member_of; /* contacts row -> member, -1 */
	const mql_time *horizon;  /* per member: decision, or as_of */
	size_t events_read, events_used, events_after_decision;
	slot *slots;
	size_t slot_count, slot_capacity;
	size_t **slots_of_type; /* per type: slot indices, ended by SIZE_MAX */
	size_t type_capacity;
	mql_rule *variant_rules; /* per slot x variant: the decay to apply */
	mql_event batch[BATCH];	 /* events not yet counted */
	size_t batched;
} pass;

static void pass_release(pass *p)
{
	if (p->owner) {
		free((void *)p->member_of);
		free((void *)p->horizon);
	}
	for (size_t t = 0; t < p->type_capacity; t++)
		free(p->slots_of_type[t]);
	free(p->slots_of_type);
	for (size_t s = 0; s < p->slot_count; s++) {
		for (size_t v = 0; p->slots[s].fixed && v < p->f->variant_count;
		     v++)
			free(p->slots[s].fixed[v]);
		free(p->slots[s].fixed);
	}
	free(p->slots);
	free(p->variant_rules);
}

static int pass_init(pass *p, mql_features *f, const mql_contacts *contacts,
		     const mql_population *population, int discovering)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->discovering = discovering;
	p->owner = 1;
	int32_t *member_of = malloc((contacts->count ? contacts->count : 1) *
				    sizeof *member_of);
	mql_time *horizon = malloc((population->count ? population->count : 1) *
				   sizeof *horizon);
	p->member_of = member_of;
	p->horizon = horizon;
	if (!member_of || !horizon)
		return MQL_ERR_NOMEM;
	/* Read at random when the events come in time order: huge pages
	 * spare a TLB miss per read. */
	mql_huge_pages_advise(member_of, contacts->count * sizeof *member_of);
	mql_huge_pages_advise(horizon, population->count * sizeof *horizon);
	for (size_t row = 0; row < contacts->count; row++)
		member_of[row] = -1;
	for (size_t i = 0; i < population->count; i++) {
		member_of[population->row[i]] = (int32_t)i;
		horizon[i] = mql_features_horizon(population, i);
	}
	return MQL_OK;
}

/* Makes room for type index type in slots_of_type. */
static int reserve_type(pass *p, int32_t type)
{
	if ((size_t)type < p->type_capacity)
		return MQL_OK;
	size_t capacity = p->type_capacity ? p->type_capacity : 16;
	while (capacity <= (size_t)type)
		capacity *= 2;
	size_t **grown =
		realloc(p->slots_of_type, capacity * sizeof *p->slots_of_type);
	if (!grown)
		return MQL_ERR_NOMEM;
	memset(grown + p->type_capacity, 0,
	       (capacity - p->type_capacity) * sizeof *grown);
	p->slots_of_type = grown;
	p->type_capacity = capacity;
	return MQL_OK;
}

/* Adds a slot for type; its accumulators start at 0. */
static int add_slot(pass *p, int32_t type, size_t rule)
{
	if (p->slot_count == p->slot_capacity) {
		size_t capacity = p->slot_capacity ? 2 * p->slot_capacity : 8;
		slot *grown = realloc(p->slots, capacity * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		p->slots = grown;
		p->slot_capacity = capacity;
	}
	slot *s = &p->slots[p->slot_count];
	memset(s, 0, sizeof *s);
	s->type = type;
	s->rule = rule;
	s->fixed = calloc(p->f->variant_count, sizeof *s->fixed);
	if (!s->fixed)
		return MQL_ERR_NOMEM;
	p->slot_count++;
	size_t rows = p->f->rows ? p->f->rows : 1;
	for (size_t v = 0; v < p->f->variant_count; v++) {
		s->fixed[v] = calloc(rows, sizeof **s->fixed);
		if (!s->fixed[v])
			return MQL_ERR_NOMEM;
		mql_huge_pages_advise(s->fixed[v], rows * sizeof **s->fixed);
	}
	if (reserve_type(p, type) != MQL_OK)
		return MQL_ERR_NOMEM;
	size_t n = 0;
	size_t *list = p->slots_of_type[type];
	while (list && list[n] != SIZE_MAX)
		n++;
	size_t *grown = realloc(list, (n + 2) * sizeof *grown);
	if (!grown)
		return MQL_ERR_NOMEM;
	grown[n] = p->slot_count - 1;
	grown[n + 1] = SIZE_MAX;
	p->slots_of_type[type] = grown;
	return MQL_OK;
}

/* The decay of variant v for a rule whose own decay is in rule. */
static void variant_rule(mql_rule *out, const mql_rule *rule, size_t v)
{
	*out = *rule; /* shallow: only the decay fields are read */
	if (v == 0)
		return;
	double half_life = mql_half_life_grid[v - 1];
	out->decay = half_life > 0 ? MQL_DECAY_HALF_LIFE : MQL_DECAY_NONE;
	out->decay_days = half_life;
}

/*
 * Binds the rule file's engagement rules to the scan's type ids: the scan
 * is given the rules' types in rule order (rule_types), so a dictionary
 * they are interned into in that order gives each one's id.
 */
static int bind_rules(pass *p)
{
	mql_rules *rules = p->f->rules;
	mql_dict types;
	mql_dict_init(&types);
	int status = MQL_OK;
	for (size_t r = 0; r < rules->engagement_count && !status; r++) {
		const char *event = rules->engagement[r].event;
		int32_t type = mql_dict_intern(&types, event, strlen(event));
		if (type < 0 || add_slot(p, type, r) != MQL_OK)
			status = MQL_ERR_NOMEM;
	}
	mql_dict_release(&types);
	return status;
}

/* The template decays of every slot and variant (rebuilt as slots grow). */
static int build_variant_rules(pass *p, const mql_rule *discovered)
{
	size_t variants = p->f->variant_count;
	size_t capacity = p->slot_capacity ? p->slot_capacity : 1;
	mql_rule *grown =
		realloc(p->variant_rules, capacity * variants * sizeof *grown);
	if (!grown)
		return MQL_ERR_NOMEM;
	p->variant_rules = grown;
	for (size_t s = 0; s < p->slot_count; s++) {
		const mql_rule *own =
			p->discovering
				? discovered
				: &p->f->rules->engagement[p->slots[s].rule];
		for (size_t v = 0; v < variants; v++)
			variant_rule(&grown[s * variants + v], own, v);
	}
	return MQL_OK;
}

/* cell += weight in 2^-40 units, saturating (weights are >= 0). */
static void add_fixed(int64_t *cell, double weight)
{
	int64_t units = (int64_t)(weight * FIXED_ONE + 0.5);
	if (__builtin_add_overflow(*cell, units, cell))
		*cell = INT64_MAX;
}

static void count_event(pass *p, size_t s, size_t member, double age_days)
{
	slot *sl = &p->slots[s];
	size_t variants = p->f->variant_count;
	for (size_t v = 0; v < variants; v++)
		add_fixed(
			&sl->fixed[v][member],
			mql_rule_decay_weight(
				&p->variant_rules[s * variants + v], age_days));
	sl->used++;
}

/* A discovered event type counts every event, undecayed (variant 0). */
static const mql_rule discovered_decay = {
	.kind = MQL_RULE_ENGAGEMENT,
	.decay = MQL_DECAY_NONE,
	.max_count = MQL_RULE_NO_CAP,
};

/*
 * The passes of the ranges of one read of the events file.  Each range's
 * thread bumps its pass's counters on every event: a pass followed by a
 * cache line and more of padding keeps two threads off one cache line.
 */
typedef struct padded_pass {
	pass p;
	char padding[128];
} padded_pass;

typedef struct scan {
	padded_pass passes[MQL_EVENTS_MAX_THREADS];
} scan;

/* Before a range's first row: its pass, bound to the rules' types. */
static int start_range(void *context, int range, mql_error *err)
{
	scan *sc = context;
	pass *p = &sc->passes[range].p;
	if (range > 0) {
		const pass *lead = &sc->passes[0].p;
		memset(p, 0, sizeof *p);
		p->f = lead->f;
		p->discovering = lead->discovering;
		p->member_of = lead->member_of;
		p->horizon = lead->horizon;
	}
	int status = p->discovering ? MQL_OK : bind_rules(p);
	if (status == MQL_OK)
		status = build_variant_rules(p, &discovered_decay);
	if (status != MQL_OK)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return status;
}

/* Counts one event into p's slots. */
static int count_one(pass *p, const mql_event *ev, mql_error *err)
{
	p->events_read++;
	int32_t member = p->member_of[ev->contact];
	if (member < 0)
		return MQL_OK;
	if (ev->at > p->horizon[member]) {
		p->events_after_decision++;
		return MQL_OK;
	}
	if (p->discovering && ((size_t)ev->type >= p->type_capacity ||
			       !p->slots_of_type[ev->type])) {
		int status = add_slot(p, ev->type, p->slot_count);
		if (status == MQL_OK)
			status = build_variant_rules(p, &discovered_decay);
		if (status != MQL_OK)
			return mql_error_set(err, status, NULL, 0, 0,
					     "out of memory");
	}
	if ((size_t)ev->type >= p->type_capacity || !p->slots_of_type[ev->type])
		return MQL_OK;
	/* Without any date to stand at, every event counts fully. */
	double age =
		p->horizon[member] == INT64_MAX
			? 0.0
			: mql_time_days_between(ev->at, p->horizon[member]);
	const size_t *list = p->slots_of_type[ev->type];
	for (size_t k = 0; list[k] != SIZE_MAX; k++)
		count_event(p, list[k], (size_t)member, age);
	p->events_used++;
	return MQL_OK;
}

/*
 * Counts p's batched events.  Events come in any order, and with a million
 * contacts each one's member, horizon and counts are cache misses: the
 * batch fetches all of them ahead (prefetch), then counts in file order.
 */
static int count_batch(pass *p, mql_error *err)
{
	size_t n = p->batched;
	p->batched = 0;
	for (size_t i = 0; i < n; i++)
		__builtin_prefetch(&p->member_of[p->batch[i].contact]);
	for (size_t i = 0; i < n; i++) {
		const mql_event *ev = &p->batch[i];
		int32_t member = p->member_of[ev->contact];
		if (member < 0 || (size_t)ev->type >= p->type_capacity ||
		    !p->slots_of_type[ev->type])
			continue;
		__builtin_prefetch(&p->horizon[member]);
		const size_t *list = p->slots_of_type[ev->type];
		for (size_t k = 0; list[k] != SIZE_MAX; k++)
			for (size_t v = 0; v < p->f->variant_count; v++)
				__builtin_prefetch(
					&p->slots[list[k]].fixed[v][member], 1);
	}
	for (size_t i = 0; i < n; i++) {
		int status = count_one(p, &p->batch[i], err);
		if (status != MQL_OK)
			return status;
	}
	return MQL_OK;
}

static int count_range_event(void *context, int range, const mql_event *ev,
			     mql_error *err)
{
	pass *p = &((scan *)context)->passes[range].p;
	p->batch[p->batched++] = *ev;
	return p->batched == BATCH ? count_batch(p, err) : MQL_OK;
}

/*
 * Adds range pass part into lead: slots are matched by type id, a type new
 * to lead (discovery) gets a slot after lead's own, so slots stay in order
 * of first use in the file.  Rule files give every range the same slots in
 * rule order.
 */
static int add_range(pass *lead, const pass *part)
{
	size_t variants = lead->f->variant_count;
	size_t rows = lead->f->rows;
	lead->events_read += part->events_read;
	lead->events_used += part->events_used;
	lead->events_after_decision += part->events_after_decision;
	for (size_t s = 0; s < part->slot_count; s++) {
		size_t into = s;
		if (lead->discovering) {
			int32_t type = part->slots[s].type;
			if (reserve_type(lead, type) != MQL_OK)
				return MQL_ERR_NOMEM;
			if (!lead->slots_of_type[type] &&
			    add_slot(lead, type, lead->slot_count) != MQL_OK)
				return MQL_ERR_NOMEM;
			into = lead->slots_of_type[type][0];
		}
		slot *to = &lead->slots[into];
		const slot *from = &part->slots[s];
		for (size_t v = 0; v < variants; v++)
			for (size_t i = 0; i < rows; i++)
				if (__builtin_add_overflow(to->fixed[v][i],
							   from->fixed[v][i],
							   &to->fixed[v][i]))
					to->fixed[v][i] = INT64_MAX;
		to->used += from->used;
	}
	return MQL_OK;
}

/*
 * Reads the events file in ranges, one pass each, and adds passes 1, 2, ...
 * into pass 0 in that order: the same split gives the same sums to the last
 * bit.  *scanned holds the type names of the scan's ids (the caller closes
 * it).
 */
static int read_events(pass *lead, mql_events **scanned, const char *path,
		       const mql_contacts *contacts, const mql_csv_options *csv,
		       int threads, mql_error *err)
{
	mql_rules *rules = lead->f->rules;
	size_t n = lead->discovering ? 0 : rules->engagement_count;
	const char **types = malloc((n ? n : 1) * sizeof *types);
	scan *sc = malloc(sizeof *sc);
	if (!sc || !types) {
		free(sc);
		free(types);
		return MQL_ERR_NOMEM;
	}
	for (size_t r = 0; r < n; r++)
		types[r] = rules->engagement[r].event;
	memset(sc, 0, sizeof *sc);
	sc->passes[0].p = *lead;
	mql_events_scan_options so;
	mql_events_scan_options_init(&so);
	so.threads = threads;
	so.ignore_campaigns = 1;
	so.types = types;
	so.type_count = n;
	mql_events_scan_ops ops = {start_range, count_range_event, sc};
	int status =
		mql_events_scan(scanned, path, contacts, csv, &so, &ops, err);
	int ranges = 0;
	while (ranges < MQL_EVENTS_MAX_THREADS && sc->passes[ranges].p.f)
		ranges++;
	for (int k = 0; k < ranges && status == MQL_OK; k++)
		status = count_batch(&sc->passes[k].p, err);
	for (int k = 1; k < ranges && status == MQL_OK; k++)
		status = add_range(&sc->passes[0].p, &sc->passes[k].p);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	*lead = sc->passes[0].p;
	for (int k = 1; k < MQL_EVENTS_MAX_THREADS; k++)
		if (sc->passes[k].p.f)
			pass_release(&sc->passes[k].p);
	free(sc);
	free(types);
	return status;
}

/* Discovery: one engagement rule per event type met, in order of first
 * use. */
static int add_discovered_engagement(pass *p, const mql_dict *types)
{
	mql_rules *rules = p->f->rules;
	for (size_t s = 0; s < p->slot_count; s++) {
		const char *type = mql_dict_name(types, p->slots[s].type);
		char id[320];
		const char *parts[] = {type};
		mql_discover_slug(id, sizeof id, parts, 1);
		for (int suffix = 2; mql_rules_find(rules, id); suffix++) {
			char base[300];
			mql_discover_slug(base, sizeof base, parts, 1);
			snprintf(id, sizeof id, "%s_%d", base, suffix);
		}
		if (!mql_rules_add_engagement(rules, id, type, 0))
			return MQL_ERR_NOMEM;
		p->slots[s].rule = rules->engagement_count - 1;
	}
	return MQL_OK;
}

/* The fixed-point sums of values[0..n) turned, in place, into counts. */
static double *counts_of_fixed(int64_t *values, size_t n)
{
	unsigned char *bytes = (unsigned char *)values;
	for (size_t i = 0; i < n; i++) {
		int64_t units;
		memcpy(&units, bytes + i * sizeof units, sizeof units);
		double count = (double)units / FIXED_ONE;
		memcpy(bytes + i * sizeof count, &count, sizeof count);
	}
	return (double *)(void *)values;
}

/* Moves the slots' accumulators into f, in engagement rule order. */
static int keep_decayed(mql_features *f, pass *p)
{
	size_t n = f->rules->engagement_count;
	size_t variants = f->variant_count;
	f->engagement_count = n;
	f->decayed = calloc((n ? n : 1) * variants, sizeof *f->decayed);
	f->variant = calloc(n ? n : 1, sizeof *f->variant);
	f->own_decay = calloc(n ? n : 1, sizeof *f->own_decay);
	f->own_decay_days = calloc(n ? n : 1, sizeof *f->own_decay_days);
	if (!f->decayed || !f->variant || !f->own_decay || !f->own_decay_days)
		return MQL_ERR_NOMEM;
	for (size_t s = 0; s < p->slot_count; s++) {
		size_t r = p->slots[s].rule;
		for (size_t v = 0; v < variants; v++) {
			f->decayed[r * variants + v] =
				counts_of_fixed(p->slots[s].fixed[v], f->rows);
			p->slots[s].fixed[v] = NULL;
		}
		if (p->slots[s].used == 0 &&
		    mql_strings_add(&f->warnings,
				    "rule '%s': no '%s' event before any "
				    "row's decision time",
				    f->rules->engagement[r].id,
				    f->rules->engagement[r].event) != MQL_OK)
			return MQL_ERR_NOMEM;
	}
	for (size_t r = 0; r < n; r++) {
		if (!f->decayed[r * variants] &&
		    mql_strings_add(&f->warnings,
				    "rule '%s': no events file, its column is "
				    "0",
				    f->rules->engagement[r].id) != MQL_OK)
			return MQL_ERR_NOMEM;
		f->own_decay[r] = f->rules->engagement[r].decay;
		f->own_decay_days[r] = f->rules->engagement[r].decay_days;
	}
	return MQL_OK;
}

static int accumulate_events(mql_features *f, const mql_contacts *contacts,
			     const mql_population *population,
			     const char *events_path,
			     const mql_csv_options *csv, int discovering,
			     int threads, mql_error *err)
{
	pass p;
	mql_events *reader = NULL;
	int status = pass_init(&p, f, contacts, population, discovering);
	if (status == MQL_OK && events_path)
		status = read_events(&p, &reader, events_path, contacts, csv,
				     threads, err);
	f->events_read = p.events_read;
	f->events_used = p.events_used;
	f->events_after_decision = p.events_after_decision;
	if (status == MQL_OK && reader && discovering)
		status =
			add_discovered_engagement(&p, mql_events_types(reader));
	if (status == MQL_OK)
		status = keep_decayed(f, &p);
	mql_events_close(reader);
	pass_release(&p);
	return status;
}

/* --- the matrix ------------------------------------------------------- */

static void fill_engagement_column(mql_features *f, size_t r)
{
	size_t column = f->fit_count + r;
	const mql_rule *rule = &f->rules->engagement[r];
	const double *decayed =
		f->decayed[r * f->variant_count + (size_t)f->variant[r]];
	double support = 0;
	for (size_t i = 0; i < f->rows; i++) {
		double value = decayed ? mql_rule_capped(rule, decayed[i]) : 0;
		f->x[i * f->columns + column] = value;
		support += value != 0.0;
	}
	f->support[column] = support;
}

static int fill_matrix(mql_features *f, const mql_contacts *contacts,
		       const mql_population *population, mql_error *err)
{
	mql_scorer *scorer = NULL;
	int status = mql_scorer_new(&scorer, f->rules, contacts, err);
	if (status != MQL_OK)
		return status;
	f->fit_count = f->rules->fit_count;
	f->columns = f->fit_count + f->engagement_count;
	size_t cells = f->rows * f->columns;
	f->x = malloc((cells ? cells : 1) * sizeof *f->x);
	f->support = calloc(f->columns ? f->columns : 1, sizeof *f->support);
	f->names = malloc((f->columns ? f->columns : 1) * sizeof *f->names);
	if (!f->x || !f->support || !f->names) {
		mql_scorer_free(scorer);
		return MQL_ERR_NOMEM;
	}
	for (size_t j = 0; j < f->fit_count; j++) {
		f->names[j] = f->rules->fit[j].id;
		for (size_t i = 0; i < f->rows; i++) {
			double value = mql_scorer_fit_unit(scorer, j,
							   population->row[i]);
			f->x[i * f->columns + j] = value;
			f->support[j] += value != 0.0;
		}
	}
	for (size_t r = 0; r < f->engagement_count; r++) {
		f->names[f->fit_count + r] = f->rules->engagement[r].id;
		fill_engagement_column(f, r);
	}
	mql_scorer_free(scorer);
	return MQL_OK;
}

int mql_features_build(mql_features **out, const mql_contacts *contacts,
		       const mql_population *population, mql_rules *rules,
		       const char *events_path, const mql_csv_options *csv,
		       const mql_features_options *opt, mql_error *err)
{
	*out = NULL;
	mql_features *f = calloc(1, sizeof *f);
	if (!f) {
		mql_rules_free(rules);
		return MQL_ERR_NOMEM;
	}
	f->rows = population->count;
	f->variant_count =
		opt->half_life_grid ? 1 + MQL_HALF_LIFE_GRID_COUNT : 1;
	f->rules = rules;
	int status = MQL_OK;
	if (!f->rules)
		status = discovered_rules(&f->rules, f, contacts, population,
					  &opt->discover, err);
	if (status == MQL_OK)
		status = accumulate_events(f, contacts, population, events_path,
					   csv, rules == NULL, opt->threads,
					   err);
	if (status == MQL_OK)
		status = fill_matrix(f, contacts, population, err);
	if (status != MQL_OK) {
		mql_features_free(f);
		return status;
	}
	*out = f;
	return MQL_OK;
}

int mql_features_set_variant(mql_features *f, size_t rule, size_t v)
{
	if (rule >= f->engagement_count || v >= f->variant_count)
		return MQL_ERR_USAGE;
	mql_rule *r = &f->rules->engagement[rule];
	if (v == 0) {
		r->decay = f->own_decay[rule];
		r->decay_days = f->own_decay_days[rule];
	} else {
		double half_life = mql_half_life_grid[v - 1];
		r->decay = half_life > 0 ? MQL_DECAY_HALF_LIFE : MQL_DECAY_NONE;
		r->decay_days = half_life;
	}
	f->variant[rule] = (int)v;
	fill_engagement_column(f, rule);
	return MQL_OK;
}

void mql_features_free(mql_features *f)
{
	if (!f)
		return;
	free(f->x);
	free(f->names);
	free(f->support);
	for (size_t k = 0;
	     f->decayed && k < f->engagement_count * f->variant_count; k++)
		free(f->decayed[k]);
	free(f->decayed);
	free(f->variant);
	mql_discover_excluded_release(&f->excluded);
	free(f->own_decay);
	free(f->own_decay_days);
	mql_rules_free(f->rules);
	mql_strings_release(&f->warnings);
	free(f);
}
