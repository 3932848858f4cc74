/*
 * orgfiles.h — the per-org side files of a settlement: targets (target(1)
 * output or any stream with org_id and target_pmpm, target_total or
 * target_loss_ratio) and quality scores (org_id, quality_score in [0, 1],
 * optional met_quality_standard). settle and simulate read them alike. Both
 * are strict: a bad row or an org given twice exits 65.
 *
 *   vbr_side_org(r, co, orgs)       the org id (column co) of a side-file row,
 *                                   interned; a bad row, an empty or repeated
 *                                   org exits 65
 *   vbr_targets_load(t, path)       vbr_target_of(t, org, n)    NULL if absent
 *   vbr_quality_load(q, path)       vbr_quality_of(q, org, n)   NULL if absent
 *   VBR_ORG_FILES_OPTIONS(struct options)   --target and --quality
 *   vbr_org_files_load(f, terms, target, quality)
 *                                   settle's and simulate's side inputs: every
 *                                   org's contract checked, the targets and
 *                                   (when given) quality read, before any cost
 *                                   row; vbr_org_files_free(f)
 *   vbr_target_total(t, loss_ratio, pop, whole, org, path)
 *                                   the org's target total for a population
 *                                   (settle's, a bootstrap draw's, a
 *                                   scenario's); dies 65 when the target
 *                                   lacks what the contract needs
 *   vbr_quality_for(q, contract, terms, org)   the org's score; NULL when it
 *                                   has none, which is an error (65) when
 *                                   the contract uses quality
 */
#ifndef VBR_ORGFILES_H
#define VBR_ORGFILES_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"

struct vbr_org_target {
	int has_pmpm, has_total, has_ratio;
	int64_t pmpm, total, ratio;        /* cents, cents, millionths */
};

struct vbr_org_quality {
	int64_t score;                     /* millionths */
	int met;                           /* -1 not given, 0 N, 1 Y */
};

struct vbr_targets {
	const char *path;
	struct vbr_intern orgs;
	struct vbr_org_target *t;
	size_t cap;
};

struct vbr_qualities {
	const char *path;
	struct vbr_intern orgs;
	struct vbr_org_quality *q;
	size_t cap;
};

/* A population a target total is taken over: its member months and, when
 * the cost rows carry it, its premium. */
struct vbr_population {
	int64_t member_months, premium;
	int has_premium;
};

/* settle's and simulate's --target and --quality, into the fields
 * `target` and `quality` of the tool's options (cli.h). */
#define VBR_ORG_FILES_OPTIONS(options_)                                                   \
	VBR_OPT(options_, target, "target", 0, VBR_ARG_TEXT, "FILE",                        \
		"the targets: org_id and target_pmpm, target_total or target_loss_ratio "   \
		"(target(1) output)", .flags = VBR_REQUIRED),                               \
	VBR_OPT(options_, quality, "quality", 0, VBR_ARG_TEXT, "FILE",                      \
		"quality scores: org_id, quality_score in [0, 1], optional "                \
		"met_quality_standard")

struct vbr_org_files {
	struct vbr_targets targets;
	struct vbr_qualities quality;
};

struct vbr_reader;
struct vbr_terms;
uint32_t vbr_side_org(struct vbr_reader *r, int co, struct vbr_intern *orgs);
void vbr_targets_load(struct vbr_targets *t, const char *path);
struct vbr_org_target *vbr_target_of(struct vbr_targets *t, const char *org, size_t n);
void vbr_targets_free(struct vbr_targets *t);
int64_t vbr_target_total(const struct vbr_org_target *t, int loss_ratio,
			 const struct vbr_population *pop, const struct vbr_population *whole,
			 const char *org, const char *path);
void vbr_quality_load(struct vbr_qualities *q, const char *path);
const struct vbr_org_quality *vbr_quality_of(const struct vbr_qualities *q, const char *org,
					     size_t n);
struct vbr_contract;
const struct vbr_org_quality *vbr_quality_for(const struct vbr_qualities *q,
					      const struct vbr_contract *c,
					      const struct vbr_terms *t, const char *org);
void vbr_quality_free(struct vbr_qualities *q);
void vbr_org_files_load(struct vbr_org_files *f, const struct vbr_terms *t, const char *target,
			const char *quality);
void vbr_org_files_free(struct vbr_org_files *f);

/* After the costs are read: count the targets, quality rows and org terms
 * whose org has no measurement costs under "left out" (-v) and name them
 * in a warning; a typo in an org id must not pass in silence. */
struct vbr_costs;
struct vbr_account;
void vbr_org_files_unmatched(const struct vbr_org_files *f, const struct vbr_terms *t,
			     const char *org_terms_path, const struct vbr_costs *costs,
			     struct vbr_account *a);

#endif
