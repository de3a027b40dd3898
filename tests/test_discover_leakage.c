/*
 * test_discover_leakage.c - the columns discovery leaves out: CRM names
 * (HubSpot labels and internal names, Salesforce labels and API names),
 * names that say "status", "tag", ..., columns whose every value is a date,
 * columns that alone separate the outcome; the excluded list, the warnings
 * and the --properties override.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>
#include <mqlcal/discover.h>
#include <mqlcal/population.h>

#include "temp_file.h"

/* A column of the test file: its header and the value of row i. */
typedef struct column {
	const char *header;
	const char *expected; /* in its reason, or NULL: a feature */
} column;

/*
 * 60 rows; row i has outcome (i / 3) % 2 and every column the level
 * i % 3, so each level holds 10 positives and 10 negatives: nothing
 * separates the outcome and only names decide.
 */
static const column by_name[] = {
	{"Lifecycle Stage", "funnel stage"},
	{"lifecyclestage", "funnel stage"},
	{"Lead Status", "lead status"},
	{"hs_lead_status", "lead status"},
	{"Status", "lead status"},
	{"HubSpot Score", "CRM score"},
	{"hubspotscore", "CRM score"},
	{"Lead Score", "CRM score"},
	{"Rating", "CRM score or rating"},
	{"Likelihood to close", "CRM score"},
	{"Total Revenue", "closed-won revenue"},
	{"total_revenue", "closed-won revenue"},
	{"Recent Deal Amount", "deal amount"},
	{"Days To Close", "deal amount"},
	{"Annual Revenue", NULL},
	{"AnnualRevenue", NULL},
	{"Number of Employees", NULL},
	{"Industry", NULL},
	{"First Name", "name, email"},
	{"Last Name", "name, email"},
	{"Email", "name, email"},
	{"Phone Number", "name, email"},
	{"Company", "name, email"},
	{"Contact owner", "owner"},
	{"hubspot_owner_id", "owner"},
	{"Lead Owner", "owner"},
	{"OwnerId", "owner"},
	{"IsConverted", "conversion record"},
	{"Converted Opportunity", "conversion record"},
	{"Record ID", "an id"},
	{"Campaign ID", "an id"},
	{"Number of Pageviews", "export-time aggregate"},
	{"hs_analytics_num_page_views", "export-time aggregate"},
	{"Number of Sessions", "export-time aggregate"},
	{"hs_analytics_num_visits", "export-time aggregate"},
	{"Number of Form Submissions", "export-time aggregate"},
	{"num_conversion_events", "export-time aggregate"},
	{"Marketing emails opened", "export-time aggregate"},
	{"hs_email_open", "export-time aggregate"},
	{"Marketing emails clicked", "export-time aggregate"},
	{"hs_email_click", "export-time aggregate"},
	{"Recent Conversion", "export-time aggregate"},
	{"recent_conversion_event_name", "export-time aggregate"},
	{"First Conversion", "export-time aggregate"},
	{"first_conversion_event_name", "export-time aggregate"},
	{"Last Activity Date", "sales activity"},
	{"notes_last_updated", "sales activity"},
	{"Last Activity", "sales activity"},
	{"Last Notable Activity", "sales activity"},
	{"Create Date", "a date"},
	{"Time of First Session", "a date"},
	{"hs_analytics_last_referrer", "export-time aggregate"},
	{"Last Touch Converting Campaign", "export-time aggregate"},
	{"Number of Sequences Enrolled", "sales activity"},
	{"Number of open deals", "deal amount"},
	{"Demographic Score", "CRM score"},
	{"Email Bounced Reason",
	 "probable leakage: its name says it is a reason"},
	{"Original Source", NULL},
	{"Time Zone", NULL},
	{"Marital Status", "probable leakage: its name says it is a status"},
	{"Deal Stage Name", "funnel stage"},
	{"Tags", "probable leakage: its name says it is a tag"},
	{"Lead Quality", "quality judgement"},
	{"Customer Grade", "rating or grade"},
	{"Disqualification Reason", "reason"},
	{"Do Not Email", NULL},
	{"Update me on Supply Chain Content", NULL},
	{"Job Title", NULL},
	{"Page Views Per Visit", NULL},
};
#define BY_NAME_COUNT (sizeof by_name / sizeof by_name[0])
#define ROWS	      60

/* Loads text as contacts, with "won" the outcome. */
static void load(mql_contacts **c, mql_population **p, const char *text)
{
	char path[256];
	temp_file_write(path, sizeof path, "mqlcal-leakage", text,
			strlen(text));
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(c, path, &csv, MQL_TIME_NONE, NULL, NULL),
		MQL_OK);
	unlink(path);
	mql_population_options popt;
	mql_population_options_init(&popt);
	popt.label = MQL_LABEL_OUTCOME;
	popt.outcome_column = "won";
	CU_ASSERT_EQUAL_FATAL(mql_population_build(p, *c, &popt, NULL), MQL_OK);
}

/* The file of by_name, plus a column of dates in each locale's form. */
static char *by_name_file(void)
{
	size_t size = 64 * 1024, used = 0;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	used += (size_t)snprintf(text, size, "contact_id,won,signed up");
	for (size_t j = 0; j < BY_NAME_COUNT; j++)
		used += (size_t)snprintf(text + used, size - used, ",%s",
					 by_name[j].header);
	static const char *const dates[] = {"3/5/2026 2:07 PM", "01.10.2026",
					    "2026-02-11T08:00:00Z"};
	for (int i = 0; i < ROWS; i++) {
		used += (size_t)snprintf(text + used, size - used,
					 "\nc%d,%d,%s", i, (i / 3) % 2,
					 dates[i % 3]);
		for (size_t j = 0; j < BY_NAME_COUNT; j++)
			used += (size_t)snprintf(text + used, size - used,
						 ",v%d", i % 3);
	}
	snprintf(text + used, size - used, "\n");
	return text;
}

static int find(const mql_strings *list, const char *text)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i], text) == 0)
			return (int)i;
	return -1;
}

static int rules_of(const cJSON *rules, const char *property)
{
	int count = 0;
	const cJSON *rule;
	cJSON_ArrayForEach(rule, rules)
	{
		const cJSON *p =
			cJSON_GetObjectItemCaseSensitive(rule, "property");
		count += strcmp(p->valuestring, property) == 0;
	}
	return count;
}

static int warned(const mql_strings *w, const char *a, const char *b)
{
	for (size_t i = 0; i < w->count; i++)
		if (strstr(w->items[i], a) && strstr(w->items[i], b))
			return 1;
	return 0;
}

static void names_discovery_never_uses(void)
{
	mql_contacts *c = NULL;
	mql_population *p = NULL;
	char *text = by_name_file();
	load(&c, &p, text);
	free(text);
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.exclude = "won";
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	mql_discover_excluded excluded = {0};
	CU_ASSERT_EQUAL_FATAL(mql_discover_fit_rules(rules, &warnings,
						     &excluded, c, p, &opt,
						     NULL),
			      MQL_OK);
	size_t expected_out = 1; /* "signed up" */
	for (size_t j = 0; j < BY_NAME_COUNT; j++) {
		const column *col = &by_name[j];
		int at = find(&excluded.columns, col->header);
		if (!col->expected) {
			CU_ASSERT_EQUAL(at, -1);
			CU_ASSERT_EQUAL(rules_of(rules, col->header), 2);
			if (at >= 0 || rules_of(rules, col->header) != 2)
				fprintf(stderr, "\n  '%s' is not a feature\n",
					col->header);
			continue;
		}
		expected_out++;
		CU_ASSERT_EQUAL(rules_of(rules, col->header), 0);
		int ok = at >= 0 && strstr(excluded.reasons.items[at],
					   col->expected) != NULL;
		CU_ASSERT(ok);
		if (!ok)
			fprintf(stderr, "\n  '%s': %s\n", col->header,
				at >= 0 ? excluded.reasons.items[at]
					: "not excluded");
	}
	int at = find(&excluded.columns, "signed up");
	CU_ASSERT(at >= 0 &&
		  strstr(excluded.reasons.items[at], "every value is a date"));
	CU_ASSERT_EQUAL(excluded.columns.count, expected_out);
	CU_ASSERT_EQUAL(excluded.reasons.count, expected_out);
	CU_ASSERT_EQUAL(find(&excluded.columns, "won"), -1);
	/* Probable leakage: a warning each; the rest named in one. */
	CU_ASSERT(warned(&warnings, "left out of discovery: 'Tags'",
			 "its name says it is a tag"));
	CU_ASSERT(warned(&warnings, "column(s) it never uses",
			 "'Lifecycle Stage', 'lifecyclestage'"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_discover_excluded_release(&excluded);
	mql_population_free(p);
	mql_contacts_free(c);
}

/*
 * 100 rows, 50 positives (rows 0..49) and 50 negatives, four columns:
 *   notes   A: rows 0..29 (30 of 30 positive), B: rows 50..79 (0 of 30),
 *           C: the other 40 (20 of 40).  60% of the positives and 60% of
 *           the negatives are in pure levels; AUC (30*50 + 20*30 +
 *           0.5*20*20) / 2500 = 0.92.
 *   mood    D: rows 0..44 and 50..54 (45 of 50), E: the rest (5 of 50):
 *           rates 0.9 and 0.1, no pure level; AUC (45*45 + 0.5*45*5 +
 *           0.5*5*45) / 2500 = 0.90.
 *   amount_seen  (i % 5) for positives, 10 + (i % 5) for negatives:
 *           AUC 1 (the negatives all above).
 *   visits  i % 7: no relation.
 */
static char *outcome_file(void)
{
	size_t size = 16 * 1024, used = 0;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	used += (size_t)snprintf(
		text, size, "contact_id,won,notes,mood,amount_seen,visits");
	for (int i = 0; i < 100; i++) {
		int positive = i < 50;
		const char *notes = i < 30		? "A"
				    : i >= 50 && i < 80 ? "B"
							: "C";
		const char *mood = i < 45 || (i >= 50 && i < 55) ? "D" : "E";
		used += (size_t)snprintf(text + used, size - used,
					 "\nr%d,%d,%s,%s,%d,%d", i, positive,
					 notes, mood,
					 (positive ? 0 : 10) + i % 5, i % 7);
	}
	snprintf(text + used, size - used, "\n");
	return text;
}

static void columns_that_separate_the_outcome(void)
{
	mql_contacts *c = NULL;
	mql_population *p = NULL;
	char *text = outcome_file();
	load(&c, &p, text);
	free(text);
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.exclude = "won";
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	mql_discover_excluded excluded = {0};
	CU_ASSERT_EQUAL_FATAL(mql_discover_fit_rules(rules, &warnings,
						     &excluded, c, p, &opt,
						     NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL_FATAL(excluded.columns.count, 2);
	CU_ASSERT_STRING_EQUAL(excluded.columns.items[0], "notes");
	CU_ASSERT_PTR_NOT_NULL(strstr(excluded.reasons.items[0],
				      "60% of the positives and 60% of the "
				      "negatives"));
	CU_ASSERT_PTR_NOT_NULL(strstr(excluded.reasons.items[0], "AUC 0.920"));
	CU_ASSERT_STRING_EQUAL(excluded.columns.items[1], "amount_seen");
	CU_ASSERT_PTR_NOT_NULL(
		strstr(excluded.reasons.items[1], "single-column AUC 1.000"));
	CU_ASSERT(rules_of(rules, "mood") == 1);
	CU_ASSERT(rules_of(rules, "visits") > 0);
	CU_ASSERT(warned(&warnings, "left out of discovery: 'notes'",
			 "probable leakage"));
	CU_ASSERT(warned(&warnings, "left out of discovery: 'amount_seen'",
			 "probable leakage"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_discover_excluded_release(&excluded);

	/* --properties overrides, with a warning; the outcome stays out. */
	const char *only[] = {"notes", "mood"};
	opt.only = only;
	opt.only_count = 2;
	rules = cJSON_CreateArray();
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, &excluded, c,
					       p, &opt, NULL),
			MQL_OK);
	CU_ASSERT_EQUAL(excluded.columns.count, 0);
	CU_ASSERT_EQUAL(rules_of(rules, "notes"), 2);
	CU_ASSERT(warned(&warnings, "'notes' is used because --properties",
			 "probable leakage"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	only[0] = "won";
	mql_error err;
	rules = cJSON_CreateArray();
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, &excluded, c,
					       p, &opt, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "it is the outcome"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_discover_excluded_release(&excluded);
	mql_population_free(p);
	mql_contacts_free(c);
}

/*
 * The guard looks at the training rows only.  200 rows: 40 before the
 * holdout (mql_at in January, 20 positive), 160 after (June, 80 positive).
 *   early  training rows: P for positives, N for negatives (AUC 1);
 *          held-out rows: X and Y, alternating.
 *   later  training rows: X and Y, alternating with the outcome balanced
 *          (AUC 0.5); held-out rows: P and N by outcome.  Over all 200
 *          rows it would separate: (80*100 + 20*80 + 0.5*20*20) / 10000
 *          = 0.98.
 */
static void only_training_rows_are_judged(void)
{
	size_t size = 16 * 1024, used = 0;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	used += (size_t)snprintf(text, size,
				 "contact_id,mql_at,won,early,later");
	for (int i = 0; i < 200; i++) {
		int training = i < 40, positive = i % 2 == 0;
		const char *outcome_level = positive ? "P" : "N";
		const char *alternating = (i / 2) % 2 ? "X" : "Y";
		used += (size_t)snprintf(
			text + used, size - used, "\nr%d,2026-%s-10,%d,%s,%s",
			i, training ? "01" : "06", positive,
			training ? outcome_level : alternating,
			training ? alternating : outcome_level);
	}
	snprintf(text + used, size - used, "\n");
	mql_contacts *c = NULL;
	mql_population *p = NULL;
	load(&c, &p, text);
	free(text);
	mql_time from;
	CU_ASSERT_EQUAL_FATAL(mql_time_parse_iso(&from, "2026-05-01", 10, NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(mql_population_holdout(p, from, NULL), MQL_OK);
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.exclude = "won";
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	mql_discover_excluded excluded = {0};
	CU_ASSERT_EQUAL_FATAL(mql_discover_fit_rules(rules, &warnings,
						     &excluded, c, p, &opt,
						     NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL_FATAL(excluded.columns.count, 1);
	CU_ASSERT_STRING_EQUAL(excluded.columns.items[0], "early");
	CU_ASSERT_PTR_NOT_NULL(
		strstr(excluded.reasons.items[0], "single-column AUC 1.000"));
	CU_ASSERT(rules_of(rules, "later") > 0);
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_discover_excluded_release(&excluded);
	mql_population_free(p);
	mql_contacts_free(c);
}

/* Names longer than the comparison's buffer, without spaces (so split at
 * their capitals), of each length parity: compared on their first 500-odd
 * characters, never written past (the ASan build would stop here). */
static void long_names_are_cut_not_overrun(void)
{
	size_t size = 64 * 1024, used = 0;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	used += (size_t)snprintf(text, size, "contact_id,won");
	for (int k = 0; k < 4; k++) {
		used += (size_t)snprintf(text + used, size - used, ",%.*s", k,
					 "aaa");
		for (int r = 0; r < 300; r++)
			used += (size_t)snprintf(text + used, size - used,
						 "aB");
	}
	for (int i = 0; i < ROWS; i++) {
		used += (size_t)snprintf(text + used, size - used, "\nc%d,%d",
					 i, (i / 3) % 2);
		for (int k = 0; k < 4; k++)
			used += (size_t)snprintf(text + used, size - used,
						 ",v%d", i % 3);
	}
	snprintf(text + used, size - used, "\n");
	mql_contacts *c = NULL;
	mql_population *p = NULL;
	load(&c, &p, text);
	free(text);
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.exclude = "won";
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	mql_discover_excluded excluded = {0};
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, &excluded, c,
					       p, &opt, NULL),
			MQL_OK);
	CU_ASSERT_EQUAL(excluded.columns.count, 0);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(rules), 8);
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_discover_excluded_release(&excluded);
	mql_population_free(p);
	mql_contacts_free(c);
}

CU_TestInfo test_discover_leakage[] = {
	{"names discovery never uses", names_discovery_never_uses},
	{"columns that separate the outcome",
	 columns_that_separate_the_outcome},
	{"only training rows are judged", only_training_rows_are_judged},
	{"long names are cut, not overrun", long_names_are_cut_not_overrun},
	CU_TEST_INFO_NULL,
};
