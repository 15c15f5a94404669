/* tsv.h: TSV with a header row, fields escaped as in PostgreSQL COPY text
 * format: inside a field a tab is written \t, a newline \n, a carriage
 * return \r and a backslash \\. Every table the project writes follows it. */
#ifndef COMMON_TSV_H
#define COMMON_TSV_H

#include <stddef.h>
#include "buf.h"
#include "output.h"

typedef struct {
	char *s;
	size_t len;
} Field;

typedef struct {
	Field *f;
	size_t n, cap;
} Fields;

#define FIELDS_INIT {NULL, 0, 0}

/* Write s[0..n) escaped. */
void tsv_put_escaped(Out *o, const char *s, size_t n);
void tsv_buf_escaped(Buf *b, const char *s, size_t n);
/* Write s[0..n) escaped into out, which has room for 2 * n bytes; returns
 * the bytes written. */
size_t tsv_escape_to(char *out, const char *s, size_t n);

/* Unescape s[0..n) in place; returns the new length, or -1 when the field
 * ends in a lone backslash (an escape cut mid-sequence). An unknown escape
 * \x stands for x, as in PostgreSQL. */
long tsv_unescape(char *s, size_t n);

/* Split a line (no '\n') at tabs, in place: fields point into line. The
 * fields are not unescaped and not NUL-terminated. */
void tsv_split(char *line, size_t len, Fields *out);
void fields_free(Fields *f);

/* Index of the header field named name (exact match), or -1. */
long tsv_find_column(const Fields *header, const char *name);

/* Resolve a comma-separated column list ("region,year,3": names or 1-based
 * numbers, ranges "2-4" allowed for numbers) against a header. On success
 * returns the number of columns and stores a malloc'd array of 0-based
 * indexes in *idx. On error returns -1 and writes a message to err (which
 * names the unknown column). */
long tsv_resolve_columns(const Fields *header, const char *spec, long **idx, Buf *err);

#endif
