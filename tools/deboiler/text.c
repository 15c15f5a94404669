/* text.c: character and string helpers the core's passes share: code
 * points of UTF-8 text, blanks, Chinese numerals, substring tests, the
 * character count, and the normalised forms of a line (ASCII digits,
 * title blanks squeezed, the --learn table's key). */
#include "deboiler_int.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

uint32_t
cp_at(const char *s, size_t n, size_t i, int *len)
{
	uint32_t cp;
	int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);

	*len = l < 0 ? 1 : l;
	return cp;
}

/* Last code point of s[0..n) (U+FFFD when invalid, 0 when empty). */
uint32_t
last_cp(const char *s, size_t n)
{
	size_t i = n;
	uint32_t cp;

	if (n == 0)
		return 0;
	while (i > 0 && n - i < 4) {
		i--;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			break;
	}
	if (utf8_decode((const unsigned char *)s + i, n - i, &cp) < 0)
		return UTF8_REPLACEMENT;
	return cp;
}

int
is_blank_cp(uint32_t cp)
{
	return uc_is_space(cp) || uc_is_zero_width(cp);
}

int
is_cn_numeral(uint32_t cp)
{
	return cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E09 || cp == 0x56DB || cp == 0x4E94 ||
	       cp == 0x516D || cp == 0x4E03 || cp == 0x516B || cp == 0x4E5D || cp == 0x5341 ||
	       cp == 0x3007 || cp == 0x96F6;	/* 一二三四五六七八九十〇零 */
}

int
has_str(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Characters of valid UTF-8: the bytes that are not continuation bytes
 * (10xxxxxx), counted eight at a time. */
size_t
nchars(const char *s, size_t n)
{
	size_t i = 0, cont = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		w = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;	/* 1 per continuation byte */
		cont += (size_t)((w * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - cont;
}

/* Full-width digits and date separators as ASCII (０-９ － ／ ．). */
void
ascii_fold(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (cp >= 0xFF10 && cp <= 0xFF19)
			buf_addc(out, (int)('0' + (cp - 0xFF10)));
		else if (cp == 0xFF0D || cp == 0xFF0F || cp == 0xFF0E)
			buf_addc(out, (int)(cp - 0xFEE0));
		else
			buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

/* Remove blanks between two non-ASCII characters ("委员会 第五次" ->
 * "委员会第五次"), keep others. */
void
normalize_title(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;
	uint32_t prev = 0;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (is_blank_cp(cp)) {
			size_t j = i + (size_t)l;
			uint32_t nx = 0;
			int l2;

			while (j < n && (nx = cp_at(s, n, j, &l2), is_blank_cp(nx)))
				j += (size_t)l2;
			if (!(prev >= 0x80 && j < n && nx >= 0x80))
				buf_addc(out, ' ');
			i = j;
			prev = ' ';
			continue;
		}
		buf_add(out, s + i, (size_t)l);
		prev = cp;
		i += (size_t)l;
	}
}

/* Blanks removed, for comparing title repeats. */
void
squeeze(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (!is_blank_cp(cp))
			buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

void
db_normalize_line(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l, indigit = 0;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (uc_is_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19)) {
			if (!indigit)
				buf_addc(out, '0');
			indigit = 1;
		} else {
			indigit = 0;
			if (!is_blank_cp(cp))
				buf_add(out, s + i, (size_t)l);
		}
		i += (size_t)l;
	}
}
