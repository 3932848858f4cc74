/*
 * profiles.h — ingest's built-in layouts: rule tables for the CMS DE-SynPUF
 * and Tuva Project files, plus the special handling a table cannot say
 * (DE-SynPUF claim segments without dates, DE-SynPUF yearly coverage counts).
 *
 *   vbr_profiles[]            name, kind, special, rules, one-line summary
 *   vbr_profile_find(name)    NULL if unknown
 *   vbr_profile_suggest(name) the nearest profile name, for "did you mean"
 */
#ifndef VBR_PROFILES_H
#define VBR_PROFILES_H

#include "delim.h"
#include "mapping.h"

enum vbr_special {
	VBR_SPECIAL_NONE,
	VBR_SPECIAL_SEGMENTS,      /* dateless segment takes its claim's dates */
	VBR_SPECIAL_BENEFICIARY,   /* yearly coverage counts → member months */
	VBR_SPECIAL_FINAL_ACTION,  /* claim versions netted (final.h) */
	VBR_SPECIAL_SNAPSHOT,      /* a month's snapshot: "=MONTH" is --month */
	VBR_SPECIAL_REVENUE_LINES, /* a claim's lines joined to its netted header */
};

/* The source columns a FINAL_ACTION profile nets by: the natural key's
 * columns, the effective date (YYYY-MM-DD), the adjustment type (0, 1, 2)
 * and the claim id that breaks ties. */
struct vbr_final_columns {
	const char *key[4];          /* up to 4; a NULL ends a shorter list */
	const char *effective, *type, *claim_id;
};

struct vbr_profile {
	const char *name;
	enum vbr_kind kind;
	enum vbr_special special;
	const struct vbr_map_rule *rules;   /* NULL for the beneficiary file */
	const char *summary;
	const struct vbr_fixed_layout *layout;      /* fixed-width files, else NULL */
	const struct vbr_final_columns *final;      /* FINAL_ACTION, REVENUE_LINES */
	/* REVENUE_LINES: `rules` make a claim's row from its header record (a
	 * file of header_layout, netted by `final`); line_rules are evaluated
	 * on each line record, and the columns named in line_columns replace
	 * the header's */
	const struct vbr_fixed_layout *header_layout;
	const struct vbr_map_rule *line_rules;
	const char *const *line_columns;
};

extern const struct vbr_profile vbr_profiles[];
const struct vbr_profile *vbr_profile_find(const char *name);
const char *vbr_profile_suggest(const char *name);

#endif
