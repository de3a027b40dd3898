/*
 * gen_order.c - events.csv in time or random order, by an external sort of
 * bounded memory (see gen.h).
 *
 * Contacts are generated one at a time, so their events come out grouped by
 * contact.  For the other orders each event is spooled as a 16-byte record:
 * its sort key (seconds since the start of the history, or a hash of the
 * seed, the contact and the event's place for the random order), contact
 * number, time and indices.  MQL_GEN_RUN_EVENTS records are sorted in memory
 * by a stable radix sort of the key (ties keep their spooling order, which
 * is contact order) and written to the scratch stream as one run; at the
 * end the runs are merged through a heap of their heads, ties going to the
 * earlier run.  Memory: one run being filled (32 bytes per event with the
 * sort's keys) and then 16 KiB per run while merging: about 70 MB for any
 * number of contacts, plus 5 MB per 1,000 runs (a billion events).
 */
/* pread beyond C11, where glibc has it. */
#define _DEFAULT_SOURCE

#include "gen_internal.h"
#include "radix.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN_BUFFER 1024 /* records read at a time from each run */

const char *const mql_gen_order_names[] = {"contact", "time", "random", NULL};

/* A 64-bit mix (splitmix64's finaliser). */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int mql_gen_spool_init(gen_spool *s, const mql_gen_options *opt, FILE *scratch,
		       mql_time start)
{
	memset(s, 0, sizeof *s);
	s->scratch = scratch;
	s->order = opt->order;
	s->seed = opt->seed;
	s->start = start;
	s->run_events = opt->run_events ? opt->run_events : MQL_GEN_RUN_EVENTS;
	s->chunk = malloc(s->run_events * sizeof *s->chunk);
	s->keys = malloc(s->run_events * sizeof *s->keys);
	s->buffer = malloc(s->run_events * sizeof *s->buffer);
	return s->chunk && s->keys && s->buffer ? MQL_OK : MQL_ERR_NOMEM;
}

/* Sorts the records spooled so far and writes them as one run. */
static int write_run(gen_spool *s)
{
	gen_spooled staged[1024];
	size_t staged_count = 0;
	if (s->count == 0)
		return MQL_OK;
	for (size_t i = 0; i < s->count; i++)
		s->keys[i] = (uint64_t)s->chunk[i].key << 32 | (uint64_t)i;
	const uint64_t *sorted =
		mql_radix_sort(s->keys, s->buffer, s->count, 32);
	for (size_t i = 0; i < s->count; i++) {
		staged[staged_count++] = s->chunk[(uint32_t)sorted[i]];
		if (staged_count < sizeof staged / sizeof staged[0] &&
		    i + 1 < s->count)
			continue;
		if (fwrite(staged, sizeof staged[0], staged_count,
			   s->scratch) != staged_count)
			return MQL_ERR_IO;
		staged_count = 0;
	}
	if (s->run_count == s->run_capacity) {
		size_t capacity = s->run_capacity ? 2 * s->run_capacity : 16;
		int64_t *grown =
			realloc(s->run_end, capacity * sizeof *s->run_end);
		if (!grown)
			return MQL_ERR_NOMEM;
		s->run_end = grown;
		s->run_capacity = capacity;
	}
	s->written += (int64_t)s->count;
	s->run_end[s->run_count++] = s->written;
	s->count = 0;
	return MQL_OK;
}

int mql_gen_spool_add(gen_spool *s, const gen_contact *c)
{
	for (size_t e = 0; e < c->event_count; e++) {
		const mql_event *ev = &c->events[e];
		gen_spooled *rec = &s->chunk[s->count];
		rec->contact = (uint32_t)c->number;
		rec->at = (uint32_t)(ev->at - s->start);
		rec->type = (int16_t)ev->type;
		rec->campaign = (int16_t)ev->campaign;
		rec->key = rec->at;
		if (s->order == MQL_GEN_ORDER_RANDOM)
			rec->key =
				(uint32_t)(mix(s->seed ^
					       mix((uint64_t)c->number << 24 ^
						   (uint64_t)e)) >>
					   32);
		if (++s->count == s->run_events) {
			int status = write_run(s);
			if (status)
				return status;
		}
	}
	return MQL_OK;
}

/* One run's place in the merge: its buffered records and what is left. */
typedef struct run_cursor {
	gen_spooled *records;
	size_t at, count;
	int64_t next, end; /* records of the scratch file still to read */
} run_cursor;

/* Refills a cursor's buffer; 0, or MQL_ERR_IO. */
static int refill(run_cursor *r, int fd)
{
	int64_t want = r->end - r->next;
	if (want > RUN_BUFFER)
		want = RUN_BUFFER;
	size_t bytes = (size_t)want * sizeof *r->records;
	ssize_t got = pread(fd, r->records, bytes,
			    (off_t)(r->next * (int64_t)sizeof *r->records));
	if (got < 0 || (size_t)got != bytes)
		return MQL_ERR_IO;
	r->next += want;
	r->at = 0;
	r->count = (size_t)want;
	return MQL_OK;
}

/* Whether run a's head goes before run b's (ties: the earlier run). */
static int goes_before(const run_cursor *runs, size_t a, size_t b)
{
	uint32_t x = runs[a].records[runs[a].at].key;
	uint32_t y = runs[b].records[runs[b].at].key;
	return x < y || (x == y && a < b);
}

/* Moves heap[i] down to its place in the heap of n runs. */
static void sift_down(size_t *heap, size_t n, size_t i, const run_cursor *runs)
{
	for (;;) {
		size_t least = i, left = 2 * i + 1, right = left + 1;
		if (left < n && goes_before(runs, heap[left], heap[least]))
			least = left;
		if (right < n && goes_before(runs, heap[right], heap[least]))
			least = right;
		if (least == i)
			return;
		size_t swap = heap[i];
		heap[i] = heap[least];
		heap[least] = swap;
		i = least;
	}
}

/* Writes every run's records merged, as CSV rows, to w. */
static int merge_runs(gen_spool *s, run_cursor *runs, size_t *heap,
		      gen_writer *w, mql_gen_ids ids)
{
	int fd = fileno(s->scratch);
	size_t n = 0;
	for (size_t k = 0; k < s->run_count; k++) {
		runs[k].next = k ? s->run_end[k - 1] : 0;
		runs[k].end = s->run_end[k];
		if (refill(&runs[k], fd))
			return MQL_ERR_IO;
		heap[n++] = k;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(heap, n, i, runs);
	while (n > 0) {
		run_cursor *r = &runs[heap[0]];
		const gen_spooled *rec = &r->records[r->at++];
		mql_gen_put_event(w, ids, rec->contact,
				  s->start + (mql_time)rec->at, rec->type,
				  rec->campaign);
		if (r->at == r->count) {
			if (r->next == r->end)
				heap[0] = heap[--n];
			else if (refill(r, fd))
				return MQL_ERR_IO;
		}
		sift_down(heap, n, 0, runs);
		if (w->failed)
			return MQL_ERR_IO;
	}
	return MQL_OK;
}

int mql_gen_spool_write(gen_spool *s, gen_writer *w, mql_gen_ids ids)
{
	int status = write_run(s);
	if (status)
		return status;
	/* the run being filled is no longer needed: free it for the merge */
	free(s->chunk);
	free(s->keys);
	free(s->buffer);
	s->chunk = NULL;
	s->keys = s->buffer = NULL;
	if (fflush(s->scratch) != 0)
		return MQL_ERR_IO;
	run_cursor *runs = calloc(s->run_count + 1, sizeof *runs);
	size_t *heap = calloc(s->run_count + 1, sizeof *heap);
	status = runs && heap ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t k = 0; !status && k < s->run_count; k++) {
		runs[k].records = malloc(RUN_BUFFER * sizeof *runs[k].records);
		if (!runs[k].records)
			status = MQL_ERR_NOMEM;
	}
	if (!status)
		status = merge_runs(s, runs, heap, w, ids);
	for (size_t k = 0; runs && k < s->run_count; k++)
		free(runs[k].records);
	free(runs);
	free(heap);
	return status;
}

void mql_gen_spool_release(gen_spool *s)
{
	if (!s)
		return;
	free(s->chunk);
	free(s->keys);
	free(s->buffer);
	free(s->run_end);
	memset(s, 0, sizeof *s);
}
