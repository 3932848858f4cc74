/* Unit tests: value parsers (SPEC §3) and exact money formatting. */
#include <criterion/criterion.h>
#include <string.h>

#include "money.h"
#include "names.h"
#include "value.h"

#define S(x) x, strlen(x)

Test(amount, parses_dollars_to_exact_cents)
{
	int64_t c;
	cr_assert_eq(vbr_parse_amount(S("12.50"), &c), VBR_OK);
	cr_assert_eq(c, 1250);
	cr_assert_eq(vbr_parse_amount(S("12.5"), &c), VBR_OK);
	cr_assert_eq(c, 1250);
	cr_assert_eq(vbr_parse_amount(S("7"), &c), VBR_OK);
	cr_assert_eq(c, 700);
	cr_assert_eq(vbr_parse_amount(S("-0.01"), &c), VBR_OK);
	cr_assert_eq(c, -1);
	cr_assert_eq(vbr_parse_amount(S("0.10"), &c), VBR_OK);
	cr_assert_eq(c, 10);
}

Test(amount, rejects_bad_text)
{
	int64_t c;
	const char *bad[] = {"12,50", "1.234", "1.", ".5", "-", "+1", "1e3", " 1", "$5",
			     "1.2.3", "--1", "12a"};
	for (size_t i = 0; i < LEN(bad); i++)
		cr_assert_eq(vbr_parse_amount(S(bad[i]), &c), VBR_INVALID, "%s", bad[i]);
	cr_assert_eq(vbr_parse_amount(S(""), &c), VBR_MISSING);
}

/* 2^63 cents = 92233720368547758.08 dollars: one cent more than int64 holds. */
Test(amount, overflow_at_2_pow_63)
{
	int64_t c;
	cr_assert_eq(vbr_parse_amount(S("92233720368547758.07"), &c), VBR_OK);
	cr_assert_eq(c, INT64_MAX);
	cr_assert_eq(vbr_parse_amount(S("92233720368547758.08"), &c), VBR_INVALID);
	cr_assert_eq(vbr_parse_amount(S("-92233720368547758.08"), &c), VBR_OK);
	cr_assert_eq(c, INT64_MIN);
	cr_assert_eq(vbr_parse_amount(S("-92233720368547758.09"), &c), VBR_INVALID);
	cr_assert_eq(vbr_parse_amount(S("100000000000000000000"), &c), VBR_INVALID);
}

/* The parser takes a short path while integer digits + scale ≤ 18 and the
 * checked one beyond: both sides of that seam, by hand. 16 integer digits
 * + 2 for cents = 18 (short); 17 + 2 = 19 (checked). */
Test(amount, same_results_both_sides_of_the_18_digit_seam)
{
	int64_t c;
	cr_assert_eq(vbr_parse_amount(S("9999999999999999.99"), &c), VBR_OK);
	cr_assert_eq(c, 999999999999999999LL);
	cr_assert_eq(vbr_parse_amount(S("-9999999999999999.9"), &c), VBR_OK);
	cr_assert_eq(c, -999999999999999990LL);
	cr_assert_eq(vbr_parse_amount(S("10000000000000000.01"), &c), VBR_OK);
	cr_assert_eq(c, 1000000000000000001LL);
	cr_assert_eq(vbr_parse_amount(S("-0"), &c), VBR_OK);
	cr_assert_eq(c, 0);
	cr_assert_eq(vbr_parse_amount(S("0012.3"), &c), VBR_OK);
	cr_assert_eq(c, 1230);
	const char *bad[] = {"12.", "12.3.", "12.3x", "9999999999999999.999", "12-"};
	for (size_t i = 0; i < LEN(bad); i++)
		cr_assert_eq(vbr_parse_amount(S(bad[i]), &c), VBR_INVALID, "%s", bad[i]);
	int64_t r;
	cr_assert_eq(vbr_parse_rate(S("999999999999.999999"), &r), VBR_OK); /* 12 + 6 */
	cr_assert_eq(r, 999999999999999999LL);
	cr_assert_eq(vbr_parse_rate(S("9223372036854.775807"), &r), VBR_OK); /* 13 + 6 */
	cr_assert_eq(r, INT64_MAX);
	cr_assert_eq(vbr_parse_rate(S("9223372036854.775808"), &r), VBR_INVALID);
	cr_assert_eq(vbr_parse_count(S("999999999999999999"), &r), VBR_OK);
	cr_assert_eq(r, 999999999999999999LL);
	cr_assert_eq(vbr_parse_count(S("9223372036854775808"), &r), VBR_INVALID);
}

Test(rate, parses_millionths)
{
	int64_t r;
	cr_assert_eq(vbr_parse_rate(S("0.07"), &r), VBR_OK);
	cr_assert_eq(r, 70000);
	cr_assert_eq(vbr_parse_rate(S("1.050200"), &r), VBR_OK);
	cr_assert_eq(r, 1050200);
	cr_assert_eq(vbr_parse_rate(S("-0.000001"), &r), VBR_OK);
	cr_assert_eq(r, -1);
	cr_assert_eq(vbr_parse_rate(S("0.1234567"), &r), VBR_INVALID);
	cr_assert_eq(vbr_parse_rate(S("7%"), &r), VBR_INVALID);
	cr_assert_eq(vbr_parse_rate(S(""), &r), VBR_MISSING);
}

Test(count, digits_only)
{
	int64_t n;
	cr_assert_eq(vbr_parse_count(S("12"), &n), VBR_OK);
	cr_assert_eq(n, 12);
	cr_assert_eq(vbr_parse_count(S("-1"), &n), VBR_INVALID);
	cr_assert_eq(vbr_parse_count(S("1.0"), &n), VBR_INVALID);
	cr_assert_eq(vbr_parse_count(S("9223372036854775808"), &n), VBR_INVALID);
	cr_assert_eq(vbr_parse_count(S(""), &n), VBR_MISSING);
}

Test(flag, y_or_n)
{
	int f;
	cr_assert_eq(vbr_parse_flag(S("Y"), &f), VBR_OK);
	cr_assert_eq(f, 1);
	cr_assert_eq(vbr_parse_flag(S("N"), &f), VBR_OK);
	cr_assert_eq(f, 0);
	cr_assert_eq(vbr_parse_flag(S("y"), &f), VBR_INVALID);
	cr_assert_eq(vbr_parse_flag(S("Yes"), &f), VBR_INVALID);
	cr_assert_eq(vbr_parse_flag(S(""), &f), VBR_MISSING);
}

Test(id, non_empty)
{
	cr_assert_eq(vbr_parse_id(S("M1")), VBR_OK);
	cr_assert_eq(vbr_parse_id(S("")), VBR_MISSING);
}

/* Known day numbers: 1970-01-01 is day 0; 2000-03-01 is day 11017
 * (30 years × 365 + 7 leap days 1972..1996 = 10957, + Jan 31 + Feb 29 = 11017). */
Test(date, calendar)
{
	int32_t d;
	cr_assert_eq(vbr_parse_date(S("1970-01-01"), &d), VBR_OK);
	cr_assert_eq(d, 0);
	cr_assert_eq(vbr_parse_date(S("2000-03-01"), &d), VBR_OK);
	cr_assert_eq(d, 11017);
	cr_assert_eq(vbr_parse_date(S("2024-02-29"), &d), VBR_OK);
	cr_assert_eq(vbr_parse_date(S("2023-02-29"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S("1900-02-29"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S("2000-02-29"), &d), VBR_OK);
	cr_assert_eq(vbr_parse_date(S("2024-13-01"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S("2024-04-31"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S("20240101"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S("2024-1-01"), &d), VBR_INVALID);
	cr_assert_eq(vbr_parse_date(S(""), &d), VBR_MISSING);
	char buf[11];
	for (int32_t day = -800000; day < 800000; day += 997) {
		int y, m, dd;
		vbr_civil_from_days(day, &y, &m, &dd);
		cr_assert_eq(vbr_days_from_civil(y, m, dd), day);
	}
	vbr_format_date(buf, 11017);
	cr_assert_str_eq(buf, "2000-03-01");
}

Test(month, yyyy_mm)
{
	int32_t m;
	char buf[8];
	cr_assert_eq(vbr_parse_month(S("1970-01"), &m), VBR_OK);
	cr_assert_eq(m, 0);
	cr_assert_eq(vbr_parse_month(S("2024-12"), &m), VBR_OK);
	cr_assert_eq(m, 54 * 12 + 11);
	vbr_format_month(buf, m);
	cr_assert_str_eq(buf, "2024-12");
	vbr_format_month(buf, -1);
	cr_assert_str_eq(buf, "1969-12");
	cr_assert_eq(vbr_parse_month(S("2024-00"), &m), VBR_INVALID);
	cr_assert_eq(vbr_parse_month(S("2024-1"), &m), VBR_INVALID);
	cr_assert_eq(vbr_parse_month(S("2024-01-01"), &m), VBR_INVALID);
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

/* Half away from zero: 1.00005 → 1.0001, −1.00005 → −1.0001, 1.00004 → 1.0000. */
Test(money, fixed_rounding_half_away_from_zero)
{
	char b[32];
	vbr_format_fixed(b, 1000050, 6, 4);
	cr_assert_str_eq(b, "1.0001");
	vbr_format_fixed(b, -1000050, 6, 4);
	cr_assert_str_eq(b, "-1.0001");
	vbr_format_fixed(b, 1000049, 6, 4);
	cr_assert_str_eq(b, "1.0000");
	cr_assert_eq(vbr_div_round(5, 2), 3);
	cr_assert_eq(vbr_div_round(-5, 2), -3);
	cr_assert_eq(vbr_div_round(7, -2), -4);
	cr_assert_eq(vbr_div_round(4, 3), 1);
}

/* SPEC §7 target example: E = C × D = $428.00 × 1.0502 = $449.4856 → $449.49,
 * in exact integer arithmetic: 42800 cents × 1050200 millionths / 10^6. */
Test(money, spec_target_e_exact)
{
	cr_assert_eq(vbr_div_round((__int128)42800 * 1050200, 1000000), 44949);
}

Test(money, add_overflow_detected)
{
	int64_t s;
	cr_assert_eq(vbr_add_cents(INT64_MAX, 1, &s), -1);
	cr_assert_eq(vbr_add_cents(1, 2, &s), 0);
	cr_assert_eq(s, 3);
}
