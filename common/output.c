#include "output.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUFSIZE (64 * 1024)

struct Out {
	int fd;
	char *name;		/* for messages */
	char *path;		/* final path (atomic files) */
	char *tmppath;		/* temporary path (atomic files) */
	int failed;		/* a write error happened (atomic files) */
	int unnamed;		/* an O_TMPFILE file, linked in by out_commit() */
	int direct;		/* not a regular file (a device, a FIFO, a link): written in place */
	size_t len;
	char buf[OUT_BUFSIZE];
};

static Out stdout_out;
Out *out_stdout = &stdout_out;

void
out_init(void)
{
	stdout_out.fd = STDOUT_FILENO;
	stdout_out.name = "(stdout)";
	stdout_out.len = 0;
}

/* Write everything or handle the error: EPIPE exits quietly, others are fatal
 * for stdout and mark atomic files failed. */
static void
write_all(Out *o, const char *p, size_t n)
{
	while (n > 0 && !o->failed) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE && o == out_stdout)
				_exit(141);
			warnmsg("write error: %s: %s", o->name, strerror(errno));
			if (o == out_stdout)
				_exit(EXIT_DATA);
			o->failed = 1;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void
out_flush(Out *o)
{
	if (o->len) {
		write_all(o, o->buf, o->len);
		o->len = 0;
	}
}

void
out_write(Out *o, const void *p, size_t n)
{
	if (n >= OUT_BUFSIZE) {
		out_flush(o);
		write_all(o, p, n);
		return;
	}
	if (o->len + n > OUT_BUFSIZE)
		out_flush(o);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

void
out_putc(Out *o, int c)
{
	if (o->len == OUT_BUFSIZE)
		out_flush(o);
	o->buf[o->len++] = (char)c;
}

void
out_puts(Out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

void
out_printf(Out *o, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		out_write(o, small, (size_t)n);
	} else {
		char *big = xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		out_write(o, big, (size_t)n);
		free(big);
	}
}

int
out_finish(int status)
{
	out_flush(out_stdout);
	/* Text printed with stdio (usage, --version) must go out before the
	 * descriptor is closed, and its errors count too. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return 141;
		warnmsg("write error: (stdout): %s", strerror(errno));
		return status ? status : EXIT_DATA;
	}
	if (close(STDOUT_FILENO) < 0 && errno != EBADF && errno != EINTR) {
		if (errno == EPIPE)
			return 141;
		warnmsg("write error: (stdout): %s", strerror(errno));
		return status ? status : EXIT_DATA;
	}
	return status;
}

/* Whether files are made with O_TMPFILE: unnamed until out_commit() links
 * them in under their name, through /proc/self/fd. -1 not known yet. */
static int use_tmpfile = -1;

/* An unnamed file in path's folder: fd, or -1 (errno; EOPNOTSUPP and the
 * like when the file system cannot, and use_tmpfile is then 0). */
static int
open_unnamed(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	/* (LAWTEXT_NO_TMPFILE: the named way only, for file systems that
	 * misbehave, and for the tests of that way) */
	if (use_tmpfile < 0)
		use_tmpfile = access("/proc/self/fd", X_OK) == 0 && getenv("LAWTEXT_NO_TMPFILE") == NULL;
	if (!use_tmpfile) {
		errno = EOPNOTSUPP;
		return -1;
	}
	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	free(dir);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		use_tmpfile = 0;	/* an old kernel or a file system without it */
		errno = EOPNOTSUPP;
	}
	return fd;
}

Out *
out_create_atomic(const char *path)
{
	Out *o;
	size_t n = strlen(path);
	int fd;

	/* not calloc: zeroing the 64 KiB buffer was 8% of encfix's time over
	 * small files */
	o = xmalloc(sizeof *o);
	o->failed = 0;
	o->len = 0;
	o->path = xstrdup(path);
	o->tmppath = xmalloc(n + 32);
	/* PATH.tmpPID: one name per process, made with O_EXCL (never through a
	 * link). A leftover of a killed process with the same pid is garbage.
	 * The mode is 0666 less the umask, as for any file the user creates. */
	snprintf(o->tmppath, n + 32, "%s.tmp%ld", path, (long)getpid());
	/* A path that names something else than a regular file (/dev/stderr,
	 * a FIFO, a symbolic link) is written through, never replaced: a
	 * rename over /dev/stderr would put a file in its place. */
	o->direct = 0;
	{
		struct stat sb;

		if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			o->unnamed = 0;
			o->direct = 1;
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
			goto opened;
		}
	}
	/* First choice, an unnamed file: no temporary name to make and rename
	 * (two changes of the folder instead of one: a few tens of
	 * microseconds a file, which count over 100,000 small files), and a
	 * killed process leaves nothing behind. */
	o->unnamed = 1;
	fd = open_unnamed(path);
	if (fd < 0 && errno == EOPNOTSUPP) {
		o->unnamed = 0;
		fd = open(o->tmppath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST && unlink(o->tmppath) == 0)
			fd = open(o->tmppath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	}
opened:
	if (fd < 0) {
		warnmsg("cannot create %s: %s", path, strerror(errno));
		free(o->path);
		free(o->tmppath);
		free(o);
		return NULL;
	}
	o->fd = fd;
	o->name = o->path;
	return o;
}

/* Give the unnamed file of o its name, replacing any file there: linked in
 * directly when the name is free, else under the temporary name and renamed
 * over it. 0, or -1 with errno. */
static int
link_unnamed(Out *o)
{
	char proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, o->path, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmppath, AT_SYMLINK_FOLLOW) != 0) {
		if (errno != EEXIST || unlink(o->tmppath) != 0 ||
		    linkat(AT_FDCWD, proc, AT_FDCWD, o->tmppath, AT_SYMLINK_FOLLOW) != 0)
			return -1;
	}
	if (rename(o->tmppath, o->path) != 0) {
		int e = errno;

		unlink(o->tmppath);
		errno = e;
		return -1;
	}
	return 0;
}

static void
out_free(Out *o)
{
	free(o->path);
	free(o->tmppath);
	free(o);
}

int
out_commit(Out *o)
{
	int rc = 0;

	out_flush(o);
	if (o->direct) {
		if (close(o->fd) < 0 && !o->failed) {
			warnmsg("write error: %s: %s", o->name, strerror(errno));
			o->failed = 1;
		}
		rc = o->failed ? -1 : 0;
		out_free(o);
		return rc;
	}
	if (o->unnamed) {
		/* linked in before it is closed: the descriptor is its only name */
		if (!o->failed && link_unnamed(o) < 0) {
			warnmsg("cannot create %s: %s", o->path, strerror(errno));
			o->failed = 1;
		}
		if (close(o->fd) < 0 && !o->failed) {
			warnmsg("write error: %s: %s", o->name, strerror(errno));
			unlink(o->path);
			o->failed = 1;
		}
		rc = o->failed ? -1 : 0;
		out_free(o);
		return rc;
	}
	if (!o->failed && close(o->fd) < 0) {
		warnmsg("write error: %s: %s", o->name, strerror(errno));
		o->failed = 1;
	} else if (o->failed) {
		close(o->fd);
	}
	if (!o->failed && rename(o->tmppath, o->path) < 0) {
		warnmsg("cannot rename %s to %s: %s", o->tmppath, o->path, strerror(errno));
		o->failed = 1;
	}
	if (o->failed) {
		unlink(o->tmppath);
		rc = -1;
	}
	out_free(o);
	return rc;
}

void
out_abort(Out *o)
{
	close(o->fd);
	if (!o->unnamed && !o->direct)
		unlink(o->tmppath);
	out_free(o);
}
