/*
 * funnel_group.c - the group of every lead (see funnel_internal.h).
 *
 * Groups are numbered as they are met; funnel.c then sorts them by label
 * and has the rows renumbered.  When every dimension is a column of few
 * levels, a row's keys index a table of all their combinations, and the
 * rows are read on two threads: once to mark the combinations met, and,
 * once the groups are sorted, again to write each row's group.  Otherwise
 * (a cohort, or many levels) the keys are hashed, row after row.
 */
#include <stdlib.h>
#include <string.h>

#include "funnel_internal.h"
#include "parallel.h"

/* Below this many key combinations, columns map straight to groups. */
#define DIRECT_KEYS ((size_t)1 << 16)

/* The key of row in dimension d: a level index, a period, or -1. */
static int32_t dimension_key(const dimension *d, const mql_contacts *c,
			     size_t row)
{
	mql_time created;
	int year, month;
	if (!d->cohort)
		return d->index[row];
	created = c->stage_at[MQL_STAGE_CREATED][row];
	if (created == MQL_TIME_NONE)
		return -1;
	mql_time_to_civil(created, &year, &month, NULL, NULL, NULL, NULL);
	if (d->cohort == MQL_COHORT_MONTH)
		return (int32_t)(year * 12 + month - 1);
	return (int32_t)(year * 4 + (month - 1) / 3);
}

static uint64_t hash_keys(const int32_t *keys, size_t count)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < count; i++) {
		h ^= (uint32_t)keys[i];
		h *= 1099511628211u;
		h ^= h >> 29;
	}
	return h;
}

/* Doubles the hash table and re-inserts every group. */
static int grow_slots(grouping *g)
{
	size_t slot_count = g->slot_count ? g->slot_count * 2 : 64;
	int32_t *slots = malloc(slot_count * sizeof *slots);
	if (!slots)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < slot_count; i++)
		slots[i] = -1;
	for (size_t k = 0; k < g->key_count; k++) {
		size_t at = hash_keys(&g->keys[k * MQL_FUNNEL_DIMENSIONS],
				      g->dimension_count) &
			    (slot_count - 1);
		while (slots[at] >= 0)
			at = (at + 1) & (slot_count - 1);
		slots[at] = (int32_t)k;
	}
	free(g->slots);
	g->slots = slots;
	g->slot_count = slot_count;
	return MQL_OK;
}

/* Appends a new group with keys; its first row gives its labels. */
static int add_group(grouping *g, const int32_t *keys, size_t row)
{
	size_t k = g->key_count;
	if (k == g->key_capacity) {
		size_t capacity = k ? 2 * k : 16;
		int32_t *grown_keys =
			realloc(g->keys, capacity * MQL_FUNNEL_DIMENSIONS *
						 sizeof *grown_keys);
		size_t *grown_rows;
		if (!grown_keys)
			return MQL_ERR_NOMEM;
		g->keys = grown_keys;
		grown_rows =
			realloc(g->first_row, capacity * sizeof *grown_rows);
		if (!grown_rows)
			return MQL_ERR_NOMEM;
		g->first_row = grown_rows;
		g->key_capacity = capacity;
	}
	memcpy(&g->keys[k * MQL_FUNNEL_DIMENSIONS], keys,
	       MQL_FUNNEL_DIMENSIONS * sizeof *keys);
	g->first_row[k] = row;
	g->key_count++;
	return MQL_OK;
}

/* Whether two groups' keys are equal (a loop: at most three keys, where
 * a call to memcmp per row costs more than the comparison). */
static int same_keys(const int32_t *a, const int32_t *b, size_t count)
{
	for (size_t d = 0; d < count; d++)
		if (a[d] != b[d])
			return 0;
	return 1;
}

/* The group of keys, added when new; -1 when out of memory. */
static int32_t find_group(grouping *g, const int32_t *keys, size_t row)
{
	size_t at;
	if (2 * (g->key_count + 1) > g->slot_count && grow_slots(g) != MQL_OK)
		return -1;
	at = hash_keys(keys, g->dimension_count) & (g->slot_count - 1);
	while (g->slots[at] >= 0) {
		const int32_t *other =
			&g->keys[(size_t)g->slots[at] * MQL_FUNNEL_DIMENSIONS];
		if (same_keys(other, keys, g->dimension_count))
			return g->slots[at];
		at = (at + 1) & (g->slot_count - 1);
	}
	if (add_group(g, keys, row) != MQL_OK)
		return -1;
	g->slots[at] = (int32_t)(g->key_count - 1);
	return g->slots[at];
}

/* True when row is a lead as of as_of (created then or undated). */
static int included(const mql_contacts *c, size_t row, mql_time as_of)
{
	mql_time created = c->stage_at[MQL_STAGE_CREATED][row];
	return created == MQL_TIME_NONE || as_of == MQL_TIME_NONE ||
	       created <= as_of;
}

/*
 * The number of key combinations of g's dimensions when every one is a
 * column (keys -1 to its level count - 1) and there are at most
 * DIRECT_KEYS of them; else 0.
 */
static size_t direct_combinations(const grouping *g)
{
	size_t combinations = 1;
	for (size_t d = 0; d < g->dimension_count; d++) {
		const dimension *dim = &g->dimensions[d];
		if (dim->cohort || dim->dict->count >= DIRECT_KEYS)
			return 0;
		combinations *= dim->dict->count + 1;
		if (combinations > DIRECT_KEYS)
			return 0;
	}
	return combinations;
}

/* The combination of row's keys in the direct table. */
static size_t direct_slot(const grouping *g, size_t row)
{
	size_t at = 0;
	for (size_t d = 0; d < g->dimension_count; d++) {
		const dimension *dim = &g->dimensions[d];
		at = at * (dim->dict->count + 1) +
		     (size_t)(dim->index[row] + 1);
	}
	return at;
}

/* The keys of combination at (direct_slot's inverse). */
static void slot_keys(const grouping *g, size_t at, int32_t *keys)
{
	for (size_t d = g->dimension_count; d-- > 0;) {
		size_t levels = g->dimensions[d].dict->count + 1;
		keys[d] = (int32_t)(at % levels) - 1;
		at /= levels;
	}
}

/* One thread's rows of a pass over the direct table. */
typedef struct direct_job {
	grouping *g;
	const mql_contacts *c;
	mql_time as_of;
	size_t from, to;
	unsigned char *met; /* marking: the combinations met */
	size_t left_out;    /* marking: rows created after as_of */
} direct_job;

/* Marks the combinations of the included rows and puts each row's in
 * row_group (-1: left out). */
static void *mark_rows(void *arg)
{
	direct_job *job = arg;
	int32_t *row_group = job->g->row_group;
	for (size_t row = job->from; row < job->to; row++) {
		if (!included(job->c, row, job->as_of)) {
			row_group[row] = -1;
			job->left_out++;
			continue;
		}
		size_t at = direct_slot(job->g, row);
		job->met[at] = 1;
		row_group[row] = (int32_t)at;
	}
	return NULL;
}

/* Turns each row's combination into its group. */
static void *number_rows(void *arg)
{
	direct_job *job = arg;
	int32_t *row_group = job->g->row_group;
	const int32_t *group = job->g->direct_group;
	for (size_t row = job->from; row < job->to; row++)
		if (row_group[row] >= 0)
			row_group[row] = group[row_group[row]];
	return NULL;
}

/* The jobs of a pass over the c's rows, as many as threads are worth. */
static int plan_direct_jobs(direct_job *jobs, grouping *g,
			    const mql_contacts *c, mql_time as_of)
{
	int count = funnel_thread_count(c);
	for (int k = 0; k < count; k++) {
		memset(&jobs[k], 0, sizeof jobs[k]);
		jobs[k].g = g;
		jobs[k].c = c;
		jobs[k].as_of = as_of;
		jobs[k].from = c->count * (size_t)k / (size_t)count;
		jobs[k].to = c->count * (size_t)(k + 1) / (size_t)count;
	}
	return count;
}

/* Marks the combinations met (on threads), then makes a group of each, in
 * the order of the table. */
static int assign_direct(grouping *g, const mql_contacts *c, mql_time as_of,
			 size_t *left_out)
{
	direct_job jobs[MQL_FUNNEL_THREADS];
	size_t combinations = g->combinations;
	int count = plan_direct_jobs(jobs, g, c, as_of), status = MQL_OK;
	for (int k = 0; k < count && status == MQL_OK; k++)
		if (!(jobs[k].met = calloc(combinations, 1)))
			status = MQL_ERR_NOMEM;
	if (status == MQL_OK)
		mql_parallel_run_jobs(mark_rows, jobs, sizeof *jobs, count);
	for (size_t at = 0; at < combinations && status == MQL_OK; at++) {
		int met = 0;
		for (int k = 0; k < count; k++)
			met |= jobs[k].met[at];
		g->direct_group[at] = -1;
		if (!met)
			continue;
		/* labels of columns do not depend on the row: row 0 */
		int32_t keys[MQL_FUNNEL_DIMENSIONS] = {0};
		slot_keys(g, at, keys);
		g->direct_group[at] = (int32_t)g->key_count;
		status = add_group(g, keys, 0);
	}
	for (int k = 0; k < count; k++) {
		*left_out += jobs[k].left_out;
		free(jobs[k].met);
	}
	return status;
}

/* Assigns every included row its group by hashing its keys. */
static int assign_hashed(grouping *g, const mql_contacts *c, mql_time as_of,
			 size_t *left_out)
{
	int32_t keys[MQL_FUNNEL_DIMENSIONS] = {0};
	for (size_t row = 0; row < c->count; row++) {
		if (!included(c, row, as_of)) {
			g->row_group[row] = -1;
			++*left_out;
			continue;
		}
		for (size_t d = 0; d < g->dimension_count; d++)
			keys[d] = dimension_key(&g->dimensions[d], c, row);
		g->row_group[row] = find_group(g, keys, row);
		if (g->row_group[row] < 0)
			return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

int funnel_assign_groups(grouping *g, const mql_contacts *c, mql_time as_of,
			 size_t *left_out)
{
	g->row_group = malloc((c->count ? c->count : 1) * sizeof *g->row_group);
	if (!g->row_group)
		return MQL_ERR_NOMEM;
	g->combinations = direct_combinations(g);
	if (!g->combinations)
		return assign_hashed(g, c, as_of, left_out);
	g->direct_group = malloc(g->combinations * sizeof *g->direct_group);
	if (!g->direct_group)
		return MQL_ERR_NOMEM;
	return assign_direct(g, c, as_of, left_out);
}

void funnel_renumber_groups(grouping *g, const mql_contacts *c,
			    const int32_t *new_index)
{
	if (!g->combinations) {
		for (size_t row = 0; row < c->count; row++)
			if (g->row_group[row] >= 0)
				g->row_group[row] =
					new_index[g->row_group[row]];
		return;
	}
	for (size_t at = 0; at < g->combinations; at++)
		if (g->direct_group[at] >= 0)
			g->direct_group[at] = new_index[g->direct_group[at]];
	direct_job jobs[MQL_FUNNEL_THREADS];
	int count = plan_direct_jobs(jobs, g, c, MQL_TIME_NONE);
	mql_parallel_run_jobs(number_rows, jobs, sizeof *jobs, count);
}
