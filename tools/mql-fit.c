/*
 * mql-fit - back-fit rule weights (and half-lives) from sales outcomes.
 *
 * Loads contacts, builds the fit population and its split, computes the
 * features as of each decision time, fits, validates and writes model.json;
 * the summary goes to stdout (to stderr when model.json does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/discover.h>
#include <mqlcal/events.h>
#include <mqlcal/features.h>
#include <mqlcal/fit.h>
#include <mqlcal/model.h>
#include <mqlcal/outfile.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>
#include <mqlcal/sql.h>

typedef struct fit_args {
	const char *rules_path, *label, *outcome, *half_lives, *numeric;
	const char *properties, *features;
	const char *coefficients_path, *calibration_path, *gains_path;
	double window_days, l2;
	mql_time as_of, holdout_from;
	long folds, min_support, seed, threads;
} fit_args;

static const char *const half_life_choices[] = {"keep", "auto", NULL};
static const char *const numeric_choices[] = {"bins", "linear", NULL};

/* Checks the combinations the option table cannot: 0 or MQL_ERR_USAGE. */
static int check_args(const fit_args *a, mql_error *err)
{
	const char *problem = NULL;
	if (a->holdout_from != MQL_TIME_NONE && a->folds != 0)
		problem = "use --holdout-from or --folds, not both";
	else if (a->folds != 0 && a->folds < 2)
		problem = "--folds must be at least 2";
	else if (a->outcome && a->label)
		problem = "use --label or --outcome, not both";
	else if (a->threads < 0 || a->threads > MQL_EVENTS_MAX_THREADS)
		problem = "--threads must be 0 (one per CPU) to 8";
	else if (a->min_support < 1 || a->l2 < 0)
		problem = "--min-support must be >= 1 and --l2 >= 0";
	if (problem)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0, "%s",
				     problem);
	return mql_population_check_window(a->window_days, err);
}

static int build_population(mql_population **out, const mql_contacts *c,
			    const fit_args *a, mql_error *err)
{
	mql_population_options opt;
	mql_population_options_init(&opt);
	if (a->outcome) {
		opt.label = MQL_LABEL_OUTCOME;
		opt.outcome_column = a->outcome;
	} else if (a->label) {
		mql_label_parse(a->label, &opt.label);
	}
	opt.window_days = a->window_days;
	opt.as_of = a->as_of;
	int status = mql_population_build(out, c, &opt, err);
	if (status == MQL_OK && a->holdout_from != MQL_TIME_NONE)
		status = mql_population_holdout(*out, a->holdout_from, err);
	if (status == MQL_OK && a->folds > 0)
		status = mql_population_folds(*out, (size_t)a->folds,
					      (unsigned long)a->seed, err);
	return status;
}

/*
 * The property columns the fit reads: those of the rule file's fit rules,
 * or the --properties list, and the --outcome column.  Discovery over every
 * column (neither given) loads them all.  Skipping the others spares
 * interning every cell of a wide export.
 */
static int load_contacts(mql_contacts **out, const mql_cli *cli,
			 const fit_args *a, const mql_rules *rules,
			 const mql_strings *only, mql_error *err)
{
	mql_strings keep = {0};
	mql_contacts_load_options lo;
	mql_contacts_load_options_init(&lo);
	int status = MQL_OK;
	if (rules || a->properties) {
		lo.properties = MQL_CONTACTS_PROPERTIES_LISTED;
		for (size_t i = 0; rules && i < rules->fit_count; i++)
			if (mql_strings_add(&keep, "%s",
					    rules->fit[i].property) != MQL_OK)
				status = MQL_ERR_NOMEM;
		for (size_t i = 0; !rules && i < only->count; i++)
			if (mql_strings_add(&keep, "%s", only->items[i]) !=
			    MQL_OK)
				status = MQL_ERR_NOMEM;
		if (a->outcome &&
		    mql_strings_add(&keep, "%s", a->outcome) != MQL_OK)
			status = MQL_ERR_NOMEM;
		lo.keep = (const char *const *)keep.items;
		lo.keep_count = keep.count;
	}
	if (status == MQL_OK)
		status = mql_contacts_load(out, cli->args[0], &cli->csv,
					   MQL_TIME_NONE, &lo, err);
	else
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status == MQL_OK)
		mql_cli_warn_out_of_order(cli,
					  (*out)->quality.stages_out_of_order);
	mql_strings_release(&keep);
	return status;
}

/* The features of the population; takes rules (NULL = discover). */
static int build_features(mql_features **out, const mql_cli *cli,
			  const mql_contacts *c, const mql_population *p,
			  const fit_args *a, mql_rules *rules,
			  const mql_strings *only, mql_error *err)
{
	mql_features_options opt;
	mql_features_options_init(&opt);
	opt.half_life_grid = strcmp(a->half_lives, "auto") == 0;
	opt.threads = (int)a->threads;
	opt.discover.min_support = (size_t)a->min_support;
	opt.discover.numeric_linear = strcmp(a->numeric, "linear") == 0;
	opt.discover.exclude = a->outcome;
	if (a->properties) {
		opt.discover.only = (const char *const *)only->items;
		opt.discover.only_count = only->count;
	}
	const char *events = cli->arg_count > 1 ? cli->args[1] : NULL;
	return mql_features_build(out, c, p, rules, events, &cli->csv, &opt,
				  err);
}

/* One line on stderr, rewritten in place, while half-lives are chosen. */
static void show_progress(void *cli, size_t rule, size_t rules, int pass)
{
	const mql_cli *c = cli;
	fprintf(stderr, "\r%s: choosing half-lives: pass %d, rule %zu of %zu",
		c->command->name, pass, rule + 1, rules);
	if (rule + 1 == rules)
		mql_cli_end_progress(c);
}

static int write_model(FILE *fp, const void *model, mql_error *err)
{
	return mql_model_write(model, fp, err);
}

static int write_coefficients(FILE *fp, const void *model, mql_error *err)
{
	return mql_model_write_coefficients(model, fp, MQL_FORMAT_CSV, err);
}

static int write_calibration(FILE *fp, const void *model, mql_error *err)
{
	return mql_model_write_calibration(model, fp, MQL_FORMAT_CSV, err);
}

static int write_gains(FILE *fp, const void *model, mql_error *err)
{
	return mql_model_write_gains(model, fp, MQL_FORMAT_CSV, err);
}

/* model.json to -o (or stdout), its tables as CSV where asked, the summary
 * to stdout (or stderr). */
static int write_outputs(const mql_cli *cli, const fit_args *a,
			 const mql_model *m, mql_error *err)
{
	int status = mql_outfile_write(cli->output_path, write_model, m, err);
	if (status == MQL_OK && a->coefficients_path)
		status = mql_outfile_write(a->coefficients_path,
					   write_coefficients, m, err);
	if (status == MQL_OK && a->calibration_path)
		status = mql_outfile_write(a->calibration_path,
					   write_calibration, m, err);
	if (status == MQL_OK && a->gains_path)
		status = mql_outfile_write(a->gains_path, write_gains, m, err);
	if (status == MQL_OK && !cli->quiet)
		status = mql_fit_summary_write(mql_cli_report_stream(cli), m,
					       cli->format, err);
	if (status == MQL_OK)
		status = mql_cli_flush_stdout(err);
	return status;
}

/*
 * --features: the design and population from the table of mql-sql
 * features, whose query chose the rows, as-of and label; --label, when
 * given, must agree with it.
 */
static int read_features(mql_features **features, mql_population **population,
			 const mql_cli *cli, const fit_args *a,
			 const char **label, mql_error *err)
{
	const char *problem = NULL;
	if (!a->rules_path)
		problem = "--features needs the --rules file the table was "
			  "made from";
	else if (cli->arg_count > 0)
		problem = "--features replaces contacts.csv and events.csv";
	else if (a->outcome || a->properties || a->as_of != MQL_TIME_NONE ||
		 strcmp(a->half_lives, "auto") == 0)
		problem = "--features takes no --outcome, --properties, "
			  "--as-of or --half-lives auto (the table fixed them)";
	if (problem)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0, "%s",
				     problem);
	mql_rules *rules = NULL;
	mql_label table_label;
	int status = mql_rules_load(&rules, a->rules_path, err);
	if (status == MQL_OK)
		status = mql_sql_features_read(features, population,
					       &table_label, a->features, rules,
					       &cli->csv, err);
	if (status != MQL_OK)
		return status;
	*label = mql_label_name(table_label, NULL);
	if (a->label && strcmp(a->label, *label) != 0)
		return mql_error_set(err, MQL_ERR_USAGE, a->features, 0, 0,
				     "the table's outcome is '%s', not --label "
				     "%s",
				     *label, a->label);
	if (a->holdout_from != MQL_TIME_NONE)
		status = mql_population_holdout(*population, a->holdout_from,
						err);
	if (status == MQL_OK && a->folds > 0)
		status = mql_population_folds(*population, (size_t)a->folds,
					      (unsigned long)a->seed, err);
	return status;
}

/* The design and population from contacts.csv and events.csv. */
static int build_local(mql_contacts **contacts, mql_population **population,
		       mql_features **features, const mql_cli *cli,
		       const fit_args *a, mql_error *err)
{
	mql_strings only = {0};
	mql_rules *rules = NULL;
	int status = MQL_OK;
	if (cli->arg_count < 1)
		status = mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				       "contacts.csv is required (or "
				       "--features FILE)");
	if (status == MQL_OK && a->rules_path)
		status = mql_rules_load(&rules, a->rules_path, err);
	if (status == MQL_OK && a->properties &&
	    mql_strings_split(&only, a->properties, ',') != MQL_OK)
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	if (status == MQL_OK)
		status = load_contacts(contacts, cli, a, rules, &only, err);
	if (status == MQL_OK)
		status = build_population(population, *contacts, a, err);
	if (status == MQL_OK) {
		status = build_features(features, cli, *contacts, *population,
					a, rules, &only, err);
		rules = NULL; /* the features own it now */
	}
	mql_rules_free(rules);
	mql_strings_release(&only);
	return status;
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const fit_args *a = args;
	mql_contacts *contacts = NULL;
	mql_population *population = NULL;
	mql_features *features = NULL;
	mql_model *model = NULL;
	const char *label = a->outcome ? a->outcome
			    : a->label ? a->label
				       : "sal";
	int status = check_args(a, err);
	if (status == MQL_OK)
		status = a->features ? read_features(&features, &population,
						     cli, a, &label, err)
				     : build_local(&contacts, &population,
						   &features, cli, a, err);
	mql_fit_options opt;
	mql_fit_options_init(&opt);
	opt.l2 = a->l2;
	opt.half_lives_auto = strcmp(a->half_lives, "auto") == 0;
	opt.min_support = (size_t)a->min_support;
	opt.seed = (unsigned long)a->seed;
	if (mql_cli_progress_enabled(cli)) {
		opt.progress = show_progress;
		opt.progress_ctx = (void *)cli;
	}
	opt.label = label;
	if (contacts && cli->arg_count > 1) {
		opt.events_path = cli->args[1];
		opt.contacts = contacts;
		opt.csv = &cli->csv;
		opt.threads = (int)a->threads;
	}
	if (status == MQL_OK)
		status = mql_fit_run(&model, features, population, &opt, err);
	if (status == MQL_OK)
		status = write_outputs(cli, a, model, err);
	mql_model_free(model);
	mql_features_free(features);
	mql_population_free(population);
	mql_contacts_free(contacts);
	return status;
}

int main(int argc, char **argv)
{
	fit_args a = {.half_lives = "keep",
		      .numeric = "bins",
		      .window_days = 180,
		      .as_of = MQL_TIME_NONE,
		      .holdout_from = MQL_TIME_NONE,
		      .min_support = 20,
		      .seed = 1};
	const mql_option options[] = {
		{"rules", 0, MQL_OPTION_INPUT, &a.rules_path, "FILE",
		 "refit the structure of this rule file", NULL},
		{"label", 0, MQL_OPTION_CHOICE, &a.label, "STAGE",
		 "the stage reached within the window, default sal:",
		 mql_label_names},
		{"outcome", 0, MQL_OPTION_STRING, &a.outcome, "COLUMN",
		 "a 0/1 column of contacts.csv as the outcome", NULL},
		{"window", 0, MQL_OPTION_DOUBLE, &a.window_days, "DAYS",
		 "days after mql_at to reach the stage (180)", NULL},
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "what is known by this date (latest date in the file)", NULL},
		{"holdout-from", 0, MQL_OPTION_TIME, &a.holdout_from, "DATE",
		 "validate on rows whose mql_at is on or after DATE", NULL},
		{"folds", 0, MQL_OPTION_LONG, &a.folds, "K",
		 "validate by K stratified folds", NULL},
		{"l2", 0, MQL_OPTION_DOUBLE, &a.l2, "LAMBDA",
		 "ridge penalty on the coefficients (0)", NULL},
		{"half-lives", 0, MQL_OPTION_CHOICE, &a.half_lives, "HOW",
		 "keep: the rules' own decays (default); auto: choose them "
		 "on a grid, then estimate them with the weights (intervals "
		 "account for it)",
		 half_life_choices},
		{"min-support", 0, MQL_OPTION_LONG, &a.min_support, "N",
		 "pool levels and warn about rules with fewer rows (20)", NULL},
		{"numeric", 0, MQL_OPTION_CHOICE, &a.numeric, "HOW",
		 "discovered numeric properties: quantile bins or linear",
		 numeric_choices},
		{"properties", 0, MQL_OPTION_STRING, &a.properties, "LIST",
		 "discover features from these columns only (comma list), "
		 "even ones discovery leaves out as leakage",
		 NULL},
		{"seed", 0, MQL_OPTION_LONG, &a.seed, "N",
		 "seed of folds and of the half-life search split (1)", NULL},
		{"features", 0, MQL_OPTION_INPUT, &a.features, "FILE",
		 "fit from the table of mql-sql features (with --rules)", NULL},
		{"threads", 0, MQL_OPTION_LONG, &a.threads, "N",
		 "read events.csv with N threads (default: one per CPU)", NULL},
		{"coefficients", 0, MQL_OPTION_OUTPUT, &a.coefficients_path,
		 "FILE", "also write the coefficients as CSV", NULL},
		{"calibration", 0, MQL_OPTION_OUTPUT, &a.calibration_path,
		 "FILE", "also write the validation's calibration as CSV",
		 NULL},
		{"gains", 0, MQL_OPTION_OUTPUT, &a.gains_path, "FILE",
		 "also write the validation's gains table as CSV", NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-fit",
		.synopsis = "contacts.csv [events.csv] [options] -o model.json",
		.purpose = "back-fit rule weights and half-lives from sales "
			   "outcomes",
		.example = "mql-fit contacts.csv events.csv --rules "
			   "current.json --holdout-from 2026-01-01 "
			   "--half-lives auto -o model.json",
		.options = options,
		.max_args = 2,
		.tabular = 1,
		.reads_csv = 1,
		.output_is_file = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
