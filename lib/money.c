/* money.c — formatting and half-away-from-zero rounding of exact values. */
#include "money.h"
#include "error.h"

#include <string.h>

#include <math.h>

/* Write |v| / 10^scale with exactly `decimals` decimals (decimals ≤ scale),
 * rounding the dropped digits half away from zero. Digits are produced by
 * hand: this is on the output path of every money column. */
size_t vbr_format_fixed(char *buf, int64_t v, int scale, int decimals)
{
	__int128 den = 1;
	for (int i = decimals; i < scale; i++)
		den *= 10;
	int64_t r = den == 1 ? v : vbr_div_round(v, den);
	uint64_t a = vbr_magnitude(r);
	char tmp[32];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + a % 10);
		a /= 10;
		if (n == decimals)
			tmp[n++] = '.';
	} while (a > 0 || n <= decimals + (decimals > 0));
	size_t len = 0;
	if (r < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

size_t vbr_format_cents(char *buf, int64_t cents)
{
	return vbr_format_fixed(buf, cents, 2, 2);
}

/* Cents with a comma between each group of three integer digits. */
size_t vbr_format_grouped(char *buf, int64_t cents)
{
	char plain[32];
	size_t n = vbr_format_cents(plain, cents), len = 0, start = plain[0] == '-';
	size_t digits = n - 3 - start;           /* integer digits */
	if (start)
		buf[len++] = '-';
	for (size_t i = 0; i < digits; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			buf[len++] = ',';
		buf[len++] = plain[start + i];
	}
	memcpy(buf + len, plain + n - 3, 4);
	return len + 3;
}

/* A computed amount or rate that does not fit in int64 comes only from
 * inputs far beyond any real contract's: bad data, never a silent wrap. */
static void out_of_range(void) __attribute__((noreturn));
static void out_of_range(void)
{
	vbr_die(EX_DATAERR, "a computed amount or rate does not fit in 64 bits (inputs too large)");
}

int64_t vbr_div_round(__int128 num, __int128 den)
{
	if (den < 0) {
		num = -num;
		den = -den;
	}
	__int128 q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		out_of_range();
	return (int64_t)q;
}

int64_t vbr_round_double(double x)
{
	double r = round(x);
	/* 2^63 is a double; every double below it in magnitude converts */
	if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
		out_of_range();
	return (int64_t)r;
}

int vbr_add_cents(int64_t a, int64_t b, int64_t *sum)
{
	return __builtin_add_overflow(a, b, sum) ? -1 : 0;
}

int vbr_sub_cents(int64_t a, int64_t b, int64_t *difference)
{
	return __builtin_sub_overflow(a, b, difference) ? -1 : 0;
}
