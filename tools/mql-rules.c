/*
 * mql-rules - turn a fitted model into an integer-point rule file with a
 * threshold, and explain every change against the rule file in use.
 *
 * The rule file goes to -o (stdout without it); the change table goes to
 * stdout in --format (to stderr when the rule file takes stdout), then a
 * summary of the chosen operating point and of what rounding costs.  The
 * run itself is libcore's (mql_points_run in points_history.h).
 */
#include <math.h>
#include <stdio.h>

#include "cli.h"
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

static int write_rule_file(FILE *fp, const void *rules, mql_error *err)
{
	return mql_rules_write(rules, fp, err);
}

/* The rule file to -o, the change table and summary to stdout (stderr
 * when the rule file takes stdout). */
static int write_outputs(const mql_cli *cli, const mql_points_run *r,
			 mql_error *err)
{
	int status = mql_outfile_write(cli->output_path, write_rule_file,
				       r->rules, err);
	FILE *report = mql_cli_report_stream(cli);
	/* --quiet silences stderr only: a table on stdout is the output */
	if (status == MQL_OK && !(cli->quiet && report == stderr))
		status = mql_points_changes_write(&r->changes, report,
						  cli->format, err);
	if (status == MQL_OK && !cli->quiet)
		status = mql_points_summary_write(
			cli->format == MQL_FORMAT_TABLE ? report : stderr,
			r->points, r->model, &r->info, err);
	if (status == MQL_OK)
		status = mql_cli_flush_stdout(err);
	return status;
}

/* Checks the options, then turns the model into the rule file. */
static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const rules_args *a = args;
	char target[96];
	mql_points_run_options o = {
		.model_path = cli->args[0],
		.previous_path = a->previous,
		.name = a->name,
		.refit_all = a->refit_all,
		.target = target_text(a, target, sizeof target),
		.history_path = a->history,
		.events_path = cli->arg_count > 1 ? cli->args[1] : NULL,
		.csv = &cli->csv,
		.capacity_months = (int)a->capacity_months,
		.window_days = a->window_days,
		.rows_path = a->rows_path};
	mql_points_run r;
	int status = check_args(cli, a, &o.points, &o.per_month, err);
	if (status)
		return status;
	status = mql_points_run_make(&r, &o, err);
	if (status == MQL_OK)
		status = write_outputs(cli, &r, err);
	mql_points_run_release(&r);
	return status;
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
		.name = "mql-rules",
		.synopsis = "model.json [events.csv] [options] -o rules.json",
		.purpose = "turn a fitted model into integer points and a "
			   "threshold",
		.example = "mql-rules model.json --previous current.json "
			   "--history contacts.csv events.csv --capacity "
			   "120/month -o rules.json",
		.options = options,
		.min_args = 1,
		.max_args = 2,
		.tabular = 1,
		.reads_csv = 1,
		.output_is_file = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
