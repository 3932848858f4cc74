/*
 * sumpaid — the benchmark's minimal lib-based reader: count the records of
 * a claims stream and sum its `paid` column exactly (int64 cents). The same
 * job as the peers in bench/run.sh (mawk, DuckDB).
 */
#include <inttypes.h>
#include <stdio.h>

#include "account.h"
#include "error.h"
#include "money.h"
#include "reader.h"
#include "value.h"

int main(int argc, char **argv)
{
	struct vbr_reader r;
	struct vbr_account a;
	char why[256], total[32];
	int64_t sum = 0, paid;

	vbr_progname = "sumpaid";
	vbr_account_init(&a, NULL, 0);
	vbr_reader_open(&r, (const char *const *)argv + 1, argc - 1);
	int c = vbr_reader_require(&r, "paid");
	while (vbr_reader_next(&r)) {
		int rc;
		if (r.defect) {
			vbr_reject(&a, &r, r.defect);
		} else if ((rc = vbr_parse_amount(r.field[c].p, r.field[c].n, &paid)) != VBR_OK) {
			vbr_reject(&a, &r, vbr_value_reason(why, sizeof why, "paid", c, "amount",
							    rc, r.field[c].p, r.field[c].n));
		} else if (vbr_add_cents(sum, paid, &sum) != 0) {
			vbr_die(EX_DATAERR, "%s: sum of paid overflows", vbr_reader_place(&r));
		}
	}
	vbr_format_cents(total, sum);
	printf("%" PRIu64 "\t%s\n", r.records, total);
	vbr_reader_close(&r);
	return 0;
}
