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

/* Evidence, normalisation and (--simplified) script conversion in one pass
 * over UTF-8 p[0..n) (invalid sequences allowed: they become U+FFFD). */
void
normalise(Norm *x, const unsigned char *p, size_t n)
{
	const unsigned steps = x->o->steps;
	const int indent = steps & EF_INDENT, trailing = steps & EF_TRAILING;
	const int controls = steps & EF_CONTROLS, fullwidth = steps & EF_FULLWIDTH;
	const int zerowidth = steps & EF_ZEROWIDTH, eol = steps & EF_EOL, nbsp = steps & EF_NBSP;
	const int simp = x->o->simplified && t2s_bmp;
	const unsigned char *s = p, *end = p + n;
	Buf *out = x->out;
	EncfixStats *st = x->st;
	Gate *g = &x->g;
	char *ob;
	size_t k, lastns;
	size_t n_mb = 0, n_cjk = 0, n_rare = 0, n_script[4] = {0, 0, 0, 0};
	int atstart = 1;

	buf_grow(out, n + 32);
	ob = out->s;
	k = lastns = out->len;

/* Room for the rest of the input plus one expansion. */
#define ENSURE() do { \
	if (out->cap - k < (size_t)(end - s) + 32) { \
		out->len = k; \
		buf_grow(out, (size_t)(end - s) + 64); \
		ob = out->s; \
	} \
} while (0)
/* A three-byte character at src (code point cp), simplified when asked. */
#define PUT_BMP(cp, src) do { \
	if (simp && t2s_bmp[cp]) { \
		char tmp_[4]; \
		int len_ = utf8_encode(t2s_bmp[cp], tmp_); \
		ENSURE(); \
		memcpy(ob + k, tmp_, (size_t)len_); \
		k += (size_t)len_; \
		st->simplified++; \
	} else { \
		memcpy(ob + k, (src), 3); \
		k += 3; \
	} \
} while (0)
#define PUT_BLANK(ch) do { \
	if (!(atstart && indent)) \
		ob[k++] = (ch); \
} while (0)

	while (s < end) {
		unsigned c = *s;

		if (c >= 0x21 && c < 0x7F) {
			/* printable ASCII but space, eight bytes at a time */
			for (;;) {
				uint64_t w;

				if (end - s >= 8) {
					memcpy(&w, s, 8);
					if (!(((w - 0x2121212121212121ULL) | w | (w + 0x0101010101010101ULL)) &
					      0x8080808080808080ULL)) {
						memcpy(ob + k, s, 8);
						k += 8;
						s += 8;
						continue;
					}
				}
				if (s < end && *s >= 0x21 && *s < 0x7F) {
					ob[k++] = (char)*s++;
					continue;
				}
				break;
			}
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c < 0x80) {
			s++;
			if (c == ' ' || c == '\t') {
				PUT_BLANK((char)c);
			} else if (c == '\n' || (c == '\r' && eol)) {
				if (c == '\r' && s < end && *s == '\n')
					continue;	/* CRLF: the LF ends the line */
				if (trailing)
					k = lastns;
				ob[k++] = '\n';
				lastns = k;
				atstart = 1;
			} else if (controls && c != '\r') {
				st->controls++;
			} else {	/* a kept control, or CR when line ends are kept */
				ob[k++] = (char)c;
				lastns = k;
				atstart = 0;
			}
			continue;
		}
		/* multi-byte */
		if (c >= 0xE0 && c <= 0xEF && end - s >= 3 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
		    (c != 0xE0 || s[1] >= 0xA0) && (c != 0xED || s[1] < 0xA0)) {
			uint32_t cp = (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);

			n_mb++;
			if (cp >= 0x3400 && cp <= 0x9FFF) {
				/* counted without branches in locals (the output's
				 * char stores would otherwise force them to memory) */
				n_cjk++;
				n_rare += cls[cp] == CL_RARE;
				if (scr)
					n_script[scr[cp] & 3]++;
				PUT_BMP(cp, s);
				lastns = k;
				atstart = 0;
				s += 3;
				continue;
			}
			s += 3;
			if (cp == 0x3000) {
				if (fullwidth) {
					st->folded++;
					PUT_BLANK(' ');
				} else if (!(atstart && indent)) {
					memcpy(ob + k, s - 3, 3);
					k += 3;
				}
				continue;
			}
			if (fullwidth && cp >= 0xFF01 && cp <= 0xFF5E) {
				st->folded++;
				ob[k++] = (char)(cp - 0xFEE0);
			} else if (zerowidth && ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)) {
				st->zerowidth++;
				continue;
			} else {
				if (cp >= 0xF900 && cp <= 0xFAFF)
					g->cjk++, g->rare++;
				PUT_BMP(cp, s - 3);
			}
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF && end - s >= 2 && IS_CONT(s[1])) {
			uint32_t cp = (c & 0x1F) << 6 | (s[1] & 0x3F);

			g->mb++;
			s += 2;
			if (cp <= 0x9F) {
				g->c1++;
				if (controls) {
					st->controls++;
					continue;
				}
			} else if (cp == 0xA0) {
				if (nbsp) {
					PUT_BLANK(' ');
				} else if (!(atstart && indent)) {
					ob[k++] = (char)c;
					ob[k++] = (char)s[-1];
				}
				continue;
			} else if (cp == 0xAD && zerowidth) {
				st->zerowidth++;
				continue;
			} else if (cp >= 0xC0) {
				g->latin++;
			}
			ob[k++] = (char)c;
			ob[k++] = (char)s[-1];
			lastns = k;
			atstart = 0;
			continue;
		}
		if (c >= 0xF0 && c <= 0xF4 && end - s >= 4 && IS_CONT(s[1]) && IS_CONT(s[2]) &&
		    IS_CONT(s[3]) && (c != 0xF0 || s[1] >= 0x90) && (c != 0xF4 || s[1] < 0x90)) {
			uint32_t cp = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
				      (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
			uint32_t m = simp ? t2s_map(cp) : cp;

			g->mb++;
			if (m != cp) {
				char tmp[4];
				int len = utf8_encode(m, tmp);

				ENSURE();
				memcpy(ob + k, tmp, (size_t)len);
				k += (size_t)len;
				st->simplified++;
			} else {
				memcpy(ob + k, s, 4);
				k += 4;
			}
			s += 4;
			lastns = k;
			atstart = 0;
			continue;
		}
		/* Not UTF-8. In UTF-8 input, a GB18030 pair that decodes to a
		 * common character is a fragment in the other encoding: convert
		 * it (counted in st->mixed). */
		if (x->track && end - s >= 2 && c >= 0x81 && c <= 0xFE && s[1] >= 0x40 && s[1] != 0x7F &&
		    s[1] != 0xFF && bad_len(s, (size_t)(end - s)) == 1) {
			uint32_t cp = gb_pair(s[0], s[1]);

			if (cp && (cls[cp] == CL_TOP || cls[cp] == CL_COMMON || (cls[cp] == CL_PUNCT && cp >= 0x2000))) {
				int len;

				ENSURE();
				if (fullwidth && cp >= 0xFF01 && cp <= 0xFF5E)
					cp -= 0xFEE0;
				else if (fullwidth && cp == 0x3000)
					cp = ' ';
				len = utf8_encode(simp && t2s_bmp[cp] ? t2s_bmp[cp] : cp, ob + k);
				k += (size_t)len;
				st->mixed++;
				s += 2;
				lastns = k;
				atstart = 0;
				continue;
			}
		}
		/* invalid: one U+FFFD per maximal subpart */
		{
			size_t bl = bad_len(s, (size_t)(end - s));

			if (x->track) {
				if (st->invalid++ == 0)
					st->first_invalid = x->base + (size_t)(s - p);
			}
			s += bl;
			ENSURE();
			memcpy(ob + k, "\xef\xbf\xbd", 3);
			k += 3;
			lastns = k;
			atstart = 0;
		}
	}
	if (trailing)
		k = lastns;
	out->len = k;
	out->s[k] = '\0';
	g->mb += n_mb;
	g->cjk += n_cjk;
	g->rare += n_rare;
	st->trad += n_script[1];
	st->simp += n_script[2];
#undef ENSURE
#undef PUT_BMP
#undef PUT_BLANK
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
