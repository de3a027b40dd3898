/*
 * html_internal.h - what html.c and html_chart.c share: the writer's state
 * and the text escaper.  Not installed; not for tools.
 */
#ifndef MQLCAL_HTML_INTERNAL_H
#define MQLCAL_HTML_INTERNAL_H

#include <stdio.h>

struct mql_html {
	FILE *fp;
	int chart_count; /* charts written so far: unique SVG ids */
};

/* Writes text with &, <, >, " and ' escaped.  NULL writes nothing. */
void mql_html_escape(FILE *fp, const char *text);

#endif
