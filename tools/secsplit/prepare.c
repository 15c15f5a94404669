/* prepare.c: secsplit's input documents: the checks and repairs of the raw
 * bytes (BOM, CR, NUL, invalid UTF-8, binary), the header fields, and Doc
 * (ss_prepare, ss_header; the header's rules and ids from paths are
 * common/doc's). */
#include "secsplit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scan_input(const unsigned char *s, size_t n, int *repair);
static void repair(SsDoc *doc, Buf *norm, const unsigned char *s, size_t len);

/* --- documents ---------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s[0..n), or 0. Inline for speed:
 * this runs over every byte of every input. */
static inline size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xE1 && c <= 0xEC && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
		return 3;	/* the common case: CJK */
	{
		uint32_t cp;
		int l = utf8_decode(s, n, &cp);

		return l < 0 ? 0 : (size_t)l;
	}
}

/* Scan: counts of control bytes and invalid sequences in the first 64 KiB
 * (binary or not UTF-8?), and whether anything at all needs a repair. */
static const char *
scan_input(const unsigned char *s, size_t n, int *repair)
{
	size_t i = 0, ctrl = 0, bad = 0, lim = n < 65536 ? n : 65536;

	*repair = n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
	while (i < n) {
		unsigned char b = s[i];
		size_t l;

		if (b >= 0x20 && b < 0x80) {
			i++;
			continue;
		}
		if (b < 0x80) {
			if (b == '\r' || b == 0)
				*repair = 1;
			if (i < lim && ((b != '\t' && b != '\n' && b != '\r' && b != '\f' &&
					 b != '\v' && b != 0x1b) || b == 0x7f))
				ctrl++;
			i++;
			continue;
		}
		if ((l = utf8_seq(s + i, n - i)) == 0) {
			*repair = 1;
			if (i < lim && !(lim < n && lim - i < 4))
				bad++;	/* not one cut by the sample's end */
			l = 1;
		}
		i += l;
	}
	/* a stray NUL is repaired; pictures, archives, UTF-16 are refused */
	if (ctrl * 10 > lim || (ctrl >= 8 && ctrl * 100 > lim))
		return "binary data";
	if (bad * 20 > lim)
		return "not UTF-8 text (convert it first, e.g. with deboiler)";
	return NULL;
}

/* The repaired copy of s[0..len) into norm. */
static void
repair(SsDoc *doc, Buf *norm, const unsigned char *s, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	buf_grow(norm, len - i + 16);
	while (i < len) {
		/* copy a run of plain bytes at once */
		size_t j = i, l;

		for (;;) {
			if (j < len && ((s[j] >= 0x20 && s[j] < 0x80) || s[j] == '\n' || s[j] == '\t'))
				j++;
			else if (j < len && s[j] >= 0x80 && (l = utf8_seq(s + j, len - j)) > 0)
				j += l;
			else
				break;
		}
		if (j > i) {
			buf_add(norm, s + i, j - i);
			i = j;
			continue;
		}
		if (s[i] == '\r') {
			buf_addc(norm, '\n');
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
		} else if (s[i] == 0) {
			buf_add(norm, "\xef\xbf\xbd", 3);
			doc->nul++;
			i++;
		} else if (s[i] < 0x80) {
			buf_addc(norm, s[i]);
			i++;
		} else {
			buf_add(norm, "\xef\xbf\xbd", 3);
			doc->bad_utf8++;
			i++;
		}
	}
}

int
ss_prepare(SsDoc *doc, Buf *norm, const char *data, size_t len, const char *name)
{
	const unsigned char *s = (const unsigned char *)data;
	const char *text;
	size_t start, tlen;
	unsigned long line;
	int needs_repair;

	memset(doc, 0, sizeof *doc);
	snprintf(doc->doc, sizeof doc->doc, "%s", name ? name : "-");
	buf_clear(norm);
	if ((doc->error = scan_input(s, len, &needs_repair)) != NULL)
		return -1;
	if (needs_repair) {
		repair(doc, norm, s, len);
		text = norm->s;
		tlen = norm->len;
	} else {
		text = data;	/* clean input is used in place */
		tlen = len;
	}
	/* the header: common/doc's rules, as in every tool */
	doc_header_parse(text, tlen, &doc->hdr);
	doc->header_unended = doc->hdr.unended;
	start = doc->hdr.body_off;
	line = doc->hdr.body_line;
	{
		size_t n;
		const char *d = ss_header(doc, "Doc", &n);

		if (d && n > 0)
			snprintf(doc->doc, sizeof doc->doc, "%.*s", (int)n, d);
	}
	doc->body = text + start;
	doc->bodylen = tlen - start;
	doc->body_line = line;
	return 0;
}

const char *
ss_header(const SsDoc *doc, const char *key, size_t *n)
{
	return doc_header_get(&doc->hdr, key, n);
}
