/* html-text.c: markup to lines. Block elements (p div br li h1-h6 tr
 * section article …) become lines; inline runs are joined as the browser
 * shows them (a word-processor paste cuts a line into many <span>s: they
 * are one line); blanks collapse, and a blank run with a line break between
 * two Chinese characters disappears (the source's wrapping, not a space);
 * entities are decoded by the parser; script, style, forms, hidden
 * elements, comments and images give no text. A data table becomes one line
 * per row, cells joined by " | " (a spanning cell repeated: a grid); a layout table (the page in a <table>,
 * nested tables, long cells) is read as blocks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "err.h"
#include "utf8.h"

enum { SP_BLANK = 1, SP_NEWLINE = 2, SP_NBSP = 4 };

typedef struct {
	Buf *out;
	size_t line_start;	/* offset of the current line in out */
	uint32_t last;		/* last character of the current line, 0 if none */
	int pending;		/* SP_* bits: blanks seen since `last` */
	int flat;		/* one line: breaks become blanks */
	int pre;		/* inside <pre>: newlines are breaks */
	int on;			/* range mode: emitting */
	const xmlNode *from, *to;	/* range mode: the comments */
	int done;		/* range mode: `to` seen */
} Txt;

static void walk(Txt *t, const xmlNode *n);

static const char *const block_tags[] = {
	"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
	"tr", "td", "th", "table", "thead", "tbody", "tfoot", "caption", "section", "article",
	"header", "footer", "nav", "aside", "main", "blockquote", "pre", "address", "figure",
	"figcaption", "form", "fieldset", "legend", "center", "hr", "body", "html", "details",
	"summary", "dir", "menu", "frameset", "noframes", "option", NULL,
};

int
html_line_block(const xmlNode *n)
{
	int i;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	for (i = 0; block_tags[i]; i++)
		if (strcasecmp((const char *)n->name, block_tags[i]) == 0)
			return 1;
	return 0;
}

static int
is_block(const xmlNode *n)
{
	const HtmlStat *st = n->_private;
	int i;

	if (st && (st->flags & HS_KNOWN))	/* (html_stats() asked once) */
		return (st->flags & HS_LINE) != 0;

	for (i = 0; block_tags[i]; i++)
		if (strcasecmp((const char *)n->name, block_tags[i]) == 0)
			return 1;
	return 0;
}

/* Chinese characters and punctuation: no space between them when the
 * source wrapped a line there */
static int
is_wide(uint32_t cp)
{
	return cp >= 0x2000;
}

static void
line_break(Txt *t)
{
	Buf *o = t->out;

	t->pending = 0;
	if (t->flat) {
		if (t->last)
			t->pending = SP_BLANK;
		return;
	}
	if (o->len > t->line_start) {
		buf_addc(o, '\n');
		t->line_start = o->len;
	}
	t->last = 0;
}

static void
put_text(Txt *t, const char *s, size_t n)
{
	size_t i = 0;

	if (!t->on)
		return;
	while (i < n) {
		uint32_t cp;
		const unsigned char *u = (const unsigned char *)s + i;
		int l;

		/* ASCII and the 3-byte characters of Chinese text inline */
		if (u[0] < 0x80) {
			cp = u[0], l = 1;
		} else if (n - i >= 3 && u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED &&
			   (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
			cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F), l = 3;
		} else if ((l = utf8_decode(u, n - i, &cp)) < 0) {
			l = 1;	/* (U+FFFD is written) */
		}
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') {
			if (t->pre && cp == '\n')
				line_break(t);
			else
				t->pending |= cp == '\n' || cp == '\r' ? SP_NEWLINE : SP_BLANK;
			i += (size_t)l;
			continue;
		}
		if (cp == 0xA0) {
			t->pending |= SP_NBSP;
			i += (size_t)l;
			continue;
		}
		if (uc_is_zero_width(cp)) {
			i += (size_t)l;
			continue;
		}
		if (t->last == 0 && (cp == 0x3000 || (t->flat && cp == ' '))) {
			i += (size_t)l;	/* indentation */
			continue;
		}
		if (t->last && t->pending) {
			int wide = is_wide(t->last) || is_wide(cp);

			if ((t->pending & SP_NBSP) || !(t->pending & SP_NEWLINE) || !wide)
				buf_addc(t->out, ' ');
		}
		t->pending = 0;
		if (cp == UTF8_REPLACEMENT && l == 1)
			buf_add(t->out, "\xEF\xBF\xBD", 3);
		else
			buf_add(t->out, s + i, (size_t)l);
		t->last = cp;
		i += (size_t)l;
	}
}

/* ---- tables ---- */

/* The rows of a table (through thead/tbody/tfoot), at most max. */
static size_t
table_rows(const xmlNode *table, const xmlNode **rows, size_t max)
{
	const xmlNode *c, *r;
	size_t n = 0;

	for (c = table->children; c; c = c->next) {
		if (html_is_tag(c, "tr")) {
			if (n < max)
				rows[n] = c;
			n++;
		} else if (html_is_tag(c, "thead") || html_is_tag(c, "tbody") || html_is_tag(c, "tfoot")) {
			for (r = c->children; r; r = r->next)
				if (html_is_tag(r, "tr")) {
					if (n < max)
						rows[n] = r;
					n++;
				}
		}
	}
	return n;
}

static int
has_descendant(const xmlNode *n, const char *tag)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && (html_is_tag(c, tag) || has_descendant(c, tag)))
			return 1;
	return 0;
}

#define MAX_ROWS 4096
#define LONG_CELL 150	/* characters: a cell this long is a layout cell */

/* A data table: two rows or more, some with two cells or more, no table
 * inside, no long cell. */
static int
is_data_table(const xmlNode *table)
{
	static const xmlNode *rows[MAX_ROWS];
	size_t nr = table_rows(table, rows, MAX_ROWS), r, multi = 0;

	if (nr < 2 || nr > MAX_ROWS || has_descendant(table, "table"))
		return 0;
	for (r = 0; r < nr; r++) {
		const xmlNode *c;
		size_t cells = 0;

		for (c = rows[r]->children; c; c = c->next)
			if (html_is_tag(c, "td") || html_is_tag(c, "th")) {
				size_t chars = 0, links = 0;

				html_count_text(c, &chars, &links);
				if (chars > LONG_CELL)
					return 0;
				cells++;
			}
		multi += cells >= 2;
	}
	return multi * 2 >= nr;
}

#define MAX_COLS 64	/* columns a spanning cell is repeated in */
#define MAX_SPAN 64

/* span="N" of a cell, 1 to MAX_SPAN */
static int
cell_span(const xmlNode *c, const char *attr)
{
	const char *v = html_attr(c, attr);
	int n = v ? atoi(v) : 1;

	return n < 1 ? 1 : n > MAX_SPAN ? MAX_SPAN : n;
}

/* The rows as a grid: a cell spanning columns (colspan) is repeated in
 * each, one spanning rows (rowspan) in the rows below it, so that every
 * figure's row and column headers stand in its line and above it (indtag
 * reads a table cell's figure with them). */
static void
data_table(Txt *t, const xmlNode *table)
{
	static const xmlNode *rows[MAX_ROWS];
	size_t nr = table_rows(table, rows, MAX_ROWS), r;
	Buf cell = BUF_INIT, row = BUF_INIT;
	char *carry[MAX_COLS] = {NULL};
	int left[MAX_COLS] = {0};
	int k;

	line_break(t);
	for (r = 0; r < nr && r < MAX_ROWS; r++) {
		const xmlNode *c;
		int col = 0, nonempty = 0;

		buf_clear(&row);
		for (c = rows[r]->children;; c = c->next) {
			int cs, rs;

			/* the cells spanned from the rows above come first */
			while (col < MAX_COLS && left[col] > 0) {
				if (col)
					buf_adds(&row, " | ");
				buf_adds(&row, carry[col]);
				left[col]--;
				col++;
			}
			if (!c)
				break;
			if (!(html_is_tag(c, "td") || html_is_tag(c, "th")) || html_is_hidden(c))
				continue;
			buf_clear(&cell);
			html_flat_text(c, &cell);
			nonempty += cell.len > 0;
			cs = cell_span(c, "colspan");
			rs = cell_span(c, "rowspan");
			do {
				if (col)
					buf_adds(&row, " | ");
				buf_add(&row, cell.s ? cell.s : "", cell.len);
				if (col < MAX_COLS && rs > 1) {
					free(carry[col]);
					carry[col] = xstrndup(cell.s ? cell.s : "", cell.len);
					left[col] = rs - 1;
				}
				col++;
			} while (--cs > 0 && col < MAX_COLS);
		}
		if (nonempty) {
			if (!t->flat && t->on)	/* the line rules leave it alone */
				buf_adds(t->out, DB_TABLE_ROW);
			put_text(t, row.s, row.len);
			line_break(t);
		}
	}
	for (k = 0; k < MAX_COLS; k++)
		free(carry[k]);
	buf_free(&cell);
	buf_free(&row);
}

/* ---- the walk ---- */

static void
walk_children(Txt *t, const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c && !t->done; c = c->next)
		walk(t, c);
}

static void
walk(Txt *t, const xmlNode *n)
{
	if (t->done)
		return;
	if (n == t->from) {
		t->on = 1;
		return;
	}
	if (n == t->to) {
		t->on = 0;
		t->done = 1;
		return;
	}
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			put_text(t, (const char *)n->content, strlen((const char *)n->content));
		return;
	}
	if (n->type != XML_ELEMENT_NODE || !n->name || html_is_dropped(n) || html_is_skipped(n))
		return;
	if (html_is_tag(n, "br") || html_is_tag(n, "hr")) {
		line_break(t);
		return;
	}
	if (html_is_tag(n, "table") && t->on && !t->flat && is_data_table(n)) {
		data_table(t, n);
		return;
	}
	if (is_block(n)) {
		int pre = t->pre;

		line_break(t);
		t->pre = pre || html_is_tag(n, "pre");
		walk_children(t, n);
		t->pre = pre;
		line_break(t);
		return;
	}
	walk_children(t, n);
}

static void
txt_end(Txt *t)
{
	t->flat = 0;
	line_break(t);
}

void
html_text(const xmlNode *n, Buf *out)
{
	Txt t = {out, out->len, 0, 0, 0, 0, 1, NULL, NULL, 0};

	walk(&t, n);
	txt_end(&t);
}

/* The text between two comments, in document order. */
void
html_text_range(const xmlNode *from, const xmlNode *to, Buf *out)
{
	Txt t = {out, out->len, 0, 0, 0, 0, 0, from, to, 0};
	const xmlNode *top = from;

	while (top->parent && top->parent->type == XML_ELEMENT_NODE)
		top = top->parent;
	walk(&t, top);
	txt_end(&t);
}

/* (the children: <title> is an element whose text is never the body's) */
void
html_flat_text(const xmlNode *n, Buf *out)
{
	Txt t = {out, out->len, 0, 0, 1, 0, 1, NULL, NULL, 0};

	walk_children(&t, n);
}

/* Non-blank characters under n, and those inside links. */
static void
count(const xmlNode *n, int inlink, size_t *chars, size_t *linkchars)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const unsigned char *s = c->content;
			size_t k = 0;

			for (; s && *s; s++)
				if (*s > ' ' && (*s & 0xC0) != 0x80)
					k++;
			*chars += k;
			if (inlink)
				*linkchars += k;
		} else if (c->type == XML_ELEMENT_NODE && !html_is_dropped(c) && !html_is_skipped(c)) {
			count(c, inlink || html_is_link(c), chars, linkchars);
		}
	}
}

void
html_count_text(const xmlNode *n, size_t *chars, size_t *linkchars)
{
	*chars = *linkchars = 0;
	count(n, html_is_link(n), chars, linkchars);
}
