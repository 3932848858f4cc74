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
 *
 * A shard job labels its own outputs the same way (--shard k: only shard
 * k, and a record of another shard is refused), and the merge (--merge)
 * reads a set of shards back as one stream in member order, refusing a
 * shard given twice, moved, of another partitioning or altered; --check
 * does the same checks without the stream.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account.h"
#include "cli.h"
#include "error.h"
#include "gzpool.h"
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
	int64_t shards, level, shard;
	const char *out, *name, *extract;
	int check, merge;
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
	VBR_OPT(struct options, shard, "shard", 0, VBR_ARG_COUNT, "K",
		"write shard K only: a shard job's output, each record's member in shard K",
		.lo = 0, .hi = MAX_SHARDS - 1),
	VBR_OPT(struct options, check, "check", 0, VBR_ARG_FLAG, NULL,
		"check the shards in DIR instead (every one of N there once, of one "
		"partitioning, holding what its label says) and write their accounting"),
	VBR_OPT(struct options, merge, "merge", 0, VBR_ARG_FLAG, NULL,
		"check the shards in DIR as --check does and write their records as one "
		"stream, in member order"),
	{.name = NULL},
};

static void check_args(void *opts)
{
	const struct options *o = opts;
	const char *mode = o->check ? "--check" : "--merge";
	int one = vbr_cli_given("shard");
	if (o->check && o->merge)
		vbr_cli_usage_error(&o->cli, "--check or --merge, not both");
	if ((o->check || o->merge) && o->cli.noperands)
		vbr_cli_usage_error(&o->cli, "%s reads the shards in the directory, not operands", mode);
	if ((o->check || o->merge) && !o->name)
		vbr_cli_usage_error(&o->cli, "%s: --name: required (NAME)", mode);
	if ((o->check || o->merge) && one)
		vbr_cli_usage_error(&o->cli, "%s reads every shard: no --shard", mode);
	if (one && o->shard >= o->shards)
		vbr_cli_usage_error(&o->cli, "--shard: %lld is not a shard of %lld (0 to %lld)",
				    (long long)o->shard, (long long)o->shards, (long long)o->shards - 1);
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

/* The accounting: a row per shard from first to last - 1, then the total
 * (shard *). */
static void write_accounting(const struct shard *sh, uint32_t first, uint32_t last,
			     const struct shard *total, const int *col)
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
	for (uint32_t k = first; k <= last; k++) {
		const struct shard *x = k < last ? &sh[k] : total;
		if (k < last)
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

/* One shard of a set being read back (--check, --merge): its label, its
 * reader, the last member read (records come in member order for a merge)
 * and what it has held so far. */
struct shard_in {
	uint32_t k;
	char *label_path, *data_path;
	struct label l;
	struct vbr_reader r;
	int cm, live;
	char *last;
	size_t last_n, last_cap;
};

/* Open shard k of o's set: its label must name this shard of this
 * partitioning (and extract, when given), its columns those of the shard
 * before it (col: -2 before the first), or the set is refused (65). */
static void shard_open(struct shard_in *in, const struct options *o, uint32_t k, int *col)
{
	char want[32];
	size_t plen = strlen(o->out) + strlen(o->name) + 32;
	memset(in, 0, sizeof *in);
	in->k = k;
	in->label_path = vbr_xmalloc(plen);
	in->data_path = vbr_xmalloc(plen);
	snprintf(in->label_path, plen, "%s/%u/%s.shard", o->out, k, o->name);
	snprintf(in->data_path, plen, "%s/%u/%s.tsv.gz", o->out, k, o->name);
	read_label(in->label_path, &in->l);
	snprintf(want, sizeof want, "%u", k);
	label_says(in->label_path, "shard", in->l.shard, want, "a shard given twice, or moved");
	snprintf(want, sizeof want, "%lld", (long long)o->shards);
	label_says(in->label_path, "shards", in->l.shards, want, "another partitioning");
	label_says(in->label_path, "hash", in->l.hash, HASH_RULE, "another rule");
	if (o->extract)
		label_says(in->label_path, "extract", in->l.extract, o->extract, "another extract");
	const char *ops[] = {in->data_path};
	vbr_reader_open(&in->r, ops, 1);
	in->cm = vbr_reader_require(&in->r, "member_id");
	for (size_t m = 0; m < NMONEY; m++) {
		int c = vbr_reader_column(&in->r, money_columns[m]);
		if (col[m] != -2 && (c >= 0) != (col[m] >= 0))
			vbr_die(EX_DATAERR, "%s: columns differ from shard 0's", in->data_path);
		col[m] = c;
	}
}

/* The next record of a shard read back, counted to its shard and the
 * total: its member must be in this shard and, when ordered, not before
 * the last one. 0 at its end. */
static int shard_next(struct shard_in *in, uint32_t shards, int ordered, struct shard *sh,
		      struct shard *total, const int *col)
{
	struct vbr_reader *r = &in->r;
	if (!vbr_reader_next(r))
		return in->live = 0;
	in->live = 1;
	if (r->defect)
		vbr_die(EX_DATAERR, "%s: %s", vbr_reader_place(r), r->defect);
	const struct vbr_field *id = &r->field[in->cm];
	uint32_t home = shard_of(id->p, id->n, shards);
	if (home != in->k)
		vbr_die(EX_DATAERR, "%s: member '%.*s' belongs in shard %u", vbr_reader_place(r),
			(int)id->n, id->p, home);
	if (ordered) {
		if (vbr_id_cmp(id->p, id->n, in->last, in->last_n) < 0)
			vbr_die(EX_DATAERR, "%s: member '%.*s' after '%.*s': a shard to merge is in "
				"member order", vbr_reader_place(r), (int)id->n, id->p,
				(int)in->last_n, in->last);
		if (id->n > in->last_cap)
			in->last = vbr_xrealloc(in->last, in->last_cap = id->n);
		memcpy(in->last, id->p, in->last_n = id->n);
	}
	int64_t v[NMONEY];
	for (size_t m = 0; m < NMONEY; m++)
		if (col[m] >= 0 && r->field[col[m]].n &&
		    vbr_parse_amount(r->field[col[m]].p, r->field[col[m]].n, &v[m]) != VBR_OK)
			vbr_die_field(r, col[m], "amount", VBR_INVALID, "");
	tally(sh, total, r, col, v);
	return 1;
}

/* A shard read to its end holds the rows and money its label says, or the
 * set is refused (65). */
static void shard_close(struct shard_in *in, const struct shard *sh, const int *col)
{
	char got[32];
	snprintf(got, sizeof got, "%llu", (unsigned long long)sh->rows);
	label_says(in->label_path, "rows", in->l.rows, got,
		   "the shard's file does not hold what it says");
	for (size_t m = 0; m < NMONEY; m++)
		if (col[m] >= 0) {
			vbr_format_cents(got, sh->money[m]);
			label_says(in->label_path, money_columns[m], in->l.money[m], got,
				   "the shard's file does not hold what it says");
		}
	vbr_reader_close(&in->r);
	free_label(&in->l);
	free(in->label_path);
	free(in->data_path);
	free(in->last);
}

/* No shard N or beyond: a set of N shards ends at N - 1. */
static void no_shard_beyond(const struct options *o)
{
	size_t plen = strlen(o->out) + 32;
	char *path = vbr_xmalloc(plen);
	struct stat st;
	snprintf(path, plen, "%s/%lld", o->out, (long long)o->shards);
	if (stat(path, &st) == 0)
		vbr_die(EX_DATAERR, "%s: a shard beyond %lld: another partitioning's", path,
			(long long)o->shards);
	free(path);
}

/* --check: every shard 0 .. N-1 in DIR once, of this partitioning, holding
 * the rows and money its label says; nothing beyond N. The accounting of
 * what is there is written as partition wrote it. */
static int check_shards(struct options *o)
{
	uint32_t n = (uint32_t)o->shards;
	struct shard *sh = vbr_xcalloc(n, sizeof *sh), total = {0};
	int col[NMONEY];
	for (size_t m = 0; m < NMONEY; m++)
		col[m] = -2;
	no_shard_beyond(o);
	for (uint32_t k = 0; k < n; k++) {
		struct shard_in in;
		shard_open(&in, o, k, col);
		while (shard_next(&in, n, 0, &sh[k], &total, col))
			;
		shard_close(&in, &sh[k], col);
	}
	write_accounting(sh, 0, n, &total, col);
	free(sh);
	return 0;
}

/* Does shard a's current member come before shard b's (bytes, a shorter
 * id first)? Ties cannot happen: a member is in one shard. */
static int before(const struct shard_in *a, const struct shard_in *b)
{
	const struct vbr_field *x = &a->r.field[a->cm], *y = &b->r.field[b->cm];
	return vbr_id_cmp(x->p, x->n, y->p, y->n) < 0;
}

/* Restore the heap of live shards (by current member) below position i. */
static void sift_down(struct shard_in *in, uint32_t *heap, uint32_t live, uint32_t i)
{
	for (;;) {
		uint32_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < live && before(&in[heap[l]], &in[heap[least]]))
			least = l;
		if (r < live && before(&in[heap[r]], &in[heap[least]]))
			least = r;
		if (least == i)
			return;
		uint32_t t = heap[i];
		heap[i] = heap[least];
		heap[least] = t;
		i = least;
	}
}

/* --merge: the records of shards 0 .. N-1 as one stream in member order,
 * under their common header — the order every per-member tool writes, so
 * the merged output of shard jobs is the bytes of the whole run's. Each
 * shard is checked as --check does, as it is read. A shard's records keep
 * their order; a member's records are all in one shard. */
static int merge_shards(struct options *o)
{
	uint32_t n = (uint32_t)o->shards, live = 0;
	struct shard *sh = vbr_xcalloc(n, sizeof *sh), total = {0};
	struct shard_in *in = vbr_xcalloc(n, sizeof *in);
	uint32_t *heap = vbr_xcalloc(n, sizeof *heap);
	int col[NMONEY];
	for (size_t m = 0; m < NMONEY; m++)
		col[m] = -2;
	no_shard_beyond(o);
	for (uint32_t k = 0; k < n; k++) {
		shard_open(&in[k], o, k, col);
		if (in[k].r.header_len != in[0].r.header_len ||
		    memcmp(in[k].r.header, in[0].r.header, in[0].r.header_len) != 0)
			vbr_die(EX_DATAERR, "%s: its header differs from shard 0's", in[k].data_path);
	}
	struct vbr_writer w;
	vbr_writer_fd(&w, 1, "(stdout)");
	vbr_put(&w, in[0].r.header, in[0].r.header_len);
	vbr_putc(&w, '\n');
	for (uint32_t k = 0; k < n; k++)
		if (shard_next(&in[k], n, 1, &sh[k], &total, col))
			heap[live++] = k;
		else
			shard_close(&in[k], &sh[k], col);
	for (uint32_t i = live / 2; i-- > 0;)
		sift_down(in, heap, live, i);
	while (live) {
		struct shard_in *x = &in[heap[0]];
		vbr_put(&w, x->r.line, x->r.line_len);
		vbr_putc(&w, '\n');
		if (!shard_next(x, n, 1, &sh[x->k], &total, col)) {
			shard_close(x, &sh[x->k], col);
			heap[0] = heap[--live];
		}
		sift_down(in, heap, live, 0);
	}
	vbr_writer_close(&w);
	if (o->cli.verbose)
		fprintf(stderr, "partition: merged %u shards of %s: rows %llu\n", n, o->name,
			(unsigned long long)total.rows);
	free(heap);
	free(in);
	free(sh);
	return 0;
}

static int process(struct options *o)
{
	if (o->check)
		return check_shards(o);
	if (o->merge)
		return merge_shards(o);
	struct vbr_account acct;
	struct vbr_reader r;
	uint32_t n = (uint32_t)o->shards;
	/* the shards written: all, or --shard's alone */
	int one = vbr_cli_given("shard");
	uint32_t first = one ? (uint32_t)o->shard : 0, last = one ? first + 1 : n;
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
	/* the shards are deflated on every core, this thread only splits */
	struct vbr_gzpool pool;
	int workers = vbr_gzpool_workers();
	vbr_gzpool_start(&pool, workers < (int)(last - first) ? workers : (int)(last - first));
	for (uint32_t k = first; k < last; k++) {
		snprintf(path, plen, "%s/%u", o->out, k);
		make_dir(path);
		snprintf(path, plen, "%s/%u/%s.tsv.gz", o->out, k, name);
		vbr_writer_create_gzip(&sh[k].w, path, (int)o->level);
		vbr_gzpool_attach(&pool, &sh[k].w);
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
		uint32_t home = shard_of(f[cm].p, f[cm].n, n);
		if (home < first || home >= last)
			vbr_die(EX_DATAERR, "%s: member '%.*s' belongs in shard %u, not %u: not this "
				"shard's record", vbr_reader_place(&r), (int)f[cm].n, f[cm].p, home, first);
		struct shard *x = &sh[home];
		vbr_put(&x->w, r.line, r.line_len);
		vbr_putc(&x->w, '\n');
		tally(x, &total, &r, col, v);
		acct.written++;
	}
	vbr_reader_close(&r);

	/* the shards add up to the input: rows and every money column */
	struct shard sum = {0};
	for (uint32_t k = first; k < last; k++) {
		vbr_writer_close(&sh[k].w);
		sum.rows += sh[k].rows;
		for (size_t m = 0; m < NMONEY; m++)
			if (vbr_add_cents(sum.money[m], sh[k].money[m], &sum.money[m]))
				vbr_die(EX_DATAERR, "the shards' %s totals overflow", money_columns[m]);
		snprintf(path, plen, "%s/%u/%s.shard", o->out, k, name);
		write_label(o, path, k, &sh[k], col);
	}
	vbr_gzpool_stop(&pool);
	if (sum.rows != total.rows || memcmp(sum.money, total.money, sizeof sum.money) != 0)
		vbr_die(EX_SOFTWARE, "the shards do not add up to the input");
	write_accounting(sh, first, last, &total, col);
	int status = vbr_account_finish(&acct, o->cli.verbose);
	free(path);
	free(sh);
	free(name);
	return status;
}

VBR_MAIN(command, struct options, process)
