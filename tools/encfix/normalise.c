/* normalise.c: the one pass over UTF-8 text that validates it (U+FFFD per
 * maximal invalid subpart, GB18030 fragments inside UTF-8 converted),
 * gathers the evidence of the later steps (rare characters, Latin-1 lead
 * bytes, script) and applies the EF_* steps: BOM, line ends, controls,
 * full-width forms, zero-width characters, blanks, --simplified; then the
 * blank-line step and the final newline (finish_lines()). */
#include "encfix-int.h"
#include "utf8.h"

#include <string.h>

/* The BMP character a GB18030 double-byte pair decodes to, 0 if none. */
static uint32_t
gb_pair(unsigned char a, unsigned char b)
{
	iconv_t cd = get_cd("UTF-8", "GB18030");
	unsigned char in[2] = {a, b}, outb[8];
	char *ip = (char *)in, *op = (char *)outb;
	size_t il = 2, ol = sizeof outb;
	uint32_t cp;

	if (cd == (iconv_t)-1)
		return 0;
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 ||
	    utf8_decode(outb, (size_t)(op - (char *)outb), &cp) <= 0 || cp >= 0x10000)
		return 0;
	return cp;
}

/* Length of the maximal invalid subpart at s (Unicode's "U+FFFD substitution
 * of maximal subparts"): the lead byte and the continuation bytes that could
 * still have been part of a valid sequence. */
static size_t
bad_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need, k;
	unsigned lo = 0x80, hi = 0xBF;

	if (c < 0xC2 || c > 0xF4)
		return 1;
	need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (c == 0xE0) lo = 0xA0;
	if (c == 0xED) hi = 0x9F;
	if (c == 0xF0) lo = 0x90;
	if (c == 0xF4) hi = 0x8F;
	for (k = 1; k < need && k < n; k++) {
		if (s[k] < lo || s[k] > hi)
			break;
		lo = 0x80, hi = 0xBF;
	}
	return k;
}

/* The state of one normalising pass. The steps below are separate functions
 * forced inline, so the fields stay in registers as locals would: the
 * output's char stores could otherwise alias them and force them to memory. */
typedef struct {
	Norm *x;
	const unsigned char *p, *s, *end;	/* input: start, cursor, end */
	Buf *out;
	char *ob;		/* out->s, refreshed by ensure() */
	size_t k;		/* output length */
	size_t lastns;		/* output length after the last non-blank */
	int atstart;		/* only blanks on this line so far */
	int indent, trailing, controls, fullwidth, zerowidth, eol, nbsp, simp;
	size_t n_mb, n_cjk, n_rare, n_script[4];
} Pass;

#define STEP static inline __attribute__((always_inline))

/* Room for the rest of the input plus one expansion. */
STEP void
ensure(Pass *w)
{
	if (w->out->cap - w->k < (size_t)(w->end - w->s) + 32) {
		w->out->len = w->k;
		buf_grow(w->out, (size_t)(w->end - w->s) + 64);
		w->ob = w->out->s;
	}
}

/* A three-byte character at src (code point cp), simplified when asked. */
STEP void
put_bmp(Pass *w, uint32_t cp, const unsigned char *src)
{
	if (w->simp && t2s_bmp[cp]) {
		char tmp[4];
		int len = utf8_encode(t2s_bmp[cp], tmp);

		ensure(w);
		memcpy(w->ob + w->k, tmp, (size_t)len);
		w->k += (size_t)len;
		w->x->st->simplified++;
	} else {
		memcpy(w->ob + w->k, src, 3);
		w->k += 3;
	}
}

/* A blank, dropped at the start of a line when indentation goes. */
STEP void
put_blank(Pass *w, char ch)
{
	if (!(w->atstart && w->indent))
		w->ob[w->k++] = ch;
}

STEP void
mark_text(Pass *w)
{
	w->lastns = w->k;
	w->atstart = 0;
}

/* Printable ASCII but space, eight bytes at a time. */
STEP void
copy_printable(Pass *w)
{
	for (;;) {
		uint64_t v;

		if (w->end - w->s >= 8) {
			memcpy(&v, w->s, 8);
			if (!(((v - 0x2121212121212121ULL) | v | (v + 0x0101010101010101ULL)) &
			      0x8080808080808080ULL)) {
				memcpy(w->ob + w->k, w->s, 8);
				w->k += 8;
				w->s += 8;
				continue;
			}
		}
		if (w->s < w->end && *w->s >= 0x21 && *w->s < 0x7F) {
			w->ob[w->k++] = (char)*w->s++;
			continue;
		}
		break;
	}
	mark_text(w);
}

/* Space, tab, line ends and the other controls below 0x80. */
STEP void
put_ascii_other(Pass *w, unsigned c)
{
	w->s++;
	if (c == ' ' || c == '\t') {
		put_blank(w, (char)c);
	} else if (c == '\n' || (c == '\r' && w->eol)) {
		if (c == '\r' && w->s < w->end && *w->s == '\n')
			return;	/* CRLF: the LF ends the line */
		if (w->trailing)
			w->k = w->lastns;
		w->ob[w->k++] = '\n';
		w->lastns = w->k;
		w->atstart = 1;
	} else if (w->controls && c != '\r') {
		w->x->st->controls++;
	} else {	/* a kept control, or CR when line ends are kept */
		w->ob[w->k++] = (char)c;
		mark_text(w);
	}
}

/* A valid three-byte character other than a CJK ideograph: U+3000,
 * full-width forms, zero-width characters, the rest copied. */
STEP void
put_three_other(Pass *w, uint32_t cp)
{
	EncfixStats *st = w->x->st;

	w->s += 3;
	if (cp == 0x3000) {
		if (w->fullwidth) {
			st->folded++;
			put_blank(w, ' ');
		} else if (!(w->atstart && w->indent)) {
			memcpy(w->ob + w->k, w->s - 3, 3);
			w->k += 3;
		}
		return;
	}
	if (w->fullwidth && cp >= 0xFF01 && cp <= 0xFF5E) {
		st->folded++;
		w->ob[w->k++] = (char)(cp - 0xFEE0);
	} else if (w->zerowidth && ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)) {
		st->zerowidth++;
		return;
	} else {
		if (cp >= 0xF900 && cp <= 0xFAFF)
			w->x->g.cjk++, w->x->g.rare++;
		put_bmp(w, cp, w->s - 3);
	}
	mark_text(w);
}

/* A valid two-byte character: C1 controls, NBSP, soft hyphen, Latin-1. */
STEP void
put_two(Pass *w, unsigned c)
{
	uint32_t cp = (c & 0x1F) << 6 | (w->s[1] & 0x3F);
	Gate *g = &w->x->g;

	g->mb++;
	w->s += 2;
	if (cp <= 0x9F) {
		g->c1++;
		if (w->controls) {
			w->x->st->controls++;
			return;
		}
	} else if (cp == 0xA0) {
		if (w->nbsp) {
			put_blank(w, ' ');
		} else if (!(w->atstart && w->indent)) {
			w->ob[w->k++] = (char)c;
			w->ob[w->k++] = (char)w->s[-1];
		}
		return;
	} else if (cp == 0xAD && w->zerowidth) {
		w->x->st->zerowidth++;
		return;
	} else if (cp >= 0xC0) {
		g->latin++;
	}
	w->ob[w->k++] = (char)c;
	w->ob[w->k++] = (char)w->s[-1];
	mark_text(w);
}

/* A valid four-byte character, simplified when asked. */
STEP void
put_four(Pass *w, unsigned c)
{
	const unsigned char *s = w->s;
	uint32_t cp = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		      (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	uint32_t m = w->simp ? t2s_map(cp) : cp;

	w->x->g.mb++;
	if (m != cp) {
		char tmp[4];
		int len = utf8_encode(m, tmp);

		ensure(w);
		memcpy(w->ob + w->k, tmp, (size_t)len);
		w->k += (size_t)len;
		w->x->st->simplified++;
	} else {
		memcpy(w->ob + w->k, s, 4);
		w->k += 4;
	}
	w->s += 4;
	mark_text(w);
}

/* The character of a GB18030 fragment at s (a pair that is not UTF-8 and
 * decodes to a common character or punctuation), 0 when it is none. */
uint32_t
gb_fragment(const unsigned char *s, size_t n)
{
	uint32_t cp;

	if (!(n >= 2 && s[0] >= 0x81 && s[0] <= 0xFE && s[1] >= 0x40 && s[1] != 0x7F &&
	      s[1] != 0xFF && bad_len(s, n) == 1))
		return 0;
	cp = gb_pair(s[0], s[1]);
	if (!cp || !(cls[cp] == CL_TOP || cls[cp] == CL_COMMON || (cls[cp] == CL_PUNCT && cp >= 0x2000)))
		return 0;
	return cp;
}

/* Not UTF-8. In UTF-8 input, a GB18030 fragment is converted (counted in
 * st->mixed). Returns 1 when it did. */
STEP int
put_gb_fragment(Pass *w)
{
	uint32_t cp = gb_fragment(w->s, (size_t)(w->end - w->s));
	int len;

	if (!cp)
		return 0;
	ensure(w);
	if (w->fullwidth && cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	else if (w->fullwidth && cp == 0x3000)
		cp = ' ';
	len = utf8_encode(w->simp && t2s_bmp[cp] ? t2s_bmp[cp] : cp, w->ob + w->k);
	w->k += (size_t)len;
	w->x->st->mixed++;
	w->s += 2;
	mark_text(w);
	return 1;
}

/* Invalid: one U+FFFD per maximal subpart. */
STEP void
put_invalid(Pass *w)
{
	size_t bl = bad_len(w->s, (size_t)(w->end - w->s));
	EncfixStats *st = w->x->st;

	if (w->x->track) {
		if (st->invalid++ == 0)
			st->first_invalid = w->x->base + (size_t)(w->s - w->p);
	}
	w->s += bl;
	ensure(w);
	memcpy(w->ob + w->k, "\xef\xbf\xbd", 3);
	w->k += 3;
	mark_text(w);
}

/* Evidence, normalisation and (--simplified) script conversion in one pass
 * over UTF-8 p[0..n) (invalid sequences allowed: they become U+FFFD). */
void
normalise(Norm *x, const unsigned char *p, size_t n)
{
	const unsigned steps = x->o->steps;
	Pass w = {
		.x = x, .p = p, .s = p, .end = p + n, .out = x->out, .atstart = 1,
		.indent = steps & EF_INDENT, .trailing = steps & EF_TRAILING,
		.controls = steps & EF_CONTROLS, .fullwidth = steps & EF_FULLWIDTH,
		.zerowidth = steps & EF_ZEROWIDTH, .eol = steps & EF_EOL, .nbsp = steps & EF_NBSP,
		.simp = x->o->simplified && t2s_bmp,
	};

	buf_grow(w.out, n + 32);
	w.ob = w.out->s;
	w.k = w.lastns = w.out->len;
	while (w.s < w.end) {
		const unsigned char *s = w.s;
		unsigned c = *s;

		if (c >= 0x21 && c < 0x7F) {
			copy_printable(&w);
		} else if (c < 0x80) {
			put_ascii_other(&w, c);
		} else if (c >= 0xE0 && c <= 0xEF && w.end - s >= 3 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
			   (c != 0xE0 || s[1] >= 0xA0) && (c != 0xED || s[1] < 0xA0)) {
			uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);

			w.n_mb++;
			if (cp >= 0x3400 && cp <= 0x9FFF) {
				/* counted without branches in locals */
				w.n_cjk++;
				w.n_rare += cls[cp] == CL_RARE;
				if (scr)
					w.n_script[scr[cp] & 3]++;
				put_bmp(&w, cp, s);
				mark_text(&w);
				w.s += 3;
			} else {
				put_three_other(&w, cp);
			}
		} else if (c >= 0xC2 && c <= 0xDF && w.end - s >= 2 && IS_CONT(s[1])) {
			put_two(&w, c);
		} else if (c >= 0xF0 && c <= 0xF4 && w.end - s >= 4 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
			   IS_CONT(s[3]) && (c != 0xF0 || s[1] >= 0x90) && (c != 0xF4 || s[1] < 0x90)) {
			put_four(&w, c);
		} else if (!(x->track && put_gb_fragment(&w))) {
			put_invalid(&w);
		}
	}
	if (w.trailing)
		w.k = w.lastns;
	w.out->len = w.k;
	w.out->s[w.k] = '\0';
	x->g.mb += w.n_mb;
	x->g.cjk += w.n_cjk;
	x->g.rare += w.n_rare;
	x->st->trad += w.n_script[1];
	x->st->simp += w.n_script[2];
}

/* Blank lines (EF_BLANK) and the final newline, on out[from..]. */
void
finish_lines(Buf *out, size_t from, unsigned steps)
{
	char *s = out->s + from;
	size_t n = out->len - from, i, j, runs = 0, bad = 0;

	if (steps & EF_BLANK) {
		/* no blank lines at the start or the end */
		for (i = 0; i < n && s[i] == '\n'; i++)
			;
		memmove(s, s + i, n - i);
		n -= i;
		while (n > 0 && s[n - 1] == '\n')
			n--;
		/* "blank line between every line" padding: every line break is
		 * exactly two newlines, in three lines or more */
		for (i = 0; i < n && !bad; i = j) {
			const char *nl = memchr(s + i, '\n', n - i);

			if (!nl)
				break;
			for (i = j = (size_t)(nl - s); j < n && s[j] == '\n'; j++)
				;
			runs++;
			if (j - i != 2)
				bad++;	/* not padding: no need to look further */
		}
		if (runs >= 2 && bad == 0) {
			for (i = j = 0; i < n; i++) {
				if (s[i] == '\n' && i + 1 < n && s[i + 1] == '\n')
					continue;
				s[j++] = s[i];
			}
			n = j;
		}
	}
	out->len = from + n;
	if (n > 0 && s[n - 1] != '\n')
		buf_addc(out, '\n');
	out->s[out->len] = '\0';
}
