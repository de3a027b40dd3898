/* points_eval.c - how much rounding to integer points costs on rows (see
 * points.h). */
#include <mqlcal/points.h>

#include <math.h>
#include <stdlib.h>

#include <mqlcal/logit.h>
#include <mqlcal/validate.h>

typedef struct ranked {
	double value;
	size_t index;
} ranked;

static int by_value(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Ranks of v (1-based, ties share their mean rank) into rank. */
static int mean_ranks(double *rank, const double *v, size_t n)
{
	ranked *order = malloc(n * sizeof *order);
	if (!order)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		order[i].value = v[i];
		order[i].index = i;
	}
	qsort(order, n, sizeof *order, by_value);
	for (size_t start = 0; start < n;) {
		size_t end = start + 1;
		while (end < n && order[end].value == order[start].value)
			end++;
		double mean = 0.5 * (double)(start + 1 + end);
		for (size_t k = start; k < end; k++)
			rank[order[k].index] = mean;
		start = end;
	}
	free(order);
	return MQL_OK;
}

/* Pearson correlation of a and b; NAN when either is constant. */
static double pearson(const double *a, const double *b, size_t n)
{
	double mean_a = 0, mean_b = 0;
	for (size_t i = 0; i < n; i++) {
		mean_a += a[i];
		mean_b += b[i];
	}
	mean_a /= (double)n;
	mean_b /= (double)n;
	double sab = 0, saa = 0, sbb = 0;
	for (size_t i = 0; i < n; i++) {
		sab += (a[i] - mean_a) * (b[i] - mean_b);
		saa += (a[i] - mean_a) * (a[i] - mean_a);
		sbb += (b[i] - mean_b) * (b[i] - mean_b);
	}
	if (!(saa > 0) || !(sbb > 0))
		return NAN;
	return sab / sqrt(saa * sbb);
}

/* Spearman's rank correlation of a and b (ties get mean ranks); NAN when
 * either is constant or n < 2.  Returns 0 or MQL_ERR_NOMEM. */
static int spearman(double *out, const double *a, const double *b, size_t n)
{
	*out = NAN;
	if (n < 2)
		return MQL_OK;
	double *ranks = malloc(2 * n * sizeof *ranks);
	if (!ranks)
		return MQL_ERR_NOMEM;
	int status = mean_ranks(ranks, a, n);
	if (status == MQL_OK)
		status = mean_ranks(ranks + n, b, n);
	if (status == MQL_OK)
		*out = pearson(ranks, ranks + n, n);
	free(ranks);
	return status;
}

double mql_points_row_eta(const mql_points *p, const double *x)
{
	double eta = p->intercept;
	for (size_t j = 0; j < p->rule_count; j++)
		eta += p->rules[j].estimate * x[j];
	return eta;
}

double mql_points_row_score(const mql_points *p, const double *x)
{
	double score = 0.0;
	for (size_t j = 0; j < p->rule_count; j++)
		score += p->rules[j].points * x[j];
	return score;
}

/* AUCs of eta and score against y when y has both outcomes. */
static int both_aucs(mql_points_evaluation *out, const double *eta,
		     const double *score, const double *y, size_t rows,
		     mql_error *err)
{
	size_t positives = 0;
	for (size_t i = 0; i < rows; i++)
		positives += y[i] == 1.0;
	if (positives == 0 || positives == rows)
		return MQL_OK;
	mql_auc model_auc, points_auc;
	int status = mql_validate_auc(&model_auc, eta, y, rows, err);
	if (status == MQL_OK)
		status = mql_validate_auc(&points_auc, score, y, rows, err);
	if (status)
		return status;
	out->auc_model = model_auc.auc;
	out->auc_points = points_auc.auc;
	out->auc_defined = 1;
	return MQL_OK;
}

int mql_points_evaluate(mql_points_evaluation *out, const mql_points *p,
			const double *x, const double *y, size_t rows,
			mql_error *err)
{
	out->rows = rows;
	out->max_probability_change = NAN;
	out->spearman = NAN;
	out->auc_model = NAN;
	out->auc_points = NAN;
	out->auc_defined = 0;
	if (rows < 2)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "%zu rows: at least 2 are needed to "
				     "compare points with the model",
				     rows);
	double *eta = malloc(2 * rows * sizeof *eta);
	if (!eta)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	double *score = eta + rows;
	double max_change = 0.0;
	for (size_t i = 0; i < rows; i++) {
		const double *row = x + i * p->rule_count;
		eta[i] = mql_points_row_eta(p, row);
		score[i] = mql_points_row_score(p, row);
		if (!isfinite(eta[i]) || !isfinite(score[i])) {
			free(eta);
			return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
					     "row %zu: a value is not finite",
					     i + 1);
		}
		double rounded = p->intercept + score[i] / p->factor;
		max_change = fmax(max_change, fabs(mql_logit_inverse(rounded) -
						   mql_logit_inverse(eta[i])));
	}
	out->max_probability_change = max_change;
	int status = spearman(&out->spearman, score, eta, rows);
	if (status)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	else if (y)
		status = both_aucs(out, eta, score, y, rows, err);
	free(eta);
	return status;
}
