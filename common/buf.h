/* buf.h: a growable byte buffer (always NUL-terminated, may hold NULs). */
#ifndef COMMON_BUF_H
#define COMMON_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *s;	/* bytes, s[len] == '\0' */
	size_t len;
	size_t cap;
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_grow(Buf *b, size_t extra);	/* make room for extra more bytes */
void buf_add(Buf *b, const void *p, size_t n);
void buf_addc(Buf *b, int c);
void buf_adds(Buf *b, const char *s);
void buf_addf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_addu(Buf *b, unsigned long long v);	/* decimal digits, no printf */
/* Write v's decimal digits at p (room for 20 needed); returns their end. */
char *put_udec(char *p, unsigned long long v);
void buf_clear(Buf *b);			/* len = 0, keeps memory */
void buf_free(Buf *b);
char *buf_detach(Buf *b);		/* caller owns the string */

#endif
