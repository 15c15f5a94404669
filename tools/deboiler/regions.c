/* regions.c: the region table (data/regions.tsv: code, name, level,
 * parent, short and traditional names), the traditional -> simplified
 * character table (t2s.tsv), and finding the reporting unit a document
 * names: region names in a text, the one a context disambiguates, and the
 * Region, Region-Code and Province header values. */
#include "deboiler_int.h"
#include "err.h"
#include "input.h"
#include "tsv.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the texts asked for the region, in order: title, publisher, source,
 * signature, first lines, first paragraphs */
enum { NSRC = 6, SRC_BODY = 3 };

static void chain_add(Deboiler *db, int m, const char *name, size_t n);
static int cmp_pair(const void *a, const void *b);
static void to_simplified(Deboiler *db, const char *s, size_t n, Buf *out);
static int is_ancestor(Deboiler *db, long a, long r);
static long disambiguate(Deboiler *db, long first, int chain, const RMatch *ctx, size_t nctx);
static long pick_region(Deboiler *db, const RMatch *m, size_t nm, const RMatch *ctx, size_t nctx);
static void region_sources(DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm, Buf *first, Buf *sig,
			   Buf *paras, const char *v[NSRC], size_t vl[NSRC]);
static long region_lookup(Deboiler *db, const char *const v[NSRC], const size_t vl[NSRC], int *from);
static unsigned self_units(Work *w);
static int region_fits(Deboiler *db, long r, unsigned self);
static long province_from_body(Deboiler *db, Work *w, unsigned self);
static int town_unit(const char *s, size_t n, char *out, size_t outsz);
static size_t keep_units(Deboiler *db, const char *s, size_t n, RMatch *m, size_t nm);
static size_t match_end(Deboiler *db, const RMatch *m);
static int brand_before(const char *s, size_t pos);
static size_t keep_title_names(Deboiler *db, const char *s, size_t n, RMatch *m, size_t nm);
static size_t title_visitors(Deboiler *db, const char *s, size_t n, long *vis, size_t max);
static size_t drop_visitors(const long *vis, size_t nv, RMatch *m, size_t nm);

/* ---- loading ---- */

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

/* ---- lookup ---- */

/* Find region names in s[0..n): longest match at each position, full and
 * traditional names (pass 0) or short names (pass 1). A two-character full
 * name (赵县) counts only after a non-Han character or right after another
 * name (邯郸市涉县), so 各市和县 does not name 和县. */
size_t
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

/* The texts that may name the reporting unit, in the order they are asked:
 * title, publisher, source, the signature (the line above the last date
 * line, and above the first), the first three kept lines, then the first
 * three paragraphs (kept lines of 30 characters or more: past a byline and
 * a heading, 今年上半年,某某市法律援助中心…). */
static void
region_sources(DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm, Buf *first, Buf *sig,
	       Buf *paras, const char *v[NSRC], size_t vl[NSRC])
{
	size_t k, pass, lastdate = bm->lastdate, firstdate = bm->firstdate;

	for (k = 0, pass = 0; k < w->n && pass < 3; k++)
		if (w->line[k].state == L_KEEP && k != title_k) {
			buf_add(first, LS(w, k), LN(w, k) < 300 ? LN(w, k) : 300);
			buf_addc(first, '\n');
			pass++;
		}
	for (k = 0, pass = 0; k < w->n && pass < 3; k++)
		if (w->line[k].state == L_KEEP && k != title_k && w->line[k].nchar >= 30) {
			buf_add(paras, LS(w, k), LN(w, k) < 300 ? LN(w, k) : 300);
			buf_addc(paras, '\n');
			pass++;
		}
	if (lastdate != (size_t)-1) {
		for (k = lastdate; k > 0 && k + 3 > lastdate; k--)
			if (w->line[k - 1].state == L_KEEP) {
				buf_add(sig, LS(w, k - 1), LN(w, k - 1) < 100 ? LN(w, k - 1) : 100);
				break;
			}
	}
	if (firstdate != (size_t)-1 && firstdate != lastdate && firstdate > 0 &&
	    w->line[firstdate - 1].state == L_KEEP) {
		buf_addc(sig, '\n');
		buf_add(sig, LS(w, firstdate - 1), LN(w, firstdate - 1) < 100 ? LN(w, firstdate - 1) : 100);
	}
	for (k = 0; k < NSRC; k++) {
		v[k] = k == 0 ? d->val[K_TITLE] : k == 1 ? d->val[K_PUBLISHER] :
		       k == 2 ? d->val[K_SOURCE] : k == 3 ? sig->s : k == 4 ? first->s : paras->s;
		vl[k] = k == 3 ? sig->len : k == 4 ? first->len : k == 5 ? paras->len : v[k] ? strlen(v[k]) : 0;
	}
}

/* The words after a short region name that make it the name of a unit
 * (铁岭市司法局 written 铁岭司法局, 铁岭两级法院), not a word that happens to
 * contain it (乡村振兴 is not 振兴区). */
static const char *const unit_words[] = {
	"司法", "人民政府", "政府", "市委", "县委", "区委", "州委", "中院", "中级", "法院", "两级",
	"公安", "法律援助", "检察", "市", "县", "区", NULL,
};

/* Of the short names found in body text (the signature, the first lines),
 * keep those followed by a unit word. */
static size_t
keep_units(Deboiler *db, const char *s, size_t n, RMatch *m, size_t nm)
{
	size_t i, kept = 0;

	for (i = 0; i < nm; i++) {
		const char *sn = db->reg[m[i].reg].shortname;
		size_t end = m[i].pos + (sn ? strlen(sn) : 0), w;
		int ok = 0;

		for (w = 0; unit_words[w] && sn; w++)
			if (end + strlen(unit_words[w]) <= n &&
			    memcmp(s + end, unit_words[w], strlen(unit_words[w])) == 0)
				ok = 1;
		if (ok)
			m[kept++] = m[i];
	}
	return kept;
}

/* 法治秦皇岛, 平安某某: a campaign named after the place names it */
static int
brand_before(const char *s, size_t pos)
{
	static const char *const brand[] = {"法治", "平安", "美丽", "数字", "智慧", "幸福", "健康", "文明", NULL};
	int k;

	for (k = 0; brand[k]; k++)
		if (pos >= 6 && memcmp(s + pos - 6, brand[k], 6) == 0)
			return 1;
	return 0;
}

/* Where a match ends: its short name's or its full name's length. */
static size_t
match_end(Deboiler *db, const RMatch *m)
{
	const Region *r = &db->reg[m->reg];

	return m->pos + (m->chain == 1 && r->shortname ? strlen(r->shortname) : r->namelen);
}

/* Of the short names found in the title, keep a province's and those that
 * stand as a name: followed by a unit word, a digit, a non-Han character
 * or the end (铁岭2022年…, 铁岭:…), or after a campaign word (法治秦皇岛),
 * not the start of another word (龙湖集团,
 * 大方道歉, 东山精密), and not a visiting delegation's (顺德区…一行到…). */
static size_t
keep_title_names(Deboiler *db, const char *s, size_t n, RMatch *m, size_t nm)
{
	size_t i, kept = 0;

	for (i = 0; i < nm; i++) {
		const char *sn = db->reg[m[i].reg].shortname;
		size_t end = m[i].pos + (sn ? strlen(sn) : 0);
		uint32_t next;
		int l;

		if (!sn || end > n)
			continue;
		next = end < n ? cp_at(s, n, end, &l) : 0;
		/* (广州南沙…: a name right before or after another) */
		if (db->reg[m[i].reg].level == 0 || end == n || !uc_is_cjk(next) || brand_before(s, m[i].pos) ||
		    (i + 1 < nm && m[i + 1].pos == end) || (i > 0 && match_end(db, &m[i - 1]) == m[i].pos) ||
		    keep_units(db, s, n, m + i, 1))
			m[kept++] = m[i];
	}
	return kept;
}

/* The regions the title names before 一行 (某某区…一行到某地调研): a
 * visiting delegation, not the unit reporting; into vis (at most max). */
static size_t
title_visitors(Deboiler *db, const char *s, size_t n, long *vis, size_t max)
{
	RMatch m[16];
	size_t i, nv = 0, nm;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		nm = find_regions(db, s, n, pass, m, 16);
		for (i = 0; i < nm && nv < max; i++) {
			size_t left = n - m[i].pos;

			if (memmem(s + m[i].pos, left < 90 ? left : 90, "一行", 6))
				vis[nv++] = m[i].reg;
		}
	}
	return nv;
}

static size_t
drop_visitors(const long *vis, size_t nv, RMatch *m, size_t nm)
{
	size_t i, j, kept = 0;

	for (i = 0; i < nm; i++) {
		for (j = 0; j < nv && vis[j] != m[i].reg; j++)
			;
		if (j == nv)
			m[kept++] = m[i];
	}
	return kept;
}

/* The region the sources name: all their full names give the context for
 * names several regions share; then each source in turn, full names before
 * short ones, until one names a region. -1 when none does. */
static long
region_lookup(Deboiler *db, const char *const v[NSRC], const size_t vl[NSRC], int *from)
{
	RMatch m[16], ctx[64];
	long vis[8];
	size_t nvis = 0;
	const char *src[NSRC];
	size_t srclen[NSRC], at[NSRC], ns = 0, nm = 0, nctx = 0, i;
	int kind[NSRC];
	int shortpass;
	long r = -1;
	Buf simp = BUF_INIT;

	/* one buffer of the sources, in simplified characters */
	*from = -1;
	for (i = 0; i < NSRC; i++) {
		if (!v[i] || vl[i] == 0)
			continue;
		at[ns] = simp.len;
		if (db->nt2s)
			to_simplified(db, v[i], vl[i], &simp);
		else
			buf_add(&simp, v[i], vl[i]);
		srclen[ns] = simp.len - at[ns];
		kind[ns] = (int)i;
		ns++;
	}
	for (i = 0; i < ns; i++)
		src[i] = simp.s + at[i];
	if (ns && kind[0] == 0)
		nvis = title_visitors(db, src[0], srclen[0], vis, 8);
	/* context for names several regions share (not the paragraphs, the
	 * last resort) */
	for (i = 0; i < ns && nctx < 60 && kind[i] < NSRC - 1; i++)
		nctx += find_regions(db, src[i], srclen[i], 0, ctx + nctx, 60 - nctx);
	/* the first sources, full names then short ones; then the paragraphs */
	for (shortpass = 0; shortpass < 4 && r < 0; shortpass++)
		for (i = 0; i < ns && r < 0; i++) {
			if ((shortpass < 2) != (kind[i] < NSRC - 1))
				continue;
			nm = find_regions(db, src[i], srclen[i], shortpass & 1, m, 16);
			if ((shortpass & 1) && kind[i] >= SRC_BODY)
				nm = keep_units(db, src[i], srclen[i], m, nm);
			else if ((shortpass & 1) && kind[i] == 0)
				nm = keep_title_names(db, src[i], srclen[i], m, nm);
			nm = drop_visitors(vis, nvis, m, nm);
			r = pick_region(db, m, nm, ctx, nctx);
			if (r >= 0)
				*from = kind[i];
		}
	buf_free(&simp);
	return r;
}

/* A town that reports (its name of two characters and 镇 or 乡), in s: at
 * the text's or a clause's start or right after its county (滑县万古镇), and
 * followed by no other character of a word (万古镇人民政府, 东溪镇认真…, 三都镇2025年).
 * Writes the name to out; 0 when none. */
static int
town_unit(const char *s, size_t n, char *out, size_t outsz)
{
	static const char *const after[] = {"人民政府", "政府", "党委", "认真", "坚持", "深入", "全面", "紧紧", "始终", NULL};
	size_t p;

	if (!s || n > 600)
		n = s ? 600 : 0;
	for (p = 6; p + 3 <= n; p++) {
		uint32_t c0, c1, cb = 0, ca = 0;
		int l, k, ok;
		size_t q = p + 3;

		if (memcmp(s + p, "镇", 3) != 0 && memcmp(s + p, "乡", 3) != 0)
			continue;
		c0 = cp_at(s, n, p - 6, &l);
		c1 = cp_at(s, n, p - 3, &l);
		if (!uc_is_cjk(c0) || !uc_is_cjk(c1) || c1 == 0x4E61 || c1 == 0x57CE || c1 == 0x6751 ||
		    c0 == 0x5404 || c0 == 0x5E74 || c1 == 0x5EA6 || c1 == 0x5E74 || c0 == 0x5168 || c0 == 0x672C ||
		    c0 == 0x8BE5 || c0 == 0x6BCF)
			continue;	/* 乡镇, 城镇, 村镇; 各, 全, 本, 该, 每…; 年度乡… */
		if (p >= 9)
			cb = cp_at(s, n, p - 9, &l);
		/* before: the start, a non-Han character, or the county's 县/区/市 */
		if (p >= 9 && uc_is_cjk(cb) && cb != 0x53BF && cb != 0x533A && cb != 0x5E02)
			continue;
		if (q < n)
			ca = cp_at(s, n, q, &l);
		ok = q >= n || !uc_is_cjk(ca);
		for (k = 0; !ok && after[k]; k++)
			ok = n - q >= strlen(after[k]) && memcmp(s + q, after[k], strlen(after[k])) == 0;
		if (!ok || outsz < 10)
			continue;
		memcpy(out, s + p - 6, 9);
		out[9] = '\0';
		return 1;
	}
	return 0;
}

/* How the text names its own unit: 我省/本省 (SELF_PROV), 我市/本市, 我县,
 * 我区 (a district, or an autonomous region), 我州/我盟, 我镇/我乡, a
 * ministry (我部, 各省(区、市): SELF_NATION), and 全省
 * said twice or more (SELF_ALLPROV: a province speaking of itself); a bit
 * each. */
enum { SELF_PROV = 1, SELF_CITY = 2, SELF_COUNTY = 4, SELF_DISTRICT = 8, SELF_PREF = 16,
       SELF_TOWN = 32, SELF_ALLPROV = 64, SELF_OTHERALL = 128, SELF_NATION = 256 };

static unsigned
self_units(Work *w)
{
	static const struct {
		const char *w;
		unsigned bit;
	} words[] = {
		{"我省", SELF_PROV}, {"本省", SELF_PROV}, {"我市", SELF_CITY}, {"本市", SELF_CITY},
		{"我县", SELF_COUNTY}, {"本县", SELF_COUNTY}, {"我縣", SELF_COUNTY}, {"我区", SELF_DISTRICT},
		{"本区", SELF_DISTRICT}, {"我區", SELF_DISTRICT}, {"我州", SELF_PREF}, {"我盟", SELF_PREF},
		{"我镇", SELF_TOWN}, {"我乡", SELF_TOWN}, {"我鎮", SELF_TOWN}, {"我鄉", SELF_TOWN},
		{"全市", SELF_OTHERALL}, {"全县", SELF_OTHERALL}, {"全区", SELF_OTHERALL},
		{"全州", SELF_OTHERALL}, {"全镇", SELF_OTHERALL}, {"我部", SELF_NATION},
		{"各省(区、市)", SELF_NATION}, {"各省、自治区、直辖市", SELF_NATION}, {NULL, 0},
	};
	unsigned self = 0;
	int allprov = 0, i;
	size_t k;

	/* one pass over each line: every word starts with 我 本 全 or 各,
	 * whose UTF-8 lead bytes are 0xE5 or 0xE6 (never a continuation) */
	for (k = 0; k < w->n; k++) {
		const unsigned char *p = (const unsigned char *)LS(w, k), *e = p + LN(w, k);

		if (w->line[k].state == L_DROP)
			continue;
		for (; p + 6 <= e; p++) {
			if (*p != 0xE5 && *p != 0xE6)
				continue;
			if (memcmp(p, "全省", 6) == 0) {
				allprov++;
				continue;
			}
			for (i = 0; words[i].w; i++) {
				size_t len = strlen(words[i].w);

				if ((size_t)(e - p) >= len && memcmp(p, words[i].w, len) == 0)
					self |= words[i].bit;
			}
		}
	}
	if (allprov >= 2)
		self |= SELF_ALLPROV;
	return self;
}

/* Can region r be the unit the text calls itself (我区: a district or an
 * autonomous region, not a province)? None fits a ministry's text (我部);
 * any fits a text that says none of 我省/我市/我县/我区/我州/我镇. */
static int
region_fits(Deboiler *db, long r, unsigned self)
{
	const Region *g = &db->reg[r];
	unsigned mine = self & (SELF_PROV | SELF_CITY | SELF_COUNTY | SELF_DISTRICT | SELF_PREF | SELF_TOWN);

	if (self & SELF_NATION)
		return 0;	/* a ministry's text names places, never itself */
	if (!mine)
		return 1;
	if (g->level == 0)	/* 省, 自治区 (我区), 直辖市 (我市) */
		return (mine & SELF_PROV) || ((mine & SELF_DISTRICT) && ends_with(g->name, g->namelen, "自治区")) ||
		       ((mine & SELF_CITY) && ends_with(g->name, g->namelen, "市"));
	if (g->level == 1)	/* 市, 州, 盟, 地区 */
		return (mine & (SELF_CITY | SELF_PREF | SELF_DISTRICT)) != 0;
	return (mine & (SELF_CITY | SELF_COUNTY | SELF_DISTRICT | SELF_TOWN)) != 0;
}

/* A province that speaks of itself (全省 twice, no 我市/全市… of a lower
 * unit) and names only places of one province: that province (全省办理…,
 * 南京市某某工作站…). -1 otherwise. */
static long
province_from_body(Deboiler *db, Work *w, unsigned self)
{
	RMatch m[64];
	Buf simp = BUF_INIT;
	size_t k, nm, i;
	long prov = -1;

	if (!(self & SELF_ALLPROV) || (self & ~(SELF_ALLPROV | SELF_PROV)))
		return -1;
	for (k = 0; k < w->n; k++)
		if (w->line[k].state != L_DROP) {	/* kept or joined */
			if (db->nt2s)
				to_simplified(db, LS(w, k), LN(w, k), &simp);
			else
				buf_add(&simp, LS(w, k), LN(w, k));
			buf_addc(&simp, '\n');
		}
	nm = find_regions(db, simp.s ? simp.s : "", simp.len, 0, m, 64);
	for (i = 0; i < nm; i++) {
		long p = m[i].reg;

		if (db->reg[p].next[m[i].chain] >= 0)
			continue;	/* a name several regions share: no evidence */
		while (db->reg[p].parent >= 0 && db->reg[p].level > 0)
			p = db->reg[p].parent;
		if (db->reg[p].level != 0 || (prov >= 0 && p != prov)) {
			prov = -1;
			break;
		}
		prov = p;
	}
	buf_free(&simp);
	return prov;
}

/* region: title, publisher, source, signature, first lines, first
 * paragraphs; a region the body names that cannot be the unit it calls
 * itself (我区) is dropped; a province speaking of itself found by the
 * places it names. Sets Region,
 * Region-Code and Province. */
void
doc_region(Deboiler *db, DbDoc *d, Work *w, size_t title_k, const BodyMarks *bm)
{
	Buf first = BUF_INIT, sig = BUF_INIT, paras = BUF_INIT;
	const char *v[NSRC];
	size_t vl[NSRC];
	long r;
	int from;
	unsigned self;
	char tmp[32];

	region_sources(d, w, title_k, bm, &first, &sig, &paras, v, vl);
	r = region_lookup(db, v, vl, &from);
	/* the text's own unit matters only for a region from the body or for
	 * none found (self_units reads every line: not for every document) */
	self = (r < 0 || from >= SRC_BODY) ? self_units(w) : 0;
	/* a region the text merely mentions (省司法厅公布…浙江省…名单 in a
	 * report that says 我区) is not the reporting unit */
	if (r >= 0 && from >= SRC_BODY && !region_fits(db, r, self))
		r = -1;
	/* a province speaking of itself (全省…, never 全市/我县) names its
	 * cities: the province reports, if they are all of one */
	if (r >= 0 && from >= SRC_BODY && db->reg[r].level > 0 && (self & SELF_ALLPROV) &&
	    !(self & ~(SELF_ALLPROV | SELF_PROV)))
		r = province_from_body(db, w, self);
	if (town_unit(v[0], vl[0], tmp, sizeof tmp) || town_unit(v[4], vl[4], tmp, sizeof tmp)) {
		/* the reporting unit is a town of the county found (or of none):
		 * the town's name, the county's code and province */
		doc_setval(d, K_REGION, tmp, strlen(tmp));
		if (r >= 0 && db->reg[r].level < 2)
			r = -1;	/* a province or a prefecture is not a town's county */
		if (r >= 0) {
			long p = r;

			snprintf(tmp, sizeof tmp, "%06ld", db->reg[r].code);
			doc_setval(d, K_REGION_CODE, tmp, strlen(tmp));
			while (db->reg[p].parent >= 0 && db->reg[p].level > 0)
				p = db->reg[p].parent;
			if (db->reg[p].level == 0)
				doc_setval(d, K_PROVINCE, db->reg[p].name, db->reg[p].namelen);
		}
		goto out;
	}
	if (r < 0)
		r = province_from_body(db, w, self);
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
out:
	buf_free(&first);
	buf_free(&sig);
	buf_free(&paras);
}
