/*
 * value.h — the value types of vbr(7), parsed exactly from (pointer,
 * length) slices. Every parser returns VBR_OK, VBR_MISSING (empty field)
 * or VBR_INVALID, and never allocates.
 *
 *   vbr_parse_id      non-empty text
 *   vbr_parse_date    YYYY-MM-DD, a real calendar date → days since 1970-01-01
 *   vbr_parse_month   YYYY-MM → months since 1970-01
 *   vbr_parse_amount  -?[0-9]+(.[0-9]{1,2})? dollars → int64 cents
 *   vbr_parse_rate    -?[0-9]+(.[0-9]{1,6})? → int64 millionths
 *   vbr_parse_count   [0-9]+ → int64
 *   vbr_parse_flag    Y or N → 1 or 0
 *   vbr_days_from_civil / vbr_civil_from_days   calendar arithmetic
 *   vbr_format_date, vbr_format_month           back to text
 *   vbr_value_reason  the vbr(7) message for a bad field
 */
#ifndef VBR_VALUE_H
#define VBR_VALUE_H

#include <stddef.h>
#include <stdint.h>

enum { VBR_OK = 0, VBR_MISSING = 1, VBR_INVALID = 2 };

int vbr_parse_id(const char *p, size_t n);
int vbr_parse_date(const char *p, size_t n, int32_t *days);
int vbr_parse_month(const char *p, size_t n, int32_t *months);
int vbr_parse_amount(const char *p, size_t n, int64_t *cents);
int vbr_parse_rate(const char *p, size_t n, int64_t *millionths);
/* dollars with up to 8 decimals → 10^-6 cents (a completed cost basis) */
int vbr_parse_fine_amount(const char *p, size_t n, int64_t *micro_cents);
int vbr_parse_count(const char *p, size_t n, int64_t *count);
int vbr_parse_flag(const char *p, size_t n, int *flag);

int32_t vbr_days_from_civil(int y, int m, int d);
void vbr_civil_from_days(int32_t days, int *y, int *m, int *d);
int vbr_valid_civil(int y, int m, int d);

/* Formatters write a NUL-terminated string and return its length. */
size_t vbr_format_date(char *buf, int32_t days);      /* 11 bytes */
size_t vbr_format_month(char *buf, int32_t months);   /* 8 bytes */

/* "column 'paid' (5): invalid amount '12,50'" (or "missing value") into
 * buf; col is 0-based, shown 1-based; type names the expected type. */
const char *vbr_value_reason(char *buf, size_t len, const char *column, int col,
			     const char *type, int rc, const char *p, size_t n);

#endif
