/*
 * mql-backtest - replay the old and the new rule file over the history and
 * compare them, period by period, before the new one goes live.
 *
 * The table (one row per rule file and period) goes to stdout or -o in
 * --format; --html writes the report page, --equal-volume the comparison
 * at equal MQL volume as CSV; that comparison and the drift verdicts follow
 * on stderr (on stdout after a terminal table).  --fail-if-worse exits 1 when
 * the new file is worse.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/backtest.h>
#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/outfile.h>
#include <mqlcal/rules.h>

typedef struct backtest_args {
	const char *by, *html_path, *equal_volume_path;
	mql_time from, as_of;
	double horizon_days;
	long psi_bins;
	int fail_if_worse;
	int worse; /* set by run: the new file is worse at equal volume */
} backtest_args;

/* value with format, or "n/a" when it is unknown, into buf. */
static const char *or_na(char *buf, size_t n, const char *format, double value)
{
	if (isnan(value))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, format, value);
	return buf;
}

static void write_summary(FILE *fp, const mql_backtest *b,
			  const char *const names[2])
{
	const mql_backtest_comparison *c = &b->comparison;
	char rate[2][16], auc[2][16];
	for (int f = 0; f < 2; f++) {
		or_na(rate[f], sizeof rate[f], "%.1f%%", 100 * c->accepted[f]);
		or_na(auc[f], sizeof auc[f], "%.3f", c->auc[f]);
	}
	fprintf(fp,
		"equal volume: top %ld of %ld decided MQLs by score at the "
		"decision: accepted %s (%s) vs %s (%s); AUC %s vs %s\n",
		c->volume, c->decided, rate[0], names[0], rate[1], names[1],
		auc[0], auc[1]);
	fprintf(fp, "%s\n", mql_acceptance_text(b->acceptance));
	const char *recall_note = mql_backtest_recall_note(b);
	if (recall_note)
		fprintf(fp, "note: %s\n", recall_note);
	if (c->volume == 0)
		fprintf(fp, "verdict: no decided MQLs to compare\n");
	else
		fprintf(fp, "verdict: the new rule file is %s\n",
			c->new_is_worse ? "WORSE than the old one"
					: "at least as good as the old one");
	for (size_t i = 0; i < b->row_count; i++) {
		const mql_backtest_row *r = &b->rows[i];
		/* the drift words are the library's: no threshold here */
		if (r->file == 1 && r->drift[0] &&
		    strcmp(r->drift, "stable") != 0)
			fprintf(fp,
				"drift: %s PSI %.3f on %ld leads (%s; no drift "
				"stays below %.3f at that n in 95%% of "
				"samples)\n",
				r->period, r->psi, r->psi_rows, r->drift,
				r->psi_noise);
	}
}

/* What the table and page writers need besides the stream. */
typedef struct backtest_output {
	const mql_backtest *backtest;
	const char *const *names; /* the two rule files */
	mql_format format;
} backtest_output;

static int write_table_output(FILE *fp, const void *context, mql_error *err)
{
	const backtest_output *o = context;
	return mql_backtest_write(o->backtest, fp, o->format, o->names[0],
				  o->names[1], err);
}

static int write_html(FILE *fp, const void *context, mql_error *err)
{
	const backtest_output *o = context;
	return mql_backtest_write_html(o->backtest, fp, o->names[0],
				       o->names[1], err);
}

static int write_equal_volume(FILE *fp, const void *context, mql_error *err)
{
	const backtest_output *o = context;
	return mql_backtest_write_equal_volume(o->backtest, fp, MQL_FORMAT_CSV,
					       o->names[0], o->names[1], err);
}

static int write_outputs(const mql_cli *cli, const backtest_args *a,
			 const mql_backtest *b, mql_error *err)
{
	const char *const names[2] = {cli->args[0], cli->args[1]};
	backtest_output output = {b, names, cli->format};
	int status = mql_outfile_write(cli->output_path, write_table_output,
				       &output, err);
	if (status == MQL_OK && a->html_path)
		status = mql_outfile_write(a->html_path, write_html, &output,
					   err);
	if (status == MQL_OK && a->equal_volume_path)
		status = mql_outfile_write(a->equal_volume_path,
					   write_equal_volume, &output, err);
	int table_on_terminal =
		cli->format == MQL_FORMAT_TABLE &&
		(!cli->output_path || strcmp(cli->output_path, "-") == 0);
	if (status == MQL_OK && !cli->quiet)
		write_summary(table_on_terminal ? stdout : stderr, b, names);
	if (status == MQL_OK)
		status = mql_cli_flush_stdout(err);
	return status;
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	backtest_args *a = args;
	mql_rules *old_rules = NULL, *new_rules = NULL;
	mql_contacts *contacts = NULL;
	mql_backtest *b = NULL;
	mql_backtest_options opt;
	mql_backtest_options_init(&opt);
	opt.from = a->from;
	opt.as_of = a->as_of;
	mql_time_period period = MQL_TIME_PERIOD_MONTH;
	mql_time_period_parse(a->by, &period);
	opt.by = period == MQL_TIME_PERIOD_QUARTER ? MQL_BACKTEST_QUARTER
						   : MQL_BACKTEST_MONTH;
	opt.horizon_days = a->horizon_days;
	opt.psi_bins = a->psi_bins > 0 ? (size_t)a->psi_bins : 0;
	int status = mql_rules_load(&old_rules, cli->args[0], err);
	if (status == MQL_OK)
		status = mql_rules_load(&new_rules, cli->args[1], err);
	if (status == MQL_OK)
		status = mql_contacts_load(&contacts, cli->args[2], &cli->csv,
					   MQL_TIME_NONE, NULL, err);
	if (status == MQL_OK)
		mql_cli_warn_out_of_order(
			cli, contacts->quality.stages_out_of_order);
	if (status == MQL_OK)
		status = mql_backtest_run(&b, old_rules, new_rules, contacts,
					  cli->args[3], &cli->csv, &opt, err);
	if (status == MQL_OK)
		status = write_outputs(cli, a, b, err);
	a->worse = status == MQL_OK && b->comparison.volume > 0 &&
		   b->comparison.new_is_worse;
	mql_backtest_free(b);
	mql_contacts_free(contacts);
	mql_rules_free(new_rules);
	mql_rules_free(old_rules);
	return status;
}

int main(int argc, char **argv)
{
	backtest_args a = {.by = "month",
			   .from = MQL_TIME_NONE,
			   .as_of = MQL_TIME_NONE,
			   .horizon_days = 30,
			   .psi_bins = 10};
	const mql_option options[] = {
		{"from", 0, MQL_OPTION_TIME, &a.from, "DATE",
		 "evaluate from DATE on (earlier leads are the PSI reference)",
		 NULL},
		{"by", 0, MQL_OPTION_CHOICE, &a.by, "PERIOD",
		 "periods, default month:", mql_time_period_names},
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "end of the history (latest date in the files)", NULL},
		{"horizon", 0, MQL_OPTION_DOUBLE, &a.horizon_days, "DAYS",
		 "drift: score leads this many days after creation (30)", NULL},
		{"psi-bins", 0, MQL_OPTION_LONG, &a.psi_bins, "N",
		 "drift: quantile bins of the reference scores (10)", NULL},
		{"fail-if-worse", 0, MQL_OPTION_FLAG, &a.fail_if_worse, NULL,
		 "exit 1 when the new file is worse at the same MQL volume",
		 NULL},
		{"html", 0, MQL_OPTION_OUTPUT, &a.html_path, "FILE",
		 "also write the report page", NULL},
		{"equal-volume", 0, MQL_OPTION_OUTPUT, &a.equal_volume_path,
		 "FILE",
		 "also write the comparison at equal MQL volume as CSV (old "
		 "and new: volume, acceptance, AUC)",
		 NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-backtest",
		.synopsis =
			"old.json new.json contacts.csv events.csv [options]",
		.purpose = "replay two rule files over the history and compare "
			   "them",
		.example = "mql-backtest current.json rules.json contacts.csv "
			   "events.csv --from 2026-04-01 --fail-if-worse "
			   "--html backtest.html",
		.options = options,
		.min_args = 4,
		.max_args = 4,
		.tabular = 1,
		.reads_csv = 1,
	};
	int code = mql_cli_main(&cmd, argc, argv, run, &a);
	if (code == MQL_EXIT_OK && a.fail_if_worse && a.worse)
		return MQL_EXIT_FAILURE;
	return code;
}
