/*
 * partition — split a stream into N shards by member, in one pass
 * (partition(1)).
 *
 * Every record goes to shard FNV-1a-32(member_id) mod N: the 32-bit
 * FNV-1a hash of the member_id bytes (offset basis 2166136261, prime
 * 16777619), the same on every machine and in every version, since it is
 * part of the audit trail. All of a member's records of every input (claims,
 * eligibility, attribution) land in the same shard, so the per-member
 * stages run on each shard alone and their additive outputs merge exactly.
 *
 * Shard k of N is the directory DIR/k (k from 0): the records, as read,
 * under the input's header, gzip-compressed in NAME.tsv.gz, and a label,
 * NAME.shard, naming the shard, N, the hash, the extract it came from and
 * its rows and money. Standard output is the accounting: one row per shard
 * and the total, which equals the input's rows and money to the cent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account.h"
#include "cli.h"
#include "error.h"
#include "intern.h"
#include "money.h"
#include "reader.h"
#include "value.h"
#include "writer.h"

#define MAX_SHARDS 1024
#define HASH_RULE "fnv1a32(member_id) mod shards"   /* as each label names it */

/* the money columns a stream may carry; each one present is summed */
static const char *const money_columns[] = {
	"allowed", "paid", "premium", "basis_allowed", "total_allowed",
};
#define NMONEY (sizeof money_columns / sizeof money_columns[0])

struct options {
	struct vbr_cli cli;
	int64_t shards, level;
	const char *out, *name, *extract;
	int check;
};

static const struct vbr_option options[] = {
	VBR_OPT(struct options, shards, "shards", 0, VBR_ARG_COUNT, "N",
		"how many shards", .flags = VBR_REQUIRED, .lo = 1, .hi = MAX_SHARDS),
	VBR_OPT(struct options, out, "output", 'o', VBR_ARG_TEXT, "DIR",
		"the shards' directory: DIR/0 ... DIR/N-1 (made if absent)",
		.flags = VBR_REQUIRED),
	VBR_OPT(struct options, name, "name", 0, VBR_ARG_TEXT, "NAME",
		"the shard files' name, NAME.tsv.gz (default: the first operand's, without "
		".tsv and .gz)"),
	VBR_OPT(struct options, extract, "extract", 0, VBR_ARG_TEXT, "ID",
		"what the shards come from (the extract's hash), written in each label"),
	VBR_OPT(struct options, level, "level", 0, VBR_ARG_COUNT, "L",
		"gzip compression level of the shards", .deflt = "1", .lo = 0, .hi = 9),
	VBR_OPT(struct options, check, "check", 0, VBR_ARG_FLAG, NULL,
		"check the shards in DIR instead (every one of N there once, of one "
		"partitioning, holding what its label says) and write their accounting"),
	{.name = NULL},
};

static void check_args(void *opts)
{
	const struct options *o = opts;
	if (o->check && o->cli.noperands)
		vbr_cli_usage_error(&o->cli, "--check reads the shards in the directory, not operands");
	if (o->check && !o->name)
		vbr_cli_usage_error(&o->cli, "--check: --name: required (NAME)");
}

static const struct vbr_command command = {
	.name = "partition",
	.about = "Split a stream into shards by a stable hash of member_id, each gzipped, "
		 "with its row and money accounting.",
	.operands = "stream ...",
	.operands_help = "records with a member_id column (claims, eligibility, attribution); "
			 "none or -: standard input",
	.options = options,
	.groups = VBR_WITH_REJECTS | VBR_WITH_VERBOSE,
	.check = check_args,
};

/* One shard's writer and its totals. */
struct shard {
	struct vbr_writer w;
	uint64_t rows;
	int64_t money[NMONEY];
};

/* The shard of a member: FNV-1a, 32 bit, of its bytes, mod N. */
static uint32_t shard_of(const char *p, size_t n, uint32_t shards)
{
	return vbr_fnv1a32(p, n) % shards;
}

/* The shard files' name: --name, else the first operand's base name
 * without its .gz and .tsv ("claims" for x/claims.tsv.gz). */
static char *shard_name(const struct options *o)
{
	const char *n = o->name;
	if (!n) {
		n = o->cli.noperands && strcmp(o->cli.operands[0], "-") != 0
			    ? o->cli.operands[0] : "stream";
		const char *slash = strrchr(n, '/');
		n = slash ? slash + 1 : n;
	}
	char *s = vbr_xstrdup(n);
	if (!o->name) {
		size_t k = strlen(s);
		if (k > 3 && strcmp(s + k - 3, ".gz") == 0)
			s[k -= 3] = '\0';
		if (k > 4 && strcmp(s + k - 4, ".tsv") == 0)
			s[k - 4] = '\0';
	}
	if (!*s || strchr(s, '/') || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		vbr_die(EX_USAGE, "--name: '%s' is not a file name", s);
	return s;
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		vbr_die_errno(EX_CANTCREAT, "%s: cannot make the directory", path);
}

/* A shard's label: which shard of which partitioning, and what it holds. */
static void write_label(const struct options *o, const char *path, uint32_t k,
			const struct shard *sh, const int *col)
{
	struct vbr_writer w;
	vbr_writer_create(&w, path);
	vbr_puts(&w, "item\tvalue\nshard\t");
	vbr_put_int(&w, k);
	vbr_puts(&w, "\nshards\t");
	vbr_put_int(&w, o->shards);
	vbr_puts(&w, "\nhash\t" HASH_RULE "\nextract\t");
	vbr_puts(&w, o->extract ? o->extract : "");
	vbr_puts(&w, "\nrows\t");
	vbr_put_int(&w, (int64_t)sh->rows);
	for (size_t m = 0; m < NMONEY; m++)
		if (col[m] >= 0) {
			vbr_putc(&w, '\n');
			vbr_puts(&w, money_columns[m]);
			vbr_put_tab_cents(&w, sh->money[m]);
		}
	vbr_putc(&w, '\n');
	vbr_writer_close(&w);
}

/* The accounting: a row per shard, then the total (shard *). */
static void write_accounting(const struct shard *sh, uint32_t n, const struct shard *total,
			     const int *col)
{
	struct vbr_writer w;
	vbr_writer_fd(&w, 1, "(stdout)");
	vbr_puts(&w, "shard\trows");
	for (size_t m = 0; m < NMONEY; m++)
		if (col[m] >= 0) {
			vbr_putc(&w, '\t');
			vbr_puts(&w, money_columns[m]);
		}
	vbr_putc(&w, '\n');
	for (uint32_t k = 0; k <= n; k++) {
		const struct shard *x = k < n ? &sh[k] : total;
		if (k < n)
			vbr_put_int(&w, k);
		else
			vbr_putc(&w, '*');
		vbr_putc(&w, '\t');
		vbr_put_int(&w, (int64_t)x->rows);
		for (size_t m = 0; m < NMONEY; m++)
			if (col[m] >= 0)
				vbr_put_tab_cents(&w, x->money[m]);
		vbr_putc(&w, '\n');
	}
	vbr_writer_close(&w);
}

/* Add v to a sum, overflow-checked: exit 65 with the place. */
static void add_money(int64_t *sum, int64_t v, const char *what, struct vbr_reader *r)
{
	if (vbr_add_cents(*sum, v, sum))
		vbr_die(EX_DATAERR, "%s: the %s total overflows", vbr_reader_place(r), what);
}

/* Count record r (its money values v, where present) to shard x and to the
 * total. */
static void tally(struct shard *x, struct shard *total, struct vbr_reader *r, const int *col,
		  const int64_t *v)
{
	x->rows++;
	total->rows++;
	for (size_t m = 0; m < NMONEY; m++)
		if (col[m] >= 0 && r->field[col[m]].n) {
			add_money(&x->money[m], v[m], money_columns[m], r);
			add_money(&total->money[m], v[m], money_columns[m], r);
		}
}

/* A shard label's values (NULL: not given). */
struct label {
	char *shard, *shards, *hash, *extract, *rows, *money[NMONEY];
};

static void read_label(const char *path, struct label *l)
{
	struct vbr_reader r;
	memset(l, 0, sizeof *l);
	vbr_reader_open_side(&r, path, EX_DATAERR);
	int ci = vbr_reader_require(&r, "item"), cv = vbr_reader_require(&r, "value");
	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		char **to = NULL;
#define ITEM(name) (f[ci].n == strlen(name) && memcmp(f[ci].p, name, f[ci].n) == 0)
		if (ITEM("shard"))
			to = &l->shard;
		else if (ITEM("shards"))
			to = &l->shards;
		else if (ITEM("hash"))
			to = &l->hash;
		else if (ITEM("extract"))
			to = &l->extract;
		else if (ITEM("rows"))
			to = &l->rows;
		for (size_t m = 0; m < NMONEY && !to; m++)
			if (ITEM(money_columns[m]))
				to = &l->money[m];
#undef ITEM
		if (!to || *to)
			vbr_die(EX_DATAERR, "%s: item '%.*s' %s", vbr_reader_place(&r), (int)f[ci].n,
				f[ci].p, to ? "given twice" : "is not a shard label's");
		*to = vbr_xstrndup(f[cv].p, f[cv].n);
	}
	vbr_reader_close(&r);
}

static void free_label(struct label *l)
{
	free(l->shard), free(l->shards), free(l->hash), free(l->extract), free(l->rows);
	for (size_t m = 0; m < NMONEY; m++)
		free(l->money[m]);
}

/* The label's value is want, or the shard is refused (65). */
static void label_says(const char *path, const char *item, const char *value, const char *want,
		       const char *why)
{
	if (!value || strcmp(value, want) != 0)
		vbr_die(EX_DATAERR, "%s: %s '%s', not '%s': %s", path, item, value ? value : "(none)",
			want, why);
}

/* --check: every shard 0 .. N-1 in DIR once, of this partitioning, holding
 * the rows and money its label says; nothing beyond N. The accounting of
 * what is there is written as partition wrote it. */
static int check_shards(struct options *o)
{
	uint32_t n = (uint32_t)o->shards;
	size_t plen = strlen(o->out) + strlen(o->name) + 32;
	char *path = vbr_xmalloc(plen), *data = vbr_xmalloc(plen), want[32], got[32];
	struct shard *sh = vbr_xcalloc(n, sizeof *sh), total = {0};
	int col[NMONEY];
	struct stat st;
	snprintf(path, plen, "%s/%u", o->out, n);
	if (stat(path, &st) == 0)
		vbr_die(EX_DATAERR, "%s: a shard beyond %u: another partitioning's", path, n);
	for (uint32_t k = 0; k < n; k++) {
		struct label l;
		snprintf(path, plen, "%s/%u/%s.shard", o->out, k, o->name);
		snprintf(data, plen, "%s/%u/%s.tsv.gz", o->out, k, o->name);
		read_label(path, &l);
		snprintf(want, sizeof want, "%u", k);
		label_says(path, "shard", l.shard, want, "a shard given twice, or moved");
		snprintf(want, sizeof want, "%u", n);
		label_says(path, "shards", l.shards, want, "another partitioning");
		label_says(path, "hash", l.hash, HASH_RULE, "another rule");
		if (o->extract)
			label_says(path, "extract", l.extract, o->extract, "another extract");
		struct vbr_reader r;
		const char *ops[] = {data};
		vbr_reader_open(&r, ops, 1);
		int cm = vbr_reader_require(&r, "member_id");
		for (size_t m = 0; m < NMONEY; m++) {
			int c = vbr_reader_column(&r, money_columns[m]);
			if (k && (c >= 0) != (col[m] >= 0))
				vbr_die(EX_DATAERR, "%s: columns differ from shard 0's", data);
			col[m] = c;
		}
		while (vbr_reader_next(&r)) {
			if (r.defect)
				vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(&r), r.defect);
			uint32_t home = shard_of(r.field[cm].p, r.field[cm].n, n);
			if (home != k)
				vbr_die(EX_DATAERR, "%s: member '%.*s' belongs in shard %u", vbr_reader_place(&r),
					(int)r.field[cm].n, r.field[cm].p, home);
			int64_t v[NMONEY];
			for (size_t m = 0; m < NMONEY; m++)
				if (col[m] >= 0 && r.field[col[m]].n &&
				    vbr_parse_amount(r.field[col[m]].p, r.field[col[m]].n, &v[m]) != VBR_OK)
					vbr_die_field(&r, col[m], "amount", VBR_INVALID, "");
			tally(&sh[k], &total, &r, col, v);
		}
		vbr_reader_close(&r);
		snprintf(got, sizeof got, "%llu", (unsigned long long)sh[k].rows);
		label_says(path, "rows", l.rows, got, "the shard's file does not hold what it says");
		for (size_t m = 0; m < NMONEY; m++)
			if (col[m] >= 0) {
				vbr_format_cents(got, sh[k].money[m]);
				label_says(path, money_columns[m], l.money[m], got,
					   "the shard's file does not hold what it says");
			}
		free_label(&l);
	}
	write_accounting(sh, n, &total, col);
	free(sh);
	free(path);
	free(data);
	return 0;
}

static int process(struct options *o)
{
	if (o->check)
		return check_shards(o);
	struct vbr_account acct;
	struct vbr_reader r;
	uint32_t n = (uint32_t)o->shards;
	char *name = shard_name(o);
	vbr_cli_account(&o->cli, &acct, "written");
	vbr_reader_open(&r, o->cli.operands, o->cli.noperands);
	int cm = vbr_reader_require(&r, "member_id");
	int col[NMONEY];
	for (size_t m = 0; m < NMONEY; m++)
		col[m] = vbr_reader_column(&r, money_columns[m]);

	make_dir(o->out);
	struct shard *sh = vbr_xcalloc(n, sizeof *sh), total = {0};
	size_t plen = strlen(o->out) + strlen(name) + 32;
	char *path = vbr_xmalloc(plen);
	for (uint32_t k = 0; k < n; k++) {
		snprintf(path, plen, "%s/%u", o->out, k);
		make_dir(path);
		snprintf(path, plen, "%s/%u/%s.tsv.gz", o->out, k, name);
		vbr_writer_create_gzip(&sh[k].w, path, (int)o->level);
		vbr_put(&sh[k].w, r.header, r.header_len);
		vbr_putc(&sh[k].w, '\n');
	}

	while (vbr_reader_next(&r)) {
		struct vbr_field *f = r.field;
		int64_t v[NMONEY];
		acct.read++;
		if (r.defect) {
			vbr_reject(&acct, &r, r.defect);
			continue;
		}
		if (!vbr_field_id(&acct, &r, cm))
			continue;
		int bad = 0;
		for (size_t m = 0; m < NMONEY && !bad; m++)
			bad = col[m] >= 0 && f[col[m]].n && !vbr_field_amount(&acct, &r, col[m], &v[m]);
		if (bad)
			continue;
		struct shard *x = &sh[shard_of(f[cm].p, f[cm].n, n)];
		vbr_put(&x->w, r.line, r.line_len);
		vbr_putc(&x->w, '\n');
		tally(x, &total, &r, col, v);
		acct.written++;
	}
	vbr_reader_close(&r);

	/* the shards add up to the input: rows and every money column */
	struct shard sum = {0};
	for (uint32_t k = 0; k < n; k++) {
		vbr_writer_close(&sh[k].w);
		sum.rows += sh[k].rows;
		for (size_t m = 0; m < NMONEY; m++)
			if (vbr_add_cents(sum.money[m], sh[k].money[m], &sum.money[m]))
				vbr_die(EX_DATAERR, "the shards' %s totals overflow", money_columns[m]);
		snprintf(path, plen, "%s/%u/%s.shard", o->out, k, name);
		write_label(o, path, k, &sh[k], col);
	}
	if (sum.rows != total.rows || memcmp(sum.money, total.money, sizeof sum.money) != 0)
		vbr_die(EX_SOFTWARE, "the shards do not add up to the input");
	write_accounting(sh, n, &total, col);
	int status = vbr_account_finish(&acct, o->cli.verbose);
	free(path);
	free(sh);
	free(name);
	return status;
}

VBR_MAIN(command, struct options, process)
