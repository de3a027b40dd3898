/* points_capacity.c - the threshold that fits a sales team's capacity,
 * from a replay of the history (see points_history.h). */
#include <mqlcal/points_history.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/events.h>
#include <mqlcal/score.h>
#include <mqlcal/timeline.h>

#define DAYS_PER_MONTH 30.436875 /* 365.2425 / 12 */

typedef struct replay {
	mql_scorer *scorer;
	const mql_contacts *contacts;
	mql_time as_of;
	double *peak; /* per contact, -INFINITY = never scored */
} replay;

/* The highest score of row at its candidate times up to as-of. */
static int contact_peak(replay *r, size_t row, const mql_event *events,
			size_t count)
{
	return mql_scorer_peak_row(r->scorer, row, events, count, r->as_of,
				   &r->peak[row]);
}

static int replay_history(replay *r, mql_timeline *t, mql_error *err)
{
	size_t n = r->contacts->count;
	unsigned char *seen = calloc(n + 1, 1);
	if (!seen)
		return MQL_ERR_NOMEM;
	const mql_event *events;
	size_t count;
	int got, status = MQL_OK;
	while (status == MQL_OK &&
	       (got = mql_timeline_next_contact(t, &events, &count, err)) > 0) {
		seen[events[0].contact] = 1;
		status = contact_peak(r, events[0].contact, events, count);
	}
	if (status == MQL_OK && got < 0)
		status = got;
	for (size_t row = 0; status == MQL_OK && row < n; row++)
		if (!seen[row])
			status = contact_peak(r, row, NULL, 0);
	free(seen);
	return status;
}

static int by_descending(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x > y ? -1 : x < y;
}

/* Months from the first created_at (or event) to as-of, at least a day;
 * 0 when neither is known. */
static double history_months(const mql_contacts *c, mql_time first_event,
			     mql_time as_of)
{
	mql_time first = first_event;
	for (size_t row = 0; row < c->count; row++) {
		mql_time t = c->stage_at[MQL_STAGE_CREATED][row];
		if (t != MQL_TIME_NONE && (first == MQL_TIME_NONE || t < first))
			first = t;
	}
	if (first == MQL_TIME_NONE)
		return 0.0;
	return fmax(mql_time_days_between(first, as_of), 1.0) / DAYS_PER_MONTH;
}

/* The lowest integer T with #(peak >= T) <= allowed. */
static void choose_threshold(mql_points_capacity_result *out, double *peak,
			     size_t n)
{
	size_t scored = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(peak[i]))
			peak[scored++] = peak[i];
	qsort(peak, scored, sizeof *peak, by_descending);
	double allowed = floor(out->mqls_per_month * out->months);
	double threshold;
	if (scored == 0)
		threshold = 0;
	else if (allowed >= (double)scored)
		threshold = floor(peak[scored - 1]); /* everyone fits */
	else
		threshold = floor(peak[(size_t)allowed]) + 1;
	size_t mqls = 0;
	while (mqls < scored && peak[mqls] >= threshold)
		mqls++;
	out->threshold = threshold;
	out->mqls_per_month = (double)mqls / out->months;
}

int mql_points_capacity(mql_points_capacity_result *out, const mql_rules *rules,
			const mql_contacts *contacts, const char *events_path,
			const mql_csv_options *csv, double per_month,
			mql_error *err)
{
	replay r;
	mql_timeline *timeline = NULL;
	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if (!(per_month > 0) || !isfinite(per_month))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity must be a number > 0 of MQLs "
				     "per month");
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	r.contacts = contacts;
	int status = mql_timeline_open(&timeline, events_path, contacts, csv,
				       MQL_TIME_NONE, &topt, err);
	mql_events *reader = status ? NULL : mql_timeline_events(timeline);
	if (status == MQL_OK)
		status = mql_scorer_new(&r.scorer, rules, contacts, err);
	if (status == MQL_OK)
		status = mql_scorer_bind_events(r.scorer, reader, err);
	if (status == MQL_OK) {
		r.peak = malloc((contacts->count + 1) * sizeof *r.peak);
		status = r.peak ? MQL_OK : MQL_ERR_NOMEM;
	}
	mql_time first_event = MQL_TIME_NONE;
	if (status == MQL_OK) {
		const mql_events_stats *stats = mql_events_get_stats(reader);
		r.as_of = mql_events_history_end(contacts, stats);
		first_event = stats->first;
		if (r.as_of == MQL_TIME_NONE)
			status = mql_error_set(err, MQL_ERR_INPUT,
					       contacts->path, 0, 0,
					       "no dates in the history, so no "
					       "MQLs per month");
	}
	if (status == MQL_OK)
		status = replay_history(&r, timeline, err);
	if (status == MQL_OK) {
		out->months = history_months(contacts, first_event, r.as_of);
		if (out->months == 0.0)
			status = mql_error_set(
				err, MQL_ERR_INPUT, contacts->path, 0, 0,
				"no created_at and no events: the length of "
				"the history, and so MQLs per month, is "
				"unknown");
	}
	if (status == MQL_OK) {
		out->mqls_per_month = per_month;
		out->contacts = (long)contacts->count;
		choose_threshold(out, r.peak, contacts->count);
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	mql_timeline_close(timeline);
	mql_scorer_free(r.scorer);
	free(r.peak);
	return status;
}

int mql_points_capacity_parse(const char *text, double *per_month)
{
	char *end = NULL;
	*per_month = strtod(text, &end);
	if (end == text || !(*per_month > 0) || !isfinite(*per_month))
		return -1;
	return *end == '\0' || strcmp(end, "/month") == 0 ? 0 : -1;
}
