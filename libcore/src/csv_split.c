/*
 * csv_split.c - splits a common CSV line in the read buffer, without
 * copying, 16 or 32 bytes at a time.
 *
 * Nearly every line of an export is one row: plain fields, and now and then
 * a quoted field that opens and closes on the line.  Such a line is found
 * and split here in one pass over bitmasks of its delimiters, quotes, line
 * ends and carriage returns (32 bytes at a time with AVX2 on processors
 * that have it, 16 with SSE2 where the compiler offers it, eight bytes of a
 * 64-bit word at a time otherwise; all give the same masks).  The scan
 * only reads; anything it does not take for certain (a quote inside an
 * unquoted field, text after a closing quote, a quoted field running past
 * the line end, a carriage return not just before the line feed, a blank
 * line, a NUL byte) is left, bytes untouched, to libcsv, whose errors and
 * positions the reader reports.  Taking the line then writes a NUL after each
 * field and turns doubled quotes into one, inside the field's own bytes.
 */
#include "csv_internal.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define HAVE_AVX2_TARGET 1
#endif

/* lens[] flag of a quoted field whose doubled quotes are still doubled. */
#define DOUBLED_QUOTES (~(SIZE_MAX >> 1))

#define ONES  0x0101010101010101ULL
#define LOW7  0x7F7F7F7F7F7F7F7FULL
#define HIGHS 0x8080808080808080ULL

enum field_state { UNQUOTED, IN_QUOTES, AFTER_QUOTES };

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* 0x80 in each byte of word that is zero, 0 elsewhere (exact: no carries
 * between bytes). */
static uint64_t zero_bytes(uint64_t word)
{
	uint64_t low = (word & LOW7) + LOW7;
	return ~(low | word | LOW7);
}

/* Gathers the top bit of each byte of word into bits 0..7 (byte 0 first). */
static uint32_t gather_bits(uint64_t high_bits)
{
	return (uint32_t)(((high_bits >> 7) * 0x0102040810204080ULL) >> 56);
}

/* The masks of 8 bytes at s: special = delimiter, quote, CR, LF or NUL;
 * unusual = quote, CR or NUL; high = bytes >= 0x80; blank = space or tab. */
static void classify8(const unsigned char *s, uint64_t delimiter_bytes,
		      uint32_t *special, uint32_t *unusual, uint32_t *high,
		      uint32_t *blank)
{
	uint64_t word;
	memcpy(&word, s, 8);
	uint64_t odd = zero_bytes(word ^ (ONES * '"')) |
		       zero_bytes(word ^ (ONES * '\r')) | zero_bytes(word);
	uint64_t hits = zero_bytes(word ^ delimiter_bytes) | odd |
			zero_bytes(word ^ (ONES * '\n'));
	*special = gather_bits(hits);
	*unusual = gather_bits(odd);
	*high = gather_bits(word & HIGHS);
	*blank = gather_bits(zero_bytes(word ^ (ONES * ' ')) |
			     zero_bytes(word ^ (ONES * '\t')));
}

/* The masks of 16 bytes at s, one bit per byte, without vector code. */
static void classify16_portable(const unsigned char *s, unsigned char delimiter,
				uint32_t *special, uint32_t *unusual,
				uint32_t *high, uint32_t *blank)
{
	uint64_t delimiter_bytes = ONES * delimiter;
	uint32_t special_low, special_high, odd_low, odd_high, high_low,
		high_high, blank_low, blank_high;
	classify8(s, delimiter_bytes, &special_low, &odd_low, &high_low,
		  &blank_low);
	classify8(s + 8, delimiter_bytes, &special_high, &odd_high, &high_high,
		  &blank_high);
	*special = special_low | special_high << 8;
	*unusual = odd_low | odd_high << 8;
	*high = high_low | high_high << 8;
	*blank = blank_low | blank_high << 8;
}

#ifdef __SSE2__
static void classify16_sse2(const unsigned char *s, unsigned char delimiter,
			    uint32_t *special, uint32_t *unusual,
			    uint32_t *high, uint32_t *blank)
{
	__m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i odd = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\r'))),
		_mm_cmpeq_epi8(bytes, _mm_setzero_si128()));
	__m128i hits = _mm_or_si128(
		_mm_or_si128(
			_mm_cmpeq_epi8(bytes, _mm_set1_epi8((char)delimiter)),
			odd),
		_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n')));
	*special = (uint32_t)_mm_movemask_epi8(hits);
	*unusual = (uint32_t)_mm_movemask_epi8(odd);
	*high = (uint32_t)_mm_movemask_epi8(bytes);
	*blank = (uint32_t)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(' ')),
			     _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\t'))));
}
#endif

#ifdef HAVE_AVX2_TARGET
/* The masks of 32 bytes at s, on processors with AVX2 (checked at run
 * time: the build does not assume it). */
__attribute__((target("avx2"))) static inline void
classify32_avx2(const unsigned char *s, unsigned char delimiter,
		uint32_t *special, uint32_t *unusual, uint32_t *high,
		uint32_t *blank)
{
	__m256i bytes = _mm256_loadu_si256((const __m256i *)(const void *)s);
	__m256i odd = _mm256_or_si256(
		_mm256_or_si256(
			_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('"')),
			_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\r'))),
		_mm256_cmpeq_epi8(bytes, _mm256_setzero_si256()));
	__m256i hits = _mm256_or_si256(
		_mm256_or_si256(
			_mm256_cmpeq_epi8(bytes,
					  _mm256_set1_epi8((char)delimiter)),
			odd),
		_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\n')));
	*special = (uint32_t)_mm256_movemask_epi8(hits);
	*unusual = (uint32_t)_mm256_movemask_epi8(odd);
	*high = (uint32_t)_mm256_movemask_epi8(bytes);
	*blank = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(' ')),
		_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\t'))));
}
#endif

/* True when s[from..to) holds only blanks (or nothing). */
static int all_blank(const unsigned char *s, size_t from, size_t to)
{
	while (from < to && is_blank(s[from]))
		from++;
	return from == to;
}

/* The fields found so far.  Kept in locals by the scan, not in the
 * caller's mql_csv_split: stores to starts[] and lens[] could alias its
 * count, which would then be reread after every field. */
typedef struct fields {
	size_t *starts, *lens;
	size_t count, cap;
} fields;

/* Stores field s[from..to) trimmed of blanks as the next field; an empty
 * field sits at to, so that its NUL lands on what follows it. */
static inline void store_field(fields *f, const unsigned char *s, size_t from,
			       size_t to, size_t flag)
{
	while (from < to && is_blank(s[from]))
		from++;
	while (to > from && is_blank(s[to - 1]))
		to--;
	f->starts[f->count] = from;
	f->lens[f->count] = (to - from) | (to > from ? flag : 0);
	f->count++;
}

/* Stores field s[from..to), which has no blank at either end. */
static inline void store_plain_field(fields *f, size_t from, size_t to)
{
	f->starts[f->count] = from;
	f->lens[f->count] = to - from;
	f->count++;
}

/* The bytes of a block of each kind of scan. */
static size_t block_bytes(enum mql_csv_split_kind kind)
{
	return kind == MQL_CSV_SPLIT_AVX2 ? 32 : 16;
}

/* The masks of the block at s for kind. */
static inline __attribute__((always_inline)) void
classify(enum mql_csv_split_kind kind, const unsigned char *s,
	 unsigned char delimiter, uint32_t *special, uint32_t *unusual,
	 uint32_t *high, uint32_t *blank)
{
#ifdef HAVE_AVX2_TARGET
	if (kind == MQL_CSV_SPLIT_AVX2) {
		classify32_avx2(s, delimiter, special, unusual, high, blank);
		return;
	}
#endif
#ifdef __SSE2__
	if (kind == MQL_CSV_SPLIT_SSE2) {
		classify16_sse2(s, delimiter, special, unusual, high, blank);
		return;
	}
#endif
	classify16_portable(s, delimiter, special, unusual, high, blank);
}

/*
 * The scan shared by every classifier (kind is a constant in each caller,
 * so each gets its own loop).  State carried across the blocks: where the
 * field began, whether it is quoted and where its quotes are, and the
 * second quote of a doubled pair to pass over.
 */
static inline __attribute__((always_inline)) int
scan_fields(mql_csv_split *line, fields *found, const unsigned char *s,
	    size_t avail, unsigned char delimiter, enum mql_csv_split_kind kind)
{
	const size_t width = block_bytes(kind);
	/* a block's first and last bytes */
	const uint32_t block_ends = 1u | 1u << (width - 1);
	enum field_state state = UNQUOTED;
	size_t field_start = 0, content_start = 0, close_quote = 0;
	size_t skip_to = 0, doubled = 0;
	uint32_t non_ascii = 0;
	/* Set once a blank byte is seen next to a delimiter or a line end,
	 * or at either end of a block (whose neighbour is in the next or
	 * last block): from then on the line's fields are trimmed, blanks
	 * being rare there, and before it none needs to be. */
	int trimming = 0;
	for (size_t base = 0; base < avail; base += width) {
		uint32_t special, unusual, high, blank;
		classify(kind, s + base, delimiter, &special, &unusual, &high,
			 &blank);
		if (avail - base < width) {
			uint32_t in_data = (1u << (avail - base)) - 1;
			special &= in_data;
			unusual &= in_data;
			high &= in_data;
			blank &= in_data;
		}
		trimming |= (blank &
			     (special << 1 | special >> 1 | block_ends)) != 0;
		/* The common block: unquoted fields, no quote or CR in it.
		 * Its special bytes are delimiters and at most one line
		 * end, handled as the loop below would, with fewer tests. */
		if (state == UNQUOTED && !unusual && skip_to <= base) {
			for (; special; special &= special - 1) {
				size_t pos =
					base + (size_t)__builtin_ctz(special);
				if (found->count == found->cap)
					return MQL_CSV_SPLIT_FULL;
				if (trimming)
					store_field(found, s, field_start, pos,
						    0);
				else
					store_plain_field(found, field_start,
							  pos);
				if (s[pos] == '\n') {
					/* a blank line is no row */
					if (found->count == 1 &&
					    found->lens[0] == 0)
						return MQL_CSV_SPLIT_OTHER;
					uint32_t upto =
						(2u << (pos - base)) - 1;
					line->length = pos + 1;
					line->non_ascii = (non_ascii |
							   (high & upto)) != 0;
					return MQL_CSV_SPLIT_TAKEN;
				}
				field_start = pos + 1;
			}
			non_ascii |= high;
			continue;
		}
		for (; special; special &= special - 1) {
			size_t pos = base + (size_t)__builtin_ctz(special);
			unsigned char c = s[pos];
			if (c == '\0')
				return MQL_CSV_SPLIT_OTHER; /* an error */
			if (pos < skip_to)
				continue;
			if (c == '"') {
				if (state == UNQUOTED) {
					if (!all_blank(s, field_start, pos))
						return MQL_CSV_SPLIT_OTHER;
					state = IN_QUOTES;
					content_start = pos + 1;
					doubled = 0;
				} else if (state == AFTER_QUOTES) {
					return MQL_CSV_SPLIT_OTHER;
				} else if (pos + 1 < avail &&
					   s[pos + 1] == '"') {
					doubled = DOUBLED_QUOTES;
					skip_to = pos + 2;
				} else {
					state = AFTER_QUOTES;
					close_quote = pos;
				}
				continue;
			}
			if (state == IN_QUOTES) {
				if (c == delimiter)
					continue;
				return MQL_CSV_SPLIT_OTHER; /* spans lines */
			}
			/* A delimiter or the line end closes the field. */
			size_t line_length = 0;
			if (c == '\r') {
				if (pos + 1 >= avail)
					return MQL_CSV_SPLIT_PARTIAL;
				if (s[pos + 1] != '\n')
					return MQL_CSV_SPLIT_OTHER;
				line_length = pos + 2;
			} else if (c == '\n') {
				line_length = pos + 1;
			}
			if (found->count == found->cap)
				return MQL_CSV_SPLIT_FULL;
			if (state == AFTER_QUOTES) {
				if (!all_blank(s, close_quote + 1, pos))
					return MQL_CSV_SPLIT_OTHER;
				store_field(found, s, content_start,
					    close_quote, doubled);
			} else {
				store_field(found, s, field_start, pos, 0);
				/* A blank line is no row (libcsv skips it). */
				if (line_length && found->count == 1 &&
				    found->lens[0] == 0)
					return MQL_CSV_SPLIT_OTHER;
			}
			if (line_length) {
				uint32_t upto = (2u << (pos - base)) - 1;
				line->length = line_length;
				line->non_ascii =
					(non_ascii | (high & upto)) != 0;
				return MQL_CSV_SPLIT_TAKEN;
			}
			state = UNQUOTED;
			field_start = pos + 1;
		}
		non_ascii |= high;
	}
	return MQL_CSV_SPLIT_PARTIAL;
}

/* scan_fields with the found fields in locals, then in line. */
static inline __attribute__((always_inline)) int
scan_line(mql_csv_split *line, const unsigned char *s, size_t avail,
	  unsigned char delimiter, enum mql_csv_split_kind kind)
{
	fields found = {line->starts, line->lens, 0, line->cap};
	int result = scan_fields(line, &found, s, avail, delimiter, kind);
	line->count = found.count;
	return result;
}

static int scan_portable(mql_csv_split *line, const unsigned char *s,
			 size_t avail, unsigned char delimiter)
{
	return scan_line(line, s, avail, delimiter, MQL_CSV_SPLIT_PORTABLE);
}

#ifdef __SSE2__
static int scan_sse2(mql_csv_split *line, const unsigned char *s, size_t avail,
		     unsigned char delimiter)
{
	return scan_line(line, s, avail, delimiter, MQL_CSV_SPLIT_SSE2);
}
#endif

#ifdef HAVE_AVX2_TARGET
__attribute__((target("avx2"))) static int scan_avx2(mql_csv_split *line,
						     const unsigned char *s,
						     size_t avail,
						     unsigned char delimiter)
{
	return scan_line(line, s, avail, delimiter, MQL_CSV_SPLIT_AVX2);
}
#endif

int mql_csv_split_has(enum mql_csv_split_kind kind)
{
	switch (kind) {
	case MQL_CSV_SPLIT_PORTABLE: return 1;
	case MQL_CSV_SPLIT_SSE2:
#ifdef __SSE2__
		return 1;
#else
		return 0;
#endif
	case MQL_CSV_SPLIT_AVX2:
#ifdef HAVE_AVX2_TARGET
		return __builtin_cpu_supports("avx2");
#else
		return 0;
#endif
	}
	return 0;
}

int mql_csv_split_scan_kind(mql_csv_split *line, const unsigned char *s,
			    size_t avail, unsigned char delimiter,
			    enum mql_csv_split_kind kind)
{
	if (!mql_csv_split_has(kind))
		return MQL_CSV_SPLIT_OTHER;
#ifdef HAVE_AVX2_TARGET
	if (kind == MQL_CSV_SPLIT_AVX2)
		return scan_avx2(line, s, avail, delimiter);
#endif
#ifdef __SSE2__
	if (kind == MQL_CSV_SPLIT_SSE2)
		return scan_sse2(line, s, avail, delimiter);
#endif
	return scan_portable(line, s, avail, delimiter);
}

int mql_csv_split_scan(mql_csv_split *line, const unsigned char *s,
		       size_t avail, unsigned char delimiter)
{
#ifdef HAVE_AVX2_TARGET
	if (__builtin_cpu_supports("avx2"))
		return scan_avx2(line, s, avail, delimiter);
#endif
#ifdef __SSE2__
	return scan_sse2(line, s, avail, delimiter);
#else
	return scan_portable(line, s, avail, delimiter);
#endif
}

void mql_csv_split_take(mql_csv_split *line, unsigned char *s)
{
	/* locals: the stores to s could alias line's fields */
	size_t *starts = line->starts, *lens = line->lens;
	size_t count = line->count;
	for (size_t i = 0; i < count; i++) {
		size_t start = starts[i], len = lens[i];
		if (len & DOUBLED_QUOTES) {
			len &= ~DOUBLED_QUOTES;
			size_t kept = start;
			for (size_t k = start; k < start + len; k++) {
				s[kept++] = s[k];
				k += s[k] == '"'; /* the pair's second quote */
			}
			len = kept - start;
			lens[i] = len;
		}
		s[start + len] = '\0';
	}
}

int mql_csv_split_usable(unsigned char delimiter)
{
	return delimiter != '"' && delimiter != '\n' && delimiter != '\r' &&
	       delimiter < 0x80;
}
