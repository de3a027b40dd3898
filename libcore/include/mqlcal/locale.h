/*
 * locale.h - how exports write numbers and dates: the locales of
 * --locale, and the one parser of numbers in cells.
 *
 * A locale fixes the order of day and month in slash dates and the
 * decimal and thousands separators of numbers:
 *
 *   en-US  m/d/yyyy   1,234.56
 *   en-GB  d/m/yyyy   1,234.56
 *   de     d.m.yyyy   1.234,56
 *   fr     d/m/yyyy   1 234,56  (thousands: space, U+00A0 or U+202F)
 *   nl     d-m-yyyy   1.234,56
 *   es     d/m/yyyy   1.234,56
 *
 * Without a locale (MQL_LOCALE_DEFAULT) dates are read only where their
 * form says how (see mql_time_parse_text), and numbers the English way:
 * a point is the decimal point ("4.800" is 4.8) and a comma followed by
 * groups of exactly three digits separates thousands ("1,500" is 1500,
 * "1,000+" is 1000); a decimal comma ("12,5", "1.234,56") is not a number
 * there: it needs --locale.  (The contacts reader refuses a numeric column
whose points could all separate thousands, "8.476", when no value settles
which they are: contacts_numbers.c.)  Nothing here allocates or fails but as
said.
 */
#ifndef MQLCAL_LOCALE_H
#define MQLCAL_LOCALE_H

#include <stddef.h>

#include <mqlcal/timeparse.h>

typedef enum mql_locale {
	MQL_LOCALE_DEFAULT = 0, /* no --locale */
	MQL_LOCALE_EN_US,
	MQL_LOCALE_EN_GB,
	MQL_LOCALE_DE,
	MQL_LOCALE_FR,
	MQL_LOCALE_NL,
	MQL_LOCALE_ES
} mql_locale;

/* The names of --locale, NULL-ended: mql_locale_names[i] names locale
 * i + 1 ("en-US", "en-GB", "de", "fr", "nl", "es"). */
extern const char *const mql_locale_names[];

/* The locale named name (exactly as in mql_locale_names); NULL is
 * MQL_LOCALE_DEFAULT.  Returns 0, or -1 for an unknown name. */
int mql_locale_from_name(const char *name, mql_locale *out);

/* The name of a locale, or "none" for MQL_LOCALE_DEFAULT. */
const char *mql_locale_name(mql_locale locale);

/* The order of day and month in the locale's slash dates
 * (MQL_DATE_ORDER_UNKNOWN for MQL_LOCALE_DEFAULT). */
mql_date_order mql_locale_date_order(mql_locale locale);

/*
 * Parses s[0..len) (surrounding blanks ignored) as a number written in
 * locale:
 *   - an optional sign, digits with the locale's thousands separator
 *     between groups of three (or none), the locale's decimal separator
 *     and decimals, and an exponent ("1e3", "1,5E3" in de);
 *   - a currency symbol ($ EUR-sign pound yen) or ISO code (USD, EUR,
 *     GBP, CHF, ...) before or after, with or without a blank:
 *     "$12,500.00", "-$1,200", "EUR 1.234,56", "12.500 EUR-sign";
 *   - an accounting negative in parentheses: "(1,200.00)" is -1200;
 *   - a percentage as shown: "12.5%" is 12.5;
 *   - a range of employees read as its lower bound: "1,000+" is 1000,
 *     "25-50" is 25, "1.000-4.999" (de) is 1000 (also with an en dash).
 * Returns 0 with *out, or -1 when it is none of these (nothing stored).
 */
int mql_locale_parse_number(const char *s, size_t len, mql_locale locale,
			    double *out);

#endif
