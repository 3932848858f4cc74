/*
 * target — the per-org financial target (target(1)): the base PMPM A,
 * the trend B (a term, or a least-squares line through a monthly PMPM
 * history), C = A × (1 + B), the mix adjustment D from mix-factor,
 * E = C × D, the regional/efficiency adjustment, the prior-savings
 * adjustment and the insurance-risk discount; and, for loss-ratio
 * contracts, the target loss ratio of a pricing table and the same ratio
 * reweighted by the org's actual measurement member months per cell.
 *
 * Money is exact: each step is an integer product rounded half away from
 * zero to the cent, and each published rate to 4 decimals; the rounded
 * value is the one the next step uses (vbr(7), Value types). Only the regression fit
 * is done in double precision, and its B is rounded before use.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "band.h"
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
	const char *mix, *history, *prior, *pricing;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, mix, "mix", 0, VBR_ARG_TEXT, "FILE",
		"mix factors (mix-factor(1)); the aggregate row's ratio is D"),
	VBR_OPT(struct options, history, "history", 0, VBR_ARG_TEXT, "FILE",
		"monthly PMPM history (month, pmpm, optional org_id, workdays) for "
		"trend_method = regression"),
	VBR_OPT(struct options, prior, "prior", 0, VBR_ARG_TEXT, "FILE",
		"org_id, prior_savings_pmpm: the prior savings added back on rebasing"),
	VBR_OPT(struct options, pricing, "pricing", 0, VBR_ARG_TEXT, "FILE",
		"pricing cells (cell, expected_mm, claims_pmpm, premium_pmpm) for "
		"target_method = loss_ratio"),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "target",
	.about = "The target PMPM of each org, step by step: base PMPM, trend, mix, "
		"regional and prior-savings adjustments and risk margin; or a loss-"
		"ratio target.",
	.operands = "costs ...",
	.operands_help = "base-period cost rows (cap-large-claims(1)); none or -: standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_ORG_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
};

/* A side table keyed by org: one value per org id of `orgs`. */
struct org_values {
	struct vbr_intern orgs;
	int64_t *v;
	size_t cap;
};

/* The monthly PMPM history of one org (or of all, org id 0 when the file
 * has no org_id column). */
struct history {
	double *x, *y;
	size_t n, cap;
};

struct fit {
	double slope, intercept, r2;
	int64_t trend4;          /* B, 4 decimals */
};

struct state {
	struct options *opt;
	struct vbr_periods per;
	int loss_ratio, regression;
	struct vbr_costs costs;
	struct org_values mix, prior;
	int has_mix;
	struct vbr_intern hist_orgs;
	struct history *hist;
	size_t hist_cap;
	int hist_by_org;
	/* pricing cells: expected member months, claims and premium PMPM */
	struct vbr_bands cells;
	int64_t *claims_pmpm, *premium_pmpm;
	int csex, cage;
	int64_t *cell_mm;        /* org × cell actual measurement member months */
	size_t cell_mm_cap;
};

/* A side file with one value per org: the `aggregate` ratio of a mix file
 * (4 decimals) or the prior_savings_pmpm of a prior file (cents). An org
 * given twice is an error. */
static void load_org_values(struct org_values *t, const char *path, int mix)
{
	struct vbr_reader r;
	vbr_intern_init(&t->orgs);
	vbr_reader_open_side(&r, path, EX_DATAERR);
	int co = vbr_reader_require(&r, "org_id");
	int cv = vbr_reader_require(&r, mix ? "ratio" : "prior_savings_pmpm");
	int cd = mix ? vbr_reader_require(&r, "dimension") : -1;
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t v;
		int rc;
		if (mix && !(f[cd].n == 9 && memcmp(f[cd].p, "aggregate", 9) == 0))
			continue;
		uint32_t id = vbr_side_org(&r, co, &t->orgs);
		rc = mix ? vbr_parse_rate(f[cv].p, f[cv].n, &v) : vbr_parse_amount(f[cv].p, f[cv].n, &v);
		if (rc != VBR_OK || (mix && v <= 0))
			vbr_die_field(&r, cv, mix ? "positive factor" : "amount",
				      rc == VBR_OK ? VBR_INVALID : rc, "");
		t->v = vbr_grow_zeroed(t->v, &t->cap, (size_t)id + 1, sizeof *t->v);
		t->v[id] = mix ? vbr_div_round(v, 100) : v;
	}
	vbr_reader_close(&r);
}

/* The value for an org, or 0 with *found = 0. */
static int64_t org_value(const struct org_values *t, const char *org, size_t n, int *found)
{
	uint32_t id = vbr_intern_find(&t->orgs, org, n);
	*found = id != VBR_NOT_INTERNED;
	return *found ? t->v[id] : 0;
}

/* The history file: month, pmpm, optional org_id and workdays. Each PMPM is
 * normalised by standard_workdays ÷ workdays; x is months from the base
 * period's first month. */
static void load_history(struct state *s)
{
	struct vbr_reader r;
	int64_t std = 0;
	vbr_intern_init(&s->hist_orgs);
	vbr_reader_open_side(&r, s->opt->history, EX_DATAERR);
	int cm = vbr_reader_require(&r, "month"), cp = vbr_reader_require(&r, "pmpm");
	int co = vbr_reader_column(&r, "org_id"), cw = vbr_reader_column(&r, "workdays");
	s->hist_by_org = co >= 0;
	if (cw >= 0 && !vbr_term_rate(&s->opt->cli.terms, NULL, "standard_workdays", &std))
		vbr_die(EX_USAGE, "%s has a 'workdays' column: term 'standard_workdays' "
			"is required", s->opt->history);
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int32_t month;
		int64_t pmpm, wd = 1;
		int rc;
		if ((rc = vbr_parse_month(f[cm].p, f[cm].n, &month)) != VBR_OK)
			vbr_die_field(&r, cm, "month", rc, "");
		if ((rc = vbr_parse_amount(f[cp].p, f[cp].n, &pmpm)) != VBR_OK)
			vbr_die_field(&r, cp, "amount", rc, "");
		if (cw >= 0 && ((rc = vbr_parse_rate(f[cw].p, f[cw].n, &wd)) != VBR_OK || wd <= 0))
			vbr_die_field(&r, cw, "positive number", rc == VBR_OK ? VBR_INVALID : rc, "");
		if (co >= 0)
			vbr_field_id(NULL, &r, co);
		uint32_t id = co >= 0 ? vbr_intern(&s->hist_orgs, f[co].p, f[co].n) : 0;
		s->hist = vbr_grow_zeroed(s->hist, &s->hist_cap, (size_t)id + 1, sizeof *s->hist);
		struct history *h = &s->hist[id];
		size_t old = h->cap;
		h->x = vbr_grow(h->x, &h->cap, h->n + 1, sizeof *h->x);
		if (h->cap != old)
			h->y = vbr_xrealloc(h->y, h->cap * sizeof *h->y);
		h->x[h->n] = (double)(month - s->per.start_month[VBR_BASE]);
		h->y[h->n] = (double)pmpm / 100.0 * (cw >= 0 ? (double)std / (double)wd : 1.0);
		h->n++;
	}
	vbr_reader_close(&r);
}

/* Least squares through (x, y); B = ŷ(measure midpoint) ÷ ŷ(base midpoint)
 * − 1, the midpoints in months from the base period's first month. */
static void fit_trend(const struct state *s, const struct history *h, const char *who,
		      struct fit *out)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n = (double)h->n;
	for (size_t i = 0; i < h->n; i++) {
		sx += h->x[i];
		sy += h->y[i];
	}
	double mx = sx / n, my = sy / n;
	for (size_t i = 0; i < h->n; i++) {
		sxx += (h->x[i] - mx) * (h->x[i] - mx);
		sxy += (h->x[i] - mx) * (h->y[i] - my);
	}
	if (h->n < 2 || sxx == 0)
		vbr_die(EX_DATAERR, "%s: the history of %s has fewer than two distinct months: "
			"no trend line", s->opt->history, who);
	out->slope = sxy / sxx;
	out->intercept = my - out->slope * mx;
	double ssr = 0, sst = 0;
	for (size_t i = 0; i < h->n; i++) {
		double e = h->y[i] - (out->intercept + out->slope * h->x[i]);
		ssr += e * e;
		sst += (h->y[i] - my) * (h->y[i] - my);
	}
	out->r2 = sst > 0 ? 1 - ssr / sst : 1;
	const struct vbr_periods *p = &s->per;
	double base_mid = (p->end_month[VBR_BASE] - p->start_month[VBR_BASE]) / 2.0;
	double meas_mid = (p->start_month[VBR_MEASURE] + p->end_month[VBR_MEASURE]) / 2.0 -
			  p->start_month[VBR_BASE];
	double yb = out->intercept + out->slope * base_mid;
	double ym = out->intercept + out->slope * meas_mid;
	if (!(yb > 0))
		vbr_die(EX_DATAERR, "%s: the trend line of %s is not above 0 at the base "
			"period's midpoint", s->opt->history, who);
	out->trend4 = vbr_round_double((ym / yb - 1) * 10000);
}

/* The pricing table: cell (SEX:LO-HI), expected_mm, claims_pmpm,
 * premium_pmpm. */
static void load_pricing(struct state *s)
{
	struct vbr_reader r;
	vbr_reader_open_side(&r, s->opt->pricing, EX_DATAERR);
	int cc = vbr_reader_require(&r, "cell"), ce = vbr_reader_require(&r, "expected_mm");
	int ccl = vbr_reader_require(&r, "claims_pmpm"), cpr = vbr_reader_require(&r, "premium_pmpm");
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		struct vbr_band b;
		int64_t claims, premium;
		int rc;
		if (vbr_band_parse(f[cc].p, f[cc].n, &b))
			vbr_die_field(&r, cc, "cell (SEX:LO-HI, e.g. F:65-69)", VBR_INVALID, "");
		if ((rc = vbr_parse_count(f[ce].p, f[ce].n, &b.value)) != VBR_OK)
			vbr_die_field(&r, ce, "count", rc, "");
		if ((rc = vbr_parse_amount(f[ccl].p, f[ccl].n, &claims)) != VBR_OK || claims < 0)
			vbr_die_field(&r, ccl, "amount", rc ? rc : VBR_INVALID, "");
		if ((rc = vbr_parse_amount(f[cpr].p, f[cpr].n, &premium)) != VBR_OK || premium <= 0)
			vbr_die_field(&r, cpr, "positive amount", rc ? rc : VBR_INVALID, "");
		int i = vbr_bands_add(&s->cells, &b);
		if (i >= 0)
			vbr_die(EX_DATAERR, "%s: cell '%.*s' overlaps '%c:%d-%d'", vbr_reader_place(&r),
				(int)f[cc].n, f[cc].p, s->cells.band[i].sex, s->cells.band[i].lo,
				s->cells.band[i].hi);
		s->claims_pmpm = vbr_xrealloc(s->claims_pmpm, (size_t)s->cells.n * sizeof(int64_t));
		s->premium_pmpm = vbr_xrealloc(s->premium_pmpm, (size_t)s->cells.n * sizeof(int64_t));
		s->claims_pmpm[s->cells.n - 1] = claims;
		s->premium_pmpm[s->cells.n - 1] = premium;
	}
	if (s->cells.n == 0)
		vbr_die(EX_DATAERR, "%s: no pricing cell", s->opt->pricing);
	vbr_reader_close(&r);
}

/* Cost-row hook: a measurement row's member months go to its pricing cell. */
static void tally_cell(void *ctx, struct vbr_reader *r, int period, uint32_t org, int64_t mm,
		       int64_t cost, int64_t premium)
{
	(void)premium;
	struct state *s = ctx;
	struct vbr_field *f = r->field;
	int64_t age;
	int rc;
	(void)cost;
	if (period != VBR_MEASURE)
		return;
	if (s->csex < 0) {
		s->csex = vbr_reader_require(r, "sex");
		s->cage = vbr_reader_require(r, "age");
	}
	if ((rc = vbr_parse_count(f[s->cage].p, f[s->cage].n, &age)) != VBR_OK)
		vbr_die_field(r, s->cage, "age", rc, "");
	int cell = vbr_bands_find(&s->cells, f[s->csex].p, f[s->csex].n, age);
	if (cell < 0)
		vbr_die(EX_DATAERR, "%s: no pricing cell for sex '%.*s' age %lld",
			vbr_reader_place(r), (int)f[s->csex].n, f[s->csex].p, (long long)age);
	size_t at = (size_t)org * (size_t)s->cells.n + (size_t)cell;
	s->cell_mm = vbr_grow_zeroed(s->cell_mm, &s->cell_mm_cap, at + 1, sizeof *s->cell_mm);
	s->cell_mm[at] += mm;
}

/* Σ mm × claims ÷ Σ mm × premium over the cells, 4 decimals; -1 when the
 * weights are all zero. */
static int64_t loss_ratio(const struct state *s, const int64_t *mm)
{
	__int128 claims = 0, premium = 0;
	for (int i = 0; i < s->cells.n; i++) {
		claims += (__int128)mm[i] * s->claims_pmpm[i];
		premium += (__int128)mm[i] * s->premium_pmpm[i];
	}
	return premium > 0 ? vbr_div_round(claims * 10000, premium) : -1;
}

/* One row of target(1)'s output: each step of the target development. */
struct row {
	struct vbr_text org;
	int64_t base_members, base_member_months, base_pmpm, trend, target_base_basis_pmpm,
		mix_adjustment, target_measure_basis_pmpm, regional_adjustment_pmpm,
		prior_savings_pmpm, risk_discount, target_pmpm, trend_slope, trend_intercept,
		trend_r2, target_loss_ratio, actual_mix_loss_ratio;
};

enum { WITH_REGRESSION = 1, WITH_LOSS_RATIO = 2 };

/* target(1) OUTPUT: the header and each org's row. */
#define COL(kind, ...) VBR_COL_##kind(struct row, __VA_ARGS__)
static const struct vbr_column columns[] = {
	VBR_COL_ID(struct row, org, "org_id"),
	COL(COUNT, base_members, "base_members"),
	COL(COUNT, base_member_months, "base_member_months"),
	COL(CENTS, base_pmpm, "base_pmpm"),
	COL(FIXED, trend, "trend", 4, 4),
	COL(CENTS, target_base_basis_pmpm, "target_base_basis_pmpm"),
	COL(FIXED, mix_adjustment, "mix_adjustment", 4, 4),
	COL(CENTS, target_measure_basis_pmpm, "target_measure_basis_pmpm"),
	COL(CENTS, regional_adjustment_pmpm, "regional_adjustment_pmpm"),
	COL(CENTS, prior_savings_pmpm, "prior_savings_pmpm"),
	COL(FIXED, risk_discount, "risk_discount", 6, 4),
	COL(CENTS, target_pmpm, "target_pmpm"),
	COL(FIXED, trend_slope, "trend_slope", 4, 4, .when = WITH_REGRESSION),
	COL(FIXED, trend_intercept, "trend_intercept", 4, 4, .when = WITH_REGRESSION),
	COL(FIXED, trend_r2, "trend_r2", 4, 4, .when = WITH_REGRESSION),
	COL(FIXED, target_loss_ratio, "target_loss_ratio", 4, 4, .when = WITH_LOSS_RATIO),
	COL(FIXED, actual_mix_loss_ratio, "actual_mix_loss_ratio", 4, 4, .when = WITH_LOSS_RATIO),
	{.name = NULL},
};

/* A fitted statistic as the row holds it: 4 decimals. */
static int64_t four_decimals(double v)
{
	return vbr_round_double(v * 10000);
}

static const char *org_name(const struct state *s, uint32_t id, size_t *n)
{
	return vbr_intern_str(&s->costs.orgs, id, n);
}

/* The trend B of an org, 4 decimals; *f gets the fit under regression. */
static int64_t trend_of(struct state *s, const char *org, size_t n, struct fit *f)
{
	char who[160];
	if (!s->regression) {
		int64_t t;
		vbr_term_rate(&s->opt->cli.terms, org, "trend", &t);
		return vbr_div_round(t, 100);
	}
	uint32_t id = 0;
	if (s->hist_by_org) {
		id = vbr_intern_find(&s->hist_orgs, org, n);
		if (id == VBR_NOT_INTERNED)
			vbr_die(EX_DATAERR, "%s: no history for org '%.*s'", s->opt->history, (int)n, org);
		snprintf(who, sizeof who, "org '%.*s'", (int)n, org);
	} else {
		snprintf(who, sizeof who, "all orgs");
	}
	fit_trend(s, id < s->hist_cap ? &s->hist[id] : &(struct history){0}, who, f);
	return f->trend4;
}

/* One org's steps A ... I of the target development into its row. */
static void develop_target(struct state *s, uint32_t id, const struct vbr_org_total *base,
			   struct row *row)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	size_t n;
	const char *p = org_name(s, id, &n);
	char org[256];
	int found;
	snprintf(org, sizeof org, "%.*s", (int)n, p);
	if (base->member_months <= 0)
		vbr_die(EX_DATAERR, "org '%s' has no base-period member months: no base PMPM", org);
	struct fit f = {0};
	int64_t A = vbr_div_round(base->cost, base->member_months);
	int64_t B4 = trend_of(s, p, n, &f);
	int64_t C = vbr_div_round((__int128)A * (10000 + B4), 10000);
	int64_t D4 = 10000;
	if (s->has_mix) {
		D4 = org_value(&s->mix, p, n, &found);
		if (!found)
			vbr_die(EX_DATAERR, "%s: no aggregate mix row for org '%s'", s->opt->mix, org);
	}
	int64_t E = vbr_div_round((__int128)C * D4, 10000);
	int64_t weight, regional = 0, cap, share, prior = 0, rd;
	vbr_term_rate(t, org, "regional_weight", &weight);
	if (weight) {
		int64_t R;
		if (!vbr_term_amount(t, org, "regional_pmpm", &R))
			vbr_die(EX_USAGE, "org '%s': 'regional_weight' is given but 'regional_pmpm' "
				"is not", org);
		regional = vbr_div_round((__int128)weight * (R - E), VBR_MILLION);
		if (vbr_term_rate(t, org, "regional_cap", &cap)) {
			int64_t lim = vbr_div_round((__int128)cap * R, VBR_MILLION);
			regional = regional > lim ? lim : regional < -lim ? -lim : regional;
		}
	}
	vbr_term_rate(t, org, "prior_savings_share", &share);
	if (share && s->opt->prior)
		prior = vbr_div_round((__int128)share * org_value(&s->prior, p, n, &found),
				      VBR_MILLION);
	vbr_term_rate(t, org, "risk_discount", &rd);
	row->base_members = base->members;
	row->base_member_months = base->member_months;
	row->base_pmpm = A;
	row->trend = B4;
	row->target_base_basis_pmpm = C;
	row->mix_adjustment = D4;
	row->target_measure_basis_pmpm = E;
	row->regional_adjustment_pmpm = regional;
	row->prior_savings_pmpm = prior;
	row->risk_discount = rd;
	row->target_pmpm = vbr_div_round((__int128)(E + regional + prior) * (VBR_MILLION - rd),
					 VBR_MILLION);
	if (s->regression) {
		row->trend_slope = four_decimals(f.slope);
		row->trend_intercept = four_decimals(f.intercept);
		row->trend_r2 = four_decimals(f.r2);
	}
}

/* A loss-ratio contract's target loss ratio and the same at the org's
 * actual measurement mix (empty without measurement rows). */
static void loss_ratios(struct state *s, uint32_t id, struct row *row)
{
	int64_t *expected = vbr_xcalloc((size_t)s->cells.n, sizeof *expected);
	int64_t *actual = vbr_xcalloc((size_t)s->cells.n, sizeof *actual);
	for (int i = 0; i < s->cells.n; i++) {
		size_t at = (size_t)id * (size_t)s->cells.n + (size_t)i;
		expected[i] = s->cells.band[i].value;
		actual[i] = at < s->cell_mm_cap ? s->cell_mm[at] : 0;
	}
	int64_t tlr = loss_ratio(s, expected), alr = loss_ratio(s, actual);
	if (tlr < 0)
		vbr_die(EX_DATAERR, "%s: every expected_mm is 0: no target loss ratio",
			s->opt->pricing);
	row->target_loss_ratio = tlr;
	row->actual_mix_loss_ratio = alr >= 0 ? alr : VBR_EMPTY;
	free(expected);
	free(actual);
}

/* One org's row: every step of the target as a column; a loss-ratio
 * contract without base experience has no PMPM target (those are empty). */
static void write_org(struct state *s, struct vbr_writer *w, unsigned mask, uint32_t id)
{
	const struct vbr_org_total *base = vbr_costs_of(&s->costs, VBR_BASE, id);
	struct row row;
	vbr_columns_clear(columns, &row);
	row.org.p = org_name(s, id, &row.org.n);
	if (base)
		develop_target(s, id, base, &row);
	if (s->loss_ratio)
		loss_ratios(s, id, &row);
	vbr_columns_row(w, columns, mask, &row);
}

static void write_targets(struct state *s, struct vbr_account *a)
{
	struct vbr_writer w;
	uint32_t *order = vbr_intern_sorted(&s->costs.orgs);
	unsigned mask = (s->regression ? WITH_REGRESSION : 0) | (s->loss_ratio ? WITH_LOSS_RATIO : 0);
	vbr_columns_stdout(&w, columns, mask);
	int no_base = vbr_account_reason(a, "orgs with measurement rows only (no target)");
	for (uint32_t j = 0; j < s->costs.orgs.count; j++) {
		if (!s->loss_ratio && !vbr_costs_of(&s->costs, VBR_BASE, order[j])) {
			a->left[no_base].n++;
			continue;
		}
		write_org(s, &w, mask, order[j]);
		a->written++;
	}
	vbr_writer_close(&w);
	free(order);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_account a;
	const struct vbr_terms *t = &o->cli.terms;
	int64_t dec;
	s->opt = o;
	s->csex = s->cage = -1;
	vbr_periods_load(&s->per, t);
	vbr_term_count(t, NULL, "round_factor_decimals", &dec);
	if (dec != 4)
		vbr_die(EX_USAGE, "term 'round_factor_decimals': target publishes 4 decimals");
	int method = VBR_TARGET_COST, trend = VBR_TREND_FIXED;
	vbr_term_choice(t, NULL, "target_method", &method);
	vbr_term_choice(t, NULL, "trend_method", &trend);
	s->loss_ratio = method == VBR_TARGET_LOSS_RATIO;
	s->regression = trend == VBR_TREND_REGRESSION;
	if (s->regression && !o->history)
		vbr_die(EX_USAGE, "trend_method = regression needs --history FILE");
	if (s->loss_ratio && !o->pricing)
		vbr_die(EX_USAGE, "target_method = loss_ratio needs --pricing FILE");
	if (o->mix) {
		load_org_values(&s->mix, o->mix, 1);
		s->has_mix = 1;
	}
	if (o->prior)
		load_org_values(&s->prior, o->prior, 0);
	if (s->regression)
		load_history(s);
	if (s->loss_ratio) {
		load_pricing(s);
		s->costs.row = tally_cell;
		s->costs.ctx = s;
	}
	vbr_cli_account(&o->cli, &a, "targets");
	vbr_costs_read(&s->costs, o->cli.operands, o->cli.noperands, &a);
	write_targets(s, &a);
	int status = vbr_account_finish(&a, o->cli.verbose);
	vbr_costs_free(&s->costs);
	if (s->has_mix) {
		vbr_intern_free(&s->mix.orgs);
		free(s->mix.v);
	}
	if (o->prior) {
		vbr_intern_free(&s->prior.orgs);
		free(s->prior.v);
	}
	for (size_t i = 0; i < s->hist_cap; i++) {
		free(s->hist[i].x);
		free(s->hist[i].y);
	}
	free(s->hist);
	if (s->regression)
		vbr_intern_free(&s->hist_orgs);
	vbr_bands_free(&s->cells);
	free(s->claims_pmpm);
	free(s->premium_pmpm);
	free(s->cell_mm);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
