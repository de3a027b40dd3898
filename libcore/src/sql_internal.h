/*
 * sql_internal.h - the pieces the SQL compiler's files share: a growing
 * text buffer, quoting, the dialect table and the rule expressions.
 * Private to sql*.c.
 */
#ifndef MQLCAL_SQL_INTERNAL_H
#define MQLCAL_SQL_INTERNAL_H

#include <stddef.h>

#include <mqlcal/rules.h>
#include <mqlcal/sql.h>

/*
 * Where dialects differ, as templates: "$1" (and "$2") stand for the
 * arguments.  Everything else the compiler writes is plain SQL.
 */
typedef struct sql_dialect {
	const char *name;
	int tested;		 /* checked against a real engine */
	const char *timestamp;	 /* a literal from "2026-03-05 14:07:00" */
	const char *seconds;	 /* whole seconds since 1970 of a timestamp */
	const char *add_seconds; /* timestamp $1 plus $2 (integer) seconds */
	const char *interval_seconds; /* an interval of $1 (integer) seconds */
	const char *iso_text;	 /* a timestamp as "2026-03-05T14:07:00Z" */
	const char *text;	 /* any value as text */
	const char *trim;	 /* text without surrounding white space */
	const char *lower;	 /* ASCII lower case of text */
	const char *matches;	 /* text $1 matches regex literal $2, no case */
	const char *to_double;	 /* text $1 as double precision */
	const char *exp2;	 /* 2 to the power $1 */
	const char *ln;		 /* natural logarithm */
	const char *number_text; /* regex: the lower bound in a number cell */
	char *(*regex)(const char *pattern); /* ERE -> dialect, malloc'd */
} sql_dialect;

/* The dialect named name, or NULL. */
const sql_dialect *sql_dialect_find(const char *name);

/* A text that grows; on a failed allocation it stops growing and sets
 * failed, so callers check once at the end. */
typedef struct sql_buf {
	char *text;
	size_t len, capacity;
	int failed;
} sql_buf;

void sql_put(sql_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends template with each "$1" replaced by a1 and "$2" by a2. */
void sql_template(sql_buf *b, const char *template, const char *a1,
		  const char *a2);

/* 'text' with quotes doubled. */
void sql_string(sql_buf *b, const char *text);

/* "name" with double quotes doubled. */
void sql_identifier(sql_buf *b, const char *name);

/* A finite double, exactly ("%.17g"). */
void sql_number(sql_buf *b, double x);

/* Takes the buffer's text (NULL when it failed) and empties it. */
char *sql_take(sql_buf *b);

/* Frees what the buffer holds. */
void sql_release(sql_buf *b);

/*
 * The select list items "p0", "p1", ... of the trimmed text of each fit
 * rule's property (one per rule) from contacts alias c; and a rule's unit
 * value over the item of its index, from the same subquery alias.
 */
void sql_fit_texts(sql_buf *b, const sql_dialect *d, const mql_rules *rules);
void sql_fit_unit(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
		  size_t index);

/* The decay weight w of rule for the age (days, >= 0) in expression age. */
void sql_decay_weight(sql_buf *b, const sql_dialect *d, const mql_rule *rule,
		      const char *age);

/* (seconds(at) - seconds(event_at)) / 86400 as a double: an age in days
 * as mqlcal computes it from whole seconds. */
void sql_age(sql_buf *b, const sql_dialect *d, const char *at,
	     const char *event_at);

/* The events table's rows whose type some engagement rule names: the
 * condition on alias e ("e.event IN (...)"). */
void sql_event_filter(sql_buf *b, const mql_rules *rules);

/* min(max_count, D) of engagement rule r from decayed count "d<r>". */
void sql_capped(sql_buf *b, const mql_rule *rule, size_t r);

/* The compiler of the scores query (the features query's is sql.c's). */
int sql_compile_scores(sql_buf *b, const sql_dialect *d, const mql_rules *rules,
		       const mql_sql_options *opt, mql_error *err);

/* The as-of, as a scalar subquery or literal, into the params CTE. */
void sql_as_of(sql_buf *b, const sql_dialect *d, const mql_sql_options *opt,
	       int with_events);

#endif
