/* secsplit.h: the core of secsplit, callable on a document held in memory
 * (the command line in main.c and a libFuzzer harness both use it).
 *
 *	Secsplit *ss = ss_new(&opt);		// loads data/parts.tsv, data/speakers.tsv
 *	SsDoc doc; SsResult res = SS_RESULT_INIT; Buf norm = BUF_INIT;
 *	if (ss_prepare(&doc, &norm, data, len, "name") == 0) {
 *		ss_split(ss, &doc, &res);
 *		ss_format_rows(&doc, &res, &out);	// TSV rows (no header)
 *	}
 *
 * The body is split into rows: row 0 the preamble (text before the first
 * heading), then one row per heading (levels 1-4), per speaker turn of a
 * transcript (level 0) and, with items on, per inline item 一是… (level 5).
 * Each row's text runs from its start to the next row's start, so the texts
 * of all rows concatenated give the (normalised) body back exactly.
 */
#ifndef SECSPLIT_H
#define SECSPLIT_H

#include <stddef.h>
#include "buf.h"
#include "doc.h"

enum { SS_PREAMBLE, SS_HEADING, SS_SPEAKER, SS_ITEM };

/* The five canonical parts of an annual report, in --check column order. */
enum { PART_NONE = -1, PART_MEASURES, PART_PROBLEMS, PART_LEADERSHIP, PART_PLANS,
       PART_OTHER, NPARTS };
extern const char *const ss_part_name[NPARTS];

typedef struct {
	int kind;		/* SS_PREAMBLE ... */
	int level;		/* 0 preamble/speaker, 1-4 heading, 5 item */
	int num;		/* the marker's number (headings, items) */
	int part;		/* PART_* or PART_NONE */
	int rank;		/* headings: 第一部分 0 … (1) 7; the top rank has parts */
	char path[64];		/* "3.2.1"; "0" preamble; "S2" second speaker turn */
	size_t marker, markerlen;	/* byte offsets in body (len 0: none) */
	size_t heading, headinglen;
	size_t bstart, bend;	/* bytes in body, end exclusive */
	size_t start, end;	/* characters (code points) in body */
	unsigned long line;	/* line of the input the row starts on */
} SsRow;

/* A document after ss_prepare: header fields and body point into the
 * input data when it needed no repair, else into the normalised buffer:
 * keep both alive while the document is used. */
typedef struct {
	char doc[256];		/* Doc: header, else the name given to ss_prepare */
	DocHeader hdr;		/* the header, parsed by common/doc */
	const char *body;
	size_t bodylen;
	unsigned long body_line;	/* input line of the body's first line */
	size_t bad_utf8;	/* invalid bytes replaced with U+FFFD */
	size_t nul;		/* NUL bytes replaced with U+FFFD */
	int header_unended;	/* header not followed by an empty line */
	const char *error;	/* why ss_prepare refused the data */
} SsDoc;

typedef struct {
	SsRow *row;
	size_t n, cap;
	char type[32];		/* Type: header, else guessed ("-" unknown) */
	int has_part[NPARTS];
	Buf problems;		/* numbering problems, "; "-separated */
	size_t nproblems;
} SsResult;

#define SS_RESULT_INIT {NULL, 0, 0, "", {0}, BUF_INIT, 0}

typedef struct {
	int items;		/* emit 一是… items as level-5 rows */
	const char *type;	/* document type when there is no Type: header */
	const char *parts_file;	/* NULL: data_path("parts.tsv") */
	const char *speakers_file;	/* NULL: data_path("speakers.tsv") */
} SsOptions;

typedef struct Secsplit Secsplit;

/* Load the rules; NULL after reporting an error. */
Secsplit *ss_new(const SsOptions *opt);
void ss_free(Secsplit *ss);

/* Normalise data[0..len) into norm (a UTF-8 BOM dropped, CRLF and lone CR
 * read as LF, NUL and invalid UTF-8 bytes replaced with U+FFFD, counted in
 * doc) and parse the header. name is the Doc id used when the document has
 * no Doc: header. Returns 0, or -1 when the data is binary or not UTF-8
 * (doc->error says which; only doc->doc is set). */
int ss_prepare(SsDoc *doc, Buf *norm, const char *data, size_t len, const char *name);

/* Header value of key ("Region"), or NULL; *n gets its length
 * (doc_header_get on doc->hdr). */
const char *ss_header(const SsDoc *doc, const char *key, size_t *n);

/* Split doc's body into res (cleared first). */
void ss_split(Secsplit *ss, const SsDoc *doc, SsResult *res);
void ss_result_free(SsResult *res);

/* Output, appended to out. */
void ss_format_header(Buf *out);				/* sections TSV header */
void ss_format_rows(const SsDoc *doc, const SsResult *res, Buf *out);
void ss_format_outline(const SsDoc *doc, const SsResult *res, Buf *out);
void ss_format_check_header(Buf *out);
void ss_format_check(const SsDoc *doc, const SsResult *res, Buf *out);


#endif
