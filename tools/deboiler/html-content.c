/* html-content.c: which part of a page is the document. First the
 * containers that government CMSs mark (data/html-containers.tsv: TRS
 * #zoom/.TRS_Editor, Hanweb's ZJEG_RSS comment pair, #UCAP-CONTENT,
 * .bt_content …; the first rule that matches an element holding text wins);
 * for pages no rule knows, a density score in the manner of readability:
 * every paragraph-like element with 25 characters or more gives its parent
 * 1 + its punctuation + a point per 100 characters (up to 3), half of that
 * to the grandparent and a third to the next; a candidate's score starts
 * from its tag and its class/id words (the `good` and `bad` rows) and is
 * scaled by 1 - link density; the best candidate is taken with those of its
 * siblings that score near it or are paragraphs of their own. Inside the
 * content, the blocks whose class or id says chrome (the `inner` rows:
 * comments, share, related …) and blocks of links are left out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "err.h"
#include "utf8.h"

#define MIN_RULE_CHARS 30	/* a container rule's element holds this much */
#define MIN_PARA_CHARS 25	/* a paragraph scores from this length */

/* What html_stats() attaches to the document (doc->_private). */
typedef struct {
	HtmlStat *stat;
	const xmlNode **elem;	/* elements in document order */
	size_t n, cap;
	const xmlNode **comment;
	size_t nc, capc;
} Stats;

static int
is_punct(uint32_t cp)
{
	switch (cp) {
	case ',': case ';': case '!': case '?': case 0x3002: case 0x3001: case 0xFF0C:
	case 0xFF1B: case 0xFF01: case 0xFF1F:
		return 1;
	}
	return 0;
}

static void
collect(Stats *st, const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			if (st->n == st->cap) {
				st->cap = st->cap ? st->cap * 2 : 256;
				st->elem = xrealloc(st->elem, st->cap * sizeof *st->elem);
			}
			st->elem[st->n++] = c;
			collect(st, c);
		} else if (c->type == XML_COMMENT_NODE) {
			if (st->nc == st->capc) {
				st->capc = st->capc ? st->capc * 2 : 16;
				st->comment = xrealloc(st->comment, st->capc * sizeof *st->comment);
			}
			st->comment[st->nc++] = c;
		}
	}
}

/* Post-order sums over the elements (children come after their parent in
 * elem[], so a backward pass sees children first). */
static void
sum_stats(Stats *st)
{
	size_t i;

	for (i = st->n; i-- > 0;) {
		const xmlNode *e = st->elem[i], *c;
		HtmlStat *s = html_stat(e);

		if (html_is_dropped(e))
			continue;
		for (c = e->children; c; c = c->next) {
			if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
				const unsigned char *p = c->content;
				size_t len = p ? strlen((const char *)p) : 0, k = 0;

				while (k < len) {
					uint32_t cp;
					int l = utf8_decode(p + k, len - k, &cp);

					if (l < 0)
						l = 1;
					if (!uc_is_space(cp))
						s->chars++, s->own++;
					s->punct += is_punct(cp);
					s->ownpunct += is_punct(cp);
					k += (size_t)l;
				}
			} else if (c->type == XML_ELEMENT_NODE && !html_is_dropped(c)) {
				const HtmlStat *cs = html_stat(c);

				s->chars += cs->chars;
				s->linkchars += cs->linkchars;
				s->nodes += cs->nodes;
				s->punct += cs->punct;
				if (!html_is_block(c)) {
					s->own += cs->chars - cs->linkchars;
					s->ownpunct += cs->punct;
				}
			}
		}
		if (s->flags & HS_LINK)
			s->linkchars = s->chars, s->own = 0;
	}
}

void
html_stats(xmlDocPtr doc)
{
	Stats *st = xcalloc(1, sizeof *st);
	size_t i;

	collect(st, (const xmlNode *)doc);
	st->stat = xcalloc(st->n ? st->n : 1, sizeof *st->stat);
	for (i = 0; i < st->n; i++) {
		((xmlNode *)st->elem[i])->_private = &st->stat[i];
		st->stat[i].order = i;
		st->stat[i].nodes = 1;
	}
	/* the tag tests asked of every element, once (strcasecmp against lists) */
	for (i = 0; i < st->n; i++) {
		const xmlNode *e = st->elem[i];

		st->stat[i].flags |= (html_is_dropped(e) ? HS_DROPPED : 0) | (html_is_block(e) ? HS_BLOCK : 0) |
				     (html_line_block(e) ? HS_LINE : 0) | (html_is_tag(e, "a") ? HS_LINK : 0);
	}
	for (i = 0; i < st->n; i++)
		st->stat[i].flags |= HS_KNOWN;
	sum_stats(st);
	doc->_private = st;
}

void
html_stats_free(xmlDocPtr doc)
{
	Stats *st = doc->_private;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++)
		((xmlNode *)st->elem[i])->_private = NULL;
	free(st->stat);
	free(st->elem);
	free(st->comment);
	free(st);
	doc->_private = NULL;
}

const xmlNode *const *
html_elements(xmlDocPtr doc, size_t *n)
{
	const Stats *st = doc->_private;

	*n = st ? st->n : 0;
	return st ? st->elem : NULL;
}

const xmlNode *
html_body(xmlDocPtr doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *c;

	for (c = root ? root->children : NULL; c; c = c->next)
		if (html_is_tag(c, "body"))
			return c;
	return root;
}

void
html_pick_free(HtmlPick *pick)
{
	free(pick->node);
	memset(pick, 0, sizeof *pick);
}

static void
pick_add(HtmlPick *pick, const xmlNode *n)
{
	pick->node = xrealloc(pick->node, (pick->n + 1) * sizeof *pick->node);
	pick->node[pick->n++] = n;
}

/* "div#zoom.TRS_Editor" for --explain */
static void
describe(const xmlNode *n, Buf *why)
{
	const char *id = html_attr(n, "id"), *cl = html_attr(n, "class");

	buf_adds(why, (const char *)n->name);
	if (id && *id)
		buf_addf(why, "#%.40s", id);
	if (cl && *cl)
		buf_addf(why, ".%.60s", cl);
}

/* ---- 1. container rules ---- */

static int
rule_matches(const HtmlRule *r, const xmlNode *e)
{
	const char *id;

	switch (r->kind) {
	case HC_ID:
		id = html_attr(e, "id");
		return id && strcasecmp(id, r->value) == 0;
	case HC_CLASS:
		return html_has_class(e, r->value);
	case HC_TAG:
		return html_is_tag(e, r->value);
	}
	return 0;
}

static int
same_comment(const xmlNode *c, const char *want)
{
	const char *s = (const char *)c->content;
	size_t n, wl = strlen(want);

	if (!s)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n == wl && strncmp(s, want, n) == 0;
}

static int
by_comments(const HtmlRule *r, const Stats *st, HtmlPick *pick, Buf *why)
{
	size_t i, j;

	for (i = 0; i < st->nc; i++) {
		if (!same_comment(st->comment[i], r->value))
			continue;
		for (j = i + 1; j < st->nc; j++)
			if (same_comment(st->comment[j], r->arg)) {
				Buf t = BUF_INIT;
				size_t chars;

				html_text_range(st->comment[i], st->comment[j], &t);
				chars = utf8_count((const unsigned char *)t.s, t.len);
				buf_free(&t);
				if (chars < MIN_RULE_CHARS)
					break;
				pick->from = st->comment[i];
				pick->to = st->comment[j];
				pick->by_rule = 1;
				buf_addf(why, "container: comments <!--%s--> … <!--%s-->", r->value, r->arg);
				return 1;
			}
	}
	return 0;
}

static int
by_rules(const DbHtml *h, const Stats *st, HtmlPick *pick, Buf *why)
{
	size_t r, i;

	for (r = 0; r < h->nrule; r++) {
		const HtmlRule *hr = &h->rule[r];
		const xmlNode *best = NULL;
		size_t bestnet = 0;

		if (hr->kind == HC_COMMENT) {
			if (by_comments(hr, st, pick, why))
				return 1;
			continue;
		}
		if (hr->kind != HC_ID && hr->kind != HC_CLASS && hr->kind != HC_TAG)
			continue;
		for (i = 0; i < st->n; i++) {
			const HtmlStat *s = html_stat(st->elem[i]);

			if (rule_matches(hr, st->elem[i]) && !html_is_dropped(st->elem[i]) &&
			    s->chars - s->linkchars > bestnet && s->linkchars * 2 <= s->chars) {
				best = st->elem[i];
				bestnet = s->chars - s->linkchars;
			}
		}
		if (best && bestnet >= MIN_RULE_CHARS) {
			pick_add(pick, best);
			pick->by_rule = 1;
			buf_addf(why, "container: %s %s (", hr->kind == HC_ID ? "id" : hr->kind == HC_CLASS ? "class" : "tag",
				 hr->value);
			describe(best, why);
			buf_addf(why, ", %zu characters)", bestnet);
			return 1;
		}
	}
	return 0;
}

/* ---- 2. density score ---- */

int
html_is_block(const xmlNode *e)
{
	static const char *const blocks[] = {
		"p", "div", "table", "ul", "ol", "dl", "section", "article", "h1", "h2", "h3",
		"h4", "h5", "h6", "blockquote", "pre", "form", "tr", "td", "li", "center",
		"header", "footer", "nav", "aside", "main", "figure", NULL,
	};
	const HtmlStat *st = e->_private;
	int i;

	if (st && (st->flags & HS_KNOWN))	/* (html_stats() asked once) */
		return (st->flags & HS_BLOCK) != 0;
	for (i = 0; blocks[i]; i++)
		if (html_is_tag(e, blocks[i]))
			return 1;
	return 0;
}

/* class or id holds the word (case-insensitive substring) */
static int
attr_has(const xmlNode *e, const char *word)
{
	const char *v[2] = {html_attr(e, "class"), html_attr(e, "id")};
	int i;

	for (i = 0; i < 2; i++)
		if (v[i] && strcasestr(v[i], word))
			return 1;
	return 0;
}

static double
initial_score(const DbHtml *h, const xmlNode *e)
{
	double s = 0;
	size_t r;
	int good = 0, bad = 0;

	if (html_is_tag(e, "div") || html_is_tag(e, "article") || html_is_tag(e, "section"))
		s = 5;
	else if (html_is_tag(e, "td") || html_is_tag(e, "pre") || html_is_tag(e, "blockquote"))
		s = 3;
	else if (html_is_tag(e, "ul") || html_is_tag(e, "ol") || html_is_tag(e, "li") ||
		 html_is_tag(e, "form") || html_is_tag(e, "dl"))
		s = -3;
	else if (html_is_tag(e, "th") || (e->name[0] == 'h' && e->name[1] >= '1' && e->name[1] <= '6'))
		s = -5;
	for (r = 0; r < h->nrule; r++) {
		if (h->rule[r].kind == HC_GOOD && !good && attr_has(e, h->rule[r].value))
			good = 1;
		else if (h->rule[r].kind == HC_BAD && !bad && attr_has(e, h->rule[r].value))
			bad = 1;
	}
	return s + 25 * good - 25 * bad;
}

static double
final_score(const xmlNode *e)
{
	const HtmlStat *s = html_stat(e);

	return s->score * (1.0 - (s->chars ? (double)s->linkchars / (double)s->chars : 0));
}

static void
by_density(const DbHtml *h, const Stats *st, const xmlNode *body, HtmlPick *pick, Buf *why)
{
	const xmlNode *top = NULL, *c;
	double best = 0, limit;
	size_t i;

	/* A paragraph (p, pre, blockquote) scores for its parent; any other
	 * element with text of its own (a div of text and <br> lines, a td)
	 * scores for itself. */
	for (i = 0; i < st->n; i++) {
		const xmlNode *e = st->elem[i], *a;
		const HtmlStat *s = html_stat(e);
		size_t net, punct;
		double add;
		int level;

		if (html_is_tag(e, "p") || html_is_tag(e, "pre") || html_is_tag(e, "blockquote")) {
			if (s->linkchars * 2 > s->chars)
				continue;
			net = s->chars - s->linkchars;
			punct = s->punct;
			a = e->parent;
		} else if (html_is_block(e) || html_is_tag(e, "body") || html_is_tag(e, "font")) {
			net = s->own;
			punct = s->ownpunct;
			a = e;
		} else {
			continue;
		}
		if (net < MIN_PARA_CHARS)
			continue;
		add = 1.0 + (double)punct + (net / 100 < 3 ? (double)(net / 100) : 3.0);
		for (level = 0; a && a->type == XML_ELEMENT_NODE && level < 3; a = a->parent, level++) {
			HtmlStat *as = html_stat(a);

			if (html_is_dropped(a) || html_is_skipped(a))
				break;
			if (!(as->flags & HS_CANDIDATE)) {
				as->flags |= HS_CANDIDATE;
				as->score = initial_score(h, a);
			}
			as->score += level == 0 ? add : level == 1 ? add / 2 : add / 6;
			if (a == body)
				break;
		}
	}
	for (i = 0; i < st->n; i++)
		if ((html_stat(st->elem[i])->flags & HS_CANDIDATE) && final_score(st->elem[i]) > best &&
		    !html_is_tag(st->elem[i], "html")) {
			best = final_score(st->elem[i]);
			top = st->elem[i];
		}
	if (!top) {
		pick_add(pick, body);
		buf_adds(why, "density: no paragraph scored, the whole body");
		return;
	}
	/* the siblings that belong with it */
	limit = best * 0.2 > 10 ? best * 0.2 : 10;
	for (c = top->parent ? top->parent->children : top; c; c = c->next) {
		const HtmlStat *s;
		size_t net;
		double ld;

		if (c->type != XML_ELEMENT_NODE || html_is_dropped(c) || html_is_skipped(c))
			continue;
		s = html_stat(c);
		net = s->chars - s->linkchars;
		ld = s->chars ? (double)s->linkchars / (double)s->chars : 1;
		if (c == top || ((s->flags & HS_CANDIDATE) && final_score(c) >= limit) ||
		    (html_is_tag(c, "p") && ((net >= 80 && ld < 0.25) || (net > 0 && ld == 0 && s->punct > 0))))
			pick_add(pick, c);
	}
	buf_adds(why, "density: ");
	describe(top, why);
	buf_addf(why, " (score %.1f", best);
	if (pick->n > 1)
		buf_addf(why, ", with %zu sibling%s", pick->n - 1, pick->n == 2 ? "" : "s");
	buf_addc(why, ')');
}

/* ---- 3. chrome inside the content ---- */

#define LINK_BLOCK_TEXT 80	/* characters outside links: more is text */

/* w in v (case-insensitive) as a word of a class or id: not inside a
 * lowercase run (blk-comment, post_statement, relatedEvent, tuijian2),
 * nor an uppercase one (BSHARE_POP), a plural s allowed */
static int
word_in(const char *v, const char *w)
{
	size_t wl = strlen(w);
	const char *p;

	for (p = v; (p = strcasestr(p, w)) != NULL; p++) {
		const char *e = p + wl;

		if (*e == 's' || *e == 'S')
			e++;
		if ((p == v || !isalpha((unsigned char)p[-1]) ||
		     (islower((unsigned char)p[-1]) && isupper((unsigned char)p[0]))) &&
		    (!isalpha((unsigned char)*e) || (islower((unsigned char)e[-1]) && isupper((unsigned char)*e))))
			return 1;
	}
	return 0;
}

static int
is_inner_chrome(const DbHtml *h, const xmlNode *e)
{
	const char *v[2] = {html_attr(e, "class"), html_attr(e, "id")};
	size_t r;
	int i;

	if (!v[0] && !v[1])
		return 0;
	for (r = 0; r < h->nrule; r++)
		if (h->rule[r].kind == HC_INNER)
			for (i = 0; i < 2; i++)
				if (v[i] && word_in(v[i], h->rule[r].value))
					return 1;
	return 0;
}

static size_t
count_links(const xmlNode *n, size_t max)
{
	const xmlNode *c;
	size_t k = 0;

	for (c = n->children; c && k < max; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k += html_is_link(c) ? 1 : count_links(c, max - k);
	return k;
}

/* A block of links: related items, a topic's other reports (links with a
 * source name or a date beside each), not a paragraph */
static int
is_link_block(const xmlNode *e)
{
	const HtmlStat *s = html_stat(e);

	if (!(html_is_tag(e, "div") || html_is_tag(e, "ul") || html_is_tag(e, "ol") || html_is_tag(e, "dl") ||
	      html_is_tag(e, "section") || html_is_tag(e, "aside") || html_is_tag(e, "nav")))
		return 0;
	return s->chars >= 8 && s->linkchars * 10 >= s->chars * 6 && s->chars - s->linkchars <= LINK_BLOCK_TEXT &&
	       count_links(e, 2) >= 2;
}

static void
mark_inner(const DbHtml *h, const xmlNode *n, size_t *count)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || html_is_dropped(c) || html_is_skipped(c))
			continue;
		if (is_inner_chrome(h, c) || is_link_block(c)) {
			html_stat(c)->flags |= HS_SKIP;
			(*count)++;
		} else {
			mark_inner(h, c, count);
		}
	}
}

/* Comment sections, share bars, QR-code boxes, statements, related and
 * recommended lists inside the content (the `inner` class and id words),
 * and blocks of links, are left out of its text. */
static void
inner_chrome(const DbHtml *h, const HtmlPick *pick, Buf *why)
{
	size_t i, count = 0, top = 0;

	for (i = 1; i < pick->n; i++)	/* (the content itself: the most text) */
		if (html_stat(pick->node[i])->chars > html_stat(pick->node[top])->chars)
			top = i;
	for (i = 0; i < pick->n; i++) {
		if (i != top && is_inner_chrome(h, pick->node[i])) {	/* a sibling taken with it */
			html_stat(pick->node[i])->flags |= HS_SKIP;
			count++;
			continue;
		}
		mark_inner(h, pick->node[i], &count);
	}
	if (count)
		buf_addf(why, "; %zu block%s of chrome inside left out", count, count == 1 ? "" : "s");
}

void
html_content(const DbHtml *h, xmlDocPtr doc, HtmlPick *pick, Buf *why)
{
	const Stats *st = doc->_private;
	const xmlNode *body = html_body(doc);

	memset(pick, 0, sizeof *pick);
	if (!st || !body)
		return;
	if (!by_rules(h, st, pick, why))
		by_density(h, st, body, pick, why);
	inner_chrome(h, pick, why);
}
