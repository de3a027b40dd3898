/*
 * test_gen.c - the generator: calendar arithmetic and the fast writers
 * against worked values, the old rules' threshold crossing on a hand-built
 * contact, determinism and option checks of mql_gen_run.  The statistical
 * properties of a whole history are checked end to end by
 * tests/cli/gen_truth.sh with an independent implementation.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/gen.h>
#include <mqlcal/rules.h>

#include "../libcore/src/gen_internal.h"

/* Reads a whole stream back into a NUL-terminated buffer (caller frees). */
static char *slurp(FILE *fp, size_t *length)
{
	long size;
	char *text;
	fflush(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	text = malloc((size_t)size + 1);
	if (!text)
		return NULL;
	*length = fread(text, 1, (size_t)size, fp);
	text[*length] = '\0';
	return text;
}

static void civil_days_match_worked_values(void)
{
	int y, m, d;
	/* 2000-01-01 is day 10957 (30 years, 7 leap days: 30*365+7);
	 * 2000-03-01 adds 31 + 29 = 60 days: 11017. */
	CU_ASSERT_EQUAL(mql_time_days_from_civil(1970, 1, 1), 0);
	CU_ASSERT_EQUAL(mql_time_days_from_civil(2000, 1, 1), 10957);
	CU_ASSERT_EQUAL(mql_time_days_from_civil(2000, 3, 1), 11017);
	/* 2024-01-01 = 19723; to October: 31+29+31+30+31+30+31+31+30 = 274. */
	CU_ASSERT_EQUAL(mql_time_days_from_civil(2024, 10, 1), 19997);
	CU_ASSERT_EQUAL(mql_time_days_from_civil(1969, 12, 31), -1);
	mql_gen_civil_from_days(11016, &y, &m, &d);
	CU_ASSERT(y == 2000 && m == 2 && d == 29);
	mql_gen_civil_from_days(-1, &y, &m, &d);
	CU_ASSERT(y == 1969 && m == 12 && d == 31);
}

static void writer_formats_fields(void)
{
	FILE *fp = tmpfile();
	gen_writer w;
	size_t n;
	char *text;
	CU_ASSERT_FATAL(fp != NULL);
	/* A tiny buffer so the flush path is taken many times. */
	CU_ASSERT_FATAL(mql_gen_writer_init(&w, fp, 8) == MQL_OK);
	/* 2000-02-29T12:34:56Z = 11016 days * 86400 + 12*3600 + 34*60 + 56
	 * = 951782400 + 45296 = 951827696. */
	mql_gen_put_time(&w, 951827696);
	mql_gen_put_char(&w, '|');
	mql_gen_put_time(&w, 0);
	mql_gen_put_char(&w, '|');
	mql_gen_put_time(&w, MQL_TIME_NONE);
	mql_gen_put_char(&w, '|');
	mql_gen_put_long(&w, -9007199254740993LL);
	mql_gen_put_char(&w, '|');
	mql_gen_put_long(&w, 0);
	mql_gen_put_char(&w, '|');
	mql_gen_put_field(&w, "VP, Demand Generation");
	mql_gen_put_char(&w, '|');
	mql_gen_put_field(&w, "the \"best\" CMO");
	mql_gen_put_char(&w, '|');
	mql_gen_put_field(&w, "Student");
	CU_ASSERT_EQUAL(mql_gen_writer_flush(&w), MQL_OK);
	text = slurp(fp, &n);
	CU_ASSERT_STRING_EQUAL(text, "2000-02-29T12:34:56Z|"
				     "1970-01-01T00:00:00Z||"
				     "-9007199254740993|0|"
				     "\"VP, Demand Generation\"|"
				     "\"the \"\"best\"\" CMO\"|Student");
	free(text);
	mql_gen_writer_release(&w);
	fclose(fp);
}

/* A contact of the old rules' world with a few events. */
static void hand_contact(gen_contact *c, mql_event *events, size_t count)
{
	memset(c, 0, sizeof *c);
	c->created = 1000000;
	c->channel = CH_PAID_SEARCH;
	snprintf(c->job_title, sizeof c->job_title, "VP Marketing");
	c->seniority = 1; /* VP */
	c->company_size = 1500;
	c->industry = 0; /* Software */
	c->country = 0;	 /* United States */
	c->events = events;
	c->event_count = count;
}

#define EVENT(at_, type_)                                                      \
	{                                                                      \
		0, type_, -1, at_                                              \
	}

static void old_rules_cross_at_the_right_event(void)
{
	gen_models models;
	gen_contact c;
	double fit = 0;
	mql_time crossing = 0;
	/* Fit: seniority_vp 20 + size_1000 15 + country_us 5 = 40.
	 * Engagement (no decay): demo 30 (cap 1), pricing 10 each (cap 3),
	 * open 1.  After the first demo: 70; second demo: capped, still 70;
	 * first pricing: 80; an open: 81; second pricing at t=5000: 91 >= 90.
	 */
	mql_event events[] = {
		EVENT(2000, EV_DEMO_REQUEST),	   EVENT(3000, EV_DEMO_REQUEST),
		EVENT(4000, EV_PRICING_PAGE_VIEW), EVENT(4500, EV_EMAIL_OPEN),
		EVENT(5000, EV_PRICING_PAGE_VIEW), EVENT(6000, EV_UNSUBSCRIBE),
	};
	hand_contact(&c, events, 6);
	CU_ASSERT_FATAL(mql_gen_models_init(&models, NULL) == MQL_OK);
	CU_ASSERT(mql_gen_fit_score(models.old_rules, &c, &fit, NULL) == 0);
	CU_ASSERT_DOUBLE_EQUAL(fit, 40, 1e-12);
	CU_ASSERT(mql_gen_crossing(&models, &c, 7000, &crossing, NULL) == 0);
	CU_ASSERT_EQUAL(crossing, 5000);
	/* As of 4999 it has not crossed yet. */
	CU_ASSERT(mql_gen_crossing(&models, &c, 4999, &crossing, NULL) == 0);
	CU_ASSERT_EQUAL(crossing, MQL_TIME_NONE);
	/* Without the second pricing view: 40+30+10+1+1 = 82 at most. */
	events[4].type = EV_EMAIL_OPEN;
	CU_ASSERT(mql_gen_crossing(&models, &c, 7000, &crossing, NULL) == 0);
	CU_ASSERT_EQUAL(crossing, MQL_TIME_NONE);
	mql_gen_models_release(&models);
}

static void true_model_decays_by_half_life(void)
{
	gen_models models;
	gen_contact c;
	double p = 0;
	/* Two demo requests 30 and 60 days before t (half-life 30, cap 2):
	 * D = 0.5 + 0.25 = 0.75, contribution 1.4 * 0.75 = 1.05.
	 * Fit: seniority_exec 0.9, title_marketing 0.3 ("VP Marketing"),
	 * size_large 0.9, industry_core 0.4 (Software) = 2.5.
	 * logit = intercept -2.3 + 2.5 + 1.05 = 1.25. */
	mql_time day = MQL_SECONDS_PER_DAY;
	mql_time t = 1000000 + 90 * day;
	mql_event events[] = {
		EVENT(1000000 + 30 * day, EV_DEMO_REQUEST),
		EVENT(1000000 + 60 * day, EV_DEMO_REQUEST),
		EVENT(1000000 + 91 * day, EV_DEMO_REQUEST), /* after t */
	};
	hand_contact(&c, events, 3);
	CU_ASSERT_FATAL(mql_gen_models_init(&models, NULL) == MQL_OK);
	CU_ASSERT(mql_gen_true_probability(&models, &c, t, &p, NULL) == 0);
	CU_ASSERT_DOUBLE_EQUAL(p, 1 / (1 + exp(-1.25)), 1e-12);
	/* Missing seniority: -0.3 instead of +0.9, so 1.25 - 1.2 = 0.05. */
	c.seniority = -1;
	CU_ASSERT(mql_gen_true_probability(&models, &c, t, &p, NULL) == 0);
	CU_ASSERT_DOUBLE_EQUAL(p, 1 / (1 + exp(-0.05)), 1e-12);
	mql_gen_models_release(&models);
}

/* Runs the generator into temporary files; returns the status. */
static int run_into(const mql_gen_options *opt, FILE **files,
		    mql_gen_summary *summary)
{
	mql_gen_outputs out;
	for (int i = 0; i < 5; i++)
		files[i] = tmpfile();
	out = (mql_gen_outputs){files[0], files[1], files[2],
				files[3], files[4], NULL};
	return mql_gen_run(opt, &out, summary, NULL);
}

static void same_seed_same_bytes(void)
{
	mql_gen_options opt;
	mql_gen_summary first, second;
	FILE *a[5], *b[5];
	mql_gen_options_init(&opt);
	opt.contacts = 300;
	opt.seed = 42;
	CU_ASSERT_FATAL(run_into(&opt, a, &first) == MQL_OK);
	CU_ASSERT_FATAL(run_into(&opt, b, &second) == MQL_OK);
	CU_ASSERT_EQUAL(first.contacts, 300);
	CU_ASSERT(first.events > 300);
	CU_ASSERT_EQUAL(first.mql,
			first.accepted + first.rejected + first.open);
	for (int i = 0; i < 5; i++) {
		size_t la = 0, lb = 0;
		char *ta = slurp(a[i], &la), *tb = slurp(b[i], &lb);
		CU_ASSERT(la > 0 && la == lb && memcmp(ta, tb, la) == 0);
		free(ta);
		free(tb);
		fclose(a[i]);
		fclose(b[i]);
	}
}

static void invalid_options_are_refused(void)
{
	mql_gen_options opt;
	mql_error err;
	FILE *files[5];
	mql_gen_options_init(&opt);
	opt.contacts = 0;
	for (int i = 0; i < 5; i++)
		files[i] = tmpfile();
	{
		mql_gen_outputs out = {files[0], files[1], files[2],
				       files[3], files[4], NULL};
		CU_ASSERT_EQUAL(mql_gen_run(&opt, &out, NULL, &err),
				MQL_ERR_USAGE);
		CU_ASSERT(strstr(err.message, "contacts") != NULL);
		opt.contacts = 10;
		opt.event_scale = 0;
		CU_ASSERT_EQUAL(mql_gen_run(&opt, &out, NULL, &err),
				MQL_ERR_USAGE);
		opt.event_scale = NAN;
		CU_ASSERT_EQUAL(mql_gen_run(&opt, &out, NULL, &err),
				MQL_ERR_USAGE);
	}
	for (int i = 0; i < 5; i++)
		fclose(files[i]);
}

/* events.csv of opt written with a scratch stream, as text (caller frees). */
static char *events_of(const mql_gen_options *opt, size_t *length)
{
	FILE *files[6];
	char *text = NULL;
	for (int i = 0; i < 6; i++)
		files[i] = tmpfile();
	mql_gen_outputs out = {files[0], files[1], files[2],
			       files[3], files[4], files[5]};
	if (mql_gen_run(opt, &out, NULL, NULL) == MQL_OK)
		text = slurp(files[1], length);
	for (int i = 0; i < 6; i++)
		fclose(files[i]);
	return text;
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rows of an events.csv text (its header dropped), split in place
 * and sorted as strings; *count receives how many. */
static char **sorted_rows(char *text, size_t *count)
{
	size_t n = 0, capacity = 1024;
	char **rows = malloc(capacity * sizeof *rows);
	char *line = strchr(text, '\n');
	while (rows && line && line[1]) {
		char *start = line + 1;
		line = strchr(start, '\n');
		if (line)
			*line = '\0';
		if (n == capacity) {
			char **grown =
				realloc(rows, 2 * capacity * sizeof *rows);
			if (!grown)
				break;
			rows = grown;
			capacity *= 2;
		}
		rows[n++] = start;
	}
	qsort(rows, n, sizeof *rows, compare_lines);
	*count = n;
	return rows;
}

/* Whether every row's occurred_at (then contact id) is at least the last
 * row's: ISO 8601 times and C0000001 ids sort as text. */
static int in_time_order(const char *text)
{
	char last_time[32] = "", last_id[32] = "";
	const char *line = strchr(text, '\n');
	while (line && line[1]) {
		char id[32], at[32];
		if (sscanf(line + 1, "%31[^,],%31[^,]", id, at) != 2)
			return 0;
		int by_time = strcmp(at, last_time);
		if (by_time < 0 || (by_time == 0 && strcmp(id, last_id) < 0))
			return 0;
		snprintf(last_time, sizeof last_time, "%s", at);
		snprintf(last_id, sizeof last_id, "%s", id);
		line = strchr(line + 1, '\n');
	}
	return 1;
}

/*
 * The time and random orders hold the rows of the contact order; time's
 * are sorted by occurred_at; runs of 997 events (about fifteen of them,
 * merged) give the bytes that one run gives.
 */
static void orders_hold_the_same_rows(void)
{
	mql_gen_options opt;
	size_t length[3], count[3];
	char *text[3];
	mql_gen_options_init(&opt);
	opt.contacts = 300;
	opt.seed = 7;
	text[0] = events_of(&opt, &length[0]);
	CU_ASSERT_FATAL(text[0] != NULL);
	CU_ASSERT_FALSE(in_time_order(text[0]));
	char **contact_rows = sorted_rows(text[0], &count[0]);
	for (int order = MQL_GEN_ORDER_TIME; order <= MQL_GEN_ORDER_RANDOM;
	     order++) {
		opt.order = (mql_gen_order)order;
		opt.run_events = 0;
		text[1] = events_of(&opt, &length[1]);
		opt.run_events = 997;
		text[2] = events_of(&opt, &length[2]);
		CU_ASSERT_FATAL(text[1] != NULL && text[2] != NULL);
		CU_ASSERT(length[1] == length[2] &&
			  memcmp(text[1], text[2], length[1]) == 0);
		CU_ASSERT(length[1] == length[0]);
		CU_ASSERT_EQUAL(in_time_order(text[1]),
				order == MQL_GEN_ORDER_TIME);
		char **rows = sorted_rows(text[1], &count[1]);
		CU_ASSERT_FATAL(count[1] == count[0] && count[0] > 10000);
		for (size_t i = 0; i < count[0]; i++)
			if (strcmp(rows[i], contact_rows[i]) != 0) {
				CU_FAIL("a row differs between orders");
				break;
			}
		free(rows);
		free(text[1]);
		free(text[2]);
	}
	free(contact_rows);
	free(text[0]);
}

/* rules.json and truth.json's "rules" are valid rule files. */
static void written_rule_files_are_valid(void)
{
	mql_gen_options opt;
	FILE *files[5];
	size_t n_rules = 0, n_truth = 0;
	char *rules_text, *truth_text, *inner = NULL;
	cJSON *truth = NULL;
	mql_rules *old = NULL, *model = NULL;
	mql_error err;
	mql_gen_options_init(&opt);
	opt.contacts = 50;
	CU_ASSERT_FATAL(run_into(&opt, files, NULL) == MQL_OK);
	rules_text = slurp(files[3], &n_rules);
	truth_text = slurp(files[4], &n_truth);
	CU_ASSERT(mql_rules_parse(&old, rules_text, n_rules, "rules.json",
				  &err) == MQL_OK);
	truth = cJSON_Parse(truth_text);
	CU_ASSERT_FATAL(truth != NULL);
	inner = cJSON_PrintUnformatted(
		cJSON_GetObjectItemCaseSensitive(truth, "rules"));
	CU_ASSERT_FATAL(inner != NULL);
	CU_ASSERT(mql_rules_parse(&model, inner, strlen(inner), "truth.json",
				  &err) == MQL_OK);
	if (old && model) {
		const cJSON *coefficients =
			cJSON_GetObjectItemCaseSensitive(truth, "coefficients");
		const cJSON *intercept =
			cJSON_GetObjectItemCaseSensitive(truth, "intercept");
		/* The old file: threshold 90, 5 fit and 8 engagement rules. */
		CU_ASSERT_DOUBLE_EQUAL(old->threshold, 90, 0);
		CU_ASSERT_EQUAL(old->fit_count, 5);
		CU_ASSERT_EQUAL(old->engagement_count, 8);
		/* Truth: threshold = -intercept, points = coefficients. */
		CU_ASSERT_DOUBLE_EQUAL(model->threshold,
				       -intercept->valuedouble, 0);
		for (size_t i = 0; i < model->fit_count; i++)
			CU_ASSERT_DOUBLE_EQUAL(
				model->fit[i].points,
				cJSON_GetObjectItemCaseSensitive(
					coefficients, model->fit[i].id)
					->valuedouble,
				0);
		CU_ASSERT_EQUAL(model->fit_count + model->engagement_count,
				(size_t)cJSON_GetArraySize(coefficients));
	}
	mql_rules_free(old);
	mql_rules_free(model);
	cJSON_free(inner);
	cJSON_Delete(truth);
	free(rules_text);
	free(truth_text);
	for (int i = 0; i < 5; i++)
		fclose(files[i]);
}

static void full_disk_is_an_io_error(void)
{
	mql_gen_options opt;
	mql_error err;
	FILE *full = fopen("/dev/full", "w");
	FILE *files[4];
	if (!full)
		return; /* no /dev/full on this system */
	mql_gen_options_init(&opt);
	opt.contacts = 2000;
	for (int i = 0; i < 4; i++)
		files[i] = tmpfile();
	/* Each of the five outputs in turn goes to the full device. */
	for (int target = 0; target < 5; target++) {
		FILE *streams[5];
		for (int i = 0, j = 0; i < 5; i++)
			streams[i] = i == target ? full : files[j++];
		mql_gen_outputs out = {streams[0], streams[1], streams[2],
				       streams[3], streams[4], NULL};
		mql_error_clear(&err);
		CU_ASSERT_EQUAL(mql_gen_run(&opt, &out, NULL, &err),
				MQL_ERR_IO);
		CU_ASSERT(err.message[0] != '\0');
		clearerr(full);
	}
	for (int i = 0; i < 4; i++)
		fclose(files[i]);
	fclose(full);
}

CU_TestInfo test_gen[] = {
	{"civil days match worked values", civil_days_match_worked_values},
	{"writer formats fields", writer_formats_fields},
	{"old rules cross at the right event",
	 old_rules_cross_at_the_right_event},
	{"true model decays by half-life", true_model_decays_by_half_life},
	{"same seed same bytes", same_seed_same_bytes},
	{"invalid options are refused", invalid_options_are_refused},
	{"orders hold the same rows", orders_hold_the_same_rows},
	{"written rule files are valid", written_rule_files_are_valid},
	{"full disk is an io error", full_disk_is_an_io_error},
	CU_TEST_INFO_NULL,
};
