/*
 * contacts_index.c - the id -> row hash index of the contacts table.
 *
 * Loading a million contacts is dominated by inserting their ids, so the
 * index avoids what a general dictionary pays for: a separate tag array
 * (two cache misses per probe), a malloc per string, and rehashing every
 * string when the table doubles.  An entry's slot is taken from the top
 * bits of the hash's high half, which the entry keeps, so doubling moves
 * entries using only the entries themselves.
 */
/* madvise hints (MADV_HUGEPAGE) beyond POSIX, where glibc has them. */
#define _DEFAULT_SOURCE

#include "contacts_index.h"

#include <mqlcal/dict.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MIN_ENTRY_BITS 10
#define ID_BLOCK_SIZE  ((size_t)1 << 20)
#define MAX_ROWS       ((size_t)INT32_MAX)
#define HUGE_PAGE      ((size_t)2 << 20)

/* The high half of the hash: the entry tag, and its top bits the slot. */
uint32_t id_index_hash(const char *id, size_t len)
{
	return (uint32_t)(mql_dict_hash(id, len) >> 32);
}

static size_t home_slot(const id_index *x, uint32_t high)
{
	return (size_t)(high >> (32 - x->entry_bits));
}

void id_index_prefetch(const id_index *x, uint32_t hash)
{
	if (x->entry_count)
		__builtin_prefetch(&x->entries[home_slot(x, hash)]);
}

/* Slot holding id, or the empty slot where it would go. */
static size_t probe(const id_index *x, const char *id, size_t len,
		    uint32_t high)
{
	size_t mask = x->entry_count - 1;
	size_t slot = home_slot(x, high);
	for (;;) {
		uint64_t entry = x->entries[slot];
		if (entry == 0)
			return slot;
		if ((uint32_t)(entry >> 32) == high) {
			size_t row = (size_t)(uint32_t)entry - 1;
			if (x->lengths[row] == len &&
			    memcmp(x->ids[row], id, len) == 0)
				return slot;
		}
		slot = (slot + 1) & mask;
	}
}

/*
 * A zeroed table of count entries.  A large one is aligned to and advised
 * into huge pages where the system has them: its accesses are random, and
 * with 4 KiB pages nearly every probe would also miss the TLB.
 */
static uint64_t *new_entries(size_t count)
{
	size_t bytes = count * sizeof(uint64_t);
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
	return calloc(count, sizeof(uint64_t));
}

/* Doubles the table (or creates it), moving entries by their tags. */
static int grow_entries(id_index *x)
{
	unsigned bits = x->entry_bits ? x->entry_bits + 1 : MIN_ENTRY_BITS;
	if (bits > 32)
		return -1;
	size_t count = (size_t)1 << bits;
	uint64_t *entries = new_entries(count);
	if (!entries)
		return -1;
	uint64_t *old = x->entries;
	size_t old_count = x->entry_count;
	x->entries = entries;
	x->entry_count = count;
	x->entry_bits = bits;
	for (size_t i = 0; i < old_count; i++) {
		if (old[i] == 0)
			continue;
		size_t slot = home_slot(x, (uint32_t)(old[i] >> 32));
		while (entries[slot] != 0)
			slot = (slot + 1) & (count - 1);
		entries[slot] = old[i];
	}
	free(old);
	return 0;
}

/* Makes room for one more row in ids and lengths. */
static int grow_rows(id_index *x)
{
	if (x->count < x->capacity)
		return 0;
	size_t capacity = x->capacity ? x->capacity * 2 : 1024;
	char **ids = realloc(x->ids, capacity * sizeof *ids);
	if (!ids)
		return -1;
	x->ids = ids;
	uint32_t *lengths = realloc(x->lengths, capacity * sizeof *lengths);
	if (!lengths)
		return -1;
	x->lengths = lengths;
	x->capacity = capacity;
	return 0;
}

/* A NUL-ended copy of id[0..len) in the current block (or a new one). */
static char *copy_id(id_index *x, const char *id, size_t len)
{
	if (x->block_count == 0 || x->block_size - x->block_used < len + 1) {
		if (x->block_count == x->block_capacity) {
			size_t capacity =
				x->block_capacity ? x->block_capacity * 2 : 16;
			char **blocks =
				realloc(x->blocks, capacity * sizeof *blocks);
			if (!blocks)
				return NULL;
			x->blocks = blocks;
			x->block_capacity = capacity;
		}
		size_t size = len + 1 > ID_BLOCK_SIZE ? len + 1 : ID_BLOCK_SIZE;
		char *block = malloc(size);
		if (!block)
			return NULL;
		x->blocks[x->block_count++] = block;
		x->block_used = 0;
		x->block_size = size;
	}
	char *copy = x->blocks[x->block_count - 1] + x->block_used;
	memcpy(copy, id, len);
	copy[len] = '\0';
	x->block_used += len + 1;
	return copy;
}

int id_index_add(id_index *x, const char *id, size_t len, uint32_t high,
		 long *row)
{
	if ((x->count + 1) * 2 > x->entry_count && grow_entries(x) < 0)
		return -1;
	if (x->count >= MAX_ROWS || len > UINT32_MAX)
		return -1;
	size_t slot = probe(x, id, len, high);
	if (x->entries[slot] != 0) {
		*row = (long)(uint32_t)x->entries[slot] - 1;
		return 1;
	}
	if (grow_rows(x) < 0)
		return -1;
	char *copy = copy_id(x, id, len);
	if (!copy)
		return -1;
	size_t added = x->count++;
	x->ids[added] = copy;
	x->lengths[added] = (uint32_t)len;
	x->entries[slot] = (uint64_t)high << 32 | (uint64_t)(added + 1);
	*row = (long)added;
	return 0;
}

long id_index_find(const id_index *x, const char *id, size_t len)
{
	if (x->entry_count == 0)
		return -1;
	size_t slot = probe(x, id, len, id_index_hash(id, len));
	uint64_t entry = x->entries[slot];
	return entry ? (long)(uint32_t)entry - 1 : -1;
}

void id_index_release(id_index *x)
{
	if (!x)
		return;
	for (size_t b = 0; b < x->block_count; b++)
		free(x->blocks[b]);
	free(x->blocks);
	free(x->ids);
	free(x->lengths);
	free(x->entries);
	memset(x, 0, sizeof *x);
}
