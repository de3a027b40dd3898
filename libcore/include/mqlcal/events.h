/*
 * events.h - the events file, streamed and joined to the contacts table.
 *
 * events.csv has contact_id, occurred_at, event (the type) and optionally
 * campaign, alternate_contact_id and responded.  A row whose contact_id is
 * empty is joined by its alternate_contact_id when the file has one (a
 * Salesforce campaign member that is a contact, not a lead); only a row
 * with neither is bad input, named by its contact_id cell.  When the file
 * has a responded column, a row whose responded is 0, no, false, n or
 * empty is no event: it is skipped and counted (not_responded), whatever
 * its other cells hold; any other text than a yes/no value is bad input.
 * A reader yields one event at a time in file order; nothing holds the
 * whole file.  Event types and campaigns are interned into the reader's
 * own dictionaries; callers may intern the types their rules name before
 * reading (mql_events_intern_type) to map types to rules by index.  Events of
 * unknown contacts are skipped and counted, not fatal.
 */
#ifndef MQLCAL_EVENTS_H
#define MQLCAL_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

typedef struct mql_event {
	uint32_t contact; /* row in the contacts table */
	int32_t type;	  /* index into mql_events_types() */
	int32_t campaign; /* index into mql_events_campaigns(), -1 none */
	mql_time at;	  /* occurred_at */
} mql_event;

typedef struct mql_events_stats {
	size_t rows;		/* data rows read */
	size_t unknown_contact; /* rows whose contact_id is not in contacts */
	size_t salesforce_form; /* rows joined by the other form of their
				   Salesforce id (15 or 18 characters) */
	size_t future;		/* rows dated after the reference time */
	size_t before_created;	/* rows dated before their contact's created_at
				 */
	size_t not_responded;	/* rows skipped as not responded (counted in
				   rows, in no other count) */
	size_t *per_type;	/* per type index, count of joined events */
	size_t per_type_count;	/* >= the number of types; extra entries 0 */
	mql_time first, last;	/* range of occurred_at (NONE if no rows) */
} mql_events_stats;

typedef struct mql_events mql_events;

/*
 * Opens path ("-" = stdin) and checks its header.  contacts must outlive the
 * reader.  future_after as in mql_contacts_load.  Returns 0, MQL_ERR_NOFILE,
 * MQL_ERR_INPUT (missing column, empty file), MQL_ERR_NOMEM.
 */
int mql_events_open(mql_events **out, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    mql_time future_after, mql_error *err);

/* Next joined event: 1 = *ev filled, 0 = end, < 0 = error (err set). */
int mql_events_next(mql_events *r, mql_event *ev, mql_error *err);

/* Index of type name, added if new; -1 when out of memory. */
int32_t mql_events_intern_type(mql_events *r, const char *name);

/*
 * Stops reading the campaign column: every later event has campaign -1.
 * Readers that never look at campaigns (the fit's features) call it before
 * the first row, to spare interning tens of millions of cells.
 */
void mql_events_ignore_campaigns(mql_events *r);

const mql_dict *mql_events_types(const mql_events *r);
const mql_dict *mql_events_campaigns(const mql_events *r);
const mql_events_stats *mql_events_get_stats(const mql_events *r);

/* The end of a history: the later of the contacts' latest date
 * (mql_contacts_latest_time) and the last event of stats (NULL: no events
 * file).  MQL_TIME_NONE when neither holds a date. */
mql_time mql_events_history_end(const mql_contacts *contacts,
				const mql_events_stats *stats);

/*
 * Adds the counts of part (statistics of another range of the same file)
 * to sum and widens sum's first and last to part's.  per_type is left to
 * the caller.
 */
void mql_events_stats_add(mql_events_stats *sum, const mql_events_stats *part);

/* Closes the file and frees the reader.  r may be NULL. */
void mql_events_close(mql_events *r);

/* The statistics of a whole events file, with the names of its types. */
typedef struct mql_events_summary {
	mql_events_stats stats; /* per_type[i] counts types' name i */
	mql_dict types;		/* in order of first appearance in the file */
} mql_events_summary;

#define MQL_EVENTS_MAX_THREADS 8

/*
 * Reads the whole events file for its statistics, with up to threads
 * threads (0 = one per online CPU, capped at MQL_EVENTS_MAX_THREADS, and one
 * for files under 4 MiB).  A regular file is cut into byte ranges at row
 * starts (a line end outside quotes) and each range is read by its own
 * reader; stdin and pipes are read by one.  The result, and the error of a
 * bad file (the first in file order, with its file:line:column), are the
 * ones mql_events_next gives reading the file from start to end.  contacts
 * is only read.  On error *out is left empty.  Returns 0, or as
 * mql_events_open and mql_events_next; MQL_ERR_IO when a read fails.
 * Release *out with mql_events_summary_release.
 */
int mql_events_summarize(mql_events_summary *out, const char *path,
			 const mql_contacts *contacts,
			 const mql_csv_options *opt, mql_time future_after,
			 int threads, mql_error *err);

/*
 * What mql_events_scan calls, on the thread of the range being read; range
 * is the range's place in file order (0, 1, ...).  start (may be NULL) is
 * called before a range's first event, event for each joined event of the
 * range in file order.  A nonzero return stops the scan and is its status
 * (fill err).  Ranges run at once: a callback touches only its range's own
 * data, and the caller combines the ranges' data in range order (file
 * order) once the scan returns.  Each range is read once: a callback never
 * sees an event twice.
 */
typedef struct mql_events_scan_ops {
	int (*start)(void *context, int range, mql_error *err);
	int (*event)(void *context, int range, const mql_event *ev,
		     mql_error *err);
	void *context;
} mql_events_scan_ops;

/* How mql_events_scan reads. */
typedef struct mql_events_scan_options {
	int threads;		  /* as mql_events_summarize */
	mql_time future_after;	  /* as mql_events_open (MQL_TIME_NONE: the
				     clock, read once for every range) */
	int ignore_campaigns;	  /* every event's campaign -1, as with
				     mql_events_ignore_campaigns */
	const char *const *types; /* type_count names interned first, in
				     this order: each one's id is its index
				     in a dictionary they are interned into
				     in this order (0, 1, ... when none
				     repeats) */
	size_t type_count;
} mql_events_scan_options;

/* Sets o to: threads 0, the clock, campaigns read, no types given. */
void mql_events_scan_options_init(mql_events_scan_options *o);

/*
 * Reads the whole events file, in the ranges and on the threads of
 * mql_events_summarize (stdin and pipes on one), handing every joined
 * event to ops with file-global ids: a type or a campaign has one id
 * whatever range meets it.  The types given in so come first; the others
 * are numbered as the ranges meet them, so their numbers (never their
 * names) may change with the number of threads and from run to run.
 * Cuts are made at row starts before any event is handed out (csv_ranges.h,
 * MQL_CSV_CUT_CHECKED), so no range is read twice.
 *
 * *out receives a reader without a file holding the dictionaries of every
 * id handed out and the statistics of the whole file (per_type by those
 * ids), for mql_events_types, _campaigns, _get_stats and _intern_type;
 * NULL on error.  The caller closes it.  Returns 0, or the first error in
 * file order (its file:line:column as a reader of the whole file gives
 * it), or a callback's status; as mql_events_open, mql_events_next, and
 * MQL_ERR_IO when a read fails.
 */
int mql_events_scan(mql_events **out, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    const mql_events_scan_options *so,
		    const mql_events_scan_ops *ops, mql_error *err);

/* Frees what a summary holds; s may be NULL and is left empty. */
void mql_events_summary_release(mql_events_summary *s);

#endif
