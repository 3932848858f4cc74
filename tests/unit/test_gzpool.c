/* Unit tests: gzip writers deflated by a pool of worker threads give the
 * bytes a plain gzip writer gives, for many writers filled in turn past
 * the pool's bound on buffers; a failed write on a worker exits 74. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <zlib.h>

#include "fixtures.h"
#include "gzpool.h"
#include "writer.h"

#define WRITERS 7

/* Line i of writer k: distinct per writer and line, so a buffer deflated
 * in the wrong stream or out of order shows. */
static int line(char *b, int k, int i)
{
	return snprintf(b, 64, "M%08d\tw%d\t%d.%02d\n", i * 7919 % 1000003, k, i % 9973, i % 100);
}

/* The decompressed contents of a gzip file (zlib's gzread). */
static char *gunzip(const char *path, size_t *n)
{
	gzFile g = gzopen(path, "rb");
	cr_assert_not_null(g, "%s: cannot open", path);
	size_t cap = 1 << 20, len = 0;
	char *d = malloc(cap);
	int k;
	while ((k = gzread(g, d + len, (unsigned)(cap - len))) > 0) {
		len += (size_t)k;
		if (len == cap)
			d = realloc(d, cap *= 2);
	}
	cr_assert_geq(k, 0);
	gzclose(g);
	*n = len;
	return d;
}

Test(gzpool, many_writers_same_bytes_as_plain_gzip)
{
	struct vbr_gzpool pool;
	struct vbr_writer pw[WRITERS], plain[WRITERS];
	char pp[WRITERS][256], lp[WRITERS][256], b[64];
	vbr_gzpool_start(&pool, 3);
	for (int k = 0; k < WRITERS; k++) {
		char name[16];
		snprintf(name, sizeof name, "pool%d.gz", k);
		snprintf(pp[k], sizeof pp[k], "%s", fx_path(name));
		snprintf(name, sizeof name, "plain%d.gz", k);
		snprintf(lp[k], sizeof lp[k], "%s", fx_path(name));
		vbr_writer_create_gzip(&pw[k], pp[k], 1);
		vbr_gzpool_attach(&pool, &pw[k]);
		vbr_writer_create_gzip(&plain[k], lp[k], 1);
	}
	/* about 2 MB per writer, 64 KiB buffers: ~30 hand-overs each, far past
	 * the pool's 4 spare buffers per worker */
	for (int i = 0; i < 80000; i++)
		for (int k = 0; k < WRITERS; k++) {
			int n = line(b, k, i);
			if (k == 3 && i % 2)
				continue;       /* writers of different lengths */
			vbr_put(&pw[k], b, (size_t)n);
			vbr_put(&plain[k], b, (size_t)n);
		}
	for (int k = 0; k < WRITERS; k++) {
		vbr_writer_close(&pw[k]);
		vbr_writer_close(&plain[k]);
	}
	vbr_gzpool_stop(&pool);
	for (int k = 0; k < WRITERS; k++) {
		size_t np, nl;
		char *dp = fx_slurp(pp[k], &np), *dl = fx_slurp(lp[k], &nl);
		cr_assert_eq(np, nl, "writer %d: %zu bytes, a plain gzip writer %zu", k, np, nl);
		cr_assert(memcmp(dp, dl, np) == 0, "writer %d: bytes differ from a plain gzip writer", k);
		free(dp);
		free(dl);
		/* and the text is what was put, in order */
		size_t n;
		char *t = gunzip(pp[k], &n);
		size_t off = 0;
		for (int i = 0; i < 80000; i++) {
			if (k == 3 && i % 2)
				continue;
			int m = line(b, k, i);
			cr_assert(off + (size_t)m <= n && memcmp(t + off, b, (size_t)m) == 0,
				  "writer %d line %d", k, i);
			off += (size_t)m;
		}
		cr_assert_eq(off, n);
		free(t);
	}
}

static void redirect(void)
{
	cr_redirect_stderr();
}

Test(gzpool, write_error_on_a_worker_exits_74, .init = redirect, .exit_code = 74)
{
	struct vbr_gzpool pool;
	struct vbr_writer w;
	char b[64];
	vbr_gzpool_start(&pool, 2);
	vbr_writer_create_gzip(&w, "/dev/full", 0);
	vbr_gzpool_attach(&pool, &w);
	for (int i = 0; i < 100000; i++)
		vbr_put(&w, b, (size_t)line(b, 0, i));
	vbr_writer_close(&w);
	vbr_gzpool_stop(&pool);
}
