/* ops.c: the operations. Each has one row in the table at the end of this
 * file (its name, the kind of state it reads, its flags) and its result
 * function above it: a new operation is a function and a row here (and a
 * new kind of state, when it needs one, in state.c).
 */
#include "agg.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NUMST(c, st) ((NumSt *)((st) + (c)->off[K_NUM]))
#define VALS(c, st) ((ValsSt *)((st) + (c)->off[K_VALS]))

static const Acc *
acc_of(const Agg *a, const Op *op)
{
	return op->acc >= 0 ? &a->acc[op->acc] : NULL;
}

static int
cmp_num(const void *x, const void *y)
{
	return xn_cmp(x, y);
}

static void
quantile(Buf *b, ValsSt *v, int quarter)
{
	size_t lo, frac;
	Xnum r, d;

	if (v->n == 0) {
		buf_addc(b, '-');
		return;
	}
	if (!v->sorted) {
		if (v->n <= 24) {
			/* most groups are small: no qsort (it mallocs per call) */
			size_t i, j;

			for (i = 1; i < v->n; i++) {
				Xnum x = v->v[i];

				for (j = i; j > 0 && xn_cmp(&v->v[j - 1], &x) > 0; j--)
					v->v[j] = v->v[j - 1];
				v->v[j] = x;
			}
		} else {
			qsort(v->v, v->n, sizeof *v->v, cmp_num);
		}
		v->sorted = 1;
	}
	/* R type 7 (as datamash): h = (n-1)p, lo = floor(h). */
	lo = (v->n - 1) * (size_t)quarter / 4;
	frac = (v->n - 1) * (size_t)quarter % 4;
	r = v->v[lo];
	if (frac) {
		Xnum hi = v->v[lo + 1], neg = r;
		__int128 m;

		if (!neg.inexact)
			neg.u.m = -neg.u.m;
		else
			neg.u.f = -neg.u.f;
		d = hi;
		xn_add(&d, &neg);
		if (!d.inexact && !__builtin_mul_overflow(d.u.m, (__int128)(frac * 25), &m) &&
		    m < xn_lim && m > -xn_lim && d.scale + 2 <= 62) {
			d.u.m = m;
			d.scale += 2;
		} else {
			xn_set_double(&d, xn_dbl(&d) * (double)frac / 4);
		}
		xn_add(&r, &d);
	}
	xn_format(b, &r, 0);
}

/* Sample (n-1) or population (n) variance from the shifted sums:
 * (n*Q - S^2) / (n * div), exact up to the last division when it fits. */
static long double
variance_of(const NumSt *ns, int sample)
{
	long double n = (long double)ns->n, var;
	uint64_t div = sample ? ns->n - 1 : ns->n;

	if (ns->n == 0 || div == 0)
		return NAN;
	if (!ns->ssum.inexact && !ns->ssq.inexact) {
		Xnum s2 = xn_sq(&ns->ssum), q = ns->ssq;
		__int128 nq, num;

		if (!s2.inexact && (q.scale == s2.scale || xn_align(&q, &s2) == 0) &&
		    !__builtin_mul_overflow(q.u.m, (__int128)ns->n, &nq) &&
		    !__builtin_sub_overflow(nq, s2.u.m, &num)) {
			var = (long double)num / (long double)xn_p10[q.scale] / n / (long double)div;
			return var < 0 ? 0 : var;
		}
	}
	{
		long double s = xn_ldbl(&ns->ssum), q = xn_ldbl(&ns->ssq);

		var = (q - s * s / n) / (long double)div;
	}
	return var < 0 ? 0 : var;
}

static void
variance(Buf *b, const NumSt *ns, int sample, int root)
{
	long double var = variance_of(ns, sample);

	if (isnan(var))
		buf_addc(b, '-');
	else
		xn_format_ldouble(b, root ? sqrtl(var) : var);
}

/* --- result functions: one cell from a group's state --------------------- */

static void
res_count(Agg *a, const Op *op, char *st, Buf *b)
{
	const Acc *c = acc_of(a, op);

	if (c == NULL)
		buf_addu(b, *(uint64_t *)st);
	else
		buf_addu(b, *(uint64_t *)(st + c->off[K_CNT]));
}

static void
res_sum(Agg *a, const Op *op, char *st, Buf *b)
{
	const NumSt *ns = NUMST(acc_of(a, op), st);

	if (ns->n == 0)
		buf_addc(b, '0');
	else
		xn_format(b, &ns->sum, 0);
}

static void
res_mean(Agg *a, const Op *op, char *st, Buf *b)
{
	const NumSt *ns = NUMST(acc_of(a, op), st);

	if (ns->n == 0)
		buf_addc(b, '-');
	else if (ns->sum.inexact)
		xn_format_ldouble(b, (long double)ns->sum.u.f / (long double)ns->n);
	else
		xn_format_ldouble(b, (long double)ns->sum.u.m / (long double)xn_p10[ns->sum.scale] /
				  (long double)ns->n);
}

static void
res_min(Agg *a, const Op *op, char *st, Buf *b)
{
	const NumSt *ns = NUMST(acc_of(a, op), st);

	if (ns->n == 0)
		buf_addc(b, '-');
	else
		xn_format(b, &ns->min, 0);
}

static void
res_max(Agg *a, const Op *op, char *st, Buf *b)
{
	const NumSt *ns = NUMST(acc_of(a, op), st);

	if (ns->n == 0)
		buf_addc(b, '-');
	else
		xn_format(b, &ns->max, 0);
}

static void
res_range(Agg *a, const Op *op, char *st, Buf *b)
{
	const NumSt *ns = NUMST(acc_of(a, op), st);
	Xnum r = ns->max, neg = ns->min;

	if (ns->n == 0) {
		buf_addc(b, '-');
		return;
	}
	xn_neg(&neg);
	xn_add(&r, &neg);
	xn_format(b, &r, 0);
}

static void
res_median(Agg *a, const Op *op, char *st, Buf *b)
{
	quantile(b, VALS(acc_of(a, op), st), 2);
}

static void
res_q1(Agg *a, const Op *op, char *st, Buf *b)
{
	quantile(b, VALS(acc_of(a, op), st), 1);
}

static void
res_q3(Agg *a, const Op *op, char *st, Buf *b)
{
	quantile(b, VALS(acc_of(a, op), st), 3);
}

static void
res_svar(Agg *a, const Op *op, char *st, Buf *b)
{
	variance(b, NUMST(acc_of(a, op), st), 1, 0);
}

static void
res_sstdev(Agg *a, const Op *op, char *st, Buf *b)
{
	variance(b, NUMST(acc_of(a, op), st), 1, 1);
}

static void
res_pvar(Agg *a, const Op *op, char *st, Buf *b)
{
	variance(b, NUMST(acc_of(a, op), st), 0, 0);
}

static void
res_pstdev(Agg *a, const Op *op, char *st, Buf *b)
{
	variance(b, NUMST(acc_of(a, op), st), 0, 1);
}

/* first and last: the StrSt of the op's own kind */
static void
res_string(Agg *a, const Op *op, char *st, Buf *b)
{
	const StrSt *ss = (const StrSt *)(st + acc_of(a, op)->off[op->kind]);

	if (ss->has)
		buf_add(b, ss->s, ss->len);
	else
		buf_addc(b, '-');
}

static StrMap *
set_of(Agg *a, const Op *op, char *st)
{
	return *(StrMap **)(st + acc_of(a, op)->off[K_SET]);
}

static void
res_nunique(Agg *a, const Op *op, char *st, Buf *b)
{
	StrMap *m = set_of(a, op, st);

	buf_addu(b, m ? m->n : 0);
}

static void
res_unique(Agg *a, const Op *op, char *st, Buf *b)
{
	StrMap *m = set_of(a, op, st);
	size_t *ix, i;

	if (m == NULL || m->n == 0) {
		buf_addc(b, '-');
		return;
	}
	ix = sm_order(m, 1);
	for (i = 0; i < m->n; i++) {
		if (i)
			buf_addc(b, ',');
		buf_add(b, sm_key(m, ix[i]), m->it[ix[i]].len);
	}
	free(ix);
}

/* the most frequent value; a tie goes to the value seen first */
static void
res_mode(Agg *a, const Op *op, char *st, Buf *b)
{
	StrMap *m = set_of(a, op, st);
	size_t i, best = 0;

	if (m == NULL || m->n == 0) {
		buf_addc(b, '-');
		return;
	}
	for (i = 1; i < m->n; i++)
		if (m->it[i].count > m->it[best].count)
			best = i;
	buf_add(b, sm_key(m, best), m->it[best].len);
}

static void
res_collapse(Agg *a, const Op *op, char *st, Buf *b)
{
	const Buf *l = (const Buf *)(st + acc_of(a, op)->off[K_LIST]);
	const char *p = l->s, *end = l->s + l->len, *item;
	size_t n, i;

	if (l->len == 0) {
		buf_addc(b, '-');
		return;
	}
	for (i = 0; p < end && get_item(&p, end, &item, &n) == 0; i++) {
		if (i)
			buf_addc(b, ',');
		buf_add(b, item, n);
	}
}

/* --- the table ------------------------------------------------------------ */

#define N OPF_NUMERIC
static const OpDef optab[] = {
	{"count", K_CNT, OPF_BARE, res_count},
	{"sum", K_NUM, N, res_sum},
	{"mean", K_NUM, N, res_mean},
	{"min", K_NUM, N | OPF_MINMAX, res_min},
	{"max", K_NUM, N | OPF_MINMAX, res_max},
	{"range", K_NUM, N | OPF_MINMAX, res_range},
	{"median", K_VALS, N, res_median},
	{"q1", K_VALS, N, res_q1},
	{"q3", K_VALS, N, res_q3},
	{"stdev", K_NUM, N | OPF_SUMSQ, res_sstdev},
	{"var", K_NUM, N | OPF_SUMSQ, res_svar},
	{"pstdev", K_NUM, N | OPF_SUMSQ, res_pstdev},
	{"pvar", K_NUM, N | OPF_SUMSQ, res_pvar},
	{"first", K_FIRST, 0, res_string},
	{"last", K_LAST, 0, res_string},
	{"nunique", K_SET, 0, res_nunique},
	{"unique", K_SET, 0, res_unique},
	{"collapse", K_LIST, 0, res_collapse},
	{"mode", K_SET, 0, res_mode},
};
#undef N
#define NOPTAB (sizeof optab / sizeof optab[0])

const OpDef *
op_lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NOPTAB; i++)
		if (strlen(optab[i].name) == n && memcmp(optab[i].name, name, n) == 0)
			return &optab[i];
	return NULL;
}

int
agg_is_op(const char *arg)
{
	const char *colon = strchr(arg, ':');
	const OpDef *d = op_lookup(arg, colon ? (size_t)(colon - arg) : strlen(arg));

	return d != NULL && (colon || (d->flags & OPF_BARE));
}
