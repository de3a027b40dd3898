/*
 * check.h - the data-quality summary of mql-check.
 *
 * Loads contacts (and optionally events and spend) with the same readers
 * every command uses and describes what is in them as a list of items, each
 * in a section: "files", "stages", "outcomes", "channels", "campaigns",
 * "dates", "events", "quality", "missing", "properties", "spend", and last
 * "verdict".  An item has a name, a count (NAN when it has none), a share of
 * its base (NAN when it has none), an amount of money (NAN unless it is one),
 * the first and last day of a range of dates (MQL_TIME_NONE unless it is
 * one: the "dates" items and the spend's amount) and a free-text detail.  Fatal
 * faults in the files are returned as errors; everything else is an item.
 *
 * Some items are warnings (the data can be used, with care: stages out of
 * order, future dates, missing created_at, events of unknown contacts, before
 * creation or in the future) or faults (it cannot: no contacts, no mql_at
 * column, no MQL).  The one "verdict" item says "usable", "usable with
 * warnings (N warnings)" or "not usable (N faults)", with N as its count and
 * the items concerned in its detail.  The "missing" section lists the empty
 * cells of every column but the later stages' dates: a lead that never
 * reached a stage is funnel attrition, not missing data.
 *
 * The report owns its items and their strings: mql_check_release.
 */
#ifndef MQLCAL_CHECK_H
#define MQLCAL_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/table.h>
#include <mqlcal/timeparse.h>

/* What an item says about whether the data can be used. */
typedef enum mql_check_severity {
	MQL_CHECK_INFO = 0,
	MQL_CHECK_WARNING,
	MQL_CHECK_FAULT
} mql_check_severity;

typedef struct mql_check_item {
	const char *section; /* one of the static names above */
	char *item;	     /* what is counted: "contacts", "mql_at", ... */
	double count;	     /* NAN when the item is not a count */
	double share;	     /* count / its base, NAN when not meaningful */
	double amount;	     /* money (spend total), NAN when not money */
	mql_time first;	     /* a range's first and last moment (the last
				day of spend rows whose end is exclusive),
				MQL_TIME_NONE when the item is no range */
	mql_time last;
	char *detail; /* never NULL; "" when nothing to add */
	mql_check_severity severity;
} mql_check_item;

typedef struct mql_check_report {
	mql_check_item *items;
	size_t count;
	size_t capacity;
	size_t warnings; /* items of severity MQL_CHECK_WARNING */
	size_t faults;	 /* items of severity MQL_CHECK_FAULT */
} mql_check_report;

/* How many channels, campaigns and event types are listed one by one; the
 * rest are summed into one "other" item. */
#define MQL_CHECK_MAX_LISTED 25

/*
 * Loads contacts_path and, when not NULL, events_path and spend_path, and
 * fills report.  as_of: dates after it count as future (MQL_TIME_NONE = the
 * current clock).  Returns 0, or the loaders' errors (MQL_ERR_INPUT with
 * file, line and column; MQL_ERR_NOFILE; MQL_ERR_NOMEM); on error report is
 * left empty.
 */
int mql_check_run(mql_check_report *report, const char *contacts_path,
		  const char *events_path, const char *spend_path,
		  const mql_csv_options *opt, mql_time as_of, mql_error *err);

/* The same, reading the events file with threads threads (0 = one per
 * online CPU; see mql_events_summarize).  The report does not depend on it. */
int mql_check_run_threads(mql_check_report *report, const char *contacts_path,
			  const char *events_path, const char *spend_path,
			  const mql_csv_options *opt, mql_time as_of,
			  int threads, mql_error *err);

/*
 * Writes the report to fp.  table and md: one small table per section
 * under a heading ("== files" / "## files"), with an amount column where
 * the section holds money, and last the "verdict:" line.  csv, json and
 * html: one table of every item, sections in order of appearance, with the
 * columns section, item, count, share, detail and amount, and in csv and
 * json first and last, a range's first and last day (ISO 8601, empty when
 * the item is no range).  Returns 0, MQL_ERR_NOMEM or MQL_ERR_IO.
 */
int mql_check_write(const mql_check_report *report, FILE *fp, mql_format format,
		    mql_error *err);

/* Frees the items.  report may be NULL; it is left empty and reusable. */
void mql_check_release(mql_check_report *report);

#endif
