/*
 * memory.c - what a random access costs on this machine, the floor under
 * any join of time-ordered events: the latency of a dependent chain of
 * loads (a pointer chase over a random cycle of cache lines) and the
 * throughput of independent read-modify-writes to random lines, each
 * prefetched DISTANCE accesses ahead, in arrays of 1 MiB to 256 MiB backed
 * by huge pages where the system grants them.
 *
 *   cc -O2 -o memory bench/memory.c && ./memory
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define LINE	 64
#define HUGE	 ((size_t)2 << 20)
#define ACCESSES ((size_t)1 << 23)
#define DISTANCE 32

static double seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* lines cache lines, zeroed, on huge pages where granted; NULL when out of
 * memory. */
static uint64_t *lines_of(size_t lines)
{
	size_t bytes = (lines * LINE + HUGE - 1) / HUGE * HUGE;
	uint64_t *a = aligned_alloc(HUGE, bytes);
	if (!a)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(a, bytes, MADV_HUGEPAGE);
#endif
	memset(a, 0, bytes);
	return a;
}

/* ns per load of a chain through every line in random order. */
static double chase(uint64_t *a, size_t lines, uint64_t *x)
{
	uint32_t *order = malloc(lines * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < lines; i++)
		order[i] = (uint32_t)i;
	for (size_t i = lines - 1; i > 0; i--) {
		size_t j = next_random(x) % (i + 1);
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < lines; i++)
		a[(size_t)order[i] * 8] = order[(i + 1) % lines];
	free(order);
	uint64_t at = 0;
	double start = seconds();
	for (size_t i = 0; i < ACCESSES; i++)
		at = a[at * 8];
	double ns = (seconds() - start) / ACCESSES * 1e9;
	return at == UINT64_MAX ? -1 : ns; /* keeps the chain */
}

/* ns per read-modify-write of independent random lines. */
static double updates(uint64_t *a, size_t lines, uint64_t *x)
{
	uint32_t *target = malloc(ACCESSES * sizeof *target);
	if (!target)
		return -1;
	for (size_t i = 0; i < ACCESSES; i++)
		target[i] = (uint32_t)(next_random(x) % lines);
	double start = seconds();
	for (size_t i = 0; i < ACCESSES; i++) {
		if (i + DISTANCE < ACCESSES)
			__builtin_prefetch(&a[(size_t)target[i + DISTANCE] * 8],
					   1);
		a[(size_t)target[i] * 8] += i;
	}
	double ns = (seconds() - start) / ACCESSES * 1e9;
	free(target);
	return ns;
}

int main(void)
{
	uint64_t x = 88172645463325252ULL;
	printf("%8s %14s %16s\n", "MiB", "chase ns/load", "updates ns/line");
	for (size_t mib = 1; mib <= 256; mib *= 4) {
		size_t lines = mib * ((size_t)1 << 20) / LINE;
		uint64_t *a = lines_of(lines);
		if (!a)
			return 1;
		double latency = chase(a, lines, &x);
		double update = updates(a, lines, &x);
		printf("%8zu %14.1f %16.1f\n", mib, latency, update);
		free(a);
	}
	return 0;
}
