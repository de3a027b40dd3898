/*
 * gen_internal.h - what the files of the gen module share: the world the
 * history is drawn from (channels, campaigns, event types, audiences), the
 * two rule sets (old and true), one generated contact, and the buffered
 * writer.  Not installed; only libcore/src/gen*.c include it.
 */
#ifndef MQLCAL_GEN_INTERNAL_H
#define MQLCAL_GEN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <mqlcal/error.h>
#include <mqlcal/events.h>
#include <mqlcal/gen.h>
#include <mqlcal/rules.h>
#include <mqlcal/score.h>
#include <mqlcal/timeparse.h>

/* The history: two years from 2024-10-01 (fixed so a seed gives bytes). */
#define GEN_START_YEAR	2024
#define GEN_START_MONTH 10
#define GEN_DAYS	730
#define GEN_DRIFT_DAYS	91 /* the last quarter */

/* The shifted population of --drift (reported in truth.json). */
#define GEN_DRIFT_JUNIOR_SHARE	     1.0  /* leads from the junior audience */
#define GEN_DRIFT_INTENT_SHIFT	     -1.5 /* added to the intent mean */
#define GEN_DRIFT_SYNDICATION_WEIGHT 4	  /* campaign weight multipliers */
#define GEN_DRIFT_SOCIAL_WEIGHT	     2

/* ---- the world ---------------------------------------------------- */

enum gen_channel {
	CH_ORGANIC_SEARCH,
	CH_PAID_SEARCH,
	CH_PAID_SOCIAL,
	CH_EVENTS,
	CH_WEBINAR,
	CH_REFERRAL,
	CH_PARTNER,
	CH_CONTENT_SYNDICATION,
	CH_EMAIL,
	CH_DIRECT,
	CH_COUNT
};

enum gen_event_type {
	EV_EMAIL_OPEN,
	EV_EMAIL_CLICK,
	EV_WEB_VISIT,
	EV_CONTENT_DOWNLOAD,
	EV_CASE_STUDY_VIEW,
	EV_WEBINAR_REGISTERED,
	EV_WEBINAR_ATTENDED,
	EV_EVENT_ATTENDED,
	EV_PRICING_PAGE_VIEW,
	EV_CHAT_STARTED,
	EV_DEMO_REQUEST,
	EV_TRIAL_SIGNUP,
	EV_UNSUBSCRIBE,
	EV_COUNT
};

/* Which campaigns an event of a type can touch. */
enum gen_touch {
	TOUCH_NONE,
	TOUCH_EMAIL,
	TOUCH_WEBINAR,
	TOUCH_EVENTS,
	TOUCH_PAID,
	TOUCH_CONTENT,
	TOUCH_ORIGIN, /* the contact's originating campaign */
	TOUCH_COUNT
};

/* Fit properties a rule can test. */
enum gen_property {
	PROP_JOB_TITLE,
	PROP_SENIORITY,
	PROP_COMPANY_SIZE,
	PROP_INDUSTRY,
	PROP_COUNTRY,
	PROP_CHANNEL,
	PROP_EMAIL_TYPE,
	PROP_COUNT
};

enum gen_audience { AUD_GENERAL, AUD_JUNIOR, AUD_SENIOR, AUD_COUNT };

#define SENIORITY_COUNT 7
#define INDUSTRY_COUNT	11
#define COUNTRY_COUNT	10

typedef struct gen_channel_info {
	const char *name;
	double intent_mean;		   /* mean of the latent intent */
	double cost_per_lead;		   /* spend per expected lead */
	enum gen_audience audience;	   /* who it brings */
	double event_multiplier[EV_COUNT]; /* 0 means 1 */
} gen_channel_info;

enum gen_campaign_flags {
	CAMPAIGN_SMALL = 1,   /* gets a couple of hand-picked leads only */
	CAMPAIGN_NO_LEADS = 2 /* spends money, brings nobody */
};

typedef struct gen_campaign_info {
	const char *id;
	enum gen_channel channel;
	double weight;		    /* daily share of new leads while active */
	int from_y, from_m, from_d; /* active from (0 = start of history) */
	int to_y, to_m, to_d;	    /* active until, inclusive (0 = end) */
	int flags;
} gen_campaign_info;

typedef struct gen_event_info {
	const char *name;
	double per_contact;   /* mean count per contact at scale 1 */
	double intent_slope;  /* mean multiplier exp(slope u - slope^2/2) */
	int burst;	      /* placed in the buying burst, not the lifetime */
	int email;	      /* stops after an unsubscribe */
	enum gen_touch touch; /* which campaigns it touches */
	double touch_share;   /* share of its events carrying a campaign */
} gen_event_info;

extern const gen_channel_info mql_gen_channels[CH_COUNT];
extern const gen_event_info mql_gen_events[EV_COUNT];
extern const gen_campaign_info mql_gen_campaigns[];
extern const size_t mql_gen_campaign_count;
extern const char *const mql_gen_seniorities[SENIORITY_COUNT];
extern const char *const mql_gen_industries[INDUSTRY_COUNT];
extern const char *const mql_gen_countries[COUNTRY_COUNT];

/* Job titles by seniority level (NULL-ended lists). */
extern const char *const *const mql_gen_titles[SENIORITY_COUNT];

/* Audience distributions: seniority and industry weights, log size. */
typedef struct gen_audience_info {
	double seniority[SENIORITY_COUNT];
	double industry[INDUSTRY_COUNT];
	double log_size_mean;
	double personal_email; /* share signing up with a free mail address */
} gen_audience_info;
extern const gen_audience_info mql_gen_audiences[AUD_COUNT];
extern const double mql_gen_country_weights[COUNTRY_COUNT];

/* ---- rules -------------------------------------------------------- */

enum gen_op { OP_IN, OP_RANGE, OP_MATCHES, OP_MISSING };
enum gen_decay { DECAY_NONE, DECAY_HALF_LIFE, DECAY_WINDOW };

#define GEN_MAX_VALUES 4

typedef struct gen_rule {
	const char *id;
	int engagement; /* 0: fit rule, 1: engagement rule */
	double points;	/* old: integer points; truth: the coefficient */
	/* fit */
	enum gen_property property;
	enum gen_op op;
	const char *values[GEN_MAX_VALUES + 1]; /* NULL-ended, for OP_IN */
	double min, max;			/* OP_RANGE; NAN = open */
	const char *pattern;			/* OP_MATCHES */
	/* engagement */
	enum gen_event_type event;
	enum gen_decay decay;
	double decay_days; /* half-life or window */
	double max_count;  /* 0 = no cap */
} gen_rule;

typedef struct gen_rule_set {
	const char *name;
	double threshold;
	double intercept; /* truth only */
	const gen_rule *rules;
	size_t count;
} gen_rule_set;

extern const gen_rule_set mql_gen_old_rules;
extern const gen_rule_set mql_gen_true_rules;

/* ---- one contact -------------------------------------------------- */

typedef struct gen_contact {
	long number; /* 1-based, the id's digits */
	mql_time created;
	int campaign;
	enum gen_channel channel;
	int drifted;
	char job_title[80];  /* "" = missing */
	int seniority;	     /* -1 = missing */
	double company_size; /* NAN = missing */
	int industry;	     /* -1 = missing */
	int country;	     /* -1 = missing */
	int personal_email;  /* 1: a free mail address, 0: a business one */
	double intent;
	mql_time stage[6]; /* mql, sal, sql, opportunity, customer, rejected */
	double revenue;	   /* NAN = none */
	mql_event *events; /* time order; type: enum gen_event_type,
			      campaign: index into mql_gen_campaigns */
	size_t event_count, event_capacity;
} gen_contact;

enum { ST_MQL, ST_SAL, ST_SQL, ST_OPPORTUNITY, ST_CUSTOMER, ST_REJECTED };

/*
 * The two rule sets read back from their JSON and compiled by the score
 * module, without a contacts table.  mql_gen_models_init returns 0,
 * MQL_ERR_NOMEM, or MQL_ERR_INTERNAL when a table of gen_world.c does not
 * make a valid rule file (err says where).
 */
typedef struct gen_models {
	mql_rules *old_rules, *true_rules;
	mql_scorer *old_scorer, *true_scorer;
} gen_models;

int mql_gen_models_init(gen_models *m, mql_error *err);
void mql_gen_models_release(gen_models *m);

/* Sum of points * x over the fit rules of rules for c. */
int mql_gen_fit_score(const mql_rules *rules, const gen_contact *c, double *out,
		      mql_error *err);

/*
 * The first time at or before as_of at which the old rules' score reaches
 * their threshold (created_at when fit alone does), or MQL_TIME_NONE.
 * c's events must be in time order.  Returns 0 or an error status.
 */
int mql_gen_crossing(gen_models *m, const gen_contact *c, mql_time as_of,
		     mql_time *out, mql_error *err);

/* The true probability of acceptance with c's history as of t. */
int mql_gen_true_probability(gen_models *m, const gen_contact *c, mql_time t,
			     double *out, mql_error *err);

/* The true rules in log-odds: threshold -intercept, calibration 1 and 0. */
cJSON *mql_gen_true_rules_json(void);

/* truth.json: the true rules plus the generation parameters. */
cJSON *mql_gen_truth_json(const mql_gen_options *opt, mql_time start,
			  mql_time end);

/* ---- buffered output ---------------------------------------------- */

typedef struct gen_writer {
	FILE *fp;
	char *data;
	size_t length, capacity;
	int failed;
} gen_writer;

int mql_gen_writer_init(gen_writer *w, FILE *fp, size_t capacity);
/* Flushes what is buffered; returns 0 or MQL_ERR_IO. */
int mql_gen_writer_flush(gen_writer *w);
void mql_gen_writer_release(gen_writer *w);
void mql_gen_put_str(gen_writer *w, const char *s);
void mql_gen_put_char(gen_writer *w, char ch);
void mql_gen_put_long(gen_writer *w, long long value);
/* A CSV field, quoted when it holds a comma, quote or newline. */
void mql_gen_put_field(gen_writer *w, const char *s);
/* "2025-03-05T14:07:00Z"; nothing for MQL_TIME_NONE. */
void mql_gen_put_time(gen_writer *w, mql_time t);

/* Days since 1970-01-01 of a civil date, and back: timeparse's calendar. */
static inline void mql_gen_civil_from_days(int64_t days, int *year, int *month,
					   int *day)
{
	mql_time_to_civil(days * MQL_SECONDS_PER_DAY, year, month, day, NULL,
			  NULL, NULL);
}

/* A contact id of the shape ids for contact number (1-based). */
void mql_gen_put_contact_id(gen_writer *w, mql_gen_ids ids, long number);
/* One events.csv row; campaign -1 for none. */
void mql_gen_put_event(gen_writer *w, mql_gen_ids ids, long number, mql_time at,
		       int type, int campaign);

/* ---- the time and random orders (gen_order.c) ---------------------- */

/* One spooled event: 16 bytes in memory and in the scratch file. */
typedef struct gen_spooled {
	uint32_t key;	  /* the sort key: seconds since start, or a hash */
	uint32_t contact; /* contact number */
	uint32_t at;	  /* seconds since the start of the history */
	int16_t type, campaign;
} gen_spooled;

typedef struct gen_spool {
	FILE *scratch;
	mql_gen_order order;
	unsigned long seed;
	mql_time start;
	gen_spooled *chunk; /* the run being filled */
	uint64_t *keys, *buffer;
	size_t count, run_events; /* in the run being filled, per run */
	int64_t *run_end;	  /* per run, its end in records */
	size_t run_count, run_capacity;
	int64_t written; /* records in the scratch file */
} gen_spool;

/* Allocates a spool for opt's order and run length.  Returns
 * 0 or MQL_ERR_NOMEM; release it either way. */
int mql_gen_spool_init(gen_spool *s, const mql_gen_options *opt, FILE *scratch,
		       mql_time start);
/* Spools c's events.  Returns 0, MQL_ERR_IO or MQL_ERR_NOMEM. */
int mql_gen_spool_add(gen_spool *s, const gen_contact *c);
/* Writes every spooled event in the spool's order to w.  Returns 0,
 * MQL_ERR_IO or MQL_ERR_NOMEM. */
int mql_gen_spool_write(gen_spool *s, gen_writer *w, mql_gen_ids ids);
void mql_gen_spool_release(gen_spool *s);

/* spend.csv */
int mql_gen_write_spend(gen_writer *w, const mql_gen_options *opt,
			mql_time start, long *rows);

/* Campaign active on a day of the history (0-based)? */
int mql_gen_campaign_active(size_t campaign, int day);
/* Daily lead weight of a campaign (drift-adjusted), 0 when inactive. */
double mql_gen_campaign_weight(size_t campaign, int day, int drifted);

#endif
