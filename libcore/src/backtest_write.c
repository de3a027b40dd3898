/*
 * backtest_write.c - the backtest as a table (table, csv, json, md): one
 * row per rule file and period, the columns named once below.
 */
#include <stdint.h>
#include <stdio.h>

#include <mqlcal/backtest.h>
#include <mqlcal/table.h>

enum backtest_column {
	COL_RULES,
	COL_PERIOD,
	COL_MQL,
	COL_ACCEPTED_RATE,
	COL_SQL_RATE,
	COL_CUSTOMER_RATE,
	COL_CUSTOMER_RECALL,
	COL_DAYS_TO_MQL,
	COL_AUC,
	COL_PSI,
	COL_DRIFT,
	COL_DECIDED,
	COL_CUSTOMERS,
	COL_PSI_N,
	COL_PSI_NOISE,
	COL_READABLE, /* the columns above are in every format */
	COL_RULES_FILE = COL_READABLE,
	COL_PERIOD_START,
	COL_COUNT
};

static const mql_column_spec columns[COL_COUNT] = {
	[COL_RULES] = {"rules", MQL_COLUMN_TEXT, 0},
	[COL_PERIOD] = {"period", MQL_COLUMN_TEXT, 0},
	[COL_MQL] = {"mql", MQL_COLUMN_INT, 0},
	[COL_ACCEPTED_RATE] = {"accepted_rate", MQL_COLUMN_REAL, 3},
	[COL_SQL_RATE] = {"sql_rate", MQL_COLUMN_REAL, 3},
	[COL_CUSTOMER_RATE] = {"customer_rate", MQL_COLUMN_REAL, 3},
	[COL_CUSTOMER_RECALL] = {"customer_recall", MQL_COLUMN_REAL, 3},
	[COL_DAYS_TO_MQL] = {"days_to_mql_median", MQL_COLUMN_REAL, 1},
	[COL_AUC] = {"auc", MQL_COLUMN_REAL, 3},
	[COL_PSI] = {"psi", MQL_COLUMN_REAL, 3},
	[COL_DRIFT] = {"drift", MQL_COLUMN_TEXT, 0},
	[COL_DECIDED] = {"decided", MQL_COLUMN_INT, 0},
	[COL_CUSTOMERS] = {"customers", MQL_COLUMN_INT, 0},
	[COL_PSI_N] = {"psi_n", MQL_COLUMN_INT, 0},
	[COL_PSI_NOISE] = {"psi_noise", MQL_COLUMN_REAL, 3},
	[COL_RULES_FILE] = {"rules_file", MQL_COLUMN_TEXT, 0},
	[COL_PERIOD_START] = {"period_start", MQL_COLUMN_TEXT, 0},
};

static const char *const file_roles[2] = {"old", "new"};

const char *mql_backtest_file_role(int file)
{
	return file == 1 ? file_roles[1] : file_roles[0];
}

/* Sets a real cell; keeps the first error in *status. */
static void set_real(mql_table *t, size_t column, double value, int *status)
{
	if (!*status)
		*status = mql_table_set_real(t, column, value);
}

static void set_int(mql_table *t, size_t column, long value, int *status)
{
	if (!*status)
		*status = mql_table_set_int(t, column, (int64_t)value);
}

static void set_text(mql_table *t, size_t column, const char *text, int *status)
{
	if (!*status)
		*status = mql_table_set_text(t, column, text);
}

/*
 * One row from column `at` on (1 after the level cell of csv and json, 0
 * in the readable formats, which stop at COL_READABLE).  Returns 0 or the
 * first setter's error.
 */
static int add_row(mql_table *t, const mql_backtest_row *r,
		   const char *const names[2], size_t at)
{
	int status = 0;
	int is_total = r->period[0] == 'a'; /* "all"; periods are digits */
	if (at > 0)
		set_text(t, 0,
			 is_total ? MQL_TABLE_LEVEL_TOTAL
				  : MQL_TABLE_LEVEL_GROUP,
			 &status);
	set_text(t, at + COL_RULES, mql_backtest_file_role(r->file), &status);
	set_text(t, at + COL_PERIOD, r->period, &status);
	set_int(t, at + COL_MQL, r->mql, &status);
	set_real(t, at + COL_ACCEPTED_RATE, r->accepted_rate, &status);
	set_real(t, at + COL_SQL_RATE, r->sql_rate, &status);
	set_real(t, at + COL_CUSTOMER_RATE, r->customer_rate, &status);
	set_real(t, at + COL_CUSTOMER_RECALL, r->customer_recall, &status);
	set_real(t, at + COL_DAYS_TO_MQL, r->days_to_mql_median, &status);
	set_real(t, at + COL_AUC, r->auc, &status);
	set_real(t, at + COL_PSI, r->psi, &status);
	set_text(t, at + COL_DRIFT, r->drift, &status);
	set_int(t, at + COL_DECIDED, r->decided, &status);
	set_int(t, at + COL_CUSTOMERS, r->customers, &status);
	set_int(t, at + COL_PSI_N, r->psi_rows, &status);
	set_real(t, at + COL_PSI_NOISE, r->psi_noise, &status);
	if (at > 0) {
		char start[16];
		mql_time_period_start(r->period, start, sizeof start);
		set_text(t, at + COL_RULES_FILE, names[r->file == 1 ? 1 : 0],
			 &status);
		set_text(t, at + COL_PERIOD_START, start, &status);
	}
	return status ? status : mql_table_end_row(t);
}

/* What a terminal too narrow for the table leaves out first (table.h). */
static const mql_table_priority priorities[] = {{"rules", 0},
						{"period", 0},
						{"mql", 1},
						{"accepted_rate", 1},
						{"drift", 2},
						{"auc", 2},
						{"customer_rate", 3},
						{"sql_rate", 3},
						{"customer_recall", 4},
						{"psi", 4},
						{"days_to_mql_median", 5},
						{"decided", 6},
						{"customers", 6},
						{"psi_n", 7},
						{"psi_noise", 7},
						{NULL, 0}};

int mql_backtest_write(const mql_backtest *b, FILE *fp, mql_format format,
		       const char *old_name, const char *new_name,
		       mql_error *err)
{
	const char *const names[2] = {old_name, new_name};
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	size_t at = mql_format_is_data(format) ? 1 : 0;
	size_t count = at > 0 ? COL_COUNT : COL_READABLE;
	int status = 0;
	if (at > 0)
		status = mql_table_add_column(t, MQL_TABLE_LEVEL_COLUMN,
					      MQL_COLUMN_TEXT, 0);
	if (!status)
		status = mql_table_add_columns(t, columns, count);
	if (!status)
		status = mql_table_set_priorities(t, priorities);
	for (size_t i = 0; i < b->row_count && !status; i++)
		status = add_row(t, &b->rows[i], names, at);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the backtest table");
	mql_table_free(t);
	return status;
}

/* The comparison at equal volume: one row per rule file. */
enum comparison_column {
	CMP_RULES,
	CMP_DECIDED,
	CMP_FLAGGED,
	CMP_VOLUME,
	CMP_ACCEPTED_RATE,
	CMP_AUC,
	CMP_RULES_FILE,
	CMP_COUNT
};

static const mql_column_spec comparison_columns[CMP_COUNT] = {
	[CMP_RULES] = {"rules", MQL_COLUMN_TEXT, 0},
	[CMP_DECIDED] = {"decided", MQL_COLUMN_INT, 0},
	[CMP_FLAGGED] = {"flagged", MQL_COLUMN_INT, 0},
	[CMP_VOLUME] = {"volume", MQL_COLUMN_INT, 0},
	[CMP_ACCEPTED_RATE] = {"accepted_rate", MQL_COLUMN_REAL, 3},
	[CMP_AUC] = {"auc", MQL_COLUMN_REAL, 3},
	[CMP_RULES_FILE] = {"rules_file", MQL_COLUMN_TEXT, 0},
};

int mql_backtest_write_equal_volume(const mql_backtest *b, FILE *fp,
				    mql_format format, const char *old_name,
				    const char *new_name, mql_error *err)
{
	const char *const names[2] = {old_name, new_name};
	const mql_backtest_comparison *c = &b->comparison;
	mql_table *t = mql_table_new_with_columns(
		fp, format, comparison_columns, CMP_COUNT);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	int status = 0;
	for (int f = 0; f < 2 && !status; f++) {
		set_text(t, CMP_RULES, mql_backtest_file_role(f), &status);
		set_int(t, CMP_DECIDED, c->decided, &status);
		set_int(t, CMP_FLAGGED, c->flagged[f], &status);
		set_int(t, CMP_VOLUME, c->volume, &status);
		set_real(t, CMP_ACCEPTED_RATE, c->accepted[f], &status);
		set_real(t, CMP_AUC, c->auc[f], &status);
		set_text(t, CMP_RULES_FILE, names[f] ? names[f] : "", &status);
		if (!status)
			status = mql_table_end_row(t);
	}
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the comparison at equal volume");
	mql_table_free(t);
	return status;
}
