/*
 * fit.h - from a design matrix of leads to model.json: half-life search,
 * the logistic fit, validation and warnings, and the summary an analyst
 * reads.
 *
 * The steps (mql_fit_run):
 *   1. with half_lives_auto, each engagement rule's half-life is chosen
 *      from the grid of features.h by held-out log-likelihood, a few passes
 *      of coordinate search (each rule in turn tries every grid value with
 *      the others fixed on the first pass, its current value and grid
 *      neighbours on later ones; passes stop when no choice changes, at
 *      most MQL_FIT_SEARCH_PASSES).  The held-out log-likelihood is summed over
 *      5 stratified folds of the training rows (every training row is held
 *      out once): a single held-out fifth proved too noisy to tell
 *      neighbouring half-lives apart.  Rows of a time holdout are never
 *      used by the search, so its validation stays honest; with --folds
 *      the validation reuses rows the search has seen (slightly
 *      optimistic).  The chosen value and each rule's profile (held-out
 *      log-likelihood per grid value, from the first pass) go into
 *      model.json under "half_lives", the rows and folds under
 *      "half_life_search".
 *   1b. when the events can be read again (events_path), the half-lives are
 *      then estimated with the weights by one maximum likelihood: each
 *      engagement rule's column min(cap, sum 2^(-age/h)) is differentiable
 *      in theta = log h, and Newton's method on (weights, theta), started
 *      from the grid's choice, reads the events once per evaluation
 *      (memory rows x rules).  The caps make the likelihood only piecewise
 *      smooth in theta (a row's column stops moving where it reaches its
 *      cap), and its maximum often sits on such a kink, where the gradient
 *      never vanishes: steps are backtracked, and a step that had to be
 *      cut and moved the estimates less than 0.01 standard error while
 *      gaining less than 0.001 is the last ("half_life_fit" says why it
 *      stopped, after how many steps and reads).  The intervals of the weights
 * then come from the inverse observed information of (weights, theta) at the
 *      optimum, so they account for the half-lives having been estimated
 *      (model.json "intervals").  After a stop on a kink a pattern search
 *      of each log half-life, the weights refitted at every probe (one
 *      read of the events probes every rule twice), polishes the maximum.
 *      Each half-life gets a 95% profile-likelihood interval: the log
 *      half-lives where the log-likelihood, the weights refitted and the
 *      other half-lives at their estimates, stays within qchisq(0.95, 1)/2
 *      of its maximum once its drop is scaled by s = (variance of the log
 *      half-life with the others fixed) / (its joint variance), both from
 *      the covariance (so that it is the drop of the profile re-maximizing
 *      the other half-lives too where the log-likelihood is quadratic in
 *      them; model.json "std_error_log_others_fixed" is sqrt(s) times
 *      "std_error_log"), the first crossing outward on each side, unless the
 *      far end (0.01 days; no decay) is itself within: then 0, or an
 *      infinite upper limit (null and "ci_high_infinite").  Beyond rows x
 *      weights^2 x rules = 2e8 the intervals are Wald's on the log scale,
 *      with a warning.  A rule whose half-life heads past
 *      MQL_RULE_MAX_DAYS takes no decay (its interval then runs from its
 *      profile's lower limit to infinity); one below half a day, an
 *      aliased rule and one whose weight runs away keep the grid's choice
 *      (none of these is then estimated).  Only exponential decay is
 *      estimated: the grid replaces every rule's decay by a half-life or
 *      none, and a lifespan or window decay, whose weight has a kink or a
 *      step in its length, has no such derivative.  Not done after Firth's fit
 * (separation), whose intervals take the grid's half-lives as known (a warning
 *      says so).  "half_lives" entries get the estimate, "std_error_log",
 *      "ci_low", "ci_high" (days), "ci_high_infinite", "interval"
 *      ("profile" or "wald") and "grid_half_life_days"; the fit's notes go
 *      under "half_life_fit".  With the profile, every weight's interval
 *      is Wald's widened to the values the profile over any one half-life
 *      supports (fit.interval "wald+half-life", model.h).
 *   2. the model is fitted (logit.h) on the training rows: all rows, or
 *      those before the holdout.
 *   3. validation: the holdout's predictions, or out-of-fold predictions of
 *      k fits on the other folds; AUC with DeLong CI, log-loss, Brier,
 *      calibration and gains by decile.
 *   4. operating points on the fitted rows (at most MQL_FIT_OPERATING_POINTS,
 *      evenly spaced in rank), for mql-rules' thresholds.
 *   5. warnings: the features' (discovery, missing events), the engine's
 *      (aliased and separated columns by name), fewer than 20 positives,
 *      rules with fewer than min_support rows, events left out because they
 *      came after the decision time.
 *
 * The model owns nothing of the features; the features' rules get the
 * chosen decays (so the coefficients' rules carry them).
 */
#ifndef MQLCAL_FIT_H
#define MQLCAL_FIT_H

#include <stddef.h>
#include <stdio.h>

#include <mqlcal/contacts.h>
#include <mqlcal/csv.h>
#include <mqlcal/error.h>
#include <mqlcal/features.h>
#include <mqlcal/logit.h>
#include <mqlcal/model.h>
#include <mqlcal/population.h>
#include <mqlcal/table.h>

#define MQL_FIT_SEARCH_PASSES	 3
#define MQL_FIT_OPERATING_POINTS 200
#define MQL_FIT_MIN_POSITIVES	 20

/* Told how far the half-life search is: rule (0-based) of rules, pass. */
typedef void (*mql_fit_progress_fn)(void *ctx, size_t rule, size_t rules,
				    int pass);

typedef struct mql_fit_options {
	double l2;	     /* ridge lambda, 0 = none */
	int half_lives_auto; /* choose half-lives (features need the grid) */
	size_t min_support;  /* rules with fewer rows are warned about */
	unsigned long seed;  /* for the internal split of the search */
	const char *label;   /* model.json "label" */
	mql_fit_progress_fn progress; /* NULL = none */
	void *progress_ctx;
	/* The events to read again for step 1b (NULL: the grid's half-lives
	 * are taken as known), with the contacts and CSV options they were
	 * read with and the reading threads (as mql_events_summarize). */
	const char *events_path;
	const mql_contacts *contacts;
	const mql_csv_options *csv;
	int threads;
} mql_fit_options;

/* Fills o with the defaults: no penalty, keep half-lives, 20, seed 1. */
void mql_fit_options_init(mql_fit_options *o);

/*
 * Runs steps 1-5 on features f of population p (split already assigned in
 * p->fold / p->fold_count).  The model's fitted_at is p->as_of, the time
 * the history describes, so a refit of the same history is identical.  Returns
 * 0 with *out a new model, or MQL_ERR_INPUT when the population is empty or the
 * training rows have no positives or no negatives (err says which),
 * MQL_ERR_NOMEM, MQL_ERR_INTERNAL (the engine failed; err says why).
 */
int mql_fit_run(mql_model **out, mql_features *f, const mql_population *p,
		const mql_fit_options *opt, mql_error *err);

/*
 * Fits f's design on the rows with weight > 0 (weights NULL = all rows)
 * with the engine's defaults, l2 and the rule ids as names.  Returns what
 * mql_logit_fit returns.
 */
int mql_fit_weighted(mql_logit_result **out, const mql_features *f,
		     const mql_population *p, const double *weights, double l2,
		     mql_error *err);

/*
 * Step 1 alone: chooses each engagement rule's half-life (f must carry the
 * grid variants), leaves the choice set in f and records "half_lives" and
 * "half_life_search" in m->extra.  Returns 0 or an error of the fits.
 */
int mql_fit_choose_half_lives(mql_model *m, mql_features *f,
			      const mql_population *p,
			      const mql_fit_options *opt, mql_error *err);

/* The result of step 1b: estimated half-lives and one covariance matrix. */
typedef struct mql_fit_joint mql_fit_joint;

/*
 * Step 1b on the rows with weight > 0, after step 1 (f carries the grid's
 * choice): estimates the half-lives with the weights, leaves them in f's
 * rules and columns and records them in m's "half_lives" and
 * "half_life_fit".  *out receives the covariance for mql_fit_joint_apply,
 * or NULL when the joint fit does not apply (Firth's fit; a warning in m
 * says so).  Returns 0, or an error of the fit or of reading the events.
 */
int mql_fit_joint_half_lives(mql_fit_joint **out, mql_model *m, mql_features *f,
			     const mql_population *p, const double *weights,
			     const mql_fit_options *opt, mql_error *err);

/*
 * Replaces the standard errors, z, p and intervals of m's intercept and
 * coefficients (filled from the fit at the estimated half-lives) by those
 * of the joint covariance, and sets m's "intervals".  Returns 0 or
 * MQL_ERR_NOMEM.
 */
int mql_fit_joint_apply(mql_model *m, const mql_fit_joint *j);

/* Frees j.  j may be NULL. */
void mql_fit_joint_free(mql_fit_joint *j);

/*
 * Writes the summary of model m as text: population and label, the
 * coefficient table (estimate, SE, z, p, CI, odds ratio, support; in
 * format, table by default), fit statistics, validation, half-lives and
 * warnings.  Returns 0 or MQL_ERR_IO.
 */
int mql_fit_summary_write(FILE *fp, const mql_model *m, mql_format format,
			  mql_error *err);

#endif
