/*
 * terms.h — contract terms (SPEC §5): one registry of every term with its
 * type and default, a terms file (columns term, value), per-org overrides
 * (--org-terms: org_id plus term columns) and command-line settings
 * (--set NAME=VALUE), which win over both files.
 *
 *   vbr_term_defs[]                  the registry (name, type, default, tools)
 *   vbr_term_lookup(name)            its definition; NULL if unknown
 *   vbr_terms_load(t, path)          read a terms file; 64 on unknown or bad
 *   vbr_terms_load_org(t, path)      read per-org overrides
 *   vbr_terms_set(t, "name=value")   a command-line setting
 *   vbr_term(t, org, name)           the value in force (text), or NULL
 *   vbr_term_rate/amount/date/count/flag(t, org, name, &out)
 *                                    typed value; returns 0 when the term has
 *                                    no value (no default), 1 when it does
 */
#ifndef VBR_TERMS_H
#define VBR_TERMS_H

#include <stdint.h>

enum vbr_term_type {
	VBR_TERM_DATE,
	VBR_TERM_RATE,
	VBR_TERM_AMOUNT,
	VBR_TERM_COUNT,
	VBR_TERM_FLAG,
	VBR_TERM_CHOICE,          /* one of `choices` ("a|b|c") */
	VBR_TERM_RATE_OR_CHOICE,  /* a rate, or one of `choices` */
	VBR_TERM_LIST,            /* comma-separated names */
};

struct vbr_term_def {
	const char *name;
	enum vbr_term_type type;
	const char *choices;
	const char *deflt;        /* NULL: no default */
	const char *tools;
	const char *doc;
	int prefix;               /* name is a prefix: name<suffix> */
};

extern const struct vbr_term_def vbr_term_defs[];

struct vbr_term_value {
	char *name;
	char *value;
};

struct vbr_term_set {
	struct vbr_term_value *v;
	int n, cap;
};

struct vbr_terms {
	struct vbr_term_set file, cmdline;
	int norgs;
	char **org;
	struct vbr_term_set *org_terms;
};

void vbr_terms_init(struct vbr_terms *t);
void vbr_terms_free(struct vbr_terms *t);
const struct vbr_term_def *vbr_term_lookup(const char *name);
void vbr_terms_load(struct vbr_terms *t, const char *path);
void vbr_terms_load_org(struct vbr_terms *t, const char *path);
void vbr_terms_set(struct vbr_terms *t, const char *assignment);
const char *vbr_term(const struct vbr_terms *t, const char *org, const char *name);
int vbr_term_rate(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_amount(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_date(const struct vbr_terms *t, const char *org, const char *name, int32_t *out);
int vbr_term_count(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_flag(const struct vbr_terms *t, const char *org, const char *name, int *out);

/* Levenshtein-nearest registered term name, for "did you mean". */
const char *vbr_term_suggest(const char *name);

#endif
