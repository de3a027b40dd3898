/*
 * contacts_read.c - reads the rows of one reader into a part's table
 * (see contacts_internal.h).
 *
 * Rows are appended to growing per-column arrays (realloc: nothing is
 * zeroed that is then overwritten).  Ids are copied into the part's arena
 * and not looked up: uniqueness is checked once all rows are in.  Whether
 * a property is numeric is known only at the end of the file, so each
 * property keeps both its parsed numbers and its levels while loading.
 */
#include "contacts_internal.h"
#include "csv_reader.h"
#include "huge_pages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ROWS ((size_t)INT32_MAX)

/*
 * Grows array from old to capacity elements (contacts_rows_resize: the old
 * mapping survives a failure).  Evaluates to 0, or -1 when out of memory.  A
 * macro so that each array keeps its own type.
 */
#define GROW(array, old, capacity)                                             \
	__extension__({                                                        \
		void *mapped_ = (array);                                       \
		int failed_ = contacts_rows_resize(                            \
			&mapped_, (old) * sizeof *(array),                     \
			(capacity) * sizeof *(array));                         \
		(array) = mapped_;                                             \
		failed_;                                                       \
	})

int contacts_part_reserve(contacts_part *part, size_t rows)
{
	mql_contacts *c = part->table;
	layout *lay = &part->lay;
	size_t old = lay->capacity;
	int failed = 0;
	if (rows <= old)
		return 0;
	/* The arrays share one capacity, with which they are unmapped: when
	 * one cannot grow, those grown before it keep their new tails mapped
	 * (the load fails; a page-table entry each until exit). */
	if (lay->keep_ids)
		failed = GROW(part->id_hash, old, rows) ||
			 GROW(c->id, old, rows) || GROW(c->line, old, rows);
	else
		failed = GROW(part->id_key, old, rows);
	failed = failed || (lay->keep_revenue && GROW(c->revenue, old, rows)) ||
		 (lay->keep_channel && GROW(c->channel, old, rows)) ||
		 (lay->keep_campaign && GROW(c->campaign, old, rows));
	for (int s = 0; s < MQL_STAGE_COUNT && !failed; s++)
		failed = GROW(c->stage_at[s], old, rows);
	failed = failed || GROW(c->rejected_undated, old, rows);
	for (size_t p = 0; p < c->property_count && !failed; p++) {
		mql_property *prop = &c->properties[p];
		failed = GROW(prop->level, old, rows) ||
			 (lay->all_numeric[p] && GROW(prop->number, old, rows));
	}
	if (failed)
		return MQL_ERR_NOMEM;
	lay->capacity = rows;
	((contacts_store *)c->index)->row_capacity = rows;
	return 0;
}

/*
 * Rows to make room for when the arrays are full: after the first rows,
 * the part's expected bytes at the rate of bytes per row so far (and a
 * little more), so that the arrays are copied about once; at least
 * double.
 */
static size_t next_capacity(const contacts_part *part)
{
	size_t capacity = part->lay.capacity;
	size_t doubled = capacity ? capacity * 2 : 1024;
	int64_t offset;
	long line;
	if (!capacity || part->expected_bytes <= 0)
		return doubled;
	mql_csv_position(part->csv, &offset, &line);
	double per_row = (double)(offset - part->begin) / (double)capacity;
	if (!(per_row > 0))
		return doubled;
	double expected = (double)part->expected_bytes / per_row * 1.05 + 1024;
	return expected > (double)doubled && expected < (double)SIZE_MAX / 2
		       ? (size_t)expected
		       : doubled;
}

/* A new empty table (no rows) for path, or NULL when out of memory. */
static mql_contacts *empty_table(const char *path)
{
	mql_contacts *c = calloc(1, sizeof *c);
	contacts_store *store = calloc(1, sizeof *store);
	if (!c || !store || contacts_id_index_init(&store->index) != 0) {
		free(store);
		free(c);
		return NULL;
	}
	c->index = store;
	store->latest = MQL_TIME_NONE;
	mql_dict_init(&c->channels);
	mql_dict_init(&c->campaigns);
	if (!(c->path = strdup(path))) {
		mql_contacts_free(c);
		return NULL;
	}
	return c;
}

static int is_recognised(const layout *lay, long column)
{
	if (column == lay->id || column == lay->channel ||
	    column == lay->campaign || column == lay->revenue)
		return 1;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		if (column == lay->stage[s])
			return 1;
	return 0;
}

/* Whether lo asks for the property column name. */
static int wants_property(const mql_contacts_load_options *lo, const char *name)
{
	if (lo->properties == MQL_CONTACTS_PROPERTIES_ALL)
		return 1;
	if (lo->properties == MQL_CONTACTS_PROPERTIES_NONE)
		return 0;
	for (size_t k = 0; k < lo->keep_count; k++)
		if (lo->keep[k] && strcasecmp(lo->keep[k], name) == 0)
			return 1;
	return 0;
}

/* Finds the recognised columns. */
static int find_recognised(mql_contacts *c, layout *lay, const mql_csv *csv,
			   mql_error *err)
{
	lay->id = mql_csv_find_column(csv, "contact_id");
	if (lay->id < 0)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1,
				     0,
				     "missing column 'contact_id' (expected "
				     "a contact_id column, or --map/--preset "
				     "to name one%s)",
				     mql_csv_delimiter_advice(csv));
	lay->channel = mql_csv_find_column(csv, "channel");
	lay->campaign = mql_csv_find_column(csv, "campaign");
	lay->revenue = mql_csv_find_column(csv, "revenue");
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		lay->stage[s] = mql_csv_find_column(csv, mql_stage_column(s));
		c->has_stage[s] = lay->stage[s] >= 0;
	}
	return 0;
}

/* Whether column of lay is a label column that is not read (counted cell
 * by cell then, like a column that is not kept). */
static int unread_label(const layout *lay, long column)
{
	return (column == lay->channel && !lay->keep_channel) ||
	       (column == lay->campaign && !lay->keep_campaign);
}

/* Finds the recognised columns and makes a property of every other one
 * that lo asks for. */
static int plan_columns(mql_contacts *c, layout *lay, const mql_csv *csv,
			const mql_contacts_load_options *lo, mql_error *err)
{
	int status = find_recognised(c, lay, csv, err);
	if (status)
		return status;
	size_t columns = mql_csv_column_count(csv);
	c->properties = calloc(columns, sizeof *c->properties);
	lay->property_column = malloc(columns * sizeof *lay->property_column);
	lay->all_numeric = malloc(columns * sizeof *lay->all_numeric);
	lay->counted_column = malloc(columns * sizeof *lay->counted_column);
	c->quality.missing = calloc(columns, sizeof *c->quality.missing);
	c->quality.column_names = calloc(columns, sizeof(char *));
	if (!c->properties || !lay->property_column || !lay->all_numeric ||
	    !lay->counted_column || !c->quality.missing ||
	    !c->quality.column_names)
		return MQL_ERR_NOMEM;
	c->quality.column_count = columns;
	c->quality.trailing_column_ignored = mql_csv_has_trailing_column(csv);
	for (size_t i = 0; i < columns; i++) {
		const char *name = mql_csv_column_name(csv, i);
		if (!(c->quality.column_names[i] = strdup(name)))
			return MQL_ERR_NOMEM;
		int recognised = is_recognised(lay, (long)i);
		int kept = !recognised && wants_property(lo, name);
		/* the missing cells of the id, labels, dates and kept
		 * properties are counted from their values (count_missing,
		 * contacts_settle_properties); the others cell by cell */
		int from_values =
			kept || (recognised && (long)i != lay->revenue &&
				 !unread_label(lay, (long)i));
		if (!from_values &&
		    (recognised ||
		     lo->properties == MQL_CONTACTS_PROPERTIES_ALL))
			lay->counted_column[lay->counted_count++] = i;
		if (!kept)
			continue;
		mql_property *prop = &c->properties[c->property_count];
		mql_dict_init(&prop->levels);
		if (!(prop->name = strdup(name)))
			return MQL_ERR_NOMEM;
		lay->property_column[c->property_count] = i;
		lay->all_numeric[c->property_count] = 1;
		c->property_count++;
	}
	return 0;
}

int contacts_part_start(contacts_part *part, const char *path,
			const mql_csv_options *opt,
			const mql_contacts_load_options *lo, unsigned leave_out,
			mql_error *err)
{
	memset(&part->lay, 0, sizeof part->lay);
	part->lay.keep_ids = !(leave_out & MQL_CONTACTS_WITHOUT_IDS);
	part->lay.keep_revenue = !(leave_out & MQL_CONTACTS_WITHOUT_REVENUE);
	int all_labels = !(leave_out & MQL_CONTACTS_WITHOUT_UNLISTED_LABELS) ||
			 lo->properties != MQL_CONTACTS_PROPERTIES_LISTED;
	part->lay.keep_channel = all_labels || wants_property(lo, "channel");
	part->lay.keep_campaign = all_labels || wants_property(lo, "campaign");
	part->ids_stored = 0;
	mql_dict_cache_init(&part->channels);
	mql_dict_cache_init(&part->campaigns);
	part->property_levels = NULL;
	if (!(part->table = empty_table(path)))
		return MQL_ERR_NOMEM;
	int status = plan_columns(part->table, &part->lay, part->csv, lo, err);
	if (status == MQL_OK)
		contacts_outcome_plan(part->table, &part->lay, part->csv, opt);
	size_t count = part->table->property_count;
	if (status == MQL_OK &&
	    !(part->property_levels = malloc((count ? count : 1) *
					     sizeof *part->property_levels)))
		status = MQL_ERR_NOMEM;
	for (size_t p = 0; status == MQL_OK && p < count; p++)
		mql_dict_cache_init(&part->property_levels[p]);
	return status;
}

void contacts_part_release(contacts_part *part)
{
	mql_contacts_free(part->table);
	part->table = NULL;
	contacts_rows_free(part->id_hash,
			   part->lay.capacity * sizeof *part->id_hash);
	part->id_hash = NULL;
	contacts_rows_free(part->id_key,
			   part->lay.capacity * sizeof *part->id_key);
	part->id_key = NULL;
	free(part->lay.property_column);
	free(part->lay.all_numeric);
	free(part->lay.counted_column);
	memset(&part->lay, 0, sizeof part->lay);
	free(part->property_levels);
	part->property_levels = NULL;
}

/*
 * Interns field column of the current row into dict through cache: *out
 * gets its index, or -1 when column < 0 or the cell is missing (as
 * mql_csv_intern_field).  Returns 0 or MQL_ERR_NOMEM.
 */
static int intern_label(const mql_csv *csv, long column, mql_dict *dict,
			mql_dict_cache *cache, int32_t *out)
{
	size_t len;
	const char *text;
	*out = -1;
	if (column < 0 ||
	    !(text = mql_csv_present_field(csv, (size_t)column, &len)))
		return 0;
	if ((*out = mql_dict_intern_cached(dict, cache, text, len)) < 0)
		return MQL_ERR_NOMEM;
	return 0;
}

/* Stores the current row's id and line; a missing id is bad input. */
static int read_id(contacts_part *part, const mql_csv *csv, size_t row,
		   mql_error *err)
{
	mql_contacts *c = part->table;
	size_t len;
	const char *id = mql_csv_present_field(csv, (size_t)part->lay.id, &len);
	if (!id)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), part->lay.id + 1,
				     "missing contact_id (expected an id on "
				     "every row)");
	if (!part->lay.keep_ids) {
		part->id_key[row] = mql_dict_hash(id, len);
		part->ids_stored = row + 1;
		return 0;
	}
	contacts_store *store = c->index;
	if (!(c->id[row] = contacts_id_arena_copy(&store->arena, id, len)))
		return MQL_ERR_NOMEM;
	part->id_hash[row] = contacts_id_text_hash(id, len);
	c->line[row] = mql_csv_line(csv);
	part->ids_stored = row + 1;
	return 0;
}

static int read_properties(contacts_part *part, const mql_csv *csv, size_t row)
{
	mql_contacts *c = part->table;
	const layout *lay = &part->lay;
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		size_t column = lay->property_column[p], len;
		const char *text = mql_csv_present_field(csv, column, &len);
		if (!text) {
			prop->level[row] = -1;
			if (lay->all_numeric[p])
				prop->number[row] = NAN;
			prop->missing++;
			continue;
		}
		prop->level[row] = mql_dict_intern_cached(
			&prop->levels, &part->property_levels[p], text, len);
		if (prop->level[row] < 0)
			return MQL_ERR_NOMEM;
		if (lay->all_numeric[p] &&
		    mql_locale_parse_number(text, len, mql_csv_locale(csv),
					    &prop->number[row]) != 0) {
			lay->all_numeric[p] = 0;
			contacts_rows_free(prop->number,
					   lay->capacity *
						   sizeof *prop->number);
			prop->number = NULL;
		}
	}
	return 0;
}

void contacts_check_order(mql_contacts *c, size_t row, mql_time future_after)
{
	contacts_store *store = c->index;
	mql_time latest = MQL_TIME_NONE;
	int out_of_order = 0;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		mql_time at = c->stage_at[s][row];
		if (at == MQL_TIME_NONE)
			continue;
		if (at > store->latest)
			store->latest = at;
		if (at > future_after)
			c->quality.future_dates++;
		if (s == MQL_STAGE_REJECTED) {
			mql_time mql_at = c->stage_at[MQL_STAGE_MQL][row];
			out_of_order |= mql_at != MQL_TIME_NONE && at < mql_at;
			continue;
		}
		out_of_order |= latest != MQL_TIME_NONE && at < latest;
		if (latest == MQL_TIME_NONE || at > latest)
			latest = at;
	}
	c->quality.stages_out_of_order += (size_t)out_of_order;
	if (c->stage_at[MQL_STAGE_CREATED][row] == MQL_TIME_NONE)
		c->quality.missing_created_at++;
}

/* Reads the dates and the revenue of the current row; *marked gets
 * whether a date of the row is marked (contacts_read_date). */
static int read_values(mql_contacts *c, const mql_csv *csv, layout *lay,
		       size_t row, int *marked, mql_error *err)
{
	int status;
	*marked = 0;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		int date_marked = 0;
		c->stage_at[s][row] = MQL_TIME_NONE;
		if (lay->stage[s] >= 0 &&
		    (status = contacts_read_date(lay, csv, s,
						 &c->stage_at[s][row],
						 &date_marked, err)))
			return status;
		*marked |= date_marked;
	}
	if (!lay->keep_revenue)
		return 0;
	c->revenue[row] = NAN;
	if (lay->revenue >= 0 &&
	    (status = mql_csv_get_number(csv, (size_t)lay->revenue,
					 &c->revenue[row], err)))
		return status;
	return 0;
}

/* Counts the row's missing labels and dates from their values (a missing
 * cell, and only a missing one, reads as -1 or MQL_TIME_NONE). */
static void count_missing(mql_contacts *c, const layout *lay, size_t row)
{
	size_t *missing = c->quality.missing;
	if (lay->channel >= 0 && lay->keep_channel)
		missing[lay->channel] += (size_t)(c->channel[row] < 0);
	if (lay->campaign >= 0 && lay->keep_campaign)
		missing[lay->campaign] += (size_t)(c->campaign[row] < 0);
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		if (lay->stage[s] >= 0)
			missing[lay->stage[s]] +=
				(size_t)(c->stage_at[s][row] == MQL_TIME_NONE);
}

/*
 * Reads the current row.  The id comes first: a missing id is the error
 * of its line, and a duplicate (found later) goes before any bad date or
 * number on the same line.
 */
static int read_row(contacts_part *part, const mql_csv *csv,
		    mql_time future_after, mql_error *err)
{
	mql_contacts *c = part->table;
	layout *lay = &part->lay;
	size_t row = c->count;
	int status;
	if (row >= MAX_ROWS)
		return MQL_ERR_NOMEM;
	/* an estimate too large for memory falls back to doubling */
	if (row == lay->capacity &&
	    contacts_part_reserve(part, next_capacity(part)) &&
	    (status = contacts_part_reserve(part, row ? 2 * row : 1024)))
		return status;
	if ((status = read_id(part, csv, row, err)) ||
	    (lay->keep_channel &&
	     (status = intern_label(csv, lay->channel, &c->channels,
				    &part->channels, &c->channel[row]))) ||
	    (lay->keep_campaign &&
	     (status = intern_label(csv, lay->campaign, &c->campaigns,
				    &part->campaigns, &c->campaign[row]))) ||
	    (status = read_properties(part, csv, row)))
		return status;
	for (size_t k = 0; k < lay->counted_count; k++) {
		size_t column = lay->counted_column[k];
		c->quality.missing[column] +=
			(size_t)mql_csv_field_missing(csv, column);
	}
	int marked;
	if ((status = read_values(c, csv, lay, row, &marked, err)))
		return status;
	contacts_outcome_read(c, lay, csv, row);
	count_missing(c, lay, row);
	/* a marked date is known once its column settles */
	if (!marked)
		contacts_check_order(c, row, future_after);
	c->count++;
	return 0;
}

int contacts_part_read(contacts_part *part, mql_time future_after,
		       mql_error *err)
{
	int status;
	while ((status = mql_csv_next(part->csv, err)) == 1)
		if ((status = read_row(part, part->csv, future_after, err)))
			break;
	/* each part sorts its own id hashes, on its own thread */
	if (!part->lay.keep_ids)
		part->keys_repeat =
			contacts_id_keys_repeat(part->id_key, part->ids_stored);
	return status;
}

void contacts_settle_properties(contacts_part *part)
{
	mql_contacts *c = part->table;
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		int numeric =
			part->lay.all_numeric[p] && prop->missing < c->count;
		c->quality.missing[part->lay.property_column[p]] =
			prop->missing;
		prop->kind = numeric ? MQL_PROPERTY_NUMERIC
				     : MQL_PROPERTY_CATEGORICAL;
		if (!numeric) {
			contacts_rows_free(prop->number,
					   part->lay.capacity *
						   sizeof *prop->number);
			prop->number = NULL;
		}
	}
}
