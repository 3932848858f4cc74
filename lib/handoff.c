/* handoff.c — the reading and summing halves of a claim loop, on one
 * thread or two (handoff.h). */
#include "handoff.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

/* The handoff whose batches an error of the reading half sums first. */
static struct vbr_handoff *live;

/* vbr_die_first: an error on the reading thread, while no batch is being
 * summed on it, sums the batches read before it; an earlier line's
 * failure there is then the error named (vbr_handoff_finish dies). */
static void sum_before_dying(void)
{
	struct vbr_handoff *h = live;
	if (h && !h->summing && pthread_equal(pthread_self(), h->reading))
		vbr_handoff_finish(h);
}

static void *summing_thread(void *arg)
{
	struct vbr_handoff *h = arg;
	for (;;) {
		pthread_mutex_lock(&h->mu);
		while (h->summed == h->filled && !h->done)
			pthread_cond_wait(&h->ready, &h->mu);
		int end = h->summed == h->filled;
		pthread_mutex_unlock(&h->mu);
		if (end)
			return NULL;
		struct vbr_batch *b = &h->b[h->summed % VBR_HANDOFF_BATCHES];
		if (!vbr_handoff_stopped(h))
			h->sum(h->ctx, b);
		vbr_batch_clear(b);
		pthread_mutex_lock(&h->mu);
		h->summed++;
		pthread_cond_signal(&h->free);
		pthread_mutex_unlock(&h->mu);
	}
}

void vbr_handoff_start(struct vbr_handoff *h, struct vbr_reader *r, size_t item_size,
		       vbr_handoff_fn *sum, void *ctx, int threads)
{
	memset(h, 0, sizeof *h);
	h->r = r;
	h->sum = sum;
	h->ctx = ctx;
	h->reading = pthread_self();
	atomic_init(&h->stop, 0);
	for (int i = 0; i < (threads ? VBR_HANDOFF_BATCHES : 1); i++)
		vbr_batch_init(&h->b[i], item_size);
	if (threads) {
		pthread_mutex_init(&h->mu, NULL);
		pthread_cond_init(&h->ready, NULL);
		pthread_cond_init(&h->free, NULL);
		h->threaded = pthread_create(&h->thread, NULL, summing_thread, h) == 0;
		if (!h->threaded) {     /* no thread: one does both halves */
			for (int i = 1; i < VBR_HANDOFF_BATCHES; i++)
				vbr_batch_free(&h->b[i]);
			pthread_mutex_destroy(&h->mu);
			pthread_cond_destroy(&h->ready);
			pthread_cond_destroy(&h->free);
		}
	}
	h->filling = &h->b[0];
	live = h;
	__atomic_store_n(&vbr_die_first, sum_before_dying, __ATOMIC_SEQ_CST);
}

/* The batch being filled is full (or the last): sum it here, or hand it
 * to the summing thread and wait for a free one. */
void vbr_handoff_hand(struct vbr_handoff *h)
{
	if (!h->threaded) {
		struct vbr_batch *b = &h->b[0];
		if (!vbr_handoff_stopped(h)) {
			h->summing = 1;
			h->sum(h->ctx, b);
			h->summing = 0;
		}
		vbr_batch_clear(b);
		return;
	}
	pthread_mutex_lock(&h->mu);
	h->filled++;
	pthread_cond_signal(&h->ready);
	while (h->filled - h->summed >= VBR_HANDOFF_BATCHES)
		pthread_cond_wait(&h->free, &h->mu);
	h->filling = &h->b[h->filled % VBR_HANDOFF_BATCHES];
	pthread_mutex_unlock(&h->mu);
}

void vbr_handoff_fail(struct vbr_handoff *h, const struct vbr_batch *b, unsigned j,
		      const char *fmt, ...)
{
	if (vbr_handoff_stopped(h))
		return;
	h->fail_cur = b->cur[j];
	h->fail_line = b->lineno[j];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->fail_msg, sizeof h->fail_msg, fmt, ap);
	va_end(ap);
	atomic_store(&h->stop, 1);
}

void vbr_handoff_finish(struct vbr_handoff *h)
{
	if (live != h)
		return;                 /* finished already (an error's summing) */
	live = NULL;
	__atomic_store_n(&vbr_die_first, NULL, __ATOMIC_SEQ_CST);
	if (h->filling->n)
		vbr_handoff_hand(h);
	int n = 1;
	if (h->threaded) {
		pthread_mutex_lock(&h->mu);
		h->done = 1;
		pthread_cond_signal(&h->ready);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
		pthread_mutex_destroy(&h->mu);
		pthread_cond_destroy(&h->ready);
		pthread_cond_destroy(&h->free);
		n = VBR_HANDOFF_BATCHES;
	}
	for (int i = 0; i < n; i++)
		vbr_batch_free(&h->b[i]);
	if (vbr_handoff_stopped(h))
		vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place_at(h->r, h->fail_cur, h->fail_line),
			h->fail_msg);
}

int vbr_handoff_threads(const struct vbr_reader *r)
{
	return vbr_reader_big_file(r);
}
