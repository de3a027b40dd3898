/*
 * test_csv_memory.c - the CSV reader over memory against the same bytes in
 * a file, encodings, and Salesforce report footers.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/csv.h>

#include "temp_file.h"

/* What a reading gave: its rows joined (fields separated by 0x1F, rows by
 * 0x1E), its end status and error. */
typedef struct reading {
	char *text;
	size_t len, cap;
	size_t rows;
	int status;
	mql_error err;
} reading;

static void append(reading *out, const char *s, size_t len)
{
	if (out->len + len + 1 > out->cap) {
		size_t cap = out->cap ? out->cap : 4096;
		while (cap < out->len + len + 1)
			cap *= 2;
		char *text = realloc(out->text, cap);
		CU_ASSERT_FATAL(text != NULL);
		out->text = text;
		out->cap = cap;
	}
	memcpy(out->text + out->len, s, len);
	out->len += len;
	out->text[out->len] = '\0';
}

/* Reads every row of an open reader (or the status of its opening). */
static void read_rows(reading *out, mql_csv *r, int status)
{
	memset(out, 0, sizeof *out);
	out->status = status;
	if (status) {
		append(out, "", 0);
		return;
	}
	for (size_t i = 0; i < mql_csv_column_count(r); i++) {
		const char *name = mql_csv_column_name(r, i);
		append(out, name, strlen(name));
		append(out, "\x1F", 1);
	}
	while ((out->status = mql_csv_next(r, &out->err)) == 1) {
		append(out, "\x1E", 1);
		for (size_t i = 0; i < mql_csv_column_count(r); i++) {
			size_t len;
			const char *field = mql_csv_field(r, i, &len);
			append(out, field, len);
			append(out, "\x1F", 1);
		}
		out->rows++;
	}
	mql_csv_close(r);
}

static void read_memory(reading *out, const char *name, const char *bytes,
			size_t size, const mql_csv_options *opt)
{
	mql_csv *r = NULL;
	mql_error err;
	mql_error_clear(&err);
	int status = mql_csv_open_memory(&r, name, bytes, size, opt, &err);
	read_rows(out, r, status);
	if (status)
		out->err = err;
}

static void read_path(reading *out, const char *path,
		      const mql_csv_options *opt)
{
	mql_csv *r = NULL;
	mql_error err;
	mql_error_clear(&err);
	int status = mql_csv_open(&r, path, opt, &err);
	read_rows(out, r, status);
	if (status)
		out->err = err;
}

/* Reads a whole file into memory; NULL when it cannot. */
static char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *bytes = malloc(n > 0 ? (size_t)n : 1);
	*size = bytes ? fread(bytes, 1, (size_t)n, f) : 0;
	fclose(f);
	return bytes;
}

static int same_reading(const reading *a, const reading *b)
{
	return a->status == b->status && a->rows == b->rows &&
	       a->len == b->len && memcmp(a->text, b->text, a->len) == 0 &&
	       a->err.line == b->err.line && a->err.column == b->err.column &&
	       strcmp(a->err.message, b->err.message) == 0 &&
	       strcmp(a->err.file, b->err.file) == 0;
}

/* Every CSV fixture of a directory, read from its file and from memory
 * under its own name, in each encoding: the same rows, the same error. */
static size_t compare_directory(const char *dir)
{
	static const char *const encodings[] = {NULL, "windows-1252", "latin1"};
	size_t compared = 0;
	DIR *d = opendir(dir);
	CU_ASSERT_FATAL(d != NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name), size;
		if (n < 5 || strcmp(e->d_name + n - 4, ".csv") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *bytes = slurp(path, &size);
		CU_ASSERT_FATAL(bytes != NULL);
		for (size_t k = 0; k < 3; k++) {
			mql_csv_options opt;
			mql_csv_options_init(&opt);
			opt.encoding = encodings[k];
			reading from_file, from_memory;
			read_path(&from_file, path, &opt);
			read_memory(&from_memory, path, bytes, size, &opt);
			CU_ASSERT(same_reading(&from_file, &from_memory));
			if (!same_reading(&from_file, &from_memory))
				fprintf(stderr, "\n  %s (%s) differs\n", path,
					encodings[k] ? encodings[k] : "utf-8");
			free(from_file.text);
			free(from_memory.text);
			compared++;
		}
		free(bytes);
	}
	closedir(d);
	return compared;
}

static void memory_reads_as_file(void)
{
	CU_ASSERT(compare_directory(MQL_FIXTURES "/csv") >= 3 * 9);
	CU_ASSERT(compare_directory(MQL_FIXTURES "/fit") >= 3 * 8);
	CU_ASSERT(compare_directory(MQL_FIXTURES) >= 3 * 2);
}

/* One value read from text[0..len) with opt: field column of row row. */
static void expect_value(const char *text, size_t len, const char *encoding,
			 size_t row, size_t column, const char *want)
{
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.encoding = encoding;
	reading got;
	read_memory(&got, "t.csv", text, len, &opt);
	CU_ASSERT_EQUAL(got.status, 0);
	if (got.status)
		fprintf(stderr, "\n  %s: %ld:%ld %s\n",
			encoding ? encoding : "", got.err.line, got.err.column,
			got.err.message);
	/* find the row and field in the joined text */
	const char *p = got.text;
	for (size_t k = 0; k < row && p; k++) {
		p = strchr(p, '\x1E');
		p = p ? p + 1 : NULL;
	}
	for (size_t k = 0; k < column && p; k++) {
		p = strchr(p, '\x1F');
		p = p ? p + 1 : NULL;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	size_t n = strcspn(p, "\x1F\x1E");
	CU_ASSERT(n == strlen(want) && memcmp(p, want, n) == 0);
	if (n != strlen(want) || memcmp(p, want, n) != 0)
		fprintf(stderr, "\n  got '%.*s', expected '%s'\n", (int)n, p,
			want);
	free(got.text);
}

static void transcodes_windows_1252(void)
{
	static const char text[] = "name,city\n"
				   "M\xFCller,K\xF6ln\n"
				   "\x80 12,\x93quoted\x94\n"
				   "\x8A\x9F,\xA0\xFF\n";
	size_t len = sizeof text - 1;
	expect_value(text, len, "windows-1252", 1, 0, "M\xC3\xBCller");
	expect_value(text, len, "windows-1252", 1, 1, "K\xC3\xB6ln");
	expect_value(text, len, "windows-1252", 2, 0, "\xE2\x82\xAC 12");
	expect_value(text, len, "windows-1252", 2, 1,
		     "\xE2\x80\x9Cquoted\xE2\x80\x9D");
	expect_value(text, len, "windows-1252", 3, 0, "\xC5\xA0\xC5\xB8");
	expect_value(text, len, "windows-1252", 3, 1, "\xC2\xA0\xC3\xBF");
	/* latin1: 0x80..0x9F are the C1 controls U+0080..U+009F */
	expect_value(text, len, "latin1", 1, 0, "M\xC3\xBCller");
	expect_value(text, len, "latin1", 2, 0, "\xC2\x80 12");
	expect_value("a,b\nx,\xC3\xBC\n", 8, "utf-8", 1, 1, "\xC3\xBC");
}

/* Appends the UTF-16 unit u at out + *n. */
static void put_unit(unsigned char *out, size_t *n, uint32_t u, int big_endian)
{
	out[(*n)++] = (unsigned char)(big_endian ? u >> 8 : u);
	out[(*n)++] = (unsigned char)(big_endian ? u : u >> 8);
}

/* utf8[0..len) as UTF-16 with a byte-order mark, big_endian or not, at
 * out (room for 2 + 2 len bytes); returns its length. */
static size_t to_utf16(const unsigned char *utf8, size_t len, int big_endian,
		       unsigned char *out)
{
	size_t n = 0;
	put_unit(out, &n, 0xFEFF, big_endian);
	for (size_t i = 0; i < len;) {
		unsigned char c = utf8[i];
		size_t more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		uint32_t code = more ? c & (0x3Fu >> more) : c;
		for (size_t k = 1; k <= more; k++)
			code = code << 6 | (utf8[i + k] & 0x3Fu);
		i += more + 1;
		if (code < 0x10000) {
			put_unit(out, &n, code, big_endian);
			continue;
		}
		put_unit(out, &n, 0xD800 + ((code - 0x10000) >> 10),
			 big_endian);
		put_unit(out, &n, 0xDC00 + ((code - 0x10000) & 0x3FF),
			 big_endian);
	}
	return n;
}

/*
 * A file that starts with a UTF-16 byte-order mark is read as UTF-16,
 * either byte order, from a file or from memory: the same rows as its
 * UTF-8 text, across reads of the file (surrogate pairs and units cut by
 * a read included).  A lone surrogate or an odd last byte is bad input.
 */
static void reads_utf16(void)
{
	const char row[] = "c%05d,M\xC3\xBCller \xE2\x82\xAC\xF0\x9F\x9A\x80,"
			   "\"Caf\xC3\xA9, s\xC3\xA0rl\"\r\n";
	size_t cap = 400000, len = 0;
	char *utf8 = malloc(cap);
	unsigned char *utf16 = malloc(2 * cap + 2);
	CU_ASSERT_FATAL(utf8 && utf16);
	len += (size_t)snprintf(utf8, cap, "contact_id,name,company\r\n");
	for (int i = 0; len + 64 < cap; i++)
		len += (size_t)snprintf(utf8 + len, cap - len, row, i);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	reading want;
	read_memory(&want, "t.csv", utf8, len, &opt);
	CU_ASSERT_EQUAL_FATAL(want.status, 0);
	CU_ASSERT(want.rows > 5000);
	for (int big_endian = 0; big_endian <= 1; big_endian++) {
		size_t n = to_utf16((const unsigned char *)utf8, len,
				    big_endian, utf16);
		reading got;
		read_memory(&got, "t.csv", (const char *)utf16, n, &opt);
		CU_ASSERT_EQUAL(got.status, 0);
		CU_ASSERT_EQUAL(got.rows, want.rows);
		CU_ASSERT(got.len == want.len &&
			  memcmp(got.text, want.text, want.len) == 0);
		free(got.text);
		char path[256];
		temp_file_write(path, sizeof path, "utf16", (const char *)utf16,
				n);
		read_path(&got, path, &opt);
		unlink(path);
		CU_ASSERT_EQUAL(got.status, 0);
		CU_ASSERT(got.len == want.len &&
			  memcmp(got.text, want.text, want.len) == 0);
		free(got.text);
	}
	free(want.text);
	/* a, b / x, a high surrogate alone / y */
	static const unsigned char lone[] = {
		0xFF, 0xFE, 'a', 0, ',',  0, 'b', 0, '\n', 0, 'x', 0, ',',  0,
		0x00, 0xD8, 'z', 0, '\n', 0, 'y', 0, ',',  0, '1', 0, '\n', 0};
	reading got;
	read_memory(&got, "t.csv", (const char *)lone, sizeof lone, &opt);
	CU_ASSERT_EQUAL(got.status, MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(got.err.line, 2);
	CU_ASSERT_EQUAL(got.err.column, 3); /* units: 'x', ',', then it */
	CU_ASSERT_PTR_NOT_NULL(
		strstr(got.err.message, "half a surrogate pair"));
	free(got.text);
	/* an odd last byte */
	static const unsigned char odd[] = {0xFF, 0xFE, 'a',  0, ',', 0,
					    'b',  0,	'\n', 0, 'x', 0,
					    ',',  0,	'1',  0, '\n'};
	read_memory(&got, "t.csv", (const char *)odd, sizeof odd, &opt);
	CU_ASSERT_EQUAL(got.status, MQL_ERR_INPUT);
	free(got.text);
	free(utf8);
	free(utf16);
}

/* The error of reading text[0..len) with encoding. */
static void expect_error(const char *text, size_t len, const char *encoding,
			 long line, long column, const char *words)
{
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.encoding = encoding;
	reading got;
	read_memory(&got, "t.csv", text, len, &opt);
	CU_ASSERT_EQUAL(got.status, MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(got.err.line, line);
	CU_ASSERT_EQUAL(got.err.column, column);
	CU_ASSERT_PTR_NOT_NULL(strstr(got.err.message, words));
	CU_ASSERT_STRING_EQUAL(got.err.file, "t.csv");
	if (got.err.line != line || got.err.column != column ||
	    !strstr(got.err.message, words))
		fprintf(stderr, "\n  %ld:%ld %s\n", got.err.line,
			got.err.column, got.err.message);
	free(got.text);
}

static void rejects_bad_encodings(void)
{
	/* each undefined windows-1252 byte, at its byte column */
	static const unsigned char undefined[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
	for (size_t i = 0; i < sizeof undefined; i++) {
		char text[] = "a,b\nM\xFCller,x?\n";
		text[12] = (char)undefined[i];
		char words[16];
		snprintf(words, sizeof words, "byte 0x%02x", undefined[i]);
		expect_error(text, sizeof text - 1, "windows-1252", 2, 9,
			     words);
	}
	/* the same bytes in latin1 are characters */
	expect_value("a\n\x81\n", 4, "latin1", 1, 0, "\xC2\x81");
	/* invalid UTF-8 suggests the option */
	static const char cp1252[] = "a,b\nM\xFCller,x\n";
	expect_error(cp1252, sizeof cp1252 - 1, NULL, 2, 2,
		     "try --encoding windows-1252");
	/* a UTF-8 file read as windows-1252 */
	static const char bom[] = "\xEF\xBB\xBF"
				  "a,b\n1,2\n";
	expect_error(bom, sizeof bom - 1, "windows-1252", 1, 1,
		     "this file is UTF-8");
	/* columns count bytes of the file, not of the transcoded text */
	static const char later[] = "a,b\n\xFC\xFC\xFC,x\"y\n";
	expect_error(later, sizeof later - 1, "windows-1252", 2, 6,
		     "quote inside an unquoted field");
}

/* Text of rows data rows (2 fields) in windows-1252 with accents, long
 * enough to span several read blocks. */
static char *long_cp1252(size_t rows, size_t *len)
{
	char *text = malloc(rows * 40 + 64);
	CU_ASSERT_FATAL(text != NULL);
	size_t n = (size_t)sprintf(text, "id,name\n");
	for (size_t i = 0; i < rows; i++)
		n += (size_t)sprintf(text + n, "%zu,\xE9t\xE9\x80%zu\n", i,
				     i * 7);
	*len = n;
	return text;
}

/* A long text, from a file and from memory (whose read blocks differ), in
 * windows-1252 and as (invalid) UTF-8: the same rows, the same error. */
static void memory_reads_long_text(void)
{
	size_t len;
	char *text = long_cp1252(40000, &len);
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-long", text, len);
	const char *encodings[] = {"windows-1252", NULL};
	for (size_t k = 0; k < 2; k++) {
		mql_csv_options opt;
		mql_csv_options_init(&opt);
		opt.encoding = encodings[k];
		reading from_file, from_memory;
		read_path(&from_file, path, &opt);
		read_memory(&from_memory, path, text, len, &opt);
		CU_ASSERT(same_reading(&from_file, &from_memory));
		CU_ASSERT_EQUAL(from_file.rows, k == 0 ? 40000 : 0);
		free(from_file.text);
		free(from_memory.text);
	}
	unlink(path);
	free(text);
}

static void transcodes_across_blocks(void)
{
	size_t len, rows = 150000;
	char *text = long_cp1252(rows, &len);
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-cp1252", text, len);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.encoding = "windows-1252";
	mql_csv *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_csv_open(&r, path, &opt, &err), 0);
	size_t count = 0, wrong = 0;
	char want[64];
	while (mql_csv_next(r, &err) == 1) {
		snprintf(want, sizeof want, "\xC3\xA9t\xC3\xA9\xE2\x82\xAC%zu",
			 count * 7);
		wrong += strcmp(mql_csv_field(r, 1, NULL), want) != 0;
		count++;
	}
	CU_ASSERT_EQUAL(count, rows);
	CU_ASSERT_EQUAL(wrong, 0);
	mql_csv_close(r);
	unlink(path);
	free(text);
}

static const char footer[] =
	"\r\n"
	"\"Leads by Source\"\r\n"
	"\"Copyright (c) 2000-2026 salesforce.com, inc. All rights "
	"reserved.\"\r\n"
	"\"Confidential Information - Do Not Distribute\"\r\n"
	"\"Generated By:  Jane Doe  3/5/2026 2:07 PM\"\r\n"
	"\"Acme GmbH\"\r\n";

/* Reads head + tail from memory; returns the rows, or -1 on an error. */
static long rows_with(const char *head, const char *tail, long *line,
		      long *lines, mql_csv_notes *notes)
{
	size_t n = strlen(head) + strlen(tail);
	char *text = malloc(n + 1);
	CU_ASSERT_FATAL(text != NULL);
	snprintf(text, n + 1, "%s%s", head, tail);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.notes = notes;
	mql_csv *r;
	mql_error err;
	long rows = 0;
	mql_error_clear(&err);
	int status = mql_csv_open_memory(&r, "sf.csv", text, n, &opt, &err);
	if (!status)
		while ((status = mql_csv_next(r, &err)) == 1)
			rows++;
	*line = *lines = 0;
	if (r)
		mql_csv_footer_skipped(r, line, lines);
	mql_csv_close(r);
	free(text);
	if (status && getenv("MQL_TEST_VERBOSE"))
		fprintf(stderr, "\n  %ld:%ld %s\n", err.line, err.column,
			err.message);
	return status ? -1 : rows;
}

static void skips_salesforce_footer(void)
{
	static const char data[] = "\"Lead ID\",\"Company\"\r\n"
				   "\"00Q1\",\"Acme\"\r\n"
				   "\"00Q2\",\"Beta\"\r\n"
				   "\"00Q3\",\"Gamma\"\r\n";
	long line, lines;
	mql_csv_notes notes;
	mql_csv_notes_init(&notes);
	CU_ASSERT_EQUAL(rows_with(data, footer, &line, &lines, &notes), 3);
	CU_ASSERT_EQUAL(line, 5);
	CU_ASSERT_EQUAL(lines, 6);
	CU_ASSERT_EQUAL_FATAL(notes.count, 1);
	CU_ASSERT_STRING_EQUAL(notes.notes[0].path, "sf.csv");
	CU_ASSERT_EQUAL(notes.notes[0].line, 5);
	CU_ASSERT_EQUAL(notes.notes[0].lines, 6);
	/* the same footer read twice is noted once */
	rows_with(data, footer, &line, &lines, &notes);
	CU_ASSERT_EQUAL(notes.count, 1);
	mql_csv_notes_destroy(&notes);
	/* the "(c)" sign, LF line ends, trailing blank lines */
	CU_ASSERT_EQUAL(rows_with("a,b\n1,2\n",
				  "\n\"Copyright \xC2\xA9 2000-2025 "
				  "salesforce.com, inc. All rights reserved."
				  "\"\n\"Confidential Information - Do Not "
				  "Distribute\"\n\n",
				  &line, &lines, NULL),
			1);
	CU_ASSERT_EQUAL(line, 3);
	CU_ASSERT_EQUAL(lines, 4);
	/* a blank line alone is no footer, as before */
	CU_ASSERT_EQUAL(rows_with(data, "\r\n", &line, &lines, NULL), 3);
	CU_ASSERT_EQUAL(lines, 0);
}

/* Microsoft Advertising's copyright line: "\u00a9" in UTF-8, "@" as its
 * documentation shows it, the sign in windows-1252; the note says whose
 * footer it was. */
static void skips_microsoft_footer(void)
{
	static const char data[] = "\"TimePeriod\",\"Spend\"\r\n"
				   "\"2026-03-01\",\"10.00\"\r\n"
				   "\"2026-03-02\",\"12.50\"\r\n";
	static const char *const footers[] = {
		"\r\n\"\xC2\xA9"
		"2026 Microsoft Corporation. All rights reserved. \"\r\n",
		"\r\n\"@2020 Microsoft Corporation. All rights reserved. "
		"\"\r\n",
	};
	long line, lines;
	for (size_t i = 0; i < sizeof footers / sizeof footers[0]; i++) {
		mql_csv_notes notes;
		mql_csv_notes_init(&notes);
		CU_ASSERT_EQUAL(
			rows_with(data, footers[i], &line, &lines, &notes), 2);
		CU_ASSERT_EQUAL(line, 4);
		CU_ASSERT_EQUAL(lines, 2);
		CU_ASSERT_EQUAL_FATAL(notes.count, 1);
		CU_ASSERT_EQUAL(notes.notes[0].kind,
				MQL_CSV_NOTE_MICROSOFT_FOOTER);
		CU_ASSERT_STRING_EQUAL(mql_csv_note_what(notes.notes[0].kind),
				       "the Microsoft Advertising report "
				       "footer");
		mql_csv_notes_destroy(&notes);
	}
	/* the Salesforce footer keeps its own note */
	mql_csv_notes notes;
	mql_csv_notes_init(&notes);
	rows_with(data, footer, &line, &lines, &notes);
	CU_ASSERT_EQUAL_FATAL(notes.count, 1);
	CU_ASSERT_EQUAL(notes.notes[0].kind, MQL_CSV_NOTE_FOOTER);
	mql_csv_notes_destroy(&notes);
	/* a campaign row that names the company is data, not a footer */
	CU_ASSERT_EQUAL(rows_with(data,
				  "\r\n\"2026-03-03\",\"Microsoft Corporation. "
				  "All rights reserved.\"\r\n",
				  &line, &lines, NULL),
			3);
	CU_ASSERT_EQUAL(lines, 0);
	/* nor is a long line that only quotes it */
	CU_ASSERT_EQUAL(rows_with(data,
				  "\r\n\"Our notes on the terms: Microsoft "
				  "Corporation. All rights reserved. and so "
				  "on\"\r\n",
				  &line, &lines, NULL),
			-1);
}

static void keeps_what_is_not_a_footer(void)
{
	static const char data[] = "a,b\n1,2\n";
	long line, lines;
	/* data after it: not the end of the file */
	char later[1024];
	snprintf(later, sizeof later, "%s3,4\n", footer);
	CU_ASSERT_EQUAL(rows_with(data, later, &line, &lines, NULL), -1);
	/* no blank line before it */
	CU_ASSERT_EQUAL(rows_with(data, footer + 2, &line, &lines, NULL), -1);
	/* no copyright line */
	CU_ASSERT_EQUAL(rows_with(data,
				  "\n\"Confidential Information - Do Not "
				  "Distribute\"\n",
				  &line, &lines, NULL),
			-1);
	/* another company's copyright */
	CU_ASSERT_EQUAL(rows_with(data,
				  "\n\"Copyright (c) 2026 example.com, inc. "
				  "All rights reserved.\"\n",
				  &line, &lines, NULL),
			-1);
	/* a line that is not one quoted field */
	snprintf(later, sizeof later, "%s\"x\",\"y\"\n", footer);
	CU_ASSERT_EQUAL(rows_with(data, later, &line, &lines, NULL), -1);
	/* a one-column file reads the lines as rows without the copyright */
	CU_ASSERT_EQUAL(rows_with("a\n1\n", "\n\"x\"\n", &line, &lines, NULL),
			2);
}

CU_TestInfo test_csv_memory[] = {
	{"memory reads as a file", memory_reads_as_file},
	{"transcodes windows-1252", transcodes_windows_1252},
	{"reads UTF-16", reads_utf16},
	{"rejects bad encodings", rejects_bad_encodings},
	{"transcodes across blocks", transcodes_across_blocks},
	{"memory reads a long text as a file", memory_reads_long_text},
	{"skips a Salesforce footer", skips_salesforce_footer},
	{"skips a Microsoft Advertising footer", skips_microsoft_footer},
	{"keeps what is not a footer", keeps_what_is_not_a_footer},
	CU_TEST_INFO_NULL,
};
