/*
 * contacts_index.h - the contacts' ids: their text, the search for a
 * repeated id, and the id -> row index (private to contacts).
 *
 * Ids are copied into large blocks (an arena), not one allocation each.
 * Uniqueness is checked once after loading by sorting the ids' hashes, so
 * no hash table is built while rows are read.  The id -> row table is
 * built only when mql_contacts_find is first called: commands that never
 * look an id up (mql-report) never pay for it.
 *
 * The table keeps each id's length and first ID_INLINE bytes in its slot
 * beside the row and the row's created_at: 32 bytes, two to a cache line.
 * A probe for an id of up to ID_INLINE bytes (every integer id, every 15-
 * or 18-character Salesforce id, C0000001) is decided inside the table,
 * one cache miss, without reading the arena or the rows' id pointers, and
 * gives the created_at that the events reader checks every event against:
 * when events come in time order, consecutive ids are far apart and each of
 * those reads would be a miss of its own.  Longer ids (an e-mail address
 * used as the id) are compared in the arena once their first bytes match.
 * The slot keeps no hash tag: the length and bytes it keeps decide as fast,
 * and a tag would take the room the eighteen characters of a Salesforce id
 * need.  An id's home is the first slot of a line, and probing runs on slot by
 * slot from there: at the table's load few probes leave the home line, so one
 * prefetched line is all a probe usually reads.  The table is at most 80% full
 * (linear probing): 40 bytes per contact at worst.
 *
 * Thread safety: contacts_id_index_find may be called from several threads at
 * once (events are joined to contacts on several threads); the first caller
 * builds the table under the index's mutex and publishes it with release
 * ordering, later callers only read it.
 */
#ifndef MQLCAL_CONTACTS_INDEX_H
#define MQLCAL_CONTACTS_INDEX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Blocks holding NUL-ended id texts; a text never moves once copied. */
typedef struct id_arena {
	char **blocks;
	size_t block_count, block_capacity;
	size_t block_used, block_size; /* of the last block */
} id_arena;

/* A NUL-ended copy of id[0..len) in the arena, or NULL when out of
 * memory. */
char *contacts_id_arena_copy(id_arena *a, const char *id, size_t len);

/* Moves the blocks of from into into (from is left empty).  Returns 0, or
 * -1 when out of memory (both unchanged). */
int contacts_id_arena_take(id_arena *into, id_arena *from);

/* Frees the blocks; a may be NULL. */
void contacts_id_arena_release(id_arena *a);

/* The hash of id[0..len) that contacts_id_find_duplicate and the table use. */
uint32_t contacts_id_text_hash(const char *id, size_t len);

/*
 * Looks for an id that appears twice in ids[0..count), hashes[row] being
 * contacts_id_text_hash of ids[row].  Returns 1 with
 * *second the smallest row whose id is on an earlier row and *first the
 * earliest such row (what reading the rows in order would meet first), 0
 * when the ids are unique, -1 when out of memory.
 */
int contacts_id_find_duplicate(char *const *ids, const uint32_t *hashes,
			       size_t count, size_t *first, size_t *second);

/*
 * Whether two of keys[0..count) (64-bit hashes of ids) are equal: 1, else
 * 0, or -1 when out of memory.  Sorts keys in place by their high halves.
 */
int contacts_id_keys_repeat(uint64_t *keys, size_t count);

/* Whether a[0..na) and b[0..nb), each sorted by contacts_id_keys_repeat, share
 * a key: 1, else 0. */
int contacts_id_keys_shared(const uint64_t *a, size_t na, const uint64_t *b,
			    size_t nb);

#define ID_INLINE 19	    /* id bytes kept in a table slot */
#define ID_LONG	  UINT8_MAX /* the length of a slot's id longer than that */

/* A table slot: row 0 = empty.  32 bytes, two to a line. */
typedef struct id_entry {
	uint32_t row;	      /* row + 1 */
	uint8_t length;	      /* the id's bytes, or ID_LONG */
	char text[ID_INLINE]; /* the id's first bytes */
	int64_t created;      /* created[row] of the table's build */
} id_entry;
_Static_assert(sizeof(id_entry) == 32, "two table slots to a cache line");

/* The lazy id -> row table over ids that are known to be unique. */
typedef struct id_index {
	pthread_mutex_t lock;
	id_entry *_Atomic entries; /* NULL until built */
	unsigned entry_bits;	   /* log2 of the slot count */
	uint64_t lengths; /* bit min(length, 63) set for each id's length */
	int failed;	  /* out of memory (read under lock): search linearly */
} id_index;

/* Sets up an empty index (nothing built).  Returns 0 or -1. */
int contacts_id_index_init(id_index *x);

/*
 * Row of id[0..len) among ids[0..count), or -1.  created (may be NULL:
 * every slot's created is then INT64_MIN) is the rows' created_at, kept in
 * the table when the first call of the three below builds it: every call
 * of an index passes the same array.  If building runs out of memory it
 * searches linearly instead.
 */
long contacts_id_index_find(id_index *x, char *const *ids,
			    const int64_t *created, size_t count,
			    const char *id, size_t len);

/* contacts_id_text_hash of id[0..len), its table slot prefetched (the table
 * built on the first call). */
uint32_t contacts_id_index_prefetch(id_index *x, char *const *ids,
				    const int64_t *created, size_t count,
				    const char *id, size_t len);

/* contacts_id_index_find with the hash contacts_id_index_prefetch gave;
 * a row found, *created_at (may be NULL) gets its created[row] from the
 * table. */
long contacts_id_index_find_hashed(id_index *x, char *const *ids,
				   const int64_t *created, size_t count,
				   const char *id, size_t len, uint32_t hash,
				   int64_t *created_at);

/* Frees the table and the mutex; x may be NULL. */
void contacts_id_index_release(id_index *x);

/*
 * a[0..len) == b[0..len), inline: every probe of a time-ordered events file
 * compares an id of a few bytes, where a call to memcmp costs more than
 * the comparison.
 */
static inline int contacts_same_bytes(const char *a, const char *b, size_t len)
{
	for (; len >= 8; a += 8, b += 8, len -= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	for (; len; a++, b++, len--)
		if (*a != *b)
			return 0;
	return 1;
}

#endif
