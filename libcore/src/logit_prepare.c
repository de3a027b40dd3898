/*
 * logit_prepare.c - what a logistic fit must know before iterating: the
 * input checked, column means and spreads, aliased columns, separated
 * indicator columns, the standardized working design (see logit_prepare.h).
 */
#include "logit_prepare.h"

#include "dense.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A column is aliased when the share of its centered sum of squares left
   after projecting out the kept columns before it is below this (R^2 >
   1 - 1e-10: its coefficient would carry no information). */
#define ALIAS_TOLERANCE 1e-10

/* A centered sum of squares this small against the raw one is a constant
   column (rounding leaves about 1e-32 of it). */
#define CONSTANT_TOLERANCE 1e-24

#define GRAM_BLOCK_ROWS 512

void mql_logit_warn(struct warning_list *list, const char *fmt, ...)
{
	char buffer[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buffer, sizeof buffer, fmt, ap);
	va_end(ap);
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 8;
		char **grown = realloc(list->items, capacity * sizeof *grown);
		if (!grown) {
			list->failed = 1;
			return;
		}
		list->items = grown;
		list->capacity = capacity;
	}
	char *copy = strdup(buffer);
	if (!copy) {
		list->failed = 1;
		return;
	}
	list->items[list->count++] = copy;
}

static void warnings_release(struct warning_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof *list);
}

const char *mql_logit_column_name(const mql_logit_input *in, size_t j,
				  char *buffer, size_t size)
{
	if (in->names && in->names[j])
		return in->names[j];
	snprintf(buffer, size, "x%zu", j + 1);
	return buffer;
}

static double weight_of(const mql_logit_input *in, size_t row)
{
	return in->weights ? in->weights[row] : 1.0;
}

/* Checks one row's outcome, weight and values, and adds it to the sums. */
static int summarize_row(struct fit_context *ctx, size_t row)
{
	const mql_logit_input *in = ctx->in;
	double w = weight_of(in, row);
	double y = in->y[row];
	char name[32];
	if (!isfinite(w) || w < 0)
		return mql_error_set(ctx->err, MQL_ERR_INPUT, NULL, 0, 0,
				     "row %zu: weight must be a finite number "
				     ">= 0",
				     row + 1);
	if (y != 0.0 && y != 1.0)
		return mql_error_set(ctx->err, MQL_ERR_INPUT, NULL, 0, 0,
				     "row %zu: outcome must be 0 or 1",
				     row + 1);
	ctx->total_weight += w;
	ctx->positives += w * y;
	const double *x = in->x ? in->x + row * in->n_cols : NULL;
	int finite = 1;
	/* Branch-free per value: indicator columns make x != 0 a coin toss
	   that a branch predictor would lose. */
	for (size_t j = 0; j < in->n_cols; j++) {
		struct column_summary *c = &ctx->columns[j];
		double value = x[j], nonzero = value != 0;
		finite &= isfinite(value) != 0;
		c->mean += w * value;
		c->support += w * nonzero;
		c->positives_with += w * y * nonzero;
		c->indicator &= (value == 0) | (value == 1) | (w == 0);
		c->any_below_zero |= (value < 0) & (w > 0);
		c->any_above_zero |= (value > 0) & (w > 0);
	}
	if (finite)
		return MQL_OK;
	for (size_t j = 0; j < in->n_cols; j++)
		if (!isfinite(x[j]))
			return mql_error_set(
				ctx->err, MQL_ERR_INPUT, NULL, 0, 0,
				"row %zu, column '%s': value must be finite",
				row + 1,
				mql_logit_column_name(in, j, name,
						      sizeof name));
	return MQL_OK;
}

/* First pass: checks the input and computes totals and column means. */
static int summarize(struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	for (size_t j = 0; j < in->n_cols; j++)
		ctx->columns[j].indicator = 1;
	for (size_t row = 0; row < in->n_rows; row++) {
		int status = summarize_row(ctx, row);
		if (status)
			return status;
	}
	if (!(ctx->total_weight > 0))
		return mql_error_set(ctx->err, MQL_ERR_INPUT, NULL, 0, 0,
				     "no rows to fit (every weight is 0 or "
				     "there are no rows)");
	if (ctx->positives <= 0 || ctx->positives >= ctx->total_weight)
		return mql_error_set(ctx->err, MQL_ERR_INPUT, NULL, 0, 0,
				     "the outcome is %d on every row: a model "
				     "needs both positives and negatives",
				     ctx->positives > 0 ? 1 : 0);
	for (size_t j = 0; j < in->n_cols; j++)
		ctx->columns[j].mean /= ctx->total_weight;
	return MQL_OK;
}

/*
 * The weighted Gram matrix of the centered columns (upper triangle, p x p),
 * over row blocks, in the fixed order of dense.h.  Returns NULL when out of
 * memory.
 */
static double *centered_gram(const struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	size_t p = in->n_cols;
	double *gram = calloc(p * p, sizeof(double));
	double *block = malloc(GRAM_BLOCK_ROWS * p * sizeof(double));
	double *scratch = malloc(mql_dense_gram_scratch(p) * sizeof(double));
	if (!gram || !block || !scratch) {
		free(gram);
		free(block);
		free(scratch);
		return NULL;
	}
	for (size_t row0 = 0; row0 < in->n_rows; row0 += GRAM_BLOCK_ROWS) {
		size_t rows = in->n_rows - row0;
		if (rows > GRAM_BLOCK_ROWS)
			rows = GRAM_BLOCK_ROWS;
		for (size_t i = 0; i < rows; i++) {
			double root = sqrt(weight_of(in, row0 + i));
			const double *x = in->x + (row0 + i) * p;
			for (size_t j = 0; j < p; j++)
				block[i * p + j] =
					root * (x[j] - ctx->columns[j].mean);
		}
		mql_dense_gram_upper(gram, block, rows, p, scratch);
	}
	free(block);
	free(scratch);
	return gram;
}

/*
 * Marks aliased columns: a Cholesky of the centered Gram matrix taken in
 * column order, skipping (and marking) each column whose residual sum of
 * squares is a negligible share of its own.  Returns MQL_OK or
 * MQL_ERR_NOMEM.
 */
static int find_aliased(struct fit_context *ctx)
{
	size_t p = ctx->in->n_cols;
	if (p == 0)
		return MQL_OK;
	double *gram = centered_gram(ctx);
	double *factor = calloc(p * p, sizeof(double));
	if (!gram || !factor) {
		free(gram);
		free(factor);
		return mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	for (size_t j = 0; j < p; j++) {
		struct column_summary *c = &ctx->columns[j];
		double own = gram[j * p + j];
		double raw = own + ctx->total_weight * c->mean * c->mean;
		c->sum_squares = own;
		if (!(own > CONSTANT_TOLERANCE * raw) || !(own > 0)) {
			c->aliased = c->constant = 1;
			continue;
		}
		/* factor[j][k] for the kept k < j, then the residual. */
		double residual = own;
		for (size_t k = 0; k < j; k++) {
			if (ctx->columns[k].aliased)
				continue;
			double sum = gram[k * p + j];
			for (size_t l = 0; l < k; l++)
				if (!ctx->columns[l].aliased)
					sum -= factor[j * p + l] *
					       factor[k * p + l];
			factor[j * p + k] = sum / factor[k * p + k];
			residual -= factor[j * p + k] * factor[j * p + k];
		}
		if (!(residual > ALIAS_TOLERANCE * own)) {
			c->aliased = 1;
			continue;
		}
		factor[j * p + j] = sqrt(residual);
	}
	free(gram);
	free(factor);
	return MQL_OK;
}

/*
 * Quasi-complete separation found by counting: a column of one sign (a
 * count, a decayed count, an indicator) whose rows with a non-zero value
 * are all positives or all negatives - moving its coefficient towards
 * infinity never lowers the likelihood - and, for a 0/1 column, the same of
 * its rows with value 0.  Marks and names them.
 */
static void find_separated_by_counts(struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	for (size_t j = 0; j < in->n_cols; j++) {
		struct column_summary *c = &ctx->columns[j];
		if (c->aliased || (c->any_below_zero && c->any_above_zero))
			continue;
		double with = c->support;
		double without = ctx->total_weight - with;
		double pos_with = c->positives_with;
		double pos_without = ctx->positives - pos_with;
		const char *side = NULL, *outcome = NULL;
		double rows = 0;
		if (pos_with == 0 || pos_with == with) {
			side = c->indicator ? "with it" : "where it is not 0";
			rows = with;
			outcome = pos_with == 0 ? "negatives" : "positives";
		} else if (c->indicator &&
			   (pos_without == 0 || pos_without == without)) {
			side = "without it";
			rows = without;
			outcome = pos_without == 0 ? "negatives" : "positives";
		}
		if (!side)
			continue;
		char name[32];
		c->separated = 1;
		mql_logit_warn(&ctx->warnings,
			       "'%s' separates the outcome: all %.15g rows %s "
			       "are %s (the maximum-likelihood estimate does "
			       "not exist)",
			       mql_logit_column_name(in, j, name, sizeof name),
			       rows, side, outcome);
	}
}

/* Fills keep, center, scale, penalty and is_indicator from the columns. */
static int build_working_design(struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	size_t p = in->n_cols;
	ctx->keep = malloc((p ? p : 1) * sizeof(size_t));
	ctx->center = calloc(p + 1, sizeof(double));
	ctx->scale = calloc(p + 1, sizeof(double));
	ctx->inverse_scale = calloc(p + 1, sizeof(double));
	ctx->penalty = calloc(p + 1, sizeof(double));
	ctx->is_indicator = calloc(p + 1, sizeof(int));
	if (!ctx->keep || !ctx->center || !ctx->scale || !ctx->inverse_scale ||
	    !ctx->penalty || !ctx->is_indicator)
		return mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	ctx->kept = 0;
	ctx->scale[0] = ctx->inverse_scale[0] = 1.0;
	for (size_t j = 0; j < p; j++) {
		struct column_summary *c = &ctx->columns[j];
		if (c->aliased)
			continue;
		size_t k = ++ctx->kept;
		ctx->keep[k - 1] = j;
		ctx->center[k] = c->mean;
		ctx->scale[k] = sqrt(c->sum_squares / ctx->total_weight);
		ctx->inverse_scale[k] = 1.0 / ctx->scale[k];
		ctx->is_indicator[k] = c->indicator;
		/* lambda/2 b^2 with b = b_standardized / scale */
		ctx->penalty[k] = in->l2 / (ctx->scale[k] * ctx->scale[k]);
	}
	return MQL_OK;
}

void mql_logit_context_release(struct fit_context *ctx)
{
	if (!ctx)
		return;
	free(ctx->columns);
	free(ctx->keep);
	free(ctx->center);
	free(ctx->scale);
	free(ctx->inverse_scale);
	free(ctx->penalty);
	free(ctx->is_indicator);
	warnings_release(&ctx->warnings);
}

/* Names each aliased column in a warning. */
static void warn_aliased(struct fit_context *ctx)
{
	char name[32];
	for (size_t j = 0; j < ctx->in->n_cols; j++) {
		const struct column_summary *c = &ctx->columns[j];
		const char *column =
			mql_logit_column_name(ctx->in, j, name, sizeof name);
		if (c->constant)
			mql_logit_warn(&ctx->warnings,
				       "'%s' does not vary: dropped (aliased "
				       "with the intercept)",
				       column);
		else if (c->aliased)
			mql_logit_warn(&ctx->warnings,
				       "'%s' is a copy or linear combination "
				       "of the columns before it: dropped "
				       "(not defined because of "
				       "singularities)",
				       column);
	}
}

int mql_logit_prepare(struct fit_context *ctx)
{
	const mql_logit_input *in = ctx->in;
	if (in->n_cols > 0 && !in->x)
		return mql_error_set(ctx->err, MQL_ERR_USAGE, NULL, 0, 0,
				     "a design of %zu columns needs its values",
				     in->n_cols);
	ctx->columns =
		calloc(in->n_cols ? in->n_cols : 1, sizeof *ctx->columns);
	if (!ctx->columns)
		return mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	int status = summarize(ctx);
	if (!status)
		status = find_aliased(ctx);
	if (status)
		return status;
	warn_aliased(ctx);
	find_separated_by_counts(ctx);
	status = build_working_design(ctx);
	if (!status && ctx->warnings.failed)
		status = mql_error_set(ctx->err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	return status;
}
