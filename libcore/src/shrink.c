/*
 * shrink.c - beta-binomial empirical Bayes, exact binomial test, BH.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_vector.h>

#include <mqlcal/shrink.h>

const char *const mql_beta_method_names[] = {"ml", "moments", NULL};

int mql_beta_method_parse(const char *name, mql_beta_method *method)
{
	static const mql_beta_method methods[] = {MQL_BETA_MAX_LIKELIHOOD,
						  MQL_BETA_MOMENTS};
	for (size_t i = 0; name && mql_beta_method_names[i]; i++)
		if (strcmp(name, mql_beta_method_names[i]) == 0) {
			*method = methods[i];
			return 0;
		}
	return -1;
}

/* Totals over the groups that have trials. */
struct totals {
	double successes, trials, trials_squared;
	size_t groups;
};

/* Sums the counts; MQL_ERR_INPUT when they cannot support a fit. */
static int sum_groups(struct totals *t, const double *successes,
		      const double *trials, size_t count, mql_error *err)
{
	t->successes = t->trials = t->trials_squared = 0;
	t->groups = 0;
	for (size_t i = 0; i < count; i++) {
		if (!(trials[i] >= 0) || !(successes[i] >= 0) ||
		    successes[i] > trials[i] || !isfinite(trials[i]))
			return mql_error_set(
				err, MQL_ERR_INPUT, NULL, 0, 0,
				"group %zu: expected 0 <= successes <= trials, "
				"got %g of %g",
				i + 1, successes[i], trials[i]);
		if (trials[i] == 0)
			continue;
		t->successes += successes[i];
		t->trials += trials[i];
		t->trials_squared += trials[i] * trials[i];
		t->groups++;
	}
	if (t->groups < 2)
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "expected at least two groups with trials "
				     "to fit a prior across, got %zu",
				     t->groups);
	return MQL_OK;
}

/* The pooled rate kept away from 0 and 1 so both prior parameters are > 0. */
static double usable_mean(const struct totals *t)
{
	if (t->successes <= 0 || t->successes >= t->trials)
		return (t->successes + 0.5) / (t->trials + 1);
	return t->successes / t->trials;
}

/* Fills the prior from a mean and a strength, keeping the strength within
 * [MQL_BETA_MIN_STRENGTH, total trials]. */
static void set_prior(mql_beta_prior *out, const struct totals *t, double mean,
		      double strength)
{
	out->capped = 0;
	if (!(strength < t->trials)) { /* also catches infinity and NaN */
		strength = t->trials;
		out->capped = 1;
	}
	if (strength < MQL_BETA_MIN_STRENGTH)
		strength = MQL_BETA_MIN_STRENGTH;
	out->mean = mean;
	out->alpha = mean * strength;
	out->beta = (1 - mean) * strength;
	out->rho = 1 / (strength + 1);
	out->pooled_rate = t->successes / t->trials;
}

int mql_shrink_fit_moments(mql_beta_prior *out, const double *successes,
			   const double *trials, size_t count, mql_error *err)
{
	struct totals t;
	int status = sum_groups(&t, successes, trials, count, err);
	if (status)
		return status;
	double mean = usable_mean(&t);
	double pooled = t.successes / t.trials;
	double spread = 0; /* S = sum n_i (p_i - m)^2 */
	for (size_t i = 0; i < count; i++) {
		if (trials[i] == 0)
			continue;
		double deviation = successes[i] / trials[i] - pooled;
		spread += trials[i] * deviation * deviation;
	}
	double between = (double)(t.groups - 1);
	double denominator = t.trials - t.trials_squared / t.trials - between;
	double rho = 0;
	if (denominator > 0)
		rho = (spread / (mean * (1 - mean)) - between) / denominator;
	double strength = rho > 0 ? 1 / rho - 1 : INFINITY;
	set_prior(out, &t, mean, strength);
	out->method = MQL_BETA_MOMENTS;
	out->iterations = 0;
	return MQL_OK;
}

double mql_shrink_posterior_mean(const mql_beta_prior *prior, double successes,
				 double trials)
{
	return (successes + prior->alpha) /
	       (trials + prior->alpha + prior->beta);
}

/* What the likelihood search needs. */
struct likelihood_data {
	const double *successes, *trials;
	size_t count;
	struct totals totals;
};

static double log_beta_function(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* Maps the search coordinates to (mean, strength): the mean through the
 * logistic, the strength into (MIN, N) through a scaled logistic, so the
 * simplex can never leave the allowed region. */
static void unpack(const gsl_vector *v, const struct totals *t, double *mean,
		   double *strength)
{
	double m = 1 / (1 + exp(-gsl_vector_get(v, 0)));
	double lo = log(MQL_BETA_MIN_STRENGTH), hi = log(t->trials);
	double s = lo + (hi - lo) / (1 + exp(-gsl_vector_get(v, 1)));
	*mean = fmin(fmax(m, 1e-12), 1 - 1e-12);
	*strength = exp(s);
}

/* Negative beta-binomial log-likelihood (without the binomial constants). */
static double negative_log_likelihood(const gsl_vector *v, void *params)
{
	const struct likelihood_data *d = params;
	double mean, strength;
	unpack(v, &d->totals, &mean, &strength);
	double a = mean * strength, b = (1 - mean) * strength;
	double prior_term = log_beta_function(a, b);
	double sum = 0;
	for (size_t i = 0; i < d->count; i++) {
		if (d->trials[i] == 0)
			continue;
		double x = d->successes[i], n = d->trials[i];
		sum += log_beta_function(x + a, n - x + b) - prior_term;
	}
	return isfinite(sum) ? -sum : GSL_POSINF;
}

/* Search coordinate of a strength (inverse of unpack's scaled logistic). */
static double strength_coordinate(double strength, const struct totals *t)
{
	double lo = log(MQL_BETA_MIN_STRENGTH), hi = log(t->trials);
	double u = (log(strength) - lo) / (hi - lo);
	u = fmin(fmax(u, 1e-6), 1 - 1e-6);
	return log(u / (1 - u));
}

/* Runs the simplex from start; returns 0 and the optimum in best. */
static int run_simplex(gsl_vector *best, int *iterations,
		       struct likelihood_data *data, const gsl_vector *start)
{
	gsl_multimin_function f = {negative_log_likelihood, 2, data};
	gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(
		gsl_multimin_fminimizer_nmsimplex2, 2);
	gsl_vector *step = gsl_vector_alloc(2);
	int status = MQL_ERR_NOMEM;
	if (!s || !step)
		goto free_all;
	gsl_vector_set_all(step, 0.5);
	status = MQL_ERR_INTERNAL;
	if (gsl_multimin_fminimizer_set(s, &f, start, step) != GSL_SUCCESS)
		goto free_all;
	int iter = 0, gsl_status;
	do {
		iter++;
		gsl_status = gsl_multimin_fminimizer_iterate(s);
		if (gsl_status)
			break;
		gsl_status = gsl_multimin_test_size(
			gsl_multimin_fminimizer_size(s), 1e-9);
	} while (gsl_status == GSL_CONTINUE && iter < 2000);
	gsl_vector_memcpy(best, gsl_multimin_fminimizer_x(s));
	*iterations = iter;
	status = MQL_OK;
free_all:
	gsl_vector_free(step);
	gsl_multimin_fminimizer_free(s);
	return status;
}

int mql_shrink_fit_ml(mql_beta_prior *out, const double *successes,
		      const double *trials, size_t count, mql_error *err)
{
	int status = mql_shrink_fit_moments(out, successes, trials, count, err);
	if (status)
		return status;
	struct likelihood_data data = {successes, trials, count, {0, 0, 0, 0}};
	sum_groups(&data.totals, successes, trials, count, NULL);
	/* With no successes (or no failures) anywhere the likelihood runs off
	 * to a mean of 0 (or 1): keep the smoothed moment estimate. */
	if (data.totals.successes <= 0 ||
	    data.totals.successes >= data.totals.trials)
		return MQL_OK;
	gsl_vector *start = gsl_vector_alloc(2), *best = gsl_vector_alloc(2);
	if (!start || !best) {
		status = mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				       "out of memory fitting the prior");
		goto free_all;
	}
	gsl_vector_set(start, 0, log(out->mean / (1 - out->mean)));
	gsl_vector_set(
		start, 1,
		strength_coordinate(out->alpha + out->beta, &data.totals));
	int iterations = 0;
	if (run_simplex(best, &iterations, &data, start) != MQL_OK)
		goto free_all; /* keep the moment estimate */
	double start_value = negative_log_likelihood(start, &data);
	double best_value = negative_log_likelihood(best, &data);
	if (!(best_value <= start_value))
		goto free_all;
	double mean, strength;
	unpack(best, &data.totals, &mean, &strength);
	set_prior(out, &data.totals, mean, strength);
	/* The likelihood is flat in the strength when groups do not differ:
	 * the search then ends near the cap, which is reported as a cap. */
	if (strength >= 0.99 * data.totals.trials)
		out->capped = 1;
	out->method = MQL_BETA_MAX_LIKELIHOOD;
	out->iterations = iterations;
free_all:
	gsl_vector_free(start);
	gsl_vector_free(best);
	return status;
}

/*
 * The p-quantile of Beta(a, b): the x in [0, 1] with I_x(a, b) = p.
 * gsl_cdf_beta_Pinv returns NaN at moderate parameters (a = 37.7, b = 752,
 * p = 0.975), and a normal approximation in its place is too narrow in the
 * upper tail, so the quantile is found by inverting the CDF itself:
 * Newton steps on the tail nearer to p (P below the median, Q above, so a
 * small tail probability keeps its precision), each kept inside a bracket
 * that only shrinks, with bisection whenever a step would leave it.
 * Converges to the last bits of x; returns NaN only for a, b <= 0.
 */
double mql_shrink_beta_quantile(double probability, double a, double b)
{
	if (!(a > 0 && b > 0) || !(probability >= 0 && probability <= 1))
		return NAN;
	if (probability == 0 || probability == 1)
		return probability;
	int upper = probability > 0.5;
	double target = upper ? 1 - probability : probability;
	double low = 0, high = 1;
	double x = gsl_cdf_beta_Pinv(probability, a, b);
	if (!(x > 0 && x < 1))
		x = a / (a + b);
	for (int i = 0; i < 400; i++) {
		double tail = upper ? gsl_cdf_beta_Q(x, a, b)
				    : gsl_cdf_beta_P(x, a, b);
		double diff = tail - target;
		if (diff == 0)
			return x;
		/* P grows with x and Q falls: keep the root between. */
		if ((diff < 0) != upper)
			low = x;
		else
			high = x;
		double density = gsl_ran_beta_pdf(x, a, b);
		double next = NAN;
		if (density > 0 && isfinite(density))
			next = upper ? x + diff / density : x - diff / density;
		if (!(next > low && next < high))
			next = low + (high - low) / 2;
		if (fabs(next - x) <= 4 * DBL_EPSILON * fmax(x, DBL_MIN) ||
		    high - low <= 4 * DBL_EPSILON * fmax(low, DBL_MIN))
			return next;
		x = next;
	}
	return x;
}

int mql_shrink_interval(double *low, double *high, const mql_beta_prior *prior,
			double successes, double trials, double level)
{
	if (!(level > 0 && level < 1) || !(successes >= 0) ||
	    !(successes <= trials))
		return MQL_ERR_USAGE;
	double a = successes + prior->alpha;
	double b = trials - successes + prior->beta;
	double tail = (1 - level) / 2;
	*low = mql_shrink_beta_quantile(tail, a, b);
	*high = mql_shrink_beta_quantile(1 - tail, a, b);
	return MQL_OK;
}

/* P(X > k) for X ~ Binomial(n, p), computed directly (not as 1 - P(X <= k),
 * which loses tiny tails to cancellation). */
static double binomial_upper(long k, double p, unsigned long n)
{
	if (k < 0)
		return 1;
	if ((unsigned long)k >= n)
		return 0;
	return gsl_cdf_binomial_Q((unsigned)k, p, (unsigned)n);
}

/* P(X <= k) for X ~ Binomial(n, p); 0 for k < 0. */
static double binomial_cdf(long k, double p, unsigned long n)
{
	if (k < 0)
		return 0;
	if ((unsigned long)k >= n)
		return 1;
	return gsl_cdf_binomial_P((unsigned)k, p, (unsigned)n);
}

double mql_binomial_test(unsigned long successes, unsigned long trials,
			 double rate)
{
	if (trials == 0 || !(rate >= 0 && rate <= 1) || successes > trials ||
	    trials > 4000000000UL)
		return NAN;
	if (rate == 0)
		return successes == 0 ? 1 : 0;
	if (rate == 1)
		return successes == trials ? 1 : 0;
	const double relative_error = 1 + 1e-7;
	unsigned n = (unsigned)trials, x = (unsigned)successes;
	double d = gsl_ran_binomial_pdf(x, rate, n) * relative_error;
	double expected = (double)trials * rate;
	double p_value;
	if ((double)x == expected)
		return 1;
	if ((double)x < expected) {
		/* Outcomes above the mean no more likely than x. */
		long y = 0;
		for (unsigned long i = (unsigned long)ceil(expected);
		     i <= trials; i++)
			if (gsl_ran_binomial_pdf((unsigned)i, rate, n) <= d)
				y++;
		p_value = binomial_cdf((long)x, rate, trials) +
			  binomial_upper((long)trials - y, rate, trials);
	} else {
		long y = 0;
		for (unsigned long i = 0; i <= (unsigned long)floor(expected);
		     i++)
			if (gsl_ran_binomial_pdf((unsigned)i, rate, n) <= d)
				y++;
		p_value = binomial_cdf(y - 1, rate, trials) +
			  binomial_upper((long)x - 1, rate, trials);
	}
	return fmin(1, fmax(0, p_value));
}

/* A p-value and where it came from, sorted by value then position. */
struct ranked {
	double p;
	size_t index;
};

static int by_p_value(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

int mql_shrink_bh(double *q, const double *p, size_t count)
{
	struct ranked *order = malloc((count ? count : 1) * sizeof *order);
	if (!order)
		return MQL_ERR_NOMEM;
	size_t tested = 0;
	for (size_t i = 0; i < count; i++) {
		if (!isnan(p[i]))
			order[tested++] = (struct ranked){p[i], i};
		else
			q[i] = NAN;
	}
	qsort(order, tested, sizeof *order, by_p_value);
	/* From the largest p down, keep the running minimum of m p / rank. */
	double running = 1;
	for (size_t rank = tested; rank > 0; rank--) {
		struct ranked *r = &order[rank - 1];
		running = fmin(running, (double)tested / (double)rank * r->p);
		q[r->index] = running;
	}
	free(order);
	return MQL_OK;
}
