/*
 * test_contacts.c - the contacts loader: recognised columns, property
 * kinds, the id index, duplicate ids, quality counters, a real export.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>

#include "contacts_load.h"
#include "temp_file.h"

#include "../libcore/src/csv_ranges.h"

/* Loads text through a temporary file with lo (NULL = everything). */
static int load_text_ex(mql_contacts **out, const char *text,
			const mql_csv_options *opt, mql_time future_after,
			const mql_contacts_load_options *lo, mql_error *err)
{
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-contacts", text,
			strlen(text));
	int status =
		lo ? mql_contacts_load(out, path, opt, future_after, lo, err)
		   : mql_contacts_load(out, path, opt, future_after, NULL, err);
	unlink(path);
	return status;
}

static int load_text(mql_contacts **out, const char *text,
		     const mql_csv_options *opt, mql_time future_after,
		     mql_error *err)
{
	return load_text_ex(out, text, opt, future_after, NULL, err);
}

/* Four leads: c1 accepted, c2 rejected, c3 open, c4 never an MQL.  c2 has
 * an SQL date before its MQL date (out of order); c4 a creation date in
 * 2030 (in the future of the reference time 2027-01-01). */
static const char sample[] =
	"contact_id,created_at,channel,campaign,mql_at,sal_at,sql_at,"
	"rejected_at,revenue,employees,job_title,psi\n"
	"c1,2026-01-05,paid_search,Q1 ads,2026-01-10,2026-01-12,,,5000,"
	"25-50,VP Sales,1\n"
	"c2,2026-01-06,events,,2026-02-01,,2026-01-20,2026-02-03,,1000+,"
	",0\n"
	"c3,2026-01-07,paid_search,Q1 ads,2026-03-01T10:00:00Z,,,,,12,"
	"Analyst,1\n"
	"c4,2030-01-01,,,,,,,,,Engineer,\n";

static void loads_columns_and_kinds(void)
{
	mql_contacts *c;
	mql_error err;
	/* date -u -d 2027-01-01 +%s = 1798761600 */
	CU_ASSERT_EQUAL_FATAL(load_text(&c, sample, NULL, 1798761600, &err), 0);
	CU_ASSERT_EQUAL(c->count, 4);
	CU_ASSERT_STRING_EQUAL(c->id[2], "c3");
	CU_ASSERT_EQUAL(c->line[2], 4);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "c3", 2), 2);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "c9", 2), -1);
	CU_ASSERT(c->has_stage[MQL_STAGE_SAL]);
	CU_ASSERT(!c->has_stage[MQL_STAGE_OPPORTUNITY]);
	/* date -u -d 2026-03-01T10:00:00Z +%s = 1772359200 */
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_MQL][2], 1772359200);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_OPPORTUNITY][0], MQL_TIME_NONE);
	CU_ASSERT_EQUAL(c->revenue[0], 5000.0);
	CU_ASSERT(isnan(c->revenue[1]));
	CU_ASSERT_EQUAL(c->channels.count, 2);
	CU_ASSERT_EQUAL(c->channel[2], c->channel[0]);
	CU_ASSERT_EQUAL(c->channel[3], -1);
	CU_ASSERT_EQUAL(c->campaign[1], -1);
	CU_ASSERT_EQUAL(c->property_count, 3);
	const mql_property *size = mql_contacts_property(c, "EMPLOYEES");
	CU_ASSERT_PTR_NOT_NULL_FATAL(size);
	CU_ASSERT_EQUAL(size->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(size->number[0], 25.0);
	CU_ASSERT_EQUAL(size->number[1], 1000.0);
	CU_ASSERT(isnan(size->number[3]));
	CU_ASSERT_EQUAL(size->missing, 1);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&size->levels, size->level[0]),
			       "25-50");
	const mql_property *title = mql_contacts_property(c, "job_title");
	CU_ASSERT_PTR_NOT_NULL_FATAL(title);
	CU_ASSERT_EQUAL(title->kind, MQL_PROPERTY_CATEGORICAL);
	CU_ASSERT_PTR_NULL(title->number);
	CU_ASSERT_EQUAL(title->level[1], -1);
	CU_ASSERT_EQUAL(title->levels.count, 3);
	const mql_property *psi = mql_contacts_property(c, "psi");
	CU_ASSERT_PTR_NOT_NULL_FATAL(psi);
	CU_ASSERT_EQUAL(psi->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(psi->levels.count, 2);
	/* channel is no property of its own, but rules can test it: the
	 * view has the two channels and c4's missing one. */
	const mql_property *channel = mql_contacts_property(c, "Channel");
	CU_ASSERT_PTR_NOT_NULL_FATAL(channel);
	CU_ASSERT_EQUAL(channel->kind, MQL_PROPERTY_CATEGORICAL);
	CU_ASSERT_EQUAL(channel->levels.count, 2);
	CU_ASSERT_EQUAL(channel->missing, 1);
	CU_ASSERT_STRING_EQUAL(
		mql_dict_name(&channel->levels, channel->level[1]), "events");
	CU_ASSERT_PTR_NOT_NULL(mql_contacts_property(c, "campaign"));
	mql_contacts_free(c);
	mql_contacts_free(NULL);
}

static void counts_outcomes_and_quality(void)
{
	mql_contacts *c;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(&c, sample, NULL, 1798761600, &err), 0);
	CU_ASSERT_EQUAL(mql_contacts_outcome(c, 0), MQL_OUTCOME_ACCEPTED);
	CU_ASSERT_EQUAL(mql_contacts_outcome(c, 1), MQL_OUTCOME_REJECTED);
	CU_ASSERT_EQUAL(mql_contacts_outcome(c, 2), MQL_OUTCOME_OPEN);
	CU_ASSERT_EQUAL(mql_contacts_outcome(c, 3), MQL_OUTCOME_NOT_MQL);
	/* c2: sql_at 2026-01-20 before mql_at 2026-02-01 */
	CU_ASSERT_EQUAL(c->quality.stages_out_of_order, 1);
	CU_ASSERT_EQUAL(c->quality.future_dates, 1);
	CU_ASSERT_EQUAL(c->quality.missing_created_at, 0);
	CU_ASSERT_EQUAL(c->quality.column_count, 12);
	CU_ASSERT_STRING_EQUAL(c->quality.column_names[5], "sal_at");
	CU_ASSERT_EQUAL(c->quality.missing[5], 3);  /* sal_at */
	CU_ASSERT_EQUAL(c->quality.missing[2], 1);  /* channel */
	CU_ASSERT_EQUAL(c->quality.missing[11], 1); /* psi */
	/* date -u -d 2030-01-01 +%s = 1893456000 */
	CU_ASSERT_EQUAL(mql_contacts_latest_time(c), 1893456000);
	mql_contacts_free(c);
}

static void rejects_duplicate_ids(void)
{
	mql_contacts *c = NULL;
	mql_error err;
	const char text[] = "contact_id,x\na,1\nb,2\n\"a\",3\n";
	CU_ASSERT_EQUAL(load_text(&c, text, NULL, MQL_TIME_NONE, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_EQUAL(err.column, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "duplicate contact_id 'a'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "line 2"));
}

static void rejects_missing_id_and_bad_dates(void)
{
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(load_text(&c, "id,x\na,1\n", NULL, MQL_TIME_NONE, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing column "
						   "'contact_id'"));
	CU_ASSERT_EQUAL(load_text(&c, "contact_id,mql_at\na,2026-02-30\n", NULL,
				  MQL_TIME_NONE, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "as a date"));
	CU_ASSERT_EQUAL(
		load_text(&c, "contact_id,x\n,1\n", NULL, MQL_TIME_NONE, &err),
		MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "missing contact_id"));
}

static void loads_real_export(void)
{
	mql_contacts *c;
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.map_path = MQL_FIXTURES "/xeducation-map.json";
	opt.na = "Select";
	int status = mql_contacts_load(&c, MQL_FIXTURES "/leads-xeducation.csv",
				       &opt, MQL_TIME_NONE, NULL, &err);
	CU_ASSERT_EQUAL_FATAL(status, 0);
	/* Counts from the data's README (shared/data/README.md). */
	CU_ASSERT_EQUAL(c->count, 9240);
	CU_ASSERT_EQUAL(c->quality.column_count, 37);
	const mql_property *converted = mql_contacts_property(c, "Converted");
	CU_ASSERT_PTR_NOT_NULL_FATAL(converted);
	CU_ASSERT_EQUAL(converted->kind, MQL_PROPERTY_NUMERIC);
	double positives = 0;
	for (size_t i = 0; i < c->count; i++)
		positives += converted->number[i];
	CU_ASSERT_EQUAL(positives, 3561.0);
	const mql_property *origin = mql_contacts_property(c, "Lead Origin");
	CU_ASSERT_PTR_NOT_NULL_FATAL(origin);
	int32_t api = mql_dict_find(&origin->levels, "API", 3);
	size_t api_rows = 0;
	for (size_t i = 0; i < c->count; i++)
		api_rows += origin->level[i] == api;
	CU_ASSERT_EQUAL(api_rows, 3580);
	CU_ASSERT_EQUAL(origin->levels.count, 5);
	/* `--na Select` makes the placeholder missing: Specialization has
	 * no level "Select". */
	const mql_property *spec = mql_contacts_property(c, "Specialization");
	CU_ASSERT_PTR_NOT_NULL_FATAL(spec);
	CU_ASSERT_EQUAL(mql_dict_find(&spec->levels, "Select", 6), -1);
	CU_ASSERT(spec->missing > 0);
	CU_ASSERT(c->channels.count > 0);
	mql_contacts_free(c);
}

/* Whether two loads of one file agree on everything but properties. */
static void assert_same_rows(const mql_contacts *a, const mql_contacts *b)
{
	CU_ASSERT_EQUAL_FATAL(a->count, b->count);
	CU_ASSERT_EQUAL(a->channels.count, b->channels.count);
	CU_ASSERT_EQUAL(a->campaigns.count, b->campaigns.count);
	size_t differing = 0;
	for (size_t row = 0; row < a->count; row++) {
		differing += strcmp(a->id[row], b->id[row]) != 0;
		differing += a->line[row] != b->line[row];
		differing += a->channel[row] != b->channel[row];
		differing += a->campaign[row] != b->campaign[row];
		differing += memcmp(&a->revenue[row], &b->revenue[row],
				    sizeof(double)) != 0;
		for (int s = 0; s < MQL_STAGE_COUNT; s++)
			differing += a->stage_at[s][row] != b->stage_at[s][row];
		differing += mql_contacts_find(b, a->id[row],
					       strlen(a->id[row])) != (long)row;
	}
	CU_ASSERT_EQUAL(differing, 0);
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		CU_ASSERT_EQUAL(a->has_stage[s], b->has_stage[s]);
	CU_ASSERT_EQUAL(a->quality.stages_out_of_order,
			b->quality.stages_out_of_order);
	CU_ASSERT_EQUAL(a->quality.future_dates, b->quality.future_dates);
	CU_ASSERT_EQUAL(a->quality.missing_created_at,
			b->quality.missing_created_at);
	CU_ASSERT_EQUAL(a->quality.column_count, b->quality.column_count);
}

static void skips_properties(void)
{
	mql_contacts *full, *lean;
	mql_error err;
	mql_contacts_load_options lo;
	mql_contacts_load_options_init(&lo);
	CU_ASSERT_EQUAL(lo.properties, MQL_CONTACTS_PROPERTIES_ALL);
	lo.properties = MQL_CONTACTS_PROPERTIES_NONE;
	CU_ASSERT_EQUAL_FATAL(load_text(&full, sample, NULL, 1798761600, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(
		load_text_ex(&lean, sample, NULL, 1798761600, &lo, &err), 0);
	assert_same_rows(full, lean);
	CU_ASSERT_EQUAL(lean->property_count, 0);
	CU_ASSERT_PTR_NULL(mql_contacts_property(lean, "job_title"));
	CU_ASSERT_PTR_NOT_NULL(mql_contacts_property(lean, "channel"));
	/* Recognised columns are still counted, skipped ones not: sal_at
	 * misses in c2, c3, c4; psi (skipped) would have 1. */
	CU_ASSERT_EQUAL(lean->quality.missing[5], 3);
	CU_ASSERT_EQUAL(lean->quality.missing[11], 0);
	CU_ASSERT_EQUAL(full->quality.missing[11], 1);
	mql_contacts_free(full);
	mql_contacts_free(lean);
	/* A skipped column still counts in the row shape: line 3 has one
	 * field too many. */
	mql_contacts *c = NULL;
	CU_ASSERT_EQUAL(load_text_ex(&c, "contact_id,x\na,1\nb,2,3\n", NULL,
				     MQL_TIME_NONE, &lo, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(err.line, 3);
}

static void keeps_one_property(void)
{
	mql_contacts *full, *lean;
	mql_error err;
	/* "channel" is recognised, not a property; "nosuch" is absent. */
	const char *const keep[] = {"JOB_TITLE", "channel", "nosuch"};
	mql_contacts_load_options lo = {.properties =
						MQL_CONTACTS_PROPERTIES_LISTED,
					.keep = keep,
					.keep_count = 3};
	CU_ASSERT_EQUAL_FATAL(load_text(&full, sample, NULL, 1798761600, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(
		load_text_ex(&lean, sample, NULL, 1798761600, &lo, &err), 0);
	assert_same_rows(full, lean);
	CU_ASSERT_EQUAL_FATAL(lean->property_count, 1);
	CU_ASSERT_STRING_EQUAL(lean->properties[0].name, "job_title");
	CU_ASSERT_PTR_NULL(mql_contacts_property(lean, "employees"));
	const mql_property *title = mql_contacts_property(lean, "job_title");
	CU_ASSERT_PTR_NOT_NULL_FATAL(title);
	/* VP Sales, (missing), Analyst, Engineer */
	CU_ASSERT_EQUAL(title->kind, MQL_PROPERTY_CATEGORICAL);
	CU_ASSERT_EQUAL(title->levels.count, 3);
	CU_ASSERT_EQUAL(title->level[1], -1);
	CU_ASSERT_EQUAL(title->missing, 1);
	CU_ASSERT_STRING_EQUAL(mql_dict_name(&title->levels, title->level[3]),
			       "Engineer");
	CU_ASSERT_EQUAL(lean->quality.missing[10], 1); /* job_title, kept */
	mql_contacts_free(full);
	mql_contacts_free(lean);
}

/* The real export, with and without its properties: same rows. */
static void lean_load_matches_real_export(void)
{
	mql_contacts *full, *lean;
	mql_error err;
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.map_path = MQL_FIXTURES "/xeducation-map.json";
	opt.na = "Select";
	mql_contacts_load_options lo = {.properties =
						MQL_CONTACTS_PROPERTIES_NONE};
	const char *path = MQL_FIXTURES "/leads-xeducation.csv";
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&full, path, &opt, MQL_TIME_NONE, NULL, &err),
		0);
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&lean, path, &opt, MQL_TIME_NONE, &lo, &err),
		0);
	assert_same_rows(full, lean);
	CU_ASSERT_EQUAL(lean->count, 9240); /* the data's README */
	CU_ASSERT_EQUAL(lean->property_count, 0);
	mql_contacts_free(full);
	mql_contacts_free(lean);
}

/* Writes text into a new temporary file; *path gets its name. */
static void write_temp(char *path, size_t size, const char *text)
{
	temp_file_write(path, size, "mqlcal-contacts", text, strlen(text));
}

/* Whether two dictionaries hold the same names in the same order. */
static int same_dict(const mql_dict *a, const mql_dict *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->names[i], b->names[i]) != 0)
			return 0;
	return 1;
}

/* Whether two loads agree on everything, properties and quality too. */
static void assert_same_table(const mql_contacts *a, const mql_contacts *b)
{
	assert_same_rows(a, b);
	CU_ASSERT(same_dict(&a->channels, &b->channels));
	CU_ASSERT(same_dict(&a->campaigns, &b->campaigns));
	CU_ASSERT_EQUAL_FATAL(a->property_count, b->property_count);
	size_t differing = 0;
	for (size_t p = 0; p < a->property_count; p++) {
		const mql_property *x = &a->properties[p],
				   *y = &b->properties[p];
		CU_ASSERT_STRING_EQUAL(x->name, y->name);
		CU_ASSERT_EQUAL(x->kind, y->kind);
		CU_ASSERT_EQUAL(x->missing, y->missing);
		CU_ASSERT(same_dict(&x->levels, &y->levels));
		CU_ASSERT_EQUAL_FATAL(x->number == NULL, y->number == NULL);
		for (size_t row = 0; row < a->count; row++) {
			differing += x->level[row] != y->level[row];
			differing += x->number &&
				     memcmp(&x->number[row], &y->number[row],
					    sizeof(double)) != 0;
		}
	}
	CU_ASSERT_EQUAL(differing, 0);
	for (size_t i = 0; i < a->quality.column_count; i++) {
		CU_ASSERT_EQUAL(a->quality.missing[i], b->quality.missing[i]);
		CU_ASSERT_STRING_EQUAL(a->quality.column_names[i],
				       b->quality.column_names[i]);
	}
	CU_ASSERT_EQUAL(a->channel_view.missing, b->channel_view.missing);
}

/*
 * A generated file of rows leads: row i is c<i>, some quoted fields run
 * over two lines (so lines and rows differ), channels and levels appear
 * for the first time in the second half, and the column "score" is
 * numeric in the first half only.  bad_line > 0 puts an unparsable date
 * on row bad_row; dup_row > 0 gives row dup_row the id of row dup_of.
 */
static char *generated(size_t rows, size_t bad_row, size_t dup_row,
		       size_t dup_of)
{
	size_t size = rows * 160 + 200, used = 0;
	char *text = malloc(size);
	CU_ASSERT_FATAL(text != NULL);
	used += (size_t)snprintf(text, size,
				 "contact_id,created_at,channel,campaign,"
				 "note,score,mql_at,revenue\n");
	for (size_t i = 1; i <= rows; i++) {
		size_t id = i == dup_row ? dup_of : i;
		const char *note = i % 7 == 0 ? "\"two\nlines, \"\"quoted\"\"\""
				   : i % 5 == 0 ? ""
						: "plain";
		char score[16];
		if (i > rows / 2 && i % 11 == 0)
			snprintf(score, sizeof score, "n/a");
		else
			snprintf(score, sizeof score, "%zu", i % 13);
		used += (size_t)snprintf(
			text + used, size - used,
			"c%zu,2026-%02zu-%02zu,ch%zu,%s,%s,%s,%s,%zu\n", id,
			i % 12 + 1, i % 28 + 1,
			(i * i) % (i > rows / 2 ? 9 : 4), i % 3 ? "" : "camp",
			note, score,
			i == bad_row ? "2026-02-30"
			: i % 2	     ? "2026-12-01"
				     : "",
			i * 10);
	}
	return text;
}

/* Writes text (freed) to a new file named into path and loads it on one
 * thread, as the tables of more threads are compared with. */
static mql_contacts *write_and_load_one(char *path, size_t n, char *text)
{
	mql_contacts *one = NULL;
	mql_error err;
	write_temp(path, n, text);
	free(text);
	CU_ASSERT_EQUAL_FATAL(contacts_load_on(&one, path, NULL, 1798761600,
					       NULL, 0, 1, &err),
			      0);
	return one;
}

#define LEAN (MQL_CONTACTS_WITHOUT_IDS | MQL_CONTACTS_WITHOUT_REVENUE)

/* Whether a lean load of a file agrees with a full one on all it keeps. */
static void assert_lean_rows(const mql_contacts *full, const mql_contacts *lean)
{
	CU_ASSERT_EQUAL_FATAL(full->count, lean->count);
	CU_ASSERT_PTR_NULL(lean->id);
	CU_ASSERT_PTR_NULL(lean->line);
	CU_ASSERT_PTR_NULL(lean->revenue);
	CU_ASSERT(same_dict(&full->channels, &lean->channels));
	CU_ASSERT(same_dict(&full->campaigns, &lean->campaigns));
	size_t differing = 0;
	for (size_t row = 0; row < full->count; row++) {
		differing += full->channel[row] != lean->channel[row];
		differing += full->campaign[row] != lean->campaign[row];
		for (int s = 0; s < MQL_STAGE_COUNT; s++)
			differing += full->stage_at[s][row] !=
				     lean->stage_at[s][row];
	}
	CU_ASSERT_EQUAL(differing, 0);
	CU_ASSERT_EQUAL(
		mql_contacts_find(lean, full->id[0], strlen(full->id[0])), -1);
	CU_ASSERT_EQUAL(full->quality.stages_out_of_order,
			lean->quality.stages_out_of_order);
	CU_ASSERT_EQUAL(full->quality.future_dates, lean->quality.future_dates);
	for (size_t i = 0; i < full->quality.column_count; i++)
		CU_ASSERT_EQUAL(full->quality.missing[i],
				lean->quality.missing[i]);
}

/* The latest date of c's arrays, looked for directly. */
static mql_time scanned_latest(const mql_contacts *c)
{
	mql_time latest = MQL_TIME_NONE;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		for (size_t row = 0; row < c->count; row++)
			if (c->stage_at[s][row] > latest)
				latest = c->stage_at[s][row];
	return latest;
}

/* Loads path on threads threads, whole and lean: each must give one's
 * rows. */
static void assert_threads_load_like(const mql_contacts *one, const char *path,
				     int threads)
{
	mql_contacts *more;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(contacts_load_on(&more, path, NULL, 1798761600,
					       NULL, 0, threads, &err),
			      0);
	assert_same_table(one, more);
	mql_contacts_free(more);
	CU_ASSERT_EQUAL_FATAL(contacts_load_on(&more, path, NULL, 1798761600,
					       NULL, LEAN, threads, &err),
			      0);
	assert_lean_rows(one, more);
	mql_contacts_free(more);
}

/* Loads path on 1 to 5 threads; each must give the one-thread table. */
static void loads_the_same_on_threads(void)
{
	char path[256];
	mql_contacts *more;
	mql_contacts *one =
		write_and_load_one(path, sizeof path, generated(3000, 0, 0, 0));
	mql_error err;
	CU_ASSERT_EQUAL(one->count, 3000);
	CU_ASSERT_EQUAL(one->line[2999], 3000 + 1 + 3000 / 7);
	for (int threads = 2; threads <= 5; threads++) {
		CU_ASSERT_EQUAL_FATAL(contacts_load_on(&more, path, NULL,
						       1798761600, NULL, 0,
						       threads, &err),
				      0);
		assert_same_table(one, more);
		/* kept while loading: 2026-12-28, the latest created_at (row
		 * 83: 83 % 12 + 1 = 12, 83 % 28 + 1 = 28), after every mql_at
		 */
		CU_ASSERT_EQUAL(mql_contacts_latest_time(more), 1798416000);
		mql_contacts_free(more);
		CU_ASSERT_EQUAL_FATAL(contacts_load_on(&more, path, NULL,
						       1798761600, NULL, LEAN,
						       threads, &err),
				      0);
		assert_lean_rows(one, more);
		CU_ASSERT_EQUAL(mql_contacts_latest_time(more),
				scanned_latest(one));
		mql_contacts_free(more);
	}
	CU_ASSERT_EQUAL(mql_contacts_property(one, "score")->kind,
			MQL_PROPERTY_CATEGORICAL);
	mql_contacts_free(one);
	unlink(path);
	/* The real export, with its renames and NA marker. */
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.map_path = MQL_FIXTURES "/xeducation-map.json";
	opt.na = "Select";
	const char *real = MQL_FIXTURES "/leads-xeducation.csv";
	CU_ASSERT_EQUAL_FATAL(contacts_load_on(&one, real, &opt, MQL_TIME_NONE,
					       NULL, 0, 1, &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(contacts_load_on(&more, real, &opt, MQL_TIME_NONE,
					       NULL, 0, 3, &err),
			      0);
	assert_same_table(one, more);
	mql_contacts_free(one);
	mql_contacts_free(more);
}

/* Parts large enough that joining them moves their pages rather than
 * copying them (and on 3 threads, some arrays of each way): the same
 * table as one thread's. */
static void joins_large_parts_the_same(void)
{
	char path[256];
	mql_contacts *one = write_and_load_one(path, sizeof path,
					       generated(150000, 0, 0, 0));
	CU_ASSERT_EQUAL(one->count, 150000);
	for (int threads = 2; threads <= 3; threads++)
		assert_threads_load_like(one, path, threads);
	mql_contacts_free(one);
	unlink(path);
}

/* Loads the generated file on 1 to 4 threads: each must fail at line
 * with a message containing what. */
static void expect_generated_error(size_t bad_row, size_t dup_row,
				   size_t dup_of, long line, const char *what)
{
	char path[256];
	char *text = generated(3000, bad_row, dup_row, dup_of);
	write_temp(path, sizeof path, text);
	free(text);
	for (int threads = 1; threads <= 4; threads++) {
		mql_contacts *c = NULL;
		mql_error err;
		CU_ASSERT_EQUAL(contacts_load_on(&c, path, NULL, MQL_TIME_NONE,
						 NULL, 0, threads, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(c);
		CU_ASSERT_EQUAL(err.line, line);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, what));
		/* a lean load names the same line and ids */
		CU_ASSERT_EQUAL(contacts_load_on(&c, path, NULL, MQL_TIME_NONE,
						 NULL, LEAN, threads, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(c);
		CU_ASSERT_EQUAL(err.line, line);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, what));
	}
	unlink(path);
}

/* The line of row i of the generated file: the header, and one more line
 * per earlier row with a two-line note (every 7th). */
static long generated_line(size_t row)
{
	return (long)(row + 1 + (row - 1) / 7);
}

static void errors_the_same_on_threads(void)
{
	/* A bad date in the last quarter. */
	expect_generated_error(2500, 0, 0, generated_line(2500), "as a date");
	/* A repeat in the second half of an id of the first: c17 is on line
	 * 1 + 17 + 2 (rows 7 and 14 take two lines) = 20. */
	expect_generated_error(0, 2001, 17, generated_line(2001),
			       "duplicate contact_id 'c17' (first on line 20;");
	/* A bad date before the repeat is met first. */
	expect_generated_error(1201, 2001, 17, generated_line(1201),
			       "as a date");
	/* A repeat before the bad date; on one line, the repeat. */
	expect_generated_error(2801, 2001, 17, generated_line(2001),
			       "duplicate contact_id");
	expect_generated_error(2001, 2001, 17, generated_line(2001),
			       "duplicate contact_id");
}

#define NOTES_HEADER "contact_id,created_at,channel,note,mql_at\n"

/*
 * rows rows whose quoted note runs over two lines, most of a row's bytes
 * before the line end inside its quotes (row i is on lines 2i and 2i + 1);
 * bad_row > 0 gets an impossible mql_at.
 */
static char *two_line_notes(size_t rows, size_t bad_row)
{
	size_t size = rows * 300 + 100, used = 0;
	char note[201];
	memset(note, 'x', 200);
	note[200] = '\0';
	char *text = malloc(size);
	CU_ASSERT_FATAL(text != NULL);
	used += (size_t)snprintf(text, size, NOTES_HEADER);
	for (size_t i = 1; i <= rows; i++)
		used += (size_t)snprintf(
			text + used, size - used,
			"c%06zu,2026-01-%02zu,ch%zu,\"%s\nend\",%s\n", i,
			i % 28 + 1, i % 5, note,
			i == bad_row ? "2026-02-30"
			: i % 3	     ? "2026-02-01"
				     : "");
	return text;
}

/* Whether a plan of threads ranges at any line end cuts path elsewhere
 * than one outside quotes (inside a note). */
static int cuts_inside_quotes(const char *path, int threads)
{
	mql_csv_range at_line_ends[MQL_CSV_MAX_RANGES];
	mql_csv_range outside[MQL_CSV_MAX_RANGES];
	int count = 0, exact_count = 0, differ = 0;
	mql_error err;
	int64_t first = (int64_t)strlen(NOTES_HEADER);
	CU_ASSERT_EQUAL_FATAL(mql_csv_ranges_plan(at_line_ends, &count, path,
						  first, 2, threads, threads, 0,
						  MQL_CSV_CUT_AT_LINE_ENDS,
						  &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_csv_ranges_plan(outside, &exact_count, path,
						  first, 2, threads, threads, 0,
						  MQL_CSV_CUT_OUTSIDE_QUOTES,
						  &err),
			      0);
	CU_ASSERT_EQUAL_FATAL(count, exact_count);
	for (int k = 0; k < count; k++)
		differ += at_line_ends[k].begin != outside[k].begin;
	return differ > 0;
}

/* Cuts at line ends inside quoted notes (a cut meets a note's line end
 * first unless it aims at the last 16 to 27 of a row's 240-odd bytes):
 * the loads on 2 to 4 threads read again from cuts outside quotes and give
 * one thread's table, and a bad date late in the file its own line. */
static void reads_again_after_a_cut_inside_quotes(void)
{
	char path[256];
	mql_contacts *one =
		write_and_load_one(path, sizeof path, two_line_notes(4000, 0));
	mql_error err;
	CU_ASSERT_EQUAL(one->count, 4000);
	CU_ASSERT_EQUAL(one->line[3999], 2 * 4000);
	int inside = 0;
	for (int threads = 2; threads <= 4; threads++) {
		inside += cuts_inside_quotes(path, threads);
		assert_threads_load_like(one, path, threads);
	}
	CU_ASSERT(inside > 0);
	mql_contacts_free(one);
	unlink(path);
	char *text = two_line_notes(4000, 3700);
	write_temp(path, sizeof path, text);
	free(text);
	for (int threads = 1; threads <= 4; threads++) {
		mql_contacts *c = NULL;
		CU_ASSERT_EQUAL(contacts_load_on(&c, path, NULL, MQL_TIME_NONE,
						 NULL, 0, threads, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(c);
		CU_ASSERT_EQUAL(err.line, 2 * 3700);
		CU_ASSERT_EQUAL(err.column, 5);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "as a date"));
	}
	unlink(path);
}

/* A lean load listing only the channel, on 1 to 4 threads: no campaign
 * array, dictionary or view, and the channel, dates and missing counts of
 * a full load (the campaign's missing cells counted all the same). */
static void leaves_out_unlisted_labels(void)
{
	char path[256];
	mql_contacts *lean;
	mql_contacts *full =
		write_and_load_one(path, sizeof path, generated(3000, 0, 0, 0));
	mql_error err;
	const char *listed[] = {"Channel"};
	mql_contacts_load_options lo = {.properties =
						MQL_CONTACTS_PROPERTIES_LISTED,
					.keep = listed,
					.keep_count = 1};
	for (int threads = 1; threads <= 4; threads++) {
		CU_ASSERT_EQUAL_FATAL(
			contacts_load_on(
				&lean, path, NULL, 1798761600, &lo,
				LEAN | MQL_CONTACTS_WITHOUT_UNLISTED_LABELS,
				threads, &err),
			0);
		CU_ASSERT_EQUAL_FATAL(lean->count, full->count);
		CU_ASSERT_PTR_NULL(lean->campaign);
		CU_ASSERT_EQUAL(lean->campaigns.count, 0);
		CU_ASSERT_PTR_NULL(mql_contacts_property(lean, "campaign"));
		CU_ASSERT_PTR_NOT_NULL(mql_contacts_property(lean, "channel"));
		CU_ASSERT(same_dict(&full->channels, &lean->channels));
		CU_ASSERT_EQUAL(lean->property_count, 0);
		size_t differing = 0;
		for (size_t row = 0; row < full->count; row++) {
			differing += full->channel[row] != lean->channel[row];
			for (int s = 0; s < MQL_STAGE_COUNT; s++)
				differing += full->stage_at[s][row] !=
					     lean->stage_at[s][row];
		}
		CU_ASSERT_EQUAL(differing, 0);
		/* the recognised columns: contact_id, created_at, channel,
		 * campaign, mql_at, revenue (unlisted properties are not
		 * counted); two rows in three have no campaign */
		static const size_t recognised[] = {0, 1, 2, 3, 6, 7};
		for (size_t k = 0; k < 6; k++)
			CU_ASSERT_EQUAL(full->quality.missing[recognised[k]],
					lean->quality.missing[recognised[k]]);
		CU_ASSERT_EQUAL(lean->quality.missing[3], 2000);
		mql_contacts_free(lean);
	}
	mql_contacts_free(full);
	unlink(path);
}

/*
 * A Salesforce id is found in both forms: 15 characters (reports) and 18
 * (the API, exports).  The pairs are published ones: 70130000001tcyI /
 * ...AAQ (the salesforce_id_formatter gem's README), 00558000001N0Ke /
 * ...AAK (the salesforce_id_converter package's README), a0BA0000000L2ZC /
 * ...MA0 and AAaAAbbBBBCcCCC / ...123 (the doctests of a public id18()).
 */
static void finds_both_forms_of_salesforce_ids(void)
{
	static const char text[] = "contact_id,created_at\n"
				   "70130000001tcyIAAQ,2026-01-01\n"
				   "00558000001N0KeAAK,2026-01-02\n"
				   "a0BA0000000L2ZCMA0,2026-01-03\n"
				   "AAaAAbbBBBCcCCC,2026-01-04\n";
	mql_contacts *c;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(&c, text, NULL, MQL_TIME_NONE, &err),
			      0);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "70130000001tcyI", 15), 0);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "00558000001N0Ke", 15), 1);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "a0BA0000000L2ZC", 15), 2);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "AAaAAbbBBBCcCCC123", 18), 3);
	/* as they are, too */
	CU_ASSERT_EQUAL(mql_contacts_find(c, "70130000001tcyIAAQ", 18), 0);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "AAaAAbbBBBCcCCC", 15), 3);
	/* a 15-character id is case-sensitive; an 18-character one must
	 * carry its own suffix; other lengths and characters are no id */
	CU_ASSERT_EQUAL(mql_contacts_find(c, "70130000001tcyi", 15), -1);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "AAaAAbbBBBCcCCC124", 18), -1);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "70130000001tcyIA", 16), -1);
	CU_ASSERT_EQUAL(mql_contacts_find(c, "7013000000_tcyI", 15), -1);
	mql_time created = 0;
	/* date -u -d 2026-01-02 +%s = 1767312000 */
	CU_ASSERT_EQUAL(mql_contacts_find_salesforce_form(c, "00558000001N0Ke",
							  15, &created),
			1);
	CU_ASSERT_EQUAL(created, 1767312000);
	/* the exact form is not the other one */
	CU_ASSERT_EQUAL(mql_contacts_find_salesforce_form(
				c, "00558000001N0KeAAK", 18, NULL),
			-1);
	char suffix[3];
	mql_contacts_salesforce_suffix("ABCDEFGHIJKLMNO", suffix);
	CU_ASSERT_NSTRING_EQUAL(suffix, "555", 3);
	mql_contacts_free(c);
}

CU_TestInfo test_contacts[] = {
	{"loads columns and kinds", loads_columns_and_kinds},
	{"counts outcomes and quality", counts_outcomes_and_quality},
	{"rejects duplicate ids", rejects_duplicate_ids},
	{"rejects missing id and bad dates", rejects_missing_id_and_bad_dates},
	{"loads a real export", loads_real_export},
	{"skips properties", skips_properties},
	{"keeps one property", keeps_one_property},
	{"lean load matches a real export", lean_load_matches_real_export},
	{"loads the same on threads", loads_the_same_on_threads},
	{"errors the same on threads", errors_the_same_on_threads},
	{"joins large parts the same", joins_large_parts_the_same},
	{"leaves out unlisted labels", leaves_out_unlisted_labels},
	{"reads again after a cut inside quotes",
	 reads_again_after_a_cut_inside_quotes},
	{"finds both forms of Salesforce ids",
	 finds_both_forms_of_salesforce_ids},
	CU_TEST_INFO_NULL,
};
