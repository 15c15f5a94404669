/* test_encfix: the encfix core (tools/encfix/, linked as its library
 * build/.../tools/encfix/lib.a) on memory buffers, through encfix.h. */
#include "encfix.h"
#include "attach.h"

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

/* pdftotext -bbox's word element, into b. */
static void
word(Buf *b, double x0, double y0, double x1, const char *t)
{
	buf_addf(b, "<word xMin=\"%f\" yMin=\"%f\" xMax=\"%f\" yMax=\"%f\">%s</word>\n", x0, y0, x1,
		 y0 + 10.5, t);
}

/* attach_pages on a PDF's word boxes (no rules loaded: positions only). */
static const char *
layout(const Buf *x)
{
	static Buf out;

	buf_clear(&out);
	buf_add(&out, x->s, x->len);
	attach_pages(ATT_PDF, &out);
	buf_addc(&out, 0);
	return out.s;
}

static void
test_attach_layout(void)
{
	Buf x = BUF_INIT, d = BUF_INIT;
	/* ten characters of 10.5 points a full line, 72 to 177 */

	/* paragraphs spaced apart: a heading that fills its line exactly
	 * ends there; a full line goes on, a short one ends its paragraph */
	buf_adds(&x, "<page width=\"595\" height=\"842\">\n");
	word(&x, 72, 100, 177, "一、标题正好十个字");
	word(&x, 72, 131.5, 177, "第一段的第一行满行");
	word(&x, 72, 147.25, 124.5, "第二行。");
	word(&x, 72, 178.75, 177, "第二段满行的第一行");
	word(&x, 72, 194.5, 103.5, "完。");
	buf_adds(&x, "</page>\n");
	CHECK_STR(layout(&x), "一、标题正好十个字\n第一段的第一行满行第二行。\n第二段满行的第一行完。\n");

	/* first lines indented, no spacing: across a page break a line that
	 * is not indented goes on, an indented one begins a paragraph */
	buf_clear(&x);
	buf_adds(&x, "<page width=\"595\" height=\"842\">\n");
	word(&x, 93, 100, 177, "首行缩进两字符");
	word(&x, 72, 115.75, 177, "第二行满行继续写");
	word(&x, 72, 131.5, 177, "第三行也是满行的");
	buf_adds(&x, "</page>\n<page width=\"595\" height=\"842\">\n");
	word(&x, 72, 100, 124.5, "接续。");
	word(&x, 93, 115.75, 177, "新的一段开始了");
	word(&x, 72, 131.5, 103.5, "完。");
	buf_adds(&x, "</page>\n");
	CHECK_STR(layout(&x), "首行缩进两字符第二行满行继续写第三行也是满行的接续。\n新的一段开始了完。\n");

	/* a table: cells by the gaps, columns that hold across rows, the
	 * first column's wrapped cell joined to its row; the rows marked */
	buf_clear(&x);
	buf_adds(&x, "<page width=\"595\" height=\"842\">\n");
	word(&x, 72, 100, 135, "单位名称");
	word(&x, 200, 100, 240, "案件");
	word(&x, 300, 100, 340, "比例");
	word(&x, 72, 115.75, 150, "某某县人民政");
	word(&x, 200, 115.75, 230, "23件");
	word(&x, 300, 115.75, 330, "4.3%");
	word(&x, 72, 131.5, 93, "府");
	word(&x, 72, 147.25, 110, "市司法局");
	word(&x, 200, 147.25, 235, "171件");
	word(&x, 300, 147.25, 335, "12.5%");
	buf_adds(&x, "</page>\n");
	CHECK_STR(layout(&x), "\xEE\x80\x80单位名称 | 案件 | 比例\n\xEE\x80\x80某某县人民政府 | 23件 | 4.3%\n"
			      "\xEE\x80\x80市司法局 | 171件 | 12.5%\n");

	/* words on one baseline: spaces where the gaps are, none between
	 * CJK characters set a little apart */
	buf_clear(&x);
	buf_adds(&x, "<page width=\"595\" height=\"842\">\n");
	word(&x, 72, 100, 90, "Law");
	word(&x, 95, 100, 120, "based");
	word(&x, 121, 100, 140, "汉字");
	word(&x, 141.5, 100, 160, "&amp;字");
	buf_adds(&x, "</page>\n");
	CHECK_STR(layout(&x), "Law based汉字&字\n");

	/* broken box lists: no crash, no invented text */
	buf_clear(&x);
	buf_adds(&x, "<page><word xMin=\"nan\" yMin=\"inf\" xMax=\"-1e308\" yMax=\"1e308\">a</word>"
		      "<word>b</word><word xMin=\"1\" yMin=\"1\" xMax=\"2\" yMax=\"3\">c</wo");
	layout(&x);
	CHECK(strstr(layout(&x), "c") == NULL);
	buf_clear(&x);
	CHECK_STR(layout(&x), "");
	buf_adds(&x, "<word xMin=\"1\" yMin=\"1\" xMax=\"2\" yMax=\"3\">before any page</word>");
	CHECK_STR(layout(&x), "");

	/* antiword: a paragraph a line; |cell|cell| rows, wrapped cells */
	buf_adds(&d, "第一段很长很长的一行\n|单位名称 |案件 |\n|某某县人民政|23件 |\n|府 |  |\n|Total |239 |\n"
		     "|cases | |\n最后一段。\n");
	attach_pages(ATT_DOC, &d);
	buf_addc(&d, 0);
	CHECK_STR(d.s, "第一段很长很长的一行\n\xEE\x80\x80单位名称 | 案件\n\xEE\x80\x80某某县人民政府 | 23件\n"
		       "\xEE\x80\x80Total cases | 239\n最后一段。\n");
	buf_free(&x);
	buf_free(&d);
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
	test_attach_layout();
	buf_free(&err);
	encfix_cleanup();
	UNIT_END("encfix");
}
