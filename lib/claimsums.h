/*
 * claimsums.h — a claim line's cost as cap-large-claims(1) reads it, and
 * the claim sums of its --sum-only step (one row per member and period:
 * allowed, paid, claims). Shared by cap-large-claims (both of its claim
 * modes) and attribute --claim-sums, which makes the same sums in its own
 * pass over the claims, so the two can never check, count or write a line
 * differently: the bytes, the rejects and the -v lines are the same
 * whichever tool summed.
 *
 *   vbr_claim_costs_open(c, r, a, per, terms)
 *                       the columns (member_id, from_date, allowed, paid,
 *                       paid_date if paid_through is a term: 65 without it)
 *                       and the left-out reasons, registered in a
 *   vbr_claim_cost(c, a, r, &cost)
 *                       the current line checked in cap-large-claims' order
 *                       (from_date, allowed, paid, member_id, paid_date):
 *                       1 and its cost, or 0: rejected or left out (counted
 *                       in a: paid after paid_through, outside both periods)
 *   vbr_claim_cost_given(c, a, r, &cost)
 *                       the same for a line whose member_id, from_date
 *                       (cost.day) and allowed (cost.allowed) another
 *                       account has already found good: only paid onwards
 *   vbr_claim_sums_add(s, member, &cost)
 *                       add a line to its member × period (grown as members
 *                       come); nonzero when a sum overflows (65,
 *                       VBR_CLAIM_SUM_OVERFLOWS)
 *   vbr_claim_sums_ahead(s, member)   prefetch a member's sums (batch.h)
 *   vbr_claim_sums_write(s, w, members, sorted, with_completed, completed, n)
 *                       the rows, header first, in member id order (base
 *                       before measure; sorted: the members in that order,
 *                       vbr_intern_sorted's, or NULL); with_completed (--completion):
 *                       the completed_basis column too, completed[0..n)
 *                       per member × period in 10^-6 cents; w is closed
 *   vbr_claim_sums_finish(s, a, verbose)
 *                       a's -v line (its lines summed as used) and "claim
 *                       sums rows R, members M" (members with a line
 *                       summed), both under cap-large-claims' name; the
 *                       exit status
 *   vbr_claim_sums_free(s)
 */
#ifndef VBR_CLAIMSUMS_H
#define VBR_CLAIMSUMS_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "error.h"
#include "intern.h"
#include "money.h"
#include "period.h"
#include "reader.h"
#include "terms.h"
#include "writer.h"

/* The message of a sum that overflows (65, with the line's place). */
#define VBR_CLAIM_SUM_OVERFLOWS "a member's sum overflows"

/* The reading half's columns, terms and left-out reasons. */
struct vbr_claim_costs {
	const struct vbr_periods *per;
	int has_paid_through;
	int32_t paid_through;   /* days */
	int cm, cd, ca, cp, cpd;
	int slot_outside, slot_late;
};

/* One claim line's cost: what the summing half adds. */
struct vbr_claim_cost {
	int64_t allowed, paid;  /* cents */
	int32_t day;            /* from_date, days */
	int32_t period;         /* VBR_BASE or VBR_MEASURE */
};

/* One member-period's claims. */
struct vbr_claim_sum {
	int64_t allowed, paid;  /* cents */
	uint64_t claims;        /* lines summed */
};

/* Every member's claim sums, member × period. */
struct vbr_claim_sums {
	struct vbr_claim_sum *sum;
	size_t cap;
	uint64_t summed;        /* lines */
	uint32_t members;       /* with a line summed (counted as written) */
	uint64_t rows;          /* written */
};

void vbr_claim_costs_open(struct vbr_claim_costs *c, struct vbr_reader *r,
			  struct vbr_account *a, const struct vbr_periods *per,
			  const struct vbr_terms *terms);
int vbr_claim_cost(const struct vbr_claim_costs *c, struct vbr_account *a,
		   struct vbr_reader *r, struct vbr_claim_cost *cost);
int vbr_claim_cost_given(const struct vbr_claim_costs *c, struct vbr_account *a,
			 struct vbr_reader *r, struct vbr_claim_cost *cost);
void vbr_claim_sums_write(struct vbr_claim_sums *s, struct vbr_writer *w,
			  const struct vbr_intern *members, const uint32_t *sorted,
			  int with_completed, const int64_t *completed, size_t ncompleted);
int vbr_claim_sums_finish(const struct vbr_claim_sums *s, struct vbr_account *a, int verbose);
void vbr_claim_sums_free(struct vbr_claim_sums *s);

/* Inline: it is on every claim line's path. */
static inline int vbr_claim_sums_add(struct vbr_claim_sums *s, uint32_t member,
				     const struct vbr_claim_cost *cost)
{
	s->sum = vbr_grow_zeroed(s->sum, &s->cap, ((size_t)member + 1) * VBR_NPERIODS,
				 sizeof *s->sum);
	struct vbr_claim_sum *x = &s->sum[(size_t)member * VBR_NPERIODS + (size_t)cost->period];
	if (vbr_add_cents(x->allowed, cost->allowed, &x->allowed) ||
	    vbr_add_cents(x->paid, cost->paid, &x->paid))
		return 1;
	x->claims++;
	s->summed++;
	return 0;
}

static inline void vbr_claim_sums_ahead(const struct vbr_claim_sums *s, uint32_t member)
{
	size_t i = (size_t)member * VBR_NPERIODS;
	if (i + VBR_NPERIODS > s->cap)
		return;                 /* grown when the member's line comes */
	__builtin_prefetch(&s->sum[i]);
	__builtin_prefetch((const char *)&s->sum[i + VBR_NPERIODS] - 1);
}

#endif
