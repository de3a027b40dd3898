/*
 * mql-rules - turn a fitted model into an integer-point rule file with a
 * threshold, and explain every change against the rule file in use.
 *
 * The rule file goes to -o (stdout without it); the change table goes to
 * stdout in --format (to stderr when the rule file takes stdout), then a
 * summary of the chosen operating point and of what rounding costs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/model.h>
#include <mqlcal/outfile.h>
#include <mqlcal/points.h>
#include <mqlcal/points_history.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>

typedef struct rules_args {
	const char *previous, *history, *capacity, *name, *rows_path;
	double pdo, threshold_points, precision, recall, window_days;
	long capacity_months;
	int refit_all;
} rules_args;

/* What the run found, for the provenance and the summary. */
typedef struct outcome {
	mql_points *points;
	mql_rules *rules;
	mql_points_changes changes;
	mql_points_capacity_result capacity;
	int has_capacity;
	mql_points_evaluation evaluation;
	int has_evaluation;
	double per_month;
	const mql_rules *previous; /* --previous, or NULL: what it keeps */
	const mql_model *model;	   /* the model read */
} outcome;

/* Checks the combinations the option table cannot and fills *opt and
 * *per_month.  Returns 0 or MQL_ERR_USAGE. */
static int check_args(const mql_cli *cli, const rules_args *a,
		      mql_points_options *opt, double *per_month,
		      mql_error *err)
{
	int targets = !isnan(a->precision) + !isnan(a->recall) +
		      (a->capacity != NULL);
	if (targets > 1)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "give one of --target-precision, "
				     "--target-recall and --capacity");
	if (a->capacity &&
	    mql_points_capacity_parse(a->capacity, per_month) != 0)
		return mql_error_set(
			err, MQL_ERR_USAGE, NULL, 0, 0,
			"--capacity: expected MQLs per month such as "
			"'120' or '120/month', not '%s'",
			a->capacity);
	if ((a->capacity || a->rows_path) && !a->history)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity and --rows need the history: "
				     "--history contacts.csv events.csv");
	if (a->history && cli->arg_count < 2)
		return mql_error_set(
			err, MQL_ERR_USAGE, NULL, 0, 0,
			"--history needs contacts.csv and events.csv");
	if (a->capacity && !isnan(a->threshold_points))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity chooses the threshold itself; "
				     "scale with --pdo instead of "
				     "--threshold-points");
	if (a->capacity_months < 0 ||
	    a->capacity_months > MQL_CAPACITY_MAX_MONTHS)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity-months: expected 1 to %d (0: "
				     "the whole history), not %ld",
				     MQL_CAPACITY_MAX_MONTHS,
				     a->capacity_months);
	if (mql_population_check_window(a->window_days, err))
		return MQL_ERR_USAGE;
	mql_points_options_init(opt);
	opt->pdo = a->pdo;
	opt->threshold_points = a->threshold_points;
	if (!isnan(a->precision)) {
		opt->target = MQL_POINTS_TARGET_PRECISION;
		opt->target_value = a->precision;
	} else if (!isnan(a->recall)) {
		opt->target = MQL_POINTS_TARGET_RECALL;
		opt->target_value = a->recall;
	} else if (a->capacity) {
		opt->target = MQL_POINTS_TARGET_FIXED;
	}
	return 0;
}

static const char *target_text(const rules_args *a, char *buf, size_t n)
{
	if (!isnan(a->precision))
		snprintf(buf, n, "precision >= %g", a->precision);
	else if (!isnan(a->recall))
		snprintf(buf, n, "recall >= %g", a->recall);
	else if (a->capacity)
		snprintf(buf, n, "capacity %s MQLs per month", a->capacity);
	else
		snprintf(buf, n, "Youden's J (recall - false positive rate)");
	return buf;
}

/* What the provenance and the summary say of the run; target is the
 * buffer of the target's text. */
static void describe(mql_points_provenance_info *info, const mql_cli *cli,
		     const rules_args *a, const outcome *o, char *target,
		     size_t n)
{
	info->model_path = cli->args[0];
	info->previous_path = a->previous;
	info->target = target_text(a, target, n);
	info->pdo = isnan(a->threshold_points) ? a->pdo : NAN;
	info->capacity = o->has_capacity ? &o->capacity : NULL;
	info->evaluation = o->has_evaluation ? &o->evaluation : NULL;
}

static int build_rules(const mql_cli *cli, const rules_args *a,
		       const mql_model *m, outcome *o, mql_error *err)
{
	char target[96];
	mql_points_provenance_info info;
	describe(&info, cli, a, o, target, sizeof target);
	mql_rules_free(o->rules);
	o->rules = NULL;
	cJSON *prov = mql_points_provenance(o->points, m, &info);
	if (!prov)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	return mql_points_to_rules(&o->rules, o->points, m,
				   a->name ? a->name : "fitted by mql-rules",
				   prov, o->previous, err);
}

/* What write_rows needs besides the stream. */
typedef struct rows_output {
	const mql_points *points;
	const mql_points_history *history;
	const mql_contacts *contacts;
} rows_output;

/* The re-evaluated rows as CSV (contact_id, y, eta, score), so the rank
 * agreement can be checked with another tool. */
static int write_rows(FILE *fp, const void *context, mql_error *err)
{
	const rows_output *o = context;
	return mql_points_history_write(o->history, o->points, o->contacts, fp,
					MQL_FORMAT_CSV, err);
}

/* Threshold by capacity, then the rows of the model re-evaluated. */
static int use_history(const mql_cli *cli, const rules_args *a,
		       const mql_model *m, outcome *o, mql_error *err)
{
	mql_contacts *contacts = NULL;
	int status = mql_contacts_load(&contacts, a->history, &cli->csv,
				       MQL_TIME_NONE, NULL, err);
	const char *events = cli->args[1];
	if (status == MQL_OK && a->capacity) {
		status = mql_points_capacity(&o->capacity, o->rules, contacts,
					     events, &cli->csv, o->per_month,
					     (int)a->capacity_months, err);
		o->has_capacity = status == MQL_OK;
		if (status == MQL_OK)
			mql_points_set_threshold(o->points, m,
						 o->capacity.threshold);
		if (status == MQL_OK)
			status = build_rules(cli, a, m, o, err);
	}
	mql_points_history h = {0};
	if (status == MQL_OK)
		status = mql_points_history_rows(&h, o->points, o->rules, m,
						 contacts, events, &cli->csv,
						 a->window_days, err);
	if (status == MQL_OK)
		status = mql_points_evaluate(&o->evaluation, o->points, h.x,
					     h.y, h.rows, err);
	o->has_evaluation = status == MQL_OK;
	rows_output rows = {o->points, &h, contacts};
	if (status == MQL_OK && a->rows_path)
		status =
			mql_outfile_write(a->rows_path, write_rows, &rows, err);
	mql_points_history_release(&h);
	mql_contacts_free(contacts);
	return status;
}

static int load_previous(mql_rules **out, mql_points_previous **previous,
			 size_t *count, const char *path, mql_error *err)
{
	*previous = NULL;
	*count = 0;
	if (!path)
		return MQL_OK;
	int status = mql_rules_load(out, path, err);
	if (!status && mql_points_previous_of(previous, count, *out))
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	return status;
}

static int write_rule_file(FILE *fp, const void *rules, mql_error *err)
{
	return mql_rules_write(rules, fp, err);
}

/* The rule file to -o, the change table and summary to stdout (stderr
 * when the rule file takes stdout). */
static int write_outputs(const mql_cli *cli, const rules_args *a,
			 const outcome *o, mql_error *err)
{
	int status = mql_outfile_write(cli->output_path, write_rule_file,
				       o->rules, err);
	FILE *report = mql_cli_report_stream(cli);
	/* --quiet silences stderr only: a table on stdout is the output */
	if (status == MQL_OK && !(cli->quiet && report == stderr))
		status = mql_points_changes_write(&o->changes, report,
						  cli->format, err);
	char target[96];
	mql_points_provenance_info info;
	describe(&info, cli, a, o, target, sizeof target);
	if (status == MQL_OK && !cli->quiet)
		status = mql_points_summary_write(
			cli->format == MQL_FORMAT_TABLE ? report : stderr,
			o->points, o->model, &info, err);
	if (status == MQL_OK)
		status = mql_cli_flush_stdout(err);
	return status;
}

static int make_rules(const mql_cli *cli, const rules_args *a,
		      const mql_points_options *opt, double per_month,
		      mql_error *err)
{
	mql_model *m = NULL;
	mql_rules *previous_rules = NULL;
	mql_points_previous *previous = NULL;
	size_t previous_count = 0;
	outcome o;
	memset(&o, 0, sizeof o);
	o.per_month = per_month;
	int status = mql_model_read(&m, cli->args[0], err);
	if (status == MQL_OK)
		status = load_previous(&previous_rules, &previous,
				       &previous_count, a->previous, err);
	o.previous = previous_rules;
	o.model = m;
	if (status == MQL_OK)
		status = mql_points_from_model(&o.points, m, opt, err);
	/* what the model cannot give is the model file's fault */
	if (status == MQL_ERR_INPUT && !err->file[0])
		snprintf(err->file, sizeof err->file, "%s", cli->args[0]);
	if (status == MQL_OK && !a->refit_all)
		mql_points_keep_supported(o.points, m, previous,
					  previous_count);
	if (status == MQL_OK)
		status = build_rules(cli, a, m, &o, err);
	if (status == MQL_OK && a->history) {
		status = use_history(cli, a, m, &o, err);
		/* the provenance records what the history showed */
		if (status == MQL_OK)
			status = build_rules(cli, a, m, &o, err);
	}
	if (status == MQL_OK &&
	    mql_points_compare(&o.changes, o.points, m, previous,
			       previous_count, m->label) != MQL_OK)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	if (status == MQL_OK)
		status = write_outputs(cli, a, &o, err);
	mql_points_changes_release(&o.changes);
	mql_rules_free(o.rules);
	mql_points_free(o.points);
	free(previous);
	mql_rules_free(previous_rules);
	mql_model_free(m);
	return status;
}

/* Checks the options, then turns the model into the rule file. */
static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const rules_args *a = args;
	mql_points_options opt;
	double per_month = 0;
	int status = check_args(cli, a, &opt, &per_month, err);
	return status ? status : make_rules(cli, a, &opt, per_month, err);
}

int main(int argc, char **argv)
{
	rules_args a = {.pdo = 20,
			.threshold_points = NAN,
			.precision = NAN,
			.recall = NAN,
			.window_days = 180,
			.capacity_months = MQL_CAPACITY_DEFAULT_MONTHS};
	const mql_option options[] = {
		{"previous", 0, MQL_OPTION_INPUT, &a.previous, "FILE",
		 "the rule file in use: explain every change against it; a "
		 "rule keeps its points where the fit's 95% CI covers them",
		 NULL},
		{"refit-all", 0, MQL_OPTION_FLAG, &a.refit_all, NULL,
		 "take the fitted points for every rule, even where the "
		 "history cannot tell them from the old ones",
		 NULL},
		{"pdo", 0, MQL_OPTION_DOUBLE, &a.pdo, "P",
		 "points that double the odds of acceptance (20)", NULL},
		{"threshold-points", 0, MQL_OPTION_DOUBLE, &a.threshold_points,
		 "T", "scale the points so the threshold is T", NULL},
		{"target-precision", 0, MQL_OPTION_DOUBLE, &a.precision, "P",
		 "threshold: the most recall with at least this precision",
		 NULL},
		{"target-recall", 0, MQL_OPTION_DOUBLE, &a.recall, "R",
		 "threshold: the strictest cut with at least this recall",
		 NULL},
		{"capacity", 0, MQL_OPTION_STRING, &a.capacity, "N/month",
		 "threshold: at most N MQLs per month over the recent months "
		 "of the history",
		 NULL},
		{"capacity-months", 0, MQL_OPTION_LONG, &a.capacity_months, "K",
		 "--capacity counts the last K complete months before the "
		 "history's end (3; 0: the whole history)",
		 NULL},
		{"history", 0, MQL_OPTION_INPUT, &a.history, "CONTACTS",
		 "contacts.csv of the history (events.csv follows the model)",
		 NULL},
		{"window", 0, MQL_OPTION_DOUBLE, &a.window_days, "DAYS",
		 "stage window of sql/opportunity/customer models (180)", NULL},
		{"rows", 0, MQL_OPTION_OUTPUT, &a.rows_path, "FILE",
		 "write the history rows (contact_id, y, eta, score) as CSV",
		 NULL},
		{"name", 0, MQL_OPTION_STRING, &a.name, "NAME",
		 "name of the new rule file", NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		"mql-rules",
		"model.json [events.csv] [options] -o rules.json",
		"turn a fitted model into integer points and a threshold",
		"mql-rules model.json --previous current.json "
		"--history contacts.csv events.csv --capacity 120/month "
		"-o rules.json",
		options,
		1,
		2,
		1,
		1,
		1};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
