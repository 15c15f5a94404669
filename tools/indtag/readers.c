/* readers.c: indtag's inputs: a file read whole, refused when binary or
 * UTF-16, its invalid UTF-8 repaired, then tagged as a document (a header
 * of Key: value lines, then the body) or as the sections TSV of secsplit
 * (each row's text, with its heading as context). */
#include "indtag_int.h"
#include "cli.h"
#include "err.h"
#include "input.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fast_valid(const unsigned char *s, size_t n);
static size_t repair_utf8(Buf *b);
static char *doc_from_path(const char *path);
static int header_line(const char *s, size_t n, const char **key, size_t *klen, const char **vs,
		       size_t *vl);
static void tag_document(Tagger *t, const char *path, Buf *b, Emit *e);
static int tag_sections(Tagger *t, const char *path, Buf *b, Emit *e);

static const char *const header_keys[] = {
	"Doc", "Title", "Region", "Region-Code", "Province", "Year", "Type", "Date", "Source",
	"Publisher", "Index-No", "Doc-No", "Author", "Editor", "Keywords", "Removed", NULL
};

/* Valid UTF-8 without NUL? The common 3-byte CJK case inline, the rest by
 * utf8_decode. */
static int
fast_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			if (c == 0)
				return 0;
			i++;
		} else if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && i + 2 < n &&
			   (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
		} else {
			int l = utf8_decode(s + i, n - i, &cp);

			if (l < 0)
				return 0;
			i += (size_t)l;
		}
	}
	return 1;
}

/* Replace invalid UTF-8 bytes and NULs by U+FFFD (one character each, so
 * character offsets do not move). Returns how many were replaced. */
static size_t
repair_utf8(Buf *b)
{
	size_t i = 0, bad = 0;
	Buf out = BUF_INIT;
	uint32_t cp;

	if (fast_valid((const unsigned char *)b->s, b->len))
		return 0;
	while (i < b->len) {
		int l = utf8_decode((const unsigned char *)b->s + i, b->len - i, &cp);

		if (l < 0 || cp == 0) {
			buf_adds(&out, "\xEF\xBF\xBD");
			bad++;
			i++;
		} else {
			buf_add(&out, b->s + i, (size_t)l);
			i += (size_t)l;
		}
	}
	buf_free(b);
	*b = out;
	return bad;
}

/* Doc id from a path: base name without extensions; "-" for stdin. */
static char *
doc_from_path(const char *path)
{
	const char *base;
	char *d, *dot;

	if (path == NULL || strcmp(path, "-") == 0)
		return xstrdup("-");
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	d = xstrdup(base);
	dot = strchr(d + (d[0] == '.'), '.');
	if (dot)
		*dot = '\0';
	return d;
}

/* "Key: value" with a key of the document contract? Sets *vs to the value. */
static int
header_line(const char *s, size_t n, const char **key, size_t *klen, const char **vs, size_t *vl)
{
	const char *colon = memchr(s, ':', n);
	int i;

	if (colon == NULL || colon + 1 >= s + n || colon[1] != ' ')
		return 0;
	for (i = 0; header_keys[i]; i++) {
		size_t k = strlen(header_keys[i]);

		if ((size_t)(colon - s) == k && memcmp(s, header_keys[i], k) == 0) {
			*key = s;
			*klen = k;
			*vs = colon + 2;
			*vl = (size_t)(s + n - (colon + 2));
			return 1;
		}
	}
	return 0;
}

static void
tag_document(Tagger *t, const char *path, Buf *b, Emit *e)
{
	size_t pos = 0, body = 0;
	char *doc = NULL, *region = NULL, *year = NULL, *fallback;
	int has_header = 0;

	/* header: Key: value lines, then one empty line */
	for (;;) {
		const char *nl = memchr(b->s + pos, '\n', b->len - pos);
		size_t end = nl ? (size_t)(nl - b->s) : b->len, ll = end - pos;
		const char *k, *v;
		size_t kl, vl;

		if (ll > 0 && b->s[end - 1] == '\r')
			ll--;
		if (ll == 0 && pos > 0) {
			has_header = 1;
			body = nl ? end + 1 : b->len;
			break;
		}
		if (!header_line(b->s + pos, ll, &k, &kl, &v, &vl))
			break;
		if (kl == 3 && memcmp(k, "Doc", 3) == 0 && !doc)
			doc = xstrndup(v, vl);
		else if (kl == 6 && memcmp(k, "Region", 6) == 0 && !region)
			region = xstrndup(v, vl);
		else if (kl == 4 && memcmp(k, "Year", 4) == 0 && !year)
			year = xstrndup(v, vl);
		if (!nl)
			break;
		pos = end + 1;
	}
	if (!has_header) {
		free(doc);
		free(region);
		free(year);
		doc = region = year = NULL;
		body = 0;
	}
	fallback = doc_from_path(path);
	indtag_set_doc(e, doc ? doc : fallback);
	e->region = region;
	e->year = year;
	e->part = e->path = NULL;
	e->base = 0;
	indtag_text(t, b->s + body, b->len - body, NULL, 0, indtag_emit_row, e);
	free(doc);
	free(region);
	free(year);
	free(fallback);
}

/* The sections TSV of secsplit: tag each row's text. Returns 0, or -1 when
 * some row was malformed (reported; the other rows are still tagged). */
static int
tag_sections(Tagger *t, const char *path, Buf *b, Emit *e)
{
	static const char *const need[] = {"doc", "region", "year", "part", "path", "heading",
					    "start", "text", NULL};
	Fields f = FIELDS_INIT;
	long col[8];
	size_t pos = 0, i, lineno = 0, need_n;
	int status = 0, header = 1;

	while (pos < b->len) {
		char *line = b->s + pos;
		char *nl = memchr(line, '\n', b->len - pos);
		size_t ll = nl ? (size_t)(nl - line) : b->len - pos;

		pos += ll + (nl != NULL);
		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			continue;
		line[ll] = '\0';
		tsv_split(line, ll, &f);
		if (header) {
			for (i = 0; need[i]; i++) {
				col[i] = tsv_find_column(&f, need[i]);
				if (col[i] < 0) {
					warnat(path, lineno, "sections table has no column '%s'", need[i]);
					fields_free(&f);
					return -1;
				}
			}
			header = 0;
			continue;
		}
		need_n = 0;
		for (i = 0; need[i]; i++)
			if ((size_t)col[i] + 1 > need_n)
				need_n = (size_t)col[i] + 1;
		if (f.n < need_n) {
			warnat(path, lineno, "%zu fields, expected at least %zu: row skipped", f.n, need_n);
			status = -1;
			continue;
		}
		{
			long tl, hl;
			char *end;
			Field *tx = &f.f[col[7]], *hd = &f.f[col[5]], *st = &f.f[col[6]];
			unsigned long long start;

			for (i = 0; i < 5; i++)
				f.f[col[i]].s[f.f[col[i]].len] = '\0';
			st->s[st->len] = '\0';
			start = strtoull(st->s, &end, 10);
			tl = tsv_unescape(tx->s, tx->len);
			hl = tsv_unescape(hd->s, hd->len);
			if (st->len == 0 || *end != '\0' || tl < 0 || hl < 0) {
				warnat(path, lineno, "bad start offset or escape: row skipped");
				status = -1;
				continue;
			}
			for (i = 0; i < 5; i++) {
				long l = tsv_unescape(f.f[col[i]].s, f.f[col[i]].len);

				f.f[col[i]].s[l < 0 ? 0 : l] = '\0';
			}
			indtag_set_doc(e, f.f[col[0]].s);
			e->region = f.f[col[1]].s;
			e->year = f.f[col[2]].s;
			e->part = f.f[col[3]].s;
			e->path = f.f[col[4]].s;
			e->base = (size_t)start;
			indtag_text(t, tx->s, (size_t)tl, hd->s, (size_t)hl, indtag_emit_row, e);
		}
	}
	if (header) {
		warnat(path, 0, "empty sections table");
		status = -1;
	}
	fields_free(&f);
	return status;
}

int
indtag_process(Tagger *t, const char *path, Out *o, const Opts *opt)
{
	Buf b = BUF_INIT;
	Emit e;
	size_t bad, probe;
	int status = 0;
	char *opath = NULL;

	if (read_whole_file(path, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	if (b.s == NULL) {	/* an empty file: make b.s a valid "" */
		buf_addc(&b, 'x');
		buf_clear(&b);
		b.s[0] = '\0';
	}
	probe = b.len < 4096 ? b.len : 4096;
	if (probe > 0 && memchr(b.s, '\0', probe)) {
		if (b.len >= 2 && (((unsigned char)b.s[0] == 0xFF && (unsigned char)b.s[1] == 0xFE) ||
				   ((unsigned char)b.s[0] == 0xFE && (unsigned char)b.s[1] == 0xFF)))
			warnat(display_name(path), 0, "UTF-16 text, not UTF-8 (convert it with encfix): skipped");
		else
			warnat(display_name(path), 0, "binary data (NUL bytes), not text: skipped");
		buf_free(&b);
		return -1;
	}
	/* --numbers prints no input text: the scan itself tells valid UTF-8
	 * from invalid (offsets count an invalid byte as one character) */
	bad = opt->numbers ? 0 : repair_utf8(&b);
	if (bad)
		warnat(display_name(path), 0, "%zu invalid UTF-8 or NUL bytes read as U+FFFD%s", bad,
		       bad > b.len / 20 ? " (not UTF-8? convert it with encfix)" : "");
	if (opt->outdir) {
		opath = out_path_for(opt->outdir, path, ".tsv");
		o = out_create_atomic(opath);
		if (o == NULL) {
			free(opath);
			buf_free(&b);
			return -1;
		}
		indtag_put_header(o, opt);
	}
	memset(&e, 0, sizeof e);
	e.o = o;
	e.opt = opt;
	if (b.len >= 19 && memcmp(b.s, "doc\tregion\tyear\tseq", 19) == 0)
		status = tag_sections(t, display_name(path), &b, &e);
	else
		tag_document(t, path, &b, &e);
	if ((probe = indtag_overlong()) > 0)
		warnat(display_name(path), 0, "%zu numbers of more than 38 digits skipped", probe);
	if ((probe = indtag_limit_hits()) > 0)
		warnat(display_name(path), 0, "%zu rule matches stopped by the pcre2 match limit and"
		       " taken as no match (a rule with nested repeats?)", probe);
	if (opt->outdir) {
		if (out_commit(o) != 0)
			status = -1;
	}
	free(opath);
	buf_free(&e.row);
	buf_free(&e.docf);
	buf_free(&b);
	return status;
}
