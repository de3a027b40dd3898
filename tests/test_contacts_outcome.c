/*
 * test_contacts_outcome.c - outcomes as CRMs record them: acceptance
 * without a SAL stage, rejections from a lead status without a date, and
 * what the funnel and the fit population make of them.
 *
 * The HubSpot leads below (as_of = the latest date, 2026-02-14):
 *   h1  MQL 01-10, SQL 01-20, OPEN              accepted (10 days)
 *   h2  MQL 01-11, Unqualified                  rejected, no date
 *   h3  MQL 01-12, BAD_TIMING                   rejected, no date
 *   h4  MQL 01-13, "bad timing "                rejected, no date
 *   h5  MQL 01-14, OPEN                         open
 *   h6  MQL 01-15, opportunity 02-14            accepted (30 days)
 *   h7  never an MQL, Unqualified               not an MQL
 *   h8  MQL 01-16, Attempted to contact         open; rejected with
 *                                               --rejected-status
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/contacts.h>
#include <mqlcal/funnel.h>
#include <mqlcal/population.h>

#include "contacts_load.h"
#include "temp_file.h"

static const char hubspot[] =
	"Record ID,Create Date,Became a Marketing Qualified Lead Date,"
	"Became a Sales Qualified Lead Date,Became an Opportunity Date,"
	"Lead Status\n"
	"h1,2026-01-01,2026-01-10,2026-01-20,,OPEN\n"
	"h2,2026-01-01,2026-01-11,,,Unqualified\n"
	"h3,2026-01-01,2026-01-12,,,BAD_TIMING\n"
	"h4,2026-01-01,2026-01-13,,,\"bad timing \"\n"
	"h5,2026-01-01,2026-01-14,,,OPEN\n"
	"h6,2026-01-01,2026-01-15,,2026-02-14,\n"
	"h7,2026-01-01,,,,Unqualified\n"
	"h8,2026-01-01,2026-01-16,,,Attempted to contact\n";

static mql_contacts *load_with(const char *text, const mql_csv_options *opt,
			       int threads)
{
	char path[256];
	mql_contacts *c = NULL;
	mql_error err;
	temp_file_write(path, sizeof path, "mqlcal-outcome", text,
			strlen(text));
	int status = contacts_load_on(&c, path, opt, MQL_TIME_NONE, NULL, 0,
				      threads, &err);
	unlink(path);
	CU_ASSERT_EQUAL_FATAL(status, MQL_OK);
	return c;
}

static mql_contacts *load_hubspot(const char *extra_status)
{
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.preset = "hubspot";
	if (extra_status)
		opt.rejected_status.text[opt.rejected_status.count++] =
			extra_status;
	return load_with(hubspot, &opt, 1);
}

/* The outcomes of c's rows as letters: n(ot MQL) o(pen) a r. */
static void outcomes(const mql_contacts *c, char *out)
{
	static const char letter[] = "noar";
	for (size_t row = 0; row < c->count; row++)
		out[row] = letter[mql_contacts_outcome(c, row)];
	out[c->count] = '\0';
}

static void hubspot_outcomes_from_status(void)
{
	mql_contacts *c = load_hubspot(NULL);
	char got[16];
	CU_ASSERT_EQUAL(c->acceptance, MQL_ACCEPTANCE_SQL);
	CU_ASSERT(!c->has_stage[MQL_STAGE_SAL]);
	CU_ASSERT(c->rejects_by_status);
	outcomes(c, got);
	CU_ASSERT_STRING_EQUAL(got, "arrroano");
	/* date -u -d 2026-01-20 +%s; date -u -d 2026-02-14 +%s */
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_SAL][0], 1768867200);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_SAL][5], 1771027200);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_SAL][4], MQL_TIME_NONE);
	CU_ASSERT_EQUAL(c->stage_at[MQL_STAGE_REJECTED][1], MQL_TIME_NONE);
	CU_ASSERT(mql_contacts_rejected_undated(c, 1));
	CU_ASSERT(mql_contacts_rejected_undated(c, 6)); /* h7, no MQL */
	CU_ASSERT(!mql_contacts_rejected_undated(c, 4));
	CU_ASSERT_EQUAL(c->quality.undated_rejections, 4);
	/* the status stays a property of the table */
	CU_ASSERT_PTR_NOT_NULL(mql_contacts_property(c, "lead_status"));
	mql_contacts_free(c);
}

static void rejected_status_option_adds(void)
{
	mql_contacts *c = load_hubspot(" attempted TO contact");
	char got[16];
	outcomes(c, got);
	CU_ASSERT_STRING_EQUAL(got, "arrroanr");
	CU_ASSERT_EQUAL(c->quality.undated_rejections, 5);
	mql_contacts_free(c);
}

static void salesforce_closed_not_converted(void)
{
	static const char text[] =
		"Lead ID,Created Date,MQL_Date__c,Converted Date,Lead Status\n"
		"s1,2026-03-01,2026-03-02,2026-03-09,Closed - Converted\n"
		"s2,2026-03-01,2026-03-03,,Closed - Not Converted\n"
		"s3,2026-03-01,2026-03-04,,Working - Contacted\n"
		"s4,2026-03-01,2026-03-05,,Unqualified\n";
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.preset = "salesforce";
	mql_contacts *c = load_with(text, &opt, 1);
	char got[8];
	outcomes(c, got);
	/* Unqualified is HubSpot's word, not Salesforce's */
	CU_ASSERT_STRING_EQUAL(got, "aroo");
	CU_ASSERT_EQUAL(c->acceptance, MQL_ACCEPTANCE_SQL);
	mql_contacts_free(c);
}

static void sal_column_keeps_its_meaning(void)
{
	static const char text[] =
		"contact_id,mql_at,sal_at,sql_at,rejected_at,lead_status\n"
		"a,2026-01-01,,2026-01-05,,Unqualified\n"
		"b,2026-01-01,2026-01-02,,,\n"
		"c,2026-01-01,,,2026-01-03,\n";
	mql_contacts *c = load_with(text, NULL, 1);
	char got[8];
	outcomes(c, got);
	/* no preset, no --rejected-status: a status is only a property;
	 * an SQL without sal_at is not an acceptance when sal_at exists */
	CU_ASSERT_STRING_EQUAL(got, "oar");
	CU_ASSERT_EQUAL(c->acceptance, MQL_ACCEPTANCE_SAL);
	CU_ASSERT(!c->rejects_by_status);
	mql_contacts_free(c);
	static const char bare[] = "contact_id,mql_at\na,2026-01-01\n";
	c = load_with(bare, NULL, 1);
	CU_ASSERT_EQUAL(c->acceptance, MQL_ACCEPTANCE_NONE);
	mql_contacts_free(c);
}

static void funnel_counts_undated_rejections(void)
{
	mql_contacts *c = load_hubspot("Attempted to contact");
	mql_funnel_options opt;
	mql_funnel *f = NULL;
	mql_funnel_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_funnel_compute(&f, c, &opt, NULL), MQL_OK);
	const mql_funnel_group *t = &f->total;
	CU_ASSERT_EQUAL(t->count[MQL_FUNNEL_LEADS], 8);
	CU_ASSERT_EQUAL(t->count[MQL_FUNNEL_MQL], 7);
	CU_ASSERT_EQUAL(t->count[MQL_FUNNEL_SAL], 2); /* h1, h6 */
	CU_ASSERT_EQUAL(t->count[MQL_FUNNEL_SQL], 1);
	CU_ASSERT_EQUAL(t->rejected, 5); /* h2 h3 h4 h7 h8 */
	CU_ASSERT_EQUAL(f->undated_rejections, 5);
	CU_ASSERT_EQUAL(f->acceptance, MQL_ACCEPTANCE_SQL);
	/* MQL to SAL: h1 (10 days), h6 (30 days), h5 censored; the four
	 * undated rejections give no time */
	const mql_wait *w = &t->wait[MQL_WAIT_MQL_TO_SAL];
	CU_ASSERT_EQUAL(w->subjects, 3);
	CU_ASSERT_EQUAL(w->events, 2);
	mql_funnel_free(f);
	mql_contacts_free(c);
}

static void population_counts_undated_negatives(void)
{
	mql_contacts *c = load_hubspot("Attempted to contact");
	mql_population_options opt;
	mql_population *p = NULL;
	mql_population_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_population_build(&p, c, &opt, NULL), MQL_OK);
	CU_ASSERT_EQUAL(p->count, 6); /* h1 h2 h3 h4 h6 h8 */
	CU_ASSERT_EQUAL(p->positives, 2);
	CU_ASSERT_EQUAL(p->excluded_open, 1); /* h5 */
	CU_ASSERT_EQUAL(p->undated_rejections, 4);
	CU_ASSERT_EQUAL(p->acceptance, MQL_ACCEPTANCE_SQL);
	mql_population_free(p);
	mql_contacts_free(c);
}

/* Many rows read on several threads give the same outcomes as one. */
static void same_outcomes_on_threads(void)
{
	static const char *const statuses[] = {"OPEN", "Unqualified", "",
					       "BAD_TIMING", "NEW"};
	size_t rows = 6000, size = 64 + rows * 80, used;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	used = (size_t)snprintf(text, size,
				"Record ID,Became a Marketing Qualified Lead "
				"Date,Became a Customer Date,Lead Status\n");
	for (size_t i = 0; i < rows; i++)
		used += (size_t)snprintf(
			text + used, size - used, "%zu,2026-01-%02zu,%s,%s\n",
			i, 1 + i % 28, i % 7 == 0 ? "2026-03-01" : "",
			statuses[i % 5]);
	mql_csv_options opt;
	mql_csv_options_init(&opt);
	opt.preset = "hubspot";
	mql_contacts *one = load_with(text, &opt, 1);
	mql_contacts *three = load_with(text, &opt, 3);
	free(text);
	CU_ASSERT_EQUAL_FATAL(one->count, rows);
	CU_ASSERT_EQUAL_FATAL(three->count, rows);
	size_t undated = 0, differ = 0;
	for (size_t i = 0; i < rows; i++) {
		/* rejected: Unqualified or BAD_TIMING */
		undated += i % 5 == 1 || i % 5 == 3;
		differ += mql_contacts_outcome(one, i) !=
				  mql_contacts_outcome(three, i) ||
			  one->stage_at[MQL_STAGE_SAL][i] !=
				  three->stage_at[MQL_STAGE_SAL][i];
	}
	CU_ASSERT_EQUAL(differ, 0);
	CU_ASSERT_EQUAL(one->quality.undated_rejections, undated);
	CU_ASSERT_EQUAL(three->quality.undated_rejections, undated);
	mql_contacts_free(one);
	mql_contacts_free(three);
}

static void definition_is_written_once(void)
{
	char note[200];
	CU_ASSERT_STRING_EQUAL(mql_acceptance_text(MQL_ACCEPTANCE_SQL),
			       "accepted = reached SQL: this export has no SAL "
			       "stage");
	CU_ASSERT_PTR_NOT_NULL(
		strstr(mql_acceptance_text(MQL_ACCEPTANCE_SAL), "sal_at"));
	mql_undated_rejections_text(1, note, sizeof note);
	CU_ASSERT_PTR_NOT_NULL(strstr(note, "1 rejection has no date"));
}

CU_TestInfo test_contacts_outcome[] = {
	{"hubspot outcomes from status", hubspot_outcomes_from_status},
	{"rejected status option adds", rejected_status_option_adds},
	{"salesforce closed not converted", salesforce_closed_not_converted},
	{"sal column keeps its meaning", sal_column_keeps_its_meaning},
	{"funnel counts undated rejections", funnel_counts_undated_rejections},
	{"population counts undated negatives",
	 population_counts_undated_negatives},
	{"same outcomes on threads", same_outcomes_on_threads},
	{"definition is written once", definition_is_written_once},
	CU_TEST_INFO_NULL,
};
