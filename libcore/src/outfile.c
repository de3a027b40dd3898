/*
 * outfile.c - outputs written to a temporary file and renamed into place
 * (see outfile.h).
 */
#include <mqlcal/outfile.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * "dir/.name.XXXXXX" for target "dir/name": a hidden sibling, so the rename
 * stays on one file system and is atomic.
 */
static char *temp_template(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = path + dir_len;
	size_t size = dir_len + 1 + strlen(base) + sizeof ".XXXXXX";
	char *temp = malloc(size);
	if (!temp)
		return NULL;
	snprintf(temp, size, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
	return temp;
}

/* mkstemp creates files 0600; give the output the usual 0666 & ~umask. */
static void set_default_mode(int fd)
{
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

/* Frees the names and forgets the stream. */
static void clear(mql_outfile *o)
{
	free(o->path);
	free(o->temp_path);
	o->path = NULL;
	o->temp_path = NULL;
	o->fp = NULL;
}

int mql_outfile_open(mql_outfile *o, const char *path, mql_error *err)
{
	int fd;
	o->fp = NULL;
	o->path = NULL;
	o->temp_path = NULL;
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return MQL_OK;
	}
	if (path[0] == '\0' || path[strlen(path) - 1] == '/')
		return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
				     "cannot write '%s': not a file name",
				     path);
	o->path = strdup(path);
	o->temp_path = temp_template(path);
	if (!o->path || !o->temp_path) {
		clear(o);
		return mql_error_set(err, MQL_ERR_NOMEM, path, 0, 0,
				     "out of memory");
	}
	fd = mkstemp(o->temp_path);
	if (fd < 0) {
		int saved = errno;
		clear(o);
		return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
				     "cannot write '%s': %s", path,
				     strerror(saved));
	}
	set_default_mode(fd);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		int saved = errno;
		close(fd);
		unlink(o->temp_path);
		clear(o);
		return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
				     "cannot write '%s': %s", path,
				     strerror(saved));
	}
	return MQL_OK;
}

/* Standard output: flush and check; it is never closed here. */
static int commit_stdout(mql_outfile *o, mql_error *err)
{
	int failed = fflush(o->fp) != 0 || ferror(o->fp);
	o->fp = NULL;
	if (failed)
		return mql_error_set(err, MQL_ERR_IO, "<stdout>", 0, 0,
				     "cannot write to standard output: %s",
				     strerror(errno));
	return MQL_OK;
}

int mql_outfile_commit(mql_outfile *o, mql_error *err)
{
	int write_failed, close_failed, saved;
	if (!o->fp)
		return mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
				     "output committed twice or never opened");
	if (!o->temp_path)
		return commit_stdout(o, err);
	write_failed = fflush(o->fp) != 0 || ferror(o->fp);
	saved = errno;
	close_failed = fclose(o->fp) != 0;
	if (!write_failed && close_failed)
		saved = errno;
	o->fp = NULL;
	if (!write_failed && !close_failed &&
	    rename(o->temp_path, o->path) == 0) {
		clear(o);
		return MQL_OK;
	}
	if (!write_failed && !close_failed)
		saved = errno;
	unlink(o->temp_path);
	mql_error_set(err, MQL_ERR_IO, o->path, 0, 0, "cannot write '%s': %s",
		      o->path, strerror(saved));
	clear(o);
	return MQL_ERR_IO;
}

void mql_outfile_abort(mql_outfile *o)
{
	if (!o)
		return;
	if (o->temp_path) {
		if (o->fp)
			fclose(o->fp);
		unlink(o->temp_path);
	} else if (o->fp) {
		fflush(o->fp);
	}
	clear(o);
}

int mql_outfile_write(const char *path, mql_outfile_writer writer,
		      const void *context, mql_error *err)
{
	mql_outfile out = {0};
	int status = mql_outfile_open(&out, path, err);
	if (status == MQL_OK)
		status = writer(out.fp, context, err);
	if (status == MQL_OK)
		status = mql_outfile_commit(&out, err);
	mql_outfile_abort(&out);
	return status;
}
