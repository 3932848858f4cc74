/*
 * source.h — byte input for one operand: a file, standard input ("-"), or an
 * archive member ("extract.tar.gz#claims.tsv", "extract.zip#claims.tsv").
 * Gzip data is recognised by its magic bytes, never by the file name, and is
 * inflated on a second thread so that parsing overlaps decompression.
 *
 *   vbr_source_open(operand)   open; dies with 66 if it cannot be opened
 *   vbr_source_read(s,buf,n)   up to n bytes, 0 at end; dies with 74 on a
 *                              read error or truncated/corrupt compressed data
 *   vbr_source_name(s)         the operand as messages show it
 *   vbr_source_close(s)
 */
#ifndef VBR_SOURCE_H
#define VBR_SOURCE_H

#include <stddef.h>

struct vbr_source;

struct vbr_source *vbr_source_open(const char *operand);
size_t vbr_source_read(struct vbr_source *s, char *buf, size_t cap);
const char *vbr_source_name(const struct vbr_source *s);
void vbr_source_close(struct vbr_source *s);

#endif
