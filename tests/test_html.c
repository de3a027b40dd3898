/*
 * test_html.c - the report page: escaping, structure, and chart geometry
 * worked out by hand from the layout constants of html_chart.c.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/html.h>

typedef struct page {
	FILE *fp;
	char *text;
	size_t size;
	mql_html *html;
} page;

static void open_page(page *p, const char *title)
{
	p->text = NULL;
	p->size = 0;
	p->fp = open_memstream(&p->text, &p->size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->fp);
	p->html = mql_html_new(p->fp, title, "as of 2026-03-31");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p->html);
}

static void close_page(page *p)
{
	CU_ASSERT_EQUAL(mql_html_finish(p->html, NULL), MQL_OK);
	mql_html_free(p->html);
	fclose(p->fp);
}

static size_t occurrences(const char *text, const char *what)
{
	size_t count = 0;
	for (const char *s = strstr(text, what); s; s = strstr(s + 1, what))
		count++;
	return count;
}

static void text_is_escaped_and_page_closed(void)
{
	page p;
	const char *labels[] = {"leads", "MQL rate"};
	const char *values[] = {"20,000", "<12%>"};
	const char *header[] = {"channel", "mql"};
	const int numeric[] = {0, 1};
	const char *cells[] = {"R&D \"events\"", "12", "web", NULL};
	open_page(&p, "Funnel <Q1>");
	CU_ASSERT_EQUAL(mql_html_heading(p.html, 2, "A & B"), MQL_OK);
	CU_ASSERT_EQUAL(
		mql_html_paragraphf(p.html, "%d leads in '%s'", 3, "<x>"),
		MQL_OK);
	CU_ASSERT_EQUAL(mql_html_note(p.html, "small groups"), MQL_OK);
	CU_ASSERT_EQUAL(mql_html_key_figures(p.html, 2, labels, values),
			MQL_OK);
	CU_ASSERT_EQUAL(mql_html_table(p.html, "By channel", 2, header, numeric,
				       2, cells),
			MQL_OK);
	close_page(&p);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<title>Funnel &lt;Q1&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<h2>A &amp; B</h2>"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(p.text, "<p>3 leads in &#39;&lt;x&gt;&#39;</p>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "&lt;12%&gt;"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(p.text, "<td>R&amp;D &quot;events&quot;</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<td class=\"num\">12</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<td class=\"num\"></td>"));
	CU_ASSERT_EQUAL(occurrences(p.text, "<tr>"), 3);
	CU_ASSERT_EQUAL(occurrences(p.text, "</tr>"), 3);
	CU_ASSERT_PTR_NULL(strstr(p.text, "http"));
	CU_ASSERT_PTR_NULL(strstr(p.text, "<script"));
	CU_ASSERT_EQUAL(strcmp(p.text + p.size - 8, "</html>\n"), 0);
	free(p.text);
}

/*
 * One bar 0.5 with interval [0.4, 0.6] and no notes.  Labels are short, so
 * the label column is its minimum 80 units and the plot ends 16 before the
 * 720-unit width: x = 80 .. 704.  The data reach 0.6; a step of 0.1 (raw
 * 0.6 / 5 = 0.12 rounds to 0.1) keeps the axis at 0 .. 0.6.
 * x(0.5) = 80 + 0.5 / 0.6 * 624 = 600; x(0.4) = 496; x(0.6) = 704.
 */
static void bar_chart_places_bars_and_whiskers(void)
{
	page p;
	const mql_html_bar bars[] = {
		{"paid", 0.5, 0.4, 0.6, NULL, 0},
		{"none", NAN, NAN, NAN, NULL, 0},
	};
	const mql_html_bars chart = {.title = "MQL to SAL",
				     .axis_label = "accepted",
				     .percent = 1,
				     .reference = NAN,
				     .count = 2,
				     .bars = bars};
	open_page(&p, "Bars");
	CU_ASSERT_EQUAL(mql_html_bar_chart(p.html, &chart), MQL_OK);
	close_page(&p);
	/* The bar: rect from x = 80 to 600. */
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<rect x=\"80.0\" y=\"16.0\" "
					      "width=\"520.0\""));
	/* The whisker from 496 to 704 at the bar's middle (16 + 7 = 23). */
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "M496.0 23.0H704.0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">60%</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">n/a</text>"));
	CU_ASSERT_EQUAL(occurrences(p.text, "<rect"), 1);
	CU_ASSERT_PTR_NULL(strstr(p.text, "nan"));
	CU_ASSERT_PTR_NULL(strstr(p.text, "http"));
	free(p.text);
}

/*
 * A step curve through (0, 1), (10, 0.5), (20, 0.5) with a legend: the
 * plot spans x = 64 .. 626 (720 - 16 - 78 of legend: "paid" is 4 x 7
 * units, plus 50 for the swatch and margins) and y = 272 .. 12 (12 + 260
 * high).  x(10) = 64 + 10 / 20 * 562 = 345; y(0.5) = 142.
 */
static void step_chart_draws_steps(void)
{
	page p;
	const double x[] = {0, 10, 20}, y[] = {1, 0.5, 0.5};
	const mql_html_series series[] = {{"paid", 3, x, y, NULL, NULL}};
	const mql_html_xy chart = {.title = "Time to MQL",
				   .x_label = "days",
				   .y_label = "not yet MQL",
				   .y_percent = 1,
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 1,
				   .series = series};
	open_page(&p, "Steps");
	CU_ASSERT_EQUAL(mql_html_step_chart(p.html, &chart), MQL_OK);
	CU_ASSERT_EQUAL(mql_html_line_chart(p.html, &chart), MQL_OK);
	close_page(&p);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(p.text, "M64.0 12.0H345.0V142.0H626.0V142.0"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(p.text, "M64.0 12.0L345.0 142.0L626.0 142.0"));
	/* Two charts, two clip paths with their own ids. */
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "id=\"mql-plot-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "id=\"mql-plot-2\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">paid</text>"));
	free(p.text);
}

/*
 * The same curve (x as above) with a band from 0.3 to 0.7 after day 10:
 * y(0.7) = 272 -
 * 0.7 * 260 = 90, y(0.3) = 194.  The band goes along the upper ends in
 * steps, then back along the lower ends, the first step at low = 1.
 */
static void step_band_follows_the_steps(void)
{
	page p;
	const double x[] = {0, 10, 20}, y[] = {1, 0.5, 0.5};
	const double low[] = {1, 0.3, 0.3}, high[] = {1, 0.7, 0.7};
	const mql_html_series series[] = {{"paid", 3, x, y, low, high}};
	const mql_html_xy chart = {.title = "t",
				   .y_percent = 1,
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 1,
				   .series = series};
	open_page(&p, "Band");
	CU_ASSERT_EQUAL(mql_html_step_chart(p.html, &chart), MQL_OK);
	close_page(&p);
	CU_ASSERT_PTR_NOT_NULL(strstr(
		p.text, "M64.0 12.0H345.0V90.0H626.0V90.0L626.0 194.0"
			"H626.0V194.0L345.0 194.0H345.0V12.0L64.0 12.0Z"));
	free(p.text);
}

/* The reference series is dark and dashed; the others keep the palette
 * colours they would have without it (first blue, second orange). */
static void reference_series_stands_apart(void)
{
	page p;
	const double x[] = {0, 1}, y[] = {0, 1};
	const mql_html_series series[] = {{"web", 2, x, y, NULL, NULL},
					  {"all", 2, x, y, NULL, NULL},
					  {"events", 2, x, y, NULL, NULL}};
	const mql_html_xy chart = {.title = "t",
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 3,
				   .series = series};
	open_page(&p, "Reference");
	CU_ASSERT_EQUAL(mql_html_xy_chart(p.html, &chart, 0, 1), MQL_OK);
	close_page(&p);
	CU_ASSERT_EQUAL(
		occurrences(p.text, "stroke=\"#333\" stroke-width=\"3\""),
		2); /* the line and its legend swatch */
	CU_ASSERT_EQUAL(occurrences(p.text, "stroke=\"#0072B2\""), 2);
	CU_ASSERT_EQUAL(occurrences(p.text, "stroke=\"#E69F00\""), 2);
	free(p.text);
}

static void bad_arguments_are_refused(void)
{
	page p;
	const double x[] = {0};
	const mql_html_series half_band[] = {{"a", 1, x, x, x, NULL}};
	const mql_html_xy chart = {.title = "t",
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 1,
				   .series = half_band};
	const mql_html_bars no_bars = {
		.title = "t", .reference = NAN, .count = 3, .bars = NULL};
	open_page(&p, "Bad");
	CU_ASSERT_EQUAL(mql_html_step_chart(p.html, &chart), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_html_bar_chart(p.html, &no_bars), MQL_ERR_USAGE);
	close_page(&p);
	free(p.text);
	mql_html_free(NULL);
}

/*
 * Twelve columns: the first ("channel" over "web": 7 x 8.2 + 20 = 77.4
 * px) and eleven of "123,456,789" (11 x 8.2 + 20 = 110.2 px).  In 680 px
 * the first and five others fit (77.4 + 5 x 110.2 = 628.4), a sixth does
 * not: parts of columns 1-5, 6-10 and 11, each led by the first.
 */
static void wide_table_is_split(void)
{
	page p;
	const char *header[12] = {"channel"};
	const char *cells[12] = {"web"};
	int numeric[12] = {0};
	for (int c = 1; c < 12; c++) {
		header[c] = "column";
		cells[c] = "123,456,789";
		numeric[c] = 1;
	}
	open_page(&p, "Wide");
	CU_ASSERT_EQUAL(mql_html_table(p.html, "By channel", 12, header,
				       numeric, 1, cells),
			MQL_OK);
	close_page(&p);
	CU_ASSERT_EQUAL(occurrences(p.text, "<table>"), 3);
	CU_ASSERT_EQUAL(occurrences(p.text, "<th>channel</th>"), 3);
	CU_ASSERT_EQUAL(occurrences(p.text, "<td>web</td>"), 3);
	CU_ASSERT_EQUAL(occurrences(p.text, "<th class=\"num\">column</th>"),
			11);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(p.text, "<caption>By channel (part 1 of 3)</caption>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		p.text, "<caption>By channel (part 3 of 3)</caption>\n"
			"<thead><tr><th>channel</th><th class=\"num\">column"
			"</th></tr></thead>"));
	CU_ASSERT_PTR_NULL(strstr(p.text, "overflow-x:auto"));
	free(p.text);
	/*
	 * With a second text column ("period" over "2026-03", 77.4 px) both
	 * lead every part: 154.8 + 4 x 110.2 = 595.6 fits, a fifth does not,
	 * so the eleven numbers go in parts of 4, 4 and 3.
	 */
	const char *header2[13] = {"channel", "period"};
	const char *cells2[13] = {"web", "2026-03"};
	int numeric2[13] = {0, 0};
	for (int c = 2; c < 13; c++) {
		header2[c] = "column";
		cells2[c] = "123,456,789";
		numeric2[c] = 1;
	}
	open_page(&p, "Wide with two keys");
	CU_ASSERT_EQUAL(
		mql_html_table(p.html, NULL, 13, header2, numeric2, 1, cells2),
		MQL_OK);
	close_page(&p);
	CU_ASSERT_EQUAL(occurrences(p.text, "<table>"), 3);
	CU_ASSERT_EQUAL(occurrences(p.text, "<td>2026-03</td>"), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<caption>(part 3 of 3)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		p.text, "<td>web</td><td>2026-03</td><td class=\"num\">"
			"123,456,789</td><td class=\"num\">123,456,789</td>"
			"<td class=\"num\">123,456,789</td></tr>\n</tbody>"));
	free(p.text);
}

/*
 * Months on the x axis and the PSI's reference lines.  One unnamed series
 * (no legend): the plot would span x = 64 .. 704, but the last label,
 * "2026-03" (7 characters of 7 units), is centred on its right end and
 * must end 4 units inside the 720 of the chart: right = 720 - 24.5 - 4 =
 * 691.5.  Categories 0 .. 2 at 64, 377.75 and 691.5, labels 16 under the
 * axis at y = 272.  The y axis reaches the
 * 0.25 line (ticks of 0.05): y(0.1) = 272 - 0.1 / 0.25 * 260 = 168.
 */
static void months_and_reference_lines(void)
{
	page p;
	const double x[] = {0, 1, 2}, y[] = {0.02, 0.03, 0.01};
	const double lines[] = {0.1, 0.25};
	const char *labels[] = {"0.1: moderate", "0.25: major"};
	const char *months[] = {"2026-01", "2026-02", "2026-03"};
	const mql_html_series series[] = {{NULL, 3, x, y, NULL, NULL}};
	const mql_html_xy chart = {.title = "PSI",
				   .x_label = "month",
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 1,
				   .series = series,
				   .x_categories = months,
				   .x_category_count = 3,
				   .line_count = 2,
				   .lines = lines,
				   .line_labels = labels};
	open_page(&p, "Months");
	CU_ASSERT_EQUAL(mql_html_line_chart(p.html, &chart), MQL_OK);
	close_page(&p);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text,
				      "<text x=\"377.8\" y=\"288.0\" "
				      "text-anchor=\"middle\">2026-02<"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">2026-03</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "x1=\"64.0\" y1=\"168.0\" "
					      "x2=\"691.5\" y2=\"168.0\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "<text x=\"687.5\" y=\"163.0\" "
					      "text-anchor=\"end\">0.1: "
					      "moderate</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">0.25: major</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">0.25</text>"));
	free(p.text);
}

/*
 * A long legend name goes under the plot, whole; a flagged bar is
 * vermillion, the others blue; money ticks carry the currency.  Bars of
 * 625 and 5,544: ticks of 1,000 up to 6,000.
 */
static void legends_flags_and_money(void)
{
	page p;
	const double x[] = {0, 1}, y[] = {0.5, 0.6};
	const char *name = "notebooks-data/review/rules.json of the review";
	const mql_html_series series[] = {{name, 2, x, y, NULL, NULL}};
	const mql_html_xy chart = {.title = "t",
				   .x_min = NAN,
				   .x_max = NAN,
				   .y_min = NAN,
				   .y_max = NAN,
				   .series_count = 1,
				   .series = series};
	const mql_html_bar bars[] = {
		{"paid", 625, NAN, NAN, NULL, 0},
		{"syndication", 5544, NAN, NAN, NULL, 1},
	};
	const mql_html_bars money = {.title = "Cost per MQL",
				     .reference = NAN,
				     .count = 2,
				     .bars = bars,
				     .money = 1,
				     .currency = "EUR"};
	open_page(&p, "Legends");
	CU_ASSERT_EQUAL(mql_html_line_chart(p.html, &chart), MQL_OK);
	CU_ASSERT_EQUAL(mql_html_bar_chart(p.html, &money), MQL_OK);
	close_page(&p);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, "review</text>"));
	CU_ASSERT_PTR_NULL(strstr(p.text, "\xe2\x80\xa6"));
	CU_ASSERT_EQUAL(occurrences(p.text, "fill=\"#D55E00\""), 1);
	CU_ASSERT_EQUAL(occurrences(p.text, "fill=\"#0072B2\""), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">EUR\xc2\xa0"
					      "6,000</text>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.text, ">EUR\xc2\xa0"
					      "0</text>"));
	free(p.text);
}

CU_TestInfo test_html[] = {
	{"wide table is split", wide_table_is_split},
	{"months and reference lines", months_and_reference_lines},
	{"legends, flags and money", legends_flags_and_money},
	{"text is escaped and the page closed",
	 text_is_escaped_and_page_closed},
	{"bar chart places bars and whiskers",
	 bar_chart_places_bars_and_whiskers},
	{"step chart draws steps", step_chart_draws_steps},
	{"step band follows the steps", step_band_follows_the_steps},
	{"reference series stands apart", reference_series_stands_apart},
	{"bad arguments are refused", bad_arguments_are_refused},
	CU_TEST_INFO_NULL,
};
