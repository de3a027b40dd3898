/*
 * test_dense.c - the fit's dense kernels give the same bits on every CPU.
 *
 * The expected values are the documented order of summation written out
 * the plain way, one element at a time (a partial sum per chunk of 128
 * rows, rows in order, added to the output); every variant this CPU runs
 * (portable, AVX2, AVX-512) must equal it bit for bit, on random matrices
 * of awkward sizes.  Tolerances would hide exactly what this guards.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../libcore/src/dense.h"

#define CHUNK 128

/* A reproducible uniform in (-2, 2) with some exact zeros and ones. */
static double next_value(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	unsigned long bits = *state >> 11;
	if (bits % 17 == 0)
		return bits % 2 ? 1.0 : 0.0;
	return (double)bits / 9007199254740992.0 * 4.0 - 2.0;
}

static void plain_gram(double *gram, const double *a, size_t rows, size_t m)
{
	for (size_t j = 0; j < m; j++)
		for (size_t k = j; k < m; k++)
			for (size_t r0 = 0; r0 < rows; r0 += CHUNK) {
				double sum = 0.0;
				for (size_t r = r0; r < rows && r < r0 + CHUNK;
				     r++)
					sum += a[r * m + j] * a[r * m + k];
				gram[j * m + k] += sum;
			}
}

static void plain_columns(double *out, const double *a, size_t rows, size_t m,
			  const double *v)
{
	for (size_t k = 0; k < m; k++) {
		double sum = 0.0;
		for (size_t r = 0; r < rows; r++)
			sum += a[r * m + k] * v[r];
		out[k] += sum;
	}
}

static void variants_equal_the_plain_order(void)
{
	static const size_t sizes_m[] = {1, 3, 4, 7, 8, 9, 15, 16, 17, 45, 70};
	static const size_t sizes_rows[] = {1, 5, 127, 128, 129, 300};
	unsigned long state = 20261207;
	int checked = 0;
	for (size_t im = 0; im < sizeof sizes_m / sizeof sizes_m[0]; im++)
		for (size_t ir = 0;
		     ir < sizeof sizes_rows / sizeof sizes_rows[0]; ir++) {
			size_t m = sizes_m[im], rows = sizes_rows[ir];
			double *a = malloc(rows * m * sizeof *a);
			double *v = malloc(rows * sizeof *v);
			double *want = malloc(m * m * sizeof *want);
			double *got = malloc(m * m * sizeof *got);
			double *want_dot = malloc(m * sizeof *want_dot);
			double *got_dot = malloc(m * sizeof *got_dot);
			double *scratch = malloc(mql_dense_gram_scratch(m) *
						 sizeof(double));
			CU_ASSERT_FATAL(a && v && want && got && want_dot &&
					got_dot && scratch);
			for (size_t i = 0; i < rows * m; i++)
				a[i] = next_value(&state);
			for (size_t i = 0; i < rows; i++)
				v[i] = next_value(&state);
			for (size_t i = 0; i < m * m; i++)
				want[i] = next_value(&state);
			for (size_t i = 0; i < m; i++)
				want_dot[i] = next_value(&state);
			double *start = malloc(m * m * sizeof *start);
			double *start_dot = malloc(m * sizeof *start_dot);
			CU_ASSERT_FATAL(start && start_dot);
			memcpy(start, want, m * m * sizeof *want);
			memcpy(start_dot, want_dot, m * sizeof *want_dot);
			plain_gram(want, a, rows, m);
			plain_columns(want_dot, a, rows, m, v);
			for (int variant = MQL_DENSE_PORTABLE;
			     variant <= MQL_DENSE_AVX512; variant++) {
				if (!mql_dense_supports(
					    (mql_dense_variant)variant))
					continue;
				memcpy(got, start, m * m * sizeof *got);
				memcpy(got_dot, start_dot, m * sizeof *got_dot);
				mql_dense_gram_upper_with(
					(mql_dense_variant)variant, got, a,
					rows, m, scratch);
				mql_dense_columns_dot_with(
					(mql_dense_variant)variant, got_dot, a,
					rows, m, v);
				/* the lower triangle is left alone */
				CU_ASSERT(memcmp(got, want,
						 m * m * sizeof *got) == 0);
				CU_ASSERT(memcmp(got_dot, want_dot,
						 m * sizeof *got_dot) == 0);
				checked++;
			}
			free(start);
			free(start_dot);
			free(a);
			free(v);
			free(want);
			free(got);
			free(want_dot);
			free(got_dot);
			free(scratch);
		}
	CU_ASSERT(checked >= 66);
}

/* rows_dot: ((s0 + s1) + (s2 + s3)) + tail over k, s_i the sums of the
 * columns k = i mod 4; and the triangular solve against a hand example. */
static void rows_dot_and_solve_follow_their_formulas(void)
{
	const double a[2 * 6] = {1, 2, 3, 4, 5, 6, 0.5, -1, 0.25, 8, -3, 1e-3};
	const double x[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
	double out[2];
	mql_dense_rows_dot(out, a, 2, 6, x);
	for (int r = 0; r < 2; r++) {
		const double *row = a + 6 * r;
		double s0 = 0 + row[0] * x[0], s1 = 0 + row[1] * x[1];
		double s2 = 0 + row[2] * x[2], s3 = 0 + row[3] * x[3];
		double want = ((s0 + s1) + (s2 + s3)) + row[4] * x[4];
		want += row[5] * x[5];
		CU_ASSERT_EQUAL(out[r], want);
	}
	/* L = [[2, 0], [1, 4]]: x L' = b for b = (4, 10): x0 = 4 / 2 = 2,
	 * x1 = (10 - 1 * 2) / 4 = 2. */
	const double factor[4] = {2, 99, 1, 4};
	double b[2] = {4, 10};
	mql_dense_solve_lower_rows(b, 1, 2, factor);
	CU_ASSERT_EQUAL(b[0], 2.0);
	CU_ASSERT_EQUAL(b[1], 2.0);
}

CU_TestInfo test_dense[] = {
	{"variants equal the plain order bit for bit",
	 variants_equal_the_plain_order},
	{"rows dot and solve follow their formulas",
	 rows_dot_and_solve_follow_their_formulas},
	CU_TEST_INFO_NULL,
};
