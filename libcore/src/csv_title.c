/*
 * csv_title.c - the title lines a report download puts above its header.
 *
 * Google Ads writes a report's name and its date range above the header,
 * each one field on a line of its own:
 *
 *   Campaign report
 *   "March 1, 2026 - March 31, 2026"
 *   Campaign,Campaign type,Currency code,Cost
 *
 * At the start of a file, one to TITLE_LINES non-blank lines of one field
 * each (no delimiter outside quotes) followed by a line of several fields
 * are such a title, which the reader skips and notes.  A line holding a
 * ';', tab or '|' outside quotes is no title: it is the header of a file
 * in another delimiter, whose data rows may hold the reader's own (German
 * decimals: 1,5).  A file whose first lines all hold one field keeps its
 * first line as the header: the readers then say which columns it lacks
 * (and which delimiter it may use).
 */
#include "csv_internal.h"

#define TITLE_LINES 3

/* True for a delimiter other files use. */
static int other_delimiter(unsigned char c, char delimiter)
{
	return c != (unsigned char)delimiter &&
	       (c == ';' || c == '\t' || c == '|');
}

/* The fields of the line at s[0..len): 0 when it is blank, does not end
 * within len, or is one field holding another file's delimiter; *next gets
 * the offset past its line end. */
static size_t line_fields(const unsigned char *s, size_t len, char delimiter,
			  size_t *next)
{
	size_t fields = 1, content = 0, others = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && c == (unsigned char)delimiter)
			fields++;
		else if (!quoted && c == '\n') {
			*next = i + 1;
			return fields > 1		    ? fields
			       : content == 0 || others > 0 ? 0
							    : 1;
		} else if (!quoted)
			others += other_delimiter(c, delimiter);
		content += c != '\r';
	}
	return 0;
}

int mql_csv_title_shape(const unsigned char *s, size_t len, char delimiter,
			size_t *bytes, long *lines)
{
	size_t at = 0;
	for (long line = 0; line <= TITLE_LINES; line++) {
		size_t next = 0;
		size_t fields = line_fields(s + at, len - at, delimiter, &next);
		if (fields == 0)
			return 0;
		if (fields > 1) {
			*bytes = at;
			*lines = line;
			return line > 0;
		}
		at += next;
	}
	return 0;
}
