/* secsplit.c: find the numbered outline of a Chinese official document
 * (GB/T 9704: 一、 (一) 1. (1), 第一章/第一节/第一条), speaker turns of
 * transcripts and, on request, inline items 一是…, and cut the body into
 * sections without losing a byte. See secsplit.h for the API. */
#include "secsplit.h"
#include "cli.h"
#include "err.h"
#include "rules.h"
#include "tsv.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Marker families; each has its own numbering and a fixed level. */
enum { F_CNDUN, F_CNPAREN, F_ARDOT, F_ARPAREN, F_ZHANG, F_JIE, F_TIAO, F_BUFEN, NFAM };
static const int fam_level[NFAM] = {1, 2, 3, 4, 1, 2, 3, 1};
/* Rank for parts: the highest-ranked headings of a document carry the
 * parts, the others inherit; 第一部分 and 第一章 sit above 一、. */
static const int fam_rank[NFAM] = {2, 4, 6, 7, 1, 3, 5, 0};

const char *const ss_part_name[NPARTS] = {
	"measures", "problems", "leadership", "plans", "other"
};

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

struct Secsplit {
	SsOptions opt;
	RuleSet parts;
	int *part_of_rule;	/* PART_* for each rule of parts */
	RuleSet speakers;
};

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

static inline uint32_t cp_at(const char *s, size_t n, size_t *len);
static int is_blank(uint32_t cp);
static size_t skip_blanks(const char *s, size_t p, size_t e);
static size_t trim_end(const char *s, size_t p, size_t e);
static size_t nchars(const char *s, size_t n);
static int cn_digit(uint32_t cp);
static size_t cn_number(const char *s, size_t n, int *val);
static size_t ar_number(const char *s, size_t n, int *val);
static size_t ar_year(const char *s, size_t n, int *val);
static int is_digit_cp(uint32_t cp);
static int parse_marker(const char *s, size_t n, Cand *cd);
static int match_part(Secsplit *ss, const char *s, size_t n, int *nmatched);
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
static int has(const char *s, size_t n, const char *needle);
static void guess_type(Secsplit *ss, Ctx *c, int top);
static int year_in(const char *s, size_t n);
static int report_year(Ctx *c, int top);
static void assign_parts(Secsplit *ss, Ctx *c);
static inline size_t utf8_seq(const unsigned char *s, size_t n);
static const char *scan_input(const unsigned char *s, size_t n, int *repair);
static void repair(SsDoc *doc, Buf *norm, const unsigned char *s, size_t len);
static int is_header_line(const char *s, size_t n, size_t *keylen);
static void put_escaped(Buf *out, const char *s, size_t n);
static void put_field(Buf *out, const char *s, size_t n);
static void put_doc_cols(const SsDoc *doc, Buf *out);
static const char *row_part(const SsRow *row);
static void put_short(Buf *out, const char *s, size_t n, size_t max);
static void add_problem(Ctx *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

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

static int
is_blank(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0xFEFF || cp == 0x200B;
}

static size_t
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
static size_t
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

static size_t
nchars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int
cn_digit(uint32_t cp)
{
	switch (cp) {
	case 0x3007: case 0x96F6: return 0;	/* 〇 零 */
	case 0x4E00: return 1;
	case 0x4E8C: return 2;
	case 0x4E09: return 3;
	case 0x56DB: return 4;
	case 0x4E94: return 5;
	case 0x516D: return 6;
	case 0x4E03: return 7;
	case 0x516B: return 8;
	case 0x4E5D: return 9;
	case 0x5341: return 10;	/* 十 */
	default: return -1;
	}
}

/* A Chinese number 一 … 九十九 at s; returns its bytes (0 when none). */
static size_t
cn_number(const char *s, size_t n, int *val)
{
	int d[4], nd = 0, v;
	size_t p = 0, l;

	while (p < n && nd < 4) {
		int x = cn_digit(cp_at(s + p, n - p, &l));

		if (x < 0)
			break;
		d[nd++] = x;
		p += l;
	}
	if (nd == 0)
		return 0;
	if (nd == 1)
		v = d[0];
	else if (nd == 2 && d[0] == 10 && d[1] >= 1 && d[1] <= 9)
		v = 10 + d[1];				/* 十一 */
	else if (nd == 2 && d[1] == 10 && d[0] >= 2 && d[0] <= 9)
		v = d[0] * 10;				/* 二十 */
	else if (nd == 3 && d[1] == 10 && d[0] >= 2 && d[0] <= 9 && d[2] >= 1 && d[2] <= 9)
		v = d[0] * 10 + d[2];			/* 二十一 */
	else
		return 0;
	if (v < 1)
		return 0;
	*val = v;
	return p;
}

/* 1-3 ASCII or full-width digits. */
static size_t
ar_number(const char *s, size_t n, int *val)
{
	size_t p = 0, l;
	int v = 0, nd = 0;

	while (p < n) {
		uint32_t cp = cp_at(s + p, n - p, &l);

		if (cp >= '0' && cp <= '9')
			v = v * 10 + (int)(cp - '0');
		else if (cp >= 0xFF10 && cp <= 0xFF19)
			v = v * 10 + (int)(cp - 0xFF10);
		else
			break;
		if (++nd > 3)
			return 0;
		p += l;
	}
	if (nd == 0 || v < 1)
		return 0;
	*val = v;
	return p;
}

/* Exactly four digits (a year), ASCII or full-width. */
static size_t
ar_year(const char *s, size_t n, int *val)
{
	size_t p = 0, l;
	int v = 0, nd = 0;

	while (p < n && nd < 5) {
		uint32_t cp = cp_at(s + p, n - p, &l);

		if (cp >= '0' && cp <= '9')
			v = v * 10 + (int)(cp - '0');
		else if (cp >= 0xFF10 && cp <= 0xFF19)
			v = v * 10 + (int)(cp - 0xFF10);
		else
			break;
		nd++;
		p += l;
	}
	if (nd != 4)
		return 0;
	*val = v;
	return p;
}

static int
is_digit_cp(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* A numbering marker at the start of s[0..n) (blanks already skipped). */
static int
parse_marker(const char *s, size_t n, Cand *cd)
{
	size_t p, l, k;
	uint32_t cp = cp_at(s, n, &l), nx;
	int v;

	if (cp == '(' || cp == 0xFF08) {		/* (一) (1) */
		int cn;

		p = l;
		if ((k = cn_number(s + p, n - p, &v)) > 0)
			cn = 1;
		else if ((k = ar_number(s + p, n - p, &v)) > 0)
			cn = 0;
		else
			return 0;
		p += k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != ')' && cp != 0xFF09)
			return 0;
		p += l;
		/* "(一)、" is seen too: the 、 belongs to the marker */
		if (cp_at(s + p, n - p, &l) == 0x3001)
			p += l;
		cd->fam = cn ? F_CNPAREN : F_ARPAREN;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if (cp == 0x7B2C) {		/* 第一章 第一节 第一条 第一部分 */
		p = l;
		if ((k = cn_number(s + p, n - p, &v)) == 0 &&
		    (k = ar_number(s + p, n - p, &v)) == 0)
			return 0;
		p += k;
		cp = cp_at(s + p, n - p, &l);
		if (cp == 0x90E8 && cp_at(s + p + l, n - p - l, &k) == 0x5206) {
			/* 第一部分, maybe with a colon or 、 */
			p += l + k;
			cp = cp_at(s + p, n - p, &l);
			if (cp == 0xFF1A || cp == ':' || cp == 0x3001)
				p += l;
			cd->fam = F_BUFEN;
			cd->num = v;
			cd->markerlen = p;
			return 1;
		}
		if (cp == 0x7AE0)
			cd->fam = F_ZHANG;
		else if (cp == 0x8282 || cp == 0x7BC0)		/* 节 節 */
			cd->fam = F_JIE;
		else if (cp == 0x6761 || cp == 0x689D)		/* 条 條 */
			cd->fam = F_TIAO;
		else
			return 0;
		p += l;
		/* a title follows after a blank, or the line ends: not 第一条防线 */
		if (p < n && !is_blank(cp_at(s + p, n - p, &l)))
			return 0;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if ((k = cn_number(s, n, &v)) > 0) {		/* 一、 */
		p = k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != 0x3001 && cp != '.' && cp != 0xFF0E)
			return 0;
		p += l;
		/* 三、四月份 一、二等奖: a list of numbers, not a marker */
		{
			int w;
			size_t kk = cn_number(s + p, n - p, &w);

			if (kk > 0) {
				nx = cp_at(s + p + kk, n - p - kk, &l);
				if (nx == 0x3001 || nx == 0x6708 || nx == 0x5B63 ||
				    nx == 0x5E74 || nx == 0x65E5 || nx == 0x662F ||
				    nx == 0x7B49 || nx == 0x4E2A)
					return 0;
			}
		}
		cd->fam = F_CNDUN;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	if ((k = ar_number(s, n, &v)) > 0) {		/* 1. 1、 */
		p = k;
		cp = cp_at(s + p, n - p, &l);
		if (cp != '.' && cp != 0xFF0E && cp != 0x3001)
			return 0;
		p += l;
		/* 1.5万 3.15 1、2号: numbers, not markers; but 2.2024年… and
		 * 5.3月份… are headings that start with a date */
		nx = cp_at(s + p, n - p, &l);
		if (nx == '%' || nx == 0xFF05)
			return 0;
		if (is_digit_cp(nx)) {
			int y;
			size_t k2 = ar_year(s + p, n - p, &y);

			int mo;
			size_t k3 = ar_number(s + p, n - p, &mo);

			if (!(k2 > 0 && cp_at(s + p + k2, n - p - k2, &l) == 0x5E74) &&
			    !(k3 > 0 && mo <= 12 && cp_at(s + p + k3, n - p - k3, &l) == 0x6708))
				return 0;
			/* 3、4月份 is March and April */
			if (k3 > 0 && mo == v + 1 && cp_at(s + p + k3, n - p - k3, &l) == 0x6708)
				return 0;
		}
		cd->fam = F_ARDOT;
		cd->num = v;
		cd->markerlen = p;
		return 1;
	}
	return 0;
}

/* --- rules -------------------------------------------------------------- */

Secsplit *
ss_new(const SsOptions *opt)
{
	Secsplit *ss = xcalloc(1, sizeof *ss);
	const char *preq[] = {"part", NULL}, *sreq[] = {"kind", NULL};
	char *pp = opt->parts_file ? xstrdup(opt->parts_file) : data_path("parts.tsv");
	char *sp = opt->speakers_file ? xstrdup(opt->speakers_file) : data_path("speakers.tsv");
	size_t i;
	long col;
	int bad = 0;

	ss->opt = *opt;
	if (rules_load(&ss->parts, pp, "pattern", preq, 0) < 0 ||
	    rules_load(&ss->speakers, sp, "pattern", sreq, 0) < 0) {
		bad = 1;
		goto out;
	}
	col = rules_column(&ss->parts, "part");
	ss->part_of_rule = xcalloc(ss->parts.n + 1, sizeof *ss->part_of_rule);
	for (i = 0; i < ss->parts.n; i++) {
		const char *name = ss->parts.rule[i].field[col];
		int k;

		for (k = 0; k < NPARTS; k++)
			if (strcmp(name, ss_part_name[k]) == 0)
				break;
		if (k == NPARTS) {
			warnat(pp, ss->parts.rule[i].line,
			       "unknown part '%s' (measures, problems, leadership, plans, other)", name);
			bad = 1;
		}
		ss->part_of_rule[i] = k;
	}
out:
	free(pp);
	free(sp);
	if (bad) {
		ss_free(ss);
		return NULL;
	}
	return ss;
}

void
ss_free(Secsplit *ss)
{
	if (ss == NULL)
		return;
	rules_free(&ss->parts);
	rules_free(&ss->speakers);
	free(ss->part_of_rule);
	free(ss);
}

/* Part named by a heading: the rule matching earliest in it. */
static int
match_part(Secsplit *ss, const char *s, size_t n, int *nmatched)
{
	size_t i, best_at = (size_t)-1;
	int best = PART_NONE, seen[NPARTS] = {0};

	*nmatched = 0;
	for (i = 0; i < ss->parts.n; i++) {
		Regex *rx = &ss->parts.rule[i].rx;
		int p = ss->part_of_rule[i];

		if (rx_match_opts(rx, s, n, 0, PCRE2_NO_UTF_CHECK) != RX_MATCHED)
			continue;
		if (!seen[p]) {
			seen[p] = 1;
			(*nmatched)++;
		}
		if (rx_ovector(rx)[0] < best_at) {
			best_at = rx_ovector(rx)[0];
			best = p;
		}
	}
	return best;
}

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

		if (p < le && parse_marker(s + p, le - p, &cd)) {
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
		while (b >= lo + 3 && at - b < 9 && cn_digit(cp_at(s + b - 3, 3, &l)) >= 0)
			b -= 3;
		before = cp_before(s, lo, b);
		if (b < at && cn_number(s + b, at - b, &v) == at - b &&
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
	if (parse_marker(s + p, le - p, &cd)) {
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

static int
has(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

/* Document type when the header has none. */
static void
guess_type(Secsplit *ss, Ctx *c, int top)
{
	SsResult *r = c->res;
	const char *s = c->s;
	size_t pre = r->n > 1 ? r->row[1].bstart : c->len, i;

	if (pre > 4000)
		pre = 4000;
	/* simplified and traditional forms: BIG5 pages may come unconverted */
	if (c->nspeakers >= 2 && (has(s, c->len, "发布会") || has(s, c->len, "發布會") ||
				  has(s, c->len, "记者") || has(s, c->len, "記者") ||
				  has(s, c->len, "访谈") || has(s, c->len, "訪談")))
		snprintf(r->type, sizeof r->type, "press-conference");
	else if (has(s, pre, "答复") || has(s, pre, "答復") || has(s, pre, "答覆"))
		snprintf(r->type, sizeof r->type, "proposal-reply");
	else {
		snprintf(r->type, sizeof r->type, "-");
		for (i = 0; i < r->n; i++) {
			SsRow *row = &r->row[i];
			int nm;

			if (row->kind == SS_HEADING && row->rank == top &&
			    match_part(ss, s + row->heading, row->headinglen, &nm) != PART_NONE) {
				snprintf(r->type, sizeof r->type, "annual-report");
				break;
			}
		}
	}
}

/* The first year "2024年" in s[0..n), or 0. */
static int
year_in(const char *s, size_t n)
{
	const char *q = s, *e = s + n;

	while ((q = memmem(q, (size_t)(e - q), "\xe5\xb9\xb4", 3)) != NULL) {	/* 年 */
		if (q - s >= 4 && (q[-4] == '1' || q[-4] == '2') && q[-3] >= '0' && q[-3] <= '9' &&
		    q[-2] >= '0' && q[-2] <= '9' && q[-1] >= '0' && q[-1] <= '9' &&
		    (q - s == 4 || q[-5] < '0' || q[-5] > '9'))
			return (q[-4] - '0') * 1000 + (q[-3] - '0') * 100 + (q[-2] - '0') * 10 + (q[-1] - '0');
		q += 3;
	}
	return 0;
}

/* The year the report is about: the Year: header, else the earliest year
 * named by a top-level heading (2023年…成效 … 2024年…). */
static int
report_year(Ctx *c, int top)
{
	size_t n, i;
	const char *y = ss_header(c->doc, "Year", &n);
	int v = 0;

	if (y && n == 4 && y[0] >= '1' && y[0] <= '2')
		return atoi(y);
	for (i = 0; i < c->res->n; i++) {
		const SsRow *row = &c->res->row[i];
		int w;

		if (row->kind == SS_HEADING && row->rank == top &&
		    (w = year_in(c->s + row->heading, row->headinglen)) > 0 && (v == 0 || w < v))
			v = w;
	}
	return v;
}

static void
assign_parts(Secsplit *ss, Ctx *c)
{
	SsResult *r = c->res;
	size_t i, tl;
	int top = NFAM, cur = PART_NONE, mixed = 0, beyond = 0, ryear;
	const char *t;

	for (i = 0; i < r->n; i++)
		if (r->row[i].kind == SS_HEADING && r->row[i].rank < top)
			top = r->row[i].rank;
	t = ss_header(c->doc, "Type", &tl);
	if (t && tl > 0)
		snprintf(r->type, sizeof r->type, "%.*s", (int)tl, t);
	else if (ss->opt.type)
		snprintf(r->type, sizeof r->type, "%s", ss->opt.type);
	else
		guess_type(ss, c, top);
	if (strcmp(r->type, "annual-report") != 0)
		return;
	ryear = report_year(c, top);
	for (i = 0; i < r->n; i++) {
		SsRow *row = &r->row[i];
		int nm, p;

		switch (row->kind) {
		case SS_SPEAKER:
			cur = PART_NONE;
			mixed = 0;
			break;
		case SS_ITEM:
			row->part = cur;
			break;
		case SS_HEADING:
			p = match_part(ss, c->s + row->heading, row->headinglen, &nm);
			if (row->rank == top) {
				int y;

				/* no keyword: next year's work is plans, else the
				 * first parts are what was done */
				if (p == PART_NONE && (y = year_in(c->s + row->heading, row->headinglen)) > 0 &&
				    ryear > 0 && y > ryear)
					p = PART_PLANS;
				if (p == PART_NONE)
					p = beyond ? PART_NONE : PART_MEASURES;
				if (p != PART_NONE && p != PART_MEASURES)
					beyond = 1;
				cur = p;
				mixed = nm > 1;
				row->part = p;
			} else {
				/* children inherit, unless the parent names two parts */
				row->part = (mixed && p != PART_NONE) ? p : cur;
			}
			if (row->part != PART_NONE)
				r->has_part[row->part] = 1;
			break;
		}
	}
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
	assign_parts(ss, &c);
}

void
ss_result_free(SsResult *res)
{
	free(res->row);
	buf_free(&res->problems);
	memset(res, 0, sizeof *res);
}

/* --- documents ---------------------------------------------------------- */

void
ss_doc_name(const char *path, char *out, size_t n)
{
	const char *b, *dot;
	size_t len;

	if (path == NULL || strcmp(path, "-") == 0) {
		snprintf(out, n, "-");
		return;
	}
	b = strrchr(path, '/');
	b = b ? b + 1 : path;
	len = strlen(b);
	if (len > 3 && strcmp(b + len - 3, ".gz") == 0)
		len -= 3;
	for (dot = b + len; dot > b && dot[-1] != '.'; dot--)
		;
	if (dot > b + 1)
		len = (size_t)(dot - 1 - b);
	snprintf(out, n, "%.*s", (int)len, b);
}

/* Length of a valid UTF-8 sequence at s[0..n), or 0. Inline for speed:
 * this runs over every byte of every input. */
static inline size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c >= 0xE1 && c <= 0xEC && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80)
		return 3;	/* the common case: CJK */
	{
		uint32_t cp;
		int l = utf8_decode(s, n, &cp);

		return l < 0 ? 0 : (size_t)l;
	}
}

/* Scan: counts of control bytes and invalid sequences in the first 64 KiB
 * (binary or not UTF-8?), and whether anything at all needs a repair. */
static const char *
scan_input(const unsigned char *s, size_t n, int *repair)
{
	size_t i = 0, ctrl = 0, bad = 0, lim = n < 65536 ? n : 65536;

	*repair = n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
	while (i < n) {
		unsigned char b = s[i];
		size_t l;

		if (b >= 0x20 && b < 0x80) {
			i++;
			continue;
		}
		if (b < 0x80) {
			if (b == '\r' || b == 0)
				*repair = 1;
			if (i < lim && ((b != '\t' && b != '\n' && b != '\r' && b != '\f' &&
					 b != '\v' && b != 0x1b) || b == 0x7f))
				ctrl++;
			i++;
			continue;
		}
		if ((l = utf8_seq(s + i, n - i)) == 0) {
			*repair = 1;
			if (i < lim && !(lim < n && lim - i < 4))
				bad++;	/* not one cut by the sample's end */
			l = 1;
		}
		i += l;
	}
	/* a stray NUL is repaired; pictures, archives, UTF-16 are refused */
	if (ctrl * 10 > lim || (ctrl >= 8 && ctrl * 100 > lim))
		return "binary data";
	if (bad * 20 > lim)
		return "not UTF-8 text (convert it first, e.g. with deboiler)";
	return NULL;
}

/* The repaired copy of s[0..len) into norm. */
static void
repair(SsDoc *doc, Buf *norm, const unsigned char *s, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	buf_grow(norm, len - i + 16);
	while (i < len) {
		/* copy a run of plain bytes at once */
		size_t j = i, l;

		for (;;) {
			if (j < len && ((s[j] >= 0x20 && s[j] < 0x80) || s[j] == '\n' || s[j] == '\t'))
				j++;
			else if (j < len && s[j] >= 0x80 && (l = utf8_seq(s + j, len - j)) > 0)
				j += l;
			else
				break;
		}
		if (j > i) {
			buf_add(norm, s + i, j - i);
			i = j;
			continue;
		}
		if (s[i] == '\r') {
			buf_addc(norm, '\n');
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
		} else if (s[i] == 0) {
			buf_add(norm, "\xef\xbf\xbd", 3);
			doc->nul++;
			i++;
		} else if (s[i] < 0x80) {
			buf_addc(norm, s[i]);
			i++;
		} else {
			buf_add(norm, "\xef\xbf\xbd", 3);
			doc->bad_utf8++;
			i++;
		}
	}
}

static int
is_header_line(const char *s, size_t n, size_t *keylen)
{
	size_t i = 0;

	if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	while (i < n && i < 40 && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
				   (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	if (i >= n || s[i] != ':' || (i + 1 < n && s[i + 1] != ' '))
		return 0;
	*keylen = i;
	return 1;
}

int
ss_prepare(SsDoc *doc, Buf *norm, const char *data, size_t len, const char *name)
{
	const unsigned char *s = (const unsigned char *)data;
	const char *text;
	size_t p, start = 0, tlen;
	unsigned long line = 1;
	int needs_repair;

	memset(doc, 0, sizeof *doc);
	snprintf(doc->doc, sizeof doc->doc, "%s", name ? name : "-");
	buf_clear(norm);
	if ((doc->error = scan_input(s, len, &needs_repair)) != NULL)
		return -1;
	if (needs_repair) {
		repair(doc, norm, s, len);
		text = norm->s;
		tlen = norm->len;
	} else {
		text = data;	/* clean input is used in place */
		tlen = len;
	}
	/* header: Key: value lines up to an empty line */
	p = 0;
	for (;;) {
		const char *t = text + p;
		const char *nl = p < tlen ? memchr(t, '\n', tlen - p) : NULL;
		size_t e = nl ? (size_t)(nl - text) : tlen, kl;

		if (p >= tlen)
			break;
		if (e == p && p > 0) {		/* the empty line ending the header */
			start = e + 1;
			line++;
			break;
		}
		if (!is_header_line(t, e - p, &kl)) {
			if (p > 0) {
				doc->header_unended = 1;
				start = p;
			}
			break;
		}
		if (doc->nfield < sizeof doc->field / sizeof doc->field[0]) {
			SsField *f = &doc->field[doc->nfield++];
			size_t v = p + kl + 1;

			while (v < e && text[v] == ' ')
				v++;
			f->key = t;
			f->keylen = kl;
			f->val = text + v;
			f->vallen = e - v;
		}
		line++;
		p = e + 1;
		if (!nl) {
			start = tlen;
			break;
		}
	}
	if (doc->nfield == 0) {
		start = 0;
		line = 1;
	}
	{
		size_t n;
		const char *d = ss_header(doc, "Doc", &n);

		if (d && n > 0)
			snprintf(doc->doc, sizeof doc->doc, "%.*s", (int)n, d);
	}
	doc->body = text + start;
	doc->bodylen = tlen - start;
	doc->body_line = line;
	return 0;
}

const char *
ss_header(const SsDoc *doc, const char *key, size_t *n)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < doc->nfield; i++) {
		const SsField *f = &doc->field[i];

		if (f->keylen == kl && strncasecmp(f->key, key, kl) == 0) {
			*n = f->vallen;
			return f->val;
		}
	}
	*n = 0;
	return NULL;
}

/* --- output ------------------------------------------------------------- */

/* tsv_buf_escaped, written straight into the buffer: the text column is
 * most of the output. */
static void
put_escaped(Buf *out, const char *s, size_t n)
{
	char *d;
	size_t i = 0;

	buf_grow(out, 2 * n + 1);
	d = out->s + out->len;
	while (i < n) {
		size_t j = i;

		/* runs of ordinary bytes (all of UTF-8's multibyte ones) at once */
		while (j < n && ((unsigned char)s[j] > '\r' || s[j] < '\t') && s[j] != '\\')
			j++;
		memcpy(d, s + i, j - i);
		d += j - i;
		if (j == n)
			break;
		switch (s[j]) {
		case '\t': *d++ = '\\'; *d++ = 't'; break;
		case '\n': *d++ = '\\'; *d++ = 'n'; break;
		case '\r': *d++ = '\\'; *d++ = 'r'; break;
		case '\\': *d++ = '\\'; *d++ = '\\'; break;
		default: *d++ = s[j];	/* \v \f: as they are */
		}
		i = j + 1;
	}
	out->len = (size_t)(d - out->s);
	out->s[out->len] = '\0';
}

static void
put_field(Buf *out, const char *s, size_t n)
{
	if (s == NULL || n == 0)
		buf_addc(out, '-');
	else
		put_escaped(out, s, n);
}

static void
put_doc_cols(const SsDoc *doc, Buf *out)
{
	size_t n;
	const char *v;

	put_field(out, doc->doc, strlen(doc->doc));
	buf_addc(out, '\t');
	v = ss_header(doc, "Region", &n);
	put_field(out, v, n);
	buf_addc(out, '\t');
	v = ss_header(doc, "Year", &n);
	put_field(out, v, n);
}

static const char *
row_part(const SsRow *row)
{
	if (row->kind == SS_PREAMBLE)
		return "preamble";
	return row->part == PART_NONE ? "-" : ss_part_name[row->part];
}

void
ss_format_header(Buf *out)
{
	buf_adds(out, "doc\tregion\tyear\tseq\tlevel\tpath\tmarker\theading\tpart\tstart\tend\ttext\n");
}

void
ss_format_rows(const SsDoc *doc, const SsResult *res, Buf *out)
{
	size_t i;
	Buf cols = BUF_INIT;

	put_doc_cols(doc, &cols);
	for (i = 0; i < res->n; i++) {
		const SsRow *row = &res->row[i];

		buf_add(out, cols.s, cols.len);
		buf_addf(out, "\t%zu\t%d\t%s\t", i, row->level, row->path);
		put_field(out, doc->body + row->marker, row->markerlen);
		buf_addc(out, '\t');
		put_field(out, doc->body + row->heading, row->headinglen);
		buf_addf(out, "\t%s\t%zu\t%zu\t", row_part(row), row->start, row->end);
		put_escaped(out, doc->body + row->bstart, row->bend - row->bstart);
		buf_addc(out, '\n');
	}
	buf_free(&cols);
}

/* Up to max characters of s[0..n), "…" when cut; tabs and such as blanks. */
static void
put_short(Buf *out, const char *s, size_t n, size_t max)
{
	size_t i = 0, c = 0;

	while (i < n && c < max) {
		size_t l;
		uint32_t cp = cp_at(s + i, n - i, &l);

		if (cp < 0x20)
			buf_addc(out, ' ');
		else
			buf_add(out, s + i, l);
		i += l;
		c++;
	}
	if (i < n)
		buf_adds(out, "…");
}

void
ss_format_outline(const SsDoc *doc, const SsResult *res, Buf *out)
{
	size_t i, j, n;
	const char *v;

	buf_adds(out, "# ");
	buf_adds(out, doc->doc);
	v = ss_header(doc, "Title", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	v = ss_header(doc, "Region", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	v = ss_header(doc, "Year", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	buf_addf(out, "  %s  %zu characters\n", res->type[0] ? res->type : "-",
		 res->n ? res->row[res->n - 1].end : 0);
	for (i = 0; i < res->n; i++) {
		const SsRow *row = &res->row[i];
		size_t end = row->end;
		int k;

		/* a section's length covers its subsections and items; a
		 * speaker turn's, its items */
		if (row->kind == SS_HEADING || row->kind == SS_SPEAKER) {
			for (j = i + 1; j < res->n; j++) {
				const SsRow *r2 = &res->row[j];

				if (r2->kind == SS_SPEAKER || (r2->kind == SS_HEADING &&
				    (row->kind == SS_SPEAKER || r2->level <= row->level)))
					break;
			}
			end = j < res->n ? res->row[j].start : res->row[res->n - 1].end;
		}
		switch (row->kind) {
		case SS_PREAMBLE:
			buf_adds(out, "[preamble]");
			break;
		case SS_SPEAKER:
			buf_adds(out, "> ");
			put_short(out, doc->body + row->heading, row->headinglen, 40);
			break;
		default:
			for (k = 1; k < row->level; k++)
				buf_adds(out, "  ");
			buf_add(out, doc->body + row->marker, row->markerlen);
			buf_addc(out, ' ');
			put_short(out, doc->body + row->heading, row->headinglen, 40);
			if (row->part != PART_NONE)
				buf_addf(out, "  [%s]", ss_part_name[row->part]);
			break;
		}
		buf_addf(out, "  (%zu)\n", end - row->start);
	}
	if (res->nproblems) {
		buf_adds(out, "! ");
		for (i = 0; i < res->problems.len; i++) {
			if (res->problems.s[i] == ';')
				buf_adds(out, "\n! ");
			else
				buf_addc(out, res->problems.s[i]);
		}
		buf_addc(out, '\n');
	}
}

void
ss_format_check_header(Buf *out)
{
	buf_adds(out, "doc\tregion\tyear\ttype\tmeasures\tproblems\tleadership\tplans\tother"
		 "\tmissing\tproblems_found\n");
}

void
ss_format_check(const SsDoc *doc, const SsResult *res, Buf *out)
{
	int k, nmiss = 0;

	put_doc_cols(doc, out);
	buf_addc(out, '\t');
	put_field(out, res->type, strlen(res->type));
	for (k = 0; k < NPARTS; k++)
		buf_adds(out, res->has_part[k] ? "\tyes" : "\tno");
	buf_addc(out, '\t');
	for (k = 0; k < NPARTS; k++) {
		if (res->has_part[k])
			continue;
		buf_adds(out, nmiss++ ? "," : "");
		buf_adds(out, ss_part_name[k]);
	}
	if (nmiss == 0)
		buf_addc(out, '-');
	buf_addc(out, '\t');
	put_field(out, res->problems.s, res->problems.len);
	buf_addc(out, '\n');
}
