/*
 * contacts_outcome.c - a loaded row's sales outcome as a CRM records it
 * (see mql_acceptance and enum mql_outcome in contacts.h).
 *
 * Without a SAL stage, acceptance is the first stage after MQL that the
 * export dates (HubSpot's and Salesforce's funnels); a rejection may be a
 * lead status with no date at all (HubSpot's "Unqualified", Salesforce's
 * "Closed - Not Converted").  Both are settled while the row is read, so
 * every command sees the same outcomes.
 */
#include "contacts_internal.h"
#include "csv_reader.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *mql_acceptance_text(mql_acceptance acceptance)
{
	switch (acceptance) {
	case MQL_ACCEPTANCE_SAL:
		return "accepted = sales accepted the MQL (sal_at)";
	case MQL_ACCEPTANCE_SQL:
		return "accepted = reached SQL: this export has no SAL stage";
	case MQL_ACCEPTANCE_NONE: break;
	}
	return "accepted = never: this export has no SAL, SQL or later stage";
}

char *mql_undated_rejections_text(size_t undated, char *buf, size_t n)
{
	snprintf(buf, n,
		 "%zu rejection%s no date (lead status only): counted as "
		 "rejected in every rate, left out of the waits from MQL",
		 undated, undated == 1 ? " has" : "s have");
	return buf;
}

int mql_contacts_rejected_undated(const mql_contacts *c, size_t row)
{
	return c->rejected_undated && c->rejected_undated[row];
}

int mql_contacts_rejected_by(const mql_contacts *c, size_t row, mql_time as_of)
{
	mql_time at = c->stage_at[MQL_STAGE_REJECTED][row];
	return (at != MQL_TIME_NONE && at <= as_of) ||
	       mql_contacts_rejected_undated(c, row);
}

void contacts_outcome_plan(mql_contacts *c, layout *lay, const mql_csv *csv,
			   const mql_csv_options *opt)
{
	static const mql_text_list no_values = {{NULL}, 0};
	lay->status = mql_csv_find_column(csv, "lead_status");
	lay->preset_rejected =
		mql_csv_preset_rejected(opt ? opt->preset : NULL);
	lay->user_rejected = opt ? &opt->rejected_status : &no_values;
	c->rejects_by_status =
		lay->status >= 0 &&
		(lay->preset_rejected[0] || lay->user_rejected->count > 0);
	if (c->has_stage[MQL_STAGE_SAL])
		c->acceptance = MQL_ACCEPTANCE_SAL;
	else if (c->has_stage[MQL_STAGE_SQL] ||
		 c->has_stage[MQL_STAGE_OPPORTUNITY] ||
		 c->has_stage[MQL_STAGE_CUSTOMER])
		c->acceptance = MQL_ACCEPTANCE_SQL;
	else
		c->acceptance = MQL_ACCEPTANCE_NONE;
}

static int text_is(const char *value, const char *text, size_t len)
{
	return strlen(value) == len && strncasecmp(value, text, len) == 0;
}

/* Whether text[0..len) is one of the rejected statuses of lay. */
static int rejected_status(const layout *lay, const char *text, size_t len)
{
	for (const char *const *v = lay->preset_rejected; *v; v++)
		if (text_is(*v, text, len))
			return 1;
	for (size_t i = 0; i < lay->user_rejected->count; i++) {
		const char *value = lay->user_rejected->text[i];
		size_t value_len = strlen(value);
		mql_csv_trim(&value, &value_len);
		if (value_len == len && strncasecmp(value, text, len) == 0)
			return 1;
	}
	return 0;
}

void contacts_outcome_derive(mql_contacts *c, size_t row)
{
	mql_time *const *at = c->stage_at;
	if (c->acceptance != MQL_ACCEPTANCE_SQL)
		return;
	mql_time first = MQL_TIME_NONE;
	for (int s = MQL_STAGE_SQL; s <= MQL_STAGE_CUSTOMER; s++) {
		mql_time t = at[s][row];
		if (t != MQL_TIME_NONE && (first == MQL_TIME_NONE || t < first))
			first = t;
	}
	at[MQL_STAGE_SAL][row] = first;
}

void contacts_outcome_read(mql_contacts *c, const layout *lay,
			   const mql_csv *csv, size_t row)
{
	mql_time *const *at = c->stage_at;
	contacts_outcome_derive(c, row);
	uint8_t undated = 0;
	size_t len;
	const char *text;
	if (c->rejects_by_status &&
	    at[MQL_STAGE_REJECTED][row] == MQL_TIME_NONE &&
	    (text = mql_csv_present_field(csv, (size_t)lay->status, &len)))
		undated = (uint8_t)rejected_status(lay, text, len);
	c->rejected_undated[row] = undated;
	c->quality.undated_rejections += undated;
}
