/*
 * writer.h — buffered output with every write checked (vbr(7), Errors). A failed
 * write (disk full, closed descriptor) exits 74 naming the output. EPIPE on
 * standard output (its reader went away, as with `| head`) ends the tool
 * quietly with 0; on any other output (--rejects, --draws) it is a failed
 * write, 74: records were lost. SIGPIPE is ignored (cli.c) so that a
 * broken pipe is seen here, not as death by signal.
 *
 *   vbr_writer_fd(w, fd, name)   write to a descriptor (stdout: 1, "(stdout)")
 *   vbr_writer_create(w, path)   create or truncate a file; 74 on failure
 *   vbr_writer_create_gzip(w, path, level)
 *                                the same, gzip-compressed (zlib, level 0-9);
 *                                the gzip member ends at vbr_writer_close
 *   vbr_put(w, p, n), vbr_puts, vbr_putc, vbr_put_cents, vbr_put_int
 *   vbr_put_tab_cents(w, c), vbr_put_tab_fixed(w, v, scale, decimals)
 *                                a TAB, then the value (a column after the first)
 *   vbr_flush(w)                 write out the buffer (headers: at once)
 *   vbr_writer_close(w)          flush and close, checking both
 */
#ifndef VBR_WRITER_H
#define VBR_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vbr_gzpool;

struct vbr_writer {
	int fd;
	char *buf;
	size_t len, cap;
	char *name;
	struct vbr_deflate *gz;  /* gzip output, or NULL */
	/* a gzip writer deflated by a pool's worker (gzpool.h), or NULL; its
	 * worker and how many of its buffers the worker has not written */
	struct vbr_gzpool *pool;
	int pool_worker;
	unsigned pending;
};

void vbr_writer_fd(struct vbr_writer *w, int fd, const char *name);
void vbr_writer_create(struct vbr_writer *w, const char *path);
void vbr_writer_create_gzip(struct vbr_writer *w, const char *path, int level);
void vbr_flush(struct vbr_writer *w);
void vbr_writer_close(struct vbr_writer *w);
void vbr_put_slow(struct vbr_writer *w, const char *p, size_t n);
void vbr_put_cents(struct vbr_writer *w, int64_t cents);
void vbr_put_int(struct vbr_writer *w, int64_t v);
void vbr_put_tab_cents(struct vbr_writer *w, int64_t cents);
void vbr_put_tab_fixed(struct vbr_writer *w, int64_t v, int scale, int decimals);
/* For gzpool.c: deflate n bytes into gzip writer w's stream and write what
 * comes out (finish: end the gzip member). */
void vbr_writer_deflate(struct vbr_writer *w, const char *p, size_t n, int finish);

static inline void vbr_put(struct vbr_writer *w, const char *p, size_t n)
{
	if (w->cap - w->len >= n) {
		memcpy(w->buf + w->len, p, n);
		w->len += n;
	} else {
		vbr_put_slow(w, p, n);
	}
}

static inline void vbr_putc(struct vbr_writer *w, char c)
{
	if (w->len == w->cap)
		vbr_flush(w);
	w->buf[w->len++] = c;
}

static inline void vbr_puts(struct vbr_writer *w, const char *s)
{
	vbr_put(w, s, strlen(s));
}

#endif
