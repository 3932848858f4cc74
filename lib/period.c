/* period.c — base and measurement periods from the terms. */
#include "period.h"
#include "error.h"
#include "value.h"

#include <string.h>

const char *const vbr_period_name[VBR_NPERIODS] = {"base", "measure"};

int32_t vbr_month_of_day(int32_t day)
{
	int y, m, d;
	vbr_civil_from_days(day, &y, &m, &d);
	return (y - 1970) * 12 + m - 1;
}

int32_t vbr_first_day_of_month(int32_t month)
{
	int y = 1970 + (month >= 0 ? month / 12 : (month - 11) / 12);
	return vbr_days_from_civil(y, month - (y - 1970) * 12 + 1, 1);
}

void vbr_periods_load(struct vbr_periods *p, const struct vbr_terms *t)
{
	static const char *const names[VBR_NPERIODS][2] = {
		{"base_start", "base_end"}, {"measure_start", "measure_end"}};
	for (int k = 0; k < VBR_NPERIODS; k++) {
		for (int e = 0; e < 2; e++)
			if (!vbr_term_date(t, NULL, names[k][e], e ? &p->end[k] : &p->start[k]))
				vbr_die(EX_USAGE, "term '%s' is required (give --terms FILE "
					"or --set %s=YYYY-MM-DD)", names[k][e], names[k][e]);
		if (p->end[k] < p->start[k])
			vbr_die(EX_USAGE, "term '%s' is before '%s'", names[k][1], names[k][0]);
		p->start_month[k] = vbr_month_of_day(p->start[k]);
		p->end_month[k] = vbr_month_of_day(p->end[k]);
	}
	if (p->start[VBR_MEASURE] <= p->end[VBR_BASE] && p->start[VBR_BASE] <= p->end[VBR_MEASURE])
		vbr_die(EX_USAGE, "the base and measurement periods overlap");
}

int vbr_period_of_day(const struct vbr_periods *p, int32_t day)
{
	for (int k = 0; k < VBR_NPERIODS; k++)
		if (day >= p->start[k] && day <= p->end[k])
			return k;
	return -1;
}

int vbr_period_of_month(const struct vbr_periods *p, int32_t month)
{
	for (int k = 0; k < VBR_NPERIODS; k++)
		if (month >= p->start_month[k] && month <= p->end_month[k])
			return k;
	return -1;
}

int vbr_period_parse(const char *s, size_t n)
{
	for (int k = 0; k < VBR_NPERIODS; k++)
		if (strlen(vbr_period_name[k]) == n && memcmp(vbr_period_name[k], s, n) == 0)
			return k;
	return -1;
}
