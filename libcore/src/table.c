/*
 * table.c - the tabular writer (see table.h).
 *
 * Cells of the current row are kept typed until the row ends; csv and json
 * rows are then written at once, while table, md and html rows are rendered
 * to text and buffered until mql_table_finish knows the column widths.
 */
#include <mqlcal/table.h>

#include <inttypes.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <mqlcal/figures.h>
#include <mqlcal/html.h>

#include "table_internal.h"

typedef enum cell_type { CELL_EMPTY, CELL_TEXT, CELL_INT, CELL_REAL } cell_type;

typedef struct cell {
	cell_type type;
	char *text; /* owned, CELL_TEXT only */
	int64_t integer;
	double real;
} cell;

typedef struct column {
	char *name;
	mql_column_kind kind;
	int decimals;
	int priority; /* mql_table_set_priority (table format) */
} column;

struct mql_table {
	FILE *fp;
	mql_format format;
	column *columns;
	size_t column_count;
	cell *row;	 /* column_count cells of the current row */
	char **rendered; /* buffered formats: rows x columns texts */
	size_t rendered_rows, rendered_capacity;
	size_t rows_written;	/* rows ended so far */
	int started;		/* a row has been set or ended: columns fixed */
	char *title, *subtitle; /* of the html page; NULL = defaults */
	char pending[4096];	/* csv/json text of the row being written */
	size_t pending_used;
	size_t text_width; /* table format: characters to fit, 0 = any */
};

static size_t default_text_width; /* mql_table_set_default_width */

static const char *const format_names[] = {"table", "csv", "json", "md",
					   "html"};

int mql_format_parse(const char *name, mql_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names;
	     i++) {
		if (name && strcmp(name, format_names[i]) == 0) {
			*out = (mql_format)i;
			return 0;
		}
	}
	return -1;
}

const char *mql_format_name(mql_format f)
{
	if ((size_t)f < sizeof format_names / sizeof *format_names)
		return format_names[f];
	return "unknown";
}

int mql_format_is_data(mql_format f)
{
	return f == MQL_FORMAT_CSV || f == MQL_FORMAT_JSON;
}

mql_table *mql_table_new(FILE *fp, mql_format f)
{
	mql_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->fp = fp;
	t->format = f;
	t->text_width = default_text_width;
	return t;
}

int mql_table_add_column(mql_table *t, const char *name, mql_column_kind kind,
			 int decimals)
{
	column *grown;
	cell *row;
	if (t->started || !name)
		return MQL_ERR_USAGE;
	grown = realloc(t->columns, (t->column_count + 1) * sizeof *grown);
	if (!grown)
		return MQL_ERR_NOMEM;
	t->columns = grown;
	row = realloc(t->row, (t->column_count + 1) * sizeof *row);
	if (!row)
		return MQL_ERR_NOMEM;
	t->row = row;
	grown[t->column_count].name = strdup(name);
	if (!grown[t->column_count].name)
		return MQL_ERR_NOMEM;
	grown[t->column_count].kind = kind;
	grown[t->column_count].decimals = decimals < 0 ? 0 : decimals;
	grown[t->column_count].priority =
		t->column_count ? MQL_TABLE_PRIORITY_DEFAULT : 0;
	memset(&row[t->column_count], 0, sizeof *row);
	t->column_count++;
	return MQL_OK;
}

int mql_table_add_columns(mql_table *t, const mql_column_spec *columns,
			  size_t count)
{
	int status = 0;
	for (size_t c = 0; c < count && !status; c++)
		status = mql_table_add_column(t, columns[c].name,
					      columns[c].kind,
					      columns[c].decimals);
	return status;
}

mql_table *mql_table_new_with_columns(FILE *fp, mql_format f,
				      const mql_column_spec *columns,
				      size_t count)
{
	mql_table *t = mql_table_new(fp, f);
	if (t && mql_table_add_columns(t, columns, count) != MQL_OK) {
		mql_table_free(t);
		t = NULL;
	}
	return t;
}

/* Replaces *slot by a copy of text (NULL clears it). */
static int replace_text(char **slot, const char *text)
{
	char *copy = NULL;
	if (text && !(copy = strdup(text)))
		return MQL_ERR_NOMEM;
	free(*slot);
	*slot = copy;
	return MQL_OK;
}

int mql_table_set_title(mql_table *t, const char *title, const char *subtitle)
{
	int status = replace_text(&t->title, title);
	if (status == MQL_OK)
		status = replace_text(&t->subtitle, subtitle);
	return status;
}

int mql_table_set_priority(mql_table *t, size_t column_index, int priority)
{
	if (column_index >= t->column_count || priority < 0)
		return MQL_ERR_USAGE;
	t->columns[column_index].priority = priority;
	return MQL_OK;
}

int mql_table_set_priorities(mql_table *t, const mql_table_priority *list)
{
	for (; list->column; list++) {
		size_t i = 0;
		while (i < t->column_count &&
		       strcmp(t->columns[i].name, list->column) != 0)
			i++;
		if (mql_table_set_priority(t, i, list->priority) != MQL_OK)
			return MQL_ERR_USAGE;
	}
	return MQL_OK;
}

void mql_table_set_width(mql_table *t, size_t width)
{
	t->text_width = width;
}

void mql_table_set_default_width(size_t width)
{
	default_text_width = width;
}

static void clear_cell(cell *c)
{
	free(c->text);
	memset(c, 0, sizeof *c);
}

/* The cell to set, emptied; NULL when column is out of range. */
static cell *cell_for(mql_table *t, size_t column_index)
{
	if (column_index >= t->column_count)
		return NULL;
	t->started = 1;
	clear_cell(&t->row[column_index]);
	return &t->row[column_index];
}

int mql_table_set_text(mql_table *t, size_t column_index, const char *text)
{
	cell *c = cell_for(t, column_index);
	if (!c)
		return MQL_ERR_USAGE;
	if (!text)
		return MQL_OK;
	c->text = strdup(text);
	if (!c->text)
		return MQL_ERR_NOMEM;
	c->type = CELL_TEXT;
	return MQL_OK;
}

int mql_table_set_int(mql_table *t, size_t column_index, int64_t value)
{
	cell *c = cell_for(t, column_index);
	if (!c)
		return MQL_ERR_USAGE;
	c->type = CELL_INT;
	c->integer = value;
	return MQL_OK;
}

int mql_table_set_real(mql_table *t, size_t column_index, double value)
{
	cell *c = cell_for(t, column_index);
	if (!c)
		return MQL_ERR_USAGE;
	if (isnan(value))
		return MQL_OK; /* missing: stays empty */
	c->type = CELL_REAL;
	c->real = value;
	return MQL_OK;
}

/* A p-value as R's summary tables print it (format.pval with 2 digits):
 * below the double's epsilon "< 2e-16", else 2 significant digits, fixed
 * or scientific as %g chooses (which matches R's choice by width). */
static void format_p_value(double p, char *buf)
{
	if (p < DBL_EPSILON)
		snprintf(buf, MQL_TABLE_NUMBER_MAX, "< 2e-16");
	else
		snprintf(buf, MQL_TABLE_NUMBER_MAX, "%.2g", p);
}

/* A cell as text: full precision, or with the column's decimals.  buf
 * holds MQL_TABLE_NUMBER_MAX bytes (a text cell is cut there). */
static void format_cell(const cell *c, const column *col, int full_precision,
			char *buf)
{
	buf[0] = '\0';
	switch (c->type) {
	case CELL_EMPTY: break;
	case CELL_TEXT:
		snprintf(buf, MQL_TABLE_NUMBER_MAX, "%s", c->text);
		break;
	case CELL_INT: mql_table_format_int(c->integer, buf); break;
	case CELL_REAL:
		if (full_precision || isinf(c->real))
			mql_table_format_full(c->real, buf);
		else if (col->kind == MQL_COLUMN_P_VALUE)
			format_p_value(c->real, buf);
		else if (col->kind == MQL_COLUMN_Q_VALUE)
			mql_figure_q(buf, MQL_TABLE_NUMBER_MAX, c->real);
		else
			mql_table_format_fixed(c->real, col->decimals, buf);
		break;
	}
}

/* Sends what the row buffer holds to the stream. */
static void flush_pending(mql_table *t)
{
	if (t->pending_used > 0)
		fwrite(t->pending, 1, t->pending_used, t->fp);
	t->pending_used = 0;
}

/* Appends bytes to the row buffer, which goes out in one fwrite per row
 * (or when full) instead of a locked putc per byte. */
static void emit(mql_table *t, const char *bytes, size_t length)
{
	if (length > sizeof t->pending - t->pending_used) {
		flush_pending(t);
		if (length > sizeof t->pending) {
			fwrite(bytes, 1, length, t->fp);
			return;
		}
	}
	memcpy(t->pending + t->pending_used, bytes, length);
	t->pending_used += length;
}

static void emit_char(mql_table *t, char ch)
{
	if (t->pending_used == sizeof t->pending)
		flush_pending(t);
	t->pending[t->pending_used++] = ch;
}

static void emit_text(mql_table *t, const char *s)
{
	emit(t, s, strlen(s));
}

/* RFC 4180: quoted when the field holds a comma, quote, CR or LF. */
static void write_csv_field(mql_table *t, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		emit_text(t, s);
		return;
	}
	emit_char(t, '"');
	for (; *s; s++) {
		if (*s == '"')
			emit_char(t, '"');
		emit_char(t, *s);
	}
	emit_char(t, '"');
}

/* A JSON string literal with the escapes RFC 8259 requires. */
static void write_json_string(mql_table *t, const char *s)
{
	emit_char(t, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char escaped[8];
		switch (ch) {
		case '"': emit_text(t, "\\\""); break;
		case '\\': emit_text(t, "\\\\"); break;
		case '\n': emit_text(t, "\\n"); break;
		case '\r': emit_text(t, "\\r"); break;
		case '\t': emit_text(t, "\\t"); break;
		case '\b': emit_text(t, "\\b"); break;
		case '\f': emit_text(t, "\\f"); break;
		default:
			if (ch < 0x20) {
				snprintf(escaped, sizeof escaped, "\\u%04x",
					 ch);
				emit_text(t, escaped);
			} else {
				emit_char(t, (char)ch);
			}
		}
	}
	emit_char(t, '"');
}

static void write_csv_header(mql_table *t)
{
	for (size_t i = 0; i < t->column_count; i++) {
		if (i)
			emit_char(t, ',');
		write_csv_field(t, t->columns[i].name);
	}
	emit(t, "\r\n", 2);
	flush_pending(t);
}

static void write_csv_row(mql_table *t)
{
	char buf[MQL_TABLE_NUMBER_MAX];
	for (size_t i = 0; i < t->column_count; i++) {
		const cell *c = &t->row[i];
		if (i)
			emit_char(t, ',');
		if (c->type == CELL_TEXT) {
			write_csv_field(t, c->text);
		} else {
			format_cell(c, &t->columns[i], 1, buf);
			emit_text(t, buf);
		}
	}
	emit(t, "\r\n", 2);
	flush_pending(t);
}

static void write_json_row(mql_table *t)
{
	char buf[MQL_TABLE_NUMBER_MAX];
	emit_text(t, t->rows_written ? ",\n  {" : "[\n  {");
	for (size_t i = 0; i < t->column_count; i++) {
		const cell *c = &t->row[i];
		if (i)
			emit(t, ", ", 2);
		write_json_string(t, t->columns[i].name);
		emit(t, ": ", 2);
		if (c->type == CELL_TEXT) {
			write_json_string(t, c->text);
		} else if (c->type == CELL_EMPTY ||
			   (c->type == CELL_REAL && isinf(c->real))) {
			emit(t, "null", 4); /* JSON has no NaN or infinity */
		} else {
			format_cell(c, &t->columns[i], 1, buf);
			emit_text(t, buf);
		}
	}
	emit_char(t, '}');
	flush_pending(t);
}

/* Renders the current row to texts and appends it to the buffer. */
static int buffer_row(mql_table *t)
{
	char buf[MQL_TABLE_NUMBER_MAX];
	size_t needed = (t->rendered_rows + 1) * t->column_count;
	if (needed > t->rendered_capacity) {
		size_t capacity = t->rendered_capacity ? t->rendered_capacity
						       : 64 * t->column_count;
		char **grown;
		while (capacity < needed)
			capacity *= 2;
		grown = realloc(t->rendered, capacity * sizeof *grown);
		if (!grown)
			return MQL_ERR_NOMEM;
		t->rendered = grown;
		t->rendered_capacity = capacity;
	}
	char **slots = &t->rendered[t->rendered_rows * t->column_count];
	for (size_t i = 0; i < t->column_count; i++) {
		format_cell(&t->row[i], &t->columns[i], 0, buf);
		slots[i] = strdup(t->row[i].type == CELL_TEXT ? t->row[i].text
							      : buf);
		if (!slots[i]) {
			for (size_t j = 0; j < i; j++)
				free(slots[j]);
			return MQL_ERR_NOMEM;
		}
	}
	t->rendered_rows++;
	return MQL_OK;
}

int mql_table_end_row(mql_table *t)
{
	int status = MQL_OK;
	if (t->column_count == 0)
		return MQL_ERR_USAGE;
	t->started = 1;
	switch (t->format) {
	case MQL_FORMAT_CSV:
		if (t->rows_written == 0)
			write_csv_header(t);
		write_csv_row(t);
		break;
	case MQL_FORMAT_JSON: write_json_row(t); break;
	default: status = buffer_row(t); break;
	}
	if (status == MQL_OK)
		t->rows_written++;
	for (size_t i = 0; i < t->column_count; i++)
		clear_cell(&t->row[i]);
	return status;
}

static int is_numeric(const column *col)
{
	return col->kind != MQL_COLUMN_TEXT;
}

/* The aligned terminal table, fitted to the text width (table_text.c). */
static int write_aligned(mql_table *t, mql_error *err)
{
	const char **names = malloc((t->column_count + 1) * sizeof *names);
	int *numeric = malloc((t->column_count + 1) * sizeof *numeric);
	int *priority = malloc((t->column_count + 1) * sizeof *priority);
	int status = names && numeric && priority ? MQL_OK : MQL_ERR_NOMEM;
	for (size_t i = 0; !status && i < t->column_count; i++) {
		names[i] = t->columns[i].name;
		numeric[i] = is_numeric(&t->columns[i]);
		priority[i] = t->columns[i].priority;
	}
	if (!status) {
		mql_table_text text = {t->fp,
				       t->column_count,
				       t->rendered_rows,
				       names,
				       numeric,
				       priority,
				       (const char *const *)t->rendered,
				       t->text_width};
		status = mql_table_write_text(&text);
	}
	free(names);
	free(numeric);
	free(priority);
	if (status)
		return mql_error_set(err, status, NULL, 0, 0, "out of memory");
	return MQL_OK;
}

/* A Markdown cell: pipes escaped, line breaks flattened. */
static void write_md_cell(FILE *fp, const char *s)
{
	putc(' ', fp);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else if (*s == '\n' || *s == '\r')
			putc(' ', fp);
		else
			putc(*s, fp);
	}
	fputs(" |", fp);
}

static void write_md(mql_table *t)
{
	putc('|', t->fp);
	for (size_t i = 0; i < t->column_count; i++)
		write_md_cell(t->fp, t->columns[i].name);
	fputs("\n|", t->fp);
	for (size_t i = 0; i < t->column_count; i++)
		fputs(is_numeric(&t->columns[i]) ? "---:|" : "---|", t->fp);
	putc('\n', t->fp);
	for (size_t r = 0; r < t->rendered_rows; r++) {
		putc('|', t->fp);
		for (size_t i = 0; i < t->column_count; i++)
			write_md_cell(t->fp,
				      t->rendered[r * t->column_count + i]);
		putc('\n', t->fp);
	}
}

/* A page holding the table, from the shared report writer. */
static int write_html(mql_table *t, mql_error *err)
{
	mql_html *page =
		mql_html_new(t->fp, t->title ? t->title : "Table", t->subtitle);
	int status;
	const char **header;
	if (!page)
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	header = malloc(t->column_count * sizeof *header);
	int *numeric = malloc(t->column_count * sizeof *numeric);
	if (!header || !numeric) {
		free(header);
		free(numeric);
		mql_html_free(page);
		return mql_error_set(err, MQL_ERR_NOMEM, NULL, 0, 0,
				     "out of memory");
	}
	for (size_t i = 0; i < t->column_count; i++) {
		header[i] = t->columns[i].name;
		numeric[i] = is_numeric(&t->columns[i]);
	}
	mql_html_table(page, NULL, t->column_count, header, numeric,
		       t->rendered_rows, (const char *const *)t->rendered);
	status = mql_html_finish(page, err);
	mql_html_free(page);
	free(header);
	free(numeric);
	return status;
}

int mql_table_finish(mql_table *t, mql_error *err)
{
	int status = MQL_OK;
	switch (t->format) {
	case MQL_FORMAT_CSV:
		if (t->rows_written == 0)
			write_csv_header(t);
		break;
	case MQL_FORMAT_JSON:
		fputs(t->rows_written ? "\n]\n" : "[]\n", t->fp);
		break;
	case MQL_FORMAT_TABLE: status = write_aligned(t, err); break;
	case MQL_FORMAT_MD: write_md(t); break;
	case MQL_FORMAT_HTML: status = write_html(t, err); break;
	}
	if (status != MQL_OK)
		return status;
	if (fflush(t->fp) != 0 || ferror(t->fp))
		return mql_error_set(err, MQL_ERR_IO, NULL, 0, 0,
				     "cannot write the table");
	return MQL_OK;
}

void mql_table_free(mql_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->column_count; i++) {
		free(t->columns[i].name);
		clear_cell(&t->row[i]);
	}
	for (size_t i = 0; i < t->rendered_rows * t->column_count; i++)
		free(t->rendered[i]);
	free(t->rendered);
	free(t->title);
	free(t->subtitle);
	free(t->columns);
	free(t->row);
	free(t);
}
