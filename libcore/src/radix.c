/*
 * radix.c - the LSD radix sort of 64-bit keys (see radix.h): 11-bit digits,
 * every digit counted in one pass over the keys, then one scatter pass per
 * digit that the keys do not all share.
 */
#include "radix.h"

#include <stdlib.h>
#include <string.h>

#include "huge_pages.h"

#define RADIX_BITS   11
#define RADIX_SIZE   ((size_t)1 << RADIX_BITS)
#define RADIX_DIGITS ((64 + RADIX_BITS - 1) / RADIX_BITS)

uint64_t *mql_radix_sort(uint64_t *keys, uint64_t *buffer, size_t n,
			 unsigned low_bit)
{
	size_t count[RADIX_DIGITS][RADIX_SIZE]; /* 96 KiB of stack */
	uint64_t *from = keys, *to = buffer, largest = 0;
	unsigned digits = 0;
	if (n < 2 || low_bit >= 64)
		return keys;
	for (size_t i = 0; i < n; i++)
		largest |= keys[i] >> low_bit;
	while (digits < RADIX_DIGITS && digits * RADIX_BITS < 64 - low_bit &&
	       largest >> (digits * RADIX_BITS))
		digits++;
	memset(count, 0, digits * sizeof count[0]);
	for (size_t i = 0; i < n; i++)
		for (unsigned d = 0; d < digits; d++)
			count[d][(keys[i] >> (low_bit + d * RADIX_BITS)) &
				 (RADIX_SIZE - 1)]++;
	for (unsigned d = 0; d < digits; d++) {
		unsigned shift = low_bit + d * RADIX_BITS;
		size_t total = 0, *offset = count[d];
		if (offset[(keys[0] >> shift) & (RADIX_SIZE - 1)] == n)
			continue; /* one digit everywhere: the order stays */
		for (size_t b = 0; b < RADIX_SIZE; b++) {
			size_t here = offset[b];
			offset[b] = total;
			total += here;
		}
		for (size_t i = 0; i < n; i++)
			to[offset[(from[i] >> shift) & (RADIX_SIZE - 1)]++] =
				from[i];
		uint64_t *sorted = to;
		to = from;
		from = sorted;
	}
	return from;
}

int mql_radix_sort_in_place(uint64_t *keys, size_t n, unsigned low_bit)
{
	uint64_t *buffer = malloc((n ? n : 1) * sizeof *buffer);
	if (!buffer)
		return -1;
	mql_huge_pages_advise(buffer, n * sizeof *buffer);
	uint64_t *sorted = mql_radix_sort(keys, buffer, n, low_bit);
	if (sorted != keys)
		memcpy(keys, sorted, n * sizeof *keys);
	free(buffer);
	return 0;
}
