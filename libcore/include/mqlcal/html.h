/*
 * html.h - the report writer: one self-contained HTML page per report.
 *
 * Every report mqlcal writes (report, cost, channels, backtest, the review
 * summary) is built with this writer so that they all look like one
 * product.  A page is written front to back, streaming to a FILE: open it
 * with a title, add headings, paragraphs, key figures, tables and charts in
 * reading order, then finish it.
 *
 * The page is self-contained: the style sheet is inline, charts are inline
 * SVG, there are no scripts, fonts, images or links to fetch, so the file can
 * be mailed, archived and opened offline.  It prints on A4 or Letter (charts
 * and tables are not split across pages) and is written for a reader who has
 * never opened a terminal: say in a paragraph what each chart shows and how
 * to read it.
 *
 * Text arguments are plain UTF-8 and are escaped here; callers never write
 * markup.  Numbers in charts may be NAN for "unknown" (the point, bar or
 * whisker is left out, never drawn at zero).
 *
 * Errors: the adding functions return MQL_OK, or MQL_ERR_USAGE for an
 * argument that cannot be drawn (a NULL array with a non-zero count) and
 * MQL_ERR_NOMEM.  Write errors of the stream are sticky and reported once
 * by mql_html_finish.  Ownership: the writer keeps no pointer to anything it
 * is given after the call returns; it does not own or close fp.
 */
#ifndef MQLCAL_HTML_H
#define MQLCAL_HTML_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/error.h>

typedef struct mql_html mql_html;

/*
 * Starts a page on fp: the document head, the style sheet and an <h1> with
 * title; subtitle (or NULL) is a line under it ("contacts.csv, as of
 * 2026-03-31").  Returns NULL when out of memory.  Free with mql_html_free.
 */
mql_html *mql_html_new(FILE *fp, const char *title, const char *subtitle);

/* A section heading; level 2 (a section) or 3 (a subsection). */
int mql_html_heading(mql_html *h, int level, const char *text);

/* A paragraph of plain text. */
int mql_html_paragraph(mql_html *h, const char *text);

/* A paragraph from a printf format (the result is escaped). */
int mql_html_paragraphf(mql_html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A highlighted note: a caveat or warning the reader must not miss. */
int mql_html_note(mql_html *h, const char *text);

/*
 * A row of key figures, each a big value over a small label ("20,000" over
 * "leads").  labels and values have count entries.
 */
int mql_html_key_figures(mql_html *h, size_t count, const char *const *labels,
			 const char *const *values);

/*
 * A table.  caption may be NULL.  header has column_count names; numeric
 * (or NULL = all text) says which columns are right-aligned; cells holds
 * row_count x column_count texts, row by row (NULL or "" = empty cell).
 */
int mql_html_table(mql_html *h, const char *caption, size_t column_count,
		   const char *const *header, const int *numeric,
		   size_t row_count, const char *const *cells);

/*
 * Ends the page, flushes fp and reports any write error: MQL_OK or
 * MQL_ERR_IO.  Nothing may be added afterwards.
 */
int mql_html_finish(mql_html *h, mql_error *err);

/* Frees the writer (not fp).  h may be NULL. */
void mql_html_free(mql_html *h);

#endif
