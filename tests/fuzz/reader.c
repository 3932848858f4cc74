/*
 * reader.c — fuzz the record stream reader (vbr(7), The stream): headers,
 * field splitting, defects, the record size bound, and the gzip source
 * behind it (an input that starts with gzip's magic is inflated on the
 * source's thread). The first byte chooses a lenient reader (defects are
 * returned) or a strict side-file reader (a defect ends the run).
 */
#include "harness.h"

#include <string.h>

#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size < 1)
		return 0;
	int strict = data[0] & 1;
	vbr_max_record = (data[0] & 2) ? 64 : (size_t)1 << 20;
	char path[64];
	int fd = fuzz_file("reader", data + 1, size - 1, path, sizeof path);
	const char *operands[] = { path };
	static struct vbr_reader r;
	memset(&r, 0, sizeof r);
	if (!setjmp(fuzz_back)) {
		if (strict)
			vbr_reader_open_side(&r, path, 65);
		else
			vbr_reader_open(&r, operands, 1);
		(void)vbr_reader_column(&r, "member_id");
		size_t sum = 0;
		while (vbr_reader_next(&r)) {
			for (int i = 0; i < r.ncols; i++)
				sum += r.field[i].n;
			if (r.defect)
				sum += strlen(r.defect);
			sum += strlen(vbr_reader_place(&r));
		}
		if (sum == (size_t)-1)
			abort();
	}
	vbr_reader_close(&r);
	close(fd);
	return 0;
}
