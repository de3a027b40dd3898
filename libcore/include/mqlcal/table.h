/*
 * table.h - one writer for every tabular output: table, csv, json, md, html.
 *
 * A table has named columns (snake_case: they are the contract notebooks
 * read) of a kind each, and rows of cells.  csv and json rows stream to the
 * output as they are added; the aligned terminal table, md and html buffer
 * rows to size columns (use csv/json for millions of rows).  Missing numbers
 * (NAN) print as empty cells in csv/table/md and null in json.  csv is RFC
 * 4180 (fields quoted when they hold a delimiter, quote or newline); json is
 * an array of objects, one per row.
 */
#ifndef MQLCAL_TABLE_H
#define MQLCAL_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include <mqlcal/error.h>

typedef enum mql_format {
	MQL_FORMAT_TABLE,
	MQL_FORMAT_CSV,
	MQL_FORMAT_JSON,
	MQL_FORMAT_MD,
	MQL_FORMAT_HTML
} mql_format;

/* Parses "table", "csv", "json", "md", "html".  Returns 0 or -1. */
int mql_format_parse(const char *name, mql_format *out);
const char *mql_format_name(mql_format f);

typedef enum mql_column_kind {
	MQL_COLUMN_TEXT,
	MQL_COLUMN_INT,
	MQL_COLUMN_REAL,    /* printed with the column's decimals */
	MQL_COLUMN_P_VALUE, /* a real printed as R prints p-values: "< 2e-16"
			       below the double's epsilon, else 2
			       significant digits (0.0061, 4.5e-09); full
			       in csv/json */
	MQL_COLUMN_Q_VALUE  /* a real printed as the report pages print p-
			       and q-values, never in scientific notation
			       (figures.h: "0.013", "< 0.001"); full in
			       csv/json */
} mql_column_kind;

typedef struct mql_table mql_table;

/* A table writing to fp in format f.  NULL when out of memory. */
mql_table *mql_table_new(FILE *fp, mql_format f);

/* Adds a column (before the first row).  decimals: for REAL columns in
 * table/md/html; csv and json print full precision (%.17g trimmed). */
int mql_table_add_column(mql_table *t, const char *name, mql_column_kind kind,
			 int decimals);

/* One column of a writer's table, declared once in a const array indexed
 * by the writer's column enum. */
typedef struct mql_column_spec {
	const char *name;
	mql_column_kind kind;
	int decimals;
} mql_column_spec;

/* Adds columns[0..count) in order (mql_table_add_column each). */
int mql_table_add_columns(mql_table *t, const mql_column_spec *columns,
			  size_t count);

/* A table writing to fp in format f with columns[0..count): mql_table_new
 * and mql_table_add_columns.  NULL when out of memory. */
mql_table *mql_table_new_with_columns(FILE *fp, mql_format f,
				      const mql_column_spec *columns,
				      size_t count);

/*
 * The title (and subtitle, or NULL) of the page the html format writes;
 * "Table" when never set.  The texts are copied.  Other formats ignore it.
 * Returns 0 or MQL_ERR_NOMEM.
 */
int mql_table_set_title(mql_table *t, const char *title, const char *subtitle);

/*
 * The terminal table (MQL_FORMAT_TABLE) fits its text width: columns of
 * text too wide are cut with "…" (at the start when they hold a path), then
 * columns are left out by priority, highest number first (the rightmost
 * of equals first), and a note after the table names them; when even the
 * columns of priority 0 do not fit, each row is written as a block of
 * "name: value" lines instead.  A column starts at
 * MQL_TABLE_PRIORITY_DEFAULT, the first at 0 (always shown).  Other formats
 * ignore priorities and width: csv, json, md and html are always whole.
 */
#define MQL_TABLE_PRIORITY_DEFAULT 5

/* Sets how soon column is left out (0 = never).  Returns 0, or
 * MQL_ERR_USAGE for no such column or a negative priority. */
int mql_table_set_priority(mql_table *t, size_t column, int priority);

/* A column's priority by its name, in a list ended by {NULL, 0}. */
typedef struct mql_table_priority {
	const char *column;
	int priority;
} mql_table_priority;

/* Sets the priority of each column list names (after the columns are
 * added).  Returns 0, or MQL_ERR_USAGE when a name is no column of t. */
int mql_table_set_priorities(mql_table *t, const mql_table_priority *list);

/* Characters the terminal table of t fits in; 0 = no limit. */
void mql_table_set_width(mql_table *t, size_t width);

/* The width every table made from now on starts with (0 = no limit, the
 * default): a tool sets it once, from the terminal, before any table. */
void mql_table_set_default_width(size_t width);

/* Cells of the current row, by column index; the row starts empty. */
int mql_table_set_text(mql_table *t, size_t column, const char *text);
int mql_table_set_int(mql_table *t, size_t column, int64_t value);
int mql_table_set_real(mql_table *t, size_t column, double value);

/* Ends the current row (streamed now for csv/json). */
int mql_table_end_row(mql_table *t);

/* Writes what is buffered and the closing text.  Returns 0 or MQL_ERR_IO. */
int mql_table_finish(mql_table *t, mql_error *err);

/* Frees the table.  t may be NULL. */
void mql_table_free(mql_table *t);

/*
 * The level column of a report's csv and json tables.  A report whose last
 * row totals the rows above it opens its csv and json with a column
 * "level": "group" on each group's row, "total" on the total's (whose
 * group columns say "all"), so a notebook that sums the group rows never
 * counts the total twice.  The readable formats (table, md, html) leave the
 * column out.
 */
#define MQL_TABLE_LEVEL_COLUMN "level"
#define MQL_TABLE_LEVEL_GROUP  "group"
#define MQL_TABLE_LEVEL_TOTAL  "total"

/* 1 when f is read by programs (csv, json), 0 for the readable formats. */
int mql_format_is_data(mql_format f);

#endif
