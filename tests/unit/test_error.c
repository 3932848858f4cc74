/* Unit tests: the die hook and the cleanup stack the fuzzing harnesses use
 * (lib/error.h) — what a bad input opened is closed, newest first, before
 * the hook jumps back, and a closed object is no longer on the stack. */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <string.h>

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
