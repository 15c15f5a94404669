/* readers.c: indtag's inputs: a file read whole, refused when binary or
 * UTF-16, its invalid UTF-8 repaired, then tagged as a document (a header
 * of Key: value lines, then the body) or as the sections TSV of secsplit
 * (each row's text, with its heading as context). */
#include "indtag_int.h"
#include "cli.h"
#include "doc.h"
#include "err.h"
#include "input.h"
#include "tsv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fast_valid(const unsigned char *s, size_t n);
static size_t repair_utf8(Buf *b);
static int tag_one(Tagger *t, Run *run, const char *path, const char *text, size_t len,
		   const char *fallback, Emit *e);
static int tag_document(Tagger *t, Run *run, const char *path, Buf *b, Emit *e, DocIds *ids);
static int tag_sections(Tagger *t, const char *path, Buf *b, Emit *e);
static void report_row(Run *run, const char *path, unsigned long ndocs, const Emit *e,
		       size_t repaired, int ok, const Buf *msg);

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

/* One document of a stream: its header (common/doc.h) gives the doc id,
 * region and year; the body is tagged, its rows going where the run says
 * (under -o, DIR/ID.tsv). A document without a header takes the id of its
 * path (fallback). 0, or -1 when its output was refused (reported). */
static int
tag_one(Tagger *t, Run *run, const char *path, const char *text, size_t len, const char *fallback,
	Emit *e)
{
	DocHeader h;
	size_t n;
	const char *v;
	char *doc, *region, *year;
	int rc = 0;

	doc_header_parse(text, len, &h);
	if (h.unended)		/* header lines run into text: no header */
		h.nfield = 0, h.body_off = 0;
	v = doc_header_get(&h, "Doc", &n);
	doc = v ? xstrndup(v, n) : xstrdup(fallback);
	if ((e->o = run_open(run, path, doc)) == NULL) {
		free(doc);
		return -1;
	}
	v = doc_header_get(&h, "Region", &n);
	region = v ? xstrndup(v, n) : NULL;
	v = doc_header_get(&h, "Year", &n);
	year = v ? xstrndup(v, n) : NULL;
	indtag_set_doc(e, doc);
	e->region = region;
	e->year = year;
	e->part = e->path = NULL;
	e->base = 0;
	indtag_text(t, text + h.body_off, len - h.body_off, NULL, 0, indtag_emit_row, e);
	if (run_close(run, e->o) != 0)
		rc = -1;
	free(doc);
	free(region);
	free(year);
	return rc;
}

/* A stream of documents: each tagged; those without a Doc: header take the
 * id of the path, made distinct in the run (ids). Returns how many
 * documents were tagged, or -1 when some output was refused. */
static int
tag_document(Tagger *t, Run *run, const char *path, Buf *b, Emit *e, DocIds *ids)
{
	size_t off = 0, next, n;
	int ndocs = 0, failed = 0;

	do {
		char *own = doc_id_from_path(path);

		n = doc_stream_next(b->s + off, b->len - off, &next);
		if (tag_one(t, run, path, b->s + off, n, doc_ids_unique(ids, own), e) < 0)
			failed = 1;
		else
			ndocs++;
		free(own);
		off += next;
	} while (off < b->len);
	return failed ? -1 : ndocs;
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

/* The --report row of one input (INDTAG_REPORT_HEADER). */
static void
report_row(Run *run, const char *path, unsigned long ndocs, const Emit *e, size_t repaired, int ok,
	   const Buf *msg)
{
	Buf b = BUF_INIT;
	const char *name = path && strcmp(path, "-") != 0 ? path : "-";

	if (!run_has_report(run))
		return;
	buf_grow(&b, 2 * strlen(name) + 2 * msg->len + 128);
	b.len = tsv_escape_to(b.s, name, strlen(name));
	buf_addf(&b, "\t%lu\t%llu\t%llu\t%zu\t%s\t", ndocs, e->n, e->nother, repaired,
		 ok ? "ok" : "failed");
	if (msg->len) {
		buf_grow(&b, 2 * msg->len + 2);
		b.len += tsv_escape_to(b.s + b.len, msg->s, msg->len);
	} else {
		buf_addc(&b, '-');
	}
	buf_addc(&b, '\n');
	run_report(run, b.s, b.len);
	buf_free(&b);
}

/* A warning about one input: on stderr unless -q, and in its report
 * row's message. */
static void
note(const Opts *opt, Buf *msg, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void
note(const Opts *opt, Buf *msg, const char *path, const char *fmt, ...)
{
	va_list ap;
	size_t at = msg->len;

	if (msg->len)
		buf_adds(msg, "; ");
	at = msg->len;
	va_start(ap, fmt);
	buf_vaddf(msg, fmt, ap);
	va_end(ap);
	if (!opt->quiet)
		warnat(display_name(path), 0, "%s", msg->s + at);
}

int
indtag_process(Tagger *t, const char *path, Run *run, const Opts *opt)
{
	Buf b = BUF_INIT, msg = BUF_INIT;
	Emit e;
	size_t bad, probe;
	int status = 0, ndocs = 0;
	static DocIds *ids;

	memset(&e, 0, sizeof e);
	e.opt = opt;
	if (!ids)
		ids = doc_ids_new();
	if (read_whole_file(path, &b) != 0) {
		buf_adds(&msg, "cannot read the file");
		report_row(run, path, 0, &e, 0, 0, &msg);
		buf_free(&msg);
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
			buf_adds(&msg, "UTF-16 text, not UTF-8 (convert it with encfix): skipped");
		else
			buf_adds(&msg, "binary data (NUL bytes), not text: skipped");
		warnat(display_name(path), 0, "%s", msg.s);
		report_row(run, path, 0, &e, 0, 0, &msg);
		buf_free(&msg);
		buf_free(&b);
		return -1;
	}
	/* --numbers prints no input text: the scan itself tells valid UTF-8
	 * from invalid (offsets count an invalid byte as one character) */
	bad = opt->numbers ? 0 : repair_utf8(&b);
	if (bad)
		note(opt, &msg, path, "%zu invalid UTF-8 or NUL bytes read as U+FFFD%s", bad,
		     bad > b.len / 20 ? " (not UTF-8? convert it with encfix)" : "");
	if (b.len >= 19 && memcmp(b.s, "doc\tregion\tyear\tseq", 19) == 0) {
		/* a sections table: one output for the input, named by its path */
		char *own = doc_id_from_path(path);

		if ((e.o = run_open(run, path, doc_ids_unique(ids, own))) == NULL) {
			status = -1;
		} else {
			status = tag_sections(t, display_name(path), &b, &e);
			if (run_close(run, e.o) != 0)
				status = -1;
			ndocs = 1;
		}
		free(own);
	} else if ((ndocs = tag_document(t, run, path, &b, &e, ids)) < 0) {
		status = -1;
		ndocs = 0;
	}
	if ((probe = indtag_overlong()) > 0)
		note(opt, &msg, path, "%zu numbers of more than 38 digits skipped", probe);
	if ((probe = indtag_limit_hits()) > 0)
		note(opt, &msg, path, "%zu rule matches stopped by the pcre2 match limit and"
		     " taken as no match (a rule with nested repeats?)", probe);
	report_row(run, path, (unsigned long)ndocs, &e, bad, status == 0, &msg);
	buf_free(&e.row);
	buf_free(&e.docf);
	buf_free(&msg);
	buf_free(&b);
	return status;
}
