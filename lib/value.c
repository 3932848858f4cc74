/*
 * value.c — exact parsers for the stream's value types. Money never passes
 * through floating point: "12.5" is 1250 cents by digit arithmetic.
 */
#include "value.h"

#include <stdio.h>

int vbr_parse_id(const char *p, size_t n)
{
	(void)p;
	return n == 0 ? VBR_MISSING : VBR_OK;
}

/* Digits [p, p+k) as a non-negative number; -1 if any is not a digit. */
static int digits(const char *p, size_t k)
{
	int v = 0;
	for (size_t i = 0; i < k; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int vbr_valid_civil(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Days since 1970-01-01 of a proleptic Gregorian date, by counting whole
 * 400-year eras (146097 days) from 0000-03-01 so that leap days fall last. */
int32_t vbr_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (m + 9) % 12;                 /* March = 0 */
	int doy = (153 * mp + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of vbr_days_from_civil. */
void vbr_civil_from_days(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int vbr_parse_date(const char *p, size_t n, int32_t *days)
{
	if (n == 0)
		return VBR_MISSING;
	if (n != 10 || p[4] != '-' || p[7] != '-')
		return VBR_INVALID;
	int y = digits(p, 4), m = digits(p + 5, 2), d = digits(p + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !vbr_valid_civil(y, m, d))
		return VBR_INVALID;
	*days = vbr_days_from_civil(y, m, d);
	return VBR_OK;
}

int vbr_parse_month(const char *p, size_t n, int32_t *months)
{
	if (n == 0)
		return VBR_MISSING;
	if (n != 7 || p[4] != '-')
		return VBR_INVALID;
	int y = digits(p, 4), m = digits(p + 5, 2);
	if (y < 1 || m < 1 || m > 12)
		return VBR_INVALID;
	*months = (y - 1970) * 12 + (m - 1);
	return VBR_OK;
}

/* Shared fixed-point parser: -?[0-9]+(.[0-9]{1,scale_digits})? scaled by
 * 10^scale_digits, with overflow detection against int64 at every digit. */
static int parse_fixed_checked(const char *p, size_t n, int scale_digits, int64_t *out)
{
	if (n == 0)
		return VBR_MISSING;
	size_t i = 0;
	int neg = 0;
	if (p[0] == '-') {
		neg = 1;
		i = 1;
	}
	uint64_t v = 0;
	const uint64_t limit = (uint64_t)INT64_MAX + (uint64_t)neg;
	size_t int_start = i;
	for (; i < n && p[i] != '.'; i++) {
		if (p[i] < '0' || p[i] > '9')
			return VBR_INVALID;
		unsigned dgt = (unsigned)(p[i] - '0');
		if (v > (limit - dgt) / 10)
			return VBR_INVALID;
		v = v * 10 + dgt;
	}
	if (i == int_start)
		return VBR_INVALID;
	int frac = 0;
	if (i < n) {                    /* p[i] == '.' */
		i++;
		if (i == n)
			return VBR_INVALID;
		for (; i < n; i++, frac++) {
			if (frac == scale_digits || p[i] < '0' || p[i] > '9')
				return VBR_INVALID;
			unsigned dgt = (unsigned)(p[i] - '0');
			if (v > (limit - dgt) / 10)
				return VBR_INVALID;
			v = v * 10 + dgt;
		}
	}
	for (; frac < scale_digits; frac++) {
		if (v > limit / 10)
			return VBR_INVALID;
		v *= 10;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return VBR_OK;
}

/* The same grammar and results as parse_fixed_checked, fast for the usual
 * value: when the integer digits and the scale come to at most 18 digits
 * the scaled value is below 10^18 and cannot overflow, so no digit needs a
 * check; longer integer parts go to the checked parser. */
static int parse_fixed(const char *p, size_t n, int scale_digits, int64_t *out)
{
	if (n == 0)
		return VBR_MISSING;
	size_t i = p[0] == '-', int_start = i;
	uint64_t v = 0;
	while (i < n && (unsigned)(p[i] - '0') < 10)
		v = v * 10 + (unsigned)(p[i++] - '0');
	if (i == int_start || i - int_start + (size_t)scale_digits > 18)
		return parse_fixed_checked(p, n, scale_digits, out);
	int frac = 0;
	if (i < n) {
		if (p[i] != '.' || ++i == n)
			return VBR_INVALID;
		for (; i < n; i++, frac++) {
			if (frac == scale_digits || (unsigned)(p[i] - '0') >= 10)
				return VBR_INVALID;
			v = v * 10 + (unsigned)(p[i] - '0');
		}
	}
	for (; frac < scale_digits; frac++)
		v *= 10;
	*out = p[0] == '-' ? -(int64_t)v : (int64_t)v;
	return VBR_OK;
}

int vbr_parse_amount(const char *p, size_t n, int64_t *cents)
{
	return parse_fixed(p, n, 2, cents);
}

int vbr_parse_fine_amount(const char *p, size_t n, int64_t *micro_cents)
{
	return parse_fixed(p, n, 8, micro_cents);
}

int vbr_parse_rate(const char *p, size_t n, int64_t *millionths)
{
	return parse_fixed(p, n, 6, millionths);
}

int vbr_parse_count(const char *p, size_t n, int64_t *count)
{
	if (n == 0)
		return VBR_MISSING;
	if (p[0] == '-')
		return VBR_INVALID;
	return parse_fixed(p, n, 0, count);
}

int vbr_parse_flag(const char *p, size_t n, int *flag)
{
	if (n == 0)
		return VBR_MISSING;
	if (n == 1 && (p[0] == 'Y' || p[0] == 'N')) {
		*flag = p[0] == 'Y';
		return VBR_OK;
	}
	return VBR_INVALID;
}

size_t vbr_format_date(char *buf, int32_t days)
{
	int y, m, d;
	vbr_civil_from_days(days, &y, &m, &d);
	return (size_t)snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

size_t vbr_format_month(char *buf, int32_t months)
{
	int y = 1970 + (months >= 0 ? months / 12 : (months - 11) / 12);
	int m = months - (y - 1970) * 12 + 1;
	return (size_t)snprintf(buf, 8, "%04d-%02d", y, m);
}

const char *vbr_value_reason(char *buf, size_t len, const char *column, int col,
			     const char *type, int rc, const char *p, size_t n)
{
	if (rc == VBR_MISSING)
		snprintf(buf, len, "column '%s' (%d): missing value", column, col + 1);
	else
		snprintf(buf, len, "column '%s' (%d): invalid %s '%.*s'", column,
			 col + 1, type, (int)(n > 200 ? 200 : n), p);
	return buf;
}
