/* Unit tests: record reader, byte sources (gzip, archives) and the
 * CSV/TSV reader of ingest. Fixtures are written at run time. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "delim.h"
#include "fixtures.h"
#include "reader.h"

#define CLAIMS "member_id\tclaim_id\tpaid\nM1\tC1\t10.00\nM2\tC2\t2.50\n"

/* Read every record; return the count and the sum of column `paid`. */
static int read_all(const char *const *ops, int n, long *cents_sum)
{
	struct vbr_reader r;
	vbr_reader_open(&r, ops, n);
	int c = vbr_reader_require(&r, "paid"), count = 0;
	long sum = 0;
	while (vbr_reader_next(&r)) {
		cr_assert_null(r.defect, "%s", r.defect);
		count++;
		long v = strtol(r.field[c].p, NULL, 10);
		if (v > -1000000000L && v < 1000000000L)   /* corrupt input: garbage */
			sum += v * 100;
	}
	vbr_reader_close(&r);
	if (cents_sum)
		*cents_sum = sum;
	return count;
}

Test(reader, header_and_columns_by_name)
{
	const char *ops[] = {fx_text("a.tsv", CLAIMS)};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
	cr_assert_eq(r.ncols, 3);
	cr_assert_eq(vbr_reader_column(&r, "paid"), 2);
	cr_assert_eq(vbr_reader_column(&r, "allowed"), -1);
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_eq(r.field[1].n, 2);
	cr_assert_eq(memcmp(r.field[1].p, "C1", 2), 0);
	char place[300];
	snprintf(place, sizeof place, "%s:2", ops[0]);
	cr_assert_str_eq(vbr_reader_place(&r), place);
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_eq(vbr_reader_next(&r), 0);
	vbr_reader_close(&r);
}

Test(reader, missing_required_column, .exit_code = 65)
{
	const char *ops[] = {fx_text("a.tsv", CLAIMS)};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
	vbr_reader_require(&r, "allowed");
}

Test(reader, short_line_is_a_defect)
{
	const char *ops[] = {fx_text("s.tsv", "a\tb\tc\n1\t2\n1\t2\t3\t4\n1\t2\t3\n")};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_str_eq(r.defect, "2 fields, header has 3");
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_str_eq(r.defect, "4 fields, header has 3");
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_null(r.defect);
	vbr_reader_close(&r);
}

Test(reader, crlf_record_is_a_defect_with_hint)
{
	const char *ops[] = {fx_text("c.tsv", "a\tb\n1\t2\r\n")};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
	cr_assert_eq(vbr_reader_next(&r), 1);
	cr_assert_not_null(strstr(r.defect, "ends with CR"));
	cr_assert_not_null(strstr(r.defect, "ingest"));
	vbr_reader_close(&r);
}

Test(reader, crlf_header_is_fatal, .exit_code = 65)
{
	const char *ops[] = {fx_text("c.tsv", "a\tb\r\n1\t2\r\n")};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
}

Test(reader, bad_column_name_is_fatal, .exit_code = 65)
{
	const char *ops[] = {fx_text("n.tsv", "Member\tb\n1\t2\n")};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
}

Test(reader, empty_input_is_fatal, .exit_code = 65)
{
	const char *ops[] = {fx_text("e.tsv", "")};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
}

Test(reader, missing_file, .exit_code = 66)
{
	const char *ops[] = {"/nonexistent/claims.tsv"};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
}

Test(reader, last_line_without_newline)
{
	const char *ops[] = {fx_text("l.tsv", "paid\n1\n2")};
	long sum;
	cr_assert_eq(read_all(ops, 1, &sum), 2);
	cr_assert_eq(sum, 300);
}

Test(reader, operands_concatenate)
{
	const char *ops[] = {fx_text("a.tsv", CLAIMS), fx_gzip("b.tsv", CLAIMS)};
	long sum;
	cr_assert_eq(read_all(ops, 2, &sum), 4);
}

Test(reader, header_mismatch_between_operands, .exit_code = 65)
{
	const char *ops[] = {fx_text("a.tsv", CLAIMS),
			     fx_text("b.tsv", "member_id\tpaid\nM1\t1\n")};
	read_all(ops, 2, NULL);
}

/* head, then a 3 MiB field, then tail: a line longer than any block. */
static char *long_line_text(const char *head, const char *tail)
{
	size_t n = 3 * 1024 * 1024, at = strlen(head);
	char *big = malloc(at + n + strlen(tail) + 1);
	strcpy(big, head);
	memset(big + at, 'x', n);
	strcpy(big + at + n, tail);
	return big;
}

/* A stream with one long line, plain or gzip, read whole: its records and
 * the sum of paid in cents. */
static void expect_long_line(const char *head, const char *tail, int gzip, int records,
			     long cents)
{
	char *big = long_line_text(head, tail);
	const char *ops[] = {gzip ? fx_gzip("big.tsv.gz", big) : fx_text("big.tsv", big)};
	vbr_max_record = (size_t)16 << 20;      /* the 3 MiB line is allowed here */
	long sum;
	cr_assert_eq(read_all(ops, 1, &sum), records);
	cr_assert_eq(sum, cents);
	free(big);
}

/* one record of $7.00 */
Test(reader, long_line_beyond_block)
{
	expect_long_line("id\tpaid\n", "\t7\n", 0, 1, 700);
}

/* The default limit (1 MiB) stops the same line: exit 65. */
Test(reader, long_line_beyond_max_record, .exit_code = 65, .init = cr_redirect_stderr)
{
	char *big = long_line_text("id\tpaid\n", "\t7\n");
	const char *ops[] = {fx_text("big.tsv", big)};
	read_all(ops, 1, NULL);
}

/* The same through gzip: no mapping, so the block buffer must grow.
 * $1 + $7 + $2 = 1000 cents over 3 records. */
Test(reader, long_line_beyond_block_gzip)
{
	expect_long_line("id\tpaid\nshort\t1\n", "\t7\nlast\t2", 1, 3, 1000);
}

/* ---- sources ---- */

Test(source, gzip_detected_by_magic_not_name)
{
	const char *ops[] = {fx_gzip("plain-name.tsv", CLAIMS)};
	cr_assert_eq(read_all(ops, 1, NULL), 2);
}

Test(source, gzip_multi_member)
{
	const char *a = fx_gzip("m1.gz", "paid\n1\n");
	const char *b = fx_gzip("m2.gz", "2\n3\n");
	size_t na, nb;
	char *da = fx_slurp(a, &na), *db = fx_slurp(b, &nb);
	char *both = malloc(na + nb);
	memcpy(both, da, na);
	memcpy(both + na, db, nb);
	const char *ops[] = {fx_write("m.gz", both, na + nb)};
	long sum;
	cr_assert_eq(read_all(ops, 1, &sum), 3);
	cr_assert_eq(sum, 600);
	free(da), free(db), free(both);
}

/* Big enough that the truncation falls inside deflate data. */
static const char *make_big_gzip(const char *name, size_t *n)
{
	size_t rows = 200000;
	char *text = malloc(rows * 16 + 8);
	size_t at = (size_t)sprintf(text, "paid\n");
	for (size_t i = 0; i < rows; i++)
		at += (size_t)sprintf(text + at, "%zu\n", (i * 7919) % 100000);
	const char *p = fx_gzip(name, text);
	free(text);
	char *d = fx_slurp(p, n);
	free(d);
	return p;
}

Test(source, truncated_gzip, .exit_code = 74)
{
	size_t n;
	const char *p = make_big_gzip("t.gz", &n);
	cr_assert_eq(truncate(p, (off_t)(n / 2)), 0);
	const char *ops[] = {p};
	read_all(ops, 1, NULL);
}

Test(source, gzip_missing_trailer, .exit_code = 74)
{
	size_t n;
	const char *p = make_big_gzip("t8.gz", &n);
	cr_assert_eq(truncate(p, (off_t)(n - 4)), 0);   /* length field gone */
	const char *ops[] = {p};
	read_all(ops, 1, NULL);
}

Test(source, corrupt_gzip, .exit_code = 74)
{
	size_t n;
	const char *p = make_big_gzip("c.gz", &n);
	char *d = fx_slurp(p, &n);
	for (size_t i = n / 3; i < n / 3 + 64; i++)
		d[i] ^= 0x5a;
	const char *ops[] = {fx_write("c.gz", d, n)};
	free(d);
	read_all(ops, 1, NULL);
}

/* A gzip member of text[0..len) at zlib level `level`, with header h (NULL:
 * zlib's plain header); malloc'd, size in *n. */
static unsigned char *gzip_member(const char *text, size_t len, int level, gz_header *h,
				  size_t *n)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	if (h)
		cr_assert_eq(deflateSetHeader(&z, h), Z_OK);
	size_t cap = deflateBound(&z, len) + 128;
	unsigned char *out = malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)text;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*n = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* A gzip member of `text`, stored (level 0) so that its size follows the
 * text's length. */
static unsigned char *stored_gzip(const char *text, size_t len, size_t *n)
{
	return gzip_member(text, len, 0, NULL, n);
}

/* Input is read in 256 KiB blocks. A first member whose 8-byte trailer
 * (CRC-32, length) starts 1..7 bytes before a block boundary must still be
 * checked right, and the second member read after it. */
Test(source, gzip_trailer_across_input_blocks)
{
	const size_t block = 256 * 1024;
	char *text = malloc(block);
	for (int j = 1; j <= 7; j++) {
		/* "paid\n" then "1\n" lines, with an odd last line to fit */
		size_t want = block + (size_t)j, len = 0, n = 0;
		unsigned char *m1 = NULL;
		for (size_t try = block - 200; try < block; try++) {
			memcpy(text, "paid\n", 5);
			for (size_t i = 5; i < try; i += 2)
				memcpy(text + i, "1\n", 2);
			if (try % 2 == 0)        /* keep the last line whole */
				text[try - 1] = '\n';
			free(m1);
			m1 = stored_gzip(text, try, &n);
			if (n == want) {
				len = try;
				break;
			}
		}
		cr_assert_eq(n, want, "no stored size %zu", want);
		size_t lines = 0;
		for (size_t i = 5; i < len; i++)
			lines += text[i] == '\n';
		size_t n2;
		unsigned char *m2 = stored_gzip("paid\n7\n", 7, &n2);
		unsigned char *both = malloc(n + n2);
		memcpy(both, m1, n);
		memcpy(both + n, m2, n2);
		char name[32];
		snprintf(name, sizeof name, "straddle%d.gz", j);
		const char *ops[] = {fx_write(name, both, n + n2)};
		struct vbr_reader r;
		vbr_reader_open(&r, ops, 1);
		size_t count = 0;
		while (vbr_reader_next(&r))
			count++;
		vbr_reader_close(&r);
		/* the second member's header line is a record of the stream */
		cr_assert_eq(count, lines + 2, "j %d: %zu records", j, count);
		free(m1), free(m2), free(both);
	}
	free(text);
}

/* A flipped bit in the trailer's CRC-32 or length: exit 74. */
static void read_with_trailer_byte_flipped(const char *name, size_t from_end)
{
	size_t n;
	const char *p = make_big_gzip(name, &n);
	char *d = fx_slurp(p, &n);
	d[n - from_end] ^= 0x01;
	const char *ops[] = {fx_write(name, d, n)};
	free(d);
	read_all(ops, 1, NULL);
}

Test(source, gzip_crc_mismatch, .exit_code = 74)
{
	read_with_trailer_byte_flipped("crc.gz", 8);
}

Test(source, gzip_length_mismatch, .exit_code = 74)
{
	read_with_trailer_byte_flipped("isize.gz", 1);
}

/* A gzip member whose header carries every optional field (RFC 1952:
 * FEXTRA, FNAME, FCOMMENT and the header CRC FHCRC), as zlib writes it;
 * malloc'd, size in *n. */
static unsigned char *gzip_with_header_fields(const char *text, size_t *n)
{
	gz_header h;
	unsigned char extra[] = {'V', 'B', 4, 0, 'a', 'b', 'c', 'd'};
	memset(&h, 0, sizeof h);
	h.extra = extra;
	h.extra_len = sizeof extra;
	h.name = (Bytef *)"claims.tsv";
	h.comment = (Bytef *)"a payer's comment";
	h.hcrc = 1;
	return gzip_member(text, strlen(text), 6, &h, n);
}

/* The optional header fields are skipped, not read as data; a second
 * member follows after zero padding (as tape tools leave it): the records
 * of both, 1 + 2 + 3 = 6 paid. */
Test(source, gzip_header_fields_and_padding)
{
	size_t n1, n2;
	unsigned char *m1 = gzip_with_header_fields("paid\n1\n2\n", &n1);
	unsigned char *m2 = stored_gzip("3\n", 2, &n2);
	unsigned char *all = calloc(1, n1 + 16 + n2);
	memcpy(all, m1, n1);
	memcpy(all + n1 + 16, m2, n2);          /* 16 zero bytes between */
	const char *ops[] = {fx_write("fields.gz", all, n1 + 16 + n2)};
	long sum;
	cr_assert_eq(read_all(ops, 1, &sum), 3);
	cr_assert_eq(sum, 600);
	free(m1), free(m2), free(all);
}

/* The header's own CRC (FHCRC) is checked: one bit of the file name
 * flipped is corrupt data, 74. */
Test(source, gzip_header_crc_mismatch, .exit_code = 74)
{
	size_t n;
	unsigned char *m = gzip_with_header_fields("paid\n1\n", &n);
	unsigned char *name = memmem(m, n, "claims.tsv", 10);
	cr_assert_not_null(name);
	name[0] ^= 0x01;
	const char *ops[] = {fx_write("hcrc.gz", m, n)};
	free(m);
	read_all(ops, 1, NULL);
}

/* Bytes after a member that are neither a member nor zero padding: 74. */
Test(source, gzip_trailing_garbage, .exit_code = 74)
{
	size_t n;
	unsigned char *m = stored_gzip("paid\n1\n", 7, &n);
	unsigned char *all = malloc(n + 4);
	memcpy(all, m, n);
	memcpy(all + n, "junk", 4);
	const char *ops[] = {fx_write("garbage.gz", all, n + 4)};
	free(m), free(all);
	read_all(ops, 1, NULL);
}

/* A file read as two parts by two readers: together the same records, each
 * once, the second part starting on a record. */
Test(reader, split_parts_cover_the_file_once)
{
	size_t rows = 600000;
	char *text = malloc(rows * 16 + 16);
	size_t at = (size_t)sprintf(text, "member_id\tpaid\n");
	long want = 0;
	for (size_t i = 0; i < rows; i++) {
		long v = (long)((i * 7919) % 100000);
		at += (size_t)sprintf(text + at, "M%zu\t%ld\n", i, v);
		want += v * 100;
	}
	const char *ops[] = {fx_write("split.tsv", text, at)};
	free(text);
	struct vbr_reader part[2];
	int n = vbr_reader_open_split(part, 2, ops, 1);
	cr_assert_eq(n, 2);
	long sum = 0;
	size_t count = 0;
	for (int i = 0; i < n; i++) {
		int c = vbr_reader_require(&part[i], "paid");
		int first = 1;
		while (vbr_reader_next(&part[i])) {
			cr_assert_null(part[i].defect);
			if (first && i == 1)
				cr_assert_eq(part[i].field[0].p[0], 'M');
			first = 0;
			sum += strtol(part[i].field[c].p, NULL, 10) * 100;
			count++;
		}
		cr_assert_gt(part[i].records, 0);
		vbr_reader_close(&part[i]);
	}
	cr_assert_eq(count, rows);
	cr_assert_eq(sum, want);
	/* gzip data and small files are read by one reader */
	const char *gz[] = {fx_gzip("split.gz", "paid\n1\n")};
	cr_assert_eq(vbr_reader_open_split(part, 2, gz, 1), 1);
	vbr_reader_close(&part[0]);
}

static const char *const member_names[] = {"eligibility.tsv", "claims.tsv"};
static const char *const member_texts[] = {"member_id\tmonth\nM1\t2024-01\n", CLAIMS};

Test(source, tar_gz_member)
{
	const char *a = fx_archive("x.tar.gz", "tar.gz", 2, member_names, member_texts);
	char op[300];
	snprintf(op, sizeof op, "%s#claims.tsv", a);
	const char *ops[] = {op};
	struct vbr_reader r;
	vbr_reader_open(&r, ops, 1);
	cr_assert_eq(vbr_reader_next(&r), 1);
	char place[600];
	snprintf(place, sizeof place, "%s:2", op);
	cr_assert_str_eq(vbr_reader_place(&r), place);
	vbr_reader_close(&r);
	cr_assert_eq(read_all(ops, 1, NULL), 2);
}

Test(source, zip_member)
{
	const char *a = fx_archive("x.zip", "zip", 2, member_names, member_texts);
	char op[300];
	snprintf(op, sizeof op, "%s#claims.tsv", a);
	const char *ops[] = {op};
	long sum;
	cr_assert_eq(read_all(ops, 1, &sum), 2);
	cr_assert_eq(sum, 1200);
}

Test(source, missing_archive_member, .exit_code = 66)
{
	const char *a = fx_archive("y.zip", "zip", 2, member_names, member_texts);
	char op[300];
	snprintf(op, sizeof op, "%s#roster.tsv", a);
	const char *ops[] = {op};
	read_all(ops, 1, NULL);
}

Test(source, corrupt_zip, .exit_code = 74)
{
	/* a member big enough to be deflated, then its data overwritten */
	size_t rows = 50000;
	char *text = malloc(rows * 16 + 8);
	size_t at = (size_t)sprintf(text, "paid\n");
	for (size_t i = 0; i < rows; i++)
		at += (size_t)sprintf(text + at, "%zu\n", (i * 7919) % 100000);
	const char *names[] = {"claims.tsv"};
	const char *texts[] = {text};
	const char *a = fx_archive("z.zip", "zip", 1, names, texts);
	free(text);
	size_t n;
	char *d = fx_slurp(a, &n);
	for (size_t i = n / 3; i < n / 3 + 200; i++)
		d[i] ^= 0xa5;
	fx_write("z.zip", d, n);
	free(d);
	char op[300];
	snprintf(op, sizeof op, "%s#claims.tsv", a);
	const char *ops[] = {op};
	read_all(ops, 1, NULL);
}

/* ---- CSV / TSV for ingest ---- */

/* The next record's field i is exactly text. */
static void expect_next_field(struct vbr_delim *d, int i, const char *text)
{
	size_t n = strlen(text);
	cr_assert_eq(vbr_delim_next(d), 1);
	cr_assert_eq(d->field[i].n, n, "field %d: %zu bytes, not %zu", i, d->field[i].n, n);
	cr_assert_eq(memcmp(d->field[i].p, text, n), 0);
}

/* The next record is malformed, for the reason given. */
static void expect_next_defect(struct vbr_delim *d, const char *defect)
{
	cr_assert_eq(vbr_delim_next(d), 1);
	cr_assert_str_eq(d->defect, defect);
}

Test(delim, rfc4180_quotes_commas_crlf_bom)
{
	const char *csv = "\xEF\xBB\xBF\"ID\",\"NOTE\",AMT\r\n"
			  "1,\"a, b\",3.50\r\n"
			  "2,\"say \"\"hi\"\"\",4\r\n"
			  "3,\"two\r\nlines\",5\r\n"
			  "4,,6\n";
	const char *ops[] = {fx_text("q.csv", csv)};
	struct vbr_delim d;
	vbr_delim_open(&d, ops, 1, VBR_DELIM_DETECT);
	cr_assert(d.csv);
	cr_assert_eq(d.ncols, 3);
	cr_assert_str_eq(d.header[0], "ID");
	cr_assert_eq(vbr_delim_column(&d, "AMT"), 2);
	expect_next_field(&d, 1, "a, b");
	cr_assert_null(d.defect);
	cr_assert_eq(d.field[2].n, 4);     /* CR stripped */
	expect_next_field(&d, 1, "say \"hi\"");
	expect_next_field(&d, 1, "two\nlines");
	cr_assert_eq(d.lineno, 4);
	expect_next_field(&d, 1, "");
	cr_assert_eq(d.lineno, 6);
	cr_assert_eq(vbr_delim_next(&d), 0);
	vbr_delim_close(&d);
}

Test(delim, unterminated_quote_and_field_count)
{
	const char *ops[] = {fx_text("u.csv", "a,b\n1,2,3\n1,\"open\n")};
	struct vbr_delim d;
	vbr_delim_open(&d, ops, 1, VBR_DELIM_CSV);
	expect_next_defect(&d, "3 fields, header has 2");
	expect_next_defect(&d, "unterminated quoted field at end of file");
	cr_assert_eq(vbr_delim_next(&d), 0);
	vbr_delim_close(&d);
}

Test(delim, tsv_guessed_from_tab)
{
	const char *ops[] = {fx_gzip("t.tsv.gz", "A\tB\r\n\"x\"\t2\r\n")};
	struct vbr_delim d;
	vbr_delim_open(&d, ops, 1, VBR_DELIM_DETECT);
	cr_assert(!d.csv);
	cr_assert_eq(vbr_delim_next(&d), 1);
	cr_assert_eq(d.field[0].n, 3);     /* TSV has no quoting */
	cr_assert_eq(d.field[1].n, 1);     /* CR of CRLF dropped */
	vbr_delim_close(&d);
}

Test(delim, header_mismatch, .exit_code = 65)
{
	const char *ops[] = {fx_text("h1.csv", "a,b\n1,2\n"), fx_text("h2.csv", "a,c\n1,2\n")};
	struct vbr_delim d;
	vbr_delim_open(&d, ops, 2, VBR_DELIM_DETECT);
	while (vbr_delim_next(&d))
		;
}
