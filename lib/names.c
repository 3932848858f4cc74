/* names.c — name → value tables and "did you mean"; see names.h. */
#include "names.h"

#include <stdio.h>
#include <string.h>

int vbr_name_find(const struct vbr_name *t, const char *p, size_t n, int *value)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && memcmp(t->name, p, n) == 0) {
			*value = t->value;
			return 0;
		}
	return -1;
}

const char *vbr_name_of(const struct vbr_name *t, int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

const char *vbr_names_list(const struct vbr_name *t, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct vbr_name *x = t; x->name && used < len; x++) {
		const char *sep = x == t ? "" : x[1].name ? ", " : " or ";
		int k = snprintf(buf + used, len - used, "%s%s", sep, x->name);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	return buf;
}

/* Edit distance between two short strings (insert, delete, substitute). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Near enough: a third of a long name's letters, three of a short one's. */
const char *vbr_suggest(const char *name, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(name, names[i]);
		if (dist < bestd) {
			bestd = dist;
			best = names[i];
		}
	}
	size_t len = strlen(name);
	return bestd <= (len > 9 ? len / 3 : 3) ? best : NULL;
}
