/*
 * csv_internal.h - pieces of the CSV reader shared between its files
 * (csv.c reads rows, csv_source.c reads and transcodes bytes, csv_split.c
 * splits plain lines, csv_footer.c recognises report footers (and
 * csv_title.c the title lines above a report's header), csv_header.c
 * renames and checks the header, csv_cell.c parses cells, csv_ranges.c
 * cuts files for threads).  Not installed.  The loaders built on the
 * reader (contacts, events, ...) include csv_reader.h, never this file.
 */
#ifndef MQLCAL_CSV_INTERNAL_H
#define MQLCAL_CSV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/locale.h>

#include "csv_reader.h"

/*
 * Renames the header names in place: first by opt->preset, then by the map
 * file opt->map_path; then checks that every column has a name and no two
 * share one (the caller leaves out an exporter's trailing empty column).
 * names[i] are heap strings that this may replace (freeing the old).  path
 * names the file in messages. Returns 0, MQL_ERR_INPUT or MQL_ERR_NOMEM.
 */
int mql_csv_rename_header(char **names, size_t count,
			  const mql_csv_options *opt, const char *path,
			  mql_error *err);

/* Case-insensitive comparison of a and b[0..len) (ASCII letters only). */
int mql_csv_name_equal(const char *a, const char *b, size_t len);

/* The --date-format of the reader, or NULL for ISO 8601 only. */
const char *mql_csv_date_format(const mql_csv *r);

/* The reader's day cache for its dates (see timeparse.h). */
mql_time_day_cache *mql_csv_day_cache(const mql_csv *r);

/*
 * The fast line splitter (csv_split.c).  A scan reads the bytes of one line
 * at s (avail bytes may be read, and 31 more past them must be readable:
 * the reader pads its buffer) and changes nothing; a line it takes is then
 * split in place by mql_csv_split_take.
 */
enum mql_csv_split_result {
	MQL_CSV_SPLIT_TAKEN = 1,    /* the line is one row: fields in line */
	MQL_CSV_SPLIT_OTHER = 0,    /* libcsv must read this line */
	MQL_CSV_SPLIT_PARTIAL = -1, /* no line end within avail bytes */
	MQL_CSV_SPLIT_FULL = -2,    /* more fields than line->cap */
};

typedef struct mql_csv_split {
	size_t *starts; /* cap entries from the caller: field offsets in s */
	size_t *lens;	/* cap entries: field lengths (trimmed) */
	size_t cap;
	size_t count;  /* fields found */
	size_t length; /* bytes of the line, its line end included */
	int non_ascii; /* a byte >= 0x80: check UTF-8 before taking it */
} mql_csv_split;

/* The ways a scan can classify bytes: eight at a time in plain C, 16
 * with SSE2, 32 with AVX2 (on processors that have it). */
enum mql_csv_split_kind {
	MQL_CSV_SPLIT_PORTABLE,
	MQL_CSV_SPLIT_SSE2,
	MQL_CSV_SPLIT_AVX2,
};

/* Whether this build and processor can scan with kind. */
int mql_csv_split_has(enum mql_csv_split_kind kind);

/* Scans the line at s[0..avail) as described above with the widest kind
 * at hand; returns an mql_csv_split_result.  Every kind gives the same
 * results (they are tested against each other). */
int mql_csv_split_scan(mql_csv_split *line, const unsigned char *s,
		       size_t avail, unsigned char delimiter);

/* The same scan with the given kind (MQL_CSV_SPLIT_OTHER when
 * mql_csv_split_has says no). */
int mql_csv_split_scan_kind(mql_csv_split *line, const unsigned char *s,
			    size_t avail, unsigned char delimiter,
			    enum mql_csv_split_kind kind);

/* Splits a scanned line in place: a NUL after each field, doubled quotes
 * made single; line->lens gets the final lengths.  Cannot fail. */
void mql_csv_split_take(mql_csv_split *line, unsigned char *s);

/* True when the splitter can work with this delimiter (not a quote, line
 * end or non-ASCII byte). */
int mql_csv_split_usable(unsigned char delimiter);

/* Turns the reader's fast splitter off (1) or back on (0), so that tests
 * can compare it with libcsv's reading of the same text. */
void mql_csv_set_libcsv_only(mql_csv *r, int libcsv_only);

/*
 * The bytes under a reader (csv_source.c): a file or a memory block, read
 * as UTF-8 or transcoded to it from windows-1252 or latin1, one code point
 * per byte of the file.
 */
enum mql_csv_encoding {
	MQL_CSV_UTF8,
	MQL_CSV_WINDOWS_1252,
	MQL_CSV_LATIN1,
	MQL_CSV_UTF16LE, /* known by a byte-order mark only (csv_utf16.c) */
	MQL_CSV_UTF16BE,
};

/* Whether encoding is one of the UTF-16 ones. */
static inline int mql_csv_utf16(enum mql_csv_encoding encoding)
{
	return encoding == MQL_CSV_UTF16LE || encoding == MQL_CSV_UTF16BE;
}

/* Writes code point code (at most U+10FFFF) as UTF-8 at out; returns the
 * bytes written, 1 to 4 (csv_source.c). */
size_t mql_csv_put_utf8(uint32_t code, unsigned char *out);

/* The UTF-16 encoding whose byte-order mark s[0..len) starts with, else
 * MQL_CSV_UTF8. */
enum mql_csv_encoding mql_csv_utf16_of(const unsigned char *s, size_t len);

/* Turns the UTF-16 units of raw[0..n) into UTF-8 at out (room for 3 bytes
 * per 2 of raw); *used gets the raw bytes taken: a surrogate pair or a
 * byte cut by the end of raw waits for the next read, unless at_end.
 * Returns the bytes written. */
size_t mql_csv_utf16_decode(enum mql_csv_encoding encoding,
			    const unsigned char *raw, size_t n, int at_end,
			    unsigned char *out, size_t *used);

/* The bytes of UTF-16 that the UTF-8 text[0..len) came from. */
int64_t mql_csv_utf16_offset(const unsigned char *text, size_t len);

/* Transcoding writes a windows-1252 byte that is no character as one byte
 * from this one up (never valid UTF-8); mql_csv_undefined_byte gives the
 * file's byte back, or -1 for any other byte. */
#define MQL_CSV_UNDEFINED_MARK 0xF8
int mql_csv_undefined_byte(unsigned char marker);

/* The encoding named name (NULL = UTF-8); 0, or -1 for an unknown name. */
int mql_csv_encoding_parse(const char *name, enum mql_csv_encoding *out);

typedef struct mql_csv_source {
	int fd;			  /* -1 for a memory block */
	const unsigned char *mem; /* the block, or NULL */
	size_t mem_size;
	int64_t next; /* file offset of the next read */
	enum mql_csv_encoding encoding;
	unsigned char *raw; /* bytes before transcoding */
	size_t raw_cap;
	size_t carried; /* UTF-16: bytes at raw's start left from the last
			   read */
} mql_csv_source;

/* Opens path ("-" = stdin) or the caller's block.  0, MQL_ERR_NOFILE (err
 * set) or MQL_ERR_NOMEM. */
int mql_csv_source_open(mql_csv_source *src, const char *path,
			enum mql_csv_encoding encoding, mql_error *err);
int mql_csv_source_open_memory(mql_csv_source *src, const void *bytes,
			       size_t size, enum mql_csv_encoding encoding);
void mql_csv_source_close(mql_csv_source *src);

/* Reads on, not past file offset limit (-1: no limit), into dst[0..room)
 * as UTF-8, whole characters only.  Returns the bytes written, 0 at the
 * end, -1 with errno on a read error. */
ssize_t mql_csv_source_read(mql_csv_source *src, unsigned char *dst,
			    size_t room, int64_t limit);

/* Moves the next read to a file offset.  0, or -1 with errno. */
int mql_csv_source_seek(mql_csv_source *src, int64_t offset);

/* The bytes of the file that text[0..len) (as read) came from. */
int64_t mql_csv_source_offset(const mql_csv_source *src,
			      const unsigned char *text, size_t len);

/* Size of the file or block, or -1 for a pipe. */
int64_t mql_csv_source_size(const mql_csv_source *src);

/* Line ends in the file before offset (a pass over it), or -1. */
long mql_csv_source_lines_before(mql_csv_source *src, int64_t offset);

/* Checks s[0..len) for UTF-8 (no overlong forms, surrogates, code points
 * past U+10FFFF or U+FEFF).  Returns 1, or 0 with *bad the offset of the
 * first fault. */
int mql_csv_utf8_valid(const unsigned char *s, size_t len, size_t *bad);

/* End of buf[0..end) without a trailing incomplete UTF-8 sequence, which
 * waits for the next block. */
size_t mql_csv_utf8_safe_end(const unsigned char *buf, size_t end);

/* The longest report footer recognised, in bytes. */
#define MQL_CSV_FOOTER_MAX 8192

/* True when s[0..len), from a blank line to the end of the file, is a
 * Salesforce or Microsoft Advertising report footer (csv_footer.c);
 * *lines gets its lines, *kind whose it is. */
int mql_csv_footer_shape(const unsigned char *s, size_t len, long *lines,
			 enum mql_csv_note_kind *kind);

/* File offset where the footer of the regular file fd of size bytes
 * starts (its first blank line), or size when it has none: threads must
 * not cut the file inside one. */
int64_t mql_csv_footer_start(int fd, int64_t size);

/* True when s[0..len), the start of a file, begins with a report's title
 * lines above its header (csv_title.c): *bytes and *lines get their
 * size. */
int mql_csv_title_shape(const unsigned char *s, size_t len, char delimiter,
			size_t *bytes, long *lines);

/* The delimiter of the file starting s[0..len): of ',', tab, ';' and '|'
 * the one that gives its header (past any title, csv_title.c) the most
 * fields, ',' on a tie or when commas split the header. */
char mql_csv_sniff_delimiter(const unsigned char *s, size_t len);

/* Adds what a reader skipped to notes (NULL: none kept), once per
 * place. */
void mql_csv_notes_add(mql_csv_notes *notes, enum mql_csv_note_kind kind,
		       const char *path, long line, long lines);

#endif
