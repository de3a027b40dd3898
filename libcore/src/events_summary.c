/*
 * events_summary.c - a whole events file read by several threads
 * (mql_events_scan), and its statistics (mql_events_summarize).
 *
 * A regular file is cut into byte ranges at row starts, one per thread
 * (csv_ranges.h, MQL_CSV_CUT_CHECKED: the cuts are known to be row starts
 * before any range is read, so no range is read twice), each read by its
 * own reader.  The readers share one set of names (events_internal.h):
 * each maps its own type and campaign indices to the scan's ids the first
 * time it meets them, so every event leaves the scan with the ids of the
 * whole file.  The first range with an error has the error the sequential
 * reader would give.
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
	const mql_events_scan_options *so;
	mql_events_names *names;
	int64_t begin, end;
	long line;
	mql_events *reader;
	const mql_events_scan_ops *ops;
	int index; /* the range's place in file order */
	int status;
	mql_error err;
} range_job;

void mql_events_scan_options_init(mql_events_scan_options *o)
{
	memset(o, 0, sizeof *o);
	o->future_after = MQL_TIME_NONE;
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

/* Opens a reader for job sharing its scan's names. */
static int open_reader(range_job *job)
{
	int status =
		mql_events_open(&job->reader, job->path, job->contacts,
				job->opt, job->so->future_after, &job->err);
	if (status)
		return status;
	mql_events_share_names(job->reader, job->names);
	if (job->so->ignore_campaigns)
		mql_events_ignore_campaigns(job->reader);
	return 0;
}

/* Reads the job's range to its end; the reader may be open already. */
static void *run_range(void *arg)
{
	range_job *job = arg;
	int status = job->reader ? 0 : open_reader(job);
	if (!status && job->ops && job->ops->start)
		status = job->ops->start(job->ops->context, job->index,
					 &job->err);
	if (!status && job->end >= 0)
		status = mql_events_set_range(job->reader, job->begin, job->end,
					      job->line, &job->err);
	if (!status)
		status = visit_events(job->reader, job->ops, job->index,
				      &job->err);
	job->status = status;
	return NULL;
}

/*
 * Cuts the file into ranges for up to jobs' count; returns the number of
 * ranges (1, its end -1, when the file is not a regular file or too small
 * to share).
 */
static int plan_ranges(range_job *jobs, int threads, mql_error *err,
		       int *status)
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
		MQL_EVENTS_MAX_THREADS, threads <= 0 ? AUTO_MIN_BYTES : 0,
		MQL_CSV_CUT_CHECKED, err);
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

/* The error of the first range that has one, its line a line of the
 * file. */
static int first_error(const range_job *jobs, int ranges, mql_error *err)
{
	mql_csv_range read[MQL_CSV_MAX_RANGES];
	for (int k = 0; k < ranges; k++) {
		int64_t offset;
		memset(&read[k], 0, sizeof read[k]);
		read[k].line = jobs[k].line;
		read[k].status = jobs[k].status;
		read[k].err = jobs[k].err;
		if (jobs[k].reader)
			mql_events_position(jobs[k].reader, &offset,
					    &read[k].end_line);
	}
	return mql_csv_ranges_first_error(read, ranges, err);
}

/*
 * Reads the file into readers[0..*ranges) (the caller closes every one of
 * readers[0..MQL_EVENTS_MAX_THREADS), NULL where unused), their events with
 * names' ids.  Returns as mql_events_scan.
 */
static int scan_ranges(mql_events *readers[MQL_EVENTS_MAX_THREADS],
		       int *ranges_out, const char *path,
		       const mql_contacts *contacts, const mql_csv_options *opt,
		       const mql_events_scan_options *so,
		       mql_events_names *names, const mql_events_scan_ops *ops,
		       mql_error *err)
{
	range_job jobs[MQL_EVENTS_MAX_THREADS];
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = NULL;
	*ranges_out = 0;
	memset(jobs, 0, sizeof jobs);
	jobs[0].path = path;
	jobs[0].contacts = contacts;
	jobs[0].opt = opt;
	jobs[0].so = so;
	jobs[0].names = names;
	jobs[0].ops = ops;
	int status = open_reader(&jobs[0]);
	if (status) {
		*err = jobs[0].err;
		return status;
	}
	int ranges = plan_ranges(jobs, so->threads, err, &status);
	if (ranges == 1 && !status) {
		/* the whole file, read as it comes (stdin, pipes) */
		run_range(&jobs[0]);
		status = jobs[0].status;
		if (status)
			*err = jobs[0].err;
	} else if (!status) {
		mql_parallel_run_jobs(run_range, jobs, sizeof *jobs, ranges);
		status = first_error(jobs, ranges, err);
	}
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		readers[k] = jobs[k].reader;
	*ranges_out = ranges ? ranges : 1;
	return status;
}

/* Interns the given types into names, and reads the clock once. */
static int prepare_names(mql_events_names *names, mql_events_scan_options *so)
{
	pthread_mutex_init(&names->lock, NULL);
	mql_dict_init(&names->types);
	mql_dict_init(&names->campaigns);
	if (so->future_after == MQL_TIME_NONE)
		so->future_after = (mql_time)time(NULL);
	for (size_t i = 0; i < so->type_count; i++)
		if (mql_dict_intern(&names->types, so->types[i],
				    strlen(so->types[i])) < 0)
			return MQL_ERR_NOMEM;
	return 0;
}

static void release_names(mql_events_names *names)
{
	mql_dict_release(&names->types);
	mql_dict_release(&names->campaigns);
	pthread_mutex_destroy(&names->lock);
}

/* The reader of the scan's result: the names, every range's statistics. */
static int scanned_reader(mql_events **out, mql_events_names *names,
			  mql_events *const readers[MQL_EVENTS_MAX_THREADS])
{
	int status = mql_events_new_scanned(out, names);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS && !status; k++)
		if (readers[k])
			status = mql_events_add_stats(*out, readers[k]);
	return status;
}

int mql_events_scan(mql_events **out, const char *path,
		    const mql_contacts *contacts, const mql_csv_options *opt,
		    const mql_events_scan_options *so,
		    const mql_events_scan_ops *ops, mql_error *err)
{
	mql_events *readers[MQL_EVENTS_MAX_THREADS];
	mql_events_scan_options options;
	mql_events_names names;
	int ranges = 0;
	*out = NULL;
	if (so)
		options = *so;
	else
		mql_events_scan_options_init(&options);
	int status = prepare_names(&names, &options);
	if (!status)
		status = scan_ranges(readers, &ranges, path, contacts, opt,
				     &options, &names, ops, err);
	else
		memset(readers, 0, sizeof readers);
	if (!status)
		status = scanned_reader(out, &names, readers);
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		mql_events_close(readers[k]);
	release_names(&names);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	if (status) {
		mql_events_close(*out);
		*out = NULL;
	}
	return status;
}

/*
 * Adds one range reader's types to out in its order of first appearance,
 * each with the whole file's count (total, by the scan's ids) the first
 * time it is met: ranges taken in file order give the file's order.
 */
static int merge_types(mql_events_summary *out, const mql_events *reader,
		       const mql_events_stats *total)
{
	const mql_dict *types = mql_events_types(reader);
	for (size_t i = 0; i < types->count; i++) {
		size_t before = out->types.count;
		int32_t index = mql_dict_intern(&out->types, types->names[i],
						types->lengths[i]);
		if (index < 0 || mql_events_stats_reserve(&out->stats, index))
			return MQL_ERR_NOMEM;
		int32_t id = mql_events_global_type(reader, (int32_t)i);
		if (out->types.count > before && id >= 0 &&
		    (size_t)id < total->per_type_count)
			out->stats.per_type[index] = total->per_type[id];
	}
	return 0;
}

int mql_events_summarize(mql_events_summary *out, const char *path,
			 const mql_contacts *contacts,
			 const mql_csv_options *opt, mql_time future_after,
			 int threads, mql_error *err)
{
	mql_events *readers[MQL_EVENTS_MAX_THREADS];
	mql_events *all = NULL;
	mql_events_scan_options so;
	mql_events_names names;
	int ranges = 0;
	memset(out, 0, sizeof *out);
	mql_dict_init(&out->types);
	out->stats.first = out->stats.last = MQL_TIME_NONE;
	mql_events_scan_options_init(&so);
	so.future_after = future_after;
	so.threads = threads;
	int status = prepare_names(&names, &so);
	if (!status)
		status = scan_ranges(readers, &ranges, path, contacts, opt, &so,
				     &names, NULL, err);
	else
		memset(readers, 0, sizeof readers);
	if (!status)
		status = scanned_reader(&all, &names, readers);
	if (!status)
		mql_events_stats_add(&out->stats, mql_events_get_stats(all));
	for (int k = 0; k < ranges && !status; k++)
		status =
			merge_types(out, readers[k], mql_events_get_stats(all));
	for (int k = 0; k < MQL_EVENTS_MAX_THREADS; k++)
		mql_events_close(readers[k]);
	mql_events_close(all);
	release_names(&names);
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
