/*
 * gen_write.c - the generator's output side: a buffered writer with fast
 * integer and timestamp formatting (no printf per field: a million contacts
 * mean fifty million event rows), spend.csv, and truth.json.
 */
#include "gen_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include <mqlcal/contacts.h>

int mql_gen_writer_init(gen_writer *w, FILE *fp, size_t capacity)
{
	w->fp = fp;
	w->length = 0;
	w->capacity = capacity;
	w->failed = 0;
	w->data = malloc(capacity);
	return w->data ? MQL_OK : MQL_ERR_NOMEM;
}

int mql_gen_writer_flush(gen_writer *w)
{
	if (w->length && !w->failed &&
	    fwrite(w->data, 1, w->length, w->fp) != w->length)
		w->failed = 1;
	w->length = 0;
	return w->failed ? MQL_ERR_IO : MQL_OK;
}

void mql_gen_writer_release(gen_writer *w)
{
	if (!w)
		return;
	free(w->data);
	w->data = NULL;
}

/* Appends s[0..n), flushing when the buffer is full; a piece larger
 * than the buffer is written directly. */
static void put(gen_writer *w, const char *s, size_t n)
{
	if (w->length + n > w->capacity) {
		mql_gen_writer_flush(w);
		if (n > w->capacity) {
			if (!w->failed && fwrite(s, 1, n, w->fp) != n)
				w->failed = 1;
			return;
		}
	}
	memcpy(w->data + w->length, s, n);
	w->length += n;
}

void mql_gen_put_str(gen_writer *w, const char *s)
{
	put(w, s, strlen(s));
}

void mql_gen_put_char(gen_writer *w, char ch)
{
	if (w->length == w->capacity)
		mql_gen_writer_flush(w);
	w->data[w->length++] = ch;
}

void mql_gen_put_long(gen_writer *w, long long value)
{
	char digits[24];
	size_t n = 0;
	unsigned long long magnitude =
		value < 0 ? 0ULL - (unsigned long long)value
			  : (unsigned long long)value;
	do {
		digits[sizeof digits - 1 - n++] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	if (value < 0)
		digits[sizeof digits - 1 - n++] = '-';
	put(w, digits + sizeof digits - n, n);
}

void mql_gen_put_field(gen_writer *w, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		mql_gen_put_str(w, s);
		return;
	}
	mql_gen_put_char(w, '"');
	for (; *s; s++) {
		if (*s == '"')
			mql_gen_put_char(w, '"');
		mql_gen_put_char(w, *s);
	}
	mql_gen_put_char(w, '"');
}

static void two_digits(char *out, int value)
{
	out[0] = (char)('0' + value / 10);
	out[1] = (char)('0' + value % 10);
}

void mql_gen_put_time(gen_writer *w, mql_time t)
{
	char text[20];
	int64_t days, seconds;
	int year, month, day;
	if (t == MQL_TIME_NONE)
		return;
	days = t / MQL_SECONDS_PER_DAY;
	seconds = t % MQL_SECONDS_PER_DAY;
	if (seconds < 0) {
		seconds += MQL_SECONDS_PER_DAY;
		days--;
	}
	mql_gen_civil_from_days(days, &year, &month, &day);
	two_digits(text, year / 100);
	two_digits(text + 2, year % 100);
	text[4] = '-';
	two_digits(text + 5, month);
	text[7] = '-';
	two_digits(text + 8, day);
	text[10] = 'T';
	two_digits(text + 11, (int)(seconds / 3600));
	text[13] = ':';
	two_digits(text + 14, (int)(seconds / 60 % 60));
	text[16] = ':';
	two_digits(text + 17, (int)(seconds % 60));
	text[19] = 'Z';
	put(w, text, sizeof text);
}

/* ---- contact ids and event rows ------------------------------------- */

const char *const mql_gen_ids_names[] = {"text", "integer", "salesforce", NULL};

/* C0000001: the number, at least 7 digits. */
static void put_text_id(gen_writer *w, long number)
{
	char digits[24];
	size_t n = 0;
	unsigned long rest = (unsigned long)number;
	do {
		digits[n++] = (char)('0' + rest % 10);
		rest /= 10;
	} while (rest);
	while (n < 7)
		digits[n++] = '0';
	mql_gen_put_char(w, 'C');
	while (n)
		mql_gen_put_char(w, digits[--n]);
}

/*
 * 003Dn + 10 base-62 digits + 3 checksum characters: a Salesforce contact
 * id of 18 characters.  The digits are the number times an odd constant
 * modulo 2^48 (a bijection, so ids stay unique); the checksum is
 * Salesforce's case-safe suffix.
 */
static void put_salesforce_id(gen_writer *w, long number)
{
	static const char digits62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "abcdefghijklmnopqrstuvwxyz";
	char id[18] = "003Dn";
	uint64_t rest =
		(uint64_t)number * 0x9E3779B97F4BULL & 0xFFFFFFFFFFFFULL;
	for (int i = 14; i >= 5; i--) {
		id[i] = digits62[rest % 62];
		rest /= 62;
	}
	mql_contacts_salesforce_suffix(id, id + 15);
	put(w, id, sizeof id);
}

void mql_gen_put_contact_id(gen_writer *w, mql_gen_ids ids, long number)
{
	if (ids == MQL_GEN_IDS_INTEGER)
		/* record numbers: an odd multiple modulo 2^32 (a bijection),
		 * above 10^10 so every id has 11 digits */
		mql_gen_put_long(
			w, 10000000000LL +
				   (long long)((uint32_t)number * 2654435761U));
	else if (ids == MQL_GEN_IDS_SALESFORCE)
		put_salesforce_id(w, number);
	else
		put_text_id(w, number);
}

void mql_gen_put_event(gen_writer *w, mql_gen_ids ids, long number, mql_time at,
		       int type, int campaign)
{
	mql_gen_put_contact_id(w, ids, number);
	mql_gen_put_char(w, ',');
	mql_gen_put_time(w, at);
	mql_gen_put_char(w, ',');
	mql_gen_put_str(w, mql_gen_events[type].name);
	mql_gen_put_char(w, ',');
	if (campaign >= 0)
		mql_gen_put_str(w, mql_gen_campaigns[campaign].id);
	mql_gen_put_char(w, '\n');
}

/* ---- spend.csv ------------------------------------------------------ */

static int drifted_day(const mql_gen_options *opt, int day)
{
	return opt->drift && day >= GEN_DAYS - GEN_DRIFT_DAYS;
}

/* Expected leads of a campaign on a day: its share of the day's weight. */
static double expected_leads(const mql_gen_options *opt, size_t campaign,
			     int day)
{
	int drifted = drifted_day(opt, day);
	double total = 0;
	for (size_t c = 0; c < mql_gen_campaign_count; c++)
		total += mql_gen_campaign_weight(c, day, drifted);
	if (total <= 0)
		return 0;
	return (double)opt->contacts / GEN_DAYS *
	       mql_gen_campaign_weight(campaign, day, drifted) / total;
}

static void put_amount(gen_writer *w, double amount)
{
	long long cents = llround(amount * 100);
	mql_gen_put_long(w, cents / 100);
	mql_gen_put_char(w, '.');
	mql_gen_put_char(w, (char)('0' + cents % 100 / 10));
	mql_gen_put_char(w, (char)('0' + cents % 10));
}

/* One campaign's spend in one month; 0 when it spent nothing. */
static double month_spend(const mql_gen_options *opt, size_t campaign,
			  int first_day, int last_day, gsl_rng *rng)
{
	const gen_campaign_info *info = &mql_gen_campaigns[campaign];
	double cost_per_lead = mql_gen_channels[info->channel].cost_per_lead;
	double noise = 0.85 + 0.3 * gsl_rng_uniform(rng);
	double leads = 0;
	int active = 0;
	for (int day = first_day; day <= last_day; day++) {
		active |= mql_gen_campaign_active(campaign, day);
		leads += expected_leads(opt, campaign, day);
	}
	if (!active || cost_per_lead <= 0)
		return 0;
	/* Fixed-budget campaigns: a test that found nobody, one dinner. */
	if (info->flags & CAMPAIGN_NO_LEADS)
		return 6000 * noise;
	if (info->flags & CAMPAIGN_SMALL)
		return 4750;
	return cost_per_lead * leads * noise;
}

int mql_gen_write_spend(gen_writer *w, const mql_gen_options *opt,
			mql_time start, long *rows)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int64_t origin = start / MQL_SECONDS_PER_DAY;
	int year = GEN_START_YEAR, month = GEN_START_MONTH;
	*rows = 0;
	if (!rng)
		return MQL_ERR_NOMEM;
	gsl_rng_set(rng, opt->seed ^ 0x5bd1e995UL);
	mql_gen_put_str(w, "campaign,channel,month,amount\n");
	for (;;) {
		int first = (int)(mql_time_days_from_civil(year, month, 1) -
				  origin);
		int next_year = month == 12 ? year + 1 : year;
		int next_month = month == 12 ? 1 : month + 1;
		int last = (int)(mql_time_days_from_civil(next_year, next_month,
							  1) -
				 origin) -
			   1;
		char label[8];
		if (first >= GEN_DAYS)
			break;
		if (last >= GEN_DAYS)
			last = GEN_DAYS - 1;
		label[0] = (char)('0' + year / 1000);
		label[1] = (char)('0' + year / 100 % 10);
		two_digits(label + 2, year % 100);
		label[4] = '-';
		two_digits(label + 5, month);
		label[7] = '\0';
		for (size_t c = 0; c < mql_gen_campaign_count; c++) {
			double amount = month_spend(opt, c, first, last, rng);
			if (amount <= 0)
				continue;
			mql_gen_put_str(w, mql_gen_campaigns[c].id);
			mql_gen_put_char(w, ',');
			mql_gen_put_str(
				w,
				mql_gen_channels[mql_gen_campaigns[c].channel]
					.name);
			mql_gen_put_char(w, ',');
			mql_gen_put_str(w, label);
			mql_gen_put_char(w, ',');
			put_amount(w, amount);
			mql_gen_put_char(w, '\n');
			(*rows)++;
		}
		year = next_year;
		month = next_month;
	}
	gsl_rng_free(rng);
	return mql_gen_writer_flush(w);
}

/* ---- truth.json ----------------------------------------------------- */

static cJSON *event_parameters_json(void)
{
	cJSON *list = cJSON_CreateArray();
	for (int k = 0; list && k < EV_COUNT; k++) {
		const gen_event_info *info = &mql_gen_events[k];
		cJSON *o = cJSON_CreateObject();
		cJSON *multipliers;
		if (!o)
			break;
		cJSON_AddItemToArray(list, o);
		cJSON_AddStringToObject(o, "event", info->name);
		cJSON_AddNumberToObject(o, "per_contact", info->per_contact);
		cJSON_AddNumberToObject(o, "intent_slope", info->intent_slope);
		cJSON_AddStringToObject(o, "placement",
					info->burst ? "burst" : "lifetime");
		cJSON_AddBoolToObject(o, "stops_after_unsubscribe",
				      info->email);
		multipliers = cJSON_AddObjectToObject(o, "channel_multipliers");
		for (int ch = 0; multipliers && ch < CH_COUNT; ch++) {
			double m = mql_gen_channels[ch].event_multiplier[k];
			if (m > 0)
				cJSON_AddNumberToObject(
					multipliers, mql_gen_channels[ch].name,
					m);
		}
	}
	return list;
}

static cJSON *channel_parameters_json(void)
{
	static const char *const audiences[AUD_COUNT] = {"general", "junior",
							 "senior"};
	cJSON *o = cJSON_CreateObject();
	for (int ch = 0; o && ch < CH_COUNT; ch++) {
		const gen_channel_info *info = &mql_gen_channels[ch];
		cJSON *c = cJSON_AddObjectToObject(o, info->name);
		if (!c)
			break;
		cJSON_AddNumberToObject(c, "intent_mean", info->intent_mean);
		cJSON_AddNumberToObject(c, "cost_per_lead",
					info->cost_per_lead);
		cJSON_AddStringToObject(c, "audience",
					audiences[info->audience]);
	}
	return o;
}

/* "2025-03-10" of a campaign bound, or the history's first/last day. */
static void put_bound(cJSON *o, const char *key, int y, int m, int d, int last)
{
	char text[11];
	if (!y) {
		int64_t day = mql_time_days_from_civil(GEN_START_YEAR,
						       GEN_START_MONTH, 1);
		mql_gen_civil_from_days(last ? day + GEN_DAYS - 1 : day, &y, &m,
					&d);
	}
	text[0] = (char)('0' + y / 1000);
	text[1] = (char)('0' + y / 100 % 10);
	two_digits(text + 2, y % 100);
	text[4] = '-';
	two_digits(text + 5, m);
	text[7] = '-';
	two_digits(text + 8, d);
	text[10] = '\0';
	cJSON_AddStringToObject(o, key, text);
}

static cJSON *campaign_parameters_json(void)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; list && i < mql_gen_campaign_count; i++) {
		const gen_campaign_info *c = &mql_gen_campaigns[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddItemToArray(list, o);
		cJSON_AddStringToObject(o, "campaign", c->id);
		cJSON_AddStringToObject(o, "channel",
					mql_gen_channels[c->channel].name);
		cJSON_AddNumberToObject(o, "daily_weight", c->weight);
		put_bound(o, "from", c->from_y, c->from_m, c->from_d, 0);
		put_bound(o, "to", c->to_y, c->to_m, c->to_d, 1);
		cJSON_AddStringToObject(o, "kind",
					c->flags & CAMPAIGN_SMALL ? "small"
					: c->flags & CAMPAIGN_NO_LEADS
						? "no_leads"
						: "regular");
	}
	return list;
}

static cJSON *generation_json(const mql_gen_options *opt, mql_time start,
			      mql_time end)
{
	char text[32];
	gen_writer w = {.data = text, .capacity = sizeof text};
	cJSON *g = cJSON_CreateObject();
	cJSON *lifetime, *drift;
	if (!g)
		return NULL;
	cJSON_AddNumberToObject(g, "seed", (double)opt->seed);
	cJSON_AddNumberToObject(g, "contacts", (double)opt->contacts);
	mql_gen_put_time(&w, start);
	mql_gen_put_char(&w, '\0');
	cJSON_AddStringToObject(g, "start", text);
	w.length = 0;
	mql_gen_put_time(&w, end);
	mql_gen_put_char(&w, '\0');
	cJSON_AddStringToObject(g, "end", text);
	cJSON_AddNumberToObject(g, "event_scale", opt->event_scale);
	drift = cJSON_AddObjectToObject(g, "drift");
	if (drift) {
		cJSON_AddBoolToObject(drift, "enabled", opt->drift);
		cJSON_AddNumberToObject(drift, "last_days", GEN_DRIFT_DAYS);
		cJSON_AddNumberToObject(drift, "intent_shift",
					GEN_DRIFT_INTENT_SHIFT);
		cJSON_AddNumberToObject(drift, "junior_audience_share",
					GEN_DRIFT_JUNIOR_SHARE);
		cJSON_AddNumberToObject(drift, "content_syndication_weight",
					GEN_DRIFT_SYNDICATION_WEIGHT);
		cJSON_AddNumberToObject(drift, "paid_social_weight",
					GEN_DRIFT_SOCIAL_WEIGHT);
	}
	cJSON_AddNumberToObject(g, "intent_sd", 1);
	lifetime = cJSON_AddObjectToObject(g, "engagement_lifetime_days");
	if (lifetime) {
		cJSON_AddNumberToObject(lifetime, "mean", 120);
		cJSON_AddNumberToObject(lifetime, "max", 365);
		cJSON_AddNumberToObject(lifetime, "min", 1);
		cJSON_AddNumberToObject(lifetime, "burst_days", 21);
	}
	cJSON_AddNumberToObject(g, "decision_delay_days_mean", 6);
	cJSON_AddItemToObject(g, "channels", channel_parameters_json());
	cJSON_AddItemToObject(g, "event_types", event_parameters_json());
	cJSON_AddItemToObject(g, "campaigns", campaign_parameters_json());
	return g;
}

cJSON *mql_gen_truth_json(const mql_gen_options *opt, mql_time start,
			  mql_time end)
{
	const gen_rule_set *truth = &mql_gen_true_rules;
	cJSON *root = cJSON_CreateObject();
	cJSON *rules = mql_gen_true_rules_json();
	cJSON *half_lives, *coefficients;
	if (!root || !rules) {
		cJSON_Delete(root);
		cJSON_Delete(rules);
		return NULL;
	}
	cJSON_AddStringToObject(root, "format", "mqlcal.truth/1");
	cJSON_AddNumberToObject(root, "intercept", truth->intercept);
	coefficients = cJSON_AddObjectToObject(root, "coefficients");
	half_lives = cJSON_AddObjectToObject(root, "half_lives");
	for (size_t i = 0; i < truth->count; i++) {
		const gen_rule *rule = &truth->rules[i];
		if (coefficients)
			cJSON_AddNumberToObject(coefficients, rule->id,
						rule->points);
		if (!rule->engagement || !half_lives)
			continue;
		if (rule->decay == DECAY_HALF_LIFE)
			cJSON_AddNumberToObject(
				half_lives, mql_gen_events[rule->event].name,
				rule->decay_days);
		else
			cJSON_AddNullToObject(half_lives,
					      mql_gen_events[rule->event].name);
	}
	cJSON_AddItemToObject(root, "rules", rules);
	cJSON_AddItemToObject(root, "generation",
			      generation_json(opt, start, end));
	return root;
}
