/* deboiler.h: strip the web page around a cleaned document and keep what the
 * page chrome said about it in a header of `Key: value` lines.
 *
 * The core works on one document held in memory, so a libFuzzer harness can
 * call it directly:
 *
 *	Deboiler *db = db_new();
 *	db_load_rules(db, path);	// data/deboiler.rules, then -r files
 *	db_load_regions(db, path);	// data/regions.tsv
 *	DbDoc d; db_doc_init(&d);
 *	db_process(db, "id", text, len, &d);
 *	db_format(&d, &out);		// header, empty line, body
 */
#ifndef DEBOILER_H
#define DEBOILER_H

#include <stddef.h>
#include "buf.h"

/* Header keys, in output order. */
enum {
	K_DOC, K_TITLE, K_REGION, K_REGION_CODE, K_PROVINCE, K_YEAR, K_TYPE,
	K_DATE, K_SOURCE, K_PUBLISHER, K_INDEX_NO, K_DOC_NO, K_AUTHOR, K_EDITOR,
	K_KEYWORDS, K_ATTACHMENTS, K_REMOVED, K_NKEYS
};

extern const char *const db_key_name[K_NKEYS];	/* "Doc", "Region-Code", ... */
extern const char *const db_col_name[K_NKEYS];	/* "doc", "region_code", ... */

typedef struct Deboiler Deboiler;

typedef struct {
	char *val[K_NKEYS];	/* malloc'd values, NULL when absent */
	Buf body;		/* the body, one line per paragraph, '\n' ended */
	Buf explain;		/* TSV rows "line\taction\trule\ttext\n" */
	size_t removed;		/* lines removed + junk spans cut out of lines */
	size_t lines, chars;	/* body lines and characters (code points) */
	size_t repaired;	/* invalid UTF-8 bytes replaced by U+FFFD */
	size_t limited;		/* rule matches stopped by a pcre2 limit (the
				 * line was kept) */
	int had_header;		/* input already was a deboiled document */
	unsigned long line0;	/* input line of the text's first line (0: 1);
				 * set by db_process past an earlier stage's header */
	Buf err;		/* message when db_process() fails */
	Buf warn;		/* an HTML page that is not a document: why
				 * (the caller reports it; the body is kept) */
} DbDoc;

Deboiler *db_new(void);
void db_free(Deboiler *db);

/* Loaders: 0, or -1 after reporting "deboiler: file:line: message". */
int db_load_rules(Deboiler *db, const char *path);
int db_load_regions(Deboiler *db, const char *path);
int db_load_boiler(Deboiler *db, const char *path);	/* a --learn table */
int db_load_t2s(Deboiler *db, const char *path);	/* optional: t2s.tsv */

void db_set_join(Deboiler *db, int on);			/* default on */
void db_set_explain(Deboiler *db, int on);		/* fill DbDoc.explain */

void db_doc_init(DbDoc *d);
void db_doc_clear(DbDoc *d);				/* reuse for the next document */
void db_doc_free(DbDoc *d);

/* Process one document text[0..len) (any bytes). id may be NULL ("-").
 * An input that starts with a `Doc:` header is parsed, not stripped again.
 * Returns 0, or -1 for input that is not a text document (binary data),
 * with the reason in d->err. */
int db_process(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d);

/* HTML input (html.c): db_process() hands a page detected as HTML to
 * db_html_process(), which extracts its content and metadata and runs
 * db_process_text() over the lines, with the metadata preset (values a
 * line rule finds still win; the title hint names the title line). */
int db_load_html(Deboiler *db, const char *path);	/* html-containers.tsv */
#define DB_TABLE_ROW "\xEE\x80\x80"	/* U+E000 before a table row's line */
int db_html_detect(const char *s, size_t n);
int db_html_process(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d);
int db_process_text(Deboiler *db, const char *id, const char *text, size_t len, DbDoc *d);
void db_set_preset(Deboiler *db, int key, const char *s);	/* NULL clears */
/* The id given to db_process() wins over an incoming Doc: header (--id). */
void db_keep_id(Deboiler *db, int on);
struct DbHtml **db_html_slot(Deboiler *db);
void db_html_free(struct DbHtml *h);

/* Append the document (header, empty line, body) or its header as one TSV
 * row of db_col_name columns plus lines and chars. */
void db_format(const DbDoc *d, Buf *out);
void db_format_meta(const DbDoc *d, Buf *out);
void db_format_meta_header(Buf *out);

/* Corpus mode: count normalised edge lines of many documents, then write
 * the table of lines found in at least min_docs documents of a site and in at
 * least min_share of them. */
typedef struct DbLearn DbLearn;
DbLearn *db_learn_new(void);
void db_learn_add(Deboiler *db, DbLearn *l, const char *site, const char *text, size_t len);
void db_learn_write(DbLearn *l, Buf *out, size_t min_docs, double min_share);
void db_learn_free(DbLearn *l);

/* Normalised form of a line for the boilerplate table: blanks removed, each
 * run of digits (ASCII or full-width) written as one '0'. */
void db_normalize_line(const char *s, size_t n, Buf *out);

#endif
