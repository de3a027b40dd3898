/*
 * test_rules.c - the rule file: every fault named by its JSON path, round
 * trips that keep unknown keys byte for byte, rule files built in code.
 *
 * The expected texts below are the format as SPEC.md and rules.h define it
 * (known keys in a fixed order, one rule per line), written out by hand.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/rules.h>

#include "temp_file.h"

/* Parses text; returns the status and leaves the message in err. */
static int parse(const char *text, mql_rules **out, mql_error *err)
{
	mql_error_clear(err);
	return mql_rules_parse(out, text, strlen(text), "r.json", err);
}

#define HEAD "{\"format\": \"mqlcal.rules/1\", \"threshold\": 60, "

static const struct bad_case {
	const char *json;
	const char *message;
} bad_cases[] = {
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 1}, {\"id\": \"b\", \"event\": \"x\", \"points\": "
	      "1}, {\"id\": \"c\", \"event\": \"x\", \"points\": 1}, {\"id\": "
	      "\"d\", \"event\": \"x\", \"points\": 1, \"half_life_days\": "
	      "-3}]}",
	 "engagement[3].half_life_days: must be a number > 0"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"points\": 1}, {\"id\": \"b\", \"property\": "
	      "\"p\", \"op\": \"contains\", \"values\": [\"x\"], \"points\": "
	      "1}]}",
	 "fit[1].op: unknown op 'contains' (expected in, not_in, range, "
	 "matches, missing, linear)"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(vp\", \"points\": 1}]}",
	 "fit[0].pattern: regex '(vp' does not compile"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 1, \"half_life_days\": 30, \"window_days\": 7}]}",
	 "engagement[0]: two decays (half_life_days and window_days); "
	 "expected at most one of half_life_days, lifespan_days, "
	 "window_days"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"points\": 1}], \"engagement\": [{\"id\": \"a\", "
	      "\"event\": \"x\", \"points\": 1}]}",
	 "engagement[0].id: duplicate id 'a' (also fit[0].id); expected "
	 "unique ids"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": \"ten\"}]}",
	 "engagement[0].points: must be a number"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\"}]}",
	 "engagement[0].points: must be a number"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 5, \"max_count\": 0}]}",
	 "engagement[0].max_count: must be a number > 0"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 5, \"lifespan_days\": \"30\"}]}",
	 "engagement[0].lifespan_days: must be a number > 0"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"range\", \"points\": 1}]}",
	 "fit[0]: op 'range' needs min, max or both"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"range\", \"min\": 10, \"max\": 5, \"points\": 1}]}",
	 "fit[0].max: must be > min (10)"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": \"in\", "
	      "\"points\": 1}]}",
	 "fit[0].values: must be a non-empty array of strings for op 'in'"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": \"in\", "
	      "\"values\": [\"x\", 3], \"points\": 1}]}",
	 "fit[0].values[1]: must be a string"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": \"in\", "
	      "\"values\": [\"x\"], \"min\": 3, \"points\": 1}]}",
	 "fit[0].min: not used by op 'in'"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"linear\", \"transform\": \"sqrt\", \"points\": 1}]}",
	 "fit[0].transform: unknown transform 'sqrt' (expected log1p)"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"half_life_days\": 3, \"points\": 1}]}",
	 "fit[0].half_life_days: not used by fit rules"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"points\": 1}]}",
	 "fit[0].op: missing (expected in, not_in, range, matches, missing, "
	 "linear)"},
	{HEAD "\"fit\": [{\"property\": \"p\", \"op\": \"missing\", "
	      "\"points\": 1}]}",
	 "fit[0].id: must be a non-empty string"},
	{HEAD "\"fit\": {}}", "fit: must be an array of rule objects"},
	{HEAD "\"score_limit\": [100, 0]}",
	 "score_limit: must be [lo, hi] with lo <= hi"},
	{HEAD "\"grades\": {\"fit\": [20, 50, 80], \"engagement\": [3, 2, "
	      "1]}}",
	 "grades.fit: must be three numbers in descending order"},
	{HEAD "\"grades\": {\"fit\": [80, 50, 20]}}",
	 "grades: expected fit and engagement, each three numbers"},
	{HEAD "\"grades\": {\"fit\": [80, 50], \"engagement\": [3, 2, 1]}}",
	 "grades.fit: must be an array of 3 numbers"},
	{HEAD "\"calibration\": {\"points_per_logit\": 0, "
	      "\"logit_at_threshold\": 0}}",
	 "calibration.points_per_logit: must be a number > 0"},
	/* numbers past the bounds of rules.h */
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"points\": 1e308}]}",
	 "fit[0].points: must be a number within +-1e+06"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": -1e999}]}",
	 "engagement[0].points: must be a number within +-1e+06"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"points\": 1000000.5}]}",
	 "fit[0].points: must be a number within +-1e+06"},
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1e300}",
	 "threshold: must be a number within +-1e+12"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 1, \"half_life_days\": 36500.5}]}",
	 "engagement[0].half_life_days: must be a number > 0 and <= 36500 "
	 "days"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 1, \"window_days\": 1e999}]}",
	 "engagement[0].window_days: must be a number > 0 and <= 36500 days"},
	{HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
	      "\"points\": 1, \"max_count\": 1e999}]}",
	 "engagement[0].max_count: must be a number > 0 and <= 1e+09"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"linear\", \"min\": 0, \"max\": 2e15, \"points\": 1}]}",
	 "fit[0].max: must be a number within +-1e+15"},
	{HEAD "\"score_limit\": [0, 1e13]}",
	 "score_limit: must be [lo, hi] with lo <= hi, each within +-1e+12"},
	{HEAD "\"grades\": {\"fit\": [2e12, 50, 20], \"engagement\": [3, 2, "
	      "1]}}",
	 "grades.fit: must be three numbers in descending order, each within "
	 "+-1e+12"},
	{HEAD "\"calibration\": {\"points_per_logit\": 2e6, "
	      "\"logit_at_threshold\": 0}}",
	 "calibration.points_per_logit: must be a number > 0 and <= 1e+06"},
	{HEAD "\"calibration\": {\"points_per_logit\": 20, "
	      "\"logit_at_threshold\": -1e7}}",
	 "calibration.logit_at_threshold: must be a number within +-1e+06"},
	/* patterns that would take gigabytes or exponential time */
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"missing\", \"points\": 1}, {\"id\": \"b\", \"property\": "
	      "\"p\", \"op\": \"matches\", \"pattern\": "
	      "\"x{1,255}{1,255}{1,255}\", \"points\": 1}]}",
	 "fit[1].pattern: its repetitions expand to more than 1000 atoms"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"x{,255}{,255}\", \"points\": 1}]}",
	 "fit[0].pattern: its repetitions expand to more than 1000 atoms"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(ab(c|d){40}){30}\", "
	      "\"points\": 1}]}",
	 "fit[0].pattern: its repetitions expand to more than 1000 atoms"},
	/* copies of what matches the empty string: few atoms, but regcomp's
	 * epsilon closures over them take seconds (0.9 s and 1.4 s) */
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(x*)*{30}{30}\", \"points\": 1}]}",
	 "fit[0].pattern: its repetitions expand to more than 1000 atoms"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(()*){30}{30}\", \"points\": 1}]}",
	 "fit[0].pattern: its repetitions expand to more than 1000 atoms"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"x{1001}\", \"points\": 1}]}",
	 "fit[0].pattern: its repetitions expand to more than 1000 atoms"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(((((((((((((((((a)))))))))))))))))"
	      "\", \"points\": 1}]}",
	 "fit[0].pattern: groups nested too deep; expected at most 16 levels "
	 "of parentheses"},
	{HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", \"op\": "
	      "\"matches\", \"pattern\": \"(a*)*\\\\1\", \"points\": 1}]}",
	 "fit[0].pattern: back-reference '\\1' not supported"},
	{"{\"format\": \"mqlcal.rules/1\"}",
	 "threshold: missing; expected a number"},
	{"{\"threshold\": 60}", "format: missing; expected \"mqlcal.rules/1\""},
	{"{\"format\": \"mqlcal.rules/2\", \"threshold\": 60}",
	 "format: expected \"mqlcal.rules/1\""},
	{"[1, 2]", "expected a JSON object at the top level"},
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, \"threshold\": 2}",
	 "threshold: key given twice; expected each key once"},
};

static void invalid_files_are_named_by_path(void)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		mql_rules *r = NULL;
		mql_error err;
		int status = parse(bad_cases[i].json, &r, &err);
		CU_ASSERT_EQUAL(status, MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(r);
		CU_ASSERT_STRING_EQUAL(err.file, "r.json");
		/* Regex messages end with the C library's own reason. */
		size_t n = strlen(bad_cases[i].message);
		if (strncmp(err.message, bad_cases[i].message, n) != 0)
			fprintf(stderr, "\ncase %zu: got '%s'\n", i,
				err.message);
		CU_ASSERT_EQUAL(strncmp(err.message, bad_cases[i].message, n),
				0);
	}
}

static void bad_json_has_line_and_column(void)
{
	mql_rules *r = NULL;
	mql_error err;
	/* The value is missing: the comma is on line 3, column 16. */
	const char *text = "{\n  \"format\": \"mqlcal.rules/1\",\n"
			   "  \"threshold\": ,\n}";
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 16);
	CU_ASSERT_EQUAL(parse("", &r, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 1);
}

static void missing_file_is_reported(void)
{
	mql_rules *r = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(mql_rules_load(&r, "/nonexistent/rules.json", &err),
			MQL_ERR_NOFILE);
	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "cannot open: No such file or directory");
	/* a directory opens but cannot be read */
	CU_ASSERT_EQUAL(mql_rules_load(&r, MQL_FIXTURES, &err), MQL_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.message, "read failed: Is a directory");
	CU_ASSERT_PTR_NULL(r);
}

/* Every feature of the format, unknown keys included, in canonical form. */
static const char canonical[] =
	"{\n"
	"  \"format\": \"mqlcal.rules/1\",\n"
	"  \"name\": \"2026-Q4 \\\"review\\\"\",\n"
	"  \"threshold\": 60,\n"
	"  \"score_limit\": [0, 100],\n"
	"  \"grades\": {\"fit\": [80, 50, 20], \"engagement\": [60, 30, "
	"10], \"labels\": \"abc\"},\n"
	"  \"fit\": [\n"
	"    {\"id\": \"seniority_vp\", \"property\": \"seniority\", \"op\": "
	"\"in\", \"values\": [\"VP\", \"C-level\"], \"points\": 20, "
	"\"note\": \"kept\"},\n"
	"    {\"id\": \"size_1000\", \"property\": \"company_size\", \"op\": "
	"\"range\", \"min\": 1000, \"points\": 15},\n"
	"    {\"id\": \"title_vp\", \"property\": \"job_title\", \"op\": "
	"\"matches\", \"pattern\": \"\\\\b(VP|Vice President)\\\\b\", "
	"\"points\": 10},\n"
	"    {\"id\": \"employees\", \"property\": \"employees\", \"op\": "
	"\"linear\", \"min\": 0, \"max\": 5000, \"transform\": \"log1p\", "
	"\"points\": 2.5}\n"
	"  ],\n"
	"  \"engagement\": [\n"
	"    {\"id\": \"demo\", \"event\": \"demo_request\", \"points\": 25, "
	"\"half_life_days\": 30, \"max_count\": 2},\n"
	"    {\"id\": \"visit\", \"event\": \"page_view\", \"points\": 1, "
	"\"lifespan_days\": 90},\n"
	"    {\"id\": \"webinar\", \"event\": \"webinar\", \"points\": 5, "
	"\"window_days\": 14.5, \"owner\": {\"team\": \"ops\", \"n\": [1, "
	"true, null]}},\n"
	"    {\"id\": \"unsub\", \"event\": \"unsubscribe\", \"points\": "
	"-40}\n"
	"  ],\n"
	"  \"calibration\": {\"points_per_logit\": 28.85, "
	"\"logit_at_threshold\": 0.41, \"method\": \"platt\"},\n"
	"  \"provenance\": {\"model\": \"m.json\", \"rows\": 812, \"auc\": "
	"0.7312},\n"
	"  \"x_custom\": [1, 2]\n"
	"}\n";

/* The same content as a user might write it: other order, other spacing. */
static const char messy[] =
	"{\"x_custom\":[1,2],\"threshold\":60.0,\"format\":\"mqlcal.rules/1\","
	"\"name\":\"2026-Q4 \\\"review\\\"\","
	"\"provenance\":{\"model\":\"m.json\",\"rows\":812,\"auc\":0.7312},"
	"\"calibration\":{\"logit_at_threshold\":0.41,\"method\":\"platt\","
	"\"points_per_logit\":28.85},"
	"\"engagement\":[{\"points\":25,\"id\":\"demo\",\"max_count\":2,"
	"\"event\":\"demo_request\",\"half_life_days\":30},"
	"{\"id\":\"visit\",\"event\":\"page_view\",\"points\":1,"
	"\"lifespan_days\":90},"
	"{\"id\":\"webinar\",\"owner\":{\"team\":\"ops\",\"n\":[1,true,null]},"
	"\"event\":\"webinar\",\"points\":5,\"window_days\":14.5},"
	"{\"id\":\"unsub\",\"event\":\"unsubscribe\",\"points\":-40}],"
	"\"fit\":[{\"note\":\"kept\",\"id\":\"seniority_vp\","
	"\"property\":\"seniority\",\"op\":\"in\",\"values\":[\"VP\","
	"\"C-level\"],\"points\":20},"
	"{\"id\":\"size_1000\",\"property\":\"company_size\",\"op\":\"range\","
	"\"min\":1e3,\"points\":15},"
	"{\"id\":\"title_vp\",\"property\":\"job_title\",\"op\":\"matches\","
	"\"pattern\":\"\\\\b(VP|Vice President)\\\\b\",\"points\":10},"
	"{\"id\":\"employees\",\"property\":\"employees\",\"op\":\"linear\","
	"\"transform\":\"log1p\",\"max\":5000,\"min\":0,\"points\":2.5}],"
	"\"grades\":{\"engagement\":[60,30,10],\"labels\":\"abc\","
	"\"fit\":[80,50,20]},"
	"\"score_limit\":[0,100]}";

static void round_trip_is_canonical_and_byte_stable(void)
{
	mql_rules *r = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(parse(messy, &r, &err), MQL_OK);
	char *first = mql_rules_to_string(r);
	CU_ASSERT_STRING_EQUAL(first, canonical);
	mql_rules_free(r);

	CU_ASSERT_EQUAL_FATAL(parse(first, &r, &err), MQL_OK);
	char *second = mql_rules_to_string(r);
	CU_ASSERT_STRING_EQUAL(second, first);
	CU_ASSERT_EQUAL(r->fit_count, 4);
	CU_ASSERT_EQUAL(r->engagement_count, 4);
	CU_ASSERT_EQUAL(r->engagement[0].decay, MQL_DECAY_HALF_LIFE);
	CU_ASSERT_DOUBLE_EQUAL(r->engagement[2].decay_days, 14.5, 0);
	CU_ASSERT(isinf(r->engagement[3].max_count));
	CU_ASSERT_PTR_NOT_NULL(r->fit[2].regex);
	CU_ASSERT_PTR_NOT_NULL(mql_rules_find(r, "unsub"));
	CU_ASSERT_PTR_NULL(mql_rules_find(r, "nope"));
	free(first);
	free(second);
	mql_rules_free(r);
}

static void rules_built_in_code_write_the_same_format(void)
{
	mql_rules *r = mql_rules_new();
	mql_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r->threshold = 45;
	mql_rule *fit = mql_rules_add_fit(r, "ch", "channel", MQL_OP_NOT_IN, 7);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fit);
	CU_ASSERT_EQUAL(mql_rule_add_value(fit, "events"), 0);
	mql_rule *eng = mql_rules_add_engagement(r, "dl", "download", 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(eng);
	eng->decay = MQL_DECAY_HALF_LIFE;
	eng->decay_days = 0.1; /* not a whole number: shortest exact form */
	eng->max_count = 3;
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), MQL_OK);
	char *text = mql_rules_to_string(r);
	CU_ASSERT_STRING_EQUAL(
		text, "{\n"
		      "  \"format\": \"mqlcal.rules/1\",\n"
		      "  \"threshold\": 45,\n"
		      "  \"fit\": [\n"
		      "    {\"id\": \"ch\", \"property\": \"channel\", \"op\": "
		      "\"not_in\", \"values\": [\"events\"], \"points\": 7}\n"
		      "  ],\n"
		      "  \"engagement\": [\n"
		      "    {\"id\": \"dl\", \"event\": \"download\", "
		      "\"points\": 3, \"half_life_days\": 0.1, \"max_count\": "
		      "3}\n"
		      "  ]\n"
		      "}\n");
	free(text);

	/* A fault in code-built rules is named the same way. */
	eng->decay_days = -1;
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "engagement[0].half_life_days: must be a "
			       "number > 0 and <= 36500 days");
	mql_rules_free(r);
	mql_rules_free(NULL);
}

static void single_rules_convert_without_points(void)
{
	cJSON *object = cJSON_Parse("{\"id\": \"t\", \"property\": \"title\", "
				    "\"op\": \"matches\", \"pattern\": "
				    "\"^dir\"}");
	mql_rule rule;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		mql_rule_from_json(&rule, object, "c[0].rule", &err), MQL_OK);
	CU_ASSERT(isnan(rule.points));
	CU_ASSERT_EQUAL(rule.kind, MQL_RULE_FIT);
	rule.points = 12;
	cJSON *back = mql_rule_to_json(&rule, 0);
	char *text = cJSON_PrintUnformatted(back);
	CU_ASSERT_STRING_EQUAL(text,
			       "{\"id\":\"t\",\"property\":\"title\","
			       "\"op\":\"matches\",\"pattern\":\"^dir\"}");
	cJSON_free(text);
	cJSON_Delete(back);
	mql_rule_release(&rule);
	cJSON_Delete(object);

	object = cJSON_Parse("{\"id\": \"t\"}");
	CU_ASSERT_EQUAL(mql_rule_from_json(&rule, object, "c[1].rule", &err),
			MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "c[1].rule: expected \"property\" and \"op\" "
			       "(a fit rule) or \"event\" (an engagement "
			       "rule)");
	cJSON_Delete(object);
}

/* A rule file of n `matches` rules, each with pattern. */
static char *matches_rules(size_t n, const char *pattern)
{
	size_t size = 100 + n * (strlen(pattern) + 100);
	char *text = malloc(size);
	size_t used = (size_t)snprintf(text, size, HEAD "\"fit\": [");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, size - used,
					 "%s{\"id\": \"r%zu\", \"property\": "
					 "\"p\", \"op\": \"matches\", "
					 "\"pattern\": \"%s\", \"points\": 1}",
					 i ? ", " : "", i, pattern);
	snprintf(text + used, size - used, "]}");
	return text;
}

/* What the bounds let through, at the bound; what they refuse past it. */
static void bounds_hold_at_their_limits(void)
{
	mql_rules *r = NULL;
	mql_error err;
	const char *good[] = {
		HEAD "\"fit\": [{\"id\": \"a\", \"property\": \"p\", "
		     "\"op\": \"missing\", \"points\": -1000000}]}",
		HEAD "\"engagement\": [{\"id\": \"a\", \"event\": \"x\", "
		     "\"points\": 1e6, \"half_life_days\": 36500, "
		     "\"max_count\": 1e9}]}",
		"{\"format\": \"mqlcal.rules/1\", \"threshold\": -1e12}",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		CU_ASSERT_EQUAL(parse(good[i], &r, &err), MQL_OK);
		mql_rules_free(r);
	}
	/* ten patterns of 1000 atoms each are the most a file may hold */
	char *text = matches_rules(10, "x{1000}");
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_OK);
	mql_rules_free(r);
	free(text);
	text = matches_rules(11, "x{1000}");
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "fit[10].pattern: the patterns up to this one "
			       "expand to more than 10000 atoms in all; "
			       "expected fewer or smaller regexes");
	free(text);
	text = matches_rules(1, "((((((((((((((((a))))))))))))))))");
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_OK);
	mql_rules_free(r);
	free(text);
	char pattern[514];
	memset(pattern, 'a', 512);
	pattern[512] = '\0';
	text = matches_rules(1, pattern);
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_OK);
	mql_rules_free(r);
	free(text);
	pattern[512] = 'a';
	pattern[513] = '\0';
	text = matches_rules(1, pattern);
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "fit[0].pattern: 513 characters; expected a "
			       "regex of at most 512");
	free(text);
}

/* Bytes that cJSON alone would take, each with where it is refused. */
static const struct {
	const char *text;
	size_t len; /* 0: strlen */
	long line, column;
	const char *message;
} strict_cases[] = {
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1}\n}", 0, 2, 1,
	 "more text after the JSON value; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1} {}", 0, 1, 46,
	 "more text after the JSON value; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, \"name\": "
	 "\"a\0b\"}",
	 59, 1, 56, "a NUL byte; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"threshold\": 1}\0", 45, 1, 45,
	 "a NUL byte; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\",\n\"name\": \"caf\xe9\", "
	 "\"threshold\": 1}",
	 0, 2, 13, "invalid UTF-8; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"name\": \"\xc0\xaf\", "
	 "\"threshold\": 1}",
	 0, 1, 39, "invalid UTF-8; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"name\": \"\xed\xa0\x80\", "
	 "\"threshold\": 1}",
	 0, 1, 39, "invalid UTF-8; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"name\": \"\xf4\x90\x80\x80\", "
	 "\"threshold\": 1}",
	 0, 1, 39, "invalid UTF-8; expected a rule file object"},
	{"{\"format\": \"mqlcal.rules/1\", \"name\": \"a\\u0000b\", "
	 "\"threshold\": 1}",
	 0, 1, 40,
	 "a \\u0000 escape (a NUL character); expected a rule file object"},
};

static void json_is_read_strictly(void)
{
	for (size_t i = 0; i < sizeof strict_cases / sizeof strict_cases[0];
	     i++) {
		const char *text = strict_cases[i].text;
		size_t len = strict_cases[i].len ? strict_cases[i].len
						 : strlen(text);
		mql_rules *r = NULL;
		mql_error err;
		mql_error_clear(&err);
		CU_ASSERT_EQUAL(mql_rules_parse(&r, text, len, "r.json", &err),
				MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(r);
		CU_ASSERT_STRING_EQUAL(err.message, strict_cases[i].message);
		CU_ASSERT_EQUAL(err.line, strict_cases[i].line);
		CU_ASSERT_EQUAL(err.column, strict_cases[i].column);
		if (err.column != strict_cases[i].column ||
		    strcmp(err.message, strict_cases[i].message) != 0)
			fprintf(stderr, "\ncase %zu: %ld:%ld %s\n", i, err.line,
				err.column, err.message);
	}
	/* valid UTF-8 of two, three and four bytes, an escaped backslash
	 * before u0000, and white space after the value are fine */
	const char *good = "{\"format\": \"mqlcal.rules/1\", \"threshold\": 1, "
			   "\"name\": \"Z\xc3\xbcrich \xe2\x82\xac "
			   "\xf0\x9f\x98\x80 \\\\u0000\"}\r\n\t ";
	mql_rules *r = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(parse(good, &r, &err), MQL_OK);
	if (r)
		CU_ASSERT_STRING_EQUAL(r->name, "Z\xc3\xbcrich \xe2\x82\xac "
						"\xf0\x9f\x98\x80 \\u0000");
	mql_rules_free(r);
}

/* Nests depth arrays in the provenance of a rule file. */
static char *nested_rules(size_t depth)
{
	size_t size = 2 * depth + 100;
	char *text = malloc(size);
	size_t used =
		(size_t)snprintf(text, size, HEAD "\"provenance\": {\"a\": ");
	for (size_t i = 0; i < depth; i++)
		text[used++] = '[';
	for (size_t i = 0; i < depth; i++)
		text[used++] = ']';
	snprintf(text + used, size - used, "}}");
	return text;
}

static void json_depth_and_size_are_bounded(void)
{
	mql_rules *r = NULL;
	mql_error err;
	/* the object and the provenance take two levels of the 64 */
	char *text = nested_rules(62);
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_OK);
	mql_rules_free(r);
	free(text);
	text = nested_rules(63);
	CU_ASSERT_EQUAL(parse(text, &r, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "arrays and objects nested more than 64 deep; "
			       "expected a rule file object");
	CU_ASSERT_EQUAL(err.column, 129);
	if (err.column != 129)
		fprintf(stderr, "\ndepth at column %ld\n", err.column);
	free(text);
	/* 16 MiB of white space after a rule file is read; one byte more
	 * is refused */
	const char *head = "{\"format\": \"mqlcal.rules/1\", \"threshold\": 1}";
	size_t cap = (size_t)16 << 20;
	char *big = malloc(cap + 1);
	memset(big, ' ', cap + 1);
	memcpy(big, head, strlen(head));
	char path[256];
	temp_file_write(path, sizeof path, "rules", big, cap);
	CU_ASSERT_EQUAL(mql_rules_load(&r, path, &err), MQL_OK);
	mql_rules_free(r);
	unlink(path);
	temp_file_write(path, sizeof path, "rules", big, cap + 1);
	CU_ASSERT_EQUAL(mql_rules_load(&r, path, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "larger than 16 MiB; expected a rule file");
	unlink(path);
	free(big);
}

CU_TestInfo test_rules[] = {
	{"json is read strictly", json_is_read_strictly},
	{"json depth and size are bounded", json_depth_and_size_are_bounded},
	{"bounds hold at their limits", bounds_hold_at_their_limits},
	{"invalid files are named by path", invalid_files_are_named_by_path},
	{"bad json has line and column", bad_json_has_line_and_column},
	{"missing file is reported", missing_file_is_reported},
	{"round trip is canonical and byte stable",
	 round_trip_is_canonical_and_byte_stable},
	{"rules built in code write the same format",
	 rules_built_in_code_write_the_same_format},
	{"single rules convert without points",
	 single_rules_convert_without_points},
	CU_TEST_INFO_NULL,
};
