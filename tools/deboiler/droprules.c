/* droprules.c: the pcre2 rules of data/deboiler.rules (and -r files):
 * loading them into drop, strip and meta rules with their prefilters
 * (one alternation per kind, (*:N) marks naming the rule), and matching a
 * line: the first drop rule that takes it, strip rules cutting junk out
 * of it. Meta rules are applied in meta.c. */
#include "deboiler_int.h"
#include "err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int meta_rule_key(Deboiler *db, const Rule *r, DRule *d);
static int is_combinable(const char *pat);
static void parse_gate(Deboiler *db, DRule *d, const char *pat, Buf *gated_alt, Buf *err);
static void build_prefilters(Deboiler *db, Buf alt[3], int combinable, Buf *err);
static long mark_rule(Regex *rx);

int
db_load_rules(Deboiler *db, const char *path)
{
	static const char *const req[] = {"name", "action", NULL};

	if (rules_load(&db->rs, path, "pattern", req, 0) < 0)
		return -1;
	return prepare(db);
}

/* The header key a meta rule fills: its first named group among the known
 * keys (date last). -1 after reporting a rule without one. */
static int
meta_rule_key(Deboiler *db, const Rule *r, DRule *d)
{
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
		return -1;
	}
	return 0;
}

/* Can the pattern go into an alternation? Back references count groups,
 * which an alternation renumbers. */
static int
is_combinable(const char *pat)
{
	const char *p;
	int combinable = 1;

	if (strstr(pat, "\\g") || strstr(pat, "\\k") || strstr(pat, "(?P") ||
	    strstr(pat, "(?R") || strstr(pat, "(?&"))
		combinable = 0;
	for (p = pat; (p = strchr(p, '\\')) != NULL; p += 2) {
		if (p[1] >= '1' && p[1] <= '9')
			combinable = 0;
		if (p[1] == '\0')
			break;
	}
	for (p = pat; (p = strstr(p, "(?")) != NULL; p += 2)
		if (p[2] >= '0' && p[2] <= '9')
			combinable = 0;
	return combinable;
}

/* A drop rule "^(?=.{0,N}$)rest": record the gate N, compile "^rest" as
 * the rule's body and add it to the gated prefilter's alternation. */
static void
parse_gate(Deboiler *db, DRule *d, const char *pat, Buf *gated_alt, Buf *err)
{
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
			d->have_body = rx_compile(&d->body, rest.s, 0, err) == 0;
			if (d->have_body) {
				buf_adds(gated_alt, gated_alt->len ? "|(?:" : "(?:");
				buf_adds(gated_alt, rest.s);
				buf_addf(gated_alt, ")(*:%zu)", db->nrule);
			}
			buf_clear(err);
			buf_free(&rest);
		}
	}
}

/* Compile the three prefilters (drop, strip, gated drop) from their
 * alternations, when every pattern could join one. */
static void
build_prefilters(Deboiler *db, Buf alt[3], int combinable, Buf *err)
{
	if (db->have_drop_any)
		rx_free(&db->drop_any);
	if (db->have_strip_any)
		rx_free(&db->strip_any);
	if (db->have_gated_any)
		rx_free(&db->gated_any);
	db->have_drop_any = db->have_strip_any = db->have_gated_any = 0;
	if (combinable && alt[0].len)
		db->have_drop_any = rx_compile(&db->drop_any, alt[0].s, PCRE2_DUPNAMES, err) == 0;
	buf_clear(err);
	if (combinable && alt[1].len)
		db->have_strip_any = rx_compile(&db->strip_any, alt[1].s, PCRE2_DUPNAMES, err) == 0;
	buf_clear(err);
	if (combinable && alt[2].len)
		db->have_gated_any = rx_compile(&db->gated_any, alt[2].s, PCRE2_DUPNAMES, err) == 0;
}

/* Turn the loaded RuleSet into DRules and build the prefilters. Meta rules
 * must have one of the known named groups. */
int
prepare(Deboiler *db)
{
	long cn = rules_column(&db->rs, "name"), ca = rules_column(&db->rs, "action");
	Buf alt[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT}, err = BUF_INIT;
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
			if (meta_rule_key(db, r, d) < 0) {
				status = -1;
				continue;
			}
		} else {
			warnat(db->rs.file, r->line, "unknown action '%s' (drop, strip or meta)", act);
			status = -1;
			continue;
		}
		if (!is_combinable(pat))
			combinable = 0;
		parse_gate(db, d, pat, &alt[2], &err);
		if (d->action != A_META && d->gate == 0) {
			/* (an anchored strip rule joins the group that one ^
			 * guards: tried at the line's start only, not at every
			 * position of every line as the others are) */
			Buf *b = &alt[d->action != A_STRIP ? 0 : pat[0] == '^' ? 3 : 1];

			/* the mark names the rule that matched */
			buf_adds(b, b->len ? "|(?:" : "(?:");
			buf_adds(b, pat);
			buf_addf(b, ")(*:%zu)", db->nrule);
		}
		db->nrule++;
	}
	if (alt[3].len) {	/* ^(?:anchored …)|unanchored … */
		Buf all = BUF_INIT;

		buf_addf(&all, "^(?:%s)", alt[3].s);
		if (alt[1].len)
			buf_addf(&all, "|%s", alt[1].s);
		buf_free(&alt[1]);
		alt[1] = all;
	}
	build_prefilters(db, alt, combinable, &err);
	buf_free(&alt[0]);
	buf_free(&alt[1]);
	buf_free(&alt[2]);
	buf_free(&alt[3]);
	buf_free(&err);
	db->ready = 1;
	return status;
}

/* rx_match_opts(), counting matches cut short by the pcre2 limits: such a
 * line is kept (no text is lost) and the caller is told. */
int
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

/* The first drop rule matching the line. Ungated rules are anchored
 * patterns tried through one alternation first; gated rules (those that look
 * inside short lines) are skipped on longer lines, on headings and on lines
 * of 40 or more characters that end a sentence: the document's own text.
 * Sentences of 80 or more characters are never chrome. */
const char *
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

/* Strip rules: cut every match out of line k (text rewritten in the arena). */
void
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

void
drop(Deboiler *db, DbDoc *d, Work *w, size_t k, const char *rule)
{
	w->line[k].state = L_DROP;
	w->line[k].rule = rule;
	d->removed++;
	explain_row(db, d, w->line[k].lineno, "drop", rule, LS(w, k), LN(w, k));
}
