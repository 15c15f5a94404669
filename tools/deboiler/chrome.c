/* chrome.c: the passes that take the page around the document away, in
 * db_process() order: the rules line by line (drop, strip, meta, learned
 * lines), runs of bulleted menu items, and the head: the title found,
 * a title broken over two lines joined, the title's repeats and the
 * furniture above it dropped. */
#include "deboiler_int.h"

#include <string.h>

static size_t content_start(Work *w);
static size_t find_title(Work *w, size_t ci);
static size_t join_broken_title(Deboiler *db, DbDoc *d, Work *w, size_t title_k);
static void drop_title_repeats(Deboiler *db, DbDoc *d, Work *w, size_t title_k, size_t ci, const Buf *tsq);
static void drop_head_furniture(Deboiler *db, DbDoc *d, Work *w, size_t title_k);
static void set_title_line(Work *w, size_t title_k, const Buf *t);
static int issuer_line(const char *s, size_t n);

/* The name of an issuing body, as it heads a document: 某某省人民政府,
 * 某某市司法局, 某某县人民政府办公室. */
static int
issuer_line(const char *s, size_t n)
{
	static const char *const ends[] = {
		"人民政府", "人民政府办公室", "人民政府办公厅", "司法局", "司法厅", "司法部",
		"人民政府辦公室", "人民政府辦公廳", NULL,
	};
	int i;

	for (i = 0; ends[i]; i++)
		if (ends_with(s, n, ends[i]))
			return 1;
	return 0;
}

/* 1. rules, line by line */
void
chrome_rules_pass(Deboiler *db, DbDoc *d, Work *w)
{
	Buf sq = BUF_INIT;
	size_t k;

	for (k = 0; k < w->n; k++) {
		const char *rule;

		/* a table row of an HTML page (html-text.c marks it): no rule
		 * removes it, nothing is joined to it */
		if (LN(w, k) >= 3 && memcmp(LS(w, k), DB_TABLE_ROW, 3) == 0) {
			w->line[k].off += 3, w->line[k].len -= 3, w->line[k].nchar--;
			w->line[k].rule = "table-row";
			continue;
		}
		strip_line(db, d, w, k);
		if (LN(w, k) == 0) {
			w->line[k].state = L_DROP;	/* nothing left but junk */
			w->line[k].rule = "strip";
			continue;
		}
		rule = match_drop(db, LS(w, k), LN(w, k), w->line[k].nchar);
		if (rule) {
			drop(db, d, w, k, rule);
			apply_meta(db, d, LS(w, k), LN(w, k));
			continue;
		}
		if (db->boiler.n && !is_structural(LS(w, k), LN(w, k), w->line[k].nchar)) {
			buf_clear(&sq);
			db_normalize_line(LS(w, k), LN(w, k), &sq);
			if (map_get(&db->boiler, sq.s, sq.len) >= 0)
				drop(db, d, w, k, "learned");
		}
	}
	buf_free(&sq);
}

/* 1b. runs of short bulleted items (· 首页, • 机构设置, ● 相关新闻…):
 * menus and link lists, never a report's own numbering */
void
chrome_menu_runs(Deboiler *db, DbDoc *d, Work *w)
{
	size_t k;

	for (k = 0; k < w->n;) {
		size_t j = k;

		while (j < w->n && w->line[j].state == L_KEEP && is_bullet_item(LS(w, j), LN(w, j), w->line[j].nchar))
			j++;
		if (j - k >= 2) {
			size_t m;

			for (m = k; m < j; m++)
				drop(db, d, w, m, "menu-run");
		}
		k = j > k ? j : k + 1;
	}
}

/* 2. the head: furniture before the title, repeats of the title. Returns
 * the title's line ((size_t)-1 when none is on top), its text (normalised)
 * in title, and in *ci the first line of the document's own text. */
size_t
chrome_head(Deboiler *db, DbDoc *d, Work *w, Buf *title, size_t *ci)
{
	Buf tsq = BUF_INIT;
	size_t k, title_k;

	*ci = content_start(w);
	title_k = find_title(w, *ci);
	/* an HTML page's title (the markup said which) is its first line */
	if (db->preset[K_TITLE] && w->n && w->line[0].state == L_KEEP &&
	    LN(w, 0) == strlen(db->preset[K_TITLE]) && memcmp(LS(w, 0), db->preset[K_TITLE], LN(w, 0)) == 0)
		title_k = 0;
	title_k = join_broken_title(db, d, w, title_k);
	if (title_k != (size_t)-1) {
		normalize_title(LS(w, title_k), LN(w, title_k), title);
		squeeze(title->s, title->len, &tsq);
		drop_title_repeats(db, d, w, title_k, *ci, &tsq);
		drop_head_furniture(db, d, w, title_k);
		set_title_line(w, title_k, title);
	} else {
		/* no title on top: a cover letter names it after its signature,
		 * or a first line does */
		for (k = 0; k < w->n && k < *ci + 12; k++)
			if (w->line[k].state == L_KEEP && is_title_like(LS(w, k), LN(w, k), w->line[k].nchar)) {
				normalize_title(LS(w, k), LN(w, k), title);
				break;
			}
	}
	buf_free(&tsq);
	return title_k;
}

/* The first kept line of the document's own text (w->n when none). */
static size_t
content_start(Work *w)
{
	size_t ci;

	for (ci = 0; ci < w->n; ci++)
		if (w->line[ci].state == L_KEEP && is_content_line(LS(w, ci), LN(w, ci), w->line[ci].nchar))
			break;
	return ci;
}

/* The first title-like kept line above the content, or (size_t)-1. */
static size_t
find_title(Work *w, size_t ci)
{
	size_t k;

	for (k = 0; k < ci && k < 40; k++)
		if (w->line[k].state == L_KEEP && is_title_like(LS(w, k), LN(w, k), w->line[k].nchar))
			return k;
	return (size_t)-1;
}

/* A title broken over two lines, its first half ending mid-phrase
 * (对政协某某市第十三届委员会 / 第五次会议第12号提案的答复): the halves
 * joined on the first line, the second dropped. Returns the title's line. */
static size_t
join_broken_title(Deboiler *db, DbDoc *d, Work *w, size_t title_k)
{
	if (title_k != (size_t)-1 && title_k > 0 && w->line[title_k - 1].state == L_KEEP &&
	    w->line[title_k - 1].nchar <= 30 && w->line[title_k].nchar <= 40 &&
	    !has_sentence_punct(LS(w, title_k - 1), LN(w, title_k - 1)) &&
	    !is_title_like(LS(w, title_k - 1), LN(w, title_k - 1), w->line[title_k - 1].nchar)) {
		static const char *const open_end[] = {
			"委员会", "委員會", "会议", "會議", "关于", "關於", "的", "和", "及", "与", "與",
			"年度", "年", NULL,
		};
		const char *ps = LS(w, title_k - 1);
		size_t pn = LN(w, title_k - 1), m, noff;
		int i, ps_issuer = 0;

		for (i = 0; open_end[i] && !ends_with(ps, pn, open_end[i]); i++)
			;
		/* the issuer on a line of its own above 关于…的报告 (某某省人民政府 /
		 * 关于2023年度…的报告): one title */
		if (!open_end[i] && issuer_line(ps, pn) &&
		    (strncmp(LS(w, title_k), "\xE5\x85\xB3\xE4\xBA\x8E", 6) == 0 ||	/* 关于 */
		     strncmp(LS(w, title_k), "\xE9\x97\x9C\xE6\x96\xBC", 6) == 0))	/* 關於 */
			i = 0, ps_issuer = 1;
		/* 委员会, 会议: only in 对政协…委员会 / 关于…会议, not a site's
		 * name (某某市卫生健康委员会) */
		if (!ps_issuer && open_end[i] && i < 4 && strncmp(ps, "\xE5\xAF\xB9", 3) != 0 &&	/* 对 */
		    strncmp(ps, "\xE5\xB0\x8D", 3) != 0 &&				/* 對 */
		    strncmp(ps, "\xE5\x85\xB3\xE4\xBA\x8E", 6) != 0 &&		/* 关于 */
		    strncmp(ps, "\xE9\x97\x9C\xE6\x96\xBC", 6) != 0)		/* 關於 */
			i = -1;
		if (i >= 0 && open_end[i]) {
			Buf joined = BUF_INIT;	/* the arena may move as it grows */

			buf_add(&joined, ps, pn);
			buf_add(&joined, LS(w, title_k), LN(w, title_k));
			noff = w->arena.len;
			buf_add(&w->arena, joined.s, joined.len);
			buf_addc(&w->arena, '\0');
			buf_free(&joined);
			m = title_k--;
			explain_row(db, d, w->line[m].lineno, "join", "title-broken", LS(w, m), LN(w, m));
			w->line[m].state = L_DROP;
			w->line[m].rule = "title-broken";
			w->line[title_k].off = noff;
			w->line[title_k].len = pn + LN(w, m);
			w->line[title_k].nchar += w->line[m].nchar;
		}
	}
	return title_k;
}

/* The page repeats the title (window title, heading, heading again above
 * the text): keep the first, drop the repeats above the text, which may be
 * broken over up to three lines. tsq: the title without blanks. */
static void
drop_title_repeats(Deboiler *db, DbDoc *d, Work *w, size_t title_k, size_t ci, const Buf *tsq)
{
	Buf sq = BUF_INIT;
	size_t k;

	for (k = title_k + 1; k < ci; k++) {
		size_t j;

		if (w->line[k].state != L_KEEP)
			continue;
		buf_clear(&sq);
		for (j = k; j < ci && j < k + 3; j++) {
			if (w->line[j].state != L_KEEP)
				break;
			squeeze(LS(w, j), LN(w, j), &sq);
			if (sq.len > tsq->len || memcmp(sq.s, tsq->s, sq.len) != 0)
				break;
			if (sq.len == tsq->len) {
				size_t m;

				for (m = k; m <= j; m++)
					drop(db, d, w, m, "title-repeat");
				k = j;
				break;
			}
		}
	}
	buf_free(&sq);
}

/* Short kept lines above the title are the page's furniture; 附件 stays,
 * and a document number there is kept as Doc-No. */
static void
drop_head_furniture(Deboiler *db, DbDoc *d, Work *w, size_t title_k)
{
	size_t k;

	for (k = 0; k < title_k; k++) {
		const char *s = LS(w, k);
		size_t n = LN(w, k);

		if (w->line[k].state != L_KEEP || w->line[k].nchar > 40 ||
		    strncmp(s, "\xE9\x99\x84\xE4\xBB\xB6", 6) == 0)	/* 附件 stays */
			continue;
		/* a document number above the title (X政发〔2023〕5号) */
		if (!d->val[K_DOC_NO] && has_str(s, n, "\xE3\x80\x94") && ends_with(s, n, "\xE5\x8F\xB7"))
			doc_setval(d, K_DOC_NO, s, n);
		drop(db, d, w, k, "head-furniture");
	}
}

/* The title line itself, blanks between characters squeezed. */
static void
set_title_line(Work *w, size_t title_k, const Buf *t)
{
	if (t->len != LN(w, title_k) || memcmp(t->s, LS(w, title_k), t->len) != 0) {
		size_t noff = w->arena.len;

		buf_add(&w->arena, t->s, t->len);
		buf_addc(&w->arena, '\0');
		w->line[title_k].off = noff;
		w->line[title_k].len = t->len;
	}
}
