/*
 * contacts_index.h - the contacts' id -> row index (private to contacts).
 *
 * Ids are copied into large blocks, not one allocation each, and the hash
 * table is one array of 64-bit entries holding the high half of the id's
 * hash and its row, so a probe costs one cache line and growing the table
 * never rereads or rehashes the ids.  Rows are numbered 0, 1, 2, ... in
 * order of insertion; ids[row] is the NUL-ended copy of the row's id.
 */
#ifndef MQLCAL_CONTACTS_INDEX_H
#define MQLCAL_CONTACTS_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct id_index {
	char **ids;	   /* ids[row]: the id, inside one of blocks */
	uint32_t *lengths; /* lengths[row] = strlen(ids[row]) */
	size_t count, capacity;
	uint64_t *entries;   /* 0 = empty, else hash_high << 32 | (row + 1) */
	size_t entry_count;  /* a power of two, at least twice count */
	unsigned entry_bits; /* log2(entry_count) */
	char **blocks;	     /* the id text blocks */
	size_t block_count, block_capacity;
	size_t block_used, block_size; /* of the last block */
} id_index;

/* The hash id_index_add needs, taken apart so that a caller can prefetch
 * the id's slot and do other work while it arrives. */
uint32_t id_index_hash(const char *id, size_t len);
void id_index_prefetch(const id_index *x, uint32_t hash);

/* Row of id[0..len) with hash = id_index_hash(id, len): *row is set to the
 * existing row, or to a new row (count - 1 after the call) when the id is new.
 * Returns 1 when it was already there, 0 when added, -1 when out of memory or
 * full. */
int id_index_add(id_index *x, const char *id, size_t len, uint32_t hash,
		 long *row);

/* Row of id[0..len), or -1. */
long id_index_find(const id_index *x, const char *id, size_t len);

/* Frees what x holds (x itself is the caller's); x may be NULL. */
void id_index_release(id_index *x);

#endif
