/* file_read.c - a whole small file in one buffer (see file_read.h). */
#include "file_read.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/error.h>

#define FIRST_CAPACITY ((size_t)1 << 16)
#define LEAST_READ     4096 /* grow before a read would be smaller */

/* Doubles *text's capacity.  Returns 0 or MQL_ERR_NOMEM (*text kept). */
static int grow(char **text, size_t *capacity)
{
	size_t wanted = *capacity ? 2 * *capacity : FIRST_CAPACITY;
	char *grown = wanted > *capacity ? realloc(*text, wanted) : NULL;
	if (!grown)
		return MQL_ERR_NOMEM;
	*text = grown;
	*capacity = wanted;
	return MQL_OK;
}

/* Reads fp to its end into *text (grown as needed, room for a NUL kept).
 * Returns 0, MQL_ERR_INPUT past max_bytes, MQL_ERR_IO or MQL_ERR_NOMEM. */
static int read_stream(FILE *fp, size_t max_bytes, char **text, size_t *len)
{
	size_t capacity = 0;
	for (;;) {
		if (capacity - *len < LEAST_READ + 1 && grow(text, &capacity))
			return MQL_ERR_NOMEM;
		size_t got = fread(*text + *len, 1, capacity - *len - 1, fp);
		*len += got;
		if (*len > max_bytes)
			return MQL_ERR_INPUT;
		if (got == 0)
			break;
	}
	if (ferror(fp))
		return MQL_ERR_IO;
	(*text)[*len] = '\0';
	return MQL_OK;
}

int mql_read_whole_file(char **out, size_t *len, const char *path,
			size_t max_bytes)
{
	*out = NULL;
	*len = 0;
	int from_stdin = strcmp(path, "-") == 0;
	FILE *fp = from_stdin ? stdin : fopen(path, "rb");
	if (!fp)
		return MQL_ERR_NOFILE;
	char *text = NULL;
	size_t used = 0;
	int status = read_stream(fp, max_bytes, &text, &used);
	int read_errno = errno; /* the caller's message needs the read's */
	if (!from_stdin)
		fclose(fp);
	errno = read_errno;
	if (status) {
		free(text);
		return status;
	}
	*out = text;
	*len = used;
	return MQL_OK;
}
