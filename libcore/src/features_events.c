/*
 * features_events.c - the fit's decayed counts, one pass over the events
 * (see features.h and features_internal.h).
 *
 * Events come in any order; time-ordered exports jump to another contact
 * at every row.  Counting an event reads its contact's member index and
 * horizon and adds to its member's cells of the rule's counts: with a
 * million contacts each is a cache miss when the events are counted as
 * they come.  So a range keeps the events it reads as compact 16-byte
 * records, WAITING at a time, and counts them in a sliding window: the
 * contact's reach (member index and horizon, one line for four contacts)
 * is fetched 2 x AHEAD records ahead, the member's cells AHEAD ahead, so
 * that the misses of many events are under way at once.  Memory is the
 * contacts' reaches and the counts (contacts x rules), never the events.
 *
 * Radix-partitioning the records by blocks of contacts (a buffer per block
 * of 4,096 contacts, counted when full, so that a block's reaches and
 * cells stay in cache) was measured on 1M contacts and 49M time-ordered
 * events: writing the partitions cost as much as the misses it saved
 * (8.0 s of CPU against 7.6 s for the window alone, in blocks of 1K to
 * 64K contacts and buffers of 1 to 16 MiB), so the window is what is kept.
 * Counting in another order than the file's would give the same bits
 * anyway: the counts are integers (below).
 *
 * Discovery numbers the event types by their first counted event in file
 * order; a type not yet counted is checked when its event is read, before
 * it is buffered, so the rules come out in the same order as a count in
 * file order.
 */
#include "features_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/score.h>

#include "huge_pages.h"

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

/* A contact as counting sees it: its member index (-1: not in the
 * population) and the time its events are counted up to.  One cache line
 * holds four. */
typedef struct reach {
	mql_time horizon;
	int32_t member;
	int32_t unused;
} reach;

/* An event read and not yet counted. */
typedef struct pending {
	mql_time at;
	uint32_t contact;
	int32_t type;
} pending;

#define WAITING 1024 /* events a range holds before counting them */
#define AHEAD	16   /* records fetched ahead */

/*
 * The accumulators of one range of the events file: each range has its own
 * slots, keyed by the scan's type ids, its own counters and its own
 * waiting events.  reaches is shared (only read while ranges run); range 0's
 * pass owns it.
 */
typedef struct pass {
	mql_features *f;
	int discovering;
	int owner;
	const reach *reaches; /* per contacts row */
	size_t events_read, events_used, events_after_decision;
	slot *slots;
	size_t slot_count, slot_capacity;
	size_t **slots_of_type; /* per type: slot indices, ended by SIZE_MAX */
	size_t type_capacity;
	mql_rule *variant_rules;  /* per slot x variant: the decay to apply */
	pending waiting[WAITING]; /* events read, not yet counted */
	size_t waiting_count;
} pass;

static void pass_release(pass *p)
{
	if (p->owner)
		free((void *)p->reaches);
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
	reach *reaches = malloc((contacts->count ? contacts->count : 1) *
				sizeof *reaches);
	p->reaches = reaches;
	if (!reaches)
		return MQL_ERR_NOMEM;
	mql_huge_pages_advise(reaches, contacts->count * sizeof *reaches);
	for (size_t row = 0; row < contacts->count; row++)
		reaches[row] = (reach){0, -1, 0};
	for (size_t i = 0; i < population->count; i++)
		reaches[population->row[i]] = (reach){
			mql_features_horizon(population, i), (int32_t)i, 0};
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
		p->reaches = lead->reaches;
	}
	int status = p->discovering ? MQL_OK : bind_rules(p);
	if (status == MQL_OK)
		status = build_variant_rules(p, &discovered_decay);
	if (status != MQL_OK)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return status;
}

/* The slots of type, or NULL when no rule counts it. */
static const size_t *slots_of(const pass *p, int32_t type)
{
	return (size_t)type < p->type_capacity ? p->slots_of_type[type] : NULL;
}

/* Counts one event of a member at its age into p's slots. */
static void count_member_event(pass *p, const pending *ev, const reach *r)
{
	if (ev->at > r->horizon) {
		p->events_after_decision++;
		return;
	}
	const size_t *list = slots_of(p, ev->type);
	if (!list)
		return;
	/* Without any date to stand at, every event counts fully. */
	double age = r->horizon == INT64_MAX
			     ? 0.0
			     : mql_time_days_between(ev->at, r->horizon);
	for (size_t k = 0; list[k] != SIZE_MAX; k++)
		count_event(p, list[k], (size_t)r->member, age);
	p->events_used++;
}

/* Fetches ahead what counting ev will touch: its contact's reach, and
 * (reach already fetched) its member's cells. */
static void fetch_reach(const pass *p, const pending *ev)
{
	__builtin_prefetch(&p->reaches[ev->contact]);
}

static void fetch_cells(const pass *p, const pending *ev)
{
	int32_t member = p->reaches[ev->contact].member;
	const size_t *list = slots_of(p, ev->type);
	if (member < 0 || !list)
		return;
	for (size_t k = 0; list[k] != SIZE_MAX; k++)
		for (size_t v = 0; v < p->f->variant_count; v++)
			__builtin_prefetch(&p->slots[list[k]].fixed[v][member],
					   1);
}

/*
 * Counts p's waiting events, fetching each one's reach 2 x AHEAD events
 * ahead and its cells AHEAD ahead, so that about AHEAD cache misses are
 * under way at any time.
 */
static void count_waiting(pass *p)
{
	const pending *ev = p->waiting;
	size_t n = p->waiting_count;
	p->waiting_count = 0;
	for (size_t i = 0; i < n && i < 2 * AHEAD; i++)
		fetch_reach(p, &ev[i]);
	for (size_t i = 0; i < n && i < AHEAD; i++)
		fetch_cells(p, &ev[i]);
	for (size_t i = 0; i < n; i++) {
		if (i + 2 * AHEAD < n)
			fetch_reach(p, &ev[i + 2 * AHEAD]);
		if (i + AHEAD < n)
			fetch_cells(p, &ev[i + AHEAD]);
		const reach *r = &p->reaches[ev[i].contact];
		if (r->member >= 0)
			count_member_event(p, &ev[i], r);
	}
}

/*
 * Discovery: a type gets its slot at its first counted event in file
 * order, so it is settled when read, before waiting in a buffer.
 */
static int settle_type(pass *p, const mql_event *ev, mql_error *err)
{
	const reach *r = &p->reaches[ev->contact];
	if (r->member < 0 || ev->at > r->horizon)
		return MQL_OK;
	int status = add_slot(p, ev->type, p->slot_count);
	if (status == MQL_OK)
		status = build_variant_rules(p, &discovered_decay);
	if (status != MQL_OK)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return MQL_OK;
}

static int count_range_event(void *context, int range, const mql_event *ev,
			     mql_error *err)
{
	pass *p = &((scan *)context)->passes[range].p;
	p->events_read++;
	if (p->discovering && !slots_of(p, ev->type)) {
		int status = settle_type(p, ev, err);
		if (status != MQL_OK)
			return status;
	}
	pending *into = &p->waiting[p->waiting_count++];
	into->at = ev->at;
	into->contact = ev->contact;
	into->type = ev->type;
	if (p->waiting_count == WAITING)
		count_waiting(p);
	return MQL_OK;
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
		count_waiting(&sc->passes[k].p);
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

int features_accumulate_events(mql_features *f, const mql_contacts *contacts,
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
