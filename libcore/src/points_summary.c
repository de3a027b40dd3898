/*
 * points_summary.c - what a fitted rule file records and says of its
 * making: the model, the previous file, the chosen operating point and what
 * rounding costs, as the rule file's provenance and as a summary for
 * people (see points_history.h); and the previous file's points.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/points_history.h>

/* Adds number to obj (null when not finite).  0 or -1. */
static int add_number(cJSON *obj, const char *key, double value)
{
	cJSON *item = isfinite(value) ? cJSON_CreateNumber(value)
				      : cJSON_CreateNull();
	return item && cJSON_AddItemToObject(obj, key, item) ? 0 : -1;
}

/* Adds text to obj, null when text is NULL.  0 or -1. */
static int add_text(cJSON *obj, const char *key, const char *text)
{
	cJSON *item = text ? cJSON_CreateString(text) : cJSON_CreateNull();
	return item && cJSON_AddItemToObject(obj, key, item) ? 0 : -1;
}

/* Adds child to obj under key, deleting it when that fails.  0 or -1. */
static int add_child(cJSON *obj, const char *key, cJSON *child)
{
	if (child && cJSON_AddItemToObject(obj, key, child))
		return 0;
	cJSON_Delete(child);
	return -1;
}

static cJSON *operating_point_json(const mql_points *p,
				   const mql_points_capacity_result *capacity)
{
	cJSON *op = cJSON_CreateObject();
	if (!op || add_number(op, "threshold", p->threshold) ||
	    add_number(op, "eta", p->cut_eta) ||
	    add_number(op, "precision",
		       p->has_chosen ? p->chosen.precision : NAN) ||
	    add_number(op, "recall", p->has_chosen ? p->chosen.recall : NAN) ||
	    add_number(op, "mqls_per_month",
		       capacity ? capacity->mqls_per_month : NAN) ||
	    (capacity && add_child(op, "capacity_months",
				   mql_points_capacity_json(capacity)))) {
		cJSON_Delete(op);
		return NULL;
	}
	return op;
}

static cJSON *rounding_json(const mql_points *p, const mql_points_evaluation *e)
{
	cJSON *r = cJSON_CreateObject();
	if (!r ||
	    add_number(r, "max_probability_change",
		       e ? e->max_probability_change : p->rounding_bound) ||
	    add_text(r, "measured_on", e ? "history rows" : "bound") ||
	    (e && (add_number(r, "rows", (double)e->rows) ||
		   add_number(r, "spearman", e->spearman) ||
		   add_number(r, "auc_model", e->auc_model) ||
		   add_number(r, "auc_points", e->auc_points)))) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

cJSON *mql_points_provenance(const mql_points *p, const mql_model *m,
			     const mql_points_provenance_info *info)
{
	cJSON *prov = cJSON_CreateObject();
	if (!prov || add_text(prov, "model", info->model_path) ||
	    add_text(prov, "fitted_at", m->fitted_at) ||
	    add_text(prov, "label", m->label) ||
	    add_number(prov, "rows", (double)m->n) ||
	    add_number(prov, "auc", m->validation.auc) ||
	    add_text(prov, "previous", info->previous_path) ||
	    add_number(prov, "points_per_logit", p->factor) ||
	    add_text(prov, "target", info->target) ||
	    add_child(prov, "operating_point",
		      operating_point_json(p, info->capacity)) ||
	    add_child(prov, "rounding", rounding_json(p, info->evaluation))) {
		cJSON_Delete(prov);
		return NULL;
	}
	return prov;
}

int mql_points_previous_of(mql_points_previous **out, size_t *count,
			   const mql_rules *r)
{
	size_t n = r->fit_count + r->engagement_count;
	*count = 0;
	*out = calloc(n + 1, sizeof **out);
	if (!*out)
		return MQL_ERR_NOMEM;
	for (size_t i = 0; i < r->fit_count; i++)
		(*out)[(*count)++] =
			(mql_points_previous){r->fit[i].id, r->fit[i].points};
	for (size_t i = 0; i < r->engagement_count; i++)
		(*out)[(*count)++] = (mql_points_previous){
			r->engagement[i].id, r->engagement[i].points};
	return MQL_OK;
}

/* Which predictions the model's operating points were measured on. */
static const char *operating_basis(const mql_model *m)
{
	const cJSON *on = cJSON_GetObjectItemCaseSensitive(
		m->extra, "operating_points_on");
	if (cJSON_IsString(on) && strcmp(on->valuestring, "holdout") == 0)
		return "the held-out rows";
	if (cJSON_IsString(on) && strcmp(on->valuestring, "folds") == 0)
		return "out-of-fold predictions";
	return "the model's own fitted rows (optimistic: fit with --folds K)";
}

/* What rounding the points costs: measured on rows, or the bound. */
static void write_rounding(FILE *fp, const mql_points *p,
			   const mql_points_evaluation *e)
{
	if (!e) {
		fprintf(fp,
			"rounding moves a predicted probability by at most "
			"%.4f (a bound; --history measures it)\n",
			p->rounding_bound);
		return;
	}
	fprintf(fp,
		"rounding on %zu history rows: probability moves by at most "
		"%.4f; Spearman %.4f",
		e->rows, e->max_probability_change, e->spearman);
	if (e->auc_defined)
		fprintf(fp, "; AUC %.4f -> %.4f", e->auc_model, e->auc_points);
	fprintf(fp, "\n");
}

int mql_points_summary_write(FILE *fp, const mql_points *p, const mql_model *m,
			     const mql_points_provenance_info *info,
			     mql_error *err)
{
	fprintf(fp, "threshold %g points (%s); %.4g points per logit",
		p->threshold, info->target, p->factor);
	if (!isnan(info->pdo))
		fprintf(fp, ", %g points double the odds", info->pdo);
	fprintf(fp, "\n");
	fprintf(fp, "ci_low and ci_high: the model's 95%% intervals, %s\n",
		strcmp(m->fit.interval, "profile") == 0
			? "profile penalized likelihood"
		: strcmp(m->fit.interval, MQL_MODEL_HALF_LIFE_INTERVAL) == 0
			? "Wald's widened to the profile over each half-life"
			: "Wald");
	if (p->has_chosen)
		fprintf(fp,
			"on %s: precision %.3f, recall %.3f, "
			"%ld rows above the threshold\n",
			operating_basis(m), p->chosen.precision,
			p->chosen.recall, p->chosen.above);
	if (info->capacity) {
		char line[512];
		fprintf(fp, "capacity: %s\n",
			mql_points_capacity_describe(info->capacity, line,
						     sizeof line));
	}
	write_rounding(fp, p, info->evaluation);
	if (ferror(fp))
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the summary");
	return MQL_OK;
}
