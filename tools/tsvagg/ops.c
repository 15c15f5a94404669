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

/* A long double result, '-' for NAN (no values, or undefined). */
static void
put_ldouble(Buf *b, long double v)
{
	if (isnan(v))
		buf_addc(b, '-');
	else
		xn_format_ldouble(b, v);
}

/* The quantile at fraction p of the op's column, '-' without values. */
static void
quantile(Buf *b, ValsSt *v, const Xnum *p)
{
	Xnum r;

	if (vals_quantile(v, p, &r) < 0)
		buf_addc(b, '-');
	else
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
	quantile(b, VALS(acc_of(a, op), st), &(Xnum){{5}, 1, 0});
}

static void
res_q1(Agg *a, const Op *op, char *st, Buf *b)
{
	quantile(b, VALS(acc_of(a, op), st), &(Xnum){{25}, 2, 0});
}

static void
res_q3(Agg *a, const Op *op, char *st, Buf *b)
{
	quantile(b, VALS(acc_of(a, op), st), &(Xnum){{75}, 2, 0});
}

/* percP: the param is a percentage */
static void
res_perc(Agg *a, const Op *op, char *st, Buf *b)
{
	Xnum p = op->param;

	if (p.inexact)
		p.u.f /= 100;
	else
		p.scale += 2;
	quantile(b, VALS(acc_of(a, op), st), &p);
}

static void
res_iqr(Agg *a, const Op *op, char *st, Buf *b)
{
	ValsSt *v = VALS(acc_of(a, op), st);
	Xnum q1, q3;

	if (vals_quantile(v, &(Xnum){{25}, 2, 0}, &q1) < 0 ||
	    vals_quantile(v, &(Xnum){{75}, 2, 0}, &q3) < 0) {
		buf_addc(b, '-');
		return;
	}
	q3 = xn_sub(&q3, &q1);
	xn_format(b, &q3, 0);
}

/* madraw: the median absolute deviation; mad: scaled by 1.4826 (an
 * estimate of the standard deviation of normal data, as datamash). */
static void
mad(Buf *b, ValsSt *v, int scaled)
{
	Xnum r, k = {{14826}, 4, 0};

	if (vals_madraw(v, &r) < 0) {
		buf_addc(b, '-');
		return;
	}
	if (scaled)
		r = xn_mul(&r, &k);
	xn_format(b, &r, 0);
}

static void
res_mad(Agg *a, const Op *op, char *st, Buf *b)
{
	mad(b, VALS(acc_of(a, op), st), 1);
}

static void
res_madraw(Agg *a, const Op *op, char *st, Buf *b)
{
	mad(b, VALS(acc_of(a, op), st), 0);
}

static void
res_trimmean(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_trimmean(VALS(acc_of(a, op), st), &op->param));
}

static void
res_sskew(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_moment(VALS(acc_of(a, op), st), 3, 1));
}

static void
res_pskew(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_moment(VALS(acc_of(a, op), st), 3, 0));
}

static void
res_skurt(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_moment(VALS(acc_of(a, op), st), 4, 1));
}

static void
res_pkurt(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_moment(VALS(acc_of(a, op), st), 4, 0));
}

static void
res_geomean(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_geo_harm(VALS(acc_of(a, op), st), 0));
}

static void
res_harmmean(Agg *a, const Op *op, char *st, Buf *b)
{
	put_ldouble(b, vals_geo_harm(VALS(acc_of(a, op), st), 1));
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

typedef struct {
	Xnum x;
	uint64_t count;
} Counted;

static int
cmp_counted(const void *p, const void *q)
{
	return xn_cmp(&((const Counted *)p)->x, &((const Counted *)q)->x);
}

/* mode (most) or antimode (least frequent), as datamash: when every value
 * is a number, equal numbers are one value (1e2, 100 and 100.0) printed as
 * a number and a tie goes to the smallest; otherwise values are compared
 * as bytes and a tie goes to the smallest bytes. 0: not all numbers. */
static int
mode_numeric(const StrMap *m, int most, Buf *b)
{
	Counted *v = xmalloc(m->n * sizeof *v), best;
	size_t i, j, k = 0;

	for (i = 0; i < m->n; i++) {
		if (xn_parse(sm_key(m, i), m->it[i].len, &v[i].x, 0) != XN_OK) {
			free(v);
			return 0;
		}
		v[i].count = m->it[i].count;
	}
	qsort(v, m->n, sizeof *v, cmp_counted);
	for (i = 0; i < m->n; i = j) {	/* merge equal numbers */
		v[k] = v[i];
		for (j = i + 1; j < m->n && xn_cmp(&v[j].x, &v[i].x) == 0; j++)
			v[k].count += v[j].count;
		k++;
	}
	best = v[0];
	for (i = 1; i < k; i++)
		if (most ? v[i].count > best.count : v[i].count < best.count)
			best = v[i];
	xn_format(b, &best.x, 0);
	free(v);
	return 1;
}

static void
mode(Agg *a, const Op *op, char *st, Buf *b, int most)
{
	StrMap *m = set_of(a, op, st);
	size_t i, *ix, best;

	if (m == NULL || m->n == 0) {
		buf_addc(b, '-');
		return;
	}
	if (mode_numeric(m, most, b))
		return;
	ix = sm_order(m, 1);
	best = ix[0];
	for (i = 1; i < m->n; i++)
		if (most ? m->it[ix[i]].count > m->it[best].count : m->it[ix[i]].count < m->it[best].count)
			best = ix[i];
	buf_add(b, sm_key(m, best), m->it[best].len);
	free(ix);
}

static void
res_mode(Agg *a, const Op *op, char *st, Buf *b)
{
	mode(a, op, st, b, 1);
}

static void
res_antimode(Agg *a, const Op *op, char *st, Buf *b)
{
	mode(a, op, st, b, 0);
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

/* a value drawn at random from the group's (every value as often as it
 * occurs) */
static void
res_rand(Agg *a, const Op *op, char *st, Buf *b)
{
	const Buf *l = (const Buf *)(st + acc_of(a, op)->off[K_LIST]);
	const char *p = l->s, *end = l->s + l->len, *item = NULL;
	size_t n = 0, seen = 0, len;
	const char *it;

	/* reservoir sampling of one item */
	while (p < end && get_item(&p, end, &it, &len) == 0)
		if (rand() % ++seen == 0) {
			item = it;
			n = len;
		}
	if (item == NULL)
		buf_addc(b, '-');
	else
		buf_add(b, item, n);
}

static void
res_missing(Agg *a, const Op *op, char *st, Buf *b)
{
	buf_addu(b, *(uint64_t *)(st + acc_of(a, op)->off[K_MISS]));
}

static void
res_notmissing(Agg *a, const Op *op, char *st, Buf *b)
{
	buf_addu(b, *(uint64_t *)st - *(uint64_t *)(st + acc_of(a, op)->off[K_MISS]));
}

/* --- the table ------------------------------------------------------------ */

/* Names as datamash where it has the operation (stdev is its sstdev, var
 * its svar, nunique its countunique: both names work). */
#define N OPF_NUMERIC
#define P OPF_PARAM
static const OpDef optab[] = {
	{"count", K_CNT, OPF_BARE, res_count, NULL, 0},
	{"missing", K_MISS, 0, res_missing, NULL, 0},
	{"notmissing", K_MISS, 0, res_notmissing, NULL, 0},
	{"sum", K_NUM, N, res_sum, NULL, 0},
	{"mean", K_NUM, N, res_mean, NULL, 0},
	{"min", K_NUM, N | OPF_MINMAX, res_min, NULL, 0},
	{"max", K_NUM, N | OPF_MINMAX, res_max, NULL, 0},
	{"range", K_NUM, N | OPF_MINMAX, res_range, NULL, 0},
	{"median", K_VALS, N, res_median, NULL, 0},
	{"q1", K_VALS, N, res_q1, NULL, 0},
	{"q3", K_VALS, N, res_q3, NULL, 0},
	{"iqr", K_VALS, N, res_iqr, NULL, 0},
	{"perc", K_VALS, N | P, res_perc, "95", 100},
	{"mad", K_VALS, N, res_mad, NULL, 0},
	{"madraw", K_VALS, N, res_madraw, NULL, 0},
	{"trimmean", K_VALS, N | P, res_trimmean, "0", 0.5},
	{"geomean", K_VALS, N, res_geomean, NULL, 0},
	{"harmmean", K_VALS, N, res_harmmean, NULL, 0},
	{"stdev", K_NUM, N | OPF_SUMSQ, res_sstdev, NULL, 0},
	{"sstdev", K_NUM, N | OPF_SUMSQ, res_sstdev, NULL, 0},
	{"var", K_NUM, N | OPF_SUMSQ, res_svar, NULL, 0},
	{"svar", K_NUM, N | OPF_SUMSQ, res_svar, NULL, 0},
	{"pstdev", K_NUM, N | OPF_SUMSQ, res_pstdev, NULL, 0},
	{"pvar", K_NUM, N | OPF_SUMSQ, res_pvar, NULL, 0},
	{"sskew", K_VALS, N, res_sskew, NULL, 0},
	{"pskew", K_VALS, N, res_pskew, NULL, 0},
	{"skurt", K_VALS, N, res_skurt, NULL, 0},
	{"pkurt", K_VALS, N, res_pkurt, NULL, 0},
	{"first", K_FIRST, 0, res_string, NULL, 0},
	{"last", K_LAST, 0, res_string, NULL, 0},
	{"rand", K_LIST, 0, res_rand, NULL, 0},
	{"nunique", K_SET, 0, res_nunique, NULL, 0},
	{"countunique", K_SET, 0, res_nunique, NULL, 0},
	{"unique", K_SET, 0, res_unique, NULL, 0},
	{"collapse", K_LIST, 0, res_collapse, NULL, 0},
	{"mode", K_SET, 0, res_mode, NULL, 0},
	{"antimode", K_SET, 0, res_antimode, NULL, 0},
};
#undef N
#undef P
#define NOPTAB (sizeof optab / sizeof optab[0])

/* The operation named name[0..n): a table name, or for OPF_PARAM ones the
 * name followed by a number from 0 to pmax (perc90, trimmean0.1), into
 * *param (the default after the bare name). NULL when none. */
const OpDef *
op_lookup(const char *name, size_t n, Xnum *param)
{
	size_t i, k;
	Xnum x;

	for (i = 0; i < NOPTAB; i++) {
		const OpDef *d = &optab[i];

		k = strlen(d->name);
		if (k > n || memcmp(d->name, name, k) != 0)
			continue;
		if (k == n) {
			if (d->param && param)
				xn_parse(d->param, strlen(d->param), param, 0);
			return d;
		}
		if (!(d->flags & OPF_PARAM) || xn_parse(name + k, n - k, &x, 0) != XN_OK ||
		    (name[k] < '0' || name[k] > '9') || xn_dbl(&x) > d->pmax)
			continue;
		if (param)
			*param = x;
		return d;
	}
	return NULL;
}

/* Edit distance of a[0..n) and b, a swap of neighbours counting one (so
 * "medain" is nearer to median than to mean), for "did you mean". */
static size_t
edit_distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b), i, j, d[32][32], c;

	if (n >= 32 || m >= 32)
		return 99;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[n][m];
}

/* The operation name nearest to name[0..n) (NULL when none is close). */
const char *
op_nearest(const char *name, size_t n)
{
	size_t i, best = 99, d;
	const char *r = NULL;

	for (i = 0; i < NOPTAB; i++) {
		d = edit_distance(name, n, optab[i].name);
		if (d < best) {
			best = d;
			r = optab[i].name;
		}
	}
	return best <= 2 || (best <= 3 && n >= 6) ? r : NULL;
}

/* When name[0..n) is an OPF_PARAM name with a number out of its range,
 * say so in err and return 1. */
int
op_param_error(const char *name, size_t n, Buf *err)
{
	size_t i, k;
	Xnum x;

	for (i = 0; i < NOPTAB; i++) {
		k = strlen(optab[i].name);
		if ((optab[i].flags & OPF_PARAM) && k < n && memcmp(optab[i].name, name, k) == 0 &&
		    xn_parse(name + k, n - k, &x, 0) == XN_OK) {
			buf_addf(err, "'%.*s': the number after %s must be from 0 to %g", (int)n, name,
				 optab[i].name, optab[i].pmax);
			return 1;
		}
	}
	return 0;
}

/* Every operation name, ", " between. */
void
op_list(Buf *b)
{
	size_t i;

	for (i = 0; i < NOPTAB; i++) {
		buf_adds(b, i ? ", " : "");
		buf_adds(b, optab[i].name);
		if (optab[i].flags & OPF_PARAM)
			buf_adds(b, "[P]");
	}
}

int
agg_is_op(const char *arg)
{
	const char *colon = strchr(arg, ':');

	xn_init();
	const OpDef *d = op_lookup(arg, colon ? (size_t)(colon - arg) : strlen(arg), NULL);

	return d != NULL && (colon || (d->flags & OPF_BARE));
}

/* An operand meant as an operation but mistyped: NAME:COLUMNS with NAME a
 * word (letters, then letters, digits or dots), or a bare word near an
 * operation name ("summ"). The caller checks it is not an existing file. */
int
agg_looks_like_op(const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg), i;

	if (n == 0 || !((arg[0] >= 'a' && arg[0] <= 'z') || (arg[0] >= 'A' && arg[0] <= 'Z')))
		return 0;
	for (i = 1; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._", arg[i]))
			return 0;
	return colon != NULL || op_nearest(arg, n) != NULL;
}
