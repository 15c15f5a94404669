/* ids.c: the document id of a raw file's path below IN (see usage() in
 * main.c for the rule), made unique over the corpus; the id order. */
#include "sync.h"

#include "buf.h"
#include "doc.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int id_char(uint32_t cp);
static int cmp_doc(const void *a, const void *b);
static int cmp_doc_rel(const void *a, const void *b);
static int split_equal_ids(Docs *docs, unsigned round);

int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_doc(const void *a, const void *b)
{
	return strcmp(((const Doc *)a)->id, ((const Doc *)b)->id);
}

static int
cmp_doc_rel(const void *a, const void *b)
{
	int c = cmp_doc(a, b);

	return c ? c : strcmp(((const Doc *)a)->rel, ((const Doc *)b)->rel);
}

/* Whether the character cp may stand in an id: ASCII letters, digits,
 * _ . -, and the letters and digits of other scripts (the ranges below),
 * not punctuation, spaces, symbols or controls. */
static int
id_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9') || cp == '_' || cp == '.' || cp == '-';
	return uc_is_cjk(cp) ||
	       (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) ||	/* Latin */
	       (cp >= 0x370 && cp <= 0x1fff) ||		/* Greek, Cyrillic ... other alphabets */
	       (cp >= 0x3040 && cp <= 0x30ff) ||	/* kana */
	       (cp >= 0xac00 && cp <= 0xd7af) ||	/* Hangul */
	       (cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 && cp <= 0xff3a) ||
	       (cp >= 0xff41 && cp <= 0xff5a);		/* full-width letters, digits */
}

/* The document id of the path below IN (see usage()). */
char *
doc_id(const char *rel)
{
	size_t n = doc_path_stem(rel, strlen(rel)), i;	/* common/doc's rule */
	Buf flat = BUF_INIT, safe = BUF_INIT;
	int plain, l;
	size_t chars = 0;

	for (i = 0; i < n; i++) {
		if (rel[i] == '/')
			buf_add(&flat, "__", 2);
		else
			buf_addc(&flat, rel[i]);
	}
	/* Unsafe characters (an invalid byte, or a character id_char refuses)
	 * become _, the leading - and . go, at most ID_MAX_HASHED characters;
	 * the id is that plus the hash of the whole path, unless nothing had
	 * to change. */
	plain = flat.len > 0 && flat.len <= ID_MAX_PLAIN;
	for (i = 0; i < flat.len; i += l > 0 ? (size_t)l : 1) {
		uint32_t cp;
		int ok, lead;

		l = utf8_decode((const unsigned char *)flat.s + i, flat.len - i, &cp);
		ok = l > 0 && id_char(cp);
		lead = ok && safe.len == 0 && (cp == '-' || cp == '.');

		if (!ok || lead)
			plain = 0;
		if (lead || chars >= ID_MAX_HASHED)
			continue;
		if (ok)
			buf_add(&safe, flat.s + i, (size_t)l);
		else
			buf_addc(&safe, '_');
		chars++;
	}
	if (plain) {
		buf_free(&safe);
		return buf_detach(&flat);
	}
	if (safe.len == 0)
		buf_adds(&safe, "doc");
	buf_addf(&safe, "-%08lx", (unsigned long)crc32_of(rel));
	buf_free(&flat);
	return buf_detach(&safe);
}

uint32_t
crc32_of(const char *s)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), (const Bytef *)s, (uInt)strlen(s));
}

const Doc *
find_doc(const Docs *docs, const char *id)
{
	Doc key;

	key.id = (char *)id;
	return bsearch(&key, docs->d, docs->n, sizeof *docs->d, cmp_doc);
}

/* Two documents or more with one id (a.txt and a.txt.gz; or a file named
 * like another's hashed id) all get a hash of their path, salted with the
 * round after the first: 1 when there were, else 0. docs sorted by id, then
 * path. */
static int
split_equal_ids(Docs *docs, unsigned round)
{
	size_t i, j, k;
	int any = 0;

	for (i = 0; i < docs->n; i = j) {
		for (j = i + 1; j < docs->n && strcmp(docs->d[i].id, docs->d[j].id) == 0; j++)
			;
		for (k = i; j - i > 1 && k < j; k++) {
			Buf id = BUF_INIT, salted = BUF_INIT;

			buf_adds(&salted, docs->d[k].rel);
			if (round > 0)
				buf_addf(&salted, "#%u", round);
			buf_adds(&id, docs->d[k].id);
			buf_addf(&id, "-%08lx", (unsigned long)crc32_of(salted.s));
			free(docs->d[k].id);
			docs->d[k].id = buf_detach(&id);
			buf_free(&salted);
			any = 1;
		}
	}
	return any;
}

/* The documents' ids, unique; then sorted by id. */
void
assign_ids(Docs *docs)
{
	size_t i;
	unsigned round = 0;

	for (i = 0; i < docs->n; i++)
		docs->d[i].id = doc_id(docs->d[i].rel);
	do
		qsort(docs->d, docs->n, sizeof *docs->d, cmp_doc_rel);
	while (split_equal_ids(docs, round++));
	qsort(docs->d, docs->n, sizeof *docs->d, cmp_doc);
}
