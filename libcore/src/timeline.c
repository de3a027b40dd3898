/*
 * timeline.c - events in time (or contact, time) order with bounded memory:
 * an external merge sort of compact records (see timeline.h).
 *
 * The file is read in byte ranges on several threads (mql_events_scan,
 * which hands out the whole file's type and campaign ids); each range
 * sorts and spills its own chunks.  The runs are merged in
 * range order, so ties keep the file's order whatever the chunk size and
 * the number of threads: chunks are sorted stably (timeline_sort.c) and
 * the merge prefers the earlier run.  Runs that follow each other are read
 * in turn; others are merged through a heap by time, and by contact a
 * block of contact rows at a time (timeline_blocks.c).
 */
#include <mqlcal/timeline.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timeline_internal.h"

#define DEFAULT_CHUNK_BYTES ((size_t)64 << 20)
#define PROGRESS_MASK	    (((size_t)1 << 20) - 1)
#define CAMPAIGN_BITS	    MQL_TIMELINE_CAMPAIGN_BITS
#define MAX_TYPES	    MQL_TIMELINE_MAX_TYPES
#define MAX_CAMPAIGNS	    MQL_TIMELINE_MAX_CAMPAIGNS

typedef mql_timeline_record record;
typedef mql_timeline_run run;

/* A run in the merge's heap with its next record's key inline, so that
 * the heap's comparisons touch only the heap. */
typedef struct heap_node {
	uint64_t major, minor; /* (contact, time) or (time, 0) */
	size_t run;	       /* on equal keys the earlier run first */
} heap_node;

/* One range's reading: its chunk and the runs it spilled.  Written only
 * by its range's thread while the file is read. */
typedef struct sorter {
	record *chunk;	      /* in-memory records */
	record *scratch;      /* the merge sort's second buffer */
	unsigned char *spill; /* encoded records on their way to disk */
	FILE *spill_file;     /* the range's runs, one after another */
	size_t chunk_used;
	run *runs;
	size_t run_count;
	size_t events;
} sorter;

struct mql_timeline {
	mql_events *reader; /* the scan's names and statistics */
	mql_timeline_order order;
	const char *temp_dir;
	size_t chunk_capacity;
	void (*progress)(void *ctx, size_t events_read);
	void *progress_ctx;
	atomic_size_t events_read; /* all ranges, for progress */
	sorter *sorters[MQL_EVENTS_MAX_THREADS];
	run *runs; /* every range's, in file order */
	size_t run_count, spilled;
	heap_node *heap; /* a min-heap of the runs on their next records */
	size_t heap_size;
	size_t total;
	int globally_sorted; /* runs follow each other: read them in turn */
	size_t current_run;
	int by_blocks; /* by contact, not globally sorted */
	mql_timeline_blocks blocks;
	const record *merged; /* the block's records being handed out */
	size_t merged_count, merged_next;
	mql_event_pipe *pipe;	/* the merge on its own thread */
	const mql_event *block; /* the pipe's block being read */
	size_t block_count, block_next;
};

void mql_timeline_options_init(mql_timeline_options *o)
{
	o->order = MQL_TIMELINE_BY_TIME;
	o->chunk_bytes = 0;
	o->temp_dir = NULL;
	o->progress = NULL;
	o->progress_ctx = NULL;
	o->threads = 0;
}

/* True when the chunk is already in order (then it is not sorted again). */
static int chunk_in_order(mql_timeline_order order, const sorter *s)
{
	for (size_t i = 1; i < s->chunk_used; i++)
		if (mql_timeline_before(order, &s->chunk[i], &s->chunk[i - 1]))
			return 0;
	return 1;
}

/* A stable sort of a range's chunk (qsort is not stable).  Returns 0 or
 * MQL_ERR_NOMEM (the second buffer is made on first need). */
static int sort_chunk(const mql_timeline *t, sorter *s, mql_error *err)
{
	if (chunk_in_order(t->order, s))
		return MQL_OK;
	if (!s->scratch &&
	    !(s->scratch = malloc(t->chunk_capacity * sizeof *s->scratch)))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	size_t n = s->chunk_used;
	record *sorted = mql_timeline_sort(t->order, s->chunk, s->scratch, n);
	if (sorted != s->chunk)
		memcpy(s->chunk, sorted, n * sizeof *sorted);
	return MQL_OK;
}

/* An anonymous temporary file in the temp directory. */
static FILE *temp_file(const char *dir, mql_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/mqlcal-run-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
			      "cannot create a temporary file for sorting "
			      "events: %s",
			      strerror(errno));
		return NULL;
	}
	unlink(path); /* gone when closed, even if the process dies */
	FILE *fp = fdopen(fd, "w+b");
	if (!fp) {
		close(fd);
		mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
			      "cannot open a temporary file: %s",
			      strerror(errno));
	}
	return fp;
}

/* Appends the sorted chunk of range as a run (fp NULL: in memory).
 * Returns it, or NULL when out of memory. */
static run *add_run(sorter *s, int range, FILE *fp)
{
	run *grown = realloc(s->runs, (s->run_count + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	s->runs = grown;
	run *r = &s->runs[s->run_count++];
	memset(r, 0, sizeof *r);
	r->fp = fp;
	r->range = range;
	r->first = s->chunk[0];
	r->last = s->chunk[s->chunk_used - 1];
	return r;
}

/* Sorts the range's chunk and writes it as a new run. */
static int spill_chunk(const mql_timeline *t, sorter *s, int range,
		       mql_error *err)
{
	int status = sort_chunk(t, s, err);
	if (status)
		return status;
	if (!s->spill && !(s->spill = malloc(MQL_TIMELINE_SPILL_BYTES)))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	if (!s->spill_file && !(s->spill_file = temp_file(t->temp_dir, err)))
		return MQL_ERR_IO;
	run *r = add_run(s, range, s->spill_file);
	if (!r)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	status = mql_timeline_run_write(r, s->chunk, s->chunk_used, s->spill,
					t->temp_dir, err);
	s->chunk_used = 0;
	return status;
}

static int packing_limit(mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
			     "more than %u event types or %u campaigns; "
			     "expected fewer distinct values in the events "
			     "file",
			     MAX_TYPES, MAX_CAMPAIGNS);
}

/* Packs ev into rec.  Returns 0, or MQL_ERR_INPUT past the packing limits. */
static int pack(const mql_event *ev, record *rec, mql_error *err)
{
	uint32_t campaign = (uint32_t)(ev->campaign + 1);
	if ((uint32_t)ev->type >= MAX_TYPES || campaign > MAX_CAMPAIGNS)
		return packing_limit(err);
	rec->at = ev->at;
	rec->contact = ev->contact;
	rec->type_campaign = (uint32_t)ev->type << CAMPAIGN_BITS | campaign;
	return MQL_OK;
}

/* The event of a record. */
static void to_event(const record *rec, mql_event *ev)
{
	ev->contact = rec->contact;
	ev->type = (int32_t)(rec->type_campaign >> CAMPAIGN_BITS);
	ev->campaign = (int32_t)(rec->type_campaign & MAX_CAMPAIGNS) - 1;
	ev->at = rec->at;
}

/* Frees a sorter with its runs (their files too); s may be NULL. */
static void free_sorter(sorter *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->run_count; i++)
		mql_timeline_run_release(&s->runs[i]);
	free(s->runs);
	if (s->spill_file)
		fclose(s->spill_file);
	free(s->chunk);
	free(s->scratch);
	free(s->spill);
	free(s);
}

/* Range start (on its thread): its chunk. */
static int start_range(void *context, int range, mql_error *err)
{
	mql_timeline *t = context;
	sorter *s = calloc(1, sizeof *s);
	t->sorters[range] = s;
	/* Pages a small file never touches are never mapped. */
	if (!s || !(s->chunk = malloc(t->chunk_capacity * sizeof *s->chunk)))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	return MQL_OK;
}

/* One event of a range (on its thread): into the chunk, spilling it when
 * full. */
static int take_event(void *context, int range, const mql_event *ev,
		      mql_error *err)
{
	mql_timeline *t = context;
	sorter *s = t->sorters[range];
	if (s->chunk_used == t->chunk_capacity) {
		int status = spill_chunk(t, s, range, err);
		if (status)
			return status;
	}
	int status = pack(ev, &s->chunk[s->chunk_used], err);
	if (status)
		return status;
	s->chunk_used++;
	if ((++s->events & PROGRESS_MASK) == 0 && t->progress) {
		size_t read =
			atomic_fetch_add(&t->events_read, PROGRESS_MASK + 1) +
			PROGRESS_MASK + 1;
		if (range == 0) /* the calling thread */
			t->progress(t->progress_ctx, read);
	}
	return MQL_OK;
}

/* The ranges' last chunks sorted and kept as in-memory runs, and every
 * range's runs in file order in t->runs. */
static int gather_runs(mql_timeline *t, int ranges, mql_error *err)
{
	size_t count = 0;
	for (int k = 0; k < ranges; k++) {
		sorter *s = t->sorters[k];
		int status = s->chunk_used ? sort_chunk(t, s, err) : 0;
		if (status)
			return status;
		if (s->chunk_used && !add_run(s, k, NULL))
			return MQL_ERR_NOMEM;
		free(s->scratch);
		free(s->spill);
		s->scratch = NULL;
		s->spill = NULL;
		count += s->run_count;
		t->total += s->events;
	}
	t->runs = malloc((count ? count : 1) * sizeof *t->runs);
	if (!t->runs)
		return MQL_ERR_NOMEM;
	for (int k = 0; k < ranges; k++) {
		sorter *s = t->sorters[k];
		for (size_t i = 0; i < s->run_count; i++) {
			run *r = &t->runs[t->run_count++];
			*r = s->runs[i];
			if (r->fp) {
				t->spilled++;
			} else {
				r->buffer = s->chunk; /* the sorter's */
				r->buffered = s->chunk_used;
			}
		}
		free(s->runs);
		s->runs = NULL;
		s->run_count = 0;
	}
	t->globally_sorted = 1;
	for (size_t i = 1; i < t->run_count; i++)
		if (mql_timeline_before(t->order, &t->runs[i].first,
					&t->runs[i - 1].last))
			t->globally_sorted = 0;
	return MQL_OK;
}

/* Reads the whole file on the ranges' threads. */
static int read_all(mql_timeline *t, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    mql_time future_after, int threads, mql_error *err)
{
	const mql_events_scan_ops ops = {start_range, take_event, t};
	mql_events_scan_options so;
	mql_events_scan_options_init(&so);
	so.threads = threads;
	so.future_after = future_after;
	int status = mql_events_scan(&t->reader, path, contacts, opt, &so, &ops,
				     err);
	if (status)
		return status;
	if (mql_events_types(t->reader)->count > MAX_TYPES ||
	    mql_events_campaigns(t->reader)->count > MAX_CAMPAIGNS - 1)
		return packing_limit(err);
	int ranges = 0;
	while (ranges < MQL_EVENTS_MAX_THREADS && t->sorters[ranges])
		ranges++;
	return gather_runs(t, ranges, err);
}

/* Sets a heap node's key from its run's next record: (contact, time) or
 * (time), each made an unsigned that sorts the same way. */
static void set_key(const mql_timeline *t, heap_node *node)
{
	const run *r = &t->runs[node->run];
	const record *rec = &r->buffer[r->next];
	uint64_t time_key = (uint64_t)rec->at ^ ((uint64_t)1 << 63);
	if (t->order == MQL_TIMELINE_BY_CONTACT) {
		node->major = rec->contact;
		node->minor = time_key;
	} else {
		node->major = time_key;
		node->minor = 0;
	}
}

/* a's record comes before b's; the earlier run first on equal keys. */
static int node_before(const heap_node *a, const heap_node *b)
{
	if (a->major != b->major)
		return a->major < b->major;
	if (a->minor != b->minor)
		return a->minor < b->minor;
	return a->run < b->run;
}

static void sift_down(mql_timeline *t, size_t i)
{
	heap_node *heap = t->heap;
	size_t n = t->heap_size;
	heap_node moving = heap[i];
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n &&
		    node_before(&heap[child + 1], &heap[child]))
			child++;
		if (!node_before(&heap[child], &moving))
			break;
		heap[i] = heap[child];
		i = child;
	}
	heap[i] = moving;
}

/* Prepares the runs for merging: read buffers, then the blocks by contact
 * or the heap (which also counts the runs left when they follow each
 * other). */
static int start_merge(mql_timeline *t, mql_error *err)
{
	for (size_t i = 0; i < t->run_count; i++) {
		run *r = &t->runs[i];
		int status = r->fp ? mql_timeline_run_start(r, t->temp_dir, err)
				   : MQL_OK;
		if (status)
			return status;
	}
	t->by_blocks =
		t->order == MQL_TIMELINE_BY_CONTACT && !t->globally_sorted;
	if (t->by_blocks)
		return mql_timeline_blocks_start(&t->blocks, t->runs,
						 t->run_count, t->total, err);
	t->heap = malloc((t->run_count ? t->run_count : 1) * sizeof *t->heap);
	if (!t->heap)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < t->run_count; i++) {
		heap_node *node = &t->heap[t->heap_size++];
		node->run = i;
		set_key(t, node);
	}
	for (size_t i = t->heap_size / 2; i-- > 0;)
		sift_down(t, i);
	return MQL_OK;
}

int mql_timeline_open(mql_timeline **out, const char *path,
		      const mql_contacts *contacts, const mql_csv_options *opt,
		      mql_time future_after, const mql_timeline_options *topt,
		      mql_error *err)
{
	*out = NULL;
	mql_timeline_options defaults;
	mql_timeline_options_init(&defaults);
	if (!topt)
		topt = &defaults;
	mql_timeline *t = calloc(1, sizeof *t);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	t->order = topt->order;
	t->progress = topt->progress;
	t->progress_ctx = topt->progress_ctx;
	atomic_init(&t->events_read, 0);
	t->temp_dir = topt->temp_dir ? topt->temp_dir : getenv("TMPDIR");
	if (!t->temp_dir || !t->temp_dir[0])
		t->temp_dir = "/tmp";
	size_t bytes =
		topt->chunk_bytes ? topt->chunk_bytes : DEFAULT_CHUNK_BYTES;
	t->chunk_capacity = bytes / (2 * sizeof(record)); /* + sort buffer */
	if (t->chunk_capacity < 2)
		t->chunk_capacity = 2;
	int status = read_all(t, path, contacts, opt, future_after,
			      topt->threads, err);
	if (!status)
		status = start_merge(t, err);
	if (status) {
		mql_timeline_close(t);
		return status;
	}
	*out = t;
	return MQL_OK;
}

/* Pops the next event of the heap merge (of runs that do not follow each
 * other).  1, 0 at the end, or < 0. */
static int next_event(mql_timeline *t, mql_event *ev, mql_error *err)
{
	if (t->heap_size == 0)
		return 0;
	run *r = &t->runs[t->heap[0].run];
	to_event(&r->buffer[r->next++], ev);
	if (r->next == r->buffered && r->remaining > 0) {
		int status = mql_timeline_run_refill(r, t->temp_dir, err);
		if (status)
			return status;
	}
	if (r->next == r->buffered)
		t->heap[0] = t->heap[--t->heap_size];
	else
		set_key(t, &t->heap[0]);
	if (t->heap_size > 0)
		sift_down(t, 0);
	return 1;
}

/* Converts records[0..count) to events. */
static void to_events(const record *records, size_t count, mql_event *out)
{
	for (size_t i = 0; i < count; i++)
		to_event(&records[i], &out[i]);
}

/* Fills out[0..*got) (at most room) from the blocks of contact rows: 1, 0
 * at the end, or < 0. */
static int next_by_blocks(mql_timeline *t, mql_event *out, size_t room,
			  size_t *got, mql_error *err)
{
	size_t n = 0;
	while (n < room) {
		if (t->merged_next == t->merged_count) {
			int status = mql_timeline_blocks_next(
				&t->blocks, &t->merged, &t->merged_count,
				t->temp_dir, err);
			if (status < 0)
				return status;
			if (status == 0)
				break;
			t->merged_next = 0;
		}
		size_t take = t->merged_count - t->merged_next;
		if (take > room - n)
			take = room - n;
		to_events(t->merged + t->merged_next, take, out + n);
		t->merged_next += take;
		n += take;
	}
	*got = n;
	return n > 0;
}

/* The merge as the pipe's source: runs that follow each other are read
 * in turn a buffer at a time, others by blocks of contacts or through the
 * heap. */
static int merge_source(void *context, mql_event *out, size_t room, size_t *got,
			mql_error *err)
{
	mql_timeline *t = context;
	size_t n = 0;
	int status = 1;
	if (t->by_blocks)
		return next_by_blocks(t, out, room, got, err);
	if (t->globally_sorted) {
		while (n < room && t->heap_size > 0) {
			run *r = &t->runs[t->current_run];
			size_t take = r->buffered - r->next;
			if (take > room - n)
				take = room - n;
			to_events(&r->buffer[r->next], take, out + n);
			r->next += take;
			n += take;
			if (r->next < r->buffered)
				continue;
			if (r->remaining > 0) {
				status = mql_timeline_run_refill(r, t->temp_dir,
								 err);
				if (status)
					return status;
			} else {
				t->current_run++;
				t->heap_size--;
			}
		}
	} else {
		while (n < room && (status = next_event(t, &out[n], err)) == 1)
			n++;
		if (status < 0)
			return status;
	}
	*got = n;
	return n > 0;
}

/* Makes sure the current block has an unread event: 1, 0 at the end, or
 * < 0.  The pipe starts on the first call. */
static int fill_block(mql_timeline *t, mql_error *err)
{
	if (t->block_next < t->block_count)
		return 1;
	if (!t->pipe &&
	    mql_timeline_pipe_start(&t->pipe, merge_source, t,
				    t->order == MQL_TIMELINE_BY_CONTACT))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory merging events");
	t->block_next = t->block_count = 0;
	return mql_timeline_pipe_next(t->pipe, &t->block, &t->block_count, err);
}

int mql_timeline_next(mql_timeline *t, mql_event *ev, mql_error *err)
{
	int status = fill_block(t, err);
	if (status == 1)
		*ev = t->block[t->block_next++];
	return status;
}

/* fill_block for the readers of whole contacts. */
static int fill_contact_block(mql_timeline *t, mql_error *err)
{
	if (t->order != MQL_TIMELINE_BY_CONTACT)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "events are not grouped by contact");
	return fill_block(t, err);
}

int mql_timeline_next_contact(mql_timeline *t, const mql_event **events,
			      size_t *count, mql_error *err)
{
	int status = fill_contact_block(t, err);
	if (status != 1)
		return status;
	/* A block holds whole contacts. */
	size_t first = t->block_next, end = first + 1;
	uint32_t contact = t->block[first].contact;
	while (end < t->block_count && t->block[end].contact == contact)
		end++;
	t->block_next = end;
	*events = &t->block[first];
	*count = end - first;
	return 1;
}

int mql_timeline_next_block(mql_timeline *t, const mql_event **events,
			    size_t *count, mql_error *err)
{
	int status = fill_contact_block(t, err);
	if (status != 1)
		return status;
	*events = &t->block[t->block_next];
	*count = t->block_count - t->block_next;
	t->block_next = t->block_count;
	return 1;
}

mql_events *mql_timeline_events(mql_timeline *t)
{
	return t->reader;
}

size_t mql_timeline_count(const mql_timeline *t)
{
	return t->total;
}

size_t mql_timeline_run_count(const mql_timeline *t)
{
	return t->spilled ? t->run_count : 0;
}

void mql_timeline_close(mql_timeline *t)
{
	if (!t)
		return;
	mql_timeline_pipe_stop(t->pipe); /* first: it reads the runs */
	mql_events_close(t->reader);
	for (size_t i = 0; i < t->run_count; i++)
		mql_timeline_run_release(&t->runs[i]);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++) {
		free_sorter(t->sorters[k]);
	}
	mql_timeline_blocks_release(&t->blocks);
	free(t->runs);
	free(t->heap);
	free(t);
}
