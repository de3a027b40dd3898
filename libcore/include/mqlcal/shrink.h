/*
 * shrink.h - small-group statistics: empirical-Bayes beta-binomial
 * shrinkage, exact binomial tests and Benjamini-Hochberg q-values.
 *
 * An engine: it takes arrays of counts and returns numbers, and knows
 * nothing of leads or channels.  Groups i = 0..count-1 have successes[i]
 * out of trials[i] (successes <= trials).  A Beta(alpha, beta) prior is
 * fitted across the groups; each group's rate is then the posterior mean
 * (x + alpha) / (n + alpha + beta) with an equal-tailed interval from the
 * Beta(x + alpha, n - x + beta) quantiles.
 *
 * Degenerate input never produces NaN, infinity or a crash:
 *  - no between-group variation (the moment estimate of the intra-group
 *    correlation is <= 0, or the likelihood keeps rising as alpha + beta
 *    grows) caps the prior strength alpha + beta at the total number of
 *    trials, and says so in mql_beta_prior.capped;
 *  - an overall rate of 0 or 1 (no successes anywhere, or no failures) is
 *    replaced by (X + 0.5) / (N + 1), so both prior parameters stay > 0,
 *    and the likelihood fit keeps the moment estimate;
 *  - fewer than two groups with trials, or no trials at all, is
 *    MQL_ERR_INPUT with a message (there is nothing to fit across).
 * Groups with zero trials take no part in the fit and get the prior mean.
 *
 * Nothing here allocates memory the caller must free.
 */
#ifndef MQLCAL_SHRINK_H
#define MQLCAL_SHRINK_H

#include <stddef.h>

#include <mqlcal/error.h>

typedef enum mql_beta_method {
	MQL_BETA_MOMENTS,	/* method of moments (closed form) */
	MQL_BETA_MAX_LIKELIHOOD /* maximum marginal likelihood */
} mql_beta_method;

/* The fits of the prior by name (--prior), NULL-ended: "ml" (maximum
 * likelihood), "moments". */
extern const char *const mql_beta_method_names[];

/* Reads an mql_beta_method_names entry into *method.  Returns 0, or -1
 * leaving it as it was. */
int mql_beta_method_parse(const char *name, mql_beta_method *method);

typedef struct mql_beta_prior {
	double alpha, beta;	/* the fitted prior, both > 0 */
	double mean;		/* alpha / (alpha + beta) */
	double pooled_rate;	/* sum successes / sum trials */
	double rho;		/* intra-group correlation 1 / (alpha+beta+1) */
	mql_beta_method method; /* what produced alpha and beta */
	int capped;		/* prior strength was capped (no variation) */
	int iterations;		/* likelihood search steps (0 for moments) */
} mql_beta_prior;

/*
 * Fits Beta(alpha, beta) by the method of moments for unequal group sizes:
 * with N = sum n_i, k groups with n_i > 0, m = X / N and
 * S = sum n_i (x_i / n_i - m)^2,
 *     rho = (S / (m (1 - m)) - (k - 1)) / (N - sum n_i^2 / N - (k - 1)),
 * alpha + beta = 1 / rho - 1, alpha = m (alpha + beta).  (E[S] under the
 * beta-binomial is m (1 - m) [(k - 1) + rho (N - sum n_i^2 / N - (k - 1))].)
 * rho <= 0 caps alpha + beta at N; rho near 1 floors it at
 * MQL_BETA_MIN_STRENGTH.  Returns 0 or MQL_ERR_INPUT (err says why).
 */
int mql_shrink_fit_moments(mql_beta_prior *out, const double *successes,
			   const double *trials, size_t count, mql_error *err);

/*
 * Fits Beta(alpha, beta) by maximising the beta-binomial marginal
 * log-likelihood sum_i [lnB(x_i + alpha, n_i - x_i + beta) - lnB(alpha,
 * beta)] over (logit mean, log strength) with a Nelder-Mead simplex started
 * at the moment estimate, then refined along the strength axis.  Falls back
 * to the moment estimate (method stays MQL_BETA_MOMENTS) when the search
 * fails to improve on it.  Same caps as the moment fit.  Returns 0,
 * MQL_ERR_INPUT or MQL_ERR_NOMEM.
 */
int mql_shrink_fit_ml(mql_beta_prior *out, const double *successes,
		      const double *trials, size_t count, mql_error *err);

/* Prior strengths are kept within [MQL_BETA_MIN_STRENGTH, total trials]. */
#define MQL_BETA_MIN_STRENGTH 0.1

/* Posterior mean (x + alpha) / (n + alpha + beta).  Cannot fail. */
double mql_shrink_posterior_mean(const mql_beta_prior *prior, double successes,
				 double trials);

/*
 * The probability-quantile of Beta(a, b), as R's qbeta: the CDF inverted by
 * a safeguarded Newton-bisection (GSL's own inverse fails at moderate
 * parameters).  Returns 0 or 1 at the ends, NaN for a or b <= 0 or a
 * probability outside [0, 1].
 */
double mql_shrink_beta_quantile(double probability, double a, double b);

/*
 * Equal-tailed interval of probability level (0.95) from the quantiles of
 * Beta(x + alpha, n - x + beta).  Returns 0, or MQL_ERR_USAGE for a level
 * outside (0, 1) or successes outside [0, trials].
 */
int mql_shrink_interval(double *low, double *high, const mql_beta_prior *prior,
			double successes, double trials, double level);

/*
 * Two-sided exact binomial test of x successes in n trials against rate p,
 * as R's binom.test: the sum of the probabilities of all outcomes no more
 * likely than x (with R's relative tolerance 1e-7).  Returns the p-value
 * in [0, 1]; NAN when n == 0 or p is outside [0, 1] (no test possible).
 */
double mql_binomial_test(unsigned long successes, unsigned long trials,
			 double rate);

/*
 * Benjamini-Hochberg adjusted p-values (q-values), as R's p.adjust(p,
 * method = "BH"): q_(i) = min over j >= i of min(1, m p_(j) / j) with p
 * sorted ascending and m the number of non-NaN p-values.  NaN p-values
 * stay NaN and do not count in m.  q may alias p.  Returns 0 or
 * MQL_ERR_NOMEM.
 */
int mql_shrink_bh(double *q, const double *p, size_t count);

#endif
