/* Unit tests of common/doc: header lines, header parsing, streams, ids. */
#include "unit.h"
#include "buf.h"
#include "doc.h"
#include "err.h"

#include <stdlib.h>

static void
test_header_line(void)
{
	size_t k;

	CHECK(doc_header_line("Doc: x", 6, &k) && k == 3);
	CHECK(doc_header_line("Region-Code: 130300", 19, &k) && k == 11);
	CHECK(doc_header_line("Editor:", 7, &k) && k == 6);	/* empty value */
	CHECK(!doc_header_line("一、总体情况", strlen("一、总体情况"), &k));
	CHECK(!doc_header_line("http://x", 8, &k));		/* no space after ':' */
	CHECK(!doc_header_line("1a: b", 5, &k));
	CHECK(!doc_header_line(": b", 3, &k));
	CHECK(!doc_header_line("", 0, &k));
}

static void
test_header_parse(void)
{
	const char *t = "Doc: a\r\nTitle: 标题\nYear:\n\nbody 1\nbody 2\n";
	const char *plain = "第一行\nDoc: not a header\n";
	const char *unended = "Doc: a\nTitle: t\n正文\n";
	const char *only = "Doc: a\nTitle: t";
	DocHeader h;
	const char *v;
	size_t n;

	doc_header_parse(t, strlen(t), &h);
	CHECK(h.nfield == 3 && !h.unended);
	v = doc_header_get(&h, "doc", &n);
	CHECK(v && n == 1 && *v == 'a');		/* no '\r' in the value */
	v = doc_header_get(&h, "Title", &n);
	CHECK(v && n == strlen("标题"));
	v = doc_header_get(&h, "Year", &n);
	CHECK(v && n == 0);
	CHECK(doc_header_get(&h, "Region", &n) == NULL);
	CHECK_STR(t + h.body_off, "body 1\nbody 2\n");
	CHECK(h.body_line == 5);

	doc_header_parse(plain, strlen(plain), &h);
	CHECK(h.nfield == 0 && h.body_off == 0 && h.body_line == 1);
	doc_header_parse(unended, strlen(unended), &h);
	CHECK(h.nfield == 2 && h.unended && strcmp(unended + h.body_off, "正文\n") == 0);
	doc_header_parse(only, strlen(only), &h);
	CHECK(h.nfield == 2 && h.body_off == strlen(only));
	doc_header_parse("Doc: a\n", 7, &h);
	CHECK(h.nfield == 1 && h.body_off == 7);
	doc_header_parse("", 0, &h);
	CHECK(h.nfield == 0 && h.body_off == 0);
}

static void
test_stream(void)
{
	Buf b = BUF_INIT;
	unsigned long count = 0;
	size_t len, next, off = 0;
	const char *docs[] = {"Doc: a\n\nx\n", "Doc: b\n\ny", "Doc: c\n\n\x1e in text\nz\x1e\n"};
	int i;

	for (i = 0; i < 3; i++) {
		doc_stream_begin(&b, &count);
		buf_adds(&b, docs[i]);
	}
	CHECK(count == 3);
	CHECK_STR(b.s, "Doc: a\n\nx\n\x1e\nDoc: b\n\ny\n\x1e\nDoc: c\n\n\x1e in text\nz\x1e\n");
	len = doc_stream_next(b.s, b.len, &next);
	CHECK_MEM(b.s, len, "Doc: a\n\nx\n", strlen("Doc: a\n\nx\n"));
	off = next;
	len = doc_stream_next(b.s + off, b.len - off, &next);
	CHECK_MEM(b.s + off, len, "Doc: b\n\ny\n", strlen("Doc: b\n\ny\n"));
	off += next;
	len = doc_stream_next(b.s + off, b.len - off, &next);
	CHECK(len == strlen(docs[2]) && off + next == b.len);	/* 0x1E inside lines is text */
	/* a separator with CRLF, and one at the very end */
	len = doc_stream_next("a\n\x1e\r\nb", 7, &next);
	CHECK(len == 2 && next == 5);
	len = doc_stream_next("a\n\x1e", 3, &next);
	CHECK(len == 2 && next == 3);
	len = doc_stream_next("", 0, &next);
	CHECK(len == 0 && next == 0);
	buf_free(&b);
}

static void
test_ids(void)
{
	const char *cases[][2] = {
		{"a/shang.2020.txt", "shang.2020"}, {"report.txt", "report"},
		{"report.v2.txt", "report.v2"}, {"x/report.v2.html.gz", "report.v2"},
		{"x.tar", "x.tar"}, {"-", "-"}, {".txt", ".txt"}, {"a.TXT", "a"},
		{"dir/法治.shtml", "法治"}, {"noext", "noext"}, {"a.b.c.pdf", "a.b.c"},
		{"ID.raw", "ID"}, {"a.txt.txt", "a.txt"}, {"x/.gz", ".gz"}, {"a.", "a."},
	};
	size_t i;
	DocIds *ids;
	char *id;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		id = doc_id_from_path(cases[i][0]);
		CHECK_STR(id, cases[i][1]);
		free(id);
	}
	ids = doc_ids_new();
	CHECK_STR(doc_ids_unique(ids, "x"), "x");
	CHECK_STR(doc_ids_unique(ids, "x-2"), "x-2");
	CHECK_STR(doc_ids_unique(ids, "x"), "x-3");
	CHECK_STR(doc_ids_unique(ids, "y"), "y");
	for (i = 0; i < 500; i++)		/* grows */
		doc_ids_unique(ids, "z");
	CHECK_STR(doc_ids_unique(ids, "z"), "z-501");
	CHECK(doc_ids_seen(ids, "z-501") == 1 && doc_ids_seen(ids, "new") == 0 &&
	      doc_ids_seen(ids, "new") == 1);
	doc_ids_free(ids);
}

static void
test_put(void)
{
	Buf b = BUF_INIT;

	doc_header_put(&b, "Title", "a\nb\x1e" "c\r", 6);
	CHECK_STR(b.s, "Title: a b c \n");
	buf_free(&b);
}

int
main(void)
{
	setprogname("test_doc");
	test_header_line();
	test_header_parse();
	test_stream();
	test_ids();
	test_put();
	UNIT_END("doc");
}
