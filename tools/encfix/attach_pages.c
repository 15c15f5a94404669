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
#include "attach-int.h"

#include "rules.h"
#include "utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EDGE 2		/* lines at the top and at the bottom of a page checked */
#define HEAD_LINES 8	/* lines of the first page where the red head can be */
#define FULL_SLACK 1.2	/* a full line ends this near its column's edge (heights) */
#define INDENT_MIN 0.5	/* an indented first line starts this far in (heights) */
#define GAP_EXTRA 0.4	/* paragraph spacing: a step this much over the leading */

/* What the positions of a PDF's lines say about its paragraphs. */
typedef struct {
	double lead;	/* the usual step between two lines' baselines */
	int gaps;	/* steps wider than the lead: paragraphs spaced apart */
	int indents;	/* lines starting in from their column: first lines */
} Flow;

static RuleSet attach_rules;
static long action_col = -1;

static void split_lines(char *s, size_t len, Lines *ls);
static void doc_tables(Lines *ls);
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
			Line *l = lines_add(ls);

			l->s = s + a, l->n = b - a, l->page = page, l->gap = blank;
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

/* antiword's "|cell |cell |" line: its cells (at most MAX_CELLS) as
 * offsets and lengths, trimmed; their number (0: not a table line). */
#define MAX_CELLS 32
static size_t
bar_cells(const Line *l, size_t *off, size_t *len)
{
	size_t n = 0, a = 1;

	if (l->n < 3 || l->s[0] != '|' || l->s[l->n - 1] != '|')
		return 0;
	for (size_t i = 1; i < l->n; i++) {
		size_t x = a, y = i;

		if (l->s[i] != '|')
			continue;
		if (n == MAX_CELLS)
			return 0;
		while (x < y && l->s[x] == ' ')
			x++;
		while (y > x && l->s[y - 1] == ' ')
			y--;
		off[n] = x, len[n++] = y - x, a = i + 1;
	}
	return n >= 2 ? n : 0;
}

/* antiword writes a table row as "|cell |cell |", a cell wrapped over
 * lines: a run of such lines with the same number of cells becomes rows of
 * cells joined by " | " (table lines, in ls->store), a line with two
 * cells or more, the first one too, beginning a row; the others go on with
 * the row above. */
static void
doc_tables(Lines *ls)
{
	size_t off[MAX_CELLS], len[MAX_CELLS], *where = calloc(ls->n + 1, sizeof *where);
	Buf cell[MAX_CELLS];

	if (!where)
		abort();
	for (size_t c = 0; c < MAX_CELLS; c++)
		cell[c] = (Buf)BUF_INIT;
	for (size_t i = 0, j; i < ls->n; i = j > i ? j : i + 1) {
		size_t ncell = bar_cells(&ls->l[i], off, len), row = i;

		j = i;
		if (!ncell)
			continue;
		for (j = i; j <= ls->n; j++) {
			size_t k = j < ls->n ? bar_cells(&ls->l[j], off, len) : 0, filled = 0;

			for (size_t c = 0; c < k; c++)
				filled += len[c] > 0;
			if (j > i && (k != ncell || (filled >= 2 && len[0] > 0))) {	/* a row ends */
				where[row] = ls->store.len + 1;
				for (size_t c = 0; c < ncell; c++) {
					if (c)
						buf_adds(&ls->store, " | ");
					buf_add(&ls->store, cell[c].s ? cell[c].s : "", cell[c].len);
					buf_clear(&cell[c]);
				}
				ls->l[row].n = ls->store.len - (where[row] - 1), ls->l[row].table = 1;
				row = j;
			}
			if (k != ncell)
				break;
			if (j > row)
				ls->l[j].drop = 3;	/* joined to its row */
			for (size_t c = 0; c < k; c++) {
				const char *t = ls->l[j].s + off[c];

				/* a wrapped cell: Latin words get their space back */
				if (cell[c].len && len[c] && isalpha((unsigned char)cell[c].s[cell[c].len - 1]) &&
				    isalpha((unsigned char)t[0]))
					buf_addc(&cell[c], ' ');
				buf_add(&cell[c], t, len[c]);
			}
		}
	}
	for (size_t i = 0; i < ls->n; i++)
		if (where[i])
			ls->l[i].s = ls->store.s + where[i] - 1;
	for (size_t c = 0; c < MAX_CELLS; c++)
		buf_free(&cell[c]);
	free(where);
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

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The kept lines of one page, l[0..n): how many kept lines are wholly
 * above and wholly below each (two columns' lines side by side are
 * neither), by their positions; sorted edges and binary search. */
static void
rank_by_position(Line *l, size_t n)
{
	double *bases = malloc((n ? n : 1) * sizeof *bases), *tops = malloc((n ? n : 1) * sizeof *tops);
	size_t kept = 0;

	if (!bases || !tops)
		abort();
	for (size_t i = 0; i < n; i++)
		if (!l[i].drop)
			bases[kept] = l[i].base, tops[kept++] = l[i].top;
	qsort(bases, kept, sizeof *bases, cmp_double);
	qsort(tops, kept, sizeof *tops, cmp_double);
	for (size_t i = 0; i < n; i++) {
		double tol = 0.25 * l[i].h;
		size_t lo = 0, hi = kept;

		if (l[i].drop)
			continue;
		while (lo < hi) {	/* bases at or above this top */
			size_t mid = (lo + hi) / 2;

			if (bases[mid] <= l[i].top + tol)
				lo = mid + 1;
			else
				hi = mid;
		}
		l[i].above = lo;
		lo = 0, hi = kept;
		while (lo < hi) {	/* tops above this base */
			size_t mid = (lo + hi) / 2;

			if (tops[mid] < l[i].base - tol)
				lo = mid + 1;
			else
				hi = mid;
		}
		l[i].below = kept - lo;
	}
	free(bases);
	free(tops);
}

/* Each kept line's place on its page (above, below): by position when
 * known (a PDF: a running header written last in the content stream is
 * still at the top), else by order. */
static void
edge_ranks(Lines *ls)
{
	for (size_t a = 0, b; a < ls->n; a = b) {
		size_t kept = 0, k = 0;

		for (b = a; b < ls->n && ls->l[b].page == ls->l[a].page; b++)
			kept += !ls->l[b].drop;
		if (ls->l[a].geo) {
			rank_by_position(ls->l + a, b - a);
			continue;
		}
		for (size_t i = a; i < b; i++)
			if (!ls->l[i].drop)
				ls->l[i].above = k, ls->l[i].below = kept - 1 - k, k++;
	}
}

/* Lines within EDGE lines of a page's top or bottom that a "page" rule
 * matches. */
static void
drop_page_numbers(Lines *ls)
{
	edge_ranks(ls);
	for (size_t i = 0; i < ls->n; i++) {
		Line *l = &ls->l[i];
		size_t cap, caplen;
		const char *act;

		if (l->above > EDGE && l->below > EDGE)
			continue;
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
 * least two). Quadratic in the edge lines only (at most 4 EDGE a page:
 * two columns side by side have two tops). */
static void
drop_repeated(Lines *ls)
{
	size_t *edge = malloc((ls->n ? ls->n : 1) * sizeof *edge), ne = 0, on_page = 0;
	Buf a = BUF_INIT, b = BUF_INIT;

	if (!edge)
		abort();
	if (ls->pages < 2)
		goto out;
	edge_ranks(ls);
	for (size_t i = 0; i < ls->n; i++) {
		if (i == 0 || ls->l[i].page != ls->l[i - 1].page)
			on_page = 0;
		if (!ls->l[i].drop && (ls->l[i].above < EDGE || ls->l[i].below < EDGE) &&
		    on_page++ < 4 * EDGE)
			edge[ne++] = i;
	}
	for (size_t x = 0; x < ne; x++) {
		int pages = 0, lastpage = -1, again = 0;

		digit_key(ls->l[edge[x]].s, ls->l[edge[x]].n, &a);
		for (size_t y = 0; y < ne; y++) {
			const Line *lx = &ls->l[edge[x]], *ly = &ls->l[edge[y]];

			/* a PDF's running line is at one height on every page */
			if (lx->geo && fabs(lx->top - ly->top) > lx->h)
				continue;
			digit_key(ly->s, ly->n, &b);
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
		if (!ls->l[i].drop && !ls->l[i].geo) {
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
		if (!ls->l[i].drop && !ls->l[i].geo) {
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

/* A PDF line that starts in from its column's left edge: a first line. */
static int
indented(const Line *l)
{
	return l->x0 - l->left >= INDENT_MIN * l->h;
}

/* l comes right under p in the same column of the same page. */
static int
same_flow(const Line *p, const Line *l)
{
	return l->page == p->page && l->top >= p->base - 0.5 * p->h && l->x0 < p->x1 &&
	       l->x1 > p->x0;
}

/* The leading (the step between the baselines of two kept lines of one
 * column and one size that is the smallest common one, in half points)
 * and how often the
 * document marks a paragraph by a wider step or by an indent. */
static void
flow_stats(const Lines *ls, Flow *f)
{
	enum { STEPS = 2048 };
	unsigned *count = calloc(STEPS, sizeof *count);
	const Line *p = NULL;
	size_t best = 0;

	if (!count)
		abort();
	memset(f, 0, sizeof *f);
	for (int pass = 0; pass < 2; pass++, p = NULL) {
		for (size_t i = 0; i < ls->n; i++) {
			const Line *l = &ls->l[i];
			double d;

			if (l->drop || !l->geo || l->table)
				continue;
			d = p ? l->base - p->base : 0;
			if (p && same_flow(p, l) && fabs(l->h - p->h) <= 0.15 * fmax(l->h, p->h) &&
			    d > 0 && d <= 3 * l->h) {
				if (pass == 0 && 2 * d < STEPS)
					count[(size_t)lround(2 * d)]++;
				else if (pass == 1)
					f->gaps += d > f->lead + GAP_EXTRA * l->h;
			}
			if (pass == 0)
				f->indents += indented(l);
			p = l;
		}
		/* the smallest step that is common (a fifth of the most
		 * common's count): in a short document of one-line paragraphs
		 * spaced apart the spaced step is the most common */
		for (size_t k = 1; pass == 0 && k < STEPS; k++)
			if (count[k] > count[best])
				best = k;
		for (size_t k = 1; pass == 0 && k < best; k++)
			if (count[k] && count[k] * 5 >= count[best]) {
				best = k;
				break;
			}
		f->lead = best / 2.0;
	}
	free(count);
}

/* Whether PDF line l goes on with p's paragraph by their positions: 1
 * yes, 0 no, -1 the positions cannot tell (at a page or column break in a
 * document that does not indent its paragraphs). No when l is indented,
 * changes size, or sits a paragraph's spacing below p, or p does not reach
 * its column's right edge (a short last line, a heading); yes when p is
 * full and l follows it in the column of a document that marks its
 * paragraphs, or starts a page or column without the indent of a first
 * line in a document that has them. */
static int
geo_continues(const Line *p, const Line *l, const Flow *f)
{
	int flow = same_flow(p, l);

	if (p->table || l->table || indented(l) || fabs(l->h - p->h) > 0.15 * fmax(l->h, p->h))
		return 0;
	if (p->x1 < p->right - FULL_SLACK * p->h)
		return 0;
	if (flow && f->lead > 0) {
		if (l->base - p->base > f->lead + GAP_EXTRA * l->h)
			return 0;
		if (f->gaps >= 2 || f->indents >= 2)
			return 1;
	}
	if (!flow && f->indents >= 2)
		return 1;
	return -1;
}

/* One paragraph a line. A PDF's lines by their positions (geo_continues);
 * when they cannot tell, and for text from other converters: a line as
 * wide as the page (within a character or two: a line cannot start with a
 * closing mark) that does not end a sentence goes on with the next kept
 * line, across a page break too, unless the converter left a blank line
 * (a paragraph's spacing) or a "start" rule says the next line begins a
 * paragraph; a one-line paragraph with no clause mark that fills its line
 * is a heading and ends there. */
static void
reflow(const Lines *ls, Buf *out)
{
	size_t full = page_width(ls);
	int open = 0;
	const Line *p = NULL;
	Flow f;

	flow_stats(ls, &f);
	for (size_t i = 0; i < ls->n; i++) {
		const Line *l = &ls->l[i];
		int cont = 0;

		if (l->drop)
			continue;
		if (p && !l->gap) {
			int g = p->geo && l->geo ? geo_continues(p, l, &f) : -2;

			/* the positions, when they tell, over the "start" rule: a
			 * line broken before "一、" inside a sentence goes on */
			if (g == -2)
				cont = open && !starts_paragraph(l);
			else if (g == -1)	/* a full line at a page or column
						 * break, even a heading's: more
						 * headings are longer than a line
						 * than fill one exactly */
				cont = !starts_paragraph(l) && !ends_sentence(p->s, p->n);
			else
				cont = g;
		}
		if (cont) {
			unsigned char last = (unsigned char)out->s[out->len - 1];
			unsigned char c = (unsigned char)l->s[0];

			/* Latin words broken at the width get their space back */
			if (last < 0x80 && c < 0x80 && isalpha(last) && isalpha(c))
				buf_addc(out, ' ');
		} else if (out->len) {
			buf_addc(out, '\n');
		}
		if (l->table)
			buf_adds(out, ATTACH_TABLE_ROW);
		buf_add(out, l->s, l->n);
		/* text: a heading ends its line unless it fills it exactly; a
		 * sentence goes on when a character (pushed down by a closing
		 * mark that cannot start a line) is missing */
		if (!l->geo && !ls->paragraphs) {
			size_t w = display_width(l->s, l->n);
			int heading = starts_paragraph(l) && !has_clause_mark(l->s, l->n);

			open = full >= 8 && w + (heading ? 1 : 2) >= full && !ends_sentence(l->s, l->n);
		}
		p = l;
	}
	if (out->len)
		buf_addc(out, '\n');
}

void
attach_pages(int kind, Buf *text)
{
	Lines ls = {0};
	Buf body = BUF_INIT, publisher = BUF_INIT, docno = BUF_INIT;

	if (kind == ATT_PDF)
		layout_lines(text->s ? text->s : "", text->len, &ls);
	else
		split_lines(text->s ? text->s : (char *)"", text->len, &ls);
	ls.paragraphs = kind == ATT_DOCX || kind == ATT_DOC;	/* antiword -w 0 */
	if (kind == ATT_DOC)
		doc_tables(&ls);
	if (attach_rules.n) {
		drop_page_numbers(&ls);
		take_red_head(&ls, &publisher, &docno);
	}
	drop_repeated(&ls);
	if (kind == ATT_PDF)
		layout_columns(&ls);
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
	buf_free(&ls.store);
	buf_free(text);
	*text = body;
	buf_free(&publisher);
	buf_free(&docno);
}
