/*
 * score.h - the one implementation of the score formula (SPEC "The rule
 * file"), shared by the fitter's features, the scorer, the capacity replay,
 * the backtest and the generator, so they cannot drift apart.
 *
 *   fit_score(t)        = sum of points * x of the fit rules, where x is 1
 *                         when the rule matches (0 otherwise), or for linear
 *                         rules the clamped, transformed value (0 missing)
 *   engagement_score(t) = sum over engagement rules r of
 *                         points_r * min(max_count_r, D_r(t))
 *   D_r(t)              = sum over events e of r's type with time_e <= t
 *                         of w_r(t - time_e)            (ages in days)
 *   score(t)            = fit_score + engagement_score, clamped to
 *                         score_limit when the file has one
 *
 * A lead becomes an MQL at the first candidate time at which score >=
 * threshold; the candidates are its created_at and the times of its events
 * that some engagement rule counts (a contact without created_at whose score
 * at as-of reaches the threshold is an MQL with an unknown time).  Events
 * after as-of are ignored.
 *
 * The pieces:
 *   mql_scorer   rules compiled against a contacts table (fit rules
 *                evaluated once per level of each property) and bound to
 *                event type indices; fit units and fit scores per row;
 *   mql_rule_decay_weight / mql_rule_capped: w_r(a) and min(max_count, D);
 *   mql_accum    D_r(t_row) of every row and rule at a fixed time per row,
 *                fed events in any order (for the fitter's design matrix);
 *   mql_scorer_score_events / _score_row: one contact's events in time
 *                order -> scores at as-of, the crossing, grade, probability
 *                and ledger rows whose contributions add up to the score.
 *
 * Ownership: a scorer borrows its rules and contacts (both must outlive
 * it); an accumulator borrows its scorer and its time array.  Scoring
 * functions use scratch space inside the scorer, so one scorer serves one
 * thread at a time.
 */
#ifndef MQLCAL_SCORE_H
#define MQLCAL_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/contacts.h>
#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/events.h>
#include <mqlcal/rules.h>
#include <mqlcal/timeline.h>
#include <mqlcal/timeparse.h>

/* ---- single-rule pieces (need no scorer) ------------------------------ */

/*
 * The decay weight of an event of age_days for an engagement rule: 1 for no
 * decay, 0.5^(a/h), max(0, 1 - a/L), or 1 if a < W else 0.  An event in the
 * future (age_days < 0) weighs 0.  Cannot fail.
 *
 * The contract of every decay kind, which the scorers rely on instead of
 * summing every event again at every candidate time:
 *   - w(a) = 0 for a < 0, w(0) = 1, and 0 <= w(a) <= 1;
 *   - w never increases with age, and once 0 it stays 0 (an event that
 *     weighs nothing at t weighs nothing at any later time), so lifespan and
 *     window drop their expired events for good;
 *   - none and half-life are multiplicative, w(a + b) = w(a) * w(b), so
 *     D(t') = D(t) * w(t' - t) + the events in (t, t'] carries D forward
 *     without revisiting the events before t;
 *   - D(t) is a sum of per-event weights, so it does not depend on the
 *     order the events are added in (the fit's accumulator sums in fixed
 *     point, where this holds to the last bit).
 * A new kind states which of the carried or dropped paths it takes.
 * tests/test_decay.c checks every kind against the direct sum.
 */
double mql_rule_decay_weight(const mql_rule *rule, double age_days);

/* min(max_count, decayed_count): the rule's unit value.  Cannot fail. */
double mql_rule_capped(const mql_rule *rule, double decayed_count);

/*
 * The unit value x of a validated fit rule for one cell's text s[0..len)
 * (NULL or blank = missing), for callers without a contacts table (the
 * generator): 1/0 for in, not_in, matches, missing, range; the clamped,
 * transformed number for linear (0 when missing).  Numbers are read with
 * mql_cell_number.  Returns 0 and sets *x, or MQL_ERR_INPUT when a range or
 * linear rule meets text that is not a number (err names the rule).
 */
int mql_rule_fit_unit_text(const mql_rule *rule, const char *s, size_t len,
			   double *x, mql_error *err);

/* Score clamped to the rule file's score_limit (unchanged without one). */
double mql_score_clamp(const mql_rules *rules, double raw_score);

/*
 * logistic(logit_at_threshold + (score - threshold) / points_per_logit),
 * or NAN when the rule file has no calibration.
 */
double mql_score_probability(const mql_rules *rules, double score);

/*
 * The grade "A2" of the two sub-scores into out (size >= 3): fit >= cut 0
 * is A, >= cut 1 B, >= cut 2 C, else D; engagement likewise 1..4.  Writes
 * "" when the rule file has no grades.  Returns out.
 */
char *mql_score_grade(const mql_rules *rules, double fit_score,
		      double engagement_score, char *out, size_t n);

/* ---- the scorer -------------------------------------------------------- */

typedef struct mql_scorer mql_scorer;

/*
 * Compiles validated rules against contacts.  contacts may be NULL (the
 * generator), then only mql_scorer_score_events works.  A fit rule naming a
 * column contacts.csv lacks, a range or linear rule on a categorical
 * column, or a log1p rule meeting a value <= -1 (below its min) is bad
 * input: MQL_ERR_INPUT naming the rule ("fit[2].property: no column
 * 'seniority' in contacts.csv").  Returns 0, MQL_ERR_INPUT or
 * MQL_ERR_NOMEM.  *out belongs to the caller: mql_scorer_free.
 */
int mql_scorer_new(mql_scorer **out, const mql_rules *rules,
		   const mql_contacts *contacts, mql_error *err);

/* Frees the scorer.  s may be NULL. */
void mql_scorer_free(mql_scorer *s);

/*
 * Binds engagement rules to event type indices.  For each engagement rule,
 * intern(ctx, event name) must return the type index the caller's events
 * carry (or -1 on failure -> MQL_ERR_NOMEM).  Several rules may share a
 * type.  Events of types no rule names are ignored.  Call once before
 * scoring events; indices may be assigned before or after events are read.
 */
typedef int32_t (*mql_intern_fn)(void *ctx, const char *name);
int mql_scorer_bind_types(mql_scorer *s, mql_intern_fn intern, void *ctx,
			  mql_error *err);

/* mql_scorer_bind_types with an events reader's type dictionary. */
int mql_scorer_bind_events(mql_scorer *s, mql_events *reader, mql_error *err);

/* mql_scorer_bind_types with a caller's own dictionary (names interned). */
int mql_scorer_bind_dict(mql_scorer *s, mql_dict *types, mql_error *err);

/*
 * The unit value x of fit rule index rule (into rules->fit) for contacts
 * row: 0/1, or the linear value; contribution = points * x.  The fitter
 * uses x as its design column.  Cannot fail (indices must be in range).
 */
double mql_scorer_fit_unit(const mql_scorer *s, size_t rule, size_t row);

/* sum of points * x over the fit rules for row (unclamped). */
double mql_scorer_fit_score(const mql_scorer *s, size_t row);

/* ---- fixed-time accumulator (events in any order) --------------------- */

typedef struct mql_accum mql_accum;

/*
 * An accumulator of D_r(at[row]) for row_count rows and every engagement
 * rule of the bound scorer.  at (row_count entries, borrowed) is each row's
 * evaluation time; a row with MQL_TIME_NONE takes no events.  Events after
 * a row's time are ignored.  Memory: row_count x engagement rules doubles.
 * Returns 0 or MQL_ERR_NOMEM.  Free with mql_accum_free.
 */
int mql_accum_new(mql_accum **out, const mql_scorer *s, const mql_time *at,
		  size_t row_count, mql_error *err);

/* Adds one event (contact = row).  Order does not matter.  Cannot fail. */
void mql_accum_add(mql_accum *a, const mql_event *ev);

/* D_r(at[row]) of engagement rule index rule. */
double mql_accum_decayed(const mql_accum *a, size_t row, size_t rule);

/* min(max_count, D): the design column value of engagement rule rule. */
double mql_accum_unit(const mql_accum *a, size_t row, size_t rule);

/* sum over engagement rules of points * min(max_count, D) for row. */
double mql_accum_engagement_score(const mql_accum *a, size_t row);

void mql_accum_free(mql_accum *a);

/* ---- one contact's history: scores, crossing, ledger ------------------ */

typedef struct mql_score_result {
	double fit_score;	 /* fit sub-score (unclamped) */
	double engagement_score; /* engagement sub-score at as-of */
	double raw_score;	 /* fit + engagement */
	double score;		 /* raw_score clamped to score_limit */
	int mql;		 /* reached the threshold at or before as-of */
	mql_time mql_at;	 /* first crossing, MQL_TIME_NONE if none or
				    unknown */
	int32_t mql_event;	 /* index into the events passed of the event
				    that crossed, -1 for created_at or none */
	double mql_score;	 /* score at the crossing (NAN if none) */
	double probability;	 /* mql_score_probability(score) */
	char grade[4];		 /* "A2", or "" without grades */
} mql_score_result;

typedef enum mql_ledger_kind {
	MQL_LEDGER_FIT,	  /* a fit rule matched: weight = x */
	MQL_LEDGER_EVENT, /* an event counted: weight = w(as_of - time) */
	MQL_LEDGER_CAP,	  /* max_count took points away: weight = cap - D */
	MQL_LEDGER_LIMIT  /* score_limit took points away (rule NULL) */
} mql_ledger_kind;

/*
 * One audit row.  contribution = points * weight for fit, event and cap
 * rows; for a limit row it is clamped - raw score.  The contributions of a
 * contact add up to its score.  Rows with weight 0 (expired events) and
 * rules that do not match are not reported.
 */
typedef struct mql_ledger_row {
	mql_ledger_kind kind;
	uint32_t contact;     /* contacts row (or the caller's id) */
	mql_time at;	      /* created_at for fit rows, event time, or
				 as-of for cap and limit rows */
	const mql_rule *rule; /* NULL for the limit row */
	int32_t event;	      /* index into the events passed, or -1 */
	double points;	      /* rule points, NAN for the limit row */
	double weight;	      /* see mql_ledger_kind */
	double contribution;  /* points added to the score */
} mql_ledger_row;

/* Receives ledger rows; return 0 to go on, a negative status to stop. */
typedef int (*mql_ledger_fn)(void *ctx, const mql_ledger_row *row);

/*
 * Scores one contact from its fit score, created_at (or MQL_TIME_NONE) and
 * its events sorted by time (ties in any order; all with the same contact),
 * at as_of: sub-scores, score, crossing, grade, probability into *out.
 * When ledger is not NULL, calls it with the event, cap and limit rows
 * (fit rows need a contacts table: see mql_scorer_score_row).  The scorer
 * must be bound.  Returns 0, MQL_ERR_NOMEM, MQL_ERR_USAGE (unbound scorer
 * or events out of time order) or the ledger's negative status.
 */
int mql_scorer_score_events(mql_scorer *s, double fit_score,
			    mql_time created_at, const mql_event *events,
			    size_t count, mql_time as_of, mql_score_result *out,
			    mql_ledger_fn ledger, void *ctx);

/*
 * The same for contacts row, with fit score and created_at from the table
 * and fit rows in the ledger (first, in rule order).  events may be NULL
 * when count is 0.
 */
int mql_scorer_score_row(mql_scorer *s, size_t row, const mql_event *events,
			 size_t count, mql_time as_of, mql_score_result *out,
			 mql_ledger_fn ledger, void *ctx);

/*
 * The highest score a contact reaches up to as_of at its candidate times:
 * created_at (as-of when created_at is unknown or later), and the time of
 * each of its events some rule counts (with every event of that time).  It
 * is computed by the walk the crossing uses, in time linear in the events,
 * so a threshold T makes the contact an MQL exactly when *peak >= T.  The
 * rule file's own threshold plays no part.  Arguments as for
 * mql_scorer_score_events.  Returns 0, MQL_ERR_USAGE (unbound scorer,
 * events out of time order) or MQL_ERR_NOMEM.
 */
int mql_scorer_peak_events(mql_scorer *s, double fit_score, mql_time created_at,
			   const mql_event *events, size_t count,
			   mql_time as_of, double *peak);

/* The same for contacts row, fit score and created_at from the table. */
int mql_scorer_peak_row(mql_scorer *s, size_t row, const mql_event *events,
			size_t count, mql_time as_of, double *peak);

/* Receives the score of contacts row row, rows in order; returns 0 to go
 * on, a negative status to stop (MQL_ERR_IO: the output could not be
 * written). */
typedef int (*mql_score_emit_fn)(void *context, size_t row,
				 const mql_score_result *r);

/*
 * Scores every row of contacts with rules at as_of, over timeline (opened
 * MQL_TIMELINE_BY_CONTACT on the same contacts and not yet read), on
 * scorers threads (1 to 8) while this thread reads the timeline and hands
 * each row's result to emit in row order: the results of
 * mql_scorer_score_row, row by row.  *started gets the threads that could
 * start; when none could, nothing was read or emitted and the caller
 * scores on its own.  Returns 0, or the scorer's, the timeline's or emit's
 * status, with err filled.
 */
int mql_score_timeline_rows(mql_timeline *timeline, const mql_rules *rules,
			    const mql_contacts *contacts, mql_time as_of,
			    int scorers, mql_score_emit_fn emit, void *context,
			    int *started, mql_error *err);

#endif
