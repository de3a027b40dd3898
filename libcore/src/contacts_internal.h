/*
 * contacts_internal.h - the pieces of the contacts loader shared by its
 * files: contacts_read.c reads rows into a part, contacts_merge.c joins
 * parts in file order and checks that ids are unique, contacts.c runs the
 * parts on threads.  Not installed; not for other modules.
 *
 * A part is one range of the file read by one thread into a table of its
 * own (own arrays, dictionaries and id arena).  Merging appends a part's
 * rows to the first part's table, re-interning its dictionaries' texts in
 * their order, so indexes and dictionary order are those of one reader.
 */
#ifndef MQLCAL_CONTACTS_INTERNAL_H
#define MQLCAL_CONTACTS_INTERNAL_H

#include <mqlcal/contacts.h>

#include "contacts_index.h"
#include "csv_ranges.h"

/* What mql_contacts.index points to. */
typedef struct contacts_store {
	id_arena arena;	     /* the texts of contacts.id */
	id_index index;	     /* built by the first mql_contacts_find */
	size_t row_capacity; /* rows mapped in every per-row array */
	mql_time latest;     /* the latest date of the rows read, kept as
				they are read: mql_contacts_latest_time */
} contacts_store;

/*
 * What the slash dates of one stage column showed, read without --locale
 * (contacts_dates.c): the first line of a date that reads only month
 * first ("5/13/2026"), only day first ("13/5/2026"), and either way round
 * ("3/5/2026", kept month first and marked until the column settles).
 * Lines are 0 when there was none.
 */
typedef struct date_column {
	long mdy_line, dmy_line, ambiguous_line;
	char ambiguous_text[40]; /* the text on ambiguous_line */
} date_column;

/* Where each recognised column is in the file (-1 = absent), which file
 * column each property reads, and which columns count into
 * quality.missing. */
typedef struct layout {
	long id, channel, campaign, revenue;
	long stage[MQL_STAGE_COUNT];
	size_t *property_column;
	int *all_numeric; /* per property: every value so far is a number */
	size_t *counted_column;
	size_t counted_count;
	size_t capacity; /* rows allocated in every per-row array */
	int keep_ids;	 /* ids and lines are stored (else only id_key) */
	int keep_revenue;
	int keep_channel, keep_campaign; /* the labels are read */
	long status; /* lead_status, -1 = absent (contacts_outcome.c) */
	const char *const *preset_rejected; /* the preset's rejected statuses */
	const mql_text_list *user_rejected; /* --rejected-status */
	date_column dates[MQL_STAGE_COUNT];
	size_t ambiguous_dates; /* marked dates in the part's rows */
} layout;

typedef struct contacts_part {
	mql_contacts *table; /* NULL until the part's reader is open */
	layout lay;
	/* Rows whose id and line are set: count, or count + 1 when reading
	 * stopped at an error after the row's id was read (so a duplicate
	 * id on that row is still found, and found first). */
	size_t ids_stored;
	uint32_t *id_hash; /* contacts_id_text_hash of each stored id, taken
			      while the part's thread has the id at hand */
	uint64_t *id_key;  /* without ids: mql_dict_hash of each stored id,
			      sorted by the part's thread once read */
	int keys_repeat;   /* without ids: contacts_id_keys_repeat of id_key */
	mql_csv *csv;
	/* channel and campaign labels: a file has few distinct ones */
	mql_dict_cache channels, campaigns;
	mql_dict_cache *property_levels; /* one per kept property */
	int64_t begin;			 /* offset of the part's first row */
	int64_t expected_bytes; /* bytes the part's arrays are sized for
				   (0 = unknown: they double) */
} contacts_part;

/*
 * The per-row arrays of a loaded table (and a part's id hashes) are
 * anonymous mappings (contacts_rows.c), freed with contacts_rows_free with the
 * bytes of their capacity.
 *
 * contacts_rows_resize maps *array (NULL: a new one) for new_bytes instead of
 * old_bytes, keeping its contents; returns 0, or -1 (*array unchanged).
 */
int contacts_rows_resize(void **array, size_t old_bytes, size_t new_bytes);

/* Unmaps an array of capacity bytes; array may be NULL. */
void contacts_rows_free(void *array, size_t bytes);

/*
 * Puts (*from)[0..n) (elements of elem bytes) after into's first count,
 * into's mapping holding count + n.  *from has from_capacity elements; its
 * pages may be moved into into, and then *from is NULL (unmapped); else
 * it keeps its mapping, its contents used up.
 */
void contacts_rows_append(void *into, size_t count, void **from, size_t n,
			  size_t from_capacity, size_t elem);

/*
 * Sets part up to read the rows of part->csv (opened with opt) with lo,
 * leaving out what
 * leave_out names (MQL_CONTACTS_WITHOUT_*): a new table, the column
 * layout.  Returns 0, MQL_ERR_INPUT (no contact_id column) or
 * MQL_ERR_NOMEM.
 */
int contacts_part_start(contacts_part *part, const char *path,
			const mql_csv_options *opt,
			const mql_contacts_load_options *lo, unsigned leave_out,
			mql_error *err);

/* Makes room for rows rows in every per-row array of part.  Returns 0 or
 * MQL_ERR_NOMEM. */
int contacts_part_reserve(contacts_part *part, size_t rows);

/* Reads part->csv's rows to its end.  Returns 0 or the first error. */
int contacts_part_read(contacts_part *part, mql_time future_after,
		       mql_error *err);

/* Frees what the part holds besides its reader. */
void contacts_part_release(contacts_part *part);

/*
 * Appends from's rows (and its stored unfinished row's id and line) to
 * into's, adding line_offset to from's lines.  from's table is emptied of
 * its id texts and may then be released.  Returns 0 or MQL_ERR_NOMEM.
 */
int contacts_merge(contacts_part *into, contacts_part *from, long line_offset);

/*
 * Checks the ids of part's stored rows: a repeated id is bad input named
 * at its second line, with the first.  Returns 0, MQL_ERR_INPUT or
 * MQL_ERR_NOMEM.  Without ids it returns 0: the parts' hashes are
 * compared before they are joined (CONTACTS_NEED_IDS when two are alike).
 */
int contacts_check_unique(const contacts_part *part, mql_error *err);

/* What contacts_check_unique returns for a table loaded without ids when
 * two ids hash alike: only a load with the ids can tell whether they are
 * the same, and on which lines. */
#define CONTACTS_NEED_IDS 1000

/*
 * The outcome of the rows (contacts_outcome.c).  contacts_outcome_plan
 * settles c->acceptance from the stage columns found, and where lay reads
 * the rejected statuses of opt; contacts_outcome_read then sets row's
 * derived sal_at and rejected_undated, once its dates are read.
 */
void contacts_outcome_plan(mql_contacts *c, layout *lay, const mql_csv *csv,
			   const mql_csv_options *opt);
void contacts_outcome_read(mql_contacts *c, const layout *lay,
			   const mql_csv *csv, size_t row);

/* The derived sal_at of row from its dates (contacts_outcome_read's first
 * step), again once a marked date of the row is settled. */
void contacts_outcome_derive(mql_contacts *c, size_t row);

/*
 * Reads the date of stage s in the current row into its row, noting in
 * lay what it shows of its column's day and month order; a date that
 * reads either way round is kept month first and marked.  Returns 0 or
 * MQL_ERR_INPUT.  *marked gets whether it was marked.
 */
int contacts_read_date(layout *lay, const mql_csv *csv, int s, mql_time *out,
		       int *marked, mql_error *err);

/* Adds what from's date columns showed to into's, from's lines moved by
 * line_offset. */
void contacts_merge_dates(layout *into, const layout *from, long line_offset);

/*
 * Once every row is merged: settles each stage column's day and month
 * order from what its dates showed, rereads its marked dates in that
 * order and checks their rows' funnel order (contacts_check_order).
 * Returns 0, or MQL_ERR_INPUT (path named) when a column reads both ways
 * or has a date that reads either way round and nothing to settle it.
 */
int contacts_settle_dates(contacts_part *part, const char *path,
			  mql_time future_after, mql_error *err);

/* Counts a row whose stages are dated out of funnel order, keeps the
 * latest date of the table, counts future dates and a missing created
 * date: each row once its dates are known. */
void contacts_check_order(mql_contacts *c, size_t row, mql_time future_after);

/* Settles each property's kind once every row has been merged. */
void contacts_settle_properties(contacts_part *part);

/*
 * Before the kinds are settled, without a locale: MQL_ERR_INPUT (err
 * naming the first such value's line and column and --locale) when a
 * numeric property's points could all be thousands separators ("8.476")
 * and no value settles it (contacts_numbers.c); else MQL_OK.
 */
int contacts_check_number_points(contacts_part *part, const char *path,
				 mql_error *err);

#endif
