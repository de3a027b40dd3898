/*
 * temp_file.h - text written to a fresh temporary file for the unit tests
 * that read files.  The caller unlinks the file.
 */
#ifndef MQLCAL_TESTS_TEMP_FILE_H
#define MQLCAL_TESTS_TEMP_FILE_H

#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes len bytes of text to a new file in $TMPDIR (or /tmp) whose name
 * starts with prefix; its path goes into path[0..n). */
static inline void temp_file_write(char *path, size_t n, const char *prefix,
				   const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, n, "%s/%s-XXXXXX", dir ? dir : "/tmp", prefix);
	int fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, len) == (ssize_t)len);
	close(fd);
}

#endif
