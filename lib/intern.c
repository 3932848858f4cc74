/* intern.c — open-addressed string interning over one byte arena. */
#include "intern.h"
#include "error.h"
#include "writer.h"

#include <stdlib.h>
#include <string.h>

/* The slot's picture of an id: length and first bytes, zero padded. */
static struct vbr_intern_slot picture(uint32_t id1, const char *p, size_t n)
{
	struct vbr_intern_slot s = {id1, n > 254 ? 255 : (uint8_t)n, {0}};
	memcpy(s.key, p, n < VBR_INTERN_INLINE ? n : VBR_INTERN_INLINE);
	return s;
}

/* Up to 16 bytes: the two words of vbr_key_words (distinct for distinct
 * ids of one length), multiplied and folded; longer ids: FNV-1a. */
uint32_t vbr_intern_hash(const char *p, size_t n)
{
	if (n <= 16) {
		uint64_t w[2];
		vbr_key_words(p, n, w);
		uint64_t x = w[0] * 0x9E3779B97F4A7C15ull + w[1] * 0xC2B2AE3D27D4EB4Full + n;
		x ^= x >> 32;
		x *= 0xD6E8FEB86659FD93ull;
		return (uint32_t)(x >> 32);
	}
	return vbr_fnv1a32(p, n);
}

/* FNV-1a, 32 bit: offset basis 2166136261, prime 16777619. partition(1)'s
 * shard rule: it must never change. */
uint32_t vbr_fnv1a32(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

/* n empty slots (n a power of two, at least 1024): a mapped table
 * (error.h), so that a large one, probed at random, gets huge pages. */
static struct vbr_intern_slot *new_slots(uint32_t n)
{
	size_t cap = 0;
	return vbr_grow_mapped(NULL, &cap, n, sizeof(struct vbr_intern_slot));
}

static void free_slots(struct vbr_intern_slot *slot, uint32_t n)
{
	vbr_free_mapped(slot, n, sizeof *slot);
}

void vbr_intern_init(struct vbr_intern *t)
{
	memset(t, 0, sizeof *t);
	t->nslots = 1024;
	t->slot = new_slots(t->nslots);
	t->cap = 512;
	t->off = vbr_xmalloc((t->cap + 1) * sizeof *t->off);
	t->off[0] = 0;
	t->capbytes = 8192;
	t->bytes = vbr_xmalloc(t->capbytes);
}

/* Is slot s the id p[0..n)? The slot's bytes are compared with the
 * record's in place (a picture built on the stack and read back as one
 * vector stalls on store forwarding); ids longer than a slot holds are
 * compared in the arena as well. */
static inline int same(const struct vbr_intern *t, const struct vbr_intern_slot *s,
		       const char *p, size_t n)
{
	if (s->n != (n > 254 ? 255 : n))
		return 0;
	if (n <= VBR_INTERN_INLINE)
		return vbr_same_bytes(s->key, p, n);
	uint32_t id = s->id1 - 1;
	return vbr_same_bytes(s->key, p, VBR_INTERN_INLINE) &&
	       t->off[id + 1] - t->off[id] == n && memcmp(t->bytes + t->off[id], p, n) == 0;
}

static void no_lookups(void) __attribute__((noreturn, cold));
static void no_lookups(void)
{
	vbr_die(EX_SOFTWARE, "an id looked up after its table's lookups ended, or before "
		"its ids added unfiled were filed");
}

/* The slot of p[0..n) (hash h), or the empty slot where it would go. */
static uint32_t probe(const struct vbr_intern *t, uint32_t h, const char *p, size_t n)
{
	if (!t->slot || t->filed != t->count)
		no_lookups();
	uint32_t mask = t->nslots - 1, i = h & mask;
	while (t->slot[i].id1 && !same(t, &t->slot[i], p, n))
		i = (i + 1) & mask;
	return i;
}

uint32_t vbr_intern_find_hashed(const struct vbr_intern *t, uint32_t h, const char *p, size_t n)
{
	return t->slot[probe(t, h, p, n)].id1 - 1;  /* empty: 0 - 1 = VBR_NOT_INTERNED */
}

uint32_t vbr_intern_find(const struct vbr_intern *t, const char *p, size_t n)
{
	return vbr_intern_find_hashed(t, vbr_intern_hash(p, n), p, n);
}

/* File ids from..count-1 in the slots by their hashes, read from the
 * arena in id order (none of them is there yet). */
static void file_ids(struct vbr_intern *t, uint32_t from)
{
	uint32_t mask = t->nslots - 1;
	for (uint32_t id = from; id < t->count; id++) {
		const char *p = t->bytes + t->off[id];
		size_t len = t->off[id + 1] - t->off[id];
		uint32_t j = vbr_intern_hash(p, len) & mask;
		while (t->slot[j].id1)
			j = (j + 1) & mask;
		t->slot[j] = picture(id + 1, p, len);
	}
	t->filed = t->count;
}

/* A slot array of n slots, every id filed in it anew. */
static void refile(struct vbr_intern *t, uint32_t n)
{
	free_slots(t->slot, t->nslots);
	t->slot = new_slots(n);
	t->nslots = n;
	file_ids(t, 0);
}

/* Is the table over 75% full with count ids? */
static int too_full(uint64_t count, uint32_t nslots)
{
	return count * 4 > (uint64_t)nslots * 3;
}

/* The id's bytes at the arena's end, numbered next, not filed (the
 * caller knows it is new; vbr_intern files it itself). */
uint32_t vbr_intern_add_new(struct vbr_intern *t, const char *p, size_t n)
{
	if (t->count == UINT32_MAX - 1 || t->nbytes + n > UINT32_MAX)
		vbr_die(EX_SOFTWARE, "too many distinct ids");
	if (t->nbytes + n > t->capbytes) {
		while (t->nbytes + n > t->capbytes)
			t->capbytes *= 2;
		t->bytes = vbr_xrealloc(t->bytes, t->capbytes);
	}
	if (t->count == t->cap) {
		t->cap *= 2;
		t->off = vbr_xrealloc(t->off, (t->cap + 1) * sizeof *t->off);
	}
	memcpy(t->bytes + t->nbytes, p, n);
	t->nbytes += n;
	uint32_t id = t->count++;
	t->off[id + 1] = (uint32_t)t->nbytes;
	return id;
}

uint32_t vbr_intern(struct vbr_intern *t, const char *p, size_t n)
{
	uint32_t i = probe(t, vbr_intern_hash(p, n), p, n);
	if (t->slot[i].id1)
		return t->slot[i].id1 - 1;
	uint32_t id = vbr_intern_add_new(t, p, n);
	t->slot[i] = picture(id + 1, p, n);
	t->filed = t->count;
	if (too_full(t->count, t->nslots))      /* ≤ 75% full */
		refile(t, t->nslots * 2);
	return id;
}

void vbr_intern_file(struct vbr_intern *t)
{
	if (t->filed == t->count)
		return;
	if (!t->slot)
		no_lookups();
	uint32_t n = t->nslots;
	while (too_full(t->count, n))
		n *= 2;
	if (n != t->nslots)
		refile(t, n);
	else
		file_ids(t, t->filed);
}

const char *vbr_intern_str(const struct vbr_intern *t, uint32_t id, size_t *n)
{
	*n = t->off[id + 1] - t->off[id];
	return t->bytes + t->off[id];
}

/* Member order: byte by byte, a shorter id before the ids it begins (the
 * order every per-member tool writes, and partition --merge keeps). */
int vbr_id_cmp(const char *p, size_t n, const char *q, size_t m)
{
	size_t k = n < m ? n : m;
	int c = k ? memcmp(p, q, k) : 0;   /* an empty id may have no bytes at all */
	return c ? c : (n > m) - (n < m);
}

int vbr_intern_cmp(const struct vbr_intern *t, uint32_t a, uint32_t b)
{
	size_t na, nb;
	const char *pa = vbr_intern_str(t, a, &na), *pb = vbr_intern_str(t, b, &nb);
	return vbr_id_cmp(pa, na, pb, nb);
}

/* The ids' byte order, for qsort_r (its context is the table: no global,
 * so two threads may sort at once). */
static int cmp_ids(const void *a, const void *b, void *t)
{
	return vbr_intern_cmp(t, *(const uint32_t *)a, *(const uint32_t *)b);
}

/* How many leading bytes every id shares (bounded by the shortest id). */
static size_t common_prefix(const struct vbr_intern *t)
{
	size_t n0;
	const char *p0 = vbr_intern_str(t, 0, &n0);
	size_t lcp = n0;
	for (uint32_t id = 1; id < t->count && lcp > 0; id++) {
		size_t n;
		const char *p = vbr_intern_str(t, id, &n);
		size_t k = 0, m = n < lcp ? n : lcp;
		while (k < m && p[k] == p0[k])
			k++;
		lcp = k;
	}
	return lcp;
}

/* An id's sort key: its 8 bytes after the common prefix, big-endian, zero
 * padded. Two ids whose keys differ are in their keys' order (a missing
 * byte is 0, below any byte of a longer id the shorter begins, and a
 * shorter id goes first); ids whose keys are equal are ordered in full.
 * Packed: 12 bytes a member. */
struct keyed {
	uint64_t key;
	uint32_t id;
} __attribute__((packed));

static uint64_t sort_key(const char *p, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < 8; i++)
		k = k << 8 | (i < n ? (unsigned char)p[i] : 0u);
	return k;
}

static void insertion_sort(struct keyed *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct keyed x = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1].key > x.key; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Sort a[0..n) by key in place, most significant byte first (the byte at
 * `shift`, then each bucket by the bytes below): every element is moved
 * straight into its bucket, so no second array is needed, and a byte that
 * every key of a bucket shares costs one counting pass. */
static void radix_sort(struct keyed *a, size_t n, int shift)
{
	while (n >= 32) {
		size_t count[256] = {0}, next[256], end[256];
		for (size_t i = 0; i < n; i++)
			count[a[i].key >> shift & 0xff]++;
		size_t at = 0;
		for (int v = 0; v < 256; v++) {
			next[v] = at;
			at += count[v];
			end[v] = at;
		}
		for (int v = 0; v < 256; v++)
			while (next[v] < end[v]) {
				struct keyed x = a[next[v]];
				unsigned d = x.key >> shift & 0xff;
				while (d != (unsigned)v) {      /* x goes to bucket d: swap */
					struct keyed y = a[next[d]];
					a[next[d]++] = x;
					x = y;
					d = x.key >> shift & 0xff;
				}
				a[next[v]++] = x;
			}
		if (shift == 0)
			return;
		size_t lo = 0;
		for (int v = 0; v < 256; v++) {
			if (count[v] == n)
				break;          /* one bucket: the loop goes on below */
			if (count[v] > 1)
				radix_sort(a + lo, count[v], shift - 8);
			lo += count[v];
		}
		if (lo == n)
			return;
		shift -= 8;             /* every key shares this byte */
	}
	insertion_sort(a, n);
}

/* Every number in byte order of the ids. Ids numbered as a file sorted by
 * member brought them (an attribution, a cohort) are in order already: one
 * pass sees it, no sort. Otherwise (claims by paid date number members as
 * they come) a radix sort of the ids' keys, the rare equal keys sorted in
 * full: 58 → 15 ms for 300,000 ids in random order, 869 → 156 ms for
 * 3,000,000, where the comparison sort's random reads of the ids grow
 * faster than the ids. Its keys take 12 bytes an id beside the 4 of the
 * result while it sorts (a comparison sort's buffer took 4); a tool that
 * no longer looks ids up frees the slots first (vbr_intern_end_lookups),
 * 16 bytes or more an id. */
uint32_t *vbr_intern_sorted(const struct vbr_intern *t)
{
	uint32_t *order = vbr_xmalloc((size_t)t->count * sizeof *order + 1);
	for (uint32_t i = 0; i < t->count; i++)
		order[i] = i;
	uint32_t i = 1;
	while (i < t->count && vbr_intern_cmp(t, i - 1, i) < 0)
		i++;
	if (i >= t->count)
		return order;
	size_t lcp = common_prefix(t);
	struct keyed *a = vbr_xmalloc((size_t)t->count * sizeof *a);
	for (uint32_t id = 0; id < t->count; id++) {
		size_t n;
		const char *p = vbr_intern_str(t, id, &n);
		a[id] = (struct keyed){sort_key(p + lcp, n - lcp), id};
	}
	radix_sort(a, t->count, 56);
	for (uint32_t j = 0; j < t->count; j++)
		order[j] = a[j].id;
	for (uint32_t j = 0, k; j < t->count; j = k) {
		for (k = j + 1; k < t->count && a[k].key == a[j].key; k++)
			;
		if (k - j > 1)
			qsort_r(order + j, k - j, sizeof *order, cmp_ids, (void *)t);
	}
	free(a);
	return order;
}

void vbr_intern_end_lookups(struct vbr_intern *t)
{
	free_slots(t->slot, t->nslots);
	t->slot = NULL;
	t->nslots = 0;
}

void vbr_put_interned(struct vbr_writer *w, const struct vbr_intern *t, uint32_t id)
{
	size_t n;
	const char *p = vbr_intern_str(t, id, &n);
	vbr_put(w, p, n);
}

void vbr_intern_free(struct vbr_intern *t)
{
	free(t->bytes);
	free(t->off);
	free_slots(t->slot, t->nslots);
	memset(t, 0, sizeof *t);
}
