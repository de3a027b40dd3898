/*
 * cli_text.c - text in a terminal's width (see cli.h): the width tables
 * and text fit, and stdout replaced by a stream that wraps every line
 * longer than that at a space.
 */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <mqlcal/format_text.h>

/* Width when neither COLUMNS nor the terminal says. */
#define DEFAULT_WIDTH 100

/* The narrowest width text is fitted to. */
#define MIN_WIDTH 20

size_t mql_cli_text_width(void)
{
	const char *columns = getenv("COLUMNS");
	struct winsize size;
	if (columns && *columns) {
		char *end;
		errno = 0;
		long value = strtol(columns, &end, 10);
		if (errno == 0 && *end == '\0' && value > 0 && value <= INT_MAX)
			return value < MIN_WIDTH ? MIN_WIDTH : (size_t)value;
	}
	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
		return size.ws_col < MIN_WIDTH ? MIN_WIDTH : size.ws_col;
	return DEFAULT_WIDTH;
}

/* The wrapping stream's state: the stdout it replaced and the line being
 * written. */
typedef struct wrapper {
	FILE *out;
	size_t width;
	char *line;
	size_t used, capacity;
} wrapper;

/* Writes the line held in rows of w->width characters, each row after the
 * first indented two more than the line; then a newline if newline. */
static void put_line(wrapper *w, int newline)
{
	const char *text = w->line;
	size_t length = w->used, room = w->width, indent = 0;
	while (indent < length && text[indent] == ' ')
		indent++;
	indent += 2;
	if (indent > w->width / 2)
		indent = 0;
	for (;;) {
		size_t n = mql_text_wrap_point(text, length, room);
		fwrite(text, 1, n, w->out);
		text += n;
		length -= n;
		while (length > 0 && *text == ' ')
			text++, length--;
		if (length == 0)
			break;
		fprintf(w->out, "\n%*s", (int)indent, "");
		room = w->width - indent;
	}
	if (newline)
		putc('\n', w->out);
	w->used = 0;
}

/* The stream's write: whole lines go out wrapped, the rest waits. */
static ssize_t wrapper_write(void *cookie, const char *bytes, size_t size)
{
	wrapper *w = cookie;
	for (size_t i = 0; i < size; i++) {
		if (bytes[i] == '\n') {
			put_line(w, 1);
			continue;
		}
		if (w->used == w->capacity) {
			size_t capacity = w->capacity ? 2 * w->capacity : 256;
			char *grown = realloc(w->line, capacity);
			if (!grown)
				return -1;
			w->line = grown;
			w->capacity = capacity;
		}
		w->line[w->used++] = bytes[i];
	}
	return fflush(w->out) == 0 && !ferror(w->out) ? (ssize_t)size : -1;
}

/* The stream's close: the last line, even without its newline. */
static int wrapper_close(void *cookie)
{
	wrapper *w = cookie;
	if (w->used > 0)
		put_line(w, 0);
	int status = fflush(w->out) == 0 && !ferror(w->out) ? 0 : EOF;
	free(w->line);
	free(w);
	return status;
}

/* Whether stdout takes text to lay out: the table format, and not a file
 * of the command's own format (a model, rules, SQL) for want of -o. */
static int stdout_is_text(const mql_cli *cli)
{
	int output_on_stdout =
		!cli->output_path || strcmp(cli->output_path, "-") == 0;
	if (cli->format != MQL_FORMAT_TABLE)
		return 0;
	return !(cli->command->output_is_file && output_on_stdout);
}

void mql_cli_text_begin(mql_cli *cli)
{
	static const cookie_io_functions_t functions = {.write = wrapper_write,
							.close = wrapper_close};
	cli->text_width = cli->wide ? 0 : mql_cli_text_width();
	mql_table_set_default_width(cli->text_width);
	if (!cli->text_width || !stdout_is_text(cli))
		return;
	wrapper *w = calloc(1, sizeof *w);
	if (!w)
		return;
	w->out = stdout;
	w->width = cli->text_width;
	FILE *wrapped = fopencookie(w, "w", functions);
	if (!wrapped) {
		free(w);
		return;
	}
	cli->real_stdout = stdout;
	stdout = wrapped;
}

int mql_cli_text_end(mql_cli *cli)
{
	int status = MQL_OK;
	mql_table_set_default_width(0);
	if (!cli->real_stdout)
		return MQL_OK;
	FILE *wrapped = stdout;
	stdout = cli->real_stdout;
	cli->real_stdout = NULL;
	if (fclose(wrapped) != 0 || fflush(stdout) != 0 || ferror(stdout))
		status = MQL_ERR_IO;
	return status;
}
