/*
 * test_csv.c - the row reader: RFC 4180 cases, exports' quirks, every kind
 * of bad input with its expected line and column, renames, typed cells.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/csv.h>

#include "../libcore/src/csv_internal.h"

#include "temp_file.h"

/* Writes len bytes of text to a new temporary file; its path goes to path. */
static void write_temp(char *path, size_t n, const char *text, size_t len)
{
	temp_file_write(path, n, "mqlcal-csv", text, len);
}

/* Opens text as a CSV file (the temporary file is removed at once). */
static int open_text(mql_csv **out, const char *text, size_t len,
		     const mql_csv_options *opt, mql_error *err)
{
	char path[256];
	write_temp(path, sizeof path, text, len);
	int status = mql_csv_open(out, path, opt, err);
	unlink(path);
	return status;
}

/* Reads every row of text; returns the first failing status or 0, with the
 * number of rows read in *rows. */
static int read_all(const char *text, const mql_csv_options *opt,
		    mql_error *err, size_t *rows)
{
	mql_csv *r;
	*rows = 0;
	int status = open_text(&r, text, strlen(text), opt, err);
	if (status)
		return status;
	while ((status = mql_csv_next(r, err)) == 1)
		(*rows)++;
	mql_csv_close(r);
	return status;
}

/* read_all for len bytes at text, with or without the fast splitter. */
static int read_bytes(const char *text, size_t len, int libcsv_only,
		      mql_error *err, size_t *rows)
{
	mql_csv *r;
	*rows = 0;
	int status = open_text(&r, text, len, NULL, err);
	if (status)
		return status;
	mql_csv_set_libcsv_only(r, libcsv_only);
	while ((status = mql_csv_next(r, err)) == 1)
		(*rows)++;
	mql_csv_close(r);
	return status;
}

static const char *field(mql_csv *r, size_t i)
{
	return mql_csv_field(r, i, NULL);
}

static void reads_rfc4180_fields(void)
{
	const char text[] = "\xEF\xBB\xBF"
			    "id, Name ,note\r\n"
			    "1,\"Smith, Jo\",\"said \"\"hi\"\"\"\r\n"
			    "2,  padded  ,\"two\r\nlines\"\r\n"
			    "\r\n"
			    "3,,last";
	mql_csv *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, NULL, &err),
			      0);
	CU_ASSERT_EQUAL(mql_csv_column_count(r), 3);
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 0), "id");
	CU_ASSERT_EQUAL(mql_csv_find_column(r, " NAME "), 1);
	CU_ASSERT_EQUAL(mql_csv_find_column(r, "missing"), -1);
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT_EQUAL(mql_csv_line(r), 2);
	CU_ASSERT_STRING_EQUAL(field(r, 1), "Smith, Jo");
	CU_ASSERT_STRING_EQUAL(field(r, 2), "said \"hi\"");
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT_EQUAL(mql_csv_line(r), 3);
	CU_ASSERT_STRING_EQUAL(field(r, 1), "padded");
	CU_ASSERT_STRING_EQUAL(field(r, 2), "two\r\nlines");
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	/* line 4 ends the quoted field, line 5 is blank */
	CU_ASSERT_EQUAL(mql_csv_line(r), 6);
	CU_ASSERT(mql_csv_field_missing(r, 1));
	CU_ASSERT_STRING_EQUAL(field(r, 2), "last");
	CU_ASSERT_EQUAL(mql_csv_next(r, &err), 0);
	CU_ASSERT_EQUAL(mql_csv_next(r, &err), 0);
	mql_csv_close(r);
	mql_csv_close(NULL);
}

static void ignores_trailing_empty_column(void)
{
	const char text[] = "a,b,\r\n1,Select,\r\n2,x,\r\n";
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.na = "select";
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	CU_ASSERT_EQUAL(mql_csv_column_count(r), 2);
	CU_ASSERT(mql_csv_has_trailing_column(r));
	CU_ASSERT_PTR_NULL(mql_csv_column_name(r, 2));
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT(mql_csv_field_missing(r, 1));
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT(!mql_csv_field_missing(r, 1));
	CU_ASSERT_EQUAL(mql_csv_next(r, &err), 0);
	mql_csv_close(r);
}

static void honours_delimiter(void)
{
	const char text[] = "a;b\n\"1;5\";2\n";
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.delimiter = ';';
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT_STRING_EQUAL(field(r, 0), "1;5");
	CU_ASSERT_STRING_EQUAL(field(r, 1), "2");
	mql_csv_close(r);
}

/* Opens text with notes and reads its header: 0, or the error.  *first
 * gets the header's first name, *line the line of the first data row. */
static int header_after_title(const char *text, mql_csv_notes *notes,
			      char *first, size_t n, long *line)
{
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.notes = notes;
	int status = open_text(&r, text, strlen(text), &opt, &err);
	if (status)
		return status;
	snprintf(first, n, "%s", mql_csv_column_name(r, 0));
	status = mql_csv_next(r, &err);
	*line = mql_csv_line(r);
	mql_csv_close(r);
	return status == 1 ? 0 : -1;
}

/* UTF-16 units cut by the end of a read wait for the next one: a
 * surrogate pair, or the second byte of a unit; at the end of the file
 * they are bad bytes (0xFF). */
static void utf16_waits_for_cut_units(void)
{
	/* U+00E9, then U+1F680 as D83D DE80, little-endian */
	static const unsigned char le[] = {0xE9, 0x00, 0x3D, 0xD8, 0x80, 0xDE};
	unsigned char out[16];
	size_t used;
	size_t n = mql_csv_utf16_decode(MQL_CSV_UTF16LE, le, 4, 0, out, &used);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(used, 2);
	CU_ASSERT(memcmp(out, "\xC3\xA9", 2) == 0);
	n = mql_csv_utf16_decode(MQL_CSV_UTF16LE, le + 2, 4, 0, out, &used);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(used, 4);
	CU_ASSERT(memcmp(out, "\xF0\x9F\x9A\x80", 4) == 0);
	/* the offset of that text back in the file: 2 + 4 bytes */
	CU_ASSERT_EQUAL(
		mql_csv_utf16_offset((const unsigned char *)"\xC3\xA9"
							    "\xF0\x9F\x9A\x80",
				     6),
		6);
	/* a byte of a unit */
	n = mql_csv_utf16_decode(MQL_CSV_UTF16LE, le, 3, 0, out, &used);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(used, 2);
	/* big-endian 'A', then the file ends inside a pair, then on a byte */
	static const unsigned char be[] = {0x00, 0x41, 0xD8, 0x3D};
	n = mql_csv_utf16_decode(MQL_CSV_UTF16BE, be, 4, 1, out, &used);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(used, 4);
	CU_ASSERT(memcmp(out, "A\xFF", 2) == 0);
	n = mql_csv_utf16_decode(MQL_CSV_UTF16BE, be, 3, 1, out, &used);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(memcmp(out, "A\xFF", 2) == 0);
	CU_ASSERT_EQUAL(mql_csv_utf16_of(be, 4), MQL_CSV_UTF8);
	CU_ASSERT_EQUAL(mql_csv_utf16_of((const unsigned char *)"\xFE\xFF", 2),
			MQL_CSV_UTF16BE);
}

/* Told to, the header decides the separator: of ',', tab, ';' and '|' the
 * one that splits it (past any title) into the most fields, ',' on a tie;
 * untold, ',' stays. */
static void header_decides_the_delimiter(void)
{
	static const struct {
		const char *text;
		int sniff;
		size_t columns;	   /* of the header */
		const char *last;  /* its last name */
		const char *field; /* the first row's last field */
	} cases[] = {
		{"a,b\n1,2\n", 1, 2, "b", "2"},
		{"a;b\n1;2,5\n", 1, 2, "b", "2,5"},
		{"a\tb\tc\n1\t2\t3\n", 1, 3, "c", "3"},
		{"a|b\n1|2\n", 1, 2, "b", "2"},
		/* a name holding ';' in a comma header */
		{"a,b;c\n1,2\n", 1, 2, "b;c", "2"},
		/* names holding ';' or '|' in a comma header */
		{"a;b,c;d\n1;2,3\n", 1, 2, "c;d", "3"},
		{"id,x|y|z|w\n1,2\n", 1, 2, "x|y|z|w", "2"},
		/* a quoted comma is no separator */
		{"\"a,b\";c\n1;2\n", 1, 2, "c", "2"},
		/* Microsoft Advertising's tab-separated download */
		{"Report Name: Spend\r\nReport Time: 3/1/2026,3/31/2026\r\n"
		 "Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana"
		 "\r\nRows: 1\r\n\r\nTimePeriod\tSpend\r\n2026-03-01\t10\r\n",
		 1, 2, "Spend", "10"},
		/* untold: the comma */
		{"a;b\n1;2\n", 0, 1, "a;b", "1;2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mql_csv_options opt;
		mql_csv_options_init(&opt);
		opt.sniff_delimiter = cases[i].sniff;
		mql_csv *r;
		mql_error err;
		int status = open_text(&r, cases[i].text, strlen(cases[i].text),
				       &opt, &err);
		CU_ASSERT_EQUAL_FATAL(status, 0);
		size_t n = mql_csv_column_count(r);
		CU_ASSERT_EQUAL(n, cases[i].columns);
		if (n == cases[i].columns) {
			CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, n - 1),
					       cases[i].last);
			CU_ASSERT_EQUAL(mql_csv_next(r, &err), 1);
			CU_ASSERT_STRING_EQUAL(field(r, n - 1), cases[i].field);
		}
		mql_csv_close(r);
	}
}

/* A Google Ads download's title lines (its name and date range, one field
 * each) above the header are skipped and noted; a first line that is a
 * header in another delimiter, a blank line, or a file of one-field lines
 * is no title. */
static void skips_a_report_title(void)
{
	static const struct {
		const char *text;
		const char *first; /* the header's first name */
		long line;	   /* of the first data row (0: an error) */
		long title;	   /* title lines noted */
	} cases[] = {
		{"Campaign report\n\"March 1, 2026 - March 31, 2026\"\n"
		 "Campaign,Cost\nspring,10\n",
		 "Campaign", 4, 2},
		{"Campaign report\r\nCampaign,Cost\r\nspring,10\r\n",
		 "Campaign", 3, 1},
		{"Campaign,Cost\nspring,10\n", "Campaign", 2, 0},
		/* a semicolon file whose row holds a decimal comma */
		{"contact_id;size\nc1;1,5\n", "contact_id;size", 0, 0},
		/* a blank first line is no title (the reader passes it) */
		{"\nCampaign,Cost\nspring,10\n", "Campaign", 3, 0},
		{"one\ntwo\nthree\nfour\n", "one", 2, 0},
		/* four title lines are more than a report writes */
		{"a\nb\nc\nd\nCampaign,Cost\n", "a", 0, 0},
		/* Microsoft Advertising: its properties, then a blank line */
		{"\"Report Name: Spend\"\r\n\"Report Time: 3/1/2026,3/31/2026\""
		 "\r\n\"Time Zone: (GMT-08:00) Pacific Time (US & Canada); "
		 "Tijuana\"\r\n\"Report Filter: \"\r\n\"Rows: 1\"\r\n\r\n"
		 "\"TimePeriod\",\"Spend\"\r\n\"2026-03-01\",\"10\"\r\n",
		 "TimePeriod", 8, 6},
		/* properties that do not start with the report's name */
		{"\"Time Zone: UTC\"\n\n\"A\",\"B\"\n", "Time Zone: UTC", 0, 0},
		/* a line among them that is no property */
		{"\"Report Name: Spend\"\nhello\n\nA,B\n1,2\n",
		 "Report Name: Spend", 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mql_csv_notes notes;
		mql_csv_notes_init(&notes);
		char first[64] = "";
		long line = 0;
		int status = header_after_title(cases[i].text, &notes, first,
						sizeof first, &line);
		if (cases[i].line) {
			CU_ASSERT_EQUAL(status, 0);
			CU_ASSERT_EQUAL(line, cases[i].line);
		}
		CU_ASSERT_STRING_EQUAL(first, cases[i].first);
		CU_ASSERT_EQUAL(notes.count, cases[i].title ? 1 : 0);
		if (cases[i].title && notes.count == 1) {
			CU_ASSERT_EQUAL(notes.notes[0].kind,
					MQL_CSV_NOTE_TITLE);
			CU_ASSERT_EQUAL(notes.notes[0].line, 1);
			CU_ASSERT_EQUAL(notes.notes[0].lines, cases[i].title);
			CU_ASSERT_STRING_EQUAL(
				mql_csv_note_what(notes.notes[0].kind),
				"the report's title above its header");
		}
		mql_csv_notes_destroy(&notes);
	}
}

/* A header of one column holding another separator is told how to read
 * it; a header of several columns, or one without such a character, is
 * told nothing. */
static void advises_the_delimiter(void)
{
	static const struct {
		const char *text;
		const char *advice; /* NULL: none */
	} cases[] = {
		{"contact_id;created_at\nc1;2026-01-01\n", "--delimiter ';'"},
		{"contact_id\tcreated_at\n", "--delimiter tab"},
		{"contact_id|created_at\n", "--delimiter '|'"},
		{"Record ID\n1\n", NULL},
		{"a;b,c\n", NULL},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		mql_csv_options opt;
		mql_csv *r;
		mql_error err;
		mql_csv_options_init(&opt);
		CU_ASSERT_EQUAL_FATAL(open_text(&r, cases[k].text,
						strlen(cases[k].text), &opt,
						&err),
				      0);
		const char *advice = mql_csv_delimiter_advice(r);
		if (cases[k].advice) {
			CU_ASSERT_PTR_NOT_NULL(strstr(advice, cases[k].advice));
		} else {
			CU_ASSERT_STRING_EQUAL(advice, "");
		}
		mql_csv_close(r);
	}
}

typedef struct bad_case {
	const char *text;
	size_t len; /* bytes of text, which may hold NUL bytes */
	long line, column;
	const char *words; /* must appear in the message */
} bad_case;

#define BAD(text, line, column, words)                                         \
	{                                                                      \
		text, sizeof text - 1, line, column, words                     \
	}

static const bad_case bad_inputs[] = {
	BAD("", 1, 0, "empty file"),
	BAD("\xEF\xBB\xBF", 1, 0, "empty file"),
	BAD("a,b\n1,2\n3\n", 3, 2, "row has 1 fields (expected 2"),
	BAD("a,b\n1,2\n3,4,5\n", 3, 3, "row has more than 2 fields"),
	BAD("a,b\n1,2\n3,\"open\n4,5\n6,7\n", 3, 3,
	    "unterminated quoted field"),
	BAD("a,b\n1,2\n3,caf\xC3\x28\n", 3, 6, "invalid UTF-8"),
	BAD("a,b\n1,\xE2\x82\n", 2, 3, "invalid UTF-8"),
	BAD("a,b\n1,\xC0\xAF\n", 2, 3, "invalid UTF-8"),
	BAD("a,b\n1,x\"y\n", 2, 4, "quote inside an unquoted field"),
	BAD("a,b\n1,\"x\"y\n", 2, 6, "text after a closing quote"),
	BAD("a,b\n1,2\r3,4\n", 2, 0, "carriage return"),
	BAD("a,,b\n1,2,3\n", 1, 2, "column 2 has no name"),
	BAD("a,B,b\n1,2,3\n", 1, 3, "duplicate column 'b'"),
	/* a NUL byte: in a plain line, in quotes, in a line libcsv reads */
	BAD("a,b\n1,2\nc1\0X,3\n", 3, 3, "NUL byte"),
	BAD("a,b\n1,\"x\0\"\n", 2, 5, "NUL byte"),
	BAD("a,b\n1,\"x\ny\0\"\n", 3, 2, "NUL byte"),
	BAD("a\0,b\n1,2\n", 1, 2, "NUL byte"),
	/* a byte-order mark past the first bytes */
	BAD("\xEF\xBB\xBF\xEF\xBB\xBF"
	    "a,b\n1,2\n",
	    1, 4, "byte-order mark"),
	BAD("a,b\n1,2\n\xEF\xBB\xBF"
	    "3,4\n",
	    3, 1, "byte-order mark"),
	BAD("a,b\n1,x\xEF\xBB\xBF\n", 2, 4, "byte-order mark"),
	BAD("a,b\n1,\"x\n\xEF\xBB\xBF\"\n", 3, 1, "byte-order mark"),
	/* fields past the header's count, with a trailing empty column */
	BAD("a,b,\n1,2,\n3,4,,\n", 3, 4, "row has more than 3 fields"),
};

static void rejects_bad_input(void)
{
	size_t cases = sizeof bad_inputs / sizeof bad_inputs[0];
	for (size_t k = 0; k < 2 * cases; k++) {
		const bad_case *c = &bad_inputs[k % cases];
		int libcsv_only = k >= cases;
		mql_error err;
		size_t rows;
		mql_error_clear(&err);
		int status =
			read_bytes(c->text, c->len, libcsv_only, &err, &rows);
		CU_ASSERT_EQUAL(status, MQL_ERR_INPUT);
		CU_ASSERT_EQUAL(err.line, c->line);
		CU_ASSERT_EQUAL(err.column, c->column);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, c->words));
		CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "mqlcal-csv-"));
		if (status != MQL_ERR_INPUT || err.line != c->line ||
		    err.column != c->column || !strstr(err.message, c->words))
			fprintf(stderr, "\n  case %zu (%s): %d %ld:%ld %s\n",
				k % cases, libcsv_only ? "libcsv" : "split",
				status, err.line, err.column, err.message);
	}
}

static void rejects_huge_field(void)
{
	size_t huge = MQL_CSV_MAX_FIELD + 10;
	size_t len = 8 + huge + 1;
	char *text = malloc(len + 1);
	CU_ASSERT_FATAL(text != NULL);
	memcpy(text, "a,b\n1,\"x", 8);
	memset(text + 8, 'x', huge);
	memcpy(text + 8 + huge - 2, "\"\n", 2);
	text[len - 1] = '\0';
	mql_error err;
	size_t rows;
	CU_ASSERT_EQUAL(read_all(text, NULL, &err, &rows), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "longer than"));
	/* The same, unquoted and far longer: the reader must stop early. */
	size_t longer = 8 * (size_t)MQL_CSV_MAX_FIELD;
	char *more = malloc(longer + 16);
	CU_ASSERT_FATAL(more != NULL);
	memcpy(more, "a,b\n1,", 6);
	memset(more + 6, 'y', longer);
	memcpy(more + 6 + longer, "\n", 2);
	CU_ASSERT_EQUAL(read_all(more, NULL, &err, &rows), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "longer than"));
	free(more);
	free(text);
}

static void reports_missing_file(void)
{
	mql_csv *r = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(mql_csv_open(&r, "/nonexistent/x.csv", NULL, &err),
			MQL_ERR_NOFILE);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_STRING_EQUAL(err.file, "/nonexistent/x.csv");
}

static void parses_cells(void)
{
	double x;
	int b;
	CU_ASSERT(mql_cell_number(" 12.5 ", 6, &x) == 0 && x == 12.5);
	CU_ASSERT(mql_cell_number("-3e2", 4, &x) == 0 && x == -300.0);
	CU_ASSERT(mql_cell_number("1e-3", 4, &x) == 0 && x == 0.001);
	CU_ASSERT(mql_cell_number("25-50", 5, &x) == 0 && x == 25.0);
	CU_ASSERT(mql_cell_number("1000+", 5, &x) == 0 && x == 1000.0);
	CU_ASSERT_EQUAL(mql_cell_number("50-25", 5, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("-5-10", 5, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("abc", 3, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("nan", 3, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("inf", 3, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("0x10", 4, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("1e999", 5, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("", 0, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("10-", 3, &x), -1);
	CU_ASSERT_EQUAL(mql_cell_number("1,5", 3, &x), -1);
	CU_ASSERT(mql_cell_bool("Yes", 3, &b) == 0 && b == 1);
	CU_ASSERT(mql_cell_bool("FALSE", 5, &b) == 0 && b == 0);
	CU_ASSERT(mql_cell_bool("1", 1, &b) == 0 && b == 1);
	CU_ASSERT(mql_cell_bool("n", 1, &b) == 0 && b == 0);
	CU_ASSERT_EQUAL(mql_cell_bool("2", 1, &b), -1);
	CU_ASSERT_EQUAL(mql_cell_bool("yess", 4, &b), -1);
}

static void reads_typed_cells(void)
{
	const char text[] = "when,n,flag\n"
			    "2026-03-05,25-50,yes\n"
			    "01.10.2026 08:00,,\n"
			    "abc,x,maybe\n";
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_time t;
	double x;
	int b;
	mql_csv_options_init(&opt);
	opt.date_format = "%d.%m.%Y %H:%M";
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	/* date -u -d 2026-03-05 +%s */
	CU_ASSERT(mql_csv_get_time(r, 0, &t, &err) == 0 && t == 1772668800);
	CU_ASSERT(mql_csv_get_number(r, 1, &x, &err) == 0 && x == 25.0);
	CU_ASSERT(mql_csv_get_bool(r, 2, &b, &err) == 0 && b == 1);
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	/* date -u -d '2026-10-01 08:00' +%s */
	CU_ASSERT(mql_csv_get_time(r, 0, &t, &err) == 0 && t == 1790841600);
	CU_ASSERT(mql_csv_get_number(r, 1, &x, &err) == 0 && isnan(x));
	CU_ASSERT(mql_csv_get_bool(r, 2, &b, &err) == 0 && b == -1);
	CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
	CU_ASSERT_EQUAL(mql_csv_get_time(r, 0, &t, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_EQUAL(err.column, 1);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(err.message, "cannot parse 'abc' as a date"));
	CU_ASSERT_EQUAL(mql_csv_get_number(r, 1, &x, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_EQUAL(mql_csv_get_bool(r, 2, &b, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.column, 3);
	mql_csv_close(r);
}

static void renames_hubspot_header(void)
{
	const char text[] =
		"Record ID,Create Date,Original Source,"
		"First Touch Converting Campaign,"
		"Became a Marketing Qualified Lead Date,"
		"Became a Sales Qualified Lead Date,Became an Opportunity Date,"
		"Became a Customer Date,Lead Status,Job Title,"
		"Number of Employees,Industry,Country/Region,Favourite Colour\n"
		"101,2026-01-05,ORGANIC_SEARCH,Q1 webinar,2026-01-20,,,,"
		"OPEN,VP Sales,25-50,Software,Germany,blue\n";
	static const char *const expected[] = {
		"contact_id",	  "created_at",	     "channel",
		"campaign",	  "mql_at",	     "sql_at",
		"opportunity_at", "customer_at",     "lead_status",
		"job_title",	  "company_size",    "industry",
		"country",	  "Favourite Colour"};
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.preset = "hubspot";
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_csv_column_count(r), 14);
	for (size_t i = 0; i < 14; i++)
		CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, i), expected[i]);
	mql_csv_close(r);
	opt.preset = "pipedrive";
	CU_ASSERT_EQUAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unknown preset"));
}

static void renames_salesforce_header(void)
{
	const char text[] = "Id,Lead ID,CreatedDate,Lead Source,Title,"
			    "NumberOfEmployees,MQL_Date__c,Converted Date\n";
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	opt.preset = "salesforce";
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	/* the preset's first rename takes contact_id (the report's "Lead
	 * ID"), the API name keeps its name */
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 0), "Id");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 1), "contact_id");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 2), "created_at");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 3), "channel");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 4), "job_title");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 5), "company_size");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 6), "mql_at");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 7), "sql_at");
	mql_csv_close(r);
}

static void renames_with_map_file(void)
{
	const char map[] = "{\"Prospect ID\": \"contact_id\", "
			   "\"Lead Source\": \"channel\"}";
	const char bad_map[] = "[\"contact_id\"]";
	const char text[] = "Prospect ID,lead source\nx1,Google\n";
	char map_path[256];
	mql_csv_options opt;
	mql_csv *r;
	mql_error err;
	mql_csv_options_init(&opt);
	write_temp(map_path, sizeof map_path, map, sizeof map - 1);
	opt.map_path = map_path;
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			      0);
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 0), "contact_id");
	CU_ASSERT_STRING_EQUAL(mql_csv_column_name(r, 1), "channel");
	mql_csv_close(r);
	unlink(map_path);
	write_temp(map_path, sizeof map_path, bad_map, sizeof bad_map - 1);
	CU_ASSERT_EQUAL(open_text(&r, text, sizeof text - 1, &opt, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.file, map_path);
	unlink(map_path);
}

/* Opens text with a map file holding map (len bytes); returns the status
 * and leaves the message in err. */
static int open_with_map(const char *map, size_t len, mql_error *err)
{
	const char text[] = "Prospect ID\nx1\n";
	char map_path[256];
	mql_csv_options opt;
	mql_csv *r = NULL;
	mql_csv_options_init(&opt);
	write_temp(map_path, sizeof map_path, map, len);
	opt.map_path = map_path;
	int status = open_text(&r, text, sizeof text - 1, &opt, err);
	mql_csv_close(r);
	unlink(map_path);
	return status;
}

static void refuses_a_bad_map_file(void)
{
	static const struct {
		const char *map;
		long column; /* of the fault, by hand; 0: none */
		const char *message;
	} cases[] = {
		{"{\"Prospect ID\": \"contact_id\"} x", 31, "more text after"},
		{"{\"Prospect ID\": \"contact_\xff\"}", 26, "invalid UTF-8"},
		{"{\"a\": {\"b\": {\"c\": {\"d\": {}}}}}", 25,
		 "nested more than 4"},
		{"{\"Prospect ID\": 3}", 0, "value of 'Prospect ID' must be a"},
		{"", 1, "not valid JSON"},
		{"{\"a\0\": \"b\"}", 4, "a NUL byte"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		mql_error err;
		size_t len = i == 5 ? 12 : strlen(cases[i].map);
		CU_ASSERT_EQUAL(open_with_map(cases[i].map, len, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_EQUAL(err.column, cases[i].column);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, cases[i].message));
	}
	/* a file past the 1 MiB bound */
	mql_error err;
	size_t big = (1u << 20) + 1;
	char *huge = malloc(big);
	CU_ASSERT_FATAL(huge != NULL);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	CU_ASSERT_EQUAL(open_with_map(huge, big, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "larger than 1048576"));
	free(huge);
}

static void reads_across_blocks(void)
{
	/* Rows long enough to straddle the reader's 1 MiB blocks, with a
	 * two-byte UTF-8 character that lands on every possible offset. */
	size_t rows = 40000, row_len = 0;
	char *text = malloc(rows * 64 + 64);
	CU_ASSERT_FATAL(text != NULL);
	size_t len = (size_t)snprintf(text, 64, "id,name\n");
	for (size_t i = 0; i < rows; i++) {
		int n = snprintf(text + len, 64, "%zu,caf\xC3\xA9 %0*zu\n", i,
				 (int)(i % 13) + 1, i);
		len += (size_t)n;
		row_len = (size_t)n;
	}
	(void)row_len;
	mql_csv *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, len, NULL, &err), 0);
	size_t count = 0;
	int status;
	while ((status = mql_csv_next(r, &err)) == 1) {
		char expect[64];
		snprintf(expect, sizeof expect, "caf\xC3\xA9 %0*zu",
			 (int)(count % 13) + 1, count);
		if (strcmp(field(r, 1), expect) != 0 ||
		    mql_csv_line(r) != (long)count + 2) {
			CU_FAIL("row content or line differs");
			break;
		}
		count++;
	}
	CU_ASSERT_EQUAL(status, 0);
	CU_ASSERT_EQUAL(count, rows);
	mql_csv_close(r);
	free(text);
}

static void splits_plain_lines(void)
{
	/* Lines without quotes: blanks around fields dropped, blank lines
	 * (even of spaces and tabs) skipped, a trailing delimiter is one more
	 * empty field, CRLF and LF alike; the last line may lack its LF. */
	const char text[] = "a,b,c\n"
			    "  x , y\t,z  \r\n"
			    " \t \n"
			    ",,\n"
			    "\n"
			    "1,,3\r\n"
			    "p,q,\"r\"\n"
			    "s,t,u";
	static const char *const expected[][3] = {{"x", "y", "z"},
						  {"", "", ""},
						  {"1", "", "3"},
						  {"p", "q", "r"},
						  {"s", "t", "u"}};
	static const long lines[] = {2, 4, 6, 7, 8};
	mql_csv *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(open_text(&r, text, sizeof text - 1, NULL, &err),
			      0);
	for (size_t row = 0; row < 5; row++) {
		CU_ASSERT_EQUAL_FATAL(mql_csv_next(r, &err), 1);
		CU_ASSERT_EQUAL(mql_csv_line(r), lines[row]);
		for (size_t i = 0; i < 3; i++)
			CU_ASSERT_STRING_EQUAL(field(r, i), expected[row][i]);
	}
	CU_ASSERT_EQUAL(mql_csv_next(r, &err), 0);
	mql_csv_close(r);
}

static void reads_stdin(void)
{
	const char text[] = "contact_id\nabc\n";
	char path[256];
	write_temp(path, sizeof path, text, sizeof text - 1);
	int saved = dup(STDIN_FILENO);
	FILE *in = freopen(path, "rb", stdin);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	mql_csv *r;
	mql_error err;
	CU_ASSERT_EQUAL(mql_csv_open(&r, "-", NULL, &err), 0);
	CU_ASSERT_EQUAL(mql_csv_next(r, &err), 1);
	CU_ASSERT_STRING_EQUAL(field(r, 0), "abc");
	mql_csv_close(r);
	dup2(saved, STDIN_FILENO);
	close(saved);
	unlink(path);
}

CU_TestInfo test_csv[] = {
	{"splits plain lines", splits_plain_lines},
	{"reads stdin", reads_stdin},
	{"reads RFC 4180 fields", reads_rfc4180_fields},
	{"ignores trailing empty column", ignores_trailing_empty_column},
	{"honours delimiter", honours_delimiter},
	{"advises the delimiter", advises_the_delimiter},
	{"skips a report's title", skips_a_report_title},
	{"header decides the delimiter", header_decides_the_delimiter},
	{"utf-16 waits for cut units", utf16_waits_for_cut_units},
	{"rejects bad input with line and column", rejects_bad_input},
	{"rejects huge field", rejects_huge_field},
	{"reports missing file", reports_missing_file},
	{"parses cells", parses_cells},
	{"reads typed cells", reads_typed_cells},
	{"renames a HubSpot header", renames_hubspot_header},
	{"renames a Salesforce header", renames_salesforce_header},
	{"renames with a map file", renames_with_map_file},
	{"refuses a bad map file", refuses_a_bad_map_file},
	{"reads across blocks", reads_across_blocks},
	CU_TEST_INFO_NULL,
};
