/*
 * contacts_index.c - the contacts' id arena, duplicate search and lazy
 * id -> row table (see contacts_index.h).
 *
 * The duplicate search sorts one 64-bit key per row, the high half of the
 * id's hash above the row, by a radix sort of the hash half only: being
 * stable, it keeps each run of equal hashes in row order, so comparing
 * texts inside the (tiny) runs finds the earliest repeat directly.
 */
/* madvise hints (MADV_HUGEPAGE) beyond POSIX, where glibc has them. */
#define _DEFAULT_SOURCE

#include "contacts_index.h"
#include "radix.h"
#include "huge_pages.h"

#include <mqlcal/dict.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ID_BLOCK_SIZE ((size_t)1 << 20)
#define HUGE_PAGE     ((size_t)2 << 20)

char *contacts_id_arena_copy(id_arena *a, const char *id, size_t len)
{
	if (a->block_count == 0 || a->block_size - a->block_used < len + 1) {
		if (a->block_count == a->block_capacity) {
			size_t capacity =
				a->block_capacity ? a->block_capacity * 2 : 16;
			char **blocks =
				realloc(a->blocks, capacity * sizeof *blocks);
			if (!blocks)
				return NULL;
			a->blocks = blocks;
			a->block_capacity = capacity;
		}
		size_t size = len + 1 > ID_BLOCK_SIZE ? len + 1 : ID_BLOCK_SIZE;
		char *block = malloc(size);
		if (!block)
			return NULL;
		a->blocks[a->block_count++] = block;
		a->block_used = 0;
		a->block_size = size;
	}
	char *copy = a->blocks[a->block_count - 1] + a->block_used;
	memcpy(copy, id, len);
	copy[len] = '\0';
	a->block_used += len + 1;
	return copy;
}

int contacts_id_arena_take(id_arena *into, id_arena *from)
{
	size_t count = into->block_count + from->block_count;
	if (count > into->block_capacity) {
		char **blocks = realloc(into->blocks, count * sizeof *blocks);
		if (!blocks)
			return -1;
		into->blocks = blocks;
		into->block_capacity = count;
	}
	if (from->block_count == 0)
		return 0;
	/* from's last block goes last, so it is the one into fills next */
	memcpy(into->blocks + into->block_count, from->blocks,
	       from->block_count * sizeof *from->blocks);
	into->block_count = count;
	into->block_used = from->block_used;
	into->block_size = from->block_size;
	free(from->blocks);
	memset(from, 0, sizeof *from);
	return 0;
}

void contacts_id_arena_release(id_arena *a)
{
	if (!a)
		return;
	for (size_t b = 0; b < a->block_count; b++)
		free(a->blocks[b]);
	free(a->blocks);
	memset(a, 0, sizeof *a);
}

/* The high half of the id's hash: the sort key, and (its top bits) the
 * table slot. */
uint32_t contacts_id_text_hash(const char *id, size_t len)
{
	return (uint32_t)(mql_dict_hash(id, len) >> 32);
}

/* The end of the run of keys[from..count) sharing keys[from]'s high half. */
static size_t run_end(const uint64_t *keys, size_t from, size_t count)
{
	size_t end = from + 1;
	while (end < count && keys[end] >> 32 == keys[from] >> 32)
		end++;
	return end;
}

int contacts_id_find_duplicate(char *const *ids, const uint32_t *hashes,
			       size_t count, size_t *first, size_t *second)
{
	uint64_t *keys = malloc((count ? count : 1) * sizeof *keys);
	int found = 0;
	if (!keys)
		return -1;
	mql_huge_pages_advise(keys, count * sizeof *keys);
	for (size_t row = 0; row < count; row++)
		keys[row] = (uint64_t)hashes[row] << 32 | (uint64_t)row;
	if (mql_radix_sort_in_place(keys, count, 32) < 0) {
		free(keys);
		return -1;
	}
	for (size_t run = 0, end; run < count; run = end) {
		end = run_end(keys, run, count);
		/* in a run rows ascend: the first match of j is its earliest */
		for (size_t j = run + 1; j < end; j++) {
			size_t row = (uint32_t)keys[j];
			if (found && row >= *second)
				break;
			for (size_t i = run; i < j; i++) {
				size_t earlier = (uint32_t)keys[i];
				if (strcmp(ids[earlier], ids[row]) == 0) {
					*first = earlier;
					*second = row;
					found = 1;
					break;
				}
			}
		}
	}
	free(keys);
	return found;
}

int contacts_id_keys_repeat(uint64_t *keys, size_t count)
{
	if (mql_radix_sort_in_place(keys, count, 32) < 0)
		return -1;
	/* runs share their high halves; a 1M-id run is a handful of keys */
	for (size_t run = 0, end; run < count; run = end) {
		end = run_end(keys, run, count);
		for (size_t j = run + 1; j < end; j++)
			for (size_t i = run; i < j; i++)
				if (keys[i] == keys[j])
					return 1;
	}
	return 0;
}

int contacts_id_keys_shared(const uint64_t *a, size_t na, const uint64_t *b,
			    size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		uint64_t x = a[i] >> 32, y = b[j] >> 32;
		if (x != y) {
			i += x < y;
			j += y < x;
			continue;
		}
		size_t i_end = run_end(a, i, na), j_end = run_end(b, j, nb);
		for (size_t p = i; p < i_end; p++)
			for (size_t q = j; q < j_end; q++)
				if (a[p] == b[q])
					return 1;
		i = i_end;
		j = j_end;
	}
	return 0;
}

int contacts_id_index_init(id_index *x)
{
	memset(x, 0, sizeof *x);
	atomic_init(&x->entries, NULL);
	return pthread_mutex_init(&x->lock, NULL) == 0 ? 0 : -1;
}

/*
 * A zeroed table of count entries.  A large one is aligned to and advised
 * into huge pages where the system has them: its accesses are random, and
 * with 4 KiB pages nearly every probe would also miss the TLB.
 */
static id_entry *new_entries(size_t count)
{
	size_t bytes = count * sizeof(id_entry);
#ifdef MADV_HUGEPAGE
	if (bytes >= HUGE_PAGE) {
		void *table = aligned_alloc(HUGE_PAGE, bytes);
		if (!table)
			return NULL;
		madvise(table, bytes, MADV_HUGEPAGE); /* only a hint */
		memset(table, 0, bytes);
		return table;
	}
#endif
	/* line-aligned, so that a home slot starts a line */
	id_entry *table = aligned_alloc(64, bytes);
	if (table)
		memset(table, 0, bytes);
	return table;
}

/* The first slot of the id's home line: a probe looks at both slots of
 * that line before it runs on to the next. */
static size_t home_slot(unsigned bits, uint32_t tag)
{
	return (size_t)(tag >> (32 - bits)) & ~(size_t)1;
}

/* Builds the table of ids[0..count), at most 80% full; NULL when out of
 * memory. */
static id_entry *build_entries(char *const *ids, const int64_t *created,
			       size_t count, unsigned *bits, uint64_t *lengths)
{
	unsigned entry_bits = 10;
	while (((size_t)1 << entry_bits) < count + count / 4 && entry_bits < 32)
		entry_bits++;
	size_t mask = ((size_t)1 << entry_bits) - 1;
	id_entry *entries = new_entries(mask + 1);
	if (!entries || count + count / 4 > mask + 1 || count >= UINT32_MAX) {
		free(entries);
		return NULL;
	}
	for (size_t row = 0; row < count; row++) {
		size_t len = strlen(ids[row]);
		uint32_t tag = contacts_id_text_hash(ids[row], len);
		size_t slot = home_slot(entry_bits, tag);
		while (entries[slot].row != 0)
			slot = (slot + 1) & mask;
		entries[slot].row = (uint32_t)(row + 1);
		entries[slot].length =
			len <= ID_INLINE ? (uint8_t)len : ID_LONG;
		memcpy(entries[slot].text, ids[row],
		       len < ID_INLINE ? len : ID_INLINE);
		entries[slot].created = created ? created[row] : INT64_MIN;
		*lengths |= (uint64_t)1 << (len < 63 ? len : 63);
	}
	*bits = entry_bits;
	return entries;
}

/* The table, built by the first caller. */
static const id_entry *table_of(id_index *x, char *const *ids,
				const int64_t *created, size_t count)
{
	id_entry *entries =
		atomic_load_explicit(&x->entries, memory_order_acquire);
	if (entries)
		return entries;
	pthread_mutex_lock(&x->lock);
	entries = atomic_load_explicit(&x->entries, memory_order_relaxed);
	if (!entries && !x->failed) {
		entries = build_entries(ids, created, count, &x->entry_bits,
					&x->lengths);
		x->failed = entries == NULL;
		atomic_store_explicit(&x->entries, entries,
				      memory_order_release);
	}
	pthread_mutex_unlock(&x->lock);
	return entries;
}

static int same_id(const char *stored, const char *id, size_t len)
{
	return strncmp(stored, id, len) == 0 && stored[len] == '\0';
}

/* Whether the slot holds id[0..len): an id of up to ID_INLINE bytes is
 * decided by the slot; a longer one is compared in the arena once its first
 * bytes match. */
static int entry_is(const id_entry *e, char *const *ids, const char *id,
		    size_t len)
{
	if (len <= ID_INLINE)
		return e->length == len &&
		       contacts_same_bytes(e->text, id, len);
	return e->length == ID_LONG &&
	       contacts_same_bytes(e->text, id, ID_INLINE) &&
	       same_id(ids[e->row - 1], id, len);
}

/* Whether some id of the table is len bytes long: an id of another length
 * (a report's 15-character Salesforce id against an export's 18) is known
 * to be missing without a probe. */
static int has_length(const id_index *x, size_t len)
{
	return (int)(x->lengths >> (len < 63 ? len : 63) & 1);
}

uint32_t contacts_id_index_prefetch(id_index *x, char *const *ids,
				    const int64_t *created, size_t count,
				    const char *id, size_t len)
{
	const id_entry *entries = table_of(x, ids, created, count);
	uint32_t tag = contacts_id_text_hash(id, len);
	/* the home line: few probes run on past its slots */
	if (entries && has_length(x, len))
		__builtin_prefetch(&entries[home_slot(x->entry_bits, tag)]);
	return tag;
}

long contacts_id_index_find(id_index *x, char *const *ids,
			    const int64_t *created, size_t count,
			    const char *id, size_t len)
{
	return contacts_id_index_find_hashed(x, ids, created, count, id, len,
					     contacts_id_text_hash(id, len),
					     NULL);
}

long contacts_id_index_find_hashed(id_index *x, char *const *ids,
				   const int64_t *created, size_t count,
				   const char *id, size_t len, uint32_t tag,
				   int64_t *created_at)
{
	const id_entry *entries = table_of(x, ids, created, count);
	if (!entries) {
		for (size_t row = 0; row < count; row++)
			if (same_id(ids[row], id, len)) {
				if (created_at)
					*created_at = created ? created[row]
							      : INT64_MIN;
				return (long)row;
			}
		return -1;
	}
	if (!has_length(x, len))
		return -1;
	size_t mask = ((size_t)1 << x->entry_bits) - 1;
	for (size_t slot = home_slot(x->entry_bits, tag);;
	     slot = (slot + 1) & mask) {
		const id_entry *e = &entries[slot];
		if (e->row == 0)
			return -1;
		if (entry_is(e, ids, id, len)) {
			if (created_at)
				*created_at = e->created;
			return (long)e->row - 1;
		}
	}
}

void contacts_id_index_release(id_index *x)
{
	if (!x)
		return;
	free(atomic_load_explicit(&x->entries, memory_order_relaxed));
	pthread_mutex_destroy(&x->lock);
}
