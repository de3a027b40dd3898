/*
 * table_internal.h - numbers as text for the table writer (table.c).
 * Not installed; not for other modules.
 */
#ifndef MQLCAL_TABLE_INTERNAL_H
#define MQLCAL_TABLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

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

#endif
