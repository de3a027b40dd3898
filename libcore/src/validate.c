/*
 * validate.c - AUC with DeLong's interval, log-loss, Brier, calibration,
 * gains, operating points and k-fold splits (see validate.h).
 */
#include <mqlcal/validate.h>

#include "fixed_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/logit.h>

/* log-loss clips probabilities to [CLIP, 1 - CLIP] (as scikit-learn). */
#define LOG_LOSS_CLIP 1e-15

/* A row's score with its position, so sorts can break ties by row. */
struct ranked {
	double score;
	size_t row;
};

static int by_score_ascending(const void *a, const void *b)
{
	const struct ranked *left = a, *right = b;
	if (left->score != right->score)
		return left->score < right->score ? -1 : 1;
	return left->row < right->row ? -1 : left->row > right->row;
}

static int by_score_descending(const void *a, const void *b)
{
	const struct ranked *left = a, *right = b;
	if (left->score != right->score)
		return left->score > right->score ? -1 : 1;
	return left->row < right->row ? -1 : left->row > right->row;
}

/*
 * Checks y is 0/1 and score finite on every row (score may be NULL) and
 * counts positives.  Returns MQL_OK or MQL_ERR_INPUT.
 */
static int check_rows(size_t *positives, const double *score, const double *y,
		      size_t n, mql_error *err)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (y[i] != 0.0 && y[i] != 1.0)
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "row %zu: outcome must be 0 or 1",
					     i + 1);
		if (score && !isfinite(score[i]))
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "row %zu: score must be finite",
					     i + 1);
		count += y[i] == 1.0;
	}
	*positives = count;
	return MQL_OK;
}

/* The rows sorted by score (see by_score_*); NULL when out of memory. */
static struct ranked *sorted_rows(const double *score, size_t n, int descending)
{
	struct ranked *rows = malloc((n ? n : 1) * sizeof *rows);
	if (!rows)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		rows[i].score = score[i];
		rows[i].row = i;
	}
	qsort(rows, n, sizeof *rows,
	      descending ? by_score_descending : by_score_ascending);
	return rows;
}

static int no_memory(mql_error *err)
{
	return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/*
 * Walks the tie groups of rows (sorted ascending) and, for pass 0, sums the
 * positives' placement values V10 (the AUC numerator); for pass 1, the
 * squared deviations of V10 and V01 from auc.
 */
static void placements(double sums[2], const struct ranked *rows,
		       const double *y, size_t n, double positives,
		       double negatives, double auc, int pass)
{
	double negatives_below = 0, positives_below = 0;
	sums[0] = sums[1] = 0;
	for (size_t start = 0; start < n;) {
		size_t end = start;
		double group_positives = 0, group_negatives = 0;
		while (end < n && rows[end].score == rows[start].score) {
			if (y[rows[end].row] == 1.0)
				group_positives++;
			else
				group_negatives++;
			end++;
		}
		/* V10: share of negatives a positive of this group beats;
		   V01: share of positives that beat a negative of it. */
		double v10 =
			(negatives_below + 0.5 * group_negatives) / negatives;
		double positives_above =
			positives - positives_below - group_positives;
		double v01 =
			(positives_above + 0.5 * group_positives) / positives;
		if (pass == 0) {
			sums[0] += group_positives * v10;
		} else {
			sums[0] += group_positives * (v10 - auc) * (v10 - auc);
			sums[1] += group_negatives * (v01 - auc) * (v01 - auc);
		}
		negatives_below += group_negatives;
		positives_below += group_positives;
		start = end;
	}
}

int mql_validate_auc(mql_auc *out, const double *score, const double *y,
		     size_t n, mql_error *err)
{
	size_t positives = 0;
	if (!out || !score || !y)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the AUC needs scores and outcomes");
	int status = check_rows(&positives, score, y, n, err);
	if (status)
		return status;
	if (positives == 0 || positives == n)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "the AUC needs positives and negatives "
				     "(%zu rows, %zu positives)",
				     n, positives);
	struct ranked *rows = sorted_rows(score, n, 0);
	if (!rows)
		return no_memory(err);
	double m = (double)positives, k = (double)(n - positives);
	double sums[2];
	placements(sums, rows, y, n, m, k, 0, 0);
	double auc = sums[0] / m;
	placements(sums, rows, y, n, m, k, auc, 1);
	free(rows);
	/* DeLong: var = S10 / m + S01 / k, each a sample variance. */
	double variance = 0;
	if (positives > 1 && n - positives > 1)
		variance = sums[0] / (m - 1) / m + sums[1] / (k - 1) / k;
	memset(out, 0, sizeof *out);
	out->auc = auc;
	out->std_error = variance > 0 ? sqrt(variance) : 0;
	out->ci_low = fmax(0.0, auc - MQL_LOGIT_Z95 * out->std_error);
	out->ci_high = fmin(1.0, auc + MQL_LOGIT_Z95 * out->std_error);
	out->positives = positives;
	out->negatives = n - positives;
	return MQL_OK;
}

int mql_validate_log_loss_brier(double *log_loss_out, double *brier_out,
				const double *prob, const double *y, size_t n,
				mql_error *err)
{
	size_t positives = 0;
	if (!prob || !y)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "log-loss needs probabilities and "
				     "outcomes");
	if (n == 0)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "log-loss needs at least one row");
	int status = check_rows(&positives, prob, y, n, err);
	if (status)
		return status;
	double loss = 0, brier = 0;
	for (size_t i = 0; i < n; i++) {
		if (prob[i] < 0 || prob[i] > 1)
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "row %zu: probability %g is "
					     "outside [0, 1]",
					     i + 1, prob[i]);
		double p =
			fmin(fmax(prob[i], LOG_LOSS_CLIP), 1.0 - LOG_LOSS_CLIP);
		loss -= y[i] == 1.0 ? mql_fixed_log(p) : mql_fixed_log1p(-p);
		brier += (prob[i] - y[i]) * (prob[i] - y[i]);
	}
	if (log_loss_out)
		*log_loss_out = loss / (double)n;
	if (brier_out)
		*brier_out = brier / (double)n;
	return MQL_OK;
}

/* First rank of bin b of bins over n sorted rows. */
static size_t bin_start(size_t b, size_t bins, size_t n)
{
	return (size_t)(((unsigned long long)b * n) / bins);
}

/* Common checks of the binned tables. */
static int check_binned(size_t *positives, const void *out, size_t bins,
			size_t max_bins, const double *score, const double *y,
			size_t n, mql_error *err)
{
	if (!out || !score || !y || bins == 0 || bins > max_bins)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "a binned table needs outputs, scores, "
				     "outcomes and 1 to %zu bins",
				     max_bins);
	if (n == 0)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "a binned table needs at least one row");
	return check_rows(positives, score, y, n, err);
}

int mql_validate_calibration(mql_calibration_bin *out, size_t bins,
			     const double *prob, const double *y, size_t n,
			     mql_error *err)
{
	size_t positives = 0;
	int status = check_binned(&positives, out, bins, (size_t)-1, prob, y, n,
				  err);
	if (status)
		return status;
	struct ranked *rows = sorted_rows(prob, n, 0);
	if (!rows)
		return no_memory(err);
	for (size_t b = 0; b < bins; b++) {
		size_t from = bin_start(b, bins, n),
		       to = bin_start(b + 1, bins, n);
		double predicted = 0, observed = 0;
		for (size_t r = from; r < to; r++) {
			predicted += rows[r].score;
			observed += y[rows[r].row];
		}
		out[b].bin = (int)(b + 1);
		out[b].n = to - from;
		out[b].predicted =
			to > from ? predicted / (double)(to - from) : 0;
		out[b].observed =
			to > from ? observed / (double)(to - from) : 0;
	}
	free(rows);
	return MQL_OK;
}

int mql_validate_gains(mql_gains *out, size_t bins, const double *score,
		       const double *y, size_t n, mql_error *err)
{
	size_t positives = 0;
	int status = check_binned(&positives, out, bins, MQL_VALIDATE_BINS,
				  score, y, n, err);
	if (status)
		return status;
	struct ranked *rows = sorted_rows(score, n, 1);
	if (!rows)
		return no_memory(err);
	memset(out, 0, sizeof *out);
	out->bins = bins;
	out->base_rate = (double)positives / (double)n;
	double cumulative = 0;
	for (size_t b = 0; b < bins; b++) {
		mql_gains_bin *bin = &out->bin[b];
		size_t from = bin_start(b, bins, n),
		       to = bin_start(b + 1, bins, n);
		bin->bin = (int)(b + 1);
		bin->n = to - from;
		for (size_t r = from; r < to; r++)
			bin->positives += y[rows[r].row] == 1.0;
		bin->rate =
			bin->n ? (double)bin->positives / (double)bin->n : 0;
		bin->captured =
			positives ? (double)bin->positives / (double)positives
				  : 0;
		cumulative += bin->captured;
		bin->cumulative_captured = cumulative;
		bin->lift = out->base_rate > 0 ? bin->rate / out->base_rate : 0;
	}
	free(rows);
	out->top_rate = out->bin[0].rate;
	out->bottom_rate = out->bin[bins - 1].rate;
	out->top_bottom_defined = out->bottom_rate > 0;
	out->top_bottom_ratio =
		out->top_bottom_defined ? out->top_rate / out->bottom_rate : 0;
	return MQL_OK;
}

int mql_validate_operating_points(mql_operating_point **out, size_t *count,
				  const double *score, const double *y,
				  size_t n, mql_error *err)
{
	size_t positives = 0;
	if (!out || !count || !score || !y)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "operating points need outputs, scores "
				     "and outcomes");
	*out = NULL;
	*count = 0;
	if (n == 0)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "operating points need at least one row");
	int status = check_rows(&positives, score, y, n, err);
	if (status)
		return status;
	struct ranked *rows = sorted_rows(score, n, 1);
	mql_operating_point *points = malloc(n * sizeof *points);
	if (!rows || !points) {
		free(rows);
		free(points);
		return no_memory(err);
	}
	size_t used = 0, above = 0, positives_above = 0;
	for (size_t start = 0; start < n;) {
		size_t end = start;
		while (end < n && rows[end].score == rows[start].score) {
			positives_above += y[rows[end].row] == 1.0;
			end++;
		}
		above = end;
		mql_operating_point *point = &points[used++];
		point->eta = rows[start].score;
		point->above = above;
		point->positives_above = positives_above;
		point->precision = (double)positives_above / (double)above;
		point->recall =
			positives ? (double)positives_above / (double)positives
				  : 0;
		start = end;
	}
	free(rows);
	/* Give back the unused tail; keep the block if shrinking fails. */
	mql_operating_point *shrunk = realloc(points, used * sizeof *points);
	*out = shrunk ? shrunk : points;
	*count = used;
	return MQL_OK;
}

int mql_validate_all(mql_validation *out, const double *eta, const double *y,
		     size_t n, mql_error *err)
{
	if (!out || !eta || !y)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "validation needs outputs, linear "
				     "predictors and outcomes");
	memset(out, 0, sizeof *out);
	/* The AUC checks the rows and refuses a one-class set. */
	int status = mql_validate_auc(&out->auc, eta, y, n, err);
	if (status)
		return status;
	double *prob = malloc(n * sizeof *prob);
	if (!prob)
		return no_memory(err);
	for (size_t i = 0; i < n; i++)
		prob[i] = mql_logit_inverse(eta[i]);
	status = mql_validate_log_loss_brier(&out->log_loss, &out->brier, prob,
					     y, n, err);
	if (!status)
		status = mql_validate_calibration(
			out->calibration, MQL_VALIDATE_BINS, prob, y, n, err);
	if (!status)
		status = mql_validate_gains(&out->gains, MQL_VALIDATE_BINS, eta,
					    y, n, err);
	free(prob);
	if (status)
		return status;
	out->n = n;
	out->positives = out->auc.positives;
	out->calibration_bins = MQL_VALIDATE_BINS;
	return MQL_OK;
}

/* splitmix64: a small, well-mixed generator, fixed for reproducibility. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int mql_validate_folds(size_t *fold_out, size_t n, size_t k, uint64_t seed,
		       const double *y, mql_error *err)
{
	if (!fold_out || k < 2 || k > n)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "k folds need 2 <= k <= rows (k = %zu, "
				     "%zu rows)",
				     k, n);
	size_t *order = malloc(n * sizeof *order);
	if (!order)
		return no_memory(err);
	/* Positives first, then negatives, each group shuffled, so dealing
	   the whole order round-robin stratifies the folds. */
	size_t used = 0;
	for (int pass = 1; pass >= 0; pass--) {
		size_t first = used;
		for (size_t i = 0; i < n; i++)
			if (!y ? pass == 1 : (y[i] == 1.0) == (pass == 1))
				order[used++] = i;
		for (size_t i = used - first; i > 1; i--) {
			size_t j = (size_t)(next_random(&seed) % i);
			size_t swap = order[first + i - 1];
			order[first + i - 1] = order[first + j];
			order[first + j] = swap;
		}
	}
	for (size_t position = 0; position < n; position++)
		fold_out[order[position]] = position % k;
	free(order);
	return MQL_OK;
}
