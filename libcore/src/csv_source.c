/*
 * csv_source.c - the bytes under a CSV reader: a file descriptor or a
 * block of memory, transcoded from windows-1252 or latin1 (or UTF-16,
 * csv_utf16.c) to UTF-8 as they are read, and the UTF-8 checks of the
 * text.
 *
 * Transcoding turns each byte of the file into one code point (one to
 * three bytes of UTF-8), so the file offset of a place in the text is the
 * number of code points before it: mql_csv_source_offset counts them.
 */
#include "csv_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read at once when transcoding: their UTF-8 (at most three bytes
 * each) must fit in the room the reader offers. */
#define RAW_BLOCK (1u << 18)

/*
 * Windows-1252's 0x80..0x9F as code points; 0 marks the five bytes it
 * leaves undefined.  Latin-1 maps these bytes to U+0080..U+009F, and both
 * map every other byte to the code point of the same number.
 */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,	0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	0x017D, 0,
	0,	0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	0x017E, 0x0178,
};

/* In the order of enum mql_csv_encoding. */
const char *const mql_csv_encodings[] = {"utf-8", "windows-1252", "latin1",
					 NULL};

int mql_csv_encoding_parse(const char *name, enum mql_csv_encoding *out)
{
	*out = MQL_CSV_UTF8;
	if (!name)
		return 0;
	for (int i = 0; mql_csv_encodings[i]; i++)
		if (strcasecmp(name, mql_csv_encodings[i]) == 0) {
			*out = (enum mql_csv_encoding)i;
			return 0;
		}
	return -1;
}

int mql_csv_undefined_byte(unsigned char marker)
{
	static const unsigned char undefined[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
	if (marker < MQL_CSV_UNDEFINED_MARK ||
	    marker >= MQL_CSV_UNDEFINED_MARK + sizeof undefined)
		return -1;
	return undefined[marker - MQL_CSV_UNDEFINED_MARK];
}

size_t mql_csv_put_utf8(uint32_t code, unsigned char *out)
{
	if (code < 0x80) {
		out[0] = (unsigned char)code;
		return 1;
	}
	if (code < 0x800) {
		out[0] = (unsigned char)(0xC0 | code >> 6);
		out[1] = (unsigned char)(0x80 | (code & 0x3F));
		return 2;
	}
	if (code < 0x10000) {
		out[0] = (unsigned char)(0xE0 | code >> 12);
		out[1] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (code & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | code >> 18);
	out[1] = (unsigned char)(0x80 | ((code >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((code >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (code & 0x3F));
	return 4;
}

/* Writes byte c of the encoding as UTF-8 at out; returns the bytes
 * written.  An undefined windows-1252 byte becomes one marker byte
 * (never valid UTF-8), which the reader's UTF-8 check reports. */
static size_t transcode_byte(enum mql_csv_encoding encoding, unsigned char c,
			     unsigned char *out)
{
	uint32_t code = c;
	if (c < 0x80) {
		out[0] = c;
		return 1;
	}
	if (encoding == MQL_CSV_WINDOWS_1252 && c < 0xA0) {
		code = cp1252_high[c - 0x80];
		if (code == 0) {
			unsigned char mark = MQL_CSV_UNDEFINED_MARK;
			while (mql_csv_undefined_byte(mark) != c)
				mark++;
			out[0] = mark;
			return 1;
		}
	}
	return mql_csv_put_utf8(code, out);
}

/* A file that starts with a UTF-16 byte-order mark is UTF-16, whatever
 * was asked for (csv_utf16.c); a pipe is not looked at. */
static enum mql_csv_encoding file_encoding(int fd, enum mql_csv_encoding asked)
{
	unsigned char mark[2];
	if (fd == STDIN_FILENO || pread(fd, mark, 2, 0) != 2)
		return asked;
	enum mql_csv_encoding utf16 = mql_csv_utf16_of(mark, 2);
	return utf16 != MQL_CSV_UTF8 ? utf16 : asked;
}

int mql_csv_source_open(mql_csv_source *src, const char *path,
			enum mql_csv_encoding encoding, mql_error *err)
{
	memset(src, 0, sizeof *src);
	src->fd = strcmp(path, "-") == 0 ? STDIN_FILENO
					 : open(path, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0)
		return mql_error_set(err, MQL_ERR_NOFILE, path, 0, 0,
				     "cannot open: %s", strerror(errno));
	src->encoding = encoding = file_encoding(src->fd, encoding);
	src->raw_cap = RAW_BLOCK;
	if (encoding != MQL_CSV_UTF8 && !(src->raw = malloc(RAW_BLOCK)))
		return MQL_ERR_NOMEM;
	return 0;
}

int mql_csv_source_open_memory(mql_csv_source *src, const void *bytes,
			       size_t size, enum mql_csv_encoding encoding)
{
	memset(src, 0, sizeof *src);
	src->fd = -1;
	src->mem = bytes;
	src->mem_size = size;
	enum mql_csv_encoding utf16 = mql_csv_utf16_of(bytes, size);
	src->encoding = encoding = utf16 != MQL_CSV_UTF8 ? utf16 : encoding;
	src->raw_cap = size < RAW_BLOCK ? size + 1 : RAW_BLOCK;
	if (encoding != MQL_CSV_UTF8 && !(src->raw = malloc(src->raw_cap)))
		return MQL_ERR_NOMEM;
	return 0;
}

void mql_csv_source_close(mql_csv_source *src)
{
	if (src->fd > STDIN_FILENO)
		close(src->fd);
	src->fd = -1;
	free(src->raw);
	src->raw = NULL;
}

/* Reads up to room bytes of the file at src->next into dst. */
static ssize_t read_bytes(mql_csv_source *src, unsigned char *dst, size_t room)
{
	if (src->mem) {
		size_t left = src->next < (int64_t)src->mem_size
				      ? src->mem_size - (size_t)src->next
				      : 0;
		size_t got = left < room ? left : room;
		memcpy(dst, src->mem + src->next, got);
		return (ssize_t)got;
	}
	ssize_t got;
	do
		got = read(src->fd, dst, room);
	while (got < 0 && errno == EINTR);
	return got;
}

/* UTF-16: reads on into raw past the bytes carried from the last read,
 * and turns the whole units into UTF-8 at dst[0..room). */
static ssize_t read_utf16(mql_csv_source *src, unsigned char *dst, size_t room)
{
	size_t want = room / 3 * 2;
	if (want > src->raw_cap)
		want = src->raw_cap;
	if (want <= src->carried)
		return 0;
	ssize_t got =
		read_bytes(src, src->raw + src->carried, want - src->carried);
	if (got < 0)
		return got;
	src->next += got;
	size_t n = src->carried + (size_t)got, used;
	size_t out = mql_csv_utf16_decode(src->encoding, src->raw, n, got == 0,
					  dst, &used);
	memmove(src->raw, src->raw + used, n - used);
	src->carried = n - used;
	return (ssize_t)out;
}

ssize_t mql_csv_source_read(mql_csv_source *src, unsigned char *dst,
			    size_t room, int64_t limit)
{
	if (mql_csv_utf16(src->encoding))
		return read_utf16(src, dst, room); /* one range: no limit */
	size_t want = src->encoding == MQL_CSV_UTF8 ? room : room / 3;
	if (src->encoding != MQL_CSV_UTF8 && want > src->raw_cap)
		want = src->raw_cap;
	if (limit >= 0) {
		int64_t left = limit - src->next;
		if (left < (int64_t)want)
			want = left > 0 ? (size_t)left : 0;
	}
	if (want == 0)
		return 0;
	unsigned char *into = src->encoding == MQL_CSV_UTF8 ? dst : src->raw;
	ssize_t got = read_bytes(src, into, want);
	if (got <= 0)
		return got;
	src->next += got;
	if (src->encoding == MQL_CSV_UTF8)
		return got;
	size_t out = 0;
	for (ssize_t i = 0; i < got; i++)
		out += transcode_byte(src->encoding, src->raw[i], dst + out);
	return (ssize_t)out;
}

int64_t mql_csv_source_size(const mql_csv_source *src)
{
	struct stat st;
	if (src->mem)
		return (int64_t)src->mem_size;
	if (fstat(src->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

int mql_csv_source_seek(mql_csv_source *src, int64_t offset)
{
	if (!src->mem && lseek(src->fd, (off_t)offset, SEEK_SET) < 0)
		return -1;
	src->next = offset;
	return 0;
}

int64_t mql_csv_source_offset(const mql_csv_source *src,
			      const unsigned char *text, size_t len)
{
	if (src->encoding == MQL_CSV_UTF8)
		return (int64_t)len;
	if (mql_csv_utf16(src->encoding))
		return mql_csv_utf16_offset(text, len);
	int64_t points = 0;
	for (size_t i = 0; i < len; i++)
		points += (text[i] & 0xC0) != 0x80;
	return points;
}

long mql_csv_source_lines_before(mql_csv_source *src, int64_t offset)
{
	long lines = 0;
	if (src->mem) {
		for (int64_t i = 0; i < offset && i < (int64_t)src->mem_size;
		     i++)
			lines += src->mem[i] == '\n';
		return lines;
	}
	unsigned char block[1 << 14];
	for (int64_t at = 0; at < offset;) {
		size_t want = offset - at < (int64_t)sizeof block
				      ? (size_t)(offset - at)
				      : sizeof block;
		ssize_t got = pread(src->fd, block, want, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		for (ssize_t i = 0; i < got; i++)
			lines += block[i] == '\n';
		at += got;
	}
	return lines;
}

int mql_csv_utf8_valid(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	while (i < len) {
		if (i + 8 <= len) {
			uint64_t word;
			memcpy(&word, s + i, 8);
			if (!(word & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t code, least;
		if ((c & 0xE0) == 0xC0) {
			n = 2, code = c & 0x1Fu, least = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3, code = c & 0x0Fu, least = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4, code = c & 0x07u, least = 0x10000;
		} else {
			*bad = i;
			return 0;
		}
		for (size_t k = 1; k < n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
				*bad = i;
				return 0;
			}
			code = (code << 6) | (s[i + k] & 0x3Fu);
		}
		/* U+FEFF past the start is a byte-order mark in the middle
		 * of the file (files joined with cat), not text. */
		if (code < least || code > 0x10FFFF ||
		    (code >= 0xD800 && code <= 0xDFFF) || code == 0xFEFF) {
			*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

size_t mql_csv_utf8_safe_end(const unsigned char *buf, size_t end)
{
	for (size_t back = 1; back <= 3 && back <= end; back++) {
		unsigned char c = buf[end - back];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? end - back : end;
	}
	return end;
}
