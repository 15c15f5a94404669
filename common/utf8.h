/* utf8.h: UTF-8 decoding, encoding, validation and the character classes
 * the tools need (CJK ideographs, digits, full-width forms). */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFD

/* Decode one character from s (n bytes available). Stores the code point in
 * *cp and returns its length (1-4). On an invalid or truncated sequence
 * stores UTF8_REPLACEMENT and returns -1 (the caller skips one byte).
 * Overlong forms, surrogates and values past U+10FFFF are invalid. */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encode cp into out (at least 4 bytes); returns the length. */
int utf8_encode(uint32_t cp, char *out);

/* Length of the longest valid UTF-8 prefix of s. Equal to n when valid. */
size_t utf8_valid_prefix(const unsigned char *s, size_t n);
int utf8_valid(const unsigned char *s, size_t n);

/* Number of characters (code points; each invalid byte counts as one). */
size_t utf8_count(const unsigned char *s, size_t n);

/* Character classes. */
int uc_is_cjk(uint32_t cp);		/* CJK unified ideographs, ext. A-F, compat */
int uc_is_fullwidth_ascii(uint32_t cp);	/* U+FF01..U+FF5E */
int uc_is_digit(uint32_t cp);		/* ASCII 0-9 */
int uc_is_cjk_punct(uint32_t cp);	/* U+3000..U+303F and full-width punct */
int uc_is_space(uint32_t cp);		/* ASCII blanks, NBSP, U+3000, U+2000-200A */
int uc_is_zero_width(uint32_t cp);	/* U+200B-200D, U+2060, U+FEFF, U+00AD */

#endif
