/*
 * error.h — one error grammar and the sysexits status codes for every tool.
 *
 *   vbr_progname        name used as the first word of every message
 *   vbr_die(st, ...)    print "tool: message" and end the process at once
 *                       with status st (stdio flushed, no exit handlers)
 *   vbr_warn(...)       print "tool: message", go on
 *   vbr_die_errno(...)  like vbr_die, appending ": strerror(errno)"
 *   vbr_xmalloc & co.   allocation that dies (status 70) instead of failing
 *   vbr_grow(t, &cap, need, size)   grow a table of `cap` entries to hold
 *                       `need`; returns the (moved) table, updates cap
 *   vbr_grow_zeroed     the same, new entries zero
 *   vbr_grow_mapped     the same, a table of pages of its own (page-aligned,
 *                       zeroed, huge pages asked for); vbr_free_mapped(t,
 *                       cap, size) frees it
 *   vbr_free_strings(v, n)   free n strings and the array holding them
 *
 * Exit status (vbr(7)): 0 ok, 64 usage/terms, 65 data, 66 cannot open,
 * 70 internal, 74 I/O.
 */
#ifndef VBR_ERROR_H
#define VBR_ERROR_H

#include <stddef.h>
#include <sysexits.h>

extern const char *vbr_progname;

/* The fuzzing harnesses (tests/fuzz) set this to a function that
 * longjmps back into the harness, so one bad input ends one run, not the
 * fuzzer; it is called where the process would end and must not return.
 * Tools leave it NULL. */
extern void (*vbr_die_hook)(int status);

/* Called (once: it is cleared first) by vbr_die before its message: a
 * claim loop on two halves (handoff.h) sums the lines read before the
 * error, so that an earlier line's error is the one named. */
extern void (*vbr_die_first)(void);

/* What an error path leaves open (readers, sources) registers here so that
 * the harnesses' hook can close it first: vbr_die runs the registered
 * cleanups, newest first, only when vbr_die_hook is set. */
void vbr_cleanup_push(void (*fn)(void *), void *arg);
void vbr_cleanup_pop(const void *arg);

void vbr_die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void vbr_die_errno(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void vbr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *vbr_xmalloc(size_t n);
void *vbr_xcalloc(size_t n, size_t size);
void *vbr_xrealloc(void *p, size_t n);
char *vbr_xstrdup(const char *s);
char *vbr_xstrndup(const char *s, size_t n);
void *vbr_grow_slow(void *table, size_t *cap, size_t need, size_t size);
void *vbr_grow_zeroed_slow(void *table, size_t *cap, size_t need, size_t size);

/* The check is inline: tables indexed by member are "grown" once per
 * record, and almost always already hold the entry. */
static inline void *vbr_grow(void *table, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? table : vbr_grow_slow(table, cap, need, size);
}

static inline void *vbr_grow_zeroed(void *table, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? table : vbr_grow_zeroed_slow(table, cap, need, size);
}
void *vbr_grow_mapped_slow(void *table, size_t *cap, size_t need, size_t size);
size_t vbr_mapped_bytes(size_t cap, size_t size);
void vbr_free_mapped(void *table, size_t cap, size_t size);

static inline void *vbr_grow_mapped(void *table, size_t *cap, size_t need, size_t size)
{
	return need <= *cap ? table : vbr_grow_mapped_slow(table, cap, need, size);
}
void vbr_free_strings(char **v, size_t n);

#endif
