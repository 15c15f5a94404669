/* attach_layout.c: a PDF's printed lines with their positions, from the
 * word boxes pdftotext writes with -bbox (-raw: the words in the content
 * stream's order, the reading order of a report printed from a word
 * processor). Words on one baseline going right make a line; the gaps
 * between them give the spaces, and gaps wider than a character split a
 * line into cells: a run of lines whose cells fall in the same columns is a
 * table, written as one row a line with cells joined by " | " (as deboiler
 * writes HTML tables), a cell wrapped over lines joined again. Each line
 * gets its column's edges (the left edge of the lines around it, the right
 * edge its full lines reach), which tell attach_pages.c an indented first
 * line, a short last line and a line broken at the width apart. */
#include "attach-int.h"

#include "utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORD_SPACE 0.15	/* a gap wider than this (font heights) is a space */
#define CJK_SPACE 0.6	/* between CJK characters: letter spacing up to this */
#define CELL_GAP 1.0	/* a gap at least this wide separates table cells */
#define ROW_GAP 1.2	/* table rows: at most this much blank between lines */
#define MAX_COLS 32
#define INDENT_REACH 4.0	/* a column's left edge: at most this far left */
#define EDGE_WINDOW 120	/* lines each side looked at for a column's edge */

typedef struct {
	int page;
	double x0, y0, x1, y1;
	size_t off, len;	/* text in the words' buffer */
} Word;

typedef struct {
	double x0, x1;
	size_t off, len;	/* text in the cells' buffer */
	int col;		/* its table column, when in a table */
} Seg;

typedef struct {
	int page;
	size_t seg0, nseg;
	double x0, x1, top, base, h;
} PLine;

typedef struct {
	Word *w;
	size_t nw, capw;
	Seg *seg;
	size_t nseg, capseg;
	PLine *pl;
	size_t npl, cappl;
	Buf words, cells;
	int pages;
	size_t *off;	/* each output line's text offset in ls->store */
	size_t capoff;
} Layout;

static double attr_num(const char *s, size_t n, const char *name);
static void parse_words(const char *x, size_t n, Layout *lo);
static uint32_t last_char(const char *s, size_t n);
static uint32_t first_char(const char *s, size_t n);
static int is_cjk(uint32_t cp);
static void join_text(Buf *b, size_t start, const char *t, size_t n, double gap, double h);
static void build_lines(Layout *lo);
static void close_line(Layout *lo, size_t w0, size_t w1);
static size_t table_end(Layout *lo, size_t i);
static void emit_line(Layout *lo, Lines *ls, size_t i);
static void emit_table(Layout *lo, Lines *ls, size_t i, size_t end);
static int cmp_left(const void *a, const void *b);
static int cmp_desc(const void *a, const void *b);

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 256;
	if (*cap < need)
		*cap = need;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

Line *
lines_add(Lines *ls)
{
	ls->l = grow(ls->l, &ls->cap, ls->n + 1, sizeof *ls->l);
	memset(&ls->l[ls->n], 0, sizeof ls->l[0]);
	return &ls->l[ls->n++];
}

/* The number in name="…" inside the tag s[0..n) (0 when absent). */
static double
attr_num(const char *s, size_t n, const char *name)
{
	size_t m = strlen(name);

	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), name, m)) != NULL; p += m) {
		if (p + m + 2 <= s + n && p[m] == '=' && p[m + 1] == '"' && (p == s || p[-1] == ' ')) {
			double v = strtod(p + m + 2, NULL);

			return isfinite(v) ? v : 0;
		}
	}
	return 0;
}

/* <page …> and <word xMin= yMin= xMax= yMax=>text</word>: everything else
 * in pdftotext's XHTML is ignored. */
static void
parse_words(const char *x, size_t n, Layout *lo)
{
	size_t i = 0;
	int page = -1;

	while (i < n) {
		const char *lt = memchr(x + i, '<', n - i), *gt, *end;
		size_t start;

		if (!lt)
			break;
		i = (size_t)(lt - x);
		gt = memchr(x + i, '>', n - i);
		if (!gt)
			break;
		if (n - i > 6 && memcmp(x + i, "<page ", 6) == 0) {
			page++, lo->pages++;
		} else if (n - i > 6 && memcmp(x + i, "<word ", 6) == 0 && page >= 0) {
			Word *w;

			end = memmem(gt + 1, n - (size_t)(gt + 1 - x), "</word>", 7);
			if (!end)
				break;
			lo->w = grow(lo->w, &lo->capw, lo->nw + 1, sizeof *lo->w);
			w = &lo->w[lo->nw];
			w->page = page;
			w->x0 = attr_num(x + i, (size_t)(gt - x) - i, "xMin");
			w->y0 = attr_num(x + i, (size_t)(gt - x) - i, "yMin");
			w->x1 = attr_num(x + i, (size_t)(gt - x) - i, "xMax");
			w->y1 = attr_num(x + i, (size_t)(gt - x) - i, "yMax");
			w->off = start = lo->words.len;
			for (const char *p = gt + 1; p < end;) {
				if (*p == '&')
					p += attach_put_entity(p, (size_t)(end - p), &lo->words);
				else if (*p == '\n' || *p == '\t' || *p == '\r')
					p++;
				else
					buf_addc(&lo->words, *p++);
			}
			w->len = lo->words.len - start;
			if (w->len && w->x1 >= w->x0 && w->y1 > w->y0)
				lo->nw++;
			else
				lo->words.len = start;
			i = (size_t)(end - x) + 7;
			continue;
		}
		i = (size_t)(gt - x) + 1;
	}
}

static uint32_t
last_char(const char *s, size_t n)
{
	size_t i = n;
	uint32_t cp = 0;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3)
		i--;
	if (i > 0)
		i--;
	if (n && utf8_decode((const unsigned char *)s + i, n - i, &cp) <= 0)
		cp = 0;
	return cp;
}

static uint32_t
first_char(const char *s, size_t n)
{
	uint32_t cp = 0;

	if (n && utf8_decode((const unsigned char *)s, n, &cp) <= 0)
		cp = 0;
	return cp;
}

/* Han, CJK and full-width punctuation, the quotes and dashes of Chinese
 * text: characters written without spaces between them. */
static int
is_cjk(uint32_t cp)
{
	return (cp >= 0x2010 && cp <= 0x206F) || (cp >= 0x2E80 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFFEF) || cp >= 0x20000;
}

/* Append t to b (whose text since start is the line or cell so far), with
 * a space when the gap between them is one: wider than a narrow gap, and
 * between CJK characters wider than letter spacing. */
static void
join_text(Buf *b, size_t start, const char *t, size_t n, double gap, double h)
{
	if (b->len > start && gap >= WORD_SPACE * h) {
		uint32_t a = last_char(b->s + start, b->len - start), c = first_char(t, n);

		if (!(is_cjk(a) && is_cjk(c) && gap < CJK_SPACE * h))
			buf_addc(b, ' ');
	}
	buf_add(b, t, n);
}

/* Words w0..w1 as one printed line: its cells (runs of words with gaps
 * narrower than CELL_GAP) and its box. */
static void
close_line(Layout *lo, size_t w0, size_t w1)
{
	PLine *p;
	Seg *s = NULL;

	lo->pl = grow(lo->pl, &lo->cappl, lo->npl + 1, sizeof *lo->pl);
	p = &lo->pl[lo->npl++];
	memset(p, 0, sizeof *p);
	p->page = lo->w[w0].page;
	p->x0 = lo->w[w0].x0, p->x1 = lo->w[w1 - 1].x1;
	p->top = lo->w[w0].y0, p->base = lo->w[w0].y1;
	p->seg0 = lo->nseg;
	for (size_t k = w0; k < w1; k++) {
		const Word *w = &lo->w[k];
		double h = w->y1 - w->y0;

		if (w->y0 < p->top)
			p->top = w->y0;
		if (w->y1 > p->base)
			p->base = w->y1;
		if (h > p->h)
			p->h = h;
	}
	for (size_t k = w0; k < w1; k++) {
		const Word *w = &lo->w[k];
		double gap = k > w0 ? w->x0 - lo->w[k - 1].x1 : 0;

		if (k == w0 || gap >= CELL_GAP * p->h) {
			lo->seg = grow(lo->seg, &lo->capseg, lo->nseg + 1, sizeof *lo->seg);
			s = &lo->seg[lo->nseg++];
			s->x0 = w->x0, s->off = lo->cells.len, s->col = -1;
		}
		join_text(&lo->cells, s->off, lo->words.s + w->off, w->len, gap, p->h);
		s->x1 = w->x1, s->len = lo->cells.len - s->off;
	}
	p->nseg = lo->nseg - p->seg0;
}

/* Words in order: the next word is on the current line when it is on the
 * same page, to the right of the last one, and shares half its height. */
static void
build_lines(Layout *lo)
{
	size_t w0 = 0;
	double top = 0, base = 0;

	for (size_t k = 0; k < lo->nw; k++) {
		const Word *w = &lo->w[k], *last = k ? &lo->w[k - 1] : NULL;

		if (k > w0) {
			double h = fmin(w->y1 - w->y0, base - top);
			double overlap = fmin(w->y1, base) - fmax(w->y0, top);

			if (w->page == last->page && w->x0 >= last->x1 - 0.3 * h && overlap >= 0.5 * h) {
				top = fmin(top, w->y0), base = fmax(base, w->y1);
				continue;
			}
			close_line(lo, w0, k);
		}
		w0 = k, top = w->y0, base = w->y1;
	}
	if (lo->nw > w0)
		close_line(lo, w0, lo->nw);
}

/* Where the table starting at printed line i ends (i when there is none):
 * the lines close below it whose cells each fall in one column, going
 * right (the columns widen to hold them), at least two of them with two
 * cells or more. A line with one cell wider than the first column ends the
 * table. */
static size_t
table_end(Layout *lo, size_t i)
{
	double cx0[MAX_COLS], cx1[MAX_COLS];
	size_t ncol = lo->pl[i].nseg, j, multi = 1;

	if (ncol < 2 || ncol > MAX_COLS)
		return i;
	for (size_t c = 0; c < ncol; c++) {
		Seg *s = &lo->seg[lo->pl[i].seg0 + c];

		cx0[c] = s->x0, cx1[c] = s->x1, s->col = (int)c;
	}
	for (j = i + 1; j < lo->npl; j++) {
		const PLine *p = &lo->pl[j], *q = &lo->pl[j - 1];
		int last = -1, ok = 1;

		if (p->page != q->page || p->top < q->base - 0.5 * q->h ||
		    p->top - q->base > ROW_GAP * q->h)
			break;
		for (size_t k = 0; k < p->nseg && ok; k++) {
			Seg *s = &lo->seg[p->seg0 + k];
			int hit = -1;

			for (size_t c = 0; c < ncol; c++)
				if (s->x0 < cx1[c] && s->x1 > cx0[c]) {
					if (hit >= 0)
						ok = 0;	/* across two columns: text */
					hit = (int)c;
				}
			ok = ok && hit > last;
			s->col = last = hit;
		}
		/* one cell in the first column: that cell wrapped, if it
		 * stays inside the column; else text after the table */
		if (!ok || (p->nseg == 1 && lo->seg[p->seg0].col == 0 &&
			    lo->seg[p->seg0].x1 > cx1[0] + 0.5 * p->h))
			break;
		for (size_t k = 0; k < p->nseg; k++) {
			const Seg *s = &lo->seg[p->seg0 + k];

			cx0[s->col] = fmin(cx0[s->col], s->x0), cx1[s->col] = fmax(cx1[s->col], s->x1);
		}
		multi += p->nseg >= 2;
	}
	return multi >= 2 ? j : i;
}

static void
add_out(Layout *lo, Lines *ls, const PLine *p, size_t off)
{
	Line *l = lines_add(ls);

	lo->off = grow(lo->off, &lo->capoff, ls->n, sizeof *lo->off);
	lo->off[ls->n - 1] = off;
	l->n = ls->store.len - off;
	l->page = p->page, l->geo = 1;
	l->x0 = p->x0, l->x1 = p->x1, l->top = p->top, l->base = p->base, l->h = p->h;
}

/* A printed line as text: its cells joined by a space. */
static void
emit_line(Layout *lo, Lines *ls, size_t i)
{
	const PLine *p = &lo->pl[i];
	size_t off = ls->store.len;

	for (size_t k = 0; k < p->nseg; k++) {
		const Seg *s = &lo->seg[p->seg0 + k];

		if (k)
			buf_addc(&ls->store, ' ');
		buf_add(&ls->store, lo->cells.s + s->off, s->len);
	}
	add_out(lo, ls, p, off);
}

/* Printed lines i..end as table rows: a line with two cells or more, one
 * in the first column, begins a row; any other goes on with the row above
 * (its cells wrapped over lines). */
static void
emit_table(Layout *lo, Lines *ls, size_t i, size_t end)
{
	Buf cell[MAX_COLS];
	size_t ncol = lo->pl[i].nseg;
	PLine row;

	for (size_t c = 0; c < MAX_COLS; c++)
		cell[c] = (Buf)BUF_INIT;
	for (size_t j = i; j <= end; j++) {
		const PLine *p = j < end ? &lo->pl[j] : NULL;

		int new_row = p && p->nseg >= 2 && lo->seg[p->seg0].col == 0;

		if (j > i && (!p || new_row)) {	/* the row above ends */
			size_t off = ls->store.len;

			for (size_t c = 0; c < ncol; c++) {
				if (c)
					buf_adds(&ls->store, " | ");
				buf_add(&ls->store, cell[c].s ? cell[c].s : "", cell[c].len);
				buf_clear(&cell[c]);
			}
			add_out(lo, ls, &row, off);
			ls->l[ls->n - 1].table = 1;
		}
		if (!p)
			break;
		if (j == i || new_row)
			row = *p;
		row.x1 = fmax(row.x1, p->x1), row.base = fmax(row.base, p->base);
		for (size_t k = 0; k < p->nseg; k++) {
			const Seg *s = &lo->seg[p->seg0 + k];
			uint32_t a = cell[s->col].len ? last_char(cell[s->col].s, cell[s->col].len) : 0;
			uint32_t b = first_char(lo->cells.s + s->off, s->len);

			/* a wrapped cell: Latin words get their space back */
			if (a && a < 0x80 && b < 0x80 && a != ' ' && b != ' ')
				buf_addc(&cell[s->col], ' ');
			buf_add(&cell[s->col], lo->cells.s + s->off, s->len);
		}
	}
	for (size_t c = 0; c < MAX_COLS; c++)
		buf_free(&cell[c]);
}

/* By size (in half points), then by left edge. */
static int
cmp_left(const void *a, const void *b)
{
	const Line *x = *(Line *const *)a, *y = *(Line *const *)b;
	long hx = lround(2 * x->h), hy = lround(2 * y->h);

	if (hx != hy)
		return hx < hy ? -1 : 1;
	return x->left < y->left ? -1 : x->left > y->left;
}

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x > y ? -1 : x < y;
}

/* Each kept line's column: its left edge is the leftmost start of the
 * kept lines near it on its page that overlap it and start at most
 * INDENT_REACH heights left of it (an indented first line gets its
 * paragraph's edge, a centred title its own); its right edge the rightmost
 * end that two lines of its size and column reach alike (full lines), over
 * the document, if it is near the widest (three quarters of its width or
 * more: two short lines ending alike are not full), else the widest end (a
 * document too short to repeat its full line). A line alone in its column
 * has none (right = +inf: never full). */
void
layout_columns(Lines *ls)
{
	Line **by = malloc((ls->n ? ls->n : 1) * sizeof *by);
	double *ends = malloc((ls->n ? ls->n : 1) * sizeof *ends);
	size_t nby = 0;

	if (!by || !ends)
		abort();
	for (size_t i = 0; i < ls->n; i++) {
		Line *l = &ls->l[i];
		size_t a = i > EDGE_WINDOW ? i - EDGE_WINDOW : 0;
		size_t b = i + EDGE_WINDOW < ls->n ? i + EDGE_WINDOW : ls->n - 1;

		l->left = l->x0, l->right = INFINITY;
		if (l->table || l->drop || !l->geo)
			continue;
		for (size_t j = a; j <= b; j++) {
			const Line *m = &ls->l[j];

			if (m->page == l->page && !m->table && !m->drop && m->x0 < l->x1 && m->x1 > l->x0 &&
			    m->x0 < l->left && m->x0 >= l->x0 - INDENT_REACH * l->h)
				l->left = m->x0;
		}
		by[nby++] = l;
	}
	qsort(by, nby, sizeof *by, cmp_left);
	for (size_t a = 0, b; a < nby; a = b) {
		size_t ne = 0;
		double right = INFINITY, reach;

		for (b = a + 1; b < nby && lround(2 * by[b]->h) == lround(2 * by[a]->h) &&
				by[b]->left - by[b - 1]->left <= 0.5 * by[b]->h;
		     b++)
			;
		for (size_t k = a; k < b; k++)
			ends[ne++] = by[k]->x1;
		reach = 0;
		for (size_t k = 0; k < ne; k++)
			reach = fmax(reach, by[a]->left + 0.75 * (ends[k] - by[a]->left));
		qsort(ends, ne, sizeof *ends, cmp_desc);
		for (size_t k = 0; k + 1 < ne && ends[k] >= reach; k++)
			if (ends[k] - ends[k + 1] <= 0.3 * by[a]->h) {
				right = ends[k];
				break;
			}
		if (ne >= 2 && isinf(right))	/* a short document: its widest */
			right = ends[0];
		for (size_t k = a; k < b; k++)
			by[k]->right = right;
	}
	free(by);
	free(ends);
}

void
layout_lines(const char *xhtml, size_t n, Lines *ls)
{
	Layout lo = {0};

	lo.words = (Buf)BUF_INIT, lo.cells = (Buf)BUF_INIT;
	parse_words(xhtml, n, &lo);
	build_lines(&lo);
	for (size_t i = 0; i < lo.npl;) {
		size_t end = table_end(&lo, i);

		if (end > i) {
			emit_table(&lo, ls, i, end);
			i = end;
		} else {
			emit_line(&lo, ls, i++);
		}
	}
	for (size_t i = 0; i < ls->n; i++)
		ls->l[i].s = ls->store.s + lo.off[i];
	ls->pages = lo.pages ? lo.pages : 1;
	free(lo.w);
	free(lo.seg);
	free(lo.pl);
	free(lo.off);
	buf_free(&lo.words);
	buf_free(&lo.cells);
}
