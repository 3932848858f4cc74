/*
 * capstats.c — the large-claim cap's effect per org and period, and the
 * largest claimants; see capstats.h.
 */
#include "capstats.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "error.h"
#include "money.h"
#include "reader.h"
#include "value.h"

/* An amount column of the current row; a bad value is 65 with its place. */
static int64_t amount(struct vbr_reader *r, int col)
{
	int64_t v;
	int rc = vbr_parse_amount(r->field[col].p, r->field[col].n, &v);
	if (rc != VBR_OK)
		vbr_die_field(r, col, "amount", rc, "");
	return v;
}

/* Σ into *sum, overflow-checked (65 with the place). */
static void add(struct vbr_reader *r, int64_t *sum, int64_t v)
{
	if (vbr_add_cents(*sum, v, sum))
		vbr_die(EX_DATAERR, "%s: an org's cost total overflows", vbr_reader_place(r));
}

/* Keep member m among the org's `top` largest raw costs (ties: the smaller
 * member id first, so the list does not depend on row order). */
static void keep_top(struct vbr_capstats *c, struct vbr_capstats_org *o,
		     const struct vbr_field *m, int64_t raw, int64_t cost)
{
	if (!c->top)
		return;
	size_t i = o->ntop;
	while (i > 0) {
		const struct vbr_claimant *p = &o->top[i - 1];
		size_t n = strlen(p->member);
		int cmp = memcmp(p->member, m->p, n < m->n ? n : m->n);
		int before = raw > p->raw || (raw == p->raw && (cmp > 0 || (cmp == 0 && n > m->n)));
		if (!before)
			break;
		i--;
	}
	if (i >= c->top)
		return;
	if (o->ntop == c->top)
		free(o->top[--o->ntop].member);
	memmove(&o->top[i + 1], &o->top[i], (o->ntop - i) * sizeof *o->top);
	o->top[i] = (struct vbr_claimant){vbr_xstrndup(m->p, m->n), raw, cost};
	o->ntop++;
}

void vbr_capstats_load(struct vbr_capstats *c, const char *path, size_t top)
{
	memset(c, 0, sizeof *c);
	vbr_intern_init(&c->orgs);
	c->top = top;
	for (int k = 0; k < VBR_NPERIODS; k++)
		c->threshold_lo[k] = c->threshold_hi[k] = -1;
	struct vbr_reader r;
	vbr_reader_open_side(&r, path, EX_DATAERR);
	int cm = vbr_reader_require(&r, "member_id"), cp = vbr_reader_require(&r, "period");
	int co = vbr_reader_require(&r, "org_id"), cc = vbr_reader_require(&r, "cost");
	int craw = vbr_reader_column(&r, "raw_cost"), cx = vbr_reader_column(&r, "excess");
	int ca = vbr_reader_column(&r, "allowed"), cpd = vbr_reader_column(&r, "paid");
	c->has_raw = craw >= 0 && cx >= 0;
	while (vbr_reader_next(&r)) {
		int k = vbr_period_parse(r.field[cp].p, r.field[cp].n);
		if (k < 0)
			vbr_die_field(&r, cp, "period (base or measure)", VBR_INVALID, "");
		uint32_t id = vbr_intern(&c->orgs, r.field[co].p, r.field[co].n);
		if (id >= c->cap) {
			size_t old = c->cap;
			c->org = vbr_grow_zeroed(c->org, &c->cap, (size_t)id + 1, sizeof *c->org);
			for (size_t i = old; i < c->cap; i++)
				c->org[i].top = top ? vbr_xcalloc(top, sizeof *c->org[i].top) : NULL;
		}
		struct vbr_capstats_org *o = &c->org[id];
		int64_t cost = amount(&r, cc), raw = c->has_raw ? amount(&r, craw) : cost;
		int64_t excess = c->has_raw ? amount(&r, cx) : 0;
		o->members[k]++;
		add(&r, &o->cost[k], cost);
		add(&r, &o->raw[k], raw);
		add(&r, &o->excess[k], excess);
		if (ca >= 0)
			add(&r, &o->allowed[k], amount(&r, ca));
		if (cpd >= 0)
			add(&r, &o->paid[k], amount(&r, cpd));
		if (excess > 0) {
			o->capped[k]++;
			if (c->threshold_lo[k] < 0 || cost < c->threshold_lo[k])
				c->threshold_lo[k] = cost;
			if (cost > c->threshold_hi[k])
				c->threshold_hi[k] = cost;
		}
		if (k == VBR_MEASURE)
			keep_top(c, o, &r.field[cm], raw, cost);
	}
	vbr_reader_close(&r);
}

const struct vbr_capstats_org *vbr_capstats_org(const struct vbr_capstats *c, const char *org)
{
	uint32_t id = vbr_intern_find(&c->orgs, org, strlen(org));
	return id == VBR_NOT_INTERNED || id >= c->cap ? NULL : &c->org[id];
}

void vbr_capstats_free(struct vbr_capstats *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		for (size_t j = 0; j < c->org[i].ntop; j++)
			free(c->org[i].top[j].member);
		free(c->org[i].top);
	}
	free(c->org);
	vbr_intern_free(&c->orgs);
	memset(c, 0, sizeof *c);
}
