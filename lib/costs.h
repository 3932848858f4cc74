/*
 * costs.h — cost rows (vbr(7)) summed per org and period: members (1 per
 * member row, the `members` count of an aggregate row), member months,
 * cost and, when the rows carry it, premium. Sums are exact cents, so
 * member rows and merged shard aggregates give the same totals.
 *
 *   vbr_costs_read(c, operands, n, account)   read and sum; a bad row is
 *                                   rejected through the account (vbr(7), Errors)
 *   c->row(c->ctx, r, period, org, months, cost, premium)   optional hook, called
 *                                   for each good row (target's pricing
 *                                   cells, simulate's members)
 *   c->tot[period][org]             the sums, by interned org id
 *   c->rows[period]                 good rows per period
 */
#ifndef VBR_COSTS_H
#define VBR_COSTS_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "intern.h"
#include "period.h"
#include "reader.h"

struct vbr_org_total {
	int64_t members, member_months, cost, premium;
	uint64_t rows;
};

struct vbr_costs {
	struct vbr_intern orgs;
	struct vbr_org_total *tot[VBR_NPERIODS];
	size_t cap[VBR_NPERIODS];
	uint64_t rows[VBR_NPERIODS];
	int has_premium, has_members;    /* the rows carry these columns */
	void (*row)(void *ctx, struct vbr_reader *r, int period, uint32_t org, int64_t months,
		    int64_t cost, int64_t premium);
	void *ctx;
};

void vbr_costs_read(struct vbr_costs *c, const char *const *operands, int n,
		    struct vbr_account *a);
void vbr_costs_free(struct vbr_costs *c);

/* The org's sums in a period; NULL when it has no row there. */
const struct vbr_org_total *vbr_costs_of(const struct vbr_costs *c, int period, uint32_t org);

#endif
