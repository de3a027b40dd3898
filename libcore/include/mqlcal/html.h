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

/* A note from a printf format (the result is escaped). */
int mql_html_notef(mql_html *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A row of key figures, each a big value over a small label ("20,000" over
 * "leads").  labels and values have count entries.
 */
int mql_html_key_figures(mql_html *h, size_t count, const char *const *labels,
			 const char *const *values);

/*
 * A list of links, each "label: what" with label linking to href (a
 * relative path to another page or a CSV file; escaped here).  whats may
 * be NULL; count entries each.
 */
int mql_html_links(mql_html *h, size_t count, const char *const *labels,
		   const char *const *hrefs, const char *const *whats);

/*
 * A table.  caption may be NULL.  A table too wide for an A4 page is split
 * into parts, each repeating the leading text columns.  header has column_count
 * names; numeric (or NULL = all text) says which columns are right-aligned;
 * cells holds row_count x column_count texts, row by row (NULL or "" = empty
 * cell).
 */
int mql_html_table(mql_html *h, const char *caption, size_t column_count,
		   const char *const *header, const int *numeric,
		   size_t row_count, const char *const *cells);

/*
 * Charts.  Each is an inline SVG inside a <figure> with the title as its
 * caption, axes with tick labels, and a legend where there are several
 * series.  Colours come from one colour-blind-safe palette (Okabe-Ito), in
 * series order, so the same series index has the same colour in every
 * chart of a page; past eight series the lines are also dashed.
 */

/* One bar of a horizontal bar chart. */
typedef struct mql_html_bar {
	const char *label; /* the group, left of the bar */
	double value;	   /* bar length; NAN = no bar, "n/a" is shown */
	double low, high;  /* interval whisker; NAN = no whisker */
	const char *note;  /* text right of the bar ("52 of 310"), or NULL */
	int flagged;	   /* 1: a group to act on (a channel to kill),
			      drawn in the palette's vermillion */
} mql_html_bar;

typedef struct mql_html_bars {
	const char *title;	/* caption of the figure */
	const char *axis_label; /* under the value axis, or NULL */
	int percent;		/* values are proportions: axis in % */
	double reference;	/* a dashed vertical line (the overall rate),
				   NAN = none */
	const char *reference_label; /* legend text of that line, or NULL */
	size_t count;
	const mql_html_bar *bars; /* count bars, drawn top to bottom */
	int money;		  /* values are amounts: ticks with thousands
				     separators, prefixed by currency */
	const char *currency;	  /* "EUR", or NULL/"" for none */
} mql_html_bars;

/*
 * A horizontal bar chart: one bar per group, with its interval as a
 * whisker, so groups can be compared at a glance.  The value axis starts
 * at 0 and reaches the largest value or high (100 % at most when percent).
 * Negative values are drawn to the left of 0.
 */
int mql_html_bar_chart(mql_html *h, const mql_html_bars *chart);

/* One series of a line or step chart. */
typedef struct mql_html_series {
	const char *name; /* in the legend */
	size_t count;
	const double *x;	  /* count values, ascending */
	const double *y;	  /* count values; NAN breaks the line */
	const double *low, *high; /* a shaded interval band, or both NULL;
				     NAN leaves a gap in the band */
} mql_html_series;

typedef struct mql_html_xy {
	const char *title;   /* caption of the figure */
	const char *x_label; /* under the x axis, or NULL */
	const char *y_label; /* beside the y axis, or NULL */
	int y_percent;	     /* y values are proportions: axis in % */
	double x_min, x_max; /* axis range; NAN = from the data */
	double y_min, y_max; /* axis range; NAN = from the data and 0 */
	size_t series_count;
	const mql_html_series *series;
	/*
	 * Categories of the x axis (months, quarters), or NULL: x = 0, 1, ...
	 * is category 0, 1, ...; each has a tick, labels thinned to fit.
	 */
	const char *const *x_categories;
	size_t x_category_count;
	/* Horizontal reference lines (thresholds), each labelled at the
	   right end of the plot; NULL = none. */
	size_t line_count;
	const double *lines;
	const char *const *line_labels;
	int y_money;	      /* y values are amounts: ticks with thousands
				 separators, prefixed by currency */
	const char *currency; /* "EUR", or NULL/"" for none */
} mql_html_xy;

/* A line chart: points joined by straight lines (trends over time). */
int mql_html_line_chart(mql_html *h, const mql_html_xy *chart);

/*
 * A step chart: each y holds until the next x, then the curve drops or
 * rises vertically, as Kaplan-Meier survival curves are drawn.  The last
 * value is held to the series' last x (give the last follow-up time as a
 * final point with the same y to show how far the curve was followed).
 */
int mql_html_step_chart(mql_html *h, const mql_html_xy *chart);

/*
 * Either chart, with one series drawn as the reference the others are
 * compared to (the total over all groups): dark, thick and dashed, outside
 * the palette, so the other series keep their colours.  step: 1 for a step
 * chart, 0 for a line chart; reference: the series' index, or -1 for none.
 */
int mql_html_xy_chart(mql_html *h, const mql_html_xy *chart, int step,
		      long reference);

/*
 * Ends the page, flushes fp and reports any write error: MQL_OK or
 * MQL_ERR_IO.  Nothing may be added afterwards.
 */
int mql_html_finish(mql_html *h, mql_error *err);

/* Frees the writer (not fp).  h may be NULL. */
void mql_html_free(mql_html *h);

#endif
