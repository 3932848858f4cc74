/*
 * capstats.h — what the large-claim cap did, from cap-large-claims' member
 * cost rows (cap-large-claims(1)): per org and period the members, the
 * allowed and paid (before completion), the raw (completed) and the capped
 * cost, the excess removed and the members capped; per
 * period the threshold (the capped members' cost: one value, or a range
 * when thresholds differ by enrollment type); and per org the members of
 * the measurement period with the largest raw cost. report(1) shows them.
 *
 *   vbr_capstats_load(c, path, top)   read the rows (strict: a bad one is
 *                                     65 with its place); keep `top`
 *                                     claimants per org
 *   vbr_capstats_org(c, org)          the org's figures, or NULL
 *   vbr_capstats_free(c)
 * Memory: the orgs and `top` members each; the rows are streamed.
 */
#ifndef VBR_CAPSTATS_H
#define VBR_CAPSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "period.h"

struct vbr_claimant {
	char *member;
	int64_t raw, cost;           /* cents */
};

struct vbr_capstats_org {
	int64_t members[VBR_NPERIODS], raw[VBR_NPERIODS], cost[VBR_NPERIODS],
		excess[VBR_NPERIODS], capped[VBR_NPERIODS];
	int64_t allowed[VBR_NPERIODS], paid[VBR_NPERIODS];   /* before completion */
	struct vbr_claimant *top;    /* measurement period, largest raw cost first */
	size_t ntop;
};

struct vbr_capstats {
	struct vbr_intern orgs;
	struct vbr_capstats_org *org;
	size_t cap, top;
	int has_raw;                 /* the rows carry raw_cost and excess */
	int64_t threshold_lo[VBR_NPERIODS], threshold_hi[VBR_NPERIODS];   /* -1: none capped */
};

void vbr_capstats_load(struct vbr_capstats *c, const char *path, size_t top);
const struct vbr_capstats_org *vbr_capstats_org(const struct vbr_capstats *c, const char *org);
void vbr_capstats_free(struct vbr_capstats *c);

#endif
