/*
 * timeparse.h - timestamps: parsing ISO 8601 and locale dates, formatting.
 *
 * Every time in mqlcal is an mql_time: whole seconds since 1970-01-01
 * 00:00:00 UTC (proleptic Gregorian, no leap seconds).  A missing time is
 * MQL_TIME_NONE.  A date alone means 00:00:00 UTC of that day; a date-time
 * without an offset is UTC; an offset (Z, +02:00, -0500) is applied.
 * Fractional seconds are accepted and truncated.
 */
#ifndef MQLCAL_TIMEPARSE_H
#define MQLCAL_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t mql_time;
#define MQL_TIME_NONE	    INT64_MIN
#define MQL_SECONDS_PER_DAY 86400

/*
 * Parses s[0..len) as ISO 8601: "2026-03-05", "2026-03-05T14:07:00Z",
 * "2026-03-05 14:07:00", "2026-03-05T14:07:00.123+02:00", "2026-03-05T14:07".
 * On success stores the time in *out and returns 0.  On failure returns -1
 * and, when bad_offset is not NULL, stores the 0-based offset of the first
 * character that did not fit (for error columns).
 */
int mql_time_parse_iso(mql_time *out, const char *s, size_t len,
		       size_t *bad_offset);

/*
 * The months of the dates read lately, for reading many timestamps in a
 * row: events of one contact are listed together, so consecutive
 * timestamps mostly share their month (9 in 10 in a generated history;
 * only 4 in 10 share the day), and the dates of a contacts row (created,
 * MQL, SAL, ...) fall in a few months of a history's few dozen.  A
 * timestamp whose first eight characters ("2026-03-") are those of a
 * cached month only has its day of the month and its clock read.  Each
 * month has one place, picked by a hash of those characters; a month met
 * there replaces the one before.  It holds only months that were valid.
 * Zero-filled (or mql_time_day_cache_init) it is empty.  Not for sharing
 * between threads: one per reader.
 */
#define MQL_TIME_DAY_CACHE_MONTHS 64

typedef struct mql_time_cached_month {
	uint64_t month_text; /* the bytes of "YYYY-MM-", or 0 */
	int64_t first_day;   /* days since the epoch of its day 1 */
	int month_length;    /* its number of days */
} mql_time_cached_month;

typedef struct mql_time_day_cache {
	mql_time_cached_month months[MQL_TIME_DAY_CACHE_MONTHS];
} mql_time_day_cache;

void mql_time_day_cache_init(mql_time_day_cache *cache);

/*
 * mql_time_parse_iso with a day cache: the same results and bad offsets for
 * every text, faster on runs of "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM:SSZ"
 * of one month.
 */
int mql_time_parse_iso_cached(mql_time *out, const char *s, size_t len,
			      size_t *bad_offset, mql_time_day_cache *cache);

/*
 * Parses s[0..len) with a strftime-like format for locale exports, using
 * %d %m %Y %y %H %M %S and literal characters ("%d.%m.%Y %H:%M" reads
 * "01.10.2026 08:00").  Fields after the end of s may be absent when the
 * rest of the format is time of day (then 00:00:00).  Returns 0 or -1.
 */
int mql_time_parse_format(mql_time *out, const char *s, size_t len,
			  const char *format);

/*
 * The order of day and month in a date written with slashes or dashes
 * ("3/5/2026", "05-03-2026"): unknown (no --locale), month first (en-US)
 * or day first (en-GB, de, fr, nl, es).
 */
typedef enum mql_date_order {
	MQL_DATE_ORDER_UNKNOWN = 0,
	MQL_DATE_ORDER_MDY,
	MQL_DATE_ORDER_DMY
} mql_date_order;

/* What mql_time_parse_text returns for a date whose day and month could
 * be either way round and give two different days. */
#define MQL_TIME_AMBIGUOUS 1

/*
 * Parses s[0..len) as a timestamp the way exports write them:
 *   - ISO 8601, as mql_time_parse_iso;
 *   - epoch milliseconds as HubSpot's API writes them: 13 digits
 *     ("1772719620000"; the milliseconds are truncated), and epoch
 *     seconds: 10 digits ("1772719620"); other runs of digits are not
 *     dates;
 *   - "yyyy/mm/dd" (also "yyyy.mm.dd"), always year, month, day;
 *   - "dd.mm.yyyy", always day, month, year;
 *   - "m/d/yyyy" or "d/m/yyyy" (also with dashes) in the given order;
 * day and month of one or two digits, the year of four (or two: 69-99
 * are 1969-1999, 00-68 2000-2068, as POSIX strptime), then optionally a
 * comma, blanks and a clock "H:MM[:SS[.fff]]" of 24 hours, or of 12 with
 * " AM"/" PM" (any case; 12 AM is midnight).  No offset: UTC.
 *
 * With order MQL_DATE_ORDER_UNKNOWN, a slash or dash date settles its own
 * order when one part is above 12 (*settles, when not NULL, gets
 * MQL_DATE_ORDER_DMY for "13/5/2026", MQL_DATE_ORDER_MDY for "5/13/2026",
 * else MQL_DATE_ORDER_UNKNOWN); one whose two readings are different days
 * ("3/5/2026") returns MQL_TIME_AMBIGUOUS with *out its month-first
 * reading (mql_time_swap_day_month gives the other).  A date whose two
 * parts are equal ("3/3/2026") is not ambiguous.
 *
 * Returns 0, MQL_TIME_AMBIGUOUS or -1 (not a timestamp: *bad_offset, when
 * not NULL, gets the offset of the first character that did not fit).
 */
int mql_time_parse_text(mql_time *out, const char *s, size_t len,
			mql_date_order order, mql_date_order *settles,
			size_t *bad_offset);

/* The time with the month and day of t exchanged, its clock kept: the
 * day-first reading of a date that was read month first.  t must be a
 * time whose day is at most 12. */
mql_time mql_time_swap_day_month(mql_time t);

/* Days since the epoch for a civil date (valid for any year 1..9999). */
int64_t mql_time_days_from_civil(int year, int month, int day);

/* Splits t into civil date and time of day (UTC).  Any pointer may be NULL. */
void mql_time_to_civil(mql_time t, int *year, int *month, int *day, int *hour,
		       int *minute, int *second);

/*
 * Formats t as "2026-03-05T14:07:00Z" (or "2026-03-05" when date_only) into
 * buf of size n (>= 21).  MQL_TIME_NONE gives "".  Returns buf.
 */
char *mql_time_format(mql_time t, int date_only, char *buf, size_t n);

/* The periods a history is cut into by date (--by, --cohort). */
typedef enum mql_time_period {
	MQL_TIME_PERIOD_MONTH,
	MQL_TIME_PERIOD_QUARTER
} mql_time_period;

/* Their names, NULL-ended: mql_time_period_names[i] names the
 * mql_time_period i, "month", "quarter". */
extern const char *const mql_time_period_names[];

/* Parses an mql_time_period_names entry.  Returns 0, or -1 leaving *out as
 * it was. */
int mql_time_period_parse(const char *name, mql_time_period *out);

/* "2026-03" for the month of t, "2026-Q1" for its quarter.  buf >= 8. */
char *mql_time_month_label(mql_time t, char *buf, size_t n);
char *mql_time_quarter_label(mql_time t, char *buf, size_t n);

/*
 * The first day of the period a month or quarter label names, as an ISO
 * 8601 date: "2026-03" gives "2026-03-01", "2026-Q3" gives "2026-07-01".
 * Returns 0, or -1 with buf "" for any other text (a group name, "all",
 * "(none)") or a buf shorter than 11.
 */
int mql_time_period_start(const char *label, char *buf, size_t n);

/* The difference b - a in days (fractional). */
double mql_time_days_between(mql_time a, mql_time b);

#endif
