/* agg.c: an Agg's life: agg_new checks the options and operation specs,
 * resolve() turns them into columns, operations and per-column state at
 * the first header (or from a partial file's header with --merge), and
 * agg_free releases it all.
 */
#include "agg.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

/* "unknown operation" with the nearest name and the list of them all. */
static void
unknown_op(Buf *err, const char *s, size_t n)
{
	const char *near = op_nearest(s, n);

	if (op_param_error(s, n, err))
		return;
	buf_addf(err, "unknown operation '%.*s' in '%s'", (int)n, s, s);
	if (near)
		buf_addf(err, " (did you mean '%s'?)", near);
	buf_adds(err, "; operations: ");
	op_list(err);
	buf_adds(err, " (P: a number, e.g. perc90)");
}

Agg *
agg_new(const AggOpts *o, Buf *err)
{
	Agg *a;
	size_t i;

	xn_init();
	hash_init();
	if (o->merge && o->group)
		buf_addf(err, "--merge takes the groups and operations from the partial files' header:"
			 " give no -g");
	else if (o->merge && o->nops)
		buf_addf(err, "--merge takes the operations from the partial files' header:"
			 " give none (found '%s')", o->ops[0]);
	else if (o->merge && (o->csv || o->delim))
		buf_addf(err, "--merge reads partial files, which are TSV: give no --csv or -t");
	else if (o->partial && o->pivot)
		buf_addf(err, "--pivot applies to the final result: give it to --merge, not --partial");
	else if (!o->merge && o->nops == 0)
		buf_addf(err, "no operation given (e.g. count, sum:value)");
	if (err->len)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->o = *o;
	a->fill = o->fill ? o->fill : "-";
	a->max_errors = o->max_errors > 0 ? o->max_errors : 10;
	a->pivot_pos = -1;
	a->spec_op = xcalloc(o->nops + 1, sizeof *a->spec_op);
	a->spec_col = xcalloc(o->nops + 1, sizeof *a->spec_col);
	a->spec_def = xcalloc(o->nops + 1, sizeof *a->spec_def);
	a->spec_param = xcalloc(o->nops + 1, sizeof *a->spec_param);
	for (i = 0; i < o->nops; i++) {
		const char *s = o->ops[i], *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		const OpDef *d = op_lookup(s, n, &a->spec_param[i]);

		if (d == NULL) {
			unknown_op(err, s, n);
			break;
		}
		if (colon && colon[1] == '\0') {
			buf_addf(err, "no column after ':' in '%s'", s);
			break;
		}
		if (!colon && !(d->flags & OPF_BARE)) {
			buf_addf(err, "operation '%s' needs a column: '%s:COLUMN'", s, s);
			break;
		}
		a->spec_def[i] = d;
		a->spec_op[i] = xstrndup(s, n);
		a->spec_col[i] = colon ? xstrdup(colon + 1) : NULL;
		a->nspec++;
	}
	if (err->len) {
		agg_free(a);
		return NULL;
	}
	return a;
}

void
agg_free(Agg *a)
{
	size_t i;

	if (a == NULL)
		return;
	free_state(a);
	for (i = 0; i < a->nspec; i++) {
		free(a->spec_op[i]);
		free(a->spec_col[i]);
	}
	free(a->spec_op);
	free(a->spec_col);
	free(a->spec_def);
	free(a->spec_param);
	for (i = 0; i < a->nop; i++) {
		free(a->op[i].outname);
		free(a->op[i].pname);
	}
	free(a->op);
	for (i = 0; i < a->nacc; i++)
		free(a->acc[i].name);
	free(a->acc);
	free(a->header);
	free(a->header_from);
	free(a->hf);
	free(a->gcol);
	free(a->f);
	free(a->rowval);
	free(a->rowuse);
	free(a->rowf);
	buf_free(&a->bkeys);
	buf_free(&a->key);
	buf_free(&a->tmp);
	buf_free(&a->cell);
	buf_free(&a->conv);
	free(a);
}

unsigned long long
agg_rows(const Agg *a)
{
	return a->rows;
}

unsigned long long
agg_ignored(const Agg *a)
{
	return a->ignored;
}

static Acc *
acc_for(Agg *a, long col, const char *name)
{
	size_t i;

	for (i = 0; i < a->nacc; i++)
		if ((col >= 0 && a->acc[i].col == col) || (col < 0 && strcmp(a->acc[i].name, name) == 0))
			return &a->acc[i];
	a->acc = xrealloc(a->acc, (a->nacc + 1) * sizeof *a->acc);
	memset(&a->acc[a->nacc], 0, sizeof *a->acc);
	a->acc[a->nacc].col = col;
	a->acc[a->nacc].name = xstrdup(name);
	return &a->acc[a->nacc++];
}

/* An operation named opname (as given: "perc90") with its param on column
 * c (NULL: the plain row count). */
static void
add_op(Agg *a, const OpDef *d, const char *opname, const Xnum *param, Acc *c, const char *colname)
{
	Op *op;
	Buf b = BUF_INIT;

	a->op = xrealloc(a->op, (a->nop + 1) * sizeof *a->op);
	op = &a->op[a->nop++];
	memset(op, 0, sizeof *op);
	op->def = d;
	if (param)
		op->param = *param;
	op->acc = c ? c - a->acc : -1;
	op->kind = c ? d->kind : K_ROWS;
	op->pcol = -1;
	if (c) {
		buf_addf(&b, "%s_%s", colname, opname);
		op->outname = buf_detach(&b);
		buf_addf(&b, "@%s:%s", opname, colname);
		op->pname = buf_detach(&b);
		c->need[op->kind] = 1;
		if (d->flags & OPF_NUMERIC)
			c->numeric = 1;
		if (d->flags & OPF_SUMSQ)
			c->sumsq = 1;
		if (d->flags & OPF_MINMAX)
			c->minmax = 1;
	} else {
		op->outname = xstrdup("count");
		op->pname = xstrdup("@count");
	}
}


static char *
hname(Agg *a, long i)
{
	return xstrndup(a->hf[i].s, a->hf[i].len);
}

/* Resolve a single-column spec; -1 with a message. */
static long
resolve_one(Fields *h, const char *spec, Buf *err)
{
	long *idx = NULL, n = tsv_resolve_columns(h, spec, &idx, err), r;

	if (n < 0)
		return -1;
	if (n != 1) {
		buf_addf(err, "'%s' names %ld columns, one expected", spec, n);
		free(idx);
		return -1;
	}
	r = idx[0];
	free(idx);
	return r;
}

/* --merge: groups are the columns before the first "@OP:COLUMN" one, the
 * operations come from those columns. -1 with a message in err. */
static int
resolve_partial(Agg *a, Fields *h, Buf *err)
{
	size_t i;
	long j;

	for (i = 0; i < a->nf && (a->hf[i].len == 0 || a->hf[i].s[0] != '@'); i++)
		;
	a->ng = i;
	a->gcol = xcalloc(a->ng + 1, sizeof *a->gcol);
	for (i = 0; i < a->ng; i++)
		a->gcol[i] = (long)i;
	for (i = a->ng; i < a->nf; i++) {
		const char *p = a->hf[i].s + 1, *colon;
		size_t n = a->hf[i].len - 1;
		const OpDef *d;
		Xnum param;

		if (a->hf[i].len == 0 || a->hf[i].s[0] != '@') {
			buf_addf(err, "not a partial file: column %zu follows the operations"
				 " but does not start with '@'", i + 1);
			return -1;
		}
		colon = memchr(p, ':', n);
		d = op_lookup(p, colon ? (size_t)(colon - p) : n, &param);
		if (d == NULL || (!colon && !(d->flags & OPF_BARE))) {
			buf_addf(err, "not a partial file: unknown operation column '%.*s'",
				 (int)a->hf[i].len, a->hf[i].s);
			return -1;
		}
		if (colon) {
			char *name = xstrndup(colon + 1, n - (size_t)(colon + 1 - p));
			char *opname = xstrndup(p, (size_t)(colon - p));

			add_op(a, d, opname, &param, acc_for(a, -1, name), name);
			free(name);
			free(opname);
		} else {
			add_op(a, d, d->name, NULL, NULL, NULL);
		}
		a->op[a->nop - 1].pcol = (long)i;
	}
	if (a->nop == 0) {
		buf_addf(err, "not a partial file: no '@operation' columns in the header");
		return -1;
	}
	if (a->o.pivot) {
		Fields gh = *h;

		gh.n = a->ng;
		if ((j = resolve_one(&gh, a->o.pivot, err)) < 0)
			return -1;
		a->pivot_pos = j;
	}
	return 0;
}

/* Group, pivot and operation columns by name or number. -1 with a message. */
static int
resolve_columns(Agg *a, Fields *h, Buf *err)
{
	size_t i, k;
	long j;

	if (a->o.group) {
		long n = tsv_resolve_columns(h, a->o.group, &a->gcol, err);

		if (n < 0)
			return -1;
		a->ng = (size_t)n;
	}
	if (a->o.pivot) {
		if ((j = resolve_one(h, a->o.pivot, err)) < 0)
			return -1;
		for (i = 0; i < a->ng; i++)
			if (a->gcol[i] == j) {
				buf_addf(err, "the pivot column '%s' is also a group column", a->o.pivot);
				return -1;
			}
		a->gcol = xrealloc(a->gcol, (a->ng + 1) * sizeof *a->gcol);
		a->gcol[a->ng] = j;
		a->pivot_pos = (long)a->ng++;
	}
	for (i = 0; i < a->nspec; i++) {
		long *idx = NULL, n;

		if (a->spec_col[i] == NULL) {
			add_op(a, a->spec_def[i], a->spec_op[i], NULL, NULL, NULL);
			continue;
		}
		n = tsv_resolve_columns(h, a->spec_col[i], &idx, err);
		if (n < 0)
			return -1;
		for (k = 0; k < (size_t)n; k++) {
			char *name = hname(a, idx[k]);

			add_op(a, a->spec_def[i], a->spec_op[i], &a->spec_param[i],
			       acc_for(a, idx[k], name), name);
			free(name);
		}
		free(idx);
	}
	return 0;
}

/* At the first header: the columns, operations and state layout. */
int
resolve(Agg *a, Src *s)
{
	Fields h = FIELDS_INIT;
	Buf err = BUF_INIT;
	size_t i;

	h.n = h.cap = a->nf;
	h.f = xcalloc(a->nf, sizeof *h.f);
	for (i = 0; i < a->nf; i++) {
		h.f[i].s = (char *)a->hf[i].s;
		h.f[i].len = a->hf[i].len;
	}
	if ((a->o.merge ? resolve_partial(a, &h, &err) : resolve_columns(a, &h, &err)) < 0)
		goto fail;
	a->gspan = 1;
	for (i = 1; i < a->ng; i++)
		if (a->gcol[i] != a->gcol[i - 1] + 1)
			a->gspan = 0;
	layout(a);
	a->resolved = 1;
	fields_free(&h);
	return 0;
fail:
	warnat(s->name, s->line, "%s", err.s);
	buf_free(&err);
	fields_free(&h);
	return -1;
}

