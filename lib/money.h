/*
 * money.h — exact money and fixed-point arithmetic (vbr(7), Value types).
 *
 *   vbr_format_cents(buf, c)        "-1234.50" (buf ≥ 24 bytes)
 *   vbr_format_fixed(buf, v, s, d)  v in units of 10^-s, shown with d decimals,
 *                                   rounded half away from zero
 *   vbr_format_grouped(buf, c)      "-1,234.50": thousands grouped, for
 *                                   statements a person reads (buf ≥ 32)
 *   vbr_div_round(num, den)         num ÷ den rounded half away from zero
 *   vbr_round_double(x)             a double rounded half away from zero to int64
 *                                   (both: a result outside int64 is bad data,
 *                                   65, never a wrapped number)
 *   vbr_add_cents(a, b, &sum)       add with overflow detection (0 ok, -1 overflow);
 *                                   every int64 sum of money or counts goes through it
 *   vbr_sub_cents(a, b, &diff)      subtract, likewise
 *   vbr_magnitude(v)                |v| as uint64 (|INT64_MIN| included)
 *   VBR_MILLION                     1 in millionths (rates, factors, scores)
 */
#ifndef VBR_MONEY_H
#define VBR_MONEY_H

#include <stddef.h>
#include <stdint.h>

#define VBR_MILLION 1000000LL

size_t vbr_format_cents(char *buf, int64_t cents);
size_t vbr_format_fixed(char *buf, int64_t v, int scale, int decimals);
size_t vbr_format_grouped(char *buf, int64_t cents);
int64_t vbr_div_round(__int128 num, __int128 den);
int64_t vbr_round_double(double x);
int vbr_add_cents(int64_t a, int64_t b, int64_t *sum);
int vbr_sub_cents(int64_t a, int64_t b, int64_t *difference);

static inline uint64_t vbr_magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

#endif
