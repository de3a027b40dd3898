/* progress.c - bytes read of a file, shown now and then (see progress.h). */
#include <mqlcal/progress.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The longest path counted; longer ones are shown cut. */
#define PATH_MAX_SHOWN 512

struct mql_progress {
	mql_progress_show_fn show;
	void *context;
	pthread_mutex_t lock;
	char path[PATH_MAX_SHOWN];
	uint64_t done, total;
	double started, shown; /* monotonic seconds */
	int counting;	       /* a file is open and not read whole */
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

mql_progress *mql_progress_new(mql_progress_show_fn show, void *context)
{
	mql_progress *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		free(p);
		return NULL;
	}
	p->show = show;
	p->context = context;
	return p;
}

void mql_progress_free(mql_progress *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void mql_progress_open(mql_progress *p, const char *path)
{
	struct stat st;
	if (!p || !path)
		return;
	pthread_mutex_lock(&p->lock);
	if (!p->counting || strncmp(p->path, path, sizeof p->path) != 0) {
		snprintf(p->path, sizeof p->path, "%s", path);
		p->total = strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
					   S_ISREG(st.st_mode)
				   ? (uint64_t)st.st_size
				   : 0;
		p->done = 0;
		p->started = p->shown = now();
		p->counting = 1;
	}
	pthread_mutex_unlock(&p->lock);
}

void mql_progress_add(mql_progress *p, const char *path, uint64_t bytes)
{
	if (!p || !path)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->counting && strncmp(p->path, path, sizeof p->path) == 0) {
		double t = now();
		p->done += bytes;
		if (p->total && p->done >= p->total) {
			p->done = p->total;
			p->counting = 0;
			p->show(p->context, p->path, p->done, p->total,
				t - p->started);
		} else if (t - p->shown >= MQL_PROGRESS_INTERVAL) {
			p->shown = t;
			p->show(p->context, p->path, p->done, p->total,
				t - p->started);
		}
	}
	pthread_mutex_unlock(&p->lock);
}
