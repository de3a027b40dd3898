/* discover.c - rule structure found in the data (see discover.h). */
#include <mqlcal/discover.h>

#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discover_internal.h"
#include <mqlcal/format_text.h>

int mql_strings_add(mql_strings *list, const char *fmt, ...)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 8;
		char **grown =
			realloc(list->items, capacity * sizeof *list->items);
		if (!grown)
			return MQL_ERR_NOMEM;
		list->items = grown;
		list->capacity = capacity;
	}
	va_list ap;
	va_start(ap, fmt);
	int status = mql_format_text(&list->items[list->count], fmt, ap);
	va_end(ap);
	if (status == MQL_OK)
		list->count++;
	return status;
}

int mql_strings_split(mql_strings *list, const char *text, char separator)
{
	while (text && *text) {
		const char *end = strchr(text, separator);
		size_t len = end ? (size_t)(end - text) : strlen(text);
		const char *start = text;
		while (len > 0 && isspace((unsigned char)*start)) {
			start++;
			len--;
		}
		while (len > 0 && isspace((unsigned char)start[len - 1]))
			len--;
		if (len > 0 && len < INT32_MAX &&
		    mql_strings_add(list, "%.*s", (int)len, start) != MQL_OK)
			return MQL_ERR_NOMEM;
		text = end ? end + 1 : NULL;
	}
	return MQL_OK;
}

void mql_strings_release(mql_strings *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof *list);
}

void mql_discover_options_init(mql_discover_options *o)
{
	memset(o, 0, sizeof *o);
	o->min_support = 20;
	o->numeric_bins = 5;
}

/* ASCII spellings of the letters U+00C0 to U+00FF, as names of places and
 * companies are written without accents ("" where it is no letter). */
static const char *const latin1_letters[64] = {
	"a", "a", "a", "a", "a",  "a",	"ae", "c", "e", "e", "e",  "e", "i",
	"i", "i", "i", "d", "n",  "o",	"o",  "o", "o", "o", "",   "o", "u",
	"u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
	"c", "e", "e", "e", "e",  "i",	"i",  "i", "i", "d", "n",  "o", "o",
	"o", "o", "o", "",  "o",  "u",	"u",  "u", "u", "y", "th", "y",
};

/* Decodes the UTF-8 character at s into *code; returns its length, or 0
 * when the bytes are no valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, uint32_t *code)
{
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
	if (len == 0 || s[0] > 0xF4)
		return 0;
	uint32_t c = s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	*code = c;
	return len;
}

/* Appends text to the slug in buf, with a '_' first when one is pending. */
static void slug_put(char *buf, size_t n, size_t *used, int *pending_sep,
		     const char *text)
{
	if (*pending_sep && *used + 1 < n)
		buf[(*used)++] = '_';
	*pending_sep = 0;
	for (; *text; text++)
		if (*used + 1 < n)
			buf[(*used)++] = (char)tolower((unsigned char)*text);
}

char *mql_discover_slug(char *buf, size_t n, const char *const *parts,
			size_t part_count)
{
	size_t used = 0;
	int pending_sep = 0;
	if (n == 0)
		return buf;
	for (size_t p = 0; p < part_count; p++) {
		const unsigned char *s = (const unsigned char *)parts[p];
		while (s && *s) {
			char ascii[12] = {*s, 0};
			uint32_t code = *s;
			size_t len = *s < 0x80 ? 1 : utf8_decode(s, &code);
			if (len == 0) /* a stray byte: a separator */
				ascii[0] = 0, len = 1;
			else if (code >= 0xC0 && code <= 0xFF)
				snprintf(ascii, sizeof ascii, "%s",
					 latin1_letters[code - 0xC0]);
			else if (code >= 0x80) /* kept distinct, in ASCII */
				snprintf(ascii, sizeof ascii, "u%04x",
					 (unsigned)code);
			else if (!isalnum(*s))
				ascii[0] = 0;
			s += len;
			if (!ascii[0]) {
				pending_sep = used > 0;
				continue;
			}
			slug_put(buf, n, &used, &pending_sep, ascii);
		}
		pending_sep = used > 0;
	}
	buf[used] = '\0';
	if (used == 0)
		snprintf(buf, n, "rule");
	return buf;
}

double mql_discover_round_edge(double x)
{
	if (x == 0.0 || !isfinite(x))
		return x;
	double magnitude = floor(log10(fabs(x)));
	double unit = pow(10.0, magnitude - 1.0);
	return round(x / unit) * unit;
}

/* --- which columns can be features --------------------------------- */

/* True when every value of a numeric property is a whole number: a
 * measurement unique per row (seconds on a site) is a feature, a running
 * number unique per row is an id.  The numbers are those the loader read,
 * in the file's locale ("660.737" is 660737 under de). */
static int all_integers(const mql_contacts *c, const mql_property *prop)
{
	for (size_t row = 0; row < c->count; row++) {
		double v = prop->number[row];
		if (!isnan(v) && v != floor(v))
			return 0;
	}
	return 1;
}

/* How a column is left out: not at all, because it cannot be a feature,
 * because discovery never uses it, or as probable leakage. */
typedef enum exclusion { KEPT, CANNOT, NEVER, PROBABLE } exclusion;

static exclusion by_name(char *why, size_t n, const mql_property *prop)
{
	const char *reason = mql_discover_leak_by_name(prop->name);
	if (!reason && mql_discover_all_dates(prop))
		reason = "a date: its every value is a date or a time";
	if (!reason)
		return KEPT;
	snprintf(why, n, "%s", reason);
	return strncmp(reason, "probable", 8) == 0 ? PROBABLE : NEVER;
}

/*
 * Why prop is left out of discovery, written to why (size n), or KEPT.
 * A column named as probable leakage that also separates the outcome gets
 * both reasons.  Returns MQL_ERR_NOMEM (negative) when out of memory.
 */
static int exclusion_of(char *why, size_t n, const mql_contacts *c,
			const mql_property *prop, const mql_population *pop,
			const mql_discover_options *opt)
{
	if (opt->exclude && strcasecmp(prop->name, opt->exclude) == 0) {
		snprintf(why, n, "it is the outcome");
		return CANNOT;
	}
	if (prop->levels.count < 2) {
		snprintf(why, n, "it has fewer than two values");
		return CANNOT;
	}
	exclusion kind = by_name(why, n, prop);
	if (kind == NEVER)
		return kind;
	size_t present = c->count - prop->missing;
	if (kind == KEPT && prop->levels.count == present && present >= 20 &&
	    (prop->kind == MQL_PROPERTY_CATEGORICAL || all_integers(c, prop))) {
		snprintf(why, n, "it is unique per row");
		return CANNOT;
	}
	char figures[320];
	int leak = mql_discover_leak_by_outcome(figures, sizeof figures, prop,
						pop, opt->min_support);
	if (leak < 0)
		return leak;
	if (leak && kind == PROBABLE) {
		size_t used = strlen(why);
		snprintf(why + used, n - used, "; %s",
			 figures + strlen("probable leakage: "));
	} else if (leak) {
		snprintf(why, n, "%s", figures);
		kind = PROBABLE;
	}
	return kind;
}

static int wanted(const mql_property *prop, const mql_discover_options *opt)
{
	if (!opt->only)
		return 1;
	for (size_t i = 0; i < opt->only_count; i++)
		if (strcasecmp(opt->only[i], prop->name) == 0)
			return 1;
	return 0;
}

/* --- rule objects ---------------------------------------------------- */

static cJSON *fit_rule(const char *id, const char *property, const char *op)
{
	cJSON *rule = cJSON_CreateObject();
	if (!rule || !cJSON_AddStringToObject(rule, "id", id) ||
	    !cJSON_AddStringToObject(rule, "property", property) ||
	    !cJSON_AddStringToObject(rule, "op", op)) {
		cJSON_Delete(rule);
		return NULL;
	}
	return rule;
}

/* Adds rule to rules with a unique id (suffix _2, _3, ... on a clash). */
static int add_rule(cJSON *rules, cJSON *rule)
{
	if (!rule)
		return MQL_ERR_NOMEM;
	cJSON *id = cJSON_GetObjectItemCaseSensitive(rule, "id");
	char unique[320];
	snprintf(unique, sizeof unique, "%s", id->valuestring);
	for (int suffix = 2;; suffix++) {
		int clash = 0;
		cJSON *other;
		cJSON_ArrayForEach(other, rules)
		{
			cJSON *oid =
				cJSON_GetObjectItemCaseSensitive(other, "id");
			if (cJSON_IsString(oid) &&
			    strcmp(oid->valuestring, unique) == 0)
				clash = 1;
		}
		if (!clash)
			break;
		/* Room for the suffix even when the id filled the buffer
		 * (ids of long names are cut, and may then clash). */
		snprintf(unique, sizeof unique, "%.*s_%d",
			 (int)(sizeof unique - 16), id->valuestring, suffix);
	}
	if (strcmp(unique, id->valuestring) != 0 &&
	    !cJSON_ReplaceItemInObjectCaseSensitive(
		    rule, "id", cJSON_CreateString(unique))) {
		cJSON_Delete(rule);
		return MQL_ERR_NOMEM;
	}
	cJSON_AddItemToArray(rules, rule);
	return MQL_OK;
}

static int add_missing_rule(cJSON *rules, const mql_property *prop)
{
	char id[320];
	const char *parts[] = {prop->name, "missing"};
	mql_discover_slug(id, sizeof id, parts, 2);
	return add_rule(rules, fit_rule(id, prop->name, "missing"));
}

/* Missing rows of prop among the population. */
static size_t missing_in_population(const mql_property *prop,
				    const mql_population *pop)
{
	size_t missing = 0;
	for (size_t i = 0; i < pop->count; i++)
		missing += prop->level[pop->row[i]] < 0;
	return missing;
}

/* --- categorical properties ----------------------------------------- */

/* Rows and positives of each raw level of prop among the population. */
static int count_levels(size_t **rows_out, size_t **positives_out,
			const mql_property *prop, const mql_population *pop)
{
	size_t count = prop->levels.count ? prop->levels.count : 1;
	size_t *rows = calloc(count, sizeof *rows);
	size_t *positives = calloc(count, sizeof *positives);
	if (!rows || !positives) {
		free(rows);
		free(positives);
		return MQL_ERR_NOMEM;
	}
	for (size_t i = 0; i < pop->count; i++) {
		int32_t level = prop->level[pop->row[i]];
		if (level < 0)
			continue;
		rows[level]++;
		positives[level] += pop->y[i] > 0.5;
	}
	*rows_out = rows;
	*positives_out = positives;
	return MQL_OK;
}

/* Appends " 'level' (k of n)" for each level whose rows all have outcome
 * positive (all positives) or none (all negatives) to text; returns how
 * many it listed. */
static size_t list_separated(char *text, size_t size, const mql_property *prop,
			     const size_t *rows, const size_t *positives,
			     int all_positive)
{
	size_t listed = 0, used = strlen(text);
	for (size_t l = 0; l < prop->levels.count; l++) {
		if (rows[l] == 0 || (all_positive ? positives[l] != rows[l]
						  : positives[l] != 0))
			continue;
		int n = snprintf(text + used, size - used,
				 "%s'%s' (%zu of %zu)", listed ? ", " : " ",
				 prop->levels.names[l], positives[l], rows[l]);
		if (n > 0 && (size_t)n < size - used)
			used += (size_t)n;
		listed++;
	}
	return listed;
}

/* Warns, one line per property, about the levels as written whose rows all
 * share one outcome: their maximum-likelihood estimate does not exist. */
static int warn_separated_levels(mql_strings *warnings,
				 const mql_property *prop,
				 const mql_population *pop)
{
	if (prop->kind != MQL_PROPERTY_CATEGORICAL)
		return MQL_OK;
	size_t *rows, *positives;
	int status = count_levels(&rows, &positives, prop, pop);
	if (status != MQL_OK)
		return status;
	char text[1024];
	for (int all_positive = 1; status == MQL_OK && all_positive >= 0;
	     all_positive--) {
		text[0] = '\0';
		if (list_separated(text, sizeof text, prop, rows, positives,
				   all_positive) > 0)
			status = mql_strings_add(
				warnings,
				"separation before the fit: %s levels with "
				"only %s:%s",
				prop->name,
				all_positive ? "positives" : "negatives", text);
	}
	free(rows);
	free(positives);
	return status;
}

/* Levels grouped as `in` compares them: trimmed, case-insensitive. */
typedef struct level_groups {
	mql_dict keys;	   /* lowercased texts */
	int32_t *group;	   /* raw level -> group */
	size_t *rows;	   /* per group, rows in the population */
	int32_t *spelling; /* per group, its most common raw level */
} level_groups;

static void level_groups_release(level_groups *g)
{
	mql_dict_release(&g->keys);
	free(g->group);
	free(g->rows);
	free(g->spelling);
}

static int group_levels(level_groups *g, const mql_property *prop,
			const size_t *level_rows)
{
	size_t count = prop->levels.count ? prop->levels.count : 1;
	memset(g, 0, sizeof *g);
	mql_dict_init(&g->keys);
	g->group = malloc(count * sizeof *g->group);
	g->rows = calloc(count, sizeof *g->rows);
	g->spelling = malloc(count * sizeof *g->spelling);
	if (!g->group || !g->rows || !g->spelling)
		return MQL_ERR_NOMEM;
	char key[512];
	for (size_t l = 0; l < prop->levels.count; l++) {
		const char *text = prop->levels.names[l];
		size_t len = strlen(text);
		if (len >= sizeof key)
			len = sizeof key - 1;
		for (size_t i = 0; i < len; i++)
			key[i] = (char)tolower((unsigned char)text[i]);
		size_t known = g->keys.count;
		int32_t gi = mql_dict_intern(&g->keys, key, len);
		if (gi < 0)
			return MQL_ERR_NOMEM;
		g->group[l] = gi;
		if (g->keys.count > known ||
		    level_rows[l] > level_rows[g->spelling[gi]])
			g->spelling[gi] = (int32_t)l;
		g->rows[gi] += level_rows[l];
	}
	return MQL_OK;
}

static cJSON *in_rule(const char *id, const mql_property *prop,
		      const level_groups *g, const size_t *members,
		      size_t member_count)
{
	cJSON *rule = fit_rule(id, prop->name, "in");
	cJSON *values = rule ? cJSON_AddArrayToObject(rule, "values") : NULL;
	if (!values) {
		cJSON_Delete(rule);
		return NULL;
	}
	for (size_t i = 0; i < member_count; i++) {
		const char *text = prop->levels.names[g->spelling[members[i]]];
		cJSON *item = cJSON_CreateString(text);
		if (!item) {
			cJSON_Delete(rule);
			return NULL;
		}
		cJSON_AddItemToArray(values, item);
	}
	return rule;
}

/* Index of the group with the most rows (the first on a tie). */
static size_t largest_group(const level_groups *g)
{
	size_t best = 0;
	for (size_t i = 1; i < g->keys.count; i++)
		if (g->rows[i] > g->rows[best])
			best = i;
	return best;
}

/* One `in` rule per supported level but the reference; rare levels
 * pooled. */
static int add_level_rules(cJSON *rules, mql_strings *warnings,
			   const mql_property *prop, const level_groups *g,
			   size_t min_support)
{
	size_t reference = largest_group(g);
	size_t *rare = malloc((g->keys.count + 1) * sizeof *rare);
	if (!rare)
		return MQL_ERR_NOMEM;
	size_t rare_count = 0;
	int status = MQL_OK;
	char id[320];
	for (size_t i = 0; status == MQL_OK && i < g->keys.count; i++) {
		if (i == reference || g->rows[i] == 0)
			continue;
		if (g->rows[i] < min_support) {
			rare[rare_count++] = i;
			continue;
		}
		const char *parts[] = {prop->name,
				       prop->levels.names[g->spelling[i]]};
		mql_discover_slug(id, sizeof id, parts, 2);
		status = add_rule(rules, in_rule(id, prop, g, &i, 1));
	}
	size_t rare_rows = 0;
	for (size_t k = 0; k < rare_count; k++)
		rare_rows += g->rows[rare[k]];
	if (status == MQL_OK && rare_count > 0 && rare_rows < min_support) {
		/* Too few rows even pooled: scored as the reference. */
		status = mql_strings_add(
			warnings,
			"%s: %zu rare level(s) with %zu rows in all (fewer "
			"than --min-support %zu) are scored as the reference "
			"'%s'",
			prop->name, rare_count, rare_rows, min_support,
			prop->levels.names[g->spelling[reference]]);
	} else if (status == MQL_OK && rare_count > 0) {
		const char *parts[] = {
			prop->name,
			rare_count == 1
				? prop->levels.names[g->spelling[rare[0]]]
				: "other"};
		mql_discover_slug(id, sizeof id, parts, 2);
		status =
			add_rule(rules, in_rule(id, prop, g, rare, rare_count));
	}
	free(rare);
	return status;
}

static int discover_categorical(cJSON *rules, mql_strings *warnings,
				const mql_property *prop,
				const mql_population *pop,
				const mql_discover_options *opt)
{
	size_t *rows, *positives;
	int status = count_levels(&rows, &positives, prop, pop);
	if (status != MQL_OK)
		return status;
	level_groups g;
	status = group_levels(&g, prop, rows);
	if (status == MQL_OK)
		status = add_level_rules(rules, warnings, prop, &g,
					 opt->min_support);
	if (status == MQL_OK && missing_in_population(prop, pop) > 0)
		status = add_missing_rule(rules, prop);
	level_groups_release(&g);
	free(rows);
	free(positives);
	return status;
}

/* --- numeric properties ----------------------------------------------- */

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Number of sorted values in [lo, hi). */
static size_t count_between(const double *sorted, size_t n, double lo,
			    double hi)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += sorted[i] >= lo && sorted[i] < hi;
	return count;
}

/* Rounded quantile edges strictly above the minimum, each bin non-empty. */
static size_t range_edges(double *edges, const double *sorted, size_t n,
			  size_t bins)
{
	size_t count = 0;
	for (size_t b = 1; b < bins; b++) {
		double q = sorted[(size_t)((double)b / (double)bins *
					   (double)(n - 1))];
		double edge = mql_discover_round_edge(q);
		if (edge <= sorted[0] || edge > sorted[n - 1])
			continue;
		if (count > 0 && edge <= edges[count - 1])
			continue;
		edges[count++] = edge;
	}
	/* Drop an edge whose bin above is empty (its rows went below). */
	for (size_t j = 0; j < count;) {
		double hi = j + 1 < count ? edges[j + 1] : INFINITY;
		if (count_between(sorted, n, edges[j], hi) == 0) {
			memmove(edges + j, edges + j + 1,
				(count - j - 1) * sizeof *edges);
			count--;
		} else {
			j++;
		}
	}
	return count;
}

static cJSON *range_rule(const mql_property *prop, double lo, double hi)
{
	char id[320], lo_text[32], hi_text[32];
	snprintf(lo_text, sizeof lo_text, "%g", lo);
	snprintf(hi_text, sizeof hi_text, "%g", hi);
	const char *parts[] = {prop->name, lo_text,
			       isfinite(hi) ? hi_text : "plus"};
	mql_discover_slug(id, sizeof id, parts, 3);
	cJSON *rule = fit_rule(id, prop->name, "range");
	if (!rule || !cJSON_AddNumberToObject(rule, "min", lo) ||
	    (isfinite(hi) && !cJSON_AddNumberToObject(rule, "max", hi))) {
		cJSON_Delete(rule);
		return NULL;
	}
	return rule;
}

static int add_range_rules(cJSON *rules, const mql_property *prop,
			   double *values, size_t n, size_t bins)
{
	if (n == 0 || bins < 2)
		return MQL_OK;
	qsort(values, n, sizeof *values, compare_doubles);
	double *edges = malloc(bins * sizeof *edges);
	if (!edges)
		return MQL_ERR_NOMEM;
	size_t count = range_edges(edges, values, n, bins);
	int status = MQL_OK;
	for (size_t j = 0; status == MQL_OK && j < count; j++) {
		double hi = j + 1 < count ? edges[j + 1] : INFINITY;
		status = add_rule(rules, range_rule(prop, edges[j], hi));
	}
	free(edges);
	return status;
}

static int discover_numeric(cJSON *rules, const mql_property *prop,
			    const mql_population *pop,
			    const mql_discover_options *opt)
{
	size_t n = 0;
	double *values = malloc((pop->count ? pop->count : 1) * sizeof *values);
	if (!values)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < pop->count; i++) {
		double v = prop->number[pop->row[i]];
		if (!isnan(v))
			values[n++] = v;
	}
	int status = MQL_OK;
	if (opt->numeric_linear) {
		char id[320];
		const char *parts[] = {prop->name};
		mql_discover_slug(id, sizeof id, parts, 1);
		status = add_rule(rules, fit_rule(id, prop->name, "linear"));
	} else {
		status = add_range_rules(rules, prop, values, n,
					 opt->numeric_bins);
	}
	free(values);
	if (status == MQL_OK && n > 0 && n < pop->count)
		status = add_missing_rule(rules, prop);
	return status;
}

void mql_discover_excluded_release(mql_discover_excluded *e)
{
	if (!e)
		return;
	mql_strings_release(&e->columns);
	mql_strings_release(&e->reasons);
}

/* Records a column left out: in excluded, and as a warning of its own when
 * it is probable leakage (those discovery never uses are named together
 * by warn_never_used). */
static int record_exclusion(mql_discover_excluded *excluded,
			    mql_strings *warnings, const char *column,
			    exclusion kind, const char *why)
{
	int status = MQL_OK;
	if (excluded) {
		status = mql_strings_add(&excluded->columns, "%s", column);
		if (status == MQL_OK)
			status = mql_strings_add(&excluded->reasons, "%s", why);
	}
	if (status == MQL_OK && kind == PROBABLE)
		status = mql_strings_add(warnings,
					 "left out of discovery: '%s': %s",
					 column, why);
	return status;
}

/* One warning naming the columns discovery never uses (never: their
 * names, quoted and separated by ", "), if any. */
static int warn_never_used(mql_strings *warnings, const mql_strings *never)
{
	if (never->count == 0)
		return MQL_OK;
	size_t size = 1;
	for (size_t i = 0; i < never->count; i++)
		size += strlen(never->items[i]) + 4;
	char *list = malloc(size);
	if (!list)
		return MQL_ERR_NOMEM;
	size_t used = 0;
	for (size_t i = 0; i < never->count; i++)
		used += (size_t)snprintf(list + used, size - used, "%s'%s'",
					 i ? ", " : "", never->items[i]);
	int status = mql_strings_add(
		warnings,
		"left out of discovery, %zu column(s) it never uses "
		"(stages, statuses, scores, deal revenue, personal data, "
		"owners, ids, dates, export-time aggregates; each reason is "
		"listed under excluded): %s",
		never->count, list);
	free(list);
	return status;
}

/* The rules of one property that is a feature. */
static int discover_property(cJSON *fit_rules, mql_strings *warnings,
			     const mql_property *prop,
			     const mql_population *population,
			     const mql_discover_options *opt)
{
	int status = warn_separated_levels(warnings, prop, population);
	if (status == MQL_OK)
		status = prop->kind == MQL_PROPERTY_NUMERIC
				 ? discover_numeric(fit_rules, prop, population,
						    opt)
				 : discover_categorical(fit_rules, warnings,
							prop, population, opt);
	return status;
}

/* What becomes of a column: a feature, left out (recorded), used though
 * --properties overrides a leakage reason (warned), or MQL_ERR_USAGE when
 * --properties names a column that cannot be a feature. */
static int consider(cJSON *fit_rules, mql_strings *warnings,
		    mql_discover_excluded *excluded, mql_strings *never,
		    const mql_contacts *contacts, const mql_property *prop,
		    const mql_population *population,
		    const mql_discover_options *opt, mql_error *err)
{
	char why[640];
	int kind =
		exclusion_of(why, sizeof why, contacts, prop, population, opt);
	if (kind < 0)
		return kind;
	if (kind == CANNOT && opt->only)
		return mql_error_set(err, MQL_ERR_USAGE, contacts->path, 0, 0,
				     "--properties: '%s' cannot be a "
				     "feature: %s",
				     prop->name, why);
	if (kind == KEPT)
		return discover_property(fit_rules, warnings, prop, population,
					 opt);
	if (opt->only) {
		int status = mql_strings_add(
			warnings,
			"'%s' is used because --properties names it, though "
			"discovery would leave it out: %s",
			prop->name, why);
		return status != MQL_OK
			       ? status
			       : discover_property(fit_rules, warnings, prop,
						   population, opt);
	}
	if (opt->exclude && strcasecmp(prop->name, opt->exclude) == 0)
		return MQL_OK; /* the outcome */
	if (kind == NEVER && mql_strings_add(never, "%s", prop->name) != MQL_OK)
		return MQL_ERR_NOMEM;
	return record_exclusion(excluded, warnings, prop->name, (exclusion)kind,
				why);
}

int mql_discover_fit_rules(cJSON *fit_rules, mql_strings *warnings,
			   mql_discover_excluded *excluded,
			   const mql_contacts *contacts,
			   const mql_population *population,
			   const mql_discover_options *opt, mql_error *err)
{
	for (size_t i = 0; i < opt->only_count; i++)
		if (!mql_contacts_property(contacts, opt->only[i]))
			return mql_error_set(
				err, MQL_ERR_USAGE, contacts->path, 0, 0,
				"--properties: no column '%s'", opt->only[i]);
	mql_strings never = {0};
	int status = MQL_OK;
	for (size_t p = 0; status == MQL_OK && p < contacts->property_count;
	     p++) {
		const mql_property *prop = &contacts->properties[p];
		if (wanted(prop, opt))
			status = consider(fit_rules, warnings, excluded, &never,
					  contacts, prop, population, opt, err);
	}
	if (status == MQL_OK)
		status = warn_never_used(warnings, &never);
	mql_strings_release(&never);
	return status;
}
