/*
 * test_contacts_dates.c - the contacts' slash dates settled by their
 * column, and their numbers read in the file's locale.  Expected seconds
 * from GNU date, `date -u -d '<day>' +%s`:
 *   2026-05-03 1777766400   2026-05-13 1778630400   2026-03-13 1773360000
 *   2026-04-04 1775260800   2026-03-05 14:07 1772719620
 *   2026-01-02 1767312000   2026-02-01 1769904000
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>

#include "contacts_load.h"
#include "temp_file.h"

#define FAR_FUTURE ((mql_time)4102444800) /* 2100-01-01 */

/* Loads text with locale (NULL: none) on threads; the status. */
static int load_text(const char *text, const char *locale, int threads,
		     mql_contacts **out, mql_error *err)
{
	char path[256];
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.locale = locale;
	temp_file_write(path, sizeof path, "mql-contacts-dates", text,
			strlen(text));
	int status = contacts_load_on(out, path, &opt, FAR_FUTURE, NULL, 0,
				      threads, err);
	unlink(path);
	return status;
}

static void column_settles_day_first(void)
{
	/* 3/5/2026 could be either; 13/3/2026 is day first: so 3/5 is May
	 * 3, and 4/4 (the same both ways) is April 4, before it */
	static const char text[] = "contact_id,created_at,mql_at\n"
				   "a,3/5/2026,4/4/2026\n"
				   "b,13/3/2026,\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(text, NULL, 1, &c, &err), 0);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][0], 1777766400);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_MQL][0], 1775260800);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][1], 1773360000);
	CU_ASSERT_EQUAL(c->quality.stages_out_of_order, 1);
	CU_ASSERT_EQUAL(mql_contacts_latest_time(c), 1777766400);
	mql_contacts_free(c);
}

static void column_settles_month_first(void)
{
	static const char text[] = "contact_id,created_at,mql_at\n"
				   "a,3/5/2026 2:07 PM,\n"
				   "b,5/13/2026,\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(text, NULL, 1, &c, &err), 0);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][0], 1772719620);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][1], 1778630400);
	CU_ASSERT_EQUAL(c->quality.stages_out_of_order, 0);
	CU_ASSERT_EQUAL(c->quality.missing_created_at, 0);
	mql_contacts_free(c);
}

static void unsettled_column_names_the_option(void)
{
	static const char text[] = "contact_id,created_at,mql_at\n"
				   "a,2026-01-02,\n"
				   "b,2026-01-02,3/5/2026\n"
				   "c,2026-01-02,4/6/2026\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(load_text(text, NULL, 1, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_EQUAL(err.column, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'3/5/2026'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "--locale en-US"));
	/* the same file with a locale: March 5 */
	CU_ASSERT_EQUAL_FATAL(load_text(text, "en-US", 1, &c, &err), 0);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_MQL][1], 1772668800);
	mql_contacts_free(c);
}

static void column_of_both_orders_is_an_error(void)
{
	static const char text[] = "contact_id,created_at\n"
				   "a,13/3/2026\n"
				   "b,3/5/2026\n"
				   "c,3/13/2026\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(load_text(text, NULL, 1, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_EQUAL(err.column, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "line 2"));
	/* with a locale, the date that cannot be is the error */
	CU_ASSERT_EQUAL(load_text(text, "en-GB", 1, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'3/13/2026'"));
}

/* Rows: first "3/5/2026,4/4/2026", then ISO rows, the last
 * "13/5/2026,": only the last settles the column. */
static char *settled_at_the_end(size_t rows)
{
	size_t cap = rows * 40 + 100, n = 0;
	char *text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	n += (size_t)snprintf(text + n, cap - n,
			      "contact_id,created_at,mql_at\n"
			      "c0,3/5/2026,4/4/2026\n");
	for (size_t i = 1; i + 1 < rows; i++)
		n += (size_t)snprintf(text + n, cap - n,
				      "c%zu,2026-01-02,2026-02-01\n", i);
	snprintf(text + n, cap - n, "c%zu,13/5/2026,\n", rows - 1);
	return text;
}

static void threads_settle_as_one(void)
{
	char *text = settled_at_the_end(20000);
	for (int threads = 1; threads <= 4; threads++) {
		mql_contacts *c = NULL;
		mql_error err;
		CU_ASSERT_EQUAL_FATAL(load_text(text, NULL, threads, &c, &err),
				      0);
		CU_ASSERT_EQUAL(c->count, 20000);
		CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][0], 1777766400);
		CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_MQL][0], 1775260800);
		CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_CREATED][1], 1767312000);
		CU_ASSERT_EQUAL(c->quality.stages_out_of_order, 1);
		mql_contacts_free(c);
	}
	/* without the last row nothing settles: the first date's line */
	char *cut = strstr(text, "c19999,");
	*cut = '\0';
	for (int threads = 1; threads <= 4; threads++) {
		mql_contacts *c = NULL;
		mql_error err;
		CU_ASSERT_EQUAL(load_text(text, NULL, threads, &c, &err),
				MQL_ERR_INPUT);
		CU_ASSERT_EQUAL(err.line, 2);
		CU_ASSERT_EQUAL(err.column, 2);
	}
	free(text);
}

static void derived_acceptance_is_settled_too(void)
{
	/* No sal_at column: an MQL that reached SQL counts as accepted on
	 * its sql_at, here 3/5/2026, day first by 20/2/2026 below: May 3 */
	static const char text[] = "contact_id,created_at,mql_at,sql_at\n"
				   "a,2/1/2026,2/2/2026,3/5/2026\n"
				   "b,13/1/2026,14/1/2026,20/2/2026\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(text, NULL, 1, &c, &err), 0);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_SQL][0], 1777766400);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_SAL][0], 1777766400);
	CU_ASSERT_EQUAL(c->quality.stages_out_of_order, 0);
	mql_contacts_free(c);
}

static void properties_read_in_the_locale(void)
{
	/* "0.5" settles size's points as decimal points */
	static const char text[] = "contact_id,employees,revenue,size\n"
				   "a,\"1,000+\",\"$12,500.00\",4.800\n"
				   "b,\"10,000+\",(300),12\n"
				   "c,25-50,,0.5\n";
	mql_contacts *c = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(load_text(text, NULL, 1, &c, &err), 0);
	const mql_property *employees = mql_contacts_property(c, "employees");
	const mql_property *size = mql_contacts_property(c, "size");
	CU_ASSERT_PTR_NOT_NULL_FATAL(employees);
	CU_ASSERT_PTR_NOT_NULL_FATAL(size);
	CU_ASSERT_EQUAL_FATAL(employees->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(employees->number[0], 1000);
	CU_ASSERT_EQUAL(employees->number[1], 10000);
	CU_ASSERT_EQUAL(employees->number[2], 25);
	CU_ASSERT_EQUAL(c->revenue[0], 12500);
	CU_ASSERT_EQUAL(c->revenue[1], -300);
	CU_ASSERT_EQUAL_FATAL(size->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(size->number[0], 4.8);
	mql_contacts_free(c);
	/* in German "4.800" is 4800; "$12,500.00" is then no number */
	static const char german[] = "contact_id,employees,revenue,size\n"
				     "a,1.000-4.999,\"12.500,00 EUR\",4.800\n"
				     "b,10.000+,\"1.234,56\",\"12,5\"\n";
	CU_ASSERT_EQUAL_FATAL(load_text(german, "de", 1, &c, &err), 0);
	employees = mql_contacts_property(c, "employees");
	size = mql_contacts_property(c, "size");
	CU_ASSERT_EQUAL_FATAL(employees->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(employees->number[0], 1000);
	CU_ASSERT_EQUAL(employees->number[1], 10000);
	CU_ASSERT_EQUAL(c->revenue[0], 12500);
	CU_ASSERT_EQUAL(c->revenue[1], 1234.56);
	CU_ASSERT_EQUAL_FATAL(size->kind, MQL_PROPERTY_NUMERIC);
	CU_ASSERT_EQUAL(size->number[0], 4800);
	CU_ASSERT_EQUAL(size->number[1], 12.5);
	mql_contacts_free(c);
	CU_ASSERT_EQUAL(load_text(text, "de", 1, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 3);
}

/*
 * Without a locale, a numeric column whose points could all separate
 * thousands ("8.476", "1.000-4.999") and that no value settles is an error
 * naming --locale, on the first such value's line and column; a value that
 * only a decimal point explains ("12.5", "0.125", "1,234.567") settles it,
 * and a locale reads it as said.
 */
static void grouped_points_name_the_option(void)
{
	mql_contacts *c = NULL;
	mql_error err;
	static const char german[] = "contact_id,size,employees\n"
				     "a,12,\"1.000-4.999\"\n"
				     "b,8.476,120\n"
				     "c,,\n";
	CU_ASSERT_EQUAL(load_text(german, NULL, 1, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "'1.000-4.999'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "--locale de"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "--locale en-US"));
	CU_ASSERT_EQUAL(load_text(german, NULL, 2, &c, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL_FATAL(load_text(german, "de", 1, &c, &err), 0);
	CU_ASSERT_EQUAL(mql_contacts_property(c, "size")->number[1], 8476);
	CU_ASSERT_EQUAL(mql_contacts_property(c, "employees")->number[0], 1000);
	mql_contacts_free(c);
	CU_ASSERT_EQUAL_FATAL(load_text(german, "en-US", 1, &c, &err), 0);
	CU_ASSERT_EQUAL(mql_contacts_property(c, "size")->number[1], 8.476);
	mql_contacts_free(c);
	/* each column below has a value that settles its points */
	static const char settled[] = "contact_id,a,b,c,d,e\n"
				      "x,8.476,8.476,8.476,8.476,1.234\n"
				      "y,12.5,0.125,\"1,234.567\",1.2345,\n"
				      "z,3,3,3,3,12.34\n";
	CU_ASSERT_EQUAL_FATAL(load_text(settled, NULL, 1, &c, &err), 0);
	static const char *const names[] = {"a", "b", "c", "d", "e"};
	for (size_t k = 0; k < 5; k++) {
		const mql_property *p = mql_contacts_property(c, names[k]);
		CU_ASSERT_EQUAL(p->kind, MQL_PROPERTY_NUMERIC);
	}
	CU_ASSERT_EQUAL(mql_contacts_property(c, "a")->number[0], 8.476);
	mql_contacts_free(c);
	/* points that are not numbers leave the column categorical: nothing
	 * to tell */
	static const char labels[] = "contact_id,version\n"
				     "x,1.234.5\n"
				     "y,v2\n";
	CU_ASSERT_EQUAL_FATAL(load_text(labels, NULL, 1, &c, &err), 0);
	CU_ASSERT_EQUAL(mql_contacts_property(c, "version")->kind,
			MQL_PROPERTY_CATEGORICAL);
	mql_contacts_free(c);
}

CU_TestInfo test_contacts_dates[] = {
	{"a column settles day first", column_settles_day_first},
	{"a column settles month first", column_settles_month_first},
	{"an unsettled column names the option",
	 unsettled_column_names_the_option},
	{"a column of both orders is an error",
	 column_of_both_orders_is_an_error},
	{"threads settle as one", threads_settle_as_one},
	{"a derived acceptance is settled too",
	 derived_acceptance_is_settled_too},
	{"properties are read in the locale", properties_read_in_the_locale},
	{"grouped points name the option", grouped_points_name_the_option},
	CU_TEST_INFO_NULL,
};
