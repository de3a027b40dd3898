/*
 * events.c - the events file, one joined event at a time.
 *
 * This is the hot path of every command that reads history: tens of
 * millions of rows.  Per row it costs one CSV row, one date (the fixed
 * position fast path of timeparse) and one id lookup; exports usually list a
 * contact's events together, so the last id is remembered and a repeat costs
 * a memcmp instead of a hash probe.
 */
#include <mqlcal/events.h>

#include "csv_internal.h"
#include "events_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHED_ID_MAX 128

struct mql_events {
	mql_csv *csv;
	const mql_contacts *contacts;
	long id_column, time_column, type_column, campaign_column;
	mql_dict types;
	mql_dict campaigns;
	mql_dict_cache type_cache;
	mql_dict_cache campaign_cache;
	mql_events_stats stats;
	mql_time future_after;
	char cached_id[CACHED_ID_MAX];
	size_t cached_len; /* 0 = nothing cached */
	long cached_row;
};

static int find_required(const mql_csv *csv, const char *name, long *out,
			 mql_error *err)
{
	*out = mql_csv_find_column(csv, name);
	if (*out >= 0)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1, 0,
			     "missing column '%s' (expected contact_id, "
			     "occurred_at and event)",
			     name);
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
	*out = r;
	return 0;
}

/*
 * a[0..len) == b[0..len), inline: the ids and names compared here are a few
 * bytes long, where a call to memcmp costs more than the comparison.
 */
static int same_bytes(const char *a, const char *b, size_t len)
{
	for (; len >= 8; a += 8, b += 8, len -= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	for (; len; a++, b++, len--)
		if (*a != *b)
			return 0;
	return 1;
}

/* The NUL-ended stored id is id[0..len); never reads past its NUL. */
static int stored_id_is(const char *stored, const char *id, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (stored[i] != id[i] || stored[i] == '\0')
			return 0;
	return stored[len] == '\0';
}

/*
 * Row of the contact named in the current row, or -1 when unknown.  After
 * the last id, the likeliest is the contact on the next row of the table:
 * exports list contacts and their events in the same order.  That guess
 * costs one comparison of neighbouring memory, where the hash table costs a
 * few cache misses.
 */
static long join_contact(mql_events *r, const char *id, size_t len)
{
	if (len == r->cached_len && same_bytes(id, r->cached_id, len))
		return r->cached_row;
	const mql_contacts *c = r->contacts;
	long row = -1;
	if (r->cached_len > 0 && r->cached_row >= 0 &&
	    (size_t)r->cached_row + 1 < c->count) {
		const char *next = c->id[r->cached_row + 1];
		if (stored_id_is(next, id, len))
			row = r->cached_row + 1;
	}
	if (row < 0)
		row = mql_contacts_find(c, id, len);
	if (len < CACHED_ID_MAX) {
		memcpy(r->cached_id, id, len);
		r->cached_len = len;
		r->cached_row = row;
	}
	return row;
}

/* A required cell that is empty. */
static int missing_cell(const mql_events *r, long column, mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r->csv),
			     mql_csv_line(r->csv), column + 1,
			     "missing %s (expected a value on every row)",
			     mql_csv_column_name(r->csv, (size_t)column));
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

/* Fills ev from the current row once its contact is known. */
static int fill_event(mql_events *r, long row, mql_time at, mql_event *ev,
		      mql_error *err)
{
	const mql_csv *csv = r->csv;
	size_t len;
	const char *type =
		mql_csv_present_field(csv, (size_t)r->type_column, &len);
	if (!type)
		return missing_cell(r, r->type_column, err);
	ev->type = mql_dict_intern_cached(&r->types, &r->type_cache, type, len);
	ev->campaign = -1;
	const char *campaign =
		ev->type >= 0 && r->campaign_column >= 0
			? mql_csv_present_field(csv, (size_t)r->campaign_column,
						&len)
			: NULL;
	if (campaign) {
		ev->campaign = mql_dict_intern_cached(
			&r->campaigns, &r->campaign_cache, campaign, len);
		if (ev->campaign < 0)
			ev->type = -1;
	}
	if (ev->type < 0 || mql_events_stats_reserve(&r->stats, ev->type))
		return mql_error_set(err, MQL_ERR_NOMEM, mql_csv_path(csv), 0,
				     0, "out of memory");
	r->stats.per_type[ev->type]++;
	ev->contact = (uint32_t)row;
	ev->at = at;
	mql_time created = r->contacts->stage_at[MQL_STAGE_CREATED][row];
	if (created != MQL_TIME_NONE && at < created)
		r->stats.before_created++;
	return 0;
}

int mql_events_next(mql_events *r, mql_event *ev, mql_error *err)
{
	for (;;) {
		int status = mql_csv_next(r->csv, err);
		if (status <= 0)
			return status;
		r->stats.rows++;
		size_t len;
		const char *id = mql_csv_present_field(
			r->csv, (size_t)r->id_column, &len);
		if (!id)
			return missing_cell(r, r->id_column, err);
		mql_time at;
		status = mql_csv_get_time(r->csv, (size_t)r->time_column, &at,
					  err);
		if (status)
			return status;
		if (at == MQL_TIME_NONE)
			return missing_cell(r, r->time_column, err);
		note_time(r, at);
		long row = join_contact(r, id, len);
		if (row < 0) {
			r->stats.unknown_contact++;
			continue;
		}
		status = fill_event(r, row, at, ev, err);
		return status ? status : 1;
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

int mql_events_absorb(mql_events *r, const mql_events *part, int32_t *type_map,
		      int32_t *campaign_map)
{
	const mql_events_stats *add = &part->stats;
	mql_events_stats *sum = &r->stats;
	for (size_t i = 0; i < part->types.count; i++) {
		int32_t type = mql_dict_intern(&r->types, part->types.names[i],
					       part->types.lengths[i]);
		if (type < 0 || mql_events_stats_reserve(sum, type))
			return MQL_ERR_NOMEM;
		type_map[i] = type;
		if (i < add->per_type_count)
			sum->per_type[type] += add->per_type[i];
	}
	for (size_t i = 0; i < part->campaigns.count; i++) {
		campaign_map[i] =
			mql_dict_intern(&r->campaigns, part->campaigns.names[i],
					part->campaigns.lengths[i]);
		if (campaign_map[i] < 0)
			return MQL_ERR_NOMEM;
	}
	mql_events_stats_add(sum, add);
	return 0;
}

void mql_events_stats_add(mql_events_stats *sum, const mql_events_stats *part)
{
	sum->rows += part->rows;
	sum->unknown_contact += part->unknown_contact;
	sum->future += part->future;
	sum->before_created += part->before_created;
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
	free(r);
}
