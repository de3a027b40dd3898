/*
 * events.h - the events file, streamed and joined to the contacts table.
 *
 * events.csv has contact_id, occurred_at, event (the type) and optionally
 * campaign.  A reader yields one event at a time in file order; nothing holds
 * the whole file.  Event types and campaigns are interned into the reader's
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
	size_t future;		/* rows dated after the reference time */
	size_t before_created;	/* rows dated before their contact's created_at
				 */
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
 * the caller: its indices are each reader's own.
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
 * What mql_events_scan_ranges calls for each range, on the range's own
 * thread; range is the range's place in file order (0, 1, ...).  Both may
 * be NULL.  start sees the range's reader before its first row (to intern
 * the types a caller maps by index); event sees each joined event of the
 * range in file order, its type an index of that range's reader.  A
 * nonzero return stops the range and is its status (fill err).  Ranges
 * run at once: a callback touches only its range's own data.
 *
 * restart may be NULL.  When set, the file may be cut at the line ends met
 * (no pass to count quotes first); if a cut turns out to be inside a
 * quoted field, restart is called once, after every range has stopped,
 * and must drop all that start and event built, and the file is read
 * again (start called again for each range).
 */
typedef struct mql_events_scan_ops {
	int (*start)(void *context, int range, mql_events *reader,
		     mql_error *err);
	int (*event)(void *context, int range, const mql_event *ev,
		     mql_error *err);
	void *context;
	void (*restart)(void *context);
} mql_events_scan_ops;

/*
 * Reads the whole events file as mql_events_summarize does (the same
 * ranges, same threads rule, stdin and pipes read by one), handing every
 * range's events to ops; with ops that cannot restart, the cuts are found
 * by counting quotes first (else a cut at a line end inside quotes is read
 * again, as a summary is).
 * readers[0..MQL_EVENTS_MAX_THREADS) receive the ranges' readers (NULL where
 * unused), *ranges how many ranges there were; the readers' types and
 * statistics are per range, to be merged by name in range order.  The caller
 * closes every reader, on success and on error. Returns 0, or the first error
 * in file order (its file:line:column as the sequential reader gives it), or a
 * callback's status.
 */
int mql_events_scan_ranges(mql_events *readers[MQL_EVENTS_MAX_THREADS],
			   int *ranges, const char *path,
			   const mql_contacts *contacts,
			   const mql_csv_options *opt, mql_time future_after,
			   int threads, const mql_events_scan_ops *ops,
			   mql_error *err);

/* Frees what a summary holds; s may be NULL and is left empty. */
void mql_events_summary_release(mql_events_summary *s);

#endif
