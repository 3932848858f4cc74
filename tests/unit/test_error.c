/* Unit tests: the die hook and the cleanup stack the fuzzing harnesses use
 * (lib/error.h) — what a bad input opened is closed, newest first, before
 * the hook jumps back, and a closed object is no longer on the stack; and
 * the mapped tables of the claim loops. */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

static jmp_buf back;
static char order[16];
static int norder;

static void died(int status)
{
	longjmp(back, status);
}

static void note(void *tag)
{
	order[norder++] = *(const char *)tag;
}

Test(error, die_runs_cleanups_newest_first_then_the_hook)
{
	static const char a = 'a', b = 'b', c = 'c';
	norder = 0;
	memset(order, 0, sizeof order);
	vbr_die_hook = died;
	vbr_cleanup_push(note, (void *)&a);
	vbr_cleanup_push(note, (void *)&b);
	vbr_cleanup_push(note, (void *)&c);
	vbr_cleanup_pop(&b);            /* b was closed normally */
	int status = setjmp(back);
	if (status == 0)
		vbr_die(65, "a bad input");
	vbr_die_hook = NULL;
	cr_expect_eq(status, 65);
	cr_expect_str_eq(order, "ca");  /* newest first; b not again */
	/* the stack is empty: a second die runs nothing */
	norder = 0;
	vbr_die_hook = died;
	if (setjmp(back) == 0)
		vbr_die(74, "again");
	vbr_die_hook = NULL;
	cr_expect_eq(norder, 0);
}

/* A mapped table (vbr_grow_mapped) starts on a page, holds at least what
 * was asked, is zero where nothing was written, and keeps its entries when
 * it grows (and moves). */
Test(error, mapped_table_grows_keeping_entries_zero_elsewhere)
{
	size_t cap = 0;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t *t = vbr_grow_mapped(NULL, &cap, 10, sizeof *t);
	cr_assert_geq(cap, 10);
	cr_expect_eq((uintptr_t)t % (uintptr_t)page, 0);
	for (size_t i = 0; i < cap; i++)
		cr_assert_eq(t[i], 0);
	for (size_t i = 0; i < 10; i++)
		t[i] = i * 7 + 1;
	size_t before = cap;
	t = vbr_grow_mapped(t, &cap, before, sizeof *t);       /* holds it already */
	cr_expect_eq(cap, before);
	t = vbr_grow_mapped(t, &cap, 1000000, sizeof *t);
	cr_assert_geq(cap, 1000000);
	for (size_t i = 0; i < 10; i++)
		cr_expect_eq(t[i], i * 7 + 1);
	for (size_t i = 10; i < cap; i += 4099)
		cr_expect_eq(t[i], 0);
	cr_expect_eq(t[cap - 1], 0);
	t[cap - 1] = 5;                 /* the last entry is in the mapping */
	vbr_free_mapped(t, cap, sizeof *t);
}
