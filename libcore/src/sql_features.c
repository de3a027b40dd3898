/*
 * sql_features.c - the features query's result read back as a fit's design
 * matrix and population (see sql.h), so everything from the logistic fit
 * down is the local pipeline's.
 */
#include <mqlcal/sql.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where the table's columns are. */
typedef struct layout {
	long id, outcome, mql_at, as_of, window; /* window: -1 for sal */
	long *rule; /* per design column: fit rules, then engagement rules */
	size_t columns;
	mql_label label;
} layout;

/* The rule of design column j. */
static const mql_rule *column_rule(const mql_rules *rules, size_t j)
{
	return j < rules->fit_count ? &rules->fit[j]
				    : &rules->engagement[j - rules->fit_count];
}

static int missing_column(const char *path, const char *what, mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, path, 1, 0,
			     "no column %s in the features table (expected "
			     "the columns of mql-sql features)",
			     what);
}

/* Finds the columns; the outcome is the one named by a stage label. */
static int find_columns(layout *lay, const mql_csv *r, const mql_rules *rules,
			mql_error *err)
{
	const char *path = mql_csv_path(r);
	lay->id = mql_csv_find_column(r, "contact_id");
	lay->mql_at = mql_csv_find_column(r, "mql_at");
	lay->as_of = mql_csv_find_column(r, "as_of");
	lay->window = mql_csv_find_column(r, "window_days");
	lay->outcome = -1;
	for (size_t i = 0; i < mql_csv_column_count(r); i++) {
		mql_label label;
		if (mql_label_parse(mql_csv_column_name(r, i), &label) != 0)
			continue;
		if (lay->outcome >= 0)
			return mql_error_set(
				err, MQL_ERR_INPUT, path, 1, (long)i + 1,
				"two outcome columns ('%s' and "
				"'%s')",
				mql_csv_column_name(r, (size_t)lay->outcome),
				mql_csv_column_name(r, i));
		lay->outcome = (long)i;
		lay->label = label;
	}
	if (lay->id < 0)
		return missing_column(path, "'contact_id'", err);
	if (lay->outcome < 0)
		return missing_column(path,
				      "for the outcome ('sal', 'sql', "
				      "'opportunity' or 'customer')",
				      err);
	if (lay->mql_at < 0 || lay->as_of < 0)
		return missing_column(
			path, lay->mql_at < 0 ? "'mql_at'" : "'as_of'", err);
	lay->columns = rules->fit_count + rules->engagement_count;
	lay->rule =
		malloc((lay->columns ? lay->columns : 1) * sizeof *lay->rule);
	if (!lay->rule)
		return MQL_ERR_NOMEM;
	for (size_t j = 0; j < lay->columns; j++) {
		const char *id = column_rule(rules, j)->id;
		lay->rule[j] = mql_csv_find_column(r, id);
		if (lay->rule[j] < 0)
			return mql_error_set(err, MQL_ERR_INPUT, path, 1, 0,
					     "no column '%s' in the features "
					     "table for rule '%s' (made from "
					     "another rule file?)",
					     id, id);
	}
	return MQL_OK;
}

/* The rows read so far. */
typedef struct table {
	size_t rows, capacity, columns;
	double *x, *y;
	mql_time *decision;
	mql_time as_of;
	double window_days; /* 0 when the table has none */
} table;

static int reserve_row(table *t)
{
	if (t->rows < t->capacity)
		return MQL_OK;
	size_t capacity = t->capacity ? 2 * t->capacity : 1024;
	size_t width = t->columns ? t->columns : 1;
	double *x = realloc(t->x, capacity * width * sizeof *x);
	if (x)
		t->x = x;
	double *y = x ? realloc(t->y, capacity * sizeof *y) : NULL;
	if (y)
		t->y = y;
	mql_time *decision =
		y ? realloc(t->decision, capacity * sizeof *decision) : NULL;
	if (!decision)
		return MQL_ERR_NOMEM;
	t->decision = decision;
	t->capacity = capacity;
	return MQL_OK;
}

/* A required cell that is empty. */
static int missing_cell(const mql_csv *r, long column, mql_error *err)
{
	return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r),
			     mql_csv_line(r), column + 1,
			     "missing %s (expected a value on every row)",
			     mql_csv_column_name(r, (size_t)column));
}

static int read_row(table *t, const mql_csv *r, const layout *lay,
		    mql_error *err)
{
	int status = reserve_row(t);
	if (status)
		return status;
	size_t i = t->rows;
	int outcome;
	mql_time as_of;
	if (mql_csv_field_missing(r, (size_t)lay->id))
		return missing_cell(r, lay->id, err);
	if ((status = mql_csv_get_bool(r, (size_t)lay->outcome, &outcome,
				       err)) ||
	    (status = mql_csv_get_time(r, (size_t)lay->mql_at, &t->decision[i],
				       err)) ||
	    (status = mql_csv_get_time(r, (size_t)lay->as_of, &as_of, err)))
		return status;
	if (outcome < 0)
		return missing_cell(r, lay->outcome, err);
	if (t->decision[i] == MQL_TIME_NONE)
		return missing_cell(r, lay->mql_at, err);
	if (as_of == MQL_TIME_NONE)
		return missing_cell(r, lay->as_of, err);
	if (i > 0 && as_of != t->as_of)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r),
				     mql_csv_line(r), lay->as_of + 1,
				     "as_of differs from the first row's: "
				     "one query makes one table");
	t->as_of = as_of;
	double window = 0;
	if (lay->window >= 0 &&
	    (status = mql_csv_get_number(r, (size_t)lay->window, &window, err)))
		return status;
	if (i > 0 && window != t->window_days)
		return mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(r),
				     mql_csv_line(r), lay->window + 1,
				     "window_days differs from the first "
				     "row's: one query makes one table");
	t->window_days = window;
	t->y[i] = outcome;
	for (size_t j = 0; j < t->columns; j++) {
		double *cell = &t->x[i * t->columns + j];
		if ((status = mql_csv_get_number(r, (size_t)lay->rule[j], cell,
						 err)))
			return status;
		if (mql_csv_field_missing(r, (size_t)lay->rule[j]))
			return missing_cell(r, lay->rule[j], err);
	}
	t->rows++;
	return MQL_OK;
}

static int make_population(mql_population **out, table *t)
{
	mql_population *p = calloc(1, sizeof *p);
	size_t n = t->rows ? t->rows : 1;
	if (p) {
		p->row = malloc(n * sizeof *p->row);
		p->split_at = malloc(n * sizeof *p->split_at);
		p->fold = calloc(n, sizeof *p->fold);
	}
	if (!p || !p->row || !p->split_at || !p->fold) {
		mql_population_free(p);
		return MQL_ERR_NOMEM;
	}
	p->count = t->rows;
	p->decision = t->decision;
	p->y = t->y;
	t->decision = NULL;
	t->y = NULL;
	for (size_t i = 0; i < p->count; i++) {
		p->row[i] = (uint32_t)i;
		p->split_at[i] = p->decision[i];
		p->positives += p->y[i] > 0.5;
	}
	p->as_of = t->as_of;
	p->as_of_given = 1;
	p->window_days = t->window_days;
	*out = p;
	return MQL_OK;
}

/* The features of rules over the table's matrix (taken from t). */
static int make_features(mql_features **out, table *t, mql_rules *rules)
{
	mql_features *f = calloc(1, sizeof *f);
	if (!f) {
		mql_rules_free(rules);
		return MQL_ERR_NOMEM;
	}
	f->rules = rules;
	f->rows = t->rows;
	f->columns = t->columns;
	f->fit_count = rules->fit_count;
	f->engagement_count = rules->engagement_count;
	f->variant_count = 1;
	f->from_table = 1;
	size_t columns = f->columns ? f->columns : 1;
	size_t engagement = f->engagement_count ? f->engagement_count : 1;
	f->x = t->x;
	t->x = NULL;
	f->names = malloc(columns * sizeof *f->names);
	f->support = calloc(columns, sizeof *f->support);
	f->decayed = calloc(engagement, sizeof *f->decayed);
	f->variant = calloc(engagement, sizeof *f->variant);
	f->own_decay = calloc(engagement, sizeof *f->own_decay);
	f->own_decay_days = calloc(engagement, sizeof *f->own_decay_days);
	if (!f->names || !f->support || !f->decayed || !f->variant ||
	    !f->own_decay || !f->own_decay_days) {
		mql_features_free(f);
		return MQL_ERR_NOMEM;
	}
	for (size_t j = 0; j < f->columns; j++) {
		f->names[j] = column_rule(rules, j)->id;
		for (size_t i = 0; i < f->rows; i++)
			f->support[j] += f->x[i * f->columns + j] != 0.0;
	}
	for (size_t r = 0; r < f->engagement_count; r++) {
		f->own_decay[r] = rules->engagement[r].decay;
		f->own_decay_days[r] = rules->engagement[r].decay_days;
	}
	*out = f;
	return MQL_OK;
}

int mql_sql_features_read(mql_features **features, mql_population **population,
			  mql_label *label, const char *path, mql_rules *rules,
			  const mql_csv_options *csv, mql_error *err)
{
	*features = NULL;
	*population = NULL;
	mql_csv *r = NULL;
	layout lay = {0};
	table t = {.columns = rules->fit_count + rules->engagement_count};
	int status = mql_csv_open(&r, path, csv, err);
	if (status == MQL_OK)
		status = find_columns(&lay, r, rules, err);
	while (status == MQL_OK && (status = mql_csv_next(r, err)) == 1)
		status = read_row(&t, r, &lay, err);
	if (status == MQL_OK)
		status = make_population(population, &t);
	if (status == MQL_OK) {
		status = make_features(features, &t, rules);
		rules = NULL;
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	if (status != MQL_OK) {
		mql_population_free(*population);
		*population = NULL;
	}
	*label = lay.label;
	mql_rules_free(rules);
	mql_csv_close(r);
	free(lay.rule);
	free(t.x);
	free(t.y);
	free(t.decision);
	return status;
}
