/* sheet.c — a small stream held in memory; see sheet.h. */
#include "sheet.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reader.h"
#include "value.h"

void vbr_sheet_load(struct vbr_sheet *s, const char *const *operands, int n)
{
	struct vbr_reader r;
	static const char *const stdin_op[] = {"-"};
	memset(s, 0, sizeof *s);
	if (n == 0) {
		operands = stdin_op;
		n = 1;
	}
	s->nsources = n;
	s->source = vbr_xcalloc((size_t)n, sizeof *s->source);
	for (int i = 0; i < n; i++)
		s->source[i] = vbr_xstrdup(strcmp(operands[i], "-") ? operands[i] : vbr_stdin_name);
	vbr_reader_open(&r, operands, n);
	r.strict = EX_DATAERR;            /* held whole: a bad record stops the tool */
	s->ncols = r.ncols;
	s->col = vbr_xcalloc((size_t)r.ncols, sizeof *s->col);
	for (int c = 0; c < r.ncols; c++)
		s->col[c] = vbr_xstrdup(r.colname[c]);
	while (vbr_reader_next(&r)) {
		size_t old = s->cap;
		s->cell = vbr_grow(s->cell, &s->cap, s->nrows + 1, (size_t)s->ncols * sizeof *s->cell);
		if (s->cap != old) {
			s->src = vbr_xrealloc(s->src, s->cap * sizeof *s->src);
			s->line = vbr_xrealloc(s->line, s->cap * sizeof *s->line);
		}
		for (int c = 0; c < s->ncols; c++)
			s->cell[s->nrows * (size_t)s->ncols + (size_t)c] =
				vbr_xstrndup(r.field[c].p, r.field[c].n);
		s->src[s->nrows] = (uint32_t)r.cur;
		s->line[s->nrows] = r.lineno;
		s->nrows++;
	}
	vbr_reader_close(&r);
}

int vbr_sheet_col(const struct vbr_sheet *s, const char *name)
{
	for (int c = 0; c < s->ncols; c++)
		if (!strcmp(s->col[c], name))
			return c;
	return -1;
}

int vbr_sheet_need(const struct vbr_sheet *s, const char *name)
{
	int c = vbr_sheet_col(s, name);
	if (c < 0)
		vbr_die(EX_DATAERR, "%s:1: no column '%s'", s->source[0], name);
	return c;
}

const char *vbr_sheet_cell(const struct vbr_sheet *s, size_t row, int col)
{
	return col < 0 ? "" : s->cell[row * (size_t)s->ncols + (size_t)col];
}

/* Parse one cell with parse; an empty cell is 0, a bad one exits 65 with
 * the file, line, column and value. */
static int sheet_value(const struct vbr_sheet *s, size_t row, int col, const char *type,
		       int (*parse)(const char *, size_t, int64_t *), int64_t *v)
{
	const char *p = vbr_sheet_cell(s, row, col);
	size_t n = strlen(p);
	if (n == 0)
		return 0;
	int rc = parse(p, n, v);
	if (rc != VBR_OK) {
		char why[320];
		vbr_die(EX_DATAERR, "%s:%llu: %s", s->source[s->src[row]],
			(unsigned long long)s->line[row],
			vbr_value_reason(why, sizeof why, s->col[col], col, type, rc, p, n));
	}
	return 1;
}

int vbr_sheet_cents(const struct vbr_sheet *s, size_t row, int col, int64_t *v)
{
	return sheet_value(s, row, col, "amount", vbr_parse_amount, v);
}

int vbr_sheet_rate(const struct vbr_sheet *s, size_t row, int col, int64_t *v)
{
	return sheet_value(s, row, col, "rate", vbr_parse_rate, v);
}

int vbr_sheet_count(const struct vbr_sheet *s, size_t row, int col, int64_t *v)
{
	return sheet_value(s, row, col, "count", vbr_parse_count, v);
}

void vbr_sheet_free(struct vbr_sheet *s)
{
	vbr_free_strings(s->cell, s->nrows * (size_t)s->ncols);
	vbr_free_strings(s->col, (size_t)s->ncols);
	vbr_free_strings(s->source, (size_t)s->nsources);
	free(s->src);
	free(s->line);
	memset(s, 0, sizeof *s);
}
