/*
 * features.h - the design matrix of a fit population, as of each row's
 * decision time.
 *
 * One column per rule of a rule structure (the rule file in use, or one
 * discovered from the data): a fit rule's unit value (1/0, or the value of
 * a `linear` rule) from the scorer, and an engagement rule's
 * min(max_count, D_r(t)) with its decay, where t is the row's decision time
 * (mql_at).  Both come from the score module's per-rule pieces
 * (mql_scorer_fit_unit, mql_rule_decay_weight, mql_rule_capped), so what is
 * fitted is what the scorer runs.
 *
 * Leakage: an event dated after its row's decision time never enters (the
 * count of such events is reported).  A row without a decision time (only
 * with --outcome) takes every event, up to --as-of when one was given;
 * without --as-of there is no time to decay from, so such a row's events
 * all weigh 1.
 *
 * Streaming: the events file is read once; nothing but the accumulated
 * decayed counts is kept.  Memory: rows x columns doubles for the design,
 * plus rows x engagement rules x variants decayed counts per reading
 * thread, and 16 bytes per contact; never the events.  A regular events
 * file is read in byte ranges on several threads (mql_events_scan), each
 * into its own counts, added after the threads join.  The counts are summed
 * in fixed point (integers), so the features have the same bits whatever
 * the order of the file's rows and the number of threads.
 *
 * Variants: every engagement rule keeps its decayed count under its own
 * decay (variant 0) and, when the half-life grid is asked for, under each
 * grid value (variants 1..MQL_HALF_LIFE_GRID_COUNT: 3, 7, 14, 30, 60, 90,
 * 180, 365 days and none), all accumulated in the one pass, so the
 * half-life search re-evaluates decays without re-reading the events.
 * mql_features_set_variant rewrites a rule's column and its decay.
 *
 * Discovery (no rule file): fit rules from discover.h, then one engagement
 * rule per event type met among the population's events (id from the type
 * name, no decay, no cap).
 *
 * Ownership: an mql_features owns its rule structure, matrix and arrays;
 * mql_features_free releases them.
 */
#ifndef MQLCAL_FEATURES_H
#define MQLCAL_FEATURES_H

#include <stddef.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/discover.h>
#include <mqlcal/error.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>

/* Half-life grid of --half-lives auto, in days; 0 means no decay. */
#define MQL_HALF_LIFE_GRID_COUNT 9
extern const double mql_half_life_grid[MQL_HALF_LIFE_GRID_COUNT];

typedef struct mql_features_options {
	mql_discover_options discover; /* used when there is no rule file */
	int half_life_grid;	       /* accumulate the grid variants */
	int threads; /* events reading threads, as mql_events_summarize */
} mql_features_options;

/* Fills o with the defaults (discovery defaults, no grid). */
void mql_features_options_init(mql_features_options *o);

typedef struct mql_features {
	size_t rows;		 /* population members, in population order */
	size_t columns;		 /* fit_count + engagement_count */
	size_t fit_count;	 /* columns 0.. are rules->fit */
	size_t engagement_count; /* then rules->engagement */
	double *x;		 /* rows x columns, row-major, no intercept */
	const char **names;	 /* column names: the rule ids (in rules) */
	double *support;	 /* rows where the column is not 0 */
	mql_rules *rules;	 /* the structure, decays as last set */

	size_t variant_count; /* 1, or 1 + MQL_HALF_LIFE_GRID_COUNT */
	double **decayed;     /* [rule * variant_count + v]: rows values of D */
	int *variant;	      /* chosen variant of each engagement rule */
	mql_decay_kind *own_decay; /* each engagement rule's decay as given */
	double *own_decay_days;

	size_t events_read;		/* joined events of the file */
	size_t events_used;		/* counted by some rule for a member */
	size_t events_after_decision;	/* left out: after the row's decision */
	mql_strings warnings;		/* discovery's and the build's notes */
	mql_discover_excluded excluded; /* columns discovery left out */

	int from_table; /* read from a features table (sql.h): no events */
} mql_features;

/*
 * Builds the features of population.  rules: the structure to refit
 * (ownership taken, even on failure), or NULL to discover one.
 * events_path: NULL when there are no events.  Returns 0, or
 * MQL_ERR_NOFILE / MQL_ERR_INPUT (events file; a rule naming a column the
 * contacts lack), MQL_ERR_USAGE (bad --properties), MQL_ERR_NOMEM.  *out
 * belongs to the caller.
 */
int mql_features_build(mql_features **out, const mql_contacts *contacts,
		       const mql_population *population, mql_rules *rules,
		       const char *events_path, const mql_csv_options *csv,
		       const mql_features_options *opt, mql_error *err);

/*
 * Uses variant v of engagement rule index rule: rewrites its column of x
 * (and support) and sets the rule's decay (v = 0: its own; else the grid
 * value, half_life_days or none).  Returns 0, or MQL_ERR_USAGE when rule or
 * v is out of range.
 */
int mql_features_set_variant(mql_features *f, size_t rule, size_t v);

/* The half-life in days of grid variant v (1..), 0 for none; NAN for v = 0
 * or out of range. */
double mql_features_variant_half_life(size_t v);

/*
 * The time member i's events are counted up to: its decision time, else
 * the as-of the caller gave, else INT64_MAX (every event, weighing 1).
 * Cannot fail.
 */
mql_time mql_features_horizon(const mql_population *p, size_t i);

/* Frees f.  f may be NULL. */
void mql_features_free(mql_features *f);

#endif
