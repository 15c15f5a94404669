/* attribute.c: indtag's attribution, once a line is scanned: the rules tried
 * on the narrowest context first (the noun after the unit, then the segment
 * before the number, then the clause, then the sentence; line rules before
 * all), the first rule in file order that matches wins; then the kinds
 * (from/to/change), the codes inherited by 其中… and lists, and the clause
 * shown with each figure. Change how figures are attributed here. */
#include "indtag_int.h"

#include <stdlib.h>
#include <string.h>

static int rx_on(Regex *rx, const unsigned char *s, size_t lo, size_t hi);
static int other_subject(const Tagger *t, const Fig *fg, const char *code);
static void set_kinds(Tagger *t, const unsigned char *s);
static void inherit(Tagger *t, const unsigned char *s);
static int is_trim(uint32_t c);
static void clause_span(Fig *fg, const unsigned char *s, size_t n);

static const char *const change_words[] = {
	"增加", "增长", "提高", "上升", "下降", "减少", "降低", "提升", "增幅", "降幅",
	"减幅", "压缩", "缩短", "压减", "增", "降", NULL
};

static uint32_t rx_opts;	/* of the text being tagged */
static size_t rx_stopped;	/* matches stopped by the pcre2 limits */

size_t
indtag_limit_hits(void)
{
	size_t n = rx_stopped;

	rx_stopped = 0;
	return n;
}

/* A match cut short by the pcre2 limits counts as no match: the caller
 * reports how many there were (indtag_limit_hits). */
static int
rx_on(Regex *rx, const unsigned char *s, size_t lo, size_t hi)
{
	int r = rx_match_opts(rx, (const char *)s + lo, hi - lo, 0, rx_opts);

	if (r == RX_LIMIT || r == RX_ERROR)
		rx_stopped++;
	return r == RX_MATCHED;
}

/* Has an earlier figure of the sentence a code of another domain than
 * code's (review. vs litigation.)? Then the sentence has its own subject
 * and the section heading is no context for code. */
static int
other_subject(const Tagger *t, const Fig *fg, const char *code)
{
	const char *dot = strchr(code, '.');
	size_t k = dot ? (size_t)(dot - code) : strlen(code);
	const Fig *p;

	for (p = fg; p > t->fig; p--) {
		const Fig *q = p - 1;

		if (q->sent_start != fg->sent_start)
			break;
		if (q->dropped || strcmp(q->f.code, "other") == 0)
			continue;
		if (strncmp(q->f.code, code, k) != 0 || (q->f.code[k] != '.' && q->f.code[k] != '\0'))
			return 1;
	}
	return 0;
}

static int try_scopes(Tagger *t, Fig *fg, const unsigned char *s, const size_t lo[4], const size_t hi[4],
		      const char *head, size_t hlen);

/* Attribute one figure: the first rule, narrowest context first. */
void
indtag_attribute(Tagger *t, Fig *fg, const unsigned char *s, size_t n, const char *head, size_t hlen)
{
	size_t lo[4], hi[4], r;

	(void)n;
	lo[SC_NOUN] = fg->f.noun_off;
	hi[SC_NOUN] = fg->f.noun_off + fg->f.noun_len;
	hi[SC_NEAR] = hi[SC_CLAUSE] = hi[SC_SENTENCE] = fg->f.off;
	lo[SC_NEAR] = clamp_back(s, 0, fg->near_start, fg->f.off, NEAR_MAX);
	lo[SC_CLAUSE] = clamp_back(s, 0, fg->clause_start, fg->f.off, CLAUSE_MAX);
	lo[SC_SENTENCE] = clamp_back(s, 0, fg->sent_start, fg->f.off, SENT_MAX);
	/* line rules first: the whole line before the number (web chrome) */
	for (r = 0; r < t->nr; r++) {
		TRule *ru = &t->r[r];

		if (ru->scope != SC_LINE || !(ru->units & fg->unitbit))
			continue;
		if (!rx_on(ru->rx, s, clamp_back(s, 0, fg->line_start, fg->f.off, SENT_MAX), fg->f.off))
			continue;
		if (ru->drop) {
			fg->dropped = 1;
			return;
		}
		fg->f.code = ru->code;
		fg->f.label = ru->label;
		fg->f.rule = ru->where;
		return;
	}
	/* the rules on the sentence and the heading (the sentence before is
	 * no context: 受理行政复议案件171件。今年办结138件 keeps 138 other) */
	try_scopes(t, fg, s, lo, hi, head, hlen);
}

/* The scoped rules, narrowest context first; a rule's context must match
 * the sentence before the number, or (when the sentence has no subject of
 * its own) the heading. Returns 1 when a rule decided the figure (a code,
 * or dropped). */
static int
try_scopes(Tagger *t, Fig *fg, const unsigned char *s, const size_t lo[4], const size_t hi[4],
	   const char *head, size_t hlen)
{
	size_t r;
	int pass;

	for (pass = SC_NOUN; pass <= SC_SENTENCE; pass++) {
		if (pass != SC_NOUN && hi[pass] <= lo[pass])
			continue;
		if (pass > SC_NEAR && lo[pass] == lo[pass - 1])
			continue;	/* same text as the narrower pass */
		for (r = 0; r < t->nr; r++) {
			TRule *ru = &t->r[r];

			/* a figure without a unit (a table cell) may take any rule */
			if (!(ru->units & fg->unitbit) &&
			    (fg->unitbit != 1ULL << UNITLESS || ru->scope == SC_NOUN))
				continue;
			if (ru->scope == SC_LINE || (pass == SC_NOUN ? ru->scope != SC_NOUN : ru->scope < pass))
				continue;
			if (!rx_on(ru->rx, s, lo[pass], hi[pass]))
				continue;
			/* the context is the sentence, not the paragraph: in
			 * 复议…。诉讼案件87起,其中18起正在办理 the nearer subject wins */
			if (ru->has_ctx && !rx_on(&ru->ctx, s, lo[SC_SENTENCE], fg->f.off) &&
			    !(head && !other_subject(t, fg, ru->code) &&
			      rx_on(&ru->ctx, (const unsigned char *)head, 0, hlen)))
				continue;
			if (ru->drop) {
				fg->dropped = 1;
				return 1;
			}
			fg->f.code = ru->code;
			fg->f.label = ru->label;
			fg->f.rule = ru->where;
			return 1;
		}
	}
	return 0;
}

/* 由452人增加至643人: from/to; 增长15%: change. */
static void
set_kinds(Tagger *t, const unsigned char *s)
{
	size_t a, k;
	uint32_t c;

	for (a = 0; a < t->nfig; a++) {
		Fig *f = &t->fig[a];
		const char *p = (const char *)s + f->near_start;
		size_t len = f->f.off - f->near_start;
		size_t l2 = len;

		/* strip qualifier words and 了/达/到/至/为 before the number */
		for (;;) {
			if (ends_with(p, l2, "了") || ends_with(p, l2, "达") || ends_with(p, l2, "为") ||
			    ends_with(p, l2, "至") || ends_with(p, l2, "到") || ends_with(p, l2, "近") ||
			    ends_with(p, l2, "约") || ends_with(p, l2, "超"))
				l2 -= 3;
			else if (ends_with(p, l2, "超过"))
				l2 -= 6;
			else
				break;
		}
		/* (the last characters of the change words, a cheap first test) */
		c = l2 >= 3 ? cp3((const unsigned char *)p + l2 - 3) : 0;
		if (!(c == 0x52A0 || c == 0x957F || c == 0x9AD8 || c == 0x5347 || c == 0x964D ||
		      c == 0x5C11 || c == 0x4F4E || c == 0x5E45 || c == 0x7F29 || c == 0x77ED ||
		      c == 0x51CF || c == 0x589E))	/* 加长高升降少低幅缩短减增 */
			l2 = 0;
		for (k = 0; l2 >= 3 && change_words[k]; k++) {
			if (ends_with(p, l2, change_words[k])) {
				int to = ends_with(p, len, "至") || ends_with(p, len, "到") ||
					 ends_with(p, len, "为");

				f->f.kind = to ? "to" : "change";
				break;
			}
		}
		/* 由/从 X … 至 Y: both in one clause (the search for 由/从
		 * last, when the rest holds) */
		if (a + 1 < t->nfig && t->fig[a + 1].clause_start == f->clause_start) {
			Fig *g = &t->fig[a + 1];
			const char *q = (const char *)s + f->end;
			size_t ql = g->f.off > f->end ? g->f.off - f->end : 0;

			if (ql < 40 &&
			    (ends_with(q, ql, "至") || ends_with(q, ql, "到") || ends_with(q, ql, "为")) &&
			    (memmem(p, len, "由", 3) || memmem(p, len, "从", 3))) {
				f->f.kind = "from";
				g->f.kind = "to";
			}
		}
		if ((strcmp(f->f.unit, "百分点") == 0 || strcmp(f->f.unit, "个百分点") == 0) &&
		    strcmp(f->f.kind, "value") == 0)
			f->f.kind = "change";
	}
}

/* Rows that no rule claimed: a subset (其中…) or a list continuing the same
 * subject takes the code of the figure before it. */
static void
inherit(Tagger *t, const unsigned char *s)
{
	size_t a;

	for (a = 1; a < t->nfig; a++) {
		Fig *f = &t->fig[a], *p = &t->fig[a - 1];
		const char *near = (const char *)s + f->near_start;
		size_t len = f->f.off - f->near_start;

		if (strcmp(f->f.rule, "-") != 0 || p->dropped || strcmp(p->f.code, "other") == 0)
			continue;
		/* 其中 anywhere in the clause before the number: 其中符合…条件的裁决案件522件 */
		const char *cl = (const char *)s + f->clause_start;
		size_t clen = f->f.off - f->clause_start;
		int subset = (memmem(near, len, "其中", 6) && len <= 30) ||
			     (clen <= 90 && clen >= 6 && memcmp(cl, "其中", 6) == 0);

		if (f->line_start != p->line_start || (f->sent_start != p->sent_start && !subset))
			continue;
		if (subset ||
		    /* 刑事案件83件,民事案件210件: the same head noun */
		    (f->unitbit == p->unitbit && f->sent_start == p->sent_start && len >= 6 &&
		     p->f.off - p->near_start >= 6 &&
		     memcmp(near + len - 6, s + p->f.off - 6, 6) == 0) ||
		    (strcmp(p->f.rule, "inherit") == 0 && f->unitbit == p->unitbit &&
		     f->sent_start == p->sent_start && len <= 30) ||
		    (f->unitbit == p->unitbit && f->clause_start == p->clause_start && len <= 6)) {
			f->f.code = p->f.code;
			f->f.label = p->f.label;
			f->f.rule = "inherit";
		}
	}
}

static int
is_trim(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == '\r';
}

static void
clause_span(Fig *fg, const unsigned char *s, size_t n)
{
	size_t a = fg->clause_start, z = fg->f.off + fg->f.len, lim;
	uint32_t c;

	if (fg->f.off - a > CLAUSE_MAX)
		a = clamp_back(s, 0, a, fg->f.off, CLAUSE_MAX);
	lim = n - z > CLAUSE_MAX ? z + CLAUSE_MAX : n;
	/* byte scan: ASCII ends, and the 3-byte ends 。(E3 80 82) and the
	 * full-width ，；：！？ (EF BC 8C/9B/9A/81/9F) */
	while (z < lim) {
		unsigned char ch = s[z];

		if (ch < 0x80) {
			if (ch == ',' || ch == ';' || ch == ':' || ch == '!' || ch == '?' ||
			    ch == '\n' || ch == '\r')
				break;
		} else if (z + 2 < n && ((ch == 0xE3 && s[z + 1] == 0x80 && s[z + 2] == 0x82) ||
					 (ch == 0xEF && s[z + 1] == 0xBC &&
					  (s[z + 2] == 0x8C || s[z + 2] == 0x9B || s[z + 2] == 0x9A ||
					   s[z + 2] == 0x81 || s[z + 2] == 0x9F)))) {
			break;
		}
		z++;
	}
	while (z < n && (s[z] & 0xC0) == 0x80)
		z++;
	while (a < z && (c = next_cp(s, z, a), is_trim(c)))
		a += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
	while (z > a && (c = prev_cp(s, a, z), is_trim(c)))
		z -= c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
	fg->f.clause_off = a;
	fg->f.clause_len = z - a;
}

/* Attribute and emit the figures found so far, then forget them. Called at
 * every line end (no rule looks across lines) and at the end of the text,
 * so memory follows the longest line, not the document. */
void
indtag_finish(Tagger *t, const unsigned char *s, size_t n, TextRun *st)
{
	size_t a;

	if (t->nfig == 0)
		return;
	if (!t->numbers_only) {
		/* Valid UTF-8 (the usual case: indtag repairs its input) is
		 * checked by the scan instead of by pcre2 on every match;
		 * context slices start and end on character boundaries. */
		rx_opts = t->trust_utf8 || (st->valid && st->head_valid) ? PCRE2_NO_UTF_CHECK : 0;
		for (a = 0; a < t->nfig; a++)
			indtag_attribute(t, &t->fig[a], s, n, st->heading, st->hlen);
		inherit(t, s);
		indtag_table(t, s, n, st);	/* table.c: a table row's headers */
	}
	set_kinds(t, s);
	for (a = 0; a < t->nfig; a++) {
		Fig *fg = &t->fig[a];

		if (fg->dropped)
			continue;
		/* the words after a rate were for the rules (100%“网上可办”):
		 * a rate counts no noun */
		if (strcmp(fg->f.unit, "%") == 0)
			fg->f.noun_len = 0;
		if (!t->numbers_only)
			clause_span(fg, s, n);
		if (st->fn)
			st->fn(&fg->f, st->text, st->arg);
		st->emitted++;
	}
	t->nfig = 0;
}
