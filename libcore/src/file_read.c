/* file_read.c - a whole small file in one buffer, and strict JSON from it
 * (see file_read.h). */
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

/* Reads fp to its end into *text (grown as needed, room for a NUL kept),
 * never more than max_bytes + 1 bytes.  Returns 0, MQL_ERR_INPUT past
 * max_bytes, MQL_ERR_IO or MQL_ERR_NOMEM. */
static int read_stream(FILE *fp, size_t max_bytes, char **text, size_t *len)
{
	size_t capacity = 0;
	for (;;) {
		if (capacity - *len < LEAST_READ + 1 && grow(text, &capacity))
			return MQL_ERR_NOMEM;
		size_t room = capacity - *len - 1;
		if (max_bytes < SIZE_MAX && room > max_bytes + 1 - *len)
			room = max_bytes + 1 - *len;
		size_t got = fread(*text + *len, 1, room, fp);
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

int mql_file_read_whole(char **out, size_t *len, const char *path,
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

/* Line and column (1-based, columns in bytes) of offset in text. */
static void text_locate(const char *text, size_t offset, long *line,
			long *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			++*line;
			*column = 1;
		} else {
			++*column;
		}
	}
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when it is
 * not one: overlong forms, surrogates and code points past U+10FFFF are
 * refused as RFC 3629 asks. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || s[0] > 0xF4 || n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return len;
}

/* What a scan of the bytes found wrong, and where. */
typedef struct json_fault {
	char what[80]; /* empty: none */
	size_t offset;
} json_fault;

/*
 * Checks what cJSON does not: no NUL byte, valid UTF-8, no \u0000 escape
 * (cJSON would cut the string there), arrays and objects nested at most
 * max_depth deep.  Returns 1 with *fault filled, or 0.
 */
static int scan_bytes(const char *text, size_t len, size_t max_depth,
		      json_fault *fault)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t depth = 0;
	int in_string = 0;
	for (size_t i = 0; i < len;) {
		fault->offset = i;
		const char *what = NULL;
		size_t step = utf8_length(s + i, len - i);
		if (s[i] == 0)
			what = "a NUL byte";
		else if (step == 0)
			what = "invalid UTF-8";
		else if (in_string && s[i] == '\\' && len - i >= 6 &&
			 memcmp(s + i + 1, "u0000", 5) == 0)
			what = "a \\u0000 escape (a NUL character)";
		if (what) {
			snprintf(fault->what, sizeof fault->what, "%s", what);
			return 1;
		}
		if (in_string && s[i] == '\\' && i + 1 < len) {
			size_t next = utf8_length(s + i + 1, len - i - 1);
			step = 1 + (next ? next : 1);
		} else if (s[i] == '"') {
			in_string = !in_string;
		} else if (!in_string && (s[i] == '[' || s[i] == '{')) {
			if (++depth > max_depth) {
				snprintf(fault->what, sizeof fault->what,
					 "arrays and objects nested more than "
					 "%zu deep",
					 max_depth);
				return 1;
			}
		} else if (!in_string && (s[i] == ']' || s[i] == '}')) {
			depth -= depth > 0;
		}
		i += step;
	}
	return 0;
}

int mql_file_read_json(cJSON **out, const char *text, size_t len,
		       size_t max_depth, const char *name, const char *expected,
		       mql_error *err)
{
	*out = NULL;
	json_fault fault = {"", 0};
	const char *end = NULL;
	cJSON *doc = NULL;
	if (!scan_bytes(text, len, max_depth, &fault)) {
		doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
		size_t offset = end && end >= text ? (size_t)(end - text) : 0;
		fault.offset = offset < len ? offset : len;
		if (!doc)
			snprintf(fault.what, sizeof fault.what,
				 "not valid "
				 "JSON");
	}
	while (doc && fault.offset < len && text[fault.offset] &&
	       strchr(" \t\r\n", text[fault.offset]))
		fault.offset++;
	if (doc && fault.offset < len)
		snprintf(fault.what, sizeof fault.what,
			 "more text after the JSON value");
	long line, column;
	text_locate(text, fault.offset, &line, &column);
	if (fault.what[0]) {
		cJSON_Delete(doc);
		return mql_error_set(err, MQL_ERR_INPUT, name, line, column,
				     "%s; expected %s", fault.what, expected);
	}
	*out = doc;
	return MQL_OK;
}
