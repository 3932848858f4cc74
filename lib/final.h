/*
 * final.h — final-action claims: the versions of one claim line (the
 * original, its adjustments, its cancellation) netted to the version CMS
 * pays, as the CCLF files need (ingest(1), CCLF profiles).
 *
 * A version belongs to the claim line its natural key names (for Part B
 * lines: the claim control number, the line number and the beneficiary).
 * When no version of a key is an adjustment or a cancellation, every
 * version is a claim line of its own (originals that share a key are
 * distinct claims). Otherwise the final action is the version with the
 * latest effective date — on a tie an adjustment before an original
 * before a cancellation, then the larger claim id (a longer id is larger:
 * CMS's ids are numbers) — and the claim line is
 * that version's row, or nothing when it is a cancellation; the other
 * versions are superseded.
 *
 *   vbr_final_init(f)
 *   vbr_final_add(f, key, effective, type, claim_id, row)
 *                          type: VBR_ORIGINAL, VBR_CANCEL or VBR_ADJUSTMENT;
 *                          row: the canonical output line (without LF)
 *   vbr_final_emit(f, put, ctx)   put(ctx, row, claim_id) for each claim
 *                          line's final version, in the order the keys
 *                          were first seen; counts in f->superseded and
 *                          f->cancelled
 *   vbr_final_free(f)
 * Memory: every version's row until the end of the input.
 */
#ifndef VBR_FINAL_H
#define VBR_FINAL_H

#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "reader.h"

enum vbr_adjustment { VBR_ORIGINAL = 0, VBR_CANCEL = 1, VBR_ADJUSTMENT = 2 };

struct vbr_final_version;

struct vbr_final {
	struct vbr_intern keys;
	struct vbr_final_group {
		uint32_t first, last;    /* versions + 1, 0 none */
		int adjusted;            /* a cancellation or adjustment is among them */
	} *group;
	size_t gcap;
	struct vbr_final_version *v;
	size_t nv, vcap;
	char *bytes;                 /* rows and claim ids */
	size_t nbytes, bcap;
	uint64_t superseded, cancelled;
};

void vbr_final_init(struct vbr_final *f);
void vbr_final_add(struct vbr_final *f, struct vbr_field key, int32_t effective,
		   enum vbr_adjustment type, struct vbr_field claim_id, struct vbr_field row);
typedef void vbr_final_put(void *ctx, struct vbr_field row, struct vbr_field claim_id);
void vbr_final_emit(struct vbr_final *f, vbr_final_put *put, void *ctx);
void vbr_final_free(struct vbr_final *f);

#endif
