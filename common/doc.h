/* doc.h: the stage contract as code: documents, their header, streams of
 * documents, and the document id of a path.
 *
 * A document is UTF-8 text: a header of `Key: value` lines, one empty line,
 * the body. A key is an ASCII letter followed by up to 39 letters, digits or
 * '-'; the colon is followed by one space (or ends the line: an empty
 * value). The header's first line is `Doc: ID` in every document a tool of
 * this project writes; a text whose first line is not a `Key: value` line
 * has no header (plain text: the whole text is the body).
 *
 * A stream holds one or more documents back to back. Every document but the
 * first is preceded by a separator line that holds the ASCII record
 * separator alone (byte 0x1E, as in RFC 7464's text sequences). The byte
 * cannot occur in a body: encfix removes control characters from text (and
 * counts them), and readers that meet one in a line with other text treat
 * it as text. So a body line that looks like a header never starts a
 * document, and a single document's stream is the document itself.
 */
#ifndef COMMON_DOC_H
#define COMMON_DOC_H

#include <stddef.h>
#include "buf.h"

#define DOC_SEPARATOR		"\x1e"
#define DOC_KEY_MAX		40	/* characters of a key */
#define DOC_FIELDS_MAX		64	/* header lines kept; more are ignored */

/* The header keys of the contract, in the order tools write them. */
enum {
	DK_DOC, DK_TITLE, DK_REGION, DK_REGION_CODE, DK_PROVINCE, DK_YEAR, DK_TYPE,
	DK_DATE, DK_SOURCE, DK_PUBLISHER, DK_INDEX_NO, DK_DOC_NO, DK_AUTHOR, DK_EDITOR,
	DK_KEYWORDS, DK_REMOVED, DK_NKEYS
};
extern const char *const doc_key_names[DK_NKEYS];

typedef struct {
	const char *key, *val;	/* point into the parsed text */
	size_t keylen, vallen;
} DocField;

typedef struct {
	DocField field[DOC_FIELDS_MAX];
	size_t nfield;
	size_t body_off;	/* offset of the body in the text */
	unsigned long body_line;	/* line number of the body's first line */
	int unended;		/* header lines ran into text without an empty line */
} DocHeader;

/* Is s[0..n) a `Key: value` line? Sets *keylen. */
int doc_header_line(const char *s, size_t n, size_t *keylen);

/* Parse the header at the start of text (none when the first line is not a
 * `Key: value` line). Header lines that run into a non-header line with no
 * empty line between end the header there (h->unended is set). Fields point
 * into text; a '\r' before a line's '\n' is not part of the value. */
void doc_header_parse(const char *text, size_t len, DocHeader *h);

/* The value of key (ASCII case-insensitive), NULL when absent. */
const char *doc_header_get(const DocHeader *h, const char *key, size_t *n);

/* Write `Key: value\n`; a newline, CR or separator byte inside the value
 * becomes a space (a header line is one line). */
void doc_header_put(Buf *out, const char *key, const char *val, size_t n);

/* Streams. doc_stream_next() finds the document that starts at s (len
 * bytes left in the stream): returns its length (the separator line after
 * it not included) and sets *next to the offset of the next document, or to
 * len when it is the last. */
size_t doc_stream_next(const char *s, size_t len, size_t *next);

/* Writers: call before writing each document to one stream; writes the
 * separator line before every document but the first (*count counts the
 * documents written; start it at 0). A document that did not end with a
 * newline gets one first, so the separator is a line of its own. */
void doc_stream_begin(Buf *out, unsigned long *count);

/* The document id of a path: its base name without a trailing ".gz" and
 * without one extension among those of pages and documents (.txt .text
 * .html .htm .shtml .xhtml .jsp .asp .aspx .php .xml .raw .tsv .pdf .doc
 * .docx .wps): "a/shang.2020.txt" -> "shang.2020", "report.v2.html.gz" ->
 * "report.v2", "x.tar" -> "x.tar". Stdin ("-" or NULL) is "-"; a name that
 * would be empty keeps its extension. Free it. */
char *doc_id_from_path(const char *path);

/* The length of path[0..n) without a trailing ".gz" and one extension of
 * the list above on its last component: the one rule of doc_id_from_path,
 * also used by pipeline-sync for its corpus ids (paths below IN). */
size_t doc_path_stem(const char *path, size_t n);

/* Ids made distinct within one run: the first document with an id keeps
 * it; a later one gets "ID-2", "ID-3", … (the first of those not taken).
 * Returns the id to use (owned by ids). */
typedef struct DocIds DocIds;
DocIds *doc_ids_new(void);
const char *doc_ids_unique(DocIds *ids, const char *id);
/* Adds id; returns 1 when it was there already (nothing added), else 0. */
int doc_ids_seen(DocIds *ids, const char *id);
void doc_ids_free(DocIds *ids);

#endif
