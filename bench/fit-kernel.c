/*
 * fit-kernel.c - the benchmark driver of bench/fit-kernel.sh.
 *
 *   fit-kernel gen ROWS SEED matrix.bin matrix.svm
 *       writes a lead-like dense design of ROWS x 45 columns (15 0/1
 *       indicators, 15 linear, 15 decayed counts) and its 0/1 outcome from
 *       a known logistic model, once in binary (for mqlcal) and once in
 *       liblinear's text format.
 *   fit-kernel fit matrix.bin
 *       loads the binary matrix and times mql_logit_fit alone; prints
 *       seconds, iterations and the first coefficients with their SEs.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include <mqlcal/logit.h>

#define COLUMNS 45

static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *state)
{
	return ((double)(next_random(state) >> 11) + 0.5) * 0x1.0p-53;
}

static double normal(uint64_t *state)
{
	return sqrt(-2 * log(uniform(state))) *
	       cos(6.283185307179586 * uniform(state));
}

/* One row of the design and its true linear predictor. */
static double make_row(double *x, uint64_t *state)
{
	double eta = -1.5;
	for (int j = 0; j < 15; j++) {
		x[j] = uniform(state) < 0.05 + 0.02 * j;
		eta += (j % 2 ? 0.4 : -0.3) * x[j];
	}
	for (int j = 15; j < 30; j++) {
		x[j] = normal(state);
		eta += 0.05 * (j - 22) * x[j];
	}
	for (int j = 30; j < 45; j++) {
		double decayed = 0;
		int events = (int)(uniform(state) * 4);
		for (int e = 0; e < events; e++)
			decayed += pow(0.5, uniform(state) * 90 / 14);
		x[j] = decayed < 3 ? decayed : 3;
		eta += 0.1 * (j - 37) * x[j];
	}
	return eta;
}

static int generate(size_t rows, uint64_t seed, const char *bin_path,
		    const char *svm_path)
{
	FILE *bin = fopen(bin_path, "wb"), *svm = fopen(svm_path, "w");
	if (!bin || !svm) {
		perror("cannot open output");
		return 1;
	}
	uint64_t header[2] = {rows, COLUMNS};
	fwrite(header, sizeof header, 1, bin);
	double x[COLUMNS];
	for (size_t i = 0; i < rows; i++) {
		double eta = make_row(x, &seed);
		double y = uniform(&seed) < 1 / (1 + exp(-eta));
		fwrite(&y, sizeof y, 1, bin);
		fwrite(x, sizeof x, 1, bin);
		fprintf(svm, "%d", (int)y);
		for (int j = 0; j < COLUMNS; j++)
			if (x[j] != 0)
				fprintf(svm, " %d:%.17g", j + 1, x[j]);
		fputc('\n', svm);
	}
	int failed = ferror(bin) || ferror(svm);
	failed |= fclose(bin) != 0;
	failed |= fclose(svm) != 0;
	return failed;
}

static double seconds_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fit(const char *bin_path)
{
	FILE *bin = fopen(bin_path, "rb");
	uint64_t header[2];
	if (!bin || fread(header, sizeof header, 1, bin) != 1) {
		perror("cannot read matrix");
		return 1;
	}
	size_t rows = header[0], cols = header[1];
	double *x = malloc(rows * cols * sizeof(double));
	double *y = malloc(rows * sizeof(double));
	if (!x || !y)
		return 1;
	for (size_t i = 0; i < rows; i++)
		if (fread(&y[i], sizeof(double), 1, bin) != 1 ||
		    fread(x + i * cols, sizeof(double), cols, bin) != cols)
			return 1;
	fclose(bin);
	mql_logit_input in = {.n_rows = rows, .n_cols = cols, .x = x, .y = y};
	mql_logit_result *model = NULL;
	mql_error err;
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	double cpu_before = (double)usage.ru_utime.tv_sec +
			    1e-6 * (double)usage.ru_utime.tv_usec;
	double start = seconds_now();
	int status = mql_logit_fit(&model, &in, &err);
	double elapsed = seconds_now() - start;
	if (status) {
		fprintf(stderr, "fit failed: %s\n", err.message);
		return 1;
	}
	getrusage(RUSAGE_SELF, &usage);
	double cpu = (double)usage.ru_utime.tv_sec +
		     1e-6 * (double)usage.ru_utime.tv_usec - cpu_before;
	printf("seconds %.3f\ncpu_seconds %.3f\niterations %d\nconverged %d\n"
	       "method %s\npeak_rss_mb %.0f\n",
	       elapsed, cpu, model->iterations, model->converged,
	       mql_logit_method_name(model->method),
	       (double)usage.ru_maxrss / 1024);
	for (size_t k = 0; k < 4; k++)
		printf("coef %s %.6f se %.6f\n", model->coef[k].name,
		       model->coef[k].estimate, model->coef[k].std_error);
	mql_logit_result_free(model);
	free(x);
	free(y);
	return 0;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc == 6 && strcmp(argv[1], "gen") == 0) {
		char *end;
		size_t rows = (size_t)strtoull(argv[2], &end, 10);
		uint64_t seed = strtoull(argv[3], &end, 10);
		return generate(rows, seed, argv[4], argv[5]);
	}
	if (argc == 3 && strcmp(argv[1], "fit") == 0)
		return fit(argv[2]);
	fprintf(stderr, "usage: fit-kernel gen ROWS SEED out.bin out.svm\n"
			"       fit-kernel fit matrix.bin\n");
	return 2;
}
