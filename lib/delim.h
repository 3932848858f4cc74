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
 */
#ifndef VBR_DELIM_H
#define VBR_DELIM_H

#include "names.h"
#include "reader.h"

enum vbr_delim_format { VBR_DELIM_DETECT, VBR_DELIM_CSV, VBR_DELIM_TSV };
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
	const char *source;
	const char *defect;
	char defect_buf[96];
};

void vbr_delim_open(struct vbr_delim *d, const char *const *operands, int n,
		    enum vbr_delim_format format);
int vbr_delim_column(const struct vbr_delim *d, const char *name);
int vbr_delim_next(struct vbr_delim *d);
void vbr_delim_close(struct vbr_delim *d);

#endif
