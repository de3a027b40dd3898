/*
 * discover_internal.h - what discover.c asks discover_leakage.c: which
 * columns discovery leaves out, by name and by their relation to the
 * outcome.  Private to the discover family.
 */
#ifndef MQLCAL_DISCOVER_INTERNAL_H
#define MQLCAL_DISCOVER_INTERNAL_H

#include <stddef.h>

#include <mqlcal/contacts.h>
#include <mqlcal/population.h>

/*
 * Thresholds of the outcome guard (documented in mql-fit(1)): the
 * single-column AUC at or above which a column separates; how near 0% or
 * 100% a level's outcome rate is to count as pure; the share of the
 * positives and of the negatives in pure levels; the fewest positives and
 * negatives the guard judges at all.
 */
#define MQL_DISCOVER_LEAK_AUC	     0.95
#define MQL_DISCOVER_LEAK_PURE_RATE  0.05
#define MQL_DISCOVER_LEAK_PURE_SHARE 0.5
#define MQL_DISCOVER_LEAK_MIN_CLASS  10

/*
 * Why a column of this name is never a feature (the vocabulary of CRM
 * stage, status, score, revenue, personal, owner, id, date and export-time
 * columns), or why its name makes it probable leakage (a status, stage,
 * tag, quality, rating, reason, owner or "last ... activity"); NULL when
 * its name says neither.  The text is static.
 */
const char *mql_discover_leak_by_name(const char *name);

/*
 * How well prop alone separates the outcome on the training rows of pop
 * (all rows, or fold 0 of a holdout).  Writes a reason naming the figures
 * into reason (size n) and returns 1 when it is probable leakage: its
 * single-column AUC is at least MQL_DISCOVER_LEAK_AUC, or (categorical)
 * levels of at least min_support rows whose outcome rate is within
 * MQL_DISCOVER_LEAK_PURE_RATE of 0% or 100% hold at least
 * MQL_DISCOVER_LEAK_PURE_SHARE of the positives and of the negatives with
 * a value.  Returns 0 when not, or when the training rows hold fewer than
 * MQL_DISCOVER_LEAK_MIN_CLASS positives or negatives (so few rows separate
 * by chance); MQL_ERR_NOMEM when out of memory.
 */
int mql_discover_leak_by_outcome(char *reason, size_t n,
				 const mql_property *prop,
				 const mql_population *pop, size_t min_support);

/* True when every value of prop looks like a date or a date and time
 * (ISO 8601, d/m/y or m/d/y with '/', '.' or '-', with an optional time
 * and AM/PM). */
int mql_discover_all_dates(const mql_property *prop);

#endif
