/*
 * mql-report - conversion through the funnel and time to qualify, per
 * channel, campaign, column or cohort.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/funnel.h>
#include <mqlcal/funnel_report.h>
#include <mqlcal/outfile.h>

/* The data-quality lines a reader of the numbers should know about. */
static void warn_quality(const mql_cli *cli, const mql_funnel *f)
{
	char note[200];
	if (cli->quiet)
		return;
	mql_cli_warn(cli, "%s", mql_acceptance_text(f->acceptance));
	if (f->undated_rejections > 0)
		mql_cli_warn(cli, "%s",
			     mql_undated_rejections_text(f->undated_rejections,
							 note, sizeof note));
	mql_cli_warn_out_of_order(cli, f->total.out_of_order);
	if (f->created_after_as_of > 0)
		mql_cli_warn(cli, "%zu leads created after --as-of left out",
			     f->created_after_as_of);
	if (f->negative_waits > 0)
		mql_cli_warn(cli,
			     "%zu waits of leads with stages dated out of "
			     "order left out of the times to a stage",
			     f->negative_waits);
}

/* What write_report needs besides the stream. */
typedef struct report_output {
	const mql_funnel *funnel;
	mql_format format;
	const char *subtitle;
} report_output;

static int write_report(FILE *fp, const void *context, mql_error *err)
{
	const report_output *o = context;
	return mql_funnel_report_write(o->funnel, fp, o->format, o->subtitle,
				       err);
}

/* The option values; the grouping is settled in run. */
typedef struct report_args {
	const char *by, *cohort;
	mql_funnel_options funnel;
	char by_names[256]; /* --by split in place; funnel.by points here */
} report_args;

/* Computes and writes the report; returns a libcore status. */
static int run(const mql_cli *cli, void *args, mql_error *err)
{
	report_args *a = args;
	mql_funnel_options *opt = &a->funnel;
	mql_contacts *contacts = NULL;
	mql_funnel *funnel = NULL;
	snprintf(a->by_names, sizeof a->by_names, "%s", a->by);
	if (mql_funnel_parse_by(opt, a->by_names, err) != MQL_OK)
		return MQL_ERR_USAGE;
	mql_time_period cohort;
	if (mql_time_period_parse(a->cohort, &cohort) == 0)
		opt->cohort = cohort == MQL_TIME_PERIOD_MONTH
				      ? MQL_COHORT_MONTH
				      : MQL_COHORT_QUARTER;
	opt->keep_curves = cli->format == MQL_FORMAT_HTML;
	/* a report reads neither ids, revenue nor labels it does not group
	 * by */
	mql_contacts_load_options only_grouped = {
		.properties = MQL_CONTACTS_PROPERTIES_LISTED,
		.keep = opt->by,
		.keep_count = opt->by_count,
		.leave_out = MQL_CONTACTS_WITHOUT_IDS |
			     MQL_CONTACTS_WITHOUT_REVENUE |
			     MQL_CONTACTS_WITHOUT_UNLISTED_LABELS};
	int status = mql_contacts_load(&contacts, cli->args[0], &cli->csv,
				       MQL_TIME_NONE, &only_grouped, err);
	if (status == MQL_OK)
		status = mql_funnel_compute(&funnel, contacts, opt, err);
	if (status == MQL_OK)
		warn_quality(cli, funnel);
	report_output output = {funnel, cli->format, cli->args[0]};
	if (status == MQL_OK)
		status = mql_outfile_write(cli->output_path, write_report,
					   &output, err);
	mql_funnel_free(funnel);
	mql_contacts_free(contacts);
	return status;
}

int main(int argc, char **argv)
{
	report_args a = {.by = "channel", .cohort = NULL};
	mql_funnel_options_init(&a.funnel);
	const mql_option options[] = {
		{"by", 0, MQL_OPTION_STRING, &a.by, "COLUMN[,COLUMN]",
		 "group by channel (default), campaign or any column(s)", NULL},
		{"cohort", 0, MQL_OPTION_CHOICE, &a.cohort, "PERIOD",
		 "also group by the PERIOD of creation:",
		 mql_time_period_names},
		{"as-of", 0, MQL_OPTION_TIME, &a.funnel.as_of, "DATE",
		 "see the history as of DATE (default: its latest date)", NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-report",
		.synopsis = "contacts.csv [--by COLUMN[,COLUMN]] [--cohort "
			    "month|quarter] [--as-of DATE] [options]",
		.purpose = "funnel counts, conversion with Wilson intervals "
			   "and Kaplan-Meier time to qualify, per group",
		.example = "mql-report contacts.csv --by channel --format html "
			   "-o funnel.html",
		.options = options,
		.min_args = 1,
		.max_args = 1,
		.tabular = 1,
		.reads_csv = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
