/*
 * test_discover.c - rule discovery: ids, round edges, level grouping and
 * pooling, quantile ranges, excluded columns, separation warnings.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>
#include <mqlcal/discover.h>
#include <mqlcal/population.h>

static void slugs_and_edges(void)
{
	char id[64];
	const char *parts[] = {"Lead Origin", "Quick Add Form"};
	CU_ASSERT_STRING_EQUAL(mql_discover_slug(id, sizeof id, parts, 2),
			       "lead_origin_quick_add_form");
	const char *odd[] = {"  TotalVisits ", "2.5"};
	CU_ASSERT_STRING_EQUAL(mql_discover_slug(id, sizeof id, odd, 2),
			       "totalvisits_2_5");
	/* accented letters spelt in ASCII, other scripts by code point, a
	 * stray byte a separator: O-umlaut is U+00D6, sharp s U+00DF, e-acute
	 * U+00E9, the two CJK characters U+65E5 U+672C */
	const char *places[] = {"Country", "\303\226sterreich Stra\303\237e"};
	CU_ASSERT_STRING_EQUAL(mql_discover_slug(id, sizeof id, places, 2),
			       "country_osterreich_strasse");
	const char *more[] = {"Caf\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC",
			      "a\377b"};
	CU_ASSERT_STRING_EQUAL(mql_discover_slug(id, sizeof id, more, 3),
			       "cafe_u65e5u672c_a_b");
	/* two significant digits: 674 -> 670, 0.3712 -> 0.37, 1250 -> 1300
	 * (half away from zero), 7 -> 7 */
	CU_ASSERT_DOUBLE_EQUAL(mql_discover_round_edge(674), 670, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mql_discover_round_edge(0.3712), 0.37, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_discover_round_edge(1250), 1300, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(mql_discover_round_edge(7), 7, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_discover_round_edge(0), 0, 0);

	mql_strings list = {0};
	CU_ASSERT_EQUAL(mql_strings_split(&list, " a, Lead Origin,,b ", ','),
			MQL_OK);
	CU_ASSERT_EQUAL_FATAL(list.count, 3);
	CU_ASSERT_STRING_EQUAL(list.items[1], "Lead Origin");
	mql_strings_release(&list);
}

typedef struct fixture {
	mql_contacts *contacts;
	mql_population *population;
} fixture;

static void load_xeducation(fixture *f)
{
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	csv.map_path = MQL_FIXTURES "/fit/xeducation-map.json";
	csv.na = "Select";
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&f->contacts,
				  MQL_FIXTURES "/leads-xeducation.csv", &csv,
				  MQL_TIME_NONE, NULL, NULL),
		MQL_OK);
	mql_population_options opt;
	mql_population_options_init(&opt);
	opt.label = MQL_LABEL_OUTCOME;
	opt.outcome_column = "Converted";
	CU_ASSERT_EQUAL_FATAL(
		mql_population_build(&f->population, f->contacts, &opt, NULL),
		MQL_OK);
}

static void release(fixture *f)
{
	mql_population_free(f->population);
	mql_contacts_free(f->contacts);
}

static const char *rule_id(const cJSON *rules, int i)
{
	const cJSON *rule = cJSON_GetArrayItem(rules, i);
	return cJSON_GetObjectItemCaseSensitive(rule, "id")->valuestring;
}

static int warned(const mql_strings *w, const char *a, const char *b)
{
	for (size_t i = 0; i < w->count; i++)
		if (strstr(w->items[i], a) && strstr(w->items[i], b))
			return 1;
	return 0;
}

/* Lead Origin: Landing Page Submission 4886 (the reference), API 3580,
 * Lead Add Form 718, Lead Import 55, Quick Add Form 1 (1 of 1 converted:
 * below --min-support 20 even pooled, so scored as the reference). */
static void levels_reference_and_rare(void)
{
	fixture f;
	load_xeducation(&f);
	const char *only[] = {"Lead Origin"};
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.only = only;
	opt.only_count = 1;
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	CU_ASSERT_EQUAL_FATAL(mql_discover_fit_rules(rules, &warnings, NULL,
						     f.contacts, f.population,
						     &opt, NULL),
			      MQL_OK);
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(rules), 3);
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 0), "lead_origin_api");
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 1), "lead_origin_lead_add_form");
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 2), "lead_origin_lead_import");
	CU_ASSERT(warned(&warnings, "'Quick Add Form' (1 of 1)",
			 "only positives"));
	CU_ASSERT(warned(&warnings, "scored as the reference",
			 "Landing Page Submission"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);

	/* With --min-support 1 the single row gets its own rule. */
	opt.min_support = 1;
	rules = cJSON_CreateArray();
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, NULL,
					       f.contacts, f.population, &opt,
					       NULL),
			MQL_OK);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(rules), 4);
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	release(&f);
}

/* Lead Source: `google` (5 rows, none converted) is `Google` to an `in`
 * rule (2868 rows), the most common level, so the reference; the level as
 * written is still named as separated.  36 rows lack a source. */
static void case_insensitive_levels_and_missing(void)
{
	fixture f;
	load_xeducation(&f);
	const char *only[] = {"Lead Source"};
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.only = only;
	opt.only_count = 1;
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	CU_ASSERT_EQUAL_FATAL(mql_discover_fit_rules(rules, &warnings, NULL,
						     f.contacts, f.population,
						     &opt, NULL),
			      MQL_OK);
	CU_ASSERT(warned(&warnings, "'google' (0 of 5)", "only negatives"));
	int n = cJSON_GetArraySize(rules);
	int pooled = 0, missing = 0;
	for (int i = 0; i < n; i++) {
		CU_ASSERT(strcmp(rule_id(rules, i), "lead_source_google") != 0);
		pooled += strcmp(rule_id(rules, i), "lead_source_other") == 0;
		missing +=
			strcmp(rule_id(rules, i), "lead_source_missing") == 0;
	}
	/* >= 20 rows: Direct Traffic, Olark Chat, Organic Search, Reference,
	 * Welingak Website, Referral Sites, Facebook (7), then other and
	 * missing */
	CU_ASSERT_EQUAL(n, 9);
	CU_ASSERT_EQUAL(pooled, 1);
	CU_ASSERT_EQUAL(missing, 1);
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	release(&f);
}

static void ids_and_unique_columns_are_not_features(void)
{
	fixture f;
	load_xeducation(&f);
	const char *only[] = {"Lead Number"};
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.only = only;
	opt.only_count = 1;
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	mql_error err;
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, NULL,
					       f.contacts, f.population, &opt,
					       &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "unique per row"));
	only[0] = "Converted";
	opt.exclude = "Converted";
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, NULL,
					       f.contacts, f.population, &opt,
					       &err),
			MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(rules), 0);
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	release(&f);
}

/* 100 rows with v = 1, 1, 2, 2, ..., 50, 50 (sorted value k is k/2 + 1)
 * and one missing: quantile positions (b/5) * 99 -> indices 19, 39, 59, 79
 * -> edges 10, 20, 30, 40; values 1..9 are the reference. */
static void numeric_quantile_ranges(void)
{
	char path[256];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/mqlcal-discover-XXXXXX",
		 dir ? dir : "/tmp");
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fprintf(fp, "contact_id,v,won\n");
	for (int i = 1; i <= 100; i++)
		fprintf(fp, "r%d,%d,%d\n", i, (i + 1) / 2, i % 2);
	fprintf(fp, "r101,,1\n");
	fclose(fp);
	mql_contacts *c = NULL;
	mql_csv_options csv;
	mql_csv_options_init(&csv);
	CU_ASSERT_EQUAL_FATAL(
		mql_contacts_load(&c, path, &csv, MQL_TIME_NONE, NULL, NULL),
		MQL_OK);
	unlink(path);
	mql_population_options popt;
	mql_population_options_init(&popt);
	popt.label = MQL_LABEL_OUTCOME;
	popt.outcome_column = "won";
	mql_population *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &popt, NULL), MQL_OK);
	mql_discover_options opt;
	mql_discover_options_init(&opt);
	opt.exclude = "won";
	cJSON *rules = cJSON_CreateArray();
	mql_strings warnings = {0};
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, NULL, c, p,
					       &opt, NULL),
			MQL_OK);
	CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(rules), 5);
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 0), "v_10_20");
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 3), "v_40_plus");
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 4), "v_missing");
	const cJSON *r0 = cJSON_GetArrayItem(rules, 0);
	CU_ASSERT_DOUBLE_EQUAL(
		cJSON_GetObjectItemCaseSensitive(r0, "min")->valuedouble, 10,
		0);
	CU_ASSERT_DOUBLE_EQUAL(
		cJSON_GetObjectItemCaseSensitive(r0, "max")->valuedouble, 20,
		0);
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(rules, 3), "max"));
	cJSON_Delete(rules);
	mql_strings_release(&warnings);

	opt.numeric_linear = 1;
	rules = cJSON_CreateArray();
	CU_ASSERT_EQUAL(mql_discover_fit_rules(rules, &warnings, NULL, c, p,
					       &opt, NULL),
			MQL_OK);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(rules), 2);
	CU_ASSERT_STRING_EQUAL(rule_id(rules, 0), "v");
	cJSON_Delete(rules);
	mql_strings_release(&warnings);
	mql_population_free(p);
	mql_contacts_free(c);
}

CU_TestInfo test_discover[] = {
	{"slugs and round edges", slugs_and_edges},
	{"levels, reference and rare levels", levels_reference_and_rare},
	{"case-insensitive levels and missing",
	 case_insensitive_levels_and_missing},
	{"ids and unique columns are not features",
	 ids_and_unique_columns_are_not_features},
	{"numeric quantile ranges", numeric_quantile_ranges},
	CU_TEST_INFO_NULL,
};
