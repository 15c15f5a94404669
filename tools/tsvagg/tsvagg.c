/* tsvagg.c: hash aggregation of TSV (group-by, statistics, pivot, partial
 * state and merge). The core, without main: see tsvagg.h.
 *
 * Rows are split in place (fields are pointers into the read buffer), the
 * group key is the bytes of the group fields joined by tabs (a span of the
 * line when the group columns are adjacent, so no copy at all), and groups
 * live in an open-addressing hash table keyed on those bytes. Each group
 * owns one fixed-size block of state laid out once for the requested
 * operations, so count+sum costs a few dozen bytes per group.
 *
 * Values are kept in their escaped (COPY text) form: group keys, first,
 * last, unique, collapse and mode print exactly the bytes they read.
 * Numbers are exact decimals (128-bit mantissa, scale <= 30); a number that
 * does not fit falls back to a double and so does every result it touches
 * (printed with 15 significant digits).
 */
#include "tsvagg.h"
#include "decimal.h"
#include "err.h"
#include "input.h"
#include "tsv.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK	(1 << 20)
#define BATCH		32	/* rows parsed ahead of their hash lookups */
#define NUM_MAX_SCALE	30	/* scale of input numbers (as common/decimal) */
#define STATE_MAX_SCALE	60	/* sums of squares in partial files */

/* --- exact numbers ------------------------------------------------------ */

typedef struct {
	union {
		__int128 m;	/* exact: value = m * 10^-scale */
		double f;	/* inexact */
	} u;
	int32_t scale;
	int32_t inexact;
} Num;

static __int128 LIM;	/* 10^38: mantissas stay below, 39 digits print */
static double p10[128];

/* Seeded per process (address-space layout and time): input crafted to
 * collide cannot turn the tables quadratic. No output depends on it. */
static uint64_t hash_seed;

static void
num_init(void)
{
	int i;

	if (LIM != 0)
		return;
	hash_seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)&hash_seed ^
		    ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
	LIM = (__int128)10000000000000000000ULL * (__int128)10000000000000000000ULL;
	p10[0] = 1;
	for (i = 1; i < 128; i++)
		p10[i] = p10[i - 1] * 10;
}

static double
num_dbl(const Num *x)
{
	if (x->inexact)
		return x->u.f;
	return (double)x->u.m / p10[x->scale];
}

static long double
num_ldbl(const Num *x)
{
	if (x->inexact)
		return x->u.f;
	return (long double)x->u.m / (long double)p10[x->scale];
}

static void
num_set_double(Num *x, double f)
{
	x->u.f = f;
	x->scale = 0;
	x->inexact = 1;
}

/* Bring exact a and b to one scale; -1 when a mantissa would pass LIM. */
static int
num_align(Num *a, Num *b)
{
	while (a->scale < b->scale) {
		if (a->u.m >= LIM / 10 || a->u.m <= -LIM / 10)
			return -1;
		a->u.m *= 10;
		a->scale++;
	}
	while (b->scale < a->scale) {
		if (b->u.m >= LIM / 10 || b->u.m <= -LIM / 10)
			return -1;
		b->u.m *= 10;
		b->scale++;
	}
	return 0;
}

static void
num_add(Num *acc, const Num *x)
{
	if (!acc->inexact && !x->inexact) {
		Num a = *acc, b = *x;
		__int128 s;

		if ((a.scale == b.scale || num_align(&a, &b) == 0) &&
		    !__builtin_add_overflow(a.u.m, b.u.m, &s) && s < LIM && s > -LIM) {
			acc->u.m = s;
			acc->scale = a.scale;
			return;
		}
	}
	num_set_double(acc, num_dbl(acc) + num_dbl(x));
}

static int
num_cmp(const Num *x, const Num *y)
{
	if (!x->inexact && !y->inexact) {
		Num a = *x, b = *y;

		if (a.scale == b.scale || num_align(&a, &b) == 0)
			return a.u.m < b.u.m ? -1 : a.u.m > b.u.m;
	}
	{
		double p = num_dbl(x), q = num_dbl(y);

		return p < q ? -1 : p > q;
	}
}

static Num
num_sq(const Num *x)
{
	Num r = {{0}, 0, 0};
	__int128 lim19 = (__int128)10000000000000000000ULL;

	if (!x->inexact && x->u.m < lim19 && x->u.m > -lim19 && x->scale * 2 <= STATE_MAX_SCALE) {
		r.u.m = x->u.m * x->u.m;
		r.scale = x->scale * 2;
		return r;
	}
	num_set_double(&r, num_dbl(x) * num_dbl(x));
	return r;
}

/* Shortest text for a double result: 15 significant digits, never "-0". */
static void
fmt_ldouble(Buf *b, long double v)
{
	if (v == 0)
		v = 0;	/* -0 */
	if (isnan(v)) {
		buf_adds(b, "nan");
		return;
	}
	buf_addf(b, "%.15Lg", v);
}

/* Print x: exact decimals as the shortest exact text; inexact as %.15g, or
 * for partial state ("~" prefix, %.17g) so that it reads back bit for bit. */
static void
num_format(Buf *b, const Num *x, int state)
{
	if (x->inexact) {
		if (state)
			buf_addf(b, "~%.17g", x->u.f);
		else
			fmt_ldouble(b, x->u.f);
		return;
	}
	if (x->scale > 62) {
		fmt_ldouble(b, num_ldbl(x));
		return;
	}
	{
		Dec d;

		d.mant = x->u.m;
		d.scale = x->scale;
		dec_format(b, d);
	}
}

enum { NUM_OK = 0, NUM_SYNTAX = -1, NUM_RANGE = -2 };

/* Parse s[0..n) as a number. Fast path: [+-]digits[.digits] with up to 18
 * significant digits; common/decimal for exponents and long mantissas;
 * strtod (inexact) past 38 digits. With state, a "~" prefix means a double
 * and the scale may reach STATE_MAX_SCALE (sums of squares). */
static int
num_parse(const char *s, size_t n, Num *x, int state)
{
	size_t i = 0;
	int neg = 0, dot = 0, any = 0, scale = 0;
	uint64_t m = 0;

	if (n > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';

		if (c < 10) {
			if (m >= 100000000000000000ULL)
				goto slow;
			m = m * 10 + c;
			any = 1;
			scale += dot;
		} else if (s[i] == '.' && !dot) {
			dot = 1;
		} else {
			goto slow;
		}
	}
	if (!any || scale > (state ? STATE_MAX_SCALE : NUM_MAX_SCALE))
		goto slow;
	x->u.m = neg ? -(__int128)m : (__int128)m;
	x->scale = scale;
	x->inexact = 0;
	return NUM_OK;
slow:
	if (state && n > 0 && s[0] == '~') {
		char tmp[64], *end;
		double f;

		if (n - 1 >= sizeof tmp)
			return NUM_SYNTAX;
		memcpy(tmp, s + 1, n - 1);
		tmp[n - 1] = '\0';
		f = strtod(tmp, &end);
		if (end == tmp || *end != '\0')
			return NUM_SYNTAX;
		num_set_double(x, f);
		return NUM_OK;
	}
	if (state) {
		/* Long exact state (a scale up to 60): digits by hand. */
		__int128 M = 0;
		int nd = 0;

		neg = dot = any = scale = 0;
		i = 0;
		if (n > 0 && (s[0] == '-' || s[0] == '+'))
			neg = s[i++] == '-';
		for (; i < n; i++) {
			if (s[i] >= '0' && s[i] <= '9') {
				if (M != 0 || s[i] != '0')
					nd++;
				if (nd > 38)
					break;
				M = M * 10 + (s[i] - '0');
				any = 1;
				scale += dot;
			} else if (s[i] == '.' && !dot) {
				dot = 1;
			} else {
				break;
			}
		}
		if (i == n && any && scale <= STATE_MAX_SCALE) {
			x->u.m = neg ? -M : M;
			x->scale = scale;
			x->inexact = 0;
			return NUM_OK;
		}
	}
	{
		Dec d;
		int r = dec_parse(s, n, &d, 0);

		if (r == DEC_OK) {
			x->u.m = d.mant;
			x->scale = d.scale;
			x->inexact = 0;
			return NUM_OK;
		}
		if (r == DEC_SYNTAX)
			return NUM_SYNTAX;
	}
	{
		/* Valid but too long for 38 digits: a double, or out of range. */
		char *tmp = xstrndup(s, n), *end;
		double f = strtod(tmp, &end);
		int ok = *end == '\0' && isfinite(f);

		free(tmp);
		if (!ok)
			return NUM_RANGE;
		num_set_double(x, f);
		return NUM_OK;
	}
}

/* --- a hash map of byte strings to dense indexes ------------------------ */

typedef struct {
	uint64_t h;
	uint64_t off;		/* in bytes */
	uint64_t count;		/* occurrences (sets) */
	uint64_t len;
} SmItem;

typedef struct {
	SmItem *it;
	size_t n, cap;
	uint64_t *tab;		/* 0 empty, else hash high 32 bits | index + 1 */
	size_t tcap;		/* power of two */
	Buf bytes;
} StrMap;

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = hash_seed ^ ((uint64_t)n * 0xff51afd7ed558ccdULL), w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

static void
sm_rehash(StrMap *m, size_t tcap)
{
	size_t i;

	free(m->tab);
	m->tab = xcalloc(tcap, sizeof *m->tab);
	m->tcap = tcap;
	for (i = 0; i < m->n; i++) {
		size_t j = m->it[i].h & (tcap - 1);

		while (m->tab[j])
			j = (j + 1) & (tcap - 1);
		m->tab[j] = (m->it[i].h & 0xFFFFFFFF00000000ULL) | (uint64_t)(i + 1);
	}
}

/* Index of key (added when absent; *added tells). */
static size_t
sm_get(StrMap *m, const char *k, size_t n, int *added)
{
	uint64_t h = hash_bytes(k, n), hi = h & 0xFFFFFFFF00000000ULL;
	size_t j, idx;

	/* Small first: a set per group (nunique, unique, mode) over hundreds
	 * of thousands of groups mostly holds a handful of values. */
	if (m->tcap == 0)
		sm_rehash(m, 4);
	j = h & (m->tcap - 1);
	while (m->tab[j]) {
		if ((m->tab[j] & 0xFFFFFFFF00000000ULL) == hi) {
			idx = (size_t)(m->tab[j] & 0xFFFFFFFF) - 1;
			if (m->it[idx].len == n && memcmp(m->bytes.s + m->it[idx].off, k, n) == 0) {
				*added = 0;
				return idx;
			}
		}
		j = (j + 1) & (m->tcap - 1);
	}
	if (m->n >= 0xFFFFFFFEu)
		die(EXIT_DATA, "more than 4 billion distinct keys");
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 2;
		m->it = xrealloc(m->it, m->cap * sizeof *m->it);
	}
	idx = m->n++;
	m->it[idx].h = h;
	m->it[idx].off = m->bytes.len;
	m->it[idx].len = n;
	m->it[idx].count = 0;
	buf_add(&m->bytes, k, n);
	m->tab[j] = hi | (uint64_t)(idx + 1);
	if (m->n * 2 > m->tcap)
		sm_rehash(m, m->tcap * 2);
	*added = 1;
	return idx;
}

static const char *
sm_key(const StrMap *m, size_t i)
{
	return m->bytes.s + m->it[i].off;
}

static void
sm_free(StrMap *m)
{
	free(m->it);
	free(m->tab);
	buf_free(&m->bytes);
	memset(m, 0, sizeof *m);
}

/* --- operations --------------------------------------------------------- */

/* The kinds of state an operation reads. Each operation reads exactly one;
 * operations on one column share its state. */
enum { K_ROWS, K_CNT, K_NUM, K_VALS, K_FIRST, K_LAST, K_SET, K_LIST, NKIND };

enum {
	OP_COUNT, OP_SUM, OP_MEAN, OP_MIN, OP_MAX, OP_RANGE, OP_MEDIAN, OP_Q1, OP_Q3,
	OP_STDEV, OP_VAR, OP_PSTDEV, OP_PVAR, OP_FIRST, OP_LAST, OP_NUNIQUE,
	OP_UNIQUE, OP_COLLAPSE, OP_MODE
};

static const struct {
	const char *name;
	int kind;
	int numeric;
} optab[] = {
	[OP_COUNT] = {"count", K_CNT, 0},
	[OP_SUM] = {"sum", K_NUM, 1},
	[OP_MEAN] = {"mean", K_NUM, 1},
	[OP_MIN] = {"min", K_NUM, 1},
	[OP_MAX] = {"max", K_NUM, 1},
	[OP_RANGE] = {"range", K_NUM, 1},
	[OP_MEDIAN] = {"median", K_VALS, 1},
	[OP_Q1] = {"q1", K_VALS, 1},
	[OP_Q3] = {"q3", K_VALS, 1},
	[OP_STDEV] = {"stdev", K_NUM, 1},
	[OP_VAR] = {"var", K_NUM, 1},
	[OP_PSTDEV] = {"pstdev", K_NUM, 1},
	[OP_PVAR] = {"pvar", K_NUM, 1},
	[OP_FIRST] = {"first", K_FIRST, 0},
	[OP_LAST] = {"last", K_LAST, 0},
	[OP_NUNIQUE] = {"nunique", K_SET, 0},
	[OP_UNIQUE] = {"unique", K_SET, 0},
	[OP_COLLAPSE] = {"collapse", K_LIST, 0},
	[OP_MODE] = {"mode", K_SET, 0},
};
#define NOPTAB (sizeof optab / sizeof optab[0])

typedef struct {
	int id;
	int kind;
	long acc;		/* -1: plain count (rows) */
	char *outname;		/* output column */
	char *pname;		/* partial column: "@sum:value" */
	int source;		/* this op's column carries its kind's state */
	long pcol;		/* --merge: column in the partial file */
} Op;

typedef struct {
	long col;		/* input column, 0-based */
	char *name;
	int need[NKIND];
	int numeric, sumsq, minmax;
	size_t off[NKIND];
} Acc;

/* Per-kind state inside a group's block. */
/* Only the prefix a column needs is allocated: n and sum always, min and
 * max for min/max/range, sumsq for the variances. */
typedef struct {
	uint64_t n;
	uint64_t pad;
	Num sum, min, max, sumsq;
} NumSt;
typedef struct {
	Num *v;
	size_t n, cap;
	int sorted;
} ValsSt;
typedef struct {
	char *s;
	size_t len;
	int has;
} StrSt;

typedef struct {
	const char *s;
	size_t len;
} F;

typedef struct {
	uint32_t hhi;		/* hash bits 32-63 */
	uint32_t len;		/* key length */
	char *rec;		/* NULL: empty slot */
} Slot;

typedef struct {
	const char *name;
	unsigned long long line;
	int header_done;
	int skip;		/* header mismatch: ignore the rest */
	int failed, fatal;
	unsigned long nerr;
	unsigned long long ignored;
} Src;

struct Agg {
	AggOpts o;
	const char *fill;
	int max_errors;
	/* op specs as given */
	char **spec_op;		/* op name */
	char **spec_col;	/* column list or NULL */
	int *spec_id;
	size_t nspec;
	/* resolved at the first header */
	int resolved;
	int unresolvable;	/* the columns did not fit the first header */
	char *header;
	size_t headerlen;
	char *header_from;
	size_t nf;
	F *hf;			/* header fields (into header) */
	long *gcol;
	size_t ng;
	long pivot_pos;		/* in gcol, or -1 */
	int gspan;		/* group columns adjacent and ascending */
	Op *op;
	size_t nop;
	Acc *acc;
	size_t nacc;
	size_t stride;
	/* groups: a hash table of slots pointing at records, each record the
	 * group's state (stride bytes: rows at 0, key length at 8) followed
	 * by its key bytes, so a lookup touches a slot and one record. */
	Slot *slot;
	size_t scap;		/* power of two */
	int slg;		/* log2(scap): a slot is the top bits of hhi */
	char **grec;		/* records in first-seen order */
	size_t ngroups, grcap;
	char **chunks;		/* record arena */
	size_t nchunks;
	size_t cused, ccap;
	/* scratch */
	F *f;
	size_t fcap;
	Buf key, tmp, cell;
	/* A batch of checked rows whose group lookups are still to do: their
	 * slots are prefetched while the next rows are parsed, which hides
	 * most cache misses of a table larger than the cache. */
	size_t nb;
	const char *bkey[BATCH];
	size_t bklen[BATCH], bkoff[BATCH];
	uint64_t bh[BATCH];
	Buf bkeys;		/* keys of non-adjacent group columns */
	Num *rowval;		/* BATCH x nacc: parsed values */
	signed char *rowuse;	/* BATCH x nacc: 0 skip, 1 string only, 2 number */
	F *rowf;		/* BATCH x nacc: the fields */
	unsigned long long rows, ignored;
};

static int
op_lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NOPTAB; i++)
		if (strlen(optab[i].name) == n && memcmp(optab[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

int
agg_is_op(const char *arg)
{
	const char *colon = strchr(arg, ':');
	int id = op_lookup(arg, colon ? (size_t)(colon - arg) : strlen(arg));

	return id >= 0 && (colon || id == OP_COUNT);
}

Agg *
agg_new(const AggOpts *o, Buf *err)
{
	Agg *a;
	size_t i;

	num_init();
	if (o->merge && o->group)
		buf_addf(err, "--merge takes the groups and operations from the partial files' header:"
			 " give no -g");
	else if (o->merge && o->nops)
		buf_addf(err, "--merge takes the operations from the partial files' header:"
			 " give none (found '%s')", o->ops[0]);
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
	a->spec_id = xcalloc(o->nops + 1, sizeof *a->spec_id);
	for (i = 0; i < o->nops; i++) {
		const char *s = o->ops[i], *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);
		int id = op_lookup(s, n);

		if (id < 0) {
			buf_addf(err, "unknown operation '%.*s' in '%s'", (int)n, s, s);
			break;
		}
		if (colon && colon[1] == '\0') {
			buf_addf(err, "no column after ':' in '%s'", s);
			break;
		}
		if (!colon && id != OP_COUNT) {
			buf_addf(err, "operation '%s' needs a column: '%s:COLUMN'", s, s);
			break;
		}
		a->spec_id[i] = id;
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

static void
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
	free(a->spec_id);
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

/* --- reading ------------------------------------------------------------- */

static size_t
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

static int
is_missing(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '-'))
		return 1;
	if (n > 4 || (s[0] != 'n' && s[0] != 'N'))
		return 0;
	return (n == 3 && strncasecmp(s, "nan", 3) == 0) ||
	       (n == 2 && strncasecmp(s, "na", 2) == 0) ||
	       (n == 3 && strncasecmp(s, "n/a", 3) == 0) ||
	       (n == 4 && strncasecmp(s, "null", 4) == 0);
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

static void
add_op(Agg *a, int id, Acc *c, const char *colname)
{
	Op *op;
	Buf b = BUF_INIT;

	a->op = xrealloc(a->op, (a->nop + 1) * sizeof *a->op);
	op = &a->op[a->nop++];
	memset(op, 0, sizeof *op);
	op->id = id;
	op->acc = c ? c - a->acc : -1;
	op->kind = c ? optab[id].kind : K_ROWS;
	op->pcol = -1;
	if (c) {
		buf_addf(&b, "%s_%s", colname, optab[id].name);
		op->outname = buf_detach(&b);
		buf_addf(&b, "@%s:%s", optab[id].name, colname);
		op->pname = buf_detach(&b);
		c->need[op->kind] = 1;
		if (optab[id].numeric)
			c->numeric = 1;
		if (id == OP_STDEV || id == OP_VAR || id == OP_PSTDEV || id == OP_PVAR)
			c->sumsq = 1;
		if (id == OP_MIN || id == OP_MAX || id == OP_RANGE)
			c->minmax = 1;
	} else {
		op->outname = xstrdup("count");
		op->pname = xstrdup("@count");
	}
}

/* Lay out a group's state block and mark which op carries which state in
 * partial files (the first op of each kind on each column). */
static void
layout(Agg *a)
{
	size_t off = 16, i, j;
	int rows_src = 0;

	for (i = 0; i < a->nacc; i++) {
		Acc *c = &a->acc[i];
		size_t sz[NKIND] = {0, 16, sizeof(NumSt), sizeof(ValsSt),
				    sizeof(StrSt), sizeof(StrSt), 16, sizeof(Buf)};

		if (!c->sumsq)
			sz[K_NUM] = c->minmax ? offsetof(NumSt, sumsq) : offsetof(NumSt, min);
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

static int
resolve(Agg *a, Src *s)
{
	Fields h = FIELDS_INIT;
	Buf err = BUF_INIT;
	size_t i, k;
	long j;

	h.n = h.cap = a->nf;
	h.f = xcalloc(a->nf, sizeof *h.f);
	for (i = 0; i < a->nf; i++) {
		h.f[i].s = (char *)a->hf[i].s;
		h.f[i].len = a->hf[i].len;
	}
	if (a->o.merge) {
		for (i = 0; i < a->nf && (a->hf[i].len == 0 || a->hf[i].s[0] != '@'); i++)
			;
		a->ng = i;
		a->gcol = xcalloc(a->ng + 1, sizeof *a->gcol);
		for (i = 0; i < a->ng; i++)
			a->gcol[i] = (long)i;
		for (i = a->ng; i < a->nf; i++) {
			const char *p = a->hf[i].s + 1, *colon;
			size_t n = a->hf[i].len - 1;
			int id;

			if (a->hf[i].len == 0 || a->hf[i].s[0] != '@') {
				buf_addf(&err, "not a partial file: column %zu follows the operations"
					 " but does not start with '@'", i + 1);
				goto fail;
			}
			colon = memchr(p, ':', n);
			id = op_lookup(p, colon ? (size_t)(colon - p) : n);
			if (id < 0 || (!colon && id != OP_COUNT)) {
				buf_addf(&err, "not a partial file: unknown operation column '%.*s'",
					 (int)a->hf[i].len, a->hf[i].s);
				goto fail;
			}
			if (colon) {
				char *name = xstrndup(colon + 1, n - (size_t)(colon + 1 - p));

				add_op(a, id, acc_for(a, -1, name), name);
				free(name);
			} else {
				add_op(a, id, NULL, NULL);
			}
			a->op[a->nop - 1].pcol = (long)i;
		}
		if (a->nop == 0) {
			buf_addf(&err, "not a partial file: no '@operation' columns in the header");
			goto fail;
		}
		if (a->o.pivot) {
			Fields gh = h;

			gh.n = a->ng;
			if ((j = resolve_one(&gh, a->o.pivot, &err)) < 0)
				goto fail;
			a->pivot_pos = j;
		}
	} else {
		if (a->o.group) {
			long n = tsv_resolve_columns(&h, a->o.group, &a->gcol, &err);

			if (n < 0)
				goto fail;
			a->ng = (size_t)n;
		}
		if (a->o.pivot) {
			if ((j = resolve_one(&h, a->o.pivot, &err)) < 0)
				goto fail;
			for (i = 0; i < a->ng; i++)
				if (a->gcol[i] == j) {
					buf_addf(&err, "the pivot column '%s' is also a group column", a->o.pivot);
					goto fail;
				}
			a->gcol = xrealloc(a->gcol, (a->ng + 1) * sizeof *a->gcol);
			a->gcol[a->ng] = j;
			a->pivot_pos = (long)a->ng++;
		}
		for (i = 0; i < a->nspec; i++) {
			long *idx = NULL, n;

			if (a->spec_col[i] == NULL) {
				add_op(a, a->spec_id[i], NULL, NULL);
				continue;
			}
			n = tsv_resolve_columns(&h, a->spec_col[i], &idx, &err);
			if (n < 0)
				goto fail;
			for (k = 0; k < (size_t)n; k++) {
				char *name = hname(a, idx[k]);

				add_op(a, a->spec_id[i], acc_for(a, idx[k], name), name);
				free(name);
			}
			free(idx);
		}
	}
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

static const char *
gkey(const Agg *a, size_t g, size_t *len)
{
	*len = (size_t)*(const uint64_t *)(a->grec[g] + 8);
	return a->grec[g] + a->stride;
}

static size_t
slot_of(const Agg *a, uint32_t hhi)
{
	return (size_t)(hhi >> (32 - a->slg));
}

static void
slots_grow(Agg *a)
{
	size_t cap = a->scap ? a->scap * 2 : 1024, i, j, old = a->scap;
	Slot *t = xcalloc(cap, sizeof *t), *o = a->slot;

	if (cap > ((size_t)1 << 32))
		die(EXIT_DATA, "more than 2 billion groups");
	a->slot = t;
	a->scap = cap;
	a->slg = a->slg ? a->slg + 1 : 10;
	for (i = 0; i < old; i++) {
		if (o[i].rec == NULL)
			continue;
		for (j = slot_of(a, o[i].hhi); t[j].rec; j = (j + 1) & (cap - 1))
			;
		t[j] = o[i];
	}
	free(o);
}

/* A new zeroed record of n bytes from the arena (16-aligned). */
static char *
rec_alloc(Agg *a, size_t n)
{
	char *r;

	n = (n + 15) & ~(size_t)15;
	if (a->nchunks == 0 || a->cused + n > a->ccap) {
		/* 4 KiB, doubling to 1 MiB: small inputs stay small */
		size_t cap = a->nchunks < 8 ? (size_t)4096 << a->nchunks : (size_t)1 << 20;

		if (cap < n)
			cap = n;

		a->chunks = xrealloc(a->chunks, (a->nchunks + 1) * sizeof *a->chunks);
		a->chunks[a->nchunks++] = xmalloc(cap);
		a->cused = 0;
		a->ccap = cap;
	}
	r = a->chunks[a->nchunks - 1] + a->cused;
	a->cused += n;
	memset(r, 0, a->stride);
	return r;
}

/* The state of group k[0..n), created when new. */
static char *
group_find(Agg *a, const char *k, size_t n, uint64_t h)
{
	uint32_t hhi = (uint32_t)(h >> 32);
	size_t j;
	char *r;

	if (n > UINT32_MAX)
		die(EXIT_DATA, "a group key longer than 4 GiB");
	if (a->scap == 0)
		slots_grow(a);
	for (j = slot_of(a, hhi); a->slot[j].rec; j = (j + 1) & (a->scap - 1)) {
		const Slot *sl = &a->slot[j];

		if (sl->hhi == hhi && sl->len == n && memcmp(sl->rec + a->stride, k, n) == 0)
			return sl->rec;
	}
	r = rec_alloc(a, a->stride + n);
	*(uint64_t *)(r + 8) = n;
	memcpy(r + a->stride, k, n);
	a->slot[j].hhi = hhi;
	a->slot[j].len = (uint32_t)n;
	a->slot[j].rec = r;
	if (a->ngroups == a->grcap) {
		a->grcap = a->grcap ? a->grcap * 2 : 256;
		a->grec = xrealloc(a->grec, a->grcap * sizeof *a->grec);
	}
	a->grec[a->ngroups++] = r;
	if (a->ngroups * 2 > a->scap)
		slots_grow(a);
	return r;
}

static char *
group_of(Agg *a, const char *k, size_t n)
{
	return group_find(a, k, n, hash_bytes(k, n));
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
vals_add(ValsSt *v, const Num *x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = *x;
	v->sorted = 0;
}

static void
num_add_value(NumSt *ns, const Acc *c, const Num *x)
{
	if (ns->n == 0) {
		ns->sum = *x;
		if (c->minmax)
			ns->min = ns->max = *x;
		if (c->sumsq)
			ns->sumsq = num_sq(x);
	} else {
		num_add(&ns->sum, x);
		if (c->minmax) {
			if (num_cmp(x, &ns->min) < 0)
				ns->min = *x;
			if (num_cmp(x, &ns->max) > 0)
				ns->max = *x;
		}
		if (c->sumsq) {
			Num q = num_sq(x);

			num_add(&ns->sumsq, &q);
		}
	}
	ns->n++;
}

/* Check and parse the current row into the batch (and prefetch its slot).
 * Every value is checked before any state changes: a row with an error is
 * left out of every result. */
static void batch_flush(Agg *a);

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
		if (a->o.skip_empty && is_missing(f->s, f->len)) {
			*use = 0;
			continue;
		}
		if (!c->numeric)
			continue;
		if (is_missing(f->s, f->len)) {
			row_error(a, s, "column %ld (%s): missing value '%s' in a numeric operation"
				  " (--skip-empty leaves it out)", c->col + 1, c->name,
				  shown(a, f->s, f->len));
			bad = 1;
			continue;
		}
		switch (num_parse(f->s, f->len, &a->rowval[base + j], 0)) {
		case NUM_OK:
			*use = 2;
			break;
		case NUM_RANGE:
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

/* Add batch row r to its group. */
static void
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

		if (use == 0)
			continue;
		if (c->need[K_CNT])
			(*(uint64_t *)(st + c->off[K_CNT]))++;
		if (use == 2) {
			if (c->need[K_NUM])
				num_add_value((NumSt *)(st + c->off[K_NUM]), c, &a->rowval[base + j]);
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

/* --- partial state: encode and merge ------------------------------------ */

static void
encode_state(Agg *a, const Op *op, const char *st, Buf *b)
{
	const Acc *c = op->acc >= 0 ? &a->acc[op->acc] : NULL;
	size_t i;

	switch (op->kind) {
	case K_ROWS:
		buf_addu(b, *(const uint64_t *)st);
		break;
	case K_CNT:
		buf_addu(b, *(const uint64_t *)(st + c->off[K_CNT]));
		break;
	case K_NUM: {
		const NumSt *ns = (const NumSt *)(st + c->off[K_NUM]);

		buf_addf(b, "%llu;", (unsigned long long)ns->n);
		if (ns->n)
			num_format(b, &ns->sum, 1);
		buf_addc(b, ';');
		if (ns->n && c->sumsq)
			num_format(b, &ns->sumsq, 1);
		buf_addc(b, ';');
		if (ns->n && c->minmax)
			num_format(b, &ns->min, 1);
		buf_addc(b, ';');
		if (ns->n && c->minmax)
			num_format(b, &ns->max, 1);
		break;
	}
	case K_VALS: {
		const ValsSt *v = (const ValsSt *)(st + c->off[K_VALS]);

		for (i = 0; i < v->n; i++) {
			if (i)
				buf_addc(b, ',');
			num_format(b, &v->v[i], 1);
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
static int
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

/* Parse (and with apply, merge into st) one op's state from s[0..n).
 * 0 ok, -1 malformed. */
static int
merge_state(Agg *a, const Op *op, char *st, const char *s, size_t n, int apply)
{
	const char *p = s, *end = s + n;
	const Acc *c = op->acc >= 0 ? &a->acc[op->acc] : NULL;
	uint64_t v;

	switch (op->kind) {
	case K_ROWS:
	case K_CNT:
		if (get_u64(&p, end, &v) < 0 || p != end)
			return -1;
		if (apply)
			*(uint64_t *)(op->kind == K_ROWS ? st : st + c->off[K_CNT]) += v;
		return 0;
	case K_NUM: {
		NumSt ns;
		const char *part[5];
		size_t plen[5], k;
		Num x[4];

		memset(&ns, 0, sizeof ns);
		for (k = 0; k < 5; k++) {
			const char *semi = memchr(p, ';', (size_t)(end - p));

			if ((semi == NULL) != (k == 4))
				return -1;
			part[k] = p;
			plen[k] = semi ? (size_t)(semi - p) : (size_t)(end - p);
			p = semi ? semi + 1 : end;
		}
		p = part[0];
		if (get_u64(&p, part[0] + plen[0], &ns.n) < 0 || p != part[0] + plen[0])
			return -1;
		for (k = 1; k < 5; k++) {
			int want = ns.n && (k == 1 || (k == 2 && c->sumsq) || (k >= 3 && c->minmax));

			if (!want) {
				if (plen[k])
					return -1;
				memset(&x[k - 1], 0, sizeof x[k - 1]);
			} else if (num_parse(part[k], plen[k], &x[k - 1], 1) != NUM_OK) {
				return -1;
			}
		}
		if (apply && ns.n) {
			NumSt *t = (NumSt *)(st + c->off[K_NUM]);

			if (t->n == 0) {
				t->sum = x[0];
				if (c->sumsq)
					t->sumsq = x[1];
				if (c->minmax) {
					t->min = x[2];
					t->max = x[3];
				}
			} else {
				num_add(&t->sum, &x[0]);
				if (c->sumsq)
					num_add(&t->sumsq, &x[1]);
				if (c->minmax && num_cmp(&x[2], &t->min) < 0)
					t->min = x[2];
				if (c->minmax && num_cmp(&x[3], &t->max) > 0)
					t->max = x[3];
			}
			t->n += ns.n;
		}
		return 0;
	}
	case K_VALS:
		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			Num x;

			if (num_parse(p, (size_t)(stop - p), &x, 1) != NUM_OK)
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

static void
line(Agg *a, Src *s, const char *p, size_t n)
{
	size_t k;

	s->line++;
	if (s->skip)
		return;
	if (n > 0 && p[n - 1] == '\r')
		n--;	/* CRLF */
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
	if (s->nerr > (unsigned long)a->max_errors)
		warnat(s->name, 0, "%lu more errors not shown (%lu rows left out in all)",
		       s->nerr - (unsigned long)a->max_errors, s->nerr);
	if (s->ignored) {
		warnat(s->name, 0, "%llu non-numeric value%s ignored (--ignore-bad)",
		       s->ignored, s->ignored == 1 ? "" : "s");
		a->ignored += s->ignored;
	}
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

/* --- results ------------------------------------------------------------- */

static int
cmp_num(const void *x, const void *y)
{
	return num_cmp(x, y);
}

static void
quantile(Buf *b, ValsSt *v, int quarter)
{
	size_t lo, frac;
	Num r, d;

	if (v->n == 0) {
		buf_addc(b, '-');
		return;
	}
	if (!v->sorted) {
		if (v->n <= 24) {
			/* most groups are small: no qsort (it mallocs per call) */
			size_t i, j;

			for (i = 1; i < v->n; i++) {
				Num x = v->v[i];

				for (j = i; j > 0 && num_cmp(&v->v[j - 1], &x) > 0; j--)
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
		Num hi = v->v[lo + 1], neg = r;
		__int128 m;

		if (!neg.inexact)
			neg.u.m = -neg.u.m;
		else
			neg.u.f = -neg.u.f;
		d = hi;
		num_add(&d, &neg);
		if (!d.inexact && !__builtin_mul_overflow(d.u.m, (__int128)(frac * 25), &m) &&
		    m < LIM && m > -LIM && d.scale + 2 <= 62) {
			d.u.m = m;
			d.scale += 2;
		} else {
			num_set_double(&d, num_dbl(&d) * (double)frac / 4);
		}
		num_add(&r, &d);
	}
	num_format(b, &r, 0);
}

static void
variance(Buf *b, const NumSt *ns, int sample, int root)
{
	long double n = (long double)ns->n, var;
	uint64_t div = sample ? ns->n - 1 : ns->n;

	if (ns->n == 0 || div == 0) {
		buf_addc(b, '-');
		return;
	}
	if (!ns->sum.inexact && !ns->sumsq.inexact) {
		/* n*Q - S^2, exactly when it fits: no cancellation. */
		Num s2 = num_sq(&ns->sum), q = ns->sumsq;
		__int128 nq, num;

		if (!s2.inexact && (q.scale == s2.scale || num_align(&q, &s2) == 0) &&
		    !__builtin_mul_overflow(q.u.m, (__int128)ns->n, &nq) &&
		    !__builtin_sub_overflow(nq, s2.u.m, &num)) {
			var = (long double)num / (long double)p10[q.scale] / n / (long double)div;
			goto out;
		}
	}
	{
		long double s = num_ldbl(&ns->sum), q = num_ldbl(&ns->sumsq);

		var = (q - s * s / n) / (long double)div;
	}
out:
	if (var < 0)
		var = 0;
	fmt_ldouble(b, root ? sqrtl(var) : var);
}

static const char *sort_base;
static const SmItem *sort_items;
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

static int
cmp_item(const void *x, const void *y)
{
	const SmItem *p = &sort_items[*(const size_t *)x], *q = &sort_items[*(const size_t *)y];
	size_t n = p->len < q->len ? p->len : q->len;
	int c = memcmp(sort_base + p->off, sort_base + q->off, n);

	if (c)
		return c;
	return p->len < q->len ? -1 : p->len > q->len;
}

/* Indexes of m's items, in first-seen order or sorted by bytes. */
static size_t *
sm_order(const StrMap *m, int sorted)
{
	size_t *ix = xmalloc((m->n + 1) * sizeof *ix), i;

	for (i = 0; i < m->n; i++)
		ix[i] = i;
	if (sorted && m->n > 1) {
		sort_base = m->bytes.s;
		sort_items = m->it;
		qsort(ix, m->n, sizeof *ix, cmp_item);
	}
	return ix;
}

/* One result cell into b. */
static void
result(Agg *a, const Op *op, char *st, Buf *b)
{
	const Acc *c = op->acc >= 0 ? &a->acc[op->acc] : NULL;
	size_t i;

	switch (op->id) {
	case OP_COUNT:
		if (c == NULL)
			buf_addu(b, *(uint64_t *)st);
		else
			buf_addu(b, *(uint64_t *)(st + c->off[K_CNT]));
		return;
	case OP_SUM: case OP_MEAN: case OP_MIN: case OP_MAX: case OP_RANGE: {
		NumSt *ns = (NumSt *)(st + c->off[K_NUM]);

		if (op->id == OP_SUM) {
			if (ns->n == 0)
				buf_addc(b, '0');
			else
				num_format(b, &ns->sum, 0);
		} else if (ns->n == 0) {
			buf_addc(b, '-');
		} else if (op->id == OP_MEAN) {
			if (ns->sum.inexact)
				fmt_ldouble(b, (long double)ns->sum.u.f / (long double)ns->n);
			else
				fmt_ldouble(b, (long double)ns->sum.u.m / (long double)p10[ns->sum.scale] /
					    (long double)ns->n);
		} else if (op->id == OP_RANGE) {
			Num r = ns->max, neg = ns->min;

			if (neg.inexact)
				neg.u.f = -neg.u.f;
			else
				neg.u.m = -neg.u.m;
			num_add(&r, &neg);
			num_format(b, &r, 0);
		} else {
			num_format(b, op->id == OP_MIN ? &ns->min : &ns->max, 0);
		}
		return;
	}
	case OP_MEDIAN:
		quantile(b, (ValsSt *)(st + c->off[K_VALS]), 2);
		return;
	case OP_Q1:
		quantile(b, (ValsSt *)(st + c->off[K_VALS]), 1);
		return;
	case OP_Q3:
		quantile(b, (ValsSt *)(st + c->off[K_VALS]), 3);
		return;
	case OP_STDEV: case OP_VAR: case OP_PSTDEV: case OP_PVAR:
		variance(b, (NumSt *)(st + c->off[K_NUM]), op->id == OP_STDEV || op->id == OP_VAR,
			 op->id == OP_STDEV || op->id == OP_PSTDEV);
		return;
	case OP_FIRST: case OP_LAST: {
		StrSt *ss = (StrSt *)(st + c->off[optab[op->id].kind]);

		if (ss->has)
			buf_add(b, ss->s, ss->len);
		else
			buf_addc(b, '-');
		return;
	}
	case OP_NUNIQUE: case OP_UNIQUE: case OP_MODE: {
		StrMap *m = *(StrMap **)(st + c->off[K_SET]);
		size_t *ix, best = 0;

		if (op->id == OP_NUNIQUE) {
			buf_addu(b, m ? m->n : 0);
			return;
		}
		if (m == NULL || m->n == 0) {
			buf_addc(b, '-');
			return;
		}
		if (op->id == OP_MODE) {
			/* most frequent; a tie goes to the value seen first */
			for (i = 1; i < m->n; i++)
				if (m->it[i].count > m->it[best].count)
					best = i;
			buf_add(b, sm_key(m, best), m->it[best].len);
			return;
		}
		ix = sm_order(m, 1);
		for (i = 0; i < m->n; i++) {
			if (i)
				buf_addc(b, ',');
			buf_add(b, sm_key(m, ix[i]), m->it[ix[i]].len);
		}
		free(ix);
		return;
	}
	case OP_COLLAPSE: {
		Buf *l = (Buf *)(st + c->off[K_LIST]);
		const char *p = l->s, *end = l->s + l->len, *item;
		size_t n;

		if (l->len == 0) {
			buf_addc(b, '-');
			return;
		}
		for (i = 0; p < end && get_item(&p, end, &item, &n) == 0; i++) {
			if (i)
				buf_addc(b, ',');
			buf_add(b, item, n);
		}
		return;
	}
	}
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
	result(a, op, st, &a->cell);
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
