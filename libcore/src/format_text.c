/* format_text.c - a printf-style message in a string of its own size (see
 * format_text.h). */
#include <mqlcal/format_text.h>

#include <stdio.h>
#include <stdlib.h>

#include <mqlcal/error.h>

int mql_format_text(char **out, const char *fmt, va_list ap)
{
	*out = NULL;
	va_list measure;
	va_copy(measure, ap);
	int length = vsnprintf(NULL, 0, fmt, measure);
	va_end(measure);
	if (length < 0)
		return MQL_ERR_INTERNAL;
	char *text = malloc((size_t)length + 1);
	if (!text)
		return MQL_ERR_NOMEM;
	vsnprintf(text, (size_t)length + 1, fmt, ap);
	*out = text;
	return MQL_OK;
}
