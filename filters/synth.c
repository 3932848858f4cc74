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
#include "money.h"
#include "prng.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	int64_t members, orgs, seed, lines_per_year;
	const char *dir;
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
	struct provider *prov;
	int nprov, npcp_all;
	char date[4 * 366 + 1][11];   /* 2022-01-01 .. */
	int32_t day0;
	struct vbr_writer claims, elig;
	int64_t claim_seq;
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

/* One claim line. */
static void claim_line(struct gen *s, const char *member, int line, int from, int thru,
		       const struct provider *p, const char *hcpcs, const char *pos,
		       const char *category, int64_t allowed, const char *dx)
{
	struct vbr_writer *w = &s->claims;
	int64_t paid = allowed * 80 / 100;        /* 20% coinsurance */
	int paid_day = thru + 14 + (int)vbr_prng_below(&s->g, 60);
	if (paid_day > 4 * 365)
		paid_day = 4 * 365;
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
	const char *region = regions[vbr_prng_below(&s->g, 5)];
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
		for (int m = first; m <= last; m++) {
			struct vbr_writer *w = &s->elig;
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

static int process(struct options *o)
{
	struct gen *s = vbr_xcalloc(1, sizeof *s);
	s->o = o;
	vbr_prng_seed(&s->g, (uint64_t)o->seed);
	if (mkdir(o->dir, 0777) != 0) {
		struct stat st;
		if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode))
			vbr_die_errno(EX_IOERR, "%s: cannot create directory", o->dir);
	}
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
	for (int64_t n = 1; n <= o->members; n++)
		member(s, n);
	vbr_writer_close(&s->claims);
	vbr_writer_close(&s->elig);
	side_files(s);
	free(s->prov);
	free(s);
	return 0;
}

VBR_MAIN(command, struct options, process)
