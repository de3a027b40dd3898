/*
 * mql-review-page - the quarterly review's summary page (index.html) from
 * the outputs its commands wrote into the review's directory.
 */
#include <stdio.h>

#include "cli.h"
#include <mqlcal/outfile.h>
#include <mqlcal/review.h>
#include <mqlcal/spend.h>

typedef struct page_args {
	const char *currency, *spend, *subtitle, *data_link;
} page_args;

/* What write_page needs besides the stream. */
typedef struct page_output {
	const mql_review *review;
	const mql_review_page *page;
} page_output;

static int write_page(FILE *fp, const void *context, mql_error *err)
{
	const page_output *o = context;
	return mql_review_write_html(o->review, o->page, fp, err);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const page_args *a = args;
	mql_review *review = NULL;
	char currency[MQL_CURRENCY_SIZE] = "";
	int status = mql_spend_currency_choose(a->currency, a->spend, &cli->csv,
					       currency, sizeof currency, err);
	if (status == MQL_OK)
		status = mql_review_load(&review, cli->args[0], err);
	mql_review_page page = {a->subtitle, currency, a->data_link};
	page_output output = {review, &page};
	if (status == MQL_OK)
		status = mql_outfile_write(cli->output_path, write_page,
					   &output, err);
	mql_review_free(review);
	return status;
}

int main(int argc, char **argv)
{
	page_args a = {0};
	const mql_option options[] = {
		{"currency", 0, MQL_OPTION_STRING, &a.currency, "CODE",
		 "the currency of every amount (ISO 4217, e.g. EUR); default: "
		 "the spend file's currency column, else none",
		 NULL},
		{"spend", 0, MQL_OPTION_INPUT, &a.spend, "FILE",
		 "the spend file, read only for its currency column", NULL},
		{"subtitle", 0, MQL_OPTION_STRING, &a.subtitle, "TEXT",
		 "the line under the title (the history and its months)", NULL},
		{"data-link", 0, MQL_OPTION_STRING, &a.data_link, "PATH",
		 "the review directory as seen from the page, to link its CSV "
		 "files (default: no links to them)",
		 NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		.name = "mql-review-page",
		.synopsis = "REVIEW_DIR [options]",
		.purpose = "the review's summary page: what to do, key "
			   "figures, charts",
		.example = "mql-review-page notebooks-data/review --data-link "
			   "../notebooks-data/review -o reports/index.html",
		.options = options,
		.min_args = 1,
		.max_args = 1,
		.reads_csv = 1,
		.output_is_file = 1,
	};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
