/* account.c — record accounting, the rejects file and the -v line. */
#include "account.h"
#include "intern.h"
#include "error.h"
#include "value.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void vbr_account_init(struct vbr_account *a, const char *rejects_path,
		      int64_t max_rejects)
{
	memset(a, 0, sizeof *a);
	a->rejects_path = rejects_path;
	a->max_rejects = max_rejects;
}

int vbr_account_reason(struct vbr_account *a, const char *reason)
{
	for (int i = 0; i < a->nleft; i++)
		if (strcmp(a->left[i].reason, reason) == 0)
			return i;
	if (a->nleft == VBR_MAX_REASONS)
		vbr_die(EX_SOFTWARE, "too many left-out reasons");
	a->left[a->nleft].reason = reason;
	a->left[a->nleft].n = 0;
	return a->nleft++;
}

/* Write a field with TAB, CR and LF made spaces, so the rejects file stays
 * a valid stream even for CSV records that held them. */
static void put_clean(struct vbr_writer *w, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		vbr_putc(w, (c == '\t' || c == '\r' || c == '\n') ? ' ' : c);
	}
}

/* Open the rejects file on the first rejected record, with the input's
 * header plus the three accounting columns. */
static void open_rejects(struct vbr_account *a, const char *const *header, int n,
			 const char *raw_header)
{
	vbr_writer_create(&a->rejects, a->rejects_path);
	a->rejects_open = 1;
	if (raw_header) {
		vbr_puts(&a->rejects, raw_header);
	} else {
		for (int i = 0; i < n; i++) {
			if (i)
				vbr_putc(&a->rejects, '\t');
			vbr_puts(&a->rejects, header[i]);
		}
	}
	vbr_puts(&a->rejects, "\treject_reason\tsource\tline\n");
}

static void put_tail(struct vbr_account *a, const char *reason,
		     const char *source, uint64_t line)
{
	char num[24];
	vbr_putc(&a->rejects, '\t');
	put_clean(&a->rejects, reason, strlen(reason));
	vbr_putc(&a->rejects, '\t');
	put_clean(&a->rejects, source, strlen(source));
	vbr_putc(&a->rejects, '\t');
	vbr_put(&a->rejects, num, (size_t)snprintf(num, sizeof num, "%" PRIu64, line));
	vbr_putc(&a->rejects, '\n');
}

void vbr_reject(struct vbr_account *a, struct vbr_reader *r, const char *reason)
{
	if (!a || !a->rejects_path)
		vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(r), reason);
	if (!a->rejects_open)
		open_rejects(a, NULL, 0, r->header);
	a->rejected++;
	size_t n = r->line_len;
	if (n > 0 && r->line[n - 1] == '\r')
		n--;
	vbr_put(&a->rejects, r->line, n);
	put_tail(a, reason, vbr_reader_name(r), r->lineno);
}

void vbr_reject_fields(struct vbr_account *a, const char *const *header,
		       const struct vbr_field *fields, int n, const char *source,
		       uint64_t line, const char *reason)
{
	if (!a->rejects_path)
		vbr_die(EX_DATAERR, "%s:%" PRIu64 ": %s", source, line, reason);
	if (!a->rejects_open)
		open_rejects(a, header, n, NULL);
	a->rejected++;
	for (int i = 0; i < n; i++) {
		if (i)
			vbr_putc(&a->rejects, '\t');
		put_clean(&a->rejects, fields[i].p, fields[i].n);
	}
	put_tail(a, reason, source, line);
}

/* Reject the record for a bad field: "column 'paid' (5): invalid amount
 * '12,50'" (or "missing value"). */
static int bad_field(struct vbr_account *a, struct vbr_reader *r, int col,
		     const char *type, int rc)
{
	char why[320];
	vbr_reject(a, r, vbr_value_reason(why, sizeof why, r->colname[col], col, type, rc,
					  r->field[col].p, r->field[col].n));
	return 0;
}

#define FIELD_PARSER(fn, T, parse, type)                                        \
	int fn(struct vbr_account *a, struct vbr_reader *r, int col, T *out)    \
	{                                                                       \
		int rc = parse(r->field[col].p, r->field[col].n, out);          \
		return rc == VBR_OK ? 1 : bad_field(a, r, col, type, rc);       \
	}

FIELD_PARSER(vbr_field_date, int32_t, vbr_parse_date, "date")
FIELD_PARSER(vbr_field_amount, int64_t, vbr_parse_amount, "amount")
FIELD_PARSER(vbr_field_rate, int64_t, vbr_parse_rate, "rate")
FIELD_PARSER(vbr_field_count, int64_t, vbr_parse_count, "count")

int vbr_field_missing_id(struct vbr_account *a, struct vbr_reader *r, int col)
{
	return bad_field(a, r, col, "id", VBR_MISSING);
}

void vbr_die_field(struct vbr_reader *r, int col, const char *type, int rc, const char *note)
{
	char why[320];
	vbr_die(EX_DATAERR, "%s: %s%s", vbr_reader_place(r),
		vbr_value_reason(why, sizeof why, r->colname[col], col, type, rc, r->field[col].p,
				 r->field[col].n), note);
}

int vbr_account_finish(struct vbr_account *a, int verbose)
{
	if (a->rejects_open)
		vbr_writer_close(&a->rejects);
	if (verbose) {
		fprintf(stderr, "%s: read %" PRIu64 ", %s %" PRIu64
			", rejected %" PRIu64, a->name ? a->name : vbr_progname, a->read,
			a->written_label ? a->written_label : "written", a->written,
			a->rejected);
		int shown = 0;
		for (int i = 0; i < a->nleft; i++)
			if (a->left[i].n)
				fprintf(stderr, "%s%s: %" PRIu64, shown++ ? ", " : "; left out: ",
					a->left[i].reason, a->left[i].n);
		fputc('\n', stderr);
	}
	if (a->rejected > (uint64_t)(a->max_rejects < 0 ? 0 : a->max_rejects)) {
		vbr_warn("%" PRIu64 " record%s rejected (see %s)", a->rejected,
			 a->rejected == 1 ? "" : "s", a->rejects_path);
		return EX_DATAERR;
	}
	return 0;
}

void vbr_id_list_load(const char *path, const char *column, struct vbr_intern *ids)
{
	struct vbr_reader r;
	vbr_reader_open_side(&r, path, EX_DATAERR);
	int c = vbr_reader_require(&r, column);
	while (vbr_reader_next(&r)) {
		vbr_field_id(NULL, &r, c);
		vbr_intern(ids, r.field[c].p, r.field[c].n);
	}
	vbr_reader_close(&r);
}
