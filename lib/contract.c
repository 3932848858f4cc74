/*
 * contract.c — one org's settlement under the contract terms. See
 * contract.h; the order of the steps is the order the settle(1) man page
 * gives.
 */
#include "contract.h"

#include <string.h>

#include "error.h"
#include "money.h"

/*
 * The MSSP minimum savings rate by assigned beneficiaries (42 CFR 425.604),
 * in tenths of a percent at each band's ends, linear within the band with
 * the band's inclusive upper end as the far point. The three bands below
 * 5,000 are not in the regulation text; they are inferred from the 2018 ACO
 * public use file (settle(1) says how): 3,000–4,999 from the 14 Track 1 ACOs
 * of that size (every one matches 5.0%→3.9% to the file's 9 digits),
 * 500–999 from its one ACO with 605 beneficiaries (12.2%→8.7% gives its
 * 11.4635271%), and 1,000–2,999 joins those two bands' ends (8.7%→5.0%);
 * below 500 the rate is 12.2%.
 */
static const struct {
	int64_t lo, hi, from, to;
} mssp_band[] = {
	{500, 999, 122, 87},     {1000, 2999, 87, 50},    {3000, 4999, 50, 39},
	{5000, 5999, 39, 36},    {6000, 6999, 36, 34},    {7000, 7999, 34, 32},
	{8000, 8999, 32, 31},    {9000, 9999, 31, 30},    {10000, 14999, 30, 27},
	{15000, 19999, 27, 25},  {20000, 49999, 25, 22},  {50000, 59999, 22, 20},
};

void vbr_mssp_threshold(int64_t members, struct vbr_threshold *thr)
{
	thr->den = 1000;
	if (members < 500) {
		thr->num = 122;
		return;
	}
	for (size_t i = 0; i < LEN(mssp_band); i++)
		if (members <= mssp_band[i].hi) {
			int64_t w = mssp_band[i].hi - mssp_band[i].lo;
			thr->num = mssp_band[i].from * w -
				   (members - mssp_band[i].lo) * (mssp_band[i].from - mssp_band[i].to);
			thr->den = w * 1000;
			return;
		}
	thr->num = 20;
}

/* The value of a choice term (its default when not set). */
static int choice(const struct vbr_terms *t, const char *org, const char *name)
{
	int v = 0;
	vbr_term_choice(t, org, name, &v);
	return v;
}

/* A threshold term: "mssp" or a rate. */
static void threshold_term(const struct vbr_terms *t, const char *org, const char *name,
			   int *mssp, int64_t *rate)
{
	*mssp = choice(t, org, name) == VBR_THRESHOLD_MSSP;
	if (!*mssp)
		vbr_term_rate(t, org, name, rate);
}

/* Ranges were checked as the terms were read (term_defs.c); what is left
 * are the combinations of terms that contradict each other. */
void vbr_contract_load(struct vbr_contract *c, const struct vbr_terms *t, const char *org)
{
	const char *o1 = org ? " (org '" : "", *o2 = org ? org : "", *o3 = org ? "')" : "";
	memset(c, 0, sizeof *c);
	c->two_sided = choice(t, org, "risk") == VBR_TWO_SIDED;
	c->net_threshold = choice(t, org, "threshold_mode") == VBR_NET;
	c->loss_ratio = choice(t, org, "target_method") == VBR_TARGET_LOSS_RATIO;
	threshold_term(t, org, "msr", &c->msr_mssp, &c->msr);
	if (vbr_term(t, org, "mlr")) {
		threshold_term(t, org, "mlr", &c->mlr_mssp, &c->mlr);
	} else if (c->two_sided && c->msr_mssp) {
		vbr_die(EX_USAGE, "terms%s%s%s: 'msr' is 'mssp' and 'risk' is 'two_sided' but "
			"'mlr' is not given: a two-sided contract names its minimum loss rate "
			"(mlr = mssp for the symmetric MSSP scale)", o1, o2, o3);
	} else {
		/* symmetric: losses are measured against the savings threshold */
		c->mlr_mssp = c->msr_mssp;
		c->mlr = c->msr;
	}
	vbr_term_rate(t, org, "sharing_rate", &c->sharing_rate);
	c->quality_mode = (enum vbr_quality_mode)choice(t, org, "quality_mode");
	vbr_term_rate(t, org, "quality_min", &c->quality_min);
	c->loss_fixed = vbr_term(t, org, "loss_rate") &&
			choice(t, org, "loss_rate") != VBR_LOSS_QUALITY_LINKED;
	if (c->loss_fixed)
		vbr_term_rate(t, org, "loss_rate", &c->loss_rate);
	vbr_term_rate(t, org, "loss_rate_min", &c->loss_rate_min);
	vbr_term_rate(t, org, "loss_rate_max", &c->loss_rate_max);
	if (c->loss_rate_min > c->loss_rate_max)
		vbr_die(EX_USAGE, "terms%s%s%s: 'loss_rate_min' %s is above 'loss_rate_max' %s",
			o1, o2, o3, vbr_term(t, org, "loss_rate_min"), vbr_term(t, org, "loss_rate_max"));
	vbr_term_rate(t, org, "payment_reduction", &c->payment_reduction);
	c->has_savings_cap = vbr_term_rate(t, org, "savings_cap", &c->savings_cap);
	c->has_loss_cap = vbr_term_rate(t, org, "loss_cap", &c->loss_cap);
	c->has_loss_cap_revenue = vbr_term_rate(t, org, "loss_cap_revenue", &c->loss_cap_revenue);
	if (c->has_loss_cap_revenue && !vbr_term_amount(t, org, "revenue", &c->revenue))
		vbr_die(EX_USAGE, "terms%s%s%s: 'loss_cap_revenue' is given but the org's 'revenue' "
			"is not (give it in --org-terms)", o1, o2, o3);
	vbr_term_rate(t, org, "loss_forgiveness", &c->loss_forgiveness);
	vbr_term_amount(t, org, "loss_forgiveness_amount", &c->loss_forgiveness_amount);
	vbr_term_amount(t, org, "care_mgmt_fee_pmpm", &c->fee_pmpm);
	c->fee_contingent = choice(t, org, "care_mgmt_fee_basis") == VBR_FEE_CONTINGENT;
	vbr_term_flag(t, org, "care_mgmt_fee_quality_gate", &c->fee_quality_gate);
	vbr_term_flag(t, org, "care_mgmt_fee_offset", &c->fee_offset);
}

void vbr_contract_check_all(const struct vbr_terms *t)
{
	struct vbr_contract c;
	vbr_contract_load(&c, t, NULL);
	for (int i = 0; i < t->norgs; i++)
		vbr_contract_load(&c, t, t->org[i]);
}

static void fixed_threshold(int mssp, int64_t rate, int64_t members, struct vbr_threshold *thr)
{
	if (mssp) {
		vbr_mssp_threshold(members, thr);
	} else {
		thr->num = rate;
		thr->den = VBR_MILLION;
	}
}

/* Does |gross| reach thr × target? Exact: |A| × den ≥ num × T. */
static int reaches(int64_t gross, const struct vbr_threshold *thr, int64_t target)
{
	__int128 a = gross < 0 ? -(__int128)gross : gross;
	return a * thr->den >= (__int128)thr->num * target;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The loss rate in 10^-12: the highest when the quality standard is not
 * met, the fixed rate, or 1 − the quality-adjusted sharing rate within the
 * bounds. */
static int64_t loss_rate_of(const struct vbr_contract *c, int met, int64_t adjusted)
{
	const int64_t M = VBR_MILLION;
	if (!met)
		return c->loss_rate_max * M;
	if (c->loss_fixed)
		return c->loss_rate * M;
	return min64(max64(M * M - adjusted, c->loss_rate_min * M), c->loss_rate_max * M);
}

/* The shared loss (negative) after the loss caps and forgiveness. */
static void share_losses(const struct vbr_contract *c, const struct vbr_settle_in *in,
			 struct vbr_settlement *out)
{
	const int64_t M = VBR_MILLION;
	out->shared_before_cap = vbr_div_round((__int128)out->generated * out->loss_rate, M * M);
	out->shared_before_reduction = out->shared_before_cap;   /* losses are not reduced */
	int64_t shared = out->shared_before_cap;
	if (c->has_loss_cap) {
		out->cap = vbr_div_round((__int128)c->loss_cap * in->target_total, M);
		out->has_cap = 1;
	}
	if (c->has_loss_cap_revenue) {
		int64_t rc = vbr_div_round((__int128)c->loss_cap_revenue * c->revenue, M);
		out->cap = out->has_cap ? min64(out->cap, rc) : rc;
		out->has_cap = 1;
	}
	if (out->has_cap)
		shared = max64(shared, -out->cap);
	shared = vbr_div_round((__int128)shared * (M - c->loss_forgiveness), M);
	out->shared = min64(shared + c->loss_forgiveness_amount, 0);
}

/* One org's settlement under contract c (contract.h): NULL, or the
 * quantity that does not fit in int64 cents, for the caller to name with
 * its org (bad data, 65). */
const char *vbr_settle_org(const struct vbr_contract *c, const struct vbr_settle_in *in,
			   struct vbr_settlement *out)
{
	const int64_t M = VBR_MILLION;
	int64_t T = in->target_total, A;
	memset(out, 0, sizeof *out);
	if (__builtin_sub_overflow(T, in->actual_total, &A))
		return "gross savings";
	out->gross = A;
	fixed_threshold(c->msr_mssp, c->msr, in->members, &out->msr);
	fixed_threshold(c->mlr_mssp, c->mlr, in->members, &out->mlr);

	/* quality: the standard (file flag, or quality_min under gate), the
	 * quality-adjusted sharing rate, and the final sharing rate */
	int64_t C = in->has_quality ? in->quality : M;
	int met = in->met >= 0 ? in->met : 1;
	if (c->quality_mode == VBR_Q_GATE && in->met < 0)
		met = C >= c->quality_min;
	out->met_quality = met;
	int scaled = c->quality_mode == VBR_Q_SEED || c->quality_mode == VBR_Q_MULTIPLY;
	int64_t adjusted = c->sharing_rate * (scaled ? C : M);
	int earns = met && (c->quality_mode == VBR_Q_NONE || C >= c->quality_min);
	out->final_sharing_rate = earns ? adjusted : 0;
	out->loss_rate = c->two_sided ? loss_rate_of(c, met, adjusted) : 0;

	/* threshold: savings against msr, losses against mlr */
	int side = 0;
	if (A > 0 && reaches(A, &out->msr, T))
		side = 1;
	else if (A < 0 && reaches(A, &out->mlr, T))
		side = -1;
	out->threshold_met = side != 0;
	out->generated = side ? A : 0;
	if (side && c->net_threshold) {
		const struct vbr_threshold *thr = side > 0 ? &out->msr : &out->mlr;
		out->generated -= side * vbr_div_round((__int128)thr->num * T, thr->den);
	}

	/* care management fee */
	if (__builtin_mul_overflow(c->fee_pmpm, in->member_months, &out->fee))
		return "care management fee";
	if (c->fee_quality_gate && !(met && C >= c->quality_min))
		out->fee = 0;
	if (c->fee_contingent)
		out->fee = min64(out->fee, max64(A, 0));

	if (out->generated > 0) {
		int64_t sharable = out->generated;
		if (c->fee_offset)
			sharable = max64(sharable - out->fee, 0);
		/* one rounding: sharable × final rate × (1 − payment reduction);
		 * the reduction shown is the difference from the unreduced share */
		__int128 num = (__int128)sharable * out->final_sharing_rate;
		out->shared_before_cap = vbr_div_round(num * (M - c->payment_reduction),
						       (__int128)M * M * M);
		out->shared_before_reduction = vbr_div_round(num, (__int128)M * M);
		out->payment_reduction = out->shared_before_reduction - out->shared_before_cap;
		out->shared = out->shared_before_cap;
		if (c->has_savings_cap) {
			out->has_cap = 1;
			out->cap = vbr_div_round((__int128)c->savings_cap * T, M);
			out->shared = min64(out->shared, out->cap);
		}
	} else if (out->generated < 0 && c->two_sided) {
		share_losses(c, in, out);
	}
	if (__builtin_add_overflow(out->shared, out->fee, &out->net))
		return "net settlement";
	return NULL;
}
