/*
 * timeline.c - events in time (or contact, time) order with bounded memory:
 * an external merge sort of compact records (see timeline.h).
 *
 * Ties keep the file's order whatever the chunk size: chunks are sorted with
 * a stable merge sort and the merge prefers the earlier run.
 */
#include <mqlcal/timeline.h>

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CHUNK_BYTES ((size_t)64 << 20)
#define RUN_BUFFER_RECORDS  2048 /* 32 KiB read buffer per run */
#define PROGRESS_MASK	    (((size_t)1 << 20) - 1)

/*
 * 16 bytes per event: the time, the contacts row, and the type and campaign
 * packed in one word (campaign + 1 in the low 20 bits, 0 = none; the type in
 * the high 12), so spilled runs cost half what a plain struct would.
 */
typedef struct record {
	mql_time at;
	uint32_t contact;
	uint32_t type_campaign;
} record;

#define CAMPAIGN_BITS 20
#define MAX_TYPES     (1u << (32 - CAMPAIGN_BITS))
#define MAX_CAMPAIGNS ((1u << CAMPAIGN_BITS) - 1)

/* A sorted run: spilled to an unlinked temporary file, or (the last one)
 * left in memory with fp NULL. */
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
	void (*progress)(void *ctx, size_t events_read);
	void *progress_ctx;
	record *chunk;	 /* in-memory records (the last chunk when no spill) */
	record *scratch; /* the merge sort's second buffer */
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
	record last_spilled; /* the previous run's last record */
	record pending;	     /* next_contact's lookahead */
	int has_pending;
};

void mql_timeline_options_init(mql_timeline_options *o)
{
	o->order = MQL_TIMELINE_BY_TIME;
	o->chunk_bytes = 0;
	o->temp_dir = NULL;
	o->progress = NULL;
	o->progress_ctx = NULL;
}

/* a < b in the timeline's order.  Equal keys are not "before": ties keep
 * the file's order through a stable sort and the run index in the merge. */
static int before(mql_timeline_order order, const record *a, const record *b)
{
	if (order == MQL_TIMELINE_BY_CONTACT && a->contact != b->contact)
		return a->contact < b->contact;
	return a->at < b->at;
}

/* True when the chunk is already in order (then it is not sorted again). */
static int chunk_in_order(const mql_timeline *t)
{
	for (size_t i = 1; i < t->chunk_used; i++)
		if (before(t->order, &t->chunk[i], &t->chunk[i - 1]))
			return 0;
	return 1;
}

/* Merges the sorted halves src[lo..mid) and src[mid..hi) into dst. */
static void merge_halves(mql_timeline_order order, const record *src,
			 record *dst, size_t lo, size_t mid, size_t hi)
{
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		dst[k++] =
			before(order, &src[j], &src[i]) ? src[j++] : src[i++];
	while (i < mid)
		dst[k++] = src[i++];
	while (j < hi)
		dst[k++] = src[j++];
}

/* A stable bottom-up merge sort of the chunk (qsort is not stable).
 * Returns 0 or MQL_ERR_NOMEM (the second buffer is made on first need). */
static int sort_chunk(mql_timeline *t, mql_error *err)
{
	if (chunk_in_order(t))
		return MQL_OK;
	if (!t->scratch &&
	    !(t->scratch = malloc(t->chunk_capacity * sizeof *t->scratch)))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	record *src = t->chunk, *dst = t->scratch;
	size_t n = t->chunk_used;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			merge_halves(t->order, src, dst, lo, mid, hi);
		}
		record *swap = src;
		src = dst;
		dst = swap;
	}
	if (src != t->chunk)
		memcpy(t->chunk, src, n * sizeof *src);
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

/* Appends an empty run.  Returns it, or NULL when out of memory. */
static run *add_run(mql_timeline *t)
{
	run *grown = realloc(t->runs, (t->run_count + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	t->runs = grown;
	run *r = &t->runs[t->run_count++];
	memset(r, 0, sizeof *r);
	return r;
}

/* Sorts the chunk and notes whether it follows the previous run. */
static int close_chunk(mql_timeline *t, mql_error *err)
{
	int status = sort_chunk(t, err);
	if (!status && t->run_count > 0 &&
	    before(t->order, &t->chunk[0], &t->last_spilled))
		t->globally_sorted = 0;
	return status;
}

/* Sorts the chunk and writes it as a new run. */
static int spill_chunk(mql_timeline *t, mql_error *err)
{
	int status = close_chunk(t, err);
	if (status)
		return status;
	FILE *fp = temp_file(t->temp_dir, err);
	if (!fp)
		return MQL_ERR_IO;
	run *r = add_run(t);
	if (!r) {
		fclose(fp);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory sorting events");
	}
	r->fp = fp;
	if (fwrite(t->chunk, sizeof *t->chunk, t->chunk_used, fp) !=
		    t->chunk_used ||
	    fflush(fp) != 0)
		return mql_error_set(err, MQL_ERR_IO, t->temp_dir, 0, 0,
				     "cannot write a sorted run: %s",
				     strerror(errno));
	r->remaining = t->chunk_used;
	t->last_spilled = t->chunk[t->chunk_used - 1];
	t->chunk_used = 0;
	return MQL_OK;
}

/* Packs ev into rec.  Returns 0, or MQL_ERR_INPUT past the packing limits. */
static int pack(mql_timeline *t, const mql_event *ev, record *rec,
		mql_error *err)
{
	uint32_t campaign = (uint32_t)(ev->campaign + 1);
	if ((uint32_t)ev->type >= MAX_TYPES || campaign > MAX_CAMPAIGNS)
		return mql_error_set(
			err, MQL_ERR_INPUT, NULL, 0, 0,
			"more than %u event types or %u campaigns; expected "
			"fewer distinct values in the events file",
			MAX_TYPES, MAX_CAMPAIGNS);
	rec->at = ev->at;
	rec->contact = ev->contact;
	rec->type_campaign = (uint32_t)ev->type << CAMPAIGN_BITS | campaign;
	t->total++;
	return MQL_OK;
}

static void to_event(const record *rec, mql_event *ev)
{
	ev->contact = rec->contact;
	ev->type = (int32_t)(rec->type_campaign >> CAMPAIGN_BITS);
	ev->campaign = (int32_t)(rec->type_campaign & MAX_CAMPAIGNS) - 1;
	ev->at = rec->at;
}

/* Reads every event into chunks, spilling full ones; the last chunk stays
 * in memory as the last run. */
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
		status = pack(t, &ev, &t->chunk[t->chunk_used++], err);
		if (status)
			return status;
		if (t->progress && (t->total & PROGRESS_MASK) == 0)
			t->progress(t->progress_ctx, t->total);
	}
	if (status < 0)
		return status;
	status = close_chunk(t, err);
	if (status || t->run_count == 0 || t->chunk_used == 0)
		return status;
	run *r = add_run(t);
	if (!r)
		return MQL_ERR_NOMEM;
	r->buffer = t->chunk; /* owned by the chunk; fp NULL marks it */
	r->buffered = t->chunk_used;
	return MQL_OK;
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

/* True when run i's head comes before run j's (the earlier run on ties). */
static int run_before(const mql_timeline *t, size_t i, size_t j)
{
	const record *a = &t->runs[i].buffer[t->runs[i].next];
	const record *b = &t->runs[j].buffer[t->runs[j].next];
	if (before(t->order, a, b))
		return 1;
	return !before(t->order, b, a) && i < j;
}

static void sift_down(mql_timeline *t, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < t->heap_size &&
		    run_before(t, t->heap[l], t->heap[least]))
			least = l;
		if (r < t->heap_size &&
		    run_before(t, t->heap[r], t->heap[least]))
			least = r;
		if (least == i)
			return;
		size_t swap = t->heap[i];
		t->heap[i] = t->heap[least];
		t->heap[least] = swap;
		i = least;
	}
}

/* Prepares the runs for merging: read buffers, the heap. */
static int start_merge(mql_timeline *t, mql_error *err)
{
	free(t->scratch);
	t->scratch = NULL;
	t->heap = malloc(t->run_count * sizeof *t->heap);
	if (!t->heap)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < t->run_count; i++) {
		run *r = &t->runs[i];
		if (r->fp) {
			r->buffer =
				malloc(RUN_BUFFER_RECORDS * sizeof *r->buffer);
			if (!r->buffer)
				return MQL_ERR_NOMEM;
			if (fseek(r->fp, 0, SEEK_SET) != 0)
				return mql_error_set(
					err, MQL_ERR_IO, t->temp_dir, 0, 0,
					"cannot rewind a sorted run");
			int status = refill(t, r, err);
			if (status)
				return status;
		}
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
	t->progress = topt->progress;
	t->progress_ctx = topt->progress_ctx;
	t->temp_dir = topt->temp_dir ? topt->temp_dir : getenv("TMPDIR");
	if (!t->temp_dir || !t->temp_dir[0])
		t->temp_dir = "/tmp";
	t->globally_sorted = 1;
	size_t bytes =
		topt->chunk_bytes ? topt->chunk_bytes : DEFAULT_CHUNK_BYTES;
	t->chunk_capacity = bytes / (2 * sizeof(record)); /* + sort buffer */
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
		if (t->runs[i].fp) {
			fclose(t->runs[i].fp);
			free(t->runs[i].buffer);
		}
	}
	free(t->scratch);
	free(t->runs);
	free(t->heap);
	free(t->chunk);
	free(t->contact_events);
	free(t);
}
