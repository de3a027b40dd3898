/*
 * mql-score - the reference scorer: applies a rule file to every contact at
 * --as-of, with the first crossing of the threshold, an audit ledger whose
 * contributions add up to each score, and --explain for one contact.
 *
 * Events stream through a timeline grouped by contact, so memory grows with
 * contacts and the largest history of one contact, never with the file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <mqlcal/contacts.h>
#include <mqlcal/outfile.h>
#include <mqlcal/rules.h>
#include <mqlcal/score.h>
#include <mqlcal/score_write.h>
#include <mqlcal/timeline.h>

typedef struct score_args {
	mql_time as_of;
	const char *ledger_path;
	const char *explain_id;
} score_args;

/* What a run holds; released by release_session. */
typedef struct session {
	const mql_cli *cli;
	mql_rules *rules;
	mql_contacts *contacts;
	mql_scorer *scorer;
	mql_timeline *timeline;
	mql_time as_of;
	const mql_event *group; /* events of the next contact with events */
	size_t group_count;
	int group_status; /* 1 while groups remain */
} session;

static void release_session(session *s)
{
	mql_timeline_close(s->timeline);
	mql_scorer_free(s->scorer);
	mql_contacts_free(s->contacts);
	mql_rules_free(s->rules);
}

/* Progress on a terminal, after the files' (cli.h): contacts scored. */
static void show_contacts_scored(const session *s, size_t row)
{
	if (!mql_cli_progress_enabled(s->cli))
		return;
	if (row == s->contacts->count)
		mql_cli_end_progress(s->cli);
	else if (row % 65536 == 0)
		fprintf(stderr, "\rmql-score: %zu of %zu contacts scored   ",
			row, s->contacts->count);
}

/* Loads rules, contacts and events, binds them, settles --as-of. */
static int open_session(session *s, const score_args *a, mql_error *err)
{
	const mql_cli *cli = s->cli;
	int status = mql_rules_load(&s->rules, cli->args[0], err);
	if (!status)
		status = mql_contacts_load(&s->contacts, cli->args[1],
					   &cli->csv, MQL_TIME_NONE, NULL, err);
	if (!status)
		status = mql_scorer_new(&s->scorer, s->rules, s->contacts, err);
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	if (!status && cli->arg_count > 2)
		status = mql_timeline_open(&s->timeline, cli->args[2],
					   s->contacts, &cli->csv,
					   MQL_TIME_NONE, &topt, err);
	mql_time latest = MQL_TIME_NONE;
	if (!status && s->timeline) {
		mql_events *reader = mql_timeline_events(s->timeline);
		status = mql_scorer_bind_events(s->scorer, reader, err);
		latest = mql_events_history_end(s->contacts,
						mql_events_get_stats(reader));
	} else if (!status) {
		mql_dict none;
		mql_dict_init(&none);
		status = mql_scorer_bind_dict(s->scorer, &none, err);
		mql_dict_release(&none);
		latest = mql_events_history_end(s->contacts, NULL);
	}
	s->as_of = a->as_of != MQL_TIME_NONE ? a->as_of : latest;
	if (!status && s->as_of == MQL_TIME_NONE)
		status = mql_error_set(err, MQL_ERR_INPUT, cli->args[1], 0, 0,
				       "no dates in the data; give --as-of");
	s->group_status = s->timeline ? 1 : 0;
	return status;
}

/* The events of contacts row (none when it has none).  Rows must be asked
 * for in increasing order. */
static int events_of_row(session *s, size_t row, const mql_event **events,
			 size_t *count, mql_error *err)
{
	*events = NULL;
	*count = 0;
	while (s->group_status == 1 &&
	       (s->group_count == 0 || s->group[0].contact < row)) {
		s->group_status = mql_timeline_next_contact(
			s->timeline, &s->group, &s->group_count, err);
		if (s->group_status < 0)
			return s->group_status;
		if (s->group_status == 0)
			s->group_count = 0;
	}
	if (s->group_count > 0 && s->group[0].contact == row) {
		*events = s->group;
		*count = s->group_count;
	}
	return MQL_OK;
}

/* ---- the ledger ------------------------------------------------------- */

typedef struct ledger_out {
	const session *s;
	mql_table *table;
} ledger_out;

static int write_ledger_row(void *ctx, const mql_ledger_row *row)
{
	ledger_out *out = ctx;
	return mql_score_ledger_row(out->table,
				    out->s->contacts->id[row->contact], row);
}

/* Scores every contact into the table (and the ledger when given). */
static int score_all(session *s, mql_table *scores, mql_table *ledger,
		     mql_error *err)
{
	ledger_out lo = {s, ledger};
	for (size_t row = 0; row < s->contacts->count; row++) {
		show_contacts_scored(s, row);
		const mql_event *events;
		size_t count;
		mql_score_result r;
		int status = events_of_row(s, row, &events, &count, err);
		if (!status)
			status = mql_scorer_score_row(
				s->scorer, row, events, count, s->as_of, &r,
				ledger ? write_ledger_row : NULL, &lo);
		if (!status)
			status = mql_score_table_row(scores,
						     s->contacts->id[row], &r);
		if (status)
			return status == MQL_ERR_IO
				       ? mql_error_set(err, status, NULL, 0, 0,
						       "cannot write the "
						       "output")
				       : status;
	}
	show_contacts_scored(s, s->contacts->count);
	return MQL_OK;
}

/* ---- scoring on several threads --------------------------------------- */

/* What each scored row needs to be written (mql_score_emit_fn). */
typedef struct score_writer {
	session *s;
	mql_table *scores;
} score_writer;

static int write_scored_row(void *context, size_t row,
			    const mql_score_result *r)
{
	score_writer *w = context;
	show_contacts_scored(w->s, row);
	return mql_score_table_row(w->scores, w->s->contacts->id[row], r);
}

/* Scores every contact on two threads beside this one (see score.h):
 * *started 0 when none could start, and then nothing was written. */
static int score_all_threads(session *s, mql_table *scores, int *started,
			     mql_error *err)
{
	score_writer w = {s, scores};
	int status = mql_score_timeline_rows(s->timeline, s->rules, s->contacts,
					     s->as_of, 2, write_scored_row, &w,
					     started, err);
	if (!status && *started)
		show_contacts_scored(s, s->contacts->count);
	return status;
}

/* Opens the output files, scores, commits both or neither. */
static int write_scores(session *s, const score_args *a, mql_error *err)
{
	mql_outfile out = {0}, ledger_file = {0};
	mql_table *scores = NULL, *ledger = NULL;
	int status = mql_outfile_open(&out, s->cli->output_path, err);
	if (!status && a->ledger_path)
		status = mql_outfile_open(&ledger_file, a->ledger_path, err);
	/* A million rows: fewer, larger writes (set before any output; static,
	 * as stdout outlives this function). */
	static char scores_buffer[1 << 20], ledger_buffer[1 << 20];
	if (!status)
		setvbuf(out.fp, scores_buffer, _IOFBF, sizeof scores_buffer);
	if (!status && a->ledger_path)
		setvbuf(ledger_file.fp, ledger_buffer, _IOFBF,
			sizeof ledger_buffer);
	if (!status)
		status = mql_score_table_open(&scores, out.fp, s->cli->format);
	if (!status && a->ledger_path)
		status = mql_score_ledger_open(
			&ledger, ledger_file.fp,
			mql_score_ledger_format(a->ledger_path));
	if (status == MQL_ERR_NOMEM)
		status =
			mql_error_set(err, status, NULL, 0, 0, "out of memory");
	int started = 0;
	if (!status && !ledger && s->timeline)
		status = score_all_threads(s, scores, &started, err);
	if (!status && !started)
		status = score_all(s, scores, ledger, err);
	if (!status)
		status = mql_table_finish(scores, err);
	if (!status && ledger)
		status = mql_table_finish(ledger, err);
	if (!status && a->ledger_path)
		status = mql_outfile_commit(&ledger_file, err);
	if (!status)
		status = mql_outfile_commit(&out, err);
	mql_table_free(scores);
	mql_table_free(ledger);
	mql_outfile_abort(&ledger_file);
	mql_outfile_abort(&out);
	return status;
}

/* ---- --explain ------------------------------------------------------- */

static int tell_row(void *fp, const mql_ledger_row *row)
{
	return mql_score_story_row(fp, row);
}

/* What tell_story needs: the contact and its events. */
typedef struct explained {
	session *s;
	const char *id;
	size_t row;
	const mql_event *events;
	size_t count;
} explained;

/* The story of one contact's score, onto fp. */
static int tell_story(FILE *fp, const void *context, mql_error *err)
{
	const explained *e = context;
	char day[32];
	fprintf(fp, "%s as of %s:\n", e->id,
		mql_time_format(e->s->as_of, 0, day, sizeof day));
	mql_score_result r;
	int status =
		mql_scorer_score_row(e->s->scorer, e->row, e->events, e->count,
				     e->s->as_of, &r, tell_row, fp);
	const char *crossing = NULL;
	if (!status && r.mql && r.mql_event >= 0)
		crossing = mql_dict_name(
			mql_events_types(mql_timeline_events(e->s->timeline)),
			e->events[r.mql_event].type);
	if (!status)
		status = mql_score_story_end(fp, &r, e->s->rules->threshold,
					     crossing);
	if (status == MQL_ERR_IO)
		return mql_error_set(err, status, NULL, 0, 0,
				     "cannot write the story");
	return status;
}

static int explain(session *s, const char *id, mql_error *err)
{
	long row = mql_contacts_find(s->contacts, id, strlen(id));
	if (row < 0)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--explain: no contact '%s' in '%s'", id,
				     s->cli->args[1]);
	explained e = {s, id, (size_t)row, NULL, 0};
	int status = events_of_row(s, e.row, &e.events, &e.count, err);
	if (!status)
		status = mql_outfile_write(s->cli->output_path, tell_story, &e,
					   err);
	return status;
}

/* The data-quality summary on stderr: what was odd but not fatal. */
static void report_oddities(const mql_cli *cli, const mql_events_stats *st)
{
	mql_cli_warn_unknown_contacts(cli, st);
	if (st->before_created > 0)
		mql_cli_warn(cli,
			     "%zu events are dated before their contact's "
			     "created_at (they count)",
			     st->before_created);
	if (st->future > 0)
		mql_cli_warn(cli, "%zu events are dated in the future",
			     st->future);
}

static int run(const mql_cli *cli, void *args, mql_error *err)
{
	const score_args *a = args;
	session s = {.cli = cli};
	int status = open_session(&s, a, err);
	if (!status && a->explain_id)
		status = explain(&s, a->explain_id, err);
	else if (!status)
		status = write_scores(&s, a, err);
	if (!status && !cli->quiet && s.timeline)
		report_oddities(cli, mql_events_get_stats(
					     mql_timeline_events(s.timeline)));
	release_session(&s);
	return status;
}

int main(int argc, char **argv)
{
	score_args a = {.as_of = MQL_TIME_NONE};
	const mql_option options[] = {
		{"as-of", 0, MQL_OPTION_TIME, &a.as_of, "DATE",
		 "score at this time (latest date in the data)", NULL},
		{"ledger", 0, MQL_OPTION_OUTPUT, &a.ledger_path, "FILE",
		 "write the audit ledger (csv; json if FILE ends in .json)",
		 NULL},
		{"explain", 0, MQL_OPTION_STRING, &a.explain_id, "CONTACT_ID",
		 "tell how one contact got its score", NULL},
		MQL_OPTION_END};
	const mql_command cmd = {
		"mql-score",
		"rules.json contacts.csv [events.csv] [options]",
		"score every contact with a rule file, with an audit ledger",
		"mql-score rules.json contacts.csv events.csv --as-of "
		"2026-03-31 --ledger ledger.csv --format csv -o scores.csv",
		options,
		2,
		3,
		1,
		1,
		0};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
