/*
 * funnel_report.h - mql-report's outputs: the funnel as a table in every
 * format, and as an HTML report with charts.
 *
 * csv and json carry the contract columns of the spec: the group columns
 * (cohort first), leads, mql, sal, sql, opportunity, customer, each step's
 * rate with _low and _high (Wilson 95%), days_to_mql_median,
 * days_to_mql_p90, days_mql_to_sal_median, days_mql_to_sql_median, then
 * rejected and out_of_order, and with --cohort last period_start, the
 * cohort's first day (ISO 8601: 2026-04-01 for 2026-04 and 2026-Q2; empty
 * on the total and "(none)").  Rates are proportions (0..1), days are
 * fractional days; "not reached" and "no data" are empty (csv) or null
 * (json).  The last row is the total, "all" in the group columns.
 *
 * table and md are for reading: the same column names, but each step's
 * interval is shown in its rate's cell ("41.2% (38.0-44.5)") instead of
 * separate _low and _high columns, and waits say "not reached".
 *
 * html is a page for someone who never opened a terminal: key figures, the
 * funnel, conversion by group with interval whiskers, time to MQL by group
 * and the table, each with a sentence on how to read it.
 */
#ifndef MQLCAL_FUNNEL_REPORT_H
#define MQLCAL_FUNNEL_REPORT_H

#include <stdio.h>

#include <mqlcal/error.h>
#include <mqlcal/funnel.h>
#include <mqlcal/table.h>

/*
 * Splits "channel" or "channel,campaign" into opt->by, in place (text is
 * modified and must outlive opt).  Returns MQL_OK, or MQL_ERR_USAGE for an
 * empty name or more than MQL_FUNNEL_MAX_BY names.
 */
int mql_funnel_parse_by(mql_funnel_options *opt, char *text, mql_error *err);

/*
 * Writes f to fp in format.  source names the data in the HTML subtitle
 * ("contacts.csv"); the HTML report needs f computed with keep_curves for
 * its time-to-MQL chart (without, the chart is left out).  Returns MQL_OK,
 * MQL_ERR_IO or MQL_ERR_NOMEM.
 */
int mql_funnel_report_write(const mql_funnel *f, FILE *fp, mql_format format,
			    const char *source, mql_error *err);

#endif
