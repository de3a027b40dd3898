/*
 * gen.c - the synthetic history, contact by contact (see gen.h).
 *
 * Each contact is drawn, its events generated and sorted, its MQL time found
 * by the old rules, its sales decision drawn from the true model as of that
 * time, and its later stages drawn; then the contact and its events are
 * written and the buffers reused.  Memory is one contact's events.
 */
#include "gen_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include <mqlcal/logit.h>

#define DAY		 ((double)MQL_SECONDS_PER_DAY)
#define MAX_TOUCH_CHOICE 12

/* Campaigns an event can touch on one day, per touch kind. */
typedef struct touch_day {
	unsigned char count[TOUCH_COUNT];
	unsigned char campaign[TOUCH_COUNT][MAX_TOUCH_CHOICE];
} touch_day;

typedef struct gen_state {
	const mql_gen_options *opt;
	gsl_rng *rng;
	gen_models models;
	mql_time start, end;
	double *lead_weights; /* day x campaign, cumulative */
	touch_day *touches;   /* per day */
	int small_campaign;   /* index of the CAMPAIGN_SMALL one, or -1 */
	int small_assigned;
	gen_contact contact;
	gen_writer contacts, events;
	gen_spool spool; /* time and random orders */
	mql_gen_summary summary;
} gen_state;

void mql_gen_options_init(mql_gen_options *o)
{
	o->contacts = 1000;
	o->seed = 1;
	o->drift = 0;
	o->event_scale = 1.0;
	o->order = MQL_GEN_ORDER_CONTACT;
	o->ids = MQL_GEN_IDS_TEXT;
	o->run_events = 0;
	o->progress = NULL;
	o->progress_ctx = NULL;
}

/* Index drawn with probability proportional to weights[0..n). */
static int draw_index(gsl_rng *rng, const double *weights, int n)
{
	double total = 0, u;
	for (int i = 0; i < n; i++)
		total += weights[i];
	u = gsl_rng_uniform(rng) * total;
	for (int i = 0; i < n; i++) {
		if (u < weights[i])
			return i;
		u -= weights[i];
	}
	return n - 1;
}

/* Tables by day: cumulative lead weights and campaigns events touch. */
static int build_day_tables(gen_state *s)
{
	size_t n = mql_gen_campaign_count;
	s->lead_weights = malloc(sizeof(double) * GEN_DAYS * n);
	s->touches = calloc(GEN_DAYS, sizeof *s->touches);
	if (!s->lead_weights || !s->touches)
		return MQL_ERR_NOMEM;
	for (int day = 0; day < GEN_DAYS; day++) {
		int drifted = s->opt->drift && day >= GEN_DAYS - GEN_DRIFT_DAYS;
		double total = 0;
		touch_day *t = &s->touches[day];
		for (size_t c = 0; c < n; c++) {
			const gen_campaign_info *info = &mql_gen_campaigns[c];
			enum gen_touch kind = TOUCH_NONE;
			total += mql_gen_campaign_weight(c, day, drifted);
			s->lead_weights[(size_t)day * n + c] = total;
			if (info->weight <= 0 ||
			    !mql_gen_campaign_active(c, day))
				continue;
			switch (info->channel) {
			case CH_EMAIL: kind = TOUCH_EMAIL; break;
			case CH_WEBINAR: kind = TOUCH_WEBINAR; break;
			case CH_EVENTS: kind = TOUCH_EVENTS; break;
			case CH_PAID_SEARCH:
			case CH_PAID_SOCIAL: kind = TOUCH_PAID; break;
			case CH_CONTENT_SYNDICATION:
			case CH_ORGANIC_SEARCH: kind = TOUCH_CONTENT; break;
			default: break;
			}
			if (kind != TOUCH_NONE &&
			    t->count[kind] < MAX_TOUCH_CHOICE)
				t->campaign[kind][t->count[kind]++] =
					(unsigned char)c;
		}
	}
	return MQL_OK;
}

static int day_of(const gen_state *s, mql_time t)
{
	long long day = (t - s->start) / MQL_SECONDS_PER_DAY;
	return day < 0 ? 0 : day >= GEN_DAYS ? GEN_DAYS - 1 : (int)day;
}

static int draw_campaign(gen_state *s, int day)
{
	size_t n = mql_gen_campaign_count;
	const double *cumulative = &s->lead_weights[(size_t)day * n];
	double u = gsl_rng_uniform(s->rng) * cumulative[n - 1];
	for (size_t c = 0; c < n; c++)
		if (u < cumulative[c])
			return (int)c;
	return (int)n - 1;
}

/* Job title of a seniority level; now and then missing or lowercased. */
static void draw_title(gen_state *s, gen_contact *c, int level)
{
	const char *const *titles = mql_gen_titles[level];
	size_t count = 0;
	double u = gsl_rng_uniform(s->rng);
	while (titles[count])
		count++;
	c->job_title[0] = '\0';
	if (u < 0.04)
		return;
	snprintf(c->job_title, sizeof c->job_title, "%s",
		 titles[gsl_rng_uniform_int(s->rng, count)]);
	if (u > 0.92)
		for (char *p = c->job_title; *p; p++)
			*p = (char)tolower((unsigned char)*p);
}

static void draw_fit(gen_state *s, gen_contact *c)
{
	const gen_channel_info *ch = &mql_gen_channels[c->channel];
	enum gen_audience audience = ch->audience;
	const gen_audience_info *a;
	int level;
	if (c->drifted && gsl_rng_uniform(s->rng) < GEN_DRIFT_JUNIOR_SHARE)
		audience = AUD_JUNIOR;
	a = &mql_gen_audiences[audience];
	level = draw_index(s->rng, a->seniority, SENIORITY_COUNT);
	draw_title(s, c, level);
	/* Enrichment is patchy: the seniority field is often empty. */
	c->seniority = gsl_rng_uniform(s->rng) < 0.12 ? -1 : level;
	c->company_size = NAN;
	if (gsl_rng_uniform(s->rng) >= 0.06) {
		double size =
			round(exp(a->log_size_mean +
				  gsl_ran_gaussian_ziggurat(s->rng, 1.5)));
		c->company_size = size < 1 ? 1 : size > 500000 ? 500000 : size;
	}
	c->industry = gsl_rng_uniform(s->rng) < 0.05
			      ? -1
			      : draw_index(s->rng, a->industry, INDUSTRY_COUNT);
	c->country = gsl_rng_uniform(s->rng) < 0.02
			     ? -1
			     : draw_index(s->rng, mql_gen_country_weights,
					  COUNTRY_COUNT);
	c->personal_email = gsl_rng_uniform(s->rng) < a->personal_email;
	c->intent = ch->intent_mean +
		    (c->drifted ? GEN_DRIFT_INTENT_SHIFT : 0) +
		    gsl_ran_gaussian_ziggurat(s->rng, 1.0);
}

static int add_event(gen_contact *c, mql_time t, int type, int campaign)
{
	if (c->event_count == c->event_capacity) {
		size_t capacity =
			c->event_capacity ? 2 * c->event_capacity : 256;
		mql_event *grown = realloc(c->events, capacity * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		c->events = grown;
		c->event_capacity = capacity;
	}
	c->events[c->event_count].contact = 0;
	c->events[c->event_count].at = t;
	c->events[c->event_count].type = type;
	c->events[c->event_count].campaign = campaign;
	c->event_count++;
	return MQL_OK;
}

static int touch_campaign(gen_state *s, const gen_contact *c, int type,
			  mql_time t)
{
	const gen_event_info *info = &mql_gen_events[type];
	const touch_day *day;
	if (info->touch == TOUCH_NONE ||
	    gsl_rng_uniform(s->rng) >= info->touch_share)
		return -1;
	if (info->touch == TOUCH_ORIGIN)
		return c->campaign;
	day = &s->touches[day_of(s, t)];
	if (!day->count[info->touch])
		return -1;
	return day->campaign[info->touch][gsl_rng_uniform_int(
		s->rng, day->count[info->touch])];
}

static int compare_events(const void *a, const void *b)
{
	const mql_event *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return (x->campaign > y->campaign) - (x->campaign < y->campaign);
}

/* Email events after an unsubscribe never happen. */
static void drop_after_unsubscribe(gen_contact *c)
{
	mql_time unsubscribed = MQL_TIME_NONE;
	size_t kept = 0;
	for (size_t e = 0; e < c->event_count; e++)
		if (c->events[e].type == EV_UNSUBSCRIBE)
			unsubscribed = c->events[e].at;
	if (unsubscribed == MQL_TIME_NONE)
		return;
	for (size_t e = 0; e < c->event_count; e++) {
		const mql_event *ev = &c->events[e];
		if (mql_gen_events[ev->type].email && ev->at > unsubscribed)
			continue;
		c->events[kept++] = *ev;
	}
	c->event_count = kept;
}

static int draw_events(gen_state *s, gen_contact *c)
{
	const gen_channel_info *ch = &mql_gen_channels[c->channel];
	double lifetime = gsl_ran_exponential(s->rng, 120 * DAY);
	double burst_start;
	lifetime = lifetime < DAY	  ? DAY
		   : lifetime > 365 * DAY ? 365 * DAY
					  : lifetime;
	burst_start =
		(double)c->created + gsl_rng_uniform(s->rng) * 0.7 * lifetime;
	c->event_count = 0;
	for (int k = 0; k < EV_COUNT; k++) {
		const gen_event_info *info = &mql_gen_events[k];
		double multiplier = ch->event_multiplier[k] > 0
					    ? ch->event_multiplier[k]
					    : 1.0;
		double slope = info->intent_slope;
		double mean = info->per_contact * s->opt->event_scale *
			      multiplier *
			      exp(slope * c->intent - slope * slope / 2);
		unsigned count = gsl_ran_poisson(s->rng, mean);
		if (k == EV_UNSUBSCRIBE && count > 1)
			count = 1;
		for (unsigned i = 0; i < count; i++) {
			double u = gsl_rng_uniform(s->rng);
			mql_time t =
				(mql_time)(info->burst
						   ? burst_start + u * 21 * DAY
						   : (double)c->created +
							     u * lifetime);
			int campaign;
			if (t >= s->end)
				continue;
			campaign = touch_campaign(s, c, k, t);
			if (add_event(c, t, k, campaign))
				return MQL_ERR_NOMEM;
		}
	}
	qsort(c->events, c->event_count, sizeof *c->events, compare_events);
	drop_after_unsubscribe(c);
	return MQL_OK;
}

/* A stage delay from t, or MQL_TIME_NONE when it falls after the end. */
static mql_time after(const gen_state *s, mql_time t, double delay_seconds)
{
	mql_time when;
	if (t == MQL_TIME_NONE)
		return MQL_TIME_NONE;
	when = t + (mql_time)delay_seconds;
	return when < s->end ? when : MQL_TIME_NONE;
}

/*
 * Sales decision from the true model as of mql_at, then the rest of the
 * funnel.  Every draw is made whether or not its stage is reached, so an
 * MQL uses the same number of draws whatever happens to it.
 */
static int draw_stages(gen_state *s, gen_contact *c, mql_error *err)
{
	double size = isnan(c->company_size) ? 0 : c->company_size;
	double u = c->intent;
	double accept_draw, decision_delay, sql_draw, opp_draw, customer_draw;
	double sql_delay, opp_delay, customer_delay, revenue, p_accept;
	mql_time decision;
	int status;

	for (int i = 0; i < 6; i++)
		c->stage[i] = MQL_TIME_NONE;
	c->revenue = NAN;
	status = mql_gen_crossing(&s->models, c, s->end - 1, &c->stage[ST_MQL],
				  err);
	if (status || c->stage[ST_MQL] == MQL_TIME_NONE)
		return status;
	status = mql_gen_true_probability(&s->models, c, c->stage[ST_MQL],
					  &p_accept, err);
	if (status)
		return status;
	accept_draw = gsl_rng_uniform(s->rng);
	decision_delay = 600 + gsl_ran_exponential(s->rng, 6 * DAY);
	sql_draw = gsl_rng_uniform(s->rng);
	opp_draw = gsl_rng_uniform(s->rng);
	customer_draw = gsl_rng_uniform(s->rng);
	sql_delay = gsl_ran_gamma(s->rng, 2, 7 * DAY);
	opp_delay = gsl_ran_gamma(s->rng, 2, 10 * DAY);
	customer_delay = gsl_ran_gamma(s->rng, 3, 20 * DAY);
	revenue = exp(log(12000) + 0.25 * log1p(size / 100) +
		      gsl_ran_gaussian_ziggurat(s->rng, 0.6));

	decision = after(s, c->stage[ST_MQL], decision_delay);
	if (decision == MQL_TIME_NONE)
		return MQL_OK; /* still open at the end of the history */
	if (accept_draw >= p_accept) {
		c->stage[ST_REJECTED] = decision;
		return MQL_OK;
	}
	c->stage[ST_SAL] = decision;
	if (sql_draw < mql_logit_inverse(-0.2 + 0.7 * u + 0.4 * (size >= 200)))
		c->stage[ST_SQL] = after(s, decision, sql_delay);
	if (opp_draw < mql_logit_inverse(0.3 + 0.3 * u))
		c->stage[ST_OPPORTUNITY] =
			after(s, c->stage[ST_SQL], opp_delay);
	if (customer_draw <
	    mql_logit_inverse(-0.7 + 0.4 * u + 0.5 * (size >= 1000)))
		c->stage[ST_CUSTOMER] =
			after(s, c->stage[ST_OPPORTUNITY], customer_delay);
	if (c->stage[ST_CUSTOMER] != MQL_TIME_NONE)
		c->revenue = 100 * round(revenue / 100);
	return MQL_OK;
}

/*
 * The small campaign: a dinner for a handful of executives.  Its leads are
 * the first two events leads created during it who were accepted, so it
 * shows 2 of 2 MQLs accepted: too few to call it good.
 */
static void maybe_join_small_campaign(gen_state *s, gen_contact *c)
{
	int old = c->campaign;
	if (s->small_campaign < 0 || s->small_assigned >= 2 ||
	    c->channel != CH_EVENTS || c->stage[ST_SAL] == MQL_TIME_NONE ||
	    !mql_gen_campaign_active((size_t)s->small_campaign,
				     day_of(s, c->created)))
		return;
	c->campaign = s->small_campaign;
	for (size_t e = 0; e < c->event_count; e++)
		if (c->events[e].campaign == old)
			c->events[e].campaign = s->small_campaign;
	s->small_assigned++;
}

static const char contacts_header[] =
	"contact_id,created_at,channel,campaign,job_title,seniority,"
	"company_size,industry,country,email_type,mql_at,sal_at,rejected_at,"
	"sql_at,"
	"opportunity_at,customer_at,revenue\n";

static void write_contact(gen_state *s, const gen_contact *c)
{
	gen_writer *w = &s->contacts;
	static const int stage_order[] = {ST_MQL, ST_SAL,	  ST_REJECTED,
					  ST_SQL, ST_OPPORTUNITY, ST_CUSTOMER};
	mql_gen_put_contact_id(w, s->opt->ids, c->number);
	mql_gen_put_char(w, ',');
	mql_gen_put_time(w, c->created);
	mql_gen_put_char(w, ',');
	mql_gen_put_str(w, mql_gen_channels[c->channel].name);
	mql_gen_put_char(w, ',');
	mql_gen_put_str(w, mql_gen_campaigns[c->campaign].id);
	mql_gen_put_char(w, ',');
	mql_gen_put_field(w, c->job_title);
	mql_gen_put_char(w, ',');
	if (c->seniority >= 0)
		mql_gen_put_str(w, mql_gen_seniorities[c->seniority]);
	mql_gen_put_char(w, ',');
	if (!isnan(c->company_size))
		mql_gen_put_long(w, (long long)c->company_size);
	mql_gen_put_char(w, ',');
	if (c->industry >= 0)
		mql_gen_put_str(w, mql_gen_industries[c->industry]);
	mql_gen_put_char(w, ',');
	if (c->country >= 0)
		mql_gen_put_str(w, mql_gen_countries[c->country]);
	mql_gen_put_char(w, ',');
	mql_gen_put_str(w, c->personal_email ? "personal" : "business");
	for (size_t i = 0; i < sizeof stage_order / sizeof stage_order[0];
	     i++) {
		mql_gen_put_char(w, ',');
		mql_gen_put_time(w, c->stage[stage_order[i]]);
	}
	mql_gen_put_char(w, ',');
	if (!isnan(c->revenue))
		mql_gen_put_long(w, (long long)c->revenue);
	mql_gen_put_char(w, '\n');
}

/* c's events, written now in contact order, else spooled for the sort. */
static int write_events(gen_state *s, const gen_contact *c)
{
	if (s->opt->order != MQL_GEN_ORDER_CONTACT)
		return mql_gen_spool_add(&s->spool, c);
	for (size_t e = 0; e < c->event_count; e++) {
		const mql_event *ev = &c->events[e];
		mql_gen_put_event(&s->events, s->opt->ids, c->number, ev->at,
				  ev->type, ev->campaign);
	}
	return MQL_OK;
}

static void count_contact(mql_gen_summary *sum, const gen_contact *c)
{
	sum->contacts++;
	sum->events += (long long)c->event_count;
	if (c->stage[ST_MQL] == MQL_TIME_NONE)
		return;
	sum->mql++;
	if (c->stage[ST_SAL] != MQL_TIME_NONE)
		sum->accepted++;
	else if (c->stage[ST_REJECTED] != MQL_TIME_NONE)
		sum->rejected++;
	else
		sum->open++;
	if (c->stage[ST_CUSTOMER] != MQL_TIME_NONE)
		sum->customers++;
}

static int generate_contact(gen_state *s, long number, mql_error *err)
{
	gen_contact *c = &s->contact;
	int day, status;
	c->number = number;
	c->created =
		s->start + (mql_time)(gsl_rng_uniform(s->rng) * GEN_DAYS * DAY);
	day = day_of(s, c->created);
	c->drifted = s->opt->drift && day >= GEN_DAYS - GEN_DRIFT_DAYS;
	c->campaign = draw_campaign(s, day);
	c->channel = mql_gen_campaigns[c->campaign].channel;
	draw_fit(s, c);
	if (draw_events(s, c))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory for the events");
	status = draw_stages(s, c, err);
	if (status)
		return status;
	maybe_join_small_campaign(s, c);
	write_contact(s, c);
	status = write_events(s, c);
	if (status == MQL_ERR_NOMEM)
		return mql_error_set(err, status, NULL, 0, 0,
				     "out of memory for the events");
	count_contact(&s->summary, c);
	return status;
}

/* Prints a cJSON document to fp with a final newline. */
static int write_json(FILE *fp, cJSON *doc)
{
	char *text = doc ? cJSON_Print(doc) : NULL;
	int status = MQL_OK;
	if (!text)
		status = MQL_ERR_NOMEM;
	else if (fputs(text, fp) == EOF || fputc('\n', fp) == EOF)
		status = MQL_ERR_IO;
	cJSON_free(text);
	cJSON_Delete(doc);
	return status;
}

static int open_state(gen_state *s, const mql_gen_options *opt,
		      const mql_gen_outputs *out, mql_error *err)
{
	memset(s, 0, sizeof *s);
	s->opt = opt;
	s->small_campaign = -1;
	s->start =
		mql_time_days_from_civil(GEN_START_YEAR, GEN_START_MONTH, 1) *
		MQL_SECONDS_PER_DAY;
	s->end = s->start + (mql_time)GEN_DAYS * MQL_SECONDS_PER_DAY;
	for (size_t c = 0; c < mql_gen_campaign_count; c++)
		if (mql_gen_campaigns[c].flags & CAMPAIGN_SMALL)
			s->small_campaign = (int)c;
	s->rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!s->rng || build_day_tables(s) ||
	    mql_gen_writer_init(&s->contacts, out->contacts, 1 << 16) ||
	    mql_gen_writer_init(&s->events, out->events, 1 << 20) ||
	    (opt->order != MQL_GEN_ORDER_CONTACT &&
	     mql_gen_spool_init(&s->spool, opt, out->scratch, s->start)))
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	gsl_rng_set(s->rng, opt->seed);
	return mql_gen_models_init(&s->models, err);
}

static void close_state(gen_state *s)
{
	gsl_rng_free(s->rng);
	mql_gen_models_release(&s->models);
	free(s->lead_weights);
	free(s->touches);
	free(s->contact.events);
	mql_gen_writer_release(&s->contacts);
	mql_gen_writer_release(&s->events);
	mql_gen_spool_release(&s->spool);
}

static int write_side_files(gen_state *s, const mql_gen_outputs *out,
			    mql_error *err)
{
	gen_writer spend;
	int status = mql_rules_write(s->models.old_rules, out->rules, err);
	if (status)
		return status;
	status = write_json(out->truth,
			    mql_gen_truth_json(s->opt, s->start, s->end));
	if (status)
		return status;
	if (mql_gen_writer_init(&spend, out->spend, 1 << 16))
		return MQL_ERR_NOMEM;
	status = mql_gen_write_spend(&spend, s->opt, s->start,
				     &s->summary.spend_rows);
	mql_gen_writer_release(&spend);
	return status;
}

static int check_options(const mql_gen_options *opt, mql_error *err)
{
	if (opt->contacts < 1 || opt->contacts > 99999999)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "contacts must be between 1 and 99999999, "
				     "not %ld",
				     opt->contacts);
	if (!(opt->event_scale > 0 && opt->event_scale <= 100))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "event scale must be in (0, 100], not %g",
				     opt->event_scale);
	if ((unsigned)opt->order > MQL_GEN_ORDER_RANDOM ||
	    (unsigned)opt->ids > MQL_GEN_IDS_SALESFORCE)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "unknown order or id shape");
	return MQL_OK;
}

/* Flushes the five streams: did every write reach its file? */
static int streams_ok(const mql_gen_outputs *out)
{
	FILE *const streams[] = {out->contacts, out->events, out->spend,
				 out->rules, out->truth};
	int ok = 1;
	for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++)
		if (fflush(streams[i]) != 0 || ferror(streams[i]))
			ok = 0;
	return ok;
}

int mql_gen_run(const mql_gen_options *opt, const mql_gen_outputs *out,
		mql_gen_summary *summary, mql_error *err)
{
	gen_state s;
	int status = check_options(opt, err);
	if (status)
		return status;
	if (opt->order != MQL_GEN_ORDER_CONTACT && !out->scratch)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "the %s order needs a scratch stream",
				     mql_gen_order_names[opt->order]);
	status = open_state(&s, opt, out, err);
	if (!status)
		status = write_side_files(&s, out, err);
	if (!status) {
		mql_gen_put_str(&s.contacts, contacts_header);
		mql_gen_put_str(&s.events,
				"contact_id,occurred_at,event,campaign\n");
	}
	for (long i = 1; !status && i <= opt->contacts; i++) {
		status = generate_contact(&s, i, err);
		if (!status && (s.contacts.failed || s.events.failed))
			status = MQL_ERR_IO; /* a full disk: stop early */
		if (opt->progress && (i % 65536 == 0 || i == opt->contacts))
			opt->progress(opt->progress_ctx, i, opt->contacts);
	}
	if (!status && opt->order != MQL_GEN_ORDER_CONTACT)
		status = mql_gen_spool_write(&s.spool, &s.events, opt->ids);
	if (!status)
		status = mql_gen_writer_flush(&s.contacts);
	if (!status)
		status = mql_gen_writer_flush(&s.events);
	if (!status && !streams_ok(out))
		status = MQL_ERR_IO;
	if (status == MQL_ERR_IO)
		status = mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				       "cannot write the generated files");
	else if (status == MQL_ERR_NOMEM && err && !err->message[0])
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	s.summary.start = s.start;
	s.summary.end = s.end;
	if (summary)
		*summary = s.summary;
	close_state(&s);
	return status;
}
