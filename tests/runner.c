/*
 * runner.c - registers every suite (tests/test_<module>.c) and runs them.
 * Exits non-zero when any test fails.
 */
#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"

int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 70;
	if (CU_register_suites(mql_suites) != CUE_SUCCESS) {
		fprintf(stderr, "cannot register suites: %s\n",
			CU_get_error_msg());
		CU_cleanup_registry();
		return 70;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (argc > 1) {
		/* Run one suite by name: mqlcal-tests test_csv */
		CU_pSuite suite = CU_get_suite(argv[1]);
		if (!suite) {
			fprintf(stderr, "no suite named '%s'\n", argv[1]);
			CU_cleanup_registry();
			return 2;
		}
		CU_basic_run_suite(suite);
	} else {
		CU_basic_run_tests();
	}
	unsigned failed =
		CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
