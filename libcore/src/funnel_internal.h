/*
 * funnel_internal.h - what funnel.c and funnel_wait.c share.  Not for
 * tools.
 */
#ifndef MQLCAL_FUNNEL_INTERNAL_H
#define MQLCAL_FUNNEL_INTERNAL_H

#include <stdint.h>

#include <mqlcal/funnel.h>

/* The cohort and up to two columns. */
#define MQL_FUNNEL_DIMENSIONS (MQL_FUNNEL_MAX_BY + 1)

/* One way of splitting leads: a column of the table, or the cohort. */
typedef struct dimension {
	const char *name;     /* label column name */
	mql_cohort cohort;    /* not NONE: the creation period */
	const int32_t *index; /* per row, -1 missing (columns only) */
	const mql_dict *dict; /* names of the indices (columns only) */
} dimension;

/* The groups found so far: keys, first rows and a hash index. */
typedef struct grouping {
	dimension dimensions[MQL_FUNNEL_DIMENSIONS];
	size_t dimension_count;
	int32_t *keys; /* MQL_FUNNEL_DIMENSIONS per group */
	size_t *first_row;
	size_t key_count, key_capacity;
	int32_t *slots; /* open addressing, -1 = empty */
	size_t slot_count;
	/* Columns of few levels: each combination of keys (-1 first) in one
	 * table, its group there (-1 = none met). */
	size_t combinations; /* 0: keys hashed */
	int32_t *direct_group;
	int32_t *row_group; /* per contact, -1 = left out */
} grouping;

/*
 * Gives every lead of c its group, found by g's dimensions: the groups are
 * numbered as met in g->keys (key_count groups, each with a first row for
 * its labels), and a row created after as_of is left out (counted into
 * *left_out).  g->row_group then holds what funnel_renumber_groups turns
 * into each row's group (-1 = left out).  Returns MQL_OK or
 * MQL_ERR_NOMEM.
 */
int funnel_assign_groups(grouping *g, const mql_contacts *c, mql_time as_of,
			 size_t *left_out);

/* Sets every row's group in g->row_group: new_index[k] is the group of
 * the group numbered k by funnel_assign_groups. */
void funnel_renumber_groups(grouping *g, const mql_contacts *c,
			    const int32_t *new_index);

/* The most threads the funnel runs on. */
#define MQL_FUNNEL_THREADS 2

/* The threads worth using on c's rows: MQL_FUNNEL_THREADS for a table of
 * 65,536 rows or more on more than one processor, else 1. */
int funnel_thread_count(const mql_contacts *c);

/*
 * Fills the waits of every group and the total: row_group gives each
 * row's group (-1 = left out).  Each thread, its waits done, then runs
 * after(after_arg, k), k its number below MQL_FUNNEL_THREADS: the calls
 * may run at once and share other work out between them as they come, so
 * that the thread done first does more.  They must not touch the waits.
 * Returns MQL_OK or MQL_ERR_NOMEM.
 */
int funnel_compute_waits(mql_funnel *f, const mql_contacts *c,
			 const int32_t *row_group, int keep_curves,
			 void (*after)(void *, int), void *after_arg,
			 mql_error *err);

#endif
