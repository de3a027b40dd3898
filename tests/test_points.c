/* test_points.c - coefficients to points, thresholds and the change table,
 * against arithmetic worked by hand in the comments. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mqlcal/points.h>

/*
 * The model of every test: b0 = -2 and four rules.
 *   demo     engagement, max_count 2   b =  0.8    CI [ 0.4,  1.2 ]
 *   vp       fit (in)                  b =  0.5    CI [-0.1,  1.1 ]
 *   unsub    engagement, max_count 1   b = -1.2    CI [-2.0, -0.4 ]
 *   pricing  engagement, max_count 10  b =  0.0173 CI [-0.01, 0.045]
 * Operating points on n = 200 rows with 40 positives (160 negatives):
 *   eta  above  pos  precision  recall   Youden J = recall - FP / 160
 *    1     10    8     0.80      0.20    0.20 - 2/160   = 0.1875
 *    0     50   30     0.60      0.75    0.75 - 20/160  = 0.6250  (max)
 *   -1    100   38     0.38      0.95    0.95 - 62/160  = 0.5625
 *   -2    200   40     0.20      1.00    1.00 - 160/160 = 0
 */
static mql_model *test_model(void)
{
	static const struct {
		const char *name, *rule;
		double b, low, high;
		long support;
	} rows[] = {
		{"demo", "{\"event\":\"demo_request\",\"max_count\":2}", 0.8,
		 0.4, 1.2, 400},
		{"vp", "{\"property\":\"seniority\",\"op\":\"in\"}", 0.5, -0.1,
		 1.1, 90},
		{"unsub", "{\"event\":\"unsubscribe\",\"max_count\":1}", -1.2,
		 -2.0, -0.4, 30},
		{"pricing", "{\"event\":\"pricing_view\",\"max_count\":10}",
		 0.0173, -0.01, 0.045, 900},
	};
	static const mql_model_operating_point points[] = {
		{1.0, 10, 8, 0.8, 0.2},
		{0.0, 50, 30, 0.6, 0.75},
		{-1.0, 100, 38, 0.38, 0.95},
		{-2.0, 200, 40, 0.2, 1.0},
	};
	mql_model *m = mql_model_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	m->n = 200;
	m->positives = 40;
	m->intercept.estimate = -2.0;
	for (size_t i = 0; i < 4; i++) {
		mql_model_coefficient *c = mql_model_add_coefficient(
			m, rows[i].name, cJSON_Parse(rows[i].rule));
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		c->value.estimate = rows[i].b;
		c->value.ci_low = rows[i].low;
		c->value.ci_high = rows[i].high;
		c->support = rows[i].support;
	}
	for (size_t i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(mql_model_add_operating_point(m, &points[i]),
				0);
	return m;
}

static void rounds_half_away_from_zero(void)
{
	CU_ASSERT_EQUAL(mql_points_round(2.5), 3.0);
	CU_ASSERT_EQUAL(mql_points_round(-2.5), -3.0);
	CU_ASSERT_EQUAL(mql_points_round(0.49999), 0.0);
	CU_ASSERT_EQUAL(mql_points_round(-0.5), -1.0);
	CU_ASSERT_EQUAL(mql_points_round(12.4), 12.0);
	/* no negative zero: it would print as "-0" */
	CU_ASSERT_FALSE(signbit(mql_points_round(-0.4)));
}

static void pdo_scaling_and_youden_threshold(void)
{
	mql_model *m = test_model();
	mql_points_options opt;
	mql_points_options_init(&opt);
	mql_points *p = NULL;
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	/* B = 20 / ln 2 = 28.853900817779268 */
	CU_ASSERT_DOUBLE_EQUAL(p->factor, 28.853900817779268, 1e-12);
	/* 0.8 B = 23.0831 -> 23; 0.5 B = 14.4270 -> 14;
	 * -1.2 B = -34.6247 -> -35; 0.0173 B = 0.49917 -> 0 */
	CU_ASSERT_EQUAL(mql_points_find(p, "demo")->points, 23.0);
	CU_ASSERT_EQUAL(mql_points_find(p, "vp")->points, 14.0);
	CU_ASSERT_EQUAL(mql_points_find(p, "unsub")->points, -35.0);
	CU_ASSERT_EQUAL(mql_points_find(p, "pricing")->points, 0.0);
	/* Youden picks eta* = 0: threshold = round(B (0 - -2)) =
	 * round(57.7078) = 58; logit at threshold = -2 + 58 / B =
	 * -2 + 2.9 ln 2 = 0.0101268236 */
	CU_ASSERT_EQUAL(p->threshold, 58.0);
	CU_ASSERT_DOUBLE_EQUAL(p->logit_at_threshold, 0.010126823623841208,
			       1e-12);
	CU_ASSERT_DOUBLE_EQUAL(p->chosen.precision, 0.6, 1e-15);
	/* bound = 1/4 (|23/B - 0.8| 2 + |14/B - 0.5| + |-35/B + 1.2| 1
	 *              + 0.0173 10)
	 *       = 1/4 (0.0057615 + 0.0147970 + 0.0130076 + 0.173)
	 *       = 0.0516415 */
	CU_ASSERT_DOUBLE_EQUAL(p->rounding_bound, 0.05164150607501712, 1e-9);
	mql_points_free(p);
	mql_model_free(m);
}

static void targets_pick_their_operating_point(void)
{
	mql_model *m = test_model();
	mql_points_options opt;
	mql_points *p = NULL;
	mql_error err;
	mql_points_options_init(&opt);
	/* precision >= 0.5: eta 1 (recall 0.2) and eta 0 (recall 0.75)
	 * qualify; the higher recall wins */
	opt.target = MQL_POINTS_TARGET_PRECISION;
	opt.target_value = 0.5;
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	CU_ASSERT_EQUAL(p->cut_eta, 0.0);
	mql_points_free(p);
	/* recall >= 0.9: eta -1 and -2 qualify; the stricter cut, eta -1,
	 * wins: threshold = round(B (-1 + 2)) = round(28.854) = 29 */
	opt.target = MQL_POINTS_TARGET_RECALL;
	opt.target_value = 0.9;
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	CU_ASSERT_EQUAL(p->threshold, 29.0);
	CU_ASSERT_DOUBLE_EQUAL(p->chosen.recall, 0.95, 1e-15);
	mql_points_free(p);
	/* no point reaches precision 0.9 */
	opt.target = MQL_POINTS_TARGET_PRECISION;
	opt.target_value = 0.9;
	CU_ASSERT_EQUAL(mql_points_from_model(&p, m, &opt, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "no operating point of the model reaches "
			       "precision 0.9 (the best is 0.8)");
	opt.target_value = 1.5;
	CU_ASSERT_EQUAL(mql_points_from_model(&p, m, &opt, &err),
			MQL_ERR_USAGE);
	mql_model_free(m);
}

/* Operating points without a recall (a model of no positive rows): the
 * Youden target says so instead of "reaches recall nan". */
static void youden_without_recall_says_so(void)
{
	mql_model *m = test_model();
	mql_points_options opt;
	mql_points *p = NULL;
	mql_error err;
	mql_points_options_init(&opt);
	for (size_t i = 0; i < m->operating_point_count; i++)
		m->operating_points[i].recall = NAN;
	CU_ASSERT_EQUAL(mql_points_from_model(&p, m, &opt, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_STRING_EQUAL(err.message,
			       "no operating point of the model has a recall "
			       "and a false positive rate: Youden's J is "
			       "undefined; give --threshold-points or "
			       "--capacity");
	mql_model_free(m);
}

static void threshold_points_sets_the_scale(void)
{
	mql_model *m = test_model();
	mql_points_options opt;
	mql_points *p = NULL;
	mql_points_options_init(&opt);
	/* Youden's cut eta* = 0 lands on 50: B = 50 / (0 - -2) = 25;
	 * 0.8 25 = 20, 0.5 25 = 12.5 -> 13 (half away from zero),
	 * -1.2 25 = -30, 0.0173 25 = 0.4325 -> 0 */
	opt.threshold_points = 50;
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	CU_ASSERT_DOUBLE_EQUAL(p->factor, 25.0, 1e-12);
	CU_ASSERT_EQUAL(p->threshold, 50.0);
	CU_ASSERT_EQUAL(mql_points_find(p, "vp")->points, 13.0);
	CU_ASSERT_EQUAL(mql_points_find(p, "unsub")->points, -30.0);
	/* a fixed threshold of 75 points: cut = -2 + 75 / 25 = 1, which
	 * is the operating point eta 1 (precision 0.8) */
	mql_points_set_threshold(p, m, 75);
	CU_ASSERT_DOUBLE_EQUAL(p->cut_eta, 1.0, 1e-12);
	CU_ASSERT_TRUE(p->has_chosen);
	CU_ASSERT_DOUBLE_EQUAL(p->chosen.precision, 0.8, 1e-15);
	/* 74 points: cut 0.96, still only the eta 1 rows are above */
	mql_points_set_threshold(p, m, 74);
	CU_ASSERT_DOUBLE_EQUAL(p->chosen.eta, 1.0, 1e-15);
	mql_points_free(p);
	/* recall 1 picks eta -2 = b0: no positive factor exists */
	opt.target = MQL_POINTS_TARGET_RECALL;
	opt.target_value = 1.0;
	CU_ASSERT_EQUAL(mql_points_from_model(&p, m, &opt, NULL),
			MQL_ERR_USAGE);
	mql_model_free(m);
}

static void change_table_against_previous(void)
{
	mql_model *m = test_model();
	mql_points_options opt;
	mql_points *p = NULL;
	mql_points_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	const mql_points_previous previous[] = {
		{"demo", 25}, {"vp", -5}, {"old_rule", 10}};
	mql_points_changes changes;
	CU_ASSERT_EQUAL_FATAL(
		mql_points_compare(&changes, p, m, previous, 3, "sal"), 0);
	CU_ASSERT_EQUAL_FATAL(changes.count, 5);
	/* sizes: unsub new -35 (35), vp -5 -> 14 (19), old_rule dropped
	 * (10), demo 25 -> 23 (2), pricing new 0 (0) */
	const char *order[] = {"unsub", "vp", "old_rule", "demo", "pricing"};
	for (size_t i = 0; i < 5; i++)
		CU_ASSERT_STRING_EQUAL(changes.rows[i].id, order[i]);
	CU_ASSERT_EQUAL(changes.rows[0].flags, MQL_CHANGE_NEW);
	CU_ASSERT_EQUAL(changes.rows[1].flags,
			MQL_CHANGE_SIGN_FLIPPED | MQL_CHANGE_CI_SPANS_ZERO);
	CU_ASSERT_EQUAL(changes.rows[2].flags, MQL_CHANGE_DROPPED);
	CU_ASSERT_TRUE(isnan(changes.rows[2].new_points));
	CU_ASSERT_EQUAL(changes.rows[3].flags, 0);
	CU_ASSERT_EQUAL(changes.rows[4].flags,
			MQL_CHANGE_NEW | MQL_CHANGE_CI_SPANS_ZERO |
				MQL_CHANGE_ROUNDS_TO_ZERO);
	/* exp(0.8) = 2.2255, exp(0.4) = 1.4918, exp(1.2) = 3.3201 */
	CU_ASSERT_STRING_EQUAL(changes.rows[3].reason,
			       "demo +25 -> +23: odds of acceptance x2.23 "
			       "(95% CI 1.49 to 3.32); n=400");
	CU_ASSERT_STRING_EQUAL(changes.rows[2].reason,
			       "old_rule +10 -> dropped: the model has no "
			       "such rule");
	char flags[128];
	CU_ASSERT_STRING_EQUAL(mql_points_flags_text(changes.rows[1].flags,
						     flags, sizeof flags),
			       "sign flipped; CI spans 0");
	mql_points_changes_release(&changes);
	/* without a previous file nothing is "new" */
	CU_ASSERT_EQUAL_FATAL(
		mql_points_compare(&changes, p, m, NULL, 0, "sal"), 0);
	CU_ASSERT_EQUAL_FATAL(changes.count, 4);
	CU_ASSERT_STRING_EQUAL(changes.rows[0].id, "unsub");
	CU_ASSERT_EQUAL(changes.rows[0].flags, 0);
	CU_ASSERT_STRING_EQUAL(changes.rows[0].reason,
			       "unsub -35: odds of acceptance x0.30 (95% CI "
			       "0.14 to 0.67); n=30");
	mql_points_changes_release(&changes);
	mql_points_free(p);
	mql_model_free(m);
}

static void aliased_rule_gets_no_points(void)
{
	/* the fitter writes null for a column it could not estimate */
	mql_model *m = test_model();
	mql_model_coefficient *copy = mql_model_add_coefficient(
		m, "copy_of_vp", cJSON_Parse("{\"property\":\"seniority\"}"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	mql_points_options opt;
	mql_points *p = NULL;
	mql_points_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	const mql_points_rule *r = mql_points_find(p, "copy_of_vp");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_TRUE(r->aliased);
	CU_ASSERT_EQUAL(r->points, 0.0);
	/* the bound is the one of the four estimated rules (see above) */
	CU_ASSERT_DOUBLE_EQUAL(p->rounding_bound, 0.05164150607501712, 1e-9);
	mql_points_changes changes;
	const mql_points_previous previous[] = {{"copy_of_vp", 8}};
	CU_ASSERT_EQUAL_FATAL(
		mql_points_compare(&changes, p, m, previous, 1, "sal"), 0);
	for (size_t i = 0; i < changes.count; i++) {
		if (strcmp(changes.rows[i].id, "copy_of_vp") != 0)
			continue;
		CU_ASSERT_EQUAL(changes.rows[i].flags, MQL_CHANGE_ALIASED);
		CU_ASSERT_STRING_EQUAL(changes.rows[i].reason,
				       "copy_of_vp -> 0: not estimable, a copy "
				       "or a combination of other rules "
				       "(aliased)");
	}
	mql_points_changes_release(&changes);
	mql_points_free(p);
	mql_model_free(m);
}

/* A weight whose CI spans 0 and runs past odds of 1000 (or 1/1000) is not
 * determined; CI limits past two decimals keep two digits, and one past
 * the doubles reads as 0 or infinity. */
static void undetermined_weights_say_so(void)
{
	static const struct {
		const char *name;
		double b, low, high;
		long support;
	} extra[] = {
		{"clicked", 0.3, -1e6, 1e6, 11},
		{"downloaded", -1.0, -2783.0, 387.0, 20},
		{"bounced", -8.0, -9.0, -7.0, 500},
	};
	mql_model *m = test_model();
	for (size_t i = 0; i < 3; i++) {
		mql_model_coefficient *c = mql_model_add_coefficient(
			m, extra[i].name, cJSON_Parse("{\"event\":\"x\"}"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		c->value.estimate = extra[i].b;
		c->value.ci_low = extra[i].low;
		c->value.ci_high = extra[i].high;
		c->support = extra[i].support;
	}
	mql_points_options opt;
	mql_points *p = NULL;
	mql_points_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(mql_points_from_model(&p, m, &opt, NULL), 0);
	mql_points_changes changes;
	CU_ASSERT_EQUAL_FATAL(
		mql_points_compare(&changes, p, m, NULL, 0, "sal"), 0);
	/* B = 20 / ln 2: 0.3 B = 8.66 -> 9, -B = -28.85 -> -29, -8 B =
	 * -230.83 -> -231; exp(0.3) = 1.3499, exp(-1) = 0.3679, exp(387) =
	 * 1.18e168, exp(-8), exp(-9), exp(-7) = 0.000335, 0.000123,
	 * 0.000912 */
	static const struct {
		const char *id;
		unsigned flags;
		const char *reason;
	} expected[] = {
		{"clicked", MQL_CHANGE_CI_SPANS_ZERO | MQL_CHANGE_UNDETERMINED,
		 "clicked +9: odds of acceptance x1.35 (95% CI 0.00 to "
		 "infinity); n=11; not determined: the history bounds neither "
		 "its sign nor its size"},
		{"downloaded",
		 MQL_CHANGE_CI_SPANS_ZERO | MQL_CHANGE_UNDETERMINED,
		 "downloaded -29: odds of acceptance x0.37 (95% CI 0.00 to "
		 "1.2e+168); n=20; not determined: the history bounds neither "
		 "its sign nor its size"},
		{"bounced", 0,
		 "bounced -231: odds of acceptance x0.00034 (95% CI 0.00012 "
		 "to 0.00091); n=500"},
	};
	for (size_t k = 0; k < 3; k++) {
		const mql_points_change *row = NULL;
		for (size_t i = 0; i < changes.count; i++)
			if (strcmp(changes.rows[i].id, expected[k].id) == 0)
				row = &changes.rows[i];
		CU_ASSERT_PTR_NOT_NULL_FATAL(row);
		CU_ASSERT_EQUAL(row->flags, expected[k].flags);
		CU_ASSERT_STRING_EQUAL(row->reason, expected[k].reason);
	}
	char flags[128];
	CU_ASSERT_STRING_EQUAL(
		mql_points_flags_text(MQL_CHANGE_CI_SPANS_ZERO |
					      MQL_CHANGE_UNDETERMINED,
				      flags, sizeof flags),
		"CI spans 0; not determined");
	mql_points_changes_release(&changes);
	mql_points_free(p);
	mql_model_free(m);
}

CU_TestInfo test_points[] = {
	{"aliased rule gets no points", aliased_rule_gets_no_points},
	{"rounds half away from zero", rounds_half_away_from_zero},
	{"pdo scaling and youden threshold", pdo_scaling_and_youden_threshold},
	{"targets pick their operating point",
	 targets_pick_their_operating_point},
	{"youden without recall says so", youden_without_recall_says_so},
	{"threshold points sets the scale", threshold_points_sets_the_scale},
	{"change table against previous", change_table_against_previous},
	{"undetermined weights say so", undetermined_weights_say_so},
	CU_TEST_INFO_NULL,
};
