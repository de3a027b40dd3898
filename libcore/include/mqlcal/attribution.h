/*
 * attribution.h - who gets the credit for a lead reaching a stage.
 *
 * Two layers.  The rule layer (mql_attribution_credit) turns one lead's
 * touches into credits per campaign and knows nothing of files.  The touch
 * table (mql_touches) collects, for every contact, the distinct campaigns
 * that touched it (with the time of the first touch) and the last campaign
 * touched before each tracked stage, from the events streamed past it one
 * at a time; memory grows with contacts x campaigns touched, never with
 * events.
 *
 * The models (METHODS.md):
 *  - first:    the first touch: the originating campaign (contacts.csv
 *              `campaign`), else the earliest campaign event;
 *  - last:     the last campaign touched at or before the stage time, else
 *              the originating campaign;
 *  - linear:   equal shares of the distinct campaigns touched at or before
 *              the stage (the originating campaign counts as touched);
 *  - u-shaped: 40% to the first touch, 40% to the last, 20% shared equally
 *              by the other distinct campaigns; with only two campaigns
 *              50% each; with one, all of it.  When the first and the last
 *              touch are the same campaign it gets 80% and the others
 *              share 20% (or it gets all of it when there are no others).
 * The credits of one lead always sum to 1; a lead with no campaign at all
 * gives its whole credit to campaign -1 ("none").
 *
 * Invariants: campaign indices are into mql_touches_campaigns(), which
 * starts as a copy of the contacts' campaign dictionary (same indices) and
 * grows with campaigns only seen in events.
 */
#ifndef MQLCAL_ATTRIBUTION_H
#define MQLCAL_ATTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/contacts.h>
#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/events.h>

typedef enum mql_attribution_model {
	MQL_ATTRIBUTION_FIRST,
	MQL_ATTRIBUTION_LAST,
	MQL_ATTRIBUTION_LINEAR,
	MQL_ATTRIBUTION_U_SHAPED
} mql_attribution_model;

/* The models (--attribution), NULL-ended: mql_attribution_names[i] names
 * the mql_attribution_model i, "first", "last", "linear", "u-shaped". */
extern const char *const mql_attribution_names[];

/* Parses an mql_attribution_names entry, in any case.  Returns 0 or -1. */
int mql_attribution_parse(const char *name, mql_attribution_model *out);

/* "first", "last", "linear", "u-shaped"; NULL out of range. */
const char *mql_attribution_name(mql_attribution_model model);

/*
 * Credits of one lead under model.  first and last are the campaigns of
 * the first and last touch (-1 none); touched lists the distinct campaigns
 * touched (first and last among them when they are not -1; order does not
 * matter).  Writes at most touched_count + 1 entries into campaigns and
 * credits and returns their number (>= 1); the credits sum to 1.  Cannot
 * fail.
 */
size_t mql_attribution_credit(mql_attribution_model model, int32_t first,
			      int32_t last, const int32_t *touched,
			      size_t touched_count, int32_t *campaigns,
			      double *credits);

/* The stages a touch table follows (the lead itself, MQL, SQL, customer). */
#define MQL_TOUCH_STAGES 4
extern const int mql_touch_stage[MQL_TOUCH_STAGES];

typedef struct mql_touches mql_touches;

/*
 * An empty touch table over contacts, which must outlive it.  Returns 0 or
 * MQL_ERR_NOMEM.  Free with mql_touches_free.
 */
int mql_touches_new(mql_touches **out, const mql_contacts *contacts);

/*
 * Records one event; ev->campaign indexes event_campaigns (the reader's
 * mql_events_campaigns, which may grow between calls).  Events without a
 * campaign are ignored.  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_touches_add(mql_touches *t, const mql_dict *event_campaigns,
		    const mql_event *ev);

/*
 * Adds to into the touches of later, a table of the same contacts filled
 * from a later part of the same events file: the result is the table that
 * reading both parts in order into into would give.  Returns 0,
 * MQL_ERR_USAGE (other contacts) or MQL_ERR_NOMEM.
 */
int mql_touches_join(mql_touches *into, const mql_touches *later);

/*
 * Reads the events file at path into t on up to threads threads (0 = one
 * per CPU), as mql_events_scan cuts it: each range fills a table of
 * its own, joined in file order, so t ends as one mql_touches_add per
 * event in file order would leave it.  stats (may be NULL) gets the readers'
 * statistics summed, without per_type.  Returns 0, the first error of the file
 * in file order, or MQL_ERR_NOMEM.
 */
int mql_touches_scan(mql_touches *t, const char *path,
		     const mql_csv_options *opt, int threads,
		     mql_events_stats *stats, mql_error *err);

/*
 * Credits of contact row for reaching stage (one of mql_touch_stage) at
 * its stage time (or, for a stage it has not reached, at any time).
 * campaigns and credits need room for mql_touches_max_credits(t, row)
 * entries; *count gets the number written (>= 1).  Returns 0 or
 * MQL_ERR_NOMEM.
 */
int mql_touches_credit(mql_touches *t, size_t row, int stage,
		       mql_attribution_model model, int32_t *campaigns,
		       double *credits, size_t *count);

/* Upper bound on the entries mql_touches_credit writes for row. */
size_t mql_touches_max_credits(const mql_touches *t, size_t row);

/* The contacts table the touch table is over. */
const mql_contacts *mql_touches_contacts(const mql_touches *t);

/* The campaign dictionary of the table (contacts' campaigns first). */
const mql_dict *mql_touches_campaigns(const mql_touches *t);

/* Frees the table.  t may be NULL. */
void mql_touches_free(mql_touches *t);

#endif
