/*
 * progress.h - how far the reading of a file has gone, for a progress line
 * on a terminal.
 *
 * A tool makes one mql_progress with the function that shows it and puts
 * it in mql_csv_options.progress; every CSV reader opened with those
 * options (the parallel range readers of one file included) then counts
 * the bytes it reads into it.  The function is called at most every
 * MQL_PROGRESS_INTERVAL seconds while a file is read, and once when its
 * last byte is read, from whichever reading thread got there (never two at
 * once).  A file opened again after it was read whole starts a new count.
 * The library never prints: showing is the function's business.
 */
#ifndef MQLCAL_PROGRESS_H
#define MQLCAL_PROGRESS_H

#include <stdint.h>

/* Seconds between two calls of the show function. */
#define MQL_PROGRESS_INTERVAL 0.25

/*
 * Shows that bytes done of the file at path (total bytes; 0 when its size
 * is unknown: a pipe) were read in seconds since it was opened.  Cannot
 * fail.
 */
typedef void (*mql_progress_show_fn)(void *context, const char *path,
				     uint64_t done, uint64_t total,
				     double seconds);

typedef struct mql_progress mql_progress;

/* A count that calls show(context, ...).  NULL when out of memory. */
mql_progress *mql_progress_new(mql_progress_show_fn show, void *context);

/* Frees p.  p may be NULL. */
void mql_progress_free(mql_progress *p);

/*
 * A reader opened path: a new count starts unless path is the file being
 * counted and not yet read whole (another range of it).  p may be NULL
 * (nothing happens).  Cannot fail.
 */
void mql_progress_open(mql_progress *p, const char *path);

/* bytes more of path were read.  p may be NULL.  Cannot fail. */
void mql_progress_add(mql_progress *p, const char *path, uint64_t bytes);

#endif
