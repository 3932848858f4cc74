/* error.c — message grammar "tool: place: message" and exit codes. */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *vbr_progname = "vbr";
void (*vbr_die_hook)(int status);
void (*vbr_die_first)(void);

/* The open objects an error path would leave behind, for the hook only;
 * past the table's size an object is simply not tracked. */
static struct cleanup {
	void (*fn)(void *);
	void *arg;
} cleanups[64];
static int ncleanups;

void vbr_cleanup_push(void (*fn)(void *), void *arg)
{
	if (ncleanups < (int)(sizeof cleanups / sizeof cleanups[0]))
		cleanups[ncleanups++] = (struct cleanup){fn, arg};
}

void vbr_cleanup_pop(const void *arg)
{
	for (int i = ncleanups - 1; i >= 0; i--)
		if (cleanups[i].arg == arg) {
			memmove(&cleanups[i], &cleanups[i + 1],
				(size_t)(ncleanups - i - 1) * sizeof cleanups[0]);
			ncleanups--;
			return;
		}
}

static void vmessage(const char *fmt, va_list ap, int errnum)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", vbr_progname);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

/* An error ends the process at once: stdio is flushed, but no exit handler
 * runs, so a tool that stops mid-work (its archive, reader and tables still
 * open) is not reported as leaking by the sanitizer build's leak check,
 * which stays meaningful for every run that ends normally. */
static void die_now(int status) __attribute__((noreturn));
static void die_now(int status)
{
	fflush(NULL);
	if (vbr_die_hook) {
		while (ncleanups > 0) {
			struct cleanup c = cleanups[--ncleanups];
			c.fn(c.arg);
		}
		vbr_die_hook(status);
	}
	_exit(status);
}

/* Run vbr_die_first once, before an error's message. */
static void first(void)
{
	void (*fn)(void) = __atomic_exchange_n(&vbr_die_first, NULL, __ATOMIC_SEQ_CST);
	if (fn)
		fn();
}

void vbr_die(int status, const char *fmt, ...)
{
	first();
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap, 0);
	va_end(ap);
	die_now(status);
}

void vbr_die_errno(int status, const char *fmt, ...)
{
	int e = errno;
	first();
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap, e);
	va_end(ap);
	die_now(status);
}

void vbr_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage(fmt, ap, 0);
	va_end(ap);
}

void *vbr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		vbr_die(EX_SOFTWARE, "out of memory (%zu bytes)", n);
	return p;
}

void *vbr_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		vbr_die(EX_SOFTWARE, "out of memory (%zu × %zu bytes)", n, size);
	return p;
}

void *vbr_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		vbr_die(EX_SOFTWARE, "out of memory (%zu bytes)", n);
	return q;
}

/* Grow table, of *cap entries of `size` bytes, to at least `need` entries;
 * returns the table, which may have moved. Tables indexed by interned
 * numbers grow this way. Growth by half again (at least 16 entries, at
 * least `need`): amortised constant time per entry, with less slack than
 * doubling. */
void *vbr_grow_slow(void *table, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap + *cap / 2;
	if (n < 16)
		n = 16;
	if (n < need)
		n = need;
	if (n > SIZE_MAX / size)
		vbr_die(EX_SOFTWARE, "out of memory (a table of %zu entries)", n);
	table = vbr_xrealloc(table, n * size);
	*cap = n;
	return table;
}

void *vbr_grow_zeroed_slow(void *table, size_t *cap, size_t need, size_t size)
{
	size_t old = *cap;
	char *p = vbr_grow_slow(table, cap, need, size);
	memset(p + old * size, 0, (*cap - old) * size);
	return p;
}

/* A mapped table: pages of its own, so it starts on a page (an entry of 64
 * bytes is one cache line) and the kernel zeroes it; it grows by doubling
 * in place or by moving its pages (mremap: no copy, no second peak), and
 * asks for huge pages, whose fewer TLB entries matter when the table is
 * read at random (claims in paid-date order). */
void *vbr_grow_mapped_slow(void *table, size_t *cap, size_t need, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (size == 0 || size > page)   /* then *cap's bytes round to the mapping's */
		vbr_die(EX_SOFTWARE, "a mapped table of %zu-byte entries", size);
	size_t n = *cap * 2;
	if (n < need)
		n = need;
	if (n < 1024)
		n = 1024;
	if (n > (SIZE_MAX - page) / size)
		vbr_die(EX_SOFTWARE, "out of memory (a table of %zu entries)", n);
	size_t old = vbr_mapped_bytes(*cap, size), bytes = vbr_mapped_bytes(n, size);
	void *p = table ? mremap(table, old, bytes, MREMAP_MAYMOVE)
			: mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		vbr_die(EX_SOFTWARE, "out of memory (%zu bytes)", bytes);
	(void)madvise(p, bytes, MADV_HUGEPAGE);    /* a hint: without, 4 KiB pages */
	*cap = bytes / size;
	return p;
}

/* The bytes mapped for a table of cap entries: whole pages. */
size_t vbr_mapped_bytes(size_t cap, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (cap * size + page - 1) / page * page;
}

void vbr_free_mapped(void *table, size_t cap, size_t size)
{
	if (table)
		(void)munmap(table, vbr_mapped_bytes(cap, size));
}

char *vbr_xstrdup(const char *s)
{
	return vbr_xstrndup(s, strlen(s));
}

char *vbr_xstrndup(const char *s, size_t n)
{
	char *p = vbr_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void vbr_free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
