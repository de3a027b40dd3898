/*
 * funnel.c - groups, stage counts and conversion rates (see funnel.h).
 * The Kaplan-Meier waits are in funnel_wait.c.
 */
#include <mqlcal/funnel.h>

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "funnel_internal.h"

static const char *const count_names[MQL_FUNNEL_COUNTS] = {
	"leads", "mql", "sal", "sql", "opportunity", "customer"};
static const char *const step_names[MQL_FUNNEL_STEPS] = {
	"lead_to_mql",
	"mql_to_sal",
	"mql_to_sql",
	"sql_to_opportunity",
	"opportunity_to_customer",
	"mql_to_customer"};
static const int step_stages[MQL_FUNNEL_STEPS][2] = {
	{MQL_FUNNEL_LEADS, MQL_FUNNEL_MQL},
	{MQL_FUNNEL_MQL, MQL_FUNNEL_SAL},
	{MQL_FUNNEL_MQL, MQL_FUNNEL_SQL},
	{MQL_FUNNEL_SQL, MQL_FUNNEL_OPPORTUNITY},
	{MQL_FUNNEL_OPPORTUNITY, MQL_FUNNEL_CUSTOMER},
	{MQL_FUNNEL_MQL, MQL_FUNNEL_CUSTOMER}};

/* The contacts-table stage of each counted stage (leads: created). */
static const int counted_stage[MQL_FUNNEL_COUNTS] = {
	MQL_STAGE_CREATED, MQL_STAGE_MQL,	  MQL_STAGE_SAL,
	MQL_STAGE_SQL,	   MQL_STAGE_OPPORTUNITY, MQL_STAGE_CUSTOMER};

#define MISSING_LABEL "(none)"
#define TOTAL_LABEL   "all"

const char *mql_funnel_count_name(int count)
{
	return count >= 0 && count < MQL_FUNNEL_COUNTS ? count_names[count]
						       : NULL;
}

const char *mql_funnel_step_name(int step)
{
	return step >= 0 && step < MQL_FUNNEL_STEPS ? step_names[step] : NULL;
}

void mql_funnel_options_init(mql_funnel_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->cohort = MQL_COHORT_NONE;
	opt->as_of = MQL_TIME_NONE;
}

mql_rate mql_funnel_wilson(size_t x, size_t n, double z)
{
	mql_rate r = {x, n, NAN, NAN, NAN};
	double p, z2n, denominator, center, half;
	if (n == 0)
		return r;
	if (x > n)
		x = r.successes = n;
	p = (double)x / (double)n;
	z2n = z * z / (double)n;
	denominator = 1.0 + z2n;
	center = (p + z2n / 2.0) / denominator;
	half = z * sqrt(p * (1.0 - p) / (double)n + z2n / (4.0 * (double)n)) /
	       denominator;
	r.rate = p;
	/* At 0/n and n/n the formula gives 0 and 1 up to rounding: exact. */
	r.low = x == 0 ? 0.0 : fmax(0.0, center - half);
	r.high = x == n ? 1.0 : fmin(1.0, center + half);
	return r;
}

/* Below this many rows the funnel keeps to one thread. */
#define THREAD_MIN_ROWS 65536

int funnel_thread_count(const mql_contacts *c)
{
	return c->count >= THREAD_MIN_ROWS && sysconf(_SC_NPROCESSORS_ONLN) > 1
		       ? MQL_FUNNEL_THREADS
		       : 1;
}

/* Resolves a --by name to its column in the table. */
static int resolve_dimension(dimension *d, const mql_contacts *c,
			     const char *name, mql_error *err)
{
	const mql_property *p;
	memset(d, 0, sizeof *d);
	d->name = name;
	if (strcasecmp(name, "channel") == 0 && c->channel) {
		d->index = c->channel;
		d->dict = &c->channels;
		return MQL_OK;
	}
	if (strcasecmp(name, "campaign") == 0 && c->campaign) {
		d->index = c->campaign;
		d->dict = &c->campaigns;
		return MQL_OK;
	}
	p = mql_contacts_property(c, name);
	if (p) {
		d->index = p->level;
		d->dict = &p->levels;
		d->name = p->name;
		return MQL_OK;
	}
	return mql_error_set(err, MQL_ERR_USAGE, c->path, 0, 0,
			     "no column '%s' to group by (expected channel, "
			     "campaign or a property column)",
			     name);
}

/* A heap copy of s, or NULL when out of memory. */
static char *copy_string(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len + 1);
	if (copy)
		memcpy(copy, s, len + 1);
	return copy;
}

/* The label of row's value in dimension d, as a new string. */
static char *dimension_label(const dimension *d, const mql_contacts *c,
			     size_t row, int32_t key)
{
	char buf[32];
	const char *text = MISSING_LABEL;
	if (key >= 0 && d->cohort == MQL_COHORT_MONTH)
		text = mql_time_month_label(c->stage_at[MQL_STAGE_CREATED][row],
					    buf, sizeof buf);
	else if (key >= 0 && d->cohort == MQL_COHORT_QUARTER)
		text = mql_time_quarter_label(
			c->stage_at[MQL_STAGE_CREATED][row], buf, sizeof buf);
	else if (key >= 0)
		text = mql_dict_name(d->dict, key);
	return copy_string(text ? text : MISSING_LABEL);
}

/* The dimensions of opt: the cohort first, then the by columns. */
static int plan_dimensions(grouping *g, const mql_contacts *c,
			   const mql_funnel_options *opt, mql_error *err)
{
	g->dimension_count = 0;
	if (opt->cohort != MQL_COHORT_NONE) {
		dimension *d = &g->dimensions[g->dimension_count++];
		memset(d, 0, sizeof *d);
		d->name = "cohort";
		d->cohort = opt->cohort;
	}
	if (opt->by_count > MQL_FUNNEL_MAX_BY)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "at most %d columns to group by",
				     MQL_FUNNEL_MAX_BY);
	for (size_t i = 0; i < opt->by_count; i++) {
		int status =
			resolve_dimension(&g->dimensions[g->dimension_count++],
					  c, opt->by[i], err);
		if (status != MQL_OK)
			return status;
	}
	return MQL_OK;
}

/* Labels of each group from its first row. */
static int label_groups(mql_funnel *f, const grouping *g, const mql_contacts *c)
{
	f->groups = calloc(g->key_count ? g->key_count : 1, sizeof *f->groups);
	if (!f->groups)
		return MQL_ERR_NOMEM;
	f->group_count = g->key_count;
	for (size_t k = 0; k < g->key_count; k++) {
		mql_funnel_group *group = &f->groups[k];
		group->labels = calloc(f->label_count ? f->label_count : 1,
				       sizeof *group->labels);
		if (!group->labels)
			return MQL_ERR_NOMEM;
		for (size_t d = 0; d < g->dimension_count; d++) {
			const int32_t key =
				g->keys[k * MQL_FUNNEL_DIMENSIONS + d];
			group->labels[d] = dimension_label(
				&g->dimensions[d], c, g->first_row[k], key);
			if (!group->labels[d])
				return MQL_ERR_NOMEM;
		}
	}
	return MQL_OK;
}

/* A group being sorted, with what the comparison needs. */
typedef struct sort_item {
	mql_funnel_group group;
	size_t old_index;
	size_t label_count;
} sort_item;

/* Group order: label by label, "(none)" after every real value. */
static int compare_groups(const void *a, const void *b)
{
	const sort_item *x = a, *y = b;
	for (size_t d = 0; d < x->label_count; d++) {
		const char *xl = x->group.labels[d], *yl = y->group.labels[d];
		int x_missing = strcmp(xl, MISSING_LABEL) == 0;
		int y_missing = strcmp(yl, MISSING_LABEL) == 0;
		int order;
		if (x_missing != y_missing)
			return x_missing - y_missing;
		order = strcmp(xl, yl);
		if (order != 0)
			return order;
	}
	return x->old_index < y->old_index ? -1 : 1;
}

/* Sorts the groups and renumbers the rows' groups to match. */
static int sort_groups(mql_funnel *f, grouping *g, const mql_contacts *c)
{
	sort_item *items =
		malloc((f->group_count ? f->group_count : 1) * sizeof *items);
	int32_t *new_index;
	if (!items)
		return MQL_ERR_NOMEM;
	new_index = malloc((f->group_count ? f->group_count : 1) *
			   sizeof *new_index);
	if (!new_index) {
		free(items);
		return MQL_ERR_NOMEM;
	}
	for (size_t k = 0; k < f->group_count; k++) {
		items[k].group = f->groups[k];
		items[k].old_index = k;
		items[k].label_count = f->label_count;
	}
	qsort(items, f->group_count, sizeof *items, compare_groups);
	for (size_t k = 0; k < f->group_count; k++) {
		f->groups[k] = items[k].group;
		new_index[items[k].old_index] = (int32_t)k;
	}
	funnel_renumber_groups(g, c, new_index);
	free(items);
	free(new_index);
	return MQL_OK;
}

/* Whether row reached counted stage s by as_of. */
static int reached(const mql_contacts *c, size_t row, int s, mql_time until)
{
	mql_time at = c->stage_at[counted_stage[s]][row];
	if (s == MQL_FUNNEL_LEADS)
		return 1;
	/* & rather than &&: the dates are present or not at random, which a
	 * branch would guess wrong half the time */
	return (at != MQL_TIME_NONE) & (at <= until);
}

/* Adds row to the counts of group (successes of steps kept in place). */
static void count_row(mql_funnel_group *group, const mql_contacts *c,
		      size_t row, mql_time until)
{
	int hit[MQL_FUNNEL_COUNTS];
	mql_time rejected_at = c->stage_at[MQL_STAGE_REJECTED][row];
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++) {
		hit[s] = reached(c, row, s, until);
		group->count[s] += (size_t)hit[s];
	}
	for (int step = 0; step < MQL_FUNNEL_STEPS; step++)
		group->step[step].successes +=
			(size_t)(hit[step_stages[step][0]] &
				 hit[step_stages[step][1]]);
	const uint8_t *undated = c->rejected_undated;
	group->rejected += (size_t)(((rejected_at != MQL_TIME_NONE) &
				     (rejected_at <= until)) |
				    (undated ? undated[row] : 0));
	group->out_of_order += (size_t)mql_contacts_stages_out_of_order(c, row);
}

/* Turns the counted successes into rates with intervals. */
static void finish_rates(mql_funnel_group *group)
{
	for (int step = 0; step < MQL_FUNNEL_STEPS; step++)
		group->step[step] = mql_funnel_wilson(
			group->step[step].successes,
			group->count[step_stages[step][0]], MQL_WILSON_Z95);
}

/* Adds the counts of group (successes of steps not yet rates) to total. */
static void add_counts(mql_funnel_group *total, const mql_funnel_group *group)
{
	for (int s = 0; s < MQL_FUNNEL_COUNTS; s++)
		total->count[s] += group->count[s];
	for (int step = 0; step < MQL_FUNNEL_STEPS; step++)
		total->step[step].successes += group->step[step].successes;
	total->rejected += group->rejected;
	total->out_of_order += group->out_of_order;
}

/* Counts the included rows [from, to) into their groups of counts. */
static void count_rows(mql_funnel_group *counts, const grouping *g,
		       const mql_contacts *c, size_t from, size_t to,
		       mql_time as_of)
{
	/* the dates reached by as_of; every date when there is none */
	mql_time until = as_of == MQL_TIME_NONE ? INT64_MAX : as_of;
	for (size_t row = from; row < to; row++)
		if (g->row_group[row] >= 0)
			count_row(&counts[g->row_group[row]], c, row, until);
}

/* Rows counted at a time by a thread of the waits. */
#define COUNT_CHUNK ((size_t)1 << 16)

/*
 * The counting, done by the threads of the waits as each finishes its
 * waits: a thread takes the next chunk of rows until none is left, and
 * counts it into counts[thread], thread 0's being the groups themselves.
 * The counts are added up once all are done (sums: the same whatever
 * thread counted which row).
 */
typedef struct count_job {
	mql_funnel *f;
	const grouping *g;
	const mql_contacts *c;
	atomic_size_t next_chunk;
	mql_funnel_group *counts[MQL_FUNNEL_THREADS];
} count_job;

static void count_chunks(void *arg, int thread)
{
	count_job *job = arg;
	size_t n = job->c->count, chunks = (n + COUNT_CHUNK - 1) / COUNT_CHUNK;
	for (;;) {
		size_t chunk = atomic_fetch_add(&job->next_chunk, 1);
		if (chunk >= chunks)
			return;
		size_t from = chunk * COUNT_CHUNK;
		count_rows(job->counts[thread], job->g, job->c, from,
			   n - from < COUNT_CHUNK ? n : from + COUNT_CHUNK,
			   job->f->as_of);
	}
}

/* Adds the other threads' counts to the groups; the total, which every
 * included row is in, is the sum of the groups.  Then the rates. */
static void finish_counts(mql_funnel *f, const count_job *job)
{
	for (size_t k = 0; k < f->group_count; k++) {
		for (int thread = 1; thread < MQL_FUNNEL_THREADS; thread++)
			add_counts(&f->groups[k], &job->counts[thread][k]);
		add_counts(&f->total, &f->groups[k]);
		finish_rates(&f->groups[k]);
	}
	finish_rates(&f->total);
}

/* Names of the label columns and the total's "all" labels. */
static int name_labels(mql_funnel *f, const grouping *g)
{
	size_t n = f->label_count ? f->label_count : 1;
	f->label_names = calloc(n, sizeof *f->label_names);
	f->total.labels = calloc(n, sizeof *f->total.labels);
	if (!f->label_names || !f->total.labels)
		return MQL_ERR_NOMEM;
	for (size_t d = 0; d < f->label_count; d++) {
		f->label_names[d] = copy_string(g->dimensions[d].name);
		f->total.labels[d] = copy_string(TOTAL_LABEL);
		if (!f->label_names[d] || !f->total.labels[d])
			return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

static void release_grouping(grouping *g)
{
	free(g->direct_group);
	free(g->keys);
	free(g->first_row);
	free(g->slots);
	free(g->row_group);
}

/* The steps of mql_funnel_compute after the funnel is allocated. */
static int compute(mql_funnel *f, grouping *g, const mql_contacts *c,
		   const mql_funnel_options *opt, mql_error *err)
{
	int status = plan_dimensions(g, c, opt, err);
	if (status != MQL_OK)
		return status;
	f->label_count = g->dimension_count;
	if ((status = name_labels(f, g)) != MQL_OK ||
	    (status = funnel_assign_groups(
		     g, c, f->as_of, &f->created_after_as_of)) != MQL_OK ||
	    (status = label_groups(f, g, c)) != MQL_OK ||
	    (status = sort_groups(f, g, c)) != MQL_OK)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	/* the counts and the waits fill different fields of the groups */
	count_job counting = {f, g, c, 0, {f->groups}};
	atomic_init(&counting.next_chunk, 0);
	for (int thread = 1; thread < MQL_FUNNEL_THREADS; thread++) {
		counting.counts[thread] = calloc(
			f->group_count ? f->group_count : 1, sizeof *f->groups);
		if (!counting.counts[thread])
			status = MQL_ERR_NOMEM;
	}
	if (status == MQL_OK)
		status = funnel_compute_waits(f, c, g->row_group,
					      opt->keep_curves, count_chunks,
					      &counting, err);
	else
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status == MQL_OK)
		finish_counts(f, &counting);
	for (int thread = 1; thread < MQL_FUNNEL_THREADS; thread++)
		free(counting.counts[thread]);
	return status;
}

int mql_funnel_compute(mql_funnel **out, const mql_contacts *contacts,
		       const mql_funnel_options *opt, mql_error *err)
{
	grouping g;
	int status;
	mql_funnel *f = calloc(1, sizeof *f);
	*out = NULL;
	if (!f)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	memset(&g, 0, sizeof g);
	f->as_of = opt->as_of != MQL_TIME_NONE
			   ? opt->as_of
			   : mql_contacts_latest_time(contacts);
	f->acceptance = contacts->acceptance;
	for (size_t row = 0;
	     contacts->rejected_undated && row < contacts->count; row++)
		f->undated_rejections += contacts->rejected_undated[row];
	status = compute(f, &g, contacts, opt, err);
	release_grouping(&g);
	if (status != MQL_OK) {
		mql_funnel_free(f);
		return status;
	}
	*out = f;
	return MQL_OK;
}

static void release_group(mql_funnel_group *group, size_t label_count)
{
	if (group->labels)
		for (size_t d = 0; d < label_count; d++)
			free(group->labels[d]);
	free(group->labels);
	for (int w = 0; w < MQL_FUNNEL_WAITS; w++)
		mql_survival_free(group->wait[w].curve);
}

void mql_funnel_free(mql_funnel *f)
{
	if (!f)
		return;
	for (size_t k = 0; k < f->group_count; k++)
		release_group(&f->groups[k], f->label_count);
	release_group(&f->total, f->label_count);
	if (f->label_names)
		for (size_t d = 0; d < f->label_count; d++)
			free(f->label_names[d]);
	free(f->label_names);
	free(f->groups);
	free(f);
}
