/*
 * score_write.c - the scores table, the ledger and the --explain story
 * (see score_write.h), their columns named once below.
 */
#include <mqlcal/score_write.h>

#include <stdint.h>
#include <string.h>

enum score_column {
	SCORE_CONTACT,
	SCORE_SCORE,
	SCORE_FIT,
	SCORE_ENGAGEMENT,
	SCORE_GRADE,
	SCORE_MQL,
	SCORE_MQL_AT,
	SCORE_PROBABILITY,
	SCORE_COUNT
};

enum ledger_column {
	LEDGER_CONTACT,
	LEDGER_TIME,
	LEDGER_RULE,
	LEDGER_POINTS,
	LEDGER_WEIGHT,
	LEDGER_CONTRIBUTION,
	LEDGER_KIND,
	LEDGER_COUNT
};

static const mql_column_spec score_columns[SCORE_COUNT] = {
	[SCORE_CONTACT] = {"contact_id", MQL_COLUMN_TEXT, 0},
	[SCORE_SCORE] = {"score", MQL_COLUMN_REAL, 2},
	[SCORE_FIT] = {"fit_score", MQL_COLUMN_REAL, 2},
	[SCORE_ENGAGEMENT] = {"engagement_score", MQL_COLUMN_REAL, 2},
	[SCORE_GRADE] = {"grade", MQL_COLUMN_TEXT, 0},
	[SCORE_MQL] = {"mql", MQL_COLUMN_INT, 0},
	[SCORE_MQL_AT] = {"mql_at", MQL_COLUMN_TEXT, 0},
	[SCORE_PROBABILITY] = {"probability", MQL_COLUMN_REAL, 3},
};

static const mql_column_spec ledger_columns[LEDGER_COUNT] = {
	[LEDGER_CONTACT] = {"contact_id", MQL_COLUMN_TEXT, 0},
	[LEDGER_TIME] = {"time", MQL_COLUMN_TEXT, 0},
	[LEDGER_RULE] = {"rule", MQL_COLUMN_TEXT, 0},
	[LEDGER_POINTS] = {"points", MQL_COLUMN_REAL, 2},
	[LEDGER_WEIGHT] = {"weight", MQL_COLUMN_REAL, 4},
	[LEDGER_CONTRIBUTION] = {"contribution", MQL_COLUMN_REAL, 4},
	[LEDGER_KIND] = {"kind", MQL_COLUMN_TEXT, 0},
};

/* The kind column's words, by mql_ledger_kind. */
static const char *const ledger_kinds[] = {"fit", "event", "max_count",
					   "score_limit"};

static int open_table(mql_table **out, FILE *fp, mql_format format,
		      const mql_column_spec *columns, size_t count)
{
	*out = mql_table_new_with_columns(fp, format, columns, count);
	return *out ? MQL_OK : MQL_ERR_NOMEM;
}

int mql_score_table_open(mql_table **out, FILE *fp, mql_format format)
{
	return open_table(out, fp, format, score_columns, SCORE_COUNT);
}

int mql_score_table_row(mql_table *t, const char *contact_id,
			const mql_score_result *r)
{
	char when[32];
	const double reals[] = {r->score, r->fit_score, r->engagement_score};
	int status = mql_table_set_text(t, SCORE_CONTACT, contact_id);
	for (int i = 0; i < 3 && !status; i++)
		status = mql_table_set_real(t, (size_t)(SCORE_SCORE + i),
					    reals[i]);
	if (!status)
		status = mql_table_set_text(t, SCORE_GRADE, r->grade);
	if (!status)
		status = mql_table_set_int(t, SCORE_MQL, r->mql);
	if (!status)
		status = mql_table_set_text(
			t, SCORE_MQL_AT,
			mql_time_format(r->mql_at, 0, when, sizeof when));
	if (!status)
		status = mql_table_set_real(t, SCORE_PROBABILITY,
					    r->probability);
	return status ? status : mql_table_end_row(t);
}

mql_format mql_score_ledger_format(const char *path)
{
	size_t len = strlen(path);
	return len > 5 && strcmp(path + len - 5, ".json") == 0 ? MQL_FORMAT_JSON
							       : MQL_FORMAT_CSV;
}

int mql_score_ledger_open(mql_table **out, FILE *fp, mql_format format)
{
	return open_table(out, fp, format, ledger_columns, LEDGER_COUNT);
}

int mql_score_ledger_row(mql_table *t, const char *contact_id,
			 const mql_ledger_row *row)
{
	char when[32];
	const double reals[] = {row->points, row->weight, row->contribution};
	int status = mql_table_set_text(t, LEDGER_CONTACT, contact_id);
	if (!status)
		status = mql_table_set_text(
			t, LEDGER_TIME,
			mql_time_format(row->at, 0, when, sizeof when));
	if (!status)
		status = mql_table_set_text(t, LEDGER_RULE,
					    row->rule ? row->rule->id
						      : "score_limit");
	for (int i = 0; i < 3 && !status; i++)
		status = mql_table_set_real(t, (size_t)(LEDGER_POINTS + i),
					    reals[i]);
	if (!status)
		status = mql_table_set_text(t, LEDGER_KIND,
					    ledger_kinds[row->kind]);
	return status ? status : mql_table_end_row(t);
}

int mql_score_story_row(FILE *fp, const mql_ledger_row *row)
{
	char day[32];
	mql_time_format(row->at, 1, day, sizeof day);
	switch (row->kind) {
	case MQL_LEDGER_FIT:
		if (row->rule->op == MQL_OP_LINEAR)
			fprintf(fp,
				"  %-10s fit %s: %+g per unit x %.4g = %+.2f\n",
				day, row->rule->id, row->points, row->weight,
				row->contribution);
		else
			fprintf(fp, "  %-10s fit %s (%s) %+g\n", day,
				row->rule->id, row->rule->property,
				row->contribution);
		break;
	case MQL_LEDGER_EVENT:
		fprintf(fp, "  %-10s %s %+g (weight %.2f now) = %+.2f\n", day,
			row->rule->event, row->points, row->weight,
			row->contribution);
		break;
	case MQL_LEDGER_CAP:
		fprintf(fp, "  %-10s %s capped at max_count %g: %+.2f\n", day,
			row->rule->id, row->rule->max_count, row->contribution);
		break;
	default:
		fprintf(fp, "  %-10s score_limit: %+.2f\n", day,
			row->contribution);
	}
	return ferror(fp) ? MQL_ERR_IO : MQL_OK;
}

int mql_score_story_end(FILE *fp, const mql_score_result *r, double threshold,
			const char *crossing_event)
{
	char day[32];
	fprintf(fp, "  score %.2f = fit %.2f + engagement %.2f%s%s\n", r->score,
		r->fit_score, r->engagement_score,
		r->grade[0] ? ", grade " : "", r->grade);
	mql_time_format(r->mql_at, 1, day, sizeof day);
	if (r->mql && r->mql_at == MQL_TIME_NONE)
		fprintf(fp, "  reached %g with no created_at to date it\n",
			threshold);
	else if (r->mql && !crossing_event)
		fprintf(fp, "  crossed %g on %s at creation (fit alone)\n",
			threshold, day);
	else if (r->mql)
		fprintf(fp, "  crossed %g on %s with %s (score %.2f)\n",
			threshold, day, crossing_event, r->mql_score);
	else
		fprintf(fp, "  has not reached %g\n", threshold);
	return ferror(fp) ? MQL_ERR_IO : MQL_OK;
}
