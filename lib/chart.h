/*
 * chart.h — the SVG charts of an html statement, written inline so the page
 * stays one self-contained file. Every chart is an <svg class="vbr-chart">
 * with a <title>; each bar has its own <title> (the exact value), which a
 * browser shows on hover.
 *
 *   vbr_svg_waterfall(d, title, steps, n)
 *       bars from a starting total through signed steps to a final total:
 *       a step with total set is drawn from 0 to its value (a subtotal),
 *       any other from the running value to running + value
 *   vbr_svg_histogram(d, title, cents, n, bins)
 *       the distribution of n money values in equal-width bins, bars below
 *       zero in red, with the mean marked
 *   vbr_svg_boxes(d, title, labels, q, n)
 *       a row per item: its 5th-95th percentile whisker, 25th-75th box and
 *       median (q[i] = p5, p25, p50, p75, p95, cents) on one dollar axis
 *   vbr_svg_tornado(d, title, labels, low, high, n)
 *       a row per item: bars from 0 to its change down (red) and up (green)
 */
#ifndef VBR_CHART_H
#define VBR_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "document.h"

struct vbr_step {
	const char *label;
	int64_t cents;
	int total;
};

void vbr_svg_waterfall(struct vbr_doc *d, const char *title, const struct vbr_step *s, int n);
void vbr_svg_histogram(struct vbr_doc *d, const char *title, const int64_t *cents, size_t n,
		       int bins);
void vbr_svg_boxes(struct vbr_doc *d, const char *title, const char *const *label,
		   const int64_t (*q)[5], int n);
void vbr_svg_tornado(struct vbr_doc *d, const char *title, const char *const *label,
		     const int64_t *low, const int64_t *high, int n);

#endif
