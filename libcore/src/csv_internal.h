/*
 * csv_internal.h - pieces of the CSV reader shared between its files
 * (csv.c reads rows, csv_header.c renames and checks the header, csv_cell.c
 * parses cells).  Not installed; not for other modules.
 */
#ifndef MQLCAL_CSV_INTERNAL_H
#define MQLCAL_CSV_INTERNAL_H

#include <stddef.h>

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

#endif
