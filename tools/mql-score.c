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
#include <mqlcal/table.h>
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

static const char *const ledger_kinds[] = {"fit", "event", "max_count",
					   "score_limit"};

static void release_session(session *s)
{
	mql_timeline_close(s->timeline);
	mql_scorer_free(s->scorer);
	mql_contacts_free(s->contacts);
	mql_rules_free(s->rules);
}

/* Progress on a terminal: events read (the timeline passes its context
 * first), then contacts scored. */
static void show_events_read(void *cli, size_t events_read)
{
	mql_cli_show_events_read(events_read, cli);
}

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
	if (mql_cli_progress_enabled(cli)) {
		topt.progress = show_events_read;
		topt.progress_ctx = (void *)cli;
	}
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
	mql_table *t = out->table;
	char when[32];
	mql_table_set_text(t, 0, out->s->contacts->id[row->contact]);
	mql_table_set_text(t, 1,
			   mql_time_format(row->at, 0, when, sizeof when));
	mql_table_set_text(t, 2, row->rule ? row->rule->id : "score_limit");
	mql_table_set_real(t, 3, row->points);
	mql_table_set_real(t, 4, row->weight);
	mql_table_set_real(t, 5, row->contribution);
	mql_table_set_text(t, 6, ledger_kinds[row->kind]);
	return mql_table_end_row(t);
}

static mql_table *new_ledger_table(FILE *fp, const char *path)
{
	size_t len = strlen(path);
	mql_format f = len > 5 && strcmp(path + len - 5, ".json") == 0
			       ? MQL_FORMAT_JSON
			       : MQL_FORMAT_CSV;
	mql_table *t = mql_table_new(fp, f);
	if (!t)
		return NULL;
	mql_table_add_column(t, "contact_id", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "time", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "rule", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "points", MQL_COLUMN_REAL, 2);
	mql_table_add_column(t, "weight", MQL_COLUMN_REAL, 4);
	mql_table_add_column(t, "contribution", MQL_COLUMN_REAL, 4);
	mql_table_add_column(t, "kind", MQL_COLUMN_TEXT, 0);
	return t;
}

/* ---- the scores table ---------------------------------------------- */

static mql_table *new_score_table(FILE *fp, mql_format f)
{
	mql_table *t = mql_table_new(fp, f);
	if (!t)
		return NULL;
	mql_table_add_column(t, "contact_id", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "score", MQL_COLUMN_REAL, 2);
	mql_table_add_column(t, "fit_score", MQL_COLUMN_REAL, 2);
	mql_table_add_column(t, "engagement_score", MQL_COLUMN_REAL, 2);
	mql_table_add_column(t, "grade", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "mql", MQL_COLUMN_INT, 0);
	mql_table_add_column(t, "mql_at", MQL_COLUMN_TEXT, 0);
	mql_table_add_column(t, "probability", MQL_COLUMN_REAL, 3);
	return t;
}

static int write_score_row(mql_table *t, const char *id,
			   const mql_score_result *r)
{
	char when[32];
	mql_table_set_text(t, 0, id);
	mql_table_set_real(t, 1, r->score);
	mql_table_set_real(t, 2, r->fit_score);
	mql_table_set_real(t, 3, r->engagement_score);
	mql_table_set_text(t, 4, r->grade);
	mql_table_set_int(t, 5, r->mql);
	mql_table_set_text(t, 6,
			   mql_time_format(r->mql_at, 0, when, sizeof when));
	mql_table_set_real(t, 7, r->probability);
	return mql_table_end_row(t);
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
			status = write_score_row(scores, s->contacts->id[row],
						 &r);
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
	return write_score_row(w->scores, w->s->contacts->id[row], r);
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
	if (!status && !(scores = new_score_table(out.fp, s->cli->format)))
		status = MQL_ERR_NOMEM;
	if (!status && a->ledger_path &&
	    !(ledger = new_ledger_table(ledger_file.fp, a->ledger_path)))
		status = MQL_ERR_NOMEM;
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

typedef struct story {
	FILE *fp;
	const session *s;
	const mql_event *events;
} story;

static int tell_row(void *ctx, const mql_ledger_row *row)
{
	story *st = ctx;
	char day[32];
	mql_time_format(row->at, 1, day, sizeof day);
	switch (row->kind) {
	case MQL_LEDGER_FIT:
		if (row->rule->op == MQL_OP_LINEAR)
			fprintf(st->fp,
				"  %-10s fit %s: %+g per unit x %.4g = %+.2f\n",
				day, row->rule->id, row->points, row->weight,
				row->contribution);
		else
			fprintf(st->fp, "  %-10s fit %s (%s) %+g\n", day,
				row->rule->id, row->rule->property,
				row->contribution);
		break;
	case MQL_LEDGER_EVENT:
		fprintf(st->fp, "  %-10s %s %+g (weight %.2f now) = %+.2f\n",
			day, row->rule->event, row->points, row->weight,
			row->contribution);
		break;
	case MQL_LEDGER_CAP:
		fprintf(st->fp, "  %-10s %s capped at max_count %g: %+.2f\n",
			day, row->rule->id, row->rule->max_count,
			row->contribution);
		break;
	default:
		fprintf(st->fp, "  %-10s score_limit: %+.2f\n", day,
			row->contribution);
	}
	return MQL_OK;
}

static void tell_ending(const story *st, const mql_score_result *r)
{
	const mql_rules *rules = st->s->rules;
	char day[32];
	mql_time_format(r->mql_at, 1, day, sizeof day);
	if (r->mql && r->mql_at == MQL_TIME_NONE)
		fprintf(st->fp, "  reached %g with no created_at to date it\n",
			rules->threshold);
	else if (r->mql && r->mql_event < 0)
		fprintf(st->fp, "  crossed %g on %s at creation (fit alone)\n",
			rules->threshold, day);
	else if (r->mql)
		fprintf(st->fp, "  crossed %g on %s with %s (score %.2f)\n",
			rules->threshold, day,
			mql_dict_name(mql_events_types(mql_timeline_events(
					      st->s->timeline)),
				      st->events[r->mql_event].type),
			r->mql_score);
	else
		fprintf(st->fp, "  has not reached %g\n", rules->threshold);
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
	story st = {fp, e->s, e->events};
	char day[32];
	(void)err;
	fprintf(fp, "%s as of %s:\n", e->id,
		mql_time_format(e->s->as_of, 0, day, sizeof day));
	mql_score_result r;
	int status =
		mql_scorer_score_row(e->s->scorer, e->row, e->events, e->count,
				     e->s->as_of, &r, tell_row, &st);
	if (status)
		return status;
	fprintf(fp, "  score %.2f = fit %.2f + engagement %.2f%s%s\n", r.score,
		r.fit_score, r.engagement_score, r.grade[0] ? ", grade " : "",
		r.grade);
	tell_ending(&st, &r);
	return MQL_OK;
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
		1};
	return mql_cli_main(&cmd, argc, argv, run, &a);
}
