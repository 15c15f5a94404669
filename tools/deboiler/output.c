/* output.c: what db_process() hands back: the body built from the kept
 * lines, --explain rows (one per removed line, strip or join, put in line
 * order), and the document written as header + body or as one TSV row of
 * its header values (--meta). */
#include "deboiler_int.h"
#include "err.h"
#include "tsv.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	unsigned long lineno;
	size_t idx, off, len;
} Row;

static int cmp_row(const void *a, const void *b);

/* 4. body: the kept lines, joined ones appended to the line before; the
 * date lines and speakers seen, for the metadata passes. */
void
build_body(DbDoc *d, Work *w, size_t ci, BodyMarks *bm)
{
	size_t k;

	bm->lastdate = bm->firstdate = (size_t)-1;
	bm->speakers = 0;
	for (k = 0; k < w->n; k++) {
		const char *s = LS(w, k);
		size_t n = LN(w, k);

		if (w->line[k].state == L_DROP)
			continue;
		if (w->line[k].state == L_JOIN && d->body.len && d->body.s[d->body.len - 1] == '\n')
			d->body.len--;
		buf_add(&d->body, s, n);
		buf_addc(&d->body, '\n');
		if (w->line[k].state == L_KEEP) {
			if (is_date_line(s, n)) {
				bm->lastdate = k;
				if (bm->firstdate == (size_t)-1)
					bm->firstdate = k;
			}
			if (is_colon_line(s, n, w->line[k].nchar) && k > ci)
				bm->speakers++;
		}
	}
}

void
explain_row(Deboiler *db, DbDoc *d, unsigned long lineno, const char *action, const char *rule,
	    const char *s, size_t n)
{
	if (!db->explain)
		return;
	buf_addf(&d->explain, "%lu\t%s\t%s\t", lineno, action, rule);
	tsv_buf_escaped(&d->explain, s, n);
	buf_addc(&d->explain, '\n');
}

static int
cmp_row(const void *a, const void *b)
{
	const Row *x = a, *y = b;

	if (x->lineno != y->lineno)
		return x->lineno < y->lineno ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Explain rows come from several passes: put them in line order. */
void
sort_explain(DbDoc *d)
{
	Row *row = NULL;
	size_t n = 0, cap = 0, i = 0;
	Buf nb = BUF_INIT;

	while (i < d->explain.len) {
		char *e = memchr(d->explain.s + i, '\n', d->explain.len - i);
		size_t len = e ? (size_t)(e - (d->explain.s + i)) + 1 : d->explain.len - i;

		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			row = xrealloc(row, cap * sizeof *row);
		}
		row[n].lineno = strtoul(d->explain.s + i, NULL, 10);
		row[n].idx = n;
		row[n].off = i;
		row[n].len = len;
		n++;
		i += len;
	}
	if (n < 2) {
		free(row);
		return;
	}
	qsort(row, n, sizeof *row, cmp_row);
	for (i = 0; i < n; i++)
		buf_add(&nb, d->explain.s + row[i].off, row[i].len);
	buf_free(&d->explain);
	d->explain = nb;
	free(row);
}

void
db_format(const DbDoc *d, Buf *out)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if (d->val[k])
			buf_addf(out, "%s: %s\n", db_key_name[k], d->val[k]);
	buf_addc(out, '\n');
	buf_add(out, d->body.s ? d->body.s : "", d->body.len);
}

void
db_format_meta_header(Buf *out)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		buf_addf(out, "%s\t", db_col_name[k]);
	buf_adds(out, "lines\tchars\n");
}

void
db_format_meta(const DbDoc *d, Buf *out)
{
	int k;

	for (k = 0; k < K_NKEYS; k++) {
		if (d->val[k])
			tsv_buf_escaped(out, d->val[k], strlen(d->val[k]));
		else
			buf_addc(out, '-');
		buf_addc(out, '\t');
	}
	buf_addf(out, "%zu\t%zu\n", d->lines, d->chars);
}
