/*
 * contacts_merge.c - joins the parts of a contacts load in file order and
 * checks that the ids are unique (see contacts_internal.h).
 */
#include "contacts_internal.h"

#include <stdlib.h>
#include <string.h>

/* Puts from[0..added) after array's count elements, for which the caller
 * has made room: contacts_rows_append, which may take from's pages (from is
 * then NULL).  from_capacity: the elements from's mapping holds. */
#define APPEND(array, count, from, added, from_capacity)                       \
	do {                                                                   \
		void *taken_ = (from);                                         \
		contacts_rows_append((array), (count), &taken_, (added),       \
				     (from_capacity), sizeof *(array));        \
		(from) = taken_;                                               \
	} while (0)

/* Interns from's names into into in index order; *out (from->count
 * entries) maps from's indexes to into's.  Returns 0 or MQL_ERR_NOMEM. */
static int remap_dict(int32_t **out, mql_dict *into, const mql_dict *from)
{
	int32_t *map = malloc((from->count ? from->count : 1) * sizeof *map);
	if (!map)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < from->count; i++) {
		map[i] =
			mql_dict_intern(into, from->names[i], from->lengths[i]);
		if (map[i] < 0) {
			free(map);
			return MQL_ERR_NOMEM;
		}
	}
	*out = map;
	return 0;
}

/* Appends from's indexes into dictionary from_dict as indexes into
 * into_dict, after into_count of into's (room made by the caller): they
 * are made into's in place, then moved. */
static int append_indexes(int32_t *into, size_t into_count, mql_dict *into_dict,
			  int32_t **from, size_t from_count,
			  size_t from_capacity, const mql_dict *from_dict)
{
	int32_t *map = NULL, *indexes = *from;
	int status = remap_dict(&map, into_dict, from_dict);
	if (status)
		return status;
	for (size_t row = 0; row < from_count; row++)
		indexes[row] = indexes[row] < 0 ? -1 : map[indexes[row]];
	free(map);
	APPEND(into, into_count, *from, from_count, from_capacity);
	return 0;
}

/* Appends from's property p (the same column) to into's. */
static int merge_property(contacts_part *into, contacts_part *from, size_t p)
{
	mql_property *a = &into->table->properties[p];
	mql_property *b = &from->table->properties[p];
	size_t count = into->table->count, added = from->table->count;
	size_t from_capacity = from->lay.capacity;
	int status = append_indexes(a->level, count, &a->levels, &b->level,
				    added, from_capacity, &b->levels);
	if (status)
		return status;
	a->missing += b->missing;
	if (into->lay.all_numeric[p] && from->lay.all_numeric[p]) {
		APPEND(a->number, count, b->number, added, from_capacity);
		return 0;
	}
	into->lay.all_numeric[p] = 0;
	contacts_rows_free(a->number, into->lay.capacity * sizeof *a->number);
	a->number = NULL;
	return 0;
}

static void add_quality(mql_contacts_quality *into,
			const mql_contacts_quality *from)
{
	into->stages_out_of_order += from->stages_out_of_order;
	into->future_dates += from->future_dates;
	into->missing_created_at += from->missing_created_at;
	into->undated_rejections += from->undated_rejections;
	for (size_t i = 0; i < into->column_count; i++)
		into->missing[i] += from->missing[i];
}

/* Appends the rows' stage dates and revenue. */
static void merge_values(mql_contacts *a, mql_contacts *b, size_t from_capacity)
{
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		APPEND(a->stage_at[s], a->count, b->stage_at[s], b->count,
		       from_capacity);
	APPEND(a->rejected_undated, a->count, b->rejected_undated, b->count,
	       from_capacity);
	if (a->revenue)
		APPEND(a->revenue, a->count, b->revenue, b->count,
		       from_capacity);
}

/* Appends the stored ids and their lines (made lines of the file). */
static int merge_ids(contacts_part *into, contacts_part *from, long line_offset)
{
	mql_contacts *a = into->table, *b = from->table;
	contacts_store *a_store = a->index, *b_store = b->index;
	size_t count = a->count, stored = from->ids_stored;
	size_t from_capacity = from->lay.capacity;
	if (!into->lay.keep_ids) { /* the hashes were compared unjoined */
		into->ids_stored = count + stored;
		return 0;
	}
	if (contacts_id_arena_take(&a_store->arena, &b_store->arena) < 0)
		return MQL_ERR_NOMEM;
	APPEND(a->id, count, b->id, stored, from_capacity);
	APPEND(into->id_hash, count, from->id_hash, stored, from_capacity);
	for (size_t row = 0; row < stored; row++)
		b->line[row] += line_offset;
	APPEND(a->line, count, b->line, stored, from_capacity);
	into->ids_stored = count + stored;
	return 0;
}

int contacts_merge(contacts_part *into, contacts_part *from, long line_offset)
{
	mql_contacts *a = into->table, *b = from->table;
	/* one row more: from's unfinished row keeps its id and line */
	int status = contacts_part_reserve(into, a->count + b->count + 1);
	if (status)
		return status;
	merge_values(a, b, from->lay.capacity);
	contacts_merge_dates(&into->lay, &from->lay, line_offset);
	status = into->lay.keep_channel
			 ? append_indexes(a->channel, a->count, &a->channels,
					  &b->channel, b->count,
					  from->lay.capacity, &b->channels)
			 : 0;
	if (!status && into->lay.keep_campaign)
		status = append_indexes(a->campaign, a->count, &a->campaigns,
					&b->campaign, b->count,
					from->lay.capacity, &b->campaigns);
	for (size_t p = 0; p < a->property_count && !status; p++)
		status = merge_property(into, from, p);
	if (!status)
		status = merge_ids(into, from, line_offset);
	if (status)
		return status;
	add_quality(&a->quality, &b->quality);
	contacts_store *a_store = a->index, *b_store = b->index;
	if (b_store->latest > a_store->latest)
		a_store->latest = b_store->latest;
	a->count += b->count;
	return 0;
}

int contacts_check_unique(const contacts_part *part, mql_error *err)
{
	const mql_contacts *c = part->table;
	size_t first = 0, second = 0;
	if (!part->lay.keep_ids)
		return 0;
	int found = contacts_id_find_duplicate(
		c->id, part->id_hash, part->ids_stored, &first, &second);
	if (found < 0)
		return MQL_ERR_NOMEM;
	if (!found)
		return 0;
	return mql_error_set(err, MQL_ERR_INPUT, c->path, c->line[second],
			     part->lay.id + 1,
			     "duplicate contact_id '%s' (first on line %ld; "
			     "expected unique ids)",
			     c->id[second], c->line[first]);
}
