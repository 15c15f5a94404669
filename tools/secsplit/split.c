/* split.c: secsplit's outline building: reads the body line by line, keeps
 * the numbering of each marker family consistent (gaps, duplicates, restarts
 * recorded as problems), opens heading, speaker-turn and item rows and sets
 * their paths and offsets (ss_split). */
#include "secsplit_int.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The level of each marker family's headings. */
static const int fam_level[NFAM] = {1, 2, 3, 4, 1, 2, 3, 1};
/* Rank for parts: the highest-ranked headings of a document carry the
 * parts, the others inherit; 第一部分 and 第一章 sit above 一、. */
static const int fam_rank[NFAM] = {2, 4, 6, 7, 1, 3, 5, 0};

/* Headings longer than this (characters, up to the first 。) are not
 * trusted when their numbering is irregular (gap, duplicate, odd start). */
#define STRONG_MAX_CHARS 40
#define BARE_MAX_CHARS 25
/* Lines confirmed() may read ahead in one document, all calls together. */
#define LOOKAHEAD_BUDGET 2000000
/* Speaker labels are short: only lines with a colon this early, or lines
 * this short, are tried against the speaker patterns. */
#define SPEAKER_COLON_BYTES 160
#define SPEAKER_LINE_BYTES 90

static size_t match_speaker(Secsplit *ss, const char *s, size_t n, int seen);
static SsRow *add_row(Ctx *c, int kind, int level, size_t bstart, unsigned long line);
static void set_path(Ctx *c, SsRow *row, int level, int num);
static int confirmed(Ctx *c, int f, int want, size_t from);
static int accept(Ctx *c, const Cand *cd, const char *mk, int strength, unsigned long line,
		  size_t next);
static size_t heading_end(const char *s, size_t p, size_t e);
static int is_boundary(uint32_t cp);
static uint32_t cp_before(const char *s, size_t lo, size_t at);
static size_t item_end(const char *s, size_t p, size_t e);
static void scan_items(Ctx *c, size_t p, size_t e, unsigned long line);
static void do_line(Ctx *c, size_t ls, size_t le, size_t nls, size_t nle, unsigned long line);
static void add_problem(Ctx *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Length of a speaker label at s[0..n), 0 when none. A label without a
 * colon after it (the line is the label alone) counts only once a
 * transcript has shown a speaker with a colon (seen): else a signature
 * such as 某局局长王五 would open a turn. */
static size_t
match_speaker(Secsplit *ss, const char *s, size_t n, int seen)
{
	size_t i;

	if (n > SPEAKER_LINE_BYTES) {
		size_t lim = n < SPEAKER_COLON_BYTES ? n : SPEAKER_COLON_BYTES;

		if (!memchr(s, ':', lim) && !memmem(s, lim, "\xef\xbc\x9a", 3))
			return 0;
	}
	for (i = 0; i < ss->speakers.n; i++) {
		Regex *rx = &ss->speakers.rule[i].rx;

		if (rx_match_opts(rx, s, n, 0, PCRE2_NO_UTF_CHECK) == RX_MATCHED &&
		    rx_ovector(rx)[0] == 0 && rx_ovector(rx)[1] > 0) {
			size_t e = rx_ovector(rx)[1], q = skip_blanks(s, e, n), l;
			uint32_t cp = cp_at(s + q, n - q, &l);

			if (seen || cp == ':' || cp == 0xFF1A)
				return e;
		}
	}
	return 0;
}

/* --- splitting ---------------------------------------------------------- */

static SsRow *
add_row(Ctx *c, int kind, int level, size_t bstart, unsigned long line)
{
	SsResult *r = c->res;
	SsRow *row;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->row = xrealloc(r->row, r->cap * sizeof *r->row);
	}
	row = &r->row[r->n++];
	memset(row, 0, sizeof *row);
	row->kind = kind;
	row->level = level;
	row->bstart = bstart;
	row->line = line;
	row->part = PART_NONE;
	return row;
}

static void
add_problem(Ctx *c, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	Buf *b = &c->res->problems;

	if (b->len)
		buf_addc(b, ';');
	va_start(ap, fmt);
	{
		char tmp[512];

		vsnprintf(tmp, sizeof tmp, fmt, ap);
		buf_adds(b, tmp);
	}
	va_end(ap);
	buf_addf(b, " (line %lu)", line);
	c->res->nproblems++;
}

static void
set_path(Ctx *c, SsRow *row, int level, int num)
{
	int i, n = 0;
	size_t cap = sizeof row->path;

	row->path[0] = '\0';
	for (i = 1; i <= level && i <= 4; i++) {
		int v = i == level ? num : c->open[i];

		n += snprintf(row->path + n, cap - (size_t)n, "%s%d", i > 1 ? "." : "", v);
		if ((size_t)n >= cap)
			return;
	}
	if (level == 5)
		snprintf(row->path + n, cap - (size_t)n, ".%d", num);
}

/* Does a marker of family f numbered want start a line in the text after
 * from, before the enclosing outline moves on (a shallower heading in
 * sequence)? Looks a bounded distance ahead. */
static int
confirmed(Ctx *c, int f, int want, size_t from)
{
	const char *s = c->s;
	size_t ls = from, lines = 0;

	/* a document full of irregular candidates must not cost quadratic time */
	while (ls < c->len && lines++ < 400 && ls - from < (256u << 10) &&
	       c->lookahead++ < LOOKAHEAD_BUDGET) {
		const char *nl = memchr(s + ls, '\n', c->len - ls);
		size_t le = nl ? (size_t)(nl - s) : c->len;
		size_t p = skip_blanks(s, ls, le);
		Cand cd;

		if (p < le && ss_parse_marker(s + p, le - p, &cd)) {
			if (cd.fam == f && cd.num == want)
				return 1;
			if (fam_level[cd.fam] < fam_level[f] && cd.num == c->last[cd.fam] + 1)
				return 0;
		}
		ls = le + 1;
	}
	return 0;
}

/* Is the candidate's number acceptable here? May record a problem.
 * Irregular numbering (a gap, a duplicate, a document starting at 三、) is
 * believed only for a bare heading line or when the next number follows. */
static int
accept(Ctx *c, const Cand *cd, const char *mk, int strength, unsigned long line, size_t next)
{
	int f = cd->fam, n = cd->num, m = c->last[f];
	int ml = (int)cd->markerlen;

	if (n == m + 1)
		return 1;
	if (n == 1) {
		/* lists 1. 2. restart freely; an outline restarting at 一、 is
		 * worth a look unless a new speaker has the floor */
		if (fam_level[f] <= 2 && c->lastturn[f] == c->nspeakers)
			add_problem(c, line, "restart %.*s after %.*s", ml, mk,
				    (int)c->lastmarklen[f], c->s + c->lastmark[f]);
		return 1;
	}
	if (m == 0 && c->carried[f] && n == c->carried[f] + 1)
		return 1;	/* numbering continued across parents */
	if (strength == 0)
		return 0;
	if (!((m > 0 && (n == m || n == m + 2)) ||
	      (m == 0 && c->nheadings == 0 && n <= 10 && c->carried[f] == 0)))
		return 0;
	if (strength < 2 && !confirmed(c, f, n + 1, next))
		return 0;
	if (n == m)
		add_problem(c, line, "duplicate %.*s", ml, mk);
	else if (m > 0)
		add_problem(c, line, "gap %.*s to %.*s", (int)c->lastmarklen[f],
			    c->s + c->lastmark[f], ml, mk);
	else
		add_problem(c, line, "starts at %.*s", ml, mk);
	return 1;
}

/* Heading text from p: up to the first 。 or the line end, trimmed. */
static size_t
heading_end(const char *s, size_t p, size_t e)
{
	const char *q = memmem(s + p, e - p, "\xe3\x80\x82", 3);

	return trim_end(s, p, q ? (size_t)(q - s) : e);
}

static int
is_boundary(uint32_t cp)
{
	return cp == 0x3002 || cp == 0xFF1B || cp == ';' || cp == 0xFF1A || cp == ':' ||
	       cp == 0xFF0C || cp == ',' || cp == 0xFF01 || cp == '!' || cp == 0xFF1F ||
	       cp == '?' || is_blank(cp);
}

/* The character before byte offset at (not before lo), or 0. */
static uint32_t
cp_before(const char *s, size_t lo, size_t at)
{
	size_t q = at, l;

	if (at <= lo)
		return 0;
	q--;
	while (q > lo && ((unsigned char)s[q] & 0xC0) == 0x80 && at - q < 4)
		q--;
	return cp_at(s + q, at - q, &l);
}

/* Item heading: up to the first 。 ； ; or the line end. */
static size_t
item_end(const char *s, size_t p, size_t e)
{
	size_t i;

	for (i = p; i < e; i++) {
		if (s[i] == ';')
			break;
		if ((unsigned char)s[i] == 0xE3 && i + 2 < e && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x82)
			break;				/* 。 */
		if ((unsigned char)s[i] == 0xEF && i + 2 < e && (unsigned char)s[i + 1] == 0xBC &&
		    (unsigned char)s[i + 2] == 0x9B)
			break;				/* ； */
	}
	return trim_end(s, p, i);
}

/* Inline items 一是… 二是… in [p, e) of a line: a Chinese number and 是
 * at the line start or after punctuation, numbered in sequence. */
static void
scan_items(Ctx *c, size_t p, size_t e, unsigned long line)
{
	const char *s = c->s;
	size_t lo = p, prev = (size_t)-1;	/* index: add_row may move rows */

	while (p < e) {
		const char *q = memmem(s + p, e - p, "\xe6\x98\xaf", 3);	/* 是 */
		size_t at, b, l;
		uint32_t before;
		int v;

		if (q == NULL)
			return;
		at = (size_t)(q - s);
		/* back over up to three numerals (3 bytes each) */
		b = at;
		while (b >= lo + 3 && at - b < 9 && ss_cn_digit(cp_at(s + b - 3, 3, &l)) >= 0)
			b -= 3;
		before = cp_before(s, lo, b);
		if (b < at && ss_cn_number(s + b, at - b, &v) == at - b &&
		    (b == lo || is_boundary(before)) && v == c->item_last + 1) {
			SsRow *row = add_row(c, SS_ITEM, 5, b, line);
			size_t h = at + 3;

			/* the previous item on this line ends where this one starts */
			if (prev != (size_t)-1 && c->res->row[prev].heading +
			    c->res->row[prev].headinglen > b) {
				SsRow *pr = &c->res->row[prev];
				size_t pe = b;
				uint32_t pc;

				while ((pc = cp_before(s, pr->heading, pe)) != 0 && is_boundary(pc))
					pe -= pc < 0x80 ? 1 : pc < 0x800 ? 2 : pc < 0x10000 ? 3 : 4;
				pr->headinglen = pe - pr->heading;
			}
			c->item_last = v;
			row->num = v;
			row->marker = b;
			row->markerlen = h - b;
			row->heading = h;
			row->headinglen = item_end(s, h, e) - h;
			set_path(c, row, 5, v);
			prev = c->res->n - 1;
		}
		p = at + 3;
	}
}

static void
do_line(Ctx *c, size_t ls, size_t le, size_t nls, size_t nle, unsigned long line)
{
	const char *s = c->s;
	size_t p = skip_blanks(s, ls, le), l;
	Cand cd;

	if (p == le)
		return;
	if (ss_parse_marker(s + p, le - p, &cd)) {
		size_t h = skip_blanks(s, p + cd.markerlen, le);
		size_t he = heading_end(s, h, le), hs = h;
		size_t hchars;
		int strength;

		/* A marker alone on its line: the heading is the next line. */
		if (he == h && trim_end(s, h, le) == h && nls < nle) {
			hs = skip_blanks(s, nls, nle);
			he = heading_end(s, hs, nle);
		}
		hchars = nchars(s + hs, he - hs);
		/* 2: the line is nothing but a short heading; 1: a plausible
		 * heading; 0: too long, or cut off at a comma */
		strength = hchars > 0 && hchars <= STRONG_MAX_CHARS;
		if (strength) {
			size_t q = he;
			uint32_t last;

			while (q > hs && ((unsigned char)s[q - 1] & 0xC0) == 0x80)
				q--;
			if (q > hs)
				q--;
			last = cp_at(s + q, he - q, &l);
			if (last == 0xFF0C || last == ',' || last == 0x3001 || last == ';' ||
			    last == 0xFF1B)
				strength = 0;
		}
		if (strength && hchars <= BARE_MAX_CHARS && he == trim_end(s, hs, le) &&
		    !memchr(s + hs, ',', he - hs) && !memmem(s + hs, he - hs, "\xef\xbc\x8c", 3) &&
		    !memmem(s + hs, he - hs, "\xe3\x80\x81", 3))
			strength = 2;
		if (accept(c, &cd, s + p, strength, line, nls)) {
			int L = fam_level[cd.fam], f, i;
			SsRow *row = add_row(c, SS_HEADING, L, p, line);

			row->num = cd.num;
			row->rank = fam_rank[cd.fam];
			row->marker = p;
			row->markerlen = cd.markerlen;
			row->heading = hs;
			row->headinglen = he - hs;
			set_path(c, row, L, cd.num);
			c->last[cd.fam] = cd.num;
			c->lastmark[cd.fam] = p;
			c->lastmarklen[cd.fam] = cd.markerlen;
			c->lastturn[cd.fam] = c->nspeakers;
			for (f = 0; f < NFAM; f++) {
				if (fam_level[f] > L && c->last[f]) {
					c->carried[f] = c->last[f];
					c->last[f] = 0;
				}
			}
			c->open[L] = cd.num;
			for (i = L + 1; i <= 4; i++)
				c->open[i] = 0;
			c->nheadings++;
			c->item_last = 0;
			if (c->ss->opt.items && hs == h)
				scan_items(c, he, le, line);
			return;
		}
	}
	if ((l = match_speaker(c->ss, s + p, le - p, c->nspeakers > 0)) > 0) {
		SsRow *row = add_row(c, SS_SPEAKER, 0, p, line);
		size_t e = trim_end(s, p, p + l);

		c->nspeakers++;
		snprintf(row->path, sizeof row->path, "S%d", c->nspeakers);
		row->heading = p;
		row->headinglen = e - p;
		memset(c->open, 0, sizeof c->open);
		c->item_last = 0;
		if (c->ss->opt.items)
			scan_items(c, p + l, le, line);
		return;
	}
	if (c->ss->opt.items)
		scan_items(c, p, le, line);
}



void
ss_split(Secsplit *ss, const SsDoc *doc, SsResult *res)
{
	Ctx c;
	const char *s = doc->body;
	size_t len = doc->bodylen, ls = 0, i, pos = 0, ch = 0;
	unsigned long line = doc->body_line;

	res->n = 0;
	res->type[0] = '\0';
	memset(res->has_part, 0, sizeof res->has_part);
	buf_clear(&res->problems);
	res->nproblems = 0;
	memset(&c, 0, sizeof c);
	c.ss = ss;
	c.doc = doc;
	c.res = res;
	c.s = s;
	c.len = len;

	{
		SsRow *pre = add_row(&c, SS_PREAMBLE, 0, 0, line);

		snprintf(pre->path, sizeof pre->path, "0");
	}
	while (ls < len) {
		const char *nl = memchr(s + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - s) : len;
		size_t nls = nl ? le + 1 : len, nle = nls;

		if (nls < len) {
			const char *nn = memchr(s + nls, '\n', len - nls);

			nle = nn ? (size_t)(nn - s) : len;
		}
		do_line(&c, ls, le, nls, nle, line);
		ls = nls;
		line++;
	}
	/* ends and character offsets */
	for (i = 0; i < res->n; i++) {
		SsRow *row = &res->row[i];

		row->bend = i + 1 < res->n ? res->row[i + 1].bstart : len;
		ch += nchars(s + pos, row->bstart - pos);
		pos = row->bstart;
		row->start = ch;
		row->end = ch + nchars(s + row->bstart, row->bend - row->bstart);
	}
	ss_assign_parts(ss, &c);
}

void
ss_result_free(SsResult *res)
{
	free(res->row);
	buf_free(&res->problems);
	memset(res, 0, sizeof *res);
}
