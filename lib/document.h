/*
 * document.h — a statement document written in one of three formats: text
 * (aligned columns), markdown, or html (one self-contained page: inline CSS,
 * no script, no external resource). report builds headings, paragraphs and
 * tables once and the format decides how they look; html pages may also
 * carry inline SVG (chart.h).
 *
 *   vbr_doc_formats[]                    the format names (text, markdown, html)
 *   vbr_doc_begin(d, format, w, title)   the page start and the title
 *   vbr_doc_heading(d, level, text)      level 2: a section, 3: a subsection
 *   vbr_doc_para(d, text)                a paragraph of plain text
 *   vbr_doc_table(d, t)                  a table (see below)
 *   vbr_doc_end(d)                       the page end
 *   vbr_doc_escaped(d, text)             text escaped for the format (html)
 *   vbr_doc_anchor_heading(d, level, text, id)   a heading a contents list
 *                                        links to (html id attribute)
 *   vbr_doc_contents(d, text, id, n)     a contents list of n headings
 *   vbr_doc_details_begin(d, summary)    a drill-down: html's collapsible
 *   vbr_doc_details_end(d)               <details>; text, markdown: a
 *                                        heading and the content shown
 *
 *   vbr_table_init(t, ncols, head, align)  align: one 'l' or 'r' per column
 *   vbr_table_row(t, strong, cells)        strong: a total row
 *   vbr_table_free(t)
 */
#ifndef VBR_DOCUMENT_H
#define VBR_DOCUMENT_H

#include <stddef.h>

#include "names.h"
#include "writer.h"

enum vbr_doc_format { VBR_DOC_TEXT, VBR_DOC_MARKDOWN, VBR_DOC_HTML };

struct vbr_doc {
	enum vbr_doc_format format;
	struct vbr_writer *w;
};

struct vbr_table {
	int ncols;
	const char *const *head;
	const char *align;
	size_t nrows, cap;
	char **cell;            /* nrows × ncols copies */
	unsigned char *strong;
};

extern const struct vbr_name vbr_doc_formats[];   /* text, markdown, html */
void vbr_doc_begin(struct vbr_doc *d, enum vbr_doc_format f, struct vbr_writer *w,
		   const char *title);
void vbr_doc_heading(struct vbr_doc *d, int level, const char *text);
void vbr_doc_para(struct vbr_doc *d, const char *text);
void vbr_doc_table(struct vbr_doc *d, const struct vbr_table *t);
void vbr_doc_end(struct vbr_doc *d);
void vbr_doc_escaped(struct vbr_doc *d, const char *text);
void vbr_doc_anchor_heading(struct vbr_doc *d, int level, const char *text, const char *id);
void vbr_doc_contents(struct vbr_doc *d, const char *const *text, const char *const *id,
		      size_t n);
void vbr_doc_details_begin(struct vbr_doc *d, const char *summary);
void vbr_doc_details_end(struct vbr_doc *d);

void vbr_table_init(struct vbr_table *t, int ncols, const char *const *head, const char *align);
void vbr_table_row(struct vbr_table *t, int strong, const char *const *cells);
void vbr_table_free(struct vbr_table *t);

#endif
