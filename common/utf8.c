#include "utf8.h"

int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c;
	uint32_t v;
	int len, i;

	if (n == 0) {
		*cp = UTF8_REPLACEMENT;
		return -1;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4) {	/* continuation, overlong lead, or past U+10FFFF */
		*cp = UTF8_REPLACEMENT;
		return -1;
	}
	if (c < 0xE0) {
		len = 2;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		v = c & 0x0F;
	} else {
		len = 4;
		v = c & 0x07;
	}
	if ((size_t)len > n) {
		*cp = UTF8_REPLACEMENT;
		return -1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = UTF8_REPLACEMENT;
			return -1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = UTF8_REPLACEMENT;
		return -1;
	}
	*cp = v;
	return len;
}

int
utf8_encode(uint32_t cp, char *out)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		int len;

		/* Fast path over ASCII, eight bytes at a time. */
		while (i + 8 <= n) {
			uint64_t w;

			__builtin_memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/* Fast path for the three-byte sequences of Chinese text: after
		 * E1-EC and EE-EF any two continuation bytes are valid. */
		if (s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED && i + 3 <= n &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp);
		if (len < 0)
			return i;
		i += (size_t)len;
	}
	return n;
}

int
utf8_valid(const unsigned char *s, size_t n)
{
	return utf8_valid_prefix(s, n) == n;
}

size_t
utf8_count(const unsigned char *s, size_t n)
{
	size_t i = 0, count = 0;

	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);

		i += len < 0 ? 1 : (size_t)len;
		count++;
	}
	return count;
}

int
uc_is_cjk(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x20000 && cp <= 0x2EBEF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x30000 && cp <= 0x323AF) || cp == 0x3007;
}

int
uc_is_fullwidth_ascii(uint32_t cp)
{
	return cp >= 0xFF01 && cp <= 0xFF5E;
}

int
uc_is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

int
uc_is_cjk_punct(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	       (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0x2018 && cp <= 0x201F) ||
	       cp == 0x2026 || cp == 0x2014;
}

int
uc_is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	       cp == '\v' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x202F || cp == 0x205F;
}

int
uc_is_zero_width(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}
