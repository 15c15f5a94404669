#include "input.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IN_BUFSIZE (128 * 1024)

struct In {
	int fd;
	int is_stdin;
	char *name;
	int gzip;		/* input is gzip */
	int eof;		/* no more decompressed data */
	int error;
	int final_nl;
	unsigned long long lineno;
	unsigned long long raw_total;	/* compressed bytes read */
	unsigned long long out_total;	/* decompressed bytes produced */
	long long size;		/* of a regular file as fstat gave it, else -1 */
	unsigned long long got;	/* bytes read of a plain file */
	z_stream zs;
	unsigned char *raw;		/* compressed input buffer (gzip) */
	int raw_eof;
	/* decompressed data waiting to be consumed */
	char *buf;
	size_t pos, len;
};

const char *
in_name(const In *in)
{
	return in->name;
}

unsigned long long
in_lineno(const In *in)
{
	return in->lineno;
}

int
in_was_gzip(const In *in)
{
	return in->gzip;
}

int
in_had_final_newline(const In *in)
{
	return in->final_nl;
}

static long
raw_read(In *in, void *p, size_t n)
{
	for (;;) {
		ssize_t r = read(in->fd, p, n);

		if (r >= 0)
			return (long)r;
		if (errno == EINTR)
			continue;
		warnat(in->name, 0, "read error: %s", strerror(errno));
		in->error = 1;
		return -1;
	}
}

/* Is a plain read of r bytes (asked for asked) the end of the input? A
 * read that comes back short with all the bytes fstat gave a regular file
 * is: no further read() only to see 0 (a system call a file saved). A
 * size of 0, as /proc files give, says nothing. */
static int
plain_end(const In *in, long r, size_t asked)
{
	return r == 0 || (in->size > 0 && (size_t)r < asked && in->got >= (unsigned long long)in->size);
}

In *
in_open(const char *path)
{
	In *in = xcalloc(1, sizeof *in);
	struct stat st;
	long n;

	if (path == NULL || strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->is_stdin = 1;
		in->name = xstrdup("(stdin)");
	} else {
		in->name = xstrdup(path);
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0) {
			warnat(path, 0, "%s", strerror(errno));
			free(in->name);
			free(in);
			return NULL;
		}
	}
	in->size = -1;
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			warnat(in->name, 0, "is a directory");
			in_close(in);
			return NULL;
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0)
			in->size = (long long)st.st_size;
	}
	in->buf = xmalloc(IN_BUFSIZE);
	/* Peek at the first bytes to recognise gzip. */
	n = 0;
	while (n < 2) {
		size_t asked = IN_BUFSIZE - (size_t)n;
		long r = raw_read(in, in->buf + n, asked);

		if (r < 0) {
			in_close(in);
			return NULL;
		}
		n += r;
		in->got = (unsigned long long)n;
		if (plain_end(in, r, asked)) {
			in->eof = 1;	/* (for plain input; gzip reads on below) */
			break;
		}
	}
	if (n >= 2 && (unsigned char)in->buf[0] == 0x1f && (unsigned char)in->buf[1] == 0x8b) {
		in->gzip = 1;
		in->raw = xmalloc(IN_BUFSIZE);
		memcpy(in->raw, in->buf, (size_t)n);
		in->raw_total = (unsigned long long)n;
		memset(&in->zs, 0, sizeof in->zs);
		in->zs.next_in = in->raw;
		in->zs.avail_in = (uInt)n;
		if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK) {
			warnat(in->name, 0, "cannot initialise zlib");
			in_close(in);
			return NULL;
		}
		in->eof = 0;
	} else {
		in->len = (size_t)n;
	}
	return in;
}

void
in_close(In *in)
{
	if (in == NULL)
		return;
	if (in->gzip)
		inflateEnd(&in->zs);
	if (!in->is_stdin && in->fd >= 0)
		close(in->fd);
	free(in->raw);
	free(in->buf);
	free(in->name);
	free(in);
}

/* Refill in->buf with decompressed data. Returns bytes now available, 0 at
 * end, -1 on error. */
static long
fill(In *in)
{
	if (in->error)
		return -1;
	if (in->eof)
		return 0;
	in->pos = in->len = 0;
	if (!in->gzip) {
		long r = raw_read(in, in->buf, IN_BUFSIZE);

		if (r < 0)
			return r;
		in->got += (unsigned long long)r;
		if (plain_end(in, r, IN_BUFSIZE))
			in->eof = 1;
		in->len = (size_t)r;
		return r;
	}
	while (in->len == 0) {
		int zr;

		if (in->zs.avail_in == 0 && !in->raw_eof) {
			long r = raw_read(in, in->raw, IN_BUFSIZE);

			if (r < 0)
				return -1;
			if (r == 0)
				in->raw_eof = 1;
			in->zs.next_in = in->raw;
			in->zs.avail_in = (uInt)r;
			in->raw_total += (unsigned long long)r;
		}
		in->zs.next_out = (Bytef *)in->buf;
		in->zs.avail_out = IN_BUFSIZE;
		zr = inflate(&in->zs, Z_NO_FLUSH);
		in->len = IN_BUFSIZE - in->zs.avail_out;
		in->out_total += in->len;
		if (in->out_total > IN_GZIP_MAX ||
		    (in->out_total > IN_GZIP_MIN_BOMB &&
		     in->out_total / (in->raw_total ? in->raw_total : 1) > IN_GZIP_MAX_RATIO)) {
			warnat(in->name, 0, "gzip data inflates past %llu bytes at a ratio over %llu:1;"
			       " refused as a gzip bomb", in->out_total, IN_GZIP_MAX_RATIO);
			in->error = 1;
			return -1;
		}
		if (zr == Z_STREAM_END) {
			/* Another member may follow (concatenated gzip). */
			if (in->zs.avail_in == 0 && !in->raw_eof) {
				long r = raw_read(in, in->raw, IN_BUFSIZE);

				if (r < 0)
					return -1;
				if (r == 0)
					in->raw_eof = 1;
				in->zs.next_in = in->raw;
				in->zs.avail_in = (uInt)r;
				in->raw_total += (unsigned long long)r;
			}
			if (in->zs.avail_in == 0) {
				in->eof = in->len == 0;
				return (long)in->len;
			}
			/* Trailing zero padding (tape archives) is tolerated. */
			if (in->zs.next_in[0] != 0x1f) {
				size_t i;

				for (i = 0; i < in->zs.avail_in && in->zs.next_in[i] == 0; i++)
					;
				if (i == in->zs.avail_in) {
					in->zs.avail_in = 0;
					continue;
				}
				warnat(in->name, 0, "trailing garbage after gzip data at byte %llu",
				       in->raw_total - in->zs.avail_in);
				in->error = 1;
				return -1;
			}
			inflateReset(&in->zs);
			continue;
		}
		if (zr == Z_BUF_ERROR && in->raw_eof && in->zs.avail_in == 0) {
			if (in->len)
				return (long)in->len;	/* report truncation on next call */
			warnat(in->name, 0, "truncated gzip data (unexpected end after %llu bytes)",
			       in->raw_total);
			in->error = 1;
			return -1;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			warnat(in->name, 0, "corrupt gzip data: %s",
			       in->zs.msg ? in->zs.msg : "inflate error");
			in->error = 1;
			return -1;
		}
	}
	return (long)in->len;
}

long
in_read(In *in, void *p, size_t n)
{
	size_t avail;

	if (in->pos == in->len) {
		long r = fill(in);

		if (r <= 0)
			return r;
	}
	avail = in->len - in->pos;
	if (n > avail)
		n = avail;
	memcpy(p, in->buf + in->pos, n);
	in->pos += n;
	return (long)n;
}

int
in_getline(In *in, Buf *line)
{
	buf_clear(line);
	for (;;) {
		char *nl;
		size_t avail;

		if (in->pos == in->len) {
			long r = fill(in);

			if (r < 0)
				return -1;
			if (r == 0) {
				if (line->len == 0)
					return 0;
				in->final_nl = 0;
				in->lineno++;
				return 1;
			}
		}
		avail = in->len - in->pos;
		nl = memchr(in->buf + in->pos, '\n', avail);
		if (nl) {
			size_t n = (size_t)(nl - (in->buf + in->pos));

			buf_add(line, in->buf + in->pos, n);
			in->pos += n + 1;
			in->final_nl = 1;
			in->lineno++;
			return 1;
		}
		buf_add(line, in->buf + in->pos, avail);
		in->pos = in->len;
	}
}

int
in_getline_crlf(In *in, Buf *line)
{
	int r = in_getline(in, line);

	if (r == 1 && line->len && line->s[line->len - 1] == '\r')
		line->s[--line->len] = '\0';
	return r;
}

int
in_slurp(In *in, Buf *b)
{
	/* Plain input into an empty buffer: the buffer takes over the read
	 * buffer (holding the first read, most often the whole file) and
	 * reads on in place, with no copy. */
	if (!in->gzip && b->len == 0 && in->pos == 0 && !in->error) {
		free(b->s);
		b->s = in->buf;
		b->len = in->len;
		b->cap = IN_BUFSIZE;
		in->buf = NULL;		/* in is at its end from here: fill() reads no more */
		in->pos = in->len = 0;
		while (!in->eof) {
			size_t asked;
			long r;

			buf_grow(b, IN_BUFSIZE / 2);
			asked = b->cap - b->len - 1;
			r = raw_read(in, b->s + b->len, asked);
			if (r < 0) {
				b->s[b->len] = '\0';
				return -1;
			}
			in->got += (unsigned long long)r;
			if (plain_end(in, r, asked))
				in->eof = 1;
			b->len += (size_t)r;
		}
		b->s[b->len] = '\0';
		return 0;
	}
	for (;;) {
		long r;

		if (in->pos < in->len) {
			buf_add(b, in->buf + in->pos, in->len - in->pos);
			in->pos = in->len;
		}
		r = fill(in);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
	}
}

int
read_whole_file(const char *path, Buf *b)
{
	In *in = in_open(path);
	int r;

	if (in == NULL)
		return -1;
	r = in_slurp(in, b);
	in_close(in);
	return r;
}
