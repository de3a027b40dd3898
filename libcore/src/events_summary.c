/*
 * events_summary.c - a whole events file read by several threads
 * (mql_events_scan_ranges), and its statistics (mql_events_summarize).
 *
 * A regular file is cut into byte ranges, one per thread, each starting at a
 * row: the first line end after the nominal cut that is outside quotes.  In
 * RFC 4180 a quote inside a quoted field is doubled, so an even number of
 * quote bytes since the first data row means the position is outside quotes.
 * A range counts its lines from 1; once the ranges before it are read, their
 * line counts give its true first line, so an error keeps its exact
 * file:line:column without a pass that counts every line end first.  Each range
 * gets its own reader, type dictionary and statistics; callers merge them by
 * type name in range order, which is the file's order of first appearance.  A
 * range can only start cleanly if the rows before it had no error, so the
 * first range with an error has the error the sequential reader would give.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "events_internal.h"

#define SCAN_BLOCK     (1u << 20)
#define AUTO_MIN_BYTES (4 << 20) /* smaller files: one thread is faster */

typedef struct range_job {
	const char *path;
	const mql_contacts *contacts;
	const mql_csv_options *opt;
	mql_time future_after;
	int64_t begin, end;
	long line;
	mql_events *reader;
	const mql_events_scan_ops *ops;
	int index; /* the range's place in file order */
	int status;
	mql_error err;
} range_job;

/* Number of quotes in s[0..len): memchr skips the long runs without. */
static size_t count_quotes(const unsigned char *s, size_t len)
{
	size_t count = 0;
	const unsigned char *end = s + len;
	for (const unsigned char *q = memchr(s, '"', len); q;
	     q = memchr(q + 1, '"', (size_t)(end - q - 1)))
		count++;
	return count;
}

/* Nominal start of range k of n over [first, size). */
static int64_t cut_point(int64_t first, int64_t size, int k, int n)
{
	return first + (int64_t)((double)(size - first) * k / n);
}

/*
 * Fills begin[0..n] with the ranges of the data rows of fd, [begin[k],
 * begin[k + 1]); ranges that find no row start are empty at the end.
 * Returns 0 or MQL_ERR_IO / MQL_ERR_NOMEM.
 */
static int find_starts(int fd, const char *path, int64_t first, int64_t size,
		       int n, int64_t *begin, mql_error *err)
{
	unsigned char *buf = malloc(SCAN_BLOCK);
	if (!buf)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	begin[0] = first;
	int k = 1;
	int64_t target = cut_point(first, size, k, n);
	int64_t offset = first;
	size_t quotes = 0;
	while (k < n && offset < size) {
		size_t want = size - offset < SCAN_BLOCK
				      ? (size_t)(size - offset)
				      : SCAN_BLOCK;
		ssize_t got = pread(fd, buf, want, (off_t)offset);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			free(buf);
			return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
					     "cannot read: %s",
					     got ? strerror(errno)
						 : "file shrank while read");
		}
		const unsigned char *p = buf, *end = buf + got;
		while (p < end && k < n) {
			int64_t at = offset + (p - buf);
			if (at < target) {
				size_t len = target - at < end - p
						     ? (size_t)(target - at)
						     : (size_t)(end - p);
				quotes += count_quotes(p, len);
				p += len;
				continue;
			}
			const unsigned char *nl = memchr(p, '\n', end - p);
			const unsigned char *stop = nl ? nl : end;
			quotes += count_quotes(p, (size_t)(stop - p));
			p = stop;
			if (!nl)
				break;
			p++;
			if (quotes % 2 == 0) {
				begin[k] = offset + (p - buf);
				if (++k < n) {
					target = cut_point(first, size, k, n);
					if (target < begin[k - 1])
						target = begin[k - 1];
				}
			}
		}
		offset += got;
	}
	for (; k < n; k++)
		begin[k] = size;
	begin[n] = size;
	free(buf);
	return 0;
}

/* Hands one reader's events to ops until the end, an error or a stop. */
static int visit_events(mql_events *reader, const mql_events_scan_ops *ops,
			int range, mql_error *err)
{
	mql_event ev;
	int status;
	while ((status = mql_events_next(reader, &ev, err)) == 1) {
		if (ops && ops->event) {
			status = ops->event(ops->context, range, &ev, err);
			if (status)
				return status;
		}
	}
	return status;
}

/* Reads the job's range to its end; the reader may be open already. */
static void *run_range(void *arg)
{
	range_job *job = arg;
	int status = 0;
	if (!job->reader)
		status =
			mql_events_open(&job->reader, job->path, job->contacts,
					job->opt, job->future_after, &job->err);
	if (!status && job->ops && job->ops->start)
		status = job->ops->start(job->ops->context, job->index,
					 job->reader, &job->err);
	if (!status)
		status = mql_events_set_range(job->reader, job->begin, job->end,
					      job->line, &job->err);
	if (!status)
		status = visit_events(job->reader, job->ops, job->index,
				      &job->err);
	job->status = status;
	return NULL;
}

/* Adds the statistics of one reader to out, its types by name. */
static int merge(mql_events_summary *out, const mql_events *reader)
{
	const mql_events_stats *part = mql_events_get_stats(reader);
	const mql_dict *types = mql_events_types(reader);
	mql_events_stats *sum = &out->stats;
	sum->rows += part->rows;
	sum->unknown_contact += part->unknown_contact;
	sum->future += part->future;
	sum->before_created += part->before_created;
	if (part->first != MQL_TIME_NONE &&
	    (sum->first == MQL_TIME_NONE || part->first < sum->first))
		sum->first = part->first;
	if (part->last != MQL_TIME_NONE &&
	    (sum->last == MQL_TIME_NONE || part->last > sum->last))
		sum->last = part->last;
	for (size_t i = 0; i < types->count; i++) {
		int32_t index = mql_dict_intern(&out->types, types->names[i],
						types->lengths[i]);
		if (index < 0)
			return MQL_ERR_NOMEM;
		if ((size_t)index >= sum->per_type_count) {
			size_t count = (size_t)index + 16;
			size_t *bigger =
				realloc(sum->per_type, count * sizeof *bigger);
			if (!bigger)
				return MQL_ERR_NOMEM;
			memset(bigger + sum->per_type_count, 0,
			       (count - sum->per_type_count) * sizeof *bigger);
			sum->per_type = bigger;
			sum->per_type_count = count;
		}
		if (i < part->per_type_count)
			sum->per_type[index] += part->per_type[i];
	}
	return 0;
}

/* Threads to use for a file of data_bytes. */
static int thread_count(int threads, int64_t data_bytes)
{
	if (threads <= 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		threads = data_bytes < AUTO_MIN_BYTES ? 1
			  : online > 0		      ? (int)online
						      : 1;
		if (threads > MQL_EVENTS_MAX_THREADS)
			threads = MQL_EVENTS_MAX_THREADS;
	}
	return threads > MQL_EVENTS_MAX_THREADS ? MQL_EVENTS_MAX_THREADS
						: threads;
}

/*
 * Cuts the file into ranges for up to jobs' count; returns the number of
 * ranges (1 when the file is not a regular file or too small to share).
 */
static int plan_ranges(range_job *jobs, int threads, mql_error *err,
		       int *status)
{
	range_job *lead = jobs;
	int64_t first;
	long first_line;
	struct stat st;
	*status = 0;
	mql_events_position(lead->reader, &first, &first_line);
	lead->begin = first;
	lead->end = -1;
	lead->line = first_line;
	if (threads == 1 || strcmp(lead->path, "-") == 0 ||
	    stat(lead->path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size <= first)
		return 1;
	int n = thread_count(threads, st.st_size - first);
	if (n < 2)
		return 1;
	int fd = open(lead->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	int64_t begin[MQL_EVENTS_MAX_THREADS + 1];
	*status = find_starts(fd, lead->path, first, st.st_size, n, begin, err);
	close(fd);
	if (*status)
		return 0;
	int ranges = 0;
	for (int k = 0; k < n; k++) {
		if (k > 0 && begin[k] == begin[k + 1])
			continue; /* empty */
		range_job *job = &jobs[ranges];
		*job = *lead;
		job->index = ranges++;
		if (k > 0)
			job->reader = NULL;
		job->begin = begin[k];
		if (k > 0)
			job->line = 1; /* until the ranges before are read */
		job->end = begin[k + 1];
	}
	return ranges;
}

/*
 * The error of the first range that has one, its line made a line of the
 * file: a range after the first is read counting lines from 1, and its true
 * first line is known once the ranges before it have been read whole.
 */
static int first_error(const range_job *jobs, int ranges, int status,
		       mql_error *err)
{
	long true_line = jobs[0].line;
	for (int k = 0; k < ranges && !status; k++) {
		status = jobs[k].status;
		if (status) {
			if (err) {
				*err = jobs[k].err;
				if (err->line > 0)
					err->line += true_line - jobs[k].line;
			}
			break;
		}
		int64_t offset;
		long end_line;
		mql_events_position(jobs[k].reader, &offset, &end_line);
		true_line += end_line - jobs[k].line;
	}
	return status;
}

int mql_events_scan_ranges(mql_events *readers[MQL_EVENTS_MAX_THREADS],
			   int *ranges_out, const char *path,
			   const mql_contacts *contacts,
			   const mql_csv_options *opt, mql_time future_after,
			   int threads, const mql_events_scan_ops *ops,
			   mql_error *err)
{
	range_job jobs[MQL_EVENTS_MAX_THREADS];
	pthread_t ids[MQL_EVENTS_MAX_THREADS];
	int started[MQL_EVENTS_MAX_THREADS] = {0};
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = NULL;
	*ranges_out = 0;
	memset(jobs, 0, sizeof jobs);
	jobs[0].path = path;
	jobs[0].contacts = contacts;
	jobs[0].opt = opt;
	jobs[0].future_after = future_after;
	jobs[0].ops = ops;
	int status = mql_events_open(&jobs[0].reader, path, contacts, opt,
				     future_after, err);
	if (status)
		return status;
	int ranges = plan_ranges(jobs, threads, err, &status);
	if (ranges == 1 && jobs[0].end < 0) {
		/* the whole file, read as it comes (stdin, pipes) */
		if (ops && ops->start)
			status = ops->start(ops->context, 0, jobs[0].reader,
					    err);
		if (!status)
			status = visit_events(jobs[0].reader, ops, 0, err);
		readers[0] = jobs[0].reader;
		*ranges_out = 1;
		return status;
	}
	for (int k = 1; k < ranges; k++)
		started[k] =
			pthread_create(&ids[k], NULL, run_range, &jobs[k]) == 0;
	if (ranges > 0)
		run_range(&jobs[0]);
	for (int k = 1; k < ranges; k++) {
		if (started[k])
			pthread_join(ids[k], NULL);
		else
			run_range(&jobs[k]);
	}
	status = first_error(jobs, ranges, status, err);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = jobs[k].reader;
	*ranges_out = ranges;
	return status;
}

int mql_events_summarize(mql_events_summary *out, const char *path,
			 const mql_contacts *contacts,
			 const mql_csv_options *opt, mql_time future_after,
			 int threads, mql_error *err)
{
	mql_events *readers[MQL_EVENTS_MAX_THREADS];
	int ranges = 0;
	memset(out, 0, sizeof *out);
	mql_dict_init(&out->types);
	out->stats.first = out->stats.last = MQL_TIME_NONE;
	/* One clock reading for every range. */
	if (future_after == MQL_TIME_NONE)
		future_after = (mql_time)time(NULL);
	int status =
		mql_events_scan_ranges(readers, &ranges, path, contacts, opt,
				       future_after, threads, NULL, err);
	for (int k = 0; k < ranges && !status; k++)
		status = merge(out, readers[k]);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		mql_events_close(readers[k]);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	if (status)
		mql_events_summary_release(out);
	return status;
}

void mql_events_summary_release(mql_events_summary *s)
{
	if (!s)
		return;
	free(s->stats.per_type);
	mql_dict_release(&s->types);
	memset(s, 0, sizeof *s);
	mql_dict_init(&s->types);
	s->stats.first = s->stats.last = MQL_TIME_NONE;
}
