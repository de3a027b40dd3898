/*
 * format_text.h - a printf-style message into a string of its own size.
 *
 * Warnings, check details, discovered names and report paragraphs are
 * built from formats whose length is not known in advance; this is the one
 * place that measures and allocates them.
 */
#ifndef MQLCAL_FORMAT_TEXT_H
#define MQLCAL_FORMAT_TEXT_H

#include <stdarg.h>

/*
 * Formats fmt with ap into *out, a malloc'd NUL-ended string the caller
 * frees.  ap is used up (the caller still calls va_end on it).  Returns
 * 0, MQL_ERR_NOMEM, or MQL_ERR_INTERNAL when the C library cannot format
 * the arguments (a wide character with no encoding); then *out is NULL.
 */
int mql_format_text(char **out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
