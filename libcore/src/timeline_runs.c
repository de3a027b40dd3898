/*
 * timeline_runs.c - the timeline's sorted runs on disk, each record stored
 * as its difference from the one before (see timeline_internal.h).
 */
#include "timeline_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define READ_BYTES  ((size_t)64 << 10)
#define MAX_ENCODED 48 /* bytes of 4 varints of at most 10 (20 written) */

static unsigned char *put_varint(unsigned char *p, uint64_t value)
{
	while (value >= 0x80) {
		*p++ = (unsigned char)(value | 0x80);
		value >>= 7;
	}
	*p++ = (unsigned char)value;
	return p;
}

/* 1 with *out read from *p (moved past it), 0 when it runs past end. */
static int get_varint(const unsigned char **p, const unsigned char *end,
		      uint64_t *out)
{
	uint64_t value = 0;
	for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
		unsigned char byte = *(*p)++;
		value |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*out = value;
			return 1;
		}
	}
	return 0;
}

/* A signed step (two's complement in a uint64) as a small unsigned. */
static uint64_t zigzag(uint64_t step)
{
	return (step << 1) ^ (0 - (step >> 63));
}

static uint64_t unzigzag(uint64_t value)
{
	return (value >> 1) ^ (0 - (value & 1));
}

static unsigned char *encode(unsigned char *p, const mql_timeline_record *rec,
			     const mql_timeline_record *previous)
{
	p = put_varint(p, zigzag((uint64_t)rec->contact -
				 (uint64_t)previous->contact));
	p = put_varint(p, zigzag((uint64_t)rec->at - (uint64_t)previous->at));
	p = put_varint(p, rec->type_campaign >> MQL_TIMELINE_CAMPAIGN_BITS);
	return put_varint(p, rec->type_campaign & MQL_TIMELINE_MAX_CAMPAIGNS);
}

/* A varint of at most 10 bytes, the caller having made sure they are
 * there. */
static uint64_t take_varint(const unsigned char **p)
{
	const unsigned char *q = *p;
	uint64_t value = *q & 0x7f;
	for (unsigned shift = 7; (*q++ & 0x80) && shift < 70; shift += 7)
		if (shift < 64)
			value |= (uint64_t)(*q & 0x7f) << shift;
	*p = q;
	return value;
}

/* Builds rec from the four decoded numbers (the steps from the record
 * before) and moves r past them, to p.  0 when type or campaign is out of
 * range (the bytes are not a record), else 1. */
static int take_record(mql_timeline_run *r, mql_timeline_record *rec,
		       const unsigned char *p, uint64_t contact_step,
		       uint64_t time_step, uint64_t type, uint64_t campaign)
{
	if (type >= MQL_TIMELINE_MAX_TYPES ||
	    campaign > MQL_TIMELINE_MAX_CAMPAIGNS)
		return 0;
	rec->contact = (uint32_t)((uint64_t)r->previous.contact +
				  unzigzag(contact_step));
	rec->at = (mql_time)((uint64_t)r->previous.at + unzigzag(time_step));
	rec->type_campaign =
		(uint32_t)(type << MQL_TIMELINE_CAMPAIGN_BITS | campaign);
	r->previous = *rec;
	r->bytes_next = (size_t)(p - r->bytes);
	return 1;
}

/* decode with MAX_ENCODED bytes known to be there: no bound checks on
 * the way (the hot loop of reading a run back). */
static int decode_unchecked(mql_timeline_run *r, mql_timeline_record *rec)
{
	const unsigned char *p = r->bytes + r->bytes_next;
	uint64_t contact_step = take_varint(&p);
	uint64_t time_step = take_varint(&p);
	uint64_t type = take_varint(&p);
	uint64_t campaign = take_varint(&p);
	return take_record(r, rec, p, contact_step, time_step, type, campaign);
}

/* Decodes the next record of r into rec.  1, or 0 when the bytes are not
 * a record (a damaged or truncated file). */
static int decode(mql_timeline_run *r, mql_timeline_record *rec)
{
	const unsigned char *p = r->bytes + r->bytes_next;
	const unsigned char *end = r->bytes + r->bytes_end;
	uint64_t contact_step, time_step, type, campaign;
	if (!get_varint(&p, end, &contact_step) ||
	    !get_varint(&p, end, &time_step) || !get_varint(&p, end, &type) ||
	    !get_varint(&p, end, &campaign))
		return 0;
	return take_record(r, rec, p, contact_step, time_step, type, campaign);
}

int mql_timeline_run_write(mql_timeline_run *r,
			   const mql_timeline_record *records, size_t count,
			   unsigned char *spill, const char *dir,
			   mql_error *err)
{
	mql_timeline_record previous = {0, 0, 0};
	size_t used = 0;
	int64_t written = 0;
	off_t start = ftello(r->fp);
	int fine = start >= 0;
	for (size_t i = 0; fine && i < count; i++) {
		if (used > MQL_TIMELINE_SPILL_BYTES - MAX_ENCODED) {
			fine = fwrite(spill, 1, used, r->fp) == used;
			written += (int64_t)used;
			used = 0;
		}
		used = (size_t)(encode(spill + used, &records[i], &previous) -
				spill);
		previous = records[i];
	}
	fine = fine && fwrite(spill, 1, used, r->fp) == used;
	written += (int64_t)used;
	if (!fine || fflush(r->fp) != 0)
		return mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
				     "cannot write a sorted run: %s",
				     strerror(errno));
	r->file_start = (int64_t)start;
	r->file_bytes = written;
	r->remaining = count;
	return MQL_OK;
}

/* Moves the unread bytes to the front and reads more of the run after
 * them (pread: the range's runs share the file, each at its own place). */
static int read_more(mql_timeline_run *r)
{
	size_t left = r->bytes_end - r->bytes_next;
	memmove(r->bytes, r->bytes + r->bytes_next, left);
	r->bytes_next = 0;
	size_t room = READ_BYTES - left;
	int64_t unread = r->file_bytes - r->file_read;
	size_t want = unread < (int64_t)room ? (size_t)unread : room;
	ssize_t got;
	do
		got = pread(fileno(r->fp), r->bytes + left, want,
			    (off_t)(r->file_start + r->file_read));
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return MQL_ERR_IO;
	r->file_read += got;
	r->bytes_end = left + (size_t)got;
	if (got == 0 || r->file_read == r->file_bytes)
		r->at_end_of_file = 1; /* a file cut short fails to decode */
	return MQL_OK;
}

int mql_timeline_run_refill(mql_timeline_run *r, const char *dir,
			    mql_error *err)
{
	size_t want = r->remaining < MQL_TIMELINE_RUN_RECORDS
			      ? r->remaining
			      : MQL_TIMELINE_RUN_RECORDS;
	for (size_t i = 0; i < want; i++) {
		if (r->bytes_end - r->bytes_next >= MAX_ENCODED) {
			if (decode_unchecked(r, &r->buffer[i]))
				continue;
			return mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
					     "cannot read back a sorted run: "
					     "it is damaged");
		}
		if (!r->at_end_of_file && read_more(r))
			return mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
					     "cannot read back a sorted run: "
					     "%s",
					     strerror(errno));
		if (!decode(r, &r->buffer[i]))
			return mql_error_set(err, MQL_ERR_IO, dir, 0, 0,
					     "cannot read back a sorted run: "
					     "it is damaged");
	}
	r->remaining -= want;
	r->buffered = want;
	r->next = 0;
	return MQL_OK;
}

int mql_timeline_run_start(mql_timeline_run *r, const char *dir, mql_error *err)
{
	r->buffer = malloc(MQL_TIMELINE_RUN_RECORDS * sizeof *r->buffer);
	r->bytes = malloc(READ_BYTES);
	if (!r->buffer || !r->bytes)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory merging events");
	r->file_read = 0;
	r->bytes_end = r->bytes_next = 0;
	r->at_end_of_file = 0;
	memset(&r->previous, 0, sizeof r->previous);
	return mql_timeline_run_refill(r, dir, err);
}

void mql_timeline_run_release(mql_timeline_run *r)
{
	if (!r->fp)
		return; /* in memory: the buffer is the sorter's chunk */
	free(r->buffer);
	free(r->bytes);
	r->fp = NULL;
}
