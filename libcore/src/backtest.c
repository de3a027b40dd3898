/* backtest.c - replaying two rule files over a history (see backtest.h).
 * The per-period tables are built in backtest_periods.c. */
#include <mqlcal/backtest.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/population.h>
#include <mqlcal/score.h>
#include <mqlcal/timeline.h>

#include "backtest_internal.h"

void mql_backtest_options_init(mql_backtest_options *o)
{
	o->from = MQL_TIME_NONE;
	o->as_of = MQL_TIME_NONE;
	o->by = MQL_BACKTEST_MONTH;
	o->horizon_days = 30.0;
	o->psi_bins = 10;
}

void mql_backtest_free(mql_backtest *b)
{
	if (!b)
		return;
	free(b->rows);
	free(b);
}

const char *mql_backtest_recall_note(const mql_backtest *b)
{
	for (size_t i = 0; i < b->row_count; i++) {
		const mql_backtest_row *r = &b->rows[i];
		if (r->file == 0 && strcmp(r->period, "all") == 0 &&
		    r->customer_recall >= 1.0)
			return "the old rule file's customer recall is 1 by "
			       "construction: the history's MQLs are its own, "
			       "so every customer it handed to sales was "
			       "flagged; the new file's recall is measured "
			       "against that and cannot exceed it";
	}
	return NULL;
}

/* Frees what the replay holds (not the struct). */
static void replay_release(backtest_replay *r)
{
	for (int f = 0; f < 2; f++) {
		mql_scorer_free(r->scorer[f]);
		free(r->crossing[f]);
		free(r->decision_score[f]);
		free(r->horizon_score[f]);
	}
	free(r->seen);
}

static int replay_alloc(backtest_replay *r, size_t n)
{
	size_t rows = n ? n : 1;
	for (int f = 0; f < 2; f++) {
		r->crossing[f] = malloc(rows * sizeof *r->crossing[f]);
		r->decision_score[f] =
			malloc(rows * sizeof *r->decision_score[f]);
		r->horizon_score[f] =
			malloc(rows * sizeof *r->horizon_score[f]);
		if (!r->crossing[f] || !r->decision_score[f] ||
		    !r->horizon_score[f])
			return MQL_ERR_NOMEM;
	}
	r->seen = calloc(rows, 1);
	return r->seen ? MQL_OK : MQL_ERR_NOMEM;
}

/* The time sales decided on row, or NONE when it has no decision. */
mql_time backtest_decision_time(const mql_contacts *c, size_t row)
{
	enum mql_outcome outcome = mql_contacts_outcome(c, row);
	if (outcome != MQL_OUTCOME_ACCEPTED && outcome != MQL_OUTCOME_REJECTED)
		return MQL_TIME_NONE;
	return c->stage_at[MQL_STAGE_MQL][row];
}

/* Scores row's events with both files: crossing by the end of the history,
 * score at the decision time, score at the drift horizon. */
static int replay_contact(backtest_replay *r, size_t row,
			  const mql_event *events, size_t count, mql_error *err)
{
	const mql_contacts *c = r->contacts;
	mql_time decided_at = backtest_decision_time(c, row);
	mql_time created = c->stage_at[MQL_STAGE_CREATED][row];
	mql_time horizon_at = MQL_TIME_NONE;
	if (created != MQL_TIME_NONE &&
	    created + r->horizon_seconds <= r->as_of)
		horizon_at = created + r->horizon_seconds;
	r->seen[row] = 1;
	for (int f = 0; f < 2; f++) {
		mql_score_result res;
		int status =
			mql_scorer_score_row(r->scorer[f], row, events, count,
					     r->as_of, &res, NULL, NULL);
		r->crossing[f][row] = MQL_TIME_NONE;
		r->decision_score[f][row] = NAN;
		r->horizon_score[f][row] = NAN;
		if (status == MQL_OK && res.mql)
			r->crossing[f][row] = res.mql_at;
		if (status == MQL_OK && decided_at != MQL_TIME_NONE &&
		    decided_at <= r->as_of) {
			status = mql_scorer_score_row(r->scorer[f], row, events,
						      count, decided_at, &res,
						      NULL, NULL);
			if (status == MQL_OK)
				r->decision_score[f][row] = res.score;
		}
		if (status == MQL_OK && horizon_at != MQL_TIME_NONE) {
			status = mql_scorer_score_row(r->scorer[f], row, events,
						      count, horizon_at, &res,
						      NULL, NULL);
			if (status == MQL_OK)
				r->horizon_score[f][row] = res.score;
		}
		if (status)
			return mql_error_set(err, status, c->path, c->line[row],
					     0, "cannot score contact '%s': %s",
					     c->id[row], mql_strerror(status));
	}
	return MQL_OK;
}

static int open_replay(backtest_replay *r, mql_timeline **timeline,
		       const mql_rules *rules[2], const mql_contacts *contacts,
		       const char *events_path, const mql_csv_options *csv,
		       mql_error *err)
{
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	int status = mql_timeline_open(timeline, events_path, contacts, csv,
				       MQL_TIME_NONE, &topt, err);
	if (status)
		return status;
	mql_events *reader = mql_timeline_events(*timeline);
	for (int f = 0; f < 2 && status == MQL_OK; f++) {
		status = mql_scorer_new(&r->scorer[f], rules[f], contacts, err);
		if (status == MQL_OK)
			status = mql_scorer_bind_events(r->scorer[f], reader,
							err);
	}
	if (status == MQL_OK && replay_alloc(r, contacts->count))
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory");
	return status;
}

/* The end of the history: the latest stage date or event. */
static mql_time history_end(const mql_contacts *c, mql_timeline *t)
{
	return mql_events_history_end(
		c, mql_events_get_stats(mql_timeline_events(t)));
}

static int replay_all(backtest_replay *r, mql_timeline *t, mql_error *err)
{
	const mql_event *events;
	size_t count;
	int got, status = MQL_OK;
	while (status == MQL_OK &&
	       (got = mql_timeline_next_contact(t, &events, &count, err)) > 0)
		status = replay_contact(r, events[0].contact, events, count,
					err);
	if (status == MQL_OK && got < 0)
		status = got;
	/* contacts without events are scored on their fit alone */
	for (size_t row = 0; status == MQL_OK && row < r->contacts->count;
	     row++)
		if (!r->seen[row])
			status = replay_contact(r, row, NULL, 0, err);
	return status;
}

static int check_options(const mql_backtest_options *opt, mql_error *err)
{
	/* bounded as stage windows are: beyond, its seconds would overflow */
	if (!(opt->horizon_days > 0) ||
	    !(opt->horizon_days <= MQL_WINDOW_MAX_DAYS))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the horizon must be a number of days > "
				     "0 and at most %d (100 years)",
				     MQL_WINDOW_MAX_DAYS);
	if (opt->psi_bins < 2 || opt->psi_bins > 100)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "PSI bins must be 2 to 100");
	return MQL_OK;
}

int mql_backtest_run(mql_backtest **out, const mql_rules *old_rules,
		     const mql_rules *new_rules, const mql_contacts *contacts,
		     const char *events_path, const mql_csv_options *csv,
		     const mql_backtest_options *opt, mql_error *err)
{
	const mql_rules *rules[2] = {old_rules, new_rules};
	backtest_replay r;
	mql_timeline *timeline = NULL;
	*out = NULL;
	int status = check_options(opt, err);
	if (status)
		return status;
	memset(&r, 0, sizeof r);
	r.contacts = contacts;
	r.horizon_seconds =
		(mql_time)llround(opt->horizon_days * MQL_SECONDS_PER_DAY);
	status = open_replay(&r, &timeline, rules, contacts, events_path, csv,
			     err);
	if (status == MQL_OK) {
		r.as_of = opt->as_of != MQL_TIME_NONE
				  ? opt->as_of
				  : history_end(contacts, timeline);
		if (r.as_of == MQL_TIME_NONE)
			status = mql_error_set(
				err, MQL_ERR_INPUT, contacts->path, 0, 0,
				"no dates in the history: give --as-of");
	}
	if (status == MQL_OK)
		status = replay_all(&r, timeline, err);
	mql_timeline_close(timeline);
	if (status == MQL_OK) {
		r.threshold[0] = old_rules->threshold;
		r.threshold[1] = new_rules->threshold;
		status = backtest_tabulate(out, &r, opt, err);
	}
	replay_release(&r);
	return status;
}
