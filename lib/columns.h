/*
 * columns.h — a tool's output columns as one table that drives the header,
 * every row and the programme total row, so a header and its writer cannot
 * drift apart. A row is the tool's own struct: each column names a field
 * of it (offsetof) and how the field is written.
 *
 *   struct vbr_column          name, cell type, offset, fixed-point scale
 *                              and decimals, the option group it belongs
 *                              to (`when`), whether the total row sums it
 *   VBR_EMPTY                  an int64 cell with no value: an empty field
 *   vbr_columns_header(w, cols, mask)     the header line
 *   vbr_columns_start(w, cols, mask)      the header line, flushed at once so
 *                                         a broken pipeline fails fast
 *   vbr_columns_stdout(w, cols, mask)     w on standard output, then start
 *   vbr_columns_row(w, cols, mask, row)   one row
 *   vbr_columns_clear(cols, row)          every value cell of row VBR_EMPTY
 *   vbr_columns_sum(cols, mask, total, row, what)
 *                              add the row's summed columns into total
 *                              (a cleared total starts at 0), checked: an
 *                              overflow exits 65 naming `what`
 *
 * mask: the optional column groups in force; a column with when ≠ 0 is
 * written only when (mask & when) ≠ 0.
 */
#ifndef VBR_COLUMNS_H
#define VBR_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "writer.h"

#define VBR_EMPTY INT64_MIN

enum vbr_cell_type {
	VBR_CELL_ID,       /* struct vbr_text: bytes, written as they are */
	VBR_CELL_COUNT,    /* int64_t */
	VBR_CELL_CENTS,    /* int64_t cents, written as dollars */
	VBR_CELL_FIXED,    /* int64_t in 10^-scale, written with `decimals` */
	VBR_CELL_FLAG,     /* int64_t 0 or 1, written N or Y */
};

/* An id cell: the bytes of an org or member id; {NULL, 0} is empty. */
struct vbr_text {
	const char *p;
	size_t n;
};

struct vbr_column {
	const char *name;
	enum vbr_cell_type type;
	size_t offset;
	int scale, decimals;     /* VBR_CELL_FIXED */
	unsigned when;           /* 0: always written */
	int sum;                 /* the total row is the sum of the rows */
};

/* Column helpers: VBR_COL_CENTS(struct row, gross, "gross_savings", .sum = 1) */
#define VBR_COL_ID(row_, field_, name_)                                                   \
	{.name = name_, .type = VBR_CELL_ID, .offset = offsetof(row_, field_)}
#define VBR_COL_COUNT(row_, field_, name_, ...)                                           \
	{.name = name_, .type = VBR_CELL_COUNT, .offset = offsetof(row_, field_), __VA_ARGS__}
#define VBR_COL_CENTS(row_, field_, name_, ...)                                           \
	{.name = name_, .type = VBR_CELL_CENTS, .offset = offsetof(row_, field_), __VA_ARGS__}
#define VBR_COL_FIXED(row_, field_, name_, scale_, decimals_, ...)                        \
	{.name = name_, .type = VBR_CELL_FIXED, .offset = offsetof(row_, field_),           \
	 .scale = scale_, .decimals = decimals_, __VA_ARGS__}
#define VBR_COL_FLAG(row_, field_, name_, ...)                                            \
	{.name = name_, .type = VBR_CELL_FLAG, .offset = offsetof(row_, field_), __VA_ARGS__}

/* The key attribution and cohort rows share: member_id, period, org_id,
 * from the row's text fields member, period and org. */
#define VBR_COLS_MEMBER_PERIOD_ORG(row_)                                                  \
	VBR_COL_ID(row_, member, "member_id"), VBR_COL_ID(row_, period, "period"),          \
	VBR_COL_ID(row_, org, "org_id")

void vbr_columns_header(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask);
void vbr_columns_start(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask);
void vbr_columns_stdout(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask);
void vbr_columns_row(struct vbr_writer *w, const struct vbr_column *cols, unsigned mask,
		     const void *row);
void vbr_columns_clear(const struct vbr_column *cols, void *row);
void vbr_columns_sum(const struct vbr_column *cols, unsigned mask, void *total,
		     const void *row, const char *what);

#endif
