/* Unit tests of secsplit's core (tools/secsplit/, linked as its library;
 * secsplit_int.h for the marker parser): markers, numbering, the lossless
 * text property on generated documents, items, headers, names. */
#include "unit.h"
#include "secsplit_int.h"
#include "err.h"

#include <stdint.h>

static Secsplit *ss_plain, *ss_items;

/* Split text; returns the result (static, reused). */
static SsResult *
split(Secsplit *ss, const char *text, SsDoc *doc, Buf *norm)
{
	static SsResult res = SS_RESULT_INIT;

	if (ss_prepare(doc, norm, text, strlen(text), "t") < 0)
		return NULL;
	ss_split(ss, doc, &res);
	return &res;
}

/* The headings as "level marker heading part|..." for compact checks. */
static const char *
outline(const SsDoc *doc, const SsResult *r)
{
	static Buf b = BUF_INIT;
	size_t i;

	buf_clear(&b);
	for (i = 1; i < r->n; i++) {
		const SsRow *row = &r->row[i];

		buf_addf(&b, "%s%d %.*s %.*s %s", i > 1 ? "|" : "", row->level,
			 (int)row->markerlen, doc->body + row->marker,
			 (int)row->headinglen, doc->body + row->heading,
			 row->part == PART_NONE ? "-" : ss_part_name[row->part]);
	}
	return b.s ? b.s : "";
}

static int
marker(const char *s, int *fam, int *num)
{
	Cand cd;

	if (!ss_parse_marker(s, strlen(s), &cd))
		return 0;
	*fam = cd.fam;
	*num = cd.num;
	return (int)cd.markerlen;
}

/* Concatenated row texts == body, offsets consistent. */
static int
lossless(const SsDoc *doc, const SsResult *r)
{
	size_t i, pos = 0, ch = 0;

	if (r->n == 0 || r->row[0].kind != SS_PREAMBLE || r->row[0].bstart != 0)
		return 0;
	for (i = 0; i < r->n; i++) {
		const SsRow *row = &r->row[i];

		if (row->bstart != pos || row->bend < row->bstart || row->start != ch)
			return 0;
		ch += nchars(doc->body + row->bstart, row->bend - row->bstart);
		if (row->end != ch)
			return 0;
		pos = row->bend;
		if (row->markerlen && (row->marker < row->bstart || row->marker + row->markerlen > row->bend))
			return 0;
	}
	return pos == doc->bodylen && utf8_valid((const unsigned char *)doc->body, doc->bodylen);
}

static uint64_t rng = 88172645463325252ULL;
static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

int
main(void)
{
	SsOptions o = {0};
	SsDoc doc;
	Buf norm = BUF_INIT;
	SsResult *r;
	int fam, num, v;

	setprogname("test_secsplit");
	ss_plain = ss_new(&o);
	o.items = 1;
	ss_items = ss_new(&o);
	CHECK(ss_plain != NULL && ss_items != NULL);
	if (!ss_plain || !ss_items)
		UNIT_END("secsplit");

	/* Chinese numbers */
	CHECK(ss_cn_number("一、", 6, &v) == 3 && v == 1);
	CHECK(ss_cn_number("十、", 6, &v) == 3 && v == 10);
	CHECK(ss_cn_number("十一、", 9, &v) == 6 && v == 11);
	CHECK(ss_cn_number("二十、", 9, &v) == 6 && v == 20);
	CHECK(ss_cn_number("二十三", 9, &v) == 9 && v == 23);
	CHECK(ss_cn_number("一二", 6, &v) == 0);
	CHECK(ss_cn_number("〇", 3, &v) == 0);

	/* markers */
	CHECK(marker("一、加强", &fam, &num) == 6 && fam == F_CNDUN && num == 1);
	CHECK(marker("(二)完善", &fam, &num) == 5 && fam == F_CNPAREN && num == 2);
	CHECK(marker("（三）完善", &fam, &num) == 9 && fam == F_CNPAREN && num == 3);
	CHECK(marker("(一)、完善", &fam, &num) == 8 && fam == F_CNPAREN);
	CHECK(marker("12.记者", &fam, &num) == 3 && fam == F_ARDOT && num == 12);
	CHECK(marker("3、加强", &fam, &num) == 4 && fam == F_ARDOT && num == 3);
	CHECK(marker("１．加强", &fam, &num) == 6 && fam == F_ARDOT && num == 1);
	CHECK(marker("(4)细目", &fam, &num) == 3 && fam == F_ARPAREN && num == 4);
	CHECK(marker("第十二条 内容", &fam, &num) == 12 && fam == F_TIAO && num == 12);
	CHECK(marker("第三章", &fam, &num) == 9 && fam == F_ZHANG && num == 3);
	CHECK(marker("2.2024年作为", &fam, &num) == 2 && num == 2);
	CHECK(marker("5.3月份", &fam, &num) == 2 && num == 5);
	CHECK(marker("3、4月份", &fam, &num) == 0);
	CHECK(marker("第一条防线", &fam, &num) == 0);
	CHECK(marker("1.5万人", &fam, &num) == 0);
	CHECK(marker("3.15消费者", &fam, &num) == 0);
	CHECK(marker("1、2号楼", &fam, &num) == 0);
	CHECK(marker("2020年以来", &fam, &num) == 0);
	CHECK(marker("1+7模式", &fam, &num) == 0);
	CHECK(marker("12·4宪法", &fam, &num) == 0);
	CHECK(marker("三、四月份", &fam, &num) == 0);
	CHECK(marker("一、二等奖", &fam, &num) == 0);
	CHECK(marker("1000.加强", &fam, &num) == 0);
	CHECK(marker("(一加强", &fam, &num) == 0);

	/* numbering must be in sequence */
	r = split(ss_plain, "一、甲\n三、一句碰巧以三、开头的句子,不按顺序\n二、乙\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 甲 -|1 二、 乙 -");
	/* a gap is believed for a bare heading line, and reported */
	r = split(ss_plain, "一、甲\n二、乙\n四、丁\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 甲 -|1 二、 乙 -|1 四、 丁 -");
	CHECK(r->nproblems == 1 && strstr(r->problems.s, "gap 二、 to 四、") != NULL);
	/* ... or when the next number confirms it */
	r = split(ss_plain, "一、甲\n三、丙,丙\n四、丁,丁\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 甲 -|1 三、 丙,丙 -|1 四、 丁,丁 -");
	/* subsections restart under each parent; continued numbering is accepted */
	r = split(ss_plain, "一、甲\n(一)a\n(二)b\n二、乙\n(三)c\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 甲 -|2 (一) a -|2 (二) b -|1 二、 乙 -|2 (三) c -");
	CHECK_STR(r->row[5].path, "2.3");
	/* heading up to the first 。; a marker alone takes the next line */
	r = split(ss_plain, "一、 标题。正文\n二、\n下一行标题。正文\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 标题 -|1 二、 下一行标题 -");
	/* paths skip levels with 0 */
	r = split(ss_plain, "一、甲\n1.子\n(1)孙\n", &doc, &norm);
	CHECK_STR(r->row[2].path, "1.0.1");
	CHECK_STR(r->row[3].path, "1.0.1.1");

	/* parts: annual reports only; the earliest keyword wins; children inherit */
	r = split(ss_plain, "一、主要举措和成效\n(一)甲\n二、存在的问题和下一步打算\n(一)存在的问题\n(二)下一步打算\n三、其他需要报告的情况\n",
		  &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 主要举措和成效 measures|2 (一) 甲 measures|"
		  "1 二、 存在的问题和下一步打算 problems|2 (一) 存在的问题 problems|"
		  "2 (二) 下一步打算 plans|1 三、 其他需要报告的情况 other");
	CHECK_STR(r->type, "annual-report");
	CHECK(r->has_part[PART_MEASURES] && r->has_part[PART_PLANS] && !r->has_part[PART_LEADERSHIP]);
	r = split(ss_plain, "Type: proposal-reply\n\n一、存在的问题\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 存在的问题 -");
	r = split(ss_plain, "一、加强队伍\n二、完善制度\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 加强队伍 -|1 二、 完善制度 -");
	CHECK_STR(r->type, "other");	/* common/docguess: no cue */

	/* a next year's heading without keyword is plans; 第一部分 ranks above 一、 */
	r = split(ss_plain, "一、2023年工作成效\n二、存在问题\n三、2024年重点工作\n四、加强学习\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 2023年工作成效 measures|1 二、 存在问题 problems|"
		  "1 三、 2024年重点工作 plans|1 四、 加强学习 -");
	r = split(ss_plain, "第一部分：工作情况\n一、甲\n第二部分 存在问题\n一、乙\n二、。正文\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 第一部分： 工作情况 measures|1 一、 甲 measures|"
		  "1 第二部分 存在问题 problems|1 一、 乙 problems|1 二、  problems");
	CHECK(ss_year_in("2024年", 7) == 2024 && ss_year_in("12024年", 8) == 0 && ss_year_in("今年", 6) == 0);

	/* speakers */
	r = split(ss_plain, "某市司法局副局长张三:\n谢谢。\n1.记者:请问?\n主持人:好。\n", &doc, &norm);
	CHECK(r->n == 4 && r->row[1].kind == SS_SPEAKER && r->row[3].kind == SS_SPEAKER);
	CHECK_STR(r->row[1].path, "S1");
	CHECK(r->row[1].headinglen == strlen("某市司法局副局长张三"));
	r = split(ss_plain, "中共某市委、某市人民政府:\n某市司法局\n各位领导:\n", &doc, &norm);
	CHECK(r->n == 1);
	/* a label without a colon only inside a transcript */
	r = split(ss_plain, "一、工作\n市司法局局长王五\n", &doc, &norm);
	CHECK(r->n == 2);
	r = split(ss_plain, "主持人:开始。\n市司法局局长王五\n答复。\n", &doc, &norm);
	CHECK(r->n == 3 && r->row[2].kind == SS_SPEAKER);

	/* items: only with --items, in sequence, after punctuation */
	r = split(ss_plain, "一是甲。二是乙。\n", &doc, &norm);
	CHECK(r->n == 1);
	r = split(ss_items, "一、总\n一是甲,二是乙;三是丙。统一是词\n", &doc, &norm);
	CHECK_STR(outline(&doc, r), "1 一、 总 -|5 一是 甲 -|5 二是 乙 -|5 三是 丙 -");
	CHECK_STR(r->row[2].path, "1.0.0.0.1");
	{
		/* many items on one line: rows move while items are added */
		Buf t = BUF_INIT;
		int i;
		static const char *cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};

		for (i = 0; i < 99; i++) {
			int n = i + 1;

			if (n < 10)
				buf_addf(&t, "%s是项%d,", cn[n - 1], n);
			else
				buf_addf(&t, "%s十%s是项%d,", n / 10 > 1 ? cn[n / 10 - 1] : "",
					 n % 10 ? cn[n % 10 - 1] : "", n);
		}
		r = split(ss_items, t.s, &doc, &norm);
		CHECK(r->n == 100);
		CHECK(r->n == 100 && r->row[99].num == 99 && r->row[98].headinglen == strlen("项98"));
		CHECK(lossless(&doc, r));
		buf_free(&t);
	}

	/* header */
	r = split(ss_plain, "Doc: d1\nRegion: 大理市\nYear: 2023\n\n一、甲\n", &doc, &norm);
	CHECK_STR(doc.doc, "d1");
	CHECK(doc.body_line == 5 && r->row[1].line == 5);
	{
		size_t n;
		const char *v2 = ss_header(&doc, "region", &n);

		CHECK(v2 && n == strlen("大理市") && memcmp(v2, "大理市", n) == 0);
		CHECK(ss_header(&doc, "Title", &n) == NULL);
	}
	r = split(ss_plain, "Doc: d2\n一、甲\n", &doc, &norm);
	CHECK(doc.header_unended && doc.bodylen == strlen("一、甲\n"));
	r = split(ss_plain, "Doc: d3\n", &doc, &norm);	/* a header and no body */
	CHECK_STR(doc.doc, "d3");
	CHECK(doc.bodylen == 0);
	r = split(ss_plain, "来源: 网站\n一、甲\n", &doc, &norm);
	CHECK(doc.hdr.nfield == 0 && doc.bodylen == strlen("来源: 网站\n一、甲\n"));

	/* repairs and refusals */
	{
		static const char bad[] = "\xef\xbb\xbf一、甲\r\n二、\xff乙\r三、\0丙\n";

		CHECK(ss_prepare(&doc, &norm, bad, sizeof bad - 1, "x") == 0);
		CHECK(doc.bad_utf8 == 1 && doc.nul == 1);
		CHECK(doc.bodylen == strlen("一、甲\n二、\xef\xbf\xbd乙\n三、\xef\xbf\xbd丙\n"));
		CHECK(ss_prepare(&doc, &norm, "\x89PNG\r\n\x1a\n\0\0\0\0\0\0\0\0\0\0", 16, "x") < 0);
		CHECK(ss_prepare(&doc, &norm, "\xb7\xa8\xd6\xce\xd5\xfe\xb8\xae", 8, "x") < 0);
		CHECK(ss_prepare(&doc, &norm, "", 0, "x") == 0 && doc.bodylen == 0);
	}

	/* the lossless property over generated documents */
	{
		static const char *piece[] = {
			"一、", "二、", "三、", "(一)", "(二)", "1.", "2、", "(1)", "(2)", "第一章 ",
			"第二条 ", "一是", "二是", "三是", "标题", "正文内容", "。", ",", "\n", "\n",
			"\r\n", "\r", "  ", "\xe3\x80\x80", "某局局长张三:", "记者:", "\xff", "\x80",
			"\xe6\xb3", "Doc: x\n", "\n\n", "\t", "\\", "2024年", "3.15", "A",
		};
		int i, k, ok = 1, ok2 = 1;
		Buf t = BUF_INIT;

		for (i = 0; i < 3000; i++) {
			int n = 1 + (int)rnd(60);

			buf_clear(&t);
			for (k = 0; k < n; k++)
				buf_adds(&t, piece[rnd(sizeof piece / sizeof piece[0])]);
			r = split(i % 2 ? ss_items : ss_plain, t.s, &doc, &norm);
			if (r == NULL)
				continue;
			if (!lossless(&doc, r))
				ok = 0;
			for (k = 1; k < (int)r->n; k++)
				if (r->row[k].bstart < r->row[k - 1].bstart)
					ok2 = 0;
		}
		CHECK(ok);
		CHECK(ok2);
		buf_free(&t);
	}

	/* output formats */
	{
		Buf out = BUF_INIT;

		r = split(ss_plain, "Doc: d\\1\nRegion: R\n\n前言\t。\n一、甲\n", &doc, &norm);
		ss_format_rows(&doc, r, &out);
		CHECK_STR(out.s, "d\\\\1\tR\t-\t0\t0\t0\t-\t-\tpreamble\t0\t5\t前言\\t。\\n\n"
			  "d\\\\1\tR\t-\t1\t1\t1\t一、\t甲\t-\t5\t9\t一、甲\\n\n");
		buf_clear(&out);
		ss_format_check(&doc, r, &out);
		CHECK_STR(out.s, "d\\\\1\tR\t-\tother\tno\tno\tno\tno\tno\t"
			  "measures,problems,leadership,plans,other\t-\n");
		buf_free(&out);
	}

	ss_free(ss_plain);
	ss_free(ss_items);
	buf_free(&norm);
	UNIT_END("secsplit");
}
