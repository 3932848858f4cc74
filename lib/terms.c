/*
 * terms.c — reading, validating and looking up contract terms. Precedence:
 * command line (--set), then the org's row of --org-terms, then --terms,
 * then the registry default.
 */
#include "terms.h"
#include "error.h"
#include "money.h"
#include "reader.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vbr_terms_init(struct vbr_terms *t)
{
	memset(t, 0, sizeof *t);
}

static void set_free(struct vbr_term_set *s)
{
	for (int i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].value);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

void vbr_terms_free(struct vbr_terms *t)
{
	set_free(&t->file);
	set_free(&t->cmdline);
	for (int i = 0; i < t->norgs; i++) {
		free(t->org[i]);
		set_free(&t->org_terms[i]);
	}
	free(t->org);
	free(t->org_terms);
	memset(t, 0, sizeof *t);
}

const struct vbr_term_def *vbr_term_lookup(const char *name)
{
	for (const struct vbr_term_def *d = vbr_term_defs; d->name; d++) {
		size_t k = strlen(d->name);
		if (d->prefix ? strncmp(name, d->name, k) == 0 && name[k] != '\0'
			      : strcmp(name, d->name) == 0)
			return d;
	}
	return NULL;
}

const char *vbr_term_suggest(const char *name)
{
	static const char *names[128];
	static size_t n;
	if (!n)
		for (const struct vbr_term_def *d = vbr_term_defs; d->name && n < LEN(names); d++)
			names[n++] = d->name;
	return vbr_suggest(name, names, n);
}

/* A bound in the term's unit as the terms file writes it: 0.5, 100.00, 12. */
/* v in 10^-scale without trailing zeros: 0.05, 1, -0.5. */
static const char *trimmed(char *buf, int64_t v, int scale)
{
	size_t n = vbr_format_fixed(buf, v, scale, scale);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

static const char *bound_text(char *buf, const struct vbr_term_def *d, int64_t v)
{
	if (d->type == VBR_TERM_AMOUNT)
		vbr_format_cents(buf, v);
	else if (d->type == VBR_TERM_COUNT)
		sprintf(buf, "%lld", (long long)v);
	else
		trimmed(buf, v, 6);
	return buf;
}

/* "between 0 and 1", "above 0", "at least -1 and below 1": the range's
 * words, for messages and vbr-terms(5). */
const char *vbr_term_range_text(const struct vbr_term_def *d, char *buf, size_t len)
{
	const struct vbr_term_range *r = &d->range;
	char lo[32], hi[32];
	if (!r->set)
		return NULL;
	bound_text(lo, d, r->lo);
	bound_text(hi, d, r->hi);
	if (r->no_hi)
		snprintf(buf, len, "%s %s", r->lo_open ? "above" : "at least", lo);
	else if (!r->lo_open && !r->hi_open)
		snprintf(buf, len, "between %s and %s", lo, hi);
	else
		snprintf(buf, len, "%s %s and %s %s", r->lo_open ? "above" : "at least", lo,
			 r->hi_open ? "below" : "at most", hi);
	return buf;
}

/* Is a number of the term's unit within its range? */
static int in_range(const struct vbr_term_range *r, int64_t v)
{
	if (!r->set)
		return 1;
	if (v < r->lo || (r->lo_open && v == r->lo))
		return 0;
	return r->no_hi || v < r->hi || (!r->hi_open && v == r->hi);
}

/* The numeric and date kinds of term: how a value parses, its name. */
static int parse_date64(const char *p, size_t n, int64_t *out)
{
	int32_t days;
	int rc = vbr_parse_date(p, n, &days);
	*out = days;
	return rc;
}

static int parse_flag64(const char *p, size_t n, int64_t *out)
{
	int flag;
	int rc = vbr_parse_flag(p, n, &flag);
	*out = flag;
	return rc;
}

static const struct {
	int (*parse)(const char *p, size_t n, int64_t *out);
	const char *name;
} kinds[] = {
	[VBR_TERM_DATE] = {parse_date64, "date (YYYY-MM-DD)"},
	[VBR_TERM_RATE] = {vbr_parse_rate, "rate"},
	[VBR_TERM_AMOUNT] = {vbr_parse_amount, "amount"},
	[VBR_TERM_COUNT] = {vbr_parse_count, "count"},
	[VBR_TERM_FLAG] = {parse_flag64, "flag (Y or N)"},
	[VBR_TERM_RATE_OR_CHOICE] = {vbr_parse_rate, "rate"},
};

/* "5 is not above -1 and below 1", and for a rate of a fractional range
 * given as a percentage, how to write it: "(a rate is a fraction: write
 * 0.05 for 5%)". */
static void percent_hint(const struct vbr_term_def *d, int64_t v, const char *value,
			 const char *range, char *buf, size_t len)
{
	char frac[32];
	int rate = d->type == VBR_TERM_RATE || d->type == VBR_TERM_RATE_OR_CHOICE;
	int percent = rate && !d->range.no_hi && d->range.hi <= VBR_MILLION &&
		      (v > VBR_MILLION || v < -VBR_MILLION);
	if (!percent) {
		snprintf(buf, len, "%s is not %s", value, range);
		return;
	}
	snprintf(buf, len, "%s is not %s (a rate is a fraction: write %s for %s%%)", value, range,
		 trimmed(frac, v, 8), value);     /* v % in 10^-8 = v / 100 */
}

/* Does `value` fit the term's type, choices and range? NULL, or what is
 * wrong with it, in `buf`. */
static const char *check_value(const struct vbr_term_def *d, const char *value, char *buf,
			       size_t len)
{
	size_t n = strlen(value);
	int64_t v;
	int choice;
	char words[128];
	if (d->type == VBR_TERM_LIST)
		return NULL;
	if (d->choices && vbr_name_find(d->choices, value, n, &choice) == 0)
		return NULL;
	if (d->type == VBR_TERM_CHOICE) {
		snprintf(buf, len, "invalid choice '%s' (%s)", value,
			 vbr_names_list(d->choices, words, sizeof words));
		return buf;
	}
	int ok = kinds[d->type].parse(value, n, &v) == VBR_OK;
	if (!ok && d->choices)
		snprintf(buf, len, "invalid value '%s' (a rate, or %s)", value,
			 vbr_names_list(d->choices, words, sizeof words));
	else if (!ok)
		snprintf(buf, len, "invalid %s '%s'", kinds[d->type].name, value);
	else if (!in_range(&d->range, v))
		percent_hint(d, v, value, vbr_term_range_text(d, words, sizeof words), buf, len);
	else
		return NULL;
	return buf;
}

/* Validate one name=value and store it in s; place names where it came from. */
static void set_put(struct vbr_term_set *s, const char *name, const char *value,
		    const char *place)
{
	const struct vbr_term_def *d = vbr_term_lookup(name);
	if (!d) {
		const char *sug = vbr_term_suggest(name);
		if (sug)
			vbr_die(EX_USAGE, "%s: unknown term '%s'; did you mean '%s'?",
				place, name, sug);
		vbr_die(EX_USAGE, "%s: unknown term '%s'", place, name);
	}
	char why[256];
	if (check_value(d, value, why, sizeof why))
		vbr_die(EX_USAGE, "%s: term '%s': %s", place, name, why);
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			vbr_die(EX_USAGE, "%s: term '%s' given twice", place, name);
	s->v = vbr_grow(s->v, &s->cap, (size_t)s->n + 1, sizeof *s->v);
	s->v[s->n].name = vbr_xstrdup(name);
	s->v[s->n].value = vbr_xstrdup(value);
	s->n++;
}

void vbr_terms_load(struct vbr_terms *t, const char *path)
{
	struct vbr_reader r;
	vbr_reader_open_side(&r, path, EX_USAGE);
	int ct = vbr_reader_require(&r, "term"), cv = vbr_reader_require(&r, "value");
	while (vbr_reader_next(&r)) {
		char *name = vbr_xstrndup(r.field[ct].p, r.field[ct].n);
		char *value = vbr_xstrndup(r.field[cv].p, r.field[cv].n);
		set_put(&t->file, name, value, vbr_reader_place(&r));
		free(name);
		free(value);
	}
	vbr_reader_close(&r);
}

void vbr_terms_load_org(struct vbr_terms *t, const char *path)
{
	struct vbr_reader r;
	vbr_reader_open_side(&r, path, EX_USAGE);
	int co = vbr_reader_require(&r, "org_id");
	for (int c = 0; c < r.ncols; c++)
		if (c != co && !vbr_term_lookup(r.colname[c])) {
			const char *sug = vbr_term_suggest(r.colname[c]);
			vbr_die(EX_USAGE, "%s:1: column %d: unknown term '%s'%s%s%s",
				vbr_reader_name(&r), c + 1, r.colname[c],
				sug ? "; did you mean '" : "", sug ? sug : "",
				sug ? "'?" : "");
		}
	while (vbr_reader_next(&r)) {
		char *org = vbr_xstrndup(r.field[co].p, r.field[co].n);
		for (int i = 0; i < t->norgs; i++)
			if (strcmp(t->org[i], org) == 0)
				vbr_die(EX_USAGE, "%s: org '%s' given twice",
					vbr_reader_place(&r), org);
		t->org = vbr_xrealloc(t->org, (size_t)(t->norgs + 1) * sizeof *t->org);
		t->org_terms = vbr_xrealloc(t->org_terms,
					    (size_t)(t->norgs + 1) * sizeof *t->org_terms);
		t->org[t->norgs] = org;
		memset(&t->org_terms[t->norgs], 0, sizeof t->org_terms[0]);
		for (int c = 0; c < r.ncols; c++) {
			if (c == co || r.field[c].n == 0)  /* empty: no override */
				continue;
			char *value = vbr_xstrndup(r.field[c].p, r.field[c].n);
			set_put(&t->org_terms[t->norgs], r.colname[c], value,
				vbr_reader_place(&r));
			free(value);
		}
		t->norgs++;
	}
	vbr_reader_close(&r);
}

void vbr_terms_set(struct vbr_terms *t, const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	if (!eq)
		vbr_die(EX_USAGE, "--set '%s': expected NAME=VALUE", assignment);
	char *name = vbr_xstrndup(assignment, (size_t)(eq - assignment));
	set_put(&t->cmdline, name, eq + 1, "--set");
	free(name);
}

static const char *set_get(const struct vbr_term_set *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return s->v[i].value;
	return NULL;
}

int vbr_terms_given(const struct vbr_terms *t, const char *name)
{
	if (set_get(&t->cmdline, name) || set_get(&t->file, name))
		return 1;
	for (int i = 0; i < t->norgs; i++)
		if (set_get(&t->org_terms[i], name))
			return 1;
	return 0;
}

const char *vbr_term(const struct vbr_terms *t, const char *org, const char *name)
{
	const char *v = set_get(&t->cmdline, name);
	if (v)
		return v;
	if (org)
		for (int i = 0; i < t->norgs; i++)
			if (strcmp(t->org[i], org) == 0 &&
			    (v = set_get(&t->org_terms[i], name)) != NULL)
				return v;
	if ((v = set_get(&t->file, name)) != NULL)
		return v;
	const struct vbr_term_def *d = vbr_term_lookup(name);
	if (!d)
		vbr_die(EX_SOFTWARE, "term '%s' is not in the registry", name);
	return d->prefix ? NULL : d->deflt;
}

/* Values were checked on the way in; a failure here is a program bug. */
#define TYPED(fn, T, parse)                                                   \
	int fn(const struct vbr_terms *t, const char *org, const char *name,  \
	       T *out)                                                        \
	{                                                                     \
		const char *v = vbr_term(t, org, name);                       \
		if (!v)                                                       \
			return 0;                                             \
		if (parse(v, strlen(v), out) != VBR_OK)                       \
			vbr_die(EX_USAGE, "term '%s': '%s' is not of the kind " \
				"this tool needs", name, v);                  \
		return 1;                                                     \
	}

TYPED(vbr_term_rate, int64_t, vbr_parse_rate)
TYPED(vbr_term_amount, int64_t, vbr_parse_amount)
TYPED(vbr_term_date, int32_t, vbr_parse_date)
TYPED(vbr_term_count, int64_t, vbr_parse_count)
TYPED(vbr_term_flag, int, vbr_parse_flag)

int vbr_term_choice(const struct vbr_terms *t, const char *org, const char *name, int *out)
{
	const char *v = vbr_term(t, org, name);
	const struct vbr_term_def *d = vbr_term_lookup(name);
	return v && d->choices && vbr_name_find(d->choices, v, strlen(v), out) == 0;
}
