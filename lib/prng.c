/* prng.c — xoshiro256** with splitmix64 seeding; portable log/exp. */
#include "prng.h"

#include <math.h>

/* splitmix64 step: spreads one seed over the four state words. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void vbr_prng_seed(struct vbr_prng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix64(&seed);
	g->have_spare = 0;
}

double vbr_prng_uniform(struct vbr_prng *g)
{
	return (double)(vbr_prng_next(g) >> 11) * 0x1.0p-53;
}

/* The rejection limit (the largest multiple of n) and the magic number
 * ⌈2^128 ÷ n⌉ that turns x mod n into two multiplications (Lemire, Kaser
 * and Kurz, "Faster remainder by direct computation", 2019). */
void vbr_below_init(struct vbr_below *b, uint64_t n)
{
	b->n = n;
	b->limit = UINT64_MAX - UINT64_MAX % n;
	b->magic = n == 1 ? 0 : ~(unsigned __int128)0 / n + 1;
}

/* One draw below n: the rule itself, with a division (a prepared bound
 * would cost a 128-bit division to set up, more than it saves once). */
uint64_t vbr_prng_below(struct vbr_prng *g, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = vbr_prng_next(g);
	while (x >= limit);
	return x % n;
}

/* ln x = e·ln 2 + 2·atanh((m−1)/(m+1)) with x = m·2^e, m in [1, 2). */
double vbr_det_log(double x)
{
	static const double ln2 = 0.6931471805599453094;
	int e;
	double m = frexp(x, &e) * 2.0;   /* exact: m in [1, 2) */
	e -= 1;
	double t = (m - 1.0) / (m + 1.0), t2 = t * t, term = t, sum = 0.0;
	for (int k = 1; k < 60; k += 2) {
		sum += term / k;
		term *= t2;
	}
	return 2.0 * sum + e * ln2;
}

/* e^x = 2^k · e^r with r = x − k·ln 2 in [0, ln 2), Taylor series for e^r. */
double vbr_det_exp(double x)
{
	static const double ln2 = 0.6931471805599453094;
	double k = floor(x / ln2);
	double r = x - k * ln2, term = 1.0, sum = 1.0;
	for (int i = 1; i < 30; i++) {
		term = term * r / i;
		sum += term;
	}
	return ldexp(sum, (int)k);
}

/* Marsaglia polar method: two normals per accepted pair. */
double vbr_prng_normal(struct vbr_prng *g)
{
	if (g->have_spare) {
		g->have_spare = 0;
		return g->spare;
	}
	double u, v, s;
	do {
		u = 2.0 * vbr_prng_uniform(g) - 1.0;
		v = 2.0 * vbr_prng_uniform(g) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	double f = sqrt(-2.0 * vbr_det_log(s) / s);
	g->spare = v * f;
	g->have_spare = 1;
	return u * f;
}
