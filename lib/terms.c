/*
 * terms.c — reading, validating and looking up contract terms. Precedence:
 * command line (--set), then the org's row of --org-terms, then --terms,
 * then the registry default.
 */
#include "terms.h"
#include "error.h"
#include "reader.h"
#include "value.h"

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

/* Edit distance between two short strings (insert, delete, substitute). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *vbr_term_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (const struct vbr_term_def *d = vbr_term_defs; d->name; d++) {
		size_t dist = edit_distance(name, d->name);
		if (dist < bestd) {
			bestd = dist;
			best = d->name;
		}
	}
	size_t len = strlen(name);
	return bestd <= (len > 9 ? len / 3 : 3) ? best : NULL;
}

/* Does `value` fit the term's type? Returns NULL or the type's name. */
static const char *check_value(const struct vbr_term_def *d, const char *value)
{
	size_t n = strlen(value);
	int64_t i64;
	int32_t i32;
	int flag;
	switch (d->type) {
	case VBR_TERM_DATE:
		return vbr_parse_date(value, n, &i32) ? "date (YYYY-MM-DD)" : NULL;
	case VBR_TERM_RATE:
		return vbr_parse_rate(value, n, &i64) ? "rate" : NULL;
	case VBR_TERM_AMOUNT:
		return vbr_parse_amount(value, n, &i64) ? "amount" : NULL;
	case VBR_TERM_COUNT:
		return vbr_parse_count(value, n, &i64) ? "count" : NULL;
	case VBR_TERM_FLAG:
		return vbr_parse_flag(value, n, &flag) ? "flag (Y or N)" : NULL;
	case VBR_TERM_RATE_OR_CHOICE:
		if (vbr_parse_rate(value, n, &i64) == VBR_OK)
			return NULL;
		/* fall through */
	case VBR_TERM_CHOICE:
		for (const char *c = d->choices; c && *c;) {
			const char *bar = strchr(c, '|');
			size_t k = bar ? (size_t)(bar - c) : strlen(c);
			if (k == n && strncmp(c, value, n) == 0)
				return NULL;
			c += k + (bar != NULL);
		}
		return d->type == VBR_TERM_CHOICE ? "choice" : "rate or choice";
	case VBR_TERM_LIST:
		return NULL;
	}
	return "value";
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
	const char *bad = check_value(d, value);
	if (bad)
		vbr_die(EX_USAGE, "%s: term '%s': invalid %s '%s'%s%s", place, name,
			bad, value, d->choices ? " (one of " : "",
			d->choices ? d->choices : "");
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			vbr_die(EX_USAGE, "%s: term '%s' given twice", place, name);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = vbr_xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
	}
	s->v[s->n].name = vbr_xstrdup(name);
	s->v[s->n].value = vbr_xstrdup(value);
	s->n++;
}

void vbr_terms_load(struct vbr_terms *t, const char *path)
{
	struct vbr_reader r;
	const char *ops[] = {path};
	vbr_reader_open(&r, ops, 1);
	int ct = vbr_reader_require(&r, "term"), cv = vbr_reader_require(&r, "value");
	while (vbr_reader_next(&r)) {
		if (r.defect)
			vbr_die(EX_USAGE, "%s: %s", vbr_reader_place(&r), r.defect);
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
	const char *ops[] = {path};
	vbr_reader_open(&r, ops, 1);
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
		if (r.defect)
			vbr_die(EX_USAGE, "%s: %s", vbr_reader_place(&r), r.defect);
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
