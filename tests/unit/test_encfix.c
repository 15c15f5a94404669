/* test_encfix: the encfix core (tools/encfix/, linked as its library
 * build/.../tools/encfix/lib.a) on memory buffers, through encfix.h. */
#include "encfix.h"

#include "input.h"
#include "unit.h"

#include <iconv.h>
#include <string.h>

#define LIT(s) (s), (sizeof(s) - 1)	/* a literal and its length, NULs included */

static EncfixOpts opts = {EF_DEFAULT, NULL, 0, 0};

/* Convert s with o; the result as a static string, stats in *st. */
static const char *
conv(const EncfixOpts *o, const char *s, size_t n, EncfixStats *st)
{
	static Buf out;

	buf_clear(&out);
	if (encfix_buffer(o, (const unsigned char *)s, n, &out, st) < 0)
		return "(refused)";
	buf_addc(&out, 0);	/* NUL-terminate even when empty */
	return out.s;
}

static const char *
conv_s(const char *s)
{
	EncfixStats st;

	return conv(&opts, s, strlen(s), &st);
}

/* s (UTF-8) in encoding enc, into b. */
static void
encode(const char *enc, const char *s, Buf *b)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	char *ip = (char *)s, *op;
	size_t il = strlen(s), ol;

	buf_clear(b);
	buf_grow(b, 4 * il + 8);
	op = b->s;
	ol = b->cap - 1;
	iconv(cd, &ip, &il, &op, &ol);
	b->len = (size_t)(op - b->s);
	iconv_close(cd);
}

static const char *
detect(const char *s, size_t n)
{
	static EncfixStats st;
	EncfixOpts o = opts;
	Buf out = BUF_INIT;

	o.detect_only = 1;
	if (encfix_buffer(&o, (const unsigned char *)s, n, &out, &st) < 0)
		return "(refused)";
	buf_free(&out);
	return st.encoding;
}

static void
test_samples_unchanged(void)
{
	const char *files[] = {
		"samples/000_38744af11d1313e7.txt", "samples/001_737b89c6e62b3a8d.txt",
		"samples/002_1c43591e52210f05.txt", "samples/003_878670cd2071e2bd.txt",
		"samples/004_32d0a951caa760a7.txt",
	};
	EncfixOpts simp = opts;

	simp.simplified = 1;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		Buf in = BUF_INIT, out = BUF_INIT;
		EncfixStats st;

		CHECK(read_whole_file(files[i], &in) == 0);
		buf_addc(&in, '\n');	/* the samples lack a final newline */
		in.len--;
		CHECK(encfix_buffer(&simp, (unsigned char *)in.s, in.len, &out, &st) == 0);
		/* fixed point: the samples are the target shape (plus "\n") */
		CHECK_MEM(out.s, out.len, in.s, in.len + 1);
		CHECK(st.repaired == 0 && st.invalid == 0 && st.simplified == 0);
		CHECK_STR(st.encoding, "UTF-8");
		CHECK_STR(st.script, "simplified");
		buf_free(&in);
		buf_free(&out);
	}
}

static void
test_normalise(void)
{
	EncfixStats st;
	EncfixOpts o = opts;
	const char *r;

	CHECK_STR(conv_s("，：；（）％０９ＡＺ！"), ",:;()%09AZ!\n");
	CHECK_STR(conv_s("、。“”《》【】"), "、。“”《》【】\n");
	CHECK_STR(conv_s("a\r\nb\rc\n"), "a\nb\nc\n");
	CHECK_STR(conv_s("\xef\xbb\xbf法治"), "法治\n");
	CHECK_STR(conv_s("x\xe2\x80\x8by\xc2\xadz\xe2\x81\xa0w\xef\xbb\xbfv"), "xyzwv\n");
	CHECK_STR(conv_s("行\xc2\xa0政"), "行\xc2\xa0政\n");	/* NBSP kept by default */
	o.steps |= EF_NBSP;
	CHECK_STR(conv(&o, LIT("行\xc2\xa0政"), &st), "行 政\n");
	CHECK_STR(conv_s("\xe3\x80\x80\xe3\x80\x80正文  \t\n    二行\n"), "正文\n二行\n");
	CHECK_STR(conv(&opts, LIT("a\x00" "b\x07" "c\x1b" "d\x7f" "e\xc2\x85" "f"), &st), "abcdef\n");
	r = conv(&opts, "a\0b\x01", 4, &st);
	CHECK_STR(r, "ab\n");
	CHECK(st.controls == 2);
	/* blank lines: padding undone, ordinary blank lines kept */
	CHECK_STR(conv_s("\n\nA\n\nB\n\nC\n\n\n"), "A\nB\nC\n");
	CHECK_STR(conv_s("A\nB\n\nC\n"), "A\nB\n\nC\n");
	CHECK_STR(conv_s("A\n\nB\n"), "A\n\nB\n");	/* two lines: not enough evidence */
	CHECK_STR(conv_s(""), "");
	CHECK_STR(conv_s("\n\n  \n"), "");
	/* --keep */
	o = opts;
	CHECK(encfix_parse_keep("fullwidth,indent", &o.steps, (char[16]){0}, 16) == 0);
	CHECK_STR(conv(&o, LIT("\xe3\x80\x80（１）"), &st), "\xe3\x80\x80（１）\n");
	{
		char bad[16];

		CHECK(encfix_parse_keep("fullwidth,bogus", &o.steps, bad, sizeof bad) == -1);
		CHECK_STR(bad, "bogus");
	}
}

static void
test_detect(void)
{
	const char *text = "法治政府建设情况报告\n一、推进依法行政，严格规范公正文明执法\n";
	const char *trad = "法治政府建設情況報告\n一、推進依法行政，嚴格規範公正文明執法\n";
	const char *want = "法治政府建设情况报告\n一、推进依法行政,严格规范公正文明执法\n";
	Buf b = BUF_INIT;
	EncfixStats st;

	encode("GBK", text, &b);
	CHECK_STR(detect(b.s, b.len), "GBK");
	CHECK_STR(conv(&opts, b.s, b.len, &st), want);
	encode("GB18030", "版权所有 © 2021 » 法治政府", &b);
	CHECK_STR(detect(b.s, b.len), "GB18030");
	encode("BIG5", trad, &b);
	CHECK_STR(detect(b.s, b.len), "BIG5");
	CHECK_STR(st.script, "simplified");
	conv(&opts, b.s, b.len, &st);
	CHECK_STR(st.script, "traditional");
	encode("UTF-16LE", text, &b);
	CHECK_STR(detect(b.s, b.len), "UTF-16LE");
	CHECK_STR(conv(&opts, b.s, b.len, &st), want);
	encode("UTF-16BE", text, &b);
	CHECK_STR(detect(b.s, b.len), "UTF-16BE");
	encode("UTF-32", text, &b);	/* glibc writes a BOM */
	CHECK_STR(detect(b.s, b.len), "UTF-32LE");
	CHECK_STR(conv(&opts, b.s, b.len, &st), want);
	CHECK_STR(detect(text, strlen(text)), "UTF-8");
	CHECK_STR(detect("plain text\n", 11), "ASCII");
	/* short runs */
	encode("GBK", "依法治市", &b);
	CHECK_STR(detect(b.s, b.len), "GBK");
	encode("BIG5", "依法治市", &b);
	CHECK_STR(detect(b.s, b.len), "BIG5");
	/* binary */
	CHECK_STR(detect("%PDF-1.4\n%\xe2\xe3", 12), "(refused)");
	CHECK_STR(detect("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "(refused)");
	{
		char junk[256];

		for (int i = 0; i < 256; i++)
			junk[i] = (char)(i * 7 % 32);
		CHECK_STR(detect(junk, sizeof junk), "(refused)");
	}
	/* NUL bytes in text are removed, not a reason to refuse */
	CHECK_STR(conv(&opts, LIT("法治\0政府\n"), &st), "法治政府\n");
	buf_free(&b);
}

static void
test_invalid(void)
{
	EncfixStats st;
	EncfixOpts o = opts;

	/* one U+FFFD per maximal subpart, first offset */
	CHECK_STR(conv(&o, LIT("法治\xe6\xb3政府建设依法行政"), &st),
		  "法治\xef\xbf\xbd政府建设依法行政\n");
	CHECK(st.invalid == 1);
	CHECK(st.first_invalid == 6);
	CHECK_STR(conv(&o, "ab\xff", 3, &st), "ab\xef\xbf\xbd\n");
	CHECK(st.invalid == 1 && st.first_invalid == 2);
	/* a GBK line inside UTF-8 text is converted */
	{
		Buf b = BUF_INIT, g = BUF_INIT;

		encode("GBK", "依法行政", &g);
		buf_adds(&b, "第一段是UTF-8文本，法治政府建设。\n");
		buf_add(&b, g.s, g.len);
		buf_adds(&b, "\n第三段又是UTF-8，严格规范公正文明执法。\n");
		CHECK_STR(conv(&o, b.s, b.len, &st),
			  "第一段是UTF-8文本,法治政府建设。\n依法行政\n第三段又是UTF-8,严格规范公正文明执法。\n");
		CHECK(st.lines_legacy == 1 && st.lines_utf8 == 2 && st.invalid == 0);
		CHECK_STR(st.encoding, "UTF-8");
		/* inside a UTF-8 line: a fragment converted pair by pair */
		buf_clear(&b);
		buf_adds(&b, "第一段是UTF-8文本，法治政府建设。\n第二段");
		buf_add(&b, g.s, g.len);
		buf_adds(&b, "。\n第三段又是UTF-8，严格规范公正文明执法。\n");
		CHECK_STR(conv(&o, b.s, b.len, &st),
			  "第一段是UTF-8文本,法治政府建设。\n第二段依法行政。\n第三段又是UTF-8,严格规范公正文明执法。\n");
		CHECK(st.mixed == 4 && st.invalid == 0 && st.mixed_with == NULL);
		buf_free(&b);
		buf_free(&g);
	}
}

/* A file mixing UTF-8 and GBK lines (issue 17): each line decoded its way,
 * the counts of lines reported. */
static void
test_mixed_lines(void)
{
	Buf in = BUF_INIT, mix = BUF_INIT, g = BUF_INIT, line = BUF_INIT, out = BUF_INIT;
	EncfixStats st;
	size_t i = 0, nlines = 0;

	CHECK(read_whole_file("samples/001_737b89c6e62b3a8d.txt", &in) == 0);
	while (i < in.len) {
		const char *nl = memchr(in.s + i, '\n', in.len - i);
		size_t len = nl ? (size_t)(nl - (in.s + i)) : in.len - i;

		if (nlines++ % 2) {	/* odd lines in GBK */
			buf_clear(&line);
			buf_add(&line, in.s + i, len);
			buf_addc(&line, 0);
			encode("GBK", line.s, &g);
			buf_add(&mix, g.s, g.len);
		} else {
			buf_add(&mix, in.s + i, len);
		}
		if (nl)
			buf_addc(&mix, '\n');
		i += len + (nl != NULL);
	}
	CHECK(encfix_buffer(&opts, (unsigned char *)mix.s, mix.len, &out, &st) == 0);
	buf_addc(&in, '\n');
	CHECK_MEM(out.s, out.len, in.s, in.len);
	CHECK(st.mixed_with != NULL && strcmp(st.mixed_with, "GBK") == 0);
	CHECK(st.lines_legacy == nlines / 2 && st.lines_utf8 == nlines - nlines / 2);
	CHECK(st.invalid == 0);
	buf_free(&in);
	buf_free(&mix);
	buf_free(&g);
	buf_free(&line);
	buf_free(&out);
}

static void
test_mojibake(void)
{
	EncfixStats st;
	EncfixOpts keep = opts;

	/* UTF-8 read as GBK */
	CHECK_STR(conv_s("鍙戝竷鏃堕棿:2021-07-20\n"), "发布时间:2021-07-20\n");
	keep.steps &= ~(unsigned)EF_MOJIBAKE;
	CHECK_STR(conv(&keep, LIT("鍙戝竷鏃堕棿\n"), &st), "鍙戝竷鏃堕棿\n");
	/* UTF-8 read as Latin-1 / Windows-1252 */
	CHECK_STR(conv_s("å\xc2\x8f\xc2\x91å¸\xc2\x83æ\xc2\x97¶é\xc2\x97´\n"), "发布时间\n");
	CHECK_STR(conv_s("cafÃ©\n"), "café\n");
	/* clean text with rare characters is never touched */
	CHECK_STR(conv_s("犇羴鱻 龘靐齉 彧翀 鄂尔多斯\n"), "犇羴鱻 龘靐齉 彧翀 鄂尔多斯\n");
	conv_s("犇羴鱻 龘靐齉 彧翀 鄂尔多斯\n");
	CHECK_STR(conv_s("Ünïcödé ñame, naïve café\n"), "Ünïcödé ñame, naïve café\n");
}

static void
test_t2s(void)
{
	Buf err = BUF_INIT;
	EncfixOpts o = opts;
	EncfixStats st;

	CHECK(encfix_load_t2s("data/t2s.tsv", &err) == 0);
	o.simplified = 1;
	CHECK_STR(conv(&o, "重慶市人民政府關於", strlen("重慶市人民政府關於"), &st), "重庆市人民政府关于\n");
	CHECK(st.simplified == 3);
	CHECK_STR(st.script, "traditional");	/* the script of the input */
	conv(&opts, "重庆市人民政府关于", strlen("重庆市人民政府关于"), &st);
	CHECK_STR(st.script, "simplified");
	conv(&opts, "abc", 3, &st);
	CHECK_STR(st.script, "-");
	CHECK(encfix_load_t2s("/nonexistent/t2s.tsv", &err) == -1);
	CHECK(strstr(err.s, "/nonexistent/t2s.tsv") != NULL);
	buf_free(&err);
}

int
main(void)
{
	Buf err = BUF_INIT;

	encfix_load_t2s("data/t2s.tsv", &err);
	test_samples_unchanged();
	test_normalise();
	test_detect();
	test_invalid();
	test_mixed_lines();
	test_mojibake();
	test_t2s();
	buf_free(&err);
	encfix_cleanup();
	UNIT_END("encfix");
}
