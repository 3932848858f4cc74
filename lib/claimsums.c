/* claimsums.c — a claim line's cost and the claim sums of
 * cap-large-claims(1) --sum-only, for cap-large-claims and attribute
 * --claim-sums (claimsums.h). */
#include "claimsums.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "error.h"
#include "money.h"
#include "prefetch.h"

void vbr_claim_costs_open(struct vbr_claim_costs *c, struct vbr_reader *r,
			  struct vbr_account *a, const struct vbr_periods *per,
			  const struct vbr_terms *terms)
{
	memset(c, 0, sizeof *c);
	c->per = per;
	c->has_paid_through = vbr_term_date(terms, NULL, "paid_through", &c->paid_through);
	c->cm = vbr_reader_require(r, "member_id");
	c->cd = vbr_reader_require(r, "from_date");
	c->ca = vbr_reader_require(r, "allowed");
	c->cp = vbr_reader_require(r, "paid");
	c->cpd = vbr_reader_column(r, "paid_date");
	c->slot_outside = vbr_account_reason(a, "claims outside any period");
	c->slot_late = vbr_account_reason(a, "claims paid after paid_through");
	if (c->has_paid_through && c->cpd < 0)
		vbr_die(EX_DATAERR, "%s:1: term 'paid_through' needs column 'paid_date'",
			vbr_reader_name(r));
}

/* From paid on: the line's paid, then (member_id checked first when
 * `check_id`) its paid date against paid_through, then its period. */
static int cost_from_paid(const struct vbr_claim_costs *c, struct vbr_account *a,
			  struct vbr_reader *r, struct vbr_claim_cost *cost, int check_id)
{
	if (!vbr_field_amount(a, r, c->cp, &cost->paid))
		return 0;
	if (check_id && !vbr_field_id(a, r, c->cm))
		return 0;
	if (c->has_paid_through && r->field[c->cpd].n) {
		int32_t paid_day;
		if (!vbr_field_date(a, r, c->cpd, &paid_day))
			return 0;
		if (paid_day > c->paid_through) {
			a->left[c->slot_late].n++;
			return 0;
		}
	}
	cost->period = vbr_period_of_day(c->per, cost->day);
	if (cost->period < 0) {
		a->left[c->slot_outside].n++;
		return 0;
	}
	return 1;
}

int vbr_claim_cost(const struct vbr_claim_costs *c, struct vbr_account *a,
		   struct vbr_reader *r, struct vbr_claim_cost *cost)
{
	if (r->defect) {
		vbr_reject(a, r, r->defect);
		return 0;
	}
	if (!vbr_field_date(a, r, c->cd, &cost->day) ||
	    !vbr_field_amount(a, r, c->ca, &cost->allowed))
		return 0;
	return cost_from_paid(c, a, r, cost, 1);
}

int vbr_claim_cost_given(const struct vbr_claim_costs *c, struct vbr_account *a,
			 struct vbr_reader *r, struct vbr_claim_cost *cost)
{
	return cost_from_paid(c, a, r, cost, 0);
}

struct sums_row {
	struct vbr_text member, period;
	int64_t allowed, paid, claims, completed;
};

enum { WITH_COMPLETED = 1 };

/* cap-large-claims(1) --sum-only OUTPUT */
static const struct vbr_column sums_columns[] = {
	VBR_COL_ID(struct sums_row, member, "member_id"),
	VBR_COL_ID(struct sums_row, period, "period"),
	VBR_COL_CENTS(struct sums_row, allowed, "allowed"),
	VBR_COL_CENTS(struct sums_row, paid, "paid"),
	VBR_COL_COUNT(struct sums_row, claims, "claims"),
	VBR_COL_FIXED(struct sums_row, completed, "completed_basis", 8, 8, .when = WITH_COMPLETED),
	{.name = NULL},
};

void vbr_claim_sums_write(struct vbr_claim_sums *s, struct vbr_writer *w,
			  const struct vbr_intern *members, const uint32_t *sorted,
			  int with_completed, const int64_t *completed, size_t ncompleted)
{
	uint32_t *own = sorted ? NULL : vbr_intern_sorted(members);
	const uint32_t *order = sorted ? sorted : own;
	unsigned mask = with_completed ? WITH_COMPLETED : 0;
	vbr_columns_start(w, sums_columns, mask);
	for (uint32_t j = 0; j < members->count; j++) {
		uint64_t rows = s->rows;
		vbr_intern_ahead(members, order, j, members->count);
		if (j + 16 < members->count && order[j + 16] < s->cap)
			vbr_prefetch(vbr_claim_sums_of(s, order[j + 16]));
		for (int k = 0; k < VBR_NPERIODS; k++) {
			size_t slot = (size_t)order[j] * VBR_NPERIODS + (size_t)k;
			const struct vbr_claim_sum *c =
				order[j] < s->cap ? vbr_claim_sums_of(s, order[j]) + k : NULL;
			if (!c || !c->claims)
				continue;
			struct sums_row row = {
				.period = {vbr_period_name[k], strlen(vbr_period_name[k])},
				.allowed = c->allowed, .paid = c->paid, .claims = (int64_t)c->claims,
				.completed = slot < ncompleted ? completed[slot] : 0,
			};
			row.member.p = vbr_intern_str(members, order[j], &row.member.n);
			vbr_columns_row(w, sums_columns, mask, &row);
			s->rows++;
		}
		s->members += s->rows > rows;
	}
	free(own);
	vbr_writer_close(w);
}

int vbr_claim_sums_finish(const struct vbr_claim_sums *s, struct vbr_account *a, int verbose)
{
	a->name = "cap-large-claims";
	a->written += s->summed;
	int status = vbr_account_finish(a, verbose);
	if (verbose)
		fprintf(stderr, "cap-large-claims: claim sums rows %" PRIu64 ", members %u\n",
			s->rows, s->members);
	return status;
}

void vbr_claim_sums_free(struct vbr_claim_sums *s)
{
	vbr_free_mapped(s->rec, s->cap, vbr_claim_sums_size(s));
	s->rec = NULL;
	s->cap = 0;
}
