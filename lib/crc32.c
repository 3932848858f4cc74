/*
 * crc32.c — the gzip CRC-32, fast: folded 64 bytes at a time with
 * carry-less multiplication (PCLMULQDQ) where the CPU has it, zlib's
 * crc32_z where it does not and for the last bytes.
 *
 * Folding: a 16-byte lane A followed, D bits later, by lane B may be
 * replaced by A·x^D mod P XOR B without changing the CRC of the message;
 * in the bit-reflected form of the gzip CRC, A·x^D mod P is two 64×64
 * carry-less products of A's halves with the constants
 * x^(D+32) mod P and x^(D-32) mod P (reflected, shifted left by one;
 * tests/unit/test_crc32.c derives them). Four lanes are folded 512 bits
 * forward until fewer than 64 bytes are left, then into one lane 128 bits
 * at a time; that lane and the unfolded tail are a message with the same
 * CRC, which zlib finishes.
 */
#include "crc32.h"

#include <string.h>
#include <zlib.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define FOLD4_LO 0x154442bd4ULL /* x^(512+32) mod P */
#define FOLD4_HI 0x1c6e41596ULL /* x^(512-32) mod P */
#define FOLD1_LO 0x1751997d0ULL /* x^(128+32) mod P */
#define FOLD1_HI 0x0ccaa009eULL /* x^(128-32) mod P */

static inline __m128i load16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

__attribute__((target("pclmul,sse2"))) static inline __m128i fold(__m128i a, __m128i b, __m128i k)
{
	__m128i lo = _mm_clmulepi64_si128(a, k, 0x00);
	__m128i hi = _mm_clmulepi64_si128(a, k, 0x11);
	return _mm_xor_si128(_mm_xor_si128(lo, hi), b);
}

__attribute__((target("pclmul,sse2"))) static uint32_t crc32_clmul(uint32_t crc,
								      const unsigned char *p,
								      size_t n)
{
	/* the register, ~crc, enters as the first four bytes of the message */
	__m128i x0 = _mm_xor_si128(load16(p),
				   _mm_cvtsi32_si128((int)~crc));
	__m128i x1 = load16(p + 16);
	__m128i x2 = load16(p + 32);
	__m128i x3 = load16(p + 48);
	p += 64;
	n -= 64;
	__m128i k = _mm_set_epi64x((long long)FOLD4_HI, (long long)FOLD4_LO);
	while (n >= 64) {
		x0 = fold(x0, load16(p), k);
		x1 = fold(x1, load16(p + 16), k);
		x2 = fold(x2, load16(p + 32), k);
		x3 = fold(x3, load16(p + 48), k);
		p += 64;
		n -= 64;
	}
	k = _mm_set_epi64x((long long)FOLD1_HI, (long long)FOLD1_LO);
	x0 = fold(x0, x1, k);
	x0 = fold(x0, x2, k);
	x0 = fold(x0, x3, k);
	while (n >= 16) {
		x0 = fold(x0, load16(p), k);
		p += 16;
		n -= 16;
	}
	/* the folded lane and the tail, from a zero register: crc32_z's
	 * register starts as ~crc, so pass ~0 */
	unsigned char last[32];
	_mm_storeu_si128((__m128i *)(void *)last, x0);
	memcpy(last + 16, p, n);
	return (uint32_t)crc32_z(0xffffffffUL, last, 16 + n);
}

#endif

uint32_t vbr_crc32(uint32_t crc, const void *data, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (n >= 64 && __builtin_cpu_supports("pclmul"))
		return crc32_clmul(crc, data, n);
#endif
	return (uint32_t)crc32_z(crc, data, n);
}
