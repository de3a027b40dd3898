/* fit_summary.c - the text summary of a fitted model (see fit.h). */
#include <mqlcal/fit.h>

#include <math.h>
#include <string.h>

/* For label sal: what "accepted" meant, and the rejections without a
 * date among the negatives. */
static void write_definition(FILE *fp, const mql_model *m, const cJSON *pop)
{
	const cJSON *accepted =
		cJSON_GetObjectItemCaseSensitive(pop, "accepted");
	const cJSON *undated =
		cJSON_GetObjectItemCaseSensitive(pop, "undated_rejections");
	if (strcmp(m->label, "sal") != 0 || !cJSON_IsString(accepted))
		return;
	fprintf(fp, "\n  %s", accepted->valuestring);
	if (cJSON_IsNumber(undated) && undated->valuedouble > 0)
		fprintf(fp,
			"\n  %.0f negatives rejected by their lead status, "
			"without a date",
			undated->valuedouble);
}

/* Which kind of interval and p the table shows, and where the SEs come
   from. */
static void write_inference(FILE *fp, const mql_model *m)
{
	if (strcmp(m->fit.interval, "profile") == 0)
		fprintf(fp,
			"\n  95%% intervals and p-values: profile penalized "
			"likelihood (interval profile); std_error and z: "
			"Wald");
	else if (strcmp(m->fit.interval, MQL_MODEL_HALF_LIFE_INTERVAL) == 0)
		fprintf(fp, "\n  95%% intervals and p-values: Wald's widened "
			    "to the profile over each half-life (interval "
			    "wald+half-life); std_error and z: Wald");
	else
		fprintf(fp, "\n  95%% intervals and p-values: Wald, estimate "
			    "+- 1.96 std_error (interval wald)");
	const cJSON *joint =
		cJSON_GetObjectItemCaseSensitive(m->extra, "intervals");
	if (cJSON_IsString(joint))
		fprintf(fp, "\n  %s", joint->valuestring);
	if (m->fit.l2 > 0)
		fprintf(fp,
			"\n  standard errors from the penalized Hessian "
			"(l2 %g); AIC counts %.2f effective degrees of "
			"freedom",
			m->fit.l2, m->fit.edf);
	fputs("\n\n", fp);
}

static void write_header(FILE *fp, const mql_model *m)
{
	const cJSON *pop =
		cJSON_GetObjectItemCaseSensitive(m->extra, "population");
	const cJSON *left =
		cJSON_GetObjectItemCaseSensitive(pop, "left_out_open");
	const cJSON *method =
		cJSON_GetObjectItemCaseSensitive(m->extra, "method");
	double rate =
		m->n > 0 ? 100.0 * (double)m->positives / (double)m->n : 0.0;
	fprintf(fp, "Logistic regression of '%s'\n", m->label);
	fprintf(fp, "  rows fitted %ld, positives %ld (%.1f%%)", m->n,
		m->positives, rate);
	if (cJSON_IsNumber(left) && left->valuedouble > 0)
		fprintf(fp, ", left out still open %.0f", left->valuedouble);
	const cJSON *window =
		cJSON_GetObjectItemCaseSensitive(pop, "window_days");
	const cJSON *as_of = cJSON_GetObjectItemCaseSensitive(pop, "as_of");
	if (cJSON_IsNumber(window) && cJSON_IsString(as_of))
		fprintf(fp,
			"\n  rows: every MQL whose %g-day window closed by %s, "
			"positive if it reached %s within it",
			window->valuedouble, as_of->valuestring, m->label);
	const cJSON *events =
		cJSON_GetObjectItemCaseSensitive(m->extra, "events");
	const cJSON *read = cJSON_GetObjectItemCaseSensitive(events, "read");
	const cJSON *after =
		cJSON_GetObjectItemCaseSensitive(events, "after_decision");
	if (cJSON_IsNumber(read) && read->valuedouble > 0 &&
	    cJSON_IsNumber(after))
		fprintf(fp,
			"\n  events read %.0f, %.0f after the decision time "
			"left out",
			read->valuedouble, after->valuedouble);
	write_definition(fp, m, pop);
	fprintf(fp, "\n  method %s, iterations %ld, %s",
		cJSON_IsString(method) ? method->valuestring : "mle",
		m->fit.iterations,
		m->fit.converged ? "converged" : "NOT converged");
	write_inference(fp, m);
}

static void write_fit_statistics(FILE *fp, const mql_model *m)
{
	fprintf(fp,
		"\nlog-likelihood %.4f   deviance %.4f   null deviance %.4f"
		"   AIC %.4f",
		m->fit.log_likelihood, m->fit.deviance, m->fit.null_deviance,
		m->fit.aic);
	if (m->fit.l2 > 0)
		fprintf(fp, "   l2 %g   edf %.2f", m->fit.l2, m->fit.edf);
	fputc('\n', fp);
	const cJSON *joint =
		cJSON_GetObjectItemCaseSensitive(m->extra, "half_life_fit");
	const cJSON *counted =
		cJSON_GetObjectItemCaseSensitive(joint, "aic_parameters");
	if (cJSON_IsNumber(counted))
		fprintf(fp,
			"  the AIC counts %.0f estimated %s (none at no decay "
			"or the grid's)\n",
			counted->valuedouble,
			counted->valuedouble == 1 ? "half-life as a parameter"
						  : "half-lives as parameters");
}

static void write_validation(FILE *fp, const mql_model *m)
{
	const mql_model_validation *v = &m->validation;
	if (strcmp(v->method, "none") == 0 || !isfinite(v->auc)) {
		fprintf(fp, "\nvalidation: %s\n",
			strcmp(v->method, "none") == 0
				? "none (use --holdout-from DATE or --folds K)"
				: "not possible (see warnings)");
		return;
	}
	fprintf(fp,
		"\nvalidation (%s, %ld rows): AUC %.4f [95%% CI %.4f, %.4f]"
		"   log-loss %.4f   Brier %.4f\n",
		v->method, v->n, v->auc, v->auc_ci[0], v->auc_ci[1],
		v->log_loss, v->brier);
	fprintf(fp, "  decile   rows  predicted  observed\n");
	for (size_t b = 0; b < v->calibration_count; b++)
		fprintf(fp, "  %6ld %6ld %10.4f %9.4f\n", v->calibration[b].bin,
			v->calibration[b].n, v->calibration[b].predicted,
			v->calibration[b].observed);
	if (v->gains_count > 1) {
		const mql_model_gains_bin *top = &v->gains[0];
		const mql_model_gains_bin *bottom =
			&v->gains[v->gains_count - 1];
		double top_rate =
			top->n ? (double)top->positives / (double)top->n : 0;
		double bottom_rate = bottom->n ? (double)bottom->positives /
							 (double)bottom->n
					       : 0;
		fprintf(fp,
			"  top decile: %.1f%% of positives captured, lift "
			"%.2f, "
			"rate %.3f against %.3f in the bottom decile\n",
			100.0 * top->captured, top->lift, top_rate,
			bottom_rate);
	}
}

/* One rule's half-life: as estimated with its CI, or the grid's choice. */
static void write_half_life(FILE *fp, const cJSON *item)
{
	const cJSON *rule = cJSON_GetObjectItemCaseSensitive(item, "rule");
	const cJSON *h =
		cJSON_GetObjectItemCaseSensitive(item, "half_life_days");
	const cJSON *low = cJSON_GetObjectItemCaseSensitive(item, "ci_low");
	const cJSON *high = cJSON_GetObjectItemCaseSensitive(item, "ci_high");
	const cJSON *grid =
		cJSON_GetObjectItemCaseSensitive(item, "grid_half_life_days");
	const cJSON *how = cJSON_GetObjectItemCaseSensitive(item, "estimate");
	fprintf(fp, "  %-24s", cJSON_IsString(rule) ? rule->valuestring : "");
	if (cJSON_IsNumber(h))
		fprintf(fp, " %10.4g days", h->valuedouble);
	else
		fprintf(fp, " %15s", "no decay");
	const cJSON *unbounded =
		cJSON_GetObjectItemCaseSensitive(item, "ci_high_infinite");
	if (cJSON_IsNumber(low) && cJSON_IsNumber(high))
		fprintf(fp, "  [%.4g, %.4g]", low->valuedouble,
			high->valuedouble);
	else if (cJSON_IsNumber(low) && cJSON_IsTrue(unbounded))
		fprintf(fp, "  [%.4g, inf]", low->valuedouble);
	if (cJSON_GetObjectItemCaseSensitive(item, "grid_half_life_days")) {
		if (cJSON_IsNumber(grid))
			fprintf(fp, "  grid %g", grid->valuedouble);
		else
			fprintf(fp, "  grid none");
	}
	if (cJSON_IsString(how) && !cJSON_IsNumber(low))
		fprintf(fp, "  (%s)", how->valuestring);
	fputc('\n', fp);
}

static void write_half_lives(FILE *fp, const mql_model *m)
{
	const cJSON *list =
		cJSON_GetObjectItemCaseSensitive(m->extra, "half_lives");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
		return;
	const cJSON *joint =
		cJSON_GetObjectItemCaseSensitive(m->extra, "half_life_fit");
	const cJSON *first = cJSON_GetArrayItem(list, 0);
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(first, "interval");
	int profile = cJSON_IsString(kind) &&
		      strcmp(kind->valuestring, "profile") == 0;
	if (!joint)
		fprintf(fp,
			"\nhalf-lives chosen by held-out log-likelihood:\n");
	else
		fprintf(fp,
			"\nhalf-lives estimated with the weights, from the "
			"grid's choice by held-out log-likelihood (95%% CI: "
			"%s; inf: no decay is within it):\n",
			profile ? "profile likelihood, the weights refitted, "
				  "the other half-lives at their estimates "
				  "and the drop scaled to their joint profile"
				: "Wald on the log scale");
	const cJSON *item;
	cJSON_ArrayForEach(item, list)
	{
		write_half_life(fp, item);
	}
	const cJSON *steps =
		cJSON_GetObjectItemCaseSensitive(joint, "iterations");
	const cJSON *reads =
		cJSON_GetObjectItemCaseSensitive(joint, "events_reads");
	const cJSON *stopped =
		cJSON_GetObjectItemCaseSensitive(joint, "stopped");
	if (cJSON_IsNumber(steps) && cJSON_IsNumber(reads) &&
	    cJSON_IsString(stopped))
		fprintf(fp,
			"  %.0f Newton steps, %.0f reads of the events; "
			"stopped: %s\n",
			steps->valuedouble, reads->valuedouble,
			stopped->valuestring);
}

/* The columns discovery left out, each with its reason. */
static void write_excluded(FILE *fp, const mql_model *m)
{
	const cJSON *list =
		cJSON_GetObjectItemCaseSensitive(m->extra, "excluded");
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
		return;
	fprintf(fp, "\ncolumns left out of discovery (--properties "
		    "overrides):\n");
	const cJSON *item;
	cJSON_ArrayForEach(item, list)
	{
		const cJSON *column =
			cJSON_GetObjectItemCaseSensitive(item, "column");
		const cJSON *reason =
			cJSON_GetObjectItemCaseSensitive(item, "reason");
		if (cJSON_IsString(column) && cJSON_IsString(reason))
			fprintf(fp, "  %-30s %s\n", column->valuestring,
				reason->valuestring);
	}
}

int mql_fit_summary_write(FILE *fp, const mql_model *m, mql_format format,
			  mql_error *err)
{
	if (format != MQL_FORMAT_TABLE)
		return mql_model_write_coefficients(m, fp, format, err);
	write_header(fp, m);
	int status = mql_model_write_coefficients(m, fp, format, err);
	if (status != MQL_OK)
		return status;
	write_fit_statistics(fp, m);
	write_validation(fp, m);
	write_half_lives(fp, m);
	write_excluded(fp, m);
	if (m->warning_count > 0)
		fprintf(fp, "\nwarnings:\n");
	for (size_t w = 0; w < m->warning_count; w++)
		fprintf(fp, "  - %s\n", m->warnings[w]);
	if (ferror(fp))
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the summary");
	return MQL_OK;
}
