/*
 * ahead.h — member look-ahead: start loading a member's table entries a few
 * records before the reader gets to them, so that claims in the order payers
 * ship them (by paid date, by claim number: one member's lines scattered
 * through the file) cost what claims sorted by member cost. Without it,
 * every line of a member not seen lately waits on a chain of cache misses:
 * the intern slot, then the tool's per-member entry, then what that entry
 * points to.
 *
 * Prefetching is a hint: nothing read ahead changes a result. Each line past
 * the current record (the reader's look-ahead, vbr_reader_ahead) is taken
 * in steps as it comes nearer, D lines apart:
 *   (VBR_AHEAD_STEPS + 1) D lines ahead: its member id (up to 16 bytes) is
 *        copied and hashed, and its intern slot prefetched;
 *   VBR_AHEAD_STEPS D ahead: the id is found (its slot is in cache now, and
 *        holds the id's bytes) and step[0](ctx, id) called: the tool
 *        prefetches its per-member entry;
 *   each D nearer: step[1], step[2] (NULL: none): the tool prefetches what
 *        the entries prefetched at the step before point to.
 * The id found is kept for the record itself (vbr_ahead_member), which
 * then needs no lookup.
 *
 * Used where a line's fate depends on its member's entries (cohort-select's
 * eligibility: a month given twice is a reject), so the reading cannot run
 * ahead of the lookups. The claim loops, whose lines are checked without
 * them (attribute, cap-large-claims, cohort-select --exclude-dx), take
 * their lines a batch at a time instead (batch.h, handoff.h), which measured
 * faster: on the bench's 9.36M lines by paid date, --sum-only on one
 * thread 1.53 s against this look-ahead's 1.72 s (member order 1.17 s
 * against 1.15 s), a third of whose time was its own work — scanning each
 * line ahead again for its member (memchr), hashing, probing. Also tried
 * and not taken: member tables in 256 parts by hash, each line queued in
 * its part's run of 128 and a run applied at a time (1.81 s against 1.74 s
 * then; member order 1.38 s against 1.24 s), and 1024 parts × 512
 * (2.75 s): a part's sums are cold again by its next run.
 *
 * Claims sorted by member need none of it: the member of one record in 16
 * is compared with the record's before it, and a window in which most such
 * pairs had the same member turns the look-ahead off for the next window (a
 * member's entries are in cache already); off, a record costs a counter.
 *
 *   vbr_ahead_init(a, members, col, steps, ctx)   steps: up to
 *                              VBR_AHEAD_STEPS functions, NULL-padded
 *   vbr_ahead_step(a, r)       after each vbr_reader_next
 *   vbr_ahead_member(a, p, n)  the current record's member id as the
 *                              look-ahead found it (p[0..n) compared in
 *                              full), or VBR_NOT_INTERNED: then look it up
 */
#ifndef VBR_AHEAD_H
#define VBR_AHEAD_H

#include <stdint.h>

#include "intern.h"
#include "reader.h"

#define VBR_AHEAD_D 8           /* lines between steps: ~ a miss's latency */
#define VBR_AHEAD_STEPS 2
#define VBR_AHEAD_RING 32       /* > (VBR_AHEAD_STEPS + 1) D, a power of two */
#define VBR_AHEAD_SAMPLE 16     /* one pair of records judged in this many */
#define VBR_AHEAD_WINDOW 16     /* pairs judged between on/off decisions */

typedef void vbr_ahead_fn(void *ctx, uint32_t id);

struct vbr_ahead_line {
	uint32_t hash, id, n;   /* n: UINT32_MAX for an id too long to copy */
	char key[16];
};

struct vbr_ahead {
	const struct vbr_intern *members;
	int col;
	vbr_ahead_fn *step[VBR_AHEAD_STEPS];
	void *ctx;
	struct vbr_ahead_line e[VBR_AHEAD_RING];   /* e[first] is 1 line ahead */
	unsigned first, n;
	unsigned done[VBR_AHEAD_STEPS];     /* leading lines past each step */
	int current;            /* the ring entry of the current record, or -1 */
	/* the window: pairs judged, those of one member; records counted */
	unsigned seen, repeats, on, tick;
	uint64_t last[2];
	size_t last_n;
};

void vbr_ahead_init(struct vbr_ahead *a, const struct vbr_intern *members, int col,
		    vbr_ahead_fn *const steps[VBR_AHEAD_STEPS], void *ctx);
void vbr_ahead_run(struct vbr_ahead *a, struct vbr_reader *r, unsigned phase);

static inline void vbr_ahead_step(struct vbr_ahead *a, struct vbr_reader *r)
{
	unsigned phase = ++a->tick % VBR_AHEAD_SAMPLE;
	if (a->on || a->n || phase <= 1)
		vbr_ahead_run(a, r, phase);
	else
		a->current = -1;
}

static inline uint32_t vbr_ahead_member(const struct vbr_ahead *a, const char *p, size_t n)
{
	if (a->current < 0)
		return VBR_NOT_INTERNED;
	const struct vbr_ahead_line *e = &a->e[a->current];
	return e->n == n && vbr_same_bytes(e->key, p, n) ? e->id : VBR_NOT_INTERNED;
}

#endif
