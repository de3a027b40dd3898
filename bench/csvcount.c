/*
 * csvcount.c - bare libcsv tokenizing, the floor for any libcsv reader:
 * reads a file in 1 MiB blocks through csv_parse with callbacks that only
 * count fields and rows.  Used by bench/ingest.sh.
 *
 *   cc -O2 -o csvcount csvcount.c -lcsv && ./csvcount events.csv
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct counts {
	size_t fields, rows;
} counts;

static void on_field(void *field, size_t len, void *data)
{
	(void)field;
	(void)len;
	((counts *)data)->fields++;
}

static void on_row(int terminator, void *data)
{
	(void)terminator;
	((counts *)data)->rows++;
}

int main(int argc, char **argv)
{
	static char block[1 << 20];
	struct csv_parser parser;
	counts n = {0, 0};
	if (argc != 2) {
		fprintf(stderr, "usage: csvcount FILE.csv\n");
		return 2;
	}
	FILE *fp = fopen(argv[1], "rb");
	if (!fp || csv_init(&parser, CSV_STRICT) != 0) {
		perror(argv[1]);
		return 66;
	}
	size_t got;
	while ((got = fread(block, 1, sizeof block, fp)) > 0) {
		if (csv_parse(&parser, block, got, on_field, on_row, &n) !=
		    got) {
			fprintf(stderr, "%s: %s\n", argv[1],
				csv_strerror(csv_error(&parser)));
			return 65;
		}
	}
	csv_fini(&parser, on_field, on_row, &n);
	csv_free(&parser);
	fclose(fp);
	printf("%zu rows, %zu fields\n", n.rows, n.fields);
	return 0;
}
