/*
 * csv_header.c - header renames (--preset, --map) and header checks.
 *
 * A preset maps the standard export headers of a CRM to mqlcal's names.  A
 * preset rename is skipped when its target is already a column of the file,
 * so an export that carries both "Lead ID" and "Id" keeps the first as
 * contact_id instead of failing on a duplicate.  The map file is the user's
 * explicit wish and is applied as written.
 */
#include "csv_internal.h"

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

static const header_rename hubspot_names[] = {
	{"Record ID", "contact_id"},
	{"Create Date", "created_at"},
	{"Original Source", "channel"},
	{"First Touch Converting Campaign", "campaign"},
	{"Became a Marketing Qualified Lead Date", "mql_at"},
	{"Became a Sales Qualified Lead Date", "sql_at"},
	{"Became an Opportunity Date", "opportunity_at"},
	{"Became a Customer Date", "customer_at"},
	{"Lead Status", "lead_status"},
	{"Job Title", "job_title"},
	{"Number of Employees", "company_size"},
	{"Industry", "industry"},
	{"Country/Region", "country"},
	{NULL, NULL},
};

/* Salesforce's lead export; a converted lead has become a qualified
 * opportunity, so "Converted Date" is the SQL date when no custom SQL
 * date field is present. */
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
	{"MQL_Date__c", "mql_at"},
	{"SAL_Date__c", "sal_at"},
	{"SQL_Date__c", "sql_at"},
	{"Converted Date", "sql_at"},
	{"ConvertedDate", "sql_at"},
	{"Lead Status", "lead_status"},
	{"Status", "lead_status"},
	{NULL, NULL},
};

/* The Lead Status values by which each CRM records a rejection: HubSpot's
 * default options (label and internal name), Salesforce's default closed
 * status of a lead that was not converted. */
static const char *const hubspot_rejected[] = {
	"Unqualified", "UNQUALIFIED", "Bad Timing", "BAD_TIMING", NULL};
static const char *const salesforce_rejected[] = {"Closed - Not Converted",
						  NULL};
static const char *const none_rejected[] = {NULL};

const char *const *mql_csv_preset_rejected(const char *preset)
{
	if (preset && name_is(preset, "hubspot"))
		return hubspot_rejected;
	if (preset && name_is(preset, "salesforce"))
		return salesforce_rejected;
	return none_rejected;
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

static int apply_preset(char **names, size_t count, const char *preset,
			const char *path, mql_error *err)
{
	const header_rename *table;
	if (name_is(preset, "hubspot"))
		table = hubspot_names;
	else if (name_is(preset, "salesforce"))
		table = salesforce_names;
	else
		return mql_error_set(err, MQL_ERR_USAGE, path, 0, 0,
				     "unknown preset '%s' (expected hubspot "
				     "or salesforce)",
				     preset);
	for (size_t i = 0; i < count; i++) {
		for (const header_rename *r = table; r->from; r++) {
			if (!name_is(names[i], r->from))
				continue;
			if (other_has_name(names, count, i, r->to))
				break;
			if (set_name(names, i, r->to))
				return MQL_ERR_NOMEM;
			break;
		}
	}
	return 0;
}

/* Reads a whole small file into a NUL-ended heap buffer. */
static int read_small_file(const char *path, char **out, mql_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return mql_error_set(err, MQL_ERR_NOFILE, path, 0, 0,
				     "cannot open map file: %s",
				     strerror(errno));
	size_t size = 0, capacity = 4096;
	char *text = malloc(capacity);
	int status = text ? 0 : MQL_ERR_NOMEM;
	while (status == 0) {
		if (size + 1 >= capacity) {
			char *bigger = capacity < (1u << 24)
					       ? realloc(text, capacity * 2)
					       : NULL;
			if (!bigger) {
				status = mql_error_set(
					err, MQL_ERR_INPUT, path, 0, 0,
					"map file too large (expected a small "
					"JSON object)");
				break;
			}
			text = bigger;
			capacity *= 2;
		}
		size_t got = fread(text + size, 1, capacity - size - 1, fp);
		size += got;
		if (got == 0) {
			if (ferror(fp))
				status = mql_error_set(err, MQL_ERR_IO, path, 0,
						       0,
						       "cannot read map file");
			break;
		}
	}
	fclose(fp);
	if (status) {
		free(text);
		return status;
	}
	text[size] = '\0';
	*out = text;
	return 0;
}

static int apply_map(char **names, size_t count, const char *map_path,
		     mql_error *err)
{
	char *text = NULL;
	int status = read_small_file(map_path, &text, err);
	if (status)
		return status;
	cJSON *map = cJSON_Parse(text);
	free(text);
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
