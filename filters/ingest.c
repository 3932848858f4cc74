/*
 * ingest — turn payer and CMS extracts (CSV or TSV; plain, gzip, zip, tar)
 * into the canonical claims, eligibility and roster streams (ingest(1)).
 * A layout is a built-in profile (profiles.c) or a mapping file (mapping.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "cli.h"
#include "delim.h"
#include "error.h"
#include "final.h"
#include "intern.h"
#include "mapping.h"
#include "money.h"
#include "profiles.h"
#include "value.h"
#include "writer.h"


struct options {
	struct vbr_cli cli;
	const char *profile_name, *map_file, *layout_file, *headers_file;
	const struct vbr_profile *profile;
	int kind;                        /* enum vbr_kind */
	int format;                      /* enum vbr_delim_format */
	int64_t year;                    /* 0: from each file's name */
	const char *month;               /* a snapshot profile's month, YYYY-MM */
};

static void list_profiles(void);

static const struct vbr_option options[] = {
	VBR_OPT(struct options, profile_name, "profile", 0, VBR_ARG_TEXT, "NAME",
		"a built-in layout (--list-profiles)"),
	VBR_OPT(struct options, map_file, "map", 0, VBR_ARG_TEXT, "FILE",
		"a mapping file: column, source, convert, if_empty"),
	VBR_OPT(struct options, kind, "kind", 0, VBR_ARG_CHOICE, "KIND",
		"with --map, the kind of record written (default: claims)",
		.choices = vbr_kinds),
	VBR_OPT(struct options, format, "format", 0, VBR_ARG_CHOICE, "FORMAT",
		"the input's format (default: a TAB in the first line means tsv)",
		.choices = vbr_delim_formats),
	VBR_OPT(struct options, layout_file, "layout", 0, VBR_ARG_TEXT, "FILE",
		"with --map, fixed-width input cut by this layout: columns name, start, "
		"length (bytes from 1)"),
	VBR_OPT(struct options, month, "month", 0, VBR_ARG_TEXT, "YYYY-MM",
		"the month a CCLF8 snapshot is of: each beneficiary in it is one member "
		"month"),
	VBR_OPT(struct options, headers_file, "headers", 0, VBR_ARG_TEXT, "FILE",
		"with --profile cclf2, the CCLF1 Part A header file its lines belong to"),
	VBR_OPT(struct options, year, "year", 0, VBR_ARG_COUNT, "YYYY",
		"the year of a DE-SynPUF beneficiary file (default: from its name)",
		.lo = 1900, .hi = 2999),
	{.name = "list-profiles", .arg = VBR_ARG_ACTION,
	 .help = "list the built-in layouts and exit", .action = list_profiles},
	{.name = NULL},
};

/* --profile or --map, exactly one; the profile by name, with the nearest
 * name when it is misspelt; --kind only with --map. */
static void check_layout(void *opts)
{
	struct options *o = opts;
	if (!o->profile_name == !o->map_file)
		vbr_cli_usage_error(&o->cli, "give exactly one of --profile and --map");
	if (o->profile_name && !(o->profile = vbr_profile_find(o->profile_name))) {
		const char *near = vbr_profile_suggest(o->profile_name);
		vbr_cli_usage_error(&o->cli, "--profile: unknown profile '%s'%s%s%s "
				    "(ingest --list-profiles)", o->profile_name,
				    near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	}
	if (o->profile && vbr_cli_given("kind"))
		vbr_cli_usage_error(&o->cli, "--kind goes with --map; a profile has its own");
	int snapshot = o->profile && o->profile->special == VBR_SPECIAL_SNAPSHOT;
	int32_t mo;
	if (snapshot && !o->month)
		vbr_cli_usage_error(&o->cli, "--month YYYY-MM: profile '%s' is one month's "
				    "snapshot", o->profile->name);
	if (o->month && !snapshot)
		vbr_cli_usage_error(&o->cli, "--month goes with a snapshot profile (cclf8)");
	if (o->month && (strlen(o->month) != 7 ||
			 vbr_parse_month(o->month, strlen(o->month), &mo) != VBR_OK))
		vbr_cli_usage_error(&o->cli, "--month: '%s' is not a month (YYYY-MM)", o->month);
	int lines = o->profile && o->profile->special == VBR_SPECIAL_REVENUE_LINES;
	if (lines && !o->headers_file)
		vbr_cli_usage_error(&o->cli, "--headers FILE: profile '%s' joins each line to "
				    "its claim's header (CCLF1)", o->profile->name);
	if (o->headers_file && !lines)
		vbr_cli_usage_error(&o->cli, "--headers goes with a line profile (cclf2)");
	if (o->layout_file && !o->map_file)
		vbr_cli_usage_error(&o->cli, "--layout goes with --map");
	if (o->profile && o->profile->layout && vbr_cli_given("format"))
		vbr_cli_usage_error(&o->cli, "--format: profile '%s' is fixed-width",
				    o->profile->name);
	if (o->layout_file && vbr_cli_given("format"))
		vbr_cli_usage_error(&o->cli, "--layout is the format: give --layout or --format");
	if (o->profile)
		o->kind = (int)o->profile->kind;
}

static const struct vbr_command command = {
	.name = "ingest",
	.synopsis =
	"ingest --profile NAME | --map FILE [--kind KIND] [--format csv|tsv |\n"
	"              --layout FILE] [--year YYYY] [--month YYYY-MM] [--headers FILE]\n"
	"              [--rejects FILE] [--max-rejects N] [-v] [file ...]\n"
	"       ingest --list-profiles\n",
	.about = "Turn payer and CMS extracts (CSV, TSV or fixed-width; plain, gzip, zip, tar) into "
		"the canonical claims, eligibility and roster streams.",
	.operands = "file ...",
	.operands_help = "the extract's files, or archive#member; none or -: standard input",
	.options = options,
	.groups = VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
	.check = check_layout,
};

/* A copy of one source record: a DE-SynPUF dateless segment held until
 * its claim's dated row comes. */
struct saved_record {
	char *buf;
	size_t cap;
	struct vbr_field *field;
	int n;
	uint64_t line;
	char *source;
	int held;
};

struct ingest {
	struct options *opt;
	struct vbr_delim in;
	struct vbr_mapping map;
	struct vbr_writer out;
	struct vbr_account acct;
	char why[512];
	int col_month;                   /* output column of month (span expansion) */
	int col_start, col_end;          /* span columns, or -1 */
	int slot_empty_items, slot_no_items, slot_no_months;
	char *row;                       /* row_text's line */
	size_t row_cap;
	struct vbr_final final;          /* CCLF claim versions (final.h) */
	struct vbr_delim headers;        /* a line profile's header file */
	struct vbr_mapping lines;        /* and its line rules */
};

static void list_profiles(void)
{
	for (const struct vbr_profile *p = vbr_profiles; p->name; p++)
		printf("%-22s %-12s %s\n", p->name, vbr_kind_name(p->kind), p->summary);
	exit(0);
}

/* Reject record f of input d (the extract, or a line profile's headers). */
static void reject_in(struct ingest *g, const struct vbr_delim *d, const struct vbr_field *f,
		      const char *source, uint64_t line, const char *why)
{
	vbr_reject_fields(&g->acct, (const char *const *)d->header, f, d->ncols, source,
			  line, why);
}

static void reject(struct ingest *g, const struct vbr_field *f, const char *source,
		   uint64_t line, const char *why)
{
	reject_in(g, &g->in, f, source, line, why);
}

/* ---- output ---------------------------------------------------------- */

static void write_header(struct ingest *g, const char *const *cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			vbr_putc(&g->out, '\t');
		vbr_puts(&g->out, cols[i]);
	}
	vbr_putc(&g->out, '\n');
	vbr_flush(&g->out);
}

/* Header of a mapped stream: start_date/end_date become month. */
static void mapped_header(struct ingest *g)
{
	const char *cols[256];
	int n = 0;
	for (int i = 0; i < g->map.nrules && n < 256; i++) {
		if (i == g->col_end)
			continue;
		cols[n++] = i == g->col_start ? "month" : vbr_mapping_column_name(&g->map, i);
	}
	write_header(g, cols, n);
}

/* Write the evaluated values as one line; month_text replaces the span. */
/* The evaluated claim line as one output line, without its LF, in g->row:
 * what put_values writes, kept for the final-action netting (claims have
 * no span columns). */
static size_t row_text(struct ingest *g)
{
	size_t n = 0;
	for (int i = 0; i < g->map.nrules; i++) {
		size_t len = g->map.len[i];
		g->row = vbr_grow(g->row, &g->row_cap, n + len + 1, 1);
		if (i)
			g->row[n++] = '\t';
		memcpy(g->row + n, g->map.val + g->map.off[i], len);
		n += len;
	}
	return n;
}

/* Write the evaluated record straight to the output: the hot path of
 * every mapped layout, so it does not go through row_text's copy. */
static void put_values(struct ingest *g, const char *month_text)
{
	int first = 1;
	for (int i = 0; i < g->map.nrules; i++) {
		if (i == g->col_end)
			continue;
		if (!first)
			vbr_putc(&g->out, '\t');
		first = 0;
		if (i == g->col_start)
			vbr_puts(&g->out, month_text);
		else
			vbr_put(&g->out, g->map.val + g->map.off[i], g->map.len[i]);
	}
	vbr_putc(&g->out, '\n');
	g->acct.written++;
}

/* Write the evaluated record: once, or once per month of an eligibility
 * span (start_date..end_date, both months included). */
static int emit(struct ingest *g, const struct vbr_field *f, const char *source,
		uint64_t line)
{
	if (g->col_start < 0) {
		put_values(g, NULL);
		return 1;
	}
	int32_t a, b;
	vbr_parse_date(g->map.val + g->map.off[g->col_start], 10, &a);
	vbr_parse_date(g->map.val + g->map.off[g->col_end], 10, &b);
	if (b < a) {
		reject(g, f, source, line, "enrollment span ends before it starts");
		return 0;
	}
	int y, m, d;
	vbr_civil_from_days(a, &y, &m, &d);
	int32_t ma = (y - 1970) * 12 + m - 1;
	vbr_civil_from_days(b, &y, &m, &d);
	int32_t mb = (y - 1970) * 12 + m - 1;
	for (int32_t mo = ma; mo <= mb; mo++) {
		char txt[8];
		vbr_format_month(txt, mo);
		put_values(g, txt);
	}
	return 1;
}

/* Evaluate item `item` of a record and account for the outcome. */
/* The next well-formed record of input d, counted as read; a malformed
 * one is rejected on the way. NULL at the end of the input. */
static struct vbr_field *next_record_in(struct ingest *g, struct vbr_delim *d)
{
	while (vbr_delim_next(d)) {
		g->acct.read++;
		if (!d->defect)
			return d->field;
		reject_in(g, d, d->field, d->source, d->lineno, d->defect);
	}
	return NULL;
}

static struct vbr_field *next_record(struct ingest *g)
{
	return next_record_in(g, &g->in);
}

/* Map item `item` of a record of input d into m's values: 1, or 0 when
 * the record was rejected or left out (and accounted for). */
static int map_record_in(struct ingest *g, struct vbr_mapping *m, const struct vbr_delim *d,
			 const struct vbr_field *f, int item, const char *source, uint64_t line)
{
	int rc = vbr_mapping_eval(m, f, item, g->why, sizeof g->why);
	if (rc == VBR_MAP_REJECT) {
		reject_in(g, d, f, source, line, g->why);
		return 0;
	}
	if (rc >= VBR_MAP_SKIP) {
		g->acct.left[vbr_account_reason(&g->acct, vbr_mapping_skip_reason(m, rc))].n++;
		return 0;
	}
	return 1;
}

static int map_record(struct ingest *g, const struct vbr_field *f, int item,
		      const char *source, uint64_t line)
{
	return map_record_in(g, &g->map, &g->in, f, item, source, line);
}

static int evaluate(struct ingest *g, const struct vbr_field *f, int item,
		    const char *source, uint64_t line)
{
	return map_record(g, f, item, source, line) && emit(g, f, source, line);
}

/* ---- DE-SynPUF claim segments ------------------------------------------
 * A claim may have segment rows whose CLM_FROM_DT and CLM_THRU_DT are
 * blank. Such a row takes the dates of its claim's dated row wherever that
 * stands in the input, before or after it: the dates of each dated claim
 * are kept (its interned CLM_ID and two interned dates, about 30 bytes a
 * claim), and a dateless row whose claim has no date yet is held until one
 * comes. A held row whose claim never gets a date is rejected at the end,
 * with that reason. Memory: the claims' dates and the held rows. */

#define NO_DATE UINT32_MAX

struct segments {
	struct vbr_intern claims, dates;
	struct claim_dates {
		uint32_t from, thru;     /* ids in dates, or NO_DATE */
		uint32_t held;           /* first held row + 1, 0 none */
	} *claim;
	size_t cap;
	struct held_row {
		struct saved_record rec;
		uint32_t next;           /* the claim's next held row + 1, 0 none */
	} *held;
	size_t nheld, hcap;
};

static void save_record(struct saved_record *s, const struct vbr_field *f, int n,
			const char *source, uint64_t line)
{
	size_t need = 0;
	for (int i = 0; i < n; i++)
		need += f[i].n;
	if (need > s->cap) {
		s->cap = need * 2 + 64;
		s->buf = vbr_xrealloc(s->buf, s->cap);
	}
	if (!s->field)
		s->field = vbr_xcalloc((size_t)n, sizeof *s->field);
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		memcpy(s->buf + at, f[i].p, f[i].n);
		s->field[i].p = s->buf + at;
		s->field[i].n = f[i].n;
		at += f[i].n;
	}
	s->n = n;
	s->line = line;
	free(s->source);
	s->source = vbr_xstrdup(source);
	s->held = 1;
}

static void free_record(struct saved_record *s)
{
	free(s->buf), free(s->field), free(s->source);
	memset(s, 0, sizeof *s);
}

/* The claim's entry, made (undated) if new. */
static struct claim_dates *claim_of(struct segments *sg, const struct vbr_field *id)
{
	uint32_t c = vbr_intern(&sg->claims, id->p, id->n);
	if (c >= sg->cap) {
		size_t old = sg->cap;
		sg->claim = vbr_grow(sg->claim, &sg->cap, (size_t)c + 1, sizeof *sg->claim);
		for (size_t i = old; i < sg->cap; i++)
			sg->claim[i] = (struct claim_dates){NO_DATE, NO_DATE, 0};
	}
	return &sg->claim[c];
}

/* Evaluate a dateless row with its claim's dates. */
static void evaluate_dated(struct ingest *g, struct segments *sg, struct vbr_field *f,
			   const struct claim_dates *d, int cfrom, int cthru,
			   const char *source, uint64_t line)
{
	f[cfrom].p = vbr_intern_str(&sg->dates, d->from, &f[cfrom].n);
	f[cthru].p = vbr_intern_str(&sg->dates, d->thru, &f[cthru].n);
	evaluate(g, f, 0, source, line);
}

static void process_segments(struct ingest *g)
{
	int cfrom = vbr_mapping_source_index(&g->map, "from_date");
	int cthru = vbr_mapping_source_index(&g->map, "thru_date");
	int cclaim = vbr_mapping_source_index(&g->map, "claim_id");
	struct segments sg = {0};
	vbr_intern_init(&sg.claims);
	vbr_intern_init(&sg.dates);

	struct vbr_field *f;
	while ((f = next_record(g))) {
		struct claim_dates *d = claim_of(&sg, &f[cclaim]);
		if (f[cfrom].n == 0) {
			if (d->from != NO_DATE) {
				evaluate_dated(g, &sg, f, d, cfrom, cthru, g->in.source, g->in.lineno);
			} else {        /* held until the claim's dated row comes */
				sg.held = vbr_grow_zeroed(sg.held, &sg.hcap, sg.nheld + 1, sizeof *sg.held);
				struct held_row *h = &sg.held[sg.nheld++];
				save_record(&h->rec, f, g->in.ncols, g->in.source, g->in.lineno);
				/* append to the claim's chain, keeping file order */
				uint32_t *link = &d->held;
				while (*link)
					link = &sg.held[*link - 1].next;
				*link = (uint32_t)sg.nheld;
			}
			continue;
		}
		if (d->from == NO_DATE) {       /* the claim's first dated row */
			d->from = vbr_intern(&sg.dates, f[cfrom].p, f[cfrom].n);
			d->thru = vbr_intern(&sg.dates, f[cthru].p, f[cthru].n);
		}
		evaluate(g, f, 0, g->in.source, g->in.lineno);
		for (uint32_t h = d->held; h; h = sg.held[h - 1].next) {
			struct saved_record *r = &sg.held[h - 1].rec;
			evaluate_dated(g, &sg, r->field, d, cfrom, cthru, r->source, r->line);
			free_record(r);
		}
		d->held = 0;
	}
	for (size_t i = 0; i < sg.nheld; i++)
		if (sg.held[i].rec.held) {
			struct saved_record *r = &sg.held[i].rec;
			reject(g, r->field, r->source, r->line,
			       "dateless segment whose claim has no dated row in the input");
			free_record(r);
		}
	free(sg.held);
	free(sg.claim);
	vbr_intern_free(&sg.claims);
	vbr_intern_free(&sg.dates);
}

/* ---- CCLF claim versions ----------------------------------------------
 * Each evaluated line is kept under its natural key with its effective
 * date, adjustment type and claim id; at the end each claim line's final
 * action is written (final.h). A version whose type or effective date is
 * not valid is rejected, as a bad value is. */

/* The source column a profile names; it is in the layout of input d. */
static int layout_column(const struct vbr_delim *d, const char *name)
{
	int c = vbr_delim_column(d, name);
	if (c < 0)
		vbr_die(EX_SOFTWARE, "profile column '%s' is not in the layout", name);
	return c;
}

/* Read every version in input d, mapped by g->map, and net them by the
 * profile's final columns: put gets each final version's row and claim
 * id. The superseded and cancelled versions are counted as left out.
 * With ids, every accepted version's claim id is interned there. */
static void net_versions(struct ingest *g, struct vbr_delim *d, struct vbr_intern *ids,
			 vbr_final_put *put, void *ctx)
{
	const struct vbr_final_columns *fc = g->opt->profile->final;
	int ckey[4], nkey = 0;
	for (; nkey < 4 && fc->key[nkey]; nkey++)
		ckey[nkey] = layout_column(d, fc->key[nkey]);
	int ceff = layout_column(d, fc->effective), ctype = layout_column(d, fc->type);
	int cid = layout_column(d, fc->claim_id);
	char *key = NULL;
	size_t kcap = 0;
	vbr_final_init(&g->final);
	const struct vbr_field *f;
	while ((f = next_record_in(g, d))) {
		int32_t eff;
		const struct vbr_field *t = &f[ctype];
		int type = t->n == 1 ? t->p[0] - '0' : -1;
		if (vbr_parse_date(f[ceff].p, f[ceff].n, &eff) != VBR_OK) {
			reject_in(g, d, f, d->source, d->lineno, vbr_value_reason(g->why,
				  sizeof g->why, fc->effective, ceff, "date", f[ceff].n ?
				  VBR_INVALID : VBR_MISSING, f[ceff].p, f[ceff].n));
			continue;
		}
		if (type < VBR_ORIGINAL || type > VBR_ADJUSTMENT) {
			snprintf(g->why, sizeof g->why, "column '%s': adjustment type '%.*s' is "
				 "not 0, 1 or 2", fc->type, (int)(t->n > 20 ? 20 : t->n), t->p);
			reject_in(g, d, f, d->source, d->lineno, g->why);
			continue;
		}
		if (!map_record_in(g, &g->map, d, f, 0, d->source, d->lineno))
			continue;
		size_t kn = 0;          /* the natural key: its columns, TAB-joined */
		for (int k = 0; k < nkey; k++) {
			key = vbr_grow(key, &kcap, kn + f[ckey[k]].n + 1, 1);
			memcpy(key + kn, f[ckey[k]].p, f[ckey[k]].n);
			kn += f[ckey[k]].n;
			key[kn++] = '\t';
		}
		if (ids)
			vbr_intern(ids, f[cid].p, f[cid].n);
		size_t n = row_text(g);
		vbr_final_add(&g->final, (struct vbr_field){key, kn}, eff, (enum vbr_adjustment)type,
			      f[cid], (struct vbr_field){g->row, n});
	}
	vbr_final_emit(&g->final, put, ctx);
	g->acct.left[vbr_account_reason(&g->acct, "claim versions superseded by a later one")].n +=
		g->final.superseded;
	g->acct.left[vbr_account_reason(&g->acct, "claim lines cancelled")].n += g->final.cancelled;
	vbr_final_free(&g->final);
	free(key);
}

static void put_final(void *ctx, struct vbr_field row, struct vbr_field claim_id)
{
	struct ingest *g = ctx;
	(void)claim_id;
	vbr_put(&g->out, row.p, row.n);
	vbr_putc(&g->out, '\n');
	g->acct.written++;
}

static void process_final(struct ingest *g)
{
	net_versions(g, &g->in, NULL, put_final, g);
}

/* ---- CCLF2 revenue-center lines ----------------------------------------
 * A Part A claim's lines (CCLF2) belong to one version of its header
 * (CCLF1, --headers) by CUR_CLM_UNIQ_ID, and carry no adjustment code of
 * their own. The headers are netted first, as cclf1 nets them. Each line
 * of a final version is then written as its header's row with the line's
 * own columns (the profile's line_columns) in place; a line of a
 * superseded or cancelled version is left out; a line with no accepted
 * header is rejected. Last, what each final header paid beyond its lines
 * (CLM_PMT_AMT less the lines' sum: an inpatient stay's DRG payment) is
 * written as line 0, so each claim's paid is its header's, as cclf1 gives
 * it. Memory: the headers' rows and ids, not the lines. */

struct part_a {
	struct ingest *g;
	struct vbr_intern ids;           /* accepted header versions' ids */
	struct part_a_claim {
		size_t row, row_len;         /* the final version's row in bytes */
		int64_t paid, lines;         /* the header's paid; its lines' sum */
		uint64_t nlines;
		int final;
	} *claim;
	size_t cap;
	uint32_t *order;                 /* final versions, in emit order */
	size_t norder, ocap;
	char *bytes;
	size_t nbytes, bcap;
	int col_line, col_allowed, col_paid;
};

/* Field col of a TAB-joined row. */
static struct vbr_field row_field(const char *row, size_t len, int col)
{
	const char *p = row, *end = row + len;
	for (; col > 0; col--) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		if (!tab)       /* ingest wrote the row with every column */
			vbr_die(EX_SOFTWARE, "a kept claim row lacks column %d", col);
		p = tab + 1;
	}
	const char *e = memchr(p, '\t', (size_t)(end - p));
	return (struct vbr_field){p, (size_t)((e ? e : end) - p)};
}

/* A final header version: keep its row and paid amount. */
static void keep_header(void *ctx, struct vbr_field row, struct vbr_field claim_id)
{
	struct part_a *pa = ctx;
	uint32_t i = vbr_intern_find(&pa->ids, claim_id.p, claim_id.n);
	if (i >= pa->cap)
		pa->claim = vbr_grow_zeroed(pa->claim, &pa->cap, (size_t)i + 1, sizeof *pa->claim);
	struct part_a_claim *c = &pa->claim[i];
	pa->bytes = vbr_grow(pa->bytes, &pa->bcap, pa->nbytes + row.n, 1);
	memcpy(pa->bytes + pa->nbytes, row.p, row.n);
	c->row = pa->nbytes;
	c->row_len = row.n;
	pa->nbytes += row.n;
	struct vbr_field paid = row_field(row.p, row.n, pa->col_paid);
	vbr_parse_amount(paid.p, paid.n, &c->paid);   /* the mapping made it valid */
	c->final = 1;
	pa->order = vbr_grow(pa->order, &pa->ocap, pa->norder + 1, sizeof *pa->order);
	pa->order[pa->norder++] = i;
}

/* Write claim c's row: the header's columns, with `sub` (line mapping
 * column per output column, or -1) from g->lines, or with line 0 and
 * `amount` as allowed and paid when sub is NULL. */
static void put_claim_row(struct part_a *pa, const struct part_a_claim *c, const int *sub,
			  const char *amount)
{
	struct ingest *g = pa->g;
	const char *row = pa->bytes + c->row;
	for (int i = 0; i < g->map.nrules; i++) {
		if (i)
			vbr_putc(&g->out, '\t');
		if (sub && sub[i] >= 0) {
			vbr_put(&g->out, g->lines.val + g->lines.off[sub[i]], g->lines.len[sub[i]]);
		} else if (!sub && i == pa->col_line) {
			vbr_putc(&g->out, '0');
		} else if (!sub && (i == pa->col_allowed || i == pa->col_paid)) {
			vbr_puts(&g->out, amount);
		} else {
			struct vbr_field v = row_field(row, c->row_len, i);
			vbr_put(&g->out, v.p, v.n);
		}
	}
	vbr_putc(&g->out, '\n');
	g->acct.written++;
}

static void process_revenue_lines(struct ingest *g)
{
	const struct vbr_profile *p = g->opt->profile;
	struct part_a pa = {.g = g};
	vbr_intern_init(&pa.ids);
	pa.col_line = vbr_mapping_column(&g->map, "line");
	pa.col_allowed = vbr_mapping_column(&g->map, "allowed");
	pa.col_paid = vbr_mapping_column(&g->map, "paid");
	net_versions(g, &g->headers, &pa.ids, keep_header, &pa);
	pa.claim = vbr_grow_zeroed(pa.claim, &pa.cap, (size_t)pa.ids.count + 1, sizeof *pa.claim);

	int *sub = vbr_xcalloc((size_t)g->map.nrules, sizeof *sub);
	for (int i = 0; i < g->map.nrules; i++) {
		sub[i] = -1;
		for (const char *const *c = p->line_columns; *c; c++)
			if (strcmp(*c, vbr_mapping_column_name(&g->map, i)) == 0)
				sub[i] = vbr_mapping_column(&g->lines, *c);
	}
	int cid = layout_column(&g->in, "CUR_CLM_UNIQ_ID");
	int line_paid = vbr_mapping_column(&g->lines, "paid");
	int superseded = vbr_account_reason(&g->acct, "lines of superseded or cancelled "
					    "claim versions");
	const struct vbr_field *f;
	while ((f = next_record(g))) {
		uint32_t i = vbr_intern_find(&pa.ids, f[cid].p, f[cid].n);
		if (i == VBR_NOT_INTERNED) {
			snprintf(g->why, sizeof g->why, "column 'CUR_CLM_UNIQ_ID': no accepted "
				 "header in %s has claim '%.*s'", g->opt->headers_file,
				 (int)(f[cid].n > 40 ? 40 : f[cid].n), f[cid].p);
			reject(g, f, g->in.source, g->in.lineno, g->why);
			continue;
		}
		struct part_a_claim *c = &pa.claim[i];
		if (!c->final) {
			g->acct.left[superseded].n++;
			continue;
		}
		if (!map_record_in(g, &g->lines, &g->in, f, 0, g->in.source, g->in.lineno))
			continue;
		int64_t paid;
		vbr_parse_amount(g->lines.val + g->lines.off[line_paid], g->lines.len[line_paid],
				 &paid);
		if (vbr_add_cents(c->lines, paid, &c->lines))
			vbr_die(EX_DATAERR, "%s:%llu: the lines of claim '%.*s' overflow",
				g->in.source, (unsigned long long)g->in.lineno,
				(int)(f[cid].n > 40 ? 40 : f[cid].n), f[cid].p);
		c->nlines++;
		put_claim_row(&pa, c, sub, NULL);
	}
	for (size_t k = 0; k < pa.norder; k++) {
		const struct part_a_claim *c = &pa.claim[pa.order[k]];
		int64_t rest;
		if (vbr_sub_cents(c->paid, c->lines, &rest)) {
			size_t n;
			const char *id = vbr_intern_str(&pa.ids, pa.order[k], &n);
			vbr_die(EX_DATAERR, "%s: claim '%.*s': its header less its lines "
				"overflows", g->opt->headers_file, (int)(n > 40 ? 40 : n), id);
		}
		if (c->nlines && rest == 0)
			continue;
		char amount[32];
		vbr_format_cents(amount, rest);
		put_claim_row(&pa, c, NULL, amount);
	}
	free(sub);
	free(pa.claim);
	free(pa.order);
	free(pa.bytes);
	vbr_intern_free(&pa.ids);
}

/* ---- a month's snapshot (CCLF8) ----------------------------------------
 * The profile's rules with "=MONTH" made the constant of --month. */
static void snapshot_rules(struct vbr_mapping *m, const struct vbr_profile *p,
			   const char *month)
{
	size_t n = 0;
	while (p->rules[n].column)
		n++;
	struct vbr_map_rule *r = vbr_xcalloc(n + 1, sizeof *r);
	char constant[16];
	snprintf(constant, sizeof constant, "=%s", month);
	for (size_t i = 0; i < n; i++) {
		r[i] = p->rules[i];
		if (strcmp(r[i].source, "=MONTH") == 0)
			r[i].source = constant;
	}
	vbr_mapping_builtin(m, r, p->kind);
	free(r);
}

/* ---- mapped layouts ---------------------------------------------------- */

static void process_mapped(struct ingest *g)
{
	const struct vbr_field *f;
	while ((f = next_record(g))) {
		if (!g->map.nitems) {
			evaluate(g, f, 0, g->in.source, g->in.lineno);
			continue;
		}
		/* line items: each non-empty one is a claim line; a bad one rejects
		 * the whole source row, so evaluate all before writing any */
		int any = 0, bad = 0;
		for (int k = 0; k < g->map.nitems && !bad; k++)
			if (!vbr_mapping_item_empty(&g->map, f, k)) {
				any = 1;
				bad = vbr_mapping_eval(&g->map, f, k, g->why,
						       sizeof g->why) == VBR_MAP_REJECT;
			}
		if (bad) {
			reject(g, f, g->in.source, g->in.lineno, g->why);
			continue;
		}
		if (!any) {
			g->acct.left[g->slot_no_items].n++;
			continue;
		}
		for (int k = 0; k < g->map.nitems; k++) {
			if (vbr_mapping_item_empty(&g->map, f, k))
				g->acct.left[g->slot_empty_items].n++;
			else
				evaluate(g, f, k, g->in.source, g->in.lineno);
		}
	}
}

/* ---- DE-SynPUF beneficiary summary -------------------------------------
 * The file gives yearly counts of covered months, not the months. Coverage
 * = months with Part A and Part B and no HMO: N = min(HI, SMI) − HMO (not
 * below 0), taken as January..month N of the file's year, truncated after
 * the month of death. */

static const char *const bene_cols[] = {
	"member_id", "month", "birth_date", "death_date", "sex", "region",
	"county", "enrollment_type",
};

enum { B_ID, B_BIRTH, B_DEATH, B_SEX, B_ESRD, B_STATE, B_COUNTY, B_HI, B_SMI, B_HMO, B_N };

static const char *const bene_src[B_N] = {
	"DESYNPUF_ID", "BENE_BIRTH_DT", "BENE_DEATH_DT", "BENE_SEX_IDENT_CD",
	"BENE_ESRD_IND", "SP_STATE_CODE", "BENE_COUNTY_CD",
	"BENE_HI_CVRAGE_TOT_MONS", "BENE_SMI_CVRAGE_TOT_MONS",
	"BENE_HMO_CVRAGE_TOT_MONS",
};

/* The year in a DE-SynPUF file name: "DE1_0_2008_Beneficiary_...". */
static int year_from_name(const char *name)
{
	const char *p = strstr(name, "_Beneficiary");
	if (!p || p - name < 5)
		return 0;
	int y = 0;
	for (const char *q = p - 4; q < p; q++) {
		if (*q < '0' || *q > '9')
			return 0;
		y = y * 10 + (*q - '0');
	}
	return p[-5] == '_' ? y : 0;
}

/* A YYYYMMDD source date → days, or a reject reason. */
static int bene_date(struct ingest *g, const struct vbr_field *f, int col,
		     const char *name, int32_t *days)
{
	const struct vbr_field *x = &f[col];
	int y, m, d;
	if (x->n != 8 || sscanf(x->p, "%4d%2d%2d", &y, &m, &d) != 3 ||
	    !vbr_valid_civil(y, m, d)) {
		vbr_value_reason(g->why, sizeof g->why, name, col, "date (YYYYMMDD)",
				 VBR_INVALID, x->p, x->n);
		return -1;
	}
	*days = vbr_days_from_civil(y, m, d);
	return 0;
}

static void process_beneficiary(struct ingest *g)
{
	int col[B_N];
	for (int i = 0; i < B_N; i++)
		if ((col[i] = vbr_delim_column(&g->in, bene_src[i])) < 0)
			vbr_die(EX_DATAERR, "%s:1: column '%s' is missing: not a "
				"DE-SynPUF beneficiary summary file", g->in.source, bene_src[i]);
	write_header(g, bene_cols, 8);
	int cur = -1, year = 0;
	while (vbr_delim_next(&g->in)) {
		const struct vbr_field *f = g->in.field;
		g->acct.read++;
		if (cur != g->in.in.cur) {
			cur = g->in.in.cur;
			year = g->opt->year ? (int)g->opt->year : year_from_name(g->in.source);
			if (!year)
				vbr_die(EX_USAGE, "%s: cannot tell the year from the file "
					"name; give --year", g->in.source);
		}
		if (g->in.defect) {
			reject(g, f, g->in.source, g->in.lineno, g->in.defect);
			continue;
		}
		int32_t birth, death = 0;
		int64_t months[3];
		int bad = bene_date(g, f, col[B_BIRTH], bene_src[B_BIRTH], &birth) ||
			  (f[col[B_DEATH]].n &&
			   bene_date(g, f, col[B_DEATH], bene_src[B_DEATH], &death));
		for (int i = 0; i < 3 && !bad; i++) {
			const struct vbr_field *x = &f[col[B_HI + i]];
			if (vbr_parse_count(x->p, x->n, &months[i]) || months[i] > 12) {
				vbr_value_reason(g->why, sizeof g->why, bene_src[B_HI + i],
						 col[B_HI + i], "month count (0-12)",
						 x->n ? VBR_INVALID : VBR_MISSING, x->p, x->n);
				bad = 1;
			}
		}
		const struct vbr_field *sex = &f[col[B_SEX]];
		if (!bad && (sex->n != 1 || (sex->p[0] != '1' && sex->p[0] != '2'))) {
			vbr_value_reason(g->why, sizeof g->why, bene_src[B_SEX], col[B_SEX],
					 "sex code (1 or 2)", sex->n ? VBR_INVALID : VBR_MISSING,
					 sex->p, sex->n);
			bad = 1;
		}
		if (!bad && f[col[B_ID]].n == 0) {
			vbr_value_reason(g->why, sizeof g->why, bene_src[B_ID], col[B_ID],
					 "id", VBR_MISSING, "", 0);
			bad = 1;
		}
		if (bad) {
			reject(g, f, g->in.source, g->in.lineno, g->why);
			continue;
		}
		int64_t n = (months[0] < months[1] ? months[0] : months[1]) - months[2];
		if (f[col[B_DEATH]].n) {
			int dy, dm, dd;
			vbr_civil_from_days(death, &dy, &dm, &dd);
			if (dy < year)
				n = 0;
			else if (dy == year && n > dm)
				n = dm;
		}
		if (n <= 0) {
			g->acct.left[g->slot_no_months].n++;
			continue;
		}
		int by, bm, bd;
		vbr_civil_from_days(birth, &by, &bm, &bd);
		int age_jan1 = year - 1 - by + (bm == 1 && bd == 1);
		int esrd = f[col[B_ESRD]].n == 1 && f[col[B_ESRD]].p[0] == 'Y';
		const char *type = esrd ? "esrd" : age_jan1 < 65 ? "disabled" : "aged_nondual";
		char bdate[11], ddate[11] = "";
		vbr_format_date(bdate, birth);
		if (f[col[B_DEATH]].n)
			vbr_format_date(ddate, death);
		for (int mo = 1; mo <= n; mo++) {
			char month[8];
			vbr_format_month(month, (year - 1970) * 12 + mo - 1);
			vbr_put(&g->out, f[col[B_ID]].p, f[col[B_ID]].n);
			vbr_putc(&g->out, '\t');
			vbr_puts(&g->out, month);
			vbr_putc(&g->out, '\t');
			vbr_puts(&g->out, bdate);
			vbr_putc(&g->out, '\t');
			vbr_puts(&g->out, ddate);
			vbr_putc(&g->out, '\t');
			vbr_putc(&g->out, sex->p[0] == '1' ? 'M' : 'F');
			vbr_putc(&g->out, '\t');
			vbr_put(&g->out, f[col[B_STATE]].p, f[col[B_STATE]].n);
			vbr_putc(&g->out, '\t');
			vbr_put(&g->out, f[col[B_COUNTY]].p, f[col[B_COUNTY]].n);
			vbr_putc(&g->out, '\t');
			vbr_puts(&g->out, type);
			vbr_putc(&g->out, '\n');
			g->acct.written++;
		}
	}
}

/* ---- the run ----------------------------------------------------------- */

static int process(struct options *o)
{
	struct ingest g;
	memset(&g, 0, sizeof g);
	g.opt = o;
	vbr_cli_account(&o->cli, &g.acct, NULL);
	g.slot_no_items = vbr_account_reason(&g.acct, "rows with no line items");
	g.slot_empty_items = vbr_account_reason(&g.acct, "empty line items (not rows)");
	g.slot_no_months = vbr_account_reason(&g.acct, "no month with Part A and B outside an HMO");
	vbr_writer_fd(&g.out, 1, "(stdout)");
	struct vbr_fixed_layout layout = {0};
	if (o->layout_file) {
		vbr_fixed_layout_load(&layout, o->layout_file);
		vbr_delim_open_fixed(&g.in, o->cli.operands, o->cli.noperands, &layout);
	} else if (o->profile && o->profile->layout) {
		vbr_delim_open_fixed(&g.in, o->cli.operands, o->cli.noperands, o->profile->layout);
	} else {
		vbr_delim_open(&g.in, o->cli.operands, o->cli.noperands,
			       (enum vbr_delim_format)o->format);
	}
	/* the claims profiles' layouts have no line breaks inside fields: a
	 * quote left open loses its line only (ingest(1)) */
	g.in.single_line = o->profile && o->kind == VBR_KIND_CLAIMS;

	if (o->profile && o->profile->special == VBR_SPECIAL_BENEFICIARY) {
		process_beneficiary(&g);
	} else {
		if (o->profile && o->profile->special == VBR_SPECIAL_SNAPSHOT)
			snapshot_rules(&g.map, o->profile, o->month);
		else if (o->profile)
			vbr_mapping_builtin(&g.map, o->profile->rules, (enum vbr_kind)o->kind);
		else
			vbr_mapping_load(&g.map, o->map_file, (enum vbr_kind)o->kind);
		if (o->profile && o->profile->special == VBR_SPECIAL_REVENUE_LINES) {
			const char *h = o->headers_file;
			vbr_delim_open_fixed(&g.headers, &h, 1, o->profile->header_layout);
			vbr_mapping_bind(&g.map, &g.headers);
			vbr_mapping_builtin(&g.lines, o->profile->line_rules, VBR_KIND_CLAIMS);
			vbr_mapping_bind(&g.lines, &g.in);
		} else {
			vbr_mapping_bind(&g.map, &g.in);
		}
		g.col_start = g.col_end = -1;
		if (o->kind == VBR_KIND_ELIGIBILITY && vbr_mapping_column(&g.map, "month") < 0) {
			g.col_start = vbr_mapping_column(&g.map, "start_date");
			g.col_end = vbr_mapping_column(&g.map, "end_date");
		}
		mapped_header(&g);
		if (o->profile && o->profile->special == VBR_SPECIAL_SEGMENTS)
			process_segments(&g);
		else if (o->profile && o->profile->special == VBR_SPECIAL_FINAL_ACTION)
			process_final(&g);
		else if (o->profile && o->profile->special == VBR_SPECIAL_REVENUE_LINES)
			process_revenue_lines(&g);
		else
			process_mapped(&g);
	}
	vbr_writer_close(&g.out);
	vbr_delim_close(&g.in);
	vbr_fixed_layout_free(&layout);
	int status = vbr_account_finish(&g.acct, o->cli.verbose);
	if (o->headers_file)
		vbr_delim_close(&g.headers);
	vbr_mapping_free(&g.map);   /* after: skip reasons live in the mapping */
	vbr_mapping_free(&g.lines);
	free(g.row);
	return status;
}

VBR_MAIN(command, struct options, process)
