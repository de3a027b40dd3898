/*
 * fuzz_csv.c - libFuzzer target for the CSV reader, through its memory
 * interface.
 *
 * Each input is read with the default options, then with options chosen
 * by its last byte (among them letting its header choose the delimiter)
 * (delimiter, encoding, preset, the fast splitter or libcsv alone).  Every row
 * is read to the end, and each field is checked against what the reader
 * promises: as long as it says, NUL-ended, no NUL inside, valid UTF-8.  An
 * error must carry a message, and a position within the input's lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/csv.h>

#include "../libcore/src/csv_internal.h"

/* Stops the run: the reader broke one of its promises. */
static void broken(void)
{
	abort();
}

/* True when s[0..len) is UTF-8 without NUL bytes. */
static int clean_text(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (c == 0 || (c >= 0x80 && c < 0xC2) || c > 0xF4 ||
		    i + n > len)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += n;
	}
	return 1;
}

/* Lines of data[0..size), for the bound on an error's line. */
static long count_lines(const uint8_t *data, size_t size)
{
	long lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	return lines;
}

static void check_row(const mql_csv *r)
{
	for (size_t i = 0; i <= mql_csv_column_count(r); i++) {
		size_t len;
		const char *field = mql_csv_field(r, i, &len);
		if (field[len] != '\0' || len > MQL_CSV_MAX_FIELD ||
		    !clean_text((const unsigned char *)field, len))
			broken();
	}
}

/* Reads data[0..size) as one file with opt, checking every row. */
static void read_all(const uint8_t *data, size_t size,
		     const mql_csv_options *opt, int libcsv_only)
{
	mql_csv *r;
	mql_error err;
	mql_error_clear(&err);
	int status = mql_csv_open_memory(&r, "fuzz.csv", data, size, opt, &err);
	if (status == 0) {
		mql_csv_set_libcsv_only(r, libcsv_only);
		while ((status = mql_csv_next(r, &err)) == 1)
			check_row(r);
		mql_csv_close(r);
	}
	if (status < 0 &&
	    (err.message[0] == '\0' || err.line > count_lines(data, size) ||
	     err.line < 0 || err.column < 0))
		broken();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Each input is read as it is with the default options (the seeds are
 * plain CSV files), then with options chosen by its last byte. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delimiters[] = {',', ';', '\t', '|'};
	static const char *const encodings[] = {NULL, "utf-8", "windows-1252",
						"latin1"};
	/* the last: no preset, and the header decides the delimiter, as in
	 * the tools */
	static const char *const presets[] = {NULL, "hubspot", "salesforce",
					      NULL};
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	read_all(data, size, &opt, 0);
	unsigned choice = size ? data[size - 1] : 0;
	opt.delimiter = delimiters[choice & 3];
	opt.encoding = encodings[(choice >> 2) & 3];
	opt.preset = presets[(choice >> 4) & 3];
	opt.sniff_delimiter = ((choice >> 4) & 3) == 3;
	opt.na = choice & 0x40 ? "Select" : NULL;
	read_all(data, size, &opt, (choice & 0x80) != 0);
	return 0;
}
