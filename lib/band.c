/* band.c — demographic bands `SEX:LO-HI`; see band.h. */
#include "band.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int vbr_band_parse(const char *p, size_t n, struct vbr_band *b)
{
	char key[64];
	int lo, hi, used = 0;
	if (n >= sizeof key)
		return -1;
	memcpy(key, p, n);
	key[n] = 0;
	if (sscanf(key, "%c:%d-%d%n", &b->sex, &lo, &hi, &used) != 3 || used != (int)n ||
	    lo < 0 || hi < lo || lo > VBR_MAX_AGE)
		return -1;
	b->lo = lo;
	b->hi = hi;
	return 0;
}

int vbr_bands_add(struct vbr_bands *t, const struct vbr_band *b)
{
	for (int i = 0; i < t->n; i++)
		if (t->band[i].sex == b->sex && b->lo <= t->band[i].hi && t->band[i].lo <= b->hi)
			return i;
	t->band = vbr_xrealloc(t->band, (size_t)(t->n + 1) * sizeof *t->band);
	t->band[t->n++] = *b;
	for (int age = b->lo; age <= b->hi && age <= VBR_MAX_AGE; age++)
		t->of[(unsigned char)b->sex][age] = (int16_t)t->n;
	return -1;
}

void vbr_bands_free(struct vbr_bands *t)
{
	free(t->band);
	t->band = NULL;
	t->n = 0;
}
