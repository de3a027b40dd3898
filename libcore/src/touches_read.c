/*
 * touches_read.c - fills a touch table from an events file read on
 * several threads.  Kept apart from touches.c so that
 * the table itself links without the events reader.
 */
#include <mqlcal/attribution.h>

#include <string.h>

#include "touches_internal.h"

/* The tables of the ranges of one read. */
typedef struct touch_scan {
	const mql_contacts *contacts;
	mql_touches *tables[MQL_EVENTS_MAX_THREADS];
} touch_scan;

static int start_range(void *context, int range, mql_error *err)
{
	touch_scan *sc = context;
	if (mql_touches_new(&sc->tables[range], sc->contacts))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory collecting touches");
	return MQL_OK;
}

static int add_event(void *context, int range, const mql_event *ev,
		     mql_error *err)
{
	touch_scan *sc = context;
	if (mql_touches_add_scanned(sc->tables[range], ev))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory collecting touches");
	return MQL_OK;
}

int mql_touches_scan(mql_touches *t, const char *path,
		     const mql_csv_options *opt, int threads,
		     mql_events_stats *stats, mql_error *err)
{
	touch_scan sc;
	memset(&sc, 0, sizeof sc);
	sc.contacts = mql_touches_contacts(t);
	mql_events *scanned = NULL;
	mql_events_scan_options so;
	mql_events_scan_options_init(&so);
	so.threads = threads;
	mql_events_scan_ops ops = {start_range, add_event, &sc};
	int status = mql_events_scan(&scanned, path, sc.contacts, opt, &so,
				     &ops, err);
	for (int k = 0;
	     k < MQL_EVENTS_MAX_THREADS && sc.tables[k] && status == MQL_OK;
	     k++)
		if ((status = mql_touches_join_scanned(
			     t, sc.tables[k], mql_events_campaigns(scanned))) !=
		    MQL_OK)
			mql_error_set(err, status, NULL, 0, 0,
				      "out of memory collecting touches");
	if (stats) {
		memset(stats, 0, sizeof *stats);
		stats->first = stats->last = MQL_TIME_NONE;
		if (scanned)
			mql_events_stats_add(stats,
					     mql_events_get_stats(scanned));
	}
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		mql_touches_free(sc.tables[k]);
	mql_events_close(scanned);
	return status;
}
