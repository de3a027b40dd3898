/*
 * funnel_wait.c - time to MQL, SAL and SQL per group by Kaplan-Meier (see
 * funnel.h for what is measured and how rejection is treated).
 *
 * Waits are kept in whole seconds, which the survival engine sorts in
 * fewer passes than days, and each row's wait is worked out once: in row
 * order, then moved group after group by a counting sort on the group.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "funnel_internal.h"
#include "huge_pages.h"

/* Below this many contacts the waits are computed on one thread. */
#define THREAD_MIN_ROWS 65536

/* Where each wait starts and ends (contacts-table stages). */
static const int wait_stages[MQL_FUNNEL_WAITS][2] = {
	{MQL_STAGE_CREATED, MQL_STAGE_MQL},
	{MQL_STAGE_MQL, MQL_STAGE_SAL},
	{MQL_STAGE_MQL, MQL_STAGE_SQL}};

/* The waits of every group, laid out group after group. */
typedef struct wait_sample {
	int64_t *seconds; /* row order, then group order */
	int *event;	  /* -1 in row order: the row is not measured */
	int64_t *grouped_seconds;
	int *grouped_event;
	size_t *start; /* group k's subjects: [start[k], start[k + 1]) */
	size_t count;
} wait_sample;

/*
 * Row's wait: 1 with *seconds and *event set, 0 when the row is not measured
 * (not at the origin stage by as_of, or dated in reverse: *negative set).
 * From MQL on, a rejection by sales is a competing outcome (event 2) at
 * its date; a lead still waiting is censored at as_of (event 0).
 */
static int row_wait(const mql_contacts *c, size_t row, int wait, mql_time as_of,
		    int64_t *seconds, int *event, int *negative)
{
	mql_time origin = c->stage_at[wait_stages[wait][0]][row];
	mql_time target = c->stage_at[wait_stages[wait][1]][row];
	mql_time rejected = c->stage_at[MQL_STAGE_REJECTED][row];
	*negative = 0;
	if (origin == MQL_TIME_NONE || as_of == MQL_TIME_NONE || origin > as_of)
		return 0;
	if (target != MQL_TIME_NONE && target <= as_of) {
		if (target < origin) {
			*negative = 1;
			return 0;
		}
		*seconds = target - origin;
		*event = 1;
		return 1;
	}
	if (wait != MQL_WAIT_TO_MQL && rejected != MQL_TIME_NONE &&
	    rejected <= as_of) {
		if (rejected < origin) {
			*negative = 1;
			return 0;
		}
		*seconds = rejected - origin;
		*event = 2;
		return 1;
	}
	*seconds = as_of - origin;
	*event = 0;
	return 1;
}

/* Works out every row's wait in row order, counts the measured rows of
 * each group into sample->start and the reversed dates into *negatives. */
static void measure_rows(wait_sample *sample, const mql_funnel *f,
			 const mql_contacts *c, const int32_t *row_group,
			 int wait, size_t *negatives)
{
	int negative;
	for (size_t k = 0; k <= f->group_count; k++)
		sample->start[k] = 0;
	for (size_t row = 0; row < c->count; row++) {
		sample->event[row] = -1;
		if (row_group[row] < 0)
			continue;
		if (row_wait(c, row, wait, f->as_of, &sample->seconds[row],
			     &sample->event[row], &negative))
			sample->start[row_group[row] + 1]++;
		else
			*negatives += (size_t)negative;
	}
	for (size_t k = 0; k < f->group_count; k++)
		sample->start[k + 1] += sample->start[k];
	sample->count = sample->start[f->group_count];
}

/* Moves the measured rows group after group (row order within one). */
static void group_rows(wait_sample *sample, const mql_funnel *f,
		       const mql_contacts *c, const int32_t *row_group,
		       size_t *next)
{
	for (size_t k = 0; k < f->group_count; k++)
		next[k] = sample->start[k];
	for (size_t row = 0; row < c->count; row++) {
		if (sample->event[row] < 0)
			continue;
		size_t at = next[row_group[row]]++;
		sample->grouped_seconds[at] = sample->seconds[row];
		sample->grouped_event[at] = sample->event[row];
	}
}

/* Fits one curve and keeps its summary (and the curve when asked). */
static int fit_wait(mql_wait *out, const int64_t *seconds, const int *event,
		    size_t n, int keep, mql_error *err)
{
	mql_survival *curve = NULL;
	int status = mql_survival_fit_ticks(&curve, seconds, event, n,
					    MQL_SECONDS_PER_DAY, keep, err);
	if (status != MQL_OK)
		return status;
	out->subjects = curve->subjects;
	out->events = curve->events;
	out->median = curve->median;
	out->p90 = curve->p90;
	if (keep)
		out->curve = curve;
	else
		mql_survival_free(curve);
	return MQL_OK;
}

static int fit_groups(mql_funnel *f, const wait_sample *sample, int wait,
		      int keep, mql_error *err)
{
	int status = MQL_OK;
	for (size_t k = 0; k < f->group_count && status == MQL_OK; k++) {
		size_t from = sample->start[k];
		status = fit_wait(&f->groups[k].wait[wait],
				  sample->grouped_seconds + from,
				  sample->grouped_event + from,
				  sample->start[k + 1] - from, keep, err);
	}
	if (status == MQL_OK)
		status = fit_wait(&f->total.wait[wait], sample->grouped_seconds,
				  sample->grouped_event, sample->count, keep,
				  err);
	return status;
}

/* Some of the waits, [first, last), computed on one thread. */
typedef struct wait_job {
	mql_funnel *f; /* each job writes only its waits' results */
	const mql_contacts *c;
	const int32_t *row_group;
	int keep_curves;
	int first, last;
	size_t negative_waits;
	int status;
	mql_error err;
} wait_job;

static void *run_waits(void *arg)
{
	wait_job *job = arg;
	mql_funnel *f = job->f;
	wait_sample sample = {0};
	size_t n = job->c->count ? job->c->count : 1;
	size_t groups = f->group_count + 1;
	size_t *next = malloc(groups * sizeof *next);
	int status = MQL_OK;
	sample.seconds = malloc(n * sizeof *sample.seconds);
	sample.event = malloc(n * sizeof *sample.event);
	sample.grouped_seconds = malloc(n * sizeof *sample.grouped_seconds);
	sample.grouped_event = malloc(n * sizeof *sample.grouped_event);
	sample.start = malloc(groups * sizeof *sample.start);
	mql_advise_huge_pages(sample.seconds, n * sizeof *sample.seconds);
	mql_advise_huge_pages(sample.event, n * sizeof *sample.event);
	mql_advise_huge_pages(sample.grouped_seconds,
			      n * sizeof *sample.grouped_seconds);
	mql_advise_huge_pages(sample.grouped_event,
			      n * sizeof *sample.grouped_event);
	if (!next || !sample.seconds || !sample.event ||
	    !sample.grouped_seconds || !sample.grouped_event || !sample.start)
		status = mql_error_set(&job->err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	for (int w = job->first; w < job->last && status == MQL_OK; w++) {
		measure_rows(&sample, f, job->c, job->row_group, w,
			     &job->negative_waits);
		group_rows(&sample, f, job->c, job->row_group, next);
		status = fit_groups(f, &sample, w,
				    job->keep_curves && w == MQL_WAIT_TO_MQL,
				    &job->err);
	}
	free(next);
	free(sample.seconds);
	free(sample.event);
	free(sample.grouped_seconds);
	free(sample.grouped_event);
	free(sample.start);
	job->status = status;
	return NULL;
}

/*
 * The time to MQL (every lead) on a second thread while this one does the
 * two waits from MQL (the MQLs only, twice): about the same work.  Small
 * tables and single processors keep to one thread.  The results are the
 * same either way: each wait is computed whole by one job.
 */
int mql_funnel_compute_waits(mql_funnel *f, const mql_contacts *c,
			     const int32_t *row_group, int keep_curves,
			     mql_error *err)
{
	wait_job jobs[2];
	pthread_t thread;
	int threaded = c->count >= THREAD_MIN_ROWS &&
		       sysconf(_SC_NPROCESSORS_ONLN) > 1;
	memset(jobs, 0, sizeof jobs);
	for (int j = 0; j < 2; j++) {
		jobs[j].f = f;
		jobs[j].c = c;
		jobs[j].row_group = row_group;
		jobs[j].keep_curves = keep_curves;
	}
	jobs[0].first = MQL_WAIT_TO_MQL;
	jobs[0].last = MQL_WAIT_MQL_TO_SAL;
	jobs[1].first = MQL_WAIT_MQL_TO_SAL;
	jobs[1].last = MQL_FUNNEL_WAITS;
	threaded = threaded &&
		   pthread_create(&thread, NULL, run_waits, &jobs[0]) == 0;
	if (!threaded)
		run_waits(&jobs[0]);
	run_waits(&jobs[1]);
	if (threaded)
		pthread_join(thread, NULL);
	f->negative_waits += jobs[0].negative_waits + jobs[1].negative_waits;
	for (int j = 0; j < 2; j++) {
		if (jobs[j].status != MQL_OK) {
			if (err)
				*err = jobs[j].err;
			return jobs[j].status;
		}
	}
	return MQL_OK;
}
