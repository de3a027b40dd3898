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

#endif
