/*
 * locale.c - the locales of --locale and the one parser of numbers in
 * cells (see locale.h).
 *
 * A number is read in three steps: its wrapping (blanks, parentheses,
 * sign, currency, percent sign) is taken off, its digits are copied
 * without thousands separators into a plain "-1234.56e7" text, and that
 * text goes to strtod, which rounds correctly.
 */
#include <mqlcal/locale.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLAIN_MAX 80 /* longest plain text of a number; longer is not one */

const char *const mql_locale_names[] = {"en-US", "en-GB", "de", "fr",
					"nl",	 "es",	  NULL};

int mql_locale_from_name(const char *name, mql_locale *out)
{
	if (!name) {
		*out = MQL_LOCALE_DEFAULT;
		return 0;
	}
	for (size_t i = 0; mql_locale_names[i]; i++)
		if (strcmp(name, mql_locale_names[i]) == 0) {
			*out = (mql_locale)(i + 1);
			return 0;
		}
	return -1;
}

const char *mql_locale_name(mql_locale locale)
{
	return locale == MQL_LOCALE_DEFAULT ? "none"
					    : mql_locale_names[locale - 1];
}

mql_date_order mql_locale_date_order(mql_locale locale)
{
	switch (locale) {
	case MQL_LOCALE_DEFAULT: return MQL_DATE_ORDER_UNKNOWN;
	case MQL_LOCALE_EN_US: return MQL_DATE_ORDER_MDY;
	default: return MQL_DATE_ORDER_DMY;
	}
}

/* The text being read: s[pos..len). */
typedef struct cursor {
	const char *s;
	size_t pos, len;
} cursor;

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Takes prefix at the cursor when it is there; 1 if taken. */
static int take(cursor *c, const char *prefix)
{
	size_t n = strlen(prefix);
	if (c->len - c->pos < n || memcmp(c->s + c->pos, prefix, n) != 0)
		return 0;
	c->pos += n;
	return 1;
}

/* Takes blanks: spaces, tabs, and no-break spaces (U+00A0, U+202F). */
static void skip_blanks(cursor *c)
{
	for (;;) {
		if (c->pos < c->len &&
		    (c->s[c->pos] == ' ' || c->s[c->pos] == '\t'))
			c->pos++;
		else if (!take(c, "\xc2\xa0") && !take(c, "\xe2\x80\xaf"))
			return;
	}
}

/* Drops blanks at the end of the cursor's text. */
static void trim_end(cursor *c)
{
	for (;;) {
		size_t n = c->len - c->pos;
		const char *end = c->s + c->len;
		if (n >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
			c->len--;
		else if (n >= 2 && memcmp(end - 2, "\xc2\xa0", 2) == 0)
			c->len -= 2;
		else if (n >= 3 && memcmp(end - 3, "\xe2\x80\xaf", 3) == 0)
			c->len -= 3;
		else
			return;
	}
}

static const char *const currencies[] = {
	"$",   "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5", "USD", "EUR", "GBP",
	"CHF", "JPY",	       "CAD",	   "AUD",      "NZD", "SEK", "NOK",
	"DKK", "PLN",	       "CZK",	   "HUF",      "INR", "CNY", "BRL",
	"MXN", "ZAR",	       "SGD",	   "HKD",      NULL};

/* Takes a currency at the start of the cursor; 1 if taken. */
static int take_currency_before(cursor *c)
{
	for (size_t i = 0; currencies[i]; i++)
		if (take(c, currencies[i]))
			return 1;
	return 0;
}

/* Drops one of suffixes at the end of the cursor's text; 1 if dropped. */
static int drop_suffix(cursor *c, const char *const *suffixes)
{
	for (size_t i = 0; suffixes[i]; i++) {
		size_t n = strlen(suffixes[i]);
		if (c->len - c->pos >= n &&
		    memcmp(c->s + c->len - n, suffixes[i], n) == 0) {
			c->len -= n;
			return 1;
		}
	}
	return 0;
}

/* The separators of a locale's numbers. */
typedef struct separators {
	char decimal;
	const char *const *thousands; /* NULL-ended */
} separators;

static separators locale_separators(mql_locale locale)
{
	static const char *const comma[] = {",", NULL};
	static const char *const point[] = {".", NULL};
	static const char *const spaces[] = {" ", "\xc2\xa0", "\xe2\x80\xaf",
					     NULL};
	switch (locale) {
	case MQL_LOCALE_DE:
	case MQL_LOCALE_NL:
	case MQL_LOCALE_ES: return (separators){',', point};
	case MQL_LOCALE_FR: return (separators){',', spaces};
	default: return (separators){'.', comma};
	}
}

/* The length of the thousands separator at the cursor when exactly three
 * digits and then no digit follow it; 0 when there is none. */
static size_t group_separator(const cursor *c, const separators *sep)
{
	for (size_t i = 0; sep->thousands[i]; i++) {
		size_t n = strlen(sep->thousands[i]), at = c->pos + n;
		if (c->len - c->pos < n + 3 ||
		    memcmp(c->s + c->pos, sep->thousands[i], n) != 0)
			continue;
		if (is_digit(c->s[at]) && is_digit(c->s[at + 1]) &&
		    is_digit(c->s[at + 2]) &&
		    (at + 3 == c->len || !is_digit(c->s[at + 3])))
			return n;
	}
	return 0;
}

/* Appends ch to the plain text; -1 when it is full. */
static int put(char *plain, size_t *n, char ch)
{
	if (*n + 1 >= PLAIN_MAX)
		return -1;
	plain[(*n)++] = ch;
	plain[*n] = '\0';
	return 0;
}

/* Copies the run of digits at the cursor; how many. */
static int copy_digits(cursor *c, char *plain, size_t *n)
{
	int count = 0;
	while (c->pos < c->len && is_digit(c->s[c->pos])) {
		if (put(plain, n, c->s[c->pos++]))
			return -1;
		count++;
	}
	return count;
}

/* Copies the integer part at the cursor, dropping thousands separators
 * (the first group of one to three digits, the others of three);
 * returns its digits, or -1. */
static int copy_integer(cursor *c, const separators *sep, char *plain,
			size_t *n)
{
	int digits = copy_digits(c, plain, n), total = digits;
	size_t skip;
	if (digits <= 0 || digits > 3)
		return digits;
	while ((skip = group_separator(c, sep)) != 0) {
		c->pos += skip;
		if (copy_digits(c, plain, n) != 3)
			return -1;
		total += 3;
	}
	return total;
}

/*
 * Copies an unsigned number at the cursor into plain ("1234.5e-3"):
 * integer part, decimals, exponent.  Returns 0, or -1 when there is no
 * number there.
 */
static int copy_number(cursor *c, const separators *sep, char *plain, size_t *n)
{
	int integer = copy_integer(c, sep, plain, n), decimals = 0;
	if (integer < 0)
		return -1;
	if (c->pos < c->len && c->s[c->pos] == sep->decimal) {
		c->pos++;
		if (put(plain, n, '.') ||
		    (decimals = copy_digits(c, plain, n)) < 0)
			return -1;
	}
	if (integer == 0 && decimals == 0)
		return -1;
	if (c->pos + 1 < c->len && (c->s[c->pos] | 0x20) == 'e') {
		size_t at = c->pos + 1;
		if (at < c->len && (c->s[at] == '-' || c->s[at] == '+'))
			at++;
		if (at < c->len && is_digit(c->s[at])) {
			if (put(plain, n, 'e') ||
			    (c->s[c->pos + 1] == '-' && put(plain, n, '-')))
				return -1;
			c->pos = at;
			if (copy_digits(c, plain, n) < 0)
				return -1;
		}
	}
	return 0;
}

/* strtod over the whole plain text; 0, or -1 when out of range. */
static int plain_value(const char *plain, double *out)
{
	char *end;
	errno = 0;
	double value = strtod(plain, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(value))
		return -1;
	*out = value;
	return 0;
}

/*
 * The rest after an unsigned, unwrapped first number: nothing, "+" (at
 * least), or "-" / en dash and a second number not below the first.
 * Returns 0 when the first number is the value.
 */
static int range_rest(cursor *c, const separators *sep, double low)
{
	char plain[PLAIN_MAX];
	size_t n = 0;
	double high;
	skip_blanks(c);
	if (c->pos == c->len)
		return 0;
	if (take(c, "+"))
		return c->pos == c->len ? 0 : -1;
	if (!take(c, "-") && !take(c, "\xe2\x80\x93"))
		return -1;
	skip_blanks(c);
	if (copy_number(c, sep, plain, &n) || c->pos != c->len ||
	    plain_value(plain, &high) || high < low)
		return -1;
	return 0;
}

int mql_locale_parse_number(const char *s, size_t len, mql_locale locale,
			    double *out)
{
	static const char *const percent[] = {"%", NULL};
	separators sep = locale_separators(locale);
	cursor c = {s, 0, len};
	char plain[PLAIN_MAX];
	size_t n = 0;
	int negative = 0, wrapped = 0;
	skip_blanks(&c);
	trim_end(&c);
	if (c.len - c.pos >= 2 && c.s[c.pos] == '(' && c.s[c.len - 1] == ')') {
		c.pos++;
		c.len--;
		negative = wrapped = 1;
	}
	int sign =
		!negative && (take(&c, "-") ? (negative = 1) : take(&c, "+"));
	int currency = take_currency_before(&c);
	skip_blanks(&c);
	if (!sign && !negative && currency)
		sign = take(&c, "-") ? (negative = 1) : take(&c, "+");
	trim_end(&c);
	if (!currency && (currency = drop_suffix(&c, currencies)))
		trim_end(&c);
	int percent_sign = !currency && drop_suffix(&c, percent);
	double value;
	trim_end(&c);
	if (put(plain, &n, negative ? '-' : '+') ||
	    copy_number(&c, &sep, plain, &n) || plain_value(plain, &value))
		return -1;
	if (c.pos != c.len && (wrapped || sign || currency || percent_sign ||
			       range_rest(&c, &sep, value)))
		return -1;
	*out = value;
	return 0;
}
