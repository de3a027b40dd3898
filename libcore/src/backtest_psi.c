/* backtest_psi.c - the drift index and the acceptance of a top slice
 * (see backtest.h); engines over plain arrays. */
#include <mqlcal/backtest.h>

#include <math.h>
#include <stdlib.h>

double mql_backtest_psi(const double *expected, const double *actual,
			size_t bins)
{
	double total_expected = 0, total_actual = 0;
	for (size_t i = 0; i < bins; i++) {
		total_expected += expected[i];
		total_actual += actual[i];
	}
	if (!(total_expected > 0) || !(total_actual > 0))
		return NAN;
	double psi = 0;
	for (size_t i = 0; i < bins; i++) {
		/* an empty bin counts as half a row: ln(0) would be infinite */
		double e = fmax(expected[i], 0.5) / total_expected;
		double a = fmax(actual[i], 0.5) / total_actual;
		psi += (a - e) * log(a / e);
	}
	return psi;
}

const char *mql_backtest_drift(double psi)
{
	if (isnan(psi))
		return "";
	if (psi < 0.1)
		return "stable";
	return psi <= 0.25 ? "moderate" : "major";
}

typedef struct scored {
	double score;
	double y;
} scored;

static int by_score_descending(const void *a, const void *b)
{
	double x = ((const scored *)a)->score, y = ((const scored *)b)->score;
	return x > y ? -1 : x < y;
}

int mql_backtest_top_rate(double *out, const double *score, const double *y,
			  size_t n, size_t k)
{
	*out = NAN;
	if (k == 0 || n == 0)
		return MQL_OK;
	if (k > n)
		k = n;
	scored *rows = malloc(n * sizeof *rows);
	if (!rows)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		rows[i] = (scored){score[i], y[i]};
	qsort(rows, n, sizeof *rows, by_score_descending);
	double positives = 0;
	size_t taken = 0;
	for (size_t start = 0; start < n && taken < k;) {
		size_t end = start;
		double tied_positives = 0;
		while (end < n && rows[end].score == rows[start].score)
			tied_positives += rows[end++].y;
		size_t group = end - start;
		size_t wanted = k - taken < group ? k - taken : group;
		/* a random pick among the tied rows: expected positives */
		positives += tied_positives * (double)wanted / (double)group;
		taken += wanted;
		start = end;
	}
	free(rows);
	*out = positives / (double)k;
	return MQL_OK;
}
