/*
 * test_timeparse.c - ISO 8601 and locale dates against independently
 * computed seconds.  Every expected value below was obtained with GNU date:
 * `date -u -d '<string>' +%s` (the string as written in the row).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/timeparse.h>

typedef struct valid_case {
	const char *text;
	mql_time seconds;
} valid_case;

static const valid_case valid[] = {
	{"2026-03-05", 1772668800},
	{"2026-03-05T14:07:00Z", 1772719620},
	{"2026-03-05 14:07:00", 1772719620},
	{"2026-03-05T14:07", 1772719620},
	{"2026-03-05T14:07:00.123+02:00", 1772712420},
	{"2026-03-05T14:07+02", 1772712420},
	{"2026-03-05 14:07:00-0530", 1772739420},
	{"2024-02-29", 1709164800},
	{"2000-02-29T23:59:59Z", 951868799},
	{"1970-01-01", 0},
	{"1969-12-31T23:59:59Z", -1},
	{"1999-12-31T23:00:00-01:00", 946684800},
	/* warehouses' exports: BigQuery, Snowflake, psql; each from
	 * date -u -d '2026-03-05 14:07:12 -05:00' +%s and the like */
	{"2026-03-05 14:07:12.123456 UTC", 1772719632},
	{"2026-03-05 14:07:12.123 +0000", 1772719632},
	{"2026-03-05 14:07:12 -05:00", 1772737632},
	{"2026-03-05T14:07:00 GMT", 1772719620},
	{"2026-03-05 14:07:12.5+00", 1772719632},
};

static const char *const invalid[] = {
	"",
	"2026",
	"2026-3-5",
	"2026-13-01",
	"2026-02-29",
	"2023-02-29",
	"2026-04-31",
	"2026-03-05T24:00:00Z",
	"2026-03-05T14:60",
	"2026-03-05T14:07:61",
	"2026-03-05T14",
	"2026-03-05X14:07",
	"2026-03-05T14:07:00+25:00",
	"2026-03-05T14:07:00 XYZ",
	"2026-03-05T14:07:00  UTC",
	"2026-03-05T14:07:00 ",
	"2026-03-05 UTC",
	"05/03/2026",
	"2026-03-05T14:07:00.",
	"abc",
	"1900-02-29",
};

static void parses_valid_iso(void)
{
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		mql_time t = 0;
		int status = mql_time_parse_iso(&t, valid[i].text,
						strlen(valid[i].text), NULL);
		CU_ASSERT_EQUAL(status, 0);
		CU_ASSERT_EQUAL(t, valid[i].seconds);
		if (status != 0 || t != valid[i].seconds)
			fprintf(stderr, "\n  '%s' gave %lld\n", valid[i].text,
				(long long)t);
	}
}

static void rejects_invalid_iso(void)
{
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		mql_time t;
		size_t bad = 999;
		int status = mql_time_parse_iso(&t, invalid[i],
						strlen(invalid[i]), &bad);
		CU_ASSERT_EQUAL(status, -1);
		CU_ASSERT(bad <= strlen(invalid[i]));
		if (status != -1)
			fprintf(stderr, "\n  '%s' was accepted\n", invalid[i]);
	}
}

static void parses_locale_formats(void)
{
	mql_time t;
	/* date -u -d '2026-10-01 08:00' +%s = 1790841600 */
	CU_ASSERT_EQUAL(mql_time_parse_format(&t, "01.10.2026 08:00", 16,
					      "%d.%m.%Y %H:%M"),
			0);
	CU_ASSERT_EQUAL(t, 1790841600);
	/* time of day may be absent: date -u -d 2026-10-01 +%s = 1790812800 */
	CU_ASSERT_EQUAL(
		mql_time_parse_format(&t, "01.10.2026", 10, "%d.%m.%Y %H:%M"),
		0);
	CU_ASSERT_EQUAL(t, 1790812800);
	/* US style with a two-digit year: 3/5/26 is 2026-03-05, 1772668800 */
	CU_ASSERT_EQUAL(mql_time_parse_format(&t, "3/5/26", 6, "%m/%d/%y"), 0);
	CU_ASSERT_EQUAL(t, 1772668800);
	CU_ASSERT_EQUAL(mql_time_parse_format(&t, "31.02.2026", 10, "%d.%m.%Y"),
			-1);
	CU_ASSERT_EQUAL(
		mql_time_parse_format(&t, "01.10.2026x", 11, "%d.%m.%Y"), -1);
	CU_ASSERT_EQUAL(mql_time_parse_format(&t, "01-10-2026", 10, "%d.%m.%Y"),
			-1);
}

static void formats_and_labels(void)
{
	char buf[32];
	/* 1772719620 is 2026-03-05T14:07:00Z (see the table above). */
	CU_ASSERT_STRING_EQUAL(mql_time_format(1772719620, 0, buf, sizeof buf),
			       "2026-03-05T14:07:00Z");
	CU_ASSERT_STRING_EQUAL(mql_time_format(1772719620, 1, buf, sizeof buf),
			       "2026-03-05");
	CU_ASSERT_STRING_EQUAL(mql_time_format(-1, 0, buf, sizeof buf),
			       "1969-12-31T23:59:59Z");
	CU_ASSERT_STRING_EQUAL(
		mql_time_format(MQL_TIME_NONE, 0, buf, sizeof buf), "");
	CU_ASSERT_STRING_EQUAL(
		mql_time_month_label(1790841600, buf, sizeof buf), "2026-10");
	CU_ASSERT_STRING_EQUAL(
		mql_time_quarter_label(1790841600, buf, sizeof buf), "2026-Q4");
	CU_ASSERT_STRING_EQUAL(
		mql_time_quarter_label(1772668800, buf, sizeof buf), "2026-Q1");
	/* 2026-03-05 - 2024-02-29 = 735 days (365 + 366 + 4), and 14:07 is
	 * 847 minutes = 0.588194... days. */
	CU_ASSERT_DOUBLE_EQUAL(mql_time_days_between(1709164800, 1772668800),
			       735.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_time_days_between(1772668800, 1772719620),
			       847.0 / 1440.0, 1e-12);
}

static void civil_round_trip(void)
{
	/* days_from_civil(1970,1,1) = 0 and (2000,3,1) = 11017 (date -u -d
	 * 2000-03-01 +%s = 951868800 = 11017 * 86400). */
	CU_ASSERT_EQUAL(mql_time_days_from_civil(1970, 1, 1), 0);
	CU_ASSERT_EQUAL(mql_time_days_from_civil(2000, 3, 1), 11017);
	for (int64_t day = -800000; day < 800000; day += 997) {
		int y, m, d, hh, mm, ss;
		mql_time_to_civil(day * MQL_SECONDS_PER_DAY + 3661, &y, &m, &d,
				  &hh, &mm, &ss);
		CU_ASSERT_EQUAL_FATAL(mql_time_days_from_civil(y, m, d), day);
		CU_ASSERT(hh == 1 && mm == 1 && ss == 1);
	}
}

/* Parses text with and without the cache: both must give the same status,
 * time and bad offset.  Returns the status. */
static int parse_both(const char *text, mql_time_day_cache *cache,
		      mql_time *out)
{
	mql_time plain = 0, cached = 0;
	size_t plain_bad = 99, cached_bad = 99;
	size_t len = strlen(text);
	int plain_status = mql_time_parse_iso(&plain, text, len, &plain_bad);
	int cached_status = mql_time_parse_iso_cached(&cached, text, len,
						      &cached_bad, cache);
	CU_ASSERT_EQUAL(plain_status, cached_status);
	if (plain_status == 0) {
		CU_ASSERT_EQUAL(plain, cached);
	} else {
		CU_ASSERT_EQUAL(plain_bad, cached_bad);
	}
	if (plain_status != cached_status ||
	    (plain_status == 0 && plain != cached))
		fprintf(stderr, "\ncached parse differs on '%s'\n", text);
	*out = cached;
	return cached_status;
}

static void day_cache_matches_parser(void)
{
	/* Every calendar day from 1900 to 2100, and days 29..31 of every
	 * month whether they exist or not, alone and at three clock times
	 * and two impossible ones: the cached parser must agree with the
	 * uncached one each time, on a cache that is hit and missed in
	 * turn.  Independent anchors from GNU date: `date -u -d 1900-01-01
	 * +%s` = -2208988800, `date -u -d 2100-12-31T23:59:59Z +%s` =
	 * 4133980799; and 1900-01-01..2100-12-31 is 73414 days
	 * ((4133894400 + 2208988800) / 86400 + 1). */
	static const char *const clocks[] = {"T00:00:00Z", "T12:34:56Z",
					     "T23:59:59Z", "T24:00:00Z",
					     "T23:60:00Z"};
	mql_time_day_cache cache;
	mql_time_day_cache_init(&cache);
	mql_time previous = 0, first = 0, last = 0, t;
	size_t valid_days = 0, steps_of_a_day = 0;
	for (int year = 1900; year <= 2100; year++)
		for (int month = 1; month <= 12; month++)
			for (int day = 1; day <= 31; day++) {
				char text[32];
				snprintf(text, sizeof text, "%04d-%02d-%02d",
					 year, month, day);
				if (parse_both(text, &cache, &t) != 0)
					continue;
				if (valid_days == 0)
					first = t;
				else
					steps_of_a_day += t - previous ==
							  MQL_SECONDS_PER_DAY;
				previous = t;
				valid_days++;
				for (size_t c = 0; c < 5; c++) {
					snprintf(text, sizeof text,
						 "%04d-%02d-%02d%s", year,
						 month, day, clocks[c]);
					int status =
						parse_both(text, &cache, &t);
					CU_ASSERT_EQUAL(status, c < 3 ? 0 : -1);
					if (c == 2 && status == 0)
						last = t;
				}
			}
	CU_ASSERT_EQUAL(valid_days, 73414);
	CU_ASSERT_EQUAL(steps_of_a_day, 73413);
	CU_ASSERT_EQUAL(first, -2208988800);
	CU_ASSERT_EQUAL(last, 4133980799);
}

static void day_cache_keeps_contract(void)
{
	/* The date -u values and the invalid texts above, each after the
	 * cache has been primed with a valid day of the same prefix. */
	mql_time_day_cache cache;
	mql_time_day_cache_init(&cache);
	mql_time t;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		CU_ASSERT_EQUAL(parse_both(valid[i].text, &cache, &t), 0);
		CU_ASSERT_EQUAL(t, valid[i].seconds);
		CU_ASSERT_EQUAL(parse_both(valid[i].text, &cache, &t), 0);
		CU_ASSERT_EQUAL(t, valid[i].seconds);
	}
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		CU_ASSERT_EQUAL(parse_both("2026-03-05T00:00:00Z", &cache, &t),
				0);
		CU_ASSERT_EQUAL(parse_both(invalid[i], &cache, &t), -1);
	}
	/* A hit on a cached month still reads the day and the clock:
	 * `date -u -d 2024-02-29T12:34:56Z +%s` = 1709210096. */
	CU_ASSERT_EQUAL(parse_both("2024-02-29", &cache, &t), 0);
	CU_ASSERT_EQUAL(parse_both("2024-02-29T12:34:56Z", &cache, &t), 0);
	CU_ASSERT_EQUAL(t, 1709210096);
	CU_ASSERT_EQUAL(parse_both("2024-02-29T12:34:5xZ", &cache, &t), -1);
	CU_ASSERT_EQUAL(parse_both("2024-02-29 12:34:56Z", &cache, &t), 0);
	CU_ASSERT_EQUAL(t, 1709210096);
	CU_ASSERT_EQUAL(parse_both("2024-02-30", &cache, &t), -1);
	CU_ASSERT_EQUAL(parse_both("2024-02-00", &cache, &t), -1);
	CU_ASSERT_EQUAL(parse_both("2024-02-2x", &cache, &t), -1);
	/* Every clock byte replaced in turn by digits, separators and bytes
	 * around them: the cached reading of the clock, eight bytes at a
	 * time, must agree with the uncached one. */
	static const char replacements[] = "0123456789/:;Tt Z-+.\x01\x7f\x80"
					   "\xb0\xb9\xba\xff";
	for (size_t at = 11; at < 19; at++)
		for (size_t k = 0; k < sizeof replacements - 1; k++) {
			char clock[] = "2024-02-29T19:48:37Z";
			clock[at] = replacements[k];
			parse_both(clock, &cache, &t);
		}
	/* `date -u -d 2024-02-01 +%s` = 1706745600 */
	CU_ASSERT_EQUAL(parse_both("2024-02-01", &cache, &t), 0);
	CU_ASSERT_EQUAL(t, 1706745600);
}

/* Dates drawn at random from 480 months (1990-2029), more than the
 * cache has places: months replace one another and come back, and each
 * parse must still agree with the uncached parser, day 31 of short
 * months included. */
static void day_cache_keeps_many_months(void)
{
	mql_time_day_cache cache;
	mql_time_day_cache_init(&cache);
	uint64_t state = 88172645463325252ULL;
	size_t parsed = 0;
	for (int i = 0; i < 20000; i++) {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		int month = (int)(state % 480), day = (int)(state / 480 % 31);
		char text[32];
		mql_time t;
		snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:30:00Z",
			 1990 + month / 12, month % 12 + 1, day + 1, i % 24);
		parsed += parse_both(text, &cache, &t) == 0;
	}
	/* about 30.44 / 31 of the days exist */
	CU_ASSERT(parsed > 19000 && parsed < 20000);
}

/*
 * Dates as exports write them, read by mql_time_parse_text in one order.
 * Expected seconds from GNU date, `date -u -d '<ISO form>' +%s`:
 *   2026-03-05 14:07 1772719620   2026-05-03 14:07 1777817220
 *   2026-03-05       1772668800   2026-05-03       1777766400
 *   2026-03-05 00:30 1772670600   2026-03-05 12:30 1772713800
 *   2026-03-05 14:07:09 1772719629  2026-03-13    1773360000
 *   2026-12-31 23:59:59 1798761599  1999-03-05    920592000
 *   2068-03-05       3098131200   2024-02-29 09:05 1709197500
 *   2026-03-03       1772496000
 * Epoch values are the same seconds written as digits (times 1000 for
 * milliseconds, plus 999 to show they are truncated).
 */
typedef struct text_case {
	const char *text;
	mql_date_order order;
	int status;		/* 0, MQL_TIME_AMBIGUOUS or -1 */
	mql_time seconds;	/* when status >= 0 */
	mql_date_order settles; /* when status == 0 and order unknown */
} text_case;

#define UNK MQL_DATE_ORDER_UNKNOWN
#define MDY MQL_DATE_ORDER_MDY
#define DMY MQL_DATE_ORDER_DMY
#define AMB MQL_TIME_AMBIGUOUS

static const text_case text_cases[] = {
	/* unambiguous without a locale */
	{"2026-03-05T14:07:00Z", UNK, 0, 1772719620, UNK},
	{"2026-03-05 14:07", UNK, 0, 1772719620, UNK},
	{"05.03.2026", UNK, 0, 1772668800, UNK},
	{"5.3.2026 14:07", UNK, 0, 1772719620, UNK},
	{"05.03.2026 14:07:09", UNK, 0, 1772719629, UNK},
	{"05.03.26", UNK, 0, 1772668800, UNK},
	{"05.03.99", UNK, 0, 920592000, UNK},
	{"05.03.68", UNK, 0, 3098131200, UNK},
	{"2026/03/05", UNK, 0, 1772668800, UNK},
	{"2026/3/5 14:07", UNK, 0, 1772719620, UNK},
	{"2026.03.05", UNK, 0, 1772668800, UNK},
	{"1772719620000", UNK, 0, 1772719620, UNK},
	{"1772719620999", UNK, 0, 1772719620, UNK},
	{"1772719620", UNK, 0, 1772719620, UNK},
	{"3/3/2026", UNK, 0, 1772496000, UNK},
	{"13/3/2026", UNK, 0, 1773360000, DMY},
	{"3/13/2026", UNK, 0, 1773360000, MDY},
	{"31/12/2026 23:59:59", UNK, 0, 1798761599, DMY},
	{"12/31/2026 11:59:59 PM", UNK, 0, 1798761599, MDY},
	{"3/5/2026 2:07 PM", UNK, AMB, 1772719620, UNK},
	{"3/5/2026", UNK, AMB, 1772668800, UNK},
	{"05-03-2026", UNK, AMB, 1777766400, UNK},
	/* month first */
	{"3/5/2026 2:07 PM", MDY, 0, 1772719620, UNK},
	{"3/5/2026, 2:07 PM", MDY, 0, 1772719620, UNK},
	{"3/5/2026 2:07PM", MDY, 0, 1772719620, UNK},
	{"3/5/2026 2:07 pm", MDY, 0, 1772719620, UNK},
	{"03/05/2026 14:07", MDY, 0, 1772719620, UNK},
	{"3/5/2026 12:30 AM", MDY, 0, 1772670600, UNK},
	{"3/5/2026 12:30 PM", MDY, 0, 1772713800, UNK},
	{"3/5/26", MDY, 0, 1772668800, UNK},
	{"3/13/2026", MDY, 0, 1773360000, UNK},
	{"5.3.2026", MDY, 0, 1772668800, UNK},
	{"2/29/2024 9:05 AM", MDY, 0, 1709197500, UNK},
	/* day first */
	{"3/5/2026 14:07", DMY, 0, 1777817220, UNK},
	{"03/05/2026", DMY, 0, 1777766400, UNK},
	{"5/3/2026 2:07 PM", DMY, 0, 1772719620, UNK},
	{"5-3-2026 14:07", DMY, 0, 1772719620, UNK},
	{"05.03.2026 14:07", DMY, 0, 1772719620, UNK},
	{"13/3/2026", DMY, 0, 1773360000, UNK},
	{"2026/03/05", DMY, 0, 1772668800, UNK},
	/* not dates */
	{"20203000202000200300035", UNK, -1, 0, UNK}, /* no overflow */
	{"3/13/2026", DMY, -1, 0, UNK},
	{"13/3/2026", MDY, -1, 0, UNK},
	{"13/13/2026", UNK, -1, 0, UNK},
	{"31.02.2026", UNK, -1, 0, UNK},
	{"29.02.2026", UNK, -1, 0, UNK},
	{"3/5/2026 13:07 PM", MDY, -1, 0, UNK},
	{"3/5/2026 0:07 AM", MDY, -1, 0, UNK},
	{"3/5/2026 24:00", MDY, -1, 0, UNK},
	{"3/5/2026 2:7", MDY, -1, 0, UNK},
	{"3/5/2026 14", MDY, -1, 0, UNK},
	{"3/5/2026 2:07 XM", MDY, -1, 0, UNK},
	{"3/5/2026 2:07 PM UTC", MDY, -1, 0, UNK},
	{"3/5/2026x", MDY, -1, 0, UNK},
	{"3/5-2026", MDY, -1, 0, UNK},
	{"3/5/202", MDY, -1, 0, UNK},
	{"3/5/20266", MDY, -1, 0, UNK},
	{"123/5/2026", MDY, -1, 0, UNK},
	{"2026/03/005", UNK, -1, 0, UNK},
	{"20260305", UNK, -1, 0, UNK},
	{"177271962", UNK, -1, 0, UNK},
	{"17727196200", UNK, -1, 0, UNK},
	{"177271962000", UNK, -1, 0, UNK},
	{"-1772719620", UNK, -1, 0, UNK},
	{"3/5", MDY, -1, 0, UNK},
	{"", UNK, -1, 0, UNK},
	{"March 5, 2026", MDY, -1, 0, UNK},
};

static void parses_export_dates(void)
{
	for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
		const text_case *k = &text_cases[i];
		mql_time t = 0;
		mql_date_order settles = MDY;
		size_t bad = 999, len = strlen(k->text);
		int status = mql_time_parse_text(&t, k->text, len, k->order,
						 &settles, &bad);
		int ok = status == k->status &&
			 (status < 0 || t == k->seconds) &&
			 (status != 0 || settles == k->settles) &&
			 (status >= 0 || bad <= len);
		CU_ASSERT(ok);
		if (!ok)
			fprintf(stderr, "\n  '%s' (order %d): %d, %lld\n",
				k->text, (int)k->order, status, (long long)t);
	}
}

static void swaps_day_and_month(void)
{
	/* 3/5/2026 2:07 PM read month first, then day first: 2026-05-03
	 * 14:07 (see the table above) */
	CU_ASSERT_EQUAL(mql_time_swap_day_month(1772719620), 1777817220);
	CU_ASSERT_EQUAL(mql_time_swap_day_month(1777766400), 1772668800);
	CU_ASSERT_EQUAL(mql_time_swap_day_month(1772496000), 1772496000);
}

CU_TestInfo test_timeparse[] = {
	{"parses valid ISO 8601", parses_valid_iso},
	{"rejects invalid ISO 8601", rejects_invalid_iso},
	{"parses locale formats", parses_locale_formats},
	{"parses dates as exports write them", parses_export_dates},
	{"swaps day and month", swaps_day_and_month},
	{"formats and labels", formats_and_labels},
	{"civil round trip", civil_round_trip},
	{"day cache matches the parser", day_cache_matches_parser},
	{"day cache keeps the contract", day_cache_keeps_contract},
	{"day cache keeps many months", day_cache_keeps_many_months},
	CU_TEST_INFO_NULL,
};
