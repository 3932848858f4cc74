/*
 * mix-factor — population mix factors per org (mix-factor(1)): for each of the
 * dimensions demographic, risk, network, plan and geographic, the
 * member-month weighted mean factor of the org's members in each period,
 * rounded to 4 decimals; the aggregate M = the product of the rounded
 * dimension factors, rounded; and the mix adjustment D = M(measure) ÷
 * M(base), rounded, which
 * moves a base-basis target to the measurement basis.
 *
 * All sums and products are exact integers (factors in millionths, products
 * in __int128); the only roundings are the published ones, half away from
 * zero.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "band.h"
#include "cli.h"
#include "columns.h"
#include "error.h"
#include "intern.h"
#include "money.h"
#include "period.h"
#include "reader.h"
#include "value.h"
#include "writer.h"


enum { D_DEMOGRAPHIC, D_RISK, D_NETWORK, D_PLAN, D_GEOGRAPHIC, ND };
/* the dimensions in the order of vbr(7), indexed by their number */
static const struct vbr_name dimensions[] = {
	{"demographic", D_DEMOGRAPHIC}, {"risk", D_RISK}, {"network", D_NETWORK},
	{"plan", D_PLAN}, {"geographic", D_GEOGRAPHIC}, {NULL, 0}};
/* the input column each table dimension is keyed by */
static const char *const dim_column[ND] = {NULL, "risk_score", "network", "plan", "region"};

struct options {
	struct vbr_cli cli;
	const char *factors;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, factors, "factors", 0, VBR_ARG_TEXT, "FILE",
		"factor tables: dimension, key, factor", .flags = VBR_REQUIRED),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "mix-factor",
	.about = "The population mix factors of each org: demographic, risk, network, "
		"plan and geographic, base and measurement, their product M and the "
		"mix adjustment D.",
	.operands = "costs ...",
	.operands_help = "cost rows (cap-large-claims(1)) or cohort rows; none or -: standard "
		"input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_VERBOSE,
};

struct org_sums {
	__int128 sum[VBR_NPERIODS][ND];   /* Σ factor (millionths) × member months */
	int64_t months[VBR_NPERIODS];
};

/* The factor tables of the network, plan and geographic dimensions: key
 * → factor, read-only once loaded. */
struct keys {
	struct vbr_intern ids;
	int64_t *factor;        /* by key id */
};

struct state {
	struct options *opt;
	int present[ND];                  /* the dimension is in the factors file */
	int risk_scored;                  /* some member has a risk score */
	struct vbr_bands bands;           /* demographic factors */
	struct keys keys[ND];             /* network, plan, geographic keys */
	struct vbr_intern orgs;
	struct org_sums *org;
	size_t org_cap;
	int64_t risk_norm, growth_cap;
	int has_growth_cap, decimals;
	uint64_t read, written;           /* cost rows read, mix rows written (-v) */
};

/* The factors file: dimension, key, factor. An unknown dimension, a bad
 * key or factor, a duplicate key or overlapping bands are errors (65). */
static void load_factors(struct state *s)
{
	struct vbr_reader r;
	char why[256];
	size_t cap[ND] = {0};
	vbr_reader_open_side(&r, s->opt->factors, EX_DATAERR);
	int cd = vbr_reader_require(&r, "dimension"), ck = vbr_reader_require(&r, "key");
	int cf = vbr_reader_require(&r, "factor");
	for (int d = 0; d < ND; d++)
		vbr_intern_init(&s->keys[d].ids);
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t factor;
		int rc;
		int d;
		if (vbr_name_find(dimensions, f[cd].p, f[cd].n, &d) != 0 || d == D_RISK)
			vbr_die(EX_DATAERR, "%s: column 'dimension' (%d): '%.*s' is not demographic, "
				"network, plan or geographic (risk is the member's risk score)",
				vbr_reader_place(&r), cd + 1, (int)f[cd].n, f[cd].p);
		if ((rc = vbr_parse_rate(f[cf].p, f[cf].n, &factor)) != VBR_OK)
			vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r),
				vbr_value_reason(why, sizeof why, "factor", cf, "factor", rc,
						 f[cf].p, f[cf].n));
		s->present[d] = 1;
		if (d == D_DEMOGRAPHIC) {
			struct vbr_band b;
			if (vbr_band_parse(f[ck].p, f[ck].n, &b))
				vbr_die(EX_DATAERR, "%s: %s (expected SEX:LO-HI, e.g. F:45-54)",
					vbr_reader_place(&r),
					vbr_value_reason(why, sizeof why, "key", ck, "demographic key",
							 VBR_INVALID, f[ck].p, f[ck].n));
			b.value = factor;
			int i = vbr_bands_add(&s->bands, &b);
			if (i >= 0)
				vbr_die(EX_DATAERR, "%s: demographic key '%.*s' overlaps '%c:%d-%d'",
					vbr_reader_place(&r), (int)f[ck].n, f[ck].p,
					s->bands.band[i].sex, s->bands.band[i].lo, s->bands.band[i].hi);
			continue;
		}
		uint32_t before = s->keys[d].ids.count;
		uint32_t id = vbr_intern(&s->keys[d].ids, f[ck].p, f[ck].n);
		if (id < before)
			vbr_die(EX_DATAERR, "%s: %s key '%.*s' given twice", vbr_reader_place(&r),
				dimensions[d].name, (int)f[ck].n, f[ck].p);
		s->keys[d].factor = vbr_grow(s->keys[d].factor, &cap[d], (size_t)id + 1,
					     sizeof *s->keys[d].factor);
		s->keys[d].factor[id] = factor;
	}
	vbr_reader_close(&r);
}

/* Where the member rows keep what mix-factor reads. */
struct columns {
	int member, period, org, months, sex, age;
	int dim[ND];                    /* the column of each table dimension, or -1 */
	int risk_optional;              /* an empty risk_score means no score */
};

/* The sums of one reader's rows: one per thread of a split read, added
 * together after. With `fatal`, bad data stops the run with its message;
 * without (the parallel pass), it only marks the tally failed, and the rows
 * are read again by one reader, which names the line. */
struct tally {
	struct vbr_intern orgs;
	struct org_sums *org;
	size_t org_cap;
	struct vbr_find_cache cache[ND], org_cache;   /* this thread's */
	uint64_t records, risk_empty, risk_given;
	int fatal, failed;
	const struct state *s;
	const struct columns *col;
	struct vbr_reader *r;
};

#define BAD(t, ...)                                                 \
	do {                                                        \
		if ((t)->fatal)                                     \
			vbr_die(EX_DATAERR, __VA_ARGS__);           \
		(t)->failed = 1;                                    \
		return;                                             \
	} while (0)

static struct org_sums *org_of(struct tally *t, const char *p, size_t n)
{
	uint32_t id = vbr_intern_cached(&t->orgs, &t->org_cache, p, n);
	if (id >= t->org_cap)
		t->org = vbr_grow_zeroed(t->org, &t->org_cap, (size_t)id + 1, sizeof *t->org);
	return &t->org[id];
}

/* The factor of each dimension for one member row (1 where absent). */
static void row_factors(struct tally *t, const struct vbr_field *f, int64_t *factor)
{
	const struct state *s = t->s;
	const struct columns *c = t->col;
	struct vbr_reader *r = t->r;
	char why[256];
	int64_t v;
	int rc;
	const char *member = f[c->member].p;
	int mlen = (int)f[c->member].n;
	for (int d = 0; d < ND; d++) {
		factor[d] = VBR_MILLION;
		if (!s->present[d])
			continue;
		const struct vbr_field *x = d == D_DEMOGRAPHIC ? NULL : &f[c->dim[d]];
		if (d == D_DEMOGRAPHIC) {
			if ((rc = vbr_parse_count(f[c->age].p, f[c->age].n, &v)) != VBR_OK)
				BAD(t, "%s: %s", vbr_reader_place(r),
				    vbr_value_reason(why, sizeof why, "age", c->age, "age", rc,
						     f[c->age].p, f[c->age].n));
			int b = vbr_bands_find(&s->bands, f[c->sex].p, f[c->sex].n, v);
			if (b < 0)
				BAD(t, "%s: member '%.*s': no demographic factor for sex '%.*s' "
				    "age %lld", vbr_reader_place(r), mlen, member,
				    (int)f[c->sex].n, f[c->sex].p, (long long)v);
			factor[d] = s->bands.band[b].value;
		} else if (d == D_RISK) {
			if (x->n == 0 && c->risk_optional) {
				t->risk_empty++;        /* no score: 1; all or none, below */
				continue;
			}
			t->risk_given++;
			if ((rc = vbr_parse_rate(x->p, x->n, &factor[d])) != VBR_OK)
				BAD(t, "%s: member '%.*s': %s", vbr_reader_place(r), mlen, member,
				    vbr_value_reason(why, sizeof why, "risk_score", c->dim[d],
						     "risk score", rc, x->p, x->n));
		} else {
			uint32_t id = vbr_intern_find_cached(&s->keys[d].ids, &t->cache[d], x->p, x->n);
			if (id == VBR_NOT_INTERNED)
				BAD(t, "%s: member '%.*s': no %s factor for key '%.*s'",
				    vbr_reader_place(r), mlen, member, dimensions[d].name, (int)x->n, x->p);
			factor[d] = s->keys[d].factor[id];
		}
	}
}

/* Each member row adds factor × member months to its org and period. */
static void tally_rows(struct tally *t)
{
	const struct columns *c = t->col;
	struct vbr_reader *r = t->r;
	char why[256];
	while (vbr_reader_next(r)) {
		struct vbr_field *f = r->field;
		int64_t mm, factor[ND];
		int rc;
		if (r->defect)
			BAD(t, "%s: %s", vbr_reader_place(r), r->defect);
		int k = vbr_period_parse(f[c->period].p, f[c->period].n);
		if (k < 0)
			BAD(t, "%s: %s", vbr_reader_place(r),
			    vbr_value_reason(why, sizeof why, "period", c->period,
					     "period (base or measure)",
					     f[c->period].n ? VBR_INVALID : VBR_MISSING,
					     f[c->period].p, f[c->period].n));
		if ((rc = vbr_parse_count(f[c->months].p, f[c->months].n, &mm)) != VBR_OK || mm == 0)
			BAD(t, "%s: %s (member months must be a positive count)", vbr_reader_place(r),
			    vbr_value_reason(why, sizeof why, "member_months", c->months, "count",
					     rc == VBR_OK ? VBR_INVALID : rc,
					     f[c->months].p, f[c->months].n));
		if (f[c->org].n == 0)
			BAD(t, "%s: %s", vbr_reader_place(r),
			    vbr_value_reason(why, sizeof why, "org_id", c->org, "id", VBR_MISSING,
					     "", 0));
		row_factors(t, f, factor);
		if (t->failed)
			return;
		/* factor × months in 128 bits: with months below 2^31 no sum of
		 * fewer than 2^33 rows can overflow them */
		if (mm > INT32_MAX)
			BAD(t, "%s: member months of 2^31 or more", vbr_reader_place(r));
		struct org_sums *o = org_of(t, f[c->org].p, f[c->org].n);
		if (__builtin_add_overflow(o->months[k], mm, &o->months[k]))
			BAD(t, "%s: the org's member months for the period overflow",
			    vbr_reader_place(r));
		for (int d = 0; d < ND; d++)
			o->sum[k][d] += (__int128)factor[d] * mm;
	}
	t->records = r->records;
}

static void *tally_thread(void *arg)
{
	tally_rows(arg);
	return NULL;
}

/* The columns mix-factor reads, from the header; the dimensions a member
 * row carries become present. */
static void find_columns(struct state *s, const struct vbr_reader *r, struct columns *c)
{
	c->member = vbr_reader_require(r, "member_id");
	c->period = vbr_reader_require(r, "period");
	c->org = vbr_reader_require(r, "org_id");
	c->months = vbr_reader_require(r, "member_months");
	c->sex = c->age = -1;
	c->risk_optional = !s->present[D_RISK];
	if (s->present[D_DEMOGRAPHIC]) {
		c->sex = vbr_reader_require(r, "sex");
		c->age = vbr_reader_require(r, "age");
	}
	for (int d = 0; d < ND; d++)
		c->dim[d] = -1;
	for (int d = D_RISK; d < ND; d++)
		if (s->present[d] || (d == D_RISK && vbr_reader_column(r, "risk_score") >= 0)) {
			c->dim[d] = vbr_reader_require(r, dim_column[d]);
			s->present[d] = 1;
		}
	if (vbr_reader_column(r, "members") >= 0)
		vbr_die(EX_DATAERR, "%s:1: aggregate rows (column 'members') carry no member "
			"attributes; mix-factor needs member rows", vbr_reader_name(r));
}

static void tally_start(struct tally *t, const struct state *s, const struct columns *c,
			struct vbr_reader *r, int fatal)
{
	memset(t, 0, sizeof *t);
	vbr_intern_init(&t->orgs);
	t->s = s;
	t->col = c;
	t->r = r;
	t->fatal = fatal;
}

static void tally_end(struct tally *t)
{
	vbr_reader_close(t->r);
	vbr_intern_free(&t->orgs);
	free(t->org);
}

/* Sum the member rows. A plain file is read as two halves on two threads
 * (the sums are exact integers, so the halves add up to the same bytes);
 * bad data in either half sends the whole input through one reader, which
 * stops at the first bad line with its line number. */
static void read_members(struct state *s)
{
	struct vbr_reader part[2];
	struct tally t[2];
	struct columns c;
	pthread_t thread;
	int n = vbr_reader_open_split(part, 2, s->opt->cli.operands, s->opt->cli.noperands);
	find_columns(s, &part[0], &c);
	for (int i = 0; i < n; i++)
		tally_start(&t[i], s, &c, &part[i], n == 1);
	if (n == 2) {
		if (pthread_create(&thread, NULL, tally_thread, &t[1]) != 0)
			vbr_die(EX_OSERR, "cannot start a thread");
		tally_rows(&t[0]);
		pthread_join(thread, NULL);
		if (t[0].failed || t[1].failed) {
			tally_end(&t[0]);
			tally_end(&t[1]);
			n = 1;
			vbr_reader_open(&part[0], s->opt->cli.operands, s->opt->cli.noperands);
			tally_start(&t[0], s, &c, &part[0], 1);
		}
	}
	if (n == 1)
		tally_rows(&t[0]);
	uint64_t risk_empty = 0, risk_given = 0;
	for (int i = 0; i < n; i++) {
		for (uint32_t id = 0; id < t[i].orgs.count; id++) {
			size_t len;
			const char *p = vbr_intern_str(&t[i].orgs, id, &len);
			uint32_t to = vbr_intern(&s->orgs, p, len);
			s->org = vbr_grow_zeroed(s->org, &s->org_cap, (size_t)to + 1, sizeof *s->org);
			for (int k = 0; k < VBR_NPERIODS; k++) {
				if (__builtin_add_overflow(s->org[to].months[k], t[i].org[id].months[k],
							   &s->org[to].months[k]))
					vbr_die(EX_DATAERR, "org '%.*s': the member months of the "
						"%s period overflow", (int)len, p, vbr_period_name[k]);
				for (int d = 0; d < ND; d++)
					s->org[to].sum[k][d] += t[i].org[id].sum[k][d];
			}
		}
		s->read += t[i].records;
		risk_empty += t[i].risk_empty;
		risk_given += t[i].risk_given;
	}
	s->risk_scored = risk_given > 0;
	if (risk_empty && risk_given)
		vbr_die(EX_DATAERR, "%s: column 'risk_score' is empty on %llu rows and given on "
			"%llu: give every member a score, or none", vbr_reader_name(&part[0]),
			(unsigned long long)risk_empty, (unsigned long long)risk_given);
	for (int i = 0; i < n; i++)
		tally_end(&t[i]);
}

/* Per org: the rounded dimension factors, M, D; one row per dimension and
 * the aggregate row, orgs in id order. */
/* One row of mix-factor(1)'s output: a dimension's factors, 4 decimals. */
struct mix_row {
	struct vbr_text org, dimension;
	int64_t base, measure, ratio;
	int used;
};

/* mix-factor(1) OUTPUT: long form, one row per org and dimension */
static const struct vbr_column columns[] = {
	VBR_COL_ID(struct mix_row, org, "org_id"),
	VBR_COL_ID(struct mix_row, dimension, "dimension"),
	VBR_COL_FIXED(struct mix_row, base, "base", 4, 4),
	VBR_COL_FIXED(struct mix_row, measure, "measure", 4, 4),
	VBR_COL_FIXED(struct mix_row, ratio, "ratio", 4, 4),
	VBR_COL_FLAG(struct mix_row, used, "used"),
	{.name = NULL},
};

static void write_mix(struct state *s)
{
	struct vbr_writer w;
	uint32_t *order = vbr_intern_sorted(&s->orgs);
	vbr_columns_stdout(&w, columns, 0);
	for (uint32_t j = 0; j < s->orgs.count; j++) {
		uint32_t id = order[j];
		struct org_sums *o = &s->org[id];
		int64_t f4[VBR_NPERIODS][ND];
		for (int k = 0; k < VBR_NPERIODS; k++)
			if (o->months[k] == 0) {
				size_t n;
				const char *p = vbr_intern_str(&s->orgs, id, &n);
				vbr_die(EX_DATAERR, "org '%.*s' has no member in the %s period: "
					"no mix adjustment D", (int)n, p, vbr_period_name[k]);
			}
		for (int k = 0; k < VBR_NPERIODS; k++)
			for (int d = 0; d < ND; d++) {
				/* weighted mean in millionths → 4 decimals: ÷ (months × 100);
				 * risk also ÷ risk_normalization */
				__int128 den = (__int128)o->months[k] * 100;
				__int128 num = o->sum[k][d];
				if (d == D_RISK && s->risk_norm) {
					num *= VBR_MILLION;
					den *= s->risk_norm;
				}
				f4[k][d] = vbr_div_round(num, den);
			}
		int capped = 0;
		if (s->has_growth_cap) {
			int64_t limit = vbr_div_round((__int128)f4[VBR_BASE][D_RISK] *
						      (VBR_MILLION + s->growth_cap), VBR_MILLION);
			if (f4[VBR_MEASURE][D_RISK] > limit) {
				f4[VBR_MEASURE][D_RISK] = limit;
				capped = 1;
			}
		}
		int64_t F[VBR_NPERIODS];
		for (int k = 0; k < VBR_NPERIODS; k++) {
			__int128 prod = 1;
			for (int d = 0; d < ND; d++)
				prod *= f4[k][d];                 /* units 10^-20 */
			F[k] = vbr_div_round(prod, (__int128)10000000000000000LL);
		}
		for (int d = 0; d <= ND; d++) {
			struct mix_row row = {.dimension = {"aggregate", 9}};
			row.org.p = vbr_intern_str(&s->orgs, id, &row.org.n);
			if (d < ND)
				row.dimension = (struct vbr_text){dimensions[d].name,
								  strlen(dimensions[d].name)};
			/* a dimension with no factor table (or no risk score) is a
			 * factor of 1 that the statement shows as not used */
			row.used = d == ND || (d == D_RISK ? s->risk_scored : s->present[d]);
			row.base = d < ND ? f4[VBR_BASE][d] : F[VBR_BASE];
			row.measure = d < ND ? f4[VBR_MEASURE][d] : F[VBR_MEASURE];
			if (row.base == 0)
				vbr_die(EX_DATAERR, "a base factor of 0: no ratio");
			row.ratio = vbr_div_round((__int128)row.measure * 10000, row.base);
			vbr_columns_row(&w, columns, 0, &row);
			s->written++;
		}
		if (capped && s->opt->cli.verbose) {
			size_t n;
			const char *p = vbr_intern_str(&s->orgs, id, &n);
			fprintf(stderr, "mix-factor: org '%.*s': risk growth capped\n", (int)n, p);
		}
	}
	vbr_writer_close(&w);
	free(order);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	const struct vbr_terms *t = &o->cli.terms;
	int64_t dec;
	s->opt = o;
	vbr_term_count(t, NULL, "round_factor_decimals", &dec);
	if (dec != 4)
		vbr_die(EX_USAGE, "term 'round_factor_decimals': mix-factor publishes 4 decimals");
	vbr_term_rate(t, NULL, "risk_normalization", &s->risk_norm);
	s->has_growth_cap = vbr_term_rate(t, NULL, "risk_growth_cap", &s->growth_cap);
	vbr_intern_init(&s->orgs);
	load_factors(s);
	read_members(s);
	write_mix(s);
	struct vbr_account a;           /* every cost row is summed: none left out */
	vbr_account_init(&a, NULL, 0);
	a.read = s->read;
	a.written = s->written;
	a.written_label = "mix rows";
	int status = vbr_account_finish(&a, o->cli.verbose);
	for (int d = 0; d < ND; d++) {
		vbr_intern_free(&s->keys[d].ids);
		free(s->keys[d].factor);
	}
	vbr_intern_free(&s->orgs);
	free(s->org);
	vbr_bands_free(&s->bands);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
