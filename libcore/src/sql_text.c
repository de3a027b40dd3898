/*
 * sql_text.c - the SQL compiler's text: a growing buffer, quoting, the
 * dialect table and the rewriting of POSIX regexes for PostgreSQL.
 */
#include "sql_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the dialects ----------------------------------------------------- */

static const sql_dialect dialects[] = {
	{
		.name = "postgres",
		.tested = 1,
		.timestamp = "TIMESTAMPTZ '$1+00'",
		.seconds = "CAST(EXTRACT(EPOCH FROM $1) AS bigint)",
		.add_seconds = "$1 + make_interval(secs => $2)",
		.interval_seconds = "INTERVAL '$1 seconds'",
		.iso_text = "to_char($1 AT TIME ZONE 'UTC', "
			    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
		.text = "CAST($1 AS text)",
		.trim = "btrim($1, E' \\t\\n\\x0b\\f\\r')",
		.lower = "lower($1 COLLATE \"C\")",
		.matches = "$1 COLLATE \"C\" ~* $2",
		.to_double = "CAST($1 AS double precision)",
		.exp2 = "power(CAST(2 AS double precision), $1)",
		.ln = "ln($1)",
		.number_text = "substring($1 from "
			       "'^([-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)"
			       "(?:[eE][-+]?[0-9]+)?)"
			       "(?:\\+|-(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)"
			       "(?:[eE][-+]?[0-9]+)?)?$')",
		.regex = mql_sql_regex_postgres,
	},
};

const char *const mql_sql_dialect_names[] = {"postgres", NULL};

const char *const mql_sql_acceptance_names[] = {"sal", "sql", NULL};

int mql_sql_acceptance_parse(const char *name, int *accepted_at_sql)
{
	for (int i = 0; mql_sql_acceptance_names[i]; i++)
		if (strcmp(name, mql_sql_acceptance_names[i]) == 0) {
			*accepted_at_sql = i == 1;
			return 0;
		}
	return -1;
}

const char *const mql_sql_query_names[] = {"features", "scores", NULL};

const sql_dialect *sql_dialect_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof dialects / sizeof *dialects; i++)
		if (strcmp(dialects[i].name, name) == 0)
			return &dialects[i];
	return NULL;
}

int mql_sql_dialect_tested(const char *name)
{
	const sql_dialect *d = sql_dialect_find(name);
	return d ? d->tested : -1;
}

/* --- the buffer ------------------------------------------------------- */

static int reserve(sql_buf *b, size_t more)
{
	if (b->failed)
		return -1;
	if (b->len + more + 1 <= b->capacity)
		return 0;
	size_t capacity = b->capacity ? b->capacity : 1024;
	while (capacity < b->len + more + 1)
		capacity *= 2;
	char *grown = realloc(b->text, capacity);
	if (!grown) {
		b->failed = 1;
		return -1;
	}
	b->text = grown;
	b->capacity = capacity;
	return 0;
}

static void put_bytes(sql_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return;
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
}

void sql_put(sql_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->text + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sql_template(sql_buf *b, const char *template, const char *a1,
		  const char *a2)
{
	const char *p = template;
	for (const char *d; (d = strchr(p, '$')) != NULL; p = d + 2) {
		put_bytes(b, p, (size_t)(d - p));
		if (d[1] == '1' || d[1] == '2') {
			const char *arg = d[1] == '1' ? a1 : a2;
			put_bytes(b, arg ? arg : "", arg ? strlen(arg) : 0);
		} else {
			put_bytes(b, d, d[1] ? 2 : 1);
			if (!d[1])
				return;
		}
	}
	put_bytes(b, p, strlen(p));
}

static void quoted(sql_buf *b, const char *text, char quote)
{
	put_bytes(b, &quote, 1);
	for (const char *p = text; *p; p++) {
		put_bytes(b, p, 1);
		if (*p == quote)
			put_bytes(b, p, 1);
	}
	put_bytes(b, &quote, 1);
}

void sql_string(sql_buf *b, const char *text)
{
	quoted(b, text, '\'');
}

void sql_identifier(sql_buf *b, const char *name)
{
	quoted(b, name, '"');
}

void sql_number(sql_buf *b, double x)
{
	sql_put(b, "%.17g", x);
}

char *sql_take(sql_buf *b)
{
	char *text = b->failed ? NULL : b->text;
	if (b->failed)
		free(b->text);
	memset(b, 0, sizeof *b);
	return text;
}

void sql_release(sql_buf *b)
{
	free(b->text);
	memset(b, 0, sizeof *b);
}

/* --- POSIX ERE (glibc) -> PostgreSQL ARE ------------------------------- */

/* The ARE of a GNU escape \c outside brackets, or NULL when \c is kept. */
static const char *gnu_escape(char c)
{
	switch (c) {
	case 'b': return "\\y";
	case 'B': return "\\Y";
	case '<': return "\\m";
	case '>': return "\\M";
	case '`': return "\\A";
	case '\'': return "\\Z";
	default: return NULL;
	}
}

/*
 * Copies the bracket expression at p (p[0] == '['), doubling backslashes
 * (literal in POSIX brackets, an escape in AREs).  Returns the position
 * after it (the end of the string when unterminated).
 */
static const char *copy_bracket(sql_buf *b, const char *p)
{
	put_bytes(b, p++, 1);
	if (*p == '^')
		put_bytes(b, p++, 1);
	if (*p == ']')
		put_bytes(b, p++, 1);
	while (*p && *p != ']') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char close[3] = {p[1], ']', '\0'};
			const char *end = strstr(p + 2, close);
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);
			put_bytes(b, p, n);
			p += n;
			continue;
		}
		if (*p == '\\')
			put_bytes(b, "\\", 1);
		put_bytes(b, p++, 1);
	}
	if (*p == ']')
		put_bytes(b, p++, 1);
	return p;
}

char *mql_sql_regex_postgres(const char *pattern)
{
	sql_buf b = {0};
	put_bytes(&b, "", 0);
	const char *p = pattern;
	while (*p) {
		if (*p == '[') {
			p = copy_bracket(&b, p);
			continue;
		}
		if (*p != '\\' || !p[1]) {
			put_bytes(&b, p++, 1);
			continue;
		}
		char c = p[1];
		const char *are = gnu_escape(c);
		if (are)
			put_bytes(&b, are, strlen(are));
		else if (isalpha((unsigned char)c) && !strchr("wWsS", c))
			put_bytes(&b, &c, 1); /* glibc: the letter itself */
		else
			put_bytes(&b, p, 2);
		p += 2;
	}
	return sql_take(&b);
}
