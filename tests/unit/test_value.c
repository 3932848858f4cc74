/* Unit tests: value parsers (vbr(7), VALUE TYPES) and exact money formatting. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "money.h"
#include "names.h"
#include "value.h"

#define S(x) x, strlen(x)

/* One parser case: the text, the status it must give, and (VBR_OK) the
 * value; every case of a table is checked by expect_parsed. */
struct parse_case {
	const char *text;
	int rc;
	int64_t value;
};

typedef int (*parse_fn)(const char *p, size_t n, int64_t *out);

static void expect_parsed(parse_fn parse, const struct parse_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t v = 0;
		cr_assert_eq(parse(S(c[i].text), &v), c[i].rc, "'%s'", c[i].text);
		if (c[i].rc == VBR_OK)
			cr_assert_eq(v, c[i].value, "'%s'", c[i].text);
	}
}

static int parse_flag64(const char *p, size_t n, int64_t *out)
{
	int f = 0, rc = vbr_parse_flag(p, n, &f);
	*out = f;
	return rc;
}

static int parse_date64(const char *p, size_t n, int64_t *out)
{
	int32_t d = 0;
	int rc = vbr_parse_date(p, n, &d);
	*out = d;
	return rc;
}

static int parse_month64(const char *p, size_t n, int64_t *out)
{
	int32_t m = 0;
	int rc = vbr_parse_month(p, n, &m);
	*out = m;
	return rc;
}

#define OK(text, v) {text, VBR_OK, v}
#define BAD(text) {text, VBR_INVALID, 0}

Test(amount, parses_dollars_to_exact_cents)
{
	static const struct parse_case c[] = {
		OK("12.50", 1250), OK("12.5", 1250), OK("7", 700), OK("-0.01", -1), OK("0.10", 10),
		BAD("12,50"), BAD("1.234"), BAD("1."), BAD(".5"), BAD("-"), BAD("+1"), BAD("1e3"),
		BAD(" 1"), BAD("$5"), BAD("1.2.3"), BAD("--1"), BAD("12a"), {"", VBR_MISSING, 0},
	};
	expect_parsed(vbr_parse_amount, c, LEN(c));
}

/* 2^63 cents = 92233720368547758.08 dollars: one cent more than int64 holds. */
Test(amount, overflow_at_2_pow_63)
{
	static const struct parse_case c[] = {
		OK("92233720368547758.07", INT64_MAX), BAD("92233720368547758.08"),
		OK("-92233720368547758.08", INT64_MIN), BAD("-92233720368547758.09"),
		BAD("100000000000000000000"),
	};
	expect_parsed(vbr_parse_amount, c, LEN(c));
}

/* The parser takes a short path while integer digits + scale ≤ 18 and the
 * checked one beyond: both sides of that seam, by hand. 16 integer digits
 * + 2 for cents = 18 (short); 17 + 2 = 19 (checked). */
Test(amount, same_results_both_sides_of_the_18_digit_seam)
{
	static const struct parse_case amounts[] = {
		OK("9999999999999999.99", 999999999999999999LL),
		OK("-9999999999999999.9", -999999999999999990LL),
		OK("10000000000000000.01", 1000000000000000001LL), OK("-0", 0), OK("0012.3", 1230),
		BAD("12."), BAD("12.3."), BAD("12.3x"), BAD("9999999999999999.999"), BAD("12-"),
	};
	static const struct parse_case rates[] = {
		OK("999999999999.999999", 999999999999999999LL),      /* 12 + 6 */
		OK("9223372036854.775807", INT64_MAX),                /* 13 + 6 */
		BAD("9223372036854.775808"),
	};
	static const struct parse_case counts[] = {
		OK("999999999999999999", 999999999999999999LL), BAD("9223372036854775808"),
	};
	expect_parsed(vbr_parse_amount, amounts, LEN(amounts));
	expect_parsed(vbr_parse_rate, rates, LEN(rates));
	expect_parsed(vbr_parse_count, counts, LEN(counts));
}

Test(rate, parses_millionths)
{
	static const struct parse_case c[] = {
		OK("0.07", 70000), OK("1.050200", 1050200), OK("-0.000001", -1),
		BAD("0.1234567"), BAD("7%"), {"", VBR_MISSING, 0},
	};
	expect_parsed(vbr_parse_rate, c, LEN(c));
}

Test(count, digits_only)
{
	static const struct parse_case c[] = {
		OK("12", 12), BAD("-1"), BAD("1.0"), BAD("9223372036854775808"), {"", VBR_MISSING, 0},
	};
	expect_parsed(vbr_parse_count, c, LEN(c));
}

Test(flag, y_or_n)
{
	static const struct parse_case c[] = {
		OK("Y", 1), OK("N", 0), BAD("y"), BAD("Yes"), {"", VBR_MISSING, 0},
	};
	expect_parsed(parse_flag64, c, LEN(c));
}

Test(id, non_empty)
{
	cr_assert_eq(vbr_parse_id(S("M1")), VBR_OK);
	cr_assert_eq(vbr_parse_id(S("")), VBR_MISSING);
}

/* Known day numbers: 1970-01-01 is day 0; 2000-03-01 is day 11017
 * (30 years × 365 + 7 leap days 1972..1996 = 10957, + Jan 31 + Feb 29 = 11017);
 * 2024-02-29 is 19782 (54 years × 365 + 13 leap days 1972..2020 = 19723,
 * + Jan 31 + 28 = 19782); 2000-02-29 is 11016, the day before 2000-03-01. */
Test(date, calendar)
{
	static const struct parse_case c[] = {
		OK("1970-01-01", 0), OK("2000-03-01", 11017), OK("2024-02-29", 19782),
		OK("2000-02-29", 11016), BAD("2023-02-29"), BAD("1900-02-29"), BAD("2024-13-01"),
		BAD("2024-04-31"), BAD("20240101"), BAD("2024-1-01"), {"", VBR_MISSING, 0},
	};
	expect_parsed(parse_date64, c, LEN(c));
	char buf[11];
	for (int32_t day = -800000; day < 800000; day += 997) {
		int y, m, dd;
		vbr_civil_from_days(day, &y, &m, &dd);
		cr_assert_eq(vbr_days_from_civil(y, m, dd), day);
	}
	vbr_format_date(buf, 11017);
	cr_assert_str_eq(buf, "2000-03-01");
}

/* 2024-12 is month 54 × 12 + 11 = 659 after 1970-01. */
Test(month, yyyy_mm)
{
	static const struct parse_case c[] = {
		OK("1970-01", 0), OK("2024-12", 659), BAD("2024-00"), BAD("2024-1"),
		BAD("2024-01-01"),
	};
	expect_parsed(parse_month64, c, LEN(c));
	char buf[8];
	vbr_format_month(buf, 659);
	cr_assert_str_eq(buf, "2024-12");
	vbr_format_month(buf, -1);
	cr_assert_str_eq(buf, "1969-12");
}

Test(reason, spec_message_grammar)
{
	char b[128];
	vbr_value_reason(b, sizeof b, "cost", 4, "amount", VBR_INVALID, S("12,50"));
	cr_assert_str_eq(b, "column 'cost' (5): invalid amount '12,50'");
	vbr_value_reason(b, sizeof b, "paid", 0, "amount", VBR_MISSING, S(""));
	cr_assert_str_eq(b, "column 'paid' (1): missing value");
}

Test(money, format_cents)
{
	char b[32];
	vbr_format_cents(b, 44949);
	cr_assert_str_eq(b, "449.49");
	vbr_format_cents(b, -5);
	cr_assert_str_eq(b, "-0.05");
	vbr_format_cents(b, INT64_MIN);
	cr_assert_str_eq(b, "-92233720368547758.08");
}

/* One formatting case: v in 10^-scale written with `decimals`. */
struct format_case {
	int64_t v;
	int scale, decimals;
	const char *want;
};

static void expect_formatted(const struct format_case *c, size_t n)
{
	char b[48];
	for (size_t i = 0; i < n; i++) {
		vbr_format_fixed(b, c[i].v, c[i].scale, c[i].decimals);
		cr_assert_str_eq(b, c[i].want);
	}
}

/* Whole numbers (scale 0, as vbr_put_int writes counts): no point. */
Test(money, format_whole_numbers)
{
	static const struct format_case c[] = {
		{0, 0, 0, "0"}, {-5, 0, 0, "-5"}, {1200, 0, 0, "1200"},
		{INT64_MAX, 0, 0, "9223372036854775807"}, {INT64_MIN, 0, 0, "-9223372036854775808"},
	};
	expect_formatted(c, LEN(c));
}

/* Half away from zero: 1.00005 → 1.0001, −1.00005 → −1.0001, 1.00004 → 1.0000. */
Test(money, fixed_rounding_half_away_from_zero)
{
	static const struct format_case c[] = {
		{1000050, 6, 4, "1.0001"}, {-1000050, 6, 4, "-1.0001"}, {1000049, 6, 4, "1.0000"},
	};
	expect_formatted(c, LEN(c));
	cr_assert_eq(vbr_div_round(5, 2), 3);
	cr_assert_eq(vbr_div_round(-5, 2), -3);
	cr_assert_eq(vbr_div_round(7, -2), -4);
	cr_assert_eq(vbr_div_round(4, 3), 1);
}

/* target(1) worked example: E = C × D = $428.00 × 1.0502 = $449.4856 → $449.49,
 * in exact integer arithmetic: 42800 cents × 1050200 millionths / 10^6. */
Test(money, spec_target_e_exact)
{
	cr_assert_eq(vbr_div_round((__int128)42800 * 1050200, 1000000), 44949);
}

/* The largest quotients that fit: 2^63 − 1 and −2^63 exactly. */
Test(money, div_round_at_the_edges_of_int64)
{
	cr_assert_eq(vbr_div_round((__int128)INT64_MAX * 2, 2), INT64_MAX);
	cr_assert_eq(vbr_div_round((__int128)INT64_MIN * 3, 3), INT64_MIN);
	/* (2^63 − 1) + 0.4 rounds down to 2^63 − 1: (10 × (2^63 − 1) + 4) ÷ 10 */
	cr_assert_eq(vbr_div_round((__int128)INT64_MAX * 10 + 4, 10), INT64_MAX);
	cr_assert_eq(vbr_round_double(-9223372036854775808.0), INT64_MIN);
	cr_assert_eq(vbr_round_double(-2.5), -3);
}

/* 2^63 is one past the largest: bad data (65), not a wrapped −2^63. */
Test(money, div_round_past_int64_is_bad_data, .init = cr_redirect_stderr, .exit_code = 65)
{
	(void)vbr_div_round((__int128)INT64_MAX + 1, 1);
}

/* (2^63 − 1) + 0.5 rounds away from zero to 2^63: past int64. */
Test(money, div_round_up_past_int64_is_bad_data, .init = cr_redirect_stderr, .exit_code = 65)
{
	(void)vbr_div_round((__int128)INT64_MAX * 2 + 1, 2);
}

Test(money, round_double_past_int64_is_bad_data, .init = cr_redirect_stderr, .exit_code = 65)
{
	(void)vbr_round_double(9223372036854775808.0);
}

Test(money, round_double_of_nan_is_bad_data, .init = cr_redirect_stderr, .exit_code = 65)
{
	(void)vbr_round_double(0.0 / 0.0);
}

Test(money, add_overflow_detected)
{
	int64_t s;
	cr_assert_eq(vbr_add_cents(INT64_MAX, 1, &s), -1);
	cr_assert_eq(vbr_add_cents(1, 2, &s), 0);
	cr_assert_eq(s, 3);
}
