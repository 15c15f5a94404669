/* Unit tests of common/numparse: a table of number forms, qualifiers, units. */
#include "unit.h"
#include "numparse.h"

static const char *
fmt(Dec d)
{
	static Buf b;

	buf_clear(&b);
	dec_format(&b, d);
	return b.s;
}

/* text, bytes the number takes (-1: all), value, must-have flags */
static const struct {
	const char *text;
	int len;
	const char *value;
	unsigned flags;
} forms[] = {
	{"0", -1, "0", NUM_ARABIC},
	{"171件", 3, "171", NUM_ARABIC},
	{"98.60%", 5, "98.6", NUM_ARABIC | NUM_DECIMAL},
	{"82.0%", 4, "82", NUM_DECIMAL},
	{"1,234", -1, "1234", NUM_GROUPED},
	{"12,345,678.5元", 12, "12345678.5", NUM_GROUPED | NUM_DECIMAL},
	{"1,23", 1, "1", 0},			/* not a thousands group */
	{"1,2345", 1, "1", 0},
	{"5,6个", 1, "5", 0},
	{"１２３件", 9, "123", NUM_ARABIC},	/* full-width digits */
	{"１．５万", 12, "15000", NUM_DECIMAL | NUM_MAGNITUDE},
	{"1.7万", -1, "17000", NUM_MAGNITUDE},
	{"20.5万份", 7, "205000", NUM_MAGNITUDE},
	{"11.5万", -1, "115000", 0},
	{"0.1", -1, "0.1", 0},
	{"3千余", -1, "3000", NUM_MORE},
	{"1万余条", 7, "10000", NUM_MORE},
	{"140万余人次", 9, "1400000", NUM_MORE},
	{"11余万人次", 8, "110000", NUM_MORE},
	{"300余万元", 9, "3000000", NUM_MORE},
	{"6000多起", 7, "6000", NUM_MORE},
	{"2.5亿元", 6, "250000000", 0},
	{"1.5万亿", -1, "1500000000000", 0},
	{"5百分点", 1, "5", 0},			/* 百分点 is a unit, not 百 */
	{"3千米", 1, "3", 0},
	{"一百二十三", -1, "123", NUM_CHINESE | NUM_MAGNITUDE},
	{"两千", -1, "2000", NUM_CHINESE},
	{"十", -1, "10", NUM_CHINESE},
	{"十五", -1, "15", NUM_CHINESE},
	{"二十", -1, "20", NUM_CHINESE},
	{"十余", -1, "10", NUM_MORE},
	{"十余万人", 9, "100000", NUM_MORE},
	{"三千五百万", -1, "35000000", NUM_MAGNITUDE},
	{"三千五", -1, "3500", 0},
	{"一万二", -1, "12000", 0},
	{"三千零五", -1, "3005", 0},
	{"一千零十", -1, "1010", 0},
	{"一亿零五百万", -1, "105000000", 0},
	{"二〇二〇年", 12, "2020", NUM_POSITIONAL},
	{"七五普法", 6, "75", NUM_POSITIONAL},
	{"十三五", -1, "45", NUM_POSITIONAL},	/* a name, flagged positional */
	{"百分之九十五", -1, "95", NUM_PERCENT},
	{"百分之95", -1, "95", NUM_PERCENT},
	{"百分之百", -1, "100", NUM_PERCENT},	/* a hundred per cent */
	{"百分之百零五", 0, "", 0},
	{"五成,", 6, "50", NUM_PERCENT},
	{"三成以上", 6, "30", NUM_PERCENT},
	{"一成不变", 3, "1", 0},
	{"两个维护", 3, "2", NUM_CHINESE},
	{"百姓", 0, "", 0},
	{"百余人", 6, "100", NUM_MORE | NUM_CHINESE},
	{"千多件", 6, "1000", NUM_MORE},
	{"百多", -1, "100", NUM_MORE},
	{"千人", 0, "", 0},
	{"千万", 0, "", 0},
	{"万", 0, "", 0},
	{"abc", 0, "", 0},
	{"", 0, "", 0},
	{".5", 0, "", 0},
	{"5.", 1, "5", 0},
	{"6.26", -1, "6.26", NUM_DECIMAL},
	{"1.2.3", 3, "1.2", 0},
	{"1234567890123456789012345678901234567890123456789012345678901234567", 0, "", 0},
	{"九千九百九十九亿九千九百九十九万九千九百九十九", -1, "999999999999", 0},
};

int
main(void)
{
	size_t i, k;
	Num num;
	const char *u;
	int p;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		size_t n = strlen(forms[i].text);
		size_t want = forms[i].len < 0 ? n : (size_t)forms[i].len;
		size_t got = num_parse(forms[i].text, n, &num);

		if (got != want)
			printf("FAIL form %zu \"%s\": length %zu, want %zu\n", i, forms[i].text, got, want);
		CHECK(got == want);
		if (want > 0) {
			if (strcmp(fmt(num.value), forms[i].value) != 0)
				printf("FAIL form \"%s\": value %s, want %s\n", forms[i].text,
				       fmt(num.value), forms[i].value);
			CHECK(strcmp(fmt(num.value), forms[i].value) == 0);
			CHECK((num.flags & forms[i].flags) == forms[i].flags);
			CHECK(num.len == got);
		}
	}
	/* no binary floating point: 0.1 + 0.2 */
	{
		Num a, b;

		num_parse("0.1", 3, &a);
		num_parse("0.2", 3, &b);
		CHECK(dec_add(&a.value, b.value) == DEC_OK);
		CHECK_STR(fmt(a.value), "0.3");
	}
	/* starts */
	CHECK(num_starts("5", 1));
	CHECK(num_starts("十五", 6));
	CHECK(num_starts("百分之五", 12));
	CHECK(!num_starts("百姓", 6));
	CHECK(num_starts("百余", 6));
	CHECK(!num_starts("千", 3));
	CHECK(!num_starts("万", 3));
	CHECK(!num_starts("a", 1));
	CHECK(!num_starts("", 0));

	/* qualifiers before / after and precedence */
	CHECK(num_qual_before("总浏览量超过", strlen("总浏览量超过"), &k) == QUAL_MORE && k == 6);
	CHECK(num_qual_before("点赞总数超", strlen("点赞总数超"), &k) == QUAL_MORE && k == 3);
	CHECK(num_qual_before("受众逾", strlen("受众逾"), &k) == QUAL_MORE);
	CHECK(num_qual_before("挽回经济损失近", strlen("挽回经济损失近"), &k) == QUAL_LESS);
	CHECK(num_qual_before("不足", 6, &k) == QUAL_LESS);
	CHECK(num_qual_before("不到", 6, &k) == QUAL_LESS);
	CHECK(num_qual_before("发放宣传资料约", strlen("发放宣传资料约"), &k) == QUAL_ABOUT);
	CHECK(num_qual_before("受理", 6, &k) == 0 && k == 0);
	CHECK(num_qual_before("", 0, &k) == 0);
	CHECK(num_qual_after("以上事项", strlen("以上事项"), &k) == QUAL_MORE && k == 6);
	CHECK(num_qual_after("左右", 6, &k) == QUAL_ABOUT);
	CHECK(num_qual_after("以内", 6, &k) == QUAL_LESS);
	CHECK(num_qual_after("件", 3, &k) == 0);
	CHECK(num_qual_merge(QUAL_LESS, QUAL_MORE) == QUAL_LESS);	/* 近200余万元 */
	CHECK(num_qual_merge(QUAL_MORE, QUAL_LESS) == QUAL_LESS);
	CHECK(num_qual_merge(QUAL_ABOUT, QUAL_MORE) == QUAL_ABOUT);
	CHECK(num_qual_merge(0, QUAL_MORE) == QUAL_MORE);
	CHECK(num_qual_merge(0, 0) == QUAL_EQ);

	/* units */
	CHECK(num_unit("件,", 4, &u, &p) == 3 && strcmp(u, "件") == 0 && p == 0);
	CHECK(num_unit("场次", 6, &u, &p) == 6 && strcmp(u, "场") == 0);
	CHECK(num_unit("件次", 6, &u, &p) == 6 && strcmp(u, "次") == 0);
	CHECK(num_unit("人次", 6, &u, &p) == 6 && strcmp(u, "人次") == 0);
	CHECK(num_unit("起", 3, &u, &p) == 3 && strcmp(u, "件") == 0);
	CHECK(num_unit("宗", 3, &u, &p) == 3 && strcmp(u, "件") == 0);
	CHECK(num_unit("位", 3, &u, &p) == 3 && strcmp(u, "人") == 0);
	CHECK(num_unit("本", 3, &u, &p) == 3 && strcmp(u, "本") == 0);
	CHECK(num_unit("万元", 6, &u, &p) == 6 && strcmp(u, "元") == 0 && p == 4);
	CHECK(num_unit("亿元", 6, &u, &p) == 6 && p == 8);
	CHECK(num_unit("%", 1, &u, &p) == 1 && strcmp(u, "%") == 0);
	CHECK(num_unit("％", 3, &u, &p) == 3 && strcmp(u, "%") == 0);
	CHECK(num_unit("个百分点", 12, &u, &p) == 12 && strcmp(u, "个百分点") == 0);	/* as written */
	CHECK(num_unit("百分点", 9, &u, &p) == 9 && strcmp(u, "百分点") == 0);
	CHECK(num_unit("种", 3, &u, &p) == 3 && strcmp(u, "种") == 0);
	CHECK(num_unit("方面", 6, &u, &p) == 6 && strcmp(u, "方面") == 0);
	CHECK(num_unit("组织", 6, &u, &p) == 0);
	CHECK(num_unit("幅度", 6, &u, &p) == 0);
	CHECK(num_unit("个行政处罚事项", 21, &u, &p) == 3 && strcmp(u, "个") == 0);
	CHECK(num_unit("部门", 6, &u, &p) == 0);
	CHECK(num_unit("项目", 6, &u, &p) == 0);
	CHECK(num_unit("年", 3, &u, &p) == 0);
	CHECK(num_unit("学时", 6, &u, &p) == 0);
	CHECK(num_unit("", 0, &u, &p) == 0);
	CHECK(num_unit("\xe4", 1, &u, &p) == 0);	/* truncated */

	/* truncated and invalid UTF-8 never read past n */
	CHECK(num_parse("\xe5\x8d", 2, &num) == 0);
	CHECK(num_parse("1\xef\xbc", 3, &num) == 1);
	CHECK(num_parse("\xff", 1, &num) == 0);
	UNIT_END("numparse");
}
