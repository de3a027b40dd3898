/* parallel.c - jobs on threads of their own (see parallel.h). */
#include "parallel.h"

#include <pthread.h>

void mql_parallel_run_jobs(void *(*work)(void *job), void *jobs,
			   size_t job_size, int count)
{
	pthread_t ids[MQL_PARALLEL_MAX_JOBS];
	int started[MQL_PARALLEL_MAX_JOBS] = {0};
	char *base = jobs;
	if (count > MQL_PARALLEL_MAX_JOBS)
		count = MQL_PARALLEL_MAX_JOBS;
	for (int k = 1; k < count; k++)
		started[k] = pthread_create(&ids[k], NULL, work,
					    base + (size_t)k * job_size) == 0;
	if (count > 0)
		work(base);
	for (int k = 1; k < count; k++) {
		if (started[k])
			pthread_join(ids[k], NULL);
		else
			work(base + (size_t)k * job_size);
	}
}
