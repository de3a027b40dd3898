/* points_capacity.c - the threshold that fits a sales team's capacity,
 * from a replay of the history (see points_history.h). */
#include <mqlcal/points_history.h>

#include <math.h>
#include <stdio.h>
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
	size_t cuts;	      /* peaks per contact */
	const mql_time *upto; /* cuts times: each peak counts times < it; NULL:
				 one peak up to as_of */
	double *peak;	      /* contacts x cuts, -INFINITY = never scored */
} replay;

/*
 * The highest scores of row at its candidate times: up to as-of, or before
 * each cut (none before the contact was created), never falling from one
 * cut to the next.
 */
static int contact_peak(replay *r, size_t row, const mql_event *events,
			size_t count)
{
	double *peak = r->peak + row * r->cuts;
	if (!r->upto)
		return mql_scorer_peak_row(r->scorer, row, events, count,
					   r->as_of, peak);
	mql_time created = r->contacts->stage_at[MQL_STAGE_CREATED][row];
	for (size_t i = 0; i < r->cuts; i++) {
		mql_time before = r->upto[i] - 1;
		peak[i] = -INFINITY;
		if (created != MQL_TIME_NONE && created > before)
			continue;
		int status = mql_scorer_peak_row(r->scorer, row, events, count,
						 before, &peak[i]);
		if (status)
			return status;
		if (i > 0 && peak[i - 1] > peak[i])
			peak[i] = peak[i - 1];
	}
	return MQL_OK;
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

/* The first created_at (or event) of the history; MQL_TIME_NONE when
 * neither is known. */
static mql_time history_start(const mql_contacts *c, mql_time first_event)
{
	mql_time first = first_event;
	for (size_t row = 0; row < c->count; row++) {
		mql_time t = c->stage_at[MQL_STAGE_CREATED][row];
		if (t != MQL_TIME_NONE && (first == MQL_TIME_NONE || t < first))
			first = t;
	}
	return first;
}

/* The whole history: the lowest integer T with #(peak >= T) <= allowed. */
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

/*
 * The recent months: a contact becomes an MQL within them at integer T
 * when its peak before them is below T and its peak by their end reaches
 * T, that is for T in [floor(before) + 1, floor(by_end)].  *low and *high
 * get those bounds of the n contacts (low -INFINITY when the contact was
 * not scored before), for the contacts where the range is not empty; the
 * count is returned.
 */
static size_t month_ranges(double *low, double *high, const double *peak,
			   size_t n, size_t cuts)
{
	size_t count = 0;
	for (size_t row = 0; row < n; row++) {
		double before = peak[row * cuts],
		       by_end = peak[row * cuts + cuts - 1];
		if (!isfinite(by_end))
			continue;
		double lo = isfinite(before) ? floor(before) + 1 : -INFINITY;
		if (lo > floor(by_end))
			continue;
		low[count] = lo;
		high[count++] = floor(by_end);
	}
	return count;
}

/*
 * The lowest integer T from which on no higher threshold makes more than
 * allowed MQLs within the recent months.  The count can only rise, going
 * down, at some contact's high bound, so the highest high bound h whose
 * count exceeds allowed gives T = h + 1.  Sorts low and high.
 */
static double recent_threshold(double *low, double *high, size_t count,
			       double allowed)
{
	qsort(low, count, sizeof *low, by_descending);
	qsort(high, count, sizeof *high, by_descending);
	size_t above = 0; /* lows > h: not yet MQLs there */
	for (size_t i = 0; i < count; i++) {
		double h = high[i];
		if (i + 1 < count && high[i + 1] == h)
			continue;
		while (above < count && low[above] > h)
			above++;
		if ((double)(i + 1 - above) > allowed)
			return h + 1;
	}
	return count ? high[count - 1] : 0; /* everyone fits */
}

/* MQLs in each recent month at out->threshold. */
static void count_months(mql_points_capacity_result *out, const double *peak,
			 size_t n, size_t cuts)
{
	double t = out->threshold;
	long total = 0;
	for (size_t i = 0; i + 1 < cuts; i++)
		out->month_mqls[i] = 0;
	for (size_t row = 0; row < n; row++)
		for (size_t i = 0; i + 1 < cuts; i++)
			if (peak[row * cuts + i] < t &&
			    peak[row * cuts + i + 1] >= t)
				out->month_mqls[i]++;
	for (size_t i = 0; i + 1 < cuts; i++)
		total += out->month_mqls[i];
	out->mqls_per_month = (double)total / out->months;
}

/*
 * The starts of the last wanted complete calendar months before end (and
 * the start of end's month) into out->month_start, as many as lie after
 * start; out->month_count of them (0: none is complete).
 */
static void recent_months(mql_points_capacity_result *out, mql_time start,
			  mql_time end, int wanted)
{
	int year, month;
	mql_time_to_civil(end, &year, &month, NULL, NULL, NULL, NULL);
	int index = year * 12 + month - 1 - wanted, used = wanted;
	for (int i = 0; i <= wanted; i++, index++)
		out->month_start[i] = mql_time_days_from_civil(
					      index / 12, index % 12 + 1, 1) *
				      MQL_SECONDS_PER_DAY;
	while (used > 0 && out->month_start[wanted - used] < start)
		used--;
	memmove(out->month_start, out->month_start + (wanted - used),
		(size_t)(used + 1) * sizeof *out->month_start);
	out->month_count = (size_t)used;
}

/* Replays the history: peaks per contact at r->cuts cuts. */
static int replay_run(replay *r, const mql_rules *rules,
		      const mql_contacts *contacts, mql_timeline *timeline,
		      mql_error *err)
{
	mql_events *reader = mql_timeline_events(timeline);
	int status = mql_scorer_new(&r->scorer, rules, contacts, err);
	if (status == MQL_OK)
		status = mql_scorer_bind_events(r->scorer, reader, err);
	if (status == MQL_OK) {
		r->peak = malloc((contacts->count + 1) * r->cuts *
				 sizeof *r->peak);
		status = r->peak ? MQL_OK : MQL_ERR_NOMEM;
	}
	if (status == MQL_OK)
		status = replay_history(r, timeline, err);
	return status;
}

/* The threshold from the peaks: over the recent months, or the whole
 * history when none is complete. */
static int calibrate(mql_points_capacity_result *out, replay *r,
		     double per_month)
{
	size_t n = r->contacts->count;
	out->mqls_per_month = per_month;
	if (out->month_count == 0) {
		choose_threshold(out, r->peak, n);
		return MQL_OK;
	}
	out->months = (double)out->month_count;
	double *low = malloc((n + 1) * sizeof *low);
	double *high = malloc((n + 1) * sizeof *high);
	if (!low || !high) {
		free(low);
		free(high);
		return MQL_ERR_NOMEM;
	}
	size_t count = month_ranges(low, high, r->peak, n, r->cuts);
	out->threshold = recent_threshold(low, high, count,
					  floor(per_month * out->months));
	count_months(out, r->peak, n, r->cuts);
	free(low);
	free(high);
	return MQL_OK;
}

/* The history's end and start, and the months to calibrate on. */
static int frame(mql_points_capacity_result *out, replay *r,
		 const mql_contacts *contacts, mql_events *reader,
		 int wanted_months, mql_error *err)
{
	const mql_events_stats *stats = mql_events_get_stats(reader);
	r->as_of = mql_events_history_end(contacts, stats);
	if (r->as_of == MQL_TIME_NONE)
		return mql_error_set(err, MQL_ERR_INPUT, contacts->path, 0, 0,
				     "no dates in the history, so no MQLs per "
				     "month");
	mql_time start = history_start(contacts, stats->first);
	if (start == MQL_TIME_NONE)
		return mql_error_set(err, MQL_ERR_INPUT, contacts->path, 0, 0,
				     "no created_at and no events: the length "
				     "of the history, and so MQLs per month, "
				     "is unknown");
	out->history_start = start;
	out->history_end = r->as_of;
	out->history_months =
		fmax(mql_time_days_between(start, r->as_of), 1.0) /
		DAYS_PER_MONTH;
	out->months = out->history_months;
	if (wanted_months > 0)
		recent_months(out, start, r->as_of, wanted_months);
	r->cuts = out->month_count ? out->month_count + 1 : 1;
	r->upto = out->month_count ? out->month_start : NULL;
	return MQL_OK;
}

int mql_points_capacity(mql_points_capacity_result *out, const mql_rules *rules,
			const mql_contacts *contacts, const char *events_path,
			const mql_csv_options *csv, double per_month,
			int recent_months, mql_error *err)
{
	replay r;
	mql_timeline *timeline = NULL;
	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if (!(per_month > 0) || !isfinite(per_month))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity must be a number > 0 of MQLs "
				     "per month");
	if (recent_months < 0 || recent_months > MQL_CAPACITY_MAX_MONTHS)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--capacity-months must be 1 to %d (0: "
				     "the whole history), not %d",
				     MQL_CAPACITY_MAX_MONTHS, recent_months);
	mql_timeline_options topt;
	mql_timeline_options_init(&topt);
	topt.order = MQL_TIMELINE_BY_CONTACT;
	r.contacts = contacts;
	int status = mql_timeline_open(&timeline, events_path, contacts, csv,
				       MQL_TIME_NONE, &topt, err);
	if (status == MQL_OK)
		status = frame(out, &r, contacts, mql_timeline_events(timeline),
			       recent_months, err);
	if (status == MQL_OK)
		status = replay_run(&r, rules, contacts, timeline, err);
	if (status == MQL_OK) {
		out->contacts = (long)contacts->count;
		status = calibrate(out, &r, per_month);
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	mql_timeline_close(timeline);
	mql_scorer_free(r.scorer);
	free(r.peak);
	return status;
}

char *mql_points_capacity_describe(const mql_points_capacity_result *r,
				   char *buf, size_t n)
{
	char end[32], month[16];
	size_t used = 0;
	mql_time_format(r->history_end, 1, end, sizeof end);
	if (r->month_count == 0) {
		snprintf(buf, n,
			 "calibrated on the whole history, to its end %s: "
			 "%.1f MQLs per month over %.1f months",
			 end, r->mqls_per_month, r->months);
		return buf;
	}
	int written = snprintf(buf, n,
			       "calibrated on the %zu complete months before "
			       "the history's end %s; expected MQLs:",
			       r->month_count, end);
	used = written > 0 ? (size_t)written : 0;
	for (size_t i = 0; i < r->month_count && used < n; i++) {
		mql_time_month_label(r->month_start[i], month, sizeof month);
		written = snprintf(buf + used, n - used, " %s %ld%s", month,
				   r->month_mqls[i],
				   i + 1 < r->month_count ? "," : "");
		used += written > 0 ? (size_t)written : 0;
	}
	if (used < n)
		snprintf(buf + used, n - used, " (%.1f per month)",
			 r->mqls_per_month);
	return buf;
}

cJSON *mql_points_capacity_json(const mql_points_capacity_result *r)
{
	cJSON *months = cJSON_CreateArray();
	char label[16];
	for (size_t i = 0; months && i < r->month_count; i++) {
		cJSON *item = cJSON_CreateObject();
		if (!item || !cJSON_AddItemToArray(months, item)) {
			cJSON_Delete(item);
			cJSON_Delete(months);
			return NULL;
		}
		/* item belongs to months from here on */
		mql_time_month_label(r->month_start[i], label, sizeof label);
		if (!cJSON_AddStringToObject(item, "month", label) ||
		    !cJSON_AddNumberToObject(item, "mqls",
					     (double)r->month_mqls[i])) {
			cJSON_Delete(months);
			return NULL;
		}
	}
	return months;
}

int mql_points_capacity_parse(const char *text, double *per_month)
{
	char *end = NULL;
	*per_month = strtod(text, &end);
	if (end == text || !(*per_month > 0) || !isfinite(*per_month))
		return -1;
	return *end == '\0' || strcmp(end, "/month") == 0 ? 0 : -1;
}
