/*
 * score_write.h - the outputs of the scorer (score.h): the scores table,
 * the audit ledger and the story --explain tells of one contact, and the
 * scoring run that writes them from the files (mql_score_run).
 *
 * The two tables are the contract notebooks read (table.h formats):
 *
 *   scores:  contact_id, score, fit_score, engagement_score, grade, mql
 *            (0/1), mql_at (ISO 8601, empty when none), probability (empty
 *            without a calibration)
 *   ledger:  contact_id, time, rule ("score_limit" on a limit row),
 *            points, weight, contribution, kind (fit, event, max_count,
 *            score_limit)
 *
 * A table is opened with its columns, filled a row at a time and closed
 * with mql_table_finish and mql_table_free.  Row functions return 0 or the
 * table's error (MQL_ERR_NOMEM, MQL_ERR_IO) of the first cell or row that
 * failed; nothing is printed anywhere but fp.
 */
#ifndef MQLCAL_SCORE_WRITE_H
#define MQLCAL_SCORE_WRITE_H

#include <stdio.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/rules.h>
#include <mqlcal/score.h>
#include <mqlcal/table.h>
#include <mqlcal/timeline.h>

/* A scores table on fp in format.  Returns 0 or MQL_ERR_NOMEM (*out
 * NULL).  *out belongs to the caller: mql_table_free. */
int mql_score_table_open(mql_table **out, FILE *fp, mql_format format);

/* The row of contact_id scored r. */
int mql_score_table_row(mql_table *t, const char *contact_id,
			const mql_score_result *r);

/* The format of a ledger written to path: json when it ends in ".json",
 * else csv.  Cannot fail. */
mql_format mql_score_ledger_format(const char *path);

/* A ledger table on fp in format.  As mql_score_table_open. */
int mql_score_ledger_open(mql_table **out, FILE *fp, mql_format format);

/* The ledger row of contact_id. */
int mql_score_ledger_row(mql_table *t, const char *contact_id,
			 const mql_ledger_row *row);

/* One ledger row as a line of the story (date, what, points).  Returns 0,
 * or MQL_ERR_IO when fp has failed. */
int mql_score_story_row(FILE *fp, const mql_ledger_row *row);

/*
 * The story's last lines: the score as fit plus engagement (and grade),
 * then when and how the contact crossed threshold, crossing_event naming
 * the event type that crossed (NULL: created_at or none).  Returns 0, or
 * MQL_ERR_IO when fp has failed.
 */
int mql_score_story_end(FILE *fp, const mql_score_result *r, double threshold,
			const char *crossing_event);

/* ---- a scoring run --------------------------------------------------- */

/*
 * What mql-score does, from files to files: the rule file, contacts and
 * events (read as a timeline grouped by contact, so memory grows with
 * contacts and the largest history of one contact, never with the file),
 * the scorer bound to them, and the time they are scored at.  Open it with
 * mql_score_run_open, use it once (mql_score_run_write or
 * mql_score_run_story: the events are read as they are scored), close it
 * with mql_score_run_close.  The fields are read-only to callers.
 */
typedef struct mql_score_run {
	mql_rules *rules;
	mql_contacts *contacts;
	mql_scorer *scorer;
	mql_timeline *timeline; /* NULL without an events file */
	mql_time as_of;
	/* private: the events of the next contact that has events */
	const mql_event *group;
	size_t group_count;
	int group_status; /* 1 while groups remain */
} mql_score_run;

/*
 * Loads rules_path, contacts_path and events_path (NULL: no events) with
 * csv, binds the scorer and settles as_of: as given, or the history's
 * latest date when MQL_TIME_NONE.  Returns 0, or the readers' errors
 * (MQL_ERR_INPUT with file, line and column; MQL_ERR_NOFILE;
 * MQL_ERR_NOMEM), MQL_ERR_INPUT when the data has no date and as_of is
 * NONE.  Close run after an error too.
 */
int mql_score_run_open(mql_score_run *run, const char *rules_path,
		       const char *contacts_path, const char *events_path,
		       const mql_csv_options *csv, mql_time as_of,
		       mql_error *err);

/* Frees what run holds.  run may be NULL. */
void mql_score_run_close(mql_score_run *run);

/* Told after each contact scored (row of count), and once with row ==
 * count at the end; for a progress line.  Cannot fail. */
typedef void (*mql_score_progress_fn)(void *context, size_t row, size_t count);

/*
 * Scores every contact into a scores table in format at scores_path (NULL
 * or "-": stdout) and, when ledger_path is not NULL, the ledger there
 * (csv, or json for a ".json" path), through mql_outfile: both files are
 * replaced or neither.  Without a ledger and with events, scoring runs on
 * two threads beside the reader.  progress may be NULL.  Returns 0, or the
 * scorer's, the reader's or the outputs' error with err filled.
 */
int mql_score_run_write(mql_score_run *run, const char *scores_path,
			mql_format format, const char *ledger_path,
			mql_score_progress_fn progress, void *context,
			mql_error *err);

/*
 * The story of the score of contacts row (mql_contacts_find) on fp: a
 * heading with the contact and as-of, a line per ledger row, then the
 * score and the crossing (mql_score_story_end).  Returns 0, or
 * MQL_ERR_IO ("cannot write the story") or the reader's error with err
 * filled.
 */
int mql_score_run_story(mql_score_run *run, size_t row, FILE *fp,
			mql_error *err);

#endif
