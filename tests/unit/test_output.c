/* Unit tests: the checked writer (/dev/full → 74) and record accounting
 * with a rejects file. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
#include <unistd.h>

#include "account.h"
#include "fixtures.h"
#include "writer.h"

static void redirect(void)
{
	cr_redirect_stderr();
}

Test(writer, writes_and_formats)
{
	const char *p = fx_path("out.tsv");
	struct vbr_writer w;
	vbr_writer_create(&w, p);
	vbr_puts(&w, "a\t");
	vbr_put_cents(&w, -1250);
	vbr_putc(&w, '\t');
	vbr_put_int(&w, 42);
	vbr_putc(&w, '\n');
	vbr_writer_close(&w);
	size_t n;
	char *d = fx_slurp(p, &n);
	cr_assert_str_eq(d, "a\t-12.50\t42\n");
	free(d);
}

Test(writer, large_output_crosses_blocks)
{
	const char *p = fx_path("big.tsv");
	struct vbr_writer w;
	vbr_writer_create(&w, p);
	for (int i = 0; i < 100000; i++)
		vbr_puts(&w, "0123456789\n");
	vbr_writer_close(&w);
	size_t n;
	free(fx_slurp(p, &n));
	cr_assert_eq(n, 1100000);
}

Test(writer, dev_full_exits_74, .init = redirect, .exit_code = 74)
{
	struct vbr_writer w;
	int fd = open("/dev/full", O_WRONLY);
	cr_assert_geq(fd, 0);
	vbr_writer_fd(&w, fd, "/dev/full");
	vbr_puts(&w, "member_id\n");
	vbr_flush(&w);
}

Test(writer, unwritable_path_exits_74, .init = redirect, .exit_code = 74)
{
	struct vbr_writer w;
	vbr_writer_create(&w, "/nonexistent/dir/out.tsv");
}

Test(account, strict_mode_dies_65, .init = redirect, .exit_code = 65)
{
	const char *ops[] = {fx_text("a.tsv", "a\tb\n1\n")};
	struct vbr_reader r;
	struct vbr_account a;
	vbr_reader_open(&r, ops, 1);
	vbr_account_init(&a, NULL, 0);
	vbr_reader_next(&r);
	vbr_reject(&a, &r, r.defect);
}

Test(account, rejects_file_and_exit_status, .init = redirect)
{
	const char *ops[] = {fx_text("a.tsv", "a\tb\n1\n2\t3\n4\t5\t6\n")};
	const char *rej = fx_path("rejects.tsv");
	struct vbr_reader r;
	struct vbr_account a;
	vbr_reader_open(&r, ops, 1);
	vbr_account_init(&a, rej, 0);
	int slot = vbr_account_reason(&a, "members not in cohort");
	while (vbr_reader_next(&r)) {
		a.read++;
		if (r.defect)
			vbr_reject(&a, &r, r.defect);
		else
			a.left[slot].n++;
	}
	cr_assert_eq(a.read, 3);
	cr_assert_eq(a.rejected, 2);
	cr_assert_eq(vbr_account_finish(&a, 1), 65);
	vbr_reader_close(&r);
	size_t n;
	char *d = fx_slurp(rej, &n);
	char want[512];
	snprintf(want, sizeof want,
		 "a\tb\treject_reason\tsource\tline\n"
		 "1\t1 fields, header has 2\t%s\t2\n"
		 "4\t5\t6\t3 fields, header has 2\t%s\t4\n", ops[0], ops[0]);
	cr_assert_str_eq(d, want);
	free(d);
}

Test(account, max_rejects_allows, .init = redirect)
{
	struct vbr_account a;
	vbr_account_init(&a, fx_path("r.tsv"), 2);
	const char *hdr[] = {"x"};
	struct vbr_field f = {"v\tw", 3};
	vbr_reject_fields(&a, hdr, &f, 1, "in.csv", 7, "bad");
	vbr_reject_fields(&a, hdr, &f, 1, "in.csv", 8, "bad");
	cr_assert_eq(vbr_account_finish(&a, 0), 0);
	size_t n;
	char *d = fx_slurp(fx_path("r.tsv"), &n);
	cr_assert_str_eq(d, "x\treject_reason\tsource\tline\nv w\tbad\tin.csv\t7\n"
			    "v w\tbad\tin.csv\t8\n");
	free(d);
}

Test(account, field_parsers_reject_with_the_spec_message, .init = redirect)
{
	const char *ops[] = {fx_text("f.tsv", "member_id\tcost\nM1\t12,50\nM2\t3.5\n")};
	const char *rej = fx_path("frej.tsv");
	struct vbr_reader r;
	struct vbr_account a;
	int64_t cost, sum = 0;
	vbr_reader_open(&r, ops, 1);
	vbr_account_init(&a, rej, 1);
	a.written_label = "used";
	while (vbr_reader_next(&r)) {
		a.read++;
		if (vbr_field_amount(&a, &r, 1, &cost)) {
			sum += cost;
			a.written++;
		}
	}
	vbr_reader_close(&r);
	cr_assert_eq(sum, 350);
	cr_assert_eq(vbr_account_finish(&a, 0), 0);
	size_t n;
	char *d = fx_slurp(rej, &n), want[256];
	snprintf(want, sizeof want, "member_id\tcost\treject_reason\tsource\tline\n"
		 "M1\t12,50\tcolumn 'cost' (2): invalid amount '12,50'\t%s\t2\n", ops[0]);
	cr_assert_str_eq(d, want);
	free(d);
}
