/* Unit tests: the portable generator and its log/exp. */
#include <criterion/criterion.h>
#include <math.h>

#include "prng.h"

Test(prng, same_seed_same_sequence)
{
	struct vbr_prng a, b, c;
	vbr_prng_seed(&a, 42);
	vbr_prng_seed(&b, 42);
	vbr_prng_seed(&c, 43);
	int differs = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = vbr_prng_next(&a);
		cr_assert_eq(x, vbr_prng_next(&b));
		differs |= x != vbr_prng_next(&c);
	}
	cr_assert(differs);
}

/* splitmix64 from seed 0 gives 0xe220a8397b1dcdaf as its first output
 * (the published reference value of the algorithm); the first state word of
 * the generator is exactly that. */
Test(prng, splitmix_reference_value)
{
	struct vbr_prng g;
	vbr_prng_seed(&g, 0);
	cr_assert_eq(g.s[0], 0xe220a8397b1dcdafULL);
}

Test(prng, uniform_and_below_in_range)
{
	struct vbr_prng g;
	vbr_prng_seed(&g, 7);
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = vbr_prng_uniform(&g);
		cr_assert(u >= 0.0 && u < 1.0);
		sum += u;
		cr_assert_lt(vbr_prng_below(&g, 13), 13);
	}
	cr_assert_float_eq(sum / 100000, 0.5, 0.01);
}

Test(prng, normal_moments)
{
	struct vbr_prng g;
	vbr_prng_seed(&g, 9);
	double s = 0, s2 = 0;
	int n = 200000;
	for (int i = 0; i < n; i++) {
		double z = vbr_prng_normal(&g);
		s += z;
		s2 += z * z;
	}
	cr_assert_float_eq(s / n, 0.0, 0.01);
	cr_assert_float_eq(s2 / n, 1.0, 0.01);
}

Test(prng, det_log_exp_match_libm)
{
	for (double x = 1e-6; x < 1e6; x *= 1.37) {
		cr_assert_float_eq(vbr_det_log(x), log(x), 1e-12 * (1 + fabs(log(x))));
	}
	for (double x = -30; x < 30; x += 0.173) {
		cr_assert_float_eq(vbr_det_exp(x) / exp(x), 1.0, 1e-13);
	}
}
