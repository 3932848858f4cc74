/*
 * source.c — operand → bytes. Three raw kinds (file descriptor, archive
 * member through libarchive) and one optional layer on top (gzip, run on a
 * producer thread into a small ring of blocks).
 */
#include "source.h"
#include "error.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <isa-l/igzip_lib.h>

#define RAW_BLOCK (256 * 1024)
#define GZ_BLOCK (1024 * 1024)
#define GZ_RING 4

/* One block handed from the inflating thread to the reader. */
struct gz_block {
	char *data;
	size_t len;
	bool last;      /* end of data after this block */
	bool failed;    /* error after this block; message in gz_error */
};

struct vbr_source {
	char *name;
	int fd;                 /* -1 for archive members */
	bool ranged;            /* a byte range of a file: read only `left` more */
	uint64_t left;
	struct archive *ar;     /* archive member source */
	char *member;           /* its name, to find a second member of that name */
	char *path;             /* an archive member's archive file */
	int err_status;         /* exit status of a raw_read error: 74, or 65 */
	/* bytes read from the raw source before the gzip check */
	char *peek;
	size_t peek_len, peek_pos;
	bool raw_eof;
	/* gzip layer */
	bool gzip;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct gz_block ring[GZ_RING];
	unsigned produced, consumed; /* block counters; slot = n % GZ_RING */
	bool stop;
	size_t cur_pos;         /* read position in ring[consumed % GZ_RING] */
	char gz_error[256];
	bool done;
	/* the copy of what is read (--tee): a descriptor, -1 none */
	int tee_fd;
	const char *tee_name;
};

const char *vbr_stdin_name = "(stdin)";

/* A member's name as the archive writes it, without a leading "./". */
static const char *member_name(struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	return name && strncmp(name, "./", 2) == 0 ? name + 2 : name;
}

/* At the end of the member: does the rest of the archive hold a second
 * member of the same name? Then which one was meant is ambiguous (65). */
static bool second_member(struct vbr_source *s, char *err, size_t errlen)
{
	struct archive_entry *e;
	int rc;
	while ((rc = archive_read_next_header(s->ar, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *name = member_name(e);
		if (name && strcmp(name, s->member) == 0) {
			snprintf(err, errlen, "the archive has two members named '%s': which "
				 "one is meant is ambiguous", s->member);
			s->err_status = EX_DATAERR;
			return true;
		}
	}
	if (rc != ARCHIVE_EOF) {
		snprintf(err, errlen, "corrupt archive: %s", archive_error_string(s->ar));
		return true;
	}
	return false;
}

/* Read from the raw source (file or archive member) into buf; returns the
 * byte count, 0 at end, -1 on error with a message in err. */
static ssize_t raw_read(struct vbr_source *s, char *buf, size_t cap,
			char *err, size_t errlen)
{
	if (s->peek_pos < s->peek_len) {
		size_t n = s->peek_len - s->peek_pos;
		if (n > cap)
			n = cap;
		memcpy(buf, s->peek + s->peek_pos, n);
		s->peek_pos += n;
		return (ssize_t)n;
	}
	if (s->raw_eof)
		return 0;
	if (s->ar) {
		la_ssize_t n = archive_read_data(s->ar, buf, cap);
		if (n < 0) {
			snprintf(err, errlen, "corrupt archive member: %s",
				 archive_error_string(s->ar));
			return -1;
		}
		if (n == 0) {
			s->raw_eof = true;
			if (second_member(s, err, errlen))
				return -1;
		}
		return (ssize_t)n;
	}
	if (s->ranged) {
		if (s->left == 0) {
			s->raw_eof = true;
			return 0;
		}
		if (cap > s->left)
			cap = (size_t)s->left;
	}
	for (;;) {
		ssize_t n = read(s->fd, buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		if (n == 0 && s->ranged) {
			snprintf(err, errlen, "the file shrank while it was read");
			return -1;
		}
		if (n == 0)
			s->raw_eof = true;
		if (s->ranged)
			s->left -= (uint64_t)n;
		return n;
	}
}

/* Write n bytes of what was read to the copy (--tee), the whole of them;
 * -1 with a message in err if the write fails (a closed pipe: EPIPE, as
 * SIGPIPE is ignored). */
static int tee_write(const struct vbr_source *s, const char *p, size_t n, char *err,
		     size_t errlen)
{
	while (n > 0) {
		ssize_t w = write(s->tee_fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errlen, "cannot copy what is read to %s (--tee): %s",
				 s->tee_name, strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Fail the current block with a message; the reader dies on reaching it. */
static void gz_fail(struct vbr_source *s, struct gz_block *b, const char *msg)
{
	pthread_mutex_lock(&s->mu);
	snprintf(s->gz_error, sizeof s->gz_error, "%s", msg);
	b->failed = true;
	b->last = true;
	s->produced++;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* The last 8 bytes of the input consumed so far: a member's trailer (its
 * CRC-32 and length) may begin in an earlier input block. */
static void remember_input(unsigned char hist[8], const unsigned char *p, size_t n)
{
	if (n >= 8) {
		memcpy(hist, p + n - 8, 8);
	} else {
		memmove(hist, hist + n, 8 - n);
		memcpy(hist + 8 - n, p, n);
	}
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Why a member's check failed: its trailer, the 8 input bytes just
 * consumed, against the CRC-32 and the length (mod 2^32) of what was
 * inflated; the last 8 bytes of the input before `in` are in hist. */
static const char *check_failure(const unsigned char hist[8], const unsigned char *in,
				 size_t used, uint32_t crc, uint32_t len)
{
	unsigned char t[8];
	if (used >= 8) {
		memcpy(t, in + used - 8, 8);
	} else {
		memcpy(t, hist + used, 8 - used);
		memcpy(t + 8 - used, in, used);
	}
	if (le32(t + 4) != len && le32(t) == crc)
		return "corrupt gzip data: incorrect length check";
	return "corrupt gzip data: incorrect data check";
}

/* ISA-L's inflate errors (igzip_lib.h), in zlib's words where it has them. */
static const char *inflate_error(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "corrupt gzip data: invalid block type or lengths";
	case ISAL_INVALID_SYMBOL: return "corrupt gzip data: invalid code";
	case ISAL_INVALID_LOOKBACK: return "corrupt gzip data: invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "corrupt gzip data: incorrect header";
	case ISAL_UNSUPPORTED_METHOD: return "corrupt gzip data: unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "corrupt gzip data: header crc mismatch";
	default: return "corrupt gzip data: inflate failed";
	}
}

/* Producer thread: inflate every gzip member of the raw stream into ring
 * blocks with ISA-L's inflate, which parses each member's header and
 * checks its trailer (CRC-32 and length). Detects truncation (raw end
 * before a member's end), corruption and trailing garbage. */
static void *gz_thread(void *arg)
{
	struct vbr_source *s = arg;
	struct inflate_state *z = vbr_xmalloc(sizeof *z);
	char *in = vbr_xmalloc(RAW_BLOCK);
	char err[200];
	bool in_member = true;
	unsigned char hist[8] = {0};
	size_t in_len = 0;

	isal_inflate_init(z);
	z->crc_flag = ISAL_GZIP;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->produced - s->consumed >= GZ_RING && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		bool stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		struct gz_block *b = &s->ring[s->produced % GZ_RING];
		b->len = 0;
		b->last = b->failed = false;
		z->next_out = (uint8_t *)b->data;
		z->avail_out = GZ_BLOCK;
		bool finished = false;
		while (z->avail_out > 0) {
			if (z->avail_in == 0) {
				remember_input(hist, (const unsigned char *)in, in_len);
				in_len = 0;
				ssize_t n = raw_read(s, in, RAW_BLOCK, err, sizeof err);
				if (n < 0) {
					b->len = GZ_BLOCK - z->avail_out;
					gz_fail(s, b, err);
					goto out;
				}
				if (n == 0) {
					if (in_member) {
						b->len = GZ_BLOCK - z->avail_out;
						gz_fail(s, b, "truncated gzip data (unexpected end of file)");
						goto out;
					}
					finished = true;
					break;
				}
				z->next_in = (uint8_t *)in;
				z->avail_in = (uint32_t)n;
				in_len = (size_t)n;
			}
			if (!in_member) {
				/* between members: another member, zero padding, or garbage */
				if (z->next_in[0] == 0x1f) {
					isal_inflate_reset(z);
					in_member = true;
				} else if (z->next_in[0] == 0) {
					z->next_in++;
					z->avail_in--;
					continue;
				} else {
					b->len = GZ_BLOCK - z->avail_out;
					gz_fail(s, b, "trailing garbage after gzip data");
					goto out;
				}
			}
			uint32_t in_before = z->avail_in, out_before = z->avail_out;
			int rc = isal_inflate(z);
			const char *bad = NULL;
			if (rc == ISAL_INCORRECT_CHECKSUM && z->block_state == ISAL_BLOCK_FINISH)
				bad = check_failure(hist, (const unsigned char *)in,
						    (size_t)((char *)z->next_in - in), z->crc, z->total_out);
			else if (rc < 0)
				bad = inflate_error(rc);
			else if (z->block_state == ISAL_BLOCK_FINISH)
				in_member = false;
			else if (z->avail_in == in_before && z->avail_out == out_before && z->avail_in)
				bad = "corrupt gzip data: inflate made no progress";
			if (bad) {
				b->len = GZ_BLOCK - z->avail_out;
				gz_fail(s, b, bad);
				goto out;
			}
		}
		/* the copy is written here, on the inflating thread, beside the
		 * parse of the block before */
		if (s->tee_fd >= 0 &&
		    tee_write(s, b->data, GZ_BLOCK - z->avail_out, err, sizeof err) != 0) {
			b->len = 0;
			gz_fail(s, b, err);
			goto out;
		}
		pthread_mutex_lock(&s->mu);
		b->len = GZ_BLOCK - z->avail_out;
		b->last = finished;
		s->produced++;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		if (finished)
			break;
	}
out:
	free(z);
	free(in);
	return NULL;
}

/* Copy inflated bytes from the ring to the caller. */
static size_t gz_read(struct vbr_source *s, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap && !s->done) {
		pthread_mutex_lock(&s->mu);
		while (s->produced == s->consumed)
			pthread_cond_wait(&s->cv, &s->mu);
		pthread_mutex_unlock(&s->mu);
		struct gz_block *b = &s->ring[s->consumed % GZ_RING];
		size_t n = b->len - s->cur_pos;
		if (n > cap - got)
			n = cap - got;
		memcpy(buf + got, b->data + s->cur_pos, n);
		got += n;
		s->cur_pos += n;
		if (s->cur_pos == b->len) {
			if (b->failed) {
				if (got)
					return got; /* deliver what came before */
				vbr_die(s->err_status ? s->err_status : EX_IOERR, "%s: %s",
					s->name, s->gz_error);
			}
			if (b->last)
				s->done = true;
			s->cur_pos = 0;
			pthread_mutex_lock(&s->mu);
			if (!b->last)
				s->consumed++;
			pthread_cond_broadcast(&s->cv);
			pthread_mutex_unlock(&s->mu);
		}
	}
	return got;
}

/* Split "archive#member" when the part before a '#' names an existing file
 * and the whole operand does not. Returns the member name or NULL. */
static const char *archive_member(const char *operand, char **path)
{
	struct stat st;
	if (stat(operand, &st) == 0)
		return NULL;
	for (const char *h = strchr(operand, '#'); h; h = strchr(h + 1, '#')) {
		char *p = vbr_xstrndup(operand, (size_t)(h - operand));
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			*path = p;
			return h + 1;
		}
		free(p);
	}
	return NULL;
}

/* Position a libarchive reader at the member. An archive file that cannot
 * be opened is 66; one that opens but cannot be read (truncated, corrupt)
 * is 74; a member that is absent is 66; a member of that name that is not a
 * regular file (a link, a directory) is 65: vbr reads regular members only,
 * and never follows a link a stranger's archive holds. */
static void open_member(struct vbr_source *s, const char *operand, const char *path,
			const char *member)
{
	struct archive *a = s->ar = archive_read_new();   /* closed with s */
	struct archive_entry *e;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	if (archive_read_open_filename(a, path, RAW_BLOCK) != ARCHIVE_OK) {
		int e = archive_errno(a);
		vbr_die(e == ENOENT || e == EACCES || e == EPERM ? EX_NOINPUT : EX_IOERR,
			"%s: cannot read archive: %s", operand, archive_error_string(a));
	}
	for (;;) {
		int rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			vbr_die(EX_NOINPUT, "%s: no member '%s' in archive %s",
				operand, member, path);
		if (rc < ARCHIVE_WARN)
			vbr_die(EX_IOERR, "%s: corrupt archive: %s", operand,
				archive_error_string(a));
		const char *name = member_name(e);
		if (!name || strcmp(name, member) != 0)
			continue;
		if (archive_entry_filetype(e) == AE_IFREG)
			return;
		const char *link = archive_entry_symlink(e);
		char what[300];
		snprintf(what, sizeof what, "%s%s%s", link ? "a link to '" : "not a regular file",
			 link ? link : "", link ? "'" : "");
		vbr_die(EX_DATAERR, "%s: member '%s' is %s, not a file; vbr reads regular "
			"members only", operand, member, what);
	}
}

static void close_on_error(void *s)
{
	vbr_source_close(s);
}

struct vbr_source *vbr_source_open(const char *operand)
{
	return vbr_source_open_tee(operand, -1, NULL);
}

struct vbr_source *vbr_source_open_tee(const char *operand, int tee_fd, const char *tee_name)
{
	struct vbr_source *s = vbr_xcalloc(1, sizeof *s);
	char *path = NULL;
	const char *member = NULL;

	s->name = vbr_xstrdup(operand);
	s->fd = -1;
	s->tee_fd = tee_fd;
	s->tee_name = tee_name;
	vbr_cleanup_push(close_on_error, s);
	if (strcmp(operand, "-") == 0) {
		s->fd = STDIN_FILENO;
		free(s->name);
		s->name = vbr_xstrdup(vbr_stdin_name);
	} else if ((member = archive_member(operand, &path)) != NULL) {
		s->path = path;         /* freed with s */
		s->member = vbr_xstrdup(member);
		open_member(s, operand, path, member);
	} else {
		s->fd = open(operand, O_RDONLY);
		if (s->fd < 0)
			vbr_die_errno(EX_NOINPUT, "%s: cannot open", operand);
	}
	/* look at the first bytes for the gzip magic */
	char err[200];
	s->peek = vbr_xmalloc(RAW_BLOCK);
	size_t have = 0;
	while (have < 2) {
		ssize_t n = raw_read(s, s->peek + have, RAW_BLOCK - have, err, sizeof err);
		if (n < 0)
			vbr_die(s->err_status ? s->err_status : EX_IOERR, "%s: %s", s->name, err);
		if (n == 0)
			break;
		have += (size_t)n;
	}
	s->peek_len = have;
	if (have >= 2 && (unsigned char)s->peek[0] == 0x1f &&
	    (unsigned char)s->peek[1] == 0x8b) {
		s->gzip = true;
		pthread_mutex_init(&s->mu, NULL);
		pthread_cond_init(&s->cv, NULL);
		for (int i = 0; i < GZ_RING; i++)
			s->ring[i].data = vbr_xmalloc(GZ_BLOCK);
		if (pthread_create(&s->thread, NULL, gz_thread, s) != 0)
			vbr_die(EX_OSERR, "%s: cannot start decompression thread", s->name);
		s->thread_started = true;
	}
	return s;
}

struct vbr_source *vbr_source_open_range(const char *path, uint64_t start, uint64_t len)
{
	struct vbr_source *s = vbr_xcalloc(1, sizeof *s);
	s->name = vbr_xstrdup(path);
	s->tee_fd = -1;
	vbr_cleanup_push(close_on_error, s);
	s->fd = open(path, O_RDONLY);
	if (s->fd < 0)
		vbr_die_errno(EX_NOINPUT, "%s: cannot open", path);
	if (lseek(s->fd, (off_t)start, SEEK_SET) < 0)
		vbr_die_errno(EX_IOERR, "%s: cannot seek", path);
	s->ranged = true;
	s->left = len;
	return s;
}

size_t vbr_source_read(struct vbr_source *s, char *buf, size_t cap)
{
	if (s->gzip)
		return gz_read(s, buf, cap);
	char err[200];
	ssize_t n = raw_read(s, buf, cap, err, sizeof err);
	if (n < 0)
		vbr_die(s->err_status ? s->err_status : EX_IOERR, "%s: %s", s->name, err);
	if (n > 0 && s->tee_fd >= 0 && tee_write(s, buf, (size_t)n, err, sizeof err) != 0)
		vbr_die(EX_IOERR, "%s: %s", s->name, err);
	return (size_t)n;
}

const char *vbr_source_name(const struct vbr_source *s)
{
	return s->name;
}

void vbr_source_close(struct vbr_source *s)
{
	if (!s)
		return;
	vbr_cleanup_pop(s);
	if (s->thread_started) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
		for (int i = 0; i < GZ_RING; i++)
			free(s->ring[i].data);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	if (s->ar) {
		archive_read_free(s->ar);
	} else if (s->fd > STDIN_FILENO) {
		close(s->fd);
	}
	free(s->peek);
	free(s->member);
	free(s->path);
	free(s->name);
	free(s);
}
