/*
 * events.c - the events file, one joined event at a time.
 *
 * This is the hot path of every command that reads history: tens of
 * millions of rows.  Per row it costs one CSV row, one date (the fixed
 * position fast path of timeparse) and one id lookup.
 *
 * The lookup is what the order of the file decides.  Grouped by contact, a
 * row's id is the last row's most of the time.  In time order (what CRMs
 * and warehouses export) consecutive rows name contacts far apart: with a
 * million contacts the id table and the contacts' columns no longer fit in
 * the cache, and each probe, then each read of the contact's created_at,
 * would be a cache miss that the processor waits for.  So the reader reads
 * ahead: each row parsed is copied into a ring of AHEAD rows with its id's
 * hash, and its table slot is prefetched; JOIN_LAG rows later (in file
 * order) it is joined (the slot gives the row and its contact's
 * created_at, one cache line for both), types and campaigns interned;
 * AHEAD rows later it is handed out.  By then what
 * each step reads has arrived.  A row whose fields are too long to copy
 * joins at once, after every row before it.  Statistics of rows read and
 * errors of reading come in file order as without the ring: an error is
 * handed out after every event before it.
 */
#include <mqlcal/events.h>

#include "contacts_index.h"
#include "csv_reader.h"
#include "events_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AHEAD	   32 /* rows read ahead of the one handed out */
#define JOIN_LAG   12 /* rows between an id's prefetch and its join */
#define FIELD_COPY 40 /* bytes of a field the ring keeps */

/* A row read ahead.  Texts are NUL-free copies of length *_len. */
typedef struct ahead_row {
	mql_time at;
	long line;	   /* its line, for a late error */
	long row;	   /* contacts row once joined, -1 unknown */
	mql_time created;  /* once joined: its contact's created_at */
	int32_t type;	   /* once joined */
	int32_t campaign;  /* once joined, -1 none */
	int status;	   /* once joined: 0, or its error */
	long error_column; /* for MQL_ERR_INPUT: the empty cell */
	int repeat;	   /* same id as the row before */
	uint32_t hash;
	size_t other_len; /* of other: 0 when not looked for ahead */
	uint32_t other_hash;
	char other[18]; /* the id's other Salesforce form */
	size_t id_len, type_len, campaign_len; /* type_len 0: empty */
	int has_campaign;
	char id[FIELD_COPY], type_text[FIELD_COPY], campaign_text[FIELD_COPY];
} ahead_row;

/* A range reader's ids (its dictionary's indices) mapped to a scan's. */
typedef struct id_map {
	int32_t *global;
	size_t count, capacity;
} id_map;

struct mql_events {
	mql_csv *csv; /* NULL: a scan's names and statistics, no file */
	const mql_contacts *contacts;
	long id_column, time_column, type_column, campaign_column;
	long alternate_id_column, responded_column; /* -1: none */
	mql_dict types;
	mql_dict campaigns;
	mql_dict_cache type_cache;
	mql_dict_cache campaign_cache;
	mql_events_stats stats;
	mql_time future_after;
	ahead_row ring[AHEAD];
	size_t head, count, joined; /* joined: rows from head already joined */
	long last_row;		    /* row of the last row joined */
	mql_time last_created;	    /* and its contact's created_at */
	int last_other_form;	    /* and whether its id was the other form */
	mql_events_names *names;    /* a scan's file-global ids, or NULL */
	id_map type_map, campaign_map;
	int stopped, stop_status; /* reading ahead met the end or an error */
	mql_error stop_err;
};

static int find_required(const mql_csv *csv, const char *name, long *out,
			 mql_error *err)
{
	*out = mql_csv_find_column(csv, name);
	if (*out >= 0)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1, 0,
			     "missing column '%s' (expected contact_id, "
			     "occurred_at and event%s)",
			     name, mql_csv_delimiter_advice(csv));
}

int mql_events_open(mql_events **out, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    mql_time future_after, mql_error *err)
{
	*out = NULL;
	mql_events *r = calloc(1, sizeof *r);
	if (!r)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	mql_dict_init(&r->types);
	mql_dict_init(&r->campaigns);
	mql_dict_cache_init(&r->type_cache);
	mql_dict_cache_init(&r->campaign_cache);
	r->contacts = contacts;
	r->last_row = -1;
	r->last_created = MQL_TIME_NONE;
	r->future_after = future_after == MQL_TIME_NONE ? (mql_time)time(NULL)
							: future_after;
	r->stats.first = r->stats.last = MQL_TIME_NONE;
	int status = mql_csv_open(&r->csv, path, opt, err);
	if (!status)
		status =
			find_required(r->csv, "contact_id", &r->id_column, err);
	if (!status)
		status = find_required(r->csv, "occurred_at", &r->time_column,
				       err);
	if (!status)
		status = find_required(r->csv, "event", &r->type_column, err);
	if (status) {
		mql_events_close(r);
		return status;
	}
	r->campaign_column = mql_csv_find_column(r->csv, "campaign");
	r->alternate_id_column =
		mql_csv_find_column(r->csv, "alternate_contact_id");
	r->responded_column = mql_csv_find_column(r->csv, "responded");
	*out = r;
	return 0;
}

/* A required cell that is empty, on line. */
static int missing_cell_at(const mql_events *r, long column, long line,
			   mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r->csv), line,
			     column + 1,
			     "missing %s (expected a value on every row)",
			     mql_csv_column_name(r->csv, (size_t)column));
}

static int missing_cell(const mql_events *r, long column, mql_error *err)
{
	return missing_cell_at(r, column, mql_csv_line(r->csv), err);
}

int mql_events_stats_reserve(mql_events_stats *stats, int32_t type)
{
	if ((size_t)type < stats->per_type_count)
		return 0;
	size_t count = (size_t)type + 16;
	size_t *bigger = realloc(stats->per_type, count * sizeof *bigger);
	if (!bigger)
		return MQL_ERR_NOMEM;
	memset(bigger + stats->per_type_count, 0,
	       (count - stats->per_type_count) * sizeof *bigger);
	stats->per_type = bigger;
	stats->per_type_count = count;
	return 0;
}

static void note_time(mql_events *r, mql_time at)
{
	mql_events_stats *stats = &r->stats;
	if (stats->first == MQL_TIME_NONE || at < stats->first)
		stats->first = at;
	if (stats->last == MQL_TIME_NONE || at > stats->last)
		stats->last = at;
	if (at > r->future_after)
		stats->future++;
}

/* The ring's row i places after the head. */
static ahead_row *ring_at(mql_events *r, size_t i)
{
	return &r->ring[(r->head + i) % AHEAD];
}

/*
 * The scan's id of local index local of local_names, interned into shared
 * (under the scan's lock) the first time the reader meets it: a range
 * reader's dictionary grows one name at a time, so the map only grows at
 * its end.  -1 when out of memory.
 */
static int32_t global_id(id_map *m, const mql_dict *local_names,
			 mql_dict *shared, pthread_mutex_t *lock, int32_t local)
{
	if ((size_t)local < m->count)
		return m->global[local];
	if ((size_t)local >= m->capacity) {
		size_t capacity = 2 * (size_t)local + 16;
		int32_t *grown = realloc(m->global, capacity * sizeof *grown);
		if (!grown)
			return -1;
		m->global = grown;
		m->capacity = capacity;
	}
	int32_t id = 0;
	pthread_mutex_lock(lock);
	for (; m->count <= (size_t)local && id >= 0; m->count++) {
		id = mql_dict_intern(shared, local_names->names[m->count],
				     local_names->lengths[m->count]);
		m->global[m->count] = id;
	}
	pthread_mutex_unlock(lock);
	return id < 0 ? -1 : m->global[local];
}

/* Turns a joined row's type and campaign into the scan's ids. */
static void shared_ids(mql_events *r, ahead_row *a)
{
	mql_events_names *n = r->names;
	if (a->campaign >= 0) {
		a->campaign = global_id(&r->campaign_map, &r->campaigns,
					&n->campaigns, &n->lock, a->campaign);
		if (a->campaign < 0) {
			a->type = -1;
			return;
		}
	}
	a->type = global_id(&r->type_map, &r->types, &n->types, &n->lock,
			    a->type);
}

/* The row of the contact a's id names in its other Salesforce form (a
 * report's 15-character id, an export's 18), or -1; through the slot
 * fetched ahead when read_ahead looked that form up. */
static long other_form_row(const mql_contacts *c, ahead_row *a, const char *id)
{
	if (a->other_len)
		return mql_contacts_find_hashed(c, a->other, a->other_len,
						a->other_hash, &a->created);
	return mql_contacts_find_salesforce_form(c, id, a->id_len, &a->created);
}

/*
 * Joins a row (the next not joined, in file order) whose id, type and
 * campaign texts are given: its contact row, or -1 and a count of unknown
 * contacts; for a known contact its type and campaign interned (their
 * order of first use is the file's) and its created_at prefetched.
 */
static void join_row(mql_events *r, ahead_row *a, const char *id,
		     const char *type, const char *campaign)
{
	const mql_contacts *c = r->contacts;
	a->status = 0;
	if (a->repeat) {
		a->row = r->last_row;
		a->created = r->last_created;
	} else {
		a->row = mql_contacts_find_hashed(c, id, a->id_len, a->hash,
						  &a->created);
		r->last_other_form = 0;
		if (a->row < 0) { /* rare: only ids not found as they are */
			a->row = other_form_row(c, a, id);
			r->last_other_form = a->row >= 0;
		}
	}
	r->last_row = a->row;
	r->last_created = a->created;
	r->stats.salesforce_form += (size_t)r->last_other_form;
	if (a->row < 0) {
		r->stats.unknown_contact++;
		return;
	}
	if (!type) {
		a->status = MQL_ERR_INPUT;
		a->error_column = r->type_column;
		return;
	}
	a->type = mql_dict_intern_cached(&r->types, &r->type_cache, type,
					 a->type_len);
	a->campaign = -1;
	if (campaign && a->type >= 0) {
		a->campaign = mql_dict_intern_cached(&r->campaigns,
						     &r->campaign_cache,
						     campaign, a->campaign_len);
		if (a->campaign < 0)
			a->type = -1;
	}
	if (r->names && a->type >= 0)
		shared_ids(r, a);
	if (a->type < 0 || mql_events_stats_reserve(&r->stats, a->type)) {
		a->status = MQL_ERR_NOMEM;
		return;
	}
	r->stats.per_type[a->type]++;
}

/* Joins the first row of the ring not joined yet, from its copies. */
static void join_next(mql_events *r)
{
	ahead_row *a = ring_at(r, r->joined++);
	join_row(r, a, a->id, a->type_len ? a->type_text : NULL,
		 a->has_campaign ? a->campaign_text : NULL);
}

/* Copies field[0..len) into to (FIELD_COPY bytes); 0 when it does not fit.
 */
static int copy_field(char *to, const char *field, size_t len)
{
	if (len > FIELD_COPY)
		return 0;
	memcpy(to, field, len);
	return 1;
}

/*
 * Reads rows up to the next that is an event: a row whose responded cell
 * says no (0, no, false, n, empty) is counted and skipped.  Returns 1, 0 at
 * the end, or an error (err set): a responded cell that is no yes/no value.
 */
static int next_event_row(mql_events *r, mql_error *err)
{
	for (;;) {
		int status = mql_csv_next(r->csv, err);
		if (status <= 0)
			return status;
		r->stats.rows++;
		if (r->responded_column < 0)
			return 1;
		int responded;
		status = mql_csv_get_bool(r->csv, (size_t)r->responded_column,
					  &responded, err);
		if (status)
			return status;
		if (responded == 1)
			return 1;
		r->stats.not_responded++;
	}
}

/* The current row's id: its contact_id, else (when the file has one) its
 * alternate_contact_id; NULL when both are empty. */
static const char *row_id(const mql_events *r, size_t *len)
{
	const char *id =
		mql_csv_present_field(r->csv, (size_t)r->id_column, len);
	if (!id && r->alternate_id_column >= 0)
		id = mql_csv_present_field(r->csv,
					   (size_t)r->alternate_id_column, len);
	return id;
}

/* The error of a row without an id, at its contact_id cell. */
static int missing_id(const mql_events *r, mql_error *err)
{
	if (r->alternate_id_column < 0)
		return missing_cell(r, r->id_column, err);
	return mql_error_set(
		err, MQL_ERR_INPUT, mql_csv_path(r->csv), mql_csv_line(r->csv),
		r->id_column + 1,
		"missing %s and %s (expected a value in one of them on every "
		"row)",
		mql_csv_column_name(r->csv, (size_t)r->id_column),
		mql_csv_column_name(r->csv, (size_t)r->alternate_id_column));
}

/*
 * Reads the next event row into the ring and prefetches its id's slot.  A
 * row whose fields do not fit the ring's copies is joined at once, after
 * every row before it.  Returns 1, 0 at the end, or an error (err set).
 */
static int read_ahead(mql_events *r, mql_error *err)
{
	int status = next_event_row(r, err);
	if (status <= 0)
		return status;
	size_t len;
	const char *id = row_id(r, &len);
	if (!id)
		return missing_id(r, err);
	ahead_row *a = ring_at(r, r->count);
	status = mql_csv_get_time(r->csv, (size_t)r->time_column, &a->at, err);
	if (status)
		return status;
	if (a->at == MQL_TIME_NONE)
		return missing_cell(r, r->time_column, err);
	note_time(r, a->at);
	a->line = mql_csv_line(r->csv);
	const ahead_row *before = r->count ? ring_at(r, r->count - 1) : NULL;
	a->repeat = before && before->id_len == len &&
		    contacts_same_bytes(before->id, id, len);
	a->id_len = len;
	a->hash = a->repeat ? 0 : mql_contacts_find_ahead(r->contacts, id, len);
	/* Once ids join by their other Salesforce form (a report's against
	 * an export's), that form's slot is fetched ahead too. */
	a->other_len =
		!a->repeat && r->last_other_form
			? mql_contacts_salesforce_other_form(id, len, a->other)
			: 0;
	if (a->other_len)
		a->other_hash = mql_contacts_find_ahead(r->contacts, a->other,
							a->other_len);
	const char *type = mql_csv_present_field(r->csv, (size_t)r->type_column,
						 &a->type_len);
	const char *campaign =
		r->campaign_column >= 0
			? mql_csv_present_field(r->csv,
						(size_t)r->campaign_column,
						&a->campaign_len)
			: NULL;
	if (!type)
		a->type_len = 0;
	a->has_campaign = campaign != NULL;
	r->count++;
	if (copy_field(a->id, id, len) &&
	    (!type || copy_field(a->type_text, type, a->type_len)) &&
	    (!campaign ||
	     copy_field(a->campaign_text, campaign, a->campaign_len)))
		return 1;
	while (r->joined + 1 < r->count)
		join_next(r);
	join_row(r, a, id, type, campaign);
	r->joined++;
	a->id_len = SIZE_MAX; /* its copy is cut: no next row repeats it */
	return 1;
}

/* Hands out the ring's head row: 1 with ev filled, 0 when its contact is
 * unknown, or its error. */
static int hand_out(mql_events *r, mql_event *ev, mql_error *err)
{
	ahead_row *a = ring_at(r, 0);
	r->head = (r->head + 1) % AHEAD;
	r->count--;
	r->joined--;
	if (a->status == MQL_ERR_INPUT)
		return missing_cell_at(r, a->error_column, a->line, err);
	if (a->status)
		return mql_error_set(err, a->status, mql_csv_path(r->csv), 0, 0,
				     "out of memory");
	if (a->row < 0)
		return 0;
	ev->contact = (uint32_t)a->row;
	ev->type = a->type;
	ev->campaign = a->campaign;
	ev->at = a->at;
	if (a->created != MQL_TIME_NONE && a->at < a->created)
		r->stats.before_created++;
	return 1;
}

int mql_events_next(mql_events *r, mql_event *ev, mql_error *err)
{
	if (!r->csv)
		return 0;
	for (;;) {
		while (!r->stopped && r->count < AHEAD) {
			int status = read_ahead(r, &r->stop_err);
			if (status <= 0) {
				r->stopped = 1;
				r->stop_status = status;
				break;
			}
			if (r->count - r->joined > JOIN_LAG)
				join_next(r);
		}
		if (r->count == 0) {
			if (r->stop_status < 0 && err)
				*err = r->stop_err;
			return r->stop_status;
		}
		if (r->joined == 0)
			join_next(r);
		int status = hand_out(r, ev, err);
		if (status != 0)
			return status;
	}
}

int32_t mql_events_intern_type(mql_events *r, const char *name)
{
	int32_t type = mql_dict_intern(&r->types, name, strlen(name));
	if (type >= 0 && mql_events_stats_reserve(&r->stats, type))
		return -1;
	return type;
}

void mql_events_ignore_campaigns(mql_events *r)
{
	r->campaign_column = -1;
}

void mql_events_position(const mql_events *r, int64_t *offset, long *line)
{
	mql_csv_position(r->csv, offset, line);
}

int mql_events_ended_in_quotes(const mql_events *r)
{
	return mql_csv_ended_in_quotes(r->csv);
}

int mql_events_set_range(mql_events *r, int64_t begin, int64_t end, long line,
			 mql_error *err)
{
	return mql_csv_set_range(r->csv, begin, end, line, err);
}

void mql_events_share_names(mql_events *r, mql_events_names *names)
{
	r->names = names;
}

int32_t mql_events_global_type(const mql_events *r, int32_t local)
{
	if (!r->names)
		return local;
	return (size_t)local < r->type_map.count ? r->type_map.global[local]
						 : -1;
}

int mql_events_new_scanned(mql_events **out, mql_events_names *names)
{
	mql_events *r = calloc(1, sizeof *r);
	*out = r;
	if (!r)
		return MQL_ERR_NOMEM;
	r->types = names->types;
	r->campaigns = names->campaigns;
	mql_dict_init(&names->types);
	mql_dict_init(&names->campaigns);
	mql_dict_cache_init(&r->type_cache);
	mql_dict_cache_init(&r->campaign_cache);
	r->last_row = -1;
	r->last_created = MQL_TIME_NONE;
	r->stats.first = r->stats.last = MQL_TIME_NONE;
	return r->types.count ? mql_events_stats_reserve(
					&r->stats, (int32_t)r->types.count - 1)
			      : 0;
}

int mql_events_add_stats(mql_events *r, const mql_events *part)
{
	const mql_events_stats *add = &part->stats;
	for (size_t i = 0; i < add->per_type_count; i++) {
		if (!add->per_type[i])
			continue;
		if (mql_events_stats_reserve(&r->stats, (int32_t)i))
			return MQL_ERR_NOMEM;
		r->stats.per_type[i] += add->per_type[i];
	}
	mql_events_stats_add(&r->stats, add);
	return 0;
}

void mql_events_stats_add(mql_events_stats *sum, const mql_events_stats *part)
{
	sum->rows += part->rows;
	sum->unknown_contact += part->unknown_contact;
	sum->salesforce_form += part->salesforce_form;
	sum->future += part->future;
	sum->before_created += part->before_created;
	sum->not_responded += part->not_responded;
	if (part->first != MQL_TIME_NONE &&
	    (sum->first == MQL_TIME_NONE || part->first < sum->first))
		sum->first = part->first;
	if (part->last != MQL_TIME_NONE &&
	    (sum->last == MQL_TIME_NONE || part->last > sum->last))
		sum->last = part->last;
}

const mql_dict *mql_events_types(const mql_events *r)
{
	return &r->types;
}

const mql_dict *mql_events_campaigns(const mql_events *r)
{
	return &r->campaigns;
}

const mql_events_stats *mql_events_get_stats(const mql_events *r)
{
	return &r->stats;
}

mql_time mql_events_history_end(const mql_contacts *contacts,
				const mql_events_stats *stats)
{
	mql_time end = mql_contacts_latest_time(contacts);
	/* MQL_TIME_NONE is the smallest time: a plain maximum skips it */
	if (stats && stats->last > end)
		end = stats->last;
	return end;
}

void mql_events_close(mql_events *r)
{
	if (!r)
		return;
	mql_csv_close(r->csv);
	mql_dict_release(&r->types);
	mql_dict_release(&r->campaigns);
	free(r->stats.per_type);
	free(r->type_map.global);
	free(r->campaign_map.global);
	free(r);
}
