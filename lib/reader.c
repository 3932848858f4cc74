/*
 * reader.c — block-buffered line splitting (memchr) and TAB field slicing
 * over a sequence of operands whose headers must match.
 */
#include "reader.h"
#include "error.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define READ_BLOCK (512 * 1024)

static const char *const stdin_operand[] = {"-"};

size_t vbr_max_record = (size_t)1 << 20;

/* Refill the buffer: move the unread tail to the front, grow if a single
 * line fills the whole buffer, then read one block. */
static void refill(struct vbr_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->nul_end = r->nul_end > r->start ? r->nul_end - r->start : 0;
		r->start = 0;
	}
	if (r->cap - r->end < READ_BLOCK / 2) {
		/* the unread bytes are one line without its end: too long? */
		if (r->end > vbr_max_record)
			vbr_die(EX_DATAERR, "%s:%llu: a record longer than %zu bytes (--max-record)",
				vbr_reader_name(r), (unsigned long long)r->lineno + 1, vbr_max_record);
		r->cap *= 2;
		r->buf = vbr_xrealloc(r->buf, r->cap);
	}
	size_t n = vbr_source_read(r->src, r->buf + r->end, r->cap - r->end);
	if (n == 0)
		r->eof = 1;
	if (memchr(r->buf + r->end, 0, n))
		r->nul_end = r->end + n;
	r->end += n;
}

const char *vbr_reader_raw_line(struct vbr_reader *r, size_t *len)
{
	size_t scanned = 0;
	for (;;) {
		const char *p = r->buf + r->start;
		size_t avail = r->end - r->start;
		const char *nl = memchr(p + scanned, '\n', avail - scanned);
		if (nl) {
			*len = (size_t)(nl - p);
			r->start += *len + 1;
			r->lineno++;
			return p;
		}
		if (r->eof) {
			if (avail == 0)
				return NULL;
			/* last line without LF: accept it as a line */
			*len = avail;
			r->start = r->end;
			r->lineno++;
			return p;
		}
		scanned = avail;
		refill(r);
	}
}

const char *vbr_reader_name(const struct vbr_reader *r)
{
	return vbr_source_name(r->src);
}

const char *vbr_reader_place(struct vbr_reader *r)
{
	snprintf(r->place, sizeof r->place, "%s:%llu", vbr_reader_name(r),
		 (unsigned long long)r->lineno);
	return r->place;
}

/* "file:line" of line lineno of operand cur (the current one, or one
 * read before it), for a message about a line read earlier. */
const char *vbr_reader_place_at(struct vbr_reader *r, int cur, uint64_t lineno)
{
	const char *name = cur == r->cur && r->src ? vbr_reader_name(r)
			   : strcmp(r->operands[cur], "-") == 0 ? vbr_stdin_name
								 : r->operands[cur];
	snprintf(r->place, sizeof r->place, "%s:%llu", name, (unsigned long long)lineno);
	return r->place;
}

/* A NUL byte would end an id at the NUL in every message and table. */
const char vbr_nul_defect[] = "a NUL byte in the record (vbr(7): text fields hold no NUL)";

/* A CR before LF, with the fix: CRLF files belong to ingest. */
static const char cr_hint[] = "line ends with CR (CRLF line ends); convert the "
			      "file with 'ingest' or 'tr -d \"\\r\"'";

static void check_cr(struct vbr_reader *r, const char *line, size_t len)
{
	if (len > 0 && line[len - 1] == '\r')
		vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(r), cr_hint);
}

/* Read the header of the operand just opened; the first operand's
 * header becomes the stream's, later ones must match it byte for byte. */
static void start_source(struct vbr_reader *r)
{
	r->src = vbr_source_open_tee(r->operands[r->cur], r->tee_fd, r->tee_name);
	vbr_cleanup_pop(r->src);        /* the reader's own cleanup closes it */
	r->start = r->end = 0;
	r->eof = 0;
	r->lineno = 0;
}


static void read_header(struct vbr_reader *r)
{
	size_t len;
	const char *h = vbr_reader_raw_line(r, &len);
	if (!h)
		vbr_die(EX_DATAERR, "%s: empty input: no header line",
			vbr_reader_name(r));
	check_cr(r, h, len);
	if (r->header == NULL) {
		r->header = vbr_xstrndup(h, len);
		r->header_len = len;
		return;
	}
	if (len != r->header_len || memcmp(h, r->header, len) != 0)
		vbr_die(EX_DATAERR, "%s:1: header differs from the header of %s",
			vbr_reader_name(r), r->operands[0]);
}

/* Split the header into column names and check their syntax. */
static void parse_header(struct vbr_reader *r)
{
	int n = 1;
	for (size_t i = 0; i < r->header_len; i++)
		n += r->header[i] == '\t';
	r->ncols = n;
	r->colname = vbr_xcalloc((size_t)n, sizeof *r->colname);
	r->field = vbr_xcalloc((size_t)n, sizeof *r->field);
	const char *p = r->header, *end = r->header + r->header_len;
	for (int c = 0; c < n; c++) {
		const char *t = memchr(p, '\t', (size_t)(end - p));
		if (!t)
			t = end;
		r->colname[c] = vbr_xstrndup(p, (size_t)(t - p));
		const char *nm = r->colname[c];
		int ok = nm[0] >= 'a' && nm[0] <= 'z';
		for (const char *q = nm; ok && *q; q++)
			ok = (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_';
		if (!ok)
			vbr_die(EX_DATAERR, "%s:1: column %d: invalid column name '%s' "
				"(names are [a-z][a-z0-9_]*)", vbr_reader_name(r), c + 1, nm);
		for (int d = 0; d < c; d++)
			if (strcmp(r->colname[d], nm) == 0)
				vbr_die(EX_DATAERR, "%s:1: column %d: duplicate column name '%s'",
					vbr_reader_name(r), c + 1, nm);
		p = t + 1;
	}
}

static void close_on_error(void *r)
{
	vbr_reader_close(r);
}

static void init(struct vbr_reader *r, const char *const *operands, int n)
{
	memset(r, 0, sizeof *r);
	r->tee_fd = -1;
	vbr_cleanup_push(close_on_error, r);
	if (n == 0) {
		operands = stdin_operand;
		n = 1;
	}
	r->operands = operands;
	r->noperands = n;
	r->cap = 2 * READ_BLOCK;
	r->buf = vbr_xmalloc(r->cap);
}

void vbr_reader_open_lines(struct vbr_reader *r, const char *const *operands, int n)
{
	init(r, operands, n);
	start_source(r);
}

int vbr_reader_next_operand(struct vbr_reader *r)
{
	if (r->cur + 1 >= r->noperands)
		return 0;
	vbr_source_close(r->src);
	r->src = NULL;
	r->cur++;
	start_source(r);
	return 1;
}

void vbr_reader_open(struct vbr_reader *r, const char *const *operands, int n)
{
	vbr_reader_open_tee(r, operands, n, -1, NULL);
}

void vbr_reader_open_tee(struct vbr_reader *r, const char *const *operands, int n, int tee_fd,
			 const char *tee_name)
{
	init(r, operands, n);
	r->tee_fd = tee_fd;
	r->tee_name = tee_name;
	start_source(r);
	read_header(r);
	parse_header(r);
}

#define SPLIT_MIN ((uint64_t)4 << 20)   /* smaller files are read by one reader */

/* The byte after the first LF at or after `from`, or `size` if none. */
static uint64_t line_start_after(int fd, uint64_t from, uint64_t size)
{
	char b[65536];
	while (from < size) {
		ssize_t n = pread(fd, b, sizeof b, (off_t)from);
		if (n <= 0)
			return size;
		const char *nl = memchr(b, '\n', (size_t)n);
		if (nl)
			return from + (uint64_t)(nl - b) + 1;
		from += (uint64_t)n;
	}
	return size;
}

/* Is the file plain (not gzip data)? */
static int plain(const char *path)
{
	int fd = open(path, O_RDONLY);
	unsigned char magic[2];
	if (fd < 0)
		return 0;
	int gz = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
	close(fd);
	return !gz;
}

/* Cut a plain file into up to max parts of about equal size, each ending at
 * a line end, the first holding the header: cut[i] .. cut[i + 1] is part i.
 * Returns the number of parts; 0 for gzip data. */
static int find_cuts(const char *path, uint64_t size, int max, uint64_t *cut)
{
	int fd = plain(path) ? open(path, O_RDONLY) : -1;
	if (fd < 0)
		return 0;
	int parts = 1;
	cut[0] = 0;
	uint64_t at = line_start_after(fd, 0, size);   /* past the header */
	for (int i = 1; i < max; i++) {
		uint64_t target = size / (uint64_t)max * (uint64_t)i;
		uint64_t c = line_start_after(fd, target > at ? target - 1 : at, size);
		if (c >= size)                   /* c > at: one record at least */
			break;
		cut[parts++] = at = c;
	}
	cut[parts] = size;
	close(fd);
	return parts;
}

/* The size of operands[0] when it is the one operand and a regular file
 * of SPLIT_MIN bytes or more (gzip or not), else 0. */
static uint64_t big_file(const char *const *operands, int n)
{
	struct stat st;
	if (n == 1 && strcmp(operands[0], "-") != 0 && stat(operands[0], &st) == 0 &&
	    S_ISREG(st.st_mode) && (uint64_t)st.st_size >= SPLIT_MIN)
		return (uint64_t)st.st_size;
	return 0;
}

int vbr_reader_big_file(const struct vbr_reader *r)
{
	return r->operands && big_file(r->operands, r->noperands);
}

int vbr_reader_open_split(struct vbr_reader *part, int max, const char *const *operands, int n)
{
	uint64_t cut[VBR_SPLIT_MAX + 1], size = big_file(operands, n);
	int parts = 0;
	if (max > VBR_SPLIT_MAX)
		max = VBR_SPLIT_MAX;
	if (max > 1 && size)
		parts = find_cuts(operands[0], size, max, cut);
	if (parts < 2) {
		vbr_reader_open(part, operands, n);
		return 1;
	}
	for (int i = 0; i < parts; i++) {
		struct vbr_reader *r = &part[i];
		init(r, operands, 1);
		r->src = vbr_source_open_range(operands[0], cut[i], cut[i + 1] - cut[i]);
		vbr_cleanup_pop(r->src);
		if (i == 0) {
			read_header(r);
		} else {
			r->header = vbr_xstrndup(part[0].header, part[0].header_len);
			r->header_len = part[0].header_len;
		}
		parse_header(r);
	}
	return parts;
}

int vbr_reader_column(const struct vbr_reader *r, const char *name)
{
	for (int c = 0; c < r->ncols; c++)
		if (strcmp(r->colname[c], name) == 0)
			return c;
	return -1;
}

int vbr_reader_require(const struct vbr_reader *r, const char *name)
{
	int c = vbr_reader_column(r, name);
	if (c < 0)
		vbr_die(EX_DATAERR, "%s:1: required column '%s' is missing",
			vbr_reader_name(r), name);
	return c;
}

/* Record a field ending at x and count it; fields past the header's count
 * are counted, not stored. */
#define FIELD_END(x)                                                        \
	do {                                                                \
		if (c < r->ncols) {                                         \
			r->field[c].p = fstart;                             \
			r->field[c].n = (size_t)((x) - fstart);             \
		}                                                           \
		c++;                                                        \
		fstart = (x) + 1;                                           \
	} while (0)

/* Split the record at buf[start] into fields in one pass that finds TABs
 * and the LF together (16 bytes at a time with SSE2). Returns the line's
 * length, or -1 when the buffer holds no complete line yet. */
static ssize_t split_line(struct vbr_reader *r, int *nfields)
{
	const char *p = r->buf + r->start, *end = r->buf + r->end;
	const char *q = p, *fstart = p;
	int c = 0;
#ifdef __SSE2__
	const __m128i tab = _mm_set1_epi8('\t'), nl = _mm_set1_epi8('\n');
	while (end - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		unsigned mt = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
		if (mn)                         /* tabs after the LF are not ours */
			mt &= (mn & -mn) - 1;
		while (mt) {
			FIELD_END(q + __builtin_ctz(mt));
			mt &= mt - 1;
		}
		if (mn) {
			const char *x = q + __builtin_ctz(mn);
			FIELD_END(x);
			*nfields = c;
			return x - p;
		}
		q += 16;
	}
#endif
	for (; q < end; q++) {
		if (*q == '\t') {
			FIELD_END(q);
		} else if (*q == '\n') {
			FIELD_END(q);
			*nfields = c;
			return q - p;
		}
	}
	if (!r->eof || p == end)
		return -1;
	FIELD_END(end);                     /* last line without LF */
	*nfields = c;
	return end - p;
}

int vbr_reader_next(struct vbr_reader *r)
{
	ssize_t len;
	int c;
	for (;;) {
		len = split_line(r, &c);
		if (len >= 0)
			break;
		if (!r->eof) {
			refill(r);
			continue;
		}
		if (!vbr_reader_next_operand(r))
			return 0;
		read_header(r);
	}
	const char *line = r->buf + r->start;
	r->start += (size_t)len + (r->start + (size_t)len < r->end);
	r->lineno++;
	r->line = line;
	r->line_len = (size_t)len;
	r->records++;
	r->defect = NULL;
	if (len > 0 && line[len - 1] == '\r')
		r->defect = cr_hint;
	else if (vbr_reader_line_has_nul(r, line, (size_t)len))
		r->defect = vbr_nul_defect;
	else if (c != r->ncols) {
		snprintf(r->defect_buf, sizeof r->defect_buf,
			 "%d fields, header has %d", c, r->ncols);
		r->defect = r->defect_buf;
	}
	if (r->defect && r->strict)
		vbr_die(r->strict, "%s: %s", vbr_reader_place(r), r->defect);
	return 1;
}

void vbr_reader_open_side(struct vbr_reader *r, const char *path, int status)
{
	init(r, r->side, 1);
	r->side[0] = path;      /* after init, which clears the reader */
	start_source(r);
	read_header(r);
	parse_header(r);
	r->strict = status;
}

void vbr_reader_close(struct vbr_reader *r)
{
	vbr_cleanup_pop(r);
	vbr_source_close(r->src);
	vbr_free_strings(r->colname, (size_t)r->ncols);
	free(r->field);
	free(r->header);
	free(r->buf);
	memset(r, 0, sizeof *r);
}
