/*
 * mql-score - the reference scorer: applies a rule file to every contact at
 * --as-of, with the first crossing of the threshold, an audit ledger whose
 * contributions add up to each score, and --explain for one contact.
 *
 * The run itself, from files to files, is libcore's (mql_score_run in
 * score_write.h); this file wires options to it and reports on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/outfile.h>
#include <mqlcal/rules.h>
#include <mqlcal/score.h>
#include <mqlcal/score_write.h>
#include <mqlcal/timeline.h>

typedef struct score_args {
	mql_time as_of;
	const char *ledger_path;
	const char *explain_id;
} score_args;

/* Progress on a terminal, after the files' (cli.h): contacts scored. */
static void show_contacts_scored(void *cli, size_t row, size_t count)
{
	if (row == count)
		mql_cli_end_progress(cli);
	else if (row % 65536 == 0)
		fprintf(stderr, "\rmql-score: %zu of %zu contacts scored   ",
			row, count);
}

/* What tell_story needs: the run and the contact's row. */
typedef struct explained {
	mql_score_run *run;
	size_t row;
} explained;

static int tell_story(FILE *fp, const void *context, mql_error *err)
{
	const explained *e = context;
	return mql_score_run_story(e->run, e->row, fp, err);
}

/* --explain: the story of one contact's score. */
static int explain(const mql_cli *cli, mql_score_run *run, const char *id,
		   mql_error *err)
{
	long row = mql_contacts_find(run->contacts, id, strlen(id));
	if (row < 0)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--explain: no contact '%s' in '%s'", id,
				     cli->args[1]);
	explained e = {run, (size_t)row};
	return mql_outfile_write(cli->output_path, tell_story, &e, err);
}

/* The data-quality summary on stderr: what was odd but not fatal. */
static void report_oddities(const mql_cli *cli, const mql_events_stats *st)
{
	mql_cli_warn_unknown_contacts(cli, st);
	if (st->before_created > 0)
		mql_cli_warn(cli,
			     "%zu events are dated before their contact's "
			     "created_at (they count)",
			     st->before_created);
	if (st->future > 0)
		mql_cli_warn(cli, "%zu events are dated in the future",
			     st->future);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const score_args *a = args;
	mql_score_run r;
	int status =
		mql_score_run_open(&r, cli->args[0], cli->args[1],
				   cli->arg_count > 2 ? cli->args[2] : NULL,
				   &cli->csv, a->as_of, err);
	int progress = mql_cli_progress_enabled(cli);
	if (!status && a->explain_id)
		status = explain(cli, &r, a->explain_id, err);
	else if (!status)
		status = mql_score_run_write(
			&r, cli->output_path, cli->format, a->ledger_path,
			progress ? show_contacts_scored : NULL, (void *)cli,
			err);
	if (!status && !cli->quiet && r.timeline)
		report_oddities(cli, mql_events_get_stats(
					     mql_timeline_events(r.timeline)));
	mql_score_run_close(&r);
	return status;
}

int main(int argc, char **argv)
{
	score_args a = {.as_of = MQL_TIME_NONE};
	const mql_option options[] = {
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "score at this time (latest date in the data)", NULL},
		{"ledger", 0, MQL_OPTION_OUTPUT, &a.ledger_path, "FILE",
		 "write the audit ledger (csv; json if FILE ends in .json)",
		 NULL},
		{"explain", 0, MQL_OPTION_STRING, &a.explain_id, "CONTACT_ID",
		 "tell how one contact got its score", NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-score",
		.synopsis = "rules.json contacts.csv [events.csv] [options]",
		.purpose = "score every contact with a rule file, with an "
			   "audit ledger",
		.example = "mql-score rules.json contacts.csv events.csv "
			   "--as-of 2026-03-31 --ledger ledger.csv --format "
			   "csv -o scores.csv",
		.options = options,
		.min_args = 2,
		.max_args = 3,
		.tabular = 1,
		.reads_csv = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
