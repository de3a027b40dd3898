/*
 * test_sql.c - the SQL compiler's pieces that need no engine: POSIX
 * regexes rewritten for PostgreSQL (expected texts worked out from glibc's
 * and PostgreSQL's regex manuals), refusals, and the features table read
 * back as a design matrix.  tests/cli/sql_postgres.sh runs the queries on
 * a real PostgreSQL.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/sql.h>

#include "temp_file.h"

static void regex_is(const char *ere, const char *are)
{
	char *got = mql_sql_regex_postgres(ere);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, are);
	free(got);
}

static void gnu_escapes_become_are_escapes(void)
{
	/* glibc: \b \B word (non-)boundary, \< \> word start/end, \` \'
	 * buffer start/end; PostgreSQL: \y \Y \m \M \A \Z. */
	regex_is("\\b(VP|Vice President)\\b", "\\y(VP|Vice President)\\y");
	regex_is("\\Bx\\<a\\>", "\\Yx\\ma\\M");
	regex_is("\\`a\\'", "\\Aa\\Z");
	/* \w \W \s \S mean the same in both. */
	regex_is("\\w+\\s\\S\\W", "\\w+\\s\\S\\W");
	/* Other escaped letters are the letter in glibc, an escape (or an
	 * error) in PostgreSQL: \d is a digit there, a 'd' here. */
	regex_is("a\\d\\n", "adn");
	/* Escaped punctuation stays escaped. */
	regex_is("a\\.b\\(c\\)", "a\\.b\\(c\\)");
}

static void brackets_keep_backslashes_literal(void)
{
	/* A backslash inside a POSIX bracket is itself; PostgreSQL reads it
	 * as an escape, so it is doubled. */
	regex_is("[\\.]", "[\\\\.]");
	regex_is("x[^\\]y", "x[^\\\\]y");
	/* A leading ] is a member; classes, collating elements and
	 * equivalence classes pass through whole. */
	regex_is("[]a]", "[]a]");
	regex_is("[[:alpha:]\\-]\\b", "[[:alpha:]\\\\-]\\y");
	regex_is("[[.-.][=e=]]", "[[.-.][=e=]]");
	regex_is("plain", "plain");
	regex_is("", "");
}

static mql_rules *parse(const char *text)
{
	mql_rules *r = NULL;
	CU_ASSERT_EQUAL_FATAL(
		mql_rules_parse(&r, text, strlen(text), "t", NULL), MQL_OK);
	return r;
}

static void refusals(void)
{
	mql_rules *r =
		parse("{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, "
		      "\"fit\": [{\"id\": \"MQL_AT\", \"property\": "
		      "\"x\", \"op\": \"missing\", \"points\": 1}]}");
	mql_sql_options opt;
	mql_sql_options_init(&opt);
	char *text = NULL;
	mql_error err;
	/* a rule id that is also a column of the table (any case) */
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, &err), MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "MQL_AT"));
	CU_ASSERT_PTR_NULL(text);
	/* the scores query has no such columns */
	opt.query = MQL_SQL_SCORES;
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, &err), MQL_OK);
	free(text);
	opt.dialect = "oracle";
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, &err), MQL_ERR_USAGE);
	opt.dialect = "postgres";
	opt.query = MQL_SQL_FEATURES;
	opt.label = MQL_LABEL_OUTCOME;
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, &err), MQL_ERR_USAGE);
	opt.label = MQL_LABEL_SQL;
	opt.window_days = 0;
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, &err), MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_sql_dialect_tested("postgres"), 1);
	CU_ASSERT_EQUAL(mql_sql_dialect_tested("oracle"), -1);
	mql_rules_free(r);
}

/* Compiles rules_text into the scores query. */
static char *scores_query(const char *rules_text)
{
	mql_rules *r = parse(rules_text);
	mql_sql_options opt;
	mql_sql_options_init(&opt);
	opt.query = MQL_SQL_SCORES;
	char *text = NULL;
	CU_ASSERT_EQUAL(mql_sql_compile(&text, r, &opt, NULL), MQL_OK);
	mql_rules_free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	return text;
}

static void window_frames_hold_ages_below_the_decay(void)
{
	/* Times are whole seconds: an age below W days is at most
	 * ceil(86400 W) - 1 seconds.  90 days: 7775999; half a day: 43199;
	 * 1.00001 days = 86400.864 s: 86400; a 30-day lifespan: 2591999. */
	char *text = scores_query(
		"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, "
		"\"engagement\": ["
		"{\"id\": \"a\", \"event\": \"a\", \"points\": 1, "
		"\"window_days\": 90},"
		"{\"id\": \"b\", \"event\": \"b\", \"points\": 1, "
		"\"window_days\": 0.5},"
		"{\"id\": \"c\", \"event\": \"c\", \"points\": 1, "
		"\"window_days\": 1.00001},"
		"{\"id\": \"d\", \"event\": \"d\", \"points\": 1, "
		"\"lifespan_days\": 30}]}");
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "INTERVAL '7775999 seconds'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "INTERVAL '43199 seconds'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "INTERVAL '86400 seconds'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "INTERVAL '2591999 seconds'"));
	/* the lifespan divides by its length in seconds */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "/ 2592000 AS d3"));
	free(text);
}

static const char *table_rules =
	"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, "
	"\"fit\": [{\"id\": \"vp\", \"property\": \"seniority\", \"op\": "
	"\"in\", \"values\": [\"VP\"], \"points\": 1}], "
	"\"engagement\": [{\"id\": \"demo\", \"event\": \"demo_request\", "
	"\"points\": 1, \"half_life_days\": 30}]}";

/* Reads text as a features table of table_rules; returns the status. */
static int read_table(const char *text, mql_features **f, mql_population **p,
		      mql_label *label, mql_error *err)
{
	char path[512];
	temp_file_write(path, sizeof path, "mql-sql", text, strlen(text));
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	int status = mql_sql_features_read(f, p, label, path,
					   parse(table_rules), &csv, err);
	unlink(path);
	return status;
}

static void table_is_the_design(void)
{
	mql_features *f = NULL;
	mql_population *p = NULL;
	mql_label label;
	mql_error err;
	/* columns in any order, names in any case, extra columns ignored */
	int status = read_table(
		"contact_id,SQL,demo,mql_at,note,vp,as_of\n"
		"a,1,0.5,2026-01-02T00:00:00Z,x,1,2026-03-01T00:00:00Z\n"
		"b,0,0,2026-02-01T12:00:00Z,,0,2026-03-01T00:00:00Z\n"
		"c,1,1.75,2026-02-15T00:00:00Z,y,1,2026-03-01T00:00:00Z\n",
		&f, &p, &label, &err);
	CU_ASSERT_EQUAL_FATAL(status, MQL_OK);
	CU_ASSERT_EQUAL(label, MQL_LABEL_SQL);
	CU_ASSERT_EQUAL(f->rows, 3);
	CU_ASSERT_EQUAL(f->columns, 2);
	CU_ASSERT_EQUAL(f->fit_count, 1);
	CU_ASSERT_STRING_EQUAL(f->names[0], "vp");
	CU_ASSERT_STRING_EQUAL(f->names[1], "demo");
	const double x[] = {1, 0.5, 0, 0, 1, 1.75};
	for (size_t k = 0; k < 6; k++)
		CU_ASSERT_EQUAL(f->x[k], x[k]);
	CU_ASSERT_EQUAL(f->support[0], 2);
	CU_ASSERT_EQUAL(f->support[1], 2);
	CU_ASSERT_EQUAL(p->count, 3);
	CU_ASSERT_EQUAL(p->positives, 2);
	CU_ASSERT_EQUAL(p->y[1], 0);
	/* 2026-02-01 is day 20485 since 1970-01-01 */
	CU_ASSERT_EQUAL(p->decision[1], 20485LL * 86400 + 43200);
	CU_ASSERT_EQUAL(p->as_of, 20513LL * 86400);
	CU_ASSERT_EQUAL(mql_population_holdout(p, 20485LL * 86400, &err),
			MQL_OK);
	CU_ASSERT_EQUAL(p->fold[0] + p->fold[1] + p->fold[2], 2);
	mql_features_free(f);
	mql_population_free(p);
}

static void table_faults(void)
{
	mql_features *f = NULL;
	mql_population *p = NULL;
	mql_label label;
	mql_error err;
	/* no column for the rule demo */
	CU_ASSERT_EQUAL(read_table("contact_id,sal,mql_at,as_of,vp\n"
				   "a,1,2026-01-02,2026-03-01,1\n",
				   &f, &p, &label, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "demo"));
	/* no outcome column */
	CU_ASSERT_EQUAL(read_table("contact_id,mql_at,as_of,vp,demo\n"
				   "a,2026-01-02,2026-03-01,1,0\n",
				   &f, &p, &label, &err),
			MQL_ERR_INPUT);
	/* an outcome that is not 0/1, an empty value, two as-ofs */
	CU_ASSERT_EQUAL(read_table("contact_id,sal,mql_at,as_of,vp,demo\n"
				   "a,2,2026-01-02,2026-03-01,1,0\n",
				   &f, &p, &label, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(read_table("contact_id,sal,mql_at,as_of,vp,demo\n"
				   "a,1,2026-01-02,2026-03-01,,0\n",
				   &f, &p, &label, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 5);
	CU_ASSERT_EQUAL(read_table("contact_id,sal,mql_at,as_of,vp,demo\n"
				   "a,1,2026-01-02,2026-03-01,1,0\n"
				   "b,0,2026-01-02,2026-03-02,1,0\n",
				   &f, &p, &label, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NULL(p);
}

CU_TestInfo test_sql[] = {
	{"GNU escapes become ARE escapes", gnu_escapes_become_are_escapes},
	{"brackets keep backslashes literal",
	 brackets_keep_backslashes_literal},
	{"refusals", refusals},
	{"window frames hold ages below the decay",
	 window_frames_hold_ages_below_the_decay},
	{"the table is the design", table_is_the_design},
	{"table faults", table_faults},
	CU_TEST_INFO_NULL,
};
