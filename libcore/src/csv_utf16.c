/*
 * csv_utf16.c - UTF-16 text, as Excel's "Unicode Text" and some ad
 * platforms' "Excel CSV" downloads write it: known by its byte-order mark
 * (FF FE little-endian, FE FF big-endian) and turned into UTF-8 as it is
 * read (csv_source.c).
 *
 * A unit that is no character (a surrogate without its pair) becomes the
 * byte 0xFF, never valid UTF-8, so the reader's UTF-8 check reports where
 * it is.  Such files are read in one range: a cut found by looking for a
 * line-end byte could fall inside a character.
 */
#include "csv_internal.h"

enum mql_csv_encoding mql_csv_utf16_of(const unsigned char *s, size_t len)
{
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return MQL_CSV_UTF16LE;
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return MQL_CSV_UTF16BE;
	return MQL_CSV_UTF8;
}

/* The code unit at s. */
static unsigned unit_at(const unsigned char *s, int big_endian)
{
	return big_endian ? (unsigned)s[0] << 8 | s[1]
			  : (unsigned)s[1] << 8 | s[0];
}

size_t mql_csv_utf16_decode(enum mql_csv_encoding encoding,
			    const unsigned char *raw, size_t n, int at_end,
			    unsigned char *out, size_t *used)
{
	int big_endian = encoding == MQL_CSV_UTF16BE;
	size_t i = 0, written = 0;
	while (i + 2 <= n) {
		unsigned unit = unit_at(raw + i, big_endian);
		if (unit >= 0xD800 && unit < 0xDC00) {
			if (i + 4 > n && !at_end)
				break; /* its pair comes with the next read */
			unsigned low =
				i + 4 <= n ? unit_at(raw + i + 2, big_endian)
					   : 0;
			if (low >= 0xDC00 && low < 0xE000) {
				uint32_t code =
					0x10000 +
					((uint32_t)(unit - 0xD800) << 10) +
					(low - 0xDC00);
				written +=
					mql_csv_put_utf8(code, out + written);
				i += 4;
				continue;
			}
			out[written++] = 0xFF;
		} else if (unit >= 0xDC00 && unit < 0xE000) {
			out[written++] = 0xFF;
		} else {
			written += mql_csv_put_utf8(unit, out + written);
		}
		i += 2;
	}
	if (at_end && i < n) { /* an odd last byte */
		out[written++] = 0xFF;
		i = n;
	}
	*used = i;
	return written;
}

int64_t mql_csv_utf16_offset(const unsigned char *text, size_t len)
{
	int64_t bytes = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = text[i];
		if ((c & 0xC0) != 0x80)
			bytes += c >= 0xF0 && c != 0xFF ? 4 : 2;
	}
	return bytes;
}
