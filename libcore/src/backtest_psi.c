/* backtest_psi.c - the drift index and the acceptance of a top slice
 * (see backtest.h); engines over plain arrays. */
#include <mqlcal/backtest.h>

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

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

/*
 * Draws PSI_NOISE_DRAWS pairs of samples of the observed sizes from the
 * reference shares (both sides carry sampling noise), so the PSI of each
 * pair is what a period with no drift at all would show.  A fixed seed
 * keeps every run's verdicts the same.
 */
#define PSI_NOISE_DRAWS 2000
#define PSI_NOISE_SEED	20260331UL

double mql_backtest_psi_noise(const double *expected, size_t bins,
			      double reference_rows, double rows,
			      double probability)
{
	double total = 0;
	for (size_t i = 0; i < bins; i++)
		total += expected[i];
	if (!(total > 0) || !(rows >= 1) || !(reference_rows >= 1) ||
	    !(probability > 0 && probability < 1) || bins < 2)
		return NAN;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *psi = malloc(PSI_NOISE_DRAWS * sizeof *psi);
	unsigned int *draw_e = malloc(2 * bins * sizeof *draw_e);
	double *counts = malloc(2 * bins * sizeof *counts);
	double quantile = NAN;
	if (!rng || !psi || !draw_e || !counts)
		goto done;
	gsl_rng_set(rng, PSI_NOISE_SEED);
	unsigned int *draw_a = draw_e + bins;
	for (size_t d = 0; d < PSI_NOISE_DRAWS; d++) {
		gsl_ran_multinomial(rng, bins, (unsigned int)reference_rows,
				    expected, draw_e);
		gsl_ran_multinomial(rng, bins, (unsigned int)rows, expected,
				    draw_a);
		for (size_t i = 0; i < bins; i++) {
			counts[i] = draw_e[i];
			counts[bins + i] = draw_a[i];
		}
		psi[d] = mql_backtest_psi(counts, counts + bins, bins);
	}
	gsl_sort(psi, 1, PSI_NOISE_DRAWS);
	quantile = gsl_stats_quantile_from_sorted_data(psi, 1, PSI_NOISE_DRAWS,
						       probability);
done:
	gsl_rng_free(rng);
	free(psi);
	free(draw_e);
	free(counts);
	return quantile;
}

const char *mql_backtest_drift(double psi, double noise)
{
	if (isnan(psi))
		return "";
	/* Within what samples of this size show with no drift at all: */
	if (!(psi > noise))
		return noise >= 0.1 ? "too few leads" : "stable";
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
