/* vals.c: statistics over a group's kept values (ValsSt): sorting,
 * quantiles at any fraction (R type 7, as datamash), the median absolute
 * deviation, the trimmed mean and the moment-based and log-based means.
 * Quantiles and the MAD are exact decimals when the values are; the rest
 * are long double, printed with 15 significant digits.
 */
#include "agg.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_xnum(const void *x, const void *y)
{
	return xn_cmp(x, y);
}

static void
sort_xnums(Xnum *v, size_t n)
{
	size_t i, j;

	if (n > 24) {
		qsort(v, n, sizeof *v, cmp_xnum);
		return;
	}
	/* most groups are small: no qsort (it mallocs per call) */
	for (i = 1; i < n; i++) {
		Xnum x = v[i];

		for (j = i; j > 0 && xn_cmp(&v[j - 1], &x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void
vals_sort(ValsSt *v)
{
	if (!v->sorted) {
		sort_xnums(v->v, v->n);
		v->sorted = 1;
	}
}

/* The quantile at fraction p (0..1) of sorted v[0..n), n > 0: R type 7,
 * h = (n-1)p, v[floor h] + frac(h) * (v[floor h + 1] - v[floor h]). Exact
 * when p and the values are. */
static Xnum
quantile_sorted(const Xnum *v, size_t n, const Xnum *p)
{
	Xnum nm1 = {{0}, 0, 0}, h, frac, d, r;
	size_t lo;

	nm1.u.m = (__int128)(n - 1);
	h = xn_mul(&nm1, p);
	if (h.inexact || h.scale > 36) {
		double hd = xn_dbl(&h), f = floor(hd);

		lo = f < 0 ? 0 : (size_t)f;
		xn_set_double(&frac, hd - f);
	} else {
		__int128 unit = 1;
		int i;

		for (i = 0; i < h.scale; i++)
			unit *= 10;
		lo = (size_t)(h.u.m / unit);
		frac = h;
		frac.u.m = h.u.m % unit;
	}
	if (lo >= n - 1)
		return v[n - 1];
	r = v[lo];
	if (xn_cmp(&frac, &(Xnum){{0}, 0, 0}) != 0) {
		d = xn_sub(&v[lo + 1], &v[lo]);
		d = xn_mul(&d, &frac);
		xn_add(&r, &d);
	}
	return r;
}

int
vals_quantile(ValsSt *v, const Xnum *p, Xnum *r)
{
	if (v->n == 0)
		return -1;
	vals_sort(v);
	*r = quantile_sorted(v->v, v->n, p);
	return 0;
}

/* Median of |x - median|; -1 without values. */
int
vals_madraw(ValsSt *v, Xnum *r)
{
	Xnum half = {{5}, 1, 0}, med, *dev;
	size_t i;

	if (vals_quantile(v, &half, &med) < 0)
		return -1;
	dev = xmalloc(v->n * sizeof *dev);
	for (i = 0; i < v->n; i++) {
		dev[i] = xn_sub(&v->v[i], &med);
		if (xn_cmp(&dev[i], &(Xnum){{0}, 0, 0}) < 0)
			xn_neg(&dev[i]);
	}
	sort_xnums(dev, v->n);
	*r = quantile_sorted(dev, v->n, &half);
	free(dev);
	return 0;
}

static long double
mean_of(const ValsSt *v, size_t from, size_t to)
{
	Xnum s = v->v[from];
	size_t i;

	for (i = from + 1; i < to; i++)
		xn_add(&s, &v->v[i]);
	return xn_ldbl(&s) / (long double)(to - from);
}

/* The mean without the floor(n*t) smallest and largest values (as
 * datamash: t = 0.5 is the median). */
long double
vals_trimmean(ValsSt *v, const Xnum *frac)
{
	Xnum nx = {{0}, 0, 0}, h;
	double t = xn_dbl(frac);
	size_t trim;

	if (v->n == 0)
		return NAN;
	vals_sort(v);
	nx.u.m = (__int128)v->n;
	h = xn_mul(&nx, frac);	/* floor(n * t), exactly for a decimal t */
	if (h.inexact || h.scale > 36) {
		trim = (size_t)floor(xn_dbl(&h));
	} else {
		__int128 unit = 1;
		int i;

		for (i = 0; i < h.scale; i++)
			unit *= 10;
		trim = (size_t)(h.u.m / unit);
	}
	if (t >= 0.5 || 2 * trim >= v->n) {
		Xnum half = {{5}, 1, 0}, m = quantile_sorted(v->v, v->n, &half);

		return xn_ldbl(&m);
	}
	return mean_of(v, trim, v->n - trim);
}

/* Skewness (moment 3) or excess kurtosis (moment 4), sample or population,
 * with datamash's formulas. NAN where undefined. */
long double
vals_moment(const ValsSt *v, int moment, int sample)
{
	long double n = (long double)v->n, mean, m2 = 0, mk = 0, r;
	size_t i;

	if (v->n == 0 || (sample && v->n <= (size_t)(moment == 3 ? 2 : 3)))
		return NAN;
	mean = mean_of(v, 0, v->n);
	for (i = 0; i < v->n; i++) {
		long double d = xn_ldbl(&v->v[i]) - mean;

		m2 += d * d;
		mk += moment == 3 ? d * d * d : d * d * d * d;
	}
	m2 /= n;
	mk /= n;
	if (moment == 3) {
		r = mk / powl(m2, 1.5L);
		return sample ? r * sqrtl(n * (n - 1)) / (n - 2) : r;
	}
	r = mk / (m2 * m2) - 3;
	return sample ? ((n + 1) * r + 6) * (n - 1) / ((n - 2) * (n - 3)) : r;
}

/* exp(mean(log x)) or n / sum(1/x). */
long double
vals_geo_harm(const ValsSt *v, int harmonic)
{
	long double s = 0;
	size_t i;

	if (v->n == 0)
		return NAN;
	for (i = 0; i < v->n; i++)
		s += harmonic ? 1 / xn_ldbl(&v->v[i]) : logl(xn_ldbl(&v->v[i]));
	return harmonic ? (long double)v->n / s : expl(s / (long double)v->n);
}
