/*
 * sql.h - the warehouse route: the rule file compiled into SQL, and the
 * table that SQL returns read back as a fit's design matrix.
 *
 * Two queries over a contacts table and an events table holding the
 * columns of contacts.csv and events.csv (same names; `*_at` columns as
 * timestamps with time zone, or timestamps holding UTC; property columns of
 * any type, read as their text):
 *
 *   features  one row per member of mql-fit's population for the label
 *             (population.h: which MQLs enter, as of --as-of, the stage
 *             window), in contact_id order (mqlcal keeps the file's order:
 *             --folds deals the same folds only when contacts.csv is
 *             sorted by contact_id): contact_id, the outcome (0/1)
 *             in a column named by the label, mql_at and as_of (ISO 8601
 *             text, UTC), window_days for a stage label (sql, opportunity,
 *             customer), then one column per rule named by its id: a fit
 *             rule's unit value and an engagement rule's min(max_count, D)
 *             as of mql_at, both as score.h defines them.
 *   scores    one row per contact, mql-score's columns: contact_id, score,
 *             fit_score, engagement_score, grade, mql, mql_at, probability,
 *             at as-of, with the first crossing of the threshold.
 *
 * What the SQL assumes of the data, where it cannot see what the CSV
 * reader sees:
 *   - ids and event types are stored as the CSV reader reads them (trimmed);
 *     an event type is compared exactly, as mqlcal does;
 *   - a property is trimmed of white space; an empty one is missing;
 *   - in / not_in compare case-insensitively in ASCII (as strncasecmp does),
 *     matches is the rule's POSIX ERE rewritten for the engine's regex
 *     dialect (GNU escapes \b \B \< \> \` \' and backslashes inside
 *     brackets translated), case-insensitive in ASCII;
 *   - range and linear read a number from the text: a decimal number, or an
 *     employee range "25-50" or "1000+" (its lower bound); any other text
 *     reads as missing (mqlcal would refuse the rule on such a column);
 *   - times are whole seconds (mqlcal drops fractions);
 *   - an MQL is accepted when sal_at is set (with accepted_at_sql, the
 *     table of an export without a SAL stage: the first of sql_at,
 *     opportunity_at and customer_at, as the loader reads such an export)
 *     and rejected when rejected_at is, or, when it is not, when lead_status
 *     (trimmed, ASCII case-insensitively) is one of rejected_status or of
 *     the preset's (mql_csv_preset_rejected), as the loader reads them;
 *   - without --as-of, the as-of of features is the latest of the contacts'
 *     seven stage dates (created_at, mql_at, sal_at, sql_at, opportunity_at,
 *     customer_at, rejected_at: all must exist; six, without sal_at, with
 *     accepted_at_sql), and that of scores the later of it and the last
 *     event.
 *
 * Dialects differ only in a small table inside the compiler (timestamp
 * literals and arithmetic, regex, text casts and trimming); postgres is the
 * tested one.
 *
 * Ownership: the compiled text is the caller's (free).  The features reader
 * takes its rules and returns a features table and a population the caller
 * frees with mql_features_free / mql_population_free.
 */
#ifndef MQLCAL_SQL_H
#define MQLCAL_SQL_H

#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/features.h>
#include <mqlcal/population.h>
#include <mqlcal/rules.h>
#include <mqlcal/timeparse.h>

typedef enum mql_sql_query {
	MQL_SQL_FEATURES, /* mql-fit's design matrix */
	MQL_SQL_SCORES	  /* mql-score's columns */
} mql_sql_query;

/* The query names ("features", "scores"), NULL-terminated, in enum order. */
extern const char *const mql_sql_query_names[];

/* The dialect names, NULL-terminated; the first is the default. */
extern const char *const mql_sql_dialect_names[];

/* 1 when the dialect's SQL is tested against its engine, 0 if not, -1 for
 * an unknown name. */
int mql_sql_dialect_tested(const char *name);

typedef struct mql_sql_options {
	mql_sql_query query;
	mql_label label;	    /* features: sal .. customer (no outcome) */
	double window_days;	    /* features: stage window, default 180 */
	mql_time as_of;		    /* NONE = from the data */
	const char *dialect;	    /* a name of mql_sql_dialect_names */
	const char *contacts_table; /* default "contacts" */
	const char *events_table;   /* default "events" */
	/* features, label sal: accepted = the first of sql_at, opportunity_at,
	 * customer_at (a table without sal_at); 0: sal_at */
	int accepted_at_sql;
	/* features, label sal: lead_status values that mean rejected by sales
	 * without a rejected_at, besides the preset's (an mql_csv_presets
	 * entry, or NULL); with any, the table needs lead_status */
	mql_text_list rejected_status;
	const char *preset;
} mql_sql_options;

/* The choices of what acceptance is (--accepted-at), NULL-ended: "sal",
 * "sql" (accepted_at_sql). */
extern const char *const mql_sql_acceptance_names[];

/* Sets *accepted_at_sql from a name of mql_sql_acceptance_names: 0, or -1
 * for another name (*accepted_at_sql unchanged). */
int mql_sql_acceptance_parse(const char *name, int *accepted_at_sql);

/* Fills o with the defaults: features, sal, 180 days, as-of from the data,
 * postgres, tables contacts and events. */
void mql_sql_options_init(mql_sql_options *o);

/*
 * Compiles validated rules into the query of opt.  Returns 0 with *out a
 * malloc'd, newline-ended SQL text, or MQL_ERR_USAGE (unknown dialect, bad
 * window, the outcome label, a rule id that is also a fixed column name),
 * MQL_ERR_NOMEM.
 */
int mql_sql_compile(char **out, const mql_rules *rules,
		    const mql_sql_options *opt, mql_error *err);

/*
 * Rewrites a POSIX extended regular expression, as glibc's regcomp reads
 * it, into PostgreSQL's advanced regex syntax.  Returns a malloc'd string,
 * or NULL when out of memory.
 */
char *mql_sql_regex_postgres(const char *pattern);

/*
 * Reads the result of the features query (CSV with a header, as psql
 * --csv or \copy ... CSV HEADER writes it) as the design of rules
 * (ownership taken, even on failure): the rule columns found by id, the
 * outcome column by its label name, mql_at as each row's decision time,
 * as_of and window_days (when there) as the population's.  *label gets the
 * label.  Returns 0, or MQL_ERR_NOFILE, MQL_ERR_INPUT (a missing column, a
 * value that is not a number, an outcome not 0/1, as_of or window_days not
 * the same on every row; err names file, line and column), MQL_ERR_NOMEM.
 */
int mql_sql_features_read(mql_features **features, mql_population **population,
			  mql_label *label, const char *path, mql_rules *rules,
			  const mql_csv_options *csv, mql_error *err);

#endif
