/*
 * gen.h - a synthetic B2B lead history with a known truth.
 *
 * mql_gen_run writes, for a seed, the five files of a history that looks like
 * a CRM export: contacts.csv (one row per lead: fit properties, channel,
 * campaign, lifecycle stages), events.csv (engagement events, each with the
 * campaign it touched where that makes sense), spend.csv (monthly spend per
 * campaign), rules.json (the "old", deliberately imperfect rule file whose
 * threshold crossings produced the historical MQLs) and truth.json (the true
 * acceptance model written as a rule file whose points are the true
 * coefficients, its intercept and half-lives, and the generation parameters).
 *
 * How the history is made, contact by contact:
 *   - a creation time over two years, a campaign active then (its channel
 *     follows), fit properties drawn from the channel's audience, and a
 *     latent intent u ~ N(channel mean, 1);
 *   - per event type a Poisson count whose mean grows with exp(slope * u),
 *     placed over the contact's engagement lifetime (buying signals in a
 *     short burst), cut at the end of the history;
 *   - mql_at is the first event time at which the OLD rule file's score
 *     reaches its threshold (or created_at when fit alone reaches it);
 *   - the sales decision is drawn from the TRUE model as of mql_at:
 *     logit P(accepted) = intercept + sum b_fit [rule matches]
 *                         + sum b_r min(max_count_r, D_r(mql_at)),
 *     the form mql-fit fits, so a refit with the true structure recovers it;
 *   - later stages follow with delays and drop-offs; anything that would
 *     happen after the end of the history stays empty (open, censored).
 *
 * Invariants: the same options give the same bytes (GSL's MT19937, one
 * stream per purpose), whatever the order asked for.  Events are written in
 * one of three orders (mql_gen_order): contact by contact, each contact's in
 * time order (the default, memory one contact's events); by time, as CRMs
 * and warehouses export them; or shuffled.  The last two are an external
 * sort whose memory is bounded whatever the number of contacts: the events
 * are spooled in sorted runs of MQL_GEN_RUN_EVENTS (16 bytes each) to a
 * scratch stream the caller gives, then merged.  Ties in time fall in
 * contact order, then in each contact's own order.  The library writes only
 * to the FILE streams it is given and never opens, prints or exits; the
 * caller owns the streams (tools open them with mqlcal/outfile.h so no
 * half-written file remains).
 */
#ifndef MQLCAL_GEN_H
#define MQLCAL_GEN_H

#include <stdio.h>

#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

/* The order of events.csv's rows. */
typedef enum mql_gen_order {
	MQL_GEN_ORDER_CONTACT, /* by contact, each contact's by time */
	MQL_GEN_ORDER_TIME,    /* by occurred_at (ties by contact) */
	MQL_GEN_ORDER_RANDOM   /* shuffled (a function of the seed) */
} mql_gen_order;

/* "contact", "time", "random", NULL: the names of mql_gen_order. */
extern const char *const mql_gen_order_names[];

/* The shape of the contact ids. */
typedef enum mql_gen_ids {
	MQL_GEN_IDS_TEXT,	/* C0000001: a letter and 7+ digits */
	MQL_GEN_IDS_INTEGER,	/* 10-11 digit record numbers, scattered */
	MQL_GEN_IDS_SALESFORCE, /* 18-character Salesforce ids (003...) */
} mql_gen_ids;

/* "text", "integer", "salesforce", NULL: the names of mql_gen_ids. */
extern const char *const mql_gen_ids_names[];

/* Events per sorted run of the time and random orders (16 bytes each). */
#define MQL_GEN_RUN_EVENTS ((size_t)1 << 21)

typedef struct mql_gen_options {
	long contacts;	     /* number of leads, >= 1 */
	unsigned long seed;  /* GSL seed; 0 is allowed */
	int drift;	     /* 1: the last quarter's leads come from a shifted
				population (more syndication, junior, less intent) */
	double event_scale;  /* multiplies every event type's rate; 1 gives
				about 50 events per contact */
	mql_gen_order order; /* events.csv's row order */
	mql_gen_ids ids;     /* the contact ids' shape */
	size_t run_events;   /* events per sorted run of the time and random
				orders; 0 = MQL_GEN_RUN_EVENTS */
	/* Called now and then with the contacts written so far (may be NULL):
	 * tools show progress with it. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
} mql_gen_options;

/* Fills o with the defaults: 1000 contacts, seed 1, no drift, scale 1,
 * contact order, text ids, no progress callback. */
void mql_gen_options_init(mql_gen_options *o);

/* Where the five files go.  Every stream must be open for writing. */
typedef struct mql_gen_outputs {
	FILE *contacts;
	FILE *events;
	FILE *spend;
	FILE *rules;
	FILE *truth;
	/* Open for reading and writing, empty, for the time and random
	 * orders' sorted runs (16 bytes per event); unused (may be NULL) in
	 * contact order.  Tools give an unlinked file beside the output. */
	FILE *scratch;
} mql_gen_outputs;

/* What was written, for the tool's summary line. */
typedef struct mql_gen_summary {
	long contacts;
	long long events;
	long mql;
	long accepted;
	long rejected;
	long open; /* MQLs without a sales decision by the end */
	long customers;
	long spend_rows;
	mql_time start; /* first second of the history */
	mql_time end;	/* first second after it */
} mql_gen_summary;

/*
 * Generates the history described by opt into out.  summary may be NULL.
 * Returns 0; MQL_ERR_USAGE for invalid options (contacts < 1, event_scale
 * not in (0, 100], an order other than contact without a scratch stream);
 * MQL_ERR_IO when a write fails; MQL_ERR_NOMEM; err says
 * which.  On error the streams hold partial output the caller must discard.
 */
int mql_gen_run(const mql_gen_options *opt, const mql_gen_outputs *out,
		mql_gen_summary *summary, mql_error *err);

#endif
