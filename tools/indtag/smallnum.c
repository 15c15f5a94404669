/* smallnum.c: small Chinese numerals (二 to 九, 两) standing alone: whether
 * one counts things done or met (召开了三次座谈会, 两个县市司法局) or is part of
 * a name, an ordinal, a session, a list or a policy formula (三项制度,
 * 第三次, 两个维护). scan.c asks; the word lists are here. */
#include "indtag_int.h"
#include "numparse.h"

#include <stdint.h>
#include <string.h>

/* The counting words a small Chinese numeral takes when it counts things
 * done or met (召开了三次座谈会, 每周两期, 翻译成七种文字, 两个县市司法局, 细分为
 * 七方面): not 项 条 级 大 (三项制度, 两条腿, 三级网络, 五大顽疾: names). */
static const char *const small_units[] = {
	"次", "期", "场", "种", "个", "家", "名", "件", "份", "部", "批", "组", "幅", "方面", NULL,
};

/* The characters before a small numeral that make it no count: an ordinal
 * (第), a demonstrative or a period (这两个, 近三年, 前两批), a list it
 * restates (…等六种方式, “三个工程”), a manner (分七期, 逐一), a session
 * (十五届三次会议), the end of a range (一到两次), another numeral
 * (一两个) or a measure (每, 各). */
static const uint32_t small_not_after[] = {
	0x7B2C, 0x8FD9, 0x90A3, 0x6B64, 0x8BE5, 0x5176, 0x524D, 0x540E, 0x4E0A, 0x4E0B, 0x8FD1,
	0x5934, 0x672B, 0x7B49, 0x3001, 0x548C, 0x4E0E, 0x53CA, 0x6216, 0x201D, 0x201C, 0x300C,
	0x300D, 0x5206, 0x9010, 0x6BCF, 0x51E0, 0x5404, 0x672C, 0x540C, 0x9996, 0x5355, 0x53CC,
	0x591A, 0x662F, 0x300B, 0x4E00, 0x5341, 0x767E, 0x5343, 0x4E07, 0x500D,
	0x9019, 0x8207, 0x5F8C, 0x982D, 0x8A72, 0x55AE, 0x96D9, 0x5E7E, 0x5C4A, 0x5C46, 0x5230,
	0x81F3, 0
};

/* Verbs of policy whose object a small numeral names rather than counts
 * (促进四个协调小组…, 做到两个维护, 坚持三个导向, 树立四个意识). */
static const char *const small_policy_verbs[] = {
	"促进", "推进", "推动", "做到", "坚持", "落实", "增强", "树立", "强化", "围绕", "聚焦",
	"把握", "突出", "抓住", "紧扣", "统筹", "深化", "践行", "贯彻", "实施", "健全", "完善",
	"构建", "打造", "形成", "建立", "把好", "守好", "用好", NULL,
};

/* Is the lone Chinese digit at s[i] (二 to 九, 两) a count: a counting word
 * of small_units after it, no word of small_not_after before it, outside
 * quotes, no policy verb before it, no 、 list before it in its clause, and 方面 only in a breakdown
 * with a figure after it (七方面21个要点, not 从三个方面着手)? */
int
indtag_small_count(const unsigned char *s, size_t n, size_t i, size_t line, size_t clause)
{
	int v = num_cn_value(cp3(s + i)), pw, k, open = 0;
	const char *u;
	size_t ul, j, q;
	uint32_t pc;

	/* a count of two is 两 (两次, 两期); 二 before a measure word is a
	 * phase or an adjective (二期工程, 二次整改) */
	if (v < 2 || v > 9 || i + 3 >= n || cp3(s + i) == 0x4E8C)
		return 0;
	ul = num_unit((const char *)s + i + 3, n - i - 3, &u, &pw);
	if (ul == 0)
		return 0;
	for (k = 0; small_units[k] && strcmp(small_units[k], u) != 0; k++)
		;
	if (!small_units[k])
		return 0;
	pc = prev_cp(s, line, i);
	if ((pc >= '0' && pc <= '9') || (pc >= 'A' && pc <= 'Z') || (pc >= 'a' && pc <= 'z') || pc == '"')
		return 0;
	for (k = 0; small_not_after[k]; k++)
		if (pc == small_not_after[k])
			return 0;
	for (k = 0; small_policy_verbs[k]; k++)
		if (i >= line + 6 && memcmp(s + i - 6, small_policy_verbs[k], 6) == 0)
			return 0;
	/* inside quotes, or after a list, in its clause */
	for (q = clause; q + 3 <= i; q++) {
		if (s[q] == 0xE2 && s[q + 1] == 0x80 && (s[q + 2] == 0x9C || s[q + 2] == 0x9D))
			open = s[q + 2] == 0x9C;	/* “ ” */
		else if (s[q] == 0xE3 && s[q + 1] == 0x80 && s[q + 2] == 0x81)
			return 0;			/* 、 */
	}
	if (open)
		return 0;
	j = i + 3 + ul;
	if (j + 3 <= n && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0x9D)
		return 0;	/* 三个” */
	if (strcmp(u, "期") == 0 && (starts_with((const char *)s + j, n - j, "工程") ||
				     starts_with((const char *)s + j, n - j, "项目")))
		return 0;	/* a phase: 三期工程 */
	if (strcmp(u, "方面") == 0 || starts_with((const char *)s + j, n - j, "方面")) {
		if (strcmp(u, "方面") != 0)
			j += 6;
		return j < n && (num_starts((const char *)s + j, n - j) ||
				 (s[j] >= '0' && s[j] <= '9'));
	}
	return 1;
}

/* Is cp at s[i] a Chinese digit 1-9 with no numeral, 余, 多 or 成 after it? */
int
indtag_lone_cn_digit(const unsigned char *s, size_t n, size_t i, uint32_t cp)
{
	int v = num_cn_value(cp);
	uint32_t nx;

	if (v < 1 || v > 9)
		return 0;
	if (i + 5 >= n || s[i + 3] < 0xE0 || s[i + 3] > 0xEF)
		return 1;
	nx = cp3(s + i + 3);
	return num_cn_value(nx) < 0 && nx != 0x4F59 && nx != 0x591A && nx != 0x6210;
}
