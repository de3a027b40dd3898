/*
 * discover.h - a rule structure found in the data, for fits without a rule
 * file.
 *
 * Discovery looks at the properties of the contacts in a fit population and
 * proposes fit rules in the rule file's own JSON form (SPEC, "The rule
 * file"), without points, so a discovered structure is written, read and
 * scored exactly like a hand-written one:
 *
 *   categorical  one `in` rule per level; levels are grouped the way `in`
 *                compares them (trimmed, case-insensitive: `google` and
 *                `Google` are one level); the most common level is the
 *                reference and gets no rule; levels with fewer than
 *                min_support rows are pooled into one "<property>_other"
 *                rule (named after the level when only one is pooled);
 *                when the pool itself has fewer than min_support rows
 *                its levels are scored as the reference (and warned
 *                about): a level of one row gets no coefficient.
 *   numeric      quantile `range` rules with round edges (two significant
 *                digits), the lowest bin being the reference; or one
 *                `linear` rule with linear set.  Either way a `missing`
 *                rule when some rows lack the value.
 * Never features: the outcome column, columns with one value, and columns
 * unique per row (text, or whole numbers: a running number is an id, while
 * a measurement such as seconds on a site may well be unique and still a
 * feature).
 *
 * Left out as leakage (mql-fit(1), "WHAT DISCOVERY LEAVES OUT"), each with
 * its reason in excluded: columns named in one table of CRM stages,
 * statuses, scores, deal revenue, conversion records, personal data,
 * owners, ids, dates and export-time aggregates (HubSpot and Salesforce
 * labels and internal names), columns whose every value is a date, and as
 * probable leakage columns named as a status, stage, tag, quality, rating,
 * reason or owner, or that alone separate the outcome on the training
 * rows.  A column named in only is used even so, with a warning.
 *
 * Discovery also checks, before any fit, every level as written in the file
 * for separation (all of its rows positive, or all negative) and warns by
 * name, since the maximum-likelihood estimate of such a level does not
 * exist.
 *
 * Engagement rules are not discovered here: event types are only known
 * once the events file has been read (see features.h).
 *
 * Ownership: the cJSON array and the warnings returned belong to the caller
 * (cJSON_Delete, mql_strings_free).
 */
#ifndef MQLCAL_DISCOVER_H
#define MQLCAL_DISCOVER_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include <mqlcal/contacts.h>
#include <mqlcal/error.h>
#include <mqlcal/population.h>

/* A growable list of owned strings (warnings, notes). */
typedef struct mql_strings {
	char **items;
	size_t count;
	size_t capacity;
} mql_strings;

/* Appends a printf-formatted string.  Returns 0, MQL_ERR_NOMEM, or
 * MQL_ERR_INTERNAL when the C library cannot format the arguments. */
int mql_strings_add(mql_strings *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Appends the trimmed, non-empty pieces of text between separators
 * ("a, b,,c" -> "a", "b", "c").  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_strings_split(mql_strings *list, const char *text, char separator);

/* Frees every string and the array; the list is left empty.  list may be
 * NULL. */
void mql_strings_release(mql_strings *list);

typedef struct mql_discover_options {
	size_t min_support;	 /* levels below it are pooled; default 20 */
	int numeric_linear;	 /* 1: `linear` rules for numeric properties */
	size_t numeric_bins;	 /* quantile bins; default 5 */
	const char *const *only; /* --properties: these columns only, or NULL */
	size_t only_count;
	const char *exclude; /* the outcome column, never a feature */
} mql_discover_options;

/* Fills o with the defaults. */
void mql_discover_options_init(mql_discover_options *o);

/*
 * The columns discovery left out and why, in file order: columns[i] was
 * left out for reasons[i] (the outcome column itself is not listed).
 */
typedef struct mql_discover_excluded {
	mql_strings columns;
	mql_strings reasons;
} mql_discover_excluded;

/* Frees both lists; e is left empty.  e may be NULL. */
void mql_discover_excluded_release(mql_discover_excluded *e);

/*
 * Appends the discovered fit rules to fit_rules (a cJSON array), the
 * warnings to warnings and the columns left out to excluded (which may be
 * NULL).  Returns 0, MQL_ERR_USAGE when a column named in only does not
 * exist or cannot be a feature (err says why), MQL_ERR_NOMEM.
 */
int mql_discover_fit_rules(cJSON *fit_rules, mql_strings *warnings,
			   mql_discover_excluded *excluded,
			   const mql_contacts *contacts,
			   const mql_population *population,
			   const mql_discover_options *opt, mql_error *err);

/*
 * Writes a rule id made from parts into buf of size n: lowercase ASCII
 * letters and digits, every other run of characters one '_', no leading
 * or trailing '_' ("Lead Origin", "Quick Add Form" ->
 * "lead_origin_quick_add_form").  Returns buf.
 */
char *mql_discover_slug(char *buf, size_t n, const char *const *parts,
			size_t part_count);

/* x rounded to two significant digits (0 stays 0). */
double mql_discover_round_edge(double x);

#endif
