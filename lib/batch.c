/* batch.c — claim lines a batch at a time, members looked up together
 * (batch.h). */
#include "batch.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void vbr_batch_init(struct vbr_batch *b, size_t item_size)
{
	memset(b, 0, sizeof *b);
	b->item_size = item_size;
	b->item = vbr_xcalloc(VBR_BATCH_LINES, item_size);
	b->capkeys = VBR_BATCH_KEY_BYTES + 64;     /* a full batch's, and 16 spare */
	b->keys = vbr_xmalloc(b->capkeys);
}

/* An id shorter than 4 or longer than 16 bytes, or one near the key
 * bytes' end: copied as it is, the key bytes grown to keep 16 spare. */
void vbr_batch_add_key(struct vbr_batch *b, const char *key, size_t n)
{
	b->keys = vbr_grow(b->keys, &b->capkeys, b->nkeys + n + 16, 1);
	memcpy(b->keys + b->nkeys, key, n);
	b->nkeys += n;
}

/* Is line j's member the line before's? */
static int same_as_before(const struct vbr_batch *b, unsigned j)
{
	return j > 0 && b->key_n[j] == b->key_n[j - 1] &&
	       vbr_same_bytes(b->keys + b->key_off[j], b->keys + b->key_off[j - 1], b->key_n[j]);
}

/* Three passes over the window's lines, each a run of independent loads:
 * hash and prefetch the intern slots; find the ids (and prefetch the
 * tool's entries, step[0]); prefetch what those entries point to
 * (step[1]). A line that repeats the line before's member takes its id. */
unsigned vbr_batch_window(struct vbr_batch *b, unsigned lo, const struct vbr_intern *members,
			  vbr_batch_fn *const steps[VBR_BATCH_STEPS], void *ctx)
{
	unsigned hi = b->n - lo > VBR_BATCH_WINDOW ? lo + VBR_BATCH_WINDOW : b->n;
	uint8_t repeat[VBR_BATCH_WINDOW];
	for (unsigned j = lo; j < hi; j++) {
		repeat[j - lo] = (uint8_t)same_as_before(b, j);
		if (repeat[j - lo])
			continue;
		b->hash[j] = vbr_intern_hash(b->keys + b->key_off[j], b->key_n[j]);
		vbr_intern_prefetch(members, b->hash[j]);
	}
	for (unsigned j = lo; j < hi; j++) {
		if (repeat[j - lo]) {
			b->id[j] = b->id[j - 1];
			continue;
		}
		b->id[j] = vbr_intern_find_hashed(members, b->hash[j], b->keys + b->key_off[j],
						  b->key_n[j]);
		if (b->id[j] != VBR_NOT_INTERNED && steps[0])
			steps[0](ctx, b->id[j]);
	}
	if (steps[1])
		for (unsigned j = lo; j < hi; j++)
			if (!repeat[j - lo] && b->id[j] != VBR_NOT_INTERNED)
				steps[1](ctx, b->id[j]);
	return hi;
}

void vbr_batch_free(struct vbr_batch *b)
{
	free(b->item);
	free(b->keys);
	b->item = b->keys = NULL;
}
