/* writer.c — block-buffered, fully checked output. */
#include "writer.h"
#include "error.h"
#include "money.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define WRITE_BLOCK (256 * 1024)

void vbr_writer_fd(struct vbr_writer *w, int fd, const char *name)
{
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

/* Write the whole buffer, retrying short writes. */
void vbr_flush(struct vbr_writer *w)
{
	size_t off = 0;
	while (off < w->len) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE && w->fd == 1)
			exit(0);        /* the reader of stdout went away: done */
		if (n <= 0)
			vbr_die_errno(EX_IOERR, "%s: write error", w->name);
		off += (size_t)n;
	}
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
	vbr_flush(w);
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
