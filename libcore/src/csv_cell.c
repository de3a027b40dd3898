/*
 * csv_cell.c - typed cells: numbers (with employee ranges), booleans and
 * dates, alone or from the current row of a reader.
 */
#include "csv_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUMBER_TEXT_MAX 64
#define QUOTED_TEXT_MAX 60 /* longest cell text repeated in a message */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void mql_csv_trim(const char **s, size_t *len)
{
	while (*len && is_blank((*s)[*len - 1]))
		(*len)--;
	while (*len && is_blank(**s)) {
		(*s)++;
		(*len)--;
	}
}

/* strtod over the whole of text; 0 and *out, or -1.  Only decimal and
 * exponent notation: no "inf", "nan" or hexadecimal, which strtod would
 * take but no export means. */
static int whole_number(const char *text, double *out, char **end)
{
	for (const char *p = text; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		      *p == '+' || *p == 'e' || *p == 'E'))
			return -1;
	errno = 0;
	double value = strtod(text, end);
	if (*end == text || errno == ERANGE || !isfinite(value))
		return -1;
	*out = value;
	return 0;
}

int mql_cell_number(const char *s, size_t len, double *out)
{
	char text[NUMBER_TEXT_MAX];
	char *end;
	double low, high;
	mql_csv_trim(&s, &len);
	if (len == 0 || len >= sizeof text)
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	if (whole_number(text, &low, &end))
		return -1;
	if (*end == '\0') {
		*out = low;
		return 0;
	}
	/* Employee ranges: "1000+" is at least 1000, "25-50" counts as its
	 * lower bound. */
	if (low < 0)
		return -1;
	if (end[0] == '+' && end[1] == '\0') {
		*out = low;
		return 0;
	}
	if (end[0] != '-' || end[1] == '-' || end[1] == '+')
		return -1;
	char *range_end;
	if (whole_number(end + 1, &high, &range_end) || *range_end != '\0' ||
	    high < low)
		return -1;
	*out = low;
	return 0;
}

int mql_cell_bool(const char *s, size_t len, int *out)
{
	static const struct {
		const char *text;
		int value;
	} words[] = {{"1", 1},	   {"0", 0}, {"yes", 1}, {"no", 0}, {"true", 1},
		     {"false", 0}, {"y", 1}, {"n", 0},	 {NULL, 0}};
	mql_csv_trim(&s, &len);
	for (size_t i = 0; words[i].text; i++) {
		if (strlen(words[i].text) != len)
			continue;
		size_t k = 0;
		while (k < len && (s[k] | 0x20) == words[i].text[k])
			k++;
		if (k == len) {
			*out = words[i].value;
			return 0;
		}
	}
	return -1;
}

/* "cannot parse 'TEXT' as KIND (expected EXPECTED)" at the cell. */
static int cell_error(const mql_csv *r, size_t i, const char *kind,
		      const char *expected, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_field(r, i, &len);
	int shown = len > QUOTED_TEXT_MAX ? QUOTED_TEXT_MAX : (int)len;
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r),
			     mql_csv_line(r), (long)i + 1,
			     "cannot parse '%.*s%s' as %s in column '%s' "
			     "(expected %s)",
			     shown, text, (size_t)shown < len ? "..." : "",
			     kind, mql_csv_column_name(r, i), expected);
}

int mql_csv_get_time(const mql_csv *r, size_t i, mql_time *out, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_present_field(r, i, &len);
	if (!text) {
		*out = MQL_TIME_NONE;
		return 0;
	}
	if (mql_time_parse_iso_cached(out, text, len, NULL,
				      mql_csv_day_cache(r)) == 0)
		return 0;
	const char *format = mql_csv_date_format(r);
	if (format && mql_time_parse_format(out, text, len, format) == 0)
		return 0;
	if (format) {
		char expected[128];
		snprintf(expected, sizeof expected, "%s or ISO 8601", format);
		return cell_error(r, i, "a date", expected, err);
	}
	return cell_error(r, i, "a date", "ISO 8601", err);
}

int mql_csv_get_number(const mql_csv *r, size_t i, double *out, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_present_field(r, i, &len);
	if (!text) {
		*out = NAN;
		return 0;
	}
	if (mql_cell_number(text, len, out) == 0)
		return 0;
	return cell_error(r, i, "a number", "a decimal number such as 12.5",
			  err);
}

int mql_csv_get_bool(const mql_csv *r, size_t i, int *out, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_present_field(r, i, &len);
	if (!text) {
		*out = -1;
		return 0;
	}
	if (mql_cell_bool(text, len, out) == 0)
		return 0;
	return cell_error(r, i, "a yes/no value", "0/1, yes/no or true/false",
			  err);
}

int mql_csv_intern_field(const mql_csv *r, long column, mql_dict *dict,
			 int32_t *out)
{
	size_t len;
	const char *text;
	*out = -1;
	if (column < 0 ||
	    !(text = mql_csv_present_field(r, (size_t)column, &len)))
		return MQL_OK;
	*out = mql_dict_intern(dict, text, len);
	return *out < 0 ? MQL_ERR_NOMEM : MQL_OK;
}
