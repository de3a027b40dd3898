/*
 * outfile.h - outputs that are never half-written and never destroy.
 *
 * What an output path names decides how it is written:
 *
 *   - a regular file, or nothing yet: a temporary file ".NAME.XXXXXX" in the
 *     same directory is written, flushed to disk (fsync) and renamed over the
 *     target when the writer commits, and the directory is synced after the
 *     rename; a run that fails leaves the old file (or no file) in place.  A
 *     file replaced keeps its permission bits.
 *   - a symbolic link (or a chain of them): its final target is written as
 *     above; the link stays a link.
 *   - a FIFO, a character or block device, or a socket: opened and written
 *     directly, never unlinked and never renamed over.
 *   - NULL, "-" or "/dev/stdout": standard output, written directly.
 *   - a directory: an error.
 *
 * Temporary files currently open are kept in a small registry, so that a
 * signal handler can remove them (mql_outfile_remove_temporaries) before
 * the process dies.
 */
#ifndef MQLCAL_OUTFILE_H
#define MQLCAL_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/error.h>

typedef struct mql_outfile {
	FILE *fp;	 /* write here */
	char *path;	 /* the name given, NULL for stdout */
	char *target;	 /* renamed over on commit: path with its symlinks
			    followed; NULL when written directly */
	char *temp_path; /* the temporary file, NULL when written directly */
} mql_outfile;

/*
 * Opens the output as the header describes.  Returns 0, MQL_ERR_IO (err
 * names the path: missing directory, a directory, permission, ...) or
 * MQL_ERR_NOMEM.  Opening a FIFO waits for its reader.
 */
int mql_outfile_open(mql_outfile *o, const char *path, mql_error *err);

/*
 * Flushes and checks for write errors, then: a temporary file is synced,
 * closed, renamed over the target and its directory synced; a file written
 * directly is closed; stdout is flushed but stays open.  Returns 0 or
 * MQL_ERR_IO; on error the temporary file is removed.
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

/*
 * Refuses to write output over one of the run's inputs: returns
 * MQL_ERR_USAGE with "refusing to write 'OUTPUT': it is an input of this
 * run" when output names the same file (device and inode, symlinks
 * followed) as any of inputs[0..count), 0 otherwise.  NULL and "-" (stdin,
 * stdout) are skipped, and so are names that do not exist (an output not
 * there yet cannot be an input; a missing input fails when it is read).
 */
int mql_outfile_check_inputs(const char *output, const char *const *inputs,
			     size_t count, mql_error *err);

/*
 * Removes every temporary file currently open.  Async-signal-safe: meant
 * for a SIGINT/SIGTERM handler, which then lets the signal kill the
 * process.  It does not close or forget the outputs.
 */
void mql_outfile_remove_temporaries(void);

/*
 * Refuses two outputs of one run that name the same file (the same path,
 * or the same device and inode when both exist): the second would
 * replace the first.  Standard output ("-" or NULL) is not compared.
 * Returns 0 or MQL_ERR_USAGE naming second.
 */
int mql_outfile_check_distinct(const char *first, const char *second,
			       mql_error *err);

#endif
