/*
 * csv_internal.h - pieces of the CSV reader shared between its files
 * (csv.c reads rows, csv_split.c splits plain lines, csv_header.c renames
 * and checks the header, csv_cell.c parses cells, csv_ranges.c cuts files
 * for threads).  Not installed.  The loaders built on the reader
 * (contacts, events, ...) include csv_reader.h, never this file.
 */
#ifndef MQLCAL_CSV_INTERNAL_H
#define MQLCAL_CSV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/locale.h>

#include "csv_reader.h"

/*
 * Renames the header names in place: first by opt->preset, then by the map
 * file opt->map_path; then checks that every column has a name and no two
 * share one (the caller leaves out an exporter's trailing empty column).
 * names[i] are heap strings that this may replace (freeing the old).  path
 * names the file in messages. Returns 0, MQL_ERR_INPUT or MQL_ERR_NOMEM.
 */
int mql_csv_rename_header(char **names, size_t count,
			  const mql_csv_options *opt, const char *path,
			  mql_error *err);

/* Narrows s[0..len) to its text without leading or trailing blanks
 * (spaces and tabs), as fields and names are read. */
void mql_csv_trim(const char **s, size_t *len);

/* Case-insensitive comparison of a and b[0..len) (ASCII letters only). */
int mql_csv_name_equal(const char *a, const char *b, size_t len);

/* The --date-format of the reader, or NULL for ISO 8601 only. */
const char *mql_csv_date_format(const mql_csv *r);

/*
 * mql_csv_get_time, except that a date whose day and month could be
 * either way round (no --locale) is not an error: it returns
 * MQL_TIME_AMBIGUOUS with *out its month-first reading, for a caller that
 * settles the order from the whole column.  *settles gets the order the
 * cell itself shows (mql_time_parse_text).
 */
int mql_csv_get_time_unsettled(const mql_csv *r, size_t i, mql_time *out,
			       mql_date_order *settles, mql_error *err);

/* The error of field i of the current row as a date: "cannot parse ...
 * as a date (expected ...)", naming --locale when ambiguous.  Returns
 * MQL_ERR_INPUT. */
int mql_csv_date_error(const mql_csv *r, size_t i, int ambiguous,
		       mql_error *err);

/* The reader's day cache for its dates (see timeparse.h). */
mql_time_day_cache *mql_csv_day_cache(const mql_csv *r);

/*
 * The fast line splitter (csv_split.c).  A scan reads the bytes of one line
 * at s (avail bytes may be read, and 31 more past them must be readable:
 * the reader pads its buffer) and changes nothing; a line it takes is then
 * split in place by mql_csv_split_take.
 */
enum mql_csv_split_result {
	MQL_CSV_SPLIT_TAKEN = 1,    /* the line is one row: fields in line */
	MQL_CSV_SPLIT_OTHER = 0,    /* libcsv must read this line */
	MQL_CSV_SPLIT_PARTIAL = -1, /* no line end within avail bytes */
	MQL_CSV_SPLIT_FULL = -2,    /* more fields than line->cap */
};

typedef struct mql_csv_split {
	size_t *starts; /* cap entries from the caller: field offsets in s */
	size_t *lens;	/* cap entries: field lengths (trimmed) */
	size_t cap;
	size_t count;  /* fields found */
	size_t length; /* bytes of the line, its line end included */
	int non_ascii; /* a byte >= 0x80: check UTF-8 before taking it */
} mql_csv_split;

/* The ways a scan can classify bytes: eight at a time in plain C, 16
 * with SSE2, 32 with AVX2 (on processors that have it). */
enum mql_csv_split_kind {
	MQL_CSV_SPLIT_PORTABLE,
	MQL_CSV_SPLIT_SSE2,
	MQL_CSV_SPLIT_AVX2,
};

/* Whether this build and processor can scan with kind. */
int mql_csv_split_has(enum mql_csv_split_kind kind);

/* Scans the line at s[0..avail) as described above with the widest kind
 * at hand; returns an mql_csv_split_result.  Every kind gives the same
 * results (they are tested against each other). */
int mql_csv_split_scan(mql_csv_split *line, const unsigned char *s,
		       size_t avail, unsigned char delimiter);

/* The same scan with the given kind (MQL_CSV_SPLIT_OTHER when
 * mql_csv_split_has says no). */
int mql_csv_split_scan_kind(mql_csv_split *line, const unsigned char *s,
			    size_t avail, unsigned char delimiter,
			    enum mql_csv_split_kind kind);

/* Splits a scanned line in place: a NUL after each field, doubled quotes
 * made single; line->lens gets the final lengths.  Cannot fail. */
void mql_csv_split_take(mql_csv_split *line, unsigned char *s);

/* True when the splitter can work with this delimiter (not a quote, line
 * end or non-ASCII byte). */
int mql_csv_split_usable(unsigned char delimiter);

/* Turns the reader's fast splitter off (1) or back on (0), so that tests
 * can compare it with libcsv's reading of the same text. */
void mql_csv_set_libcsv_only(mql_csv *r, int libcsv_only);

#endif
