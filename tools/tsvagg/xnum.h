/* xnum.h: tsvagg's exact numbers (Xnum): a 128-bit decimal mantissa with a
 * scale up to XN_STATE_MAX_SCALE, or a double once a value or a result does
 * not fit. Named apart from common/decimal's Dec (which it uses to parse and
 * print) and common/numparse's Num (numbers in prose).
 */
#ifndef TSVAGG_XNUM_H
#define TSVAGG_XNUM_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define XN_MAX_SCALE		30	/* scale of input numbers (as common/decimal) */
#define XN_STATE_MAX_SCALE	60	/* sums of squares in partial files */

typedef struct {
	union {
		__int128 m;	/* exact: value = m * 10^-scale */
		double f;	/* inexact */
	} u;
	int32_t scale;
	int32_t inexact;
} Xnum;

enum { XN_OK = 0, XN_SYNTAX = -1, XN_RANGE = -2 };

extern __int128 xn_lim;		/* 10^38: mantissas stay below, 39 digits print */
extern double xn_p10[128];

void xn_init(void);
double xn_dbl(const Xnum *x);
long double xn_ldbl(const Xnum *x);
void xn_set_double(Xnum *x, double f);
int xn_align(Xnum *a, Xnum *b);
void xn_add(Xnum *acc, const Xnum *x);
void xn_neg(Xnum *x);
int xn_cmp(const Xnum *x, const Xnum *y);
Xnum xn_sq(const Xnum *x);
Xnum xn_mul(const Xnum *x, const Xnum *y);
Xnum xn_sub(const Xnum *x, const Xnum *y);
void xn_format_ldouble(Buf *b, long double v);
void xn_format(Buf *b, const Xnum *x, int state);
int xn_parse(const char *s, size_t n, Xnum *x, int state);

#endif
