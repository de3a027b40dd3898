/*
 * csv_title.c - the title lines a report download puts above its header.
 *
 * Google Ads writes a report's name and its date range above the header,
 * each one field on a line of its own:
 *
 *   Campaign report
 *   "March 1, 2026 - March 31, 2026"
 *   Campaign,Campaign type,Currency code,Cost
 *
 * At the start of a file, one to TITLE_LINES non-blank lines of one field
 * each (no delimiter outside quotes) followed by a line of several fields
 * are such a title, which the reader skips and notes.
 *
 * Microsoft Advertising writes more: a line for each of the report's
 * properties, a blank line, then the header:
 *
 *   "Report Name: Campaign spend"
 *   "Report Time: 3/1/2026,3/31/2026"
 *   "Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana"
 *   ...
 *   "Rows: 42"
 *
 *   "TimePeriod","CampaignName","Spend","CurrencyCode"
 *
 * One-field lines of "Name: value" starting with "Report Name: ", at most
 * PROPERTY_LINES, then one or more blank lines, then a line of several
 * fields are such a title too.
 *
 * Unless told the delimiter, the tools take the one that gives the header
 * (past any title) the most fields: ',' unless the header is tabs, ';' or
 * '|' apart, with no comma between its names (a tab-separated download, a
 * German spreadsheet's CSV).
 *
 * A title line holding a ';', tab or '|' outside quotes is no title: it is
 * the header of a file in another delimiter, whose data rows may hold the
 * reader's own (German decimals: 1,5).  A file whose first lines all hold
 * one field keeps its first line as the header: the readers then say which
 * columns it lacks (and which delimiter it may use).
 */
#include "csv_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#define TITLE_LINES    3
#define PROPERTY_LINES 16

/* The first line of a Microsoft Advertising report's properties. */
static const char report_name[] = "Report Name: ";

/* True for a delimiter other files use. */
static int other_delimiter(unsigned char c, char delimiter)
{
	return c != (unsigned char)delimiter &&
	       (c == ';' || c == '\t' || c == '|');
}

/* The fields of the line at s[0..len): 0 when it is blank, does not end
 * within len, or (others_count) is one field holding another file's
 * delimiter; *next gets the offset past its line end. */
static size_t fields_of(const unsigned char *s, size_t len, char delimiter,
			int others_count, size_t *next)
{
	size_t fields = 1, content = 0, others = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && c == (unsigned char)delimiter)
			fields++;
		else if (!quoted && c == '\n') {
			*next = i + 1;
			return fields > 1 ? fields
			       : content == 0 || (others_count && others > 0)
				       ? 0
				       : 1;
		} else if (!quoted)
			others += other_delimiter(c, delimiter);
		content += c != '\r';
	}
	return 0;
}

/* The line starting s[0..len) without its quotes: whether its text starts
 * with a property's name and ": " (letters and spaces, then the colon), or
 * with prefix when given.  Reads no further than that. */
static int property_line(const unsigned char *s, size_t len, const char *prefix)
{
	if (len > 0 && s[0] == '"') {
		s++;
		len--;
	}
	if (prefix)
		return len >= strlen(prefix) &&
		       memcmp(s, prefix, strlen(prefix)) == 0;
	size_t i = 0;
	while (i < len && (isalpha(s[i]) || s[i] == ' '))
		i++;
	return i > 0 && i + 1 < len && s[i] == ':' && s[i + 1] == ' ';
}

/* The blank line at s[0..len): the bytes past it, or 0 when it is not
 * one. */
static size_t blank_line(const unsigned char *s, size_t len)
{
	if (len > 0 && s[0] == '\n')
		return 1;
	return len > 1 && s[0] == '\r' && s[1] == '\n' ? 2 : 0;
}

/* Microsoft Advertising's properties, blank lines and header (above). */
static int properties_shape(const unsigned char *s, size_t len, char delimiter,
			    size_t *bytes, long *lines)
{
	size_t at = 0;
	long line = 0;
	for (; line < PROPERTY_LINES; line++) {
		size_t next = 0;
		/* the name first: most files stop there, unread further;
		 * "Time Zone: (GMT-08:00) ...; Tijuana" holds a ';' */
		if (!property_line(s + at, len - at,
				   line ? NULL : report_name) ||
		    fields_of(s + at, len - at, delimiter, 0, &next) != 1)
			break;
		at += next;
	}
	if (line == 0)
		return 0;
	size_t blanks = 0;
	for (size_t blank; (blank = blank_line(s + at, len - at)) > 0; line++) {
		at += blank;
		blanks++;
	}
	if (blanks == 0)
		return 0;
	size_t next = 0;
	if (fields_of(s + at, len - at, delimiter, 1, &next) < 2)
		return 0;
	*bytes = at;
	*lines = line;
	return 1;
}

/* fields_of for a title line, which may not hold another delimiter. */
static size_t line_fields(const unsigned char *s, size_t len, char delimiter,
			  size_t *next)
{
	return fields_of(s, len, delimiter, 1, next);
}

int mql_csv_title_shape(const unsigned char *s, size_t len, char delimiter,
			size_t *bytes, long *lines)
{
	if (properties_shape(s, len, delimiter, bytes, lines))
		return 1;
	size_t at = 0;
	for (long line = 0; line <= TITLE_LINES; line++) {
		size_t next = 0;
		size_t fields = line_fields(s + at, len - at, delimiter, &next);
		if (fields == 0)
			return 0;
		if (fields > 1) {
			*bytes = at;
			*lines = line;
			return line > 0;
		}
		at += next;
	}
	return 0;
}

/* Where the header starts when s is read with delimiter: past Microsoft's
 * properties (shaped; *found 0 when there are none), else past any title. */
static size_t header_start(const unsigned char *s, size_t len, char delimiter,
			   int shaped, int *found)
{
	size_t bytes = 0;
	long lines;
	*found =
		shaped ? properties_shape(s, len, delimiter, &bytes, &lines)
		       : mql_csv_title_shape(s, len, delimiter, &bytes, &lines);
	return *found ? bytes : 0;
}

/* The delimiter of candidates[0..n) that splits the header into the most
 * fields, the first on a tie; 0 when shaped and none shows Microsoft's
 * properties. */
static char most_fields(const unsigned char *s, size_t len,
			const char *candidates, size_t n, int shaped)
{
	char best = 0;
	size_t most = 0;
	for (size_t k = 0; k < n; k++) {
		int found;
		size_t at = header_start(s, len, candidates[k], shaped, &found);
		if (shaped && !found)
			continue;
		size_t next;
		size_t fields =
			fields_of(s + at, len - at, candidates[k], 0, &next);
		/* a header with a comma between names is a comma file */
		if (candidates[k] != ',' &&
		    fields_of(s + at, len - at, ',', 0, &next) > 1)
			continue;
		if (!best || fields > most) {
			most = fields;
			best = candidates[k];
		}
	}
	return best;
}

char mql_csv_sniff_delimiter(const unsigned char *s, size_t len)
{
	static const char candidates[] = {',', '\t', ';', '|'};
	/* a header that does not end within s cannot tell */
	if (!memchr(s, '\n', len))
		return ',';
	/* Microsoft's properties hold ',' and ';': found with one delimiter
	 * they settle it */
	char shaped = most_fields(s, len, candidates, sizeof candidates, 1);
	return shaped ? shaped
		      : most_fields(s, len, candidates, sizeof candidates, 0);
}
