/* test_model.c - model.json: reading the spec's layout, round trips, faults. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/model.h>

#include "temp_file.h"

static mql_model *read_fixture(const char *name)
{
	char path[512];
	mql_error err;
	mql_model *m = NULL;
	snprintf(path, sizeof path, "%s/model/%s", MQL_FIXTURES, name);
	int status = mql_model_read(&m, path, &err);
	CU_ASSERT_EQUAL(status, MQL_OK);
	if (status)
		fprintf(stderr, "%s\n", err.message);
	return m;
}

static void reads_the_spec_layout(void)
{
	mql_model *m = read_fixture("spec-example.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_STRING_EQUAL(m->label, "sal");
	CU_ASSERT_EQUAL(m->n, 1200);
	CU_ASSERT_EQUAL(m->positives, 300);
	CU_ASSERT_DOUBLE_EQUAL(m->intercept.estimate, -1.5, 1e-15);
	CU_ASSERT_EQUAL_FATAL(m->coefficient_count, 2);
	const mql_model_coefficient *demo = mql_model_find(m, "demo");
	CU_ASSERT_PTR_NOT_NULL_FATAL(demo);
	CU_ASSERT_DOUBLE_EQUAL(demo->value.ci_high, 1.192, 1e-15);
	CU_ASSERT_EQUAL(demo->support, 400);
	const cJSON *event = cJSON_GetObjectItem(demo->rule, "event");
	CU_ASSERT_STRING_EQUAL(cJSON_GetStringValue(event), "demo_request");
	/* null in the file is "unknown": NAN in memory */
	CU_ASSERT_TRUE(isnan(m->coefficients[1].value.std_error));
	CU_ASSERT_EQUAL(m->fit.iterations, 5);
	CU_ASSERT_EQUAL(m->fit.converged, 1);
	CU_ASSERT_STRING_EQUAL(m->validation.method, "holdout");
	CU_ASSERT_DOUBLE_EQUAL(m->validation.auc_ci[1], 0.77, 1e-15);
	CU_ASSERT_EQUAL_FATAL(m->validation.calibration_count, 1);
	CU_ASSERT_EQUAL(m->validation.calibration[0].n, 30);
	CU_ASSERT_EQUAL_FATAL(m->operating_point_count, 1);
	CU_ASSERT_EQUAL(m->operating_points[0].positives_above, 60);
	CU_ASSERT_EQUAL_FATAL(m->warning_count, 1);
	CU_ASSERT_STRING_EQUAL(m->warnings[0], "seniority_vp: only 90 rows");
	CU_ASSERT_PTR_NOT_NULL(
		cJSON_GetObjectItem(m->extra, "half_life_profiles"));
	/* eta = -1.5 + 0.8 * 2 + 0.5 * 1 = 0.6 */
	double x[2] = {2.0, 1.0};
	CU_ASSERT_DOUBLE_EQUAL(mql_model_eta(m, x), 0.6, 1e-12);
	mql_model_free(m);
}

/* Writes m to a memory buffer; the caller frees the text. */
static char *write_to_text(const mql_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(mql_model_write(m, fp, NULL), MQL_OK);
	fclose(fp);
	return text;
}

static void round_trip_keeps_everything(void)
{
	mql_model *m = read_fixture("spec-example.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	char *first = write_to_text(m);
	mql_model *again = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(
		mql_model_parse(&again, first, strlen(first), "first", &err),
		MQL_OK);
	char *second = write_to_text(again);
	/* same model, same bytes; unknown keys and nulls survive */
	CU_ASSERT_STRING_EQUAL(first, second);
	CU_ASSERT_PTR_NOT_NULL(strstr(second, "\"half_life_profiles\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(second, "\"std_error\":\tnull"));
	CU_ASSERT_DOUBLE_EQUAL(again->coefficients[0].value.p, 6.334e-05,
			       1e-20);
	free(first);
	free(second);
	mql_model_free(again);
	mql_model_free(m);
}

static void built_model_round_trips(void)
{
	mql_model *m = mql_model_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(mql_model_set_label(m, "customer"), MQL_OK);
	m->n = 10;
	m->positives = 4;
	m->intercept.estimate = 0.25;
	for (int i = 0; i < 20; i++) {
		char name[16];
		snprintf(name, sizeof name, "r%d", i);
		mql_model_coefficient *c =
			mql_model_add_coefficient(m, name, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		c->value.estimate = i / 3.0;
		c->support = i;
	}
	mql_model_operating_point op = {1.0 / 3.0, 5, 3, 0.6, 0.75};
	CU_ASSERT_EQUAL(mql_model_add_operating_point(m, &op), MQL_OK);
	CU_ASSERT_EQUAL(mql_model_add_warning(m, "%d positives", 4), MQL_OK);
	CU_ASSERT_EQUAL(mql_model_set_calibration_count(m, 10), MQL_OK);
	CU_ASSERT_EQUAL(mql_model_set_gains_count(m, 10), MQL_OK);
	m->validation.gains[9].lift = 0.125;
	snprintf(m->fit.interval, sizeof m->fit.interval, "profile");
	m->fit.l2 = 2;
	m->fit.edf = 3.25;
	char *text = write_to_text(m);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"profile\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"penalized hessian\""));
	mql_model *back = NULL;
	CU_ASSERT_EQUAL_FATAL(
		mql_model_parse(&back, text, strlen(text), "t", NULL), MQL_OK);
	CU_ASSERT_STRING_EQUAL(back->label, "customer");
	CU_ASSERT_EQUAL_FATAL(back->coefficient_count, 20);
	/* doubles are printed so that they read back exactly */
	CU_ASSERT_EQUAL(back->coefficients[19].value.estimate, 19 / 3.0);
	CU_ASSERT_EQUAL(back->operating_points[0].eta, 1.0 / 3.0);
	CU_ASSERT_EQUAL(back->validation.calibration_count, 10);
	CU_ASSERT_EQUAL(back->validation.gains[9].lift, 0.125);
	CU_ASSERT_STRING_EQUAL(back->warnings[0], "4 positives");
	CU_ASSERT_TRUE(isnan(back->validation.auc));
	CU_ASSERT_STRING_EQUAL(back->fit.interval, "profile");
	CU_ASSERT_EQUAL(back->fit.edf, 3.25);
	free(text);
	mql_model_free(back);
	mql_model_free(m);
}

static const struct {
	const char *text;
	const char *message;
} bad_models[] = {
	{"{\"format\": \"mqlcal.rules/1\"}",
	 "format: expected \"mqlcal.model/1\""},
	{"{\"format\": \"mqlcal.model/1\", \"coefficients\": []}",
	 "intercept: expected an object"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1}}",
	 "coefficients: expected an array"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [{\"name\": \"a\", \"estimate\": 1},"
	 " {\"name\": \"b\", \"estimate\": \"x\"}]}",
	 "coefficients[1].estimate: expected a finite number"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": null},"
	 " \"coefficients\": []}",
	 "intercept.estimate: expected a finite number"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [{\"estimate\": 1}]}",
	 "coefficients[0].name: expected a non-empty string"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"n\": -3}",
	 "n: expected a whole number >= 0"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"fit\": {\"converged\": 1}}",
	 "fit.converged: expected true or false"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"fit\": {\"interval\": \"bootstrap\"}}",
	 "fit.interval: expected \"wald\", \"profile\" or \"wald+half-life\""},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"fit\": {\"l2\": 0, \"std_errors\": "
	 "\"penalized hessian\"}}",
	 "fit.std_errors: expected \"information\" (l2 = 0)"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"operating_points\": [{\"eta\": null}]}",
	 "operating_points[0].eta: expected a finite number"},
	/* numbers past the bounds of model.h */
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [{\"name\": \"a\", \"estimate\": 1e300}]}",
	 "coefficients[0].estimate: 1e+300; expected a logit within +-1e+06"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": "
	 "-1000001}, \"coefficients\": []}",
	 "intercept.estimate: -1000001; expected a logit within +-1e+06"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": "
	 "1e999}, \"coefficients\": []}",
	 "intercept.estimate: expected a finite number"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [{\"name\": \"a\", \"estimate\": 1, "
	 "\"std_error\": -0.5}]}",
	 "coefficients[0].std_error: expected a number >= 0"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [{\"name\": \"a\", \"estimate\": 1, "
	 "\"std_error\": 1e999}]}",
	 "coefficients[0].std_error: expected a finite number"},
	{"{\"format\": \"mqlcal.model/1\", \"intercept\": {\"estimate\": 1},"
	 " \"coefficients\": [], \"operating_points\": [{\"eta\": 2e6}]}",
	 "operating_points[0].eta: 2000000; expected a logit within +-1e+06"},
};

static void faults_name_the_json_path(void)
{
	for (size_t i = 0; i < sizeof bad_models / sizeof bad_models[0]; i++) {
		mql_model *m = NULL;
		mql_error err;
		const char *text = bad_models[i].text;
		int status = mql_model_parse(&m, text, strlen(text), "bad.json",
					     &err);
		CU_ASSERT_EQUAL(status, MQL_ERR_INPUT);
		CU_ASSERT_PTR_NULL(m);
		CU_ASSERT_STRING_EQUAL(err.message, bad_models[i].message);
		if (strcmp(err.message, bad_models[i].message) != 0)
			fprintf(stderr, "case %zu: %s\n", i, err.message);
	}
}

static void syntax_error_has_a_position(void)
{
	const char *text =
		"{\n  \"format\": \"mqlcal.model/1\",\n  \"n\": ]\n}";
	mql_model *m = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(mql_model_parse(&m, text, strlen(text), "x.json", &err),
			MQL_ERR_INPUT);
	/* the ']' is on line 3, column 8 */
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 8);
	CU_ASSERT_EQUAL(
		mql_model_read(&m, MQL_FIXTURES "/model/absent.json", &err),
		MQL_ERR_NOFILE);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "cannot open: No such file or directory");
	/* a directory opens but cannot be read */
	CU_ASSERT_EQUAL(mql_model_read(&m, MQL_FIXTURES, &err), MQL_ERR_IO);
	CU_ASSERT_STRING_EQUAL(err.message, "cannot read");
	CU_ASSERT_PTR_NULL(m);
}

/* Trailing text, NUL bytes and bad UTF-8 are refused where they are; a
 * file past 64 MiB is refused without being read whole. */
static void json_is_read_strictly(void)
{
	const char *head = "{\"format\": \"mqlcal.model/1\", \"intercept\": "
			   "{\"estimate\": 1}, \"coefficients\": []}";
	static const struct {
		const char *tail;
		size_t tail_len;
		const char *message;
	} cases[] = {
		{" x", 2,
		 "more text after the JSON value; expected a JSON "
		 "model (mqlcal.model/1)"},
		{"\0", 1, "a NUL byte; expected a JSON model (mqlcal.model/1)"},
		{" \xff", 2,
		 "invalid UTF-8; expected a JSON model "
		 "(mqlcal.model/1)"},
	};
	size_t head_len = strlen(head);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		memcpy(text, head, head_len);
		memcpy(text + head_len, cases[i].tail, cases[i].tail_len);
		mql_model *m = NULL;
		mql_error err;
		CU_ASSERT_EQUAL(mql_model_parse(&m, text,
						head_len + cases[i].tail_len,
						"m.json", &err),
				MQL_ERR_INPUT);
		CU_ASSERT_STRING_EQUAL(err.message, cases[i].message);
		/* the fault is just after the value's last byte, or one
		 * later past the space */
		CU_ASSERT_EQUAL(err.column,
				(long)head_len + 1 + (cases[i].tail[0] == ' '));
	}
	size_t cap = (size_t)64 << 20;
	char *big = malloc(cap + 1);
	CU_ASSERT_FATAL(big != NULL);
	memset(big, ' ', cap + 1);
	memcpy(big, head, head_len);
	char path[256];
	mql_model *m = NULL;
	mql_error err;
	temp_file_write(path, sizeof path, "model", big, cap);
	CU_ASSERT_EQUAL(mql_model_read(&m, path, &err), MQL_OK);
	mql_model_free(m);
	unlink(path);
	temp_file_write(path, sizeof path, "model", big, cap + 1);
	CU_ASSERT_EQUAL(mql_model_read(&m, path, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "larger than 64 MiB; expected a model");
	unlink(path);
	free(big);
}

CU_TestInfo test_model[] = {
	{"json is read strictly", json_is_read_strictly},
	{"reads the spec layout", reads_the_spec_layout},
	{"round trip keeps everything", round_trip_keeps_everything},
	{"built model round trips", built_model_round_trips},
	{"faults name the json path", faults_name_the_json_path},
	{"syntax error has a position", syntax_error_has_a_position},
	CU_TEST_INFO_NULL,
};
