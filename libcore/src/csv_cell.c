/*
 * csv_cell.c - typed cells: numbers (with employee ranges), booleans and
 * dates, alone or from the current row of a reader, in the reader's
 * locale.
 */
#include "csv_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/locale.h>

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

int mql_cell_number(const char *s, size_t len, double *out)
{
	return mql_locale_parse_number(s, len, MQL_LOCALE_DEFAULT, out);
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

/* What a date of the reader's locale looks like, for messages. */
static const char *date_expected(mql_locale locale)
{
	switch (locale) {
	case MQL_LOCALE_DEFAULT:
		return "ISO 8601 such as 2026-03-05 14:07, dd.mm.yyyy, "
		       "yyyy/mm/dd or epoch milliseconds; other dates need "
		       "--locale";
	case MQL_LOCALE_EN_US:
		return "m/d/yyyy [h:mm AM/PM], dd.mm.yyyy or ISO 8601";
	case MQL_LOCALE_DE: return "dd.mm.yyyy [HH:MM] or ISO 8601";
	case MQL_LOCALE_NL: return "d-m-yyyy [HH:MM], dd.mm.yyyy or ISO 8601";
	default: return "d/m/yyyy [HH:MM], dd.mm.yyyy or ISO 8601";
	}
}

/* The error of field i of the current row as a date: "cannot parse ...
 * as a date (expected ...)", naming --locale when ambiguous.  Returns
 * MQL_ERR_INPUT. */
static int date_error(const mql_csv *r, size_t i, int ambiguous, mql_error *err)
{
	if (ambiguous)
		return cell_error(
			r, i, "a date",
			"day and month cannot be told apart: add --locale "
			"en-US for m/d/y, or --locale en-GB for d/m/y",
			err);
	const char *format = mql_csv_date_format(r);
	if (format) {
		char expected[160];
		snprintf(expected, sizeof expected, "%s or %s", format,
			 date_expected(mql_csv_locale(r)));
		return cell_error(r, i, "a date", expected, err);
	}
	return cell_error(r, i, "a date", date_expected(mql_csv_locale(r)),
			  err);
}

int mql_csv_get_time_unsettled(const mql_csv *r, size_t i, mql_time *out,
			       mql_date_order *settles, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_present_field(r, i, &len);
	*settles = MQL_DATE_ORDER_UNKNOWN;
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
	mql_date_order order = mql_locale_date_order(mql_csv_locale(r));
	int status = mql_time_parse_text(out, text, len, order, settles, NULL);
	if (status >= 0)
		return status;
	return date_error(r, i, 0, err);
}

int mql_csv_get_time(const mql_csv *r, size_t i, mql_time *out, mql_error *err)
{
	mql_date_order settles;
	int status = mql_csv_get_time_unsettled(r, i, out, &settles, err);
	if (status == MQL_TIME_AMBIGUOUS)
		return date_error(r, i, 1, err);
	return status;
}

/* What a number of the reader's locale looks like, for messages. */
static const char *number_expected(mql_locale locale)
{
	switch (locale) {
	case MQL_LOCALE_DEFAULT:
		return "a number such as 1234.5 or $1,234.50; a decimal comma "
		       "needs --locale";
	case MQL_LOCALE_EN_US:
	case MQL_LOCALE_EN_GB: return "a number such as 1,234.56";
	case MQL_LOCALE_FR: return "a number such as 1 234,56";
	default: return "a number such as 1.234,56";
	}
}

int mql_csv_get_number(const mql_csv *r, size_t i, double *out, mql_error *err)
{
	size_t len;
	const char *text = mql_csv_present_field(r, i, &len);
	if (!text) {
		*out = NAN;
		return 0;
	}
	mql_locale locale = mql_csv_locale(r);
	if (mql_locale_parse_number(text, len, locale, out) == 0)
		return 0;
	return cell_error(r, i, "a number", number_expected(locale), err);
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
