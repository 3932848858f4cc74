/* Unit tests: the contract arithmetic (lib/contract.c) with hand-computed
 * values: the MSSP scale at band edges and the order of the savings and
 * loss steps. */
#include <criterion/criterion.h>
#include <string.h>

#include "contract.h"

/* thr as millionths, rounded half away from zero */
static int64_t millionths(const struct vbr_threshold *t)
{
	__int128 n = (__int128)t->num * 1000000 * 2 + t->den;
	return (int64_t)(n / (2 * (__int128)t->den));
}

Test(contract, mssp_scale_band_edges)
{
	struct vbr_threshold t;
	/* first count of a band is its first rate, the last count its last */
	int64_t members[] = {5000, 5999, 6000, 9139, 38660, 49999, 50000, 59999, 60000, 4976, 605, 100};
	/* 9,139: 3.1 − 139/999 × 0.1 = 3.0860861%; 38,660: 2.5 − 18660/29999 ×
	 * 0.3 = 2.3133938%; 4,976: 5.0 − 1976/1999 × 1.1 = 3.9126563%;
	 * 605: 12.2 − 105/499 × 3.5 = 11.4635271% (the 2018 PUF's values) */
	int64_t want[] = {39000, 36000, 36000, 30861, 23134, 22000, 22000, 20000, 20000, 39127, 114635, 122000};
	for (size_t i = 0; i < LEN(members); i++) {
		vbr_mssp_threshold(members[i], &t);
		cr_assert_eq(millionths(&t), want[i], "%lld members: %lld", (long long)members[i],
			     (long long)millionths(&t));
	}
}

static struct vbr_contract base_contract(void)
{
	struct vbr_contract c;
	memset(&c, 0, sizeof c);
	c.sharing_rate = 500000;
	c.loss_rate_max = 1000000;
	return c;
}

Test(contract, savings_reduction_then_cap)
{
	struct vbr_contract c = base_contract();
	c.payment_reduction = 20000;
	c.has_savings_cap = 1;
	c.savings_cap = 100000;
	struct vbr_settle_in in = {.members = 1, .member_months = 12, .target_total = 100000000,
				   .actual_total = 70000000, .met = -1};
	struct vbr_settlement r;
	vbr_settle_org(&c, &in, &r);
	/* A = $300,000; × 50% × 98% = $147,000 before the cap; cap 10% of
	 * $1,000,000 = $100,000 */
	cr_assert_eq(r.gross, 30000000);
	cr_assert_eq(r.shared_before_cap, 14700000);
	cr_assert_eq(r.cap, 10000000);
	cr_assert_eq(r.shared, 10000000);
	cr_assert_eq(r.net, 10000000);
}

Test(contract, losses_cap_then_forgiveness)
{
	struct vbr_contract c = base_contract();
	c.two_sided = 1;
	c.loss_rate_min = 400000;
	c.loss_rate_max = 750000;
	c.sharing_rate = 750000;
	c.quality_mode = VBR_Q_MULTIPLY;
	c.has_loss_cap = 1;
	c.loss_cap = 50000;
	c.loss_forgiveness = 100000;
	struct vbr_settle_in in = {.members = 1, .member_months = 12, .target_total = 100000000,
				   .actual_total = 120000000, .has_quality = 1, .quality = 200000,
				   .met = -1};
	struct vbr_settlement r;
	vbr_settle_org(&c, &in, &r);
	/* loss rate 1 − 0.75 × 0.2 = 0.85 → max 0.75; ($200,000) × 0.75 =
	 * ($150,000); cap 5% = $50,000; 10% forgiven: ($45,000) */
	cr_assert_eq(r.loss_rate, 750000000000LL);
	cr_assert_eq(r.shared_before_cap, -15000000);
	cr_assert_eq(r.shared, -4500000);
}
