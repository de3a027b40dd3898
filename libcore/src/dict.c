/*
 * dict.c - string interning with an open-addressing hash table.
 *
 * Slots hold indices into names (-1 = empty) and, in tags, the high bits of
 * the hash, so a probe touches a string only when its tag matches.  The table
 * is kept at most half full, so probes are short even for a million ids.
 */
#include <mqlcal/dict.h>

#include <stdlib.h>
#include <string.h>

#define MIN_SLOTS 16

void mql_dict_init(mql_dict *d)
{
	memset(d, 0, sizeof *d);
}

void mql_dict_release(mql_dict *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++)
		free(d->names[i]);
	free(d->names);
	free(d->lengths);
	free(d->slots);
	free(d->tags);
	memset(d, 0, sizeof *d);
}

/* A final mixer (splitmix64): spreads every input bit over the output. */
static uint64_t mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

uint64_t mql_dict_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len;
	while (len >= 8) {
		uint64_t word;
		memcpy(&word, s, 8);
		h = (h ^ word) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t word = 0;
		memcpy(&word, s, len);
		h = (h ^ word) * 0xc4ceb9fe1a85ec53ULL;
	}
	return mix64(h);
}

/* Slot of s: where it is, or the empty slot where it would go. */
static size_t probe(const mql_dict *d, const char *s, size_t len, uint64_t hash)
{
	size_t mask = d->slot_count - 1;
	size_t slot = (size_t)hash & mask;
	uint32_t tag = (uint32_t)(hash >> 32);
	for (;;) {
		int32_t index = d->slots[slot];
		if (index < 0)
			return slot;
		if (d->tags[slot] == tag && d->lengths[index] == len &&
		    memcmp(d->names[index], s, len) == 0)
			return slot;
		slot = (slot + 1) & mask;
	}
}

/* Doubles the slot table (or creates it) and reinserts every index. */
static int grow_slots(mql_dict *d)
{
	size_t slot_count = d->slot_count ? d->slot_count * 2 : MIN_SLOTS;
	int32_t *slots = malloc(slot_count * sizeof *slots);
	uint32_t *tags = malloc(slot_count * sizeof *tags);
	if (!slots || !tags) {
		free(slots);
		free(tags);
		return -1;
	}
	memset(slots, 0xff, slot_count * sizeof *slots);
	free(d->slots);
	free(d->tags);
	d->slots = slots;
	d->tags = tags;
	d->slot_count = slot_count;
	for (size_t i = 0; i < d->count; i++) {
		uint64_t hash = mql_dict_hash(d->names[i], d->lengths[i]);
		size_t slot = probe(d, d->names[i], d->lengths[i], hash);
		d->slots[slot] = (int32_t)i;
		d->tags[slot] = (uint32_t)(hash >> 32);
	}
	return 0;
}

/* Makes room for one more name in names and lengths. */
static int grow_names(mql_dict *d)
{
	if (d->count < d->capacity)
		return 0;
	size_t capacity = d->capacity ? d->capacity * 2 : 16;
	char **names = realloc(d->names, capacity * sizeof *names);
	if (!names)
		return -1;
	d->names = names;
	size_t *lengths = realloc(d->lengths, capacity * sizeof *lengths);
	if (!lengths)
		return -1;
	d->lengths = lengths;
	d->capacity = capacity;
	return 0;
}

int32_t mql_dict_intern(mql_dict *d, const char *s, size_t len)
{
	if ((d->count + 1) * 2 > d->slot_count && grow_slots(d) < 0)
		return -1;
	if (d->count >= INT32_MAX)
		return -1;
	uint64_t hash = mql_dict_hash(s, len);
	size_t slot = probe(d, s, len, hash);
	if (d->slots[slot] >= 0)
		return d->slots[slot];
	if (grow_names(d) < 0)
		return -1;
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	int32_t index = (int32_t)d->count;
	d->names[index] = copy;
	d->lengths[index] = len;
	d->count++;
	d->slots[slot] = index;
	d->tags[slot] = (uint32_t)(hash >> 32);
	return index;
}

int32_t mql_dict_find(const mql_dict *d, const char *s, size_t len)
{
	if (d->count == 0)
		return -1;
	size_t slot = probe(d, s, len, mql_dict_hash(s, len));
	return d->slots[slot];
}

const char *mql_dict_name(const mql_dict *d, int32_t i)
{
	if (i < 0 || (size_t)i >= d->count)
		return NULL;
	return d->names[i];
}

void *mql_dict_grow_parallel(void *items, size_t *capacity, size_t item_size,
			     size_t index)
{
	size_t old = *capacity, wanted = old ? old : 16;
	if (index < old)
		return items;
	while (wanted <= index) {
		if (wanted > SIZE_MAX / 2)
			return NULL;
		wanted *= 2;
	}
	if (item_size == 0 || wanted > SIZE_MAX / item_size)
		return NULL;
	char *grown = realloc(items, wanted * item_size);
	if (!grown)
		return NULL;
	memset(grown + old * item_size, 0, (wanted - old) * item_size);
	*capacity = wanted;
	return grown;
}
