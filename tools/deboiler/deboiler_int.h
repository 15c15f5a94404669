/* deboiler_int.h: what the files of the deboiler core share and the tool's
 * users never see: the Deboiler and per-document line state, the string
 * map, and the functions one file of the core calls in another.
 *
 * Where things are (one concern per file):
 *	deboiler.c	db_new/db_free, DbDoc life, db_process: the passes in order
 *	lines.c		input: bytes to trimmed UTF-8 lines; deboiled input
 *	text.c		character and string helpers, title/line normalising
 *	linetype.c	what a line looks like: heading, date, title, bullet…
 *	droprules.c	loading the pcre2 rules, drop and strip matching
 *	chrome.c	the passes that remove page chrome and find the title
 *	join.c		joining lines broken in mid-sentence
 *	regions.c	region table, traditional characters, region lookup
 *	meta.c		header values: meta rules, date, year, type
 *	output.c	body, header and TSV formatting, --explain rows
 *	learn.c		--learn corpus counting and the -b boilerplate table
 *	map.c		the small string hash
 */
#ifndef DEBOILER_INT_H
#define DEBOILER_INT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "deboiler.h"
#include "rules.h"

/* ---- small string hash (key -> long), open addressing: map.c ---- */

typedef struct {
	char **key;
	size_t *klen;
	long *val;
	size_t cap, n;
} Map;

long map_get(const Map *m, const char *s, size_t n);	/* -1 when absent */
long *map_slot(Map *m, const char *s, size_t n, int *isnew);
void map_free(Map *m);

/* ---- rules ---- */

enum { A_DROP, A_STRIP, A_META };

typedef struct {
	const char *name;
	int action;
	int key;		/* A_META: header key filled */
	int group;		/* A_META: capture group number */
	size_t gate;		/* drop rules "^(?=.{0,N}$)…": N, else 0 */
	Regex *rx;
	Regex body;		/* gated rules: the pattern without the gate,
				 * which the caller checks (scans once less) */
	int have_body;
} DRule;

typedef struct {
	long code, parent;	/* parent: index into regions, -1 for none */
	char *name, *shortname;
	int level;		/* 0 province, 1 prefecture, 2 county */
	size_t namelen;
	long next[3];		/* chains of equal names: full, short, traditional */
} Region;

struct Deboiler {
	RuleSet rs;
	DRule *rule;
	size_t nrule;
	int ready;
	Regex drop_any;		/* prefilter: all drop rules in one alternation */
	int have_drop_any;
	size_t maxgate;		/* longest gate of the gated drop rules */
	size_t first_gated;	/* index of the first gated rule */
	Regex gated_any;	/* prefilter: the gated rules without their gates */
	int have_gated_any;
	Regex strip_any;
	int have_strip_any;
	Region *reg;
	size_t nreg;
	Map names[3];		/* full, short, traditional name -> first region */
	int maxname;		/* longest name, in characters */
	unsigned char finalbits[0x10000 / 8];	/* last characters of full and
						 * traditional names (BMP) */
	Map boiler;		/* learned lines */
	uint32_t (*t2s)[2];	/* traditional -> simplified, sorted by the first */
	size_t nt2s;
	int join, explain;
	size_t limited;		/* matches stopped by a pcre2 limit (this document) */
};

/* ---- per-document line state ---- */

enum { L_KEEP, L_DROP, L_JOIN };

typedef struct {
	size_t off, len;	/* text in the arena */
	unsigned long lineno;
	int state;
	const char *rule;
	size_t nchar;
} Line;

typedef struct {
	Buf arena;
	Line *line;
	size_t n, cap;
} Work;

#define LS(w, k) ((w)->arena.s + (w)->line[k].off)
#define LN(w, k) ((w)->line[k].len)

/* What the body pass saw of the kept lines, for the metadata passes. */
typedef struct {
	size_t lastdate, firstdate;	/* date lines alone, (size_t)-1 for none */
	size_t speakers;		/* colon lines after the content start */
} BodyMarks;

/* A region name found in a text. */
typedef struct {
	long reg;	/* region index (first of its name's chain) */
	size_t pos;	/* byte offset of the match */
	int chain;	/* 0 full name, 1 short name, 2 traditional */
} RMatch;

/* ---- text.c: characters and strings ---- */

uint32_t cp_at(const char *s, size_t n, size_t i, int *len);
uint32_t last_cp(const char *s, size_t n);
int is_blank_cp(uint32_t cp);
int is_cn_numeral(uint32_t cp);
int has_str(const char *s, size_t n, const char *needle);
int ends_with(const char *s, size_t n, const char *suf);
size_t nchars(const char *s, size_t n);
void ascii_fold(const char *s, size_t n, Buf *out);
void normalize_title(const char *s, size_t n, Buf *out);
void squeeze(const char *s, size_t n, Buf *out);

/* ---- linetype.c: line predicates ---- */

int marker_at(const char *s, size_t n, int enums);
int is_marker_line(const char *s, size_t n);
int is_date_line(const char *s, size_t n);
int is_colon_line(const char *s, size_t n, size_t nchar);
int has_sentence_punct(const char *s, size_t n);
int is_title_like(const char *s, size_t n, size_t nchar);
int is_bullet_item(const char *s, size_t n, size_t nchar);
int is_structural(const char *s, size_t n, size_t nchar);
int is_content_line(const char *s, size_t n, size_t nchar);

/* ---- lines.c: input ---- */

int split_lines(Work *w, const char *text, size_t len, DbDoc *d);
int starts_with_header(const char *text, size_t len);
int parse_header_doc(const char *text, size_t len, DbDoc *d);
void count_body(DbDoc *d);

/* ---- droprules.c: pcre2 rules ---- */

int prepare(Deboiler *db);
int rxm(Deboiler *db, Regex *rx, const char *s, size_t n, size_t start);
const char *match_drop(Deboiler *db, const char *s, size_t n, size_t nchar);
void strip_line(Deboiler *db, DbDoc *d, Work *w, size_t k);
void drop(Deboiler *db, DbDoc *d, Work *w, size_t k, const char *rule);

/* ---- chrome.c: the removal passes ---- */

void chrome_rules_pass(Deboiler *db, DbDoc *d, Work *w);
void chrome_menu_runs(Deboiler *db, DbDoc *d, Work *w);
size_t chrome_head(Deboiler *db, DbDoc *d, Work *w, Buf *title, size_t *ci);

/* ---- join.c ---- */

void join_lines(Deboiler *db, DbDoc *d, Work *w, size_t title_k);

/* ---- regions.c ---- */

size_t find_regions(Deboiler *db, const char *s, size_t n, int shortpass, RMatch *out, size_t max);
void doc_region(Deboiler *db, DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm);

/* ---- meta.c: header values ---- */

void doc_setval(DbDoc *d, int key, const char *s, size_t n);
void set_date(DbDoc *d, int key, const char *s, size_t n);
void apply_meta(Deboiler *db, DbDoc *d, const char *s, size_t n);
int year_in(const char *s, size_t n, int need_nian);
const char *classify(const char *title, size_t tn, Work *w, size_t speakers);
void meta_date_type_year(DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm);

/* ---- output.c ---- */

void explain_row(Deboiler *db, DbDoc *d, unsigned long lineno, const char *action, const char *rule,
		 const char *s, size_t n);
void sort_explain(DbDoc *d);
void build_body(DbDoc *d, Work *w, size_t ci, BodyMarks *bm);

#endif
