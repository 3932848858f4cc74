/*
 * mapping.c — compile and evaluate ingest layout mappings (see mapping.h).
 * Evaluation writes each output column into one reused value buffer.
 */
#include "mapping.h"
#include "error.h"
#include "money.h"
#include "reader.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum conv { CV_TEXT, CV_DATE, CV_MONTH, CV_AMOUNT, CV_CENTS, CV_DIFF, CV_MAP, CV_ENROLL };
enum date_fmt { DF_YMD, DF_ISO, DF_MDY, MF_YM, MF_ISO };
enum { EMPTY_REJECT, EMPTY_KEEP, EMPTY_SKIP };

/* The convert column's names: the conversion × 16 + its date format. */
#define CONVERSION(conv, fmt) ((conv) * 16 + (fmt))
static const struct vbr_name conversions[] = {
	{"", CONVERSION(CV_TEXT, 0)},
	{"text", CONVERSION(CV_TEXT, 0)},
	{"date:YYYYMMDD", CONVERSION(CV_DATE, DF_YMD)},
	{"date:YYYY-MM-DD", CONVERSION(CV_DATE, DF_ISO)},
	{"date:MM/DD/YYYY", CONVERSION(CV_DATE, DF_MDY)},
	{"month:YYYYMM", CONVERSION(CV_MONTH, MF_YM)},
	{"month:YYYY-MM", CONVERSION(CV_MONTH, MF_ISO)},
	{"amount", CONVERSION(CV_AMOUNT, 0)},
	{"cents", CONVERSION(CV_CENTS, 0)},
	{"difference", CONVERSION(CV_DIFF, 0)},
	{"medicare_enrollment", CONVERSION(CV_ENROLL, 0)},
	{NULL, 0},
};

static const struct vbr_name empty_rules[] = {
	{"reject", EMPTY_REJECT}, {"keep", EMPTY_KEEP}, {"skip", EMPTY_SKIP}, {NULL, 0}};

struct vbr_compiled_rule {
	char *column, *source;
	char op;                    /* 0: one column, '+', '|', '=': constant */
	int nsrc;
	char **srcname;
	int itemized;
	int *idx;                   /* [nsrc], or [nitems * nsrc] if itemized */
	enum conv conv;
	enum date_fmt fmt;
	char *maparg;
	int if_empty;
	char *skip_reason;
};

static const char *const required[][3] = {
	[VBR_KIND_CLAIMS] = {"member_id", "claim_id", "from_date"},
	[VBR_KIND_ELIGIBILITY] = {"member_id", NULL, NULL},
	[VBR_KIND_ROSTER] = {"provider_id", "org_id", NULL},
};

const struct vbr_name vbr_kinds[] = {
	{"claims", VBR_KIND_CLAIMS}, {"eligibility", VBR_KIND_ELIGIBILITY},
	{"roster", VBR_KIND_ROSTER}, {NULL, 0}};

const char *vbr_kind_name(enum vbr_kind k)
{
	return vbr_name_of(vbr_kinds, (int)k);
}

static int is_required(enum vbr_kind kind, const char *column)
{
	for (int i = 0; i < 3; i++)
		if (required[kind][i] && strcmp(required[kind][i], column) == 0)
			return 1;
	if (kind == VBR_KIND_CLAIMS)
		return strcmp(column, "allowed") == 0 || strcmp(column, "paid") == 0;
	return 0;
}

int vbr_mapping_column(const struct vbr_mapping *m, const char *column)
{
	for (int i = 0; i < m->nrules; i++)
		if (strcmp(m->rule[i].column, column) == 0)
			return i;
	return -1;
}

const char *vbr_mapping_column_name(const struct vbr_mapping *m, int i)
{
	return m->rule[i].column;
}

/* Parse one rule; on error write the reason to why and return -1. */
static int compile_rule(struct vbr_compiled_rule *r, const struct vbr_map_rule *in,
			enum vbr_kind kind, char *why, size_t whylen)
{
	const char *col = in->column, *src = in->source ? in->source : "";
	const char *cv = in->convert ? in->convert : "";
	const char *ie = in->if_empty ? in->if_empty : "";

	memset(r, 0, sizeof *r);
	int ok = col[0] >= 'a' && col[0] <= 'z';
	for (const char *q = col; ok && *q; q++)
		ok = (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_';
	if (!ok) {
		snprintf(why, whylen, "invalid column name '%s'", col);
		return -1;
	}
	if (!*src) {
		snprintf(why, whylen, "column '%s': empty source", col);
		return -1;
	}
	r->column = vbr_xstrdup(col);
	r->source = vbr_xstrdup(src);
	if (src[0] == '=') {
		r->op = '=';
		r->itemized = strcmp(src, "=#") == 0;  /* the line item's number */
	} else {
		r->op = strchr(src, '+') ? '+' : strchr(src, '|') ? '|' : 0;
		if (strchr(src, '+') && strchr(src, '|')) {
			snprintf(why, whylen, "column '%s': source mixes + and |", col);
			return -1;
		}
		char sep = r->op ? r->op : '\0';
		const char *p = src;
		for (;;) {
			const char *e = sep ? strchr(p, sep) : NULL;
			size_t k = e ? (size_t)(e - p) : strlen(p);
			if (k == 0) {
				snprintf(why, whylen, "column '%s': empty name in source '%s'",
					 col, src);
				return -1;
			}
			r->srcname = vbr_xrealloc(r->srcname, (size_t)(r->nsrc + 1) * sizeof *r->srcname);
			r->srcname[r->nsrc] = vbr_xstrndup(p, k);
			r->itemized |= strchr(r->srcname[r->nsrc], '#') != NULL;
			r->nsrc++;
			if (!e)
				break;
			p = e + 1;
		}
	}
	int conv;
	if (strncmp(cv, "map:", 4) == 0) {
		r->conv = CV_MAP;
		r->maparg = vbr_xstrdup(cv + 4);
	} else if (vbr_name_find(conversions, cv, strlen(cv), &conv) == 0) {
		r->conv = (enum conv)(conv / 16);
		r->fmt = (enum date_fmt)(conv % 16);
	} else {
		snprintf(why, whylen, "column '%s': unknown convert '%s'", col, cv);
		return -1;
	}
	if (r->conv == CV_DIFF && r->op != '+') {
		snprintf(why, whylen, "column '%s': difference needs source A+B", col);
		return -1;
	}
	if (r->conv == CV_ENROLL && (r->op != '+' || r->nsrc != 2)) {
		snprintf(why, whylen, "column '%s': medicare_enrollment needs source STATUS+DUAL",
			 col);
		return -1;
	}
	if (r->op == '+' && r->conv != CV_AMOUNT && r->conv != CV_CENTS &&
	    r->conv != CV_DIFF && r->conv != CV_ENROLL) {
		snprintf(why, whylen, "column '%s': '+' sums amounts only", col);
		return -1;
	}
	if (!*ie) {
		r->if_empty = is_required(kind, col) ? EMPTY_REJECT : EMPTY_KEEP;
	} else if (vbr_name_find(empty_rules, ie, strlen(ie), &r->if_empty) != 0) {
		snprintf(why, whylen, "column '%s': if_empty '%s' is not reject, keep "
			 "or skip", col, ie);
		return -1;
	}
	if (r->if_empty == EMPTY_KEEP && is_required(kind, col)) {
		snprintf(why, whylen, "column '%s' is required in %s; if_empty cannot "
			 "be keep", col, vbr_kind_name(kind));
		return -1;
	}
	size_t k = strlen(src) + 16;
	r->skip_reason = vbr_xmalloc(k);
	snprintf(r->skip_reason, k, "blank %s", src);
	return 0;
}

/* Check the rule set as a whole: required columns present, no duplicates. */
static int check_rules(struct vbr_mapping *m, char *why, size_t whylen)
{
	for (int i = 0; i < m->nrules; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(m->rule[i].column, m->rule[j].column) == 0) {
				snprintf(why, whylen, "column '%s' mapped twice", m->rule[i].column);
				return -1;
			}
	for (int i = 0; i < 3; i++) {
		const char *c = required[m->kind][i];
		if (c && vbr_mapping_column(m, c) < 0) {
			snprintf(why, whylen, "%s needs column '%s'", vbr_kind_name(m->kind), c);
			return -1;
		}
	}
	if (m->kind == VBR_KIND_CLAIMS &&
	    (vbr_mapping_column(m, "allowed") < 0 || vbr_mapping_column(m, "paid") < 0)) {
		snprintf(why, whylen, "claims need columns 'allowed' and 'paid'");
		return -1;
	}
	if (m->kind == VBR_KIND_ELIGIBILITY && vbr_mapping_column(m, "month") < 0 &&
	    (vbr_mapping_column(m, "start_date") < 0 || vbr_mapping_column(m, "end_date") < 0)) {
		snprintf(why, whylen, "eligibility needs column 'month', or "
			 "'start_date' and 'end_date' to expand into months");
		return -1;
	}
	return 0;
}

static void alloc_values(struct vbr_mapping *m)
{
	m->off = vbr_xcalloc((size_t)m->nrules, sizeof *m->off);
	m->len = vbr_xcalloc((size_t)m->nrules, sizeof *m->len);
	m->vcap = 4096;
	m->val = vbr_xmalloc(m->vcap);
}

void vbr_mapping_builtin(struct vbr_mapping *m, const struct vbr_map_rule *rules,
			 enum vbr_kind kind)
{
	char why[256];
	memset(m, 0, sizeof *m);
	m->kind = kind;
	for (const struct vbr_map_rule *r = rules; r->column; r++)
		m->nrules++;
	m->rule = vbr_xcalloc((size_t)m->nrules, sizeof *m->rule);
	for (int i = 0; i < m->nrules; i++)
		if (compile_rule(&m->rule[i], &rules[i], kind, why, sizeof why) != 0)
			vbr_die(EX_SOFTWARE, "built-in profile: %s", why);
	if (check_rules(m, why, sizeof why) != 0)
		vbr_die(EX_SOFTWARE, "built-in profile: %s", why);
	alloc_values(m);
}

void vbr_mapping_load(struct vbr_mapping *m, const char *path, enum vbr_kind kind)
{
	struct vbr_reader r;
	char why[256];

	memset(m, 0, sizeof *m);
	m->kind = kind;
	vbr_reader_open_side(&r, path, EX_USAGE);
	int cc = vbr_reader_require(&r, "column"), cs = vbr_reader_require(&r, "source");
	int cv = vbr_reader_column(&r, "convert"), ce = vbr_reader_column(&r, "if_empty");
	while (vbr_reader_next(&r)) {
		char *f[4] = {
			vbr_xstrndup(r.field[cc].p, r.field[cc].n),
			vbr_xstrndup(r.field[cs].p, r.field[cs].n),
			cv >= 0 ? vbr_xstrndup(r.field[cv].p, r.field[cv].n) : NULL,
			ce >= 0 ? vbr_xstrndup(r.field[ce].p, r.field[ce].n) : NULL,
		};
		struct vbr_map_rule in = {f[0], f[1], f[2], f[3]};
		m->rule = vbr_xrealloc(m->rule, (size_t)(m->nrules + 1) * sizeof *m->rule);
		if (compile_rule(&m->rule[m->nrules], &in, kind, why, sizeof why) != 0)
			vbr_die(EX_USAGE, "%s: %s", vbr_reader_place(&r), why);
		m->nrules++;
		for (int i = 0; i < 4; i++)
			free(f[i]);
	}
	if (m->nrules == 0)
		vbr_die(EX_USAGE, "%s: mapping has no rules", path);
	if (check_rules(m, why, sizeof why) != 0)
		vbr_die(EX_USAGE, "%s: %s", path, why);
	vbr_reader_close(&r);
	alloc_values(m);
}

/* name with '#' replaced by the item number */
static char *item_name(const char *pattern, int item)
{
	char buf[256];
	const char *h = strchr(pattern, '#');
	snprintf(buf, sizeof buf, "%.*s%d%s", (int)(h - pattern), pattern, item, h + 1);
	return vbr_xstrdup(buf);
}

void vbr_mapping_bind(struct vbr_mapping *m, const struct vbr_delim *d)
{
	m->src = d;
	/* count line items: the first itemized source present as _1, _2, ... */
	m->nitems = 0;
	for (int i = 0; i < m->nrules && !m->nitems; i++)
		for (int s = 0; s < m->rule[i].nsrc && !m->nitems; s++)
			if (strchr(m->rule[i].srcname[s], '#')) {
				for (int k = 1;; k++) {
					char *nm = item_name(m->rule[i].srcname[s], k);
					int found = vbr_delim_column(d, nm) >= 0;
					free(nm);
					if (!found)
						break;
					m->nitems = k;
				}
				if (!m->nitems)
					vbr_die(EX_DATAERR, "%s:1: no column '%s' (with # = 1) for "
						"'%s'", d->source, m->rule[i].srcname[s],
						m->rule[i].column);
			}
	for (int i = 0; i < m->nrules; i++) {
		struct vbr_compiled_rule *r = &m->rule[i];
		int reps = r->itemized ? m->nitems : 1;
		free(r->idx);
		r->idx = vbr_xcalloc((size_t)(reps * (r->nsrc ? r->nsrc : 1)), sizeof *r->idx);
		for (int k = 0; k < reps; k++)
			for (int s = 0; s < r->nsrc; s++) {
				const char *nm = r->srcname[s];
				char *owned = strchr(nm, '#') ? item_name(nm, k + 1) : NULL;
				int c = vbr_delim_column(d, owned ? owned : nm);
				if (c < 0)
					vbr_die(EX_DATAERR, "%s:1: source column '%s' (for '%s') "
						"is not in the header", d->source,
						owned ? owned : nm, r->column);
				r->idx[k * r->nsrc + s] = c;
				free(owned);
			}
	}
}

int vbr_mapping_source_index(const struct vbr_mapping *m, const char *column)
{
	int i = vbr_mapping_column(m, column);
	if (i < 0 || m->rule[i].nsrc == 0 || m->rule[i].itemized)
		return -1;
	return m->rule[i].idx[0];
}

const char *vbr_mapping_skip_reason(const struct vbr_mapping *m, int code)
{
	return m->rule[code - VBR_MAP_SKIP].skip_reason;
}

/* Make room for n more value bytes at position at. */
static char *val_room(struct vbr_mapping *m, size_t at, size_t n)
{
	m->val = vbr_grow(m->val, &m->vcap, at + n, 1);
	return m->val + at;
}

/* A source amount in dollars: like the stream's amount but tolerating more
 * than two decimals when the extra digits are zeros ("12.500"). */
static int source_amount(const char *p, size_t n, int64_t *cents)
{
	const char *dot = memchr(p, '.', n);
	if (dot) {
		size_t end = n;
		while (end > (size_t)(dot - p) + 3 && p[end - 1] == '0')
			end--;
		if (end == (size_t)(dot - p) + 1)   /* "12." or "12.000" */
			end = (size_t)(dot - p);
		n = end;
	}
	return vbr_parse_amount(p, n, cents);
}

/* Reformat a date or month in the rule's source format to ISO text. */
static int convert_date(const struct vbr_compiled_rule *r, const char *p, size_t n,
			char *out, size_t *outn)
{
	char iso[11];
	int32_t days;
	switch (r->fmt) {
	case DF_YMD:
	case MF_YM: {
		size_t want = r->fmt == DF_YMD ? 8 : 6;
		if (n != want)
			return VBR_INVALID;
		memcpy(iso, p, 4);
		iso[4] = '-';
		memcpy(iso + 5, p + 4, 2);
		if (r->fmt == MF_YM) {
			n = 7;
			break;
		}
		iso[7] = '-';
		memcpy(iso + 8, p + 6, 2);
		n = 10;
		break;
	}
	case DF_MDY: {
		/* M/D/YYYY or MM/DD/YYYY */
		const char *s1 = memchr(p, '/', n);
		const char *s2 = s1 ? memchr(s1 + 1, '/', n - (size_t)(s1 + 1 - p)) : NULL;
		if (!s1 || !s2 || s1 - p > 2 || s2 - s1 > 3 || (p + n) - s2 != 5 ||
		    s1 == p || s2 == s1 + 1)
			return VBR_INVALID;
		snprintf(iso, sizeof iso, "%.4s-%s%.*s-%s%.*s", s2 + 1,
			 s1 - p == 1 ? "0" : "", (int)(s1 - p), p,
			 s2 - s1 == 2 ? "0" : "", (int)(s2 - s1 - 1), s1 + 1);
		n = 10;
		break;
	}
	case DF_ISO:
	case MF_ISO:
		if (n > 10)
			return VBR_INVALID;
		memcpy(iso, p, n);
		break;
	}
	int rc;
	if (r->conv == CV_DATE) {
		rc = vbr_parse_date(iso, n, &days);
	} else {
		rc = vbr_parse_month(iso, n, &days);
	}
	if (rc != VBR_OK)
		return VBR_INVALID;
	memcpy(out, iso, n);
	*outn = n;
	return VBR_OK;
}

/* Look the value up in "K=V,K=V,*=V"; returns 0 and sets *v, *vn, or -1. */
static int map_value(const char *table, const char *p, size_t n,
		     const char **v, size_t *vn)
{
	const char *deflt = NULL;
	size_t defn = 0;
	for (const char *e = table; *e;) {
		const char *comma = strchr(e, ',');
		size_t k = comma ? (size_t)(comma - e) : strlen(e);
		const char *eq = memchr(e, '=', k);
		if (eq) {
			size_t kl = (size_t)(eq - e);
			if (kl == n && memcmp(e, p, n) == 0) {
				*v = eq + 1;
				*vn = k - kl - 1;
				return 0;
			}
			if (kl == 1 && e[0] == '*') {
				deflt = eq + 1;
				defn = k - 2;
			}
		}
		e += k + (comma != NULL);
	}
	if (!deflt)
		return -1;
	*v = deflt;
	*vn = defn;
	return 0;
}

/* Medicare status code (10 aged, 11 aged+ESRD, 20 disabled, 21 disabled+ESRD,
 * 31 ESRD only) and dual status (empty, 0, 00 or NA = not dual) → the
 * enrollment types MSSP benchmarks by. */
static const char *medicare_enrollment(const struct vbr_field *status,
				       const struct vbr_field *dual)
{
	if (status->n != 2)
		return NULL;
	if (status->p[1] == '1')        /* 11, 21, 31 */
		return "esrd";
	if (status->p[0] == '2' && status->p[1] == '0')
		return "disabled";
	if (status->p[0] == '1' && status->p[1] == '0') {
		int dual_yes = dual->n > 0 && !(dual->n == 2 && memcmp(dual->p, "NA", 2) == 0);
		if (dual_yes) {
			dual_yes = 0;
			for (size_t i = 0; i < dual->n; i++)
				if (dual->p[i] != '0' && dual->p[i] != '.')
					dual_yes = 1;
		}
		return dual_yes ? "aged_dual" : "aged_nondual";
	}
	return NULL;
}

static int bad_field(const struct vbr_mapping *m, const struct vbr_compiled_rule *r,
		     const struct vbr_field *f, int col, const char *srcname, const char *type,
		     int rc, char *why, size_t whylen)
{
	if (m->src && m->src->fixed) {        /* a fixed-width column: its bytes */
		char place[40];
		vbr_delim_column_place(m->src, col, place, sizeof place);
		if (rc == VBR_MISSING)
			snprintf(why, whylen, "column '%s' (%s): missing value", srcname, place);
		else
			snprintf(why, whylen, "column '%s' (%s): invalid %s '%.*s'", srcname, place,
				 type, (int)(f[col].n > 200 ? 200 : f[col].n), f[col].p);
	} else {
		vbr_value_reason(why, whylen, srcname, col, type, rc, f[col].p, f[col].n);
	}
	size_t k = strlen(why);
	snprintf(why + k, whylen - k, " for '%s'", r->column);
	return VBR_MAP_REJECT;
}

int vbr_mapping_eval(struct vbr_mapping *m, const struct vbr_field *f, int item,
		     char *why, size_t whylen)
{
	size_t at = 0;
	for (int i = 0; i < m->nrules; i++) {
		const struct vbr_compiled_rule *r = &m->rule[i];
		const int *idx = r->idx + (r->itemized ? item * r->nsrc : 0);
		const char *p = "";
		size_t n = 0;
		int col = idx[0];
		const char *name = r->nsrc ? r->srcname[0] : r->source;
		int64_t cents = 0;
		int have_sum = 0;

		char num[16];
		if (r->op == '=' && r->itemized) {
			p = num;
			n = (size_t)snprintf(num, sizeof num, "%d", item + 1);
		} else if (r->op == '=') {
			p = r->source + 1;
			n = strlen(p);
		} else if (r->op == '+' && r->conv != CV_ENROLL) {
			for (int s = 0; s < r->nsrc; s++) {
				const struct vbr_field *x = &f[idx[s]];
				int64_t c;
				if (x->n == 0)
					continue;
				int rc = r->conv == CV_CENTS ? vbr_parse_count(x->p, x->n, &c)
							     : source_amount(x->p, x->n, &c);
				int less = r->conv == CV_DIFF && s > 0;   /* first minus the others */
				if (rc != VBR_OK || (less ? vbr_sub_cents(cents, c, &cents)
							  : vbr_add_cents(cents, c, &cents)) != 0)
					return bad_field(m, r, f, idx[s], r->srcname[s],
							 "amount", VBR_INVALID, why, whylen);
				have_sum = 1;
			}
		} else {
			for (int s = 0; s < (r->op == '|' ? r->nsrc : 1); s++) {
				col = idx[s];
				name = r->srcname[s];
				p = f[col].p;
				n = f[col].n;
				if (n)
					break;
			}
		}
		int empty = r->op == '+' && r->conv != CV_ENROLL ? !have_sum : n == 0;
		if (empty) {
			if (r->if_empty == EMPTY_SKIP)
				return VBR_MAP_SKIP + i;
			if (r->if_empty == EMPTY_REJECT)
				return bad_field(m, r, f, col, name, "", VBR_MISSING, why, whylen);
			m->off[i] = at;
			m->len[i] = 0;
			continue;
		}
		char *out = val_room(m, at, n + 32);
		size_t outn = 0;
		switch (r->conv) {
		case CV_TEXT:
			if (memchr(p, '\t', n) || memchr(p, '\n', n) || memchr(p, '\r', n)) {
				snprintf(why, whylen, "column '%s' (%d): value holds a TAB or "
					 "line break, which the stream cannot carry", name, col + 1);
				return VBR_MAP_REJECT;
			}
			memcpy(out, p, n);
			outn = n;
			break;
		case CV_DATE:
		case CV_MONTH:
			if (convert_date(r, p, n, out, &outn) != VBR_OK)
				return bad_field(m, r, f, col, name,
						 r->conv == CV_DATE ? "date" : "month",
						 VBR_INVALID, why, whylen);
			break;
		case CV_AMOUNT:
		case CV_CENTS:
		case CV_DIFF:
			if (!have_sum) {
				int rc = r->conv == CV_CENTS ? vbr_parse_count(p, n, &cents)
							     : source_amount(p, n, &cents);
				if (rc != VBR_OK)
					return bad_field(m, r, f, col, name, "amount", rc, why, whylen);
			}
			outn = vbr_format_cents(out, cents);
			break;
		case CV_MAP: {
			const char *v;
			size_t vn;
			if (map_value(r->maparg, p, n, &v, &vn) != 0)
				return bad_field(m, r, f, col, name, "code (no mapping)",
						 VBR_INVALID, why, whylen);
			out = val_room(m, at, vn);
			memcpy(out, v, vn);
			outn = vn;
			break;
		}
		case CV_ENROLL: {
			const char *v = medicare_enrollment(&f[idx[0]], &f[idx[1]]);
			if (!v)
				return bad_field(m, r, f, idx[0], r->srcname[0],
						 "Medicare status code", VBR_INVALID, why, whylen);
			outn = strlen(v);
			memcpy(out, v, outn);
			break;
		}
		}
		m->off[i] = at;
		m->len[i] = outn;
		at += outn;
	}
	return VBR_MAP_OK;
}

int vbr_mapping_item_empty(const struct vbr_mapping *m, const struct vbr_field *f,
			   int item)
{
	for (int i = 0; i < m->nrules; i++) {
		const struct vbr_compiled_rule *r = &m->rule[i];
		if (!r->itemized)
			continue;
		for (int s = 0; s < r->nsrc; s++) {
			const struct vbr_field *x = &f[r->idx[item * r->nsrc + s]];
			for (size_t k = 0; k < x->n; k++)
				if (x->p[k] != '0' && x->p[k] != '.')
					return 0;
		}
	}
	return 1;
}

void vbr_mapping_free(struct vbr_mapping *m)
{
	for (int i = 0; i < m->nrules; i++) {
		struct vbr_compiled_rule *r = &m->rule[i];
		vbr_free_strings(r->srcname, (size_t)r->nsrc);
		free(r->idx);
		free(r->column);
		free(r->source);
		free(r->maparg);
		free(r->skip_reason);
	}
	free(m->rule);
	free(m->off);
	free(m->len);
	free(m->val);
	memset(m, 0, sizeof *m);
}
