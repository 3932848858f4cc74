/* columns.c — output rows written from a column table; see columns.h. */
#include "columns.h"
#include "error.h"
#include "money.h"

static int written(const struct vbr_column *c, unsigned mask)
{
	return c->when == 0 || (mask & c->when) != 0;
}

void vbr_columns_header(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask)
{
	int first = 1;
	for (const struct vbr_column *c = cols; c->name; c++)
		if (written(c, mask)) {
			if (!first)
				vbr_putc(w, '\t');
			vbr_puts(w, c->name);
			first = 0;
		}
	vbr_putc(w, '\n');
}

void vbr_columns_start(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask)
{
	vbr_columns_header(w, cols, mask);
	vbr_flush(w);
}

void vbr_columns_stdout(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask)
{
	vbr_writer_fd(w, 1, "(stdout)");
	vbr_columns_start(w, cols, mask);
}

/* One cell, its value taken from the row at the column's offset. */
static void put_cell(struct vbr_writer *w, const struct vbr_column *c, const char *row)
{
	if (c->type == VBR_CELL_ID) {
		const struct vbr_text *t = (const void *)(row + c->offset);
		if (t->n)                /* an empty id may have no bytes at all */
			vbr_put(w, t->p, t->n);
		return;
	}
	int64_t v = *(const int64_t *)(const void *)(row + c->offset);
	if (v == VBR_EMPTY)
		return;
	switch (c->type) {
	case VBR_CELL_COUNT:
		vbr_put_int(w, v);
		break;
	case VBR_CELL_CENTS:
		vbr_put_cents(w, v);
		break;
	case VBR_CELL_FIXED: {
		char buf[48];
		vbr_put(w, buf, vbr_format_fixed(buf, v, c->scale, c->decimals));
		break;
	}
	case VBR_CELL_FLAG:
		vbr_putc(w, v ? 'Y' : 'N');
		break;
	case VBR_CELL_ID:
		break;
	}
}

void vbr_columns_row(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask,
		     const void *row)
{
	int first = 1;
	for (const struct vbr_column *c = cols; c->name; c++)
		if (written(c, mask)) {
			if (!first)
				vbr_putc(w, '\t');
			put_cell(w, c, row);
			first = 0;
		}
	vbr_putc(w, '\n');
}

void vbr_columns_clear(const struct vbr_column *cols, void *row)
{
	for (const struct vbr_column *c = cols; c->name; c++)
		if (c->type != VBR_CELL_ID)
			*(int64_t *)(void *)((char *)row + c->offset) = VBR_EMPTY;
}

void vbr_columns_sum(const struct vbr_column *cols, unsigned mask, void *total,
		     const void *row, const char *what)
{
	for (const struct vbr_column *c = cols; c->name; c++) {
		if (!c->sum || !written(c, mask))
			continue;
		int64_t *t = (int64_t *)(void *)((char *)total + c->offset);
		int64_t v = *(const int64_t *)(const void *)((const char *)row + c->offset);
		if (*t == VBR_EMPTY)
			*t = 0;        /* a cleared total starts at zero */
		if (v != VBR_EMPTY && vbr_add_cents(*t, v, t))
			vbr_die(EX_DATAERR, "the %s total of '%s' overflows", what, c->name);
	}
}
