/* html-meta.c: what the markup says about the document: <meta> tags named
 * in data/html-containers.tsv (ArticleTitle, PubDate, ContentSource …), the
 * title (the meta tag, else the heading the <title> names, else the
 * <title> before the site's name), the publication date near the title,
 * the 索引号/文号/发布机构 table (read, then left out of the text), links
 * to attachments (.pdf .doc …), and pages that hold no document: a
 * redirect, a frameset, a login form, a listing of links, no main text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "err.h"
#include "utf8.h"

#define MAX_ATTACH 50
#define INFO_LABEL_MAX 12	/* characters of a 索引号-table label at most */
#define DATE_WINDOW 600	/* bytes of text after the title where its date is */

void
html_meta_free(HtmlMeta *m)
{
	int k;

	for (k = 0; k < HM_NKEYS; k++)
		free(m->val[k]);
	buf_free(&m->attachments);
}

static void
set(HtmlMeta *m, int key, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	if (n == 0 || m->val[key])
		return;
	m->val[key] = xstrndup(s, n);
}

/* Blanks out (for comparing titles). */
static void
squeeze(const char *s, Buf *out)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			buf_addc(out, *s);
	if (!out->s)
		buf_addc(out, '\0'), out->len = 0;
}

/* ---- <head>: <title> and <meta> ---- */

static void
head_meta(const DbHtml *h, const xmlNode *n, HtmlMeta *m, Buf *title, const char **refresh)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		const char *name, *content;
		size_t r;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (html_is_tag(c, "title") && !title->len) {
			html_flat_text(c, title);
			continue;
		}
		if (!html_is_tag(c, "meta")) {
			if (html_is_tag(c, "head") || html_is_tag(c, "html"))
				head_meta(h, c, m, title, refresh);
			continue;
		}
		content = html_attr(c, "content");
		if (!content)
			continue;
		name = html_attr(c, "name");
		if (!name)
			name = html_attr(c, "property");
		if (!name)
			name = html_attr(c, "itemprop");
		if (!name) {
			name = html_attr(c, "http-equiv");
			if (name && strcasecmp(name, "refresh") == 0)
				*refresh = content;
			continue;
		}
		for (r = 0; r < h->nrule; r++)
			if (h->rule[r].kind == HC_META && strcasecmp(h->rule[r].value, name) == 0) {
				if (h->rule[r].key == HM_DATE) {
					char d[11];

					if (html_find_date(content, strlen(content), d, NULL))
						set(m, HM_DATE, d, 10);
				} else {
					set(m, h->rule[r].key, content, strlen(content));
				}
			}
	}
}

/* ---- the title ---- */

/* The <title> up to the first separator that leaves 4 characters or more
 * before it (…_某某市人民政府门户网站, … - 新浪新闻). */
static void
title_head(const DbHtml *h, const char *t, Buf *out)
{
	size_t cut = strlen(t), r;

	for (r = 0; r < h->nrule; r++) {
		const char *p;

		if (h->rule[r].kind != HC_TITLESEP)
			continue;
		for (p = strstr(t, h->rule[r].value); p; p = strstr(p + 1, h->rule[r].value))
			if (utf8_count((const unsigned char *)t, (size_t)(p - t)) >= 4) {
				if ((size_t)(p - t) < cut)
					cut = (size_t)(p - t);
				break;
			}
	}
	buf_add(out, t, cut);
}

/* h1-h6, or an element whose class or id says title or headline */
static int
is_heading(const xmlNode *e)
{
	const char *c = html_attr(e, "class"), *id = html_attr(e, "id");

	return (e->name[0] == 'h' && e->name[1] >= '1' && e->name[1] <= '6' && !e->name[2]) ||
	       (c && (strcasestr(c, "title") || strcasestr(c, "headline"))) ||
	       (id && (strcasestr(id, "title") || strcasestr(id, "headline")));
}

typedef struct {
	const xmlNode *node;
	size_t len;
	int rank;		/* 2 named by the <title>, 1 a heading just
				 * before the content, 0 one inside it */
} Heading;

/* The displayed headline: the longest element of 6 to 120 characters, a
 * heading or a run of text with no block inside, whose text the <title>
 * holds; else the last heading before the content (or the first inside
 * it). */
static void
find_heading(xmlDocPtr doc, const HtmlPick *pick, const char *title_sq, size_t head_len, Heading *best)
{
	size_t n, i, start = (size_t)-1, nc;
	const xmlNode *const *el = html_elements(doc, &n);
	Buf tmp = BUF_INIT, sq = BUF_INIT;
	const xmlNode *before = NULL, *inside = NULL;

	if (pick->n)
		start = html_stat(pick->node[0])->order;
	for (i = 0; i < n; i++) {
		const xmlNode *e = el[i];
		const HtmlStat *s = html_stat(e);
		int head;

		if (s->chars < 4 || s->chars > 240 || s->nodes > 64 || html_is_dropped(e) ||
		    s->linkchars * 2 > s->chars)
			continue;
		head = is_heading(e);
		if (!head && s->own != s->chars)
			continue;	/* (blocks inside) */
		buf_clear(&tmp);
		buf_clear(&sq);
		html_flat_text(e, &tmp);
		squeeze(tmp.s ? tmp.s : "", &sq);
		nc = utf8_count((const unsigned char *)sq.s, sq.len);
		if (nc < 4 || nc > 120)
			continue;
		/* (half the <title>'s headline at least: not the site's name) */
		if (nc >= 6 && title_sq && *title_sq && strstr(title_sq, sq.s) && sq.len > best->len &&
		    sq.len * 2 >= head_len) {
			best->node = e;
			best->len = sq.len;
			best->rank = 2;
		}
		if (head && (start == (size_t)-1 || (i < start && i + 60 > start)))
			before = e;
		else if (head && !inside && i >= start && i < start + 40)
			inside = e;
	}
	if (!best->node && (before || inside)) {
		best->node = before ? before : inside;
		best->rank = before ? 1 : 0;
	}
	buf_free(&tmp);
	buf_free(&sq);
}

/* ---- the date after the title ---- */

typedef struct {
	const xmlNode *start;	/* the heading */
	const HtmlPick *pick;	/* the content, skipped when skip is set
				 * (a date line below the text) */
	int skip;
	int on;
	size_t seen;
	char date[11];
	int found;
} DateScan;

static void
scan_date(DateScan *ds, const xmlNode *n)
{
	const xmlNode *c;

	for (c = n; c && !ds->found && ds->seen < DATE_WINDOW; c = c->next) {
		if (c == ds->start) {
			ds->on = 1;
			continue;
		}
		if (c->type == XML_TEXT_NODE && ds->on && c->content) {
			size_t l = strlen((const char *)c->content);

			if (html_find_date((const char *)c->content, l, ds->date, NULL))
				ds->found = 1;
			ds->seen += l;
		} else if (c->type == XML_ELEMENT_NODE && !html_is_dropped(c) && c->children) {
			size_t i;

			for (i = 0; i < ds->pick->n && ds->pick->node[i] != c; i++)
				;
			if (i == ds->pick->n || !ds->on || !ds->skip)
				scan_date(ds, c->children);
		}
	}
}

/* ---- the 索引号 table ---- */

static int
info_key(const DbHtml *h, const char *label)
{
	size_t r, n = strlen(label);

	while (n && (label[n - 1] == ':' || label[n - 1] == ' '))
		n--;
	if (n >= 3 && memcmp(label + n - 3, "\xEF\xBC\x9A", 3) == 0)	/* ： */
		n -= 3;
	for (r = 0; r < h->nrule; r++)
		if (h->rule[r].kind == HC_INFO && strlen(h->rule[r].value) == n &&
		    memcmp(h->rule[r].value, label, n) == 0)
			return h->rule[r].key;
	return -1;
}

/* A table whose cells are "label | value" pairs of two labels or more:
 * read into the metadata and left out of the text. */
static void
info_tables(const DbHtml *h, const xmlNode *n, HtmlMeta *m)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		const xmlNode *cells[64];
		size_t nc = 0, i;
		int labels = 0;
		Buf t = BUF_INIT;

		if (c->type != XML_ELEMENT_NODE || html_is_dropped(c))
			continue;
		if (!html_is_tag(c, "table")) {
			info_tables(h, c, m);
			continue;
		}
		/* the cells in order (rows through tbody) */
		{
			const xmlNode *stack[8];
			const xmlNode *x = c->children;
			int sp = 0;

			while (x && nc < 64) {
				if (html_is_tag(x, "td") || html_is_tag(x, "th")) {
					cells[nc++] = x;
				} else if (x->type == XML_ELEMENT_NODE && x->children && sp < 8 &&
					   (html_is_tag(x, "tr") || html_is_tag(x, "tbody") || html_is_tag(x, "thead"))) {
					stack[sp++] = x;
					x = x->children;
					continue;
				}
				while (!x->next && sp > 0)
					x = stack[--sp];
				x = x->next;
			}
		}
		for (i = 0; i < nc; i++) {
			/* (a label is short: no longer cell is read) */
			if (html_stat(cells[i]) && html_stat(cells[i])->chars > INFO_LABEL_MAX)
				continue;
			buf_clear(&t);
			html_flat_text(cells[i], &t);
			labels += t.s && info_key(h, t.s) >= 0;
		}
		if (labels >= 2) {
			for (i = 0; i + 1 < nc; i++) {
				int key;

				buf_clear(&t);
				html_flat_text(cells[i], &t);
				if (!t.s || (key = info_key(h, t.s)) < 0)
					continue;
				buf_clear(&t);
				html_flat_text(cells[i + 1], &t);
				if (t.s && info_key(h, t.s) < 0) {
					if (key == HM_DATE) {
						char d[11];

						if (html_find_date(t.s, t.len, d, NULL))
							set(m, HM_DATE, d, 10);
					} else {
						set(m, key, t.s, t.len);
					}
				}
			}
			if (html_stat(c))
				html_stat(c)->flags |= HS_SKIP;
		} else {
			info_tables(h, c, m);
		}
		buf_free(&t);
	}
}

/* ---- attachments ---- */

static int
is_attachment(const DbHtml *h, const char *href)
{
	size_t r, n = strcspn(href, "?#");

	for (r = 0; r < h->nrule; r++) {
		size_t el;

		if (h->rule[r].kind != HC_ATTACH)
			continue;
		el = strlen(h->rule[r].value);
		if (n > el && strncasecmp(href + n - el, h->rule[r].value, el) == 0)
			return 1;
	}
	return 0;
}

static void
attachments(const DbHtml *h, const xmlNode *n, HtmlMeta *m, size_t *count)
{
	const xmlNode *c;

	for (c = n->children; c && *count < MAX_ATTACH; c = c->next) {
		const char *href;

		if (c->type != XML_ELEMENT_NODE || html_is_dropped(c))
			continue;
		href = html_is_link(c) ? html_attr(c, "href") : NULL;
		if (href && is_attachment(h, href) && !strstr(m->attachments.s ? m->attachments.s : "", href)) {
			Buf t = BUF_INIT;
			size_t i;

			html_flat_text(c, &t);
			if (m->attachments.len)
				buf_adds(&m->attachments, "; ");
			for (i = 0; i < t.len; i++)	/* the separators stay separators */
				if (t.s[i] == ';' || t.s[i] == '<' || t.s[i] == '>')
					t.s[i] = ' ';
			buf_add(&m->attachments, t.s ? t.s : "", t.len);
			buf_addf(&m->attachments, "%s<%s>", t.len ? " " : "", href);
			buf_free(&t);
			(*count)++;
		} else {
			attachments(h, c, m, count);
		}
	}
}

void
html_meta(const DbHtml *h, xmlDocPtr doc, const HtmlPick *pick, HtmlMeta *m)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *body = html_body(doc);
	const char *refresh = NULL;
	Buf title = BUF_INIT, head = BUF_INIT, tsq = BUF_INIT, hsq = BUF_INIT, tmp = BUF_INIT;
	Heading best = {NULL, 0, 0};
	size_t natt = 0;
	char metadate[11] = "", prose[11] = "";

	if (!root)
		return;
	head_meta(h, root, m, &title, &refresh);
	if (title.s)
		title_head(h, title.s, &head);
	squeeze(title.s ? title.s : "", &tsq);
	squeeze(head.s ? head.s : "", &hsq);
	if (body)
		find_heading(doc, pick, tsq.s, hsq.len, &best);
	if (!m->val[HM_TITLE]) {
		if (best.node && (best.rank >= 1 || !head.len)) {
			buf_clear(&tmp);
			html_flat_text(best.node, &tmp);
			set(m, HM_TITLE, tmp.s ? tmp.s : "", tmp.len);
		} else if (head.len) {
			set(m, HM_TITLE, head.s, head.len);
		}
	}
	/* the date: the 索引号 table's, else the one the page shows near the
	 * headline, else the <meta> tags', else the text's, scripts', address's
	 * (html-date.c). (The whole document: a page with text after </html>
	 * has a second root element, which holds it.) */
	if (m->val[HM_DATE]) {
		memcpy(metadate, m->val[HM_DATE], 11);
		free(m->val[HM_DATE]);
		m->val[HM_DATE] = NULL;
	}
	if (body)
		info_tables(h, (const xmlNode *)doc, m);
	if (!m->val[HM_DATE]) {
		char d[11];
		const char *why = NULL;

		if (best.node && !*metadate) {
			DateScan ds = {best.node, pick, 0, 0, 0, "", 0};

			scan_date(&ds, ((const xmlNode *)doc)->children);
			if (!ds.found) {
				DateScan below = {best.node, pick, 1, 0, 0, "", 0};

				scan_date(&below, ((const xmlNode *)doc)->children);
				ds = below;
			}
			if (ds.found)
				memcpy(prose, ds.date, 11);
		}
		if (html_page_date(h, doc, best.node, pick, *metadate ? metadate : NULL,
				   *prose ? prose : NULL, d, &why))
			set(m, HM_DATE, d, 10);
		m->date_from = why;
	}
	if (body)
		attachments(h, (const xmlNode *)doc, m, &natt);
	buf_free(&title);
	buf_free(&head);
	buf_free(&tsq);
	buf_free(&hsq);
	buf_free(&tmp);
}

/* ---- pages that are not documents ---- */

static const xmlNode *
find_tag(const xmlNode *n, const char *tag, const char *type)
{
	const xmlNode *c, *f;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (html_is_tag(c, tag) && (!type || (html_attr(c, "type") && strcasecmp(html_attr(c, "type"), type) == 0)))
			return c;
		if ((f = find_tag(c, tag, type)) != NULL)
			return f;
	}
	return NULL;
}

static int
script_redirects(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (html_is_tag(c, "script") && c->children && c->children->content) {
			const char *s = (const char *)c->children->content;

			if (strstr(s, "location.href") || strstr(s, "location.replace") ||
			    strstr(s, "window.location") || strstr(s, "document.location"))
				return 1;
		} else if (c->type == XML_ELEMENT_NODE && script_redirects(c)) {
			return 1;
		}
	}
	return 0;
}

static int
has_refresh(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		const char *he;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		he = html_is_tag(c, "meta") ? html_attr(c, "http-equiv") : NULL;
		if ((he && strcasecmp(he, "refresh") == 0) || has_refresh(c))
			return 1;
	}
	return 0;
}

/* the content holds such an element */
static int
in_pick(const HtmlPick *pick, const char *tag, const char *type)
{
	size_t i;

	for (i = 0; i < pick->n; i++)
		if (find_tag(pick->node[i], tag, type))
			return 1;
	return 0;
}

#define MIN_TEXT 50		/* characters: less is no main text */

void
html_meta_problem(xmlDocPtr doc, const HtmlPick *pick, size_t content_chars, size_t content_links,
		  HtmlMeta *m)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *body = html_body(doc), *top;
	size_t body_chars = 0, body_links = 0;
	static char msg[160];

	if (!root)
		return;
	/* the page's text: every root element's (text after </html> makes
	 * another) */
	for (top = root; top; top = top->next)
		if (top->type == XML_ELEMENT_NODE && html_stat(top)) {
			body_chars += html_stat(top)->chars;
			body_links += html_stat(top)->linkchars;
		}
	root = (const xmlNode *)doc;
	if (find_tag(root, "frameset", NULL)) {
		m->problem = "HTML page is a frameset: its text is in the pages its frames load";
	} else if (body_chars < 200 && (has_refresh(root) || script_redirects(root))) {
		m->problem = "HTML page is only a redirect to another page: no text of its own";
	} else if (body && find_tag(body, "input", "password") && content_chars < 150 &&
		   (body_chars - body_links < 400 || in_pick(pick, "input", "password"))) {
		m->problem = "HTML page is a login form: no document text";
	} else if (body && find_tag(body, "iframe", NULL) && content_chars < MIN_TEXT) {
		m->problem = "HTML page only frames another page (iframe): no text of its own";
	} else if (!pick->by_rule && body_chars >= 200 && body_links * 10 >= body_chars * 6 &&
		   (content_links >= content_chars || content_chars < 150)) {
		snprintf(msg, sizeof msg, "HTML page is a listing of links (%zu%% of its text is links): no article text",
			 body_links * 100 / body_chars);
		m->problem = msg;
	} else if (content_chars < MIN_TEXT) {
		snprintf(msg, sizeof msg, "HTML page has no main text (%zu characters found)", content_chars);
		m->problem = msg;
	}
}
