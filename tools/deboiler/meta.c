/* meta.c: the header values (Key: value) of a document, past the title
 * (chrome.c) and the region (regions.c): key names, setting a value, the
 * meta rules' captures (date, source, publisher, index_no, doc_no, author,
 * editor, keywords), dates made YYYY-MM-DD, the year the document speaks
 * of, and its type (annual-report, proposal-reply, press-conference,
 * other). */
#include "deboiler_int.h"
#include "err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_date_ascii(DbDoc *d, int key, const char *s, size_t n);
static int year_in_ascii(const char *s, size_t n, int need_nian);
static int any_of(const char *s, size_t n, const char *const *words);

const char *const db_key_name[K_NKEYS] = {
	"Doc", "Title", "Region", "Region-Code", "Province", "Year", "Type",
	"Date", "Source", "Publisher", "Index-No", "Doc-No", "Author", "Editor",
	"Keywords", "Removed",
};
const char *const db_col_name[K_NKEYS] = {
	"doc", "title", "region", "region_code", "province", "year", "type",
	"date", "source", "publisher", "index_no", "doc_no", "author", "editor",
	"keywords", "removed",
};

/* Header values are one line: tabs, CR and LF become spaces, blanks trimmed. */
void
doc_setval(DbDoc *d, int key, const char *s, size_t n)
{
	char *v;
	size_t i;

	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	v = xstrndup(s, n);
	for (i = 0; i < n; i++)
		if (v[i] == '\t' || v[i] == '\r' || v[i] == '\n')
			v[i] = ' ';
	free(d->val[key]);
	d->val[key] = v;
}

void
apply_meta(Deboiler *db, DbDoc *d, const char *s, size_t n)
{
	size_t r;

	for (r = 0; r < db->nrule; r++) {
		DRule *ru = &db->rule[r];
		PCRE2_SIZE *ov;

		if (ru->action != A_META || d->val[ru->key])
			continue;
		if (rxm(db, ru->rx, s, n, 0) != RX_MATCHED)
			continue;
		ov = rx_ovector(ru->rx);
		if (ov[2 * ru->group] == PCRE2_UNSET)
			continue;
		if (ru->key == K_DATE)
			set_date(d, K_DATE, s + ov[2 * ru->group], ov[2 * ru->group + 1] - ov[2 * ru->group]);
		else
			doc_setval(d, ru->key, s + ov[2 * ru->group], ov[2 * ru->group + 1] - ov[2 * ru->group]);
	}
}

/* ---- dates ---- */

void
set_date(DbDoc *d, int key, const char *s, size_t n)
{
	Buf f = BUF_INIT;

	ascii_fold(s, n, &f);
	set_date_ascii(d, key, f.s ? f.s : "", f.len);
	buf_free(&f);
}

static void
set_date_ascii(DbDoc *d, int key, const char *s, size_t n)
{
	int y = 0, m = 0, dd = 0, field = 0, got = 0;
	size_t i;
	char tmp[16];

	for (i = 0; i < n && field < 3; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9') {
			int *p = field == 0 ? &y : field == 1 ? &m : &dd;

			if (*p < 10000)
				*p = *p * 10 + (c - '0');
			got = 1;
		} else if (got) {
			field++;
			got = 0;
		}
	}
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || dd < 1 || dd > 31)
		return;
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, dd);
	doc_setval(d, key, tmp, strlen(tmp));
}

/* ---- year ---- */

int
year_in(const char *s, size_t n, int need_nian)
{
	Buf f = BUF_INIT;
	int y;

	ascii_fold(s, n, &f);
	y = year_in_ascii(f.s ? f.s : "", f.len, need_nian);
	buf_free(&f);
	return y;
}

static int
year_in_ascii(const char *s, size_t n, int need_nian)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++) {
		int y, k;

		if (i > 0 && isdigit((unsigned char)s[i - 1]))
			continue;
		for (k = 0; k < 4; k++)
			if (!isdigit((unsigned char)s[i + k]))
				break;
		if (k < 4 || (i + 4 < n && isdigit((unsigned char)s[i + 4])))
			continue;
		y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
		if (y < 1980 || y > 2100)
			continue;
		if (need_nian && !(i + 7 <= n && memcmp(s + i + 4, "\xE5\xB9\xB4", 3) == 0))	/* 年 */
			continue;
		return y;
	}
	return 0;
}

/* ---- type ---- */

static int
any_of(const char *s, size_t n, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (has_str(s, n, words[i]))
			return 1;
	return 0;
}

static const char *const w_reply[] = {"答复", "答覆", "答復", "提案", "建议的办理", "复函", "復函", NULL};
static const char *const w_press[] = {"发布会", "發布會", "新闻发布", "新聞發布", "实录", "實錄", NULL};
static const char *const w_annual[] = {
	"法治政府建设", "法治政府建設", "依法行政", "法治建设", "法治建設", "年度报告", "年度報告", NULL,
};
static const char *const w_report[] = {"报告", "報告", "情况", "情況", "总结", "總結", "汇报", "匯報", NULL};

const char *
classify(const char *title, size_t tn, Work *w, size_t speakers)
{
	size_t k, nh = 0, lim;
	int reply_cue = 0, press_cue = 0, part_cue = 0;

	if (title) {
		if (any_of(title, tn, w_reply))
			return "proposal-reply";
		if (any_of(title, tn, w_press))
			return "press-conference";
		if (any_of(title, tn, w_annual) && any_of(title, tn, w_report))
			return "annual-report";
	}
	lim = w->n < 400 ? w->n : 400;
	for (k = 0; k < lim; k++) {
		const char *s = LS(w, k);
		size_t n = LN(w, k);

		if (w->line[k].state == L_DROP)
			continue;
		if (has_str(s, n, "提案收悉") || has_str(s, n, "建议收悉") || has_str(s, n, "答复如下"))
			reply_cue = 1;
		if (has_str(s, n, "发布会") || has_str(s, n, "發布會"))
			press_cue = 1;
		if (is_marker_line(s, n) && w->line[k].nchar < 80) {
			nh++;
			if (has_str(s, n, "问题") || has_str(s, n, "不足") || has_str(s, n, "打算") ||
			    has_str(s, n, "下一步") || has_str(s, n, "举措") || has_str(s, n, "基本情况") ||
			    has_str(s, n, "主要安排") || has_str(s, n, "第一责任人"))
				part_cue++;
		}
	}
	if (reply_cue)
		return "proposal-reply";
	if (press_cue && speakers >= 2)
		return "press-conference";
	/* a title that names no report (工作要点, 实施方案) is a report only
	 * when the text has a report's parts */
	if (part_cue >= 1 && nh >= 2 && (!title || any_of(title, tn, w_annual)))
		return "annual-report";
	return "other";
}

/* 5. metadata from the kept text: the date of the last date line (when no
 * meta rule gave one), the type, and the year the title, the first lines
 * or the date speak of. */
void
meta_date_type_year(DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm)
{
	const char *type;
	int year = 0;
	size_t k;
	char tmp[32];

	if (!d->val[K_DATE] && bm->lastdate != (size_t)-1)
		set_date(d, K_DATE, LS(w, bm->lastdate), LN(w, bm->lastdate));
	type = classify(d->val[K_TITLE], d->val[K_TITLE] ? strlen(d->val[K_TITLE]) : 0, w, bm->speakers);
	doc_setval(d, K_TYPE, type, strlen(type));
	if (d->val[K_TITLE])
		year = year_in(d->val[K_TITLE], strlen(d->val[K_TITLE]), 1);
	if (!year && strcmp(type, "annual-report") == 0) {
		/* the year the first lines speak of: 2020年以来, 一、2020年… */
		size_t seen = 0;

		for (k = 0; k < w->n && seen < 4 && !year; k++) {
			if (w->line[k].state != L_KEEP || k == title_k)
				continue;
			seen++;
			year = year_in(LS(w, k), LN(w, k) < 60 ? LN(w, k) : 60, 1);
		}
	}
	if (!year && d->val[K_DATE])
		year = atoi(d->val[K_DATE]);
	if (year) {
		snprintf(tmp, sizeof tmp, "%d", year);
		doc_setval(d, K_YEAR, tmp, strlen(tmp));
	}
}
