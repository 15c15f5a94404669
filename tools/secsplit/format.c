/* format.c: secsplit's output: the sections TSV rows, the --outline view and
 * the --check coverage table (ss_format_*). */
#include "secsplit_int.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_escaped(Buf *out, const char *s, size_t n);
static void put_field(Buf *out, const char *s, size_t n);
static void put_doc_cols(const SsDoc *doc, Buf *out);
static const char *row_part(const SsRow *row);
static void put_short(Buf *out, const char *s, size_t n, size_t max);

/* --- output ------------------------------------------------------------- */

/* tsv_buf_escaped, written straight into the buffer: the text column is
 * most of the output. */
static void
put_escaped(Buf *out, const char *s, size_t n)
{
	char *d;
	size_t i = 0;

	buf_grow(out, 2 * n + 1);
	d = out->s + out->len;
	while (i < n) {
		size_t j = i;

		/* runs of ordinary bytes (all of UTF-8's multibyte ones) at once */
		while (j < n && ((unsigned char)s[j] > '\r' || s[j] < '\t') && s[j] != '\\')
			j++;
		memcpy(d, s + i, j - i);
		d += j - i;
		if (j == n)
			break;
		switch (s[j]) {
		case '\t': *d++ = '\\'; *d++ = 't'; break;
		case '\n': *d++ = '\\'; *d++ = 'n'; break;
		case '\r': *d++ = '\\'; *d++ = 'r'; break;
		case '\\': *d++ = '\\'; *d++ = '\\'; break;
		default: *d++ = s[j];	/* \v \f: as they are */
		}
		i = j + 1;
	}
	out->len = (size_t)(d - out->s);
	out->s[out->len] = '\0';
}

static void
put_field(Buf *out, const char *s, size_t n)
{
	if (s == NULL || n == 0)
		buf_addc(out, '-');
	else
		put_escaped(out, s, n);
}

static void
put_doc_cols(const SsDoc *doc, Buf *out)
{
	size_t n;
	const char *v;

	put_field(out, doc->doc, strlen(doc->doc));
	buf_addc(out, '\t');
	v = ss_header(doc, "Region", &n);
	put_field(out, v, n);
	buf_addc(out, '\t');
	v = ss_header(doc, "Year", &n);
	put_field(out, v, n);
}

static const char *
row_part(const SsRow *row)
{
	if (row->kind == SS_PREAMBLE)
		return "preamble";
	return row->part == PART_NONE ? "-" : ss_part_name[row->part];
}

void
ss_format_header(Buf *out)
{
	buf_adds(out, "doc\tregion\tyear\tseq\tlevel\tpath\tmarker\theading\tpart\tstart\tend\ttext\n");
}

void
ss_format_rows(const SsDoc *doc, const SsResult *res, Buf *out)
{
	size_t i;
	Buf cols = BUF_INIT;

	put_doc_cols(doc, &cols);
	for (i = 0; i < res->n; i++) {
		const SsRow *row = &res->row[i];

		buf_add(out, cols.s, cols.len);
		buf_addf(out, "\t%zu\t%d\t%s\t", i, row->level, row->path);
		put_field(out, doc->body + row->marker, row->markerlen);
		buf_addc(out, '\t');
		put_field(out, doc->body + row->heading, row->headinglen);
		buf_addf(out, "\t%s\t%zu\t%zu\t", row_part(row), row->start, row->end);
		put_escaped(out, doc->body + row->bstart, row->bend - row->bstart);
		buf_addc(out, '\n');
	}
	buf_free(&cols);
}

/* Up to max characters of s[0..n), "…" when cut; tabs and such as blanks. */
static void
put_short(Buf *out, const char *s, size_t n, size_t max)
{
	size_t i = 0, c = 0;

	while (i < n && c < max) {
		size_t l;
		uint32_t cp = cp_at(s + i, n - i, &l);

		if (cp < 0x20)
			buf_addc(out, ' ');
		else
			buf_add(out, s + i, l);
		i += l;
		c++;
	}
	if (i < n)
		buf_adds(out, "…");
}

void
ss_format_outline(const SsDoc *doc, const SsResult *res, Buf *out)
{
	size_t i, j, n;
	const char *v;

	buf_adds(out, "# ");
	buf_adds(out, doc->doc);
	v = ss_header(doc, "Title", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	v = ss_header(doc, "Region", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	v = ss_header(doc, "Year", &n);
	if (v && n)
		buf_addf(out, "  %.*s", (int)n, v);
	buf_addf(out, "  %s  %zu characters\n", res->type[0] ? res->type : "-",
		 res->n ? res->row[res->n - 1].end : 0);
	for (i = 0; i < res->n; i++) {
		const SsRow *row = &res->row[i];
		size_t end = row->end;
		int k;

		/* a section's length covers its subsections and items; a
		 * speaker turn's, its items */
		if (row->kind == SS_HEADING || row->kind == SS_SPEAKER) {
			for (j = i + 1; j < res->n; j++) {
				const SsRow *r2 = &res->row[j];

				if (r2->kind == SS_SPEAKER || (r2->kind == SS_HEADING &&
				    (row->kind == SS_SPEAKER || r2->level <= row->level)))
					break;
			}
			end = j < res->n ? res->row[j].start : res->row[res->n - 1].end;
		}
		switch (row->kind) {
		case SS_PREAMBLE:
			buf_adds(out, "[preamble]");
			break;
		case SS_SPEAKER:
			buf_adds(out, "> ");
			put_short(out, doc->body + row->heading, row->headinglen, 40);
			break;
		default:
			for (k = 1; k < row->level; k++)
				buf_adds(out, "  ");
			buf_add(out, doc->body + row->marker, row->markerlen);
			buf_addc(out, ' ');
			put_short(out, doc->body + row->heading, row->headinglen, 40);
			if (row->part != PART_NONE)
				buf_addf(out, "  [%s]", ss_part_name[row->part]);
			break;
		}
		buf_addf(out, "  (%zu)\n", end - row->start);
	}
	if (res->nproblems) {
		buf_adds(out, "! ");
		for (i = 0; i < res->problems.len; i++) {
			if (res->problems.s[i] == ';')
				buf_adds(out, "\n! ");
			else
				buf_addc(out, res->problems.s[i]);
		}
		buf_addc(out, '\n');
	}
}

void
ss_format_check_header(Buf *out)
{
	buf_adds(out, "doc\tregion\tyear\ttype\tmeasures\tproblems\tleadership\tplans\tother"
		 "\tmissing\tproblems_found\n");
}

void
ss_format_check(const SsDoc *doc, const SsResult *res, Buf *out)
{
	int k, nmiss = 0;

	put_doc_cols(doc, out);
	buf_addc(out, '\t');
	put_field(out, res->type, strlen(res->type));
	for (k = 0; k < NPARTS; k++)
		buf_adds(out, res->has_part[k] ? "\tyes" : "\tno");
	buf_addc(out, '\t');
	for (k = 0; k < NPARTS; k++) {
		if (res->has_part[k])
			continue;
		buf_adds(out, nmiss++ ? "," : "");
		buf_adds(out, ss_part_name[k]);
	}
	if (nmiss == 0)
		buf_addc(out, '-');
	buf_addc(out, '\t');
	put_field(out, res->problems.s, res->problems.len);
	buf_addc(out, '\n');
}
