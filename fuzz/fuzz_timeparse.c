/*
 * fuzz_timeparse.c - libFuzzer target: any bytes as a timestamp.
 *
 * Every parser must stay inside its text and give a bad offset inside it;
 * the cached ISO parser must agree with the plain one on every text, and a
 * date read month first must read day first as its swap when ambiguous.
 * The first line, when there is one, is also tried as a --date-format.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/timeparse.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses s[0..len) every way and checks what the parsers promise. */
static void parse_every_way(const char *s, size_t len,
			    mql_time_day_cache *cache)
{
	mql_time plain = 0, cached = 0;
	size_t plain_bad = 0, cached_bad = 0;
	int a = mql_time_parse_iso(&plain, s, len, &plain_bad);
	int b = mql_time_parse_iso_cached(&cached, s, len, &cached_bad, cache);
	if (a != b || (a == 0 && plain != cached) ||
	    (a != 0 && plain_bad != cached_bad) || (a != 0 && plain_bad > len))
		abort();
	for (int order = MQL_DATE_ORDER_UNKNOWN; order <= MQL_DATE_ORDER_DMY;
	     order++) {
		mql_time t = 0;
		mql_date_order settles = MQL_DATE_ORDER_UNKNOWN;
		size_t bad = 0;
		int status = mql_time_parse_text(
			&t, s, len, (mql_date_order)order, &settles, &bad);
		if (status < 0 && bad > len)
			abort();
		if (status == MQL_TIME_AMBIGUOUS)
			(void)mql_time_swap_day_month(t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mql_time_day_cache cache; /* kept across inputs, as a reader */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse_every_way(text, size, &cache);
	char *newline = memchr(text, '\n', size);
	if (newline) {
		*newline = '\0';
		mql_time t = 0;
		size_t rest = size - (size_t)(newline + 1 - text);
		(void)mql_time_parse_format(&t, newline + 1, rest, text);
	}
	free(text);
	return 0;
}
