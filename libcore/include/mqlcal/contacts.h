/*
 * contacts.h - the contacts table: one row per lead, indexed by contact_id.
 *
 * Loaded once from contacts.csv and held column by column; memory grows with
 * contacts x columns.  Recognised columns (after preset/map renames):
 * contact_id (required), created_at, channel, campaign, the stage dates
 * mql_at, sal_at, sql_at, opportunity_at, customer_at, rejected_at, and
 * revenue; lead_status is also read for rejections (mql_acceptance,
 * enum mql_outcome) and stays a property.  Every other column is a property:
 * numeric when every non-missing value parses with mql_cell_number, else
 * categorical.  Every property also keeps its distinct trimmed texts as levels,
 * so `in` rules work on numeric columns too (PSI in ["1"]).
 *
 * A large regular file is read on several threads, each range into its own
 * arrays and dictionaries, joined in file order: the table, its
 * dictionaries' order and any error are those of a one-thread read.
 *
 * Invariants: count rows; every per-row array has count entries; a missing
 * time is MQL_TIME_NONE, a missing number NAN, a missing index -1.  Rows keep
 * the file's order.  Duplicate contact ids are bad input (both lines named).
 */
#ifndef MQLCAL_CONTACTS_H
#define MQLCAL_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include <mqlcal/csv.h>
#include <mqlcal/dict.h>
#include <mqlcal/error.h>
#include <mqlcal/timeparse.h>

/* Lifecycle stages in funnel order, then the rejection. */
enum mql_stage {
	MQL_STAGE_CREATED,
	MQL_STAGE_MQL,
	MQL_STAGE_SAL,
	MQL_STAGE_SQL,
	MQL_STAGE_OPPORTUNITY,
	MQL_STAGE_CUSTOMER,
	MQL_STAGE_REJECTED,
	MQL_STAGE_COUNT
};

/* Column name of a stage ("created_at", "mql_at", ...); NULL out of range. */
const char *mql_stage_column(int stage);

/*
 * What "accepted" means for a table, settled by the loader from its
 * columns.  With a sal_at column, accepted = sales accepted the MQL.
 * Without one (HubSpot and Salesforce have no SAL stage) an MQL that
 * reached SQL or a later stage counts as accepted: the loader sets each
 * row's sal_at to the first of its sql_at, opportunity_at and customer_at,
 * and has_stage[MQL_STAGE_SAL] stays 0.  With none of them, no MQL can be
 * accepted.
 */
typedef enum mql_acceptance {
	MQL_ACCEPTANCE_SAL, /* sal_at (a table not made by the loader too) */
	MQL_ACCEPTANCE_SQL, /* no sal_at column: reached SQL or later */
	MQL_ACCEPTANCE_NONE /* no sal_at, sql_at, opportunity_at, customer_at */
} mql_acceptance;

/*
 * The one sentence every report prints for a definition, "accepted =
 * reached SQL: this export has no SAL stage"; never NULL.
 */
const char *mql_acceptance_text(mql_acceptance acceptance);

/*
 * The note for undated rejections: "N rejections have no date: they count
 * as rejected in every rate and are left out of the waits from MQL" into
 * buf (n bytes, always NUL-ended).  Returns buf.
 */
char *mql_undated_rejections_text(size_t undated, char *buf, size_t n);

/*
 * Sales outcome of an MQL (SPEC): accepted if sal_at is set (see
 * mql_acceptance), rejected if rejected_at is set or its lead_status is a
 * rejected one (rejected_undated), otherwise open.
 */
enum mql_outcome {
	MQL_OUTCOME_NOT_MQL, /* no mql_at */
	MQL_OUTCOME_OPEN,
	MQL_OUTCOME_ACCEPTED,
	MQL_OUTCOME_REJECTED
};

typedef enum mql_property_kind {
	MQL_PROPERTY_NUMERIC,
	MQL_PROPERTY_CATEGORICAL
} mql_property_kind;

typedef struct mql_property {
	char *name; /* column name after renames */
	mql_property_kind kind;
	double *number;	 /* numeric only (else NULL): NAN = missing */
	int32_t *level;	 /* index into levels, -1 = missing */
	mql_dict levels; /* distinct trimmed texts of this column */
	size_t missing;	 /* rows with a missing value */
} mql_property;

/* Non-fatal oddities found while loading, for mql-check and stderr. */
typedef struct mql_contacts_quality {
	size_t stages_out_of_order; /* a later stage dated before an earlier one
				     */
	size_t future_dates;	    /* dates after the load's reference time */
	size_t missing_created_at;
	size_t undated_rejections; /* rejected by lead_status, no rejected_at
				    */
	size_t *missing;	   /* per file column (column_count entries) */
	char **column_names;	   /* file column names, after renames */
	size_t column_count;
	int trailing_column_ignored; /* the header ended with an unnamed
					column (a delimiter ending every line)
				      */
} mql_contacts_quality;

typedef struct mql_contacts {
	size_t count;
	char **id;  /* contact ids (NULL when loaded WITHOUT_IDS) */
	long *line; /* line of each row in the file (NULL: WITHOUT_IDS) */
	mql_time *stage_at[MQL_STAGE_COUNT]; /* always allocated; NONE if absent
					      */
	int has_stage[MQL_STAGE_COUNT];	     /* the column exists in the file */
	mql_acceptance acceptance;	     /* what sal_at stands for */
	/* per row: 1 when its lead_status says rejected and it has no
	 * rejected_at (NULL = none such; always set by the loader) */
	uint8_t *rejected_undated;
	int rejects_by_status; /* a lead_status column was read for them */
	double *revenue;   /* NAN when missing or absent (NULL: WITHOUT_REVENUE)
			    */
	int32_t *channel;  /* index into channels, -1 missing (NULL: not read,
			      see WITHOUT_UNLISTED_LABELS) */
	int32_t *campaign; /* index into campaigns, -1 missing (NULL: idem) */
	mql_dict channels;
	mql_dict campaigns;
	size_t property_count;
	mql_property *properties;
	char *path; /* file name for messages */
	mql_contacts_quality quality;
	void *index; /* private: the ids' texts and the id -> row table,
		      * built by the first mql_contacts_find (which may be
		      * called from several threads at once) */
	/* channel and campaign seen as categorical properties, so a fit rule
	 * can test the lead source; mql_contacts_property returns them.  They
	 * share channel/campaign and their dictionaries and own only names. */
	mql_property channel_view;
	mql_property campaign_view;
} mql_contacts;

/* Which property columns mql_contacts_load reads. */
typedef enum mql_contacts_properties {
	MQL_CONTACTS_PROPERTIES_ALL,   /* every one (the default) */
	MQL_CONTACTS_PROPERTIES_NONE,  /* none: property_count is 0 */
	MQL_CONTACTS_PROPERTIES_LISTED /* only those named in keep */
} mql_contacts_properties;

/*
 * What mql_contacts_load may leave out, for a caller that only counts (a
 * bit set; 0 = nothing).  WITHOUT_IDS: id and line are NULL (the ids are
 * still checked for repeats, a repeat reported exactly as by a full load)
 * and mql_contacts_find always gives -1.  WITHOUT_REVENUE: revenue is NULL
 * and its cells are not parsed, like a skipped property's.
 * WITHOUT_UNLISTED_LABELS: when the properties are LISTED, a channel or
 * campaign column not listed is not read either: that array is NULL, its
 * dictionary empty, and mql_contacts_property does not know the name (its
 * missing cells are still counted).  Less memory to fill is a faster load.
 */
#define MQL_CONTACTS_WITHOUT_IDS	     1u
#define MQL_CONTACTS_WITHOUT_REVENUE	     2u
#define MQL_CONTACTS_WITHOUT_UNLISTED_LABELS 4u

#define MQL_CONTACTS_MAX_THREADS 8

/*
 * How to load, beyond the recognised columns, which are always read.  The
 * funnel and cost commands need only stages, labels and revenue, and
 * interning every property's texts is most of a full load's cost.
 *
 * keep (LISTED only): keep_count column names, matched case-insensitively
 * after renames; names that are not property columns (channel, campaign,
 * absent ones) are ignored.  The array is only read during the load.
 *
 * A skipped column is still checked as part of each row's shape (a row with
 * the wrong number of fields is bad input as before) but its cells are not
 * parsed or interned.  Unless properties is ALL, quality.missing is counted
 * only for the recognised columns and the kept properties (0 for the skipped
 * ones), since nothing then reads the others.
 */
typedef struct mql_contacts_load_options {
	mql_contacts_properties properties;
	const char *const *keep;
	size_t keep_count;
	unsigned leave_out; /* MQL_CONTACTS_WITHOUT_* bits, 0 = nothing */
	int threads; /* 0 = one per online processor (one for files under a
			few MiB), capped at MQL_CONTACTS_MAX_THREADS; anything
			not a regular file is read on one */
} mql_contacts_load_options;

/* Sets lo to load everything on every processor. */
void mql_contacts_load_options_init(mql_contacts_load_options *lo);

/*
 * Loads path with opt, reading what lo asks for (NULL = everything, as
 * mql_contacts_load_options_init sets).  future_after: dates later than
 * this are counted in quality.future_dates (MQL_TIME_NONE = the current
 * clock).  The rows, ids, stage dates, revenue, channels, campaigns and the
 * other quality counters are the same whatever lo keeps (unless it leaves
 * them out), and the table, and any error, the same for any number of
 * threads; properties[] holds the kept property columns in file order.
 * Returns 0, or MQL_ERR_NOFILE, MQL_ERR_INPUT (err names file, line,
 * column), MQL_ERR_NOMEM.  *out belongs to the caller: mql_contacts_free.
 */
int mql_contacts_load(mql_contacts **out, const char *path,
		      const mql_csv_options *opt, mql_time future_after,
		      const mql_contacts_load_options *lo, mql_error *err);

/* Row of contact id[0..len), or -1 when unknown (always, for a table
 * loaded WITHOUT_IDS).  An id not found as it is is looked up in its other
 * Salesforce form (mql_contacts_find_salesforce_form).  Thread-safe; the
 * first call builds the table (a few tens of ms per million contacts). */
long mql_contacts_find(const mql_contacts *c, const char *id, size_t len);

/*
 * Row of the contact whose id is the other form of Salesforce record id
 * id[0..len), or -1: a 15-character id (what Salesforce reports write)
 * matches the contact of its 18-character case-safe form (what the API and
 * exports write), and an 18-character id whose last 3 characters are its
 * case-safe suffix matches the contact of its first 15.  The forms name
 * the same record, so the match is exact.  A row found, *created (may be
 * NULL) gets its created_at.
 */
long mql_contacts_find_salesforce_form(const mql_contacts *c, const char *id,
				       size_t len, mql_time *created);

/*
 * The other form of Salesforce record id id[0..len): a 15-character id of
 * letters and digits gets its 18-character case-safe form, an 18-character
 * one whose last 3 characters are its case-safe suffix gets its first 15.
 * Returns the length written to out (18 or 15), or 0 when id is neither.
 */
size_t mql_contacts_salesforce_other_form(const char *id, size_t len,
					  char out[18]);

/* The 3 characters that make the Salesforce id id[0..15) case-safe: the
 * last 3 of its 18-character form.  Bit j of the i-th says whether
 * character 5i + j is a capital, as an index into A-Z then 0-5. */
void mql_contacts_salesforce_suffix(const char *id, char suffix[3]);

/*
 * mql_contacts_find in two steps, for a reader that looks many ids up at
 * once: mql_contacts_find_ahead hashes the id and asks the processor to
 * fetch the table slot where it would be (building the table on first
 * use), and returns the hash; mql_contacts_find_hashed, called some rows
 * later with that hash, finds the row as mql_contacts_find does without a
 * cache miss.  A row found, *created (may be NULL) gets its created_at
 * from the same table slot, so that a reader checking each event against
 * it spares a second miss.
 */
uint32_t mql_contacts_find_ahead(const mql_contacts *c, const char *id,
				 size_t len);
long mql_contacts_find_hashed(const mql_contacts *c, const char *id, size_t len,
			      uint32_t hash, mql_time *created);

/* Property named name (case-insensitive), or NULL.  "channel" and
 * "campaign" give read-only views of those columns (all missing when the
 * file has no such column)
 * (they are not in properties[], so discovery does not list them). */
const mql_property *mql_contacts_property(const mql_contacts *c,
					  const char *name);

/* Sales outcome of row (see enum mql_outcome). */
enum mql_outcome mql_contacts_outcome(const mql_contacts *c, size_t row);

/* Whether row is rejected without a date (its lead_status says so). */
int mql_contacts_rejected_undated(const mql_contacts *c, size_t row);

/* Whether row was rejected by sales by as_of: rejected_at <= as_of, or an
 * undated rejection (taken as known at any time). */
int mql_contacts_rejected_by(const mql_contacts *c, size_t row, mql_time as_of);

/*
 * Whether row's stages are dated out of order: a later funnel stage
 * (created, mql, sal, sql, opportunity, customer) dated before an earlier
 * one, or a rejection dated before its MQL.  Every command treats such a
 * lead the same way: each stage it has a date for counts as reached, but
 * none of its waits between stages is measured (one wrong date would
 * otherwise be read as a wait of years); the waits left out are counted
 * and warned about, and mql-check lists the leads.  Cannot fail.
 */
int mql_contacts_stages_out_of_order(const mql_contacts *c, size_t row);

/* The latest date of any stage in the table (the default --as-of). */
mql_time mql_contacts_latest_time(const mql_contacts *c);

/* Frees the table.  c may be NULL. */
void mql_contacts_free(mql_contacts *c);

#endif
