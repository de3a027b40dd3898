/*
 * test_cost.c - spend joined to funnel counts; expected values worked by
 * hand in the comments.
 */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/attribution.h>
#include <mqlcal/cost.h>

#include "fake_tables.h"

#define CLOSE(a, b)                                                            \
	CU_ASSERT(fabs((a) - (b)) <= 1e-9 * fmax(1, fabs((double)(b))))

/*
 * The textbook example: campaign "launch" (channel paid) spent 50,000 and
 * brought 800 leads, 500 MQLs, 100 SQLs and 50 customers worth 3,000 each:
 *   cost per lead 50,000 / 800 = 62.5, per MQL 50,000 / 500 = 100,
 *   per SQL 50,000 / 100 = 500, per customer 50,000 / 50 = 1,000,
 *   ROI (150,000 - 50,000) / 50,000 = 2.
 * Campaign "organic" has 10 leads and no spend row: its costs are unknown.
 * Campaign "webinar" spent 2,000 and has no leads: shown, costs empty.
 */
static mql_contacts *textbook_contacts(void)
{
	mql_contacts *c = fake_contacts_new(810);
	int32_t launch = fake_intern(&c->campaigns, "launch");
	int32_t organic = fake_intern(&c->campaigns, "organic");
	int32_t paid = fake_intern(&c->channels, "paid");
	mql_time day = fake_date(2026, 1, 10);
	for (size_t i = 0; i < 810; i++) {
		c->campaign[i] = i < 800 ? launch : organic;
		c->channel[i] = i < 800 ? paid : -1;
		c->stage_at[MQL_STAGE_CREATED][i] = day;
		if (i < 500)
			c->stage_at[MQL_STAGE_MQL][i] = day;
		if (i < 100)
			c->stage_at[MQL_STAGE_SQL][i] = day;
		if (i < 50) {
			c->stage_at[MQL_STAGE_CUSTOMER][i] = day;
			c->revenue[i] = 3000;
		}
	}
	return c;
}

static void textbook_cost_per_mql_and_customer(void)
{
	mql_contacts *c = textbook_contacts();
	mql_spend spend = {0};
	mql_dict_init(&spend.campaigns);
	mql_dict_init(&spend.channels);
	fake_spend_add(&spend, "launch", "paid", fake_date(2026, 1, 1),
		       fake_date(2026, 2, 1), 30000);
	fake_spend_add(&spend, "launch", "paid", fake_date(2026, 2, 1),
		       fake_date(2026, 3, 1), 20000);
	fake_spend_add(&spend, "webinar", "events", fake_date(2026, 1, 1),
		       fake_date(2026, 2, 1), 2000);
	mql_cost_report *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, NULL,
					     MQL_ATTRIBUTION_FIRST,
					     MQL_COST_BY_CAMPAIGN, &err),
			      0);
	CU_ASSERT_EQUAL(r->count, 3);
	const mql_cost_row *launch = mql_cost_find(r, "launch");
	CU_ASSERT_PTR_NOT_NULL_FATAL(launch);
	CLOSE(launch->spend, 50000);
	CLOSE(launch->cost_per_lead, 62.5);
	CLOSE(launch->cost_per_mql, 100);
	CLOSE(launch->cost_per_sql, 500);
	CLOSE(launch->cost_per_customer, 1000);
	CLOSE(launch->roi, 2);
	const mql_cost_row *organic = mql_cost_find(r, "organic");
	CU_ASSERT_PTR_NOT_NULL_FATAL(organic);
	CLOSE(organic->leads, 10);
	CU_ASSERT_FALSE(organic->in_spend);
	CU_ASSERT(isnan(organic->cost_per_lead) && isnan(organic->roi));
	const mql_cost_row *webinar = mql_cost_find(r, "webinar");
	CU_ASSERT_PTR_NOT_NULL_FATAL(webinar);
	CLOSE(webinar->spend, 2000);
	CLOSE(webinar->leads, 0);
	CU_ASSERT(isnan(webinar->cost_per_lead));
	/* Largest spend first. */
	CU_ASSERT_STRING_EQUAL(r->rows[0].group, "launch");
	/* Totals: 52,000 over 810 leads, 500 MQLs, 50 customers. */
	CLOSE(r->total.spend, 52000);
	CLOSE(r->total.leads, 810);
	CLOSE(r->total.cost_per_mql, 104);
	CLOSE(r->total.cost_per_customer, 1040);
	mql_cost_free(r);

	/* By channel: "paid" has it all, the organic leads are "(none)". */
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, NULL,
					     MQL_ATTRIBUTION_FIRST,
					     MQL_COST_BY_CHANNEL, &err),
			      0);
	const mql_cost_row *paid = mql_cost_find(r, "paid");
	CU_ASSERT_PTR_NOT_NULL_FATAL(paid);
	CLOSE(paid->cost_per_mql, 100);
	CU_ASSERT_PTR_NOT_NULL(mql_cost_find(r, "events"));
	const mql_cost_row *none = mql_cost_find(r, MQL_GROUP_NONE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(none);
	CLOSE(none->leads, 10);
	CU_ASSERT_STRING_EQUAL(r->rows[r->count - 1].group, MQL_GROUP_NONE);
	mql_cost_free(r);
	fake_spend_release(&spend);
	fake_contacts_free(c);
}

/*
 * By month: a period row of 3,000 from 2026-01-16 to 2026-02-14 inclusive
 * covers [Jan 16, Feb 15) = 30 days: 16 in January (1,600), 14 in February
 * (1,400).  Leads count in the month of created_at, MQLs of mql_at.
 */
static void spend_is_split_over_months(void)
{
	mql_contacts *c = fake_contacts_new(3);
	c->stage_at[MQL_STAGE_CREATED][0] = fake_date(2026, 1, 20);
	c->stage_at[MQL_STAGE_MQL][0] = fake_date(2026, 2, 3);
	c->stage_at[MQL_STAGE_CREATED][1] = fake_date(2026, 2, 27);
	c->stage_at[MQL_STAGE_CREATED][2] = fake_date(2026, 4, 1);
	mql_spend spend = {0};
	mql_dict_init(&spend.campaigns);
	mql_dict_init(&spend.channels);
	fake_spend_add(&spend, "x", "y", fake_date(2026, 1, 16),
		       fake_date(2026, 2, 15), 3000);
	mql_cost_report *r;
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, NULL,
					     MQL_ATTRIBUTION_FIRST,
					     MQL_COST_BY_MONTH, NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(r->count, 3);
	CU_ASSERT_STRING_EQUAL(r->rows[0].group, "2026-01");
	CLOSE(r->rows[0].spend, 1600);
	CLOSE(r->rows[0].leads, 1);
	CLOSE(r->rows[0].mql, 0);
	CU_ASSERT(isnan(r->rows[0].cost_per_mql));
	CU_ASSERT_STRING_EQUAL(r->rows[1].group, "2026-02");
	CLOSE(r->rows[1].spend, 1400);
	CLOSE(r->rows[1].cost_per_mql, 1400);
	CLOSE(r->rows[1].cost_per_lead, 1400);
	CU_ASSERT_STRING_EQUAL(r->rows[2].group, "2026-04");
	CU_ASSERT_FALSE(r->rows[2].in_spend);
	/* No revenue column values: ROI is unknown, not -100%. */
	CU_ASSERT(isnan(r->total.roi));
	mql_cost_free(r);
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, NULL,
					     MQL_ATTRIBUTION_FIRST,
					     MQL_COST_BY_QUARTER, NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(r->count, 2);
	CU_ASSERT_STRING_EQUAL(r->rows[0].group, "2026-Q1");
	CLOSE(r->rows[0].spend, 3000);
	CLOSE(r->rows[0].leads, 2);
	CU_ASSERT_STRING_EQUAL(r->rows[1].group, "2026-Q2");
	mql_cost_free(r);
	fake_spend_release(&spend);
	fake_contacts_free(c);
}

/*
 * One customer created on day 1 from campaign A, touched by B on day 2 and
 * C on day 3, a customer on day 5, then touched by D on day 6 (after the
 * stage: no credit).  Customer credits: linear A, B, C 1/3 each; u-shaped
 * A 0.4, B 0.2, C 0.4; last touch C.  Its lead credit (at creation, day 1)
 * is A's alone.
 */
static void customer_credits_through_touch_table(void)
{
	mql_contacts *c = fake_contacts_new(1);
	c->campaign[0] = fake_intern(&c->campaigns, "A");
	c->stage_at[MQL_STAGE_CREATED][0] = fake_date(2026, 3, 1);
	c->stage_at[MQL_STAGE_CUSTOMER][0] = fake_date(2026, 3, 5);
	c->revenue[0] = 900;
	mql_dict names;
	mql_dict_init(&names);
	const char *campaign[] = {"D", "B", "C"};
	const int day[] = {6, 2, 3};
	mql_touches *t;
	CU_ASSERT_EQUAL_FATAL(mql_touches_new(&t, c), 0);
	for (int i = 0; i < 3; i++) {
		mql_event ev = {0, 0, fake_intern(&names, campaign[i]),
				fake_date(2026, 3, day[i])};
		CU_ASSERT_EQUAL(mql_touches_add(t, &names, &ev), 0);
	}
	static const struct {
		mql_attribution_model model;
		double a, b, c;
	} expected[] = {
		{MQL_ATTRIBUTION_LINEAR, 1.0 / 3, 1.0 / 3, 1.0 / 3},
		{MQL_ATTRIBUTION_U_SHAPED, 0.4, 0.2, 0.4},
		{MQL_ATTRIBUTION_LAST, 0, 0, 1},
		{MQL_ATTRIBUTION_FIRST, 1, 0, 0},
	};
	for (size_t k = 0; k < 4; k++) {
		mql_cost_report *r;
		CU_ASSERT_EQUAL_FATAL(
			mql_cost_build(&r, c, NULL, t, expected[k].model,
				       MQL_COST_BY_CAMPAIGN, NULL),
			0);
		const mql_cost_row *a = mql_cost_find(r, "A");
		const mql_cost_row *b = mql_cost_find(r, "B");
		const mql_cost_row *cc = mql_cost_find(r, "C");
		CU_ASSERT_PTR_NULL(mql_cost_find(r, "D"));
		CU_ASSERT_FATAL(a && (b || expected[k].b == 0) &&
				(cc || expected[k].c == 0));
		CLOSE(a->customer, expected[k].a);
		CLOSE(a->revenue, 900 * expected[k].a);
		CLOSE(a->leads, 1);
		if (b) {
			CLOSE(b->customer, expected[k].b);
		}
		if (cc) {
			CLOSE(cc->customer, expected[k].c);
		}
		CLOSE(r->total.customer, 1);
		mql_cost_free(r);
	}
	mql_touches_free(t);
	mql_dict_release(&names);
	fake_contacts_free(c);
}

/* Random contacts and touches: under every model the attributed counts of
 * each stage add up to the number of contacts that reached it, so the
 * credits of every lead sum to 1. */
static void credits_sum_to_one_on_generated_data(void)
{
	const size_t rows = 400;
	mql_contacts *c = fake_contacts_new(rows);
	mql_dict names;
	mql_dict_init(&names);
	char name[16];
	for (int k = 0; k < 12; k++) {
		snprintf(name, sizeof name, "c%02d", k);
		fake_intern(&names, name);
		if (k < 6)
			fake_intern(&c->campaigns, name);
	}
	srand(2026);
	size_t reached[4] = {rows, 0, 0, 0};
	mql_time base = fake_date(2025, 1, 1);
	for (size_t i = 0; i < rows; i++) {
		c->campaign[i] = rand() % 3 ? rand() % 6 : -1;
		c->stage_at[MQL_STAGE_CREATED][i] = base;
		mql_time at = base;
		for (int s = 1; s < 4; s++) {
			if (rand() % 3 == 0)
				break;
			at += (rand() % 30 + 1) * MQL_SECONDS_PER_DAY;
			c->stage_at[mql_touch_stage[s]][i] = at;
			reached[s]++;
		}
	}
	mql_touches *t;
	CU_ASSERT_EQUAL_FATAL(mql_touches_new(&t, c), 0);
	for (int e = 0; e < 3000; e++) {
		mql_event ev = {(uint32_t)(rand() % (int)rows), 0,
				rand() % 5 ? rand() % 12 : -1,
				base + (rand() % 120) * MQL_SECONDS_PER_DAY};
		CU_ASSERT_EQUAL(mql_touches_add(t, &names, &ev), 0);
	}
	for (int m = 0; m < 4; m++) {
		mql_cost_report *r;
		CU_ASSERT_EQUAL_FATAL(
			mql_cost_build(&r, c, NULL, t, (mql_attribution_model)m,
				       MQL_COST_BY_CAMPAIGN, NULL),
			0);
		CLOSE(r->total.leads, (double)reached[0]);
		CLOSE(r->total.mql, (double)reached[1]);
		CLOSE(r->total.sql, (double)reached[2]);
		CLOSE(r->total.customer, (double)reached[3]);
		for (size_t g = 0; g < r->count; g++)
			CU_ASSERT(r->rows[g].mql >= 0 && r->rows[g].leads >= 0);
		mql_cost_free(r);
	}
	mql_touches_free(t);
	mql_dict_release(&names);
	fake_contacts_free(c);
}

/*
 * By channel under attribution, a campaign's credit goes to the channel
 * spend.csv gives it, else to that of the contacts it originated.  Lead 1
 * (channel organic, campaign A) became an MQL after a touch by B; spend
 * puts B in "paid".  Linear: the MQL is half organic (A), half paid (B).
 */
static void attributed_credits_roll_up_to_channels(void)
{
	mql_contacts *c = fake_contacts_new(1);
	c->campaign[0] = fake_intern(&c->campaigns, "A");
	c->channel[0] = fake_intern(&c->channels, "organic");
	c->stage_at[MQL_STAGE_CREATED][0] = fake_date(2026, 3, 1);
	c->stage_at[MQL_STAGE_MQL][0] = fake_date(2026, 3, 9);
	mql_spend spend = {0};
	mql_dict_init(&spend.campaigns);
	mql_dict_init(&spend.channels);
	fake_spend_add(&spend, "B", "paid", fake_date(2026, 3, 1),
		       fake_date(2026, 4, 1), 500);
	mql_dict names;
	mql_dict_init(&names);
	mql_touches *t;
	CU_ASSERT_EQUAL_FATAL(mql_touches_new(&t, c), 0);
	mql_event ev = {0, 0, fake_intern(&names, "B"), fake_date(2026, 3, 5)};
	CU_ASSERT_EQUAL(mql_touches_add(t, &names, &ev), 0);
	mql_cost_report *r;
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, t,
					     MQL_ATTRIBUTION_LINEAR,
					     MQL_COST_BY_CHANNEL, NULL),
			      0);
	const mql_cost_row *organic = mql_cost_find(r, "organic");
	const mql_cost_row *paid = mql_cost_find(r, "paid");
	CU_ASSERT_FATAL(organic && paid);
	CLOSE(organic->mql, 0.5);
	CLOSE(paid->mql, 0.5);
	/* 500 of spend for half an MQL: 1,000 per MQL. */
	CLOSE(paid->cost_per_mql, 1000);
	CU_ASSERT(r->fractional);
	mql_cost_free(r);
	mql_touches_free(t);
	mql_dict_release(&names);
	fake_spend_release(&spend);
	fake_contacts_free(c);
}

/*
 * A spend sheet typed by hand spells the channel "Paid" where the CRM
 * writes "paid": they are one channel, shown as the contacts spell it.
 * The 800 leads of the textbook set and 50,000 of spend give 62.5 a lead.
 */
static void spend_matches_labels_whatever_their_case(void)
{
	mql_contacts *c = textbook_contacts();
	mql_spend spend = {0};
	mql_dict_init(&spend.campaigns);
	mql_dict_init(&spend.channels);
	fake_spend_add(&spend, "LAUNCH", "Paid", fake_date(2026, 1, 1),
		       fake_date(2026, 3, 1), 50000);
	mql_cost_report *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_cost_build(&r, c, &spend, NULL,
					     MQL_ATTRIBUTION_FIRST,
					     MQL_COST_BY_CHANNEL, &err),
			      0);
	/* paid, and the organic leads' missing channel */
	CU_ASSERT_EQUAL(r->count, 2);
	const mql_cost_row *paid = mql_cost_find(r, "PAID");
	CU_ASSERT_PTR_NOT_NULL_FATAL(paid);
	CU_ASSERT_STRING_EQUAL(paid->group, "paid");
	CLOSE(paid->spend, 50000);
	CLOSE(paid->cost_per_lead, 62.5);
	mql_cost_free(r);
	fake_spend_release(&spend);
	fake_contacts_free(c);
}

static void parses_groupings(void)
{
	mql_cost_by by;
	CU_ASSERT(mql_cost_by_parse("quarter", &by) == 0 &&
		  by == MQL_COST_BY_QUARTER);
	CU_ASSERT_EQUAL(mql_cost_by_parse("week", &by), -1);
}

CU_TestInfo test_cost[] = {
	{"textbook cost per MQL and per customer",
	 textbook_cost_per_mql_and_customer},
	{"spend is split over months", spend_is_split_over_months},
	{"spend matches labels whatever their case",
	 spend_matches_labels_whatever_their_case},
	{"customer credits through the touch table",
	 customer_credits_through_touch_table},
	{"credits sum to one on generated data",
	 credits_sum_to_one_on_generated_data},
	{"attributed credits roll up to channels",
	 attributed_credits_roll_up_to_channels},
	{"parses groupings", parses_groupings},
	CU_TEST_INFO_NULL,
};
