/*
 * outfile.c - outputs written to a temporary file and renamed into place
 * when the target is a regular file, written directly when it is a FIFO, a
 * device or a socket (see outfile.h).
 */
#include <mqlcal/outfile.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Symbolic links followed before giving up, as the kernel's ELOOP does. */
#define MAX_LINKS 40

/*
 * The temporary files currently open, for mql_outfile_remove_temporaries.
 * A slot holds a temporary's name from just before mkstemp creates the file
 * until it has been renamed or removed; lock-free atomics, so a signal
 * handler may read the slots at any moment.
 */
#define TEMP_SLOTS 32
static _Atomic(char *) temp_slots[TEMP_SLOTS];

/* Puts name in a free slot.  When every slot is taken the temporary is
 * simply not removed on a signal: it cannot fail. */
static void register_temp(char *name)
{
	for (int i = 0; i < TEMP_SLOTS; i++) {
		char *expected = NULL;
		if (atomic_compare_exchange_strong(&temp_slots[i], &expected,
						   name))
			return;
	}
}

static void unregister_temp(const char *name)
{
	for (int i = 0; i < TEMP_SLOTS; i++) {
		char *expected = (char *)name;
		if (atomic_compare_exchange_strong(&temp_slots[i], &expected,
						   NULL))
			return;
	}
}

void mql_outfile_remove_temporaries(void)
{
	for (int i = 0; i < TEMP_SLOTS; i++) {
		char *name = atomic_load(&temp_slots[i]);
		if (name)
			(void)unlink(name);
	}
}

/* Length of the directory part of path, with its slash ("a/b" -> 2). */
static size_t dir_length(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) + 1 : 0;
}

/*
 * "dir/.name.XXXXXX" for target "dir/name": a hidden sibling, so the rename
 * stays on one file system and is atomic.
 */
static char *temp_template(const char *path)
{
	size_t dir_len = dir_length(path);
	const char *base = path + dir_len;
	size_t size = dir_len + 1 + strlen(base) + sizeof ".XXXXXX";
	char *temp = malloc(size);
	if (!temp)
		return NULL;
	snprintf(temp, size, "%.*s.%s.XXXXXX", (int)dir_len, path, base);
	return temp;
}

/* What the symbolic link named link points to, as a name usable from here
 * (a relative target is taken from the link's directory).  Returns a
 * string the caller frees, or NULL with errno set. */
static char *link_target(const char *link)
{
	char target[PATH_MAX];
	ssize_t got = readlink(link, target, sizeof target);
	size_t len, dir_len, size;
	char *name;
	if (got < 0)
		return NULL;
	len = (size_t)got;
	if (len == sizeof target) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	target[len] = '\0';
	dir_len = target[0] == '/' ? 0 : dir_length(link);
	size = dir_len + len + 1;
	name = malloc(size);
	if (name)
		snprintf(name, size, "%.*s%s", (int)dir_len, link, target);
	return name;
}

/*
 * Follows path's chain of symbolic links to the name at its end (path
 * itself when it is not a link), which may not exist yet.  Sets *out to
 * that name (the caller frees it) and *st to its lstat, with st_mode 0
 * when it does not exist.  Returns 0, or -1 with errno set.
 */
static int follow_links(const char *path, char **out, struct stat *st)
{
	char *name = strdup(path);
	for (int hops = 0; name; hops++) {
		char *next;
		if (lstat(name, st) != 0) {
			if (errno != ENOENT)
				break;
			st->st_mode = 0;
			*out = name;
			return 0;
		}
		if (!S_ISLNK(st->st_mode)) {
			*out = name;
			return 0;
		}
		if (hops == MAX_LINKS) {
			errno = ELOOP;
			break;
		}
		next = link_target(name);
		free(name);
		name = next;
	}
	free(name);
	return -1;
}

/* Frees the names and forgets the stream. */
static void clear(mql_outfile *o)
{
	free(o->path);
	free(o->target);
	free(o->temp_path);
	o->path = NULL;
	o->target = NULL;
	o->temp_path = NULL;
	o->fp = NULL;
}

/* Fails the open of o with "cannot write 'path': reason" (or out of
 * memory) and clears o. */
static int open_failed(mql_outfile *o, const char *path, int saved,
		       mql_error *err)
{
	int status = saved == ENOMEM ? MQL_ERR_NOMEM : MQL_ERR_IO;
	if (status == MQL_ERR_NOMEM)
		mql_error_set(err, status, path, 0, 0, "out of memory");
	else
		mql_error_set(err, status, path, 0, 0, "cannot write '%s': %s",
			      path, strerror(saved));
	clear(o); /* path may be o->path */
	return status;
}

/* A connection to the stream socket at path, or -1 with errno set. */
static int connect_socket(const char *path)
{
	struct sockaddr_un address;
	size_t len = strlen(path);
	int fd, saved;
	if (len >= sizeof address.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&address, 0, sizeof address);
	address.sun_family = AF_UNIX;
	memcpy(address.sun_path, path, len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&address, sizeof address) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* A FIFO, a device or a socket: opened for writing as it is. */
static int open_direct(mql_outfile *o, const struct stat *st, mql_error *err)
{
	int fd = S_ISSOCK(st->st_mode)
			 ? connect_socket(o->path)
			 : open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	int saved;
	if (fd < 0)
		return open_failed(o, o->path, errno, err);
	o->fp = fdopen(fd, "w");
	if (o->fp)
		return MQL_OK;
	saved = errno;
	close(fd);
	return open_failed(o, o->path, saved, err);
}

/* The mode of a new output: the old file's, or the usual 0666 & ~umask
 * (mkstemp creates files 0600). */
static mode_t output_mode(const struct stat *old)
{
	mode_t mask;
	if (S_ISREG(old->st_mode))
		return old->st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* A regular file or a new one: a registered temporary beside o->target. */
static int open_temporary(mql_outfile *o, const struct stat *old,
			  mql_error *err)
{
	int fd, saved;
	o->temp_path = temp_template(o->target);
	if (!o->temp_path)
		return open_failed(o, o->path, ENOMEM, err);
	register_temp(o->temp_path);
	fd = mkstemp(o->temp_path);
	if (fd < 0) {
		saved = errno;
		unregister_temp(o->temp_path);
		return open_failed(o, o->path, saved, err);
	}
	(void)fchmod(fd, output_mode(old));
	o->fp = fdopen(fd, "w");
	if (o->fp)
		return MQL_OK;
	saved = errno;
	close(fd);
	unlink(o->temp_path);
	unregister_temp(o->temp_path);
	return open_failed(o, o->path, saved, err);
}

int mql_outfile_open(mql_outfile *o, const char *path, mql_error *err)
{
	struct stat st;
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0 ||
	    strcmp(path, "/dev/stdout") == 0) {
		o->fp = stdout;
		return MQL_OK;
	}
	if (path[0] == '\0' || path[strlen(path) - 1] == '/')
		return mql_error_set(err, MQL_ERR_IO, path, 0, 0,
				     "cannot write '%s': not a file name",
				     path);
	o->path = strdup(path);
	if (!o->path)
		return open_failed(o, path, ENOMEM, err);
	/* Followed by the kernel first: /proc/self/fd/N names no file. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return open_failed(o, path, EISDIR, err);
		return open_direct(o, &st, err);
	}
	if (follow_links(path, &o->target, &st) != 0)
		return open_failed(o, path, errno, err);
	if (st.st_mode != 0 && !S_ISREG(st.st_mode))
		return open_failed(o, path, EEXIST,
				   err); /* changed meanwhile */
	return open_temporary(o, &st, err);
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

/* Flushes, checks and (for a temporary) syncs o->fp, then closes it.
 * Returns 0 or an errno value. */
static int finish_stream(mql_outfile *o)
{
	int saved = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp))
		saved = errno ? errno : EIO;
	else if (o->temp_path && fsync(fileno(o->fp)) != 0)
		saved = errno;
	if (fclose(o->fp) != 0 && !saved)
		saved = errno;
	o->fp = NULL;
	return saved;
}

/* Syncs the directory holding path, so that a rename into it survives a
 * power cut.  Returns 0 or an errno value; a file system that cannot sync
 * directories (EINVAL) is not an error. */
static int sync_directory(const char *path)
{
	size_t dir_len = dir_length(path);
	char dir[PATH_MAX];
	int fd, saved = 0;
	if (dir_len >= sizeof dir)
		return ENAMETOOLONG;
	if (dir_len == 0)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)dir_len, path);
	fd = open(dir, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES ? 0 : errno;
	if (fsync(fd) != 0 && errno != EINVAL)
		saved = errno;
	close(fd);
	return saved;
}

/* The target, if it exists now, must still be a regular file. */
static int target_still_regular(const char *target)
{
	struct stat st;
	if (lstat(target, &st) != 0)
		return errno == ENOENT ? 0 : errno;
	return S_ISREG(st.st_mode) ? 0 : EEXIST;
}

/* Puts the synced temporary in place.  Returns 0 or an errno value. */
static int rename_into_place(mql_outfile *o)
{
	int saved = target_still_regular(o->target);
	if (!saved && rename(o->temp_path, o->target) != 0)
		saved = errno;
	if (saved) {
		unlink(o->temp_path);
		unregister_temp(o->temp_path);
		return saved;
	}
	unregister_temp(o->temp_path);
	return sync_directory(o->target);
}

int mql_outfile_commit(mql_outfile *o, mql_error *err)
{
	int saved;
	if (!o->fp)
		return mql_error_set(err, MQL_ERR_INTERNAL, NULL, 0, 0,
				     "output committed twice or never opened");
	if (!o->path)
		return commit_stdout(o, err);
	saved = finish_stream(o);
	if (o->temp_path) {
		if (saved) {
			unlink(o->temp_path);
			unregister_temp(o->temp_path);
		} else {
			saved = rename_into_place(o);
		}
	}
	if (saved)
		mql_error_set(err, MQL_ERR_IO, o->path, 0, 0,
			      "cannot write '%s': %s", o->path,
			      strerror(saved));
	clear(o);
	return saved ? MQL_ERR_IO : MQL_OK;
}

void mql_outfile_abort(mql_outfile *o)
{
	if (!o)
		return;
	if (o->path) {
		if (o->fp)
			fclose(o->fp);
		if (o->temp_path) {
			unlink(o->temp_path);
			unregister_temp(o->temp_path);
		}
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

int mql_outfile_check_inputs(const char *output, const char *const *inputs,
			     size_t count, mql_error *err)
{
	struct stat out_st, in_st;
	if (!output || strcmp(output, "-") == 0 || stat(output, &out_st) != 0)
		return MQL_OK;
	for (size_t i = 0; i < count; i++) {
		if (!inputs[i] || strcmp(inputs[i], "-") == 0 ||
		    stat(inputs[i], &in_st) != 0)
			continue;
		if (in_st.st_dev == out_st.st_dev &&
		    in_st.st_ino == out_st.st_ino)
			return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
					     "refusing to write '%s': it is "
					     "an input of this run",
					     output);
	}
	return MQL_OK;
}

int mql_outfile_check_distinct(const char *first, const char *second,
			       mql_error *err)
{
	struct stat a, b;
	if (!first || !second || strcmp(first, "-") == 0 ||
	    strcmp(second, "-") == 0)
		return MQL_OK;
	int same = strcmp(first, second) == 0 ||
		   (stat(first, &a) == 0 && stat(second, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	if (!same)
		return MQL_OK;
	return mql_error_set(err, MQL_ERR_USAGE, NULL, 0, 0,
			     "refusing to write '%s': another output of this "
			     "run writes the same file",
			     second);
}
