/*
 * fixedrec.h — write fixed-width records by a layout's column names: the
 * same layouts ingest reads (profiles.c), so what synth writes as CCLF
 * stands at the positions ingest reads it from.
 *
 *   vbr_fixedrec_start(r, layout)     a blank record (spaces)
 *   vbr_fixedrec_set(r, name, value)  the value left-justified in the column
 *   vbr_fixedrec_amount(r, name, cents)   dollars, right-justified
 *   vbr_fixedrec_put(r, w)            write the record and its LF
 * A value longer than its column, or a name not in the layout, is a bug of
 * the caller: exit 70.
 */
#ifndef VBR_FIXEDREC_H
#define VBR_FIXEDREC_H

#include <stdint.h>

#include "delim.h"
#include "writer.h"

struct vbr_fixedrec {
	const struct vbr_fixed_layout *layout;
	char *buf;
	int cap;
};

void vbr_fixedrec_start(struct vbr_fixedrec *r, const struct vbr_fixed_layout *layout);
void vbr_fixedrec_set(struct vbr_fixedrec *r, const char *name, const char *value);
void vbr_fixedrec_amount(struct vbr_fixedrec *r, const char *name, int64_t cents);
void vbr_fixedrec_put(struct vbr_fixedrec *r, struct vbr_writer *w);
void vbr_fixedrec_free(struct vbr_fixedrec *r);

#endif
