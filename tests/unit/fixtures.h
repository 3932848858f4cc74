/* fixtures.h — files the unit tests read: plain, gzip, tar.gz and zip,
 * written into a fresh temporary directory with zlib and libarchive. */
#ifndef VBR_TEST_FIXTURES_H
#define VBR_TEST_FIXTURES_H

#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char fixture_dir[64];

static void fx_cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fixture_dir);
}

static inline const char *fx_path(const char *name)
{
	static char buf[8][256];
	static int k;
	if (!fixture_dir[0]) {
		strcpy(fixture_dir, "/tmp/vbr-test-XXXXXX");
		cr_assert_not_null(mkdtemp(fixture_dir));
		atexit(fx_cleanup);
	}
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", fixture_dir, name);
	return buf[k];
}

static inline const char *fx_write(const char *name, const void *data, size_t n)
{
	const char *p = fx_path(name);
	FILE *f = fopen(p, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
	return p;
}

static inline const char *fx_text(const char *name, const char *text)
{
	return fx_write(name, text, strlen(text));
}

static inline const char *fx_gzip(const char *name, const char *text)
{
	const char *p = fx_path(name);
	gzFile g = gzopen(p, "wb");
	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
	cr_assert_eq(gzclose(g), Z_OK);
	return p;
}

/* An archive (format "zip" or "tar.gz") holding members name[i] = text[i]. */
static inline const char *fx_archive(const char *name, const char *format, int n,
				     const char *const *names, const char *const *texts)
{
	const char *p = fx_path(name);
	struct archive *a = archive_write_new();
	if (strcmp(format, "zip") == 0) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	}
	cr_assert_eq(archive_write_open_filename(a, p), ARCHIVE_OK);
	for (int i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_size(e, (la_int64_t)strlen(texts[i]));
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK);
		cr_assert_eq(archive_write_data(a, texts[i], strlen(texts[i])),
			     (la_ssize_t)strlen(texts[i]));
		archive_entry_free(e);
	}
	cr_assert_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return p;
}

/* Read a whole file into a malloc'd buffer. */
static inline char *fx_slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)len + 1);
	cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
	b[len] = 0;
	fclose(f);
	*n = (size_t)len;
	return b;
}

#endif
