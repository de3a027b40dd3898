/*
 * touches_read.c - fills a touch table from an events reader.  Kept apart
 * from touches.c so that the table itself links without the events reader.
 */
#include <mqlcal/attribution.h>

int mql_touches_read_progress(mql_touches *t, mql_events *reader,
			      mql_progress_fn progress, void *context,
			      mql_error *err)
{
	mql_event ev;
	int status;
	size_t events = 0;
	while ((status = mql_events_next(reader, &ev, err)) == 1) {
		if (mql_touches_add(t, mql_events_campaigns(reader), &ev) !=
		    MQL_OK)
			return mql_error_set(
				err, MQL_ERR_NOMEM, NULL, 0, 0,
				"out of memory collecting touches");
		if (progress && ++events % MQL_TOUCHES_PROGRESS_EVERY == 0)
			progress(events, context);
	}
	return status;
}

int mql_touches_read(mql_touches *t, mql_events *reader, mql_error *err)
{
	return mql_touches_read_progress(t, reader, NULL, NULL, err);
}
