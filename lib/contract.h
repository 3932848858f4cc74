/*
 * contract.h — the contract arithmetic of one org's settlement (settle(1)):
 * threshold, quality, sharing and loss rates, payment reduction, caps,
 * forgiveness and care management fees. settle and simulate both call
 * vbr_settle_org, so there is one implementation of the contract.
 *
 * Everything is exact integer arithmetic: money in cents, rates in
 * millionths, products of two rates in 10^-12, and each money result is
 * rounded once, half away from zero. A threshold is a fraction num/den so
 * that the MSSP sliding scale is compared exactly too.
 *
 *   vbr_contract_load(c, terms, org)   the org's terms; dies 64 on a bad or
 *                                      conflicting combination
 *   vbr_contract_check_all(terms)      load the default and every org's
 *                                      terms once, so a bad one stops the
 *                                      tool before any data is read
 *   vbr_mssp_threshold(members, &thr)  the MSSP minimum savings rate scale
 *   vbr_settle_org(c, in, out)         one org's settlement; NULL, or the
 *                                      quantity that does not fit in int64
 *                                      cents ("gross savings", "care
 *                                      management fee", "net settlement")
 */
#ifndef VBR_CONTRACT_H
#define VBR_CONTRACT_H

#include <stdint.h>

#include "money.h"
#include "terms.h"

/* A threshold rate as an exact fraction. */
struct vbr_threshold {
	int64_t num, den;
};

struct vbr_contract {
	int two_sided, net_threshold, loss_ratio;
	int msr_mssp, mlr_mssp;            /* thresholds from the member count */
	int64_t msr, mlr;                  /* millionths, when fixed */
	int64_t sharing_rate;              /* B, millionths */
	enum vbr_quality_mode quality_mode;
	int64_t quality_min;
	int loss_fixed;                    /* loss_rate is a number */
	int64_t loss_rate, loss_rate_min, loss_rate_max;
	int64_t payment_reduction;
	int has_savings_cap, has_loss_cap, has_loss_cap_revenue;
	int64_t savings_cap, loss_cap, loss_cap_revenue, revenue;
	int64_t loss_forgiveness, loss_forgiveness_amount;
	int64_t fee_pmpm;
	int fee_contingent, fee_quality_gate, fee_offset;
};

struct vbr_settle_in {
	int64_t members, member_months;
	int64_t target_total, actual_total;    /* cents */
	int has_quality;
	int64_t quality;                       /* millionths */
	int met;                               /* -1 not given, 0 N, 1 Y */
};

struct vbr_settlement {
	int64_t gross;                 /* A = target − actual, cents */
	struct vbr_threshold msr, mlr;
	int threshold_met;
	int64_t generated;             /* the part of A the sharing applies to */
	int met_quality;
	int64_t final_sharing_rate;    /* 10^-12 */
	int64_t loss_rate;             /* 10^-12; 0 when losses are not shared */
	int64_t shared_before_reduction;   /* savings × final rate, before the reduction */
	int64_t payment_reduction;     /* the part of it the payment reduction takes */
	int64_t shared_before_cap;     /* after payment reduction */
	int has_cap;
	int64_t cap;                   /* the binding cap, cents (≥ 0) */
	int64_t shared;                /* earned savings, negative for losses */
	int64_t fee;                   /* care management fee paid */
	int64_t net;                   /* shared + fee */
};

void vbr_contract_load(struct vbr_contract *c, const struct vbr_terms *t, const char *org);
void vbr_contract_check_all(const struct vbr_terms *t);
void vbr_mssp_threshold(int64_t members, struct vbr_threshold *thr);
const char *vbr_settle_org(const struct vbr_contract *c, const struct vbr_settle_in *in,
			   struct vbr_settlement *out);

#endif
