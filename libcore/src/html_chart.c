/*
 * html_chart.c - inline SVG charts for the report page (see html.h): a
 * horizontal bar chart with interval whiskers, line charts and step charts.
 *
 * Geometry is in SVG user units with a fixed width; the page's style sheet
 * scales the SVG down on narrow screens.  Text widths are estimated (about
 * 7 units per character at 12px), which is enough to lay out labels
 * without a font engine.  Inline SVG in HTML needs no namespace
 * declaration, so the page holds no URL at all.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/figures.h>
#include <mqlcal/html.h>

#include "html_internal.h"

#define CHART_WIDTH	720.0
#define CHAR_WIDTH	7.0
#define MAX_LABEL	32    /* characters of a label before it is cut */
#define MAX_LEGEND	90    /* characters of a legend name before it is cut */
#define MAX_SIDE_LEGEND 250.0 /* widest legend beside the plot, in units */
#define PALETTE_SIZE	8
#define AXIS_COLOR	"#999"
#define GRID_COLOR	"#e6e6e6"
#define WHISKER_COLOR	"#222"
#define FLAG_COLOR	"#D55E00" /* Okabe-Ito vermillion: groups to act on */
#define LINE_COLOR	"#333"	  /* reference lines */

/* Okabe & Ito's colour-blind-safe palette, yellow moved last (faint). */
static const char *const palette[PALETTE_SIZE] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00",
	"#CC79A7", "#56B4E9", "#000000", "#F0E442"};

/* A linear map from a data range onto a pixel range, with its ticks. */
typedef struct axis {
	double lo, hi;		   /* data range, widened to whole ticks */
	double step;		   /* distance between ticks */
	double pixel_lo, pixel_hi; /* where lo and hi land */
	int percent;		   /* tick labels as percentages */
	int money;		   /* tick labels as amounts */
	const char *currency;	   /* of the amounts, or NULL */
} axis;

/* A tick distance of 1, 2 or 5 times a power of ten, giving ~target ticks. */
static double nice_step(double range, int target)
{
	double raw = range / target;
	double magnitude = pow(10.0, floor(log10(raw)));
	double norm = raw / magnitude;
	if (norm < 1.5)
		return magnitude;
	if (norm < 3.0)
		return 2.0 * magnitude;
	if (norm < 7.0)
		return 5.0 * magnitude;
	return 10.0 * magnitude;
}

/* Sets up a with ticks covering [lo, hi]; a degenerate range is widened. */
static void axis_init(axis *a, double lo, double hi, int percent,
		      double pixel_lo, double pixel_hi)
{
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0.0;
		hi = 1.0;
	}
	if (hi - lo < 1e-12 * (fabs(hi) + 1.0)) {
		hi = lo + (percent ? 0.1 : 1.0);
		if (lo > 0 && !percent)
			lo -= 1.0;
	}
	a->step = nice_step(hi - lo, 5);
	a->lo = floor(lo / a->step + 1e-9) * a->step;
	a->hi = ceil(hi / a->step - 1e-9) * a->step;
	a->pixel_lo = pixel_lo;
	a->pixel_hi = pixel_hi;
	a->percent = percent;
	a->money = 0;
	a->currency = NULL;
}

static double axis_map(const axis *a, double value)
{
	return a->pixel_lo +
	       (value - a->lo) / (a->hi - a->lo) * (a->pixel_hi - a->pixel_lo);
}

/* A tick label: decimals enough for the step, "%" for proportions. */
static void tick_label(const axis *a, double value, char *buf, size_t n)
{
	double shown = a->percent ? value * 100.0 : value;
	double step = a->percent ? a->step * 100.0 : a->step;
	int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (fabs(shown) < step * 1e-6)
		shown = 0.0; /* no "-0" */
	if (a->money) {
		mql_figure_amount(buf, n, shown, a->currency);
		return;
	}
	snprintf(buf, n, "%.*f%s", decimals, shown, a->percent ? "%" : "");
}

/* Number of ticks of a, with a guard against a runaway loop. */
static int tick_count(const axis *a)
{
	double count = floor((a->hi - a->lo) / a->step + 0.5) + 1.0;
	return count > 50.0 ? 50 : (int)count;
}

/* Characters (not bytes) of a UTF-8 string. */
static size_t text_length(const char *s)
{
	size_t length = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			length++;
	return length;
}

/*
 * Writes text in a <text> element, cut to max characters with an ellipsis;
 * the full text is then kept in a <title> so it shows on hover.
 */
static void write_text(FILE *fp, double x, double y, const char *anchor,
		       const char *text, size_t max)
{
	size_t length = text_length(text);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y,
		anchor);
	if (length <= max) {
		mql_html_escape(fp, text);
	} else {
		size_t chars = 0;
		const char *s = text;
		fputs("<title>", fp);
		mql_html_escape(fp, text);
		fputs("</title>", fp);
		for (; *s; s++) {
			if (((unsigned char)*s & 0xC0) != 0x80 &&
			    ++chars > max - 1)
				break;
			switch (*s) {
			case '&': fputs("&amp;", fp); break;
			case '<': fputs("&lt;", fp); break;
			case '>': fputs("&gt;", fp); break;
			default: putc(*s, fp);
			}
		}
		fputs("\xe2\x80\xa6", fp); /* U+2026 ellipsis */
	}
	fputs("</text>\n", fp);
}

static void open_figure(mql_html *h, const char *title, double width,
			double height)
{
	fputs("<figure>\n", h->fp);
	if (title) {
		fputs("<figcaption>", h->fp);
		mql_html_escape(h->fp, title);
		fputs("</figcaption>\n", h->fp);
	}
	fprintf(h->fp,
		"<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
		"role=\"img\" aria-label=\"",
		width, height, width, height);
	mql_html_escape(h->fp, title ? title : "chart");
	fputs("\">\n", h->fp);
	h->chart_count++;
}

static void close_figure(mql_html *h)
{
	fputs("</svg>\n</figure>\n", h->fp);
}

/* Vertical grid lines and labels of a horizontal value axis at y. */
static void draw_x_axis(FILE *fp, const axis *a, double top, double y,
			const char *label)
{
	char text[64];
	int ticks = tick_count(a);
	for (int i = 0; i < ticks; i++) {
		double value = a->lo + i * a->step;
		double x = axis_map(a, value);
		fprintf(fp,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"/>\n",
			x, top, x, y, GRID_COLOR);
		tick_label(a, value, text, sizeof text);
		write_text(fp, x, y + 16, "middle", text, MAX_LABEL);
	}
	fprintf(fp,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"%s\"/>\n",
		a->pixel_lo, y, a->pixel_hi, y, AXIS_COLOR);
	if (label)
		write_text(fp, (a->pixel_lo + a->pixel_hi) / 2, y + 36,
			   "middle", label, 80);
}

/*
 * A horizontal axis of categories at y: a tick at each, its label under
 * every k-th so that labels do not overlap.
 */
static void draw_category_axis(FILE *fp, const mql_html_xy *c, const axis *a,
			       double top, double y)
{
	size_t longest = 1, every;
	double room;
	for (size_t i = 0; i < c->x_category_count; i++) {
		size_t length = text_length(c->x_categories[i]);
		longest = length > longest ? length : longest;
	}
	room = c->x_category_count > 1
		       ? (a->pixel_hi - a->pixel_lo) /
				 (double)(c->x_category_count - 1)
		       : a->pixel_hi - a->pixel_lo;
	every = (size_t)ceil(((double)longest * CHAR_WIDTH + 10.0) / room);
	every = every < 1 ? 1 : every;
	for (size_t i = 0; i < c->x_category_count; i++) {
		double x = axis_map(a, (double)i);
		fprintf(fp,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"/>\n",
			x, top, x, y, GRID_COLOR);
		if (i % every == 0)
			write_text(fp, x, y + 16, "middle", c->x_categories[i],
				   MAX_LEGEND);
	}
	fprintf(fp,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"%s\"/>\n",
		a->pixel_lo, y, a->pixel_hi, y, AXIS_COLOR);
	if (c->x_label)
		write_text(fp, (a->pixel_lo + a->pixel_hi) / 2, y + 36,
			   "middle", c->x_label, 80);
}

/* The chart's horizontal reference lines, each labelled at its right. */
static void draw_lines(FILE *fp, const mql_html_xy *c, const axis *x,
		       const axis *y)
{
	for (size_t i = 0; c->lines && i < c->line_count; i++) {
		double py;
		if (!isfinite(c->lines[i]))
			continue;
		py = axis_map(y, c->lines[i]);
		fprintf(fp,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\" stroke-width=\"1.5\" "
			"stroke-dasharray=\"5 3\"/>\n",
			x->pixel_lo, py, x->pixel_hi, py, LINE_COLOR);
		if (c->line_labels && c->line_labels[i])
			write_text(fp, x->pixel_hi - 4, py - 5, "end",
				   c->line_labels[i], MAX_LEGEND);
	}
}

/* Horizontal grid lines and labels of a vertical axis at x. */
static void draw_y_axis(FILE *fp, const axis *a, double x, double right,
			const char *label)
{
	char text[64];
	int ticks = tick_count(a);
	for (int i = 0; i < ticks; i++) {
		double value = a->lo + i * a->step;
		double y = axis_map(a, value);
		fprintf(fp,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"/>\n",
			x, y, right, y, GRID_COLOR);
		tick_label(a, value, text, sizeof text);
		write_text(fp, x - 6, y + 4, "end", text, MAX_LABEL);
	}
	fprintf(fp,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		"stroke=\"%s\"/>\n",
		x, a->pixel_lo, x, a->pixel_hi, AXIS_COLOR);
	if (label) {
		double middle = (a->pixel_lo + a->pixel_hi) / 2;
		fprintf(fp, "<g transform=\"translate(14 %.1f) rotate(-90)\">",
			middle);
		write_text(fp, 0, 0, "middle", label, 60);
		fputs("</g>\n", fp);
	}
}

/* The data range of the bars: values and interval ends, with 0. */
static void bar_range(const mql_html_bars *c, double *lo, double *hi)
{
	*lo = 0.0;
	*hi = 0.0;
	for (size_t i = 0; i < c->count; i++) {
		const double ends[3] = {c->bars[i].value, c->bars[i].low,
					c->bars[i].high};
		for (int k = 0; k < 3; k++) {
			if (!isfinite(ends[k]))
				continue;
			*lo = fmin(*lo, ends[k]);
			*hi = fmax(*hi, ends[k]);
		}
	}
	if (isfinite(c->reference))
		*hi = fmax(*hi, c->reference);
	if (c->percent)
		*hi = fmin(*hi, 1.0);
}

/* Width of the widest text among count labels (or notes), in units. */
static double widest(const mql_html_bar *bars, size_t count, int notes)
{
	size_t longest = 0;
	for (size_t i = 0; i < count; i++) {
		size_t length =
			text_length(notes ? bars[i].note : bars[i].label);
		if (length > longest)
			longest = length;
	}
	if (longest > MAX_LABEL)
		longest = MAX_LABEL;
	return (double)longest * CHAR_WIDTH;
}

/* One bar, its whisker, and its note. */
static void draw_bar(FILE *fp, const axis *a, const mql_html_bar *bar, double y,
		     double label_right, double note_x)
{
	const double bar_height = 14.0, cap = 4.0;
	double middle = y + bar_height / 2;
	write_text(fp, label_right - 8, middle + 4, "end", bar->label,
		   MAX_LABEL);
	if (!isfinite(bar->value)) {
		write_text(fp, axis_map(a, 0.0) + 4, middle + 4, "start", "n/a",
			   MAX_LABEL);
	} else {
		double x0 = axis_map(a, fmin(0.0, bar->value));
		double x1 = axis_map(a, fmax(0.0, bar->value));
		fprintf(fp,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.8\"/>\n",
			x0, y, x1 - x0, bar_height,
			bar->flagged ? FLAG_COLOR : palette[0]);
	}
	if (isfinite(bar->low) && isfinite(bar->high)) {
		double lo = axis_map(a, bar->low), hi = axis_map(a, bar->high);
		fprintf(fp,
			"<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f "
			"%.1fV%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
			"fill=\"none\"/>\n",
			lo, middle, hi, lo, middle - cap, middle + cap, hi,
			middle - cap, middle + cap, WHISKER_COLOR);
	}
	if (bar->note)
		write_text(fp, note_x, middle + 4, "start", bar->note,
			   MAX_LABEL);
}

int mql_html_bar_chart(mql_html *h, const mql_html_bars *c)
{
	const double row_height = 26.0;
	double label_width, note_width, top, axis_y, lo, hi, height;
	int has_reference;
	axis a;
	if (!c || (c->count && !c->bars))
		return MQL_ERR_USAGE;
	has_reference = isfinite(c->reference);
	label_width = fmax(80.0, widest(c->bars, c->count, 0) + 16.0);
	note_width = widest(c->bars, c->count, 1);
	note_width = note_width > 0 ? note_width + 16.0 : 16.0;
	note_width = fmax(note_width, c->money ? 48.0 : 16.0); /* last tick */
	top = has_reference ? 30.0 : 10.0;
	axis_y = top + (double)c->count * row_height + 4.0;
	height = axis_y + (c->axis_label ? 46.0 : 28.0);
	bar_range(c, &lo, &hi);
	axis_init(&a, lo, hi, c->percent, label_width,
		  CHART_WIDTH - note_width);
	a.money = c->money;
	a.currency = c->currency;
	if (c->percent && a.hi > 1.0)
		a.hi = 1.0;
	open_figure(h, c->title, CHART_WIDTH, height);
	draw_x_axis(h->fp, &a, top, axis_y, c->axis_label);
	for (size_t i = 0; i < c->count; i++)
		draw_bar(h->fp, &a, &c->bars[i],
			 top + (double)i * row_height + 6.0, label_width,
			 a.pixel_hi + 8.0);
	if (has_reference) {
		double x = axis_map(&a, c->reference);
		fprintf(h->fp,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\" stroke-width=\"1.5\" "
			"stroke-dasharray=\"5 3\"/>\n",
			x, top - 4, x, axis_y, LINE_COLOR);
		if (c->reference_label)
			write_text(h->fp, x, 14, "middle", c->reference_label,
				   60);
	}
	close_figure(h);
	return MQL_OK;
}

/* Width of the widest tick label of a money axis, in units. */
static double money_ticks_width(const axis *a)
{
	char text[64];
	size_t longest = 0;
	int ticks = tick_count(a);
	for (int i = 0; i < ticks; i++) {
		tick_label(a, a->lo + i * a->step, text, sizeof text);
		size_t length = text_length(text);
		longest = length > longest ? length : longest;
	}
	return (double)longest * CHAR_WIDTH;
}

/* Range of the finite values of count arrays of n entries each. */
static void values_range(const double *const *arrays, size_t count, size_t n,
			 double *lo, double *hi)
{
	for (size_t k = 0; k < count; k++) {
		if (!arrays[k])
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!isfinite(arrays[k][i]))
				continue;
			*lo = fmin(*lo, arrays[k][i]);
			*hi = fmax(*hi, arrays[k][i]);
		}
	}
}

/* The axes of an xy chart from its data and its fixed ends. */
static void xy_axes(const mql_html_xy *c, axis *x, axis *y, double left,
		    double right, double top, double bottom)
{
	double x_lo = INFINITY, x_hi = -INFINITY, y_lo = 0.0, y_hi = 0.0;
	for (size_t s = 0; s < c->series_count; s++) {
		const mql_html_series *series = &c->series[s];
		const double *ys[3] = {series->y, series->low, series->high};
		values_range(&series->x, 1, series->count, &x_lo, &x_hi);
		values_range(ys, 3, series->count, &y_lo, &y_hi);
	}
	if (c->lines)
		values_range(&c->lines, 1, c->line_count, &y_lo, &y_hi);
	if (c->x_categories) {
		x_lo = 0.0;
		x_hi = c->x_category_count > 0
			       ? (double)(c->x_category_count - 1)
			       : 0.0;
	}
	if (isfinite(c->x_min))
		x_lo = c->x_min;
	if (isfinite(c->x_max))
		x_hi = c->x_max;
	if (isfinite(c->y_min))
		y_lo = c->y_min;
	if (isfinite(c->y_max))
		y_hi = c->y_max;
	if (c->y_percent)
		y_hi = fmin(y_hi, 1.0);
	axis_init(x, x_lo, x_hi, 0, left, right);
	axis_init(y, y_lo, y_hi, c->y_percent, bottom, top);
}

/*
 * Stroke attributes of series s: its palette colour, dashed past the
 * palette; a reference series dark, thick and dashed.  Colours follow the
 * plain series only, so a reference series does not shift them.
 */
static void stroke_of(FILE *fp, size_t s, long reference)
{
	size_t colour = s;
	if ((long)s == reference) {
		fputs("stroke=\"#333\" stroke-width=\"3\" fill=\"none\" "
		      "stroke-dasharray=\"8 4\"",
		      fp);
		return;
	}
	if (reference >= 0 && (long)s > reference)
		colour--;
	fprintf(fp, "stroke=\"%s\" stroke-width=\"2\" fill=\"none\"%s",
		palette[colour % PALETTE_SIZE],
		colour >= PALETTE_SIZE ? " stroke-dasharray=\"6 3\"" : "");
}

/*
 * The path of a series: "M x y" at each start, then "L x y" (line) or
 * "H x V y" (step).  A NAN y ends the current piece.
 */
static void write_series_path(FILE *fp, const mql_html_series *series,
			      const axis *x, const axis *y, int step)
{
	int drawing = 0;
	for (size_t i = 0; i < series->count; i++) {
		double px, py;
		if (!isfinite(series->x[i]) || !isfinite(series->y[i])) {
			drawing = 0;
			continue;
		}
		px = axis_map(x, series->x[i]);
		py = axis_map(y, series->y[i]);
		if (!drawing)
			fprintf(fp, "M%.1f %.1f", px, py);
		else if (step)
			fprintf(fp, "H%.1fV%.1f", px, py);
		else
			fprintf(fp, "L%.1f %.1f", px, py);
		drawing = 1;
	}
}

/* Whether point i has a finite band. */
static int band_at(const mql_html_series *series, size_t i)
{
	return isfinite(series->x[i]) && isfinite(series->low[i]) &&
	       isfinite(series->high[i]);
}

/*
 * The interval band of a series as polygons over each run of points with a
 * finite band: along high forward, back along low.
 */
static void write_band(FILE *fp, const mql_html_series *series, const axis *x,
		       const axis *y, int step, size_t s)
{
	size_t start = 0;
	while (start < series->count) {
		size_t end = start;
		if (!band_at(series, start)) {
			start++;
			continue;
		}
		while (end + 1 < series->count && band_at(series, end + 1))
			end++;
		fputs("<path d=\"", fp);
		for (size_t i = start; i <= end; i++) {
			double px = axis_map(x, series->x[i]);
			if (i == start)
				fprintf(fp, "M%.1f %.1f", px,
					axis_map(y, series->high[i]));
			else if (step)
				fprintf(fp, "H%.1fV%.1f", px,
					axis_map(y, series->high[i]));
			else
				fprintf(fp, "L%.1f %.1f", px,
					axis_map(y, series->high[i]));
		}
		for (size_t i = end + 1; i-- > start;) {
			double px = axis_map(x, series->x[i]);
			if (step && i < end)
				fprintf(fp, "H%.1f",
					axis_map(x, series->x[i + 1]));
			if (step && i < end)
				fprintf(fp, "V%.1f",
					axis_map(y, series->low[i]));
			fprintf(fp, "L%.1f %.1f", px,
				axis_map(y, series->low[i]));
		}
		fprintf(fp, "Z\" fill=\"%s\" fill-opacity=\"0.15\"/>\n",
			palette[s % PALETTE_SIZE]);
		start = end + 1;
	}
}

/* The legend: a swatch of each series' line and its name, whole. */
static void draw_legend(FILE *fp, const mql_html_xy *c, double x, double top,
			long reference)
{
	for (size_t s = 0; s < c->series_count; s++) {
		double y = top + (double)s * 18.0;
		fprintf(fp, "<path d=\"M%.1f %.1fh20\" ", x, y);
		stroke_of(fp, s, reference);
		fputs("/>\n", fp);
		write_text(fp, x + 26, y + 4, "start",
			   c->series[s].name ? c->series[s].name : "",
			   MAX_LEGEND);
	}
}

/*
 * Width of a legend beside the plot: the longest name, its swatch and a
 * margin; 0 for a chart of one unnamed series.
 */
static double legend_width(const mql_html_xy *c)
{
	size_t longest = 0;
	if (c->series_count == 0 ||
	    (c->series_count == 1 && !c->series[0].name))
		return 0.0;
	for (size_t s = 0; s < c->series_count; s++) {
		size_t length = text_length(c->series[s].name);
		longest = length > longest ? length : longest;
	}
	return (double)longest * CHAR_WIDTH + 50.0;
}

int mql_html_xy_chart(mql_html *h, const mql_html_xy *c, int step,
		      long reference)
{
	const double top = 12.0, plot_height = 260.0;
	double left = 64.0, legend, right, height, below;
	axis x, y;
	if (!c || (c->series_count && !c->series) ||
	    (c->x_category_count && !c->x_categories) ||
	    (c->line_count && !c->lines))
		return MQL_ERR_USAGE;
	for (size_t s = 0; s < c->series_count; s++) {
		const mql_html_series *series = &c->series[s];
		if (series->count && (!series->x || !series->y))
			return MQL_ERR_USAGE;
		if (!series->low != !series->high)
			return MQL_ERR_USAGE;
	}
	/* Names too long to sit beside the plot go under it, whole. */
	legend = legend_width(c);
	below = top + plot_height + (c->x_label ? 48.0 : 30.0);
	if (legend > MAX_SIDE_LEGEND) {
		right = CHART_WIDTH - 16.0;
		height = below + 18.0 * (double)c->series_count + 8.0;
	} else {
		right = CHART_WIDTH - 16.0 - legend;
		height = fmax(below,
			      top + 18.0 * (double)c->series_count + 10.0);
	}
	/* The last category's label is centred on the plot's right end. */
	for (size_t i = 0; c->x_categories && i < c->x_category_count; i++) {
		size_t length = text_length(c->x_categories[i]);
		double half =
			(double)(length < MAX_LABEL ? length : MAX_LABEL) *
			CHAR_WIDTH / 2.0;
		right = fmin(right, CHART_WIDTH - half - 4.0);
	}
	xy_axes(c, &x, &y, left, right, top, top + plot_height);
	if (c->y_money) {
		y.money = 1;
		y.currency = c->currency;
		left = fmax(left, money_ticks_width(&y) + 30.0);
		xy_axes(c, &x, &y, left, right, top, top + plot_height);
		y.money = 1;
		y.currency = c->currency;
	}
	open_figure(h, c->title, CHART_WIDTH, height);
	fprintf(h->fp,
		"<clipPath id=\"mql-plot-%d\"><rect x=\"%.1f\" y=\"%.1f\" "
		"width=\"%.1f\" height=\"%.1f\"/></clipPath>\n",
		h->chart_count, left, top - 2, right - left + 2,
		plot_height + 4);
	draw_y_axis(h->fp, &y, left, right, c->y_label);
	if (c->x_categories)
		draw_category_axis(h->fp, c, &x, top, top + plot_height);
	else
		draw_x_axis(h->fp, &x, top, top + plot_height, c->x_label);
	draw_lines(h->fp, c, &x, &y);
	fprintf(h->fp, "<g clip-path=\"url(#mql-plot-%d)\">\n", h->chart_count);
	for (size_t s = 0; s < c->series_count; s++)
		if (c->series[s].low)
			write_band(h->fp, &c->series[s], &x, &y, step, s);
	for (size_t s = 0; s < c->series_count; s++) {
		fputs("<path d=\"", h->fp);
		write_series_path(h->fp, &c->series[s], &x, &y, step);
		fputs("\" ", h->fp);
		stroke_of(h->fp, s, reference);
		fputs("/>\n", h->fp);
	}
	fputs("</g>\n", h->fp);
	if (legend > MAX_SIDE_LEGEND)
		draw_legend(h->fp, c, left, below + 4.0, reference);
	else if (legend > 0)
		draw_legend(h->fp, c, right + 20.0, top + 6.0, reference);
	close_figure(h);
	return MQL_OK;
}

int mql_html_line_chart(mql_html *h, const mql_html_xy *chart)
{
	return mql_html_xy_chart(h, chart, 0, -1);
}

int mql_html_step_chart(mql_html *h, const mql_html_xy *chart)
{
	return mql_html_xy_chart(h, chart, 1, -1);
}
