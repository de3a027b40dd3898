/*
 * mql-channels - keep, kill or watch each channel or campaign, from how its
 * MQLs convert (shrunk toward the overall rate, tested with BH q-values)
 * and what its conversions cost.
 */
#include <stdio.h>
#include <string.h>

#include <mqlcal/channels.h>
#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/cost.h>
#include <mqlcal/outfile.h>
#include <mqlcal/spend.h>

typedef struct channels_args {
	const char *by, *stage, *prior, *currency;
	mql_channels_options decide;
} channels_args;

/* What write_report needs besides the stream. */
typedef struct report_output {
	const mql_channels_report *report;
	mql_format format;
	const char *subtitle;
	const char *currency;
} report_output;

static int write_report(FILE *fp, const void *context, mql_error *err)
{
	const report_output *o = context;
	return mql_channels_write(o->report, fp, o->format, o->subtitle,
				  o->currency, err);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	channels_args *a = args;
	mql_contacts *contacts = NULL;
	mql_spend *spend = NULL;
	mql_cost_report *cost = NULL;
	mql_channels_report *report = NULL;
	char currency[MQL_CURRENCY_SIZE] = "";
	/* the option parser let through only names of these lists */
	mql_channels_by_parse(a->by, &a->decide.by_campaign);
	mql_channels_stage_parse(a->stage, &a->decide.stage);
	mql_beta_method_parse(a->prior, &a->decide.method);
	mql_contacts_load_options no_properties = {
		.properties = MQL_CONTACTS_PROPERTIES_NONE};
	int status = mql_contacts_load(&contacts, cli->args[0], &cli->csv,
				       MQL_TIME_NONE, &no_properties, err);
	if (status == MQL_OK)
		mql_cli_warn_out_of_order(
			cli, contacts->quality.stages_out_of_order);
	if (status == MQL_OK && cli->arg_count > 1)
		status = mql_spend_load(&spend, cli->args[1], &cli->csv, err);
	if (status == MQL_OK)
		status = mql_spend_currency_choose(
			a->currency, cli->arg_count > 1 ? cli->args[1] : NULL,
			&cli->csv, currency, sizeof currency, err);
	if (status == MQL_OK && spend)
		status = mql_cost_build(
			&cost, contacts, spend, NULL, MQL_ATTRIBUTION_FIRST,
			a->decide.by_campaign ? MQL_COST_BY_CAMPAIGN
					      : MQL_COST_BY_CHANNEL,
			err);
	if (status == MQL_OK)
		status = mql_channels_decide(&report, contacts, cost,
					     &a->decide, err);
	if (status == MQL_OK && !cli->quiet)
		mql_cli_warn(cli, "%s",
			     mql_acceptance_text(report->acceptance));
	if (status == MQL_OK) {
		char subtitle[512], as_of[32];
		mql_time_format(report->options.as_of, 1, as_of, sizeof as_of);
		snprintf(subtitle, sizeof subtitle,
			 "%s, by %s, MQL to %s, as of %s", cli->args[0], a->by,
			 a->stage, as_of);
		report_output output = {report, cli->format, subtitle,
					currency};
		status = mql_outfile_write(cli->output_path, write_report,
					   &output, err);
	}
	mql_channels_free(report);
	mql_cost_free(cost);
	mql_spend_free(spend);
	mql_contacts_free(contacts);
	return status;
}

int main(int argc, char **argv)
{
	channels_args a = {.by = "channel", .stage = "sql", .prior = "ml"};
	mql_channels_options_init(&a.decide);
	mql_channels_options *d = &a.decide;
	const mql_option options[] = {
		{"by", 0, MQL_OPTION_CHOICE, &a.by, "GROUP",
		 "channel (default) or campaign", mql_channels_by_names},
		{"stage", 0, MQL_OPTION_CHOICE, &a.stage, "STAGE",
		 "the rate is MQL to this stage, default sql:",
		 mql_channels_stage_names},
		{"window", 0, MQL_OPTION_DOUBLE, &d->window_days, "DAYS",
		 "days an MQL has to reach the stage before it counts as not "
		 "reaching it (180)",
		 NULL},
		{"as-of", 0, MQL_OPTION_TIME, &d->as_of, "DATE",
		 "what is known by this date (latest date in the file)", NULL},
		{"fdr", 0, MQL_OPTION_DOUBLE, &d->q_max, "Q",
		 "significantly worse: BH q-value below Q (0.05)", NULL},
		{"kill-below", 0, MQL_OPTION_DOUBLE, &d->kill_fraction,
		 "FRACTION",
		 "kill when the interval's top is below this fraction of the "
		 "overall rate (0.5)",
		 NULL},
		{"min-mql", 0, MQL_OPTION_DOUBLE, &d->min_mql, "N",
		 "MQLs of known outcome needed to keep; 0 (default) = enough "
		 "to catch a group at the kill line with --power",
		 NULL},
		{"power", 0, MQL_OPTION_DOUBLE, &d->power, "P",
		 "power of the default --min-mql (0.8)", NULL},
		{"level", 0, MQL_OPTION_DOUBLE, &d->level, "P",
		 "probability of the rate intervals (0.95)", NULL},
		{"prior", 0, MQL_OPTION_CHOICE, &a.prior, "FIT",
		 "beta prior across groups: ml (maximum likelihood, default) "
		 "or moments",
		 mql_beta_method_names},
		{"currency", 0, MQL_OPTION_STRING, &a.currency, "CODE",
		 "the currency of every amount (ISO 4217, e.g. EUR); default: "
		 "the spend file's currency column, else none",
		 NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-channels",
		.synopsis = "contacts.csv [spend.csv] [options]",
		.purpose = "keep, kill or watch each channel or campaign, with "
			   "the reason",
		.example = "mql-channels contacts.csv spend.csv --by campaign "
			   "--format html -o channels.html",
		.options = options,
		.min_args = 1,
		.max_args = 2,
		.tabular = 1,
		.reads_csv = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
