/* final.c — claim versions netted to the final action (final.h). */
#include "final.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

struct vbr_final_version {
	uint32_t next;               /* the key's next version + 1, 0 none */
	int32_t effective;
	enum vbr_adjustment type;
	size_t id, id_len, row, row_len;     /* offsets into bytes */
};

void vbr_final_init(struct vbr_final *f)
{
	memset(f, 0, sizeof *f);
	vbr_intern_init(&f->keys);
}

/* Keep n bytes; their offset. */
static size_t keep(struct vbr_final *f, const char *p, size_t n)
{
	f->bytes = vbr_grow(f->bytes, &f->bcap, f->nbytes + n + 1, 1);
	memcpy(f->bytes + f->nbytes, p, n);
	size_t at = f->nbytes;
	f->nbytes += n;
	return at;
}

void vbr_final_add(struct vbr_final *f, struct vbr_field key, int32_t effective,
		   enum vbr_adjustment type, struct vbr_field claim_id, struct vbr_field row)
{
	uint32_t g = vbr_intern(&f->keys, key.p, key.n);
	if (g >= f->gcap) {
		size_t old = f->gcap;
		f->group = vbr_grow(f->group, &f->gcap, (size_t)g + 1, sizeof *f->group);
		memset(f->group + old, 0, (f->gcap - old) * sizeof *f->group);
	}
	f->v = vbr_grow(f->v, &f->vcap, f->nv + 1, sizeof *f->v);
	struct vbr_final_version *v = &f->v[f->nv++];
	v->next = 0;
	v->effective = effective;
	v->type = type;
	v->id_len = claim_id.n;
	v->id = keep(f, claim_id.p, claim_id.n);
	v->row_len = row.n;
	v->row = keep(f, row.p, row.n);
	struct vbr_final_group *gr = &f->group[g];
	if (gr->last)
		f->v[gr->last - 1].next = (uint32_t)f->nv;
	else
		gr->first = (uint32_t)f->nv;
	gr->last = (uint32_t)f->nv;
	gr->adjusted |= type != VBR_ORIGINAL;
}

/* Ties on the effective date: an adjustment wins over an original, an
 * original over a cancellation. */
static int type_rank(enum vbr_adjustment t)
{
	return t == VBR_ADJUSTMENT ? 2 : t == VBR_ORIGINAL ? 1 : 0;
}

/* Is version a a later action than b (final.h)? */
static int later(const struct vbr_final *f, const struct vbr_final_version *a,
		 const struct vbr_final_version *b)
{
	if (a->effective != b->effective)
		return a->effective > b->effective;
	if (type_rank(a->type) != type_rank(b->type))
		return type_rank(a->type) > type_rank(b->type);
	if (a->id_len != b->id_len)
		return a->id_len > b->id_len;
	return memcmp(f->bytes + a->id, f->bytes + b->id, a->id_len) > 0;
}

/* Hand version v's row and claim id to put. */
static void put_version(const struct vbr_final *f, const struct vbr_final_version *v,
			vbr_final_put *put, void *ctx)
{
	put(ctx, (struct vbr_field){f->bytes + v->row, v->row_len},
	    (struct vbr_field){f->bytes + v->id, v->id_len});
}

void vbr_final_emit(struct vbr_final *f, vbr_final_put *put, void *ctx)
{
	for (uint32_t g = 0; g < f->keys.count; g++) {
		const struct vbr_final_group *gr = &f->group[g];
		if (!gr->adjusted) {         /* originals only: each its own line */
			for (uint32_t i = gr->first; i; i = f->v[i - 1].next)
				put_version(f, &f->v[i - 1], put, ctx);
			continue;
		}
		const struct vbr_final_version *best = &f->v[gr->first - 1];
		uint64_t n = 0;
		for (uint32_t i = gr->first; i; i = f->v[i - 1].next, n++)
			if (later(f, &f->v[i - 1], best))
				best = &f->v[i - 1];
		f->superseded += n - 1;
		if (best->type == VBR_CANCEL)
			f->cancelled++;
		else
			put_version(f, best, put, ctx);
	}
}

void vbr_final_free(struct vbr_final *f)
{
	vbr_intern_free(&f->keys);
	free(f->group);
	free(f->v);
	free(f->bytes);
	memset(f, 0, sizeof *f);
}
