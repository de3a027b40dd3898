/*
 * contacts.c - loads contacts.csv into a column-wise table indexed by id.
 *
 * Rows are appended to growing per-column arrays.  The id index numbers
 * ids in file order, each only once, so its numbers are the rows and c->id
 * is the index's own id array (contacts_index.h).
 * Whether a property is numeric is known only at the end of the file, so
 * each property keeps both its parsed numbers and its levels while loading.
 */
#include <mqlcal/contacts.h>

#include "contacts_index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const stage_columns[MQL_STAGE_COUNT] = {
	"created_at",	  "mql_at",	 "sal_at",     "sql_at",
	"opportunity_at", "customer_at", "rejected_at"};

const char *mql_stage_column(int stage)
{
	if (stage < 0 || stage >= MQL_STAGE_COUNT)
		return NULL;
	return stage_columns[stage];
}

/* Where each recognised column is in the file (-1 = absent), which file
 * column each property reads, and which columns count into
 * quality.missing. */
typedef struct layout {
	long id, channel, campaign, revenue;
	long stage[MQL_STAGE_COUNT];
	size_t *property_column;
	int *all_numeric;
	size_t *counted_column;
	size_t counted_count;
	size_t capacity; /* rows allocated in every per-row array */
} layout;

/*
 * Grows array to capacity elements (realloc through a temporary, so the old
 * block survives a failure).  Evaluates to 0, or -1 when out of memory.  A
 * macro so that each array keeps its own type.
 */
#define GROW(array, capacity)                                                  \
	__extension__({                                                        \
		void *bigger_ =                                                \
			realloc((array), (capacity) * sizeof *(array));        \
		if (bigger_)                                                   \
			(array) = bigger_;                                     \
		bigger_ ? 0 : -1;                                              \
	})

static int grow_rows(mql_contacts *c, layout *lay)
{
	size_t cap = lay->capacity ? lay->capacity * 2 : 1024;
	if (GROW(c->line, cap) || GROW(c->revenue, cap) ||
	    GROW(c->channel, cap) || GROW(c->campaign, cap))
		return MQL_ERR_NOMEM;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		if (GROW(c->stage_at[s], cap))
			return MQL_ERR_NOMEM;
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		if (GROW(prop->level, cap) ||
		    (lay->all_numeric[p] && GROW(prop->number, cap)))
			return MQL_ERR_NOMEM;
	}
	lay->capacity = cap;
	return 0;
}

static char *copy_string(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len + 1);
	if (copy)
		memcpy(copy, s, len + 1);
	return copy;
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

/* Finds the recognised columns and makes a property of every other one
 * that lo asks for. */
static int plan_columns(mql_contacts *c, layout *lay, const mql_csv *csv,
			const mql_contacts_load_options *lo, mql_error *err)
{
	lay->id = mql_csv_find_column(csv, "contact_id");
	if (lay->id < 0)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1,
				     0,
				     "missing column 'contact_id' (expected "
				     "a contact_id column, or --map/--preset "
				     "to name one)");
	lay->channel = mql_csv_find_column(csv, "channel");
	lay->campaign = mql_csv_find_column(csv, "campaign");
	lay->revenue = mql_csv_find_column(csv, "revenue");
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		lay->stage[s] = mql_csv_find_column(csv, stage_columns[s]);
		c->has_stage[s] = lay->stage[s] >= 0;
	}
	size_t columns = mql_csv_column_count(csv);
	c->properties = calloc(columns, sizeof *c->properties);
	lay->property_column = calloc(columns, sizeof *lay->property_column);
	lay->all_numeric = calloc(columns, sizeof *lay->all_numeric);
	lay->counted_column = calloc(columns, sizeof *lay->counted_column);
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
		if (!(c->quality.column_names[i] = copy_string(name)))
			return MQL_ERR_NOMEM;
		int recognised = is_recognised(lay, (long)i);
		int kept = !recognised && wants_property(lo, name);
		if (recognised || kept ||
		    lo->properties == MQL_CONTACTS_PROPERTIES_ALL)
			lay->counted_column[lay->counted_count++] = i;
		if (!kept)
			continue;
		mql_property *prop = &c->properties[c->property_count];
		mql_dict_init(&prop->levels);
		if (!(prop->name = copy_string(name)))
			return MQL_ERR_NOMEM;
		lay->property_column[c->property_count] = i;
		lay->all_numeric[c->property_count] = 1;
		c->property_count++;
	}
	return 0;
}

/* Checks the current row's id and starts fetching its index slot, which
 * is most likely not in cache: the rest of the row is read meanwhile. */
static int begin_id(const mql_csv *csv, const mql_contacts *c,
		    const layout *lay, uint32_t *hash, mql_error *err)
{
	size_t len;
	const char *id = mql_csv_field(csv, (size_t)lay->id, &len);
	if (mql_csv_field_missing(csv, (size_t)lay->id))
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), lay->id + 1,
				     "missing contact_id (expected an id on "
				     "every row)");
	*hash = id_index_hash(id, len);
	id_index_prefetch(c->index, *hash);
	return 0;
}

/* Indexes the current row's id; a duplicate is bad input. */
static int index_id(mql_contacts *c, const mql_csv *csv, const layout *lay,
		    uint32_t hash, mql_error *err)
{
	size_t len;
	const char *id = mql_csv_field(csv, (size_t)lay->id, &len);
	long row;
	int known = id_index_add(c->index, id, len, hash, &row);
	if (known < 0)
		return MQL_ERR_NOMEM;
	if (known)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv),
				     mql_csv_line(csv), lay->id + 1,
				     "duplicate contact_id '%s' (first on "
				     "line %ld; expected unique ids)",
				     id, c->line[row]);
	return 0;
}

static int read_properties(mql_contacts *c, const mql_csv *csv,
			   const layout *lay, size_t row)
{
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		size_t column = lay->property_column[p], len;
		if (mql_csv_field_missing(csv, column)) {
			prop->level[row] = -1;
			if (lay->all_numeric[p])
				prop->number[row] = NAN;
			prop->missing++;
			continue;
		}
		const char *text = mql_csv_field(csv, column, &len);
		prop->level[row] = mql_dict_intern(&prop->levels, text, len);
		if (prop->level[row] < 0)
			return MQL_ERR_NOMEM;
		if (lay->all_numeric[p] &&
		    mql_cell_number(text, len, &prop->number[row]) != 0) {
			lay->all_numeric[p] = 0;
			free(prop->number);
			prop->number = NULL;
		}
	}
	return 0;
}

/* Counts a row whose stages are dated out of funnel order. */
static void check_order(mql_contacts *c, size_t row, mql_time future_after)
{
	mql_time latest = MQL_TIME_NONE;
	int out_of_order = 0;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		mql_time at = c->stage_at[s][row];
		if (at == MQL_TIME_NONE)
			continue;
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

/*
 * Reads the current row.  The labels, properties and missing counts cannot
 * be bad input, so they are read while the id's slot is fetched; the id is
 * indexed before the dates, so a duplicate id is still the error reported
 * first on its line.
 */
static int read_row(mql_contacts *c, const mql_csv *csv, layout *lay,
		    mql_time future_after, mql_error *err)
{
	size_t row = c->count;
	int status;
	uint32_t id_hash = 0;
	if (row == lay->capacity && (status = grow_rows(c, lay)))
		return status;
	if ((status = begin_id(csv, c, lay, &id_hash, err)))
		return status;
	if ((status = mql_csv_intern_field(csv, lay->channel, &c->channels,
					   &c->channel[row])) ||
	    (status = mql_csv_intern_field(csv, lay->campaign, &c->campaigns,
					   &c->campaign[row])) ||
	    (status = read_properties(c, csv, lay, row)))
		return status;
	for (size_t k = 0; k < lay->counted_count; k++) {
		size_t column = lay->counted_column[k];
		c->quality.missing[column] +=
			(size_t)mql_csv_field_missing(csv, column);
	}
	if ((status = index_id(c, csv, lay, id_hash, err)))
		return status;
	c->line[row] = mql_csv_line(csv);
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		c->stage_at[s][row] = MQL_TIME_NONE;
		if (lay->stage[s] >= 0 &&
		    (status = mql_csv_get_time(csv, (size_t)lay->stage[s],
					       &c->stage_at[s][row], err)))
			return status;
	}
	c->revenue[row] = NAN;
	if (lay->revenue >= 0 &&
	    (status = mql_csv_get_number(csv, (size_t)lay->revenue,
					 &c->revenue[row], err)))
		return status;
	check_order(c, row, future_after);
	c->count++;
	return 0;
}

/* Settles each property's kind now that every value has been seen. */
static void settle_properties(mql_contacts *c, const layout *lay)
{
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		int numeric = lay->all_numeric[p] && prop->missing < c->count;
		prop->kind = numeric ? MQL_PROPERTY_NUMERIC
				     : MQL_PROPERTY_CATEGORICAL;
		if (!numeric) {
			free(prop->number);
			prop->number = NULL;
		}
	}
}

static int load_rows(mql_contacts *c, mql_csv *csv, mql_time future_after,
		     const mql_contacts_load_options *lo, mql_error *err)
{
	layout lay;
	memset(&lay, 0, sizeof lay);
	int status = plan_columns(c, &lay, csv, lo, err);
	while (status == 0 && (status = mql_csv_next(csv, err)) == 1)
		status = read_row(c, csv, &lay, future_after, err);
	if (status == 0) {
		settle_properties(c, &lay);
		c->id = ((id_index *)c->index)->ids;
	}
	free(lay.property_column);
	free(lay.all_numeric);
	free(lay.counted_column);
	return status;
}

/*
 * Makes view a categorical property over a recognised label column (channel
 * or campaign): it borrows the index array and a shallow copy of the
 * dictionary, which no longer changes once loading is done.
 */
static int fill_view(mql_property *view, const char *name, int32_t *index,
		     const mql_dict *dict, size_t count)
{
	if (!(view->name = copy_string(name)))
		return MQL_ERR_NOMEM;
	view->kind = MQL_PROPERTY_CATEGORICAL;
	view->number = NULL;
	view->level = index;
	view->levels = *dict;
	view->missing = 0;
	for (size_t row = 0; row < count; row++)
		view->missing += index[row] < 0;
	return MQL_OK;
}

void mql_contacts_load_options_init(mql_contacts_load_options *lo)
{
	memset(lo, 0, sizeof *lo);
	lo->properties = MQL_CONTACTS_PROPERTIES_ALL;
}

int mql_contacts_load(mql_contacts **out, const char *path,
		      const mql_csv_options *opt, mql_time future_after,
		      mql_error *err)
{
	return mql_contacts_load_ex(out, path, opt, future_after, NULL, err);
}

int mql_contacts_load_ex(mql_contacts **out, const char *path,
			 const mql_csv_options *opt, mql_time future_after,
			 const mql_contacts_load_options *lo, mql_error *err)
{
	mql_contacts_load_options everything;
	if (!lo) {
		mql_contacts_load_options_init(&everything);
		lo = &everything;
	}
	*out = NULL;
	mql_contacts *c = calloc(1, sizeof *c);
	id_index *ids = calloc(1, sizeof *ids);
	mql_csv *csv = NULL;
	int status = MQL_ERR_NOMEM;
	if (!c || !ids)
		goto fail;
	c->index = ids;
	ids = NULL;
	mql_dict_init(&c->channels);
	mql_dict_init(&c->campaigns);
	if (!(c->path = copy_string(path)))
		goto fail;
	if (future_after == MQL_TIME_NONE)
		future_after = (mql_time)time(NULL);
	if ((status = mql_csv_open(&csv, path, opt, err)))
		goto fail;
	if ((status = load_rows(c, csv, future_after, lo, err)))
		goto fail;
	mql_csv_close(csv);
	if ((status = fill_view(&c->channel_view, "channel", c->channel,
				&c->channels, c->count)) ||
	    (status = fill_view(&c->campaign_view, "campaign", c->campaign,
				&c->campaigns, c->count)))
		goto fail;
	*out = c;
	return 0;
fail:
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	mql_csv_close(csv);
	free(ids);
	mql_contacts_free(c);
	return status;
}

long mql_contacts_find(const mql_contacts *c, const char *id, size_t len)
{
	return id_index_find(c->index, id, len);
}

const mql_property *mql_contacts_property(const mql_contacts *c,
					  const char *name)
{
	for (size_t p = 0; p < c->property_count; p++)
		if (strcasecmp(c->properties[p].name, name) == 0)
			return &c->properties[p];
	if (c->channel_view.name && strcasecmp(name, "channel") == 0)
		return &c->channel_view;
	if (c->campaign_view.name && strcasecmp(name, "campaign") == 0)
		return &c->campaign_view;
	return NULL;
}

enum mql_outcome mql_contacts_outcome(const mql_contacts *c, size_t row)
{
	if (c->stage_at[MQL_STAGE_MQL][row] == MQL_TIME_NONE)
		return MQL_OUTCOME_NOT_MQL;
	if (c->stage_at[MQL_STAGE_SAL][row] != MQL_TIME_NONE)
		return MQL_OUTCOME_ACCEPTED;
	if (c->stage_at[MQL_STAGE_REJECTED][row] != MQL_TIME_NONE)
		return MQL_OUTCOME_REJECTED;
	return MQL_OUTCOME_OPEN;
}

mql_time mql_contacts_latest_time(const mql_contacts *c)
{
	mql_time latest = MQL_TIME_NONE;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		for (size_t row = 0; row < c->count; row++)
			if (c->stage_at[s][row] != MQL_TIME_NONE &&
			    (latest == MQL_TIME_NONE ||
			     c->stage_at[s][row] > latest))
				latest = c->stage_at[s][row];
	return latest;
}

void mql_contacts_free(mql_contacts *c)
{
	if (!c)
		return;
	id_index_release(c->index);
	free(c->index);
	free(c->line);
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		free(c->stage_at[s]);
	free(c->revenue);
	free(c->channel);
	free(c->campaign);
	mql_dict_release(&c->channels);
	mql_dict_release(&c->campaigns);
	for (size_t p = 0; p < c->property_count; p++) {
		free(c->properties[p].name);
		free(c->properties[p].number);
		free(c->properties[p].level);
		mql_dict_release(&c->properties[p].levels);
	}
	free(c->properties);
	free(c->channel_view.name); /* the views own only their names */
	free(c->campaign_view.name);
	for (size_t i = 0; i < c->quality.column_count; i++)
		free(c->quality.column_names[i]);
	free(c->quality.column_names);
	free(c->quality.missing);
	free(c->path);
	free(c);
}
