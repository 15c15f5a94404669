/* html.c: HTML input for deboiler: detection by content, parsing with
 * libxml2's HTML parser, the node tests the other html-*.c files share, the
 * container rules' loader, and the driver that turns a page into lines and
 * preset metadata for the line rules (db_process_text). See html.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "html.h"
#include "input.h"
#include "err.h"
#include "tsv.h"
#include "utf8.h"

#define DETECT_WINDOW 65536	/* bytes looked at to decide */

static int has_word_ci(const char *s, size_t n, const char *w);

/* ---- detection ---- */

/* Case-insensitive search of w in s[0..n). */
static int
has_word_ci(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	const char *p = s, *end = s + n;

	/* (memchr: a text page has few '<', and this runs on every page) */
	while (p + wl <= end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) >= wl && strncasecmp(p, w, wl) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* HTML when the first non-blank bytes are a doctype, <html>, <?xml … <html,
 * or when the start of the input holds <html>/<head>/<body>, or markup is
 * dense: at least 12 tags of the common block and inline elements and
 * markup a tenth of the bytes. Never the file name. */
int
db_html_detect(const char *s, size_t n)
{
	size_t i = 0, w = n < DETECT_WINDOW ? n : DETECT_WINDOW, tags = 0, tagbytes = 0;
	static const char *const common[] = {
		"p", "div", "br", "span", "table", "tr", "td", "a", "li", "ul", "font",
		"strong", "b", "img", "h1", "h2", "h3", "meta", "script", "style", NULL,
	};

	if (w >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < w && isspace((unsigned char)s[i]))
		i++;
	if (w - i >= 9 && strncasecmp(s + i, "<!doctype", 9) == 0)
		return 1;
	if (w - i >= 5 && strncasecmp(s + i, "<html", 5) == 0)
		return 1;
	if (has_word_ci(s, w, "<html") || has_word_ci(s, w, "<head>") || has_word_ci(s, w, "<body"))
		return 1;
	for (i = 0; i < w; i++) {
		size_t j, k, e;
		const char *lt = memchr(s + i, '<', w - i);

		if (!lt)
			break;
		i = (size_t)(lt - s);
		j = i + 1;
		if (j < w && s[j] == '/')
			j++;
		for (k = 0; common[k]; k++) {
			size_t l = strlen(common[k]);

			if (j + l < w && strncasecmp(s + j, common[k], l) == 0 &&
			    (s[j + l] == '>' || s[j + l] == ' ' || s[j + l] == '/' || s[j + l] == '\n'))
				break;
		}
		if (!common[k])
			continue;
		for (e = j; e < w && s[e] != '>' && e - j < 2000; e++)
			;
		if (e < w && s[e] == '>') {
			tags++;
			tagbytes += e - i + 1;
		}
	}
	return tags >= 12 && tagbytes * 10 >= w;
}

/* ---- parsing and node tests ---- */

/* Elements nested deeper than this have their children moved up beside
 * them (document order kept), so that the walks of html-*.c, which
 * recurse, stay shallow whatever the page: 300,000 unclosed <span>s are a
 * page libxml2 parses. */
#define MAX_DEPTH 160

static void
flatten(xmlNode *root)
{
	xmlNode *n = root;
	int depth = 0;

	while (n) {
		if (n->type == XML_ELEMENT_NODE && depth >= MAX_DEPTH && n->children) {
			xmlNode *c = n->last;

			while (c) {	/* last first: each goes right after n */
				xmlNode *prev = c->prev;

				xmlUnlinkNode(c);
				xmlAddNextSibling(n, c);	/* (may merge text: c is not used again) */
				c = prev;
			}
		}
		if (n->children) {
			n = n->children;
			depth++;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (n == root)
			break;
		n = n->next;
	}
}

htmlDocPtr
html_parse(const char *s, size_t n)
{
	static int inited;
	htmlDocPtr doc;

	if (!inited) {
		xmlInitParser();
		inited = 1;
	}
	if (n > (size_t)0x7fffffff)
		n = 0x7fffffff;
	/* The input is UTF-8 (encfix made it so): the encoding named here wins
	 * over a <meta charset> the page still carries. XML_PARSE_HUGE lifts
	 * the depth limit of 256, which pages with unclosed tags pass and
	 * above which the parser drops the rest of the text. */
	doc = htmlReadMemory(s, (int)n, NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
			     HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE);
	if (doc)
		flatten((xmlNode *)doc);
	return doc;
}

int
html_is_tag(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, name) == 0;
}

const char *
html_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	if (!n || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (a->name && strcasecmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
				return (const char *)a->children->content;
			return "";
		}
	return NULL;
}

/* class="a b c" has the token (case-insensitive) */
int
html_has_class(const xmlNode *n, const char *token)
{
	const char *c = html_attr(n, "class");
	size_t tl = strlen(token);

	while (c && *c) {
		size_t l;

		while (*c && isspace((unsigned char)*c))
			c++;
		for (l = 0; c[l] && !isspace((unsigned char)c[l]); l++)
			;
		if (l == tl && strncasecmp(c, token, l) == 0)
			return 1;
		c += l;
	}
	return 0;
}

/* display:none, visibility:hidden, the hidden attribute */
int
html_is_hidden(const xmlNode *n)
{
	const char *st;
	char buf[256];
	size_t i, j;

	if (html_attr(n, "hidden"))
		return 1;
	st = html_attr(n, "style");
	if (!st)
		return 0;
	for (i = j = 0; st[i] && j + 1 < sizeof buf; i++)
		if (!isspace((unsigned char)st[i]))
			buf[j++] = (char)tolower((unsigned char)st[i]);
	buf[j] = '\0';
	return strstr(buf, "display:none") != NULL || strstr(buf, "visibility:hidden") != NULL;
}

/* Elements whose text is never the page's text. */
int
html_is_dropped(const xmlNode *n)
{
	static const char *const drop[] = {
		"script", "style", "noscript", "template", "iframe", "frame", "object",
		"embed", "applet", "select", "option", "button", "input", "textarea",
		"svg", "canvas", "audio", "video", "map", "head", "title", "datalist",
		NULL,
	};
	const HtmlStat *st;
	int i;

	if (!n || n->type != XML_ELEMENT_NODE || !n->name)
		return n && n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE;
	st = n->_private;
	if (st && (st->flags & HS_KNOWN))	/* (html_stats() decided it once) */
		return (st->flags & HS_DROPPED) != 0;
	for (i = 0; drop[i]; i++)
		if (strcasecmp((const char *)n->name, drop[i]) == 0)
			return 1;
	return html_is_hidden(n);
}

/* ---- rules: data/html-containers.tsv ---- */

const char *const html_meta_key[HM_NKEYS] = {
	"Title", "Date", "Source", "Publisher", "Index-No", "Doc-No", "Author", "Keywords", "Site",
};

void
db_html_free(DbHtml *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nrule; i++) {
		free(h->rule[i].value);
		free(h->rule[i].arg);
	}
	free(h->rule);
	free(h);
}

/* Rows: kind, value, arg ('-' when none). Container rows: earlier win. */
int
db_load_html(Deboiler *db, const char *path)
{
	static const char *const kinds[HC_NKINDS] = {
		"id", "class", "comment", "tag", "good", "bad", "meta", "info", "attach", "titlesep",
		"datekey", "datelabel", "inner",
	};
	DbHtml **slot = db_html_slot(db), *h;
	In *in = in_open(path);
	Buf line = BUF_INIT;
	unsigned long lineno = 0;
	int status = 0, r;

	if (!in)
		return -1;	/* reported */
	h = *slot;
	if (!h) {
		h = xcalloc(1, sizeof *h);
		*slot = h;
	}
	while ((r = in_getline_crlf(in, &line)) == 1) {
		char *f[3] = {NULL, NULL, NULL}, *p = line.s;
		int nf = 0, kind, key = -1;
		HtmlRule *hr;

		lineno++;
		if (line.len == 0 || line.s[0] == '#')
			continue;
		while (nf < 3) {
			f[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < 2 || !*f[1]) {
			warnat(path, lineno, "want kind, value[, arg]");
			status = -1;
			continue;
		}
		if (strcmp(f[0], "kind") == 0)
			continue;	/* the header row */
		for (kind = 0; kind < HC_NKINDS && strcmp(f[0], kinds[kind]) != 0; kind++)
			;
		if (kind == HC_META || kind == HC_INFO)
			for (key = 0; key < HM_NKEYS && (!f[2] || strcmp(f[2], html_meta_key[key]) != 0); key++)
				;
		if (kind == HC_NKINDS || (kind == HC_COMMENT && (!f[2] || !*f[2] || strcmp(f[2], "-") == 0)) ||
		    key == HM_NKEYS) {
			warnat(path, lineno, "bad row: kind %s, value %s, arg %s (see the file's comments)",
			       f[0], f[1], f[2] ? f[2] : "-");
			status = -1;
			continue;
		}
		h->rule = xrealloc(h->rule, (h->nrule + 1) * sizeof *h->rule);
		hr = &h->rule[h->nrule++];
		hr->kind = kind;
		hr->value = xstrdup(f[1]);
		hr->arg = kind == HC_COMMENT ? xstrdup(f[2]) : NULL;
		hr->key = key;
	}
	if (r < 0)
		status = -1;
	in_close(in);
	buf_free(&line);
	return status;
}

/* ---- the driver ---- */

/* The first line of b is s, blanks aside. */
static int
starts_with_line(const Buf *b, const char *s)
{
	size_t i = 0;

	if (!b->s)
		return 0;
	for (;;) {
		while (b->s[i] == ' ')
			i++;
		while (*s == ' ')
			s++;
		if (!*s)
			return b->s[i] == '\n' || b->s[i] == '\0';
		if (b->s[i] != *s)
			return 0;
		i++, s++;
	}
}

static const int meta_key[HM_NKEYS] = {
	K_TITLE, K_DATE, K_SOURCE, K_PUBLISHER, K_INDEX_NO, K_DOC_NO, K_AUTHOR, K_KEYWORDS, -1,
};

/* The explain row saying which container or score chose the content goes
 * first, as line 0. */
static void
explain_first(DbDoc *d, const Buf *why)
{
	Buf e = BUF_INIT;

	buf_adds(&e, "0\thtml\tcontent\t");
	tsv_buf_escaped(&e, why->s ? why->s : "", why->len);
	buf_addc(&e, '\n');
	buf_add(&e, d->explain.s ? d->explain.s : "", d->explain.len);
	buf_clear(&d->explain);
	buf_add(&d->explain, e.s, e.len);
	buf_free(&e);
}

int
db_html_process(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d)
{
	htmlDocPtr doc = html_parse(text, len);
	DbHtml *h = *db_html_slot(db);
	DbHtml none = {NULL, 0};
	HtmlPick pick;
	HtmlMeta m;
	Buf lines = BUF_INIT, why = BUF_INIT;
	size_t chars = 0, links = 0, i, before;
	int k, status;

	if (!doc || !xmlDocGetRootElement(doc)) {
		if (doc)
			xmlFreeDoc(doc);
		return db_process_text(db, id, text, len, d);
	}
	if (!h)
		h = &none;
	memset(&m, 0, sizeof m);
	html_stats(doc);
	html_content(h, doc, &pick, &why);
	html_meta(h, doc, &pick, &m);	/* (marks the 索引号 table skipped) */
	if (m.date_from)
		buf_addf(&why, "; date: %s", m.date_from);
	if (pick.from) {
		html_text_range(pick.from, pick.to, &lines);
	} else {
		for (i = 0; i < pick.n; i++)
			html_text(pick.node[i], &lines);
	}
	/* the title first, unless the content starts with it */
	before = 0;
	if (m.val[HM_TITLE] && !starts_with_line(&lines, m.val[HM_TITLE])) {
		Buf t = BUF_INIT;

		buf_adds(&t, m.val[HM_TITLE]);
		buf_addc(&t, '\n');
		before = t.len;
		buf_add(&t, lines.s ? lines.s : "", lines.len);
		buf_free(&lines);
		lines = t;
	}
	/* characters of the content, links and blanks aside */
	for (i = 0; i < pick.n; i++) {
		size_t c, l;

		html_count_text(pick.node[i], &c, &l);
		chars += c - l;
		links += l;
	}
	if (pick.from)
		chars = utf8_count((const unsigned char *)lines.s + before, lines.len - before);
	html_meta_problem(doc, &pick, chars, links, &m);
	for (k = 0; k < HM_NKEYS; k++)
		if (meta_key[k] >= 0)
			db_set_preset(db, meta_key[k], m.val[k]);
	if (!m.val[HM_PUBLISHER] && m.val[HM_SITE])	/* the site names the region */
		db_set_preset(db, K_PUBLISHER, m.val[HM_SITE]);
	if (m.attachments.len)
		db_set_preset(db, K_ATTACHMENTS, m.attachments.s);
	status = db_process_text(db, id, lines.s ? lines.s : "", lines.len, d);
	for (k = 0; k < K_NKEYS; k++)
		db_set_preset(db, k, NULL);
	if (status == 0 && !d->val[K_YEAR] && d->val[K_DATE] && atoi(d->val[K_DATE]) > 1900) {
		char y[16];

		snprintf(y, sizeof y, "%d", atoi(d->val[K_DATE]));
		free(d->val[K_YEAR]);
		d->val[K_YEAR] = xstrdup(y);
	}
	if (status == 0 && m.problem)
		buf_adds(&d->warn, m.problem);
	else if (status == 0 && d->chars == 0)
		buf_adds(&d->warn, "HTML page without text: an empty document");
	explain_first(d, &why);
	html_meta_free(&m);
	html_pick_free(&pick);
	html_stats_free(doc);
	buf_free(&lines);
	buf_free(&why);
	xmlFreeDoc(doc);
	return status;
}
