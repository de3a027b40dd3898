/*
 * review_internal.h - what the review family's files share: reading the
 * review's CSV files by column name.  Not for other families.
 */
#ifndef MQLCAL_REVIEW_INTERNAL_H
#define MQLCAL_REVIEW_INTERNAL_H

#include <mqlcal/csv.h>
#include <mqlcal/html.h>
#include <mqlcal/review.h>

/*
 * Opens dir/name with the default reading options.  Returns 0, 1 when the
 * file does not exist (*out NULL, err cleared), or the reader's error.
 */
int mql_review_open(mql_csv **out, const char *dir, const char *name,
		    mql_error *err);

/* The index of column name, or -1 with err set (MQL_ERR_INPUT). */
long mql_review_column(mql_csv *csv, const char *name, mql_error *err);

/* The indices of columns names[0..count) into columns: MQL_OK, or
 * MQL_ERR_INPUT with err naming the first that is missing (it and the
 * columns after it are -1). */
int mql_review_columns(mql_csv *csv, const char *const *names, long *columns,
		       size_t count, mql_error *err);

/*
 * The number in column of the current row; NAN for a missing cell, a
 * column of -1, or when *status is already an error.  A cell that is not a
 * number sets *status to MQL_ERR_INPUT (err set).
 */
double mql_review_number(mql_csv *csv, long column, int *status,
			 mql_error *err);

/* The text in column of the current row, "" for a column of -1. */
const char *mql_review_text(mql_csv *csv, long column);

/* Whether the current row is a total: its level column (>= 0) says
 * "total", or without one its group column says "all". */
int mql_review_is_total(mql_csv *csv, long level, long group);

/* A malloc'd copy of text ("" for NULL), NULL when out of memory. */
char *mql_review_copy(const char *text);

/* Reads dir/equal-volume.csv (mql-backtest --equal-volume) into r's
 * comparison at equal volume; a missing file leaves have_equal_volume 0.
 * Returns 0, MQL_ERR_INPUT (err set) or the reader's error. */
int mql_review_load_equal_volume(mql_review *r, const char *dir,
				 mql_error *err);

/* Reads channels.csv and cost.csv of dir into r's channels and total. */
int mql_review_load_channels(mql_review *r, const char *dir, mql_error *err);

/*
 * The page's section on the rules: points change per rule (chart) and the
 * largest changes (table).  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_review_rules_section(mql_html *h, const mql_review *r);

/*
 * The page's section on the channels: cost per MQL and per customer by
 * channel (charts, channels to kill in the flag colour) and each
 * channel's decision and figures (table).  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_review_channels_section(mql_html *h, const mql_review *r,
				const mql_review_page *o);

#endif
