/*
 * mql-gen - writes a synthetic B2B lead history with a known truth into a
 * directory: contacts.csv, events.csv, spend.csv, rules.json, truth.json.
 * Each file goes through a temporary file and is renamed into place only
 * when every file has been written.  The time and random orders sort the
 * events through a scratch file in DIR, unlinked as soon as it is open.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include <mqlcal/gen.h>
#include <mqlcal/outfile.h>

enum { OUT_CONTACTS, OUT_EVENTS, OUT_SPEND, OUT_RULES, OUT_TRUTH, OUT_COUNT };

static const char *const file_names[OUT_COUNT] = {
	"contacts.csv", "events.csv", "spend.csv", "rules.json", "truth.json"};

/* Creates dir unless it exists.  Returns 0 or MQL_ERR_IO. */
static int make_directory(const char *dir, mql_error *err)
{
	struct stat st;
	if (mkdir(dir, 0777) == 0 ||
	    (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)))
		return MQL_OK;
	return mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
			     "cannot create the output directory: %s",
			     strerror(errno));
}

static int open_outputs(mql_outfile *files, const char *dir, mql_error *err)
{
	for (int i = 0; i < OUT_COUNT; i++) {
		char path[4096];
		int n = snprintf(path, sizeof path, "%s/%s", dir,
				 file_names[i]);
		if (n < 0 || (size_t)n >= sizeof path)
			return mql_error_set(err, MQL_ERR_USAGE, dir, 0, 0,
					     "output directory name too long");
		if (mql_outfile_open(&files[i], path, err))
			return MQL_ERR_IO;
	}
	return MQL_OK;
}

static int commit_outputs(mql_outfile *files, mql_error *err)
{
	for (int i = 0; i < OUT_COUNT; i++)
		if (mql_outfile_commit(&files[i], err))
			return MQL_ERR_IO;
	return MQL_OK;
}

/* Opens an unlinked scratch file in dir into *out.  Returns 0,
 * MQL_ERR_USAGE or MQL_ERR_IO. */
static int open_scratch(FILE **out, const char *dir, mql_error *err)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/.events-sort.tmp", dir);
	if (n < 0 || (size_t)n >= sizeof path)
		return mql_error_set(err, MQL_ERR_USAGE, dir, 0, 0,
				     "output directory name too long");
	*out = fopen(path, "w+b");
	if (!*out)
		return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
				     "cannot create the sort's scratch file: "
				     "%s",
				     strerror(errno));
	remove(path); /* the open stream keeps it until closed */
	return MQL_OK;
}

/* Index of name in names (NULL-ended); names are checked by the parser. */
static int choice_index(const char *const *names, const char *name)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return 0;
}

/* "mql-gen: 45% (450000 of 1000000 contacts)" on one rewritten line. */
static void show_progress(void *ctx, long done, long total)
{
	(void)ctx;
	fprintf(stderr, "\rmql-gen: %3ld%% (%ld of %ld contacts)",
		total ? 100 * done / total : 100, done, total);
	if (done == total)
		fputc('\n', stderr);
}

static void print_summary(const mql_gen_summary *s, const char *dir)
{
	fprintf(stderr,
		"mql-gen: %ld contacts, %lld events, %ld MQLs (%ld accepted, "
		"%ld rejected, %ld open), %ld customers, %ld spend rows in "
		"'%s'\n",
		s->contacts, s->events, s->mql, s->accepted, s->rejected,
		s->open, s->customers, s->spend_rows, dir);
}

/* The option values. */
typedef struct gen_args {
	long contacts, seed;
	int drift;
	double event_scale;
	const char *order, *ids;
} gen_args;

/* Checks the options, writes the five files into -o DIR, sums them up. */
static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const gen_args *a = args;
	mql_gen_options opt;
	mql_outfile files[OUT_COUNT];
	mql_gen_summary summary;
	const char *dir = cli->output_path;
	if (!dir || strcmp(dir, "-") == 0)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "-o DIR is required (five files are "
				     "written into it)");
	if (a->seed < 0)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--seed must be >= 0, not %ld", a->seed);
	mql_gen_options_init(&opt);
	opt.contacts = a->contacts;
	opt.seed = (unsigned long)a->seed;
	opt.drift = a->drift;
	opt.event_scale = a->event_scale;
	opt.order = (mql_gen_order)choice_index(mql_gen_order_names, a->order);
	opt.ids = (mql_gen_ids)choice_index(mql_gen_ids_names, a->ids);
	if (mql_cli_progress_enabled(cli) && a->contacts >= 100000)
		opt.progress = show_progress;
	memset(files, 0, sizeof files);
	FILE *scratch = NULL;
	int status = make_directory(dir, err);
	if (!status)
		status = open_outputs(files, dir, err);
	if (!status && opt.order != MQL_GEN_ORDER_CONTACT)
		status = open_scratch(&scratch, dir, err);
	if (!status) {
		mql_gen_outputs out = {
			files[OUT_CONTACTS].fp, files[OUT_EVENTS].fp,
			files[OUT_SPEND].fp,	files[OUT_RULES].fp,
			files[OUT_TRUTH].fp,	scratch};
		status = mql_gen_run(&opt, &out, &summary, err);
	}
	if (scratch)
		fclose(scratch);
	if (!status)
		status = commit_outputs(files, err);
	for (int i = 0; i < OUT_COUNT; i++)
		mql_outfile_abort(&files[i]);
	if (!status && !cli->quiet)
		print_summary(&summary, dir);
	return status;
}

int main(int argc, char **argv)
{
	gen_args a = {.contacts = 1000,
		      .seed = 1,
		      .event_scale = 1.0,
		      .order = "contact",
		      .ids = "text"};
	const mql_option options[] = {
		{"contacts", 'n', MQL_OPTION_LONG, &a.contacts, "N",
		 "number of leads (default 1000)", NULL},
		{"seed", 's', MQL_OPTION_LONG, &a.seed, "S",
		 "random seed: the same seed gives the same bytes (default 1)",
		 NULL},
		{"drift", 0, MQL_OPTION_FLAG, &a.drift, NULL,
		 "draw the last quarter's leads from a shifted population",
		 NULL},
		{"event-scale", 0, MQL_OPTION_DOUBLE, &a.event_scale, "F",
		 "multiply every event rate by F (default 1: ~50 per contact)",
		 NULL},
		{"order", 0, MQL_OPTION_CHOICE, &a.order, "ORDER",
		 "events.csv's rows by contact (default), by time as exports "
		 "list them, or shuffled",
		 mql_gen_order_names},
		{"ids", 0, MQL_OPTION_CHOICE, &a.ids, "SHAPE",
		 "contact ids as text (C0000001, default), integer record "
		 "numbers or 18-character Salesforce ids",
		 mql_gen_ids_names},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-gen",
		.synopsis = "--contacts N --seed S -o DIR [options]",
		.purpose =
			"write a synthetic B2B lead history with a known truth",
		.example = "mql-gen --contacts 20000 --seed 1 -o history",
		.options = options,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
