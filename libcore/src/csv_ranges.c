/*
 * csv_ranges.c - cutting a CSV file into ranges at row starts (see
 * csv_ranges.h).
 */
#include "csv_ranges.h"
#include "csv_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCAN_BLOCK (1u << 20)
#define PEEK_BLOCK (1u << 16) /* a few long lines, to find one line end */

/* Number of quotes in s[0..len): memchr skips the long runs without. */
static size_t count_quotes(const unsigned char *s, size_t len)
{
	size_t count = 0;
	const unsigned char *end = s + len;
	for (const unsigned char *q = memchr(s, '"', len); q;
	     q = memchr(q + 1, '"', (size_t)(end - q - 1)))
		count++;
	return count;
}

/* Nominal start of range k of n over [first, size). */
static int64_t cut_point(int64_t first, int64_t size, int k, int n)
{
	return first + (int64_t)((double)(size - first) * k / n);
}

/* The error of a pread that failed (got < 0) or found the file shorter
 * than its size (got == 0). */
static int read_error(const char *path, ssize_t got, mql_error *err)
{
	return mql_error_set(err, MQL_ERR_IO, path, 0, 0, "cannot read: %s",
			     got ? strerror(errno) : "file shrank while read");
}

/* *after: the offset just past the first line end at or after from, or
 * size when there is none. */
static int line_end_after(int fd, const char *path, int64_t from, int64_t size,
			  unsigned char *buf, int64_t *after, mql_error *err)
{
	while (from < size) {
		size_t want = size - from < PEEK_BLOCK ? (size_t)(size - from)
						       : PEEK_BLOCK;
		ssize_t got = pread(fd, buf, want, (off_t)from);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return read_error(path, got, err);
		const unsigned char *nl = memchr(buf, '\n', (size_t)got);
		if (nl) {
			*after = from + (nl - buf) + 1;
			return 0;
		}
		from += got;
	}
	*after = size;
	return 0;
}

/* find_starts for MQL_CSV_CUT_AT_LINE_ENDS: a peek at each cut. */
static int find_line_ends(int fd, const char *path, int64_t first, int64_t size,
			  int n, int64_t *begin, mql_error *err)
{
	unsigned char *buf = malloc(PEEK_BLOCK);
	if (!buf)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	int status = 0;
	begin[0] = first;
	for (int k = 1; k < n && !status; k++) {
		int64_t target = cut_point(first, size, k, n);
		if (target < begin[k - 1])
			target = begin[k - 1];
		status = line_end_after(fd, path, target, size, buf, &begin[k],
					err);
	}
	begin[n] = size;
	free(buf);
	return status;
}

/*
 * Fills begin[0..n] with the ranges of the data rows of fd, [begin[k],
 * begin[k + 1]), each cut at a line end outside quotes; ranges that find
 * no row start are empty at the end.  Returns 0 or MQL_ERR_IO /
 * MQL_ERR_NOMEM.
 */
static int find_starts(int fd, const char *path, int64_t first, int64_t size,
		       int n, int64_t *begin, mql_error *err)
{
	unsigned char *buf = malloc(SCAN_BLOCK);
	if (!buf)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	begin[0] = first;
	int k = 1;
	int64_t target = cut_point(first, size, k, n);
	int64_t offset = first;
	size_t quotes = 0;
	while (k < n && offset < size) {
		size_t want = size - offset < SCAN_BLOCK
				      ? (size_t)(size - offset)
				      : SCAN_BLOCK;
		ssize_t got = pread(fd, buf, want, (off_t)offset);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			free(buf);
			return read_error(path, got, err);
		}
		const unsigned char *p = buf, *end = buf + got;
		while (p < end && k < n) {
			int64_t at = offset + (p - buf);
			if (at < target) {
				size_t len = target - at < end - p
						     ? (size_t)(target - at)
						     : (size_t)(end - p);
				quotes += count_quotes(p, len);
				p += len;
				continue;
			}
			const unsigned char *nl = memchr(p, '\n', end - p);
			const unsigned char *stop = nl ? nl : end;
			quotes += count_quotes(p, (size_t)(stop - p));
			p = stop;
			if (!nl)
				break;
			p++;
			if (quotes % 2 == 0) {
				begin[k] = offset + (p - buf);
				if (++k < n) {
					target = cut_point(first, size, k, n);
					if (target < begin[k - 1])
						target = begin[k - 1];
				}
			}
		}
		offset += got;
	}
	for (; k < n; k++)
		begin[k] = size;
	begin[n] = size;
	free(buf);
	return 0;
}

/*
 * Bytes before a line end that must hold no quote for it to be a row start
 * (MQL_CSV_CUT_CHECKED): more than a quoted field can hold.  A quoted field
 * around the line end would have begun before them, so the range before
 * would meet a field longer than MQL_CSV_MAX_FIELD (an error the reader of
 * the whole file meets at the same place) before reaching the cut.
 */
#define QUOTE_FREE_BYTES ((int64_t)4 * MQL_CSV_MAX_FIELD)

/* *found: whether [from, to) of fd holds a quote. */
static int quote_between(int fd, const char *path, int64_t from, int64_t to,
			 unsigned char *buf, int *found, mql_error *err)
{
	*found = 0;
	while (from < to && !*found) {
		size_t want = to - from < SCAN_BLOCK ? (size_t)(to - from)
						     : SCAN_BLOCK;
		ssize_t got = pread(fd, buf, want, (off_t)from);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return read_error(path, got, err);
		*found = memchr(buf, '"', (size_t)got) != NULL;
		from += got;
	}
	return 0;
}

/*
 * find_starts for MQL_CSV_CUT_CHECKED: the line ends met, when each has
 * QUOTE_FREE_BYTES without a quote before it (or none since first, a row
 * start); else the quotes counted from first, as MQL_CSV_CUT_OUTSIDE_QUOTES.
 */
static int find_checked_starts(int fd, const char *path, int64_t first,
			       int64_t size, int n, int64_t *begin,
			       mql_error *err)
{
	int status = find_line_ends(fd, path, first, size, n, begin, err);
	unsigned char *buf = status ? NULL : malloc(SCAN_BLOCK);
	if (!status && !buf)
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	int found = 0;
	for (int k = 1; k < n && !status && !found; k++) {
		if (begin[k] >= size)
			break;
		int64_t from = begin[k] - QUOTE_FREE_BYTES;
		status = quote_between(fd, path, from > first ? from : first,
				       begin[k], buf, &found, err);
	}
	free(buf);
	if (!status && found)
		status = find_starts(fd, path, first, size, n, begin, err);
	return status;
}

/* Ranges to cut data_bytes into (see mql_csv_ranges_plan). */
static int range_count(int threads, int max_ranges, int64_t data_bytes,
		       int64_t min_bytes)
{
	if (data_bytes < min_bytes)
		return 1;
	if (threads <= 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		threads = online > 0 ? (int)online : 1;
	}
	if (threads > max_ranges)
		threads = max_ranges;
	return threads > MQL_CSV_MAX_RANGES ? MQL_CSV_MAX_RANGES : threads;
}

int mql_csv_ranges_plan(mql_csv_range *ranges, int *count, const char *path,
			int64_t first, long first_line, int threads,
			int max_ranges, int64_t min_bytes,
			enum mql_csv_cuts cuts, mql_error *err)
{
	struct stat st;
	int64_t begin[MQL_CSV_MAX_RANGES + 1];
	*count = 0;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size <= first)
		return 0;
	int n = range_count(threads, max_ranges, st.st_size - first, min_bytes);
	if (n < 1)
		n = 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* the caller's reader has it open: read as it comes
			   */
	/* UTF-16 is read in one range (csv_utf16.c) */
	unsigned char mark[2];
	if (pread(fd, mark, 2, 0) == 2 &&
	    mql_csv_utf16_of(mark, 2) != MQL_CSV_UTF8) {
		close(fd);
		return 0;
	}
	int status = cuts == MQL_CSV_CUT_OUTSIDE_QUOTES
			     ? find_starts(fd, path, first, st.st_size, n,
					   begin, err)
		     : cuts == MQL_CSV_CUT_CHECKED
			     ? find_checked_starts(fd, path, first, st.st_size,
						   n, begin, err)
			     : find_line_ends(fd, path, first, st.st_size, n,
					      begin, err);
	/* No cut inside a Salesforce report footer: the range holding its
	 * blank line recognises it whole (csv_footer.c). */
	int64_t footer =
		status ? st.st_size : mql_csv_footer_start(fd, st.st_size);
	for (int k = 1; k < n; k++)
		if (begin[k] > footer)
			begin[k] = footer;
	close(fd);
	if (status)
		return status;
	for (int k = 0; k < n; k++) {
		if (k > 0 && begin[k] == begin[k + 1])
			continue; /* empty */
		mql_csv_range *range = &ranges[*count];
		memset(range, 0, sizeof *range);
		range->begin = begin[k];
		range->end = begin[k + 1];
		range->line = k == 0 ? first_line : 1;
		++*count;
	}
	return 0;
}

void mql_csv_ranges_line_offsets(const mql_csv_range *ranges, int count,
				 long *line_offset)
{
	long true_line = count > 0 ? ranges[0].line : 0;
	for (int k = 0; k < count; k++) {
		line_offset[k] = true_line - ranges[k].line;
		if (ranges[k].status)
			true_line = ranges[k].line; /* unknown after an error */
		else
			true_line += ranges[k].end_line - ranges[k].line;
	}
}

int mql_csv_ranges_first_error(const mql_csv_range *ranges, int count,
			       mql_error *err)
{
	long line_offset[MQL_CSV_MAX_RANGES];
	mql_csv_ranges_line_offsets(ranges, count, line_offset);
	for (int k = 0; k < count; k++) {
		if (!ranges[k].status)
			continue;
		if (err) {
			*err = ranges[k].err;
			if (err->line > 0)
				err->line += line_offset[k];
		}
		return ranges[k].status;
	}
	return 0;
}

int mql_csv_ranges_misplaced(const mql_csv_range *ranges, int count)
{
	for (int k = 0; k + 1 < count; k++)
		if (ranges[k].status)
			return ranges[k].in_quotes;
	return 0;
}
