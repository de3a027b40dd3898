/* discover_leakage.c - the columns discovery leaves out, by name and by
 * their relation to the outcome (see discover_internal.h). */
#include "discover_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

/* --- the vocabulary ---------------------------------------------------- */

static const char STAGE[] = "a funnel stage: it records how far the lead got, "
			    "which is the outcome";
static const char STATUS[] = "a lead status: sales sets it while working the "
			     "lead, after the decision";
static const char SCORE[] = "a CRM score or rating: computed from the "
			    "activity and outcomes up to the export";
static const char DEAL[] = "closed-won revenue or a deal amount: known only "
			   "once the lead has bought";
static const char CONVERTED[] = "a conversion record: it is the outcome";
static const char PERSONAL[] = "a name, email address or phone number: it "
			       "identifies the person and generalises to "
			       "no one else";
static const char OWNER[] = "an owner: assigned when sales takes the lead";
static const char ID[] = "an id: it labels the record, not the lead";
static const char DATE[] = "a date: when something happened (a stage's date "
			   "gives the outcome away), not who the lead is";
static const char AGGREGATE[] = "an export-time aggregate: counted up to the "
				"export, after the decision";
static const char ACTIVITY[] = "sales activity as of the export: written "
			       "after the decision";

/* Probable leakage: the name says what a human or a process wrote while
 * the lead was worked. */
static const char P_STATUS[] = "probable leakage: its name says it is a "
			       "status";
static const char P_STAGE[] = "probable leakage: its name says it is a stage";
static const char P_TAG[] = "probable leakage: its name says it is a tag "
			    "(notes written while the lead was worked)";
static const char P_QUALITY[] = "probable leakage: its name says it is a "
				"quality judgement";
static const char P_RATING[] = "probable leakage: its name says it is a "
			       "rating or grade";
static const char P_REASON[] = "probable leakage: its name says it is a "
			       "reason (for a decision already taken)";
static const char P_OWNER[] = "probable leakage: its name says it is an "
			      "owner";

typedef enum match {
	EXACT, /* the whole name */
	WORDS, /* these words in a row, anywhere in the name */
	ALL    /* each of these words, anywhere in the name */
} match;

/*
 * Names as compared: lowercase words separated by one space (HubSpot's
 * labels "Lead Status" and internal names "hs_lead_status" alike;
 * Salesforce's API names "OwnerId", "IsConverted" split at their capitals).
 * Checked in order: the first match gives the reason.
 */
static const struct name_rule {
	const char *words;
	match how;
	const char *reason;
} name_rules[] = {
	/* stages and statuses */
	{"lifecycle stage", WORDS, STAGE},
	{"lifecyclestage", WORDS, STAGE},
	{"lead stage", WORDS, STAGE},
	{"deal stage", WORDS, STAGE},
	{"dealstage", WORDS, STAGE},
	{"became a", WORDS, STAGE},
	{"lead status", WORDS, STATUS},
	{"status", EXACT, STATUS},
	{"is unread by owner", EXACT, STATUS},
	{"unread by owner", EXACT, STATUS},
	/* scores and ratings */
	{"hubspot score", WORDS, SCORE},
	{"hubspotscore", WORDS, SCORE},
	{"lead score", WORDS, SCORE},
	{"leadscore", WORDS, SCORE},
	{"score", EXACT, SCORE},
	{"predictivecontactscore", WORDS, SCORE},
	{"predictivecontactscore v2", WORDS, SCORE},
	{"predictivescoringtier", WORDS, SCORE},
	{"predictivecontactscorebucket", WORDS, SCORE},
	{"likelihood to close", WORDS, SCORE},
	{"contact priority", WORDS, SCORE},
	{"lead rating", WORDS, SCORE},
	{"rating", EXACT, SCORE},
	{"einstein", WORDS, SCORE},
	{"pardot score", WORDS, SCORE},
	{"pardot grade", WORDS, SCORE},
	{"behavior score", WORDS, SCORE},
	{"behaviour score", WORDS, SCORE},
	{"demographic score", WORDS, SCORE},
	{"engagement score", WORDS, SCORE},
	{"lead grade", WORDS, SCORE},
	/* the contact's revenue and deals (a company's annual revenue is a
	 * fit property) */
	{"total revenue", WORDS, DEAL},
	{"recent deal amount", WORDS, DEAL},
	{"deal amount", WORDS, DEAL},
	{"amount", EXACT, DEAL},
	{"opportunity amount", WORDS, DEAL},
	{"closed won", WORDS, DEAL},
	{"associated deals", WORDS, DEAL},
	{"open deals", WORDS, DEAL},
	{"num associated deals", WORDS, DEAL},
	{"days to close", WORDS, DEAL},
	{"hs analytics revenue", WORDS, DEAL},
	{"event revenue", WORDS, DEAL},
	/* conversion records (Salesforce) */
	{"converted", WORDS, CONVERTED},
	/* personal and identifying */
	{"name", EXACT, PERSONAL},
	{"first name", EXACT, PERSONAL},
	{"last name", EXACT, PERSONAL},
	{"full name", EXACT, PERSONAL},
	{"firstname", EXACT, PERSONAL},
	{"lastname", EXACT, PERSONAL},
	{"email", EXACT, PERSONAL},
	{"email address", EXACT, PERSONAL},
	{"e mail", EXACT, PERSONAL},
	{"phone", EXACT, PERSONAL},
	{"phone number", EXACT, PERSONAL},
	{"mobile phone", EXACT, PERSONAL},
	{"mobile phone number", EXACT, PERSONAL},
	{"mobilephone", EXACT, PERSONAL},
	{"hs calculated phone number", WORDS, PERSONAL},
	{"fax", EXACT, PERSONAL},
	{"fax number", EXACT, PERSONAL},
	{"street", EXACT, PERSONAL},
	{"street address", EXACT, PERSONAL},
	{"address", EXACT, PERSONAL},
	{"company", EXACT, PERSONAL},
	{"company name", EXACT, PERSONAL},
	{"company account", EXACT, PERSONAL},
	{"account name", EXACT, PERSONAL},
	{"associated company", WORDS, PERSONAL},
	{"ip address", WORDS, PERSONAL},
	/* owners */
	{"owner", WORDS, OWNER},
	{"ownerid", WORDS, OWNER},
	{"created by", WORDS, OWNER},
	{"last modified by", WORDS, OWNER},
	{"hubspot team", WORDS, OWNER},
	/* ids */
	{"id", EXACT, ID},
	{"record id", WORDS, ID},
	{"hs object id", WORDS, ID},
	{"vid", EXACT, ID},
	{"canonical vid", WORDS, ID},
	/* export-time aggregates */
	{"number of pageviews", WORDS, AGGREGATE},
	{"number of page views", WORDS, AGGREGATE},
	{"num page views", WORDS, AGGREGATE},
	{"average pageviews", WORDS, AGGREGATE},
	{"average page views", WORDS, AGGREGATE},
	{"number of sessions", WORDS, AGGREGATE},
	{"num visits", WORDS, AGGREGATE},
	{"number of visits", WORDS, AGGREGATE},
	{"number of form submissions", WORDS, AGGREGATE},
	{"num conversion events", WORDS, AGGREGATE},
	{"number of unique forms submitted", WORDS, AGGREGATE},
	{"num unique conversion events", WORDS, AGGREGATE},
	{"number of event completions", WORDS, AGGREGATE},
	{"num event completions", WORDS, AGGREGATE},
	{"emails opened", WORDS, AGGREGATE},
	{"emails clicked", WORDS, AGGREGATE},
	{"emails delivered", WORDS, AGGREGATE},
	{"emails bounced", WORDS, AGGREGATE},
	{"emails replied", WORDS, AGGREGATE},
	{"hs email open", WORDS, AGGREGATE},
	{"hs email click", WORDS, AGGREGATE},
	{"hs email delivered", WORDS, AGGREGATE},
	{"hs email bounce", WORDS, AGGREGATE},
	{"hs email replied", WORDS, AGGREGATE},
	{"email opens", WORDS, AGGREGATE},
	{"email clicks", WORDS, AGGREGATE},
	{"sends since last engagement", WORDS, AGGREGATE},
	{"recent conversion", WORDS, AGGREGATE},
	{"first conversion", WORDS, AGGREGATE},
	{"last page seen", WORDS, AGGREGATE},
	{"hs analytics last url", WORDS, AGGREGATE},
	{"latest source", WORDS, AGGREGATE},
	{"latest traffic source", WORDS, AGGREGATE},
	{"hs latest source", WORDS, AGGREGATE},
	{"age", EXACT, AGGREGATE},
	{"last referring site", WORDS, AGGREGATE},
	{"hs analytics last referrer", WORDS, AGGREGATE},
	{"last touch converting campaign", WORDS, AGGREGATE},
	{"sequences enrolled", WORDS, ACTIVITY},
	{"number of sequences enrolled", WORDS, ACTIVITY},
	/* sales activity as of the export */
	{"last activity", ALL, ACTIVITY},
	{"last activity date", WORDS, ACTIVITY},
	{"notes last updated", WORDS, ACTIVITY},
	{"last contacted", WORDS, ACTIVITY},
	{"notes last contacted", WORDS, ACTIVITY},
	{"next activity date", WORDS, ACTIVITY},
	{"notes next activity date", WORDS, ACTIVITY},
	{"last engagement", WORDS, ACTIVITY},
	{"last sales activity", WORDS, ACTIVITY},
	{"number of sales activities", WORDS, ACTIVITY},
	{"num notes", WORDS, ACTIVITY},
	{"number of times contacted", WORDS, ACTIVITY},
	{"num contacted notes", WORDS, ACTIVITY},
	{"sales email", WORDS, ACTIVITY},
	{"currently in sequence", WORDS, ACTIVITY},
	/* dates and times */
	{"date", WORDS, DATE},
	{"createdate", WORDS, DATE},
	{"lastmodifieddate", WORDS, DATE},
	{"timestamp", WORDS, DATE},
	{"time of", WORDS, DATE},
	{"last modified", WORDS, DATE},
	{"created", EXACT, DATE},
	/* probable leakage, by name */
	{"status", WORDS, P_STATUS},
	{"stage", WORDS, P_STAGE},
	{"tag", WORDS, P_TAG},
	{"tags", WORDS, P_TAG},
	{"quality", WORDS, P_QUALITY},
	{"rating", WORDS, P_RATING},
	{"grade", WORDS, P_RATING},
	{"reason", WORDS, P_REASON},
	{"disposition", WORDS, P_REASON},
	{"owned by", WORDS, P_OWNER},
	{NULL, EXACT, NULL}};

/* Writes name as " word word " (lowercase, one space between words and at
 * both ends) into out of size n (at least 4; a longer name is cut); a name
 * without spaces or '_' is split at its capitals too ("OwnerId" ->
 * " owner id ").  One character may add two ("B" -> " b"), and the end a
 * space and the terminator: the loop stops while four places are left. */
static void normalize_name(char *out, size_t n, const char *name)
{
	int camel = !strchr(name, ' ') && !strchr(name, '_');
	size_t used = 0;
	int space = 1;
	out[used++] = ' ';
	for (const char *s = name; *s && used + 4 <= n; s++) {
		unsigned char c = (unsigned char)*s;
		if (!isalnum(c) || c > 127) {
			if (!space)
				out[used++] = ' ';
			space = 1;
			continue;
		}
		if (camel && !space && isupper(c) && s > name &&
		    islower((unsigned char)s[-1]))
			out[used++] = ' ';
		out[used++] = (char)tolower(c);
		space = 0;
	}
	if (!space)
		out[used++] = ' ';
	out[used] = '\0';
}

/* True when the normalized name holds each word of words. */
static int has_all_words(const char *normalized, const char *words)
{
	char word[64];
	while (*words) {
		size_t len = strcspn(words, " ");
		if (len + 3 > sizeof word)
			return 0;
		word[0] = ' ';
		memcpy(word + 1, words, len);
		word[len + 1] = ' ';
		word[len + 2] = '\0';
		if (!strstr(normalized, word))
			return 0;
		words += len;
		words += *words == ' ';
	}
	return 1;
}

static int name_matches(const char *normalized, const struct name_rule *r)
{
	char wanted[128];
	snprintf(wanted, sizeof wanted, " %s ", r->words);
	switch (r->how) {
	case EXACT: return strcmp(normalized, wanted) == 0;
	case WORDS: return strstr(normalized, wanted) != NULL;
	case ALL: return has_all_words(normalized, r->words);
	}
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

const char *mql_discover_leak_by_name(const char *name)
{
	char normalized[512];
	normalize_name(normalized, sizeof normalized, name);
	for (const struct name_rule *r = name_rules; r->words; r++)
		if (name_matches(normalized, r))
			return r->reason;
	/* "... id", "..._id", "...Id"; "..._at" as mqlcal's own files */
	if (ends_with(normalized, " id "))
		return ID;
	if (ends_with(normalized, " at ") && strchr(name, '_'))
		return DATE;
	return NULL;
}

/* --- dates by their values ---------------------------------------------- */

/* Digits from *s (at most max), their count; *s moves past them. */
static int digits(const char **s, int max, int *value)
{
	int count = 0;
	*value = 0;
	while (count < max && isdigit((unsigned char)**s)) {
		*value = 10 * *value + (**s - '0');
		(*s)++;
		count++;
	}
	return count;
}

/* d/m/y, m/d/y or y-m-d with '/', '.' or '-', then nothing, or a space
 * or 'T' and anything (a time, AM/PM, a zone). */
static int date_shaped(const char *text)
{
	const char *s = text;
	int a, b, c;
	int la = digits(&s, 4, &a);
	char sep = *s;
	if (la == 0 || (sep != '/' && sep != '.' && sep != '-'))
		return 0;
	s++;
	int lb = digits(&s, 2, &b);
	if (lb == 0 || *s != sep)
		return 0;
	s++;
	int lc = digits(&s, 4, &c);
	if (lc == 0 || (*s && *s != ' ' && *s != 'T'))
		return 0;
	if (la == 4)
		return b >= 1 && b <= 12 && lc <= 2 && c >= 1 && c <= 31;
	return la <= 2 && (lc == 2 || lc == 4) && a >= 1 && a <= 31 && b >= 1 &&
	       b <= 31 && (a <= 12 || b <= 12);
}

int mql_discover_all_dates(const mql_property *prop)
{
	if (prop->levels.count == 0)
		return 0;
	for (size_t i = 0; i < prop->levels.count; i++) {
		const char *text = prop->levels.names[i];
		mql_time t;
		if (mql_time_parse_iso(&t, text, strlen(text), NULL) != 0 &&
		    !date_shaped(text))
			return 0;
	}
	return 1;
}

/* --- the outcome guard ---------------------------------------------------- */

/* Rows and positives of one group of rows that share a score. */
typedef struct bucket {
	double rate; /* the score: the group's positive rate, or a value */
	size_t rows;
	size_t positives;
} bucket;

static int by_rate(const void *a, const void *b)
{
	double x = ((const bucket *)a)->rate, y = ((const bucket *)b)->rate;
	return (x > y) - (x < y);
}

/* AUC of the buckets' scores (ties count one half), at least 0.5 (a
 * score that ranks backwards separates as well); NAN without both. */
static double bucket_auc(bucket *b, size_t count)
{
	qsort(b, count, sizeof *b, by_rate);
	double positives = 0, negatives = 0, below = 0, pairs = 0;
	for (size_t i = 0; i < count; i++) {
		positives += (double)b[i].positives;
		negatives += (double)(b[i].rows - b[i].positives);
	}
	for (size_t i = 0; i < count;) {
		size_t j = i;
		double pos = 0, neg = 0;
		for (; j < count && b[j].rate == b[i].rate; j++) {
			pos += (double)b[j].positives;
			neg += (double)(b[j].rows - b[j].positives);
		}
		pairs += pos * (below + 0.5 * neg);
		below += neg;
		i = j;
	}
	if (positives == 0 || negatives == 0)
		return NAN;
	double auc = pairs / (positives * negatives);
	return auc < 0.5 ? 1.0 - auc : auc;
}

static int is_training_row(const mql_population *pop, size_t i)
{
	return pop->fold_count != 1 || pop->fold[i] == 0;
}

/* Numeric: one bucket per training row with a value, scored by it. */
static int numeric_buckets(bucket **out, size_t *count,
			   const mql_property *prop, const mql_population *pop)
{
	bucket *b = malloc((pop->count ? pop->count : 1) * sizeof *b);
	if (!b)
		return MQL_ERR_NOMEM;
	size_t n = 0;
	for (size_t i = 0; i < pop->count; i++) {
		double v = prop->number[pop->row[i]];
		if (!is_training_row(pop, i) || isnan(v))
			continue;
		b[n++] = (bucket){v, 1, pop->y[i] > 0.5};
	}
	*out = b;
	*count = n;
	return MQL_OK;
}

/* Categorical: one bucket per level as written, the last one for missing
 * values; rates filled in. */
static int level_buckets(bucket **out, size_t *count, const mql_property *prop,
			 const mql_population *pop)
{
	size_t levels = prop->levels.count;
	bucket *b = calloc(levels + 1, sizeof *b);
	if (!b)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < pop->count; i++) {
		if (!is_training_row(pop, i))
			continue;
		int32_t level = prop->level[pop->row[i]];
		bucket *into = &b[level < 0 ? levels : (size_t)level];
		into->rows++;
		into->positives += pop->y[i] > 0.5;
	}
	for (size_t l = 0; l <= levels; l++)
		b[l].rate = b[l].rows
				    ? (double)b[l].positives / (double)b[l].rows
				    : 0;
	*out = b;
	*count = levels + 1;
	return MQL_OK;
}

/* Shares of the positives and of the negatives with a value that lie in
 * levels of at least min_support rows within MQL_DISCOVER_LEAK_PURE_RATE
 * of 100% and of 0%.  b: the level buckets, missing last. */
static void pure_shares(double *positive_share, double *negative_share,
			const bucket *b, size_t levels, size_t min_support)
{
	double positives = 0, negatives = 0, pure_pos = 0, pure_neg = 0;
	for (size_t l = 0; l < levels; l++) {
		double neg = (double)(b[l].rows - b[l].positives);
		positives += (double)b[l].positives;
		negatives += neg;
		if (b[l].rows < min_support || b[l].rows == 0)
			continue;
		if (b[l].rate >= 1.0 - MQL_DISCOVER_LEAK_PURE_RATE)
			pure_pos += (double)b[l].positives;
		if (b[l].rate <= MQL_DISCOVER_LEAK_PURE_RATE)
			pure_neg += neg;
	}
	*positive_share = positives > 0 ? pure_pos / positives : 0;
	*negative_share = negatives > 0 ? pure_neg / negatives : 0;
}

/* Pools the level buckets of fewer than min_support rows into one (as
 * discovery pools them), missing kept apart; returns the new count. */
static size_t pool_rare(bucket *b, size_t levels, size_t min_support)
{
	bucket rare = {0, 0, 0};
	size_t kept = 0;
	for (size_t l = 0; l < levels; l++) {
		if (b[l].rows >= min_support) {
			b[kept++] = b[l];
			continue;
		}
		rare.rows += b[l].rows;
		rare.positives += b[l].positives;
	}
	b[kept++] = b[levels]; /* missing */
	if (rare.rows > 0) {
		rare.rate = (double)rare.positives / (double)rare.rows;
		b[kept++] = rare;
	}
	return kept;
}

int mql_discover_leak_by_outcome(char *reason, size_t n,
				 const mql_property *prop,
				 const mql_population *pop, size_t min_support)
{
	bucket *b = NULL;
	size_t count = 0;
	int numeric = prop->kind == MQL_PROPERTY_NUMERIC;
	int status = numeric ? numeric_buckets(&b, &count, prop, pop)
			     : level_buckets(&b, &count, prop, pop);
	if (status != MQL_OK)
		return status;
	size_t positives = 0, negatives = 0;
	for (size_t i = 0; i < count; i++) {
		positives += b[i].positives;
		negatives += b[i].rows - b[i].positives;
	}
	if (positives < MQL_DISCOVER_LEAK_MIN_CLASS ||
	    negatives < MQL_DISCOVER_LEAK_MIN_CLASS) {
		free(b);
		return 0;
	}
	double pos_share = 0, neg_share = 0;
	if (!numeric) {
		pure_shares(&pos_share, &neg_share, b, count - 1, min_support);
		count = pool_rare(b, count - 1, min_support);
	}
	double auc = bucket_auc(b, count);
	free(b);
	if (isfinite(auc) && auc >= MQL_DISCOVER_LEAK_AUC) {
		snprintf(reason, n,
			 "probable leakage: alone it separates the outcome "
			 "(single-column AUC %.3f on the training rows, "
			 ">= %.2f)",
			 auc, MQL_DISCOVER_LEAK_AUC);
		return 1;
	}
	if (pos_share >= MQL_DISCOVER_LEAK_PURE_SHARE &&
	    neg_share >= MQL_DISCOVER_LEAK_PURE_SHARE) {
		snprintf(reason, n,
			 "probable leakage: its levels mostly separate the "
			 "outcome (%.0f%% of the positives and %.0f%% of the "
			 "negatives with a value are in levels over %.0f%% or "
			 "under %.0f%% positive; AUC %.3f)",
			 100 * pos_share, 100 * neg_share,
			 100 * (1 - MQL_DISCOVER_LEAK_PURE_RATE),
			 100 * MQL_DISCOVER_LEAK_PURE_RATE, auc);
		return 1;
	}
	return 0;
}
