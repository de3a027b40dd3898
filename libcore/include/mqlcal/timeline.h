/*
 * timeline.h - an events file in time order, with bounded memory.
 *
 * Exports are rarely sorted.  A timeline reads events.csv once with the
 * events reader (events.h), on several threads for a regular file (byte
 * ranges, as mql_events_summarize), keeps them as compact binary records,
 * sorts them in memory chunks (64 MiB by default, one per reading thread),
 * spills sorted runs to a temporary file per reading thread (removed when
 * closed, even on a crash: it is unlinked at creation) and merges the runs
 * k-way while the caller reads: by time through a heap, by contact a block
 * of contact rows at a time (a run's records of a block lie together), so
 * that a file in time order, whose runs each hold a little of every
 * contact, pays no comparison per event.  A chunk already in order is not
 * sorted, and a file that fits the chunks never touches the disk.  Memory
 * is the chunks plus one small buffer per run and the block being merged;
 * it does not grow with the number of events.  The events, their order,
 * indices and statistics are the same whatever the number of threads.
 *
 * Orders: MQL_TIMELINE_BY_TIME gives events in nondecreasing time (ties in
 * file order); MQL_TIMELINE_BY_CONTACT groups each contact's events (by
 * contacts row) in nondecreasing time (ties in file order), which is what
 * per-contact scoring and crossing need.
 *
 * The whole file is read (and every input error found) by mql_timeline_open,
 * so the reader's statistics are complete when it returns.  An event takes
 * 16 bytes in memory (about 6 in a spilled run, stored as its difference
 * from the one before), which limits a file to 4,096 event types and
 * 1,048,575 campaigns (more is refused as bad input).
 */
#ifndef MQLCAL_TIMELINE_H
#define MQLCAL_TIMELINE_H

#include <stddef.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/events.h>

typedef enum mql_timeline_order {
	MQL_TIMELINE_BY_TIME,
	MQL_TIMELINE_BY_CONTACT
} mql_timeline_order;

typedef struct mql_timeline_options {
	mql_timeline_order order;
	size_t chunk_bytes;   /* memory for one sorted run (per reading
			       * thread); 0 = 64 MiB */
	const char *temp_dir; /* NULL = $TMPDIR, else /tmp */
	/* Called with the events read so far every 2^20 events while
	 * mql_timeline_open reads, for progress on a terminal; NULL = none. */
	void (*progress)(void *ctx, size_t events_read);
	void *progress_ctx;
	/* Reading threads: 0 = as mql_events_summarize (one per online CPU,
	 * one for small files or pipes). */
	int threads;
} mql_timeline_options;

/* Fills o with the defaults: by time, 64 MiB, $TMPDIR, no progress,
 * threads by CPUs. */
void mql_timeline_options_init(mql_timeline_options *o);

typedef struct mql_timeline mql_timeline;

/*
 * Opens path ("-" = stdin) with the events reader, reads it whole and
 * prepares the sorted stream.  topt may be NULL (defaults).  Returns 0, or
 * the reader's errors (MQL_ERR_NOFILE, MQL_ERR_INPUT with position),
 * MQL_ERR_IO (temporary files), MQL_ERR_NOMEM.  *out belongs to the caller:
 * mql_timeline_close.
 */
int mql_timeline_open(mql_timeline **out, const char *path,
		      const mql_contacts *contacts, const mql_csv_options *opt,
		      mql_time future_after, const mql_timeline_options *topt,
		      mql_error *err);

/* Next event in order: 1 = *ev filled, 0 = end, < 0 = error (err set). */
int mql_timeline_next(mql_timeline *t, mql_event *ev, mql_error *err);

/*
 * With MQL_TIMELINE_BY_CONTACT: the next contact's events, in time order,
 * in a buffer owned by the timeline and valid until the next call.  Returns
 * 1 (*events, *count set, count >= 1), 0 at the end, < 0 on error.  Memory
 * grows with the largest number of events of one contact.  Do not mix with
 * mql_timeline_next.
 */
int mql_timeline_next_contact(mql_timeline *t, const mql_event **events,
			      size_t *count, mql_error *err);

/*
 * With MQL_TIMELINE_BY_CONTACT: the next events of several whole contacts
 * (grouped by contact, in order; a contact is never split between blocks),
 * in a buffer owned by the timeline and valid until the next call.  For
 * callers that hand blocks to other threads.  Returns 1 (*events, *count
 * set, count >= 1), 0 at the end, < 0 on error.  Do not mix with the other
 * next functions.
 */
int mql_timeline_next_block(mql_timeline *t, const mql_event **events,
			    size_t *count, mql_error *err);

/*
 * The events reader behind the timeline: its type and campaign
 * dictionaries, statistics, and mql_events_intern_type (type indices never
 * change, so rules may be bound after open).  Owned by the timeline.
 */
mql_events *mql_timeline_events(mql_timeline *t);

/* Events in the timeline, and sorted runs merged (0 when nothing was
 * spilled to disk; for tests). */
size_t mql_timeline_count(const mql_timeline *t);
size_t mql_timeline_run_count(const mql_timeline *t);

/* Closes the reader, removes the runs and frees t.  t may be NULL. */
void mql_timeline_close(mql_timeline *t);

#endif
