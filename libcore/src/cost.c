/*
 * cost.c - spend rollups joined to funnel counts (see cost.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mqlcal/cost.h>
#include <mqlcal/dict.h>

const char *const mql_cost_by_names[] = {"channel", "campaign", "month",
					 "quarter", NULL};

int mql_cost_by_parse(const char *name, mql_cost_by *out)
{
	for (size_t i = 0; name && mql_cost_by_names[i]; i++) {
		if (strcasecmp(name, mql_cost_by_names[i]) == 0) {
			*out = (mql_cost_by)i;
			return 0;
		}
	}
	return -1;
}

/* The report under construction: rows indexed like the group dictionary. */
struct builder {
	mql_cost_by by;
	const mql_contacts *contacts;
	mql_dict groups; /* labels folded to lower case (see group_row) */
	mql_cost_row *rows;
	size_t capacity;
	int32_t *credit_campaigns; /* one contact's credits */
	double *credits;
	size_t credit_capacity;
	const char **campaign_channel; /* touch campaign -> channel name */
	size_t campaign_channel_count;
};

/*
 * The row of label, created empty on first sight; NULL when out of memory.
 * Labels are matched without regard to ASCII case, so a spend sheet's
 * "Paid Search" is the contacts' "paid search"; a row keeps the spelling
 * it was first seen with (the contacts', which are counted first).
 */
static mql_cost_row *group_row(struct builder *b, const char *label)
{
	size_t len = strlen(label);
	char small[128];
	char *key = len < sizeof small ? small : malloc(len + 1);
	if (!key)
		return NULL;
	for (size_t i = 0; i <= len; i++)
		key[i] = (char)tolower((unsigned char)label[i]);
	int32_t index = mql_dict_intern(&b->groups, key, len);
	if (key != small)
		free(key);
	if (index < 0)
		return NULL;
	mql_cost_row *rows = mql_dict_grow_parallel(
		b->rows, &b->capacity, sizeof *rows, (size_t)index);
	if (!rows)
		return NULL;
	b->rows = rows;
	if (!rows[index].group && !(rows[index].group = strdup(label)))
		return NULL;
	return &rows[index];
}

/* Label of the period containing t, or "(none)". */
static const char *period_label(const struct builder *b, mql_time t, char *buf,
				size_t n)
{
	if (t == MQL_TIME_NONE)
		return MQL_GROUP_NONE;
	if (b->by == MQL_COST_BY_MONTH)
		return mql_time_month_label(t, buf, n);
	return mql_time_quarter_label(t, buf, n);
}

static const char *name_or_none(const mql_dict *d, int32_t index)
{
	const char *name = index >= 0 ? mql_dict_name(d, index) : NULL;
	return name ? name : MQL_GROUP_NONE;
}

/* The group of a contact's stage under first touch from its own columns.
 * Revenue without a customer date falls back to the created date. */
static const char *contact_label(const struct builder *b, size_t row, int stage,
				 char *buf, size_t n)
{
	const mql_contacts *c = b->contacts;
	switch (b->by) {
	case MQL_COST_BY_CHANNEL:
		return name_or_none(&c->channels, c->channel[row]);
	case MQL_COST_BY_CAMPAIGN:
		return name_or_none(&c->campaigns, c->campaign[row]);
	default: {
		mql_time at = c->stage_at[stage][row];
		if (at == MQL_TIME_NONE && stage == MQL_STAGE_CUSTOMER)
			at = c->stage_at[MQL_STAGE_CREATED][row];
		return period_label(b, at, buf, n);
	}
	}
}

/* Adds amount to the count of stage (created = leads), or to revenue. */
enum measure { LEADS, MQLS, SQLS, CUSTOMERS, REVENUE };

static void add_measure(mql_cost_row *r, enum measure m, double amount)
{
	switch (m) {
	case LEADS: r->leads += amount; break;
	case MQLS: r->mql += amount; break;
	case SQLS: r->sql += amount; break;
	case CUSTOMERS: r->customer += amount; break;
	case REVENUE: r->revenue += amount; break;
	}
}

static const int measure_stage[] = {MQL_STAGE_CREATED, MQL_STAGE_MQL,
				    MQL_STAGE_SQL, MQL_STAGE_CUSTOMER,
				    MQL_STAGE_CUSTOMER};

/* Counts contact row by its own columns (or stage dates). */
static int count_first_touch(struct builder *b, size_t row)
{
	const mql_contacts *c = b->contacts;
	char buf[16];
	for (int m = LEADS; m <= REVENUE; m++) {
		int stage = measure_stage[m];
		double amount = 1;
		if (m == REVENUE) {
			amount = c->revenue[row];
			if (!isfinite(amount))
				continue;
		} else if (m != LEADS &&
			   c->stage_at[stage][row] == MQL_TIME_NONE) {
			continue;
		}
		mql_cost_row *r = group_row(
			b, contact_label(b, row, stage, buf, sizeof buf));
		if (!r)
			return MQL_ERR_NOMEM;
		add_measure(r, (enum measure)m, amount);
	}
	return MQL_OK;
}

/* Label of an attributed campaign under the grouping. */
static const char *credit_label(const struct builder *b,
				const mql_touches *touches, size_t row,
				int32_t campaign)
{
	if (b->by == MQL_COST_BY_CAMPAIGN)
		return name_or_none(mql_touches_campaigns(touches), campaign);
	if (campaign >= 0 && (size_t)campaign < b->campaign_channel_count &&
	    b->campaign_channel[campaign])
		return b->campaign_channel[campaign];
	/* No campaign, or a campaign of unknown channel: the lead's own. */
	return name_or_none(&b->contacts->channels, b->contacts->channel[row]);
}

/* Counts contact row with the credits of model. */
static int count_attributed(struct builder *b, mql_touches *touches,
			    mql_attribution_model model, size_t row)
{
	const mql_contacts *c = b->contacts;
	size_t room = mql_touches_max_credits(touches, row);
	if (room > b->credit_capacity) {
		int32_t *campaigns =
			realloc(b->credit_campaigns, room * sizeof *campaigns);
		if (campaigns)
			b->credit_campaigns = campaigns;
		double *credits = realloc(b->credits, room * sizeof *credits);
		if (credits)
			b->credits = credits;
		if (!campaigns || !credits)
			return MQL_ERR_NOMEM;
		b->credit_capacity = room;
	}
	for (int m = LEADS; m <= REVENUE; m++) {
		int stage = measure_stage[m];
		double amount = 1;
		if (m == REVENUE)
			amount = c->revenue[row];
		else if (m != LEADS)
			amount = c->stage_at[stage][row] == MQL_TIME_NONE ? 0
									  : 1;
		if (!isfinite(amount) || amount == 0)
			continue;
		size_t n;
		if (mql_touches_credit(touches, row, stage, model,
				       b->credit_campaigns, b->credits, &n))
			return MQL_ERR_NOMEM;
		for (size_t i = 0; i < n; i++) {
			mql_cost_row *r = group_row(
				b, credit_label(b, touches, row,
						b->credit_campaigns[i]));
			if (!r)
				return MQL_ERR_NOMEM;
			add_measure(r, (enum measure)m, amount * b->credits[i]);
		}
	}
	return MQL_OK;
}

/* The channel of each campaign: that of the first contact it originated,
 * overridden by the spend file's. */
static int map_campaign_channels(struct builder *b, const mql_touches *touches,
				 const mql_spend *spend)
{
	const mql_dict *campaigns = mql_touches_campaigns(touches);
	const mql_contacts *c = b->contacts;
	b->campaign_channel_count = campaigns->count;
	b->campaign_channel = calloc(campaigns->count ? campaigns->count : 1,
				     sizeof *b->campaign_channel);
	if (!b->campaign_channel)
		return MQL_ERR_NOMEM;
	for (size_t row = 0; row < c->count; row++) {
		int32_t campaign = c->campaign[row];
		if (campaign >= 0 && c->channel[row] >= 0 &&
		    !b->campaign_channel[campaign])
			b->campaign_channel[campaign] =
				mql_dict_name(&c->channels, c->channel[row]);
	}
	for (size_t i = 0; spend && i < spend->count; i++) {
		const mql_spend_row *s = &spend->rows[i];
		const char *name =
			mql_dict_name(&spend->campaigns, s->campaign);
		if (!name || s->channel < 0)
			continue;
		int32_t campaign = mql_dict_find(campaigns, name, strlen(name));
		if (campaign >= 0)
			b->campaign_channel[campaign] =
				mql_dict_name(&spend->channels, s->channel);
	}
	return MQL_OK;
}

/* First day of the month after the one containing t. */
static mql_time next_month_start(mql_time t)
{
	int year, month;
	mql_time_to_civil(t, &year, &month, NULL, NULL, NULL, NULL);
	if (++month > 12) {
		month = 1;
		year++;
	}
	return mql_time_days_from_civil(year, month, 1) * MQL_SECONDS_PER_DAY;
}

/* Adds one spend row's amount to its group, split over months by time. */
static int add_spend_row(struct builder *b, const mql_spend *spend,
			 const mql_spend_row *s)
{
	char buf[16];
	if (b->by == MQL_COST_BY_CHANNEL || b->by == MQL_COST_BY_CAMPAIGN) {
		const char *label =
			b->by == MQL_COST_BY_CHANNEL
				? name_or_none(&spend->channels, s->channel)
				: name_or_none(&spend->campaigns, s->campaign);
		mql_cost_row *r = group_row(b, label);
		if (!r)
			return MQL_ERR_NOMEM;
		r->spend += s->amount;
		r->in_spend = 1;
		return MQL_OK;
	}
	if (s->start == MQL_TIME_NONE || s->end == MQL_TIME_NONE ||
	    s->end <= s->start) {
		mql_cost_row *r = group_row(
			b, period_label(b, s->start, buf, sizeof buf));
		if (!r)
			return MQL_ERR_NOMEM;
		r->spend += s->amount;
		r->in_spend = 1;
		return MQL_OK;
	}
	double length = (double)(s->end - s->start);
	for (mql_time from = s->start; from < s->end;) {
		mql_time to = next_month_start(from);
		if (to > s->end)
			to = s->end;
		mql_cost_row *r =
			group_row(b, period_label(b, from, buf, sizeof buf));
		if (!r)
			return MQL_ERR_NOMEM;
		r->spend += s->amount * (double)(to - from) / length;
		r->in_spend = 1;
		from = to;
	}
	return MQL_OK;
}

/*
 * Fills a row's ratios from its spend and counts: spend / count (NAN for a
 * zero count or when !in_spend) and ROI (NAN for zero spend).  Cannot fail.
 */
static void fill_ratios(mql_cost_row *row)
{
	double spend = row->in_spend ? row->spend : NAN;
	row->cost_per_lead = row->leads > 0 ? spend / row->leads : NAN;
	row->cost_per_mql = row->mql > 0 ? spend / row->mql : NAN;
	row->cost_per_sql = row->sql > 0 ? spend / row->sql : NAN;
	row->cost_per_customer =
		row->customer > 0 ? spend / row->customer : NAN;
	row->roi = spend > 0 ? (row->revenue - spend) / spend : NAN;
}

/* Sort order: see cost.h.  "(none)" comes after every named group: > 0
 * when only x is "(none)", < 0 when only y is, 0 otherwise. */
static int none_last(const mql_cost_row *x, const mql_cost_row *y)
{
	int x_none = strcmp(x->group, MQL_GROUP_NONE) == 0;
	int y_none = strcmp(y->group, MQL_GROUP_NONE) == 0;
	return x_none - y_none;
}

static int by_period(const void *a, const void *b)
{
	const mql_cost_row *x = a, *y = b;
	int order = none_last(x, y);
	return order ? order : strcmp(x->group, y->group);
}

static int by_spend(const void *a, const void *b)
{
	const mql_cost_row *x = a, *y = b;
	int order = none_last(x, y);
	if (order)
		return order;
	if (x->spend != y->spend)
		return x->spend > y->spend ? -1 : 1;
	if (x->leads != y->leads)
		return x->leads > y->leads ? -1 : 1;
	return strcmp(x->group, y->group);
}

/* Moves the builder's rows into the report, names copied, totals summed. */
static int finish_report(mql_cost_report *report, struct builder *b,
			 int has_revenue)
{
	report->count = b->groups.count;
	report->rows =
		calloc(report->count ? report->count : 1, sizeof *report->rows);
	report->total.group = strdup(MQL_GROUP_ALL);
	if (!report->rows || !report->total.group)
		return MQL_ERR_NOMEM;
	mql_cost_row *total = &report->total;
	for (size_t i = 0; i < report->count; i++) {
		mql_cost_row *r = &report->rows[i];
		*r = b->rows[i];
		b->rows[i].group = NULL; /* moved */
		if (!has_revenue)
			r->revenue = NAN;
		total->spend += r->spend;
		total->leads += r->leads;
		total->mql += r->mql;
		total->sql += r->sql;
		total->customer += r->customer;
		total->revenue += r->revenue;
		total->in_spend |= r->in_spend;
		fill_ratios(r);
	}
	if (!has_revenue)
		total->revenue = NAN;
	fill_ratios(total);
	int period = report->by == MQL_COST_BY_MONTH ||
		     report->by == MQL_COST_BY_QUARTER;
	qsort(report->rows, report->count, sizeof *report->rows,
	      period ? by_period : by_spend);
	return MQL_OK;
}

static int count_contacts(struct builder *b, const mql_spend *spend,
			  mql_touches *touches, mql_attribution_model model)
{
	int attributed = touches && (b->by == MQL_COST_BY_CHANNEL ||
				     b->by == MQL_COST_BY_CAMPAIGN);
	if (attributed && b->by == MQL_COST_BY_CHANNEL &&
	    map_campaign_channels(b, touches, spend))
		return MQL_ERR_NOMEM;
	for (size_t row = 0; row < b->contacts->count; row++) {
		int status = attributed
				     ? count_attributed(b, touches, model, row)
				     : count_first_touch(b, row);
		if (status)
			return status;
	}
	for (size_t i = 0; spend && i < spend->count; i++)
		if (add_spend_row(b, spend, &spend->rows[i]))
			return MQL_ERR_NOMEM;
	return MQL_OK;
}

int mql_cost_build(mql_cost_report **out, const mql_contacts *contacts,
		   const mql_spend *spend, mql_touches *touches,
		   mql_attribution_model model, mql_cost_by by, mql_error *err)
{
	*out = NULL;
	if ((unsigned)by > MQL_COST_BY_QUARTER)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "unknown grouping %d", (int)by);
	mql_cost_report *report = calloc(1, sizeof *report);
	struct builder b = {.by = by, .contacts = contacts};
	mql_dict_init(&b.groups);
	int status = MQL_ERR_NOMEM;
	if (!report)
		goto done;
	report->by = by;
	report->model = touches ? model : MQL_ATTRIBUTION_FIRST;
	report->fractional =
		touches &&
		(by == MQL_COST_BY_CHANNEL || by == MQL_COST_BY_CAMPAIGN) &&
		(model == MQL_ATTRIBUTION_LINEAR ||
		 model == MQL_ATTRIBUTION_U_SHAPED);
	status = count_contacts(&b, spend, touches, model);
	if (status)
		goto done;
	int has_revenue = 0;
	for (size_t row = 0; row < contacts->count && !has_revenue; row++)
		has_revenue = isfinite(contacts->revenue[row]);
	status = finish_report(report, &b, has_revenue);
done:
	if (status) {
		mql_cost_free(report);
		report = NULL;
		mql_error_set(err, status, NULL, 0, 0,
			      "out of memory building the cost report");
	}
	for (size_t i = 0; b.rows && i < b.groups.count; i++)
		free(b.rows[i].group);
	free(b.rows);
	free(b.credit_campaigns);
	free(b.credits);
	free(b.campaign_channel);
	mql_dict_release(&b.groups);
	*out = report;
	return status;
}

const mql_cost_row *mql_cost_find(const mql_cost_report *r, const char *group)
{
	if (strcmp(group, MQL_GROUP_ALL) == 0)
		return &r->total;
	for (size_t i = 0; i < r->count; i++)
		if (strcasecmp(r->rows[i].group, group) == 0)
			return &r->rows[i];
	return NULL;
}

void mql_cost_free(mql_cost_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->rows && i < r->count; i++)
		free(r->rows[i].group);
	free(r->rows);
	free(r->total.group);
	free(r);
}
