/*
 * test_writers.c - the tables the reports write for notebooks: the
 * backtest's rows, the model's coefficients, calibration and gains, the
 * scores, ledger and story of the scorer, the change table of points, and
 * the ISO first day of a period.  Expected cells are written out by hand
 * from the inputs below.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/backtest.h>
#include <mqlcal/model.h>
#include <mqlcal/points.h>
#include <mqlcal/score_write.h>
#include <mqlcal/timeparse.h>

/* What a writer wrote into memory, CRLF turned into LF. */
typedef struct captured {
	char *text;
	size_t size;
	FILE *fp;
} captured;

static void capture_open(captured *c)
{
	c->text = NULL;
	c->size = 0;
	c->fp = open_memstream(&c->text, &c->size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->fp);
}

static const char *capture_close(captured *c)
{
	fclose(c->fp);
	char *out = c->text;
	for (const char *in = c->text; *in; in++)
		if (*in != '\r')
			*out++ = *in;
	*out = '\0';
	return c->text;
}

static void period_start_names_the_first_day(void)
{
	static const struct {
		const char *label, *start;
		int status;
	} cases[] = {
		{"2026-03", "2026-03-01", 0},
		{"2026-12", "2026-12-01", 0},
		{"2024-Q4", "2024-10-01", 0},
		{"2026-Q1", "2026-01-01", 0},
		{"2026-Q2", "2026-04-01", 0},
		{"2026-Q3", "2026-07-01", 0},
		{"all", "", -1},
		{"(none)", "", -1},
		{"2026-13", "", -1},
		{"2026-Q5", "", -1},
		{"2026-00", "", -1},
		{"2026-3", "", -1},
		{"paid_search", "", -1},
		{"2026-03-05", "", -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[16] = "x";
		CU_ASSERT_EQUAL(
			mql_time_period_start(cases[i].label, buf, sizeof buf),
			cases[i].status);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].start);
	}
	char small[10] = "x";
	CU_ASSERT_EQUAL(mql_time_period_start("2026-03", small, sizeof small),
			-1);
	CU_ASSERT_STRING_EQUAL(small, "");
}

/* Two files, one month and the "all" row of each. */
static void backtest_rows(mql_backtest *b, mql_backtest_row rows[4])
{
	memset(b, 0, sizeof *b);
	memset(rows, 0, 4 * sizeof *rows);
	const char *periods[] = {"2026-03", "all", "2026-03", "all"};
	for (int i = 0; i < 4; i++) {
		mql_backtest_row *r = &rows[i];
		r->file = i / 2;
		snprintf(r->period, sizeof r->period, "%s", periods[i]);
		r->mql = 10 * (i + 1);
		r->decided = 8;
		r->accepted = 2 + i;
		r->accepted_rate = (2.0 + i) / 8;
		r->sql_rate = 0.5;
		r->customer_rate = 0.25;
		r->customers = 4;
		r->customer_recall = i % 2 ? NAN : 1;
		r->days_to_mql_median = 12.5;
		r->auc = 0.75;
		r->psi = i % 2 ? NAN : 0.125;
		r->psi_rows = 100;
		r->psi_noise = 0.0625;
		r->drift = i % 2 ? "" : "stable";
	}
	b->rows = rows;
	b->row_count = 4;
}

static void backtest_csv_names_files_old_and_new(void)
{
	mql_backtest b;
	mql_backtest_row rows[4];
	backtest_rows(&b, rows);
	captured c;
	capture_open(&c);
	mql_error err;
	CU_ASSERT_EQUAL(mql_backtest_write(&b, c.fp, MQL_FORMAT_CSV,
					   "a/current.json", "b/new rules.json",
					   &err),
			MQL_OK);
	const char *expected =
		"level,rules,period,mql,accepted_rate,sql_rate,customer_rate,"
		"customer_recall,days_to_mql_median,auc,psi,drift,decided,"
		"customers,psi_n,psi_noise,rules_file,period_start\n"
		"group,old,2026-03,10,0.25,0.5,0.25,1,12.5,0.75,0.125,stable,"
		"8,4,100,0.0625,a/current.json,2026-03-01\n"
		"total,old,all,20,0.375,0.5,0.25,,12.5,0.75,,,8,4,100,0.0625,"
		"a/current.json,\n"
		"group,new,2026-03,30,0.5,0.5,0.25,1,12.5,0.75,0.125,stable,"
		"8,4,100,0.0625,b/new rules.json,2026-03-01\n"
		"total,new,all,40,0.625,0.5,0.25,,12.5,0.75,,,8,4,100,0.0625,"
		"b/new rules.json,\n";
	CU_ASSERT_STRING_EQUAL(capture_close(&c), expected);
	free(c.text);
}

static void backtest_table_leaves_out_level_and_paths(void)
{
	mql_backtest b;
	mql_backtest_row rows[4];
	backtest_rows(&b, rows);
	captured c;
	capture_open(&c);
	mql_error err;
	CU_ASSERT_EQUAL(mql_backtest_write(&b, c.fp, MQL_FORMAT_MD, "old.json",
					   "new.json", &err),
			MQL_OK);
	const char *text = capture_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| rules | period | mql |"));
	CU_ASSERT_PTR_NULL(strstr(text, "level"));
	CU_ASSERT_PTR_NULL(strstr(text, "rules_file"));
	CU_ASSERT_PTR_NULL(strstr(text, "old.json"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| new | all | 40 |"));
	free(c.text);
	CU_ASSERT_STRING_EQUAL(mql_backtest_file_role(0), "old");
	CU_ASSERT_STRING_EQUAL(mql_backtest_file_role(1), "new");
}

static mql_model *spec_model(void)
{
	char path[512];
	mql_error err;
	mql_model *m = NULL;
	snprintf(path, sizeof path, "%s/model/spec-example.json", MQL_FIXTURES);
	CU_ASSERT_EQUAL(mql_model_read(&m, path, &err), MQL_OK);
	return m;
}

/* The fixture's numbers, as its file spells them. */
static void coefficients_are_flat_rows(void)
{
	mql_model *m = spec_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	captured c;
	capture_open(&c);
	mql_error err;
	CU_ASSERT_EQUAL(
		mql_model_write_coefficients(m, c.fp, MQL_FORMAT_CSV, &err),
		MQL_OK);
	const char *expected =
		"rule,estimate,std_error,z,p,ci_low,ci_high,odds_ratio,"
		"support,interval,kind\n"
		"(intercept),-1.5,0.1,-15,0,-1.696,-1.304,,,wald,intercept\n"
		"demo,0.8,0.2,4,6.334e-05,0.408,1.192,2.2255,400,wald,"
		"engagement\n"
		"seniority_vp,0.5,,,,,,1.6487,90,wald,fit\n";
	CU_ASSERT_STRING_EQUAL(capture_close(&c), expected);
	free(c.text);
	mql_model_free(m);
}

static void calibration_and_gains_are_flat_rows(void)
{
	mql_model *m = spec_model();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	captured c;
	capture_open(&c);
	mql_error err;
	CU_ASSERT_EQUAL(
		mql_model_write_calibration(m, c.fp, MQL_FORMAT_CSV, &err),
		MQL_OK);
	CU_ASSERT_STRING_EQUAL(capture_close(&c),
			       "bin,n,predicted,observed\n1,30,0.05,0.0333\n");
	free(c.text);
	/* the fixture has no gains: the header alone; then two bins */
	capture_open(&c);
	CU_ASSERT_EQUAL(mql_model_write_gains(m, c.fp, MQL_FORMAT_CSV, &err),
			MQL_OK);
	CU_ASSERT_STRING_EQUAL(capture_close(&c),
			       "bin,n,positives,captured,lift\n");
	free(c.text);
	CU_ASSERT_EQUAL_FATAL(mql_model_set_gains_count(m, 2), MQL_OK);
	/* 10 positives in 20 rows (base rate 0.5): 8 of 10 in the top bin
	 * (rate 0.8, lift 1.6), 2 in the bottom (0.2, 0.4) */
	m->validation.gains[0] = (mql_model_gains_bin){1, 10, 8, 0.8, 1.6};
	m->validation.gains[1] = (mql_model_gains_bin){2, 10, 2, 1.0, 0.4};
	capture_open(&c);
	CU_ASSERT_EQUAL(mql_model_write_gains(m, c.fp, MQL_FORMAT_JSON, &err),
			MQL_OK);
	const char *text = capture_close(&c);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"positives\": 8,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"lift\": 0.4}"));
	free(c.text);
	mql_model_free(m);
}

/* 2026-03-05T14:07:00Z: 20517 days after 1970-01-01, plus 14:07. */
#define MARCH_5 ((mql_time)20517 * 86400 + 14 * 3600 + 7 * 60)

static void score_rows_have_named_cells(void)
{
	mql_score_result r = {.fit_score = 20,
			      .engagement_score = 45.5,
			      .raw_score = 65.5,
			      .score = 65.5,
			      .mql = 1,
			      .mql_at = MARCH_5,
			      .mql_event = 3,
			      .mql_score = 61,
			      .probability = NAN,
			      .grade = "B1"};
	captured c;
	capture_open(&c);
	mql_table *t = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_score_table_open(&t, c.fp, MQL_FORMAT_CSV),
			      MQL_OK);
	CU_ASSERT_EQUAL(mql_score_table_row(t, "C1", &r), MQL_OK);
	r.mql = 0;
	r.mql_at = MQL_TIME_NONE;
	r.probability = 0.25;
	r.grade[0] = '\0';
	CU_ASSERT_EQUAL(mql_score_table_row(t, "C2", &r), MQL_OK);
	CU_ASSERT_EQUAL(mql_table_finish(t, &err), MQL_OK);
	mql_table_free(t);
	CU_ASSERT_STRING_EQUAL(
		capture_close(&c),
		"contact_id,score,fit_score,engagement_score,grade,mql,mql_at,"
		"probability\n"
		"C1,65.5,20,45.5,B1,1,2026-03-05T14:07:00Z,\n"
		"C2,65.5,20,45.5,,0,,0.25\n");
	free(c.text);
}

static void ledger_rows_have_named_cells(void)
{
	mql_rule demo = {.id = "demo", .event = "demo_request"};
	mql_ledger_row event = {
		MQL_LEDGER_EVENT, 0, MARCH_5, &demo, 0, 25, 0.5, 12.5};
	mql_ledger_row limit = {
		MQL_LEDGER_LIMIT, 0, MARCH_5, NULL, -1, NAN, NAN, -10};
	CU_ASSERT_EQUAL(mql_score_ledger_format("a/ledger.json"),
			MQL_FORMAT_JSON);
	CU_ASSERT_EQUAL(mql_score_ledger_format("ledger.csv"), MQL_FORMAT_CSV);
	CU_ASSERT_EQUAL(mql_score_ledger_format(".json"), MQL_FORMAT_CSV);
	captured c;
	capture_open(&c);
	mql_table *t = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_score_ledger_open(&t, c.fp, MQL_FORMAT_CSV),
			      MQL_OK);
	CU_ASSERT_EQUAL(mql_score_ledger_row(t, "C1", &event), MQL_OK);
	CU_ASSERT_EQUAL(mql_score_ledger_row(t, "C1", &limit), MQL_OK);
	CU_ASSERT_EQUAL(mql_table_finish(t, &err), MQL_OK);
	mql_table_free(t);
	CU_ASSERT_STRING_EQUAL(
		capture_close(&c),
		"contact_id,time,rule,points,weight,contribution,kind\n"
		"C1,2026-03-05T14:07:00Z,demo,25,0.5,12.5,event\n"
		"C1,2026-03-05T14:07:00Z,score_limit,,,-10,score_limit\n");
	free(c.text);
	/* the story tells the same rows, and how the contact crossed */
	capture_open(&c);
	CU_ASSERT_EQUAL(mql_score_story_row(c.fp, &event), MQL_OK);
	mql_score_result r = {.fit_score = 20,
			      .engagement_score = 12.5,
			      .score = 32.5,
			      .mql = 1,
			      .mql_at = MARCH_5,
			      .mql_score = 32.5,
			      .grade = ""};
	CU_ASSERT_EQUAL(mql_score_story_end(c.fp, &r, 30, "demo_request"),
			MQL_OK);
	CU_ASSERT_STRING_EQUAL(
		capture_close(&c),
		"  2026-03-05 demo_request +25 (weight 0.50 now) = +12.50\n"
		"  score 32.50 = fit 20.00 + engagement 12.50\n"
		"  crossed 30 on 2026-03-05 with demo_request (score 32.50)\n");
	free(c.text);
}

static void change_rows_have_named_cells(void)
{
	/* demo: 0.8 logits at 20 / ln 2 = 28.85 points per logit is 23.08,
	 * rounded 23, from 25: change -2; odds ratio e^0.8 = 2.2255 */
	mql_points_change rows[] = {
		{"demo", 25, 23, 0.8, 23.08, 0.408, 1.192, 2.2255, 6.334e-05,
		 400, MQL_CHANGE_KEPT, "kept"},
		{"unsub", -20, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0,
		 MQL_CHANGE_DROPPED, "dropped, with a comma"}};
	mql_points_changes changes = {rows, 2};
	captured c;
	capture_open(&c);
	mql_error err;
	CU_ASSERT_EQUAL(
		mql_points_changes_write(&changes, c.fp, MQL_FORMAT_CSV, &err),
		MQL_OK);
	char flags[2][64];
	mql_points_flags_text(MQL_CHANGE_KEPT, flags[0], sizeof flags[0]);
	mql_points_flags_text(MQL_CHANGE_DROPPED, flags[1], sizeof flags[1]);
	char expected[512];
	snprintf(expected, sizeof expected,
		 "rule,old_points,new_points,change,estimate,ci_low,ci_high,"
		 "odds_ratio,p,support,flags,reason\n"
		 "demo,25,23,-2,0.8,0.408,1.192,2.2255,6.334e-05,400,%s,kept\n"
		 "unsub,-20,,20,,,,,,0,%s,\"dropped, with a comma\"\n",
		 flags[0], flags[1]);
	CU_ASSERT_STRING_EQUAL(capture_close(&c), expected);
	free(c.text);
}

CU_TestInfo test_writers[] = {
	{"period start names the first day", period_start_names_the_first_day},
	{"backtest csv names files old and new",
	 backtest_csv_names_files_old_and_new},
	{"backtest table leaves out level and paths",
	 backtest_table_leaves_out_level_and_paths},
	{"coefficients are flat rows", coefficients_are_flat_rows},
	{"calibration and gains are flat rows",
	 calibration_and_gains_are_flat_rows},
	{"score rows have named cells", score_rows_have_named_cells},
	{"ledger rows have named cells", ledger_rows_have_named_cells},
	{"change rows have named cells", change_rows_have_named_cells},
	CU_TEST_INFO_NULL,
};
