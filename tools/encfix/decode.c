/* decode.c: bytes in a known encoding to UTF-8. Owns the iconv descriptor
 * cache and the decoders (iconv with a fallback decoder and counted U+FFFD,
 * UTF-16, UTF-32); decode_as() picks the decoder of a candidate. Every
 * invalid or unmappable sequence becomes one U+FFFD, counted in an Inv. */
#include "encfix-int.h"
#include "utf8.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* iconv descriptors stay open for the process: opening one loads a gconv
 * module, which costs more than converting a page. */
static struct {
	char to[48], from[48];
	iconv_t cd;
} cds[16];
static int ncds;

iconv_t
get_cd(const char *to, const char *from)
{
	iconv_t cd;
	int i;

	for (i = 0; i < ncds; i++)
		if (!strcmp(cds[i].to, to) && !strcmp(cds[i].from, from))
			return cds[i].cd;
	cd = iconv_open(to, from);
	if (cd != (iconv_t)-1 && ncds < (int)(sizeof cds / sizeof cds[0]) &&
	    strlen(to) < sizeof cds[0].to && strlen(from) < sizeof cds[0].from) {
		snprintf(cds[ncds].to, sizeof cds[0].to, "%s", to);
		snprintf(cds[ncds].from, sizeof cds[0].from, "%s", from);
		cds[ncds++].cd = cd;
	}
	return cd;
}

/* Release a descriptor get_cd() did not keep. */
void
put_cd(iconv_t cd)
{
	for (int i = 0; i < ncds; i++)
		if (cds[i].cd == cd)
			return;
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

/* Close the descriptors get_cd() kept (encfix_cleanup()). */
void
close_cds(void)
{
	for (int i = 0; i < ncds; i++)
		iconv_close(cds[i].cd);
	ncds = 0;
}

void
inv_add(Inv *v, size_t off)
{
	if (v->invalid++ == 0)
		v->first = off;
}

void
put_fffd(Buf *b)
{
	buf_add(b, "\xef\xbf\xbd", 3);
}

/* Decode p[0..n) with iconv (cd: to UTF-8) into out. Every invalid or
 * unmappable sequence becomes U+FFFD and is counted in v (offsets + base).
 * sampling: an incomplete sequence at the end is not counted (the sample
 * cut it). alt: a second decoder tried on a pair the first cannot map. */
static void
iconv_decode(iconv_t cd, iconv_t alt, const unsigned char *p, size_t n, Buf *out, Inv *v,
	     size_t base, int sampling)
{
	char *ip = (char *)p;
	size_t il = n;

	iconv(cd, NULL, NULL, NULL, NULL);
	buf_grow(out, n + n / 2 + 16);
	while (il > 0) {
		char *op = out->s + out->len;
		size_t ol = out->cap - out->len - 1;
		size_t r = iconv(cd, &ip, &il, &op, &ol);

		out->len = (size_t)(op - out->s);
		out->s[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			buf_grow(out, il + il / 2 + 64);
			continue;
		}
		const unsigned char *u = (const unsigned char *)ip;
		size_t off = base + (size_t)(u - p), skip = 1;

		if (errno == EINVAL) {	/* incomplete sequence at the end */
			if (!(sampling & D_CUT)) {
				inv_add(v, off);
				put_fffd(out);
			}
			break;
		}
		/* EILSEQ: a lead byte followed by a plausible trail byte is taken
		 * as one unmappable pair (one U+FFFD); otherwise one byte, so an
		 * ASCII character after a stray lead byte survives. */
		if (u[0] >= 0x81 && il >= 2 && u[1] >= 0x40 && u[1] != 0x7F && u[1] != 0xFF)
			skip = 2;
		if ((sampling & D_SCORING) && v->invalid >= SCORE_MAX_INVALID) {
			inv_add(v, off);
			break;
		}
		if (alt != (iconv_t)-1 && skip == 2) {
			char *aip = ip, tmp[16], *aop = tmp;
			size_t ail = 2, aol = sizeof tmp;

			iconv(alt, NULL, NULL, NULL, NULL);
			if (iconv(alt, &aip, &ail, &aop, &aol) != (size_t)-1 && ail == 0) {
				buf_add(out, tmp, (size_t)(aop - tmp));
				ip += 2;
				il -= 2;
				continue;
			}
		}
		inv_add(v, off);
		put_fffd(out);
		ip += skip;
		il -= skip;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (!(sampling & D_CUT)) {
		char *op, tail[16];
		size_t ol = sizeof tail;

		op = tail;
		iconv(cd, NULL, NULL, &op, &ol);
		buf_add(out, tail, (size_t)(op - tail));
	}
}

static void
put_cp(Buf *b, uint32_t cp)
{
	char tmp[4];

	buf_add(b, tmp, (size_t)utf8_encode(cp, tmp));
}

/* UTF-16 (be: big-endian) to UTF-8; lone surrogates and an odd last byte
 * become U+FFFD. */
void
utf16_decode(const unsigned char *p, size_t n, int be, Buf *out, Inv *v, size_t base, int sampling)
{
	size_t i;

	buf_grow(out, n + n / 2 + 16);
	for (i = 0; i + 1 < n; i += 2) {
		uint32_t u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];

		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			uint32_t w = be ? (uint32_t)p[i + 2] << 8 | p[i + 3] : (uint32_t)p[i + 3] << 8 | p[i + 2];

			if (w >= 0xDC00 && w <= 0xDFFF) {
				put_cp(out, 0x10000 + ((u - 0xD800) << 10) + (w - 0xDC00));
				i += 2;
				continue;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			if ((sampling & D_CUT) && i + 3 >= n)
				break;
			inv_add(v, base + i);
			put_fffd(out);
			continue;
		}
		if (u < 0x80)
			buf_addc(out, (int)u);
		else
			put_cp(out, u);
	}
	if (i < n && !(sampling & D_CUT)) {
		inv_add(v, base + i);
		put_fffd(out);
	}
}

static void
utf32_decode(const unsigned char *p, size_t n, int be, Buf *out, Inv *v, size_t base, int sampling)
{
	size_t i;

	buf_grow(out, n + 16);
	for (i = 0; i + 3 < n; i += 4) {
		uint32_t u = be ? (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3]
				: (uint32_t)p[i + 3] << 24 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 1] << 8 | p[i];

		if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
			inv_add(v, base + i);
			put_fffd(out);
		} else {
			put_cp(out, u);
		}
	}
	if (i < n && !(sampling & D_CUT)) {
		inv_add(v, base + i);
		put_fffd(out);
	}
}

void
decode_as(const Cand *c, const unsigned char *p, size_t n, Buf *out, Inv *v, size_t base,
	  int sampling)
{
	switch (c->fam) {
	case F_UTF16LE:
	case F_UTF16BE:
		utf16_decode(p, n, c->fam == F_UTF16BE, out, v, base, sampling);
		return;
	case F_UTF32LE:
	case F_UTF32BE:
		utf32_decode(p, n, c->fam == F_UTF32BE, out, v, base, sampling);
		return;
	case F_UTF8: {
		/* only used for scoring: invalid bytes are scored as they are */
		buf_add(out, p, n);
		return;
	}
	default: {
		iconv_t cd = get_cd("UTF-8", c->name);
		iconv_t alt = c->fam == F_BIG5 && !(sampling & D_SCORING) ? get_cd("UTF-8", "BIG5-HKSCS")
									   : (iconv_t)-1;

		if (cd == (iconv_t)-1) {
			inv_add(v, base);
			put_fffd(out);
			return;
		}
		iconv_decode(cd, alt, p, n, out, v, base, sampling);
		put_cd(cd);
		put_cd(alt);
	}
	}
}
