#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *progname = "tool";

void
setprogname(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	progname = slash ? slash + 1 : argv0;
}

const char *
display_name(const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return "(stdin)";
	return path;
}

void
vwarnat(const char *file, unsigned long long line, const char *fmt, va_list ap)
{
	/* stdout may be a pipe into the same terminal: keep messages whole. */
	fprintf(stderr, "%s: ", progname);
	if (file != NULL) {
		if (line > 0)
			fprintf(stderr, "%s:%llu: ", file, line);
		else
			fprintf(stderr, "%s: ", file);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
warnat(const char *file, unsigned long long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(file, line, fmt, ap);
	va_end(ap);
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(NULL, 0, fmt, ap);
	va_end(ap);
}

void
dieat(int status, const char *file, unsigned long long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(file, line, fmt, ap);
	va_end(ap);
	exit(status);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(NULL, 0, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(EXIT_USAGE);
}

static void
oom(size_t n)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", progname, n);
	exit(EXIT_DATA);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
