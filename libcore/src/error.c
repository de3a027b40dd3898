/* error.c - result codes and error records (see error.h). */
#include <mqlcal/error.h>

#include <stdio.h>
#include <string.h>

const char *mql_strerror(int status)
{
	switch (status) {
	case MQL_OK: return "ok";
	case MQL_ERR_NOMEM: return "out of memory";
	case MQL_ERR_IO: return "input/output error";
	case MQL_ERR_INPUT: return "bad input data";
	case MQL_ERR_NOFILE: return "cannot open input file";
	case MQL_ERR_USAGE: return "invalid usage";
	case MQL_ERR_INTERNAL: return "internal error";
	default: return "unknown error";
	}
}

void mql_error_clear(mql_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

int mql_error_vset(mql_error *err, int status, const char *file, long line,
		   long column, const char *fmt, va_list ap)
{
	if (!err)
		return status;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->column = column;
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	return status;
}

int mql_error_set(mql_error *err, int status, const char *file, long line,
		  long column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mql_error_vset(err, status, file, line, column, fmt, ap);
	va_end(ap);
	return status;
}

char *mql_error_format(const mql_error *err, char *buf, size_t n)
{
	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	if (!err)
		return buf;
	if (err->file[0] && err->line > 0 && err->column > 0)
		snprintf(buf, n, "%s:%ld:%ld: %s", err->file, err->line,
			 err->column, err->message);
	else if (err->file[0] && err->line > 0)
		snprintf(buf, n, "%s:%ld: %s", err->file, err->line,
			 err->message);
	else if (err->file[0])
		snprintf(buf, n, "%s: %s", err->file, err->message);
	else
		snprintf(buf, n, "%s", err->message);
	return buf;
}
