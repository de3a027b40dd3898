/*
 * test_review.c - the review's summary page read back from its CSV files:
 * columns found by name in any order, total rows kept apart (by a level
 * column or a group named "all"), old and new told apart by name or order,
 * the backtest's comparison at equal volume (equal-volume.csv), and the
 * page's advice.
 * The expected figures are the files' own, worked by hand.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/review.h>

/* A fresh directory holding the given files (name, text pairs). */
static void make_dir(char *dir, size_t n, const char *const files[][2],
		     size_t count)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, n, "%s/mql-review-XXXXXX", tmp ? tmp : "/tmp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (size_t i = 0; i < count; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		FILE *fp = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		fputs(files[i][1], fp);
		fclose(fp);
	}
}

static void remove_dir(const char *dir, const char *const files[][2],
		       size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
		unlink(path);
	}
	rmdir(dir);
}

/* The files as the review writes them with a level column, totals on
 * their own rows, old/new names and the columns in another order. */
static const char *const leveled[][2] = {
	{"rule-changes.csv", "rule,flags,new_points,old_points\n"
			     "visit,,4,1\n"
			     "download,sign flipped,-4,12\n"
			     "demo,,42,30\n"},
	{"backtest.csv", "level,period,rules,auc,mql,accepted_rate\n"
			 "group,2026-03,old,0.5,150,0.5\n"
			 "total,all,old,0.555,1116,0.5\n"
			 "group,2026-03,new,0.8,120,0.7\n"
			 "total,all,new,0.809,1028,0.704\n"},
	{"channels.csv",
	 "level,channel,decision,mql,rate_shrunk,reason,spend\n"
	 "group,paid,keep,585,0.44,fine,365898.83\n"
	 "group,syndication,kill,620,0.125,converts 11.5%,145372.8\n"
	 "group,email,watch,96,0.3,few,5996\n"
	 "total,all,,3504,0.377,,1179228\n"},
	{"cost.csv",
	 "level,channel,spend,mql,customer,cost_per_mql,cost_per_customer\n"
	 "group,paid,365898.83,585,66,625.468,5543.92\n"
	 "group,syndication,145372.8,620,24,234.47,6057.2\n"
	 "total,all,1179228,3504,397,336.54,2970.35\n"},
	{"check.csv",
	 "section,item,count,share,detail\n"
	 "outcomes,rejected,10,,\n"
	 "outcomes,definition,,,\"accepted = reached SQL, here\"\n"},
	{"rules.json",
	 "{\"format\": \"mqlcal.rules/1\", \"threshold\": 75, \"fit\": ["
	 "{\"id\": \"vp\", \"property\": \"seniority\", \"op\": \"in\", "
	 "\"values\": [\"VP\"], \"points\": 20}], \"engagement\": ["
	 "{\"id\": \"demo\", \"event\": \"demo_request\", \"points\": 30}"
	 "]}\n"},
	{"equal-volume.csv",
	 "rules_file,auc,accepted_rate,flagged,volume,decided,rules\n"
	 "new.json,0.809,0.787,442,442,1088,new\n"
	 "old.json,0.555,0.555,1088,442,1088,old\n"}};

static void reads_columns_by_name(void)
{
	char dir[256];
	mql_review *r = NULL;
	mql_error err;
	make_dir(dir, sizeof dir, leveled, 7);
	CU_ASSERT_EQUAL_FATAL(mql_review_load(&r, dir, &err), MQL_OK);
	/* Largest change first: download 12 -> -4 (16), demo (12), visit. */
	CU_ASSERT_EQUAL(r->rule_count, 3);
	CU_ASSERT_STRING_EQUAL(r->rules[0].rule, "download");
	CU_ASSERT_DOUBLE_EQUAL(r->rules[0].old_points, 12, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->rules[0].new_points, -4, 1e-12);
	CU_ASSERT_STRING_EQUAL(r->rules[0].flags, "sign flipped");
	CU_ASSERT_STRING_EQUAL(r->rules[1].rule, "demo");
	CU_ASSERT_STRING_EQUAL(r->rules[2].rule, "visit");
	/* Only the total rows of the backtest count. */
	CU_ASSERT_DOUBLE_EQUAL(r->files[0].mql, 1116, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->files[1].accepted_rate, 0.704, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->files[1].auc, 0.809, 1e-12);
	CU_ASSERT_TRUE(r->have_equal_volume);
	CU_ASSERT_EQUAL(r->volume, 442);
	CU_ASSERT_EQUAL(r->decided, 1088);
	CU_ASSERT_DOUBLE_EQUAL(r->equal_accepted[0], 0.555, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->equal_accepted[1], 0.787, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->equal_auc[0], 0.555, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->equal_auc[1], 0.809, 1e-12);
	/* Kills first, then watch, then keep; the total apart; cost
	 * joined by name. */
	CU_ASSERT_EQUAL(r->channel_count, 3);
	CU_ASSERT_STRING_EQUAL(r->channels[1].name, "email");
	CU_ASSERT_STRING_EQUAL(r->channels[0].name, "syndication");
	CU_ASSERT_STRING_EQUAL(r->channels[0].decision, "kill");
	CU_ASSERT_DOUBLE_EQUAL(r->channels[0].cost_per_customer, 6057.2, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->channels[2].customers, 66, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->total.spend, 1179228, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->total.cost_per_customer, 2970.35, 1e-9);
	CU_ASSERT_STRING_EQUAL(r->group_column, "channel");
	/* No model.json: no label; the check's definition, the new rules. */
	CU_ASSERT_PTR_NULL(r->label);
	CU_ASSERT_STRING_EQUAL(r->acceptance, "accepted = reached SQL, here");
	CU_ASSERT_TRUE(r->have_new_rules);
	CU_ASSERT_EQUAL(r->new_rule_count, 2);
	CU_ASSERT_DOUBLE_EQUAL(r->new_threshold, 75, 1e-12);
	mql_review_free(r);
	remove_dir(dir, leveled, 7);
}

/*
 * The page's advice from those figures: adopt (78.7% >= 55.5%), stop
 * syndication at 145,373 of 1,179,228 spent (12%), a customer at 2,970
 * (an MQL 337) from 5,544 (paid) to 6,057 (syndication), in EUR.
 */
static void page_says_what_to_do(void)
{
	char dir[256], *text = NULL;
	size_t size = 0;
	mql_review *r = NULL;
	mql_error err;
	make_dir(dir, sizeof dir, leveled, 7);
	CU_ASSERT_EQUAL_FATAL(mql_review_load(&r, dir, &err), MQL_OK);
	FILE *fp = open_memstream(&text, &size);
	mql_review_page page = {"a test", "EUR", "../data/review"};
	CU_ASSERT_EQUAL(mql_review_write_html(r, &page, fp, &err), MQL_OK);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<p>Adopt the new rules. At the "
					    "same volume (each rule file&#39;s "
					    "top 442 of the 1088 MQLs"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "accepted 78.7% of the new rules"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<p>Stop spending on syndication: "
					    "its MQLs convert significantly "
					    "worse than the rest, and it cost "
					    "EUR\xc2\xa0"
					    "145,373 over the history (12% "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "A customer costs EUR\xc2\xa0"
					    "2,970 over all channels (an MQL "
					    "EUR\xc2\xa0"
					    "337): from EUR\xc2\xa0"
					    "5,544 through paid to "
					    "EUR\xc2\xa0"
					    "6,057 through syndication."));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "<div class=\"value\">adopt</div>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<p>Watch email: its MQLs may"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
		text, "<p>The fit learned the outcome of the model: accepted = "
		      "reached SQL, here. The new rule file has 2 rules and "
		      "makes a lead an MQL at 75 points.</p>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "fill=\"#D55E00\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text,
				      "<td>download</td><td class=\"num\">"
				      "12</td><td class=\"num\">-4</td>"
				      "<td class=\"num\">-16</td>"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "<a href=\"../data/review/cost.csv\">"));
	CU_ASSERT_PTR_NULL(strstr(text, ".md\""));
	CU_ASSERT_PTR_NULL(strstr(text, ".txt\""));
	CU_ASSERT_TRUE(strstr(text, "<svg") != NULL);
	free(text);
	mql_review_free(r);
	remove_dir(dir, leveled, 7);
}

/* The files as written before the level column: totals named "all",
 * the rule files by path in their order; a missing cost file. */
static const char *const unleveled[][2] = {
	{"backtest.csv", "rules,period,mql,accepted_rate,sql_rate,auc\n"
			 "data/rules.json,2026-03,150,0.5,0.3,0.5\n"
			 "data/rules.json,all,1116,0.6,0.3,0.555\n"
			 "data/review/rules.json,all,1028,0.5,0.2,0.809\n"},
	{"channels.csv", "channel,mql,sql,rate,rate_shrunk,decision,reason\n"
			 "paid,585,252,0.44,0.44,keep,fine\n"
			 "all,3504,1261,0.377,0.377,,\n"}};

static void reads_the_older_layout(void)
{
	char dir[256], *text = NULL;
	size_t size = 0;
	mql_review *r = NULL;
	mql_error err;
	make_dir(dir, sizeof dir, unleveled, 2);
	CU_ASSERT_EQUAL_FATAL(mql_review_load(&r, dir, &err), MQL_OK);
	CU_ASSERT_FALSE(r->have_rules);
	CU_ASSERT_FALSE(r->have_cost);
	CU_ASSERT_FALSE(r->have_equal_volume);
	CU_ASSERT_DOUBLE_EQUAL(r->files[0].mql, 1116, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r->files[1].mql, 1028, 1e-12);
	CU_ASSERT_EQUAL(r->channel_count, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->total.mql, 3504, 1e-12);
	FILE *fp = open_memstream(&text, &size);
	mql_review_page page = {NULL, NULL, NULL};
	CU_ASSERT_EQUAL(mql_review_write_html(r, &page, fp, &err), MQL_OK);
	fclose(fp);
	/* 50.0% < 60.0% over their own MQLs: keep the old rules. */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<p>Keep the old rules. Over the "
					    "held-out months sales accepted "
					    "50.0% of the new"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "none converts significantly"));
	CU_ASSERT_PTR_NULL(strstr(text, "<p>Watch"));
	CU_ASSERT_PTR_NULL(strstr(text, ".csv\""));
	free(text);
	mql_review_free(r);
	remove_dir(dir, unleveled, 2);
}

/* A file without a column the page needs names the file and column. */
static void names_a_missing_column(void)
{
	static const char *const bad[][2] = {
		{"cost.csv", "channel,spend,mql\npaid,1,2\n"}};
	char dir[256];
	mql_review *r = NULL;
	mql_error err;
	make_dir(dir, sizeof dir, bad, 1);
	CU_ASSERT_EQUAL(mql_review_load(&r, dir, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no column 'customer'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "cost.csv"));
	remove_dir(dir, bad, 1);
}

/* An equal-volume.csv without volume names the file and the column; one
 * without the new file's row leaves the comparison out. */
static void equal_volume_needs_its_columns_and_rows(void)
{
	static const char *const bad[][2] = {{"equal-volume.csv",
					      "rules,decided,accepted_rate\n"
					      "old,10,0.5\nnew,10,0.6\n"}};
	static const char *const half[][2] = {
		{"equal-volume.csv", "rules,volume,decided,accepted_rate\n"
				     "old,4,10,0.5\n"}};
	char dir[256];
	mql_review *r = NULL;
	mql_error err;
	make_dir(dir, sizeof dir, bad, 1);
	CU_ASSERT_EQUAL(mql_review_load(&r, dir, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "no column 'volume'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "equal-volume.csv"));
	remove_dir(dir, bad, 1);
	make_dir(dir, sizeof dir, half, 1);
	CU_ASSERT_EQUAL_FATAL(mql_review_load(&r, dir, &err), MQL_OK);
	CU_ASSERT_FALSE(r->have_equal_volume);
	mql_review_free(r);
	remove_dir(dir, half, 1);
}

CU_TestInfo test_review[] = {
	{"reads columns by name", reads_columns_by_name},
	{"page says what to do", page_says_what_to_do},
	{"reads the older layout", reads_the_older_layout},
	{"names a missing column", names_a_missing_column},
	{"equal volume needs its columns and rows",
	 equal_volume_needs_its_columns_and_rows},
	CU_TEST_INFO_NULL,
};
