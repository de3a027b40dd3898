/*
 * model_tables.c - the fitted model's tables as flat files: coefficients,
 * calibration and gains (see model.h), for notebooks that would otherwise
 * unpick model.json.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include <mqlcal/model.h>
#include <mqlcal/table.h>

enum coefficient_column {
	COEF_RULE,
	COEF_ESTIMATE,
	COEF_STD_ERROR,
	COEF_Z,
	COEF_P,
	COEF_CI_LOW,
	COEF_CI_HIGH,
	COEF_ODDS_RATIO,
	COEF_SUPPORT,
	COEF_INTERVAL,
	COEF_READABLE, /* the columns above are in every format */
	COEF_KIND = COEF_READABLE,
	COEF_COUNT
};

enum calibration_column {
	CAL_BIN,
	CAL_N,
	CAL_PREDICTED,
	CAL_OBSERVED,
	CAL_COUNT
};

enum gains_column {
	GAINS_BIN,
	GAINS_N,
	GAINS_POSITIVES,
	GAINS_CAPTURED,
	GAINS_LIFT,
	GAINS_COUNT
};

static const mql_column_spec coefficient_columns[COEF_COUNT] = {
	[COEF_RULE] = {"rule", MQL_COLUMN_TEXT, 0},
	[COEF_ESTIMATE] = {"estimate", MQL_COLUMN_REAL, 4},
	[COEF_STD_ERROR] = {"std_error", MQL_COLUMN_REAL, 4},
	[COEF_Z] = {"z", MQL_COLUMN_REAL, 3},
	[COEF_P] = {"p", MQL_COLUMN_P_VALUE, 4},
	[COEF_CI_LOW] = {"ci_low", MQL_COLUMN_REAL, 4},
	[COEF_CI_HIGH] = {"ci_high", MQL_COLUMN_REAL, 4},
	[COEF_ODDS_RATIO] = {"odds_ratio", MQL_COLUMN_REAL, 3},
	[COEF_SUPPORT] = {"support", MQL_COLUMN_INT, 0},
	[COEF_INTERVAL] = {"interval", MQL_COLUMN_TEXT, 0},
	[COEF_KIND] = {"kind", MQL_COLUMN_TEXT, 0},
};

static const mql_column_spec calibration_columns[CAL_COUNT] = {
	[CAL_BIN] = {"bin", MQL_COLUMN_INT, 0},
	[CAL_N] = {"n", MQL_COLUMN_INT, 0},
	[CAL_PREDICTED] = {"predicted", MQL_COLUMN_REAL, 4},
	[CAL_OBSERVED] = {"observed", MQL_COLUMN_REAL, 4},
};

static const mql_column_spec gains_columns[GAINS_COUNT] = {
	[GAINS_BIN] = {"bin", MQL_COLUMN_INT, 0},
	[GAINS_N] = {"n", MQL_COLUMN_INT, 0},
	[GAINS_POSITIVES] = {"positives", MQL_COLUMN_INT, 0},
	[GAINS_CAPTURED] = {"captured", MQL_COLUMN_REAL, 4},
	[GAINS_LIFT] = {"lift", MQL_COLUMN_REAL, 3},
};

/* A coefficient's kind: what its rule scores. */
static const char *coefficient_kind(const mql_model_coefficient *c)
{
	if (cJSON_GetObjectItemCaseSensitive(c->rule, "event"))
		return "engagement";
	if (cJSON_GetObjectItemCaseSensitive(c->rule, "property"))
		return "fit";
	return "feature";
}

/* A statistic, empty when it is not finite. */
static int set_statistic(mql_table *t, size_t column, double value)
{
	return mql_table_set_real(t, column, isfinite(value) ? value : NAN);
}

/* The estimate's six statistics from column COEF_ESTIMATE on. */
static int set_estimate(mql_table *t, const mql_model_estimate *e)
{
	const double values[] = {e->estimate, e->std_error, e->z,
				 e->p,	      e->ci_low,    e->ci_high};
	int status = 0;
	for (int i = 0; i < 6 && !status; i++)
		status = set_statistic(t, (size_t)(COEF_ESTIMATE + i),
				       values[i]);
	return status;
}

/* The intercept's row: no rule, odds ratio or support.  kind: with the
 * kind column (csv, json). */
static int intercept_row(mql_table *t, const mql_model *m, int kind)
{
	int status = mql_table_set_text(t, COEF_RULE, "(intercept)");
	if (!status)
		status = set_estimate(t, &m->intercept);
	if (!status)
		status = mql_table_set_text(t, COEF_INTERVAL, m->fit.interval);
	if (!status && kind)
		status = mql_table_set_text(t, COEF_KIND, "intercept");
	return status ? status : mql_table_end_row(t);
}

static int coefficient_row(mql_table *t, const mql_model *m,
			   const mql_model_coefficient *c, int kind)
{
	int status = mql_table_set_text(t, COEF_RULE, c->name);
	if (!status)
		status = mql_table_set_text(t, COEF_INTERVAL, m->fit.interval);
	if (!status)
		status = set_estimate(t, &c->value);
	if (!status)
		status = set_statistic(t, COEF_ODDS_RATIO, c->odds_ratio);
	if (!status)
		status =
			mql_table_set_int(t, COEF_SUPPORT, (int64_t)c->support);
	if (!status && kind)
		status = mql_table_set_text(t, COEF_KIND, coefficient_kind(c));
	return status ? status : mql_table_end_row(t);
}

static int calibration_row(mql_table *t, const mql_model_calibration_bin *b)
{
	int status = mql_table_set_int(t, CAL_BIN, (int64_t)b->bin);
	if (!status)
		status = mql_table_set_int(t, CAL_N, (int64_t)b->n);
	if (!status)
		status = mql_table_set_real(t, CAL_PREDICTED, b->predicted);
	if (!status)
		status = mql_table_set_real(t, CAL_OBSERVED, b->observed);
	return status ? status : mql_table_end_row(t);
}

static int gains_row(mql_table *t, const mql_model_gains_bin *b)
{
	int status = mql_table_set_int(t, GAINS_BIN, (int64_t)b->bin);
	if (!status)
		status = mql_table_set_int(t, GAINS_N, (int64_t)b->n);
	if (!status)
		status = mql_table_set_int(t, GAINS_POSITIVES,
					   (int64_t)b->positives);
	if (!status)
		status = mql_table_set_real(t, GAINS_CAPTURED, b->captured);
	if (!status)
		status = mql_table_set_real(t, GAINS_LIFT, b->lift);
	return status ? status : mql_table_end_row(t);
}

typedef enum which_table { COEFFICIENTS, CALIBRATION, GAINS } which_table;

static int add_rows(mql_table *t, const mql_model *m, which_table which,
		    int data)
{
	int status = 0;
	if (which == COEFFICIENTS) {
		status = intercept_row(t, m, data);
		for (size_t i = 0; i < m->coefficient_count && !status; i++)
			status = coefficient_row(t, m, &m->coefficients[i],
						 data);
	} else if (which == CALIBRATION) {
		const mql_model_validation *v = &m->validation;
		for (size_t i = 0; i < v->calibration_count && !status; i++)
			status = calibration_row(t, &v->calibration[i]);
	} else {
		const mql_model_validation *v = &m->validation;
		for (size_t i = 0; i < v->gains_count && !status; i++)
			status = gains_row(t, &v->gains[i]);
	}
	return status;
}

/* What a terminal too narrow for the coefficients leaves out first
 * (table.h). */
static const mql_table_priority coefficient_priorities[] = {
	{"estimate", 1},  {"odds_ratio", 2}, {"p", 2},
	{"ci_low", 3},	  {"ci_high", 3},    {"support", 4},
	{"std_error", 5}, {"z", 6},	     {NULL, 0}};

static int write_one(const mql_model *m, FILE *fp, mql_format format,
		     which_table which, mql_error *err)
{
	static const struct {
		const mql_column_spec *columns;
		size_t count;
		const char *what;
	} tables[] = {{coefficient_columns, COEF_COUNT, "coefficients"},
		      {calibration_columns, CAL_COUNT, "calibration"},
		      {gains_columns, GAINS_COUNT, "gains"}};
	int data = mql_format_is_data(format);
	size_t count = which == COEFFICIENTS && !data ? COEF_READABLE
						      : tables[which].count;
	mql_table *t = mql_table_new_with_columns(fp, format,
						  tables[which].columns, count);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	int status = 0;
	if (which == COEFFICIENTS)
		status = mql_table_set_priorities(t, coefficient_priorities);
	if (!status)
		status = add_rows(t, m, which, data);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the %s table", tables[which].what);
	mql_table_free(t);
	return status;
}

int mql_model_write_coefficients(const mql_model *m, FILE *fp,
				 mql_format format, mql_error *err)
{
	return write_one(m, fp, format, COEFFICIENTS, err);
}

int mql_model_write_calibration(const mql_model *m, FILE *fp, mql_format format,
				mql_error *err)
{
	return write_one(m, fp, format, CALIBRATION, err);
}

int mql_model_write_gains(const mql_model *m, FILE *fp, mql_format format,
			  mql_error *err)
{
	return write_one(m, fp, format, GAINS, err);
}
