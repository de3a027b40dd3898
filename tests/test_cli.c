/*
 * test_cli.c - option parsing: each kind of option, positional arguments,
 * rejected values (exit 2), --help and --version (exit 0), exit codes.
 */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The values a test command's options write to. */
typedef struct values {
	int verbose;
	const char *rules;
	double l2;
	long folds;
	mql_time as_of;
	const char *label;
} values;

static const char *const labels[] = {"sal", "sql", NULL};

/* Runs mql_cli_parse on a NULL-ended argument list, with the command's
 * stdout and stderr sent to /dev/null.  Returns the exit code, or -1 when
 * the tool should go on. */
static int parse(mql_cli *cli, values *v, const char **words)
{
	const mql_option options[] = {
		{"verbose", 'v', MQL_OPTION_FLAG, &v->verbose, NULL, "more",
		 NULL},
		{"rules", 0, MQL_OPTION_STRING, &v->rules, "FILE", "rules",
		 NULL},
		{"l2", 0, MQL_OPTION_DOUBLE, &v->l2, "LAMBDA", "ridge", NULL},
		{"folds", 'k', MQL_OPTION_LONG, &v->folds, "K", "folds", NULL},
		{"as-of", 0, MQL_OPTION_TIME, &v->as_of, "DATE", "as of", NULL},
		{"label", 0, MQL_OPTION_CHOICE, &v->label, "STAGE", "label",
		 labels},
		MQL_OPTION_END,
	};
	const mql_command cmd = {
		.name = "mql-test",
		.synopsis = "contacts.csv [events.csv]",
		.purpose = "tests the plumbing",
		.example = "mql-test c.csv",
		.options = options,
		.min_args = 1,
		.max_args = 2,
		.tabular = 1,
		.reads_csv = 1,
	};
	static char storage[16][64];
	static char *argv[17];
	int argc = 0, code = -1, saved_out, saved_err, null_fd;
	for (; words[argc]; argc++) {
		snprintf(storage[argc], sizeof storage[argc], "%s",
			 words[argc]);
		argv[argc] = storage[argc];
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	dup2(null_fd, STDOUT_FILENO);
	dup2(null_fd, STDERR_FILENO);
	if (!mql_cli_parse(cli, &cmd, argc, argv, &code))
		;
	else
		code = -1;
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	close(null_fd);
	return code;
}

static void parses_each_kind(void)
{
	mql_cli cli;
	values v = {0};
	const char *words[] = {"mql-test", "a.csv",    "-v",	"--rules",
			       "r.json",   "--l2=0.5", "-k",	"10",
			       "--label",  "sql",      "b.csv", "--format",
			       "json",	   "-ox.out",  NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&cli, &v, words), -1);
	CU_ASSERT_EQUAL(v.verbose, 1);
	CU_ASSERT_STRING_EQUAL(v.rules, "r.json");
	CU_ASSERT_DOUBLE_EQUAL(v.l2, 0.5, 0);
	CU_ASSERT_EQUAL(v.folds, 10);
	CU_ASSERT_STRING_EQUAL(v.label, "sql");
	CU_ASSERT_EQUAL(cli.format, MQL_FORMAT_JSON);
	CU_ASSERT_STRING_EQUAL(cli.output_path, "x.out");
	CU_ASSERT_EQUAL(cli.arg_count, 2);
	CU_ASSERT_STRING_EQUAL(cli.args[0], "a.csv");
	CU_ASSERT_STRING_EQUAL(cli.args[1], "b.csv");
}

static void defaults_and_csv_options(void)
{
	mql_cli cli;
	values v = {0};
	const char *plain[] = {"mql-test", "-", NULL};
	const char *csv[] = {"mql-test", "--delimiter", ";",	  "--preset",
			     "hubspot",	 "--na",	"Select", "c.csv",
			     "--map",	 "m.json",	NULL};
	const char *tab[] = {"mql-test", "--delimiter=tab", "c.csv", NULL};
	CU_ASSERT_EQUAL_FATAL(parse(&cli, &v, plain), -1);
	CU_ASSERT_EQUAL(cli.format, MQL_FORMAT_TABLE);
	CU_ASSERT_PTR_NULL(cli.output_path);
	CU_ASSERT_EQUAL(cli.csv.delimiter, ',');
	CU_ASSERT_STRING_EQUAL(cli.args[0], "-"); /* stdin is an argument */
	CU_ASSERT_EQUAL_FATAL(parse(&cli, &v, csv), -1);
	CU_ASSERT_EQUAL(cli.csv.delimiter, ';');
	CU_ASSERT_STRING_EQUAL(cli.csv.preset, "hubspot");
	CU_ASSERT_STRING_EQUAL(cli.csv.na, "Select");
	CU_ASSERT_STRING_EQUAL(cli.csv.map_path, "m.json");
	CU_ASSERT_EQUAL_FATAL(parse(&cli, &v, tab), -1);
	CU_ASSERT_EQUAL(cli.csv.delimiter, '\t');
}

static void bad_values_exit_2(void)
{
	mql_cli cli;
	values v = {0};
	const char *cases[][5] = {
		{"mql-test", "a.csv", "--l2", "abc", NULL},
		{"mql-test", "a.csv", "--l2", "1e999", NULL},
		{"mql-test", "a.csv", "--l2", "nan", NULL},
		{"mql-test", "a.csv", "--l2=", NULL},
		{"mql-test", "a.csv", "--folds", "3.5", NULL},
		{"mql-test", "a.csv", "-k", "99999999999999999999", NULL},
		{"mql-test", "a.csv", "--label", "mql", NULL},
		{"mql-test", "a.csv", "--format", "xml", NULL},
		{"mql-test", "a.csv", "--delimiter", ";;", NULL},
		{"mql-test", "a.csv", "--rules", NULL},
		{"mql-test", "a.csv", "--verbose=1", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		CU_ASSERT_EQUAL(parse(&cli, &v, cases[i]), MQL_EXIT_USAGE);
}

static void unknown_option_and_wrong_counts_exit_2(void)
{
	mql_cli cli;
	values v = {0};
	const char *unknown_long[] = {"mql-test", "a.csv", "--frobnicate",
				      NULL};
	const char *unknown_short[] = {"mql-test", "a.csv", "-z", NULL};
	const char *too_few[] = {"mql-test", NULL};
	const char *too_many[] = {"mql-test", "a", "b", "c", NULL};
	const char *after_dashes[] = {"mql-test", "--", "--l2", NULL};
	CU_ASSERT_EQUAL(parse(&cli, &v, unknown_long), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL(parse(&cli, &v, unknown_short), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL(parse(&cli, &v, too_few), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL(parse(&cli, &v, too_many), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL(parse(&cli, &v, after_dashes), -1);
	CU_ASSERT_STRING_EQUAL(cli.args[0], "--l2");
}

static void date_option_reads_iso_dates(void)
{
	mql_cli cli;
	values v = {0};
	const char *good[] = {"mql-test", "a.csv", "--as-of", "2026-03-31",
			      NULL};
	const char *bad[] = {"mql-test", "a.csv", "--as-of", "31/03/2026",
			     NULL};
	CU_ASSERT_EQUAL(parse(&cli, &v, bad), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL_FATAL(parse(&cli, &v, good), -1);
	/* 2026-03-31 = day 20543 since 1970-01-01: 56 years with 14 leap
	 * days = 20454 days to 2026-01-01, plus 31 + 28 + 30. */
	CU_ASSERT_EQUAL(v.as_of, (mql_time)20543 * 86400);
}

static void help_and_version_exit_0(void)
{
	mql_cli cli;
	values v = {0};
	const char *help[] = {"mql-test", "--help", NULL};
	const char *short_help[] = {"mql-test", "-h", "--l2", "1", NULL};
	const char *version[] = {"mql-test", "--version", NULL};
	CU_ASSERT_EQUAL(parse(&cli, &v, help), MQL_EXIT_OK);
	CU_ASSERT_EQUAL(parse(&cli, &v, short_help), MQL_EXIT_OK);
	CU_ASSERT_EQUAL(parse(&cli, &v, version), MQL_EXIT_OK);
}

static void statuses_map_to_exit_codes(void)
{
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_OK), 0);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_INPUT), 65);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_NOFILE), 66);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_IO), 74);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_USAGE), 2);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_INTERNAL), 70);
	CU_ASSERT_EQUAL(mql_cli_exit_code(MQL_ERR_NOMEM), 70);
}

/* What run_stub saw and what it returns. */
typedef struct run_record {
	int calls;
	int status;	     /* returned, with "bad row" when not 0 */
	int error_was_clear; /* err->message was empty on entry */
	const char *first_arg;
} run_record;

static int run_stub(const mql_cli *cli, void *args, mql_error *err)
{
	run_record *r = args;
	r->calls++;
	r->error_was_clear = err->message[0] == '\0';
	r->first_arg = cli->arg_count > 0 ? cli->args[0] : NULL;
	if (r->status != MQL_OK)
		return mql_error_set(err, r->status, "c.csv", 3, 0, "bad row");
	return MQL_OK;
}

/* mql_cli_main over a NULL-ended argument list, stdout and stderr sent to
 * /dev/null. */
static int run_main(run_record *r, const char **words)
{
	static const mql_option none[] = {MQL_OPTION_END};
	const mql_command cmd = {.name = "mql-test",
				 .synopsis = "contacts.csv",
				 .purpose = "tests main",
				 .example = "mql-test c.csv",
				 .options = none,
				 .min_args = 1,
				 .max_args = 1};
	static char storage[8][64];
	static char *argv[9];
	int argc = 0, code, saved_out, saved_err, null_fd;
	for (; words[argc]; argc++) {
		snprintf(storage[argc], sizeof storage[argc], "%s",
			 words[argc]);
		argv[argc] = storage[argc];
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	null_fd = open("/dev/null", O_WRONLY);
	dup2(null_fd, STDOUT_FILENO);
	dup2(null_fd, STDERR_FILENO);
	code = mql_cli_main(&cmd, argc, argv, run_stub, r);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	close(null_fd);
	return code;
}

static void main_runs_and_maps_the_status(void)
{
	const char *good[] = {"mql-test", "c.csv", NULL};
	const char *help[] = {"mql-test", "--help", NULL};
	const char *too_few[] = {"mql-test", NULL};
	run_record r = {0};
	CU_ASSERT_EQUAL(run_main(&r, good), MQL_EXIT_OK);
	CU_ASSERT_EQUAL(r.calls, 1);
	CU_ASSERT(r.error_was_clear);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.first_arg);
	CU_ASSERT_STRING_EQUAL(r.first_arg, "c.csv");
	r.status = MQL_ERR_INPUT;
	CU_ASSERT_EQUAL(run_main(&r, good), MQL_EXIT_DATAERR);
	r.status = MQL_ERR_NOFILE;
	CU_ASSERT_EQUAL(run_main(&r, good), MQL_EXIT_NOINPUT);
	CU_ASSERT_EQUAL(r.calls, 3);
	/* --help and usage errors end before run */
	CU_ASSERT_EQUAL(run_main(&r, help), MQL_EXIT_OK);
	CU_ASSERT_EQUAL(run_main(&r, too_few), MQL_EXIT_USAGE);
	CU_ASSERT_EQUAL(r.calls, 3);
}

/* Points stderr at a fresh temporary file; returns the saved descriptor. */
static int capture_stderr(FILE **file)
{
	int saved = dup(STDERR_FILENO);
	fflush(stderr);
	*file = tmpfile();
	if (*file)
		dup2(fileno(*file), STDERR_FILENO);
	return saved;
}

/* Restores stderr and reads what was written to it into buf. */
static void release_stderr(int saved, FILE *file, char *buf, size_t n)
{
	size_t got = 0;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	buf[0] = '\0';
	if (!file)
		return;
	rewind(file);
	got = fread(buf, 1, n - 1, file);
	buf[got] = '\0';
	fclose(file);
}

static void unknown_contacts_warned_unless_quiet_or_none(void)
{
	const mql_command cmd = {.name = "mql-test"};
	mql_cli cli = {.command = &cmd};
	mql_events_stats stats = {.rows = 10, .unknown_contact = 3};
	char buf[128];
	FILE *file;
	int saved = capture_stderr(&file);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	mql_cli_warn_unknown_contacts(&cli, &stats);
	cli.quiet = 1;
	mql_cli_warn_unknown_contacts(&cli, &stats);
	cli.quiet = 0;
	stats.unknown_contact = 0;
	mql_cli_warn_unknown_contacts(&cli, &stats);
	release_stderr(saved, file, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(
		buf, "mql-test: 3 events of unknown contacts were skipped\n");
}

static void report_goes_where_the_output_does_not(void)
{
	mql_cli cli = {.output_path = NULL};
	mql_error err;
	CU_ASSERT_PTR_EQUAL(mql_cli_report_stream(&cli), stderr);
	cli.output_path = "-";
	CU_ASSERT_PTR_EQUAL(mql_cli_report_stream(&cli), stderr);
	cli.output_path = "model.json";
	CU_ASSERT_PTR_EQUAL(mql_cli_report_stream(&cli), stdout);
	CU_ASSERT_EQUAL(mql_cli_flush_stdout(&err), MQL_OK);
}

CU_TestInfo test_cli[] = {
	{"report goes where the output does not",
	 report_goes_where_the_output_does_not},
	{"unknown contacts warned unless quiet or none",
	 unknown_contacts_warned_unless_quiet_or_none},
	{"main runs and maps the status", main_runs_and_maps_the_status},
	{"parses each kind of option", parses_each_kind},
	{"defaults and csv options", defaults_and_csv_options},
	{"bad values exit 2", bad_values_exit_2},
	{"unknown option and wrong counts exit 2",
	 unknown_option_and_wrong_counts_exit_2},
	{"date option reads ISO dates", date_option_reads_iso_dates},
	{"help and version exit 0", help_and_version_exit_0},
	{"statuses map to exit codes", statuses_map_to_exit_codes},
	CU_TEST_INFO_NULL,
};
