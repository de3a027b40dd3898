/*
 * huge_pages.c - the huge page hint for large arrays (see huge_pages.h).
 */
/* madvise's MADV_HUGEPAGE is beyond POSIX, where glibc has it. */
#define _DEFAULT_SOURCE

#include "huge_pages.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

void mql_huge_pages_advise(void *array, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	if (!array || bytes < 2 * HUGE_PAGE)
		return;
	uintptr_t start = ((uintptr_t)array + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)array + bytes) & ~(HUGE_PAGE - 1);
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)array;
	(void)bytes;
#endif
}
