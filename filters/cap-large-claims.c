/*
 * cap-large-claims — one cost row per cohort member and period: the
 * member's allowed and paid sums, the cost basis after the completion
 * factor (raw_cost), and the cost capped at the large-claim threshold
 * (cap-large-claims(1)). Members with no claims get cost 0.
 *
 * Memory follows the cohort, never the claims: the cohort's lines are kept
 * as read, plus a 32-byte record, an index slot and the member's interned
 * id per cohort member-period.
 *
 * The same work in two steps, for pipelines that read the claims while
 * the cohort is still being made: --sum-only sums every member's claims
 * per period without a cohort (claim sums: additive, so shards add up),
 * and --from-sums takes those sums in place of the claims.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "claimsums.h"
#include "cli.h"
#include "columns.h"
#include "error.h"
#include "handoff.h"
#include "intern.h"
#include "money.h"
#include "period.h"
#include "prefetch.h"
#include "reader.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	const char *cohort, *completion;
	int sum_only, from_sums;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, cohort, "cohort", 0, VBR_ARG_TEXT, "FILE",
		"the cohort (cohort-select(1)): one row per member-period"),
	VBR_OPT(struct options, sum_only, "sum-only", 0, VBR_ARG_FLAG, NULL,
		"sum every member's claims per period, without a cohort (the first of "
		"two steps)"),
	VBR_OPT(struct options, from_sums, "from-sums", 0, VBR_ARG_FLAG, NULL,
		"the operands are claim sums of --sum-only, not claim lines (the second "
		"step)"),
	VBR_OPT(struct options, completion, "completion", 0, VBR_ARG_TEXT, "FILE",
		"complete(1)'s factors: each claim's cost basis times the development factor "
		"of the month it was incurred in, instead of the periods' completion terms"),
	{.name = NULL},
};

/* The two steps: --sum-only without a cohort, or a cohort (with claim
 * lines, or with --from-sums the first step's sums). */
static void check_args(void *opts)
{
	struct options *o = opts;
	if (o->sum_only && (o->cohort || o->from_sums))
		vbr_cli_usage_error(&o->cli, "--sum-only takes no cohort: it sums every member");
	if (!o->cohort && !o->sum_only)
		vbr_cli_usage_error(&o->cli, "--cohort: required (FILE)");
	if (o->completion && o->from_sums)
		vbr_cli_usage_error(&o->cli, "--completion needs each claim's month: give it "
				    "to --sum-only, whose sums carry the completed basis");
}

static const struct vbr_command command = {
	.name = "cap-large-claims",
	.synopsis =
	"cap-large-claims --cohort FILE [--from-sums | --completion FILE] [--terms FILE]\n"
	"                        [--set NAME=VALUE] [--check-terms] [--rejects FILE]\n"
	"                        [--max-rejects N] [-v] [claims ... | claim sums ...]\n"
	"cap-large-claims --sum-only [--completion FILE] [--terms FILE] [--set NAME=VALUE]\n"
	"                        [--check-terms] [--rejects FILE] [--max-rejects N] [-v]\n"
	"                        [claims ...]\n",
	.about = "Sum each cohort member's allowed and paid per period, complete them "
		"and cap each member's period cost at the large-claim threshold.",
	.operands = "claims ... | claim sums ...",
	.operands_help = "claim lines (ingest(1)), or with --from-sums the claim sums of --sum-"
		"only; none or -: standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
	.check = check_args,
};

struct sums {
	int64_t allowed, paid;  /* cents */
};

/* One cohort member-period: its line and its sums (32 bytes). */
struct member_period {
	uint32_t line;          /* offset of the cohort line in the arena */
	uint32_t line_len;
	uint32_t type;          /* enrollment type id + 1, 0 = none */
	int32_t period;
	struct sums sum;
};

struct state {
	struct options *opt;
	struct vbr_periods per;
	char *arena;            /* the cohort's lines, as read */
	size_t narena, caparena;
	char *header;
	struct member_period *mp;
	uint32_t nmp;
	size_t capmp;
	struct vbr_intern types;
	uint32_t *index;        /* member × period → mp + 1 */
	size_t index_cap;
	uint64_t claims_used, claims_outside;   /* --from-sums: claim lines */
	int cohort_in_order;    /* the cohort came in member order: ids number
				 * the members in it, and are not filed (intern.h) */
	int basis_paid;
	int64_t completion[VBR_NPERIODS];
	/* --completion: the development factor of each incurred month (months
	 * since 1970 from dev_first; 1 outside), and per member-period (or per
	 * member × period with --sum-only) the completed cost basis in 10^-6
	 * cents; has_completed: the sums carry it */
	int64_t *dev_factor;
	int32_t dev_first, ndev;
	int has_completed;
	int64_t threshold[VBR_NPERIODS];   /* -1: none */
	struct vbr_account acct;       /* claims */
	/* the claim loop's two halves (handoff.h); below, what the summing
	 * half writes while the reading half works */
	struct vbr_handoff handoff;
	VBR_HANDOFF_PAD(pad);
	struct vbr_intern members;
	struct vbr_claim_sums csum;     /* --sum-only: member × period */
	int64_t *completed;     /* (--completion, above) */
	size_t completed_cap;
	struct vbr_intern_memo member_memo;
	uint64_t summed, not_in_cohort;
	uint64_t capped, negative;
	int64_t excess_total;
};

static void load_terms(struct state *s)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	static const char *const completion[VBR_NPERIODS] = {"base_completion", "measure_completion"};
	vbr_periods_load(&s->per, t);
	int basis = VBR_BASIS_PAID;
	vbr_term_choice(t, NULL, "cost_basis", &basis);
	s->basis_paid = basis == VBR_BASIS_PAID;
	for (int k = 0; k < VBR_NPERIODS; k++)
		vbr_term_rate(t, NULL, completion[k], &s->completion[k]);
}

/* complete(1)'s rows: the development factor of each incurred month (its
 * period totals, incurred_month *, are skipped). A month twice, or a bad
 * factor, is 65 with its place. */
static void load_completion(struct state *s)
{
	struct vbr_reader r;
	vbr_reader_open_side(&r, s->opt->completion, EX_DATAERR);
	int cm = vbr_reader_require(&r, "incurred_month");
	int cf = vbr_reader_require(&r, "development_factor");
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	struct { int32_t month; int64_t f; } *row = NULL;
	size_t n = 0, cap = 0;
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int32_t month;
		int64_t d;
		int rc;
		if (f[cm].n == 1 && f[cm].p[0] == '*')
			continue;
		if ((rc = vbr_parse_month(f[cm].p, f[cm].n, &month)) != VBR_OK)
			vbr_die_field(&r, cm, "month (YYYY-MM)", rc, "");
		if ((rc = vbr_parse_rate(f[cf].p, f[cf].n, &d)) != VBR_OK || d < VBR_MILLION)
			vbr_die_field(&r, cf, "development factor (1 or more)",
				      rc == VBR_OK ? VBR_INVALID : rc, "");
		row = vbr_grow(row, &cap, n + 1, sizeof *row);
		row[n].month = month, row[n].f = d, n++;
		lo = month < lo ? month : lo;
		hi = month > hi ? month : hi;
	}
	vbr_reader_close(&r);
	if (!n)
		vbr_die(EX_DATAERR, "%s: no incurred month: not complete(1)'s factors",
			s->opt->completion);
	if (hi - lo >= 2400)
		vbr_die(EX_DATAERR, "%s: incurred months over more than 200 years", s->opt->completion);
	s->dev_first = lo;
	s->ndev = hi - lo + 1;
	s->dev_factor = vbr_xcalloc((size_t)s->ndev, sizeof *s->dev_factor);
	for (size_t i = 0; i < n; i++) {
		if (s->dev_factor[row[i].month - lo])
			vbr_die(EX_DATAERR, "%s: incurred month given twice", s->opt->completion);
		s->dev_factor[row[i].month - lo] = row[i].f;
	}
	free(row);
}

/* The development factor of a claim incurred on `day`: 1 for a month
 * complete(1) does not list. */
static int64_t dev_factor_of(const struct state *s, int32_t day)
{
	int32_t m = vbr_month_of_day(day) - s->dev_first;
	return m >= 0 && m < s->ndev && s->dev_factor[m] ? s->dev_factor[m] : VBR_MILLION;
}

/* Add v (10^-6 cents) to the completed basis of slot i; nonzero when
 * the sum overflows. */
static int add_completed(struct state *s, size_t i, int64_t v)
{
	s->completed = vbr_grow_zeroed(s->completed, &s->completed_cap, i + 1, sizeof *s->completed);
	return vbr_add_cents(s->completed[i], v, &s->completed[i]);
}

/* The number of cohort member p[0..n), numbered as they come. While the
 * cohort is in member order a row's member is the last one or a new one,
 * added unfiled (intern.h): no hash probe per row, which at millions of
 * members misses the cache each time. A member before the last ends that
 * order: the members so far are filed, and looked up by hash from then on. */
static uint32_t cohort_member(struct state *s, const char *p, size_t n)
{
	struct vbr_intern *t = &s->members;
	if (s->cohort_in_order) {
		if (t->count == 0)
			return vbr_intern_add_new(t, p, n);
		size_t ln;
		const char *lp = vbr_intern_str(t, t->count - 1, &ln);
		int c = vbr_id_cmp(lp, ln, p, n);
		if (c == 0)
			return t->count - 1;
		if (c < 0)
			return vbr_intern_add_new(t, p, n);
		s->cohort_in_order = 0;
		vbr_intern_file(t);
	}
	return vbr_intern(t, p, n);
}

/* Read the cohort: keep each line, index member-periods. A member-period
 * twice, a bad period or member_months that is not a positive count is bad
 * data (exit 65): the cohort is the denominator of every PMPM. */
static void load_cohort(struct state *s)
{
	struct vbr_reader r;
	char why[256];
	vbr_reader_open_side(&r, s->opt->cohort, EX_DATAERR);
	int cm = vbr_reader_require(&r, "member_id"), cp = vbr_reader_require(&r, "period");
	int cmm = vbr_reader_require(&r, "member_months");
	int ct = vbr_reader_column(&r, "enrollment_type");
	static const char *const added[] = {"allowed", "paid", "cost", "raw_cost", "excess"};
	for (int i = 0; i < 5; i++)
		if (vbr_reader_column(&r, added[i]) >= 0)
			vbr_die(EX_DATAERR, "%s:1: the cohort already has column '%s' "
				"(give cohort rows, not cost rows)", vbr_reader_name(&r), added[i]);
	s->header = vbr_xstrndup(r.header, r.header_len);
	s->cohort_in_order = 1;
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t mm;
		int rc;
		int k = vbr_period_parse(f[cp].p, f[cp].n);
		if (k < 0 || f[cm].n == 0)
			vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r),
				vbr_value_reason(why, sizeof why, r.colname[k < 0 ? cp : cm],
						 k < 0 ? cp : cm, "period (base or measure)",
						 k < 0 && f[cp].n ? VBR_INVALID : VBR_MISSING,
						 f[cp].p, f[cp].n));
		if ((rc = vbr_parse_count(f[cmm].p, f[cmm].n, &mm)) != VBR_OK || mm == 0)
			vbr_die(EX_DATAERR, "%s: %s (member months must be a positive count)",
				vbr_reader_place(&r),
				vbr_value_reason(why, sizeof why, "member_months", cmm, "count",
						 rc == VBR_OK ? VBR_INVALID : rc, f[cmm].p, f[cmm].n));
		uint32_t m = cohort_member(s, f[cm].p, f[cm].n);
		s->index = vbr_grow_mapped(s->index, &s->index_cap, ((size_t)m + 1) * VBR_NPERIODS,
				sizeof *s->index);
		uint32_t *slot = &s->index[(size_t)m * VBR_NPERIODS + (size_t)k];
		if (*slot)
			vbr_die(EX_DATAERR, "%s: member '%.*s' is in the cohort twice for the "
				"%s period", vbr_reader_place(&r), (int)f[cm].n, f[cm].p,
				vbr_period_name[k]);
		s->mp = vbr_grow_mapped(s->mp, &s->capmp, (size_t)s->nmp + 1, sizeof *s->mp);
		if (s->narena + r.line_len > UINT32_MAX)
			vbr_die(EX_DATAERR, "%s: the cohort is larger than 4 GiB", vbr_reader_place(&r));
		s->arena = vbr_grow(s->arena, &s->caparena, s->narena + r.line_len, 1);
		struct member_period *x = &s->mp[s->nmp];
		memset(x, 0, sizeof *x);
		x->line = (uint32_t)s->narena;
		x->line_len = (uint32_t)r.line_len;
		x->period = k;
		if (ct >= 0 && f[ct].n)
			x->type = vbr_intern(&s->types, f[ct].p, f[ct].n) + 1;
		memcpy(s->arena + s->narena, r.line, r.line_len);
		s->narena += r.line_len;
		*slot = ++s->nmp;
	}
	vbr_reader_close(&r);
}

/* Add one claim line (or one member-period's claim sums) to a sum;
 * nonzero when it overflows. */
static int add_to(struct sums *x, int64_t allowed, int64_t paid)
{
	return vbr_add_cents(x->allowed, allowed, &x->allowed) ||
	       vbr_add_cents(x->paid, paid, &x->paid);
}

static const char sum_overflows[] = VBR_CLAIM_SUM_OVERFLOWS;
static const char completed_overflows[] = "a member's completed cost overflows";

/* Prefetch steps (batch.h): a batch's members' entries before they are
 * summed: the cohort index, then its member-periods' sums; with
 * --sum-only the member × period sums. */
static void ahead_index(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	vbr_prefetch(&s->index[(size_t)m * VBR_NPERIODS]);
}

static void ahead_sums(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	for (int k = 0; k < VBR_NPERIODS; k++) {
		uint32_t i = s->index[(size_t)m * VBR_NPERIODS + (size_t)k];
		if (i) {
			vbr_prefetch(&s->mp[i - 1].sum);
			if (s->completed)
				vbr_prefetch(&s->completed[i - 1]);
		}
	}
}

static void ahead_claim_sums(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	size_t i = (size_t)m * VBR_NPERIODS;
	vbr_claim_sums_ahead(&s->csum, m);
	if (s->completed && i + VBR_NPERIODS <= s->completed_cap)
		vbr_prefetch(&s->completed[i]);
}

/* What the reading half keeps of a claim line for the summing half. */
struct claim_item {
	struct vbr_claim_cost cost;
	int64_t completed;      /* with --completion: the basis × its month's
				 * development factor, 10^-6 cents */
};

/* Line j of the batch added to its member-period's sums (with --sum-only,
 * its member × period's, the member added if new); 0 when a sum
 * overflows (the run then fails, 65). */
static inline int sum_line(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct state *s = ctx;
	const struct claim_item *c = vbr_batch_item(b, j);
	uint32_t m = b->id[j];
	size_t slot;
	if (s->opt->sum_only) {
		if (m == VBR_NOT_INTERNED)
			m = vbr_batch_intern(b, j, &s->members, &s->member_memo);
		slot = (size_t)m * VBR_NPERIODS + (size_t)c->cost.period;
		if (vbr_claim_sums_add(&s->csum, m, &c->cost)) {
			vbr_handoff_fail(&s->handoff, b, j, sum_overflows);
			return 0;
		}
	} else {
		uint32_t i = m == VBR_NOT_INTERNED
			? 0 : s->index[(size_t)m * VBR_NPERIODS + (size_t)c->cost.period];
		if (!i) {
			s->not_in_cohort++;
			return 1;
		}
		slot = i - 1;
		if (add_to(&s->mp[slot].sum, c->cost.allowed, c->cost.paid)) {
			vbr_handoff_fail(&s->handoff, b, j, sum_overflows);
			return 0;
		}
		s->summed++;
	}
	if (s->dev_factor && add_completed(s, slot, c->completed)) {
		vbr_handoff_fail(&s->handoff, b, j, completed_overflows);
		return 0;
	}
	return 1;
}

/* The summing half (handoff.h): the batch's lines summed a window at a
 * time, each window's members looked up together (batch.h). Its own
 * counts are added to the account when the claims are read. */
static void sum_claims(void *ctx, struct vbr_batch *b)
{
	struct state *s = ctx;
	if (s->opt->sum_only)
		vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_claim_sums, NULL}, s,
			      sum_line);
	else
		vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_index, ahead_sums}, s,
			      sum_line);
}

/* Sum each cohort member's claims per period (with --sum-only, every
 * member's); count the rest. This is the reading half: each line checked
 * and its period found here, then summed by sum_claims a batch at a time
 * (on a second thread for a plain file: handoff.h). */
static void read_claims(struct state *s)
{
	struct vbr_reader r;
	struct vbr_claim_costs k;
	vbr_reader_open(&r, s->opt->cli.operands, s->opt->cli.noperands);
	vbr_claim_costs_open(&k, &r, &s->acct, &s->per, &s->opt->cli.terms);
	int slot_cohort = s->opt->sum_only ? -1
					   : vbr_account_reason(&s->acct, "claims of members not in the cohort");
	s->member_memo = (struct vbr_intern_memo)VBR_MEMO_EMPTY;
	vbr_handoff_start(&s->handoff, &r, sizeof(struct claim_item), sum_claims, s,
			  vbr_handoff_threads(&r));
	while (!vbr_handoff_stopped(&s->handoff) && vbr_reader_next(&r)) {
		struct claim_item c = {0};
		s->acct.read++;
		if (!vbr_claim_cost(&k, &s->acct, &r, &c.cost))
			continue;
		/* the basis × its month's factor, exactly */
		if (s->dev_factor &&
		    __builtin_mul_overflow(s->basis_paid ? c.cost.paid : c.cost.allowed,
					   dev_factor_of(s, c.cost.day), &c.completed))
			vbr_die(EX_DATAERR, "%s: a completed amount overflows", vbr_reader_place(&r));
		vbr_handoff_add(&s->handoff, &c, sizeof c, r.field[k.cm].p, r.field[k.cm].n);
	}
	vbr_handoff_finish(&s->handoff);
	vbr_reader_close(&r);
	s->acct.written += s->summed;   /* the cohort's; --sum-only: vbr_claim_sums_finish */
	if (slot_cohort >= 0)
		s->acct.left[slot_cohort].n += s->not_in_cohort;
}

/* The member p[0..n) of a claim sums row, walking the cohort's members in
 * member order (their ids, with cohort_in_order) as the rows come in
 * member order (--sum-only and partition --merge write them so): *next is
 * the first member not yet passed. Each lookup compares with the members
 * in turn, in the order they lie in memory, instead of probing the hash
 * table at random: at millions of members the table is far larger than
 * the cache. VBR_NOT_INTERNED: not in the cohort. */
static uint32_t walk_to(const struct state *s, uint32_t *next, const char *p, size_t n)
{
	for (; *next < s->members.count; (*next)++) {
		size_t cn;
		const char *cp = vbr_intern_str(&s->members, *next, &cn);
		int c = vbr_id_cmp(cp, cn, p, n);
		if (c >= 0)
			return c == 0 ? *next : VBR_NOT_INTERNED;
	}
	return VBR_NOT_INTERNED;
}

/* Has the walk passed p[0..n) already? The members before *next all sort
 * before the last row's member; a row at or before the last of them has
 * left member order (one after it is no member passed: a row's base and
 * measure periods, or a member not in the cohort, walk on). */
static int walked_past(const struct state *s, uint32_t next, const char *p, size_t n)
{
	size_t cn;
	const char *cp = next ? vbr_intern_str(&s->members, next - 1, &cn) : NULL;
	return cp && vbr_id_cmp(cp, cn, p, n) >= 0;
}

/* --from-sums: claim sums rows in place of the claims. A member-period may
 * come in several rows (shards' sums); they add up. Rows of members not in
 * the cohort for the period are counted with their claim lines. Rows in
 * member order on a cohort in member order are matched by walking both
 * (walk_to); a row out of that order turns the walk off, and the rest are
 * looked up by hash. */
static void read_sums(struct state *s)
{
	struct vbr_reader r;
	vbr_reader_open(&r, s->opt->cli.operands, s->opt->cli.noperands);
	int cm = vbr_reader_require(&r, "member_id"), cp = vbr_reader_require(&r, "period");
	int ca = vbr_reader_require(&r, "allowed"), cpd = vbr_reader_require(&r, "paid");
	int cc = vbr_reader_require(&r, "claims");
	int ccb = vbr_reader_column(&r, "completed_basis");
	s->has_completed = ccb >= 0;
	int slot_cohort = vbr_account_reason(&s->acct, "claim sums of members not in the cohort");
	struct vbr_intern_memo member_memo = VBR_MEMO_EMPTY;
	int walk = s->cohort_in_order;
	uint32_t next = 0;              /* the walk's first member not passed */
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t allowed, paid, claims;
		char why[256];
		s->acct.read++;
		if (r.defect) {
			vbr_reject(&s->acct, &r, r.defect);
			continue;
		}
		int k = vbr_period_parse(f[cp].p, f[cp].n);
		if (k < 0 || f[cm].n == 0) {
			int bad = k < 0 ? cp : cm;
			vbr_reject(&s->acct, &r, vbr_value_reason(why, sizeof why, r.colname[bad], bad,
				k < 0 ? "period (base or measure)" : "id",
				f[bad].n ? VBR_INVALID : VBR_MISSING, f[bad].p, f[bad].n));
			continue;
		}
		if (!vbr_field_amount(&s->acct, &r, ca, &allowed) ||
		    !vbr_field_amount(&s->acct, &r, cpd, &paid) ||
		    !vbr_field_count(&s->acct, &r, cc, &claims))
			continue;
		if (walk && walked_past(s, next, f[cm].p, f[cm].n)) {
			walk = 0;               /* out of member order: by hash from here */
			vbr_intern_file(&s->members);
		}
		uint32_t m = walk ? walk_to(s, &next, f[cm].p, f[cm].n)
				  : vbr_intern_find_memo(&s->members, &member_memo, f[cm].p, f[cm].n);
		uint32_t i = m == VBR_NOT_INTERNED ? 0 : s->index[(size_t)m * VBR_NPERIODS + (size_t)k];
		if (!i) {
			s->acct.left[slot_cohort].n++;
			s->claims_outside += (uint64_t)claims;
			continue;
		}
		if (ccb >= 0) {
			int64_t v;
			int rc = vbr_parse_fine_amount(f[ccb].p, f[ccb].n, &v);
			if (rc != VBR_OK) {
				vbr_reject(&s->acct, &r, vbr_value_reason(why, sizeof why, r.colname[ccb],
					   ccb, "amount (up to 8 decimals)", rc, f[ccb].p, f[ccb].n));
				continue;
			}
			if (add_completed(s, i - 1, v))
				vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r), completed_overflows);
		}
		if (add_to(&s->mp[i - 1].sum, allowed, paid))
			vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r), sum_overflows);
		s->claims_used += (uint64_t)claims;
		s->acct.written++;
	}
	vbr_reader_close(&r);
}

/* The columns a cost row adds to its cohort row. */
struct cost_cells {
	int64_t allowed, paid, cost, raw_cost, excess;
};

/* cap-large-claims(1) OUTPUT: the cohort's columns, then these */
static const struct vbr_column cost_columns[] = {
	VBR_COL_CENTS(struct cost_cells, allowed, "allowed"),
	VBR_COL_CENTS(struct cost_cells, paid, "paid"),
	VBR_COL_CENTS(struct cost_cells, cost, "cost"),
	VBR_COL_CENTS(struct cost_cells, raw_cost, "raw_cost"),
	VBR_COL_CENTS(struct cost_cells, excess, "excess"),
	{.name = NULL},
};

static int cmp_cents(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* raw_cost = the cost basis ÷ the period's completion factor, to the cent;
 * with complete(1)'s factors, Σ each claim's basis × its month's
 * development factor, rounded once here. */
static int64_t raw_cost(const struct state *s, const struct member_period *x)
{
	if (s->dev_factor || s->has_completed) {
		size_t i = (size_t)(x - s->mp);
		return vbr_div_round(i < s->completed_cap ? s->completed[i] : 0, VBR_MILLION);
	}
	int64_t basis = s->basis_paid ? x->sum.paid : x->sum.allowed;
	return vbr_div_round((__int128)basis * VBR_MILLION, s->completion[x->period]);
}

static void swap_cents(int64_t *a, int64_t *b)
{
	int64_t t = *a;
	*a = *b;
	*b = t;
}

/* The k-th smallest (from 0) of a[0..n), reordering a: quickselect with a
 * three-way partition around the median of three (many costs are equal:
 * zeros), O(n) expected; a range still large after 64 rounds (an order
 * made to defeat the pivots) is sorted instead, so O(n log n) at worst.
 * The value is the one a full sort would put at k. */
static int64_t nth_smallest(int64_t *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n;          /* k is in [lo, hi) */
	for (int round = 0; hi - lo > 16 && round < 64; round++) {
		int64_t x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1];
		int64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t lt = lo, i = lo, gt = hi;  /* [lo,lt) <, [lt,i) =, [gt,hi) > */
		while (i < gt) {
			if (a[i] < pivot)
				swap_cents(&a[lt++], &a[i++]);
			else if (a[i] > pivot)
				swap_cents(&a[i], &a[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	qsort(a + lo, hi - lo, sizeof *a, cmp_cents);
	return a[k];
}

/* The percentile threshold of each period is the nearest-rank value: the
 * ⌈P·N⌉-th smallest raw cost of the cohort in the period. */
static void thresholds(struct state *s)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	int64_t fixed, pct;
	int has_fixed = vbr_term_amount(t, NULL, "large_claim_threshold", &fixed);
	int has_pct = vbr_term_rate(t, NULL, "large_claim_percentile", &pct);
	int64_t *costs = vbr_xmalloc((size_t)s->nmp * sizeof *costs + 1);
	for (int k = 0; k < VBR_NPERIODS; k++) {
		uint32_t n = 0;
		for (uint32_t i = 0; i < s->nmp; i++) {
			if (s->mp[i].period == k)
				costs[n++] = raw_cost(s, &s->mp[i]);
		}
		s->threshold[k] = -1;
		if (has_fixed) {
			s->threshold[k] = fixed;
		} else if (has_pct && n > 0) {
			uint64_t rank = (uint64_t)(((__int128)pct * n + VBR_MILLION - 1) / VBR_MILLION);
			if (rank < 1)
				rank = 1;
			s->threshold[k] = nth_smallest(costs, n, rank - 1);
		}
	}
	free(costs);
}

/* Each enrollment type's own threshold term (large_claim_threshold_TYPE),
 * looked up once: -1 where the type has none. */
static int64_t *type_thresholds(struct state *s)
{
	int64_t *t = vbr_xmalloc(((size_t)s->types.count + 1) * sizeof *t);
	for (uint32_t i = 0; i < s->types.count; i++) {
		size_t n;
		const char *p = vbr_intern_str(&s->types, i, &n);
		char name[128];
		snprintf(name, sizeof name, "large_claim_threshold_%.*s", (int)(n > 80 ? 80 : n), p);
		if (!vbr_term_amount(&s->opt->cli.terms, NULL, name, &t[i]))
			t[i] = -1;
	}
	return t;
}

static void write_costs(struct state *s)
{
	struct vbr_writer w;
	vbr_writer_fd(&w, 1, "(stdout)");
	vbr_puts(&w, s->header);
	vbr_putc(&w, '\t');
	vbr_columns_start(&w, cost_columns, 0);
	int64_t *by_type = type_thresholds(s);
	for (uint32_t i = 0; i < s->nmp; i++) {
		struct member_period *x = &s->mp[i];
		int64_t cap = x->type && by_type[x->type - 1] >= 0 ? by_type[x->type - 1]
								  : s->threshold[x->period];
		int64_t raw = raw_cost(s, x);
		int64_t cost = cap >= 0 && raw > cap ? cap : raw;
		int64_t excess = raw - cost;
		s->capped += excess > 0;
		s->negative += raw < 0;
		if (__builtin_add_overflow(s->excess_total, excess, &s->excess_total))
			vbr_die(EX_DATAERR, "the total excess over the caps (all cost rows) "
				"overflows");
		struct cost_cells cells = {x->sum.allowed, x->sum.paid, cost, raw, excess};
		vbr_put(&w, s->arena + x->line, x->line_len);
		vbr_putc(&w, '\t');
		vbr_columns_row(&w, cost_columns, 0, &cells);
	}
	free(by_type);
	vbr_writer_close(&w);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	s->opt = o;
	load_terms(s);
	vbr_intern_init(&s->members);
	vbr_intern_init(&s->types);
	vbr_cli_account(&o->cli, &s->acct, "used");
	if (o->completion)
		load_completion(s);
	if (o->sum_only) {
		struct vbr_writer w;
		read_claims(s);
		vbr_writer_fd(&w, 1, "(stdout)");
		vbr_claim_sums_write(&s->csum, &w, &s->members, NULL, s->dev_factor != NULL,
				     s->completed, s->completed_cap);
	} else {
		load_cohort(s);
		if (o->from_sums) {
			read_sums(s);
		} else {
			vbr_intern_file(&s->members);   /* the claims' members are looked up */
			read_claims(s);
		}
		thresholds(s);
		write_costs(s);
	}
	int status = o->sum_only
		? vbr_claim_sums_finish(&s->csum, &s->acct, o->cli.verbose)
		: vbr_account_finish(&s->acct, o->cli.verbose);
	if (o->cli.verbose && !o->sum_only) {
		char b[32];
		fprintf(stderr, "cap-large-claims: cost rows %u, capped %llu, excess %s",
			s->nmp, (unsigned long long)s->capped,
			(vbr_format_cents(b, s->excess_total), b));
		for (int k = 0; k < VBR_NPERIODS; k++)
			if (s->threshold[k] >= 0)
				fprintf(stderr, ", %s threshold %s", vbr_period_name[k],
					(vbr_format_cents(b, s->threshold[k]), b));
		fprintf(stderr, ", negative totals kept %llu", (unsigned long long)s->negative);
		if (o->from_sums)
			fprintf(stderr, ", claim lines summed %llu, claim lines of members not in "
				"the cohort %llu", (unsigned long long)s->claims_used,
				(unsigned long long)s->claims_outside);
		fputc('\n', stderr);
	}
	vbr_intern_free(&s->members);
	vbr_intern_free(&s->types);
	vbr_free_mapped(s->index, s->index_cap, sizeof *s->index);
	vbr_claim_sums_free(&s->csum);
	free(s->completed);
	free(s->dev_factor);
	vbr_free_mapped(s->mp, s->capmp, sizeof *s->mp);
	free(s->arena);
	free(s->header);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
