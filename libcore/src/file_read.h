/*
 * file_read.h - a whole small file in one buffer (private to libcore).
 *
 * Rule files, models and column maps are small JSON documents parsed in
 * one piece, so they are read whole, unlike the CSV inputs, which are
 * streamed.  The reader fills no mql_error: each caller words the message
 * for its own kind of file from the status and errno.
 */
#ifndef MQLCAL_FILE_READ_H
#define MQLCAL_FILE_READ_H

#include <stddef.h>

/*
 * Reads path ("-" = standard input, left open) whole into *out, a malloc'd
 * buffer of *len bytes followed by a NUL, which the caller frees.  The
 * bytes may hold NULs of their own: *len counts them all.
 *
 * Returns 0, or: MQL_ERR_NOFILE when path cannot be opened and MQL_ERR_IO
 * when reading fails (errno says why in both); MQL_ERR_INPUT when the file
 * holds more than max_bytes (SIZE_MAX for no bound); MQL_ERR_NOMEM.  On an
 * error *out is NULL and *len 0.
 */
int mql_read_whole_file(char **out, size_t *len, const char *path,
			size_t max_bytes);

#endif
