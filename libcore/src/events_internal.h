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

/* Whether r's reading ended inside a quoted field (mql_csv_ended_in_quotes).
 */
int mql_events_ended_in_quotes(const mql_events *r);

/* Restricts a reader of a regular file to [begin, end), as
 * mql_csv_set_range. */
int mql_events_set_range(mql_events *r, int64_t begin, int64_t end, long line,
			 mql_error *err);

/* Makes stats->per_type long enough for index type, the new counts 0.
 * Returns 0 or MQL_ERR_NOMEM. */
int mql_events_stats_reserve(mql_events_stats *stats, int32_t type);

/*
 * Adds part's statistics to r, and part's types and campaigns to r's
 * dictionaries by name in part's order: for the readers of a file's
 * ranges, taken in file order, r ends as one reader of the whole file
 * would.  type_map and campaign_map (as long as part's dictionaries)
 * receive r's index of each of part's.  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_events_absorb(mql_events *r, const mql_events *part, int32_t *type_map,
		      int32_t *campaign_map);

#endif
