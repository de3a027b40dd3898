/*
 * points_history_run.c - the run of mql-rules (see points_history.h):
 * model to points, the threshold by capacity and the rounding measured on
 * the history, the rule file and its changes.
 */
#include <mqlcal/points_history.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/outfile.h>

void mql_points_run_release(mql_points_run *r)
{
	if (!r)
		return;
	mql_points_changes_release(&r->changes);
	mql_rules_free(r->rules);
	mql_points_free(r->points);
	mql_rules_free(r->previous);
	mql_model_free(r->model);
	memset(r, 0, sizeof *r);
}

/* (Re)builds r->rules from the points, with the provenance of now. */
static int build_rules(mql_points_run *r, const mql_points_run_options *o,
		       mql_error *err)
{
	r->info.capacity = r->has_capacity ? &r->capacity : NULL;
	r->info.evaluation = r->has_evaluation ? &r->evaluation : NULL;
	mql_rules_free(r->rules);
	r->rules = NULL;
	cJSON *prov = mql_points_provenance(r->points, r->model, &r->info);
	if (!prov)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	return mql_points_to_rules(&r->rules, r->points, r->model,
				   o->name ? o->name : "fitted by mql-rules",
				   prov, r->previous, err);
}

/* What write_rows needs besides the stream. */
typedef struct rows_output {
	const mql_points *points;
	const mql_points_history *history;
	const mql_contacts *contacts;
} rows_output;

static int write_rows(FILE *fp, const void *context, mql_error *err)
{
	const rows_output *out = context;
	return mql_points_history_write(out->history, out->points,
					out->contacts, fp, MQL_FORMAT_CSV, err);
}

/* The threshold by capacity, then the model's rows re-evaluated. */
static int use_history(mql_points_run *r, const mql_points_run_options *o,
		       mql_error *err)
{
	mql_contacts *contacts = NULL;
	int status = mql_contacts_load(&contacts, o->history_path, o->csv,
				       MQL_TIME_NONE, NULL, err);
	if (status == MQL_OK && o->per_month > 0) {
		status = mql_points_capacity(
			&r->capacity, r->rules, contacts, o->events_path,
			o->csv, o->per_month, o->capacity_months, err);
		r->has_capacity = status == MQL_OK;
		if (status == MQL_OK)
			mql_points_set_threshold(r->points, r->model,
						 r->capacity.threshold);
		if (status == MQL_OK)
			status = build_rules(r, o, err);
	}
	mql_points_history h = {0};
	if (status == MQL_OK)
		status = mql_points_history_rows(
			&h, r->points, r->rules, r->model, contacts,
			o->events_path, o->csv, o->window_days, err);
	if (status == MQL_OK)
		status = mql_points_evaluate(&r->evaluation, r->points, h.x,
					     h.y, h.rows, err);
	r->has_evaluation = status == MQL_OK;
	rows_output rows = {r->points, &h, contacts};
	if (status == MQL_OK && o->rows_path)
		status =
			mql_outfile_write(o->rows_path, write_rows, &rows, err);
	mql_points_history_release(&h);
	mql_contacts_free(contacts);
	return status;
}

/* The model, its points and the rule file in use with its points. */
static int read_inputs(mql_points_run *r, const mql_points_run_options *o,
		       mql_points_previous **previous, size_t *count,
		       mql_error *err)
{
	int status = mql_model_read(&r->model, o->model_path, err);
	if (status == MQL_OK && o->previous_path)
		status = mql_rules_load(&r->previous, o->previous_path, err);
	if (status == MQL_OK && r->previous &&
	    mql_points_previous_of(previous, count, r->previous))
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	if (status == MQL_OK)
		status = mql_points_from_model(&r->points, r->model, &o->points,
					       err);
	/* what the model cannot give is the model file's fault */
	if (status == MQL_ERR_INPUT && !err->file[0])
		snprintf(err->file, sizeof err->file, "%s", o->model_path);
	return status;
}

int mql_points_run_make(mql_points_run *out, const mql_points_run_options *o,
			mql_error *err)
{
	mql_points_previous *previous = NULL;
	size_t count = 0;
	memset(out, 0, sizeof *out);
	out->info.model_path = o->model_path;
	out->info.previous_path = o->previous_path;
	out->info.target = o->target;
	out->info.pdo = isnan(o->points.threshold_points) ? o->points.pdo : NAN;
	int status = read_inputs(out, o, &previous, &count, err);
	if (status == MQL_OK && !o->refit_all)
		mql_points_keep_supported(out->points, out->model, previous,
					  count);
	if (status == MQL_OK)
		status = build_rules(out, o, err);
	if (status == MQL_OK && o->history_path) {
		status = use_history(out, o, err);
		/* the provenance records what the history showed */
		if (status == MQL_OK)
			status = build_rules(out, o, err);
	}
	if (status == MQL_OK &&
	    mql_points_compare(&out->changes, out->points, out->model, previous,
			       count, out->model->label) != MQL_OK)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	free(previous);
	return status;
}
