/*
 * contacts_numbers.c - numeric properties whose points could be either
 * decimal points or thousands separators (see contacts_internal.h).
 *
 * Without --locale numbers are read the English way, so a German export's
 * "No. of Employees" of "8.476" reads as 8.476 employees: every value
 * parses, the column is numeric, and every range rule on it is silently
 * wrong.  A point followed by groups of exactly three digits after a
 * leading group of one to three (not "0.125") can be either; a column
 * whose points are all of that shape, with no value that settles it ("12.5",
 * or "1,234.5" where the comma groups thousands), is refused as a date
 * column that could be read either way round is: the error names the
 * value and both --locale choices.  The check reads each column's distinct
 * texts (its levels) once the rows are in: nothing is added to the reading
 * of rows.
 */
#include "contacts_internal.h"
#include "csv_reader.h"

#include <stdint.h>

#include <mqlcal/locale.h>

/* How the points of a text read. */
typedef enum point_reading {
	POINTS_NONE,	/* no point */
	POINTS_GROUPED, /* every point could separate thousands */
	POINTS_DECIMAL	/* a point that only a decimal point explains */
} point_reading;

/* How the run of digits and points text[0..len) reads: "8.476" and
 * "1.000.000" could group thousands, "12.5", "0.125" and "1.2.3" could
 * not. */
static point_reading run_reading(const char *run, size_t len)
{
	size_t lead = 0;
	while (lead < len && run[lead] != '.')
		lead++;
	if (lead == len)
		return POINTS_NONE;
	if (lead == 0 || lead > 3 || run[0] == '0')
		return POINTS_DECIMAL;
	for (size_t at = lead; at < len; at += 4) {
		if (run[at] != '.' || len - at < 4)
			return POINTS_DECIMAL;
		for (size_t k = 1; k <= 3; k++)
			if (run[at + k] < '0' || run[at + k] > '9')
				return POINTS_DECIMAL;
	}
	return POINTS_GROUPED;
}

/* How a number's text reads: a comma beside a point means the English
 * grouping ("1,234.5"), which settles it; else each run of digits and
 * points ("1.000-4.999" has two) is read on its own. */
static point_reading text_reading(const char *text, size_t len)
{
	point_reading reading = POINTS_NONE;
	int comma = 0;
	for (size_t i = 0; i < len;) {
		comma |= text[i] == ',';
		if (!(text[i] == '.' || (text[i] >= '0' && text[i] <= '9'))) {
			i++;
			continue;
		}
		size_t end = i;
		while (end < len && (text[end] == '.' ||
				     (text[end] >= '0' && text[end] <= '9')))
			end++;
		point_reading run = run_reading(text + i, end - i);
		if (run > reading)
			reading = run;
		i = end;
	}
	if (reading == POINTS_GROUPED && comma)
		return POINTS_DECIMAL;
	return reading;
}

/* The line of the first row whose value is level, or 0 when the table
 * keeps no lines. */
static long first_line_of(const mql_contacts *c, const mql_property *prop,
			  int32_t level)
{
	if (!c->line)
		return 0;
	for (size_t row = 0; row < c->count; row++)
		if (prop->level[row] == level)
			return c->line[row];
	return 0;
}

/* The level of prop whose points could all separate thousands, or -1 when
 * there is none or a value settles the column. */
static long unsettled_level(const mql_property *prop)
{
	long grouped = -1;
	for (size_t l = 0; l < prop->levels.count; l++) {
		point_reading reading = text_reading(prop->levels.names[l],
						     prop->levels.lengths[l]);
		if (reading == POINTS_DECIMAL)
			return -1;
		if (reading == POINTS_GROUPED && grouped < 0)
			grouped = (long)l;
	}
	return grouped;
}

int contacts_check_number_points(contacts_part *part, const char *path,
				 mql_error *err)
{
	mql_contacts *c = part->table;
	if (mql_csv_locale(part->csv) != MQL_LOCALE_DEFAULT)
		return MQL_OK;
	/* the first in file order: the earliest line, then the leftmost */
	const mql_property *first = NULL;
	long first_level = -1, first_line = 0;
	size_t first_column = 0;
	for (size_t p = 0; p < c->property_count; p++) {
		const mql_property *prop = &c->properties[p];
		long level =
			part->lay.all_numeric[p] ? unsettled_level(prop) : -1;
		if (level < 0)
			continue;
		long line = first_line_of(c, prop, (int32_t)level);
		size_t column = part->lay.property_column[p];
		if (!first || line < first_line ||
		    (line == first_line && column < first_column)) {
			first = prop;
			first_level = level;
			first_line = line;
			first_column = column;
		}
	}
	if (!first)
		return MQL_OK;
	return mql_error_set(
		err, MQL_ERR_INPUT, path, first_line, (long)first_column + 1,
		"cannot tell whether the point in '%s' (column '%s') "
		"separates thousands or decimals (expected --locale de, nl or "
		"es if it separates thousands, --locale en-US or en-GB if it "
		"is a decimal point; no value in the column settles it)",
		first->levels.names[first_level], first->name);
}
