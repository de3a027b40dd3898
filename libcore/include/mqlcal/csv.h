/*
 * csv.h - streaming CSV rows on libcsv, with header lookup and renames.
 *
 * A reader hands rows to the caller one at a time; it never holds more than
 * the current row.  It accepts RFC 4180 with a UTF-8 BOM, CRLF or LF line
 * ends, quoted fields containing delimiters, quotes and newlines, and a
 * trailing empty column (exports that end every line with a delimiter: the
 * header's last name is empty and that column is ignored).  It rejects, with
 * file, line and column: an empty file (no header), a row with too few or
 * too many fields, an unterminated quote (the line where the field
 * started), invalid UTF-8, a NUL byte, a byte-order mark anywhere but at
 * the start of the file, and input past the limits below.  Fields past the
 * header's count are not kept (the error comes within a read block of the
 * first one), so no row takes more memory than the limits allow.
 *
 * Columns are found by name case-insensitively after trimming.  Header names
 * are renamed first by the preset (--preset, mql_csv_presets), then by the
 * map file (--map FILE.json, an object from file name to mqlcal name).
 *
 * Positions: lines are 1-based physical lines of the file; the column of a
 * cell error is the 1-based field number; the column of an encoding error is
 * the 1-based byte offset in its line.
 *
 * Cost: a row that is one line (nearly all) is split in one pass over its
 * bytes, sixteen at a time, and its fields are not copied: they point into
 * the reader's read block, NUL-ended in place.  Rows with line breaks
 * inside quotes, and lines with faults, are read by libcsv (whose results
 * are the same) and copied.  Dates of the shapes "2026-03-05" and
 * "2026-03-05T14:07:00Z" reuse the month of the row before.
 */
#ifndef MQLCAL_CSV_H
#define MQLCAL_CSV_H

#include <stddef.h>

#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

/* Limits: input past them is bad input (exit 65), found as the bytes
 * arrive, so that no row can take more memory than they allow. */
#define MQL_CSV_MAX_FIELD   (1u << 20)	/* 1 MiB per field */
#define MQL_CSV_MAX_ROW	    (16u << 20) /* 16 MiB per row */
#define MQL_CSV_MAX_COLUMNS 65536u	/* columns of a header */
#define MQL_CSV_MAX_TEXTS   16		/* values of a repeatable option */

/* The values of a repeatable option (--rejected-status A --rejected-status
 * B), in the order given; they point into argv. */
typedef struct mql_text_list {
	const char *text[MQL_CSV_MAX_TEXTS];
	size_t count;
} mql_text_list;

/* How to read CSV files; shared by every loader (see mql_cli's options). */
typedef struct mql_csv_options {
	char delimiter; /* field separator, ',' by default */
	const char *na; /* extra missing-value marker ("Select"), or NULL */
	const char *
		date_format; /* mql_time_parse_format format, NULL = ISO 8601 */
	const char *map_path; /* JSON rename map, or NULL */
	const char *preset;   /* an mql_csv_presets entry, or NULL */
	const char *locale;   /* a mql_locale_names entry, or NULL (locale.h) */
	/* lead_status values that mean sales rejected the MQL, besides the
	 * preset's (mql_csv_preset_rejected) */
	mql_text_list rejected_status;
} mql_csv_options;

/* Fills o with the defaults: ',' and nothing else. */
void mql_csv_options_init(mql_csv_options *o);

/* The presets (--preset), NULL-ended: "hubspot", "salesforce", "pardot",
 * "marketo". */
extern const char *const mql_csv_presets[];

/* One column a preset renames, for its documentation. */
typedef struct mql_csv_preset_line {
	const char *shape;   /* the kind of file: "HubSpot contact export" */
	const char *from;    /* the export's column (label or internal name) */
	const char *to;	     /* mqlcal's name for it */
	const char *meaning; /* what mqlcal makes of it */
	int events;	     /* the file is an activity export (events) */
} mql_csv_preset_line;

/*
 * Line i (from 0) of what preset renames, in the order the renames are
 * tried: the activity exports every preset knows (events files, told
 * apart by a column only they have), then the preset's own contact
 * export.  Fills *out and returns 0; -1 past the last line or for an
 * unknown preset.
 */
int mql_csv_preset_entry(const char *preset, size_t i,
			 mql_csv_preset_line *out);

/*
 * The lead_status values that mean sales rejected an MQL in the export of
 * preset (HubSpot: "Unqualified", "Bad Timing" and their internal names;
 * Salesforce: "Closed - Not Converted"), NULL-ended; an empty list for
 * NULL or an unknown preset.  Compared case-insensitively after trimming.
 */
const char *const *mql_csv_preset_rejected(const char *preset);

typedef struct mql_csv mql_csv;

/*
 * Opens path ("-" = stdin), reads and renames the header.  Returns 0, or
 * MQL_ERR_NOFILE (cannot open), MQL_ERR_INPUT (empty file, bad header, bad
 * map or preset), MQL_ERR_NOMEM.  *out belongs to the caller: mql_csv_close.
 */
int mql_csv_open(mql_csv **out, const char *path, const mql_csv_options *opt,
		 mql_error *err);

/* Reads the next row: 1 = a row, 0 = end of file, < 0 = error (err set). */
int mql_csv_next(mql_csv *r, mql_error *err);

/* Number of columns (the trailing empty column of exports not counted). */
size_t mql_csv_column_count(const mql_csv *r);

/* True when the header ends with an unnamed column that is ignored. */
int mql_csv_has_trailing_column(const mql_csv *r);

/* Column name i after renaming, trimmed; NULL when out of range. */
const char *mql_csv_column_name(const mql_csv *r, size_t i);

/* Index of the column named name (case-insensitive, trimmed), or -1. */
long mql_csv_find_column(const mql_csv *r, const char *name);

/*
 * Field i of the current row, trimmed of surrounding blanks, NUL-terminated
 * and valid until the next mql_csv_next.  *len (if not NULL) gets its length.
 */
const char *mql_csv_field(const mql_csv *r, size_t i, size_t *len);

/* True when field i is empty or equals the NA marker. */
int mql_csv_field_missing(const mql_csv *r, size_t i);

/* Line on which the current row starts, and the file name for messages. */
long mql_csv_line(const mql_csv *r);
const char *mql_csv_path(const mql_csv *r);

/*
 * Typed cells of the current row.  A missing cell gives MQL_TIME_NONE / NAN /
 * -1 and returns 0.  A cell that does not parse returns MQL_ERR_INPUT with
 * err naming file, line, column (field number), the text and what was
 * expected: "cannot parse 'abc' as a date (expected ISO 8601 ...)".
 * Dates are read by mql_time_parse_text in the order of the reader's
 * locale; without one, a date whose day and month could be either way
 * round ("3/5/2026") is an error that names --locale.  Numbers are read by
 * mql_locale_parse_number in the reader's locale.
 */
int mql_csv_get_time(const mql_csv *r, size_t i, mql_time *out, mql_error *err);
int mql_csv_get_number(const mql_csv *r, size_t i, double *out, mql_error *err);
int mql_csv_get_bool(const mql_csv *r, size_t i, int *out, mql_error *err);

/*
 * Interns field column of the current row into dict (labels such as
 * channel and campaign): *out gets its index, or -1 when column < 0 (the
 * file has no such column) or the cell is missing.  Returns 0 or
 * MQL_ERR_NOMEM.
 */
int mql_csv_intern_field(const mql_csv *r, long column, mql_dict *dict,
			 int32_t *out);

/* Closes the file and frees the reader.  r may be NULL. */
void mql_csv_close(mql_csv *r);

/*
 * Cell parsers without a reader, for values from anywhere.  Each returns 0
 * on success, -1 when s[0..len) is not of that type.
 *   number: mql_locale_parse_number without a locale (locale.h):
 *           "12.5", "1,234.50", "$12,500.00", employee ranges "25-50"
 *           (lower bound 25) and "1,000+" (1000); cells of a reader are
 *           read in its locale;
 *   bool:   0/1, yes/no, true/false, y/n (case-insensitive).
 */
int mql_cell_number(const char *s, size_t len, double *out);
int mql_cell_bool(const char *s, size_t len, int *out);

#endif
