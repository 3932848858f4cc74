/*
 * complete — completion factors from the paid lag triangle (complete(1)).
 *
 * Claims are placed in a triangle by incurred month (the month of
 * from_date) and development (whole months from it to the month of
 * paid_date), summed exactly in cents of the contract's cost basis. The
 * age-to-age factors are the volume-weighted chain ladder over the most
 * recent completion_window incurred months that have the next month of
 * development; the cumulative development factor of a month multiplies the
 * factors from its development on, and the tail. Every factor is published
 * to 6 decimals and used as published, so shards whose triangles are added
 * (--from-triangles) give the same bytes as the whole run.
 *
 * Memory: the triangle, MAX_MONTHS × MAX_MONTHS cells, not the claims.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "columns.h"
#include "error.h"
#include "money.h"
#include "period.h"
#include "reader.h"
#include "value.h"
#include "writer.h"

/* incurred months kept, counting back from paid_through's month */
#define MAX_MONTHS 240

struct options {
	struct vbr_cli cli;
	const char *paid_through, *triangle;
	int from_triangles;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, paid_through, "paid-through", 0, VBR_ARG_TEXT, "DATE",
		"the last paid date the extract holds (default: the term paid_through)"),
	VBR_OPT(struct options, triangle, "triangle", 0, VBR_ARG_TEXT, "FILE",
		"write the triangle (incurred month x development, cumulative paid) to FILE"),
	VBR_OPT(struct options, from_triangles, "from-triangles", 0, VBR_ARG_FLAG, NULL,
		"the operands are triangles (--triangle of shards), added cell by cell"),
	{.name = NULL},
};

static const struct vbr_command command = {
	.name = "complete",
	.about = "Completion factors from the paid lag triangle: the volume-weighted chain "
		 "ladder, per incurred month and per period.",
	.operands = "claims ...",
	.operands_help = "claim lines (ingest(1)); with --from-triangles, triangles; none or -: "
			 "standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
};

struct state {
	struct options *opt;
	struct vbr_periods per;
	int32_t paid_through, pt_month;   /* day; months since 1970 */
	int basis_paid;
	int64_t window, tail;             /* months; millionths */
	int64_t cum[MAX_MONTHS][MAX_MONTHS];   /* [pt_month − month][development] */
	int seen[MAX_MONTHS];             /* the month has a cell */
	struct vbr_account acct;
};

/* Cell (incurred month, development) of the triangle, by age back from
 * paid_through's month. */
static int64_t *cell(struct state *s, int32_t month, int32_t dev)
{
	return &s->cum[s->pt_month - month][dev];
}

/* Add v to a cell, overflow-checked. */
static void add_cell(struct state *s, struct vbr_reader *r, int32_t month, int32_t dev, int64_t v)
{
	int64_t *c = cell(s, month, dev);
	if (vbr_add_cents(*c, v, c))
		vbr_die(EX_DATAERR, "%s: the paid of an incurred month overflows",
			vbr_reader_place(r));
	s->seen[s->pt_month - month] = 1;
}

/* The claims into the triangle, incremental by development month; every
 * claim line is used, rejected or counted as left out. */
static void read_claims(struct state *s)
{
	struct vbr_reader r;
	vbr_reader_open(&r, s->opt->cli.operands, s->opt->cli.noperands);
	int cd = vbr_reader_require(&r, "from_date"), cpd = vbr_reader_require(&r, "paid_date");
	int ca = vbr_reader_require(&r, s->basis_paid ? "paid" : "allowed");
	int late = vbr_account_reason(&s->acct, "claims paid after paid_through");
	int old = vbr_account_reason(&s->acct, "claims incurred more than 240 months before "
				     "paid_through");
	while (vbr_reader_next(&r)) {
		int32_t day, paid_day;
		int64_t v;
		s->acct.read++;
		if (r.defect) {
			vbr_reject(&s->acct, &r, r.defect);
			continue;
		}
		if (!vbr_field_date(&s->acct, &r, cd, &day) ||
		    !vbr_field_date(&s->acct, &r, cpd, &paid_day) ||
		    !vbr_field_amount(&s->acct, &r, ca, &v))
			continue;
		if (paid_day < day) {
			vbr_reject(&s->acct, &r, "paid_date is before from_date: paid before it "
				   "was incurred");
			continue;
		}
		if (paid_day > s->paid_through) {
			s->acct.left[late].n++;
			continue;
		}
		int32_t month = vbr_month_of_day(day);
		if (s->pt_month - month >= MAX_MONTHS) {
			s->acct.left[old].n++;
			continue;
		}
		add_cell(s, &r, month, vbr_month_of_day(paid_day) - month, v);
		s->acct.written++;
	}
	vbr_reader_close(&r);
	/* incremental → cumulative, each month up to its development */
	for (int a = 0; a < MAX_MONTHS; a++)
		for (int d = 1; d <= a; d++)
			if (vbr_add_cents(s->cum[a][d], s->cum[a][d - 1], &s->cum[a][d]))
				vbr_die(EX_DATAERR, "the cumulative paid of an incurred month overflows");
}

/* Triangles written by --triangle (of shards), added cell by cell; each
 * must be as of this run's paid_through. */
static void read_triangles(struct state *s)
{
	struct vbr_reader r;
	vbr_reader_open(&r, s->opt->cli.operands, s->opt->cli.noperands);
	int cm = vbr_reader_require(&r, "incurred_month"), cd = vbr_reader_require(&r, "development");
	int cc = vbr_reader_require(&r, "cumulative_paid"), cp = vbr_reader_require(&r, "paid_through");
	while (vbr_reader_next(&r)) {
		int32_t month, pt;
		int64_t dev, v;
		s->acct.read++;
		if (r.defect)
			vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r), r.defect);
		int rc;
		if ((rc = vbr_parse_month(r.field[cm].p, r.field[cm].n, &month)) != VBR_OK)
			vbr_die_field(&r, cm, "month", rc, "");
		if ((rc = vbr_parse_count(r.field[cd].p, r.field[cd].n, &dev)) != VBR_OK)
			vbr_die_field(&r, cd, "count", rc, "");
		if ((rc = vbr_parse_amount(r.field[cc].p, r.field[cc].n, &v)) != VBR_OK)
			vbr_die_field(&r, cc, "amount", rc, "");
		if ((rc = vbr_parse_date(r.field[cp].p, r.field[cp].n, &pt)) != VBR_OK)
			vbr_die_field(&r, cp, "date", rc, "");
		if (pt != s->paid_through)
			vbr_die(EX_DATAERR, "%s: a triangle paid through %.*s; this run is paid "
				"through another date: add triangles of one paid_through",
				vbr_reader_place(&r), (int)r.field[cp].n, r.field[cp].p);
		if (month > s->pt_month || s->pt_month - month >= MAX_MONTHS ||
		    dev > s->pt_month - month)
			vbr_die(EX_DATAERR, "%s: incurred month %.*s with %lld months of "
				"development is not in a triangle paid through %.*s",
				vbr_reader_place(&r), (int)r.field[cm].n, r.field[cm].p,
				(long long)dev, (int)r.field[cp].n, r.field[cp].p);
		add_cell(s, &r, month, (int32_t)dev, v);
		s->acct.written++;
	}
	vbr_reader_close(&r);
}

/* The oldest incurred month with a cell: its age (months back). -1 none. */
static int oldest(const struct state *s)
{
	for (int a = MAX_MONTHS - 1; a >= 0; a--)
		if (s->seen[a])
			return a;
	return -1;
}

/* One row of the triangle file. */
struct tri_row {
	struct vbr_text month, paid_through;
	int64_t development, cumulative;
};

/* complete(1) --triangle */
static const struct vbr_column tri_columns[] = {
	VBR_COL_ID(struct tri_row, month, "incurred_month"),
	VBR_COL_COUNT(struct tri_row, development, "development"),
	VBR_COL_CENTS(struct tri_row, cumulative, "cumulative_paid"),
	VBR_COL_ID(struct tri_row, paid_through, "paid_through"),
	{.name = NULL},
};

/* The triangle, oldest incurred month first, each to its development. */
static void write_triangle(struct state *s, int top)
{
	struct vbr_writer w;
	char pt[11], month[8];
	vbr_format_date(pt, s->paid_through);
	vbr_writer_create(&w, s->opt->triangle);
	vbr_columns_header(&w, tri_columns, 0);
	for (int a = top; a >= 0; a--) {
		vbr_format_month(month, s->pt_month - a);
		for (int d = 0; d <= a; d++) {
			struct tri_row row = {{month, 7}, {pt, 10}, d, s->cum[a][d]};
			vbr_columns_row(&w, tri_columns, 0, &row);
		}
	}
	vbr_writer_close(&w);
}

/* One row of the output: an incurred month, or a period's total (`*`). */
struct row {
	struct vbr_text period, month, flag;
	int64_t paid, development, factor, dev_factor, estimated, ibnr;
};

/* complete(1) OUTPUT */
static const struct vbr_column columns[] = {
	VBR_COL_ID(struct row, period, "period"),
	VBR_COL_ID(struct row, month, "incurred_month"),
	VBR_COL_CENTS(struct row, paid, "paid_to_date"),
	VBR_COL_COUNT(struct row, development, "months_of_development"),
	VBR_COL_FIXED(struct row, factor, "completion_factor", 6, 6),
	VBR_COL_FIXED(struct row, dev_factor, "development_factor", 6, 6),
	VBR_COL_CENTS(struct row, estimated, "estimated_incurred"),
	VBR_COL_CENTS(struct row, ibnr, "ibnr"),
	VBR_COL_ID(struct row, flag, "flag"),
	{.name = NULL},
};

/* Paid ÷ estimated as a completion factor, 6 decimals, at most 1 (1 when
 * nothing is estimated). */
static int64_t completion_of(int64_t paid, int64_t estimated)
{
	if (estimated <= 0 || paid >= estimated)
		return VBR_MILLION;
	return vbr_div_round((__int128)paid * VBR_MILLION, estimated);
}

/* The chain ladder and the rows: age-to-age factors f(d) over the window,
 * cumulative factors from each development on (with the tail), and each
 * incurred month's completion; then each period's total. */
static void estimate(struct state *s, int top)
{
	int64_t f[MAX_MONTHS], cdf[MAX_MONTHS + 1];
	if (top < s->window)
		vbr_die(EX_USAGE, "term 'completion_window' %lld: the triangle has %d incurred "
			"month%s with a month of development (the oldest is %d months before "
			"paid_through); give a window of at most %d, or a longer extract",
			(long long)s->window, top, top == 1 ? "" : "s", top, top);
	/* f(d): Σ C(i, d+1) ÷ Σ C(i, d) over the `window` most recent months
	 * with d + 1 months of development: ages d+1 ... d+window */
	for (int d = 0; d < top; d++) {
		__int128 num = 0, den = 0;
		for (int a = d + 1; a <= d + s->window && a <= top; a++) {
			num += s->cum[a][d + 1];
			den += s->cum[a][d];
		}
		f[d] = den > 0 ? vbr_div_round(num * VBR_MILLION, den) : VBR_MILLION;
	}
	cdf[top] = s->tail;
	for (int d = top - 1; d >= 0; d--)
		cdf[d] = vbr_div_round((__int128)cdf[d + 1] * f[d], VBR_MILLION);

	struct vbr_writer w;
	vbr_columns_stdout(&w, columns, 0);
	int64_t paid[VBR_NPERIODS] = {0}, est[VBR_NPERIODS] = {0};
	for (int a = top; a >= 0; a--) {
		char month[8];
		int32_t m = s->pt_month - a;
		vbr_format_month(month, m);
		int64_t p = s->cum[a][a];
		int64_t dev = cdf[a] > VBR_MILLION ? cdf[a] : VBR_MILLION;   /* the factor applied */
		int64_t e = vbr_div_round((__int128)p * dev, VBR_MILLION);
		int k = vbr_period_of_month(&s->per, m);
		const char *flag = p == 0 ? "no_paid" : a == top ? "tail" : "";
		struct row row = {{k < 0 ? "" : vbr_period_name[k], k < 0 ? 0 : strlen(vbr_period_name[k])},
				  {month, 7}, {flag, strlen(flag)}, p, a, completion_of(p, e), dev, e, e - p};
		vbr_columns_row(&w, columns, 0, &row);
		if (k >= 0 && (vbr_add_cents(paid[k], p, &paid[k]) || vbr_add_cents(est[k], e, &est[k])))
			vbr_die(EX_DATAERR, "the %s period's paid overflows", vbr_period_name[k]);
	}
	for (int k = 0; k < VBR_NPERIODS; k++) {
		struct row row = {{vbr_period_name[k], strlen(vbr_period_name[k])}, {"*", 1}, {"", 0},
				  paid[k], VBR_EMPTY, completion_of(paid[k], est[k]), VBR_EMPTY, est[k],
				  est[k] - paid[k]};
		vbr_columns_row(&w, columns, 0, &row);
	}
	vbr_writer_close(&w);
}

/* The terms: periods, cost basis, paid_through (option over term), the
 * window and the tail factor. */
static void load_terms(struct state *s)
{
	const struct vbr_terms *t = &s->opt->cli.terms;
	vbr_periods_load(&s->per, t);
	int basis = VBR_BASIS_PAID;
	vbr_term_choice(t, NULL, "cost_basis", &basis);
	s->basis_paid = basis == VBR_BASIS_PAID;
	const char *pt = s->opt->paid_through;
	if (pt) {
		if (vbr_parse_date(pt, strlen(pt), &s->paid_through) != VBR_OK)
			vbr_cli_usage_error(&s->opt->cli, "--paid-through: '%s' is not a date "
					    "(YYYY-MM-DD)", pt);
	} else if (!vbr_term_date(t, NULL, "paid_through", &s->paid_through)) {
		vbr_cli_usage_error(&s->opt->cli, "the claims are complete as of a date: give "
				    "--paid-through or the term paid_through");
	}
	s->pt_month = vbr_month_of_day(s->paid_through);
	vbr_term_count(t, NULL, "completion_window", &s->window);
	vbr_term_rate(t, NULL, "completion_tail", &s->tail);    /* 1 to 10 (vbr-terms(5)) */
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	s->opt = o;
	load_terms(s);
	vbr_cli_account(&o->cli, &s->acct, "placed");
	if (o->from_triangles)
		read_triangles(s);
	else
		read_claims(s);
	int top = oldest(s);
	if (top < 0)
		vbr_die(EX_DATAERR, "no claim paid through the date: no triangle");
	if (o->triangle)
		write_triangle(s, top);
	estimate(s, top);
	int status = vbr_account_finish(&s->acct, o->cli.verbose);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
