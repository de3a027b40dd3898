/*
 * events_internal.h - range reading of the events file, for the scan of a
 * whole file on several threads (events_summary.c).  Not installed; not for
 * other modules.
 */
#ifndef MQLCAL_EVENTS_INTERNAL_H
#define MQLCAL_EVENTS_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include <mqlcal/events.h>

/*
 * The names of one scan, shared by its range readers: a type or campaign
 * gets its id here the first time any range meets it, under lock.
 */
typedef struct mql_events_names {
	pthread_mutex_t lock;
	mql_dict types;
	mql_dict campaigns;
} mql_events_names;

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
 * Makes r (before its first row) hand out names' ids instead of its own
 * dictionaries' indices, and count its per_type statistics by them.  Its
 * own dictionaries still list the names in its order of first appearance.
 * names must outlive r's reading.
 */
void mql_events_share_names(mql_events *r, mql_events_names *names);

/* names' id of r's own type index local (itself when r shares none); -1
 * when r never handed it out. */
int32_t mql_events_global_type(const mql_events *r, int32_t local);

/*
 * A reader without a file (mql_events_next gives 0 at once) holding the
 * names' dictionaries, which it takes (names is left empty), and no
 * statistics yet.  Returns 0 or MQL_ERR_NOMEM (*out then to be closed).
 */
int mql_events_new_scanned(mql_events **out, mql_events_names *names);

/* Adds part's statistics to r's, per_type index by index.  Returns 0 or
 * MQL_ERR_NOMEM. */
int mql_events_add_stats(mql_events *r, const mql_events *part);

#endif
