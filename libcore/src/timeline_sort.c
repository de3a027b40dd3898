/*
 * timeline_sort.c - stable sorts of a timeline's records: a chunk by time
 * or by (contact, time), and one contact's records by time (see
 * timeline_internal.h).
 */
#include "timeline_internal.h"

#include <string.h>

typedef mql_timeline_record record;

#define RADIX_BITS   11
#define RADIX_DIGITS 3	/* of RADIX_BITS: every uint32_t contact row */
#define SHORT_RUN    32 /* a contact's records sorted by insertion */

/* Merges the sorted halves src[lo..mid) and src[mid..hi) into dst. */
static void merge_halves(mql_timeline_order order, const record *src,
			 record *dst, size_t lo, size_t mid, size_t hi)
{
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		dst[k++] = mql_timeline_before(order, &src[j], &src[i])
				   ? src[j++]
				   : src[i++];
	while (i < mid)
		dst[k++] = src[i++];
	while (j < hi)
		dst[k++] = src[j++];
}

/* A stable bottom-up merge sort of src[0..n) through dst (room for n);
 * returns where the sorted records are, src or dst. */
static record *merge_sort(mql_timeline_order order, record *src, record *dst,
			  size_t n)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			merge_halves(order, src, dst, lo, mid, hi);
		}
		record *swap = src;
		src = dst;
		dst = swap;
	}
	return src;
}

/*
 * A stable LSD radix sort of src[0..n) by contact through dst, a pass of
 * RADIX_BITS bits for each digit the largest contact row has (three past
 * four million contacts, where sort_by_halves stops), where a merge sort
 * would make twenty over a chunk of two million records.  The digits'
 * counts are taken in one read of the records.  Returns where the records
 * are.
 */
static record *radix_by_contact(record *src, record *dst, size_t n)
{
	uint32_t all = 0;
	for (size_t i = 0; i < n; i++)
		all |= src[i].contact;
	unsigned digits = 0;
	while (digits < RADIX_DIGITS && all >> (digits * RADIX_BITS))
		digits++;
	const uint32_t mask = (1u << RADIX_BITS) - 1;
	size_t start[RADIX_DIGITS][1u << RADIX_BITS] = {{0}}; /* 48 KiB */
	for (size_t i = 0; i < n; i++)
		for (unsigned d = 0; d < digits; d++)
			start[d][(src[i].contact >> (d * RADIX_BITS)) & mask]++;
	for (unsigned d = 0; d < digits; d++) {
		size_t sum = 0;
		for (size_t v = 0; v <= mask; v++) {
			size_t count = start[d][v];
			start[d][v] = sum;
			sum += count;
		}
		const unsigned shift = d * RADIX_BITS;
		size_t *at = start[d];
		for (size_t i = 0; i < n; i++)
			dst[at[(src[i].contact >> shift) & mask]++] = src[i];
		record *swap = src;
		src = dst;
		dst = swap;
	}
	return src;
}

void mql_timeline_sort_by_time(record *records, record *scratch, size_t n)
{
	size_t i = 1;
	while (i < n && records[i - 1].at <= records[i].at)
		i++;
	if (i >= n)
		return;
	if (n > SHORT_RUN) {
		record *sorted =
			merge_sort(MQL_TIMELINE_BY_TIME, records, scratch, n);
		if (sorted != records)
			memcpy(records, sorted, n * sizeof *records);
		return;
	}
	for (; i < n; i++) {
		record moving = records[i];
		size_t j = i;
		for (; j > 0 && records[j - 1].at > moving.at; j--)
			records[j] = records[j - 1];
		records[j] = moving;
	}
}

/* Sorts each contact's records of sorted[0..n) (stably by contact) by time,
 * through scratch (room for n). */
static void sort_contacts_by_time(record *sorted, record *scratch, size_t n)
{
	for (size_t first = 0, end; first < n; first = end) {
		end = first + 1;
		while (end < n && sorted[end].contact == sorted[first].contact)
			end++;
		mql_timeline_sort_by_time(sorted + first, scratch + first,
					  end - first);
	}
}

void mql_timeline_place_by_contact(record *from, record *into, size_t n,
				   uint64_t first, size_t width, size_t *ends)
{
	memset(ends, 0, (width + 1) * sizeof *ends);
	for (size_t i = 0; i < n; i++)
		ends[from[i].contact - first + 1]++;
	for (size_t c = 0; c < width; c++)
		ends[c + 1] += ends[c];
	for (size_t i = 0; i < n; i++)
		into[ends[from[i].contact - first]++] = from[i];
	/* ends[c] is now where contact first + c's records end */
	for (size_t c = 0, begin = 0; c < width; begin = ends[c++])
		if (ends[c] - begin > 1)
			mql_timeline_sort_by_time(into + begin, from + begin,
						  ends[c] - begin);
}

/*
 * Sorts src[0..n) of contact rows below 2^bits (bits <= 2 x RADIX_BITS)
 * stably by (contact, time) into src: one pass through memory by the high
 * half of the bits into dst, then each bucket, a few thousand records,
 * placed back into src by contact while it is in cache.
 */
static void sort_by_halves(record *src, record *dst, size_t n, unsigned bits)
{
	const unsigned low = bits / 2, high = bits - low;
	const uint32_t low_mask = (1u << low) - 1;
	size_t start[(1u << RADIX_BITS) + 1] = {0};
	for (size_t i = 0; i < n; i++)
		start[(src[i].contact >> low) + 1]++;
	for (size_t v = 0; v < (1u << high); v++)
		start[v + 1] += start[v];
	size_t at[1u << RADIX_BITS];
	memcpy(at, start, sizeof at);
	for (size_t i = 0; i < n; i++)
		dst[at[src[i].contact >> low]++] = src[i];
	size_t ends[(1u << RADIX_BITS) + 1];
	for (size_t v = 0; v < (1u << high); v++)
		mql_timeline_place_by_contact(
			dst + start[v], src + start[v], start[v + 1] - start[v],
			(uint64_t)v << low, (size_t)low_mask + 1, ends);
}

/*
 * Sorts by (contact, time) what a stable sort by both would: stably by
 * contact, then each contact's records stably by time (already so when
 * the file is in time order).  Returns where the records are.
 */
static record *sort_by_contact(record *src, record *dst, size_t n)
{
	uint32_t all = 0;
	for (size_t i = 0; i < n; i++)
		all |= src[i].contact;
	unsigned bits = 0;
	while (bits < 32 && all >> bits)
		bits++;
	if (bits <= 2 * RADIX_BITS && (size_t)n >> 32 == 0) {
		sort_by_halves(src, dst, n, bits);
		return src;
	}
	record *sorted = radix_by_contact(src, dst, n);
	sort_contacts_by_time(sorted, sorted == src ? dst : src, n);
	return sorted;
}

record *mql_timeline_sort(mql_timeline_order order, record *src, record *dst,
			  size_t n)
{
	return order == MQL_TIMELINE_BY_CONTACT
		       ? sort_by_contact(src, dst, n)
		       : merge_sort(order, src, dst, n);
}
