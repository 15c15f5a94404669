#include "decimal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Largest mantissa we allow: 10^38 - 1, so a product by 10 never overflows. */
static const __int128 MANT_LIMIT = (__int128)10000000000000000000ULL * (__int128)10000000000000000000ULL;

Dec
dec_from_int(long long v)
{
	Dec d = {v, 0};

	return d;
}

int
dec_is_zero(Dec d)
{
	return d.mant == 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
dec_parse(const char *s, size_t n, Dec *d, int flags)
{
	size_t i = 0;
	int neg = 0, any_digit = 0, ndigits = 0, scale = 0, seen_point = 0, exp = 0;
	__int128 m = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return DEC_SYNTAX;
	for (; i < n; i++) {
		char c = s[i];

		if (is_digit(c)) {
			any_digit = 1;
			if (m != 0 || c != '0')
				ndigits++;
			if (ndigits > 38)
				return DEC_RANGE;
			m = m * 10 + (c - '0');
			if (seen_point) {
				if (++scale > DEC_MAX_SCALE)
					return DEC_RANGE;
			}
		} else if (c == '.' && !seen_point) {
			seen_point = 1;
			/* "1." and ".5" are numbers; "." is not */
			if ((i == 0 || !is_digit(s[i - 1])) && (i + 1 >= n || !is_digit(s[i + 1])))
				return DEC_SYNTAX;
		} else if (c == ',' && (flags & DEC_THOUSANDS) && !seen_point && i > 0 &&
			   is_digit(s[i - 1]) && i + 3 < n &&
			   is_digit(s[i + 1]) && is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
			   (i + 4 == n || !is_digit(s[i + 4]))) {
			continue;
		} else if ((c == 'e' || c == 'E') && any_digit) {
			size_t j = i + 1;
			int eneg = 0;

			if (j < n && (s[j] == '+' || s[j] == '-'))
				eneg = s[j++] == '-';
			if (j == n)
				return DEC_SYNTAX;
			for (; j < n; j++) {
				if (!is_digit(s[j]))
					return DEC_SYNTAX;
				exp = exp * 10 + (s[j] - '0');
				if (exp > 100)
					return DEC_RANGE;
			}
			if (eneg)
				exp = -exp;
			break;
		} else {
			return DEC_SYNTAX;
		}
	}
	if (!any_digit)
		return DEC_SYNTAX;
	d->mant = neg ? -m : m;
	d->scale = scale;
	if (exp != 0 && dec_mul_pow10(d, exp) != DEC_OK)
		return DEC_RANGE;
	return DEC_OK;
}

void
dec_normalize(Dec *d)
{
	while (d->scale > 0 && d->mant % 10 == 0) {
		d->mant /= 10;
		d->scale--;
	}
}

int
dec_mul_pow10(Dec *d, int k)
{
	Dec r = *d;

	while (k > 0 && r.scale > 0) {
		r.scale--;
		k--;
	}
	while (k > 0) {
		if (r.mant >= MANT_LIMIT / 10 || r.mant <= -MANT_LIMIT / 10)
			return DEC_RANGE;
		r.mant *= 10;
		k--;
	}
	while (k < 0) {
		if (r.scale >= DEC_MAX_SCALE)
			return DEC_RANGE;
		r.scale++;
		k++;
	}
	*d = r;
	return DEC_OK;
}

int
dec_mul_int(Dec *d, long long k)
{
	__int128 a = d->mant < 0 ? -d->mant : d->mant;
	__int128 b = k < 0 ? -(__int128)k : (__int128)k;

	if (b != 0 && a > MANT_LIMIT / b)
		return DEC_RANGE;
	d->mant *= k;
	return DEC_OK;
}

/* Bring a and b to the same scale. */
static int
align(Dec *a, Dec *b)
{
	while (a->scale < b->scale) {
		if (a->mant >= MANT_LIMIT / 10 || a->mant <= -MANT_LIMIT / 10)
			return DEC_RANGE;
		a->mant *= 10;
		a->scale++;
	}
	while (b->scale < a->scale) {
		if (b->mant >= MANT_LIMIT / 10 || b->mant <= -MANT_LIMIT / 10)
			return DEC_RANGE;
		b->mant *= 10;
		b->scale++;
	}
	return DEC_OK;
}

int
dec_add(Dec *acc, Dec x)
{
	Dec a = *acc;

	if (align(&a, &x) != DEC_OK) {
		/* Precision beyond what fits: drop trailing zeros and retry. */
		Dec a2 = *acc, x2 = x;

		dec_normalize(&a2);
		dec_normalize(&x2);
		a = a2;
		x = x2;
		if (align(&a, &x) != DEC_OK)
			return DEC_RANGE;
	}
	a.mant += x.mant;
	if (a.mant >= MANT_LIMIT || a.mant <= -MANT_LIMIT)
		return DEC_RANGE;
	*acc = a;
	return DEC_OK;
}

int
dec_cmp(Dec a, Dec b)
{
	if (align(&a, &b) != DEC_OK) {
		double x = dec_to_double(a), y = dec_to_double(b);

		return x < y ? -1 : x > y;
	}
	return a.mant < b.mant ? -1 : a.mant > b.mant;
}

double
dec_to_double(Dec d)
{
	double v = (double)d.mant;

	/* Divide once by an exact power of ten: correctly rounded for common cases. */
	if (d.scale > 0)
		v /= pow(10.0, d.scale);
	return v;
}

size_t
dec_to_str(Dec d, char *out)
{
	char digits[DEC_STR_MAX];
	int n = 0, i;
	size_t len = 0;
	unsigned __int128 m;

	dec_normalize(&d);
	if (d.mant == 0) {
		out[0] = '0';
		return 1;
	}
	if (d.mant < 0) {
		out[len++] = '-';
		m = (unsigned __int128)(-d.mant);
	} else {
		m = (unsigned __int128)d.mant;
	}
	/* 128-bit division is a library call: divide in 64 bits once the
	 * mantissa fits (nearly always from the start) */
	while (m > UINT64_MAX) {
		digits[n++] = (char)('0' + (int)(m % 10));
		m /= 10;
	}
	{
		uint64_t v = (uint64_t)m;

		while (v > 0) {
			digits[n++] = (char)('0' + (int)(v % 10));
			v /= 10;
		}
	}
	while (n <= d.scale)
		digits[n++] = '0';
	for (i = n - 1; i >= 0; i--) {
		out[len++] = digits[i];
		if (i == d.scale && i > 0)
			out[len++] = '.';
	}
	return len;
}

void
dec_format(Buf *b, Dec d)
{
	char s[DEC_STR_MAX];

	buf_add(b, s, dec_to_str(d, s));
}
