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
	char total[32];
	int64_t sum = 0, paid;

	vbr_progname = "sumpaid";
	vbr_account_init(&a, NULL, 0);
	vbr_reader_open(&r, (const char *const *)argv + 1, argc - 1);
	int c = vbr_reader_require(&r, "paid");
	while (vbr_reader_next(&r)) {
		if (r.defect) {
			vbr_reject(&a, &r, r.defect);
		} else if (vbr_field_amount(&a, &r, c, &paid) && vbr_add_cents(sum, paid, &sum) != 0) {
			vbr_die(EX_DATAERR, "%s: sum of paid overflows", vbr_reader_place(&r));
		}
	}
	vbr_format_cents(total, sum);
	printf("%" PRIu64 "\t%s\n", r.records, total);
	vbr_reader_close(&r);
	return 0;
}
