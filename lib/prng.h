/*
 * prng.h — a documented, portable pseudo-random generator, so a seed gives
 * the same numbers on every machine (synth, and simulate later).
 *
 * Generator: xoshiro256** (Blackman & Vigna), state seeded from the 64-bit
 * seed by splitmix64. Doubles take the top 53 bits. Normal deviates use
 * Marsaglia's polar method; log and exp are computed here from +, −, ×, ÷
 * and ldexp only (IEEE-exact operations), never from the C library, whose
 * results may differ in the last bit between machines.
 *
 *   vbr_prng_seed(g, seed)      vbr_prng_next(g)      64 random bits
 *   vbr_prng_uniform(g)         [0, 1)
 *   vbr_prng_below(g, n)        integer in [0, n)
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

void vbr_prng_seed(struct vbr_prng *g, uint64_t seed);
uint64_t vbr_prng_next(struct vbr_prng *g);
double vbr_prng_uniform(struct vbr_prng *g);
uint64_t vbr_prng_below(struct vbr_prng *g, uint64_t n);
double vbr_prng_normal(struct vbr_prng *g);
double vbr_det_log(double x);
double vbr_det_exp(double x);

#endif
