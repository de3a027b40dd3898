/*
 * score_write.h - the outputs of the scorer (score.h): the scores table,
 * the audit ledger and the story --explain tells of one contact.
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

#include <mqlcal/error.h>
#include <mqlcal/score.h>
#include <mqlcal/table.h>

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

#endif
