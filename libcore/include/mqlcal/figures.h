/*
 * figures.h - numbers as people read them in reports: "12,345", "99.50",
 * "31.2%".  Used for HTML pages and text summaries; machine formats (csv,
 * json) print full precision through table.h instead.
 *
 * Each function writes a NUL-terminated text into buf of size n (>= 32 is
 * always enough) and returns buf.  NAN and infinities give "" (an empty
 * cell: unknown), never "nan" or "inf".  Cannot fail.
 */
#ifndef MQLCAL_FIGURES_H
#define MQLCAL_FIGURES_H

#include <stddef.h>

/*
 * An amount of money as a report shows it: thousands separated, whole
 * units from 100 up and for whole numbers, cents below ("1,208,000", "85",
 * "8.17"), after the currency code and a no-break space when currency is
 * neither NULL nor "" ("EUR 1,208,000").
 */
char *mql_figure_amount(char *buf, size_t n, double value,
			const char *currency);

/*
 * A p- or q-value without scientific notation: three decimals, "< 0.001"
 * below 0.001 ("0.013", "< 0.001").
 */
char *mql_figure_q(char *buf, size_t n, double value);

/* A count: whole numbers with separators, fractions with 1 decimal. */
char *mql_figure_count(char *buf, size_t n, double value);

/* A proportion as a percentage with decimals ("31.2%" for 0.312). */
char *mql_figure_percent(char *buf, size_t n, double value, int decimals);

#endif
