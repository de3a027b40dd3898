/*
 * points.h - a fitted model turned into integer points and a threshold.
 *
 * The model and the rule file are the same function (SPEC): logit P = b0 +
 * sum b_j x_j, and score = sum points_j x_j.  As credit scorecards do, one
 * factor B (points per unit of logit) scales every coefficient:
 *
 *   B = pdo / ln 2                 (--pdo: pdo points double the odds), or
 *   B = T / (eta* - b0)            (--threshold-points T: the chosen cut
 *                                   eta* lands on T points)
 *   points_j  = round(B * b_j)     half away from zero (C's round())
 *   threshold = round(B * (eta* - b0))
 *
 * where eta* is the linear predictor of the chosen operating point (one of
 * the model's operating points on its own rows: the highest-recall point
 * with precision >= P, the highest cut with recall >= R, or by default the
 * point maximising Youden's J = recall - false positive rate).  The rule
 * file's calibration is points_per_logit = B and logit_at_threshold = b0 +
 * threshold / B, so probability(score) = logistic(b0 + score / B) exactly
 * for the unrounded points.
 *
 * Rounding moves each row's logit by sum_j (points_j / B - b_j) x_j.  The
 * largest change in predicted probability is bounded without the data by
 * 1/4 of sum |points_j / B - b_j| max|x_j| (the logistic's slope is at most
 * 1/4; max|x_j| is 1 for 0/1 rules and max_count for capped engagement
 * rules; unbounded when an engagement rule has no cap); given the rows
 * (mql_points_evaluate) it is measured exactly.
 *
 * Ownership: an mql_points owns its arrays and strings (mql_points_free);
 * it keeps pointers to nothing of the model.  Every function that can fail
 * returns 0 or a negative mql_status and fills err.
 */
#ifndef MQLCAL_POINTS_H
#define MQLCAL_POINTS_H

#include <stddef.h>

#include <mqlcal/error.h>
#include <mqlcal/model.h>
#include <mqlcal/rules.h>
#include <mqlcal/table.h>

typedef enum mql_points_target {
	MQL_POINTS_TARGET_YOUDEN,    /* default: max recall - FPR */
	MQL_POINTS_TARGET_PRECISION, /* value = minimum precision */
	MQL_POINTS_TARGET_RECALL,    /* value = minimum recall */
	MQL_POINTS_TARGET_FIXED	     /* the caller sets the threshold
					(mql_points_set_threshold), e.g. from
					a capacity replay */
} mql_points_target;

/*
 * Bounds of the scale: pdo from 1 to 1000 points, threshold_points from 1
 * to MQL_POINTS_MAX_THRESHOLD; whatever the scale, no rule may get more
 * than MQL_RULE_MAX_POINTS points (rules.h), nor B exceed it.
 */
#define MQL_POINTS_MIN_PDO	 1.0
#define MQL_POINTS_MAX_PDO	 1000.0
#define MQL_POINTS_MAX_THRESHOLD 1e6

typedef struct mql_points_options {
	double pdo; /* points that double the odds (bounds above) */
	double threshold_points; /* B puts the cut there (bounds above); NAN =
				    pdo */
	mql_points_target target;
	double target_value; /* precision or recall in (0, 1] */
} mql_points_options;

/* Defaults: pdo 20, no threshold_points, Youden's J. */
void mql_points_options_init(mql_points_options *o);

/* One coefficient as points. */
typedef struct mql_points_rule {
	char *id;	   /* the coefficient name = rule id */
	double estimate;   /* b_j; 0 for an aliased coefficient */
	double scaled;	   /* B * b_j, before rounding */
	double points;	   /* round(scaled), half away from zero */
	double max_unit;   /* max |x_j| for the rounding bound (INFINITY
			      when unbounded) */
	int is_engagement; /* the rule counts events */
	int aliased;	   /* the model could not estimate it: 0 points */
	int kept;	   /* the previous points kept: the model's 95% CI
			      covers their weight (mql_points_keep_supported) */
} mql_points_rule;

typedef struct mql_points {
	double factor;	  /* B: points per unit of logit */
	double intercept; /* b0 */
	double cut_eta;	  /* eta* of the chosen operating point */
	double threshold; /* integer points */
	double logit_at_threshold;
	mql_model_operating_point chosen; /* precision and recall expected */
	int has_chosen;			  /* 0 for a fixed threshold without a
					     matching operating point */
	mql_points_rule *rules;
	size_t rule_count;
	double rounding_bound; /* bound on the change in probability */
} mql_points;

/* Rounds half away from zero (2.5 -> 3, -2.5 -> -3).  Cannot fail. */
double mql_points_round(double x);

/*
 * Points and threshold of model m with opt.  Errors: MQL_ERR_USAGE (pdo or
 * target out of range; a threshold_points cut at or below b0, where no
 * positive factor exists, or so close above it that B passes
 * MQL_RULE_MAX_POINTS), MQL_ERR_INPUT (the model has no operating points,
 * or none reaches the target: the message gives the best reachable value;
 * a coefficient worth more than MQL_RULE_MAX_POINTS points),
 * MQL_ERR_NOMEM.  *out belongs to the caller.
 */
int mql_points_from_model(mql_points **out, const mql_model *m,
			  const mql_points_options *opt, mql_error *err);

/*
 * Replaces the threshold by threshold points (integer) and updates
 * cut_eta, logit_at_threshold and the chosen operating point (the model's
 * point with the lowest eta >= the new cut; has_chosen 0 when none).
 */
void mql_points_set_threshold(mql_points *p, const mql_model *m,
			      double threshold);

/* Frees p.  p may be NULL. */
void mql_points_free(mql_points *p);

/* The rule of id, or NULL. */
const mql_points_rule *mql_points_find(const mql_points *p, const char *id);

/* ---- comparing the rounded points with the model on rows ------------- */

/* The model's logit b0 + sum b_j x_j and the rule file's score
 * sum points_j x_j of one row x (rule_count values, in p's order). */
double mql_points_row_eta(const mql_points *p, const double *x);
double mql_points_row_score(const mql_points *p, const double *x);

typedef struct mql_points_evaluation {
	size_t rows;
	double max_probability_change; /* max |p(rounded) - p(model)| */
	double spearman;	       /* rank correlation score vs eta */
	double auc_model;	       /* AUC of eta against y */
	double auc_points;	       /* AUC of the integer score */
	int auc_defined;	       /* 0 without both outcomes */
} mql_points_evaluation;

/*
 * Evaluates the rounded points on rows: x is row-major rows x rule_count
 * in the order of p->rules, y is 0/1 (may be NULL: no AUC).  Errors:
 * MQL_ERR_INPUT (fewer than 2 rows, values not finite), MQL_ERR_NOMEM.
 */
int mql_points_evaluate(mql_points_evaluation *out, const mql_points *p,
			const double *x, const double *y, size_t rows,
			mql_error *err);

/* ---- the change table against the previous rule file ----------------- */

enum mql_change_flag {
	MQL_CHANGE_NEW = 1 << 0,	    /* not in the previous file */
	MQL_CHANGE_DROPPED = 1 << 1,	    /* in the previous file only */
	MQL_CHANGE_SIGN_FLIPPED = 1 << 2,   /* sign differs from before */
	MQL_CHANGE_CI_SPANS_ZERO = 1 << 3,  /* not distinguishable from 0 */
	MQL_CHANGE_ROUNDS_TO_ZERO = 1 << 4, /* fitted, but 0 points */
	MQL_CHANGE_ALIASED = 1 << 5,	    /* not estimable: 0 points */
	MQL_CHANGE_KEPT = 1 << 6,	    /* old points kept: the evidence
					       does not contradict them */
	MQL_CHANGE_UNDETERMINED = 1 << 7    /* CI spans 0 and runs past
					       MQL_CHANGE_UNDETERMINED_ODDS */
};

/* The odds ratio (and its inverse) past which a CI that spans 0 leaves a
 * weight not determined: the history bounds neither its sign nor its
 * size. */
#define MQL_CHANGE_UNDETERMINED_ODDS 1000.0

/* A previous rule: its id and points (from the rule file in use). */
typedef struct mql_points_previous {
	const char *id;
	double points;
} mql_points_previous;

typedef struct mql_points_change {
	char *id;
	double old_points;	/* NAN for a new rule */
	double new_points;	/* NAN for a dropped rule */
	double estimate;	/* model numbers, NAN for a dropped rule */
	double estimate_points; /* B * estimate, before rounding */
	double ci_low, ci_high, odds_ratio, p_value;
	long support;
	unsigned flags; /* enum mql_change_flag */
	char *reason;	/* one plain sentence */
} mql_points_change;

typedef struct mql_points_changes {
	mql_points_change *rows;
	size_t count;
} mql_points_changes;

/*
 * Keeps a rule's previous points where the history cannot tell them from
 * the fit: when the old points' weight (old points / B) lies inside the
 * coefficient's 95% confidence interval, moving the points would chase
 * noise (an email open going from +1 to -2 on a CI that spans both), so
 * the rule keeps its old points and is marked kept.  Rules that are new,
 * aliased or whose interval excludes the old weight take the fitted
 * points.  The rounding bound is updated for the kept points.  Returns
 * how many rules were kept.  Cannot fail.
 */
size_t mql_points_keep_supported(mql_points *p, const mql_model *m,
				 const mql_points_previous *previous,
				 size_t previous_count);

/*
 * The change table: every rule of p (with the model's evidence) and every
 * previous rule the model lacks, sorted by the size of the change in points
 * (largest first; new and dropped rules by their points), ties by id.
 * previous is NULL when there is no previous rule file (then no rule is
 * flagged new).  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_points_compare(mql_points_changes *out, const mql_points *p,
		       const mql_model *m, const mql_points_previous *previous,
		       size_t previous_count, const char *label);

/* The change in points, new minus old: a new rule's points, minus a
 * dropped rule's. */
double mql_points_change_points(const mql_points_change *c);

/* Frees the rows (not the struct).  c may be NULL. */
void mql_points_changes_release(mql_points_changes *c);

/* "sign flipped; CI spans 0" style text of flags into buf.  Returns buf. */
char *mql_points_flags_text(unsigned flags, char *buf, size_t n);

/*
 * Writes the change table in format (table.h; not html) to fp, one row per
 * change: rule, old_points, new_points, change, estimate, ci_low, ci_high,
 * odds_ratio, p, support, flags, reason.  Returns 0, MQL_ERR_NOMEM or
 * MQL_ERR_IO.
 */
int mql_points_changes_write(const mql_points_changes *changes, FILE *fp,
			     mql_format format, mql_error *err);

/*
 * The previous rules' ids and points from the rule file in use, fit rules
 * first: *out (count entries) belongs to the caller (free) and points into
 * r, which must outlive it.  Returns 0 or MQL_ERR_NOMEM.
 */
int mql_points_previous_of(mql_points_previous **out, size_t *count,
			   const mql_rules *r);

#endif
