/*
 * handoff.h — a tool's claim loop (or cohort-select's eligibility loop) in
 * two halves: the reading half (split each line, parse and check its
 * fields, reject or count it, add what is left to a batch: batch.h) and the
 * summing half (a batch's members looked up together, their sums added),
 * on two threads when the input is one file of 4 MiB or more, so that on
 * two cores summing costs no time beside reading. Claims by paid date cost
 * more to sum than claims by member (cache misses); on its own core that
 * cost is hidden while the reader is the slower half. A gzip file's inflating thread is a third, lighter one
 * (ISA-L inflates several times faster than the lines are read). Standard
 * input and files under 4 MiB keep one thread; the batches and their order
 * are the same either way, so is every result.
 *
 *   vbr_handoff_start(h, r, item_size, sum, ctx, threads)
 *                            sum(ctx, batch) is called on each batch, in
 *                            order; threads: a second thread (see
 *                            vbr_handoff_threads) or none
 *   vbr_handoff_add(h, &item, sizeof item, key, n)
 *                            the current record's item (copied; r's place)
 *                            and member id key[0..n)
 *   vbr_handoff_item(h, key, n), then vbr_handoff_added(h)
 *                            the same, the item filled in place (a large
 *                            item: no copy of it)
 *   vbr_handoff_stopped(h)   the summing half failed: stop reading
 *   vbr_handoff_fail(h, b, j, fmt, ...)
 *                            (summing half) line j of batch b is bad data:
 *                            the run ends 65 naming its place, after the
 *                            batches before it; nothing later is summed
 *   vbr_handoff_finish(h)    sum the last batch, wait for the thread; a
 *                            failure dies here (65, "file:line: message")
 *   vbr_handoff_threads(r)   do two threads pay for r's claims?
 *
 * Messages keep the order of the lines: an error of the reading half (a
 * fatal reject, a malformed record) first sums what was read before it,
 * so an earlier line's failure in the summing half is the one named. With
 * --rejects, the rejects of up to a few batches after a failing line may
 * be written before the run ends.
 */
#ifndef VBR_HANDOFF_H
#define VBR_HANDOFF_H

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "batch.h"
#include "reader.h"

#define VBR_HANDOFF_BATCHES 4

/* Between a tool's fields the reading half uses and those the summing
 * half writes, so that no cache line holds both: a line written on one
 * core and read on the other moves between them at every write. */
#define VBR_HANDOFF_PAD(name) char name[64]

typedef void vbr_handoff_fn(void *ctx, struct vbr_batch *b);

struct vbr_handoff {
	struct vbr_reader *r;
	vbr_handoff_fn *sum;
	void *ctx;
	struct vbr_batch b[VBR_HANDOFF_BATCHES];
	struct vbr_batch *filling;      /* the reading half's */
	unsigned filled, summed;        /* batches handed over, summed */
	int threaded, done, summing;
	atomic_int stop;
	pthread_t thread, reading;
	pthread_mutex_t mu;
	pthread_cond_t ready, free;
	/* the first failure of the summing half */
	uint32_t fail_cur;
	uint64_t fail_line;
	char fail_msg[256];
};

void vbr_handoff_start(struct vbr_handoff *h, struct vbr_reader *r, size_t item_size,
		       vbr_handoff_fn *sum, void *ctx, int threads);
void vbr_handoff_hand(struct vbr_handoff *h);
void vbr_handoff_fail(struct vbr_handoff *h, const struct vbr_batch *b, unsigned j,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void vbr_handoff_finish(struct vbr_handoff *h);
int vbr_handoff_threads(const struct vbr_reader *r);

static inline __attribute__((always_inline))
void *vbr_handoff_item(struct vbr_handoff *h, const char *key, size_t n)
{
	return vbr_batch_add(h->filling, key, n, h->r->cur, h->r->lineno);
}

static inline __attribute__((always_inline))
void vbr_handoff_added(struct vbr_handoff *h)
{
	if (vbr_batch_full(h->filling))
		vbr_handoff_hand(h);
}

static inline __attribute__((always_inline))
void vbr_handoff_add(struct vbr_handoff *h, const void *item, size_t item_size, const char *key,
		     size_t n)
{
	memcpy(vbr_handoff_item(h, key, n), item, item_size);
	vbr_handoff_added(h);
}

static inline int vbr_handoff_stopped(struct vbr_handoff *h)
{
	return atomic_load_explicit(&h->stop, memory_order_relaxed);
}

#endif
