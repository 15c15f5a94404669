/* emit.c: the output table: the header row, then one row per group (in
 * first-seen order, or sorted by key bytes), each cell an operation's
 * result or, with --partial, its mergeable state; or, with --pivot, a
 * table whose columns are the pivot column's values.
 */
#include "agg.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* group_order sorts with qsort, which passes no context: */
static const Agg *sort_agg;

static int
cmp_group(const void *x, const void *y)
{
	size_t pl, ql, n;
	const char *p = gkey(sort_agg, *(const size_t *)x, &pl);
	const char *q = gkey(sort_agg, *(const size_t *)y, &ql);
	int c;

	n = pl < ql ? pl : ql;
	c = memcmp(p, q, n);
	if (c)
		return c;
	return pl < ql ? -1 : pl > ql;
}

static size_t *
group_order(const Agg *a)
{
	size_t *ix = xmalloc((a->ngroups + 1) * sizeof *ix), i;

	for (i = 0; i < a->ngroups; i++)
		ix[i] = i;
	if (a->o.sort && a->ngroups > 1) {
		sort_agg = a;
		qsort(ix, a->ngroups, sizeof *ix, cmp_group);
	}
	return ix;
}


static void
put_cell(Agg *a, Out *o, const Op *op, char *st)
{
	buf_clear(&a->cell);
	if (a->o.partial) {
		if (op->source)
			encode_state(a, op, st, &a->cell);
		tsv_put_escaped(o, a->cell.s, a->cell.len);
		return;
	}
	op->def->result(a, op, st, &a->cell);
	out_write(o, a->cell.s, a->cell.len);
}

/* Key field i of group key k[0..n) (fields joined by tabs). */
static void
key_field(const char *k, size_t n, size_t i, const char **fs, size_t *fn)
{
	const char *p = k, *end = k + n, *tab;

	while (i-- > 0) {
		tab = memchr(p, '\t', (size_t)(end - p));
		p = tab ? tab + 1 : end;
	}
	tab = memchr(p, '\t', (size_t)(end - p));
	*fs = p;
	*fn = (size_t)((tab ? tab : end) - p);
}

static void
emit_pivot(Agg *a, Out *o, const size_t *order)
{
	StrMap rowk = {0}, colk = {0};
	size_t ng = a->ngroups, i, j, r, *gix, *rix, *cix, ncol, nrow;
	long *cell;
	Buf rk = BUF_INIT;
	int added;

	/* Rows: the key without the pivot field; columns: the pivot values. */
	gix = xmalloc((ng + 1) * 2 * sizeof *gix);
	for (i = 0; i < ng; i++) {
		const char *k, *fs;
		size_t kn, fn;

		int first = 1;

		k = gkey(a, order[i], &kn);
		buf_clear(&rk);
		for (j = 0; j < a->ng; j++) {
			if ((long)j == a->pivot_pos)
				continue;
			key_field(k, kn, j, &fs, &fn);
			if (!first)
				buf_addc(&rk, '\t');
			buf_add(&rk, fs, fn);
			first = 0;
		}
		gix[2 * i] = sm_get(&rowk, rk.s ? rk.s : "", rk.len, &added);
		key_field(k, kn, (size_t)a->pivot_pos, &fs, &fn);
		gix[2 * i + 1] = sm_get(&colk, fs, fn, &added);
	}
	nrow = rowk.n;
	ncol = colk.n;
	rix = sm_order(&rowk, a->o.sort);
	cix = sm_order(&colk, a->o.sort);
	cell = xmalloc((nrow * ncol + 1) * sizeof *cell);
	for (i = 0; i < nrow * ncol; i++)
		cell[i] = -1;
	for (i = 0; i < ng; i++)
		cell[gix[2 * i] * ncol + gix[2 * i + 1]] = (long)order[i];
	/* header */
	{
		int first = 1;

		for (j = 0; j < a->ng; j++) {
			if ((long)j == a->pivot_pos)
				continue;
			if (!first)
				out_putc(o, '\t');
			out_write(o, a->hf[a->gcol[j]].s, a->hf[a->gcol[j]].len);
			first = 0;
		}
		for (i = 0; i < ncol; i++) {
			for (j = 0; j < a->nop; j++) {
				if (!first)
					out_putc(o, '\t');
				first = 0;
				out_write(o, sm_key(&colk, cix[i]), colk.it[cix[i]].len);
				if (a->nop > 1) {
					out_putc(o, '_');
					out_puts(o, a->op[j].outname);
				}
			}
		}
		out_putc(o, '\n');
	}
	for (r = 0; r < nrow; r++) {
		size_t ri = rix[r];
		int first = a->ng == 1;	/* no row key printed */

		out_write(o, sm_key(&rowk, ri), rowk.it[ri].len);
		for (i = 0; i < ncol; i++) {
			long g = cell[ri * ncol + cix[i]];

			for (j = 0; j < a->nop; j++) {
				if (!first)
					out_putc(o, '\t');
				first = 0;
				if (g < 0)
					out_puts(o, a->fill);
				else
					put_cell(a, o, &a->op[j], a->grec[g]);
			}
		}
		out_putc(o, '\n');
	}
	free(gix);
	free(rix);
	free(cix);
	free(cell);
	buf_free(&rk);
	sm_free(&rowk);
	sm_free(&colk);
}

void
agg_emit(Agg *a, Out *o)
{
	size_t i, j, *order;

	if (!a->resolved)
		return;
	if (a->ng == 0 && a->ngroups == 0)
		group_of(a, "", 0);	/* no grouping: one row, even over no rows */
	order = group_order(a);
	if (a->pivot_pos >= 0) {
		emit_pivot(a, o, order);
		free(order);
		return;
	}
	for (j = 0; j < a->ng; j++) {
		if (j)
			out_putc(o, '\t');
		out_write(o, a->hf[a->gcol[j]].s, a->hf[a->gcol[j]].len);
	}
	for (j = 0; j < a->nop; j++) {
		if (j || a->ng)
			out_putc(o, '\t');
		out_puts(o, a->o.partial ? a->op[j].pname : a->op[j].outname);
	}
	out_putc(o, '\n');
	for (i = 0; i < a->ngroups; i++) {
		size_t g = order[i], kn;
		char *st = a->grec[g];
		const char *k = gkey(a, g, &kn);

		out_write(o, k, kn);
		for (j = 0; j < a->nop; j++) {
			if (j || a->ng)
				out_putc(o, '\t');
			put_cell(a, o, &a->op[j], st);
		}
		out_putc(o, '\n');
	}
	free(order);
}
