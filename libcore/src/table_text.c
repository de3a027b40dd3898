/*
 * table_text.c - the aligned terminal table of the tabular writer (see
 * table.h): columns fitted to the text width by their priorities (cut,
 * then dropped), or one record per row when even the columns that are
 * always shown do not fit.
 */
#include <mqlcal/format_text.h>
#include <mqlcal/table.h>

#include <stdlib.h>
#include <string.h>

#include "table_internal.h"

/* Characters between two columns. */
#define GAP 2

/* A text column wider than this may be cut to it (never under its name):
 * a sentence or a path, not a short label or a rate with its interval. */
#define TEXT_FLOOR 24

/* fp gets s flattened (a newline or tab would break the alignment). */
static void put_flat(FILE *fp, const char *s, size_t length)
{
	for (size_t i = 0; i < length; i++)
		putc(s[i] == '\n' || s[i] == '\t' || s[i] == '\r' ? ' ' : s[i],
		     fp);
}

static void put_spaces(FILE *fp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putc(' ', fp);
}

/* Writes the blanks *owed, if any, and clears them. */
static void pay_blanks(FILE *fp, size_t *owed)
{
	put_spaces(fp, *owed);
	*owed = 0;
}

/*
 * s in width characters: padded (on the left when right), or cut with
 * "…" when longer: at its end, or at its start when it holds a '/' (a
 * path, whose end names the file).  Blanks are owed (*owed) until text
 * follows them, so that no row ends in blanks.
 */
static void put_cell(FILE *fp, const char *s, size_t width, int right,
		     size_t *owed)
{
	size_t length = strlen(s), shown = mql_text_width(s);
	if (shown > width && width > 0) {
		size_t keep = width - 1;
		pay_blanks(fp, owed);
		if (strchr(s, '/')) {
			size_t skip = mql_text_prefix(s, length, shown - keep);
			fputs("\xe2\x80\xa6", fp);
			put_flat(fp, s + skip, length - skip);
		} else {
			put_flat(fp, s, mql_text_prefix(s, length, keep));
			fputs("\xe2\x80\xa6", fp);
		}
		return;
	}
	if (right)
		*owed += width - shown;
	if (length > 0) {
		pay_blanks(fp, owed);
		put_flat(fp, s, length);
	}
	if (!right)
		*owed += width - shown;
}

/* One row of cells (or the names) in the shown columns. */
static void write_row(const mql_table_text *t, const mql_text_column *fit,
		      const char *const *cells)
{
	size_t owed = 0;
	int first = 1;
	for (size_t i = 0; i < t->column_count; i++) {
		if (!fit[i].shown)
			continue;
		if (!first)
			owed += GAP;
		put_cell(t->fp, cells[i], fit[i].shown, t->numeric[i], &owed);
		first = 0;
	}
	putc('\n', t->fp);
}

/* text (NUL-ended) in rows: the first of first_room characters, the
 * others of room after indent blanks (a room of 0: no limit); every row
 * ends with a newline. */
static void put_wrapped(FILE *fp, const char *text, size_t first_room,
			size_t room, size_t indent)
{
	size_t length = strlen(text), width = first_room;
	do {
		size_t n = mql_text_wrap_point(text, length, width);
		put_flat(fp, text, n);
		putc('\n', fp);
		text += n;
		length -= n;
		while (length > 0 && *text == ' ')
			text++, length--;
		if (length > 0)
			put_spaces(fp, indent);
		width = room;
	} while (length > 0);
}

/* "not shown in 100 characters: a, b" after a table that dropped columns.
 * Returns 0 or MQL_ERR_NOMEM. */
static int write_dropped(const mql_table_text *t, const mql_text_column *fit)
{
	size_t length = 96;
	for (size_t i = 0; i < t->column_count; i++)
		length += strlen(t->names[i]) + 2;
	char *note = malloc(length);
	if (!note)
		return MQL_ERR_NOMEM;
	size_t used = (size_t)snprintf(
		note, length, "(left out to fit %zu characters:", t->width);
	for (size_t i = 0; i < t->column_count; i++)
		if (!fit[i].shown)
			used += (size_t)snprintf(note + used, length - used,
						 " %s,", t->names[i]);
	snprintf(note + used - 1, length - used + 1, "; --wide shows them)");
	put_wrapped(t->fp, note, t->width, t->width - 1, 1);
	free(note);
	return MQL_OK;
}

/* One "name: value" block per row, blocks apart by a blank line, values
 * aligned after the widest name and wrapped under their start; when the
 * names take more than half the width, each value goes under its name. */
static void write_records(const mql_table_text *t)
{
	size_t label = 0;
	for (size_t i = 0; i < t->column_count; i++) {
		size_t w = mql_text_width(t->names[i]) + 2;
		if (w > label)
			label = w;
	}
	int beside = !t->width || label <= t->width / 2;
	size_t indent = beside ? label : 2;
	size_t room = t->width ? t->width - indent : 0;
	for (size_t r = 0; r < t->row_count; r++) {
		const char *const *cells = &t->cells[r * t->column_count];
		if (r)
			putc('\n', t->fp);
		for (size_t i = 0; i < t->column_count; i++) {
			fprintf(t->fp, "%s:", t->names[i]);
			if (!*cells[i]) {
				putc('\n', t->fp); /* no trailing blanks */
				continue;
			}
			if (beside)
				put_spaces(t->fp,
					   label - 1 -
						   mql_text_width(t->names[i]));
			else
				fprintf(t->fp, "\n%*s", (int)indent, "");
			put_wrapped(t->fp, cells[i], room, room, indent);
		}
	}
}

int mql_table_write_text(const mql_table_text *t)
{
	mql_text_column *fit =
		calloc(t->column_count ? t->column_count : 1, sizeof *fit);
	if (!fit)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < t->column_count; i++) {
		size_t name = mql_text_width(t->names[i]);
		fit[i].width = name;
		for (size_t r = 0; r < t->row_count; r++) {
			size_t w = mql_text_width(
				t->cells[r * t->column_count + i]);
			if (w > fit[i].width)
				fit[i].width = w;
		}
		fit[i].floor = t->numeric[i]	   ? fit[i].width
			       : name > TEXT_FLOOR ? name
						   : TEXT_FLOOR;
		fit[i].priority = t->priority[i];
	}
	int status = MQL_OK;
	if (!mql_text_fit_columns(fit, t->column_count, GAP, t->width)) {
		write_records(t);
	} else {
		int dropped = 0;
		write_row(t, fit, t->names);
		for (size_t r = 0; r < t->row_count; r++)
			write_row(t, fit, &t->cells[r * t->column_count]);
		for (size_t i = 0; i < t->column_count; i++)
			dropped |= !fit[i].shown;
		if (dropped)
			status = write_dropped(t, fit);
	}
	free(fit);
	return status;
}
