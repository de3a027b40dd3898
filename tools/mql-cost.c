/*
 * mql-cost - the CFO's report: spend, leads, MQLs, SQLs, customers and
 * revenue per channel, campaign, month or quarter, and what each costs.
 */
#include <stdio.h>
#include <string.h>

#include <mqlcal/attribution.h>
#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/cost.h>
#include <mqlcal/events.h>
#include <mqlcal/outfile.h>
#include <mqlcal/spend.h>

typedef struct cost_args {
	const char *by;
	const char *attribution;
	const char *currency;
} cost_args;

/* Collects the campaign touches of events.csv into *out, reading it on
 * every core. */
static int read_touches(mql_touches **out, const mql_cli *cli,
			const mql_contacts *contacts, mql_error *err)
{
	mql_events_stats stats;
	int status = mql_touches_new(out, contacts);
	if (status != MQL_OK)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	status =
		mql_touches_scan(*out, cli->args[2], &cli->csv, 0, &stats, err);
	if (status == MQL_OK)
		mql_cli_warn_unknown_contacts(cli, &stats);
	return status;
}

/* What write_report needs besides the stream. */
typedef struct report_output {
	const mql_cost_report *report;
	mql_format format;
	mql_cost_page page;
} report_output;

static int write_report(FILE *fp, const void *context, mql_error *err)
{
	const report_output *o = context;
	return mql_cost_write(o->report, fp, o->format, &o->page, err);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const cost_args *a = args;
	mql_contacts *contacts = NULL;
	mql_spend *spend = NULL;
	mql_touches *touches = NULL;
	mql_cost_report *report = NULL, *by_quarter = NULL;
	char currency[MQL_CURRENCY_SIZE] = "";
	mql_cost_by by = MQL_COST_BY_CHANNEL;
	mql_attribution_model model = MQL_ATTRIBUTION_FIRST;
	mql_cost_by_parse(a->by, &by);
	if (a->attribution)
		mql_attribution_parse(a->attribution, &model);
	if (a->attribution && strcmp(a->attribution, "first") != 0 &&
	    cli->arg_count < 3)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--attribution %s needs events.csv",
				     a->attribution);
	mql_contacts_load_options no_properties = {
		.properties = MQL_CONTACTS_PROPERTIES_NONE};
	int status = mql_contacts_load(&contacts, cli->args[0], &cli->csv,
				       MQL_TIME_NONE, &no_properties, err);
	if (status == MQL_OK)
		status = mql_spend_load(&spend, cli->args[1], &cli->csv, err);
	if (status == MQL_OK)
		status = mql_spend_currency_choose(a->currency, cli->args[1],
						   &cli->csv, currency,
						   sizeof currency, err);
	if (status == MQL_OK && a->attribution && cli->arg_count > 2)
		status = read_touches(&touches, cli, contacts, err);
	if (status == MQL_OK)
		status = mql_cost_build(&report, contacts, spend, touches,
					model, by, err);
	if (status == MQL_OK && cli->format == MQL_FORMAT_HTML &&
	    by != MQL_COST_BY_QUARTER)
		status = mql_cost_build(&by_quarter, contacts, spend, NULL,
					model, MQL_COST_BY_QUARTER, err);
	char subtitle[512];
	snprintf(subtitle, sizeof subtitle, "%s and %s, by %s, %s touch",
		 cli->args[0], cli->args[1], mql_cost_group_column(by),
		 mql_attribution_name(model));
	report_output output = {
		report, cli->format, {subtitle, currency, by_quarter}};
	if (status == MQL_OK)
		status = mql_outfile_write(cli->output_path, write_report,
					   &output, err);
	mql_cost_free(report);
	mql_cost_free(by_quarter);
	mql_touches_free(touches);
	mql_spend_free(spend);
	mql_contacts_free(contacts);
	return status;
}

int main(int argc, char **argv)
{
	cost_args a = {.by = "channel", .attribution = NULL, .currency = NULL};
	const mql_option options[] = {
		{"by", 0, MQL_OPTION_CHOICE, &a.by, "GROUP",
		 "rows per GROUP, default channel:", mql_cost_by_names},
		{"attribution", 0, MQL_OPTION_CHOICE, &a.attribution, "MODEL",
		 "credit campaigns touched before each stage (needs "
		 "events.csv): first, last, linear (equal shares) or u-shaped "
		 "(40% first, 40% last, 20% the rest); default: the "
		 "originating channel and campaign",
		 mql_attribution_names},
		{"currency", 0, MQL_OPTION_STRING, &a.currency, "CODE",
		 "the currency of every amount (ISO 4217, e.g. EUR); default: "
		 "the spend file's currency column, else none",
		 NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-cost",
		.synopsis = "contacts.csv spend.csv [events.csv] [options]",
		.purpose = "spend, funnel counts and cost per lead, MQL, SQL "
			   "and customer",
		.example = "mql-cost contacts.csv spend.csv events.csv --by "
			   "campaign --attribution u-shaped --format html -o "
			   "cost.html",
		.options = options,
		.min_args = 2,
		.max_args = 3,
		.tabular = 1,
		.reads_csv = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
