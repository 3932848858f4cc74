/*
 * report — the settlement statement (report(1)): a programme summary,
 * then per org the target development with its formula key, the mix table,
 * the settlement steps, the simulated outcomes and the deterministic
 * scenarios, as text, markdown or one self-contained html page with SVG
 * charts. The main stream is settle(1)'s output; target(1), mix-factor(1)
 * and simulate(1) outputs are optional side inputs. Nothing is recomputed
 * from claims: the statement shows the figures of the files it is given,
 * and the scenarios are settled by the same contract code as settle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "capstats.h"
#include "chart.h"
#include "cli.h"
#include "contract.h"
#include "document.h"
#include "error.h"
#include "intern.h"
#include "money.h"
#include "orgfiles.h"
#include "sheet.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	int format;                 /* enum vbr_doc_format */
	const char *target, *mix, *simulation, *draws, *sensitivity, *costs, *title, *inputs,
		*run_date;
	int64_t scenarios, top;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, format, "format", 0, VBR_ARG_CHOICE, "FORMAT",
		"the statement's format", .deflt = "text", .choices = vbr_doc_formats),
	VBR_OPT(struct options, target, "target", 0, VBR_ARG_TEXT, "FILE",
		"the targets (target(1)): the target development A ... E per org"),
	VBR_OPT(struct options, mix, "mix", 0, VBR_ARG_TEXT, "FILE",
		"the mix factors (mix-factor(1)): the mix table per org"),
	VBR_OPT(struct options, simulation, "simulation", 0, VBR_ARG_TEXT, "FILE",
		"the simulated outcomes (simulate(1))"),
	VBR_OPT(struct options, draws, "draws", 0, VBR_ARG_TEXT, "FILE",
		"simulate's draws: histograms and the scenarios' probabilities"),
	VBR_OPT(struct options, sensitivity, "sensitivity", 0, VBR_ARG_TEXT, "FILE",
		"simulate's --sensitivity: the change in the expected settlement per term"),
	VBR_OPT(struct options, costs, "costs", 0, VBR_ARG_TEXT, "FILE",
		"the member cost rows (cap-large-claims(1)): what the large-claim cap "
		"removed, and the largest claimants"),
	VBR_OPT(struct options, top, "top", 0, VBR_ARG_COUNT, "N",
		"with --costs, the claimants listed per org", .deflt = "10", .lo = 0, .hi = 1000),
	VBR_OPT(struct options, scenarios, "scenarios", 0, VBR_ARG_COUNT, "N",
		"the scenario table: N steps of scenario_step below and above the target "
		"(needs the terms)", .lo = 1, .hi = 20),
	VBR_OPT(struct options, inputs, "inputs", 0, VBR_ARG_TEXT, "FILE",
		"the inputs' SHA-256 (sha256sum lines), shown in the statement's header"),
	VBR_OPT(struct options, run_date, "run-date", 0, VBR_ARG_TEXT, "TEXT",
		"when the run that made the statement started, shown in its header"),
	VBR_OPT(struct options, title, "title", 0, VBR_ARG_TEXT, "TEXT",
		"the statement's title", .deflt = "Settlement statement"),
	{.name = NULL},
};

static void check_args(void *opts)
{
	struct options *o = opts;
	if (o->scenarios && !o->cli.terms_file && !o->cli.org_terms_file && !o->cli.sets.n)
		vbr_cli_usage_error(&o->cli, "--scenarios settles each scenario under the "
				    "contract: give its --terms");
}

static const struct vbr_command command = {
	.name = "report",
	.about = "The settlement statement a finance officer and an auditor read: "
		"programme summary, target development, mix, settlement steps, "
		"simulation and scenarios, as text, markdown or html.",
	.operands = "settlement ...",
	.operands_help = "settlement rows (settle(1)); none or -: standard input",
	.options = options,
	.groups = VBR_WITH_TERMS | VBR_WITH_ORG_TERMS | VBR_WITH_VERBOSE,
	.check = check_args,
};

/* The inputs, each held whole, and the settlement's column indexes. */
struct state {
	struct options *opt;
	struct vbr_sheet set, target, mix, sim, draws, sens;
	int has_target, has_mix, has_sim, has_draws, has_sens;
	int c_org, c_members, c_months;
	struct vbr_doc doc;
	struct vbr_account acc;
	struct vbr_capstats caps;    /* with --costs */
};

/* ---- formatting ------------------------------------------------------- */



/* Cents as a statement shows them: "1,234.56". */
static const char *fmt_money(char *buf, int64_t cents)
{
	vbr_format_grouped(buf, cents);
	return buf;
}

/* Millionths as a percentage with two decimals: 235010 → "23.50%". */
static const char *fmt_pct(char *buf, int64_t millionths)
{
	size_t n = vbr_format_fixed(buf, millionths, 4, 2);
	memcpy(buf + n, "%", 2);
	return buf;
}

/* A money cell of a sheet, checked and grouped; "" when empty. */
static const char *money_cell(char *buf, const struct vbr_sheet *s, size_t row, int col)
{
	int64_t v;
	if (col < 0 || !vbr_sheet_cents(s, row, col, &v))
		return "";
	return fmt_money(buf, v);
}

/* A rate cell of a sheet as a percentage; "" when empty. */
static const char *pct_cell(char *buf, const struct vbr_sheet *s, size_t row, int col)
{
	int64_t v;
	if (col < 0 || !vbr_sheet_rate(s, row, col, &v))
		return "";
	return fmt_pct(buf, v);
}

/* A rate or factor cell, checked, shown as written. */
static const char *rate_cell(const struct vbr_sheet *s, size_t row, int col)
{
	int64_t v;
	if (col >= 0)
		vbr_sheet_rate(s, row, col, &v);
	return vbr_sheet_cell(s, row, col);
}

/* A required cell of the settlement, parsed by get (vbr_sheet_cents or
 * vbr_sheet_count); an empty one is an error naming the place. */
static int64_t need_value(const struct vbr_sheet *s, size_t row, const char *name,
			  int (*get)(const struct vbr_sheet *, size_t, int, int64_t *))
{
	int c = vbr_sheet_need(s, name);
	int64_t v;
	if (!get(s, row, c, &v))
		vbr_die(EX_DATAERR, "%s:%llu: column '%s' (%d): missing value",
			s->source[s->src[row]], (unsigned long long)s->line[row], name, c + 1);
	return v;
}

static int64_t need_cents(const struct vbr_sheet *s, size_t row, const char *name)
{
	return need_value(s, row, name, vbr_sheet_cents);
}

/* The row of org in a side sheet (column org_id), or -1. */
/* Is row r of a simulation or draws sheet the base contract's (or of a
 * sheet without variants)? */
static int base_row(const struct vbr_sheet *s, size_t r)
{
	int v = vbr_sheet_col(s, "variant");
	return v < 0 || !strcmp(vbr_sheet_cell(s, r, v), "base");
}

static long org_row(const struct vbr_sheet *s, const char *org, int from)
{
	int c = vbr_sheet_need(s, "org_id");
	for (size_t r = (size_t)from; r < s->nrows; r++)
		if (!strcmp(vbr_sheet_cell(s, r, c), org) && base_row(s, r))
			return (long)r;
	return -1;
}

/* Rows of a four-column table: key, step, formula, value. */
static void step_row(struct vbr_table *t, const char *key, const char *step, const char *formula,
		     const char *value, int strong)
{
	const char *cells[] = {key, step, formula, value};
	vbr_table_row(t, strong, cells);
}

static const char *const step_head[] = {"key", "step", "formula", "value"};

/* ---- programme summary --------------------------------------------------- */

static void programme_summary(struct state *s)
{
	static const char *const head[] = {"org", "members", "member months", "target",
		"actual", "gross savings", "savings rate", "shared", "care mgmt fee",
		"net settlement"};
	const struct vbr_sheet *st = &s->set;
	int cols[] = {s->c_members, s->c_months, vbr_sheet_need(st, "target_total"),
		      vbr_sheet_need(st, "actual_total"), vbr_sheet_need(st, "gross_savings"),
		      vbr_sheet_need(st, "savings_rate"), vbr_sheet_need(st, "shared"),
		      vbr_sheet_need(st, "care_mgmt_fee"), vbr_sheet_need(st, "net_settlement")};
	struct vbr_table t;
	vbr_table_init(&t, 10, head, "lrrrrrrrrr");
	for (size_t r = 0; r < st->nrows; r++) {
		char b[8][40];
		int64_t n;
		const char *org = vbr_sheet_cell(st, r, s->c_org);
		int total = !strcmp(org, "*");
		vbr_sheet_count(st, r, cols[0], &n);
		vbr_sheet_count(st, r, cols[1], &n);
		const char *cells[] = {total ? "programme" : org, vbr_sheet_cell(st, r, cols[0]),
			vbr_sheet_cell(st, r, cols[1]), money_cell(b[0], st, r, cols[2]),
			money_cell(b[1], st, r, cols[3]), money_cell(b[2], st, r, cols[4]),
			pct_cell(b[3], st, r, cols[5]), money_cell(b[4], st, r, cols[6]),
			money_cell(b[5], st, r, cols[7]), money_cell(b[6], st, r, cols[8])};
		vbr_table_row(&t, total, cells);
	}
	vbr_doc_anchor_heading(&s->doc, 2, "Programme summary", "programme");
	vbr_doc_para(&s->doc, "Amounts in dollars. Positive amounts are paid by the payer to the "
		     "organisation; negative amounts are owed by the organisation to the payer. "
		     "Gross savings = target - actual; shared = the organisation's share after "
		     "thresholds, quality, payment reduction, caps and forgiveness; net settlement "
		     "= shared + care management fee.");
	vbr_doc_table(&s->doc, &t);
	vbr_table_free(&t);
}

/* A step of a development table: its key, name and formula, the column
 * of the sheet it shows and how (m money, p percentage, r as written, t
 * the threshold flag), whether it closes a group, whether the column may be
 * absent (an older file). */
struct step {
	const char *key, *step, *formula, *column;
	char show;
	int strong, optional;
};

/* The steps of one row of a sheet as key, step, formula, value rows; a
 * formula given in `formulas` (by step) replaces the table's. */
static void step_rows(struct vbr_table *t, const struct vbr_sheet *sh, size_t r,
		      const struct step *steps, size_t n, const char *const *formulas,
		      const char *const *labels)
{
	for (size_t i = 0; i < n; i++) {
		char b[40];
		int c = steps[i].optional ? vbr_sheet_col(sh, steps[i].column)
					  : vbr_sheet_need(sh, steps[i].column);
		const char *value = steps[i].show == 'm' ? money_cell(b, sh, r, c)
				  : steps[i].show == 'p' ? pct_cell(b, sh, r, c)
				  : steps[i].show == 't' ? vbr_sheet_cell(sh, r, c)
				  : rate_cell(sh, r, c);
		if (steps[i].optional && c < 0)
			continue;       /* a settlement file from before the column */
		step_row(t, steps[i].key, labels && labels[i] ? labels[i] : steps[i].step,
			 formulas && formulas[i] ? formulas[i] : steps[i].formula, value,
			 steps[i].strong);
	}
}

/* ---- target development ---------------------------------------------------- */

/* Target development A ... I (target(1)), with the loss-ratio rows of a
 * loss-ratio contract. */
static void target_development(struct state *s, const char *org)
{
	static const struct step steps[] = {
		{"A", "base-period PMPM", NULL, "base_pmpm", 'm', 0, 0},
		{"B", "trend", "contract term trend", "trend", 'r', 0, 0},
		{"C", "trended base PMPM", "A x (1 + B)", "target_base_basis_pmpm", 'm', 0, 0},
		{"D", "mix adjustment", "measurement mix factor / base mix factor",
		 "mix_adjustment", 'r', 0, 0},
		{"E", "target at measurement mix", "C x D", "target_measure_basis_pmpm", 'm', 0, 0},
		{"F", "regional adjustment PMPM", "weight x (regional PMPM - E), capped",
		 "regional_adjustment_pmpm", 'm', 0, 1},
		{"G", "prior savings PMPM", "share x prior savings PMPM", "prior_savings_pmpm",
		 'm', 0, 1},
		{"H", "risk discount", "contract term risk_discount", "risk_discount", 'r', 0, 1},
		{"I", "target PMPM", "(E + F + G) x (1 - H)", "target_pmpm", 'm', 1, 0},
	};
	static const struct step loss_ratio_steps[] = {
		{"L", "target loss ratio", "pricing table at the base mix", "target_loss_ratio",
		 'r', 0, 0},
		{"", "loss ratio at the actual mix", "pricing table at the measurement mix",
		 "actual_mix_loss_ratio", 'r', 0, 1},
	};
	const struct vbr_sheet *t = &s->target;
	long r = org_row(t, org, 0);
	if (r < 0)
		return;
	char base[200], trend[200];
	const char *formulas[LEN(steps)] = {base, NULL};
	snprintf(base, sizeof base, "base cost / %s base member months (%s members)",
		 vbr_sheet_cell(t, (size_t)r, vbr_sheet_col(t, "base_member_months")),
		 vbr_sheet_cell(t, (size_t)r, vbr_sheet_col(t, "base_members")));
	int slope = vbr_sheet_col(t, "trend_slope");
	if (slope >= 0) {
		snprintf(trend, sizeof trend, "regression on monthly PMPM: slope %s, R^2 %s",
			 rate_cell(t, (size_t)r, slope),
			 rate_cell(t, (size_t)r, vbr_sheet_col(t, "trend_r2")));
		formulas[1] = trend;
	}
	struct vbr_table tb;
	vbr_table_init(&tb, 4, step_head, "lllr");
	step_rows(&tb, t, (size_t)r, steps, LEN(steps), formulas, NULL);
	int lr = vbr_sheet_col(t, "target_loss_ratio");
	if (lr >= 0 && *vbr_sheet_cell(t, (size_t)r, lr))
		step_rows(&tb, t, (size_t)r, loss_ratio_steps, LEN(loss_ratio_steps), NULL, NULL);
	vbr_doc_heading(&s->doc, 3, "Target development");
	vbr_doc_table(&s->doc, &tb);
	vbr_table_free(&tb);
}

/* ---- population mix ---------------------------------------------------- */

static void mix_table(struct state *s, const char *org)
{
	static const char *const head[] = {"dimension", "base factor", "measurement factor",
					   "ratio"};
	const struct vbr_sheet *m = &s->mix;
	int cd = vbr_sheet_need(m, "dimension"), cb = vbr_sheet_need(m, "base");
	int cm = vbr_sheet_need(m, "measure"), cr = vbr_sheet_need(m, "ratio");
	int cu = vbr_sheet_col(m, "used");       /* absent before mix-factor wrote it */
	struct vbr_table t;
	vbr_table_init(&t, 4, head, "lrrr");
	for (long r = org_row(m, org, 0); r >= 0; r = org_row(m, org, (int)r + 1)) {
		const char *dim = vbr_sheet_cell(m, (size_t)r, cd);
		int agg = !strcmp(dim, "aggregate");
		int used = cu < 0 || strcmp(vbr_sheet_cell(m, (size_t)r, cu), "N");
		const char *cells[] = {agg ? "aggregate (ratio = mix adjustment D)" : dim,
			used ? rate_cell(m, (size_t)r, cb) : "not used",
			used ? rate_cell(m, (size_t)r, cm) : "", used ? rate_cell(m, (size_t)r, cr) : ""};
		vbr_table_row(&t, agg, cells);
	}
	if (t.nrows) {
		vbr_doc_heading(&s->doc, 3, "Population mix");
		vbr_doc_para(&s->doc, "Member-month weighted factors per dimension; the aggregate "
			     "is their product, and its ratio (measurement / base) adjusts the "
			     "target.");
		vbr_doc_table(&s->doc, &t);

	}
	vbr_table_free(&t);
}

/* ---- settlement steps ---------------------------------------------------- */

/* The settlement of one org, step by step, and its waterfall (html). */
/* The cap's step: which cap (savings or loss, by the sign of X), and
 * whether it binds (X beyond it: Y is the cap) or leaves headroom. */
static void cap_row(const struct vbr_sheet *st, size_t r, char *label, char *formula,
		    size_t len)
{
	int64_t cap, x = need_cents(st, r, "shared_before_cap");
	char b[40];
	if (!vbr_sheet_cents(st, r, vbr_sheet_need(st, "cap"), &cap)) {
		strcpy(label, "cap");
		snprintf(formula, len, "none in the contract");
		return;
	}
	int64_t size = x < 0 ? -x : x;
	snprintf(label, 40, "%s cap%s", x < 0 ? "loss" : "savings", size > cap ? " (binds)" : "");
	if (size > cap)
		snprintf(formula, len, "|X| is above it: Y is the cap");
	else
		snprintf(formula, len, "does not bind: headroom %s", fmt_money(b, cap - size));
}

static void settlement_steps(struct state *s, size_t r)
{
	/* 't': the threshold flag, with msr and mlr as its formula */
	static const struct step steps[] = {
		{"", "members", "attributed members in the measurement period", "members", 'r', 0, 0},
		{"", "member months", "", "member_months", 'r', 0, 0},
		{"T", "target PMPM", "from the target development", "target_pmpm", 'm', 0, 0},
		{"U", "target total", "T x member months", "target_total", 'm', 0, 0},
		{"", "actual PMPM", "actual total / member months", "actual_pmpm", 'm', 0, 0},
		{"V", "actual total", "capped cost of the measurement period", "actual_total", 'm', 0, 0},
		{"W", "gross savings (loss if negative)", "U - V", "gross_savings", 'm', 1, 0},
		{"", "savings rate", "W / U", "savings_rate", 'p', 0, 0},
		{"", "threshold met", NULL, "threshold_met", 't', 0, 0},
		{"", "sharing rate", "contract term", "sharing_rate", 'p', 0, 0},
		{"", "quality score", "", "quality_score", 'p', 0, 0},
		{"", "final sharing rate", "sharing rate adjusted for quality", "final_sharing_rate",
		 'p', 0, 0},
		{"", "loss rate", "share of losses (two-sided contracts)", "loss_rate", 'p', 0, 0},
		{"", "shared before payment reduction", "W (or its part above the threshold) "
		 "x final sharing rate (or x loss rate)", "shared_before_reduction", 'm', 0, 1},
		{"", "payment reduction", "payment_reduction x the line above (savings only)",
		 "payment_reduction", 'm', 0, 1},
		{"X", "shared before cap", "after payment reduction", "shared_before_cap", 'm', 0, 0},
		{"", "cap", NULL, "cap", 'm', 0, 0},
		{"Y", "shared", "X within the cap, after forgiveness", "shared", 'm', 0, 0},
		{"Z", "care management fee", "", "care_mgmt_fee", 'm', 0, 0},
		{"", "net settlement", "Y + Z", "net_settlement", 'm', 1, 0},
	};
	const struct vbr_sheet *st = &s->set;
	const char *formulas[LEN(steps)] = {NULL}, *labels[LEN(steps)] = {NULL};
	char b1[40], b2[40], threshold[160], cap_label[40], cap_formula[160];
	snprintf(threshold, sizeof threshold, "minimum savings rate %s, minimum loss rate %s",
		 pct_cell(b1, st, r, vbr_sheet_need(st, "msr")),
		 pct_cell(b2, st, r, vbr_sheet_need(st, "mlr")));
	cap_row(st, r, cap_label, cap_formula, sizeof cap_formula);
	for (size_t i = 0; i < LEN(steps); i++) {
		if (steps[i].show == 't')
			formulas[i] = threshold;
		if (!strcmp(steps[i].column, "cap")) {
			labels[i] = cap_label;
			formulas[i] = cap_formula;
		}
	}
	struct vbr_table t;
	vbr_table_init(&t, 4, step_head, "lllr");
	step_rows(&t, st, r, steps, LEN(steps), formulas, labels);
	vbr_doc_heading(&s->doc, 3, "Settlement");
	vbr_doc_table(&s->doc, &t);
	vbr_table_free(&t);
	if (s->doc.format == VBR_DOC_HTML) {
		int64_t target = need_cents(st, r, "target_total"), gross = need_cents(st, r,
			"gross_savings"), before = need_cents(st, r, "shared_before_cap"),
			shared = need_cents(st, r, "shared"), net = need_cents(st, r,
			"net_settlement");
		int64_t reduction = 0;
		vbr_sheet_cents(st, r, vbr_sheet_col(st, "payment_reduction"), &reduction);
		/* two panels: the sharing steps are small beside target and cost */
		struct vbr_step cost[] = {
			{"target", target, 1},
			{"actual cost", gross - target, 0},
			{"gross savings", gross, 1},
		};
		struct vbr_step sharing[] = {
			{"gross savings", gross, 1},
			{"not shared", before + reduction - gross, 0},
			{"payment reduction", -reduction, 0},
			{"cap / forgiven", shared - before, 0},
			{"fee", net - shared, 0},
			{"net settlement", net, 1},
		};
		char title[300];
		snprintf(title, sizeof title, "%s: target, actual cost and gross savings ($)",
			 vbr_sheet_cell(st, r, s->c_org));
		vbr_svg_waterfall(&s->doc, title, cost, 3);
		snprintf(title, sizeof title, "%s: from gross savings to net settlement ($)",
			 vbr_sheet_cell(st, r, s->c_org));
		vbr_svg_waterfall(&s->doc, title, sharing, 6);
	}
}

/* ---- simulation ---------------------------------------------------------- */

/* The net settlement of every draw of org ("*": the programme, the sum of
 * the orgs' draws of the same iteration); *n draws. */
static int64_t *draws_of(struct state *s, const char *org, size_t *n)
{
	const struct vbr_sheet *d = &s->draws;
	int co = vbr_sheet_need(d, "org_id"), ci = vbr_sheet_need(d, "iteration");
	int cn = vbr_sheet_need(d, "net_settlement");
	int all = !strcmp(org, "*");
	int64_t *v = NULL;
	size_t cap = 0;
	*n = 0;
	for (size_t r = 0; r < d->nrows; r++) {
		if ((!all && strcmp(vbr_sheet_cell(d, r, co), org)) || !base_row(d, r))
			continue;
		int64_t it, net;
		if (!vbr_sheet_count(d, r, ci, &it) || it < 1 || it > 100000000 ||
		    !vbr_sheet_cents(d, r, cn, &net))
			vbr_die(EX_DATAERR, "%s:%llu: a draw needs an iteration from 1 and a "
				"net_settlement", d->source[0], (unsigned long long)d->line[r]);
		size_t k = all ? (size_t)it - 1 : *n;
		v = vbr_grow_zeroed(v, &cap, k + 1, sizeof *v);
		if (__builtin_add_overflow(v[k], net, &v[k]))
			vbr_die(EX_DATAERR, "%s:%llu: the programme's net settlement of iteration "
				"%lld overflows", d->source[0], (unsigned long long)d->line[r],
				(long long)it);
		*n = k + 1 > *n ? k + 1 : *n;
	}
	return v;
}

static void simulation(struct state *s, const char *org)
{
	static const char *const head[] = {"iterations", "mean net", "5th pct", "25th pct",
		"median", "75th pct", "95th pct", "P(savings)", "P(loss)", "expected settlement"};
	static const char *const cols[] = {"iterations", "mean_net", "p5_net", "p25_net",
		"p50_net", "p75_net", "p95_net", "prob_savings", "prob_loss",
		"expected_settlement"};
	const struct vbr_sheet *m = &s->sim;
	long r = org_row(m, org, 0);
	if (r < 0)
		return;
	char b[10][40];
	const char *cells[10];
	for (int i = 0; i < 10; i++) {
		int c = vbr_sheet_need(m, cols[i]);
		cells[i] = i == 0 ? (vbr_sheet_count(m, (size_t)r, c, &(int64_t){0}),
				     vbr_sheet_cell(m, (size_t)r, c))
			 : i == 7 || i == 8 ? pct_cell(b[i], m, (size_t)r, c)
			 : money_cell(b[i], m, (size_t)r, c);
	}
	struct vbr_table t;
	vbr_table_init(&t, 10, head, "rrrrrrrrrr");
	vbr_table_row(&t, 0, cells);
	vbr_doc_heading(&s->doc, 3, strcmp(org, "*") ? "Simulated outcomes"
			: "Simulated programme outcomes");
	vbr_doc_para(&s->doc, "Net settlement over bootstrap resamples of the members (and "
		     "trend draws where the contract gives trend_sd), each settled under the "
		     "contract; P(savings) and P(loss) are the shares of draws with shared "
		     "savings or a shared loss.");
	vbr_doc_table(&s->doc, &t);
	vbr_table_free(&t);

	if (s->has_draws && s->doc.format == VBR_DOC_HTML) {
		size_t n;
		int64_t *v = draws_of(s, org, &n);
		char title[300];
		snprintf(title, sizeof title, "%s: net settlement over %zu draws ($)",
			 strcmp(org, "*") ? org : "programme", n);
		vbr_svg_histogram(&s->doc, title, v, n, 24);
		free(v);
	}
}

/* ---- the large-claim cap ----------------------------------------------------- */

/* The threshold of a period as the cost rows show it: the capped members'
 * cost; a range when the thresholds differ by enrollment type. */
static const char *threshold_text(char *buf, size_t len, const struct vbr_capstats *c, int k)
{
	char a[40], b[40];
	if (c->threshold_lo[k] < 0)
		return strcpy(buf, "none reached");
	if (c->threshold_lo[k] == c->threshold_hi[k])
		return fmt_money(buf, c->threshold_lo[k]);
	snprintf(buf, len, "%s to %s", fmt_money(a, c->threshold_lo[k]),
		 fmt_money(b, c->threshold_hi[k]));
	return buf;
}

/* What the cap did to one org in each period, and its largest claimants
 * of the measurement period (html: collapsed; text, markdown: the first
 * --top of them). */
static void cap_section(struct state *s, const char *org)
{
	const struct vbr_capstats_org *o = vbr_capstats_org(&s->caps, org);
	if (!o)
		return;
	int basis = VBR_BASIS_PAID;
	vbr_term_choice(&s->opt->cli.terms, NULL, "cost_basis", &basis);
	const char *head[] = {"period", "members", basis == VBR_BASIS_PAID ? "paid cost" :
		"allowed cost", "IBNR", "completed cost", "threshold", "members capped",
		"excess removed", "capped cost"};
	struct vbr_table t;
	vbr_table_init(&t, 9, head, "lrrrrrrrr");
	for (int k = 0; k < VBR_NPERIODS; k++) {
		char b[6][100], n[2][24];
		int64_t so_far = basis == VBR_BASIS_PAID ? o->paid[k] : o->allowed[k];
		snprintf(n[0], sizeof n[0], "%lld", (long long)o->members[k]);
		snprintf(n[1], sizeof n[1], "%lld", (long long)o->capped[k]);
		const char *cells[] = {vbr_period_name[k], n[0], fmt_money(b[4], so_far),
			fmt_money(b[5], o->raw[k] - so_far), fmt_money(b[0], o->raw[k]),
			threshold_text(b[1], sizeof b[1], &s->caps, k), n[1], fmt_money(b[2], o->excess[k]),
			fmt_money(b[3], o->cost[k])};
		vbr_table_row(&t, 0, cells);
	}
	vbr_doc_heading(&s->doc, 3, "Completion and the large-claim cap");
	vbr_doc_para(&s->doc, "The cost basis paid to date, completed to an estimate of incurred "
		     "cost (IBNR: incurred but not yet paid, by the completion terms or complete's "
		     "chain ladder); then each member's completed cost in a period above the "
		     "threshold is removed (cap-large-claims). The capped cost is the actual the "
		     "target is compared with (V in the settlement).");
	vbr_doc_table(&s->doc, &t);
	vbr_table_free(&t);
	if (!o->ntop)
		return;
	char summary[120];
	snprintf(summary, sizeof summary, "Largest claimants, measurement period (top %zu)",
		 o->ntop);
	static const char *const chead[] = {"member", "raw cost", "capped cost", "excess removed"};
	vbr_table_init(&t, 4, chead, "lrrr");
	for (size_t i = 0; i < o->ntop; i++) {
		char b[3][40];
		const char *cells[] = {o->top[i].member, fmt_money(b[0], o->top[i].raw),
			fmt_money(b[1], o->top[i].cost), fmt_money(b[2], o->top[i].raw - o->top[i].cost)};
		vbr_table_row(&t, 0, cells);
	}
	vbr_doc_details_begin(&s->doc, summary);
	vbr_doc_table(&s->doc, &t);
	vbr_doc_details_end(&s->doc);
	vbr_table_free(&t);
}

/* ---- contract variants and sensitivity ------------------------------------- */

/* The programme under each contract of the simulation (simulate(1)
 * --variant): expected settlement and its difference from the base, the
 * spread, and the downside (5% value at risk, expected shortfall); in
 * html, the distributions side by side. Nothing when only the base was
 * simulated. */
static void contract_variants(struct state *s)
{
	const struct vbr_sheet *m = &s->sim;
	int cv = vbr_sheet_col(m, "variant"), co = vbr_sheet_need(m, "org_id");
	if (cv < 0)
		return;
	static const char *const qcol[] = {"p5_net", "p25_net", "p50_net", "p75_net", "p95_net"};
	static const char *const head[] = {"variant", "expected settlement", "vs base",
		"5th pct", "median", "95th pct", "5% value at risk", "5% expected shortfall"};
	int cexp = vbr_sheet_need(m, "expected_settlement");
	int cvar = vbr_sheet_need(m, "value_at_risk_5"), ces = vbr_sheet_need(m, "expected_shortfall_5");
	long base = org_row(m, "*", 0);
	int64_t base_exp = 0;
	if (base < 0 || !vbr_sheet_cents(m, (size_t)base, cexp, &base_exp))
		return;
	size_t n = 0;
	const char **label = vbr_xcalloc(m->nrows + 1, sizeof *label);
	int64_t (*q)[5] = vbr_xcalloc(m->nrows + 1, sizeof *q);
	struct vbr_table t;
	vbr_table_init(&t, 8, head, "lrrrrrrr");
	for (size_t r = 0; r < m->nrows; r++) {
		if (strcmp(vbr_sheet_cell(m, r, co), "*"))
			continue;
		char b[8][40];
		int64_t e = 0;
		vbr_sheet_cents(m, r, cexp, &e);
		for (int k = 0; k < 5; k++)
			vbr_sheet_cents(m, r, vbr_sheet_need(m, qcol[k]), &q[n][k]);
		const char *cells[] = {vbr_sheet_cell(m, r, cv), fmt_money(b[0], e),
			fmt_money(b[1], e - base_exp), fmt_money(b[2], q[n][0]),
			fmt_money(b[3], q[n][2]), fmt_money(b[4], q[n][4]),
			money_cell(b[5], m, r, cvar), money_cell(b[6], m, r, ces)};
		vbr_table_row(&t, 0, cells);
		label[n++] = vbr_sheet_cell(m, r, cv);
	}
	if (n > 1) {
		vbr_doc_heading(&s->doc, 3, "Contract variants");
		vbr_doc_para(&s->doc, "The programme's net settlement under each contract, "
			     "settled on the same draws (paired: the same resampled members and "
			     "trend draws), so the differences are the contracts', not simulation "
			     "noise. 5% value at risk: the loss at the 5th percentile (minus the 5th "
			     "percentile of net settlement); 5% expected shortfall: the mean loss of "
			     "the worst 5% of draws. Negative values are gains.");
		vbr_doc_table(&s->doc, &t);
		if (s->doc.format == VBR_DOC_HTML)
			vbr_svg_boxes(&s->doc, "programme net settlement by contract: 5th-95th "
				      "percentile, 25th-75th and median ($)", label,
				      (const int64_t (*)[5])q, (int)n);
	}
	vbr_table_free(&t);
	free(label);
	free(q);
}

/* The change in the programme's expected settlement when each contract
 * term moves down and up by its step (simulate(1) --sensitivity), largest
 * first; in html, as a tornado. */
static void sensitivity(struct state *s)
{
	const struct vbr_sheet *m = &s->sens;
	static const char *const head[] = {"term", "step", "expected, down", "expected, up",
		"change, down", "change, up"};
	int ct = vbr_sheet_need(m, "term"), cs = vbr_sheet_need(m, "step");
	int cl = vbr_sheet_need(m, "expected_low"), ch = vbr_sheet_need(m, "expected_high");
	int cdl = vbr_sheet_need(m, "change_low"), cdh = vbr_sheet_need(m, "change_high");
	struct vbr_table t;
	vbr_table_init(&t, 6, head, "lrrrrr");
	const char **label = vbr_xcalloc(m->nrows + 1, sizeof *label);
	int64_t *low = vbr_xcalloc(m->nrows + 1, sizeof *low), *high = vbr_xcalloc(m->nrows + 1,
										    sizeof *high);
	for (size_t r = 0; r < m->nrows; r++) {
		char b[4][40];
		if (!vbr_sheet_cents(m, r, cdl, &low[r]) || !vbr_sheet_cents(m, r, cdh, &high[r]))
			vbr_die(EX_DATAERR, "%s:%llu: a sensitivity row needs change_low and "
				"change_high", m->source[0], (unsigned long long)m->line[r]);
		const char *cells[] = {vbr_sheet_cell(m, r, ct), vbr_sheet_cell(m, r, cs),
			money_cell(b[0], m, r, cl), money_cell(b[1], m, r, ch),
			fmt_money(b[2], low[r]), fmt_money(b[3], high[r])};
		vbr_table_row(&t, 0, cells);
		label[r] = vbr_sheet_cell(m, r, ct);
	}
	vbr_doc_heading(&s->doc, 3, "Sensitivity of the expected settlement");
	vbr_doc_para(&s->doc, "Each contract term the terms set, moved down and up by its step "
		     "(simulate(1), SENSITIVITY), and the programme's expected net settlement "
		     "on the same draws; the terms that move it most first. A term that "
		     "cannot bind changes nothing.");
	vbr_doc_table(&s->doc, &t);
	if (s->doc.format == VBR_DOC_HTML)
		vbr_svg_tornado(&s->doc, "change in the expected settlement, term down (red) "
				"and up (green) ($)", label, low, high, (int)m->nrows);
	vbr_table_free(&t);
	free(label);
	free(low);
	free(high);
}

/* ---- scenarios ------------------------------------------------------------- */

/* The scenario step: scenario_step, widened when N steps of it would not
 * reach the org's settled actual to the nearest multiple of 0.5% that
 * does, so the grid covers what happened. Millionths. */
static int64_t scenario_step(const struct state *s, const char *org, int64_t N,
			     int64_t target_total, int64_t actual_total)
{
	int64_t step, need = vbr_div_round((__int128)llabs(actual_total - target_total) *
					   VBR_MILLION, target_total);
	vbr_term_rate(&s->opt->cli.terms, org, "scenario_step", &step);
	if (step * N < need)
		step = (need / N + 4999) / 5000 * 5000;
	if (step * N >= VBR_MILLION)
		step = (VBR_MILLION - 1) / N / 5000 * 5000;
	if (step <= 0)
		vbr_die(EX_USAGE, "org '%s': %lld scenarios leave no step above 0 that keeps "
			"the actual cost above zero", org, (long long)N);
	return step;
}

/* The deterministic scenarios of one org: actual PMPM = target PMPM ×
 * (1 + k × step) for k = −N … N, rounded to the cent, each settled under
 * the org's contract on the settlement's own members and member months
 * (so a scenario's shared total is what settle would give, within the caps
 * the statement shows). Given draws, scenario k's probability is the share
 * of the org's draws whose actual/target lies nearest to 1 + k × step (the
 * end scenarios take the tails). */
static void scenarios(struct state *s, size_t r)
{
	const struct vbr_sheet *st = &s->set;
	const char *org = vbr_sheet_cell(st, r, s->c_org);
	int64_t N = s->opt->scenarios;
	int64_t members = need_value(st, r, "members", vbr_sheet_count);
	int64_t mm = need_value(st, r, "member_months", vbr_sheet_count);
	if (mm <= 0)
		vbr_die(EX_DATAERR, "org '%s': no member months: no scenarios", org);
	struct vbr_contract c;
	vbr_contract_load(&c, &s->opt->cli.terms, org);
	struct vbr_settle_in in = {.members = members, .member_months = mm, .met = -1,
				   .target_total = need_cents(st, r, "target_total")};
	int64_t actual_total = need_cents(st, r, "actual_total");
	if (in.target_total <= 0)
		vbr_die(EX_DATAERR, "org '%s': a target total of %lld cents: no scenarios", org,
			(long long)in.target_total);
	int64_t target_pmpm = vbr_div_round(in.target_total, mm);
	int cq = vbr_sheet_need(st, "quality_score"), cm = vbr_sheet_col(st, "met_quality_standard");
	in.has_quality = vbr_sheet_rate(st, r, cq, &in.quality);
	if (cm >= 0 && *vbr_sheet_cell(st, r, cm))
		vbr_parse_flag(vbr_sheet_cell(st, r, cm), 1, &in.met);

	/* the org's draws: actual/target − 1 of each, in millionths */
	int64_t *dev = NULL, ndraws = 0;
	size_t dcap = 0;
	if (s->has_draws) {
		const struct vbr_sheet *d = &s->draws;
		int co = vbr_sheet_need(d, "org_id"), ct = vbr_sheet_need(d, "target_total");
		int ca = vbr_sheet_need(d, "actual_total");
		for (size_t i = 0; i < d->nrows; i++) {
			int64_t tt, at;
			if (strcmp(vbr_sheet_cell(d, i, co), org) || !base_row(d, i))
				continue;
			if (!vbr_sheet_cents(d, i, ct, &tt) || tt <= 0 || !vbr_sheet_cents(d, i, ca, &at))
				vbr_die(EX_DATAERR, "%s:%llu: a draw needs a positive target_total "
					"and an actual_total", d->source[0],
					(unsigned long long)d->line[i]);
			dev = vbr_grow(dev, &dcap, (size_t)ndraws + 1, sizeof *dev);
			dev[ndraws++] = vbr_div_round(((__int128)at - tt) * VBR_MILLION, tt);
		}
	}
	int64_t step = scenario_step(s, org, N, in.target_total, actual_total);
	int64_t *count = vbr_xcalloc((size_t)(2 * N + 1), sizeof *count);
	for (int64_t i = 0; i < ndraws; i++) {
		int64_t k = vbr_div_round(dev[i], step);
		k = k < -N ? -N : k > N ? N : k;
		count[k + N]++;
	}
	static const char *const head[] = {"scenario", "actual vs target", "actual PMPM",
		"gross savings PMPM", "shared PMPM", "shared", "probability"};
	struct vbr_table t;
	vbr_table_init(&t, ndraws ? 7 : 6, head, ndraws ? "rrrrrrr" : "rrrrrr");
	__int128 ev = 0;
	for (int64_t k = -N; k <= N; k++) {
		int64_t actual = vbr_div_round((__int128)target_pmpm * (VBR_MILLION + k * step),
					       VBR_MILLION);
		struct vbr_settlement res;
		const char *over = __builtin_mul_overflow(actual, mm, &in.actual_total)
			? "actual total" : vbr_settle_org(&c, &in, &res);
		if (over)
			vbr_die(EX_DATAERR, "org '%s', scenario %+lld: the %s overflows", org,
				(long long)k, over);
		int64_t shared_pmpm = vbr_div_round(res.shared, mm);
		ev += (__int128)count[k + N] * res.shared;
		char b[6][40], key[24];
		snprintf(key, sizeof key, "%+lld", (long long)k);
		if (k == 0)
			strcpy(key, "0");
		fmt_pct(b[0], k * step);
		if (k > 0)
			memmove(b[0] + 1, b[0], strlen(b[0]) + 1), b[0][0] = '+';
		if (ndraws)
			vbr_format_fixed(b[5], vbr_div_round((__int128)count[k + N] * 10000, ndraws), 4, 4);
		const char *cells[] = {key, b[0], fmt_money(b[1], actual),
			fmt_money(b[2], target_pmpm - actual), fmt_money(b[3], shared_pmpm),
			fmt_money(b[4], res.shared), b[5]};
		vbr_table_row(&t, k == 0, cells);
	}
	char p[400], b1[40], b2[40], b3[40];
	vbr_doc_heading(&s->doc, 3, "Scenarios");
	snprintf(p, sizeof p, "Actual PMPM moved in steps of %s around the target PMPM %s (the "
		 "settled actual is %s of target), each settled under the contract for the "
		 "settlement's %lld members and %lld member months; shared is the total, within "
		 "the caps.", fmt_pct(b1, step), fmt_money(b2, target_pmpm),
		 fmt_pct(b3, vbr_div_round((__int128)actual_total * VBR_MILLION, in.target_total)),
		 (long long)members, (long long)mm);
	vbr_doc_para(&s->doc, p);
	if (ndraws) {
		const char *cells[] = {"expected", "", "", "", "", fmt_money(b1, vbr_div_round(ev,
			ndraws)), "1.0000"};
		vbr_table_row(&t, 1, cells);
		snprintf(p, sizeof p, "Probabilities from %lld simulated draws: the share of draws "
			 "whose actual cost is nearest to each scenario (the end rows take the "
			 "tails); expected = the probability-weighted total.", (long long)ndraws);
		vbr_doc_para(&s->doc, p);
	}
	vbr_doc_table(&s->doc, &t);
	vbr_table_free(&t);
	free(count);
	free(dev);
}

/* ---- the statement --------------------------------------------------------- */

/* Count the side-file rows whose org has no settlement: they are left out
 * of the statement, and -v says so. */
static void count_unmatched(struct state *s, const struct vbr_sheet *side, const char *reason)
{
	int c = vbr_sheet_need(side, "org_id"), slot = -1;
	for (size_t r = 0; r < side->nrows; r++) {
		const char *org = vbr_sheet_cell(side, r, c);
		if (!strcmp(org, "*") || org_row(&s->set, org, 0) >= 0)
			continue;
		if (slot < 0)
			slot = vbr_account_reason(&s->acc, reason);
		s->acc.left[slot].n++;
	}
}

static void load_side(struct vbr_sheet *sh, int *has, const char *path)
{
	if (!path)
		return;
	const char *ops[] = {path};
	vbr_sheet_load(sh, ops, 1);
	vbr_sheet_need(sh, "org_id");
	*has = 1;
}

/* Each org once in the settlement rows: two files (or two runs pasted
 * together) naming one org would otherwise be merged without a word. */
static void refuse_repeated_orgs(const struct vbr_sheet *st, int c)
{
	struct vbr_intern seen;
	vbr_intern_init(&seen);
	uint32_t *row_of = NULL;
	size_t cap = 0;
	for (size_t r = 0; r < st->nrows; r++) {
		const char *org = vbr_sheet_cell(st, r, c);
		uint32_t before = seen.count, id = vbr_intern(&seen, org, strlen(org));
		if (id < before) {
			size_t f = row_of[id];
			vbr_die(EX_DATAERR, "%s:%llu: org '%s' is settled twice (also %s:%llu): "
				"give each org's settlement once", st->source[st->src[r]],
				(unsigned long long)st->line[r], org, st->source[st->src[f]],
				(unsigned long long)st->line[f]);
		}
		row_of = vbr_grow(row_of, &cap, (size_t)id + 1, sizeof *row_of);
		row_of[id] = (uint32_t)r;
	}
	free(row_of);
	vbr_intern_free(&seen);
}

/* ---- the header: the contract and the run --------------------------------- */

/* A term of the contract as the statement shows it: a rate as a
 * percentage, a choice or a date as written, `none` when it has no value. */
static const char *term_text(char *buf, size_t len, const struct vbr_terms *t, const char *name,
			     const char *none)
{
	const char *v = vbr_term(t, NULL, name);
	int64_t x;
	if (!v)
		return none;
	const struct vbr_term_def *d = vbr_term_lookup(name);
	if (d && (d->type == VBR_TERM_RATE || d->type == VBR_TERM_RATE_OR_CHOICE) &&
	    vbr_parse_rate(v, strlen(v), &x) == VBR_OK)
		return fmt_pct(buf, x);
	if (d && d->type == VBR_TERM_AMOUNT && vbr_parse_amount(v, strlen(v), &x) == VBR_OK)
		return fmt_money(buf, x);
	snprintf(buf, len, "%s", v);
	return buf;
}

/* The inputs' SHA-256 as rows: "name  hash" from sha256sum lines (what
 * reconcile.mk's inputs.sha256 holds); anything else is 65 with its line. */
static void input_rows(struct vbr_table *tb, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		vbr_die_errno(EX_NOINPUT, "%s", path);
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		n++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len < 67 || len > 300 || strspn(line, "0123456789abcdef") != 64 ||
		    line[64] != ' ' || line[65] != ' ')
			vbr_die(EX_DATAERR, "%s:%zu: not a sha256sum line (64 hex digits, two "
				"spaces, a name)", path, n);
		char cell[400];
		snprintf(cell, sizeof cell, "%s  %.64s", line + 66, line);
		const char *cells[] = {n == 1 ? "inputs (SHA-256)" : "", cell};
		vbr_table_row(tb, 0, cells);
	}
	if (ferror(f))
		vbr_die_errno(EX_IOERR, "%s", path);
	free(line);
	fclose(f);
}

/* The periods, the paid-through date, the terms that drive the numbers
 * (the programme's; an org's own terms show in its settlement steps), when
 * the run started and the inputs' SHA-256, so a signed statement says
 * what it was made from. Only what the options give. */
static void header(struct state *s)
{
	const struct options *o = s->opt;
	const struct vbr_terms *t = &o->cli.terms;
	int has_terms = o->cli.terms_file || o->cli.org_terms_file || o->cli.sets.n;
	if (!has_terms && !o->inputs && !o->run_date)
		return;
	static const char *const head[] = {"item", "value"};
	struct vbr_table tb;
	vbr_table_init(&tb, 2, head, "ll");
	char b[4][80], period[2][100];
	if (has_terms) {
		for (int k = 0; k < 2; k++) {
			const char *a = vbr_term(t, NULL, k ? "measure_start" : "base_start");
			const char *z = vbr_term(t, NULL, k ? "measure_end" : "base_end");
			snprintf(period[k], sizeof period[k], "%s to %s", a ? a : "?", z ? z : "?");
			/* cohort-select measures a period that ends after
			 * paid_through to paid_through's month */
			int32_t end, paid;
			if (vbr_term_date(t, NULL, k ? "measure_end" : "base_end", &end) &&
			    vbr_term_date(t, NULL, "paid_through", &paid) &&
			    vbr_month_of_day(paid) < vbr_month_of_day(end)) {
				size_t n = strlen(period[k]);
				snprintf(period[k] + n, sizeof period[k] - n, ", measured to date: "
					 "through %.7s", vbr_term(t, NULL, "paid_through"));
			}
		}
		const char *cap = vbr_term(t, NULL, "large_claim_threshold") ?
			term_text(b[0], sizeof b[0], t, "large_claim_threshold", "") : NULL;
		char capb[120];
		if (cap)
			snprintf(capb, sizeof capb, "%s a member and period", cap);
		else if (vbr_term(t, NULL, "large_claim_percentile"))
			snprintf(capb, sizeof capb, "at percentile %s of member costs",
				 term_text(b[0], sizeof b[0], t, "large_claim_percentile", ""));
		else
			snprintf(capb, sizeof capb, "none");
		const char *rows[][2] = {
			{"base period", period[0]},
			{"measurement period", period[1]},
			{"paid through", vbr_term(t, NULL, "paid_through") ? vbr_term(t, NULL, "paid_through")
			 : "every claim in the extract"},
			{"risk", vbr_term(t, NULL, "risk")},
			{"cost basis", vbr_term(t, NULL, "cost_basis")},
			{"large-claim cap", capb},
		};
		for (size_t i = 0; i < LEN(rows); i++)
			vbr_table_row(&tb, 0, rows[i]);
		static const struct { const char *label, *term, *none; } terms[] = {
			{"sharing rate", "sharing_rate", "none"}, {"loss rate", "loss_rate", "quality_linked"},
			{"minimum savings rate", "msr", "none"}, {"minimum loss rate", "mlr", "the msr"},
			{"savings cap", "savings_cap", "none"}, {"loss cap", "loss_cap", "none"},
			{"quality mode", "quality_mode", "none"},
			{"payment reduction", "payment_reduction", "none"},
			{"care management fee PMPM", "care_mgmt_fee_pmpm", "none"},
		};
		for (size_t i = 0; i < LEN(terms); i++) {
			const char *cells[] = {terms[i].label, term_text(b[1], sizeof b[1], t,
				terms[i].term, terms[i].none)};
			vbr_table_row(&tb, 0, cells);
		}
	}
	if (o->run_date) {
		const char *cells[] = {"run started", o->run_date};
		vbr_table_row(&tb, 0, cells);
	}
	if (o->inputs)
		input_rows(&tb, o->inputs);
	vbr_doc_heading(&s->doc, 2, "Contract and run");
	vbr_doc_table(&s->doc, &tb);
	vbr_table_free(&tb);
}

/* html: a contents list of the programme summary and each org, so a
 * statement of many orgs can be found in (the ids are the rows', not the
 * org ids, which may hold any character). */
static void contents(struct state *s)
{
	const struct vbr_sheet *st = &s->set;
	const char **text = vbr_xcalloc(st->nrows + 1, sizeof *text);
	const char **id = vbr_xcalloc(st->nrows + 1, sizeof *id);
	char (*buf)[2][300] = vbr_xcalloc(st->nrows + 1, sizeof *buf);
	size_t n = 0;
	text[n] = "Programme summary", id[n++] = "programme";
	for (size_t r = 0; r < st->nrows; r++) {
		const char *org = vbr_sheet_cell(st, r, s->c_org);
		if (!strcmp(org, "*"))
			continue;
		snprintf(buf[n][0], sizeof buf[n][0], "Organisation %s", org);
		snprintf(buf[n][1], sizeof buf[n][1], "org-%zu", r);
		text[n] = buf[n][0], id[n] = buf[n][1], n++;
	}
	vbr_doc_contents(&s->doc, text, id, n);
	free(text);
	free(id);
	free(buf);
}

static int process(struct options *o)
{
	struct state *s = vbr_xcalloc(1, sizeof *s);
	struct vbr_writer w;
	s->opt = o;
	if (o->scenarios)
		vbr_contract_check_all(&o->cli.terms);
	vbr_sheet_load(&s->set, o->cli.operands, o->cli.noperands);
	s->c_org = vbr_sheet_need(&s->set, "org_id");
	s->c_members = vbr_sheet_need(&s->set, "members");
	s->c_months = vbr_sheet_need(&s->set, "member_months");
	refuse_repeated_orgs(&s->set, s->c_org);
	load_side(&s->target, &s->has_target, o->target);
	load_side(&s->mix, &s->has_mix, o->mix);
	load_side(&s->sim, &s->has_sim, o->simulation);
	load_side(&s->draws, &s->has_draws, o->draws);
	if (o->costs)
		vbr_capstats_load(&s->caps, o->costs, (size_t)o->top);
	vbr_account_init(&s->acc, NULL, 0);
	s->acc.read = s->set.nrows;
	s->acc.written_label = "rendered";

	vbr_writer_fd(&w, 1, "(stdout)");
	vbr_doc_begin(&s->doc, o->format, &w, o->title);
	header(s);
	if (o->format == VBR_DOC_HTML)
		contents(s);
	programme_summary(s);
	if (s->has_sim && org_row(&s->sim, "*", 0) >= 0)
		simulation(s, "*");
	if (s->has_sim)
		contract_variants(s);
	if (o->sensitivity) {
		const char *ops[] = {o->sensitivity};
		vbr_sheet_load(&s->sens, ops, 1);
		s->has_sens = 1;
		sensitivity(s);
	}
	uint64_t orgs = 0;
	for (size_t r = 0; r < s->set.nrows; r++) {
		const char *org = vbr_sheet_cell(&s->set, r, s->c_org);
		if (!strcmp(org, "*"))
			continue;
		char h[300];
		char id[32];
		snprintf(h, sizeof h, "Organisation %s", org);
		snprintf(id, sizeof id, "org-%zu", r);
		vbr_doc_anchor_heading(&s->doc, 2, h, id);
		if (s->has_target)
			target_development(s, org);
		if (s->has_mix)
			mix_table(s, org);
		if (o->costs)
			cap_section(s, org);
		settlement_steps(s, r);
		if (s->has_sim)
			simulation(s, org);
		if (o->scenarios)
			scenarios(s, r);
		orgs++;
	}
	char foot[200];
	snprintf(foot, sizeof foot, "Produced by vbr %s report from the settlement of %llu "
		 "organisation%s.", VBR_VERSION, (unsigned long long)orgs, orgs == 1 ? "" : "s");
	vbr_doc_para(&s->doc, foot);
	vbr_doc_end(&s->doc);
	vbr_writer_close(&w);

	s->acc.written = s->set.nrows;
	if (s->has_target)
		count_unmatched(s, &s->target, "target rows of orgs not settled");
	if (s->has_mix)
		count_unmatched(s, &s->mix, "mix rows of orgs not settled");
	if (s->has_sim)
		count_unmatched(s, &s->sim, "simulation rows of orgs not settled");
	if (s->has_draws)
		count_unmatched(s, &s->draws, "draws of orgs not settled");
	int status = vbr_account_finish(&s->acc, o->cli.verbose);
	vbr_sheet_free(&s->set);
	vbr_sheet_free(&s->target);
	vbr_sheet_free(&s->mix);
	vbr_sheet_free(&s->sim);
	vbr_sheet_free(&s->draws);
	if (s->has_sens)
		vbr_sheet_free(&s->sens);
	if (o->costs)
		vbr_capstats_free(&s->caps);
	free(s);
	return status;
}

VBR_MAIN(command, struct options, process)
