/*
 * events_summary.c - a whole events file read by several threads
 * (mql_events_scan_ranges), and its statistics (mql_events_summarize).
 *
 * A regular file is cut into byte ranges at row starts, one per thread
 * (csv_ranges.h), each read by its own reader with its own type
 * dictionary and statistics; callers merge them by type name in range
 * order, which is the file's order of first appearance.  The first range
 * with an error has the error the sequential reader would give.  A
 * summary cuts at the line ends it meets and reads again when one was
 * inside a quoted field; so does a scan whose caller can drop what it was
 * handed, the others counting the quotes before they cut.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parallel.h"
#include "csv_ranges.h"
#include "events_internal.h"

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
	mql_events_stats_add(sum, part);
	for (size_t i = 0; i < types->count; i++) {
		int32_t index = mql_dict_intern(&out->types, types->names[i],
						types->lengths[i]);
		if (index < 0 || mql_events_stats_reserve(sum, index))
			return MQL_ERR_NOMEM;
		if (i < part->per_type_count)
			sum->per_type[index] += part->per_type[i];
	}
	return 0;
}

/*
 * Cuts the file into ranges for up to jobs' count; returns the number of
 * ranges (1 when the file is not a regular file or too small to share).
 */
static int plan_ranges(range_job *jobs, int threads, enum mql_csv_cuts cuts,
		       mql_error *err, int *status)
{
	range_job *lead = jobs;
	int64_t first;
	long first_line;
	*status = 0;
	mql_events_position(lead->reader, &first, &first_line);
	lead->begin = first;
	lead->end = -1;
	lead->line = first_line;
	if (threads == 1)
		return 1;
	mql_csv_range ranges[MQL_CSV_MAX_RANGES];
	int count = 0;
	*status = mql_csv_ranges_plan(
		ranges, &count, lead->path, first, first_line, threads,
		MQL_EVENTS_MAX_THREADS, threads <= 0 ? AUTO_MIN_BYTES : 0, cuts,
		err);
	if (*status)
		return 0;
	if (count < 2)
		return 1;
	for (int k = 0; k < count; k++) {
		range_job *job = &jobs[k];
		*job = *lead;
		job->index = k;
		if (k > 0)
			job->reader = NULL;
		job->begin = ranges[k].begin;
		job->end = ranges[k].end;
		job->line = ranges[k].line;
	}
	return count;
}

/* The error of the first range that has one, its line a line of the file;
 * *misplaced: whether a cut was inside a quoted field (csv_ranges.h). */
static int first_error(const range_job *jobs, int ranges, int status,
		       int *misplaced, mql_error *err)
{
	mql_csv_range read[MQL_CSV_MAX_RANGES];
	*misplaced = 0;
	if (status)
		return status;
	for (int k = 0; k < ranges; k++) {
		int64_t offset;
		memset(&read[k], 0, sizeof read[k]);
		read[k].line = jobs[k].line;
		read[k].status = jobs[k].status;
		read[k].err = jobs[k].err;
		if (jobs[k].reader) {
			mql_events_position(jobs[k].reader, &offset,
					    &read[k].end_line);
			read[k].in_quotes =
				mql_events_ended_in_quotes(jobs[k].reader);
		}
	}
	*misplaced = mql_csv_ranges_misplaced(read, ranges);
	return mql_csv_ranges_first_error(read, ranges, err);
}

/* One reading of the file, its ranges cut as cuts says; *misplaced as
 * first_error's.  Otherwise as mql_events_scan_ranges. */
static int scan_cut(mql_events *readers[MQL_EVENTS_MAX_THREADS],
		    int *ranges_out, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    mql_time future_after, int threads,
		    const mql_events_scan_ops *ops, enum mql_csv_cuts cuts,
		    int *misplaced, mql_error *err)
{
	range_job jobs[MQL_EVENTS_MAX_THREADS];
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = NULL;
	*ranges_out = 0;
	*misplaced = 0;
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
	int ranges = plan_ranges(jobs, threads, cuts, err, &status);
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
	mql_run_jobs(run_range, jobs, sizeof *jobs, ranges);
	status = first_error(jobs, ranges, status, misplaced, err);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = jobs[k].reader;
	*ranges_out = ranges;
	return status;
}

int mql_events_scan_ranges(mql_events *readers[MQL_EVENTS_MAX_THREADS],
			   int *ranges_out, const char *path,
			   const mql_contacts *contacts,
			   const mql_csv_options *opt, mql_time future_after,
			   int threads, const mql_events_scan_ops *ops,
			   mql_error *err)
{
	/* Cuts at line ends as they come, and a cut that fell inside a
	 * quoted field made again outside quotes, the readers discarded and
	 * what ops built dropped.  Ops that cannot drop it get cuts outside
	 * quotes from the start, counting them first. */
	int misplaced;
	enum mql_csv_cuts cuts = !ops || ops->restart
					 ? MQL_CSV_CUT_AT_LINE_ENDS
					 : MQL_CSV_CUT_OUTSIDE_QUOTES;
	int status =
		scan_cut(readers, ranges_out, path, contacts, opt, future_after,
			 threads, ops, cuts, &misplaced, err);
	if (!misplaced || cuts == MQL_CSV_CUT_OUTSIDE_QUOTES)
		return status;
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		mql_events_close(readers[k]);
	if (ops)
		ops->restart(ops->context);
	return scan_cut(readers, ranges_out, path, contacts, opt, future_after,
			threads, ops, MQL_CSV_CUT_OUTSIDE_QUOTES, &misplaced,
			err);
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
