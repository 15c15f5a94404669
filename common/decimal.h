/* decimal.h: exact decimal numbers for values read from text.
 *
 * A Dec is mant * 10^-scale with a 128-bit mantissa (38 significant digits)
 * and 0 <= scale <= DEC_MAX_SCALE. Text such as "0.1", "1,234.50" (with
 * DEC_THOUSANDS) or "1.7e4" is held exactly, sums stay exact, and formatting
 * prints the shortest exact decimal ("17000", "0.3", never "0.30000000000000004").
 */
#ifndef COMMON_DECIMAL_H
#define COMMON_DECIMAL_H

#include <stddef.h>
#include "buf.h"

#define DEC_MAX_SCALE 30

typedef struct {
	__int128 mant;
	int scale;
} Dec;

enum { DEC_OK = 0, DEC_SYNTAX = -1, DEC_RANGE = -2 };
enum { DEC_THOUSANDS = 1 };	/* accept "," between groups of three digits */

/* Parse s[0..n) entirely (surrounding blanks not allowed). DEC_SYNTAX when not
 * a decimal number, DEC_RANGE when it has more digits than a Dec holds. */
int dec_parse(const char *s, size_t n, Dec *d, int flags);

int dec_add(Dec *acc, Dec x);		/* DEC_OK or DEC_RANGE (acc unchanged) */
int dec_mul_pow10(Dec *d, int k);	/* d *= 10^k (k may be negative when exact) */
int dec_mul_int(Dec *d, long long k);
int dec_cmp(Dec a, Dec b);		/* -1, 0, 1 */
Dec dec_from_int(long long v);
double dec_to_double(Dec d);
void dec_normalize(Dec *d);		/* strip trailing zeros after the point */
void dec_format(Buf *b, Dec d);		/* shortest exact form, "-0" never */
/* The same form into out (no NUL), for writers that build a row in place;
 * returns its length, at most DEC_STR_MAX. */
#define DEC_STR_MAX 72
size_t dec_to_str(Dec d, char *out);
int dec_is_zero(Dec d);

#endif
