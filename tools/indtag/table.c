/* table.c: a figure in a table row takes its meaning from the row's and the
 * column's headers. deboiler writes an HTML table a row a line, its cells
 * joined by " | " (encfix does the same for a DOCX table; "| a | b |"
 * with outer bars is read too). For a figure in a row such a line
 *	类别 | 受理 | 办结          (a header row: no cell is a number)
 *	行政复议 | 171 | 165
 * the rules are tried on a context made of the table's caption (the line
 * above the table), the row's header (its first cell; with a first cell
 * spanning rows, the row above that has it), the column's headers (the
 * header rows' cells above the figure's cell) and the nearest text cell
 * before the figure's cell, then the figure's cell itself: 171 reads
 * "行政复议 受理 171", 165 "行政复议 办结 165". A code found so wins over
 * the one the line gave (or other); no code found keeps the line's. A
 * figure without a unit takes the one a header names in brackets
 * (受理(件), 金额(万元)). attribute.c calls indtag_table() per line. */
#include "indtag_int.h"
#include "numparse.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 64
#define MAX_HEAD_ROWS 4		/* header rows at the top of a table */
#define LINES_BACK 400		/* rows looked at above a figure's row */
#define CELL_MAX 90		/* bytes: a longer cell is prose, no table cell */
#define CAPTION_MAX 120		/* bytes: a longer line above is no caption */

typedef struct {
	size_t off, len;
} Span;

typedef struct {
	size_t start, end;	/* the line, without its newline */
	Span cell[MAX_CELLS];
	size_t n;
} Row;

static int is_blank(const unsigned char *s, size_t i, size_t z, size_t *w);
static size_t split_row(const unsigned char *s, size_t a, size_t z, Span *cell, size_t max);
static int is_number_cell(const unsigned char *s, Span c);
static int is_header_row(const unsigned char *s, const Row *r);
static size_t line_before(const unsigned char *s, size_t start);
static void add_part(Buf *b, const unsigned char *s, Span c);
static void set_unit(Fig *fg, const char *u, int pw);
static void header_unit(Fig *fg, const unsigned char *s, const Span *c, size_t nc);
static void table_figure(Tagger *t, Fig *fg, const unsigned char *s, const TextRun *st, const Row *row,
			 size_t ci);
static int try_context(Tagger *t, Fig *fg, const unsigned char *s, const Span *part, size_t npart,
		       size_t cell_end, const char *head, size_t hlen);

/* A blank at s[i]: space, tab, U+3000, U+00A0; *w its bytes. */
static int
is_blank(const unsigned char *s, size_t i, size_t z, size_t *w)
{
	if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
		*w = 1;
		return 1;
	}
	if (i + 1 < z && s[i] == 0xC2 && s[i + 1] == 0xA0) {
		*w = 2;
		return 1;
	}
	if (i + 2 < z && s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
		*w = 3;
		return 1;
	}
	return 0;
}

/* The cells of s[a..z), split on '|', blanks trimmed; the empty cells
 * outside outer bars ("| a | b |") are not cells. 0 when the line holds
 * no bar or more than max cells. */
static size_t
split_row(const unsigned char *s, size_t a, size_t z, Span *cell, size_t max)
{
	size_t n = 0, i = a, bars = 0;

	if (!memchr(s + a, '|', z - a))
		return 0;
	while (i <= z) {
		size_t e = i, b, w;

		while (e < z && s[e] != '|')
			e++;
		b = e;
		while (i < b && is_blank(s, i, b, &w))
			i += w;
		while (b > i) {	/* (trailing blanks: ASCII, U+3000, U+00A0) */
			if (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')
				b--;
			else if (b - i >= 3 && s[b - 3] == 0xE3 && s[b - 2] == 0x80 && s[b - 1] == 0x80)
				b -= 3;
			else if (b - i >= 2 && s[b - 2] == 0xC2 && s[b - 1] == 0xA0)
				b -= 2;
			else
				break;
		}
		if (n == max)
			return 0;
		cell[n].off = i;
		cell[n].len = b - i;
		n++;
		if (e < z)
			bars++;
		i = e + 1;
	}
	/* | a | b |: the empty first and last cells are the outer bars */
	if (n >= 2 && cell[n - 1].len == 0)
		n--;
	if (n >= 2 && cell[0].len == 0) {
		memmove(cell, cell + 1, (n - 1) * sizeof *cell);
		n--;
	}
	return bars ? n : 0;
}

/* A cell that states a number: it starts with a digit, is short, and is
 * no year heading (2021年). */
static int
is_number_cell(const unsigned char *s, Span c)
{
	const unsigned char *p = s + c.off;

	if (c.len == 0 || c.len > 24)
		return 0;
	if (!(p[0] >= '0' && p[0] <= '9') && !(c.len > 1 && (p[0] == '-' || p[0] == '+') && p[1] >= '0' && p[1] <= '9'))
		return 0;
	return !ends_with((const char *)p, c.len, "年") && !ends_with((const char *)p, c.len, "年度");
}

/* A header row: two cells or more, none (past the first) a number. */
static int
is_header_row(const unsigned char *s, const Row *r)
{
	size_t k, text = 0;

	if (r->n < 2)
		return 0;
	for (k = 1; k < r->n; k++) {
		if (is_number_cell(s, r->cell[k]))
			return 0;
		text += r->cell[k].len > 0;
	}
	return text > 0;
}

/* The start of the line before the one starting at start (start itself
 * when there is none). */
static size_t
line_before(const unsigned char *s, size_t start)
{
	size_t p;

	if (start == 0)
		return 0;
	p = start - 1;	/* the newline ending the line before */
	while (p > 0 && s[p - 1] != '\n')
		p--;
	return p;
}

/* A context part: the cell's text and a blank; the clause and sentence
 * marks in it become blanks (the context is one clause). */
static void
add_part(Buf *b, const unsigned char *s, Span c)
{
	size_t i, from = b->len;

	if (c.len == 0)
		return;
	buf_add(b, (const char *)s + c.off, c.len);
	for (i = from; i < b->len; i++)
		if (b->s[i] == ',' || b->s[i] == ';' || b->s[i] == ':' || b->s[i] == '!' || b->s[i] == '?')
			b->s[i] = ' ';
	for (i = from; i + 2 < b->len; i++)	/* 。！？ full-width marks */
		if ((unsigned char)b->s[i] == 0xE3 && (unsigned char)b->s[i + 1] == 0x80 &&
		    (unsigned char)b->s[i + 2] == 0x82)
			memcpy(b->s + i, "   ", 3);
	buf_addc(b, ' ');
}

static void
set_unit(Fig *fg, const char *u, int pw)
{
	fg->f.unit = u;
	fg->unitbit = indtag_unit_bit(u);
	if (pw) {
		dec_mul_pow10(&fg->f.value, pw);
		dec_normalize(&fg->f.value);
	}
}

/* A figure without a unit takes the unit a header names in brackets:
 * 受理(件), 金额(万元), or after 单位: (encfix made （）： ASCII). */
static void
header_unit(Fig *fg, const unsigned char *s, const Span *c, size_t nc)
{
	size_t k, i;

	if (strcmp(fg->f.unit, "-") != 0)
		return;
	for (k = 0; k < nc; k++) {
		const unsigned char *p = s + c[k].off;
		size_t open = 0;

		for (i = 0; i < c[k].len; i++) {
			if (i + 7 <= c[k].len && memcmp(p + i, "单位", 6) == 0 &&
			    (p[i + 6] == ':' || (i + 9 <= c[k].len && memcmp(p + i + 6, "：", 3) == 0))) {
				/* (单位:件) */
				const char *u;
				int pw;
				size_t at = i + (p[i + 6] == ':' ? 7 : 9);
				size_t l = num_unit((const char *)p + at, c[k].len - at, &u, &pw);
				size_t e = at + l;

				if (l > 0 && (e == c[k].len || strchr(")） ,;，；:：", p[e]) || p[e] >= 0x80)) {
					set_unit(fg, u, pw);
					return;
				}
			}
			if (p[i] == '(') {
				open = i + 1;
			} else if (p[i] == ')' && open) {
				const char *u;
				int pw;

				if (i > open && num_unit((const char *)p + open, i - open, &u, &pw) == i - open) {
					set_unit(fg, u, pw);
					return;
				}
				open = 0;
			}
		}
	}
}

/* The table a row belongs to: the rows above up to the table's first, its
 * header rows, the caption above it, the row holding a first cell that
 * spans this one's. Kept for the next row of the same text (a large
 * table is walked up once, not once per row). */
typedef struct {
	size_t row_start;	/* the row it was read for */
	size_t top;		/* the table's first row */
	Span caption, group;
	Row head[MAX_HEAD_ROWS];
	size_t nhead;
} Table;

static Table tab;

static void
table_of(const unsigned char *s, const Row *row, TextRun *st)
{
	static Row above;	/* (a row looked at; rows are large) */
	size_t p, lines, lim = LINES_BACK;
	/* the row just below the one read last in this text: the same table,
	 * only the spanning first cell to look for again (near it) */
	int same = st->table_row == tab.row_start + 1 && line_before(s, row->start) == tab.row_start;

	if (same)
		lim = MAX_HEAD_ROWS * 8;
	else
		tab.top = row->start, tab.caption = (Span){0, 0}, tab.nhead = 0;
	tab.group = (Span){0, 0};
	for (p = row->start, lines = 0; p > 0 && lines < lim; lines++) {
		size_t prev = line_before(s, p);

		above.n = split_row(s, prev, p - 1, above.cell, MAX_CELLS);
		if (above.n < 2) {
			if (!same && p - 1 > prev && p - 1 - prev <= CAPTION_MAX) {
				tab.caption.off = prev;
				tab.caption.len = p - 1 - prev;
			}
			break;
		}
		if (!same)
			tab.top = prev;
		if (!tab.group.len && above.n > row->n && !is_number_cell(s, above.cell[0])) {
			tab.group = above.cell[0];
			if (same)
				break;
		}
		p = prev;
	}
	/* the header rows: the table's first rows that state no number */
	for (p = tab.top; !same && p < row->start && tab.nhead < MAX_HEAD_ROWS;) {
		const unsigned char *nl = memchr(s + p, '\n', row->start - p);
		size_t e = nl ? (size_t)(nl - s) : row->start;
		Row *h = &tab.head[tab.nhead];

		h->start = p;
		h->end = e;
		h->n = split_row(s, p, e, h->cell, MAX_CELLS);
		if (!is_header_row(s, h))
			break;
		tab.nhead++;
		p = e + 1;
	}
	tab.row_start = row->start;
	st->table_row = row->start + 1;
}

/* The figure fg in cell ci of row (its table read): its context, its rules. */
static void
table_figure(Tagger *t, Fig *fg, const unsigned char *s, const TextRun *st, const Row *row, size_t ci)
{
	const Row *head = tab.head;
	size_t nhead = tab.nhead, hn = 0, k;
	Span group = tab.group, caption = tab.caption, part[MAX_HEAD_ROWS + 4], units[MAX_HEAD_ROWS + 4];
	size_t npart = 0, nunits;
	size_t cell_end = row->cell[ci].off + row->cell[ci].len;

	/* the context: row headers, column headers, the text cell before */
	if (group.len)
		part[npart++] = group;
	if (ci > 0 && !is_number_cell(s, row->cell[0]))
		part[npart++] = row->cell[0];
	for (k = 0; k < nhead; k++) {
		/* a shorter header row (its first cell spans rows) or a shorter
		 * data row (its first cell spanned from above): the columns
		 * align on the right */
		long col = (long)ci + (long)head[k].n - (long)row->n;

		if (col > 0 && col < (long)head[k].n && head[k].cell[col].len) {
			part[npart++] = head[k].cell[col];
			hn++;
		}
	}
	nunits = npart;
	for (k = ci; k-- > 1;)
		if (row->cell[k].len && !is_number_cell(s, row->cell[k])) {
			part[npart++] = row->cell[k];
			break;
		}
	if (hn == 0 && npart <= 1 && !caption.len)
		return;	/* nothing the line does not say already */
	memcpy(units, part, nunits * sizeof *part);
	if (caption.len)
		units[nunits++] = caption;	/* (单位:件 in the caption) */
	header_unit(fg, s, units, nunits);
	/* the headers alone first: a row header naming its own subject
	 * (行政诉讼) is not overruled by a caption or a section heading
	 * naming another (行政复议); then the caption before them; then the
	 * section heading as the rules' context */
	if (try_context(t, fg, s, part, npart, cell_end, NULL, 0))
		return;
	if (caption.len) {
		memmove(part + 1, part, npart * sizeof *part);
		part[0] = caption;
		npart++;
		if (try_context(t, fg, s, part, npart, cell_end, NULL, 0))
			return;
	}
	if (st->heading && st->hlen)
		try_context(t, fg, s, part, npart, cell_end, st->heading, st->hlen);
}

/* The rules on the context parts then the figure's cell from the number
 * on (its noun: 2981个[事项]); a code found replaces the line's. */
static int
try_context(Tagger *t, Fig *fg, const unsigned char *s, const Span *part, size_t npart,
	    size_t cell_end, const char *head, size_t hlen)
{
	Buf ctx = BUF_INIT;
	Fig save = *fg;
	size_t k, base;
	int found;

	for (k = 0; k < npart; k++)
		add_part(&ctx, s, part[k]);
	base = ctx.len;
	buf_add(&ctx, (const char *)s + fg->f.off, cell_end > fg->f.off ? cell_end - fg->f.off : 0);
	fg->near_start = fg->clause_start = fg->sent_start = fg->line_start = 0;
	if (fg->f.noun_off >= fg->f.off && fg->f.noun_off + fg->f.noun_len <= cell_end)
		fg->f.noun_off = base + (fg->f.noun_off - fg->f.off);
	else
		fg->f.noun_off = base, fg->f.noun_len = 0;
	fg->f.off = base;
	fg->f.code = "other";
	fg->f.label = "-";
	fg->f.rule = "-";
	fg->dropped = 0;
	indtag_attribute(t, fg, (const unsigned char *)ctx.s, ctx.len, head, hlen);
	found = !fg->dropped && strcmp(fg->f.code, "other") != 0;
	if (found) {
		const char *code = fg->f.code, *label = fg->f.label, *rule = fg->f.rule;

		*fg = save;
		fg->f.code = code;
		fg->f.label = label;
		fg->f.rule = rule;
	} else {
		*fg = save;	/* the line's attribution stands */
	}
	buf_free(&ctx);
	return found;
}

/* The figures of the line just scanned that stand in a table row's cells
 * (not its first): attributed again with the table's headers. */
void
indtag_table(Tagger *t, const unsigned char *s, size_t n, TextRun *st)
{
	static Row row;
	size_t a, line = (size_t)-1, k;
	int read = 0;

	for (a = 0; a < t->nfig; a++) {
		Fig *fg = &t->fig[a];

		if (fg->dropped)
			continue;
		if (fg->line_start != line) {
			const unsigned char *nl;

			line = fg->line_start;
			nl = memchr(s + line, '\n', n - line);
			row.start = line;
			row.end = nl ? (size_t)(nl - s) : n;
			row.n = split_row(s, row.start, row.end, row.cell, MAX_CELLS);
			read = 0;
		}
		if (row.n < 2)
			continue;
		for (k = 0; k < row.n && fg->f.off >= row.cell[k].off + row.cell[k].len; k++)
			;
		if (k == 0 || k == row.n || fg->f.off < row.cell[k].off || row.cell[k].len > CELL_MAX)
			continue;
		if (!read)
			table_of(s, &row, st);
		read = 1;
		table_figure(t, fg, s, st, &row, k);
	}
}
