/*
 * test_table.c - the tabular writer: RFC 4180 csv, json escapes and null,
 * Markdown, the aligned terminal table and the html page.
 */
#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/table.h>

/* A two-column table (name TEXT, rate REAL 2 decimals) written to memory. */
typedef struct output {
	FILE *fp;
	char *text;
	size_t size;
	mql_table *table;
} output;

static void open_output(output *out, mql_format format)
{
	out->text = NULL;
	out->size = 0;
	out->fp = open_memstream(&out->text, &out->size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out->fp);
	out->table = mql_table_new(out->fp, format);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out->table);
	CU_ASSERT_EQUAL(
		mql_table_add_column(out->table, "name", MQL_COLUMN_TEXT, 0),
		MQL_OK);
	CU_ASSERT_EQUAL(
		mql_table_add_column(out->table, "rate", MQL_COLUMN_REAL, 2),
		MQL_OK);
}

static void add_row(output *out, const char *name, double rate)
{
	CU_ASSERT_EQUAL(mql_table_set_text(out->table, 0, name), MQL_OK);
	CU_ASSERT_EQUAL(mql_table_set_real(out->table, 1, rate), MQL_OK);
	CU_ASSERT_EQUAL(mql_table_end_row(out->table), MQL_OK);
}

/* Finishes and closes; out->text then holds everything written. */
static void close_output(output *out)
{
	CU_ASSERT_EQUAL(mql_table_finish(out->table, NULL), MQL_OK);
	mql_table_free(out->table);
	fclose(out->fp);
}

static void csv_quotes_as_rfc4180(void)
{
	output out;
	open_output(&out, MQL_FORMAT_CSV);
	add_row(&out, "plain", 0.25);
	add_row(&out, "a,b", 0.1);
	add_row(&out, "say \"hi\"", NAN);
	add_row(&out, "two\nlines", 1.0 / 3.0);
	close_output(&out);
	/* RFC 4180: CRLF line ends; fields with , " or newline in quotes,
	 * quotes doubled.  Full precision: 0.1 as 0.1, 1/3 to 16 digits. */
	CU_ASSERT_STRING_EQUAL(out.text,
			       "name,rate\r\n"
			       "plain,0.25\r\n"
			       "\"a,b\",0.1\r\n"
			       "\"say \"\"hi\"\"\",\r\n"
			       "\"two\nlines\",0.3333333333333333\r\n");
	free(out.text);
}

static void csv_without_rows_has_header(void)
{
	output out;
	open_output(&out, MQL_FORMAT_CSV);
	close_output(&out);
	CU_ASSERT_STRING_EQUAL(out.text, "name,rate\r\n");
	free(out.text);
}

static void json_escapes_and_writes_null_for_nan(void)
{
	output out;
	open_output(&out, MQL_FORMAT_JSON);
	add_row(&out, "q\"b\\s\n\x01", NAN);
	add_row(&out, "x", 2.5);
	close_output(&out);
	CU_ASSERT_STRING_EQUAL(
		out.text,
		"[\n"
		"  {\"name\": \"q\\\"b\\\\s\\n\\u0001\", \"rate\": null},\n"
		"  {\"name\": \"x\", \"rate\": 2.5}\n"
		"]\n");
	free(out.text);
}

static void json_without_rows_is_empty_array(void)
{
	output out;
	open_output(&out, MQL_FORMAT_JSON);
	close_output(&out);
	CU_ASSERT_STRING_EQUAL(out.text, "[]\n");
	free(out.text);
}

static void json_writes_integers_and_null_for_infinity(void)
{
	FILE *fp;
	char *text = NULL;
	size_t size = 0;
	mql_table *t;
	fp = open_memstream(&text, &size);
	t = mql_table_new(fp, MQL_FORMAT_JSON);
	CU_ASSERT_EQUAL(mql_table_add_column(t, "n", MQL_COLUMN_INT, 0),
			MQL_OK);
	CU_ASSERT_EQUAL(mql_table_add_column(t, "x", MQL_COLUMN_REAL, 1),
			MQL_OK);
	mql_table_set_int(t, 0, -9007199254740993LL);
	mql_table_set_real(t, 1, INFINITY);
	mql_table_end_row(t);
	CU_ASSERT_EQUAL(mql_table_finish(t, NULL), MQL_OK);
	mql_table_free(t);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(
		text, "[\n  {\"n\": -9007199254740993, \"x\": null}\n]\n");
	free(text);
}

static void md_escapes_pipes_and_aligns_numbers(void)
{
	output out;
	open_output(&out, MQL_FORMAT_MD);
	add_row(&out, "a|b", 0.125);
	add_row(&out, "c", NAN);
	close_output(&out);
	/* 0.125 with 2 decimals: printf rounds half to even -> 0.12. */
	CU_ASSERT_STRING_EQUAL(out.text, "| name | rate |\n"
					 "|---|---:|\n"
					 "| a\\|b | 0.12 |\n"
					 "| c |  |\n");
	free(out.text);
}

static void table_aligns_text_left_numbers_right(void)
{
	output out;
	open_output(&out, MQL_FORMAT_TABLE);
	add_row(&out, "organic_search", 0.5);
	add_row(&out, "café", 12.345);
	close_output(&out);
	/* "café" is 4 characters in 5 bytes: padded by characters. */
	CU_ASSERT_STRING_EQUAL(out.text, "name             rate\n"
					 "organic_search   0.50\n"
					 "café            12.35\n");
	free(out.text);
}

static void html_is_a_page_with_escaped_cells(void)
{
	output out;
	open_output(&out, MQL_FORMAT_HTML);
	CU_ASSERT_EQUAL(mql_table_set_title(out.table, "Scores", "as of May"),
			MQL_OK);
	add_row(&out, "<b>&", 0.5);
	close_output(&out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, "<!DOCTYPE html>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, "<h1>Scores</h1>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, ">as of May</p>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, "<td>&lt;b&gt;&amp;</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, "<td class=\"num\">0.50</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.text, "</html>\n"));
	CU_ASSERT_PTR_NULL(strstr(out.text, "http"));
	free(out.text);
}

static void misuse_is_reported(void)
{
	output out;
	open_output(&out, MQL_FORMAT_CSV);
	CU_ASSERT_EQUAL(mql_table_set_text(out.table, 2, "x"), MQL_ERR_USAGE);
	add_row(&out, "a", 1);
	CU_ASSERT_EQUAL(
		mql_table_add_column(out.table, "late", MQL_COLUMN_INT, 0),
		MQL_ERR_USAGE);
	close_output(&out);
	free(out.text);
	mql_table_free(NULL);
}

static void formats_parse_by_name(void)
{
	mql_format f;
	CU_ASSERT_EQUAL(mql_format_parse("md", &f), 0);
	CU_ASSERT_EQUAL(f, MQL_FORMAT_MD);
	CU_ASSERT_EQUAL(mql_format_parse("xml", &f), -1);
	CU_ASSERT_STRING_EQUAL(mql_format_name(MQL_FORMAT_JSON), "json");
}

/* A value of many shapes: integers, cents, eighths, thousandths with
 * ties, and arbitrary doubles over many magnitudes, either sign. */
static double sample_value(uint64_t *state, int kind)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	uint64_t bits = *state >> 11; /* 53 random bits */
	double unit = (double)bits / 9007199254740992.0;
	double sign = (bits & 1) ? -1.0 : 1.0;
	switch (kind) {
	case 0: return sign * (double)(bits % 2000001);
	case 1: return sign * (double)(bits % 100000001) / 100.0;
	case 2: return sign * (double)(bits % 80001) / 8.0;
	case 3: return sign * (double)(bits % 1000000) / 1000.0 + 0.0005;
	case 4: return sign * unit * pow(10.0, (double)(bits % 40) - 20.0);
	default: return sign * unit * 1e15;
	}
}

/* The text printf gives: shortest %.Ng (N = 15..17) that reads back. */
static void reference_full(double value, char *buf, size_t n)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, n, "%.*g", digits, value);
		if (strtod(buf, NULL) == value)
			return;
	}
}

/* Numbers written without printf must be the bytes printf writes:
 * csv with full precision, md with the column's decimals. */
static void numbers_are_the_bytes_printf_writes(void)
{
	static const double edges[] = {0.0,
				       -0.0,
				       0.125,
				       2.675,
				       1.005,
				       -0.001,
				       1e-3,
				       9.99e-4,
				       1e-5,
				       0.1,
				       1e15,
				       999999999999999.0,
				       123456789012345.6,
				       42949672.955,
				       0.5,
				       2.5,
				       -2.5,
				       1.0 / 3.0,
				       4503599627370497.0};
	FILE *csv_fp, *md_fp;
	char *csv_text = NULL, *md_text = NULL;
	size_t csv_size = 0, md_size = 0,
	       edge_count = sizeof edges / sizeof *edges;
	csv_fp = open_memstream(&csv_text, &csv_size);
	md_fp = open_memstream(&md_text, &md_size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv_fp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md_fp);
	mql_table *csv = mql_table_new(csv_fp, MQL_FORMAT_CSV);
	mql_table *md = mql_table_new(md_fp, MQL_FORMAT_MD);
	mql_table_add_column(csv, "x", MQL_COLUMN_REAL, 2);
	mql_table_add_column(csv, "n", MQL_COLUMN_INT, 0);
	mql_table_add_column(md, "x", MQL_COLUMN_REAL, 2);
	mql_table_add_column(md, "y", MQL_COLUMN_REAL, 4);
	size_t count = edge_count + 6 * 4000;
	size_t capacity = 64 * count + 64, used = 0, md_used = 0;
	char *csv_expected = malloc(capacity), *md_expected = malloc(capacity);
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv_expected);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md_expected);
	used = (size_t)snprintf(csv_expected, capacity, "x,n\r\n");
	md_used = (size_t)snprintf(md_expected, capacity,
				   "| x | y |\n|---:|---:|\n");
	uint64_t state = 7;
	for (size_t i = 0; i < count; i++) {
		double value = i < edge_count
				       ? edges[i]
				       : sample_value(&state, (int)(i % 6));
		int64_t integer = (int64_t)(state >> 1) * ((i & 1) ? -1 : 1);
		if (i == 1)
			integer = INT64_MIN;
		char full[64];
		reference_full(value, full, sizeof full);
		used += (size_t)snprintf(csv_expected + used, capacity - used,
					 "%s,%" PRId64 "\r\n", full, integer);
		md_used += (size_t)snprintf(md_expected + md_used,
					    capacity - md_used,
					    "| %.2f | %.4f |\n", value, value);
		mql_table_set_real(csv, 0, value);
		mql_table_set_int(csv, 1, integer);
		mql_table_end_row(csv);
		mql_table_set_real(md, 0, value);
		mql_table_set_real(md, 1, value);
		mql_table_end_row(md);
	}
	CU_ASSERT_EQUAL(mql_table_finish(csv, NULL), MQL_OK);
	CU_ASSERT_EQUAL(mql_table_finish(md, NULL), MQL_OK);
	mql_table_free(csv);
	mql_table_free(md);
	fclose(csv_fp);
	fclose(md_fp);
	CU_ASSERT_STRING_EQUAL(csv_text, csv_expected);
	CU_ASSERT_STRING_EQUAL(md_text, md_expected);
	free(csv_text);
	free(md_text);
	free(csv_expected);
	free(md_expected);
}

/*
 * p-values as R prints them: format.pval(p, digits = 2) gives 0.0061,
 * 1.2e-09, 0.5, 1, 0.00012, 0.046, 1.2e-05, and summary.glm "< 2e-16"
 * below the double's epsilon.  csv keeps every digit.
 */
static void p_values_print_as_r_does(void)
{
	static const double p[] = {0.0061234, 4.5e-32,	1.23e-9, 0.5,
				   1,	      0.000123, 0.04567, 1.2e-5};
	static const char *const shown[] = {"0.0061", "< 2e-16", "1.2e-09",
					    "0.5",    "1",	 "0.00012",
					    "0.046",  "1.2e-05"};
	for (int csv = 0; csv < 2; csv++) {
		char *text = NULL;
		size_t size = 0;
		FILE *fp = open_memstream(&text, &size);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		mql_table *t = mql_table_new(fp, csv ? MQL_FORMAT_CSV
						     : MQL_FORMAT_TABLE);
		CU_ASSERT_EQUAL(
			mql_table_add_column(t, "p", MQL_COLUMN_P_VALUE, 4),
			MQL_OK);
		for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
			mql_table_set_real(t, 0, p[i]);
			mql_table_end_row(t);
		}
		CU_ASSERT_EQUAL(mql_table_finish(t, NULL), MQL_OK);
		mql_table_free(t);
		fclose(fp);
		char *line = strchr(text, '\n') + 1;
		for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
			char *end = strchr(line, '\n');
			CU_ASSERT_PTR_NOT_NULL_FATAL(end);
			*end = '\0';
			while (*line == ' ')
				line++;
			if (csv) {
				CU_ASSERT_EQUAL(strtod(line, NULL), p[i]);
			} else {
				CU_ASSERT_STRING_EQUAL(line, shown[i]);
			}
			line = end + 1;
		}
		free(text);
	}
}

/* A terminal table of columns name, count and a wide share (dropped
 * first) in width characters, to memory. */
static char *fitted_table(size_t width)
{
	static const mql_table_priority priorities[] = {
		{"share_of_all_the_leads_seen", 9}, {NULL, 0}};
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	mql_table *t = mql_table_new(fp, MQL_FORMAT_TABLE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	mql_table_add_column(t, "name", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "count", MQL_COLUMN_INT, 0);
	mql_table_add_column(t, "share_of_all_the_leads_seen", MQL_COLUMN_REAL,
			     2);
	CU_ASSERT_EQUAL(mql_table_set_priorities(t, priorities), MQL_OK);
	mql_table_set_width(t, width);
	mql_table_set_text(t, 0, "alpha");
	mql_table_set_int(t, 1, 12);
	mql_table_set_real(t, 2, 0.5);
	mql_table_end_row(t);
	mql_table_set_text(t, 0, "b");
	mql_table_set_int(t, 1, 3);
	mql_table_set_real(t, 2, NAN);
	mql_table_end_row(t);
	CU_ASSERT_EQUAL(mql_table_finish(t, NULL), MQL_OK);
	mql_table_free(t);
	fclose(fp);
	return text;
}

/* 5 + 2 + 5 + 2 + 27 = 41 characters: whole in 41, the share left out in
 * 40 with a note wrapped at its spaces; no row ends in blanks. */
static void table_fits_its_width(void)
{
	char *text = fitted_table(41);
	CU_ASSERT_STRING_EQUAL(text,
			       "name   count  share_of_all_the_leads_seen\n"
			       "alpha     12                         0.50\n"
			       "b          3\n");
	free(text);
	text = fitted_table(40);
	CU_ASSERT_STRING_EQUAL(text, "name   count\n"
				     "alpha     12\n"
				     "b          3\n"
				     "(left out to fit 40 characters:\n"
				     " share_of_all_the_leads_seen; --wide\n"
				     " shows them)\n");
	free(text);
	text = fitted_table(0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "share_of_all_the_leads_seen\n"));
	free(text);
}

/* Text wider than 24 characters is cut to what is left, with "…": at its
 * end, or at its start when it is a path. */
static void long_text_is_cut(void)
{
	output out;
	open_output(&out, MQL_FORMAT_TABLE);
	mql_table_free(out.table);
	out.table = mql_table_new(out.fp, MQL_FORMAT_TABLE);
	mql_table_add_column(out.table, "name", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(out.table, "detail", MQL_COLUMN_TEXT, 0);
	mql_table_set_width(out.table, 33);
	mql_table_set_text(out.table, 0, "alpha");
	mql_table_set_text(out.table, 1,
			   "0123456789abcdefghijklmnopqrstuvwxyzABCD");
	mql_table_end_row(out.table);
	mql_table_set_text(out.table, 0, "b");
	mql_table_set_text(out.table, 1,
			   "/very/long/path/to/the/notebooks/rules.json");
	mql_table_end_row(out.table);
	close_output(&out);
	/* 5 + 2 + 40 = 47 > 33; the detail at 24 leaves 2 more: 26, 25
	 * characters and the ellipsis */
	CU_ASSERT_STRING_EQUAL(
		out.text, "name   detail\n"
			  "alpha  0123456789abcdefghijklmno\xe2\x80\xa6\n"
			  "b      \xe2\x80\xa6/the/notebooks/rules.json\n");
	free(out.text);
}

/* A records block per row when the columns always shown do not fit:
 * values beside their names, or under them when the names take more than
 * half the width. */
static void narrow_tables_print_records(void)
{
	output out;
	open_output(&out, MQL_FORMAT_TABLE);
	mql_table_free(out.table);
	out.table = mql_table_new(out.fp, MQL_FORMAT_TABLE);
	mql_table_add_column(out.table, "first", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(out.table, "second", MQL_COLUMN_TEXT, 0);
	mql_table_set_priority(out.table, 1, 0);
	mql_table_set_width(out.table, 30);
	mql_table_set_text(out.table, 0, "a long sentence of words");
	mql_table_set_text(out.table, 1, "a long sentence of words");
	mql_table_end_row(out.table);
	mql_table_set_text(out.table, 0, "x");
	mql_table_end_row(out.table);
	close_output(&out);
	/* 24 + 2 + 24 = 50 > 30; "second: " takes 8, 22 left */
	CU_ASSERT_STRING_EQUAL(out.text, "first:  a long sentence of\n"
					 "        words\n"
					 "second: a long sentence of\n"
					 "        words\n"
					 "\n"
					 "first:  x\n"
					 "second:\n");
	free(out.text);
	open_output(&out, MQL_FORMAT_TABLE);
	mql_table_free(out.table);
	out.table = mql_table_new(out.fp, MQL_FORMAT_TABLE);
	mql_table_add_column(out.table, "name", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(out.table, "description", MQL_COLUMN_TEXT, 0);
	mql_table_set_priority(out.table, 1, 0);
	mql_table_set_width(out.table, 20);
	mql_table_set_text(out.table, 0, "alpha");
	mql_table_set_text(out.table, 1, "a long sentence of words");
	mql_table_end_row(out.table);
	close_output(&out);
	/* "description: " takes 13 of 20: values go under their names */
	CU_ASSERT_STRING_EQUAL(out.text, "name:\n"
					 "  alpha\n"
					 "description:\n"
					 "  a long sentence of\n"
					 "  words\n");
	free(out.text);
}

CU_TestInfo test_table[] = {
	{"table fits its width", table_fits_its_width},
	{"long text is cut", long_text_is_cut},
	{"narrow tables print records", narrow_tables_print_records},
	{"p-values print as R does", p_values_print_as_r_does},
	{"csv quotes as RFC 4180", csv_quotes_as_rfc4180},
	{"csv without rows has header", csv_without_rows_has_header},
	{"json escapes and writes null for NAN",
	 json_escapes_and_writes_null_for_nan},
	{"json without rows is empty array", json_without_rows_is_empty_array},
	{"json writes integers and null for infinity",
	 json_writes_integers_and_null_for_infinity},
	{"md escapes pipes and aligns numbers",
	 md_escapes_pipes_and_aligns_numbers},
	{"table aligns text left, numbers right",
	 table_aligns_text_left_numbers_right},
	{"html is a page with escaped cells",
	 html_is_a_page_with_escaped_cells},
	{"misuse is reported", misuse_is_reported},
	{"formats parse by name", formats_parse_by_name},
	{"numbers are the bytes printf writes",
	 numbers_are_the_bytes_printf_writes},
	CU_TEST_INFO_NULL,
};
