/* faultinj.c: an LD_PRELOAD shim for the fault-injection tests of the main
 * job (tests/scripts/pipeline-faults.sh), in the spirit of sqlite's I/O
 * error tests: it counts the changes processes make to files under one
 * folder, and makes the Nth fail, or kills the whole run there.
 *
 * Environment (nothing happens without FAULT_CTL):
 *   FAULT_CTL    a file of at least 4096 bytes, shared by every process of
 *                the run: the count of changes (bytes 0-7), the number of
 *                faults fired (8-15), and what the first fault hit (a line
 *                from byte 64)
 *   FAULT_ROOT   only changes to paths below this absolute folder count
 *   FAULT_AT     N: the Nth change is the fault (0: count only)
 *   FAULT_MODE   once (that change fails), from (it and every later one
 *                fail: a full disk), kill (SIGKILL to the process group
 *                instead: kill -9 of the job)
 *   FAULT_ERRNO  ENOSPC (default) or EIO
 *   FAULT_READ   a string: opening (for reading) or listing a path that
 *                contains it fails with EIO (a read error; the change
 *                counting is not involved)
 * Changes counted: open/creat for writing, write, pwrite, writev, fflush and
 * fclose of a stream open for writing, close of a descriptor open for
 * writing, rename(at,at2), link(at), symlink(at), mkdir(at), unlink(at)
 * (kill mode only), fsync, fdatasync, ftruncate, utimensat/futimens.
 * Writes inside glibc (stdio's own flushing) are not seen. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

struct ctl {
	uint64_t count;
	uint64_t fired;
	char pad[48];
	char what[4096 - 64];
};

static struct ctl *ctl;
static const char *root, *readmatch;
static size_t rootlen;
static uint64_t at;
static int mode;		/* 0 once, 1 from, 2 kill */
static int fault_errno = ENOSPC;

#define REAL(name) static __typeof__(name) *real_##name; \
	if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

__attribute__((constructor)) static void
init(void)
{
	const char *p = getenv("FAULT_CTL"), *s;
	int fd;

	readmatch = getenv("FAULT_READ");
	if (readmatch && !*readmatch)
		readmatch = NULL;
	if (p == NULL || (root = getenv("FAULT_ROOT")) == NULL)
		return;
	rootlen = strlen(root);
	fd = (int)syscall(SYS_openat, AT_FDCWD, p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	syscall(SYS_close, fd);
	if (ctl == MAP_FAILED) {
		ctl = NULL;
		return;
	}
	at = (s = getenv("FAULT_AT")) ? strtoull(s, NULL, 10) : 0;
	s = getenv("FAULT_MODE");
	mode = s && strcmp(s, "from") == 0 ? 1 : s && strcmp(s, "kill") == 0 ? 2 : 0;
	s = getenv("FAULT_ERRNO");
	fault_errno = s && strcmp(s, "EIO") == 0 ? EIO : ENOSPC;
}

/* Whether the absolute form of path (relative to dirfd) lies below root. */
static int
below_root(int dirfd, const char *path)
{
	char buf[8192], link[64];
	ssize_t n;

	if (path[0] == '/')
		return strncmp(path, root, rootlen) == 0;
	if (dirfd == AT_FDCWD) {
		if (getcwd(buf, sizeof buf - 1) == NULL)
			return 0;
		n = (ssize_t)strlen(buf);
	} else {
		snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
		if ((n = readlink(link, buf, sizeof buf - 1)) < 0)
			return 0;
	}
	buf[n] = '\0';
	strncat(buf, "/", sizeof buf - strlen(buf) - 1);
	strncat(buf, path, sizeof buf - strlen(buf) - 1);
	return strncmp(buf, root, rootlen) == 0;
}

/* Whether fd is open for writing on a file below root. */
static int
fd_below_root(int fd)
{
	char buf[8192], link[64];
	ssize_t n;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, buf, sizeof buf - 1)) < 0)
		return 0;
	buf[n] = '\0';
	return strncmp(buf, root, rootlen) == 0;
}

/* One change, to what (for the record): 0 go on, -1 fail (errno set). */
static int
change(const char *op, const char *what, int killonly)
{
	uint64_t n;
	int saved = errno;

	if (ctl == NULL)
		return 0;
	n = __atomic_add_fetch(&ctl->count, 1, __ATOMIC_SEQ_CST);
	if (at == 0 || n < at || (n > at && mode != 1))
		return 0;
	if (killonly && mode != 2)
		return 0;
	if (__atomic_add_fetch(&ctl->fired, 1, __ATOMIC_SEQ_CST) == 1)
		snprintf(ctl->what, sizeof ctl->what, "%s %s (pid %d)\n", op, what ? what : "?", (int)getpid());
	if (mode == 2) {
		kill(0, SIGKILL);
		raise(SIGKILL);
	}
	errno = fault_errno;
	(void)saved;
	return -1;
}

static int
fd_change(const char *op, int fd)
{
	char what[32];

	if (ctl == NULL || !fd_below_root(fd))
		return 0;
	snprintf(what, sizeof what, "fd %d", fd);
	return change(op, what, 0);
}

static int
path_change(const char *op, int dirfd, const char *path, int killonly)
{
	if (ctl == NULL || path == NULL || !below_root(dirfd, path))
		return 0;
	return change(op, path, killonly);
}

static int
read_fault(const char *path)
{
	if (readmatch && path && strstr(path, readmatch)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
writing(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT);
}

int
open(const char *path, int flags, ...)
{
	mode_t m = 0;
	va_list ap;
	REAL(open);

	va_start(ap, flags);
	if (flags & (O_CREAT | __O_TMPFILE))
		m = va_arg(ap, mode_t);
	va_end(ap);
	if (writing(flags) ? path_change("open", AT_FDCWD, path, 0) : read_fault(path))
		return -1;
	return real_open(path, flags, m);
}

int
open64(const char *path, int flags, ...)
{
	mode_t m = 0;
	va_list ap;
	REAL(open64);

	va_start(ap, flags);
	if (flags & (O_CREAT | __O_TMPFILE))
		m = va_arg(ap, mode_t);
	va_end(ap);
	if (writing(flags) ? path_change("open", AT_FDCWD, path, 0) : read_fault(path))
		return -1;
	return real_open64(path, flags, m);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t m = 0;
	va_list ap;
	REAL(openat);

	va_start(ap, flags);
	if (flags & (O_CREAT | __O_TMPFILE))
		m = va_arg(ap, mode_t);
	va_end(ap);
	if (writing(flags) ? path_change("openat", dirfd, path, 0) : read_fault(path))
		return -1;
	return real_openat(dirfd, path, flags, m);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t m = 0;
	va_list ap;
	REAL(openat64);

	va_start(ap, flags);
	if (flags & (O_CREAT | __O_TMPFILE))
		m = va_arg(ap, mode_t);
	va_end(ap);
	if (writing(flags) ? path_change("openat", dirfd, path, 0) : read_fault(path))
		return -1;
	return real_openat64(dirfd, path, flags, m);
}

int
creat(const char *path, mode_t m)
{
	REAL(creat);

	if (path_change("creat", AT_FDCWD, path, 0))
		return -1;
	return real_creat(path, m);
}

FILE *
fopen(const char *path, const char *how)
{
	REAL(fopen);

	if (how[0] != 'r' || strchr(how, '+') ? path_change("fopen", AT_FDCWD, path, 0) : read_fault(path))
		return NULL;
	return real_fopen(path, how);
}

FILE *
fopen64(const char *path, const char *how)
{
	REAL(fopen64);

	if (how[0] != 'r' || strchr(how, '+') ? path_change("fopen", AT_FDCWD, path, 0) : read_fault(path))
		return NULL;
	return real_fopen64(path, how);
}

DIR *
opendir(const char *path)
{
	REAL(opendir);

	if (read_fault(path))
		return NULL;
	return real_opendir(path);
}

ssize_t
write(int fd, const void *b, size_t n)
{
	REAL(write);

	if (fd_change("write", fd))
		return -1;
	return real_write(fd, b, n);
}

ssize_t
pwrite(int fd, const void *b, size_t n, off_t off)
{
	REAL(pwrite);

	if (fd_change("pwrite", fd))
		return -1;
	return real_pwrite(fd, b, n, off);
}

ssize_t
writev(int fd, const struct iovec *v, int n)
{
	REAL(writev);

	if (fd_change("writev", fd))
		return -1;
	return real_writev(fd, v, n);
}

int
close(int fd)
{
	REAL(close);

	if (fd_change("close", fd)) {
		real_close(fd);		/* (closed all the same, as the kernel does) */
		return -1;
	}
	return real_close(fd);
}

int
fflush(FILE *f)
{
	REAL(fflush);

	if (f && fd_change("fflush", fileno(f)))
		return EOF;
	return real_fflush(f);
}

int
fclose(FILE *f)
{
	REAL(fclose);

	if (fd_change("fclose", fileno(f))) {
		real_fclose(f);
		return EOF;
	}
	return real_fclose(f);
}

int
fsync(int fd)
{
	REAL(fsync);

	if (fd_change("fsync", fd))
		return -1;
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);

	if (fd_change("fdatasync", fd))
		return -1;
	return real_fdatasync(fd);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate);

	if (fd_change("ftruncate", fd))
		return -1;
	return real_ftruncate(fd, len);
}

int
rename(const char *a, const char *b)
{
	REAL(rename);

	if (path_change("rename", AT_FDCWD, b, 0))
		return -1;
	return real_rename(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	REAL(renameat);

	if (path_change("renameat", db, b, 0))
		return -1;
	return real_renameat(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	REAL(renameat2);

	if (path_change("renameat2", db, b, 0))
		return -1;
	return real_renameat2(da, a, db, b, flags);
}

int
link(const char *a, const char *b)
{
	REAL(link);

	if (path_change("link", AT_FDCWD, b, 0))
		return -1;
	return real_link(a, b);
}

int
linkat(int da, const char *a, int db, const char *b, int flags)
{
	REAL(linkat);

	if (path_change("linkat", db, b, 0))
		return -1;
	return real_linkat(da, a, db, b, flags);
}

int
symlink(const char *a, const char *b)
{
	REAL(symlink);

	if (path_change("symlink", AT_FDCWD, b, 0))
		return -1;
	return real_symlink(a, b);
}

int
symlinkat(const char *a, int d, const char *b)
{
	REAL(symlinkat);

	if (path_change("symlinkat", d, b, 0))
		return -1;
	return real_symlinkat(a, d, b);
}

int
mkdir(const char *p, mode_t m)
{
	REAL(mkdir);

	if (path_change("mkdir", AT_FDCWD, p, 0))
		return -1;
	return real_mkdir(p, m);
}

int
mkdirat(int d, const char *p, mode_t m)
{
	REAL(mkdirat);

	if (path_change("mkdirat", d, p, 0))
		return -1;
	return real_mkdirat(d, p, m);
}

int
unlink(const char *p)
{
	REAL(unlink);

	if (path_change("unlink", AT_FDCWD, p, 1))
		return -1;
	return real_unlink(p);
}

int
unlinkat(int d, const char *p, int flags)
{
	REAL(unlinkat);

	if (path_change("unlinkat", d, p, 1))
		return -1;
	return real_unlinkat(d, p, flags);
}

int
utimensat(int d, const char *p, const struct timespec t[2], int flags)
{
	const char *volatile path = p;	/* (NULL: the file of d itself, as futimens) */
	REAL(utimensat);

	if (path ? path_change("utimensat", d, path, 0) : fd_change("futimens", d))
		return -1;
	return real_utimensat(d, p, t, flags);
}

int
futimens(int fd, const struct timespec t[2])
{
	REAL(futimens);

	if (fd_change("futimens", fd))
		return -1;
	return real_futimens(fd, t);
}
