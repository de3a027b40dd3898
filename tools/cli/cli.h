/*
 * cli.h - the command-line plumbing every tool shares.
 *
 * A tool describes itself with an mql_command (synopsis, purpose, example and
 * a declarative option table) and calls mql_cli_parse, which handles the
 * options every command has: --help, --version, --quiet, -o/--output FILE,
 * --format (when the command is tabular) and the CSV reading options
 * --delimiter, --map, --preset, --rejected-status, --na, --date-format,
 * --locale (when it reads CSV).
 * Messages follow git: "mql-fit: cannot open 'x.csv': No such file".
 */
#ifndef MQLCAL_CLI_H
#define MQLCAL_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/events.h>
#include <mqlcal/table.h>
#include <mqlcal/timeparse.h>

/* Exit codes of the spec (sysexits.h values). */
enum mql_exit {
	MQL_EXIT_OK = 0,
	MQL_EXIT_FAILURE = 1, /* the analysis found what the user asked about */
	MQL_EXIT_USAGE = 2,
	MQL_EXIT_DATAERR = 65,
	MQL_EXIT_NOINPUT = 66,
	MQL_EXIT_SOFTWARE = 70,
	MQL_EXIT_IOERR = 74
};

typedef enum mql_option_kind {
	MQL_OPTION_FLAG,   /* int *: set to 1 */
	MQL_OPTION_STRING, /* const char **: the argument */
	MQL_OPTION_DOUBLE, /* double *: checked strtod, whole string */
	MQL_OPTION_LONG,   /* long *: checked strtol, whole string */
	MQL_OPTION_TIME,   /* mql_time *: ISO 8601 date or date-time */
	MQL_OPTION_CHOICE, /* const char **: one of choices */
	MQL_OPTION_LIST,   /* mql_text_list *: each use adds its value */
	MQL_OPTION_INPUT,  /* const char **: a file the run reads */
	MQL_OPTION_OUTPUT  /* const char **: a file the run writes */
} mql_option_kind;

typedef struct mql_option {
	const char *long_name; /* "holdout-from" (without --) */
	char short_name;       /* 'o', or 0 */
	mql_option_kind kind;
	void *value;		    /* where the parsed value goes */
	const char *arg_name;	    /* "DATE" in the help, NULL for flags */
	const char *help;	    /* one line; ending in ':', help lists
				       the choices after it */
	const char *const *choices; /* NULL-ended, for MQL_OPTION_CHOICE: a
				       libcore vocabulary (mql_x_names),
				       also named in its usage error */
} mql_option;

#define MQL_OPTION_END                                                         \
	{                                                                      \
		NULL, 0, MQL_OPTION_FLAG, NULL, NULL, NULL, NULL               \
	}

typedef struct mql_command {
	const char *name;     /* "mql-fit" */
	const char *synopsis; /* "contacts.csv [events.csv] [options]" */
	const char *purpose;  /* one line */
	const char *example;  /* a full command line */
	const mql_option
		*options;	/* the command's own, ended by MQL_OPTION_END */
	int min_args, max_args; /* positional arguments; max -1 = no limit */
	int tabular;		/* accepts --format */
	int reads_csv;		/* accepts the CSV reading options */
	int output_is_file;	/* -o is a file of its own (JSON, SQL), on
				   stdout without -o: never laid out */
	int leading_words;	/* the first positional arguments that are
				   words (mql-sql's query), not files: an
				   output may bear their name */
} mql_command;

/* What the common options set, and the positional arguments. */
typedef struct mql_cli {
	const mql_command *command;
	const char *output_path; /* -o FILE, NULL = stdout */
	mql_format format;	 /* --format, MQL_FORMAT_TABLE by default */
	int quiet;		 /* --quiet */
	int wide;		 /* --wide: text not fitted to the width */
	size_t text_width;	 /* characters text fits, 0 = any */
	FILE *real_stdout;	 /* stdout when a wrapping stream replaced
				    it, else NULL */
	mql_csv_options csv; /* --delimiter --map --preset --na --date-format
				--locale */
	char **args;	     /* positional arguments (into argv) */
	int arg_count;
} mql_cli;

/*
 * Parses argv.  Returns 1 when the tool should go on; 0 when it should exit
 * with *exit_code (after --help or --version: 0; usage errors: 2, with the
 * message and synopsis printed to stderr).  An output (-o or an
 * MQL_OPTION_OUTPUT) that is the same file as an input (a positional
 * argument or an MQL_OPTION_INPUT, --map) is a usage error too:
 * "mql-x: refusing to write 'x.csv': it is an input of this run".
 */
int mql_cli_parse(mql_cli *cli, const mql_command *cmd, int argc, char **argv,
		  int *exit_code);

/* Prints the help (synopsis, purpose, options, example) to stdout. */
void mql_cli_help(const mql_command *cmd);

/* "mql-x: message" to stderr, with a printf format.  For usage errors too. */
void mql_cli_warn(const mql_cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Prints err as "mql-x: file:line:col: message" to stderr and returns the
 * exit code for status (65 input, 66 no file, 74 I/O, 70 otherwise, 2 usage).
 */
int mql_cli_fail(const mql_cli *cli, int status, const mql_error *err);

/*
 * The characters a terminal's text fits: the COLUMNS environment variable
 * when it is a positive number, else the width of the terminal stdout is
 * (TIOCGWINSZ), else 100; never under 20.  Cannot fail.
 */
size_t mql_cli_text_width(void);

/*
 * Before the run: unless --wide, sets the width of every table
 * (mql_table_set_default_width) to mql_cli_text_width, and, when stdout
 * takes text in table format (not a file of the command's own format),
 * replaces stdout by a stream that wraps each longer line at a space, its
 * continuation indented.  Nothing happens to stdout when the stream cannot
 * be made.  Cannot fail.
 */
void mql_cli_text_begin(mql_cli *cli);

/* After the run: restores stdout, writing what the wrapping stream held.
 * Returns 0, or MQL_ERR_IO when stdout cannot be written. */
int mql_cli_text_end(mql_cli *cli);

/* What a tool does once its options are parsed: returns a libcore status,
 * with err filled when it is not 0.  args is the tool's own option values. */
typedef int (*mql_cli_run_fn)(const mql_cli *cli, void *args, mql_error *err);

/*
 * A tool's main after its option table: parses argv for cmd (and returns
 * the parser's exit code after --help, --version or a usage error), makes
 * SIGINT, SIGTERM and SIGHUP remove the outputs' temporary files before
 * they kill the process (mql_outfile_remove_temporaries), then calls
 * run(cli, args, err) with a cleared error record.  Returns 0 when run
 * returns 0; otherwise prints the error as mql_cli_fail does and returns its
 * exit code.
 */
int mql_cli_main(const mql_command *cmd, int argc, char **argv,
		 mql_cli_run_fn run, void *args);

/* The stream for a report that accompanies the main output: stdout, or
 * stderr when the main output (-o absent or "-") takes stdout itself. */
FILE *mql_cli_report_stream(const mql_cli *cli);

/* Flushes stdout and checks it.  Returns 0, or MQL_ERR_IO with err filled
 * ("cannot write to stdout"), so a full disk or closed pipe is an error. */
int mql_cli_flush_stdout(mql_error *err);

/* Exit code for a libcore status. */
int mql_cli_exit_code(int status);

/* True when progress should be shown (stderr is a terminal, not --quiet). */
int mql_cli_progress_enabled(const mql_cli *cli);

/* Erases the progress line, when progress is shown at all. */
void mql_cli_end_progress(const mql_cli *cli);

/* After the contacts are read: "mql-x: N leads have stages dated out of
 * order" on stderr, unless --quiet or leads is 0.  Such a lead counts at
 * each stage it has a date for; none of its waits is measured. */
void mql_cli_warn_out_of_order(const mql_cli *cli, size_t leads);

/* After the events file is read: "mql-x: N events of unknown contacts were
 * skipped" and "mql-x: N member rows that did not respond were skipped (not
 * events)" on stderr, each unless --quiet or there were none. */
void mql_cli_warn_unknown_contacts(const mql_cli *cli,
				   const mql_events_stats *stats);

#endif
