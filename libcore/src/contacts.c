/*
 * contacts.c - loads contacts.csv into a column-wise table indexed by id.
 *
 * A regular file large enough to share is cut into row-aligned ranges
 * (csv_ranges.h), each read on its own thread into a part with its own
 * arrays and dictionaries (contacts_read.c); the parts are then joined in
 * file order (contacts_merge.c), so rows, lines, dictionary order and
 * every count are those of one reader.  Ids are checked for repeats once,
 * over the joined rows, and the id -> row table is built only when first
 * needed (contacts_index.h).
 */
#include <mqlcal/contacts.h>

#include "parallel.h"
#include "contacts_internal.h"
#include "csv_reader.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define AUTO_MIN_BYTES ((int64_t)4 << 20) /* smaller files: one thread */

static const char *const stage_columns[MQL_STAGE_COUNT] = {
	"created_at",	  "mql_at",	 "sal_at",     "sql_at",
	"opportunity_at", "customer_at", "rejected_at"};

const char *mql_stage_column(int stage)
{
	if (stage < 0 || stage >= MQL_STAGE_COUNT)
		return NULL;
	return stage_columns[stage];
}

/*
 * Makes view a categorical property over a recognised label column (channel
 * or campaign): it borrows the index array and a shallow copy of the
 * dictionary, which no longer changes once loading is done.
 */
static int fill_view(mql_property *view, const char *name, int32_t *index,
		     const mql_dict *dict, size_t count)
{
	if (!(view->name = strdup(name)))
		return MQL_ERR_NOMEM;
	view->kind = MQL_PROPERTY_CATEGORICAL;
	view->number = NULL;
	view->level = index;
	view->levels = *dict;
	view->missing = 0;
	for (size_t row = 0; row < count; row++)
		view->missing += index[row] < 0;
	return MQL_OK;
}

void mql_contacts_load_options_init(mql_contacts_load_options *lo)
{
	memset(lo, 0, sizeof *lo);
	lo->properties = MQL_CONTACTS_PROPERTIES_ALL;
}

/* One range of the load and what its thread needs. */
typedef struct part_job {
	contacts_part part;
	mql_csv_range *range; /* NULL: the whole file, read as it comes */
	const char *path;
	const mql_csv_options *opt;
	const mql_contacts_load_options *lo;
	unsigned leave_out;
	int threads;
	mql_time future_after;
	int status;
	mql_error err;
} part_job;

/* Reads the job's range into its part; its reader may be open already. */
static void *run_part(void *arg)
{
	part_job *job = arg;
	mql_csv_range *range = job->range;
	int status = 0;
	if (!job->part.csv)
		status = mql_csv_open(&job->part.csv, job->path, job->opt,
				      &job->err);
	if (!status)
		status =
			contacts_part_start(&job->part, job->path, job->opt,
					    job->lo, job->leave_out, &job->err);
	if (!status && range)
		status = mql_csv_set_range(job->part.csv, range->begin,
					   range->end, range->line, &job->err);
	if (!status)
		status = contacts_part_read(&job->part, job->future_after,
					    &job->err);
	if (range) {
		int64_t offset;
		if (job->part.csv)
			mql_csv_position(job->part.csv, &offset,
					 &range->end_line);
		range->status = status;
		range->in_quotes =
			job->part.csv && mql_csv_ended_in_quotes(job->part.csv);
		range->err = job->err;
	}
	job->status = status;
	return NULL;
}

/* Runs jobs[0..count): the first on this thread, the others on their own
 * (or here, one after another, when a thread cannot be started). */
static void run_parts(part_job *jobs, int count)
{
	mql_parallel_run_jobs(run_part, jobs, sizeof *jobs, count);
}

/*
 * The id hashes of parts [0, joined) (loaded without ids, each sorted),
 * taken before the parts are joined, to be compared on a thread of their
 * own while the rows move: joining changes the first part's count of
 * stored ids, never the hashes.
 */
typedef struct compare_job {
	const uint64_t *keys[MQL_CONTACTS_MAX_THREADS];
	size_t stored[MQL_CONTACTS_MAX_THREADS];
	int repeat[MQL_CONTACTS_MAX_THREADS]; /* the part's keys_repeat */
	int joined;
	int status; /* 0, CONTACTS_NEED_IDS or MQL_ERR_NOMEM */
} compare_job;

/* Whether the hashes are all different: sets job->status. */
static void *compare_part_keys(void *arg)
{
	compare_job *job = arg;
	job->status = 0;
	for (int k = 0; k < job->joined && !job->status; k++)
		job->status = job->repeat[k] < 0 ? MQL_ERR_NOMEM
			      : job->repeat[k]	 ? CONTACTS_NEED_IDS
						 : 0;
	for (int i = 0; i < job->joined && !job->status; i++)
		for (int j = i + 1; j < job->joined && !job->status; j++)
			if (contacts_id_keys_shared(
				    job->keys[i], job->stored[i], job->keys[j],
				    job->stored[j]))
				job->status = CONTACTS_NEED_IDS;
	return NULL;
}

/*
 * Joins the parts read into the first, up to and including the first
 * that failed, and settles the outcome: a repeated id among the rows read
 * comes before the failed part's error (it is on an earlier line or the
 * same one), which comes with its line made a line of the file.
 */
static int join_parts(part_job *jobs, mql_csv_range *ranges, int count,
		      mql_error *err)
{
	long line_offset[MQL_CONTACTS_MAX_THREADS] = {0};
	int failed = 0;
	while (failed < count && jobs[failed].status == 0)
		failed++;
	if (!jobs[0].part.table) {
		*err = jobs[0].err;
		return jobs[0].status;
	}
	if (ranges)
		mql_csv_ranges_line_offsets(ranges, count, line_offset);
	/* Room for every part first: once a part's pages have moved in, the
	 * first part's arrays are several mappings and cannot grow (and the
	 * hashes compared below no longer move). */
	size_t rows = jobs[0].part.table->count + 1;
	int joined = 1, status;
	while (joined < count && joined <= failed && jobs[joined].part.table)
		rows += jobs[joined++].part.table->count + 1;
	if (contacts_part_reserve(&jobs[0].part, rows))
		return MQL_ERR_NOMEM;
	/* Without ids, the parts' hashes are compared while their rows
	 * move; the parts are released once both are done. */
	compare_job compare = {{NULL}, {0}, {0}, joined, 0};
	for (int k = 0; k < joined; k++) {
		compare.keys[k] = jobs[k].part.id_key;
		compare.stored[k] = jobs[k].part.ids_stored;
		compare.repeat[k] = jobs[k].part.keys_repeat;
	}
	pthread_t thread;
	int comparing = !jobs[0].part.lay.keep_ids;
	int threaded =
		comparing && joined > 1 &&
		pthread_create(&thread, NULL, compare_part_keys, &compare) == 0;
	if (comparing && !threaded)
		compare_part_keys(&compare);
	status = 0;
	int merged = 1;
	for (; merged < joined && !status; merged++)
		status = contacts_merge(&jobs[0].part, &jobs[merged].part,
					line_offset[merged]);
	if (threaded)
		pthread_join(thread, NULL);
	for (int k = 1; k < merged; k++)
		contacts_part_release(&jobs[k].part);
	if (compare.status)
		return compare.status;
	if (status)
		return MQL_ERR_NOMEM;
	status = contacts_check_unique(&jobs[0].part, err);
	if (status || failed == count)
		return status;
	if (ranges)
		return mql_csv_ranges_first_error(ranges, count, err);
	*err = jobs[0].err;
	return jobs[0].status;
}

/*
 * Plans the ranges of the file that jobs[0]'s open reader reads and fills
 * the jobs; returns their number (1 and no range: read as it comes).
 */
static int plan_parts(part_job *jobs, mql_csv_range *ranges,
		      enum mql_csv_cuts cuts, mql_error *err, int *status)
{
	int threads = jobs[0].threads, count = 0;
	int64_t first;
	long first_line;
	struct stat st;
	*status = 0;
	mql_csv_position(jobs[0].part.csv, &first, &first_line);
	/* The arrays are sized for what is left of a regular file. */
	jobs[0].part.begin = first;
	if (strcmp(jobs[0].path, "-") != 0 && stat(jobs[0].path, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size > first)
		jobs[0].part.expected_bytes = st.st_size - first;
	if (threads == 1)
		return 1;
	*status = mql_csv_ranges_plan(
		ranges, &count, jobs[0].path, first, first_line, threads,
		MQL_CONTACTS_MAX_THREADS, threads <= 0 ? AUTO_MIN_BYTES : 0,
		cuts, err);
	if (*status || count < 2)
		return 1;
	for (int k = 0; k < count; k++) {
		if (k > 0) {
			jobs[k] = jobs[0];
			jobs[k].part.csv = NULL;
			/* the first part is sized for them all: they join it */
			jobs[k].part.begin = ranges[k].begin;
			jobs[k].part.expected_bytes =
				ranges[k].end - ranges[k].begin;
		}
		jobs[k].range = &ranges[k];
	}
	return count;
}

/* Makes the joined first part the finished table: the views of the label
 * columns that were read. */
static int finish(mql_contacts *c)
{
	int status = 0;
	if (c->channel)
		status = fill_view(&c->channel_view, "channel", c->channel,
				   &c->channels, c->count);
	if (!status && c->campaign)
		status = fill_view(&c->campaign_view, "campaign", c->campaign,
				   &c->campaigns, c->count);
	return status;
}

/* What load returns when a cut of its plan was inside a quoted field. */
#define CUT_IN_QUOTES 1001

/* mql_contacts_load with lo set and future_after a time, cutting
 * as cuts says; may also return CONTACTS_NEED_IDS or CUT_IN_QUOTES. */
static int load(mql_contacts **out, const char *path,
		const mql_csv_options *opt, mql_time future_after,
		const mql_contacts_load_options *lo, unsigned leave_out,
		int threads, enum mql_csv_cuts cuts, mql_error *err)
{
	part_job jobs[MQL_CONTACTS_MAX_THREADS];
	mql_csv_range ranges[MQL_CSV_MAX_RANGES];
	*out = NULL;
	memset(jobs, 0, sizeof jobs);
	jobs[0].path = path;
	jobs[0].opt = opt;
	jobs[0].lo = lo;
	jobs[0].leave_out = leave_out;
	jobs[0].threads = threads;
	jobs[0].future_after = future_after;
	int status = mql_csv_open(&jobs[0].part.csv, path, opt, err);
	if (status)
		return status;
	int count = plan_parts(jobs, ranges, cuts, err, &status);
	if (!status) {
		run_parts(jobs, count);
		/* a plan that counted quotes is never wrong: what fails
		 * then is the file's own error */
		if (count > 1 && cuts == MQL_CSV_CUT_AT_LINE_ENDS &&
		    mql_csv_ranges_misplaced(ranges, count))
			status = CUT_IN_QUOTES;
		else
			status = join_parts(jobs, count > 1 ? ranges : NULL,
					    count, err);
	}
	if (!status)
		status = contacts_settle_dates(&jobs[0].part, path,
					       future_after, err);
	if (!status)
		status = contacts_check_number_points(&jobs[0].part, path, err);
	if (!status)
		contacts_settle_properties(&jobs[0].part);
	if (!status && (status = finish(jobs[0].part.table)) == 0) {
		*out = jobs[0].part.table;
		jobs[0].part.table = NULL;
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	for (int k = 0; k < count; k++) {
		contacts_part_release(&jobs[k].part);
		mql_csv_close(jobs[k].part.csv);
	}
	return status;
}

/* Loads with lo (NULL: everything), from threads threads, leaving out
 * what leave_out names. */
static int load_leaving_out(mql_contacts **out, const char *path,
			    const mql_csv_options *opt, mql_time future_after,
			    const mql_contacts_load_options *lo, int threads,
			    unsigned leave_out, mql_error *err)
{
	mql_contacts_load_options everything;
	if (!lo) {
		mql_contacts_load_options_init(&everything);
		lo = &everything;
	}
	/* One clock reading for every range (and a second load). */
	if (future_after == MQL_TIME_NONE)
		future_after = (mql_time)time(NULL);
	/* Cut at line ends as they come: counting quotes first would read
	 * the file once more, on one thread. */
	enum mql_csv_cuts cuts = MQL_CSV_CUT_AT_LINE_ENDS;
	for (;;) {
		int status = load(out, path, opt, future_after, lo, leave_out,
				  threads, cuts, err);
		if (status == CUT_IN_QUOTES)
			cuts = MQL_CSV_CUT_OUTSIDE_QUOTES;
		else if (status == CONTACTS_NEED_IDS &&
			 (leave_out & MQL_CONTACTS_WITHOUT_IDS))
			/* Two ids hashed alike: only their texts tell a
			 * repeat (with its lines) from a coincidence, so
			 * read again keeping them. */
			leave_out &= ~MQL_CONTACTS_WITHOUT_IDS;
		else
			return status;
	}
}

int mql_contacts_load(mql_contacts **out, const char *path,
		      const mql_csv_options *opt, mql_time future_after,
		      const mql_contacts_load_options *lo, mql_error *err)
{
	return load_leaving_out(out, path, opt, future_after, lo,
				lo ? lo->threads : 0, lo ? lo->leave_out : 0,
				err);
}

long mql_contacts_find(const mql_contacts *c, const char *id, size_t len)
{
	contacts_store *store = c->index;
	if (!c->id)
		return -1;
	long row = contacts_id_index_find(&store->index, c->id,
					  c->stage_at[MQL_STAGE_CREATED],
					  c->count, id, len);
	return row >= 0 ? row
			: mql_contacts_find_salesforce_form(c, id, len, NULL);
}

long mql_contacts_find_salesforce_form(const mql_contacts *c, const char *id,
				       size_t len, mql_time *created)
{
	contacts_store *store = c->index;
	char other[18];
	size_t other_len = mql_contacts_salesforce_other_form(id, len, other);
	if (!c->id || !other_len)
		return -1;
	long row = contacts_id_index_find(&store->index, c->id,
					  c->stage_at[MQL_STAGE_CREATED],
					  c->count, other, other_len);
	if (row >= 0 && created)
		*created = c->stage_at[MQL_STAGE_CREATED][row];
	return row;
}

uint32_t mql_contacts_find_ahead(const mql_contacts *c, const char *id,
				 size_t len)
{
	contacts_store *store = c->index;
	return c->id ? contacts_id_index_prefetch(
			       &store->index, c->id,
			       c->stage_at[MQL_STAGE_CREATED], c->count, id,
			       len)
		     : 0;
}

long mql_contacts_find_hashed(const mql_contacts *c, const char *id, size_t len,
			      uint32_t hash, mql_time *created)
{
	contacts_store *store = c->index;
	if (!c->id)
		return -1;
	return contacts_id_index_find_hashed(&store->index, c->id,
					     c->stage_at[MQL_STAGE_CREATED],
					     c->count, id, len, hash, created);
}

const mql_property *mql_contacts_property(const mql_contacts *c,
					  const char *name)
{
	for (size_t p = 0; p < c->property_count; p++)
		if (strcasecmp(c->properties[p].name, name) == 0)
			return &c->properties[p];
	if (c->channel_view.name && strcasecmp(name, "channel") == 0)
		return &c->channel_view;
	if (c->campaign_view.name && strcasecmp(name, "campaign") == 0)
		return &c->campaign_view;
	return NULL;
}

enum mql_outcome mql_contacts_outcome(const mql_contacts *c, size_t row)
{
	if (c->stage_at[MQL_STAGE_MQL][row] == MQL_TIME_NONE)
		return MQL_OUTCOME_NOT_MQL;
	if (c->stage_at[MQL_STAGE_SAL][row] != MQL_TIME_NONE)
		return MQL_OUTCOME_ACCEPTED;
	if (c->stage_at[MQL_STAGE_REJECTED][row] != MQL_TIME_NONE ||
	    mql_contacts_rejected_undated(c, row))
		return MQL_OUTCOME_REJECTED;
	return MQL_OUTCOME_OPEN;
}

int mql_contacts_stages_out_of_order(const mql_contacts *c, size_t row)
{
	/* MQL_TIME_NONE is the smallest time: the latest date so far is a
	 * plain maximum, and a missing date is never before it.  Without
	 * branches: the dates are present or not at random, which a branch
	 * would guess wrong half the time. */
	mql_time latest = MQL_TIME_NONE;
	mql_time mql_at = c->stage_at[MQL_STAGE_MQL][row];
	mql_time rejected_at = c->stage_at[MQL_STAGE_REJECTED][row];
	int broken = 0;
	for (int s = MQL_STAGE_CREATED; s <= MQL_STAGE_CUSTOMER; s++) {
		mql_time at = c->stage_at[s][row];
		broken |= (at != MQL_TIME_NONE) & (at < latest);
		latest = at > latest ? at : latest;
	}
	return broken |
	       ((mql_at != MQL_TIME_NONE) & (rejected_at != MQL_TIME_NONE) &
		(rejected_at < mql_at));
}

mql_time mql_contacts_latest_time(const mql_contacts *c)
{
	const contacts_store *store = c->index;
	if (store) /* a loaded table: kept while loading */
		return store->latest;
	/* MQL_TIME_NONE is the smallest time, so a plain maximum skips it
	 * (and is NONE when no date is set): a loop the compiler vectorises. */
	mql_time latest = MQL_TIME_NONE;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		const mql_time *at = c->stage_at[s];
		for (size_t row = 0; row < c->count; row++)
			latest = at[row] > latest ? at[row] : latest;
	}
	return latest;
}

void mql_contacts_free(mql_contacts *c)
{
	if (!c)
		return;
	contacts_store *store = c->index;
	/* a table is only made by the loader, which maps its arrays */
	size_t rows = store ? store->row_capacity : 0;
	if (store) {
		contacts_id_arena_release(&store->arena);
		contacts_id_index_release(&store->index);
		free(store);
	}
	contacts_rows_free(c->id, rows * sizeof *c->id);
	contacts_rows_free(c->line, rows * sizeof *c->line);
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		contacts_rows_free(c->stage_at[s],
				   rows * sizeof *c->stage_at[s]);
	contacts_rows_free(c->rejected_undated,
			   rows * sizeof *c->rejected_undated);
	contacts_rows_free(c->revenue, rows * sizeof *c->revenue);
	contacts_rows_free(c->channel, rows * sizeof *c->channel);
	contacts_rows_free(c->campaign, rows * sizeof *c->campaign);
	mql_dict_release(&c->channels);
	mql_dict_release(&c->campaigns);
	for (size_t p = 0; p < c->property_count; p++) {
		mql_property *prop = &c->properties[p];
		free(prop->name);
		contacts_rows_free(prop->number, rows * sizeof *prop->number);
		contacts_rows_free(prop->level, rows * sizeof *prop->level);
		mql_dict_release(&prop->levels);
	}
	free(c->properties);
	free(c->channel_view.name); /* the views own only their names */
	free(c->campaign_view.name);
	for (size_t i = 0; i < c->quality.column_count; i++)
		free(c->quality.column_names[i]);
	free(c->quality.column_names);
	free(c->quality.missing);
	free(c->path);
	free(c);
}
