/*
 * table_internal.h - numbers as text for the table writer (table.c), and
 * its terminal table (table_text.c).  Not installed; not for other modules.
 */
#ifndef MQLCAL_TABLE_INTERNAL_H
#define MQLCAL_TABLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Buffers of this size hold any text the functions below write. */
#define MQL_TABLE_NUMBER_MAX 512

/* value as "%" PRId64 writes it; returns the length. */
size_t mql_table_format_int(int64_t value, char *buf);

/*
 * The shortest "%.Ng" (N = 15..17) that reads back as value, "inf" or
 * "-inf" for infinities.  buf holds MQL_TABLE_NUMBER_MAX bytes.
 */
void mql_table_format_full(double value, char *buf);

/* value as "%.*f" with decimals writes it.  buf holds
 * MQL_TABLE_NUMBER_MAX bytes. */
void mql_table_format_fixed(double value, int decimals, char *buf);

/* A table's rendered texts, for the terminal table. */
typedef struct mql_table_text {
	FILE *fp;
	size_t column_count, row_count;
	const char *const *names; /* column_count */
	const int *numeric;	  /* right-aligned and never cut */
	const int *priority;	  /* mql_table_set_priority */
	const char *const *cells; /* row_count x column_count, row by row */
	size_t width;		  /* characters to fit; 0 = no limit */
} mql_table_text;

/*
 * Writes t as an aligned table fitted to t->width (columns cut, then
 * dropped by priority, with a note naming those dropped), or as one
 * "name: value" record per row when the columns of priority 0 do not fit.
 * Returns 0 or MQL_ERR_NOMEM; write errors stay in t->fp's error flag.
 */
int mql_table_write_text(const mql_table_text *t);

#endif
