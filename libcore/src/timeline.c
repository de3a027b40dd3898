/*
 * timeline.c - events in time (or contact, time) order with bounded memory:
 * an external merge sort of compact records (see timeline.h).
 *
 * Records carry their file position (seq) so ties keep the file's order and
 * the result does not depend on the sort algorithm or the chunk size.
 */
#include <mqlcal/timeline.h>

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CHUNK_BYTES ((size_t)64 << 20)
#define RUN_BUFFER_RECORDS  2048 /* 64 KiB read buffer per run */

typedef struct record {
	mql_time at;
	uint64_t seq; /* position in the file */
	uint32_t contact;
	int32_t type;
	int32_t campaign;
} record;

/* A sorted run spilled to an unlinked temporary file. */
typedef struct run {
	FILE *fp;
	size_t remaining; /* records not yet read into buffer */
	record *buffer;
	size_t buffered, next;
} run;

struct mql_timeline {
	mql_events *reader;
	mql_timeline_order order;
	const char *temp_dir;
	record *chunk; /* in-memory records (the last chunk when no spill) */
	size_t chunk_used, chunk_capacity, chunk_next;
	run *runs;
	size_t run_count;
	size_t *heap; /* run indices, a min-heap on each run's next record */
	size_t heap_size;
	size_t total;
	int globally_sorted; /* runs follow each other: read them in turn */
	size_t current_run;
	mql_event *contact_events; /* next_contact's buffer */
	size_t contact_capacity;
	record pending; /* next_contact's lookahead */
	int has_pending;
};

void mql_timeline_options_init(mql_timeline_options *o)
{
	o->order = MQL_TIMELINE_BY_TIME;
	o->chunk_bytes = 0;
	o->temp_dir = NULL;
}

/* a < b in the timeline's order (seq breaks every tie). */
static int before(mql_timeline_order order, const record *a, const record *b)
{
	if (order == MQL_TIMELINE_BY_CONTACT && a->contact != b->contact)
		return a->contact < b->contact;
	if (a->at != b->at)
		return a->at < b->at;
	return a->seq < b->seq;
}

static int compare_by_time(const void *pa, const void *pb)
{
	const record *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int compare_by_contact(const void *pa, const void *pb)
{
	const record *a = pa, *b = pb;
	if (a->contact != b->contact)
		return a->contact < b->contact ? -1 : 1;
	return compare_by_time(pa, pb);
}

/* True when the chunk is already in order (then it is not sorted again). */
static int chunk_in_order(const mql_timeline *t)
{
	for (size_t i = 1; i < t->chunk_used; i++)
		if (before(t->order, &t->chunk[i], &t->chunk[i - 1]))
			return 0;
	return 1;
}

static void sort_chunk(mql_timeline *t)
{
	if (chunk_in_order(t))
		return;
	qsort(t->chunk, t->chunk_used, sizeof *t->chunk,
	      t->order == MQL_TIMELINE_BY_CONTACT ? compare_by_contact
						  : compare_by_time);
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

/* Sorts the chunk and writes it as a new run. */
static int spill_chunk(mql_timeline *t, mql_error *err)
{
	sort_chunk(t);
	run *grown = realloc(t->runs, (t->run_count + 1) * sizeof *grown);
	if (!grown)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	t->runs = grown;
	run *r = &t->runs[t->run_count];
	memset(r, 0, sizeof *r);
	if (t->run_count > 0 && t->globally_sorted) {
		/* The previous run's last record is still in memory: compare.
		 */
		const record *first = &t->chunk[0];
		t->globally_sorted = !before(t->order, first, &t->pending);
	}
	r->fp = temp_file(t->temp_dir, err);
	if (!r->fp)
		return MQL_ERR_IO;
	t->run_count++;
	if (fwrite(t->chunk, sizeof *t->chunk, t->chunk_used, r->fp) !=
		    t->chunk_used ||
	    fflush(r->fp) != 0)
		return mql_error_set(err, MQL_ERR_IO, t->temp_dir, 0, 0,
				     "cannot write a sorted run: %s",
				     strerror(errno));
	r->remaining = t->chunk_used;
	t->pending = t->chunk[t->chunk_used - 1]; /* for the next comparison */
	t->chunk_used = 0;
	return MQL_OK;
}

/* Reads every event into chunks, spilling full ones. */
static int read_all(mql_timeline *t, mql_error *err)
{
	mql_event ev;
	int status;
	while ((status = mql_events_next(t->reader, &ev, err)) == 1) {
		if (t->chunk_used == t->chunk_capacity) {
			status = spill_chunk(t, err);
			if (status)
				return status;
		}
		record *rec = &t->chunk[t->chunk_used++];
		rec->at = ev.at;
		rec->seq = t->total++;
		rec->contact = ev.contact;
		rec->type = ev.type;
		rec->campaign = ev.campaign;
	}
	if (status < 0)
		return status;
	if (t->run_count > 0 && t->chunk_used > 0)
		status = spill_chunk(t, err);
	else
		sort_chunk(t);
	return status;
}

/* Refills run r's buffer.  Returns 0, or MQL_ERR_IO. */
static int refill(mql_timeline *t, run *r, mql_error *err)
{
	size_t want = r->remaining < RUN_BUFFER_RECORDS ? r->remaining
							: RUN_BUFFER_RECORDS;
	if (fread(r->buffer, sizeof *r->buffer, want, r->fp) != want)
		return mql_error_set(err, MQL_ERR_IO, t->temp_dir, 0, 0,
				     "cannot read back a sorted run");
	r->remaining -= want;
	r->buffered = want;
	r->next = 0;
	return MQL_OK;
}

/* The head record of run i (its buffer is never empty while in the heap). */
static const record *head(const mql_timeline *t, size_t i)
{
	return &t->runs[i].buffer[t->runs[i].next];
}

static void sift_down(mql_timeline *t, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < t->heap_size && before(t->order, head(t, t->heap[l]),
					       head(t, t->heap[least])))
			least = l;
		if (r < t->heap_size && before(t->order, head(t, t->heap[r]),
					       head(t, t->heap[least])))
			least = r;
		if (least == i)
			return;
		size_t swap = t->heap[i];
		t->heap[i] = t->heap[least];
		t->heap[least] = swap;
		i = least;
	}
}

/* Frees the chunk and prepares the runs for merging. */
static int start_merge(mql_timeline *t, mql_error *err)
{
	free(t->chunk);
	t->chunk = NULL;
	t->heap = malloc(t->run_count * sizeof *t->heap);
	if (!t->heap)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < t->run_count; i++) {
		run *r = &t->runs[i];
		r->buffer = malloc(RUN_BUFFER_RECORDS * sizeof *r->buffer);
		if (!r->buffer)
			return MQL_ERR_NOMEM;
		if (fseek(r->fp, 0, SEEK_SET) != 0)
			return mql_error_set(err, MQL_ERR_IO, t->temp_dir, 0, 0,
					     "cannot rewind a sorted run");
		int status = refill(t, r, err);
		if (status)
			return status;
		t->heap[t->heap_size++] = i;
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
		return MQL_ERR_NOMEM;
	t->order = topt->order;
	t->temp_dir = topt->temp_dir ? topt->temp_dir : getenv("TMPDIR");
	if (!t->temp_dir || !t->temp_dir[0])
		t->temp_dir = "/tmp";
	t->globally_sorted = 1;
	size_t bytes =
		topt->chunk_bytes ? topt->chunk_bytes : DEFAULT_CHUNK_BYTES;
	t->chunk_capacity = bytes / sizeof(record);
	if (t->chunk_capacity < 2)
		t->chunk_capacity = 2;
	int status = mql_events_open(&t->reader, path, contacts, opt,
				     future_after, err);
	if (!status) {
		/* Pages a small file never touches are never mapped. */
		t->chunk = malloc(t->chunk_capacity * sizeof *t->chunk);
		status = t->chunk ? MQL_OK : MQL_ERR_NOMEM;
	}
	if (!status)
		status = read_all(t, err);
	if (!status && t->run_count > 0)
		status = start_merge(t, err);
	if (status) {
		mql_timeline_close(t);
		return status;
	}
	*out = t;
	return MQL_OK;
}

/* Pops the next record of the merge.  1, 0 at the end, or < 0. */
static int next_record(mql_timeline *t, record *rec, mql_error *err)
{
	if (t->run_count == 0) {
		if (t->chunk_next == t->chunk_used)
			return 0;
		*rec = t->chunk[t->chunk_next++];
		return 1;
	}
	if (t->heap_size == 0)
		return 0;
	size_t top = t->globally_sorted ? t->current_run : t->heap[0];
	run *r = &t->runs[top];
	*rec = r->buffer[r->next++];
	if (r->next == r->buffered && r->remaining > 0) {
		int status = refill(t, r, err);
		if (status)
			return status;
	}
	int exhausted = r->next == r->buffered;
	if (t->globally_sorted) {
		/* Runs already follow each other: read them in turn. */
		if (exhausted) {
			t->current_run++;
			t->heap_size--;
		}
		return 1;
	}
	if (exhausted)
		t->heap[0] = t->heap[--t->heap_size];
	sift_down(t, 0);
	return 1;
}

static void to_event(const record *rec, mql_event *ev)
{
	ev->contact = rec->contact;
	ev->type = rec->type;
	ev->campaign = rec->campaign;
	ev->at = rec->at;
}

int mql_timeline_next(mql_timeline *t, mql_event *ev, mql_error *err)
{
	record rec;
	int status = next_record(t, &rec, err);
	if (status == 1)
		to_event(&rec, ev);
	return status;
}

/* Appends rec to the contact buffer.  0 or MQL_ERR_NOMEM. */
static int push_contact_event(mql_timeline *t, const record *rec, size_t *count)
{
	if (*count == t->contact_capacity) {
		size_t wanted =
			t->contact_capacity ? 2 * t->contact_capacity : 64;
		mql_event *grown =
			realloc(t->contact_events, wanted * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		t->contact_events = grown;
		t->contact_capacity = wanted;
	}
	to_event(rec, &t->contact_events[(*count)++]);
	return MQL_OK;
}

int mql_timeline_next_contact(mql_timeline *t, const mql_event **events,
			      size_t *count, mql_error *err)
{
	if (t->order != MQL_TIMELINE_BY_CONTACT)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "events are not grouped by contact");
	size_t n = 0;
	record rec;
	int status;
	if (t->has_pending) {
		t->has_pending = 0;
		if (push_contact_event(t, &t->pending, &n))
			return MQL_ERR_NOMEM;
	}
	while ((status = next_record(t, &rec, err)) == 1) {
		if (n > 0 && rec.contact != t->contact_events[0].contact) {
			t->pending = rec;
			t->has_pending = 1;
			break;
		}
		if (push_contact_event(t, &rec, &n))
			return MQL_ERR_NOMEM;
	}
	if (status < 0)
		return status;
	*events = t->contact_events;
	*count = n;
	return n > 0;
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
	return t->run_count;
}

void mql_timeline_close(mql_timeline *t)
{
	if (!t)
		return;
	mql_events_close(t->reader);
	for (size_t i = 0; i < t->run_count; i++) {
		if (t->runs[i].fp)
			fclose(t->runs[i].fp);
		free(t->runs[i].buffer);
	}
	free(t->runs);
	free(t->heap);
	free(t->chunk);
	free(t->contact_events);
	free(t);
}
