/* Unit tests: the folded CRC-32 against zlib's, and its constants derived
 * from the polynomial. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "crc32.h"

/* x^n mod P for the gzip polynomial P = 0x104C11DB7, in the normal (not
 * reflected) bit order, by shifting one bit at a time. */
static uint32_t xpow_mod(unsigned n)
{
	uint32_t r = 1;                  /* x^0 */
	for (unsigned i = 0; i < n; i++)
		r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
	return r;
}

static uint64_t reflect32(uint32_t v)
{
	uint64_t r = 0;
	for (int i = 0; i < 32; i++)
		if (v & (1u << i))
			r |= 1ull << (31 - i);
	return r;
}

/* The fold constants in lib/crc32.c are reflect(x^(D±32) mod P) << 1 for
 * D = 512 and 128 bits. */
Test(crc32, fold_constants_follow_from_the_polynomial)
{
	cr_assert_eq(reflect32(xpow_mod(512 + 32)) << 1, 0x154442bd4ull);
	cr_assert_eq(reflect32(xpow_mod(512 - 32)) << 1, 0x1c6e41596ull);
	cr_assert_eq(reflect32(xpow_mod(128 + 32)) << 1, 0x1751997d0ull);
	cr_assert_eq(reflect32(xpow_mod(128 - 32)) << 1, 0x0ccaa009eull);
}

/* The published check value of CRC-32: "123456789" → 0xCBF43926. */
Test(crc32, check_value)
{
	cr_assert_eq(vbr_crc32(0, "123456789", 9), 0xCBF43926u);
	char nine[64 * 3 + 9];
	for (size_t i = 0; i < sizeof nine; i++)
		nine[i] = "123456789"[i % 9];
	cr_assert_eq(vbr_crc32(0, nine, sizeof nine), (uint32_t)crc32_z(0, (void *)nine, sizeof nine));
}

/* Every length 0..1100 at every alignment 0..15, in one call and as a
 * running crc over two pieces, equals zlib. */
Test(crc32, equals_zlib_for_every_length_alignment_and_split)
{
	unsigned char *buf = malloc(1200);
	uint32_t seed = 12345;
	for (size_t i = 0; i < 1200; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n + off <= 1100; n++) {
			uint32_t want = (uint32_t)crc32_z(0, buf + off, n);
			cr_assert_eq(vbr_crc32(0, buf + off, n), want, "off %zu n %zu", off, n);
			size_t half = n / 3;
			uint32_t c = vbr_crc32(0, buf + off, half);
			cr_assert_eq(vbr_crc32(c, buf + off + half, n - half), want,
				     "split off %zu n %zu", off, n);
		}
	free(buf);
}
