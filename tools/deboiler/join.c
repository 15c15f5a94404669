/* join.c: joining lines a page broke in mid-sentence (a paragraph
 * wrapped at a fixed width): which line continues the one before, and the
 * pass over the kept lines (-j turns it off). */
#include "deboiler_int.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

static int joinable(Work *w, size_t a, size_t b);

/* 3. join lines broken in mid-sentence */
void
join_lines(Deboiler *db, DbDoc *d, Work *w, size_t title_k)
{
	size_t k, prev = (size_t)-1;

	for (k = 0; k < w->n; k++) {
		if (w->line[k].state == L_DROP) {
			if (w->line[k].rule && strcmp(w->line[k].rule, "strip") != 0)
				prev = (size_t)-1;	/* never join across removed text */
			continue;
		}
		if (prev != (size_t)-1 && k != title_k && prev != title_k && joinable(w, prev, k)) {
			w->line[k].state = L_JOIN;
			explain_row(db, d, w->line[k].lineno, "join", "broken-line", LS(w, k), LN(w, k));
			/* the joined line's end decides the next join */
			w->line[prev].nchar += w->line[k].nchar;
			w->line[k].nchar = w->line[prev].nchar;
		}
		prev = k;
	}
}

/* Can line b be joined to line a, a line broken in mid-sentence? */
static int
joinable(Work *w, size_t a, size_t b)
{
	const char *sa = LS(w, a), *sb = LS(w, b);
	size_t na = LN(w, a), nb = LN(w, b);
	uint32_t last = last_cp(sa, na), first;
	int l;

	if (w->line[a].nchar < 20 || is_structural(sb, nb, w->line[b].nchar) || marker_at(sb, nb, 1))
		return 0;
	/* a short line without punctuation stands alone: a signature, a name */
	if (w->line[b].nchar <= 20 && !has_sentence_punct(sb, nb) && !ends_with(sb, nb, "\xE3\x80\x81") &&
	    !(last_cp(sb, nb) >= 0xFF01 && last_cp(sb, nb) <= 0xFF1F) && !strpbrk(sb, "!?.:"))
		return 0;
	/* a heading is never continued, unless it is a paragraph led by one */
	if (is_structural(sa, na, w->line[a].nchar) &&
	    !(is_marker_line(sa, na) && w->line[a].nchar >= 40 && has_str(sa, na, "\xE3\x80\x82")))
		return 0;
	/* the previous line must stop inside a sentence: on a character, a
	 * digit or a comma, not on 。!?:; or a closing bracket or quote */
	if (!(uc_is_cjk(last) || isalnum(last < 128 ? (int)last : 0) || last == ',' ||
	      last == 0xFF0C || last == 0x3001 || last == 0x201C || last == 0x300A || last == '(' ||
	      last == 0xFF08))
		return 0;
	first = cp_at(sb, nb, 0, &l);
	if (first == '-' || first == 0x2022 || first == 0x00B7 || first == 0x25CF || first == 0x3010 ||
	    first == '[')	/* bullets and 【 */
		return 0;
	if ((is_title_like(sb, nb, w->line[b].nchar) && w->line[b].nchar < 40) ||
	    is_title_like(sa, na, w->line[a].nchar))
		return 0;
	return 1;
}
