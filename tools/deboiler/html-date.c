/* html-date.c: the publication date of an HTML page, as the page shows it.
 * The page's visible text (links aside, a line per block) is read in this
 * order of trust:
 *	1. a labelled date near the headline: 发布时间：2021-03-01 (the labels
 *	   are the datelabel rows of data/html-containers.tsv);
 *	2. a date line just under the headline: a short line holding a date
 *	   (2020-10-04 20:30 来源: 长江网, （2007年6月29日…会议通过）);
 *	3. a labelled date below the content (发布日期 in the page's footer box);
 *	4. the <meta> tags (html-meta.c reads them; they are the site's own
 *	   record, often a later edit or the page's generation);
 *	5. the first date after the headline in the text (an event in prose);
 *	6. a date key in a script ("datePublished":, WeChat's ct = epoch);
 *	7. a date in the page's address (canonical link, og:url, the "saved
 *	   from" comment): /2019-11-25/, /201903/06/, t20190306_.
 * html-meta.c calls html_page_date() for 1-3 and 5-7 around its meta tags. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "html.h"
#include "utf8.h"

#define NEAR_TITLE 1500		/* bytes of text after the headline: its dateline */
#define DATELINE_MAX 100	/* characters: a longer line is prose */
#define DATELINE_LINES 8	/* lines after the headline looked at */
#define AFTER_CONTENT 1500	/* bytes after the content: its date box */
#define LABEL_GAP 12		/* bytes between a label's colon and its date */

/* After a date's year or month at s[*j]: blanks, a separator (- / .) or
 * the unit (年, 月), blanks, then one or two digits into *val. Returns how
 * many digits were read (0: no next field); *j is moved past them. */
static size_t
date_field(const char *s, size_t n, size_t *j, const char *unit, int *val)
{
	size_t k;

	while (*j < n && s[*j] == ' ')
		(*j)++;
	if (*j < n && (s[*j] == '-' || s[*j] == '/' || s[*j] == '.'))
		(*j)++;
	else if (*j + 3 <= n && memcmp(s + *j, unit, 3) == 0)
		*j += 3;
	else
		return 0;
	while (*j < n && s[*j] == ' ')
		(*j)++;
	for (k = 0; k < 2 && *j < n && isdigit((unsigned char)s[*j]); k++, (*j)++)
		*val = *val * 10 + (s[*j] - '0');
	return k;
}

/* A date in s: 2021-03-13, 2021/3/13, 2021.03.13, 2021年3月13日 (ASCII
 * digits: encfix folded full-width ones). Writes YYYY-MM-DD and, when at
 * is not NULL, the offset where it starts. */
int
html_find_date(const char *s, size_t n, char out[11], size_t *at)
{
	size_t i;

	for (i = 0; i + 8 <= n; i++) {
		int y, mo = 0, d = 0;
		size_t j = i, k;

		if (!isdigit((unsigned char)s[i]) || (i > 0 && isdigit((unsigned char)s[i - 1])))
			continue;
		for (k = 0; k < 4 && j < n && isdigit((unsigned char)s[j]); k++, j++)
			;
		if (k != 4 || (j < n && isdigit((unsigned char)s[j])))
			continue;
		y = atoi(s + i);
		if (y < 1990 || y > 2099)
			continue;
		k = date_field(s, n, &j, "\xE5\xB9\xB4", &mo);	/* 年 */
		if (k == 0 || mo < 1 || mo > 12)
			continue;
		k = date_field(s, n, &j, "\xE6\x9C\x88", &d);	/* 月 */
		if (k == 0 || d < 1 || d > 31 || (j < n && isdigit((unsigned char)s[j])))
			continue;
		snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
		if (at)
			*at = i;
		return 1;
	}
	return 0;
}

/* ---- the page's visible text, a line per block ---- */

typedef struct {
	Buf text;
	const xmlNode *title;	/* the headline element */
	const HtmlPick *pick;
	size_t title_end;	/* offsets in text; -1 when not seen */
	size_t content_end;
	size_t picked;		/* picked nodes passed */
	int done;		/* far enough past the content */
} Flat;

static void
flat_blank(Flat *f, char c)
{
	if (f->text.len && (f->text.s[f->text.len - 1] == '\n' ||
			    (c == ' ' && f->text.s[f->text.len - 1] == ' ')))
		return;
	if (f->text.len && c == '\n' && f->text.s[f->text.len - 1] == ' ')
		f->text.s[f->text.len - 1] = '\n';
	else
		buf_addc(&f->text, c);
}

static int
is_picked(const HtmlPick *p, const xmlNode *n)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->node[i] == n)
			return 1;
	return 0;
}

static void
flat_walk(Flat *f, const xmlNode *n)
{
	const xmlNode *c;

	for (c = n; c; c = c->next) {
		if (f->done)
			return;
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const unsigned char *s = c->content;

			while (s && *s) {
				size_t k = 0;

				/* a run of non-blanks at once */
				while (s[k] && !isspace(s[k]) && !(s[k] == 0xC2 && s[k + 1] == 0xA0))
					k++;
				if (k) {
					buf_add(&f->text, (const char *)s, k);
					s += k;
					continue;
				}
				flat_blank(f, ' ');
				s += *s == 0xC2 ? 2 : 1;	/* (nbsp) */
			}
			continue;
		}
		if (c->type == XML_COMMENT_NODE && f->pick->to == c)
			f->content_end = f->text.len;
		if (c->type != XML_ELEMENT_NODE || html_is_dropped(c) || html_is_link(c))
			continue;
		if (html_is_block(c) || html_is_tag(c, "br"))
			flat_blank(f, '\n');
		if (c->children)
			flat_walk(f, c->children);
		if (html_is_block(c))
			flat_blank(f, '\n');
		if (c == f->title)
			f->title_end = f->text.len;
		if (is_picked(f->pick, c))
			f->content_end = f->text.len, f->picked++;
		/* (no date is looked for further than this) */
		if (f->title_end != (size_t)-1 && f->picked >= f->pick->n && f->content_end != (size_t)-1 &&
		    f->content_end >= f->title_end &&
		    f->text.len > f->content_end + AFTER_CONTENT && f->text.len > f->title_end + NEAR_TITLE)
			f->done = 1;
	}
}

/* ---- 1, 3: a labelled date ---- */

/* The first labelled date in s[from..to): a datelabel row's label, a
 * colon, and a date within LABEL_GAP bytes on the same line. */
static int
labelled(const DbHtml *h, const char *s, size_t from, size_t to, char out[11])
{
	size_t r, best = (size_t)-1;
	char d[11];

	for (r = 0; r < h->nrule; r++) {
		const char *lab = h->rule[r].value, *p = s + from;
		size_t ll;

		if (h->rule[r].kind != HC_DATELABEL)
			continue;
		ll = strlen(lab);
		while (p < s + to && (size_t)(p - s) < best &&
		       (p = memmem(p, (size_t)(s + to - p), lab, ll)) != NULL && (size_t)(p - s) < best) {
			const char *q = p + ll;
			size_t at;

			p += ll;
			while (*q == ' ')
				q++;
			if (*q == ':')
				q++;
			else if (strncmp(q, "\xEF\xBC\x9A", 3) == 0)	/* ： */
				q += 3;
			else
				continue;
			if (html_find_date(q, strnlen(q, 40), d, &at) && at <= LABEL_GAP && !memchr(q, '\n', at)) {
				best = (size_t)(p - ll - s);
				memcpy(out, d, 11);
				break;
			}
		}
	}
	return best != (size_t)-1;
}

/* ---- 2: a date line under the headline ---- */

static int
dateline(const char *s, size_t from, size_t len, char out[11])
{
	size_t p = from, lines = 0;

	while (p < len && p < from + NEAR_TITLE && lines < DATELINE_LINES) {
		const char *e = memchr(s + p, '\n', len - p);
		size_t n = e ? (size_t)(e - (s + p)) : len - p;

		if (n > 0) {
			lines++;
			if (utf8_count((const unsigned char *)s + p, n) <= DATELINE_MAX &&
			    html_find_date(s + p, n, out, NULL))
				return 1;
		}
		p += n + 1;
	}
	return 0;
}

/* ---- 7: a date in the page's address ---- */

/* /2019-11-25/, /2019/11/25/, /art/2021/3/5/, /201911/25/, /20191125/,
 * t20191125_: a year, then month and day: one or two digits each between
 * separators (- / _), two digits where none separates them */
static int
url_number(const char *u, size_t n, size_t *j, int *v)
{
	size_t k = *j, sep = k < n && (u[k] == '-' || u[k] == '/' || u[k] == '_');

	if (sep)
		k++;
	if (k >= n || !isdigit((unsigned char)u[k]))
		return 0;
	*v = u[k++] - '0';
	if (k < n && isdigit((unsigned char)u[k]))
		*v = *v * 10 + (u[k++] - '0');
	else if (!sep)
		return 0;	/* one digit with no separator before it */
	*j = k;
	return 1;
}

static int
url_date(const char *u, char out[11])
{
	size_t i, n = strlen(u);

	for (i = 0; i + 6 <= n; i++) {
		size_t j = i + 4, k;
		int y = 0, mo, d;

		if (i > 0 && isdigit((unsigned char)u[i - 1]))
			continue;
		for (k = i; k < i + 4 && isdigit((unsigned char)u[k]); k++)
			y = y * 10 + (u[k] - '0');
		if (k < i + 4 || y < 1995 || y > 2099)
			continue;
		if (!url_number(u, n, &j, &mo))
			continue;
		if (!url_number(u, n, &j, &d))
			continue;
		if ((j < n && isdigit((unsigned char)u[j])) || mo < 1 || mo > 12 || d < 1 || d > 31)
			continue;
		snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
		return 1;
	}
	return 0;
}

/* The page's own address: <link rel=canonical>, og:url, <base href>, or a
 * comment holding a URL before <html> ("saved from url=…"). */
static int
address_date(const xmlNode *n, int depth, char out[11])
{
	const xmlNode *c;

	for (c = n; c; c = c->next) {
		const char *u = NULL, *rel;

		if (c->type == XML_COMMENT_NODE && depth == 0 && c->content && strstr((const char *)c->content, "://"))
			u = strstr((const char *)c->content, "://");
		else if (html_is_tag(c, "link") && (rel = html_attr(c, "rel")) && strcasecmp(rel, "canonical") == 0)
			u = html_attr(c, "href");
		else if (html_is_tag(c, "base"))
			u = html_attr(c, "href");
		else if (html_is_tag(c, "meta") && (rel = html_attr(c, "property")) && strcasecmp(rel, "og:url") == 0)
			u = html_attr(c, "content");
		if (u && url_date(u, out))
			return 1;
		if (c->type == XML_ELEMENT_NODE && c->children && depth < 2 &&
		    (html_is_tag(c, "html") || html_is_tag(c, "head")))
			if (address_date(c->children, depth + 1, out))
				return 1;
	}
	return 0;
}

/* ---- 6: a date key in a script ---- */

/* "datePublished": "2019-09-07T05:51", var ct = "1581517074" (seconds since
 * 1970: the day in China's time, UTC+8) */
static int
script_value(const char *q, char out[11])
{
	size_t n;
	char *end;
	long long t;

	for (n = 0; n < 12 && q[n]; n++)
		;
	if (n >= 8 && isdigit((unsigned char)*q) && html_find_date(q, n, out, NULL))
		return 1;
	t = strtoll(q, &end, 10);
	if (end - q == 10 && t >= 946684800LL && t < 4102444800LL) {	/* 2000 to 2100 */
		time_t tt = (time_t)(t + 8 * 3600);
		struct tm tm;

		if (gmtime_r(&tt, &tm) && tm.tm_year + 1900 < 10000) {
			char tmp[40];

			snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			memcpy(out, tmp, 11);
			return 1;
		}
	}
	return 0;
}

static int
script_date(const DbHtml *h, const char *s, char out[11])
{
	size_t r;

	for (r = 0; r < h->nrule; r++) {
		const char *p;
		size_t kl;

		if (h->rule[r].kind != HC_DATEKEY)
			continue;
		kl = strlen(h->rule[r].value);
		for (p = strstr(s, h->rule[r].value); p; p = strstr(p + kl, h->rule[r].value)) {
			const char *q = p + kl;

			/* a whole name: not the end of select or the start of ctx */
			if ((p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$')) ||
			    isalnum((unsigned char)*q) || *q == '_')
				continue;
			while (*q == '"' || *q == '\'' || *q == ' ')
				q++;
			if (*q != ':' && *q != '=')
				continue;
			q++;
			while (*q == '"' || *q == '\'' || *q == ' ')
				q++;
			if (script_value(q, out))
				return 1;
		}
	}
	return 0;
}

static int
scripts_date(const DbHtml *h, const xmlNode *n, char out[11])
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (html_is_tag(c, "script")) {
			if (c->children && c->children->content &&
			    script_date(h, (const char *)c->children->content, out))
				return 1;
		} else if (scripts_date(h, c, out)) {
			return 1;
		}
	}
	return 0;
}

/* ---- the order of trust ---- */

/* The date the page shows: 1-3 of the list above (*shown = 1), else
 * meta (given: the <meta> tags' date, or NULL), else 5-7 (prose: the first
 * date after the headline, found by html-meta.c, or NULL). */
int
html_page_date(const DbHtml *h, xmlDocPtr doc, const xmlNode *title, const HtmlPick *pick,
	       const char *meta, const char *prose, char out[11], const char **why)
{
	Flat f = {BUF_INIT, title, pick, (size_t)-1, (size_t)-1, 0, 0};
	const xmlNode *root = xmlDocGetRootElement(doc);
	int found = 0;

	if (title) {
		flat_walk(&f, ((const xmlNode *)doc)->children);
		buf_addc(&f.text, '\0');
		f.text.len--;
	}
	if (f.title_end != (size_t)-1) {
		size_t near = f.title_end + NEAR_TITLE, after;

		if (f.content_end == (size_t)-1 || f.content_end < f.title_end)
			f.content_end = f.title_end;
		after = f.content_end + AFTER_CONTENT;
		if (near > f.text.len)
			near = f.text.len;
		if (after > f.text.len)
			after = f.text.len;
		if (labelled(h, f.text.s, f.title_end, near, out))
			found = 1, *why = "label";
		else if (dateline(f.text.s, f.title_end, f.text.len, out))
			found = 1, *why = "dateline";
		else if (near < after && labelled(h, f.text.s, near, after, out))
			found = 1, *why = "label";
	}
	buf_free(&f.text);
	if (found)
		return 1;
	if (meta) {
		memcpy(out, meta, 11);
		*why = "meta";
		return 1;
	}
	if (prose) {
		memcpy(out, prose, 11);
		*why = "text";
		return 1;
	}
	if (root && scripts_date(h, root, out)) {
		*why = "script";
		return 1;
	}
	if (address_date(((const xmlNode *)doc)->children, 0, out)) {
		*why = "address";
		return 1;
	}
	return 0;
}
