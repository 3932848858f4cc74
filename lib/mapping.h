/*
 * mapping.h — layout mappings for ingest: how each canonical column is made
 * from the columns of a foreign extract. A mapping is a list of rules
 * (column, source, convert, if_empty), either built in (profiles.c) or read
 * from a mapping file with those four columns.
 *
 * source:   NAME            a source column
 *           A+B+C           the exact sum of amount columns
 *           A|B             the first of them that is not empty
 *           =TEXT           a constant; =# is the line item's number
 *           NAME_#          a repeated line item: # is 1, 2, ... (the line
 *                           items of one source row become output rows)
 * convert:  (empty)         text as is
 *           date:YYYYMMDD | date:YYYY-MM-DD | date:MM/DD/YYYY   → YYYY-MM-DD
 *           month:YYYYMM | month:YYYY-MM                       → YYYY-MM
 *           amount          decimal dollars (extra decimals must be zeros)
 *           cents           whole cents → dollars
 *           difference      source A+B+…: dollars of A less the others
 *           map:K=V,K=V,*=V value table (* is the default)
 *           medicare_enrollment   source STATUS+DUAL (Medicare status code
 *                           and dual status code) → esrd, disabled,
 *                           aged_dual or aged_nondual
 * if_empty: reject (default for required columns), keep (default otherwise),
 *           skip (leave the record out, counted under "blank SOURCE")
 *
 *   vbr_kinds[], vbr_kind_name(k)         the record kinds' names
 *   vbr_mapping_builtin(m, rules, kind)   compile a built-in rule table
 *   vbr_mapping_load(m, path, kind)       compile a mapping file; 64 if bad
 *   vbr_mapping_bind(m, d)                resolve sources against the header
 *   vbr_mapping_eval(m, fields, item, why, whylen)
 *                                         VBR_MAP_OK (values in m->val),
 *                                         VBR_MAP_REJECT (why) or the index
 *                                         of a skip reason ≥ VBR_MAP_SKIP
 *   vbr_mapping_item_empty(m, fields, item)   a line item with no content
 *   vbr_mapping_column(m, name)           index of an output column, or -1
 */
#ifndef VBR_MAPPING_H
#define VBR_MAPPING_H

#include <stddef.h>

#include "delim.h"

enum vbr_kind { VBR_KIND_CLAIMS, VBR_KIND_ELIGIBILITY, VBR_KIND_ROSTER };

struct vbr_map_rule {
	const char *column, *source, *convert, *if_empty;
};

enum { VBR_MAP_OK = 0, VBR_MAP_REJECT = 1, VBR_MAP_SKIP = 2 };

struct vbr_compiled_rule;

struct vbr_mapping {
	enum vbr_kind kind;
	int nrules;
	struct vbr_compiled_rule *rule;
	int nitems;                  /* line items per source row; 0 = none */
	/* values of the last evaluation: column i is val + off[i], len[i] */
	char *val;
	size_t vcap, *off, *len;
	const struct vbr_delim *src;  /* bound to (messages name its columns) */
};

const char *vbr_kind_name(enum vbr_kind k);
extern const struct vbr_name vbr_kinds[];    /* claims, eligibility, roster */
void vbr_mapping_builtin(struct vbr_mapping *m, const struct vbr_map_rule *rules,
			 enum vbr_kind kind);
void vbr_mapping_load(struct vbr_mapping *m, const char *path, enum vbr_kind kind);
void vbr_mapping_bind(struct vbr_mapping *m, const struct vbr_delim *d);
int vbr_mapping_column(const struct vbr_mapping *m, const char *column);
const char *vbr_mapping_column_name(const struct vbr_mapping *m, int i);
/* source column index of a column's first source (after bind), or -1 */
int vbr_mapping_source_index(const struct vbr_mapping *m, const char *column);
const char *vbr_mapping_skip_reason(const struct vbr_mapping *m, int code);
int vbr_mapping_eval(struct vbr_mapping *m, const struct vbr_field *f, int item,
		     char *why, size_t whylen);
int vbr_mapping_item_empty(const struct vbr_mapping *m, const struct vbr_field *f,
			   int item);
void vbr_mapping_free(struct vbr_mapping *m);

#endif
