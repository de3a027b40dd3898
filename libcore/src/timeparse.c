/*
 * timeparse.c - ISO 8601 and locale timestamps as UTC seconds.
 *
 * The events file has tens of millions of timestamps, nearly all in one of
 * two shapes ("2026-03-05" and "2026-03-05T14:07:00Z"), so those are read at
 * fixed positions first, and readers remember the last month they read (most
 * rows repeat the month of the row before); everything else goes through
 * the general parser.
 */
#include <mqlcal/timeparse.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

int64_t mql_time_days_from_civil(int year, int month, int day)
{
	/* Howard Hinnant's days_from_civil: eras of 400 years. */
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t year_of_era = y - era * 400;
	int64_t day_of_year =
		(153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
			     year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly n digits at s; -1 when any is not a digit. */
static int read_digits(const char *s, int n)
{
	int value = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value;
}

/* Checks a civil date and time and turns it into seconds.  -1 if invalid. */
static int civil_to_time(mql_time *out, int year, int month, int day, int hour,
			 int minute, int second)
{
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
	    day > days_in_month(year, month) || hour < 0 || hour > 23 ||
	    minute < 0 || minute > 59 || second < 0 || second > 59)
		return -1;
	*out = mql_time_days_from_civil(year, month, day) *
		       MQL_SECONDS_PER_DAY +
	       hour * 3600 + minute * 60 + second;
	return 0;
}

/* The two common shapes, at fixed positions.  -1 = use the general parser. */
static int parse_fast(mql_time *out, const char *s, size_t len)
{
	if (len != 10 && len != 20)
		return -1;
	if (s[4] != '-' || s[7] != '-')
		return -1;
	int year = read_digits(s, 4), month = read_digits(s + 5, 2),
	    day = read_digits(s + 8, 2);
	if (year < 0 || month < 0 || day < 0)
		return -1;
	if (len == 10)
		return civil_to_time(out, year, month, day, 0, 0, 0);
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	int hour = read_digits(s + 11, 2), minute = read_digits(s + 14, 2),
	    second = read_digits(s + 17, 2);
	if (hour < 0 || minute < 0 || second < 0)
		return -1;
	return civil_to_time(out, year, month, day, hour, minute, second);
}

void mql_time_day_cache_init(mql_time_day_cache *cache)
{
	memset(cache, 0, sizeof *cache);
}

/* The days of the date in s[0..10), checked as civil_to_time checks it,
 * its month from the cache when it is there; -1 when it is not a date. */
static int cached_days(const char *s, mql_time_day_cache *cache, int64_t *days)
{
	uint64_t month_text;
	memcpy(&month_text, s, sizeof month_text);
	/* the high bits of a multiplicative hash pick the month's place */
	size_t at = (size_t)((month_text * 0x9E3779B97F4A7C15ULL) >> 32) %
		    MQL_TIME_DAY_CACHE_MONTHS;
	mql_time_cached_month *month = &cache->months[at];
	if (month_text != month->month_text) {
		int year = read_digits(s, 4), number = read_digits(s + 5, 2);
		if (s[4] != '-' || s[7] != '-' || year < 1 || number < 1 ||
		    number > 12)
			return -1;
		month->month_text = month_text;
		month->first_day = mql_time_days_from_civil(year, number, 1);
		month->month_length = days_in_month(year, number);
	}
	int day = read_digits(s + 8, 2);
	if (day < 1 || day > month->month_length)
		return -1;
	*days = month->first_day + day - 1;
	return 0;
}

/*
 * The seconds of the day of "HH:MM:SS" at s, all eight bytes checked at
 * once; -1 when it is not such a clock.  XOR with "00:00:00" maps a digit
 * to 0..9 and only a digit there, a colon to 0; adding 0x76 to a byte below
 * 0x80 sets its top bit exactly when the byte is 10 or more.
 */
static int clock_seconds(const char *s)
{
	const uint64_t pattern = 0x30303A30303A3030ULL; /* "00:00:00" */
	const uint64_t colons = 0x0000FF0000FF0000ULL;
	const uint64_t tops = 0x8080808080808080ULL;
	uint64_t word;
	memcpy(&word, s, sizeof word);
	uint64_t v = word ^ pattern;
	if (((v | (v + 0x7676767676767676ULL)) & tops) || (v & colons))
		return -1;
	int hour = (int)(v & 0xFF) * 10 + (int)(v >> 8 & 0xFF);
	int minute = (int)(v >> 24 & 0xFF) * 10 + (int)(v >> 32 & 0xFF);
	int second = (int)(v >> 48 & 0xFF) * 10 + (int)(v >> 56 & 0xFF);
	if (hour > 23 || minute > 59 || second > 59)
		return -1;
	return hour * 3600 + minute * 60 + second;
}

int mql_time_parse_iso_cached(mql_time *out, const char *s, size_t len,
			      size_t *bad_offset, mql_time_day_cache *cache)
{
	int64_t days;
	if ((len == 10 || len == 20) && cached_days(s, cache, &days) == 0) {
		if (len == 10) {
			*out = days * MQL_SECONDS_PER_DAY;
			return 0;
		}
		int seconds = clock_seconds(s + 11);
		if (s[10] == 'T' && s[19] == 'Z' && seconds >= 0) {
			*out = days * MQL_SECONDS_PER_DAY + seconds;
			return 0;
		}
	}
	return mql_time_parse_iso(out, s, len, bad_offset);
}

/*
 * Reads an offset at s[0..len): "Z", "+02:00", "-0500", "+02", or "UTC"
 * and "GMT" (BigQuery writes "2026-03-05 14:07:12.123456 UTC").  Stores its
 * seconds east of UTC; returns the characters used, or -1.
 */
static int parse_offset(const char *s, size_t len, int *seconds_east)
{
	if (len >= 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*seconds_east = 0;
		return 1;
	}
	if (len >= 3 &&
	    (strncasecmp(s, "UTC", 3) == 0 || strncasecmp(s, "GMT", 3) == 0)) {
		*seconds_east = 0;
		return 3;
	}
	if (len < 3 || (s[0] != '+' && s[0] != '-'))
		return -1;
	int hours = read_digits(s + 1, 2), minutes = 0, used = 3;
	if (len >= 6 && s[3] == ':') {
		minutes = read_digits(s + 4, 2);
		used = 6;
	} else if (len >= 5 && is_digit(s[3])) {
		minutes = read_digits(s + 3, 2);
		used = 5;
	}
	if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
		return -1;
	*seconds_east = (hours * 3600 + minutes * 60) * (s[0] == '-' ? -1 : 1);
	return used;
}

/* Reads "HH:MM[:SS[.fff]]" at s; returns characters used or -1 (*bad set). */
static int parse_clock(const char *s, size_t len, int *hour, int *minute,
		       int *second, size_t *bad)
{
	*second = 0;
	if (len < 5 || s[2] != ':') {
		*bad = len < 2 ? len : 2;
		return -1;
	}
	*hour = read_digits(s, 2);
	*minute = read_digits(s + 3, 2);
	if (*hour < 0 || *minute < 0) {
		*bad = *hour < 0 ? 0 : 3;
		return -1;
	}
	size_t pos = 5;
	if (pos < len && s[pos] == ':') {
		if (len < pos + 3 ||
		    (*second = read_digits(s + pos + 1, 2)) < 0) {
			*bad = pos + 1;
			return -1;
		}
		pos += 3;
		if (pos < len && (s[pos] == '.' || s[pos] == ',')) {
			pos++;
			size_t digits_start = pos;
			while (pos < len && is_digit(s[pos]))
				pos++;
			if (pos == digits_start) {
				*bad = pos;
				return -1;
			}
		}
	}
	return (int)pos;
}

int mql_time_parse_iso(mql_time *out, const char *s, size_t len,
		       size_t *bad_offset)
{
	size_t bad_unused;
	size_t *bad = bad_offset ? bad_offset : &bad_unused;
	if (parse_fast(out, s, len) == 0)
		return 0;
	*bad = 0;
	if (len < 10) {
		*bad = len;
		return -1;
	}
	if (s[4] != '-' || s[7] != '-') {
		*bad = s[4] != '-' ? 4 : 7;
		return -1;
	}
	int year = read_digits(s, 4), month = read_digits(s + 5, 2),
	    day = read_digits(s + 8, 2);
	if (year < 0 || month < 0 || day < 0) {
		*bad = year < 0 ? 0 : month < 0 ? 5 : 8;
		return -1;
	}
	int hour = 0, minute = 0, second = 0, seconds_east = 0;
	size_t pos = 10;
	if (pos < len) {
		if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
			*bad = pos;
			return -1;
		}
		pos++;
		size_t clock_bad = 0;
		int used = parse_clock(s + pos, len - pos, &hour, &minute,
				       &second, &clock_bad);
		if (used < 0) {
			*bad = pos + clock_bad;
			return -1;
		}
		pos += (size_t)used;
		/* warehouses write a blank before the zone: "14:07:12 UTC",
		 * "14:07:12.123 +0000" */
		if (pos + 1 < len && s[pos] == ' ')
			pos++;
		if (pos < len) {
			int offset_used =
				parse_offset(s + pos, len - pos, &seconds_east);
			if (offset_used < 0) {
				*bad = pos;
				return -1;
			}
			pos += (size_t)offset_used;
		}
		if (pos != len) {
			*bad = pos;
			return -1;
		}
	}
	mql_time local;
	if (civil_to_time(&local, year, month, day, hour, minute, second)) {
		*bad = 5;
		return -1;
	}
	*out = local - seconds_east;
	return 0;
}

/* Reads 1..max_digits digits at s[*pos..len); -1 when there is none. */
static int read_number(const char *s, size_t len, size_t *pos, int max_digits)
{
	int value = 0, digits = 0;
	while (*pos < len && digits < max_digits && is_digit(s[*pos])) {
		value = value * 10 + (s[*pos] - '0');
		(*pos)++;
		digits++;
	}
	return digits ? value : -1;
}

/* True when the rest of a format holds only time-of-day fields and
 * separators, which may then be absent from the text. */
static int rest_is_time_of_day(const char *format)
{
	for (; *format; format++) {
		if (*format == '%') {
			format++;
			if (*format != 'H' && *format != 'M' && *format != 'S')
				return 0;
		} else if (is_digit(*format)) {
			return 0;
		}
	}
	return 1;
}

int mql_time_parse_format(mql_time *out, const char *s, size_t len,
			  const char *format)
{
	int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
	size_t pos = 0;
	for (const char *f = format; *f; f++) {
		if (pos == len && rest_is_time_of_day(f))
			break;
		if (*f != '%') {
			if (pos >= len || s[pos] != *f)
				return -1;
			pos++;
			continue;
		}
		f++;
		int value;
		switch (*f) {
		case 'd': value = day = read_number(s, len, &pos, 2); break;
		case 'm': value = month = read_number(s, len, &pos, 2); break;
		case 'Y': value = year = read_number(s, len, &pos, 4); break;
		case 'y':
			value = read_number(s, len, &pos, 2);
			/* POSIX strptime: 69-99 are 1969-1999, 00-68 20xx. */
			year = value < 0 ? -1
					 : value + (value < 69 ? 2000 : 1900);
			break;
		case 'H': value = hour = read_number(s, len, &pos, 2); break;
		case 'M': value = minute = read_number(s, len, &pos, 2); break;
		case 'S': value = second = read_number(s, len, &pos, 2); break;
		case '%':
			value = pos < len && s[pos] == '%' ? 0 : -1;
			pos++;
			break;
		default: return -1;
		}
		if (value < 0)
			return -1;
	}
	if (pos != len || year < 0 || month < 0 || day < 0)
		return -1;
	return civil_to_time(out, year, month, day, hour, minute, second);
}

void mql_time_to_civil(mql_time t, int *year, int *month, int *day, int *hour,
		       int *minute, int *second)
{
	int64_t days = t / MQL_SECONDS_PER_DAY;
	int64_t rest = t % MQL_SECONDS_PER_DAY;
	if (rest < 0) {
		rest += MQL_SECONDS_PER_DAY;
		days--;
	}
	/* Howard Hinnant's civil_from_days. */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 +
			       day_of_era / 36524 - day_of_era / 146096) /
			      365;
	int64_t day_of_year =
		day_of_era -
		(365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	int64_t mp = (5 * day_of_year + 2) / 153;
	int64_t d = day_of_year - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = year_of_era + era * 400 + (m <= 2);
	if (year)
		*year = (int)y;
	if (month)
		*month = (int)m;
	if (day)
		*day = (int)d;
	if (hour)
		*hour = (int)(rest / 3600);
	if (minute)
		*minute = (int)(rest / 60 % 60);
	if (second)
		*second = (int)(rest % 60);
}

char *mql_time_format(mql_time t, int date_only, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	if (t == MQL_TIME_NONE) {
		buf[0] = '\0';
		return buf;
	}
	int year, month, day, hour, minute, second;
	mql_time_to_civil(t, &year, &month, &day, &hour, &minute, &second);
	if (date_only)
		snprintf(buf, n, "%04d-%02d-%02d", year, month, day);
	else
		snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month,
			 day, hour, minute, second);
	return buf;
}

const char *const mql_time_period_names[] = {"month", "quarter", NULL};

int mql_time_period_parse(const char *name, mql_time_period *out)
{
	for (int i = 0; name && mql_time_period_names[i]; i++)
		if (strcmp(name, mql_time_period_names[i]) == 0) {
			*out = (mql_time_period)i;
			return 0;
		}
	return -1;
}

char *mql_time_month_label(mql_time t, char *buf, size_t n)
{
	int year, month;
	if (n == 0)
		return buf;
	if (t == MQL_TIME_NONE) {
		buf[0] = '\0';
		return buf;
	}
	mql_time_to_civil(t, &year, &month, NULL, NULL, NULL, NULL);
	snprintf(buf, n, "%04d-%02d", year, month);
	return buf;
}

char *mql_time_quarter_label(mql_time t, char *buf, size_t n)
{
	int year, month;
	if (n == 0)
		return buf;
	if (t == MQL_TIME_NONE) {
		buf[0] = '\0';
		return buf;
	}
	mql_time_to_civil(t, &year, &month, NULL, NULL, NULL, NULL);
	snprintf(buf, n, "%04d-Q%d", year, (month - 1) / 3 + 1);
	return buf;
}

/* The value of the count digits at s (all digits), or -1. */
static int digits_value(const char *s, int count)
{
	int value = 0;
	for (int i = 0; i < count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value;
}

int mql_time_period_start(const char *label, char *buf, size_t n)
{
	int year = -1, month = -1;
	if (n > 0)
		buf[0] = '\0';
	if (n < 11 || !label || strlen(label) < 7 || label[4] != '-')
		return -1;
	year = digits_value(label, 4);
	if (strlen(label) == 7 && label[5] == 'Q' && label[6] >= '1' &&
	    label[6] <= '4')
		month = 3 * (label[6] - '1') + 1;
	else if (strlen(label) == 7)
		month = digits_value(label + 5, 2);
	if (year < 1 || month < 1 || month > 12)
		return -1;
	snprintf(buf, n, "%04d-%02d-01", year, month);
	return 0;
}

double mql_time_days_between(mql_time a, mql_time b)
{
	return (double)(b - a) / MQL_SECONDS_PER_DAY;
}
