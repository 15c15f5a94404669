/* scan.c: indtag's number scan: one pass over the bytes finds number
 * candidates (ASCII and full-width digits, Chinese numerals) and tracks the
 * clause, sentence and segment boundaries and 《》 titles. Each candidate is
 * parsed by numparse, then excluded when it is a date, ordinal, code, time,
 * name, title or norm; a kept one becomes a figure with its unit, qualifier
 * and noun, attributed at each line end (attribute.c). */
#include "indtag_int.h"
#include "err.h"
#include "numparse.h"

#include <stdint.h>
#include <string.h>

/* Where the scan is: the starts of the line, sentence, clause and segment
 * around it. */
typedef struct {
	size_t line, sent, clause, seg;
	int title;		/* inside 《》 */
	size_t last_end;	/* end of the previous figure (its unit) */
	size_t range_to;	/* offset of the second number of a range */
	size_t small_count;	/* offset of a small Chinese numeral that counts (两个, 三次) */
} Bounds;

/* A number candidate() is looking at, filled in step by step. */
typedef struct {
	Num num;
	size_t i, m, e;		/* the number: s[i..e), m bytes */
	uint32_t pc, nc;	/* the characters before and after it */
	int range_from, range_to;	/* first or second number of a range */
	size_t range_unit_end;	/* range_from: end of the second number's unit */
	const char *unorm;	/* normalised unit, NULL while none */
	int pw;			/* the unit's power of ten (万 4) */
	size_t ul;		/* bytes of the unit after the number */
	size_t j;		/* after the unit */
	int q2;			/* qualifier after the unit (余, 多 …) */
	size_t ql;		/* its bytes */
} NumCand;

static inline int is_clause_end(uint32_t c);
static inline int is_code_glue(uint32_t c);
static Fig *new_fig(Tagger *t);
static void table_unit(const unsigned char *s, size_t line, size_t i, const char **unorm, int *pw);
static size_t skip_unparsed(const unsigned char *s, size_t n, size_t i);
static int date_or_small_numeral(const unsigned char *s, size_t n, const Bounds *b, const NumCand *c);
static void find_range(const unsigned char *s, size_t n, Bounds *b, NumCand *c);
static int ordinal_code_or_time(const unsigned char *s, size_t n, const NumCand *c);
static void find_unit(const unsigned char *s, size_t n, NumCand *c);
static int unitless_excluded(const unsigned char *s, size_t n, const Bounds *b, NumCand *c);
static int is_norm(const unsigned char *s, size_t n, const Bounds *b, const NumCand *c);
static int qualifier(const unsigned char *s, const Bounds *b, const NumCand *c);
static void add_figure(Tagger *t, const unsigned char *s, size_t n, const Bounds *b,
		       const NumCand *c, int qual);
static size_t candidate(Tagger *t, const unsigned char *s, size_t n, size_t i, Bounds *b);
static void new_block(int k);
static void set_stop(uint32_t c, int why);
static void init_stop(void);
static int stop_at(const unsigned char *s);
static size_t count_chars(const unsigned char *s, size_t n);
static void new_line(Bounds *b, size_t at);
static size_t number_at(Tagger *t, const unsigned char *s, size_t n, size_t i, Bounds *b,
			size_t *chars);
static void start_run(Tagger *t, Bounds *b, TextRun *st, const char *text, const char *heading,
		      size_t hlen, figure_fn fn, void *arg);
static inline int stop_reason(const unsigned char *s, size_t n, size_t i);

static inline int
is_clause_end(uint32_t c)
{
	switch (c) {
	case ',': case ';': case ':': case '!': case '?': case '\n': case '\r':
	case 0xFF0C: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0x3002:
		return 1;
	}
	return 0;
}

/* Characters that glue a number into a code, a date or a name. */
static inline int
is_code_glue(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	if (c >= 0x3100 && c < 0xFF00)	/* CJK: the usual neighbour, no glue */
		return 0;
	switch (c) {
	case '-': case '/': case '_': case '.': case '+': case '#': case '@': case '*':
	case '=': case '&': case '\\':
	case 0x00B7: case 0x2022: case 0x2013: case 0x2014: case 0x2015: case 0xFF0D:
	case 0xFF0F: case 0x30FB: case 0xFF0B: case 0x2027:
		return 1;
	}
	return uc_is_fullwidth_ascii(c) && ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A));
}

static const char *const norm_words[] = {
	"不少于", "不低于", "不超过", "不高于", "不多于", "至少", "最多", "最少", "不得", "少于",
	"低于", "每", NULL
};

static Fig *
new_fig(Tagger *t)
{
	if (t->nfig == t->figcap) {
		t->figcap = t->figcap ? 2 * t->figcap : 64;
		t->fig = xrealloc(t->fig, t->figcap * sizeof *t->fig);
	}
	t->fig[t->nfig] = (Fig){0};
	return &t->fig[t->nfig++];
}

/* A bare number in a table row "| 行政复议案件(件) | 120 |" takes the unit
 * its row names in brackets. Looks back to the line start only when the
 * row has a '|' before the number. */
static void
table_unit(const unsigned char *s, size_t line, size_t i, const char **unorm, int *pw)
{
	size_t k, open = 0, close = 0;
	int bar = 0;

	if (i - line > CLAUSE_MAX)
		return;
	for (k = line; k < i; k++) {
		if (s[k] == '|')
			bar = 1;
		else if (s[k] == '(')
			open = k + 1;
		else if (s[k] == ')' && open)
			close = k;
	}
	if (bar && open && close > open) {
		const char *u;
		int p;

		if (num_unit((const char *)s + open, close - open, &u, &p) == close - open) {
			*unorm = u;
			*pw = p;
		}
	}
}

static size_t overlong;

/* No number parsed at s[i]: where the scan goes on. */
static size_t
skip_unparsed(const unsigned char *s, size_t n, size_t i)
{
	size_t j;

	if (s[i] >= 0x80)	/* a numeral or full-width digit: one character */
		return i + 3;
	/* skip the whole run of digits so a long id is not read piecewise */
	j = i;
	while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == ','))
		j++;
	if (j - i > 38)	/* more digits than an exact value holds */
		overlong++;
	return j > i ? j : i + 1;
}

/* A date's number or a small Chinese numeral: no figure (but the count
 * indtag_small_count() let through). */
static int
date_or_small_numeral(const unsigned char *s, size_t n, const Bounds *b, const NumCand *c)
{
	size_t e = c->e;

	/* 2022年3月5日: the numbers of dates are the most common that are no
	 * figure. Right before 年, 月 or 日 a number has no unit, qualifier,
	 * range or clause end after it, so every test below would let it go:
	 * skip them. (A percentage has its unit already.) */
	if (!(c->num.flags & NUM_PERCENT) && n - e >= 3 &&
	    ((s[e] == 0xE5 && s[e + 1] == 0xB9 && s[e + 2] == 0xB4) ||	/* 年 */
	     (s[e] == 0xE6 && ((s[e + 1] == 0x9C && s[e + 2] == 0x88) ||	/* 月 */
			       (s[e + 1] == 0x97 && s[e + 2] == 0xA5)))))	/* 日 */
		return 1;
	/* Chinese numerals: no positional (十三五) and nothing below ten without
	 * a magnitude (三项制度, 一是); tested first, they are many */
	if ((c->num.flags & NUM_CHINESE) && c->i != b->small_count &&
	    ((c->num.flags & NUM_POSITIONAL) ||
	     (!(c->num.flags & (NUM_MAGNITUDE | NUM_PERCENT)) &&
	      dec_cmp(c->num.value, dec_from_int(10)) < 0)))
		return 1;
	return 0;
}

/* A range, 3至5人 3-5人 3~5万元: the first number takes the second's unit. */
static void
find_range(const unsigned char *s, size_t n, Bounds *b, NumCand *c)
{
	size_t e = c->e, sep = 0, m2, u2;
	Num n2;

	if (!((c->num.flags & NUM_ARABIC) && !(c->num.flags & NUM_CHINESE) && !is_code_glue(c->pc)))
		return;
	if (c->nc == '-' || c->nc == '~')
		sep = 1;
	else if (c->nc == 0x81F3 || c->nc == 0x5230 || c->nc == 0xFF5E ||
		 c->nc == 0x2014)	/* 至 到 ～ — */
		sep = 3;
	if (sep && (m2 = num_parse((const char *)s + e + sep, n - e - sep, &n2)) > 0 &&
	    (n2.flags & NUM_ARABIC) && !(n2.flags & NUM_CHINESE) &&
	    dec_cmp(c->num.value, n2.value) < 0 &&
	    (u2 = num_unit((const char *)s + e + sep + m2, n - e - sep - m2, &c->unorm, &c->pw)) > 0) {
		c->range_from = 1;
		b->range_to = e + sep;
		c->range_unit_end = e + sep + m2 + u2;
	} else {
		c->unorm = NULL;
		c->pw = 0;
	}
}

/* Ordinals, norms 每…, names in quotes, codes, dates glued by - / . :, and
 * times 16:19:00: no figure. */
static int
ordinal_code_or_time(const unsigned char *s, size_t n, const NumCand *c)
{
	size_t i = c->i, e = c->e;
	uint32_t pc = c->pc, nc = c->nc;

	if (pc == 0x7B2C /* 第 */ || pc == 0x6BCF /* 每 */ || pc == 0x201C || pc == '"' ||
	    pc == 0x300C || (is_code_glue(pc) && !c->range_to) || (is_code_glue(nc) && !c->range_from))
		return 1;
	/* 16:19:00 */
	if (pc == ':' && i >= 2 && s[i - 2] >= '0' && s[i - 2] <= '9')
		return 1;
	if (pc == 0xFF1A && i >= 4 && s[i - 4] >= '0' && s[i - 4] <= '9')
		return 1;
	if (nc == ':' || ((c->num.flags & NUM_ARABIC) && nc == 0xFF1A && e + 3 < n &&
			  num_starts((const char *)s + e + 3, n - e - 3)))
		return 1;
	return 0;
}

/* The unit after the number, and the qualifier after the unit. */
static void
find_unit(const unsigned char *s, size_t n, NumCand *c)
{
	size_t e = c->e;

	/* (十三届, 十大: a Chinese numeral also needs a unit, checked below) */
	if (c->num.flags & NUM_PERCENT) {
		c->unorm = "%";
	} else if (!c->range_from) {
		c->ul = num_unit((const char *)s + e, n - e, &c->unorm, &c->pw);
		if (c->ul == 0 && e < n && s[e] == ' ') {
			/* scraped tables space them out: "171 件" */
			size_t sp = e + 1 + (e + 1 < n && s[e + 1] == ' ');

			c->ul = num_unit((const char *)s + sp, n - sp, &c->unorm, &c->pw);
			if (c->ul > 0)
				c->ul += sp - e;
		}
	}
	c->j = e + c->ul;
	c->q2 = num_qual_after((const char *)s + c->j, n - c->j, &c->ql);
	if (c->q2 == QUAL_MORE && c->ql == 3 && c->ul > 0)	/* 余/多 after a unit: 3个多月 */
		c->q2 = 0, c->ql = 0;
}

/* A number without a unit: a figure only as a table cell ("| 171 |", the
 * unit from the row's name), never a Chinese numeral or a bare year. */
static int
unitless_excluded(const unsigned char *s, size_t n, const Bounds *b, NumCand *c)
{
	size_t w = c->e + c->ql;
	uint32_t after;

	/* table cells: "| 171 |" */
	while (w < n && (s[w] == ' ' || s[w] == '\t'))
		w++;
	after = next_cp(s, n, w);

	if (c->num.flags & NUM_CHINESE)
		return 1;
	/* a number alone on its line (an image slot's or a page's number) */
	if (w >= n || s[w] == '\n' || s[w] == '\r') {
		size_t k = b->line;

		while (k < c->i && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == c->i)
			return 1;
	}
	if (!(w >= n || after == '|' || after == 0xFF5C ||
	      (is_clause_end(after) && after != ':' && after != 0xFF1A) ||
	      ((after == ')' || after == 0xFF09) && c->pc != '(' && c->pc != 0xFF08)))
		return 1;
	/* a bare year */
	if (!(c->num.flags & (NUM_DECIMAL | NUM_MAGNITUDE | NUM_GROUPED)) && c->num.ndigits == 4 &&
	    dec_cmp(c->num.value, dec_from_int(1900)) >= 0 &&
	    dec_cmp(c->num.value, dec_from_int(2100)) <= 0)
		return 1;
	table_unit(s, b->line, c->i, &c->unorm, &c->pw);
	return 0;
}

/* Targets and norms: 不少于40学时, 不少于5名的标准, 7、5、2的要求. */
static int
is_norm(const unsigned char *s, size_t n, const Bounds *b, const NumCand *c)
{
	size_t k, i = c->i, j = c->j, ql = c->ql;
	uint32_t pc = c->pc;

	/* (the last characters of the norm words: 于 少 多 低 过 高 每 得) */
	if (pc == 0x4E8E || pc == 0x5C11 || pc == 0x591A || pc == 0x4F4E || pc == 0x8FC7 ||
	    pc == 0x9AD8 || pc == 0x6BCF || pc == 0x5F97)
		for (k = 0; norm_words[k]; k++)
			if (ends_with((const char *)s + b->line, i - b->line, norm_words[k]))
				return 1;
	if (j + ql + 3 <= n && s[j + ql] == 0xE7 && s[j + ql + 1] == 0x9A && s[j + ql + 2] == 0x84 &&
	    (starts_with((const char *)s + j + ql, n - j - ql, "的要求") ||
	     starts_with((const char *)s + j + ql, n - j - ql, "的标准")))
		return 1;
	return 0;
}

/* The qualifier of the figure: words before it (超过, 近, 约 …), 余/多. */
static int
qualifier(const unsigned char *s, const Bounds *b, const NumCand *c)
{
	size_t k;
	uint32_t pc = c->pc;
	int qual = 0;

	/* (the last characters of the qualifier words: 过 于 逾 超 近 足 到 约 概) */
	if (pc == 0x8FC7 || pc == 0x4E8E || pc == 0x903E || pc == 0x8D85 || pc == 0x8FD1 ||
	    pc == 0x8DB3 || pc == 0x5230 || pc == 0x7EA6 || pc == 0x6982)
		qual = num_qual_before((const char *)s + b->line, c->i - b->line, &k);
	if (c->num.flags & NUM_MORE)
		qual = num_qual_merge(qual, QUAL_MORE);
	if (c->q2)
		qual = num_qual_merge(qual, c->q2);
	return num_qual_merge(qual, 0);
}

/* The kept number as a figure of t, with the noun after its measure word;
 * none after all when that noun is part of a formula (1个…+7个…). */
static void
add_figure(Tagger *t, const unsigned char *s, size_t n, const Bounds *b, const NumCand *c,
	   int qual)
{
	Fig *fg = new_fig(t);
	size_t j = c->j;

	fg->f.off = c->i;
	fg->f.len = c->m;
	fg->f.value = c->num.value;
	if (c->pw)
		dec_mul_pow10(&fg->f.value, c->pw);
	dec_normalize(&fg->f.value);
	fg->f.unit = c->unorm ? c->unorm : "-";
	/* (for the rules only: --numbers has none) */
	fg->unitbit = t->numbers_only ? 0 : indtag_unit_bit(c->unorm);
	fg->f.qual = qual;
	fg->f.kind = c->range_from ? "from" : c->range_to ? "to" : "value";
	fg->f.code = "other";
	fg->f.label = "-";
	fg->f.rule = "-";
	fg->near_start = b->seg > b->last_end ? b->seg : b->last_end;
	fg->clause_start = b->clause;
	fg->sent_start = b->sent;
	fg->line_start = b->line;
	j += c->ql;
	fg->end = j;
	if (c->range_from)
		j = c->range_unit_end;	/* the noun after the range's unit */
	/* the noun after a measure word: 2981个行政处罚事项 (after a rate
	 * too, for the rules only: 100%“网上可办”) */
	fg->f.noun_off = j;
	if ((c->ul > 0 || c->range_from || (c->num.flags & NUM_PERCENT)) && strcmp(c->unorm, "元") != 0) {
		size_t q = j;
		int nch = 0;

		while (q + 3 <= n && nch < NOUN_MAX_CHARS && s[q] >= 0xE0 && s[q] < 0xF0 &&
		       (s[q + 1] & 0xC0) == 0x80 && (s[q + 2] & 0xC0) == 0x80) {
			uint32_t ch = cp3(s + q);

			if (!uc_is_cjk(ch) && ch != 0x201C && ch != 0x201D)
				break;
			q += 3;
			nch++;
		}
		fg->f.noun_len = q - j;
		/* 1个主场活动+7个分场活动: a formula, not a count */
		if (q < n && (s[q] == '+' || starts_with((const char *)s + q, n - q, "＋")))
			t->nfig--;
	}
}

/* Try a number at s[i]; returns the offset to continue scanning from. The
 * steps in order: parse, the cheap exclusions (titles, dates, small
 * numerals), a range, ordinals/codes/times, the unit, a unitless number,
 * norms, then the figure with its qualifier. */
static size_t
candidate(Tagger *t, const unsigned char *s, size_t n, size_t i, Bounds *b)
{
	NumCand c;

	memset(&c, 0, sizeof c);
	c.i = i;
	c.m = num_parse((const char *)s + i, n - i, &c.num);
	if (c.m == 0)
		return skip_unparsed(s, n, i);
	c.e = i + c.m;
	if (b->title)
		return c.e;
	if (date_or_small_numeral(s, n, b, &c))
		return c.e;
	c.pc = prev_cp(s, b->line, i);
	c.nc = next_cp(s, n, c.e);
	c.range_to = i == b->range_to;
	find_range(s, n, b, &c);
	if (ordinal_code_or_time(s, n, &c))
		return c.e;
	find_unit(s, n, &c);
	if (c.unorm == NULL && unitless_excluded(s, n, b, &c))
		return c.e;
	if (is_norm(s, n, b, &c))
		return c.e;
	add_figure(t, s, n, b, &c, qualifier(s, b, &c));
	return c.e;
}

size_t
indtag_overlong(void)
{
	size_t n = overlong;

	overlong = 0;
	return n;
}

/* Where the scanner stops among 3-byte characters, and why: numerals,
 * full-width digits, punctuation that ends sentences, clauses or segments,
 * title marks, and every byte sequence that is no valid 3-byte character
 * (STOP_OTHER, left to the careful path). The first two bytes pick a block
 * of 64 code points (block_of, by s[0] | s[1] << 8); the third byte picks
 * the entry of the block's row (block_stop; STOP_OTHER for the bytes that
 * are no continuation byte). Block 0 stops everywhere: no lead E0..EF with
 * a continuation byte, or the overlong E0 80..9F and the surrogates
 * ED A0..BF; block 1 is every block without a character to stop at, most
 * of them. Two loads and a test a character, no code point. */
enum { STOP_NONE, STOP_OTHER, STOP_SENTENCE, STOP_CLAUSE, STOP_SEGMENT, STOP_TITLE_OPEN,
       STOP_TITLE_CLOSE, STOP_NUMERAL,
       /* ASCII (ascii_stop) */
       STOP_ASCII, STOP_DIGIT, STOP_NEWLINE, STOP_A_SENTENCE, STOP_A_CLAUSE, STOP_A_SEGMENT };

/* Why the scanner stops at an ASCII byte (every ASCII byte stops it) */
static uint8_t ascii_stop[128];
#define NBLOCK 64
static uint8_t block_of[65536];
static uint8_t block_stop[NBLOCK][256];
static int stop_ready;

/* A row that stops at every byte but the continuation bytes 80..BF */
static void
new_block(int k)
{
	memset(block_stop[k], STOP_OTHER, 256);
	memset(block_stop[k] + 0x80, STOP_NONE, 0x40);
}

static void
set_stop(uint32_t c, int why)
{
	unsigned b0 = 0xE0 | c >> 12, b1 = 0x80 | (c >> 6 & 0x3F), b2 = 0x80 | (c & 0x3F);
	static int nblock = 2;
	uint8_t *k = &block_of[b0 | b1 << 8];

	if (*k == 1) {	/* a block of its own, so far clear */
		if (nblock == NBLOCK)
			die(EXIT_DATA, "internal error: more than %d scanner blocks", NBLOCK);
		*k = (uint8_t)nblock++;
		new_block(*k);
	}
	block_stop[*k][b2] = (uint8_t)why;
}

static void
init_stop(void)
{
	static const struct {
		uint32_t c;
		int why;
	} punct[] = {
		{0x3002, STOP_SENTENCE}, {0xFF01, STOP_SENTENCE}, {0xFF1F, STOP_SENTENCE},	/* 。！？ */
		{0xFF0C, STOP_CLAUSE}, {0xFF1B, STOP_CLAUSE}, {0xFF1A, STOP_CLAUSE},		/* ，；： */
		{0x3001, STOP_SEGMENT}, {0xFF08, STOP_SEGMENT}, {0xFF09, STOP_SEGMENT},		/* 、（） */
		{0x300A, STOP_TITLE_OPEN}, {0x300B, STOP_TITLE_CLOSE},				/* 《》 */
		{0x767E, STOP_NUMERAL}, {0x5343, STOP_NUMERAL},					/* 百千 */
		{0, 0}
	};
	unsigned b0, b1;
	uint32_t c;
	int i;

	memset(ascii_stop, STOP_ASCII, sizeof ascii_stop);
	for (c = '0'; c <= '9'; c++)
		ascii_stop[c] = STOP_DIGIT;
	ascii_stop['\n'] = ascii_stop['\r'] = STOP_NEWLINE;
	ascii_stop['!'] = ascii_stop['?'] = STOP_A_SENTENCE;
	ascii_stop[','] = ascii_stop[';'] = ascii_stop[':'] = STOP_A_CLAUSE;
	ascii_stop['('] = ascii_stop[')'] = STOP_A_SEGMENT;
	memset(block_stop[0], STOP_OTHER, 256);
	new_block(1);
	for (b0 = 0xE0; b0 <= 0xEF; b0++)
		for (b1 = 0x80; b1 <= 0xBF; b1++)
			if (!(b0 == 0xE0 && b1 < 0xA0) && !(b0 == 0xED && b1 >= 0xA0))
				block_of[b0 | b1 << 8] = 1;
	for (c = 0x3000; c < 0x10000; c++)
		if (num_cn_value(c) >= 0 && num_cn_value(c) < 100)
			set_stop(c, STOP_NUMERAL);
	for (c = 0xFF10; c <= 0xFF19; c++)
		set_stop(c, STOP_NUMERAL);
	for (i = 0; punct[i].c; i++)
		set_stop(punct[i].c, punct[i].why);
	stop_ready = 1;
}

/* Why the scanner stops at the character at s (3 bytes readable), or
 * STOP_NONE */
static int
stop_at(const unsigned char *s)
{
	return block_stop[block_of[s[0] | s[1] << 8]][s[2]];
}

/* Characters in valid UTF-8: the bytes that are not continuation bytes.
 * Eight bytes a word; the words' continuation bytes are summed per byte
 * lane (up to 255 words) before the lanes are added up. */
static size_t
count_chars(const unsigned char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	size_t i = 0, c = n;

	while (n - i >= 8) {
		uint64_t lanes = 0, w;
		size_t k;

		for (k = 0; k < 255 && n - i >= 8; k++, i += 8) {
			memcpy(&w, s + i, 8);
			/* continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear */
			lanes += ((w & ~(w << 1)) >> 7) & ones;
		}
		/* eight byte lanes to four 16-bit ones, then their sum */
		lanes = (lanes & 0x00FF00FF00FF00FFULL) + (lanes >> 8 & 0x00FF00FF00FF00FFULL);
		c -= (size_t)((lanes * 0x0001000100010001ULL) >> 48);
	}
	for (; i < n; i++)
		c -= (s[i] & 0xC0) == 0x80;
	return c;
}

static void
new_line(Bounds *b, size_t at)
{
	b->line = b->sent = b->clause = b->seg = at;
	b->title = 0;
}

/* Try a number at s[i] (candidate()); a figure found there gets its
 * character offset. Returns where the scan goes on, and counts the
 * characters up to there into *chars. */
static size_t
number_at(Tagger *t, const unsigned char *s, size_t n, size_t i, Bounds *b, size_t *chars)
{
	size_t before = t->nfig, e = candidate(t, s, n, i, b);

	if (t->nfig > before) {
		Fig *fg = &t->fig[t->nfig - 1];

		b->last_end = fg->end;
		fg->f.chars = *chars;
	}
	/* what candidate() skips is valid UTF-8; mostly a short number:
	 * then a loop of fixed length, no guess where it ends */
	if (e - i <= 8 && n - i >= 8) {
		size_t k, len = e - i, c = 0;

		for (k = 0; k < 8; k++)
			c += (k < len) & ((s[i + k] & 0xC0) != 0x80);
		*chars += c;
	} else {
		*chars += count_chars(s + i, e - i);
	}
	return e;
}

/* A run of indtag_text begins: the tables ready, no figures, the bounds at
 * the text start, where the figures go. */
static void
start_run(Tagger *t, Bounds *b, TextRun *st, const char *text, const char *heading, size_t hlen,
	  figure_fn fn, void *arg)
{
	if (!stop_ready)
		init_stop();
	t->nfig = 0;
	memset(b, 0, sizeof *b);
	b->range_to = (size_t)-1;
	b->small_count = (size_t)-1;
	if (hlen > HEAD_MAX)
		hlen = HEAD_MAX;
	memset(st, 0, sizeof *st);
	st->text = text;
	st->heading = heading;
	st->hlen = hlen;
	st->fn = fn;
	st->arg = arg;
	st->valid = 1;
	st->head_valid = heading == NULL || utf8_valid((const unsigned char *)heading, hlen);
}

/* Why the scan stopped at s[i]: ASCII by its byte, the rest by the table.
 * Both are looked up and one kept by a mask: a branch on the byte would be
 * a guess, wrong at every turn between ASCII and Chinese. */
static inline int
stop_reason(const unsigned char *s, size_t n, size_t i)
{
	unsigned c = s[i];

	if (i + 2 < n) {
		int k = stop_at(s + i), a = ascii_stop[c & 0x7F];
		int ascii = -(int)(c < 0x80);	/* all ones for ASCII */

		return (a & ascii) | (k & ~ascii);
	}
	return c < 0x80 ? ascii_stop[c] : STOP_OTHER;
}

size_t
indtag_text(Tagger *t, const char *text, size_t n, const char *heading, size_t hlen,
	    figure_fn fn, void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	Bounds b;
	size_t i = 0;
	/* Characters before s[i]. The scan decodes every character (an
	 * invalid byte counts as one), so it counts them as it goes: the
	 * runs of 3-byte characters by their length, the rest one by one. */
	size_t chars = 0;
	TextRun st;

	start_run(t, &b, &st, text, heading, hlen, fn, arg);
	while (i < n) {
		int why;

		/* The hot loop: runs of ordinary 3-byte characters (most of a
		 * Chinese text), one table test each. */
		if (i + 2 < n) {
			const unsigned char *p = s + i, *end = s + n - 2;

			while (p < end && !stop_at(p))
				p += 3;
			chars += (size_t)(p - (s + i)) / 3;
			i = (size_t)(p - s);
		}
		if (i >= n)
			break;
		why = stop_reason(s, n, i);
		switch (why) {
		case STOP_DIGIT:
			i = number_at(t, s, n, i, &b, &chars);
			continue;
		case STOP_NEWLINE:
			indtag_finish(t, s, n, &st);
			new_line(&b, i + 1);
			b.last_end = i + 1;
			i++;
			chars++;
			continue;
		case STOP_A_SENTENCE:
			b.sent = b.clause = b.seg = i + 1;
			i++;
			chars++;
			continue;
		case STOP_A_CLAUSE:
			b.clause = b.seg = i + 1;
			i++;
			chars++;
			continue;
		case STOP_A_SEGMENT:
			b.seg = i + 1;
			i++;
			chars++;
			continue;
		case STOP_ASCII:
			i++;
			chars++;
			continue;
		case STOP_SENTENCE:
			b.sent = b.clause = b.seg = i + 3;
			break;
		case STOP_CLAUSE:
			b.clause = b.seg = i + 3;
			break;
		case STOP_SEGMENT:
			b.seg = i + 3;
			break;
		case STOP_TITLE_OPEN:
			b.title = 1;
			break;
		case STOP_TITLE_CLOSE:
			b.title = 0;
			break;
		case STOP_NUMERAL:
			/* 一是, 统一, 三级: a lone Chinese digit is never a
			 * figure; skip it without parsing (they are many) */
			if (indtag_lone_cn_digit(s, n, i, cp3(s + i))) {
				if (!indtag_small_count(s, n, i, b.line, b.clause))
					break;
				b.small_count = i;
			}
			if (num_starts((const char *)s + i, n - i)) {
				i = number_at(t, s, n, i, &b, &chars);
				continue;
			}
			break;
		default: {
			/* not a valid 3-byte character: validate it here, so
			 * the scan doubles as the UTF-8 check */
			uint32_t cp;
			int l = utf8_decode(s + i, n - i, &cp);

			if (l < 0) {
				st.valid = 0;
				i++;
			} else {
				i += (size_t)l;
			}
			chars++;
			continue;
		}
		}
		i += 3;
		chars++;
	}
	indtag_finish(t, s, n, &st);
	return st.emitted;
}
