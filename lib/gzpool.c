/* gzpool.c — gzip writers deflated on worker threads (gzpool.h). */
#include "gzpool.h"
#include "error.h"

#include <stdlib.h>
#include <unistd.h>

#define BUFFERS_PER_WORKER 4

/* A full buffer of a writer, for its worker. */
struct vbr_gzjob {
	struct vbr_writer *w;
	char *buf;
	size_t len;
	int finish;
	struct vbr_gzjob *next;
};

struct worker_arg {
	struct vbr_gzpool *p;
	int i;
};

/* Worker i: deflate and write its writers' buffers in the order they were
 * handed over, give each buffer back, until the pool stops. A failed write
 * exits the process (74), as on any writer. */
static void *work(void *arg)
{
	struct worker_arg *a = arg;
	struct vbr_gzpool *p = a->p;
	int i = a->i;
	free(a);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head[i] && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		struct vbr_gzjob *j = p->head[i];
		if (!j)
			break;
		p->head[i] = j->next;
		if (!p->head[i])
			p->tail[i] = NULL;
		pthread_mutex_unlock(&p->mu);
		vbr_writer_deflate(j->w, j->buf, j->len, j->finish);
		pthread_mutex_lock(&p->mu);
		p->free_buf[p->nfree++] = j->buf;
		j->w->pending--;
		pthread_cond_signal(&p->freed);
		pthread_cond_broadcast(&p->done);
		free(j);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int vbr_gzpool_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void vbr_gzpool_start(struct vbr_gzpool *p, int workers)
{
	p->nworkers = workers < 1 ? 1 : workers;
	p->stop = 0;
	p->next_worker = 0;
	p->head = vbr_xcalloc((size_t)p->nworkers, sizeof *p->head);
	p->tail = vbr_xcalloc((size_t)p->nworkers, sizeof *p->tail);
	p->maxbuf = BUFFERS_PER_WORKER * p->nworkers;
	/* the writers' own buffers come back here too: room for them all is
	 * made as they attach */
	p->free_buf = vbr_xcalloc((size_t)p->maxbuf, sizeof *p->free_buf);
	p->nfree = p->nbuf = 0;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->freed, NULL);
	pthread_cond_init(&p->done, NULL);
	p->thread = vbr_xcalloc((size_t)p->nworkers, sizeof *p->thread);
	for (int i = 0; i < p->nworkers; i++) {
		struct worker_arg *a = vbr_xmalloc(sizeof *a);
		a->p = p;
		a->i = i;
		if (pthread_create(&p->thread[i], NULL, work, a) != 0)
			vbr_die(EX_OSERR, "cannot start a gzip worker thread");
	}
}

/* Writer w (a gzip writer, not yet written to) is deflated by the pool,
 * on the next worker in turn. */
void vbr_gzpool_attach(struct vbr_gzpool *p, struct vbr_writer *w)
{
	pthread_mutex_lock(&p->mu);
	w->pool = p;
	w->pool_worker = (int)(p->next_worker++ % (unsigned)p->nworkers);
	w->pending = 0;
	/* each writer's buffer may end up in the free list */
	p->maxbuf++;
	p->free_buf = vbr_xrealloc(p->free_buf, (size_t)p->maxbuf * sizeof *p->free_buf);
	p->nbuf++;
	pthread_mutex_unlock(&p->mu);
}

void vbr_gzpool_submit(struct vbr_writer *w, int finish)
{
	struct vbr_gzpool *p = w->pool;
	struct vbr_gzjob *j = vbr_xmalloc(sizeof *j);
	j->w = w;
	j->buf = w->buf;
	j->len = w->len;
	j->finish = finish;
	j->next = NULL;
	pthread_mutex_lock(&p->mu);
	int i = w->pool_worker;
	if (p->tail[i])
		p->tail[i]->next = j;
	else
		p->head[i] = j;
	p->tail[i] = j;
	w->pending++;
	pthread_cond_broadcast(&p->work);
	if (finish) {
		/* the last buffer: wait until the worker has written all of w */
		w->buf = NULL;
		while (w->pending)
			pthread_cond_wait(&p->done, &p->mu);
	} else {
		/* a buffer to go on with: a free one, a new one while under the
		 * bound, else wait for a worker to free one */
		while (!p->nfree && p->nbuf >= p->maxbuf)
			pthread_cond_wait(&p->freed, &p->mu);
		if (p->nfree) {
			w->buf = p->free_buf[--p->nfree];
		} else {
			p->nbuf++;
			w->buf = vbr_xmalloc(w->cap);
		}
	}
	w->len = 0;
	pthread_mutex_unlock(&p->mu);
}

void vbr_gzpool_stop(struct vbr_gzpool *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->thread[i], NULL);
	for (int i = 0; i < p->nfree; i++)
		free(p->free_buf[i]);
	free(p->free_buf);
	free(p->thread);
	free(p->head);
	free(p->tail);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->freed);
	pthread_cond_destroy(&p->done);
}
