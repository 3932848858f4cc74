/*
 * harness.h — what every libFuzzer harness of tests/fuzz shares.
 *
 * The library reads files by name, so each input is written to a memory
 * file (memfd) and opened as /proc/self/fd/N. An input the library rejects
 * ends in vbr_die, which would end the fuzzer: vbr_die_hook jumps back into
 * the harness instead, which then frees what the input opened, so the leak
 * check stays meaningful.
 */
#ifndef VBR_FUZZ_HARNESS_H
#define VBR_FUZZ_HARNESS_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "error.h"

static jmp_buf fuzz_back;

static void fuzz_died(int status)
{
	longjmp(fuzz_back, status ? status : 1);
}

/* A memory file holding n bytes of p; its name in path. */
static int fuzz_file(const char *tag, const uint8_t *p, size_t n, char *path, size_t len)
{
	int fd = memfd_create(tag, 0);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, p + done, n - done);
		if (w <= 0) {
			perror("write");
			abort();
		}
		done += (size_t)w;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

/* Bad inputs end in the hook, not the process (run.sh passes
 * -close_fd_mask=3 so their messages do not flood the fuzzer's log). */
static void fuzz_quiet(void)
{
	vbr_die_hook = fuzz_died;
}

#endif
