/*
 * batch.h — claim lines taken a batch at a time: what a tool parsed from
 * each line (its own fixed-size item), the line's member id and its place,
 * gathered until the batch is full and then summed together.
 *
 * Why: claims in the order payers ship them (by paid date, by claim
 * number) scatter one member's lines through the file, and every line then
 * waits on a chain of cache misses — the member's intern slot, the tool's
 * per-member entry, what that entry points to. With a batch in hand, every
 * line's member is hashed and its slot prefetched, then every slot is read
 * and the tool's entries prefetched (step[0]), then what those point to
 * (step[1]): each stage is a run of independent loads the memory system
 * serves in parallel, and the summing that follows finds them in cache.
 * The stages run over a window of the batch's lines (VBR_BATCH_WINDOW) and
 * the window is summed before the next is looked up: what a whole batch
 * prefetches (4,096 lines, three or four cache lines each) outgrows a
 * core's cache before it is used.
 * A line whose member is the line before's (claims sorted by member) takes
 * that line's id and costs no lookup. The batch is also the unit handed
 * from the reading thread to the summing one (handoff.h).
 *
 * Measured against a look-ahead that prefetched each line's entries a few
 * records early (lib/ahead.c, since removed): on the bench's 9.36M lines
 * by paid date, --sum-only on one thread took 1.53 s in batches against
 * 1.72 s (member order 1.17 s against 1.15 s); the look-ahead spent a
 * third of its time scanning each line again for its member. Tables in
 * 256 parts by hash, each line queued in its part's run and a run applied
 * at a time, took 1.81 s: a part's sums are cold again by its next run.
 *
 *   vbr_batch_init(b, item_size)     empty batch of items of item_size bytes
 *   vbr_batch_add(b, key, n, cur, lineno)   a line's item (returned, to be
 *                                    filled), its member id key[0..n) and
 *                                    place (operand, line)
 *   vbr_batch_full(b)                no room for another line
 *   vbr_batch_item(b, j)             item j; b->n items
 *   vbr_batch_key(b, j, &n)          line j's member id
 *   vbr_batch_sum(b, members, steps, ctx, line)
 *                                    line(ctx, b, j) on every line in order
 *                                    (until one returns 0: a failure), with
 *                                    b->id[j] line j's member number, or
 *                                    VBR_NOT_INTERNED (absent, or new since);
 *                                    the steps prefetch the tool's entries
 *   hi = vbr_batch_window(b, lo, members, steps, ctx)
 *                                    the members of the window of lines
 *                                    lo..hi-1 (lo < b->n), looked up
 *   vbr_batch_intern(b, j, members, memo)
 *                                    line j's member number, the id added
 *                                    now (a member new since the lookup,
 *                                    behind the memo: its lines come together)
 *   vbr_batch_clear(b), vbr_batch_free(b)
 */
#ifndef VBR_BATCH_H
#define VBR_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "intern.h"

#define VBR_BATCH_LINES 4096
#define VBR_BATCH_KEY_BYTES (4096 * 32)
#define VBR_BATCH_STEPS 2
#define VBR_BATCH_WINDOW 256    /* lines looked up together, then summed */

/* Prefetch what member id's entries hold (a hint: changes no result). */
typedef void vbr_batch_fn(void *ctx, uint32_t id);

struct vbr_batch {
	unsigned n;
	size_t item_size;
	char *item;                     /* VBR_BATCH_LINES items */
	char *keys;                     /* the lines' member ids, end to end */
	size_t nkeys, capkeys;
	uint32_t key_off[VBR_BATCH_LINES], key_n[VBR_BATCH_LINES];
	uint32_t cur[VBR_BATCH_LINES];  /* operand (reader's cur) */
	uint64_t lineno[VBR_BATCH_LINES];
	uint32_t hash[VBR_BATCH_LINES], id[VBR_BATCH_LINES];
};

void vbr_batch_init(struct vbr_batch *b, size_t item_size);
void vbr_batch_add_key(struct vbr_batch *b, const char *key, size_t n);
unsigned vbr_batch_window(struct vbr_batch *b, unsigned lo, const struct vbr_intern *members,
			  vbr_batch_fn *const steps[VBR_BATCH_STEPS], void *ctx);
void vbr_batch_free(struct vbr_batch *b);

static inline int vbr_batch_full(const struct vbr_batch *b)
{
	return b->n == VBR_BATCH_LINES || b->nkeys >= VBR_BATCH_KEY_BYTES;
}

static inline void *vbr_batch_item(const struct vbr_batch *b, unsigned j)
{
	return b->item + (size_t)j * b->item_size;
}

/* Copy an id of 4 to 16 bytes as two overlapping loads and stores (no
 * call), never reading outside key[0..n). */
static inline __attribute__((always_inline))
void vbr_batch_copy_short(char *to, const char *key, size_t n)
{
	/* each size a constant: a memcpy of a variable size becomes a slow
	 * `rep movsb` */
	if (n >= 8) {
		uint64_t x, y;
		memcpy(&x, key, 8);
		memcpy(&y, key + n - 8, 8);
		memcpy(to, &x, 8);
		memcpy(to + n - 8, &y, 8);
	} else {
		uint32_t x, y;
		memcpy(&x, key, 4);
		memcpy(&y, key + n - 4, 4);
		memcpy(to, &x, 4);
		memcpy(to + n - 4, &y, 4);
	}
}

/* Inline, with the item's size known where it is called: it is on every
 * claim line's path. */
static inline __attribute__((always_inline))
void *vbr_batch_add(struct vbr_batch *b, const char *key, size_t n, int cur, uint64_t lineno)
{
	unsigned j = b->n++;
	b->key_off[j] = (uint32_t)b->nkeys;
	b->key_n[j] = (uint32_t)n;
	if (n >= 4 && n <= 16 && b->nkeys + 16 <= b->capkeys) {
		vbr_batch_copy_short(b->keys + b->nkeys, key, n);
		b->nkeys += n;
	} else {
		vbr_batch_add_key(b, key, n);
	}
	b->cur[j] = (uint32_t)cur;
	b->lineno[j] = lineno;
	return vbr_batch_item(b, j);
}

static inline const char *vbr_batch_key(const struct vbr_batch *b, unsigned j, size_t *n)
{
	*n = b->key_n[j];
	return b->keys + b->key_off[j];
}

/* Line j's member, interned: for a line whose b->id is VBR_NOT_INTERNED in
 * a tool that adds the members it meets. */
static inline uint32_t vbr_batch_intern(const struct vbr_batch *b, unsigned j,
					struct vbr_intern *members, struct vbr_intern_memo *memo)
{
	size_t n;
	const char *key = vbr_batch_key(b, j, &n);
	return vbr_intern_memo(members, memo, key, n);
}

/* Sum a batch a window at a time: each window's members looked up
 * together, then its lines given to line() in order; stop at a line it
 * fails (returns 0). Inline, so that line() is inlined where it is a
 * tool's static function. */
static inline __attribute__((always_inline))
void vbr_batch_sum(struct vbr_batch *b, const struct vbr_intern *members,
		   vbr_batch_fn *const steps[VBR_BATCH_STEPS], void *ctx,
		   int (*line)(void *ctx, struct vbr_batch *b, unsigned j))
{
	for (unsigned lo = 0, hi; lo < b->n; lo = hi) {
		hi = vbr_batch_window(b, lo, members, steps, ctx);
		for (unsigned j = lo; j < hi; j++)
			if (!line(ctx, b, j))
				return;
	}
}

static inline void vbr_batch_clear(struct vbr_batch *b)
{
	b->n = 0;
	b->nkeys = 0;
}

#endif
