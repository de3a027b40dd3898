/* population.c - fit population, labels and validation splits (see
 * population.h). */
#include <mqlcal/population.h>
#include <mqlcal/validate.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const mql_label_names[] = {"sal", "sql", "opportunity", "customer",
				       NULL};

int mql_label_parse(const char *name, mql_label *out)
{
	for (size_t i = 0; mql_label_names[i]; i++) {
		if (name && strcasecmp(name, mql_label_names[i]) == 0) {
			*out = (mql_label)i;
			return 0;
		}
	}
	return -1;
}

const char *mql_label_name(mql_label label, const char *outcome_column)
{
	if (label == MQL_LABEL_OUTCOME)
		return outcome_column ? outcome_column : "outcome";
	if ((unsigned)label < MQL_LABEL_OUTCOME)
		return mql_label_names[label];
	return "?";
}

void mql_population_options_init(mql_population_options *o)
{
	memset(o, 0, sizeof *o);
	o->label = MQL_LABEL_SAL;
	o->window_days = 180.0;
	o->as_of = MQL_TIME_NONE;
}

/* Allocates the per-row arrays for up to capacity rows. */
static mql_population *population_new(size_t capacity)
{
	mql_population *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	size_t n = capacity ? capacity : 1;
	p->row = malloc(n * sizeof *p->row);
	p->decision = malloc(n * sizeof *p->decision);
	p->split_at = malloc(n * sizeof *p->split_at);
	p->y = malloc(n * sizeof *p->y);
	p->fold = calloc(n, sizeof *p->fold);
	if (!p->row || !p->decision || !p->split_at || !p->y || !p->fold) {
		mql_population_free(p);
		return NULL;
	}
	return p;
}

static void add_member(mql_population *p, const mql_contacts *c, size_t row,
		       mql_time decision, double y)
{
	size_t i = p->count++;
	p->row[i] = (uint32_t)row;
	p->decision[i] = decision;
	p->split_at[i] = decision != MQL_TIME_NONE
				 ? decision
				 : c->stage_at[MQL_STAGE_CREATED][row];
	p->y[i] = y;
	if (y > 0.5)
		p->positives++;
}

static int known_by(mql_time t, mql_time as_of)
{
	return t != MQL_TIME_NONE && t <= as_of;
}

/* Label of one MQL row, or -1 when it is left out (still open); window is
 * the outcome window in seconds. */
static int stage_label(const mql_contacts *c, size_t row,
		       const mql_population_options *opt, mql_time window,
		       mql_time as_of)
{
	mql_time mql = c->stage_at[MQL_STAGE_MQL][row];
	if (opt->label == MQL_LABEL_SAL) {
		if (known_by(c->stage_at[MQL_STAGE_SAL][row], as_of))
			return 1;
		if (mql_contacts_rejected_by(c, row, as_of))
			return 0;
		return -1;
	}
	int stage = opt->label == MQL_LABEL_SQL ? MQL_STAGE_SQL
		    : opt->label == MQL_LABEL_OPPORTUNITY
			    ? MQL_STAGE_OPPORTUNITY
			    : MQL_STAGE_CUSTOMER;
	/* Which MQLs enter depends only on mql_at: an MQL whose window is
	 * still open is left out whatever it has reached so far, or recent
	 * successes would enter and recent failures not. */
	mql_time closes = mql + window;
	if (closes > as_of)
		return -1;
	mql_time reached = c->stage_at[stage][row];
	/* a lead dated out of order reaches a stage it has a date for: its
	 * dates give no wait to hold to the window (contacts.h) */
	return reached != MQL_TIME_NONE &&
	       (reached <= closes || mql_contacts_stages_out_of_order(c, row));
}

static int build_stage(mql_population *p, const mql_contacts *c,
		       const mql_population_options *opt, mql_error *err)
{
	if (!c->has_stage[MQL_STAGE_MQL])
		return mql_error_set(err, MQL_ERR_USAGE, c->path, 0, 0,
				     "no mql_at column: label '%s' needs the "
				     "MQL date (or use --outcome COLUMN)",
				     mql_label_name(opt->label, NULL));
	if (opt->label == MQL_LABEL_SAL && c->acceptance == MQL_ACCEPTANCE_NONE)
		return mql_error_set(err, MQL_ERR_USAGE, c->path, 0, 0,
				     "no sal_at, sql_at, opportunity_at or "
				     "customer_at column: label 'sal' needs "
				     "one (%s)",
				     mql_acceptance_text(c->acceptance));
	mql_time window = (mql_time)llround(opt->window_days *
					    (double)MQL_SECONDS_PER_DAY);
	for (size_t row = 0; row < c->count; row++) {
		mql_time mql = c->stage_at[MQL_STAGE_MQL][row];
		if (!known_by(mql, p->as_of))
			continue;
		int y = stage_label(c, row, opt, window, p->as_of);
		if (y < 0) {
			p->excluded_open++;
			continue;
		}
		add_member(p, c, row, mql, (double)y);
		p->undated_rejections +=
			(size_t)(opt->label == MQL_LABEL_SAL && y == 0 &&
				 c->stage_at[MQL_STAGE_REJECTED][row] ==
					 MQL_TIME_NONE);
	}
	return MQL_OK;
}

/* The outcome of row from a numeric or categorical property: 0/1, -1 when
 * missing, -2 when not boolean. */
static int outcome_value(const mql_property *prop, size_t row)
{
	if (prop->kind == MQL_PROPERTY_NUMERIC) {
		double v = prop->number[row];
		if (isnan(v))
			return -1;
		return v == 0.0 ? 0 : v == 1.0 ? 1 : -2;
	}
	int32_t level = prop->level[row];
	if (level < 0)
		return -1;
	const char *text = mql_dict_name(&prop->levels, level);
	int value;
	if (mql_cell_bool(text, strlen(text), &value) != 0)
		return -2;
	return value ? 1 : 0;
}

static int build_outcome(mql_population *p, const mql_contacts *c,
			 const mql_population_options *opt, mql_error *err)
{
	const mql_property *prop =
		mql_contacts_property(c, opt->outcome_column);
	if (!prop)
		return mql_error_set(err, MQL_ERR_USAGE, c->path, 0, 0,
				     "no column '%s' for --outcome",
				     opt->outcome_column);
	for (size_t row = 0; row < c->count; row++) {
		int y = outcome_value(prop, row);
		if (y == -1)
			continue;
		if (y == -2)
			return mql_error_set(
				err, MQL_ERR_INPUT, c->path, c->line[row], 0,
				"column '%s' must be 0/1, yes/no or "
				"true/false",
				prop->name);
		add_member(p, c, row, c->stage_at[MQL_STAGE_MQL][row],
			   (double)y);
	}
	return MQL_OK;
}

int mql_population_check_window(double window_days, mql_error *err)
{
	if (!(window_days > 0 && window_days <= MQL_WINDOW_MAX_DAYS))
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--window must be a number of days > 0 "
				     "and at most %d (100 years), not %g",
				     MQL_WINDOW_MAX_DAYS, window_days);
	return MQL_OK;
}

int mql_population_build(mql_population **out, const mql_contacts *contacts,
			 const mql_population_options *opt, mql_error *err)
{
	*out = NULL;
	int status = mql_population_check_window(opt->window_days, err);
	if (status)
		return status;
	if (opt->label == MQL_LABEL_OUTCOME && !opt->outcome_column)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "an outcome label needs a column name");
	mql_population *p = population_new(contacts->count);
	if (!p)
		return MQL_ERR_NOMEM;
	p->as_of_given = opt->as_of != MQL_TIME_NONE;
	p->acceptance = contacts->acceptance;
	p->as_of = opt->as_of != MQL_TIME_NONE
			   ? opt->as_of
			   : mql_contacts_latest_time(contacts);
	if (p->as_of == MQL_TIME_NONE)
		p->as_of = INT64_MAX;
	if (opt->label != MQL_LABEL_SAL && opt->label != MQL_LABEL_OUTCOME)
		p->window_days = opt->window_days;
	status = opt->label == MQL_LABEL_OUTCOME
			 ? build_outcome(p, contacts, opt, err)
			 : build_stage(p, contacts, opt, err);
	if (status != MQL_OK) {
		mql_population_free(p);
		return status;
	}
	*out = p;
	return MQL_OK;
}

int mql_population_holdout(mql_population *p, mql_time holdout_from,
			   mql_error *err)
{
	size_t test = 0;
	for (size_t i = 0; i < p->count; i++) {
		if (p->split_at[i] == MQL_TIME_NONE)
			return mql_error_set(
				err, MQL_ERR_USAGE, NULL, 0, 0,
				"--holdout-from needs mql_at or created_at on "
				"every row (use --folds K instead)");
		p->fold[i] = p->split_at[i] >= holdout_from;
		test += (size_t)p->fold[i];
	}
	if (test == 0 || test == p->count)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--holdout-from leaves %s set empty",
				     test == 0 ? "the test" : "the training");
	p->fold_count = 1;
	return MQL_OK;
}

int mql_population_folds(mql_population *p, size_t k, unsigned long seed,
			 mql_error *err)
{
	size_t negatives = p->count - p->positives;
	size_t smaller = p->positives < negatives ? p->positives : negatives;
	if (k < 2 || k > smaller)
		return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
				     "--folds %zu: need 2 <= K <= %zu (the "
				     "smaller class)",
				     k, smaller);
	size_t *folds = malloc(p->count * sizeof *folds);
	if (!folds)
		return MQL_ERR_NOMEM;
	int status = mql_validate_folds(folds, p->count, k, seed, p->y, err);
	for (size_t i = 0; status == MQL_OK && i < p->count; i++)
		p->fold[i] = (int)folds[i];
	free(folds);
	if (status == MQL_OK)
		p->fold_count = k;
	return status;
}

void mql_population_free(mql_population *p)
{
	if (!p)
		return;
	free(p->row);
	free(p->decision);
	free(p->split_at);
	free(p->y);
	free(p->fold);
	free(p);
}
