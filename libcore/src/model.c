/* model.c - the fitted model in memory and its writer (see model.h). */
#include <mqlcal/model.h>

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/format_text.h>

static void estimate_init(mql_model_estimate *e)
{
	e->estimate = NAN;
	e->std_error = NAN;
	e->z = NAN;
	e->p = NAN;
	e->ci_low = NAN;
	e->ci_high = NAN;
}

mql_model *mql_model_new(void)
{
	mql_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->label = strdup("sal");
	m->extra = cJSON_CreateObject();
	if (!m->label || !m->extra) {
		mql_model_free(m);
		return NULL;
	}
	estimate_init(&m->intercept);
	m->fit.log_likelihood = NAN;
	m->fit.deviance = NAN;
	m->fit.null_deviance = NAN;
	m->fit.aic = NAN;
	m->fit.edf = NAN;
	m->fit.l2 = 0.0;
	snprintf(m->fit.interval, sizeof m->fit.interval, "wald");
	snprintf(m->validation.method, sizeof m->validation.method, "none");
	m->validation.auc = NAN;
	m->validation.auc_ci[0] = NAN;
	m->validation.auc_ci[1] = NAN;
	m->validation.log_loss = NAN;
	m->validation.brier = NAN;
	return m;
}

void mql_model_free(mql_model *m)
{
	if (!m)
		return;
	free(m->label);
	free(m->fitted_at);
	for (size_t i = 0; i < m->coefficient_count; i++) {
		free(m->coefficients[i].name);
		cJSON_Delete(m->coefficients[i].rule);
	}
	free(m->coefficients);
	free(m->validation.calibration);
	free(m->validation.gains);
	free(m->operating_points);
	for (size_t i = 0; i < m->warning_count; i++)
		free(m->warnings[i]);
	free(m->warnings);
	cJSON_Delete(m->extra);
	free(m);
}

static int replace_string(char **slot, const char *value)
{
	char *copy = NULL;
	if (value) {
		copy = strdup(value);
		if (!copy)
			return MQL_ERR_NOMEM;
	}
	free(*slot);
	*slot = copy;
	return MQL_OK;
}

int mql_model_set_label(mql_model *m, const char *label)
{
	return replace_string(&m->label, label ? label : "");
}

int mql_model_set_fitted_at(mql_model *m, const char *fitted_at)
{
	return replace_string(&m->fitted_at, fitted_at);
}

/* Makes room for one more element of size elem_size in *array (holding
 * count, allocated capacity).  Returns 0 or MQL_ERR_NOMEM. */
static int grow(void **array, size_t *capacity, size_t count, size_t elem_size)
{
	if (count < *capacity)
		return MQL_OK;
	size_t new_capacity = *capacity ? *capacity * 2 : 8;
	void *bigger = realloc(*array, new_capacity * elem_size);
	if (!bigger)
		return MQL_ERR_NOMEM;
	*array = bigger;
	*capacity = new_capacity;
	return MQL_OK;
}

mql_model_coefficient *mql_model_add_coefficient(mql_model *m, const char *name,
						 cJSON *rule)
{
	char *name_copy = strdup(name ? name : "");
	if (!name_copy ||
	    grow((void **)&m->coefficients, &m->coefficient_capacity,
		 m->coefficient_count, sizeof *m->coefficients) != MQL_OK) {
		free(name_copy);
		cJSON_Delete(rule);
		return NULL;
	}
	mql_model_coefficient *c = &m->coefficients[m->coefficient_count++];
	memset(c, 0, sizeof *c);
	c->name = name_copy;
	c->rule = rule;
	estimate_init(&c->value);
	c->odds_ratio = NAN;
	return c;
}

int mql_model_add_operating_point(mql_model *m,
				  const mql_model_operating_point *point)
{
	if (grow((void **)&m->operating_points, &m->operating_point_capacity,
		 m->operating_point_count,
		 sizeof *m->operating_points) != MQL_OK)
		return MQL_ERR_NOMEM;
	m->operating_points[m->operating_point_count++] = *point;
	return MQL_OK;
}

int mql_model_add_warning(mql_model *m, const char *fmt, ...)
{
	char *text;
	va_list ap;
	va_start(ap, fmt);
	int status = mql_format_text(&text, fmt, ap);
	va_end(ap);
	if (status)
		return status;
	if (grow((void **)&m->warnings, &m->warning_capacity, m->warning_count,
		 sizeof *m->warnings) != MQL_OK) {
		free(text);
		return MQL_ERR_NOMEM;
	}
	m->warnings[m->warning_count++] = text;
	return MQL_OK;
}

int mql_model_set_calibration_count(mql_model *m, size_t count)
{
	mql_model_calibration_bin *bins = NULL;
	if (count) {
		bins = calloc(count, sizeof *bins);
		if (!bins)
			return MQL_ERR_NOMEM;
	}
	free(m->validation.calibration);
	m->validation.calibration = bins;
	m->validation.calibration_count = count;
	return MQL_OK;
}

int mql_model_set_gains_count(mql_model *m, size_t count)
{
	mql_model_gains_bin *bins = NULL;
	if (count) {
		bins = calloc(count, sizeof *bins);
		if (!bins)
			return MQL_ERR_NOMEM;
	}
	free(m->validation.gains);
	m->validation.gains = bins;
	m->validation.gains_count = count;
	return MQL_OK;
}

const mql_model_coefficient *mql_model_find(const mql_model *m,
					    const char *name)
{
	for (size_t i = 0; i < m->coefficient_count; i++)
		if (strcmp(m->coefficients[i].name, name) == 0)
			return &m->coefficients[i];
	return NULL;
}

double mql_model_eta(const mql_model *m, const double *x)
{
	double eta = m->intercept.estimate;
	for (size_t i = 0; i < m->coefficient_count; i++)
		if (!isnan(m->coefficients[i].value.estimate))
			eta += m->coefficients[i].value.estimate * x[i];
	return eta;
}

const char *mql_model_std_errors(const mql_model_fit *f)
{
	return f->l2 > 0 ? "penalized hessian" : "information";
}

/* Writing.  cJSON prints a non-finite number as null, which is the file's
 * "unknown"; every adder below returns 0 or MQL_ERR_NOMEM. */

static int add_number(cJSON *obj, const char *key, double value)
{
	return cJSON_AddNumberToObject(obj, key, value) ? MQL_OK
							: MQL_ERR_NOMEM;
}

static int add_estimate(cJSON *obj, const mql_model_estimate *e)
{
	if (add_number(obj, "estimate", e->estimate) ||
	    add_number(obj, "std_error", e->std_error) ||
	    add_number(obj, "z", e->z) || add_number(obj, "p", e->p) ||
	    add_number(obj, "ci_low", e->ci_low) ||
	    add_number(obj, "ci_high", e->ci_high))
		return MQL_ERR_NOMEM;
	return MQL_OK;
}

static cJSON *coefficient_json(const mql_model_coefficient *c)
{
	cJSON *obj = cJSON_CreateObject();
	if (!obj || !cJSON_AddStringToObject(obj, "name", c->name))
		goto fail;
	if (c->rule) {
		cJSON *rule = cJSON_Duplicate(c->rule, 1);
		if (!rule || !cJSON_AddItemToObject(obj, "rule", rule)) {
			cJSON_Delete(rule);
			goto fail;
		}
	}
	if (add_estimate(obj, &c->value) ||
	    add_number(obj, "odds_ratio", c->odds_ratio) ||
	    add_number(obj, "support", (double)c->support))
		goto fail;
	return obj;
fail:
	cJSON_Delete(obj);
	return NULL;
}

static cJSON *fit_json(const mql_model_fit *f)
{
	cJSON *obj = cJSON_CreateObject();
	if (!obj || add_number(obj, "log_likelihood", f->log_likelihood) ||
	    add_number(obj, "deviance", f->deviance) ||
	    add_number(obj, "null_deviance", f->null_deviance) ||
	    add_number(obj, "aic", f->aic) ||
	    add_number(obj, "iterations", (double)f->iterations) ||
	    !cJSON_AddBoolToObject(obj, "converged", f->converged != 0) ||
	    add_number(obj, "l2", f->l2) || add_number(obj, "edf", f->edf) ||
	    !cJSON_AddStringToObject(obj, "interval", f->interval) ||
	    !cJSON_AddStringToObject(obj, "std_errors",
				     mql_model_std_errors(f))) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* Appends item to array, which takes it; returns item, or NULL when item
 * is NULL or cannot be added (it is then deleted). */
static cJSON *append_item(cJSON *array, cJSON *item)
{
	if (item && !cJSON_AddItemToArray(array, item)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

/* A new empty object at the end of array; NULL when out of memory. */
static cJSON *append_object(cJSON *array)
{
	return append_item(array, cJSON_CreateObject());
}

static cJSON *calibration_json(const mql_model_validation *v)
{
	cJSON *array = cJSON_CreateArray();
	for (size_t i = 0; array && i < v->calibration_count; i++) {
		const mql_model_calibration_bin *b = &v->calibration[i];
		cJSON *obj = append_object(array);
		if (!obj || add_number(obj, "bin", (double)b->bin) ||
		    add_number(obj, "n", (double)b->n) ||
		    add_number(obj, "predicted", b->predicted) ||
		    add_number(obj, "observed", b->observed)) {
			cJSON_Delete(array);
			return NULL;
		}
	}
	return array;
}

static cJSON *gains_json(const mql_model_validation *v)
{
	cJSON *array = cJSON_CreateArray();
	for (size_t i = 0; array && i < v->gains_count; i++) {
		const mql_model_gains_bin *b = &v->gains[i];
		cJSON *obj = append_object(array);
		if (!obj || add_number(obj, "bin", (double)b->bin) ||
		    add_number(obj, "n", (double)b->n) ||
		    add_number(obj, "positives", (double)b->positives) ||
		    add_number(obj, "captured", b->captured) ||
		    add_number(obj, "lift", b->lift)) {
			cJSON_Delete(array);
			return NULL;
		}
	}
	return array;
}

static cJSON *validation_json(const mql_model_validation *v)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON *ci = cJSON_CreateDoubleArray(v->auc_ci, 2);
	if (!obj || !ci)
		goto fail;
	if (!cJSON_AddStringToObject(obj, "method", v->method) ||
	    add_number(obj, "n", (double)v->n) ||
	    add_number(obj, "auc", v->auc))
		goto fail;
	if (!cJSON_AddItemToObject(obj, "auc_ci", ci))
		goto fail;
	ci = NULL;
	if (add_number(obj, "log_loss", v->log_loss) ||
	    add_number(obj, "brier", v->brier))
		goto fail;
	cJSON *calibration = calibration_json(v);
	if (!calibration ||
	    !cJSON_AddItemToObject(obj, "calibration", calibration)) {
		cJSON_Delete(calibration);
		goto fail;
	}
	if (v->gains_count) {
		cJSON *gains = gains_json(v);
		if (!gains || !cJSON_AddItemToObject(obj, "gains", gains)) {
			cJSON_Delete(gains);
			goto fail;
		}
	}
	return obj;
fail:
	cJSON_Delete(ci);
	cJSON_Delete(obj);
	return NULL;
}

static cJSON *operating_points_json(const mql_model *m)
{
	cJSON *array = cJSON_CreateArray();
	for (size_t i = 0; array && i < m->operating_point_count; i++) {
		const mql_model_operating_point *op = &m->operating_points[i];
		cJSON *obj = append_object(array);
		if (!obj || add_number(obj, "eta", op->eta) ||
		    add_number(obj, "above", (double)op->above) ||
		    add_number(obj, "positives_above",
			       (double)op->positives_above) ||
		    add_number(obj, "precision", op->precision) ||
		    add_number(obj, "recall", op->recall)) {
			cJSON_Delete(array);
			return NULL;
		}
	}
	return array;
}

/* Adds item to obj under key, taking it; on failure deletes it. */
static int add_item(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return MQL_ERR_NOMEM;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

static cJSON *coefficients_json(const mql_model *m)
{
	cJSON *array = cJSON_CreateArray();
	for (size_t i = 0; array && i < m->coefficient_count; i++) {
		if (!append_item(array,
				 coefficient_json(&m->coefficients[i]))) {
			cJSON_Delete(array);
			return NULL;
		}
	}
	return array;
}

static int add_extra(cJSON *doc, const cJSON *extra)
{
	for (const cJSON *item = extra ? extra->child : NULL; item;
	     item = item->next) {
		if (cJSON_GetObjectItemCaseSensitive(doc, item->string))
			continue; /* a known key always wins */
		if (add_item(doc, item->string, cJSON_Duplicate(item, 1)))
			return MQL_ERR_NOMEM;
	}
	return MQL_OK;
}

/* The model as a cJSON tree in the format of model.h.  *out belongs to the
 * caller (cJSON_Delete).  Returns 0 or MQL_ERR_NOMEM. */
static int model_to_json(cJSON **out, const mql_model *m)
{
	*out = NULL;
	cJSON *doc = cJSON_CreateObject();
	if (!doc)
		return MQL_ERR_NOMEM;
	cJSON *intercept = cJSON_CreateObject();
	cJSON *warnings = cJSON_CreateArray();
	if (!intercept || add_estimate(intercept, &m->intercept) || !warnings) {
		cJSON_Delete(intercept);
		cJSON_Delete(warnings);
		goto fail;
	}
	for (size_t i = 0; i < m->warning_count; i++) {
		cJSON *text = cJSON_CreateString(m->warnings[i]);
		if (!text || !cJSON_AddItemToArray(warnings, text)) {
			cJSON_Delete(text);
			cJSON_Delete(intercept);
			cJSON_Delete(warnings);
			goto fail;
		}
	}
	if (!cJSON_AddStringToObject(doc, "format", MQL_MODEL_FORMAT) ||
	    !cJSON_AddStringToObject(doc, "label", m->label ? m->label : "") ||
	    (m->fitted_at &&
	     !cJSON_AddStringToObject(doc, "fitted_at", m->fitted_at)) ||
	    add_number(doc, "n", (double)m->n) ||
	    add_number(doc, "positives", (double)m->positives)) {
		cJSON_Delete(intercept);
		cJSON_Delete(warnings);
		goto fail;
	}
	if (add_item(doc, "intercept", intercept)) {
		cJSON_Delete(warnings);
		goto fail;
	}
	if (add_item(doc, "coefficients", coefficients_json(m)) ||
	    add_item(doc, "fit", fit_json(&m->fit)) ||
	    add_item(doc, "validation", validation_json(&m->validation)) ||
	    add_item(doc, "operating_points", operating_points_json(m)) ||
	    add_item(doc, "warnings", warnings) || add_extra(doc, m->extra))
		goto fail;
	*out = doc;
	return MQL_OK;
fail:
	cJSON_Delete(doc);
	return MQL_ERR_NOMEM;
}

int mql_model_write(const mql_model *m, FILE *fp, mql_error *err)
{
	cJSON *doc = NULL;
	if (model_to_json(&doc, m) != MQL_OK)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the model");
	char *text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory writing the model");
	int bad = fputs(text, fp) == EOF || fputc('\n', fp) == EOF;
	cJSON_free(text);
	if (bad)
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the model");
	return MQL_OK;
}
