/*
 * timeline_pipe.c - events pulled from a source on their own thread into a
 * ring of blocks (see timeline_internal.h).
 *
 * The producer fills block i while the caller reads block i - 1; a block
 * goes back to the producer when the caller asks for the one after it.
 */
#include "timeline_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BLOCKS	     3
#define BLOCK_EVENTS ((size_t)1 << 16)

typedef struct block {
	mql_event *events;
	size_t count, capacity;
	int status; /* 1 events, 0 the end, < 0 an error */
	mql_error err;
	int full; /* written by the producer, not yet given back */
} block;

struct mql_event_pipe {
	mql_event_source source;
	void *context;
	int whole_contacts;
	block blocks[BLOCKS];
	size_t produce, consume; /* next block to fill, to read */
	int holding;		 /* the caller holds blocks[consume - 1] */
	int finished;		 /* the producer wrote its last block */
	int stopping;
	mql_event carry; /* pulled but belonging to the next block */
	int has_carry;
	int threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

/* Appends ev to b, growing it for a contact longer than a block.
 * Returns 0 or MQL_ERR_NOMEM. */
static int append(block *b, const mql_event *ev)
{
	if (b->count == b->capacity) {
		size_t wanted = b->capacity ? 2 * b->capacity : BLOCK_EVENTS;
		mql_event *grown = realloc(b->events, wanted * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		b->events = grown;
		b->capacity = wanted;
	}
	b->events[b->count++] = *ev;
	return MQL_OK;
}

/* Fills b from the source: BLOCK_EVENTS events (then, with
 * whole_contacts, the rest of the last contact's), or what is left;
 * status as the block's. */
static void fill(mql_event_pipe *p, block *b)
{
	int status = b->capacity ? 1 : MQL_ERR_NOMEM;
	b->count = 0;
	if (!b->capacity &&
	    (b->events = malloc(BLOCK_EVENTS * sizeof *b->events))) {
		b->capacity = BLOCK_EVENTS;
		status = 1;
	}
	if (status == 1 && p->has_carry) {
		p->has_carry = 0;
		b->events[b->count++] = p->carry;
	}
	while (status == 1 && b->count < BLOCK_EVENTS) {
		size_t got = 0;
		status = p->source(p->context, b->events + b->count,
				   BLOCK_EVENTS - b->count, &got, &b->err);
		b->count += status == 1 ? got : 0;
	}
	while (status == 1 && p->whole_contacts && b->count > 0) {
		mql_event ev;
		size_t got = 0;
		status = p->source(p->context, &ev, 1, &got, &b->err);
		if (status != 1)
			break;
		if (ev.contact != b->events[b->count - 1].contact) {
			p->carry = ev;
			p->has_carry = 1;
			break;
		}
		if (append(b, &ev))
			status = MQL_ERR_NOMEM;
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(&b->err, status, NULL, 0, 0,
			      "out of memory merging events");
	b->status = status < 0 ? status : b->count > 0;
}

static void *produce(void *arg)
{
	mql_event_pipe *p = arg;
	for (;;) {
		block *b = &p->blocks[p->produce % BLOCKS];
		pthread_mutex_lock(&p->lock);
		while (b->full && !p->stopping)
			pthread_cond_wait(&p->changed, &p->lock);
		int stop = p->stopping;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			return NULL;
		fill(p, b);
		pthread_mutex_lock(&p->lock);
		b->full = 1;
		p->produce++;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (b->status != 1)
			return NULL; /* the end or an error: nothing after */
	}
}

int mql_timeline_pipe_start(mql_event_pipe **out, mql_event_source source,
			    void *context, int whole_contacts)
{
	mql_event_pipe *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p)
		return MQL_ERR_NOMEM;
	p->source = source;
	p->context = context;
	p->whole_contacts = whole_contacts;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->threaded = pthread_create(&p->thread, NULL, produce, p) == 0;
	*out = p;
	return MQL_OK;
}

int mql_timeline_pipe_next(mql_event_pipe *p, const mql_event **events,
			   size_t *count, mql_error *err)
{
	if (p->finished)
		return 0;
	block *b = &p->blocks[p->consume % BLOCKS];
	pthread_mutex_lock(&p->lock);
	if (p->holding) /* the block before goes back to the producer */
		p->blocks[(p->consume + BLOCKS - 1) % BLOCKS].full = 0;
	pthread_cond_broadcast(&p->changed);
	while (p->threaded && !b->full)
		pthread_cond_wait(&p->changed, &p->lock);
	pthread_mutex_unlock(&p->lock);
	if (!p->threaded)
		fill(p, b);
	p->consume++;
	p->holding = 1;
	if (b->status != 1) {
		p->finished = 1;
		if (b->status < 0 && err)
			*err = b->err;
		return b->status;
	}
	*events = b->events;
	*count = b->count;
	return 1;
}

void mql_timeline_pipe_stop(mql_event_pipe *p)
{
	if (!p)
		return;
	if (p->threaded) {
		pthread_mutex_lock(&p->lock);
		p->stopping = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	for (int i = 0; i < BLOCKS; i++)
		free(p->blocks[i].events);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	free(p);
}
