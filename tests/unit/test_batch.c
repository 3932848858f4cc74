/* Unit tests: claim lines in batches (batch.h) and the claim loop's two
 * halves on one thread or two (handoff.h). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "fixtures.h"
#include "handoff.h"
#include "intern.h"
#include "reader.h"

static unsigned calls[VBR_BATCH_STEPS];
static uint32_t last_id[VBR_BATCH_STEPS];

static void step0(void *ctx, uint32_t id)
{
	(void)ctx;
	calls[0]++;
	last_id[0] = id;
}

static void step1(void *ctx, uint32_t id)
{
	(void)ctx;
	calls[1]++;
	last_id[1] = id;
}

Test(batch, members_found_absent_repeated_and_long)
{
	struct vbr_intern members;
	struct vbr_batch b;
	vbr_intern_init(&members);
	/* ids 0, 1, 2: a 9-byte id, a 1-byte id and a 40-byte one (longer than
	 * the 16 bytes copied at once) */
	const char *longid = "L123456789012345678901234567890123456789";
	cr_assert_eq(vbr_intern(&members, "M00000001", 9), 0);
	cr_assert_eq(vbr_intern(&members, "Q", 1), 1);
	cr_assert_eq(vbr_intern(&members, longid, 40), 2);
	vbr_batch_init(&b, sizeof(int64_t));
	/* lines: M1, M1 (a repeat), Q, absent, L..., M1 */
	const char *key[] = {"M00000001", "M00000001", "Q", "M00000009", longid, "M00000001"};
	for (int j = 0; j < 6; j++) {
		int64_t v = 100 + j;
		memcpy(vbr_batch_add(&b, key[j], strlen(key[j]), 0, (uint64_t)j + 2), &v, sizeof v);
	}
	cr_assert_eq(b.n, 6);
	memset(calls, 0, sizeof calls);
	cr_assert_eq(vbr_batch_window(&b, 0, &members, (vbr_batch_fn *const[]){step0, step1}, NULL),
		     6);
	uint32_t want[] = {0, 0, 1, VBR_NOT_INTERNED, 2, 0};
	for (unsigned j = 0; j < 6; j++) {
		cr_assert_eq(b.id[j], want[j], "line %u", j);
		size_t n;
		const char *p = vbr_batch_key(&b, j, &n);
		cr_assert_eq(n, strlen(key[j]));
		cr_assert_eq(memcmp(p, key[j], n), 0);
		int64_t v;
		memcpy(&v, vbr_batch_item(&b, j), sizeof v);
		cr_assert_eq(v, 100 + (int64_t)j);
		cr_assert_eq(b.lineno[j], j + 2);
	}
	/* the steps run once per line found that is not a repeat: M1, Q, L, M1 */
	cr_assert_eq(calls[0], 4);
	cr_assert_eq(calls[1], 4);
	cr_assert_eq(last_id[0], 0);
	vbr_batch_clear(&b);
	cr_assert_eq(b.n, 0);
	vbr_batch_free(&b);
	vbr_intern_free(&members);
}

/* vbr_batch_sum's line function for the window test: adds a member not
 * yet known (as attribute and --sum-only do), records each line's id and
 * whether the window's lookup found it, and fails at line stop_at. */
struct window_walk {
	struct vbr_intern members;
	struct vbr_intern_memo memo;
	uint32_t id[1000];
	int found[1000];
	unsigned lines, stop_at;
};

static int walk_line(void *ctx, struct vbr_batch *b, unsigned j)
{
	struct window_walk *w = ctx;
	cr_assert_eq(j, w->lines, "line %u out of order", j);
	w->found[j] = b->id[j] != VBR_NOT_INTERNED;
	w->id[j] = w->found[j] ? b->id[j] : vbr_batch_intern(b, j, &w->members, &w->memo);
	w->lines++;
	return j != w->stop_at;
}

Test(batch, windows_find_members_added_by_the_windows_before)
{
	/* 1,000 lines, members M0..M399 by line % 400, except lines 255 and
	 * 256 (the first window's last, the second's first: VBR_BATCH_WINDOW
	 * 256) both of member X; every member is new on its first line */
	cr_assert_eq(VBR_BATCH_WINDOW, 256);
	struct vbr_batch b;
	struct window_walk *w = calloc(1, sizeof *w);
	vbr_intern_init(&w->members);
	w->memo = (struct vbr_intern_memo)VBR_MEMO_EMPTY;
	w->stop_at = UINT32_MAX;
	vbr_batch_init(&b, 1);
	char key[16];
	for (unsigned j = 0; j < 1000; j++) {
		int n = j == 255 || j == 256 ? snprintf(key, sizeof key, "X")
					     : snprintf(key, sizeof key, "M%u", j % 400);
		vbr_batch_add(&b, key, (size_t)n, 0, j + 2);
	}
	vbr_batch_sum(&b, &w->members, (vbr_batch_fn *const[]){NULL, NULL}, w, walk_line);
	cr_assert_eq(w->lines, 1000);
	/* ids by first line: M0..M254 0..254, X 255, M257..M399 256..398,
	 * then M255 and M256 (lines 655 and 656) 399 and 400 */
	cr_assert_eq(w->members.count, 401);
	cr_assert_eq(w->id[656], 400);
	cr_assert_eq(w->id[255], 255);
	cr_assert_eq(w->id[256], 255);
	cr_assert_eq(w->id[400], 0);            /* M0 again */
	cr_assert_eq(w->id[657], 256);          /* M257 again */
	/* a line of the second window onwards whose member came in a window
	 * before is found by its window's lookup; the first window's and X's
	 * second line are not (new, or new since: the memo has them), nor
	 * M255's and M256's first lines */
	for (unsigned j = 0; j < 257; j++)
		cr_assert(!w->found[j], "line %u", j);
	for (unsigned j = 400; j < 1000; j++)
		cr_assert_eq(w->found[j], j != 655 && j != 656, "line %u", j);
	/* a line that fails stops the walk there */
	vbr_batch_clear(&b);
	for (unsigned j = 0; j < 600; j++)
		vbr_batch_add(&b, "M1", 2, 0, j + 2);
	w->lines = 0;
	w->stop_at = 300;
	vbr_batch_sum(&b, &w->members, (vbr_batch_fn *const[]){NULL, NULL}, w, walk_line);
	cr_assert_eq(w->lines, 301);
	vbr_batch_free(&b);
	vbr_intern_free(&w->members);
	free(w);
}

Test(batch, full_at_its_lines_or_its_key_bytes)
{
	struct vbr_batch b;
	char key[64];
	vbr_batch_init(&b, 8);
	for (int j = 0; j < VBR_BATCH_LINES - 1; j++)
		vbr_batch_add(&b, "M1", 2, 0, 1);
	cr_assert(!vbr_batch_full(&b));
	vbr_batch_add(&b, "M1", 2, 0, 1);
	cr_assert(vbr_batch_full(&b));
	vbr_batch_clear(&b);
	/* 64-byte ids: full once their bytes reach VBR_BATCH_KEY_BYTES */
	memset(key, 'x', sizeof key);
	unsigned lines = 0;
	while (!vbr_batch_full(&b)) {
		vbr_batch_add(&b, key, sizeof key, 0, 1);
		lines++;
	}
	cr_assert_eq(lines, VBR_BATCH_KEY_BYTES / 64);
	size_t n;
	cr_assert_eq(memcmp(vbr_batch_key(&b, lines - 1, &n), key, 64), 0);
	vbr_batch_free(&b);
}

/* The summing half of the handoff tests: each line's item is the line's
 * number; it checks they come in order, adds them up and fails at
 * fail_at (0: never). */
struct tally {
	struct vbr_handoff *h;
	int64_t next, sum, fail_at;
	unsigned batches;
};

static void tally(void *ctx, struct vbr_batch *b)
{
	struct tally *t = ctx;
	t->batches++;
	for (unsigned j = 0; j < b->n; j++) {
		int64_t v;
		memcpy(&v, vbr_batch_item(b, j), sizeof v);
		cr_assert_eq(v, t->next, "line %lld out of order", (long long)v);
		t->next++;
		if (v == t->fail_at) {
			vbr_handoff_fail(t->h, b, j, "line %lld is bad", (long long)v);
			return;
		}
		t->sum += v;
	}
}

/* Hand lines 1..n over; a reader stands in for the place of each. */
static void hand_over(struct tally *t, int threads, int64_t n)
{
	static const char *const operands[] = {"claims.tsv"};
	static struct vbr_reader r;
	static struct vbr_handoff h;
	memset(&r, 0, sizeof r);
	r.operands = operands;
	r.noperands = 1;
	t->h = &h;
	t->next = 1;
	vbr_handoff_start(&h, &r, sizeof(int64_t), tally, t, threads);
	for (int64_t v = 1; v <= n && !vbr_handoff_stopped(&h); v++) {
		r.lineno = (uint64_t)v + 1;
		vbr_handoff_add(&h, &v, sizeof v, "M1", 2);
	}
	vbr_handoff_finish(&h);
}

/* 1 + 2 + ... + 10,000 = 10,000 × 10,001 / 2 = 50,005,000, in three
 * batches of 4,096 lines (two full, one of 1,808) */
Test(handoff, one_thread_sums_every_line_in_order)
{
	struct tally t = {0};
	hand_over(&t, 0, 10000);
	cr_assert_eq(t.sum, 50005000);
	cr_assert_eq(t.batches, 3);
}

Test(handoff, two_threads_sum_every_line_in_order)
{
	struct tally t = {0};
	hand_over(&t, 1, 10000);
	cr_assert_eq(t.sum, 50005000);
	cr_assert_eq(t.batches, 3);
}

Test(handoff, a_failure_stops_the_reading_half_and_ends_the_run_65,
     .init = cr_redirect_stderr, .exit_code = 65)
{
	/* the summing half fails at line 5,000; the reading half stops within
	 * the batches in flight, and finishing ends the run */
	static const char *const operands[] = {"claims.tsv"};
	static struct vbr_reader r;
	static struct vbr_handoff h;
	struct tally t = {.fail_at = 5000, .next = 1, .h = &h};
	memset(&r, 0, sizeof r);
	r.operands = operands;
	r.noperands = 1;
	vbr_handoff_start(&h, &r, sizeof(int64_t), tally, &t, 1);
	int64_t v = 1;
	for (; v <= 1000000 && !vbr_handoff_stopped(&h); v++) {
		r.lineno = (uint64_t)v + 1;
		vbr_handoff_add(&h, &v, sizeof v, "M1", 2);
	}
	/* line 5,000 is in the second batch; the reading half is held at most
	 * VBR_HANDOFF_BATCHES batches past the one being summed */
	cr_assert_leq(v, (int64_t)(2 + VBR_HANDOFF_BATCHES + 1) * VBR_BATCH_LINES);
	/* 1 + ... + 4,999 = 4,999 × 5,000 / 2 = 12,497,500 were summed */
	cr_assert_eq(t.sum, 12497500);
	vbr_handoff_finish(&h);
	cr_assert_fail("the run went on after a failed sum");
}

/* A second thread pays for one file of 4 MiB or more, plain or gzip (its
 * size on disk: a stored gzip member here); not for a smaller file or for
 * several operands. */
Test(handoff, two_threads_for_one_file_of_4_mib_plain_or_gzip)
{
	size_t n = (size_t)9 << 19;             /* 4.5 MiB: "paid" and lines of "1" */
	char *text = malloc(n + 1);
	memcpy(text, "paid\n", 5);
	for (size_t i = 5; i + 1 < n; i += 2)
		memcpy(text + i, "1\n", 2);
	text[n - 1] = '\n';
	text[n] = '\0';
	const char *small = fx_text("small.tsv", "paid\n1\n");
	char big[4096], big_gz[4096];
	snprintf(big, sizeof big, "%s", fx_write("big.tsv", text, n));
	snprintf(big_gz, sizeof big_gz, "%s", fx_path("big.tsv.gz"));
	gzFile g = gzopen(big_gz, "wb0");
	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, text, (unsigned)n), (int)n);
	cr_assert_eq(gzclose(g), Z_OK);
	free(text);
	struct { const char *ops[2]; int n, threads; } cases[] = {
		{{small}, 1, 0}, {{big}, 1, 1}, {{big_gz}, 1, 1}, {{big, big}, 2, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vbr_reader r;
		vbr_reader_open(&r, cases[i].ops, cases[i].n);
		cr_assert_eq(vbr_handoff_threads(&r), cases[i].threads, "case %zu", i);
		vbr_reader_close(&r);
	}
}
