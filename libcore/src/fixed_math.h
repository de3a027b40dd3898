/*
 * fixed_math.h - exp, log and log1p with the same bits on every CPU
 * (private to libcore).
 *
 * glibc chooses among variants of its elementary functions by CPU (exp and
 * log1p have FMA and non-FMA versions on x86-64), and the variants differ
 * in the last bit, which reaches every printed digit of a fit.  These are
 * plain C arithmetic, compiled without contraction, so every machine that
 * does IEEE double arithmetic gets the same bits.  Accuracy: within 2 units
 * in the last place of the exact result over the ranges the fit uses (the
 * test measures it against libm).
 *
 * Cannot fail.  Special values follow C's: NaN in, NaN out; exp of a large
 * x is +inf and of a very negative x 0; log of 0 is -inf and of a negative
 * number NaN; log1p(-1) is -inf.
 */
#ifndef MQLCAL_FIXED_MATH_H
#define MQLCAL_FIXED_MATH_H

double mql_fixed_exp(double x);
double mql_fixed_log(double x);
double mql_fixed_log1p(double x);

#endif
