/* writer.c — block-buffered, fully checked output. */
#include "writer.h"
#include "error.h"
#include "gzpool.h"
#include "money.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define WRITE_BLOCK (256 * 1024)
#define GZIP_BLOCK (64 * 1024)   /* a writer of many shards holds many */

/* A gzip writer's deflate stream and its output block. */
struct vbr_deflate {
	z_stream z;
	unsigned char out[GZIP_BLOCK];
};

void vbr_writer_fd(struct vbr_writer *w, int fd, const char *name)
{
	w->gz = NULL;
	w->pool = NULL;
	w->pending = 0;
	w->fd = fd;
	w->cap = WRITE_BLOCK;
	w->len = 0;
	w->buf = vbr_xmalloc(w->cap);
	w->name = vbr_xstrdup(name);
}

void vbr_writer_create(struct vbr_writer *w, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		vbr_die_errno(EX_IOERR, "%s: cannot create", path);
	vbr_writer_fd(w, fd, path);
}

/* gzip (zlib's gzip wrapper, windowBits 15 + 16) at `level`, through a
 * smaller buffer than plain output. */
void vbr_writer_create_gzip(struct vbr_writer *w, const char *path, int level)
{
	vbr_writer_create(w, path);
	free(w->buf);
	w->cap = GZIP_BLOCK;
	w->buf = vbr_xmalloc(w->cap);
	w->gz = vbr_xcalloc(1, sizeof *w->gz);
	if (deflateInit2(&w->gz->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		vbr_die(EX_SOFTWARE, "%s: zlib cannot start a gzip stream", path);
}

/* Write n bytes to the descriptor, retrying short writes. */
static void write_all(struct vbr_writer *w, const char *p, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t k = write(w->fd, p + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EPIPE && w->fd == 1)
			exit(0);        /* the reader of stdout went away: done */
		if (k <= 0)
			vbr_die_errno(EX_IOERR, "%s: write error", w->name);
		off += (size_t)k;
	}
}

/* Deflate n bytes and write what comes out; finish also ends the gzip
 * member (its CRC and length). */
void vbr_writer_deflate(struct vbr_writer *w, const char *p, size_t n, int finish)
{
	z_stream *z = &w->gz->z;
	int flush = finish ? Z_FINISH : Z_NO_FLUSH;
	z->next_in = (unsigned char *)p;
	z->avail_in = (uInt)n;
	int rc;
	do {
		z->next_out = w->gz->out;
		z->avail_out = sizeof w->gz->out;
		rc = deflate(z, flush);
		if (rc == Z_STREAM_ERROR)
			vbr_die(EX_SOFTWARE, "%s: zlib deflate failed", w->name);
		write_all(w, (const char *)w->gz->out, sizeof w->gz->out - z->avail_out);
	} while (z->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

/* Write out the whole buffer (compressed, for a gzip writer). */
void vbr_flush(struct vbr_writer *w)
{
	if (w->pool)
		vbr_gzpool_submit(w, 0);        /* the pool's worker deflates it */
	else if (w->gz)
		vbr_writer_deflate(w, w->buf, w->len, 0);
	else
		write_all(w, w->buf, w->len);
	w->len = 0;
}

void vbr_put_slow(struct vbr_writer *w, const char *p, size_t n)
{
	while (n > 0) {
		if (w->len == w->cap)
			vbr_flush(w);
		size_t k = w->cap - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
	}
}

void vbr_put_cents(struct vbr_writer *w, int64_t cents)
{
	char b[32];
	vbr_put(w, b, vbr_format_cents(b, cents));
}

/* Digits by hand, not snprintf: counts are written on every row. */
void vbr_put_int(struct vbr_writer *w, int64_t v)
{
	char b[32];
	vbr_put(w, b, vbr_format_fixed(b, v, 0, 0));
}

void vbr_writer_close(struct vbr_writer *w)
{
	if (!w->buf)
		return;
	if (w->gz) {
		if (w->pool)
			vbr_gzpool_submit(w, 1);   /* written by its worker; w->buf now the pool's */
		else
			vbr_writer_deflate(w, w->buf, w->len, 1);
		deflateEnd(&w->gz->z);
		free(w->gz);
		w->gz = NULL;
		w->pool = NULL;
		w->len = 0;
	} else {
		vbr_flush(w);
	}
	if (close(w->fd) != 0 && errno != EINTR)
		vbr_die_errno(EX_IOERR, "%s: write error on close", w->name);
	free(w->buf);
	free(w->name);
	w->buf = NULL;
	w->name = NULL;
}

void vbr_put_tab_cents(struct vbr_writer *w, int64_t cents)
{
	vbr_putc(w, '\t');
	vbr_put_cents(w, cents);
}

void vbr_put_tab_fixed(struct vbr_writer *w, int64_t v, int scale, int decimals)
{
	char b[48];
	vbr_putc(w, '\t');
	vbr_put(w, b, vbr_format_fixed(b, v, scale, decimals));
}
