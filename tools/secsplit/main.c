/* secsplit: split Chinese official documents into their numbered sections,
 * one TSV row per section (or an outline, or a coverage check). */
#include "secsplit.h"
#include "cli.h"
#include "doc.h"
#include "err.h"
#include "input.h"
#include "output.h"
#include "run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MODE_ROWS, MODE_OUTLINE, MODE_CHECK };

typedef struct {
	int mode;
	const char *outdir;
	const char *report;	/* --report FILE */
	int quiet;		/* -q: no warnings about repaired input */
	SsOptions ss;
} Options;

static void usage(void);
static int process(Secsplit *ss, const Options *opt, Run *run, const char *path, Buf *raw,
		   Buf *norm, Buf *text, SsResult *res);
static int process_doc(Secsplit *ss, const Options *opt, Run *run, const char *path,
		       const char *data, size_t len, const char *name, Buf *norm, Buf *text,
		       SsResult *res);
static Run *begin_run(const Options *opt, Buf *header, Buf *report_header);

static void
usage(void)
{
	printf(
"usage: secsplit [-q] [-o DIR] [--report FILE] [--items] [--outline | --check] [-t TYPE] [FILE...]\n"
"\n"
"Find the numbered outline of Chinese official documents (the output of\n"
"deboiler: a header of 'Key: value' lines, an empty line, the body; plain\n"
"text without a header is all body) and write one TSV row per section.\n"
"Files may be gzip-compressed; no FILE or '-' reads standard input.\n"
"\n"
"Headings (GB/T 9704), each numbered in sequence to count (二、 only after\n"
"一、, so '2020年以来', '1+7模式', '三、四月份' or a stray '三、' are text):\n"
"  level 1  一、  第一章 第一部分    level 2  (一)  第一节\n"
"  level 3  1. 1、 第一条             level 4  (1)\n"
"The heading is the text after the marker up to the first 。 or the line end.\n"
"Speaker turns of transcripts ('市司法局副局长张三:') are level-0 rows with\n"
"path S1, S2, ... that close the open sections; inline items 一是… 二是…\n"
"are level-5 rows with --items.\n"
"\n"
"Columns: doc region year seq level path marker heading part start end text\n"
"  seq 0 is the preamble (text before the first heading, part 'preamble');\n"
"  path  the numbers of the enclosing headings, one per level (0 where a\n"
"        level is skipped): 3.2.1;\n"
"  part  measures, problems, leadership, plans or other (annual reports,\n"
"        from the top-level headings, inherited by subsections; keywords in\n"
"        data/parts.tsv), '-' otherwise;\n"
"  start, end  character offsets in the body (end exclusive);\n"
"  text  the section's own text, from its marker (heading line included)\n"
"        to its first subsection or the next section: the texts of a\n"
"        document's rows concatenated give its body back.\n"
"\n"
"Options:\n"
"  -o, --output-dir DIR  one file per document, DIR/ID.tsv (.txt for\n"
"                        --outline), ID its Doc: header, else the input's\n"
"                        name without .gz and extension; DIR made when\n"
"                        missing; written atomically; a second document\n"
"                        with an id already written is refused (exit 1)\n"
"      --items           also emit 一是… 二是… items (level 5)\n"
"      --outline         an indented outline for reading: marker, heading,\n"
"                        [part], (length in characters, subsections included);\n"
"                        several documents' outlines are separated by a line\n"
"                        holding the byte 0x1E alone (a stream, as documents)\n"
"      --check           one row per document: doc region year type, yes/no\n"
"                        for measures problems leadership plans other,\n"
"                        missing (parts absent, comma-separated, '-' if none),\n"
"                        problems_found (numbering gaps, duplicates, restarts;\n"
"                        ';'-separated, '-' if none)\n"
"      --report FILE     also write FILE: the --check row of every document\n"
"                        written (with a header row), written atomically\n"
"  -t, --type TYPE       document type when there is no Type: header:\n"
"                        annual-report or work-summary (give parts),\n"
"                        proposal-reply, press-conference, news, statistics,\n"
"                        other (default: guessed as deboiler guesses it, from\n"
"                        the title, outline, formulas and speaker turns)\n"
"  -q, --quiet           no warnings about repaired input (NUL, invalid UTF-8,\n"
"                        a header not ended by an empty line)\n"
"  -h, --help            this text\n"
"      --version         version\n"
"\n"
"Input repairs (reported on stderr, the file still counts as good): CRLF\n"
"and CR line ends read as LF, NUL and invalid UTF-8 bytes replaced with\n"
"U+FFFD. Binary or non-UTF-8 files are reported and skipped (exit 1).\n"
"\n"
"Exit status: 0 ok, 1 a file could not be read or was refused, 2 bad usage.\n"
"\n"
"Examples:\n"
"  deboiler -o clean raw/*.txt && secsplit clean/*.txt > sections.tsv\n"
"  secsplit --check clean/*.txt > coverage.tsv\n"
"  secsplit --report coverage.tsv -o sections body/*.txt\n"
"  deboiler page.txt | secsplit --outline | less\n"
"  secsplit clean/*.txt | awk -F'\\t' '$9 == \"problems\"' | cut -f1,8\n");
}

/* One input: a stream of documents (common/doc.h), each split and handed
 * to the run (stdout, or -o DIR: one file per document). A document without
 * a Doc: header takes the id of the path, made distinct in the run. */
static int
process(Secsplit *ss, const Options *opt, Run *run, const char *path, Buf *raw, Buf *norm,
	Buf *text, SsResult *res)
{
	static DocIds *ids;
	size_t off = 0, next, n;
	int status = EXIT_OK;

	if (!ids)
		ids = doc_ids_new();
	buf_clear(raw);
	if (read_whole_file(path, raw) < 0)
		return EXIT_DATA;
	do {
		const char *s = raw->s ? raw->s + off : "";
		char *own = doc_id_from_path(path);

		n = doc_stream_next(s, raw->len - off, &next);
		if (process_doc(ss, opt, run, path, s, n, doc_ids_unique(ids, own), norm, text, res) != EXIT_OK)
			status = EXIT_DATA;
		free(own);
		off += next;
	} while (off < raw->len);
	return status;
}

static int
process_doc(Secsplit *ss, const Options *opt, Run *run, const char *path, const char *data,
	    size_t len, const char *name, Buf *norm, Buf *text, SsResult *res)
{
	SsDoc doc;
	const char *fname = display_name(path);

	if (ss_prepare(&doc, norm, data, len, name) < 0) {
		warnat(fname, 0, "%s: skipped", doc.error);
		return EXIT_DATA;
	}
	if (doc.bad_utf8 && !opt->quiet)
		warnat(fname, 0, "%zu invalid UTF-8 byte%s replaced with U+FFFD", doc.bad_utf8,
		       doc.bad_utf8 == 1 ? "" : "s");
	if (doc.nul && !opt->quiet)
		warnat(fname, 0, "%zu NUL byte%s replaced with U+FFFD", doc.nul,
		       doc.nul == 1 ? "" : "s");
	if (doc.header_unended && !opt->quiet)
		warnat(fname, doc.body_line, "header not followed by an empty line: body starts here");
	ss_split(ss, &doc, res);

	buf_clear(text);
	switch (opt->mode) {
	case MODE_ROWS:
		ss_format_rows(&doc, res, text);
		break;
	case MODE_OUTLINE:
		ss_format_outline(&doc, res, text);
		break;
	case MODE_CHECK:
		ss_format_check(&doc, res, text);
		break;
	}
	if (run_write(run, path, doc.doc, text->s ? text->s : "", text->len) != 0)
		return EXIT_DATA;	/* reported */
	if (run_has_report(run)) {	/* the --check row of each document written */
		buf_clear(text);
		ss_format_check(&doc, res, text);
		run_report(run, text->s, text->len);
	}
	return EXIT_OK;
}

/* The run's outputs: the sections or --check table (header row once on
 * stdout, or in each -o file), or the outlines as a stream of texts; the
 * --report table. NULL when -o DIR or the report cannot be made (reported). */
static Run *
begin_run(const Options *opt, Buf *header, Buf *report_header)
{
	RunOpts ro;

	memset(&ro, 0, sizeof ro);
	ro.kind = opt->mode == MODE_OUTLINE ? RUN_DOCS : RUN_TABLE;
	ro.outdir = opt->outdir;
	ro.ext = opt->mode == MODE_OUTLINE ? ".txt" : ".tsv";
	if (opt->mode == MODE_ROWS)
		ss_format_header(header);
	else if (opt->mode == MODE_CHECK)
		ss_format_check_header(header);
	ro.table_header = header->s;
	ro.report = opt->report;
	ss_format_check_header(report_header);
	ro.report_header = report_header->s;
	return run_begin(&ro);
}

int
main(int argc, char **argv)
{
	enum { OPT_VERSION = 256, OPT_ITEMS, OPT_OUTLINE, OPT_CHECK, OPT_REPORT };
	static const struct option longopts[] = {
		{"output-dir", required_argument, NULL, 'o'},
		{"items", no_argument, NULL, OPT_ITEMS},
		{"outline", no_argument, NULL, OPT_OUTLINE},
		{"check", no_argument, NULL, OPT_CHECK},
		{"report", required_argument, NULL, OPT_REPORT},
		{"type", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0}
	};
	Options opt;
	Secsplit *ss;
	Buf raw = BUF_INIT, norm = BUF_INIT, text = BUF_INIT;
	SsResult res = SS_RESULT_INIT;
	Buf header = BUF_INIT, report_header = BUF_INIT;
	Run *run;
	int c, status = EXIT_OK, i, modes = 0;

	tool_init(argv[0]);
	out_init();
	memset(&opt, 0, sizeof opt);
	opterr = 0;	/* one message, ours */
	while ((c = getopt_long(argc, argv, ":ho:qt:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case OPT_VERSION:
			print_version();
			return out_finish(EXIT_OK);	/* flushes stdio too */
		case 'o':
			opt.outdir = optarg;
			break;
		case 't':
			if (strcmp(optarg, "annual-report") != 0 && strcmp(optarg, "proposal-reply") != 0 &&
			    strcmp(optarg, "press-conference") != 0 && strcmp(optarg, "other") != 0 &&
			    strcmp(optarg, "work-summary") != 0 && strcmp(optarg, "news") != 0 &&
			    strcmp(optarg, "statistics") != 0)
				usage_error("--type '%s': one of annual-report, work-summary, proposal-reply, "
					    "press-conference, news, statistics, other", optarg);
			opt.ss.type = optarg;
			break;
		case OPT_ITEMS:
			opt.ss.items = 1;
			break;
		case OPT_OUTLINE:
			opt.mode = MODE_OUTLINE;
			modes |= 1;
			break;
		case OPT_CHECK:
			opt.mode = MODE_CHECK;
			modes |= 2;
			break;
		case OPT_REPORT:
			opt.report = optarg;
			break;
		case 'q':
			opt.quiet = 1;
			break;
		default:
			cli_bad_option(c, argv);
		}
	}
	if (modes == 3)
		usage_error("--outline and --check exclude each other");
	if ((ss = ss_new(&opt.ss)) == NULL)
		return out_finish(EXIT_DATA);
	if ((run = begin_run(&opt, &header, &report_header)) == NULL) {
		ss_free(ss);
		buf_free(&header);
		buf_free(&report_header);
		return out_finish(EXIT_DATA);	/* reported */
	}
	if (optind == argc) {
		if (process(ss, &opt, run, "-", &raw, &norm, &text, &res) != EXIT_OK)
			status = EXIT_DATA;
	}
	for (i = optind; i < argc; i++)
		if (process(ss, &opt, run, argv[i], &raw, &norm, &text, &res) != EXIT_OK)
			status = EXIT_DATA;
	status = run_end(run, status);	/* commits the report, flushes stdout */

	ss_result_free(&res);
	ss_free(ss);
	buf_free(&raw);
	buf_free(&norm);
	buf_free(&text);
	buf_free(&header);
	buf_free(&report_header);
	return status;
}
