/* intern.c — open-addressed string interning over one byte arena. */
#include "intern.h"
#include "error.h"
#include "writer.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a, 32 bit: short ids, good spread, no dependencies. */
static uint32_t hash_bytes(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

void vbr_intern_init(struct vbr_intern *t)
{
	memset(t, 0, sizeof *t);
	t->nslots = 1024;
	t->slot = vbr_xcalloc(t->nslots, sizeof *t->slot);
	t->hash = vbr_xcalloc(t->nslots, sizeof *t->hash);
	t->cap = 512;
	t->off = vbr_xmalloc((t->cap + 1) * sizeof *t->off);
	t->off[0] = 0;
	t->capbytes = 8192;
	t->bytes = vbr_xmalloc(t->capbytes);
}

static int same(const struct vbr_intern *t, uint32_t id, const char *p, size_t n)
{
	return t->off[id + 1] - t->off[id] == n && vbr_same_bytes(t->bytes + t->off[id], p, n);
}

uint32_t vbr_intern_find(const struct vbr_intern *t, const char *p, size_t n)
{
	uint32_t h = hash_bytes(p, n), mask = t->nslots - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t s = t->slot[i];
		if (s == 0)
			return VBR_NOT_INTERNED;
		if (t->hash[i] == h && same(t, s - 1, p, n))
			return s - 1;
	}
}

/* Double the slot array and re-insert every id by its stored hash. */
static void grow_slots(struct vbr_intern *t)
{
	uint32_t n = t->nslots * 2, mask = n - 1;
	uint32_t *slot = vbr_xcalloc(n, sizeof *slot), *hash = vbr_xcalloc(n, sizeof *hash);
	for (uint32_t i = 0; i < t->nslots; i++) {
		if (!t->slot[i])
			continue;
		uint32_t j = t->hash[i] & mask;
		while (slot[j])
			j = (j + 1) & mask;
		slot[j] = t->slot[i];
		hash[j] = t->hash[i];
	}
	free(t->slot);
	free(t->hash);
	t->slot = slot;
	t->hash = hash;
	t->nslots = n;
}

uint32_t vbr_intern(struct vbr_intern *t, const char *p, size_t n)
{
	uint32_t h = hash_bytes(p, n), mask = t->nslots - 1, i;
	for (i = h & mask; t->slot[i]; i = (i + 1) & mask)
		if (t->hash[i] == h && same(t, t->slot[i] - 1, p, n))
			return t->slot[i] - 1;
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
	t->slot[i] = id + 1;
	t->hash[i] = h;
	if ((uint64_t)t->count * 4 > (uint64_t)t->nslots * 3)   /* ≤ 75% full */
		grow_slots(t);
	return id;
}

const char *vbr_intern_str(const struct vbr_intern *t, uint32_t id, size_t *n)
{
	*n = t->off[id + 1] - t->off[id];
	return t->bytes + t->off[id];
}

int vbr_intern_cmp(const struct vbr_intern *t, uint32_t a, uint32_t b)
{
	size_t na, nb;
	const char *pa = vbr_intern_str(t, a, &na), *pb = vbr_intern_str(t, b, &nb);
	int c = memcmp(pa, pb, na < nb ? na : nb);
	return c ? c : (na > nb) - (na < nb);
}

static const struct vbr_intern *sorting;   /* qsort has no context argument */

static int cmp_ids(const void *a, const void *b)
{
	return vbr_intern_cmp(sorting, *(const uint32_t *)a, *(const uint32_t *)b);
}

uint32_t *vbr_intern_sorted(const struct vbr_intern *t)
{
	uint32_t *order = vbr_xmalloc((size_t)t->count * sizeof *order + 1);
	for (uint32_t i = 0; i < t->count; i++)
		order[i] = i;
	sorting = t;
	qsort(order, t->count, sizeof *order, cmp_ids);
	sorting = NULL;
	return order;
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
	free(t->slot);
	free(t->hash);
	memset(t, 0, sizeof *t);
}
