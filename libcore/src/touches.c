/*
 * touches.c - the per-contact touch table behind attribution (see
 * attribution.h): distinct campaigns with their first touch time, and the
 * last touch before each tracked stage, collected from streamed events.
 */
#include <stdlib.h>
#include <string.h>

#include <mqlcal/attribution.h>

#include "touches_internal.h"

const int mql_touch_stage[MQL_TOUCH_STAGES] = {
	MQL_STAGE_CREATED, MQL_STAGE_MQL, MQL_STAGE_SQL, MQL_STAGE_CUSTOMER};

/* A distinct campaign that touched a contact, and when it first did. */
struct touch {
	int32_t campaign;
	mql_time first_at;
};

struct contact_touches {
	struct touch *items;
	uint32_t count, capacity;
};

struct mql_touches {
	const mql_contacts *contacts;
	mql_dict campaigns;
	int32_t *event_campaign; /* reader campaign index -> ours, -2 unmapped
				  */
	size_t event_campaign_count;
	struct contact_touches *per_contact;
	int32_t *last_campaign[MQL_TOUCH_STAGES]; /* last touch by stage time */
	mql_time *last_at[MQL_TOUCH_STAGES];
	int32_t *first_met; /* scanned tables: ids in order of first touch */
	size_t first_met_count, first_met_capacity;
	int32_t *scratch; /* touched campaigns of one contact */
	size_t scratch_capacity;
};

int mql_touches_new(mql_touches **out, const mql_contacts *contacts)
{
	*out = NULL;
	mql_touches *t = calloc(1, sizeof *t);
	if (!t)
		return MQL_ERR_NOMEM;
	t->contacts = contacts;
	mql_dict_init(&t->campaigns);
	size_t rows = contacts->count ? contacts->count : 1;
	t->per_contact = calloc(rows, sizeof *t->per_contact);
	int ok = t->per_contact != NULL;
	for (int s = 0; s < MQL_TOUCH_STAGES && ok; s++) {
		t->last_campaign[s] = malloc(rows * sizeof(int32_t));
		t->last_at[s] = malloc(rows * sizeof(mql_time));
		ok = t->last_campaign[s] && t->last_at[s];
		for (size_t r = 0; ok && r < contacts->count; r++) {
			t->last_campaign[s][r] = -1;
			t->last_at[s][r] = MQL_TIME_NONE;
		}
	}
	for (size_t i = 0; ok && i < contacts->campaigns.count; i++) {
		const char *name = contacts->campaigns.names[i];
		ok = mql_dict_intern(&t->campaigns, name, strlen(name)) ==
		     (int32_t)i;
	}
	if (!ok) {
		mql_touches_free(t);
		return MQL_ERR_NOMEM;
	}
	*out = t;
	return MQL_OK;
}

/* Our index for the reader's campaign index, interning on first sight. */
static int32_t map_campaign(mql_touches *t, const mql_dict *names,
			    int32_t reader_index)
{
	if ((size_t)reader_index >= t->event_campaign_count) {
		size_t count = (size_t)reader_index * 2 + 16;
		int32_t *grown =
			realloc(t->event_campaign, count * sizeof *grown);
		if (!grown)
			return -1;
		for (size_t i = t->event_campaign_count; i < count; i++)
			grown[i] = -2;
		t->event_campaign = grown;
		t->event_campaign_count = count;
	}
	int32_t *slot = &t->event_campaign[reader_index];
	if (*slot == -2) {
		const char *name = mql_dict_name(names, reader_index);
		if (!name)
			return -1;
		*slot = mql_dict_intern(&t->campaigns, name, strlen(name));
	}
	return *slot;
}

/* Remembers campaign as touching contact row at time at. */
static int remember_touch(struct contact_touches *c, int32_t campaign,
			  mql_time at)
{
	for (uint32_t i = 0; i < c->count; i++) {
		if (c->items[i].campaign == campaign) {
			if (at < c->items[i].first_at)
				c->items[i].first_at = at;
			return MQL_OK;
		}
	}
	if (c->count == c->capacity) {
		uint32_t capacity = c->capacity ? c->capacity * 2 : 2;
		struct touch *grown =
			realloc(c->items, capacity * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		c->items = grown;
		c->capacity = capacity;
	}
	c->items[c->count++] = (struct touch){campaign, at};
	return MQL_OK;
}

/* The time a stage is reached, or the end of time when it is not. */
static mql_time stage_time(const mql_contacts *c, size_t row, int stage)
{
	mql_time at = c->stage_at[stage][row];
	return at == MQL_TIME_NONE ? INT64_MAX : at;
}

/* Records ev's touch of campaign (our index). */
static int add_touch(mql_touches *t, int32_t campaign, const mql_event *ev)
{
	size_t row = ev->contact;
	int status = remember_touch(&t->per_contact[row], campaign, ev->at);
	if (status)
		return status;
	for (int s = 0; s < MQL_TOUCH_STAGES; s++) {
		if (ev->at > stage_time(t->contacts, row, mql_touch_stage[s]))
			continue;
		if (t->last_at[s][row] == MQL_TIME_NONE ||
		    ev->at >= t->last_at[s][row]) {
			t->last_at[s][row] = ev->at;
			t->last_campaign[s][row] = campaign;
		}
	}
	return MQL_OK;
}

int mql_touches_add(mql_touches *t, const mql_dict *event_campaigns,
		    const mql_event *ev)
{
	if (ev->campaign < 0 || ev->contact >= t->contacts->count)
		return MQL_OK;
	int32_t campaign = map_campaign(t, event_campaigns, ev->campaign);
	if (campaign < 0)
		return MQL_ERR_NOMEM;
	return add_touch(t, campaign, ev);
}

/* Notes that a scanned table met id, remembering the order of first
 * meetings (event_campaign marks the ids met). */
static int note_met(mql_touches *t, int32_t id)
{
	if ((size_t)id < t->event_campaign_count && t->event_campaign[id] != -2)
		return MQL_OK;
	if (t->first_met_count == t->first_met_capacity) {
		size_t capacity = 2 * t->first_met_capacity + 16;
		int32_t *grown =
			realloc(t->first_met, capacity * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		t->first_met = grown;
		t->first_met_capacity = capacity;
	}
	if ((size_t)id >= t->event_campaign_count) {
		size_t count = (size_t)id * 2 + 16;
		int32_t *grown =
			realloc(t->event_campaign, count * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		for (size_t i = t->event_campaign_count; i < count; i++)
			grown[i] = -2;
		t->event_campaign = grown;
		t->event_campaign_count = count;
	}
	t->event_campaign[id] = id;
	t->first_met[t->first_met_count++] = id;
	return MQL_OK;
}

int mql_touches_add_scanned(mql_touches *t, const mql_event *ev)
{
	if (ev->campaign < 0 || ev->contact >= t->contacts->count)
		return MQL_OK;
	int status = note_met(t, ev->campaign);
	return status ? status : add_touch(t, ev->campaign, ev);
}

/* Our index of each of later's campaigns, interned by name: NULL when out
 * of memory. */
static int32_t *map_campaigns(mql_touches *into, const mql_touches *later)
{
	const mql_dict *names = &later->campaigns;
	int32_t *map = malloc((names->count ? names->count : 1) * sizeof *map);
	for (size_t i = 0; map && i < names->count; i++) {
		map[i] = mql_dict_intern(&into->campaigns, names->names[i],
					 names->lengths[i]);
		if (map[i] < 0) {
			free(map);
			map = NULL;
		}
	}
	return map;
}

/* Adds later's touches to into, later's campaign i being into's map[i]. */
static int join_mapped(mql_touches *into, const mql_touches *later,
		       const int32_t *map)
{
	int status = MQL_OK;
	for (size_t row = 0; row < into->contacts->count && !status; row++) {
		const struct contact_touches *c = &later->per_contact[row];
		for (uint32_t i = 0; i < c->count && !status; i++)
			status = remember_touch(&into->per_contact[row],
						map[c->items[i].campaign],
						c->items[i].first_at);
		for (int s = 0; s < MQL_TOUCH_STAGES; s++) {
			mql_time at = later->last_at[s][row];
			/* ties go to the later part, as to the later row */
			if (at == MQL_TIME_NONE ||
			    (into->last_at[s][row] != MQL_TIME_NONE &&
			     at < into->last_at[s][row]))
				continue;
			into->last_at[s][row] = at;
			into->last_campaign[s][row] =
				map[later->last_campaign[s][row]];
		}
	}
	return status;
}

int mql_touches_join(mql_touches *into, const mql_touches *later)
{
	if (into->contacts != later->contacts)
		return MQL_ERR_USAGE;
	int32_t *map = map_campaigns(into, later);
	if (!map)
		return MQL_ERR_NOMEM;
	int status = join_mapped(into, later, map);
	free(map);
	return status;
}

int mql_touches_join_scanned(mql_touches *into, const mql_touches *later,
			     const mql_dict *names)
{
	if (into->contacts != later->contacts)
		return MQL_ERR_USAGE;
	for (size_t i = 0; i < later->first_met_count; i++)
		if (map_campaign(into, names, later->first_met[i]) < 0)
			return MQL_ERR_NOMEM;
	return join_mapped(into, later, into->event_campaign);
}

size_t mql_touches_max_credits(const mql_touches *t, size_t row)
{
	return t->per_contact[row].count + 2;
}

static int stage_slot(int stage)
{
	for (int s = 0; s < MQL_TOUCH_STAGES; s++)
		if (mql_touch_stage[s] == stage)
			return s;
	return -1;
}

/* Makes room for n campaigns in the scratch list. */
static int reserve_scratch(mql_touches *t, size_t n)
{
	if (n <= t->scratch_capacity)
		return MQL_OK;
	int32_t *grown = realloc(t->scratch, n * sizeof *grown);
	if (!grown)
		return MQL_ERR_NOMEM;
	t->scratch = grown;
	t->scratch_capacity = n;
	return MQL_OK;
}

int mql_touches_credit(mql_touches *t, size_t row, int stage,
		       mql_attribution_model model, int32_t *campaigns,
		       double *credits, size_t *count)
{
	const struct contact_touches *c = &t->per_contact[row];
	*count = 0;
	if (reserve_scratch(t, (size_t)c->count + 1))
		return MQL_ERR_NOMEM;
	int slot = stage_slot(stage);
	mql_time until = stage_time(t->contacts, row, stage);
	int32_t origin = t->contacts->campaign[row];
	int32_t *touched = t->scratch;
	size_t touched_count = 0;
	int32_t earliest = -1;
	mql_time earliest_at = INT64_MAX;
	for (uint32_t i = 0; i < c->count; i++) {
		if (c->items[i].first_at > until)
			continue;
		if (c->items[i].campaign != origin)
			touched[touched_count++] = c->items[i].campaign;
		if (c->items[i].first_at < earliest_at) {
			earliest_at = c->items[i].first_at;
			earliest = c->items[i].campaign;
		}
	}
	if (origin >= 0)
		touched[touched_count++] = origin;
	/* The originating campaign is the first touch by definition. */
	int32_t first = origin >= 0 ? origin : earliest;
	int32_t last = slot >= 0 ? t->last_campaign[slot][row] : -1;
	*count = mql_attribution_credit(model, first, last, touched,
					touched_count, campaigns, credits);
	return MQL_OK;
}

const mql_contacts *mql_touches_contacts(const mql_touches *t)
{
	return t->contacts;
}

const mql_dict *mql_touches_campaigns(const mql_touches *t)
{
	return &t->campaigns;
}

void mql_touches_free(mql_touches *t)
{
	if (!t)
		return;
	if (t->per_contact) {
		for (size_t r = 0; r < t->contacts->count; r++)
			free(t->per_contact[r].items);
		free(t->per_contact);
	}
	free(t->first_met);
	for (int s = 0; s < MQL_TOUCH_STAGES; s++) {
		free(t->last_campaign[s]);
		free(t->last_at[s]);
	}
	free(t->event_campaign);
	free(t->scratch);
	mql_dict_release(&t->campaigns);
	free(t);
}
