/* ahead.c — member look-ahead for prefetching (ahead.h). */
#include "ahead.h"

#include <string.h>

void vbr_ahead_init(struct vbr_ahead *a, const struct vbr_intern *members, int col,
		    vbr_ahead_fn *const steps[VBR_AHEAD_STEPS], void *ctx)
{
	memset(a, 0, sizeof *a);
	a->members = members;
	a->col = col;
	for (int k = 0; k < VBR_AHEAD_STEPS; k++)
		a->step[k] = steps[k];
	a->ctx = ctx;
	a->on = 1;
	a->current = -1;
}

static unsigned less(unsigned x, unsigned y)
{
	return x > y ? x - y : 0;
}

/* Phase 0: keep the record's member; phase 1: count the pair as one
 * member or two; at the end of a window, look ahead in the next only if
 * fewer than half the pairs were one member. */
static void judge_order(struct vbr_ahead *a, const struct vbr_reader *r, unsigned phase)
{
	const struct vbr_field *f = &r->field[a->col];
	uint64_t w[2];
	vbr_key_words(f->p, f->n, w);
	if (phase == 0) {
		a->last[0] = w[0];
		a->last[1] = w[1];
		a->last_n = f->n;
		return;
	}
	a->repeats += f->n == a->last_n && w[0] == a->last[0] && w[1] == a->last[1];
	if (++a->seen == VBR_AHEAD_WINDOW) {
		a->on = a->repeats * 2 < VBR_AHEAD_WINDOW;
		a->seen = a->repeats = 0;
	}
}

/* The ring holds the lines looked at past the current record, nearest
 * first; done[k] counts the leading lines that had step k. A line that
 * enters nearer than a step's distance (after the buffer's end held the
 * look-ahead back) has its steps at once. */
void vbr_ahead_run(struct vbr_ahead *a, struct vbr_reader *r, unsigned phase)
{
	const unsigned D = VBR_AHEAD_D, S = VBR_AHEAD_STEPS, mask = VBR_AHEAD_RING - 1;
	if (phase <= 1 && !r->defect)
		judge_order(a, r, phase);
	unsigned gone = less(a->n, r->ahead_n);     /* records read since */
	/* the last line gone is the current record, if the ring held it and
	 * its id was looked for */
	a->current = gone == 1 && a->done[0] > 0 ? (int)a->first : -1;
	a->first = (a->first + gone) & mask;
	a->n -= gone;
	for (unsigned k = 0; k < S; k++)
		a->done[k] = less(a->done[k], gone);
	if (!a->on)
		return;         /* lines looked at stay in the ring until read */
	struct vbr_field f;
	while (a->n < (S + 1) * D && vbr_reader_ahead(r, a->col, (S + 1) * D, &f)) {
		struct vbr_ahead_line *e = &a->e[(a->first + a->n++) & mask];
		e->n = f.n <= sizeof e->key ? (uint32_t)f.n : UINT32_MAX;
		if (e->n == UINT32_MAX)
			continue;       /* too long to copy: no look-ahead */
		memcpy(e->key, f.p, f.n);
		e->hash = vbr_intern_hash(f.p, f.n);
		vbr_intern_prefetch(a->members, e->hash);
	}
	for (unsigned k = 0; k < S; k++) {
		unsigned upto = k ? a->done[k - 1] : a->n, reach = (S - k) * D;
		for (; a->done[k] < upto && a->done[k] < reach; a->done[k]++) {
			struct vbr_ahead_line *e = &a->e[(a->first + a->done[k]) & mask];
			if (k == 0)
				e->id = e->n == UINT32_MAX ? VBR_NOT_INTERNED
					: vbr_intern_find_hashed(a->members, e->hash, e->key, e->n);
			if (e->id != VBR_NOT_INTERNED && a->step[k])
				a->step[k](a->ctx, e->id);
		}
	}
}
