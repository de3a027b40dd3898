/*
 * format_text.h - text as it is shown: a printf-style message into a string
 * of its own size, and text laid out in a terminal's width.
 *
 * Warnings, check details, discovered names and report paragraphs are
 * built from formats whose length is not known in advance; this is the one
 * place that measures and allocates them.  The terminal table (table.h)
 * and the tools' wrapped stdout measure, cut and wrap text with the
 * functions below, which count UTF-8 characters as one column each.
 */
#ifndef MQLCAL_FORMAT_TEXT_H
#define MQLCAL_FORMAT_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats fmt with ap into *out, a malloc'd NUL-ended string the caller
 * frees.  ap is used up (the caller still calls va_end on it).  Returns
 * 0, MQL_ERR_NOMEM, or MQL_ERR_INTERNAL when the C library cannot format
 * the arguments (a wide character with no encoding); then *out is NULL.
 */
int mql_format_text(char **out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Characters of a UTF-8 string as a terminal shows them: bytes that do not
 * continue a sequence (every character one column wide).  Cannot fail. */
size_t mql_text_width(const char *text);

/* Bytes of the longest start of text (length bytes) that is at most width
 * characters and ends on a character's boundary.  Cannot fail. */
size_t mql_text_prefix(const char *text, size_t length, size_t width);

/*
 * Where to break a line of length bytes to show it in width characters:
 * the bytes to print on this row, after the last space that lets the row
 * fit (the space itself not counted), or at width characters when no space
 * does (a word longer than a row is cut).  The whole length when the line
 * fits.  width 0 means no limit.  Cannot fail.
 */
size_t mql_text_wrap_point(const char *line, size_t length, size_t width);

/*
 * Writes a NULL-ended list of names (a vocabulary: mql_label_names, ...)
 * as people read it, "a, b or c" ("a" alone, "" for none), into buf of
 * size n, cut at n - 1 bytes.  Help, usage errors and the library's own
 * messages name the choices from the list this way.  Returns buf.  Cannot
 * fail.
 */
char *mql_text_join_names(const char *const *names, char *buf, size_t n);

/* A column of a text table as the fitting sees it. */
typedef struct mql_text_column {
	size_t width; /* its widest cell or its name, in characters (at
			 least 1) */
	size_t floor; /* narrowest it may be cut to (with "…"); width or
			 more: never cut */
	int priority; /* 0: always shown; otherwise the highest number is
			 dropped first, the rightmost of equals first */
	size_t shown; /* out: the width it prints at, 0 = dropped */
} mql_text_column;

/*
 * Lays count columns, gap characters apart, into width characters (0 = no
 * limit): first every column at its width; when that is too wide, the
 * columns that may be cut are cut, no narrower than their floor, the space
 * left shared among them from the left; when the floors are too wide still,
 * the column of the highest priority number is dropped and the cuts done
 * again.  Fills each shown.  Returns 1 when the shown columns fit, 0 when
 * even the columns of priority 0 at their floors do not (then every shown
 * is the column's width: print the rows as records instead).  Cannot fail.
 */
int mql_text_fit_columns(mql_text_column *columns, size_t count, size_t gap,
			 size_t width);

#endif
