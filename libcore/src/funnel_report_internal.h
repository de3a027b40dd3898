/*
 * funnel_report_internal.h - what the table and HTML halves of the funnel
 * report share.  Not for tools.
 */
#ifndef MQLCAL_FUNNEL_REPORT_INTERNAL_H
#define MQLCAL_FUNNEL_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/funnel.h>

#define MQL_REPORT_WAIT_COLUMNS 8

/* What a wait column shows. */
enum mql_report_wait_kind {
	MQL_REPORT_MEDIAN,	   /* the curve's median (Kaplan-Meier) */
	MQL_REPORT_P90,		   /* the curve's 90th percentile */
	MQL_REPORT_MEDIAN_REACHED, /* the median of those that reached it */
	MQL_REPORT_REACHED,	   /* how many reached it (a count) */
};

/* A wait column of the report: which wait, what of it, its name. */
typedef struct mql_report_wait {
	int wait;
	enum mql_report_wait_kind kind;
	const char *name;
} mql_report_wait;

extern const mql_report_wait mql_report_waits[MQL_REPORT_WAIT_COLUMNS];

/* "41.2% (38.0-44.5)", or "" when there is no data. */
void mql_report_rate_text(const mql_rate *r, char *buf, size_t n);

/* "12.3", "not reached" (a curve's), "none reached" (a median of those
 * that reached), a count, or "" when no lead was measured. */
void mql_report_wait_text(const mql_funnel_group *g, size_t column, char *buf,
			  size_t n);

/* The HTML report (see funnel_report.h). */
int mql_report_write_html(const mql_funnel *f, FILE *fp, const char *source,
			  mql_error *err);

#endif
