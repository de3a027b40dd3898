/*
 * csv_header.c - header renames (--preset, --map) and header checks.
 *
 * A preset maps the standard export headers of a CRM to mqlcal's names,
 * by the labels its exports write and by its internal (API) names.  A
 * file is one of a preset's shapes: an activity export (Salesforce
 * Campaign Members, Account Engagement visitor activities, Marketo
 * activities: known to every preset, told apart by a column only they
 * have), else the preset's contact export.  Renames are tried in the
 * table's order, and one is skipped when its target is already a column
 * of the file, so an export that carries both "Lead ID" and "Id" keeps
 * the first as contact_id instead of failing on a duplicate.  The map file
 * is the user's explicit wish and is applied as written.
 */
#include "csv_internal.h"
#include "file_read.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_is(const char *a, const char *b);

typedef struct header_rename {
	const char *from;
	const char *to;
} header_rename;

/* HubSpot's contact export: labels, then internal names. */
static const header_rename hubspot_names[] = {
	{"Record ID", "contact_id"},
	{"hs_object_id", "contact_id"},
	{"Create Date", "created_at"},
	{"createdate", "created_at"},
	{"Original Source", "channel"},
	{"hs_analytics_source", "channel"},
	{"First Touch Converting Campaign", "campaign"},
	{"hs_analytics_first_touch_converting_campaign", "campaign"},
	{"Became a Marketing Qualified Lead Date", "mql_at"},
	{"hs_lifecyclestage_marketingqualifiedlead_date", "mql_at"},
	{"Became a Sales Qualified Lead Date", "sql_at"},
	{"hs_lifecyclestage_salesqualifiedlead_date", "sql_at"},
	{"Became an Opportunity Date", "opportunity_at"},
	{"hs_lifecyclestage_opportunity_date", "opportunity_at"},
	{"Became a Customer Date", "customer_at"},
	{"hs_lifecyclestage_customer_date", "customer_at"},
	{"Lead Status", "lead_status"},
	{"hs_lead_status", "lead_status"},
	{"Job Title", "job_title"},
	{"jobtitle", "job_title"},
	{"Number of Employees", "company_size"},
	{"numemployees", "company_size"},
	{"Industry", "industry"},
	{"Country/Region", "country"},
	{NULL, NULL},
};

/* Salesforce's lead report and lead export (labels, then API names); a
 * converted lead has become a qualified opportunity, so "Converted Date"
 * is the SQL date when no custom SQL date field is present. */
static const header_rename salesforce_names[] = {
	{"Lead ID", "contact_id"},
	{"Id", "contact_id"},
	{"Created Date", "created_at"},
	{"CreatedDate", "created_at"},
	{"Lead Source", "channel"},
	{"LeadSource", "channel"},
	{"Title", "job_title"},
	{"No. of Employees", "company_size"},
	{"NumberOfEmployees", "company_size"},
	{"Industry", "industry"},
	{"Country", "country"},
	{"MQL Date", "mql_at"},
	{"MQL_Date__c", "mql_at"},
	{"SAL Date", "sal_at"},
	{"SAL_Date__c", "sal_at"},
	{"SQL Date", "sql_at"},
	{"SQL_Date__c", "sql_at"},
	{"Converted Date", "sql_at"},
	{"ConvertedDate", "sql_at"},
	{"Lead Status", "lead_status"},
	{"Status", "lead_status"},
	{NULL, NULL},
};

/* Salesforce's Campaign Member report: each responded member is an event
 * of its member status, on its first responded date.  A member is a lead
 * or a contact: with a Lead ID column, Contact ID is the id of a row whose
 * Lead ID is empty (the renames to contact_id come first, so the second
 * pair only applies to a Contact ID that is not the contact_id already).
 * Responded tells the members who responded from those who did not. */
static const header_rename campaign_member_names[] = {
	{"Lead ID", "contact_id"},
	{"LeadId", "contact_id"},
	{"Contact ID", "contact_id"},
	{"ContactId", "contact_id"},
	{"Contact ID", "alternate_contact_id"},
	{"ContactId", "alternate_contact_id"},
	{"Responded", "responded"},
	{"HasResponded", "responded"},
	{"First Responded Date", "occurred_at"},
	{"FirstRespondedDate", "occurred_at"},
	{"Member Status", "event"},
	{"Status", "event"},
	{"Campaign Name", "campaign"},
	{NULL, NULL},
};

/* Account Engagement (Pardot) visitor activities, by export label and by
 * API field name. */
static const header_rename pardot_names[] = {
	{"Prospect ID", "contact_id"},
	{"prospectId", "contact_id"},
	{"prospect_id", "contact_id"},
	{"Created At", "occurred_at"},
	{"createdAt", "occurred_at"},
	{"created_at", "occurred_at"},
	{"Type Name", "event"},
	{"typeName", "event"},
	{"Type", "event"},
	{"Campaign Name", "campaign"},
	{NULL, NULL},
};

/* Marketo's activity log: export labels and bulk-extract field names. */
static const header_rename marketo_names[] = {
	{"Lead ID", "contact_id"},
	{"leadId", "contact_id"},
	{"Activity Date", "occurred_at"},
	{"activityDate", "occurred_at"},
	{"Activity Type", "event"},
	{"Activity Type ID", "event"},
	{"activityTypeId", "event"},
	{"Campaign Name", "campaign"},
	{"Campaign ID", "campaign"},
	{"campaignId", "campaign"},
	{NULL, NULL},
};

static const header_rename no_names[] = {{NULL, NULL}};

/* A kind of file a preset reads: told by any one of its signature
 * columns (NULL: the preset's own export, when no other shape fits). */
typedef struct preset_shape {
	const char *what; /* for the help */
	const char *const *signature;
	const header_rename *names;
} preset_shape;

static const char *const campaign_member_columns[] = {
	"First Responded Date", "FirstRespondedDate", NULL};
static const char *const pardot_columns[] = {"Type Name", "typeName", NULL};
static const char *const marketo_columns[] = {
	"Activity Type", "Activity Type ID", "activityTypeId", NULL};

/* The activity exports, as events files, under every preset. */
static const preset_shape activity_shapes[] = {
	{"Salesforce Campaign Member report (events)", campaign_member_columns,
	 campaign_member_names},
	{"Account Engagement (Pardot) visitor activities (events)",
	 pardot_columns, pardot_names},
	{"Marketo activity log (events)", marketo_columns, marketo_names},
};
#define ACTIVITY_SHAPES (sizeof activity_shapes / sizeof *activity_shapes)

typedef struct preset {
	const char *name;
	preset_shape contacts; /* signature NULL */
	const char *const *rejected;
} preset;

/* The Lead Status values by which each CRM records a rejection: HubSpot's
 * default options (label and internal name), Salesforce's default closed
 * status of a lead that was not converted. */
static const char *const hubspot_rejected[] = {
	"Unqualified", "UNQUALIFIED", "Bad Timing", "BAD_TIMING", NULL};
static const char *const salesforce_rejected[] = {"Closed - Not Converted",
						  NULL};
static const char *const none_rejected[] = {NULL};

static const preset presets[] = {
	{"hubspot",
	 {"HubSpot contact export", NULL, hubspot_names},
	 hubspot_rejected},
	{"salesforce",
	 {"Salesforce lead report or export", NULL, salesforce_names},
	 salesforce_rejected},
	{"pardot", {"contacts: no renames", NULL, no_names}, none_rejected},
	{"marketo", {"contacts: no renames", NULL, no_names}, none_rejected},
};
#define PRESETS (sizeof presets / sizeof *presets)

const char *const mql_csv_presets[] = {"hubspot", "salesforce", "pardot",
				       "marketo", NULL};

/* What each mqlcal name a preset gives means, for the help. */
static const header_rename target_meanings[] = {
	{"contact_id", "the lead's id"},
	{"created_at", "when the lead was created"},
	{"channel", "original lead source"},
	{"campaign", "campaign"},
	{"mql_at", "became an MQL"},
	{"sal_at", "accepted by sales"},
	{"sql_at", "became an SQL (accepted, when there is no SAL stage)"},
	{"opportunity_at", "became an opportunity"},
	{"customer_at", "became a customer"},
	{"lead_status", "rejected when one of the rejected statuses"},
	{"job_title", "fit property"},
	{"company_size", "fit property (a number or a range)"},
	{"industry", "fit property"},
	{"country", "fit property"},
	{"alternate_contact_id", "the id of a row whose contact_id is empty"},
	{"responded", "a row that says no (0, false, no, empty) is skipped"},
	{"occurred_at", "when the event happened"},
	{"event", "the event's type"},
	{NULL, NULL},
};

static const preset *find_preset(const char *name)
{
	for (size_t p = 0; name && p < PRESETS; p++)
		if (name_is(name, presets[p].name))
			return &presets[p];
	return NULL;
}

const char *const *mql_csv_preset_rejected(const char *name)
{
	const preset *p = find_preset(name);
	return p ? p->rejected : none_rejected;
}

/* Shape i of preset p: the activity shapes, then its contacts; NULL past
 * the end. */
static const preset_shape *shape_at(const preset *p, size_t i)
{
	if (i < ACTIVITY_SHAPES)
		return &activity_shapes[i];
	return i == ACTIVITY_SHAPES ? &p->contacts : NULL;
}

int mql_csv_preset_entry(const char *name, size_t i, mql_csv_preset_line *out)
{
	const preset *p = find_preset(name);
	for (size_t s = 0; p; s++) {
		const preset_shape *shape = shape_at(p, s);
		if (!shape)
			return -1;
		for (const header_rename *r = shape->names; r->from; r++) {
			if (i-- > 0)
				continue;
			out->shape = shape->what;
			out->from = r->from;
			out->to = r->to;
			out->meaning = "";
			out->events = shape != &p->contacts;
			for (const header_rename *m = target_meanings; m->from;
			     m++)
				if (strcmp(m->from, r->to) == 0)
					out->meaning = m->to;
			return 0;
		}
	}
	return -1;
}

int mql_csv_name_equal(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x == '\0')
			return 0;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return 0;
	}
	return a[len] == '\0';
}

static int name_is(const char *a, const char *b)
{
	return mql_csv_name_equal(a, b, strlen(b));
}

/* True when a column other than skip is already called name. */
static int other_has_name(char **names, size_t count, size_t skip,
			  const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (i != skip && name_is(names[i], name))
			return 1;
	return 0;
}

/* Replaces names[i] by a copy of to.  Returns 0 or MQL_ERR_NOMEM. */
static int set_name(char **names, size_t i, const char *to)
{
	char *copy = strdup(to);
	if (!copy)
		return MQL_ERR_NOMEM;
	free(names[i]);
	names[i] = copy;
	return 0;
}

/* Index of the column called name, or -1. */
static long column_named(char **names, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (name_is(names[i], name))
			return (long)i;
	return -1;
}

/* The shape of a file with these columns under preset p. */
static const preset_shape *detect_shape(const preset *p, char **names,
					size_t count)
{
	for (size_t s = 0; s < ACTIVITY_SHAPES; s++)
		for (const char *const *c = activity_shapes[s].signature; *c;
		     c++)
			if (column_named(names, count, *c) >= 0)
				return &activity_shapes[s];
	return &p->contacts;
}

static int apply_preset(char **names, size_t count, const char *name,
			const char *path, mql_error *err)
{
	const preset *p = find_preset(name);
	if (!p)
		return mql_error_set(err, MQL_ERR_USAGE, path, 0, 0,
				     "unknown preset '%s' (expected hubspot, "
				     "salesforce, pardot or marketo)",
				     name);
	const preset_shape *shape = detect_shape(p, names, count);
	for (const header_rename *r = shape->names; r->from; r++) {
		long i = column_named(names, count, r->from);
		if (i < 0 || other_has_name(names, count, (size_t)i, r->to))
			continue;
		if (set_name(names, (size_t)i, r->to))
			return MQL_ERR_NOMEM;
	}
	return 0;
}

/* A column map is a small JSON object: 1 MiB is far more than any CRM's
 * column list needs. */
#define MAX_MAP_FILE  (1u << 20)
#define MAX_MAP_DEPTH 4

/* Reads and parses the map file strictly into *out (see file_read.h). */
static int read_map(const char *path, cJSON **out, mql_error *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	int status = mql_file_read_whole(&text, &len, path, MAX_MAP_FILE);
	if (status == MQL_ERR_NOFILE || status == MQL_ERR_IO)
		return mql_error_set(err, status, path, 0, 0,
				     "cannot %s map file: %s",
				     status == MQL_ERR_NOFILE ? "open" : "read",
				     strerror(errno));
	if (status == MQL_ERR_INPUT)
		return mql_error_set(err, status, path, 0, 0,
				     "map file larger than %u bytes (expected "
				     "a small JSON object)",
				     MAX_MAP_FILE);
	if (status)
		return mql_error_set(err, status, path, 0, 0,
				     "out of memory reading map file");
	status = mql_file_read_json(out, text, len, MAX_MAP_DEPTH, path,
				    "a JSON object from column name to "
				    "mqlcal name",
				    err);
	free(text);
	return status;
}

static int apply_map(char **names, size_t count, const char *map_path,
		     mql_error *err)
{
	cJSON *map = NULL;
	int status = read_map(map_path, &map, err);
	if (status)
		return status;
	if (!cJSON_IsObject(map)) {
		cJSON_Delete(map);
		return mql_error_set(err, MQL_ERR_INPUT, map_path, 0, 0,
				     "expected a JSON object from column name "
				     "to mqlcal name");
	}
	const cJSON *entry;
	cJSON_ArrayForEach(entry, map)
	{
		if (!cJSON_IsString(entry) || !entry->valuestring[0]) {
			status = mql_error_set(err, MQL_ERR_INPUT, map_path, 0,
					       0,
					       "value of '%s' must be a "
					       "non-empty string",
					       entry->string);
			break;
		}
		for (size_t i = 0; i < count; i++) {
			if (name_is(names[i], entry->string) &&
			    (status = set_name(names, i, entry->valuestring)))
				break;
		}
		if (status)
			break;
	}
	cJSON_Delete(map);
	return status;
}

static int check_names(char **names, size_t count, const char *path,
		       mql_error *err)
{
	for (size_t i = 0; i < count; i++) {
		if (!names[i][0])
			return mql_error_set(err, MQL_ERR_INPUT, path, 1,
					     (long)i + 1,
					     "column %zu has no name (expected "
					     "a name in every header field)",
					     i + 1);
		for (size_t j = 0; j < i && names[i][0]; j++)
			if (name_is(names[j], names[i]))
				return mql_error_set(
					err, MQL_ERR_INPUT, path, 1,
					(long)i + 1,
					"duplicate column '%s' (columns %zu "
					"and %zu)",
					names[i], j + 1, i + 1);
	}
	return 0;
}

int mql_csv_rename_header(char **names, size_t count,
			  const mql_csv_options *opt, const char *path,
			  mql_error *err)
{
	int status;
	if (opt->preset &&
	    (status = apply_preset(names, count, opt->preset, path, err)))
		return status;
	if (opt->map_path &&
	    (status = apply_map(names, count, opt->map_path, err)))
		return status;
	return check_names(names, count, path, err);
}

const char *mql_csv_delimiter_advice(const mql_csv *r)
{
	/* the separators European spreadsheets and warehouse dumps use */
	static const struct {
		char separator;
		const char *advice;
	} others[] = {
		{';', "; the header is one column holding ';': add "
		      "--delimiter ';'"},
		{'\t', "; the header is one column holding tabs: add "
		       "--delimiter tab"},
		{'|', "; the header is one column holding '|': add "
		      "--delimiter '|'"},
	};
	const char *name = mql_csv_column_name(r, 0);
	if (mql_csv_column_count(r) != 1 || !name)
		return "";
	for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
		if (strchr(name, others[k].separator))
			return others[k].advice;
	return "";
}
