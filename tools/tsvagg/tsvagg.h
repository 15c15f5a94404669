/* tsvagg.h: the core of tsvagg, hash aggregation of TSV with a header row.
 *
 * An Agg is configured once (group columns, operations, flags), fed any
 * number of inputs (files or memory buffers, each starting with its header
 * row unless no_header), then emitted as one table. Inputs are streamed:
 * memory grows with the number of groups (and, for median/q1/q3, collapse,
 * unique and mode, with the values those keep), never with the rows.
 *
 *	AggOpts o = {0};
 *	Buf err = BUF_INIT;
 *	o.group = "region,year"; o.ops = ops; o.nops = 2;   ("count", "sum:value")
 *	Agg *a = agg_new(&o, &err);       NULL: err holds a usage message
 *	agg_feed_mem(a, "x.tsv", data, len);
 *	agg_emit(a, out_stdout);
 *	agg_free(a);
 */
#ifndef TSVAGG_H
#define TSVAGG_H

#include <stddef.h>
#include "buf.h"
#include "output.h"

typedef struct {
	const char *group;	/* -g: comma-separated columns, NULL for none */
	const char *pivot;	/* --pivot: column whose values become columns */
	const char *const *ops;	/* "count", "sum:value", "median:3", ... */
	size_t nops;
	const char *fill;	/* pivot cells without a group (default "-") */
	int sort;		/* output groups sorted by key bytes */
	int skip_empty;		/* missing values are left out of every op */
	int ignore_bad;		/* non-numeric values skipped and counted */
	const char *missing;	/* one more text that means a missing value */
	char delim;		/* field separator (0: tab) */
	int csv;		/* RFC 4180 CSV (quotes), delim ',' unless given */
	int no_header;		/* inputs have no header row */
	int quiet;		/* -q: no hints about the header, no --ignore-bad count */
	int partial;		/* write mergeable state */
	int merge;		/* inputs are partial files */
	int max_errors;		/* messages per input before "N more" (0: 10) */
} AggOpts;

typedef struct Agg Agg;

/* Check the options and operations (not yet the columns: they are resolved
 * against the first header). NULL with a message in err on a bad spec. */
Agg *agg_new(const AggOpts *o, Buf *err);
void agg_free(Agg *a);

/* Feed one input: header row (checked against the first input's) then rows.
 * 0 ok, -1 when the input had errors (reported as "prog: name:line: ...";
 * the offending rows are left out), -2 on a column spec that does not fit
 * the header (reported; a usage error). */
int agg_feed_mem(Agg *a, const char *name, const char *data, size_t len);
int agg_feed_file(Agg *a, const char *path);

/* Write the result table (or the partial state with o.partial). Nothing is
 * written when no input had a header. */
void agg_emit(Agg *a, Out *o);

/* 1 when arg is an operation ("count", "sum:value"): tells operations from
 * file operands on the command line. */
int agg_is_op(const char *arg);
/* 1 when arg looks like a mistyped operation (NAME:COLUMNS, or a word near
 * an operation's name): main treats it as one unless it is a file, so the
 * mistake is a usage error naming the valid operations. */
int agg_looks_like_op(const char *arg);

/* Rows read, values ignored by --ignore-bad (for messages and tests). */
unsigned long long agg_rows(const Agg *a);
unsigned long long agg_ignored(const Agg *a);

#endif
