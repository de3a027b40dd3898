/* format_text.c - a printf-style message in a string of its own size, and
 * text measured, cut and wrapped for a terminal (see format_text.h). */
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

/* A byte that starts a UTF-8 character (not a continuation byte). */
static int starts_character(char byte)
{
	return ((unsigned char)byte & 0xC0) != 0x80;
}

size_t mql_text_width(const char *text)
{
	size_t width = 0;
	for (; *text; text++)
		width += starts_character(*text);
	return width;
}

size_t mql_text_prefix(const char *text, size_t length, size_t width)
{
	size_t characters = 0, i;
	for (i = 0; i < length; i++) {
		if (!starts_character(text[i]))
			continue;
		if (characters == width)
			break;
		characters++;
	}
	return i;
}

size_t mql_text_wrap_point(const char *line, size_t length, size_t width)
{
	size_t fit, indent = 0;
	if (width == 0)
		return length;
	fit = mql_text_prefix(line, length, width);
	if (fit == length)
		return length;
	while (indent < length && line[indent] == ' ')
		indent++;
	for (size_t i = fit; i > indent; i--)
		if (line[i] == ' ' && line[i - 1] != ' ')
			return i;
	return fit;
}

/* The narrowest a column may be cut to: its floor, or its width when it
 * may not be cut. */
static size_t floor_of(const mql_text_column *column)
{
	return column->floor < column->width ? column->floor : column->width;
}

/* Characters the kept columns (shown != 0) take at their floors, with the
 * gaps between them. */
static size_t floors_width(const mql_text_column *columns, size_t count,
			   size_t gap)
{
	size_t total = 0, kept = 0;
	for (size_t i = 0; i < count; i++) {
		if (!columns[i].shown)
			continue;
		total += floor_of(&columns[i]) + (kept ? gap : 0);
		kept++;
	}
	return total;
}

/* The kept column dropped next: the highest priority number, the
 * rightmost of equals; count when only columns of priority 0 are left. */
static size_t next_to_drop(const mql_text_column *columns, size_t count)
{
	size_t drop = count;
	for (size_t i = 0; i < count; i++)
		if (columns[i].shown && columns[i].priority > 0 &&
		    (drop == count ||
		     columns[i].priority >= columns[drop].priority))
			drop = i;
	return drop;
}

/* Gives the kept columns their floors and shares spare characters among
 * those cut, from the left, up to their widths. */
static void share_spare(mql_text_column *columns, size_t count, size_t spare)
{
	for (size_t i = 0; i < count; i++) {
		size_t floor, more;
		if (!columns[i].shown)
			continue;
		floor = floor_of(&columns[i]);
		more = columns[i].width - floor;
		if (more > spare)
			more = spare;
		columns[i].shown = floor + more;
		spare -= more;
	}
}

int mql_text_fit_columns(mql_text_column *columns, size_t count, size_t gap,
			 size_t width)
{
	size_t needed;
	for (size_t i = 0; i < count; i++)
		columns[i].shown = width ? 1 : columns[i].width; /* kept */
	if (width == 0)
		return 1;
	while ((needed = floors_width(columns, count, gap)) > width) {
		size_t drop = next_to_drop(columns, count);
		if (drop == count) {
			for (size_t i = 0; i < count; i++)
				columns[i].shown = columns[i].width;
			return 0;
		}
		columns[drop].shown = 0;
	}
	share_spare(columns, count, width - needed);
	return 1;
}

char *mql_text_join_names(const char *const *names, char *buf, size_t n)
{
	size_t used = 0, count = 0;
	while (names && names[count])
		count++;
	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < count && used + 1 < n; i++) {
		const char *glue = i == 0 ? "" : i + 1 == count ? " or " : ", ";
		int wrote =
			snprintf(buf + used, n - used, "%s%s", glue, names[i]);
		if (wrote < 0)
			break;
		used += (size_t)wrote;
	}
	return buf;
}
