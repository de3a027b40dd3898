/*
 * validate.h - how well predicted probabilities rank and fit 0/1 outcomes.
 *
 * Engines over plain arrays: a score or probability per row and the row's
 * outcome y (0.0 or 1.0).  They know nothing about leads.
 *
 *   AUC           Mann-Whitney statistic, ties counted one half, with
 *                 DeLong's variance and 95% CI (as R pROC::ci.auc(method =
 *                 "delong"), direction "<": higher score = positive),
 *                 the CI clipped to [0, 1].
 *   log-loss      mean of -[y ln p + (1 - y) ln(1 - p)], with p clipped to
 *                 [1e-15, 1 - 1e-15] so a confident miss costs about 34.5
 *                 instead of infinity.
 *   Brier         mean of (p - y)^2.
 *   calibration   rows sorted by predicted probability (ascending, ties in
 *                 row order) and cut into equal-count bins (bin b of B holds
 *                 ranks [b n / B, (b + 1) n / B)): n, mean predicted,
 *                 observed rate.
 *   gains         the same cut from the top score down: bin 1 is the top
 *                 tenth.  Per bin: rows, positives, rate, share of all
 *                 positives captured (and cumulated), lift = rate / base rate.
 *   operating     for every distinct score s (descending): rows with
 *   points        score >= s, positives among them, precision, recall.
 *   folds         a deterministic stratified k-fold assignment.
 *
 * Every number returned is finite: where a quantity is undefined (no
 * positives, an empty bin) it is 0 and a flag or a count says so.
 * Functions never allocate except where they say so; what they allocate
 * belongs to the caller.
 */
#ifndef MQLCAL_VALIDATE_H
#define MQLCAL_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/error.h>

/* Bins of the calibration and gains tables in mql_validation. */
#define MQL_VALIDATE_BINS 10

/* Area under the ROC curve with DeLong's 95% interval. */
typedef struct mql_auc {
	double auc;	  /* P(score+ > score-) + 1/2 P(tie) */
	double std_error; /* sqrt of DeLong's variance */
	double ci_low;	  /* max(0, auc - MQL_LOGIT_Z95 se) */
	double ci_high;	  /* min(1, auc + MQL_LOGIT_Z95 se) */
	size_t positives; /* rows with y = 1 */
	size_t negatives; /* rows with y = 0 */
} mql_auc;

/* One bin of a calibration table (bin 1 = lowest predictions). */
typedef struct mql_calibration_bin {
	int bin;	  /* 1-based */
	size_t n;	  /* rows in the bin (0 when n < bins) */
	double predicted; /* mean predicted probability, 0 if empty */
	double observed;  /* share of y = 1, 0 if empty */
} mql_calibration_bin;

/* One bin of a gains table (bin 1 = highest scores). */
typedef struct mql_gains_bin {
	int bin;		    /* 1-based, from the top */
	size_t n;		    /* rows in the bin */
	size_t positives;	    /* rows with y = 1 in the bin */
	double rate;		    /* positives / n, 0 if empty */
	double captured;	    /* positives / all positives */
	double cumulative_captured; /* captured by bins 1..bin */
	double lift;		    /* rate / base rate, 0 if undefined */
} mql_gains_bin;

/* A gains table with its headline comparison. */
typedef struct mql_gains {
	size_t bins;			      /* entries used in bin[] */
	mql_gains_bin bin[MQL_VALIDATE_BINS]; /* top first */
	double base_rate;		      /* all positives / all rows */
	double top_rate;		      /* rate of bin 1 */
	double bottom_rate;		      /* rate of the last bin */
	double top_bottom_ratio; /* top_rate / bottom_rate, 0 if undefined */
	int top_bottom_defined;	 /* 0 when bottom_rate is 0 */
} mql_gains;

/* Rows at or above one score cut. */
typedef struct mql_operating_point {
	double eta;		/* the cut: rows with score >= eta count */
	size_t above;		/* rows with score >= eta */
	size_t positives_above; /* of which y = 1 */
	double precision;	/* positives_above / above */
	double recall;		/* positives_above / all positives (0 if
				   there are none) */
} mql_operating_point;

/* Everything mql-fit reports about one set of held-out predictions. */
typedef struct mql_validation {
	size_t n;	  /* rows */
	size_t positives; /* rows with y = 1 */
	mql_auc auc;
	double log_loss;
	double brier;
	size_t calibration_bins; /* entries used (MQL_VALIDATE_BINS) */
	mql_calibration_bin calibration[MQL_VALIDATE_BINS];
	mql_gains gains;
} mql_validation;

/*
 * AUC of score against y over n rows, with DeLong's standard error and 95%
 * CI.  O(n log n); allocates scratch and frees it.  Errors: MQL_ERR_USAGE
 * for NULL arrays, MQL_ERR_INPUT when y is not 0/1, a score is not finite,
 * or there are no positives or no negatives (the AUC is undefined),
 * MQL_ERR_NOMEM.  With one positive or one negative the AUC is returned
 * with std_error 0 and the CI collapsed onto it (DeLong's variance needs
 * two of each).
 */
int mql_validate_auc(mql_auc *out, const double *score, const double *y,
		     size_t n, mql_error *err);

/*
 * Mean log-loss and Brier score of probabilities prob against y.  Either
 * output may be NULL.  Errors: MQL_ERR_USAGE (NULL arrays), MQL_ERR_INPUT
 * (n = 0, y not 0/1, prob outside [0, 1] or not finite).
 */
int mql_validate_log_loss_brier(double *log_loss_out, double *brier_out,
				const double *prob, const double *y, size_t n,
				mql_error *err);

/*
 * Calibration table of prob against y in `bins` equal-count bins, written
 * to out[0..bins).  Allocates scratch.  Errors: MQL_ERR_USAGE (NULL, bins
 * 0), MQL_ERR_INPUT (n = 0, y not 0/1, prob not finite), MQL_ERR_NOMEM.
 */
int mql_validate_calibration(mql_calibration_bin *out, size_t bins,
			     const double *prob, const double *y, size_t n,
			     mql_error *err);

/*
 * Gains table of score against y in `bins` (<= MQL_VALIDATE_BINS)
 * equal-count bins from the top score down (ties in row order).  Errors as
 * mql_validate_calibration.
 */
int mql_validate_gains(mql_gains *out, size_t bins, const double *score,
		       const double *y, size_t n, mql_error *err);

/*
 * One operating point per distinct score, highest first: *out receives a
 * new array of *count points (free with free()).  Errors: MQL_ERR_USAGE,
 * MQL_ERR_INPUT (n = 0, y not 0/1, a score not finite), MQL_ERR_NOMEM;
 * *out is NULL and *count 0 on error.
 */
int mql_validate_operating_points(mql_operating_point **out, size_t *count,
				  const double *score, const double *y,
				  size_t n, mql_error *err);

/*
 * All of the above for linear predictors eta (probability = logistic(eta))
 * against y: AUC with CI, log-loss, Brier, calibration and gains by
 * MQL_VALIDATE_BINS.  Errors as mql_validate_auc (a held-out set without
 * positives or without negatives is refused: its AUC is undefined).
 */
int mql_validate_all(mql_validation *out, const double *eta, const double *y,
		     size_t n, mql_error *err);

/*
 * Deterministic stratified k-fold assignment: fold_out[i] in [0, k) for
 * each of n rows.  Rows are shuffled by a fixed generator seeded with seed,
 * then dealt round-robin, positives and negatives separately (when y is
 * NULL, all rows together), so fold sizes and positive counts differ by at
 * most one.  The same (n, k, seed, y) always gives the same folds.
 * Errors: MQL_ERR_USAGE (NULL fold_out, k < 2, k > n), MQL_ERR_NOMEM.
 */
int mql_validate_folds(size_t *fold_out, size_t n, size_t k, uint64_t seed,
		       const double *y, mql_error *err);

#endif
