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
#include "prng.h"
#include "reader.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	const char *target, *quality, *draws;
	int64_t iterations, seed;
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
	struct drawn_member *member;
	int64_t *premium;            /* when the rows carry premium (loss-ratio) */
	size_t n, cap, pcap;
	int64_t total_months, total_premium;
};

struct state {
	struct options *opt;
	struct vbr_costs costs;      /* the org ids; sums unused */
	struct org_members *org;
	size_t org_cap;
	struct vbr_org_files side;   /* targets and quality scores */
	int64_t *programme;          /* net settlement per iteration, all orgs */
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
		vbr_die(EX_DATAERR, "%s: member months above 2^31", vbr_reader_place(r));
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

/* What one org's iterations shared: counts of savings and losses, Σ shared. */
struct shares {
	int64_t savings, losses;
	__int128 sum;
};

/* One row of simulate(1)'s output: an org's (or the programme's)
 * distribution of the net settlement. */
struct stats {
	struct vbr_text org;
	int64_t members, iterations, mean_net, pct[5], prob_savings, prob_loss, mean_shared,
		expected_settlement;
};

/* simulate(1) OUTPUT */
#define COL(kind, ...) VBR_COL_##kind(struct stats, __VA_ARGS__)
static const struct vbr_column columns[] = {
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
	{.name = NULL},
};
#undef COL

/* One iteration of one org, as --draws writes it. */
struct draw {
	int64_t iteration;
	struct vbr_text org;
	int64_t trend, target_total, actual_total, shared, net_settlement;
};

/* simulate(1) --draws */
#define COL(kind, ...) VBR_COL_##kind(struct draw, __VA_ARGS__)
static const struct vbr_column draw_columns[] = {
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

/* Mean and nearest-rank percentiles (⌈p·N⌉-th smallest) of N nets, then the
 * probabilities of savings and of losses and the mean shared (empty for the
 * programme row, sh NULL), and the expected settlement: one row. */
static void write_stats(struct vbr_writer *w, const char *org, size_t n_org, int64_t members,
			int64_t *net, int64_t N, const struct shares *sh)
{
	static const int pct[] = {5, 25, 50, 75, 95};
	__int128 sum = 0;
	for (int64_t i = 0; i < N; i++)
		sum += net[i];
	qsort(net, (size_t)N, sizeof *net, cmp_int64);
	struct stats row = {.org = {org, n_org}, .members = members, .iterations = N,
			    .mean_net = vbr_div_round(sum, N), .expected_settlement = vbr_div_round(sum, N),
			    .prob_savings = VBR_EMPTY, .prob_loss = VBR_EMPTY, .mean_shared = VBR_EMPTY};
	for (int i = 0; i < 5; i++)
		row.pct[i] = net[(pct[i] * N + 99) / 100 - 1];
	if (sh) {
		row.prob_savings = vbr_div_round((__int128)sh->savings * 10000, N);
		row.prob_loss = vbr_div_round((__int128)sh->losses * 10000, N);
		row.mean_shared = vbr_div_round(sh->sum, N);
	}
	vbr_columns_row(w, columns, 0, &row);
}

/* One org's simulation: its settings, fixed before the iterations start
 * (so every error is found on the main thread), and its iterations' results.
 * The draws arrays are kept only for --draws. */
struct org_run {
	uint32_t id;
	const char *name;
	size_t n_name;
	char org[256];
	struct vbr_contract c;
	const struct vbr_org_target *tg;
	struct vbr_population whole;     /* the org's measured members */
	const struct vbr_org_quality *q;
	int64_t trend, sd;
	uint64_t seed;
	int64_t *net, *drawn, *target, *actual, *shared;
	struct shares sh;
	int bad_target;              /* a resampled target total was not positive */
};

/* Fix one org's contract, target, quality and trend; dies on bad input. */
static void prepare_org(struct state *s, struct org_run *o, uint32_t id)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	struct org_members *m = &s->org[id];
	char *org = o->org;
	o->id = id;
	o->name = vbr_intern_str(&s->costs.orgs, id, &o->n_name);
	snprintf(org, sizeof o->org, "%.*s", (int)o->n_name, o->name);
	vbr_contract_load(&o->c, t, org);
	o->tg = vbr_target_of(&s->side.targets, o->name, o->n_name);
	if (!o->tg)
		vbr_die(EX_DATAERR, "org '%s' has measurement costs but no target in %s", org,
			s->opt->target);
	/* settle's rule for the target total; checked here, on the main thread */
	o->whole = (struct vbr_population){m->total_months, m->total_premium,
					   s->costs.has_premium};
	vbr_target_total(o->tg, o->c.loss_ratio, &o->whole, &o->whole, org, s->opt->target);
	o->q = vbr_quality_for(&s->side.quality, &o->c, t, org);
	if (m->total_months <= 0)
		vbr_die(EX_DATAERR, "org '%s' has no measurement member months", org);
	vbr_term_rate(t, org, "trend", &o->trend);
	vbr_term_rate(t, org, "trend_sd", &o->sd);
	o->seed = org_seed(s->opt->seed, o->name, o->n_name);
	size_t N = (size_t)s->opt->iterations;
	o->net = vbr_xmalloc(N * sizeof *o->net);
	if (s->opt->draws) {
		o->drawn = vbr_xmalloc(N * sizeof *o->drawn);
		o->target = vbr_xmalloc(N * sizeof *o->target);
		o->actual = vbr_xmalloc(N * sizeof *o->actual);
		o->shared = vbr_xmalloc(N * sizeof *o->shared);
	}
}

#define DRAW_AHEAD 16

/* All iterations of one org: pure computation on the org's own generator,
 * so orgs can run on any thread in any order with the same results. */
static void run_org(const struct state *s, struct org_run *o)
{
	const struct org_members *m = &s->org[o->id];
	struct vbr_prng g;
	vbr_prng_seed(&g, o->seed);
	int64_t N = s->opt->iterations;
	struct vbr_below members;
	vbr_below_init(&members, m->n);
	const int64_t *premium_of = o->c.loss_ratio ? m->premium : NULL;
	for (int64_t it = 0; it < N; it++) {
		int64_t cost = 0, months = 0, premium = 0;
		/* members are drawn DRAW_AHEAD places ahead of their use and
		 * prefetched: the same draws in the same order, with the memory
		 * latency of a random member hidden */
		uint64_t ahead[DRAW_AHEAD];
		for (size_t j = 0; j < DRAW_AHEAD && j < m->n; j++) {
			ahead[j] = vbr_prng_draw_below(&g, &members);
			__builtin_prefetch(&m->member[ahead[j]]);
		}
		for (size_t j = 0; j < m->n; j++) {
			uint64_t k = ahead[j % DRAW_AHEAD];
			if (j + DRAW_AHEAD < m->n) {
				uint64_t next = vbr_prng_draw_below(&g, &members);
				ahead[j % DRAW_AHEAD] = next;
				__builtin_prefetch(&m->member[next]);
			}
			cost += m->member[k].cost;
			months += m->member[k].months;
			if (premium_of)
				premium += premium_of[k];
		}
		struct vbr_settle_in in = {.members = (int64_t)m->n, .member_months = months,
					   .actual_total = cost, .met = -1};
		struct vbr_population drawn_members = {months, premium, o->whole.has_premium};
		in.target_total = vbr_target_total(o->tg, o->c.loss_ratio, &drawn_members, &o->whole,
						   o->org, s->opt->target);
		int64_t drawn = o->trend;
		if (o->sd > 0 && !o->c.loss_ratio) {
			/* the target's trend drawn from normal(trend, trend_sd) */
			drawn = vbr_round_double((double)o->trend + (double)o->sd * vbr_prng_normal(&g));
			if (drawn <= -VBR_MILLION)
				drawn = -VBR_MILLION + 1;
			in.target_total = vbr_div_round((__int128)in.target_total * (VBR_MILLION + drawn),
							VBR_MILLION + o->trend);
		}
		if (o->q) {
			in.has_quality = 1;
			in.quality = o->q->score;
			in.met = o->q->met;
		}
		if (in.target_total <= 0) {
			o->bad_target = 1;
			return;
		}
		struct vbr_settlement r;
		vbr_settle_org(&o->c, &in, &r);
		o->net[it] = r.net;
		o->sh.savings += r.shared > 0;
		o->sh.losses += r.shared < 0;
		o->sh.sum += r.shared;
		if (o->drawn) {
			o->drawn[it] = drawn;
			o->target[it] = in.target_total;
			o->actual[it] = in.actual_total;
			o->shared[it] = r.shared;
		}
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

/* One org's draws (--draws), its share of the programme, its row. */
static void write_org(struct state *s, struct vbr_writer *w, struct org_run *o)
{
	int64_t N = s->opt->iterations;
	if (o->bad_target)
		vbr_die(EX_DATAERR, "org '%.*s': a resampled target total is not positive",
			(int)o->n_name, o->name);
	for (int64_t it = 0; it < N; it++) {
		s->programme[it] += o->net[it];
		if (!o->drawn)
			continue;
		struct draw d = {it + 1, {o->name, o->n_name}, o->drawn[it], o->target[it],
				 o->actual[it], o->shared[it], o->net[it]};
		vbr_columns_row(&s->draws, draw_columns, 0, &d);
	}
	write_stats(w, o->name, o->n_name, (int64_t)s->org[o->id].n, o->net, N, &o->sh);
}

static void free_run(struct org_run *o)
{
	free(o->net);
	free(o->drawn);
	free(o->target);
	free(o->actual);
	free(o->shared);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_account a;
	struct vbr_writer w;
	s->opt = o;
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
	s->programme = vbr_xcalloc((size_t)o->iterations, sizeof *s->programme);
	vbr_columns_stdout(&w, columns, 0);
	for (size_t i = 0; i < nruns; i++) {
		write_org(s, &w, &runs[i]);
		free_run(&runs[i]);
	}
	/* programme row: the distribution of the iteration totals over all orgs */
	if (members)
		write_stats(&w, "*", 1, members, s->programme, o->iterations, NULL);
	vbr_writer_close(&w);
	if (o->draws)
		vbr_writer_close(&s->draws);
	int status = vbr_account_finish(&a, o->cli.verbose);
	for (size_t i = 0; i < s->org_cap; i++) {
		free(s->org[i].member);
		free(s->org[i].premium);
	}
	free(s->org);
	free(runs);
	free(order);
	free(s->programme);
	vbr_costs_free(&s->costs);
	vbr_org_files_free(&s->side);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
