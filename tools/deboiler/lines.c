/* lines.c: the input path. A document's bytes become the line model
 * (Work: trimmed non-empty lines in an arena, invalid UTF-8 repaired, NUL
 * and UTF-16 input refused); an input that already is a deboiled document
 * (a `Doc:` header) is parsed instead; count_body() counts the result. */
#include "deboiler_int.h"
#include "err.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static size_t valid_prefix(const unsigned char *s, size_t n);
static void work_addline(Work *w, size_t off, size_t len, unsigned long lineno);

/* Length of the longest valid UTF-8 prefix (as utf8_valid_prefix(), with an
 * ASCII fast path: this runs over every byte of every page). */
static size_t
valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
				return i;
			i += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))
				return i;
			i += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (s[i + 3] & 0xC0) != 0x80 || (c == 0xF0 && s[i + 1] < 0x90) ||
			    (c == 0xF4 && s[i + 1] >= 0x90))
				return i;
			i += 4;
		} else
			return i;
	}
	return i;
}

static void
work_addline(Work *w, size_t off, size_t len, unsigned long lineno)
{
	Line *ln;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->line = xrealloc(w->line, w->cap * sizeof *w->line);
	}
	ln = &w->line[w->n++];
	ln->off = off;
	ln->len = len;
	ln->lineno = lineno;
	ln->state = L_KEEP;
	ln->rule = NULL;
	ln->nchar = nchars(w->arena.s + off, len);
}

/* Copy text into the arena as valid UTF-8 (invalid bytes -> U+FFFD) and
 * record the trimmed non-empty lines. Returns -1 on a NUL byte. */
int
split_lines(Work *w, const char *text, size_t len, DbDoc *d)
{
	size_t i = 0, start;
	unsigned long lineno = d->line0 ? d->line0 : 1;
	int has_cr = memchr(text, '\r', len) != NULL;

	if (memchr(text, '\0', len)) {
		const char *z = memchr(text, '\0', len);
		unsigned long ln = d->line0 ? d->line0 : 1;
		const char *p;

		for (p = text; p < z; p++)
			ln += *p == '\n';
		if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
				 ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF)))
			buf_addf(&d->err, "UTF-16 text, not UTF-8: convert it first (encfix)");
		else
			buf_addf(&d->err, "binary data (NUL byte on line %lu), not a text document", ln);
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	buf_grow(&w->arena, len + len / 2 + 16);
	for (;;) {
		size_t ls, le, e = i;

		start = w->arena.len;
		if (has_cr) {
			while (e < len && text[e] != '\n' && text[e] != '\r')
				e++;
		} else {
			const char *nl = memchr(text + i, '\n', len - i);

			e = nl ? (size_t)(nl - text) : len;
		}
		while (i < e) {	/* copy, each invalid byte becomes U+FFFD */
			size_t v = valid_prefix((const unsigned char *)text + i, e - i);

			buf_add(&w->arena, text + i, v);
			i += v;
			if (i < e) {
				buf_add(&w->arena, "\xEF\xBF\xBD", 3);
				d->repaired++;
				i++;
			}
		}
		/* trim */
		ls = start;
		le = w->arena.len;
		while (ls < le) {
			int l;
			uint32_t cp = cp_at(w->arena.s, le, ls, &l);

			if (!is_blank_cp(cp))
				break;
			ls += (size_t)l;
		}
		while (le > ls) {
			size_t k = le - 1;
			uint32_t cp;

			while (k > ls && ((unsigned char)w->arena.s[k] & 0xC0) == 0x80)
				k--;
			if (utf8_decode((const unsigned char *)w->arena.s + k, le - k, &cp) < 0 || !is_blank_cp(cp))
				break;
			le = k;
		}
		if (le > ls)
			work_addline(w, ls, le - ls, lineno);
		buf_addc(&w->arena, '\0');
		if (i >= len)
			break;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		i++;
		lineno++;
	}
	return 0;
}

/* What a text starts with (common/doc.h): DB_IN_PLAIN, no header (a page
 * from encfix without one, or any plain text); DB_IN_HEADED, the header of an
 * earlier stage (encfix's Doc: and Encoding:: no key deboiler writes but
 * Doc), the body still to deboil; DB_IN_DEBOILED, a header with a key of
 * deboiler's own (Title:, Region:, Removed:, ...), passed through. A header counts only when its
 * first line is Doc: (every tool's header starts so): a page whose first line
 * happens to be "Source: ..." is text. h is parsed from text past a BOM; *skip
 * is the BOM's length. */
int
input_kind(const char *text, size_t len, DocHeader *h, size_t *skip)
{
	size_t i;
	int k;

	*skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	doc_header_parse(text + *skip, len - *skip, h);
	if (h->nfield == 0 || h->field[0].keylen != 3 || strncasecmp(h->field[0].key, "Doc", 3) != 0)
		return DB_IN_PLAIN;
	/* encfix's header (it has Encoding:) is an earlier stage's, whatever
	 * else it carries (an attachment's Publisher: and Doc-No:) */
	for (i = 1; i < h->nfield; i++)
		if (h->field[i].keylen == 8 && strncasecmp(h->field[i].key, "Encoding", 8) == 0)
			return DB_IN_HEADED;
	for (i = 1; i < h->nfield; i++)
		for (k = K_DOC + 1; k < K_NKEYS; k++)
			if (strlen(db_key_name[k]) == h->field[i].keylen &&
			    strncasecmp(db_key_name[k], h->field[i].key, h->field[i].keylen) == 0)
				return DB_IN_DEBOILED;
	return DB_IN_HEADED;
}

/* An already deboiled document: its header values, the body kept as is. */
void
keep_header_doc(const char *text, size_t len, const DocHeader *h, DbDoc *d)
{
	size_t i;
	int k;

	for (i = 0; i < h->nfield; i++)
		for (k = 0; k < K_NKEYS; k++)
			if (strlen(db_key_name[k]) == h->field[i].keylen &&
			    strncasecmp(db_key_name[k], h->field[i].key, h->field[i].keylen) == 0)
				doc_setval(d, k, h->field[i].val, h->field[i].vallen);
	buf_add(&d->body, text + h->body_off, len - h->body_off);
	if (d->body.len && d->body.s[d->body.len - 1] != '\n')
		buf_addc(&d->body, '\n');
}

void
count_body(DbDoc *d)
{
	const char *p, *end, *nl;

	d->lines = d->chars = 0;
	if (d->body.s == NULL)
		return;
	p = d->body.s;
	end = d->body.s + d->body.len;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		d->lines++;
		p = nl + 1;
	}
	d->chars = nchars(d->body.s, d->body.len);	/* the body is valid UTF-8 */
}
