/*
 * cost.h - spend joined to the funnel: what a lead, an MQL, an SQL and a
 * customer cost, per channel, campaign, month or quarter.
 *
 * Per group: the spend, the leads, MQLs, SQLs and customers and their
 * revenue, and cost per lead / MQL / SQL / customer = spend / count, and
 * ROI = (revenue - spend) / spend.  Nothing is dropped: a group with spend
 * and no leads and a group with leads and no spend both appear.  A ratio
 * whose denominator is zero is NAN (an empty cell, never an infinity), and
 * so are the cost ratios of a group that has no row in the spend file
 * (its spend is unknown, not zero; in_spend says which).
 *
 * Grouping:
 *  - channel, campaign: counts by the contact's originating channel or
 *    campaign (first touch), or, with a touch table, by the credits of the
 *    chosen attribution model (fractional counts; a campaign's channel is
 *    the one spend.csv gives it, else that of the contacts it originated);
 *    spend by the spend row's channel or campaign.  Names are joined
 *    exactly (after the readers' trimming).
 *  - month, quarter: each count in the period of its own stage date
 *    (leads by created_at, MQLs by mql_at, ...; revenue by customer_at),
 *    spend spread over the periods its rows cover in proportion to time.
 * A missing name or date is the group "(none)".  The total row is "all".
 *
 * Rows are sorted by spend (largest first), then leads, then name, for
 * channel and campaign; by period for month and quarter; "(none)" last.
 * The report owns its strings: free it with mql_cost_free.
 */
#ifndef MQLCAL_COST_H
#define MQLCAL_COST_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/attribution.h>
#include <mqlcal/contacts.h>
#include <mqlcal/error.h>
#include <mqlcal/spend.h>
#include <mqlcal/table.h>

typedef enum mql_cost_by {
	MQL_COST_BY_CHANNEL,
	MQL_COST_BY_CAMPAIGN,
	MQL_COST_BY_MONTH,
	MQL_COST_BY_QUARTER
} mql_cost_by;

/* The groupings (--by), NULL-ended: mql_cost_by_names[i] names the
 * mql_cost_by i, "channel", "campaign", "month", "quarter"; each is also
 * the name of the report's group column. */
extern const char *const mql_cost_by_names[];

/* Parses an mql_cost_by_names entry, in any case.  Returns 0 or -1. */
int mql_cost_by_parse(const char *name, mql_cost_by *out);

/* Label of a group without a name or date. */
#define MQL_GROUP_NONE "(none)"
/* Label of the total row. */
#define MQL_GROUP_ALL "all"

typedef struct mql_cost_row {
	char *group;
	double spend;
	double leads, mql, sql, customer; /* fractional under attribution */
	double revenue;
	double cost_per_lead, cost_per_mql, cost_per_sql, cost_per_customer;
	double roi;
	int in_spend; /* the group has at least one spend row */
} mql_cost_row;

typedef struct mql_cost_report {
	mql_cost_by by;
	mql_attribution_model model; /* FIRST when no touch table was given */
	int fractional;		     /* counts may be fractional */
	size_t count;
	mql_cost_row *rows;
	mql_cost_row total; /* group "all" */
} mql_cost_report;

/*
 * Builds the report.  spend may be NULL (no spend: every cost empty).
 * touches may be NULL: first touch from the contacts' channel and campaign
 * columns; otherwise model decides the credits (month and quarter ignore
 * it: a count's period is its stage date whoever gets the credit).
 * Returns 0, MQL_ERR_NOMEM, or MQL_ERR_USAGE for an unknown grouping.
 * *out belongs to the caller.
 */
int mql_cost_build(mql_cost_report **out, const mql_contacts *contacts,
		   const mql_spend *spend, mql_touches *touches,
		   mql_attribution_model model, mql_cost_by by, mql_error *err);

/* The row of group (exact name), the total for "all", or NULL. */
const mql_cost_row *mql_cost_find(const mql_cost_report *r, const char *group);

/* Name of the group column: mql_cost_by_names[by], "group" out of range. */
const char *mql_cost_group_column(mql_cost_by by);

/* What a written report shows besides the figures. */
typedef struct mql_cost_page {
	const char *subtitle; /* the line under the page's title, or NULL */
	const char *currency; /* ISO code of the amounts ("EUR"), NULL or ""
				 for none */
	const mql_cost_report *by_quarter; /* the page's quarterly trend
					      (grouped by quarter), or
					      NULL for none */
} mql_cost_page;

/*
 * Writes the report to fp: with MQL_FORMAT_HTML the report page (key
 * figures, cost per MQL and per customer charts side by side with the
 * money on each bar, the quarterly trend of both when page->by_quarter is
 * given, the full table; every amount after the currency code), otherwise
 * the table of SPEC's columns (the group column, spend, leads, mql, sql,
 * customer, revenue, cost_per_lead, cost_per_mql, cost_per_sql,
 * cost_per_customer, roi), the total last.  csv and json open with the
 * level column and end with period_start (by month or quarter) and
 * currency (empty when none); table and md end with currency when there
 * is one.  Spend is empty for a group with no spend rows.  page may be
 * NULL.  Returns 0, MQL_ERR_IO or MQL_ERR_NOMEM.
 */
int mql_cost_write(const mql_cost_report *r, FILE *fp, mql_format format,
		   const mql_cost_page *page, mql_error *err);

/* Frees the report.  r may be NULL. */
void mql_cost_free(mql_cost_report *r);

#endif
