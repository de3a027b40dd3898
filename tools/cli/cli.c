/*
 * cli.c - option parsing, help, messages and exit codes for every tool
 * (see cli.h).
 *
 * Options are matched by hand rather than with getopt_long so that every
 * message has the project's form and names the command.  Positional
 * arguments are gathered at the front of argv (after argv[0]), in order.
 */
#include "cli.h"
#include <mqlcal/format_text.h>
#include <mqlcal/locale.h>
#include <mqlcal/outfile.h>
#include <mqlcal/progress.h>

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const format_choices[] = {"table", "csv",  "json",
					     "md",    "html", NULL};

/* Where the common options go while parsing. */
typedef struct common_values {
	int help, version, quiet, wide;
	const char *output, *format, *delimiter;
} common_values;

/* A table row for each common option, filled per command. */
static size_t common_options(mql_option *out, const mql_command *cmd,
			     common_values *v, mql_cli *cli)
{
	size_t n = 0;
	out[n++] = (mql_option){"help",	  'h',	MQL_OPTION_FLAG,
				&v->help, NULL, "show this help and exit",
				NULL};
	out[n++] = (mql_option){"version",   0,	   MQL_OPTION_FLAG,
				&v->version, NULL, "show the version and exit",
				NULL};
	out[n++] = (mql_option){
		"quiet",   'q',	 MQL_OPTION_FLAG,
		&v->quiet, NULL, "no progress or summaries on stderr",
		NULL};
	out[n++] = (mql_option){"wide",
				0,
				MQL_OPTION_FLAG,
				&v->wide,
				NULL,
				"print tables and text whole instead of "
				"fitting them to COLUMNS",
				NULL};
	out[n++] = (mql_option){"output",
				'o',
				MQL_OPTION_OUTPUT,
				&v->output,
				"FILE",
				"write to FILE (a regular file is replaced "
				"atomically)",
				NULL};
	if (cmd->tabular)
		out[n++] = (mql_option){
			"format",	   0,
			MQL_OPTION_CHOICE, &v->format,
			"FORMAT",	   "output format, default table:",
			format_choices};
	if (cmd->reads_csv) {
		out[n++] = (mql_option){"delimiter",
					0,
					MQL_OPTION_STRING,
					&v->delimiter,
					"CHAR",
					"CSV field separator, 'tab' for tabs "
					"(default: the one of ',', tab, ';' "
					"and '|' that splits the header most)",
					NULL};
		out[n++] = (mql_option){"map",
					0,
					MQL_OPTION_INPUT,
					&cli->csv.map_path,
					"FILE",
					"JSON object renaming columns",
					NULL};
		out[n++] = (mql_option){"preset",
					0,
					MQL_OPTION_CHOICE,
					&cli->csv.preset,
					"CRM",
					"columns of a CRM export (see below):",
					mql_csv_presets};
		out[n++] = (mql_option){"rejected-status",
					0,
					MQL_OPTION_LIST,
					&cli->csv.rejected_status,
					"VALUE",
					"a lead_status that means rejected by "
					"sales (repeatable)",
					NULL};
		out[n++] = (mql_option){
			"na",	      0,      MQL_OPTION_STRING,
			&cli->csv.na, "TEXT", "treat TEXT as a missing value",
			NULL};
		out[n++] = (mql_option){"date-format",
					0,
					MQL_OPTION_STRING,
					&cli->csv.date_format,
					"FMT",
					"read dates like FMT (%d.%m.%Y %H:%M)",
					NULL};
		out[n++] = (mql_option){"locale",
					0,
					MQL_OPTION_CHOICE,
					&cli->csv.locale,
					"LOCALE",
					"dates and numbers as LOCALE writes "
					"them:",
					mql_locale_names};
		out[n++] = (mql_option){"encoding",
					0,
					MQL_OPTION_CHOICE,
					&cli->csv.encoding,
					"NAME",
					"text encoding of the CSV files, "
					"default utf-8:",
					mql_csv_encodings};
	}
	return n;
}

#define MAX_COMMON 16

void mql_cli_warn(const mql_cli *cli, const char *fmt, ...)
{
	va_list ap;
	const char *name = cli && cli->command ? cli->command->name : "mql";
	if (cli && cli->csv.progress)
		fputs("\r\033[K", stderr); /* over the progress line */
	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The usage error: message, synopsis, and where to find more. */
static int usage_error(const mql_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const mql_cli *cli, const char *fmt, ...)
{
	va_list ap;
	const mql_command *cmd = cli->command;
	fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s %s\nTry '%s --help' for more.\n",
		cmd->name, cmd->synopsis ? cmd->synopsis : "", cmd->name);
	return MQL_EXIT_USAGE;
}

/* "--name ARG" or "-n, --name ARG" as help shows it. */
static void option_label(const mql_option *o, char *buf, size_t n)
{
	if (o->short_name)
		snprintf(buf, n, "-%c, --%s%s%s", o->short_name, o->long_name,
			 o->arg_name ? " " : "",
			 o->arg_name ? o->arg_name : "");
	else
		snprintf(buf, n, "    --%s%s%s", o->long_name,
			 o->arg_name ? " " : "",
			 o->arg_name ? o->arg_name : "");
}

/* The options' help lines; a help ending in ':' is followed by the
 * option's choices. */
static void print_options(const mql_option *options)
{
	char label[128], choices[512];
	for (const mql_option *o = options; o && o->long_name; o++) {
		const char *help = o->help ? o->help : "";
		size_t length = strlen(help);
		option_label(o, label, sizeof label);
		printf("  %-28s %s", label, help);
		if (o->choices && length && help[length - 1] == ':')
			printf(" %s", mql_text_join_names(o->choices, choices,
							  sizeof choices));
		putchar('\n');
	}
}

/* Prints the renames of preset whose file is (events) or is not an
 * activity export, a line per mqlcal name: "    A, B -> name: what".
 * Returns the number of names. */
static size_t print_preset_lines(const char *preset, int events)
{
	size_t printed = 0;
	mql_csv_preset_line line, last = {NULL, NULL, NULL, NULL, 0};
	for (size_t i = 0; mql_csv_preset_entry(preset, i, &line) == 0; i++) {
		if (line.events != events)
			continue;
		int same_shape =
			last.shape && strcmp(last.shape, line.shape) == 0;
		if (same_shape && strcmp(last.to, line.to) == 0) {
			printf(", %s", line.from);
			continue;
		}
		if (last.to)
			printf(" -> %s: %s\n", last.to, last.meaning);
		if (!same_shape)
			printf("   %s\n", line.shape);
		printf("      %s", line.from);
		last = line;
		printed++;
	}
	if (last.to)
		printf(" -> %s: %s\n", last.to, last.meaning);
	return printed;
}

/* The columns each preset renames, from the presets' own tables. */
static void print_presets(void)
{
	printf("\npresets: --preset CRM renames an export's columns (labels or "
	       "internal names):\n");
	for (const char *const *p = mql_csv_presets; *p; p++) {
		printf("  %s\n", *p);
		if (!print_preset_lines(*p, 0))
			printf("   contacts: read as they are (its activity "
			       "export is below)\n");
	}
	printf("  activity exports, read as events files under any preset\n");
	print_preset_lines(mql_csv_presets[0], 1);
}

void mql_cli_help(const mql_command *cmd)
{
	mql_option common[MAX_COMMON + 1];
	common_values v;
	mql_cli scratch;
	size_t n = common_options(common, cmd, &v, &scratch);
	common[n] = (mql_option)MQL_OPTION_END;
	printf("usage: %s %s\n\n%s\n", cmd->name,
	       cmd->synopsis ? cmd->synopsis : "",
	       cmd->purpose ? cmd->purpose : "");
	if (cmd->options && cmd->options[0].long_name) {
		printf("\noptions:\n");
		print_options(cmd->options);
	}
	printf("\ncommon options:\n");
	print_options(common);
	if (cmd->reads_csv)
		print_presets();
	if (cmd->example)
		printf("\nexample:\n  %s\n", cmd->example);
}

/* Stores text as the value of option o; returns an exit code or -1 = ok. */
static int store_value(const mql_cli *cli, const mql_option *o,
		       const char *text)
{
	char *end;
	switch (o->kind) {
	case MQL_OPTION_FLAG: *(int *)o->value = 1; return -1;
	case MQL_OPTION_STRING:
	case MQL_OPTION_INPUT:
	case MQL_OPTION_OUTPUT: *(const char **)o->value = text; return -1;
	case MQL_OPTION_DOUBLE: {
		double number;
		errno = 0;
		number = strtod(text, &end);
		if (end == text || *end != '\0' || errno == ERANGE ||
		    !isfinite(number))
			return usage_error(cli,
					   "option '--%s' expects a number, "
					   "got '%s'",
					   o->long_name, text);
		*(double *)o->value = number;
		return -1;
	}
	case MQL_OPTION_LONG: {
		long number;
		errno = 0;
		number = strtol(text, &end, 10);
		if (end == text || *end != '\0' || errno == ERANGE)
			return usage_error(cli,
					   "option '--%s' expects an integer, "
					   "got '%s'",
					   o->long_name, text);
		*(long *)o->value = number;
		return -1;
	}
	case MQL_OPTION_TIME: {
		mql_time when;
		if (mql_time_parse_iso(&when, text, strlen(text), NULL) != 0)
			return usage_error(cli,
					   "option '--%s' expects a date "
					   "(YYYY-MM-DD or ISO 8601), got '%s'",
					   o->long_name, text);
		*(mql_time *)o->value = when;
		return -1;
	}
	case MQL_OPTION_LIST: {
		mql_text_list *list = o->value;
		if (list->count == MQL_CSV_MAX_TEXTS || !text[0])
			return usage_error(cli,
					   "option '--%s' takes at most %d "
					   "non-empty values",
					   o->long_name, MQL_CSV_MAX_TEXTS);
		list->text[list->count++] = text;
		return -1;
	}
	case MQL_OPTION_CHOICE: {
		char choices[512];
		for (const char *const *c = o->choices; c && *c; c++) {
			if (strcmp(*c, text) == 0) {
				*(const char **)o->value = *c;
				return -1;
			}
		}
		return usage_error(
			cli, "option '--%s' does not accept '%s' (expected %s)",
			o->long_name, text,
			mql_text_join_names(o->choices, choices,
					    sizeof choices));
	}
	}
	return usage_error(cli, "option '--%s' is misdeclared", o->long_name);
}

/* The option named by arg in either table, or NULL. */
static const mql_option *find_option(const mql_option *own,
				     const mql_option *common, const char *name,
				     size_t name_len, char short_name)
{
	const mql_option *tables[2] = {own, common};
	for (int t = 0; t < 2; t++) {
		for (const mql_option *o = tables[t]; o && o->long_name; o++) {
			if (short_name ? o->short_name == short_name
				       : strlen(o->long_name) == name_len &&
						 strncmp(o->long_name, name,
							 name_len) == 0)
				return o;
		}
	}
	return NULL;
}

/*
 * Parses the option at argv[*i], consuming its argument if it takes one.
 * Returns -1 when fine, else the exit code.
 */
static int parse_option(const mql_cli *cli, const mql_option *own,
			const mql_option *common, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *inline_value = NULL;
	const mql_option *o;
	if (arg[1] == '-') {
		const char *name = arg + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		inline_value = eq ? eq + 1 : NULL;
		o = find_option(own, common, name, len, 0);
		if (!o)
			return usage_error(cli, "unknown option '--%.*s'",
					   (int)len, name);
	} else {
		o = find_option(own, common, NULL, 0, arg[1]);
		if (!o)
			return usage_error(cli, "unknown option '-%c'", arg[1]);
		if (arg[2] != '\0')
			inline_value = arg + 2;
	}
	if (o->kind == MQL_OPTION_FLAG) {
		if (inline_value)
			return usage_error(cli, "option '--%s' takes no value",
					   o->long_name);
		return store_value(cli, o, NULL);
	}
	if (!inline_value) {
		if (*i + 1 >= argc)
			return usage_error(cli, "option '--%s' needs a value",
					   o->long_name);
		inline_value = argv[++*i];
	}
	return store_value(cli, o, inline_value);
}

/* Applies --format and --delimiter; returns -1 or an exit code. */
static int apply_common(mql_cli *cli, const common_values *v)
{
	cli->quiet = v->quiet;
	cli->wide = v->wide;
	cli->output_path = v->output;
	if (v->format)
		mql_format_parse(v->format, &cli->format);
	if (v->delimiter) {
		cli->csv.sniff_delimiter = 0;
		if (strcmp(v->delimiter, "tab") == 0 ||
		    strcmp(v->delimiter, "\\t") == 0)
			cli->csv.delimiter = '\t';
		else if (strlen(v->delimiter) == 1 &&
			 strchr("\"\r\n", v->delimiter[0]) == NULL)
			cli->csv.delimiter = v->delimiter[0];
		else
			return usage_error(cli,
					   "option '--delimiter' expects one "
					   "character, got '%s'",
					   v->delimiter);
	}
	return -1;
}

static int check_arg_count(const mql_cli *cli, const mql_command *cmd)
{
	if (cli->arg_count < cmd->min_args)
		return usage_error(cli,
				   "expected at least %d argument%s, got %d",
				   cmd->min_args, cmd->min_args == 1 ? "" : "s",
				   cli->arg_count);
	if (cmd->max_args >= 0 && cli->arg_count > cmd->max_args)
		return usage_error(cli,
				   "expected at most %d argument%s, got %d",
				   cmd->max_args, cmd->max_args == 1 ? "" : "s",
				   cli->arg_count);
	return -1;
}

static void init_cli(mql_cli *cli, const mql_command *cmd, char **argv)
{
	memset(cli, 0, sizeof *cli);
	cli->command = cmd;
	cli->format = MQL_FORMAT_TABLE;
	cli->csv.delimiter = ',';
	cli->csv.sniff_delimiter = 1; /* until --delimiter names one */
	cli->args = argv + 1;
}

/* Refuses output when it is the same file as an input: a positional
 * argument past the command's leading words or an MQL_OPTION_INPUT of
 * tables.  Returns -1 or an exit code. */
static int refuse_output(const mql_cli *cli, const char *output,
			 const mql_option *const *tables)
{
	mql_error err;
	int words = cli->command->leading_words;
	if (words > cli->arg_count)
		words = cli->arg_count;
	int status = mql_outfile_check_inputs(
		output, (const char *const *)cli->args + words,
		(size_t)(cli->arg_count - words), &err);
	for (int t = 0; t < 2 && status == MQL_OK; t++)
		for (const mql_option *o = tables[t]; o && o->long_name; o++)
			if (status == MQL_OK && o->kind == MQL_OPTION_INPUT)
				status = mql_outfile_check_inputs(
					output, (const char *const *)o->value,
					1, &err);
	if (status == MQL_OK)
		return -1;
	mql_cli_warn(cli, "%s", err.message);
	return MQL_EXIT_USAGE;
}

/* Checks every MQL_OPTION_OUTPUT (-o among them) against the inputs and
 * against each other, before any work is done.  Returns -1 or an exit
 * code. */
static int refuse_outputs_onto_inputs(const mql_cli *cli, const mql_option *own,
				      const mql_option *common)
{
	const mql_option *const tables[2] = {own, common};
	const char *outputs[8];
	size_t count = 0;
	int code = -1;
	for (int t = 0; t < 2; t++)
		for (const mql_option *o = tables[t]; o && o->long_name; o++)
			if (o->kind == MQL_OPTION_OUTPUT) {
				const char *path =
					*(const char *const *)o->value;
				if (code < 0)
					code = refuse_output(cli, path, tables);
				if (count < sizeof outputs / sizeof *outputs)
					outputs[count++] = path;
			}
	mql_error err;
	for (size_t i = 0; code < 0 && i < count; i++)
		for (size_t j = i + 1; code < 0 && j < count; j++)
			if (mql_outfile_check_distinct(outputs[i], outputs[j],
						       &err) != MQL_OK) {
				mql_cli_warn(cli, "%s", err.message);
				code = MQL_EXIT_USAGE;
			}
	return code;
}

int mql_cli_parse(mql_cli *cli, const mql_command *cmd, int argc, char **argv,
		  int *exit_code)
{
	mql_option common[MAX_COMMON + 1];
	common_values v = {0};
	int code = -1, only_args = 0;
	size_t n;

	/* GSL's default handler aborts; every GSL status is checked instead. */
	gsl_set_error_handler_off();
	init_cli(cli, cmd, argv);
	n = common_options(common, cmd, &v, cli);
	common[n] = (mql_option)MQL_OPTION_END;
	for (int i = 1; i < argc && code < 0; i++) {
		const char *arg = argv[i];
		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			cli->args[cli->arg_count++] = argv[i];
		} else if (strcmp(arg, "--") == 0) {
			only_args = 1;
		} else {
			code = parse_option(cli, cmd->options, common, argc,
					    argv, &i);
		}
	}
	if (code < 0 && v.help) {
		mql_cli_help(cmd);
		code = MQL_EXIT_OK;
	} else if (code < 0 && v.version) {
		printf("%s (mqlcal) %s\n", cmd->name, MQL_VERSION);
		code = MQL_EXIT_OK;
	}
	if (code < 0)
		code = apply_common(cli, &v);
	if (code < 0)
		code = check_arg_count(cli, cmd);
	if (code < 0)
		code = refuse_outputs_onto_inputs(cli, cmd->options, common);
	if (code >= 0) {
		*exit_code = code;
		return 0;
	}
	*exit_code = MQL_EXIT_OK;
	return 1;
}

FILE *mql_cli_report_stream(const mql_cli *cli)
{
	int output_on_stdout =
		!cli->output_path || strcmp(cli->output_path, "-") == 0;
	return output_on_stdout ? stderr : stdout;
}

int mql_cli_flush_stdout(mql_error *err)
{
	if (fflush(stdout) != 0)
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write to stdout");
	return MQL_OK;
}

int mql_cli_exit_code(int status)
{
	switch (status) {
	case MQL_OK: return MQL_EXIT_OK;
	case MQL_ERR_IO: return MQL_EXIT_IOERR;
	case MQL_ERR_INPUT: return MQL_EXIT_DATAERR;
	case MQL_ERR_NOFILE: return MQL_EXIT_NOINPUT;
	case MQL_ERR_USAGE: return MQL_EXIT_USAGE;
	default: return MQL_EXIT_SOFTWARE;
	}
}

int mql_cli_fail(const mql_cli *cli, int status, const mql_error *err)
{
	char buf[1200];
	if (err && err->message[0])
		mql_cli_warn(cli, "%s", mql_error_format(err, buf, sizeof buf));
	else
		mql_cli_warn(cli, "%s", mql_strerror(status));
	return mql_cli_exit_code(status);
}

/*
 * Removes the outputs' temporary files, then dies of sig: its default
 * action is restored and the signal, blocked while this handler runs, is
 * delivered when it returns, so the exit status names the signal.
 */
static void remove_temporaries_and_die(int sig)
{
	struct sigaction default_action;
	mql_outfile_remove_temporaries();
	memset(&default_action, 0, sizeof default_action);
	default_action.sa_handler = SIG_DFL;
	sigemptyset(&default_action.sa_mask);
	sigaction(sig, &default_action, NULL);
	raise(sig);
}

/* Installs remove_temporaries_and_die for the signals that end a run,
 * except those the caller ignores (nohup, a background shell). */
static void catch_fatal_signals(void)
{
	static const int fatal[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction action, old;
	memset(&action, 0, sizeof action);
	action.sa_handler = remove_temporaries_and_die;
	sigemptyset(&action.sa_mask);
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		if (sigaction(fatal[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(fatal[i], &action, NULL);
}

/*
 * The progress line of a file being read (progress.h):
 * "mql-fit: reading events.csv  45% of 35.6 MB, 12.3 MB/s, 2 s left",
 * over the line before it.
 */
static void show_bytes_read(void *context, const char *path, uint64_t done,
			    uint64_t total, double seconds)
{
	const mql_cli *cli = context;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	double rate = seconds > 0 ? (double)done / seconds : 0.0;
	fprintf(stderr, "\r%s: reading %s", cli->command->name, name);
	if (total > 0)
		fprintf(stderr, " %3u%% of %.1f MB",
			(unsigned)(done * 100 / total), (double)total / 1e6);
	else
		fprintf(stderr, " %.1f MB", (double)done / 1e6);
	if (rate > 0)
		fprintf(stderr, ", %.1f MB/s", rate / 1e6);
	if (total > 0 && rate > 0 && done < total)
		fprintf(stderr, ", %.0f s left", (double)(total - done) / rate);
	fputs("\033[K", stderr); /* erase what a longer line left */
}

int mql_cli_main(const mql_command *cmd, int argc, char **argv,
		 mql_cli_run_fn run, void *args)
{
	mql_cli cli;
	mql_error err;
	int exit_code, status;
	if (!mql_cli_parse(&cli, cmd, argc, argv, &exit_code))
		return exit_code;
	catch_fatal_signals();
	mql_error_clear(&err);
	mql_csv_notes notes;
	mql_csv_notes_init(&notes);
	cli.csv.notes = &notes;
	if (mql_cli_progress_enabled(&cli))
		cli.csv.progress = mql_progress_new(show_bytes_read, &cli);
	mql_cli_text_begin(&cli);
	status = run(&cli, args, &err);
	mql_cli_end_progress(&cli);
	mql_progress_free(cli.csv.progress);
	cli.csv.progress = NULL;
	if (mql_cli_text_end(&cli) != MQL_OK && status == MQL_OK)
		status = mql_error_set(&err, MQL_ERR_IO, NULL, 0, 0,
				       "cannot write to stdout");
	for (size_t i = 0; i < notes.count && !cli.quiet; i++)
		mql_cli_warn(&cli, "note: skipped %s (%ld line%s) at %s:%ld",
			     mql_csv_note_what(notes.notes[i].kind),
			     notes.notes[i].lines,
			     notes.notes[i].lines == 1 ? "" : "s",
			     notes.notes[i].path, notes.notes[i].line);
	mql_csv_notes_destroy(&notes);
	if (status != MQL_OK)
		return mql_cli_fail(&cli, status, &err);
	return MQL_EXIT_OK;
}

int mql_cli_progress_enabled(const mql_cli *cli)
{
	return !cli->quiet && isatty(STDERR_FILENO);
}

void mql_cli_end_progress(const mql_cli *cli)
{
	/* carriage return, then erase to the end of the line */
	if (mql_cli_progress_enabled(cli))
		fputs("\r\033[K", stderr);
}

void mql_cli_warn_out_of_order(const mql_cli *cli, size_t leads)
{
	if (!cli->quiet && leads > 0)
		mql_cli_warn(cli, "%zu leads have stages dated out of order",
			     leads);
}

void mql_cli_warn_unknown_contacts(const mql_cli *cli,
				   const mql_events_stats *stats)
{
	if (!cli->quiet && stats->unknown_contact > 0)
		mql_cli_warn(cli, "%zu events of unknown contacts were skipped",
			     stats->unknown_contact);
	if (!cli->quiet && stats->not_responded > 0)
		mql_cli_warn(cli,
			     "%zu member rows that did not respond were "
			     "skipped (not events)",
			     stats->not_responded);
}
