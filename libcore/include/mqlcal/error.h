/*
 * error.h - result codes and the one error record every module fills.
 *
 * A libcore function that can fail returns int: MQL_OK (0) or one of the
 * negative codes below.  When input is at fault it also fills an mql_error
 * with the file, line and column of the fault and a message that says what
 * was expected.  The library never prints, exits or aborts: tools decide
 * what to print and which exit code to use (see cli.h).
 *
 * An mql_error is a plain value with fixed-size buffers; it owns no memory
 * and needs no release.  Every function taking an mql_error * accepts NULL.
 */
#ifndef MQLCAL_ERROR_H
#define MQLCAL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* Result codes.  Tools map them to exit codes with mql_cli_exit_code(). */
enum mql_status {
	MQL_OK = 0,
	MQL_ERR_NOMEM = -1,    /* allocation failed */
	MQL_ERR_IO = -2,       /* read or write failed (exit 74) */
	MQL_ERR_INPUT = -3,    /* bad input data (exit 65) */
	MQL_ERR_NOFILE = -4,   /* input file missing or unreadable (exit 66) */
	MQL_ERR_USAGE = -5,    /* caller asked for something invalid (exit 2) */
	MQL_ERR_INTERNAL = -6, /* a bug or a numerical failure (exit 70) */
};

/* Where and what.  line and column are 1-based; 0 means "not known". */
typedef struct mql_error {
	char file[256];
	long line;
	long column;
	char message[768];
} mql_error;

/* Describes a status code in a few words ("bad input data"). Never NULL. */
const char *mql_strerror(int status);

/* Clears err (no file, no position, empty message).  err may be NULL. */
void mql_error_clear(mql_error *err);

/*
 * Fills err with a position and a printf-style message and returns status,
 * so callers can write `return mql_error_set(err, MQL_ERR_INPUT, ...)`.
 * file may be NULL.  err may be NULL (then only status is returned).
 */
int mql_error_set(mql_error *err, int status, const char *file, long line,
		  long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The same with a va_list. */
int mql_error_vset(mql_error *err, int status, const char *file, long line,
		   long column, const char *fmt, va_list ap);

/*
 * Formats err as "file:line:column: message" (omitting what is unknown)
 * into buf of size n.  Returns buf.
 */
char *mql_error_format(const mql_error *err, char *buf, size_t n);

#endif
