/*
 * sheet.h — a small stream held whole in memory: the per-org outputs report
 * reads (settlement, target, mix, simulation, draws), where every row is
 * needed at once and looked up by org. Cells are NUL-terminated copies; each
 * row remembers its file and line, so a bad value found later is still
 * reported as vbr(7) asks. Loading is strict: a malformed record exits 65.
 *
 *   vbr_sheet_load(s, operands, n)   read every record ("-" or none: stdin)
 *   vbr_sheet_col(s, name)           column index or -1
 *   vbr_sheet_need(s, name)          column index; dies 65 when absent
 *   vbr_sheet_cell(s, row, col)      the text ("" when col < 0)
 *   vbr_sheet_cents / _rate / _count (s, row, col, &v)
 *                                    0 for an empty cell, 1 when parsed;
 *                                    a bad value exits 65 naming the place
 *   vbr_sheet_free(s)
 */
#ifndef VBR_SHEET_H
#define VBR_SHEET_H

#include <stddef.h>
#include <stdint.h>

struct vbr_sheet {
	int ncols;
	char **col;             /* column names */
	size_t nrows, cap;
	char **cell;            /* nrows × ncols, row-major */
	uint32_t *src;          /* per row: index into source */
	uint64_t *line;         /* per row: line number in its file */
	int nsources;
	char **source;          /* operand names */
};

void vbr_sheet_load(struct vbr_sheet *s, const char *const *operands, int n);
int vbr_sheet_col(const struct vbr_sheet *s, const char *name);
int vbr_sheet_need(const struct vbr_sheet *s, const char *name);
const char *vbr_sheet_cell(const struct vbr_sheet *s, size_t row, int col);
int vbr_sheet_cents(const struct vbr_sheet *s, size_t row, int col, int64_t *v);
int vbr_sheet_rate(const struct vbr_sheet *s, size_t row, int col, int64_t *v);
int vbr_sheet_count(const struct vbr_sheet *s, size_t row, int col, int64_t *v);
void vbr_sheet_free(struct vbr_sheet *s);

#endif
