/* attach_pages.c: the chrome a printed report adds, removed from the text a
 * converter extracted (pages separated by form feeds, as pdftotext writes
 * them): page numbers ("— 3 —", "-3-", "第3页 共12页") and the red head's
 * lines by the rules of data/attach.rules (data, not code); running headers
 * and footers by repetition (the same line, digits aside, at the top or the
 * bottom of at least half of the pages); lines broken at the page width in
 * the middle of a sentence or a number joined again. The issuing authority
 * and the document number of the red head become header keys (Publisher:,
 * Doc-No:) before the body. */
#include "attach.h"

#include "rules.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define EDGE 2		/* lines at the top and at the bottom of a page checked */
#define HEAD_LINES 8	/* lines of the first page where the red head can be */

typedef struct {
	char *s;
	size_t n;
	int page;
	int drop;
	int gap;	/* a blank line before it on its page: a paragraph break */
} Line;

typedef struct {
	Line *l;
	size_t n, cap;
	int pages;
} Lines;

static RuleSet attach_rules;
static long action_col = -1;

static void split_lines(char *s, size_t len, Lines *ls);
static const char *rule_action(const char *s, size_t n, size_t *cap, size_t *caplen);
static void drop_page_numbers(Lines *ls);
static void drop_repeated(Lines *ls);
static void take_red_head(Lines *ls, Buf *publisher, Buf *docno);
static size_t display_width(const char *s, size_t n);
static int ends_sentence(const char *s, size_t n);
static void reflow(const Lines *ls, Buf *out);
static void digit_key(const char *s, size_t n, Buf *key);
static int starts_paragraph(const Line *l);
static size_t page_width(const Lines *ls);
static int has_clause_mark(const char *s, size_t n);

int
attach_load_rules(const char *path)
{
	static const char *const required[] = {"action", NULL};

	if (rules_load(&attach_rules, path, "pattern", required, 0) < 0)
		return -1;
	action_col = rules_column(&attach_rules, "action");
	return 0;
}

void
attach_free_rules(void)
{
	rules_free(&attach_rules);
	memset(&attach_rules, 0, sizeof attach_rules);
}

/* Lines, trimmed of blanks, with the page each is on. */
static void
split_lines(char *s, size_t len, Lines *ls)
{
	size_t i = 0;
	int page = 0, blank = 0;

	while (i < len) {
		size_t j = i, a, b;

		while (j < len && s[j] != '\n' && s[j] != '\f')
			j++;
		a = i, b = j;
		while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
			b--;
		if (b > a) {
			if (ls->n == ls->cap) {
				ls->cap = ls->cap ? ls->cap * 2 : 256;
				ls->l = realloc(ls->l, ls->cap * sizeof *ls->l);
				if (!ls->l)
					abort();
			}
			ls->l[ls->n++] = (Line){s + a, b - a, page, 0, blank};
			blank = 0;
		} else {
			blank = 1;
		}
		if (j < len && s[j] == '\f')
			page++, blank = 0;
		i = j + 1;
	}
	ls->pages = page + 1;
}

/* The action of the first rule matching s[0..n) (NULL: none); its first
 * capture (or the whole match) in cap/caplen. */
static const char *
rule_action(const char *s, size_t n, size_t *cap, size_t *caplen)
{
	for (size_t r = 0; r < attach_rules.n; r++) {
		Rule *ru = &attach_rules.rule[r];

		if (rx_match(&ru->rx, s, n, 0) == RX_MATCHED) {
			PCRE2_SIZE *ov = rx_ovector(&ru->rx);
			uint32_t pairs = pcre2_get_ovector_count(ru->rx.md);

			if (pairs > 1 && ov[2] != PCRE2_UNSET)
				*cap = ov[2], *caplen = ov[3] - ov[2];
			else
				*cap = ov[0], *caplen = ov[1] - ov[0];
			return ru->field[action_col];
		}
	}
	return NULL;
}

/* Lines near a page's top or bottom that a "page" rule matches. */
static void
drop_page_numbers(Lines *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		Line *l = &ls->l[i];
		size_t first = i, last = i, cap, caplen;
		const char *act;

		while (first > 0 && ls->l[first - 1].page == l->page && i - first < EDGE)
			first--;
		while (last + 1 < ls->n && ls->l[last + 1].page == l->page && last - i < EDGE)
			last++;
		if ((first > 0 && ls->l[first - 1].page == l->page) &&
		    (last + 1 < ls->n && ls->l[last + 1].page == l->page))
			continue;	/* not within EDGE lines of the page's edges */
		act = rule_action(l->s, l->n, &cap, &caplen);
		if (act && strcmp(act, "page") == 0)
			l->drop = 1;
	}
}

/* The line with runs of digits as '#': "2021年报告 3" and "… 4" agree. */
static void
digit_key(const char *s, size_t n, Buf *key)
{
	buf_clear(key);
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
				i++;
			buf_addc(key, '#');
		} else {
			buf_addc(key, s[i]);
		}
	}
	buf_addc(key, '\0');
}

/* Running headers and footers: a line among the first or last EDGE kept
 * lines of its page whose digit key is at an edge of half the pages (at
 * least two). Quadratic in the edge lines only (4 per page). */
static void
drop_repeated(Lines *ls)
{
	size_t *edge = malloc((size_t)ls->pages * 2 * EDGE * sizeof *edge), ne = 0;
	Buf a = BUF_INIT, b = BUF_INIT;

	if (!edge)
		abort();
	if (ls->pages < 2)
		goto out;
	for (size_t i = 0; i < ls->n; i++) {
		size_t before = 0, after = 0;

		if (ls->l[i].drop)
			continue;
		for (size_t k = i; k-- > 0 && ls->l[k].page == ls->l[i].page;)
			before += !ls->l[k].drop;
		for (size_t k = i + 1; k < ls->n && ls->l[k].page == ls->l[i].page; k++)
			after += !ls->l[k].drop;
		if (before < EDGE || after < EDGE)
			edge[ne++] = i;
	}
	for (size_t x = 0; x < ne; x++) {
		int pages = 0, lastpage = -1, again = 0;

		digit_key(ls->l[edge[x]].s, ls->l[edge[x]].n, &a);
		for (size_t y = 0; y < ne; y++) {
			digit_key(ls->l[edge[y]].s, ls->l[edge[y]].n, &b);
			if (strcmp(a.s, b.s) != 0)
				continue;
			if (ls->l[edge[y]].page != lastpage)
				pages++, lastpage = ls->l[edge[y]].page;
			else if (y == x)
				again = 1;
		}
		/* the first on its page only: a title under a running header
		 * that repeats it stays */
		if (!again && pages >= 2 && pages * 2 >= ls->pages)
			ls->l[edge[x]].drop = 2;	/* marked apart: others still compare */
	}
out:
	free(edge);
	buf_free(&a);
	buf_free(&b);
}

/* The red head: among the first HEAD_LINES lines, "publisher" and "docno"
 * rules give the header's values; "head" rules mark lines dropped (签发人). */
static void
take_red_head(Lines *ls, Buf *publisher, Buf *docno)
{
	for (size_t i = 0, seen = 0; i < ls->n && seen < HEAD_LINES && ls->l[i].page == 0; i++) {
		Line *l = &ls->l[i];
		size_t cap, caplen;
		const char *act;

		if (l->drop)
			continue;
		seen++;
		act = rule_action(l->s, l->n, &cap, &caplen);
		if (!act)
			continue;
		if (strcmp(act, "publisher") == 0 && !publisher->len)
			buf_add(publisher, l->s + cap, caplen), l->drop = 1;
		else if (strcmp(act, "docno") == 0 && !docno->len)
			buf_add(docno, l->s + cap, caplen), l->drop = 1;
		else if (strcmp(act, "head") == 0)
			l->drop = 1;
	}
}

/* Columns on a printed line: two for CJK and full-width forms. */
static size_t
display_width(const char *s, size_t n)
{
	size_t w = 0, i = 0;

	while (i < n) {
		uint32_t cp;
		int k = utf8_decode((const unsigned char *)s + i, n - i, &cp);

		if (k <= 0)
			k = 1, cp = '?';
		w += cp >= 0x1100 ? 2 : 1;
		i += (size_t)k;
	}
	return w;
}

/* A line ending where a paragraph can end: 。！？；：” or a closing bracket
 * after one, or a heading's own end is not known here (see reflow). */
static int
ends_sentence(const char *s, size_t n)
{
	static const char *const ends[] = {"。", "！", "？", "；", "：", "”", "」", "!", "?", ";",
					   ":", "）", ")", "…", NULL};

	for (int k = 0; ends[k]; k++) {
		size_t m = strlen(ends[k]);

		if (n >= m && memcmp(s + n - m, ends[k], m) == 0)
			return 1;
	}
	return 0;
}

/* The width of a full line: the most frequent width among the kept lines
 * at least half as wide as the widest (the short last lines of paragraphs
 * vary; the full ones repeat), ties to the wider. */
static size_t
page_width(const Lines *ls)
{
	size_t max = 0, best = 0, bestn = 0, *count;

	for (size_t i = 0; i < ls->n; i++)
		if (!ls->l[i].drop) {
			size_t w = display_width(ls->l[i].s, ls->l[i].n);

			if (w > max)
				max = w;
		}
	if (max > 4096)
		max = 4096;
	count = calloc(max + 1, sizeof *count);
	if (!count)
		abort();
	for (size_t i = 0; i < ls->n; i++)
		if (!ls->l[i].drop) {
			size_t w = display_width(ls->l[i].s, ls->l[i].n);

			if (w * 2 >= max && w <= max)
				count[w]++;
		}
	for (size_t w = 0; w <= max; w++)
		if (count[w] && count[w] >= bestn)
			best = w, bestn = count[w];
	free(count);
	return best;
}

/* A comma, enumeration comma or full stop inside: a sentence, not a title. */
static int
has_clause_mark(const char *s, size_t n)
{
	static const char *const marks[] = {"，", "。", "；", ",", ";", NULL};

	for (int k = 0; marks[k]; k++)
		if (memmem(s, n, marks[k], strlen(marks[k])))
			return 1;
	return 0;
}

/* A "start" rule matches: a heading's numbering begins the line. */
static int
starts_paragraph(const Line *l)
{
	size_t cap, caplen;
	const char *act = rule_action(l->s, l->n, &cap, &caplen);

	return act && strcmp(act, "start") == 0;
}

/* One paragraph a line: a line as wide as the page (within a character or
 * two: a line cannot start with a closing mark) that does not end a
 * sentence goes on with the next kept line, across a page break too,
 * unless the converter left a blank line (a paragraph's spacing) or a
 * "start" rule says the next line begins a paragraph. */
static void
reflow(const Lines *ls, Buf *out)
{
	size_t full = page_width(ls);
	int open = 0;

	for (size_t i = 0; i < ls->n; i++) {
		const Line *l = &ls->l[i];

		if (l->drop)
			continue;
		if (open && out->len && !l->gap && !starts_paragraph(l)) {
			unsigned char last = (unsigned char)out->s[out->len - 1];
			unsigned char first = (unsigned char)l->s[0];

			/* Latin words broken at the width get their space back */
			if (last < 0x80 && first < 0x80 && !(last >= '0' && last <= '9') &&
			    last != ' ' && first != ' ')
				buf_addc(out, ' ');
		} else if (out->len) {
			buf_addc(out, '\n');
		}
		buf_add(out, l->s, l->n);
		/* a heading ends its line unless it fills it exactly; a sentence
		 * goes on when a character (pushed down by a closing mark that
		 * cannot start a line) is missing */
		{
			size_t w = display_width(l->s, l->n);
			int heading = starts_paragraph(l) && !has_clause_mark(l->s, l->n);

			open = full >= 8 && w + (heading ? 1 : 2) >= full && !ends_sentence(l->s, l->n);
		}
	}
	if (out->len)
		buf_addc(out, '\n');
}

void
attach_pages(Buf *text)
{
	Lines ls = {0};
	Buf body = BUF_INIT, publisher = BUF_INIT, docno = BUF_INIT;

	split_lines(text->s ? text->s : (char *)"", text->len, &ls);
	if (attach_rules.n) {
		drop_page_numbers(&ls);
		take_red_head(&ls, &publisher, &docno);
	}
	drop_repeated(&ls);
	if (publisher.len || docno.len) {
		if (publisher.len)
			buf_adds(&body, "Publisher: "), buf_add(&body, publisher.s, publisher.len),
			buf_addc(&body, '\n');
		if (docno.len)
			buf_adds(&body, "Doc-No: "), buf_add(&body, docno.s, docno.len),
			buf_addc(&body, '\n');
		buf_addc(&body, '\n');
	}
	{
		Buf text_body = BUF_INIT;

		reflow(&ls, &text_body);
		buf_add(&body, text_body.s ? text_body.s : "", text_body.len);
		buf_free(&text_body);
	}
	free(ls.l);
	buf_free(text);
	*text = body;
	buf_free(&publisher);
	buf_free(&docno);
}
