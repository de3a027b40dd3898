/*
 * test_timeline.c - sorted event streams: a shuffled file comes out in
 * time order (or grouped by contact) with ties in file order, the same with
 * one in-memory chunk and with many spilled runs, and a sorted file is not
 * re-sorted.  The files are generated here with a fixed linear congruential
 * sequence, so the expected order is known from how they were written.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/timeline.h>

#include "../libcore/src/timeline_internal.h"

#define EVENTS	 2000
#define CONTACTS 7

static char dir[64];
static char contacts_path[128], events_path[128], sorted_path[128];

/* Writes the contacts and two event files: shuffled and sorted. Event i
 * has campaign "k<i>", so campaign indices give the file order. */
static int write_files(void)
{
	snprintf(dir, sizeof dir, "/tmp/mqlcal-timeline-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(contacts_path, sizeof contacts_path, "%s/c.csv", dir);
	snprintf(events_path, sizeof events_path, "%s/e.csv", dir);
	snprintf(sorted_path, sizeof sorted_path, "%s/s.csv", dir);
	FILE *fp = fopen(contacts_path, "w");
	if (!fp)
		return -1;
	fprintf(fp, "contact_id,created_at\n");
	for (int c = 0; c < CONTACTS; c++)
		fprintf(fp, "u%d,2026-01-01\n", c);
	fclose(fp);
	FILE *shuffled = fopen(events_path, "w");
	FILE *sorted = fopen(sorted_path, "w");
	if (!shuffled || !sorted)
		return -1;
	fprintf(shuffled, "contact_id,occurred_at,event,campaign\n");
	fprintf(sorted, "contact_id,occurred_at,event,campaign\n");
	unsigned long x = 12345;
	for (int i = 0; i < EVENTS; i++) {
		x = (x * 1103515245 + 12345) % 2147483648UL;
		/* 56 distinct times, so many ties */
		int day = 1 + (int)(x >> 8) % 28, hour = (int)(x >> 4) % 2;
		fprintf(shuffled, "u%lu,2026-02-%02dT%02d:00:00Z,view,k%d\n",
			(x >> 12) % CONTACTS, day, hour, i);
		fprintf(sorted, "u%d,2026-03-%02dT00:00:00Z,view,k%d\n",
			i % CONTACTS, 1 + i * 28 / EVENTS, i);
	}
	fclose(shuffled);
	fclose(sorted);
	return 0;
}

static mql_contacts *contacts_of(const char *path)
{
	mql_contacts *c = NULL;
	mql_csv_options opt;
	mql_error err;
	mql_csv_options_init(&opt);
	mql_contacts_load(&c, path, &opt, MQL_TIME_NONE, NULL, &err);
	return c;
}

static mql_contacts *contacts(void)
{
	return contacts_of(contacts_path);
}

/* A timeline of path over contacts c in order, its chunks chunk_bytes
 * (0: the default), read on threads threads (0: one per processor). */
static mql_timeline *open_timeline(const char *path, const mql_contacts *c,
				   mql_timeline_order order, size_t chunk_bytes,
				   int threads)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = order;
	topt.chunk_bytes = chunk_bytes;
	topt.threads = threads;
	mql_timeline *t = NULL;
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_timeline_open(&t, path, c, &opt,
						MQL_TIME_NONE, &topt, &err),
			      0);
	return t;
}

/* The file line of an event, from its campaign name "k<line>". */
static long line_of(const mql_dict *campaigns, const mql_event *ev)
{
	return strtol(mql_dict_name(campaigns, ev->campaign) + 1, NULL, 10);
}

/* Reads the whole timeline and checks the order; returns runs used. */
static size_t check_order(const char *path, mql_timeline_order order,
			  size_t chunk_bytes)
{
	mql_contacts *c = contacts();
	mql_timeline *t = open_timeline(path, c, order, chunk_bytes, 0);
	mql_error err;
	CU_ASSERT_EQUAL(mql_timeline_count(t), EVENTS);
	const mql_dict *campaigns =
		mql_events_campaigns(mql_timeline_events(t));
	char *seen = calloc(EVENTS, 1);
	mql_event ev, prev = {0, 0, -1, 0};
	size_t n = 0;
	int in_order = 1;
	while (mql_timeline_next(t, &ev, &err) == 1) {
		/* campaign "k<i>": i is the event's line in the file */
		long line = line_of(campaigns, &ev);
		seen[line] = 1;
		if (n > 0) {
			int same_group = order == MQL_TIMELINE_BY_TIME ||
					 ev.contact == prev.contact;
			if (order == MQL_TIMELINE_BY_CONTACT &&
			    ev.contact < prev.contact)
				in_order = 0;
			if (same_group && ev.at < prev.at)
				in_order = 0;
			if (same_group && ev.at == prev.at &&
			    line < line_of(campaigns, &prev))
				in_order = 0;
		}
		prev = ev;
		n++;
	}
	CU_ASSERT(in_order);
	CU_ASSERT_EQUAL(n, EVENTS);
	CU_ASSERT_PTR_NULL(memchr(seen, 0, EVENTS)); /* every event once */
	size_t runs = mql_timeline_run_count(t);
	free(seen);
	mql_timeline_close(t);
	mql_contacts_free(c);
	return runs;
}

static void shuffled_file_comes_out_in_time_order(void)
{
	CU_ASSERT_EQUAL(check_order(events_path, MQL_TIMELINE_BY_TIME, 0), 0);
	/* 100 records of 32 bytes per chunk: 20 spilled runs */
	CU_ASSERT_EQUAL(check_order(events_path, MQL_TIMELINE_BY_TIME, 3200),
			20);
	CU_ASSERT_EQUAL(check_order(events_path, MQL_TIMELINE_BY_TIME, 640),
			100);
}

static void contacts_come_grouped_in_time_order(void)
{
	CU_ASSERT_EQUAL(check_order(events_path, MQL_TIMELINE_BY_CONTACT, 0),
			0);
	CU_ASSERT_EQUAL(check_order(events_path, MQL_TIMELINE_BY_CONTACT, 3200),
			20);

	mql_contacts *c = contacts();
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	topt.chunk_bytes = 999;
	mql_timeline *t = NULL;
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_timeline_open(&t, events_path, c, &opt,
						MQL_TIME_NONE, &topt, &err),
			      0);
	const mql_event *events;
	size_t count, total = 0, groups = 0;
	uint32_t last = 0;
	while (mql_timeline_next_contact(t, &events, &count, &err) == 1) {
		for (size_t i = 0; i < count; i++)
			CU_ASSERT_EQUAL(events[i].contact, events[0].contact);
		CU_ASSERT(groups == 0 || events[0].contact > last);
		last = events[0].contact;
		total += count;
		groups++;
	}
	CU_ASSERT_EQUAL(total, EVENTS);
	CU_ASSERT_EQUAL(groups, CONTACTS);
	mql_timeline_close(t);
	mql_contacts_free(c);
}

/* Open file descriptors of this process, or -1 without /proc. */
static int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* A range's spilled runs share one temporary file: twenty runs read on one
 * thread hold one descriptor while they are merged, not twenty (a file of
 * billions of events would otherwise run out of descriptors). */
static void runs_share_a_file(void)
{
	int before = open_descriptors();
	if (before < 0)
		return; /* no /proc: nothing to count */
	mql_contacts *c = contacts();
	mql_timeline *t =
		open_timeline(events_path, c, MQL_TIMELINE_BY_CONTACT, 3200, 1);
	CU_ASSERT_EQUAL(mql_timeline_run_count(t), 20);
	CU_ASSERT_EQUAL(open_descriptors() - before, 1);
	mql_event ev;
	mql_error err;
	size_t n = 0;
	while (mql_timeline_next(t, &ev, &err) == 1)
		n++;
	CU_ASSERT_EQUAL(n, EVENTS);
	mql_timeline_close(t);
	CU_ASSERT_EQUAL(open_descriptors(), before);
	mql_contacts_free(c);
}

static void sorted_file_stays_as_it_is(void)
{
	CU_ASSERT_EQUAL(check_order(sorted_path, MQL_TIMELINE_BY_TIME, 3200),
			20);
	CU_ASSERT_EQUAL(check_order(sorted_path, MQL_TIMELINE_BY_TIME, 0), 0);
}

static void missing_file_is_reported(void)
{
	mql_contacts *c = contacts();
	mql_timeline *t = NULL;
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	CU_ASSERT_EQUAL(mql_timeline_open(&t, "/nonexistent/e.csv", c, &opt,
					  MQL_TIME_NONE, NULL, &err),
			MQL_ERR_NOFILE);
	CU_ASSERT_PTR_NULL(t);
	mql_contacts_free(c);
	mql_timeline_close(NULL);
}

/* ---- several reading threads ---------------------------------------- */

#define HISTORY_EVENTS	 6000
#define HISTORY_CONTACTS 40
#define BAD_LINE	 4500 /* a bad date, in the second half */

static char history_path[128], shuffled_history_path[128], bad_path[128],
	history_contacts_path[128], quoted_history_path[128];

/*
 * A history of HISTORY_EVENTS rows: event types that first appear at
 * different places (so ranges meet them in different orders), campaigns
 * "k<line>" or none, a few unknown contacts, and many ties.  In file order
 * (by contact, then time) and shuffled; the bad copy has an unreadable
 * date on line BAD_LINE; the quoted copy has each campaign quoted over two
 * lines, most of a row before the line end inside the quotes (a cut at
 * the first line end after a cut point then mostly falls inside them).
 */
static int write_history(void)
{
	snprintf(history_path, sizeof history_path, "%s/h.csv", dir);
	snprintf(shuffled_history_path, sizeof shuffled_history_path,
		 "%s/hs.csv", dir);
	snprintf(bad_path, sizeof bad_path, "%s/hb.csv", dir);
	snprintf(quoted_history_path, sizeof quoted_history_path, "%s/hq.csv",
		 dir);
	snprintf(history_contacts_path, sizeof history_contacts_path,
		 "%s/hc.csv", dir);
	FILE *people = fopen(history_contacts_path, "w");
	if (!people)
		return -1;
	fprintf(people, "contact_id,created_at\n");
	for (int c = 0; c < HISTORY_CONTACTS; c++) /* some after events */
		fprintf(people, "u%d,2026-04-%02d\n", c, 1 + c % 5);
	fclose(people);
	static char rows[HISTORY_EVENTS][80];
	int order[HISTORY_EVENTS];
	unsigned long x = 99;
	for (int i = 0; i < HISTORY_EVENTS; i++) {
		x = (x * 1103515245 + 12345) % 2147483648UL;
		int contact = i * HISTORY_CONTACTS / HISTORY_EVENTS;
		int day = 1 + (i % 150) / 6;
		int type = i < 3000 ? (int)(x >> 9) % 3 : (int)(x >> 9) % 7;
		if (i % 97 == 0)
			contact = 90 + i % 3; /* unknown */
		if (i % 5 == 0)
			snprintf(rows[i], sizeof rows[i],
				 "u%d,2026-04-%02d,t%d,\n", contact, day, type);
		else
			snprintf(rows[i], sizeof rows[i],
				 "u%d,2026-04-%02d,t%d,k%d\n", contact, day,
				 type, i);
		order[i] = i;
	}
	for (int i = HISTORY_EVENTS - 1; i > 0; i--) {
		x = (x * 1103515245 + 12345) % 2147483648UL;
		int j = (int)((x >> 8) % (unsigned long)(i + 1));
		int swap = order[i];
		order[i] = order[j];
		order[j] = swap;
	}
	FILE *plain = fopen(history_path, "w");
	FILE *shuffled = fopen(shuffled_history_path, "w");
	FILE *bad = fopen(bad_path, "w");
	FILE *quoted = fopen(quoted_history_path, "w");
	if (!plain || !shuffled || !bad || !quoted)
		return -1;
	const char *header = "contact_id,occurred_at,event,campaign\n";
	fputs(header, plain);
	fputs(header, shuffled);
	fputs(header, bad);
	fputs(header, quoted);
	for (int i = 0; i < HISTORY_EVENTS; i++) {
		fputs(rows[i], plain);
		fputs(rows[order[i]], shuffled);
		/* line i + 2 of the file holds row i */
		fputs(i + 2 == BAD_LINE ? "u1,2026-13-45,t1,\n" : rows[i], bad);
		fprintf(quoted,
			"u%d,2026-04-%02d,t%d,\"k%d of a long campaign name\n"
			"x\"\n",
			i * HISTORY_CONTACTS / HISTORY_EVENTS,
			1 + (i % 150) / 6, i % 4, i % 50);
	}
	fclose(plain);
	fclose(shuffled);
	fclose(bad);
	fclose(quoted);
	return 0;
}

/* Everything a timeline read gives: events in order (type and campaign
 * as names: their numbers are the scan's, which may differ between thread
 * counts), statistics, the names known with their counts. */
typedef struct reading {
	char *text;
	size_t size;
	size_t runs;
} reading;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of d in name order, each with its count when counts is set. */
static void print_sorted(FILE *fp, const mql_dict *d, const size_t *counts)
{
	const char **names = malloc((d->count + 1) * sizeof *names);
	CU_ASSERT_PTR_NOT_NULL_FATAL(names);
	for (size_t i = 0; i < d->count; i++)
		names[i] = mql_dict_name(d, (int32_t)i);
	qsort(names, d->count, sizeof *names, by_name);
	for (size_t i = 0; i < d->count; i++)
		fprintf(fp, "name %s %zu\n", names[i],
			counts ? counts[mql_dict_find(d, names[i],
						      strlen(names[i]))]
			       : 0);
	free(names);
}

static void read_timeline(reading *out, const char *path,
			  mql_timeline_order order, size_t chunk_bytes,
			  int threads)
{
	mql_contacts *c = contacts_of(history_contacts_path);
	mql_timeline *t = open_timeline(path, c, order, chunk_bytes, threads);
	mql_error err;
	FILE *fp = open_memstream(&out->text, &out->size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	mql_events *reader = mql_timeline_events(t);
	const mql_dict *types = mql_events_types(reader);
	const mql_dict *campaigns = mql_events_campaigns(reader);
	mql_event ev;
	while (mql_timeline_next(t, &ev, &err) == 1)
		fprintf(fp, "%u %s %s %lld\n", ev.contact,
			mql_dict_name(types, ev.type),
			ev.campaign < 0 ? "-"
					: mql_dict_name(campaigns, ev.campaign),
			(long long)ev.at);
	const mql_events_stats *st = mql_events_get_stats(reader);
	fprintf(fp, "rows %zu unknown %zu future %zu before %zu %lld %lld\n",
		st->rows, st->unknown_contact, st->future, st->before_created,
		(long long)st->first, (long long)st->last);
	print_sorted(fp, types, st->per_type);
	print_sorted(fp, campaigns, NULL);
	fclose(fp);
	out->runs = mql_timeline_run_count(t);
	mql_timeline_close(t);
	mql_contacts_free(c);
}

/* 1..4 threads give what one gives: same events in the same order (ties
 * in file order), statistics and names. */
static void threads_read_as_one(void)
{
	CU_ASSERT_EQUAL_FATAL(write_history(), 0);
	const char *paths[] = {history_path, shuffled_history_path,
			       quoted_history_path};
	const mql_timeline_order orders[] = {MQL_TIMELINE_BY_CONTACT,
					     MQL_TIMELINE_BY_TIME};
	for (int p = 0; p < 3; p++) {
		for (int o = 0; o < 2; o++) {
			reading one = {0};
			/* 100 records a chunk: runs spill */
			read_timeline(&one, paths[p], orders[o], 3200, 1);
			CU_ASSERT(one.runs > 50);
			for (int threads = 2; threads <= 4; threads++) {
				reading many = {0};
				read_timeline(&many, paths[p], orders[o], 3200,
					      threads);
				CU_ASSERT_EQUAL(many.size, one.size);
				CU_ASSERT(many.size == one.size &&
					  memcmp(many.text, one.text,
						 one.size) == 0);
				free(many.text);
			}
			free(one.text);
		}
	}
}

/* The bad row's error, with its file line, whatever the threads. */
static void threads_report_the_bad_row(void)
{
	mql_contacts *c = contacts_of(history_contacts_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	for (int threads = 1; threads <= 4; threads++) {
		mql_timeline_options topt;
		mql_timeline_options_init(&topt);
		topt.chunk_bytes = 3200;
		topt.threads = threads;
		mql_timeline *t = NULL;
		mql_error err;
		memset(&err, 0, sizeof err);
		CU_ASSERT_EQUAL(mql_timeline_open(&t, bad_path, c, &opt,
						  MQL_TIME_NONE, &topt, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(t);
		CU_ASSERT_EQUAL(err.line, BAD_LINE);
		CU_ASSERT_EQUAL(err.column, 2);
	}
	mql_contacts_free(c);
	unlink(history_path);
	unlink(shuffled_history_path);
	unlink(bad_path);
	unlink(history_contacts_path);
}

/* ---- the pipe between the merge and the caller ---------------------- */

#define PIPE_EVENTS 250000
#define BIG_CONTACT 7 /* 70,000 events: more than a block */

/* Events 0..PIPE_EVENTS-1 (or up to fail_at, then an error); contact c
 * has c % 50 + 1 events, except BIG_CONTACT's 70,000. */
typedef struct counting_source {
	size_t next, fail_at;
	uint32_t contact;
	size_t left_of_contact;
} counting_source;

static int count_events(void *context, mql_event *out, size_t room, size_t *got,
			mql_error *err)
{
	counting_source *s = context;
	*got = 0;
	while (*got < room) {
		if (s->next == s->fail_at)
			return mql_error_set(err, MQL_ERR_IO, "run", 0, 0,
					     "broken");
		if (s->next == PIPE_EVENTS)
			break;
		while (s->left_of_contact == 0) {
			s->contact++;
			s->left_of_contact = s->contact == BIG_CONTACT
						     ? 70000
						     : s->contact % 50 + 1;
		}
		s->left_of_contact--;
		mql_event *ev = &out[(*got)++];
		ev->contact = s->contact;
		ev->type = 0;
		ev->campaign = -1;
		ev->at = (mql_time)s->next++;
	}
	return *got > 0;
}

/* Every event once in order; with whole contacts no contact is cut
 * between blocks, else blocks are 65,536 events but the last. */
static void pipe_hands_over_every_event(void)
{
	for (int whole = 0; whole <= 1; whole++) {
		counting_source source = {0, (size_t)-1, 0, 0};
		mql_event_pipe *pipe = NULL;
		mql_error err;
		CU_ASSERT_EQUAL_FATAL(mql_timeline_pipe_start(&pipe,
							      count_events,
							      &source, whole),
				      0);
		const mql_event *events;
		size_t count, seen = 0, blocks = 0;
		int in_order = 1, cut = 0, sizes = 1;
		uint32_t last_contact = UINT32_MAX;
		while (mql_timeline_pipe_next(pipe, &events, &count, &err) ==
		       1) {
			for (size_t i = 0; i < count; i++)
				in_order &=
					events[i].at == (mql_time)(seen + i);
			cut |= events[0].contact == last_contact;
			last_contact = events[count - 1].contact;
			seen += count;
			blocks++;
			if (!whole && seen < PIPE_EVENTS)
				sizes &= count == 65536;
		}
		CU_ASSERT_EQUAL(seen, PIPE_EVENTS);
		CU_ASSERT(in_order);
		CU_ASSERT(sizes);
		CU_ASSERT(whole ? !cut && blocks >= 3 : blocks == 4);
		CU_ASSERT_EQUAL(
			mql_timeline_pipe_next(pipe, &events, &count, &err), 0);
		mql_timeline_pipe_stop(pipe);
	}
}

/* The source's error reaches the caller; stopping early is clean. */
static void pipe_reports_errors_and_stops_early(void)
{
	counting_source source = {0, 100000, 0, 0};
	mql_event_pipe *pipe = NULL;
	mql_error err;
	memset(&err, 0, sizeof err);
	CU_ASSERT_EQUAL_FATAL(
		mql_timeline_pipe_start(&pipe, count_events, &source, 1), 0);
	const mql_event *events;
	size_t count;
	int status;
	while ((status = mql_timeline_pipe_next(pipe, &events, &count, &err)) ==
	       1)
		;
	CU_ASSERT_EQUAL(status, MQL_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.message, "broken");
	mql_timeline_pipe_stop(pipe);

	counting_source endless = {0, (size_t)-1, 0, 0};
	CU_ASSERT_EQUAL_FATAL(
		mql_timeline_pipe_start(&pipe, count_events, &endless, 0), 0);
	CU_ASSERT_EQUAL(mql_timeline_pipe_next(pipe, &events, &count, &err), 1);
	mql_timeline_pipe_stop(pipe);
	mql_timeline_pipe_stop(NULL);
}

/* ---- the sorts and the merge by blocks of contacts ------------------ */

/* A record's place in the reference order: (contact, time, then its
 * original position, kept in type_campaign). */
static int reference_order(const void *pa, const void *pb)
{
	const mql_timeline_record *a = pa, *b = pb;
	if (a->contact != b->contact)
		return a->contact < b->contact ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->type_campaign > b->type_campaign) -
	       (a->type_campaign < b->type_campaign);
}

/* A small deterministic generator (xorshift), so failures repeat. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* n records, contact rows below 2^bits, times among few values so that
 * equal keys are common; type_campaign numbers them. */
static mql_timeline_record *random_records(size_t n, unsigned bits,
					   uint64_t *state)
{
	mql_timeline_record *r = malloc((n ? n : 1) * sizeof *r);
	for (size_t i = 0; r && i < n; i++) {
		uint64_t x = next_random(state);
		r[i].contact = bits ? (uint32_t)(x >> (64 - bits)) : 0;
		r[i].at = (mql_time)(x % 7);
		r[i].type_campaign = (uint32_t)i;
	}
	return r;
}

/* Stable sorts by (contact, time) of contact rows of every width, the one
 * pass of high and low halves (up to 22 bits) and the radix passes past
 * it, give what qsort gives with the original place breaking ties. */
static void sort_by_contact_is_stable(void)
{
	const unsigned widths[] = {0, 1, 5, 11, 20, 22, 23, 31, 32};
	const size_t sizes[] = {0, 1, 2, 33, 5000, 70000};
	uint64_t state = 88172645463325252u;
	for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
		for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
			size_t n = sizes[k];
			mql_timeline_record *records =
				random_records(n, widths[w], &state);
			mql_timeline_record *expected =
				malloc((n ? n : 1) * sizeof *expected);
			mql_timeline_record *scratch =
				malloc((n ? n : 1) * sizeof *scratch);
			CU_ASSERT_FATAL(records && expected && scratch);
			memcpy(expected, records, n * sizeof *records);
			qsort(expected, n, sizeof *expected, reference_order);
			mql_timeline_record *sorted = mql_timeline_sort(
				MQL_TIMELINE_BY_CONTACT, records, scratch, n);
			CU_ASSERT(n == 0 || memcmp(sorted, expected,
						   n * sizeof *sorted) == 0);
			free(records);
			free(expected);
			free(scratch);
		}
	}
}

/* Runs in memory over the same contacts, each sorted by (contact, time),
 * merged a block of contacts at a time, give what a heap merge gives:
 * (contact, time, run, the run's order).  One contact has more events
 * than a block holds. */
static void blocks_merge_as_a_heap_would(void)
{
	enum { RUNS = 5, PER_RUN = 40000, BIG = 150000 };
	uint64_t state = 0x9E3779B97F4A7C15u;
	mql_timeline_run runs[RUNS];
	mql_timeline_record *all = malloc((RUNS * PER_RUN + BIG) * sizeof *all);
	CU_ASSERT_FATAL(all != NULL);
	size_t total = 0;
	for (int k = 0; k < RUNS; k++) {
		size_t n = PER_RUN + (k == 2 ? BIG : 0);
		mql_timeline_record *records = random_records(n, 14, &state);
		CU_ASSERT_FATAL(records != NULL);
		for (size_t i = 0; i < n; i++)
			if (k == 2 && i >= PER_RUN)
				records[i].contact = 777; /* the big one */
		/* a run's own order: by (contact, time), then as written */
		qsort(records, n, sizeof *records, reference_order);
		memset(&runs[k], 0, sizeof runs[k]);
		runs[k].buffer = records;
		runs[k].buffered = n;
		runs[k].first = records[0];
		runs[k].last = records[n - 1];
		for (size_t i = 0; i < n; i++) /* run, then run order */
			records[i].type_campaign = (uint32_t)(total + i);
		memcpy(all + total, records, n * sizeof *records);
		total += n;
	}
	qsort(all, total, sizeof *all, reference_order);

	mql_timeline_blocks blocks;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		mql_timeline_blocks_start(&blocks, runs, RUNS, total, &err), 0);
	const mql_timeline_record *got;
	size_t count, seen = 0, calls = 0;
	int same = 1, status;
	while ((status = mql_timeline_blocks_next(&blocks, &got, &count, "/tmp",
						  &err)) == 1) {
		same &= seen + count <= total &&
			memcmp(got, all + seen, count * sizeof *got) == 0;
		seen += count;
		calls++;
	}
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT_EQUAL(seen, total);
	CU_ASSERT(same);
	CU_ASSERT(calls > 1);
	mql_timeline_blocks_release(&blocks);
	for (int k = 0; k < RUNS; k++)
		free(runs[k].buffer);
	free(all);
}

static void remove_files(void)
{
	const char *paths[] = {contacts_path,	      events_path,
			       sorted_path,	      history_path,
			       shuffled_history_path, bad_path,
			       history_contacts_path, quoted_history_path};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		if (paths[i][0])
			unlink(paths[i]);
	rmdir(dir);
}

static void setup(void)
{
	CU_ASSERT_EQUAL_FATAL(write_files(), 0);
}

static void cleanup(void)
{
	remove_files();
}

CU_TestInfo test_timeline[] = {
	{"write files", setup},
	{"shuffled file comes out in time order",
	 shuffled_file_comes_out_in_time_order},
	{"contacts come grouped in time order",
	 contacts_come_grouped_in_time_order},
	{"sorted file stays as it is", sorted_file_stays_as_it_is},
	{"runs share a file", runs_share_a_file},
	{"missing file is reported", missing_file_is_reported},
	{"threads read as one", threads_read_as_one},
	{"threads report the bad row", threads_report_the_bad_row},
	{"pipe hands over every event", pipe_hands_over_every_event},
	{"pipe reports errors and stops early",
	 pipe_reports_errors_and_stops_early},
	{"sort by contact is stable", sort_by_contact_is_stable},
	{"blocks merge as a heap would", blocks_merge_as_a_heap_would},
	{"remove files", cleanup},
	CU_TEST_INFO_NULL,
};
