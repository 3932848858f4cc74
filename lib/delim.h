/*
 * delim.h — foreign delimited input for ingest: RFC 4180 CSV (quoted
 * fields, doubled quotes, commas and line breaks inside quotes, CRLF) or
 * TSV without quoting, with any column names. A UTF-8 byte-order mark at the
 * start of an operand is dropped; each operand's header must equal the
 * first's.
 *
 *   vbr_delim_formats[]                     csv, tsv (enum vbr_delim_format)
 *   vbr_delim_open(d, operands, n, format)  format: CSV, TSV or DETECT to
 *                                          guess from the first line (TAB → tsv)
 *   vbr_delim_column(d, name)               index or -1
 *   vbr_delim_next(d)                       1 with d->field[0..ncols), 0 at end;
 *                                          d->defect set for a malformed record
 *   d->source, d->lineno                    where the record started
 *   d->single_line = 1                      the layout has no line breaks in
 *                                          fields (claims): a quote still open
 *                                          at the end of its line makes that
 *                                          line a defect, and reading resumes
 *                                          at the next
 * A record holding a NUL byte is a defect.
 *
 *   vbr_fixed_layout_load(l, path)          a layout file: columns name,
 *                                          start, length (64 if bad)
 *   vbr_delim_open_fixed(d, operands, n, l) fixed-width records: no header
 *                                          (the layout names the columns),
 *                                          fields cut by bytes and trimmed
 *                                          of spaces; a record of another
 *                                          length is a defect
 *   vbr_delim_column_place(d, col, buf, n)  "column 5" or "bytes 82-98", for
 *                                          messages
 */
#ifndef VBR_DELIM_H
#define VBR_DELIM_H

#include "names.h"
#include "reader.h"

enum vbr_delim_format { VBR_DELIM_DETECT, VBR_DELIM_CSV, VBR_DELIM_TSV };

/* A fixed-width layout: each source column's name and bytes (start from
 * 1, length); records have no header and are exactly as long as the
 * layout's last byte. */
struct vbr_fixed_column {
	const char *name;
	int start, length;
};
struct vbr_fixed_layout {
	struct vbr_fixed_column *col;
	int ncols, record_length;
};
extern const struct vbr_name vbr_delim_formats[];

struct vbr_delim {
	struct vbr_reader in;
	int csv;
	char **header;
	int ncols;
	struct vbr_field *field;
	int nfields;
	size_t fcap;
	char *scratch;
	size_t scap;
	uint64_t lineno;
	int single_line;        /* set after open: no line breaks inside quotes */
	const struct vbr_fixed_layout *fixed;   /* NULL: CSV or TSV */
	const char *source;
	const char *defect;
	char defect_buf[96];
};

void vbr_delim_open(struct vbr_delim *d, const char *const *operands, int n,
		    enum vbr_delim_format format);
void vbr_delim_open_fixed(struct vbr_delim *d, const char *const *operands, int n,
			  const struct vbr_fixed_layout *layout);
void vbr_fixed_layout_load(struct vbr_fixed_layout *l, const char *path);
void vbr_fixed_layout_free(struct vbr_fixed_layout *l);
const char *vbr_delim_column_place(const struct vbr_delim *d, int col, char *buf, size_t len);
int vbr_delim_column(const struct vbr_delim *d, const char *name);
int vbr_delim_next(struct vbr_delim *d);
void vbr_delim_close(struct vbr_delim *d);

#endif
