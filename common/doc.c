/* doc.c: documents, headers, streams and document ids (the contract of
 * doc.h). The one place these rules live: every tool and pipeline-sync use
 * them. */
#include "doc.h"
#include "err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const doc_key_names[DK_NKEYS] = {
	"Doc", "Title", "Region", "Region-Code", "Province", "Year", "Type",
	"Date", "Source", "Publisher", "Index-No", "Doc-No", "Author", "Editor",
	"Keywords", "Removed"
};

/* Extensions dropped from a name to make its id (after a trailing .gz). */
static const char *const id_exts[] = {
	"txt", "text", "html", "htm", "shtml", "xhtml", "jsp", "asp", "aspx", "php",
	"xml", "raw", "tsv", "pdf", "doc", "docx", "wps", NULL
};

static int
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int
doc_header_line(const char *s, size_t n, size_t *keylen)
{
	size_t i = 1;

	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	while (i < n && i < DOC_KEY_MAX &&
	       (is_alpha((unsigned char)s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	if (i >= n || s[i] != ':')
		return 0;
	if (i + 1 < n && s[i + 1] != ' ' && !(s[i + 1] == '\r' && i + 2 == n))
		return 0;
	*keylen = i;
	return 1;
}

void
doc_header_parse(const char *text, size_t len, DocHeader *h)
{
	size_t p = 0;
	unsigned long line = 1;

	memset(h, 0, sizeof *h);
	h->body_line = 1;
	while (p < len) {
		const char *t = text + p;
		const char *nl = memchr(t, '\n', len - p);
		size_t e = nl ? (size_t)(nl - text) : len, ll = e - p, kl;

		if (ll > 0 && text[e - 1] == '\r')
			ll--;
		if (ll == 0 && p > 0) {		/* the empty line ending the header */
			h->body_off = nl ? e + 1 : len;
			h->body_line = line + 1;
			return;
		}
		if (!doc_header_line(t, ll, &kl)) {
			if (p > 0) {		/* header lines, then text */
				h->unended = 1;
				h->body_off = p;
				h->body_line = line;
			}
			return;
		}
		if (h->nfield < DOC_FIELDS_MAX) {
			DocField *f = &h->field[h->nfield++];
			size_t v = p + kl + 1;

			while (v < p + ll && text[v] == ' ')
				v++;
			f->key = t;
			f->keylen = kl;
			f->val = text + v;
			f->vallen = p + ll - v;
		}
		line++;
		if (!nl) {			/* a header and no body */
			h->body_off = len;
			h->body_line = line;
			return;
		}
		p = e + 1;
	}
	if (h->nfield > 0) {		/* header lines up to the end, no body */
		h->body_off = len;
		h->body_line = line;
	}
}

const char *
doc_header_get(const DocHeader *h, const char *key, size_t *n)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < h->nfield; i++) {
		const DocField *f = &h->field[i];

		if (f->keylen == kl && strncasecmp(f->key, key, kl) == 0) {
			*n = f->vallen;
			return f->val;
		}
	}
	*n = 0;
	return NULL;
}

void
doc_header_put(Buf *out, const char *key, const char *val, size_t n)
{
	size_t i, start;

	buf_adds(out, key);
	buf_add(out, ": ", 2);
	start = out->len;
	buf_add(out, val, n);
	for (i = start; i < out->len; i++)
		if (out->s[i] == '\n' || out->s[i] == '\r' || out->s[i] == DOC_SEPARATOR[0])
			out->s[i] = ' ';
	buf_addc(out, '\n');
}

size_t
doc_stream_next(const char *s, size_t len, size_t *next)
{
	const char *p = s, *end = s + len;

	/* a separator line: "\x1e" alone (or "\x1e\r") after a newline */
	while ((p = memchr(p, DOC_SEPARATOR[0], (size_t)(end - p))) != NULL) {
		const char *after = p + 1;

		if (after < end && *after == '\r')
			after++;
		if ((p == s || p[-1] == '\n') && (after == end || *after == '\n')) {
			*next = (size_t)(after - s) + (after < end);
			return (size_t)(p - s);
		}
		p++;
	}
	*next = len;
	return len;
}

void
doc_stream_begin(Buf *out, unsigned long *count)
{
	if (*count > 0) {
		if (out->len > 0 && out->s[out->len - 1] != '\n')
			buf_addc(out, '\n');
		buf_add(out, DOC_SEPARATOR "\n", 2);
	}
	(*count)++;
}

size_t
doc_path_stem(const char *path, size_t n)
{
	const char *base, *dot, *end;
	int i;

	for (base = path + n; base > path && base[-1] != '/'; base--)
		;
	if ((size_t)(path + n - base) > 3 && strncasecmp(path + n - 3, ".gz", 3) == 0)
		n -= 3;
	end = path + n;
	for (dot = end; dot > base && dot[-1] != '.'; dot--)
		;
	if (dot > base + 1) {		/* a dot that is not the name's first character */
		for (i = 0; id_exts[i]; i++)
			if (strlen(id_exts[i]) == (size_t)(end - dot) &&
			    strncasecmp(dot, id_exts[i], (size_t)(end - dot)) == 0)
				return (size_t)(dot - 1 - path);
	}
	return n;
}

char *
doc_id_from_path(const char *path)
{
	const char *base;
	size_t n;

	if (path == NULL || strcmp(path, "-") == 0)
		return xstrdup("-");
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	n = doc_path_stem(base, strlen(base));
	return n ? xstrndup(base, n) : xstrdup("-");
}

/* --- distinct ids: an open-addressing set of the ids given out --------- */

struct DocIds {
	char **slot;
	size_t cap, n;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static char **
ids_find(const DocIds *ids, const char *id)
{
	size_t i = (size_t)hash_str(id) & (ids->cap - 1);

	while (ids->slot[i] && strcmp(ids->slot[i], id) != 0)
		i = (i + 1) & (ids->cap - 1);
	return &ids->slot[i];
}

static void
ids_grow(DocIds *ids)
{
	DocIds bigger = {xcalloc(ids->cap * 2, sizeof(char *)), ids->cap * 2, ids->n};
	size_t i;

	for (i = 0; i < ids->cap; i++)
		if (ids->slot[i])
			*ids_find(&bigger, ids->slot[i]) = ids->slot[i];
	free(ids->slot);
	*ids = bigger;
}

DocIds *
doc_ids_new(void)
{
	DocIds *ids = xmalloc(sizeof *ids);

	ids->cap = 64;
	ids->n = 0;
	ids->slot = xcalloc(ids->cap, sizeof(char *));
	return ids;
}

const char *
doc_ids_unique(DocIds *ids, const char *id)
{
	char **s;
	char *mine;
	unsigned long k;

	if (2 * (ids->n + 1) > ids->cap)
		ids_grow(ids);
	s = ids_find(ids, id);
	if (*s == NULL) {
		ids->n++;
		return *s = xstrdup(id);
	}
	mine = xmalloc(strlen(id) + 24);
	for (k = 2;; k++) {
		sprintf(mine, "%s-%lu", id, k);
		s = ids_find(ids, mine);
		if (*s == NULL)
			break;
	}
	ids->n++;
	return *s = mine;
}

int
doc_ids_seen(DocIds *ids, const char *id)
{
	char **s;

	if (2 * (ids->n + 1) > ids->cap)
		ids_grow(ids);
	s = ids_find(ids, id);
	if (*s)
		return 1;
	*s = xstrdup(id);
	ids->n++;
	return 0;
}

void
doc_ids_free(DocIds *ids)
{
	size_t i;

	if (!ids)
		return;
	for (i = 0; i < ids->cap; i++)
		free(ids->slot[i]);
	free(ids->slot);
	free(ids);
}
