/* output.h: buffered output with every write error detected.
 *
 * A closed pipe (EPIPE, `tool | head -1`) ends the process quietly with
 * status 141, as SIGPIPE would; any other write error (ENOSPC, EIO) is
 * reported with the output's name and the process exits with status 1.
 * out_close() on stdout at exit is what makes a full disk a failure.
 */
#ifndef COMMON_OUTPUT_H
#define COMMON_OUTPUT_H

#include <stddef.h>

typedef struct Out Out;

extern Out *out_stdout;		/* ready after out_init() */

void out_init(void);		/* set up out_stdout; call first thing in main */
void out_write(Out *o, const void *p, size_t n);
void out_putc(Out *o, int c);
void out_puts(Out *o, const char *s);
void out_printf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_flush(Out *o);

/* Flush and close stdout, checking for errors; returns status unchanged, or
 * EXIT_DATA when the final flush failed. Use as: return out_finish(status); */
int out_finish(int status);

/* Files written atomically: data goes to an unnamed file in path's folder
 * (O_TMPFILE), which out_commit() links in under path, replacing any file
 * there; where the file system cannot (or LAWTEXT_NO_TMPFILE is set), to a
 * temporary file PATH.tmpPID renamed over path. out_abort() drops it. An
 * interrupted run never leaves a half-written file under the final name, and
 * with O_TMPFILE no temporary file at all. NULL on error (reported). */
Out *out_create_atomic(const char *path);
int out_commit(Out *o);		/* 0 ok, -1 error (reported, temp removed) */
void out_abort(Out *o);

/* mkdir -p DIR (the -o folder of every tool; in run.c): 0, or -1 with errno
 * set (a path that exists and is no folder: ENOTDIR). */
int make_dirs(const char *dir);

#endif
