/* xnum.c: tsvagg's exact numbers (see xnum.h): parse, add, compare, square
 * and print. Input numbers are exact decimals (128-bit mantissa, scale
 * <= 30); a number that does not fit falls back to a double and so does
 * every result it touches (printed with 15 significant digits).
 */
#include "xnum.h"
#include "decimal.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

__int128 xn_lim;
double xn_p10[128];

void
xn_init(void)
{
	int i;

	if (xn_lim != 0)
		return;
	xn_lim = (__int128)10000000000000000000ULL * (__int128)10000000000000000000ULL;
	xn_p10[0] = 1;
	for (i = 1; i < 128; i++)
		xn_p10[i] = xn_p10[i - 1] * 10;
}

double
xn_dbl(const Xnum *x)
{
	if (x->inexact)
		return x->u.f;
	return (double)x->u.m / xn_p10[x->scale];
}

long double
xn_ldbl(const Xnum *x)
{
	if (x->inexact)
		return x->u.f;
	return (long double)x->u.m / (long double)xn_p10[x->scale];
}

void
xn_set_double(Xnum *x, double f)
{
	x->u.f = f;
	x->scale = 0;
	x->inexact = 1;
}

/* Bring exact a and b to one scale; -1 when a mantissa would pass xn_lim. */
int
xn_align(Xnum *a, Xnum *b)
{
	while (a->scale < b->scale) {
		if (a->u.m >= xn_lim / 10 || a->u.m <= -xn_lim / 10)
			return -1;
		a->u.m *= 10;
		a->scale++;
	}
	while (b->scale < a->scale) {
		if (b->u.m >= xn_lim / 10 || b->u.m <= -xn_lim / 10)
			return -1;
		b->u.m *= 10;
		b->scale++;
	}
	return 0;
}

void
xn_add(Xnum *acc, const Xnum *x)
{
	if (!acc->inexact && !x->inexact) {
		Xnum a = *acc, b = *x;
		__int128 s;

		if ((a.scale == b.scale || xn_align(&a, &b) == 0) &&
		    !__builtin_add_overflow(a.u.m, b.u.m, &s) && s < xn_lim && s > -xn_lim) {
			acc->u.m = s;
			acc->scale = a.scale;
			return;
		}
	}
	xn_set_double(acc, xn_dbl(acc) + xn_dbl(x));
}

void
xn_neg(Xnum *x)
{
	if (x->inexact)
		x->u.f = -x->u.f;
	else
		x->u.m = -x->u.m;
}

int
xn_cmp(const Xnum *x, const Xnum *y)
{
	if (!x->inexact && !y->inexact) {
		Xnum a = *x, b = *y;

		if (a.scale == b.scale || xn_align(&a, &b) == 0)
			return a.u.m < b.u.m ? -1 : a.u.m > b.u.m;
	}
	{
		double p = xn_dbl(x), q = xn_dbl(y);

		return p < q ? -1 : p > q;
	}
}

Xnum
xn_sq(const Xnum *x)
{
	Xnum r = {{0}, 0, 0};
	__int128 lim19 = (__int128)10000000000000000000ULL;

	if (!x->inexact && x->u.m < lim19 && x->u.m > -lim19 && x->scale * 2 <= XN_STATE_MAX_SCALE) {
		r.u.m = x->u.m * x->u.m;
		r.scale = x->scale * 2;
		return r;
	}
	xn_set_double(&r, xn_dbl(x) * xn_dbl(x));
	return r;
}

/* x * y, exact when the product fits (scale up to XN_STATE_MAX_SCALE). */
Xnum
xn_mul(const Xnum *x, const Xnum *y)
{
	Xnum r = {{0}, 0, 0};
	__int128 m;

	if (!x->inexact && !y->inexact && x->scale + y->scale <= XN_STATE_MAX_SCALE &&
	    !__builtin_mul_overflow(x->u.m, y->u.m, &m) && m < xn_lim && m > -xn_lim) {
		r.u.m = m;
		r.scale = x->scale + y->scale;
		return r;
	}
	xn_set_double(&r, xn_dbl(x) * xn_dbl(y));
	return r;
}

/* x - y (exact when it fits, as xn_add). */
Xnum
xn_sub(const Xnum *x, const Xnum *y)
{
	Xnum r = *x, neg = *y;

	xn_neg(&neg);
	xn_add(&r, &neg);
	return r;
}

/* Shortest text for a double result: 15 significant digits, never "-0". */
void
xn_format_ldouble(Buf *b, long double v)
{
	if (v == 0)
		v = 0;	/* -0 */
	if (isnan(v)) {
		buf_adds(b, "nan");
		return;
	}
	buf_addf(b, "%.15Lg", v);
}

/* Print x: exact decimals as the shortest exact text; inexact as %.15g, or
 * for partial state ("~" prefix, %.17g) so that it reads back bit for bit. */
void
xn_format(Buf *b, const Xnum *x, int state)
{
	if (x->inexact) {
		if (state)
			buf_addf(b, "~%.17g", x->u.f);
		else
			xn_format_ldouble(b, x->u.f);
		return;
	}
	if (x->scale > 62) {
		xn_format_ldouble(b, xn_ldbl(x));
		return;
	}
	{
		Dec d;

		d.mant = x->u.m;
		d.scale = x->scale;
		dec_format(b, d);
	}
}

/* Parse s[0..n) as a number. Fast path: [+-]digits[.digits] with up to 18
 * significant digits; common/decimal for exponents and long mantissas;
 * strtod (inexact) past 38 digits. With state, a "~" prefix means a double
 * and the scale may reach XN_STATE_MAX_SCALE (sums of squares). */
int
xn_parse(const char *s, size_t n, Xnum *x, int state)
{
	size_t i = 0;
	int neg = 0, dot = 0, any = 0, scale = 0;
	uint64_t m = 0;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c < 10) {
			if (m >= 100000000000000000ULL)
				goto slow;
			m = m * 10 + c;
			any = 1;
			scale += dot;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			goto slow;
		}
	}
	if (!any || scale > (state ? XN_STATE_MAX_SCALE : XN_MAX_SCALE))
		goto slow;
	x->u.m = neg ? -(__int128)m : (__int128)m;
	x->scale = scale;
	x->inexact = 0;
	return XN_OK;
slow:
	if (state && n > 0 && s[0] == '~') {
		char tmp[64], *end;
		double f;

		if (n - 1 >= sizeof tmp)
			return XN_SYNTAX;
		memcpy(tmp, s + 1, n - 1);
		tmp[n - 1] = '\0';
		f = strtod(tmp, &end);
		if (end == tmp || *end != '\0')
			return XN_SYNTAX;
		xn_set_double(x, f);
		return XN_OK;
	}
	if (state) {
		/* Long exact state (a scale up to 60): digits by hand. */
		__int128 M = 0;
		int nd = 0;

		neg = dot = any = scale = 0;
		i = 0;
		if (n > 0 && (s[0] == '-' || s[0] == '+'))
			neg = s[i++] == '-';
		for (; i < n; i++) {
			if (s[i] >= '0' && s[i] <= '9') {
				if (M != 0 || s[i] != '0')
					nd++;
				if (nd > 38)
					break;
				M = M * 10 + (s[i] - '0');
				any = 1;
				scale += dot;
			} else if (s[i] == '.' && !dot) {
				dot = 1;
			} else {
				break;
			}
		}
		if (i == n && any && scale <= XN_STATE_MAX_SCALE) {
			x->u.m = neg ? -M : M;
			x->scale = scale;
			x->inexact = 0;
			return XN_OK;
		}
	}
	{
		Dec d;
		int r = dec_parse(s, n, &d, 0);

		if (r == DEC_OK) {
			x->u.m = d.mant;
			x->scale = d.scale;
			x->inexact = 0;
			return XN_OK;
		}
		if (r == DEC_SYNTAX)
			return XN_SYNTAX;
	}
	{
		/* Valid but too long for 38 digits: a double, or out of range. */
		char *tmp = xstrndup(s, n), *end;
		double f = strtod(tmp, &end);
		int ok = *end == '\0' && isfinite(f);

		free(tmp);
		if (!ok)
			return XN_RANGE;
		xn_set_double(x, f);
		return XN_OK;
	}
}

