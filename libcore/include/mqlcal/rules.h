/*
 * rules.h - the rule file `mqlcal.rules/1`: parse, validate, build, write.
 *
 * A rule file is the scorer's contract (SPEC "The rule file"): a threshold,
 * fit rules (points when a contact property matches), engagement rules
 * (points per event of a type, with an optional decay and cap), and the
 * optional score_limit, grades, calibration and provenance.  This module
 * only holds and checks the file; the score formula lives in score.h.
 *
 * Invariants after a successful mql_rules_load / mql_rules_parse /
 * mql_rules_validate:
 *   - rule ids are unique across fit and engagement rules;
 *   - every fit rule has a known op with the fields it needs, and a
 *     `matches` rule has its pattern compiled (POSIX ERE, case-insensitive);
 *   - every engagement rule has an event name, at most one decay with days
 *     > 0, and max_count > 0 or MQL_RULE_NO_CAP;
 *   - threshold, points and every other number are finite and within the
 *     MQL_RULE_MAX_* bounds below.
 *
 * Unknown keys at the top level, inside each rule, grades and calibration
 * are kept in cJSON objects and written back after the known keys, and the
 * provenance object is kept whole, so a round trip loses nothing.  Output is
 * deterministic: known keys in a fixed order, one rule per line inside the
 * arrays, numbers in their shortest exact form.
 *
 * Ownership: an mql_rules owns every string, array, regex and cJSON object
 * it points to; mql_rules_free releases them all.  Builders copy their
 * string arguments.
 */
#ifndef MQLCAL_RULES_H
#define MQLCAL_RULES_H

#include <math.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <mqlcal/error.h>

#define MQL_RULES_FORMAT "mqlcal.rules/1"

/* max_count of an engagement rule without a cap (min(INFINITY, D) = D). */
#define MQL_RULE_NO_CAP INFINITY

/*
 * Bounds of a `matches` pattern, checked before it is compiled: its length
 * in bytes, its size once counted repetitions are expanded (in the
 * matcher's nodes: an atom counts once per copy, so `x{1,255}{1,255}` is
 * 65,025; groups, `*`, `?` and `|` count too), and the depth of its
 * parentheses; the sizes of all the patterns of a file add up to at most
 * MQL_RULE_MAX_PATTERNS_SIZE, so compiling them takes some tens of MB at
 * most.  Back-references (`\1`) are refused.
 */
/*
 * Bounds of a rule file's numbers, so that no score can overflow: |points|
 * <= MQL_RULE_MAX_POINTS; min and max of a range or linear rule within
 * +-MQL_RULE_MAX_BOUND; threshold, score_limit and grades within
 * +-MQL_RULE_MAX_SCORE; a decay's days in (0, MQL_RULE_MAX_DAYS] (a
 * century); max_count in (0, MQL_RULE_MAX_COUNT]; calibration's
 * points_per_logit in (0, MQL_RULE_MAX_POINTS] and logit_at_threshold
 * within +-MQL_RULE_MAX_POINTS.
 */
#define MQL_RULE_MAX_POINTS 1e6
#define MQL_RULE_MAX_BOUND  1e15
#define MQL_RULE_MAX_SCORE  1e12
#define MQL_RULE_MAX_DAYS   36500.0
#define MQL_RULE_MAX_COUNT  1e9

#define MQL_RULE_MAX_PATTERN	   512
#define MQL_RULE_MAX_PATTERN_SIZE  1000
#define MQL_RULE_MAX_PATTERN_DEPTH 16
#define MQL_RULE_MAX_PATTERNS_SIZE 10000

typedef enum mql_rule_kind {
	MQL_RULE_FIT,	    /* matches a contact property */
	MQL_RULE_ENGAGEMENT /* counts events of one type */
} mql_rule_kind;

/* Fit rule ops (SPEC): how a property value is matched. */
typedef enum mql_rule_op {
	MQL_OP_IN,	/* trimmed value equals one of values, ignoring case */
	MQL_OP_NOT_IN,	/* present and equal to none of values */
	MQL_OP_RANGE,	/* min <= number < max (either bound may be absent) */
	MQL_OP_MATCHES, /* POSIX extended regex, case-insensitive */
	MQL_OP_MISSING, /* the value is missing */
	MQL_OP_LINEAR	/* points per unit of a numeric property */
} mql_rule_op;

typedef enum mql_rule_transform {
	MQL_TRANSFORM_NONE,
	MQL_TRANSFORM_LOG1P /* linear on log(1 + value) */
} mql_rule_transform;

/* Engagement decay (SPEC): the weight w(a) of an event of age a days. */
typedef enum mql_decay_kind {
	MQL_DECAY_NONE,	     /* w = 1 */
	MQL_DECAY_HALF_LIFE, /* half_life_days h: w = 0.5^(a/h) */
	MQL_DECAY_LIFESPAN,  /* lifespan_days L: w = max(0, 1 - a/L) */
	MQL_DECAY_WINDOW     /* window_days W: w = 1 if a < W else 0 */
} mql_decay_kind;

/*
 * One rule.  Fields of the other kind are zero / NULL / NAN.  Builders may
 * set fields directly (strings with the setters below, so they are owned);
 * call mql_rules_validate afterwards.
 */
typedef struct mql_rule {
	mql_rule_kind kind;
	char *id;      /* unique across the file */
	double points; /* NAN when absent (model.json rules carry none) */

	/* fit rules */
	char *property; /* contact column name */
	mql_rule_op op;
	char **values;	    /* in / not_in: the listed values */
	size_t value_count; /* entries of values */
	double min;	    /* range: inclusive lower bound; linear: clamp */
	double max;	    /* range: exclusive upper bound; linear: clamp;
			       NAN = absent */
	char *pattern;	    /* matches: the regex text */
	mql_rule_transform transform; /* linear: applied after clamping */
	regex_t *regex;		      /* matches: compiled by validate */

	/* engagement rules */
	char *event; /* event type name */
	mql_decay_kind decay;
	double decay_days; /* h, L or W of the decay; 0 for none */
	double max_count;  /* cap on the decayed count, or MQL_RULE_NO_CAP */

	cJSON *extra; /* unknown keys of the rule object, or NULL */
} mql_rule;

typedef struct mql_rules {
	char *name;	  /* "2026-Q4 review", or NULL */
	double threshold; /* score at which a lead becomes an MQL */

	mql_rule *fit; /* fit rules in file order */
	size_t fit_count;
	size_t fit_capacity;
	mql_rule *engagement; /* engagement rules in file order */
	size_t engagement_count;
	size_t engagement_capacity;

	int has_score_limit;
	double score_limit[2]; /* [lo, hi], lo <= hi */

	int has_grades;
	double fit_grades[3];	     /* cut-offs for A, B, C; descending */
	double engagement_grades[3]; /* cut-offs for 1, 2, 3; descending */
	cJSON *grades_extra;	     /* unknown keys of grades, or NULL */

	int has_calibration;
	double points_per_logit;   /* > 0 */
	double logit_at_threshold; /* finite */
	cJSON *calibration_extra;  /* unknown keys of calibration, or NULL */

	cJSON *provenance; /* kept as is, or NULL; set it to fill it in */
	cJSON *extra;	   /* unknown top-level keys, or NULL */
	char *path;	   /* file name for messages, or NULL */
} mql_rules;

/*
 * A new, empty rule file (no rules, threshold 0, no options).  Returns NULL
 * when out of memory.  Free with mql_rules_free.
 */
mql_rules *mql_rules_new(void);

/* Frees r and everything it owns.  r may be NULL. */
void mql_rules_free(mql_rules *r);

/*
 * Reads and validates the rule file at path.  Returns 0, or MQL_ERR_NOFILE
 * (cannot open), MQL_ERR_IO, MQL_ERR_INPUT (bad JSON with line and column,
 * or a validation fault naming its JSON path, e.g.
 * "engagement[3].half_life_days: must be a number > 0"), MQL_ERR_NOMEM.
 * *out belongs to the caller: mql_rules_free.
 */
int mql_rules_load(mql_rules **out, const char *path, mql_error *err);

/* The same from text[0..len); name is used in messages (may be NULL). */
int mql_rules_parse(mql_rules **out, const char *text, size_t len,
		    const char *name, mql_error *err);

/*
 * Reads one rule object (a fit rule when it has "property", an engagement
 * rule when it has "event") into *out, for model.json coefficients.  path
 * names the object in messages ("coefficients[2].rule").  Points may be
 * absent (NAN).  Validates the rule and compiles its regex.  Returns 0,
 * MQL_ERR_INPUT or MQL_ERR_NOMEM; on error *out is released.
 */
int mql_rule_from_json(mql_rule *out, const cJSON *object, const char *path,
		       mql_error *err);

/*
 * The rule as a new cJSON object in the file's key order; points left out
 * when with_points is 0 or points is NAN.  NULL when out of memory.  Free
 * with cJSON_Delete.
 */
cJSON *mql_rule_to_json(const mql_rule *rule, int with_points);

/* Frees what a rule owns (not the struct) and zeroes it.  NULL is fine. */
void mql_rule_release(mql_rule *rule);

/*
 * Appends a fit rule (id and property copied, points given, other fields
 * empty: NAN bounds, no values) and returns it; the pointer is valid until
 * the next rule is added.  NULL when out of memory.
 */
mql_rule *mql_rules_add_fit(mql_rules *r, const char *id, const char *property,
			    mql_rule_op op, double points);

/*
 * Appends an engagement rule (no decay, no cap) and returns it, valid until
 * the next rule is added.  NULL when out of memory.
 */
mql_rule *mql_rules_add_engagement(mql_rules *r, const char *id,
				   const char *event, double points);

/* Appends a copy of value to an in / not_in rule.  0 or MQL_ERR_NOMEM. */
int mql_rule_add_value(mql_rule *rule, const char *value);

/*
 * Checks every invariant listed at the top and compiles the regexes.
 * Returns 0, or MQL_ERR_INPUT with err->message naming the JSON path of the
 * first fault and what was expected, or MQL_ERR_NOMEM.
 */
int mql_rules_validate(mql_rules *r, mql_error *err);

/* The op's name in the file ("not_in"), or NULL. */
const char *mql_rule_op_name(mql_rule_op op);

/* Finds a rule by id in either list, or NULL. */
const mql_rule *mql_rules_find(const mql_rules *r, const char *id);

/*
 * The rule file as deterministic, diff-friendly JSON text (ends with a
 * newline).  Returns a malloc'd string (free with free) or NULL when out of
 * memory.
 */
char *mql_rules_to_string(const mql_rules *r);

/* Writes mql_rules_to_string to fp.  Returns 0, MQL_ERR_IO or _NOMEM. */
int mql_rules_write(const mql_rules *r, FILE *fp, mql_error *err);

#endif
