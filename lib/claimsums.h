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
 *   vbr_claim_sums_record(s, member)  the member's record, grown to hold
 *                       it: s->lead bytes of the caller's (zeroed at first),
 *                       then the sums
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
#include "prefetch.h"
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

/* Every member's claim sums: one record per member, its `lead` bytes
 * (the caller's: zero, or 16 with attribute --claim-sums, whose list heads
 * then share the sums' cache line) before the member's sum per period. */
struct vbr_claim_sums {
	char *rec;              /* a mapped table (error.h): records start on lines */
	size_t lead;            /* set before the first line: 0 or 16 */
	size_t cap;             /* members the table holds */
	uint64_t summed;        /* lines */
	uint32_t members;       /* with a line summed (counted as written) */
	uint64_t rows;          /* written */
};

/* Bytes per member: 48 (cap-large-claims), or 64 with 16 of the caller's,
 * one cache line. */
static inline size_t vbr_claim_sums_size(const struct vbr_claim_sums *s)
{
	return s->lead + VBR_NPERIODS * sizeof(struct vbr_claim_sum);
}

/* A member's sums, one per period (the table holds the member). */
static inline struct vbr_claim_sum *vbr_claim_sums_of(const struct vbr_claim_sums *s,
						       uint32_t member)
{
	return (struct vbr_claim_sum *)(s->rec + (size_t)member * vbr_claim_sums_size(s) + s->lead);
}

/* A member's record (its lead bytes first), the table grown to hold it. */
static inline char *vbr_claim_sums_record(struct vbr_claim_sums *s, uint32_t member)
{
	size_t size = vbr_claim_sums_size(s);
	s->rec = vbr_grow_mapped(s->rec, &s->cap, (size_t)member + 1, size);
	return s->rec + (size_t)member * size;
}

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
	vbr_claim_sums_record(s, member);
	struct vbr_claim_sum *x = vbr_claim_sums_of(s, member) + cost->period;
	if (vbr_add_cents(x->allowed, cost->allowed, &x->allowed) ||
	    vbr_add_cents(x->paid, cost->paid, &x->paid))
		return 1;
	x->claims++;
	s->summed++;
	return 0;
}

static inline void vbr_claim_sums_ahead(const struct vbr_claim_sums *s, uint32_t member)
{
	if (member >= s->cap)
		return;                 /* grown when the member's line comes */
	size_t size = vbr_claim_sums_size(s);
	const char *r = s->rec + (size_t)member * size;
	vbr_prefetch(r);
	vbr_prefetch(r + size - 1);       /* the same line when size is 64 */
}

#endif
