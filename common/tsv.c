#include "tsv.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* Bytes that need escaping: \t \n \r \\ */
static int
needs_escape(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r' || c == '\\';
}

static char
escape_letter(char c)
{
	switch (c) {
	case '\t': return 't';
	case '\n': return 'n';
	case '\r': return 'r';
	default: return '\\';
	}
}

void
tsv_put_escaped(Out *o, const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i < n; i++) {
		if (needs_escape((unsigned char)s[i])) {
			char esc[2] = {'\\', escape_letter(s[i])};

			out_write(o, s + start, i - start);
			out_write(o, esc, 2);
			start = i + 1;
		}
	}
	out_write(o, s + start, n - start);
}

size_t
tsv_escape_to(char *out, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (needs_escape((unsigned char)s[i])) {
			out[k++] = '\\';
			out[k++] = escape_letter(s[i]);
		} else {
			out[k++] = s[i];
		}
	}
	return k;
}

void
tsv_buf_escaped(Buf *b, const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i < n; i++) {
		if (needs_escape((unsigned char)s[i])) {
			char esc[2] = {'\\', escape_letter(s[i])};

			buf_add(b, s + start, i - start);
			buf_add(b, esc, 2);
			start = i + 1;
		}
	}
	buf_add(b, s + start, n - start);
}

long
tsv_unescape(char *s, size_t n)
{
	size_t i, j = 0;
	char *bs = memchr(s, '\\', n);

	if (bs == NULL)
		return (long)n;
	j = i = (size_t)(bs - s);
	while (i < n) {
		char c = s[i++];

		if (c != '\\') {
			s[j++] = c;
			continue;
		}
		if (i == n)
			return -1;
		c = s[i++];
		switch (c) {
		case 't': s[j++] = '\t'; break;
		case 'n': s[j++] = '\n'; break;
		case 'r': s[j++] = '\r'; break;
		default: s[j++] = c; break;
		}
	}
	return (long)j;
}

void
tsv_split(char *line, size_t len, Fields *out)
{
	char *p = line, *end = line + len;

	out->n = 0;
	for (;;) {
		char *tab = memchr(p, '\t', (size_t)(end - p));
		char *stop = tab ? tab : end;

		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 16;
			out->f = xrealloc(out->f, out->cap * sizeof *out->f);
		}
		out->f[out->n].s = p;
		out->f[out->n].len = (size_t)(stop - p);
		out->n++;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
}

void
fields_free(Fields *f)
{
	free(f->f);
	f->f = NULL;
	f->n = f->cap = 0;
}

long
tsv_find_column(const Fields *header, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < header->n; i++)
		if (header->f[i].len == n && memcmp(header->f[i].s, name, n) == 0)
			return (long)i;
	return -1;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

long
tsv_resolve_columns(const Fields *header, const char *spec, long **idx, Buf *err)
{
	long *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = spec;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *dash = memchr(p, '-', len);
		long lo, hi, k;

		if (len == 0) {
			buf_addf(err, "empty column name in '%s'", spec);
			free(v);
			return -1;
		}
		if (all_digits(p, len)) {
			lo = hi = strtol(p, NULL, 10);
		} else if (dash && all_digits(p, (size_t)(dash - p)) &&
			   all_digits(dash + 1, len - (size_t)(dash - p) - 1)) {
			lo = strtol(p, NULL, 10);
			hi = strtol(dash + 1, NULL, 10);
		} else {
			char *name = xstrndup(p, len);

			lo = tsv_find_column(header, name);
			if (lo < 0) {
				buf_addf(err, "no column named '%s'", name);
				free(name);
				free(v);
				return -1;
			}
			free(name);
			lo = hi = lo + 1;
		}
		if (lo < 1 || hi < lo || (size_t)hi > header->n) {
			buf_addf(err, "column %.*s out of range (the header has %zu columns)",
				 (int)len, p, header->n);
			free(v);
			return -1;
		}
		for (k = lo; k <= hi; k++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				v = xrealloc(v, cap * sizeof *v);
			}
			v[n++] = k - 1;
		}
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*idx = v;
	return (long)n;
}
