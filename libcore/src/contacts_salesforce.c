/*
 * contacts_salesforce.c - the two forms of a Salesforce record id (see
 * contacts_index.h).
 *
 * Salesforce ids are 15 case-sensitive letters and digits; the API, Data
 * Loader and most exports write the 18-character "case-safe" form, the
 * same 15 followed by 3 characters that spell, for each five, which of them
 * are capitals (bit j of the i-th for character 5i + j, as an index into
 * A-Z then 0-5).  Reports write the 15-character form.  A lead export and
 * a campaign member report of the same org therefore name each lead two
 * ways, and the one can be made from the other exactly.
 */
#include <mqlcal/contacts.h>

#include <string.h>

static const char SUFFIX_DIGITS[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

static int is_id_character(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= 'a' && ch <= 'z');
}

void mql_contacts_salesforce_suffix(const char *id, char suffix[3])
{
	for (int i = 0; i < 3; i++) {
		unsigned capitals = 0;
		for (int j = 0; j < 5; j++)
			if (id[5 * i + j] >= 'A' && id[5 * i + j] <= 'Z')
				capitals |= 1u << j;
		suffix[i] = SUFFIX_DIGITS[capitals];
	}
}

size_t mql_contacts_salesforce_other_form(const char *id, size_t len,
					  char out[18])
{
	if (len != 15 && len != 18)
		return 0;
	for (size_t i = 0; i < 15; i++)
		if (!is_id_character(id[i]))
			return 0;
	char suffix[3];
	mql_contacts_salesforce_suffix(id, suffix);
	if (len == 18) {
		if (memcmp(id + 15, suffix, 3) != 0)
			return 0; /* not a case-safe id */
		memcpy(out, id, 15);
		return 15;
	}
	memcpy(out, id, 15);
	memcpy(out + 15, suffix, 3);
	return 18;
}
