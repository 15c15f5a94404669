/* run.h: the per-input loop every tool shares: where each input's result
 * goes, and the --report file.
 *
 * A tool reads its inputs (files, or stdin when there are none) one at a
 * time and hands each one's result to run_write():
 * - without -o, everything goes to stdout. Tools that write documents
 *   (RUN_DOCS) write one stream of documents (common/doc.h: a separator line
 *   before every document but the first); tools that write a table
 *   (RUN_TABLE) write the table's header row once, then every input's rows.
 * - with -o DIR, each input's result goes to DIR/ID EXT (ID the document id,
 *   common/doc.h), written atomically (common/output.h); a table's file has
 *   its own header row. DIR and its parents are made when missing. A second
 *   input whose result would go to a file already written in this run is
 *   refused (reported, exit 1), never written over.
 * - --report FILE: a TSV with a row per input, written atomically (the
 *   file appears complete when run_end() succeeds, or not at all).
 */
#ifndef COMMON_RUN_H
#define COMMON_RUN_H

#include <stddef.h>
#include "output.h"

enum { RUN_DOCS, RUN_TABLE };

typedef struct {
	int kind;		/* RUN_DOCS or RUN_TABLE */
	const char *outdir;	/* -o DIR, or NULL: stdout */
	const char *ext;	/* extension of the files under DIR: ".txt", ".tsv" */
	const char *table_header;	/* RUN_TABLE: the header row, with its '\n' */
	const char *report;	/* --report FILE, or NULL */
	const char *report_header;	/* its header row, with its '\n' */
} RunOpts;

typedef struct Run Run;

/* Makes DIR, creates the report file. NULL when either fails (reported). */
Run *run_begin(const RunOpts *o);

/* The file an input's result goes to under -o (DIR/ID EXT), NULL without
 * -o, or when the id cannot name a file (see above). id NULL: the document
 * id of path. Free it. */
char *run_output_path(const Run *r, const char *path, const char *id);

/* Write one input's result (n bytes; for RUN_TABLE, rows without the header
 * row). path names the input in messages. 0 ok; -1 when the output file was
 * already written in this run or could not be written (reported). */
int run_write(Run *r, const char *path, const char *id, const char *s, size_t n);

/* For tools that write a table row by row (RUN_TABLE): where one input's
 * rows go. Without -o, stdout (the header row was written by run_begin);
 * with -o, a new atomic file DIR/ID EXT holding the header row, refused as
 * run_write refuses. NULL when refused or not made (reported). Hand it back
 * to run_close, which commits the file: 0 ok, -1 (reported). */
Out *run_open(Run *r, const char *path, const char *id);
int run_close(Run *r, Out *o);

/* Add a row (with its '\n') to the --report file; nothing without one. */
void run_report(Run *r, const char *row, size_t n);
int run_has_report(const Run *r);

/* Commit the report, free everything, flush stdout. Returns status, or
 * EXIT_DATA when the report or stdout could not be written. */
int run_end(Run *r, int status);

#endif
