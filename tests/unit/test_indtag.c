/* Unit tests of indtag's core (tools/indtag/, linked as its library, used
 * through indtag.h) with the shipped rules. */
#include "unit.h"
#include "indtag.h"
#include "buf.h"
#include "cli.h"
#include "err.h"

#include <stdlib.h>

typedef struct {
	char row[64][160];
	int n;
} Got;

/* One line per figure: "value unit qual kind code number@start". */
static void
collect(const Figure *f, const char *text, void *arg)
{
	Got *g = arg;
	Buf v = BUF_INIT;

	if (g->n >= 64)
		return;
	dec_format(&v, f->value);
	snprintf(g->row[g->n], sizeof g->row[0], "%s %s %c %s %s %.*s@%zu", v.s, f->unit, f->qual,
		 f->kind, f->code, (int)f->len, text + f->off, f->chars);
	g->n++;
	buf_free(&v);
}

static Got got;

static int
tag(Tagger *t, const char *s)
{
	got.n = 0;
	indtag_text(t, s, strlen(s), NULL, 0, collect, &got);
	return got.n;
}

static const char *
row(int i)
{
	return i < got.n ? got.row[i] : "(none)";
}

int
main(void)
{
	Tagger *t = indtag_new();
	char *p;
	size_t i;
	static const char *const excluded[] = {
		"2021年6月30日", "11月3日", "2023年度", "第135137号", "第108次", "第十三届",
		"索引号:000357851/2021-587", "023-85238885", "拨打12348,", "三项制度", "两个维护",
		"十三五", "七五普法", "1+7模式", "5A级", "12·4宪法宣传周", "3·15", "“6.26”禁毒",
		"《2023年50个项目》", "不少于40学时", "每个村不少于5名的标准", "7、5、2的要求",
		"办理司法鉴定业务 件", "16:19:00", "前3名", "(1)加强", "1.加强", "一次办结",
		"阅读:4253次", "浏览次数:9762", "压缩至5个工作日", "\xff\xfe", "", NULL
	};

	setprogname("test_indtag");
	p = data_path("indicators.tsv");
	CHECK(indtag_load_taxonomy(t, p) == 0);
	free(p);
	p = data_path("indtag-rules.tsv");
	CHECK(indtag_load_rules(t, p) == 0);
	free(p);

	/* each exclusion gives no figure */
	for (i = 0; excluded[i]; i++) {
		int n = tag(t, excluded[i]);

		if (n != 0)
			printf("FAIL exclusion \"%s\": %s\n", excluded[i], row(0));
		CHECK(n == 0);
	}

	/* the subject carries over inside a sentence */
	CHECK(tag(t, "受理行政复议案件171件,办结138件。") == 2);
	CHECK_STR(row(0), "171 件 = value review.received 171@8");
	CHECK_STR(row(1), "138 件 = value review.closed 138@15");
	/* ... but not into an unrelated sentence */
	CHECK(tag(t, "受理行政复议案件171件。今年办结138件。") == 2);
	CHECK_STR(row(1), "138 件 = value other 138@17");

	/* kinds */
	CHECK(tag(t, "具有执法资格的人员由原来的452人增加至643人") == 2);
	CHECK_STR(row(0), "452 人 = from enforcement.certified 452@13");
	CHECK_STR(row(1), "643 人 = to enforcement.certified 643@20");
	CHECK(tag(t, "同比增长15%,下降3个百分点") == 2);
	CHECK_STR(row(0), "15 % = change other 15@4");
	CHECK_STR(row(1), "3 个百分点 = change other 3@10");

	/* values, units, qualifiers */
	CHECK(tag(t, "受众逾1.7万人次") == 1);
	CHECK_STR(row(0), "17000 人次 > value publicity.audience 1.7万@3");
	CHECK(tag(t, "为受援人避免和挽回经济损失近200余万元") == 1);
	CHECK_STR(row(0), "2000000 元 < value legalaid.recovered 200余万@14");
	CHECK(tag(t, "发放宣传资料约20.5万份") == 1);
	CHECK_STR(row(0), "205000 份 ~ value publicity.materials 20.5万@7");
	CHECK(tag(t, "95%以上的争议") == 1);
	CHECK_STR(row(0), "95 % > value other 95@0");
	CHECK(tag(t, "调处化解各类纠纷6000多起") == 1);
	CHECK_STR(row(0), "6000 件 > value mediation.disputes 6000多@8");
	CHECK(tag(t, "查处案件12宗,发放读本3本") == 2);
	CHECK_STR(row(0), "12 件 = value enforcement.cases 12@4");
	CHECK_STR(row(1), "3 本 = value publicity.materials 3@12");
	CHECK(tag(t, "考试通过率82.0%") == 1);
	CHECK_STR(row(0), "82 % = value enforcement.exam_pass_rate 82.0@5");
	CHECK(tag(t, "单部作品最高浏览量11.5万,") == 1);
	CHECK_STR(row(0), "115000 - = value publicity.views 11.5万@9");
	CHECK(tag(t, "发放资料千余份,百姓,千人千面") == 1);
	CHECK_STR(row(0), "1000 份 > value publicity.materials 千余@4");
	CHECK(tag(t, "举办讲座十余场") == 1);
	CHECK_STR(row(0), "10 场 > value study.sessions 十余@4");

	/* the noun after a measure word decides */
	CHECK(tag(t, "完成2981个行政处罚事项、146个行政强制事项") == 2);
	CHECK_STR(row(0), "2981 个 = value powers.penalty 2981@2");
	CHECK_STR(row(1), "146 个 = value powers.coercion 146@14");
	CHECK(tag(t, "共梳理34个部门权责事项4157项") == 2);
	CHECK_STR(row(0), "34 个 = value other 34@3");
	CHECK_STR(row(1), "4157 项 = value powers.items 4157@12");

	/* a subset takes its parent's code */
	CHECK(tag(t, "办理法律援助案件293件(其中刑事案件83件,民事案件210件)") == 3);
	CHECK_STR(row(1), "83 件 = value legalaid.cases 83@19");
	CHECK_STR(row(2), "210 件 = value legalaid.cases 210@27");

	/* a heading is context (a section of the sections TSV) */
	got.n = 0;
	indtag_text(t, "全年受理171件。", strlen("全年受理171件。"), "行政复议", strlen("行政复议"),
		    collect, &got);
	CHECK_STR(row(0), "171 件 = value review.received 171@4");

	/* offsets count characters, invalid bytes one each; rules need valid
	 * UTF-8 (indtag's main repairs its input), so here no rule applies */
	CHECK(tag(t, "\xff受理纠纷5件") == 1);
	CHECK_STR(row(0), "5 件 = value other 5@5");
	indtag_trust_utf8(t, 1);
	CHECK(tag(t, "受理纠纷5件") == 1);
	CHECK_STR(row(0), "5 件 = value mediation.disputes 5@4");
	indtag_trust_utf8(t, 0);

	/* a 4 MB line without punctuation: bounded contexts, no blow-up */
	{
		Buf big = BUF_INIT;
		size_t k, want = 0;

		for (k = 0; big.len < (4u << 20); k++) {
			if (k % 100 == 0) {
				buf_adds(&big, "受理5件");
				want++;
			} else {
				buf_adds(&big, "受理了案件");
			}
		}
		CHECK(indtag_text(t, big.s, big.len, NULL, 0, NULL, NULL) == want);
		buf_free(&big);
	}
	indtag_free(t);
	UNIT_END("indtag");
}
