/*
 * source.c — fuzz the byte sources: an archive member read in place
 * (libarchive: tar, tar.gz, zip; "extract#claims.tsv", one member of that
 * name, a regular file) and gzip data inflated on the source's thread, with
 * its trailer checked. Every byte the source gives is read.
 */
#include "harness.h"

#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	if (size < 1)
		return 0;
	int member = data[0] & 1;
	char path[64], operand[96];
	int fd = fuzz_file("source", data + 1, size - 1, path, sizeof path);
	snprintf(operand, sizeof operand, member ? "%s#claims.tsv" : "%s", path);
	static struct vbr_source *s;
	static char buf[1 << 16];
	s = NULL;
	if (!setjmp(fuzz_back)) {
		s = vbr_source_open(operand);
		vbr_cleanup_pop(s);     /* from here the harness closes it */
		while (vbr_source_read(s, buf, sizeof buf) > 0)
			;
	}
	vbr_source_close(s);
	close(fd);
	return 0;
}
