/*
 * test_outfile.c - outputs are renamed into place on commit, and an aborted
 * output leaves nothing behind and an existing file untouched; symbolic
 * links stay links, and FIFOs, devices and sockets are written directly.
 */
#define _XOPEN_SOURCE 700 /* mknod */

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <mqlcal/outfile.h>

/* A fresh empty directory under /tmp; the caller removes it. */
static void make_dir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/mql-outfile-XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
}

static size_t entries_in(const char *dir)
{
	size_t count = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			count++;
	closedir(d);
	return count;
}

static void read_all(const char *path, char *buf, size_t n)
{
	FILE *fp = fopen(path, "r");
	size_t got = 0;
	buf[0] = '\0';
	if (!fp)
		return;
	got = fread(buf, 1, n - 1, fp);
	buf[got] = '\0';
	fclose(fp);
}

static void commit_renames_into_place(void)
{
	char dir[64], path[128], buf[64];
	mql_outfile out;
	mql_error err;
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/report.csv", dir);
	CU_ASSERT_EQUAL_FATAL(mql_outfile_open(&out, path, &err), MQL_OK);
	fputs("a,b\r\n", out.fp);
	CU_ASSERT_EQUAL(access(path, F_OK), -1); /* not there yet */
	CU_ASSERT_EQUAL(entries_in(dir), 1);	 /* only the temporary */
	CU_ASSERT_EQUAL(mql_outfile_commit(&out, &err), MQL_OK);
	read_all(path, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "a,b\r\n");
	CU_ASSERT_EQUAL(entries_in(dir), 1);
	mql_outfile_abort(&out); /* safe after commit */
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	unlink(path);
	rmdir(dir);
}

static void abort_leaves_nothing(void)
{
	char dir[64], path[128];
	mql_outfile out;
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/model.json", dir);
	CU_ASSERT_EQUAL_FATAL(mql_outfile_open(&out, path, NULL), MQL_OK);
	fputs("{\"half\":", out.fp);
	mql_outfile_abort(&out);
	CU_ASSERT_EQUAL(entries_in(dir), 0);
	rmdir(dir);
}

static void abort_keeps_existing_file(void)
{
	char dir[64], path[128], buf[64];
	mql_outfile out;
	FILE *fp;
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/rules.json", dir);
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("old", fp);
	fclose(fp);
	CU_ASSERT_EQUAL_FATAL(mql_outfile_open(&out, path, NULL), MQL_OK);
	fputs("new but broken", out.fp);
	mql_outfile_abort(&out);
	read_all(path, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "old");
	CU_ASSERT_EQUAL(entries_in(dir), 1);
	unlink(path);
	rmdir(dir);
}

static void missing_directory_is_io_error(void)
{
	mql_outfile out;
	mql_error err;
	CU_ASSERT_EQUAL(mql_outfile_open(&out, "/nonexistent-dir/x.csv", &err),
			MQL_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "/nonexistent-dir/x.csv"));
	CU_ASSERT_PTR_NULL(out.fp);
	mql_outfile_abort(&out);
}

static void dash_is_stdout(void)
{
	mql_outfile out;
	CU_ASSERT_EQUAL(mql_outfile_open(&out, "-", NULL), MQL_OK);
	CU_ASSERT_PTR_EQUAL(out.fp, stdout);
	CU_ASSERT_PTR_NULL(out.temp_path);
	CU_ASSERT_EQUAL(mql_outfile_commit(&out, NULL), MQL_OK);
	CU_ASSERT_EQUAL(mql_outfile_open(&out, NULL, NULL), MQL_OK);
	CU_ASSERT_PTR_EQUAL(out.fp, stdout);
	mql_outfile_abort(&out);
}

static void zeroed_struct_aborts_safely(void)
{
	mql_outfile out = {0};
	mql_outfile_abort(&out);
	mql_outfile_abort(NULL);
	CU_PASS("no crash");
}

/* Writes context (a string) and then returns MQL_ERR_INPUT when it ends in
 * "!", as a writer that meets bad input halfway would. */
static int write_text(FILE *fp, const void *context, mql_error *err)
{
	const char *text = context;
	fputs(text, fp);
	if (text[0] && text[strlen(text) - 1] == '!')
		return mql_error_set(err, MQL_ERR_INPUT, NULL, 0, 0,
				     "bad input");
	return MQL_OK;
}

static int writer_calls;

static int count_calls(FILE *fp, const void *context, mql_error *err)
{
	(void)fp;
	(void)context;
	(void)err;
	writer_calls++;
	return MQL_OK;
}

static void write_commits_or_keeps_the_old_file(void)
{
	char dir[64], path[128], buf[64];
	mql_error err;
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/cost.csv", dir);
	CU_ASSERT_EQUAL(mql_outfile_write(path, write_text, "first", &err),
			MQL_OK);
	read_all(path, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "first");
	CU_ASSERT_EQUAL(mql_outfile_write(path, write_text, "second!", &err),
			MQL_ERR_INPUT);
	CU_ASSERT_STRING_EQUAL(err.message, "bad input");
	read_all(path, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "first");
	CU_ASSERT_EQUAL(entries_in(dir), 1); /* no temporary left behind */
	writer_calls = 0;
	CU_ASSERT_EQUAL(mql_outfile_write("/nonexistent-dir/x.csv", count_calls,
					  NULL, &err),
			MQL_ERR_IO);
	CU_ASSERT_EQUAL(writer_calls, 0);
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs(text, fp);
	fclose(fp);
}

static int is_link(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static void relative_name_written_here(void)
{
	char dir[64], buf[64];
	int here = open(".", O_RDONLY);
	CU_ASSERT_FATAL(here >= 0);
	make_dir(dir, sizeof dir);
	CU_ASSERT_EQUAL_FATAL(chdir(dir), 0);
	CU_ASSERT_EQUAL(mql_outfile_write("rel.csv", write_text, "here", NULL),
			MQL_OK);
	read_all("rel.csv", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "here");
	CU_ASSERT_EQUAL(entries_in("."), 1);
	unlink("rel.csv");
	CU_ASSERT_EQUAL(fchdir(here), 0);
	close(here);
	rmdir(dir);
}

static void symlink_target_replaced_links_kept(void)
{
	char dir[64], real[128], link1[128], link2[128], buf[64];
	make_dir(dir, sizeof dir);
	snprintf(real, sizeof real, "%s/real.csv", dir);
	snprintf(link1, sizeof link1, "%s/link1", dir);
	snprintf(link2, sizeof link2, "%s/link2", dir);
	write_file(real, "old");
	CU_ASSERT_EQUAL_FATAL(symlink("real.csv", link1), 0); /* relative */
	CU_ASSERT_EQUAL_FATAL(symlink(link1, link2), 0);      /* absolute */
	CU_ASSERT_EQUAL(mql_outfile_write(link2, write_text, "new", NULL),
			MQL_OK);
	CU_ASSERT(is_link(link1));
	CU_ASSERT(is_link(link2));
	read_all(real, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "new");
	CU_ASSERT_EQUAL(entries_in(dir), 3); /* no temporary left */
	unlink(link2);
	unlink(link1);
	unlink(real);
	rmdir(dir);
}

static void dangling_symlink_creates(void)
{
	char dir[64], real[128], link[128], buf[64];
	make_dir(dir, sizeof dir);
	snprintf(real, sizeof real, "%s/new.csv", dir);
	snprintf(link, sizeof link, "%s/link", dir);
	CU_ASSERT_EQUAL_FATAL(symlink("new.csv", link), 0);
	CU_ASSERT_EQUAL(mql_outfile_write(link, write_text, "made", NULL),
			MQL_OK);
	CU_ASSERT(is_link(link));
	read_all(real, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "made");
	CU_ASSERT_EQUAL(entries_in(dir), 2);
	unlink(link);
	unlink(real);
	rmdir(dir);
}

/* Opens path (a node that must not be replaced) as an output and commits
 * only when it is written directly: a regression that chose a temporary
 * and a rename aborts instead, so the node survives even then. */
static int write_node(const char *path, const char *text)
{
	mql_outfile out;
	int status = mql_outfile_open(&out, path, NULL);
	if (status != MQL_OK)
		return status;
	CU_ASSERT_PTR_NULL(out.temp_path);
	if (out.temp_path) {
		mql_outfile_abort(&out);
		return MQL_ERR_INTERNAL;
	}
	fputs(text, out.fp);
	return mql_outfile_commit(&out, NULL);
}

static void fifo_written_directly(void)
{
	char dir[64], fifo[128], buf[64] = {0};
	struct stat st;
	int reader;
	make_dir(dir, sizeof dir);
	snprintf(fifo, sizeof fifo, "%s/pipe", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(fifo, 0600), 0);
	reader = open(fifo, O_RDONLY | O_NONBLOCK);
	CU_ASSERT_FATAL(reader >= 0);
	CU_ASSERT_EQUAL(write_node(fifo, "through"), MQL_OK);
	CU_ASSERT_EQUAL(read(reader, buf, sizeof buf - 1), 7);
	CU_ASSERT_STRING_EQUAL(buf, "through");
	CU_ASSERT(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	CU_ASSERT_EQUAL(entries_in(dir), 1);
	close(reader);
	unlink(fifo);
	rmdir(dir);
}

/* A node like /dev/null (1, 3) made in a temporary directory; without the
 * privilege to make one, the test cannot replace /dev/null either. */
static void character_device_written_directly(void)
{
	char dir[64], node[128];
	struct stat st;
	make_dir(dir, sizeof dir);
	snprintf(node, sizeof node, "%s/null", dir);
	if (mknod(node, S_IFCHR | 0666, makedev(1, 3)) != 0) {
		CU_ASSERT_EQUAL(errno, EPERM);
		rmdir(dir);
		return;
	}
	CU_ASSERT_EQUAL(write_node(node, "gone"), MQL_OK);
	CU_ASSERT(lstat(node, &st) == 0 && S_ISCHR(st.st_mode));
	CU_ASSERT_EQUAL(st.st_rdev, makedev(1, 3));
	CU_ASSERT_EQUAL(entries_in(dir), 1);
	unlink(node);
	rmdir(dir);
}

static void dev_null_written_directly(void)
{
	struct stat before, after;
	CU_ASSERT_EQUAL_FATAL(stat("/dev/null", &before), 0);
	CU_ASSERT_EQUAL(write_node("/dev/null", "gone"), MQL_OK);
	CU_ASSERT_EQUAL_FATAL(lstat("/dev/null", &after), 0);
	CU_ASSERT(S_ISCHR(after.st_mode));
	CU_ASSERT_EQUAL(after.st_ino, before.st_ino);
}

static void socket_written_directly(void)
{
	char dir[64], buf[64] = {0};
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	struct stat st;
	int listener, peer;
	make_dir(dir, sizeof dir);
	snprintf(address.sun_path, sizeof address.sun_path, "%s/socket", dir);
	listener = socket(AF_UNIX, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(listener >= 0);
	CU_ASSERT_EQUAL_FATAL(
		bind(listener, (struct sockaddr *)&address, sizeof address), 0);
	CU_ASSERT_EQUAL_FATAL(listen(listener, 1), 0);
	/* no connection must fail the test, not hang it */
	CU_ASSERT_EQUAL_FATAL(fcntl(listener, F_SETFL, O_NONBLOCK), 0);
	CU_ASSERT_EQUAL(write_node(address.sun_path, "socket"), MQL_OK);
	peer = accept(listener, NULL, NULL);
	CU_ASSERT_FATAL(peer >= 0);
	CU_ASSERT_EQUAL(read(peer, buf, sizeof buf - 1), 6);
	CU_ASSERT_STRING_EQUAL(buf, "socket");
	CU_ASSERT(lstat(address.sun_path, &st) == 0 && S_ISSOCK(st.st_mode));
	CU_ASSERT_EQUAL(entries_in(dir), 1);
	close(peer);
	close(listener);
	unlink(address.sun_path);
	rmdir(dir);
}

static void directory_is_io_error(void)
{
	char dir[64];
	mql_outfile out;
	mql_error err;
	make_dir(dir, sizeof dir);
	CU_ASSERT_EQUAL(mql_outfile_open(&out, dir, &err), MQL_ERR_IO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "Is a directory"));
	CU_ASSERT_EQUAL(entries_in(dir), 0);
	rmdir(dir);
}

static void replaced_file_keeps_mode(void)
{
	char dir[64], path[128];
	struct stat st;
	make_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/scores.csv", dir);
	write_file(path, "old");
	CU_ASSERT_EQUAL_FATAL(chmod(path, 0640), 0);
	CU_ASSERT_EQUAL(mql_outfile_write(path, write_text, "new", NULL),
			MQL_OK);
	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	unlink(path);
	rmdir(dir);
}

static void input_is_refused(void)
{
	char dir[64], input[128], hard[128], soft[128], other[128];
	char missing[128];
	mql_error err;
	make_dir(dir, sizeof dir);
	snprintf(input, sizeof input, "%s/contacts.csv", dir);
	snprintf(hard, sizeof hard, "%s/hard.csv", dir);
	snprintf(soft, sizeof soft, "%s/soft.csv", dir);
	snprintf(other, sizeof other, "%s/other.csv", dir);
	snprintf(missing, sizeof missing, "%s/missing.csv", dir);
	write_file(input, "contact_id\n");
	write_file(other, "contact_id\n"); /* same bytes, another file */
	CU_ASSERT_EQUAL_FATAL(link(input, hard), 0);
	CU_ASSERT_EQUAL_FATAL(symlink("contacts.csv", soft), 0);
	const char *inputs[] = {other, NULL, "-", input};
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(soft, inputs, 4, &err),
			MQL_ERR_USAGE);
	char expected[256];
	snprintf(expected, sizeof expected,
		 "refusing to write '%s': it is an input of this run", soft);
	CU_ASSERT_STRING_EQUAL(err.message, expected);
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(hard, inputs, 4, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(input, inputs, 4, &err),
			MQL_ERR_USAGE);
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(input, inputs, 3, &err),
			MQL_OK); /* only other.csv, a NULL and stdin */
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(missing, inputs, 4, &err),
			MQL_OK);
	CU_ASSERT_EQUAL(mql_outfile_check_inputs("-", inputs, 4, &err), MQL_OK);
	CU_ASSERT_EQUAL(mql_outfile_check_inputs(NULL, inputs, 4, &err),
			MQL_OK);
	unlink(soft);
	unlink(hard);
	unlink(other);
	unlink(input);
	rmdir(dir);
}

static void temporaries_removed(void)
{
	char dir[64], first[128], second[128];
	mql_outfile a, b;
	make_dir(dir, sizeof dir);
	snprintf(first, sizeof first, "%s/contacts.csv", dir);
	snprintf(second, sizeof second, "%s/events.csv", dir);
	CU_ASSERT_EQUAL_FATAL(mql_outfile_open(&a, first, NULL), MQL_OK);
	CU_ASSERT_EQUAL_FATAL(mql_outfile_open(&b, second, NULL), MQL_OK);
	fputs("x", a.fp);
	CU_ASSERT_EQUAL(mql_outfile_commit(&a, NULL), MQL_OK);
	CU_ASSERT_EQUAL(entries_in(dir), 2); /* contacts.csv, a temporary */
	mql_outfile_remove_temporaries();
	CU_ASSERT_EQUAL(entries_in(dir), 1); /* the committed file stays */
	CU_ASSERT_EQUAL(access(first, F_OK), 0);
	mql_outfile_abort(&b);
	unlink(first);
	rmdir(dir);
}

CU_TestInfo test_outfile[] = {
	{"write commits or keeps the old file",
	 write_commits_or_keeps_the_old_file},
	{"commit renames into place", commit_renames_into_place},
	{"abort leaves nothing", abort_leaves_nothing},
	{"abort keeps an existing file", abort_keeps_existing_file},
	{"missing directory is an I/O error", missing_directory_is_io_error},
	{"dash is stdout", dash_is_stdout},
	{"zeroed struct aborts safely", zeroed_struct_aborts_safely},
	{"a relative name is written here", relative_name_written_here},
	{"a symlink chain's target is replaced, the links kept",
	 symlink_target_replaced_links_kept},
	{"a dangling symlink's target is created", dangling_symlink_creates},
	{"a FIFO is written, not replaced", fifo_written_directly},
	{"a character device is written, not replaced",
	 character_device_written_directly},
	{"/dev/null stays a device", dev_null_written_directly},
	{"a socket is written, not replaced", socket_written_directly},
	{"a directory is an I/O error", directory_is_io_error},
	{"a replaced file keeps its mode", replaced_file_keeps_mode},
	{"the same file as an input is refused", input_is_refused},
	{"temporaries are removed on request", temporaries_removed},
	CU_TEST_INFO_NULL,
};
