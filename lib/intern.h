/*
 * intern.h — string interning: each distinct id (member, provider, org,
 * code) gets a dense uint32 number, so per-member tables are arrays indexed
 * by number instead of a malloc per member. Bytes live in one arena; the
 * table is open-addressed (linear probing, power-of-two size, ≤ 75% full),
 * and each 16-byte slot holds the id's length and first 11 bytes, so a
 * lookup of an id of up to 11 bytes (members: synth's 9, a CMS MBI's 11)
 * reads one cache line and never the arena. About 30 bytes per id plus the
 * id's own bytes.
 *
 *   vbr_intern_init(t)                  empty table
 *   vbr_intern(t, p, n)                 number of the id, adding it if new
 *   vbr_intern_find(t, p, n)            number, or VBR_NOT_INTERNED
 *   vbr_intern_str(t, id, &n)           the id's bytes (not NUL-terminated)
 *   t->count                            how many ids
 *   vbr_intern_cmp(t, a, b)             byte order of two ids
 *   vbr_id_cmp(p, n, q, m)              the same order of two ids as bytes: <0,
 *                                       0, >0, a shorter id first (member order)
 *   vbr_intern_sorted(t)                every number, in byte order of the ids
 *                                       (malloc'd; output in member order)
 *   vbr_intern_add_new(t, p, n)         number a new id without filing it in
 *                                       the hash slots: for ids the caller
 *                                       knows are new (each sorts after the
 *                                       last, a stream in member order), read
 *                                       by number or walked in order; cheaper
 *                                       than vbr_intern at millions of ids,
 *                                       whose slots are probed at random
 *   vbr_intern_file(t)                  file the ids added unfiled: before any
 *                                       lookup or vbr_intern, which die (70)
 *                                       while some are not
 *   vbr_intern_end_lookups(t)           free the hash slots of a table whose
 *                                       ids are only read from now on (by
 *                                       number): its memory is then there for
 *                                       the sort; a lookup after it dies (70)
 *   vbr_intern_ahead(t, order, j, n)    while writing order[j] of order[0..n):
 *                                       prefetch the ids a few places on
 *   vbr_put_interned(w, t, id)          write the id's bytes
 *   vbr_intern_free(t)
 *
 *   vbr_intern_memo(t, m, p, n)         vbr_intern behind a one-entry memo
 *   vbr_intern_find_memo(t, m, p, n)    vbr_intern_find behind one: for
 *                                       streams where one id comes on
 *                                       consecutive records (a member's
 *                                       months); m starts as VBR_MEMO_EMPTY
 *   vbr_same_bytes(a, b, n)             a[0..n) == b[0..n), inline for the
 *                                       short ids of the hot loops
 *
 *   vbr_fnv1a32(p, n)                   FNV-1a, 32 bit (partition(1)'s fixed
 *                                       shard rule)
 *   vbr_intern_hash(p, n)               the hash the table files an id by
 *   vbr_intern_prefetch(t, h)           start loading the slot of hash h
 *   vbr_intern_find_hashed(t, h, p, n)  vbr_intern_find with the hash given
 *
 *   vbr_intern_find_cached(t, c, p, n)  vbr_intern_find behind a 256-slot
 *   vbr_intern_cached(t, c, p, n)       cache (or vbr_intern): for ids that
 *                                       recur without coming together
 *                                       (codes, providers, keys). A cache
 *                                       starts zeroed (one per thread); the
 *                                       find version also remembers ids
 *                                       that are absent, so t must not grow
 *                                       while it is used.
 */
#ifndef VBR_INTERN_H
#define VBR_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "prefetch.h"

#define VBR_NOT_INTERNED UINT32_MAX

#define VBR_INTERN_INLINE 11    /* id bytes a slot holds */

struct vbr_intern_slot {
	uint32_t id1;           /* id + 1, 0 = empty */
	uint8_t n;              /* the id's length, 255 if longer */
	char key[VBR_INTERN_INLINE];   /* its first bytes, zero padded */
};

struct vbr_intern {
	char *bytes;            /* arena */
	size_t nbytes, capbytes;
	uint32_t *off;          /* off[id] .. off[id + 1] are the id's bytes */
	uint32_t count, cap;
	struct vbr_intern_slot *slot;
	uint32_t nslots;
	uint32_t filed;         /* ids 0 .. filed-1 are in the slots */
};

void vbr_intern_init(struct vbr_intern *t);
uint32_t vbr_intern(struct vbr_intern *t, const char *p, size_t n);
uint32_t vbr_intern_find(const struct vbr_intern *t, const char *p, size_t n);
const char *vbr_intern_str(const struct vbr_intern *t, uint32_t id, size_t *n);
int vbr_intern_cmp(const struct vbr_intern *t, uint32_t a, uint32_t b);
int vbr_id_cmp(const char *p, size_t n, const char *q, size_t m);
uint32_t *vbr_intern_sorted(const struct vbr_intern *t);
void vbr_intern_end_lookups(struct vbr_intern *t);
uint32_t vbr_intern_add_new(struct vbr_intern *t, const char *p, size_t n);
void vbr_intern_file(struct vbr_intern *t);
struct vbr_writer;
void vbr_put_interned(struct vbr_writer *w, const struct vbr_intern *t, uint32_t id);
void vbr_intern_free(struct vbr_intern *t);
uint32_t vbr_intern_hash(const char *p, size_t n);
uint32_t vbr_fnv1a32(const char *p, size_t n);
uint32_t vbr_intern_find_hashed(const struct vbr_intern *t, uint32_t h, const char *p, size_t n);

/* Ids written in byte order whose numbers came in another order (claims
 * by paid date) are scattered through the arena: start loading the
 * places of the id 16 on and the bytes of the id 8 on. */
static inline void vbr_intern_ahead(const struct vbr_intern *t, const uint32_t *order, uint32_t j,
				    uint32_t n)
{
	if (j + 16 < n)
		vbr_prefetch(&t->off[order[j + 16]]);
	if (j + 8 < n)
		vbr_prefetch(t->bytes + t->off[order[j + 8]]);
}

/* The slot of hash h, and the next cache line unless the slot is its
 * line's first (four 16-byte slots to a line): a probe that goes on past
 * the slot (linear probing) then finds the next slots loaded too. Measured
 * on the bench's 9.36M claim lines by paid date: the summing thread's
 * lookups took 40 % less time than with the slot's line alone. */
static inline void vbr_intern_prefetch(const struct vbr_intern *t, uint32_t h)
{
	uint32_t mask = t->nslots - 1, i = h & mask;
	vbr_prefetch(&t->slot[i]);
	if ((i & 3) >= 1)
		vbr_prefetch(&t->slot[((i | 3) + 1) & mask]);
}

/* The first and the last w bytes of a and b (w ≤ 8, w ≤ n ≤ 2w) are the
 * same: two overlapping loads cover all n bytes. */
static inline __attribute__((always_inline))
int vbr_same_ends(const char *a, const char *b, size_t n, size_t w)
{
	uint64_t x = 0, y = 0, u = 0, v = 0;
	memcpy(&x, a, w);
	memcpy(&y, b, w);
	memcpy(&u, a + n - w, w);
	memcpy(&v, b + n - w, w);
	return ((x ^ y) | (u ^ v)) == 0;
}

/* Ids are short: up to 16 bytes are compared as two overlapping words (no
 * call, no per-byte branch), never reading outside [a, a + n). Always
 * inlined: it is on every member lookup's path. */
static inline __attribute__((always_inline))
int vbr_same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16)
		return vbr_same_ends(a, b, n, 8);
	if (n >= 4 && n < 8)
		return vbr_same_ends(a, b, n, 4);
	if (n < 4) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	return memcmp(a, b, n) == 0;
}

/* A key's cache identity: up to 16 bytes as two words that differ for any
 * two keys of the same length (overlapping loads below 8 and 16 bytes);
 * longer keys use their first and last 8 bytes and are checked in full. */
static inline void vbr_key_words(const char *p, size_t n, uint64_t w[2])
{
	const unsigned char *u = (const unsigned char *)p;
	w[0] = w[1] = 0;
	if (n > 8) {
		memcpy(&w[0], u, 8);
		memcpy(&w[1], u + n - 8, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, u, 4);
		memcpy(&b, u + n - 4, 4);
		w[0] = a | (uint64_t)b << 32;
	} else if (n > 0) {
		w[0] = u[0] | (uint32_t)u[n / 2] << 8 | (uint32_t)u[n - 1] << 16;
	}
}

struct vbr_find_slot {
	uint32_t n1;            /* key length + 1; 0 = empty */
	uint32_t id;            /* VBR_NOT_INTERNED: known to be absent */
	uint64_t w[2];
};
struct vbr_find_cache {
	struct vbr_find_slot slot[256];
};

static inline struct vbr_find_slot *vbr_cache_slot(struct vbr_find_cache *c, const uint64_t w[2],
						   size_t n)
{
	uint64_t h = (w[0] ^ (w[1] * 31u) ^ n) * 0x9E3779B97F4A7C15ull;
	return &c->slot[h >> 56];
}

/* Is the slot this key? Keys up to 16 bytes are their words; a longer one
 * is compared with the table's bytes. */
static inline int vbr_cache_hit(const struct vbr_intern *t, const struct vbr_find_slot *s,
				const uint64_t w[2], const char *p, size_t n)
{
	return s->n1 == n + 1 && s->w[0] == w[0] && s->w[1] == w[1] &&
	       (n <= 16 || (s->id != VBR_NOT_INTERNED &&
			    vbr_same_bytes(t->bytes + t->off[s->id], p, n)));
}

/* The cached lookup behind both: with `grow`, a new key is added to it
 * (grow is t itself); without, an absent key of up to 16 bytes is
 * remembered as absent. */
static inline uint32_t vbr_cache_lookup(const struct vbr_intern *t, struct vbr_intern *grow,
					struct vbr_find_cache *c, const char *p, size_t n)
{
	uint64_t w[2];
	vbr_key_words(p, n, w);
	struct vbr_find_slot *s = vbr_cache_slot(c, w, n);
	if (vbr_cache_hit(t, s, w, p, n))
		return s->id;
	uint32_t id = grow ? vbr_intern(grow, p, n) : vbr_intern_find(t, p, n);
	if (n <= 16 || id != VBR_NOT_INTERNED)
		*s = (struct vbr_find_slot){(uint32_t)n + 1, id, {w[0], w[1]}};
	return id;
}

static inline uint32_t vbr_intern_find_cached(const struct vbr_intern *t, struct vbr_find_cache *c,
					      const char *p, size_t n)
{
	return vbr_cache_lookup(t, NULL, c, p, n);
}

static inline uint32_t vbr_intern_cached(struct vbr_intern *t, struct vbr_find_cache *c,
					 const char *p, size_t n)
{
	return vbr_cache_lookup(t, t, c, p, n);
}

struct vbr_intern_memo {
	uint32_t id;            /* the last id looked up, or VBR_NOT_INTERNED */
	uint32_t n;             /* its length */
	uint64_t w[2];          /* its words (vbr_key_words): no arena read */
};
#define VBR_MEMO_EMPTY {VBR_NOT_INTERNED, 0, {0, 0}}

/* Is the memo the id p[0..n)? Ids up to 16 bytes are its words; a longer
 * one is compared in the arena. */
static inline int vbr_memo_hit(const struct vbr_intern *t, const struct vbr_intern_memo *m,
			       const char *p, size_t n, uint64_t w[2])
{
	if (m->id == VBR_NOT_INTERNED || m->n != n)
		return 0;
	vbr_key_words(p, n, w);
	if (m->w[0] != w[0] || m->w[1] != w[1])
		return 0;
	return n <= 16 || vbr_same_bytes(t->bytes + t->off[m->id], p, n);
}

/* The memo lookup behind both: with `grow`, a new id is added to it (grow
 * is t itself). */
static inline __attribute__((always_inline))
uint32_t vbr_memo_lookup(const struct vbr_intern *t, struct vbr_intern *grow,
				       struct vbr_intern_memo *m, const char *p, size_t n)
{
	uint64_t w[2];
	if (vbr_memo_hit(t, m, p, n, w))
		return m->id;
	vbr_key_words(p, n, w);
	m->id = grow ? vbr_intern(grow, p, n) : vbr_intern_find(t, p, n);
	m->n = (uint32_t)n;
	m->w[0] = w[0];
	m->w[1] = w[1];
	return m->id;
}

static inline uint32_t vbr_intern_memo(struct vbr_intern *t, struct vbr_intern_memo *m,
				       const char *p, size_t n)
{
	return vbr_memo_lookup(t, t, m, p, n);
}

static inline uint32_t vbr_intern_find_memo(const struct vbr_intern *t, struct vbr_intern_memo *m,
					    const char *p, size_t n)
{
	return vbr_memo_lookup(t, NULL, m, p, n);
}

#endif
