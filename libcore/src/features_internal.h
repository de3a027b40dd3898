/*
 * features_internal.h - the decayed counts of the events (features_events.c),
 * for features.c.  Not installed; not for other modules.
 */
#ifndef MQLCAL_FEATURES_INTERNAL_H
#define MQLCAL_FEATURES_INTERNAL_H

#include <mqlcal/features.h>

/*
 * Reads events_path (NULL: no events) once and fills f's decayed counts
 * (decayed, variant, own_decay, own_decay_days, engagement_count) and its
 * event counters.  f->rules, f->rows and f->variant_count are set.
 * discovering: one engagement rule is added to f->rules per event type
 * met, in order of first use.  Returns 0 or an error status (err set).
 */
int features_accumulate_events(mql_features *f, const mql_contacts *contacts,
			       const mql_population *population,
			       const char *events_path,
			       const mql_csv_options *csv, int discovering,
			       int threads, mql_error *err);

#endif
