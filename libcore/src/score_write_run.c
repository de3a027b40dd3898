/*
 * score_write_run.c - a scoring run from files to files (see
 * score_write.h): load and bind, score every contact into the tables, or
 * tell one contact's story.
 */
#include <mqlcal/score_write.h>

#include <stdio.h>
#include <string.h>

#include <mqlcal/dict.h>
#include <mqlcal/events.h>
#include <mqlcal/outfile.h>

void mql_score_run_close(mql_score_run *run)
{
	if (!run)
		return;
	mql_timeline_close(run->timeline);
	mql_scorer_free(run->scorer);
	mql_contacts_free(run->contacts);
	mql_rules_free(run->rules);
	memset(run, 0, sizeof *run);
}

/* Binds the scorer to the events' types (or to none) and returns the
 * history's latest date. */
static int bind_types(mql_score_run *run, mql_time *latest, mql_error *err)
{
	int status;
	if (run->timeline) {
		mql_events *reader = mql_timeline_events(run->timeline);
		status = mql_scorer_bind_events(run->scorer, reader, err);
		*latest = mql_events_history_end(run->contacts,
						 mql_events_get_stats(reader));
		return status;
	}
	mql_dict none;
	mql_dict_init(&none);
	status = mql_scorer_bind_dict(run->scorer, &none, err);
	mql_dict_release(&none);
	*latest = mql_events_history_end(run->contacts, NULL);
	return status;
}

int mql_score_run_open(mql_score_run *run, const char *rules_path,
		       const char *contacts_path, const char *events_path,
		       const mql_csv_options *csv, mql_time as_of,
		       mql_error *err)
{
	memset(run, 0, sizeof *run);
	int status = mql_rules_load(&run->rules, rules_path, err);
	if (!status)
		status = mql_contacts_load(&run->contacts, contacts_path, csv,
					   MQL_TIME_NONE, NULL, err);
	if (!status)
		status = mql_scorer_new(&run->scorer, run->rules, run->contacts,
					err);
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	if (!status && events_path)
		status = mql_timeline_open(&run->timeline, events_path,
					   run->contacts, csv, MQL_TIME_NONE,
					   &topt, err);
	mql_time latest = MQL_TIME_NONE;
	if (!status)
		status = bind_types(run, &latest, err);
	run->as_of = as_of != MQL_TIME_NONE ? as_of : latest;
	if (!status && run->as_of == MQL_TIME_NONE)
		status = mql_error_set(err, MQL_ERR_INPUT, contacts_path, 0, 0,
				       "no dates in the data; give --as-of");
	run->group_status = run->timeline ? 1 : 0;
	return status;
}

/* The events of contacts row (none when it has none).  Rows must be asked
 * for in increasing order. */
static int events_of_row(mql_score_run *run, size_t row,
			 const mql_event **events, size_t *count,
			 mql_error *err)
{
	*events = NULL;
	*count = 0;
	while (run->group_status == 1 &&
	       (run->group_count == 0 || run->group[0].contact < row)) {
		run->group_status = mql_timeline_next_contact(
			run->timeline, &run->group, &run->group_count, err);
		if (run->group_status < 0)
			return run->group_status;
		if (run->group_status == 0)
			run->group_count = 0;
	}
	if (run->group_count > 0 && run->group[0].contact == row) {
		*events = run->group;
		*count = run->group_count;
	}
	return MQL_OK;
}

/* Where scored rows go, and who hears of them. */
typedef struct run_output {
	mql_score_run *run;
	mql_table *scores, *ledger;
	mql_score_progress_fn progress;
	void *context;
} run_output;

static void tell_progress(const run_output *o, size_t row)
{
	if (o->progress)
		o->progress(o->context, row, o->run->contacts->count);
}

static int write_ledger_row(void *context, const mql_ledger_row *row)
{
	run_output *o = context;
	return mql_score_ledger_row(o->ledger,
				    o->run->contacts->id[row->contact], row);
}

/* Scores every contact on this thread, into the scores (and ledger). */
static int score_all(run_output *o, mql_error *err)
{
	mql_score_run *run = o->run;
	for (size_t row = 0; row < run->contacts->count; row++) {
		const mql_event *events;
		size_t count;
		mql_score_result r;
		int status = events_of_row(run, row, &events, &count, err);
		if (!status)
			status = mql_scorer_score_row(
				run->scorer, row, events, count, run->as_of, &r,
				o->ledger ? write_ledger_row : NULL, o);
		if (!status)
			status = mql_score_table_row(
				o->scores, run->contacts->id[row], &r);
		if (status)
			return status == MQL_ERR_IO
				       ? mql_error_set(err, status, NULL, 0, 0,
						       "cannot write the "
						       "output")
				       : status;
		tell_progress(o, row + 1);
	}
	return MQL_OK;
}

static int write_scored_row(void *context, size_t row,
			    const mql_score_result *r)
{
	run_output *o = context;
	int status =
		mql_score_table_row(o->scores, o->run->contacts->id[row], r);
	tell_progress(o, row + 1);
	return status;
}

/* Scores into the open tables: on two threads beside this one when there
 * is no ledger and there are events, else (or when no thread starts) here. */
static int score_into(run_output *o, mql_error *err)
{
	mql_score_run *run = o->run;
	int started = 0, status = MQL_OK;
	if (!o->ledger && run->timeline)
		status = mql_score_timeline_rows(
			run->timeline, run->rules, run->contacts, run->as_of, 2,
			write_scored_row, o, &started, err);
	if (!status && !started)
		status = score_all(o, err);
	return status;
}

int mql_score_run_write(mql_score_run *run, const char *scores_path,
			mql_format format, const char *ledger_path,
			mql_score_progress_fn progress, void *context,
			mql_error *err)
{
	mql_outfile out = {0}, ledger_file = {0};
	run_output o = {run, NULL, NULL, progress, context};
	int status = mql_outfile_open(&out, scores_path, err);
	if (!status && ledger_path)
		status = mql_outfile_open(&ledger_file, ledger_path, err);
	/* A million rows: fewer, larger writes (set before any output; static,
	 * as stdout outlives this function). */
	static char scores_buffer[1 << 20], ledger_buffer[1 << 20];
	if (!status)
		setvbuf(out.fp, scores_buffer, _IOFBF, sizeof scores_buffer);
	if (!status && ledger_path)
		setvbuf(ledger_file.fp, ledger_buffer, _IOFBF,
			sizeof ledger_buffer);
	if (!status)
		status = mql_score_table_open(&o.scores, out.fp, format);
	if (!status && ledger_path)
		status = mql_score_ledger_open(
			&o.ledger, ledger_file.fp,
			mql_score_ledger_format(ledger_path));
	if (status == MQL_ERR_NOMEM)
		status =
			mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (!status)
		status = score_into(&o, err);
	if (!status)
		status = mql_table_finish(o.scores, err);
	if (!status && o.ledger)
		status = mql_table_finish(o.ledger, err);
	if (!status && ledger_path)
		status = mql_outfile_commit(&ledger_file, err);
	if (!status)
		status = mql_outfile_commit(&out, err);
	mql_table_free(o.scores);
	mql_table_free(o.ledger);
	mql_outfile_abort(&ledger_file);
	mql_outfile_abort(&out);
	return status;
}

static int tell_row(void *fp, const mql_ledger_row *row)
{
	return mql_score_story_row(fp, row);
}

int mql_score_run_story(mql_score_run *run, size_t row, FILE *fp,
			mql_error *err)
{
	const mql_event *events;
	size_t count;
	char day[32];
	mql_score_result r;
	int status = events_of_row(run, row, &events, &count, err);
	if (status)
		return status;
	fprintf(fp, "%s as of %s:\n", run->contacts->id[row],
		mql_time_format(run->as_of, 0, day, sizeof day));
	status = mql_scorer_score_row(run->scorer, row, events, count,
				      run->as_of, &r, tell_row, fp);
	const char *crossing = NULL;
	if (!status && r.mql && r.mql_event >= 0)
		crossing = mql_dict_name(
			mql_events_types(mql_timeline_events(run->timeline)),
			events[r.mql_event].type);
	if (!status)
		status = mql_score_story_end(fp, &r, run->rules->threshold,
					     crossing);
	if (status == MQL_ERR_IO)
		return mql_error_set(err, status, NULL, 0, 0,
				     "cannot write the story");
	return status;
}
