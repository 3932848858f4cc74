/*
 * names.h — name → value tables for every enumerated term, option and
 * column value (quality_mode, risk, roster role, cost_basis, --format, ...),
 * instead of strcmp chains. A table is an array of struct vbr_name ending
 * with {NULL, 0}.
 *
 *   vbr_name_find(t, p, n, &value)   0 and the value when p[0..n) is a name
 *                                    of t, -1 otherwise
 *   vbr_name_of(t, value)            the name of a value; NULL if none
 *   vbr_names_list(t, buf, len)      "a, b or c", for messages and --help
 *   vbr_suggest(name, names, n)      the nearest of n names by edit
 *                                    distance, when near enough ("did you
 *                                    mean"); NULL otherwise
 *   LEN(array)                       the number of elements of an array
 */
#ifndef VBR_NAMES_H
#define VBR_NAMES_H

#include <stddef.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

struct vbr_name {
	const char *name;
	int value;
};

int vbr_name_find(const struct vbr_name *t, const char *p, size_t n, int *value);
const char *vbr_name_of(const struct vbr_name *t, int value);
const char *vbr_names_list(const struct vbr_name *t, char *buf, size_t len);
const char *vbr_suggest(const char *name, const char *const *names, size_t n);

#endif
