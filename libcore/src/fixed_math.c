/*
 * fixed_math.c - elementary functions in a fixed sequence of IEEE
 * operations (see fixed_math.h).
 *
 * exp: x = k ln 2 + r with |r| <= ln 2 / 2, ln 2 split in a high part
 * with trailing zero bits (so k * LN2_HIGH is exact) and a low part
 * (Cody and Waite's reduction); exp(r) from its Taylor series to r^14,
 * whose remainder is below 2^-60 there; then scaled by 2^k exactly.
 *
 * log: y = 2^e m with m in [sqrt(1/2), sqrt(2)), so f = m - 1 is exact;
 * log(m) = 2 atanh(s) with s = f / (2 + f), |s| <= 0.1716, from the odd
 * series to s^25, whose remainder is below 2^-63, arranged so that the
 * exact f carries most of the value (log_one_plus_near_one).
 * log1p: the same series straight from x when 1 + x is in that range
 * (no rounding of 1 + x), else log(1 + x) corrected by the rounding error
 * of the addition.
 */
#include "fixed_math.h"

#include <math.h>

/* ln 2 = LN2_HIGH + LN2_LOW: LN2_HIGH has 32 significant bits, so its
 * product with any |k| < 2^20 is exact. */
static const double LN2_HIGH = 0x1.62e42feep-1;
static const double LN2_LOW = 0x1.a39ef35793c76p-33;
static const double LOG2_E = 0x1.71547652b82fep0;

static const double SQRT_HALF = 0x1.6a09e667f3bcdp-1;
static const double SQRT_TWO = 0x1.6a09e667f3bcdp0;

/* Beyond these exp overflows to inf or underflows to 0. */
static const double EXP_MAX = 709.782712893384;
static const double EXP_MIN = -745.2;

double mql_fixed_exp(double x)
{
	if (isnan(x))
		return x;
	if (x > EXP_MAX)
		return INFINITY;
	if (x < EXP_MIN)
		return 0.0;
	double scaled = x * LOG2_E;
	double k = (double)(long)(scaled + (scaled < 0 ? -0.5 : 0.5));
	double r = (x - k * LN2_HIGH) - k * LN2_LOW;
	/* Horner on 1 + r (1 + r/2 (1 + r/3 (... (1 + r/14)))) */
	static const double inverse[15] = {
		0,	  1.0,	    1.0 / 2,  1.0 / 3,	1.0 / 4,
		1.0 / 5,  1.0 / 6,  1.0 / 7,  1.0 / 8,	1.0 / 9,
		1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13, 1.0 / 14};
	double sum = 1.0;
	for (int n = 14; n >= 1; n--)
		sum = 1.0 + r * sum * inverse[n];
	return ldexp(sum, (int)k);
}

/*
 * log(1 + f) for 1 + f in [sqrt(1/2), sqrt(2)): with s = f / (2 + f),
 * log(1 + f) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ..., and since
 * 2s = f - s f, that is f - s (f - R) with R = s^2 (2/3 + 2s^2/5 + ...
 * + 2s^22/25): f is exact and the correction is about f^2 / 2, so the
 * last subtraction carries nearly all the rounding.
 */
static double log_one_plus_near_one(double f)
{
	double s = f / (2.0 + f);
	double s2 = s * s;
	static const double twice_inverse[] = {
		2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,	2.0 / 11, 2.0 / 13,
		2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23, 2.0 / 25};
	double series = twice_inverse[11];
	for (int i = 10; i >= 0; i--)
		series = twice_inverse[i] + s2 * series;
	return f - s * (f - s2 * series);
}

double mql_fixed_log(double x)
{
	if (isnan(x) || x < 0)
		return NAN;
	if (x == 0)
		return -INFINITY;
	if (isinf(x))
		return x;
	int e;
	double m = frexp(x, &e); /* x = m 2^e, m in [1/2, 1) */
	if (m < SQRT_HALF) {
		m *= 2.0;
		e -= 1;
	}
	double f = m - 1.0; /* exact: m is within a factor 2 of 1 */
	double tail = log_one_plus_near_one(f);
	return e * LN2_HIGH + (tail + e * LN2_LOW);
}

double mql_fixed_log1p(double x)
{
	if (isnan(x) || x < -1.0)
		return NAN;
	if (x == -1.0)
		return -INFINITY;
	if (isinf(x))
		return x;
	/* 1 + x within [sqrt(1/2), sqrt(2)): the series without forming 1 + x
	 */
	if (x >= SQRT_HALF - 1.0 && x < SQRT_TWO - 1.0)
		return x == 0.0 ? x : log_one_plus_near_one(x);
	double y = 1.0 + x;
	double lost = (y - 1.0) - x; /* y = 1 + x + lost */
	return mql_fixed_log(y) - lost / y;
}
