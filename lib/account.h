/*
 * account.h — every input record is written, rejected with a reason, or
 * counted as left out (vbr(7), EXIT STATUS and ACCOUNTING).
 *
 *   vbr_account_init(a, rejects_path, max_rejects)
 *   vbr_account_reason(a, "claims outside any period")  register a left-out
 *                                     reason; returns its slot
 *   a->left[slot].n++                 count a record left out for it
 *   a->written++                      count an output record
 *   vbr_reject(a, r, reason)          a bad record of reader r: without
 *                                     --rejects (or with a NULL account, for a
 *                                     strict side file) die 65 naming the
 *                                     place; with it, append line +
 *                                     reject_reason, source, line and go on
 *   vbr_reject_fields(a, header, fields, n, source, line, reason)
 *                                     the same for records not read by a
 *                                     vbr_reader (CSV input in ingest)
 *   vbr_field_id(a, r, col)           a non-empty id, or the record rejected
 *   vbr_field_date/amount/rate/count(a, r, col, &out)
 *                                     parse field col of r's record; a bad or
 *                                     missing value rejects the record (as
 *                                     vbr_reject, the vbr(7) message) and
 *                                     returns 0; 1 when the value is good
 *   vbr_id_list_load(path, column, ids)
 *                                     a side file that is a list of codes
 *                                     (qualifying services, excluded
 *                                     diagnoses): each row's `column`,
 *                                     interned into ids; strict (65)
 *   vbr_die_field(r, col, type, rc, note)
 *                                     a bad field of a strict side input:
 *                                     die 65 with the vbr(7) message + note
 *   vbr_account_finish(a, verbose)    print the -v line (reasons that
 *                                     counted anything; a->name, when set,
 *                                     as its first word); return the exit
 *                                     status (65 when more records were
 *                                     rejected than --max-rejects allows)
 */
#ifndef VBR_ACCOUNT_H
#define VBR_ACCOUNT_H

#include <stdint.h>

#include "reader.h"
#include "writer.h"

#define VBR_MAX_REASONS 24

struct vbr_account {
	uint64_t read, written, rejected;
	const char *written_label;   /* -v word for written; "written" if NULL */
	const char *name;            /* -v line's first word; the tool's if NULL */
	int nleft;
	struct {
		const char *reason;
		uint64_t n;
	} left[VBR_MAX_REASONS];
	const char *rejects_path;
	int64_t max_rejects;
	struct vbr_writer rejects;
	int rejects_open;
};

void vbr_account_init(struct vbr_account *a, const char *rejects_path,
		      int64_t max_rejects);
int vbr_account_reason(struct vbr_account *a, const char *reason);
void vbr_reject(struct vbr_account *a, struct vbr_reader *r, const char *reason);
void vbr_reject_fields(struct vbr_account *a, const char *const *header,
		       const struct vbr_field *fields, int n, const char *source,
		       uint64_t line, const char *reason);
int vbr_field_missing_id(struct vbr_account *a, struct vbr_reader *r, int col);

/* Inline: it is on every claim line's path; the rejection is not. */
static inline int vbr_field_id(struct vbr_account *a, struct vbr_reader *r, int col)
{
	return r->field[col].n ? 1 : vbr_field_missing_id(a, r, col);
}
int vbr_field_date(struct vbr_account *a, struct vbr_reader *r, int col, int32_t *out);
int vbr_field_amount(struct vbr_account *a, struct vbr_reader *r, int col, int64_t *out);
int vbr_field_rate(struct vbr_account *a, struct vbr_reader *r, int col, int64_t *out);
int vbr_field_count(struct vbr_account *a, struct vbr_reader *r, int col, int64_t *out);
struct vbr_intern;
void vbr_id_list_load(const char *path, const char *column, struct vbr_intern *ids);
void vbr_die_field(struct vbr_reader *r, int col, const char *type, int rc, const char *note)
	__attribute__((noreturn));
int vbr_account_finish(struct vbr_account *a, int verbose);

#endif
