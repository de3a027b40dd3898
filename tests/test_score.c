/*
 * test_score.c - the score formula against hand-worked examples: every op,
 * every decay, caps, the score limit, grades, calibration, the crossing,
 * the ledger and the fixed-time accumulator.  The arithmetic is worked out
 * in the comments; log1p, 0.5^x and the logistic values were computed with
 * Python's math module (log1p(99) = ln 100, and so on).
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/contacts.h>
#include <mqlcal/score.h>

#define DAY MQL_SECONDS_PER_DAY
#define T0  ((mql_time)1772323200) /* 2026-03-01T00:00:00Z */

static void decay_weights_follow_each_kind(void)
{
	mql_rule rule = {.kind = MQL_RULE_ENGAGEMENT,
			 .max_count = MQL_RULE_NO_CAP};
	/* No decay: every event weighs 1, whatever its age. */
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 400), 1, 0);
	/* Half-life 30: 0.5^(15/30) = 0.7071067811865476; 0.5^(60/30) = .25 */
	rule.decay = MQL_DECAY_HALF_LIFE;
	rule.decay_days = 30;
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 15),
			       0.7071067811865476, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 60), 0.25, 1e-15);
	/* Lifespan 10: 1 - 2.5/10 = 0.75; at 10 days and after, 0. */
	rule.decay = MQL_DECAY_LIFESPAN;
	rule.decay_days = 10;
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 2.5), 0.75, 1e-15);
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 10), 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 11), 0, 0);
	/* Window 7: 1 if a < 7, so 6.999 counts and 7 does not. */
	rule.decay = MQL_DECAY_WINDOW;
	rule.decay_days = 7;
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 6.999), 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, 7), 0, 0);
	/* An event in the future weighs nothing. */
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_decay_weight(&rule, -0.5), 0, 0);
	/* Caps: min(2, 2.38) = 2; no cap leaves D alone. */
	rule.max_count = 2;
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_capped(&rule, 2.38), 2, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_rule_capped(&rule, 1.5), 1.5, 0);
}

static mql_rules *load_rules(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/score/%s", MQL_FIXTURES, name);
	mql_rules *r = NULL;
	mql_error err;
	if (mql_rules_load(&r, path, &err) != 0)
		fprintf(stderr, "\n%s: %s\n", path, err.message);
	return r;
}

static mql_contacts *load_contacts(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/score/%s", MQL_FIXTURES, name);
	mql_contacts *c = NULL;
	mql_csv_options opt;
	mql_error err;
	mql_csv_options_init(&opt);
	if (mql_contacts_load(&c, path, &opt, MQL_TIME_NONE, NULL, &err) != 0)
		fprintf(stderr, "\n%s: %s\n", path, err.message);
	return c;
}

/*
 * fit-contacts.csv against fit-rules.json, rule by rule (x per contact):
 *   seniority in [VP, C-level] (20):  c1 VP 1, c2 " c-level " 1 (trimmed,
 *                                     any case), c3 missing 0, c4 0
 *   seniority not_in ["vp "] (5):     c1 0, c2 1, c3 missing 0, c4 1
 *   company_size range min 1000 (15): 1500 1, 999 0, 1000 1 (inclusive),
 *                                     "25-50" reads as 25: 0
 *   company_size range max 1000 (-4): 0, 1, 0 (exclusive), 1
 *   job_title matches VP (10):        1, 0, missing 0, "vp of" 1
 *   job_title missing (3):            0, 0, 1, 0
 *   employees linear log1p [0,1000] (2): log1p(99) = 4.605170185988092,
 *                                     log1p(0) = 0, missing 0,
 *                                     5000 clamped to 1000: log1p(1000) =
 *                                     6.90875477931522
 * Fit scores: c1 20+15+10+2*4.605170185988092 = 54.21034037197619
 *             c2 20+5-4 = 21;  c3 15+3 = 18
 *             c4 5-4+10+2*6.90875477931522 = 24.81750955863044
 */
static void fit_ops_match_as_the_spec_says(void)
{
	mql_rules *rules = load_rules("fit-rules.json");
	mql_contacts *contacts = load_contacts("fit-contacts.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(rules);
	CU_ASSERT_PTR_NOT_NULL_FATAL(contacts);
	mql_scorer *s = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_scorer_new(&s, rules, contacts, &err), 0);
	static const double unit[7][4] = {
		{1, 1, 0, 0},
		{0, 1, 0, 1},
		{1, 0, 1, 0},
		{0, 1, 0, 1},
		{1, 0, 0, 1},
		{0, 0, 1, 0},
		{4.605170185988092, 0, 0, 6.90875477931522},
	};
	for (size_t rule = 0; rule < 7; rule++)
		for (size_t row = 0; row < 4; row++)
			CU_ASSERT_DOUBLE_EQUAL(
				mql_scorer_fit_unit(s, rule, row),
				unit[rule][row], 1e-12);
	static const double fit[4] = {54.21034037197619, 21, 18,
				      24.81750955863044};
	for (size_t row = 0; row < 4; row++)
		CU_ASSERT_DOUBLE_EQUAL(mql_scorer_fit_score(s, row), fit[row],
				       1e-12);

	/* The same rules on raw text, as the generator calls them. */
	double x;
	CU_ASSERT_EQUAL(
		mql_rule_fit_unit_text(&rules->fit[0], " vp ", 4, &x, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 1, 0);
	CU_ASSERT_EQUAL(
		mql_rule_fit_unit_text(&rules->fit[5], NULL, 0, &x, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 1, 0);
	CU_ASSERT_EQUAL(
		mql_rule_fit_unit_text(&rules->fit[6], "99", 2, &x, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 4.605170185988092, 1e-12);
	CU_ASSERT_EQUAL(
		mql_rule_fit_unit_text(&rules->fit[2], "many", 4, &x, &err),
		MQL_ERR_INPUT);
	mql_scorer_free(s);
	mql_contacts_free(contacts);
	mql_rules_free(rules);
}

static void fit_rules_must_fit_the_columns(void)
{
	mql_contacts *contacts = load_contacts("fit-contacts.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(contacts);
	mql_rules *r = mql_rules_new();
	mql_error err;
	mql_scorer *s = NULL;
	mql_rules_add_fit(r, "a", "industry", MQL_OP_MISSING, 1);
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), 0);
	CU_ASSERT_EQUAL(mql_scorer_new(&s, r, contacts, &err), MQL_ERR_INPUT);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(err.message, "fit[0].property: no column 'industry'"));
	mql_rules_free(r);

	r = mql_rules_new();
	mql_rules_add_fit(r, "a", "seniority", MQL_OP_RANGE, 1)->min = 3;
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), 0);
	CU_ASSERT_EQUAL(mql_scorer_new(&s, r, contacts, &err), MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "fit[0].op: 'range' needs a numeric column; "
			       "'seniority' has text values");
	CU_ASSERT_PTR_NULL(s);
	mql_rules_free(r);
	mql_contacts_free(contacts);
}

/* The engagement rules of the examples below, with event types 0..3. */
static mql_rules *engagement_rules(void)
{
	mql_rules *r = mql_rules_new();
	mql_error err;
	r->threshold = 60;
	mql_rule *demo =
		mql_rules_add_engagement(r, "demo", "demo_request", 25);
	demo->decay = MQL_DECAY_HALF_LIFE;
	demo->decay_days = 30;
	demo->max_count = 2;
	mql_rule *view = mql_rules_add_engagement(r, "view", "page_view", 1);
	view->decay = MQL_DECAY_LIFESPAN;
	view->decay_days = 10;
	mql_rule *web = mql_rules_add_engagement(r, "web", "webinar", 5);
	web->decay = MQL_DECAY_WINDOW;
	web->decay_days = 7;
	mql_rules_add_engagement(r, "unsub", "unsubscribe", -40);
	r->has_score_limit = 1;
	r->score_limit[0] = 0;
	r->score_limit[1] = 100;
	r->has_grades = 1;
	memcpy(r->fit_grades, (double[3]){80, 50, 20}, sizeof r->fit_grades);
	memcpy(r->engagement_grades, (double[3]){60, 30, 10},
	       sizeof r->engagement_grades);
	r->has_calibration = 1;
	r->points_per_logit = 20;
	r->logit_at_threshold = 0.5;
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), 0);
	return r;
}

/* Type indices: the order the names are listed in here. */
/* A value past +-1e15 would make points times x infinite: refused with the
 * contacts file's line, unless the rule's min and max clamp it. */
static void linear_rules_refuse_huge_values(void)
{
	mql_contacts *contacts = load_contacts("linear-huge-contacts.csv");
	CU_ASSERT_PTR_NOT_NULL_FATAL(contacts);
	mql_rules *r = mql_rules_new();
	mql_error err;
	mql_scorer *s = NULL;
	mql_rule *rule =
		mql_rules_add_fit(r, "a", "employees", MQL_OP_LINEAR, 2);
	CU_ASSERT_EQUAL(mql_rules_validate(r, &err), 0);
	CU_ASSERT_EQUAL(mql_scorer_new(&s, r, contacts, &err), MQL_ERR_INPUT);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message,
				      "'employees' is 1e+308: a linear rule "
				      "takes values within +-1e+15"));
	CU_ASSERT_PTR_NULL(s);
	/* clamped by a max: x is 1000, the score 2 * 1000 */
	rule->max = 1000;
	CU_ASSERT_EQUAL_FATAL(mql_scorer_new(&s, r, contacts, &err), 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_scorer_fit_score(s, 1), 2000, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_scorer_fit_score(s, 0), 198, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_scorer_fit_score(s, 2), 0, 0);
	mql_scorer_free(s);
	mql_rules_free(r);
	mql_contacts_free(contacts);
}

static int32_t intern_fixed(void *ctx, const char *name)
{
	(void)ctx;
	static const char *const names[] = {"demo_request", "page_view",
					    "webinar", "unsubscribe"};
	for (int32_t i = 0; i < 4; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static mql_scorer *bound_scorer(const mql_rules *r)
{
	mql_scorer *s = NULL;
	mql_error err;
	CU_ASSERT_EQUAL(mql_scorer_new(&s, r, NULL, &err), 0);
	CU_ASSERT_EQUAL(mql_scorer_bind_types(s, intern_fixed, NULL, &err), 0);
	return s;
}

static mql_event event(uint32_t contact, int32_t type, double day)
{
	mql_event e = {contact, type, -1, T0 + (mql_time)(day * DAY)};
	return e;
}

/* Sums ledger contributions and counts rows by kind. */
typedef struct ledger_sum {
	double total;
	int rows[4];
	double last_contribution;
} ledger_sum;

static int add_row(void *ctx, const mql_ledger_row *row)
{
	ledger_sum *sum = ctx;
	sum->total += row->contribution;
	sum->rows[row->kind]++;
	sum->last_contribution = row->contribution;
	return 0;
}

/*
 * Contact A: fit 30, created day 0; demo day 0, demo + page_view day 30,
 * webinar day 35, demo day 60; as of day 60.
 *   demo (half-life 30): ages 60, 30, 0 -> .25 + .5 + 1 = 1.75 < cap 2,
 *                        25 * 1.75 = 43.75
 *   view (lifespan 10):  age 30 -> 0;   web (window 7): age 25 -> 0
 *   score 30 + 43.75 = 73.75; grade: fit 30 -> C, engagement 43.75 -> 2
 *   probability logistic(0.5 + (73.75 - 60)/20) = logistic(1.1875)
 *               = 0.7662936430859597
 * Crossing: day 0: 30 + 25 = 55 < 60.  Day 30: demo D = .5 + 1 = 1.5,
 * 37.5; view weight 1 -> 1; 30 + 37.5 + 1 = 68.5 >= 60: crossed on day 30,
 * credited to the demo (event 1, the first with positive points).
 * Ledger: demo rows 6.25 + 12.5 + 25 = 43.75; expired rows left out.
 */
static void half_life_history_crosses_at_the_right_event(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	mql_event ev[] = {event(0, 0, 0), event(0, 0, 30), event(0, 1, 30),
			  event(0, 2, 35), event(0, 0, 60)};
	mql_score_result out;
	ledger_sum sum = {0};
	CU_ASSERT_EQUAL_FATAL(mql_scorer_score_events(s, 30, T0, ev, 5,
						      T0 + 60 * DAY, &out,
						      add_row, &sum),
			      0);
	CU_ASSERT_DOUBLE_EQUAL(out.engagement_score, 43.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 73.75, 1e-12);
	CU_ASSERT_STRING_EQUAL(out.grade, "C2");
	CU_ASSERT_DOUBLE_EQUAL(out.probability, 0.7662936430859597, 1e-12);
	CU_ASSERT_EQUAL(out.mql, 1);
	CU_ASSERT_EQUAL(out.mql_at, T0 + 30 * DAY);
	CU_ASSERT_EQUAL(out.mql_event, 1);
	CU_ASSERT_DOUBLE_EQUAL(out.mql_score, 68.5, 1e-12);
	CU_ASSERT_EQUAL(sum.rows[MQL_LEDGER_EVENT], 3);
	CU_ASSERT_DOUBLE_EQUAL(sum.total + 30, out.score, 1e-12);

	/* As of day 29 the lead has not crossed: 30 + 25 * .5^(29/30) <
	 * 60, i.e. 30 + 12.78 = 42.78. */
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 30, T0, ev, 5, T0 + 29 * DAY,
						&out, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(out.mql, 0);
	CU_ASSERT_EQUAL(out.mql_at, MQL_TIME_NONE);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 30 + 25 * pow(0.5, 29.0 / 30), 1e-12);
	mql_scorer_free(s);
	mql_rules_free(r);
}

/*
 * Contact B: fit 90, created day 0; three demos on day 0, page_view day 4,
 * webinar day 5; as of day 10.
 *   demo: 3 * .5^(10/30) = 2.3811015779522995 > cap 2 -> 25 * 2 = 50; the
 *         cap row: weight 2 - 2.3811015779522995, contribution
 *         25 * -0.3811015779522995 = -9.527539448807488
 *   view: lifespan 10, age 6 -> 1 - 6/10 = .4;  web: age 5 < 7 -> 5
 *   engagement 55.4; raw 145.4; limit [0, 100] -> 100, limit row -45.4
 *   grade A (90 >= 80) 2 (55.4 >= 30); probability logistic(0.5 + 40/20)
 *   = 0.9241418199787566
 * Crossing: fit alone (90) reaches 60 at creation: day 0, created_at.
 */
static void caps_and_limits_take_points_away_in_the_ledger(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	mql_event ev[] = {event(7, 0, 0), event(7, 0, 0), event(7, 0, 0),
			  event(7, 1, 4), event(7, 2, 5)};
	mql_score_result out;
	ledger_sum sum = {0};
	CU_ASSERT_EQUAL_FATAL(mql_scorer_score_events(s, 90, T0, ev, 5,
						      T0 + 10 * DAY, &out,
						      add_row, &sum),
			      0);
	CU_ASSERT_DOUBLE_EQUAL(out.engagement_score, 55.4, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(out.raw_score, 145.4, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 100, 0);
	CU_ASSERT_STRING_EQUAL(out.grade, "A2");
	CU_ASSERT_DOUBLE_EQUAL(out.probability, 0.9241418199787566, 1e-12);
	CU_ASSERT_EQUAL(out.mql_at, T0);
	CU_ASSERT_EQUAL(out.mql_event, -1);
	CU_ASSERT_EQUAL(sum.rows[MQL_LEDGER_CAP], 1);
	CU_ASSERT_EQUAL(sum.rows[MQL_LEDGER_LIMIT], 1);
	CU_ASSERT_DOUBLE_EQUAL(sum.last_contribution, -45.4, 1e-12);
	/* Fit 90 is not in the event ledger: events + cap + limit = 10. */
	CU_ASSERT_DOUBLE_EQUAL(sum.total, 10, 1e-12);
	mql_scorer_free(s);
	mql_rules_free(r);
}

/*
 * Edges: a window event exactly W days old does not count; a contact with
 * no created_at whose fit alone reaches the threshold is an MQL at an
 * unknown time; a negative rule lowers the score after the crossing; events
 * after as-of do not count; events out of order are refused.
 */
static void edges_of_the_crossing(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	mql_score_result out;

	/* Webinars on days 0 and 7, as of day 7: ages 7 (out) and 0: 5. */
	mql_event web[] = {event(1, 2, 0), event(1, 2, 7)};
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 10, MQL_TIME_NONE, web, 2,
						T0 + 7 * DAY, &out, NULL, NULL),
			0);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 15, 0);
	CU_ASSERT_EQUAL(out.mql, 0);

	/* Fit 70, no created_at, no events: an MQL, time unknown. */
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 70, MQL_TIME_NONE, NULL, 0,
						T0, &out, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(out.mql, 1);
	CU_ASSERT_EQUAL(out.mql_at, MQL_TIME_NONE);

	/* The same contact created after as-of has not qualified yet. */
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 70, T0 + DAY, NULL, 0, T0,
						&out, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(out.mql, 0);

	/* Fit 65 created day 0, unsubscribe day 1, demo day 2, demo day 9:
	 * crossed at creation; as of day 2: 65 - 40 + 25 = 50; the day-9
	 * demo has not happened yet. */
	mql_event un[] = {event(2, 3, 1), event(2, 0, 2), event(2, 0, 9)};
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 65, T0, un, 3, T0 + 2 * DAY,
						&out, NULL, NULL),
			0);
	CU_ASSERT_EQUAL(out.mql_at, T0);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 50, 1e-12);

	/* Fit 5 created day 3: its day-1 unsubscribe already counts, so
	 * 5 - 40 = -35 clamps to 0, and the limit row says +35. */
	ledger_sum sum = {0};
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 5, T0 + 3 * DAY, un, 1,
						T0 + 3 * DAY, &out, add_row,
						&sum),
			0);
	CU_ASSERT_DOUBLE_EQUAL(out.score, 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(sum.last_contribution, 35, 1e-12);

	mql_event backwards[] = {event(3, 0, 5), event(3, 0, 4)};
	CU_ASSERT_EQUAL(mql_scorer_score_events(s, 0, T0, backwards, 2,
						T0 + 9 * DAY, &out, NULL, NULL),
			MQL_ERR_USAGE);
	mql_scorer_free(s);
	mql_rules_free(r);
}

/*
 * The fixed-time accumulator gets contact A's events backwards and mixed
 * with another row's: row 0 at day 60 -> demo D = 1.75 as above, unit 1.75,
 * engagement 43.75; row 1 has no time and takes nothing; row 2 at day 30
 * gets a demo on day 0 (.5) and one on day 31 (after its time: ignored).
 */
static void accumulator_is_order_free(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	mql_time at[3] = {T0 + 60 * DAY, MQL_TIME_NONE, T0 + 30 * DAY};
	mql_accum *a = NULL;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_accum_new(&a, s, at, 3, &err), 0);
	mql_event ev[] = {event(0, 0, 60), event(2, 0, 31), event(0, 2, 35),
			  event(1, 0, 1),  event(0, 1, 30), event(0, 0, 30),
			  event(2, 0, 0),  event(0, 0, 0),  event(9, 0, 0)};
	for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
		mql_accum_add(a, &ev[i]);
	CU_ASSERT_DOUBLE_EQUAL(mql_accum_decayed(a, 0, 0), 1.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_accum_unit(a, 0, 0), 1.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_accum_engagement_score(a, 0), 43.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(mql_accum_engagement_score(a, 1), 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_accum_decayed(a, 2, 0), 0.5, 1e-12);
	mql_accum_free(a);
	mql_scorer_free(s);
	mql_rules_free(r);
}

/*
 * A row count whose product with the four engagement rules wraps size_t:
 * SIZE_MAX / 4 + 1 rows x 4 rules = SIZE_MAX + 1 + 3, which wraps to 3
 * cells, so an unchecked product would allocate 3 doubles and succeed.
 */
static void accumulator_rejects_an_overflowing_size(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	mql_time at[1] = {T0};
	mql_accum *a = NULL;
	mql_error err;
	mql_error_clear(&err);
	CU_ASSERT_EQUAL_FATAL(r->engagement_count, 4);
	CU_ASSERT_EQUAL(mql_accum_new(&a, s, at, SIZE_MAX / 4 + 1, &err),
			MQL_ERR_NOMEM);
	CU_ASSERT_PTR_NULL(a);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "out of memory for"));
	mql_accum_free(a);
	mql_scorer_free(s);
	mql_rules_free(r);
}

/* The score at t straight from the definition, for the random check. */
static double brute_score(const mql_rules *r, double fit, const mql_event *ev,
			  size_t n, mql_time t)
{
	double engagement = 0;
	for (size_t k = 0; k < r->engagement_count; k++) {
		double decayed = 0;
		for (size_t i = 0; i < n; i++)
			if (ev[i].type == (int32_t)k && ev[i].at <= t)
				decayed += mql_rule_decay_weight(
					&r->engagement[k],
					(double)(t - ev[i].at) / DAY);
		engagement += r->engagement[k].points *
			      mql_rule_capped(&r->engagement[k], decayed);
	}
	return mql_score_clamp(r, fit + engagement);
}

/*
 * Random histories (a fixed linear congruential sequence): the crossing,
 * the peak score and the score at as-of of the scorer's incremental walk
 * equal a brute force over every candidate time from the definition of the
 * score.
 */
static void crossing_equals_brute_force(void)
{
	mql_rules *r = engagement_rules();
	mql_scorer *s = bound_scorer(r);
	unsigned long x = 2026;
	int agree = 1;
	for (int contact = 0; contact < 400 && agree; contact++) {
		mql_event ev[40];
		x = (x * 1103515245 + 12345) % 2147483648UL;
		size_t n = x % 40;
		double fit = (double)(x >> 8 & 63);
		mql_time created = (x >> 14 & 3)
					   ? T0 + (mql_time)(x >> 16 & 31) * DAY
					   : MQL_TIME_NONE;
		mql_time as_of = T0 + 80 * DAY;
		for (size_t i = 0; i < n; i++) {
			x = (x * 1103515245 + 12345) % 2147483648UL;
			/* half days from 0 to 99.5: many ties */
			ev[i] = event(5, (int32_t)(x >> 4) % 5,
				      (double)((x >> 9 & 255) % 200) / 2);
		}
		for (size_t i = 1; i < n; i++) /* insertion sort by time */
			for (size_t j = i; j > 0 && ev[j].at < ev[j - 1].at;
			     j--) {
				mql_event swap = ev[j];
				ev[j] = ev[j - 1];
				ev[j - 1] = swap;
			}
		mql_score_result out;
		CU_ASSERT_EQUAL_FATAL(mql_scorer_score_events(s, fit, created,
							      ev, n, as_of,
							      &out, NULL, NULL),
				      0);
		/* Candidates in time order: created_at and rule events. */
		mql_time want = MQL_TIME_NONE;
		for (size_t i = 0; i <= n && want == MQL_TIME_NONE; i++) {
			mql_time t = i < n ? ev[i].at : MQL_TIME_NONE;
			if (created != MQL_TIME_NONE && created <= as_of &&
			    (t == MQL_TIME_NONE || created < t) &&
			    brute_score(r, fit, ev, n, created) >= r->threshold)
				want = created;
			else if (t != MQL_TIME_NONE && t <= as_of &&
				 ev[i].type < 4 &&
				 brute_score(r, fit, ev, n, t) >= r->threshold)
				want = t;
		}
		double score = brute_score(r, fit, ev, n, as_of);
		/* The peak: the best of the same candidates, created_at
		 * standing in for as-of when it is unknown. */
		double peak = brute_score(
			r, fit, ev, n,
			created != MQL_TIME_NONE && created <= as_of ? created
								     : as_of);
		for (size_t i = 0; i < n; i++)
			if (ev[i].at <= as_of && ev[i].type < 4)
				peak = fmax(peak, brute_score(r, fit, ev, n,
							      ev[i].at));
		double got_peak;
		CU_ASSERT_EQUAL_FATAL(mql_scorer_peak_events(s, fit, created,
							     ev, n, as_of,
							     &got_peak),
				      0);
		if (fabs(got_peak - peak) > 1e-9) {
			fprintf(stderr, "\ncontact %d: peak %g want %g\n",
				contact, got_peak, peak);
			agree = 0;
		}
		if (out.mql_at != want || fabs(out.score - score) > 1e-9) {
			fprintf(stderr,
				"\ncontact %d: mql_at %lld want %lld, "
				"score %g want %g\n",
				contact, (long long)out.mql_at, (long long)want,
				out.score, score);
			agree = 0;
		}
	}
	CU_ASSERT(agree);
	mql_scorer_free(s);
	mql_rules_free(r);
}

static void grades_and_calibration_without_options(void)
{
	mql_rules *r = mql_rules_new();
	char grade[4];
	r->threshold = 10;
	CU_ASSERT_STRING_EQUAL(mql_score_grade(r, 99, 99, grade, sizeof grade),
			       "");
	CU_ASSERT(isnan(mql_score_probability(r, 10)));
	CU_ASSERT_DOUBLE_EQUAL(mql_score_clamp(r, -1e9), -1e9, 0);
	r->has_grades = 1;
	memcpy(r->fit_grades, (double[3]){80, 50, 20}, sizeof r->fit_grades);
	memcpy(r->engagement_grades, (double[3]){60, 30, 10},
	       sizeof r->engagement_grades);
	/* 80 is A (>=), 19.99 is D; 10 is 3, 9 is 4. */
	CU_ASSERT_STRING_EQUAL(mql_score_grade(r, 80, 10, grade, sizeof grade),
			       "A3");
	CU_ASSERT_STRING_EQUAL(
		mql_score_grade(r, 19.99, 9, grade, sizeof grade), "D4");
	/* Extreme scores give 0 or 1, never NAN. */
	r->has_calibration = 1;
	r->points_per_logit = 1;
	CU_ASSERT_DOUBLE_EQUAL(mql_score_probability(r, -1e6), 0, 1e-300);
	CU_ASSERT_DOUBLE_EQUAL(mql_score_probability(r, 1e6), 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_score_probability(r, 10), 0.5, 0);
	mql_rules_free(r);
}

CU_TestInfo test_score[] = {
	{"decay weights follow each kind", decay_weights_follow_each_kind},
	{"fit ops match as the spec says", fit_ops_match_as_the_spec_says},
	{"fit rules must fit the columns", fit_rules_must_fit_the_columns},
	{"linear rules refuse huge values", linear_rules_refuse_huge_values},
	{"half-life history crosses at the right event",
	 half_life_history_crosses_at_the_right_event},
	{"caps and limits take points away in the ledger",
	 caps_and_limits_take_points_away_in_the_ledger},
	{"edges of the crossing", edges_of_the_crossing},
	{"accumulator is order free", accumulator_is_order_free},
	{"accumulator rejects an overflowing size",
	 accumulator_rejects_an_overflowing_size},
	{"crossing equals brute force", crossing_equals_brute_force},
	{"grades and calibration without options",
	 grades_and_calibration_without_options},
	CU_TEST_INFO_NULL,
};
