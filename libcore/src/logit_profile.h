/*
 * logit_profile.h - profile penalized-likelihood inference after a Firth
 * fit (private to the logit family).
 *
 * For each estimated coefficient b_j, the profile of Firth's penalized
 * log-likelihood PL(b) = log L(b) + 1/2 log det I(b) is
 *     PL_j(t) = max over the other coefficients of PL with b_j = t,
 * and, as R's logistf does by default (Heinze & Schemper 2002):
 *   - the 95% interval is the set of t with 2 (PL(b_hat) - PL_j(t)) <=
 *     qchisq(0.95, 1), that is the two roots of the signed root
 *     r(t) = sign(t - b_hat_j) sqrt(2 (PL(b_hat) - PL_j(t))) = +-1.959964;
 *   - the p-value is the penalized likelihood-ratio test of b_j = 0:
 *     P(chi-square with 1 df > 2 (PL(b_hat) - PL_j(0))).
 * PL_j(t) comes from a constrained fit (Fisher-scoring steps on the free
 * coefficients, halved while PL falls); each root from Newton steps on
 * r(t), whose slope is -U*_j / r with U*_j the modified score of b_j at the
 * constrained optimum, kept inside a bracket that only shrinks, with
 * bisection whenever a step would leave it.
 */
#ifndef MQLCAL_LOGIT_PROFILE_H
#define MQLCAL_LOGIT_PROFILE_H

#include <mqlcal/logit.h>

#include "logit_kernel.h"
#include "logit_prepare.h"

/*
 * Replaces the p-value and the interval of every estimated coefficient of
 * model, a Firth fit of ctx whose standardized estimates are fit->beta over
 * the working design d (no L2 penalty), by the profile ones above, and sets
 * model->interval to MQL_LOGIT_PROFILE.  Estimates, standard errors and z
 * stay as they are (Wald).  Returns 0; LOGIT_KERNEL_NOMEM or
 * LOGIT_KERNEL_SINGULAR leave model's Wald inference untouched.
 */
int mql_logit_profile(mql_logit_result *model, const struct fit_context *ctx,
		      const struct logit_design *d,
		      const struct logit_fit *fit);

#endif
