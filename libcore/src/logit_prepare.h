/*
 * logit_prepare.h - what logit.c learns about the input before fitting
 * (private to libcore): input checks, column summaries, aliased columns,
 * separated indicator columns, and the standardized working design.
 */
#ifndef MQLCAL_LOGIT_PREPARE_H
#define MQLCAL_LOGIT_PREPARE_H

#include <stddef.h>

#include <mqlcal/error.h>
#include <mqlcal/logit.h>

/* What the pass over the rows learns about one column. */
struct column_summary {
	double mean;	       /* weighted */
	double sum_squares;    /* weighted, centered */
	double support;	       /* weighted rows with a non-zero value */
	double positives_with; /* weighted positives among those rows */
	int indicator;	       /* every value (of rows with weight) 0 or 1 */
	int any_below_zero;    /* some value < 0 */
	int any_above_zero;    /* some value > 0 */
	int aliased;	       /* dropped: constant, copy or combination */
	int constant;	       /* aliased because it does not vary */
	int separated;	       /* separation found on it */
};

/* The growing list of warnings of one fit. */
struct warning_list {
	char **items;
	size_t count;
	size_t capacity;
	int failed; /* an allocation failed: report MQL_ERR_NOMEM */
};

/* Everything one fit holds while it runs.  Zero-initialize. */
struct fit_context {
	const mql_logit_input *in;
	mql_error *err;
	struct column_summary *columns; /* n_cols */
	double total_weight;
	double positives;
	size_t *keep;	       /* kept columns, in order */
	size_t kept;	       /* entries of keep */
	double *center;	       /* kept + 1, [0] unused */
	double *scale;	       /* kept + 1, [0] = 1 */
	double *inverse_scale; /* 1 / scale */
	double *penalty;       /* kept + 1 L2 diagonal, [0] = 0 */
	int *is_indicator;     /* kept + 1 */
	struct warning_list warnings;
};

/*
 * Checks ctx->in, summarizes its columns, finds aliased columns and
 * separated indicators (with warnings) and builds the working design.
 * Returns MQL_OK or the status of mql_logit_fit's errors, with ctx->err
 * filled.  Release ctx with mql_logit_context_release either way.
 */
int mql_logit_prepare(struct fit_context *ctx);

/* Frees what ctx holds (not ctx itself).  ctx may be NULL. */
void mql_logit_context_release(struct fit_context *ctx);

/* Appends a formatted warning; an allocation failure sets list->failed. */
void mql_logit_warn(struct warning_list *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Column j's name; writes "x<j+1>" into buffer when none was given. */
const char *mql_logit_column_name(const mql_logit_input *in, size_t j,
				  char *buffer, size_t size);

#endif
