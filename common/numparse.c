/* numparse.c: see numparse.h. */
#include "numparse.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Largest Chinese-numeral value we accept (keeps every step exact in 64 bits). */
#define CN_MAX 100000000000000000ULL	/* 10^17 */

/* The numerals in a table by a hash of the code point (Knuth's multiplier,
 * the top 7 bits: no two of them share a slot, which cn_init checks): a
 * load and a compare, where a switch left the processor guessing at its
 * branches for every character after a number. */
#define CN_SLOT(cp) ((uint32_t)(cp) * 0x9E3779B1u >> 25)
static struct {
	uint32_t cp;
	int value;
} cn_slot[128];
static int cn_ready;

static void
cn_init(void)
{
	static const struct {
		uint32_t cp;
		int value;
	} cn[] = {
		{0x96F6, 0}, {0x3007, 0},			/* 零 〇 */
		{0x4E00, 1},					/* 一 */
		{0x4E8C, 2}, {0x4E24, 2}, {0x5169, 2},		/* 二 两 兩 */
		{0x4E09, 3}, {0x56DB, 4}, {0x4E94, 5},		/* 三 四 五 */
		{0x516D, 6}, {0x4E03, 7}, {0x516B, 8},		/* 六 七 八 */
		{0x4E5D, 9},					/* 九 */
		{0x5341, 10}, {0x767E, 100}, {0x5343, 1000},	/* 十 百 千 */
		{0x4E07, 10000}, {0x842C, 10000},		/* 万 萬 */
		{0x4EBF, 100000000}, {0x5104, 100000000},	/* 亿 億 */
		{0, 0}
	};
	int i;

	for (i = 0; i < 128; i++)
		cn_slot[i].cp = UINT32_MAX;	/* no character */
	for (i = 0; cn[i].cp; i++) {
		uint32_t h = CN_SLOT(cn[i].cp);

		if (cn_slot[h].cp != UINT32_MAX)
			abort();	/* two numerals in a slot: pick another multiplier */
		cn_slot[h].cp = cn[i].cp;
		cn_slot[h].value = cn[i].value;
	}
	cn_ready = 1;
}

int
num_cn_value(uint32_t cp)
{
	uint32_t h = CN_SLOT(cp);

	if (!cn_ready)
		cn_init();
	return cn_slot[h].cp == cp ? cn_slot[h].value : -1;
}

/* ASCII or full-width digit at s: its value and byte length, or -1. */
static inline int
digit_at(const unsigned char *s, size_t n, size_t *len)
{
	if (n >= 1 && s[0] >= '0' && s[0] <= '9') {
		*len = 1;
		return s[0] - '0';
	}
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
		*len = 3;
		return s[2] - 0x90;
	}
	return -1;
}

static inline uint32_t
cp_at(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp;
	int l;

	/* the usual case, a valid 3-byte character, without the decoder */
	if (n >= 3 && s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	l = utf8_decode(s, n, &cp);

	*len = l > 0 ? (size_t)l : 1;
	return l > 0 ? cp : UTF8_REPLACEMENT;
}

/* Does s[0..n) start with the string literal p? (sizeof: its length is
 * known at compile time, and the comparison inlined) */
#define has_prefix(s, n, p) ((n) >= sizeof(p) - 1 && memcmp((s), (p), sizeof(p) - 1) == 0)

int
num_starts(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t l;
	uint32_t cp;
	int v;

	if (n == 0)
		return 0;
	if (digit_at(s, n, &l) >= 0)
		return 1;
	if (s[0] < 0xE3 || s[0] > 0xE9)
		return 0;
	cp = cp_at(s, n, &l);
	v = num_cn_value(cp);
	if (v < 0)
		return 0;
	/* 百/千/万/亿 cannot begin a number, except 百分之 and 百余/千多. */
	if (v == 100 || v == 1000)
		return has_prefix(s, n, "百分之") || has_prefix(s + 3, n - 3, "余") ||
		       has_prefix(s + 3, n - 3, "多");
	return v < 100;
}

/* Arabic digits, thousands separators, one decimal point. The value is
 * accumulated as the digits go (what dec_parse would make of them): no
 * more than 38 significant digits, 30 after the point, and a string of 63
 * digits and point at most (longer is an id, not a count). */
static size_t
parse_arabic(const unsigned char *s, size_t n, Num *num)
{
	unsigned __int128 m = 0;
	size_t bl = 0, i = 0;
	int d, point = 0, group = 0, first_group = 1, sig = 0, scale = 0;

	while (i < n) {
		if (s[i] >= '0' && s[i] <= '9') {
			d = s[i] - '0';
			i++;
		} else if (s[i] == 0xEF && i + 2 < n && s[i + 1] == 0xBC && s[i + 2] >= 0x90 &&
			   s[i + 2] <= 0x99) {
			d = s[i + 2] - 0x90;	/* full-width digit */
			i += 3;
		} else {
			d = -1;
		}
		if (d >= 0) {
			if (bl >= 63)
				return 0;	/* a digit string no count has: an id */
			bl++;
			if (m != 0 || d != 0)
				sig++;
			if (sig > 38 || (point && ++scale > DEC_MAX_SCALE))
				return 0;	/* more than a Dec holds */
			m = m * 10 + (unsigned)d;
			num->ndigits++;
			group++;
			continue;
		}
		/* "1,234": a comma between groups of three, ASCII only. */
		if (s[i] == ',' && !point && group > 0 &&
		    (first_group ? group <= 3 : group == 3) && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '9' &&
		    s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9' &&
		    (i + 4 >= n || !(s[i + 4] >= '0' && s[i + 4] <= '9'))) {
			num->flags |= NUM_GROUPED;
			first_group = 0;
			group = 0;
			i++;
			continue;
		}
		if (!point && bl > 0 && (s[i] == '.' || has_prefix(s + i, n - i, "．"))) {
			size_t pl = s[i] == '.' ? 1 : 3, l;

			if (digit_at(s + i + pl, n - i - pl, &l) < 0)
				break;
			point = 1;
			bl++;
			num->flags |= NUM_DECIMAL;
			i += pl;
			group = 0;
			continue;
		}
		break;
	}
	if (bl == 0)
		return 0;
	num->value.mant = (__int128)m;
	num->value.scale = scale;
	num->flags |= NUM_ARABIC;
	return i;
}

/* Chinese numerals: 一百二十三, 两千, 三千五百万, 十余 (stops at 余), 二〇二〇. */
static size_t
parse_chinese(const unsigned char *s, size_t n, Num *num)
{
	unsigned long long yi = 0, wan = 0, sec = 0, cur = 0;
	unsigned long long after_mag = 0;	/* magnitude right before the last digit */
	unsigned long long prev_mag = 0;	/* previous char was this magnitude */
	int prev_digit = 0, any = 0;
	size_t i = 0, l;

	while (i < n && num->ndigits < 40) {
		uint32_t cp = cp_at(s + i, n - i, &l);
		int v = num_cn_value(cp);

		if (v < 0)
			break;
		if (v < 10) {
			if (v == 0 && prev_mag) {
				/* 三千零五: 零 only separates */
				after_mag = 0;
				prev_digit = 0;
			} else if (prev_digit) {
				cur = cur * 10 + (unsigned)v;
				num->flags |= NUM_POSITIONAL;
			} else {
				cur = (unsigned)v;
				after_mag = prev_mag;
				prev_digit = 1;
			}
			prev_mag = 0;
		} else if (v <= 1000) {
			if (!prev_digit) {
				/* 百/千 do not start a number, but 百余人, 千多件 */
				if (v != 10 && !any && !has_prefix(s + i + l, n - i - l, "余") &&
				    !has_prefix(s + i + l, n - i - l, "多"))
					break;
				cur = 1;	/* 十五, 一千零十 */
			}
			sec += cur * (unsigned)v;
			cur = 0;
			prev_digit = 0;
			prev_mag = (unsigned)v;
			after_mag = 0;
			num->flags |= NUM_MAGNITUDE;
		} else if (v == 10000) {
			if (sec + cur == 0)
				break;
			wan += (sec + cur) * 10000ULL;
			sec = cur = 0;
			prev_digit = 0;
			prev_mag = 10000;
			after_mag = 0;
			num->flags |= NUM_MAGNITUDE;
		} else {
			if (wan + sec + cur == 0)
				break;
			yi += (wan + sec + cur) * 100000000ULL;
			wan = sec = cur = 0;
			prev_digit = 0;
			prev_mag = 100000000;
			after_mag = 0;
			num->flags |= NUM_MAGNITUDE;
		}
		any = 1;
		num->ndigits++;
		i += l;
		if (yi > CN_MAX || wan > CN_MAX || sec > CN_MAX || cur > CN_MAX)
			return 0;
	}
	if (!any)
		return 0;
	/* 三千五 is 3500, 一万二 is 12000: a last digit right after a magnitude
	 * counts in the next lower place. */
	if (prev_digit && after_mag >= 100 && !(num->flags & NUM_POSITIONAL))
		cur *= after_mag / 10;
	num->value = dec_from_int((long long)(yi + wan + sec + cur));
	num->flags |= NUM_CHINESE;
	return i;
}

size_t
num_parse(const char *str, size_t n, Num *num)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, l;
	int k, mult = 0, small_mult = 0, more = 0;

	memset(num, 0, sizeof *num);
	if (n == 0)
		return 0;
	if (has_prefix(s, n, "百分之")) {
		Num inner;
		size_t m = num_parse(str + 9, n - 9, &inner);

		/* 百分之百: a hundred per cent (百 alone begins no number) */
		if (m == 0 && has_prefix(s + 9, n - 9, "百") &&
		    (n < 15 || num_cn_value(cp_at(s + 12, n - 12, &l)) < 0)) {
			num->value = dec_from_int(100);
			num->flags = NUM_CHINESE | NUM_PERCENT;
			num->ndigits = 1;
			num->len = 12;
			return num->len;
		}
		if (m == 0 || (inner.flags & NUM_PERCENT))
			return 0;
		*num = inner;
		num->flags |= NUM_PERCENT;
		num->len = 9 + m;
		return num->len;
	}
	if (digit_at(s, n, &l) >= 0)
		i = parse_arabic(s, n, num);
	else if (num_starts(str, n))
		i = parse_chinese(s, n, num);
	else
		return 0;
	if (i == 0) {
		memset(num, 0, sizeof *num);
		return 0;
	}
	/* Multipliers and 余/多 after the digits: 1.7万 3千余 11余万 140万余. */
	for (k = 0; k < 4 && i < n; k++) {
		uint32_t cp;
		int v;

		/* 万 亿 余 E4, 億 千 多 E5, 百 E7, 萬 E8: most numbers end here */
		if (s[i] < 0xE4 || s[i] > 0xE8)
			break;
		cp = cp_at(s + i, n - i, &l);
		v = num_cn_value(cp);

		if ((v == 10000 || v == 100000000) && mult < 2) {
			if (dec_mul_pow10(&num->value, v == 10000 ? 4 : 8) != DEC_OK)
				return 0;
			num->flags |= NUM_MAGNITUDE;
			mult++;
		} else if ((v == 1000 || v == 100) && (num->flags & NUM_ARABIC) && !mult &&
			   !small_mult && !(num->flags & NUM_CHINESE) &&
			   !has_prefix(s + i, n - i, "百分") && !has_prefix(s + i, n - i, "千米") &&
			   !has_prefix(s + i, n - i, "千克") && !has_prefix(s + i, n - i, "千瓦")) {
			if (dec_mul_pow10(&num->value, v == 1000 ? 3 : 2) != DEC_OK)
				return 0;
			num->flags |= NUM_MAGNITUDE;
			small_mult = 1;
		} else if ((cp == 0x4F59 || cp == 0x591A) && !more) {	/* 余 多 */
			more = 1;
			num->flags |= NUM_MORE;
		} else {
			break;
		}
		i += l;
	}
	/* 五成: tenths, written for shares. Only a bare Chinese digit before 成
	 * and a clause end or qualifier after it (一成不变 is not 10%). */
	if ((num->flags & NUM_CHINESE) && !(num->flags & (NUM_MAGNITUDE | NUM_POSITIONAL | NUM_MORE)) &&
	    has_prefix(s + i, n - i, "成")) {
		const unsigned char *t = s + i + 3;
		size_t tn = n - i - 3;

		if (tn == 0 || *t == ',' || *t == ';' || *t == '.' || has_prefix(t, tn, "。") ||
		    has_prefix(t, tn, ",") || has_prefix(t, tn, "、") || has_prefix(t, tn, "以上") ||
		    has_prefix(t, tn, "左右") || has_prefix(t, tn, "多") || has_prefix(t, tn, "的")) {
			dec_mul_pow10(&num->value, 1);
			num->flags |= NUM_PERCENT;
			i += 3;
		}
	}
	dec_normalize(&num->value);
	num->len = i;
	return i;
}

struct qword {
	const char *w;
	int q;
	size_t len;		/* strlen(w) */
};
#define QW(w, q) {w, q, sizeof(w) - 1}

int
num_qual_before(const char *str, size_t n, size_t *cuelen)
{
	/* longest first where one word ends another */
	static const struct qword before[] = {
		QW("超过", QUAL_MORE), QW("多于", QUAL_MORE), QW("高于", QUAL_MORE), QW("逾", QUAL_MORE),
		QW("超", QUAL_MORE),
		QW("将近", QUAL_LESS), QW("接近", QUAL_LESS), QW("近", QUAL_LESS), QW("不足", QUAL_LESS),
		QW("不到", QUAL_LESS),
		QW("大约", QUAL_ABOUT), QW("约", QUAL_ABOUT), QW("大概", QUAL_ABOUT),
		{NULL, 0, 0}
	};
	const unsigned char *s = (const unsigned char *)str;
	int i;

	*cuelen = 0;
	for (i = 0; before[i].w; i++) {
		size_t k = before[i].len;

		if (n >= k && memcmp(s + n - k, before[i].w, k) == 0) {
			*cuelen = k;
			return before[i].q;
		}
	}
	return 0;
}

int
num_qual_after(const char *str, size_t n, size_t *cuelen)
{
	const unsigned char *s = (const unsigned char *)str;

	*cuelen = 0;
	if (n < 3 || (s[0] != 0xE4 && s[0] != 0xE5))	/* every word starts so */
		return 0;
	/* 以上 余 多 -> '>', 左右 -> '~', 以下 以内 -> '<' (no word begins another) */
	if (has_prefix(s, n, "以上") || has_prefix(s, n, "余") || has_prefix(s, n, "多")) {
		*cuelen = has_prefix(s, n, "以上") ? 6 : 3;
		return QUAL_MORE;
	}
	if (has_prefix(s, n, "左右")) {
		*cuelen = 6;
		return QUAL_ABOUT;
	}
	if (has_prefix(s, n, "以下") || has_prefix(s, n, "以内")) {
		*cuelen = 6;
		return QUAL_LESS;
	}
	return 0;
}

static int
qrank(int q)
{
	switch (q) {
	case QUAL_LESS: return 3;
	case QUAL_ABOUT: return 2;
	case QUAL_MORE: return 1;
	}
	return 0;
}

int
num_qual_merge(int a, int b)
{
	if (a == 0)
		a = QUAL_EQ;
	if (b == 0)
		b = QUAL_EQ;
	return qrank(a) >= qrank(b) ? a : b;
}

struct unit {
	const char *w;		/* as written */
	const char *norm;
	int pow10;
	size_t len;		/* strlen(w) */
};

/* Entries that begin with the same character are adjacent, the longest
 * first (num_unit finds the first by that character and tries them in
 * order). */
/* U(): the length is known at compile time */
#define U(w, norm, p) {w, norm, p, sizeof(w) - 1}
static const struct unit units[] = {
	U("个百分点", "个百分点", 0), U("个", "个", 0), U("百分点", "百分点", 0),
	U("人次", "人次", 0), U("人", "人", 0), U("件次", "次", 0), U("件", "件", 0),
	U("场次", "场", 0), U("场", "场", 0), U("批次", "批", 0), U("批", "批", 0),
	U("亿元", "元", 8), U("万元", "元", 4), U("千元", "元", 3),
	U("起", "件", 0), U("宗", "件", 0),
	U("名", "名", 0), U("位", "人", 0), U("户", "户", 0),
	U("次", "次", 0), U("期", "期", 0),
	U("项", "项", 0), U("条", "条", 0), U("部", "部", 0),
	U("份", "份", 0), U("家", "家", 0), U("台", "台", 0), U("卷", "卷", 0),
	U("所", "所", 0), U("处", "处", 0), U("本", "本", 0), U("册", "册", 0),
	U("篇", "篇", 0), U("套", "套", 0), U("张", "张", 0), U("支", "支", 0),
	U("座", "座", 0), U("种", "种", 0), U("组", "组", 0), U("幅", "幅", 0),
	U("方面", "方面", 0), U("元", "元", 0), U("%", "%", 0), U("％", "%", 0),
	{NULL, NULL, 0, 0}
};

/* Words that begin with a unit character but are no unit: 5部门 is not
 * "5 部 of 门". Adjacent by first character, as units[]. */
static const char *const not_units[] = {
	"部门", "部署", "部分", "台账", "台阶", "处理", "处罚", "处置", "处室", "期间",
	"期限", "条例", "条件", "项目", "家庭", "家长", "名单", "名称", "名义", "本级",
	"本地", "本次", "本年", "本人", "本部", "场所", "场景", "场地", "支持", "支付",
	"支撑", "座谈", "所属", "所有", "所在", "户籍", "户口", "张贴", "篇章", "人民",
	"人员", "人大", "人口", "人才", "份额", "次数", "起草", "起诉", "起点", "套餐",
	"件事", "位于", "元旦", "元素", "种类", "种植", "种子", "种养", "组织", "组成",
	"组建", "组长", "组合", "组团", "组员", "幅度", NULL
};

/* The first character of a unit as a key: the code point of a 3-byte
 * character (bits taken as they are: the caller compares the bytes), '%'
 * for "%", 0 for anything else. */
static inline uint32_t
first_key(const unsigned char *s, size_t n)
{
	if (n >= 1 && s[0] == '%')
		return '%';
	if (n < 3 || s[0] < 0xE0 || s[0] > 0xEF)
		return 0;
	return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
}

/* A small open hash from a first character to the first entry of units[]
 * and of not_units[] that begins with it (-1: none), built on first use:
 * a number is followed by anything, and the unit lists are long. */
#define UHASH 128	/* a power of two, over twice the distinct first characters */
static struct {
	uint32_t key;	/* 0: empty slot */
	short unit, unit_end, not_unit;
} uhash[UHASH];
static int uhash_ready;

static inline int
uhash_slot(uint32_t key)
{
	unsigned h = (key * 2654435761u) >> 25;	/* 7 bits: UHASH */

	while (uhash[h].key != 0 && uhash[h].key != key)
		h = (h + 1) & (UHASH - 1);
	return (int)h;
}

static void
uhash_init(void)
{
	int i, h;

	for (i = 0; units[i].w; i++) {
		h = uhash_slot(first_key((const unsigned char *)units[i].w, units[i].len));
		if (uhash[h].key == 0) {
			uhash[h].key = first_key((const unsigned char *)units[i].w, units[i].len);
			uhash[h].unit = (short)i;
			uhash[h].not_unit = -1;
		}
		uhash[h].unit_end = (short)(i + 1);
	}
	for (i = 0; not_units[i]; i++) {
		h = uhash_slot(first_key((const unsigned char *)not_units[i], 3));
		if (uhash[h].key != 0 && uhash[h].not_unit < 0)
			uhash[h].not_unit = (short)i;
	}
	uhash_ready = 1;
}

size_t
num_unit(const char *str, size_t n, const char **norm, int *pow10)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t key;
	int i, j, h;

	*norm = NULL;
	*pow10 = 0;
	if (n == 0)
		return 0;
	if (s[0] != '%' && (s[0] < 0xE4 || s[0] > 0xEF))
		return 0;
	if (!uhash_ready)
		uhash_init();
	key = first_key(s, n);
	if (key == 0)
		return 0;
	h = uhash_slot(key);
	if (uhash[h].key == 0)
		return 0;
	/* the entries that begin with this character, longest first */
	for (i = uhash[h].unit; i < uhash[h].unit_end; i++) {
		size_t k = units[i].len, b;

		if (k > n)
			continue;
		for (b = 0; b < k && s[b] == (unsigned char)units[i].w[b]; b++)
			;
		if (b < k)
			continue;
		/* only single-character units can begin a longer word */
		if (k <= 3 && n >= 6 && uhash[h].not_unit >= 0) {
			for (j = uhash[h].not_unit; not_units[j] && memcmp(not_units[j], s, 3) == 0; j++)
				if (memcmp(not_units[j] + 3, s + 3, 3) == 0)
					return 0;
		}
		*norm = units[i].norm;
		*pow10 = units[i].pow10;
		return k;
	}
	return 0;
}
