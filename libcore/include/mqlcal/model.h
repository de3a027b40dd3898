/*
 * model.h - the fitted model (model.json, "mqlcal.model/1") in memory.
 *
 * mql-fit fills an mql_model and writes it with mql_model_write; mql-rules
 * and mql-backtest read it with mql_model_read.  The struct mirrors the file
 * of SPEC.md ("Outputs that other programs read") key for key:
 *
 *   label, n, positives, intercept, coefficients[] (name, rule, estimate,
 *   std_error, z, p, ci_low, ci_high, odds_ratio, support), fit, validation
 *   (with calibration and the optional gains table), operating_points,
 *   warnings.
 *
 * Invariants and ownership:
 * - The model owns every string, array and cJSON tree it points to;
 *   mql_model_free releases them all.  Arrays grow through the mql_model_add_*
 *   helpers, which keep each count equal to its array's length.
 * - A coefficient's rule is the rule of the rule file without "points"
 *   (fit rules carry "property", engagement rules carry "event"); it is kept
 *   as a cJSON object so every key of the rule survives, and may be NULL for
 *   a feature that is no rule of a rule file.
 * - A statistic that is unknown or undefined is NAN in memory and null in the
 *   file; nothing non-finite is ever written as a number.
 * - Top-level keys this module does not know (half-life profiles, the
 *   fitter's notes) live in extra, an object, and are written back after the
 *   known keys, so additive keys survive a round trip.
 * - Output is deterministic: the same model gives the same bytes.
 */
#ifndef MQLCAL_MODEL_H
#define MQLCAL_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include <mqlcal/error.h>
#include <mqlcal/table.h>

#define MQL_MODEL_FORMAT "mqlcal.model/1"

/*
 * Bounds a read model keeps: every number is finite (or null); estimates,
 * the intercept's and the operating points' eta within
 * +-MQL_MODEL_MAX_ESTIMATE logits; standard errors >= 0.
 */
#define MQL_MODEL_MAX_ESTIMATE 1e6

/* A Wald estimate: SE = sqrt(diag(cov)), z = estimate / SE, two-sided p,
 * 95% CI estimate +- 1.959964 SE. */
typedef struct mql_model_estimate {
	double estimate;
	double std_error;
	double z;
	double p;
	double ci_low;
	double ci_high;
} mql_model_estimate;

/* A coefficient whose estimate is NAN (null in the file) is aliased: its
 * column is a copy or a combination of others and was left out of the fit
 * (R reports NA); every other statistic of it is NAN too. */
typedef struct mql_model_coefficient {
	char *name;  /* the rule id (a column of the design) */
	cJSON *rule; /* the rule without points, owned; may be NULL */
	mql_model_estimate value;
	double odds_ratio; /* exp(estimate) */
	long support;	   /* fitted rows where the feature is non-zero */
} mql_model_coefficient;

/*
 * "interval" says what every coefficient's p and CI are: "wald" (estimate
 * +- 1.959964 SE, p from z), "profile" (profile penalized likelihood,
 * after Firth) or "wald+half-life" (MQL_MODEL_HALF_LIFE_INTERVAL, below);
 * a file without the key is "wald".  The file also says
 * where the standard errors come from ("std_errors": "information", or
 * "penalized hessian" when l2 > 0), written from l2 and checked on read.
 */
typedef struct mql_model_fit {
	double log_likelihood;
	double deviance; /* -2 log_likelihood */
	double null_deviance;
	double aic; /* deviance + 2 edf */
	double edf; /* effective degrees of freedom: k, or with l2
		       trace(H (H + lambda D)^-1); NAN when unknown */
	long iterations;
	int converged; /* 0 or 1 */
	double l2;     /* lambda of the penalty lambda/2 ||beta||^2, 0 = none */
	char interval[16]; /* "wald", "profile" or "wald+half-life" */
} mql_model_fit;

/*
 * fit.interval when half-lives were estimated with the weights (mql-fit
 * --half-lives auto): each Wald interval widened to every value the profile
 * over any one half-life supports, p the larger of Wald's and that
 * profile's at 0 (so p < 0.05 exactly when the interval leaves 0 out).
 */
#define MQL_MODEL_HALF_LIFE_INTERVAL "wald+half-life"

/* One decile of predicted probability on the validation rows. */
typedef struct mql_model_calibration_bin {
	long bin; /* 1 = lowest predicted */
	long n;
	double predicted; /* mean predicted probability */
	double observed;  /* observed positive rate */
} mql_model_calibration_bin;

/* One score decile from the top (bin 1 = highest scores). */
typedef struct mql_model_gains_bin {
	long bin;
	long n;
	long positives;
	double captured; /* cumulative share of all positives, 0..1 */
	double lift;	 /* the bin's positive rate over the base rate */
} mql_model_gains_bin;

typedef struct mql_model_validation {
	char method[16]; /* "holdout", "folds" or "none" */
	long n;		 /* validation rows */
	double auc;
	double auc_ci[2]; /* DeLong 95% */
	double log_loss;
	double brier;
	mql_model_calibration_bin *calibration;
	size_t calibration_count;
	mql_model_gains_bin *gains; /* optional ("gains" key), may be empty */
	size_t gains_count;
} mql_model_validation;

/*
 * The model's predictions on its own fitted rows, cut at a linear predictor
 * eta: rows with eta >= cut are "above".  Sorted by eta descending (so above
 * grows), one per distinct eta or per quantile of eta.
 */
typedef struct mql_model_operating_point {
	double eta;
	long above;
	long positives_above;
	double precision; /* positives_above / above */
	double recall;	  /* positives_above / positives */
} mql_model_operating_point;

typedef struct mql_model {
	char *label;	 /* "sal", "sql", ... or the --outcome column */
	char *fitted_at; /* ISO 8601 time of the fit, optional (NULL) */
	long n;		 /* fitted rows */
	long positives;
	mql_model_estimate intercept;
	mql_model_coefficient *coefficients;
	size_t coefficient_count;
	mql_model_fit fit;
	mql_model_validation validation;
	mql_model_operating_point *operating_points;
	size_t operating_point_count;
	char **warnings;
	size_t warning_count;
	cJSON *extra; /* unknown top-level keys, an object; never NULL */
	/* internal: capacities of the growing arrays */
	size_t coefficient_capacity;
	size_t operating_point_capacity;
	size_t warning_capacity;
} mql_model;

/*
 * A new empty model: label "sal", every statistic NAN, method "none", no
 * arrays.  NULL when out of memory.  Free with mql_model_free.
 */
mql_model *mql_model_new(void);

/* Frees the model and everything it owns.  m may be NULL. */
void mql_model_free(mql_model *m);

/* Replaces the label (copied).  Returns 0 or MQL_ERR_NOMEM. */
int mql_model_set_label(mql_model *m, const char *label);

/* Replaces fitted_at (copied, NULL clears).  Returns 0 or MQL_ERR_NOMEM. */
int mql_model_set_fitted_at(mql_model *m, const char *fitted_at);

/*
 * Appends a coefficient named name (copied) with rule (ownership taken,
 * even on failure; may be NULL) and every statistic NAN.  Returns the new
 * coefficient, valid until the next append, or NULL when out of memory.
 */
mql_model_coefficient *mql_model_add_coefficient(mql_model *m, const char *name,
						 cJSON *rule);

/* Appends an operating point.  Returns 0 or MQL_ERR_NOMEM. */
int mql_model_add_operating_point(mql_model *m,
				  const mql_model_operating_point *point);

/* Appends a warning (printf-style, copied).  Returns 0, MQL_ERR_NOMEM, or
 * MQL_ERR_INTERNAL when the C library cannot format the arguments. */
int mql_model_add_warning(mql_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Sizes the calibration (and gains) tables to count zeroed bins, replacing
 * what was there.  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_model_set_calibration_count(mql_model *m, size_t count);
int mql_model_set_gains_count(mql_model *m, size_t count);

/* Where f's standard errors come from: "penalized hessian" when l2 > 0,
 * else "information".  Never NULL. */
const char *mql_model_std_errors(const mql_model_fit *f);

/* The coefficient named name (exact), or NULL. */
const mql_model_coefficient *mql_model_find(const mql_model *m,
					    const char *name);

/* Writes the model, pretty-printed with a final newline, to fp.  Returns 0,
 * MQL_ERR_NOMEM or MQL_ERR_IO. */
int mql_model_write(const mql_model *m, FILE *fp, mql_error *err);

/*
 * Parses text[0..len) as model.json.  name is the file name for messages.
 * Checks "format", the types of every known key and that coefficients have
 * names; a fault is MQL_ERR_INPUT with a message naming the JSON path
 * ("coefficients[2].estimate: expected a number").  *out belongs to the
 * caller.
 */
int mql_model_parse(mql_model **out, const char *text, size_t len,
		    const char *name, mql_error *err);

/*
 * Reads path ("-" = stdin).  Returns 0, MQL_ERR_NOFILE, MQL_ERR_IO,
 * MQL_ERR_INPUT (not JSON: the line and column of the fault; wrong keys: the
 * JSON path) or MQL_ERR_NOMEM.
 */
int mql_model_read(mql_model **out, const char *path, mql_error *err);

/* Linear predictor b0 + sum b_j x_j for x of coefficient_count values;
 * aliased coefficients count as 0. */
double mql_model_eta(const mql_model *m, const double *x);

/*
 * The model's tables as flat tables (table.h formats but html), for
 * notebooks; an unknown statistic is an empty cell (null in json).
 *
 * coefficients: one row per coefficient, the intercept first:
 *   rule ("(intercept)" or the rule id), estimate, std_error, z, p,
 *   ci_low, ci_high, odds_ratio, support (odds_ratio and support empty for
 *   the intercept), interval (what p and the CI are: fit.interval, "wald"
 *   or "profile"), and in csv and json kind ("intercept", "fit",
 *   "engagement", or "feature" for a coefficient without a rule)
 * calibration: validation.calibration, bin (1 = lowest predicted), n,
 *   predicted, observed
 * gains: validation.gains, bin (1 = highest scores), n, positives,
 *   captured, lift
 *
 * A model without validation writes the header only.  Returns 0,
 * MQL_ERR_NOMEM or MQL_ERR_IO.
 */
int mql_model_write_coefficients(const mql_model *m, FILE *fp,
				 mql_format format, mql_error *err);
int mql_model_write_calibration(const mql_model *m, FILE *fp, mql_format format,
				mql_error *err);
int mql_model_write_gains(const mql_model *m, FILE *fp, mql_format format,
			  mql_error *err);

#endif
