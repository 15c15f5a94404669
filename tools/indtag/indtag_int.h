/* indtag_int.h: what crosses the files of indtag (not the API of indtag.h):
 * the tagger and its rules, a figure being built, the state of one run of
 * indtag_text, the character helpers the scan and the attribution share
 * (inline: inner loops), and the functions one file calls in another.
 *
 *	taxonomy.c	the tagger; data/indicators.tsv and the rules files loaded
 *	scan.c		finding numbers, excluding dates, ordinals, codes, norms…
 *	smallnum.c	small Chinese numerals alone: a count (三次) or a name (三项制度)
 *	attribute.c	rules -> indicator codes, kinds, inheritance, clause
 *	table.c		a table cell's figure: its row's and column's headers
 *	readers.c	indtag's inputs: documents and sections TSV (the command)
 *	emit.c		indtag's output rows (the command)
 */
#ifndef INDTAG_INT_H
#define INDTAG_INT_H

#include "indtag.h"
#include "buf.h"
#include "output.h"
#include "rules.h"
#include "run.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Context limits, in bytes: a 100 MB line without punctuation must not make
 * every figure look at the whole line. */
#define NEAR_MAX	240
#define CLAUSE_MAX	600
#define SENT_MAX	1500
#define NOUN_MAX_CHARS	16
#define HEAD_MAX	300

/* Rule scopes, narrowest first (the scope column of the rules). */
enum { SC_NOUN, SC_NEAR, SC_CLAUSE, SC_SENTENCE, SC_LINE };

/* Unit filter bits (indtag_unit_bit): one per normalised unit, UNITLESS for
 * "no unit", UNIT_OTHER for a unit not in the list. */
#define UNITLESS 62
#define UNIT_OTHER 61

/* A rule as attribute.c runs it. */
typedef struct {
	const char *code;	/* points into the RuleSet */
	const char *label;
	int drop;		/* code "drop": the number is no figure */
	uint64_t units;
	int scope;
	Regex *rx;
	Regex ctx;
	int has_ctx;
	char where[64];
} TRule;

/* A figure being built: its contexts' starts, byte offsets in the text. */
typedef struct {
	Figure f;
	uint64_t unitbit;
	size_t near_start, clause_start, sent_start, line_start, end;
	int dropped;
} Fig;

struct Tagger {
	RuleSet rs;
	TRule *r;
	size_t nr, rcap;
	char **code, **label;
	size_t ncode, codecap;
	int numbers_only;
	int trust_utf8;
	Fig *fig;
	size_t nfig, figcap;
};

/* One run of indtag_text: where the figures go (TextRun: common/run.h has Run). */
typedef struct {
	const char *text, *heading;
	size_t hlen;
	figure_fn fn;
	void *arg;
	int valid;		/* the text scanned so far is valid UTF-8 */
	int head_valid;
	size_t emitted;
	size_t table_row;	/* table.c: 1 + the start of the last table row
				 * read in this text, 0 for none */
} TextRun;

/* taxonomy.c: the filter bit of a normalised unit ("-" or NULL: none). */
uint64_t indtag_unit_bit(const char *u);

/* attribute.c: attribute and emit the figures found so far, then forget them. */
void indtag_finish(Tagger *t, const unsigned char *s, size_t n, TextRun *st);
/* attribute.c: attribute one figure (its contexts are offsets in s). */
void indtag_attribute(Tagger *t, Fig *fg, const unsigned char *s, size_t n, const char *head,
		      size_t hlen);

/* smallnum.c: is the lone Chinese digit at s[i] (no numeral, 余, 多 or 成
 * after it) a count (two to nine of a counting word, nothing before it in
 * the line or clause that makes it a name, an ordinal or a formula)? */
int indtag_lone_cn_digit(const unsigned char *s, size_t n, size_t i, uint32_t cp);
int indtag_small_count(const unsigned char *s, size_t n, size_t i, size_t line, size_t clause);

/* table.c: the figures of the line just scanned that stand in a table
 * row's cells, attributed again with the row's and column's headers. */
void indtag_table(Tagger *t, const unsigned char *s, size_t n, TextRun *st);

/* --- characters ------------------------------------------------------- */

/* Code point of the 3-byte character at s[i] (no check beyond n). */
static inline uint32_t
cp3(const unsigned char *s)
{
	return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
}

/* Character before byte offset i (start of text bound lo). */
static inline uint32_t
prev_cp(const unsigned char *s, size_t lo, size_t i)
{
	size_t j = i;
	uint32_t cp;

	if (i <= lo)
		return 0;
	/* the usual cases without a decoder: ASCII, a 3-byte character */
	if (s[i - 1] < 0x80)
		return s[i - 1];
	if (i - lo >= 3 && s[i - 3] >= 0xE1 && s[i - 3] <= 0xEF && s[i - 3] != 0xED &&
	    (s[i - 2] & 0xC0) == 0x80 && (s[i - 1] & 0xC0) == 0x80)
		return cp3(s + i - 3);
	j = i - 1;
	while (j > lo && i - j < 4 && (s[j] & 0xC0) == 0x80)
		j--;
	if (utf8_decode(s + j, i - j, &cp) != (int)(i - j))
		return UTF8_REPLACEMENT;
	return cp;
}

static inline uint32_t
next_cp(const unsigned char *s, size_t n, size_t i)
{
	uint32_t cp;

	if (i >= n)
		return 0;
	if (s[i] < 0x80)
		return s[i];
	if (n - i >= 3 && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED &&
	    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80)
		return cp3(s + i);
	if (utf8_decode(s + i, n - i, &cp) < 0)
		return UTF8_REPLACEMENT;
	return cp;
}

static inline int
ends_with(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && memcmp(s + n - k, w, k) == 0;
}

/* Does s[0..n) start with the string literal w? (sizeof: no strlen, and
 * the comparison inlined) */
#define starts_with(s, n, w) ((n) >= sizeof(w) - 1 && memcmp((s), (w), sizeof(w) - 1) == 0)

/* Back off a limit so that it falls on a character boundary. */
static inline size_t
clamp_back(const unsigned char *s, size_t lo, size_t start, size_t end, size_t max)
{
	size_t b = start;

	if (end - start > max) {
		b = end - max;
		while (b < end && (s[b] & 0xC0) == 0x80)
			b++;
	}
	return b < lo ? lo : b;
}

/* --- the command (readers.c, emit.c, main.c) ----------------------------- */

/* The command line's options. */
typedef struct {
	const char **rules;	/* -r files, in order */
	size_t nrules;
	int no_default;		/* -R */
	int explain;
	int numbers;		/* --numbers */
	int quiet;		/* -q: no warnings about repairs (still in --report) */
	const char *outdir;	/* -o */
	const char *report;	/* --report FILE */
} Opts;

/* Where the rows of one input go, and the document they belong to. */
typedef struct {
	Out *o;
	const Opts *opt;
	const char *doc, *region, *year, *part, *path;
	size_t base;		/* character offset of the text in the body */
	unsigned long long n;	/* rows written */
	unsigned long long nother;	/* of them, code "other" */
	Buf row;		/* the row being built (emit_row) */
	Buf docf;		/* the doc field, escaped once per document or section */
} Emit;

/* emit.c: the TSV header; the doc column (escaped once); a row per figure
 * (a figure_fn, arg an Emit). */
void indtag_format_header(Buf *b, const Opts *opt);
void indtag_set_doc(Emit *e, const char *doc);
void indtag_emit_row(const Figure *f, const char *text, void *arg);

/* readers.c: tag one input file (a stream of documents or a sections TSV),
 * its rows handed to the run (common/run: stdout, or under -o a file per
 * document, per input for a sections TSV), its --report row. 0, or -1
 * after reporting. */
#define INDTAG_REPORT_HEADER "file\tdocuments\tfigures\tother\trepaired\tstatus\tmessage\n"
int indtag_process(Tagger *t, const char *path, Run *run, const Opts *opt);

#endif
