/*
 * csv_ranges.h - a CSV file cut into byte ranges that start at rows, so
 * that several threads can each read one (private to libcore's loaders).
 *
 * A cut is moved to the first line end after it.  Whether that line end
 * is outside quotes can be known before reading only by counting the quote
 * bytes since the first data row (in RFC 4180 a quote inside a quoted
 * field is doubled, so an even count means outside), a pass over the file
 * before the threads start; so a plan may instead take the line end as it
 * comes, and the reading checks it: a range read from a row start that
 * ends inside a quoted field shows that the next cut was inside one
 * (mql_csv_ranges_misplaced), and the file is planned again counting
 * quotes.  A range after the first is read counting its lines from 1;
 * once the ranges before it are read, their line counts give its true
 * first line, so an error keeps its exact file:line:column without a pass
 * that counts every line end first.  A range can only start cleanly if the
 * rows before it had no error, so the first range with an error has the
 * error a sequential reader would give.
 */
#ifndef MQLCAL_CSV_RANGES_H
#define MQLCAL_CSV_RANGES_H

#include <stdint.h>

#include <mqlcal/error.h>

#define MQL_CSV_MAX_RANGES 16

/* One range and, once it has been read, how its reading went. */
typedef struct mql_csv_range {
	int64_t begin, end; /* bytes [begin, end) */
	long line;	    /* line its reader counts the first row as */
	long end_line;	    /* reader's line after the range (caller sets) */
	int status;	    /* 0, or the reading's error (caller sets) */
	int in_quotes;	    /* the reading ended inside a quoted field
			       (caller sets, from mql_csv_ended_in_quotes) */
	mql_error err;	    /* the error, lines counted from line */
} mql_csv_range;

/* Where a plan may cut: see the top of this file. */
enum mql_csv_cuts {
	MQL_CSV_CUT_AT_LINE_ENDS,   /* any line end: checked by reading */
	MQL_CSV_CUT_OUTSIDE_QUOTES, /* line ends outside quotes: exact */
	MQL_CSV_CUT_CHECKED,	    /* line ends with no quote in the 4 MiB
				       before them (no quoted field can
				       span them), else as OUTSIDE_QUOTES:
				       exact for a file read without error
				       up to the cut, and a read of the
				       whole file only for quoted files */
};

/*
 * Cuts the data rows of path, from byte first (the first data row, on
 * line first_line) to the end, into at most threads ranges (threads <= 0:
 * one per online processor), at most max_ranges and never more than
 * MQL_CSV_MAX_RANGES, each cut at a line end as cuts says.  Files of fewer than
 * min_bytes of data, and anything that is not a regular file ("-", pipes), get
 * no ranges: *count is 0 and the caller reads the file as it comes.  Else
 * ranges[0..*count) are non-empty and in file order; the first counts lines
 * from first_line, the others from 1.  Returns 0, MQL_ERR_IO or MQL_ERR_NOMEM.
 */
int mql_csv_ranges_plan(mql_csv_range *ranges, int *count, const char *path,
			int64_t first, long first_line, int threads,
			int max_ranges, int64_t min_bytes,
			enum mql_csv_cuts cuts, mql_error *err);

/*
 * Whether a plan made at any line end cut inside a quoted field: the
 * first range with an error is not the last and ended inside quotes.  Its
 * rows began at a row start, so it read up to the cut as one reader of
 * the whole file would, and ending inside quotes there means the cut is
 * inside a quoted field (or one that never closes: planned again, the
 * range runs to the end of the file and reports it).  The ranges must
 * then be read again from a plan of MQL_CSV_CUT_OUTSIDE_QUOTES.
 */
int mql_csv_ranges_misplaced(const mql_csv_range *ranges, int count);

/*
 * Fills line_offset[0..count) with what to add to a line counted by range
 * k to make it a line of the file.  Valid up to the first range with an
 * error (the ranges before it were read whole).
 */
void mql_csv_ranges_line_offsets(const mql_csv_range *ranges, int count,
				 long *line_offset);

/*
 * The error of the first range that has one, copied into err with its
 * line made a line of the file; returns its status, or 0 when no range
 * failed.  err may be NULL.
 */
int mql_csv_ranges_first_error(const mql_csv_range *ranges, int count,
			       mql_error *err);

#endif
