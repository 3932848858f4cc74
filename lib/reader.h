/*
 * reader.h — the record stream reader (vbr(7), The stream).
 *
 * Operands are read one after another as one stream ("-" is standard input;
 * none means standard input). Each operand starts with a header line; all
 * headers must be identical. Records come back as field slices into a reused
 * block buffer: nothing is allocated per record or per field.
 *
 *   vbr_reader_open(r, operands, n)   open the first operand, read its header
 *   vbr_reader_open_tee(r, operands, n, fd, name)
 *                                     the same, and the bytes of every operand
 *                                     as read (inflated) are copied to fd
 *                                     (source.h): one operand, for a copy
 *                                     that is one stream
 *   vbr_reader_open_side(r, path, status)
 *                                     open one side file (a roster, a target
 *                                     file, terms), read strictly: a malformed
 *                                     record exits `status` (65 data, 64 terms
 *                                     and mappings) naming its place
 *   vbr_reader_column(r, name)        index of a column, or -1
 *   vbr_reader_require(r, name)       index of a column; dies 65 if absent
 *   vbr_reader_next(r)                next record: 1, or 0 at the end
 *   r->field[i]                       (pointer, length) of field i
 *   r->line, r->line_len              the whole record, without LF
 *   vbr_reader_place(r)               "file:line" of the current record
 *   vbr_reader_place_at(r, cur, line) "file:line" of line `line` of operand
 *                                     cur (the current or an earlier one)
 *   vbr_reader_big_file(r)            is r's input one regular file (plain
 *                                     or gzip) of 4 MiB or more?
 *   vbr_reader_close(r)
 *
 * Strictness: every record has as many fields as the header, holds no NUL
 * byte, and no line ends with CR. A record that breaks this is still returned, with
 * r->defect saying why, so the tool can reject it (account.h) and go on.
 * A bad header (CR, a name that is not [a-z][a-z0-9_]*, a duplicate, a
 * mismatch between operands) is fatal: exit 65.
 */
#ifndef VBR_READER_H
#define VBR_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "source.h"

struct vbr_field {
	const char *p;
	size_t n;
};

struct vbr_reader {
	/* operands */
	const char *const *operands;
	int noperands, cur;
	struct vbr_source *src;
	/* block buffer: [start, end) holds unread bytes */
	char *buf;
	size_t cap, start, end;
	int eof;
	size_t nul_end;         /* no NUL byte in buf at or past this offset */
	/* header of the first operand */
	char *header;
	size_t header_len;
	int ncols;
	char **colname;
	/* current record */
	struct vbr_field *field;
	const char *line;
	size_t line_len;
	uint64_t lineno;        /* line number in the current operand */
	uint64_t records;       /* records read, all operands */
	const char *defect;     /* why the record is malformed, or NULL */
	int strict;             /* a side file: exit status for a defect, 0 none */
	int tee_fd;             /* the copy of what is read, -1 none */
	const char *tee_name;
	const char *side[1];    /* a side file's one operand */
	char defect_buf[96];
	char place[512];
};

/* The longest record (line) a reader accepts, in bytes: a longer one exits
 * 65 with its place, so memory never follows line length (--max-record,
 * default 1 MiB). */
extern size_t vbr_max_record;

void vbr_reader_open(struct vbr_reader *r, const char *const *operands, int n);
void vbr_reader_open_tee(struct vbr_reader *r, const char *const *operands, int n, int tee_fd,
			 const char *tee_name);
void vbr_reader_open_side(struct vbr_reader *r, const char *path, int status);
int vbr_reader_column(const struct vbr_reader *r, const char *name);
int vbr_reader_require(const struct vbr_reader *r, const char *name);
int vbr_reader_next(struct vbr_reader *r);
const char *vbr_reader_name(const struct vbr_reader *r);
const char *vbr_reader_place(struct vbr_reader *r);
const char *vbr_reader_place_at(struct vbr_reader *r, int cur, uint64_t lineno);
int vbr_reader_big_file(const struct vbr_reader *r);
void vbr_reader_close(struct vbr_reader *r);

/* One plain file read as up to max (≤ VBR_SPLIT_MAX) parts on parallel
 * threads: each part ends at a line end and has its own reader; part[0]
 * reads the header, the others start on a record with the same columns.
 * Returns how many readers were opened: 1, a plain vbr_reader_open, for
 * standard input, an archive member, gzip data, several operands or a file
 * under 4 MiB. Line numbers in parts after the first count from the part's
 * start: a tool that meets bad data reads again with one reader to name
 * the line. Each reader is closed with vbr_reader_close. */
#define VBR_SPLIT_MAX 8
int vbr_reader_open_split(struct vbr_reader *part, int max, const char *const *operands, int n);

/* Lower level, for readers of other layouts (delim.h): open the operands
 * without reading a header, take lines of the current operand without their
 * LF (a CR is kept; NULL at its end), and move to the next operand. */
void vbr_reader_open_lines(struct vbr_reader *r, const char *const *operands, int n);
const char *vbr_reader_raw_line(struct vbr_reader *r, size_t *len);

extern const char vbr_nul_defect[];    /* the defect text of such a line */

/* Does the line p (len bytes, in r's buffer, as vbr_reader_raw_line gave
 * it) hold a NUL byte? Each block is searched once as it is read, so a
 * line is searched again only when its block held one. */
static inline int vbr_reader_line_has_nul(const struct vbr_reader *r, const char *p, size_t len)
{
	return r->nul_end > (size_t)(p - r->buf) && memchr(p, 0, len) != NULL;
}
int vbr_reader_next_operand(struct vbr_reader *r);

#endif
