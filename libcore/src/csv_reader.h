/*
 * csv_reader.h - what the loaders built on the CSV reader share with it
 * beyond csv.h (contacts, events, spend, touches; not installed).
 *
 * csv.h's reader gives rows to anyone.  A loader also needs: a field and
 * whether it is missing in one call (the hot path of every loader), the
 * reader's locale for the cells it parses itself, dates whose day and
 * month order the loader settles from the whole column, and the byte ranges
 * that let several threads read one file (csv_ranges.h plans them; each thread
 * opens its own reader, reads the header, and is then restricted to its range).
 * Everything else about the reader's insides stays in csv_internal.h, which
 * only the csv*.c files include.
 */
#ifndef MQLCAL_CSV_READER_H
#define MQLCAL_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/locale.h>

/* Field i of the current row as mql_csv_field gives it, or NULL when
 * mql_csv_field_missing says it is missing: one call for both. */
const char *mql_csv_present_field(const mql_csv *r, size_t i, size_t *len);

/* Narrows s[0..len) to its text without leading or trailing blanks
 * (spaces and tabs), as fields and names are read. */
void mql_csv_trim(const char **s, size_t *len);

/*
 * mql_csv_get_time, except that a date whose day and month could be
 * either way round (no --locale) is not an error: it returns
 * MQL_TIME_AMBIGUOUS with *out its month-first reading, for a caller that
 * settles the order from the whole column.  *settles gets the order the
 * cell itself shows (mql_time_parse_text).
 */
int mql_csv_get_time_unsettled(const mql_csv *r, size_t i, mql_time *out,
			       mql_date_order *settles, mql_error *err);

/* The --locale of the reader (MQL_LOCALE_DEFAULT without one), for
 * numbers read outside mql_csv_get_number. */
mql_locale mql_csv_locale(const mql_csv *r);

/* File offset of the next unread row and its physical line (after the
 * header: where the data rows begin). */
void mql_csv_position(const mql_csv *r, int64_t *offset, long *line);

/*
 * Restricts an open reader of a regular file to the bytes [begin, end),
 * begin being at or after its current position and at the start of a row
 * (right after a line end outside quotes), line the physical line there.
 * The reader then ends at end as at the end of the file.  Returns 0 or
 * MQL_ERR_IO.
 */
int mql_csv_set_range(mql_csv *r, int64_t begin, int64_t end, long line,
		      mql_error *err);

/* Whether the reading ended inside a quoted field (the error "unterminated
 * quoted field"): at a range's end, a cut inside quotes (csv_ranges.h). */
int mql_csv_ended_in_quotes(const mql_csv *r);

#endif
