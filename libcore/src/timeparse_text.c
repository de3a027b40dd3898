/*
 * timeparse_text.c - timestamps as exports write them: ISO 8601, epoch
 * seconds and milliseconds, dotted and slashed dates in either order,
 * 12- and 24-hour clocks (see mql_time_parse_text in timeparse.h).
 */
#include <mqlcal/timeparse.h>

#include <string.h>

/* A date and time of day as read, before it is checked. */
typedef struct civil {
	int year, month, day, hour, minute, second;
} civil;

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads 1..max digits at s[*pos..len); their value, or -1 when there is
 * none.  *digits gets how many were read. */
static int read_digits(const char *s, size_t len, size_t *pos, int max,
		       int *digits)
{
	int value = 0;
	*digits = 0;
	while (*pos < len && *digits < max && is_digit(s[*pos])) {
		value = value * 10 + (s[*pos] - '0');
		(*pos)++;
		(*digits)++;
	}
	return *digits ? value : -1;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

/* The seconds of a checked date and time; -1 when it is not one. */
static int civil_seconds(const civil *c, mql_time *out)
{
	if (c->year < 1 || c->year > 9999 || c->month < 1 || c->month > 12 ||
	    c->day < 1 || c->day > days_in_month(c->year, c->month) ||
	    c->hour < 0 || c->hour > 23 || c->minute < 0 || c->minute > 59 ||
	    c->second < 0 || c->second > 59)
		return -1;
	*out = mql_time_days_from_civil(c->year, c->month, c->day) *
		       MQL_SECONDS_PER_DAY +
	       c->hour * 3600 + c->minute * 60 + c->second;
	return 0;
}

/* 10 digits: epoch seconds; 13: epoch milliseconds.  0, or -1 when s is
 * not such a run of digits (1 when it is digits of another length). */
static int parse_epoch(mql_time *out, const char *s, size_t len)
{
	size_t i = 0;
	int64_t value = 0;
	if (len > 18) /* before reading: 19 digits overflow value */
		return -1;
	while (i < len && is_digit(s[i]))
		value = value * 10 + (s[i++] - '0');
	if (i != len)
		return -1;
	if (len == 10)
		*out = value;
	else if (len == 13)
		*out = value / 1000;
	else
		return 1;
	return 0;
}

/* A year of two digits as POSIX strptime reads %y. */
static int full_year(int year, int digits)
{
	if (digits == 4)
		return year;
	return year + (year < 69 ? 2000 : 1900);
}

/*
 * Reads the clock after a date at s[*pos..len): optionally a comma, then
 * blanks, "H:MM[:SS[.fff]]" and optionally blanks and AM/PM.  Nothing at
 * all is midnight.  0, or -1 with *pos at the fault.
 */
static int read_clock(const char *s, size_t len, size_t *pos, civil *c)
{
	int digits;
	size_t at = *pos;
	if (at == len)
		return 0;
	if (s[at] == ',')
		at++;
	if (at < len && s[at] == 'T' && at == *pos)
		at++;
	else if (at < len && is_blank(s[at]))
		while (at < len && is_blank(s[at]))
			at++;
	else
		return -1;
	*pos = at;
	c->hour = read_digits(s, len, pos, 2, &digits);
	if (c->hour < 0 || *pos >= len || s[*pos] != ':')
		return -1;
	(*pos)++;
	c->minute = read_digits(s, len, pos, 2, &digits);
	if (digits != 2)
		return -1;
	if (*pos < len && s[*pos] == ':') {
		(*pos)++;
		c->second = read_digits(s, len, pos, 2, &digits);
		if (digits != 2)
			return -1;
		if (*pos < len && s[*pos] == '.') {
			(*pos)++;
			if (read_digits(s, len, pos, 9, &digits) < 0)
				return -1;
		}
	}
	at = *pos;
	while (at < len && is_blank(s[at]))
		at++;
	if (at + 2 == len && (s[at + 1] | 0x20) == 'm' &&
	    ((s[at] | 0x20) == 'a' || (s[at] | 0x20) == 'p')) {
		if (c->hour < 1 || c->hour > 12)
			return -1;
		c->hour = c->hour % 12 + ((s[at] | 0x20) == 'p' ? 12 : 0);
		*pos = len;
	}
	return *pos == len ? 0 : -1;
}

/*
 * Reads "a<sep>b<sep>c" at the start of s: three numbers, the first of up
 * to four digits, parts[3] their values, digits[3] their lengths, *sep the
 * separator ('/', '-' or '.').  0, or -1 with *pos at the fault.
 */
static int read_three_parts(const char *s, size_t len, size_t *pos,
			    int parts[3], int digits[3], char *sep)
{
	parts[0] = read_digits(s, len, pos, 4, &digits[0]);
	if (parts[0] < 0 || *pos >= len)
		return -1;
	*sep = s[*pos];
	if (*sep != '/' && *sep != '-' && *sep != '.')
		return -1;
	(*pos)++;
	parts[1] = read_digits(s, len, pos, 2, &digits[1]);
	if (parts[1] < 0 || *pos >= len || s[*pos] != *sep)
		return -1;
	(*pos)++;
	parts[2] = read_digits(s, len, pos, 4, &digits[2]);
	if (parts[2] < 0)
		return -1;
	return 0;
}

/*
 * Places the three parts into c as year, month and day: year first when
 * the first part has four digits, day first for dots, else by order (or
 * by the parts when order is unknown, *settles telling what they showed).
 * Returns 0, MQL_TIME_AMBIGUOUS (c holds month first) or -1.
 */
static int place_parts(civil *c, const int parts[3], const int digits[3],
		       char sep, mql_date_order order, mql_date_order *settles)
{
	if (digits[0] == 4) {
		c->year = parts[0];
		c->month = parts[1];
		c->day = parts[2];
		return digits[2] <= 2 ? 0 : -1;
	}
	if (digits[0] > 2 || (digits[2] != 4 && digits[2] != 2))
		return -1;
	c->year = full_year(parts[2], digits[2]);
	int result = 0;
	if (sep == '.') {
		order = MQL_DATE_ORDER_DMY;
	} else if (order == MQL_DATE_ORDER_UNKNOWN) {
		if (parts[0] > 12 && parts[1] <= 12)
			order = *settles = MQL_DATE_ORDER_DMY;
		else if (parts[1] > 12 && parts[0] <= 12)
			order = *settles = MQL_DATE_ORDER_MDY;
		else if (parts[0] != parts[1])
			result = MQL_TIME_AMBIGUOUS;
	}
	int day_first = order == MQL_DATE_ORDER_DMY;
	c->day = parts[day_first ? 0 : 1];
	c->month = parts[day_first ? 1 : 0];
	return result;
}

int mql_time_parse_text(mql_time *out, const char *s, size_t len,
			mql_date_order order, mql_date_order *settles,
			size_t *bad_offset)
{
	mql_date_order settled = MQL_DATE_ORDER_UNKNOWN;
	size_t bad_unused, pos = 0;
	size_t *bad = bad_offset ? bad_offset : &bad_unused;
	int parts[3], digits[3];
	char sep;
	if (settles)
		*settles = MQL_DATE_ORDER_UNKNOWN;
	if (mql_time_parse_iso(out, s, len, bad) == 0)
		return 0;
	int epoch = parse_epoch(out, s, len);
	if (epoch >= 0) {
		*bad = 0;
		return epoch == 0 ? 0 : -1;
	}
	if (read_three_parts(s, len, &pos, parts, digits, &sep)) {
		*bad = pos;
		return -1;
	}
	civil c = {0, 0, 0, 0, 0, 0};
	int result = place_parts(&c, parts, digits, sep, order, &settled);
	mql_time t;
	if (result < 0) {
		*bad = 0;
		return -1;
	}
	if (read_clock(s, len, &pos, &c)) {
		*bad = pos;
		return -1;
	}
	if (civil_seconds(&c, &t)) {
		*bad = 0;
		return -1;
	}
	*out = t;
	if (settles)
		*settles = settled;
	return result;
}

mql_time mql_time_swap_day_month(mql_time t)
{
	int year, month, day, hour, minute, second;
	mql_time_to_civil(t, &year, &month, &day, &hour, &minute, &second);
	return mql_time_days_from_civil(year, day, month) *
		       MQL_SECONDS_PER_DAY +
	       hour * 3600 + minute * 60 + second;
}
