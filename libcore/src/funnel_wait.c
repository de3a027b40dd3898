/*
 * funnel_wait.c - time to MQL, SAL and SQL per group by Kaplan-Meier (see
 * funnel.h for what is measured and how rejection is treated).
 *
 * Waits are kept in whole seconds, as survival keys (fewer radix passes
 * than days), and each row's wait is worked out once: in row order, then
 * copied group after group by a counting sort on the group.  The total and
 * each group are sorted here, in buffers every wait of a thread reuses,
 * and fitted from their sorted keys.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "radix.h"
#include "funnel_internal.h"
#include "huge_pages.h"

/* Where each wait starts and ends (contacts-table stages). */
static const int wait_stages[MQL_FUNNEL_WAITS][2] = {
	{MQL_STAGE_CREATED, MQL_STAGE_MQL},
	{MQL_STAGE_MQL, MQL_STAGE_SAL},
	{MQL_STAGE_MQL, MQL_STAGE_SQL}};

/*
 * One wait's subjects as survival keys (seconds << 2 | outcome): in row
 * order, then sorted for the total; and group after group, each group
 * sorted on its own.  The three arrays have a row's room each and serve
 * every wait of a thread.
 */
typedef struct wait_sample {
	uint64_t *keys;	   /* the measured rows' keys */
	uint64_t *grouped; /* the same, group after group */
	void *scratch;	   /* the rows' groups, then a sort's buffer */
	size_t *start;	   /* group k's subjects: [start[k], start[k + 1]) */
	size_t count;
	/* Packed: keys hold key << group_bits | group, so one sort orders
	 * the total by time and, split stably by group, every group too. */
	unsigned group_bits;
	int packed;
	int64_t last_outcome; /* the longest wait with an outcome, or -1 */
	size_t *later; /* per group: subjects censored after last_outcome,
			  left out of keys (trim_later) */
} wait_sample;

/* Groups packed into keys are at most this many bits: with waits below
 * 2^46 seconds a packed key always fits (else the keys are sorted per
 * group). */
#define PACKED_GROUP_BITS 16

/*
 * Row's wait: 1 with *seconds and *event set, 0 when the row is not measured
 * (not at the origin stage by as_of, or a lead whose stages are dated out
 * of order, contacts.h: *negative set).  From MQL on, a rejection by sales
 * is a competing outcome (event 2) at its date (a rejection without one is
 * not measured); a lead still waiting is censored at as_of (event 0).
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
	/* a wait in order between two dates of a lead dated out of order
	 * elsewhere is no wait either: mql_at in 2003 for a lead created
	 * in 2026 would be a wait of 23 years to SQL */
	if (mql_contacts_stages_out_of_order(c, row)) {
		*negative = 1;
		return 0;
	}
	if (target != MQL_TIME_NONE && target <= as_of) {
		if (target < origin) {
			*negative = 1;
			return 0;
		}
		*seconds = target - origin;
		*event = 1;
		return 1;
	}
	/* a rejection known only from the lead status has no time */
	if (wait != MQL_WAIT_TO_MQL && mql_contacts_rejected_undated(c, row))
		return 0;
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

/* The most waits a job measures in one pass over the rows. */
#define JOB_WAITS 2

/* Adds row's wait to sample (or its reversed dates to *negatives). */
static inline void measure_row(wait_sample *sample, const mql_funnel *f,
			       const mql_contacts *c, size_t row, int32_t group,
			       int wait, uint64_t *largest, size_t *negatives)
{
	int negative, event;
	int64_t seconds;
	if (!row_wait(c, row, wait, f->as_of, &seconds, &event, &negative)) {
		*negatives += (size_t)negative;
		return;
	}
	uint64_t key = (uint64_t)seconds << 2 | (uint64_t)event;
	*largest |= key;
	if (event && seconds > sample->last_outcome)
		sample->last_outcome = seconds;
	if (sample->packed)
		key = key << sample->group_bits | (uint64_t)group;
	else
		((int32_t *)sample->scratch)[sample->count] = group;
	sample->keys[sample->count++] = key;
	sample->start[group + 1]++;
}

/*
 * Works out every row's waits first .. first + count - 1 in one pass, in
 * row order, into the keys of samples[0 .. count) (each row's group beside
 * it in scratch when not packed), counts the measured rows of each group
 * into their start and the reversed dates into *negatives (NULL: not
 * counted).  A wait is the difference of two dates of years 1 to 9999:
 * far below the 2^61 seconds a key holds.
 */
static void measure_rows(wait_sample *samples, int first, int count,
			 const mql_funnel *f, const mql_contacts *c,
			 const int32_t *row_group, size_t *negatives)
{
	uint64_t largest[JOB_WAITS] = {0};
	size_t uncounted = 0;
	if (!negatives)
		negatives = &uncounted;
	for (int k = 0; k < count; k++) {
		samples[k].count = 0;
		samples[k].last_outcome = -1;
		for (size_t g = 0; g <= f->group_count; g++)
			samples[k].start[g] = 0;
	}
	for (size_t row = 0; row < c->count; row++) {
		int32_t group = row_group[row];
		if (group < 0)
			continue;
		for (int k = 0; k < count; k++)
			measure_row(&samples[k], f, c, row, group, first + k,
				    &largest[k], negatives);
	}
	for (int k = 0; k < count; k++) {
		wait_sample *sample = &samples[k];
		for (size_t g = 0; g < f->group_count; g++)
			sample->start[g + 1] += sample->start[g];
		unsigned bits = sample->group_bits;
		if (sample->packed && bits && largest[k] >> (64 - bits)) {
			/* a wait too long to pack: measure again, unpacked */
			sample->packed = 0;
			measure_rows(sample, first + k, 1, f, c, row_group,
				     NULL);
		}
	}
}

/* Copies the keys group after group (row order within one). */
static void group_rows(wait_sample *sample, const mql_funnel *f, size_t *next)
{
	const int32_t *group_of = sample->scratch;
	for (size_t k = 0; k < f->group_count; k++)
		next[k] = sample->start[k];
	for (size_t i = 0; i < sample->count; i++)
		sample->grouped[next[group_of[i]]++] = sample->keys[i];
}

/*
 * The median in days of the waits of the n sorted keys whose outcome is
 * the stage (event 1), events of them: the middle one, or the mean of the
 * middle two.  NAN when events is 0.  Cannot fail.
 */
static double median_of_events(const uint64_t *keys, size_t n, size_t events)
{
	if (events == 0)
		return NAN;
	size_t low = (events - 1) / 2, high = events / 2, seen = 0;
	double sum = 0.0;
	for (size_t i = 0; i < n && seen <= high; i++) {
		if ((keys[i] & 3) != 1)
			continue;
		double seconds = (double)(keys[i] >> 2);
		if (seen == low)
			sum += seconds;
		if (seen == high)
			sum += seconds;
		seen++;
	}
	return sum / 2.0 / MQL_SECONDS_PER_DAY;
}

/* Fits one curve from sorted keys and keeps its summary (and the curve
 * when asked). */
static int fit_wait(mql_wait *out, const uint64_t *keys, size_t n, size_t later,
		    int keep, mql_error *err)
{
	mql_survival *curve = NULL;
	int status = mql_survival_fit_sorted_ticks_later(
		&curve, keys, n, later, MQL_SECONDS_PER_DAY, keep, err);
	if (status != MQL_OK)
		return status;
	out->subjects = curve->subjects;
	out->events = curve->events;
	out->median = curve->median;
	out->p90 = curve->p90;
	out->median_reached = median_of_events(keys, n, curve->events);
	if (keep)
		out->curve = curve;
	else
		mql_survival_free(curve);
	return MQL_OK;
}

/* Sorts sample's keys: the sorted ones are in keys or scratch, and *spare
 * gets the other array, free for another use. */
static uint64_t *sort_keys(wait_sample *sample, uint64_t **spare)
{
	uint64_t *sorted =
		sample->count ? mql_radix_sort(sample->keys, sample->scratch,
					       sample->count, 0)
			      : sample->keys;
	*spare = sorted == sample->keys ? sample->scratch : sample->keys;
	return sorted;
}

/*
 * Leaves out of the packed keys of sample the subjects censored after its
 * last outcome: nothing changes the curves after it, and those subjects
 * count only as at risk, which the fits are told (about a third of the
 * leads waiting for their MQL: a shorter sort).  Counts them per group
 * into sample->later and returns their number.
 */
static size_t trim_later(wait_sample *sample, size_t groups)
{
	unsigned bits = sample->group_bits;
	uint64_t group_mask = ((uint64_t)1 << bits) - 1;
	/* keys from here on wait longer than the last outcome */
	uint64_t cut = (uint64_t)(sample->last_outcome + 1) << (bits + 2);
	size_t kept = 0, total = 0;
	for (size_t k = 0; k < groups; k++)
		sample->later[k] = 0;
	for (size_t i = 0; i < sample->count; i++) {
		uint64_t key = sample->keys[i];
		if (key >= cut && (key >> bits & 3) == 0) {
			sample->later[key & group_mask]++;
			total++;
		} else {
			sample->keys[kept++] = key;
		}
	}
	size_t from = 0;
	for (size_t k = 0; k < groups; k++) {
		size_t left = sample->start[k + 1] - sample->start[k];
		sample->start[k] = from;
		from += left - sample->later[k];
	}
	sample->start[groups] = from;
	sample->count = kept;
	return total;
}

/*
 * Packed keys: one sort orders them by time (then group); a stable pass
 * unpacks them in place for the total and copies each to its group's
 * place in the other array, where every group stays ordered by time.
 */
static int fit_packed(mql_funnel *f, wait_sample *sample, int wait, int keep,
		      size_t *next, mql_error *err)
{
	unsigned bits = sample->group_bits;
	uint64_t group_mask = ((uint64_t)1 << bits) - 1;
	/* a curve kept for drawing keeps its late censorings */
	size_t later = keep ? 0 : trim_later(sample, f->group_count);
	uint64_t *grouped;
	uint64_t *sorted = sort_keys(sample, &grouped);
	for (size_t k = 0; k < f->group_count; k++)
		next[k] = sample->start[k];
	for (size_t i = 0; i < sample->count; i++) {
		uint64_t key = sorted[i] >> bits;
		grouped[next[sorted[i] & group_mask]++] = key;
		sorted[i] = key;
	}
	int status = fit_wait(&f->total.wait[wait], sorted, sample->count,
			      later, keep, err);
	for (size_t k = 0; k < f->group_count && status == MQL_OK; k++) {
		size_t from = sample->start[k];
		status = fit_wait(&f->groups[k].wait[wait], grouped + from,
				  sample->start[k + 1] - from,
				  keep ? 0 : sample->later[k], keep, err);
	}
	return status;
}

/* The total's curve, then each group's: one sort each. */
static int fit_groups(mql_funnel *f, wait_sample *sample, int wait, int keep,
		      mql_error *err)
{
	uint64_t *buffer;
	uint64_t *sorted = sort_keys(sample, &buffer);
	int status = fit_wait(&f->total.wait[wait], sorted, sample->count, 0,
			      keep, err);
	for (size_t k = 0; k < f->group_count && status == MQL_OK; k++) {
		size_t from = sample->start[k], n = sample->start[k + 1] - from;
		uint64_t *group = sample->grouped + from;
		if (n)
			group = mql_radix_sort(group, buffer, n, 0);
		status = fit_wait(&f->groups[k].wait[wait], group, n, 0, keep,
				  err);
	}
	return status;
}

/* Some of the waits, [first, last), computed on one thread. */
typedef struct wait_job {
	mql_funnel *f; /* each job writes only its waits' results */
	const mql_contacts *c;
	const int32_t *row_group;
	int keep_curves;
	void (*after)(void *, int); /* run once the waits are done */
	void *after_arg;
	int thread;
	int first, last;
	size_t negative_waits;
	int status;
	mql_error err;
} wait_job;

/* Allocates sample's arrays for n rows and groups groups; 0, or -1
 * when out of memory. */
static int sample_init(wait_sample *sample, size_t n, size_t groups)
{
	memset(sample, 0, sizeof *sample);
	sample->keys = malloc(n * sizeof *sample->keys);
	sample->grouped = malloc(n * sizeof *sample->grouped);
	sample->scratch = malloc(n * sizeof *sample->keys);
	sample->start = malloc((groups + 1) * sizeof *sample->start);
	sample->later = malloc((groups + 1) * sizeof *sample->later);
	mql_huge_pages_advise(sample->keys, n * sizeof *sample->keys);
	mql_huge_pages_advise(sample->grouped, n * sizeof *sample->grouped);
	mql_huge_pages_advise(sample->scratch, n * sizeof *sample->keys);
	while (sample->group_bits < 32 &&
	       ((size_t)1 << sample->group_bits) < groups)
		sample->group_bits++;
	sample->packed = sample->group_bits <= PACKED_GROUP_BITS;
	return sample->keys && sample->grouped && sample->scratch &&
			       sample->start && sample->later
		       ? 0
		       : -1;
}

static void sample_release(wait_sample *sample)
{
	free(sample->keys);
	free(sample->grouped);
	free(sample->scratch);
	free(sample->start);
	free(sample->later);
}

static void *run_waits(void *arg)
{
	wait_job *job = arg;
	mql_funnel *f = job->f;
	wait_sample samples[JOB_WAITS];
	int count = job->last - job->first, ready = 0;
	size_t n = job->c->count ? job->c->count : 1;
	size_t *next = malloc((f->group_count + 1) * sizeof *next);
	int status = next ? MQL_OK : MQL_ERR_NOMEM;
	while (status == MQL_OK && ready < count)
		if (sample_init(&samples[ready++], n, f->group_count))
			status = MQL_ERR_NOMEM;
	if (status == MQL_OK)
		measure_rows(samples, job->first, count, f, job->c,
			     job->row_group, &job->negative_waits);
	for (int k = 0; k < count && status == MQL_OK; k++) {
		int w = job->first + k;
		int keep = job->keep_curves && w == MQL_WAIT_TO_MQL;
		if (samples[k].packed) {
			status = fit_packed(f, &samples[k], w, keep, next,
					    &job->err);
		} else {
			group_rows(&samples[k], f, next);
			status = fit_groups(f, &samples[k], w, keep, &job->err);
		}
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(&job->err, status, NULL, 0, 0, "out of memory");
	free(next);
	for (int k = 0; k < ready; k++)
		sample_release(&samples[k]);
	job->status = status;
	job->after(job->after_arg, job->thread);
	return NULL;
}

/*
 * The time to MQL (every lead) on a second thread while this one does the
 * two waits from MQL (the MQLs only, twice): about the same work, each
 * thread then helping with the other work.  Small tables and single
 * processors keep to one thread.  The results are the same either way:
 * each wait is computed whole by one job.
 */
int funnel_compute_waits(mql_funnel *f, const mql_contacts *c,
			 const int32_t *row_group, int keep_curves,
			 void (*after)(void *, int), void *after_arg,
			 mql_error *err)
{
	wait_job jobs[MQL_FUNNEL_THREADS];
	pthread_t thread;
	int threaded = funnel_thread_count(c) > 1;
	memset(jobs, 0, sizeof jobs);
	for (int j = 0; j < MQL_FUNNEL_THREADS; j++) {
		jobs[j].f = f;
		jobs[j].c = c;
		jobs[j].row_group = row_group;
		jobs[j].keep_curves = keep_curves;
		jobs[j].after = after;
		jobs[j].after_arg = after_arg;
		jobs[j].thread = j;
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
	for (int j = 0; j < MQL_FUNNEL_THREADS; j++) {
		if (jobs[j].status != MQL_OK) {
			if (err)
				*err = jobs[j].err;
			return jobs[j].status;
		}
	}
	return MQL_OK;
}
