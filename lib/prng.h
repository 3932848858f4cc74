/*
 * prng.h — a documented, portable pseudo-random generator, so a seed gives
 * the same numbers on every machine (synth and simulate).
 *
 * Generator: xoshiro256** (Blackman & Vigna), state seeded from the 64-bit
 * seed by splitmix64. Doubles take the top 53 bits. Normal deviates use
 * Marsaglia's polar method; log and exp are computed here from +, −, ×, ÷
 * and ldexp only (IEEE-exact operations), never from the C library, whose
 * results may differ in the last bit between machines.
 *
 *   vbr_prng_seed(g, seed)      vbr_prng_next(g)      64 random bits
 *   vbr_prng_uniform(g)         [0, 1)
 *   vbr_prng_below(g, n)        integer in [0, n): the next 64 bits x,
 *                               drawn again while x is at or above the
 *                               largest multiple of n, then x mod n
 *   vbr_below_init(b, n)        n prepared for many draws: the same
 *   vbr_prng_draw_below(g, b)   numbers as vbr_prng_below(g, n), without
 *                               a division per draw
 *   vbr_prng_normal(g)          standard normal
 *   vbr_det_log(x), vbr_det_exp(x)   portable ln and e^x
 */
#ifndef VBR_PRNG_H
#define VBR_PRNG_H

#include <stdint.h>

struct vbr_prng {
	uint64_t s[4];
	int have_spare;
	double spare;
};

struct vbr_below {
	uint64_t n, limit;
	unsigned __int128 magic;     /* ⌈2^128 ÷ n⌉; 0 for n = 1 */
};

void vbr_prng_seed(struct vbr_prng *g, uint64_t seed);
void vbr_below_init(struct vbr_below *b, uint64_t n);
double vbr_prng_uniform(struct vbr_prng *g);
uint64_t vbr_prng_below(struct vbr_prng *g, uint64_t n);
double vbr_prng_normal(struct vbr_prng *g);
double vbr_det_log(double x);
double vbr_det_exp(double x);

static inline uint64_t vbr_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: 64 random bits (inline: simulate draws hundreds of
 * millions). */
static inline uint64_t vbr_prng_next(struct vbr_prng *g)
{
	uint64_t *s = g->s;
	uint64_t result = vbr_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = vbr_rotl(s[3], 45);
	return result;
}

/* x mod n as the high 64 bits of ((magic × x) mod 2^128) × n, exact for
 * every 64-bit x and n (tests/unit/test_prng.c checks it against %). */
static inline uint64_t vbr_below_mod(const struct vbr_below *b, uint64_t x)
{
	unsigned __int128 low = b->magic * x;
	unsigned __int128 lo = (unsigned __int128)(uint64_t)low * b->n;
	unsigned __int128 hi = (unsigned __int128)(uint64_t)(low >> 64) * b->n + (lo >> 64);
	return (uint64_t)(hi >> 64);
}

static inline uint64_t vbr_prng_draw_below(struct vbr_prng *g, const struct vbr_below *b)
{
	uint64_t x;
	do
		x = vbr_prng_next(g);
	while (x >= b->limit);
	return vbr_below_mod(b, x);
}

#endif
