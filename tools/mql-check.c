/*
 * mql-check - loads the exports and says what is in them and what is wrong.
 *
 * The summary and its tables come from libcore (check.h); this file only
 * wires options to them.  A "not usable" verdict (a fault: no
 * contacts, no mql_at column, no MQL) exits 65 once the report is written.
 */
#include <stdio.h>

#include <mqlcal/check.h>
#include "cli.h"
#include <mqlcal/events.h>
#include <mqlcal/outfile.h>
#include <mqlcal/table.h>

/* What write_report needs besides the stream. */
typedef struct report_output {
	const mql_check_report *report;
	mql_format format;
} report_output;

/* Writes the items (check.h). */
static int write_report(FILE *fp, const void *context, mql_error *err)
{
	const report_output *output = context;
	return mql_check_write(output->report, fp, output->format, err);
}

/* The option values. */
typedef struct check_args {
	mql_time as_of;
	long threads;
	size_t faults; /* set by run: the verdict's faults */
} check_args;

/* Loads the exports, summarises them and writes the summary. */
static int run(const mql_cli *cli, void *args, mql_error *err)
{
	check_args *a = args;
	mql_check_report report;
	if (a->threads < 0 || a->threads > MQL_EVENTS_MAX_THREADS)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--threads %ld (expected 0 to %d; 0 = "
				     "one per CPU)",
				     a->threads, MQL_EVENTS_MAX_THREADS);
	int status = mql_check_run_threads(
		&report, cli->args[0], cli->arg_count > 1 ? cli->args[1] : NULL,
		cli->arg_count > 2 ? cli->args[2] : NULL, &cli->csv, a->as_of,
		(int)a->threads, err);
	if (status)
		return status;
	report_output output = {&report, cli->format};
	status =
		mql_outfile_write(cli->output_path, write_report, &output, err);
	a->faults = report.faults;
	if (!status && report.faults && !cli->quiet)
		mql_cli_warn(cli, "the data is not usable: %s",
			     report.items[report.count - 1].detail);
	mql_check_release(&report);
	return status;
}

int main(int argc, char **argv)
{
	check_args a = {.as_of = MQL_TIME_NONE, .threads = 0, .faults = 0};
	const mql_option options[] = {
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "dates after DATE count as future (default: now)", NULL},
		{"threads", 0, MQL_OPTION_LONG, &a.threads, "N",
		 "read events.csv with N threads (default: one per CPU)", NULL},
		MQL_OPTION_END,
	};
	const mql_command command = {
		.name = "mql-check",
		.synopsis = "contacts.csv [events.csv] [spend.csv] [options]",
		.purpose = "load the exports and summarise what is in them "
			   "and what is wrong",
		.example = "mql-check contacts.csv events.csv spend.csv "
			   "--format json -o quality.json",
		.options = options,
		.min_args = 1,
		.max_args = 3,
		.tabular = 1,
		.reads_csv = 1,
	};
	int code = mql_cli_main(&command, argc, argv, run, &a);
	/* "not usable" is bad input data: the report is written, then 65 */
	if (code == MQL_EXIT_OK && a.faults)
		return MQL_EXIT_DATAERR;
	return code;
}
