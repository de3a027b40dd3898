/*
 * html.c - the report page: head, style sheet, text and tables (see html.h).
 * The SVG charts are in html_chart.c.  Void elements are self-closed so
 * the page is also well-formed XML, which tests (and XML tools) can check.
 */
#include <mqlcal/html.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/format_text.h>
#include "html_internal.h"

/*
 * Tables wider than TABLE_MAX_WIDTH px are split into parts, each
 * repeating the first column, so that nothing is cut or hidden on a
 * 1280 px screen or an A4 page (about 718 px between 10 mm margins).
 * Widths are estimated from characters at the table's 14.4 px font.
 */
#define TABLE_MAX_WIDTH	   680.0
#define TABLE_CHAR_WIDTH   8.2
#define TABLE_CELL_PADDING 20.0
#define TABLE_TEXT_WRAP	   24 /* characters of a text cell before it wraps */

/*
 * One style sheet for every report: system fonts, a narrow column that
 * reads well on screen and paper, tables with light rules and tabular
 * figures, and print rules that keep charts and tables whole.
 */
static const char style_sheet[] =
	"body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,"
	"sans-serif;color:#222;background:#fff;max-width:62rem;margin:2rem "
	"auto;padding:0 1.5rem;line-height:1.5}\n"
	"h1{font-size:1.8rem;margin:0 0 .2rem}\n"
	"h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;"
	"border-bottom:2px solid #e3e3e3}\n"
	"h3{font-size:1.1rem;margin:1.6rem 0 .4rem}\n"
	".subtitle{color:#666;margin:0 0 1.5rem}\n"
	".note{background:#fff8e1;border-left:4px solid #e69f00;padding:"
	".6rem .9rem;margin:1rem 0}\n"
	".figures{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}\n"
	".figure{border:1px solid #e3e3e3;border-radius:6px;padding:.6rem "
	"1rem;min-width:8rem}\n"
	".figure .value{font-size:1.6rem;font-weight:600;"
	"font-variant-numeric:tabular-nums}\n"
	".figure .label{color:#666;font-size:.9rem}\n"
	".table{max-width:100%}\n"
	"table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
	"th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e3e3;"
	"text-align:left;vertical-align:top;overflow-wrap:anywhere}\n"
	"th{background:#f5f5f5;font-weight:600}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;"
	"overflow-wrap:normal}\n"
	"td.num{white-space:nowrap}\n"
	"tbody tr:nth-child(even){background:#fafafa}\n"
	"figure{margin:1.2rem 0}\n"
	"figcaption{font-weight:600;margin-bottom:.3rem}\n"
	"svg{max-width:100%;height:auto}\n"
	"svg text{font-family:inherit;font-size:12px;fill:#333}\n"
	"footer{margin-top:3rem;color:#888;font-size:.8rem}\n"
	"@page{size:A4;margin:10mm}\n"
	"@media print{body{margin:0;padding:0;max-width:none;font-size:11pt}"
	"figure,table,.figures{break-inside:avoid}"
	"h2,h3{break-after:avoid}a{color:inherit}}\n";

void mql_html_escape(FILE *fp, const char *text)
{
	for (const char *s = text ? text : ""; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: putc(*s, fp);
		}
	}
}

mql_html *mql_html_new(FILE *fp, const char *title, const char *subtitle)
{
	mql_html *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->fp = fp;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\"/>\n<title>",
	      fp);
	mql_html_escape(fp, title);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
		style_sheet);
	mql_html_escape(fp, title);
	fputs("</h1>\n", fp);
	if (subtitle) {
		fputs("<p class=\"subtitle\">", fp);
		mql_html_escape(fp, subtitle);
		fputs("</p>\n", fp);
	}
	return h;
}

int mql_html_heading(mql_html *h, int level, const char *text)
{
	if (level < 2 || level > 3)
		level = level < 2 ? 2 : 3;
	fprintf(h->fp, "<h%d>", level);
	mql_html_escape(h->fp, text);
	fprintf(h->fp, "</h%d>\n", level);
	return MQL_OK;
}

/* <p class=...>text</p>, class omitted when NULL. */
static void write_paragraph(mql_html *h, const char *css_class,
			    const char *text)
{
	if (css_class)
		fprintf(h->fp, "<p class=\"%s\">", css_class);
	else
		fputs("<p>", h->fp);
	mql_html_escape(h->fp, text);
	fputs("</p>\n", h->fp);
}

int mql_html_paragraph(mql_html *h, const char *text)
{
	write_paragraph(h, NULL, text);
	return MQL_OK;
}

/* A paragraph of class css_class from a printf format and its arguments. */
static int write_paragraph_v(mql_html *h, const char *css_class,
			     const char *fmt, va_list ap)
{
	char *text;
	int status = mql_format_text(&text, fmt, ap);
	if (status)
		return status;
	write_paragraph(h, css_class, text);
	free(text);
	return MQL_OK;
}

int mql_html_paragraphf(mql_html *h, const char *fmt, ...)
{
	va_list ap;
	int status;
	va_start(ap, fmt);
	status = write_paragraph_v(h, NULL, fmt, ap);
	va_end(ap);
	return status;
}

int mql_html_note(mql_html *h, const char *text)
{
	write_paragraph(h, "note", text);
	return MQL_OK;
}

int mql_html_notef(mql_html *h, const char *fmt, ...)
{
	va_list ap;
	int status;
	va_start(ap, fmt);
	status = write_paragraph_v(h, "note", fmt, ap);
	va_end(ap);
	return status;
}

int mql_html_key_figures(mql_html *h, size_t count, const char *const *labels,
			 const char *const *values)
{
	if (count && (!labels || !values))
		return MQL_ERR_USAGE;
	fputs("<div class=\"figures\">\n", h->fp);
	for (size_t i = 0; i < count; i++) {
		fputs("<div class=\"figure\"><div class=\"value\">", h->fp);
		mql_html_escape(h->fp, values[i]);
		fputs("</div><div class=\"label\">", h->fp);
		mql_html_escape(h->fp, labels[i]);
		fputs("</div></div>\n", h->fp);
	}
	fputs("</div>\n", h->fp);
	return MQL_OK;
}

int mql_html_links(mql_html *h, size_t count, const char *const *labels,
		   const char *const *hrefs, const char *const *whats)
{
	if (count && (!labels || !hrefs))
		return MQL_ERR_USAGE;
	fputs("<ul>\n", h->fp);
	for (size_t i = 0; i < count; i++) {
		fputs("<li><a href=\"", h->fp);
		mql_html_escape(h->fp, hrefs[i]);
		fputs("\">", h->fp);
		mql_html_escape(h->fp, labels[i]);
		fputs("</a>", h->fp);
		if (whats && whats[i]) {
			fputs(": ", h->fp);
			mql_html_escape(h->fp, whats[i]);
		}
		fputs("</li>\n", h->fp);
	}
	fputs("</ul>\n", h->fp);
	return MQL_OK;
}

/* A malloc'd text from a printf format (see mql_format_text). */
static int text_of(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int text_of(char **out, const char *fmt, ...)
{
	va_list ap;
	int status;
	va_start(ap, fmt);
	status = mql_format_text(out, fmt, ap);
	va_end(ap);
	return status;
}

/*
 * Estimated width in px of a table column at the table's font size: its
 * longest header word (headers wrap between words) or its longest cell,
 * cells of text capped where they wrap, plus the cell's padding.
 */
static double column_width(size_t column_count, const char *const *header,
			   const int *numeric, size_t row_count,
			   const char *const *cells, size_t c)
{
	size_t longest = 0, word = 0;
	for (const char *s = header[c] ? header[c] : "";; s++) {
		if (*s == ' ' || *s == '\0') {
			longest = word > longest ? word : longest;
			word = 0;
			if (*s == '\0')
				break;
		} else if (((unsigned char)*s & 0xC0) != 0x80) {
			word++;
		}
	}
	for (size_t r = 0; r < row_count; r++) {
		const char *cell = cells[r * column_count + c];
		size_t length = 0;
		for (; cell && *cell; cell++)
			length += ((unsigned char)*cell & 0xC0) != 0x80;
		if (!(numeric && numeric[c]) && length > TABLE_TEXT_WRAP)
			length = TABLE_TEXT_WRAP;
		longest = length > longest ? length : longest;
	}
	return (double)longest * TABLE_CHAR_WIDTH + TABLE_CELL_PADDING;
}

/*
 * The columns repeated in every part of a split table: the leading text
 * columns (the row's names), at least the first, never all.
 */
static size_t key_columns(size_t column_count, const int *numeric)
{
	size_t keys = 1;
	while (numeric && keys + 1 < column_count && !numeric[keys])
		keys++;
	return keys;
}

/*
 * Where each part of a table split to fit the page's width begins:
 * starts[k] is the first column (after the keys, repeated in every part)
 * of part k.  Returns the number of parts (at least 1).
 */
static size_t split_columns(size_t column_count, const char *const *header,
			    const int *numeric, size_t row_count,
			    const char *const *cells, size_t keys,
			    size_t *starts)
{
	size_t parts = 1;
	double key_width = 0.0, used;
	for (size_t c = 0; c < keys; c++)
		key_width += column_width(column_count, header, numeric,
					  row_count, cells, c);
	used = key_width;
	starts[0] = keys;
	for (size_t c = keys; c < column_count; c++) {
		double width = column_width(column_count, header, numeric,
					    row_count, cells, c);
		if (used + width > TABLE_MAX_WIDTH && c > starts[parts - 1]) {
			starts[parts++] = c;
			used = key_width;
		}
		used += width;
	}
	return parts;
}

/* One cell: <th> or <td>, class num for a numeric column. */
static void write_cell(mql_html *h, const char *tag, int numeric,
		       const char *text)
{
	fprintf(h->fp, numeric ? "<%s class=\"num\">" : "<%s>", tag);
	mql_html_escape(h->fp, text);
	fprintf(h->fp, "</%s>", tag);
}

/* Which columns a part of a table shows: the keys, then [first, end). */
typedef struct table_part {
	size_t keys, first, end;
} table_part;

/* The column after c in part p. */
static size_t next_column(const table_part *p, size_t c)
{
	return c + 1 == p->keys ? p->first : c + 1;
}

/* Part of a table: its key columns and columns [first, end). */
static void write_table_part(mql_html *h, const char *caption,
			     size_t column_count, const char *const *header,
			     const int *numeric, size_t row_count,
			     const char *const *cells, const table_part *p)
{
	fputs("<div class=\"table\"><table>\n", h->fp);
	if (caption) {
		fputs("<caption>", h->fp);
		mql_html_escape(h->fp, caption);
		fputs("</caption>\n", h->fp);
	}
	fputs("<thead><tr>", h->fp);
	for (size_t c = 0; c < p->end; c = next_column(p, c))
		write_cell(h, "th", numeric && numeric[c], header[c]);
	fputs("</tr></thead>\n<tbody>\n", h->fp);
	for (size_t r = 0; r < row_count; r++) {
		fputs("<tr>", h->fp);
		for (size_t c = 0; c < p->end; c = next_column(p, c))
			write_cell(h, "td", numeric && numeric[c],
				   cells[r * column_count + c]);
		fputs("</tr>\n", h->fp);
	}
	fputs("</tbody>\n</table></div>\n", h->fp);
}

int mql_html_table(mql_html *h, const char *caption, size_t column_count,
		   const char *const *header, const int *numeric,
		   size_t row_count, const char *const *cells)
{
	size_t *starts, parts, keys;
	if (!header || column_count == 0 || (row_count && !cells))
		return MQL_ERR_USAGE;
	starts = malloc(column_count * sizeof *starts);
	if (!starts)
		return MQL_ERR_NOMEM;
	keys = key_columns(column_count, numeric);
	parts = split_columns(column_count, header, numeric, row_count, cells,
			      keys, starts);
	for (size_t k = 0; k < parts; k++) {
		char *part_caption = NULL;
		table_part part = {keys, starts[k],
				   k + 1 < parts ? starts[k + 1]
						 : column_count};
		if (parts > 1 &&
		    text_of(&part_caption, "%s%s(part %zu of %zu)",
			    caption ? caption : "", caption ? " " : "", k + 1,
			    parts) != 0) {
			free(starts);
			return MQL_ERR_NOMEM;
		}
		write_table_part(h, parts > 1 ? part_caption : caption,
				 column_count, header, numeric, row_count,
				 cells, &part);
		free(part_caption);
	}
	free(starts);
	return MQL_OK;
}

int mql_html_finish(mql_html *h, mql_error *err)
{
	fputs("<footer>Made with mqlcal " MQL_VERSION ".</footer>\n"
	      "</body>\n</html>\n",
	      h->fp);
	if (fflush(h->fp) != 0 || ferror(h->fp))
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the report");
	return MQL_OK;
}

void mql_html_free(mql_html *h)
{
	free(h);
}
