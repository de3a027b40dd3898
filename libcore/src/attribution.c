/*
 * attribution.c - the credit rules of the attribution models.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mqlcal/attribution.h>

const char *const mql_attribution_names[] = {"first", "last", "linear",
					     "u-shaped", NULL};

int mql_attribution_parse(const char *name, mql_attribution_model *out)
{
	for (size_t i = 0; name && mql_attribution_names[i]; i++) {
		if (strcasecmp(name, mql_attribution_names[i]) == 0) {
			*out = (mql_attribution_model)i;
			return 0;
		}
	}
	return -1;
}

const char *mql_attribution_name(mql_attribution_model model)
{
	if ((unsigned)model > MQL_ATTRIBUTION_U_SHAPED)
		return NULL;
	return mql_attribution_names[model];
}

static size_t count_others(int32_t first, int32_t last, const int32_t *touched,
			   size_t touched_count)
{
	size_t others = 0;
	for (size_t i = 0; i < touched_count; i++)
		if (touched[i] != first && touched[i] != last)
			others++;
	return others;
}

/* Gives share, split equally, to the touched campaigns other than first and
 * last, appending after entry n; returns the new entry count. */
static size_t share_among_others(int32_t first, int32_t last,
				 const int32_t *touched, size_t touched_count,
				 double share, size_t n, int32_t *campaigns,
				 double *credits)
{
	size_t others = count_others(first, last, touched, touched_count);
	for (size_t i = 0; i < touched_count; i++) {
		if (touched[i] == first || touched[i] == last)
			continue;
		campaigns[n] = touched[i];
		credits[n++] = share / (double)others;
	}
	return n;
}

/* The u-shaped rule; first and last are both >= 0. */
static size_t u_shaped(int32_t first, int32_t last, const int32_t *touched,
		       size_t touched_count, int32_t *campaigns,
		       double *credits)
{
	size_t others = count_others(first, last, touched, touched_count);
	size_t n = 0;
	if (others == 0) {
		campaigns[n] = first;
		credits[n++] = first == last ? 1.0 : 0.5;
		if (first != last) {
			campaigns[n] = last;
			credits[n++] = 0.5;
		}
		return n;
	}
	campaigns[n] = first;
	credits[n++] = first == last ? 0.8 : 0.4;
	if (first != last) {
		campaigns[n] = last;
		credits[n++] = 0.4;
	}
	return share_among_others(first, last, touched, touched_count, 0.2, n,
				  campaigns, credits);
}

size_t mql_attribution_credit(mql_attribution_model model, int32_t first,
			      int32_t last, const int32_t *touched,
			      size_t touched_count, int32_t *campaigns,
			      double *credits)
{
	if (first < 0)
		first = last;
	if (last < 0)
		last = first;
	if (first < 0 && touched_count > 0)
		first = last = touched[0];
	if (first < 0) {
		campaigns[0] = -1;
		credits[0] = 1;
		return 1;
	}
	switch (model) {
	case MQL_ATTRIBUTION_LAST:
		campaigns[0] = last;
		credits[0] = 1;
		return 1;
	case MQL_ATTRIBUTION_LINEAR: {
		size_t others =
			count_others(first, last, touched, touched_count);
		size_t k = others + (first == last ? 1 : 2);
		size_t n = 0;
		campaigns[n] = first;
		credits[n++] = 1.0 / (double)k;
		if (first != last) {
			campaigns[n] = last;
			credits[n++] = 1.0 / (double)k;
		}
		return share_among_others(first, last, touched, touched_count,
					  (double)others / (double)k, n,
					  campaigns, credits);
	}
	case MQL_ATTRIBUTION_U_SHAPED:
		return u_shaped(first, last, touched, touched_count, campaigns,
				credits);
	case MQL_ATTRIBUTION_FIRST:
	default:
		campaigns[0] = first;
		credits[0] = 1;
		return 1;
	}
}
