/* agg.h: tsvagg's internals shared by its files (the public API is
 * tsvagg.h). Who owns what:
 *   xnum.c    exact numbers (Xnum)
 *   groups.c  hashing, the string map (sets, pivot keys), the group table
 *   ops.c     the operation table: per operation its name, the state it
 *             reads, its flags and its result function (one row per op)
 *   vals.c    statistics over a group's kept values (quantiles, mad, ...)
 *   state.c   a group's state block: layout, adding values, free, and the
 *             partial-file encoding and merge of each kind of state
 *   agg.c     agg_new/agg_free and resolving columns at the first header
 *   read.c    lines, rows, values, batches: feeding files and buffers
 *   emit.c    the output table (plain and pivot)
 *
 * Rows are split in place (fields are pointers into the read buffer), the
 * group key is the bytes of the group fields joined by tabs (a span of the
 * line when the group columns are adjacent, so no copy at all), and groups
 * live in an open-addressing hash table keyed on those bytes. Each group
 * owns one fixed-size block of state laid out once for the requested
 * operations, so count+sum costs a few dozen bytes per group. Values are
 * kept in their escaped (COPY text) form: group keys, first, last, unique,
 * collapse and mode print exactly the bytes they read.
 */
#ifndef TSVAGG_AGG_H
#define TSVAGG_AGG_H

#include "tsvagg.h"
#include "xnum.h"
#include "tsv.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#define READ_CHUNK	(1 << 20)
#define BATCH		32	/* rows parsed ahead of their hash lookups */

/* The kinds of state an operation reads. Each operation reads exactly one;
 * operations on one column share its state. */
enum { K_ROWS, K_CNT, K_NUM, K_VALS, K_FIRST, K_LAST, K_SET, K_LIST, K_MISS, NKIND };

typedef struct Op Op;
typedef void (*OpResult)(Agg *a, const Op *op, char *st, Buf *b);

enum {
	OPF_NUMERIC = 1,	/* values must be numbers */
	OPF_BARE = 2,		/* may be given without a column (count) */
	OPF_SUMSQ = 4,		/* K_NUM keeps the sum of squares */
	OPF_MINMAX = 8,		/* K_NUM keeps min and max */
	OPF_PARAM = 16,		/* takes a number after its name: perc90 */
};

/* One row of the operation table (ops.c). */
typedef struct {
	const char *name;
	int kind;		/* the state it reads */
	unsigned flags;		/* OPF_* */
	OpResult result;	/* one result cell from a group's state */
	const char *param;	/* OPF_PARAM: the default ("95") */
	double pmax;		/* OPF_PARAM: the largest allowed (from 0) */
} OpDef;

struct Op {
	const OpDef *def;
	Xnum param;		/* OPF_PARAM: the number after the name */
	int kind;
	long acc;		/* -1: plain count (rows) */
	char *outname;		/* output column */
	char *pname;		/* partial column: "@sum:value" */
	int source;		/* this op's column carries its kind's state */
	long pcol;		/* --merge: column in the partial file */
};

/* The values of one input column and the state kinds its operations need. */
typedef struct {
	long col;		/* input column, 0-based */
	char *name;
	int need[NKIND];	/* kinds of state kept */
	int numeric, sumsq, minmax;
	size_t off[NKIND];
} Acc;

/* Per-kind state inside a group's block. Only the prefix of NumSt a column
 * needs is allocated: n and sum always, min and max for min/max/range,
 * the shifted sums for the variances: with shift = the first value, ssum
 * and ssq are the sums of (x - shift) and (x - shift)^2, small and exact
 * where raw sums of squares of large values would cancel. */
typedef struct {
	uint64_t n;
	uint64_t pad;
	Xnum sum, min, max, shift, ssum, ssq;
} NumSt;
typedef struct {
	Xnum *v;
	size_t n, cap;
	int sorted;
} ValsSt;
typedef struct {
	char *s;
	size_t len;
	int has;
} StrSt;

/* A map of byte strings to dense indexes with a count each (groups.c). */
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

typedef struct {
	const char *s;
	size_t len;
} F;

typedef struct {
	uint32_t hhi;		/* hash bits 32-63 */
	uint32_t len;		/* key length */
	char *rec;		/* NULL: empty slot */
} Slot;

/* One input being read. */
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
	const OpDef **spec_def;
	Xnum *spec_param;	/* OPF_PARAM: the number */
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
	Buf conv;		/* -t / --csv: the current record as TSV */
	int conv_open;		/* inside a quoted CSV field at a line end */
	/* A batch of checked rows whose group lookups are still to do: their
	 * slots are prefetched while the next rows are parsed, which hides
	 * most cache misses of a table larger than the cache. */
	size_t nb;
	const char *bkey[BATCH];
	size_t bklen[BATCH], bkoff[BATCH];
	uint64_t bh[BATCH];
	Buf bkeys;		/* keys of non-adjacent group columns */
	Xnum *rowval;		/* BATCH x nacc: parsed values */
	signed char *rowuse;	/* BATCH x nacc: 0 skip, 1 string only, 2 number */
	F *rowf;		/* BATCH x nacc: the fields */
	unsigned long long rows, ignored;
};

/* groups.c */
void hash_init(void);
size_t sm_get(StrMap *m, const char *k, size_t n, int *added);
const char *sm_key(const StrMap *m, size_t i);
void sm_free(StrMap *m);
size_t *sm_order(const StrMap *m, int sorted);
const char *gkey(const Agg *a, size_t g, size_t *len);
char *group_find(Agg *a, const char *k, size_t n, uint64_t h);
char *group_of(Agg *a, const char *k, size_t n);

/* ops.c */
const OpDef *op_lookup(const char *name, size_t n, Xnum *param);
const char *op_nearest(const char *name, size_t n);
void op_list(Buf *b);
int op_param_error(const char *name, size_t n, Buf *err);

/* vals.c */
void vals_sort(ValsSt *v);
int vals_quantile(ValsSt *v, const Xnum *p, Xnum *r);
int vals_madraw(ValsSt *v, Xnum *r);
long double vals_trimmean(ValsSt *v, const Xnum *frac);
long double vals_moment(const ValsSt *v, int moment, int sample);
long double vals_geo_harm(const ValsSt *v, int harmonic);

/* state.c */
void layout(Agg *a);
void free_state(Agg *a);
void apply_row(Agg *a, size_t r);
void encode_state(Agg *a, const Op *op, const char *st, Buf *b);
int merge_state(Agg *a, const Op *op, char *st, const char *s, size_t n, int apply);
int get_item(const char **p, const char *end, const char **s, size_t *n);

/* agg.c */
int resolve(Agg *a, Src *s);

/* read.c */
size_t split(Agg *a, const char *p, size_t n);

/* Inline: the hash and the slot are on every row's path. */
extern uint64_t hash_seed;

static inline uint64_t
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

static inline size_t
slot_of(const Agg *a, uint32_t hhi)
{
	return (size_t)(hhi >> (32 - a->slg));
}

/* Empty, '-', nan, NA, N/A, null (any case) or the --missing-value text. */
static inline int
is_missing(const Agg *a, const char *s, size_t n)
{
	if (a->o.missing && strlen(a->o.missing) == n && memcmp(a->o.missing, s, n) == 0)
		return 1;
	if (n == 0 || (n == 1 && s[0] == '-'))
		return 1;
	if (n > 4 || (s[0] != 'n' && s[0] != 'N'))
		return 0;
	return (n == 3 && strncasecmp(s, "nan", 3) == 0) ||
	       (n == 2 && strncasecmp(s, "na", 2) == 0) ||
	       (n == 3 && strncasecmp(s, "n/a", 3) == 0) ||
	       (n == 4 && strncasecmp(s, "null", 4) == 0);
}

#endif
