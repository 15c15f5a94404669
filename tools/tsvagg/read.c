/* read.c: reading inputs. Lines from files (streamed in large reads) or
 * memory, the header row (checked against the first input's), each data
 * row split in place and its values checked and parsed into a batch whose
 * group lookups are prefetched, and --merge rows of partial state.
 */
#include "agg.h"
#include "err.h"
#include "input.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void batch_flush(Agg *a);
static void header_hints(Agg *a, Src *s);

size_t
split(Agg *a, const char *p, size_t n)
{
	const char *end = p + n;
	size_t k = 0;

	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *stop = tab ? tab : end;

		if (k == a->fcap) {
			a->fcap = a->fcap ? a->fcap * 2 : 16;
			a->f = xrealloc(a->f, a->fcap * sizeof *a->f);
		}
		a->f[k].s = p;
		a->f[k].len = (size_t)(stop - p);
		k++;
		if (tab == NULL)
			return k;
		p = tab + 1;
	}
}

static void
row_error(Agg *a, Src *s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
row_error(Agg *a, Src *s, const char *fmt, ...)
{
	va_list ap;

	s->failed = 1;
	if (s->nerr++ >= (unsigned long)a->max_errors)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %s:%llu: ", progname, s->name, s->line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* A value shown in a message: at most 40 bytes, control bytes as '?'. */
static const char *
shown(Agg *a, const char *s, size_t n)
{
	size_t i;

	buf_clear(&a->tmp);
	for (i = 0; i < n && i < 40; i++)
		buf_addc(&a->tmp, (unsigned char)s[i] < 0x20 ? '?' : s[i]);
	if (n > 40)
		buf_adds(&a->tmp, "...");
	return a->tmp.s ? a->tmp.s : "";
}

/* The group key of the current row into batch slot r. */
static void
row_key(Agg *a, size_t r)
{
	size_t i;

	if (a->ng == 0) {
		a->bkey[r] = "";
		a->bklen[r] = 0;
	} else if (a->gspan) {
		const F *f0 = &a->f[a->gcol[0]], *f1 = &a->f[a->gcol[a->ng - 1]];

		a->bkey[r] = f0->s;
		a->bklen[r] = (size_t)(f1->s + f1->len - f0->s);
	} else {
		a->bkey[r] = NULL;	/* bkeys may move: an offset until the flush */
		a->bkoff[r] = a->bkeys.len;
		for (i = 0; i < a->ng; i++) {
			if (i)
				buf_addc(&a->bkeys, '\t');
			buf_add(&a->bkeys, a->f[a->gcol[i]].s, a->f[a->gcol[i]].len);
		}
		a->bklen[r] = a->bkeys.len - a->bkoff[r];
		a->bh[r] = hash_bytes(a->bkeys.s + a->bkoff[r], a->bklen[r]);
		return;
	}
	a->bh[r] = hash_bytes(a->bkey[r], a->bklen[r]);
}

/* Check and parse the current row into the batch (and prefetch its slot).
 * Every value is checked before any state changes: a row with an error is
 * left out of every result. */
static void
data_row(Agg *a, Src *s)
{
	size_t j, r = a->nb, base = r * a->nacc;
	int bad = 0;

	for (j = 0; j < a->nacc; j++) {
		Acc *c = &a->acc[j];
		const F *f = &a->f[c->col];
		signed char *use = &a->rowuse[base + j];

		*use = 1;
		a->rowf[base + j] = *f;
		if (a->o.skip_empty && is_missing(a, f->s, f->len)) {
			*use = 0;
			continue;
		}
		if (!c->numeric)
			continue;
		if (is_missing(a, f->s, f->len)) {
			row_error(a, s, "column %ld (%s): missing value '%s' in a numeric operation"
				  " (--skip-empty leaves it out)", c->col + 1, c->name,
				  shown(a, f->s, f->len));
			bad = 1;
			continue;
		}
		switch (xn_parse(f->s, f->len, &a->rowval[base + j], 0)) {
		case XN_OK:
			*use = 2;
			break;
		case XN_RANGE:
			row_error(a, s, "column %ld (%s): number out of range '%s'",
				  c->col + 1, c->name, shown(a, f->s, f->len));
			bad = 1;
			break;
		default:
			if (a->o.ignore_bad) {
				s->ignored++;
				break;
			}
			row_error(a, s, "column %ld (%s): '%s' is not a number (--ignore-bad skips it)",
				  c->col + 1, c->name, shown(a, f->s, f->len));
			bad = 1;
		}
	}
	if (bad)
		return;
	row_key(a, r);
	if (a->scap)
		__builtin_prefetch(&a->slot[slot_of(a, (uint32_t)(a->bh[r] >> 32))]);
	if (++a->nb == BATCH)
		batch_flush(a);
}

/* Apply the batched rows. Must run before the buffer their fields point
 * into changes. */
static void
batch_flush(Agg *a)
{
	size_t r;

	for (r = 0; r < a->nb; r++) {
		if (a->bkey[r] == NULL)
			a->bkey[r] = a->bkeys.s + a->bkoff[r];
		if (a->scap) {
			const Slot *sl = &a->slot[slot_of(a, (uint32_t)(a->bh[r] >> 32))];

			if (sl->rec) {
				__builtin_prefetch(sl->rec);
				__builtin_prefetch(sl->rec + a->stride);
			}
		}
	}
	for (r = 0; r < a->nb; r++)
		apply_row(a, r);
	a->nb = 0;
	buf_clear(&a->bkeys);
}


static void
merge_row(Agg *a, Src *s)
{
	size_t i;
	char *st = NULL;
	int pass;

	/* Validate every state first: a malformed row changes nothing. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			st = a->ng ? group_of(a, a->f[0].s,
					      (size_t)(a->f[a->ng - 1].s + a->f[a->ng - 1].len - a->f[0].s))
				   : group_of(a, "", 0);
		} else {
			st = NULL;
		}
		for (i = 0; i < a->nop; i++) {
			const Op *op = &a->op[i];
			const F *f = &a->f[op->pcol];
			long n;

			if (!op->source) {
				if (f->len != 0) {
					row_error(a, s, "column %ld (%s): state expected empty (it is"
						  " carried by an earlier column)", op->pcol + 1, op->pname);
					return;
				}
				continue;
			}
			buf_clear(&a->tmp);
			buf_add(&a->tmp, f->s, f->len);
			n = tsv_unescape(a->tmp.s, a->tmp.len);
			if (n < 0 || merge_state(a, op, st, a->tmp.s, (size_t)n, pass) < 0) {
				row_error(a, s, "column %ld (%s): malformed partial state",
					  op->pcol + 1, op->pname);
				return;
			}
		}
	}
	a->rows++;
}

/* --- lines --------------------------------------------------------------- */

static void
header_line(Agg *a, Src *s, const char *p, size_t n)
{
	if (memchr(p, '\0', n)) {
		warnat(s->name, s->line, "binary data (a NUL byte in the header row)");
		s->failed = s->skip = 1;
		return;
	}
	if (memchr(p, '\r', n)) {
		warnat(s->name, s->line, "carriage return inside the header row: CR-only line"
		       " ends are not supported (convert with tr '\\r' '\\n')");
		s->failed = s->skip = 1;
		return;
	}
	if (a->unresolvable) {
		s->fatal = s->skip = 1;
		return;
	}
	if (!a->resolved) {
		size_t i, k;

		a->header = xstrndup(p, n);
		a->headerlen = n;
		a->header_from = xstrdup(s->name);
		k = split(a, a->header, n);
		a->nf = k;
		a->hf = xcalloc(k, sizeof *a->hf);
		for (i = 0; i < k; i++)
			a->hf[i] = a->f[i];
		header_hints(a, s);
		if (resolve(a, s) < 0) {
			a->unresolvable = 1;
			s->fatal = s->skip = 1;
			return;
		}
	} else if (n != a->headerlen || memcmp(p, a->header, n) != 0) {
		warnat(s->name, s->line, "header differs from the header of %s: file skipped",
		       a->header_from);
		s->failed = s->skip = 1;
		return;
	}
	s->header_done = 1;
}

/* A CSV header: names (1 to 100 bytes each) between commas. */
static int
looks_like_csv(const char *p, size_t n)
{
	const char *end = p + n, *comma;
	int parts = 0;

	if (n > 4096)
		return 0;
	for (;; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if ((comma ? comma : end) == p || (comma ? comma : end) - p > 100)
			return 0;
		parts++;
		if (comma == NULL)
			return parts > 1;
	}
}

/* Warnings on a first header that is probably not one: every field a
 * number (a file without a header row: its first row would be lost), or
 * one field with commas (CSV read as TSV). */
static void
header_hints(Agg *a, Src *s)
{
	size_t i;
	Xnum x;

	if (a->o.merge || a->o.no_header || a->o.quiet)
		return;
	if (a->nf == 1 && !a->o.csv && a->o.delim == 0 && looks_like_csv(a->hf[0].s, a->hf[0].len))
		warnat(s->name, s->line, "the header row is one field with commas: the input looks"
		       " like CSV (read it with --csv)");
	for (i = 0; i < a->nf; i++)
		if (xn_parse(a->hf[i].s, a->hf[i].len, &x, 0) != XN_OK)
			return;
	warnat(s->name, s->line, "the header row looks like data (every field is a number):"
	       " if the input has no header row, give -N/--no-header");
}

static void
synth_header(Agg *a, Src *s, size_t nf)
{
	Buf h = BUF_INIT;
	size_t i;

	for (i = 0; i < nf; i++)
		buf_addf(&h, "%s%zu", i ? "\t" : "", i + 1);
	header_line(a, s, h.s, h.len);
	buf_free(&h);
}

/* A byte of a field in TSV's escaped form. */
static void
conv_byte(Buf *b, char c)
{
	switch (c) {
	case '\t': buf_adds(b, "\\t"); break;
	case '\\': buf_adds(b, "\\\\"); break;
	case '\r': buf_adds(b, "\\r"); break;
	default: buf_addc(b, c);
	}
}

/* Convert a line of -t or --csv input to a TSV line in a->conv. CSV quoted
 * fields (RFC 4180: "a,b", "say ""hi""") may span lines: 0 while a
 * record's quote is still open (the line break is kept as \n). */
static int
conv_line(Agg *a, const char *p, size_t n)
{
	char delim = a->o.delim ? a->o.delim : ',';
	int start = !a->conv_open;	/* at the start of a field */
	size_t i;

	if (!a->conv_open)
		buf_clear(&a->conv);
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (a->conv_open) {
			if (c != '"')
				conv_byte(&a->conv, c);
			else if (i + 1 < n && p[i + 1] == '"')
				buf_addc(&a->conv, p[i++]);
			else
				a->conv_open = 0;
		} else if (c == delim) {
			buf_addc(&a->conv, '\t');
			start = 1;
			continue;
		} else if (c == '"' && start && a->o.csv) {
			a->conv_open = 1;
		} else {
			conv_byte(&a->conv, c);
		}
		start = 0;
	}
	if (a->conv_open) {
		buf_adds(&a->conv, "\\n");
		return 0;
	}
	return 1;
}

static void
line(Agg *a, Src *s, const char *p, size_t n)
{
	size_t k;

	s->line++;
	if (s->skip)
		return;
	if (n > 0 && p[n - 1] == '\r')
		n--;	/* CRLF */
	if (a->o.csv || a->o.delim) {
		if (!conv_line(a, p, n))
			return;
		p = a->conv.s ? a->conv.s : "";
		n = a->conv.len;
	}
	if (a->o.no_header && !s->header_done) {
		if (!a->resolved)
			synth_header(a, s, split(a, p, n));
		else
			s->header_done = 1;
		if (s->skip)
			return;
	}
	if (!s->header_done) {
		header_line(a, s, p, n);
		return;
	}
	k = split(a, p, n);
	if (k != a->nf) {
		row_error(a, s, "%zu field%s where the header has %zu (ragged row)",
			  k, k == 1 ? "" : "s", a->nf);
		return;
	}
	if (a->o.merge)
		merge_row(a, s);
	else
		data_row(a, s);
	if (a->o.csv || a->o.delim)
		batch_flush(a);	/* the fields point into a->conv */
}

static void
src_init(Src *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->name = name;
}

static int
src_finish(Agg *a, Src *s)
{
	if (a->conv_open) {
		row_error(a, s, "end of input inside a quoted CSV field (its row is left out)");
		a->conv_open = 0;
	}
	if (s->nerr > (unsigned long)a->max_errors)
		warnat(s->name, 0, "%lu more errors not shown (%lu rows left out in all)",
		       s->nerr - (unsigned long)a->max_errors, s->nerr);
	if (s->ignored && !a->o.quiet)
		warnat(s->name, 0, "%llu non-numeric value%s ignored (--ignore-bad)",
		       s->ignored, s->ignored == 1 ? "" : "s");
	a->ignored += s->ignored;
	if (s->fatal)
		return -2;
	return s->failed ? -1 : 0;
}

int
agg_feed_mem(Agg *a, const char *name, const char *data, size_t len)
{
	Src s;
	const char *p = data, *end = data + len;

	src_init(&s, name);
	while (p < end && !s.fatal) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;

		line(a, &s, p, (size_t)(stop - p));
		p = nl ? nl + 1 : end;
	}
	batch_flush(a);
	return src_finish(a, &s);
}

int
agg_feed_file(Agg *a, const char *path)
{
	In *in = in_open(path);
	Src s;
	char *buf;
	size_t cap = READ_CHUNK * 4, have = 0;
	size_t scanned = 0;	/* bytes at buf known to hold no '\n' */
	int rc, eof = 0;

	if (in == NULL)
		return -1;
	src_init(&s, in_name(in));
	buf = xmalloc(cap);
	for (;;) {
		long r;
		char *p, *end, *nl;

		if (cap - have < READ_CHUNK / 2) {
			cap *= 2;	/* a line longer than the buffer */
			buf = xrealloc(buf, cap);
		}
		r = in_read(in, buf + have, cap - have);
		if (r < 0) {
			/* Reported by in_read. The complete lines read so far
			 * count; a cut last line does not. */
			s.failed = 1;
			eof = -1;
			r = 0;
		} else if (r == 0) {
			eof = 1;
		}
		/* in_read returns at most its own buffer: fill ours up first. */
		have += (size_t)r;
		if (!eof && cap - have >= READ_CHUNK / 2 && have < READ_CHUNK * 2)
			continue;
		p = buf;
		end = buf + have;
		/* A long line is searched for its end once, not at every read. */
		nl = memchr(buf + scanned, '\n', have - scanned);
		while (!s.fatal && nl != NULL) {
			line(a, &s, p, (size_t)(nl - p));
			p = nl + 1;
			nl = memchr(p, '\n', (size_t)(end - p));
		}
		if (s.fatal)
			break;
		if (eof) {
			if (p < end && eof > 0)
				line(a, &s, p, (size_t)(end - p));	/* no final '\n' */
			batch_flush(a);
			break;
		}
		batch_flush(a);
		have = (size_t)(end - p);
		scanned = have;
		if (p != buf)
			memmove(buf, p, have);
	}
	free(buf);
	rc = src_finish(a, &s);
	in_close(in);
	return rc;
}

