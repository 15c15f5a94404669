/* err.h: error reporting in the form every tool uses.
 *
 *   prog: message
 *   prog: file: message
 *   prog: file:line: message
 *
 * Exit statuses are shared by every tool: 0 success, 1 bad data (a file could
 * not be read or held data the tool rejects), 2 bad usage.
 */
#ifndef COMMON_ERR_H
#define COMMON_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

extern const char *progname;

/* Set progname from argv[0] (its base name). */
void setprogname(const char *argv0);

/* Print "prog: fmt\n" to stderr. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: file:line: fmt\n" (":line" left out when line is 0, "file: "
 * left out when file is NULL). */
void warnat(const char *file, unsigned long long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vwarnat(const char *file, unsigned long long line, const char *fmt, va_list ap);

/* The same, then exit with status. */
void dieat(int status, const char *file, unsigned long long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Usage errors: "prog: message\nTry 'prog --help' for more information.\n", exit 2. */
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Allocation that never returns NULL: on failure the tool exits 1 with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Name of the file for messages: "-" and NULL become "(stdin)". */
const char *display_name(const char *path);

#endif
