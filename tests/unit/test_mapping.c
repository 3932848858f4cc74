/* Unit tests: ingest layout mappings — sources, converts, line items. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "fixtures.h"
#include "mapping.h"

static void redirect(void)
{
	cr_redirect_stderr();
}

static const char *value(struct vbr_mapping *m, const char *col, char *buf)
{
	int i = vbr_mapping_column(m, col);
	cr_assert_geq(i, 0, "%s", col);
	memcpy(buf, m->val + m->off[i], m->len[i]);
	buf[m->len[i]] = 0;
	return buf;
}

/* A CSV or TSV fixture read through built-in rules: delim d, mapping m. */
static void open_mapped(struct vbr_delim *d, struct vbr_mapping *m,
			const struct vbr_map_rule *rules, const char *name, const char *text)
{
	static const char *ops[1];
	ops[0] = fx_text(name, text);
	vbr_delim_open(d, ops, 1, VBR_DELIM_DETECT);
	vbr_mapping_builtin(m, rules, VBR_KIND_CLAIMS);
	vbr_mapping_bind(m, d);
}

static void close_mapped(struct vbr_delim *d, struct vbr_mapping *m)
{
	vbr_delim_close(d);
	vbr_mapping_free(m);
}

/* The next record is rejected, for the reason given. */
static void expect_reject(struct vbr_delim *d, struct vbr_mapping *m, const char *reason)
{
	char why[256];
	cr_assert_eq(vbr_delim_next(d), 1);
	cr_assert_eq(vbr_mapping_eval(m, d->field, 0, why, sizeof why), VBR_MAP_REJECT);
	cr_assert_str_eq(why, reason);
}

/* A rule as the tests write it: canonical column ← source, convert. */
#define RULE(column, source, convert) {column, source, convert, NULL}
#define CLAIM_KEYS RULE("member_id", "ID", NULL), RULE("claim_id", "CLM", NULL)
#define END {NULL, NULL, NULL, NULL}

Test(mapping, converts_and_sums)
{
	static const struct vbr_map_rule rules[] = {
		CLAIM_KEYS, RULE("from_date", "FROM|ALT", "date:MM/DD/YYYY"),
		RULE("allowed", "PAY+COINS", "amount"), RULE("paid", "PAY", "cents"),
		RULE("net", "PAY+COINS", "difference"), RULE("sex", "SEX", "map:1=M,2=F,*=U"),
		RULE("category", "=professional", NULL), END,
	};
	struct vbr_delim d;
	struct vbr_mapping m;
	char why[256], b[64];
	open_mapped(&d, &m, rules, "m.csv", "ID,CLM,FROM,ALT,PAY,COINS,SEX\n"
		    "A,1,,3/7/2024,1050,2.500,2\n"
		    "B,2,12/31/2023,,7,,9\n");
	cr_assert_eq(vbr_delim_next(&d), 1);
	cr_assert_eq(vbr_mapping_eval(&m, d.field, 0, why, sizeof why), VBR_MAP_OK, "%s", why);
	cr_assert_str_eq(value(&m, "from_date", b), "2024-03-07");
	/* allowed = 1050.00 + 2.50 dollars; paid = 1050 cents */
	cr_assert_str_eq(value(&m, "allowed", b), "1052.50");
	cr_assert_str_eq(value(&m, "paid", b), "10.50");
	cr_assert_str_eq(value(&m, "net", b), "1047.50");   /* 1050.00 − 2.50 */
	cr_assert_str_eq(value(&m, "sex", b), "F");
	cr_assert_str_eq(value(&m, "category", b), "professional");
	cr_assert_eq(vbr_delim_next(&d), 1);
	cr_assert_eq(vbr_mapping_eval(&m, d.field, 0, why, sizeof why), VBR_MAP_OK, "%s", why);
	cr_assert_str_eq(value(&m, "from_date", b), "2023-12-31");
	cr_assert_str_eq(value(&m, "allowed", b), "7.00");
	cr_assert_str_eq(value(&m, "sex", b), "U");
	close_mapped(&d, &m);
}

Test(mapping, bad_values_reject_with_source_column)
{
	static const struct vbr_map_rule rules[] = {
		CLAIM_KEYS, RULE("from_date", "FROM", "date:YYYYMMDD"),
		RULE("allowed", "AMT", "amount"), RULE("paid", "AMT", "amount"), END,
	};
	struct vbr_delim d;
	struct vbr_mapping m;
	open_mapped(&d, &m, rules, "b.csv", "ID,CLM,FROM,AMT\n"
		    "A,1,20230230,1\n"
		    "A,1,20230101,\"1,5\"\n"
		    ",1,20230101,1\n");
	expect_reject(&d, &m, "column 'FROM' (3): invalid date '20230230' for 'from_date'");
	expect_reject(&d, &m, "column 'AMT' (4): invalid amount '1,5' for 'allowed'");
	expect_reject(&d, &m, "column 'ID' (1): missing value for 'member_id'");
	close_mapped(&d, &m);
}

Test(mapping, line_items_and_skip)
{
	static const struct vbr_map_rule rules[] = {
		RULE("member_id", "ID", NULL), RULE("claim_id", "ID", NULL), RULE("line", "=#", NULL),
		RULE("from_date", "D", "date:YYYY-MM-DD"), RULE("allowed", "AL_#", "amount"),
		{"paid", "PD_#", "amount", "skip"}, END,
	};
	struct vbr_delim d;
	struct vbr_mapping m;
	char why[256], b[64];
	open_mapped(&d, &m, rules, "i.tsv", "ID\tD\tAL_1\tPD_1\tAL_2\tPD_2\tAL_3\tPD_3\n"
		    "A\t2024-01-05\t10\t8\t0\t0\t5\t\n");
	cr_assert_eq(m.nitems, 3);
	vbr_delim_next(&d);
	cr_assert(!vbr_mapping_item_empty(&m, d.field, 0));
	cr_assert(vbr_mapping_item_empty(&m, d.field, 1));
	cr_assert_eq(vbr_mapping_eval(&m, d.field, 0, why, sizeof why), VBR_MAP_OK);
	cr_assert_str_eq(value(&m, "line", b), "1");
	cr_assert_str_eq(value(&m, "paid", b), "8.00");
	int rc = vbr_mapping_eval(&m, d.field, 2, why, sizeof why);
	cr_assert_geq(rc, VBR_MAP_SKIP);
	cr_assert_str_eq(vbr_mapping_skip_reason(&m, rc), "blank PD_#");
	close_mapped(&d, &m);
}

Test(mapping, file_missing_required_column, .init = redirect, .exit_code = 64)
{
	struct vbr_mapping m;
	vbr_mapping_load(&m, fx_text("map.tsv", "column\tsource\nmember_id\tID\n"),
			 VBR_KIND_CLAIMS);
}

Test(mapping, file_unknown_convert, .init = redirect, .exit_code = 64)
{
	struct vbr_mapping m;
	vbr_mapping_load(&m, fx_text("map.tsv", "column\tsource\tconvert\n"
				     "member_id\tID\tupper\n"), VBR_KIND_ROSTER);
}

Test(mapping, source_column_absent, .init = redirect, .exit_code = 65)
{
	struct vbr_mapping m;
	struct vbr_delim d;
	const char *ops[] = {fx_text("r.csv", "NPI,GROUP\n1,A\n")};
	vbr_mapping_load(&m, fx_text("map.tsv", "column\tsource\n"
				     "provider_id\tNPI\norg_id\tORG\n"), VBR_KIND_ROSTER);
	vbr_delim_open(&d, ops, 1, VBR_DELIM_DETECT);
	vbr_mapping_bind(&m, &d);
}
