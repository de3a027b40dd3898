/*
 * numeric_csv.h - reads a small all-numeric CSV fixture (header row, comma
 * separated, no quoting) into a row-major array, for the engine tests.
 */
#ifndef MQLCAL_TESTS_NUMERIC_CSV_H
#define MQLCAL_TESTS_NUMERIC_CSV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A table of numbers with its column names. */
struct numeric_csv {
	size_t rows, cols;
	char names[16][32];
	double *values; /* rows * cols */
};

/* Index of the column named name, or -1. */
static inline int numeric_csv_column(const struct numeric_csv *t,
				     const char *name)
{
	for (size_t j = 0; j < t->cols; j++)
		if (strcmp(t->names[j], name) == 0)
			return (int)j;
	return -1;
}

/* Splits the header line into names; returns the column count. */
static inline size_t numeric_csv_header(struct numeric_csv *t, char *line)
{
	size_t cols = 0;
	char *cursor = line;
	while (cols < 16) {
		size_t len = strcspn(cursor, ",\r\n");
		snprintf(t->names[cols], sizeof t->names[cols], "%.*s",
			 (int)len, cursor);
		cols++;
		if (cursor[len] != ',')
			break;
		cursor += len + 1;
	}
	return cols;
}

/* Reads path; returns 0, or -1 on any fault (t is then empty). */
static inline int numeric_csv_read(struct numeric_csv *t, const char *path)
{
	char line[4096];
	size_t capacity = 0;
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof line, f))
		goto fail;
	t->cols = numeric_csv_header(t, line);
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '\n' || line[0] == '\0')
			continue;
		if (t->rows == capacity) {
			capacity = capacity ? 2 * capacity : 256;
			double *grown = realloc(
				t->values, capacity * t->cols * sizeof(double));
			if (!grown)
				goto fail;
			t->values = grown;
		}
		char *cursor = line;
		for (size_t j = 0; j < t->cols; j++) {
			char *end;
			t->values[t->rows * t->cols + j] = strtod(cursor, &end);
			if (end == cursor)
				goto fail;
			cursor = *end == ',' ? end + 1 : end;
		}
		t->rows++;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	free(t->values);
	memset(t, 0, sizeof *t);
	return -1;
}

/* Copies the named columns (in order) into a new row-major array. */
static inline double *numeric_csv_select(const struct numeric_csv *t,
					 const char *const *names, size_t count)
{
	double *out = malloc((t->rows ? t->rows : 1) * (count ? count : 1) *
			     sizeof(double));
	if (!out)
		return NULL;
	for (size_t k = 0; k < count; k++) {
		int j = numeric_csv_column(t, names[k]);
		if (j < 0) {
			free(out);
			return NULL;
		}
		for (size_t i = 0; i < t->rows; i++)
			out[i * count + k] = t->values[i * t->cols + (size_t)j];
	}
	return out;
}

#endif
