/* input.h: read a file or stdin, gzip or not, and split it into lines.
 *
 * gzip is recognised by its magic bytes (1f 8b), not by the file name, and
 * decompressed with zlib; concatenated gzip members are read as one stream.
 * A truncated or corrupt gzip stream is an error naming the file. A gzip
 * stream that inflates past IN_GZIP_MAX_RATIO times its compressed size and
 * past IN_GZIP_MIN_BOMB bytes is refused as a gzip bomb, and so is any input
 * that inflates past IN_GZIP_MAX bytes.
 *
 * Lines have no length limit: memory grows with the longest line.
 */
#ifndef COMMON_INPUT_H
#define COMMON_INPUT_H

#include <stddef.h>
#include "buf.h"

#define IN_GZIP_MAX		(4ULL << 30)	/* 4 GiB inflated, whatever the ratio */
#define IN_GZIP_MIN_BOMB	(64ULL << 20)	/* ratio test applies past 64 MiB */
#define IN_GZIP_MAX_RATIO	1000ULL

typedef struct In In;

/* Open path ("-" or NULL for stdin). NULL on error, already reported as
 * "prog: path: reason" (directories are refused). */
In *in_open(const char *path);
void in_close(In *in);

/* Raw reads of the (decompressed) bytes: >0 bytes read, 0 end, -1 error
 * (reported). */
long in_read(In *in, void *p, size_t n);

/* Read one line into line (cleared first), without its '\n'. Returns 1 when
 * a line was read, 0 at end of input, -1 on error (reported). A '\r' before
 * the '\n' is kept: callers that want CRLF folded use in_getline_crlf(). */
int in_getline(In *in, Buf *line);
int in_getline_crlf(In *in, Buf *line);	/* also drops one '\r' before '\n' */

/* Read all remaining bytes, appended to b. 0 ok, -1 error (reported). */
int in_slurp(In *in, Buf *b);

const char *in_name(const In *in);	/* for messages: path or "(stdin)" */
unsigned long long in_lineno(const In *in);	/* lines read so far */
int in_was_gzip(const In *in);
int in_had_final_newline(const In *in);	/* after the last in_getline() */

/* Convenience: open, slurp, close. 0 ok, -1 error (reported). */
int read_whole_file(const char *path, Buf *b);

#endif
