/*
 * test_outfile.c - outputs are renamed into place on commit, and an aborted
 * output leaves nothing behind and an existing file untouched.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

CU_TestInfo test_outfile[] = {
	{"write commits or keeps the old file",
	 write_commits_or_keeps_the_old_file},
	{"commit renames into place", commit_renames_into_place},
	{"abort leaves nothing", abort_leaves_nothing},
	{"abort keeps an existing file", abort_keeps_existing_file},
	{"missing directory is an I/O error", missing_directory_is_io_error},
	{"dash is stdout", dash_is_stdout},
	{"zeroed struct aborts safely", zeroed_struct_aborts_safely},
	CU_TEST_INFO_NULL,
};
