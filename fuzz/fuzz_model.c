/*
 * fuzz_model.c - libFuzzer target: any bytes as model.json.
 *
 * The reader must refuse what it cannot take with an error record and
 * never crash, leak or overflow; what it accepts must write and read back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <mqlcal/model.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mql_model *model = NULL;
	mql_error err;
	if (mql_model_parse(&model, (const char *)data, size, "fuzz.json",
			    &err) != MQL_OK)
		return 0;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	if (fp && mql_model_write(model, fp, &err) == MQL_OK && !fclose(fp)) {
		mql_model *again = NULL;
		if (mql_model_parse(&again, text, len, "again.json", &err))
			abort();
		mql_model_free(again);
	} else if (fp) {
		fclose(fp);
	}
	free(text);
	mql_model_free(model);
	return 0;
}
