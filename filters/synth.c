/*
 * synth — a deterministic synthetic extract: claims, eligibility, roster,
 * factor tables, quality scores and terms for N members across several
 * orgs over two years (base 2023, measurement 2024). The same seed gives the
 * same bytes on any machine (prng.h). It feeds the demo and the benchmarks.
 *
 * Shape: Medicare-like ages (10% disabled under 65), 55% women; enrollment
 * types esrd/disabled/aged_dual/aged_nondual; each member has a home PCP in
 * one of the orgs (75%) or in an unaffiliated practice; visits are E/M codes
 * to PCPs and specialists plus labs and imaging; inpatient stays are rare and
 * lognormal with a heavy tail (some members cost over $250,000 a year).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "error.h"
#include "fixedrec.h"
#include "money.h"
#include "period.h"
#include "prng.h"
#include "profiles.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	int64_t members, orgs, seed, lines_per_year;
	const char *dir;
	int cclf;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, members, "members", 0, VBR_ARG_COUNT, "N",
		"members in the extract", .deflt = "2000", .lo = 1, .hi = INT64_MAX),
	VBR_OPT(struct options, orgs, "orgs", 0, VBR_ARG_COUNT, "K",
		"orgs on the roster", .deflt = "4", .lo = 1, .hi = 99),
	VBR_OPT(struct options, seed, "seed", 0, VBR_ARG_COUNT, "S",
		"the generator's seed: the same seed, the same bytes", .deflt = "1", .lo = 1,
		.hi = INT64_MAX),
	VBR_OPT(struct options, lines_per_year, "lines-per-year", 0, VBR_ARG_COUNT, "L",
		"mean claim lines per member and year", .deflt = "15", .lo = 1,
		.hi = INT64_MAX),
	VBR_OPT(struct options, cclf, "cclf", 0, VBR_ARG_FLAG, NULL,
		"also write the extract as CMS ships it: CCLF1, 2, 5 and 8 files and "
		"an assignment list, in DIR/cclf"),
	VBR_OPT(struct options, dir, "output", 'o', VBR_ARG_TEXT, "DIR",
		"the directory to write the extract into", .flags = VBR_REQUIRED),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "synth",
	.about = "A deterministic synthetic extract: claims, eligibility, roster, "
		"factors, quality and terms of a two-year contract.",
	.options = options,
	.groups = 0,
};

#define PCPS_PER_ORG 40
#define SPECS_PER_ORG 60
#define FREE_PCPS 300
#define FREE_SPECS 400
#define FREE_TINS 60
#define YEAR0 2023

enum role { PCP, SPECIALIST };

struct provider {
	char id[16];
	char tin[16];
	int org;              /* -1: not on the roster */
	enum role role;
	const char *specialty;
};

struct code {
	const char *hcpcs;
	int64_t fee_cents;
	const char *pos;
	int weight;
};

/* Medicare-like physician fee levels (rounded); facts, not a fee schedule. */
static const struct code pcp_codes[] = {
	{"99212", 5700, "11", 10}, {"99213", 9200, "11", 40}, {"99214", 13100, "11", 30},
	{"99215", 18500, "11", 5}, {"G0438", 17400, "11", 3}, {"G0439", 13000, "11", 6},
	{"99495", 20100, "11", 2}, {"99490", 6300, "11", 3}, {"99348", 9800, "12", 1},
	{NULL, 0, NULL, 0},
};
static const struct code spec_codes[] = {
	{"99203", 11200, "11", 20}, {"99204", 16900, "11", 15}, {"99213", 9200, "11", 30},
	{"99214", 13100, "11", 25}, {"99243", 14000, "11", 10}, {NULL, 0, NULL, 0},
};
static const struct code other_codes[] = {
	{"80053", 1100, "81", 25}, {"85025", 800, "81", 25}, {"36415", 300, "81", 20},
	{"71046", 3000, "22", 10}, {"93000", 1700, "11", 10}, {"74177", 35000, "22", 5},
	{"J1100", 200, "11", 5}, {NULL, 0, NULL, 0},
};
static const char *const spec_specialties[] = {"06", "10", "13", "20", "29", "33", "39"};
static const char *const regions[] = {"north", "south", "east", "west", "central"};
static const char *const plans[] = {"gold", "silver", "bronze"};
static const char *const networks[] = {"broad", "narrow"};

struct gen {
	struct options *o;
	struct vbr_prng g;
	struct vbr_prng lag;          /* the payment lags' own generator */
	struct provider *prov;
	int nprov, npcp_all;
	char date[4 * 366 + 1][11];   /* 2022-01-01 .. */
	int32_t day0;
	struct vbr_writer claims, elig;
	int64_t claim_seq;
	struct cclf *cclf;            /* --cclf, else NULL */
};

static const struct code *pick_code(struct gen *s, const struct code *t)
{
	int total = 0;
	for (const struct code *c = t; c->hcpcs; c++)
		total += c->weight;
	int r = (int)vbr_prng_below(&s->g, (uint64_t)total);
	for (const struct code *c = t; c->hcpcs; c++)
		if ((r -= c->weight) < 0)
			return c;
	return t;
}

/* Lognormal amount in cents with the given median and log-sd. */
static int64_t lognormal_cents(struct gen *s, double median, double sigma)
{
	double x = median * vbr_det_exp(sigma * vbr_prng_normal(&s->g));
	return vbr_round_double(x * 100.0);
}

static void make_providers(struct gen *s)
{
	int64_t k = s->o->orgs;
	s->nprov = (int)(k * (PCPS_PER_ORG + SPECS_PER_ORG) + FREE_PCPS + FREE_SPECS);
	s->prov = vbr_xcalloc((size_t)s->nprov, sizeof *s->prov);
	int i = 0;
	/* PCPs first (orgs' then unaffiliated), then specialists */
	for (int pass = 0; pass < 2; pass++) {
		enum role role = pass == 0 ? PCP : SPECIALIST;
		int per = role == PCP ? PCPS_PER_ORG : SPECS_PER_ORG;
		int nfree = role == PCP ? FREE_PCPS : FREE_SPECS;
		for (int org = 0; org < k; org++)
			for (int j = 0; j < per; j++, i++) {
				struct provider *p = &s->prov[i];
				p->org = org;
				p->role = role;
				snprintf(p->tin, sizeof p->tin, "9%02d000000", (org + 1) % 100);
			}
		for (int j = 0; j < nfree; j++, i++) {
			struct provider *p = &s->prov[i];
			p->org = -1;
			p->role = role;
			snprintf(p->tin, sizeof p->tin, "8%08d", (j % FREE_TINS + 1) % 100000000);
		}
		if (pass == 0)
			s->npcp_all = i;
	}
	for (i = 0; i < s->nprov; i++) {
		struct provider *p = &s->prov[i];
		snprintf(p->id, sizeof p->id, "1%09d", 100000 + i * 7);
		p->specialty = p->role == PCP ? (i % 3 ? "08" : "11")
			       : spec_specialties[vbr_prng_below(&s->g, 7)];
	}
}

static void put_tab(struct vbr_writer *w) { vbr_putc(w, '\t'); }

/* ---- the extract as CMS ships it (--cclf) ------------------------------
 * Each claim line is also written as CCLF: a professional line as a CCLF5
 * Part B line; an inpatient stay as a CCLF1 header with two CCLF2
 * revenue-center lines (room and board, pharmacy) that pay nothing of
 * their own (the DRG payment is the header's); each member month as a
 * record of that month's CCLF8. Some claims come as CMS sends them after a
 * correction: 3% of Part B lines and 5% of stays as an original that an
 * adjustment (CLM_ADJSMT_TYPE_CD 2, a later CLM_EFCTV_DT) replaces, 1% as
 * a duplicate original that a cancellation (1) takes back. Netted to the
 * final action, the files are claims.tsv's claims, paid to the cent (Part
 * A has no allowed amount). The choices draw on a generator of their own,
 * so claims.tsv has the same bytes with or without --cclf. */

#define CCLF_MONTHS 24

struct cclf {
	struct vbr_writer c1, c2, c5, c8[CCLF_MONTHS], assignment;
	struct vbr_prng g;
	struct vbr_fixedrec r;
	int64_t uniq;                    /* the last CUR_CLM_UNIQ_ID */
	const struct vbr_profile *p1, *p2, *p5, *p8;
	char (*date)[11];
};

/* One synthetic claim line, as claim_line writes it. */
struct cclf_line {
	const char *member;
	int64_t claim;
	int line, from, thru, paid_day;
	const struct provider *p;
	const char *hcpcs, *pos, *category;
	int64_t allowed, paid;
	const char *dx;
};

static const char *const drgs[] = {"0291", "0470", "0871", "0190", "0392", "0683"};
static const char *const fips[] = {"25", "12", "36", "06", "17"};   /* by region */

/* A Part B line version: CUR_CLM_UNIQ_ID is the next; `type` the
 * adjustment code; `effective` a day index. */
static void part_b(struct cclf *c, const struct cclf_line *l, const char *control, int type,
		   int effective, int64_t allowed, int64_t paid)
{
	char v[32];
	struct vbr_fixedrec *r = &c->r;
	vbr_fixedrec_start(r, c->p5->layout);
	snprintf(v, sizeof v, "%013lld", (long long)++c->uniq);
	vbr_fixedrec_set(r, "CUR_CLM_UNIQ_ID", v);
	snprintf(v, sizeof v, "%010d", l->line);
	vbr_fixedrec_set(r, "CLM_LINE_NUM", v);
	vbr_fixedrec_set(r, "BENE_MBI_ID", l->member);
	vbr_fixedrec_set(r, "CLM_TYPE_CD", "71");
	vbr_fixedrec_set(r, "CLM_FROM_DT", c->date[l->from]);
	vbr_fixedrec_set(r, "CLM_THRU_DT", c->date[l->thru]);
	vbr_fixedrec_set(r, "CLM_LINE_FROM_DT", c->date[l->from]);
	vbr_fixedrec_set(r, "CLM_LINE_THRU_DT", c->date[l->thru]);
	vbr_fixedrec_set(r, "CLM_PRVDR_SPCLTY_CD", l->p->specialty);
	vbr_fixedrec_set(r, "CLM_POS_CD", l->pos);
	vbr_fixedrec_set(r, "CLM_LINE_HCPCS_CD", l->hcpcs);
	vbr_fixedrec_amount(r, "CLM_LINE_CVRD_PD_AMT", paid);
	vbr_fixedrec_amount(r, "CLM_LINE_ALOWD_CHRG_AMT", allowed);
	vbr_fixedrec_set(r, "CLM_RNDRG_PRVDR_TAX_NUM", l->p->tin);
	vbr_fixedrec_set(r, "RNDRG_PRVDR_NPI_NUM", l->p->id);
	snprintf(v, sizeof v, "%d", type);
	vbr_fixedrec_set(r, "CLM_ADJSMT_TYPE_CD", v);
	vbr_fixedrec_set(r, "CLM_EFCTV_DT", c->date[effective]);
	vbr_fixedrec_set(r, "CLM_CNTL_NUM", control);
	vbr_fixedrec_set(r, "CLM_DGNS_1_CD", l->dx);
	vbr_fixedrec_put(r, &c->c5);
}

/* A Part A stay version: its CCLF1 header and its two CCLF2 lines. */
static void part_a(struct cclf *c, const struct cclf_line *l, const char *ccn,
		   const char *control, int type, int effective, int64_t paid, const char *drg)
{
	char v[32], uniq[24];
	struct vbr_fixedrec *r = &c->r;
	snprintf(uniq, sizeof uniq, "%013lld", (long long)++c->uniq);
	vbr_fixedrec_start(r, c->p1->layout);
	vbr_fixedrec_set(r, "CUR_CLM_UNIQ_ID", uniq);
	vbr_fixedrec_set(r, "PRVDR_OSCAR_NUM", ccn);
	vbr_fixedrec_set(r, "BENE_MBI_ID", l->member);
	vbr_fixedrec_set(r, "CLM_TYPE_CD", "60");
	vbr_fixedrec_set(r, "CLM_FROM_DT", c->date[l->from]);
	vbr_fixedrec_set(r, "CLM_THRU_DT", c->date[l->thru]);
	vbr_fixedrec_set(r, "PRNCPL_DGNS_CD", l->dx);
	vbr_fixedrec_amount(r, "CLM_PMT_AMT", paid);
	vbr_fixedrec_set(r, "DGNS_DRG_CD", drg);
	vbr_fixedrec_set(r, "ATNDG_PRVDR_NPI_NUM", l->p->id);
	snprintf(v, sizeof v, "%d", type);
	vbr_fixedrec_set(r, "CLM_ADJSMT_TYPE_CD", v);
	vbr_fixedrec_set(r, "CLM_EFCTV_DT", c->date[effective]);
	vbr_fixedrec_set(r, "CLM_BLG_PRVDR_OSCAR_NUM", ccn);
	vbr_fixedrec_set(r, "CLM_CNTL_NUM", control);
	vbr_fixedrec_put(r, &c->c1);
	static const char *const revenue[] = {"0120", "0250"};
	for (int k = 0; k < 2; k++) {
		vbr_fixedrec_start(r, c->p2->layout);
		vbr_fixedrec_set(r, "CUR_CLM_UNIQ_ID", uniq);
		snprintf(v, sizeof v, "%010d", k + 1);
		vbr_fixedrec_set(r, "CLM_LINE_NUM", v);
		vbr_fixedrec_set(r, "BENE_MBI_ID", l->member);
		vbr_fixedrec_set(r, "CLM_TYPE_CD", "60");
		vbr_fixedrec_set(r, "CLM_LINE_FROM_DT", c->date[l->from]);
		vbr_fixedrec_set(r, "CLM_LINE_THRU_DT", c->date[l->thru]);
		vbr_fixedrec_set(r, "CLM_LINE_PROD_REV_CTR_CD", revenue[k]);
		vbr_fixedrec_set(r, "PRVDR_OSCAR_NUM", ccn);
		vbr_fixedrec_set(r, "CLM_FROM_DT", c->date[l->from]);
		vbr_fixedrec_set(r, "CLM_THRU_DT", c->date[l->thru]);
		vbr_fixedrec_amount(r, "CLM_LINE_CVRD_PD_AMT", 0);
		vbr_fixedrec_set(r, "CLM_FAC_PRVDR_OSCAR_NUM", ccn);
		vbr_fixedrec_put(r, &c->c2);
	}
}

/* Claim line l as CCLF, with its corrections. */
static void cclf_claim_line(struct cclf *c, const struct cclf_line *l)
{
	char control[24], other[32];
	snprintf(control, sizeof control, "C%lld", (long long)l->claim);
	double u = vbr_prng_uniform(&c->g);
	/* a duplicate's original and its cancellation; an adjusted claim's
	 * original takes effect the day before its adjustment */
	int early = l->thru + 5, later = l->thru + 10, before = l->paid_day - 1;
	if (strcmp(l->category, "inpatient") != 0) {
		if (u < 0.03) {              /* billed 10% high, then adjusted */
			part_b(c, l, control, 0, before, l->allowed * 11 / 10, l->paid * 11 / 10);
			part_b(c, l, control, 2, l->paid_day, l->allowed, l->paid);
		} else {
			part_b(c, l, control, 0, l->paid_day, l->allowed, l->paid);
		}
		if (u >= 0.03 && u < 0.04) { /* a duplicate, cancelled */
			snprintf(other, sizeof other, "D%lld", (long long)l->claim);
			part_b(c, l, other, 0, early, l->allowed, l->paid);
			part_b(c, l, other, 1, later, l->allowed, l->paid);
		}
		return;
	}
	char ccn[8];
	snprintf(ccn, sizeof ccn, "05%.4s", l->p->id + 6);
	const char *drg = drgs[vbr_prng_below(&c->g, LEN(drgs))];
	if (u < 0.05) {                      /* paid 10% low, then adjusted */
		part_a(c, l, ccn, control, 0, before, l->paid * 9 / 10, drg);
		snprintf(other, sizeof other, "%sR", control);
		part_a(c, l, ccn, other, 2, l->paid_day, l->paid, drg);
	} else {
		part_a(c, l, ccn, control, 0, l->paid_day, l->paid, drg);
	}
	if (u >= 0.05 && u < 0.06) {         /* billed by the wrong hospital, cancelled */
		snprintf(ccn, sizeof ccn, "39%.4s", l->p->id + 6);
		snprintf(other, sizeof other, "X%lld", (long long)l->claim);
		part_a(c, l, ccn, other, 0, early, l->paid, drg);
		part_a(c, l, ccn, other, 1, later, l->paid, drg);
	}
}

/* A covered month of a member, in that month's CCLF8. */
static void cclf_member_month(struct cclf *c, int month, const char *member,
			      const char *birth, char sex, int region, const char *type)
{
	struct vbr_fixedrec *r = &c->r;
	vbr_fixedrec_start(r, c->p8->layout);
	vbr_fixedrec_set(r, "BENE_MBI_ID", member);
	vbr_fixedrec_set(r, "BENE_FIPS_STATE_CD", fips[region]);
	vbr_fixedrec_set(r, "BENE_FIPS_CNTY_CD", "001");
	vbr_fixedrec_set(r, "BENE_DOB", birth);
	vbr_fixedrec_set(r, "BENE_SEX_CD", sex == 'M' ? "1" : "2");
	vbr_fixedrec_set(r, "BENE_MDCR_STUS_CD", strcmp(type, "esrd") == 0 ? "31"
			 : strcmp(type, "disabled") == 0 ? "20" : "10");
	vbr_fixedrec_set(r, "BENE_DUAL_STUS_CD", strcmp(type, "aged_dual") == 0 ? "02" : "NA");
	vbr_fixedrec_set(r, "GEO_ZIP5_CD", "00000");
	vbr_fixedrec_put(r, &c->c8[month]);
}

/* The payment lag: P(k months) = (1 − q) q^k (synth(1)). */
#define LAG_Q 0.35

/* The day a claim incurred on day `from` (through `thru`) is paid: k whole
 * months after the month of from_date, k geometric with LAG_Q, so the
 * share of a month's claims paid within d months is 1 − q^(d+1); on a day
 * of that month not before thru (a stay that ends in a later month is paid
 * no earlier than that month). Its own generator, so the other columns do
 * not depend on it. Day indexes from day0. */
static int paid_day_of(struct gen *s, int from, int thru)
{
	int k = 0;
	while (k < 60 && vbr_prng_uniform(&s->lag) < LAG_Q)
		k++;
	int32_t m = vbr_month_of_day(s->day0 + from) + k, mt = vbr_month_of_day(s->day0 + thru);
	if (m < mt)
		m = mt;
	int lo = vbr_first_day_of_month(m) - s->day0, hi = vbr_first_day_of_month(m + 1) - s->day0;
	if (lo < thru)
		lo = thru;
	int day = lo + (int)vbr_prng_below(&s->lag, (uint64_t)(hi - lo));
	return day > 4 * 365 ? 4 * 365 : day;
}

/* One claim line. */
static void claim_line(struct gen *s, const char *member, int line, int from, int thru,
		       const struct provider *p, const char *hcpcs, const char *pos,
		       const char *category, int64_t allowed, const char *dx)
{
	struct vbr_writer *w = &s->claims;
	int64_t paid = allowed * 80 / 100;        /* 20% coinsurance */
	(void)vbr_prng_below(&s->g, 60);   /* the draw paid dates once took: the rest keeps its bytes */
	int paid_day = paid_day_of(s, from, thru);
	vbr_puts(w, member); put_tab(w);
	vbr_putc(w, 'C'); vbr_put_int(w, s->claim_seq); put_tab(w);
	vbr_put_int(w, line); put_tab(w);
	vbr_put(w, s->date[from], 10); put_tab(w);
	vbr_put(w, s->date[thru], 10); put_tab(w);
	vbr_put(w, s->date[paid_day], 10); put_tab(w);
	vbr_puts(w, p->id); put_tab(w);
	vbr_puts(w, p->tin); put_tab(w);
	vbr_puts(w, p->specialty); put_tab(w);
	vbr_puts(w, hcpcs); put_tab(w);
	vbr_puts(w, pos); put_tab(w);
	vbr_puts(w, category); put_tab(w);
	vbr_put_cents(w, allowed); put_tab(w);
	vbr_put_cents(w, paid); put_tab(w);
	vbr_puts(w, dx);
	vbr_putc(w, '\n');
	if (s->cclf)
		cclf_claim_line(s->cclf, &(struct cclf_line){member, s->claim_seq, line, from, thru,
				paid_day, p, hcpcs, pos, category, allowed, paid, dx});
}

static const char *const dx_codes[] = {"I10", "E119", "E785", "J449", "N183", "I509",
				       "F329", "M170", "Z0000", "K219"};

/* One member: attributes, eligibility months for both years, claims. */
static void member(struct gen *s, int64_t n)
{
	char id[24];
	snprintf(id, sizeof id, "M%08lld", (long long)n);
	double u = vbr_prng_uniform(&s->g);
	int disabled = u < 0.10, esrd = vbr_prng_uniform(&s->g) < 0.01;
	int dual = vbr_prng_uniform(&s->g) < 0.13;
	int age = disabled ? 30 + (int)vbr_prng_below(&s->g, 35)
			   : 65 + (int)(vbr_prng_uniform(&s->g) * vbr_prng_uniform(&s->g) * 31);
	char sex = vbr_prng_uniform(&s->g) < 0.55 ? 'F' : 'M';
	int birth_month = 1 + (int)vbr_prng_below(&s->g, 12);
	int reg = (int)vbr_prng_below(&s->g, 5);
	const char *region = regions[reg];
	const char *plan = plans[vbr_prng_below(&s->g, 3)];
	const char *network = networks[vbr_prng_uniform(&s->g) < 0.7 ? 0 : 1];
	const char *type = esrd ? "esrd" : disabled ? "disabled" : dual ? "aged_dual" : "aged_nondual";
	double risk = vbr_det_exp(0.55 * vbr_prng_normal(&s->g) - 0.15) * (esrd ? 3.0 : 1.0);
	int64_t risk_m = vbr_round_double(risk * 1000.0) * 1000;   /* 3 decimals */
	int64_t premium = vbr_round_double(risk * 950.0) * 100;
	/* home PCP: 75% in an org */
	int npcp_org = (int)(s->o->orgs * PCPS_PER_ORG);
	int home = vbr_prng_uniform(&s->g) < 0.75 ? (int)vbr_prng_below(&s->g, (uint64_t)npcp_org)
		   : npcp_org + (int)vbr_prng_below(&s->g, FREE_PCPS);
	const char *dx = dx_codes[vbr_prng_below(&s->g, 10)];

	for (int yr = 0; yr < 2; yr++) {
		int year = YEAR0 + yr;
		/* coverage: most members all year; some join late or leave early */
		int first = 1, last = 12;
		double c = vbr_prng_uniform(&s->g);
		if (c < 0.05)
			first = 2 + (int)vbr_prng_below(&s->g, 11);
		else if (c < 0.10)
			last = 1 + (int)vbr_prng_below(&s->g, 11);
		char birth[11];
		vbr_format_date(birth, vbr_days_from_civil(YEAR0 - age, birth_month, 1));
		if (s->cclf && s->prov[home].org >= 0) {
			char line[64];
			snprintf(line, sizeof line, "%s\t%s\tORG%02d\n", id, yr ? "measure" : "base",
				 s->prov[home].org + 1);
			vbr_puts(&s->cclf->assignment, line);
		}
		for (int m = first; m <= last; m++) {
			struct vbr_writer *w = &s->elig;
			if (s->cclf)
				cclf_member_month(s->cclf, yr * 12 + m - 1, id, birth, sex, reg, type);
			char month[8];
			vbr_format_month(month, (year - 1970) * 12 + m - 1);
			vbr_puts(w, id); put_tab(w);
			vbr_puts(w, month); put_tab(w);
			vbr_puts(w, birth); put_tab(w);
			vbr_putc(w, sex); put_tab(w);
			vbr_puts(w, region); put_tab(w);
			vbr_puts(w, plan); put_tab(w);
			vbr_puts(w, network); put_tab(w);
			char rs[32];
			vbr_put(w, rs, vbr_format_fixed(rs, risk_m, 6, 3)); put_tab(w);
			vbr_puts(w, type); put_tab(w);
			vbr_put_cents(w, premium); put_tab(w);
			vbr_puts(w, "N\n");
		}
		int day_lo = vbr_days_from_civil(year, first, 1) - s->day0;
		int day_hi = (last == 12 ? vbr_days_from_civil(year + 1, 1, 1)
					 : vbr_days_from_civil(year, last + 1, 1)) - s->day0;
		double months = last - first + 1;
		/* visits: lognormal count around lines_per_year × risk, by months */
		double mean = (double)s->o->lines_per_year / 1.09 * risk * months / 12.0;
		int visits = (int)(mean * vbr_det_exp(0.5 * vbr_prng_normal(&s->g) - 0.125) + 0.5);
		for (int v = 0; v < visits; v++) {
			int day = day_lo + (int)vbr_prng_below(&s->g, (uint64_t)(day_hi - day_lo));
			double k = vbr_prng_uniform(&s->g);
			const struct provider *p;
			const struct code *cd;
			s->claim_seq++;
			if (k < 0.55) {
				p = vbr_prng_uniform(&s->g) < 0.8 ? &s->prov[home]
				    : &s->prov[vbr_prng_below(&s->g, (uint64_t)s->npcp_all)];
				cd = pick_code(s, pcp_codes);
			} else if (k < 0.85) {
				p = &s->prov[s->npcp_all + (int)vbr_prng_below(&s->g,
					(uint64_t)(s->nprov - s->npcp_all))];
				cd = pick_code(s, spec_codes);
			} else {
				p = &s->prov[home];
				cd = pick_code(s, other_codes);
			}
			int64_t fee = cd->fee_cents + (int64_t)vbr_prng_below(&s->g, 200) - 100;
			claim_line(s, id, 1, day, day, p, cd->hcpcs, cd->pos, "professional", fee, dx);
			if (k >= 0.85 && vbr_prng_uniform(&s->g) < 0.6) {
				const struct code *c2 = pick_code(s, other_codes);
				claim_line(s, id, 2, day, day, p, c2->hcpcs, c2->pos, "professional",
					   lognormal_cents(s, (double)c2->fee_cents / 100.0, 0.4), dx);
			}
		}
		/* inpatient: rare, heavy-tailed; catastrophic cases exceed $250k */
		double pin = 0.04 * risk * months / 12.0;
		while (vbr_prng_uniform(&s->g) < pin) {
			int day = day_lo + (int)vbr_prng_below(&s->g, (uint64_t)(day_hi - day_lo));
			int los = 1 + (int)vbr_prng_below(&s->g, 9);
			if (day + los >= day_hi)
				los = 0;
			int64_t amt = vbr_prng_uniform(&s->g) < 0.05
				      ? lognormal_cents(s, 300000.0, 0.35)
				      : lognormal_cents(s, 14000.0, 0.8);
			const struct provider *p = &s->prov[s->npcp_all + (int)vbr_prng_below(&s->g,
				(uint64_t)(s->nprov - s->npcp_all))];
			s->claim_seq++;
			claim_line(s, id, 1, day, day + los, p, "", "21", "inpatient", amt, dx);
			pin *= 0.3;
		}
	}
}

/* A directory to write into: made, or there already. */
static void make_dir(const char *dir)
{
	if (mkdir(dir, 0777) != 0) {
		struct stat st;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
			vbr_die_errno(EX_IOERR, "%s: cannot create directory", dir);
	}
}

static void open_out(struct gen *s, struct vbr_writer *w, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", s->o->dir, name);
	vbr_writer_create(w, path);
}

/* The small files: roster, factor tables, quality, terms. */
static void side_files(struct gen *s)
{
	struct vbr_writer w;
	open_out(s, &w, "roster.tsv");
	vbr_puts(&w, "provider_id\torg_id\trole\n");
	for (int i = 0; i < s->nprov; i++)
		if (s->prov[i].org >= 0) {
			char line[64];
			snprintf(line, sizeof line, "%s\tORG%02d\t%s\n", s->prov[i].id,
				 s->prov[i].org + 1, s->prov[i].role == PCP ? "pcp" : "specialist");
			vbr_puts(&w, line);
		}
	vbr_writer_close(&w);

	open_out(s, &w, "factors.tsv");
	vbr_puts(&w, "dimension\tkey\tfactor\n");
	static const char *const bands[] = {"0-34", "35-44", "45-54", "55-64", "65-69",
					    "70-74", "75-79", "80-84", "85-120"};
	static const int f_base[] = {6500, 7800, 9000, 10500, 9200, 10400, 11800, 13100, 14500};
	for (int sx = 0; sx < 2; sx++)
		for (int b = 0; b < 9; b++) {
			char line[64], fx[16];
			vbr_format_fixed(fx, (int64_t)(f_base[b] + (sx ? 400 : 0)) * 100, 6, 4);
			snprintf(line, sizeof line, "demographic\t%c:%s\t%s\n", sx ? 'M' : 'F',
				 bands[b], fx);
			vbr_puts(&w, line);
		}
	vbr_puts(&w, "network\tbroad\t1.0000\nnetwork\tnarrow\t0.9600\n"
		     "plan\tgold\t1.0300\nplan\tsilver\t1.0000\nplan\tbronze\t0.9500\n"
		     "geographic\tnorth\t1.0200\ngeographic\tsouth\t0.9700\n"
		     "geographic\teast\t1.0500\ngeographic\twest\t1.0100\n"
		     "geographic\tcentral\t0.9500\n");
	vbr_writer_close(&w);

	open_out(s, &w, "quality.tsv");
	vbr_puts(&w, "org_id\tquality_score\tmet_quality_standard\n");
	for (int k = 0; k < s->o->orgs; k++) {
		char line[64];
		int64_t q = 700000 + (int64_t)vbr_prng_below(&s->g, 28) * 10000;
		char qs[16];
		vbr_format_fixed(qs, q, 6, 4);
		snprintf(line, sizeof line, "ORG%02d\t%s\tY\n", k + 1, qs);
		vbr_puts(&w, line);
	}
	vbr_writer_close(&w);

	open_out(s, &w, "terms.tsv");
	vbr_puts(&w, "term\tvalue\n"
		     "base_start\t2023-01-01\nbase_end\t2023-12-31\n"
		     "measure_start\t2024-01-01\nmeasure_end\t2024-12-31\n"
		     "min_months\t1\nlarge_claim_percentile\t0.99\ncost_basis\tallowed\n"
		     "trend\t0.05\nrisk\ttwo_sided\nmsr\t0.02\nmlr\t0.02\n"
		     "sharing_rate\t0.5\nquality_mode\tmultiply\nquality_min\t0.3\n"
		     "loss_rate\tquality_linked\nloss_rate_min\t0.4\nloss_rate_max\t0.75\n"
		     "savings_cap\t0.1\nloss_cap\t0.05\npayment_reduction\t0.02\n");
	vbr_writer_close(&w);
}

/* The CCLF files in DIR/cclf, and the payer's assignment list: each
 * member whose home PCP is in an org, assigned to it for each period they
 * have coverage in. */
static struct cclf *cclf_open(struct gen *s)
{
	struct cclf *c = vbr_xcalloc(1, sizeof *c);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/cclf", s->o->dir);
	make_dir(dir);
	vbr_prng_seed(&c->g, (uint64_t)s->o->seed ^ 0x43434c46u);
	c->p1 = vbr_profile_find("cclf1");
	c->p2 = vbr_profile_find("cclf2");
	c->p5 = vbr_profile_find("cclf5");
	c->p8 = vbr_profile_find("cclf8");
	c->date = s->date;
	open_out(s, &c->c1, "cclf/cclf1.txt");
	open_out(s, &c->c2, "cclf/cclf2.txt");
	open_out(s, &c->c5, "cclf/cclf5.txt");
	for (int m = 0; m < CCLF_MONTHS; m++) {
		char name[64], month[8];
		vbr_format_month(month, (YEAR0 - 1970) * 12 + m);
		snprintf(name, sizeof name, "cclf/cclf8-%s.txt", month);
		open_out(s, &c->c8[m], name);
	}
	open_out(s, &c->assignment, "cclf/assignment.tsv");
	vbr_puts(&c->assignment, "member_id\tperiod\torg_id\n");
	return c;
}

static void cclf_close(struct cclf *c)
{
	vbr_writer_close(&c->c1);
	vbr_writer_close(&c->c2);
	vbr_writer_close(&c->c5);
	for (int m = 0; m < CCLF_MONTHS; m++)
		vbr_writer_close(&c->c8[m]);
	vbr_writer_close(&c->assignment);
	vbr_fixedrec_free(&c->r);
	free(c);
}

static int process(struct options *o)
{
	struct gen *s = vbr_xcalloc(1, sizeof *s);
	s->o = o;
	vbr_prng_seed(&s->g, (uint64_t)o->seed);
	vbr_prng_seed(&s->lag, (uint64_t)o->seed ^ 0x6c6167u);    /* "lag" */
	make_dir(o->dir);
	s->day0 = vbr_days_from_civil(YEAR0 - 1, 1, 1);
	for (int i = 0; i < 4 * 366; i++)
		vbr_format_date(s->date[i], s->day0 + i);
	make_providers(s);
	open_out(s, &s->claims, "claims.tsv");
	open_out(s, &s->elig, "eligibility.tsv");
	vbr_puts(&s->claims, "member_id\tclaim_id\tline\tfrom_date\tthru_date\tpaid_date\t"
		 "provider_id\ttin\tspecialty\thcpcs\tpos\tcategory\tallowed\tpaid\tdx1\n");
	vbr_puts(&s->elig, "member_id\tmonth\tbirth_date\tsex\tregion\tplan\tnetwork\t"
		 "risk_score\tenrollment_type\tpremium\texclude\n");
	if (o->cclf)
		s->cclf = cclf_open(s);
	for (int64_t n = 1; n <= o->members; n++)
		member(s, n);
	vbr_writer_close(&s->claims);
	vbr_writer_close(&s->elig);
	if (s->cclf)
		cclf_close(s->cclf);
	side_files(s);
	free(s->prov);
	free(s);
	return 0;
}

VBR_MAIN(command, struct options, process)
