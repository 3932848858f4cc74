/*
 * gzpool.h — gzip writers deflated on worker threads. A tool that writes
 * many gzip streams at once (partition(1)'s shards) spends most of its time
 * in deflate; with a pool, the thread that fills a writer hands each full
 * buffer to the worker the writer belongs to and goes on filling another,
 * and the workers deflate and write on the other cores. Each writer's
 * buffers are deflated by one worker, in the order they were filled, so the
 * stream is the one a plain gzip writer makes.
 *
 *   vbr_gzpool_start(pool, workers)   start the workers (1 or more)
 *   vbr_gzpool_attach(pool, w)        after vbr_writer_create_gzip(w, ...):
 *                                     w's vbr_flush and vbr_writer_close go
 *                                     through the pool (close waits for w)
 *   vbr_gzpool_stop(pool)             after every attached writer is closed
 *   vbr_gzpool_workers()              workers for this machine: its cores
 *
 * The pool holds at most 4 buffers per worker besides the writers' own; a
 * writer that needs one more waits for a worker to free one, so memory is
 * bounded however far the workers fall behind.
 */
#ifndef VBR_GZPOOL_H
#define VBR_GZPOOL_H

#include <pthread.h>
#include <stddef.h>

#include "writer.h"

struct vbr_gzjob;

struct vbr_gzpool {
	pthread_mutex_t mu;
	pthread_cond_t work, freed, done;
	int nworkers, stop;
	pthread_t *thread;
	struct vbr_gzjob **head, **tail;   /* per worker, first in first out */
	char **free_buf;                   /* buffers to fill, of bufsize bytes */
	int nfree, nbuf, maxbuf;
	unsigned next_worker;
};

void vbr_gzpool_start(struct vbr_gzpool *p, int workers);
void vbr_gzpool_attach(struct vbr_gzpool *p, struct vbr_writer *w);
void vbr_gzpool_stop(struct vbr_gzpool *p);
int vbr_gzpool_workers(void);

/* For writer.c: hand w's buffer to its worker (finish: the last one, and
 * wait until the worker has written it). */
void vbr_gzpool_submit(struct vbr_writer *w, int finish);

#endif
