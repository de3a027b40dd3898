/*
 * outfile.h - outputs that are never half-written.
 *
 * An output to a named file is written to a temporary file in the same
 * directory and renamed over the target only when the writer commits, so a
 * run that fails leaves the old file (or no file) in place.  A NULL or "-"
 * path writes to stdout directly.
 */
#ifndef MQLCAL_OUTFILE_H
#define MQLCAL_OUTFILE_H

#include <stdio.h>

#include <mqlcal/error.h>

typedef struct mql_outfile {
	FILE *fp;	 /* write here */
	char *path;	 /* target, NULL for stdout */
	char *temp_path; /* the temporary file, NULL for stdout */
} mql_outfile;

/* Opens the output.  Returns 0 or MQL_ERR_IO (err names the path). */
int mql_outfile_open(mql_outfile *o, const char *path, mql_error *err);

/*
 * Flushes, checks for write errors, closes and renames into place.  Returns
 * 0 or MQL_ERR_IO; on error the temporary file is removed.
 */
int mql_outfile_commit(mql_outfile *o, mql_error *err);

/* Abandons the output: closes and removes the temporary file.  Safe to call
 * after commit or on a zeroed struct. */
void mql_outfile_abort(mql_outfile *o);

/* Writes one output onto fp; returns 0 or a status with err filled. */
typedef int (*mql_outfile_writer)(FILE *fp, const void *context,
				  mql_error *err);

/*
 * The whole life of one output: opens path (NULL or "-" = stdout), calls
 * writer(fp, context, err), commits when it returns 0 and aborts otherwise,
 * so a failed writer leaves the old file (or no file) in place.  Returns 0,
 * the writer's status, or MQL_ERR_IO from opening or committing.
 */
int mql_outfile_write(const char *path, mql_outfile_writer writer,
		      const void *context, mql_error *err);

#endif
