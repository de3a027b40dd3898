/*
 * csv_internal.h - pieces of the CSV reader shared between its files
 * (csv.c reads rows, csv_header.c renames and checks the header, csv_cell.c
 * parses cells).  Not installed; not for other modules.
 */
#ifndef MQLCAL_CSV_INTERNAL_H
#define MQLCAL_CSV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>

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

/* Case-insensitive comparison of a and b[0..len) (ASCII letters only). */
int mql_csv_name_equal(const char *a, const char *b, size_t len);

/* The --date-format of the reader, or NULL for ISO 8601 only. */
const char *mql_csv_date_format(const mql_csv *r);

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

#endif
