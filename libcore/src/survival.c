/*
 * survival.c - Kaplan-Meier with Greenwood variance, and Aalen-Johansen
 * when there are competing outcomes (see survival.h).
 */
#include <mqlcal/survival.h>

#include "huge_pages.h"
#include "radix.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct observation {
	double time;
	int event;
} observation;

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

/* The bits of a time >= 0: as unsigned integers they sort as the times. */
static uint64_t time_key(double time)
{
	uint64_t key;
	time += 0.0; /* -0 becomes +0, whose bits sort first */
	memcpy(&key, &time, sizeof key);
	return key;
}

/*
 * Sorts by time with an LSD radix sort on the bits of the times (a
 * million waits sort several times faster than with qsort).  The order
 * within a tie does not matter: each tie is counted as a whole.  Returns
 * MQL_OK or MQL_ERR_NOMEM.
 */
static int sort_by_time(observation *obs, size_t n)
{
	observation *buffer = malloc((n ? n : 1) * sizeof *buffer);
	observation *from = obs, *to = buffer;
	size_t count[RADIX_SIZE];
	if (!buffer)
		return MQL_ERR_NOMEM;
	for (unsigned shift = 0; shift < 64; shift += RADIX_BITS) {
		size_t total = 0, skip = 0;
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++)
			count[(time_key(from[i].time) >> shift) &
			      (RADIX_SIZE - 1)]++;
		for (size_t d = 0; d < RADIX_SIZE; d++) {
			size_t c = count[d];
			skip |= c == n; /* one digit everywhere: order stays */
			count[d] = total;
			total += c;
		}
		if (skip)
			continue;
		for (size_t i = 0; i < n; i++)
			to[count[(time_key(from[i].time) >> shift) &
				 (RADIX_SIZE - 1)]++] = from[i];
		from = to;
		to = to == obs ? buffer : obs;
	}
	if (from != obs)
		memcpy(obs, from, n * sizeof *obs);
	free(buffer);
	return MQL_OK;
}

/* The subjects sorted by time: observations, or integer keys (tick << 2
 * | outcome) whose time is tick / scale. */
typedef struct sorted_subjects {
	observation *obs; /* NULL: keys */
	const uint64_t *keys;
	uint64_t *owned_keys; /* keys when they are the fit's to free */
	double scale;
	size_t n;
	size_t later;  /* more subjects, censored after the last one */
	int competing; /* some subject has outcome 2 */
	size_t events, competed; /* subjects with outcome 1, with 2 */
} sorted_subjects;

static double subject_time(const sorted_subjects *s, size_t i)
{
	return s->obs ? s->obs[i].time
		      : (double)(int64_t)(s->keys[i] >> 2) / s->scale;
}

static int subject_event(const sorted_subjects *s, size_t i)
{
	return s->obs ? s->obs[i].event : (int)(s->keys[i] & 3);
}

/* Checks integer times and sorts them into out->keys. */
static int sorted_ticks(sorted_subjects *out, const int64_t *ticks,
			const int *event, size_t n, double scale,
			mql_error *err)
{
	uint64_t *keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	mql_huge_pages_advise(keys, n * sizeof *keys);
	out->events = out->competed = 0;
	for (size_t i = 0; i < n; i++) {
		if (ticks[i] < 0 || ticks[i] > INT64_MAX / 4 || event[i] < 0 ||
		    event[i] > 2) {
			free(keys);
			return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
					     "subject %zu: expected a time >= "
					     "0 and an outcome 0, 1 or 2",
					     i + 1);
		}
		keys[i] = (uint64_t)ticks[i] << 2 | (uint64_t)event[i];
		out->events += event[i] == 1;
		out->competed += event[i] == 2;
	}
	out->competing = out->competed > 0;
	if (!(scale > 0.0 && isfinite(scale))) {
		free(keys);
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "expected a positive time scale");
	}
	if (mql_radix_sort_in_place(keys, n, 0) != 0) {
		free(keys);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	out->obs = NULL;
	out->keys = out->owned_keys = keys;
	out->scale = scale;
	out->n = n;
	return MQL_OK;
}

/* Checks and copies the input into observations sorted by time. */
static int sorted_observations(sorted_subjects *out, const double *time,
			       const int *event, size_t n, mql_error *err)
{
	observation *obs = malloc((n ? n : 1) * sizeof *obs);
	if (!obs)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	out->events = out->competed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(time[i]) || time[i] < 0 || event[i] < 0 ||
		    event[i] > 2) {
			free(obs);
			return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
					     "subject %zu: expected a time >= "
					     "0 and an outcome 0, 1 or 2",
					     i + 1);
		}
		obs[i].time = time[i];
		obs[i].event = event[i];
		out->events += event[i] == 1;
		out->competed += event[i] == 2;
	}
	out->competing = out->competed > 0;
	if (sort_by_time(obs, n) != MQL_OK) {
		free(obs);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	out->obs = obs;
	out->keys = out->owned_keys = NULL;
	out->n = n;
	return MQL_OK;
}

/* Whether subjects i and j have the same time (for keys, the same tick:
 * no division per subject). */
static int same_time(const sorted_subjects *s, size_t i, size_t j)
{
	return s->obs ? s->obs[i].time == s->obs[j].time
		      : (s->keys[i] >> 2) == (s->keys[j] >> 2);
}

/* The step at subject *i: counts the ties there and advances *i past
 * them. */
static void count_tie(const sorted_subjects *subjects, size_t *i,
		      mql_survival_step *step)
{
	size_t first = *i;
	size_t tally[3] = {0, 0, 0}; /* censored, events, competing */
	step->time = subject_time(subjects, first);
	for (; *i < subjects->n && same_time(subjects, *i, first); ++*i)
		tally[subject_event(subjects, *i)]++;
	step->censored = tally[0];
	step->events = tally[1];
	step->competing = tally[2];
}

/* Survival, Greenwood error and log interval after a step (the survival
 * alone when intervals is 0). */
static void update_estimate(mql_survival_step *step, double *survival,
			    double *greenwood_sum, int intervals)
{
	double n = (double)step->at_risk, d = (double)step->events;
	*survival *= 1.0 - d / n;
	if (!intervals) {
		step->survival = *survival > 0.0 ? *survival : 0.0;
		step->std_error = step->low = step->high = NAN;
		return;
	}
	if (step->events == step->at_risk)
		*greenwood_sum = INFINITY; /* S = 0 from here on */
	else
		*greenwood_sum += d / (n * (n - d));
	step->survival = *survival;
	if (!isfinite(*greenwood_sum) || *survival <= 0.0) {
		step->std_error = isfinite(*greenwood_sum) ? 0.0 : NAN;
		step->survival = 0.0;
		step->low = NAN;
		step->high = NAN;
		return;
	}
	step->std_error = *survival * sqrt(*greenwood_sum);
	step->low = *survival * exp(-MQL_SURVIVAL_Z95 * sqrt(*greenwood_sum));
	step->high = fmin(
		1.0, *survival * exp(MQL_SURVIVAL_Z95 * sqrt(*greenwood_sum)));
}

/*
 * Aalen-Johansen after a step: the incidence of the event grows by the
 * share of subjects still free of both outcomes times the event's hazard.
 */
static void update_incidence(mql_survival_step *step, double *free_of_both,
			     double *incidence)
{
	double n = (double)step->at_risk;
	*incidence += *free_of_both * (double)step->events / n;
	*free_of_both *= 1.0 - (double)(step->events + step->competing) / n;
	step->survival = fmax(0.0, 1.0 - *incidence);
	step->std_error = NAN;
	step->low = NAN;
	step->high = NAN;
}

/* First time with S(t) <= 1 - p (0 < p < 1), or NAN when not reached. */
static double quantile(const mql_survival *s, double p)
{
	/* A product of factors can miss 0.5 by an ulp or two: allow that. */
	double level = 1.0 - p + 1e-12;
	for (size_t i = 0; s && i < s->step_count; i++)
		if (s->steps[i].events > 0 && s->steps[i].survival <= level)
			return s->steps[i].time;
	return NAN;
}

/* Where a fit without steps keeps the quantiles it passes. */
typedef struct quantile_watch {
	double level[2]; /* 1 - p + 1e-12 for the median and the p90 */
	double *value[2];
} quantile_watch;

/*
 * Walks the sorted observations step by step into s: every step kept
 * when s->steps is not NULL (then the quantiles are read off the steps),
 * else only the counts and the quantiles, without intervals.
 */
static void walk_steps(mql_survival *s, const sorted_subjects *subjects)
{
	double survival = 1.0, greenwood_sum = 0.0, incidence = 0.0;
	size_t n = subjects->n, remaining = n + subjects->later;
	int competing = subjects->competing;
	int keep = s->steps != NULL;
	mql_survival_step scratch;
	/* A product of factors can miss 0.5 by an ulp or two: allow that
	 * (as quantile does). */
	quantile_watch watch = {{1.0 - 0.5 + 1e-12, 1.0 - 0.9 + 1e-12},
				{&s->median, &s->p90}};
	s->median = s->p90 = NAN;
	s->subjects = remaining;
	s->events = subjects->events;
	s->competing = subjects->competed;
	/* outcomes 1 and 2 not yet met */
	size_t outcomes_left = subjects->events + subjects->competed;
	for (size_t i = 0; i < n;) {
		mql_survival_step *step =
			keep ? &s->steps[s->step_count++] : &scratch;
		step->at_risk = remaining;
		count_tie(subjects, &i, step);
		remaining -= step->events + step->competing + step->censored;
		outcomes_left -= step->events + step->competing;
		/* Without steps to keep, a step of censorings alone changes
		 * nothing (S is multiplied by exactly 1); nothing changes
		 * after the last outcome, and once the p90 is known nothing
		 * more is needed. */
		if (!keep && step->events == 0 && step->competing == 0)
			continue;
		if (competing)
			update_incidence(step, &survival, &incidence);
		else
			update_estimate(step, &survival, &greenwood_sum, keep);
		for (int q = 0; q < 2 && !keep; q++)
			if (isnan(*watch.value[q]) && step->events > 0 &&
			    step->survival <= watch.level[q])
				*watch.value[q] = step->time;
		if (!keep && (outcomes_left == 0 || !isnan(s->p90)))
			break;
	}
	if (keep) {
		s->median = quantile(s, 0.5);
		s->p90 = quantile(s, 0.9);
	}
}

/* The curve of the sorted subjects. */
static int walk_sorted(mql_survival **out, const sorted_subjects *subjects,
		       int keep_steps, mql_error *err)
{
	size_t n = subjects->n;
	mql_survival *s = calloc(1, sizeof *s);
	if (s && keep_steps)
		s->steps = malloc((n ? n : 1) * sizeof *s->steps);
	if (!s || (keep_steps && !s->steps)) {
		mql_survival_free(s);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	walk_steps(s, subjects);
	*out = s;
	return MQL_OK;
}

/* The curve of the sorted subjects, which are freed. */
static int fit_sorted(mql_survival **out, sorted_subjects *subjects,
		      int keep_steps, mql_error *err)
{
	int status = walk_sorted(out, subjects, keep_steps, err);
	free(subjects->obs);
	free(subjects->owned_keys);
	return status;
}

int mql_survival_fit(mql_survival **out, const double *time, const int *event,
		     size_t n, mql_error *err)
{
	sorted_subjects subjects = {0};
	int status = sorted_observations(&subjects, time, event, n, err);
	if (status != MQL_OK)
		return status;
	return fit_sorted(out, &subjects, 1, err);
}

int mql_survival_fit_ticks(mql_survival **out, const int64_t *ticks,
			   const int *event, size_t n, double scale,
			   int keep_steps, mql_error *err)
{
	sorted_subjects subjects = {0};
	int status = sorted_ticks(&subjects, ticks, event, n, scale, err);
	if (status != MQL_OK)
		return status;
	return fit_sorted(out, &subjects, keep_steps, err);
}

int mql_survival_fit_sorted_ticks(mql_survival **out, const uint64_t *keys,
				  size_t n, double scale, int keep_steps,
				  mql_error *err)
{
	return mql_survival_fit_sorted_ticks_later(out, keys, n, 0, scale,
						   keep_steps, err);
}

int mql_survival_fit_sorted_ticks_later(mql_survival **out,
					const uint64_t *keys, size_t n,
					size_t later, double scale,
					int keep_steps, mql_error *err)
{
	sorted_subjects subjects = {NULL, keys, NULL, scale, n, later, 0, 0, 0};
	if (!(scale > 0.0 && isfinite(scale)))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "expected a positive time scale");
	for (size_t i = 0; i < n; i++) {
		if ((keys[i] & 3) == 3 ||
		    (i > 0 && keys[i] >> 2 < keys[i - 1] >> 2))
			return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
					     "subject %zu: expected keys "
					     "sorted by time, outcomes 0, 1 "
					     "or 2",
					     i + 1);
		subjects.events += (keys[i] & 3) == 1;
		subjects.competed += (keys[i] & 3) == 2;
	}
	subjects.competing = subjects.competed > 0;
	return walk_sorted(out, &subjects, keep_steps, err);
}

double mql_survival_at(const mql_survival *s, double t)
{
	double survival = 1.0;
	for (size_t i = 0; s && i < s->step_count && s->steps[i].time <= t; i++)
		survival = s->steps[i].survival;
	return survival;
}

void mql_survival_free(mql_survival *s)
{
	if (!s)
		return;
	free(s->steps);
	free(s);
}
