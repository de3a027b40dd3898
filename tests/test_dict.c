/* test_dict.c - interning: dense first-appearance indices, lookups, growth. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/dict.h>

static void assigns_dense_indices(void)
{
	mql_dict d;
	mql_dict_init(&d);
	CU_ASSERT_EQUAL(mql_dict_find(&d, "a", 1), -1);
	CU_ASSERT_EQUAL(mql_dict_intern(&d, "google", 6), 0);
	CU_ASSERT_EQUAL(mql_dict_intern(&d, "Google", 6), 1);
	CU_ASSERT_EQUAL(mql_dict_intern(&d, "google", 6), 0);
	/* not NUL-terminated input: only len bytes count */
	CU_ASSERT_EQUAL(mql_dict_intern(&d, "events_x", 6), 2);
	CU_ASSERT_EQUAL(mql_dict_intern(&d, "", 0), 3);
	CU_ASSERT_EQUAL(d.count, 4);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&d, 2), "events");
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&d, 3), "");
	CU_ASSERT_PTR_NULL(mql_dict_name(&d, 4));
	CU_ASSERT_PTR_NULL(mql_dict_name(&d, -1));
	CU_ASSERT_EQUAL(mql_dict_find(&d, "Google", 6), 1);
	CU_ASSERT_EQUAL(mql_dict_find(&d, "googl", 5), -1);
	mql_dict_release(&d);
	mql_dict_release(&d);
	mql_dict_release(NULL);
}

static void survives_growth(void)
{
	mql_dict d;
	char key[32];
	mql_dict_init(&d);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "C%07d", i);
		CU_ASSERT_EQUAL_FATAL(mql_dict_intern(&d, key, (size_t)n), i);
	}
	CU_ASSERT_EQUAL(d.count, 100000);
	CU_ASSERT(d.slot_count >= 2 * d.count);
	for (int i = 0; i < 100000; i += 7) {
		int n = snprintf(key, sizeof key, "C%07d", i);
		CU_ASSERT_EQUAL_FATAL(mql_dict_find(&d, key, (size_t)n), i);
	}
	CU_ASSERT_EQUAL(mql_dict_find(&d, "C0100000", 8), -1);
	mql_dict_release(&d);
}

static void hash_depends_on_every_byte(void)
{
	CU_ASSERT_NOT_EQUAL(mql_dict_hash("abcdefghij", 10),
			    mql_dict_hash("abcdefghik", 10));
	CU_ASSERT_NOT_EQUAL(mql_dict_hash("a", 1), mql_dict_hash("a\0", 2));
	CU_ASSERT_EQUAL(mql_dict_hash("xyz", 3), mql_dict_hash("xyzw", 3));
}

static void parallel_array_grows_zero_filled(void)
{
	size_t capacity = 0;
	double *totals =
		mql_dict_grow_parallel(NULL, &capacity, sizeof *totals, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(totals);
	CU_ASSERT_EQUAL(capacity, 16); /* the first size */
	totals[15] = 7;
	/* an index that fits changes nothing */
	CU_ASSERT_PTR_EQUAL(
		mql_dict_grow_parallel(totals, &capacity, sizeof *totals, 15),
		totals);
	CU_ASSERT_EQUAL(capacity, 16);
	/* index 40 needs 16 -> 32 -> 64 items, the new ones zero */
	double *grown =
		mql_dict_grow_parallel(totals, &capacity, sizeof *totals, 40);
	CU_ASSERT_PTR_NOT_NULL_FATAL(grown);
	totals = grown;
	CU_ASSERT_EQUAL(capacity, 64);
	CU_ASSERT_EQUAL(totals[15], 7);
	CU_ASSERT_EQUAL(totals[16], 0);
	CU_ASSERT_EQUAL(totals[63], 0);
	/* a size that cannot be allocated leaves the array as it was */
	CU_ASSERT_PTR_NULL(mql_dict_grow_parallel(
		totals, &capacity, sizeof *totals, (size_t)-1 / 4));
	CU_ASSERT_EQUAL(capacity, 64);
	CU_ASSERT_EQUAL(totals[15], 7);
	free(totals);
}

/*
 * The cache must give exactly the dictionary's own indexes.  The names are
 * chosen to defeat a cache that looks at too little: long names that differ
 * only in their middle bytes, names of 7, 8, 9 and 16 bytes sharing prefixes,
 * an empty name, and far more names than slots, read in several orders.
 */
static void cache_gives_the_dictionary_indexes(void)
{
	static const char *const fixed[] = {
		"",
		"a",
		"email_o",
		"email_op",
		"email_ope",
		"email_open",
		"webinar_attended",
		"webinar_registered",
		"webinar_Xegistered",
		"content_download_2024_spring_emea",
		"content_download_2024_autumn_emea",
		"content_download_2024_spring_apac",
		"content_download_2025_spring_emea",
	};
	size_t fixed_count = sizeof fixed / sizeof *fixed;
	mql_dict plain, through;
	mql_dict_init(&plain);
	mql_dict_init(&through);
	mql_dict_cache *cache = malloc(sizeof *cache);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cache);
	mql_dict_cache_init(cache);
	char name[64];
	unsigned long state = 12345;
	for (int step = 0; step < 20000; step++) {
		state = state * 6364136223846793005UL + 1442695040888963407UL;
		size_t pick = (size_t)(state >> 33);
		const char *text;
		size_t len;
		if (pick % 3 == 0) {
			text = fixed[pick / 3 % fixed_count];
			len = strlen(text);
		} else {
			/* 600 names: more than the cache's slots */
			len = (size_t)snprintf(name, sizeof name,
					       "campaign_%03zu_quarter_end",
					       pick / 3 % 600);
			text = name;
		}
		int32_t want = mql_dict_intern(&plain, text, len);
		int32_t got =
			mql_dict_intern_cached(&through, cache, text, len);
		CU_ASSERT_EQUAL(got, want);
		if (got != want)
			break;
	}
	CU_ASSERT_EQUAL(through.count, plain.count);
	free(cache);
	mql_dict_release(&plain);
	mql_dict_release(&through);
}

CU_TestInfo test_dict[] = {
	{"cache gives the dictionary indexes",
	 cache_gives_the_dictionary_indexes},
	{"parallel array grows zero-filled", parallel_array_grows_zero_filled},
	{"assigns dense indices", assigns_dense_indices},
	{"survives growth", survives_growth},
	{"hash depends on every byte", hash_depends_on_every_byte},
	CU_TEST_INFO_NULL,
};
