/*
 * band.h — demographic bands keyed `SEX:LO-HI` (e.g. F:45-54, ages
 * inclusive), as mix-factor's demographic factors and target's pricing
 * cells use them. Each band carries one value.
 *
 *   vbr_band_parse(p, n, &b)          parse a key; 0, or -1 if malformed
 *   vbr_bands_add(t, &b)              add a band; -1, or the index of a band
 *                                     of the same sex whose ages overlap
 *   vbr_bands_find(t, sex, n, age)    the band index of a member, or -1
 */
#ifndef VBR_BAND_H
#define VBR_BAND_H

#include <stddef.h>
#include <stdint.h>

#define VBR_MAX_AGE 130

struct vbr_band {
	char sex;
	int lo, hi;
	int64_t value;
};

struct vbr_bands {
	struct vbr_band *band;
	int n;
	int16_t of[256][VBR_MAX_AGE + 1];   /* sex byte, age → index + 1 */
};

int vbr_band_parse(const char *p, size_t n, struct vbr_band *b);
int vbr_bands_add(struct vbr_bands *t, const struct vbr_band *b);

/* inline: mix-factor calls it once per member row */
static inline int vbr_bands_find(const struct vbr_bands *t, const char *sex, size_t n,
				 int64_t age)
{
	if (n != 1 || age < 0 || age > VBR_MAX_AGE)
		return -1;
	return t->of[(unsigned char)sex[0]][age] - 1;
}
void vbr_bands_free(struct vbr_bands *t);

#endif
