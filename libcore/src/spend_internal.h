/*
 * spend_internal.h - what the spend family's files share (private).
 */
#ifndef MQLCAL_SPEND_INTERNAL_H
#define MQLCAL_SPEND_INTERNAL_H

#include <mqlcal/csv.h>

/* The column spend.csv's amount is read from ("amount", or an ad
 * platform's "Cost", "Amount spent (USD)", ...), or -1. */
long spend_amount_column(const mql_csv *csv);

#endif
