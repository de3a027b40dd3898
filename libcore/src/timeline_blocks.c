/*
 * timeline_blocks.c - a timeline's runs merged by contact a block of
 * contact rows at a time (see timeline_internal.h).
 *
 * When the file is in time order every run holds a few events of nearly
 * every contact, and a heap merge compares keys, on branches no predictor
 * guesses, at every event.  Runs are sorted by contact, so a run's records
 * of a block of contact rows lie together: they are copied, run after run,
 * then counted into place by contact (a stable counting sort), and a
 * contact whose records are then out of time order, which happens only
 * when the file is in neither order, is sorted stably by time.  That is
 * the heap's order: contact, then time, then run, then the run's own
 * order.  Blocks are as wide as holds about BLOCK_EVENTS events on
 * average, so memory is a block's records, and a wider one only for a
 * block of contacts with more events than that.
 */
#include "timeline_internal.h"

#include <stdlib.h>
#include <string.h>

typedef mql_timeline_record record;

#define BLOCK_EVENTS ((uint64_t)1 << 16)
#define MAX_WIDTH    ((uint64_t)1 << 16) /* contact rows per block */

static int out_of_memory(mql_error *err)
{
	return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
			     "out of memory merging events");
}

int mql_timeline_blocks_start(mql_timeline_blocks *b, mql_timeline_run *runs,
			      size_t run_count, size_t events, mql_error *err)
{
	memset(b, 0, sizeof *b);
	b->runs = runs;
	b->run_count = run_count;
	for (size_t i = 0; i < run_count; i++) /* a run ends on its largest */
		if (runs[i].last.contact >= b->end_contact)
			b->end_contact = (uint64_t)runs[i].last.contact + 1;
	uint64_t width = events ? BLOCK_EVENTS * b->end_contact / events : 1;
	b->width = width < 1 ? 1 : width > MAX_WIDTH ? MAX_WIDTH : width;
	b->capacity = 2 * BLOCK_EVENTS;
	b->gathered = malloc(b->capacity * sizeof *b->gathered);
	b->placed = malloc(b->capacity * sizeof *b->placed);
	b->ends = malloc((b->width + 1) * sizeof *b->ends);
	if (!b->gathered || !b->placed || !b->ends)
		return out_of_memory(err);
	return MQL_OK;
}

/* Room for `more` gathered records after the first `used`. */
static int reserve(mql_timeline_blocks *b, size_t used, size_t more,
		   mql_error *err)
{
	if (more <= b->capacity - used)
		return MQL_OK;
	size_t wanted = 2 * b->capacity;
	while (wanted - used < more)
		wanted *= 2;
	record *gathered = realloc(b->gathered, wanted * sizeof *gathered);
	if (!gathered)
		return out_of_memory(err);
	b->gathered = gathered;
	record *placed = realloc(b->placed, wanted * sizeof *placed);
	if (!placed)
		return out_of_memory(err);
	b->placed = placed;
	b->capacity = wanted;
	return MQL_OK;
}

/* Appends r's records of contact rows below end to the gathered ones. */
static int gather(mql_timeline_blocks *b, mql_timeline_run *r, uint64_t end,
		  size_t *used, const char *dir, mql_error *err)
{
	for (;;) {
		size_t first = r->next, past = first;
		while (past < r->buffered && r->buffer[past].contact < end)
			past++;
		int status = reserve(b, *used, past - first, err);
		if (status)
			return status;
		memcpy(b->gathered + *used, r->buffer + first,
		       (past - first) * sizeof *r->buffer);
		*used += past - first;
		r->next = past;
		if (past < r->buffered || r->remaining == 0)
			return MQL_OK;
		status = mql_timeline_run_refill(r, dir, err);
		if (status)
			return status;
	}
}

int mql_timeline_blocks_next(mql_timeline_blocks *b, const record **records,
			     size_t *count, const char *dir, mql_error *err)
{
	while (b->next_contact < b->end_contact) {
		uint64_t first = b->next_contact;
		uint64_t end = b->end_contact - first > b->width
				       ? first + b->width
				       : b->end_contact;
		b->next_contact = end;
		size_t n = 0;
		for (size_t i = 0; i < b->run_count; i++) {
			int status = gather(b, &b->runs[i], end, &n, dir, err);
			if (status)
				return status;
		}
		if (n == 0)
			continue;
		mql_timeline_place_by_contact(b->gathered, b->placed, n, first,
					      (size_t)(end - first), b->ends);
		*records = b->placed;
		*count = n;
		return 1;
	}
	return 0;
}

void mql_timeline_blocks_release(mql_timeline_blocks *b)
{
	free(b->gathered);
	free(b->placed);
	free(b->ends);
	memset(b, 0, sizeof *b);
}
