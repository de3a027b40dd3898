/*
 * fake_tables.h - contacts and spend tables built in memory for unit tests
 * of the modules that read them (cost, channels), without any file.
 *
 * fake_contacts_new allocates every per-row array of an mql_contacts with
 * missing values; tests then set the cells they need.  fake_contacts_free
 * and fake_spend_free release what these helpers allocated.
 */
#ifndef MQLCAL_TESTS_FAKE_TABLES_H
#define MQLCAL_TESTS_FAKE_TABLES_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/contacts.h>
#include <mqlcal/spend.h>

static inline mql_contacts *fake_contacts_new(size_t count)
{
	mql_contacts *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->count = count;
	size_t n = count ? count : 1;
	for (int s = 0; s < MQL_STAGE_COUNT; s++) {
		c->stage_at[s] = malloc(n * sizeof(mql_time));
		c->has_stage[s] = 1;
		for (size_t i = 0; c->stage_at[s] && i < count; i++)
			c->stage_at[s][i] = MQL_TIME_NONE;
	}
	c->revenue = malloc(n * sizeof(double));
	c->channel = malloc(n * sizeof(int32_t));
	c->campaign = malloc(n * sizeof(int32_t));
	for (size_t i = 0; i < count; i++) {
		c->revenue[i] = NAN;
		c->channel[i] = -1;
		c->campaign[i] = -1;
	}
	mql_dict_init(&c->channels);
	mql_dict_init(&c->campaigns);
	return c;
}

static inline void fake_contacts_free(mql_contacts *c)
{
	if (!c)
		return;
	for (int s = 0; s < MQL_STAGE_COUNT; s++)
		free(c->stage_at[s]);
	free(c->revenue);
	free(c->channel);
	free(c->campaign);
	mql_dict_release(&c->channels);
	mql_dict_release(&c->campaigns);
	free(c);
}

static inline int32_t fake_intern(mql_dict *d, const char *name)
{
	return mql_dict_intern(d, name, strlen(name));
}

/* Appends a spend row; start and end as in mql_spend_row. */
static inline void fake_spend_add(mql_spend *s, const char *campaign,
				  const char *channel, mql_time start,
				  mql_time end, double amount)
{
	mql_spend_row *rows = realloc(s->rows, (s->count + 1) * sizeof *rows);
	if (!rows)
		return;
	s->rows = rows;
	s->rows[s->count++] = (mql_spend_row){
		campaign ? fake_intern(&s->campaigns, campaign) : -1,
		channel ? fake_intern(&s->channels, channel) : -1,
		start,
		end,
		amount,
		(long)s->count + 2};
}

static inline void fake_spend_release(mql_spend *s)
{
	free(s->rows);
	mql_dict_release(&s->campaigns);
	mql_dict_release(&s->channels);
}

/* Midnight UTC of a civil date. */
static inline mql_time fake_date(int year, int month, int day)
{
	return mql_time_days_from_civil(year, month, day) * MQL_SECONDS_PER_DAY;
}

#endif
