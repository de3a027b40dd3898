/*
 * test_file_read.c - whole-file reads: a missing file, an empty one, NUL
 * bytes, a directory, the size bound and a file larger than the first
 * buffer.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mqlcal/error.h>

#include "../libcore/src/file_read.h"
#include "temp_file.h"

static void missing_file_says_why(void)
{
	char sentinel = 'x';
	char *text = &sentinel; /* to see it set to NULL */
	size_t len = 1;
	errno = 0;
	CU_ASSERT_EQUAL(mql_file_read_whole(&text, &len,
					    "/nonexistent/mqlcal/none.json",
					    SIZE_MAX),
			MQL_ERR_NOFILE);
	CU_ASSERT_EQUAL(errno, ENOENT);
	CU_ASSERT_PTR_NULL(text);
	CU_ASSERT_EQUAL(len, 0);
}

/* A directory opens but cannot be read: the read's errno, EISDIR. */
static void directory_is_a_read_error(void)
{
	const char *dir = getenv("TMPDIR");
	char *text = NULL;
	size_t len = 0;
	errno = 0;
	CU_ASSERT_EQUAL(
		mql_file_read_whole(&text, &len, dir ? dir : "/tmp", SIZE_MAX),
		MQL_ERR_IO);
	CU_ASSERT_EQUAL(errno, EISDIR);
	CU_ASSERT_PTR_NULL(text);
}

/* Reads len bytes written to a temporary file back; returns the text. */
static char *round_trip(const char *bytes, size_t len, size_t *got_len)
{
	char path[512];
	temp_file_write(path, sizeof path, "mql-file-read", bytes, len);
	char *text = NULL;
	CU_ASSERT_EQUAL(mql_file_read_whole(&text, got_len, path, SIZE_MAX),
			MQL_OK);
	unlink(path);
	return text;
}

static void empty_file_is_an_empty_string(void)
{
	size_t len = 1;
	char *text = round_trip("", 0, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_EQUAL(text[0], '\0');
	free(text);
}

/* "ab\0cd": five bytes, the NUL among them, and one more NUL after. */
static void nul_bytes_are_counted(void)
{
	size_t len = 0;
	char *text = round_trip("ab\0cd", 5, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_EQUAL(memcmp(text, "ab\0cd", 6), 0);
	free(text);
}

/*
 * 1 MiB + 123 bytes (i mod 251 for byte i, so no run repeats at a power of
 * two): sixteen times the first buffer, read back byte for byte.
 */
static void large_file_comes_back_whole(void)
{
	size_t size = ((size_t)1 << 20) + 123;
	char *bytes = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
	for (size_t i = 0; i < size; i++)
		bytes[i] = (char)(i % 251);
	size_t len = 0;
	char *text = round_trip(bytes, size, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(len, size);
	CU_ASSERT_EQUAL(memcmp(text, bytes, size), 0);
	CU_ASSERT_EQUAL(text[size], '\0');
	free(text);
	free(bytes);
}

/* 100 bytes: refused with a bound of 99, read with a bound of 100. */
static void size_bound_is_inclusive(void)
{
	char bytes[100];
	memset(bytes, 'x', sizeof bytes);
	char path[512];
	temp_file_write(path, sizeof path, "mql-file-read", bytes,
			sizeof bytes);
	char *text = NULL;
	size_t len = 0;
	CU_ASSERT_EQUAL(mql_file_read_whole(&text, &len, path, 99),
			MQL_ERR_INPUT);
	CU_ASSERT_PTR_NULL(text);
	CU_ASSERT_EQUAL(mql_file_read_whole(&text, &len, path, 100), MQL_OK);
	CU_ASSERT_EQUAL(len, 100);
	free(text);
	unlink(path);
}

CU_TestInfo test_file_read[] = {
	{"missing file says why", missing_file_says_why},
	{"directory is a read error", directory_is_a_read_error},
	{"empty file is an empty string", empty_file_is_an_empty_string},
	{"nul bytes are counted", nul_bytes_are_counted},
	{"large file comes back whole", large_file_comes_back_whole},
	{"size bound is inclusive", size_bound_is_inclusive},
	CU_TEST_INFO_NULL,
};
