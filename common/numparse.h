/* numparse.h: numbers as Chinese government reports write them.
 *
 * Parses, at a given position of UTF-8 text, Arabic numbers ("1,234.5",
 * full-width digits too), Chinese numerals ("一百二十三", "两千", "三千五百万",
 * "二〇二〇"), mixed forms ("1.7万", "20.5万", "3千余", "11余万"), percentages
 * written out ("百分之九十五", "五成"), and the 余/多 that makes a figure a
 * lower bound. Values are exact decimals (decimal.h): "1.7万" is 17000.
 *
 * Also: the qualifier words around a number (超过 近 约 以上 左右 …), and the
 * measure word / unit after it, normalised as the gold format says
 * (场次 -> 场, 起/宗 -> 件, 位 -> 人, 万元 -> 元 x 10^4 …).
 *
 * Every function reads only s[0..n) and never allocates: safe to fuzz.
 */
#ifndef COMMON_NUMPARSE_H
#define COMMON_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>
#include "decimal.h"

/* Qualifiers, as written in the output's qualifier column. */
enum { QUAL_EQ = '=', QUAL_MORE = '>', QUAL_LESS = '<', QUAL_ABOUT = '~' };

enum {
	NUM_ARABIC = 1,		/* has Arabic (ASCII or full-width) digits */
	NUM_CHINESE = 2,	/* has Chinese numeral characters */
	NUM_MAGNITUDE = 4,	/* has 十 百 千 万 亿 (in any form) */
	NUM_POSITIONAL = 8,	/* Chinese digits in a row, no magnitude: 二〇二〇, 七五 */
	NUM_PERCENT = 16,	/* 百分之… or …成: the value is a percentage */
	NUM_MORE = 32,		/* 余 or 多 inside or right after the number */
	NUM_DECIMAL = 64,	/* has a decimal point */
	NUM_GROUPED = 128	/* has thousands separators */
};

typedef struct {
	Dec value;
	size_t len;		/* bytes consumed (the number "as written") */
	unsigned flags;		/* NUM_* */
	int ndigits;		/* digits/numeral characters in the number */
} Num;

/* Parse the number that starts exactly at s[0]. Returns the bytes consumed
 * (num->len), or 0 when no number starts there (or it is out of range). A
 * trailing 万/亿 (and 千/百 after Arabic digits) multiplies; 余/多 right
 * after the digits or a multiplier sets NUM_MORE and is consumed. */
size_t num_parse(const char *s, size_t n, Num *num);

/* Does the character at s start a number num_parse() may accept? (A fast
 * test for scanners: ASCII or full-width digit, or a Chinese numeral.) */
int num_starts(const char *s, size_t n);

/* Chinese numeral characters: the digit value 0-9, 10/100/1000/10^4/10^8 for
 * the magnitudes, or -1. */
int num_cn_value(uint32_t cp);

/* Qualifier word that ends exactly at s[n] (the text before a number):
 * returns QUAL_* or 0, and stores the cue's byte length in *cuelen. */
int num_qual_before(const char *s, size_t n, size_t *cuelen);

/* Qualifier word that starts at s[0] (after the number or its unit):
 * 以上 余 多 -> '>', 左右 -> '~', 以下 以内 -> '<'. 0 when none. */
int num_qual_after(const char *s, size_t n, size_t *cuelen);

/* Combine two qualifiers by precedence: '<' over '~' over '>' over '='
 * (近200余万元 is '<': "up to", whatever the 余 says). 0 counts as '='. */
int num_qual_merge(int a, int b);

/* Unit (measure word) that starts at s[0], longest match. Returns its byte
 * length (0 when none) and stores the normalised unit ("件", "元", "%") in
 * *norm and the power of ten its value is scaled by (万元 -> 4) in *pow10.
 * A unit character that begins a common word (部门, 项目, 处理 …) is not a
 * unit. */
size_t num_unit(const char *s, size_t n, const char **norm, int *pow10);

#endif
