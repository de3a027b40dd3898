/* backtest_periods.c - the per-period table, the drift index and the
 * comparison at equal volume (see backtest.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/dict.h>
#include <mqlcal/validate.h>

#include "backtest_internal.h"

/* Period labels in the evaluation window, sorted, and each row's periods
 * (-1 = outside the window). */
typedef struct periods {
	mql_dict labels;
	int32_t *position; /* dict index -> sorted position */
	int32_t *order;	   /* sorted position -> dict index */
	size_t count;
	int32_t *crossing[2]; /* period of the crossing under each file */
	int32_t *decision;    /* period of the decision */
	int32_t *created;     /* period of created_at (or customer_at) */
	int32_t *reference;   /* 1 = in the PSI reference */
} periods;

static void periods_release(periods *p)
{
	mql_dict_release(&p->labels);
	free(p->position);
	free(p->order);
	free(p->crossing[0]);
	free(p->crossing[1]);
	free(p->decision);
	free(p->created);
	free(p->reference);
}

static int in_window(const backtest_replay *r, const mql_backtest_options *o,
		     mql_time t)
{
	return t != MQL_TIME_NONE && t <= r->as_of &&
	       (o->from == MQL_TIME_NONE || t >= o->from);
}

/* Dict index of t's period label, -1 outside the window, -2 no memory. */
static int32_t intern_period(periods *p, const backtest_replay *r,
			     const mql_backtest_options *o, mql_time t)
{
	char label[16];
	if (!in_window(r, o, t))
		return -1;
	if (o->by == MQL_BACKTEST_QUARTER)
		mql_time_quarter_label(t, label, sizeof label);
	else
		mql_time_month_label(t, label, sizeof label);
	int32_t index = mql_dict_intern(&p->labels, label, strlen(label));
	return index < 0 ? -2 : index;
}

typedef struct named {
	const char *name;
	int32_t index;
} named;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/* Replaces dict indices by sorted positions in every per-row array.
 * Labels ("2026-03", "2026-Q1") sort in time order as text. */
static int sort_periods(periods *p, size_t rows)
{
	size_t count = p->labels.count;
	named *sorted = malloc((count ? count : 1) * sizeof *sorted);
	p->position = malloc((count ? count : 1) * sizeof *p->position);
	p->order = malloc((count ? count : 1) * sizeof *p->order);
	if (!sorted || !p->position || !p->order) {
		free(sorted);
		return MQL_ERR_NOMEM;
	}
	for (size_t i = 0; i < count; i++)
		sorted[i] = (named){p->labels.names[i], (int32_t)i};
	qsort(sorted, count, sizeof *sorted, by_name);
	for (size_t i = 0; i < count; i++) {
		p->position[sorted[i].index] = (int32_t)i;
		p->order[i] = sorted[i].index;
	}
	free(sorted);
	p->count = count;
	int32_t *arrays[] = {p->crossing[0], p->crossing[1], p->decision,
			     p->created};
	for (size_t a = 0; a < 4; a++)
		for (size_t row = 0; row < rows; row++)
			if (arrays[a][row] >= 0)
				arrays[a][row] = p->position[arrays[a][row]];
	return MQL_OK;
}

static int assign_periods(periods *p, const backtest_replay *r,
			  const mql_backtest_options *o)
{
	const mql_contacts *c = r->contacts;
	size_t n = c->count ? c->count : 1;
	int32_t **arrays[] = {&p->crossing[0], &p->crossing[1], &p->decision,
			      &p->created, &p->reference};
	for (size_t a = 0; a < 5; a++)
		if (!(*arrays[a] = malloc(n * sizeof **arrays[a])))
			return MQL_ERR_NOMEM;
	mql_time first_created = MQL_TIME_NONE;
	for (size_t row = 0; row < c->count; row++) {
		mql_time created = c->stage_at[MQL_STAGE_CREATED][row];
		if (created == MQL_TIME_NONE)
			created = c->stage_at[MQL_STAGE_CUSTOMER][row];
		p->crossing[0][row] =
			intern_period(p, r, o, r->crossing[0][row]);
		p->crossing[1][row] =
			intern_period(p, r, o, r->crossing[1][row]);
		p->decision[row] =
			intern_period(p, r, o, backtest_decision_time(c, row));
		p->created[row] = intern_period(p, r, o, created);
		if (p->crossing[0][row] < -1 || p->crossing[1][row] < -1 ||
		    p->decision[row] < -1 || p->created[row] < -1)
			return MQL_ERR_NOMEM;
		if (p->created[row] >= 0 &&
		    (first_created == MQL_TIME_NONE || created < first_created))
			first_created = created;
	}
	int status = sort_periods(p, c->count);
	/* the reference of the drift: created before --from, else the first
	 * period of the history */
	for (size_t row = 0; status == MQL_OK && row < c->count; row++) {
		mql_time created = c->stage_at[MQL_STAGE_CREATED][row];
		p->reference[row] =
			o->from != MQL_TIME_NONE
				? created != MQL_TIME_NONE && created < o->from
				: p->created[row] == 0;
	}
	return status;
}

/* Counts of one file and period (index count = "all"). */
typedef struct tally {
	long mql, decided, accepted, sql, customer, customers, flagged;
} tally;

static void count_rows(tally *t, const backtest_replay *r, const periods *p,
		       int f)
{
	const mql_contacts *c = r->contacts;
	size_t all = p->count;
	for (size_t row = 0; row < c->count; row++) {
		int32_t j = p->crossing[f][row];
		if (j >= 0) {
			enum mql_outcome outcome = mql_contacts_outcome(c, row);
			int decided = outcome == MQL_OUTCOME_ACCEPTED ||
				      outcome == MQL_OUTCOME_REJECTED;
			int accepted = outcome == MQL_OUTCOME_ACCEPTED;
			int sql = c->stage_at[MQL_STAGE_SQL][row] !=
				  MQL_TIME_NONE;
			int customer = c->stage_at[MQL_STAGE_CUSTOMER][row] !=
				       MQL_TIME_NONE;
			size_t slots[2] = {(size_t)j, all};
			for (size_t s = 0; s < 2; s++) {
				t[slots[s]].mql++;
				t[slots[s]].decided += decided;
				t[slots[s]].accepted += accepted;
				t[slots[s]].sql += sql;
				t[slots[s]].customer += customer;
			}
		}
		mql_time bought = c->stage_at[MQL_STAGE_CUSTOMER][row];
		if (p->created[row] >= 0 && bought != MQL_TIME_NONE) {
			mql_time crossed = r->crossing[f][row];
			int flagged =
				crossed != MQL_TIME_NONE && crossed <= bought;
			t[p->created[row]].customers++;
			t[p->created[row]].flagged += flagged;
			t[all].customers++;
			t[all].flagged += flagged;
		}
	}
}

static double share(long part, long whole)
{
	return whole > 0 ? (double)part / (double)whole : NAN;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median days to MQL of file f's MQLs in period j (j = count: all). */
static double median_days(const backtest_replay *r, const periods *p, int f,
			  size_t j, double *scratch)
{
	const mql_contacts *c = r->contacts;
	size_t n = 0;
	for (size_t row = 0; row < c->count; row++) {
		int32_t k = p->crossing[f][row];
		mql_time created = c->stage_at[MQL_STAGE_CREATED][row];
		if (k < 0 || (j < p->count && (size_t)k != j) ||
		    created == MQL_TIME_NONE)
			continue;
		scratch[n++] =
			mql_time_days_between(created, r->crossing[f][row]);
	}
	if (n == 0)
		return NAN;
	qsort(scratch, n, sizeof *scratch, by_double);
	return n % 2 ? scratch[n / 2]
		     : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

/* AUC of score against y; NAN without both outcomes. */
static int auc_of(double *auc, const double *score, const double *y, size_t n,
		  mql_error *err)
{
	size_t positives = 0;
	for (size_t i = 0; i < n; i++)
		positives += y[i] == 1.0;
	*auc = NAN;
	if (positives == 0 || positives == n)
		return MQL_OK;
	mql_auc result;
	int status = mql_validate_auc(&result, score, y, n, err);
	if (status == MQL_OK)
		*auc = result.auc;
	return status;
}

/* AUC of the decision-time score of file f in period j. */
static int period_auc(double *auc, long *rows, const backtest_replay *r,
		      const periods *p, int f, size_t j, double *score,
		      double *y, mql_error *err)
{
	const mql_contacts *c = r->contacts;
	size_t n = 0;
	for (size_t row = 0; row < c->count; row++) {
		int32_t k = p->decision[row];
		if (k < 0 || (j < p->count && (size_t)k != j) ||
		    isnan(r->decision_score[f][row]))
			continue;
		score[n] = r->decision_score[f][row];
		y[n] = mql_contacts_outcome(c, row) == MQL_OUTCOME_ACCEPTED;
		n++;
	}
	*rows = (long)n;
	return auc_of(auc, score, y, n, err);
}

/* Cut points at the quantiles of the reference scores of file f. */
static size_t reference_cuts(double *cuts, const backtest_replay *r,
			     const periods *p, int f, size_t bins,
			     double *scratch, long *reference_rows)
{
	size_t n = 0, count = 0;
	for (size_t row = 0; row < r->contacts->count; row++)
		if (p->reference[row] && !isnan(r->horizon_score[f][row]))
			scratch[n++] = r->horizon_score[f][row];
	*reference_rows = (long)n;
	if (n == 0)
		return 0;
	qsort(scratch, n, sizeof *scratch, by_double);
	for (size_t k = 1; k < bins; k++) {
		/* the k/bins quantile, type 1: x at rank ceil(n k / bins) */
		size_t rank = (k * n + bins - 1) / bins;
		double cut = scratch[rank > 0 ? rank - 1 : 0];
		if (count == 0 || cut > cuts[count - 1])
			cuts[count++] = cut;
	}
	return count;
}

static size_t bin_of(double score, const double *cuts, size_t count)
{
	size_t bin = 0;
	while (bin < count && score > cuts[bin])
		bin++;
	return bin;
}

/* PSI of file f's horizon scores in period j against the reference. */
static double period_psi(long *rows, const backtest_replay *r, const periods *p,
			 int f, size_t j, const double *cuts, size_t cut_count,
			 double *expected, double *actual)
{
	size_t bins = cut_count + 1;
	memset(expected, 0, bins * sizeof *expected);
	memset(actual, 0, bins * sizeof *actual);
	*rows = 0;
	for (size_t row = 0; row < r->contacts->count; row++) {
		double s = r->horizon_score[f][row];
		if (isnan(s))
			continue;
		if (p->reference[row])
			expected[bin_of(s, cuts, cut_count)] += 1;
		int32_t k = p->created[row];
		if (k >= 0 && (j >= p->count || (size_t)k == j)) {
			actual[bin_of(s, cuts, cut_count)] += 1;
			++*rows;
		}
	}
	return *rows ? mql_backtest_psi(expected, actual, bins) : NAN;
}

typedef struct scratch {
	double *values, *y, *cuts, *expected, *actual;
} scratch;

static void fill_row(mql_backtest_row *row, const tally *t, int f,
		     const char *label)
{
	row->file = f;
	snprintf(row->period, sizeof row->period, "%s", label);
	row->mql = t->mql;
	row->decided = t->decided;
	row->accepted = t->accepted;
	row->accepted_rate = share(t->accepted, t->decided);
	row->sql_rate = share(t->sql, t->mql);
	row->customer_rate = share(t->customer, t->mql);
	row->customers = t->customers;
	row->customer_recall = share(t->flagged, t->customers);
}

/* Says which rule file and period a fault of the AUC (a score that is not
 * finite) came from.  Returns status. */
static int name_the_file(int status, int f, const char *label, mql_error *err)
{
	if (status != MQL_ERR_INPUT || !err)
		return status;
	char why[sizeof err->message];
	snprintf(why, sizeof why, "%s", err->message);
	return mql_error_set(err, status, NULL, 0, 0,
			     "%s rule file, period %s, scores at the decision: "
			     "%s",
			     f ? "new" : "old", label, why);
}

static int file_rows(mql_backtest *b, const backtest_replay *r,
		     const periods *p, const mql_backtest_options *o, int f,
		     scratch *s, mql_error *err)
{
	tally *t = calloc(p->count + 1, sizeof *t);
	if (!t)
		return MQL_ERR_NOMEM;
	count_rows(t, r, p, f);
	size_t cut_count = reference_cuts(s->cuts, r, p, f, o->psi_bins,
					  s->values, &b->reference_rows);
	int status = MQL_OK;
	for (size_t j = 0; j <= p->count && status == MQL_OK; j++) {
		mql_backtest_row *row = &b->rows[b->row_count++];
		const char *label =
			j < p->count ? mql_dict_name(&p->labels, p->order[j])
				     : "all";
		fill_row(row, &t[j], f, label);
		row->days_to_mql_median = median_days(r, p, f, j, s->values);
		status =
			name_the_file(period_auc(&row->auc, &row->auc_rows, r,
						 p, f, j, s->values, s->y, err),
				      f, label, err);
		row->psi = b->reference_rows
				   ? period_psi(&row->psi_rows, r, p, f, j,
						s->cuts, cut_count, s->expected,
						s->actual)
				   : NAN;
		row->psi_noise = isnan(row->psi)
					 ? NAN
					 : mql_backtest_psi_noise(
						   s->expected, cut_count + 1,
						   (double)b->reference_rows,
						   (double)row->psi_rows, 0.95);
		row->drift = mql_backtest_drift(row->psi, row->psi_noise);
	}
	free(t);
	return status;
}

static int compare_files(mql_backtest_comparison *cmp, const backtest_replay *r,
			 const periods *p, double *score, double *y,
			 mql_error *err)
{
	const mql_contacts *c = r->contacts;
	size_t n = 0;
	memset(cmp, 0, sizeof *cmp);
	/* the decided rows of the window: both files scored them */
	for (size_t row = 0; row < c->count; row++) {
		if (p->decision[row] < 0 || isnan(r->decision_score[0][row]) ||
		    isnan(r->decision_score[1][row]))
			continue;
		for (int f = 0; f < 2; f++) {
			score[f * c->count + n] = r->decision_score[f][row];
			cmp->flagged[f] +=
				r->decision_score[f][row] >= r->threshold[f];
		}
		y[n++] = mql_contacts_outcome(c, row) == MQL_OUTCOME_ACCEPTED;
	}
	cmp->decided = (long)n;
	cmp->volume = cmp->flagged[0] < cmp->flagged[1] ? cmp->flagged[0]
							: cmp->flagged[1];
	int status = MQL_OK;
	for (int f = 0; f < 2 && status == MQL_OK; f++) {
		const double *file_score = score + f * c->count;
		status = auc_of(&cmp->auc[f], file_score, y, n, err);
		if (status == MQL_OK)
			status = mql_backtest_top_rate(&cmp->accepted[f],
						       file_score, y, n,
						       (size_t)cmp->volume);
	}
	cmp->new_is_worse = cmp->accepted[1] < cmp->accepted[0];
	return status;
}

int backtest_tabulate(mql_backtest **out, const backtest_replay *r,
		      const mql_backtest_options *o, mql_error *err)
{
	periods p;
	scratch s;
	memset(&p, 0, sizeof p);
	mql_dict_init(&p.labels);
	size_t n = r->contacts->count ? r->contacts->count : 1;
	/* score and y of both halves of compare_files: 2n each */
	s.values = malloc(2 * n * sizeof *s.values);
	s.y = malloc(2 * n * sizeof *s.y);
	s.cuts = malloc(o->psi_bins * sizeof *s.cuts);
	s.expected = malloc((o->psi_bins + 1) * sizeof *s.expected);
	s.actual = malloc((o->psi_bins + 1) * sizeof *s.actual);
	mql_backtest *b = calloc(1, sizeof *b);
	int status = MQL_ERR_NOMEM;
	if (b && s.values && s.y && s.cuts && s.expected && s.actual)
		status = assign_periods(&p, r, o);
	if (status == MQL_OK) {
		b->rows = calloc(2 * (p.count + 1), sizeof *b->rows);
		status = b->rows ? MQL_OK : MQL_ERR_NOMEM;
	}
	for (int f = 0; f < 2 && status == MQL_OK; f++)
		status = file_rows(b, r, &p, o, f, &s, err);
	if (status == MQL_OK)
		status = compare_files(&b->comparison, r, &p, s.values, s.y,
				       err);
	periods_release(&p);
	free(s.values);
	free(s.y);
	free(s.cuts);
	free(s.expected);
	free(s.actual);
	if (status) {
		mql_backtest_free(b);
		/* the AUC's own faults are worded where they are found */
		return status == MQL_ERR_NOMEM
			       ? mql_error_set(err, status, NULL, 0, 0,
					       "out of memory")
			       : status;
	}
	b->from = o->from;
	b->as_of = r->as_of;
	b->acceptance = r->contacts->acceptance;
	b->threshold[0] = r->threshold[0];
	b->threshold[1] = r->threshold[1];
	*out = b;
	return MQL_OK;
}
