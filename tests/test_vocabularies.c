/*
 * test_vocabularies.c - each exported vocabulary (the names an option
 * accepts and the library parses) holds the names the spec gives, in the
 * order of its enum, and its parser maps each name to that value.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include <mqlcal/attribution.h>
#include <mqlcal/channels.h>
#include <mqlcal/contacts.h>
#include <mqlcal/cost.h>
#include <mqlcal/csv.h>
#include <mqlcal/format_text.h>
#include <mqlcal/population.h>
#include <mqlcal/shrink.h>
#include <mqlcal/sql.h>
#include <mqlcal/timeparse.h>

/* Checks that names is exactly expected (both NULL-ended). */
static void expect_names(const char *const *names, const char *const *expected)
{
	size_t i = 0;
	for (; expected[i]; i++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
		CU_ASSERT_STRING_EQUAL(names[i], expected[i]);
	}
	CU_ASSERT_PTR_NULL(names[i]);
}

/* parse gives each of names (NULL-ended) its place in the list, and
 * refuses other, leaving what it was given untouched. */
static void expect_places(int (*parse)(const char *, int *),
			  const char *const *names, const char *other)
{
	int place = -1;
	for (int i = 0; names[i]; i++) {
		CU_ASSERT_EQUAL(parse(names[i], &place), 0);
		CU_ASSERT_EQUAL(place, i);
	}
	int kept = place;
	CU_ASSERT_EQUAL(parse(other, &place), -1);
	CU_ASSERT_EQUAL(place, kept);
}

static void labels(void)
{
	static const char *const spec[] = {"sal", "sql", "opportunity",
					   "customer", NULL};
	static const mql_label values[] = {MQL_LABEL_SAL, MQL_LABEL_SQL,
					   MQL_LABEL_OPPORTUNITY,
					   MQL_LABEL_CUSTOMER};
	expect_names(mql_label_names, spec);
	for (size_t i = 0; spec[i]; i++) {
		mql_label label = MQL_LABEL_OUTCOME;
		CU_ASSERT_EQUAL(mql_label_parse(spec[i], &label), 0);
		CU_ASSERT_EQUAL(label, values[i]);
		CU_ASSERT_STRING_EQUAL(mql_label_name(values[i], NULL),
				       spec[i]);
	}
}

static void cost_groupings(void)
{
	static const char *const spec[] = {"channel", "campaign", "month",
					   "quarter", NULL};
	static const mql_cost_by values[] = {
		MQL_COST_BY_CHANNEL, MQL_COST_BY_CAMPAIGN, MQL_COST_BY_MONTH,
		MQL_COST_BY_QUARTER};
	expect_names(mql_cost_by_names, spec);
	for (size_t i = 0; spec[i]; i++) {
		mql_cost_by by = MQL_COST_BY_CHANNEL;
		CU_ASSERT_EQUAL(mql_cost_by_parse(spec[i], &by), 0);
		CU_ASSERT_EQUAL(by, values[i]);
		CU_ASSERT_STRING_EQUAL(mql_cost_group_column(values[i]),
				       spec[i]);
	}
}

static void channel_stages(void)
{
	static const char *const spec[] = {"sal", "sql", "opportunity",
					   "customer", NULL};
	static const int values[] = {MQL_STAGE_SAL, MQL_STAGE_SQL,
				     MQL_STAGE_OPPORTUNITY, MQL_STAGE_CUSTOMER};
	expect_names(mql_channels_stage_names, spec);
	for (size_t i = 0; spec[i]; i++) {
		int stage = -1;
		CU_ASSERT_EQUAL(mql_channels_stage_parse(spec[i], &stage), 0);
		CU_ASSERT_EQUAL(stage, values[i]);
	}
	int stage = 7;
	CU_ASSERT_EQUAL(mql_channels_stage_parse("mql", &stage), -1);
	CU_ASSERT_EQUAL(stage, 7);
}

/* mql-channels' --by (SPEC) and --prior (its man page) */
static void channel_groupings_and_priors(void)
{
	static const char *const by[] = {"channel", "campaign", NULL};
	static const char *const priors[] = {"ml", "moments", NULL};
	expect_names(mql_channels_by_names, by);
	expect_places(mql_channels_by_parse, by, "month");
	expect_names(mql_beta_method_names, priors);
	mql_beta_method method = MQL_BETA_MOMENTS;
	CU_ASSERT_EQUAL(mql_beta_method_parse("ml", &method), 0);
	CU_ASSERT_EQUAL(method, MQL_BETA_MAX_LIKELIHOOD);
	CU_ASSERT_EQUAL(mql_beta_method_parse("moments", &method), 0);
	CU_ASSERT_EQUAL(method, MQL_BETA_MOMENTS);
	CU_ASSERT_EQUAL(mql_beta_method_parse("mle", &method), -1);
	CU_ASSERT_EQUAL(method, MQL_BETA_MOMENTS);
}

static void periods(void)
{
	static const char *const spec[] = {"month", "quarter", NULL};
	static const mql_time_period values[] = {MQL_TIME_PERIOD_MONTH,
						 MQL_TIME_PERIOD_QUARTER};
	expect_names(mql_time_period_names, spec);
	for (size_t i = 0; spec[i]; i++) {
		mql_time_period period = (mql_time_period)-1;
		CU_ASSERT_EQUAL(mql_time_period_parse(spec[i], &period), 0);
		CU_ASSERT_EQUAL(period, values[i]);
	}
	mql_time_period period = MQL_TIME_PERIOD_QUARTER;
	CU_ASSERT_EQUAL(mql_time_period_parse("week", &period), -1);
	CU_ASSERT_EQUAL(mql_time_period_parse(NULL, &period), -1);
	CU_ASSERT_EQUAL(period, MQL_TIME_PERIOD_QUARTER);
}

static void attribution_models(void)
{
	static const char *const spec[] = {"first", "last", "linear",
					   "u-shaped", NULL};
	static const mql_attribution_model values[] = {
		MQL_ATTRIBUTION_FIRST, MQL_ATTRIBUTION_LAST,
		MQL_ATTRIBUTION_LINEAR, MQL_ATTRIBUTION_U_SHAPED};
	expect_names(mql_attribution_names, spec);
	for (size_t i = 0; spec[i]; i++) {
		mql_attribution_model model = MQL_ATTRIBUTION_FIRST;
		CU_ASSERT_EQUAL(mql_attribution_parse(spec[i], &model), 0);
		CU_ASSERT_EQUAL(model, values[i]);
		CU_ASSERT_STRING_EQUAL(mql_attribution_name(values[i]),
				       spec[i]);
	}
}

static void encodings(void)
{
	static const char *const spec[] = {"utf-8", "windows-1252", "latin1",
					   NULL};
	expect_names(mql_csv_encodings, spec);
}

/* "a, b or c" worked by hand, and cut to the buffer. */
static void joined_names(void)
{
	static const char *const none[] = {NULL};
	static const char *const one[] = {"sal", NULL};
	static const char *const two[] = {"month", "quarter", NULL};
	static const char *const three[] = {"a", "b", "c", NULL};
	char buf[32];
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(none, buf, sizeof buf), "");
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(one, buf, sizeof buf),
			       "sal");
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(two, buf, sizeof buf),
			       "month or quarter");
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(three, buf, sizeof buf),
			       "a, b or c");
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(two, buf, 9), "month or");
	CU_ASSERT_STRING_EQUAL(mql_text_join_names(NULL, buf, sizeof buf), "");
}

/* mql-sql's --accepted-at (its man page) */
static void sql_acceptances(void)
{
	static const char *const spec[] = {"sal", "sql", NULL};
	expect_names(mql_sql_acceptance_names, spec);
	expect_places(mql_sql_acceptance_parse, spec, "SQL");
}

CU_TestInfo test_vocabularies[] = {
	{"labels", labels},
	{"cost groupings", cost_groupings},
	{"channel stages", channel_stages},
	{"channel groupings and priors", channel_groupings_and_priors},
	{"periods", periods},
	{"attribution models", attribution_models},
	{"encodings", encodings},
	{"joined names", joined_names},
	{"sql acceptances", sql_acceptances},
	CU_TEST_INFO_NULL,
};
