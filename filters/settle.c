/*
 * settle — the settlement of each org (settle(1)): the measurement
 * period's actual cost against the target, the savings threshold, quality,
 * sharing or loss rate, payment reduction, caps, forgiveness and care
 * management fees, one row per org and a programme total row (org_id *).
 * The contract arithmetic itself is lib/contract.c, which simulate uses
 * too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "columns.h"
#include "contract.h"
#include "costs.h"
#include "error.h"
#include "intern.h"
#include "money.h"
#include "orgfiles.h"
#include "period.h"
#include "reader.h"
#include "value.h"
#include "writer.h"

struct options {
	struct vbr_cli cli;
	const char *target, *quality;
	int total;
};

static const struct vbr_option options[] = {
	VBR_ORG_FILES_OPTIONS(struct options),
	VBR_OPT(struct options, total, "total", 0, VBR_ARG_FLAG, NULL,
		"end with the programme row (org_id *): the sum over the orgs"),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "settle",
	.about = "Settle each org: the measurement period's actual cost against its target, "
		 "under the contract terms.",
	.operands = "costs ...",
	.operands_help = "measurement-period cost rows (cap-large-claims(1)); none or -: "
			 "standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_ORG_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
};

struct state {
	struct options *opt;
	struct vbr_costs costs;
	struct vbr_org_files side;   /* targets and quality scores */
};

/* One row of the settlement: every figure of the contract, in the units
 * the column table below writes (cents; rates in 10^-6 or 10^-12). */
struct row {
	struct vbr_text org;
	int64_t members, member_months, target_pmpm, actual_pmpm, target_total, actual_total,
		gross_savings, savings_rate, msr, mlr, threshold_met, sharing_rate, quality_score,
		final_sharing_rate, loss_rate, shared_before_cap, cap, shared, care_mgmt_fee,
		net_settlement, generated_savings, met_quality_standard, shared_before_reduction,
		payment_reduction, premium;
};

enum { WITH_PREMIUM = 1 };     /* the cost rows carry premium */

/* settle(1) OUTPUT: the header, each org's row and the programme row (the
 * sum of the columns marked .sum; the rest are derived or empty). */
#define COL(kind, ...) VBR_COL_##kind(struct row, __VA_ARGS__)
static const struct vbr_column columns[] = {
	VBR_COL_ID(struct row, org, "org_id"),
	COL(COUNT, members, "members", .sum = 1),
	COL(COUNT, member_months, "member_months", .sum = 1),
	COL(CENTS, target_pmpm, "target_pmpm"),
	COL(CENTS, actual_pmpm, "actual_pmpm"),
	COL(CENTS, target_total, "target_total", .sum = 1),
	COL(CENTS, actual_total, "actual_total", .sum = 1),
	COL(CENTS, gross_savings, "gross_savings", .sum = 1),
	COL(FIXED, savings_rate, "savings_rate", 6, 6),
	COL(FIXED, msr, "msr", 6, 6),
	COL(FIXED, mlr, "mlr", 6, 6),
	COL(FLAG, threshold_met, "threshold_met"),
	COL(FIXED, sharing_rate, "sharing_rate", 6, 6),
	COL(FIXED, quality_score, "quality_score", 6, 6),
	COL(FIXED, final_sharing_rate, "final_sharing_rate", 12, 6),
	COL(FIXED, loss_rate, "loss_rate", 12, 6),
	COL(CENTS, shared_before_cap, "shared_before_cap", .sum = 1),
	COL(CENTS, cap, "cap"),
	COL(CENTS, shared, "shared", .sum = 1),
	COL(CENTS, care_mgmt_fee, "care_mgmt_fee", .sum = 1),
	COL(CENTS, net_settlement, "net_settlement", .sum = 1),
	COL(CENTS, generated_savings, "generated_savings", .sum = 1),
	COL(FLAG, met_quality_standard, "met_quality_standard"),
	COL(CENTS, shared_before_reduction, "shared_before_reduction", .sum = 1),
	COL(CENTS, payment_reduction, "payment_reduction", .sum = 1),
	COL(CENTS, premium, "premium", .when = WITH_PREMIUM, .sum = 1),
	{.name = NULL},
};

/* A threshold fraction as a rate in millionths. */
static int64_t threshold_rate(const struct vbr_threshold *t)
{
	return vbr_div_round((__int128)t->num * VBR_MILLION, t->den);
}

/* Look up the org's target and quality and settle it into its row. */
static void settle_org(struct state *s, uint32_t id, struct row *row)
{
	const struct vbr_org_total *m = vbr_costs_of(&s->costs, VBR_MEASURE, id);
	size_t n;
	const char *p = vbr_intern_str(&s->costs.orgs, id, &n);
	char org[256];
	snprintf(org, sizeof org, "%.*s", (int)n, p);
	struct vbr_contract c;
	vbr_contract_load(&c, &s->opt->cli.terms, org);

	struct vbr_org_target *t = vbr_target_of(&s->side.targets, p, n);
	if (!t)
		vbr_die(EX_DATAERR, "org '%s' has measurement costs but no target in %s", org,
			s->opt->target);
	struct vbr_settle_in in = {.members = m->members, .member_months = m->member_months,
				   .actual_total = m->cost, .met = -1};
	struct vbr_population whole = {m->member_months, m->premium, s->costs.has_premium};
	in.target_total = vbr_target_total(t, c.loss_ratio, &whole, &whole, org, s->opt->target);
	if (in.target_total <= 0 || m->member_months <= 0)
		vbr_die(EX_DATAERR, "org '%s': target total %s%.2f over %lld member months: "
			"nothing to measure savings against", org, in.target_total < 0 ? "-" : "",
			(double)(in.target_total < 0 ? -in.target_total : in.target_total) / 100,
			(long long)m->member_months);

	const struct vbr_org_quality *q = vbr_quality_for(&s->side.quality, &c,
							  &s->opt->cli.terms, org);
	if (q) {
		in.has_quality = 1;
		in.quality = q->score;
		in.met = q->met;
	}

	struct vbr_settlement r;
	const char *over = vbr_settle_org(&c, &in, &r);
	if (over)
		vbr_die(EX_DATAERR, "org '%s': the %s overflows", org, over);
	*row = (struct row){
		.org = {p, n},
		.members = in.members,
		.member_months = in.member_months,
		.target_pmpm = t->has_pmpm && !t->has_total && !c.loss_ratio
			? t->pmpm : vbr_div_round(in.target_total, in.member_months),
		.actual_pmpm = vbr_div_round(in.actual_total, in.member_months),
		.target_total = in.target_total,
		.actual_total = in.actual_total,
		.gross_savings = r.gross,
		.savings_rate = vbr_div_round((__int128)r.gross * VBR_MILLION, in.target_total),
		.msr = threshold_rate(&r.msr),
		.mlr = threshold_rate(&r.mlr),
		.threshold_met = r.threshold_met,
		.sharing_rate = c.sharing_rate,
		.quality_score = in.has_quality ? in.quality : VBR_EMPTY,
		.final_sharing_rate = r.final_sharing_rate,
		.loss_rate = c.two_sided ? r.loss_rate : VBR_EMPTY,
		.shared_before_cap = r.shared_before_cap,
		.cap = r.has_cap ? r.cap : VBR_EMPTY,
		.shared = r.shared,
		.care_mgmt_fee = r.fee,
		.net_settlement = r.net,
		.generated_savings = r.generated,
		.met_quality_standard = r.met_quality,
		.shared_before_reduction = r.shared_before_reduction,
		.payment_reduction = r.payment_reduction,
		.premium = m->premium,
	};
}

/* The programme row's PMPMs and savings rate, from its sums; rates that
 * are a property of one contract stay empty. */
static void finish_total(struct row *t)
{
	if (t->member_months > 0) {
		t->target_pmpm = vbr_div_round(t->target_total, t->member_months);
		t->actual_pmpm = vbr_div_round(t->actual_total, t->member_months);
	}
	if (t->target_total > 0)
		t->savings_rate = vbr_div_round((__int128)t->gross_savings * VBR_MILLION,
						t->target_total);
}

static void write_settlements(struct state *s, struct vbr_account *a)
{
	struct vbr_writer w;
	struct row row, total = {.org = {"*", 1}};
	vbr_columns_clear(columns, &total);
	unsigned mask = s->costs.has_premium ? WITH_PREMIUM : 0;
	uint32_t *order = vbr_intern_sorted(&s->costs.orgs);
	vbr_columns_stdout(&w, columns, mask);
	for (uint32_t j = 0; j < s->costs.orgs.count; j++)
		if (vbr_costs_of(&s->costs, VBR_MEASURE, order[j])) {
			settle_org(s, order[j], &row);
			vbr_columns_row(&w, columns, mask, &row);
			vbr_columns_sum(columns, mask, &total, &row, "programme");
			a->written++;
		}
	if (s->opt->total) {      /* the org rows stay a stream of orgs without it */
		finish_total(&total);
		vbr_columns_row(&w, columns, mask, &total);
	}
	vbr_writer_close(&w);
	free(order);
	int base = vbr_account_reason(a, "base-period rows");
	a->left[base].n = s->costs.rows[VBR_BASE];
	vbr_org_files_unmatched(&s->side, &s->opt->cli.terms, s->opt->cli.org_terms_file,
				&s->costs, a);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_account a;
	s->opt = o;
	vbr_org_files_load(&s->side, &o->cli.terms, o->target, o->quality);
	vbr_cli_account(&o->cli, &a, "settlements");
	vbr_costs_read(&s->costs, o->cli.operands, o->cli.noperands, &a);
	write_settlements(s, &a);
	int status = vbr_account_finish(&a, o->cli.verbose);
	vbr_costs_free(&s->costs);
	vbr_org_files_free(&s->side);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
