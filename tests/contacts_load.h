/*
 * contacts_load.h - mql_contacts_load with what to leave out and its thread
 * count as arguments, for the tests that try several.
 */
#ifndef MQL_TESTS_CONTACTS_LOAD_H
#define MQL_TESTS_CONTACTS_LOAD_H

#include <mqlcal/contacts.h>

/* mql_contacts_load with lo (NULL: everything), leave_out and threads. */
static inline int contacts_load_on(mql_contacts **out, const char *path,
				   const mql_csv_options *opt,
				   mql_time future_after,
				   const mql_contacts_load_options *lo,
				   unsigned leave_out, int threads,
				   mql_error *err)
{
	mql_contacts_load_options options;
	if (lo)
		options = *lo;
	else
		mql_contacts_load_options_init(&options);
	options.leave_out = leave_out;
	options.threads = threads;
	return mql_contacts_load(out, path, opt, future_after, &options, err);
}

#endif
