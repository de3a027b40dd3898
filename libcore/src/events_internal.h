/*
 * events_internal.h - range reading of the events file, for the parallel
 * summary (events_summary.c).  Not installed; not for other modules.
 */
#ifndef MQLCAL_EVENTS_INTERNAL_H
#define MQLCAL_EVENTS_INTERNAL_H

#include <stdint.h>

#include <mqlcal/events.h>

/* File offset and physical line of the next unread row. */
void mql_events_position(const mql_events *r, int64_t *offset, long *line);

/* Restricts a reader of a regular file to [begin, end), as
 * mql_csv_set_range. */
int mql_events_set_range(mql_events *r, int64_t begin, int64_t end, long line,
			 mql_error *err);

#endif
