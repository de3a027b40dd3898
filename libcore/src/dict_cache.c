/*
 * dict_cache.c - the direct-mapped name cache in front of a dictionary (see
 * dict.h).  On the events file it is met once or twice per row, so a hit is
 * kept to a few loads and compares: the slot is chosen and checked with the
 * same two words.
 */
#include <mqlcal/dict.h>

#include <string.h>

void mql_dict_cache_init(mql_dict_cache *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < MQL_DICT_CACHE_SLOTS; i++)
		c->slot[i].index = -1;
}

/* The first and last eight bytes of s[0..len), zero-padded when shorter. */
static void name_words(const char *s, size_t len, uint64_t *head,
		       uint64_t *tail)
{
	*head = *tail = 0;
	if (len >= 8) {
		memcpy(head, s, 8);
		memcpy(tail, s + len - 8, 8);
		return;
	}
	for (size_t i = 0; i < len; i++)
		*head |= (uint64_t)(unsigned char)s[i] << (8 * i);
}

int32_t mql_dict_intern_cached(mql_dict *d, mql_dict_cache *c, const char *s,
			       size_t len)
{
	uint64_t head, tail;
	name_words(s, len, &head, &tail);
	/* Names share prefixes ("email_open", "email_click") and lengths:
	 * the slot mixes both ends and the length. */
	uint64_t mixed = (head ^ tail * 0x9e3779b97f4a7c15ULL ^ len) *
			 0xff51afd7ed558ccdULL;
	mql_dict_cache_slot *slot =
		&c->slot[(mixed >> 56) & (MQL_DICT_CACHE_SLOTS - 1)];
	if (slot->index >= 0 && slot->len == len && slot->head == head &&
	    slot->tail == tail &&
	    (len <= 16 ||
	     memcmp(d->names[slot->index] + 8, s + 8, len - 16) == 0))
		return slot->index;
	int32_t index = mql_dict_intern(d, s, len);
	if (index >= 0) {
		slot->head = head;
		slot->tail = tail;
		slot->len = len;
		slot->index = index;
	}
	return index;
}
