/*
 * csv.c - the streaming row reader on libcsv.
 *
 * The file is read in large blocks (padded, so that 32-byte loads may run
 * past the data).  A line that is one whole row - nearly every line of an
 * export - is split where it lies by csv_split.c: its fields stay in the
 * block, NUL-ended, until the next refill, and a line cut off by the end of
 * a block is completed by a refill first.  Every other line (quotes that
 * span lines or do not close, stray carriage returns, blank lines) is
 * handed to csv_parse one physical line at a time, so the reader always
 * knows the line it is on and each error names it; those fields are copied,
 * trimmed, into one reusable row buffer.  Bytes >= 0x80 are checked for
 * UTF-8 before a line is used, and quotes are counted on libcsv's lines,
 * which tells where an unterminated quoted field began.
 */
#include "csv_internal.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_BLOCK    (1u << 20)
#define MEMORY_BLOCK  (1u << 16) /* least block of a memory reader */
#define READ_PADDING  64 /* readable bytes past a block, for 32-byte loads */
#define FIELD_GROWTH  (1u << 16)
#define ROW_NOT_BEGUN 0 /* libcsv's parser state between rows (stable) */

struct mql_csv {
	mql_csv_source src;
	char *path;
	char delimiter;
	char *na;
	size_t na_len;
	char *date_format;
	mql_locale locale;
	struct csv_parser parser;
	int parser_ready;

	unsigned char *buf;
	size_t block;	 /* bytes of buf before its padding */
	size_t buf_pos;	 /* next byte to parse */
	size_t buf_safe; /* end of the bytes that may be parsed now */
	size_t buf_end;	 /* end of the bytes read */
	int64_t offset;	 /* file offset of buf[0] */
	/* file_offset's last answer: buf[0..mapped_pos) is mapped_bytes of
	 * the file (they differ when transcoding) */
	size_t mapped_pos;
	int64_t mapped_bytes;
	int64_t limit; /* file offset where reading stops, -1 = the end */
	int at_eof, finished;
	int ended_in_quotes; /* the end came inside a quoted field */
	int seeked;	     /* set_range moved it: lines count from a cut */
	mql_csv_notes *notes;
	mql_progress *progress;		/* opt->progress, or NULL */
	long footer_line, footer_lines; /* a report footer skipped */

	long line;	    /* physical line of buf_pos, 1-based */
	int64_t line_start; /* file offset where that line starts */
	long row_line_candidate;
	int quote_open; /* an odd number of quotes since the row began */
	long quote_line, quote_column;

	char *cells; /* fields of a row read by libcsv, each NUL-ended */
	size_t cells_len, cells_cap;
	const char *row_base;  /* cells, or the line in buf for a split line */
	size_t *starts, *lens; /* field offsets from row_base, lengths */
	size_t field_count, field_cap;
	int row_ready;
	long row_line;
	int row_overrun, field_too_long, row_too_long, too_many_fields;
	int out_of_memory;
	int fast_split; /* lines may go to csv_split.c (delimiter, tests) */
	/* The date cache of mql_csv_get_time, which takes a const reader:
	 * the cache is its memory, not part of the row. */
	mql_time_day_cache *day_cache;
	mql_time_day_cache day_cache_storage;

	char **names;
	size_t raw_count;    /* fields in the header */
	size_t column_count; /* without a trailing empty column */
};

void mql_csv_options_init(mql_csv_options *o)
{
	memset(o, 0, sizeof *o);
	o->delimiter = ',';
}

/* libcsv grows a field in fixed steps; refusing to grow past the limit turns
 * a runaway field into an error instead of using all memory. */
static void *bounded_realloc(void *p, size_t size)
{
	if (size > MQL_CSV_MAX_FIELD + 2 * FIELD_GROWTH)
		return NULL;
	return realloc(p, size);
}

/* Doubles the room for field offsets and lengths.  0 or -1. */
static int grow_fields(mql_csv *r)
{
	size_t cap = r->field_cap ? r->field_cap * 2 : 64;
	size_t *starts = realloc(r->starts, cap * sizeof *starts);
	if (!starts)
		return -1;
	r->starts = starts;
	size_t *lens = realloc(r->lens, cap * sizeof *lens);
	if (!lens)
		return -1;
	r->lens = lens;
	r->field_cap = cap;
	return 0;
}

/* Grows the row buffers so one more field of len bytes fits. */
static int reserve_field(mql_csv *r, size_t len)
{
	if (r->field_count == r->field_cap && grow_fields(r))
		return -1;
	if (r->cells_len + len + 1 > r->cells_cap) {
		size_t cap = r->cells_cap ? r->cells_cap : 4096;
		while (cap < r->cells_len + len + 1)
			cap *= 2;
		char *cells = realloc(r->cells, cap);
		if (!cells)
			return -1;
		r->cells = cells;
		r->cells_cap = cap;
	}
	return 0;
}

/* The most fields a row may have: the header's, or MQL_CSV_MAX_COLUMNS
 * while the header itself is read. */
static size_t field_limit(const mql_csv *r)
{
	return r->names ? r->raw_count : MQL_CSV_MAX_COLUMNS;
}

/* libcsv field callback: appends the trimmed field to the row buffer. */
static void on_field(void *field, size_t len, void *context)
{
	mql_csv *r = context;
	const char *text = field ? field : "";
	if (r->row_ready) {
		r->row_overrun = 1;
		return;
	}
	if (len > MQL_CSV_MAX_FIELD) {
		r->field_too_long = 1;
		return;
	}
	/* Fields past the header's count (or, in the header, past
	 * MQL_CSV_MAX_COLUMNS) are not kept: the row is an error, and a row
	 * of millions of delimiters must not take memory for each. */
	if (r->field_count >= field_limit(r)) {
		r->too_many_fields = 1;
		return;
	}
	mql_csv_trim(&text, &len);
	if (r->cells_len + len >= MQL_CSV_MAX_ROW) {
		r->row_too_long = 1;
		return;
	}
	if (reserve_field(r, len)) {
		r->out_of_memory = 1;
		return;
	}
	r->starts[r->field_count] = r->cells_len;
	r->lens[r->field_count] = len;
	memcpy(r->cells + r->cells_len, text, len);
	r->cells[r->cells_len + len] = '\0';
	r->cells_len += len + 1;
	r->field_count++;
}

/* libcsv row callback. */
static void on_row(int terminator, void *context)
{
	mql_csv *r = context;
	(void)terminator;
	if (r->row_ready)
		r->row_overrun = 1;
	r->row_ready = 1;
	r->row_line = r->row_line_candidate;
	r->row_base = r->cells;
}

/* 1-based byte column of buffer position pos in the current line (in
 * UTF-16 text, its 16-bit unit). */
static int64_t file_offset(mql_csv *r, size_t pos);

static long column_at(mql_csv *r, size_t pos)
{
	int64_t bytes = file_offset(r, pos) - r->line_start;
	return (long)(mql_csv_utf16(r->src.encoding) ? bytes / 2 : bytes) + 1;
}

/* File offset of buf[pos]: positions asked for mostly grow, so the count
 * of a transcoded text goes on from the last one. */
static int64_t file_offset(mql_csv *r, size_t pos)
{
	if (r->src.encoding == MQL_CSV_UTF8)
		return r->offset + (int64_t)pos;
	if (pos < r->mapped_pos)
		r->mapped_pos = 0, r->mapped_bytes = 0;
	r->mapped_bytes += mql_csv_source_offset(
		&r->src, r->buf + r->mapped_pos, pos - r->mapped_pos);
	r->mapped_pos = pos;
	return r->offset + r->mapped_bytes;
}

/* Moves unparsed bytes to the front and reads the next block. */
static int refill(mql_csv *r, mql_error *err)
{
	size_t keep = r->buf_end - r->buf_pos;
	r->offset = file_offset(r, r->buf_pos);
	r->mapped_pos = 0;
	r->mapped_bytes = 0;
	memmove(r->buf, r->buf + r->buf_pos, keep);
	r->buf_pos = 0;
	r->buf_end = keep;
	ssize_t got = mql_csv_source_read(&r->src, r->buf + keep,
					  r->block - keep, r->limit);
	if (got < 0)
		return mql_error_set(err, MQL_ERR_IO, r->path, r->line, 0,
				     "cannot read: %s", strerror(errno));
	if (got == 0) {
		r->at_eof = 1;
		r->buf_safe = r->buf_end;
		return 0;
	}
	r->buf_end += (size_t)got;
	mql_progress_add(r->progress, r->path, (uint64_t)got);
	/* transcoded text holds whole characters */
	r->buf_safe = r->src.encoding == MQL_CSV_UTF8
			      ? mql_csv_utf8_safe_end(r->buf, r->buf_end)
			      : r->buf_end;
	return 0;
}

/* Counts quotes in a line piece: an odd count leaves a quoted field open. */
static void track_quotes(mql_csv *r, const unsigned char *s, size_t len)
{
	const unsigned char *end = s + len;
	const unsigned char *q = memchr(s, '"', len);
	while (q) {
		r->quote_open = !r->quote_open;
		if (r->quote_open) {
			r->quote_line = r->line;
			r->quote_column = column_at(r, (size_t)(q - r->buf));
		}
		q = memchr(q + 1, '"', (size_t)(end - q - 1));
	}
}

static int parse_error(mql_csv *r, size_t pos, mql_error *err)
{
	int code = csv_error(&r->parser);
	if (code == CSV_ENOMEM || code == CSV_ETOOBIG) {
		if (r->parser.entry_size < MQL_CSV_MAX_FIELD)
			return mql_error_set(err, MQL_ERR_NOMEM, r->path,
					     r->line, 0, "out of memory");
		return mql_error_set(err, MQL_ERR_INPUT, r->path,
				     r->row_line_candidate,
				     (long)r->field_count + 1,
				     "field longer than %u bytes (expected "
				     "at most 1 MiB per field)",
				     MQL_CSV_MAX_FIELD);
	}
	if (r->buf[pos] == '"' && !r->parser.quoted)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
				     column_at(r, pos),
				     "quote inside an unquoted field (expected "
				     "the whole field quoted, inner quotes "
				     "doubled)");
	return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
			     column_at(r, pos),
			     "text after a closing quote (expected a "
			     "delimiter or the end of the line)");
}

/* The error of a row with more fields than field_limit, found as its
 * fields arrive. */
static int too_many_fields(mql_csv *r, mql_error *err)
{
	if (!r->names)
		return mql_error_set(
			err, MQL_ERR_INPUT, r->path, r->row_line_candidate,
			(long)MQL_CSV_MAX_COLUMNS + 1,
			"header has more than %u columns (expected "
			"at most %u)",
			MQL_CSV_MAX_COLUMNS, MQL_CSV_MAX_COLUMNS);
	return mql_error_set(
		err, MQL_ERR_INPUT, r->path, r->row_line_candidate,
		(long)r->raw_count + 1,
		"row has more than %zu fields (expected %zu, as in "
		"the header)",
		r->raw_count, r->column_count);
}

/* Errors raised inside the libcsv callbacks of the last csv_parse. */
static int callback_error(mql_csv *r, mql_error *err)
{
	if (r->out_of_memory)
		return mql_error_set(err, MQL_ERR_NOMEM, r->path, r->line, 0,
				     "out of memory");
	if (r->field_too_long)
		return mql_error_set(err, MQL_ERR_INPUT, r->path,
				     r->row_line_candidate,
				     (long)r->field_count + 1,
				     "field longer than %u bytes (expected "
				     "at most 1 MiB per field)",
				     MQL_CSV_MAX_FIELD);
	if (r->too_many_fields)
		return too_many_fields(r, err);
	if (r->row_too_long)
		return mql_error_set(err, MQL_ERR_INPUT, r->path,
				     r->row_line_candidate,
				     (long)r->field_count + 1,
				     "row longer than %u bytes (expected at "
				     "most 16 MiB per row)",
				     MQL_CSV_MAX_ROW);
	if (r->row_overrun)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line, 0,
				     "carriage return inside a line (expected "
				     "LF or CRLF line ends, or the field "
				     "quoted)");
	return 0;
}

/* The error for the invalid UTF-8 byte line[bad] of the current line
 * (the padding past the bytes read makes the 3-byte look safe). */
static int invalid_utf8(mql_csv *r, const unsigned char *line, size_t bad,
			mql_error *err)
{
	long column = column_at(r, (size_t)(line - r->buf) + bad);
	int undefined = r->src.encoding == MQL_CSV_WINDOWS_1252
				? mql_csv_undefined_byte(line[bad])
				: -1;
	if (undefined >= 0)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
				     column,
				     "byte 0x%02x is not a character of "
				     "windows-1252 (expected windows-1252 "
				     "text: is the file UTF-8?)",
				     (unsigned)undefined);
	if (mql_csv_utf16(r->src.encoding) && line[bad] == 0xFF)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
				     column,
				     "UTF-16 text that is no character (half a "
				     "surrogate pair, or the file ends inside "
				     "a character)");
	if (memcmp(line + bad, "\xEF\xBB\xBF", 3) == 0)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
				     column,
				     "byte-order mark past the start of the "
				     "file (expected one only before the "
				     "header: were files joined?)");
	return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line, column,
			     "invalid UTF-8 byte 0x%02x (expected UTF-8 text; "
			     "for a Windows export, try --encoding "
			     "windows-1252)",
			     line[bad]);
}

/* The error for a NUL byte at line[at]. */
static int nul_byte(mql_csv *r, const unsigned char *line, size_t at,
		    mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, r->path, r->line,
			     column_at(r, (size_t)(line - r->buf) + at),
			     "NUL byte (expected text: is this a UTF-16 or "
			     "binary file?)");
}

/* Moves on to the next physical line, len bytes on. */
static void next_line(mql_csv *r, size_t len)
{
	r->buf_pos += len;
	r->line++;
	r->line_start = file_offset(r, r->buf_pos);
}

/*
 * The common case: a row that is one line, split by csv_split.c without
 * copying; its fields stay in buf until the next refill.  Returns 1 when
 * it took the line, 0 when libcsv must read it, 2 when the line is cut off
 * at the end of the bytes read and a refill will bring the rest, or < 0.
 */
static int split_line(mql_csv *r, mql_error *err)
{
	unsigned char *start = r->buf + r->buf_pos;
	size_t avail = r->buf_safe - r->buf_pos, bad;
	mql_csv_split line = {r->starts, r->lens, r->field_cap, 0, 0, 0};
	int result;
	while ((result = mql_csv_split_scan(&line, start, avail,
					    (unsigned char)r->delimiter)) ==
	       MQL_CSV_SPLIT_FULL) {
		/* More fields than a row may have: libcsv reads the line and
		 * stops keeping them at the limit (on_field). */
		if (r->field_cap > field_limit(r))
			return 0;
		if (grow_fields(r))
			return mql_error_set(err, MQL_ERR_NOMEM, r->path,
					     r->line, 0, "out of memory");
		line.starts = r->starts;
		line.lens = r->lens;
		line.cap = r->field_cap;
	}
	if (result == MQL_CSV_SPLIT_PARTIAL)
		/* (a transcoding refill needs room for a 3-byte character) */
		return !r->at_eof && (r->buf_pos > 0 ||
				      r->block - r->buf_end >= 3)
			       ? 2
			       : 0;
	if (result != MQL_CSV_SPLIT_TAKEN)
		return 0;
	if (line.non_ascii && !mql_csv_utf8_valid(start, line.length, &bad))
		return invalid_utf8(r, start, bad, err);
	mql_csv_split_take(&line, start);
	r->field_count = line.count;
	r->row_base = (const char *)start;
	r->row_ready = 1;
	r->row_line = r->line;
	next_line(r, line.length);
	return 1;
}

/* True when the bytes at buf_pos are a blank line. */
static int at_blank_line(const mql_csv *r)
{
	const unsigned char *s = r->buf + r->buf_pos;
	size_t avail = r->buf_safe - r->buf_pos;
	return s[0] == '\n' || (s[0] == '\r' && avail > 1 && s[1] == '\n');
}

/* Records the footer of len bytes and lines lines at buf_pos, and moves
 * past it. */
static void skip_footer(mql_csv *r, size_t len, long lines,
			enum mql_csv_note_kind kind)
{
	long line = r->line;
	if (r->seeked) /* lines were counted from a cut */
		line = mql_csv_source_lines_before(&r->src,
						   file_offset(r, r->buf_pos)) +
		       1;
	r->footer_line = line;
	r->footer_lines = lines;
	mql_csv_notes_add(r->notes, kind, r->path, line, lines);
	r->buf_pos += len;
	r->line += lines;
}

/*
 * At a blank line between data rows: whether the rest of the file is a
 * Salesforce or Microsoft Advertising report footer (csv_footer.c), which
 * is then skipped.
 * Returns 1 when it skipped one or read on to tell, 0 when the line is to
 * be read as any other, < 0 on an error.
 */
static int check_footer(mql_csv *r, mql_error *err)
{
	size_t avail = r->buf_safe - r->buf_pos;
	long lines;
	enum mql_csv_note_kind kind;
	if (avail > MQL_CSV_FOOTER_MAX)
		return 0;
	if (!r->at_eof) {
		int status = refill(r, err);
		return status ? status : 1;
	}
	/* a range's end is not the end of the file */
	int64_t size = mql_csv_source_size(&r->src);
	if (r->limit >= 0 && (size < 0 || r->limit < size))
		return 0;
	if (!mql_csv_footer_shape(r->buf + r->buf_pos, avail, &lines, &kind))
		return 0;
	skip_footer(r, avail, lines, kind);
	return 1;
}

/* Parses the next physical line, or the part of it that has been read. */
static int feed_line(mql_csv *r, mql_error *err)
{
	if (r->parser.pstate == ROW_NOT_BEGUN && r->names && at_blank_line(r)) {
		int footer = check_footer(r, err);
		if (footer)
			return footer < 0 ? footer : 0;
	}
	if (r->fast_split && r->parser.pstate == ROW_NOT_BEGUN) {
		int split = split_line(r, err);
		if (split == 2)
			return refill(r, err);
		if (split)
			return split < 0 ? split : 0;
	}
	const unsigned char *start = r->buf + r->buf_pos;
	size_t avail = r->buf_safe - r->buf_pos;
	const unsigned char *newline = memchr(start, '\n', avail);
	size_t len = newline ? (size_t)(newline - start) + 1 : avail;
	size_t bad;
	if (r->parser.pstate == ROW_NOT_BEGUN)
		r->row_line_candidate = r->line;
	const unsigned char *nul = memchr(start, '\0', len);
	if (nul)
		return nul_byte(r, start, (size_t)(nul - start), err);
	if (!mql_csv_utf8_valid(start, len, &bad))
		return invalid_utf8(r, start, bad, err);
	track_quotes(r, start, len);
	size_t used = csv_parse(&r->parser, start, len, on_field, on_row, r);
	int status = callback_error(r, err);
	if (status)
		return status;
	if (used != len)
		return parse_error(r, r->buf_pos + used, err);
	if (newline)
		next_line(r, len);
	else
		r->buf_pos += len;
	return 0;
}

/* At end of file: the last row may lack its line end. */
static int finish(mql_csv *r, mql_error *err)
{
	if (r->finished)
		return 0;
	r->finished = 1;
	if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
		r->ended_in_quotes = 1;
		return mql_error_set(err, MQL_ERR_INPUT, r->path, r->quote_line,
				     r->quote_column,
				     "unterminated quoted field (expected a "
				     "closing quote before the end of the "
				     "file)");
	}
	int status = callback_error(r, err);
	if (status)
		return status;
	return r->row_ready ? 1 : 0;
}

/* Reads one row into the row buffer: 1, 0 at end of file, or < 0. */
static int read_row(mql_csv *r, mql_error *err)
{
	r->field_count = 0;
	r->cells_len = 0;
	r->row_base = r->cells;
	r->row_ready = 0;
	r->quote_open = 0;
	while (!r->row_ready) {
		int status;
		if (r->buf_pos == r->buf_safe) {
			if (r->at_eof)
				return finish(r, err);
			status = refill(r, err);
		} else {
			status = feed_line(r, err);
		}
		if (status)
			return status;
	}
	return 1;
}

int mql_csv_next(mql_csv *r, mql_error *err)
{
	int status = read_row(r, err);
	if (status <= 0)
		return status;
	size_t count = r->field_count;
	if (count == r->raw_count || count == r->column_count)
		return 1;
	if (count > r->raw_count) {
		/* as when libcsv stops at the limit, whatever the count */
		r->row_line_candidate = r->row_line;
		return too_many_fields(r, err);
	}
	return mql_error_set(err, MQL_ERR_INPUT, r->path, r->row_line,
			     (long)count + 1,
			     "row has %zu fields (expected %zu, as in the "
			     "header)",
			     count, r->column_count);
}

/* Copies s[0..len) into a new heap string; NULL when out of memory. */
static char *copy_text(const char *s, size_t len)
{
	char *copy = malloc(len + 1);
	if (copy) {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

/* Reads the rest of the file with delimiter. */
static void use_delimiter(mql_csv *r, char delimiter)
{
	r->delimiter = delimiter;
	r->fast_split = mql_csv_split_usable((unsigned char)delimiter);
	csv_set_delim(&r->parser, (unsigned char)delimiter);
}

/* Skips a report's title lines above the header (csv_title.c), noted;
 * first settles the delimiter when the header is to tell it. */
static void skip_title(mql_csv *r, const mql_csv_options *opt)
{
	size_t bytes;
	long lines;
	if (opt->sniff_delimiter)
		use_delimiter(
			r, mql_csv_sniff_delimiter(r->buf + r->buf_pos,
						   r->buf_safe - r->buf_pos));
	if (!mql_csv_title_shape(r->buf + r->buf_pos, r->buf_safe - r->buf_pos,
				 r->delimiter, &bytes, &lines))
		return;
	mql_csv_notes_add(r->notes, MQL_CSV_NOTE_TITLE, r->path, r->line,
			  lines);
	r->buf_pos += bytes;
	r->line += lines;
	r->line_start = file_offset(r, r->buf_pos);
}

/* Takes the header from the first row (past a report's title) and renames
 * it. */
static int read_header(mql_csv *r, const mql_csv_options *opt, mql_error *err)
{
	skip_title(r, opt);
	int status = read_row(r, err);
	if (status < 0)
		return status;
	if (status == 0)
		return mql_error_set(err, MQL_ERR_INPUT, r->path, 1, 0,
				     "empty file (expected a header row)");
	r->raw_count = r->field_count;
	r->names = calloc(r->raw_count, sizeof *r->names);
	if (!r->names)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->raw_count; i++) {
		size_t len;
		const char *name = mql_csv_field(r, i, &len);
		if (!(r->names[i] = copy_text(name, len)))
			return MQL_ERR_NOMEM;
	}
	/* Exports that end every line with a delimiter have an unnamed last
	 * column; it holds nothing and is ignored. */
	r->column_count = r->raw_count;
	if (r->raw_count > 1 && r->names[r->raw_count - 1][0] == '\0')
		r->column_count--;
	return mql_csv_rename_header(r->names, r->column_count, opt, r->path,
				     err);
}

/* Sets up the reader of name (path or the name of a memory block) and
 * its parser, reading block bytes at a time; its source is opened by the
 * caller. */
static int open_reader(mql_csv *r, const char *name, size_t block,
		       const mql_csv_options *opt, mql_error *err)
{
	r->src.fd = -1;
	r->line = 1;
	r->day_cache = &r->day_cache_storage;
	r->limit = -1;
	r->notes = opt->notes;
	r->progress = opt->progress;
	r->delimiter = opt->delimiter ? opt->delimiter : ',';
	if (!(r->path = strdup(name)))
		return MQL_ERR_NOMEM;
	if (mql_csv_encoding_parse(opt->encoding, &r->src.encoding))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "unknown encoding '%s' (expected utf-8, "
				     "windows-1252 or latin1)",
				     opt->encoding);
	if (opt->na && !(r->na = strdup(opt->na)))
		return MQL_ERR_NOMEM;
	r->na_len = opt->na ? strlen(opt->na) : 0;
	if (opt->date_format && !(r->date_format = strdup(opt->date_format)))
		return MQL_ERR_NOMEM;
	if (mql_locale_from_name(opt->locale, &r->locale))
		return mql_error_set(err, MQL_ERR_INPUT, name, 0, 0,
				     "unknown locale '%s'", opt->locale);
	r->block = block;
	if (!(r->buf = malloc(block + READ_PADDING)))
		return MQL_ERR_NOMEM;
	memset(r->buf + block, 0, READ_PADDING);
	r->fast_split = mql_csv_split_usable((unsigned char)r->delimiter);
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return MQL_ERR_NOMEM;
	r->parser_ready = 1;
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
	csv_set_realloc_func(&r->parser, bounded_realloc);
	csv_set_blk_size(&r->parser, FIELD_GROWTH);
	return 0;
}

/* Skips a UTF-8 byte order mark at the start of the file; one before text
 * read as windows-1252 or latin1 says the file is UTF-8. */
static int skip_bom(mql_csv *r, mql_error *err)
{
	static const char bom_transcoded[] = "\xC3\xAF\xC2\xBB\xC2\xBF";
	while (!r->at_eof && r->buf_end < 6) {
		int status = refill(r, err);
		if (status)
			return status;
	}
	if (r->src.encoding == MQL_CSV_WINDOWS_1252 ||
	    r->src.encoding == MQL_CSV_LATIN1) {
		if (r->buf_end >= 6 && memcmp(r->buf, bom_transcoded, 6) == 0)
			return mql_error_set(
				err, MQL_ERR_INPUT, r->path, 1, 1,
				"UTF-8 byte-order mark (expected %s text: "
				"this file is UTF-8, leave --encoding out)",
				r->src.encoding == MQL_CSV_LATIN1
					? "latin1"
					: "windows-1252");
		return 0;
	}
	r->buf_safe = r->at_eof ? r->buf_end
				: mql_csv_utf8_safe_end(r->buf, r->buf_end);
	if (r->buf_end >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->buf_pos = 3;
	return 0;
}

/* Reads the header of a reader whose source is open; on failure frees
 * it. */
static int start_reading(mql_csv **out, mql_csv *r, int status,
			 const char *name, const mql_csv_options *opt,
			 mql_error *err)
{
	if (!status)
		status = skip_bom(r, err);
	if (!status)
		status = read_header(r, opt, err);
	if (status) {
		if (status == MQL_ERR_NOMEM)
			mql_error_set(err, status, name, 0, 0, "out of memory");
		mql_csv_close(r);
		return status;
	}
	*out = r;
	return 0;
}

int mql_csv_open(mql_csv **out, const char *path, const mql_csv_options *opt,
		 mql_error *err)
{
	mql_csv_options defaults;
	*out = NULL;
	if (!opt) {
		mql_csv_options_init(&defaults);
		opt = &defaults;
	}
	mql_csv *r = calloc(1, sizeof *r);
	if (!r)
		return MQL_ERR_NOMEM;
	int status = open_reader(r, path, READ_BLOCK, opt, err);
	if (!status)
		status = mql_csv_source_open(&r->src, path, r->src.encoding,
					     err);
	if (!status)
		mql_progress_open(r->progress, path);
	return start_reading(out, r, status, path, opt, err);
}

int mql_csv_open_memory(mql_csv **out, const char *name, const void *bytes,
			size_t size, const mql_csv_options *opt, mql_error *err)
{
	mql_csv_options defaults;
	*out = NULL;
	if (!opt) {
		mql_csv_options_init(&defaults);
		opt = &defaults;
	}
	mql_csv *r = calloc(1, sizeof *r);
	if (!r)
		return MQL_ERR_NOMEM;
	/* a small block for a small text (a fuzzer opens thousands) */
	size_t block = size < READ_BLOCK - MEMORY_BLOCK ? size + MEMORY_BLOCK
							: READ_BLOCK;
	int status = open_reader(r, name, block, opt, err);
	if (!status)
		status = mql_csv_source_open_memory(&r->src, bytes, size,
						    r->src.encoding);
	return start_reading(out, r, status, name, opt, err);
}

void mql_csv_close(mql_csv *r)
{
	if (!r)
		return;
	mql_csv_source_close(&r->src);
	if (r->parser_ready)
		csv_free(&r->parser);
	if (r->names)
		for (size_t i = 0; i < r->raw_count; i++)
			free(r->names[i]);
	free(r->names);
	free(r->buf);
	free(r->cells);
	free(r->starts);
	free(r->lens);
	free(r->path);
	free(r->na);
	free(r->date_format);
	free(r);
}

size_t mql_csv_column_count(const mql_csv *r)
{
	return r->column_count;
}

int mql_csv_has_trailing_column(const mql_csv *r)
{
	return r->raw_count > r->column_count;
}

const char *mql_csv_column_name(const mql_csv *r, size_t i)
{
	return i < r->column_count ? r->names[i] : NULL;
}

long mql_csv_find_column(const mql_csv *r, const char *name)
{
	size_t len = strlen(name);
	mql_csv_trim(&name, &len);
	for (size_t i = 0; i < r->column_count; i++)
		if (mql_csv_name_equal(r->names[i], name, len))
			return (long)i;
	return -1;
}

const char *mql_csv_field(const mql_csv *r, size_t i, size_t *len)
{
	if (i >= r->field_count) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = r->lens[i];
	return r->row_base + r->starts[i];
}

int mql_csv_field_missing(const mql_csv *r, size_t i)
{
	size_t len;
	return mql_csv_present_field(r, i, &len) == NULL;
}

const char *mql_csv_present_field(const mql_csv *r, size_t i, size_t *len)
{
	if (i >= r->field_count || (*len = r->lens[i]) == 0)
		return NULL;
	const char *text = r->row_base + r->starts[i];
	/* The NA marker is compared only when one is set and the lengths
	 * agree, which is rare. */
	if (r->na_len == *len && r->na && mql_csv_name_equal(text, r->na, *len))
		return NULL;
	return text;
}

long mql_csv_line(const mql_csv *r)
{
	return r->row_line;
}

const char *mql_csv_path(const mql_csv *r)
{
	return r->path;
}

/* File offset of buf[buf_pos], without file_offset's memory. */
static int64_t position(const mql_csv *r)
{
	return r->offset + mql_csv_source_offset(&r->src, r->buf, r->buf_pos);
}

void mql_csv_position(const mql_csv *r, int64_t *offset, long *line)
{
	*offset = position(r);
	*line = r->line;
}

int mql_csv_set_range(mql_csv *r, int64_t begin, int64_t end, long line,
		      mql_error *err)
{
	int64_t here = position(r);
	/* transcoded text past the range's end: read it again */
	int past = r->src.encoding != MQL_CSV_UTF8 && r->src.next > end;
	if (begin != here || past) {
		if (mql_csv_source_seek(&r->src, begin))
			return mql_error_set(err, MQL_ERR_IO, r->path, line, 0,
					     "cannot seek: %s",
					     strerror(errno));
		r->seeked |= begin != here;
		r->offset = begin;
		r->mapped_pos = 0;
		r->mapped_bytes = 0;
		r->buf_pos = r->buf_safe = r->buf_end = 0;
		r->at_eof = 0;
		r->line = line;
		r->line_start = begin;
	}
	r->limit = end;
	/* The header's block may reach past the range; a range ends after a
	 * line end, so the cut cannot split a UTF-8 sequence. */
	if (r->src.encoding == MQL_CSV_UTF8 &&
	    r->offset + (int64_t)r->buf_end > end) {
		r->buf_end = (size_t)(end - r->offset);
		r->buf_safe = r->buf_end;
	}
	return 0;
}

mql_locale mql_csv_locale(const mql_csv *r)
{
	return r->locale;
}

const char *mql_csv_date_format(const mql_csv *r)
{
	return r->date_format;
}

void mql_csv_set_libcsv_only(mql_csv *r, int libcsv_only)
{
	r->fast_split = !libcsv_only &&
			mql_csv_split_usable((unsigned char)r->delimiter);
}

void mql_csv_note_skipped(const mql_csv *r, enum mql_csv_note_kind kind,
			  long line, long lines)
{
	mql_csv_notes_add(r->notes, kind, r->path, line, lines);
}

int mql_csv_footer_skipped(const mql_csv *r, long *line, long *lines)
{
	*line = r->footer_line;
	*lines = r->footer_lines;
	return r->footer_lines > 0;
}

int mql_csv_ended_in_quotes(const mql_csv *r)
{
	return r->ended_in_quotes;
}

mql_time_day_cache *mql_csv_day_cache(const mql_csv *r)
{
	return r->day_cache;
}
