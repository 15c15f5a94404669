/* mojibake.c: repair of UTF-8 text that was once read as Latin-1/
 * Windows-1252 or as GBK and saved again as UTF-8. A run of non-ASCII
 * characters is mapped back to the bytes it came from; the repair is kept
 * only when those bytes are valid UTF-8 that scores clearly better. */
#include "encfix-int.h"
#include "utf8.h"

#include <string.h>

/* Windows-1252 characters 0x80-0x9F (0 where undefined). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
	0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int
latin_byte(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0xFF)
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252[i] && cp1252[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Length of the longest prefix of s that is complete, valid UTF-8, and
 * whether the rest is only an unfinished sequence. */
static size_t
utf8_ok_prefix(const unsigned char *s, size_t n, int *partial_tail)
{
	size_t v = utf8_valid_prefix(s, n);

	*partial_tail = 0;
	if (v < n && n - v < 4 && s[v] >= 0xC2 && s[v] <= 0xF4) {
		size_t need = s[v] < 0xE0 ? 2 : s[v] < 0xF0 ? 3 : 4, k;

		for (k = 1; k < n - v; k++)
			if ((s[v + k] & 0xC0) != 0x80)
				break;
		if (k == n - v && n - v < need)
			*partial_tail = 1;
	}
	return v;
}

static int
ends_fffd(const Buf *b)
{
	return b->len >= 3 && memcmp(b->s + b->len - 3, "\xef\xbf\xbd", 3) == 0;
}

/* Try to undo one run of non-ASCII characters r[0..n) that may be UTF-8
 * bytes read as Latin-1/Windows-1252 or as GBK. Appends the repair to dst and
 * returns 1 (2 when the repair ended in U+FFFD for a character cut short),
 * or returns 0 (nothing appended).
 *
 * A GBK decoder that met a byte it could not pair (a UTF-8 lead byte before
 * an ASCII character) put U+FFFD there and lost that byte: the run after it
 * starts inside a UTF-8 character (up to three continuation bytes, dropped
 * here: the U+FFFD before stands for them), and the run before it ends with
 * an unfinished character (one U+FFFD for both). */
static int
repair_run(const unsigned char *r, size_t n, int try_latin, int try_gbk, iconv_t to_gb, Buf *dst)
{
	Buf bytes = BUF_INIT;
	int ok = 0, partial;
	size_t i, v;

	if (try_latin) {
		for (i = 0; i < n;) {
			uint32_t cp;
			int len = utf8_decode(r + i, n - i, &cp), b;

			if (len < 0 || (b = latin_byte(cp)) < 0)
				break;
			buf_addc(&bytes, b);
			i += (size_t)len;
		}
		if (i == n && bytes.len >= 2 && utf8_valid((unsigned char *)bytes.s, bytes.len) &&
		    utf8_count((unsigned char *)bytes.s, bytes.len) < bytes.len) {
			buf_add(dst, bytes.s, bytes.len);
			ok = 1;
		}
	}
	if (!ok && try_gbk && to_gb != (iconv_t)-1) {
		char *ip = (char *)r, *op;
		size_t il = n, ol;

		buf_clear(&bytes);
		buf_grow(&bytes, 4 * n + 8);
		op = bytes.s;
		ol = bytes.cap - 1;
		iconv(to_gb, NULL, NULL, NULL, NULL);
		if (iconv(to_gb, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
			const unsigned char *b = (unsigned char *)bytes.s;
			size_t lead = 0;

			bytes.len = (size_t)(op - bytes.s);
			while (lead < 3 && lead < bytes.len && IS_CONT(b[lead]))
				lead++;
			v = utf8_ok_prefix(b + lead, bytes.len - lead, &partial);
			if (v > 0 && (lead + v == bytes.len || partial)) {
				size_t na_old, na_new;
				long old = score_text(r, n, &na_old);
				long new = score_text(b + lead, v, &na_new);

				/* Clearly better: at least two characters, mostly
				 * common ones, and well above what was there. */
				if ((na_new >= 2 || (na_new == 1 && na_old >= 2 && (lead || partial))) &&
				    new >= (long)na_new * 3 && new > old + 4) {
					if (lead && !ends_fffd(dst))
						put_fffd(dst);
					buf_add(dst, b + lead, v);
					ok = 1;
					if (lead + v < bytes.len) {
						put_fffd(dst);
						ok = 2;
					}
				}
			}
		}
	}
	buf_free(&bytes);
	return ok;
}

/* Copy p[0..n) to dst with every repairable run repaired; returns how many. */
size_t
repair_mojibake(const unsigned char *p, size_t n, int try_latin, int try_gbk, Buf *dst)
{
	iconv_t to_gb = try_gbk ? get_cd("GB18030", "UTF-8") : (iconv_t)-1;
	size_t i = 0, fixed = 0;

	buf_grow(dst, n + 16);
	while (i < n) {
		size_t j = i;
		uint32_t cp;
		int len;

		if (p[i] < 0x80) {
			buf_addc(dst, p[i]);
			i++;
			continue;
		}
		/* a run of valid non-ASCII characters other than U+FFFD */
		while (j < n && p[j] >= 0x80 && (len = utf8_decode(p + j, n - j, &cp)) > 0 && cp != 0xFFFD)
			j += (size_t)len;
		if (j == i) {	/* an invalid byte or U+FFFD: copy it */
			len = utf8_decode(p + i, n - i, &cp);
			len = len < 0 ? 1 : len;
			buf_add(dst, p + i, (size_t)len);
			i += (size_t)len;
			continue;
		}
		if (j - i >= 4 && (len = repair_run(p + i, j - i, try_latin, try_gbk, to_gb, dst)) > 0) {
			fixed++;
			/* the U+FFFD the decoder left for the lost byte */
			if (len == 2 && j + 3 <= n && memcmp(p + j, "\xef\xbf\xbd", 3) == 0)
				j += 3;
		} else {
			buf_add(dst, p + i, j - i);
		}
		i = j;
	}
	put_cd(to_gb);
	return fixed;
}
