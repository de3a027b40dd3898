/*
 * dict.h - string interning: each distinct string gets a dense index.
 *
 * Channels, campaigns, categorical levels and event types are stored as
 * indices into a dictionary, so a contact row or an event is a few integers.
 * Indices are assigned 0, 1, 2, ... in order of first appearance and never
 * change.  The dictionary owns copies of its strings.  Lookup is exact
 * (byte-wise); callers trim before interning.  Case-insensitive matching of
 * rule values is done per level, once, by the rule code.
 */
#ifndef MQLCAL_DICT_H
#define MQLCAL_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct mql_dict {
	char **names;	 /* names[i] is the string of index i (NUL-ended) */
	size_t count;	 /* number of distinct strings */
	size_t capacity; /* allocated entries of names */
	int32_t *slots;	 /* open-addressing hash table of indices, -1 = empty */
	size_t slot_count; /* a power of two */
	size_t *lengths;   /* lengths[i] is strlen(names[i]) */
	uint32_t *tags;	   /* per slot, high hash bits of its string */
} mql_dict;

/* Initializes an empty dictionary (no allocation yet). */
void mql_dict_init(mql_dict *d);

/* Frees everything the dictionary holds.  d may be NULL. */
void mql_dict_release(mql_dict *d);

/*
 * Returns the index of s[0..len), adding it if new; -1 if out of memory.
 * s need not be NUL-terminated.
 */
int32_t mql_dict_intern(mql_dict *d, const char *s, size_t len);

/* Returns the index of s[0..len), or -1 if it is not in the dictionary. */
int32_t mql_dict_find(const mql_dict *d, const char *s, size_t len);

/* The string of index i, or NULL when i is out of range. */
const char *mql_dict_name(const mql_dict *d, int32_t i);

/*
 * The hash the dictionary uses for s[0..len) (64-bit, well mixed), for other
 * open-addressing tables.  Cannot fail.
 */
uint64_t mql_dict_hash(const char *s, size_t len);

/*
 * For an array kept parallel to a dictionary (item i belongs to index i):
 * returns items grown so that index fits, the new items zero-filled, with
 * *capacity updated (it doubles, from 16).  Returns items itself when index
 * already fits, and NULL when out of memory; items is then untouched and
 * still the caller's to free.
 */
void *mql_dict_grow_parallel(void *items, size_t *capacity, size_t item_size,
			     size_t index);

/*
 * A small direct-mapped cache in front of one dictionary, for a column of a
 * few dozen names repeated millions of times (event types, channels,
 * campaigns).  A slot keeps a name's length and its first and last eight
 * bytes, which are the whole name up to 16 bytes, so a hit usually touches
 * no string; a miss, or two names sharing a slot, falls back to
 * mql_dict_intern and only costs time.  The cache belongs to one thread and
 * one dictionary.
 */
#define MQL_DICT_CACHE_SLOTS 256 /* a power of two */

typedef struct mql_dict_cache_slot {
	uint64_t head, tail; /* first and last 8 bytes, zero-padded */
	size_t len;
	int32_t index; /* -1 = empty */
} mql_dict_cache_slot;

typedef struct mql_dict_cache {
	mql_dict_cache_slot slot[MQL_DICT_CACHE_SLOTS];
} mql_dict_cache;

/* Empties the cache. */
void mql_dict_cache_init(mql_dict_cache *c);

/* mql_dict_intern(d, s, len) through cache c; -1 when out of memory. */
int32_t mql_dict_intern_cached(mql_dict *d, mql_dict_cache *c, const char *s,
			       size_t len);

#endif
