/*
 * mql-check - loads the exports and says what is in them and what is wrong.
 *
 * The summary comes from libcore (check.h); this file only wires options to
 * it and writes the items.  In table and Markdown form each section is its
 * own small table under a heading; csv, json and html get one table with a
 * section column, for scripts.  A "not usable" verdict (a fault: no
 * contacts, no mql_at column, no MQL) exits 65 once the report is written.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/check.h>
#include "cli.h"
#include <mqlcal/events.h>
#include <mqlcal/outfile.h>
#include <mqlcal/table.h>

/* A table of items; with_amount adds the money column ("amount"). */
static mql_table *new_table(FILE *fp, mql_format format, int with_section,
			    int with_amount)
{
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return NULL;
	if ((with_section &&
	     mql_table_add_column(t, "section", MQL_COLUMN_TEXT, 0)) ||
	    mql_table_add_column(t, "item", MQL_COLUMN_TEXT, 0) ||
	    mql_table_add_column(t, "count", MQL_COLUMN_REAL, 0) ||
	    mql_table_add_column(t, "share", MQL_COLUMN_REAL, 3) ||
	    mql_table_add_column(t, "detail", MQL_COLUMN_TEXT, 0) ||
	    (with_amount &&
	     mql_table_add_column(t, "amount", MQL_COLUMN_REAL, 2))) {
		mql_table_free(t);
		return NULL;
	}
	return t;
}

static int write_item(mql_table *t, const mql_check_item *it, int with_section,
		      int with_amount)
{
	size_t col = 0;
	if (with_section && mql_table_set_text(t, col++, it->section))
		return -1;
	if (mql_table_set_text(t, col, it->item) ||
	    mql_table_set_real(t, col + 1, it->count) ||
	    mql_table_set_real(t, col + 2, it->share) ||
	    mql_table_set_text(t, col + 3, it->detail) ||
	    (with_amount && mql_table_set_real(t, col + 4, it->amount)))
		return -1;
	return mql_table_end_row(t);
}

/* True when the section of item i first appears at i. */
static int first_of_section(const mql_check_report *r, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(r->items[j].section, r->items[i].section) == 0)
			return 0;
	return 1;
}

/* True when an item of section is an amount of money. */
static int has_amount(const mql_check_report *r, const char *section)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->items[i].section, section) == 0 &&
		    !isnan(r->items[i].amount))
			return 1;
	return 0;
}

/* The last line of a terminal or Markdown report. */
static void write_verdict(FILE *fp, const mql_check_item *it)
{
	fprintf(fp, "\nverdict: %s\n", it->item);
	if (it->count > 0)
		fprintf(fp, "  from: %s\n", it->detail);
}

/* What write_report needs besides the stream. */
typedef struct report_output {
	const mql_check_report *report;
	mql_format format;
} report_output;

/* Writes the items grouped by section, sections in order of appearance. */
static int write_report(FILE *fp, const void *context, mql_error *err)
{
	const report_output *output = context;
	const mql_check_report *r = output->report;
	mql_format format = output->format;
	int split = format == MQL_FORMAT_TABLE || format == MQL_FORMAT_MD;
	mql_table *t = split ? NULL : new_table(fp, format, 1, 1);
	int status = split || t ? 0 : MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->count && !status; i++) {
		if (!first_of_section(r, i))
			continue;
		const char *section = r->items[i].section;
		int with_amount = !split || has_amount(r, section);
		if (split && strcmp(section, "verdict") == 0) {
			write_verdict(fp, &r->items[i]);
			continue;
		}
		if (split) {
			fprintf(fp, "%s%s%s\n\n", i ? "\n" : "",
				format == MQL_FORMAT_MD ? "## " : "== ",
				section);
			if (!(t = new_table(fp, format, 0, with_amount)))
				return MQL_ERR_NOMEM;
		}
		for (size_t j = i; j < r->count && !status; j++)
			if (strcmp(r->items[j].section, section) == 0 &&
			    write_item(t, &r->items[j], !split, with_amount))
				status = MQL_ERR_NOMEM;
		if (split) {
			if (!status)
				status = mql_table_finish(t, err);
			mql_table_free(t);
			t = NULL;
		}
	}
	if (!split && !status)
		status = mql_table_finish(t, err);
	mql_table_free(t);
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return status;
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
