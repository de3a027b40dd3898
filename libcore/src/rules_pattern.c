/*
 * rules_pattern.c - the bounds a `matches` pattern must keep before it is
 * compiled (see rules.h).
 *
 * The C library's regcomp expands a counted repetition by copying its
 * atom: `x{1,255}{1,255}{1,255}` becomes sixteen million nodes and takes
 * gigabytes, and copies of what matches the empty string (`()*{30}{30}`)
 * make its epsilon closures take seconds.  So a pattern is walked first,
 * its expanded size counted in regcomp's nodes (an atom one, a group two
 * more than it holds, `*`, `?` and `|` one each, `+` twice its operand,
 * all times the upper bound of each counted repetition around them), and
 * refused past MQL_RULE_MAX_PATTERN_SIZE; groups may nest
 * MQL_RULE_MAX_PATTERN_DEPTH deep, and back-references, which make
 * matching exponential, are refused.  The walk is only an upper estimate:
 * what it lets through, regcomp still checks for syntax.
 */
#include "rules_internal.h"

#include <ctype.h>
#include <string.h>

/* One open group: the expanded size of what it holds so far, and of the
 * last atom (which a repetition that follows multiplies). */
typedef struct frame {
	double size;
	double last;
} frame;

typedef struct walk {
	frame stack[MQL_RULE_MAX_PATTERN_DEPTH + 1];
	int depth;
	const char *fault; /* what is wrong, or NULL */
	char back_reference;
} walk;

/* Adds an atom of the given size to the innermost group. */
static void add_atom(walk *w, double size)
{
	frame *f = &w->stack[w->depth];
	f->size += size;
	f->last = size;
}

/* Adds the node of an operator (`*`, `?`) to the last atom. */
static void operate_on_last(walk *w)
{
	frame *f = &w->stack[w->depth];
	f->size += 1;
	f->last += 1;
}

/* Multiplies the last atom by factor (a repetition follows it). */
static void repeat_last(walk *w, double factor)
{
	frame *f = &w->stack[w->depth];
	f->size += f->last * (factor - 1);
	f->last *= factor;
}

/* Reads digits at *s into *value (saturating at 1e6).  Returns how many. */
static size_t read_count(const char *s, double *value)
{
	size_t n = 0;
	*value = 0;
	while (isdigit((unsigned char)s[n])) {
		if (*value < 1e6)
			*value = *value * 10 + (s[n] - '0');
		n++;
	}
	return n;
}

/* When s opens a counted repetition "{m}", "{m,}", "{,n}" or "{m,n}", stores
 * its factor and returns its length; otherwise 0 (a literal brace). */
static size_t read_interval(const char *s, double *factor)
{
	double low, high;
	size_t n = 1, digits = read_count(s + n, &low);
	if (digits == 0 && s[n] != ',') /* "{,n}" is "{0,n}" to glibc */
		return 0;
	n += digits;
	high = low;
	if (s[n] == ',') {
		n++;
		digits = read_count(s + n, &high);
		n += digits;
		if (digits == 0)
			high = low + 1; /* {m,}: m copies and a star */
	}
	if (s[n] != '}')
		return 0;
	*factor = high > 1 ? high : 1;
	return n + 1;
}

/* The length of the bracket expression opening at s ("[...]"), or the
 * rest of the pattern when it is not closed (regcomp then refuses it). */
static size_t bracket_length(const char *s)
{
	size_t n = 1;
	if (s[n] == '^')
		n++;
	if (s[n] == ']')
		n++;
	while (s[n] && s[n] != ']') {
		char kind = s[n + 1];
		if (s[n] == '[' &&
		    (kind == ':' || kind == '.' || kind == '=')) {
			const char *close = s + n + 2;
			while (*close && !(close[0] == kind && close[1] == ']'))
				close++;
			n = *close ? (size_t)(close - s) + 2 : strlen(s);
			continue;
		}
		n++;
	}
	return s[n] ? n + 1 : n;
}

/* Steps over the element at s, updating w.  Returns its length. */
static size_t step(walk *w, const char *s)
{
	double factor;
	size_t n;
	switch (*s) {
	case '(':
		if (w->depth == MQL_RULE_MAX_PATTERN_DEPTH) {
			w->fault = "groups nested too deep";
			return 1;
		}
		w->stack[++w->depth] = (frame){0, 0};
		return 1;
	case ')':
		if (w->depth == 0) {
			add_atom(w, 1);
			return 1;
		}
		w->depth--;
		add_atom(w, w->stack[w->depth + 1].size + 2);
		return 1;
	case '|':
		w->stack[w->depth].size += 1;
		w->stack[w->depth].last = 0;
		return 1;
	case '*':
	case '?': operate_on_last(w); return 1;
	case '+':
		repeat_last(w, 2);
		operate_on_last(w);
		return 1;
	case '{':
		n = read_interval(s, &factor);
		if (n == 0) {
			add_atom(w, 1);
			return 1;
		}
		repeat_last(w, factor);
		return n;
	case '[': add_atom(w, 1); return bracket_length(s);
	case '\\':
		if (s[1] >= '1' && s[1] <= '9')
			w->back_reference = s[1];
		add_atom(w, 1);
		return s[1] ? 2 : 1;
	default: add_atom(w, 1); return 1;
	}
}

/* Walks pattern into *w and returns its expanded size (stopping once past
 * the bound). */
static double measure(const char *pattern, walk *w)
{
	double most = 0;
	for (const char *s = pattern; *s && !w->fault && !w->back_reference;) {
		s += step(w, s);
		for (int d = 0; d <= w->depth; d++)
			if (w->stack[d].size > most)
				most = w->stack[d].size;
		if (most > MQL_RULE_MAX_PATTERN_SIZE)
			break;
	}
	return most;
}

double mql_rule_pattern_size(const char *pattern)
{
	walk w = {.depth = 0};
	return measure(pattern, &w);
}

int mql_rule_check_pattern(const char *pattern, const char *file,
			   const char *path, mql_error *err)
{
	size_t len = strlen(pattern);
	if (len > MQL_RULE_MAX_PATTERN)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "%s.pattern: %zu characters; expected a "
				     "regex of at most %d",
				     path, len, MQL_RULE_MAX_PATTERN);
	walk w = {.depth = 0};
	double size = measure(pattern, &w);
	if (w.fault)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "%s.pattern: %s; expected at most %d "
				     "levels of parentheses",
				     path, w.fault, MQL_RULE_MAX_PATTERN_DEPTH);
	if (w.back_reference)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "%s.pattern: back-reference '\\%c' not "
				     "supported; expected a regex without "
				     "back-references",
				     path, w.back_reference);
	if (size > MQL_RULE_MAX_PATTERN_SIZE)
		return mql_error_set(err, MQL_ERR_INPUT, file, 0, 0,
				     "%s.pattern: its repetitions expand to "
				     "more than %d atoms (counted repetitions "
				     "such as {1,255} multiply when nested); "
				     "expected a smaller regex",
				     path, MQL_RULE_MAX_PATTERN_SIZE);
	return MQL_OK;
}
