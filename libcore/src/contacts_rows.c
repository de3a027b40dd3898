/*
 * contacts_rows.c - the per-row arrays of a contacts load, each in an
 * anonymous mapping of its own (see contacts_internal.h).
 *
 * A mapping grows by mremap, which moves page tables, not bytes.  Joining a
 * part to the first one moves the part's pages into the first part's
 * arrays the same way: only the part's own bytes shift (by less than a
 * page, to the place they take within a page) and nothing is copied into
 * fresh memory, which the kernel would first have to clear.
 */
/* mremap is Linux's, declared with _GNU_SOURCE. */
#define _GNU_SOURCE

#include "contacts_internal.h"
#include "huge_pages.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Below this a part's array is simply copied. */
#define MOVE_MIN_BYTES ((size_t)256 << 10)

static size_t page_size(void)
{
	static size_t page;
	if (!page) {
		long size = sysconf(_SC_PAGESIZE);
		page = size > 0 ? (size_t)size : 4096;
	}
	return page;
}

static size_t whole_pages(size_t bytes)
{
	size_t page = page_size();
	return (bytes + page - 1) / page * page;
}

int contacts_rows_resize(void **array, size_t old_bytes, size_t new_bytes)
{
	void *bigger;
	if (!*array)
		bigger = mmap(NULL, whole_pages(new_bytes),
			      PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		bigger = mremap(*array, whole_pages(old_bytes),
				whole_pages(new_bytes), MREMAP_MAYMOVE);
	if (bigger == MAP_FAILED)
		return -1;
	*array = bigger;
	mql_huge_pages_advise(bigger, new_bytes);
	return 0;
}

void contacts_rows_free(void *array, size_t bytes)
{
	if (array)
		(void)munmap(array, whole_pages(bytes));
}

/* Moves the shifted bytes of from (the first shift + bytes of its
 * mapping of from_bytes) to the page at into.  Returns 0 or -1. */
static int move_pages(char *into, char *from, size_t bytes, size_t from_bytes)
{
	size_t moved = whole_pages(bytes), mapped = whole_pages(from_bytes);
	if (mremap(from, moved, moved, MREMAP_MAYMOVE | MREMAP_FIXED, into) ==
	    MAP_FAILED)
		return -1;
	if (mapped > moved)
		(void)munmap(from + moved, mapped - moved);
	return 0;
}

void contacts_rows_append(void *into, size_t count, void **from, size_t n,
			  size_t from_capacity, size_t elem)
{
	char *to = (char *)into + count * elem, *source = *from;
	size_t bytes = n * elem, from_bytes = from_capacity * elem;
	size_t shift = (size_t)((uintptr_t)to % page_size());
	if (!n)
		return;
	/* the part's bytes must fit its mapping once shifted */
	if (bytes < MOVE_MIN_BYTES || shift + bytes > whole_pages(from_bytes)) {
		memcpy(to, source, bytes);
		return;
	}
	if (shift)
		memmove(source + shift, source, bytes);
	/* the first part's rows on the page where the part's begin */
	memcpy(source, to - shift, shift);
	if (move_pages(to - shift, source, shift + bytes, from_bytes) == 0) {
		*from = NULL;
		return;
	}
	memcpy(to, source + shift, bytes);
}
