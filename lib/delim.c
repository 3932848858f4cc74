/*
 * delim.c — CSV and TSV record splitting over the block line reader.
 * Fields are unquoted into one scratch buffer per record; slices point into
 * it, so a record costs no allocation once the buffer has grown.
 */
#include "delim.h"
#include "error.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append a field slice [off, off+len) of scratch. */
static void add_field(struct vbr_delim *d, size_t off, size_t len)
{
	d->field = vbr_grow(d->field, &d->fcap, (size_t)d->nfields + 1, sizeof *d->field);
	d->field[d->nfields].p = (const char *)(uintptr_t)off; /* fixed up later */
	d->field[d->nfields].n = len;
	d->nfields++;
}

/* Room for a record of `need` bytes; a record (its quoted fields may
 * span lines) longer than --max-record stops the tool at its first line. */
static void scratch_need(struct vbr_delim *d, size_t need)
{
	if (need > vbr_max_record + 2)
		vbr_die(EX_DATAERR, "%s:%llu: a record longer than %zu bytes (--max-record; "
			"a quote that is never closed?)", d->source, (unsigned long long)d->lineno,
			vbr_max_record);
	d->scratch = vbr_grow(d->scratch, &d->scap, need, 1);
}

/* Split one record starting with `line` into scratch; CSV quoted fields may
 * continue on the following lines. Returns 0, or -1 at end of input. */
static int split_record(struct vbr_delim *d, const char *line, size_t len)
{
	size_t out = 0, fstart = 0;
	int quoted = 0, was_quoted = 0;
	char sep = d->csv ? ',' : '\t';

	d->nfields = 0;
	d->defect = NULL;
	d->lineno = d->in.lineno;
	for (;;) {
		if (len > 0 && line[len - 1] == '\r' && !quoted)
			len--;               /* CRLF line end */
		if (!d->defect && vbr_reader_line_has_nul(&d->in, line, len))
			d->defect = vbr_nul_defect;
		scratch_need(d, out + len + 2);
		for (size_t i = 0; i < len; i++) {
			char c = line[i];
			if (quoted) {
				if (c == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						d->scratch[out++] = '"';
						i++;
					} else {
						quoted = 0;
					}
				} else {
					d->scratch[out++] = c;
				}
			} else if (c == sep) {
				add_field(d, fstart, out - fstart);
				fstart = out;
				was_quoted = 0;
			} else if (d->csv && c == '"' && out == fstart && !was_quoted) {
				quoted = was_quoted = 1;
			} else if (d->csv && was_quoted) {
				if (!d->defect) {
					snprintf(d->defect_buf, sizeof d->defect_buf,
						 "text after a closing quote in field %d",
						 d->nfields + 1);
					d->defect = d->defect_buf;
				}
				d->scratch[out++] = c;
			} else {
				d->scratch[out++] = c;
			}
		}
		if (!quoted)
			break;
		if (d->single_line) {
			/* the layout has no line breaks in fields: the quote is
			 * the line's defect, and the next line is a new record */
			d->defect = "a quote that is not closed on its line";
			break;
		}
		/* a line break inside quotes belongs to the field */
		line = vbr_reader_raw_line(&d->in, &len);
		if (!line) {
			d->defect = "unterminated quoted field at end of file";
			break;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;               /* the CR of a CRLF inside quotes is dropped */
		d->scratch[out++] = '\n';
	}
	add_field(d, fstart, out - fstart);
	for (int f = 0; f < d->nfields; f++)
		d->field[f].p = d->scratch + (uintptr_t)d->field[f].p;
	return 0;
}

/* Read the header of the current operand (dropping a BOM) and either keep
 * it as the stream's header or check it against the first operand's. */
static void read_header(struct vbr_delim *d)
{
	size_t len;
	const char *line = vbr_reader_raw_line(&d->in, &len);
	d->source = vbr_reader_name(&d->in);
	if (!line)
		vbr_die(EX_DATAERR, "%s: empty input: no header line", d->source);
	if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
		line += 3;
		len -= 3;
	}
	split_record(d, line, len);
	if (d->defect)
		vbr_die(EX_DATAERR, "%s:1: header: %s", d->source, d->defect);
	if (!d->header) {
		d->ncols = d->nfields;
		d->header = vbr_xcalloc((size_t)d->ncols, sizeof *d->header);
		for (int c = 0; c < d->ncols; c++)
			d->header[c] = vbr_xstrndup(d->field[c].p, d->field[c].n);
		return;
	}
	int same = d->nfields == d->ncols;
	for (int c = 0; same && c < d->ncols; c++)
		same = strlen(d->header[c]) == d->field[c].n &&
		       memcmp(d->header[c], d->field[c].p, d->field[c].n) == 0;
	if (!same)
		vbr_die(EX_DATAERR, "%s:1: header differs from the header of %s",
			d->source, d->in.operands[0]);
}

const struct vbr_name vbr_delim_formats[] = {
	{"csv", VBR_DELIM_CSV}, {"tsv", VBR_DELIM_TSV}, {NULL, 0}};

void vbr_delim_open(struct vbr_delim *d, const char *const *operands, int n,
		    enum vbr_delim_format format)
{
	memset(d, 0, sizeof *d);
	vbr_reader_open_lines(&d->in, operands, n);
	if (format != VBR_DELIM_DETECT) {
		d->csv = format == VBR_DELIM_CSV;
	} else {
		/* guess from the first line: a TAB means TSV */
		size_t len;
		const char *line = vbr_reader_raw_line(&d->in, &len);
		d->csv = !line || memchr(line, '\t', len) == NULL;
		d->in.start = 0;     /* the first line is still in the buffer */
		d->in.lineno = 0;
	}
	read_header(d);
}

/* Fixed-width records: the layout's columns are the header. */
void vbr_delim_open_fixed(struct vbr_delim *d, const char *const *operands, int n,
			  const struct vbr_fixed_layout *layout)
{
	memset(d, 0, sizeof *d);
	vbr_reader_open_lines(&d->in, operands, n);
	d->fixed = layout;
	d->source = vbr_reader_name(&d->in);
	d->ncols = layout->ncols;
	d->header = vbr_xcalloc((size_t)d->ncols, sizeof *d->header);
	for (int c = 0; c < d->ncols; c++)
		d->header[c] = vbr_xstrdup(layout->col[c].name);
}

/* Cut one fixed-width record into its columns, trimmed of spaces; a
 * record that is not the layout's length is a defect (and its fields are
 * cut as far as it goes). */
static void split_fixed(struct vbr_delim *d, const char *line, size_t len)
{
	const struct vbr_fixed_layout *l = d->fixed;
	d->nfields = 0;
	d->defect = NULL;
	d->lineno = d->in.lineno;
	d->source = vbr_reader_name(&d->in);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (vbr_reader_line_has_nul(&d->in, line, len))
		d->defect = vbr_nul_defect;
	else if (len != (size_t)l->record_length) {
		snprintf(d->defect_buf, sizeof d->defect_buf,
			 "record length %zu, the layout's is %d", len, l->record_length);
		d->defect = d->defect_buf;
	}
	for (int c = 0; c < l->ncols; c++) {
		size_t a = (size_t)l->col[c].start - 1, b = a + (size_t)l->col[c].length;
		if (a > len)
			a = len;
		if (b > len)
			b = len;
		while (a < b && line[a] == ' ')
			a++;
		while (b > a && line[b - 1] == ' ')
			b--;
		d->field = vbr_grow(d->field, &d->fcap, (size_t)c + 1, sizeof *d->field);
		d->field[c].p = line + a;
		d->field[c].n = b - a;
	}
	d->nfields = l->ncols;
}

const char *vbr_delim_column_place(const struct vbr_delim *d, int col, char *buf, size_t len)
{
	if (d && d->fixed)
		snprintf(buf, len, "bytes %d-%d", d->fixed->col[col].start,
			 d->fixed->col[col].start + d->fixed->col[col].length - 1);
	else
		snprintf(buf, len, "%d", col + 1);
	return buf;
}

/* A layout file: name, start, length per source column, strictly read;
 * a bad one stops the tool (64) with its place. */
void vbr_fixed_layout_load(struct vbr_fixed_layout *l, const char *path)
{
	struct vbr_reader r;
	size_t cap = 0;
	memset(l, 0, sizeof *l);
	vbr_reader_open_side(&r, path, EX_USAGE);
	int cn = vbr_reader_require(&r, "name"), cs = vbr_reader_require(&r, "start");
	int cl = vbr_reader_require(&r, "length");
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t start, length;
		if (f[cn].n == 0)
			vbr_die(EX_USAGE, "%s: column 'name' is empty", vbr_reader_place(&r));
		if (vbr_parse_count(f[cs].p, f[cs].n, &start) != VBR_OK || start < 1 || start > 100000)
			vbr_die(EX_USAGE, "%s: column 'start': '%.*s' is not a byte position "
				"(1 to 100000)", vbr_reader_place(&r), (int)f[cs].n, f[cs].p);
		if (vbr_parse_count(f[cl].p, f[cl].n, &length) != VBR_OK || length < 1 ||
		    length > 100000)
			vbr_die(EX_USAGE, "%s: column 'length': '%.*s' is not a length (1 to "
				"100000)", vbr_reader_place(&r), (int)f[cl].n, f[cl].p);
		for (int c = 0; c < l->ncols; c++)
			if (strlen(l->col[c].name) == f[cn].n &&
			    memcmp(l->col[c].name, f[cn].p, f[cn].n) == 0)
				vbr_die(EX_USAGE, "%s: column '%.*s' is named twice",
					vbr_reader_place(&r), (int)f[cn].n, f[cn].p);
		l->col = vbr_grow(l->col, &cap, (size_t)l->ncols + 1, sizeof *l->col);
		l->col[l->ncols++] = (struct vbr_fixed_column){
			vbr_xstrndup(f[cn].p, f[cn].n), (int)start, (int)length};
		if (start + length - 1 > l->record_length)
			l->record_length = (int)(start + length - 1);
	}
	if (l->ncols == 0)
		vbr_die(EX_USAGE, "%s: a layout with no column", path);
	vbr_reader_close(&r);
}

void vbr_fixed_layout_free(struct vbr_fixed_layout *l)
{
	for (int c = 0; c < l->ncols; c++)
		free((char *)l->col[c].name);     /* loaded layouts own their names */
	free(l->col);
	memset(l, 0, sizeof *l);
}

int vbr_delim_column(const struct vbr_delim *d, const char *name)
{
	for (int c = 0; c < d->ncols; c++)
		if (strcmp(d->header[c], name) == 0)
			return c;
	return -1;
}

int vbr_delim_next(struct vbr_delim *d)
{
	size_t len;
	const char *line;
	while ((line = vbr_reader_raw_line(&d->in, &len)) == NULL) {
		if (!vbr_reader_next_operand(&d->in))
			return 0;
		if (!d->fixed)
			read_header(d);
	}
	if (d->fixed) {
		split_fixed(d, line, len);
		return 1;
	}
	split_record(d, line, len);
	if (!d->defect && d->nfields != d->ncols) {
		snprintf(d->defect_buf, sizeof d->defect_buf,
			 "%d fields, header has %d", d->nfields, d->ncols);
		d->defect = d->defect_buf;
	}
	while (d->nfields < d->ncols) {    /* keep field[] indexable */
		add_field(d, 0, 0);
		d->field[d->nfields - 1].p = d->scratch;
	}
	return 1;
}

void vbr_delim_close(struct vbr_delim *d)
{
	vbr_reader_close(&d->in);
	vbr_free_strings(d->header, (size_t)d->ncols);
	free(d->field);
	free(d->scratch);
	memset(d, 0, sizeof *d);
}
