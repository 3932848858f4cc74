/*
 * mapping.c — fuzz ingest's mapping compiler and evaluator and the CSV,
 * TSV and fixed-width readers under them. The input is a mapping file, a
 * line "%%", and a foreign extract; the first byte chooses the record kind,
 * CSV or TSV, or (bit 3) fixed-width: then the extract part is a layout
 * file, a line "%%", and the records. Every record is evaluated, line item
 * by line item, as ingest does.
 */
#include "harness.h"

#include <string.h>

#include "delim.h"
#include "mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size < 1)
		return 0;
	enum vbr_kind kind = (enum vbr_kind)(data[0] % 3);
	enum vbr_delim_format format = (data[0] & 4) ? VBR_DELIM_TSV : VBR_DELIM_CSV;
	int fixed = data[0] & 8;
	data++, size--;
	const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
	size_t map_len = sep ? (size_t)(sep - data) + 1 : size;
	const uint8_t *rest = sep ? sep + 4 : data + size;
	size_t rest_len = sep ? size - map_len - 3 : 0;
	/* fixed-width: the layout, then the records */
	const uint8_t *layout = rest;
	size_t layout_len = 0;
	if (fixed) {
		const uint8_t *sep2 = memmem(rest, rest_len, "\n%%\n", 4);
		layout_len = sep2 ? (size_t)(sep2 - rest) + 1 : rest_len;
		rest = sep2 ? sep2 + 4 : rest + rest_len;
		rest_len = sep2 ? rest_len - layout_len - 3 : 0;
	}
	char map_path[64], csv_path[64], layout_path[64];
	int mfd = fuzz_file("map", data, map_len, map_path, sizeof map_path);
	int cfd = fuzz_file("extract", rest, rest_len, csv_path, sizeof csv_path);
	int lfd = fuzz_file("layout", layout, layout_len, layout_path, sizeof layout_path);
	const char *operands[] = { csv_path };
	static struct vbr_mapping m;
	static struct vbr_delim d;
	static struct vbr_fixed_layout l;
	static int have_map, have_delim;
	static char why[256];
	memset(&m, 0, sizeof m);
	memset(&d, 0, sizeof d);
	memset(&l, 0, sizeof l);
	have_map = have_delim = 0;
	if (!setjmp(fuzz_back)) {
		have_map = 1;
		vbr_mapping_load(&m, map_path, kind);
		have_delim = 1;
		if (fixed) {
			vbr_fixed_layout_load(&l, layout_path);
			vbr_delim_open_fixed(&d, operands, 1, &l);
		} else {
			vbr_delim_open(&d, operands, 1, format);
		}
		vbr_mapping_bind(&m, &d);
		while (vbr_delim_next(&d)) {
			if (d.defect)
				continue;
			int items = m.nitems ? m.nitems : 1;
			for (int k = 0; k < items; k++)
				if (!m.nitems || !vbr_mapping_item_empty(&m, d.field, k))
					(void)vbr_mapping_eval(&m, d.field, k, why, sizeof why);
		}
	}
	if (have_delim)
		vbr_delim_close(&d);
	if (have_map)
		vbr_mapping_free(&m);
	vbr_fixed_layout_free(&l);
	close(lfd);
	close(mfd);
	close(cfd);
	return 0;
}
