/*
 * source.h — byte input for one operand: a file, standard input ("-"), or an
 * archive member ("extract.tar.gz#claims.tsv", "extract.zip#claims.tsv").
 * Gzip data is recognised by its magic bytes, never by the file name, and is
 * inflated on a second thread so that parsing overlaps decompression.
 *
 *   vbr_source_open(operand)   open; dies with 66 if it cannot be opened
 *   vbr_source_open_tee(operand, fd, name)
 *                              the same, and every byte read (inflated) is
 *                              also written to descriptor fd, called name in
 *                              messages: one read of the claims feeds a
 *                              second tool (attribute --tee); a failed write
 *                              dies with 74
 *   vbr_source_read(s,buf,n)   up to n bytes, 0 at end; dies with 74 on a
 *                              read error or truncated/corrupt compressed data
 *   vbr_source_name(s)         the operand as messages show it
 *   vbr_source_close(s)
 *
 *   vbr_source_open_range(path, start, len)   len bytes of a plain file from
 *                              byte start, as they are (no gzip check): one
 *                              part of a file read on parallel threads
 */
#ifndef VBR_SOURCE_H
#define VBR_SOURCE_H

#include <stddef.h>
#include <stdint.h>

struct vbr_source;

/* What messages call standard input ("-"): "(stdin)", or --stdin-name. */
extern const char *vbr_stdin_name;

struct vbr_source *vbr_source_open(const char *operand);
struct vbr_source *vbr_source_open_tee(const char *operand, int tee_fd, const char *tee_name);
size_t vbr_source_read(struct vbr_source *s, char *buf, size_t cap);
const char *vbr_source_name(const struct vbr_source *s);
void vbr_source_close(struct vbr_source *s);
struct vbr_source *vbr_source_open_range(const char *path, uint64_t start, uint64_t len);

#endif
