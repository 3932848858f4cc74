/* document.c — statements in text, markdown or html; see document.h. */
#include "document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Inline style of the html page: readable when printed, numbers aligned. */
static const char html_style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;"
	"max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
	"h1{font-size:1.6rem;border-bottom:2px solid #1b1f24;padding-bottom:.3rem}"
	"h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid #aab}"
	"h3{font-size:1.05rem;margin-top:1.5rem}"
	"table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}"
	"th,td{padding:.2rem .6rem;border-bottom:1px solid #dde}"
	"th{background:#f0f2f5;text-align:left}"
	"td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.total td{font-weight:bold;border-top:2px solid #1b1f24}"
	"svg.vbr-chart{display:block;margin:.5rem 0 1.5rem;max-width:100%;height:auto}"
	"svg text{font-family:inherit;font-size:11px}"
	".wide{overflow-x:auto;max-width:100%}"
	"nav.contents ol{columns:3;font-size:.9rem}"
	"details{margin:.5rem 0 1rem}summary{cursor:pointer;font-weight:bold}"
	"@media print{h2{page-break-before:always}nav.contents{page-break-after:always}"
	"details>*{display:block}.wide{overflow:visible}svg.vbr-chart{page-break-inside:avoid}}";

const struct vbr_name vbr_doc_formats[] = {
	{"text", VBR_DOC_TEXT}, {"markdown", VBR_DOC_MARKDOWN}, {"html", VBR_DOC_HTML}, {NULL, 0}};

/* Text for the format: html escapes & < > ", markdown escapes | (cells). */
void vbr_doc_escaped(struct vbr_doc *d, const char *s)
{
	for (; *s; s++) {
		if (d->format == VBR_DOC_HTML && *s == '&')
			vbr_puts(d->w, "&amp;");
		else if (d->format == VBR_DOC_HTML && *s == '<')
			vbr_puts(d->w, "&lt;");
		else if (d->format == VBR_DOC_HTML && *s == '>')
			vbr_puts(d->w, "&gt;");
		else if (d->format == VBR_DOC_HTML && *s == '"')
			vbr_puts(d->w, "&quot;");
		else if (d->format == VBR_DOC_MARKDOWN && *s == '|')
			vbr_puts(d->w, "\\|");
		else
			vbr_putc(d->w, *s);
	}
}

/* Display width of UTF-8 text: one column per code point. */
static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void repeat(struct vbr_writer *w, char c, size_t n)
{
	while (n-- > 0)
		vbr_putc(w, c);
}

/* A line underlined with c, as far as it is wide (text format headings). */
static void underlined(struct vbr_doc *d, const char *text, char c)
{
	vbr_puts(d->w, text);
	vbr_putc(d->w, '\n');
	repeat(d->w, c, width(text));
	vbr_putc(d->w, '\n');
}

void vbr_doc_begin(struct vbr_doc *d, enum vbr_doc_format f, struct vbr_writer *w,
		   const char *title)
{
	d->format = f;
	d->w = w;
	if (f == VBR_DOC_HTML) {
		vbr_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
			 "<title>");
		vbr_doc_escaped(d, title);
		vbr_puts(w, "</title>\n<style>");
		vbr_puts(w, html_style);
		vbr_puts(w, "</style>\n</head>\n<body>\n<h1>");
		vbr_doc_escaped(d, title);
		vbr_puts(w, "</h1>\n");
	} else if (f == VBR_DOC_MARKDOWN) {
		vbr_puts(w, "# ");
		vbr_puts(w, title);
		vbr_puts(w, "\n\n");
	} else {
		underlined(d, title, '=');
	}
}

void vbr_doc_heading(struct vbr_doc *d, int level, const char *text)
{
	vbr_doc_anchor_heading(d, level, text, NULL);
}

void vbr_doc_anchor_heading(struct vbr_doc *d, int level, const char *text, const char *id)
{
	if (d->format == VBR_DOC_HTML) {
		char tag[8];
		snprintf(tag, sizeof tag, "h%d>", level);
		vbr_putc(d->w, '<');
		if (id) {
			vbr_put(d->w, tag, 2);
			vbr_puts(d->w, " id=\"");
			vbr_doc_escaped(d, id);
			vbr_puts(d->w, "\">");
		} else {
			vbr_puts(d->w, tag);
		}
		vbr_doc_escaped(d, text);
		vbr_puts(d->w, "</");
		vbr_puts(d->w, tag);
		vbr_putc(d->w, '\n');
	} else if (d->format == VBR_DOC_MARKDOWN) {
		repeat(d->w, '#', (size_t)level);
		vbr_putc(d->w, ' ');
		vbr_puts(d->w, text);
		vbr_puts(d->w, "\n\n");
	} else {
		if (level <= 2)
			vbr_putc(d->w, '\n');
		underlined(d, text, level <= 2 ? '=' : '-');
		vbr_putc(d->w, '\n');
	}
}

/* Text broken at spaces into lines of at most cols columns (a longer word
 * stands on its own line). */
static void wrapped(struct vbr_writer *w, const char *s, size_t cols)
{
	size_t line = 0;
	while (*s) {
		size_t n = strcspn(s, " "), wd = 0;
		for (size_t i = 0; i < n; i++)
			wd += ((unsigned char)s[i] & 0xC0) != 0x80;
		if (line > 0 && line + 1 + wd > cols) {
			vbr_putc(w, '\n');
			line = 0;
		} else if (line > 0) {
			vbr_putc(w, ' ');
			line++;
		}
		vbr_put(w, s, n);
		line += wd;
		s += n;
		while (*s == ' ')
			s++;
	}
	vbr_putc(w, '\n');
}

void vbr_doc_para(struct vbr_doc *d, const char *text)
{
	if (d->format == VBR_DOC_HTML) {
		vbr_puts(d->w, "<p>");
		vbr_doc_escaped(d, text);
		vbr_puts(d->w, "</p>\n");
	} else if (d->format == VBR_DOC_MARKDOWN) {
		vbr_puts(d->w, text);
		vbr_puts(d->w, "\n\n");
	} else {
		wrapped(d->w, text, 78);
		vbr_putc(d->w, '\n');
	}
}

static const char *cell(const struct vbr_table *t, size_t row, int col)
{
	return t->cell[row * (size_t)t->ncols + (size_t)col];
}

/* Aligned columns, two spaces apart, a rule under the heading and above
 * each total row; trailing blanks are not written. */
static void table_text(struct vbr_doc *d, const struct vbr_table *t)
{
	size_t wid[32] = {0}, total = 0;
	for (int c = 0; c < t->ncols; c++) {
		wid[c] = width(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (width(cell(t, r, c)) > wid[c])
				wid[c] = width(cell(t, r, c));
		total += wid[c] + (c > 0 ? 2 : 0);
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		if (r > 0 && t->strong[r - 1]) {
			repeat(d->w, '-', total);
			vbr_putc(d->w, '\n');
		}
		for (int c = 0; c < t->ncols; c++) {
			const char *s = r == 0 ? t->head[c] : cell(t, r - 1, c);
			size_t pad = wid[c] - width(s);
			if (c > 0)
				vbr_puts(d->w, "  ");
			if (t->align[c] == 'r')
				repeat(d->w, ' ', pad);
			vbr_puts(d->w, s);
			if (t->align[c] != 'r' && c + 1 < t->ncols)
				repeat(d->w, ' ', pad);
		}
		vbr_putc(d->w, '\n');
		if (r == 0) {
			repeat(d->w, '-', total);
			vbr_putc(d->w, '\n');
		}
	}
	vbr_putc(d->w, '\n');
}

/* A pipe table; total rows in bold. */
static void table_markdown(struct vbr_doc *d, const struct vbr_table *t)
{
	for (size_t r = 0; r <= t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = r == 0 ? t->head[c] : cell(t, r - 1, c);
			int bold = r > 0 && t->strong[r - 1] && *s;
			vbr_puts(d->w, c ? " | " : "| ");
			if (bold)
				vbr_puts(d->w, "**");
			vbr_doc_escaped(d, s);
			if (bold)
				vbr_puts(d->w, "**");
		}
		vbr_puts(d->w, " |\n");
		if (r == 0) {
			for (int c = 0; c < t->ncols; c++)
				vbr_puts(d->w, t->align[c] == 'r' ? "|---:" : "|:---");
			vbr_puts(d->w, "|\n");
		}
	}
	vbr_putc(d->w, '\n');
}

static void table_html(struct vbr_doc *d, const struct vbr_table *t)
{
	vbr_puts(d->w, "<div class=\"wide\"><table>\n<thead><tr>");
	for (int c = 0; c < t->ncols; c++) {
		vbr_puts(d->w, t->align[c] == 'r' ? "<th class=\"r\">" : "<th>");
		vbr_doc_escaped(d, t->head[c]);
		vbr_puts(d->w, "</th>");
	}
	vbr_puts(d->w, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		vbr_puts(d->w, t->strong[r] ? "<tr class=\"total\">" : "<tr>");
		for (int c = 0; c < t->ncols; c++) {
			vbr_puts(d->w, t->align[c] == 'r' ? "<td class=\"r\">" : "<td>");
			vbr_doc_escaped(d, cell(t, r, c));
			vbr_puts(d->w, "</td>");
		}
		vbr_puts(d->w, "</tr>\n");
	}
	vbr_puts(d->w, "</tbody>\n</table></div>\n");
}

void vbr_doc_table(struct vbr_doc *d, const struct vbr_table *t)
{
	if (d->format == VBR_DOC_HTML)
		table_html(d, t);
	else if (d->format == VBR_DOC_MARKDOWN)
		table_markdown(d, t);
	else
		table_text(d, t);
}

void vbr_doc_contents(struct vbr_doc *d, const char *const *text, const char *const *id,
		      size_t n)
{
	if (d->format == VBR_DOC_HTML) {
		vbr_puts(d->w, "<nav class=\"contents\"><h2>Contents</h2>\n<ol>\n");
		for (size_t i = 0; i < n; i++) {
			vbr_puts(d->w, "<li><a href=\"#");
			vbr_doc_escaped(d, id[i]);
			vbr_puts(d->w, "\">");
			vbr_doc_escaped(d, text[i]);
			vbr_puts(d->w, "</a></li>\n");
		}
		vbr_puts(d->w, "</ol></nav>\n");
		return;
	}
	vbr_doc_heading(d, 2, "Contents");
	for (size_t i = 0; i < n; i++) {
		char num[40];
		snprintf(num, sizeof num, "%s%zu. ", d->format == VBR_DOC_MARKDOWN ? "" : "  ", i + 1);
		vbr_puts(d->w, num);
		vbr_doc_escaped(d, text[i]);
		vbr_putc(d->w, '\n');
	}
	vbr_putc(d->w, '\n');
}

void vbr_doc_details_begin(struct vbr_doc *d, const char *summary)
{
	if (d->format == VBR_DOC_HTML) {
		vbr_puts(d->w, "<details><summary>");
		vbr_doc_escaped(d, summary);
		vbr_puts(d->w, "</summary>\n");
	} else {
		vbr_doc_heading(d, 3, summary);
	}
}

void vbr_doc_details_end(struct vbr_doc *d)
{
	if (d->format == VBR_DOC_HTML)
		vbr_puts(d->w, "</details>\n");
}

void vbr_doc_end(struct vbr_doc *d)
{
	if (d->format == VBR_DOC_HTML)
		vbr_puts(d->w, "</body>\n</html>\n");
}

void vbr_table_init(struct vbr_table *t, int ncols, const char *const *head, const char *align)
{
	if (ncols > 32 || (int)strlen(align) != ncols)
		vbr_die(EX_SOFTWARE, "table of %d columns with alignment '%s'", ncols, align);
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->head = head;
	t->align = align;
}

void vbr_table_row(struct vbr_table *t, int strong, const char *const *cells)
{
	size_t old = t->cap;
	t->cell = vbr_grow(t->cell, &t->cap, t->nrows + 1, (size_t)t->ncols * sizeof *t->cell);
	if (t->cap != old)
		t->strong = vbr_xrealloc(t->strong, t->cap);
	for (int c = 0; c < t->ncols; c++)
		t->cell[t->nrows * (size_t)t->ncols + (size_t)c] = vbr_xstrdup(cells[c]);
	t->strong[t->nrows++] = (unsigned char)(strong != 0);
}

void vbr_table_free(struct vbr_table *t)
{
	vbr_free_strings(t->cell, t->nrows * (size_t)t->ncols);
	free(t->strong);
	memset(t, 0, sizeof *t);
}
