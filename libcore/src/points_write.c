/*
 * points_write.c - the tables of points: the change table against the
 * previous rule file and the history rows re-evaluated with the points
 * (see points.h and points_history.h), their columns named once below.
 */
#include <stdint.h>
#include <stdio.h>

#include <mqlcal/points.h>
#include <mqlcal/points_history.h>
#include <mqlcal/table.h>

enum change_column {
	CHANGE_RULE,
	CHANGE_OLD_POINTS,
	CHANGE_NEW_POINTS,
	CHANGE_CHANGE,
	CHANGE_ESTIMATE,
	CHANGE_CI_LOW,
	CHANGE_CI_HIGH,
	CHANGE_ODDS_RATIO,
	CHANGE_P,
	CHANGE_SUPPORT,
	CHANGE_FLAGS,
	CHANGE_REASON,
	CHANGE_COUNT
};

enum rows_column { ROWS_CONTACT, ROWS_Y, ROWS_ETA, ROWS_SCORE, ROWS_COUNT };

static const mql_column_spec change_columns[CHANGE_COUNT] = {
	[CHANGE_RULE] = {"rule", MQL_COLUMN_TEXT, 0},
	[CHANGE_OLD_POINTS] = {"old_points", MQL_COLUMN_REAL, 0},
	[CHANGE_NEW_POINTS] = {"new_points", MQL_COLUMN_REAL, 0},
	[CHANGE_CHANGE] = {"change", MQL_COLUMN_REAL, 0},
	[CHANGE_ESTIMATE] = {"estimate", MQL_COLUMN_REAL, 4},
	[CHANGE_CI_LOW] = {"ci_low", MQL_COLUMN_REAL, 4},
	[CHANGE_CI_HIGH] = {"ci_high", MQL_COLUMN_REAL, 4},
	[CHANGE_ODDS_RATIO] = {"odds_ratio", MQL_COLUMN_REAL, 2},
	[CHANGE_P] = {"p", MQL_COLUMN_P_VALUE, 4},
	[CHANGE_SUPPORT] = {"support", MQL_COLUMN_INT, 0},
	[CHANGE_FLAGS] = {"flags", MQL_COLUMN_TEXT, 0},
	[CHANGE_REASON] = {"reason", MQL_COLUMN_TEXT, 0},
};

static const mql_column_spec rows_columns[ROWS_COUNT] = {
	[ROWS_CONTACT] = {"contact_id", MQL_COLUMN_TEXT, 0},
	[ROWS_Y] = {"y", MQL_COLUMN_INT, 0},
	[ROWS_ETA] = {"eta", MQL_COLUMN_REAL, 6},
	[ROWS_SCORE] = {"score", MQL_COLUMN_REAL, 4},
};

/* One row of the change table.  Returns 0 or the first setter's error. */
static int change_row(mql_table *t, const mql_points_change *c)
{
	char flags[128];
	const double reals[] = {
		c->old_points, c->new_points, mql_points_change_points(c),
		c->estimate,   c->ci_low,     c->ci_high,
		c->odds_ratio, c->p_value};
	int status = mql_table_set_text(t, CHANGE_RULE, c->id);
	for (int i = 0; i < 8 && !status; i++)
		status = mql_table_set_real(t, (size_t)(CHANGE_OLD_POINTS + i),
					    reals[i]);
	if (!status)
		status = mql_table_set_int(t, CHANGE_SUPPORT,
					   (int64_t)c->support);
	if (!status)
		status = mql_table_set_text(
			t, CHANGE_FLAGS,
			mql_points_flags_text(c->flags, flags, sizeof flags));
	if (!status)
		status = mql_table_set_text(t, CHANGE_REASON, c->reason);
	return status ? status : mql_table_end_row(t);
}

/* What a terminal too narrow for the change table leaves out first
 * (table.h). */
static const mql_table_priority change_priorities[] = {
	{"old_points", 1}, {"new_points", 1}, {"change", 1},  {"flags", 2},
	{"odds_ratio", 3}, {"p", 3},	      {"support", 4}, {"estimate", 5},
	{"ci_low", 6},	   {"ci_high", 6},    {"reason", 7},  {NULL, 0}};

int mql_points_changes_write(const mql_points_changes *changes, FILE *fp,
			     mql_format format, mql_error *err)
{
	mql_table *t = mql_table_new_with_columns(fp, format, change_columns,
						  CHANGE_COUNT);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the table");
	int status = mql_table_set_priorities(t, change_priorities);
	for (size_t i = 0; i < changes->count && !status; i++)
		status = change_row(t, &changes->rows[i]);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the change table");
	mql_table_free(t);
	return status;
}

/* One history row.  Returns 0 or the first setter's error. */
static int history_row(mql_table *t, const mql_points *p,
		       const mql_points_history *h, const char *contact_id,
		       size_t i)
{
	const double *x = h->x + i * h->columns;
	int status = mql_table_set_text(t, ROWS_CONTACT, contact_id);
	if (!status)
		status = mql_table_set_int(t, ROWS_Y, (int64_t)h->y[i]);
	if (!status)
		status = mql_table_set_real(t, ROWS_ETA,
					    mql_points_row_eta(p, x));
	if (!status)
		status = mql_table_set_real(t, ROWS_SCORE,
					    mql_points_row_score(p, x));
	return status ? status : mql_table_end_row(t);
}

int mql_points_history_write(const mql_points_history *h, const mql_points *p,
			     const mql_contacts *contacts, FILE *fp,
			     mql_format format, mql_error *err)
{
	mql_table *t = mql_table_new_with_columns(fp, format, rows_columns,
						  ROWS_COUNT);
	if (!t)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the rows");
	int status = 0;
	for (size_t i = 0; i < h->rows && !status; i++)
		status = history_row(t, p, h, contacts->id[h->contact[i]], i);
	if (!status)
		status = mql_table_finish(t, err);
	else
		mql_error_set(err, status, NULL, 0, 0,
			      "cannot write the history rows");
	mql_table_free(t);
	return status;
}
