/*
 * dense.c - dense kernels in a fixed order of summation (see dense.h).
 *
 * The kernels are written once, over GCC vector types of four doubles,
 * and compiled twice: for the x86-64 baseline (SSE2: each four-wide
 * operation becomes two) and for AVX2.  An operation on a vector is the
 * same operation on each of its elements, so both give the same bits.
 */
#include "dense.h"

#include <string.h>

typedef double v4d __attribute__((vector_size(32)));

/* The helpers below pass vectors by value; they are static and inlined, so
 * no call crosses an ABI boundary, and GCC's note about the AVX calling
 * convention does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* Rows per partial sum of the Gram matrix: a chunk of up to 64 columns
 * stays in the second-level cache while its tiles are swept.  A constant,
 * so the order of the sums is the same on every machine. */
#define GRAM_CHUNK_ROWS 128

static inline __attribute__((always_inline)) v4d load4(const double *p)
{
	v4d v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline __attribute__((always_inline)) v4d splat4(double x)
{
	return (v4d){x, x, x, x};
}

/* Columns of a chunk as copied for the tiles: a multiple of 8, the
 * columns past m zero, so that every tile is whole. */
static size_t padded_columns(size_t m)
{
	return (m + 7) / 8 * 8;
}

size_t mql_dense_gram_scratch(size_t m)
{
	/* enough for the AVX-512 tiles' width, a multiple of 16 */
	return GRAM_CHUNK_ROWS * ((m + 15) / 16 * 16);
}

/* One chunk of rows, copied with zero padding into padded (rows x
 * width): tiles of 4 rows (j) by 8 columns (k) of the Gram matrix, held in
 * eight vectors.  Every element is 0 + a_0j a_0k + a_1j a_1k + ... in row
 * order, then added to gram; only the upper triangle within m is kept. */
static inline __attribute__((always_inline)) void
gram_chunk(double *gram, const double *padded, size_t rows, size_t m,
	   size_t width)
{
	for (size_t j0 = 0; j0 < m; j0 += 4)
		for (size_t k0 = j0 - j0 % 8; k0 < m; k0 += 8) {
			v4d acc[4][2] = {{{0}}};
			for (size_t r = 0; r < rows; r++) {
				const double *row = padded + r * width;
				v4d low = load4(row + k0);
				v4d high = load4(row + k0 + 4);
				for (size_t t = 0; t < 4; t++) {
					v4d b = splat4(row[j0 + t]);
					acc[t][0] += b * low;
					acc[t][1] += b * high;
				}
			}
			for (size_t t = 0; t < 4 && j0 + t < m; t++)
				for (size_t u = 0; u < 8 && k0 + u < m; u++)
					if (k0 + u >= j0 + t)
						gram[(j0 + t) * m + k0 + u] +=
							acc[t][u / 4][u % 4];
		}
}

static inline __attribute__((always_inline)) void
gram_upper(double *gram, const double *a, size_t rows, size_t m,
	   double *scratch)
{
	size_t width = padded_columns(m);
	for (size_t r0 = 0; r0 < rows; r0 += GRAM_CHUNK_ROWS) {
		size_t n = rows - r0 < GRAM_CHUNK_ROWS ? rows - r0
						       : GRAM_CHUNK_ROWS;
		for (size_t r = 0; r < n; r++) {
			memcpy(scratch + r * width, a + (r0 + r) * m,
			       m * sizeof *a);
			memset(scratch + r * width + m, 0,
			       (width - m) * sizeof *a);
		}
		gram_chunk(gram, scratch, n, m, width);
	}
}

/* out[k] += the column sums, eight columns at a time, then the rest. */
static inline __attribute__((always_inline)) void
columns_dot(double *out, const double *a, size_t rows, size_t m,
	    const double *v)
{
	size_t k0 = 0;
	for (; k0 + 8 <= m; k0 += 8) {
		v4d low = splat4(0.0), high = splat4(0.0);
		for (size_t r = 0; r < rows; r++) {
			v4d b = splat4(v[r]);
			low += b * load4(a + r * m + k0);
			high += b * load4(a + r * m + k0 + 4);
		}
		for (size_t u = 0; u < 4; u++) {
			out[k0 + u] += low[u];
			out[k0 + 4 + u] += high[u];
		}
	}
	for (size_t k = k0; k < m; k++) {
		double sum = 0.0;
		for (size_t r = 0; r < rows; r++)
			sum += a[r * m + k] * v[r];
		out[k] += sum;
	}
}

#if defined(__x86_64__) && defined(__GNUC__)
#define MQL_DENSE_X86 1

__attribute__((target("avx2"))) static void
gram_upper_avx2(double *gram, const double *a, size_t rows, size_t m,
		double *scratch)
{
	gram_upper(gram, a, rows, m, scratch);
}

__attribute__((target("avx2"))) static void
columns_dot_avx2(double *out, const double *a, size_t rows, size_t m,
		 const double *v)
{
	columns_dot(out, a, rows, m, v);
}

/*
 * The AVX-512 tiles: 4 rows by 16 columns in eight 8-wide vectors, the
 * chunk copied with its width padded to a multiple of 16.  The same sums
 * in the same order as gram_chunk, only more of them at once.
 */
typedef double v8d __attribute__((vector_size(64)));

__attribute__((target("avx512f"))) static inline v8d load8(const double *p)
{
	v8d v;
	memcpy(&v, p, sizeof v);
	return v;
}

__attribute__((target("avx512f"))) static void
gram_upper_avx512(double *gram, const double *a, size_t rows, size_t m,
		  double *scratch)
{
	size_t width = (m + 15) / 16 * 16;
	for (size_t r0 = 0; r0 < rows; r0 += GRAM_CHUNK_ROWS) {
		size_t n = rows - r0 < GRAM_CHUNK_ROWS ? rows - r0
						       : GRAM_CHUNK_ROWS;
		for (size_t r = 0; r < n; r++) {
			memcpy(scratch + r * width, a + (r0 + r) * m,
			       m * sizeof *a);
			memset(scratch + r * width + m, 0,
			       (width - m) * sizeof *a);
		}
		for (size_t j0 = 0; j0 < m; j0 += 4)
			for (size_t k0 = j0 - j0 % 16; k0 < m; k0 += 16) {
				v8d acc[4][2] = {{{0}}};
				for (size_t r = 0; r < n; r++) {
					const double *row = scratch + r * width;
					v8d low = load8(row + k0);
					v8d high = load8(row + k0 + 8);
					for (size_t t = 0; t < 4; t++) {
						double x = row[j0 + t];
						v8d b = {x, x, x, x,
							 x, x, x, x};
						acc[t][0] += b * low;
						acc[t][1] += b * high;
					}
				}
				for (size_t t = 0; t < 4 && j0 + t < m; t++)
					for (size_t u = 0; u < 16 && k0 + u < m;
					     u++)
						if (k0 + u >= j0 + t)
							gram[(j0 + t) * m + k0 +
							     u] += acc[t][u / 8]
								      [u % 8];
			}
	}
}

#endif

int mql_dense_supports(mql_dense_variant variant)
{
#ifdef MQL_DENSE_X86
	__builtin_cpu_init();
	if (variant == MQL_DENSE_AVX2)
		return __builtin_cpu_supports("avx2");
	if (variant == MQL_DENSE_AVX512)
		return __builtin_cpu_supports("avx512f");
#endif
	return variant == MQL_DENSE_PORTABLE;
}

/* The widest variant this CPU runs. */
static mql_dense_variant best_variant(void)
{
	if (mql_dense_supports(MQL_DENSE_AVX512))
		return MQL_DENSE_AVX512;
	if (mql_dense_supports(MQL_DENSE_AVX2))
		return MQL_DENSE_AVX2;
	return MQL_DENSE_PORTABLE;
}

void mql_dense_gram_upper_with(mql_dense_variant variant, double *gram,
			       const double *a, size_t rows, size_t m,
			       double *scratch)
{
#ifdef MQL_DENSE_X86
	if (variant == MQL_DENSE_AVX512) {
		gram_upper_avx512(gram, a, rows, m, scratch);
		return;
	}
	if (variant == MQL_DENSE_AVX2) {
		gram_upper_avx2(gram, a, rows, m, scratch);
		return;
	}
#endif
	(void)variant;
	gram_upper(gram, a, rows, m, scratch);
}

void mql_dense_columns_dot_with(mql_dense_variant variant, double *out,
				const double *a, size_t rows, size_t m,
				const double *v)
{
#ifdef MQL_DENSE_X86
	/* AVX-512 adds nothing over AVX2 to this memory-bound sum. */
	if (variant != MQL_DENSE_PORTABLE) {
		columns_dot_avx2(out, a, rows, m, v);
		return;
	}
#endif
	(void)variant;
	columns_dot(out, a, rows, m, v);
}

void mql_dense_gram_upper(double *gram, const double *a, size_t rows, size_t m,
			  double *scratch)
{
	mql_dense_gram_upper_with(best_variant(), gram, a, rows, m, scratch);
}

void mql_dense_columns_dot(double *out, const double *a, size_t rows, size_t m,
			   const double *v)
{
	mql_dense_columns_dot_with(best_variant(), out, a, rows, m, v);
}

void mql_dense_rows_dot(double *out, const double *a, size_t rows, size_t m,
			const double *x)
{
	for (size_t r = 0; r < rows; r++) {
		const double *row = a + r * m;
		v4d acc = splat4(0.0);
		size_t k = 0;
		for (; k + 4 <= m; k += 4)
			acc += load4(row + k) * load4(x + k);
		double sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
		for (; k < m; k++)
			sum += row[k] * x[k];
		out[r] = sum;
	}
}

void mql_dense_solve_lower_rows(double *a, size_t rows, size_t m,
				const double *factor)
{
	for (size_t r = 0; r < rows; r++) {
		double *x = a + r * m;
		for (size_t k = 0; k < m; k++) {
			double sum = x[k];
			for (size_t j = 0; j < k; j++)
				sum -= factor[k * m + j] * x[j];
			x[k] = sum / factor[k * m + k];
		}
	}
}
