/* docguess.c: a document's type and year from its title and body (see
 * docguess.h), by cues any reader of a Chinese government report uses: the
 * title's words, reply formulas, press-conference turns, a numbered outline
 * of a year's work, the year the opening sentence or first heading names,
 * 今年/去年 against the publication date. Owns nothing else. */
#include "docguess.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *s;
	size_t n;
} Line;

enum { MAXLINES = 400, LEAD = 3 };

static int has(const char *s, size_t n, const char *w);
static int any_of(const char *s, size_t n, const char *const *w);
static int starts(const char *s, size_t n, const char *w);
static int digit_at(const char *s, size_t n, size_t i, int *len);
static size_t split(const char *body, size_t n, const char *title, Line *ln, size_t max);
static int is_top_heading(const char *s, size_t n);
static int is_sub_heading(const char *s, size_t n);
static int speaker_turn(const char *s, size_t n);
static int table_row(const char *s, size_t n);
static void set_type(DocGuess *g, const char *type, int conf, const char *cue);
static void guess_type(const char *title, const Line *ln, size_t nl, DocGuess *g);
static int clause_year(const Line *ln, size_t nl);
static int nianduyear(const Line *ln, size_t nl, int want);
static int dateline_month(const Line *ln, size_t nl);
static int part_of_year(const char *s, size_t n);
static int event_year(const Line *ln, size_t nl, int press);
static void guess_year(const char *title, const Line *ln, size_t nl, const char *date, DocGuess *g);

/* Words (simplified and traditional forms: a Big5 page may come unconverted). */
static const char *const w_reply[] = {"答复", "答覆", "答復", "提案", "建议的办理", "复函", "復函", NULL};
static const char *const w_press[] = {"发布会", "發布會", "新闻发布", "新聞發布", "实录", "實錄", "记者会", NULL};
static const char *const w_annual[] = {
	"法治政府建设", "法治政府建設", "依法行政", "法治建设", "法治建設", "年度报告", "年度報告", NULL,
};
static const char *const w_report[] = {"报告", "報告", "情况", "情況", "总结", "總結", "汇报", "匯報", NULL};
/* a title that names a period's work summary (工作总结, 年终总结, 述职报告) */
static const char *const w_summary[] = {"总结", "總結", "工作报告", "工作報告", "述职", "述職", "工作情况", NULL};
/* heading words of a report's parts */
static const char *const w_part[] = {
	"问题", "不足", "打算", "下一步", "举措", "基本情况", "主要安排", "第一责任人", "成效", "工作情况", NULL,
};
/* the formulas of a reply to a proposal or suggestion */
static const char *const w_reply_body[] = {"提案收悉", "建议收悉", "答复如下", "答覆如下", "現答復如下", NULL};
/* an opening that states the period of the work reported (the year itself is
 * read by guess_year): 2023年, 今年以来, 上半年, 一年来 */
static const char *const w_period_open[] = {"今年", "去年", "上半年", "一年来", "一年來", "本年度", "年初以来", NULL};
/* the kinds of documents that are not reports (a first line naming one is a
 * title: 实施方案, 工作要点, 通知, 说明) */
static const char *const w_not_report[] = {
	"通知", "方案", "要点", "要點", "意见", "意見", "办法", "辦法", "规定", "規定", "说明", "說明",
	"决定", "決定", "公告", "规划", "規劃", "细则", "細則", NULL,
};
/* chrome lines that name other pages (上一篇: …发布会实录), by their first
 * words (相关人员 in a sentence names none) */
static const char *const w_link[] = {"上一篇", "下一篇", "关键词", "關鍵詞", "相关", "相關", NULL};
/* a news item's lead: 讯, 记者, 近日 */
static const char *const w_news_lead[] = {"讯", "訊", "记者", "記者", "近日", "日前", NULL};

static int
has(const char *s, size_t n, const char *w)
{
	return memmem(s, n, w, strlen(w)) != NULL;
}

static int
any_of(const char *s, size_t n, const char *const *w)
{
	for (; *w; w++)
		if (has(s, n, *w))
			return 1;
	return 0;
}

static int
starts(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(s, w, k) == 0;
}

/* The digit at s[i] (ASCII or full-width), its length in *len; -1 if none. */
static int
digit_at(const char *s, size_t n, size_t i, int *len)
{
	const unsigned char *u = (const unsigned char *)s + i;

	if (i < n && u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if (i + 3 <= n && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return u[2] - 0x90;
	}
	return -1;
}

int
docguess_year_in(const char *s, size_t n, int need_nian)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		int y = 0, k, len, d;

		for (k = 0; k < 5 && (d = digit_at(s, n, j, &len)) >= 0; k++, j += (size_t)len)
			y = y * 10 + d;
		if (k == 0) {
			i++;
			continue;
		}
		if (k == 4 && y >= 1980 && y <= 2100 &&
		    (!need_nian || (j + 3 <= n && memcmp(s + j, "\xE5\xB9\xB4", 3) == 0)))	/* 年 */
			return y;
		/* skip the rest of this number */
		while ((d = digit_at(s, n, j, &len)) >= 0)
			j += (size_t)len;
		i = j;
	}
	return 0;
}

/* The body's non-empty lines (at most max), without the title's line. */
static size_t
split(const char *body, size_t n, const char *title, Line *ln, size_t max)
{
	size_t nl = 0, tn = title ? strlen(title) : 0;
	const char *p = body, *e = body + n;

	while (p < e && nl < max) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		size_t len = q ? (size_t)(q - p) : (size_t)(e - p);

		while (len && (p[0] == ' ' || p[0] == '\t')) {
			p++;
			len--;
		}
		if (len && !(tn && len == tn && memcmp(p, title, tn) == 0)) {
			ln[nl].s = p;
			ln[nl].n = len;
			nl++;
		}
		if (!q)
			break;
		p = q + 1;
	}
	return nl;
}

static const char *const cn_digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", NULL};

/* 一、 二、 … 十、 十一、 or 第一部分 at the line's start */
static int
is_top_heading(const char *s, size_t n)
{
	const char *const *d;
	size_t k = 0;
	int again = 1;

	if (starts(s, n, "第")) {
		size_t j = 3;

		while (j < 30 && j < n) {
			for (d = cn_digits; *d; d++)
				if (starts(s + j, n - j, *d))
					break;
			if (!*d)
				break;
			j += 3;
		}
		return j > 3 && starts(s + j, n - j, "部分");
	}

	while (again && k < 9) {
		again = 0;
		for (d = cn_digits; *d; d++)
			if (starts(s + k, n - k, *d)) {
				k += 3;
				again = 1;
				break;
			}
	}
	return k > 0 && starts(s + k, n - k, "、");
}

/* (一) (二) … at the line's start (ASCII or full-width parenthesis) */
static int
is_sub_heading(const char *s, size_t n)
{
	size_t k;
	const char *const *d;

	if (starts(s, n, "("))
		k = 1;
	else if (starts(s, n, "\xEF\xBC\x88"))	/* （ */
		k = 3;
	else
		return 0;
	for (d = cn_digits; *d; d++)
		if (starts(s + k, n - k, *d))
			return starts(s + k + 3, n - k - 3, ")") || starts(s + k + 3, n - k - 3, "\xEF\xBC\x89");
	return 0;
}

/* A transcript's turn: 问: 答: 记者: or a name of two to four characters
 * before a colon, then a speech (not a Label: value line of the chrome). */
static int
speaker_turn(const char *s, size_t n)
{
	const char *c = memchr(s, ':', n < 16 ? n : 16);
	size_t k, len;

	if (!c)
		c = memmem(s, n < 16 ? n : 16, "\xEF\xBC\x9A", 3);	/* ： */
	/* a speaker's line of its own: 市司法局局长某某: */
	if (n >= 7 && n < 90 && (s[n - 1] == ':' || (n >= 3 && memcmp(s + n - 3, "\xEF\xBC\x9A", 3) == 0)) &&
	    !has(s, n, "。") && !any_of(s, n, w_link))
		return 1;
	if (!c || c == s)
		return 0;
	len = (size_t)(c - s);
	for (k = 0; k < len; k++)
		if ((unsigned char)s[k] < 0x80)
			return 0;	/* digits, Latin: a label or a time */
	if (len == 3)
		return starts(s, n, "问") || starts(s, n, "答") || starts(s, n, "問");
	return len >= 6 && len <= 12 && n - len > 60 && !any_of(s, len, w_link) &&
	       !has(s, len, "时间") && !has(s, len, "来源") && !has(s, len, "日期") && !has(s, len, "编辑");
}

/* A row of a statistics table: three or more numbers, few other characters. */
static int
table_row(const char *s, size_t n)
{
	size_t i = 0, nums = 0, other = 0;
	int len;

	while (i < n) {
		if (digit_at(s, n, i, &len) >= 0) {
			nums++;
			while (i < n && (digit_at(s, n, i, &len) >= 0 || s[i] == '.' || s[i] == '%'))
				i += digit_at(s, n, i, &len) >= 0 ? (size_t)len : 1;
		} else {
			other++;
			i++;
		}
	}
	return nums >= 3 && other < nums * 12;
}

static void
set_type(DocGuess *g, const char *type, int conf, const char *cue)
{
	snprintf(g->type, sizeof g->type, "%s", type);
	g->type_conf = conf;
	g->type_cue = cue;
}

static void
guess_type(const char *title, const Line *ln, size_t nl, DocGuess *g)
{
	size_t tn = title ? strlen(title) : 0, k, lead = nl < LEAD ? nl : LEAD;
	int reply = 0, press_lead = 0, press = 0, turns = 0, top = 0, sub = 0, part = 0, rows = 0, news = 0;
	int period_open = 0;

	if (tn) {
		if (any_of(title, tn, w_reply))
			return set_type(g, "proposal-reply", 95, "title names a reply");
		if (any_of(title, tn, w_press))
			return set_type(g, "press-conference", 95, "title names a press conference");
		if (any_of(title, tn, w_annual) && any_of(title, tn, w_report))
			return set_type(g, "annual-report", 95, "title names a report on the rule of law");
		if (any_of(title, tn, w_summary))
			return set_type(g, "work-summary", 85, "title names a work summary");
	}
	for (k = 0; k < nl; k++) {
		const char *s = ln[k].s;
		size_t n = ln[k].n;

		reply |= any_of(s, n, w_reply_body);
		if (!any_of(s, n < 12 ? n : 12, w_link) && (has(s, n, "发布会") || has(s, n, "發布會") || has(s, n, "记者会") || has(s, n, "答记者问"))) {
			press = 1;
			/* in the lead, or in a title-like line (no 。) */
			press_lead |= k < lead || (n < 90 && !has(s, n, "。") && !has(s, n, ","));
		}
		turns += speaker_turn(s, n);
		rows += table_row(s, n);
		if ((is_top_heading(s, n) || is_sub_heading(s, n)) && n < 240) {
			top += is_top_heading(s, n);
			sub += is_sub_heading(s, n);
			part += any_of(s, n < 90 ? n : 90, w_part);
		}
		if (k < lead) {
			news |= any_of(s, n < 60 ? n : 60, w_news_lead);
			period_open |= docguess_year_in(s, n < 12 ? n : 12, 1) > 0 || any_of(s, n < 12 ? n : 12, w_period_open) ||
				       has(s, n < 12 ? n : 12, "20xx") || has(s, n < 12 ? n : 12, "20XX");
		}
	}
	if (reply)
		return set_type(g, "proposal-reply", 85, "reply formula (提案收悉, 答复如下)");
	if (press_lead || (press && turns >= 2))
		return set_type(g, "press-conference", 80, "press conference in the lead or speaker turns");
	/* a title that names no report (工作要点, 实施方案) is a report only
	 * when the text has a report's parts */
	if (part >= 1 && top + sub >= 2 && (!tn || any_of(title, tn, w_annual)))
		return set_type(g, "annual-report", 80, "numbered outline with a report's parts");
	if (!tn && period_open && (top >= 1 || sub >= 2) &&
	    !(nl && ln[0].n < 60 && !has(ln[0].s, ln[0].n, "。") && any_of(ln[0].s, ln[0].n, w_not_report)))
		return set_type(g, "annual-report", 65, "a period's work under a numbered outline");
	if (rows >= 3 && rows * 3 >= (int)nl)
		return set_type(g, "statistics", 55, "a table of counts");
	if (news)
		return set_type(g, "news", 50, "a news lead (讯, 记者, 近日)");
	set_type(g, "other", 30, "no cue");
}

/* The first 2024年, that opens a line or a clause, in the first lines. */
static int
clause_year(const Line *ln, size_t nl)
{
	size_t k;

	for (k = 0; k < nl && k < 12; k++) {
		const char *p = ln[k].s, *e = ln[k].s + ln[k].n;

		while ((p = memmem(p, (size_t)(e - p), "年,", 4)) != NULL) {
			const char *d = p - 4;
			int y;

			if (d >= ln[k].s && (y = docguess_year_in(d, 7, 1)) > 0 &&
			    (d == ln[k].s || (d - ln[k].s >= 3 && (!memcmp(d - 3, "。", 3) ||
								  !memcmp(d - 3, "，", 3))) ||
			     d[-1] == ',' || d[-1] == ';' || d[-1] == ' '))
				return y;
			p += 4;
		}
	}
	return 0;
}

/* The first 20XX年度 in the first lines (want 0), or whether want年度 is named. */
static int
nianduyear(const Line *ln, size_t nl, int want)
{
	size_t k;

	for (k = 0; k < nl && k < 12; k++) {
		const char *p = ln[k].s, *e = ln[k].s + ln[k].n;

		while ((p = memmem(p, (size_t)(e - p), "年度", 6)) != NULL) {
			int y = p - ln[k].s >= 4 ? docguess_year_in(p - 4, 7, 1) : 0;

			if (y > 0 && (!want || y == want))
				return y;
			p += 6;
		}
	}
	return 0;
}

/* Does s (right after 2021年) name a part of the year: 上半年, 前三季度,
 * 一季度, 第一季度, 1-9月, 以来? */
static int
part_of_year(const char *s, size_t n)
{
	static const char *const parts[] = {"上半年", "下半年", "前", "一季度", "二季度", "三季度",
					    "第", "以来", "上半", "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL};
	int i;

	for (i = 0; parts[i]; i++)
		if (starts(s, n, parts[i]))
			return 1;
	return 0;
}

/* The month of a news item's dateline (3月26日讯, 3月26日,…) in the first
 * two lines: a month and day with no year before them; 0 if none. */
static int
dateline_month(const Line *ln, size_t nl)
{
	size_t k;

	for (k = 0; k < nl && k < 2; k++) {
		const char *s = ln[k].s, *e = s + (ln[k].n < 60 ? ln[k].n : 60), *p;

		for (p = s; p + 3 <= e && (p = memmem(p, (size_t)(e - p), "月", 3)) != NULL; p += 3) {
			int m = 0, len;
			const char *q = p, *r = p + 3;

			if (q > s && digit_at(q - 1, 1, 0, &len) >= 0) {
				m = q[-1] - '0';
				if (q - 1 > s && digit_at(q - 2, 1, 0, &len) >= 0)
					m += 10 * (q[-2] - '0'), q--;
				q--;
			}
			if (m < 1 || m > 12 || (q > s && (q[-1] == '-' || !memcmp(q - (q - s >= 3 ? 3 : 0), "年", 3))))
				continue;
			while (r < e && *r >= '0' && *r <= '9')
				r++;
			if (r > p + 3 && r + 3 <= e && !memcmp(r, "日", 3))
				return m;
		}
	}
	return 0;
}

/* The year of the event a news item or a press conference reports, when
 * no date says it: a press conference held on a past year's figures
 * (就2018年…情况举行发布会) is held the year after; otherwise the latest
 * year the first lines name (a meeting of 2023 hears 2022's work and plans
 * 2023's), not inside 《》 and not a range's end (2021—2025年). 0 if none. */
static int
event_year(const Line *ln, size_t nl, int press)
{
	size_t k;
	int best = 0, y, m;

	/* a conference dated in the first half of a year (3月26日讯) on a whole
	 * year's figures (2018年,全国…) is held the year after */
	if (press && (m = dateline_month(ln, nl)) > 0 && m <= 6 && (y = clause_year(ln, nl)) > 0)
		return y + 1;

	for (k = 0; k < nl && k < 12; k++) {
		const char *s = ln[k].s, *e = s + ln[k].n, *p;
		int title = 0;

		if (press && (p = memmem(s, ln[k].n, "就", 3)) != NULL) {
			const char *stop = memmem(p, (size_t)(e - p), "。", 3);
			size_t rest = (size_t)((stop ? stop : e) - p);

			y = docguess_year_in(p + 3, rest > 15 ? 12 : rest - 3, 1);

			/* the whole year (就2018年全国…, 就2018年度…), not a part
			 * of it (就2021年前三季度…, 上半年, 1-9月) */
			if (y > 0 && y == docguess_year_in(p + 3, rest - 3 < 7 ? rest - 3 : 7, 1) && rest >= 13 &&
			    !part_of_year(p + 10, rest - 10) &&
			    (memmem(p, rest, "发布会", 9) || memmem(p, rest, "發布會", 9)))
				return y + 1;
		}
		for (p = s; p < e; p++) {
			if (e - p >= 3 && !memcmp(p, "《", 3))
				title = 1;
			else if (e - p >= 3 && !memcmp(p, "》", 3))
				title = 0;
			if (title || p[0] < '1' || p[0] > '2' || (p > s && ((p[-1] >= '0' && p[-1] <= '9') ||
									   p[-1] == '-' || (p - s >= 3 && !memcmp(p - 3, "—", 3)))))
				continue;
			y = docguess_year_in(p, e - p < 7 ? (size_t)(e - p) : 7, 1);
			if (y > best)
				best = y;
		}
	}
	return best;
}

static void
guess_year(const char *title, const Line *ln, size_t nl, const char *date, DocGuess *g)
{
	size_t k, seen = 0;
	int dy = date ? atoi(date) : 0, y;

	if (title && (y = docguess_year_in(title, strlen(title), 1)) > 0) {
		g->year = y;
		g->year_cue = "title";
		return;
	}
	/* no date on a news item or a press conference: the event's year */
	if (!dy && (!strcmp(g->type, "news") || !strcmp(g->type, "other") || !strcmp(g->type, "press-conference")) &&
	    (y = event_year(ln, nl, !strcmp(g->type, "press-conference"))) > 0) {
		g->year = y;
		g->year_cue = "the year of the event (news, press conference without a date)";
		return;
	}
	/* the opening sentence: 2022年,… / 2020年以来 / 今年以来 (against the date) */
	for (k = 0; k < nl && seen < 2; k++) {
		const char *s = ln[k].s;
		size_t n = ln[k].n;

		if (n < 30)
			continue;	/* a byline, a date line */
		seen++;
		if ((y = docguess_year_in(s, n < 8 ? n : 8, 1)) > 0) {
			g->year = y;
			g->year_cue = "opening sentence";
			return;
		}
		if (dy && (starts(s, n, "今年") || starts(s, n, "上半年") || starts(s, n, "一年来"))) {
			g->year = dy;
			g->year_cue = "今年 against the publication date";
			return;
		}
		if (dy && starts(s, n, "去年")) {
			g->year = dy - 1;
			g->year_cue = "去年 against the publication date";
			return;
		}
	}
	/* the first heading: 一、2022年工作情况 */
	for (k = 0, seen = 0; k < nl && seen < 2; k++)
		if (is_top_heading(ln[k].s, ln[k].n) || is_sub_heading(ln[k].s, ln[k].n)) {
			seen++;
			if ((y = docguess_year_in(ln[k].s, ln[k].n < 60 ? ln[k].n : 60, 1)) > 0) {
				g->year = y;
				g->year_cue = "first heading";
				return;
			}
		}
	/* the year the figures are tied to: a clause opening with 2024年, in
	 * the first lines; with a publication date, only when the text also
	 * names that year's 年度 (a news item of 2024 on 2023's figures) */
	if ((y = clause_year(ln, nl)) > 0 && (!dy || nianduyear(ln, nl, y))) {
		g->year = y;
		g->year_cue = "a clause opening with 20XX年,";
		return;
	}
	/* no date: 2024年度 in the first lines, else the year the lead names */
	if (!dy && (y = nianduyear(ln, nl, 0)) > 0) {
		g->year = y;
		g->year_cue = "20XX年度 in the text";
		return;
	}
	if (!dy)
		for (k = 0; k < nl && k < 6; k++)
			if ((y = docguess_year_in(ln[k].s, ln[k].n, 1)) > 0) {
				g->year = y;
				g->year_cue = "a year in the lead";
				return;
			}
	if (dy >= 1980 && dy <= 2100) {
		g->year = dy;
		g->year_cue = "publication date";
	}
}

void
docguess(const char *title, const char *body, size_t n, const char *date, DocGuess *g)
{
	Line *ln = malloc(MAXLINES * sizeof *ln);
	size_t nl;

	memset(g, 0, sizeof *g);
	if (title && !*title)
		title = NULL;
	if (!ln) {
		set_type(g, "other", 0, "out of memory");
		return;
	}
	nl = split(body ? body : "", body ? n : 0, title, ln, MAXLINES);
	guess_type(title, ln, nl, g);
	guess_year(title, ln, nl, date, g);
	free(ln);
}

int
docguess_is_report(const char *type)
{
	return type && (strcmp(type, "annual-report") == 0 || strcmp(type, "work-summary") == 0);
}
