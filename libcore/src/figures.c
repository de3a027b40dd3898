/*
 * figures.c - numbers formatted for reading (see figures.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/figures.h>

/* Writes value with the given decimals and a comma every three digits. */
static char *grouped(char *buf, size_t n, double value, int decimals)
{
	char plain[64];
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(value) || fabs(value) >= 1e18)
		return buf;
	snprintf(plain, sizeof plain, "%.*f", decimals, fabs(value));
	const char *point = strchr(plain, '.');
	size_t whole = point ? (size_t)(point - plain) : strlen(plain);
	size_t out = 0;
	/* Rounding may give "-0": only a non-zero text carries the sign. */
	if (value < 0 && strspn(plain, "0.") != strlen(plain) && out + 1 < n)
		buf[out++] = '-';
	for (size_t i = 0; i < whole && out + 1 < n; i++) {
		if (i > 0 && (whole - i) % 3 == 0 && out + 2 < n)
			buf[out++] = ',';
		buf[out++] = plain[i];
	}
	for (size_t i = whole; plain[i] && out + 1 < n; i++)
		buf[out++] = plain[i];
	buf[out] = '\0';
	return buf;
}

char *mql_figure_count(char *buf, size_t n, double value)
{
	int whole = isfinite(value) && value == floor(value);
	return grouped(buf, n, value, whole ? 0 : 1);
}

char *mql_figure_percent(char *buf, size_t n, double value, int decimals)
{
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(value))
		return buf;
	snprintf(buf, n, "%.*f%%", decimals, 100 * value);
	return buf;
}

char *mql_figure_amount(char *buf, size_t n, double value, const char *currency)
{
	char number[48];
	if (n == 0)
		return buf;
	buf[0] = '\0';
	grouped(number, sizeof number, value,
		fabs(value) >= 99.995 || value == floor(value) ? 0 : 2);
	if (number[0] == '\0')
		return buf;
	if (currency && currency[0])
		snprintf(buf, n, "%s\xc2\xa0%s", currency, number);
	else
		snprintf(buf, n, "%s", number);
	return buf;
}

char *mql_figure_q(char *buf, size_t n, double value)
{
	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (!isfinite(value))
		return buf;
	if (value < 0.0005)
		snprintf(buf, n, "%s", "< 0.001");
	else
		snprintf(buf, n, "%.3f", value);
	return buf;
}
