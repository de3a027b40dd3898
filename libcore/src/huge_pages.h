/*
 * huge_pages.h - a hint that a large array be backed by huge pages
 * (private to libcore).
 *
 * Filling a fresh array of 100 MB with 4 KiB pages takes 25,000 page
 * faults, which cost as much as a third of a contacts load.  Where the
 * system grants transparent huge pages on request (MADV_HUGEPAGE), the
 * untouched part of a large array then faults 2 MiB at a time.
 */
#ifndef MQLCAL_HUGE_PAGES_H
#define MQLCAL_HUGE_PAGES_H

#include <stddef.h>

/*
 * Asks for huge pages over the whole 2 MiB pages inside [array, array +
 * bytes), if the array is large enough to hold some.  Only a hint: it
 * cannot fail, changes no content, and does nothing where the system has
 * no such advice.  array may be NULL.
 */
void mql_huge_pages_advise(void *array, size_t bytes);

#endif
