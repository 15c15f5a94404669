/* Unit tests of the deboiler core, linked with the tool's library
 * (build/.../tools/deboiler/lib.a); the internal header gives the calls
 * tested past the public ones. Run from the project root (tests/run does),
 * where data/ holds the shipped rules. */
#include "deboiler_int.h"
#include "err.h"
#include "utf8.h"
#include "unit.h"

static Deboiler *db;
static DbDoc d;

static int
run(const char *text)
{
	return db_process(db, "t", text, strlen(text), &d);
}

static const char *
val(int k)
{
	return d.val[k] ? d.val[k] : "(absent)";
}

static void
test_normalize(void)
{
	Buf b = BUF_INIT;

	db_normalize_line("网站标识码:123 鲁ICP备4567号", strlen("网站标识码:123 鲁ICP备4567号"), &b);
	CHECK_STR(b.s, "网站标识码:0鲁ICP备0号");
	buf_clear(&b);
	db_normalize_line("\xE3\x80\x80\xEF\xBC\x92\xEF\xBC\x90年", 12, &b);	/* "　２０年" */
	CHECK_STR(b.s, "0年");
	buf_free(&b);
}

static void
test_page(void)
{
	CHECK(run("首页 > 政务公开 > 法治政府建设\n"
		  "兴平市2022年法治政府建设年度报告\n"
		  "发布时间:2023-02-10 发布机构:兴平市司法局 字体:[ 大 中 小]\n"
		  "兴平市2022年法治政府建设年度报告\n"
		  "咸阳市人民政府:\n"
		  "一、主要举措\n"
		  "全市推进法治政府建设,取得成效。\n"
		  "兴平市司法局\n"
		  "2023年2月8日\n"
		  "版权所有 兴平市人民政府\n") == 0);
	CHECK_STR(val(K_TITLE), "兴平市2022年法治政府建设年度报告");
	CHECK_STR(val(K_REGION), "兴平市");
	CHECK_STR(val(K_REGION_CODE), "610481");
	CHECK_STR(val(K_PROVINCE), "陕西省");
	CHECK_STR(val(K_YEAR), "2022");
	CHECK_STR(val(K_TYPE), "annual-report");
	CHECK_STR(val(K_DATE), "2023-02-10");
	CHECK_STR(val(K_PUBLISHER), "兴平市司法局");
	CHECK_STR(val(K_REMOVED), "4");
	CHECK_STR(d.body.s, "兴平市2022年法治政府建设年度报告\n咸阳市人民政府:\n一、主要举措\n"
		  "全市推进法治政府建设,取得成效。\n兴平市司法局\n2023年2月8日\n");
	CHECK(d.lines == 6);
	CHECK(d.chars == utf8_count((const unsigned char *)d.body.s, d.body.len));
}

static void
test_title_split_and_date(void)
{
	/* a repeat broken over two lines; no chrome date: the signature's */
	CHECK(run("对政协某某委员会 第五次会议第12号提案的答复\n"
		  "对政协某某委员会\n"
		  "第五次会议第12号提案的答复\n"
		  "您提出的提案收悉,现答复如下:\n"
		  "感谢您的关心。\n"
		  "二〇二一年七月一日\n"
		  "2021年6月3日\n") == 0);
	CHECK_STR(val(K_TITLE), "对政协某某委员会第五次会议第12号提案的答复");
	CHECK_STR(val(K_TYPE), "proposal-reply");
	CHECK_STR(val(K_DATE), "2021-06-03");
	CHECK_STR(val(K_YEAR), "2021");
	CHECK(strncmp(d.body.s, "对政协某某委员会第五次会议第12号提案的答复\n您提出", 66) == 0);
}

static void
test_joins(void)
{
	CHECK(run("一、加强组织领导\n"
		  "我局高度重视法治政府建设,对全市法治政府建设各\n"
		  "项工作任务进行安排部署,督促检查各部门认真落实。\n"
		  "这一行没有句号但是很长很长很长很长很长很长很长很长\n"
		  "(一)标题不与上一行合并\n"
		  "这一行没有句号但是很长很长很长很长很长很长很长很长\n"
		  "一是列举项不与上一行合并。\n") == 0);
	CHECK_STR(d.body.s, "一、加强组织领导\n"
		  "我局高度重视法治政府建设,对全市法治政府建设各项工作任务进行安排部署,督促检查各部门认真落实。\n"
		  "这一行没有句号但是很长很长很长很长很长很长很长很长\n"
		  "(一)标题不与上一行合并\n"
		  "这一行没有句号但是很长很长很长很长很长很长很长很长\n"
		  "一是列举项不与上一行合并。\n");
	db_set_join(db, 0);
	CHECK(run("我局高度重视法治政府建设,对全市法治政府建设各\n项工作任务。\n") == 0);
	CHECK(d.lines == 2);
	db_set_join(db, 1);
}

static void
test_bad_input(void)
{
	static const char nul[] = "ab\ncd\0ef\n";

	CHECK(db_process(db, "t", nul, sizeof nul - 1, &d) == -1);
	CHECK(strstr(d.err.s, "line 2") != NULL);
	CHECK(run("\xff\xfe ok\r\nnext\rlast") == 0);
	CHECK(d.repaired == 2);
	CHECK_STR(d.body.s, "\xEF\xBF\xBD\xEF\xBF\xBD ok\nnext\nlast\n");
	CHECK(run("") == 0);
	CHECK(d.body.len == 0 && d.lines == 0);
	CHECK_STR(val(K_DOC), "t");
	/* a long paragraph that quotes chrome words is content */
	CHECK(run("本文所述版权所有的问题,需要依法保护,我市全年办理知识产权案件三百余件,切实维护权利人合法权益。\n") == 0);
	CHECK_STR(val(K_REMOVED), "0");
	/* inline junk: pinyin glosses and && */
	CHECK(run("全面推进法治政府建设(shè)&&工作。\n") == 0);
	CHECK_STR(d.body.s, "全面推进法治政府建设工作。\n");
	CHECK_STR(val(K_REMOVED), "2");
}

static void
test_header_input(void)
{
	CHECK(run("Doc: x1\nTitle: 标题\nYear: 2020\n\n正文。\n") == 0);
	CHECK(d.had_header);
	CHECK_STR(val(K_DOC), "x1");
	CHECK_STR(val(K_YEAR), "2020");
	CHECK_STR(d.body.s, "正文。\n");
	CHECK(d.lines == 1 && d.chars == 4);
}

static void
test_regions(void)
{
	RMatch m[16];
	size_t n;
	const char *s = "各市和县区";

	n = find_regions(db, s, strlen(s), 0, m, 16);
	CHECK(n == 0);	/* 和县 is a county, but not here */
	CHECK(run("关于南京市鼓楼区2020年法治政府建设情况的报告\n正文。\n") == 0);
	CHECK_STR(val(K_REGION), "鼓楼区");
	CHECK_STR(val(K_REGION_CODE), "320106");
	CHECK(run("福州市鼓楼区司法局2020年法治政府建设情况报告\n正文。\n") == 0);
	CHECK_STR(val(K_REGION_CODE), "350102");
	CHECK(run("陕西省咸阳市兴平市人民政府2020年工作报告\n正文。\n") == 0);
	CHECK_STR(val(K_REGION), "兴平市");
	/* traditional characters (BIG5 mirrors) name the same unit */
	CHECK(run("興平市2020年法治政府建設工作開展情況\n正文。\n") == 0);
	CHECK_STR(val(K_REGION), "兴平市");
	/* a short name alone: 法治秦皇岛 */
	CHECK(run("推进法治秦皇岛建设的报告\n正文。\n") == 0);
	CHECK_STR(val(K_REGION), "秦皇岛市");
}

static void
test_learn(void)
{
	DbLearn *l = db_learn_new();
	Buf out = BUF_INIT;
	int i;

	for (i = 0; i < 4; i++) {
		char page[512];

		snprintf(page, sizeof page, "某某网信息公开专栏\n一、工作情况\n全年办理案件%d件,取得成效。\n无。\n"
			 "2020年1月%d日\n本站热线:12345 工作日%d点\n", i + 1, i + 1, i + 8);
		db_learn_add(db, l, "site", page, strlen(page));
	}
	db_learn_write(l, &out, 3, 0.5);
	CHECK(strstr(out.s, "\t4\t1.000\t某某网信息公开专栏\n") != NULL);
	CHECK(strstr(out.s, "本站热线:0工作日0点") != NULL);
	CHECK(strstr(out.s, "无。") == NULL);		/* content, however common */
	CHECK(strstr(out.s, "一、工作情况") == NULL);
	db_learn_free(l);
	buf_free(&out);
}

int
main(void)
{
	setprogname("test_deboiler");
	db = db_new();
	if (db_load_rules(db, "data/deboiler.rules") < 0 || db_load_regions(db, "data/regions.tsv") < 0) {
		printf("FAIL cannot load data/ (run from the project root)\n");
		return 1;
	}
	db_doc_init(&d);
	test_normalize();
	test_page();
	test_title_split_and_date();
	test_joins();
	test_bad_input();
	test_header_input();
	test_regions();
	test_learn();
	db_doc_free(&d);
	db_free(db);
	UNIT_END("deboiler");
}
