/*
 * fuzz_rules.c - libFuzzer target: any bytes as a rule file.
 *
 * The reader must refuse what it cannot take with an error record, never
 * crash, leak, overflow or take unbounded memory (the regex bounds of
 * rules.h keep regcomp small); what it accepts must write and read back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/rules.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mql_rules *rules = NULL;
	mql_error err;
	if (mql_rules_parse(&rules, (const char *)data, size, "fuzz.json",
			    &err) != MQL_OK)
		return 0;
	/* what was accepted is written and read back */
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	if (fp && mql_rules_write(rules, fp, &err) == MQL_OK && !fclose(fp)) {
		mql_rules *again = NULL;
		if (mql_rules_parse(&again, text, len, "again.json", &err))
			abort();
		mql_rules_free(again);
	} else if (fp) {
		fclose(fp);
	}
	free(text);
	mql_rules_free(rules);
	return 0;
}
