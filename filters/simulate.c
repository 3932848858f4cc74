/*
 * simulate — the distribution of each org's settlement (simulate(1)):
 * a bootstrap over the org's members (resampled with replacement, as many
 * as it has) and optionally a Monte Carlo draw of the trend from
 * normal(trend, trend_sd), each iteration settled in full by the same code
 * as settle (lib/contract.c). Per org and for the programme: mean and
 * percentiles of the net settlement, the probabilities of shared savings
 * and of a shared loss, the expected settlement.
 *
 * The generator is xoshiro256** seeded per org from --seed and the org id
 * (lib/prng.c), so a seed gives the same numbers on every machine and an
 * org's draws do not depend on which other orgs are in the run. Orgs are
 * simulated in parallel (one thread per CPU) and written in id order, so
 * the output does not depend on the number of threads either.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#include "prefetch.h"
#include "prng.h"
#include "reader.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	const char *target, *quality, *draws, *sensitivity;
	int64_t iterations, seed;
	int total;
	struct vbr_strings variants;
};

static const struct vbr_option options[] = {
	VBR_ORG_FILES_OPTIONS(struct options),
	VBR_OPT(struct options, iterations, "iterations", 0, VBR_ARG_COUNT, "N",
		"bootstrap iterations per org", .deflt = "1000", .lo = 1, .hi = 10000000),
	VBR_OPT(struct options, seed, "seed", 0, VBR_ARG_COUNT, "S",
		"the generator's seed (xoshiro256**, mixed with each org id)",
		.deflt = "1", .lo = 1, .hi = INT64_MAX),
	VBR_OPT(struct options, draws, "draws", 0, VBR_ARG_TEXT, "FILE",
		"write every iteration (trend drawn, target, actual, shared, net) to FILE"),
	VBR_OPT(struct options, total, "total", 0, VBR_ARG_FLAG, NULL,
		"end each contract's rows with the programme row (org_id *): the "
		"distribution of the iterations' sums over the orgs"),
	VBR_OPT(struct options, variants, "variant", 0, VBR_ARG_LIST, "NAME=FILE",
		"also settle every draw under the terms in FILE (repeatable): rows of "
		"variant NAME, on the same draws as the base"),
	VBR_OPT(struct options, sensitivity, "sensitivity", 0, VBR_ARG_TEXT, "FILE",
		"move each contract term the terms set down and up by its step and write "
		"the change in the expected settlement to FILE, largest first"),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "simulate",
	.about = "The distribution of each org's settlement: a bootstrap over its "
		"members and Monte Carlo trend draws, each draw settled in full under "
		"the contract.",
	.operands = "costs ...",
	.operands_help = "measurement-period member cost rows (cap-large-claims(1)); none or -: "
		"standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_ORG_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
};

/* One org's members: cost (cents) and member months of each. */
/* One member as the bootstrap draws it: cost and months side by side, so
 * a random draw touches one cache line. */
struct drawn_member {
	int64_t cost;
	int64_t months;
};

struct org_members {
	struct drawn_member *member;  /* NULL once packed */
	int64_t *packed;             /* cost × 256 + months (pack_members), or NULL */
	int64_t *premium;            /* when the rows carry premium (loss-ratio) */
	size_t n, cap, pcap;
	int64_t total_months, total_premium;
};

struct variant;

struct state {
	struct options *opt;
	struct vbr_costs costs;      /* the org ids; sums unused */
	struct org_members *org;
	size_t org_cap;
	struct vbr_org_files side;   /* targets and quality scores */
	struct variant *variant;     /* [0] the base, then --variant, then --sensitivity */
	int nvariants, nreported;    /* all; those with rows (base and --variant) */
	int64_t *programme;          /* net per variant and iteration, all orgs */
	int64_t *programme_shared;   /* shared per variant and iteration, all orgs */
	struct vbr_writer draws;
};

/* Cost-row hook: a measurement member row joins its org's arrays. */
static void collect_member(void *ctx, struct vbr_reader *r, int period, uint32_t org,
			   int64_t mm, int64_t cost, int64_t premium)
{
	struct state *s = ctx;
	if (period != VBR_MEASURE)
		return;
	if (mm > INT32_MAX)
		vbr_die(EX_DATAERR, "%s: member months of 2^31 or more", vbr_reader_place(r));
	s->org = vbr_grow_zeroed(s->org, &s->org_cap, (size_t)org + 1, sizeof *s->org);
	struct org_members *m = &s->org[org];
	m->member = vbr_grow(m->member, &m->cap, m->n + 1, sizeof *m->member);
	m->member[m->n].cost = cost;
	m->member[m->n].months = mm;
	if (s->costs.has_premium) {
		m->premium = vbr_grow(m->premium, &m->pcap, m->n + 1, sizeof *m->premium);
		m->premium[m->n] = premium;
		m->total_premium += premium;     /* the org's sum in costs.c is checked */
	}
	m->n++;
	m->total_months += mm;
}

/* Measurement member rows into per-org arrays (lib/costs.c reads and checks
 * them); base rows are counted. */
static void read_members(struct state *s, struct vbr_account *a)
{
	s->costs.row = collect_member;
	s->costs.ctx = s;
	vbr_costs_read(&s->costs, s->opt->cli.operands, s->opt->cli.noperands, a);
	if (s->costs.has_members)
		vbr_die(EX_DATAERR, "%s: aggregate rows (column 'members'): the bootstrap "
			"resamples members and needs member rows",
			s->opt->cli.noperands ? s->opt->cli.operands[0] : "(stdin)");
	a->written = s->costs.rows[VBR_MEASURE];
	a->left[vbr_account_reason(a, "base-period rows")].n = s->costs.rows[VBR_BASE];
	vbr_org_files_unmatched(&s->side, &s->opt->cli.terms, s->opt->cli.org_terms_file,
				&s->costs, a);
}

/* FNV-1a of the org id, mixed into the seed: each org has its own stream. */
static uint64_t org_seed(uint64_t seed, const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return seed ^ h;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* ---- the contracts simulated -------------------------------------------
 * Variant 0 is the base (--terms). Each --variant NAME=FILE is a terms file
 * of its own, with --org-terms and --set applied over it as over the base.
 * --sensitivity adds, for each term of sens_terms[] that the base terms
 * give, the base with that term moved down and up by its step. Every
 * variant settles the same draws: the same resampled members and, where a
 * contract draws its trend, the same normal deviate (paired). */

enum sens_kind {
	S_SHARING, S_LOSS_RATE, S_LOSS_MIN, S_LOSS_MAX, S_MSR, S_MLR, S_SAVINGS_CAP,
	S_LOSS_CAP, S_PAYMENT_REDUCTION, S_TREND, S_RISK_DISCOUNT, S_FEE,
};

/* simulate(1) SENSITIVITY: the terms moved and their steps (rates in
 * millionths, the fee in cents). */
static const struct sens_term {
	const char *term;
	enum sens_kind kind;
	int64_t step;
} sens_terms[] = {
	{"sharing_rate", S_SHARING, 50000},
	{"loss_rate", S_LOSS_RATE, 50000},
	{"loss_rate_min", S_LOSS_MIN, 50000},
	{"loss_rate_max", S_LOSS_MAX, 50000},
	{"msr", S_MSR, 5000},
	{"mlr", S_MLR, 5000},
	{"savings_cap", S_SAVINGS_CAP, 10000},
	{"loss_cap", S_LOSS_CAP, 10000},
	{"payment_reduction", S_PAYMENT_REDUCTION, 10000},
	{"trend", S_TREND, 10000},
	{"risk_discount", S_RISK_DISCOUNT, 10000},
	{"care_mgmt_fee_pmpm", S_FEE, 100},
};

struct variant {
	char *name;
	struct vbr_terms *terms;         /* the base's, or its own */
	const struct sens_term *moved;   /* --sensitivity: the term moved */
	int dir;                         /* -1 down, +1 up */
};

/* v within [lo, hi]. */
static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Move the term of a sensitivity variant in an org's contract (or its
 * trend or risk discount); a term the org's contract does not use (an MSSP
 * scale, a loss rate of a one-sided contract) stays as it is. */
static void move_term(const struct sens_term *m, int dir, struct vbr_contract *c,
		      int64_t *trend, int64_t *risk_discount)
{
	int64_t d = dir * m->step;
	switch (m->kind) {
	case S_SHARING: c->sharing_rate = clamp(c->sharing_rate + d, 0, VBR_MILLION); break;
	case S_LOSS_RATE:
		if (c->loss_fixed)
			c->loss_rate = clamp(c->loss_rate + d, 0, VBR_MILLION);
		break;
	case S_LOSS_MIN: c->loss_rate_min = clamp(c->loss_rate_min + d, 0, c->loss_rate_max); break;
	case S_LOSS_MAX:
		c->loss_rate_max = clamp(c->loss_rate_max + d, c->loss_rate_min, VBR_MILLION);
		break;
	case S_MSR:
		if (!c->msr_mssp)
			c->msr = clamp(c->msr + d, 0, VBR_MILLION);
		break;
	case S_MLR:
		if (!c->mlr_mssp)
			c->mlr = clamp(c->mlr + d, 0, VBR_MILLION);
		break;
	case S_SAVINGS_CAP:
		if (c->has_savings_cap)
			c->savings_cap = clamp(c->savings_cap + d, 0, VBR_MILLION);
		break;
	case S_LOSS_CAP:
		if (c->has_loss_cap)
			c->loss_cap = clamp(c->loss_cap + d, 0, VBR_MILLION);
		break;
	case S_PAYMENT_REDUCTION:
		c->payment_reduction = clamp(c->payment_reduction + d, 0, VBR_MILLION);
		break;
	case S_TREND: *trend = clamp(*trend + d, -VBR_MILLION + 1, 10 * VBR_MILLION); break;
	case S_RISK_DISCOUNT: *risk_discount = clamp(*risk_discount + d, 0, VBR_MILLION - 1); break;
	case S_FEE: c->fee_pmpm = clamp(c->fee_pmpm + d, 0, INT64_MAX / 4); break;
	}
}

/* A variant's name: letters, digits and . _ -, not "base", not taken. */
static void check_variant_name(struct state *s, const char *name, size_t n, const char *arg)
{
	int ok = n > 0 && n <= 40 && !(n == 4 && memcmp(name, "base", 4) == 0);
	for (size_t i = 0; i < n && ok; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		     (name[i] >= '0' && name[i] <= '9') || strchr("._-", name[i]);
	if (!ok)
		vbr_cli_usage_error(&s->opt->cli, "--variant '%s': NAME is 1 to 40 letters, digits "
				    "and . _ - (not 'base'), then =FILE", arg);
	for (int v = 0; v < s->nvariants; v++)
		if (strlen(s->variant[v].name) == n && !memcmp(s->variant[v].name, name, n))
			vbr_cli_usage_error(&s->opt->cli, "--variant '%s': the name is taken", arg);
}

/* The base, each --variant (its terms file checked as --terms is, with
 * the same --org-terms and --set) and, with --sensitivity, each given
 * term down and up. A variant must share the base's target file: its
 * target_method and trend_method are the base's. */
static void load_variants(struct state *s)
{
	struct options *o = s->opt;
	size_t cap = 0;
	s->variant = vbr_grow_zeroed(s->variant, &cap, 1, sizeof *s->variant);
	s->variant[0] = (struct variant){vbr_xstrdup("base"), &o->cli.terms, NULL, 0};
	s->nvariants = 1;
	for (int i = 0; i < o->variants.n; i++) {
		const char *arg = o->variants.v[i], *eq = strchr(arg, '=');
		if (!eq || !eq[1])
			vbr_cli_usage_error(&o->cli, "--variant '%s': expected NAME=FILE", arg);
		check_variant_name(s, arg, (size_t)(eq - arg), arg);
		struct vbr_terms *t = vbr_xcalloc(1, sizeof *t);
		vbr_terms_init(t);
		vbr_terms_load(t, eq + 1);
		if (o->cli.org_terms_file)
			vbr_terms_load_org(t, o->cli.org_terms_file);
		for (int k = 0; k < o->cli.sets.n; k++)
			vbr_terms_set(t, o->cli.sets.v[k]);
		vbr_contract_check_all(t);
		static const char *const same[] = {"target_method", "trend_method"};
		for (int k = 0; k < 2; k++) {
			const char *a = vbr_term(&o->cli.terms, NULL, same[k]), *b = vbr_term(t, NULL, same[k]);
			if (strcmp(a ? a : "", b ? b : ""))
				vbr_die(EX_USAGE, "--variant %.*s: %s is '%s', the base's '%s': a "
					"variant settles against the base's targets (%s)",
					(int)(eq - arg), arg, same[k], b ? b : "", a ? a : "", o->target);
		}
		s->variant = vbr_grow_zeroed(s->variant, &cap, (size_t)s->nvariants + 1,
					     sizeof *s->variant);
		s->variant[s->nvariants++] = (struct variant){vbr_xstrndup(arg, (size_t)(eq - arg)),
							      t, NULL, 0};
	}
	s->nreported = s->nvariants;
	if (!o->sensitivity)
		return;
	for (size_t k = 0; k < LEN(sens_terms); k++) {
		/* a term the terms give as a number (msr = mssp, loss_rate =
		 * quality_linked are not moved) */
		const char *v = vbr_term(&o->cli.terms, NULL, sens_terms[k].term);
		int64_t x;
		if (!vbr_terms_given(&o->cli.terms, sens_terms[k].term) || !v ||
		    (sens_terms[k].kind == S_FEE ? vbr_parse_amount(v, strlen(v), &x)
						 : vbr_parse_rate(v, strlen(v), &x)) != VBR_OK)
			continue;
		for (int dir = -1; dir <= 1; dir += 2) {
			char name[64];
			snprintf(name, sizeof name, "%s%c", sens_terms[k].term, dir < 0 ? '-' : '+');
			s->variant = vbr_grow_zeroed(s->variant, &cap, (size_t)s->nvariants + 1,
						     sizeof *s->variant);
			s->variant[s->nvariants++] = (struct variant){vbr_xstrdup(name),
				&o->cli.terms, &sens_terms[k], dir};
		}
	}
}

/* ---- the output ---------------------------------------------------------- */

/* What one org's iterations shared: counts of savings and losses, Σ shared. */
struct shares {
	int64_t savings, losses;
	__int128 sum;
};

/* One row of simulate(1)'s output: an org's (or the programme's)
 * distribution of the net settlement under one variant. */
struct stats {
	struct vbr_text variant, org;
	int64_t members, iterations, mean_net, pct[5], prob_savings, prob_loss, mean_shared,
		expected_settlement, value_at_risk, expected_shortfall;
};

/* simulate(1) OUTPUT */
#define COL(kind, ...) VBR_COL_##kind(struct stats, __VA_ARGS__)
static const struct vbr_column columns[] = {
	VBR_COL_ID(struct stats, variant, "variant"),
	VBR_COL_ID(struct stats, org, "org_id"),
	COL(COUNT, members, "members"),
	COL(COUNT, iterations, "iterations"),
	COL(CENTS, mean_net, "mean_net"),
	COL(CENTS, pct[0], "p5_net"),
	COL(CENTS, pct[1], "p25_net"),
	COL(CENTS, pct[2], "p50_net"),
	COL(CENTS, pct[3], "p75_net"),
	COL(CENTS, pct[4], "p95_net"),
	COL(FIXED, prob_savings, "prob_savings", 4, 4),
	COL(FIXED, prob_loss, "prob_loss", 4, 4),
	COL(CENTS, mean_shared, "mean_shared"),
	COL(CENTS, expected_settlement, "expected_settlement"),
	COL(CENTS, value_at_risk, "value_at_risk_5"),
	COL(CENTS, expected_shortfall, "expected_shortfall_5"),
	{.name = NULL},
};
#undef COL

/* One iteration of one org under one variant, as --draws writes it. */
struct draw {
	struct vbr_text variant;
	int64_t iteration;
	struct vbr_text org;
	int64_t trend, target_total, actual_total, shared, net_settlement;
};

/* simulate(1) --draws */
#define COL(kind, ...) VBR_COL_##kind(struct draw, __VA_ARGS__)
static const struct vbr_column draw_columns[] = {
	VBR_COL_ID(struct draw, variant, "variant"),
	COL(COUNT, iteration, "iteration"),
	VBR_COL_ID(struct draw, org, "org_id"),
	COL(FIXED, trend, "trend", 6, 6),
	COL(CENTS, target_total, "target_total"),
	COL(CENTS, actual_total, "actual_total"),
	COL(CENTS, shared, "shared"),
	COL(CENTS, net_settlement, "net_settlement"),
	{.name = NULL},
};
#undef COL

/* One row of --sensitivity: a term moved down and up, the programme's
 * expected settlement each way. */
struct sens_row {
	struct vbr_text term, step;
	int64_t low, base, high, change_low, change_high;
};

/* simulate(1) SENSITIVITY */
#define COL(kind, ...) VBR_COL_##kind(struct sens_row, __VA_ARGS__)
static const struct vbr_column sens_columns[] = {
	VBR_COL_ID(struct sens_row, term, "term"),
	VBR_COL_ID(struct sens_row, step, "step"),
	COL(CENTS, low, "expected_low"),
	COL(CENTS, base, "expected_base"),
	COL(CENTS, high, "expected_high"),
	COL(CENTS, change_low, "change_low"),
	COL(CENTS, change_high, "change_high"),
	{.name = NULL},
};
#undef COL

/* Σ of N nets, exact. */
static __int128 sum_of(const int64_t *net, int64_t N)
{
	__int128 sum = 0;
	for (int64_t i = 0; i < N; i++)
		sum += net[i];
	return sum;
}

/* Mean and nearest-rank percentiles (⌈p·N⌉-th smallest) of N nets; the 5%
 * value at risk (the loss at the 5th percentile: −p5) and expected
 * shortfall (the mean loss of the ⌈0.05·N⌉ worst draws); then the
 * probabilities of savings and of losses and the mean shared (empty when
 * sh is NULL), and the expected settlement: one row. */
static void write_stats(struct vbr_writer *w, const char *variant, const char *org,
			size_t n_org, int64_t members, int64_t *net, int64_t N,
			const struct shares *sh)
{
	static const int pct[] = {5, 25, 50, 75, 95};
	__int128 sum = sum_of(net, N);
	qsort(net, (size_t)N, sizeof *net, cmp_int64);
	int64_t worst = (5 * N + 99) / 100;
	struct stats row = {.variant = {variant, strlen(variant)}, .org = {org, n_org},
			    .members = members, .iterations = N,
			    .mean_net = vbr_div_round(sum, N), .expected_settlement = vbr_div_round(sum, N),
			    .prob_savings = VBR_EMPTY, .prob_loss = VBR_EMPTY, .mean_shared = VBR_EMPTY,
			    .value_at_risk = -net[worst - 1],
			    .expected_shortfall = -vbr_div_round(sum_of(net, worst), worst)};
	for (int i = 0; i < 5; i++)
		row.pct[i] = net[(pct[i] * N + 99) / 100 - 1];
	if (sh) {
		row.prob_savings = vbr_div_round((__int128)sh->savings * 10000, N);
		row.prob_loss = vbr_div_round((__int128)sh->losses * 10000, N);
		row.mean_shared = vbr_div_round(sh->sum, N);
	}
	vbr_columns_row(w, columns, 0, &row);
}

/* ---- one org ------------------------------------------------------------- */

/* One org under one variant: its contract, quality and trend, fixed
 * before the iterations start, and the iterations' results (the draws
 * arrays only for --draws, and only for reported variants). */
struct org_variant {
	struct vbr_contract c;
	const struct vbr_org_quality *q;
	int64_t trend, sd, risk_discount;
	int64_t *net, *drawn, *target, *actual, *shared;
	struct shares sh;
};

/* One org's simulation. */
struct org_run {
	uint32_t id;
	const char *name;
	size_t n_name;
	char org[256];
	const struct vbr_org_target *tg;
	struct vbr_population whole;     /* the org's measured members */
	int64_t base_trend, base_discount;   /* those target.tsv was made with */
	uint64_t seed;
	struct org_variant *v;
	int bad_target;              /* a resampled target total was not positive */
	const char *overflow;        /* what of a resample's settlement overflowed */
	int64_t overflow_it;         /* in which iteration (from 0) */
};

/* Of a and b, the one larger in magnitude. */
static int64_t larger(int64_t a, int64_t b)
{
	return vbr_magnitude(b) > vbr_magnitude(a) ? b : a;
}

/* A resample draws the org's n members with replacement, so its cost,
 * months and premium are sums of n values, each at most the largest one
 * in magnitude: when n times that fits in int64, no resample's sum can
 * overflow (draw_resample adds without a check). Otherwise bad data: 65. */
static void check_resample_bound(const struct org_members *m, const char *org)
{
	int64_t cost = 0, months = 0, premium = 0;
	for (size_t i = 0; i < m->n; i++) {
		cost = larger(cost, m->member[i].cost);
		months = larger(months, m->member[i].months);
		if (m->premium)
			premium = larger(premium, m->premium[i]);
	}
	const struct { const char *what; int64_t largest; int money; } sums[] = {
		{"cost", cost, 1}, {"member months", months, 0}, {"premium", premium, 1}};
	for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
		uint64_t bound;
		if (!__builtin_mul_overflow((uint64_t)m->n, vbr_magnitude(sums[k].largest), &bound) &&
		    bound <= (uint64_t)INT64_MAX)
			continue;
		char v[32];
		if (sums[k].money)
			v[vbr_format_cents(v, sums[k].largest)] = 0;
		else
			snprintf(v, sizeof v, "%lld", (long long)sums[k].largest);
		vbr_die(EX_DATAERR, "org '%s': a resample of its %zu members could sum their %s "
			"past int64 (%zu × %s)", org, m->n, sums[k].what, m->n, v);
	}
}

/* The members as the draws read them, packed when they fit: cost × 256 +
 * months in one int64 (months under 256, |cost| under 2^55 cents: any
 * real cohort's), half the bytes of the two side by side, so more of a
 * large org's members stay in the cache while they are drawn at random
 * (3,000,000 members, 1,000 iterations: 3.4 → 2.8 s; 300,000: the same).
 * The 16-byte records are then freed; otherwise they are drawn. */
static void pack_members(struct org_members *m)
{
	const int64_t limit = (int64_t)1 << 55;
	for (size_t i = 0; i < m->n; i++)
		if (m->member[i].months < 0 || m->member[i].months >= 256 ||
		    m->member[i].cost >= limit || m->member[i].cost <= -limit)
			return;
	m->packed = vbr_xmalloc((m->n ? m->n : 1) * sizeof *m->packed);
	for (size_t i = 0; i < m->n; i++)
		m->packed[i] = m->member[i].cost * 256 + m->member[i].months;
	free(m->member);
	m->member = NULL;
}

/* Fix one org's contracts, target, quality and trends; dies on bad input. */
static void prepare_org(struct state *s, struct org_run *o, uint32_t id)
{
	struct org_members *m = &s->org[id];
	char *org = o->org;
	o->id = id;
	o->name = vbr_intern_str(&s->costs.orgs, id, &o->n_name);
	snprintf(org, sizeof o->org, "%.*s", (int)o->n_name, o->name);
	o->tg = vbr_target_of(&s->side.targets, o->name, o->n_name);
	if (!o->tg)
		vbr_die(EX_DATAERR, "org '%s' has measurement costs but no target in %s", org,
			s->opt->target);
	if (m->total_months <= 0)
		vbr_die(EX_DATAERR, "org '%s' has no measurement member months", org);
	check_resample_bound(m, org);
	pack_members(m);
	o->whole = (struct vbr_population){m->total_months, m->total_premium,
					   s->costs.has_premium};
	vbr_term_rate(&s->opt->cli.terms, org, "trend", &o->base_trend);
	vbr_term_rate(&s->opt->cli.terms, org, "risk_discount", &o->base_discount);
	o->seed = org_seed(s->opt->seed, o->name, o->n_name);
	size_t N = (size_t)s->opt->iterations;
	o->v = vbr_xcalloc((size_t)s->nvariants, sizeof *o->v);
	for (int k = 0; k < s->nvariants; k++) {
		const struct variant *va = &s->variant[k];
		struct org_variant *v = &o->v[k];
		vbr_contract_load(&v->c, va->terms, org);
		/* settle's rule for the target total; checked here, on the main thread */
		vbr_target_total(o->tg, v->c.loss_ratio, &o->whole, &o->whole, org, s->opt->target);
		vbr_term_rate(va->terms, org, "trend", &v->trend);
		vbr_term_rate(va->terms, org, "trend_sd", &v->sd);
		vbr_term_rate(va->terms, org, "risk_discount", &v->risk_discount);
		if (va->moved)
			move_term(va->moved, va->dir, &v->c, &v->trend, &v->risk_discount);
		v->q = vbr_quality_for(&s->side.quality, &v->c, va->terms, org);
		v->net = vbr_xmalloc(N * sizeof *v->net);
		v->shared = vbr_xmalloc(N * sizeof *v->shared);   /* the programme's shares */
		if (s->opt->draws && k < s->nreported) {
			v->drawn = vbr_xmalloc(N * sizeof *v->drawn);
			v->target = vbr_xmalloc(N * sizeof *v->target);
			v->actual = vbr_xmalloc(N * sizeof *v->actual);
		}
	}
}

/* Does variant v draw its trend (a cost target with trend_sd)? */
static int draws_trend(const struct org_variant *v)
{
	return v->sd > 0 && !v->c.loss_ratio;
}

/* Settle iteration `it` of org o under variant v: the drawn members'
 * cost, months and premium, and z, the iteration's normal deviate for
 * the trend. A cost target made under the base's trend and risk discount
 * is scaled to the variant's: × (1 + trend drawn) / (1 + base trend) ×
 * (1 − discount) / (1 − base discount), rounded once. */
static void settle_variant(const struct state *s, struct org_run *o, struct org_variant *v,
			   int64_t it, int64_t cost, int64_t months, int64_t premium, double z)
{
	const struct org_members *m = &s->org[o->id];
	struct vbr_settle_in in = {.members = (int64_t)m->n, .member_months = months,
				   .actual_total = cost, .met = -1};
	struct vbr_population drawn_members = {months, premium, o->whole.has_premium};
	in.target_total = vbr_target_total(o->tg, v->c.loss_ratio, &drawn_members, &o->whole,
					   o->org, s->opt->target);
	int64_t drawn = v->trend;
	if (!v->c.loss_ratio) {
		if (draws_trend(v)) {
			/* the target's trend drawn from normal(trend, trend_sd) */
			drawn = vbr_round_double((double)v->trend + (double)v->sd * z);
			if (drawn <= -VBR_MILLION)
				drawn = -VBR_MILLION + 1;
		}
		if (drawn != o->base_trend || v->risk_discount != o->base_discount)
			in.target_total = vbr_div_round(
				(__int128)in.target_total * (VBR_MILLION + drawn) *
					(VBR_MILLION - v->risk_discount),
				(__int128)(VBR_MILLION + o->base_trend) *
					(VBR_MILLION - o->base_discount));
	}
	if (v->q) {
		in.has_quality = 1;
		in.quality = v->q->score;
		in.met = v->q->met;
	}
	if (in.target_total <= 0) {
		o->bad_target = 1;
		return;
	}
	struct vbr_settlement r;
	const char *over = vbr_settle_org(&v->c, &in, &r);
	if (over) {
		o->overflow = over;
		o->overflow_it = it;
		return;
	}
	v->net[it] = r.net;
	v->sh.savings += r.shared > 0;
	v->sh.losses += r.shared < 0;
	v->sh.sum += r.shared;
	v->shared[it] = r.shared;
	if (v->drawn) {
		v->drawn[it] = drawn;
		v->target[it] = in.target_total;
		v->actual[it] = in.actual_total;
	}
}

/* Members drawn a block at a time: the generator's loop alone, its state
 * in registers, each member prefetched as it is drawn; then the block's
 * members summed (the same draws in the same order; integer sums, so the
 * same totals). */
#define DRAW_BLOCK 64

/* One resample of org o's members: their cost, months and premium; one
 * copy of the loop for each layout (packed: a constant where inlined). */
static inline __attribute__((always_inline))
void draw_members(const struct org_members *m, int packed, struct vbr_prng *g,
		  const struct vbr_below *members, const int64_t *premium_of,
		  int64_t *cost, int64_t *months, int64_t *premium)
{
	int64_t c = 0, mm = 0, p = 0;
	for (size_t j = 0; j < m->n; j += DRAW_BLOCK) {
		size_t n = m->n - j < DRAW_BLOCK ? m->n - j : DRAW_BLOCK;
		uint64_t k[DRAW_BLOCK];
		struct vbr_prng gen = *g;
		for (size_t i = 0; i < n; i++) {
			k[i] = vbr_prng_draw_below(&gen, members);
			if (packed)
				vbr_prefetch(&m->packed[k[i]]);
			else
				vbr_prefetch(&m->member[k[i]]);
		}
		*g = gen;
		if (packed)
			for (size_t i = 0; i < n; i++) {
				int64_t v = m->packed[k[i]];
				c += v >> 8;            /* arithmetic: ⌊v ÷ 256⌋, the cost */
				mm += v & 255;
			}
		else
			for (size_t i = 0; i < n; i++) {
				c += m->member[k[i]].cost;
				mm += m->member[k[i]].months;
			}
		if (premium_of)
			for (size_t i = 0; i < n; i++)
				p += premium_of[k[i]];
	}
	*cost = c;
	*months = mm;
	*premium = p;
}

/* One resample, from the org's packed members or its records. */
static void draw_resample(const struct org_members *m, struct vbr_prng *g,
			  const struct vbr_below *members, const int64_t *premium_of,
			  int64_t *cost, int64_t *months, int64_t *premium)
{
	if (m->packed)
		draw_members(m, 1, g, members, premium_of, cost, months, premium);
	else
		draw_members(m, 0, g, members, premium_of, cost, months, premium);
}

/* All iterations of one org: pure computation on the org's own generators,
 * so orgs can run on any thread in any order with the same results. The
 * trend's normal deviate comes from the members' generator, after the
 * members, when the base draws its trend (as without variants); when only
 * a variant does, from a second generator of the org's, so the base's
 * numbers never depend on the variants. */
static void run_org(const struct state *s, struct org_run *o)
{
	const struct org_members *m = &s->org[o->id];
	struct vbr_prng g, g2;
	vbr_prng_seed(&g, o->seed);
	vbr_prng_seed(&g2, o->seed ^ 0x7472656e64ULL);      /* "trend" */
	int base_draws = draws_trend(&o->v[0]), any_draws = 0;
	for (int k = 0; k < s->nvariants; k++)
		any_draws |= draws_trend(&o->v[k]);
	int64_t N = s->opt->iterations;
	struct vbr_below members;
	vbr_below_init(&members, m->n);
	/* the variants share the base's target method (load_variants) */
	const int64_t *premium_of = o->v[0].c.loss_ratio ? m->premium : NULL;
	for (int64_t it = 0; it < N && !o->bad_target && !o->overflow; it++) {
		int64_t cost, months, premium;
		draw_resample(m, &g, &members, premium_of, &cost, &months, &premium);
		double z = base_draws ? vbr_prng_normal(&g) : any_draws ? vbr_prng_normal(&g2) : 0;
		for (int k = 0; k < s->nvariants; k++)
			settle_variant(s, o, &o->v[k], it, cost, months, premium, z);
	}
}

/* The worker pool: each thread takes the next org not yet taken. */
struct pool {
	const struct state *s;
	struct org_run *runs;
	size_t n;
	size_t next;                 /* under the lock */
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		run_org(p->s, &p->runs[i]);
	}
}

/* Run every org's iterations on up to one thread per online CPU. */
static void run_all(const struct state *s, struct org_run *runs, size_t n)
{
	struct pool p = {.s = s, .runs = runs, .n = n};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = cpus < 1 ? 1 : cpus > 16 ? 16 : (size_t)cpus;
	if (nthreads > n)
		nthreads = n;
	pthread_t tid[16];
	pthread_mutex_init(&p.lock, NULL);
	size_t started = 0;
	for (; started + 1 < nthreads; started++)
		if (pthread_create(&tid[started], NULL, worker, &p) != 0)
			break;               /* fewer threads: the work still gets done */
	worker(&p);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

/* One org's draws (--draws) and rows, variant by variant, and its share of
 * each variant's programme. */
static void write_org(struct state *s, struct vbr_writer *w, struct org_run *o, int k)
{
	int64_t N = s->opt->iterations;
	if (o->bad_target)
		vbr_die(EX_DATAERR, "org '%.*s': a resampled target total is not positive",
			(int)o->n_name, o->name);
	if (o->overflow)
		vbr_die(EX_DATAERR, "org '%.*s', iteration %lld: the %s overflows",
			(int)o->n_name, o->name, (long long)o->overflow_it + 1, o->overflow);
	struct org_variant *v = &o->v[k];
	int64_t *programme = s->programme + (size_t)k * (size_t)N;
	int64_t *shared = s->programme_shared + (size_t)k * (size_t)N;
	for (int64_t it = 0; it < N; it++) {
		if (__builtin_add_overflow(programme[it], v->net[it], &programme[it]) ||
		    __builtin_add_overflow(shared[it], v->shared[it], &shared[it]))
			vbr_die(EX_DATAERR, "the programme's settlement of iteration %lld "
				"overflows", (long long)it + 1);
		if (!v->drawn)
			continue;
		const char *name = s->variant[k].name;
		struct draw d = {{name, strlen(name)}, it + 1, {o->name, o->n_name}, v->drawn[it],
				 v->target[it], v->actual[it], v->shared[it], v->net[it]};
		vbr_columns_row(&s->draws, draw_columns, 0, &d);
	}
	if (k < s->nreported)
		write_stats(w, s->variant[k].name, o->name, o->n_name, (int64_t)s->org[o->id].n,
			    v->net, N, &v->sh);
}

static void free_run(struct state *s, struct org_run *o)
{
	for (int k = 0; k < s->nvariants && o->v; k++) {
		free(o->v[k].net);
		free(o->v[k].drawn);
		free(o->v[k].target);
		free(o->v[k].actual);
		free(o->v[k].shared);
	}
	free(o->v);
}

/* The step of a sensitivity term, as its terms file writes it. */
static size_t step_text(char *buf, const struct sens_term *t)
{
	if (t->kind == S_FEE)
		return vbr_format_cents(buf, t->step);
	return vbr_format_fixed(buf, t->step, 6, 3);
}

/* --sensitivity: per term, the programme's expected settlement with the
 * term down and up, and the changes from the base; the terms whose larger
 * change is largest first (ties: the term's order in sens_terms[]). */
static void write_sensitivity(struct state *s)
{
	int64_t N = s->opt->iterations;
	int n = (s->nvariants - s->nreported) / 2;
	struct sens_row *rows = vbr_xcalloc((size_t)n + 1, sizeof *rows);
	char (*steps)[32] = vbr_xcalloc((size_t)n + 1, sizeof *steps);
	int64_t base = vbr_div_round(sum_of(s->programme, N), N);
	for (int i = 0; i < n; i++) {
		int lo = s->nreported + 2 * i;
		const struct sens_term *t = s->variant[lo].moved;
		size_t len = step_text(steps[i], t);
		rows[i] = (struct sens_row){{t->term, strlen(t->term)}, {steps[i], len},
			vbr_div_round(sum_of(s->programme + (size_t)lo * (size_t)N, N), N), base,
			vbr_div_round(sum_of(s->programme + (size_t)(lo + 1) * (size_t)N, N), N), 0, 0};
		rows[i].change_low = rows[i].low - base;
		rows[i].change_high = rows[i].high - base;
	}
	/* a stable insertion sort by the larger absolute change */
	for (int i = 1; i < n; i++) {
		struct sens_row r = rows[i];
		int64_t key = llabs(r.change_low) > llabs(r.change_high) ? llabs(r.change_low)
								       : llabs(r.change_high);
		int j = i;
		for (; j > 0; j--) {
			const struct sens_row *p = &rows[j - 1];
			int64_t pk = llabs(p->change_low) > llabs(p->change_high) ? llabs(p->change_low)
										 : llabs(p->change_high);
			if (pk >= key)
				break;
			rows[j] = rows[j - 1];
		}
		rows[j] = r;
	}
	struct vbr_writer w;
	vbr_writer_create(&w, s->opt->sensitivity);
	vbr_columns_header(&w, sens_columns, 0);
	for (int i = 0; i < n; i++)
		vbr_columns_row(&w, sens_columns, 0, &rows[i]);
	vbr_writer_close(&w);
	free(rows);
	free(steps);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_account a;
	struct vbr_writer w;
	s->opt = o;
	load_variants(s);
	vbr_org_files_load(&s->side, &o->cli.terms, o->target, o->quality);
	vbr_cli_account(&o->cli, &a, "members");
	read_members(s, &a);

	/* the orgs with measurement members, in id order */
	uint32_t *order = vbr_intern_sorted(&s->costs.orgs);
	struct org_run *runs = vbr_xcalloc(s->costs.orgs.count + 1, sizeof *runs);
	size_t nruns = 0;
	int64_t members = 0;
	for (uint32_t j = 0; j < s->costs.orgs.count; j++) {
		if (order[j] >= s->org_cap || s->org[order[j]].n == 0)
			continue;       /* base-period rows only: nothing to settle */
		prepare_org(s, &runs[nruns++], order[j]);
		members += (int64_t)s->org[order[j]].n;
	}
	run_all(s, runs, nruns);

	if (o->draws) {
		vbr_writer_create(&s->draws, o->draws);
		vbr_columns_header(&s->draws, draw_columns, 0);
	}
	s->programme = vbr_xcalloc((size_t)s->nvariants * (size_t)o->iterations,
				   sizeof *s->programme);
	s->programme_shared = vbr_xcalloc((size_t)s->nvariants * (size_t)o->iterations,
					  sizeof *s->programme_shared);
	vbr_columns_stdout(&w, columns, 0);
	for (int k = 0; k < s->nvariants; k++) {
		for (size_t i = 0; i < nruns; i++)
			write_org(s, &w, &runs[i], k);
		/* programme row: the distribution of the iteration totals over all orgs */
		if (o->total && members && k < s->nreported) {
			/* the programme shares savings in an iteration whose orgs'
			 * shared amounts sum above 0, a loss below it */
			const int64_t *shared = s->programme_shared + (size_t)k * (size_t)o->iterations;
			struct shares sh = {0, 0, 0};
			for (int64_t it = 0; it < o->iterations; it++) {
				sh.savings += shared[it] > 0;
				sh.losses += shared[it] < 0;
				sh.sum += shared[it];
			}
			write_stats(&w, s->variant[k].name, "*", 1, members,   /* (sorts it: its sum stays) */
				    s->programme + (size_t)k * (size_t)o->iterations, o->iterations, &sh);
		}
	}
	vbr_writer_close(&w);
	if (o->draws)
		vbr_writer_close(&s->draws);
	if (o->sensitivity)
		write_sensitivity(s);
	int status = vbr_account_finish(&a, o->cli.verbose);
	for (size_t i = 0; i < nruns; i++)
		free_run(s, &runs[i]);
	for (size_t i = 0; i < s->org_cap; i++) {
		free(s->org[i].member);
		free(s->org[i].packed);
		free(s->org[i].premium);
	}
	for (int k = 0; k < s->nvariants; k++) {
		if (s->variant[k].terms != &o->cli.terms) {
			vbr_terms_free(s->variant[k].terms);
			free(s->variant[k].terms);
		}
		free(s->variant[k].name);
	}
	free(s->variant);
	free(o->variants.v);
	free(s->org);
	free(runs);
	free(order);
	free(s->programme);
	free(s->programme_shared);
	vbr_costs_free(&s->costs);
	vbr_org_files_free(&s->side);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
