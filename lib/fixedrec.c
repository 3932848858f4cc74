/*
 * fixedrec.c — fixed-width records written by column name (fixedrec.h).
 */
#include "fixedrec.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "money.h"

void vbr_fixedrec_start(struct vbr_fixedrec *r, const struct vbr_fixed_layout *layout)
{
	if (r->cap < layout->record_length) {
		r->buf = vbr_xrealloc(r->buf, (size_t)layout->record_length);
		r->cap = layout->record_length;
	}
	r->layout = layout;
	memset(r->buf, ' ', (size_t)layout->record_length);
}

/* The layout's column `name`. */
static const struct vbr_fixed_column *column(const struct vbr_fixedrec *r, const char *name)
{
	for (int i = 0; i < r->layout->ncols; i++)
		if (strcmp(r->layout->col[i].name, name) == 0)
			return &r->layout->col[i];
	vbr_die(EX_SOFTWARE, "fixed-width column '%s' is not in the layout", name);
}

/* Place value in column name: left-justified, or right-justified. */
static void place(struct vbr_fixedrec *r, const char *name, const char *value, int right)
{
	const struct vbr_fixed_column *c = column(r, name);
	size_t n = strlen(value);
	if (n > (size_t)c->length)
		vbr_die(EX_SOFTWARE, "'%s' is longer than column '%s' (%d bytes)", value, name,
			c->length);
	char *at = r->buf + c->start - 1;
	memcpy(at + (right ? (size_t)c->length - n : 0), value, n);
}

void vbr_fixedrec_set(struct vbr_fixedrec *r, const char *name, const char *value)
{
	place(r, name, value, 0);
}

void vbr_fixedrec_amount(struct vbr_fixedrec *r, const char *name, int64_t cents)
{
	char buf[32];
	vbr_format_cents(buf, cents);
	place(r, name, buf, 1);
}

void vbr_fixedrec_put(struct vbr_fixedrec *r, struct vbr_writer *w)
{
	vbr_put(w, r->buf, (size_t)r->layout->record_length);
	vbr_putc(w, '\n');
}

void vbr_fixedrec_free(struct vbr_fixedrec *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
