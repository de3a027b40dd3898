/*
 * channels.h - keep, kill or watch each channel or campaign, on how its
 * MQLs convert and what its conversions cost.
 *
 * Per group (the contacts' originating channel or campaign):
 *  - the rate: for SQL, opportunity or customer, the MQLs whose window
 *    (window_days after mql_at) has closed by as_of, whatever they
 *    reached, and among them those that reached the stage within the
 *    window.  Which MQLs count depends only on mql_at, never on the
 *    outcome; MQLs still inside their window are left out of the rate
 *    (they are counted in `mql`).  For SAL, the MQLs with a sales
 *    decision (accepted or rejected), as mql-fit's label sal;
 *  - the rate shrunk toward the overall rate: a Beta(alpha, beta) prior
 *    fitted across groups (shrink.h), posterior mean and equal-tailed
 *    interval at `level`; with fewer than two groups the prior is
 *    Jeffreys' Beta(1/2, 1/2) and nothing is shrunk toward anything;
 *  - the exact two-sided binomial p-value of the raw count against the
 *    overall rate (all groups pooled), and Benjamini-Hochberg q-values
 *    across the groups that have MQLs;
 *  - cost per SQL and per customer from a cost report, when given.
 *
 * The decision, with overall rate p0 and kill line K = kill_fraction * p0:
 *  - kill:  significantly worse (rate < p0 and q < q_max) and even the
 *           interval's upper end is below K;
 *  - keep:  not significantly worse and at least min_mql MQLs of known
 *           outcome;
 *  - watch: anything else, with `more_mql`, about how many more MQLs of
 *           known outcome would settle it:
 *           - too few MQLs: min_mql - n;
 *           - worse but the interval still reaches above K while the
 *             shrunk rate r is below it: the n at which the upper end
 *             r + z sqrt(r (1 - r) / n) falls to K, i.e.
 *             z^2 r (1 - r) / (K - r)^2, minus the MQLs it has;
 *           - worse, and r at or above K: NAN (more data will not make it
 *             a kill: a judgement on cost).
 * min_mql by default (0) is a power calculation: the number of MQLs at
 * which a two-sided test at level q_max would detect, with probability
 * `power`, a group converting at the kill line instead of p0:
 *     n = ((z_{1 - q_max/2} sqrt(p0 (1 - p0)) + z_power sqrt(K (1 - K)))
 *          / (p0 - K))^2,
 * rounded up.  It ignores the multiple-testing adjustment, so it is a
 * lower bound on what BH needs.
 *
 * Rows are sorted by MQLs (most first), then name.  The report owns its
 * strings: free with mql_channels_free.
 */
#ifndef MQLCAL_CHANNELS_H
#define MQLCAL_CHANNELS_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/contacts.h>
#include <mqlcal/cost.h>
#include <mqlcal/error.h>
#include <mqlcal/shrink.h>
#include <mqlcal/table.h>

typedef enum mql_decision {
	MQL_DECISION_KEEP,
	MQL_DECISION_WATCH,
	MQL_DECISION_KILL
} mql_decision;

/* "keep", "watch", "kill"; NULL out of range. */
const char *mql_decision_name(mql_decision d);

typedef struct mql_channels_options {
	int by_campaign;	/* group by campaign instead of channel */
	int stage;		/* MQL_STAGE_SQL (default) or _CUSTOMER */
	double level;		/* interval probability, 0.95 */
	double q_max;		/* significance of BH q-values, 0.05 */
	double kill_fraction;	/* kill line as a fraction of p0, 0.5 */
	double min_mql;		/* MQLs for keep; 0 = power calculation */
	double power;		/* for the default min_mql, 0.8 */
	double window_days;	/* days an MQL has to reach the stage, 180 */
	mql_time as_of;		/* MQL_TIME_NONE = latest date in contacts */
	mql_beta_method method; /* prior fit, maximum likelihood */
} mql_channels_options;

/* Fills o with the defaults above. */
void mql_channels_options_init(mql_channels_options *o);

/* The stages a rate can end at (--stage), NULL-ended, in the order of the
 * stages: mql_channels_stage_names[i] names MQL_STAGE_SAL + i, "sal",
 * "sql", "opportunity", "customer". */
extern const char *const mql_channels_stage_names[];

/* Reads an mql_channels_stage_names entry into *stage (an MQL_STAGE_*).
 * Returns 0, or -1 leaving *stage as it was. */
int mql_channels_stage_parse(const char *name, int *stage);

/* What the groups are (--by), NULL-ended: "channel", "campaign". */
extern const char *const mql_channels_by_names[];

/* Reads an mql_channels_by_names entry into *by_campaign (0 for channel,
 * 1 for campaign).  Returns 0, or -1 leaving it as it was. */
int mql_channels_by_parse(const char *name, int *by_campaign);

typedef struct mql_channel_row {
	char *group;
	size_t mql, sql, customer; /* all of the group's */
	size_t decided, reached;   /* the rate's denominator and numerator */
	double rate, rate_shrunk, rate_low, rate_high;
	double p_value, q_value; /* NAN without MQLs of known outcome */
	double spend;		 /* NAN without a cost report row */
	double cost_per_sql, cost_per_customer;
	mql_decision decision;
	double more_mql; /* watch: see above; NAN otherwise */
	char reason[240];
} mql_channel_row;

typedef struct mql_channels_report {
	mql_channels_options options; /* as used (as_of, min_mql resolved) */
	size_t count;
	mql_channel_row *rows;
	mql_channel_row total; /* group "all": pooled, no decision */
	double overall_rate;   /* p0 */
	double kill_line;      /* kill_fraction * p0 */
	mql_beta_prior prior;
	int prior_fitted; /* 0: Jeffreys prior (fewer than two groups) */
	mql_acceptance acceptance; /* what "sal" and "rejected" rest on */
} mql_channels_report;

/*
 * Builds the report.  cost may be NULL (costs NAN); when given it should
 * be grouped like the options (by channel or campaign); groups are joined
 * by name.  Returns 0, MQL_ERR_USAGE (bad options: err says which),
 * MQL_ERR_INPUT (no MQLs at all: nothing to decide) or MQL_ERR_NOMEM.
 */
int mql_channels_decide(mql_channels_report **out, const mql_contacts *contacts,
			const mql_cost_report *cost,
			const mql_channels_options *options, mql_error *err);

/*
 * Writes the report to fp: with MQL_FORMAT_HTML the report page (key
 * figures, the shrunk rates with intervals against the overall rate, the
 * decisions and their reasons; subtitle may be NULL), otherwise the table
 * of SPEC's columns (the group column, mql, sql, customer, rate,
 * rate_shrunk, rate_low, rate_high, p_value, q_value, cost_per_sql,
 * cost_per_customer, decision, reason) followed by mql_known, reached,
 * more_mql and spend; the total last, with an empty decision.  currency
 * (ISO code, NULL or "" for none) is shown before every amount of the
 * page, and as a last column, currency, of csv and json (empty when none)
 * and of table and md (when there is one).  Returns 0, MQL_ERR_IO or
 * MQL_ERR_NOMEM.
 */
int mql_channels_write(const mql_channels_report *r, FILE *fp,
		       mql_format format, const char *subtitle,
		       const char *currency, mql_error *err);

/* Frees the report.  r may be NULL. */
void mql_channels_free(mql_channels_report *r);

#endif
