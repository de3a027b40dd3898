/*
 * file_read.h - a whole small file in one buffer, and strict JSON from it
 * (private to libcore).
 *
 * Rule files, models and column maps are small JSON documents parsed in
 * one piece, so they are read whole, unlike the CSV inputs, which are
 * streamed.  The reader fills no mql_error: each caller words the message
 * for its own kind of file from the status and errno.  The JSON parser
 * does, naming the line and column of the fault.
 */
#ifndef MQLCAL_FILE_READ_H
#define MQLCAL_FILE_READ_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include <mqlcal/error.h>

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
int mql_file_read_whole(char **out, size_t *len, const char *path,
			size_t max_bytes);

/*
 * Parses len bytes of text as one JSON document, more strictly than cJSON:
 * the bytes must be valid UTF-8 without NUL bytes or \u0000 escapes,
 * arrays and objects may nest at most max_depth deep, and nothing but
 * white space may follow the value.  A fault is MQL_ERR_INPUT with name,
 * the line and column and a message ending "expected <expected>".  On
 * success *out is the document, which the caller frees with cJSON_Delete.
 */
int mql_file_read_json(cJSON **out, const char *text, size_t len,
		       size_t max_depth, const char *name, const char *expected,
		       mql_error *err);

#endif
