/* detect.c: the language model that tells GB18030 from Big5 (and UTF-8
 * with errors, UTF-16 without BOM). Owns the character classes (hanzi-top.h,
 * then the "frequently used" blocks of GB2312 and Big5; invalid sequences,
 * private use, kana, box drawing cost points), the scoring of a decoded
 * sample, and the choice among candidates with its confidence. */
#include "encfix-int.h"
#include "err.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hanzi-top.h"

/* Points per class, in half points. */
static const int cl_points[] = {0, 6, 2, -3, 1, -6};
#define PTS_INVALID (-16)

uint8_t *cls;

static void
set_range(uint32_t lo, uint32_t hi, int c)
{
	for (uint32_t i = lo; i <= hi; i++)
		cls[i] = (uint8_t)c;
}

/* Mark as common every character the given double-byte range decodes to. */
static void
mark_common(const char *enc, int lead_lo, int lead_hi, int trail_lo1, int trail_hi1,
	    int trail_lo2, int trail_hi2)
{
	iconv_t cd = iconv_open("UTF-8", enc);

	if (cd == (iconv_t)-1)
		return;
	for (int a = lead_lo; a <= lead_hi; a++) {
		for (int b = trail_lo1; b <= trail_hi2; b++) {
			unsigned char in[2] = {(unsigned char)a, (unsigned char)b};
			unsigned char outb[8];
			char *ip = (char *)in, *op = (char *)outb;
			size_t il = 2, ol = sizeof outb;
			uint32_t cp;

			if (b > trail_hi1 && b < trail_lo2)
				continue;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0)
				continue;
			if (utf8_decode(outb, (size_t)(op - (char *)outb), &cp) > 0 && cp < 0x10000 &&
			    cls[cp] == CL_RARE)
				cls[cp] = CL_COMMON;
		}
	}
	iconv_close(cd);
}

void
init_classes(void)
{
	size_t i;

	if (cls)
		return;
	cls = xcalloc(65536, 1);
	set_range(0x00, 0x1F, CL_BAD);
	cls['\t'] = cls['\n'] = cls['\r'] = CL_NEUTRAL;
	set_range(0x7F, 0x9F, CL_BAD);
	set_range(0xA0, 0xBF, CL_PUNCT);
	set_range(0xC0, 0x24F, CL_BAD);		/* Latin letters: mojibake, not Chinese */
	cls[0xD7] = cls[0xF7] = CL_PUNCT;	/* × ÷ */
	set_range(0x370, 0x52F, CL_BAD);	/* Greek, Cyrillic */
	set_range(0x1100, 0x11FF, CL_BAD);	/* Hangul jamo */
	set_range(0x2010, 0x206F, CL_PUNCT);
	set_range(0x2100, 0x21FF, CL_PUNCT);	/* letterlike, numbers, arrows */
	set_range(0x2460, 0x24FF, CL_PUNCT);	/* ① ⑴ ⒈ */
	set_range(0x2500, 0x259F, CL_BAD);	/* box drawing, blocks */
	set_range(0x25A0, 0x26FF, CL_PUNCT);	/* ■ □ ▲ ● ★ */
	set_range(0x3000, 0x303F, CL_PUNCT);
	set_range(0x3040, 0x31BF, CL_BAD);	/* kana, bopomofo, Hangul compat */
	set_range(0x3400, 0x4DBF, CL_RARE);
	set_range(0x4E00, 0x9FFF, CL_RARE);
	set_range(0xA000, 0xD7FF, CL_BAD);	/* Yi, Hangul syllables, ... */
	set_range(0xE000, 0xF8FF, CL_BAD);	/* private use: unmapped vendor codes */
	set_range(0xF900, 0xFAFF, CL_RARE);
	set_range(0xFE30, 0xFE4F, CL_PUNCT);
	set_range(0xFF01, 0xFF5E, CL_PUNCT);
	set_range(0xFF61, 0xFF9F, CL_BAD);	/* half-width katakana */
	set_range(0xFFE0, 0xFFE6, CL_PUNCT);
	cls[0xFFFD] = CL_BAD;
	/* GB2312 level 1 (B0A1-D7F9) and Big5 frequently used (A440-C67E). */
	mark_common("GB18030", 0xB0, 0xD7, 0xA1, 0xFE, 0xA1, 0xFE);
	mark_common("BIG5", 0xA4, 0xC6, 0x40, 0x7E, 0xA1, 0xFE);
	for (i = 0; i < sizeof hanzi_top / sizeof hanzi_top[0]; i++)
		cls[hanzi_top[i]] = CL_TOP;
	for (i = 0; i < sizeof hanzi_top_trad / sizeof hanzi_top_trad[0]; i++)
		cls[hanzi_top_trad[i]] = CL_TOP;
}

static int
cls_of(uint32_t cp)
{
	if (cp < 0x10000)
		return cls[cp];
	if ((cp >= 0x20000 && cp <= 0x3FFFF))
		return CL_RARE;
	return CL_BAD;
}

void
free_classes(void)
{
	free(cls);
	cls = NULL;
}

/* Points of a UTF-8 text (with U+FFFD for what did not decode), and how
 * many characters past ASCII it has. */
long
score_text(const unsigned char *s, size_t n, size_t *nonascii)
{
	long pts = 0;
	size_t i = 0, na = 0;

	while (i < n) {
		uint32_t cp;
		int len;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
				pts += cl_points[CL_BAD];
			i++;
			continue;
		}
		na++;
		if (s[i] >= 0xE1 && s[i] <= 0xEC && i + 2 < n && IS_CONT(s[i + 1]) && IS_CONT(s[i + 2])) {
			cp = (s[i] & 0x0Fu) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
			pts += cl_points[cls[cp]];
			i += 3;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len < 0) {
			pts += PTS_INVALID;
			i++;
			continue;
		}
		pts += cp == 0xFFFD ? PTS_INVALID : cl_points[cls_of(cp)];
		i += (size_t)len;
	}
	if (nonascii)
		*nonascii = na;
	return pts;
}

/* Points of the sample decoded as UTF-16 (1 for text without a character
 * past ASCII). */
long
utf16_points(const unsigned char *p, size_t n, int be)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX, na;
	Buf b = BUF_INIT;
	Inv v = {0, 0};
	long pts;

	utf16_decode(p, m, be, &b, &v, 0, m < n ? D_CUT : 0);
	pts = score_text((unsigned char *)b.s, b.len, &na) + (long)v.invalid * PTS_INVALID;
	buf_free(&b);
	return na == 0 && v.invalid == 0 ? 1 : pts;
}

int
utf16_plausible(const unsigned char *p, size_t n, int be)
{
	return utf16_points(p, n, be) > 0;
}

/* Does a GB18030 byte stream use four-byte sequences (beyond GBK)? */
int
gb_has_4byte(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (p[i] < 0x81 || p[i] == 0xFF) {
			i++;
		} else if (i + 3 < n && p[i + 1] >= 0x30 && p[i + 1] <= 0x39 && p[i + 2] >= 0x81 &&
			   p[i + 2] <= 0xFE && p[i + 3] >= 0x30 && p[i + 3] <= 0x39) {
			return 1;
		} else {
			i += 2;
		}
	}
	return 0;
}

static double
margin_confidence(long best, long second)
{
	double m = (double)(best - second);
	double c = 1.0 - 0.5 * exp(-m / 12.0);

	return c < 0.5 ? 0.5 : c > 0.99 ? 0.99 : c;
}

static void
score_cand(Cand *c, const unsigned char *p, size_t n, int meta_fam)
{
	size_t m = n < SAMPLE_MAX ? n : SAMPLE_MAX;

	buf_clear(&c->dec);
	c->v = (Inv){0, 0};
	decode_as(c, p, m, &c->dec, &c->v, 0, D_SCORING | (m < n ? D_CUT : 0));
	if (!c->dec.s)
		buf_grow(&c->dec, 1);
	c->score = score_text((unsigned char *)c->dec.s, c->dec.len, &c->nonascii);
	c->invalid = c->v.invalid;
	c->whole = m == n && c->v.invalid == 0 && c->fam != F_UTF8;
	c->score += (long)c->v.invalid * PTS_INVALID;
	if (meta_fam && c->fam == meta_fam) {
		long bonus = (long)c->nonascii / 4;

		c->score += bonus < 8 ? 8 : bonus;
	}
}

/* Choose among the candidates by the model (meta: the declared family gets a
 * bonus). The first nfirst are scored first; the others only when none of
 * those decodes cleanly into plausible text. Returns the winner's index. */
int
choose(Cand *c, int nc, int nfirst, const unsigned char *p, size_t n, int meta_fam, EncfixStats *st)
{
	int best = 0, second = -1, scored = nfirst, i;

	for (i = 0; i < nfirst; i++)
		score_cand(&c[i], p, n, meta_fam);
	for (i = 1; i < nfirst; i++)
		if (c[i].score > c[best].score)
			best = i;
	if (c[best].invalid || c[best].score < 2 * (long)c[best].nonascii) {
		for (i = nfirst; i < nc; i++)
			score_cand(&c[i], p, n, meta_fam);
		scored = nc;
	}
	for (i = 1; i < scored; i++)
		if (c[i].score > c[best].score)
			best = i;
	/* A decoding with errors or implausible text does not win over UTF-8
	 * (with U+FFFD and fragments): UTF-8 is the default for what no
	 * encoding explains. */
	if (c[best].fam != F_UTF8 && (c[best].invalid * 20 > c[best].nonascii ||
				      c[best].score < (long)c[best].nonascii)) {
		for (i = 0; i < scored; i++)
			if (c[i].fam == F_UTF8)
				best = i;
	}
	for (i = 0; i < scored; i++)
		if (i != best && (second < 0 || c[i].score > c[second].score))
			second = i;
	st->confidence = second < 0 ? 0.9 : margin_confidence(c[best].score, c[second].score);
	if (c[best].nonascii && c[best].invalid)
		st->confidence *= 1.0 - (double)c[best].invalid / (double)c[best].nonascii;
	if (c[best].score <= 0 && st->confidence > 0.5)
		st->confidence = 0.5;
	return best;
}
