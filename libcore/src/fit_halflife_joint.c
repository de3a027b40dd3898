/*
 * fit_halflife_joint.c - the half-lives estimated with the weights, by one
 * maximum-likelihood fit (see fit.h, step 1b).
 *
 * The column of an engagement rule with half-life h = e^theta is
 * x(theta) = min(cap, D), D = sum over its events of 2^(-a/h) (a = age in
 * days at the row's decision time).  With u = a/h,
 *   dD/dtheta   = ln2 sum 2^-u u,
 *   d2D/dtheta2 = ln2^2 sum 2^-u u^2 - ln2 sum 2^-u u,
 * both 0 where the cap binds.  Each evaluation at new half-lives reads the
 * events file again and keeps, per row and rule, the three sums (in fixed
 * point, so that the order the events come in does not change a bit):
 * memory grows with rows x rules, never with events.
 */
#include <mqlcal/fit.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include <mqlcal/events.h>
#include <mqlcal/score.h>

#define FIXED_ONE      1099511627776.0 /* 2^40, as the features' counts */
#define SUMS	       3	       /* sum w, sum w u, sum w u^2 */
#define MAX_STEPS      50
#define MAX_HALVINGS   12
#define MAX_READS      60  /* of the events file: bounds the time */
#define MAX_THETA_STEP 1.0 /* in log days */
#define MIN_DAYS       0.5 /* below: fixed there, no longer estimated */
#define LN2	       0.69314718055994530942

/* What became of an engagement rule's half-life. */
enum rule_state {
	STATE_FITTED,	  /* estimated: theta is a parameter */
	STATE_NO_DECAY,	  /* the likelihood rises toward no decay */
	STATE_AT_LOWER,	  /* heads below MIN_DAYS: the grid's choice kept */
	STATE_NOT_FITTED, /* column aliased: the grid's choice stays */
	STATE_RUNAWAY	  /* its weight runs away: the grid's choice kept */
};

static const char *const state_text[] = {
	"maximum likelihood", "no decay: the likelihood rises toward it",
	"not estimated: heads below half a day (the grid's choice kept)",
	"not estimated: the column is aliased",
	("not estimated: its weight runs away as the half-life shrinks "
	 "(separation; the grid's choice kept)")};

struct mql_fit_joint {
	mql_features *f;
	const mql_population *p;
	const double *weights;
	const mql_fit_options *opt;
	size_t rules;	     /* engagement rules */
	int *state;	     /* per rule: enum rule_state */
	int *grid;	     /* per rule: the grid's variant */
	double *half_life;   /* per rule, days (while fitted or at lower) */
	int64_t *sums;	     /* rows x rules x SUMS, 2^-40 units */
	double *dx, *d2x;    /* rows x rules: derivatives in theta */
	int32_t *member_of;  /* contacts row -> member, -1 */
	mql_time *horizon;   /* per member */
	int32_t *type_of;    /* per rule: its event type's id in the scan */
	double *beta;	     /* 1 + columns */
	double *start_beta;  /* the fit at the grid's choice */
	int *aliased;	     /* per column */
	size_t params;	     /* free betas then free thetas */
	size_t *beta_param;  /* 1 + columns: index, SIZE_MAX if fixed */
	size_t *theta_param; /* per rule: index, SIZE_MAX if fixed */
	double *grad, *fisher, *observed, *step, *covariance;
	double log_likelihood;
	int iterations, converged, expected_information;
	size_t scans;
};

static int scanned(const struct mql_fit_joint *j, size_t r)
{
	return j->state[r] == STATE_FITTED;
}

/* --- one pass over the events ------------------------------------------- */

/*
 * The events' type id of each rule: the rules' events are given to the
 * scan in rule order, and a name met again keeps its first id.
 */
static void bind_types(struct mql_fit_joint *j)
{
	size_t distinct = 0;
	for (size_t r = 0; r < j->rules; r++) {
		const char *event = j->f->rules->engagement[r].event;
		size_t k = 0;
		while (k < r && strcmp(j->f->rules->engagement[k].event, event))
			k++;
		j->type_of[r] = k < r ? j->type_of[k] : (int32_t)distinct++;
	}
}

static void add_fixed(int64_t *cell, double value)
{
	__atomic_fetch_add(cell, (int64_t)(value * FIXED_ONE + 0.5),
			   __ATOMIC_RELAXED);
}

static int count_event(void *context, int range, const mql_event *ev,
		       mql_error *err)
{
	(void)err;
	(void)range;
	struct mql_fit_joint *j = context;
	int32_t member = j->member_of[ev->contact];
	if (member < 0 || ev->at > j->horizon[member])
		return MQL_OK;
	double age =
		j->horizon[member] == INT64_MAX
			? 0.0
			: mql_time_days_between(ev->at, j->horizon[member]);
	for (size_t r = 0; r < j->rules; r++) {
		if (!scanned(j, r) || j->type_of[r] != ev->type)
			continue;
		double u = age / j->half_life[r];
		double w = exp2(-u);
		int64_t *cell =
			&j->sums[((size_t)member * j->rules + r) * SUMS];
		add_fixed(&cell[0], w);
		add_fixed(&cell[1], w * u);
		add_fixed(&cell[2], w * u * u);
	}
	return MQL_OK;
}

static void restart(void *context)
{
	struct mql_fit_joint *j = context;
	memset(j->sums, 0, j->f->rows * j->rules * SUMS * sizeof *j->sums);
}

/* The scanned rules' columns of f->x, their support and derivatives. */
static void fill_columns(struct mql_fit_joint *j)
{
	mql_features *f = j->f;
	for (size_t r = 0; r < j->rules; r++) {
		if (!scanned(j, r))
			continue;
		const mql_rule *rule = &f->rules->engagement[r];
		size_t column = f->fit_count + r;
		double support = 0;
		for (size_t i = 0; i < f->rows; i++) {
			const int64_t *cell =
				&j->sums[(i * j->rules + r) * SUMS];
			double count = (double)cell[0] / FIXED_ONE;
			double first = LN2 * ((double)cell[1] / FIXED_ONE);
			double second =
				LN2 * LN2 * ((double)cell[2] / FIXED_ONE) -
				first;
			int capped = !(count < rule->max_count);
			f->x[i * f->columns + column] =
				capped ? rule->max_count : count;
			j->dx[i * j->rules + r] = capped ? 0 : first;
			j->d2x[i * j->rules + r] = capped ? 0 : second;
			support += count != 0.0;
		}
		f->support[column] = support;
	}
}

/* Reads the events at the current half-lives and refills the columns. */
static int scan(struct mql_fit_joint *j, mql_error *err)
{
	restart(j);
	const char **types = malloc((j->rules ? j->rules : 1) * sizeof *types);
	if (!types)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	for (size_t r = 0; r < j->rules; r++)
		types[r] = j->f->rules->engagement[r].event;
	mql_events_scan_options so;
	mql_events_scan_options_init(&so);
	so.threads = j->opt->threads;
	so.ignore_campaigns = 1;
	so.types = types;
	so.type_count = j->rules;
	mql_events *scanned_events = NULL;
	mql_events_scan_ops ops = {NULL, count_event, j};
	int status =
		mql_events_scan(&scanned_events, j->opt->events_path,
				j->opt->contacts, j->opt->csv, &so, &ops, err);
	mql_events_close(scanned_events);
	free(types);
	j->scans++;
	if (status == MQL_OK)
		fill_columns(j);
	return status;
}

/* --- the likelihood and its derivatives --------------------------------- */

static double row_eta(const struct mql_fit_joint *j, size_t i)
{
	const mql_features *f = j->f;
	double eta = j->beta[0];
	for (size_t c = 0; c < f->columns; c++)
		eta += j->beta[c + 1] * f->x[i * f->columns + c];
	return eta;
}

/* log(1 + e^eta) without overflow. */
static double log1p_exp(double eta)
{
	return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
}

/* The (penalized) log-likelihood at the current parameters and columns. */
static double log_likelihood(const struct mql_fit_joint *j)
{
	double sum = 0;
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (w > 0) {
			double eta = row_eta(j, i);
			sum += w * (j->p->y[i] * eta - log1p_exp(eta));
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++)
		sum -= 0.5 * j->opt->l2 * j->beta[c] * j->beta[c];
	return sum;
}

/* Numbers the free parameters: betas not aliased, then fitted thetas. */
static void number_params(struct mql_fit_joint *j)
{
	size_t n = 0;
	for (size_t c = 0; c <= j->f->columns; c++)
		j->beta_param[c] =
			c == 0 || !j->aliased[c - 1] ? n++ : SIZE_MAX;
	for (size_t r = 0; r < j->rules; r++)
		j->theta_param[r] =
			j->state[r] == STATE_FITTED ? n++ : SIZE_MAX;
	j->params = n;
}

/* d eta_i / d each free parameter into row. */
static void row_jacobian(const struct mql_fit_joint *j, size_t i, double *row)
{
	const mql_features *f = j->f;
	for (size_t c = 0; c <= f->columns; c++)
		if (j->beta_param[c] != SIZE_MAX)
			row[j->beta_param[c]] =
				c == 0 ? 1.0 : f->x[i * f->columns + c - 1];
	for (size_t r = 0; r < j->rules; r++)
		if (j->theta_param[r] != SIZE_MAX)
			row[j->theta_param[r]] = j->beta[f->fit_count + r + 1] *
						 j->dx[i * j->rules + r];
}

/*
 * Gradient, expected (Fisher) information and observed information (the
 * negative Hessian) at the current point; upper and lower triangles.
 */
static void derivatives(struct mql_fit_joint *j, double *row)
{
	size_t n = j->params;
	memset(j->grad, 0, n * sizeof *j->grad);
	memset(j->fisher, 0, n * n * sizeof *j->fisher);
	memset(j->observed, 0, n * n * sizeof *j->observed);
	for (size_t i = 0; i < j->f->rows; i++) {
		double w = j->weights[i];
		if (!(w > 0))
			continue;
		double prob = mql_logit_inverse(row_eta(j, i));
		double residual = w * (j->p->y[i] - prob);
		double v = w * prob * (1 - prob);
		row_jacobian(j, i, row);
		for (size_t a = 0; a < n; a++) {
			j->grad[a] += residual * row[a];
			for (size_t b = a; b < n; b++)
				j->fisher[a * n + b] += v * row[a] * row[b];
		}
		/* Second derivatives of eta: d2/dbeta_r dtheta_r = dx,
		 * d2/dtheta_r^2 = beta_r d2x. */
		for (size_t r = 0; r < j->rules; r++) {
			size_t t = j->theta_param[r];
			if (t == SIZE_MAX)
				continue;
			size_t c = j->f->fit_count + r + 1;
			size_t b = j->beta_param[c];
			j->observed[t * n + t] -= residual * j->beta[c] *
						  j->d2x[i * j->rules + r];
			if (b != SIZE_MAX)
				j->observed[(b < t ? b : t) * n +
					    (b < t ? t : b)] -=
					residual * j->dx[i * j->rules + r];
		}
	}
	for (size_t c = 1; c <= j->f->columns; c++) {
		size_t b = j->beta_param[c];
		if (b == SIZE_MAX)
			continue;
		j->grad[b] -= j->opt->l2 * j->beta[c];
		j->fisher[b * n + b] += j->opt->l2;
	}
	for (size_t a = 0; a < n; a++)
		for (size_t b = a; b < n; b++) {
			j->observed[a * n + b] += j->fisher[a * n + b];
			j->observed[b * n + a] = j->observed[a * n + b];
			j->fisher[b * n + a] = j->fisher[a * n + b];
		}
}

/*
 * Cholesky of the n x n matrix in factor (overwritten); with solve, the
 * step solving it against the gradient; with invert, its inverse in place.
 * Returns 0, or -1 when the matrix is not positive definite.
 */
static int cholesky(double *factor, size_t n, const double *gradient,
		    double *solution, int invert)
{
	gsl_matrix_view m = gsl_matrix_view_array(factor, n, n);
	gsl_error_handler_t *previous = gsl_set_error_handler_off();
	int status = gsl_linalg_cholesky_decomp1(&m.matrix);
	for (size_t a = 0; status == GSL_SUCCESS && a < n; a++)
		if (!(gsl_matrix_get(&m.matrix, a, a) > 0))
			status = GSL_EDOM;
	if (status == GSL_SUCCESS && solution) {
		gsl_vector_const_view g =
			gsl_vector_const_view_array(gradient, n);
		gsl_vector_view s = gsl_vector_view_array(solution, n);
		status = gsl_linalg_cholesky_solve(&m.matrix, &g.vector,
						   &s.vector);
	}
	if (status == GSL_SUCCESS && invert)
		status = gsl_linalg_cholesky_invert(&m.matrix);
	gsl_set_error_handler(previous);
	return status == GSL_SUCCESS ? 0 : -1;
}

/* --- Newton's method on (beta, theta) ----------------------------------- */

/* Moves the parameters by t * step; a half-life leaving its range is
 * clamped to it. */
static void move(struct mql_fit_joint *j, const double *from_beta,
		 const double *from_half_life, double t)
{
	for (size_t c = 0; c <= j->f->columns; c++)
		j->beta[c] =
			from_beta[c] + (j->beta_param[c] != SIZE_MAX
						? t * j->step[j->beta_param[c]]
						: 0);
	for (size_t r = 0; r < j->rules; r++) {
		if (j->theta_param[r] == SIZE_MAX)
			continue;
		double theta =
			log(from_half_life[r]) + t * j->step[j->theta_param[r]];
		double h = exp(theta);
		j->half_life[r] = h > MQL_RULE_MAX_DAYS ? MQL_RULE_MAX_DAYS
				  : h < MIN_DAYS	? MIN_DAYS
							: h;
	}
}

/*
 * Whether rule r's weight ran away as its column shrank toward a few rows:
 * |beta| times the column's largest value beyond 25 (that row's odds moved
 * by e^25, the engine's measure of separation, logit.h).
 */
static int runaway(const struct mql_fit_joint *j, size_t r)
{
	const mql_features *f = j->f;
	size_t column = f->fit_count + r;
	double largest = 0;
	for (size_t i = 0; i < f->rows; i++)
		if (j->weights[i] > 0)
			largest = fmax(largest,
				       fabs(f->x[i * f->columns + column]));
	return fabs(j->beta[column + 1]) * largest > 25;
}

/*
 * A half-life that reached a bound is no longer estimated: at the upper
 * one the rule takes no decay (the grid's last column); at the lower one
 * its column would vanish, and it keeps the grid's choice.  Returns 1 when
 * any did.
 */
static int settle_bounds(struct mql_fit_joint *j)
{
	int any = 0;
	for (size_t r = 0; r < j->rules; r++) {
		if (j->state[r] != STATE_FITTED)
			continue;
		if (j->half_life[r] >= MQL_RULE_MAX_DAYS) {
			j->state[r] = STATE_NO_DECAY;
			mql_features_set_variant(j->f, r,
						 MQL_HALF_LIFE_GRID_COUNT);
			any = 1;
		} else if (j->half_life[r] <= MIN_DAYS || runaway(j, r)) {
			j->state[r] = j->half_life[r] <= MIN_DAYS
					      ? STATE_AT_LOWER
					      : STATE_RUNAWAY;
			mql_features_set_variant(j->f, r, (size_t)j->grid[r]);
			size_t column = j->f->fit_count + r + 1;
			j->beta[column] = j->start_beta[column];
			any = 1;
		}
	}
	if (any)
		number_params(j);
	return any;
}

/*
 * One Newton step from the current point (derivatives already in j):
 * observed information when positive definite, else Fisher's; halved
 * until the log-likelihood does not fall.  *done when the Newton
 * decrement is negligible or no step helps.
 */
static int newton_step(struct mql_fit_joint *j, double *old_beta,
		       double *old_half_life, double *factor, int *done,
		       mql_error *err)
{
	size_t n = j->params;
	memcpy(factor, j->observed, n * n * sizeof *factor);
	if (cholesky(factor, n, j->grad, j->step, 0) != 0) {
		memcpy(factor, j->fisher, n * n * sizeof *factor);
		if (cholesky(factor, n, j->grad, j->step, 0) != 0)
			return mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
					     "its information matrix is "
					     "singular");
	}
	double decrement = 0;
	for (size_t a = 0; a < n; a++)
		decrement += j->grad[a] * j->step[a];
	if (decrement < 1e-16 * (1 + fabs(j->log_likelihood))) {
		*done = 1;
		return MQL_OK;
	}
	size_t columns = j->f->columns;
	memcpy(old_beta, j->beta, (columns + 1) * sizeof *old_beta);
	memcpy(old_half_life, j->half_life, j->rules * sizeof *old_half_life);
	/* A half-life moves by at most a factor e a step: far from the
	 * optimum the quadratic model of a flat direction overshoots. */
	double t = 1;
	for (size_t r = 0; r < j->rules; r++)
		if (j->theta_param[r] != SIZE_MAX &&
		    fabs(j->step[j->theta_param[r]]) * t > MAX_THETA_STEP)
			t = MAX_THETA_STEP / fabs(j->step[j->theta_param[r]]);
	double before = j->log_likelihood;
	for (int k = 0; k < MAX_HALVINGS; k++, t /= 2) {
		move(j, old_beta, old_half_life, t);
		int status = scan(j, err);
		if (status != MQL_OK)
			return status;
		j->log_likelihood = log_likelihood(j);
		/* Rounding may cost the last digits at the optimum.  A step
		 * that had to be cut and gained next to nothing is the last:
		 * the cap's kinks stop Newton's method short of quadratic
		 * convergence (glm's deviance criterion, tighter). */
		double gain = j->log_likelihood - before;
		if (gain >= -1e-12 * (1 + fabs(before))) {
			*done = k > 0 && gain < 1e-10 * (1 + fabs(before));
			return MQL_OK;
		}
	}
	/* No step helps: the point is a maximum to rounding. */
	move(j, old_beta, old_half_life, 0);
	j->log_likelihood = before;
	*done = 1;
	return scan(j, err);
}

static int newton(struct mql_fit_joint *j, mql_error *err)
{
	size_t columns = j->f->columns;
	size_t most = 1 + columns + j->rules;
	double *row = malloc(most * sizeof *row);
	double *factor = malloc(most * most * sizeof *factor);
	double *old_beta = malloc((columns + 1) * sizeof *old_beta);
	double *old_half_life =
		malloc((j->rules ? j->rules : 1) * sizeof *old_half_life);
	int status = row && factor && old_beta && old_half_life ? scan(j, err)
								: MQL_ERR_NOMEM;
	if (status == MQL_OK)
		j->log_likelihood = log_likelihood(j);
	while (status == MQL_OK && j->iterations < MAX_STEPS &&
	       j->scans < MAX_READS) {
		derivatives(j, row);
		int done = 0;
		status = newton_step(j, old_beta, old_half_life, factor, &done,
				     err);
		int settled = status == MQL_OK && settle_bounds(j);
		if (status == MQL_OK && done && !settled) {
			j->converged = 1;
			break;
		}
		j->iterations += !done;
	}
	if (status == MQL_OK && !j->converged)
		status = mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
				       "no convergence in %d steps or %d reads "
				       "of the events",
				       MAX_STEPS, MAX_READS);
	/* The covariance: the inverse observed information at the optimum
	 * (Fisher's if the observed is not positive definite there). */
	if (status == MQL_OK) {
		derivatives(j, row);
		size_t n = j->params;
		memcpy(j->covariance, j->observed, n * n * sizeof(double));
		if (cholesky(j->covariance, n, NULL, NULL, 1) != 0) {
			j->expected_information = 1;
			memcpy(j->covariance, j->fisher,
			       n * n * sizeof(double));
			if (cholesky(j->covariance, n, NULL, NULL, 1) != 0)
				status = mql_error_set(
					err, MQL_ERR_INTERNAL, NULL, 0, 0,
					"its information matrix is singular");
		}
	}
	free(row);
	free(factor);
	free(old_beta);
	free(old_half_life);
	return status;
}

/* --- setting up and reporting ------------------------------------------- */

void mql_fit_joint_free(mql_fit_joint *j)
{
	if (!j)
		return;
	free(j->state);
	free(j->grid);
	free(j->half_life);
	free(j->sums);
	free(j->dx);
	free(j->d2x);
	free(j->member_of);
	free(j->horizon);
	free(j->type_of);
	free(j->beta);
	free(j->start_beta);
	free(j->aliased);
	free(j->beta_param);
	free(j->theta_param);
	free(j->grad);
	free(j->fisher);
	free(j->observed);
	free(j->step);
	free(j->covariance);
	free(j);
}

static int allocate(struct mql_fit_joint *j, size_t contacts)
{
	size_t rows = j->f->rows ? j->f->rows : 1;
	size_t rules = j->rules ? j->rules : 1;
	size_t columns = j->f->columns;
	size_t most = 1 + columns + j->rules;
	j->state = calloc(rules, sizeof *j->state);
	j->type_of = calloc(rules, sizeof *j->type_of);
	j->grid = calloc(rules, sizeof *j->grid);
	j->half_life = calloc(rules, sizeof *j->half_life);
	j->sums = calloc(rows * rules * SUMS, sizeof *j->sums);
	j->dx = calloc(rows * rules, sizeof *j->dx);
	j->d2x = calloc(rows * rules, sizeof *j->d2x);
	j->member_of = malloc((contacts ? contacts : 1) * sizeof *j->member_of);
	j->horizon = malloc(rows * sizeof *j->horizon);
	j->beta = calloc(columns + 1, sizeof *j->beta);
	j->start_beta = calloc(columns + 1, sizeof *j->start_beta);
	j->aliased = calloc(columns + 1, sizeof *j->aliased);
	j->beta_param = calloc(columns + 1, sizeof *j->beta_param);
	j->theta_param = calloc(rules, sizeof *j->theta_param);
	j->grad = calloc(most, sizeof *j->grad);
	j->step = calloc(most, sizeof *j->step);
	j->fisher = calloc(most * most, sizeof *j->fisher);
	j->observed = calloc(most * most, sizeof *j->observed);
	j->covariance = calloc(most * most, sizeof *j->covariance);
	return j->state && j->type_of && j->grid && j->half_life && j->sums &&
			       j->dx && j->d2x && j->member_of && j->horizon &&
			       j->beta && j->aliased && j->beta_param &&
			       j->theta_param && j->grad && j->step &&
			       j->fisher && j->observed && j->covariance
		       ? MQL_OK
		       : MQL_ERR_NOMEM;
}

/*
 * The starting point: the members and their horizons, the weights of the
 * fit at the grid's half-lives, and each rule's half-life (a rule without
 * decay starts at the grid's longest, 365 days).
 */
static void start_at(struct mql_fit_joint *j, const mql_logit_result *fit)
{
	const mql_contacts *contacts = j->opt->contacts;
	for (size_t row = 0; row < contacts->count; row++)
		j->member_of[row] = -1;
	for (size_t i = 0; i < j->p->count; i++) {
		j->member_of[j->p->row[i]] = (int32_t)i;
		j->horizon[i] = mql_features_horizon(j->p, i);
	}
	for (size_t c = 0; c <= j->f->columns; c++) {
		j->beta[c] = j->start_beta[c] = fit->coef[c].estimate;
		j->aliased[c > 0 ? c - 1 : 0] |= c > 0 && fit->coef[c].aliased;
	}
	for (size_t r = 0; r < j->rules; r++) {
		j->grid[r] = j->f->variant[r];
		double h = mql_features_variant_half_life(
			(size_t)j->f->variant[r]);
		j->state[r] = j->aliased[j->f->fit_count + r] ? STATE_NOT_FITTED
							      : STATE_FITTED;
		j->half_life[r] =
			h > 0 ? h
			      : mql_half_life_grid[MQL_HALF_LIFE_GRID_COUNT -
						   2];
	}
	number_params(j);
	bind_types(j);
}

/* The rules' decays as estimated (their columns are already filled). */
static void set_decays(struct mql_fit_joint *j)
{
	for (size_t r = 0; r < j->rules; r++) {
		if (!scanned(j, r))
			continue;
		mql_rule *rule = &j->f->rules->engagement[r];
		rule->decay = MQL_DECAY_HALF_LIFE;
		rule->decay_days = j->half_life[r];
	}
}

static int add_number_or_null(cJSON *item, const char *key, double value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(item, key);
	return (isfinite(value) ? cJSON_AddNumberToObject(item, key, value)
				: cJSON_AddNullToObject(item, key)) != NULL;
}

/* One rule's entry of "half_lives": the estimate, its CI, the grid's. */
static int record_rule(cJSON *item, const struct mql_fit_joint *j, size_t r)
{
	const cJSON *grid =
		cJSON_GetObjectItemCaseSensitive(item, "half_life_days");
	double chosen = cJSON_IsNumber(grid) ? grid->valuedouble : NAN;
	double h = j->state[r] == STATE_NO_DECAY ? NAN
		   : j->state[r] == STATE_FITTED ? j->half_life[r]
						 : chosen;
	size_t t = j->theta_param[r];
	double se =
		t != SIZE_MAX ? sqrt(j->covariance[t * j->params + t]) : NAN;
	return add_number_or_null(item, "grid_half_life_days", chosen) &&
	       add_number_or_null(item, "half_life_days", h) &&
	       add_number_or_null(item, "std_error_log", se) &&
	       add_number_or_null(item, "ci_low",
				  h * exp(-MQL_LOGIT_Z95 * se)) &&
	       add_number_or_null(item, "ci_high",
				  h * exp(MQL_LOGIT_Z95 * se)) &&
	       cJSON_AddStringToObject(item, "estimate",
				       state_text[j->state[r]]);
}

static int record(mql_model *m, const struct mql_fit_joint *j)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(m->extra, "half_lives");
	for (size_t r = 0; r < j->rules; r++) {
		cJSON *item = cJSON_GetArrayItem(list, (int)r);
		if (!item || !record_rule(item, j, r))
			return MQL_ERR_NOMEM;
	}
	cJSON *meta = cJSON_AddObjectToObject(m->extra, "half_life_fit");
	if (!meta ||
	    !cJSON_AddStringToObject(meta, "method",
				     "maximum likelihood of the weights and "
				     "log half-lives together, from the "
				     "grid's choice") ||
	    !cJSON_AddStringToObject(meta, "information",
				     j->expected_information ? "expected"
							     : "observed") ||
	    !cJSON_AddNumberToObject(meta, "iterations", j->iterations) ||
	    !cJSON_AddBoolToObject(meta, "converged", j->converged) ||
	    !cJSON_AddNumberToObject(meta, "log_likelihood",
				     j->log_likelihood) ||
	    !cJSON_AddNumberToObject(meta, "events_reads", (double)j->scans))
		return MQL_ERR_NOMEM;
	if (!j->converged &&
	    mql_model_add_warning(m,
				  "the joint fit of half-lives did not "
				  "converge in %d steps",
				  MAX_STEPS))
		return MQL_ERR_NOMEM;
	if (j->expected_information &&
	    mql_model_add_warning(
		    m, "the observed information of the joint fit of "
		       "half-lives is not positive definite: intervals from "
		       "the expected information"))
		return MQL_ERR_NOMEM;
	return MQL_OK;
}

int mql_fit_joint_half_lives(mql_fit_joint **out, mql_model *m, mql_features *f,
			     const mql_population *p, const double *weights,
			     const mql_fit_options *opt, mql_error *err)
{
	*out = NULL;
	mql_logit_result *fit = NULL;
	int status = mql_fit_weighted(&fit, f, p, weights, opt->l2, err);
	if (status != MQL_OK)
		return status;
	if (fit->method == MQL_LOGIT_FIRTH) {
		mql_logit_result_free(fit);
		return mql_model_add_warning(
			       m, "half-lives not estimated with the weights "
				  "(separation, Firth's fit): intervals take "
				  "the grid's half-lives as known")
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	}
	struct mql_fit_joint *j = calloc(1, sizeof *j);
	if (j) {
		j->f = f;
		j->p = p;
		j->weights = weights;
		j->opt = opt;
		j->rules = f->engagement_count;
	}
	status = j ? allocate(j, opt->contacts->count) : MQL_ERR_NOMEM;
	if (status == MQL_OK) {
		start_at(j, fit);
		status = newton(j, err);
	}
	mql_logit_result_free(fit);
	if (status == MQL_ERR_INTERNAL) {
		/* Not identified (a rule's column flat in its half-life, or
		 * gone to zeros): back to the grid's choice, said so. */
		for (size_t r = 0; r < f->engagement_count; r++)
			mql_features_set_variant(f, r, (size_t)j->grid[r]);
		mql_fit_joint_free(j);
		return mql_model_add_warning(
			       m,
			       "half-lives not estimated with the weights "
			       "(%s): intervals take the grid's "
			       "half-lives as known",
			       err->message)
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	}
	if (status == MQL_OK) {
		set_decays(j);
		status = record(m, j);
	}
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, NULL, 0, 0, "out of memory");
	if (status != MQL_OK) {
		mql_fit_joint_free(j);
		return status;
	}
	*out = j;
	return MQL_OK;
}

static void set_interval(mql_model_estimate *e, double variance)
{
	e->std_error = sqrt(variance);
	e->z = e->estimate / e->std_error;
	e->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(e->z));
	e->ci_low = e->estimate - MQL_LOGIT_Z95 * e->std_error;
	e->ci_high = e->estimate + MQL_LOGIT_Z95 * e->std_error;
}

int mql_fit_joint_apply(mql_model *m, const mql_fit_joint *j)
{
	size_t n = j->params;
	if (strcmp(m->fit.interval, "wald") != 0)
		return mql_model_add_warning(
			       m, "the fit at the estimated half-lives is "
				  "Firth's (separation): its intervals take "
				  "the half-lives as known")
			       ? MQL_ERR_NOMEM
			       : MQL_OK;
	for (size_t c = 0; c <= j->f->columns && c <= m->coefficient_count;
	     c++) {
		size_t b = j->beta_param[c];
		if (b == SIZE_MAX)
			continue;
		set_interval(c == 0 ? &m->intercept
				    : &m->coefficients[c - 1].value,
			     j->covariance[b * n + b]);
	}
	return cJSON_AddStringToObject(m->extra, "intervals",
				       "standard errors from the joint "
				       "information of weights and "
				       "half-lives, estimated together")
		       ? MQL_OK
		       : MQL_ERR_NOMEM;
}
