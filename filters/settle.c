/*
 * settle — the settlement of each org (SPEC §7 settle): the measurement
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
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, target, "target", 0, VBR_ARG_TEXT, "FILE",
		"the targets: org_id and target_pmpm, target_total or target_loss_ratio "
		"(target(1) output)", .flags = VBR_REQUIRED),
	VBR_OPT(struct options, quality, "quality", 0, VBR_ARG_TEXT, "FILE",
		"quality scores: org_id, quality_score in [0, 1], optional "
		"met_quality_standard"),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "settle",
	.synopsis =
	"settle --target FILE [--quality FILE] [--terms FILE] [--org-terms FILE]\n"
	"              [--set NAME=VALUE] [--rejects FILE] [--max-rejects N] [-v]\n"
	"              [costs ...]\n",
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
	struct vbr_targets targets;
	struct vbr_qualities quality;
};

/* A rate held in 10^-scale, shown to the millionth. */
static void tab_rate(struct vbr_writer *w, int64_t v, int scale)
{
	vbr_put_tab_fixed(w, v, scale, 6);
}

static void tab_threshold(struct vbr_writer *w, const struct vbr_threshold *t)
{
	tab_rate(w, vbr_div_round((__int128)t->num * VBR_MILLION, t->den), 6);
}

static void tab_flag(struct vbr_writer *w, int y)
{
	vbr_puts(w, y ? "\tY" : "\tN");
}

struct totals {
	int64_t members, months, target, actual, gross, before_cap, shared, fee, net, generated,
		premium;
};

static const char header[] =
	"org_id\tmembers\tmember_months\ttarget_pmpm\tactual_pmpm\ttarget_total\t"
	"actual_total\tgross_savings\tsavings_rate\tmsr\tmlr\tthreshold_met\tsharing_rate\t"
	"quality_score\tfinal_sharing_rate\tloss_rate\tshared_before_cap\tcap\tshared\t"
	"care_mgmt_fee\tnet_settlement\tgenerated_savings\tmet_quality_standard";

/* Look up the org's target and quality, settle it, write its row. */
static void settle_org(struct state *s, struct vbr_writer *w, uint32_t id, struct totals *sum)
{
	const struct vbr_org_total *m = vbr_costs_of(&s->costs, VBR_MEASURE, id);
	size_t n;
	const char *p = vbr_intern_str(&s->costs.orgs, id, &n);
	char org[256];
	snprintf(org, sizeof org, "%.*s", (int)n, p);
	struct vbr_contract c;
	vbr_contract_load(&c, &s->opt->cli.terms, org);

	struct vbr_org_target *t = vbr_target_of(&s->targets, p, n);
	if (!t)
		vbr_die(EX_DATAERR, "org '%s' has measurement costs but no target in %s", org,
			s->opt->target);
	t->used = 1;
	struct vbr_settle_in in = {.members = m->members, .member_months = m->member_months,
				   .actual_total = m->cost, .met = -1};
	if (t->has_total) {
		in.target_total = t->total;
	} else if (c.loss_ratio) {
		if (!t->has_ratio)
			vbr_die(EX_DATAERR, "%s: org '%s' has no target_loss_ratio (target_method is "
				"loss_ratio)", s->opt->target, org);
		if (!s->costs.has_premium)
			vbr_die(EX_DATAERR, "target_method is loss_ratio but the cost rows have no "
				"'premium' column");
		in.target_total = vbr_div_round((__int128)t->ratio * m->premium, VBR_MILLION);
	} else {
		if (!t->has_pmpm)
			vbr_die(EX_DATAERR, "%s: org '%s' has no target_pmpm", s->opt->target, org);
		in.target_total = t->pmpm * m->member_months;
	}
	if (in.target_total <= 0 || m->member_months <= 0)
		vbr_die(EX_DATAERR, "org '%s': target total %s%.2f over %lld member months: "
			"nothing to measure savings against", org, in.target_total < 0 ? "-" : "",
			(double)(in.target_total < 0 ? -in.target_total : in.target_total) / 100,
			(long long)m->member_months);

	const struct vbr_org_quality *q = c.quality_mode != VBR_Q_NONE || c.fee_quality_gate
		? vbr_quality_needed(&s->quality, p, n, vbr_term(&s->opt->cli.terms, org, "quality_mode"))
		: vbr_quality_of(&s->quality, p, n);
	if (q) {
		in.has_quality = 1;
		in.quality = q->score;
		in.met = q->met;
	}

	struct vbr_settlement r;
	vbr_settle_org(&c, &in, &r);

	vbr_put(w, p, n);
	vbr_putc(w, '\t');
	vbr_put_int(w, in.members);
	vbr_putc(w, '\t');
	vbr_put_int(w, in.member_months);
	vbr_put_tab_cents(w, t->has_pmpm && !t->has_total && !c.loss_ratio
		     ? t->pmpm : vbr_div_round(in.target_total, in.member_months));
	vbr_put_tab_cents(w, vbr_div_round(in.actual_total, in.member_months));
	vbr_put_tab_cents(w, in.target_total);
	vbr_put_tab_cents(w, in.actual_total);
	vbr_put_tab_cents(w, r.gross);
	tab_rate(w, vbr_div_round((__int128)r.gross * VBR_MILLION, in.target_total), 6);
	tab_threshold(w, &r.msr);
	tab_threshold(w, &r.mlr);
	tab_flag(w, r.threshold_met);
	tab_rate(w, c.sharing_rate, 6);
	if (in.has_quality)
		tab_rate(w, in.quality, 6);
	else
		vbr_putc(w, '\t');
	tab_rate(w, r.final_sharing_rate, 12);
	if (c.two_sided)
		tab_rate(w, r.loss_rate, 12);
	else
		vbr_putc(w, '\t');
	vbr_put_tab_cents(w, r.shared_before_cap);
	if (r.has_cap)
		vbr_put_tab_cents(w, r.cap);
	else
		vbr_putc(w, '\t');
	vbr_put_tab_cents(w, r.shared);
	vbr_put_tab_cents(w, r.fee);
	vbr_put_tab_cents(w, r.net);
	vbr_put_tab_cents(w, r.generated);
	tab_flag(w, r.met_quality);
	if (s->costs.has_premium)
		vbr_put_tab_cents(w, m->premium);
	vbr_putc(w, '\n');

	sum->members += in.members;
	sum->months += in.member_months;
	sum->target += in.target_total;
	sum->actual += in.actual_total;
	sum->gross += r.gross;
	sum->before_cap += r.shared_before_cap;
	sum->shared += r.shared;
	sum->fee += r.fee;
	sum->net += r.net;
	sum->generated += r.generated;
	sum->premium += m->premium;
}

/* The programme total row: sums of the money columns; rates that are a
 * property of one contract are left empty. */
static void write_total(const struct state *s, struct vbr_writer *w, const struct totals *t)
{
	vbr_putc(w, '*');
	vbr_putc(w, '\t');
	vbr_put_int(w, t->members);
	vbr_putc(w, '\t');
	vbr_put_int(w, t->months);
	if (t->months > 0) {
		vbr_put_tab_cents(w, vbr_div_round(t->target, t->months));
		vbr_put_tab_cents(w, vbr_div_round(t->actual, t->months));
	} else {
		vbr_puts(w, "\t\t");
	}
	vbr_put_tab_cents(w, t->target);
	vbr_put_tab_cents(w, t->actual);
	vbr_put_tab_cents(w, t->gross);
	if (t->target > 0)
		tab_rate(w, vbr_div_round((__int128)t->gross * VBR_MILLION, t->target), 6);
	else
		vbr_putc(w, '\t');
	vbr_puts(w, "\t\t\t\t\t\t\t");        /* msr … loss_rate: 7 empty */
	vbr_put_tab_cents(w, t->before_cap);
	vbr_putc(w, '\t');                     /* cap */
	vbr_put_tab_cents(w, t->shared);
	vbr_put_tab_cents(w, t->fee);
	vbr_put_tab_cents(w, t->net);
	vbr_put_tab_cents(w, t->generated);
	vbr_putc(w, '\t');
	if (s->costs.has_premium)
		vbr_put_tab_cents(w, t->premium);
	vbr_putc(w, '\n');
}

static void write_settlements(struct state *s, struct vbr_account *a)
{
	struct vbr_writer w;
	struct totals sum = {0};
	uint32_t *order = vbr_intern_sorted(&s->costs.orgs);
	vbr_writer_fd(&w, 1, "(stdout)");
	vbr_puts(&w, header);
	if (s->costs.has_premium)
		vbr_puts(&w, "\tpremium");
	vbr_putc(&w, '\n');
	vbr_flush(&w);
	for (uint32_t j = 0; j < s->costs.orgs.count; j++)
		if (vbr_costs_of(&s->costs, VBR_MEASURE, order[j])) {
			settle_org(s, &w, order[j], &sum);
			a->written++;
		}
	write_total(s, &w, &sum);
	vbr_writer_close(&w);
	free(order);
	int base = vbr_account_reason(a, "base-period rows");
	a->left[base].n = s->costs.rows[VBR_BASE];
	int unused = vbr_account_reason(a, "targets without measurement costs");
	for (uint32_t i = 0; i < s->targets.orgs.count; i++)
		if (!s->targets.t[i].used)
			a->left[unused].n++;
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_account a;
	s->opt = o;
	vbr_contract_check_all(&o->cli.terms);   /* before any data is read */
	vbr_targets_load(&s->targets, o->target);
	if (o->quality)
		vbr_quality_load(&s->quality, o->quality);
	vbr_account_init(&a, o->cli.rejects, o->cli.max_rejects);
	a.written_label = "settlements";
	vbr_costs_read(&s->costs, o->cli.operands, o->cli.noperands, &a);
	write_settlements(s, &a);
	int status = vbr_account_finish(&a, o->cli.verbose);
	vbr_costs_free(&s->costs);
	vbr_targets_free(&s->targets);
	vbr_quality_free(&s->quality);
	free(s);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	vbr_cli_parse(&command, &o, &o.cli, argc, argv);
	int status = process(&o);
	vbr_cli_free(&o.cli);
	return status;
}
