/* model_read.c - reading model.json into an mql_model (see model.h). */
#include <mqlcal/model.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

#define MAX_MODEL_FILE	(64u << 20) /* far more than any fit writes */
#define MAX_MODEL_DEPTH 64	    /* rules and profiles: a few levels */

/* Where a fault is reported: the file name and the error record. */
typedef struct reader {
	const char *name;
	mql_error *err;
} reader;

static int type_fault(const reader *r, const char *path, const char *key,
		      const char *expected)
{
	return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0, 0,
			     "%s%s%s: expected %s", path, *path ? "." : "", key,
			     expected);
}

/*
 * Reads obj[key] as a number into *out.  Absent or null leaves NAN (the
 * file's "unknown").  Returns 0 or MQL_ERR_INPUT naming path.key.
 */
static int read_number(const reader *r, const cJSON *obj, const char *key,
		       const char *path, double *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!item || cJSON_IsNull(item)) {
		*out = NAN;
		return MQL_OK;
	}
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
		return type_fault(r, path, key, "a finite number");
	*out = item->valuedouble;
	return MQL_OK;
}

/* Checks that an estimate or eta read at path.key is NAN or within
 * +-MQL_MODEL_MAX_ESTIMATE.  Returns 0 or MQL_ERR_INPUT. */
static int check_logit(const reader *r, double x, const char *path,
		       const char *key)
{
	if (isnan(x) || fabs(x) <= MQL_MODEL_MAX_ESTIMATE)
		return MQL_OK;
	return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0, 0,
			     "%s%s%s: %.10g; expected a logit within +-%g",
			     path, *path ? "." : "", key, x,
			     MQL_MODEL_MAX_ESTIMATE);
}

/* Reads obj[key] as a whole number >= 0 (absent = 0). */
static int read_count(const reader *r, const cJSON *obj, const char *key,
		      const char *path, long *out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = 0;
	if (!item || cJSON_IsNull(item))
		return MQL_OK;
	double v = item->valuedouble;
	if (!cJSON_IsNumber(item) || !(v >= 0) || v > 9.0e15 || v != floor(v))
		return type_fault(r, path, key, "a whole number >= 0");
	*out = (long)v;
	return MQL_OK;
}

/* The object obj[key], or NULL when absent; a non-object is a fault. */
static int read_object(const reader *r, const cJSON *obj, const char *key,
		       const char *path, const cJSON **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!item || cJSON_IsNull(item))
		return MQL_OK;
	if (!cJSON_IsObject(item))
		return type_fault(r, path, key, "an object");
	*out = item;
	return MQL_OK;
}

static int read_array(const reader *r, const cJSON *obj, const char *key,
		      const char *path, const cJSON **out)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	*out = NULL;
	if (!item || cJSON_IsNull(item))
		return MQL_OK;
	if (!cJSON_IsArray(item))
		return type_fault(r, path, key, "an array");
	*out = item;
	return MQL_OK;
}

static int read_estimate(const reader *r, const cJSON *obj, const char *path,
			 mql_model_estimate *e)
{
	if (read_number(r, obj, "estimate", path, &e->estimate) ||
	    read_number(r, obj, "std_error", path, &e->std_error) ||
	    read_number(r, obj, "z", path, &e->z) ||
	    read_number(r, obj, "p", path, &e->p) ||
	    read_number(r, obj, "ci_low", path, &e->ci_low) ||
	    read_number(r, obj, "ci_high", path, &e->ci_high))
		return MQL_ERR_INPUT;
	if (e->std_error < 0)
		return type_fault(r, path, "std_error", "a number >= 0");
	return check_logit(r, e->estimate, path, "estimate");
}

static int read_coefficient(const reader *r, mql_model *m, const cJSON *item,
			    size_t index)
{
	char path[48];
	snprintf(path, sizeof path, "coefficients[%zu]", index);
	if (!cJSON_IsObject(item))
		return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0, 0,
				     "%s: expected an object", path);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(item, "name");
	if (!cJSON_IsString(name) || !name->valuestring[0])
		return type_fault(r, path, "name", "a non-empty string");
	const cJSON *rule = NULL;
	if (read_object(r, item, "rule", path, &rule))
		return MQL_ERR_INPUT;
	cJSON *rule_copy = NULL;
	if (rule && !(rule_copy = cJSON_Duplicate(rule, 1)))
		return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0, 0,
				     "out of memory");
	mql_model_coefficient *c =
		mql_model_add_coefficient(m, name->valuestring, rule_copy);
	if (!c)
		return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0, 0,
				     "out of memory");
	if (read_estimate(r, item, path, &c->value) ||
	    read_number(r, item, "odds_ratio", path, &c->odds_ratio) ||
	    read_count(r, item, "support", path, &c->support))
		return MQL_ERR_INPUT;
	if (isinf(c->value.estimate))
		return type_fault(r, path, "estimate",
				  "a finite number (or null when aliased)");
	return MQL_OK;
}

/* fit.interval ("wald" when absent) and fit.std_errors, which must agree
 * with l2 when present. */
static int read_kinds(const reader *r, const cJSON *fit, mql_model_fit *f)
{
	const cJSON *interval =
		cJSON_GetObjectItemCaseSensitive(fit, "interval");
	if (interval && (!cJSON_IsString(interval) ||
			 (strcmp(interval->valuestring, "wald") != 0 &&
			  strcmp(interval->valuestring, "profile") != 0 &&
			  strcmp(interval->valuestring,
				 MQL_MODEL_HALF_LIFE_INTERVAL) != 0)))
		return type_fault(r, "fit", "interval",
				  "\"wald\", \"profile\" or "
				  "\"" MQL_MODEL_HALF_LIFE_INTERVAL "\"");
	snprintf(f->interval, sizeof f->interval, "%s",
		 interval ? interval->valuestring : "wald");
	const cJSON *errors =
		cJSON_GetObjectItemCaseSensitive(fit, "std_errors");
	if (errors &&
	    (!cJSON_IsString(errors) ||
	     strcmp(errors->valuestring, mql_model_std_errors(f)) != 0))
		return type_fault(r, "fit", "std_errors",
				  f->l2 > 0 ? "\"penalized hessian\" (l2 > 0)"
					    : "\"information\" (l2 = 0)");
	return MQL_OK;
}

static int read_fit(const reader *r, const cJSON *doc, mql_model_fit *f)
{
	const cJSON *fit = NULL;
	if (read_object(r, doc, "fit", "", &fit))
		return MQL_ERR_INPUT;
	if (!fit)
		return MQL_OK;
	if (read_number(r, fit, "log_likelihood", "fit", &f->log_likelihood) ||
	    read_number(r, fit, "deviance", "fit", &f->deviance) ||
	    read_number(r, fit, "null_deviance", "fit", &f->null_deviance) ||
	    read_number(r, fit, "aic", "fit", &f->aic) ||
	    read_count(r, fit, "iterations", "fit", &f->iterations) ||
	    read_number(r, fit, "l2", "fit", &f->l2) ||
	    read_number(r, fit, "edf", "fit", &f->edf))
		return MQL_ERR_INPUT;
	const cJSON *converged =
		cJSON_GetObjectItemCaseSensitive(fit, "converged");
	if (converged && !cJSON_IsBool(converged))
		return type_fault(r, "fit", "converged", "true or false");
	f->converged = cJSON_IsTrue(converged);
	if (isnan(f->l2))
		f->l2 = 0.0;
	return read_kinds(r, fit, f);
}

static int read_calibration(const reader *r, mql_model *m, const cJSON *array)
{
	int count = cJSON_GetArraySize(array);
	if (mql_model_set_calibration_count(m, (size_t)count))
		return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0, 0,
				     "out of memory");
	size_t i = 0;
	for (const cJSON *item = array->child; item; item = item->next, i++) {
		char path[48];
		snprintf(path, sizeof path, "validation.calibration[%zu]", i);
		mql_model_calibration_bin *b = &m->validation.calibration[i];
		if (!cJSON_IsObject(item))
			return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0,
					     0, "%s: expected an object", path);
		if (read_count(r, item, "bin", path, &b->bin) ||
		    read_count(r, item, "n", path, &b->n) ||
		    read_number(r, item, "predicted", path, &b->predicted) ||
		    read_number(r, item, "observed", path, &b->observed))
			return MQL_ERR_INPUT;
	}
	return MQL_OK;
}

static int read_gains(const reader *r, mql_model *m, const cJSON *array)
{
	int count = cJSON_GetArraySize(array);
	if (mql_model_set_gains_count(m, (size_t)count))
		return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0, 0,
				     "out of memory");
	size_t i = 0;
	for (const cJSON *item = array->child; item; item = item->next, i++) {
		char path[48];
		snprintf(path, sizeof path, "validation.gains[%zu]", i);
		mql_model_gains_bin *b = &m->validation.gains[i];
		if (!cJSON_IsObject(item))
			return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0,
					     0, "%s: expected an object", path);
		if (read_count(r, item, "bin", path, &b->bin) ||
		    read_count(r, item, "n", path, &b->n) ||
		    read_count(r, item, "positives", path, &b->positives) ||
		    read_number(r, item, "captured", path, &b->captured) ||
		    read_number(r, item, "lift", path, &b->lift))
			return MQL_ERR_INPUT;
	}
	return MQL_OK;
}

static int read_validation(const reader *r, mql_model *m, const cJSON *doc)
{
	mql_model_validation *v = &m->validation;
	const cJSON *obj = NULL, *array = NULL;
	if (read_object(r, doc, "validation", "", &obj))
		return MQL_ERR_INPUT;
	if (!obj)
		return MQL_OK;
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(obj, "method");
	if (method) {
		if (!cJSON_IsString(method) ||
		    strlen(method->valuestring) >= sizeof v->method)
			return type_fault(r, "validation", "method",
					  "\"holdout\", \"folds\" or \"none\"");
		snprintf(v->method, sizeof v->method, "%s",
			 method->valuestring);
	}
	if (read_count(r, obj, "n", "validation", &v->n) ||
	    read_number(r, obj, "auc", "validation", &v->auc) ||
	    read_number(r, obj, "log_loss", "validation", &v->log_loss) ||
	    read_number(r, obj, "brier", "validation", &v->brier) ||
	    read_array(r, obj, "auc_ci", "validation", &array))
		return MQL_ERR_INPUT;
	if (array) {
		const cJSON *low = cJSON_GetArrayItem(array, 0);
		const cJSON *high = cJSON_GetArrayItem(array, 1);
		if (cJSON_GetArraySize(array) != 2 ||
		    !(cJSON_IsNumber(low) || cJSON_IsNull(low)) ||
		    !(cJSON_IsNumber(high) || cJSON_IsNull(high)))
			return type_fault(r, "validation", "auc_ci",
					  "two numbers [low, high]");
		v->auc_ci[0] = cJSON_IsNumber(low) ? low->valuedouble : NAN;
		v->auc_ci[1] = cJSON_IsNumber(high) ? high->valuedouble : NAN;
	}
	if (read_array(r, obj, "calibration", "validation", &array))
		return MQL_ERR_INPUT;
	int status = array ? read_calibration(r, m, array) : MQL_OK;
	if (status != MQL_OK)
		return status;
	if (read_array(r, obj, "gains", "validation", &array))
		return MQL_ERR_INPUT;
	return array ? read_gains(r, m, array) : MQL_OK;
}

static int read_operating_points(const reader *r, mql_model *m,
				 const cJSON *doc)
{
	const cJSON *array = NULL;
	if (read_array(r, doc, "operating_points", "", &array))
		return MQL_ERR_INPUT;
	size_t i = 0;
	for (const cJSON *item = array ? array->child : NULL; item;
	     item = item->next, i++) {
		char path[48];
		snprintf(path, sizeof path, "operating_points[%zu]", i);
		mql_model_operating_point op;
		if (!cJSON_IsObject(item))
			return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0,
					     0, "%s: expected an object", path);
		if (read_number(r, item, "eta", path, &op.eta) ||
		    read_count(r, item, "above", path, &op.above) ||
		    read_count(r, item, "positives_above", path,
			       &op.positives_above) ||
		    read_number(r, item, "precision", path, &op.precision) ||
		    read_number(r, item, "recall", path, &op.recall))
			return MQL_ERR_INPUT;
		if (!isfinite(op.eta))
			return type_fault(r, path, "eta", "a finite number");
		if (check_logit(r, op.eta, path, "eta"))
			return MQL_ERR_INPUT;
		if (mql_model_add_operating_point(m, &op))
			return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0,
					     0, "out of memory");
	}
	return MQL_OK;
}

static int read_warnings(const reader *r, mql_model *m, const cJSON *doc)
{
	const cJSON *array = NULL;
	if (read_array(r, doc, "warnings", "", &array))
		return MQL_ERR_INPUT;
	size_t i = 0;
	for (const cJSON *item = array ? array->child : NULL; item;
	     item = item->next, i++) {
		if (!cJSON_IsString(item))
			return mql_error_set(
				r->err, MQL_ERR_INPUT, r->name, 0, 0,
				"warnings[%zu]: expected a string", i);
		if (mql_model_add_warning(m, "%s", item->valuestring))
			return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0,
					     0, "out of memory");
	}
	return MQL_OK;
}

/* Keys read into the struct; every other top-level key goes to extra. */
static const char *const known_keys[] = {
	"format",	"label",
	"fitted_at",	"n",
	"positives",	"intercept",
	"coefficients", "fit",
	"validation",	"operating_points",
	"warnings",	NULL,
};

static int keep_extra(const reader *r, mql_model *m, const cJSON *doc)
{
	for (const cJSON *item = doc->child; item; item = item->next) {
		int known = 0;
		for (size_t k = 0; known_keys[k]; k++)
			known |= strcmp(item->string, known_keys[k]) == 0;
		if (known)
			continue;
		cJSON *copy = cJSON_Duplicate(item, 1);
		if (!copy ||
		    !cJSON_AddItemToObject(m->extra, item->string, copy)) {
			cJSON_Delete(copy);
			return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0,
					     0, "out of memory");
		}
	}
	return MQL_OK;
}

static int read_header(const reader *r, mql_model *m, const cJSON *doc)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsString(format) ||
	    strcmp(format->valuestring, MQL_MODEL_FORMAT) != 0)
		return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0, 0,
				     "format: expected \"%s\"",
				     MQL_MODEL_FORMAT);
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(doc, "label");
	if (label && !cJSON_IsString(label))
		return type_fault(r, "", "label", "a string");
	const cJSON *fitted_at =
		cJSON_GetObjectItemCaseSensitive(doc, "fitted_at");
	if (fitted_at && !cJSON_IsString(fitted_at))
		return type_fault(r, "", "fitted_at", "a string");
	if ((label && mql_model_set_label(m, label->valuestring)) ||
	    (fitted_at && mql_model_set_fitted_at(m, fitted_at->valuestring)))
		return mql_error_set(r->err, MQL_ERR_NOMEM, r->name, 0, 0,
				     "out of memory");
	if (read_count(r, doc, "n", "", &m->n) ||
	    read_count(r, doc, "positives", "", &m->positives))
		return MQL_ERR_INPUT;
	const cJSON *intercept = NULL;
	if (read_object(r, doc, "intercept", "", &intercept))
		return MQL_ERR_INPUT;
	if (!intercept)
		return mql_error_set(r->err, MQL_ERR_INPUT, r->name, 0, 0,
				     "intercept: expected an object");
	if (read_estimate(r, intercept, "intercept", &m->intercept))
		return MQL_ERR_INPUT;
	if (!isfinite(m->intercept.estimate))
		return type_fault(r, "intercept", "estimate",
				  "a finite number");
	return MQL_OK;
}

/* Builds a model from a parsed document (see mql_model_parse). */
static int model_from_json(mql_model **out, const cJSON *doc, const char *name,
			   mql_error *err)
{
	reader r = {name ? name : "model.json", err};
	*out = NULL;
	if (!cJSON_IsObject(doc))
		return mql_error_set(err, MQL_ERR_INPUT, r.name, 0, 0,
				     "expected a JSON object");
	mql_model *m = mql_model_new();
	if (!m)
		return mql_error_set(err, MQL_ERR_NOMEM, r.name, 0, 0,
				     "out of memory");
	int status = read_header(&r, m, doc);
	const cJSON *coefficients = NULL;
	if (status == MQL_OK)
		status = read_array(&r, doc, "coefficients", "", &coefficients);
	if (status == MQL_OK && !coefficients)
		status = mql_error_set(err, MQL_ERR_INPUT, r.name, 0, 0,
				       "coefficients: expected an array");
	size_t i = 0;
	for (const cJSON *item = coefficients ? coefficients->child : NULL;
	     status == MQL_OK && item; item = item->next, i++)
		status = read_coefficient(&r, m, item, i);
	if (status == MQL_OK)
		status = read_fit(&r, doc, &m->fit);
	if (status == MQL_OK)
		status = read_validation(&r, m, doc);
	if (status == MQL_OK)
		status = read_operating_points(&r, m, doc);
	if (status == MQL_OK)
		status = read_warnings(&r, m, doc);
	if (status == MQL_OK)
		status = keep_extra(&r, m, doc);
	if (status != MQL_OK) {
		mql_model_free(m);
		return status;
	}
	*out = m;
	return MQL_OK;
}

int mql_model_parse(mql_model **out, const char *text, size_t len,
		    const char *name, mql_error *err)
{
	*out = NULL;
	cJSON *doc = NULL;
	if (mql_file_read_json(&doc, text, len, MAX_MODEL_DEPTH, name,
			       "a JSON model (mqlcal.model/1)", err))
		return MQL_ERR_INPUT;
	int status = model_from_json(out, doc, name, err);
	cJSON_Delete(doc);
	return status;
}

int mql_model_read(mql_model **out, const char *path, mql_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int status = mql_file_read_whole(&text, &len, path, MAX_MODEL_FILE);
	if (status == MQL_ERR_NOFILE)
		return mql_error_set(err, status, path, 0, 0, "cannot open: %s",
				     strerror(errno));
	if (status == MQL_ERR_IO)
		return mql_error_set(err, status, path, 0, 0, "cannot read");
	if (status == MQL_ERR_INPUT)
		return mql_error_set(err, status, path, 0, 0,
				     "larger than 64 MiB; expected a model");
	if (status != MQL_OK)
		return mql_error_set(err, status, path, 0, 0, "out of memory");
	status = mql_model_parse(out, text, len, path, err);
	free(text);
	return status;
}
