/*
 * mql-sql - compile a rule file into SQL: the fit's feature table or the
 * scorer's scores, computed by the warehouse where the data lives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/outfile.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>
#include <mqlcal/sql.h>

typedef struct sql_args {
	const char *label, *dialect, *contacts_table, *events_table;
	const char *accepted_at, *preset;
	mql_text_list rejected_status;
	double window_days;
	mql_time as_of;
} sql_args;

static int write_text(FILE *fp, const void *text, mql_error *err)
{
	if (fputs(text, fp) == EOF)
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the query");
	return MQL_OK;
}

/* The query named by the first argument, or MQL_ERR_USAGE. */
static int parse_query(const char *name, mql_sql_query *out, mql_error *err)
{
	for (int i = 0; mql_sql_query_names[i]; i++)
		if (strcmp(name, mql_sql_query_names[i]) == 0) {
			*out = (mql_sql_query)i;
			return MQL_OK;
		}
	return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
			     "unknown query '%s' (expected features or "
			     "scores)",
			     name);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const sql_args *a = args;
	mql_sql_options opt;
	mql_sql_options_init(&opt);
	int status = parse_query(cli->args[0], &opt.query, err);
	if (status == MQL_OK && a->label && opt.query == MQL_SQL_SCORES)
		status = mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				       "--label is for the features query");
	if (a->label)
		mql_label_parse(a->label, &opt.label);
	opt.window_days = a->window_days;
	opt.as_of = a->as_of;
	opt.dialect = a->dialect;
	opt.contacts_table = a->contacts_table;
	opt.events_table = a->events_table;
	/* the option parser let through only names of the list */
	if (a->accepted_at)
		mql_sql_acceptance_parse(a->accepted_at, &opt.accepted_at_sql);
	opt.rejected_status = a->rejected_status;
	opt.preset = a->preset;
	mql_rules *rules = NULL;
	char *text = NULL;
	if (status == MQL_OK)
		status = mql_rules_load(&rules, cli->args[1], err);
	if (status == MQL_OK)
		status = mql_sql_compile(&text, rules, &opt, err);
	if (status == MQL_OK)
		status = mql_outfile_write(cli->output_path, write_text, text,
					   err);
	if (status == MQL_OK)
		status = mql_cli_flush_stdout(err);
	free(text);
	mql_rules_free(rules);
	return status;
}

int main(int argc, char **argv)
{
	sql_args a = {.dialect = "postgres",
		      .contacts_table = "contacts",
		      .events_table = "events",
		      .window_days = 180,
		      .as_of = MQL_TIME_NONE};
	const mql_option options[] = {
		{"label", 0, MQL_OPTION_CHOICE, &a.label, "STAGE",
		 "features: the stage reached within the window, default "
		 "sal:",
		 mql_label_names},
		{"window", 0, MQL_OPTION_DOUBLE, &a.window_days, "DAYS",
		 "features: days after mql_at to reach the stage (180)", NULL},
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "what is known by this date (latest date in the tables)",
		 NULL},
		{"dialect", 0, MQL_OPTION_CHOICE, &a.dialect, "NAME",
		 "SQL dialect: postgres (tested)", mql_sql_dialect_names},
		{"contacts-table", 0, MQL_OPTION_STRING, &a.contacts_table, "T",
		 "table with the columns of contacts.csv (contacts)", NULL},
		{"events-table", 0, MQL_OPTION_STRING, &a.events_table, "T",
		 "table with the columns of events.csv (events)", NULL},
		{"accepted-at", 0, MQL_OPTION_CHOICE, &a.accepted_at, "STAGE",
		 "features: what acceptance is, sal_at (sal, default) or, "
		 "for a table without sal_at, the first of sql_at, "
		 "opportunity_at, customer_at (sql):",
		 mql_sql_acceptance_names},
		{"rejected-status", 0, MQL_OPTION_LIST, &a.rejected_status,
		 "VALUE",
		 "features: a lead_status that means rejected by sales "
		 "(repeatable)",
		 NULL},
		{"preset", 0, MQL_OPTION_CHOICE, &a.preset, "CRM",
		 "features: add the rejected statuses of a CRM's export:",
		 mql_csv_presets},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-sql",
		.synopsis =
			"features|scores rules.json [options] [-o query.sql]",
		.purpose = "compile a rule file into SQL: mql-fit's feature "
			   "table or mql-score's scores",
		.example = "mql-sql features rules.json --label sal --as-of "
			   "2026-01-01 -o features.sql",
		.options = options,
		.min_args = 2,
		.max_args = 2,
		.output_is_file = 1,
		.leading_words = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
