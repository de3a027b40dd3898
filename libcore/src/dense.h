/*
 * dense.h - the dense kernels of the logistic fit, with the same bytes on
 * every x86-64 CPU (private to libcore).
 *
 * A BLAS picks its kernels by CPU (OpenBLAS chooses among Haswell,
 * SkylakeX, Prescott... at load time), and each kernel adds in its own
 * order, so the last digits of X'WX, and of every estimate, depend on the
 * machine.  These kernels fix the order of every sum instead:
 *  - each output element is accumulated over rows in row order, from a
 *    zero partial sum per call, then added to the output once;
 *  - vector instructions only ever work across independent output
 *    elements (never split one sum), and no multiply-add is fused (the
 *    library is compiled as ISO C, where GCC does not contract, and the
 *    AVX2 variants do not enable FMA);
 * so the AVX-512, AVX2 and portable variants give identical bits, and the
 * choice between them (by CPU) changes only the speed.
 *
 * Matrices are row-major, rows x m.  Nothing here allocates or fails: the
 * caller gives the Gram kernel its scratch.
 */
#ifndef MQLCAL_DENSE_H
#define MQLCAL_DENSE_H

#include <stddef.h>

/* Doubles of scratch mql_dense_gram_upper needs for m columns. */
size_t mql_dense_gram_scratch(size_t m);

/* gram[j * m + k] += sum over rows r of a[r][j] a[r][k], for k >= j (the
 * upper triangle; the lower is not touched).  Rows are taken in chunks of
 * a fixed size, each chunk's sum added to gram in turn.  scratch holds
 * mql_dense_gram_scratch(m) doubles. */
void mql_dense_gram_upper(double *gram, const double *a, size_t rows, size_t m,
			  double *scratch);

/* out[r] = sum over k of a[r][k] x[k], k in order in four interleaved
 * partial sums ((s0 + s1) + (s2 + s3)) + tail. */
void mql_dense_rows_dot(double *out, const double *a, size_t rows, size_t m,
			const double *x);

/* out[k] += sum over rows r of a[r][k] v[r]. */
void mql_dense_columns_dot(double *out, const double *a, size_t rows, size_t m,
			   const double *v);

/*
 * Each row b of a (rows x m) replaced by x solving x L' = b, with L the
 * lower triangle of the m x m factor (row-major, as GSL's Cholesky leaves
 * it): forward substitution x[k] = (b[k] - sum_{j<k} L[k][j] x[j]) / L[k][k].
 */
void mql_dense_solve_lower_rows(double *a, size_t rows, size_t m,
				const double *factor);

/* The variants, for the test that checks them against each other bit
 * for bit (the functions above run the widest this CPU supports). */
typedef enum mql_dense_variant {
	MQL_DENSE_PORTABLE, /* the x86-64 baseline, or any other CPU */
	MQL_DENSE_AVX2,
	MQL_DENSE_AVX512
} mql_dense_variant;

/* 1 when this CPU runs variant, else 0. */
int mql_dense_supports(mql_dense_variant variant);

/* mql_dense_gram_upper and mql_dense_columns_dot by the given variant,
 * which the CPU must support. */
void mql_dense_gram_upper_with(mql_dense_variant variant, double *gram,
			       const double *a, size_t rows, size_t m,
			       double *scratch);
void mql_dense_columns_dot_with(mql_dense_variant variant, double *out,
				const double *a, size_t rows, size_t m,
				const double *v);

#endif
