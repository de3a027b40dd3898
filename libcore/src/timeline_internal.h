/*
 * timeline_internal.h - the timeline's records and sorted runs on disk
 * (timeline_runs.c), for timeline.c.  Not installed; not for other modules.
 */
#ifndef MQLCAL_TIMELINE_INTERNAL_H
#define MQLCAL_TIMELINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mqlcal/error.h>
#include <mqlcal/events.h>
#include <mqlcal/timeline.h>
#include <mqlcal/timeparse.h>

/*
 * 16 bytes per event in memory: the time, the contacts row, and the type
 * and campaign packed in one word (campaign + 1 in the low 20 bits, 0 =
 * none; the type in the high 12).
 */
typedef struct mql_timeline_record {
	mql_time at;
	uint32_t contact;
	uint32_t type_campaign;
} mql_timeline_record;

#define MQL_TIMELINE_CAMPAIGN_BITS 20
#define MQL_TIMELINE_MAX_TYPES	   (1u << (32 - MQL_TIMELINE_CAMPAIGN_BITS))
#define MQL_TIMELINE_MAX_CAMPAIGNS ((1u << MQL_TIMELINE_CAMPAIGN_BITS) - 1)

/* a < b in the timeline's order.  Equal keys are not "before": ties keep
 * the file's order through a stable sort and the run index in the merge. */
static inline int mql_timeline_before(mql_timeline_order order,
				      const mql_timeline_record *a,
				      const mql_timeline_record *b)
{
	if (order == MQL_TIMELINE_BY_CONTACT && a->contact != b->contact)
		return a->contact < b->contact;
	return a->at < b->at;
}

/*
 * Sorts src[0..n) stably in order, through dst (room for n): by time with a
 * merge sort, by contact with a radix sort and then each contact's records
 * by time.  Returns where the sorted records are, src or dst
 * (timeline_sort.c).
 */
mql_timeline_record *mql_timeline_sort(mql_timeline_order order,
				       mql_timeline_record *src,
				       mql_timeline_record *dst, size_t n);

/* Sorts one contact's records[0..n) stably by time (scratch: room for n);
 * records already in time order are only read. */
void mql_timeline_sort_by_time(mql_timeline_record *records,
			       mql_timeline_record *scratch, size_t n);

/*
 * Places from[0..n), of contact rows [first, first + width), into
 * into[0..n) by contact (a stable counting sort, ends: room for width + 1
 * counts) and sorts each contact's records there by time, with from as
 * scratch.  The order is that of a stable sort by (contact, time).
 */
void mql_timeline_place_by_contact(mql_timeline_record *from,
				   mql_timeline_record *into, size_t n,
				   uint64_t first, size_t width, size_t *ends);

/* Records a run hands out at a time. */
#define MQL_TIMELINE_RUN_RECORDS 2048

/*
 * A sorted run: spilled to its range's unlinked temporary file, after the
 * range's runs before it, or (a range's last chunk) left in memory with fp
 * NULL.  A range's runs share one file, so a file of billions of events
 * takes a file descriptor per reading thread, not one per run.  On disk
 * each record is stored as its difference from the one before (varints of
 * the zigzagged contact and time steps, the type and the campaign): sorted
 * records differ little, so a run takes about 6 bytes an event instead of
 * 16, and spilling costs that much less copying into and out of the page
 * cache.
 */
typedef struct mql_timeline_run {
	FILE *fp;			/* the range's, not the run's own */
	int64_t file_start, file_bytes; /* where the run is in fp */
	int64_t file_read;		/* bytes of it read back */
	size_t remaining; /* records not yet decoded into buffer */
	mql_timeline_record *buffer;
	size_t buffered, next;
	int range;			 /* whose indices its records hold */
	mql_timeline_record first, last; /* to see whether runs follow */
	unsigned char *bytes;		 /* read buffer of the encoded file */
	size_t bytes_end, bytes_next;
	int at_end_of_file;
	mql_timeline_record previous; /* the last record decoded */
} mql_timeline_run;

/*
 * Writes records[0..count) (sorted) encoded at the end of r->fp, through
 * spill (of MQL_TIMELINE_SPILL_BYTES).  Returns 0, or MQL_ERR_IO naming
 * dir.
 */
#define MQL_TIMELINE_SPILL_BYTES ((size_t)1 << 20)
int mql_timeline_run_write(mql_timeline_run *r,
			   const mql_timeline_record *records, size_t count,
			   unsigned char *spill, const char *dir,
			   mql_error *err);

/* Prepares a spilled run for reading: buffers, rewind, first records.
 * Returns 0, MQL_ERR_NOMEM or MQL_ERR_IO. */
int mql_timeline_run_start(mql_timeline_run *r, const char *dir,
			   mql_error *err);

/* Decodes the run's next records into its buffer.  Returns 0, or
 * MQL_ERR_IO when the file cannot be read back. */
int mql_timeline_run_refill(mql_timeline_run *r, const char *dir,
			    mql_error *err);

/* Frees a spilled run's buffers (its range's file stays open). */
void mql_timeline_run_release(mql_timeline_run *r);

/*
 * The merge of runs sorted by (contact, time) that do not follow each other,
 * a block of contact rows at a time (timeline_blocks.c).  Hands out what a
 * heap merge would: by contact, then time, then run, then each run's order.
 */
typedef struct mql_timeline_blocks {
	mql_timeline_run *runs; /* started, in file order */
	size_t run_count;
	uint64_t width;			    /* contact rows per block */
	uint64_t next_contact, end_contact; /* rows left: [next, end) */
	mql_timeline_record *gathered;	    /* the runs' records of a block */
	mql_timeline_record *placed;	    /* the same in order */
	size_t capacity;		    /* records, of each */
	size_t *ends;			    /* width + 1: the placing's */
} mql_timeline_blocks;

/* Prepares the merge of runs[0..run_count) (started), events records in
 * all.  Returns 0 or MQL_ERR_NOMEM (b then to be released). */
int mql_timeline_blocks_start(mql_timeline_blocks *b, mql_timeline_run *runs,
			      size_t run_count, size_t events, mql_error *err);

/* The next block's records in order, valid until the next call: 1 with
 * records[0..count) (count >= 1), 0 at the end, or < 0 (err filled). */
int mql_timeline_blocks_next(mql_timeline_blocks *b,
			     const mql_timeline_record **records, size_t *count,
			     const char *dir, mql_error *err);

/* Frees b's buffers (not the runs). */
void mql_timeline_blocks_release(mql_timeline_blocks *b);

/*
 * A pipe of events: a thread pulls events from a source (the merge) into
 * blocks while the caller works on the blocks before, so decoding and
 * merging runs beside scoring.  With whole_contacts a block ends only
 * where the contact changes, so a contact's events are contiguous in one
 * block.
 */
/* Fills out[0..*got) with at most room (>= 1) next events: 1 with
 * *got >= 1, 0 at the end, < 0 an error (err filled). */
typedef int (*mql_event_source)(void *context, mql_event *out, size_t room,
				size_t *got, mql_error *err);
typedef struct mql_event_pipe mql_event_pipe;

/* Starts the pipe (falling back to filling blocks on the caller's thread
 * when no thread can be made).  Returns 0 or MQL_ERR_NOMEM. */
int mql_timeline_pipe_start(mql_event_pipe **out, mql_event_source source,
			    void *context, int whole_contacts);

/*
 * The next block, valid until the next call: 1 with events[0..count)
 * (count >= 1), 0 at the end, < 0 the source's error (err filled).
 */
int mql_timeline_pipe_next(mql_event_pipe *p, const mql_event **events,
			   size_t *count, mql_error *err);

/* Stops the thread and frees the pipe.  p may be NULL. */
void mql_timeline_pipe_stop(mql_event_pipe *p);

#endif
