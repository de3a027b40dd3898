/*
 * radix.h - an LSD radix sort of 64-bit keys (private to libcore), for the
 * million-key sorts of ids' hashes and of survival times, where qsort's
 * comparator per element would cost more than the rest of the work.
 */
#ifndef MQLCAL_RADIX_H
#define MQLCAL_RADIX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sorts keys[0..n) by their bits from low_bit up, stably (keys equal there
 * keep their order), with buffer (room for n keys) as the other half of
 * each pass.  Only the digits that the largest key has are sorted, and a
 * digit all keys share is skipped.  Returns where the sorted keys are:
 * keys or buffer.  Cannot fail.
 */
uint64_t *mql_radix_sort(uint64_t *keys, uint64_t *buffer, size_t n,
			 unsigned low_bit);

/* The same in place, with a buffer of its own.  Returns 0, or -1 when out
 * of memory (keys unchanged). */
int mql_radix_sort_in_place(uint64_t *keys, size_t n, unsigned low_bit);

#endif
