/*
 * fit_halflife_profile.c - the weights refitted at probed half-lives: the
 * polish of a maximum that Newton's method left on the caps' kinks, and
 * the profile-likelihood intervals of the log half-lives (see
 * fit_internal.h).
 *
 * A probe reads the events once and gives every rule's column at two
 * half-lives of its own (the other rules' columns stay at the estimates);
 * for each, the weights are refitted by Newton's method from the joint
 * estimates.  Memory: rows x rules x 2 counts, never the events.
 */
#include "fit_internal.h"
#include "fixed_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/score.h>

#define CHI2_95_HALF   1.920729410347062 /* qchisq(0.95, 1) / 2 */
#define REFIT_STEPS    30
#define POLISH_ROUNDS  30
#define POLISH_FIRST   0.05  /* log days */
#define POLISH_LAST    0.002 /* log days */
#define POLISH_GAIN    1e-9  /* log-likelihood */
#define PROFILE_ROUNDS 40
#define PROFILE_TOL    1e-3 /* log days */
#define LOWEST_DAYS    0.01 /* the profile looks no lower: then 0 */
#define WEIGHT_POINTS  4    /* probes inside each side for the weights */

typedef struct refitter {
	struct mql_fit_joint *j;
	size_t free;		     /* free weights (betas) */
	size_t column;		     /* design column being replaced */
	double *values;		     /* rows: its probed values */
	double *beta, *trial, *best; /* 1 + columns */
	double *grad, *info, *step, *row;
	double *saved;	 /* rows x rules: columns before a move */
	int64_t *counts; /* rows x rules x FIT_JOINT_PROBES */
	double *days;	 /* rules x FIT_JOINT_PROBES */
	int factored;	 /* info holds the Cholesky factor of the information
			  * at beta (refit stopped on its decrement) */
} refitter;

static void refitter_free(refitter *rf)
{
	free(rf->values);
	free(rf->beta);
	free(rf->trial);
	free(rf->best);
	free(rf->grad);
	free(rf->info);
	free(rf->step);
	free(rf->row);
	free(rf->counts);
	free(rf->saved);
	free(rf->days);
}

static int refitter_init(refitter *rf, struct mql_fit_joint *j)
{
	memset(rf, 0, sizeof *rf);
	rf->j = j;
	for (size_t c = 0; c <= j->f->columns; c++)
		rf->free += j->beta_param[c] != SIZE_MAX;
	size_t rows = j->f->rows ? j->f->rows : 1;
	size_t rules = j->rules ? j->rules : 1;
	size_t n = rf->free ? rf->free : 1;
	rf->values = malloc(rows * sizeof *rf->values);
	rf->beta = malloc((j->f->columns + 1) * sizeof *rf->beta);
	rf->trial = malloc((j->f->columns + 1) * sizeof *rf->trial);
	rf->best = malloc((j->f->columns + 1) * sizeof *rf->best);
	rf->grad = malloc(n * sizeof *rf->grad);
	rf->info = malloc(n * n * sizeof *rf->info);
	rf->step = malloc(n * sizeof *rf->step);
	rf->row = malloc(n * sizeof *rf->row);
	rf->counts =
		malloc(rows * rules * FIT_JOINT_PROBES * sizeof *rf->counts);
	rf->days = malloc(rules * FIT_JOINT_PROBES * sizeof *rf->days);
	rf->saved = malloc(rows * rules * sizeof *rf->saved);
	if (rf->values && rf->beta && rf->trial && rf->best && rf->grad &&
	    rf->info && rf->step && rf->row && rf->counts && rf->days &&
	    rf->saved)
		return MQL_OK;
	refitter_free(rf);
	return MQL_ERR_NOMEM;
}

/* Row i of the design with the probed column, free weights only. */
static void design_row(const refitter *rf, size_t i)
{
	const struct mql_fit_joint *j = rf->j;
	const double *x = &j->f->x[i * j->f->columns];
	for (size_t c = 0; c <= j->f->columns; c++) {
		size_t b = j->beta_param[c];
		if (b != SIZE_MAX)
			rf->row[b] = c == 0		   ? 1.0
				     : c - 1 == rf->column ? rf->values[i]
							   : x[c - 1];
	}
}

static double row_eta(const refitter *rf, const double *beta, size_t i)
{
	const struct mql_fit_joint *j = rf->j;
	const double *x = &j->f->x[i * j->f->columns];
	double eta = beta[0];
	for (size_t c = 0; c < j->f->columns; c++)
		eta += beta[c + 1] * (c == rf->column ? rf->values[i] : x[c]);
	return eta;
}

/* The penalized log-likelihood at beta with the probed column. */
static double probed_log_likelihood(const refitter *rf, const double *beta)
{
	const struct mql_fit_joint *j = rf->j;
	double sum = 0;
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (w > 0) {
			double eta = row_eta(rf, beta, i);
			sum += w *
			       (j->p->y[i] * eta - fit_joint_log1p_exp(eta));
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++)
		sum -= 0.5 * j->opt->l2 * beta[c] * beta[c];
	return sum;
}

/* Gradient and Fisher information of the free weights at rf->beta. */
static void weight_derivatives(refitter *rf)
{
	const struct mql_fit_joint *j = rf->j;
	size_t n = rf->free;
	memset(rf->grad, 0, n * sizeof *rf->grad);
	memset(rf->info, 0, n * n * sizeof *rf->info);
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (!(w > 0))
			continue;
		double prob = mql_logit_inverse(row_eta(rf, rf->beta, i));
		double residual = w * (j->p->y[i] - prob);
		double v = w * prob * (1 - prob);
		design_row(rf, i);
		for (size_t a = 0; a < n; a++) {
			rf->grad[a] += residual * rf->row[a];
			for (size_t b = a; b < n; b++)
				rf->info[a * n + b] +=
					v * rf->row[a] * rf->row[b];
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++) {
		size_t b = j->beta_param[c];
		if (b == SIZE_MAX)
			continue;
		rf->grad[b] -= j->opt->l2 * rf->beta[c];
		rf->info[b * n + b] += j->opt->l2;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			rf->info[b * n + a] = rf->info[a * n + b];
}

/*
 * Maximizes over the weights, from rf->beta, with design column `column`
 * replaced by rf->values: Newton's method with step halving (a damped
 * information when it is singular, as for a probed column of zeros).
 * Leaves the maximum in rf->beta and returns its log-likelihood.
 */
static double refit(refitter *rf, size_t column)
{
	const struct mql_fit_joint *j = rf->j;
	size_t n = rf->free;
	rf->column = column;
	rf->factored = 0;
	double ll = probed_log_likelihood(rf, rf->beta);
	for (int it = 0; it < REFIT_STEPS; it++) {
		weight_derivatives(rf);
		int damped = 0;
		if (fit_joint_cholesky(rf->info, n, rf->grad, rf->step, 0)) {
			damped = 1;
			weight_derivatives(rf);
			for (size_t a = 0; a < n; a++)
				rf->info[a * n + a] +=
					1e-8 * (1 + rf->info[a * n + a]);
			if (fit_joint_cholesky(rf->info, n, rf->grad, rf->step,
					       0))
				break;
		}
		double decrement = 0;
		for (size_t a = 0; a < n; a++)
			decrement += rf->grad[a] * rf->step[a];
		if (!(decrement > 1e-12)) {
			rf->factored = !damped;
			break;
		}
		double t = 1, gained = -1;
		for (int k = 0; k < 30 && gained < 0; k++, t /= 2) {
			for (size_t c = 0; c <= j->f->columns; c++)
				rf->trial[c] =
					rf->beta[c] +
					(j->beta_param[c] != SIZE_MAX
						 ? t * rf->step[j->beta_param
									[c]]
						 : 0);
			double trial = probed_log_likelihood(rf, rf->trial);
			if (trial >= ll - 1e-12 * (1 + fabs(ll))) {
				gained = trial - ll;
				ll = trial;
				memcpy(rf->beta, rf->trial,
				       (j->f->columns + 1) * sizeof *rf->beta);
			}
		}
		if (gained < 1e-12 * (1 + fabs(ll)))
			break;
	}
	return ll;
}

/* Rule r's capped column at probe k into rf->values; its support. */
static double probed_column(refitter *rf, size_t r, size_t k)
{
	const struct mql_fit_joint *j = rf->j;
	const mql_rule *rule = &j->f->rules->engagement[r];
	double support = 0;
	for (size_t i = 0; i < j->f->rows; i++) {
		double count =
			(double)rf
				->counts[(i * j->rules + r) * FIT_JOINT_PROBES +
					 k] /
			FIT_JOINT_FIXED_ONE;
		rf->values[i] = mql_rule_capped(rule, count);
		support += count != 0.0;
	}
	return support;
}

/* The log-likelihood with rule r's column at probe k, the weights
 * refitted from the estimates (left in rf->beta). */
static double probed(refitter *rf, size_t r, size_t k)
{
	const struct mql_fit_joint *j = rf->j;
	probed_column(rf, r, k);
	memcpy(rf->beta, j->beta, (j->f->columns + 1) * sizeof *rf->beta);
	return refit(rf, j->f->fit_count + r);
}

/* --- the polish --------------------------------------------------------- */

/* Writes values as rule r's column of f->x, with its support. */
static void set_column(struct mql_fit_joint *j, size_t r, const double *values)
{
	mql_features *f = j->f;
	size_t column = f->fit_count + r;
	double support = 0;
	for (size_t i = 0; i < f->rows; i++) {
		f->x[i * f->columns + column] = values[i];
		support += values[i] != 0.0;
	}
	f->support[column] = support;
}

/* Rule r's column of f->x into saved (rows). */
static void save_column(const struct mql_fit_joint *j, size_t r, double *saved)
{
	const mql_features *f = j->f;
	for (size_t i = 0; i < f->rows; i++)
		saved[i] = f->x[i * f->columns + f->fit_count + r];
}

/* Rule r's half-life becomes probe k's, and its search widens; a probe of
 * no decay settles it there, as Newton's method would. */
static void take_half_life(refitter *rf, double *delta, size_t r, size_t k)
{
	struct mql_fit_joint *j = rf->j;
	double days = rf->days[r * FIT_JOINT_PROBES + k];
	delta[r] = fmin(2 * delta[r], 1.0);
	if (days < INFINITY) {
		j->half_life[r] = days;
		return;
	}
	j->state[r] = FIT_JOINT_NO_DECAY;
	mql_features_set_variant(j->f, r, MQL_HALF_LIFE_GRID_COUNT);
	fit_joint_number_params(j);
}

/* Moves every rule that gained to its better probe at once, the weights
 * refitted; kept when that beats best, the best single move.  Returns
 * whether it was kept (else the columns are back). */
static int move_all(refitter *rf, double *delta, const size_t *chosen,
		    double best)
{
	struct mql_fit_joint *j = rf->j;
	size_t rows = j->f->rows;
	for (size_t r = 0; r < j->rules; r++) {
		if (chosen[r] == SIZE_MAX)
			continue;
		save_column(j, r, &rf->saved[r * rows]);
		probed_column(rf, r, chosen[r]);
		set_column(j, r, rf->values);
	}
	memcpy(rf->beta, j->beta, (j->f->columns + 1) * sizeof *rf->beta);
	double ll = refit(rf, SIZE_MAX);
	int kept = ll >= best;
	for (size_t r = 0; r < j->rules; r++) {
		if (chosen[r] == SIZE_MAX)
			continue;
		if (kept)
			take_half_life(rf, delta, r, chosen[r]);
		else
			set_column(j, r, &rf->saved[r * rows]);
	}
	if (kept) {
		memcpy(j->beta, rf->beta,
		       (j->f->columns + 1) * sizeof *j->beta);
		j->log_likelihood = ll;
		j->stale = 1;
	}
	return kept;
}

/* Moves rule r alone to probe k, the weights in rf->best. */
static void move_one(refitter *rf, double *delta, size_t r, size_t k, double ll)
{
	struct mql_fit_joint *j = rf->j;
	probed_column(rf, r, k);
	set_column(j, r, rf->values);
	memcpy(j->beta, rf->best, (j->f->columns + 1) * sizeof *j->beta);
	take_half_life(rf, delta, r, k);
	j->log_likelihood = ll;
	j->stale = 1;
}

/* Each searched rule's probes at h e^-+delta: its better one if it gains
 * (chosen, else SIZE_MAX; its delta halved), and the best of all. */
static void polish_choose(refitter *rf, double *delta, size_t *chosen,
			  size_t *best_rule, double *best)
{
	struct mql_fit_joint *j = rf->j;
	*best_rule = SIZE_MAX;
	*best = j->log_likelihood + POLISH_GAIN;
	for (size_t r = 0; r < j->rules; r++) {
		chosen[r] = SIZE_MAX;
		double top = j->log_likelihood + POLISH_GAIN;
		for (size_t k = 0; k < FIT_JOINT_PROBES; k++) {
			if (!(rf->days[r * FIT_JOINT_PROBES + k] > 0))
				continue;
			double ll = probed(rf, r, k);
			if (ll > top) {
				top = ll;
				chosen[r] = k;
			}
			if (ll > *best) {
				*best = ll;
				*best_rule = r;
				memcpy(rf->best, rf->beta,
				       (j->f->columns + 1) * sizeof *rf->best);
			}
		}
		if (chosen[r] == SIZE_MAX)
			delta[r] /= 2;
	}
}

/* One round: probes every rule still searched; moves all that gained
 * when together they beat the best single move, else that one.
 * *searched counts the rules probed. */
static int polish_round(refitter *rf, double *delta, size_t *chosen,
			size_t *searched, mql_error *err)
{
	struct mql_fit_joint *j = rf->j;
	*searched = 0;
	for (size_t r = 0; r < j->rules; r++) {
		int on = j->state[r] == FIT_JOINT_FITTED &&
			 delta[r] >= POLISH_LAST;
		for (size_t k = 0; k < FIT_JOINT_PROBES; k++) {
			double h = j->half_life[r] *
				   mql_fixed_exp((k ? 1 : -1) * delta[r]);
			/* past the longest half-life: no decay */
			rf->days[r * FIT_JOINT_PROBES + k] =
				!on || !(h > FIT_JOINT_MIN_DAYS) ? 0
				: h < MQL_RULE_MAX_DAYS		 ? h
								 : INFINITY;
		}
		*searched += (size_t)on;
	}
	if (*searched == 0)
		return MQL_OK;
	int status = fit_joint_probe(j, rf->days, rf->counts, err);
	if (status != MQL_OK)
		return status;
	size_t best_rule, moved = 0;
	double best;
	polish_choose(rf, delta, chosen, &best_rule, &best);
	for (size_t r = 0; r < j->rules; r++)
		moved += chosen[r] != SIZE_MAX;
	if (best_rule == SIZE_MAX ||
	    (moved > 1 && move_all(rf, delta, chosen, best)))
		return MQL_OK;
	move_one(rf, delta, best_rule, chosen[best_rule], best);
	return MQL_OK;
}

int fit_joint_polish(struct mql_fit_joint *j, mql_error *err)
{
	refitter rf;
	double *delta = malloc((j->rules ? j->rules : 1) * sizeof *delta);
	if (!delta || refitter_init(&rf, j) != MQL_OK) {
		free(delta);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	size_t *chosen = malloc((j->rules ? j->rules : 1) * sizeof *chosen);
	if (!chosen) {
		free(delta);
		refitter_free(&rf);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	for (size_t r = 0; r < j->rules; r++)
		delta[r] = POLISH_FIRST;
	int status = MQL_OK;
	size_t searched = 1;
	for (int round = 0;
	     status == MQL_OK && searched > 0 && round < POLISH_ROUNDS;
	     round++) {
		status = polish_round(&rf, delta, chosen, &searched, err);
		j->polish_rounds += searched > 0;
	}
	refitter_free(&rf);
	free(chosen);
	free(delta);
	return status;
}

/* --- the profile intervals ---------------------------------------------- */

/*
 * One side of a rule's interval.  Its far end is probed first (0.01 days
 * below, no decay above): when the log-likelihood there has not fallen by
 * the chi-square quantile, the limit is that end (0 days, or infinite),
 * whatever happens between.  Otherwise the first crossing outward from the
 * estimate is searched: steps doubling outward until one falls beyond the
 * quantile, then the secant of the drop within the bracket.
 */
typedef struct side {
	double estimate;	  /* theta of the estimate (inf: no decay) */
	double in, out;		  /* thetas inside and outside (NAN: none) */
	double drop_in, drop_out; /* the log-likelihood's drops there */
	double step;		  /* the next move outward while unbracketed */
	double drop_end;	  /* the drop at the far end */
	double probe;		  /* theta probed this round */
	double sign;		  /* -1: the lower side, +1: the upper */
	int end_checked, done;
	double limit;
} side;

/* The next theta outward from s->in, clamped to the ends of the search:
 * log(LOWEST_DAYS) below, log(MQL_RULE_MAX_DAYS) then no decay above. */
static void step_in(side *s);

static void step_out(side *s)
{
	double lowest = mql_fixed_log(LOWEST_DAYS),
	       highest = mql_fixed_log(MQL_RULE_MAX_DAYS);
	double next = s->in + s->sign * s->step;
	if (s->in == INFINITY) { /* from no decay down */
		s->probe = highest;
	} else if (s->sign < 0) {
		s->probe = fmax(next, lowest);
	} else if (s->in < highest) {
		s->probe = fmin(next, highest);
	} else { /* no decay, beyond, is known to be outside */
		s->out = INFINITY;
		s->drop_out = s->drop_end;
		step_in(s);
	}
}

/* The next probe inside the bracket: the crossing of the drop's secant,
 * kept within its middle 80%; done when the bracket is narrow. */
static void step_in(side *s)
{
	double width = s->out - s->in;
	double share = (CHI2_95_HALF - s->drop_in) / (s->drop_out - s->drop_in);
	if (!isfinite(width)) {
		/* between the highest finite probe and no decay */
		s->done = 1;
		s->limit = isfinite(s->in) ? s->in : s->out;
	} else if (fabs(width) < PROFILE_TOL) {
		s->done = 1;
		s->limit = s->in + share * width;
	} else {
		s->probe = s->in + fmin(0.9, fmax(0.1, share)) * width;
	}
}

/* Takes the drop at s->probe. */
static void update_side(side *s, double drop)
{
	if (!s->end_checked) {
		s->end_checked = 1;
		s->drop_end = drop;
		if (drop < CHI2_95_HALF) {
			s->done = 1;
			s->limit = s->sign * INFINITY;
			return;
		}
		s->in = s->estimate;
		step_out(s);
		return;
	}
	if (drop < CHI2_95_HALF) {
		s->in = s->probe;
		s->drop_in = drop;
		if (isnan(s->out)) {
			s->step *= 2;
			step_out(s);
			return;
		}
	} else {
		s->out = s->probe;
		s->drop_out = drop;
	}
	step_in(s);
}

static void start_sides(side *low, side *high, const struct mql_fit_joint *j,
			size_t r)
{
	memset(low, 0, sizeof *low);
	low->out = NAN;
	low->sign = -1;
	low->probe = mql_fixed_log(LOWEST_DAYS);
	*high = *low;
	high->sign = 1;
	high->probe = INFINITY;
	if (j->state[r] == FIT_JOINT_NO_DECAY) {
		high->done = 1;
		high->limit = INFINITY;
		low->estimate = INFINITY;
		low->step = 1;
		return;
	}
	size_t t = j->theta_param[r];
	double se = sqrt(j->covariance[t * j->params + t]);
	low->estimate = high->estimate = mql_fixed_log(j->half_life[r]);
	low->step = high->step =
		isfinite(se) ? fmax(MQL_LOGIT_Z95 * se, 0.05) : 1.0;
}

/*
 * Each fitted rule's share (see fit_internal.h): the variance of its log
 * half-life with the other log half-lives held at their estimates (the inverse
 * of the diagonal of the inverse of the half-lives' block of the covariance)
 * over its variance in the joint covariance.  The profile's drop scaled by
 * it is the drop of the joint profile, the other half-lives re-maximized
 * too, where the log-likelihood is quadratic in them; 1 for a rule not
 * estimated, or when the block is not positive definite.
 */
int fit_joint_shares(struct mql_fit_joint *j)
{
	size_t m = 0, n = j->params;
	for (size_t r = 0; r < j->rules; r++) {
		j->share[r] = 1;
		m += j->theta_param[r] != SIZE_MAX;
	}
	double *block = malloc((m ? m * m : 1) * sizeof *block);
	size_t *index = malloc((m ? m : 1) * sizeof *index);
	if (!block || !index) {
		free(block);
		free(index);
		return MQL_ERR_NOMEM;
	}
	for (size_t r = 0, a = 0; r < j->rules; r++)
		if (j->theta_param[r] != SIZE_MAX)
			index[a++] = j->theta_param[r];
	for (size_t a = 0; a < m; a++)
		for (size_t b = 0; b < m; b++)
			block[a * m + b] =
				j->covariance[index[a] * n + index[b]];
	if (m > 0 && fit_joint_cholesky(block, m, NULL, NULL, 1) == 0)
		for (size_t r = 0, a = 0; r < j->rules; r++) {
			if (j->theta_param[r] == SIZE_MAX)
				continue;
			double v = j->covariance[index[a] * n + index[a]];
			double share = 1 / (block[a * m + a] * v);
			j->share[r] = share > 0 && share <= 1 ? share : 1;
			a++;
		}
	free(block);
	free(index);
	return MQL_OK;
}

/*
 * A probe of rule r's half-life whose profile drop is drop, the weights
 * refitted there (rf->beta): each weight's values b with
 * drop + (b - beta)^2 / (2 v) within the quantile (v its variance with
 * the half-lives held: the inverse information's diagonal) are supported
 * by the profile over that half-life, and widen j->weight_span; the level
 * at which they reach 0 from above (the sum at b = 0 when beta > 0, else
 * the drop) lowers j->zero_reach's first, from below its second.
 */
static void widen_weights(refitter *rf, double drop)
{
	struct mql_fit_joint *j = rf->j;
	size_t n = rf->free;
	if (!(drop < CHI2_95_HALF))
		return;
	/* the refit's last factor is of the information at its maximum: the
	 * same numbers a new evaluation would give */
	int failed = 0;
	if (rf->factored)
		failed = fit_joint_cholesky_invert(rf->info, n);
	else {
		weight_derivatives(rf);
		failed = fit_joint_cholesky(rf->info, n, NULL, NULL, 1);
	}
	rf->factored = 0;
	if (failed)
		return;
	drop = fmax(drop, 0);
	for (size_t c = 0; c <= j->f->columns; c++) {
		size_t b = j->beta_param[c];
		double v = b != SIZE_MAX ? rf->info[b * n + b] : NAN;
		if (!(v > 0) || !isfinite(v))
			continue;
		double half = sqrt(2 * v * (CHI2_95_HALF - drop));
		double beta = rf->beta[c];
		j->weight_span[2 * c] =
			fmin(j->weight_span[2 * c], beta - half);
		j->weight_span[2 * c + 1] =
			fmax(j->weight_span[2 * c + 1], beta + half);
		double to_zero = drop + beta * beta / (2 * v);
		j->zero_reach[2 * c] =
			fmin(j->zero_reach[2 * c], beta > 0 ? to_zero : drop);
		j->zero_reach[2 * c + 1] = fmin(j->zero_reach[2 * c + 1],
						beta < 0 ? to_zero : drop);
	}
}

/* Probe s (rule s / PROBES, probe s % PROBES) refitted: its drop, scaled
 * by the rule's share, which it also gives to widen_weights. */
static double probed_drop(refitter *rf, size_t s)
{
	struct mql_fit_joint *j = rf->j;
	size_t r = s / FIT_JOINT_PROBES;
	double drop = j->share[r] *
		      (j->log_likelihood - probed(rf, r, s % FIT_JOINT_PROBES));
	widen_weights(rf, drop);
	return drop;
}

/* One round: every open side's probe, read at once, then refitted. */
static int profile_round(refitter *rf, side *sides, size_t *open,
			 mql_error *err)
{
	struct mql_fit_joint *j = rf->j;
	*open = 0;
	for (size_t s = 0; s < 2 * j->rules; s++) {
		int on = sides[s].sign != 0 && !sides[s].done;
		rf->days[s] = on ? mql_fixed_exp(sides[s].probe) : 0;
		*open += (size_t)on;
	}
	if (*open == 0)
		return MQL_OK;
	int status = fit_joint_probe(j, rf->days, rf->counts, err);
	for (size_t s = 0; status == MQL_OK && s < 2 * j->rules; s++)
		if (rf->days[s] > 0)
			update_side(&sides[s], probed_drop(rf, s));
	return status;
}

/*
 * Probe `point` of WEIGHT_POINTS spread evenly inside each side of each
 * rule's interval (from the estimate to the limit, within 0.01 days and
 * the longest half-life), for the weights they support.
 */
static int weight_round(refitter *rf, const side *sides, int point,
			mql_error *err)
{
	struct mql_fit_joint *j = rf->j;
	double lowest = mql_fixed_log(LOWEST_DAYS),
	       highest = mql_fixed_log(MQL_RULE_MAX_DAYS);
	size_t open = 0;
	for (size_t s = 0; s < 2 * j->rules; s++) {
		const side *sd = &sides[s];
		rf->days[s] = 0;
		if (sd->sign == 0 || !sd->done)
			continue;
		double from = fmin(sd->estimate, highest);
		double to = fmin(fmax(sd->limit, lowest), highest);
		if (!isfinite(from) || !isfinite(to) || from == to)
			continue;
		rf->days[s] = mql_fixed_exp(from + (to - from) * (point + 1) /
							   (WEIGHT_POINTS + 1));
		open++;
	}
	int status =
		open ? fit_joint_probe(j, rf->days, rf->counts, err) : MQL_OK;
	for (size_t s = 0; open && status == MQL_OK && s < 2 * j->rules; s++)
		if (rf->days[s] > 0)
			probed_drop(rf, s);
	return status;
}

int fit_joint_profile(struct mql_fit_joint *j, mql_error *err)
{
	refitter rf;
	side *sides = calloc(2 * (j->rules ? j->rules : 1), sizeof *sides);
	if (!sides || refitter_init(&rf, j) != MQL_OK) {
		free(sides);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	for (size_t r = 0; r < j->rules; r++)
		if (j->state[r] == FIT_JOINT_FITTED ||
		    j->state[r] == FIT_JOINT_NO_DECAY)
			start_sides(&sides[2 * r], &sides[2 * r + 1], j, r);
	int status = MQL_OK;
	size_t open = 1;
	for (int round = 0;
	     status == MQL_OK && open > 0 && round < PROFILE_ROUNDS; round++)
		status = profile_round(&rf, sides, &open, err);
	for (int point = 0; status == MQL_OK && point < WEIGHT_POINTS; point++)
		status = weight_round(&rf, sides, point, err);
	for (size_t s = 0; status == MQL_OK && s < 2 * j->rules; s++)
		j->ci[s] = sides[s].sign == 0 ? NAN
			   : sides[s].done    ? sides[s].limit
					      : NAN;
	j->profiled = status == MQL_OK;
	refitter_free(&rf);
	free(sides);
	return status;
}
