/* deboiler.c: the core of deboiler (no main): rules, region table, the
 * line classifier, metadata and the corpus learner. */
#include "deboiler.h"
#include "err.h"
#include "input.h"
#include "rules.h"
#include "tsv.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const db_key_name[K_NKEYS] = {
	"Doc", "Title", "Region", "Region-Code", "Province", "Year", "Type",
	"Date", "Source", "Publisher", "Index-No", "Doc-No", "Author", "Editor",
	"Keywords", "Attachments", "Removed",
};
const char *const db_col_name[K_NKEYS] = {
	"doc", "title", "region", "region_code", "province", "year", "type",
	"date", "source", "publisher", "index_no", "doc_no", "author", "editor",
	"keywords", "attachments", "removed",
};

/* ---- small string hash (key -> int), open addressing ---- */

typedef struct {
	char **key;
	size_t *klen;
	long *val;
	size_t cap, n;
} Map;

static uint64_t hash_bytes(const char *s, size_t n);
static long map_get(const Map *m, const char *s, size_t n);
static long *map_slot(Map *m, const char *s, size_t n, int *isnew);
static void map_free(Map *m);

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
	struct DbHtml *html;	/* HTML input: container rules (html.c) */
	char *preset[K_NKEYS];	/* HTML input: metadata from the markup */
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

static void doc_setval(DbDoc *d, int key, const char *s, size_t n);
static uint32_t last_cp(const char *s, size_t n);
static uint32_t cp_at(const char *s, size_t n, size_t i, int *len);
static int rxm(Deboiler *db, Regex *rx, const char *s, size_t n, size_t start);
static void normalize_title(const char *s, size_t n, Buf *out);

/* ================================================================== */

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static long
map_get(const Map *m, const char *s, size_t n)
{
	size_t i;

	if (m->cap == 0)
		return -1;
	for (i = hash_bytes(s, n) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->klen[i] == n && memcmp(m->key[i], s, n) == 0)
			return m->val[i];
	return -1;
}

static long *
map_slot(Map *m, const char *s, size_t n, int *isnew)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		Map g = {0};
		size_t j;

		g.cap = m->cap ? m->cap * 2 : 256;
		g.key = xcalloc(g.cap, sizeof *g.key);
		g.klen = xcalloc(g.cap, sizeof *g.klen);
		g.val = xcalloc(g.cap, sizeof *g.val);
		for (j = 0; j < m->cap; j++) {
			if (!m->key[j])
				continue;
			for (i = hash_bytes(m->key[j], m->klen[j]) & (g.cap - 1); g.key[i]; i = (i + 1) & (g.cap - 1))
				;
			g.key[i] = m->key[j];
			g.klen[i] = m->klen[j];
			g.val[i] = m->val[j];
		}
		g.n = m->n;
		free(m->key);
		free(m->klen);
		free(m->val);
		*m = g;
	}
	for (i = hash_bytes(s, n) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->klen[i] == n && memcmp(m->key[i], s, n) == 0) {
			*isnew = 0;
			return &m->val[i];
		}
	}
	m->key[i] = xstrndup(s, n);
	m->klen[i] = n;
	m->val[i] = 0;
	m->n++;
	*isnew = 1;
	return &m->val[i];
}

static void
map_free(Map *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->klen);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/* ================================================================== */

Deboiler *
db_new(void)
{
	Deboiler *db = xcalloc(1, sizeof *db);

	db->join = 1;
	return db;
}

void
db_set_join(Deboiler *db, int on)
{
	db->join = on;
}

void
db_set_explain(Deboiler *db, int on)
{
	db->explain = on;
}

static int prepare(Deboiler *db);

int
db_load_rules(Deboiler *db, const char *path)
{
	static const char *const req[] = {"name", "action", NULL};

	if (rules_load(&db->rs, path, "pattern", req, 0) < 0)
		return -1;
	return prepare(db);
}

/* Turn the loaded RuleSet into DRules and build the prefilters. Meta rules
 * must have one of the known named groups. */
static int
prepare(Deboiler *db)
{
	long cn = rules_column(&db->rs, "name"), ca = rules_column(&db->rs, "action");
	Buf alt[3] = {BUF_INIT, BUF_INIT, BUF_INIT}, err = BUF_INIT;
	int combinable = 1, status = 0;
	size_t i;

	for (i = 0; db->rule && i < db->nrule; i++)
		if (db->rule[i].have_body)
			rx_free(&db->rule[i].body);
	free(db->rule);
	db->rule = xcalloc(db->rs.n + 1, sizeof *db->rule);
	db->nrule = 0;
	db->maxgate = 0;
	for (i = 0; i < db->rs.n; i++) {
		Rule *r = &db->rs.rule[i];
		DRule *d = &db->rule[db->nrule];
		const char *act = r->field[ca], *pat = r->field[db->rs.pattern_col];

		d->name = r->field[cn];
		d->rx = &r->rx;
		if (strcmp(act, "drop") == 0)
			d->action = A_DROP;
		else if (strcmp(act, "strip") == 0)
			d->action = A_STRIP;
		else if (strcmp(act, "meta") == 0) {
			int k;

			d->action = A_META;
			d->group = -1;
			for (k = K_SOURCE; k <= K_KEYWORDS; k++) {
				int g = pcre2_substring_number_from_name(r->rx.code, (PCRE2_SPTR)db_col_name[k]);

				if (g > 0) {
					d->key = k;
					d->group = g;
					break;
				}
			}
			if (d->group < 0) {
				int g = pcre2_substring_number_from_name(r->rx.code, (PCRE2_SPTR)"date");

				if (g > 0) {
					d->key = K_DATE;
					d->group = g;
				}
			}
			if (d->group < 0) {
				warnat(db->rs.file, r->line, "meta rule '%s' has no named group "
				       "(date, source, publisher, index_no, doc_no, author, editor, keywords)", d->name);
				status = -1;
				continue;
			}
		} else {
			warnat(db->rs.file, r->line, "unknown action '%s' (drop, strip or meta)", act);
			status = -1;
			continue;
		}
		/* Back references count groups, which an alternation renumbers. */
		if (strstr(pat, "\\g") || strstr(pat, "\\k") || strstr(pat, "(?P") ||
		    strstr(pat, "(?R") || strstr(pat, "(?&"))
			combinable = 0;
		{
			const char *p;

			for (p = pat; (p = strchr(p, '\\')) != NULL; p += 2) {
				if (p[1] >= '1' && p[1] <= '9')
					combinable = 0;
				if (p[1] == '\0')
					break;
			}
			for (p = pat; (p = strstr(p, "(?")) != NULL; p += 2)
				if (p[2] >= '0' && p[2] <= '9')
					combinable = 0;
		}
		d->gate = 0;
		if (d->action == A_DROP && strncmp(pat, "^(?=.{0,", 8) == 0) {
			char *e;
			unsigned long g = strtoul(pat + 8, &e, 10);

			if (strncmp(e, "}$)", 3) == 0 && g > 0) {
				Buf rest = BUF_INIT;

				if (db->maxgate == 0)
					db->first_gated = db->nrule;
				d->gate = g;
				if (g > db->maxgate)
					db->maxgate = g;
				buf_adds(&rest, "^");
				buf_adds(&rest, e + 3);
				d->have_body = rx_compile(&d->body, rest.s, 0, &err) == 0;
				if (d->have_body) {
					buf_adds(&alt[2], alt[2].len ? "|(?:" : "(?:");
					buf_adds(&alt[2], rest.s);
					buf_addf(&alt[2], ")(*:%zu)", db->nrule);
				}
				buf_clear(&err);
				buf_free(&rest);
			}
		}
		if (d->action != A_META && d->gate == 0) {
			Buf *b = &alt[d->action == A_STRIP];

			/* the mark names the rule that matched */
			buf_adds(b, b->len ? "|(?:" : "(?:");
			buf_adds(b, pat);
			buf_addf(b, ")(*:%zu)", db->nrule);
		}
		db->nrule++;
	}
	if (db->have_drop_any)
		rx_free(&db->drop_any);
	if (db->have_strip_any)
		rx_free(&db->strip_any);
	if (db->have_gated_any)
		rx_free(&db->gated_any);
	db->have_drop_any = db->have_strip_any = db->have_gated_any = 0;
	if (combinable && alt[0].len)
		db->have_drop_any = rx_compile(&db->drop_any, alt[0].s, PCRE2_DUPNAMES, &err) == 0;
	buf_clear(&err);
	if (combinable && alt[1].len)
		db->have_strip_any = rx_compile(&db->strip_any, alt[1].s, PCRE2_DUPNAMES, &err) == 0;
	buf_clear(&err);
	if (combinable && alt[2].len)
		db->have_gated_any = rx_compile(&db->gated_any, alt[2].s, PCRE2_DUPNAMES, &err) == 0;
	buf_free(&alt[0]);
	buf_free(&alt[1]);
	buf_free(&alt[2]);
	buf_free(&err);
	db->ready = 1;
	return status;
}

/* Add region db->nreg to the chain of its name in map m. */
static void
chain_add(Deboiler *db, int m, const char *name, size_t n)
{
	int isnew;
	long *slot = map_slot(&db->names[m], name, n, &isnew);

	if (m != 1) {
		uint32_t f = last_cp(name, n);

		if (f < 0x10000)
			db->finalbits[f >> 3] |= (unsigned char)(1u << (f & 7));
	}
	if (isnew)
		*slot = (long)db->nreg;
	else {
		long k = *slot;

		while (db->reg[k].next[m] >= 0)
			k = db->reg[k].next[m];
		db->reg[k].next[m] = (long)db->nreg;
	}
}

int
db_load_regions(Deboiler *db, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	Fields fs = FIELDS_INIT;
	long ccode = -1, cname = -1, clevel = -1, cparent = -1, cshort = -1, ctrad = -1;
	long *parentcode = NULL;
	int header = 0, r, status = 0;
	size_t i, cap = 0;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		Region *g;
		char *end;

		if (line.len == 0 || line.s[0] == '#')
			continue;
		tsv_split(line.s, line.len, &fs);
		if (!header) {
			header = 1;
			ccode = tsv_find_column(&fs, "code");
			cname = tsv_find_column(&fs, "name");
			clevel = tsv_find_column(&fs, "level");
			cparent = tsv_find_column(&fs, "parent");
			cshort = tsv_find_column(&fs, "short");
			ctrad = tsv_find_column(&fs, "trad");
			if (ccode < 0 || cname < 0 || clevel < 0 || cparent < 0) {
				warnat(path, in_lineno(in), "header needs code, name, level and parent columns");
				status = -1;
				break;
			}
			continue;
		}
		if (fs.n <= (size_t)ccode || fs.n <= (size_t)cname || fs.n <= (size_t)clevel ||
		    fs.n <= (size_t)cparent) {
			warnat(path, in_lineno(in), "%zu fields, too few", fs.n);
			status = -1;
			break;
		}
		if (db->nreg == cap) {
			cap = cap ? cap * 2 : 4096;
			db->reg = xrealloc(db->reg, cap * sizeof *db->reg);
			parentcode = xrealloc(parentcode, cap * sizeof *parentcode);
		}
		g = &db->reg[db->nreg];
		memset(g, 0, sizeof *g);
		fs.f[ccode].s[fs.f[ccode].len] = '\0';
		g->code = strtol(fs.f[ccode].s, &end, 10);
		fs.f[cparent].s[fs.f[cparent].len] = '\0';
		parentcode[db->nreg] = strtol(fs.f[cparent].s, NULL, 10);
		g->name = xstrndup(fs.f[cname].s, fs.f[cname].len);
		g->namelen = fs.f[cname].len;
		g->level = fs.f[clevel].len && fs.f[clevel].s[0] == 'p' ?
			   (fs.f[clevel].s[1] == 'r' && fs.f[clevel].len > 2 && fs.f[clevel].s[2] == 'o' ? 0 : 1) : 2;
		g->shortname = cshort >= 0 && (size_t)cshort < fs.n && fs.f[cshort].len &&
			       !(fs.f[cshort].len == 1 && fs.f[cshort].s[0] == '-') ?
			       xstrndup(fs.f[cshort].s, fs.f[cshort].len) : NULL;
		g->next[0] = g->next[1] = g->next[2] = -1;
		/* chains keep file order: the first region of a name is the map's */
		chain_add(db, 0, g->name, g->namelen);
		if (g->shortname)
			chain_add(db, 1, g->shortname, strlen(g->shortname));
		if (ctrad >= 0 && (size_t)ctrad < fs.n && fs.f[ctrad].len &&
		    !(fs.f[ctrad].len == 1 && fs.f[ctrad].s[0] == '-'))
			chain_add(db, 2, fs.f[ctrad].s, fs.f[ctrad].len);
		{
			int nc = (int)utf8_count((const unsigned char *)g->name, g->namelen);

			if (nc > db->maxname)
				db->maxname = nc;
		}
		db->nreg++;
	}
	if (r < 0)
		status = -1;
	/* parents: code -> index */
	{
		Map bycode = {0};
		char key[32];
		int isnew;

		for (i = 0; i < db->nreg; i++) {
			snprintf(key, sizeof key, "%ld", db->reg[i].code);
			*map_slot(&bycode, key, strlen(key), &isnew) = (long)i;
		}
		for (i = 0; status == 0 && i < db->nreg; i++) {
			long j;

			db->reg[i].parent = -1;
			if (parentcode[i] <= 0)
				continue;
			snprintf(key, sizeof key, "%ld", parentcode[i]);
			j = map_get(&bycode, key, strlen(key));
			if (j >= 0 && (size_t)j != i)
				db->reg[i].parent = j;
		}
		map_free(&bycode);
	}
	free(parentcode);
	fields_free(&fs);
	buf_free(&line);
	in_close(in);
	return status;
}

static int
cmp_pair(const void *a, const void *b)
{
	uint32_t x = ((const uint32_t *)a)[0], y = ((const uint32_t *)b)[0];

	return x < y ? -1 : x > y;
}

/* A character table "traditional<TAB>simplified" ('#' comments): region
 * names are looked up in the simplified form of the text, so a page that
 * mixes the two (怀寧縣) still names 怀宁县. */
int
db_load_t2s(Deboiler *db, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	size_t cap = 0;
	int r;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		uint32_t a, b;
		int la, lb;
		char *tab;

		if (line.len == 0 || line.s[0] == '#' || (tab = memchr(line.s, '\t', line.len)) == NULL)
			continue;
		la = utf8_decode((const unsigned char *)line.s, (size_t)(tab - line.s), &a);
		lb = utf8_decode((const unsigned char *)tab + 1, line.len - (size_t)(tab + 1 - line.s), &b);
		if (la <= 0 || lb <= 0 || la != tab - line.s)
			continue;	/* one character to one character only */
		if (db->nt2s == cap) {
			cap = cap ? cap * 2 : 4096;
			db->t2s = xrealloc(db->t2s, cap * sizeof *db->t2s);
		}
		db->t2s[db->nt2s][0] = a;
		db->t2s[db->nt2s][1] = b;
		db->nt2s++;
	}
	qsort(db->t2s, db->nt2s, sizeof *db->t2s, cmp_pair);
	buf_free(&line);
	in_close(in);
	return r < 0 ? -1 : 0;
}

/* s[0..n) with traditional characters made simplified, into out. */
static void
to_simplified(Deboiler *db, const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l), key[2] = {cp, 0}, (*hit)[2] = NULL;
		char enc[4];

		if (cp >= 0x3400 && db->nt2s)
			hit = bsearch(key, db->t2s, db->nt2s, sizeof *db->t2s, cmp_pair);
		if (hit)
			buf_add(out, enc, (size_t)utf8_encode((*hit)[1], enc));
		else
			buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

int
db_load_boiler(Deboiler *db, const char *path)
{
	In *in = in_open(path);
	Buf line = BUF_INIT;
	Fields fs = FIELDS_INIT;
	long col = -1;
	int header = 0, r, status = 0;

	if (in == NULL)
		return -1;
	while ((r = in_getline_crlf(in, &line)) == 1) {
		int isnew;
		long n;

		if (line.len == 0 || line.s[0] == '#')
			continue;
		tsv_split(line.s, line.len, &fs);
		if (!header) {
			header = 1;
			col = tsv_find_column(&fs, "line");
			if (col < 0) {
				warnat(path, in_lineno(in), "header has no 'line' column");
				status = -1;
				break;
			}
			continue;
		}
		if (fs.n <= (size_t)col) {
			warnat(path, in_lineno(in), "%zu fields, the 'line' column is missing", fs.n);
			status = -1;
			break;
		}
		n = tsv_unescape(fs.f[col].s, fs.f[col].len);
		if (n < 0) {
			warnat(path, in_lineno(in), "field ends in a lone backslash");
			status = -1;
			break;
		}
		if (n > 0)
			map_slot(&db->boiler, fs.f[col].s, (size_t)n, &isnew);
	}
	if (r < 0)
		status = -1;
	fields_free(&fs);
	buf_free(&line);
	in_close(in);
	return status;
}

void
db_free(Deboiler *db)
{
	size_t i;

	if (!db)
		return;
	rules_free(&db->rs);
	for (i = 0; db->rule && i < db->nrule; i++)
		if (db->rule[i].have_body)
			rx_free(&db->rule[i].body);
	free(db->rule);
	if (db->have_drop_any)
		rx_free(&db->drop_any);
	if (db->have_strip_any)
		rx_free(&db->strip_any);
	if (db->have_gated_any)
		rx_free(&db->gated_any);
	for (i = 0; i < db->nreg; i++) {
		free(db->reg[i].name);
		free(db->reg[i].shortname);
	}
	free(db->reg);
	map_free(&db->names[0]);
	map_free(&db->names[1]);
	map_free(&db->names[2]);
	map_free(&db->boiler);
	free(db->t2s);
	db_html_free(db->html);
	for (i = 0; i < K_NKEYS; i++)
		free(db->preset[i]);
	free(db);
}

/* ================================================================== */

void
db_doc_init(DbDoc *d)
{
	memset(d, 0, sizeof *d);
}

void
db_doc_clear(DbDoc *d)
{
	int k;

	for (k = 0; k < K_NKEYS; k++) {
		free(d->val[k]);
		d->val[k] = NULL;
	}
	buf_clear(&d->body);
	buf_clear(&d->explain);
	buf_clear(&d->err);
	buf_clear(&d->warn);
	d->removed = d->lines = d->chars = d->repaired = 0;
	d->had_header = 0;
}

void
db_doc_free(DbDoc *d)
{
	db_doc_clear(d);
	buf_free(&d->body);
	buf_free(&d->explain);
	buf_free(&d->err);
	buf_free(&d->warn);
}

/* Header values are one line: tabs, CR and LF become spaces, blanks trimmed. */
static void
doc_setval(DbDoc *d, int key, const char *s, size_t n)
{
	char *v;
	size_t i;

	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	v = xstrndup(s, n);
	for (i = 0; i < n; i++)
		if (v[i] == '\t' || v[i] == '\r' || v[i] == '\n')
			v[i] = ' ';
	free(d->val[key]);
	d->val[key] = v;
}

/* ---- character helpers ---- */

static uint32_t
cp_at(const char *s, size_t n, size_t i, int *len)
{
	uint32_t cp;
	int l = utf8_decode((const unsigned char *)s + i, n - i, &cp);

	*len = l < 0 ? 1 : l;
	return cp;
}

/* Last code point of s[0..n) (U+FFFD when invalid, 0 when empty). */
static uint32_t
last_cp(const char *s, size_t n)
{
	size_t i = n;
	uint32_t cp;

	if (n == 0)
		return 0;
	while (i > 0 && n - i < 4) {
		i--;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			break;
	}
	if (utf8_decode((const unsigned char *)s + i, n - i, &cp) < 0)
		return UTF8_REPLACEMENT;
	return cp;
}

static int
is_blank_cp(uint32_t cp)
{
	return uc_is_space(cp) || uc_is_zero_width(cp);
}

static int
is_cn_numeral(uint32_t cp)
{
	return cp == 0x4E00 || cp == 0x4E8C || cp == 0x4E09 || cp == 0x56DB || cp == 0x4E94 ||
	       cp == 0x516D || cp == 0x4E03 || cp == 0x516B || cp == 0x4E5D || cp == 0x5341 ||
	       cp == 0x3007 || cp == 0x96F6;	/* 一二三四五六七八九十〇零 */
}

static int
has_str(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* A heading or list-item marker: 一、 (一) 1. 1、 (1) ① 第一, and, with
 * enums, the 一是 that starts an enumerated paragraph. */
static int
marker_at(const char *s, size_t n, int enums)
{
	size_t i = 0;
	int l, k = 0;
	uint32_t cp = cp_at(s, n, 0, &l);

	if (n == 0)
		return 0;
	if (cp == '(' || cp == 0xFF08) {
		i = (size_t)l;
		while (i < n && (cp = cp_at(s, n, i, &l), is_cn_numeral(cp) || uc_is_digit(cp)))
			i += (size_t)l, k++;
		return k > 0 && k <= 3 && i < n && (cp == ')' || cp == 0xFF09);
	}
	if (cp >= 0x2460 && cp <= 0x2473)	/* ① .. ⑳ */
		return 1;
	if (is_cn_numeral(cp)) {
		while (i < n && (cp = cp_at(s, n, i, &l), is_cn_numeral(cp)))
			i += (size_t)l, k++;
		return k <= 3 && i < n && (cp == 0x3001 || (enums && cp == 0x662F));	/* 、 是 */
	}
	if (uc_is_digit(cp)) {
		while (i < n && uc_is_digit((uint32_t)(unsigned char)s[i]))
			i++, k++;
		if (k > 2 || i >= n)
			return 0;
		cp = cp_at(s, n, i, &l);
		if (cp == 0x3001 || cp == 0xFF0E)	/* 、 . */
			return 1;
		if (cp == '.' && i + 1 < n && !uc_is_digit((uint32_t)(unsigned char)s[i + 1]))
			return 1;
		return 0;
	}
	if (cp == 0x7B2C && n > 6)		/* 第一, 第二, as list items */
		return is_cn_numeral(cp_at(s, n, 3, &l)) && has_str(s, n < 12 ? n : 12, ",");
	return 0;
}

static int
is_marker_line(const char *s, size_t n)
{
	return marker_at(s, n, 0);
}

/* A date line alone: 2021年6月30日, 2021-06-30, 二〇二一年六月三十日. */
static int
is_date_line(const char *s, size_t n)
{
	size_t i = 0, nc = 0;
	int l, digits = 0, nian = 0, ri = 0, seps = 0;

	if (n > 60)
		return 0;
	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		i += (size_t)l;
		nc++;
		if (uc_is_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19) || is_cn_numeral(cp) ||
		    cp == 0x25CB || cp == 0x3007)
			digits++;
		else if (cp == 0x5E74)	/* 年 */
			nian++;
		else if (cp == 0x6708)	/* 月 */
			;
		else if (cp == 0x65E5)	/* 日 */
			ri++;
		else if (cp == '-' || cp == '/' || cp == '.' || cp == 0xFF0D || cp == 0xFF0F || cp == 0xFF0E)
			seps++;
		else if (!is_blank_cp(cp))
			return 0;
	}
	return digits >= 4 && ((nian && ri) || (seps == 2 && nc <= 12));
}

/* Lines that end with a colon and are short: salutations and speakers. */
static int
is_colon_line(const char *s, size_t n, size_t nchar)
{
	return nchar <= 60 && (ends_with(s, n, ":") || ends_with(s, n, "\xEF\xBC\x9A")) &&
	       !has_str(s, n, "\xE3\x80\x82");	/* 。 */
}

static int
has_sentence_punct(const char *s, size_t n)
{
	return has_str(s, n, "\xE3\x80\x82") || has_str(s, n, ",") || has_str(s, n, ";") ||
	       has_str(s, n, "\xEF\xBC\x8C") || has_str(s, n, "\xEF\xBC\x9B");	/* 。 , ; , ; */
}

static const char *const title_ends[] = {
	"报告", "報告", "答复", "答覆", "答復", "实录", "實錄", "情况", "情況", "总结", "總結",
	"专场", "專場", "发布会", "發布會", "意见", "意見", "通知", "方案", "讲话", "講話",
	"要点", "要點", "公告", "决定", "決定", "复函", "復函", "说明", "說明", "规划", "規劃",
	"计划", "計劃", "办法", "辦法", "通报", "通報", "汇报", "匯報", "纪实", "紀實", "综述",
	"綜述", "回复", "回覆", "报道", "報道", "推进会", "推進會", "座谈会", "座談會",
	"工作会议", "工作會議", "纪要", "紀要", "公报", "公報", "白皮书", "白皮書", "条例",
	"條例", "规定", "規定", "细则", "細則", "清单", "清單", "解读", "解讀", NULL,
};

/* Title-like: short, no sentence punctuation, no marker, a title ending
 * (optionally followed by a parenthesised note). */
static int
is_title_like(const char *s, size_t n, size_t nchar)
{
	size_t m = n;
	int i;

	if (nchar < 6 || nchar > 90 || is_marker_line(s, n) || is_colon_line(s, n, nchar))
		return 0;
	if (has_str(s, n, "\xE3\x80\x82") || has_str(s, n, ";") || has_str(s, n, "\xEF\xBC\x9B") ||
	    has_str(s, n, "\xEF\xBC\x9A") || has_str(s, n, ":"))	/* 。 ; ; : : */
		return 0;
	if (ends_with(s, m, ")") || ends_with(s, m, "\xEF\xBC\x89")) {	/* "…报告(草案)" */
		size_t k = m;

		while (k > 0 && s[k - 1] != '(' && !(k >= 3 && memcmp(s + k - 3, "\xEF\xBC\x88", 3) == 0))
			k--;
		if (k > 0)
			m = s[k - 1] == '(' ? k - 1 : k - 3;
	}
	for (i = 0; title_ends[i]; i++)
		if (ends_with(s, m, title_ends[i]))
			return 1;
	return 0;
}

/* Remove blanks between two non-ASCII characters ("委员会 第五次" ->
 * "委员会第五次"), keep others. */
static void
normalize_title(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;
	uint32_t prev = 0;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (is_blank_cp(cp)) {
			size_t j = i + (size_t)l;
			uint32_t nx = 0;
			int l2;

			while (j < n && (nx = cp_at(s, n, j, &l2), is_blank_cp(nx)))
				j += (size_t)l2;
			if (!(prev >= 0x80 && j < n && nx >= 0x80))
				buf_addc(out, ' ');
			i = j;
			prev = ' ';
			continue;
		}
		buf_add(out, s + i, (size_t)l);
		prev = cp;
		i += (size_t)l;
	}
}

/* Blanks removed, for comparing title repeats. */
static void
squeeze(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (!is_blank_cp(cp))
			buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

void
db_normalize_line(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l, indigit = 0;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (uc_is_digit(cp) || (cp >= 0xFF10 && cp <= 0xFF19)) {
			if (!indigit)
				buf_addc(out, '0');
			indigit = 1;
		} else {
			indigit = 0;
			if (!is_blank_cp(cp))
				buf_add(out, s + i, (size_t)l);
		}
		i += (size_t)l;
	}
}

/* ================================================================== */
/* Splitting the input into trimmed lines, repairing invalid UTF-8. */

/* Characters of valid UTF-8: the bytes that are not continuation bytes
 * (10xxxxxx), counted eight at a time. */
static size_t
nchars(const char *s, size_t n)
{
	size_t i = 0, cont = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		w = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;	/* 1 per continuation byte */
		cont += (size_t)((w * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - cont;
}

/* Length of the longest valid UTF-8 prefix (as utf8_valid_prefix(), with an
 * ASCII fast path: this runs over every byte of every page). */
static size_t
valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
				return i;
			i += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))
				return i;
			i += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (s[i + 3] & 0xC0) != 0x80 || (c == 0xF0 && s[i + 1] < 0x90) ||
			    (c == 0xF4 && s[i + 1] >= 0x90))
				return i;
			i += 4;
		} else
			return i;
	}
	return i;
}

static void
work_addline(Work *w, size_t off, size_t len, unsigned long lineno)
{
	Line *ln;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->line = xrealloc(w->line, w->cap * sizeof *w->line);
	}
	ln = &w->line[w->n++];
	ln->off = off;
	ln->len = len;
	ln->lineno = lineno;
	ln->state = L_KEEP;
	ln->rule = NULL;
	ln->nchar = nchars(w->arena.s + off, len);
}

/* Copy text into the arena as valid UTF-8 (invalid bytes -> U+FFFD) and
 * record the trimmed non-empty lines. Returns -1 on a NUL byte. */
static int
split_lines(Work *w, const char *text, size_t len, DbDoc *d)
{
	size_t i = 0, start;
	unsigned long lineno = 1;
	int has_cr = memchr(text, '\r', len) != NULL;

	if (memchr(text, '\0', len)) {
		const char *z = memchr(text, '\0', len);
		unsigned long ln = 1;
		const char *p;

		for (p = text; p < z; p++)
			ln += *p == '\n';
		if (len >= 2 && (((unsigned char)text[0] == 0xFF && (unsigned char)text[1] == 0xFE) ||
				 ((unsigned char)text[0] == 0xFE && (unsigned char)text[1] == 0xFF)))
			buf_addf(&d->err, "UTF-16 text, not UTF-8: convert it first (encfix)");
		else
			buf_addf(&d->err, "binary data (NUL byte on line %lu), not a text document", ln);
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	buf_grow(&w->arena, len + len / 2 + 16);
	for (;;) {
		size_t ls, le, e = i;

		start = w->arena.len;
		if (has_cr) {
			while (e < len && text[e] != '\n' && text[e] != '\r')
				e++;
		} else {
			const char *nl = memchr(text + i, '\n', len - i);

			e = nl ? (size_t)(nl - text) : len;
		}
		while (i < e) {	/* copy, each invalid byte becomes U+FFFD */
			size_t v = valid_prefix((const unsigned char *)text + i, e - i);

			buf_add(&w->arena, text + i, v);
			i += v;
			if (i < e) {
				buf_add(&w->arena, "\xEF\xBF\xBD", 3);
				d->repaired++;
				i++;
			}
		}
		/* trim */
		ls = start;
		le = w->arena.len;
		while (ls < le) {
			int l;
			uint32_t cp = cp_at(w->arena.s, le, ls, &l);

			if (!is_blank_cp(cp))
				break;
			ls += (size_t)l;
		}
		while (le > ls) {
			size_t k = le - 1;
			uint32_t cp;

			while (k > ls && ((unsigned char)w->arena.s[k] & 0xC0) == 0x80)
				k--;
			if (utf8_decode((const unsigned char *)w->arena.s + k, le - k, &cp) < 0 || !is_blank_cp(cp))
				break;
			le = k;
		}
		if (le > ls)
			work_addline(w, ls, le - ls, lineno);
		buf_addc(&w->arena, '\0');
		if (i >= len)
			break;
		if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
			i++;
		i++;
		lineno++;
	}
	return 0;
}

#define LS(w, k) ((w)->arena.s + (w)->line[k].off)
#define LN(w, k) ((w)->line[k].len)

static void
explain_row(Deboiler *db, DbDoc *d, unsigned long lineno, const char *action, const char *rule,
	    const char *s, size_t n)
{
	if (!db->explain)
		return;
	buf_addf(&d->explain, "%lu\t%s\t%s\t", lineno, action, rule);
	tsv_buf_escaped(&d->explain, s, n);
	buf_addc(&d->explain, '\n');
}

/* ---- rules on lines ---- */

static void
drop(Deboiler *db, DbDoc *d, Work *w, size_t k, const char *rule)
{
	w->line[k].state = L_DROP;
	w->line[k].rule = rule;
	d->removed++;
	explain_row(db, d, w->line[k].lineno, "drop", rule, LS(w, k), LN(w, k));
}

/* Full-width digits and date separators as ASCII (０-９ － ／ ．). */
static void
ascii_fold(const char *s, size_t n, Buf *out)
{
	size_t i = 0;
	int l;

	while (i < n) {
		uint32_t cp = cp_at(s, n, i, &l);

		if (cp >= 0xFF10 && cp <= 0xFF19)
			buf_addc(out, (int)('0' + (cp - 0xFF10)));
		else if (cp == 0xFF0D || cp == 0xFF0F || cp == 0xFF0E)
			buf_addc(out, (int)(cp - 0xFEE0));
		else
			buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

static void set_date_ascii(DbDoc *d, int key, const char *s, size_t n);

static void
set_date(DbDoc *d, int key, const char *s, size_t n)
{
	Buf f = BUF_INIT;

	ascii_fold(s, n, &f);
	set_date_ascii(d, key, f.s ? f.s : "", f.len);
	buf_free(&f);
}

static void
set_date_ascii(DbDoc *d, int key, const char *s, size_t n)
{
	int y = 0, m = 0, dd = 0, field = 0, got = 0;
	size_t i;
	char tmp[16];

	for (i = 0; i < n && field < 3; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9') {
			int *p = field == 0 ? &y : field == 1 ? &m : &dd;

			if (*p < 10000)
				*p = *p * 10 + (c - '0');
			got = 1;
		} else if (got) {
			field++;
			got = 0;
		}
	}
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || dd < 1 || dd > 31)
		return;
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, dd);
	doc_setval(d, key, tmp, strlen(tmp));
}

static void
apply_meta(Deboiler *db, DbDoc *d, const char *s, size_t n)
{
	size_t r;

	for (r = 0; r < db->nrule; r++) {
		DRule *ru = &db->rule[r];
		PCRE2_SIZE *ov;

		if (ru->action != A_META || d->val[ru->key])
			continue;
		if (rxm(db, ru->rx, s, n, 0) != RX_MATCHED)
			continue;
		ov = rx_ovector(ru->rx);
		if (ov[2 * ru->group] == PCRE2_UNSET)
			continue;
		if (ru->key == K_DATE)
			set_date(d, K_DATE, s + ov[2 * ru->group], ov[2 * ru->group + 1] - ov[2 * ru->group]);
		else
			doc_setval(d, ru->key, s + ov[2 * ru->group], ov[2 * ru->group + 1] - ov[2 * ru->group]);
	}
}

/* Strip rules: cut every match out of line k (text rewritten in the arena). */
static void
strip_line(Deboiler *db, DbDoc *d, Work *w, size_t k)
{
	size_t r;

	if (db->have_strip_any &&
	    rxm(db, &db->strip_any, LS(w, k), LN(w, k), 0) != RX_MATCHED)
		return;
	for (r = 0; r < db->nrule; r++) {
		DRule *ru = &db->rule[r];
		size_t pos = 0, off, n;
		Buf nb = BUF_INIT;
		int changed = 0;

		if (ru->action != A_STRIP)
			continue;
		off = w->line[k].off;
		n = w->line[k].len;
		while (pos <= n && rxm(db, ru->rx, w->arena.s + off, n, pos) == RX_MATCHED) {
			PCRE2_SIZE *ov = rx_ovector(ru->rx);

			if (ov[1] <= ov[0]) {	/* empty match: step one character */
				int l;

				if (ov[0] >= n)
					break;
				cp_at(w->arena.s + off, n, ov[0], &l);
				buf_add(&nb, w->arena.s + off + pos, ov[0] + (size_t)l - pos);
				pos = ov[0] + (size_t)l;
				continue;
			}
			buf_add(&nb, w->arena.s + off + pos, ov[0] - pos);
			explain_row(db, d, w->line[k].lineno, "strip", ru->name, w->arena.s + off + ov[0], ov[1] - ov[0]);
			d->removed++;
			changed = 1;
			pos = ov[1];
		}
		if (changed) {
			size_t noff;

			if (pos < n)
				buf_add(&nb, w->arena.s + off + pos, n - pos);
			noff = w->arena.len;
			buf_add(&w->arena, nb.s ? nb.s : "", nb.len);
			buf_addc(&w->arena, '\0');
			w->line[k].off = noff;
			w->line[k].len = nb.len;
			w->line[k].nchar = nchars(w->arena.s + noff, nb.len);
		}
		buf_free(&nb);
	}
}

/* The first drop rule matching the line. Ungated rules are anchored
 * patterns tried through one alternation first; gated rules (those that look
 * inside short lines) are skipped on longer lines, on headings and on lines
 * of 40 or more characters that end a sentence: the document's own text.
 * Sentences of 80 or more characters are never chrome. */
/* rx_match_opts(), counting matches cut short by the pcre2 limits: such a
 * line is kept (no text is lost) and the caller is told. */
static int
rxm(Deboiler *db, Regex *rx, const char *s, size_t n, size_t start)
{
	int r = rx_match_opts(rx, s, n, start, PCRE2_NO_UTF_CHECK);

	if (r == RX_LIMIT || r == RX_ERROR)
		db->limited++;
	return r;
}

/* Index of the rule whose (*:N) mark a prefilter match passed, or -1. */
static long
mark_rule(Regex *rx)
{
	PCRE2_SPTR m = pcre2_get_mark(rx->md);

	return m ? strtol((const char *)m, NULL, 10) : -1;
}

static const char *
match_drop(Deboiler *db, const char *s, size_t n, size_t nchar)
{
	size_t r;
	uint32_t last = last_cp(s, n);
	int sentence = nchar >= 40 && (last == 0x3002 || last == '!' || last == '?' ||
				       last == 0xFF01 || last == 0xFF1F);
	int heading, gated_ok;
	long ru_u = -1, ru_g = -1;

	if (sentence && nchar >= 80)
		return NULL;
	heading = is_marker_line(s, n);
	/* gated rules: not on headings, sentences, dates, speakers */
	gated_ok = !sentence && !heading && nchar <= db->maxgate && !is_date_line(s, n) &&
		   !(nchar >= 6 && is_colon_line(s, n, nchar));
	if (db->have_drop_any && (db->have_gated_any || !gated_ok)) {
		/* fast path: the prefilters' marks name the first rule */
		if (rxm(db, &db->drop_any, s, n, 0) == RX_MATCHED)
			ru_u = mark_rule(&db->drop_any);
		/* a gated rule wins only when it comes first in the file */
		if (gated_ok && (ru_u < 0 || (size_t)ru_u > db->first_gated) &&
		    rxm(db, &db->gated_any, s, n, 0) == RX_MATCHED) {
			ru_g = mark_rule(&db->gated_any);
			/* its own gate may be shorter than this line: ask every rule */
			if (ru_g >= 0 && (size_t)ru_g < db->nrule && nchar > db->rule[ru_g].gate)
				goto slow;
		}
		if (ru_u < 0 && ru_g < 0)
			return NULL;
		r = (size_t)(ru_u < 0 ? ru_g : ru_g < 0 ? ru_u : ru_u < ru_g ? ru_u : ru_g);
		if (r < db->nrule)
			return db->rule[r].name;
	}
slow:
	for (r = 0; r < db->nrule; r++) {
		DRule *ru = &db->rule[r];

		if (ru->action != A_DROP)
			continue;
		if (ru->gate ? (nchar > ru->gate || !gated_ok) : 0)
			continue;
		if (rxm(db, ru->have_body ? &ru->body : ru->rx, s, n, 0) == RX_MATCHED)
			return ru->name;
	}
	return NULL;
}

/* A short item after a bullet, without a sentence in it. */
static int
is_bullet_item(const char *s, size_t n, size_t nchar)
{
	int l;
	uint32_t cp = cp_at(s, n, 0, &l);

	if (nchar > 40 || has_str(s, n, "\xE3\x80\x82"))	/* 。 */
		return 0;
	return cp == 0x00B7 || cp == 0x2022 || cp == 0x25CF || cp == 0x25CB || cp == 0x25C6 ||
	       cp == 0x25A0 || cp == 0x25A1 || cp == 0x25AA || cp == 0x25BA || cp == 0x203A ||
	       cp == 0x00BB || cp == '*' || cp == '>' || (cp == '-' && n > 1 && s[1] == ' ');
}

/* Lines the document itself is made of, never taken for chrome by the
 * structural and learned passes. */
static int
is_structural(const char *s, size_t n, size_t nchar)
{
	return is_marker_line(s, n) || is_date_line(s, n) || is_colon_line(s, n, nchar);
}

/* First line of the document's own text: a salutation, a heading, a date
 * line or a sentence. */
static int
is_content_line(const char *s, size_t n, size_t nchar)
{
	if (is_marker_line(s, n) || is_colon_line(s, n, nchar) || is_date_line(s, n))
		return 1;
	if (ends_with(s, n, "\xE3\x80\x82"))	/* 。 */
		return 1;
	return nchar >= 30 && has_sentence_punct(s, n);
}

/* ================================================================== */
/* Region lookup */

typedef struct {
	long reg;	/* region index (first of its name's chain) */
	size_t pos;	/* byte offset of the match */
	int chain;	/* 0 full name, 1 short name, 2 traditional */
} RMatch;

/* Find region names in s[0..n): longest match at each position, full and
 * traditional names (pass 0) or short names (pass 1). A two-character full
 * name (赵县) counts only after a non-Han character or right after another
 * name (邯郸市涉县), so 各市和县 does not name 和县. */
static size_t
find_regions(Deboiler *db, const char *s, size_t n, int shortpass, RMatch *out, size_t max)
{
	size_t i, k, nc = 0, cnt = 0, last_end = (size_t)-1;
	uint32_t *cp;
	size_t *off, *run;

	if (db->nreg == 0 || n == 0)
		return 0;
	/* decode once: code points, their offsets, and where each Han run ends */
	cp = xmalloc((n + 1) * sizeof *cp);
	off = xmalloc((n + 1) * sizeof *off);
	run = xmalloc((n + 1) * sizeof *run);
	for (i = 0; i < n;) {
		int l;

		off[nc] = i;
		cp[nc++] = cp_at(s, n, i, &l);
		i += (size_t)l;
	}
	off[nc] = n;
	run[nc] = nc;
	for (k = nc; k-- > 0;)
		run[k] = uc_is_cjk(cp[k]) ? run[k + 1] : k;
	for (i = 0; i < nc && cnt < max;) {
		size_t e, lim;
		int found = 0;

		if (!uc_is_cjk(cp[i])) {
			i++;
			continue;
		}
		lim = run[i] - i > (size_t)db->maxname ? i + (size_t)db->maxname : run[i];
		for (e = lim; e >= i + 2 && !found; e--) {	/* longest first: [i, e) */
			int m;

			for (m = shortpass ? 1 : 0; m <= (shortpass ? 1 : 2); m += shortpass ? 1 : 2) {
				long r;

				/* a full name ends in 市, 县, 区…: look up only such spans */
				if (m != 1 && !(cp[e - 1] < 0x10000 && (db->finalbits[cp[e - 1] >> 3] >> (cp[e - 1] & 7) & 1)))
					continue;
				r = map_get(&db->names[m], s + off[i], off[e] - off[i]);
				if (r < 0)
					continue;
				if (e - i == 2 && m != 1 && i > 0 && uc_is_cjk(cp[i - 1]) && off[i] != last_end)
					continue;	/* 涉县 after 邯郸市, not 和县 in 各市和县 */
				out[cnt].reg = r;
				out[cnt].chain = m;
				out[cnt].pos = off[i];
				cnt++;
				last_end = off[e];
				found = 1;
				break;
			}
			if (found)
				i = e;
		}
		if (!found)
			i++;
	}
	free(cp);
	free(off);
	free(run);
	return cnt;
}

static int
is_ancestor(Deboiler *db, long a, long r)
{
	int depth = 0;

	for (r = db->reg[r].parent; r >= 0 && depth < 5; r = db->reg[r].parent, depth++)
		if (r == a)
			return 1;
	return 0;
}

/* Of the regions sharing a name, the one whose ancestor the context names. */
static long
disambiguate(Deboiler *db, long first, int chain, const RMatch *ctx, size_t nctx)
{
	long r, best;
	size_t i;

	for (r = first; r >= 0; r = db->reg[r].next[chain]) {
		for (i = 0; i < nctx; i++) {
			long c;

			for (c = ctx[i].reg; c >= 0; c = db->reg[c].next[ctx[i].chain])
				if (is_ancestor(db, c, r))
					return r;
		}
	}
	if (chain != 1)
		return first;
	/* a short name alone: prefer the higher level (大理 -> 大理州 over 大理市) */
	best = first;
	for (r = first; r >= 0; r = db->reg[r].next[1])
		if (db->reg[r].level < db->reg[best].level)
			best = r;
	return best;
}

/* Pick the reporting unit from the matches of one source: the most specific
 * unit whose ancestor is also named, else the first named. */
static long
pick_region(Deboiler *db, const RMatch *m, size_t nm, const RMatch *ctx, size_t nctx)
{
	size_t i, j;
	long best = -1;

	if (nm == 0)
		return -1;
	for (i = 0; i < nm; i++)
		for (j = 0; j < nm; j++) {
			long a, b;

			if (i == j)
				continue;
			for (b = m[i].reg; b >= 0; b = db->reg[b].next[m[i].chain])
				for (a = m[j].reg; a >= 0; a = db->reg[a].next[m[j].chain])
					if (is_ancestor(db, a, b) && (best < 0 || db->reg[b].level > db->reg[best].level))
						best = b;
		}
	if (best >= 0)
		return best;
	return disambiguate(db, m[0].reg, m[0].chain, ctx, nctx);
}

/* ================================================================== */
/* Metadata from the kept text */

static int year_in_ascii(const char *s, size_t n, int need_nian);

static int
year_in(const char *s, size_t n, int need_nian)
{
	Buf f = BUF_INIT;
	int y;

	ascii_fold(s, n, &f);
	y = year_in_ascii(f.s ? f.s : "", f.len, need_nian);
	buf_free(&f);
	return y;
}

static int
year_in_ascii(const char *s, size_t n, int need_nian)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++) {
		int y, k;

		if (i > 0 && isdigit((unsigned char)s[i - 1]))
			continue;
		for (k = 0; k < 4; k++)
			if (!isdigit((unsigned char)s[i + k]))
				break;
		if (k < 4 || (i + 4 < n && isdigit((unsigned char)s[i + 4])))
			continue;
		y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
		if (y < 1980 || y > 2100)
			continue;
		if (need_nian && !(i + 7 <= n && memcmp(s + i + 4, "\xE5\xB9\xB4", 3) == 0))	/* 年 */
			continue;
		return y;
	}
	return 0;
}

static int
any_of(const char *s, size_t n, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (has_str(s, n, words[i]))
			return 1;
	return 0;
}

static const char *const w_reply[] = {"答复", "答覆", "答復", "提案", "建议的办理", "复函", "復函", NULL};
static const char *const w_press[] = {"发布会", "發布會", "新闻发布", "新聞發布", "实录", "實錄", NULL};
static const char *const w_annual[] = {
	"法治政府建设", "法治政府建設", "依法行政", "法治建设", "法治建設", "年度报告", "年度報告", NULL,
};
static const char *const w_report[] = {"报告", "報告", "情况", "情況", "总结", "總結", "汇报", "匯報", NULL};

static const char *
classify(const char *title, size_t tn, Work *w, size_t speakers)
{
	size_t k, nh = 0, lim;
	int reply_cue = 0, press_cue = 0, part_cue = 0;

	if (title) {
		if (any_of(title, tn, w_reply))
			return "proposal-reply";
		if (any_of(title, tn, w_press))
			return "press-conference";
		if (any_of(title, tn, w_annual) && any_of(title, tn, w_report))
			return "annual-report";
	}
	lim = w->n < 400 ? w->n : 400;
	for (k = 0; k < lim; k++) {
		const char *s = LS(w, k);
		size_t n = LN(w, k);

		if (w->line[k].state == L_DROP)
			continue;
		if (has_str(s, n, "提案收悉") || has_str(s, n, "建议收悉") || has_str(s, n, "答复如下"))
			reply_cue = 1;
		if (has_str(s, n, "发布会") || has_str(s, n, "發布會"))
			press_cue = 1;
		if (is_marker_line(s, n) && w->line[k].nchar < 80) {
			nh++;
			if (has_str(s, n, "问题") || has_str(s, n, "不足") || has_str(s, n, "打算") ||
			    has_str(s, n, "下一步") || has_str(s, n, "举措") || has_str(s, n, "基本情况") ||
			    has_str(s, n, "主要安排") || has_str(s, n, "第一责任人"))
				part_cue++;
		}
	}
	if (reply_cue)
		return "proposal-reply";
	if (press_cue && speakers >= 2)
		return "press-conference";
	/* a title that names no report (工作要点, 实施方案) is a report only
	 * when the text has a report's parts */
	if (part_cue >= 1 && nh >= 2 && (!title || any_of(title, tn, w_annual)))
		return "annual-report";
	return "other";
}

/* ================================================================== */

/* An already deboiled document: parse its header, keep the body as is. */
static int
parse_header_doc(const char *text, size_t len, DbDoc *d)
{
	size_t i = 0;

	while (i < len) {
		const char *e = memchr(text + i, '\n', len - i);
		size_t ll = e ? (size_t)(e - (text + i)) : len - i;
		const char *colon;
		int k;

		if (ll && text[i + ll - 1] == '\r')
			ll--;
		if (ll == 0) {
			i += e ? (size_t)(e - (text + i)) + 1 : len - i;
			break;
		}
		colon = memchr(text + i, ':', ll);
		if (colon) {
			size_t kl = (size_t)(colon - (text + i));

			for (k = 0; k < K_NKEYS; k++)
				if (strlen(db_key_name[k]) == kl && strncasecmp(db_key_name[k], text + i, kl) == 0)
					doc_setval(d, k, colon + 1, ll - kl - 1);
		}
		i += e ? (size_t)(e - (text + i)) + 1 : len - i;
	}
	buf_add(&d->body, text + i, len - i);
	if (d->body.len && d->body.s[d->body.len - 1] != '\n')
		buf_addc(&d->body, '\n');
	return 0;
}

static int
starts_with_header(const char *text, size_t len)
{
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	return len >= 5 && memcmp(text, "Doc: ", 5) == 0;
}

static void
count_body(DbDoc *d)
{
	const char *p, *end, *nl;

	d->lines = d->chars = 0;
	if (d->body.s == NULL)
		return;
	p = d->body.s;
	end = d->body.s + d->body.len;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		d->lines++;
		p = nl + 1;
	}
	d->chars = nchars(d->body.s, d->body.len);	/* the body is valid UTF-8 */
}

/* Can line b be joined to line a, a line broken in mid-sentence? */
static int
joinable(Work *w, size_t a, size_t b)
{
	const char *sa = LS(w, a), *sb = LS(w, b);
	size_t na = LN(w, a), nb = LN(w, b);
	uint32_t last = last_cp(sa, na), first;
	int l;

	if (w->line[a].nchar < 20 || is_structural(sb, nb, w->line[b].nchar) || marker_at(sb, nb, 1))
		return 0;
	/* a short line without punctuation stands alone: a signature, a name */
	if (w->line[b].nchar <= 20 && !has_sentence_punct(sb, nb) && !ends_with(sb, nb, "\xE3\x80\x81") &&
	    !(last_cp(sb, nb) >= 0xFF01 && last_cp(sb, nb) <= 0xFF1F) && !strpbrk(sb, "!?.:"))
		return 0;
	/* a heading is never continued, unless it is a paragraph led by one */
	if (is_structural(sa, na, w->line[a].nchar) &&
	    !(is_marker_line(sa, na) && w->line[a].nchar >= 40 && has_str(sa, na, "\xE3\x80\x82")))
		return 0;
	/* the previous line must stop inside a sentence: on a character, a
	 * digit or a comma, not on 。!?:; or a closing bracket or quote */
	if (!(uc_is_cjk(last) || isalnum(last < 128 ? (int)last : 0) || last == ',' ||
	      last == 0xFF0C || last == 0x3001 || last == 0x201C || last == 0x300A || last == '(' ||
	      last == 0xFF08))
		return 0;
	first = cp_at(sb, nb, 0, &l);
	if (first == '-' || first == 0x2022 || first == 0x00B7 || first == 0x25CF || first == 0x3010 ||
	    first == '[')	/* bullets and 【 */
		return 0;
	if ((is_title_like(sb, nb, w->line[b].nchar) && w->line[b].nchar < 40) ||
	    is_title_like(sa, na, w->line[a].nchar))
		return 0;
	return 1;
}

typedef struct {
	unsigned long lineno;
	size_t idx, off, len;
} Row;

static int
cmp_row(const void *a, const void *b)
{
	const Row *x = a, *y = b;

	if (x->lineno != y->lineno)
		return x->lineno < y->lineno ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Explain rows come from several passes: put them in line order. */
static void
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

/* HTML pages go to html.c, which comes back with lines (db_process_text) */
int
db_process(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d)
{
	if (text && !starts_with_header(text, len) && db_html_detect(text, len))
		return db_html_process(db, id, text, len, d);
	return db_process_text(db, id, text, len, d);
}

void
db_set_preset(Deboiler *db, int key, const char *s)
{
	free(db->preset[key]);
	db->preset[key] = s ? xstrdup(s) : NULL;
}

struct DbHtml **
db_html_slot(Deboiler *db)
{
	return &db->html;
}

int
db_process_text(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d)
{
	Work w = {BUF_INIT, NULL, 0, 0};
	Buf t = BUF_INIT, sq = BUF_INIT, tsq = BUF_INIT;
	size_t k, ci, title_k = (size_t)-1, speakers = 0, lastdate = (size_t)-1, firstdate = (size_t)-1;
	int status = 0;
	char tmp[32];

	db_doc_clear(d);
	db->limited = 0;
	if (text == NULL)	/* an empty buffer may come as NULL */
		text = "", len = 0;
	if (!db->ready && prepare(db) < 0)
		db->ready = 1;	/* bad rules were reported and left out */
	doc_setval(d, K_DOC, id && *id ? id : "-", strlen(id && *id ? id : "-"));
	if (starts_with_header(text, len)) {
		char *docid = d->val[K_DOC];

		d->val[K_DOC] = NULL;
		d->had_header = 1;
		parse_header_doc(text, len, d);
		if (!d->val[K_DOC])
			d->val[K_DOC] = docid;
		else
			free(docid);
		count_body(d);
		return 0;
	}
	for (k = 0; k < K_NKEYS; k++)	/* metadata from the markup of an HTML page */
		if (db->preset[k] && k != K_DOC)
			doc_setval(d, (int)k, db->preset[k], strlen(db->preset[k]));
	if (split_lines(&w, text, len, d) < 0) {
		status = -1;
		goto out;
	}

	/* 1. rules, line by line */
	for (k = 0; k < w.n; k++) {
		const char *rule;

		/* a table row of an HTML page (html-text.c marks it): no rule
		 * removes it, nothing is joined to it */
		if (LN(&w, k) >= 3 && memcmp(LS(&w, k), DB_TABLE_ROW, 3) == 0) {
			w.line[k].off += 3, w.line[k].len -= 3, w.line[k].nchar--;
			w.line[k].rule = "table-row";
			continue;
		}
		strip_line(db, d, &w, k);
		if (LN(&w, k) == 0) {
			w.line[k].state = L_DROP;	/* nothing left but junk */
			w.line[k].rule = "strip";
			continue;
		}
		rule = match_drop(db, LS(&w, k), LN(&w, k), w.line[k].nchar);
		if (rule) {
			drop(db, d, &w, k, rule);
			apply_meta(db, d, LS(&w, k), LN(&w, k));
			continue;
		}
		if (db->boiler.n && !is_structural(LS(&w, k), LN(&w, k), w.line[k].nchar)) {
			buf_clear(&sq);
			db_normalize_line(LS(&w, k), LN(&w, k), &sq);
			if (map_get(&db->boiler, sq.s, sq.len) >= 0)
				drop(db, d, &w, k, "learned");
		}
	}

	/* 1b. runs of short bulleted items (· 首页, • 机构设置, ● 相关新闻…):
	 * menus and link lists, never a report's own numbering */
	for (k = 0; k < w.n;) {
		size_t j = k;

		while (j < w.n && w.line[j].state == L_KEEP && is_bullet_item(LS(&w, j), LN(&w, j), w.line[j].nchar))
			j++;
		if (j - k >= 2) {
			size_t m;

			for (m = k; m < j; m++)
				drop(db, d, &w, m, "menu-run");
		}
		k = j > k ? j : k + 1;
	}

	/* 2. the head: furniture before the title, repeats of the title */
	for (ci = 0; ci < w.n; ci++)
		if (w.line[ci].state == L_KEEP && is_content_line(LS(&w, ci), LN(&w, ci), w.line[ci].nchar))
			break;
	for (k = 0; k < ci && k < 40; k++)
		if (w.line[k].state == L_KEEP && is_title_like(LS(&w, k), LN(&w, k), w.line[k].nchar)) {
			title_k = k;
			break;
		}
	/* an HTML page's title (the markup said which) is its first line */
	if (db->preset[K_TITLE] && w.n && w.line[0].state == L_KEEP &&
	    LN(&w, 0) == strlen(db->preset[K_TITLE]) && memcmp(LS(&w, 0), db->preset[K_TITLE], LN(&w, 0)) == 0)
		title_k = 0;
	/* a title broken over two lines, its first half ending mid-phrase
	 * (对政协某某市第十三届委员会 / 第五次会议第12号提案的答复) */
	if (title_k != (size_t)-1 && title_k > 0 && w.line[title_k - 1].state == L_KEEP &&
	    w.line[title_k - 1].nchar <= 30 && w.line[title_k].nchar <= 40 &&
	    !has_sentence_punct(LS(&w, title_k - 1), LN(&w, title_k - 1)) &&
	    !is_title_like(LS(&w, title_k - 1), LN(&w, title_k - 1), w.line[title_k - 1].nchar)) {
		static const char *const open_end[] = {
			"委员会", "委員會", "会议", "會議", "关于", "關於", "的", "和", "及", "与", "與",
			"年度", "年", NULL,
		};
		const char *ps = LS(&w, title_k - 1);
		size_t pn = LN(&w, title_k - 1), m, noff;
		int i;

		for (i = 0; open_end[i] && !ends_with(ps, pn, open_end[i]); i++)
			;
		/* 委员会, 会议: only in 对政协…委员会 / 关于…会议, not a site's
		 * name (某某市卫生健康委员会) */
		if (open_end[i] && i < 4 && strncmp(ps, "\xE5\xAF\xB9", 3) != 0 &&	/* 对 */
		    strncmp(ps, "\xE5\xB0\x8D", 3) != 0 &&				/* 對 */
		    strncmp(ps, "\xE5\x85\xB3\xE4\xBA\x8E", 6) != 0 &&		/* 关于 */
		    strncmp(ps, "\xE9\x97\x9C\xE6\x96\xBC", 6) != 0)		/* 關於 */
			i = -1;
		if (i >= 0 && open_end[i]) {
			Buf joined = BUF_INIT;	/* the arena may move as it grows */

			buf_add(&joined, ps, pn);
			buf_add(&joined, LS(&w, title_k), LN(&w, title_k));
			noff = w.arena.len;
			buf_add(&w.arena, joined.s, joined.len);
			buf_addc(&w.arena, '\0');
			buf_free(&joined);
			m = title_k--;
			explain_row(db, d, w.line[m].lineno, "join", "title-broken", LS(&w, m), LN(&w, m));
			w.line[m].state = L_DROP;
			w.line[m].rule = "title-broken";
			w.line[title_k].off = noff;
			w.line[title_k].len = pn + LN(&w, m);
			w.line[title_k].nchar += w.line[m].nchar;
		}
	}
	if (title_k != (size_t)-1) {
		normalize_title(LS(&w, title_k), LN(&w, title_k), &t);
		squeeze(t.s, t.len, &tsq);
		/* The page repeats the title (window title, heading, heading
		 * again above the text): keep the first, drop the repeats above
		 * the text, which may be broken over up to three lines. */
		for (k = title_k + 1; k < ci; k++) {
			size_t j;

			if (w.line[k].state != L_KEEP)
				continue;
			buf_clear(&sq);
			for (j = k; j < ci && j < k + 3; j++) {
				if (w.line[j].state != L_KEEP)
					break;
				squeeze(LS(&w, j), LN(&w, j), &sq);
				if (sq.len > tsq.len || memcmp(sq.s, tsq.s, sq.len) != 0)
					break;
				if (sq.len == tsq.len) {
					size_t m;

					for (m = k; m <= j; m++)
						drop(db, d, &w, m, "title-repeat");
					k = j;
					break;
				}
			}
		}
		for (k = 0; k < title_k; k++) {
			const char *s = LS(&w, k);
			size_t n = LN(&w, k);

			if (w.line[k].state != L_KEEP || w.line[k].nchar > 40 ||
			    strncmp(s, "\xE9\x99\x84\xE4\xBB\xB6", 6) == 0)	/* 附件 stays */
				continue;
			/* a document number above the title (X政发〔2023〕5号) */
			if (!d->val[K_DOC_NO] && has_str(s, n, "\xE3\x80\x94") && ends_with(s, n, "\xE5\x8F\xB7"))
				doc_setval(d, K_DOC_NO, s, n);
			drop(db, d, &w, k, "head-furniture");
		}
		/* the title line itself, blanks between characters squeezed */
		if (t.len != LN(&w, title_k) || memcmp(t.s, LS(&w, title_k), t.len) != 0) {
			size_t noff = w.arena.len;

			buf_add(&w.arena, t.s, t.len);
			buf_addc(&w.arena, '\0');
			w.line[title_k].off = noff;
			w.line[title_k].len = t.len;
		}
	} else {
		/* no title on top: a cover letter names it after its signature,
		 * or a first line does */
		for (k = 0; k < w.n && k < ci + 12; k++)
			if (w.line[k].state == L_KEEP && is_title_like(LS(&w, k), LN(&w, k), w.line[k].nchar)) {
				normalize_title(LS(&w, k), LN(&w, k), &t);
				break;
			}
	}
	if (t.len)
		doc_setval(d, K_TITLE, t.s, t.len);

	/* 3. join lines broken in mid-sentence */
	if (db->join) {
		size_t prev = (size_t)-1;

		for (k = 0; k < w.n; k++) {
			if (w.line[k].state == L_DROP) {
				if (w.line[k].rule && strcmp(w.line[k].rule, "strip") != 0)
					prev = (size_t)-1;	/* never join across removed text */
				continue;
			}
			if (prev != (size_t)-1 && k != title_k && prev != title_k && !w.line[k].rule &&
			    !w.line[prev].rule && joinable(&w, prev, k)) {
				w.line[k].state = L_JOIN;
				explain_row(db, d, w.line[k].lineno, "join", "broken-line", LS(&w, k), LN(&w, k));
				/* the joined line's end decides the next join */
				w.line[prev].nchar += w.line[k].nchar;
				w.line[k].nchar = w.line[prev].nchar;
			}
			prev = k;
		}
	}

	/* 4. body */
	for (k = 0; k < w.n; k++) {
		const char *s = LS(&w, k);
		size_t n = LN(&w, k);

		if (w.line[k].state == L_DROP)
			continue;
		if (w.line[k].state == L_JOIN && d->body.len && d->body.s[d->body.len - 1] == '\n')
			d->body.len--;
		buf_add(&d->body, s, n);
		buf_addc(&d->body, '\n');
		if (w.line[k].state == L_KEEP) {
			if (is_date_line(s, n)) {
				lastdate = k;
				if (firstdate == (size_t)-1)
					firstdate = k;
			}
			if (is_colon_line(s, n, w.line[k].nchar) && k > ci)
				speakers++;
		}
	}
	count_body(d);

	/* 5. metadata */
	if (!d->val[K_DATE] && lastdate != (size_t)-1)
		set_date(d, K_DATE, LS(&w, lastdate), LN(&w, lastdate));
	{
		const char *type = classify(d->val[K_TITLE], d->val[K_TITLE] ? strlen(d->val[K_TITLE]) : 0,
					    &w, speakers);
		int year = 0;

		doc_setval(d, K_TYPE, type, strlen(type));
		if (d->val[K_TITLE])
			year = year_in(d->val[K_TITLE], strlen(d->val[K_TITLE]), 1);
		if (!year && strcmp(type, "annual-report") == 0) {
			/* the year the first lines speak of: 2020年以来, 一、2020年… */
			size_t seen = 0;

			for (k = 0; k < w.n && seen < 4 && !year; k++) {
				if (w.line[k].state != L_KEEP || k == title_k)
					continue;
				seen++;
				year = year_in(LS(&w, k), LN(&w, k) < 60 ? LN(&w, k) : 60, 1);
			}
		}
		if (!year && d->val[K_DATE])
			year = atoi(d->val[K_DATE]);
		if (year) {
			snprintf(tmp, sizeof tmp, "%d", year);
			doc_setval(d, K_YEAR, tmp, strlen(tmp));
		}
	}
	/* region: title, publisher, source, signature, first lines */
	if (db->nreg) {
		RMatch m[16], ctx[64];
		size_t nm = 0, nctx = 0, pass;
		long r = -1;
		Buf first = BUF_INIT, sig = BUF_INIT;

		for (k = 0, pass = 0; k < w.n && pass < 3; k++)
			if (w.line[k].state == L_KEEP && k != title_k) {
				buf_add(&first, LS(&w, k), LN(&w, k) < 300 ? LN(&w, k) : 300);
				buf_addc(&first, '\n');
				pass++;
			}
		if (lastdate != (size_t)-1) {
			for (k = lastdate; k > 0 && k + 3 > lastdate; k--)
				if (w.line[k - 1].state == L_KEEP) {
					buf_add(&sig, LS(&w, k - 1), LN(&w, k - 1) < 100 ? LN(&w, k - 1) : 100);
					break;
				}
		}
		if (firstdate != (size_t)-1 && firstdate != lastdate && firstdate > 0 &&
		    w.line[firstdate - 1].state == L_KEEP) {
			buf_addc(&sig, '\n');
			buf_add(&sig, LS(&w, firstdate - 1), LN(&w, firstdate - 1) < 100 ? LN(&w, firstdate - 1) : 100);
		}
		{
			const char *src[6];
			size_t srclen[6], ns = 0, i;
			int shortpass;

			Buf simp = BUF_INIT;
			size_t at[6];

			/* one buffer of the sources, in simplified characters */
			for (i = 0; i < 5; i++) {
				const char *v = i == 0 ? d->val[K_TITLE] : i == 1 ? d->val[K_PUBLISHER] :
						i == 2 ? d->val[K_SOURCE] : i == 3 ? sig.s : first.s;
				size_t vl = i == 3 ? sig.len : i == 4 ? first.len : v ? strlen(v) : 0;

				if (!v || vl == 0)
					continue;
				at[ns] = simp.len;
				if (db->nt2s)
					to_simplified(db, v, vl, &simp);
				else
					buf_add(&simp, v, vl);
				srclen[ns] = simp.len - at[ns];
				ns++;
			}
			for (i = 0; i < ns; i++)
				src[i] = simp.s + at[i];
			/* context for names several regions share */
			for (i = 0; i < ns && nctx < 60; i++)
				nctx += find_regions(db, src[i], srclen[i], 0, ctx + nctx, 60 - nctx);
			for (shortpass = 0; shortpass < 2 && r < 0; shortpass++)
				for (i = 0; i < ns && r < 0; i++) {
					nm = find_regions(db, src[i], srclen[i], shortpass, m, 16);
					r = pick_region(db, m, nm, ctx, nctx);
				}
			buf_free(&simp);
		}
		if (r >= 0) {
			long p = r;

			doc_setval(d, K_REGION, db->reg[r].name, db->reg[r].namelen);
			snprintf(tmp, sizeof tmp, "%06ld", db->reg[r].code);
			doc_setval(d, K_REGION_CODE, tmp, strlen(tmp));
			while (db->reg[p].parent >= 0 && db->reg[p].level > 0)
				p = db->reg[p].parent;
			if (db->reg[p].level == 0)
				doc_setval(d, K_PROVINCE, db->reg[p].name, db->reg[p].namelen);
		}
		buf_free(&first);
		buf_free(&sig);
	}
	snprintf(tmp, sizeof tmp, "%zu", d->removed);
	doc_setval(d, K_REMOVED, tmp, strlen(tmp));
	sort_explain(d);
	d->limited = db->limited;
out:
	buf_free(&w.arena);
	free(w.line);
	buf_free(&t);
	buf_free(&sq);
	buf_free(&tsq);
	return status;
}

/* ================================================================== */

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

/* ================================================================== */
/* Corpus mode */

struct DbLearn {
	Map count;	/* "site\tline" -> documents */
	Map docs;	/* site -> documents */
	Map seen;	/* lines of the current document */
};

DbLearn *
db_learn_new(void)
{
	return xcalloc(1, sizeof(DbLearn));
}

void
db_learn_free(DbLearn *l)
{
	if (!l)
		return;
	map_free(&l->count);
	map_free(&l->docs);
	map_free(&l->seen);
	free(l);
}

/* Count the lines at the document's edges (before its first content line,
 * after its last): the document's own text, headings, dates and salutations
 * included, is never counted however common. */
void
db_learn_add(Deboiler *db, DbLearn *l, const char *site, const char *text, size_t len)
{
	Work w = {BUF_INIT, NULL, 0, 0};
	DbDoc d;
	Buf key = BUF_INIT;
	size_t k, first = (size_t)-1, last = 0;
	int isnew;
	long *slot;

	if (!db->ready && prepare(db) < 0)
		db->ready = 1;
	if (text == NULL)
		text = "", len = 0;
	db_doc_init(&d);
	if (starts_with_header(text, len) || split_lines(&w, text, len, &d) < 0)
		goto out;
	for (k = 0; k < w.n; k++) {
		const char *s = LS(&w, k);
		size_t n = LN(&w, k), nc = w.line[k].nchar;

		if (is_marker_line(s, n) || is_date_line(s, n) || ends_with(s, n, "\xE3\x80\x82") ||
		    (nc >= 30 && has_sentence_punct(s, n))) {
			if (first == (size_t)-1)
				first = k;
			last = k;
		}
	}
	slot = map_slot(&l->docs, site, strlen(site), &isnew);
	(*slot)++;
	for (k = 0; k < w.n; k++) {
		const char *s = LS(&w, k);
		size_t n = LN(&w, k);

		if (first != (size_t)-1 && k >= first && k <= last)
			continue;
		if (is_structural(s, n, w.line[k].nchar) || is_title_like(s, n, w.line[k].nchar) ||
		    match_drop(db, s, n, w.line[k].nchar))
			continue;
		buf_clear(&key);
		db_normalize_line(s, n, &key);
		if (key.len == 0 || map_get(&l->seen, key.s, key.len) >= 0)
			continue;
		map_slot(&l->seen, key.s, key.len, &isnew);
		buf_clear(&key);
		buf_adds(&key, site);
		buf_addc(&key, '\t');
		db_normalize_line(s, n, &key);
		slot = map_slot(&l->count, key.s, key.len, &isnew);
		(*slot)++;
	}
	map_free(&l->seen);
out:
	buf_free(&key);
	buf_free(&w.arena);
	free(w.line);
	db_doc_free(&d);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
db_learn_write(DbLearn *l, Buf *out, size_t min_docs, double min_share)
{
	char **keys = xcalloc(l->count.n + 1, sizeof *keys);
	size_t i, n = 0;

	for (i = 0; i < l->count.cap; i++)
		if (l->count.key[i])
			keys[n++] = l->count.key[i];
	qsort(keys, n, sizeof *keys, cmp_str);	/* stable output */
	buf_adds(out, "site\tdocs\tshare\tline\n");
	for (i = 0; i < n; i++) {
		char *tab = strchr(keys[i], '\t');
		long c = map_get(&l->count, keys[i], strlen(keys[i]));
		long sd = map_get(&l->docs, keys[i], (size_t)(tab - keys[i]));
		double share = sd > 0 ? (double)c / (double)sd : 0;

		if ((size_t)c < min_docs || share < min_share)
			continue;
		tsv_buf_escaped(out, keys[i], (size_t)(tab - keys[i]));
		buf_addf(out, "\t%ld\t%.3f\t", c, share);
		tsv_buf_escaped(out, tab + 1, strlen(tab + 1));
		buf_addc(out, '\n');
	}
	free(keys);
}
