/* attach-int.h: what the attachment files share among themselves: the
 * printed lines of a converted report (attach_pages.c removes the chrome
 * and reflows them; attach_layout.c builds them with their positions from
 * pdftotext's word boxes) and the XML entity decoder (attach.c). */
#ifndef ENCFIX_ATTACH_INT_H
#define ENCFIX_ATTACH_INT_H

#include <stddef.h>
#include "buf.h"

/* The mark before a table row's line: U+E000, the private-use character
 * deboiler's HTML reader puts there too (tools/deboiler/deboiler.h,
 * DB_TABLE_ROW): deboiler's line rules leave the row alone (a row of short
 * cells looks like a menu bar) and deboiler removes the mark. */
#define ATTACH_TABLE_ROW "\xEE\x80\x80"

/* One printed line. The positions (points, y growing downwards, as
 * pdftotext -bbox writes them) are known for a PDF only (geo). */
typedef struct {
	char *s;
	size_t n;
	int page;
	int drop;
	int gap;	/* text only: a blank line before it on its page */
	int geo;	/* x0 .. right below are known */
	int table;	/* a table row rebuilt from its cells: never joined */
	double x0, x1;	/* where its text starts and ends */
	double top, base;	/* its words' highest top and lowest bottom */
	double h;	/* its words' height: the font size */
	double left, right;	/* its column's edges, from the lines around it */
	size_t above, below;	/* kept lines of its page above it, below it */
} Line;

typedef struct {
	Line *l;
	size_t n, cap;
	int pages;
	int paragraphs;	/* each line is a paragraph already (DOCX): no reflow */
	Buf store;	/* the lines' text when it is not the input's (PDF) */
} Lines;

/* A new line at the end of ls (zeroed). */
Line *lines_add(Lines *ls);

/* The lines of pdftotext -bbox's XHTML (its words in the content stream's
 * order, -raw): words on one baseline going right make a line, runs of
 * lines whose words fall in the same columns become table rows. Texts in
 * ls->store. */
void layout_lines(const char *xhtml, size_t n, Lines *ls);

/* The left and right edges of each kept PDF line's column (left, right),
 * once the page chrome is dropped. */
void layout_columns(Lines *ls);

/* An XML entity at s[0] ('&'): its character appended; bytes used. */
size_t attach_put_entity(const char *s, size_t n, Buf *out);

#endif
