/*
 * rules_internal.h - what rules.c, rules_read.c and rules_write.c share.
 * Not installed; not for other modules.
 */
#ifndef MQLCAL_RULES_INTERNAL_H
#define MQLCAL_RULES_INTERNAL_H

#include <mqlcal/rules.h>

/* The decay's key in the file ("half_life_days"), NULL for none. */
const char *mql_rule_decay_key(mql_decay_kind decay);

/*
 * Checks one rule (path names it in messages, file is the rule file or
 * NULL) and compiles its regex.  points_optional: NAN points allowed.
 */
int mql_rule_validate_one(mql_rule *rule, int points_optional, const char *file,
			  const char *path, mql_error *err);

/*
 * Checks a `matches` pattern against the MQL_RULE_MAX_PATTERN* bounds and
 * refuses back-references, before regcomp sees it.  Returns 0 or
 * MQL_ERR_INPUT with a message naming path.pattern.
 */
int mql_rule_check_pattern(const char *pattern, const char *file,
			   const char *path, mql_error *err);

/* The expanded size of pattern as mql_rule_check_pattern counts it (a
 * little past MQL_RULE_MAX_PATTERN_SIZE at most when it is larger). */
double mql_rule_pattern_size(const char *pattern);

#endif
