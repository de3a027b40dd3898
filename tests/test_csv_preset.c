/*
 * test_csv_preset.c - what each preset renames: a CRM's contact export by
 * its labels and internal names, and the activity exports (Salesforce
 * Campaign Members, Account Engagement visitor activities, Marketo
 * activities) told apart by their own columns under any preset.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/csv.h>

#include "temp_file.h"

/* The header of text renamed by preset, as "a|b|c". */
static void renamed(const char *text, const char *preset, char *out, size_t n)
{
	char path[256];
	mql_csv_options opt;
	mql_csv *r = NULL;
	mql_error err;
	temp_file_write(path, sizeof path, "mqlcal-preset", text, strlen(text));
	mql_csv_options_init(&opt);
	opt.preset = preset;
	int status = mql_csv_open(&r, path, &opt, &err);
	unlink(path);
	CU_ASSERT_EQUAL_FATAL(status, 0);
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < mql_csv_column_count(r) && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s",
					 i ? "|" : "",
					 mql_csv_column_name(r, i));
	mql_csv_close(r);
}

static void hubspot_internal_names(void)
{
	char got[512];
	renamed("hs_object_id,createdate,hs_analytics_source,"
		"hs_lifecyclestage_marketingqualifiedlead_date,"
		"hs_lifecyclestage_salesqualifiedlead_date,hs_lead_status,"
		"jobtitle,numemployees,lifecyclestage,hubspotscore\n",
		"hubspot", got, sizeof got);
	/* stage and score keep their names: not mqlcal's columns */
	CU_ASSERT_STRING_EQUAL(got, "contact_id|created_at|channel|mql_at|"
				    "sql_at|lead_status|job_title|"
				    "company_size|lifecyclestage|hubspotscore");
}

static void campaign_members_as_events(void)
{
	char got[512];
	/* a report with the lead report's "Lead ID" and a "Status" column:
	 * First Responded Date makes it a Campaign Member report, where
	 * Status is the member status */
	renamed("Campaign Name,Status,Responded,First Responded Date,Lead ID,"
		"Contact ID\n",
		"salesforce", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "campaign|event|responded|occurred_at|"
				    "contact_id|alternate_contact_id");
	/* Lead ID is the contact_id wherever it stands */
	renamed("ContactId,First Responded Date,HasResponded,LeadId\n",
		"salesforce", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "alternate_contact_id|occurred_at|"
				    "responded|contact_id");
	/* the same report under another preset, without a Lead ID: the
	 * Contact ID is the contact_id */
	renamed("Campaign Name,Member Status,FirstRespondedDate,ContactId\n",
		"hubspot", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "campaign|event|occurred_at|contact_id");
}

static void pardot_type_name_before_type(void)
{
	char got[512];
	/* Type (a number) comes first in the file, Type Name is the event */
	renamed("ID,Prospect ID,Type,Type Name,Campaign,Created At\n",
		"salesforce", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "ID|contact_id|Type|event|Campaign|"
				    "occurred_at");
	renamed("id,prospectId,typeName,createdAt\n", "pardot", got,
		sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "id|contact_id|event|occurred_at");
}

static void marketo_activities(void)
{
	char got[512];
	renamed("Marketo GUID,Lead ID,Activity Date,Activity Type ID,"
		"Activity Type,Primary Attribute Value,Campaign ID\n",
		"marketo", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "Marketo GUID|contact_id|occurred_at|"
				    "Activity Type ID|event|"
				    "Primary Attribute Value|campaign");
	renamed("marketoGUID,leadId,activityDate,activityTypeId,"
		"campaignId\n",
		"hubspot", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "marketoGUID|contact_id|occurred_at|"
				    "event|campaign");
	/* a contacts file under --preset marketo is read as it is */
	renamed("contact_id,Created At,mql_at\n", "marketo", got, sizeof got);
	CU_ASSERT_STRING_EQUAL(got, "contact_id|Created At|mql_at");
}

/* Every line the help prints is a rename the reader makes. */
static void entries_are_the_renames(void)
{
	mql_csv_preset_line line;
	size_t lines = 0, events = 0;
	for (const char *const *p = mql_csv_presets; *p; p++) {
		for (size_t i = 0; mql_csv_preset_entry(*p, i, &line) == 0;
		     i++) {
			CU_ASSERT(line.from[0] && line.to[0] &&
				  line.meaning[0] && line.shape[0]);
			lines++;
			events += (size_t)line.events;
		}
	}
	CU_ASSERT(lines > 80);
	CU_ASSERT(events > 0 && events < lines);
	CU_ASSERT_EQUAL(mql_csv_preset_entry("pipedrive", 0, &line), -1);
	CU_ASSERT_EQUAL(mql_csv_preset_entry("hubspot", 100000, &line), -1);
	CU_ASSERT_PTR_NULL(mql_csv_preset_rejected("marketo")[0]);
	CU_ASSERT_STRING_EQUAL(mql_csv_preset_rejected("salesforce")[0],
			       "Closed - Not Converted");
}

CU_TestInfo test_csv_preset[] = {
	{"hubspot internal names", hubspot_internal_names},
	{"campaign members as events", campaign_members_as_events},
	{"pardot type name before type", pardot_type_name_before_type},
	{"marketo activities", marketo_activities},
	{"entries are the renames", entries_are_the_renames},
	CU_TEST_INFO_NULL,
};
