/*
 * test_channels.c - the keep / kill / watch rule on hand-built groups.
 * p-values, q-values and the power-based MQL count come from R
 * (tests/fixtures/channels/channels.R, output in channels.out).
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_errno.h>
#include <math.h>

#include <mqlcal/channels.h>

#include "fake_tables.h"

#define CLOSE(a, b, tol) CU_ASSERT(fabs((a) - (b)) <= (tol))

/* Adds count MQLs of channel name, the first reached of them with sql_at,
 * all created and MQL'd on day. */
static size_t add_group(mql_contacts *c, size_t row, const char *name,
			size_t count, size_t reached, mql_time day)
{
	int32_t channel = fake_intern(&c->channels, name);
	for (size_t i = 0; i < count; i++, row++) {
		c->channel[row] = channel;
		c->stage_at[MQL_STAGE_CREATED][row] = day;
		c->stage_at[MQL_STAGE_MQL][row] = day;
		if (i < reached)
			c->stage_at[MQL_STAGE_SQL][row] = day;
		else
			c->stage_at[MQL_STAGE_REJECTED][row] = day;
	}
	return row;
}

static const mql_channel_row *find(const mql_channels_report *r,
				   const char *group)
{
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->rows[i].group, group) == 0)
			return &r->rows[i];
	return NULL;
}

/* What mql_channels_write puts in format, as text in buf. */
static void written(const mql_channels_report *r, mql_format format, char *buf,
		    size_t n)
{
	FILE *fp = tmpfile();
	size_t length = 0;
	buf[0] = '\0';
	CU_ASSERT_FATAL(fp != NULL);
	CU_ASSERT_EQUAL(mql_channels_write(r, fp, format, NULL, NULL, NULL), 0);
	rewind(fp);
	length = fread(buf, 1, n - 1, fp);
	buf[length] = '\0';
	fclose(fp);
}

/*
 * good_a 60/200, good_b 90/300, bad 10/200, tiny 2/2: p0 = 162/702.
 * bad converts 5% against 23.1%, q = 2.1e-11, and its upper bound is far
 * below the kill line 11.5%: kill.  The good ones: keep.  tiny (2 of 2):
 * watch, with 91 - 2 = 89 more MQLs to settle it (R: ceiling of 90.005).
 */
static void decides_keep_kill_watch(void)
{
	gsl_set_error_handler_off();
	mql_contacts *c = fake_contacts_new(702);
	mql_time day = fake_date(2025, 6, 1);
	size_t row = add_group(c, 0, "good_a", 200, 60, day);
	row = add_group(c, row, "good_b", 300, 90, day);
	row = add_group(c, row, "bad", 200, 10, day);
	row = add_group(c, row, "tiny", 2, 2, day);
	CU_ASSERT_EQUAL_FATAL(row, 702);
	mql_channels_options o;
	mql_channels_options_init(&o);
	o.as_of = fake_date(2026, 6, 1);
	mql_channels_report *r;
	mql_error err;
	CU_ASSERT_EQUAL_FATAL(mql_channels_decide(&r, c, NULL, &o, &err), 0);
	CLOSE(r->overall_rate, 162.0 / 702.0, 1e-15);
	CLOSE(r->options.min_mql, 91, 0);
	const mql_channel_row *good_a = find(r, "good_a");
	const mql_channel_row *good_b = find(r, "good_b");
	const mql_channel_row *bad = find(r, "bad");
	const mql_channel_row *tiny = find(r, "tiny");
	CU_ASSERT_FATAL(good_a && good_b && bad && tiny);
	CU_ASSERT_EQUAL(good_a->decision, MQL_DECISION_KEEP);
	CU_ASSERT_EQUAL(good_b->decision, MQL_DECISION_KEEP);
	CU_ASSERT_EQUAL(bad->decision, MQL_DECISION_KILL);
	CU_ASSERT_EQUAL(tiny->decision, MQL_DECISION_WATCH);
	CLOSE(tiny->more_mql, 89, 0);
	CU_ASSERT(isnan(good_a->more_mql));
	CLOSE(good_a->p_value, 0.0232888464506805, 1e-12);
	CLOSE(bad->p_value, 5.25553285450039e-12, 5.3e-12 * 1e-7);
	CLOSE(tiny->p_value, 0.0532544378698225, 1e-12);
	CLOSE(good_a->q_value, 0.031051795267574, 1e-12);
	CLOSE(good_b->q_value, 0.0119915943385074, 1e-12);
	CLOSE(bad->q_value, 2.10221314180016e-11, 2.1e-11 * 1e-7);
	CLOSE(tiny->q_value, 0.0532544378698225, 1e-12);
	/* The shrunk rate sits between the raw rate and p0. */
	CU_ASSERT(tiny->rate_shrunk < 1 && tiny->rate_shrunk > r->overall_rate);
	CU_ASSERT(bad->rate_shrunk > 0.05 &&
		  bad->rate_shrunk < r->overall_rate);
	CU_ASSERT(bad->rate_high < r->kill_line);
	CU_ASSERT(tiny->rate_low <= tiny->rate_shrunk &&
		  tiny->rate_shrunk <= tiny->rate_high);
	/* Most MQLs first; the total pools everything. */
	CU_ASSERT_STRING_EQUAL(r->rows[0].group, "good_b");
	CU_ASSERT_EQUAL(r->total.mql, 702);
	CU_ASSERT_EQUAL(r->total.sql, 162);
	CU_ASSERT(strstr(bad->reason, "kill line") != NULL);
	/* q = 2.1e-11 reads as the page's table prints it, in the reason
	 * and in the readable tables (md: whole) alike; csv keeps every digit.
	 */
	CU_ASSERT(strstr(bad->reason, "(q < 0.001)") != NULL);
	CU_ASSERT(strstr(bad->reason, "e-") == NULL);
	char table[4096];
	written(r, MQL_FORMAT_MD, table, sizeof table);
	CU_ASSERT(strstr(table, "< 0.001") != NULL);
	CU_ASSERT(strstr(table, "e-1") == NULL);
	written(r, MQL_FORMAT_CSV, table, sizeof table);
	CU_ASSERT(strstr(table, "2.10221314") != NULL);
	mql_channels_free(r);
	fake_contacts_free(c);
}

/*
 * Window: as of day 100 with a 30-day window, the MQLs from day 90 are
 * left out of the rate whatever happened to them (still open, rejected on
 * day 95, reached SQL on day 99): counting the one that reached SQL and not
 * the one still open would bias the rate up.  An MQL from day 60 (window
 * closed on day 90) that reached SQL on day 95, after its window, counts
 * as not reaching it.  Group b: three MQLs from day 10, SQL on day 20.
 */
static void open_mqls_inside_window_are_left_out(void)
{
	gsl_set_error_handler_off();
	mql_contacts *c = fake_contacts_new(7);
	int32_t a = fake_intern(&c->channels, "a");
	int32_t b = fake_intern(&c->channels, "b");
	mql_time day0 = fake_date(2026, 1, 1), day = MQL_SECONDS_PER_DAY;
	for (size_t i = 0; i < 7; i++) {
		c->channel[i] = i < 4 ? a : b;
		c->stage_at[MQL_STAGE_MQL][i] = day0 + 10 * day;
		c->stage_at[MQL_STAGE_SQL][i] = day0 + 20 * day;
	}
	c->stage_at[MQL_STAGE_MQL][0] = day0 + 90 * day; /* open */
	c->stage_at[MQL_STAGE_SQL][0] = MQL_TIME_NONE;
	c->stage_at[MQL_STAGE_MQL][1] = day0 + 90 * day; /* rejected */
	c->stage_at[MQL_STAGE_SQL][1] = MQL_TIME_NONE;
	c->stage_at[MQL_STAGE_REJECTED][1] = day0 + 95 * day;
	c->stage_at[MQL_STAGE_MQL][2] = day0 + 90 * day; /* reached */
	c->stage_at[MQL_STAGE_SQL][2] = day0 + 99 * day;
	c->stage_at[MQL_STAGE_MQL][3] = day0 + 60 * day; /* late SQL */
	c->stage_at[MQL_STAGE_SQL][3] = day0 + 95 * day;
	mql_channels_options o;
	mql_channels_options_init(&o);
	o.as_of = day0 + 100 * day;
	o.window_days = 30;
	mql_channels_report *r;
	CU_ASSERT_EQUAL_FATAL(mql_channels_decide(&r, c, NULL, &o, NULL), 0);
	const mql_channel_row *ra = find(r, "a");
	const mql_channel_row *rb = find(r, "b");
	CU_ASSERT_FATAL(ra != NULL && rb != NULL);
	CU_ASSERT_EQUAL(ra->mql, 4);
	CU_ASSERT_EQUAL(ra->decided, 1);
	CU_ASSERT_EQUAL(ra->reached, 0);
	CLOSE(ra->rate, 0, 0);
	CU_ASSERT_EQUAL(rb->decided, 3);
	CU_ASSERT_EQUAL(rb->reached, 3);
	/* 3 of the 4 MQLs with a closed window reached SQL within it. */
	CLOSE(r->overall_rate, 0.75, 1e-15);
	mql_channels_free(r);
	fake_contacts_free(c);
}

/* One group, no conversions, no MQLs: finite numbers or a clear error. */
static void degenerate_groups_are_reported(void)
{
	gsl_set_error_handler_off();
	mql_contacts *c = fake_contacts_new(4);
	int32_t only = fake_intern(&c->channels, "only");
	for (size_t i = 0; i < 4; i++) {
		c->channel[i] = only;
		c->stage_at[MQL_STAGE_MQL][i] = fake_date(2025, 1, 1);
	}
	mql_channels_options o;
	mql_channels_options_init(&o);
	o.as_of = fake_date(2026, 1, 1);
	mql_channels_report *r;
	mql_error err;
	/* No MQL reached SQL: p0 = 0, nothing can be worse. */
	CU_ASSERT_EQUAL_FATAL(mql_channels_decide(&r, c, NULL, &o, &err), 0);
	CU_ASSERT_FALSE(r->prior_fitted);
	CU_ASSERT_EQUAL(r->rows[0].decision, MQL_DECISION_WATCH);
	CU_ASSERT(isfinite(r->rows[0].rate_shrunk) &&
		  isfinite(r->rows[0].rate_high));
	CU_ASSERT(strstr(r->rows[0].reason, "nothing to compare") != NULL);
	mql_channels_free(r);
	/* No MQLs at all. */
	for (size_t i = 0; i < 4; i++)
		c->stage_at[MQL_STAGE_MQL][i] = MQL_TIME_NONE;
	CU_ASSERT_EQUAL(mql_channels_decide(&r, c, NULL, &o, &err),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(r);
	/* Bad options. */
	o.kill_fraction = 2;
	CU_ASSERT_EQUAL(mql_channels_decide(&r, c, NULL, &o, &err),
			MQL_ERR_USAGE);
	/* A window longer than 100 years (36500 days) is not a window. */
	mql_channels_options_init(&o);
	o.window_days = 1e20;
	CU_ASSERT_EQUAL(mql_channels_decide(&r, c, NULL, &o, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "36500"));
	fake_contacts_free(c);
}

/*
 * Worse but not clearly a kill.  p0 = (300 + 12) / 1100 = 0.2836, kill line
 * K = 0.1418.  "low" converts 12/100 = 12%: significantly worse, shrunk
 * rate below K, but its interval still reaches above K: watch, with a
 * finite number of MQLs to settle it.  "mid" converts 27/150 = 18%:
 * significantly worse but above K, so more MQLs cannot make it a kill:
 * watch with no number.
 */
static void worse_groups_above_the_kill_line_are_watched(void)
{
	gsl_set_error_handler_off();
	mql_contacts *c = fake_contacts_new(1250);
	mql_time day = fake_date(2025, 6, 1);
	size_t row = add_group(c, 0, "big", 1000, 300, day);
	row = add_group(c, row, "low", 100, 12, day);
	mql_channels_options o;
	mql_channels_options_init(&o);
	o.as_of = fake_date(2026, 6, 1);
	mql_channels_report *r;
	CU_ASSERT_EQUAL_FATAL(mql_channels_decide(&r, c, NULL, &o, NULL), 0);
	const mql_channel_row *low = find(r, "low");
	CU_ASSERT_FATAL(low != NULL);
	CU_ASSERT(low->q_value < 0.05);
	CU_ASSERT(low->rate_shrunk < r->kill_line);
	CU_ASSERT(low->rate_high >= r->kill_line);
	CU_ASSERT_EQUAL(low->decision, MQL_DECISION_WATCH);
	CU_ASSERT(isfinite(low->more_mql) && low->more_mql >= 1);
	/* R: the same with 312/1100 and binom.test(12, 100, .): 0.000268 */
	CLOSE(low->q_value, 0.0002683919659, 1e-12);
	CU_ASSERT(strstr(low->reason, "(12.0% vs 28.4%, q < 0.001)") != NULL);
	mql_channels_free(r);

	/* Now with "mid" (27 of 150) instead of "low". */
	fake_contacts_free(c);
	c = fake_contacts_new(1150);
	row = add_group(c, 0, "big", 1000, 300, day);
	row = add_group(c, row, "mid", 150, 27, day);
	CU_ASSERT_EQUAL_FATAL(mql_channels_decide(&r, c, NULL, &o, NULL), 0);
	const mql_channel_row *mid = find(r, "mid");
	CU_ASSERT_FATAL(mid != NULL);
	CU_ASSERT(mid->q_value < 0.05);
	CU_ASSERT_EQUAL(mid->decision, MQL_DECISION_WATCH);
	CU_ASSERT(isnan(mid->more_mql));
	CU_ASSERT(strstr(mid->reason, "will not settle") != NULL);
	/* R: p.adjust(c(binom.test(300, 1000, 327/1150)$p.value,
	 * binom.test(27, 150, 327/1150)$p.value), "BH")[2] = 0.00742 */
	CLOSE(mid->q_value, 0.007420165248, 1e-11);
	CU_ASSERT(strstr(mid->reason, "(18.0% vs 28.4%, q = 0.007)") != NULL);
	CU_ASSERT_EQUAL(find(r, "big")->decision, MQL_DECISION_KEEP);
	mql_channels_free(r);
	fake_contacts_free(c);
}

CU_TestInfo test_channels[] = {
	{"worse groups above the kill line are watched",
	 worse_groups_above_the_kill_line_are_watched},
	{"decides keep, kill and watch", decides_keep_kill_watch},
	{"open MQLs inside the window are left out",
	 open_mqls_inside_window_are_left_out},
	{"degenerate groups are reported", degenerate_groups_are_reported},
	CU_TEST_INFO_NULL,
};
