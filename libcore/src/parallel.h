/*
 * parallel.h - running a few jobs at once (private to libcore): the reading
 * of a file's ranges, one per core.
 */
#ifndef MQLCAL_PARALLEL_H
#define MQLCAL_PARALLEL_H

#include <stddef.h>

#define MQL_PARALLEL_MAX_JOBS 16

/*
 * Calls work(jobs + k * job_size) for every k in [0, count): job 0 on this
 * thread, the others on threads of their own, or here one after another
 * when a thread cannot be started (so the work is always done).  Returns
 * when every job has.  count is at most MQL_PARALLEL_MAX_JOBS.
 */
void mql_parallel_run_jobs(void *(*work)(void *job), void *jobs,
			   size_t job_size, int count);

#endif
