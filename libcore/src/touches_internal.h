/*
 * touches_internal.h - touch tables filled from a scan of the events file
 * on several threads (touches_read.c).  Not installed; for the touches
 * family only.
 */
#ifndef MQLCAL_TOUCHES_INTERNAL_H
#define MQLCAL_TOUCHES_INTERNAL_H

#include <mqlcal/attribution.h>

/*
 * Records one event of a scan (mql_events_scan) into a table of one range,
 * its campaign the scan's id, kept as it is, with the order the ids are
 * first met.  Such a table is only for mql_touches_join_scanned.  Returns 0
 * or MQL_ERR_NOMEM.
 */
int mql_touches_add_scanned(mql_touches *t, const mql_event *ev);

/*
 * Adds to into the touches of later (filled by mql_touches_add_scanned),
 * naming its ids by names (the scan's campaigns) the first time into meets
 * them: into, fresh or filled only this way, ends as reading the ranges in
 * order with mql_touches_add would leave it.  Returns 0, MQL_ERR_USAGE
 * (other contacts) or MQL_ERR_NOMEM.
 */
int mql_touches_join_scanned(mql_touches *into, const mql_touches *later,
			     const mql_dict *names);

#endif
