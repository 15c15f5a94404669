/* meta.c: the header values (Key: value) of a document, past the title
 * (chrome.c) and the region (regions.c): key names, setting a value, the
 * meta rules' captures (date, source, publisher, index_no, doc_no, author,
 * editor, keywords), dates made YYYY-MM-DD; the year the document speaks
 * of and its type come from common/docguess (shared with secsplit). */
#include "deboiler_int.h"
#include "docguess.h"
#include "err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_date_ascii(DbDoc *d, int key, const char *s, size_t n);

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

/* Header values are one line: tabs, CR and LF become spaces, blanks trimmed. */
void
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

void
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

/* ---- dates ---- */

void
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

/* ---- type and year: common/docguess, shared with secsplit ---- */

/* 5. metadata from the kept text: the date of the last date line (when no
 * meta rule gave one), then the type and the year common/docguess reads from
 * the title, the body and the date; --explain shows the cue and confidence. */
void
meta_date_type_year(Deboiler *db, DbDoc *d, Work *w, const BodyMarks *bm)
{
	DocGuess g;
	char tmp[160];

	if (!d->val[K_DATE] && bm->lastdate != (size_t)-1)
		set_date(d, K_DATE, LS(w, bm->lastdate), LN(w, bm->lastdate));
	docguess(d->val[K_TITLE], d->body.s ? d->body.s : "", d->body.len, d->val[K_DATE], &g);
	doc_setval(d, K_TYPE, g.type, strlen(g.type));
	snprintf(tmp, sizeof tmp, "confidence %d: %s", g.type_conf, g.type_cue);
	explain_row(db, d, 0, "type", g.type, tmp, strlen(tmp));
	if (g.year) {
		snprintf(tmp, sizeof tmp, "%d", g.year);
		doc_setval(d, K_YEAR, tmp, strlen(tmp));
		explain_row(db, d, 0, "year", tmp, g.year_cue, strlen(g.year_cue));
	}
}
