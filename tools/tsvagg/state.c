/* state.c: a group's state block. Its layout (which kinds of state each
 * column needs, at which offset), adding a checked row to it, freeing it,
 * and the partial-file text of each kind of state: encode, and parse and
 * merge. Each kind is read by the operations of ops.c.
 */
#include "agg.h"
#include "err.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void
free_state(Agg *a)
{
	size_t g, j;

	for (g = 0; g < a->ngroups; g++) {
		char *st = a->grec[g];

		for (j = 0; j < a->nacc; j++) {
			Acc *c = &a->acc[j];

			if (c->need[K_VALS])
				free(((ValsSt *)(st + c->off[K_VALS]))->v);
			if (c->need[K_FIRST])
				free(((StrSt *)(st + c->off[K_FIRST]))->s);
			if (c->need[K_LAST])
				free(((StrSt *)(st + c->off[K_LAST]))->s);
			if (c->need[K_SET]) {
				StrMap *m = *(StrMap **)(st + c->off[K_SET]);

				if (m) {
					sm_free(m);
					free(m);
				}
			}
			if (c->need[K_LIST])
				buf_free((Buf *)(st + c->off[K_LIST]));
		}
	}
	for (g = 0; g < a->nchunks; g++)
		free(a->chunks[g]);
	free(a->chunks);
	free(a->grec);
	free(a->slot);
}


void
layout(Agg *a)
{
	size_t off = 16, i, j;
	int rows_src = 0;

	for (i = 0; i < a->nacc; i++) {
		Acc *c = &a->acc[i];
		size_t sz[NKIND] = {0, 16, sizeof(NumSt), sizeof(ValsSt),
				    sizeof(StrSt), sizeof(StrSt), 16, sizeof(Buf), 16};

		if (!c->sumsq)
			sz[K_NUM] = c->minmax ? offsetof(NumSt, shift) : offsetof(NumSt, min);
		for (j = K_CNT; j < NKIND; j++) {
			if (!c->need[j])
				continue;
			c->off[j] = off;
			off += (sz[j] + 15) & ~(size_t)15;
		}
	}
	a->stride = off;
	for (i = 0; i < a->nop; i++) {
		Op *op = &a->op[i];

		if (op->acc < 0) {
			op->source = !rows_src;
			rows_src = 1;
			continue;
		}
		op->source = 1;
		for (j = 0; j < i; j++)
			if (a->op[j].acc == op->acc && a->op[j].kind == op->kind)
				op->source = 0;
	}
	a->rowval = xcalloc(BATCH * (a->nacc + 1), sizeof *a->rowval);
	a->rowuse = xcalloc(BATCH * (a->nacc + 1), 1);
	a->rowf = xcalloc(BATCH * (a->nacc + 1), sizeof *a->rowf);
}

static void
str_set(StrSt *st, const char *s, size_t n)
{
	if (st->len < n || st->s == NULL)
		st->s = xrealloc(st->s, n + 1);
	memcpy(st->s, s, n);
	st->len = n;
	st->has = 1;
}

static void
set_add(StrMap **mp, const char *s, size_t n, uint64_t count)
{
	int added;
	size_t i;

	if (*mp == NULL)
		*mp = xcalloc(1, sizeof **mp);
	i = sm_get(*mp, s, n, &added);
	(*mp)->it[i].count += count;
}

static void
vals_add(ValsSt *v, const Xnum *x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = *x;
	v->sorted = 0;
}

static void
numst_add(NumSt *ns, const Acc *c, const Xnum *x)
{
	if (ns->n == 0) {
		ns->sum = *x;
		if (c->minmax)
			ns->min = ns->max = *x;
		if (c->sumsq) {
			ns->shift = *x;
			memset(&ns->ssum, 0, sizeof ns->ssum);
			memset(&ns->ssq, 0, sizeof ns->ssq);
		}
	} else {
		xn_add(&ns->sum, x);
		if (c->minmax) {
			if (xn_cmp(x, &ns->min) < 0)
				ns->min = *x;
			if (xn_cmp(x, &ns->max) > 0)
				ns->max = *x;
		}
		if (c->sumsq) {
			Xnum d = xn_sub(x, &ns->shift), q = xn_sq(&d);

			xn_add(&ns->ssum, &d);
			xn_add(&ns->ssq, &q);
		}
	}
	ns->n++;
}

/* Add the shifted sums of n values taken with another shift k to t's:
 * with d = k - t->shift, sum(x - t->shift) = s + n*d and
 * sum((x - t->shift)^2) = q + 2*d*s + n*d^2. */
static void
numst_absorb(NumSt *t, uint64_t n, const Xnum *k, const Xnum *s, const Xnum *q)
{
	Xnum d = xn_sub(k, &t->shift), nx = {{0}, 0, 0}, two = {{0}, 0, 0};
	Xnum nd, ds, dd, nd2, s2 = *s, q2 = *q;

	nx.u.m = (__int128)n;
	two.u.m = 2;
	nd = xn_mul(&nx, &d);
	ds = xn_mul(&d, s);
	ds = xn_mul(&two, &ds);
	dd = xn_sq(&d);
	nd2 = xn_mul(&nx, &dd);
	xn_add(&s2, &nd);
	xn_add(&q2, &ds);
	xn_add(&q2, &nd2);
	xn_add(&t->ssum, &s2);
	xn_add(&t->ssq, &q2);
}

/* Add batch row r (checked and parsed by read.c) to its group. */
void
apply_row(Agg *a, size_t r)
{
	size_t j, base = r * a->nacc;
	char *st = group_find(a, a->bkey[r], a->bklen[r], a->bh[r]);

	(*(uint64_t *)st)++;
	a->rows++;
	for (j = 0; j < a->nacc; j++) {
		Acc *c = &a->acc[j];
		const F *f = &a->rowf[base + j];
		int use = a->rowuse[base + j];

		if (c->need[K_MISS] && (use == 0 || is_missing(a, f->s, f->len)))
			(*(uint64_t *)(st + c->off[K_MISS]))++;
		if (use == 0)
			continue;
		if (c->need[K_CNT])
			(*(uint64_t *)(st + c->off[K_CNT]))++;
		if (use == 2) {
			if (c->need[K_NUM])
				numst_add((NumSt *)(st + c->off[K_NUM]), c, &a->rowval[base + j]);
			if (c->need[K_VALS])
				vals_add((ValsSt *)(st + c->off[K_VALS]), &a->rowval[base + j]);
		}
		if (c->need[K_FIRST] && !((StrSt *)(st + c->off[K_FIRST]))->has)
			str_set((StrSt *)(st + c->off[K_FIRST]), f->s, f->len);
		if (c->need[K_LAST])
			str_set((StrSt *)(st + c->off[K_LAST]), f->s, f->len);
		if (c->need[K_SET])
			set_add((StrMap **)(st + c->off[K_SET]), f->s, f->len, 1);
		if (c->need[K_LIST]) {
			Buf *b = (Buf *)(st + c->off[K_LIST]);

			buf_addf(b, "%zu:", f->len);
			buf_add(b, f->s, f->len);
		}
	}
}

/* --- partial state: encode and merge ------------------------------------ */

/* One op's state as text (the TSV escaping is the caller's). */
void
encode_state(Agg *a, const Op *op, const char *st, Buf *b)
{
	const Acc *c = op->acc >= 0 ? &a->acc[op->acc] : NULL;
	size_t i;

	switch (op->kind) {
	case K_ROWS:
		buf_addu(b, *(const uint64_t *)st);
		break;
	case K_CNT:
	case K_MISS:
		buf_addu(b, *(const uint64_t *)(st + c->off[op->kind]));
		break;
	case K_NUM: {
		const NumSt *ns = (const NumSt *)(st + c->off[K_NUM]);

		buf_addf(b, "%llu;", (unsigned long long)ns->n);
		if (ns->n)
			xn_format(b, &ns->sum, 1);
		buf_addc(b, ';');
		if (ns->n && c->sumsq) {
			xn_format(b, &ns->shift, 1);
			buf_addc(b, ',');
			xn_format(b, &ns->ssum, 1);
			buf_addc(b, ',');
			xn_format(b, &ns->ssq, 1);
		}
		buf_addc(b, ';');
		if (ns->n && c->minmax)
			xn_format(b, &ns->min, 1);
		buf_addc(b, ';');
		if (ns->n && c->minmax)
			xn_format(b, &ns->max, 1);
		break;
	}
	case K_VALS: {
		const ValsSt *v = (const ValsSt *)(st + c->off[K_VALS]);

		for (i = 0; i < v->n; i++) {
			if (i)
				buf_addc(b, ',');
			xn_format(b, &v->v[i], 1);
		}
		break;
	}
	case K_FIRST:
	case K_LAST: {
		const StrSt *ss = (const StrSt *)(st + c->off[op->kind]);

		if (ss->has) {
			buf_addc(b, '=');
			buf_add(b, ss->s, ss->len);
		}
		break;
	}
	case K_SET: {
		const StrMap *m = *(StrMap *const *)(st + c->off[K_SET]);

		for (i = 0; m && i < m->n; i++) {
			buf_addf(b, "%llu:%llu:", (unsigned long long)m->it[i].count,
				 (unsigned long long)m->it[i].len);
			buf_add(b, sm_key(m, i), m->it[i].len);
		}
		break;
	}
	case K_LIST: {
		const Buf *l = (const Buf *)(st + c->off[K_LIST]);

		buf_add(b, l->s, l->len);
		break;
	}
	}
}

/* Read an unsigned decimal; advances *p. -1 on error. */
static int
get_u64(const char **p, const char *end, uint64_t *v)
{
	const char *q = *p;
	uint64_t x = 0;

	if (q == end || *q < '0' || *q > '9')
		return -1;
	while (q < end && *q >= '0' && *q <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*q++ - '0');
	}
	*p = q;
	*v = x;
	return 0;
}

/* Parse "N:" then N bytes: the item is s[0..n). */
int
get_item(const char **p, const char *end, const char **s, size_t *n)
{
	uint64_t len;

	if (get_u64(p, end, &len) < 0 || *p == end || **p != ':')
		return -1;
	(*p)++;
	if (len > (uint64_t)(end - *p))
		return -1;
	*s = *p;
	*n = (size_t)len;
	*p += len;
	return 0;
}

/* Parse the shifted sums "shift,ssum,ssq" into x[0..3). */
static int
parse_shifted(const char *p, size_t n, Xnum *x)
{
	const char *end = p + n;
	int k;

	for (k = 0; k < 3; k++) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;

		if ((comma == NULL) != (k == 2) || xn_parse(p, (size_t)(stop - p), &x[k], 1) != XN_OK)
			return -1;
		p = stop + 1;
	}
	return 0;
}

/* Parse (and with apply, merge into st) a K_NUM state:
 * "n;sum;shift,ssum,ssq;min;max" (parts a column does not keep empty). */
static int
merge_num(const Acc *c, char *st, const char *s, size_t n, int apply)
{
	const char *p = s, *end = s + n;
	const char *part[5];
	size_t plen[5], k;
	uint64_t cnt;
	Xnum sum, sh[3], mm[2];
	NumSt *t = (NumSt *)(st + c->off[K_NUM]);

	for (k = 0; k < 5; k++) {
		const char *semi = memchr(p, ';', (size_t)(end - p));

		if ((semi == NULL) != (k == 4))
			return -1;
		part[k] = p;
		plen[k] = semi ? (size_t)(semi - p) : (size_t)(end - p);
		p = semi ? semi + 1 : end;
	}
	p = part[0];
	if (get_u64(&p, part[0] + plen[0], &cnt) < 0 || p != part[0] + plen[0])
		return -1;
	if (cnt == 0)
		return plen[1] || plen[2] || plen[3] || plen[4] ? -1 : 0;
	if (xn_parse(part[1], plen[1], &sum, 1) != XN_OK)
		return -1;
	if (c->sumsq ? parse_shifted(part[2], plen[2], sh) < 0 : plen[2] != 0)
		return -1;
	for (k = 3; k < 5; k++)
		if (c->minmax ? xn_parse(part[k], plen[k], &mm[k - 3], 1) != XN_OK : plen[k] != 0)
			return -1;
	if (!apply)
		return 0;
	if (t->n == 0) {
		t->sum = sum;
		if (c->sumsq) {
			t->shift = sh[0];
			t->ssum = sh[1];
			t->ssq = sh[2];
		}
		if (c->minmax) {
			t->min = mm[0];
			t->max = mm[1];
		}
	} else {
		xn_add(&t->sum, &sum);
		if (c->sumsq)
			numst_absorb(t, cnt, &sh[0], &sh[1], &sh[2]);
		if (c->minmax && xn_cmp(&mm[0], &t->min) < 0)
			t->min = mm[0];
		if (c->minmax && xn_cmp(&mm[1], &t->max) > 0)
			t->max = mm[1];
	}
	t->n += cnt;
	return 0;
}

/* Parse (and with apply, merge into st) one op's state from s[0..n).
 * 0 ok, -1 malformed. */
int
merge_state(Agg *a, const Op *op, char *st, const char *s, size_t n, int apply)
{
	const char *p = s, *end = s + n;
	const Acc *c = op->acc >= 0 ? &a->acc[op->acc] : NULL;
	uint64_t v;

	switch (op->kind) {
	case K_ROWS:
	case K_CNT:
	case K_MISS:
		if (get_u64(&p, end, &v) < 0 || p != end)
			return -1;
		if (apply)
			*(uint64_t *)(op->kind == K_ROWS ? st : st + c->off[op->kind]) += v;
		return 0;
	case K_NUM:
		return merge_num(c, st, s, n, apply);
	case K_VALS:
		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			Xnum x;

			if (xn_parse(p, (size_t)(stop - p), &x, 1) != XN_OK)
				return -1;
			if (apply)
				vals_add((ValsSt *)(st + c->off[K_VALS]), &x);
			p = comma ? comma + 1 : end;
			if (comma && p == end)
				return -1;
		}
		return 0;
	case K_FIRST:
	case K_LAST:
		if (n == 0)
			return 0;
		if (s[0] != '=')
			return -1;
		if (apply) {
			StrSt *ss = (StrSt *)(st + c->off[op->kind]);

			if (op->kind == K_LAST || !ss->has)
				str_set(ss, s + 1, n - 1);
		}
		return 0;
	case K_SET:
		while (p < end) {
			const char *item;
			size_t len;

			if (get_u64(&p, end, &v) < 0 || p == end || *p++ != ':' ||
			    get_item(&p, end, &item, &len) < 0 || v == 0)
				return -1;
			if (apply)
				set_add((StrMap **)(st + c->off[K_SET]), item, len, v);
		}
		return 0;
	case K_LIST:
		while (p < end) {
			const char *item;
			size_t len;

			if (get_item(&p, end, &item, &len) < 0)
				return -1;
		}
		if (apply)
			buf_add((Buf *)(st + c->off[K_LIST]), s, n);
		return 0;
	}
	return -1;
}

