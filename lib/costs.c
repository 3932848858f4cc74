/* costs.c — cost rows summed per org and period; see costs.h. */
#include "costs.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "money.h"
#include "value.h"

static void add(struct vbr_reader *r, int64_t *sum, int64_t v, const char *what)
{
	if (vbr_add_cents(*sum, v, sum))
		vbr_die(EX_DATAERR, "%s: the org's %s overflows", vbr_reader_place(r), what);
}

void vbr_costs_read(struct vbr_costs *c, const char *const *operands, int n,
		    struct vbr_account *a)
{
	struct vbr_reader r;
	char why[256];
	vbr_intern_init(&c->orgs);
	vbr_reader_open(&r, operands, n);
	vbr_reader_require(&r, "member_id");
	int cp = vbr_reader_require(&r, "period"), co = vbr_reader_require(&r, "org_id");
	int cmm = vbr_reader_require(&r, "member_months"), cc = vbr_reader_require(&r, "cost");
	int cn = vbr_reader_column(&r, "members"), cpr = vbr_reader_column(&r, "premium");
	c->has_premium = cpr >= 0;
	c->has_members = cn >= 0;
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t mm, cost, members = 1, premium = 0;
		a->read++;
		if (r.defect) {
			vbr_reject(a, &r, r.defect);
			continue;
		}
		int k = vbr_period_parse(f[cp].p, f[cp].n);
		if (k < 0) {
			vbr_reject(a, &r, vbr_value_reason(why, sizeof why, "period", cp,
				   "period (base or measure)", f[cp].n ? VBR_INVALID : VBR_MISSING,
				   f[cp].p, f[cp].n));
			continue;
		}
		if (!vbr_field_id(a, &r, co) || !vbr_field_count(a, &r, cmm, &mm) ||
		    !vbr_field_amount(a, &r, cc, &cost) ||
		    (cn >= 0 && !vbr_field_count(a, &r, cn, &members)) ||
		    (cpr >= 0 && !vbr_field_amount(a, &r, cpr, &premium)))
			continue;
		uint32_t org = vbr_intern(&c->orgs, f[co].p, f[co].n);
		c->tot[k] = vbr_grow_zeroed(c->tot[k], &c->cap[k], (size_t)org + 1, sizeof *c->tot[k]);
		struct vbr_org_total *t = &c->tot[k][org];
		add(&r, &t->members, members, "member count");
		add(&r, &t->member_months, mm, "member months");
		add(&r, &t->cost, cost, "cost");
		add(&r, &t->premium, premium, "premium");
		t->rows++;
		c->rows[k]++;
		if (c->row)
			c->row(c->ctx, &r, k, org, mm, cost, premium);
	}
	vbr_reader_close(&r);
}

const struct vbr_org_total *vbr_costs_of(const struct vbr_costs *c, int period, uint32_t org)
{
	if (org >= c->cap[period])
		return NULL;
	const struct vbr_org_total *t = &c->tot[period][org];
	return t->rows ? t : NULL;
}

void vbr_costs_free(struct vbr_costs *c)
{
	vbr_intern_free(&c->orgs);
	for (int k = 0; k < VBR_NPERIODS; k++)
		free(c->tot[k]);
}
