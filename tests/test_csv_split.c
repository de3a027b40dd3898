/*
 * test_csv_split.c - the fast line splitter against libcsv: thousands of
 * random lines (plain, quoted, doubled quotes, delimiters and line ends
 * inside quotes, blanks, CRLF, stray carriage returns and quotes, trailing
 * delimiters, UTF-8 and broken UTF-8) must give the fields libcsv itself
 * gives, and the reader must give the same rows and the same errors (text,
 * line and column) with the splitter as without it.  The vector and the
 * portable scans must agree byte for byte.
 */
#include <CUnit/CUnit.h>
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mqlcal/csv.h>

#include "temp_file.h"

#include "../libcore/src/csv_internal.h"

#define DOCUMENTS     400
#define DOC_LINES     24
#define MAX_FIELDS    16
#define MAX_ROWS      (DOC_LINES * 2)
#define TEXT_CAPACITY (DOC_LINES * 400)

typedef struct rng {
	uint64_t state;
} rng;

/* xorshift64*: a fixed sequence, so a failure can be replayed. */
static uint32_t next_random(rng *g)
{
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;
	return (uint32_t)((g->state * 0x2545F4914F6CDD1DULL) >> 32);
}

static int chance(rng *g, unsigned percent)
{
	return next_random(g) % 1000 < percent * 10;
}

typedef struct text {
	char bytes[TEXT_CAPACITY];
	size_t len;
} text;

static void put(text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n < sizeof t->bytes) {
		memcpy(t->bytes + t->len, s, n);
		t->len += n;
	}
}

static void put_char(text *t, char c)
{
	if (t->len + 1 < sizeof t->bytes)
		t->bytes[t->len++] = c;
}

/* A few words from a small vocabulary, some with blanks around. */
static void put_words(text *t, rng *g)
{
	static const char *const words[] = {
		"web_visit",
		"C0000001",
		"2025-08-01T21:52:29Z",
		"Vice",
		"President",
		"x",
		"12.5",
		"caf\xC3\xA9",
		("\xE2\x82\xAC"
		 "10"), /* one word: euro sign, 10 */
		"\xF0\x9F\x98\x80",
		"Select",
		"a b"};
	size_t n = 1 + next_random(g) % 3;
	for (size_t i = 0; i < n; i++) {
		if (i)
			put_char(t, ' ');
		put(t, words[next_random(g) % (sizeof words / sizeof *words)]);
	}
}

/* One field: mostly well formed, now and then (unless clean) something
 * libcsv rejects or the reader refuses. */
static void put_field(text *t, rng *g, char delimiter, int clean)
{
	if (chance(g, 3))
		put(t, chance(g, 50) ? " " : "\t");
	unsigned kind = next_random(g) % 100;
	if (kind < 45) {
		put_words(t, g);
		if (chance(g, 5))
			put(t, chance(g, 50) ? " " : "\t ");
	} else if (kind < 55) {
		/* empty */
	} else if (kind < 85) {
		put_char(t, '"');
		if (chance(g, 20))
			put(t, "  ");
		put_words(t, g);
		if (chance(g, 40))
			put_char(t, delimiter);
		if (chance(g, 30))
			put(t, "\"\"");
		if (chance(g, 30))
			put_words(t, g);
		if (chance(g, 5))
			put(t, chance(g, 50) ? "\n" : "\r\n");
		if (chance(g, 2))
			put_char(t, '\r');
		put_char(t, '"');
		if (chance(g, 3))
			put(t, chance(g, 50) ? " " : " \t");
		if (!clean && chance(g, 5))
			put(t, "junk");
		if (!clean && chance(g, 3))
			put(t, " \"");
	} else if (kind < 90 || clean) {
		put(t, "\"\"");
	} else if (kind < 93) {
		put_words(t, g);
		put_char(t, '"');
		put_words(t, g);
	} else if (kind < 95) {
		put_words(t, g);
		put_char(t, '\r');
		put_words(t, g);
	} else if (kind < 97) {
		put(t, chance(g, 50) ? "bad\xC3(" : "\xFF");
	} else {
		put_words(t, g);
		put_char(t, delimiter);
		put_words(t, g);
	}
	if (chance(g, 3))
		put(t, "  ");
}

/* A document: a header of four names and a trailing delimiter (so rows of
 * four or five fields are both well formed), then random lines; one in two
 * documents has no faults planted. */
static void make_document(text *t, rng *g, char delimiter)
{
	int clean = chance(g, 50);
	char header[32];
	snprintf(header, sizeof header, "a%cb%cc%cd%c\n", delimiter, delimiter,
		 delimiter, delimiter);
	t->len = 0;
	put(t, header);
	for (size_t line = 0; line < DOC_LINES; line++) {
		if (chance(g, 4))
			put(t, chance(g, 50) ? "\n" : " \t\r\n");
		size_t fields = clean || chance(g, 90)
					? 4 + (size_t)chance(g, 10)
					: 3 + next_random(g) % 3;
		for (size_t i = 0; i < fields; i++) {
			if (i)
				put_char(t, delimiter);
			put_field(t, g, delimiter, clean);
		}
		if (line + 1 < DOC_LINES || chance(g, 50))
			put(t, chance(g, 70) ? "\n" : "\r\n");
	}
}

typedef struct table {
	char *cells[MAX_ROWS][MAX_FIELDS];
	size_t lens[MAX_ROWS][MAX_FIELDS];
	size_t fields[MAX_ROWS];
	size_t rows;
	int overflow;
} table;

static void table_clear(table *tab)
{
	for (size_t r = 0; r < MAX_ROWS; r++)
		for (size_t i = 0; i < MAX_FIELDS; i++) {
			free(tab->cells[r][i]);
			tab->cells[r][i] = NULL;
		}
	memset(tab, 0, sizeof *tab);
}

static void table_add(table *tab, const char *s, size_t len)
{
	size_t row = tab->rows, i;
	if (row >= MAX_ROWS || (i = tab->fields[row]) >= MAX_FIELDS) {
		tab->overflow = 1;
		return;
	}
	tab->cells[row][i] = malloc(len + 1);
	CU_ASSERT_FATAL(tab->cells[row][i] != NULL);
	if (len)
		memcpy(tab->cells[row][i], s, len);
	tab->cells[row][i][len] = '\0';
	tab->lens[row][i] = len;
	tab->fields[row]++;
}

/* libcsv callbacks: the field trimmed of blanks, as the reader promises. */
static void reference_field(void *field, size_t len, void *context)
{
	const char *s = field ? field : "";
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	table_add(context, s, len);
}

static void reference_row(int terminator, void *context)
{
	table *tab = context;
	(void)terminator;
	if (tab->rows + 1 < MAX_ROWS)
		tab->rows++;
	else
		tab->overflow = 1;
}

/* libcsv's own reading of t: 0, or -1 when it rejects the text. */
static int read_with_libcsv(table *tab, const text *t, char delimiter)
{
	struct csv_parser parser;
	CU_ASSERT_FATAL(csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) == 0);
	csv_set_delim(&parser, (unsigned char)delimiter);
	size_t used = csv_parse(&parser, t->bytes, t->len, reference_field,
				reference_row, tab);
	int status = used == t->len && csv_fini(&parser, reference_field,
						reference_row, tab) == 0
			     ? 0
			     : -1;
	csv_free(&parser);
	return status;
}

typedef struct outcome {
	table rows;
	int status;
	mql_error err;
} outcome;

/* The reader's rows of t (header included), with or without the splitter. */
static void read_with_reader(outcome *out, const text *t, char delimiter,
			     int libcsv_only)
{
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-split", t->bytes, t->len);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.delimiter = delimiter;
	mql_csv *r;
	memset(&out->err, 0, sizeof out->err);
	out->status = mql_csv_open(&r, path, &opt, &out->err);
	unlink(path);
	if (out->status)
		return;
	mql_csv_set_libcsv_only(r, libcsv_only);
	for (size_t i = 0; i < mql_csv_column_count(r) + 1; i++)
		table_add(&out->rows,
			  i < mql_csv_column_count(r)
				  ? mql_csv_column_name(r, i)
				  : "",
			  0);
	out->rows.rows = 1;
	while ((out->status = mql_csv_next(r, &out->err)) == 1) {
		size_t n = mql_csv_column_count(r) + 1;
		for (size_t i = 0; i < n; i++) {
			size_t len;
			const char *s = mql_csv_field(r, i, &len);
			CU_ASSERT_EQUAL(strlen(s), len);
			table_add(&out->rows, s, len);
		}
		out->rows.rows++;
	}
	mql_csv_close(r);
}

static int same_cells(const table *a, size_t row_a, const table *b,
		      size_t row_b, size_t fields)
{
	for (size_t i = 0; i < fields; i++)
		if (a->lens[row_a][i] != b->lens[row_b][i] ||
		    memcmp(a->cells[row_a][i], b->cells[row_b][i],
			   a->lens[row_a][i]) != 0)
			return 0;
	return 1;
}

/* True when libcsv's reading is one the reader must accept as is: every row
 * of four or five fields, no carriage return but before a line feed (libcsv
 * ends a row at a lone one, the reader refuses it), no broken UTF-8 (the
 * generator's two kinds).  Other texts are compared with the reader without
 * the splitter only. */
static int plain_reading(const table *tab, const text *t)
{
	for (size_t r = 1; r < tab->rows; r++)
		if (tab->fields[r] < 4 || tab->fields[r] > 5)
			return 0;
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->bytes[i];
		if ((c == '\r' &&
		     (i + 1 == t->len || t->bytes[i + 1] != '\n')) ||
		    c == 0xFF || (c == 0xC3 && t->bytes[i + 1] == '('))
			return 0;
	}
	return !tab->overflow;
}

/* Compares the three readings of t; returns 1 when libcsv's was compared
 * field by field. */
static int compare_document(const text *t, char delimiter, size_t doc)
{
	static table reference;
	static outcome fast, slow;
	table_clear(&reference);
	table_clear(&fast.rows);
	table_clear(&slow.rows);
	int libcsv_status = read_with_libcsv(&reference, t, delimiter);
	read_with_reader(&fast, t, delimiter, 0);
	read_with_reader(&slow, t, delimiter, 1);

	/* With and without the splitter: the same rows, the same end. */
	int same = fast.status == slow.status &&
		   fast.rows.rows == slow.rows.rows &&
		   fast.err.line == slow.err.line &&
		   fast.err.column == slow.err.column &&
		   strcmp(fast.err.message, slow.err.message) == 0;
	for (size_t r = 1; same && r < fast.rows.rows; r++)
		same = same_cells(&fast.rows, r, &slow.rows, r, 5);
	if (!same) {
		fprintf(stderr,
			"\ndocument %zu differs: %d '%s' %ld:%ld, "
			"without the splitter %d '%s' %ld:%ld\n%.*s\n",
			doc, fast.status, fast.err.message, fast.err.line,
			fast.err.column, slow.status, slow.err.message,
			slow.err.line, slow.err.column, (int)t->len, t->bytes);
		CU_FAIL("the splitter changes what the reader reads");
	}

	/* Against libcsv itself, where its reading must be the reader's. */
	if (libcsv_status == 0 && plain_reading(&reference, t)) {
		int agree =
			fast.status == 0 && fast.rows.rows == reference.rows;
		for (size_t r = 1; agree && r < reference.rows; r++)
			agree = same_cells(&fast.rows, r, &reference, r,
					   reference.fields[r]);
		if (!agree) {
			fprintf(stderr,
				"\ndocument %zu: libcsv reads it, "
				"the reader says %d '%s'\n%.*s\n",
				doc, fast.status, fast.err.message, (int)t->len,
				t->bytes);
			CU_FAIL("the reader's fields differ from libcsv's");
		}
		return 1;
	}
	if (libcsv_status != 0)
		CU_ASSERT(fast.status < 0);
	return 0;
}

static void agrees_with_libcsv(void)
{
	static text t;
	static const char delimiters[] = {',', ';', '\t', '|'};
	rng g = {0x9E3779B97F4A7C15ULL};
	size_t compared = 0;
	for (size_t doc = 0; doc < DOCUMENTS; doc++) {
		char delimiter = delimiters[doc % 4 == 3 ? doc / 4 % 4 : 0];
		make_document(&t, &g, delimiter);
		compared += (size_t)compare_document(&t, delimiter, doc);
	}
	/* Both kinds of document must be common: read whole, and refused. */
	CU_ASSERT(compared > DOCUMENTS / 5);
	CU_ASSERT(compared < DOCUMENTS * 4 / 5);
}

/* Scans the line at s with kind and with the portable scan: the same
 * result, fields and lengths.  Returns 1 when the line was taken. */
static int compare_kinds(const unsigned char *s, size_t avail,
			 enum mql_csv_split_kind kind,
			 size_t starts[2][MAX_FIELDS],
			 size_t lens[2][MAX_FIELDS])
{
	mql_csv_split line[2] = {{starts[0], lens[0], MAX_FIELDS, 0, 0, 0},
				 {starts[1], lens[1], MAX_FIELDS, 0, 0, 0}};
	int vector = mql_csv_split_scan_kind(&line[0], s, avail, ',', kind);
	int portable = mql_csv_split_scan_kind(&line[1], s, avail, ',',
					       MQL_CSV_SPLIT_PORTABLE);
	CU_ASSERT_EQUAL_FATAL(vector, portable);
	if (vector != MQL_CSV_SPLIT_TAKEN)
		return 0;
	CU_ASSERT_EQUAL_FATAL(line[0].count, line[1].count);
	CU_ASSERT_EQUAL(line[0].length, line[1].length);
	CU_ASSERT_EQUAL(line[0].non_ascii, line[1].non_ascii);
	for (size_t i = 0; i < line[0].count; i++) {
		CU_ASSERT_EQUAL(starts[0][i], starts[1][i]);
		CU_ASSERT_EQUAL(lens[0][i], lens[1][i]);
	}
	return 1;
}

/* The vector scans and the portable one on the same random lines (the
 * AVX2 scan where the processor has it). */
static void portable_scan_agrees(void)
{
	static text t;
	static unsigned char padded[TEXT_CAPACITY + 32];
	static const enum mql_csv_split_kind kinds[] = {
		MQL_CSV_SPLIT_PORTABLE, MQL_CSV_SPLIT_SSE2, MQL_CSV_SPLIT_AVX2};
	size_t starts[2][MAX_FIELDS], lens[2][MAX_FIELDS];
	rng g = {12345};
	size_t taken = 0, lines = 0;
	for (size_t doc = 0; doc < DOCUMENTS / 4; doc++) {
		make_document(&t, &g, ',');
		memcpy(padded, t.bytes, t.len);
		memset(padded + t.len, '\n', 32); /* must be masked off */
		for (size_t at = 0; at < t.len; lines++) {
			for (size_t k = 1; k < 3; k++) {
				if (!mql_csv_split_has(kinds[k]))
					continue;
				taken += compare_kinds(padded + at, t.len - at,
						       kinds[k], starts, lens);
			}
			const char *newline =
				memchr(t.bytes + at, '\n', t.len - at);
			at = newline ? (size_t)(newline - t.bytes) + 1 : t.len;
		}
	}
	/* The generator must exercise the splitter, not only the fallback. */
	CU_ASSERT(taken > lines / 2);
}

/* Opens path with the splitter on or off and reads every row: the number
 * of rows goes to *rows, the fields (each followed by '|') to sum. */
static int read_text_fields(const char *path, int libcsv_only, char *sum,
			    size_t sum_size, size_t *rows)
{
	mql_csv *r;
	mql_error err;
	size_t used = 0;
	int status = mql_csv_open(&r, path, NULL, &err);
	*rows = 0;
	if (status)
		return status;
	mql_csv_set_libcsv_only(r, libcsv_only);
	while ((status = mql_csv_next(r, &err)) == 1) {
		(*rows)++;
		for (size_t i = 0; i < mql_csv_column_count(r); i++) {
			size_t len;
			const char *field_text = mql_csv_field(r, i, &len);
			if (used + len + 2 < sum_size) {
				memcpy(sum + used, field_text, len);
				used += len;
				sum[used++] = '|';
			}
		}
	}
	sum[used] = '\0';
	mql_csv_close(r);
	return status;
}

static void reads_wide_rows(void)
{
	/* 300 columns: more fields than the reader first makes room for, so
	 * the splitter asks for more and scans the line again. */
	static char csv_text[8192], fast[8192], slow[8192];
	size_t len = 0, rows_fast, rows_slow;
	for (int row = 0; row < 3; row++) {
		for (int i = 0; i < 300; i++)
			len += (size_t)snprintf(
				csv_text + len, sizeof csv_text - len, "%s%c%d",
				i ? "," : "", row ? 'v' : 'c', i + row);
		csv_text[len++] = '\n';
	}
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-wide", csv_text, len);
	CU_ASSERT_EQUAL(
		read_text_fields(path, 0, fast, sizeof fast, &rows_fast), 0);
	CU_ASSERT_EQUAL(
		read_text_fields(path, 1, slow, sizeof slow, &rows_slow), 0);
	unlink(path);
	CU_ASSERT_EQUAL(rows_fast, 2);
	CU_ASSERT_EQUAL(rows_slow, 2);
	CU_ASSERT_STRING_EQUAL(fast, slow);
	/* Field i + 1 of data row k is v(i + k): row 1 holds v1..v300 and
	 * row 2 v2..v301. */
	CU_ASSERT_PTR_NOT_NULL(strstr(fast, "|v300|v2|"));
	size_t sum_len = strlen(fast);
	CU_ASSERT(sum_len > 6 && strcmp(fast + sum_len - 6, "|v301|") == 0);
}

static void reads_a_slow_pipe(void)
{
	/* Through a pipe written a few bytes at a time, reads return pieces
	 * of lines: the reader must wait for the rest of each line (or give
	 * it to libcsv) and read the same rows as from a file. */
	static char csv_text[4096], fast[8192];
	size_t len =
		(size_t)snprintf(csv_text, sizeof csv_text, "id,name,note\n");
	for (int i = 0; i < 60; i++)
		len += (size_t)snprintf(csv_text + len, sizeof csv_text - len,
					"C%04d,\"Doe, J%d\",caf\xC3\xA9 %d\n",
					i, i, i * 7);
	int pipe_fds[2];
	CU_ASSERT_FATAL(pipe(pipe_fds) == 0);
	pid_t child = fork();
	CU_ASSERT_FATAL(child >= 0);
	if (child == 0) {
		close(pipe_fds[0]);
		for (size_t at = 0; at < len; at += 7) {
			size_t piece = len - at < 7 ? len - at : 7;
			if (write(pipe_fds[1], csv_text + at, piece) < 0)
				_exit(1);
			struct timespec pause = {0, 200000};
			nanosleep(&pause, NULL);
		}
		_exit(0);
	}
	close(pipe_fds[1]);
	char path[64];
	snprintf(path, sizeof path, "/dev/fd/%d", pipe_fds[0]);
	size_t rows;
	CU_ASSERT_EQUAL(read_text_fields(path, 0, fast, sizeof fast, &rows), 0);
	close(pipe_fds[0]);
	waitpid(child, NULL, 0);
	CU_ASSERT_EQUAL(rows, 60);
	CU_ASSERT_PTR_NOT_NULL(strstr(fast, "C0000|Doe, J0|caf\xC3\xA9 0|"));
	CU_ASSERT_PTR_NOT_NULL(strstr(fast, "C0059|Doe, J59|caf\xC3\xA9 413|"));
}

CU_TestInfo test_csv_split[] = {
	{"agrees with libcsv", agrees_with_libcsv},
	{"portable scan agrees", portable_scan_agrees},
	{"reads wide rows", reads_wide_rows},
	{"reads a slow pipe", reads_a_slow_pipe},
	CU_TEST_INFO_NULL,
};
