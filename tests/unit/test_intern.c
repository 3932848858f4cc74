/* Unit tests: string interning and base/measurement periods. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <string.h>

#include "intern.h"
#include "period.h"
#include "value.h"

Test(intern, dense_numbers_find_and_growth)
{
	struct vbr_intern t;
	char buf[32];
	vbr_intern_init(&t);
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof buf, "M%07d", i * 7 % 100000);
		cr_assert_eq(vbr_intern(&t, buf, (size_t)n), (uint32_t)i);
	}
	cr_assert_eq(t.count, 100000);
	cr_assert_eq(vbr_intern(&t, "M0000007", 8), 1);        /* again: same number */
	cr_assert_eq(vbr_intern_find(&t, "M0000014", 8), 2);
	cr_assert_eq(vbr_intern_find(&t, "M", 1), VBR_NOT_INTERNED);
	size_t n;
	const char *p = vbr_intern_str(&t, 2, &n);
	cr_assert_eq(n, 8);
	cr_assert_eq(memcmp(p, "M0000014", 8), 0);
	uint32_t *order = vbr_intern_sorted(&t);
	for (uint32_t i = 1; i < t.count; i++)
		cr_assert_lt(vbr_intern_cmp(&t, order[i - 1], order[i]), 0);
	p = vbr_intern_str(&t, order[0], &n);
	cr_assert_eq(memcmp(p, "M0000000", 8), 0);
	free(order);
	vbr_intern_free(&t);
}

Test(intern, prefix_orders_first)
{
	struct vbr_intern t;
	vbr_intern_init(&t);
	uint32_t ab = vbr_intern(&t, "ab", 2), a = vbr_intern(&t, "a", 1), e = vbr_intern(&t, "", 0);
	cr_assert_lt(vbr_intern_cmp(&t, a, ab), 0);
	cr_assert_lt(vbr_intern_cmp(&t, e, a), 0);
	vbr_intern_free(&t);
}

static void periods(struct vbr_periods *p, const char *bs, const char *be,
		    const char *ms, const char *me)
{
	static const char *const names[] = {"base_start", "base_end", "measure_start", "measure_end"};
	const char *values[] = {bs, be, ms, me};
	struct vbr_terms t;
	char a[64];
	vbr_terms_init(&t);
	for (int i = 0; i < 4; i++) {
		snprintf(a, sizeof a, "%s=%s", names[i], values[i]);
		vbr_terms_set(&t, a);
	}
	vbr_periods_load(p, &t);
	vbr_terms_free(&t);
}

Test(period, days_and_months)
{
	struct vbr_periods p;
	int32_t d, m;
	periods(&p, "2023-01-01", "2023-12-31", "2024-01-01", "2024-12-31");
	vbr_parse_date("2023-12-31", 10, &d);
	cr_assert_eq(vbr_period_of_day(&p, d), VBR_BASE);
	cr_assert_eq(vbr_period_of_day(&p, d + 1), VBR_MEASURE);
	cr_assert_eq(vbr_period_of_day(&p, d + 367), -1);
	vbr_parse_month("2022-12", 7, &m);
	cr_assert_eq(vbr_period_of_month(&p, m), -1);
	cr_assert_eq(vbr_period_of_month(&p, m + 1), VBR_BASE);
	cr_assert_eq(vbr_period_of_month(&p, m + 13), VBR_MEASURE);
	cr_assert_eq(vbr_first_day_of_month(m + 1), d - 364);
	cr_assert_eq(vbr_period_parse("measure", 7), VBR_MEASURE);
	cr_assert_eq(vbr_period_parse("meas", 4), -1);
}

Test(period, overlap_is_a_usage_error, .init = cr_redirect_stderr, .exit_code = 64)
{
	struct vbr_periods p;
	periods(&p, "2023-01-01", "2023-12-31", "2023-07-01", "2024-06-30");
}

Test(period, end_before_start, .init = cr_redirect_stderr, .exit_code = 64)
{
	struct vbr_periods p;
	periods(&p, "2023-12-31", "2023-01-01", "2024-01-01", "2024-12-31");
}

/* vbr_same_bytes at every length 0..40, equal and differing in each single
 * byte: the word compares must see every position. */
Test(intern, same_bytes_sees_every_byte)
{
	char a[40], b[40];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = b[i] = (char)('a' + i % 26);
	for (size_t n = 0; n <= sizeof a; n++) {
		cr_assert(vbr_same_bytes(a, b, n), "n %zu equal", n);
		for (size_t i = 0; i < n; i++) {
			b[i] ^= 0x20;
			cr_assert(!vbr_same_bytes(a, b, n), "n %zu differs at %zu", n, i);
			b[i] ^= 0x20;
		}
	}
}

/* The slots hold an id's length and first 11 bytes. Ids that agree on
 * those (and, from 22 bytes, on their last 8 as well) must still be told apart by the arena; every length from 0 to 40
 * bytes is interned and found again after the table has grown. */
Test(intern, inline_prefix_and_long_ids)
{
	struct vbr_intern t;
	char id[64], digits[8];
	uint32_t want = 0;
	vbr_intern_init(&t);
	for (int len = 0; len <= 40; len++) {
		int k = len < 3 ? len : 3;              /* digits that vary */
		int variants = k == 0 ? 1 : k == 1 ? 10 : k == 2 ? 100 : 200;
		int at = len >= 14 ? 11 : len - k;      /* past the slot's bytes */
		for (int v = 0; v < variants; v++) {
			memset(id, 'p', (size_t)len);
			snprintf(digits, sizeof digits, "%03d", v);
			memcpy(id + at, digits + 3 - k, (size_t)k);
			if (len >= 22)
				memset(id + len - 8, 's', 8);
			cr_assert_eq(vbr_intern(&t, id, (size_t)len), want, "len %d v %d", len, v);
			want++;
		}
	}
	cr_assert_eq(t.count, want);
	cr_assert_gt(t.nslots, 1024, "the table grew");
	/* every id is found under its own number, and a changed byte is not */
	for (uint32_t i = 0; i < t.count; i++) {
		size_t n;
		const char *p = vbr_intern_str(&t, i, &n);
		memcpy(id, p, n);
		cr_assert_eq(vbr_intern_find(&t, id, n), i);
		cr_assert_eq(vbr_intern_find_hashed(&t, vbr_intern_hash(id, n), id, n), i);
		for (size_t j = 0; j < n; j++) {
			id[j] ^= 0x40;
			cr_assert_neq(vbr_intern_find(&t, id, n), i, "id %u, byte %zu changed", i, j);
			id[j] ^= 0x40;
		}
	}
	vbr_intern_free(&t);
}

/* A memo answers for the id it last saw, whatever its length, and never
 * for another id of the same length. */
Test(intern, memo_hits_only_its_id)
{
	struct vbr_intern t;
	struct vbr_intern_memo m = VBR_MEMO_EMPTY;
	vbr_intern_init(&t);
	const char *ids[] = {"M1", "M2", "M00000001", "M00000002", "0123456789abcdefX",
			     "0123456789abcdefY", "M1"};
	uint32_t want[] = {0, 1, 2, 3, 4, 5, 0};
	for (size_t i = 0; i < 7; i++) {
		cr_assert_eq(vbr_intern_memo(&t, &m, ids[i], strlen(ids[i])), want[i], "%s", ids[i]);
		cr_assert_eq(vbr_intern_memo(&t, &m, ids[i], strlen(ids[i])), want[i], "%s again", ids[i]);
		cr_assert_eq(vbr_intern_find_memo(&t, &m, ids[i], strlen(ids[i])), want[i]);
	}
	vbr_intern_free(&t);
}

/* Ids numbered in byte order come back as they are; one out of order at
 * the very end is still sorted into place (the in-order check reads to
 * the last id). Expected orders by hand: a < ab < b < c < d. */
Test(intern, sorted_in_order_and_last_out_of_order)
{
	struct vbr_intern t;
	vbr_intern_init(&t);
	const char *ids[] = {"a", "b", "c", "d"};
	for (int i = 0; i < 4; i++)
		vbr_intern(&t, ids[i], 1);
	uint32_t *order = vbr_intern_sorted(&t);
	for (uint32_t i = 0; i < 4; i++)
		cr_assert_eq(order[i], i);
	free(order);
	cr_assert_eq(vbr_intern(&t, "ab", 2), 4);
	order = vbr_intern_sorted(&t);
	const uint32_t want[] = {0, 4, 1, 2, 3};
	for (uint32_t i = 0; i < 5; i++)
		cr_assert_eq(order[i], want[i], "position %u: %u, expected %u", i, order[i], want[i]);
	free(order);
	vbr_intern_free(&t);
}

/* Interns ids[0..n) in that order and asserts vbr_intern_sorted gives
 * want[] (the positions in ids[] of the ids in byte order). */
static void assert_sorted_as(const char *const *ids, const size_t *len, size_t n,
			     const uint32_t *want)
{
	struct vbr_intern t;
	vbr_intern_init(&t);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(vbr_intern(&t, ids[i], len[i]), (uint32_t)i);
	uint32_t *order = vbr_intern_sorted(&t);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(order[i], want[i], "position %zu: id %u, expected %u", i, order[i],
			     want[i]);
	free(order);
	vbr_intern_free(&t);
}

/* Ids out of order that all begin with the same 13 bytes (the shortest
 * is those 13). By hand, bytes compared unsigned, a prefix first: M000 <
 * M0001 < M00010 < M0001\xff < M0002 < M0003. */
Test(intern, sorted_after_a_long_common_prefix)
{
	const char *ids[] = {"ACO-2024-M0003", "ACO-2024-M0001", "ACO-2024-M00010",
			     "ACO-2024-M0002", "ACO-2024-M000", "ACO-2024-M0001\xff"};
	const size_t len[] = {14, 14, 15, 14, 13, 15};
	const uint32_t want[] = {4, 1, 2, 5, 3, 0};
	assert_sorted_as(ids, len, 6, want);
}

/* No common prefix (an empty id), and ids equal in their first 8 bytes
 * ordered by the rest. By hand: "" < "Z" (0x5a) <
 * "claim-aa-1" < "claim-aa-10" < "claim-aa-2" < "claim-ab" < "\x80x"
 * (0x80 above 'c', 0x63, unsigned). */
Test(intern, sorted_with_equal_keys_and_high_bytes)
{
	const char *ids[] = {"claim-aa-2", "claim-aa-10", "\x80x", "claim-aa-1", "", "Z",
			     "claim-ab"};
	const size_t len[] = {10, 11, 2, 10, 0, 1, 8};
	const uint32_t want[] = {4, 5, 3, 1, 0, 6, 2};
	assert_sorted_as(ids, len, 7, want);
}

/* The radix sort's own paths (32 ids or more): 20,000 distinct ids from a
 * fixed generator — a shared 3-byte prefix, then 0 to 14 bytes from
 * {0x00, 0x01, '0', '9', 0x7f, 0x80, 0xff}, so that many ids tie on the 8
 * key bytes (differing only after them, or by zero padding against a real
 * 0x00) and many begin one another. The oracle is vbr_id_cmp on each
 * neighbouring pair: the order must strictly increase and hold every id
 * once. */
Test(intern, sorted_by_radix_matches_byte_order)
{
	static const unsigned char alphabet[] = {0x00, 0x01, '0', '9', 0x7f, 0x80, 0xff};
	struct vbr_intern t;
	vbr_intern_init(&t);
	uint64_t x = 88172645463325252ull;
	while (t.count < 20000) {
		char id[20] = "Z#-";
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = 3 + (size_t)(x % 15);
		for (size_t i = 3; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			id[i] = (char)alphabet[x % sizeof alphabet];
		}
		vbr_intern(&t, id, n);
	}
	uint32_t *order = vbr_intern_sorted(&t);
	uint8_t *seen = calloc(t.count, 1);
	for (uint32_t j = 0; j < t.count; j++) {
		cr_assert_lt(order[j], t.count);
		cr_assert_eq(seen[order[j]]++, 0, "id %u twice", order[j]);
		if (j > 0)
			cr_assert_lt(vbr_intern_cmp(&t, order[j - 1], order[j]), 0,
				     "positions %u and %u out of order", j - 1, j);
	}
	free(seen);
	free(order);
	vbr_intern_free(&t);
}

/* After vbr_intern_end_lookups the ids are still there by number (and
 * sort), but a lookup is a programming error: 70. */
Test(intern, lookup_after_end_of_lookups_dies, .init = cr_redirect_stderr, .exit_code = 70)
{
	struct vbr_intern t;
	vbr_intern_init(&t);
	vbr_intern(&t, "b", 1);
	vbr_intern(&t, "a", 1);
	vbr_intern_end_lookups(&t);
	size_t n;
	cr_assert_eq(*vbr_intern_str(&t, 1, &n), 'a');
	uint32_t *order = vbr_intern_sorted(&t);
	cr_assert_eq(order[0], 1);
	free(order);
	vbr_intern_find(&t, "a", 1);
}

/* Ids added unfiled (a stream in member order) are numbered as they come;
 * once filed, each is found under its number, vbr_intern finds them too
 * and numbers a new id next. 5,000 ids: filing them grows the slots from
 * 1,024 (75% full at 768) to 8,192. */
Test(intern, added_unfiled_then_filed)
{
	struct vbr_intern t;
	char id[16];
	vbr_intern_init(&t);
	for (uint32_t i = 0; i < 5000; i++) {
		int n = snprintf(id, sizeof id, "M%06u", i);
		cr_assert_eq(vbr_intern_add_new(&t, id, (size_t)n), i);
	}
	cr_assert_eq(t.count, 5000);
	vbr_intern_file(&t);
	cr_assert_eq(t.nslots, 8192);
	for (uint32_t i = 0; i < 5000; i++) {
		int n = snprintf(id, sizeof id, "M%06u", i);
		cr_assert_eq(vbr_intern_find(&t, id, (size_t)n), i);
		cr_assert_eq(vbr_intern(&t, id, (size_t)n), i);
	}
	cr_assert_eq(vbr_intern_find(&t, "M005000", 7), VBR_NOT_INTERNED);
	cr_assert_eq(vbr_intern(&t, "A", 1), 5000);
	/* more unfiled after some filed: only they are filed again */
	cr_assert_eq(vbr_intern_add_new(&t, "Z1", 2), 5001);
	cr_assert_eq(vbr_intern_add_new(&t, "Z2", 2), 5002);
	vbr_intern_file(&t);
	cr_assert_eq(vbr_intern_find(&t, "Z2", 2), 5002);
	cr_assert_eq(vbr_intern_find(&t, "A", 1), 5000);
	cr_assert_eq(vbr_intern_find(&t, "M000000", 7), 0);
	vbr_intern_free(&t);
}

/* A lookup while some ids are unfiled would miss them: a programming
 * error, 70. */
Test(intern, lookup_before_filing_dies, .init = cr_redirect_stderr, .exit_code = 70)
{
	struct vbr_intern t;
	vbr_intern_init(&t);
	vbr_intern(&t, "a", 1);
	vbr_intern_add_new(&t, "b", 1);
	vbr_intern_find(&t, "a", 1);
}
