/* test_points_tools.c - the change column of mql-rules' change table as
 * libcore computes it, worked by hand. */
#include <CUnit/CUnit.h>
#include <math.h>

#include <mqlcal/points.h>

static void test_change_points(void)
{
	mql_points_change kept = {.old_points = 12, .new_points = 3};
	mql_points_change added = {.old_points = NAN, .new_points = 7};
	mql_points_change dropped = {.old_points = 5, .new_points = NAN};
	mql_points_change flipped = {.old_points = -4, .new_points = 6};
	CU_ASSERT_DOUBLE_EQUAL(mql_points_change_points(&kept), -9,
			       0); /* 3 - 12 */
	CU_ASSERT_DOUBLE_EQUAL(mql_points_change_points(&added), 7, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_points_change_points(&dropped), -5, 0);
	CU_ASSERT_DOUBLE_EQUAL(mql_points_change_points(&flipped), 10,
			       0); /* 6 - -4 */
}

CU_TestInfo test_points_tools[] = {
	{"change: new minus old, new and dropped rules by their points",
	 test_change_points},
	CU_TEST_INFO_NULL,
};
