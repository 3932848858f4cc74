/* chart.c — inline SVG charts: waterfall, histogram, box plots, tornado; see chart.h. */
#include "chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "money.h"

#define W 720.0
#define H 300.0
#define LEFT 96.0
#define RIGHT 16.0
#define TOP 34.0
#define BOTTOM 54.0

#define C_TOTAL "#4a6fa5"
#define C_UP "#2e8b57"
#define C_DOWN "#c0392b"

/* Formatted output into the document (coordinates, attributes). */
static void out(struct vbr_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(struct vbr_doc *d, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		vbr_die(EX_SOFTWARE, "chart: element too long");
	vbr_put(d->w, buf, (size_t)n);
}

/* Dollars with thousands grouped; whole dollars lose their ".00". */
static const char *dollars(char *buf, int64_t cents)
{
	size_t n = vbr_format_grouped(buf, cents);
	if (n > 3 && !strcmp(buf + n - 3, ".00"))
		buf[n - 3] = '\0';
	return buf;
}

/* A tick spacing of 1, 2 or 5 × 10^k giving about five ticks over range. */
static double tick_step(double range)
{
	double raw = range / 5, p = pow(10, floor(log10(raw))), f = raw / p;
	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void svg_open_h(struct vbr_doc *d, const char *kind, const char *title, double h)
{
	out(d, "<svg class=\"vbr-chart vbr-%s\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
	    "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">\n<title>", kind, W, h, W, h);
	vbr_doc_escaped(d, title);
	out(d, "</title>\n<text x=\"%.0f\" y=\"20\" font-weight=\"bold\" font-size=\"13\">", LEFT);
	vbr_doc_escaped(d, title);
	vbr_puts(d->w, "</text>\n");
}

static void svg_open(struct vbr_doc *d, const char *kind, const char *title)
{
	svg_open_h(d, kind, title, H);
}

/* Horizontal grid lines and dollar labels on the value axis [lo, hi]. */
static void value_axis(struct vbr_doc *d, double lo, double hi)
{
	double step = tick_step(hi - lo), plot = H - TOP - BOTTOM;
	for (double v = ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
		double y = TOP + (hi - v) * plot / (hi - lo);
		char b[40];
		out(d, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
		    "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", LEFT, W - RIGHT, y, y,
		    fabs(v) < step * 1e-9 ? "#333" : "#e3e6ea", LEFT - 6, y + 4);
		vbr_doc_escaped(d, dollars(b, (int64_t)llround(v)));
		vbr_puts(d->w, "</text>\n");
	}
}

void vbr_svg_waterfall(struct vbr_doc *d, const char *title, const struct vbr_step *s, int n)
{
	double lo = 0, hi = 0, run = 0;
	for (int i = 0; i < n; i++) {
		double from = s[i].total ? 0 : run, to = s[i].total ? (double)s[i].cents
								  : run + (double)s[i].cents;
		lo = fmin(lo, fmin(from, to));
		hi = fmax(hi, fmax(from, to));
		run = to;
	}
	double pad = (hi - lo) * 0.08 + 1;
	hi += hi > 0 ? pad : 0;
	lo -= lo < 0 ? pad : 0;
	if (hi == lo)
		hi = lo + 100;
	double plot = H - TOP - BOTTOM, slot = (W - LEFT - RIGHT) / n;
	svg_open(d, "waterfall", title);
	value_axis(d, lo, hi);
	run = 0;
	for (int i = 0; i < n; i++) {
		double from = s[i].total ? 0 : run, to = s[i].total ? (double)s[i].cents
								  : run + (double)s[i].cents;
		double y0 = TOP + (hi - fmax(from, to)) * plot / (hi - lo);
		double h = fabs(to - from) * plot / (hi - lo), x = LEFT + slot * i + slot * 0.18;
		const char *fill = s[i].total ? C_TOTAL : s[i].cents < 0 ? C_DOWN : C_UP;
		char b[40];
		out(d, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
		    x, y0, slot * 0.64, h < 1 ? 1 : h, fill);
		vbr_doc_escaped(d, s[i].label);
		out(d, ": %s</title></rect>\n", dollars(b, s[i].cents));
		if (i + 1 < n && !s[i + 1].total) {
			double yr = TOP + (hi - to) * plot / (hi - lo);
			out(d, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
			    "stroke-dasharray=\"3 2\"/>\n", x + slot * 0.64, x + slot, yr, yr);
		}
		out(d, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + slot * 0.32,
		    y0 - 4 < TOP - 2 ? TOP - 2 : y0 - 4);
		vbr_doc_escaped(d, dollars(b, s[i].cents));
		out(d, "</text>\n<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">",
		    x + slot * 0.32, H - BOTTOM + 18);
		vbr_doc_escaped(d, s[i].label);
		vbr_puts(d->w, "</text>\n");
		run = to;
	}
	vbr_puts(d->w, "</svg>\n");
}

void vbr_svg_histogram(struct vbr_doc *d, const char *title, const int64_t *v, size_t n,
		       int bins)
{
	if (n == 0 || bins < 1)
		return;
	int64_t min = v[0], max = v[0];
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		min = v[i] < min ? v[i] : min;
		max = v[i] > max ? v[i] : max;
		sum += (double)v[i];
	}
	if (max == min)
		bins = 1;
	double span = max > min ? (double)(max - min) : 1, bw = span / bins;
	size_t *count = vbr_xcalloc((size_t)bins, sizeof *count), top = 0;
	for (size_t i = 0; i < n; i++) {
		int b = (int)(((double)(v[i] - min)) / bw);
		count[b < bins ? b : bins - 1]++;
	}
	for (int b = 0; b < bins; b++)
		top = count[b] > top ? count[b] : top;
	double plot = H - TOP - BOTTOM, pw = W - LEFT - RIGHT;
	svg_open(d, "histogram", title);
	for (int k = 0; k <= 4; k++) {          /* count axis */
		double y = TOP + plot - plot * k / 4;
		out(d, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>"
		    "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", LEFT, W - RIGHT,
		    y, y, LEFT - 6, y + 4, (double)top * k / 4);
	}
	for (int b = 0; b < bins; b++) {
		double lo = (double)min + bw * b, h = (double)count[b] * plot / (double)top;
		char b1[40], b2[40];
		out(d, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
		    "<title>%zu of %zu draws from ", LEFT + pw * b / bins + 1, TOP + plot - h,
		    pw / bins - 2, h, lo + bw / 2 < 0 ? C_DOWN : C_UP, count[b], n);
		vbr_doc_escaped(d, dollars(b1, (int64_t)llround(lo)));
		vbr_puts(d->w, " to ");
		vbr_doc_escaped(d, dollars(b2, (int64_t)llround(lo + bw)));
		vbr_puts(d->w, "</title></rect>\n");
	}
	double mean = sum / (double)n, xm = LEFT + pw * (mean - (double)min) / span;
	char b1[40];
	out(d, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#1b1f24\" "
	    "stroke-dasharray=\"4 3\"/>\n", xm, xm, TOP, TOP + plot);
	out(d, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">mean ", xm + (xm > W / 2 ? -4 : 4),
	    TOP + 12, xm > W / 2 ? "end" : "start");
	vbr_doc_escaped(d, dollars(b1, (int64_t)llround(mean)));
	vbr_puts(d->w, "</text>\n");
	/* the dollar axis: ticks of 1, 2 or 5 × 10^k across [min, max] */
	double lo = (double)min, hi = (double)max > lo ? (double)max : lo + 1;
	double step = tick_step(hi - lo), base = TOP + plot;
	for (double v = ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
		double x = LEFT + pw * (v - lo) / (hi - lo);
		out(d, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>"
		    "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", x, x, base, base + 5, x,
		    base + 18);
		vbr_doc_escaped(d, dollars(b1, (int64_t)llround(v)));
		vbr_puts(d->w, "</text>\n");
	}
	out(d, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">net settlement per draw "
	    "(dollars)</text>\n", LEFT + pw / 2, H - 10);
	out(d, "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">draws"
	    "</text>\n</svg>\n", TOP + plot / 2);
	free(count);
}

/* ---- charts with a row per item and a horizontal dollar axis ------------ */

#define ROW 30.0
#define LABEL 150.0

/* The x of value v on a horizontal axis [lo, hi]. */
static double hx(double v, double lo, double hi)
{
	return LABEL + (v - lo) * (W - LABEL - RIGHT) / (hi - lo);
}

/* Vertical grid lines and dollar labels under n rows, for [lo, hi]. */
static void hvalue_axis(struct vbr_doc *d, double lo, double hi, int n)
{
	double step = tick_step(hi - lo), bottom = TOP + n * ROW;
	for (double v = ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
		double x = hx(v, lo, hi);
		char b[40];
		out(d, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"%s\"/>"
		    "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", x, x, TOP, bottom,
		    fabs(v) < step * 1e-9 ? "#333" : "#e3e6ea", x, bottom + 16);
		vbr_doc_escaped(d, dollars(b, (int64_t)llround(v)));
		vbr_puts(d->w, "</text>\n");
	}
	out(d, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", hx((lo + hi) / 2, lo, hi),
	    bottom + 34);
	vbr_puts(d->w, "dollars</text>\n");
}

/* [lo, hi] around every value of v (n values) and 0, padded. */
static void span_of(const int64_t *v, size_t n, double *lo, double *hi)
{
	*lo = 0, *hi = 0;
	for (size_t i = 0; i < n; i++) {
		*lo = fmin(*lo, (double)v[i]);
		*hi = fmax(*hi, (double)v[i]);
	}
	double pad = (*hi - *lo) * 0.06 + 1;
	*lo -= pad, *hi += pad;
}

/* The row label at the left of row i. */
static void row_label(struct vbr_doc *d, int i, const char *label)
{
	out(d, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", LABEL - 8,
	    TOP + ROW * i + ROW / 2 + 4);
	vbr_doc_escaped(d, label);
	vbr_puts(d->w, "</text>\n");
}

void vbr_svg_boxes(struct vbr_doc *d, const char *title, const char *const *label,
		   const int64_t (*q)[5], int n)
{
	if (n < 1)
		return;
	double lo, hi;
	span_of(&q[0][0], (size_t)n * 5, &lo, &hi);
	svg_open_h(d, "boxes", title, TOP + n * ROW + 44);
	hvalue_axis(d, lo, hi, n);
	for (int i = 0; i < n; i++) {
		double y = TOP + ROW * i, mid = y + ROW / 2;
		double x5 = hx((double)q[i][0], lo, hi), x25 = hx((double)q[i][1], lo, hi);
		double x50 = hx((double)q[i][2], lo, hi), x75 = hx((double)q[i][3], lo, hi);
		double x95 = hx((double)q[i][4], lo, hi);
		char b[5][40];
		row_label(d, i, label[i]);
		out(d, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\"/>\n",
		    x5, x95, mid, mid);
		out(d, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
		    "fill-opacity=\"0.35\" stroke=\"%s\"><title>", x25, y + 6, x75 - x25 < 1 ? 1 : x75 - x25,
		    ROW - 12, C_TOTAL, C_TOTAL);
		vbr_doc_escaped(d, label[i]);
		vbr_puts(d->w, ": 5th ");
		vbr_doc_escaped(d, dollars(b[0], q[i][0]));
		vbr_puts(d->w, ", 25th ");
		vbr_doc_escaped(d, dollars(b[1], q[i][1]));
		vbr_puts(d->w, ", median ");
		vbr_doc_escaped(d, dollars(b[2], q[i][2]));
		vbr_puts(d->w, ", 75th ");
		vbr_doc_escaped(d, dollars(b[3], q[i][3]));
		vbr_puts(d->w, ", 95th ");
		vbr_doc_escaped(d, dollars(b[4], q[i][4]));
		out(d, "</title></rect>\n<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#1b1f24\" stroke-width=\"2\"/>\n", x50, x50, y + 6, y + ROW - 6);
	}
	vbr_puts(d->w, "</svg>\n");
}

void vbr_svg_tornado(struct vbr_doc *d, const char *title, const char *const *label,
		     const int64_t *low, const int64_t *high, int n)
{
	if (n < 1)
		return;
	double lo, hi, l2, h2;
	span_of(low, (size_t)n, &lo, &hi);
	span_of(high, (size_t)n, &l2, &h2);
	lo = fmin(lo, l2), hi = fmax(hi, h2);
	svg_open_h(d, "tornado", title, TOP + n * ROW + 44);
	hvalue_axis(d, lo, hi, n);
	double x0 = hx(0, lo, hi);
	for (int i = 0; i < n; i++) {
		double y = TOP + ROW * i;
		row_label(d, i, label[i]);
		for (int k = 0; k < 2; k++) {
			int64_t v = k ? high[i] : low[i];
			double x = hx((double)v, lo, hi);
			char b[40];
			out(d, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"%s\"><title>", fmin(x, x0), y + 5 + k * (ROW - 10) / 2,
			    fabs(x - x0) < 1 ? 1 : fabs(x - x0), (ROW - 10) / 2, k ? C_UP : C_DOWN);
			vbr_doc_escaped(d, label[i]);
			out(d, " %s: ", k ? "up" : "down");
			vbr_doc_escaped(d, dollars(b, v));
			vbr_puts(d->w, "</title></rect>\n");
		}
	}
	vbr_puts(d->w, "</svg>\n");
}
