/*
 * check_write.c - the data-quality summary as tables: one small table per
 * section under a heading for a terminal and Markdown, one table with a
 * section column for csv, json and html.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/check.h>
#include <mqlcal/table.h>

/* The columns of a table of items (table.h). */
typedef struct item_columns {
	int section; /* the section column (one table for every section) */
	int amount;  /* the money column ("amount") */
	int dates;   /* the first and last dates, ISO 8601 (csv, json) */
} item_columns;

/* A table of items with the columns of which.  NULL when out of memory. */
static mql_table *new_table(FILE *fp, mql_format format,
			    const item_columns *which)
{
	mql_table *t = mql_table_new(fp, format);
	if (!t)
		return NULL;
	if ((which->section &&
	     mql_table_add_column(t, "section", MQL_COLUMN_TEXT, 0)) ||
	    mql_table_add_column(t, "item", MQL_COLUMN_TEXT, 0) ||
	    mql_table_add_column(t, "count", MQL_COLUMN_REAL, 0) ||
	    mql_table_add_column(t, "share", MQL_COLUMN_REAL, 3) ||
	    mql_table_add_column(t, "detail", MQL_COLUMN_TEXT, 0) ||
	    (which->amount &&
	     mql_table_add_column(t, "amount", MQL_COLUMN_REAL, 2)) ||
	    (which->dates &&
	     (mql_table_add_column(t, "first", MQL_COLUMN_TEXT, 0) ||
	      mql_table_add_column(t, "last", MQL_COLUMN_TEXT, 0)))) {
		mql_table_free(t);
		return NULL;
	}
	return t;
}

/* One item's row.  0, or the first setter's error. */
static int write_item(mql_table *t, const mql_check_item *it,
		      const item_columns *which)
{
	char first[32], last[32];
	size_t col = 0;
	if (which->section && mql_table_set_text(t, col++, it->section))
		return MQL_ERR_NOMEM;
	if (mql_table_set_text(t, col, it->item) ||
	    mql_table_set_real(t, col + 1, it->count) ||
	    mql_table_set_real(t, col + 2, it->share) ||
	    mql_table_set_text(t, col + 3, it->detail))
		return MQL_ERR_NOMEM;
	col += 4;
	if (which->amount && mql_table_set_real(t, col++, it->amount))
		return MQL_ERR_NOMEM;
	if (which->dates &&
	    (mql_table_set_text(
		     t, col,
		     mql_time_format(it->first, 1, first, sizeof first)) ||
	     mql_table_set_text(
		     t, col + 1,
		     mql_time_format(it->last, 1, last, sizeof last))))
		return MQL_ERR_NOMEM;
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

/* The items of section, from item i on, as one table under a heading. */
static int write_section(const mql_check_report *r, size_t i, FILE *fp,
			 mql_format format, mql_error *err)
{
	const char *section = r->items[i].section;
	item_columns which = {0, has_amount(r, section), 0};
	fprintf(fp, "%s%s%s\n\n", i ? "\n" : "",
		format == MQL_FORMAT_MD ? "## " : "== ", section);
	mql_table *t = new_table(fp, format, &which);
	int status = t ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t j = i; j < r->count && !status; j++)
		if (strcmp(r->items[j].section, section) == 0)
			status = write_item(t, &r->items[j], &which);
	if (!status)
		status = mql_table_finish(t, err);
	mql_table_free(t);
	return status;
}

/* Every item in one table with a section column, grouped by section in
 * order of appearance. */
static int write_one_table(const mql_check_report *r, FILE *fp,
			   mql_format format, mql_error *err)
{
	item_columns which = {1, 1, mql_format_is_data(format)};
	mql_table *t = new_table(fp, format, &which);
	int status = t ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->count && !status; i++) {
		if (!first_of_section(r, i))
			continue;
		for (size_t j = i; j < r->count && !status; j++)
			if (strcmp(r->items[j].section, r->items[i].section) ==
			    0)
				status = write_item(t, &r->items[j], &which);
	}
	if (!status)
		status = mql_table_finish(t, err);
	mql_table_free(t);
	return status;
}

int mql_check_write(const mql_check_report *r, FILE *fp, mql_format format,
		    mql_error *err)
{
	int split = format == MQL_FORMAT_TABLE || format == MQL_FORMAT_MD;
	int status = split ? MQL_OK : write_one_table(r, fp, format, err);
	for (size_t i = 0; split && i < r->count && !status; i++) {
		if (!first_of_section(r, i))
			continue;
		if (strcmp(r->items[i].section, "verdict") == 0)
			write_verdict(fp, &r->items[i]);
		else
			status = write_section(r, i, fp, format, err);
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return status;
}
