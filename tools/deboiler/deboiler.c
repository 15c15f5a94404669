/* deboiler.c: the core's entry points: a Deboiler made and freed, its
 * options, a DbDoc's life, and db_process(), which runs the passes over one
 * document in order: input lines (lines.c), chrome (chrome.c), joins
 * (join.c), body (output.c), metadata (meta.c, regions.c). The files are
 * listed in deboiler_int.h. */
#include "deboiler_int.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int process_deboiled(DbDoc *d, const char *text, size_t len, const DocHeader *h);

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
	d->line0 = 0;
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

/* An input that already is a deboiled document: its header parsed, its
 * body kept as is (the id given wins only when the header has none). */
static int
process_deboiled(DbDoc *d, const char *text, size_t len, const DocHeader *h)
{
	char *docid = d->val[K_DOC];

	d->val[K_DOC] = NULL;
	d->had_header = 1;
	keep_header_doc(text, len, h, d);
	if (!d->val[K_DOC])
		d->val[K_DOC] = docid;
	else
		free(docid);
	count_body(d);
	return 0;
}

/* HTML pages go to html.c, which comes back with lines (db_process_text) */
int
db_process(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d)
{
	DocHeader h;
	size_t skip, n;
	const char *v;
	char *own;
	int kind, rc;

	if (!text)
		return db_process_text(db, id, text, len, d);
	kind = input_kind(text, len, &h, &skip);
	if (kind == DB_IN_DEBOILED)
		return db_process_text(db, id, text, len, d);
	if (kind != DB_IN_HEADED)
		return db_html_detect(text, len) ? db_html_process(db, id, text, len, d)
						 : db_process_text(db, id, text, len, d);
	/* an earlier stage's header (encfix's Doc:) over an HTML page */
	if (!db_html_detect(text + skip + h.body_off, len - skip - h.body_off))
		return db_process_text(db, id, text, len, d);
	v = doc_header_get(&h, "Doc", &n);
	own = n > 0 && !db->keep_id ? xstrndup(v, n) : NULL;
	rc = db_html_process(db, own ? own : id, text + skip + h.body_off, len - skip - h.body_off, d);
	free(own);
	return rc;
}

void
db_keep_id(Deboiler *db, int on)
{
	db->keep_id = on;
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
	Buf t = BUF_INIT;
	BodyMarks bm;
	size_t ci, title_k;
	int status = 0, k;
	char tmp[32];
	DocHeader h;
	size_t skip, i;
	int kind;

	db_doc_clear(d);
	db->limited = 0;
	if (text == NULL)	/* an empty buffer may come as NULL */
		text = "", len = 0;
	if (!db->ready && prepare(db) < 0)
		db->ready = 1;	/* bad rules were reported and left out */
	doc_setval(d, K_DOC, id && *id ? id : "-", strlen(id && *id ? id : "-"));
	kind = input_kind(text, len, &h, &skip);
	if (kind == DB_IN_DEBOILED)
		return process_deboiled(d, text + skip, len - skip, &h);
	if (kind == DB_IN_HEADED) {	/* an earlier stage's header: its Doc id, then the body */
		size_t n;
		const char *v = doc_header_get(&h, "Doc", &n);

		if (n > 0 && !db->keep_id)
			doc_setval(d, K_DOC, v, n);
		for (i = 1; i < h.nfield; i++)	/* keys it carries (an attachment's Publisher:) */
			for (k = K_DOC + 1; k < K_NKEYS; k++)
				if (strlen(db_key_name[k]) == h.field[i].keylen &&
				    strncasecmp(db_key_name[k], h.field[i].key, h.field[i].keylen) == 0)
					doc_setval(d, k, h.field[i].val, h.field[i].vallen);
		text += skip + h.body_off;
		len -= skip + h.body_off;
		d->line0 = h.body_line;
	}
	for (k = 0; k < K_NKEYS; k++)	/* metadata from the markup of an HTML page */
		if (db->preset[k] && k != K_DOC)
			doc_setval(d, k, db->preset[k], strlen(db->preset[k]));
	if (split_lines(&w, text, len, d) < 0) {	/* lines.c */
		status = -1;
		goto out;
	}
	chrome_rules_pass(db, d, &w);			/* chrome.c */
	chrome_menu_runs(db, d, &w);
	title_k = chrome_head(db, d, &w, &t, &ci);
	if (t.len)
		doc_setval(d, K_TITLE, t.s, t.len);
	if (db->join)
		join_lines(db, d, &w, title_k);		/* join.c */
	build_body(d, &w, ci, &bm);			/* output.c */
	count_body(d);
	meta_date_type_year(db, d, &w, &bm);	/* meta.c */
	if (db->nreg)
		doc_region(db, d, &w, title_k, &bm);	/* regions.c */
	snprintf(tmp, sizeof tmp, "%zu", d->removed);
	doc_setval(d, K_REMOVED, tmp, strlen(tmp));
	sort_explain(d);
	d->limited = db->limited;
out:
	buf_free(&w.arena);
	free(w.line);
	buf_free(&t);
	return status;
}
