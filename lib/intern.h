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
 */
#ifndef VBR_INTERN_H
#define VBR_INTERN_H

#include <stddef.h>
#include <stdint.h>

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

#endif
