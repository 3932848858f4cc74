/*
 * crc32.h — the CRC-32 of gzip (RFC 1952), as zlib's crc32() computes it,
 * several times faster on CPUs with carry-less multiply.
 *
 *   vbr_crc32(crc, p, n)   crc of the bytes so far, updated with p[0..n);
 *                          start with 0
 */
#ifndef VBR_CRC32_H
#define VBR_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t vbr_crc32(uint32_t crc, const void *data, size_t n);

#endif
