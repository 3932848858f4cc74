/* orgfiles.c — targets and quality scores per org; see orgfiles.h. */
#include "orgfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "contract.h"
#include "costs.h"
#include "error.h"
#include "reader.h"
#include "value.h"

/* The org of a side-file row, interned; an org given twice is an error. */
uint32_t vbr_side_org(struct vbr_reader *r, int co, struct vbr_intern *orgs)
{
	struct vbr_field *f = r->field;
	vbr_field_id(NULL, r, co);
	uint32_t before = orgs->count, id = vbr_intern(orgs, f[co].p, f[co].n);
	if (id < before)
		vbr_die(EX_DATAERR, "%s: org '%.*s' given twice", vbr_reader_place(r),
			(int)f[co].n, f[co].p);
	return id;
}

/* An optional field: 0 when absent or empty, 1 when parsed, dies when bad. */
static int opt_field(struct vbr_reader *r, int c, int amount, int64_t *out)
{
	if (c < 0 || r->field[c].n == 0)
		return 0;
	int rc = amount ? vbr_parse_amount(r->field[c].p, r->field[c].n, out)
			: vbr_parse_rate(r->field[c].p, r->field[c].n, out);
	if (rc != VBR_OK)
		vbr_die_field(r, c, amount ? "amount" : "rate", rc, "");
	return 1;
}

/* Open a per-org side file: its reader, its org ids, its org_id column. */
static int open_org_file(struct vbr_reader *r, struct vbr_intern *orgs, const char *path)
{
	vbr_intern_init(orgs);
	vbr_reader_open_side(r, path, EX_DATAERR);
	return vbr_reader_require(r, "org_id");
}

/* --target: org_id and target_pmpm, or target_total, or (loss-ratio
 * contracts) target_loss_ratio. */
void vbr_targets_load(struct vbr_targets *tg, const char *path)
{
	struct vbr_reader r;
	memset(tg, 0, sizeof *tg);
	tg->path = path;
	int co = open_org_file(&r, &tg->orgs, path);
	int cp = vbr_reader_column(&r, "target_pmpm"), ct = vbr_reader_column(&r, "target_total");
	int cr = vbr_reader_column(&r, "target_loss_ratio");
	if (cp < 0 && ct < 0 && cr < 0)
		vbr_die(EX_DATAERR, "%s:1: no column 'target_pmpm', 'target_total' or "
			"'target_loss_ratio'", path);
	while (vbr_reader_next(&r)) {
		uint32_t id = vbr_side_org(&r, co, &tg->orgs);
		tg->t = vbr_grow_zeroed(tg->t, &tg->cap, (size_t)id + 1, sizeof *tg->t);
		struct vbr_org_target *t = &tg->t[id];
		t->has_pmpm = opt_field(&r, cp, 1, &t->pmpm);
		t->has_total = opt_field(&r, ct, 1, &t->total);
		t->has_ratio = opt_field(&r, cr, 0, &t->ratio);
		if (!t->has_pmpm && !t->has_total && !t->has_ratio)
			vbr_die_field(&r, cp >= 0 ? cp : ct >= 0 ? ct : cr, "amount", VBR_MISSING,
				  " (the org has no target)");
	}
	vbr_reader_close(&r);
}

/* One rule for every tool (settle, simulate, report's scenarios): a fixed
 * target_total belongs to the org's whole measured population and is
 * scaled by member months to another population; otherwise a loss-ratio
 * contract's target is the target loss ratio × the population's premium,
 * and a cost contract's is target PMPM × its member months. Exact cents,
 * one rounding. */
int64_t vbr_target_total(const struct vbr_org_target *t, int loss_ratio,
			 const struct vbr_population *pop, const struct vbr_population *whole,
			 const char *org, const char *path)
{
	__int128 total;
	if (t->has_total) {
		if (whole->member_months <= 0)
			vbr_die(EX_DATAERR, "org '%s' has no measurement member months", org);
		total = vbr_div_round((__int128)t->total * pop->member_months, whole->member_months);
	} else if (loss_ratio) {
		if (!t->has_ratio)
			vbr_die(EX_DATAERR, "%s: org '%s' has no target_loss_ratio (target_method is "
				"loss_ratio)", path, org);
		if (!pop->has_premium)
			vbr_die(EX_DATAERR, "target_method is loss_ratio but the cost rows have no "
				"'premium' column");
		total = vbr_div_round((__int128)t->ratio * pop->premium, VBR_MILLION);
	} else {
		if (!t->has_pmpm)
			vbr_die(EX_DATAERR, "%s: org '%s' has no target_pmpm", path, org);
		total = (__int128)t->pmpm * pop->member_months;
	}
	if (total > INT64_MAX || total < -INT64_MAX)
		vbr_die(EX_DATAERR, "org '%s': the target total overflows", org);
	return (int64_t)total;
}

/* --quality: org_id, quality_score in [0, 1], optional met_quality_standard. */
void vbr_quality_load(struct vbr_qualities *qs, const char *path)
{
	struct vbr_reader r;
	memset(qs, 0, sizeof *qs);
	qs->path = path;
	int co = open_org_file(&r, &qs->orgs, path), cq = vbr_reader_require(&r, "quality_score");
	int cm = vbr_reader_column(&r, "met_quality_standard");
	while (vbr_reader_next(&r)) {
		uint32_t id = vbr_side_org(&r, co, &qs->orgs);
		qs->q = vbr_grow_zeroed(qs->q, &qs->cap, (size_t)id + 1, sizeof *qs->q);
		struct vbr_org_quality *q = &qs->q[id];
		struct vbr_field *f = r.field;
		int rc = vbr_parse_rate(f[cq].p, f[cq].n, &q->score);
		if (rc != VBR_OK)
			vbr_die_field(&r, cq, "score", rc, "");
		if (q->score < 0 || q->score > VBR_MILLION)
			vbr_die_field(&r, cq, "score", VBR_INVALID, " (a quality score is between 0 and 1)");
		q->met = -1;
		if (cm >= 0 && f[cm].n && vbr_parse_flag(f[cm].p, f[cm].n, &q->met) != VBR_OK)
			vbr_die_field(&r, cm, "flag (Y or N)", VBR_INVALID, "");
	}
	vbr_reader_close(&r);
}

struct vbr_org_target *vbr_target_of(struct vbr_targets *t, const char *org, size_t n)
{
	uint32_t id = vbr_intern_find(&t->orgs, org, n);
	return id == VBR_NOT_INTERNED ? NULL : &t->t[id];
}

void vbr_targets_free(struct vbr_targets *t)
{
	vbr_intern_free(&t->orgs);
	free(t->t);
}

const struct vbr_org_quality *vbr_quality_of(const struct vbr_qualities *q, const char *org,
					     size_t n)
{
	if (!q->path)
		return NULL;
	uint32_t id = vbr_intern_find(&q->orgs, org, n);
	return id == VBR_NOT_INTERNED ? NULL : &q->q[id];
}

/* A contract that scales or gates anything by quality needs the org's
 * score; otherwise a score is used when there is one. */
const struct vbr_org_quality *vbr_quality_for(const struct vbr_qualities *q,
					      const struct vbr_contract *c,
					      const struct vbr_terms *t, const char *org)
{
	const struct vbr_org_quality *s = vbr_quality_of(q, org, strlen(org));
	if (!s && (c->quality_mode != VBR_Q_NONE || c->fee_quality_gate))
		vbr_die(EX_DATAERR, "org '%s' has no quality score%s%s (quality_mode is %s)", org,
			q->path ? " in " : "; give --quality FILE", q->path ? q->path : "",
			vbr_term(t, org, "quality_mode"));
	return s;
}

void vbr_quality_free(struct vbr_qualities *q)
{
	if (q->path)
		vbr_intern_free(&q->orgs);
	free(q->q);
}

void vbr_org_files_load(struct vbr_org_files *f, const struct vbr_terms *t, const char *target,
			const char *quality)
{
	memset(f, 0, sizeof *f);
	vbr_contract_check_all(t);       /* a bad term stops the tool before any data */
	vbr_targets_load(&f->targets, target);
	if (quality)
		vbr_quality_load(&f->quality, quality);
}

void vbr_org_files_free(struct vbr_org_files *f)
{
	vbr_targets_free(&f->targets);
	vbr_quality_free(&f->quality);
}

/* Does the org (p, n) have measurement costs? */
static int measured(const struct vbr_costs *costs, const char *p, size_t n)
{
	uint32_t id = vbr_intern_find(&costs->orgs, p, n);
	return id != VBR_NOT_INTERNED && vbr_costs_of(costs, VBR_MEASURE, id) != NULL;
}

/* Count one file's orgs without measurement costs under `reason`, and
 * warn naming the first three. */
static void unmatched_orgs(const struct vbr_intern *orgs, const char *const *names, uint32_t count,
			   const struct vbr_costs *costs, struct vbr_account *a, const char *reason,
			   const char *path)
{
	uint64_t n = 0;
	char list[200] = "";
	size_t used = 0;
	for (uint32_t i = 0; i < count; i++) {
		size_t len;
		const char *p = orgs ? vbr_intern_str(orgs, i, &len) : names[i];
		if (!orgs)
			len = strlen(p);
		if (measured(costs, p, len))
			continue;
		if (++n <= 3 && used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s'%.*s'",
						 n > 1 ? ", " : "", (int)(len > 40 ? 40 : len), p);
	}
	int slot = vbr_account_reason(a, reason);
	a->left[slot].n += n;
	if (n)
		vbr_warn("%s: %llu %s: %s%s", path, (unsigned long long)n, reason, list,
			 n > 3 ? ", ..." : "");
}

void vbr_org_files_unmatched(const struct vbr_org_files *f, const struct vbr_terms *t,
			     const char *org_terms_path, const struct vbr_costs *costs,
			     struct vbr_account *a)
{
	unmatched_orgs(&f->targets.orgs, NULL, f->targets.orgs.count, costs, a,
		       "targets of orgs without measurement costs", f->targets.path);
	if (f->quality.path)
		unmatched_orgs(&f->quality.orgs, NULL, f->quality.orgs.count, costs, a,
			       "quality rows of orgs without measurement costs", f->quality.path);
	if (t->norgs)
		unmatched_orgs(NULL, (const char *const *)t->org, (uint32_t)t->norgs, costs, a,
			       "org terms of orgs without measurement costs", org_terms_path);
}
