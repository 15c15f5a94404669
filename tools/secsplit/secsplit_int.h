/* secsplit_int.h: what crosses the files of secsplit's core (not part of
 * the API in secsplit.h): the marker families, the rules object, a split's
 * state, the character helpers every file uses (inline: they are the inner
 * loops), and the functions one file calls in another.
 *
 *	markers.c	numbering recognition: numbers and heading markers
 *	split.c		outline building and numbering consistency (ss_split)
 *	parts.c		rules loading (ss_new), part labelling, type guess
 *	prepare.c	input bytes checked and repaired, header (ss_prepare)
 *	format.c	TSV rows, --outline, --check (ss_format_*)
 */
#ifndef SECSPLIT_INT_H
#define SECSPLIT_INT_H

#include "secsplit.h"
#include "rules.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Marker families; each has its own numbering and a fixed level. */
enum { F_CNDUN, F_CNPAREN, F_ARDOT, F_ARPAREN, F_ZHANG, F_JIE, F_TIAO, F_BUFEN, NFAM };

struct Secsplit {
	SsOptions opt;
	RuleSet parts;
	int *part_of_rule;	/* PART_* for each rule of parts */
	RuleSet speakers;
};

/* A numbering marker found at a line start (markers.c). */
typedef struct {
	int fam, num;
	size_t markerlen;	/* bytes of the marker as written */
} Cand;

/* State of one split. */
typedef struct {
	Secsplit *ss;
	const SsDoc *doc;
	SsResult *res;
	const char *s;		/* body */
	size_t len;
	int last[NFAM];		/* last number accepted in the current scope */
	int carried[NFAM];	/* last number before the scope was reset */
	size_t lastmark[NFAM], lastmarklen[NFAM];	/* for messages */
	int lastturn[NFAM];	/* speaker turns seen when last[] was set */
	int open[5];		/* numbers of the open headings, levels 1-4 */
	int nheadings, nspeakers;
	int item_last;
	size_t lookahead;	/* lines read ahead by confirmed() */
} Ctx;

/* markers.c */
int ss_cn_digit(uint32_t cp);
size_t ss_cn_number(const char *s, size_t n, int *val);
int ss_parse_marker(const char *s, size_t n, Cand *cd);

/* parts.c: set the part of every row of c->res and its type. */
void ss_assign_parts(Secsplit *ss, Ctx *c);
int ss_year_in(const char *s, size_t n);

/* --- characters ------------------------------------------------------- */

/* Decode the character at s (n > 0 bytes left). The body is valid UTF-8
 * after ss_prepare, so this is a plain decoder; it still never reads past
 * n and reads a malformed byte as U+FFFD of length 1. */
static inline uint32_t
cp_at(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0) {
		*len = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*len = 1;
		return u[0];
	}
	if (u[0] >= 0xE0 && u[0] < 0xF0 && n >= 3 && (u[1] & 0xC0) == 0x80 &&
	    (u[2] & 0xC0) == 0x80) {
		*len = 3;
		return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
		       (u[2] & 0x3F);
	}
	{
		uint32_t cp;
		int l = utf8_decode(u, n, &cp);

		*len = l < 0 ? 1 : (size_t)l;
		return l < 0 ? UTF8_REPLACEMENT : cp;
	}
}

static inline int
is_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0xFEFF || cp == 0x200B;
}

static inline size_t
skip_blanks(const char *s, size_t p, size_t e)
{
	while (p < e) {
		size_t l;
		uint32_t cp = cp_at(s + p, e - p, &l);

		if (!is_blank(cp))
			break;
		p += l;
	}
	return p;
}

/* Trailing blanks off [p, e). */
static inline size_t
trim_end(const char *s, size_t p, size_t e)
{
	while (e > p) {
		size_t q = e - 1, l;

		while (q > p && ((unsigned char)s[q] & 0xC0) == 0x80)
			q--;
		if (!is_blank(cp_at(s + q, e - q, &l)))
			break;
		e = q;
	}
	return e;
}

static inline size_t
nchars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

#endif
