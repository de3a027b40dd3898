/*
 * score_pool.c - every row of a contacts table scored on a few threads
 * (see mql_score_timeline_rows in score.h).  Blocks of whole contacts from
 * the timeline are scored by the threads (a scorer each: a scorer serves
 * one thread) while the calling thread fetches the next blocks and hands
 * the finished ones on in row order, so scoring runs beside reading back
 * the runs and writing.
 */
#include <mqlcal/score.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCORERS 8
#define JOBS	    (2 * MAX_SCORERS + 2)

/* What the pool scores, and where the rows go. */
typedef struct source {
	mql_timeline *timeline;
	const mql_contacts *contacts;
	mql_time as_of;
	mql_score_emit_fn emit;
	void *emit_context;
} source;

enum job_state { JOB_FREE, JOB_QUEUED, JOB_DONE };

/* Rows [first_row, end_row) and the events of those that have any. */
typedef struct job {
	mql_event *events;
	size_t count, capacity;
	size_t first_row, end_row;
	mql_score_result *results;
	size_t results_capacity;
	int status;
	mql_error err;
	enum job_state state;
} job;

typedef struct crew {
	const source *s;
	int scorer_count;
	size_t job_count; /* jobs in use: 2 per scorer and 2 */
	mql_scorer *scorers[MAX_SCORERS];
	job jobs[JOBS];
	size_t submitted, taken; /* jobs in sequence */
	int stopping;
	pthread_mutex_t lock;
	pthread_cond_t changed;
} crew;

typedef struct scorer_thread {
	crew *c;
	int index;
} scorer_thread;

/* Scores the job's rows with scorer.  Returns 0 or the scorer's status. */
static int score_job(const source *s, mql_scorer *scorer, job *j)
{
	size_t next = 0;
	for (size_t row = j->first_row; row < j->end_row; row++) {
		size_t first = next;
		while (next < j->count && j->events[next].contact == row)
			next++;
		int status = mql_scorer_score_row(
			scorer, row, next > first ? &j->events[first] : NULL,
			next - first, s->as_of, &j->results[row - j->first_row],
			NULL, NULL);
		if (status)
			return status;
	}
	return MQL_OK;
}

static void *run_scorer(void *arg)
{
	scorer_thread *me = arg;
	crew *c = me->c;
	for (;;) {
		pthread_mutex_lock(&c->lock);
		while (!c->stopping && c->taken == c->submitted)
			pthread_cond_wait(&c->changed, &c->lock);
		if (c->taken == c->submitted) { /* stopping, nothing left */
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		job *j = &c->jobs[c->taken++ % c->job_count];
		pthread_mutex_unlock(&c->lock);
		j->status = score_job(c->s, c->scorers[me->index], j);
		pthread_mutex_lock(&c->lock);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&c->changed);
		pthread_mutex_unlock(&c->lock);
	}
}

/* Fills j with a copy of the next block (or, at the end, the rows left
 * without events).  Returns 1, 0 when nothing is left, or < 0. */
static int fill_job(const source *s, job *j, size_t *next_row, mql_error *err)
{
	const mql_event *events = NULL;
	size_t count = 0;
	int status = *next_row < s->contacts->count
			     ? mql_timeline_next_block(s->timeline, &events,
						       &count, err)
			     : 0;
	if (status < 0)
		return status;
	size_t end_row = status ? (size_t)events[count - 1].contact + 1
				: s->contacts->count;
	if (end_row <= *next_row)
		return 0;
	if (count > j->capacity) {
		mql_event *grown = realloc(j->events, count * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		j->events = grown;
		j->capacity = count;
	}
	size_t rows = end_row - *next_row;
	if (rows > j->results_capacity) {
		mql_score_result *grown =
			realloc(j->results, rows * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		j->results = grown;
		j->results_capacity = rows;
	}
	if (count)
		memcpy(j->events, events, count * sizeof *events);
	j->count = count;
	j->first_row = *next_row;
	j->end_row = end_row;
	*next_row = end_row;
	return 1;
}

/* Hands a scored job's rows on.  Returns 0 or a status. */
static int emit_job(const source *s, const job *j)
{
	if (j->status)
		return j->status;
	for (size_t row = j->first_row; row < j->end_row; row++) {
		int status = s->emit(s->emit_context, row,
				     &j->results[row - j->first_row]);
		if (status)
			return status;
	}
	return MQL_OK;
}

/* Feeds the scorers and hands their jobs on in order, until the end or an
 * error.  Returns 0 or a status (err filled). */
static int feed_crew(crew *c, mql_error *err)
{
	size_t next_row = 0, written = 0;
	int status = MQL_OK, more = 1;
	while (!status && (more || written < c->submitted)) {
		job *oldest = &c->jobs[written % c->job_count];
		if (more && c->submitted - written < c->job_count) {
			job *j = &c->jobs[c->submitted % c->job_count];
			more = fill_job(c->s, j, &next_row, err);
			if (more < 0)
				status = more;
			if (more != 1)
				continue;
			pthread_mutex_lock(&c->lock);
			j->state = JOB_QUEUED;
			c->submitted++;
			pthread_cond_broadcast(&c->changed);
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		pthread_mutex_lock(&c->lock);
		while (oldest->state != JOB_DONE)
			pthread_cond_wait(&c->changed, &c->lock);
		pthread_mutex_unlock(&c->lock);
		status = emit_job(c->s, oldest);
		if (status == MQL_ERR_IO)
			status = mql_error_set(err, status, NULL, 0, 0,
					       "cannot write the output");
		oldest->state = JOB_FREE;
		written++;
	}
	return status;
}

int mql_score_timeline_rows(mql_timeline *timeline, const mql_rules *rules,
			    const mql_contacts *contacts, mql_time as_of,
			    int scorers, mql_score_emit_fn emit, void *context,
			    int *started, mql_error *err)
{
	source s = {timeline, contacts, as_of, emit, context};
	crew c;
	memset(&c, 0, sizeof c);
	c.s = &s;
	c.scorer_count = scorers < 1		 ? 1
			 : scorers > MAX_SCORERS ? MAX_SCORERS
						 : scorers;
	c.job_count = 2 * (size_t)c.scorer_count + 2;
	pthread_t ids[MAX_SCORERS];
	scorer_thread args[MAX_SCORERS];
	int running[MAX_SCORERS] = {0}, status = MQL_OK;
	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.changed, NULL);
	for (int k = 0; k < c.scorer_count && !status; k++) {
		status = mql_scorer_new(&c.scorers[k], rules, contacts, err);
		if (!status)
			status = mql_scorer_bind_events(
				c.scorers[k], mql_timeline_events(timeline),
				err);
	}
	*started = 0;
	for (int k = 0; k < c.scorer_count && !status; k++) {
		args[k].c = &c;
		args[k].index = k;
		running[k] = pthread_create(&ids[k], NULL, run_scorer,
					    &args[k]) == 0;
		*started += running[k];
	}
	if (!status && *started)
		status = feed_crew(&c, err);
	pthread_mutex_lock(&c.lock);
	c.stopping = 1;
	pthread_cond_broadcast(&c.changed);
	pthread_mutex_unlock(&c.lock);
	for (int k = 0; k < c.scorer_count; k++) {
		if (running[k])
			pthread_join(ids[k], NULL);
		mql_scorer_free(c.scorers[k]);
	}
	for (size_t k = 0; k < JOBS; k++) {
		free(c.jobs[k].events);
		free(c.jobs[k].results);
	}
	pthread_mutex_destroy(&c.lock);
	pthread_cond_destroy(&c.changed);
	return status;
}
