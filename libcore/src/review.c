/*
 * review.c - the review's outputs read back by column name (see review.h).
 */
#include <mqlcal/review.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/csv.h>
#include <mqlcal/model.h>
#include <mqlcal/rules.h>

#include "review_internal.h"

/* A malloc'd copy of s ("" for NULL); NULL when out of memory. */
static char *copy_text(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *copy = malloc(n + 1);
	if (copy) {
		if (n)
			memcpy(copy, s, n);
		copy[n] = '\0';
	}
	return copy;
}

/* dir/name as a malloc'd path, NULL when out of memory. */
static char *path_of(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *path = malloc(a + b + 2);
	if (path) {
		memcpy(path, dir, a);
		path[a] = '/';
		memcpy(path + a + 1, name, b + 1);
	}
	return path;
}

int mql_review_open(mql_csv **out, const char *dir, const char *name,
		    mql_error *err)
{
	mql_csv_options options;
	char *path = path_of(dir, name);
	int status;
	*out = NULL;
	if (!path)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	mql_csv_options_init(&options);
	status = mql_csv_open(out, path, &options, err);
	free(path);
	if (status == MQL_ERR_NOFILE) {
		mql_error_clear(err);
		return 1;
	}
	return status;
}

long mql_review_column(mql_csv *csv, const char *name, mql_error *err)
{
	long column = mql_csv_find_column(csv, name);
	if (column < 0)
		mql_error_set(err, MQL_ERR_INPUT, mql_csv_path(csv), 1, 0,
			      "no column '%s'", name);
	return column;
}

int mql_review_columns(mql_csv *csv, const char *const *names, long *columns,
		       size_t count, mql_error *err)
{
	int status = MQL_OK;
	for (size_t i = 0; i < count; i++) {
		columns[i] = status == MQL_OK
				     ? mql_review_column(csv, names[i], err)
				     : -1;
		if (columns[i] < 0)
			status = MQL_ERR_INPUT;
	}
	return status;
}

double mql_review_number(mql_csv *csv, long column, int *status, mql_error *err)
{
	double value = NAN;
	if (column < 0 || *status != MQL_OK)
		return NAN;
	*status = mql_csv_get_number(csv, (size_t)column, &value, err);
	return value;
}

const char *mql_review_text(mql_csv *csv, long column)
{
	return column < 0 ? "" : mql_csv_field(csv, (size_t)column, NULL);
}

int mql_review_is_total(mql_csv *csv, long level, long group)
{
	if (level >= 0)
		return strcmp(mql_review_text(csv, level), "total") == 0 ||
		       strcmp(mql_review_text(csv, level), "all") == 0;
	return strcmp(mql_review_text(csv, group), "all") == 0;
}

char *mql_review_copy(const char *text)
{
	return copy_text(text);
}

/* The change of a rule's points, for ordering: a new or dropped rule
 * changes by all its points. */
static double change_of(const mql_review_rule *rule)
{
	double before = isnan(rule->old_points) ? 0.0 : rule->old_points;
	double after = isnan(rule->new_points) ? 0.0 : rule->new_points;
	return fabs(after - before);
}

static int larger_change_first(const void *a, const void *b)
{
	double x = change_of(a), y = change_of(b);
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Reads rule-changes.csv: rule, old_points, new_points, flags. */
static int load_rules(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	int status = mql_review_open(&csv, dir, "rule-changes.csv", err);
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"rule", "old_points", "new_points"};
	long col[3];
	status = mql_review_columns(csv, names, col, 3, err);
	long rule = col[0], before = col[1], after = col[2];
	long flags = mql_csv_find_column(csv, "flags");
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		mql_review_rule *grown =
			realloc(r->rules, (r->rule_count + 1) * sizeof *grown);
		status = MQL_OK;
		if (!grown) {
			status = MQL_ERR_NOMEM;
			break;
		}
		r->rules = grown;
		mql_review_rule *item = &r->rules[r->rule_count];
		item->old_points = mql_review_number(csv, before, &status, err);
		item->new_points = mql_review_number(csv, after, &status, err);
		item->rule = copy_text(mql_review_text(csv, rule));
		item->flags = copy_text(mql_review_text(csv, flags));
		r->rule_count++;
		if (status == MQL_OK && (!item->rule || !item->flags))
			status = MQL_ERR_NOMEM;
	}
	mql_csv_close(csv);
	if (status == MQL_ERR_NOMEM)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status != MQL_OK)
		return status;
	qsort(r->rules, r->rule_count, sizeof *r->rules, larger_change_first);
	r->have_rules = 1;
	return MQL_OK;
}

/* Reads the total rows of backtest.csv: rules, period, mql,
 * accepted_rate, auc; the old file's rows come first (or say "old"). */
static int load_backtest(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	char *first = NULL;
	int status = mql_review_open(&csv, dir, "backtest.csv", err);
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"rules", "period", "mql",
					    "accepted_rate"};
	long col[4];
	status = mql_review_columns(csv, names, col, 4, err);
	long rules = col[0], period = col[1], mql = col[2], accepted = col[3];
	long auc = mql_csv_find_column(csv, "auc");
	long level = mql_csv_find_column(csv, "level");
	for (int f = 0; f < 2; f++)
		r->files[f] = (mql_review_file){NAN, NAN, NAN};
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		const char *name = mql_review_text(csv, rules);
		int file;
		status = MQL_OK;
		if (!mql_review_is_total(csv, level, period))
			continue;
		if (!first && !(first = copy_text(name))) {
			status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
					       "out of memory");
			break;
		}
		file = strcmp(name, "old") == 0	  ? 0
		       : strcmp(name, "new") == 0 ? 1
						  : strcmp(name, first) != 0;
		r->files[file].mql = mql_review_number(csv, mql, &status, err);
		r->files[file].accepted_rate =
			mql_review_number(csv, accepted, &status, err);
		r->files[file].auc = mql_review_number(csv, auc, &status, err);
	}
	free(first);
	mql_csv_close(csv);
	if (status == MQL_OK)
		r->have_backtest = 1;
	return status;
}

/* Reads what "accepted" means from check.csv: the detail of the row
 * whose section is outcomes and item definition. */
static int load_acceptance(mql_review *r, const char *dir, mql_error *err)
{
	mql_csv *csv;
	int status = mql_review_open(&csv, dir, "check.csv", err);
	if (status != MQL_OK)
		return status > 0 ? MQL_OK : status;
	static const char *const names[] = {"section", "item", "detail"};
	long col[3];
	status = mql_review_columns(csv, names, col, 3, err);
	long section = col[0], item = col[1], detail = col[2];
	while (status == MQL_OK && (status = mql_csv_next(csv, err)) == 1) {
		status = MQL_OK;
		if (strcmp(mql_review_text(csv, section), "outcomes") != 0 ||
		    strcmp(mql_review_text(csv, item), "definition") != 0)
			continue;
		free(r->acceptance);
		r->acceptance = copy_text(mql_review_text(csv, detail));
		if (!r->acceptance)
			status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
					       "out of memory");
	}
	mql_csv_close(csv);
	return status;
}

/* The fit's label (model.json) and the new rule file's size and
 * threshold (rules.json), each left unknown when its file is missing. */
static int load_model_and_rules(mql_review *r, const char *dir, mql_error *err)
{
	mql_model *model = NULL;
	mql_rules *rules = NULL;
	char *path = path_of(dir, "model.json");
	int status = path ? mql_model_read(&model, path, err) : MQL_ERR_NOMEM;
	free(path);
	if (status == MQL_OK) {
		r->label = copy_text(model->label);
		status = r->label ? MQL_OK : MQL_ERR_NOMEM;
	} else if (status == MQL_ERR_NOFILE) {
		status = MQL_OK;
	}
	mql_model_free(model);
	path = status == MQL_OK ? path_of(dir, "rules.json") : NULL;
	if (status == MQL_OK)
		status = path ? mql_rules_load(&rules, path, err)
			      : MQL_ERR_NOMEM;
	free(path);
	if (status == MQL_OK) {
		r->have_new_rules = 1;
		r->new_rule_count = rules->fit_count + rules->engagement_count;
		r->new_threshold = rules->threshold;
	} else if (status == MQL_ERR_NOFILE) {
		status = MQL_OK;
	}
	mql_rules_free(rules);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	else if (status == MQL_OK)
		mql_error_clear(err);
	return status;
}

void mql_review_free(mql_review *r)
{
	if (!r)
		return;
	free(r->label);
	free(r->acceptance);
	for (size_t i = 0; i < r->rule_count; i++) {
		free(r->rules[i].rule);
		free(r->rules[i].flags);
	}
	free(r->rules);
	for (size_t i = 0; i < r->channel_count; i++) {
		free(r->channels[i].name);
		free(r->channels[i].decision);
		free(r->channels[i].reason);
	}
	free(r->channels);
	free(r->total.name);
	free(r->total.decision);
	free(r->total.reason);
	free(r);
}

int mql_review_load(mql_review **out, const char *dir, mql_error *err)
{
	mql_review *r = calloc(1, sizeof *r);
	int status;
	*out = NULL;
	if (!r)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	r->total = (mql_review_channel){NULL, NULL, NULL, NAN, NAN,
					NAN,  NAN,  NAN,  NAN};
	status = load_acceptance(r, dir, err);
	if (status == MQL_OK)
		status = load_model_and_rules(r, dir, err);
	if (status == MQL_OK)
		status = load_rules(r, dir, err);
	if (status == MQL_OK)
		status = load_backtest(r, dir, err);
	if (status == MQL_OK)
		status = mql_review_load_equal_volume(r, dir, err);
	if (status == MQL_OK)
		status = mql_review_load_channels(r, dir, err);
	if (status != MQL_OK) {
		mql_review_free(r);
		return status;
	}
	*out = r;
	return MQL_OK;
}
