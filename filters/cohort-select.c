/*
 * cohort-select — keep the attributed members that count, with the same
 * rules in the base and measurement periods (different rules would reward
 * reversion to the mean), and give each its member months and mix
 * attributes (cohort-select(1)).
 *
 * Rules (terms): months after paid_through's month are not measured yet,
 * min_months, require_continuous, exclude_flags (any month
 * with the flag Y excludes the member for the period),
 * exclude_enrollment_types (the latest enrollment type in the period), and
 * --exclude-dx: a claim in the period with a listed diagnosis.
 * Mix attributes: age at age_as_of (default the period start) from the
 * latest birth date, member-month weighted risk score, and sex, region,
 * plan, network and enrollment type of the latest month in the period.
 *
 * --eligibility-first reads the eligibility before the attribution (the
 * nightly reads it while attribute runs): every member's months are kept
 * and its rows counted by where they went until the attribution says
 * which member-periods count; the same cohort and accounting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
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
	const char *eligibility, *exclude_dx, *claims;
	int eligibility_first, in_member_order;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, eligibility, "eligibility", 0, VBR_ARG_TEXT, "FILE",
		"member months: member_id, month, and the mix attributes and exclusion "
		"flags", .flags = VBR_REQUIRED),
	VBR_OPT(struct options, exclude_dx, "exclude-dx", 0, VBR_ARG_TEXT, "FILE",
		"diagnosis codes (column dx) that exclude a member; with --claims"),
	VBR_OPT(struct options, claims, "claims", 0, VBR_ARG_TEXT, "FILE",
		"the claims whose dx1 ... dx12 are checked against --exclude-dx"),
	VBR_OPT(struct options, eligibility_first, "eligibility-first", 0, VBR_ARG_FLAG, NULL,
		"read the eligibility before the attribution, so that the attribution can "
		"come from a pipe attribute(1) writes at its end; the same output"),
	VBR_OPT(struct options, in_member_order, "in-member-order", 0, VBR_ARG_FLAG, NULL,
		"with --eligibility-first: the attribution comes in member order, as "
		"attribute(1) writes it, and each member's rows are written as its attribution "
		"is read; a member out of that order is an error (65)"),
	{.name = NULL},
};

static void check_args(void *opts)
{
	struct options *o = opts;
	if (!o->exclude_dx != !o->claims)
		vbr_cli_usage_error(&o->cli, "--exclude-dx and --claims go together");
	if (o->in_member_order && !o->eligibility_first)
		vbr_cli_usage_error(&o->cli, "--in-member-order needs --eligibility-first");
	if (o->in_member_order && o->exclude_dx)
		vbr_cli_usage_error(&o->cli, "--in-member-order and --exclude-dx do not go together "
				    "(the claims' diagnoses are read after the attribution)");
}

static const struct vbr_command command = {
	.name = "cohort-select",
	.about = "Keep the attributed members that count, by the same rules in both "
		"periods, with their member months and mix attributes.",
	.operands = "attribution ...",
	.operands_help = "attribution rows (attribute(1)) or a payer's assignment list; none or "
		"-: standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
	.check = check_args,
};

/* attributes taken from the latest eligibility month */
enum { A_SEX, A_REGION, A_PLAN, A_NETWORK, A_TYPE, A_N };
static const char *const attr_col[A_N] = {"sex", "region", "plan", "network", "enrollment_type"};

enum why_out {
	KEEP, NOT_ELIGIBLE, TOO_FEW, NOT_CONTINUOUS, BY_FLAG, BY_TYPE, BY_DX, NREASONS
};

/* One attributed member in one period (with --eligibility-first, every
 * member of the eligibility, attributed or not yet known to be). */
struct member_period {
	uint32_t org;           /* org id + 1; 0 = not attributed in the period */
	uint32_t attr[A_N];     /* value id + 1, 0 = none */
	int32_t latest;         /* latest eligible month */
	int32_t birth;          /* days; INT32_MIN = unknown */
	uint64_t months;        /* bit i: period's month i is eligible */
	int64_t risk_sum;       /* Σ risk score (millionths) over months with one */
	int64_t premium;        /* Σ monthly premium, cents */
	/* --eligibility-first: where the member's rows went, counted before
	 * it is known whether the member-period is attributed (tally_rows) */
	uint32_t rows;          /* months of the period up to paid_through's */
	uint32_t unpaid;        /* months of the period after it */
	uint32_t outside;       /* the base entry only: months outside both periods */
	uint8_t risk_months;    /* a period has at most 64 months */
	uint8_t excluded;       /* enum why_out of an exclusion, 0 none */
	uint8_t flag;           /* exclude_flags column that excluded (< 64) */
	uint8_t failed;         /* --eligibility-first: a row of it failed (deferred) */
};

/* What the summing half counts of the eligibility, added to its account
 * when the rows are done (the account itself is the reading half's). */
enum { NOT_ATTRIBUTED, OUTSIDE, OTHER_PERIOD, UNPAID, MONTH_LEFT };
struct month_counts {
	uint64_t used, left[MONTH_LEFT];
};

/* --eligibility-first: a summing-half failure (a month twice, an
 * overflow) of a member-period not yet known to be attributed; it ends
 * the run only if the member-period is. */
struct deferred_failure {
	uint32_t member;
	int period;
	uint64_t line;
	const char *why;
	char *place;            /* "file:line", made while the reader is open */
};

struct state {
	struct options *opt;
	struct vbr_periods per;
	struct vbr_intern members, orgs, values, dx;
	struct vbr_account acct;
	int has_premium;            /* eligibility has a premium column */
	int slot[NREASONS];
	int64_t min_months;
	int continuous;
	int32_t age_as_of[VBR_NPERIODS];
	int32_t measured_through;   /* last month measured: paid_through's */
	char **flag_names;
	int nflags;
	struct vbr_intern excluded_types;
	uint64_t flag_hits[64];
	/* the eligibility loop and --exclude-dx's claim loop, each in two
	 * halves (handoff.h); below, what the summing half writes while the
	 * reading half works */
	struct vbr_handoff handoff;
	VBR_HANDOFF_PAD(pad);
	struct member_period *mp;   /* [member * 2 + period] */
	size_t mp_cap;
	/* --eligibility-first: members numbered by the eligibility, their
	 * entries made ready (birth and latest unknown) in number order; the
	 * failures deferred, in row order */
	uint32_t mp_ready;
	struct vbr_intern_memo member_memo;
	struct deferred_failure *deferred;
	size_t ndeferred, cap_deferred;
	uint64_t dx_irrelevant, dx_clean, dx_excluding;
	struct month_counts months;
	int month_slot[MONTH_LEFT];     /* their reasons in the eligibility's account */
};

/* Split a comma list term into names. */
static int split_list(const char *v, char ***out)
{
	int n = 0;
	*out = NULL;
	for (const char *p = v; p && *p;) {
		const char *c = strchr(p, ',');
		size_t k = c ? (size_t)(c - p) : strlen(p);
		if (k) {
			*out = vbr_xrealloc(*out, (size_t)(n + 1) * sizeof **out);
			(*out)[n++] = vbr_xstrndup(p, k);
		}
		p += k + (c != NULL);
	}
	return n;
}

static void load_rules(struct state *s)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	vbr_periods_load(&s->per, t);
	for (int k = 0; k < VBR_NPERIODS; k++) {
		if (s->per.end_month[k] - s->per.start_month[k] >= 64)
			vbr_die(EX_USAGE, "the %s period is longer than 64 months",
				vbr_period_name[k]);
		if (!vbr_term_date(t, NULL, "age_as_of", &s->age_as_of[k]))
			s->age_as_of[k] = s->per.start[k];
	}
	int32_t paid_through;
	s->measured_through = vbr_term_date(t, NULL, "paid_through", &paid_through)
			      ? vbr_month_of_day(paid_through) : INT32_MAX;
	vbr_term_count(t, NULL, "min_months", &s->min_months);
	vbr_term_flag(t, NULL, "require_continuous", &s->continuous);
	s->nflags = split_list(vbr_term(t, NULL, "exclude_flags"), &s->flag_names);
	if (s->nflags > 64)
		vbr_die(EX_USAGE, "term 'exclude_flags': at most 64 columns");
	char **types;
	int ntypes = split_list(vbr_term(t, NULL, "exclude_enrollment_types"), &types);
	vbr_intern_init(&s->excluded_types);
	for (int i = 0; i < ntypes; i++) {
		vbr_intern(&s->excluded_types, types[i], strlen(types[i]));
		free(types[i]);
	}
	free(types);
}

static struct member_period *mp_of(struct state *s, uint32_t member, int k)
{
	s->mp = vbr_grow_mapped(s->mp, &s->mp_cap, ((size_t)member + 1) * VBR_NPERIODS, sizeof *s->mp);
	return &s->mp[(size_t)member * VBR_NPERIODS + (size_t)k];
}

static void write_member(struct state *s, struct vbr_writer *w, uint32_t m);

/* The attribution stream: who is attributed where, in which period. With
 * a writer (--in-member-order), a member's cohort rows are written once
 * a later member's row shows its own are all read, so the writing keeps
 * pace with attribute(1)'s, whose output this is; a member before the one
 * waiting is out of that order (65). */
static void read_attribution(struct state *s, struct vbr_writer *w)
{
	struct vbr_reader r;
	char why[256];
	uint32_t waiting = VBR_NOT_INTERNED;    /* the member whose rows wait */
	vbr_reader_open(&r, s->opt->cli.operands, s->opt->cli.noperands);
	int cm = vbr_reader_require(&r, "member_id"), cp = vbr_reader_require(&r, "period");
	int co = vbr_reader_require(&r, "org_id");
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		s->acct.read++;
		if (r.defect) {
			vbr_reject(&s->acct, &r, r.defect);
			continue;
		}
		int k = vbr_period_parse(f[cp].p, f[cp].n);
		if (f[cm].n == 0 || f[co].n == 0 || k < 0) {
			int col = f[cm].n == 0 ? cm : f[co].n == 0 ? co : cp;
			vbr_reject(&s->acct, &r, vbr_value_reason(why, sizeof why, r.colname[col],
				col, "period (base or measure)", f[col].n ? VBR_INVALID : VBR_MISSING,
				f[col].p, f[col].n));
			continue;
		}
		uint32_t m = vbr_intern(&s->members, f[cm].p, f[cm].n);
		if (w && m != waiting) {
			if (waiting != VBR_NOT_INTERNED) {
				size_t wn;
				const char *wp = vbr_intern_str(&s->members, waiting, &wn);
				if (vbr_id_cmp(f[cm].p, f[cm].n, wp, wn) < 0)
					vbr_die(EX_DATAERR, "%s: column %d (member_id): member '%.*s' "
						"after '%.*s': --in-member-order reads an attribution "
						"in member order", vbr_reader_place(&r), cm + 1,
						(int)f[cm].n, f[cm].p, (int)wn, wp);
				write_member(s, w, waiting);
			}
			waiting = m;
		}
		struct member_period *x = mp_of(s, m, k);
		if (x->org) {
			vbr_reject(&s->acct, &r, "member attributed twice in the period");
			continue;
		}
		x->org = vbr_intern(&s->orgs, f[co].p, f[co].n) + 1;
		if (m >= s->mp_ready) {         /* not in the eligibility read before */
			x->birth = INT32_MIN;
			x->latest = INT32_MIN;
		}
	}
	if (w && waiting != VBR_NOT_INTERNED)
		write_member(s, w, waiting);
	vbr_reader_close(&r);
}

/* The last good text of a field and its value: a member's months repeat
 * birth date, risk score and premium, so most rows compare a few bytes
 * instead of parsing. */
struct field_memo {
	char text[32];
	size_t n;                       /* 0: empty memo */
	int64_t value;
};

/* The value of field col through its memo; 0 if the field is bad (the row
 * is then rejected by parse, as without a memo). */
static int memo_field(struct field_memo *m, struct vbr_account *a, struct vbr_reader *r, int col,
		      int (*parse)(struct vbr_account *, struct vbr_reader *, int, int64_t *),
		      int64_t *out)
{
	const struct vbr_field *f = &r->field[col];
	if (m->n && m->n == f->n && vbr_same_bytes(m->text, f->p, f->n)) {
		*out = m->value;
		return 1;
	}
	if (!parse(a, r, col, out))
		return 0;
	if (f->n <= sizeof m->text) {
		memcpy(m->text, f->p, f->n);
		m->n = f->n;
		m->value = *out;
	}
	return 1;
}

static int field_date64(struct vbr_account *a, struct vbr_reader *r, int col, int64_t *out)
{
	int32_t d;
	if (!vbr_field_date(a, r, col, &d))
		return 0;
	*out = d;
	return 1;
}

/* Prefetch step (batch.h): a member's two member-periods before
 * its row comes (eligibility by month, claims by paid date). */
static void ahead_member_periods(void *ctx, uint32_t m)
{
	const struct state *s = ctx;
	size_t i = (size_t)m * VBR_NPERIODS;
	if (i + VBR_NPERIODS > s->mp_cap)
		return;
	const char *p = (const char *)&s->mp[i], *end = (const char *)&s->mp[i + VBR_NPERIODS];
	for (; p < end; p += 64)
		vbr_prefetch(p);
	vbr_prefetch(end - 1);
}

/* What the reading half keeps of an eligibility row for the summing half:
 * its month and period, and its values, checked. */
struct month_item {
	int64_t risk, premium;          /* millionths; cents */
	uint64_t flags;                 /* bit i: exclude_flags column i is Y */
	uint32_t attr[A_N];             /* value id + 1, 0 = none */
	int32_t month, birth;           /* birth: days, INT32_MIN = unknown */
	int8_t period;                  /* -1: outside both */
	uint8_t has_risk;
};

/* Add eligibility row c's month to member-period x; the reason it fails
 * (a month given twice, a sum that overflows), or NULL. */
static const char *add_month(const struct state *s, struct member_period *x,
			     const struct month_item *c)
{
	uint64_t bit = (uint64_t)1 << (c->month - s->per.start_month[c->period]);
	if (x->months & bit)
		return "member month given twice";
	if (vbr_add_cents(x->premium, c->premium, &x->premium))
		return "the member's premium for the period overflows";
	if (c->has_risk && vbr_add_cents(x->risk_sum, c->risk, &x->risk_sum))
		return "the member's risk score sum for the period overflows";
	x->months |= bit;
	x->risk_months += c->has_risk;
	if (c->flags && !x->excluded) {
		x->excluded = BY_FLAG;
		x->flag = (uint8_t)__builtin_ctzll(c->flags);
	}
	if (c->month > x->latest) {
		x->latest = c->month;
		if (c->birth != INT32_MIN)
			x->birth = c->birth;
		memcpy(x->attr, c->attr, sizeof x->attr);
	}
	return NULL;
}

/* Eligibility row j: its month added to its attributed member-period, or
 * counted under why it is left out; 0 when the month is given twice or a
 * sum overflows (the run then fails naming the row). */
static inline int add_month_row(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct state *s = ctx;
	struct month_counts *n = &s->months;
	const struct month_item *c = vbr_batch_item(b, j);
	uint32_t m = b->id[j];
	if (m == VBR_NOT_INTERNED) {
		n->left[NOT_ATTRIBUTED]++;
		return 1;
	}
	if (c->period < 0) {
		n->left[OUTSIDE]++;
		return 1;
	}
	if (c->month > s->measured_through) {
		/* no claim incurred in it can have been paid yet: the period is
		 * measured to date (cohort-select(1)) */
		n->left[UNPAID]++;
		return 1;
	}
	struct member_period *x = mp_of(s, m, c->period);
	if (!x->org) {
		n->left[OTHER_PERIOD]++;
		return 1;
	}
	const char *fail = add_month(s, x, c);
	if (fail) {
		vbr_handoff_fail(&s->handoff, b, j, "%s", fail);
		return 0;
	}
	n->used++;
	return 1;
}

/* The summing half of the eligibility (handoff.h): each month of an
 * attributed member-period added to it, in the order of the rows; every
 * other row counted under why it is left out. */
static void add_months(void *ctx, struct vbr_batch *b)
{
	struct state *s = ctx;
	vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_member_periods, NULL}, s,
		      add_month_row);
}

/* One more row in a member-period's count (--eligibility-first); four
 * billion rows of one member is bad data, not a count that wraps. */
static void count_row(struct vbr_handoff *h, const struct vbr_batch *b, unsigned j, uint32_t *n)
{
	if (*n == UINT32_MAX)
		vbr_handoff_fail(h, b, j, "more than %u rows of one member", UINT32_MAX);
	else
		++*n;
}

/* --eligibility-first, eligibility row j: its member made known, the row
 * counted by where it went and its month kept; a failure is kept, to end
 * the run only if its member-period is attributed. */
static inline int keep_month_row(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct state *s = ctx;
	const struct month_item *c = vbr_batch_item(b, j);
	uint32_t m = b->id[j];
	if (m == VBR_NOT_INTERNED)
		m = vbr_batch_intern(b, j, &s->members, &s->member_memo);
	for (; s->mp_ready <= m; s->mp_ready++)
		for (int k = 0; k < VBR_NPERIODS; k++) {
			struct member_period *y = mp_of(s, s->mp_ready, k);
			y->birth = INT32_MIN;
			y->latest = INT32_MIN;
		}
	if (c->period < 0) {
		count_row(&s->handoff, b, j, &mp_of(s, m, 0)->outside);
		return 1;
	}
	struct member_period *x = mp_of(s, m, c->period);
	if (c->month > s->measured_through) {
		count_row(&s->handoff, b, j, &x->unpaid);
		return 1;
	}
	count_row(&s->handoff, b, j, &x->rows);
	const char *fail = x->failed ? NULL : add_month(s, x, c);
	if (fail) {
		x->failed = 1;
		s->deferred = vbr_grow(s->deferred, &s->cap_deferred, s->ndeferred + 1,
				       sizeof *s->deferred);
		s->deferred[s->ndeferred++] = (struct deferred_failure){
			.member = m, .period = c->period, .line = b->lineno[j], .why = fail};
	}
	return 1;
}

/* --eligibility-first's summing half: every member's months are kept, and
 * its rows counted by where they went, for it is not known yet which
 * member-periods are attributed (tally_rows settles the counts). */
static void add_months_first(void *ctx, struct vbr_batch *b)
{
	struct state *s = ctx;
	vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_member_periods, NULL}, s,
		      keep_month_row);
}

/* --eligibility-first, once the attribution is read: a deferred failure
 * of an attributed member-period ends the run (the first in row order, as
 * when the attribution comes first); each member's rows are counted as
 * add_months counts them. */
static void tally_rows(struct state *s)
{
	for (size_t i = 0; i < s->ndeferred; i++) {
		const struct deferred_failure *d = &s->deferred[i];
		if (mp_of(s, d->member, d->period)->org)
			vbr_die(EX_DATAERR, "%s: %s", d->place, d->why);
	}
	struct month_counts *n = &s->months;
	for (uint32_t m = 0; m < s->mp_ready; m++) {
		const struct member_period *x = mp_of(s, m, 0);
		int attributed = 0;
		for (int k = 0; k < VBR_NPERIODS; k++)
			attributed |= x[k].org != 0;
		for (int k = 0; k < VBR_NPERIODS; k++) {
			uint64_t unpaid = x[k].unpaid, rows = x[k].rows;
			n->left[attributed ? UNPAID : NOT_ATTRIBUTED] += unpaid;
			if (!attributed)
				n->left[NOT_ATTRIBUTED] += rows;
			else if (x[k].org)
				n->used += rows;
			else
				n->left[OTHER_PERIOD] += rows;
		}
		n->left[attributed ? OUTSIDE : NOT_ATTRIBUTED] += x[0].outside;
	}
}

/* The eligibility file: member months, flags and attributes of the
 * attributed members; rows of other members or months are counted. This
 * is the reading half: each row checked (a bad one ends the run: the
 * eligibility is a side input) and its values parsed here, its month added
 * to its member-period by add_months a batch at a time (on a second thread
 * for a file of 4 MiB or more: handoff.h). */
static void read_eligibility(struct state *s, struct vbr_account *ea)
{
	struct vbr_reader r;
	char why[256];
	const char *ops[] = {s->opt->eligibility};
	vbr_reader_open(&r, ops, 1);
	int cm = vbr_reader_require(&r, "member_id"), cmo = vbr_reader_require(&r, "month");
	int cb = vbr_reader_column(&r, "birth_date"), cr = vbr_reader_column(&r, "risk_score");
	int cpr = vbr_reader_column(&r, "premium");
	int ca[A_N], cf[64];
	s->has_premium = cpr >= 0;
	for (int i = 0; i < A_N; i++)
		ca[i] = vbr_reader_column(&r, attr_col[i]);
	for (int i = 0; i < s->nflags; i++)
		if ((cf[i] = vbr_reader_column(&r, s->flag_names[i])) < 0)
			vbr_die(EX_DATAERR, "%s:1: term 'exclude_flags' names column '%s', "
				"which is not in the eligibility file", vbr_reader_name(&r),
				s->flag_names[i]);
	s->month_slot[NOT_ATTRIBUTED] = vbr_account_reason(ea, "members not attributed");
	s->month_slot[OUTSIDE] = vbr_account_reason(ea, "months outside any period");
	s->month_slot[OTHER_PERIOD] =
		vbr_account_reason(ea, "months of a period the member is not attributed in");
	s->month_slot[UNPAID] = vbr_account_reason(ea, "months after paid_through (not yet measured)");
	/* a member's months repeat its attributes, birth date, risk score and
	 * premium */
	struct vbr_intern_memo attr_memo[A_N];
	struct field_memo birth_memo = {0}, risk_memo = {0}, premium_memo = {0};
	for (int i = 0; i < A_N; i++)
		attr_memo[i] = (struct vbr_intern_memo)VBR_MEMO_EMPTY;
	s->member_memo = (struct vbr_intern_memo)VBR_MEMO_EMPTY;
	vbr_handoff_start(&s->handoff, &r, sizeof(struct month_item),
			  s->opt->eligibility_first ? add_months_first : add_months, s,
			  vbr_handoff_threads(&r));
	while (!vbr_handoff_stopped(&s->handoff) && vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int32_t month, birth = INT32_MIN;
		int64_t risk = 0, premium = 0, birth64;
		uint64_t flags = 0;
		int rc;
		ea->read++;
		if (r.defect) {
			vbr_reject(ea, &r, r.defect);
			continue;
		}
		if ((rc = vbr_parse_month(f[cmo].p, f[cmo].n, &month)) != VBR_OK) {
			vbr_reject(ea, &r, vbr_value_reason(why, sizeof why, "month", cmo,
							   "month", rc, f[cmo].p, f[cmo].n));
			continue;
		}
		if ((cb >= 0 && f[cb].n && !memo_field(&birth_memo, ea, &r, cb, field_date64, &birth64)) ||
		    (cr >= 0 && f[cr].n && !memo_field(&risk_memo, ea, &r, cr, vbr_field_rate, &risk)) ||
		    (cpr >= 0 && f[cpr].n &&
		     !memo_field(&premium_memo, ea, &r, cpr, vbr_field_amount, &premium)))
			continue;
		if (cb >= 0 && f[cb].n)
			birth = (int32_t)birth64;
		int bad = 0;
		for (int i = 0; i < s->nflags && !bad; i++) {
			int flag = 0;
			if (f[cf[i]].n && (rc = vbr_parse_flag(f[cf[i]].p, f[cf[i]].n, &flag)) != VBR_OK) {
				vbr_reject(ea, &r, vbr_value_reason(why, sizeof why, s->flag_names[i],
						cf[i], "flag (Y or N)", rc, f[cf[i]].p, f[cf[i]].n));
				bad = 1;
			}
			flags |= (uint64_t)(flag != 0) << i;
		}
		if (bad)
			continue;
		/* filled in place, field by field: the item is large */
		struct month_item *c = vbr_handoff_item(&s->handoff, f[cm].p, f[cm].n);
		c->risk = risk;
		c->premium = premium;
		c->flags = flags;
		c->month = month;
		c->birth = birth;
		c->period = (int8_t)vbr_period_of_month(&s->per, month);
		c->has_risk = cr >= 0 && f[cr].n;
		for (int i = 0; i < A_N; i++)
			c->attr[i] = ca[i] >= 0 && f[ca[i]].n
				     ? vbr_intern_memo(&s->values, &attr_memo[i], f[ca[i]].p, f[ca[i]].n) + 1
				     : 0;
		vbr_handoff_added(&s->handoff);
	}
	vbr_handoff_finish(&s->handoff);
	for (size_t i = 0; i < s->ndeferred; i++)
		s->deferred[i].place = vbr_xstrdup(vbr_reader_place_at(&r, 0, s->deferred[i].line));
	vbr_reader_close(&r);
}

/* The eligibility's rows used and left out, into its account. */
static void account_months(const struct state *s, struct vbr_account *ea)
{
	ea->written += s->months.used;
	for (int i = 0; i < MONTH_LEFT; i++)
		ea->left[s->month_slot[i]].n += s->months.left[i];
}

/* What the reading half keeps of a claim line of --exclude-dx: its period
 * (-1: outside both) and whether it carries a listed diagnosis. */
struct dx_item {
	int32_t period;
	int32_t hit;
};

/* Claim line j: with a listed diagnosis, it excludes its attributed
 * member-period; otherwise counted. */
static inline int apply_dx_line(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct state *s = ctx;
	const struct dx_item *c = vbr_batch_item(b, j);
	uint32_t m = b->id[j];
	struct member_period *x = m != VBR_NOT_INTERNED && c->period >= 0
					  ? mp_of(s, m, c->period) : NULL;
	if (!x || !x->org) {
		s->dx_irrelevant++;
	} else if (c->hit) {
		s->dx_excluding++;
		if (x->excluded != BY_FLAG)
			x->excluded = BY_DX;
	} else {
		s->dx_clean++;
	}
	return 1;
}

/* The summing half (handoff.h): a line of an attributed member-period
 * with a listed diagnosis excludes it; the rest are counted. */
static void apply_dx(void *ctx, struct vbr_batch *b)
{
	struct state *s = ctx;
	vbr_batch_sum(b, &s->members, (vbr_batch_fn *const[]){ahead_member_periods, NULL}, s,
		      apply_dx_line);
}

/* --exclude-dx with --claims: a claim in the period carrying a listed
 * diagnosis (any dx column) excludes the member for that period. This is
 * the reading half: each line checked and its diagnoses looked up here,
 * its member-period found by apply_dx a batch at a time (on a second
 * thread for a plain file: handoff.h). */
static void read_dx_exclusions(struct state *s, struct vbr_account *ca)
{
	struct vbr_reader r;
	const char *claims[] = {s->opt->claims};
	vbr_intern_init(&s->dx);
	vbr_id_list_load(s->opt->exclude_dx, "dx", &s->dx);

	vbr_reader_open(&r, claims, 1);
	int cm = vbr_reader_require(&r, "member_id"), cd = vbr_reader_require(&r, "from_date");
	int dxcol[12], ndx = 0;
	for (int i = 1; i <= 12; i++) {
		char name[8];
		snprintf(name, sizeof name, "dx%d", i);
		int c = vbr_reader_column(&r, name);
		if (c >= 0)
			dxcol[ndx++] = c;
	}
	int slot_irrelevant = vbr_account_reason(ca, "claims of other members or periods");
	int slot_clean = vbr_account_reason(ca, "claims with no excluded diagnosis");
	vbr_handoff_start(&s->handoff, &r, sizeof(struct dx_item), apply_dx, s,
			  vbr_handoff_threads(&r));
	while (!vbr_handoff_stopped(&s->handoff) && vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int32_t day;
		ca->read++;
		if (r.defect) {
			vbr_reject(ca, &r, r.defect);
			continue;
		}
		if (!vbr_field_date(ca, &r, cd, &day))
			continue;
		struct dx_item c = {.period = vbr_period_of_day(&s->per, day)};
		for (int i = 0; i < ndx && !c.hit; i++)
			c.hit = f[dxcol[i]].n &&
				vbr_intern_find(&s->dx, f[dxcol[i]].p, f[dxcol[i]].n) != VBR_NOT_INTERNED;
		vbr_handoff_add(&s->handoff, &c, sizeof c, f[cm].p, f[cm].n);
	}
	vbr_handoff_finish(&s->handoff);
	vbr_reader_close(&r);
	ca->written += s->dx_excluding;    /* they exclude */
	ca->left[slot_irrelevant].n += s->dx_irrelevant;
	ca->left[slot_clean].n += s->dx_clean;
}

/* Whole years from birth to the date. */
static int age_at(int32_t birth, int32_t at)
{
	int by, bm, bd, y, m, d;
	vbr_civil_from_days(birth, &by, &bm, &bd);
	vbr_civil_from_days(at, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

/* Why a member-period is left out, or KEEP. The same order in both
 * periods: eligibility, then months, then exclusions. */
static enum why_out judge(const struct state *s, const struct member_period *x)
{
	int n = __builtin_popcountll(x->months);
	if (n == 0)
		return NOT_ELIGIBLE;
	if (n < s->min_months)
		return TOO_FEW;
	if (s->continuous) {
		uint64_t m = x->months >> __builtin_ctzll(x->months);
		if ((m & (m + 1)) != 0)          /* not one run of ones */
			return NOT_CONTINUOUS;
	}
	if (x->excluded == BY_FLAG)
		return BY_FLAG;
	if (x->attr[A_TYPE]) {
		size_t tn;
		const char *tp = vbr_intern_str(&s->values, x->attr[A_TYPE] - 1, &tn);
		if (vbr_intern_find(&s->excluded_types, tp, tn) != VBR_NOT_INTERNED)
			return BY_TYPE;
	}
	return x->excluded == BY_DX ? BY_DX : KEEP;
}

/* One cohort row: the member-period, its member months and mix attributes. */
struct row {
	struct vbr_text member, period, org;
	int64_t member_months, age;
	struct vbr_text sex, region, plan, network;
	int64_t risk_score;
	struct vbr_text enrollment_type;
	int64_t premium;
};

enum { WITH_PREMIUM = 1 };     /* the eligibility carries premium */

/* cohort-select(1) OUTPUT */
#define COL(kind, ...) VBR_COL_##kind(struct row, __VA_ARGS__)
static const struct vbr_column columns[] = {
	VBR_COLS_MEMBER_PERIOD_ORG(struct row),
	COL(COUNT, member_months, "member_months"),
	COL(COUNT, age, "age"),
	VBR_COL_ID(struct row, sex, "sex"),
	VBR_COL_ID(struct row, region, "region"),
	VBR_COL_ID(struct row, plan, "plan"),
	VBR_COL_ID(struct row, network, "network"),
	COL(FIXED, risk_score, "risk_score", 6, 6),
	VBR_COL_ID(struct row, enrollment_type, "enrollment_type"),
	COL(CENTS, premium, "premium", .when = WITH_PREMIUM),
	{.name = NULL},
};

/* An attribute value (id + 1; 0 none) as a cell. */
static struct vbr_text attribute_value(const struct state *s, uint32_t v)
{
	struct vbr_text t = {"", 0};
	if (v)
		t.p = vbr_intern_str(&s->values, v - 1, &t.n);
	return t;
}

/* Member m's cohort rows, base before measure; its member-periods left
 * out are counted under their reasons. */
static void write_member(struct state *s, struct vbr_writer *w, uint32_t m)
{
	unsigned mask = s->has_premium ? WITH_PREMIUM : 0;
	for (int k = 0; k < VBR_NPERIODS; k++) {
		struct member_period *x = mp_of(s, m, k);
		if (!x->org)
			continue;
		enum why_out why = judge(s, x);
		if (why != KEEP) {
			s->acct.left[s->slot[why]].n++;
			if (why == BY_FLAG)
				s->flag_hits[x->flag]++;
			continue;
		}
		s->acct.written++;
		struct row row = {
			.period = {vbr_period_name[k], strlen(vbr_period_name[k])},
			.member_months = __builtin_popcountll(x->months),
			.age = x->birth != INT32_MIN ? age_at(x->birth, s->age_as_of[k]) : VBR_EMPTY,
			.sex = attribute_value(s, x->attr[A_SEX]),
			.region = attribute_value(s, x->attr[A_REGION]),
			.plan = attribute_value(s, x->attr[A_PLAN]),
			.network = attribute_value(s, x->attr[A_NETWORK]),
			.risk_score = x->risk_months ? vbr_div_round(x->risk_sum, x->risk_months)
						     : VBR_EMPTY,
			.enrollment_type = attribute_value(s, x->attr[A_TYPE]),
			.premium = x->premium,
		};
		row.member.p = vbr_intern_str(&s->members, m, &row.member.n);
		row.org.p = vbr_intern_str(&s->orgs, x->org - 1, &row.org.n);
		vbr_columns_row(w, columns, mask, &row);
	}
}

/* The header, then every attributed member's rows in member order. */
static void write_cohort(struct state *s, struct vbr_writer *w)
{
	uint32_t n = s->members.count;
	uint32_t *order = vbr_intern_sorted(&s->members);
	vbr_columns_stdout(w, columns, s->has_premium ? WITH_PREMIUM : 0);
	for (uint32_t j = 0; j < n; j++)
		write_member(s, w, order[j]);
	free(order);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_writer w;
	struct vbr_account ea, ca;
	static const char *const reasons[NREASONS] = {
		"", "no eligibility in the period", "fewer than min_months",
		"months not continuous", "excluded by a flag",
		"excluded enrollment type", "excluded diagnosis",
	};
	s->opt = o;
	load_rules(s);
	vbr_intern_init(&s->members);
	vbr_intern_init(&s->orgs);
	vbr_intern_init(&s->values);
	vbr_cli_account(&o->cli, &s->acct, NULL);
	for (int i = 1; i < NREASONS; i++)
		s->slot[i] = vbr_account_reason(&s->acct, reasons[i]);
	/* side inputs are strict: a bad eligibility or claims record stops the
	 * run (--rejects holds attribution records only, one header) */
	vbr_account_init(&ea, NULL, 0);
	vbr_account_init(&ca, NULL, 0);
	ea.written_label = ca.written_label = "used";
	if (o->eligibility_first) {
		read_eligibility(s, &ea);
		/* --in-member-order: the header now, the rows as they come */
		if (o->in_member_order)
			vbr_columns_stdout(&w, columns, s->has_premium ? WITH_PREMIUM : 0);
		read_attribution(s, o->in_member_order ? &w : NULL);
		tally_rows(s);
	} else {
		read_attribution(s, NULL);
		read_eligibility(s, &ea);
	}
	account_months(s, &ea);
	if (o->exclude_dx)
		read_dx_exclusions(s, &ca);
	if (!o->in_member_order)
		write_cohort(s, &w);
	vbr_writer_close(&w);

	if (o->cli.verbose) {
		vbr_progname = "cohort-select: eligibility";
		vbr_account_finish(&ea, 1);
		if (o->exclude_dx) {
			vbr_progname = "cohort-select: claims";
			vbr_account_finish(&ca, 1);
		}
		vbr_progname = "cohort-select";
		for (int i = 0; i < s->nflags; i++)
			if (s->flag_hits[i])
				fprintf(stderr, "cohort-select: excluded by flag %s: %llu\n",
					s->flag_names[i], (unsigned long long)s->flag_hits[i]);
	}
	int status = vbr_account_finish(&s->acct, o->cli.verbose);
	vbr_free_strings(s->flag_names, (size_t)s->nflags);
	vbr_intern_free(&s->members);
	vbr_intern_free(&s->orgs);
	vbr_intern_free(&s->values);
	vbr_intern_free(&s->excluded_types);
	if (o->exclude_dx)
		vbr_intern_free(&s->dx);
	vbr_free_mapped(s->mp, s->mp_cap, sizeof *s->mp);
	for (size_t i = 0; i < s->ndeferred; i++)
		free(s->deferred[i].place);
	free(s->deferred);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
