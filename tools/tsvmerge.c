/* tsvmerge: merge TSV tables sorted on a key column; for each key, the rows
 * of the last table that has it. The update step of a table kept sorted by
 * document id: `tsvmerge -d redone.txt docs.tsv new-rows.tsv` replaces the
 * rows of the documents redone, in one streaming pass at the speed of the
 * disk, whatever the size of the table. */
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "input.h"
#include "output.h"
#include "tsv.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *key;	/* -k: name or 1-based number */
	int no_header;		/* -N */
	const char **drops;	/* -d FILE... */
	size_t ndrops;
} Opts;

/* One input table: its current row and that row's key. */
typedef struct {
	In *in;
	const char *name;
	Buf row;
	Buf prevkey;		/* key of the previous row: inputs must be sorted */
	const char *key;	/* into row */
	size_t keylen;
	int live;		/* a current row */
	int first;		/* the first FILE operand: -d applies to it */
} Table;

/* The keys of the -d files, sorted for bsearch. */
typedef struct {
	Buf *keys;
	size_t n, cap;
} KeySet;

static void usage(void);
static int load_keys(KeySet *ks, const char *path);
static int key_in(const KeySet *ks, const char *k, size_t n);
static void keyset_free(KeySet *ks);
static int keycmp(const char *a, size_t an, const char *b, size_t bn);
static void printable(Buf *b, const char *s, size_t n);
static int next_row(Table *t, long col);
static int merge(Table *t, size_t nt, long col, const KeySet *drop);

static void
usage(void)
{
	printf(
"usage: %s [OPTION]... [FILE]...\n"
"Merge TSV tables that are sorted on a key column (by bytes, as LC_ALL=C sort\n"
"-s -t'<TAB>' -k1,1 sorts them) into one sorted table: for each key, the rows\n"
"of the LAST file that has it, in their order; the same key's rows in earlier\n"
"files are left out. So `%s old.tsv new.tsv` updates a table with newer rows\n"
"for some keys, and several files with keys of their own are merged like\n"
"sort -m. The first line of each file is its header (they must be equal); an\n"
"empty file is an empty table. With no FILE, or when FILE is -, read standard\n"
"input; gzip input is read transparently. The output goes to standard output.\n"
"\n"
"Options:\n"
"  -k, --key=COLUMN   the key column, by header name or 1-based number\n"
"                     (default 1)\n"
"  -d, --drop=FILE    keys (one per line) whose rows in the FIRST file are\n"
"                     obsolete: left out, so that a key listed here keeps\n"
"                     only the rows later files bring, or none (a document\n"
"                     redone that now has no rows, or removed); repeatable\n"
"  -N, --no-header    the files have no header row\n"
"  -h, --help         show this help;  --version  show the version\n"
"\n"
"An input not sorted on the key is an error naming the file and line (the\n"
"output would be wrong): the run stops there with status 1. A file that\n"
"cannot be read, or whose header differs from the first file's, is reported\n"
"and left out, and the status is 1. Rows are copied as bytes; a last line\n"
"without a newline gets one.\n"
"\n"
"Exit status: 0 ok, 1 bad data in some input, 2 bad usage.\n"
"\n"
"Examples:\n"
"  # replace the rows of the documents in redone.txt by their new rows\n"
"  %s -d redone.txt indicators.tsv new/*.tsv > indicators.tsv.new\n"
"  # merge per-batch parts, each sorted by document id\n"
"  %s parts/*/sections.tsv > sections.tsv\n",
	       progname, progname, progname, progname);
}

static int
keycmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

static int
cmp_buf(const void *pa, const void *pb)
{
	const Buf *a = pa, *b = pb;

	return keycmp(a->s, a->len, b->s, b->len);
}

static int
load_keys(KeySet *ks, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	int r;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		if (ks->n == ks->cap) {
			ks->cap = ks->cap ? 2 * ks->cap : 64;
			ks->keys = xrealloc(ks->keys, ks->cap * sizeof *ks->keys);
		}
		ks->keys[ks->n] = line;	/* takes the line's memory */
		ks->n++;
		memset(&line, 0, sizeof line);
	}
	buf_free(&line);
	in_close(in);
	return r < 0 ? -1 : 0;
}

static void
keyset_free(KeySet *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		buf_free(&ks->keys[i]);
	free(ks->keys);
}

static int
key_in(const KeySet *ks, const char *k, size_t n)
{
	size_t lo = 0, hi = ks->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = keycmp(ks->keys[mid].s, ks->keys[mid].len, k, n);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Point t->key at field col (0-based) of the row; a row with fewer fields
 * has an empty key. */
static void
find_key(Table *t, long col)
{
	const char *p = t->row.s, *end = t->row.s + t->row.len, *tab;
	long i;

	for (i = 0; i < col; i++) {
		tab = memchr(p, '\t', (size_t)(end - p));
		if (tab == NULL) {
			t->key = end;
			t->keylen = 0;
			return;
		}
		p = tab + 1;
	}
	tab = memchr(p, '\t', (size_t)(end - p));
	t->key = p;
	t->keylen = (size_t)((tab ? tab : end) - p);
}

/* A key for a message: at most 60 bytes, control bytes as \xNN (a binary
 * file's keys hold NULs and escapes). */
static void
printable(Buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addc(b, c);
	}
	if (n > 60)
		buf_adds(b, "...");
	buf_addc(b, '\0');
	b->len--;
}

/* Read the next row of t: 1 a row, 0 end of input, -1 a read error
 * (reported). An unsorted key is fatal. */
static int
next_row(Table *t, long col)
{
	int r;

	if (t->live) {
		buf_clear(&t->prevkey);
		buf_add(&t->prevkey, t->key, t->keylen);
	}
	r = in_getline(t->in, &t->row);
	if (r != 1) {
		t->live = 0;
		return r;
	}
	find_key(t, col);
	if (t->live && keycmp(t->key, t->keylen, t->prevkey.s, t->prevkey.len) < 0) {
		Buf a = BUF_INIT, b = BUF_INIT;

		printable(&a, t->key, t->keylen);
		printable(&b, t->prevkey.s, t->prevkey.len);
		dieat(EXIT_DATA, t->name, in_lineno(t->in),
		      "not sorted on the key: '%s' after '%s' (sort the rows with"
		      " LC_ALL=C sort -s -t'<TAB>' -k%ld,%ld)", a.s, b.s, col + 1, col + 1);
	}
	t->live = 1;
	return 1;
}

/* The merge proper: repeatedly take the smallest current key; the rows of
 * that key in the last table holding it are written, the others skipped. */
static int
merge(Table *t, size_t nt, long col, const KeySet *drop)
{
	Buf key = BUF_INIT;
	int status = EXIT_OK;
	size_t i, min, winner;

	for (;;) {
		int any = 0;

		min = 0;
		for (i = 0; i < nt; i++) {
			if (!t[i].live)
				continue;
			if (!any || keycmp(t[i].key, t[i].keylen, t[min].key, t[min].keylen) < 0)
				min = i;
			any = 1;
		}
		if (!any)
			break;
		buf_clear(&key);
		buf_add(&key, t[min].key, t[min].keylen);
		winner = nt;
		for (i = nt; i-- > 0;) {
			if (t[i].live && keycmp(t[i].key, t[i].keylen, key.s, key.len) == 0) {
				winner = i;
				break;
			}
		}
		if (winner < nt && t[winner].first && key_in(drop, key.s, key.len))
			winner = nt;	/* only the first table has it, and it is obsolete */
		for (i = min; i < nt; i++) {
			int r = 1;

			while (t[i].live && keycmp(t[i].key, t[i].keylen, key.s, key.len) == 0) {
				if (i == winner) {
					out_write(out_stdout, t[i].row.s, t[i].row.len);
					out_putc(out_stdout, '\n');
				}
				r = next_row(&t[i], col);
			}
			if (r < 0)
				status = EXIT_DATA;
		}
	}
	buf_free(&key);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"key", required_argument, NULL, 'k'},
		{"drop", required_argument, NULL, 'd'},
		{"no-header", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	static const char *stdin_only[] = {"-"};
	Opts opt = {"1", 0, NULL, 0};
	KeySet drop = {NULL, 0, 0};
	Buf header = BUF_INIT;
	Fields hf = FIELDS_INIT;
	Table *t;
	const char **files;
	size_t nfiles, nt = 0, i;
	long col = -1;
	int c, status = EXIT_OK, stdin_seen = 0, have_header = 0;

	tool_init(argv[0]);
	out_init();
	opt.drops = xcalloc((size_t)argc, sizeof *opt.drops);
	opterr = 0;	/* one message, cli_bad_option's */
	while ((c = getopt_long(argc, argv, ":k:d:Nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': opt.key = optarg; break;
		case 'd': opt.drops[opt.ndrops++] = optarg; break;
		case 'N': opt.no_header = 1; break;
		case 'h':
			free(opt.drops);
			usage();
			return out_finish(EXIT_OK);
		case 'V':
			free(opt.drops);
			print_version();
			return out_finish(EXIT_OK);
		default:
			free(opt.drops);
			cli_bad_option(c, argv);
		}
	}
	files = optind < argc ? (const char **)argv + optind : stdin_only;
	nfiles = optind < argc ? (size_t)(argc - optind) : 1;
	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i], "-") == 0 && stdin_seen++)
			usage_error("standard input (-) given twice");
	}
	if (opt.no_header) {
		char *end;

		col = strtol(opt.key, &end, 10) - 1;
		if (*opt.key == '\0' || *end != '\0' || col < 0)
			usage_error("-k %s: with --no-header the key is a column number", opt.key);
	}
	for (i = 0; i < opt.ndrops && status == EXIT_OK; i++) {
		if (load_keys(&drop, opt.drops[i]) < 0)
			status = EXIT_DATA;	/* a wrong drop list would keep stale rows */
	}
	if (status != EXIT_OK) {
		keyset_free(&drop);
		free(opt.drops);
		return out_finish(status);
	}
	if (drop.n > 0)
		qsort(drop.keys, drop.n, sizeof *drop.keys, cmp_buf);

	/* Open every table and read its header and first row. */
	t = xcalloc(nfiles, sizeof *t);
	for (i = 0; i < nfiles; i++) {
		Table *x = &t[nt];
		int r;

		x->in = in_open(files[i]);
		if (x->in == NULL) {
			status = EXIT_DATA;
			continue;
		}
		x->name = display_name(files[i]);
		x->first = i == 0;
		if (!opt.no_header) {
			r = in_getline(x->in, &x->row);
			if (r <= 0) {	/* empty (or unreadable: reported) */
				if (r < 0)
					status = EXIT_DATA;
				in_close(x->in);
				buf_free(&x->row);
				continue;
			}
			if (!have_header) {
				buf_add(&header, x->row.s, x->row.len);
				have_header = 1;
			} else if (x->row.len != header.len || memcmp(x->row.s, header.s, header.len) != 0) {
				warnat(x->name, 1, "header differs from the first file's: file left out");
				status = EXIT_DATA;
				in_close(x->in);
				buf_free(&x->row);
				continue;
			}
		}
		nt++;
	}
	if (have_header) {
		Buf err = BUF_INIT;
		long *idx = NULL;
		char *copy = xstrndup(header.s, header.len);

		tsv_split(copy, header.len, &hf);
		if (tsv_resolve_columns(&hf, opt.key, &idx, &err) != 1)
			usage_error("-k %s: %s", opt.key, err.len ? err.s : "one column expected");
		col = idx[0];
		free(idx);
		free(copy);
		buf_free(&err);
		out_write(out_stdout, header.s, header.len);
		out_putc(out_stdout, '\n');
	}
	for (i = 0; i < nt; i++) {
		if (next_row(&t[i], col) < 0)
			status = EXIT_DATA;
	}
	if (merge(t, nt, col, &drop) != EXIT_OK)
		status = EXIT_DATA;
	for (i = 0; i < nt; i++) {
		in_close(t[i].in);
		buf_free(&t[i].row);
		buf_free(&t[i].prevkey);
	}
	keyset_free(&drop);
	free(t);
	free(opt.drops);
	fields_free(&hf);
	buf_free(&header);
	return out_finish(status);
}
