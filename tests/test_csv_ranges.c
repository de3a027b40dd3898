/*
 * test_csv_ranges.c - cutting a file into ranges at line ends: a cut taken
 * at the first line end may fall inside a quoted field, which the reading
 * of the range before it shows, and a cut outside quotes never does.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/csv.h>

#include "temp_file.h"

#include "../libcore/src/csv_internal.h"
#include "../libcore/src/csv_ranges.h"

#define HEADER	   "id,note,channel\n"
#define ROWS	   100
#define ROW_LENGTH 56

/*
 * Writes HEADER (16 bytes) and ROWS rows of ROW_LENGTH bytes, each with a
 * quoted note over two lines:
 *   c0001,"xxxx...x (40)\nend",ch\n
 * 6 + 1 + 40 + 1 = 48 bytes to the line end inside the quotes (offset 47
 * of the row), then 'end"' and ",ch\n": 56, the last line end at offset
 * 55.
 */
static void write_two_line_rows(char *path, size_t n)
{
	char text[sizeof HEADER + ROWS * ROW_LENGTH];
	size_t used = (size_t)snprintf(text, sizeof text, "%s", HEADER);
	for (int i = 1; i <= ROWS; i++)
		used += (size_t)snprintf(
			text + used, sizeof text - used,
			"c%04d,\"%.40s\nend\",ch\n", i,
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	CU_ASSERT_EQUAL_FATAL(used, 16 + ROWS * ROW_LENGTH);
	temp_file_write(path, n, "ranges", text, used);
}

/* The data start at byte 16 and line 2; half of the 5,600 bytes of data
 * is 2,800 = 50 rows, so the middle cut aims at byte 2,816, the start of
 * row 51.  Its first line end is the one inside row 51's quotes, at 2,816
 * + 47; the first outside quotes ends the row, at 2,816 + 55. */
static void cuts_at_line_ends_or_outside_quotes(void)
{
	char path[256];
	write_two_line_rows(path, sizeof path);
	mql_csv_range ranges[MQL_CSV_MAX_RANGES];
	mql_error err;
	int count = 0;
	CU_ASSERT_EQUAL_FATAL(
		mql_csv_ranges_plan(ranges, &count, path, 16, 2, 2, 2, 0,
				    MQL_CSV_CUT_AT_LINE_ENDS, &err),
		0);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	CU_ASSERT_EQUAL(ranges[0].begin, 16);
	CU_ASSERT_EQUAL(ranges[0].end, 2816 + 48);
	CU_ASSERT_EQUAL(ranges[0].line, 2);
	CU_ASSERT_EQUAL(ranges[1].begin, 2816 + 48);
	CU_ASSERT_EQUAL(ranges[1].end, 16 + ROWS * ROW_LENGTH);
	CU_ASSERT_EQUAL(ranges[1].line, 1);
	CU_ASSERT_EQUAL_FATAL(
		mql_csv_ranges_plan(ranges, &count, path, 16, 2, 2, 2, 0,
				    MQL_CSV_CUT_OUTSIDE_QUOTES, &err),
		0);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	CU_ASSERT_EQUAL(ranges[0].end, 2816 + 56);
	CU_ASSERT_EQUAL(ranges[1].begin, 2816 + 56);
	/* four ranges: quarters of 1,400 bytes = 25 rows; each cut aims at
	 * a row start, and its first line end is inside that row's quotes */
	CU_ASSERT_EQUAL_FATAL(
		mql_csv_ranges_plan(ranges, &count, path, 16, 2, 4, 4, 0,
				    MQL_CSV_CUT_AT_LINE_ENDS, &err),
		0);
	CU_ASSERT_EQUAL_FATAL(count, 4);
	for (int k = 1; k < 4; k++)
		CU_ASSERT_EQUAL(ranges[k].begin, 16 + k * 1400 + 48);
	unlink(path);
}

/*
 * A checked plan takes the line ends as they come when no quote is in the
 * 4 MiB before them: in a file of ROWS rows "c0001,note,ch\n" (14 bytes,
 * no quotes) the middle cut aims at 16 + 700 = 716, a row start, and takes
 * the line end of that row, at 716 + 13.  With quotes before a cut it
 * counts them, as OUTSIDE_QUOTES does: the quoted rows above are cut at
 * 2,816 + 56, never inside row 51's quotes.
 */
static void checked_cuts_need_no_quote_before_them(void)
{
	char path[256];
	char text[sizeof HEADER + ROWS * 14];
	size_t used = (size_t)snprintf(text, sizeof text, "%s", HEADER);
	for (int i = 1; i <= ROWS; i++)
		used += (size_t)snprintf(text + used, sizeof text - used,
					 "c%04d,note,ch\n", i);
	CU_ASSERT_EQUAL_FATAL(used, 16 + ROWS * 14);
	temp_file_write(path, sizeof path, "ranges", text, used);
	mql_csv_range ranges[MQL_CSV_MAX_RANGES];
	mql_error err;
	int count = 0;
	CU_ASSERT_EQUAL_FATAL(mql_csv_ranges_plan(ranges, &count, path, 16, 2,
						  2, 2, 0, MQL_CSV_CUT_CHECKED,
						  &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	CU_ASSERT_EQUAL(ranges[0].end, 716 + 14);
	CU_ASSERT_EQUAL(ranges[1].begin, 716 + 14);
	unlink(path);

	write_two_line_rows(path, sizeof path);
	CU_ASSERT_EQUAL_FATAL(mql_csv_ranges_plan(ranges, &count, path, 16, 2,
						  2, 2, 0, MQL_CSV_CUT_CHECKED,
						  &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	CU_ASSERT_EQUAL(ranges[0].end, 2816 + 56);
	CU_ASSERT_EQUAL(ranges[1].begin, 2816 + 56);
	CU_ASSERT_EQUAL_FATAL(mql_csv_ranges_plan(ranges, &count, path, 16, 2,
						  4, 4, 0, MQL_CSV_CUT_CHECKED,
						  &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(count, 4);
	for (int k = 1; k < 4; k++)
		CU_ASSERT_EQUAL(ranges[k].begin, 16 + k * 1400 + 56);
	unlink(path);
}

/*
 * Reads [16, end) of the file: 50 whole rows, then row 51 (lines 102 and
 * 103, its quote at column 7 of line 102) up to end.  Returns the status
 * of the read that ended it; *rows gets the rows read and *in_quotes
 * whether the reader ended inside quotes.
 */
static int read_range(const char *path, int64_t end, int *rows, int *in_quotes,
		      mql_error *err)
{
	mql_csv *r = NULL;
	int status = mql_csv_open(&r, path, NULL, err);
	CU_ASSERT_EQUAL_FATAL(status, 0);
	CU_ASSERT_EQUAL_FATAL(mql_csv_set_range(r, 16, end, 2, err), 0);
	*rows = 0;
	while ((status = mql_csv_next(r, err)) == 1)
		++*rows;
	*in_quotes = mql_csv_ended_in_quotes(r);
	mql_csv_close(r);
	return status;
}

static void a_cut_inside_quotes_shows_in_the_reading(void)
{
	char path[256];
	write_two_line_rows(path, sizeof path);
	mql_error err;
	int rows, in_quotes;
	/* cut inside row 51's quotes */
	CU_ASSERT_EQUAL(read_range(path, 2816 + 48, &rows, &in_quotes, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(rows, 50);
	CU_ASSERT_EQUAL(in_quotes, 1);
	CU_ASSERT_EQUAL(err.line, 102);
	CU_ASSERT_EQUAL(err.column, 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unterminated quoted"));
	/* cut after row 51 */
	CU_ASSERT_EQUAL(read_range(path, 2816 + 56, &rows, &in_quotes, &err),
			0);
	CU_ASSERT_EQUAL(rows, 51);
	CU_ASSERT_EQUAL(in_quotes, 0);
	unlink(path);
}

/* Ranges read with the given statuses and in_quotes flags. */
static int misplaced(const int *status, const int *in_quotes, int count)
{
	mql_csv_range ranges[4];
	memset(ranges, 0, sizeof ranges);
	for (int k = 0; k < count; k++) {
		ranges[k].status = status[k];
		ranges[k].in_quotes = in_quotes[k];
	}
	return mql_csv_ranges_misplaced(ranges, count);
}

static void tells_a_misplaced_cut(void)
{
	const int none[] = {0, 0, 0}, quotes_first[] = {1, 0, 0};
	const int quotes_second[] = {0, 1, 0}, quotes_last[] = {0, 0, 1};
	const int failed_first[] = {MQL_ERR_INPUT, 0, 0};
	const int failed_second[] = {0, MQL_ERR_INPUT, 0};
	const int failed_last[] = {0, 0, MQL_ERR_INPUT};
	const int failed_both[] = {MQL_ERR_INPUT, MQL_ERR_INPUT, 0};
	/* all read cleanly */
	CU_ASSERT_EQUAL(misplaced(none, none, 3), 0);
	/* the first failure, before the last range, ended inside quotes */
	CU_ASSERT_EQUAL(misplaced(failed_first, quotes_first, 3), 1);
	CU_ASSERT_EQUAL(misplaced(failed_second, quotes_second, 3), 1);
	/* the last range ends at the end of the file: a quote left open
	 * there is the file's own */
	CU_ASSERT_EQUAL(misplaced(failed_last, quotes_last, 3), 0);
	/* the first failure is another error: the later range's quotes
	 * come after the error a reader of the whole file meets first */
	CU_ASSERT_EQUAL(misplaced(failed_both, quotes_second, 3), 0);
	CU_ASSERT_EQUAL(misplaced(failed_second, none, 3), 0);
	/* one range is the whole file */
	CU_ASSERT_EQUAL(misplaced(failed_first, quotes_first, 1), 0);
}

CU_TestInfo test_csv_ranges[] = {
	{"checked cuts need no quote before them",
	 checked_cuts_need_no_quote_before_them},
	{"cuts at line ends or outside quotes",
	 cuts_at_line_ends_or_outside_quotes},
	{"a cut inside quotes shows in the reading",
	 a_cut_inside_quotes_shows_in_the_reading},
	{"tells a misplaced cut", tells_a_misplaced_cut},
	CU_TEST_INFO_NULL,
};
