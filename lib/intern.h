/*
 * intern.h — string interning: each distinct id (member, provider, org,
 * code) gets a dense uint32 number, so per-member tables are arrays indexed
 * by number instead of a malloc per member. Bytes live in one arena; the
 * table is open-addressed (linear probing, power-of-two size, ≤ 75% full).
 * About 10 bytes per id plus the id's own bytes.
 *
 *   vbr_intern_init(t)                  empty table
 *   vbr_intern(t, p, n)                 number of the id, adding it if new
 *   vbr_intern_find(t, p, n)            number, or VBR_NOT_INTERNED
 *   vbr_intern_str(t, id, &n)           the id's bytes (not NUL-terminated)
 *   t->count                            how many ids
 *   vbr_intern_cmp(t, a, b)             byte order of two ids
 *   vbr_intern_sorted(t)                every number, in byte order of the ids
 *                                       (malloc'd; output in member order)
 *   vbr_put_interned(w, t, id)          write the id's bytes
 *   vbr_intern_free(t)
 *
 *   vbr_intern_memo(t, m, p, n)         vbr_intern behind a one-entry memo
 *   vbr_intern_find_memo(t, m, p, n)    vbr_intern_find behind one: for
 *                                       streams where one id comes on
 *                                       consecutive records (a member's
 *                                       months); m starts as VBR_MEMO_EMPTY
 */
#ifndef VBR_INTERN_H
#define VBR_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VBR_NOT_INTERNED UINT32_MAX

struct vbr_intern {
	char *bytes;            /* arena */
	size_t nbytes, capbytes;
	uint32_t *off;          /* off[id] .. off[id + 1] are the id's bytes */
	uint32_t count, cap;
	uint32_t *slot;         /* id + 1, 0 = empty */
	uint32_t *hash;         /* hash of the id in each slot */
	uint32_t nslots;
};

void vbr_intern_init(struct vbr_intern *t);
uint32_t vbr_intern(struct vbr_intern *t, const char *p, size_t n);
uint32_t vbr_intern_find(const struct vbr_intern *t, const char *p, size_t n);
const char *vbr_intern_str(const struct vbr_intern *t, uint32_t id, size_t *n);
int vbr_intern_cmp(const struct vbr_intern *t, uint32_t a, uint32_t b);
uint32_t *vbr_intern_sorted(const struct vbr_intern *t);
struct vbr_writer;
void vbr_put_interned(struct vbr_writer *w, const struct vbr_intern *t, uint32_t id);
void vbr_intern_free(struct vbr_intern *t);

struct vbr_intern_memo {
	uint32_t id;            /* the last id looked up, or VBR_NOT_INTERNED */
};
#define VBR_MEMO_EMPTY {VBR_NOT_INTERNED}

static inline int vbr_memo_hit(const struct vbr_intern *t, const struct vbr_intern_memo *m,
			       const char *p, size_t n)
{
	return m->id != VBR_NOT_INTERNED && t->off[m->id + 1] - t->off[m->id] == n &&
	       memcmp(t->bytes + t->off[m->id], p, n) == 0;
}

static inline uint32_t vbr_intern_memo(struct vbr_intern *t, struct vbr_intern_memo *m,
				       const char *p, size_t n)
{
	if (!vbr_memo_hit(t, m, p, n))
		m->id = vbr_intern(t, p, n);
	return m->id;
}

static inline uint32_t vbr_intern_find_memo(const struct vbr_intern *t, struct vbr_intern_memo *m,
					    const char *p, size_t n)
{
	if (!vbr_memo_hit(t, m, p, n))
		m->id = vbr_intern_find(t, p, n);
	return m->id;
}

#endif
