/* html.h: HTML input for deboiler. A saved web page (detected by its
 * content: a doctype, an <html> tag, or dense markup) is parsed with
 * libxml2's HTML parser; the main content is found (the containers of
 * data/html-containers.tsv, else a text-density score), turned into lines
 * (blocks become lines, inline runs are joined, tables become ` | ` rows),
 * and the page's metadata (<meta> tags, <title>, the 索引号 table, attachment
 * links) goes into the document header. The lines then go through the line
 * rules like any text page.
 *
 * The parts:
 *	html.c		detection, parsing, the driver (db_html_process)
 *	html-text.c	markup to lines: blocks, inline runs, entities, tables
 *	html-content.c	the main content: containers, then the density score
 *	html-meta.c	metadata from the markup, attachments, page problems
 *	html-date.c	the publication date the page shows
 */
#ifndef DEBOILER_HTML_H
#define DEBOILER_HTML_H

#include <stddef.h>
#include <libxml/HTMLparser.h>
#include "buf.h"
#include "deboiler.h"

/* Per element, in its _private field while a page is worked on. */
typedef struct {
	size_t chars, linkchars;	/* non-blank characters, those in links */
	size_t punct;			/* sentence punctuation (，。；、！？ …) */
	size_t own, ownpunct;		/* the same of its own text: text and
					 * inline children, not in links */
	size_t order;			/* position in document order */
	size_t nodes;			/* elements in its subtree, itself too */
	double score;			/* density score (html-content.c) */
	int flags;			/* HS_* */
} HtmlStat;

enum { HS_SKIP = 1, HS_CANDIDATE = 2, HS_KNOWN = 4, HS_DROPPED = 8, HS_BLOCK = 16, HS_LINE = 32, HS_LINK = 64 };

/* An element taken out of the text (the 索引号 table once read) */
static inline int
html_is_skipped(const xmlNode *n)
{
	const HtmlStat *s = n->_private;

	return s && (s->flags & HS_SKIP);
}

/* <a>: asked of the flags html_stats() set, else of the name */
int html_is_tag(const xmlNode *n, const char *name);

static inline int
html_is_link(const xmlNode *n)
{
	const HtmlStat *s = n->_private;

	if (n->type == XML_ELEMENT_NODE && s && (s->flags & HS_KNOWN))
		return (s->flags & HS_LINK) != 0;
	return html_is_tag(n, "a");
}

static inline HtmlStat *
html_stat(const xmlNode *n)
{
	return n->_private;
}

/* The rules of data/html-containers.tsv: rows "kind value arg". */
enum {
	HC_ID, HC_CLASS, HC_COMMENT, HC_TAG,	/* content containers, in order */
	HC_GOOD, HC_BAD,	/* class/id words that raise or lower a score */
	HC_META,		/* <meta name=value>: header key arg */
	HC_INFO,		/* 索引号-table label value: header key arg */
	HC_ATTACH,		/* a link to a file ending in value: attachment */
	HC_TITLESEP,		/* <title> separator before the site's name */
	HC_DATEKEY,		/* in a <script>, "value": a date is the date */
	HC_DATELABEL,		/* a label before a date: 发布时间： */
	HC_INNER,		/* a class/id word of chrome inside the content */
	HC_NKINDS
};

typedef struct {
	int kind;
	char *value;
	char *arg;		/* HC_COMMENT: the end comment; HC_META, HC_INFO:
				 * the HM_ key (as a number); else NULL */
	int key;		/* HC_META, HC_INFO: HM_ key */
} HtmlRule;

typedef struct DbHtml {
	HtmlRule *rule;
	size_t nrule;
} DbHtml;

/* Metadata found in the markup. */
enum {
	HM_TITLE, HM_DATE, HM_SOURCE, HM_PUBLISHER, HM_INDEX_NO, HM_DOC_NO,
	HM_AUTHOR, HM_KEYWORDS, HM_SITE, HM_NKEYS
};
extern const char *const html_meta_key[HM_NKEYS];	/* "Title", … "Site" */

typedef struct {
	char *val[HM_NKEYS];	/* malloc'd, NULL when absent */
	Buf attachments;	/* "text <url>; text <url>" */
	const char *problem;	/* a page that is not a document: why */
	const char *date_from;	/* where the date came from (--explain) */
} HtmlMeta;

/* html.c */
int db_html_detect(const char *s, size_t n);
htmlDocPtr html_parse(const char *s, size_t n);
int html_is_tag(const xmlNode *n, const char *name);
const char *html_attr(const xmlNode *n, const char *name);	/* or NULL */
int html_has_class(const xmlNode *n, const char *token);
int html_is_hidden(const xmlNode *n);
int html_is_dropped(const xmlNode *n);	/* script, style, forms, hidden … */

/* html-text.c: the text of the subtree at n (or the nodes from `from` to
 * `to` in document order when from is not NULL), one line per block. */
void html_text(const xmlNode *n, Buf *out);
void html_text_range(const xmlNode *from, const xmlNode *to, Buf *out);
/* The text of n on one line, blanks collapsed (titles, table cells). */
void html_flat_text(const xmlNode *n, Buf *out);
/* Characters of text under n: all, inside links. */
void html_count_text(const xmlNode *n, size_t *chars, size_t *linkchars);
/* A block of html-text's (a line of its own: p div li tr td …), asked once
 * per element by html_stats() (HS_LINE) */
int html_line_block(const xmlNode *n);

/* html-content.c: the main content: the nodes picked (in document order)
 * or a comment pair (*from, *to), and why, for --explain. Stats (HtmlStat)
 * are attached to every element first; html_stats_free() frees them. */
typedef struct {
	const xmlNode **node;
	size_t n;
	const xmlNode *from, *to;	/* a comment pair instead */
	int by_rule;			/* a container rule chose it */
} HtmlPick;

void html_stats(xmlDocPtr doc);
int html_is_block(const xmlNode *e);	/* p div table ul … (not inline) */
void html_stats_free(xmlDocPtr doc);
const xmlNode *const *html_elements(xmlDocPtr doc, size_t *n);	/* in order */
const xmlNode *html_body(xmlDocPtr doc);
void html_content(const DbHtml *h, xmlDocPtr doc, HtmlPick *pick, Buf *why);
void html_pick_free(HtmlPick *pick);

/* html-meta.c */
void html_meta(const DbHtml *h, xmlDocPtr doc, const HtmlPick *pick, HtmlMeta *m);
void html_meta_problem(xmlDocPtr doc, const HtmlPick *pick, size_t content_chars, size_t content_links,
		       HtmlMeta *m);
void html_meta_free(HtmlMeta *m);

/* html-date.c */
int html_find_date(const char *s, size_t n, char out[11], size_t *at);
int html_page_date(const DbHtml *h, xmlDocPtr doc, const xmlNode *title, const HtmlPick *pick,
		   const char *meta, const char *prose, char out[11], const char **why);

#endif
