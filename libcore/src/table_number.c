/*
 * table_number.c - numbers as text for the table writer, without printf
 * where the text is provably the one printf would give (a million output
 * rows spent more time in vfprintf than in scoring), and with printf
 * where it is not.
 */
#include "table_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 15 /* the shortest form below has at most 15 */

static const double powers_of_ten[] = {1e0,  1e1,  1e2,	 1e3, 1e4,  1e5,
				       1e6,  1e7,  1e8,	 1e9, 1e10, 1e11,
				       1e12, 1e13, 1e14, 1e15};

/* Writes the decimal digits of magnitude, most significant first, at
 * buf; returns how many. */
static size_t write_digits(uint64_t magnitude, char *buf)
{
	char reversed[24];
	size_t count = 0;
	do {
		reversed[count++] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	for (size_t i = 0; i < count; i++)
		buf[i] = reversed[count - 1 - i];
	return count;
}

size_t mql_table_format_int(int64_t value, char *buf)
{
	size_t length = 0;
	uint64_t magnitude = (uint64_t)value;
	if (value < 0) {
		buf[length++] = '-';
		magnitude = 0 - magnitude; /* also right for INT64_MIN */
	}
	length += write_digits(magnitude, buf + length);
	buf[length] = '\0';
	return length;
}

/*
 * Writes sign, the integer part of scaled / 10^decimals and, when
 * decimals > 0, a point and exactly decimals digits of the rest.
 */
static void write_scaled(int negative, uint64_t scaled, int decimals, char *buf)
{
	uint64_t unit = (uint64_t)powers_of_ten[decimals];
	size_t length = 0;
	if (negative)
		buf[length++] = '-';
	length += write_digits(scaled / unit, buf + length);
	if (decimals > 0) {
		char digits[24];
		uint64_t rest = scaled % unit + unit; /* keeps leading zeros */
		write_digits(rest, digits);
		buf[length++] = '.';
		memcpy(buf + length, digits + 1, (size_t)decimals);
		length += (size_t)decimals;
	}
	buf[length] = '\0';
}

/*
 * The fast path of the shortest form.  When a decimal d = m / 10^k with
 * at most 15 significant digits has value as its nearest double
 * ((double)m / 10^k == value: both exact, the division correctly
 * rounded), value lies within half an ulp (< 1.2e-16 relative) of d, far
 * inside half a step of 15 significant digits (>= 5e-16 relative), so
 * "%.15g" rounds value to d and, d being at least 1e-3 and below 1e15,
 * writes it without exponent and trailing zeros; it reads back as value,
 * so N = 15 is the shortest.  The smallest k gives d without trailing
 * zeros.  Returns 1 when it wrote buf, 0 when printf must decide.
 */
static int format_short_decimal(double value, char *buf)
{
	double magnitude = fabs(value);
	if (!(magnitude >= 1e-3 && magnitude < 1e15))
		return 0;
	for (int k = 0; k <= MAX_DIGITS; k++) {
		double scaled = magnitude * powers_of_ten[k];
		if (scaled >= 1e15)
			return 0;
		double m = nearbyint(scaled);
		if (m / powers_of_ten[k] == magnitude) {
			write_scaled(value < 0, (uint64_t)m, k, buf);
			return 1;
		}
	}
	return 0;
}

void mql_table_format_full(double value, char *buf)
{
	if (isinf(value)) {
		snprintf(buf, MQL_TABLE_NUMBER_MAX, "%s",
			 value > 0 ? "inf" : "-inf");
		return;
	}
	if (format_short_decimal(value, buf))
		return;
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, MQL_TABLE_NUMBER_MAX, "%.*g", digits, value);
		if (strtod(buf, NULL) == value)
			return;
	}
}

/*
 * "%.*f" rounds the exact binary value to decimals places (a tie to
 * even).  value * 10^decimals is off the exact product by at most half
 * an ulp, so when its fraction is clearly away from one half the
 * rounding is the same either way; near a tie printf decides.  Below
 * 2^32 half an ulp is at most 2^-21 (< 1e-6).
 */
void mql_table_format_fixed(double value, int decimals, char *buf)
{
	double magnitude = fabs(value);
	if (decimals >= 0 && decimals <= 9) {
		double scaled = magnitude * powers_of_ten[decimals];
		double whole = floor(scaled);
		double fraction = scaled - whole; /* exact below 2^52 */
		if (scaled < 4294967296.0 && fabs(fraction - 0.5) > 1e-6) {
			uint64_t rounded =
				(uint64_t)whole + (fraction > 0.5 ? 1 : 0);
			write_scaled(signbit(value) != 0, rounded, decimals,
				     buf);
			return;
		}
	}
	snprintf(buf, MQL_TABLE_NUMBER_MAX, "%.*f", decimals, value);
}
