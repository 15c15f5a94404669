/* linetype.c: what one line looks like, from its text alone: a heading
 * or list marker, a date alone, a salutation or speaker (colon line), a
 * title, a bulleted menu item, a line of the document's own text. The
 * chrome, join and learn passes decide with these. */
#include "deboiler_int.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* A heading or list-item marker: 一、 (一) 1. 1、 (1) ① 第一, and, with
 * enums, the 一是 that starts an enumerated paragraph. */
int
marker_at(const char *s, size_t n, int enums)
{
	size_t i = 0;
	int l, k = 0;
	uint32_t cp = cp_at(s, n, 0, &l);

	if (n == 0)
		return 0;
	if (cp == '(' || cp == 0xFF08) {
		i = (size_t)l;
		while (i < n && (cp = cp_at(s, n, i, &l), is_cn_numeral(cp) || uc_is_digit(cp)))
			i += (size_t)l, k++;
		return k > 0 && k <= 3 && i < n && (cp == ')' || cp == 0xFF09);
	}
	if (cp >= 0x2460 && cp <= 0x2473)	/* ① .. ⑳ */
		return 1;
	if (is_cn_numeral(cp)) {
		while (i < n && (cp = cp_at(s, n, i, &l), is_cn_numeral(cp)))
			i += (size_t)l, k++;
		return k <= 3 && i < n && (cp == 0x3001 || (enums && cp == 0x662F));	/* 、 是 */
	}
	if (uc_is_digit(cp)) {
		while (i < n && uc_is_digit((uint32_t)(unsigned char)s[i]))
			i++, k++;
		if (k > 2 || i >= n)
			return 0;
		cp = cp_at(s, n, i, &l);
		if (cp == 0x3001 || cp == 0xFF0E)	/* 、 . */
			return 1;
		if (cp == '.' && i + 1 < n && !uc_is_digit((uint32_t)(unsigned char)s[i + 1]))
			return 1;
		return 0;
	}
	if (cp == 0x7B2C && n > 6)		/* 第一, 第二, as list items */
		return is_cn_numeral(cp_at(s, n, 3, &l)) && has_str(s, n < 12 ? n : 12, ",");
	return 0;
}

int
is_marker_line(const char *s, size_t n)
{
	return marker_at(s, n, 0);
}

/* A date line alone: 2021年6月30日, 2021-06-30, 二〇二一年六月三十日. */
int
is_date_line(const char *s, size_t n)
{
	size_t i = 0, nc = 0;
	int l, digits = 0, nian = 0, ri = 0, seps = 0;

	if (n > 60)
		return 0;
	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		i += (size_t)l;
		nc++;
		if (uc_is_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19) || is_cn_numeral(cp) ||
		    cp == 0x25CB || cp == 0x3007)
			digits++;
		else if (cp == 0x5E74)	/* 年 */
			nian++;
		else if (cp == 0x6708)	/* 月 */
			;
		else if (cp == 0x65E5)	/* 日 */
			ri++;
		else if (cp == '-' || cp == '/' || cp == '.' || cp == 0xFF0D || cp == 0xFF0F || cp == 0xFF0E)
			seps++;
		else if (!is_blank_cp(cp))
			return 0;
	}
	return digits >= 4 && ((nian && ri) || (seps == 2 && nc <= 12));
}

/* Lines that end with a colon and are short: salutations and speakers. */
int
is_colon_line(const char *s, size_t n, size_t nchar)
{
	return nchar <= 60 && (ends_with(s, n, ":") || ends_with(s, n, "\xEF\xBC\x9A")) &&
	       !has_str(s, n, "\xE3\x80\x82");	/* 。 */
}

int
has_sentence_punct(const char *s, size_t n)
{
	return has_str(s, n, "\xE3\x80\x82") || has_str(s, n, ",") || has_str(s, n, ";") ||
	       has_str(s, n, "\xEF\xBC\x8C") || has_str(s, n, "\xEF\xBC\x9B");	/* 。 , ; , ; */
}

static const char *const title_ends[] = {
	"报告", "報告", "答复", "答覆", "答復", "实录", "實錄", "情况", "情況", "总结", "總結",
	"专场", "專場", "发布会", "發布會", "意见", "意見", "通知", "方案", "讲话", "講話",
	"要点", "要點", "公告", "决定", "決定", "复函", "復函", "说明", "說明", "规划", "規劃",
	"计划", "計劃", "办法", "辦法", "通报", "通報", "汇报", "匯報", "纪实", "紀實", "综述",
	"綜述", "回复", "回覆", "报道", "報道", "推进会", "推進會", "座谈会", "座談會",
	"工作会议", "工作會議", "纪要", "紀要", "公报", "公報", "白皮书", "白皮書", "条例",
	"條例", "规定", "規定", "细则", "細則", "清单", "清單", "解读", "解讀", NULL,
};

/* Title-like: short, no sentence punctuation, no marker, a title ending
 * (optionally followed by a parenthesised note). */
int
is_title_like(const char *s, size_t n, size_t nchar)
{
	size_t m = n;
	int i;

	if (nchar < 6 || nchar > 90 || is_marker_line(s, n) || is_colon_line(s, n, nchar))
		return 0;
	if (has_str(s, n, "\xE3\x80\x82") || has_str(s, n, ";") || has_str(s, n, "\xEF\xBC\x9B") ||
	    has_str(s, n, "\xEF\xBC\x9A") || has_str(s, n, ":"))	/* 。 ; ; : : */
		return 0;
	if (ends_with(s, m, ")") || ends_with(s, m, "\xEF\xBC\x89")) {	/* "…报告(草案)" */
		size_t k = m;

		while (k > 0 && s[k - 1] != '(' && !(k >= 3 && memcmp(s + k - 3, "\xEF\xBC\x88", 3) == 0))
			k--;
		if (k > 0)
			m = s[k - 1] == '(' ? k - 1 : k - 3;
	}
	for (i = 0; title_ends[i]; i++)
		if (ends_with(s, m, title_ends[i]))
			return 1;
	return 0;
}

/* A short item after a bullet, without a sentence in it. */
int
is_bullet_item(const char *s, size_t n, size_t nchar)
{
	int l;
	uint32_t cp = cp_at(s, n, 0, &l);

	if (nchar > 40 || has_str(s, n, "\xE3\x80\x82"))	/* 。 */
		return 0;
	return cp == 0x00B7 || cp == 0x2022 || cp == 0x25CF || cp == 0x25CB || cp == 0x25C6 ||
	       cp == 0x25A0 || cp == 0x25A1 || cp == 0x25AA || cp == 0x25BA || cp == 0x203A ||
	       cp == 0x00BB || cp == '*' || cp == '>' || (cp == '-' && n > 1 && s[1] == ' ');
}

/* Lines the document itself is made of, never taken for chrome by the
 * structural and learned passes. */
int
is_structural(const char *s, size_t n, size_t nchar)
{
	return is_marker_line(s, n) || is_date_line(s, n) || is_colon_line(s, n, nchar);
}

/* First line of the document's own text: a salutation, a heading, a date
 * line or a sentence. */
int
is_content_line(const char *s, size_t n, size_t nchar)
{
	if (is_marker_line(s, n) || is_colon_line(s, n, nchar) || is_date_line(s, n))
		return 1;
	if (ends_with(s, n, "\xE3\x80\x82"))	/* 。 */
		return 1;
	return nchar >= 30 && has_sentence_punct(s, n);
}
