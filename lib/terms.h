/*
 * terms.h — contract terms (vbr-terms(5)): one registry of every term with
 * its type, range or choices, and default; a terms file (columns term,
 * value), per-org overrides (--org-terms: org_id plus term columns) and
 * command-line settings (--set NAME=VALUE), which win over both files.
 * Every value is checked against its term's type and range as it is read,
 * in this one place, for every tool.
 *
 *   vbr_term_defs[]                  the registry (name, type, choices,
 *                                    default, range, tools, doc)
 *   vbr_term_lookup(name)            its definition; NULL if unknown
 *   vbr_terms_load(t, path)          read a terms file; 64 on an unknown
 *                                    term or a bad or out-of-range value
 *   vbr_terms_load_org(t, path)      read per-org overrides
 *   vbr_terms_set(t, "name=value")   a command-line setting
 *   vbr_term(t, org, name)           the value in force (text), or NULL
 *   vbr_terms_given(t, name)         set by a file, an org or --set (not
 *                                    left to its default)
 *   vbr_term_rate/amount/date/count/flag(t, org, name, &out)
 *                                    typed value; returns 0 when the term has
 *                                    no value (no default), 1 when it does
 *   vbr_term_choice(t, org, name, &out)
 *                                    the value of a choice (enum below); 0
 *                                    when the term has none or is a rate
 *   vbr_term_suggest(name)           the nearest term name, for "did you mean"
 *   vbr_term_range_text(d, buf, len) the range in words ("between 0 and 1")
 */
#ifndef VBR_TERMS_H
#define VBR_TERMS_H

#include <stdint.h>

#include "names.h"

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

/* The values of the choice terms, as vbr_term_choice gives them. */
enum vbr_cost_basis { VBR_BASIS_PAID, VBR_BASIS_ALLOWED };
enum vbr_completion_method { VBR_COMPLETION_TERMS, VBR_COMPLETION_CHAIN_LADDER };
enum vbr_target_method { VBR_TARGET_COST, VBR_TARGET_LOSS_RATIO };
enum vbr_trend_method { VBR_TREND_FIXED, VBR_TREND_REGRESSION };
enum vbr_risk { VBR_ONE_SIDED, VBR_TWO_SIDED };
enum vbr_threshold_mode { VBR_FIRST_DOLLAR, VBR_NET };
enum vbr_quality_mode { VBR_Q_NONE, VBR_Q_SEED, VBR_Q_GATE, VBR_Q_MULTIPLY };
enum vbr_fee_basis { VBR_FEE_GUARANTEED, VBR_FEE_CONTINGENT };
enum { VBR_THRESHOLD_MSSP = 1 };          /* msr, mlr: the MSSP scale */
enum { VBR_LOSS_QUALITY_LINKED = 1 };     /* loss_rate */

/* The range of a numeric term, in its unit (millionths, cents, count);
 * an open end excludes its bound; no_hi: no upper bound. */
struct vbr_term_range {
	int set;
	int64_t lo, hi;
	int lo_open, hi_open, no_hi;
};

struct vbr_term_def {
	const char *name;
	enum vbr_term_type type;
	const struct vbr_name *choices;   /* CHOICE and RATE_OR_CHOICE */
	const char *deflt;        /* NULL: no default */
	const char *tools;
	const char *doc;
	int prefix;               /* name is a prefix: name<suffix> */
	struct vbr_term_range range;
};

extern const struct vbr_term_def vbr_term_defs[];

struct vbr_term_value {
	char *name;
	char *value;
};

struct vbr_term_set {
	struct vbr_term_value *v;
	int n;
	size_t cap;
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
/* does the terms file, an org's terms or --set give the term (not its default)? */
int vbr_terms_given(const struct vbr_terms *t, const char *name);
int vbr_term_rate(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_amount(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_date(const struct vbr_terms *t, const char *org, const char *name, int32_t *out);
int vbr_term_count(const struct vbr_terms *t, const char *org, const char *name, int64_t *out);
int vbr_term_flag(const struct vbr_terms *t, const char *org, const char *name, int *out);
int vbr_term_choice(const struct vbr_terms *t, const char *org, const char *name, int *out);

const char *vbr_term_suggest(const char *name);
const char *vbr_term_range_text(const struct vbr_term_def *d, char *buf, size_t len);

#endif
