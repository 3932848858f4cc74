/*
 * period.h — the base and measurement periods of the terms (vbr-terms(5)):
 * inclusive date ranges; a claim belongs to the period containing its
 * from_date, an eligibility month to the period containing the month.
 *
 *   vbr_periods_load(p, terms)      both periods; 64 if a date is missing or
 *                                   a period ends before it starts
 *   vbr_period_of_day(p, day)       VBR_BASE, VBR_MEASURE or -1
 *   vbr_period_of_month(p, month)   likewise for a month (months since 1970)
 *   vbr_period_name[k]              "base", "measure"
 *   vbr_period_parse(p, n)          VBR_BASE, VBR_MEASURE or -1
 */
#ifndef VBR_PERIOD_H
#define VBR_PERIOD_H

#include <stddef.h>
#include <stdint.h>

#include "terms.h"

enum { VBR_BASE = 0, VBR_MEASURE = 1, VBR_NPERIODS = 2 };

struct vbr_periods {
	int32_t start[VBR_NPERIODS], end[VBR_NPERIODS];            /* days */
	int32_t start_month[VBR_NPERIODS], end_month[VBR_NPERIODS];
};

extern const char *const vbr_period_name[VBR_NPERIODS];

void vbr_periods_load(struct vbr_periods *p, const struct vbr_terms *t);
int vbr_period_of_day(const struct vbr_periods *p, int32_t day);
int vbr_period_of_month(const struct vbr_periods *p, int32_t month);
int vbr_period_parse(const char *s, size_t n);
int32_t vbr_month_of_day(int32_t day);
int32_t vbr_first_day_of_month(int32_t month);

#endif
