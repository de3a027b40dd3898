/*
 * check.c - what is in the exports and what is wrong with them.
 *
 * Everything is counted from the loaded contacts table, one pass over the
 * events stream (its statistics; no event is kept) and the spend table.
 */
#include <mqlcal/check.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mqlcal/contacts.h>
#include <mqlcal/events.h>
#include <mqlcal/spend.h>

#include <mqlcal/format_text.h>

/* Appends an item; the detail is a printf format.  0, or a status of
 * mql_format_text or MQL_ERR_NOMEM. */
static int add(mql_check_report *r, const char *section, const char *item,
	       double count, double share, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int add(mql_check_report *r, const char *section, const char *item,
	       double count, double share, const char *fmt, ...)
{
	if (r->count == r->capacity) {
		size_t capacity = r->capacity ? r->capacity * 2 : 64;
		mql_check_item *bigger =
			realloc(r->items, capacity * sizeof *bigger);
		if (!bigger)
			return MQL_ERR_NOMEM;
		r->items = bigger;
		r->capacity = capacity;
	}
	mql_check_item *it = &r->items[r->count];
	va_list ap;
	va_start(ap, fmt);
	int status = mql_format_text(&it->detail, fmt, ap);
	va_end(ap);
	if (status)
		return status;
	it->item = strdup(item);
	if (!it->item) {
		free(it->detail);
		return MQL_ERR_NOMEM;
	}
	it->section = section;
	it->count = count;
	it->share = share;
	it->amount = NAN;
	it->first = it->last = MQL_TIME_NONE;
	it->severity = MQL_CHECK_INFO;
	r->count++;
	return 0;
}

/* Gives the last item added severity when when is true; passes status on. */
static int mark(mql_check_report *r, int status, int when,
		mql_check_severity severity)
{
	if (!status && when && r->count)
		r->items[r->count - 1].severity = severity;
	return status;
}

static double share_of(size_t part, size_t whole)
{
	return whole ? (double)part / (double)whole : NAN;
}

typedef struct ranked {
	size_t count;
	int32_t index;
} ranked;

static int by_count_desc(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Lists counts[0..n) of the names in dict, largest first, the first
 * MQL_CHECK_MAX_LISTED one by one and the rest as one "other" item.
 */
static int add_ranked(mql_check_report *r, const char *section,
		      const mql_dict *dict, const size_t *counts, size_t n,
		      size_t base, const char *noun)
{
	ranked *order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = (ranked){counts[i], (int32_t)i};
	qsort(order, n, sizeof *order, by_count_desc);
	int status = 0;
	size_t rest = 0, rest_names = 0;
	for (size_t i = 0; i < n && !status; i++) {
		if (i < MQL_CHECK_MAX_LISTED)
			status = add(r, section,
				     mql_dict_name(dict, order[i].index),
				     (double)order[i].count,
				     share_of(order[i].count, base), "%s", "");
		else
			rest += order[i].count, rest_names++;
	}
	if (!status && rest_names)
		status = add(r, section, "(other)", (double)rest,
			     share_of(rest, base), "%zu more %s", rest_names,
			     noun);
	free(order);
	return status;
}

/* Counts of a per-row index column (channel, campaign), -1 = missing. */
static int add_labels(mql_check_report *r, const char *section,
		      const char *column, const mql_contacts *c,
		      const int32_t *labels, const mql_dict *dict)
{
	int has_column = 0;
	for (size_t i = 0; i < c->quality.column_count; i++)
		has_column |=
			strcasecmp(c->quality.column_names[i], column) == 0;
	if (!has_column)
		return add(r, section, "(no column)", NAN, NAN, "no %s column",
			   column);
	size_t *counts = calloc(dict->count + 1, sizeof *counts);
	size_t missing = 0;
	if (!counts)
		return MQL_ERR_NOMEM;
	for (size_t row = 0; row < c->count; row++) {
		if (labels[row] < 0)
			missing++;
		else
			counts[labels[row]]++;
	}
	int status = add_ranked(r, section, dict, counts, dict->count, c->count,
				section);
	if (!status && missing)
		status = add(r, section, "(missing)", (double)missing,
			     share_of(missing, c->count), "%s", "");
	free(counts);
	return status;
}

static void time_range(const mql_time *times, size_t n, size_t *set,
		       mql_time *first, mql_time *last)
{
	*set = 0;
	*first = *last = MQL_TIME_NONE;
	for (size_t i = 0; i < n; i++) {
		if (times[i] == MQL_TIME_NONE)
			continue;
		(*set)++;
		if (*first == MQL_TIME_NONE || times[i] < *first)
			*first = times[i];
		if (*last == MQL_TIME_NONE || times[i] > *last)
			*last = times[i];
	}
}

static int add_range(mql_check_report *r, const char *item, size_t set,
		     mql_time first, mql_time last, size_t base)
{
	char from[32], to[32];
	if (set == 0)
		return add(r, "dates", item, 0, share_of(0, base), "no dates");
	int status =
		add(r, "dates", item, (double)set, share_of(set, base),
		    "%s .. %s", mql_time_format(first, 0, from, sizeof from),
		    mql_time_format(last, 0, to, sizeof to));
	if (!status) {
		r->items[r->count - 1].first = first;
		r->items[r->count - 1].last = last;
	}
	return status;
}

static int add_files(mql_check_report *r, const mql_contacts *c)
{
	int status = add(r, "files", "contacts", (double)c->count, NAN,
			 "%s: %zu rows, %zu columns", c->path, c->count,
			 c->quality.column_count);
	status = mark(r, status, c->count == 0, MQL_CHECK_FAULT);
	if (!status && c->quality.trailing_column_ignored)
		status = add(r, "files", "trailing empty column", NAN, NAN,
			     "%s: every line ends with a delimiter; the "
			     "unnamed last column is ignored",
			     c->path);
	return status;
}

static int add_stages(mql_check_report *r, const mql_contacts *c)
{
	int status = 0;
	for (int s = 0; s < MQL_STAGE_COUNT && !status; s++) {
		size_t set;
		mql_time first, last;
		if (!c->has_stage[s]) {
			status = add(r, "stages", mql_stage_column(s), NAN, NAN,
				     "no such column");
			continue;
		}
		time_range(c->stage_at[s], c->count, &set, &first, &last);
		status =
			add(r, "stages", mql_stage_column(s), (double)set,
			    share_of(set, c->count), "%s", "share of contacts");
		if (!status)
			status = add_range(r, mql_stage_column(s), set, first,
					   last, c->count);
	}
	return status;
}

static int add_outcomes(mql_check_report *r, const mql_contacts *c)
{
	static const char *const names[] = {"not an MQL", "open", "accepted",
					    "rejected"};
	size_t counts[4] = {0, 0, 0, 0};
	if (!c->has_stage[MQL_STAGE_MQL])
		return mark(r,
			    add(r, "outcomes", "mql", NAN, NAN,
				"no mql_at column: outcomes unknown"),
			    1, MQL_CHECK_FAULT);
	for (size_t row = 0; row < c->count; row++)
		counts[mql_contacts_outcome(c, row)]++;
	size_t mqls = c->count - counts[MQL_OUTCOME_NOT_MQL];
	int status = add(r, "outcomes", "mql", (double)mqls,
			 share_of(mqls, c->count), "share of contacts");
	status = mark(r, status, mqls == 0, MQL_CHECK_FAULT);
	for (int o = MQL_OUTCOME_OPEN; o <= MQL_OUTCOME_REJECTED && !status;
	     o++)
		status = add(r, "outcomes", names[o], (double)counts[o],
			     share_of(counts[o], mqls), "share of MQLs");
	if (!status)
		status = add(r, "outcomes", "definition", NAN, NAN, "%s",
			     mql_acceptance_text(c->acceptance));
	if (!status && c->rejects_by_status)
		status = add(r, "outcomes", "rejected without a date",
			     (double)c->quality.undated_rejections, NAN,
			     "rejected by their lead status alone");
	return status;
}

/* Says which of row's dates is out of order ("sal_at before mql_at"),
 * into buf (empty when none is). */
static void order_fault(const mql_contacts *c, size_t row, char *buf, size_t n)
{
	int latest = -1;
	buf[0] = '\0';
	for (int s = MQL_STAGE_CREATED; s <= MQL_STAGE_CUSTOMER; s++) {
		mql_time at = c->stage_at[s][row];
		if (at == MQL_TIME_NONE)
			continue;
		if (latest >= 0 && at < c->stage_at[latest][row]) {
			snprintf(buf, n, "%s before %s", mql_stage_column(s),
				 mql_stage_column(latest));
			return;
		}
		if (latest < 0 || at > c->stage_at[latest][row])
			latest = s;
	}
	snprintf(buf, n, "%s before %s", mql_stage_column(MQL_STAGE_REJECTED),
		 mql_stage_column(MQL_STAGE_MQL));
}

/* The first few leads dated out of order, as "; e.g. 6 (sal_at before
 * mql_at), ..." into buf (empty when there are none). */
static void order_examples(const mql_contacts *c, char *buf, size_t n)
{
	size_t used = 0, shown = 0;
	buf[0] = '\0';
	for (size_t row = 0; row < c->count && shown < 3 && c->id; row++) {
		if (!mql_contacts_stages_out_of_order(c, row))
			continue;
		char fault[64];
		order_fault(c, row, fault, sizeof fault);
		int wrote =
			snprintf(buf + used, n - used, "%s%.40s (%s)",
				 shown ? ", " : "; e.g. ", c->id[row], fault);
		if (wrote < 0 || (size_t)wrote >= n - used)
			break;
		used += (size_t)wrote;
		shown++;
	}
}

static int add_quality(mql_check_report *r, const mql_contacts *c,
		       mql_time as_of)
{
	char when[32], examples[256];
	const mql_contacts_quality *q = &c->quality;
	order_examples(c, examples, sizeof examples);
	int status = add(r, "quality", "stages out of order",
			 (double)q->stages_out_of_order,
			 share_of(q->stages_out_of_order, c->count),
			 "contacts with a later stage dated before an "
			 "earlier one: counted at every stage, no wait "
			 "measured%s",
			 examples);
	status = mark(r, status, q->stages_out_of_order > 0, MQL_CHECK_WARNING);
	if (!status)
		status = add(r, "quality", "future dates",
			     (double)q->future_dates, NAN,
			     "stage dates after %s",
			     mql_time_format(as_of, 0, when, sizeof when));
	status = mark(r, status, q->future_dates > 0, MQL_CHECK_WARNING);
	if (!status && c->has_stage[MQL_STAGE_CREATED])
		status = mark(r,
			      add(r, "quality", "missing created_at",
				  (double)q->missing_created_at,
				  share_of(q->missing_created_at, c->count),
				  "%s", ""),
			      q->missing_created_at > 0, MQL_CHECK_WARNING);
	else if (!status)
		status =
			mark(r,
			     add(r, "quality", "no created_at column", NAN, NAN,
				 "time-based commands need it; mql-fit "
				 "--outcome works without"),
			     1, MQL_CHECK_WARNING);
	return status;
}

/* True when column is the date of a stage after creation: empty there
 * means the lead has not reached the stage (yet), not a missing value. */
static int is_later_stage(const char *column)
{
	for (int s = MQL_STAGE_CREATED + 1; s < MQL_STAGE_COUNT; s++)
		if (strcasecmp(column, mql_stage_column(s)) == 0)
			return 1;
	return 0;
}

static int add_missing(mql_check_report *r, const mql_contacts *c)
{
	const mql_contacts_quality *q = &c->quality;
	int status = 0, any = 0;
	for (size_t i = 0; i < q->column_count && !status; i++) {
		if (!q->missing[i] || is_later_stage(q->column_names[i]))
			continue;
		any = 1;
		status = add(r, "missing", q->column_names[i],
			     (double)q->missing[i],
			     share_of(q->missing[i], c->count), "%s",
			     "empty or the --na marker");
	}
	if (!status && !any)
		status = add(r, "missing", "(none)", 0, NAN,
			     "no missing values");
	return status;
}

static int add_properties(mql_check_report *r, const mql_contacts *c)
{
	int status = 0;
	for (size_t p = 0; p < c->property_count && !status; p++) {
		const mql_property *prop = &c->properties[p];
		int numeric = prop->kind == MQL_PROPERTY_NUMERIC;
		status = add(r, "properties", prop->name,
			     (double)prop->levels.count, NAN, "%s, %zu %s",
			     numeric ? "numeric" : "categorical",
			     prop->levels.count,
			     numeric ? "distinct values" : "levels");
	}
	return status;
}

static int add_contacts(mql_check_report *r, const mql_contacts *c,
			mql_time as_of)
{
	int status = add_files(r, c);
	if (!status)
		status = add_stages(r, c);
	if (!status)
		status = add_outcomes(r, c);
	if (!status)
		status = add_labels(r, "channels", "channel", c, c->channel,
				    &c->channels);
	if (!status)
		status = add_labels(r, "campaigns", "campaign", c, c->campaign,
				    &c->campaigns);
	if (!status)
		status = add_quality(r, c, as_of);
	if (!status)
		status = add_missing(r, c);
	if (!status)
		status = add_properties(r, c);
	return status;
}

/* Reads the whole events stream for its statistics. */
static int add_events(mql_check_report *r, const char *path,
		      const mql_contacts *c, const mql_csv_options *opt,
		      mql_time as_of, int threads, mql_error *err)
{
	mql_events_summary summary;
	int status = mql_events_summarize(&summary, path, c, opt, as_of,
					  threads, err);
	if (status)
		return status;
	const mql_events_stats *st = &summary.stats;
	size_t events = st->rows - st->not_responded;
	size_t joined = events - st->unknown_contact;
	status = add(r, "files", "events", (double)st->rows, NAN,
		     "%s: %zu rows", path, st->rows);
	if (!status)
		status = add_range(r, "occurred_at", events, st->first,
				   st->last, events);
	if (!status && st->not_responded > 0)
		status = add(r, "events", "not responded",
			     (double)st->not_responded,
			     share_of(st->not_responded, st->rows),
			     "member rows whose responded is no: skipped, "
			     "not events");
	if (!status)
		status = add(r, "events", "unknown contacts",
			     (double)st->unknown_contact,
			     share_of(st->unknown_contact, events),
			     "events whose contact_id is not in contacts");
	status = mark(r, status, st->unknown_contact > 0, MQL_CHECK_WARNING);
	if (!status && st->salesforce_form > 0)
		status = add(r, "events", "salesforce id form",
			     (double)st->salesforce_form,
			     share_of(st->salesforce_form, events),
			     "events joined to their contact by the other form "
			     "of its Salesforce id (15 or 18 characters)");
	if (!status)
		status = add(r, "events", "before created_at",
			     (double)st->before_created,
			     share_of(st->before_created, joined), "%s", "");
	status = mark(r, status, st->before_created > 0, MQL_CHECK_WARNING);
	if (!status)
		status = add(r, "events", "future", (double)st->future,
			     share_of(st->future, events), "%s", "");
	status = mark(r, status, st->future > 0, MQL_CHECK_WARNING);
	if (!status)
		status = add_ranked(r, "events", &summary.types, st->per_type,
				    summary.types.count, joined, "event types");
	mql_events_summary_release(&summary);
	return status;
}

static int add_spend(mql_check_report *r, const char *path,
		     const mql_csv_options *opt, mql_error *err)
{
	mql_spend *spend;
	int status = mql_spend_load(&spend, path, opt, err);
	if (status)
		return status;
	double total = 0;
	mql_time first = MQL_TIME_NONE, last = MQL_TIME_NONE;
	for (size_t i = 0; i < spend->count; i++) {
		const mql_spend_row *row = &spend->rows[i];
		total += row->amount;
		if (first == MQL_TIME_NONE || row->start < first)
			first = row->start;
		if (last == MQL_TIME_NONE || row->end > last)
			last = row->end;
	}
	char from[32], to[32];
	status = add(r, "files", "spend", (double)spend->count, NAN,
		     "%s: %zu rows", path, spend->count);
	if (!status)
		status = add(r, "spend", "amount", NAN, NAN,
			     "total spent %s .. %s (end exclusive)",
			     mql_time_format(first, 1, from, sizeof from),
			     mql_time_format(last, 1, to, sizeof to));
	if (!status) {
		mql_check_item *it = &r->items[r->count - 1];
		it->amount = total;
		it->first = first;
		/* the rows' ends are exclusive: the last day is the one
		 * before */
		it->last = last == MQL_TIME_NONE ? last : last - 1;
	}
	if (!status)
		status = add(r, "spend", "campaigns",
			     (double)spend->campaigns.count, NAN, "%s", "");
	if (!status)
		status = add(r, "spend", "channels",
			     (double)spend->channels.count, NAN, "%s", "");
	mql_spend_free(spend);
	return status;
}

/* Counts the warnings and faults and adds the "verdict" item last. */
static int add_verdict(mql_check_report *r)
{
	char names[512] = "";
	size_t used = 0;
	r->warnings = r->faults = 0;
	for (size_t i = 0; i < r->count; i++)
		r->warnings += r->items[i].severity == MQL_CHECK_WARNING,
			r->faults += r->items[i].severity == MQL_CHECK_FAULT;
	mql_check_severity shown =
		r->faults ? MQL_CHECK_FAULT : MQL_CHECK_WARNING;
	for (size_t i = 0; i < r->count && used < sizeof names; i++) {
		if (r->items[i].severity != shown)
			continue;
		int wrote = snprintf(names + used, sizeof names - used,
				     "%s%s/%s", used ? ", " : "",
				     r->items[i].section, r->items[i].item);
		if (wrote < 0)
			break;
		used += (size_t)wrote;
	}
	size_t n = r->faults ? r->faults : r->warnings;
	char verdict[64];
	snprintf(verdict, sizeof verdict, "%s (%zu %s%s)",
		 r->faults ? "not usable" : "usable with warnings", n,
		 r->faults ? "fault" : "warning", n == 1 ? "" : "s");
	if (!n)
		return add(r, "verdict", "usable", 0, NAN, "%s",
			   "no warning, no fault");
	return add(r, "verdict", verdict, (double)n, NAN, "%s", names);
}

int mql_check_run(mql_check_report *report, const char *contacts_path,
		  const char *events_path, const char *spend_path,
		  const mql_csv_options *opt, mql_time as_of, mql_error *err)
{
	return mql_check_run_threads(report, contacts_path, events_path,
				     spend_path, opt, as_of, 0, err);
}

int mql_check_run_threads(mql_check_report *report, const char *contacts_path,
			  const char *events_path, const char *spend_path,
			  const mql_csv_options *opt, mql_time as_of,
			  int threads, mql_error *err)
{
	mql_contacts *contacts = NULL;
	memset(report, 0, sizeof *report);
	if (as_of == MQL_TIME_NONE)
		as_of = (mql_time)time(NULL);
	int status = mql_contacts_load(&contacts, contacts_path, opt, as_of,
				       NULL, err);
	if (!status)
		status = add_contacts(report, contacts, as_of);
	if (!status && events_path)
		status = add_events(report, events_path, contacts, opt, as_of,
				    threads, err);
	if (!status && spend_path)
		status = add_spend(report, spend_path, opt, err);
	if (!status)
		status = add_verdict(report);
	mql_contacts_free(contacts);
	if (status) {
		if (status == MQL_ERR_NOMEM)
			mql_error_set(err, status, NULL, 0, 0, "out of memory");
		mql_check_release(report);
	}
	return status;
}

void mql_check_release(mql_check_report *report)
{
	if (!report)
		return;
	for (size_t i = 0; i < report->count; i++) {
		free(report->items[i].item);
		free(report->items[i].detail);
	}
	free(report->items);
	memset(report, 0, sizeof *report);
}
